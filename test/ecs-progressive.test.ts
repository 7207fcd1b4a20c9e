// deploy (provider ecs) with ECS's native canary strategy, through its bundle: the real @aws-sdk/client-ecs against
// the loopback ECS whose service deployments move through lifecycle stages and pause at PAUSE hooks, whose production
// and test listeners serve the old (blue) or new (green) revision by the traffic share of the moment, and the
// loopback GitHub (the ledger). shipline judges each pause on the listeners and answers ContinueServiceDeployment.
import { beforeAll, describe, expect, test } from '@jest/globals';
import { type RunOptions, runBundle } from '../cli/local-runner.js';
import { awsEnvironment, type FakeEcs } from '../cli/sandbox/ecs.js';
import { progressiveConfiguration } from '../shared/providers/ecs.js';
import { progressiveRollout, progressiveRules } from '../actions/deploy/src/progressive.js';
import { readDeployInputs } from '../actions/deploy/src/inputs.js';
import type { FakeGitHub } from '../cli/sandbox/github.js';
import { ecrImage, ecsCanaryInputs, ecsRolloutStandIns, rolloutSettled, runOnStandIns } from './support-ecs.js';
import { errors, expectNoSecrets } from './support.js';
import { eventually, until } from './support-waits.js';

let ecs: FakeEcs;
let github: FakeGitHub;
const standIns = ecsRolloutStandIns();
beforeAll(() => {
  ({ ecs, github } = standIns);
});

const settled = () => rolloutSettled(ecs);

const sha = (n: number) => n.toString(16).padStart(4, '0').padEnd(40, 'e');
const image = ecrImage;

/** A canary of 10% with a pause before each production shift; a canary bake of 1 "minute". */
const canary = (tag: string, extra: RunOptions['inputs'] = {}): RunOptions['inputs'] => ({
  ...ecsCanaryInputs(standIns, tag),
  'verify-window': '3s',
  'verify-interval': '50ms',
  'verify-max-error-rate': '5%',
  ...extra,
});

const deploy = (inputs: RunOptions['inputs'], commit: string, extra: Partial<RunOptions> = {}) =>
  runOnStandIns(standIns, 'deploy', inputs, commit, extra);

/** The ledger's statuses of a release, oldest first, as [state, description]. */
function statusesOf(releaseId: string): [string, string][] {
  const entry = github.deployments.find((d) => (d.payload as { release?: { id?: string } }).release?.id === releaseId);
  return [...(entry?.statuses ?? [])].reverse().map((s) => [s.state, s.description]);
}

const greenOf = (tag: string) =>
  [...ecs.taskDefinitions.values()].find((td) => td.containerDefinitions[0].image === image(tag))
    ?.taskDefinitionArn as string;

describe('ECS canary driven by shipline verdicts', () => {
  test('errors at the canary share: shipline answers ROLLBACK at the pause, ECS rolls back before the next shift; the ledger says "stopped at 10%"', async () => {
    const blue = ecs.primaryTaskDefinition();
    ecs.apps.set(image('bad'), 'errors');
    const result = await deploy(canary('bad'), sha(1));
    expect(result.exitCode).not.toBe(0);
    const green = greenOf('bad');
    const sd = ecs.serviceDeployments[0];
    expect(sd?.target.taskDefinition).toBe(green);
    expect(sd?.status).toBe('ROLLBACK_SUCCESSFUL');
    expect(sd?.stoppedAtPercent).toBe(10);
    expect(sd?.rollback?.reason).toBe('ContinueServiceDeployment ROLLBACK');
    // What production served: blue only until the canary shift, then 10% green (its 500s), never more; blue again after.
    const production = ecs.served.filter((s) => s.listener === 'production');
    expect(production.filter((s) => s.productionWeight > 10)).toEqual([]);
    const atCanary = production.filter((s) => s.productionWeight === 10);
    // The window ends at the first canary failure: one of them already puts the new release over the limit.
    expect(atCanary.length).toBeGreaterThanOrEqual(10);
    const greenShare = atCanary.filter((s) => s.taskDefinition === green).length / atCanary.length;
    expect(greenShare).toBeGreaterThan(0.05);
    expect(greenShare).toBeLessThanOrEqual(0.1);
    expect(atCanary.filter((s) => s.taskDefinition === green).every((s) => s.status === 500)).toBe(true);
    expect(production.filter((s) => s.productionWeight === 0).every((s) => s.taskDefinition === blue)).toBe(true);
    expect(ecs.primaryTaskDefinition()).toBe(blue);
    expect(ecs.stable()).toBe(true);
    const after = await fetch(ecs.listeners.production);
    expect(after.headers.get('x-task-definition')).toBe(blue);

    // The ledger: the first pause (no production share, no test listener given: not measured) passed, the canary
    // failed, and the release is recorded as stopped at 10%.
    const statuses = statusesOf(green);
    expect(statuses.map(([state]) => state)).toEqual(['in_progress', 'in_progress', 'in_progress', 'failure']);
    expect(statuses[0]?.[1]).toBe(`ecs ${green}`);
    expect(statuses[1]?.[1]).toMatch(/^0% of production: pass, not measured/);
    expect(statuses[2]?.[1]).toMatch(/^10% of production: FAIL, .*error rate/);
    expect(statuses[3]?.[1]).toMatch(/stopped at 10% of production traffic/);
    expect(github.ledger('production')[0]).toMatchObject({ release: green, state: 'failure' });
    expect(errors(result).join('\n')).toMatch(/stopped at 10% of production traffic: shipline's verdict at 10%/);
    // The summary: the progression as a chart and a table.
    expect(result.summary).toContain('```mermaid');
    expect(result.summary).toContain('x-axis ["pause 1", "pause 2", "rolled back"]');
    expect(result.summary).toContain('bar [0, 10, 0]');
    expect(result.summary).toContain('Stopped at 10% of production traffic');
    expect(ecs.overlappingRollouts).toBe(0);
    expectNoSecrets(result, [ecs.secretAccessKey, github.token]);
  });

  test('a healthy canary passes each pause (test listener first, then the canary share) and completes: recorded live', async () => {
    const result = await deploy(canary('good', { 'verify-test-url': ecs.listeners.test }), sha(2));
    expect(errors(result)).toEqual([]);
    expect(result.exitCode).toBe(0);
    const green = greenOf('good');
    expect(ecs.serviceDeployments[0]).toMatchObject({ status: 'SUCCESSFUL', target: { taskDefinition: green } });
    expect(ecs.primaryTaskDefinition()).toBe(green);
    // Measured where green served alone: the test listener, before the canary shift and at the canary share.
    expect(ecs.served.some((s) => s.listener === 'test' && s.taskDefinition === green)).toBe(true);
    expect(ecs.served.some((s) => s.listener === 'test' && s.productionWeight === 10)).toBe(true);
    const statuses = statusesOf(green);
    expect(statuses.map(([state]) => state)).toEqual(['in_progress', 'in_progress', 'in_progress', 'success']);
    expect(statuses[1]?.[1]).toMatch(/^0% of production: pass, \d+ requests, error rate 0%/);
    expect(statuses[2]?.[1]).toMatch(/^10% of production: pass, \d+ requests, error rate 0%/);
    expect(statuses[3]?.[1]).toBe(`live: ${green}`);
    expect(result.summary).toContain('bar [0, 10, 100]');
    expect(result.summary).toContain('Completed: the new release serves all production traffic.');
  });

  test('a deploy killed at a pause leaves a rollout the next deploy rolls back first: never two rollouts, the ledger closed', async () => {
    const blue = ecs.primaryTaskDefinition();
    let killed = false;
    const first = deploy(canary('orphan', { 'verify-window': '30s', 'verify-interval': '1s' }), sha(3), {
      onSpawn: (child) => {
        void eventually(
          (async () => {
            await until('the first pause to be answered and the canary share reached', () =>
              ecs.serviceDeployments.find(
                (sd) => sd.status === 'IN_PROGRESS' && sd.productionWeight === 10 && sd.hooks.length === 2,
              ),
            );
            child.kill('SIGKILL');
            killed = true;
          })(),
          'the rollout to reach its second pause',
        );
      },
    });
    const killedRun = await first;
    expect(killed).toBe(true);
    expect(killedRun.signal).toBe('SIGKILL');
    const orphan = ecs.serviceDeployments[0];
    expect(orphan?.status).toBe('IN_PROGRESS');
    const orphanRelease = orphan?.target.taskDefinition as string;
    // On record, in progress, with the first pause's verdict: the run died judging the second.
    expect(statusesOf(orphanRelease).map(([state]) => state)).toEqual(['in_progress', 'in_progress']);

    const next = await deploy(canary('next', { 'verify-test-url': ecs.listeners.test }), sha(4));
    expect(errors(next)).toEqual([]);
    expect(next.exitCode).toBe(0);
    // The orphan was rolled back (at its pause, by ROLLBACK) before the next rollout started: no overlap.
    expect(orphan?.status).toBe('ROLLBACK_SUCCESSFUL');
    expect(ecs.overlappingRollouts).toBe(0);
    expect(ecs.serviceDeployments[0]?.status).toBe('SUCCESSFUL');
    expect(ecs.serviceDeployments[0]?.source.taskDefinition).toBe(blue);
    expect(ecs.primaryTaskDefinition()).toBe(greenOf('next'));
    expect(statusesOf(orphanRelease).at(-1)).toEqual([
      'failure',
      expect.stringMatching(/^stopped at 10%: ContinueServiceDeployment ROLLBACK/),
    ]);
    expect(next.stdout).toMatch(/is still IN_PROGRESS at 10%.*rolling it back before deploying/);
  });

  test('a pause nobody answers (its run killed) times out and ECS rolls back by itself; the next deploy closes the record', async () => {
    const blue = ecs.primaryTaskDefinition();
    const first = deploy(
      canary('stuck', { 'ecs-pause-timeout': '2m', 'verify-test-url': ecs.listeners.test }),
      sha(5),
      {
        onSpawn: (child) => {
          void eventually(
            until('the first pause', () =>
              ecs.serviceDeployments.find((sd) => sd.status === 'IN_PROGRESS' && sd.hooks.length === 1),
            ),
            'the first pause',
          ).then(() => child.kill('SIGKILL'));
        },
      },
    );
    expect((await first).signal).toBe('SIGKILL');
    const stuck = ecs.serviceDeployments[0];
    const stuckRelease = stuck?.target.taskDefinition as string;
    // Nobody answers: at the hook's timeout (2 "minutes") ECS takes its timeout action, ROLLBACK.
    await until('ECS to roll the unanswered pause back', () => settled() && stuck?.status === 'ROLLBACK_SUCCESSFUL');
    expect(stuck?.hooks.map((h) => h.status)).toEqual(['TIMED_OUT']);
    expect(ecs.primaryTaskDefinition()).toBe(blue);
    expect(ecs.served.filter((s) => s.listener === 'production' && s.taskDefinition !== blue)).toEqual([]);

    const next = await deploy(canary('after-timeout'), sha(6));
    expect(next.exitCode).toBe(0);
    expect(statusesOf(stuckRelease).at(-1)).toEqual([
      'failure',
      expect.stringMatching(/^stopped: ECS ROLLBACK_SUCCESSFUL: lifecycle hook .* timed out/),
    ]);
  });
});

describe('shipline never leaves a rollout it can no longer judge', () => {
  test('its deadline passing between pauses (the bake after the last shift): StopServiceDeployment ROLLBACK, and the step fails saying so', async () => {
    const blue = ecs.primaryTaskDefinition();
    const result = await deploy(
      canary('slow', { 'wait-timeout': '5s', 'ecs-bake-time': '30m', 'verify-window': '1s' }),
      sha(8),
    );
    expect(result.exitCode).not.toBe(0);
    const sd = ecs.serviceDeployments[0];
    expect(sd?.target.taskDefinition).toBe(greenOf('slow'));
    await until('ECS to finish the rollback', () => settled() && sd?.status === 'ROLLBACK_SUCCESSFUL');
    expect(sd?.rollback?.reason).toBe('StopServiceDeployment ROLLBACK');
    expect(errors(result).join('\n')).toMatch(
      /did not finish before the deadline.*shipline asked ECS to roll the service back/,
    );
    expect(ecs.primaryTaskDefinition()).toBe(blue);
    expect(ecs.overlappingRollouts).toBe(0);
  });
});

describe('after a progressive deploy', () => {
  test("rollback restores the previous revision without stopping at the service's PAUSE hook (a verdict nobody would give)", async () => {
    const deployed = await deploy(canary('live-then-back'), sha(9));
    expect(deployed.exitCode).toBe(0);
    const live = greenOf('live-then-back');
    expect(ecs.primaryTaskDefinition()).toBe(live);
    const result = await runBundle({
      action: 'rollback',
      inputs: {
        provider: 'ecs',
        cluster: ecs.cluster,
        service: ecs.serviceName,
        'github-token': github.token,
        'wait-timeout': '60s',
      },
      env: { ...awsEnvironment(ecs), GITHUB_API_URL: github.url, GITHUB_REPOSITORY: github.repository },
      event: { name: 'workflow_dispatch', payload: { inputs: {} } },
      timeoutMs: 90_000,
    });
    expect(errors(result)).toEqual([]);
    expect(result.exitCode).toBe(0);
    const back = ecs.serviceDeployments[0];
    expect(back?.source.taskDefinition).toBe(live);
    expect(back?.status).toBe('SUCCESSFUL');
    // No pause in the rollback's rollout: the PAUSE hook was left out of its deploymentConfiguration.
    expect(back?.hooks).toEqual([]);
    expect(back?.configuration.lifecycleHooks).toEqual([]);
    expect(ecs.primaryTaskDefinition()).not.toBe(live);
  });
});

describe('progressiveConfiguration (what UpdateService is sent)', () => {
  test("the strategy and shipline's one PAUSE hook, with ROLLBACK at its timeout; the user's alarms, circuit breaker and Lambda hooks kept", () => {
    const lambda = {
      targetType: 'AWS_LAMBDA' as const,
      hookTargetArn: 'arn:aws:lambda:eu-west-1:123456789012:function:check',
      lifecycleStages: ['POST_SCALE_UP' as const],
    };
    const configured = progressiveConfiguration(
      {
        deploymentCircuitBreaker: { enable: true, rollback: true },
        alarms: { alarmNames: ['api-5xx'], enable: true, rollback: true },
        lifecycleHooks: [lambda, { targetType: 'PAUSE', lifecycleStages: ['POST_SCALE_UP'] }],
      },
      {
        strategy: 'CANARY',
        canaryPercent: 10,
        stepBakeMinutes: 5,
        bakeMinutes: 5,
        pauseStages: ['PRE_PRODUCTION_TRAFFIC_SHIFT'],
        pauseTimeoutMinutes: 30,
      },
    );
    expect(configured).toEqual({
      deploymentCircuitBreaker: { enable: true, rollback: true },
      alarms: { alarmNames: ['api-5xx'], enable: true, rollback: true },
      strategy: 'CANARY',
      bakeTimeInMinutes: 5,
      canaryConfiguration: { canaryPercent: 10, canaryBakeTimeInMinutes: 5 },
      lifecycleHooks: [
        lambda,
        {
          targetType: 'PAUSE',
          lifecycleStages: ['PRE_PRODUCTION_TRAFFIC_SHIFT'],
          timeoutConfiguration: { timeoutInMinutes: 30, action: 'ROLLBACK' },
        },
      ],
    });
  });
});

describe('inputs of a progressive rollout', () => {
  test('every problem named at once, before anything changes', async () => {
    const calls = ecs.calls.length;
    const result = await deploy(
      {
        ...canary('never'),
        'verify-url': '',
        'ecs-linear-step-percent': '5',
        'ecs-pause-at': 'production-traffic-shift',
        'ecs-bake-time': '90s',
        'verify-window': '30m',
      },
      sha(7),
    );
    expect(result.exitCode).not.toBe(0);
    const text = errors(result).join('\n');
    expect(text).toMatch(/Input 'verify-url' is required with a progressive ecs-strategy/);
    expect(text).toMatch(/Input 'ecs-linear-step-percent' is only for ecs-strategy linear/);
    expect(text).toMatch(/Input 'ecs-pause-at' must name lifecycle stages from/);
    expect(text).toMatch(/Input 'ecs-bake-time' must be whole minutes/);
    expect(text).toMatch(/Input 'verify-window' \(30m\) must end at least a minute before 'ecs-pause-timeout'/);
    expect(ecs.calls.length).toBe(calls);
  });

  test('the rules, one by one (in process)', () => {
    const base = { provider: 'ecs', 'ecs-strategy': 'canary', 'verify-url': 'https://api.example.com' };
    expect(progressiveRules(base)).toEqual([]);
    expect(progressiveRules({ ...base, 'verify-window': '30m' })).toEqual([
      "Input 'verify-window' (30m) must end at least a minute before 'ecs-pause-timeout' (30m): the pause rolls back by itself at its timeout",
    ]);
    expect(progressiveRules({ ...base, 'verify-url': 'ftp://x' })).toEqual([
      "Input 'verify-url' must be an http(s) URL (a listener of the service's load balancer), like https://api.example.com",
    ]);
    expect(progressiveRules({ ...base, 'ecs-pause-at': 'production-traffic-shift' })[0]).toMatch(
      /^Input 'ecs-pause-at' must name lifecycle stages from post-scale-up, post-test-traffic-shift, pre-production-traffic-shift, post-production-traffic-shift/,
    );
    expect(progressiveRules({ provider: 'vercel', 'ecs-strategy': 'canary', 'verify-url': 'https://x.dev' })).toEqual([
      "Input 'ecs-strategy' is only for provider ecs",
    ]);
    expect(progressiveRules({ provider: 'ecs', 'verify-url': 'https://x.dev' })).toEqual([
      "Input 'verify-url' is only for a progressive rollout: set ecs-strategy to blue-green, canary or linear",
    ]);
  });

  test('what the inputs become: the rollout UpdateService asks for', () => {
    const read = (values: Record<string, string>) => (name: string) => values[name] ?? '';
    const inputs = readDeployInputs(
      read({
        provider: 'ecs',
        cluster: 'production',
        service: 'api',
        target: 'production',
        'ecs-strategy': 'linear',
        'ecs-linear-step-percent': '20%',
        'ecs-step-bake-time': '2m',
        'ecs-bake-time': '1h',
        'ecs-pause-at': 'post-test-traffic-shift, pre-production-traffic-shift',
        'ecs-pause-timeout': '45m',
        'verify-url': 'https://api.example.com',
      }),
    );
    expect(progressiveRollout(inputs)).toEqual({
      strategy: 'LINEAR',
      linearStepPercent: 20,
      stepBakeMinutes: 2,
      bakeMinutes: 60,
      pauseStages: ['POST_TEST_TRAFFIC_SHIFT', 'PRE_PRODUCTION_TRAFFIC_SHIFT'],
      pauseTimeoutMinutes: 45,
    });
    expect(progressiveRollout(readDeployInputs(read({ provider: 'ecs', cluster: 'c', service: 's' })))).toBeUndefined();
  });
});
