// Sentry release health in the workflows (issue 26, items 4 and 6): deploy-environment.yml and the production stage
// composite generated from it (actions/stage) take bake-sentry-crash-free-sessions, bake-sentry-crash-free-users
// and bake-sentry-health-min-sessions, check them in the preflight and in the "Check the bake settings" step
// (smoke-test mode validate), both before anything deploys, and hand them to the bake window under smoke-test's
// names, only when Sentry is on. Step values are resolved with GitHub's own expression evaluator and read through
// smoke-test's own input reader; the preflight's script runs in bash.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import { readSmokeTestInputs } from '../actions/smoke-test/src/inputs.js';
import { resolve, runs } from './workflow-expressions.js';
import { root, runScript } from './workflow-steps.js';

import {
  bakeStep,
  firstChange,
  type ProductionStage,
  STAGES,
  stageContext,
  validateStep,
  withOf,
} from './support-stage.js';

type Doc = Record<string, any>;

const load = (file: string): Doc => parse(readFileSync(join(root, file), 'utf8')) as Doc;

const TOKEN = 'sntrys_health-secret-token-0123456789';
const INPUTS = ['bake-sentry-crash-free-sessions', 'bake-sentry-crash-free-users', 'bake-sentry-health-min-sessions'];

type Stage = ProductionStage;

const contextOf = (stage: Stage, given: Record<string, unknown>, token = '') =>
  stageContext(stage, given, { SENTRY_AUTH_TOKEN: token });

const PRODUCTION = {
  environment: 'production',
  stage: 'production',
  provider: 'railway',
  project: 'prj_1',
  'smoke-paths': '/health',
};
const SENTRY_ON = { 'sentry-org': 'acme', 'sentry-project': 'web' };
const HEALTH = {
  'bake-sentry-crash-free-sessions': '99.5',
  'bake-sentry-crash-free-users': '99%',
  'bake-sentry-health-min-sessions': '50',
};

/** The problems smoke-test's reader finds in the step's inputs (none: []). */
function problemsOf(step: Doc, context: Record<string, unknown>): string[] {
  try {
    readSmokeTestInputs(withOf(step, context));
    return [];
  } catch (error) {
    return (error as { problems?: string[] }).problems ?? [String(error)];
  }
}

describe.each(STAGES)('$file: the bake window reads Sentry release health', (stage) => {
  it('declares the inputs, empty by default', () => {
    for (const name of INPUTS) expect({ name, default: stage.inputs[name]?.default }).toEqual({ name, default: '' });
  });

  it('hands them, with Sentry on, to the validate step and the bake window under smoke-test’s names, with the environment', () => {
    const context = contextOf(stage, { ...PRODUCTION, ...SENTRY_ON, ...HEALTH }, TOKEN);
    for (const step of [validateStep(stage), bakeStep(stage)]) {
      const read = readSmokeTestInputs(withOf(step, context));
      expect({ step: step.name, read }).toMatchObject({
        step: step.name,
        read: {
          'sentry-crash-free-sessions': 99.5,
          'sentry-crash-free-users': 99,
          'sentry-health-min-sessions': 50,
          'sentry-environment': 'production',
          'sentry-project': 'web',
          'sentry-token': TOKEN,
        },
      });
    }
    expect(readSmokeTestInputs(withOf(bakeStep(stage), context)).mode).toBe('watch');
  });

  it('checks them before anything deploys: the validate step refuses a threshold smoke-test cannot use', () => {
    expect(stage.steps.indexOf(validateStep(stage))).toBeLessThan(firstChange(stage));
    const refused = (given: Record<string, unknown>) =>
      problemsOf(validateStep(stage), contextOf(stage, { ...PRODUCTION, ...SENTRY_ON, ...given }, TOKEN)).join('\n');
    expect(refused({ 'bake-sentry-crash-free-sessions': '101' })).toMatch(
      /'sentry-crash-free-sessions' must be a percentage from 0 to 100/,
    );
    expect(refused({ 'bake-sentry-crash-free-users': '99.5 percent' })).toMatch(
      /'sentry-crash-free-users' must be a percentage/,
    );
    expect(refused({ 'bake-sentry-crash-free-users': '99', 'bake-sentry-health-min-sessions': '0' })).toMatch(
      /'sentry-health-min-sessions' must be a whole number from 1/,
    );
    expect(refused(HEALTH)).toBe('');
  });

  it('with Sentry off, passes nothing of them to any step (the preflight refuses them instead)', () => {
    const context = contextOf(stage, { ...PRODUCTION, ...HEALTH });
    for (const step of [validateStep(stage), bakeStep(stage)]) {
      const given = withOf(step, context);
      expect(INPUTS.map((n) => given(n.replace(/^bake-/, '')))).toEqual(['', '', '']);
    }
    // And the token reaches no step at all.
    for (const step of stage.steps.filter((s) => runs(s.if, context, 'success')))
      expect(JSON.stringify(Object.values(step.with ?? {}).map((v) => resolve(v, context)))).not.toContain(TOKEN);
  });

  it('the preflight refuses, before anything runs, a gate without Sentry, a number that is not one, a minimum without a gate', async () => {
    const preflight = stage.steps.find((s) => s.id === 'preflight')!;
    expect(stage.steps.indexOf(preflight)).toBeLessThan(firstChange(stage));
    expect(preflight.env).toMatchObject({
      BAKE_SENTRY_CRASH_FREE_SESSIONS: '${{ inputs.bake-sentry-crash-free-sessions }}',
      BAKE_SENTRY_CRASH_FREE_USERS: '${{ inputs.bake-sentry-crash-free-users }}',
      BAKE_SENTRY_HEALTH_MIN_SESSIONS: '${{ inputs.bake-sentry-health-min-sessions }}',
    });
    const env = (given: Record<string, string>) => ({
      STAGE: 'production',
      PROVIDER: 'railway',
      TARGET: 'production',
      ENVIRONMENT: 'production',
      MIGRATE: 'false',
      WITH_FUNCTIONS: 'false',
      SLACK_CHANNEL: '',
      PROJECT: 'p1',
      TEAM: '',
      RAILWAY_ENVIRONMENT: 'env-p',
      SERVICES: 's1',
      CLUSTER: '',
      SERVICE: '',
      AWS_REGION_INPUT: '',
      SUPABASE_PROJECT: '',
      FORBID: '',
      HAS_DEPLOY_TOKEN: 'true',
      HAS_DATABASE_URL: 'false',
      HAS_AWS_ROLE_TO_ASSUME: 'false',
      HAS_SUPABASE_ACCESS_TOKEN: 'false',
      HAS_SLACK_BOT_TOKEN: 'false',
      DATABASE_URL: '',
      SENTRY_ORG: 'acme',
      SENTRY_PROJECT: 'web',
      SENTRY_MAX_NEW_ISSUES: '',
      HAS_SENTRY_AUTH_TOKEN: 'true',
      BAKE_PROMETHEUS_GATES: '',
      BAKE_SENTRY_CRASH_FREE_SESSIONS: '',
      BAKE_SENTRY_CRASH_FREE_USERS: '',
      BAKE_SENTRY_HEALTH_MIN_SESSIONS: '',
      ...given,
    });
    const refusal = async (given: Record<string, string>) => {
      const r = await runScript(preflight.run, env(given));
      return { status: r.status === 0 ? 0 : 1, errors: r.log.split('\n').filter((l) => l.startsWith('::error')) };
    };
    const goods: Record<string, string>[] = [
      {},
      { BAKE_SENTRY_CRASH_FREE_SESSIONS: '99.5' },
      { BAKE_SENTRY_CRASH_FREE_USERS: '99%', BAKE_SENTRY_HEALTH_MIN_SESSIONS: '100' },
      { BAKE_SENTRY_CRASH_FREE_SESSIONS: '100', BAKE_SENTRY_CRASH_FREE_USERS: '0' },
    ];
    for (const good of goods) expect({ good, ...(await refusal(good)) }).toEqual({ good, status: 0, errors: [] });

    const bad = await refusal({
      BAKE_SENTRY_CRASH_FREE_SESSIONS: '101',
      BAKE_SENTRY_CRASH_FREE_USERS: 'high',
    });
    expect(bad.status).toBe(1);
    expect(bad.errors).toEqual([
      "::error title=shipline preflight::input bake-sentry-crash-free-sessions must be a percentage from 0 to 100, like 99.5 or 99.5% (the lowest crash-free share of the release's sessions in the bake window)",
      "::error title=shipline preflight::input bake-sentry-crash-free-users must be a percentage from 0 to 100, like 99.5 or 99.5% (the lowest crash-free share of the release's users in the bake window)",
    ]);
    const noSentry = await refusal({ SENTRY_PROJECT: '', BAKE_SENTRY_CRASH_FREE_USERS: '99' });
    expect(noSentry.errors.join('\n')).toContain('input bake-sentry-crash-free-users needs Sentry');
    const minimumAlone = await refusal({ BAKE_SENTRY_HEALTH_MIN_SESSIONS: '10' });
    expect(minimumAlone.errors.join('\n')).toContain(
      'input bake-sentry-health-min-sessions is for the release health gates',
    );
    const minimumZero = await refusal({ BAKE_SENTRY_CRASH_FREE_USERS: '99', BAKE_SENTRY_HEALTH_MIN_SESSIONS: '0' });
    expect(minimumZero.errors.join('\n')).toContain(
      'input bake-sentry-health-min-sessions must be a whole number from 1',
    );
  });
});

describe('the pipeline', () => {
  it('takes no bake gate: production is the caller’s stage job, where these are set', () => {
    const pipeline = load('.github/workflows/pipeline.yml');
    expect(Object.keys(pipeline.on.workflow_call.inputs).filter((k) => k.startsWith('bake-sentry'))).toEqual([]);
  });
});
