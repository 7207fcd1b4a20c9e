// CloudWatch alarm gates (smoke-test cloudwatch-alarms) through the bundle, with the official
// @aws-sdk/client-cloudwatch signing its DescribeAlarms calls to the loopback CloudWatch stand-in (endpoint moved
// by AWS_ENDPOINT_URL_CLOUDWATCH, credentials from the environment as the SDK's standard chain reads them). The
// service's health check passes on every tick: only the alarms decide. An alarm in ALARM fails the window at once,
// naming it, CloudWatch's reason and since when; no reading (an unknown name, INSUFFICIENT_DATA, the API down or
// throttled past the tick's bound) is inconclusive at the window's end, unless gates-no-data is pass.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import { type RunOptions, type RunResult, runBundle } from '../cli/local-runner.js';
import { cloudWatchEnvironment, type FakeCloudWatch, startFakeCloudWatch } from '../cli/sandbox/cloudwatch.js';
import { closedPort, errors, expectNoSecrets } from './support.js';
import { json, startTarget, type Target } from './fakes/smoke-target.js';

const workspace = mkdtempSync(join(tmpdir(), 'cloudwatch-gates-ws-'));
const SHA = '0123456789abcdef0123456789abcdef01234567';
const REASON =
  'Threshold Crossed: 1 out of the last 1 datapoints [12.0 (07/12/26 01:01:00)] was greater than the threshold (5.0).';

let cw: FakeCloudWatch;
let app: Target;

beforeAll(async () => {
  cw = await startFakeCloudWatch();
  app = await startTarget();
  app.route('/api/health', json(200, { status: 'pass' }));
});
afterAll(async () => {
  await cw.close();
  await app.close();
  rmSync(workspace, { recursive: true, force: true });
});
beforeEach(() => {
  cw.alarms.clear();
  cw.server.clearFaults();
  cw.server.requests.length = 0;
});

function smokeTest(inputs: RunOptions['inputs'], env: Record<string, string> = {}): Promise<RunResult> {
  return runBundle({
    action: 'smoke-test',
    inputs: { 'base-url': app.url, paths: '/api/health', timeout: '3s', ...inputs },
    env: { GITHUB_SHA: SHA, ...cloudWatchEnvironment(cw), ...env },
    workspace,
    timeoutMs: 60_000,
  });
}

const watch = (inputs: RunOptions['inputs'], env: Record<string, string> = {}) =>
  smokeTest({ mode: 'watch', 'watch-interval': '1s', 'watch-window': '4s', 'watch-fail-after': '2', ...inputs }, env);

const secrets = () => [cw.secretAccessKey, cw.accessKeyId];

describe('CloudWatch alarm gates (smoke-test bundle, official client, loopback stand-in)', () => {
  test('every alarm OK: the window passes, each line read on every tick, and the summary shows the gates', async () => {
    cw.addAlarm('api-5xx-rate');
    cw.addAlarm('api-p99-latency');
    cw.addAlarm('api-health', 'OK', { type: 'CompositeAlarm' });
    const result = await watch({ 'cloudwatch-alarms': 'api-5xx-rate\nprefix:api-' });
    expect(result.exitCode).toBe(0);
    expect(result.outputs.result).toBe('passed');
    expect(result.outputs.ticks).toBe('4');
    expect(result.visibleStdout).toContain('cloudwatch alarm: api-5xx-rate ✅ OK');
    expect(result.visibleStdout).toContain('cloudwatch alarms: prefix:api- ✅ 3 alarms OK');
    // Two lines, four ticks: one DescribeAlarms each.
    expect(cw.server.requests).toHaveLength(8);
    expect(result.summary).toContain('Metric gates: readings per tick');
    expect(result.summary).toMatch(/`cloudwatch alarm: api-5xx-rate` \|[^\n]*\| (?:✅|✓) passed \|/);
    expect(result.summary).toMatch(/`cloudwatch alarms: prefix:api-` \|[^\n]*\| (?:✅|✓) passed \|/);
    expectNoSecrets(result, secrets());
  });

  test('an alarm that goes to ALARM mid-window fails it at once, naming the alarm, its reason and since when', async () => {
    cw.addAlarm('api-5xx-rate');
    // The second DescribeAlarms from now: the second tick.
    cw.scheduleState('api-5xx-rate', cw.calls + 2, 'ALARM', REASON);
    const result = await watch({ 'cloudwatch-alarms': 'api-5xx-rate', 'watch-window': '6s' });
    expect(result.exitCode).not.toBe(0);
    expect(result.outputs.result).toBe('failed');
    // Ended early, on the tick that read ALARM; the HTTP checks passed throughout.
    expect(result.outputs.ticks).toBe('2');
    expect(result.outputs['error-rate']).toBe('0');
    const since = new Date(cw.alarms.get('api-5xx-rate')?.updatedAt as number).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const reason = result.outputs['failure-reason'] as string;
    expect(reason).toContain(
      `cloudwatch alarm: api-5xx-rate: in ALARM since ${since}: Threshold Crossed: 1 out of the last 1 datapoints`,
    );
    expect(result.visibleStdout).toContain(`cloudwatch alarm: api-5xx-rate ❌ in ALARM since ${since}`);
    expect(errors(result).some((e) => e.includes('cloudwatch alarm: api-5xx-rate: in ALARM'))).toBe(true);
    expect(result.summary).toMatch(/`cloudwatch alarm: api-5xx-rate` \|[^\n]*\| (?:❌|✗) failed \|/);
    expectNoSecrets(result, secrets());
  });

  test('a prefix line names the alarm of the prefix that is in ALARM', async () => {
    cw.addAlarm('api-5xx-rate');
    cw.addAlarm('api-health', 'ALARM', {
      type: 'CompositeAlarm',
      reason: 'arn:aws:cloudwatch:eu-west-1:123456789012:alarm:api-5xx-rate transitioned to ALARM',
    });
    const result = await watch({ 'cloudwatch-alarms': 'prefix:api-', 'watch-window': '2s' });
    expect(result.outputs.result).toBe('failed');
    expect(result.outputs['failure-reason']).toContain("cloudwatch alarms: prefix:api-: 'api-health' in ALARM since");
  });

  test('an alarm name that does not exist is inconclusive at the window’s end, naming it; gates-no-data: pass lets it pass', async () => {
    cw.addAlarm('api-5xx-rate');
    const result = await watch({ 'cloudwatch-alarms': 'api-5xx-rate\napi-5xx-rat' });
    expect(result.exitCode).not.toBe(0);
    expect(result.outputs.result).toBe('inconclusive');
    // Not early: a reading could still have come.
    expect(result.outputs.ticks).toBe('4');
    expect(result.outputs['failure-reason']).toContain(
      'cloudwatch alarm: api-5xx-rat: inconclusive, no reading on 4 ticks in a row',
    );
    expect(result.outputs['failure-reason']).toContain("no alarm named 'api-5xx-rat' in eu-west-1");
    expect(result.summary).toMatch(/`cloudwatch alarm: api-5xx-rat` \|[^\n]*\| ⚠️? inconclusive \|/);
    const passing = await watch({ 'cloudwatch-alarms': 'api-5xx-rate\napi-5xx-rat', 'gates-no-data': 'pass' });
    expect(passing.exitCode).toBe(0);
    expect(passing.outputs.result).toBe('passed');
    expect(passing.summary).toContain('no data (passed: gates-no-data is pass)');
  });

  test('an alarm in INSUFFICIENT_DATA through the window is inconclusive, with its state and reason', async () => {
    cw.addAlarm('api-5xx-rate', 'INSUFFICIENT_DATA');
    const result = await watch({ 'cloudwatch-alarms': 'api-5xx-rate', 'watch-window': '2s' });
    expect(result.outputs.result).toBe('inconclusive');
    expect(result.outputs['failure-reason']).toContain("no verdict: 'api-5xx-rate' in INSUFFICIENT_DATA since");
    expect(result.outputs['failure-reason']).toContain('Unchecked: Initial alarm creation');
  });

  test('CloudWatch down (a closed loopback port) is inconclusive, with the refused connection as the reason', async () => {
    const down = `http://127.0.0.1:${await closedPort()}`;
    const result = await watch(
      { 'cloudwatch-alarms': 'api-5xx-rate', 'watch-window': '3s' },
      { AWS_ENDPOINT_URL_CLOUDWATCH: down },
    );
    expect(result.exitCode).not.toBe(0);
    expect(result.outputs.result).toBe('inconclusive');
    expect(result.outputs['failure-reason']).toContain(
      'cloudwatch alarm: api-5xx-rate: inconclusive, no reading on 3 ticks in a row',
    );
    expect(result.outputs['failure-reason']).toContain('ECONNREFUSED');
    expectNoSecrets(result, secrets());
  });

  test('a DescribeAlarms that never answers is no reading for that tick, bounded by the timeout', async () => {
    cw.addAlarm('api-5xx-rate');
    cw.hang(10);
    const result = await watch({ 'cloudwatch-alarms': 'api-5xx-rate', 'watch-window': '2s', timeout: '1s' });
    expect(result.outputs.result).toBe('inconclusive');
    expect(result.outputs['failure-reason']).toContain('no reading on 2 ticks in a row');
  });

  test('one tick without a reading among readings is a blip, not inconclusive: the window passes', async () => {
    cw.addAlarm('api-5xx-rate');
    cw.hang(1);
    const result = await watch({ 'cloudwatch-alarms': 'api-5xx-rate', 'watch-window': '3s', timeout: '1s' });
    expect(result.visibleStdout).toContain('cloudwatch alarm: api-5xx-rate: not evaluated on tick 1');
    expect(result.outputs.result).toBe('passed');
  });

  test('throttling is retried by the SDK within the tick; throttled on every attempt, the tick counts as no reading', async () => {
    cw.addAlarm('api-5xx-rate');
    cw.throttle(1);
    const retried = await watch({ 'cloudwatch-alarms': 'api-5xx-rate', 'watch-window': '2s' });
    expect(retried.outputs.result).toBe('passed');
    expect(retried.visibleStdout).not.toContain('not evaluated');
    // Two ticks, and the throttled attempt sent again.
    expect(cw.server.requests).toHaveLength(3);
    cw.throttle(100);
    const throttled = await watch({ 'cloudwatch-alarms': 'api-5xx-rate', 'watch-window': '2s' });
    expect(throttled.outputs.result).toBe('inconclusive');
    expect(throttled.outputs['failure-reason']).toContain(
      'CloudWatch DescribeAlarms: Throttling: Rate exceeded (HTTP 400, 3 attempts)',
    );
  });

  test('the one-shot smoke test reads each alarm once: one in ALARM fails it, all OK passes', async () => {
    cw.addAlarm('api-5xx-rate', 'ALARM', { reason: REASON });
    const failing = await smokeTest({ 'cloudwatch-alarms': 'api-5xx-rate' });
    expect(failing.exitCode).not.toBe(0);
    expect(failing.outputs.result).toBe('failed');
    expect(failing.outputs['failed-checks']).toBe('');
    expect(failing.outputs['failure-reason']).toContain(
      'a metric gate failed: cloudwatch alarm: api-5xx-rate: in ALARM since',
    );
    expect(failing.summary).toContain('**Metric gates** (one reading each)');
    cw.setState('api-5xx-rate', 'OK', 'Threshold Crossed: no datapoints were received for 1 period');
    const passing = await smokeTest({ 'cloudwatch-alarms': 'api-5xx-rate' });
    expect(passing.exitCode).toBe(0);
    expect(passing.outputs.result).toBe('passed');
    expectNoSecrets(failing, secrets());
  });

  test('the inputs are checked before anything is sent, every problem at once', async () => {
    const result = await smokeTest({
      'cloudwatch-alarms': 'api-5xx-rate\nprefix:\napi-5xx-rate',
      'aws-region': 'Ireland',
    });
    expect(result.exitCode).not.toBe(0);
    const text = errors(result).join('\n');
    expect(text).toContain(
      "Input 'cloudwatch-alarms' must be alarm names, one per line, or 'prefix:<name prefix>' lines",
    );
    expect(text).toContain("line 2 ('prefix:') has no name prefix after 'prefix:'");
    expect(text).toContain("line 3 ('api-5xx-rate') repeats an earlier line");
    expect(text).toContain("Input 'aws-region'");
    expect(text).toContain('an AWS region code such as eu-west-1');
    const alone = await smokeTest({ 'aws-region': 'eu-west-1' });
    expect(errors(alone).join('\n')).toContain("Input 'aws-region' is for CloudWatch alarm gates");
    const noRegion = await smokeTest({ 'cloudwatch-alarms': 'api-5xx-rate' }, { AWS_REGION: '' });
    expect(errors(noRegion).join('\n')).toContain("Input 'cloudwatch-alarms' needs a region");
    expect(cw.server.requests).toHaveLength(0);
  });
});
