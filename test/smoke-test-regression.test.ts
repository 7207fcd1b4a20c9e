// The latency regression gate, through the bundle: the real @actions/cache client (inside dist/smoke-test) saves
// and restores the baseline against the loopback cache service (cli/sandbox/actions-cache.ts), and a target
// whose latency the test sets decides whether a release regressed.
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { type RunResult, runBundle } from '../cli/local-runner.js';
import { type FakeActionsCache, startFakeActionsCache } from '../cli/sandbox/actions-cache.js';
import { compareWithBaseline, type MeasuredCheck, readBaseline } from '../actions/smoke-test/src/regression.js';
import { parseRegressionRule } from '../actions/smoke-test/src/regression-rule.js';
import { startTarget, type Target, text } from './fakes/smoke-target.js';
import { closedPort, errors, warnings } from './support.js';

let app: Target;
let cache: FakeActionsCache;
const workspace = mkdtempSync(join(tmpdir(), 'smoke-regression-ws-'));
/** The target's answer time, per route, set by each test. */
const delays = new Map<string, number>();
let runId = 5000;

beforeAll(async () => {
  [app, cache] = await Promise.all([startTarget(), startFakeActionsCache()]);
  for (const path of ['/api/health', '/']) {
    app.route(path, async (req, res, n) => {
      await new Promise((resolve) => setTimeout(resolve, delays.get(path) ?? 0));
      text(200, 'ok')(req, res, n);
    });
  }
});
afterAll(async () => {
  await Promise.all([app.close(), cache.close()]);
});

interface Comparison {
  check: string;
  rule: string;
  measured?: number;
  baseline?: number;
  limit?: number;
  factor: number;
  verdict: string;
}
interface RegressionReport {
  status: string;
  passed: boolean;
  key: string;
  note?: string;
  baseline?: { sha: string; runId: string };
  comparisons?: Comparison[];
  saved?: { saved: boolean; cacheKey?: string; note?: string };
}
interface Report {
  passed: boolean;
  checks: { name: string; passed: boolean; latency?: { p95: number; p99: number } }[];
  regression?: RegressionReport;
}

const report = (result: RunResult): Report => JSON.parse(result.outputs.report as string) as Report;

function smoke(
  inputs: Record<string, string>,
  env: Record<string, string> = cache.env(),
  extra: Record<string, string> = {},
  event?: { name: string; payload: unknown },
): Promise<RunResult> {
  runId++;
  return runBundle({
    action: 'smoke-test',
    inputs: { 'base-url': app.url, paths: '/api/health, /', samples: '8', ...inputs },
    env: {
      ...env,
      GITHUB_RUN_ID: String(runId),
      GITHUB_SHA: `${String(runId).padStart(7, '0')}${'f'.repeat(33)}`,
      ...extra,
    },
    event,
    workspace,
    timeoutMs: 90_000,
  });
}

const p95 = (result: RunResult, check: string) =>
  report(result).checks.find((c) => c.name === check)?.latency?.p95 as number;

describe('latency regression gate', () => {
  test('a passing run saves the baseline; a slower release fails against it and leaves it in place; one within the factor passes', async () => {
    const rule = { regression: 'p(95) < 2x + 300ms', 'regression-key': 'production' };
    const scope = 'refs/heads/main';

    // Run 1: nothing to compare with; it passes and its figures become the baseline.
    delays.set('/api/health', 40).set('/', 40);
    const first = await smoke({ ...rule, samples: '6' });
    expect(first.exitCode).toBe(0);
    expect(first.outputs.regression).toBe('no-baseline');
    expect(report(first).regression).toMatchObject({
      status: 'no baseline',
      passed: true,
      saved: { saved: true, cacheKey: `shipline-latency/production/${runId}-1` },
    });
    expect(first.summary).toContain('nothing to compare with');
    expect(cache.finalized(scope).map((e) => e.key)).toEqual([`shipline-latency/production/${runId}-1`]);
    const baselineRun = String(runId);
    const baselineP95 = p95(first, '/api/health');

    // Run 2: /api/health now answers 1.5 s slower; / is unchanged. The gate fails the step, naming both figures.
    // (The allowance of 300 ms keeps a loaded machine's noise on the unchanged check from deciding anything.)
    delays.set('/api/health', 1500);
    const second = await smoke({ ...rule, samples: '6' });
    expect(second.exitCode).toBe(1);
    expect(second.outputs).toMatchObject({ passed: 'false', status: 'failed', regression: 'failed' });
    const slow = report(second).regression?.comparisons?.find((c) => c.check === '/api/health');
    expect(slow).toMatchObject({
      rule: 'p(95)<2x+300ms',
      baseline: baselineP95,
      measured: p95(second, '/api/health'),
      factor: 2,
      verdict: 'failed',
    });
    expect(report(second).regression?.comparisons?.find((c) => c.check === '/')?.verdict).toBe('passed');
    expect(report(second).regression?.baseline?.runId).toBe(baselineRun);
    const figures = `p(95) ${p95(second, '/api/health')} ms vs the baseline's ${baselineP95} ms`;
    // The step's error (and the summary output) carry both figures; so does the per-check annotation.
    expect(
      errors(second).some(
        (e) => e.includes(figures) && e.startsWith('Smoke test: all 2 checks passed, but latency regressed'),
      ),
    ).toBe(true);
    expect(errors(second)).toContainEqual(expect.stringContaining(`/api/health: latency regression: ${figures}`));
    // The summary table: both figures, the factor and the verdict for the check.
    expect(second.summary).toContain('| Check | Percentile | Baseline | This run | Ratio | Allowed | Verdict |');
    expect(second.summary).toMatch(
      new RegExp(
        `\\| /api/health \\| p\\(95\\) \\| ${baselineP95} ms \\| ${p95(second, '/api/health')} ms \\| [\\d.]+× \\| < 2× \\+ 300 ms = [\\d.]+ ms \\| ✗ regressed \\|`,
      ),
    );
    // A failing run does not become the baseline.
    expect(report(second).regression?.saved).toMatchObject({ saved: false });
    expect(cache.finalized(scope)).toHaveLength(1);

    // Run 3: back within the factor. Compared with run 1's figures (not run 2's), it passes and is the new baseline.
    delays.set('/api/health', 50);
    const third = await smoke({ ...rule, samples: '6' });
    expect(third.exitCode).toBe(0);
    expect(third.outputs.regression).toBe('passed');
    expect(report(third).regression?.baseline?.runId).toBe(baselineRun);
    expect(report(third).regression?.comparisons?.find((c) => c.check === '/api/health')).toMatchObject({
      baseline: baselineP95,
      verdict: 'passed',
    });
    expect(cache.finalized(scope).map((e) => e.key)).toEqual([
      `shipline-latency/production/${runId}-1`,
      `shipline-latency/production/${baselineRun}-1`,
    ]);
    // Nothing of the client's is left in the user's workspace.
    expect(readdirSync(workspace)).toEqual([]);
  }, 180_000);

  test('baselines are per key: another environment starts without one', async () => {
    delays.set('/api/health', 5).set('/', 5);
    const result = await smoke({ regression: 'p(99) < 1.5x + 40ms', 'regression-key': 'production-eu' });
    expect(result.exitCode).toBe(0);
    expect(result.outputs.regression).toBe('no-baseline');
  }, 60_000);

  test("a pull request's run reads its base branch's baseline, and saves to its own scope", async () => {
    delays.set('/api/health', 5).set('/', 5);
    const base = await smoke({ regression: 'p(95) < 3x + 1s', 'regression-key': 'staging' });
    expect(base.exitCode).toBe(0);
    const pr = 'refs/pull/7/merge';
    const result = await smoke(
      { regression: 'p(95) < 3x + 1s', 'regression-key': 'staging' },
      cache.env(pr, ['refs/heads/main']),
      { GITHUB_REF: pr },
    );
    expect(result.exitCode).toBe(0);
    expect(result.outputs.regression).toBe('passed');
    expect(report(result).regression?.baseline?.runId).toBe(String(runId - 1));
    expect(cache.finalized(pr).map((e) => e.key)).toEqual([`shipline-latency/staging/${runId}-1`]);
  }, 60_000);

  test("a pull request's baseline is named by the commit the branch holds (the run context's), not the merge commit GITHUB_SHA names", async () => {
    delays.set('/api/health', 5).set('/', 5);
    const rule = { regression: 'p(95) < 5x + 1s', 'regression-key': 'pr-head' };
    const pr = 'refs/pull/12/merge';
    const head = 'c0ffee0'.padEnd(40, '1');
    const event = {
      name: 'pull_request',
      payload: { number: 12, pull_request: { number: 12, title: 'Faster notes', head: { sha: head }, base: {} } },
    };
    const first = await smoke(rule, cache.env(pr, ['refs/heads/main']), { GITHUB_REF: pr }, event);
    expect(first.outputs.regression).toBe('no-baseline');
    const second = await smoke(rule, cache.env(pr, ['refs/heads/main']), { GITHUB_REF: pr }, event);
    expect(second.outputs.regression).toBe('passed');
    expect(report(second).regression?.baseline).toMatchObject({ sha: head, runId: String(runId - 1) });
    expect(second.summary).toContain('c0ffee0');
  }, 60_000);

  test('a cache service that refuses connections: a warning, the gate skipped, the step decided by the checks alone', async () => {
    delays.set('/api/health', 5).set('/', 5);
    const down = { ...cache.env(), ACTIONS_RESULTS_URL: `http://127.0.0.1:${await closedPort()}/` };
    const passing = await smoke({ regression: 'p(95) < 1.1x', 'regression-key': 'production' }, down);
    expect(passing.exitCode).toBe(0);
    expect(passing.outputs).toMatchObject({ passed: 'true', regression: 'skipped' });
    expect(warnings(passing)).toContainEqual(
      expect.stringMatching(/^Latency regression gate skipped: the cache service failed: .*ECONNREFUSED/),
    );
    expect(passing.summary).toContain('⚠ gate skipped');

    app.route('/broken', text(500, 'Internal Server Error'));
    const failing = await smoke(
      {
        regression: 'p(95) < 1.1x',
        'regression-key': 'production',
        paths: '/api/health, /broken',
        'max-attempts': '1',
      },
      down,
    );
    expect(failing.exitCode).toBe(1);
    expect(failing.outputs).toMatchObject({ 'failed-checks': '/broken', regression: 'skipped' });
    expect(failing.outputs.summary).toMatch(/^Smoke test: 1 of 2 checks failed: \/broken \(unexpected HTTP 500/);
  }, 60_000);

  test('a rate-limited cache service (429, which the client does not retry): the gate skipped with its reason', async () => {
    delays.set('/api/health', 5).set('/', 5);
    cache.server.inject(/GetCacheEntryDownloadURL/, {
      kind: 'status',
      status: 429,
      headers: { 'retry-after': '60', 'content-type': 'application/json' },
      body: '{"code":"resource_exhausted","msg":"too many requests"}',
    });
    const result = await smoke({ regression: 'p(95) < 1.3x', 'regression-key': 'limited' });
    expect(result.exitCode).toBe(0);
    expect(result.outputs.regression).toBe('skipped');
    expect(warnings(result)).toContainEqual(
      expect.stringMatching(
        /^Latency regression gate skipped: the cache service failed: .*Rate limited: Failed request: \(429\)/,
      ),
    );
    // A skipped gate saves nothing.
    expect(cache.entries.filter((e) => e.key.startsWith('shipline-latency/limited/'))).toEqual([]);
  }, 60_000);

  test('a 500 the client retries through: the baseline is restored and compared', async () => {
    delays.set('/api/health', 5).set('/', 5);
    const rule = { regression: 'p(95) < 5x + 1s', 'regression-key': 'flaky-service' };
    expect((await smoke(rule)).outputs.regression).toBe('no-baseline');
    cache.server.inject(/GetCacheEntryDownloadURL/, {
      kind: 'status',
      status: 500,
      headers: { 'content-type': 'application/json' },
      body: '{"code":"internal","msg":"try again"}',
    });
    const result = await smoke(rule);
    expect(result.exitCode).toBe(0);
    expect(result.outputs.regression).toBe('passed');
    expect(result.stdout).toMatch(/Attempt 1 of 5 failed with error: Failed request: \(500\)/);
  }, 60_000);

  test("a fork's pull request (a read-only cache token): compared with the base branch, its figures not saved, a warning", async () => {
    delays.set('/api/health', 5).set('/', 5);
    const rule = { regression: 'p(95) < 5x + 1s', 'regression-key': 'fork' };
    expect((await smoke(rule)).outputs.regression).toBe('no-baseline');
    const pr = 'refs/pull/9/merge';
    const readOnly = {
      ...cache.env(),
      ACTIONS_RUNTIME_TOKEN: cache.token([
        { scope: pr, permission: 1 },
        { scope: 'refs/heads/main', permission: 1 },
      ]),
    };
    const result = await smoke(rule, readOnly, { GITHUB_REF: pr });
    expect(result.exitCode).toBe(0);
    expect(result.outputs.regression).toBe('passed');
    expect(report(result).regression?.saved).toMatchObject({ saved: false });
    expect(warnings(result)).toContainEqual(expect.stringContaining('The latency baseline was not saved'));
    expect(cache.entries.filter((e) => e.scope === pr)).toEqual([]);
  }, 60_000);

  test('outside Actions (no cache service in the environment): a warning, the gate skipped', async () => {
    const result = await smoke({ regression: 'p(95) < 1.3x' }, {});
    expect(result.exitCode).toBe(0);
    expect(result.outputs.regression).toBe('skipped');
    expect(warnings(result)).toContainEqual(expect.stringContaining('ACTIONS_RESULTS_URL'));
  }, 60_000);

  test('a cache service that never answers is abandoned at cache-timeout; the step still ends', async () => {
    delays.set('/api/health', 5).set('/', 5);
    cache.server.inject(/GetCacheEntryDownloadURL/, { kind: 'hang' });
    const result = await smoke({ regression: 'p(95) < 1.3x', 'regression-key': 'hang', 'cache-timeout': '2s' });
    expect(result.timedOut).toBe(false);
    expect(result.exitCode).toBe(0);
    expect(result.outputs.regression).toBe('skipped');
    expect(warnings(result)).toContainEqual(
      expect.stringContaining('restoring the baseline did not finish within 2s (cache-timeout)'),
    );
  }, 60_000);

  test('the inputs are validated with the others, all problems at once', async () => {
    const hits = app.hits.length;
    const cacheRequests = cache.server.requests.length;
    const result = await smoke(
      { regression: 'p(95) < 1.3x, p95 under 1.3', 'regression-key': 'prod/eu', 'cache-timeout': 'forever' },
      cache.env(),
    );
    expect(result.exitCode).toBe(1);
    const message = errors(result).join('\n');
    expect(message).toContain("Input 'regression' must be a rule like p(95) < 1.3x");
    expect(message).toContain("'p95 under 1.3' is not one");
    expect(message).toContain("Input 'regression-key' must be a name of letters, digits");
    expect(message).toContain("Input 'cache-timeout' must be a duration");
    expect(app.hits.length).toBe(hits);
    expect(cache.server.requests.slice(cacheRequests)).toEqual([]);
  }, 60_000);
});

describe('rules and comparison (pure)', () => {
  test('parses p(N) < Fx with an optional allowance, and rejects the rest', () => {
    expect(parseRegressionRule('p(95) < 1.3x')).toEqual({
      source: 'p(95)<1.3x',
      percentile: 95,
      comparison: '<',
      factor: 1.3,
      slackMs: 0,
    });
    expect(parseRegressionRule(' p(99)<=1.5X + 0.02s ')).toEqual({
      source: 'p(99)<=1.5x+20ms',
      percentile: 99,
      comparison: '<=',
      factor: 1.5,
      slackMs: 20,
    });
    expect(parseRegressionRule('med < 2×')).toMatchObject({ percentile: 50, factor: 2 });
    for (const bad of [
      'p(95) < 1.3',
      'p(97) < 1.3x',
      'p(95) > 1.3x',
      'p(95) < 0.9x',
      'p(95) < 101x',
      'avg < 2x',
      'p(95) < 1.3x + fast',
      '',
    ])
      expect(parseRegressionRule(bad)).toBeUndefined();
  });

  test('fails at or above factor × baseline (+ allowance) for <, only above it for <=; new checks and missing samples do not fail', () => {
    const baseline = readBaseline(
      JSON.stringify({
        format: 1,
        key: 'k',
        sha: 'abc'.padEnd(40, '0'),
        ref: 'refs/heads/main',
        runId: '1',
        runAttempt: '1',
        savedAt: '2026-11-29T10:00:00.000Z',
        checks: {
          '/a': { samples: 10, p50: 50, p90: 90, p95: 100, p99: 120 },
          '/b': { samples: 10, p50: 1, p90: 1, p95: 10, p99: 10 },
        },
      }),
      'k',
    )!;
    const lt = parseRegressionRule('p(95) < 1.5x')!;
    const le = parseRegressionRule('p(95) <= 1.5x')!;
    const slack = parseRegressionRule('p(95) < 1.5x + 10ms')!;
    const check = (name: string, p95: number) => ({ name, latency: { count: 10, p50: 1, p90: 1, p95, p99: p95 } });
    const verdicts = (rules: (typeof lt)[], checks: MeasuredCheck[]) => {
      const outcome = compareWithBaseline(rules, checks, baseline);
      return outcome.status === 'compared'
        ? outcome.comparisons.map((c) => [c.check, c.rule, c.measured, c.baseline, c.limit, c.verdict])
        : [];
    };
    expect(verdicts([lt, le], [check('/a', 150)])).toEqual([
      ['/a', 'p(95)<1.5x', 150, 100, 150, 'failed'],
      ['/a', 'p(95)<=1.5x', 150, 100, 150, 'passed'],
    ]);
    expect(verdicts([lt, slack], [check('/b', 20)])).toEqual([
      ['/b', 'p(95)<1.5x', 20, 10, 15, 'failed'],
      ['/b', 'p(95)<1.5x+10ms', 20, 10, 25, 'passed'],
    ]);
    expect(verdicts([lt], [check('/new', 999), { name: '/a' }])).toEqual([
      ['/new', 'p(95)<1.5x', 999, undefined, undefined, 'no baseline'],
      ['/a', 'p(95)<1.5x', undefined, 100, 150, 'no samples'],
    ]);
  });

  test('a restored file is trusted for nothing: another key, another format or one bad figure is not a baseline', () => {
    const about = { sha: '', ref: 'refs/heads/main', runId: '1', runAttempt: '1', savedAt: '2026-11-29T10:00:00.000Z' };
    const good = { samples: 1, p50: 1, p90: 1, p95: 1, p99: 1 };
    expect(readBaseline('not json', 'k')).toBeUndefined();
    expect(readBaseline(JSON.stringify({ format: 2, key: 'k', ...about, checks: {} }), 'k')).toBeUndefined();
    expect(readBaseline(JSON.stringify({ format: 1, key: 'other', ...about, checks: {} }), 'k')).toBeUndefined();
    expect(
      readBaseline(
        JSON.stringify({ format: 1, key: 'k', ...about, checks: { '/a': { ...good, p50: -1 }, '/b': good } }),
        'k',
      ),
    ).toBeUndefined();
    expect(
      readBaseline(JSON.stringify({ format: 1, key: 'k', ...about, checks: { '/b': good } }), 'k')?.checks,
    ).toEqual({ '/b': good });
  });
});

describe('the loopback cache service, judged by the official clients', () => {
  const twirp = async (method: string, body: unknown, token: string) => {
    const response = await fetch(`${cache.url}twirp/github.actions.results.api.v1.CacheService/${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, string> };
  };

  test("the Azure SDK's staged upload (blocks, then the block list) makes the entry's archive; a tampered signature is refused", async () => {
    const { BlockBlobClient, RestError } = await import('@azure/storage-blob');
    const token = cache.token([{ scope: 'refs/heads/blocks', permission: 3 }]);
    const created = await twirp('CreateCacheEntry', { key: 'blocks-1', version: 'v1' }, token);
    expect(created.body.ok).toBe(true);
    const data = Buffer.from(Array.from({ length: 5000 }, (_, i) => i % 251));
    // Small blocks force the SDK into Put Block + Put Block List, as it does for archives over 128 MiB.
    await new BlockBlobClient(created.body.signed_upload_url as string).uploadData(data, {
      maxSingleShotSize: 1024,
      blockSize: 1024,
      concurrency: 2,
    });
    const entry = cache.entries.find((e) => e.key === 'blocks-1');
    expect(entry?.blob?.equals(data)).toBe(true);
    expect(cache.server.requests.filter((r) => r.path.includes('comp=block&')).length).toBe(5);
    expect(
      (await twirp('FinalizeCacheEntryUpload', { key: 'blocks-1', version: 'v1', size_bytes: '5000' }, token)).body,
    ).toMatchObject({ ok: true });

    const tampered = (created.body.signed_upload_url as string).replace(/sig=[^&]+/, 'sig=AAAA');
    const refused = await new BlockBlobClient(tampered).uploadData(data).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(RestError);
    expect((refused as InstanceType<typeof RestError>).statusCode).toBe(403);
    expect((refused as InstanceType<typeof RestError>).code).toBe('AuthenticationFailed');
  });

  test('twirp: a second entry for the same key, version and scope is refused; a bad token is unauthenticated', async () => {
    const token = cache.token([{ scope: 'refs/heads/dup', permission: 3 }]);
    expect((await twirp('CreateCacheEntry', { key: 'dup', version: 'v1' }, token)).status).toBe(200);
    expect(await twirp('CreateCacheEntry', { key: 'dup', version: 'v1' }, token)).toMatchObject({
      status: 409,
      body: { code: 'already_exists' },
    });
    expect(await twirp('GetCacheEntryDownloadURL', { key: 'dup', version: 'v1' }, `${token}x`)).toMatchObject({
      status: 401,
      body: { code: 'unauthenticated' },
    });
    // Reserved but never finalized: not restorable.
    expect((await twirp('GetCacheEntryDownloadURL', { key: 'dup', version: 'v1' }, token)).body).toEqual({ ok: false });
  });
});
