// The smoke-test's pure parts: thresholds and percentiles, health formats, JSON paths, status lists, backoff.
import { describe, expect, test } from '@jest/globals';
import { parse as parseYaml } from 'yaml';
import { backoff } from '../actions/smoke-test/src/execute.js';
import {
  checkJsonAssertion,
  parseHeaderLines,
  parseJsonPath,
  parseStatusList,
  statusMatches,
} from '../actions/smoke-test/src/expectations.js';
import { readHealth } from '../actions/smoke-test/src/health.js';
import { evaluateThresholds, latencyStats, parseThreshold, percentile } from '../actions/smoke-test/src/thresholds.js';
import { hostMatches } from '../actions/smoke-test/src/run.js';

describe('thresholds', () => {
  test('parses the k6 forms, with optional units, and rejects the rest', () => {
    expect(parseThreshold('p(95)<300')).toEqual({
      source: 'p(95)<300',
      aggregation: { kind: 'percentile', p: 95 },
      comparison: '<',
      limit: 300,
    });
    expect(parseThreshold(' p(99.9) <= 0.5s ')).toMatchObject({
      aggregation: { kind: 'percentile', p: 99.9 },
      comparison: '<=',
      limit: 500,
    });
    expect(parseThreshold('avg<100ms')).toMatchObject({ aggregation: { kind: 'avg' }, limit: 100 });
    expect(parseThreshold('rate<0.01')).toMatchObject({ aggregation: { kind: 'rate' }, limit: 0.01 });
    for (const bad of ['p95<300', 'p(0)<1', 'p(101)<1', 'avg=100', 'rate<1s', 'mean<3', ''])
      expect(parseThreshold(bad)).toBeUndefined();
  });

  test('percentiles interpolate between closest ranks, as k6 does', () => {
    const sorted = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100];
    expect(percentile(sorted, 50)).toBe(55);
    expect(percentile(sorted, 95)).toBeCloseTo(95.5);
    expect(percentile(sorted, 100)).toBe(100);
    expect(percentile([42], 99)).toBe(42);
    expect(percentile([], 50)).toBeNaN();
  });

  test('evaluates each threshold with the measured value; rate counts failed samples of all samples', () => {
    const measured = { durationsMs: [100, 110, 120, 130, 400], failed: 1, total: 5 };
    const results = evaluateThresholds(
      ['p(95)<300', 'avg<200', 'max<=400', 'min>50', 'rate<0.1', 'med<121'].map((t) => parseThreshold(t)!),
      measured,
    );
    expect(results.map((r) => [r.threshold, r.value, r.passed])).toEqual([
      ['p(95)<300', 346, false],
      ['avg<200', 172, true],
      ['max<=400', 400, true],
      ['min>50', 100, true],
      ['rate<0.1', 0.2, false],
      ['med<121', 120, true],
    ]);
    expect(latencyStats(measured)).toMatchObject({ count: 5, failed: 1, errorRate: 0.2, p50: 120, max: 400 });
  });

  test('a latency threshold with no successful sample fails rather than passing vacuously', () => {
    expect(
      evaluateThresholds([parseThreshold('p(95)<300')!], { durationsMs: [], failed: 3, total: 3 })[0]?.passed,
    ).toBe(false);
  });
});

describe('health formats', () => {
  test('application/health+json by content type, components named with their ids and output', () => {
    const verdict = readHealth(
      {
        status: 'warn',
        checks: {
          'cpu:utilization': [
            { componentId: 'node-1', status: 'warn', output: '91%' },
            { componentId: 'node-2', status: 'pass' },
          ],
        },
      },
      'application/health+json; charset=utf-8',
    );
    expect(verdict).toEqual({
      format: 'health+json',
      status: 'warn',
      reported: 'warn',
      failing: [],
      warning: [{ name: 'cpu:utilization (node-1)', status: 'warn', detail: '91%' }],
    });
  });

  test('Spring nested groups are flattened, OUT_OF_SERVICE fails', () => {
    const verdict = readHealth(
      {
        status: 'OUT_OF_SERVICE',
        components: {
          db: { status: 'UP' },
          readiness: { status: 'OUT_OF_SERVICE', components: { queue: { status: 'OUT_OF_SERVICE' } } },
        },
      },
      'application/json',
    );
    expect(verdict).toMatchObject({
      format: 'spring',
      status: 'fail',
      failing: [{ name: 'readiness.queue', status: 'OUT_OF_SERVICE' }],
    });
  });

  test('Terminus shutting_down fails; a pass beside a failing component is only a warn', () => {
    expect(readHealth({ status: 'shutting_down', info: {}, error: {}, details: {} }, '')?.status).toBe('fail');
    expect(
      readHealth({ status: 'healthy', checks: { redis: { status: 'unhealthy', error: 'timeout' } } }, ''),
    ).toMatchObject({ status: 'warn', failing: [{ name: 'redis', detail: 'timeout' }] });
  });

  test('bodies that are not health responses are left alone', () => {
    expect(readHealth({ status: 'shipped', items: [] }, 'application/json')).toBeUndefined();
    expect(readHealth([{ status: 'ok' }], 'application/json')).toBeUndefined();
    expect(readHealth({ data: { status: 'ok' } }, 'application/json')).toBeUndefined();
  });
});

describe('JSON paths and assertions', () => {
  test('dot, index and quoted-key segments; $ optional', () => {
    expect(parseJsonPath('$.checks.database.status')).toEqual(['checks', 'database', 'status']);
    expect(parseJsonPath("checks['db:responseTime'][0].status")).toEqual(['checks', 'db:responseTime', 0, 'status']);
    expect(parseJsonPath('[2].id')).toEqual([2, 'id']);
    expect(parseJsonPath('$..x')).toBeUndefined();
    expect(parseJsonPath('a[b]')).toBeUndefined();
  });

  test('each kind of assertion says what it found and what it expected', () => {
    const doc = { status: 'degraded', latency: 120, checks: { db: { status: 'healthy' } }, list: [] };
    const at = (p: string) => parseJsonPath(p)!;
    expect(checkJsonAssertion(doc, { path: at('status'), equals: 'healthy' })).toEqual([
      'JSON path $.status is "degraded", expected "healthy"',
    ]);
    expect(checkJsonAssertion(doc, { path: at('status'), oneOf: ['healthy', 'degraded'] })).toEqual([]);
    expect(checkJsonAssertion(doc, { path: at('latency'), lt: 100 })).toEqual([
      'JSON path $.latency is 120, expected < 100',
    ]);
    expect(checkJsonAssertion(doc, { path: at('status'), gte: 1 })).toEqual([
      'JSON path $.status is "degraded", expected a number >= 1',
    ]);
    expect(checkJsonAssertion(doc, { path: at('checks.redis.status'), exists: true })).toEqual([
      'JSON path $.checks.redis.status is missing ($.checks has: db)',
    ]);
    expect(checkJsonAssertion(doc, { path: at('list[0]'), exists: true })).toEqual([
      'JSON path $.list[0] is missing ($.list is [])',
    ]);
    expect(checkJsonAssertion(doc, { path: at('debug'), exists: false })).toEqual([]);
    expect(checkJsonAssertion(doc, { path: at('status'), matches: /^heal/ })).toEqual([
      'JSON path $.status is "degraded", expected to match /^heal/',
    ]);
  });

  test('equals compares JSON values, not their text: key order does not matter, values do', () => {
    // The body as a server sends it, the expectation as a user writes it in YAML, keys in another order.
    const body = JSON.parse('{"checks":{"db":{"status":"up","latency":3},"cache":{"status":"up"}}}') as unknown;
    const expected = parseYaml('cache: {status: up}\ndb: {latency: 3, status: up}') as unknown;
    expect(checkJsonAssertion(body, { path: parseJsonPath('checks')!, equals: expected })).toEqual([]);
    expect(checkJsonAssertion(body, { path: parseJsonPath('checks')!, oneOf: ['down', expected] })).toEqual([]);
    expect(
      checkJsonAssertion(body, { path: parseJsonPath('checks.db')!, equals: { status: 'up', latency: 4 } }),
    ).toHaveLength(1);
    expect(checkJsonAssertion(body, { path: parseJsonPath('checks.db')!, equals: { status: 'up' } })).toHaveLength(1);
    expect(checkJsonAssertion({ list: [1, 2] }, { path: parseJsonPath('list')!, equals: [2, 1] })).toHaveLength(1);
  });
});

describe('status lists, headers, backoff, host patterns', () => {
  test('codes, ranges and families', () => {
    const ranges = parseStatusList('200, 204-206 3xx')!;
    expect([200, 205, 302, 201, 404].map((s) => statusMatches(s, ranges))).toEqual([true, true, true, false, false]);
    for (const bad of ['2000', '299-200', '6xx', 'ok', '']) expect(parseStatusList(bad)).toBeUndefined();
  });

  test('header lines', () => {
    expect(parseHeaderLines('Authorization: Bearer a:b\n\nX-Trace: 1')).toEqual({
      headers: { Authorization: 'Bearer a:b', 'X-Trace': '1' },
    });
    expect(parseHeaderLines('not a header')).toEqual({ badLine: 1, problem: "has no 'Name:' before its value" });
    // The bad line is named by number: its text may be a token.
    expect(parseHeaderLines('Accept: */*\nBearer abc:def-Sekret')).toEqual({
      badLine: 2,
      problem: 'has an invalid header name',
    });
    expect(parseHeaderLines('X-Trace: a\u0007b')).toMatchObject({ badLine: 1 });
  });

  test('backoff doubles from the interval up to the cap', () => {
    expect([1, 2, 3, 4, 5, 6].map((n) => backoff(n, 2000, 15_000))).toEqual([2000, 4000, 8000, 15_000, 15_000, 15_000]);
  });

  test('backoff stays a finite number after any count of attempts (2 ** 1024 is Infinity, 0 * Infinity NaN)', () => {
    for (const n of [1025, 5000, Number.MAX_SAFE_INTEGER]) {
      expect(backoff(n, 0, 30_000)).toBe(0);
      expect(backoff(n, 2000, 30_000)).toBe(30_000);
    }
  });

  test('insecure-hosts patterns match the host or, with *., its subdomains only', () => {
    expect(hostMatches('pr-42.preview.vercel.app', '*.vercel.app')).toBe(true);
    expect(hostMatches('vercel.app', '*.vercel.app')).toBe(false);
    expect(hostMatches('evilvercel.app', '*.vercel.app')).toBe(false);
    expect(hostMatches('Staging.Example.com', 'staging.example.com')).toBe(true);
  });
});
