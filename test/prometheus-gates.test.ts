// Metric gates (smoke-test prometheus-gates) through the bundle, against a real Prometheus scraping two services
// the test runs: one answers 20% of its traffic with 500, the other none; both answer their health check 200, so
// the HTTP checks alone would pass either. The error-rate gate fails the first's bake window, naming the gate and
// the value read, and passes the second's. No data is not a pass: a misspelt metric, Prometheus down, a query
// Prometheus refuses — each is inconclusive and fails the window at its end, unless gates-no-data is pass.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { type RunOptions, type RunResult, runBundle } from '../cli/local-runner.js';
import { closedPort, errors, expectNoSecrets } from './support.js';
import {
  type InstrumentedService,
  NO_PROMETHEUS,
  prometheusBinary,
  type RealPrometheus,
  startInstrumentedService,
  startPrometheus,
} from './support-prometheus.js';

const binary = prometheusBinary();
const workspace = mkdtempSync(join(tmpdir(), 'prometheus-gates-ws-'));
const SHA = '0123456789abcdef0123456789abcdef01234567';
const TOKEN = 'prom-bearer-7f3c9a1e5d2b';

let prometheus: RealPrometheus;
let sick: InstrumentedService;
let healthy: InstrumentedService;

/** The error-rate gate people write, for one service's series. */
const errorRateGate = (service: InstrumentedService, metric = 'http_requests_total') =>
  `sum(rate(${metric}{instance="${service.target}",code=~"5.."}[5s])) / sum(rate(${metric}{instance="${service.target}"}[5s])) < 0.05`;

beforeAll(async () => {
  if (!binary) return;
  sick = await startInstrumentedService(5);
  healthy = await startInstrumentedService(0, [SHA, 'v1.4.2']);
  sick.startTraffic();
  healthy.startTraffic();
  prometheus = await startPrometheus(binary, [sick.target, healthy.target]);
  // Each gate's range holds enough scrapes of real traffic to read a rate.
  await prometheus.waitForNumber(errorRateGate(sick).replace(/ < 0\.05$/, ''));
  await prometheus.waitForNumber(errorRateGate(healthy).replace(/ < 0\.05$/, ''));
}, 90_000);

afterAll(async () => {
  await prometheus?.close();
  await sick?.close();
  await healthy?.close();
  rmSync(workspace, { recursive: true, force: true });
});

function smokeTest(service: InstrumentedService, inputs: RunOptions['inputs']): Promise<RunResult> {
  return runBundle({
    action: 'smoke-test',
    inputs: {
      'base-url': service.url,
      paths: '/api/health',
      'prometheus-url': prometheus.url,
      'prometheus-headers': `Authorization: Bearer ${TOKEN}`,
      timeout: '2s',
      ...inputs,
    },
    env: { GITHUB_SHA: SHA },
    workspace,
    timeoutMs: 60_000,
  });
}

const watch = (service: InstrumentedService, inputs: RunOptions['inputs']) =>
  smokeTest(service, {
    mode: 'watch',
    'watch-interval': '1s',
    'watch-window': '5s',
    'watch-fail-after': '2',
    ...inputs,
  });

(binary ? describe : describe.skip)(
  binary ? 'metric gates against a real Prometheus (smoke-test bundle)' : NO_PROMETHEUS,
  () => {
    test('a service failing 20% of its requests while its health check passes fails the bake window on the error-rate gate, naming it and the value read', async () => {
      const gate = errorRateGate(sick);
      const result = await watch(sick, { 'prometheus-gates': gate });
      expect(result.exitCode).not.toBe(0);
      expect(result.outputs.result).toBe('failed');
      // The HTTP checks passed on every tick: only the gate failed the window.
      expect(result.outputs['error-rate']).toBe('0');
      const reason = result.outputs['failure-reason'] as string;
      expect(reason).toContain(`prometheus: ${gate}`);
      const read = /read (\d+(?:\.\d+)?) \(must be < 0\.05\) on (\d+) ticks in a row/.exec(reason);
      expect(read).not.toBeNull();
      // Every 5th request failed: the rate Prometheus computes is 20%, within a request or two of the traffic's edges.
      expect(Number(read?.[1])).toBeGreaterThan(0.15);
      expect(Number(read?.[1])).toBeLessThan(0.25);
      expect(Number(read?.[2])).toBe(2);
      // The log says it on each tick, the annotation and the summary name the gate.
      expect(result.visibleStdout).toMatch(/prometheus: .* ❌ read 0\.\d+ \(must be < 0\.05\)/);
      expect(errors(result).some((e) => e.includes(`prometheus: ${gate}`) && e.includes('must be < 0.05'))).toBe(true);
      expect(result.summary).toContain('Metric gates: readings per tick');
      expect(result.summary).toContain('✗ failed');
      expectNoSecrets(result, [TOKEN]);
    });

    test('the same gate on a healthy service passes the window, and the summary shows its readings', async () => {
      const result = await watch(healthy, { 'prometheus-gates': errorRateGate(healthy) });
      expect(result.exitCode).toBe(0);
      expect(result.outputs.result).toBe('passed');
      expect(result.outputs.ticks).toBe('5');
      expect(result.visibleStdout).toMatch(/prometheus: .* ✅ read 0 \(must be < 0\.05\)/);
      expect(result.summary).toContain('Metric gates: readings per tick');
      expect(result.summary).toContain('✓ passed');
      // Five readings, each 0.
      expect(result.summary).toContain('(0 0 0 0 0)');
      expectNoSecrets(result, [TOKEN]);
    });

    test('a misspelt metric reads an empty result: the gate is inconclusive and fails the window at its end, naming it', async () => {
      const gate = errorRateGate(healthy, 'http_request_total');
      const result = await watch(healthy, { 'prometheus-gates': gate });
      expect(result.exitCode).not.toBe(0);
      expect(result.outputs.result).toBe('inconclusive');
      // Not early: the window ran its planned ticks (a reading could still have come).
      expect(result.outputs.ticks).toBe('5');
      expect(result.outputs['failure-reason']).toContain(
        `prometheus: ${gate}: inconclusive, no reading on 5 ticks in a row`,
      );
      expect(result.outputs['failure-reason']).toContain('empty result');
      expect(result.summary).toContain('⚠ inconclusive');
    });

    test('with gates-no-data: pass, the misspelt gate does not fail the window, and the summary says it had no data', async () => {
      const result = await watch(healthy, {
        'prometheus-gates': errorRateGate(healthy, 'http_request_total'),
        'gates-no-data': 'pass',
      });
      expect(result.exitCode).toBe(0);
      expect(result.outputs.result).toBe('passed');
      expect(result.summary).toContain('no data (passed: gates-no-data is pass)');
    });

    test('Prometheus down (a closed loopback port) is inconclusive, with the connection refused as the reason', async () => {
      const down = `http://127.0.0.1:${await closedPort()}`;
      const result = await watch(healthy, {
        'prometheus-url': down,
        'prometheus-gates': errorRateGate(healthy),
        'watch-window': '3s',
      });
      expect(result.exitCode).not.toBe(0);
      expect(result.outputs.result).toBe('inconclusive');
      expect(result.outputs['failure-reason']).toContain('inconclusive, no reading on 3 ticks in a row');
      expect(result.outputs['failure-reason']).toContain('connection refused');
      // The header's value is registered as a secret before anything runs: the runner stars it out wherever it shows.
      expect(result.masks).toContain(`Bearer ${TOKEN}`);
      expectNoSecrets(result, [TOKEN]);
    });

    test("a query Prometheus refuses surfaces Prometheus's own error text", async () => {
      const expression = `sum(rate(http_requests_total{instance="${healthy.target}"}[1x]))`;
      const direct = await prometheus.query(expression);
      expect(direct.status).toBe('error');
      const result = await watch(healthy, { 'prometheus-gates': `${expression} < 1`, 'watch-window': '2s' });
      expect(result.outputs.result).toBe('inconclusive');
      expect(result.outputs['failure-reason']).toContain(`${direct.errorType}: ${direct.error}`);
    });

    test('the one-shot smoke test reads each gate once: the failing service fails it, the healthy one passes', async () => {
      const failing = await smokeTest(sick, { 'prometheus-gates': errorRateGate(sick) });
      expect(failing.exitCode).not.toBe(0);
      expect(failing.outputs.result).toBe('failed');
      expect(failing.outputs['failed-checks']).toBe('');
      expect(failing.outputs['failure-reason']).toMatch(
        new RegExp(`a metric gate failed: prometheus: .*read 0\\.\\d+ \\(must be < 0\\.05\\)`),
      );
      expect(failing.summary).toContain('**Metric gates** (one reading each)');
      const passing = await smokeTest(healthy, { 'prometheus-gates': errorRateGate(healthy) });
      expect(passing.exitCode).toBe(0);
      expect(passing.outputs.result).toBe('passed');
      expect(passing.summary).toContain('✓ passed');
      expectNoSecrets(failing, [TOKEN]);
    });

    test('${release} is the commit SHA by default and ${previous} the previous-release input: each gate reads its own release', async () => {
      // The healthy service exports app_info for this release and the one before it; no other release has a series.
      const result = await watch(healthy, {
        'prometheus-gates': 'sum(app_info{release="${release}"}) >= 1\nsum(app_info{release="${previous}"}) >= 1',
        'previous-release': 'v1.4.2',
        'watch-window': '2s',
      });
      expect(result.outputs.result).toBe('passed');
      expect(result.visibleStdout).toContain('prometheus: sum(app_info{release="${release}"}) >= 1 ✅ read 1');
      expect(result.visibleStdout).toContain('prometheus: sum(app_info{release="${previous}"}) >= 1 ✅ read 1');
      // Another previous release has no series: the gate has no reading.
      const other = await watch(healthy, {
        'prometheus-gates': 'sum(app_info{release="${previous}"}) >= 1',
        'previous-release': 'v0.9.0',
        'watch-window': '2s',
      });
      expect(other.outputs.result).toBe('inconclusive');
    });
  },
);
