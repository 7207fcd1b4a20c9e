// Shared by the workflows-*.test.ts files: the reusable workflows and templates loaded once, the actions' real
// action.yml inputs and outputs, the wiring check, and evaluators of what a job would do for given inputs (GitHub's
// own expression evaluator, @actions/expressions).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { expressions, ifExpression, refs, resolve, runs, type Status } from './workflow-expressions.js';

export const root = fileURLToPath(new URL('..', import.meta.url));
export const WORKFLOWS = '.github/workflows';
export const TEMPLATES = 'workflow-templates';
export const SHIPLINE_REPO = 'shipline/shipline';

export type Doc = Record<string, any>;
export type Files = Map<string, Doc>;

export interface ActionMeta {
  inputs: Record<string, { required?: boolean; default?: unknown }>;
  outputs: Record<string, unknown>;
}

export const actions = new Map<string, ActionMeta>(
  readdirSync(join(root, 'actions'))
    .filter((name) => existsSync(join(root, 'actions', name, 'action.yml')))
    .map((name) => {
      const doc = parse(readFileSync(join(root, 'actions', name, 'action.yml'), 'utf8')) as Doc;
      return [name, { inputs: doc.inputs ?? {}, outputs: doc.outputs ?? {} }];
    }),
);

// Outputs of the third-party actions the workflows use (from their action.yml at the pinned versions).
export const THIRD_PARTY_OUTPUTS: Record<string, string[]> = {
  'actions/checkout': ['ref', 'commit'],
  'actions/create-github-app-token': ['token', 'installation-id', 'app-slug'],
  'actions/setup-node': ['cache-hit', 'node-version'],
  'actions/setup-python': ['python-version', 'cache-hit', 'python-path'],
  'actions/upload-artifact': ['artifact-id', 'artifact-url', 'artifact-digest'],
  'actions/download-artifact': ['download-path'],
  'aws-actions/configure-aws-credentials': [
    'aws-account-id',
    'aws-access-key-id',
    'aws-secret-access-key',
    'aws-session-token',
    'aws-expiration',
  ],
  'github/codeql-action/init': ['codeql-path', 'codeql-version'],
  'github/codeql-action/analyze': ['db-locations', 'sarif-output', 'sarif-id'],
  'github/codeql-action/upload-sarif': ['sarif-id', 'sarif-ids'],
  'aquasecurity/trivy-action': [],
  'trufflesecurity/trufflehog': [],
};

export function loadFolder(folder: string): Files {
  const files: Files = new Map();
  for (const f of readdirSync(join(root, folder))
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()) {
    files.set(`${folder}/${f}`, parse(readFileSync(join(root, folder, f), 'utf8')) as Doc);
  }
  return files;
}

export function loadAll(): Files {
  return new Map([...loadFolder(WORKFLOWS), ...loadFolder(TEMPLATES)]);
}

/** The local action a `uses:` names: ./.shipline/actions/x (checked out at the workflow's commit) or shipline/shipline/actions/x@ref. */
export function shiplineAction(uses: string): string | undefined {
  return (
    /^\.\/\.shipline\/actions\/([\w-]+)$/.exec(uses)?.[1] ??
    new RegExp(`^${SHIPLINE_REPO}/actions/([\\w-]+)@.+$`).exec(uses)?.[1]
  );
}

/** The file a job-level `uses:` calls: ./.github/workflows/x.yml or shipline/shipline/.github/workflows/x.yml@ref. */
export function calledWorkflow(uses: string): string | undefined {
  const local = /^\.\/(\.github\/workflows\/[\w.-]+\.ya?ml)$/.exec(uses)?.[1];
  if (local) return local;
  return new RegExp(`^${SHIPLINE_REPO}/(\\.github/workflows/[\\w.-]+\\.ya?ml)@[\\w./-]+$`).exec(uses)?.[1];
}

export function workflowCall(doc: Doc | undefined): Doc | undefined {
  const on = doc?.on;
  return on && typeof on === 'object' && 'workflow_call' in on ? (on.workflow_call ?? {}) : undefined;
}

/** Names a run: script writes to $GITHUB_OUTPUT (`echo "name=…" >> "$GITHUB_OUTPUT"`). */
export function runOutputs(script: string): string[] {
  return script
    .split('\n')
    .filter((line) => line.includes('GITHUB_OUTPUT'))
    .flatMap((line) => [...line.matchAll(/echo\s+["']?([A-Za-z_][\w-]*)=/g)].map((m) => m[1]!));
}

export function stepOutputs(step: Doc): string[] | undefined {
  if (typeof step.run === 'string') return runOutputs(step.run);
  const uses = String(step.uses ?? '');
  const local = shiplineAction(uses);
  if (local) return Object.keys(actions.get(local)?.outputs ?? {});
  return THIRD_PARTY_OUTPUTS[uses.split('@')[0]!];
}

export function needsOf(job: Doc): string[] {
  return job.needs === undefined ? [] : Array.isArray(job.needs) ? job.needs.map(String) : [String(job.needs)];
}

/** The outputs a job offers to `needs.<job>.outputs`: its own map, or the called workflow's workflow_call outputs. */
export function jobOutputs(files: Files, job: Doc): string[] | undefined {
  if (typeof job.uses === 'string') {
    const called = calledWorkflow(job.uses);
    const call = called ? workflowCall(files.get(called)) : undefined;
    return call ? Object.keys(call.outputs ?? {}) : undefined;
  }
  return Object.keys(job.outputs ?? {});
}

/** Every wiring problem in the given files (empty = all good). */
export function check(files: Files): string[] {
  const problems: string[] = [];
  for (const [file, doc] of files) {
    const call = workflowCall(doc);
    const declaredInputs = new Set(Object.keys(call?.inputs ?? {}));
    const dispatchInputs = new Set(
      Object.keys((doc.on && typeof doc.on === 'object' && doc.on.workflow_dispatch?.inputs) || {}),
    );
    const declaredSecrets = new Set(Object.keys(call?.secrets ?? {}));
    const jobs: Record<string, Doc> = doc.jobs ?? {};

    // inputs.x and secrets.X must be declared (a reusable workflow's own, or a dispatch input).
    for (const [where, expr] of expressions(doc, file)) {
      // `c && '' || x` is always x: the empty string is falsy, so the "ternary" never yields ''.
      if (/&&\s*''\s*\|\|/.test(expr)) problems.push(`${where}: "&& '' ||" always takes the right-hand side`);
      for (const [name] of refs(expr, /\binputs\.([\w-]+)/g)) {
        if (!declaredInputs.has(name!) && !dispatchInputs.has(name!))
          problems.push(`${where}: inputs.${name} is not declared`);
      }
      if (call) {
        for (const [name] of refs(expr, /\bsecrets\.([\w-]+)/g)) {
          if (!declaredSecrets.has(name!) && name !== 'GITHUB_TOKEN')
            problems.push(`${where}: secrets.${name} is not declared in workflow_call.secrets`);
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
          if (!needs.includes(other!))
            problems.push(`${where}: needs.${other} is read but ${jobId} does not need ${other}`);
          else if (!jobOutputs(files, jobs[other!] ?? {})?.includes(out!))
            problems.push(`${where}: needs.${other}.outputs.${out} does not exist`);
        }
        for (const [other] of refs(expr, /\bneeds\.([\w-]+)\.result\b/g)) {
          if (!needs.includes(other!))
            problems.push(`${where}: needs.${other}.result is read but ${jobId} does not need ${other}`);
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
          else if (input.type === 'boolean' && typeof value !== 'boolean' && !String(value).includes('${{'))
            problems.push(`${at}.with.${key}: ${key} is a boolean, got ${JSON.stringify(value)}`);
          else if (input.type === 'number' && typeof value !== 'number' && !String(value).includes('${{'))
            problems.push(`${at}.with.${key}: ${key} is a number, got ${JSON.stringify(value)}`);
        }
        for (const [key, input] of Object.entries(inputs)) {
          if (input?.required && !(key in (job.with ?? {})))
            problems.push(`${at}: required input ${key} of ${called} is not given`);
        }
        const secrets: Record<string, Doc> = targetCall.secrets ?? {};
        if (job.secrets === 'inherit')
          problems.push(`${at}: secrets: inherit hands every secret over; pass the ones needed`);
        else {
          for (const key of Object.keys(job.secrets ?? {}))
            if (!secrets[key]) problems.push(`${at}.secrets.${key}: ${called} has no secret ${key}`);
          for (const [key, secret] of Object.entries(secrets))
            if (secret?.required && !(key in (job.secrets ?? {})))
              problems.push(`${at}: required secret ${key} of ${called} is not given`);
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
          else if (!stepOutputs(step)?.includes(out!))
            problems.push(`${where}: steps.${id}.outputs.${out} is never written`);
        }
        for (const [id] of refs(expr, /\bsteps\.([\w-]+)\.(?:outcome|conclusion)\b/g)) {
          if (!available.has(id!)) problems.push(`${where}: steps.${id} is not a step before this one`);
        }
      };
      steps.forEach((step, i) => {
        const where = `${at}.steps[${i}]${step.id ? ` (${step.id})` : ''}`;
        for (const [w, expr] of [
          ...expressions(step, where),
          [`${where}.if`, ifExpression(step.if)] as [string, string],
        ])
          checkStepRefs(w, expr, seen);
        const uses = typeof step.uses === 'string' ? step.uses : '';
        const local = shiplineAction(uses);
        if (local) {
          const meta = actions.get(local);
          if (!meta) problems.push(`${where}: no action ${local} in actions/`);
          else {
            for (const key of Object.keys(step.with ?? {}))
              if (!(key in meta.inputs)) problems.push(`${where}.with.${key}: action ${local} has no input ${key}`);
            for (const [key, input] of Object.entries(meta.inputs)) {
              if (input?.required && input.default === undefined && !(key in (step.with ?? {})))
                problems.push(`${where}: required input ${key} of action ${local} is not given`);
            }
          }
        } else if (uses && !uses.startsWith('./') && !/^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/.test(uses)) {
          problems.push(`${where}: ${uses} is not pinned to a full commit SHA`);
        }
        if (typeof step.run === 'string' && step.run.includes('${{'))
          problems.push(`${where}: \${{ }} inside run: (pass values through env:)`);
        if (step.id) seen.set(String(step.id), step);
      });
      // Job outputs and the environment URL are evaluated after every step.
      for (const [where, expr] of [
        ...expressions(job.outputs, `${at}.outputs`),
        ...expressions(job.environment, `${at}.environment`),
      ])
        checkStepRefs(where, expr, all);
    }
  }
  return problems;
}

export const files = loadAll();
export const reusable = [...files.keys()].filter((f) => f.startsWith(WORKFLOWS) && workflowCall(files.get(f)));
export const templates = [...files.keys()].filter((f) => f.startsWith(TEMPLATES));
export const pipeline = files.get(`${WORKFLOWS}/pipeline.yml`)!;
export const deployEnvironment = files.get(`${WORKFLOWS}/deploy-environment.yml`)!;

/** The inputs a reusable workflow gets: its defaults, overridden by `given`. */
export function inputsOf(file: string, given: Record<string, unknown>): Record<string, unknown> {
  const declared: Record<string, Doc> = workflowCall(files.get(file))?.inputs ?? {};
  return {
    ...Object.fromEntries(
      Object.entries(declared).map(([k, v]) => [
        k,
        v.default ?? (v.type === 'boolean' ? false : v.type === 'number' ? 0 : ''),
      ]),
    ),
    ...given,
  };
}

/** Contexts of deploy-environment.yml's release job for these inputs (steps have written every output). */
export function releaseContext(
  given: Record<string, unknown>,
  github: Record<string, unknown> = { event_name: 'push', ref_name: 'main', event: {} },
  secrets: Record<string, string> = {},
): Record<string, unknown> {
  const inputs = inputsOf(`${WORKFLOWS}/deploy-environment.yml`, given);
  const job: Doc = deployEnvironment.jobs.release;
  const base = {
    inputs,
    github,
    secrets,
    vars: {},
    matrix: {},
    strategy: {},
    needs: {},
    runner: {},
    job: { status: 'success' },
  };
  // The job's env as the runner sets it: expression results become strings.
  const env = {
    TARGET: resolve(job.env.TARGET, base),
    SLACK: 'true',
    SENTRY: String(resolve(job.env.SENTRY, base)),
    BAKE: String(resolve(job.env.BAKE, base)),
  };
  const steps = Object.fromEntries(
    job.steps
      .filter((s: Doc) => s.id)
      .map((s: Doc) => [
        s.id,
        {
          outputs: {
            'deployment-id': 'dpl_1',
            url: 'https://x',
            changed: 'true',
            dir: '/tmp/x',
            summary: '',
            ts: '1.2',
            fingerprints: '',
          },
          outcome: 'success',
          conclusion: 'success',
        },
      ]),
  );
  return { ...base, env, steps };
}

/** Steps of the release job that would run with these inputs, when the job is in `status`. */
export function runningSteps(
  given: Record<string, unknown>,
  status: Status,
  github?: Record<string, unknown>,
): { step: Doc; context: Record<string, unknown> }[] {
  const context = releaseContext(given, github);
  return (deployEnvironment.jobs.release.steps as Doc[])
    .filter((s) => runs(s.if, context, status))
    .map((step) => ({ step, context }));
}

/** A pipeline value for these pipeline inputs (defaults filled in). */
export function pipelineValue(value: unknown, given: Record<string, unknown>): unknown {
  return resolve(value, {
    inputs: inputsOf(`${WORKFLOWS}/pipeline.yml`, given),
    github: { event_name: 'push', ref_name: 'main', event: {} },
    vars: {},
    needs: {},
    matrix: {},
    strategy: {},
  });
}

/** A step that can change what a project's production serves. */
export function changesProduction(step: Doc, context: Record<string, unknown>): boolean {
  const action = shiplineAction(String(step.uses ?? ''));
  if (action === 'rollback') return true;
  if (action !== 'deploy') return false;
  const w: Doc = step.with ?? {};
  if (resolve(w.provider, context) === 'supabase-functions') return false; // its own project, compared by fingerprint
  return resolve(w.command ?? 'deploy', context) === 'promote' || resolve(w.target ?? 'preview', context) !== 'preview';
}

/** Runs a step's script with bash as the runner would. */
export function runStep(
  script: string,
  env: Record<string, string>,
  cwd?: string,
): { status: number | null; stdout: string; outputs: string; summary: string } {
  const dir = mkdtempSync(join(tmpdir(), 'shipline-wf-'));
  try {
    writeFileSync(join(dir, 'output'), '');
    writeFileSync(join(dir, 'summary'), '');
    const result = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script], {
      env: {
        PATH: process.env.PATH,
        GITHUB_OUTPUT: join(dir, 'output'),
        GITHUB_STEP_SUMMARY: join(dir, 'summary'),
        RUNNER_TEMP: dir,
        ...env,
      },
      encoding: 'utf8',
      cwd,
    });
    return {
      status: result.status,
      stdout: result.stdout + result.stderr,
      outputs: readFileSync(join(dir, 'output'), 'utf8'),
      summary: readFileSync(join(dir, 'summary'), 'utf8'),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A job with a step that uploads SARIF to code scanning (CodeQL's analyze, upload-sarif). */
export function uploadsSarif(job: Doc): boolean {
  return (job.steps ?? []).some((s: Doc) =>
    /^github\/codeql-action\/(analyze|upload-sarif)@/.test(String(s.uses ?? '')),
  );
}

/** A job that runs the security gate: it calls security.yml, or pipeline.yml with require-security: true. */
export function runsSecurityGate(job: Doc): boolean {
  const called = typeof job.uses === 'string' ? calledWorkflow(job.uses) : undefined;
  return (
    called === `${WORKFLOWS}/security.yml` ||
    (called === `${WORKFLOWS}/pipeline.yml` && job.with?.['require-security'] === true)
  );
}

/** Every job that names a GitHub environment (its secrets and reviewers apply), in the reusable workflows. */
export const environmentJobs = reusable.flatMap((file) =>
  Object.entries<Doc>(files.get(file)!.jobs)
    .filter(([, job]) => job.environment)
    .map(([id, job]) => ({ file, id, job })),
);
