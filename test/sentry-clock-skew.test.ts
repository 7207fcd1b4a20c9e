// The bake window's Sentry gate counts new issues since the window began on Sentry's clock (the Date header of its
// answers), not the runner's: Sentry stamps each issue's firstSeen with its own. Through the smoke-test bundle with
// the runner's wall clock skewed by an hour (a preload, test/fixtures/runner-clock-skew.mjs): an hour ahead, the
// issues raised mid-window still fail it; an hour behind, an issue first seen ten minutes before the window is not
// counted as new.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import { type RunOptions, type RunResult, runBundle } from '../cli/local-runner.js';
import { type FakeSentry, startFakeSentry } from '../cli/sandbox/sentry.js';
import { json, startTarget, type Target } from './fakes/smoke-target.js';
import { expectNoSecrets } from './support.js';

const SHA = '0aa1bb2cc3dd4ee5ff60718293a4b5c6d7e8f901';
const HOUR = 3_600_000;
const preload = fileURLToPath(new URL('./fixtures/runner-clock-skew.mjs', import.meta.url));
let app: Target;
let sentry: FakeSentry;
const workspace = mkdtempSync(join(tmpdir(), 'sentry-clock-skew-'));

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
  sentry.server.requests.length = 0;
});

function watch(skewMs: number, inputs: RunOptions['inputs']): Promise<RunResult> {
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
      'sentry-max-new-issues': '0',
      ...inputs,
    },
    env: { GITHUB_SHA: SHA, NODE_OPTIONS: `--import=${preload}`, RUNNER_CLOCK_SKEW_MS: String(skewMs) },
    workspace,
    timeoutMs: 60_000,
  });
}

/** Raises `count` issues for the release once the window has run `afterMs`. */
const raiseMidWindow = (count: number, afterMs: number) =>
  new Promise<void>((resolve) =>
    setTimeout(() => {
      for (let i = 0; i < count; i++) sentry.raiseIssue(SHA, { title: `TypeError: skewed (${i})` });
      resolve();
    }, afterMs),
  );

/** The firstSeen lower bound of the gate's issue searches, in ms since the epoch. */
const searchedSince = (): number[] =>
  sentry.server.requests
    .filter((r) => r.path.includes('/issues/'))
    .map((r) => /firstSeen:>=(\S+)/.exec(new URL(r.path, 'http://x').searchParams.get('query') ?? '')?.[1])
    .map((since) => Date.parse(since as string));

describe("the Sentry gate runs on Sentry's clock", () => {
  test('runner clock an hour ahead: issues raised mid-window still fail it', async () => {
    const startedAt = Date.now();
    const [result] = await Promise.all([watch(+HOUR, { 'watch-window': '8s' }), raiseMidWindow(2, 2500)]);
    expect(result.outputs.result).toBe('failed');
    expect(result.outputs['failure-reason']).toContain(`sentry new issues: 2 new issues in ${SHA} (max 0)`);
    // Every search starts at the window's start on Sentry's (this machine's real) clock, not an hour later.
    for (const since of searchedSince()) {
      expect(since).toBeGreaterThan(startedAt - 5000);
      expect(since).toBeLessThan(startedAt + 15_000);
    }
    expectNoSecrets(result, [sentry.token]);
  }, 60_000);

  test('runner clock an hour behind: an issue first seen ten minutes before the window is not new; one raised in it is', async () => {
    sentry.raiseIssue(SHA, { title: 'Error: from before the window', firstSeen: new Date(Date.now() - 10 * 60_000) });
    const [result] = await Promise.all([watch(-HOUR, { 'watch-window': '8s' }), raiseMidWindow(1, 2500)]);
    expect(result.outputs.result).toBe('failed');
    expect(result.outputs['failure-reason']).toContain(`sentry new issues: 1 new issue in ${SHA} (max 0)`);
    expect(result.outputs['failure-reason']).not.toContain('from before the window');
  }, 60_000);

  test('runner clock an hour behind, no issue in the window: the window passes', async () => {
    sentry.raiseIssue(SHA, { title: 'Error: from before the window', firstSeen: new Date(Date.now() - 10 * 60_000) });
    const result = await watch(-HOUR, { 'watch-window': '3s' });
    expect({ result: result.outputs.result, reason: result.outputs['failure-reason'] ?? '' }).toEqual({
      result: 'passed',
      reason: '',
    });
    expect(result.exitCode).toBe(0);
  }, 60_000);
});
