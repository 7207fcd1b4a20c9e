// deploy (provider ecs) with target staged, then command promote, through the deploy bundle: the real
// @aws-sdk/client-ecs against the loopback ECS (service deployments through lifecycle stages, PAUSE hooks with their
// timeouts, production and test listeners serving the old or new revision by the traffic share of the moment) and
// the loopback GitHub (the ledger). A staged release waits at the pause after the test traffic shift: the test
// listener serves it, production does not; promote answers that pause CONTINUE and follows the rest.
import { beforeAll, describe, expect, test } from '@jest/globals';
import type { RunOptions } from '../cli/local-runner.js';
import type { FakeEcs } from '../cli/sandbox/ecs.js';
import type { FakeGitHub } from '../cli/sandbox/github.js';
import { ecrImage, ecsRolloutStandIns, rolloutSettled, runOnStandIns } from './support-ecs.js';
import { errors, expectNoSecrets } from './support.js';
import { eventually, until } from './support-waits.js';

let ecs: FakeEcs;
let github: FakeGitHub;
const standIns = ecsRolloutStandIns();
beforeAll(() => {
  ({ ecs, github } = standIns);
});

const settled = () => rolloutSettled(ecs);

const sha = (n: number) => n.toString(16).padStart(4, '0').padEnd(40, 'f');
const image = ecrImage;

const common = () => ({
  provider: 'ecs',
  cluster: ecs.cluster,
  service: ecs.serviceName,
  'github-token': github.token,
  'wait-timeout': '60s',
});

/** A staged blue/green release; its pause waits 24 "hours" unless told otherwise. */
const staged = (tag: string, extra: RunOptions['inputs'] = {}): RunOptions['inputs'] => ({
  ...common(),
  target: 'staged',
  images: `api=${image(tag)}`,
  'ecs-strategy': 'blue-green',
  'ecs-bake-time': '0m',
  'ecs-pause-timeout': '24h',
  'verify-window': '1s',
  'verify-interval': '50ms',
  ...extra,
});

const run = (inputs: RunOptions['inputs'], commit: string, extra: Partial<RunOptions> = {}) =>
  runOnStandIns(standIns, 'deploy', inputs, commit, extra);

const promote = (deploymentId: string, commit: string, extra: Partial<RunOptions> = {}) =>
  run({ ...common(), command: 'promote', 'deployment-id': deploymentId }, commit, extra);

/** The ledger's statuses of a release, oldest first, as [state, description]. */
function statusesOf(releaseId: string): [string, string][] {
  const entry = github.deployments.find((d) => (d.payload as { release?: { id?: string } }).release?.id === releaseId);
  return [...(entry?.statuses ?? [])].reverse().map((s) => [s.state, s.description]);
}

const greenOf = (tag: string) =>
  [...ecs.taskDefinitions.values()].find((td) => td.containerDefinitions[0].image === image(tag))
    ?.taskDefinitionArn as string;

/** Which revision a listener serves now. */
const serving = async (listener: string) => (await fetch(listener)).headers.get('x-task-definition');

const continues = () => ecs.calls.filter((c) => c.op === 'ContinueServiceDeployment').length;

describe('target staged on ECS', () => {
  test('the new revision waits at the test traffic shift: the test listener serves it, production the old one; promote makes production serve it and the ledger says live; a re-run of promote continues nothing', async () => {
    const blue = ecs.primaryTaskDefinition();
    const deployed = await run(staged('staged-good', { 'verify-test-url': ecs.listeners.test }), sha(1));
    expect(errors(deployed)).toEqual([]);
    expect(deployed.exitCode).toBe(0);
    const green = greenOf('staged-good');
    const sd = ecs.serviceDeployments[0];
    expect(sd).toMatchObject({ status: 'IN_PROGRESS', strategy: 'BLUE_GREEN', target: { taskDefinition: green } });
    // Paused after the test traffic shift, nobody's answer given yet: the test listener is green's, production blue's.
    expect(sd?.hooks.map((h) => [h.stage, h.status])).toEqual([['POST_TEST_TRAFFIC_SHIFT', 'AWAITING_ACTION']]);
    expect(sd?.configuration.lifecycleHooks).toEqual([
      {
        targetType: 'PAUSE',
        lifecycleStages: ['POST_TEST_TRAFFIC_SHIFT'],
        timeoutConfiguration: { timeoutInMinutes: 1440, action: 'ROLLBACK' },
      },
    ]);
    expect(await serving(ecs.listeners.production)).toBe(blue);
    expect(await serving(ecs.listeners.test)).toBe(green);
    // The verdict window ran on the test listener, where green served; production never served green.
    expect(ecs.served.some((s) => s.listener === 'test' && s.taskDefinition === green)).toBe(true);
    expect(ecs.served.filter((s) => s.listener === 'production' && s.taskDefinition !== blue)).toEqual([]);
    // What promote takes: the service deployment, and where the staged release answers.
    expect(deployed.outputs['deployment-id']).toBe(sd?.arn);
    expect(deployed.outputs.url).toBe(ecs.listeners.test);
    expect(deployed.outputs['previous-deployment-id']).toBe(blue);
    expect(statusesOf(green).at(-1)).toEqual(['in_progress', `staged: ready, awaiting promote (${green})`]);
    expect(github.ledger('production').find((e) => e.state === 'success')?.release).toBe(blue);
    // The pause's timeout is stated: not promoted by then, ECS rolls it back by itself.
    expect(deployed.summary).toMatch(
      /Promote by.*UTC: a staged release not promoted by then is rolled back by ECS itself/,
    );
    expect(deployed.stdout).toMatch(/at that moment ECS rolls it back by itself \(ecs-pause-timeout\)/);
    // Told as staged, neither live nor stopped: Slack's line, and the summary's chart ending at 0% of production.
    expect(deployed.outputs.rollout).toBe('test traffic healthy → staged, awaiting promote');
    expect(deployed.summary).toContain('x-axis ["pause 1", "staged"]');
    expect(deployed.summary).toContain('Staged: the new release serves the test listener only');

    const promoted = await promote(sd?.arn as string, sha(1));
    expect(errors(promoted)).toEqual([]);
    expect(promoted.exitCode).toBe(0);
    expect(sd?.status).toBe('SUCCESSFUL');
    expect(sd?.hooks.map((h) => h.status)).toEqual(['SUCCEEDED']);
    expect(continues()).toBe(1);
    expect(await serving(ecs.listeners.production)).toBe(green);
    expect(ecs.primaryTaskDefinition()).toBe(green);
    expect(statusesOf(green).at(-1)).toEqual(['success', `promoted: ${green}`]);
    expect(github.ledger('production')[0]).toMatchObject({ release: green, state: 'success' });
    expect(promoted.outputs['previous-deployment-id']).toBe(blue);
    // Slack's line follows the release past its staged state (blue/green: no further pause to judge).
    expect(promoted.outputs.rollout).toBe('100%');

    // Promote again (a re-run of the job): nothing is continued twice, and the release is still recorded live.
    const again = await promote(sd?.arn as string, sha(1));
    expect(errors(again)).toEqual([]);
    expect(again.exitCode).toBe(0);
    expect(continues()).toBe(1);
    expect(again.stdout).toMatch(/is already SUCCESSFUL/);
    expect(ecs.serviceDeployments.length).toBe(1);
    expect(github.ledger('production')[0]).toMatchObject({ release: green, state: 'success' });
    expect(ecs.overlappingRollouts).toBe(0);
    expectNoSecrets(again, [ecs.secretAccessKey, github.token]);
  });

  test("a staged release whose pause timed out: ECS rolled it back, promote fails with ECS's reason, production still serves the old revision", async () => {
    const blue = ecs.primaryTaskDefinition();
    const deployed = await run(staged('staged-late', { 'ecs-pause-timeout': '20m' }), sha(2));
    expect(errors(deployed)).toEqual([]);
    expect(deployed.exitCode).toBe(0);
    const green = greenOf('staged-late');
    const sd = ecs.serviceDeployments[0];
    // Nobody promotes it: at the hook's timeout (20 "minutes") ECS takes its timeout action, ROLLBACK.
    await until(
      'ECS to roll the staged release back at its timeout',
      () => settled() && sd?.status === 'ROLLBACK_SUCCESSFUL',
    );
    expect(sd?.hooks.map((h) => h.status)).toEqual(['TIMED_OUT']);
    const before = continues();

    const promoted = await promote(deployed.outputs['deployment-id'] as string, sha(2));
    expect(promoted.exitCode).not.toBe(0);
    expect(errors(promoted).join('\n')).toMatch(
      new RegExp(
        `the staged service deployment \\S+ of ${green.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is ROLLBACK_SUCCESSFUL \\(ECS: lifecycle hook \\S+ timed out\\); nothing was promoted: production serves ${blue.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`,
      ),
    );
    expect(continues()).toBe(before);
    expect(await serving(ecs.listeners.production)).toBe(blue);
    expect(ecs.primaryTaskDefinition()).toBe(blue);
    expect(statusesOf(green).at(-1)).toEqual([
      'failure',
      expect.stringMatching(/^not promoted: ECS ROLLBACK_SUCCESSFUL: lifecycle hook \S+ timed out$/),
    ]);
    expect(promoted.summary).toMatch(/promote failed/);
  });

  test('a staged deploy re-run while an earlier staged release waits: the earlier one is rolled back first (never two in flight), and promoting it fails instead of promoting the newer', async () => {
    const blue = ecs.primaryTaskDefinition();
    const first = await run(staged('staged-first'), sha(3));
    expect(first.exitCode).toBe(0);
    const older = ecs.serviceDeployments[0];
    const second = await run(staged('staged-second'), sha(4));
    expect(errors(second)).toEqual([]);
    expect(second.exitCode).toBe(0);
    const newer = ecs.serviceDeployments[0];
    expect(newer).not.toBe(older);
    // The earlier pause was answered ROLLBACK and ECS finished rolling back before the new rollout started.
    expect(older?.status).toBe('ROLLBACK_SUCCESSFUL');
    expect(older?.rollback?.reason).toBe('ContinueServiceDeployment ROLLBACK');
    expect(ecs.overlappingRollouts).toBe(0);
    expect(newer?.source.taskDefinition).toBe(blue);
    expect(statusesOf(greenOf('staged-first')).at(-1)).toEqual([
      'failure',
      expect.stringMatching(/^stopped at 0%: ContinueServiceDeployment ROLLBACK/),
    ]);
    expect(second.stdout).toMatch(/is still IN_PROGRESS at 0%.*rolling it back before deploying/);

    const stale = await promote(first.outputs['deployment-id'] as string, sha(3));
    expect(stale.exitCode).not.toBe(0);
    expect(errors(stale).join('\n')).toMatch(/is ROLLBACK_SUCCESSFUL \(ECS: ContinueServiceDeployment ROLLBACK\)/);
    // The newer staged release is untouched: still paused, production still blue.
    expect(newer?.hooks.map((h) => h.status)).toEqual(['AWAITING_ACTION']);
    expect(await serving(ecs.listeners.production)).toBe(blue);

    const promoted = await promote(second.outputs['deployment-id'] as string, sha(4));
    expect(errors(promoted)).toEqual([]);
    expect(await serving(ecs.listeners.production)).toBe(greenOf('staged-second'));
  });

  test('a promote killed after its CONTINUE: the re-run follows the same rollout to the end and continues nothing again', async () => {
    // A bake of 10 "minutes" (3 s) after the production shift keeps the rollout going after the CONTINUE.
    const deployed = await run(staged('staged-bake', { 'ecs-bake-time': '10m' }), sha(5));
    expect(deployed.exitCode).toBe(0);
    const sd = ecs.serviceDeployments[0];
    const green = greenOf('staged-bake');
    const before = continues();
    const killed = await promote(deployed.outputs['deployment-id'] as string, sha(5), {
      onSpawn: (child) => {
        void eventually(
          until('the staging pause to be continued', () => sd?.hooks[0]?.status === 'SUCCEEDED'),
          'the promote to continue the staging pause',
        ).then(() => child.kill('SIGKILL'));
      },
    });
    expect(killed.signal).toBe('SIGKILL');
    expect(continues()).toBe(before + 1);
    expect(sd?.status).toBe('IN_PROGRESS');

    const rerun = await promote(deployed.outputs['deployment-id'] as string, sha(5));
    expect(errors(rerun)).toEqual([]);
    expect(rerun.exitCode).toBe(0);
    expect(rerun.stdout).toMatch(/continued by an earlier promote; following the rest of the rollout/);
    expect(continues()).toBe(before + 1);
    expect(sd?.status).toBe('SUCCESSFUL');
    expect(await serving(ecs.listeners.production)).toBe(green);
    expect(statusesOf(green).at(-1)).toEqual(['success', `promoted: ${green}`]);
  });
});

describe('the verdict at the staging pause', () => {
  test('errors on the test listener: answered ROLLBACK, ECS rolls back, the deploy fails and nothing is left to promote; production never served it', async () => {
    const blue = ecs.primaryTaskDefinition();
    ecs.apps.set(image('staged-broken'), 'errors');
    const result = await run(staged('staged-broken', { 'verify-test-url': ecs.listeners.test }), sha(9));
    expect(result.exitCode).not.toBe(0);
    const green = greenOf('staged-broken');
    const sd = ecs.serviceDeployments[0];
    expect(sd?.target.taskDefinition).toBe(green);
    expect(sd?.hooks.map((h) => h.status)).toEqual(['FAILED']);
    await until('ECS to finish the rollback', () => settled() && sd?.status === 'ROLLBACK_SUCCESSFUL');
    expect(ecs.served.some((s) => s.listener === 'test' && s.taskDefinition === green && s.status === 500)).toBe(true);
    expect(ecs.served.filter((s) => s.listener === 'production' && s.taskDefinition !== blue)).toEqual([]);
    expect(await serving(ecs.listeners.production)).toBe(blue);
    expect(errors(result).join('\n')).toMatch(/stopped at 0% of production traffic: shipline's verdict at 0%/);
    expect(statusesOf(green).at(-1)).toEqual(['failure', expect.stringMatching(/stopped at 0% of production traffic/)]);
  });
});

describe('promote follows the rest of a staged canary', () => {
  test('errors at the canary share: promote judges the further pause on the production listener, ECS rolls back at 10%; production never served the release to everyone; the ledger says not promoted', async () => {
    const blue = ecs.primaryTaskDefinition();
    ecs.apps.set(image('staged-bad'), 'errors');
    // No verify-test-url: the staging pause is not measured, so the release errors only once production sees it.
    const deployed = await run(
      staged('staged-bad', {
        'ecs-strategy': 'canary',
        'ecs-canary-percent': '10',
        'ecs-step-bake-time': '1m',
        'ecs-pause-at': 'pre-production-traffic-shift',
      }),
      sha(7),
    );
    expect(errors(deployed)).toEqual([]);
    expect(deployed.exitCode).toBe(0);
    const green = greenOf('staged-bad');
    const sd = ecs.serviceDeployments[0];
    expect(sd?.hooks.map((h) => h.status)).toEqual(['AWAITING_ACTION']);

    const promoted = await run(
      {
        ...common(),
        command: 'promote',
        'deployment-id': deployed.outputs['deployment-id'] as string,
        'verify-url': ecs.listeners.production,
        'verify-window': '3s',
        'verify-interval': '50ms',
        'verify-max-error-rate': '5%',
      },
      sha(7),
    );
    expect(promoted.exitCode).not.toBe(0);
    // The staging pause continued by promote; before the first shift (0%: not measured) passed; at 10%: ROLLBACK.
    expect(sd?.hooks.map((h) => [h.stage, h.status])).toEqual([
      ['POST_TEST_TRAFFIC_SHIFT', 'SUCCEEDED'],
      ['PRE_PRODUCTION_TRAFFIC_SHIFT', 'SUCCEEDED'],
      ['PRE_PRODUCTION_TRAFFIC_SHIFT', 'FAILED'],
    ]);
    await until('ECS to finish the rollback', () => settled() && sd?.status === 'ROLLBACK_SUCCESSFUL');
    expect(sd?.stoppedAtPercent).toBe(10);
    const production = ecs.served.filter((s) => s.listener === 'production');
    expect(production.filter((s) => s.productionWeight > 10)).toEqual([]);
    expect(production.some((s) => s.taskDefinition === green && s.status === 500)).toBe(true);
    expect(await serving(ecs.listeners.production)).toBe(blue);
    expect(errors(promoted).join('\n')).toMatch(/stopped at 10% of production traffic: shipline's verdict at 10%/);
    const statuses = statusesOf(green);
    expect(statuses.at(-2)).toEqual(['in_progress', expect.stringMatching(/^10% of production: FAIL, .*error rate/)]);
    expect(statuses.at(-1)).toEqual([
      'failure',
      expect.stringMatching(/^not promoted: stopped at 10%: shipline's verdict at 10%/),
    ]);
    expect(promoted.summary).toContain('bar [0, 10, 0]');
    // promote's pauses are Slack's line too: the one before the first shift was not measured, the one at 10% failed.
    expect(promoted.outputs.rollout).toMatch(/^stopped at 10%: /);
  });
});

describe('a service ECS cannot stage on', () => {
  test('a load balancer without a test listener: refused before a revision is registered or the service touched', async () => {
    ecs.blueGreenListeners = false;
    try {
      const before = ecs.calls.length;
      const result = await run(staged('no-test-listener'), sha(8));
      expect(result.exitCode).not.toBe(0);
      expect(errors(result).join('\n')).toMatch(
        /service api has no load balancer test listener \(loadBalancers\[\]\.advancedConfiguration\.testListenerRule and alternateTargetGroupArn\): a staged release waits on the test listener, so target staged needs one/,
      );
      const ops = ecs.calls.slice(before).map((c) => c.op);
      expect(ops).not.toContain('RegisterTaskDefinition');
      expect(ops).not.toContain('UpdateService');
      expect(greenOf('no-test-listener')).toBeUndefined();
    } finally {
      ecs.blueGreenListeners = true;
    }
  });
});

describe('inputs of a staged ECS release', () => {
  test('what it needs is named, all at once, before any request', async () => {
    const calls = ecs.calls.length;
    const rolling = await run(
      { ...common(), target: 'staged', images: `api=${image('never')}`, 'ecs-pause-at': 'post-scale-up' },
      sha(6),
    );
    expect(rolling.exitCode).not.toBe(0);
    const text = errors(rolling).join('\n');
    expect(text).toMatch(
      /Input 'ecs-strategy' must be blue-green, canary or linear with target staged on provider ecs/,
    );
    expect(text).toMatch(/Input 'ecs-pause-at' cannot include post-scale-up with target staged/);
    const byRevision = await run(
      { ...common(), command: 'promote', 'deployment-id': ecs.primaryTaskDefinition(), 'verify-url': 'ftp://api' },
      sha(6),
    );
    expect(byRevision.exitCode).not.toBe(0);
    expect(errors(byRevision).join('\n')).toMatch(
      /Input 'deployment-id' must be the service deployment ARN a staged ECS deploy output/,
    );
    expect(errors(byRevision).join('\n')).toMatch(/Input 'verify-url' must be an http\(s\) URL/);
    const otherService = await promote(
      `arn:aws:ecs:${ecs.region}:123456789012:service-deployment/${ecs.cluster}/worker/5Tq0bMzGr1Hn2xWd`,
      sha(6),
    );
    expect(otherService.exitCode).not.toBe(0);
    expect(errors(otherService).join('\n')).toContain(
      `Input 'deployment-id' is a service deployment of ${ecs.cluster}/worker, not of input 'cluster' and 'service' (${ecs.cluster}/${ecs.serviceName})`,
    );
    expect(ecs.calls.length).toBe(calls);
  });
});
