// Sentry release health gates (smoke-test sentry-crash-free-sessions, sentry-crash-free-users) through the bundle,
// against the loopback Sentry's sessions API: production answers its health check 200 throughout, and the bake
// window still fails when only 92% of the release's sessions are crash-free against a threshold of 99, naming the
// gate, the value read and the threshold; 99.9% passes. Too few sessions, or none, is no reading: inconclusive at
// the window's end unless gates-no-data is pass. Sentry's rate limit is respected. The token never shows.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import { type RunOptions, type RunResult, runBundle } from '../cli/local-runner.js';
import { type FakeSentry, startFakeSentry } from '../cli/sandbox/sentry.js';
import { SentryClient } from '../shared/sentry.js';
import { json, startTarget, type Target } from './fakes/smoke-target.js';
import { errors, expectNoSecrets, warnings } from './support.js';

const SHA = 'c0ffee0123456789abcdef0123456789abcdef01';
let app: Target;
let sentry: FakeSentry;
const workspace = mkdtempSync(join(tmpdir(), 'sentry-health-ws-'));

beforeAll(async () => {
  app = await startTarget();
  sentry = await startFakeSentry();
  // The release as deploy leaves it in Sentry: created for the project, deployed to production.
  const client = new SentryClient({ url: sentry.url, org: sentry.org, project: sentry.project, token: sentry.token });
  await client.createRelease(SHA);
  await client.createDeploy(SHA, { environment: 'production', dateFinished: new Date() });
});
afterAll(async () => {
  await app.close();
  await sentry.close();
});
beforeEach(() => {
  app.reset();
  app.route('/api/health', json(200, { status: 'pass' }));
  sentry.sessions.length = 0;
  sentry.server.requests.length = 0;
});

function smokeTest(inputs: RunOptions['inputs']): Promise<RunResult> {
  return runBundle({
    action: 'smoke-test',
    inputs: {
      'base-url': app.url,
      paths: '/api/health',
      'sentry-url': sentry.url,
      'sentry-org': sentry.org,
      'sentry-project': sentry.project,
      'sentry-token': sentry.token,
      'sentry-environment': 'production',
      timeout: '2s',
      ...inputs,
    },
    env: { GITHUB_SHA: SHA },
    workspace,
    timeoutMs: 60_000,
  });
}

const watch = (inputs: RunOptions['inputs']) =>
  smokeTest({ mode: 'watch', 'watch-interval': '1s', 'watch-window': '4s', 'watch-fail-after': '2', ...inputs });

const sessionReads = () =>
  sentry.server.requests.filter((r) => r.path.startsWith(`/api/0/organizations/${sentry.org}/sessions/`));

describe('bake window: sentry-crash-free-sessions and sentry-crash-free-users', () => {
  test('92% of the sessions crash-free against 99: the window fails on Sentry, naming the gate, the value read and the threshold', async () => {
    sentry.recordSessions(SHA, { healthy: 230, crashed: 20 });
    const result = await watch({ 'sentry-crash-free-sessions': '99' });
    expect(result.exitCode).not.toBe(0);
    expect(result.outputs.result).toBe('failed');
    // The checks passed on every tick: only Sentry failed the window, after watch-fail-after readings in a row.
    expect(result.outputs['error-rate']).toBe('0');
    expect(result.outputs.ticks).toBe('2');
    const reason = result.outputs['failure-reason'] as string;
    expect(reason).toContain(
      `sentry crash-free sessions >= 99%: read 92% over 250 sessions (250 users) of ${SHA} since `,
    );
    expect(reason).toMatch(/\(must be >= 99%\) on 2 ticks in a row/);
    expect(result.visibleStdout).toMatch(/sentry crash-free sessions >= 99% ❌ read 92% over 250 sessions/);
    expect(errors(result).some((e) => e.includes('sentry crash-free sessions >= 99%: read 92%'))).toBe(true);
    expect(result.summary).toContain('Metric gates: readings per tick');
    expect(result.summary).toContain('sentry crash-free sessions >= 99%');
    expect(result.summary).toContain('(92 92)');
    expect(result.summary).toContain('✗ failed');
    // What was asked: the release in the environment, the window so far, by the project's id.
    const asked = new URL(sessionReads().at(-1)!.path, sentry.url).searchParams;
    expect(asked.get('query')).toBe(`release:"${SHA}"`);
    expect(asked.getAll('environment')).toEqual(['production']);
    expect(asked.get('statsPeriod')).toMatch(/^\d+s$/);
    expectNoSecrets(result, [sentry.token]);
  }, 60_000);

  test('99.9% of the sessions and 99.9% of the users crash-free: the window passes, one request a tick for both gates', async () => {
    sentry.recordSessions(SHA, { healthy: 999, crashed: 1 });
    const result = await watch({ 'sentry-crash-free-sessions': '99.5', 'sentry-crash-free-users': '99%' });
    expect({ code: result.exitCode, errors: errors(result) }).toEqual({ code: 0, errors: [] });
    expect(result.outputs.result).toBe('passed');
    expect(result.visibleStdout).toMatch(/sentry crash-free sessions >= 99\.5% ✅ read 99\.9% over 1000 sessions/);
    expect(result.visibleStdout).toMatch(/sentry crash-free users >= 99% ✅ read 99\.9% over 1000 sessions/);
    expect(result.summary).toContain('(99.9 99.9 99.9 99.9)');
    expect(sessionReads()).toHaveLength(4);
    expectNoSecrets(result, [sentry.token]);
  }, 60_000);

  test('too few sessions to judge: inconclusive at the window end, naming the gate; with gates-no-data: pass, it passes as no data', async () => {
    // 1 crash in 5 sessions would read 80%: noise, not a verdict.
    sentry.recordSessions(SHA, { healthy: 4, crashed: 1 });
    const result = await watch({ 'sentry-crash-free-sessions': '99' });
    expect(result.exitCode).not.toBe(0);
    expect(result.outputs.result).toBe('inconclusive');
    expect(result.outputs.ticks).toBe('4');
    const reason = result.outputs['failure-reason'] as string;
    expect(reason).toContain('sentry crash-free sessions >= 99%: inconclusive, no reading on 4 ticks in a row');
    expect(reason).toContain('too few sessions to judge: 5 sessions');
    expect(reason).toContain('fewer than sentry-health-min-sessions (30)');
    expect(result.summary).toContain('⚠ inconclusive');

    const passing = await watch({ 'sentry-crash-free-sessions': '99', 'gates-no-data': 'pass' });
    expect(passing.exitCode).toBe(0);
    expect(passing.outputs.result).toBe('passed');
    expect(passing.summary).toContain('no data (passed: gates-no-data is pass)');

    // A lower minimum judges the same five sessions.
    const judged = await watch({ 'sentry-crash-free-sessions': '99', 'sentry-health-min-sessions': '5' });
    expect(judged.outputs.result).toBe('failed');
    expect(judged.outputs['failure-reason']).toContain('read 80% over 5 sessions');
    expectNoSecrets(result, [sentry.token]);
  }, 90_000);

  test('sessions sent without a user: the users gate has no reading (inconclusive), the sessions gate still judges', async () => {
    sentry.recordSessions(SHA, { healthy: 100, users: [], crashedUsers: [] });
    const result = await watch({ 'sentry-crash-free-sessions': '99', 'sentry-crash-free-users': '99' });
    expect(result.outputs.result).toBe('inconclusive');
    expect(result.visibleStdout).toMatch(
      /sentry crash-free sessions >= 99% ✅ read 100% over 100 sessions \(0 users\)/,
    );
    expect(result.outputs['failure-reason']).toContain(
      'sentry crash-free users >= 99%: inconclusive, no reading on 4 ticks',
    );
    expect(result.outputs['failure-reason']).toContain('Sentry rated no user');
    expect(result.outputs['failure-reason']).not.toContain('sentry crash-free sessions');
  }, 60_000);

  test('a release Sentry does not know: no reading on any tick, inconclusive, saying why', async () => {
    const result = await watch({ 'sentry-crash-free-users': '99', 'sentry-release': 'never-released-1.0' });
    expect(result.outputs.result).toBe('inconclusive');
    expect(result.outputs['failure-reason']).toContain(
      'sentry crash-free users >= 99%: inconclusive, no reading on 4 ticks in a row',
    );
    expect(result.outputs['failure-reason']).toContain("Sentry has no release 'never-released-1.0'");
    expect(warnings(result).join('\n')).toContain('sentry crash-free users >= 99%: not evaluated on tick 1');
    expectNoSecrets(result, [sentry.token]);
  }, 60_000);

  test('a 429: Sentry is not asked again before its Retry-After ends, and the window goes on', async () => {
    sentry.recordSessions(SHA, { healthy: 1000 });
    sentry.server.inject(/\/sessions\//, {
      kind: 'status',
      status: 429,
      headers: { 'retry-after': '2' },
      body: '{"detail":"You are attempting to use this endpoint too frequently."}',
    });
    const result = await watch({ 'sentry-crash-free-sessions': '99', 'watch-window': '5s', 'watch-fail-after': '4' });
    expect({ code: result.exitCode, result: result.outputs.result }).toEqual({ code: 0, result: 'passed' });
    expect(warnings(result).join('\n')).toContain('too frequently');
    expect(warnings(result).join('\n')).toContain('rate limited');
    const reads = sessionReads();
    // The tick after the 429 sent nothing; the next request came once Retry-After (2s) had passed.
    expect(reads.length).toBeLessThan(5);
    expect((reads[1]?.at ?? 0) - (reads[0]?.at ?? 0)).toBeGreaterThanOrEqual(2000);
  }, 60_000);
});

describe('one-shot smoke test', () => {
  test('mode gate reads the release over the last 24 hours once: 92% fails the run, naming the gate', async () => {
    sentry.recordSessions(SHA, { healthy: 230, crashed: 20 });
    const result = await smokeTest({ 'sentry-crash-free-sessions': '99' });
    expect(result.exitCode).not.toBe(0);
    expect(result.outputs.result).toBe('failed');
    expect(result.outputs['failure-reason']).toContain('sentry crash-free sessions >= 99%: read 92% over 250 sessions');
    expect(result.summary).toContain('**Metric gates** (one reading each)');
    expect(new URL(sessionReads().at(-1)!.path, sentry.url).searchParams.get('statsPeriod')).toBe('24h');
    expectNoSecrets(result, [sentry.token]);
  }, 60_000);
});

describe('inputs', () => {
  test('every problem at once: a threshold that is no percentage, a minimum without a gate, no environment, no Sentry', async () => {
    const result = await smokeTest({
      'sentry-crash-free-sessions': '99.5 percent',
      'sentry-crash-free-users': '101',
      'sentry-health-min-sessions': '0',
      'sentry-environment': '',
    });
    expect(result.exitCode).not.toBe(0);
    const message = errors(result).join('\n');
    expect(message).toContain(
      "Input 'sentry-crash-free-sessions' must be a percentage from 0 to 100, like 99.5 or 99.5%",
    );
    expect(message).toContain("Input 'sentry-crash-free-users' must be a percentage from 0 to 100");
    expect(message).toContain("Input 'sentry-health-min-sessions' must be a whole number from 1");
    expect(message).toContain(
      "Input 'sentry-environment' is required with 'sentry-crash-free-sessions' and 'sentry-crash-free-users'",
    );
    expect(sessionReads()).toHaveLength(0);

    const stray = await smokeTest({
      'sentry-health-min-sessions': '10',
      'sentry-token': '',
      'sentry-org': '',
      'sentry-project': '',
      'sentry-crash-free-users': '99',
    });
    const strayMessage = errors(stray).join('\n');
    expect(strayMessage).toContain(
      "Input 'sentry-crash-free-users' needs Sentry: set sentry-org, sentry-project and sentry-token too",
    );
    const alone = await smokeTest({ 'sentry-health-min-sessions': '10' });
    expect(errors(alone).join('\n')).toContain(
      "Input 'sentry-health-min-sessions' is for the release health gates: set 'sentry-crash-free-sessions' or 'sentry-crash-free-users' too",
    );
  }, 60_000);
});
