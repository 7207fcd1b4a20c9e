// rollback (provider ecs) given a staged release that failed its checks: failed-deployment-id is the service
// deployment a staged deploy output, still paused on the test listener. Through the deploy bundle (the staged
// deploy) and the rollback bundle, the real @aws-sdk/client-ecs against the loopback ECS and the loopback GitHub
// (the ledger). The rollback refuses the pause (ContinueServiceDeployment ROLLBACK), follows ECS until it reports
// ROLLBACK_SUCCESSFUL, and marks the release failed in the ledger; production is never switched.
import { beforeAll, describe, expect, test } from '@jest/globals';
import type { RunOptions } from '../cli/local-runner.js';
import type { FakeEcs } from '../cli/sandbox/ecs.js';
import type { FakeGitHub } from '../cli/sandbox/github.js';
import { ecrImage, ecsRolloutStandIns, runOnStandIns } from './support-ecs.js';
import { errors, expectNoSecrets } from './support.js';

let ecs: FakeEcs;
let github: FakeGitHub;
const standIns = ecsRolloutStandIns();
beforeAll(() => {
  ({ ecs, github } = standIns);
});

const sha = (n: number) => n.toString(16).padStart(4, '0').padEnd(40, 'f');
const image = ecrImage;

const common = () => ({
  provider: 'ecs',
  cluster: ecs.cluster,
  service: ecs.serviceName,
  'github-token': github.token,
  'wait-timeout': '60s',
});

const run = (action: 'deploy' | 'rollback', inputs: RunOptions['inputs'], commit: string) =>
  runOnStandIns(standIns, action, inputs, commit);

/** A staged blue/green release, its pause waiting 24 "hours": only an answer ends it within a test. */
const stage = (tag: string, commit: string) =>
  run(
    'deploy',
    {
      ...common(),
      target: 'staged',
      images: `api=${image(tag)}`,
      'ecs-strategy': 'blue-green',
      'ecs-bake-time': '0m',
      'ecs-pause-timeout': '24h',
      'verify-test-url': ecs.listeners.test,
      'verify-window': '1s',
      'verify-interval': '50ms',
    },
    commit,
  );

const rollback = (failed: string, commit: string, extra: RunOptions['inputs'] = {}) =>
  run('rollback', { ...common(), 'failed-deployment-id': failed, reason: 'smoke test failed', ...extra }, commit);

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

/** The ECS calls that change something, from index `from` on. */
const changesSince = (from: number) =>
  ecs.calls
    .slice(from)
    .map((c) => c.op)
    .filter((op) => !/^(Describe|List)/.test(op));

describe('rollback of a staged ECS release that failed its checks', () => {
  test('the paused service deployment is refused at its pause and followed to ROLLBACK_SUCCESSFUL: the test listener serves the old revision, production served only the old one, the ledger entry is failure; a re-run sends nothing', async () => {
    const blue = ecs.primaryTaskDefinition();
    const deployed = await stage('staged-bad', sha(1));
    expect(errors(deployed)).toEqual([]);
    const green = greenOf('staged-bad');
    const sd = ecs.serviceDeployments[0]!;
    expect(sd.arn).toBe(deployed.outputs['deployment-id']);
    expect(sd.hooks.map((h) => [h.stage, h.status])).toEqual([['POST_TEST_TRAFFIC_SHIFT', 'AWAITING_ACTION']]);
    expect(await serving(ecs.listeners.test)).toBe(green);

    const before = ecs.calls.length;
    const rolledBack = await rollback(sd.arn, sha(1));
    expect(errors(rolledBack)).toEqual([]);
    expect(rolledBack.exitCode).toBe(0);
    // Refused at its pause, nothing else changed at ECS: production was never switched to anything.
    expect(changesSince(before)).toEqual(['ContinueServiceDeployment']);
    // Returned only once ECS reported the rollback over: the test listener is the old revision's again.
    expect(sd.status).toBe('ROLLBACK_SUCCESSFUL');
    expect(await serving(ecs.listeners.test)).toBe(blue);
    expect(await serving(ecs.listeners.production)).toBe(blue);
    expect(ecs.served.filter((s) => s.listener === 'production' && s.taskDefinition !== blue)).toEqual([]);
    // Production never moved: changed is false and the release live is the one that was.
    expect(rolledBack.outputs.changed).toBe('false');
    expect(rolledBack.outputs['restored-deployment-id']).toBe(blue);
    expect(rolledBack.outputs['rolled-back-deployment-id']).toBeUndefined();
    expect(statusesOf(green).at(-1)).toEqual(['failure', 'staged release discarded: smoke test failed']);
    expect(github.ledger('production').find((e) => e.state === 'success')?.release).toBe(blue);
    expect(rolledBack.summary).toContain(`staged release ${green} discarded (ECS ROLLBACK_SUCCESSFUL`);
    expect(rolledBack.stdout).toMatch(/rolling it back \(ContinueServiceDeployment ROLLBACK/);
    expectNoSecrets(rolledBack, [ecs.secretAccessKey, github.token]);

    // A re-run: ECS says it is over, so nothing is sent and the ledger is not written again.
    const statuses = statusesOf(green).length;
    const again = ecs.calls.length;
    const rerun = await rollback(sd.arn, sha(1));
    expect(errors(rerun)).toEqual([]);
    expect(changesSince(again)).toEqual([]);
    expect(rerun.outputs.changed).toBe('false');
    expect(rerun.summary).toContain(`staged release ${green} discarded (ECS ROLLBACK_SUCCESSFUL`);
    expect(rerun.stdout).toMatch(/already ended ROLLBACK_SUCCESSFUL; nothing to send/);
    expect(statusesOf(green)).toHaveLength(statuses);
    expect(await serving(ecs.listeners.production)).toBe(blue);
  }, 120_000);

  test('a service deployment of another service is refused before anything changes, naming the input', async () => {
    const before = ecs.calls.length;
    const other = `arn:aws:ecs:eu-west-1:123456789012:service-deployment/${ecs.cluster.split('/').pop()}/other-service/abcdefabcdef`;
    const refused = await rollback(other, sha(2));
    expect(refused.exitCode).not.toBe(0);
    expect(errors(refused).join('\n')).toMatch(
      /Input 'failed-deployment-id' .* is a service deployment of .*other-service/,
    );
    expect(changesSince(before)).toEqual([]);
  }, 60_000);
});
