// The stage gates at each pause of an ECS progressive rollout, through the deploy bundle: the real
// @aws-sdk/client-ecs against the loopback ECS (service deployments paused at PAUSE hooks, listeners serving blue or
// green by the share of the moment), the loopback GitHub (the ledger), a real Prometheus scraping an instrumented
// service, and the loopback Datadog queried by the official @datadog/datadog-api-client. The new revision answers
// every probe 200, so the listener's HTTP checks alone would let every pause through: the gates, read on every tick
// of the pause's window, are what answer ROLLBACK — and ECS then rolls back before the next shift.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import type { RunOptions } from '../cli/local-runner.js';
import { type FakeEcs, startFakeEcs } from '../cli/sandbox/ecs.js';
import { type FakeDatadog, startFakeDatadog } from '../cli/sandbox/datadog.js';
import { type FakeCloudWatch, startFakeCloudWatch } from '../cli/sandbox/cloudwatch.js';
import { startFakeSentry } from '../cli/sandbox/sentry.js';
import { type FakeGitHub, startFakeGitHub } from '../cli/sandbox/github.js';
import { ecrImage, ecsCanaryInputs, rolloutSettled, runOnStandIns } from './support-ecs.js';
import { errors, expectNoSecrets } from './support.js';
import { until } from './support-waits.js';
import {
  type InstrumentedService,
  NO_PROMETHEUS,
  prometheusBinary,
  type RealPrometheus,
  startInstrumentedService,
  startPrometheus,
} from './support-prometheus.js';

const binary = prometheusBinary();

let ecs: FakeEcs;
let github: FakeGitHub;
let dd: FakeDatadog;
let cw: FakeCloudWatch;
let prometheus: RealPrometheus | undefined;
let sick: InstrumentedService | undefined;
let healthy: InstrumentedService | undefined;

/** The error-rate gate people write, over one service's series. */
const errorRate = (service: InstrumentedService) =>
  `sum(rate(http_requests_total{instance="${service.target}",code=~"5.."}[5s])) / sum(rate(http_requests_total{instance="${service.target}"}[5s]))`;

beforeAll(async () => {
  // A lifecycle stage takes 100 ms; a minute of ECS's bake times and hook timeouts, 300 ms.
  ecs = await startFakeEcs({ stepMs: 100, minuteMs: 300 });
  github = await startFakeGitHub();
  dd = await startFakeDatadog();
  // The same account as the ECS stand-in's: one role's credentials sign the ECS and the CloudWatch calls.
  cw = await startFakeCloudWatch({
    region: ecs.region,
    credentials: { accessKeyId: ecs.accessKeyId, secretAccessKey: ecs.secretAccessKey },
  });
  if (!binary) return;
  sick = await startInstrumentedService(5);
  healthy = await startInstrumentedService(0);
  sick.startTraffic();
  healthy.startTraffic();
  prometheus = await startPrometheus(binary, [sick.target, healthy.target]);
  await prometheus.waitForNumber(errorRate(sick));
  await prometheus.waitForNumber(errorRate(healthy));
}, 90_000);
afterAll(async () => {
  await prometheus?.close();
  await sick?.close();
  await healthy?.close();
  await dd.close();
  await cw.close();
  await ecs.close();
  await github.close();
});
beforeEach(async () => {
  await until('the service to be steady, no service deployment in flight', () => settled() && ecs.stable());
  ecs.served.length = 0;
  dd.server.requests.length = 0;
  cw.alarms.clear();
  cw.server.requests.length = 0;
});

const settled = () => rolloutSettled(ecs);

const sha = (n: number) => n.toString(16).padStart(4, '0').padEnd(40, 'd');
const image = ecrImage;

/** A 10% canary with a pause before each production shift (the first on the test listener when it is given). */
const canary = (tag: string, extra: RunOptions['inputs'] = {}): RunOptions['inputs'] => ({
  ...ecsCanaryInputs({ ecs, github }, tag),
  'verify-window': '2s',
  'verify-interval': '100ms',
  // The gates are what these tests judge. At a 10% share every failed probe on the production listener counts as
  // the canary's (test/ecs-progressive-mixed.test.ts), so one probe slowed past its 400 ms timeout on a loaded
  // machine would stop a canary before any gate is read: the HTTP limit is left out of the verdict here.
  'verify-max-error-rate': '100%',
  ...extra,
});

const deploy = (inputs: RunOptions['inputs'], commit: string) =>
  runOnStandIns({ ecs, github }, 'deploy', inputs, commit, { env: { AWS_ENDPOINT_URL_CLOUDWATCH: cw.url } });

/** The ledger's statuses of a release, oldest first, as [state, description]. */
function statusesOf(releaseId: string): [string, string][] {
  const entry = github.deployments.find((d) => (d.payload as { release?: { id?: string } }).release?.id === releaseId);
  return [...(entry?.statuses ?? [])].reverse().map((s) => [s.state, s.description]);
}

const greenOf = (tag: string) =>
  [...ecs.taskDefinitions.values()].find((td) => td.containerDefinitions[0].image === image(tag))
    ?.taskDefinitionArn as string;

const datadogQueries = () =>
  dd.server.requests
    .filter((r) => r.path.startsWith('/api/v1/query?'))
    .map((r) => new URL(r.path, 'http://x').searchParams.get('query'));

(binary ? describe : describe.skip)(binary ? 'Prometheus gates at ECS pauses (real Prometheus)' : NO_PROMETHEUS, () => {
  test('an error rate over the gate at the first pause: ROLLBACK there, ECS rolls back, production never serves the canary', async () => {
    const blue = ecs.primaryTaskDefinition();
    const result = await deploy(
      canary('prom-sick', {
        'verify-test-url': ecs.listeners.test,
        'rolling-prometheus-url': prometheus?.url as string,
        'rolling-prometheus-gates': `${errorRate(sick as InstrumentedService)} < 0.05`,
      }),
      sha(1),
    );
    expect(result.exitCode).not.toBe(0);
    const green = greenOf('prom-sick');
    const sd = ecs.serviceDeployments[0];
    expect(sd?.target.taskDefinition).toBe(green);
    expect(sd?.status).toBe('ROLLBACK_SUCCESSFUL');
    expect(sd?.rollback?.reason).toBe('ContinueServiceDeployment ROLLBACK');
    // Answered at the first pause: one hook, the test listener's; production never saw the new revision.
    expect(sd?.hooks).toHaveLength(1);
    expect(ecs.served.filter((s) => s.listener === 'test' && s.taskDefinition === green).length).toBeGreaterThan(0);
    expect(ecs.served.filter((s) => s.listener === 'production' && s.taskDefinition === green)).toEqual([]);
    // Every probe of the canary passed: the gate alone decided.
    expect(ecs.served.filter((s) => s.taskDefinition === green).every((s) => s.status === 200)).toBe(true);
    expect(ecs.primaryTaskDefinition()).toBe(blue);
    expect((await fetch(ecs.listeners.production)).headers.get('x-task-definition')).toBe(blue);

    // The ledger names the gate and what it read (about 0.2: 1 in 5 of the service's requests fail).
    const statuses = statusesOf(green);
    expect(statuses.map(([state]) => state)).toEqual(['in_progress', 'in_progress', 'failure']);
    expect(statuses[1]?.[1]).toMatch(
      /^0% of production: FAIL, prometheus: sum\(rate\(http_requests_total.*: read 0\.\d+ \(must be < 0\.05\) on 3 ticks in a row/,
    );
    const read = Number(/read (0\.\d+) \(must be < 0\.05\)/.exec(statuses[1]?.[1] ?? '')?.[1]);
    expect(read).toBeGreaterThan(0.1);
    expect(read).toBeLessThan(0.3);
    expect(statuses[2]?.[1]).toMatch(/stopped at 0% of production traffic/);
    // The summary's table of pauses names the failing gate and its reading.
    expect(result.summary).toMatch(
      /\| 1 \| POST_TEST_TRAFFIC_SHIFT \| 0% \| test \| (?:❌|✗) fail \| prometheus: .*read 0\.\d+/,
    );
  }, 120_000);

  test('an error rate within the gate at every pause: the canary completes and is recorded live', async () => {
    const result = await deploy(
      canary('prom-healthy', {
        'verify-test-url': ecs.listeners.test,
        'rolling-prometheus-url': prometheus?.url as string,
        'rolling-prometheus-gates': `${errorRate(healthy as InstrumentedService)} < 0.05`,
      }),
      sha(2),
    );
    expect(errors(result)).toEqual([]);
    const green = greenOf('prom-healthy');
    expect(ecs.serviceDeployments[0]).toMatchObject({ status: 'SUCCESSFUL', target: { taskDefinition: green } });
    expect(ecs.primaryTaskDefinition()).toBe(green);
    expect(statusesOf(green).map(([state, description]) => `${state}: ${description.split(',')[0]}`)).toEqual([
      `in_progress: ecs ${green}`,
      'in_progress: 0% of production: pass',
      'in_progress: 10% of production: pass',
      `success: live: ${green}`,
    ]);
  }, 120_000);
});

describe('Datadog gates at ECS pauses (official client, loopback Datadog)', () => {
  const ERRORS = 'sum:trace.http.request.errors{service:api,version:${release}}.as_count()';
  const HITS = 'sum:trace.http.request.hits{service:api,version:${release}}.as_count()';
  const releaseGate = `${ERRORS} / ${HITS} < 0.05`;
  const previousGate = 'sum:trace.http.request.errors{service:api,version:${previous}}.as_count() < 1000';
  const sent = (query: string, commit: string) =>
    query.replaceAll('${release}', commit).replaceAll('${previous}', commit);

  test('the new release’s error rate over the gate at the canary share: ROLLBACK at 10%, the ledger naming the gate and its reading', async () => {
    // The release before: what ${previous} names.
    expect(errors(await deploy(canary('dd-before'), sha(3)))).toEqual([]);
    const blue = ecs.primaryTaskDefinition();
    ecs.served.length = 0;
    const releaseQuery = sent(`${ERRORS} / ${HITS}`, sha(4));
    const previousQuery = sent(previousGate.replace(' < 1000', ''), sha(3));
    dd.setValue(releaseQuery, 0.2);
    dd.setValue(previousQuery, 3);

    const result = await deploy(
      canary('dd-sick', {
        'rolling-datadog-api-url': dd.url,
        'rolling-datadog-api-key': dd.apiKey,
        'rolling-datadog-app-key': dd.appKey,
        'rolling-datadog-gates': `${releaseGate}\n${previousGate}`,
      }),
      sha(4),
    );
    expect(result.exitCode).not.toBe(0);
    const green = greenOf('dd-sick');
    const sd = ecs.serviceDeployments[0];
    expect(sd?.target.taskDefinition).toBe(green);
    expect(sd?.status).toBe('ROLLBACK_SUCCESSFUL');
    expect(sd?.stoppedAtPercent).toBe(10);
    // Production: never more than the canary's 10% on the new revision, all of it on blue again after.
    const production = ecs.served.filter((s) => s.listener === 'production');
    expect(production.filter((s) => s.taskDefinition === green && s.productionWeight > 10)).toEqual([]);
    // Judged at the second pause, the canary's: the gate failed on three ticks in a row, ending the window there.
    expect(sd?.hooks).toHaveLength(2);
    expect(ecs.primaryTaskDefinition()).toBe(blue);
    // Each gate was read with its variables: this commit for ${release}, the release production served for ${previous}.
    expect(new Set(datadogQueries())).toEqual(new Set([releaseQuery, previousQuery]));

    const statuses = statusesOf(green);
    // The first pause (no test listener, no production share) measures nothing and reads no gate.
    expect(statuses.map(([state]) => state)).toEqual(['in_progress', 'in_progress', 'in_progress', 'failure']);
    expect(statuses[1]?.[1]).toMatch(/^0% of production: pass, not measured/);
    expect(statuses[2]?.[1]).toMatch(
      /^10% of production: FAIL, datadog: sum:trace\.http\.request\.errors\{service:.*: read 0\.2 \(must be < 0\.05\) on 3 ticks in a row/,
    );
    expect(statuses[3]?.[1]).toMatch(/stopped at 10% of production traffic/);
    expect(result.masks).toEqual(expect.arrayContaining([dd.apiKey, dd.appKey]));
    expectNoSecrets(result, [dd.apiKey, dd.appKey, github.token]);
  }, 120_000);

  test('a gate with no reading on any tick (no series) is no pass: ROLLBACK, saying it could not be read', async () => {
    const blue = ecs.primaryTaskDefinition();
    const result = await deploy(
      canary('dd-unread', {
        'verify-test-url': ecs.listeners.test,
        'verify-window': '1s',
        'rolling-datadog-api-url': dd.url,
        'rolling-datadog-api-key': dd.apiKey,
        'rolling-datadog-app-key': dd.appKey,
        'rolling-datadog-gates': 'sum:trace.http.request.errors{service:nothing-reports-this}.as_count() < 1',
      }),
      sha(5),
    );
    expect(result.exitCode).not.toBe(0);
    const green = greenOf('dd-unread');
    expect(ecs.serviceDeployments[0]).toMatchObject({
      status: 'ROLLBACK_SUCCESSFUL',
      target: { taskDefinition: green },
    });
    expect(ecs.served.filter((s) => s.listener === 'production' && s.taskDefinition === green)).toEqual([]);
    expect(ecs.primaryTaskDefinition()).toBe(blue);
    expect(statusesOf(green)[1]?.[1]).toMatch(
      /^0% of production: FAIL, datadog: .*: inconclusive, no reading on \d+ ticks/,
    );
  }, 120_000);

  test('a metric of the new release without a series for its first ticks (before its first scrape) does not fail the pause: read later in the window, it passes', async () => {
    const releaseQuery = sent(`${ERRORS} / ${HITS}`, sha(7));
    // Points without a value on the first five readings, as a release nothing has reported for yet; then 0.01.
    dd.setValue(releaseQuery, null);
    dd.scheduleValue(releaseQuery, dd.queryCalls + 6, 0.01);
    const result = await deploy(
      canary('dd-late-series', {
        'verify-test-url': ecs.listeners.test,
        'verify-window': '1s',
        'rolling-datadog-api-url': dd.url,
        'rolling-datadog-api-key': dd.apiKey,
        'rolling-datadog-app-key': dd.appKey,
        'rolling-datadog-gates': releaseGate,
      }),
      sha(7),
    );
    expect(errors(result)).toEqual([]);
    const green = greenOf('dd-late-series');
    expect(ecs.serviceDeployments[0]).toMatchObject({ status: 'SUCCESSFUL', target: { taskDefinition: green } });
    expect(statusesOf(green).map(([state, description]) => `${state}: ${description.split(',')[0]}`)).toEqual([
      `in_progress: ecs ${green}`,
      'in_progress: 0% of production: pass',
      'in_progress: 10% of production: pass',
      `success: live: ${green}`,
    ]);
  }, 120_000);

  test('a healthy release read at each pause completes', async () => {
    const releaseQuery = sent(`${ERRORS} / ${HITS}`, sha(6));
    dd.setValue(releaseQuery, 0.01);
    const result = await deploy(
      canary('dd-healthy', {
        'verify-test-url': ecs.listeners.test,
        'verify-window': '1s',
        'rolling-datadog-api-url': dd.url,
        'rolling-datadog-api-key': dd.apiKey,
        'rolling-datadog-app-key': dd.appKey,
        'rolling-datadog-gates': releaseGate,
      }),
      sha(6),
    );
    expect(errors(result)).toEqual([]);
    const green = greenOf('dd-healthy');
    expect(ecs.serviceDeployments[0]).toMatchObject({ status: 'SUCCESSFUL', target: { taskDefinition: green } });
    // Read on every tick of both pauses.
    expect(datadogQueries().length).toBeGreaterThanOrEqual(10);
    expect(new Set(datadogQueries())).toEqual(new Set([releaseQuery]));
    expect(statusesOf(green).at(-1)).toEqual(['success', `live: ${green}`]);
  }, 120_000);
});

describe('CloudWatch alarms and Sentry’s new issues at ECS pauses', () => {
  test('an alarm in ALARM at the first pause: ROLLBACK there, the ledger naming the alarm and CloudWatch’s reason', async () => {
    const blue = ecs.primaryTaskDefinition();
    cw.addAlarm('api-5xx-rate', 'ALARM', {
      reason:
        'Threshold Crossed: 1 out of the last 1 datapoints [12.0 (07/12/26 01:01:00)] was greater than the threshold (5.0).',
    });
    const result = await deploy(
      canary('cw-alarm', { 'verify-test-url': ecs.listeners.test, 'rolling-cloudwatch-alarms': 'api-5xx-rate' }),
      sha(8),
    );
    expect(result.exitCode).not.toBe(0);
    const green = greenOf('cw-alarm');
    expect(ecs.serviceDeployments[0]).toMatchObject({
      status: 'ROLLBACK_SUCCESSFUL',
      target: { taskDefinition: green },
    });
    expect(ecs.served.filter((s) => s.listener === 'production' && s.taskDefinition === green)).toEqual([]);
    expect(ecs.primaryTaskDefinition()).toBe(blue);
    // An alarm has waited its own evaluation periods: one reading of ALARM ends the window at once.
    expect(cw.server.requests).toHaveLength(1);
    expect(statusesOf(green)[1]?.[1]).toMatch(
      /^0% of production: FAIL, cloudwatch alarm: api-5xx-rate: in ALARM since \S+: Threshold Crossed/,
    );
    expectNoSecrets(result, [ecs.secretAccessKey]);
  }, 120_000);

  test('a new Sentry issue of the release while the test listener serves it: ROLLBACK at that pause', async () => {
    const sentry = await startFakeSentry({ ingestMs: 100 });
    try {
      const blue = ecs.primaryTaskDefinition();
      const commit = sha(9);
      const running = deploy(
        canary('sentry-issue', {
          'verify-test-url': ecs.listeners.test,
          'verify-window': '5s',
          'sentry-url': sentry.url,
          'sentry-org': sentry.org,
          'sentry-project': sentry.project,
          'sentry-token': sentry.token,
          'rolling-sentry-max-new-issues': '0',
        }),
        commit,
      );
      // The release's first request on the test listener: the pause's window is open.
      await until('the new revision to serve the test listener', () =>
        ecs.served.some((s) => s.listener === 'test' && s.taskDefinition === greenOf('sentry-issue')),
      );
      sentry.raiseIssue(commit, { title: "TypeError: cannot read 'total'", environment: 'production' });
      const result = await running;
      expect(result.exitCode).not.toBe(0);
      const green = greenOf('sentry-issue');
      expect(ecs.serviceDeployments[0]).toMatchObject({
        status: 'ROLLBACK_SUCCESSFUL',
        target: { taskDefinition: green },
      });
      expect(ecs.served.filter((s) => s.listener === 'production' && s.taskDefinition === green)).toEqual([]);
      expect(ecs.primaryTaskDefinition()).toBe(blue);
      expect(statusesOf(green)[1]?.[1]).toMatch(/^0% of production: FAIL, sentry new issues: 1 new issue/);
      expectNoSecrets(result, [sentry.token]);
    } finally {
      await sentry.close();
    }
  }, 120_000);
});
