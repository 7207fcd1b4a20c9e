// shared/sentry.ts against the loopback Sentry fake: the client's calls, its answers to Sentry's faults (the one HTTP
// layer's retry table: 429 after Retry-After, 5xx, a lost answer never making a second deploy), the issues search
// with Link-header pagination, and the bake-window gate sentryNewIssuesGate.
import { afterAll, afterEach, beforeAll, describe, expect, test } from '@jest/globals';
import { type FakeSentry, startFakeSentry } from '../cli/sandbox/sentry.js';
import { closedPort } from '../cli/sandbox/ports.js';
import { ProviderError } from '../shared/errors.js';
import { newIssuesQuery, nextCursor, SentryClient, type SentryConfig, sentryNewIssuesGate } from '../shared/sentry.js';
import { eventually } from './support-waits.js';

let fake: FakeSentry;
/** The clock of Sentry's background work (ingestion, fetching commits): moved by the tests, never waited for. */
let sentryTime = 0;
const noWait = { sleep: async () => undefined, retry: { baseDelayMs: 1, maxDelayMs: 2 } };
const client = (extra: Partial<SentryConfig> = {}) =>
  new SentryClient({ url: fake.url, org: fake.org, project: fake.project, token: fake.token, ...extra });

beforeAll(async () => {
  fake = await startFakeSentry({ ingestMs: 150, commitsMs: 1500, pageSize: 3, clock: () => sentryTime });
});
afterAll(() => fake.close());
afterEach(() => {
  fake.server.clearFaults();
  fake.server.requests.length = 0;
});

describe('the Sentry client', () => {
  test('creates a release, associates its commit, finalizes it and records a deploy with start and finish', async () => {
    const started = new Date(Date.now() - 90_000);
    const finished = new Date(Date.now() - 10_000);
    const c = client();
    const created = await c.createRelease('r-1', ['web'], started);
    expect(created.version).toBe('r-1');
    // Sent again (a re-run): Sentry answers 208 with the same release; still one release.
    await c.createRelease('r-1', ['web'], started);
    expect([...fake.releases.keys()].filter((v) => v === 'r-1')).toHaveLength(1);
    await c.setCommits('r-1', [{ repository: 'acme/web', commit: 'f'.repeat(40) }]);
    // Commits are fetched by Sentry in the background: none at first, then the head commit.
    expect((await c.release('r-1'))?.commitCount).toBe(0);
    await c.finalizeRelease('r-1', finished);
    const deploy = await c.createDeploy('r-1', {
      environment: 'production',
      name: 'dpl_9',
      dateStarted: started,
      dateFinished: finished,
    });
    expect(fake.releases.get('r-1')).toMatchObject({
      dateStarted: started.toISOString(),
      dateReleased: finished.toISOString(),
      refs: [{ repository: 'acme/web', commit: 'f'.repeat(40) }],
    });
    expect(fake.deploys.find((d) => d.id === deploy.id)).toMatchObject({
      environment: 'production',
      name: 'dpl_9',
      dateStarted: started.toISOString(),
      dateFinished: finished.toISOString(),
    });
    expect((await c.deploys('r-1')).map((d) => d.id)).toContain(deploy.id);
    sentryTime += 1499;
    expect((await c.release('r-1'))?.commitCount).toBe(0);
    sentryTime += 1;
    expect((await c.release('r-1'))?.commitCount).toBe(1);
    expect(await c.release('never-made')).toBeUndefined();
  });

  test("Sentry's own reasons come back: a bad token, an unknown repository, a refused version", async () => {
    await expect(client({ token: 'sntryu_wrong' }).createRelease('r-x')).rejects.toThrow(
      /Sentry create release failed: Invalid token \(HTTP 401\)/,
    );
    await client().createRelease('r-2');
    await expect(client().setCommits('r-2', [{ repository: 'someone/else', commit: 'abc' }])).rejects.toThrow(
      'Invalid repository names: someone/else',
    );
    await expect(client().createRelease('latest')).rejects.toThrow(/version: Release with name latest is not allowed/);
    const notFound = await client({ org: 'nope' })
      .createRelease('r-3')
      .catch((e: unknown) => e);
    expect(notFound).toBeInstanceOf(ProviderError);
    expect((notFound as ProviderError).hint).toContain('sentry-org');
  });

  test('429 with Retry-After and a 502 are retried; the release is made once', async () => {
    const waits: number[] = [];
    fake.server.inject(
      /\/releases\/$/,
      { kind: 'status', status: 429, headers: { 'retry-after': '2' }, body: '{"detail":"slow down"}' },
      { kind: 'status', status: 502, body: 'bad gateway' },
    );
    await client({ sleep: async (ms) => void waits.push(ms), retry: { baseDelayMs: 1, maxDelayMs: 2 } }).createRelease(
      'r-retry',
    );
    expect(waits[0]).toBe(2000);
    expect(fake.server.requests.filter((r) => r.method === 'POST')).toHaveLength(3);
    expect(fake.releases.has('r-retry')).toBe(true);
  });

  test('a deploy whose answer was lost is found, not made twice; one that never arrived is sent again', async () => {
    const c = client(noWait);
    await c.createRelease('r-lost');
    fake.server.inject(/\/deploys\/$/, { kind: 'reset-after-handling' });
    const finished = new Date();
    const first = await c.createDeploy('r-lost', { environment: 'production', dateFinished: finished });
    expect(fake.deploys.filter((d) => d.release === 'r-lost')).toHaveLength(1);
    expect(first.id).toBe(fake.deploys.find((d) => d.release === 'r-lost')?.id);

    fake.server.inject(/\/deploys\/$/, { kind: 'reset' });
    await c.createDeploy('r-lost', { environment: 'staging', dateFinished: new Date() });
    expect(fake.deploys.filter((d) => d.release === 'r-lost').map((d) => d.environment)).toEqual([
      'production',
      'staging',
    ]);
  });

  test('a deploy POST that timed out is not sent again: Sentry may still be making it', async () => {
    const c = client({ ...noWait, timeoutMs: 300 });
    await c.createRelease('r-slow');
    fake.server.inject(/\/deploys\/$/, { kind: 'delay', ms: 1500 });
    await expect(c.createDeploy('r-slow', { environment: 'production', dateFinished: new Date() })).rejects.toThrow();
    // Once Sentry has acted on everything it was sent (the slow POST included): one deploy, from one POST.
    await fake.server.idle();
    expect(fake.server.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/deploys/'))).toHaveLength(1);
    expect(fake.deploys.filter((d) => d.release === 'r-slow')).toHaveLength(1);
  });

  test('new issues: the release, the environment and the window only, every page, ingestion taking time', async () => {
    const since = new Date(Date.now() - 1000);
    fake.raiseIssue('r-issues', { title: 'before the window', firstSeen: new Date(since.getTime() - 60_000) });
    for (let i = 0; i < 7; i++) fake.raiseIssue('r-issues', { title: `TypeError ${i}`, count: i + 1 });
    fake.raiseIssue('r-issues', { title: 'in staging', environment: 'staging' });
    fake.raiseIssue('r-other', { title: 'another release' });
    fake.raiseIssue('r-issues', { title: 'resolved already', status: 'resolved' });
    // Not ingested yet: Sentry has not seen them.
    expect((await client().newIssuesFor('r-issues', 'production', since)).count).toBe(0);
    sentryTime += 150;
    const found = await client().newIssuesFor('r-issues', 'production', since);
    expect(found.count).toBe(7);
    expect(found.truncated).toBe(false);
    expect(found.issues.map((i) => i.title).sort()).toEqual(Array.from({ length: 7 }, (_, i) => `TypeError ${i}`));
    expect(found.issues.find((i) => i.title === 'TypeError 6')).toMatchObject({
      count: 7,
      shortId: expect.stringMatching(/^WEB-/),
      permalink: expect.stringContaining('/organizations/acme/issues/'),
    });
    // Three a page: three requests, each following the Link header's next cursor.
    const pages = fake.server.requests.filter((r) => r.path.includes('/issues/')).slice(-3);
    expect(pages.map((r) => new URL(r.path, 'http://x').searchParams.get('cursor'))).toEqual(['', '0:3:0', '0:6:0']);
  });

  test('a search Sentry refuses is an error with its reason', async () => {
    fake.server.inject(/\/issues\//, { kind: 'status', status: 400, body: '{"detail":"Invalid search query"}' });
    await expect(client().newIssuesFor('r', 'production', new Date())).rejects.toThrow('Invalid search query');
  });

  test('Link headers: the next cursor only when it has results', () => {
    const link = (results: boolean) =>
      `<https://sentry.io/api/0/projects/a/b/issues/?cursor=0:0:1>; rel="previous"; results="false"; cursor="0:0:1", <https://sentry.io/api/0/projects/a/b/issues/?cursor=0:100:0>; rel="next"; results="${results}"; cursor="0:100:0"`;
    expect(nextCursor(link(true))).toBe('0:100:0');
    expect(nextCursor(link(false))).toBeUndefined();
    expect(nextCursor(null)).toBeUndefined();
  });

  test('the search names the release and environment quoted, and the window start', () => {
    expect(newIssuesQuery('web@1.2 "rc"', 'production', new Date('2026-01-02T03:04:05.006Z'))).toBe(
      'is:unresolved firstRelease:"web@1.2 \\"rc\\"" environment:"production" firstSeen:>=2026-01-02T03:04:05.006Z',
    );
  });
});

describe('sentryNewIssuesGate', () => {
  const tick = () => AbortSignal.timeout(10_000);

  test('fails above the threshold with the issues named, passes at or under it', async () => {
    const since = new Date(Date.now() - 1000);
    const strict = sentryNewIssuesGate(client(), 'r-gate', 'production', since, 0);
    const lenient = sentryNewIssuesGate(client(), 'r-gate', 'production', since, 2);
    expect(strict.name).toBe('sentry new issues');
    expect(await strict.check(tick())).toMatchObject({ ok: true, measurement: '0 new issues in r-gate (max 0)' });
    const raised = fake.raiseIssue('r-gate', { title: 'ReferenceError: x is not defined', count: 12 });
    fake.raiseIssue('r-gate', { title: 'second' });
    expect(await strict.check(tick())).toMatchObject({ ok: true, measurement: '0 new issues in r-gate (max 0)' });
    sentryTime += 150;
    const failed = await strict.check(tick());
    expect(failed).toMatchObject({ ok: false, measurement: '2 new issues in r-gate (max 0)' });
    expect(failed.detail).toContain(`${raised.shortId} ReferenceError: x is not defined (12 events)`);
    expect(await lenient.check(tick())).toMatchObject({ ok: true, measurement: '2 new issues in r-gate (max 2)' });
  });

  test("Sentry unreachable or refusing: the check throws with the reason (the window's unmeasured tick)", async () => {
    const down = new SentryClient({
      url: `http://127.0.0.1:${await closedPort()}`,
      org: 'acme',
      project: 'web',
      token: 't',
      ...noWait,
    });
    await expect(sentryNewIssuesGate(down, 'r', 'production', new Date(), 0).check(tick())).rejects.toThrow(
      'connection refused',
    );
    await expect(
      sentryNewIssuesGate(client({ token: 'sntryu_bad' }), 'r', 'production', new Date(), 0).check(tick()),
    ).rejects.toThrow('Invalid token');
  });

  test("the tick's signal ends a check Sentry does not answer", async () => {
    fake.server.inject(/\/issues\//, { kind: 'hang' });
    const controller = new AbortController();
    const checking = sentryNewIssuesGate(client(), 'r', 'production', new Date(), 0).check(controller.signal);
    // The tick ends once Sentry has the request: the check gives it up (Sentry sees the connection closed unanswered).
    const search = await eventually(
      fake.server.waitForRequest((r) => r.path.includes('/issues/')),
      'the issues search to reach Sentry',
    );
    controller.abort(new Error('the tick is over'));
    await expect(checking).rejects.toThrow();
    await eventually(
      fake.server.waitForAbandoned((r) => r === search),
      'the hung search to be given up',
    );
  });
});
