// The production stage as its two definitions give it: the reusable workflow's release job
// (.github/workflows/deploy-environment.yml) and the composite generated from it (actions/stage/action.yml), with
// the contexts GitHub would evaluate their steps in once every earlier step has succeeded. The workflow receives a
// secret by its name (secrets.PROMETHEUS_HEADERS); the composite as an input named after it (prometheus-headers).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { resolve, type Status } from './workflow-expressions.js';
import { type Doc, root } from './support-workflows.js';

const load = (file: string): Doc => parse(readFileSync(join(root, file), 'utf8')) as Doc;

export interface ProductionStage {
  file: string;
  steps: Doc[];
  /** Declared inputs with their defaults. */
  inputs: Record<string, Doc>;
  /** How a step names the secret `name` (e.g. PROMETHEUS_HEADERS). */
  secretRef: (name: string) => string;
  /** The job's env as the runner sets it (the workflow's job env; the composite's first step's env). */
  envOf: (context: Record<string, unknown>) => Record<string, string>;
  /** Secrets by name, as this definition receives them. */
  secretsOf: (given: Record<string, string>) => { secrets: Record<string, string>; inputs: Record<string, string> };
}

export const SHA = '0123456789abcdef0123456789abcdef01234567';

/** The composite's input for a secret of the workflow: DATADOG_API_KEY → datadog-api-key. */
const inputName = (secret: string) => secret.toLowerCase().replaceAll('_', '-');

const resolvedEnv = (env: Record<string, string>) => (context: Record<string, unknown>) =>
  Object.fromEntries(Object.entries<string>(env).map(([k, v]) => [k, String(resolve(v, context))]));

function workflowStage(): ProductionStage {
  const file = '.github/workflows/deploy-environment.yml';
  const doc = load(file);
  const job: Doc = doc.jobs.release;
  return {
    file,
    steps: job.steps,
    inputs: doc.on.workflow_call.inputs,
    secretRef: (name) => `\${{ secrets.${name} }}`,
    envOf: resolvedEnv(job.env),
    secretsOf: (given) => ({ secrets: { ...given, DEPLOY_TOKEN: 'deploy-token' }, inputs: {} }),
  };
}

function compositeStage(): ProductionStage {
  const file = 'actions/stage/action.yml';
  const doc = load(file);
  return {
    file,
    steps: doc.runs.steps,
    inputs: doc.inputs,
    secretRef: (name) => `\${{ inputs.${inputName(name)} }}`,
    envOf: resolvedEnv((doc.runs.steps[0] as Doc).env),
    secretsOf: (given) => ({
      secrets: {},
      inputs: {
        ...Object.fromEntries(Object.entries(given).map(([k, v]) => [inputName(k), v])),
        'deploy-token': 'deploy-token',
      },
    }),
  };
}

export const STAGES = [workflowStage(), compositeStage()];

/** Contexts of the stage for these inputs and secrets, once every earlier step has succeeded and written its outputs. */
export function stageContext(
  stage: ProductionStage,
  given: Record<string, unknown>,
  secrets: Record<string, string> = {},
): Record<string, unknown> {
  const defaults = Object.fromEntries(
    Object.entries(stage.inputs).map(([k, v]) => [
      k,
      v.default ?? (v.type === 'boolean' ? false : v.type === 'number' ? 0 : ''),
    ]),
  );
  const received = stage.secretsOf(secrets);
  // A composite's inputs are strings.
  const typed = stage.file.endsWith('action.yml')
    ? Object.fromEntries(Object.entries({ ...defaults, ...given }).map(([k, v]) => [k, String(v)]))
    : { ...defaults, ...given };
  const base = {
    inputs: { ...typed, ...received.inputs },
    secrets: received.secrets,
    github: { sha: SHA, event_name: 'push', ref_name: 'main', token: 'gh-token' },
    vars: {},
    needs: {},
    matrix: {},
    strategy: {},
    runner: {},
    job: { status: 'success' },
  };
  const steps = Object.fromEntries(
    stage.steps
      .filter((s) => s.id)
      .map((s) => [
        s.id,
        {
          outputs: {
            'deployment-id': 'dpl_1',
            url: 'https://app-abc.example.dev',
            'environment-url': 'https://app.example.com',
            release: '{}',
            dir: '/tmp/x',
          },
          outcome: 'success',
          conclusion: 'success',
        },
      ]),
  );
  return { ...base, env: stage.envOf(base), steps };
}

const isSmokeTest = (step: Doc) => String(step.uses ?? '').endsWith('/actions/smoke-test');
/** The "Check the bake settings" step: smoke-test in mode validate, before anything deploys. */
export const validateStep = (stage: ProductionStage) =>
  stage.steps.find((s) => isSmokeTest(s) && s.with?.mode === 'validate')!;
export const bakeStep = (stage: ProductionStage) => stage.steps.find((s) => s.id === 'bake')!;
export const preflightStep = (stage: ProductionStage) => stage.steps.find((s) => s.id === 'preflight')!;
/** The first step that changes anything outside the job: a migration, a functions deploy or the deploy itself. */
export const firstChange = (stage: ProductionStage) =>
  stage.steps.findIndex((s) => ['migrate', 'functions', 'deploy'].includes(s.id));

/** The step's inputs as the runner would resolve them, read the way the action reads them. */
export function withOf(
  step: Doc,
  context: Record<string, unknown>,
  status: Status = 'success',
): (name: string) => string {
  const given = Object.fromEntries(
    Object.entries<unknown>(step.with ?? {}).map(([k, v]) => [k, String(resolve(v, context, status) ?? '')]),
  );
  return (name) => given[name] ?? '';
}
