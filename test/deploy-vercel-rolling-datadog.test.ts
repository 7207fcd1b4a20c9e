// Datadog and CloudWatch gates at each stage of a Vercel rolling release, through the deploy bundle against the
// loopback Vercel and GitHub, the loopback Datadog (queried by the official @datadog/datadog-api-client) and the
// loopback CloudWatch (DescribeAlarms signed by the official @aws-sdk/client-cloudwatch, credentials and region from
// the environment). The canary answers every probe 200: the HTTP probes alone would approve every stage. A Datadog
// gate over its threshold, a monitor in Alert or an alarm in ALARM, read at the end of the first stage, aborts the
// rolling release there, naming the gate and what it read; production then serves the previous deployment again.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import type { RunOptions } from '../cli/local-runner.js';
import { cloudWatchEnvironment, type FakeCloudWatch, startFakeCloudWatch } from '../cli/sandbox/cloudwatch.js';
import { type FakeDatadog, startFakeDatadog } from '../cli/sandbox/datadog.js';
import { type FakeGitHub, startFakeGitHub } from '../cli/sandbox/github.js';
import type { FakeVercel } from '../cli/sandbox/vercel.js';
import { rollingVercels, deployToVercel } from './support-vercel-rolling.js';
import { errors, expectNoSecrets } from './support.js';

const ERROR_RATE =
  'sum:trace.http.request.errors{service:web,env:production}.as_count() / sum:trace.http.request.hits{service:web,env:production}.as_count()';
const GATE = `${ERROR_RATE} < 0.05`;
const REASON =
  'Threshold Crossed: 1 out of the last 1 datapoints [12.0 (07/12/26 01:01:00)] was greater than the threshold (5.0).';

let github: FakeGitHub;
let dd: FakeDatadog;
let cw: FakeCloudWatch;
const fakeVercel = rollingVercels();

beforeAll(async () => {
  github = await startFakeGitHub();
  dd = await startFakeDatadog();
  cw = await startFakeCloudWatch();
});
afterAll(async () => {
  await dd.close();
  await cw.close();
  await github.close();
});
beforeEach(() => {
  dd.monitors.clear();
  dd.server.requests.length = 0;
  cw.alarms.clear();
  cw.server.requests.length = 0;
});

function deploy(on: FakeVercel, environment: string, inputs: RunOptions['inputs']) {
  return deployToVercel(on, github, environment, inputs, { env: cloudWatchEnvironment(cw) });
}

/** A rolling deploy whose canary probes all pass, judged at each stage by the gates in `gates`. */
const rolling = (on: FakeVercel, gates: RunOptions['inputs']) => ({
  'vercel-rolling-stages': '5,25,100',
  'rolling-check-url': `${on.url}/__deployments/{deployment-id}/`,
  'rolling-requests': 5,
  'rolling-bake': '200ms',
  'rolling-stage-timeout': '20s',
  ...gates,
});

const datadog = () => ({
  'rolling-datadog-api-url': dd.url,
  'rolling-datadog-api-key': dd.apiKey,
  'rolling-datadog-app-key': dd.appKey,
});

async function newestStatuses(environment: string): Promise<{ release: string; statuses: string[] }> {
  const entry = github.ledger(environment)[0];
  if (!entry) throw new Error('no ledger entry');
  const response = await fetch(`${github.url}/repos/${github.repository}/deployments/${entry.id}/statuses`, {
    headers: { authorization: `Bearer ${github.token}` },
  });
  const statuses = (await response.json()) as { state: string; description: string }[];
  return { release: entry.release ?? '', statuses: statuses.map((s) => `${s.state}: ${s.description}`) };
}

/** What an aborted first stage leaves: no approval, only 5% reached, production on the deployment before. */
function expectStoppedAtFirstStage(on: FakeVercel, canary: string, old: string): void {
  const probes = on.served.filter((s) => s.via === 'deployment' && s.deploymentId === canary);
  expect(probes.length).toBe(5);
  expect(new Set(probes.map((s) => s.status))).toEqual(new Set([200]));
  expect(on.server.requests.some((r) => r.path.includes('/rolling-release/approve-stage'))).toBe(false);
  expect(on.stagesReached.filter((s) => s.canaryDeploymentId === canary).map((s) => s.share)).toEqual([5]);
  expect(on.production()).toBe(old);
}

const secrets = () => [dd.apiKey, dd.appKey, cw.secretAccessKey];

describe('Datadog gates at each stage of a rolling release', () => {
  test('an error rate over the gate at 5%: aborted there, the failure and the ledger naming the gate and the value read', async () => {
    const on = await fakeVercel();
    expect(errors(await deploy(on, 'rolling-dd-sick', {}))).toEqual([]);
    const old = on.production() as string;
    dd.setValue(ERROR_RATE, 0.2);

    const result = await deploy(on, 'rolling-dd-sick', rolling(on, { ...datadog(), 'rolling-datadog-gates': GATE }));
    const canary = [...on.deployments.values()].at(-1)?.id as string;
    expect(result.exitCode).not.toBe(0);
    expect(errors(result).join('\n')).toContain(`stopped at 5%: datadog: ${GATE}: read 0.2 (must be < 0.05)`);
    expectStoppedAtFirstStage(on, canary, old);
    // Read once, at the end of the only stage judged.
    expect(dd.server.requests.filter((r) => r.path.startsWith('/api/v1/query?'))).toHaveLength(1);

    const entry = await newestStatuses('rolling-dd-sick');
    expect(entry.release).toBe(canary);
    expect(entry.statuses[0]).toMatch(/^failure: stopped at 5%: datadog: sum:trace\.http\.request\.errors/);
    expect(result.outputs.rollout).toBe(`stopped at 5%: datadog: ${GATE}: read 0.2 (must be < 0.05)`);
    // The keys are masked before anything is logged, and appear nowhere.
    expect(result.masks).toEqual(expect.arrayContaining([dd.apiKey, dd.appKey]));
    expectNoSecrets(result, secrets());
  }, 120_000);

  test('a monitor in Alert at 5%: aborted there, naming the monitor', async () => {
    const on = await fakeVercel();
    await deploy(on, 'rolling-dd-monitor', {});
    const old = on.production() as string;
    dd.addMonitor(4242, 'web 5xx rate', 'Alert', ['service:web']);

    const result = await deploy(
      on,
      'rolling-dd-monitor',
      rolling(on, { ...datadog(), 'rolling-datadog-monitors': 'tags:service:web' }),
    );
    const canary = [...on.deployments.values()].at(-1)?.id as string;
    expect(result.exitCode).not.toBe(0);
    expect(errors(result).join('\n')).toContain(
      "stopped at 5%: datadog monitors: tags:service:web: monitor 4242 'web 5xx rate' in Alert",
    );
    expectStoppedAtFirstStage(on, canary, old);
    expect((await newestStatuses('rolling-dd-monitor')).statuses[0]).toBe(
      "failure: stopped at 5%: datadog monitors: tags:service:web: monitor 4242 'web 5xx rate' in Alert",
    );
    expectNoSecrets(result, secrets());
  }, 120_000);
});

describe('CloudWatch alarm gates at each stage of a rolling release', () => {
  test('an alarm in ALARM at 5%: aborted there, naming the alarm and CloudWatch’s reason', async () => {
    const on = await fakeVercel();
    await deploy(on, 'rolling-cw-alarm', {});
    const old = on.production() as string;
    cw.addAlarm('web-5xx-rate', 'ALARM', { reason: REASON });

    const result = await deploy(on, 'rolling-cw-alarm', rolling(on, { 'rolling-cloudwatch-alarms': 'web-5xx-rate' }));
    const canary = [...on.deployments.values()].at(-1)?.id as string;
    expect(result.exitCode).not.toBe(0);
    expect(errors(result).join('\n')).toMatch(
      /stopped at 5%: cloudwatch alarm: web-5xx-rate: in ALARM since \S+: Threshold Crossed: 1 out of the last 1 datapoints/,
    );
    expectStoppedAtFirstStage(on, canary, old);
    expect((await newestStatuses('rolling-cw-alarm')).statuses[0]).toMatch(
      /^failure: stopped at 5%: cloudwatch alarm: web-5xx-rate: in ALARM since /,
    );
    // One DescribeAlarms, signed with the environment's credentials, which appear nowhere.
    expect(cw.server.requests).toHaveLength(1);
    expectNoSecrets(result, secrets());
  }, 120_000);
});

describe('every gate healthy', () => {
  test('Datadog gate, monitor and alarm all passing: approved stage by stage to 100%, each read once per stage judged', async () => {
    const on = await fakeVercel();
    await deploy(on, 'rolling-all-healthy', {});
    dd.setValue(ERROR_RATE, 0.01);
    dd.addMonitor(4243, 'web p99 latency', 'OK', ['service:web']);
    cw.addAlarm('web-5xx-rate');

    const result = await deploy(
      on,
      'rolling-all-healthy',
      rolling(on, {
        ...datadog(),
        'rolling-datadog-gates': GATE,
        'rolling-datadog-monitors': '4243',
        'rolling-cloudwatch-alarms': 'web-5xx-rate',
      }),
    );
    const canary = [...on.deployments.values()].at(-1)?.id as string;
    expect(errors(result)).toEqual([]);
    expect(on.stagesReached.filter((s) => s.canaryDeploymentId === canary).map((s) => s.share)).toEqual([5, 25, 100]);
    expect(on.production()).toBe(canary);
    expect(result.outputs.rollout).toBe('5% healthy → 25% healthy → 100%');
    // Stages 5% and 25% are judged (the last approval moves to 100%): each gate read once at each.
    expect(dd.server.requests.filter((r) => r.path.startsWith('/api/v1/query?'))).toHaveLength(2);
    expect(dd.server.requests.filter((r) => r.path.startsWith('/api/v1/monitor/4243'))).toHaveLength(2);
    expect(cw.server.requests).toHaveLength(2);
    expectNoSecrets(result, secrets());
  }, 120_000);
});
