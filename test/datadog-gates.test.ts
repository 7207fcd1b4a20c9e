// Datadog gates (smoke-test datadog-gates, datadog-monitors) through the bundle, with the official
// @datadog/datadog-api-client querying the loopback Datadog stand-in (datadog-api-url moves the client's base
// server; the keys go as DD-API-KEY and DD-APPLICATION-KEY). The service's health check passes on every tick:
// only Datadog decides. An error-rate gate reading above its threshold for watch-fail-after ticks fails the window,
// naming the gate and the value read; a monitor in Alert fails it at once; no reading (a refused query, no series,
// wrong keys, rate limited on every tick) is inconclusive at the window's end, unless gates-no-data is pass. The
// keys appear nowhere in the log, the summary or the outputs.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import { type RunOptions, type RunResult, runBundle } from '../cli/local-runner.js';
import { type FakeDatadog, startFakeDatadog } from '../cli/sandbox/datadog.js';
import { closedPort, errors, expectNoSecrets } from './support.js';
import { json, startTarget, type Target } from './fakes/smoke-target.js';

const workspace = mkdtempSync(join(tmpdir(), 'datadog-gates-ws-'));
const SHA = '0123456789abcdef0123456789abcdef01234567';

const ERROR_RATE =
  'sum:trace.http.request.errors{service:api,env:production}.as_count() / sum:trace.http.request.hits{service:api,env:production}.as_count()';
const GATE = `${ERROR_RATE} < 0.05`;

let dd: FakeDatadog;
let app: Target;

beforeAll(async () => {
  dd = await startFakeDatadog();
  app = await startTarget();
  app.route('/api/health', json(200, { status: 'pass' }));
});
afterAll(async () => {
  await dd.close();
  await app.close();
  rmSync(workspace, { recursive: true, force: true });
});
beforeEach(() => {
  dd.monitors.clear();
  dd.server.clearFaults();
  dd.server.requests.length = 0;
});

function smokeTest(inputs: RunOptions['inputs']): Promise<RunResult> {
  return runBundle({
    action: 'smoke-test',
    inputs: {
      'base-url': app.url,
      paths: '/api/health',
      timeout: '3s',
      'datadog-api-url': dd.url,
      'datadog-api-key': dd.apiKey,
      'datadog-app-key': dd.appKey,
      ...inputs,
    },
    env: { GITHUB_SHA: SHA },
    workspace,
    timeoutMs: 60_000,
  });
}

const watch = (inputs: RunOptions['inputs']) =>
  smokeTest({ mode: 'watch', 'watch-interval': '1s', 'watch-window': '4s', 'watch-fail-after': '2', ...inputs });

const secrets = () => [dd.apiKey, dd.appKey];
const queries = () =>
  dd.server.requests
    .filter((r) => r.path.startsWith('/api/v1/query?'))
    .map((r) => new URL(r.path, 'http://x').searchParams.get('query'));

describe('Datadog metric gates (smoke-test bundle, official client, loopback stand-in)', () => {
  test('a healthy error rate passes the window; the gate is read every tick and charted in the summary', async () => {
    dd.setValue(ERROR_RATE, 0.01, { pendingLast: true });
    const result = await watch({ 'datadog-gates': GATE });
    expect(result.exitCode).toBe(0);
    expect(result.outputs.result).toBe('passed');
    expect(result.outputs.ticks).toBe('4');
    expect(queries()).toEqual([ERROR_RATE, ERROR_RATE, ERROR_RATE, ERROR_RATE]);
    expect(result.visibleStdout).toContain(`datadog: ${GATE} ✅ read 0.01 (must be < 0.05)`);
    expect(result.summary).toContain('Metric gates: readings per tick');
    expect(result.summary).toContain('(0.01 0.01 0.01 0.01)');
    expect(result.summary).toContain('✓ passed');
    // Both keys are masked for the runner before anything is logged.
    expect(result.masks).toEqual(expect.arrayContaining([dd.apiKey, dd.appKey]));
    expectNoSecrets(result, secrets());
  });

  test('an error rate above the threshold for watch-fail-after ticks fails the window, naming the gate and the value', async () => {
    dd.setValue(ERROR_RATE, 0.01);
    // From the second query on, 20% of requests fail: the HTTP checks still pass.
    dd.scheduleValue(ERROR_RATE, dd.queryCalls + 2, 0.2);
    const result = await watch({ 'datadog-gates': GATE, 'watch-window': '6s' });
    expect(result.exitCode).not.toBe(0);
    expect(result.outputs.result).toBe('failed');
    // Ticks 2 and 3 read 0.2: the window ends on the third.
    expect(result.outputs.ticks).toBe('3');
    expect(result.outputs['error-rate']).toBe('0');
    const reason = result.outputs['failure-reason'] as string;
    expect(reason).toContain(`datadog: ${GATE}: read 0.2 (must be < 0.05) on 2 ticks in a row`);
    expect(result.visibleStdout).toContain(`datadog: ${GATE} ❌ read 0.2 (must be < 0.05)`);
    expect(errors(result).some((e) => e.includes('read 0.2 (must be < 0.05) on 2 ticks in a row'))).toBe(true);
    expect(result.summary).toContain('✗ failed');
    expectNoSecrets(result, secrets());
  });

  test('${release} in a gate is the release identifier, substituted before the query is sent', async () => {
    const query = 'sum:trace.http.request.errors{service:api,version:${release}}.as_count()';
    const sent = query.replace('${release}', SHA);
    dd.setValue(sent, 0);
    const result = await watch({ 'datadog-gates': `${query} <= 0`, 'watch-window': '2s' });
    expect(result.outputs.result).toBe('passed');
    expect(queries()).toEqual([sent, sent]);
    // The gate is named as written.
    expect(result.visibleStdout).toContain(`datadog: ${query} <= 0 ✅ read 0`);
  });

  test('a query Datadog refuses is inconclusive at the window’s end, naming the gate and Datadog’s error; gates-no-data: pass lets it pass', async () => {
    // Syntax a gate accepts (brackets balance), a query Datadog refuses.
    const refusedQuery = 'sum:trace.http.request.errors{service:api}.rollup(avg, -1)';
    dd.refuseQuery(refusedQuery, 'Error parsing query: rollup interval must be positive');
    const result = await watch({ 'datadog-gates': `${refusedQuery} < 5` });
    expect(result.exitCode).not.toBe(0);
    expect(result.outputs.result).toBe('inconclusive');
    // Not early: a reading could still have come.
    expect(result.outputs.ticks).toBe('4');
    const reason = result.outputs['failure-reason'] as string;
    expect(reason).toContain(`datadog: ${refusedQuery} < 5: inconclusive, no reading on 4 ticks in a row`);
    expect(reason).toContain('Datadog QueryMetrics: HTTP 400: Error parsing query: rollup interval must be positive');
    expect(result.summary).toContain('⚠ inconclusive');
    const passing = await watch({ 'datadog-gates': `${refusedQuery} < 5`, 'gates-no-data': 'pass' });
    expect(passing.exitCode).toBe(0);
    expect(passing.outputs.result).toBe('passed');
    expect(passing.summary).toContain('no data (passed: gates-no-data is pass)');
    expectNoSecrets(result, secrets());
  });

  test('a query with no series (a misspelt metric) is inconclusive, saying there was no data', async () => {
    const result = await watch({
      'datadog-gates': 'sum:trace.http.request.erors{service:api}.as_count() < 5',
      'watch-window': '2s',
    });
    expect(result.outputs.result).toBe('inconclusive');
    expect(result.outputs['failure-reason']).toContain('no data: the query returned no series over the last 5 minutes');
  });

  test('wrong keys: every query is refused with 403, inconclusive, and neither key is shown', async () => {
    dd.setValue(ERROR_RATE, 0);
    const wrongKey = 'a'.repeat(32);
    const result = await watch({ 'datadog-gates': GATE, 'datadog-api-key': wrongKey, 'watch-window': '2s' });
    expect(result.outputs.result).toBe('inconclusive');
    expect(result.outputs['failure-reason']).toContain(
      'Datadog QueryMetrics: HTTP 403: Forbidden (check datadog-api-key and datadog-app-key',
    );
    expectNoSecrets(result, [wrongKey, dd.appKey]);
  });

  test('rate limited on one tick is a blip, named with its reset; rate limited on every tick is inconclusive', async () => {
    dd.setValue(ERROR_RATE, 0);
    dd.rateLimit(1, 9);
    const blip = await watch({ 'datadog-gates': GATE, 'watch-window': '3s' });
    expect(blip.outputs.result).toBe('passed');
    expect(blip.visibleStdout).toContain('X-RateLimit-Reset 9s');
    // One 429 is one request: the client's own retry (which sleeps through the reset) is off.
    expect(queries()).toHaveLength(3);
    dd.rateLimit(100);
    const throttled = await watch({ 'datadog-gates': GATE, 'watch-window': '2s' });
    expect(throttled.outputs.result).toBe('inconclusive');
    expect(throttled.outputs['failure-reason']).toContain(
      'HTTP 429: Rate limit exceeded (rate limited on query_metrics',
    );
  });

  test('a 5xx or a malformed body is no reading for that tick', async () => {
    dd.setValue(ERROR_RATE, 0);
    dd.fail(2, 502);
    const failing = await watch({ 'datadog-gates': GATE, 'watch-window': '2s' });
    expect(failing.outputs.result).toBe('inconclusive');
    expect(failing.outputs['failure-reason']).toContain('Datadog QueryMetrics: HTTP 502');
    dd.malformed(2);
    const malformed = await watch({ 'datadog-gates': GATE, 'watch-window': '2s' });
    expect(malformed.outputs.result).toBe('inconclusive');
    expect(malformed.outputs['failure-reason']).toContain('the answer is not the JSON the API documents');
  });

  test('Datadog down (a closed loopback port) is inconclusive, the refused connection named once, by the gate', async () => {
    const result = await watch({
      'datadog-gates': GATE,
      'datadog-api-url': `http://127.0.0.1:${await closedPort()}`,
      'watch-window': '2s',
    });
    expect(result.outputs.result).toBe('inconclusive');
    expect(result.outputs['failure-reason']).toContain('Datadog QueryMetrics: ECONNREFUSED');
    // The client's own logger (which prints the raw error) is silenced: the gate's reading says it.
    expect(result.visibleStdout + result.stderr).not.toContain('An error occurred during the HTTP request');
    expectNoSecrets(result, secrets());
  });

  test('the one-shot smoke test reads each gate once: above the threshold fails it, below passes', async () => {
    dd.setValue(ERROR_RATE, 0.2);
    const failing = await smokeTest({ 'datadog-gates': GATE });
    expect(failing.exitCode).not.toBe(0);
    expect(failing.outputs.result).toBe('failed');
    expect(failing.outputs['failure-reason']).toContain(
      `a metric gate failed: datadog: ${GATE}: read 0.2 (must be < 0.05)`,
    );
    expect(failing.summary).toContain('**Metric gates** (one reading each)');
    dd.setValue(ERROR_RATE, 0.01);
    const passing = await smokeTest({ 'datadog-gates': GATE });
    expect(passing.exitCode).toBe(0);
    expectNoSecrets(failing, secrets());
  });
});

describe('Datadog monitor gates', () => {
  test('every monitor OK (or Warn): the window passes, each line read every tick', async () => {
    dd.addMonitor(1001, 'API error rate', 'OK', ['service:api', 'env:production']);
    dd.addMonitor(1002, 'API p99 latency', 'Warn', ['service:api', 'env:production']);
    const result = await watch({ 'datadog-monitors': '1001\ntags:service:api,env:production', 'watch-window': '2s' });
    expect(result.exitCode).toBe(0);
    expect(result.outputs.result).toBe('passed');
    expect(result.visibleStdout).toContain('datadog monitor: 1001 ✅ OK');
    expect(result.visibleStdout).toContain(
      "datadog monitors: tags:service:api,env:production ✅ no Alert (monitor 1002 'API p99 latency' in Warn)",
    );
    expect(dd.server.requests).toHaveLength(4);
    expectNoSecrets(result, secrets());
  });

  test('a monitor that goes to Alert mid-window fails it at once, naming the monitor', async () => {
    dd.addMonitor(1001, 'API error rate', 'OK', ['service:api']);
    dd.scheduleMonitorState(1001, dd.monitorCalls + 2, 'Alert');
    const result = await watch({ 'datadog-monitors': 'tags:service:api', 'watch-window': '6s' });
    expect(result.exitCode).not.toBe(0);
    expect(result.outputs.result).toBe('failed');
    expect(result.outputs.ticks).toBe('2');
    expect(result.outputs['failure-reason']).toContain(
      "datadog monitors: tags:service:api: monitor 1001 'API error rate' in Alert",
    );
    expect(result.summary).toContain('✗ failed');
    expectNoSecrets(result, secrets());
  });

  test('an unknown monitor id, or a monitor in No Data, is inconclusive', async () => {
    dd.addMonitor(1001, 'API error rate', 'No Data');
    const result = await watch({ 'datadog-monitors': '1001\n999', 'watch-window': '2s' });
    expect(result.outputs.result).toBe('inconclusive');
    expect(result.outputs['failure-reason']).toContain('datadog monitor: 1001: inconclusive');
    expect(result.outputs['failure-reason']).toContain("no verdict: monitor 1001 'API error rate' in No Data");
    expect(result.outputs['failure-reason']).toContain('Datadog GetMonitor: HTTP 404: Monitor not found');
  });
});

describe('Datadog inputs', () => {
  test('checked before anything is sent, every problem at once; the keys never echoed', async () => {
    const result = await smokeTest({
      'datadog-gates': `${GATE}\nsum:x{*} == 1`,
      'datadog-monitors': '1001\nabc\ntags:',
      'datadog-site': 'datadoghq.co',
      'datadog-app-key': '',
    });
    expect(result.exitCode).not.toBe(0);
    const text = errors(result).join('\n');
    expect(text).toContain("Input 'datadog-gates' must be '<metric query> <op> <number>'");
    expect(text).toContain("line 2 ('sum:x{*} == 1') compares with '=='");
    expect(text).toContain("Input 'datadog-monitors' must be monitor ids");
    expect(text).toContain("line 2 ('abc') is neither a monitor id");
    expect(text).toContain("line 3 ('tags:') has no tag after 'tags:'");
    expect(text).toContain("Input 'datadog-site' must be one of datadoghq.com, us3.datadoghq.com");
    expect(text).toContain("Input 'datadog-app-key' is required with 'datadog-gates' or 'datadog-monitors'");
    const alone = await smokeTest({ 'datadog-api-url': 'http://datadog.example.com' });
    const aloneText = errors(alone).join('\n');
    expect(aloneText).toContain("Input 'datadog-api-key' is for Datadog gates");
    expect(aloneText).toContain("Input 'datadog-api-url' must be an https URL");
    expect(dd.server.requests).toHaveLength(0);
    expectNoSecrets(result, secrets());
    expectNoSecrets(alone, secrets());
  });
});
