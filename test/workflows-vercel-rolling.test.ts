// Rolling releases in the workflows: deploy-environment.yml (and the stage composite generated from it) hands
// vercel-rolling-stages and the rolling-* inputs to the step where production traffic moves - the promote of a
// staged Vercel release, or a target production deploy - and its one Slack message carries the progression. The
// promote and notify steps run through their bundles with their `with:` resolved from the workflow's own
// expressions, against the loopback Vercel, GitHub and Slack.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { parse } from 'yaml';
import { runBundle } from '../cli/local-runner.js';
import { type FakeGitHub, startFakeGitHub } from '../cli/sandbox/github.js';
import { type FakeSlack, startFakeSlack } from '../cli/sandbox/slack.js';
import { type FakeVercel, startFakeVercel } from '../cli/sandbox/vercel.js';
import { resolve } from './workflow-expressions.js';
import { type Doc, loadWorkflow, root, runScript, stepOf } from './workflow-steps.js';
import { staticSite } from './support-vercel-rolling.js';
import { closedPort, errors, exampleEvent } from './support.js';

const workflow = loadWorkflow('.github/workflows/deploy-environment.yml');
const deployAction = parse(readFileSync(join(root, 'actions/deploy/action.yml'), 'utf8')) as Doc;
const stageAction = parse(readFileSync(join(root, 'actions/stage/action.yml'), 'utf8')) as Doc;
/** deploy's inputs that configure or judge a rolling release. */
const ROLLING = Object.keys(deployAction.inputs as Doc).filter((n) => /^(vercel-)?rolling-/.test(n));
/** Those a caller gives as secrets: the workflow reads secrets.X, the composite an input named after X. */
const FROM_SECRETS: Record<string, string> = {
  'rolling-prometheus-headers': 'PROMETHEUS_HEADERS',
  'rolling-datadog-api-key': 'DATADOG_API_KEY',
  'rolling-datadog-app-key': 'DATADOG_APP_KEY',
};
/** rolling-datadog-api-url points deploy at a loopback Datadog stand-in in tests; a pipeline talks to its Datadog site. */
const NOT_PIPELINE_INPUTS = ['rolling-datadog-api-url'];
const PIPELINE_ROLLING = ROLLING.filter((n) => !NOT_PIPELINE_INPUTS.includes(n));

describe('deploy-environment.yml passes the rolling release inputs where production traffic moves', () => {
  test('every rolling input of deploy is a workflow input (headers, Datadog keys: secrets), given to the promote', () => {
    expect(ROLLING).toEqual(
      expect.arrayContaining([
        'vercel-rolling-stages',
        'rolling-prometheus-gates',
        ...Object.keys(FROM_SECRETS),
        ...NOT_PIPELINE_INPUTS,
      ]),
    );
    const promote = stepOf(workflow, 'release', 'promote').with as Doc;
    const inputs = Object.fromEntries(PIPELINE_ROLLING.map((n) => [n, `value of ${n}`]));
    const secrets = Object.fromEntries(Object.values(FROM_SECRETS).map((s) => [s, `secret ${s}`]));
    const context = {
      inputs: { ...inputs, 'rolling-prometheus-gates': 'up < 1' },
      secrets,
      env: { SENTRY: 'true', TARGET: 'staged', STAGE_GATES: 'true' },
    };
    for (const name of PIPELINE_ROLLING) {
      const secret = FROM_SECRETS[name];
      if (!secret)
        expect((workflow.on.workflow_call.inputs as Doc)[name]).toMatchObject({ type: 'string', default: '' });
      const expected = secret
        ? `secret ${secret}`
        : name === 'rolling-prometheus-gates'
          ? 'up < 1'
          : `value of ${name}`;
      expect([name, resolve(promote[name], context)]).toEqual([name, expected]);
    }
    for (const name of NOT_PIPELINE_INPUTS) expect([name, promote[name]]).toEqual([name, undefined]);
  });

  test('the staged deploy gets no stages (its traffic moves at the promote); a target production deploy does', () => {
    const deploy = stepOf(workflow, 'release', 'deploy').with as Doc;
    const inputs = { 'vercel-rolling-stages': '5,25,100' };
    expect(resolve(deploy['vercel-rolling-stages'], { inputs, env: { TARGET: 'staged' } })).toBe('');
    expect(resolve(deploy['vercel-rolling-stages'], { inputs, env: { TARGET: 'production' } })).toBe('5,25,100');
    // The production gate (deploy's preflight) gets them on Vercel, to check their form before anything deploys.
    const gate = (workflow.jobs.release.steps as Doc[]).find((s) => s.with?.command === 'preflight') as Doc;
    const given = (provider: string) => ({ inputs: { ...inputs, provider } });
    expect(resolve(gate.with['vercel-rolling-stages'], given('vercel'))).toBe('5,25,100');
    expect(resolve(gate.with['vercel-rolling-stages'], given('railway'))).toBe('');
  });

  test("the production gate refuses stages that are not deploy's form, before anything deploys, and takes good ones", async () => {
    const gate = async (stages: string) =>
      runBundle({
        action: 'deploy',
        inputs: {
          command: 'preflight',
          provider: 'vercel',
          token: 'vercel-token',
          project: 'prj_1',
          'api-url': `http://127.0.0.1:${await closedPort()}`,
          'require-reviewers': 'false',
          'vercel-rolling-stages': stages,
        },
        event: exampleEvent('push', (p) => Boolean(p.head_commit)),
      });
    const result = await gate('5,50');
    expect(result.exitCode).not.toBe(0);
    expect(errors(result).join('\n')).toContain(
      "Input 'vercel-rolling-stages' must be traffic percentages that rise to 100, comma separated, like 5,25,100",
    );
    // Good stages are no problem of the preflight's (which then fails only on the closed port it asks).
    expect(errors(await gate('5,25,100')).join('\n')).not.toContain('vercel-rolling-stages');
  });

  test('the preflight names stages set for another provider or stage, where they would do nothing', async () => {
    const step = stepOf(workflow, 'release', 'preflight');
    const defaults = Object.fromEntries(
      Object.entries(workflow.on.workflow_call.inputs as Doc).map(([k, v]) => [k, (v as Doc).default ?? '']),
    );
    const problems = async (given: Record<string, string>) => {
      const context = { inputs: { ...defaults, project: 'prj_1', ...given }, secrets: {}, env: { TARGET: 'staged' } };
      const env = Object.fromEntries(
        Object.entries(step.env as Doc).map(([k, v]) => [k, String(resolve(v, context) ?? '')]),
      );
      const run = await runScript(String(step.run), env);
      return run.log;
    };
    const rolling = { 'vercel-rolling-stages': '5,25,100' };
    expect(await problems({ ...rolling, provider: 'railway', stage: 'production' })).toContain(
      "input vercel-rolling-stages is only for stage production on provider vercel (a rolling release of production traffic), got stage 'production' and provider 'railway'",
    );
    expect(await problems({ ...rolling, provider: 'vercel', stage: 'staging' })).toContain(
      'input vercel-rolling-stages is only for stage production on provider vercel',
    );
    expect(await problems({ ...rolling, provider: 'vercel', stage: 'production' })).not.toContain(
      'vercel-rolling-stages',
    );
  });

  test('the stage composite (generated from the workflow) takes the same inputs and passes them to its promote', () => {
    const steps = stageAction.runs.steps as Doc[];
    const promote = steps.find((s) => s.id === 'promote') as Doc;
    for (const name of PIPELINE_ROLLING) {
      const secret = FROM_SECRETS[name];
      const input = secret ? secret.toLowerCase().replaceAll('_', '-') : name;
      expect([name, Boolean((stageAction.inputs as Doc)[input])]).toEqual([name, true]);
      expect([name, String(promote.with[name]).includes(`inputs.${input}`)]).toEqual([name, true]);
    }
  });

  test('the Vercel starter template opts in to 5% → 25% → 100% through a variable', () => {
    const template = loadWorkflow('workflow-templates/nextjs-vercel.yml');
    const stage = (template.jobs.production.steps as Doc[]).find((s) => String(s.uses).includes('/actions/stage@'));
    expect(stage?.with['vercel-rolling-stages']).toBe('${{ vars.VERCEL_ROLLING_STAGES }}');
    expect(readFileSync(join(root, 'workflow-templates/nextjs-vercel.yml'), 'utf8')).toContain(
      'VERCEL_ROLLING_STAGES=5,25,100',
    );
  });
});

let vercel: FakeVercel;
let github: FakeGitHub;
let slack: FakeSlack;
beforeAll(async () => {
  [vercel, github, slack] = await Promise.all([
    startFakeVercel({ buildMs: 200, aliasJobMs: 200, aliasAssignMs: 100, stageShiftMs: 200 }),
    startFakeGitHub(),
    startFakeSlack(),
  ]);
});
afterAll(async () => {
  await Promise.all([vercel.close(), github.close(), slack.close()]);
});

/** Runs deploy with `with` (empty values dropped: the runner passes a missing value, null, as '', which deploy reads as unset). */
async function deployWith(withInputs: Record<string, unknown>) {
  const inputs = Object.fromEntries(
    Object.entries(withInputs).filter(([, v]) => v !== '' && v !== undefined && v !== null),
  ) as Record<string, string>;
  return runBundle({
    action: 'deploy',
    inputs,
    env: { GITHUB_API_URL: github.url, GITHUB_REPOSITORY: github.repository },
    event: exampleEvent('push', (p) => Boolean(p.head_commit)),
    timeoutMs: 90_000,
  });
}

describe("the rolling release's progression is a line of the one Slack message", () => {
  test('a release stopped at 5% by the promote: the message says so, from the workflow’s own expressions', async () => {
    const provider = {
      provider: 'vercel',
      token: vercel.token,
      project: vercel.projectId,
      team: vercel.teamId,
      'api-url': vercel.url,
      'github-token': github.token,
      environment: 'production',
    };
    expect(errors(await deployWith({ ...provider, target: 'production', dir: staticSite() }))).toEqual([]);
    const old = vercel.production();
    vercel.failRequestsOfNextDeployment();
    const staged = await deployWith({ ...provider, target: 'staged', dir: staticSite() });
    expect(errors(staged)).toEqual([]);

    // The Promote step, its inputs resolved as the runner resolves them for a production stage on Vercel.
    const step = stepOf(workflow, 'release', 'promote');
    const context = {
      inputs: {
        stage: 'production',
        provider: 'vercel',
        project: vercel.projectId,
        team: vercel.teamId,
        'api-url': vercel.url,
        environment: 'production',
        'wait-timeout': '30s',
        'vercel-rolling-stages': '5,25,100',
        'rolling-check-url': `${vercel.url}/__deployments/{deployment-id}/`,
        'rolling-requests': '10',
        'rolling-bake': '200ms',
        'rolling-stage-timeout': '20s',
      },
      secrets: { DEPLOY_TOKEN: vercel.token },
      env: { TARGET: 'staged', SENTRY: 'false', SLACK: 'true' },
      steps: { deploy: { outputs: staged.outputs }, migrate: { outputs: {} } },
    };
    const withInputs = Object.fromEntries(Object.entries(step.with as Doc).map(([k, v]) => [k, resolve(v, context)]));
    const promoted = await deployWith({ ...withInputs, 'github-token': github.token });
    expect(errors(promoted).join('\n')).toContain('stopped at 5%');
    expect(promoted.exitCode).not.toBe(0);
    expect(vercel.production()).toBe(old);
    expect(promoted.outputs.rollout).toMatch(/^stopped at 5%: 10 of 10 requests failed \(100%\)/);

    // Notify: the message expression of the workflow, with the steps' outputs as the failed job has them.
    const notifyStep = stepOf(workflow, 'release', /^Notify Slack$/);
    const steps = {
      ...context.steps,
      promote: { outputs: promoted.outputs },
      bake: {},
      rollback: { outputs: {} },
      smoke: { outputs: {} },
    };
    const message = resolve(notifyStep?.with.message, { ...context, steps }, 'failure') as string;
    expect(message).toMatch(/^Rolling release: stopped at 5%: 10 of 10 requests failed \(100%\)/);
    const notified = await runBundle({
      action: 'notify',
      inputs: { status: 'failure', environment: 'production', message, 'webhook-url': slack.webhookUrl },
      event: { name: 'workflow_dispatch', payload: { inputs: {} } },
    });
    expect(notified.exitCode).toBe(0);
    expect(JSON.stringify(slack.webhookMessages.at(-1))).toContain(
      'Rolling release: stopped at 5%: 10 of 10 requests failed (100%)',
    );
  }, 180_000);

  test('a completed rollout: "Rolling release: 5% healthy → 25% healthy → 100%." before the smoke summary; none without one', () => {
    const notifyStep = stepOf(workflow, 'release', /^Notify Slack$/);
    const steps = (rollout: string) => ({
      deploy: { outputs: {} },
      promote: { outputs: rollout ? { rollout } : {} },
      bake: { outcome: 'success' },
      rollback: { outputs: {} },
      smoke: { outputs: { summary: '2 checks passed' } },
    });
    const inputs = { provider: 'vercel' };
    expect(resolve(notifyStep?.with.message, { inputs, steps: steps('5% healthy → 25% healthy → 100%') })).toBe(
      'Rolling release: 5% healthy → 25% healthy → 100%. 2 checks passed',
    );
    expect(resolve(notifyStep?.with.message, { inputs, steps: steps('') })).toBe('2 checks passed');
  });
});
