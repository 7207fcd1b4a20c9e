// The bake window's Sentry gate (smoke-test mode: watch, sentry-max-new-issues) through the bundle: production
// answers 200 throughout, and the window still fails when Sentry reports new issues for the release, raised
// mid-window; it passes with the threshold above their count; the token never shows.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import { type RunOptions, type RunResult, runBundle } from '../cli/local-runner.js';
import { type FakeSentry, startFakeSentry } from '../cli/sandbox/sentry.js';
import { json, startTarget, type Target } from './fakes/smoke-target.js';
import { closedPort, errors, expectNoSecrets, warnings } from './support.js';

const SHA = '89abcdef0123456789abcdef0123456789abcdef';
let app: Target;
let sentry: FakeSentry;
const workspace = mkdtempSync(join(tmpdir(), 'sentry-watch-ws-'));

beforeAll(async () => {
  app = await startTarget();
  sentry = await startFakeSentry({ ingestMs: 100 });
});
afterAll(async () => {
  await app.close();
  await sentry.close();
});
beforeEach(() => {
  app.reset();
  app.route('/api/health', json(200, { status: 'pass' }));
  sentry.issues.length = 0;
});

function watch(inputs: RunOptions['inputs']): Promise<RunResult> {
  return runBundle({
    action: 'smoke-test',
    inputs: {
      mode: 'watch',
      'watch-interval': '1s',
      'base-url': app.url,
      paths: '/api/health',
      'sentry-url': sentry.url,
      'sentry-org': sentry.org,
      'sentry-project': sentry.project,
      'sentry-token': sentry.token,
      'sentry-environment': 'production',
      ...inputs,
    },
    env: { GITHUB_SHA: SHA },
    workspace,
    timeoutMs: 60_000,
  });
}

/** Raises `count` issues for the release once the window has run `afterMs` (its first issues read found none). */
function raiseMidWindow(count: number, afterMs: number, release = SHA): Promise<number> {
  return new Promise((resolve) =>
    setTimeout(() => {
      for (let i = 0; i < count; i++)
        sentry.raiseIssue(release, { title: `TypeError: cannot read 'total' (${i})`, count: 3 });
      resolve(Date.now());
    }, afterMs),
  );
}

const issueReads = () =>
  sentry.server.requests.filter((r) => r.path.startsWith(`/api/0/projects/${sentry.org}/${sentry.project}/issues/`));

describe('bake window: sentry-max-new-issues', () => {
  test('a healthy URL, but new issues for the release mid-window: the window fails on Sentry', async () => {
    const before = issueReads().length;
    const [result, raisedAt] = await Promise.all([
      watch({ 'watch-window': '8s', 'sentry-max-new-issues': '0' }),
      raiseMidWindow(2, 2500),
    ]);
    expect(result.exitCode).not.toBe(0);
    expect(result.outputs.result).toBe('failed');
    expect(result.outputs['failure-reason']).toContain(`sentry new issues: 2 new issues in ${SHA} (max 0)`);
    // Which issues: their titles go with the count.
    expect(result.outputs['failure-reason']).toContain("TypeError: cannot read 'total'");
    // The URL itself never failed.
    expect(app.hits.every((h) => h.path === '/api/health')).toBe(true);
    expect(result.outputs['error-rate']).toBe('0');
    // Sentry was read from the first tick (finding nothing, before the issues were raised) until it failed the window.
    const reads = issueReads().slice(before);
    expect(reads.filter((r) => r.at < raisedAt).length).toBeGreaterThanOrEqual(1);
    expect(reads.length).toBeGreaterThanOrEqual(2);
    expect(Number(result.outputs.ticks)).toBeLessThan(8);
    const query = new URL(issueReads().at(-1)?.path as string, 'http://x').searchParams.get('query');
    expect(query).toContain(`firstRelease:"${SHA}" environment:"production"`);
    expectNoSecrets(result, [sentry.token]);
  }, 60_000);

  test('the same issues under a threshold above their count: the window passes', async () => {
    const [result] = await Promise.all([
      watch({ 'watch-window': '4s', 'sentry-max-new-issues': '3' }),
      raiseMidWindow(2, 1000),
    ]);
    expect({ code: result.exitCode, errors: errors(result) }).toEqual({ code: 0, errors: [] });
    expect(result.outputs.result).toBe('passed');
    expectNoSecrets(result, [sentry.token]);
  }, 60_000);

  test("another release's issues and another environment's do not count", async () => {
    // Raised mid-window, so only the release and environment terms of the search can keep them out.
    const raise = new Promise<void>((resolve) =>
      setTimeout(() => {
        sentry.raiseIssue('some-other-release', { title: 'old bug' });
        sentry.raiseIssue(SHA, { title: 'staging only', environment: 'staging' });
        resolve();
      }, 1000),
    );
    const [result] = await Promise.all([watch({ 'watch-window': '3s', 'sentry-max-new-issues': '0' }), raise]);
    expect(result.exitCode).toBe(0);
    expect(result.outputs.result).toBe('passed');
  }, 60_000);

  test('Sentry unreadable on every tick: warnings with its reason, and the window fails as not evaluated', async () => {
    const result = await watch({
      'watch-window': '3s',
      'sentry-max-new-issues': '0',
      'sentry-url': `http://127.0.0.1:${await closedPort()}`,
    });
    expect(result.exitCode).not.toBe(0);
    expect(result.outputs['failure-reason']).toMatch(
      /sentry new issues: could not be evaluated on any of 3 ticks \(last: .*connection refused/,
    );
    expect(warnings(result).join('\n')).toContain('connection refused');
  }, 60_000);

  test('a 429 on one tick is that tick unmeasured; the next tick reads Sentry and the window passes', async () => {
    sentry.server.inject(/\/issues\//, {
      kind: 'status',
      status: 429,
      headers: { 'retry-after': '30' },
      body: '{"detail":"Too many requests"}',
    });
    const result = await watch({ 'watch-window': '3s', 'sentry-max-new-issues': '0' });
    expect({ code: result.exitCode, result: result.outputs.result }).toEqual({ code: 0, result: 'passed' });
    expect(warnings(result).join('\n')).toContain('Too many requests');
  }, 60_000);

  test('sentry-max-new-issues outside watch mode, or without Sentry named, is a problem reported with the others', async () => {
    const result = await watch({
      mode: 'gate',
      'sentry-max-new-issues': 'none',
      'sentry-token': '',
      'sentry-environment': '',
    });
    expect(result.exitCode).not.toBe(0);
    const message = errors(result).join('\n');
    expect(message).toContain("Input 'sentry-max-new-issues' must be a whole number from 0 to 100000");
    expect(message).toContain("Input 'sentry-max-new-issues' gates the bake window: set mode: watch too");
    expect(message).toContain("Input 'sentry-token' is required when");
    expect(message).toContain("Input 'sentry-environment' is required with 'sentry-max-new-issues'");
  });
});
