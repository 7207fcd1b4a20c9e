// Production credentials are readable only by a job that names the protected production environment: the rule,
// checked over every workflow and template, and the pieces that make it hold — the stage composites (generated
// from the workflows' stage jobs, and running the same steps for every stage, provider and job status), the
// pipeline that stops before production, the preview that builds without a token, and the safety net that rolls
// back by commit when the production job wrote no outputs. Expressions are evaluated with @actions/expressions.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import { renderComposite, STAGE_ACTIONS } from '../scripts/stage-actions.mjs';
import { resolve, runs, type Status } from './workflow-expressions.js';

type Doc = Record<string, any>;
const root = fileURLToPath(new URL('..', import.meta.url));
const load = (file: string): Doc => parse(readFileSync(join(root, file), 'utf8')) as Doc;
const yamlFiles = (folder: string) =>
  readdirSync(join(root, folder))
    .filter((f) => /\.ya?ml$/.test(f))
    .map((f) => `${folder}/${f}`);
const workflows = [...yamlFiles('.github/workflows'), ...yamlFiles('workflow-templates')].map((file) => ({
  file,
  doc: load(file),
}));
const templates = workflows.filter(({ file }) => file.startsWith('workflow-templates/'));
const deployEnvironment = load('.github/workflows/deploy-environment.yml');
const stage = load('actions/stage/action.yml');
const stageRollback = load('actions/stage-rollback/action.yml');
const pipeline = load('.github/workflows/pipeline.yml');

/** A secret whose name marks it as production's. */
const PRODUCTION_NAME = /(^|_)PROD(UCTION)?(_|$)/i;
/** Inputs of the stage actions and secrets of the stage workflows that can change what an environment serves. */
const CREDENTIALS = ['deploy-token', 'database-url', 'aws-role-to-assume', 'supabase-access-token', 'build-env'];
const CREDENTIAL_SECRETS = ['DEPLOY_TOKEN', 'DATABASE_URL', 'AWS_ROLE_TO_ASSUME', 'SUPABASE_ACCESS_TOKEN', 'BUILD_ENV'];

const secretsRead = (value: unknown): string[] =>
  [...JSON.stringify(value ?? null).matchAll(/\bsecrets\.([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]!);
const stageSteps = (job: Doc, action: RegExp) =>
  ((job.steps ?? []) as Doc[]).filter((s) => action.test(String(s.uses ?? '')));

describe('production credentials', () => {
  it('are read only in jobs that name an environment: no job without one, and no call of a reusable workflow, reads a production secret', () => {
    const findings: string[] = [];
    for (const { file, doc } of workflows) {
      for (const [id, job] of Object.entries<Doc>(doc.jobs ?? {})) {
        // A job that calls a reusable workflow cannot name an environment (GitHub refuses the key there).
        if (job.environment && !job.uses) continue;
        for (const name of secretsRead(job))
          if (PRODUCTION_NAME.test(name)) findings.push(`${file}: ${id} reads secrets.${name}`);
      }
    }
    expect(findings).toEqual([]);
  });

  it('never reach a production stage through a reusable workflow: the pipeline has no production secret and no production job', () => {
    const secrets = Object.keys(pipeline.on.workflow_call.secrets);
    expect(secrets.filter((name) => PRODUCTION_NAME.test(name))).toEqual([]);
    // The credentials it takes are staging's, by name.
    for (const name of secrets.filter((n) => CREDENTIAL_SECRETS.some((c) => n.endsWith(c))))
      expect(name).toMatch(/^STAGING_/);
    // Its environment jobs are previews and staging only; no rollback of production either.
    const stages = Object.values<Doc>(pipeline.jobs)
      .filter((job) => String(job.uses ?? '').endsWith('deploy-environment.yml'))
      .map((job) => job.with.stage);
    expect(stages.sort()).toEqual(['preview', 'staging']);
    expect(Object.values<Doc>(pipeline.jobs).filter((job) => String(job.uses ?? '').endsWith('rollback.yml'))).toEqual(
      [],
    );
    // No template calls a stage workflow for production, or the rollback workflow, with a credential.
    for (const { file, doc } of templates) {
      for (const [id, job] of Object.entries<Doc>(doc.jobs)) {
        const called = String(job.uses ?? '');
        const production =
          called.endsWith('/rollback.yml@v1') ||
          (called.endsWith('/deploy-environment.yml@v1') && job.with?.stage === 'production');
        if (production)
          expect({
            file,
            id,
            credentials: Object.keys(job.secrets ?? {}).filter((k) => CREDENTIAL_SECRETS.includes(k)),
          }).toEqual({ file, id, credentials: [] });
      }
    }
  });

  it("reach the stage actions only in jobs that name an environment, from that environment's secrets", () => {
    let stages = 0;
    for (const { file, doc } of templates) {
      for (const [id, job] of Object.entries<Doc>(doc.jobs)) {
        for (const step of stageSteps(job, /^shipline\/shipline\/actions\/stage(-rollback)?@/)) {
          stages++;
          const environment = typeof job.environment === 'string' ? job.environment : job.environment?.name;
          expect({
            file,
            id,
            environment: Boolean(environment),
            matches: step.with.environment === environment,
          }).toEqual({ file, id, environment: true, matches: true });
          for (const input of CREDENTIALS.filter((key) => step.with[key] !== undefined)) {
            expect({ file, id, input, from: step.with[input] }).toEqual({
              file,
              id,
              input,
              from: expect.stringMatching(/^\$\{\{ secrets\.[A-Z_]+ \}\}$/),
            });
          }
        }
      }
    }
    // Production and its safety net in each deploy template, and the manual rollback.
    expect(stages).toBeGreaterThanOrEqual(11);
  });

  it('previews and staging: the preview build gets no token, staging only its own', () => {
    const prepare = (deployEnvironment.jobs.release.steps as Doc[]).find((s) => s.name === 'Prepare')!;
    const context = (stageName: string) => ({
      inputs: { stage: stageName },
      secrets: { DEPLOY_TOKEN: 'tok' },
      env: { TARGET: 'preview' },
      github: {},
      vars: {},
    });
    expect(resolve(prepare.env.DEPLOY_TOKEN, context('preview'))).toBe('');
    expect(resolve(prepare.env.DEPLOY_TOKEN, context('staging'))).toBe('tok');
    // The pipeline hands the preview only the preview's own prepare command, and no build secrets.
    expect(pipeline.jobs.preview.with['prepare-command']).toBe('${{ inputs.preview-prepare-command }}');
    expect(pipeline.jobs.preview.secrets.BUILD_ENV).toBeUndefined();
    for (const job of [pipeline.jobs.preview, pipeline.jobs.staging]) {
      for (const value of Object.values<string>(job.secrets))
        for (const name of secretsRead(value)) expect(name).not.toMatch(PRODUCTION_NAME);
    }
  });
});

describe('the stage actions', () => {
  it('are what the build generates from the stage jobs (edit the workflow, not the action)', () => {
    for (const spec of STAGE_ACTIONS)
      expect(readFileSync(join(root, spec.action, 'action.yml'), 'utf8')).toBe(renderComposite(root, spec));
  });

  /** The steps of a job (by name) that run for these inputs in this status, as the runner evaluates their if:. */
  function ranInJob(given: Record<string, unknown>, status: Status): string[] {
    const declared: Doc = deployEnvironment.on.workflow_call.inputs;
    const inputs = {
      ...Object.fromEntries(
        Object.entries<Doc>(declared).map(([k, v]) => [k, v.default ?? (v.type === 'boolean' ? false : '')]),
      ),
      ...given,
    };
    const job: Doc = deployEnvironment.jobs.release;
    const base = {
      inputs,
      secrets: { DEPLOY_TOKEN: 't', SLACK_WEBHOOK_URL: 'w' },
      github: { event_name: 'push', ref_name: 'main', event: {} },
      vars: {},
      job: { status },
    };
    const env = Object.fromEntries(Object.entries<unknown>(job.env).map(([k, v]) => [k, String(resolve(v, base))]));
    return steps(job.steps, { ...base, env }, status);
  }

  /** The same for the composite, whose inputs are all strings (as the runner hands them over). */
  function ranInComposite(given: Record<string, unknown>, status: Status): string[] {
    const inputs: Record<string, string> = {
      ...Object.fromEntries(Object.entries<Doc>(stage.inputs).map(([k, v]) => [k, String(v.default ?? '')])),
      ...Object.fromEntries(Object.entries(given).map(([k, v]) => [k, String(v)])),
    };
    inputs['deploy-token'] = 't';
    inputs['slack-webhook-url'] = 'w';
    const base = { inputs, github: { event_name: 'push', ref_name: 'main', event: {} }, vars: {}, job: { status } };
    const settings = (stage.runs.steps as Doc[])[0]!;
    const env = Object.fromEntries(
      Object.entries<unknown>(settings.env).map(([k, v]) => [k, String(resolve(v, base))]),
    );
    return steps((stage.runs.steps as Doc[]).slice(1), { ...base, env }, status).filter(
      (name) => name !== "shipline's actions from this action's commit",
    );
  }

  function steps(list: Doc[], context: Record<string, unknown>, status: Status): string[] {
    const outputs = { 'deployment-id': 'dpl_1', url: 'https://x', changed: 'true', result: 'failed' };
    const ids = Object.fromEntries(
      list.filter((s) => s.id).map((s) => [s.id, { outputs, outcome: 'success', conclusion: 'success' }]),
    );
    return list
      .filter((s) => runs(s.if, { ...context, steps: ids }, status))
      .map((s) => String(s.name ?? s.id))
      .filter((name) => !/^(Check out shipline|Locate shipline)/.test(name));
  }

  it('run the same steps as the workflow for every stage, provider, switch and job status', () => {
    const cases: Record<string, unknown>[] = [];
    for (const stageName of ['preview', 'staging', 'production']) {
      for (const provider of ['vercel', 'netlify', 'railway', 'ecs', 'supabase-functions']) {
        cases.push({ stage: stageName, provider, environment: stageName });
        cases.push({
          stage: stageName,
          provider,
          environment: stageName,
          migrate: true,
          'with-supabase-functions': true,
          'bake-window': '0s',
          'smoke-test': false,
          'rollback-on-failure': false,
          'slack-ts': '1.2',
        });
        cases.push({
          stage: stageName,
          provider,
          environment: stageName,
          migrate: false,
          'rollback-on-failure': true,
          'prepare-command': 'npm ci',
          'node-version': '24',
          'artifact-name': 'build',
        });
      }
    }
    for (const given of cases) {
      for (const status of ['success', 'failure', 'cancelled'] as const) {
        expect({ given, status, steps: ranInComposite(given, status) }).toEqual({
          given,
          status,
          steps: ranInJob(given, status),
        });
      }
    }
    // Not vacuous: switches change which steps run.
    expect(
      ranInComposite(
        { stage: 'production', provider: 'railway', environment: 'production', migrate: false },
        'success',
      ),
    ).not.toContain('Migrate');
    expect(
      ranInComposite({ stage: 'production', provider: 'railway', environment: 'production', migrate: true }, 'success'),
    ).toContain('Migrate');
  });

  it('take every input and secret of the stage workflows, and give every output', () => {
    for (const [action, file] of [
      [stage, '.github/workflows/deploy-environment.yml'],
      [stageRollback, '.github/workflows/rollback.yml'],
    ] as const) {
      const call = load(file).on.workflow_call;
      const jobLevel = new Set(['runs-on', 'timeout-minutes', 'shipline-repository', 'shipline-ref']);
      for (const key of Object.keys(call.inputs).filter((k) => !jobLevel.has(k)))
        expect({ file, key, offered: key in action.inputs }).toEqual({ file, key, offered: true });
      for (const key of Object.keys(call.secrets))
        expect({ file, key, offered: key.toLowerCase().replace(/_/g, '-') in action.inputs }).toEqual({
          file,
          key,
          offered: true,
        });
      expect(Object.keys(action.outputs).sort()).toEqual(Object.keys(call.outputs).sort());
      // Nothing of a workflow's own context is left that a composite cannot read.
      expect(JSON.stringify(action.runs.steps)).not.toMatch(/\bsecrets\.|job\.workflow_/);
    }
  });
});

describe('the safety net', () => {
  const template = load('workflow-templates/nextjs-vercel.yml');
  const net: Doc = template.jobs.rollback;

  it('runs after a production job that failed or was cancelled without settling, outputs or not, and rolls back by commit', () => {
    const would = (result: string, settled: string | undefined, ready = 'true') =>
      runs(
        net.if,
        {
          needs: {
            pipeline: { result: 'success', outputs: { 'production-ready': ready } },
            production: { result, outputs: settled === undefined ? {} : { settled } },
          },
          github: {},
          vars: {},
        },
        result === 'success' ? 'success' : 'failure',
      );
    // A lost runner or a killed job writes no outputs at all.
    expect(would('failure', undefined)).toBe(true);
    expect(would('cancelled', undefined)).toBe(true);
    // Its own rollback did not finish.
    expect(would('failure', 'false')).toBe(true);
    // Settled (rolled back in the job, or nothing was released), succeeded, or production never ran: nothing to do.
    expect(would('failure', 'true')).toBe(false);
    expect(would('cancelled', 'true')).toBe(false);
    expect(would('success', 'true')).toBe(false);
    expect(would('skipped', undefined, '')).toBe(false);
    const step = stageSteps(net, /stage-rollback@/)[0]!;
    expect(step.with['failed-commit']).toBe('${{ github.sha }}');
    expect(step.with['failed-deployment-id']).toBeUndefined();
    expect(net.environment).toBe('production');
  });

  it('is told by the production job whether it settled: a release that is neither good nor rolled back is not', () => {
    const settle = (deployEnvironment.jobs.release.steps as Doc[]).find((s) => s.id === 'settle')!;
    expect(settle.if).toBe('always()');
    const settled = (status: string, over: Doc = {}) => {
      const steps: Doc = {
        deploy: { outputs: { 'deployment-id': 'dpl_2' } },
        rollback: { outcome: 'skipped', outputs: {} },
        bake: { outcome: 'skipped', outputs: {} },
        ...over,
      };
      return resolve(settle.env.SETTLED, {
        job: { status },
        steps,
        env: { TARGET: 'production' },
        inputs: { 'rollback-on-failure': true },
      });
    };
    expect(settled('success')).toBe(true);
    expect(settled('failure', { rollback: { outcome: 'success', outputs: { changed: 'true' } } })).toBe(true);
    expect(settled('failure', { rollback: { outcome: 'failure', outputs: {} } })).toBe(false);
    expect(settled('cancelled', { rollback: { outcome: 'cancelled', outputs: {} } })).toBe(false);
    expect(settled('failure', { deploy: { outputs: {} } })).toBe(true);
    // A bake window that could not measure leaves the release live on purpose: nothing for the net to undo.
    expect(settled('failure', { bake: { outcome: 'failure', outputs: { result: 'invalid' } } })).toBe(true);
    expect(deployEnvironment.jobs.release.outputs.settled).toBe('${{ steps.settle.outputs.settled }}');
  });

  it('and the in-job rollback after a cancel: a short bound, no check of the restored release', () => {
    const rollback = (deployEnvironment.jobs.release.steps as Doc[]).find((s) => s.id === 'rollback')!;
    expect(resolve(rollback.with['wait-timeout'], { job: { status: 'cancelled' } })).toBe('3m');
    expect(resolve(rollback.with['wait-timeout'], { job: { status: 'failure' } })).toBe('5m');
    expect(resolve(rollback.with.verify, { job: { status: 'cancelled' } })).toBe(false);
    expect(resolve(rollback.with.verify, { job: { status: 'failure' } })).toBe(true);
  });
});

describe('the bake window after promotion', () => {
  const rollback = (deployEnvironment.jobs.release.steps as Doc[]).find((s) => s.id === 'rollback')!;
  const context = (bake: Doc) => ({
    inputs: { 'rollback-on-failure': true },
    env: { TARGET: 'staged' },
    steps: { deploy: { outputs: { 'deployment-id': 'dpl_2' } }, bake },
    job: { status: 'failure' },
  });

  it('rolls back only on a measured failure: a window that could not run leaves the release it did not measure', () => {
    expect(runs(rollback.if, context({ outcome: 'failure', outputs: { result: 'failed' } }), 'failure')).toBe(true);
    expect(runs(rollback.if, context({ outcome: 'failure', outputs: { result: 'invalid' } }), 'failure')).toBe(false);
    expect(runs(rollback.if, context({ outcome: 'failure', outputs: {} }), 'failure')).toBe(false);
    // Failures before the window (the smoke test, the promotion) still roll back.
    expect(runs(rollback.if, context({ outcome: 'skipped', outputs: {} }), 'failure')).toBe(true);
    expect(runs(rollback.if, context({ outcome: 'cancelled', outputs: {} }), 'cancelled')).toBe(true);
  });
});
