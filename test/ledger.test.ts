// The release ledger (shared/ledger.ts) through the real @octokit/rest against the loopback GitHub, which follows
// GitHub's documented rules: auto_inactive never touches production deployments, and the order of a
// deployment's statuses in an answer is not something to rely on.
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { type FakeGitHub, startFakeGitHub } from '../cli/sandbox/github.js';
import { createGitHubClient, waitsFor } from '../shared/github.js';
import { chronological, Ledger } from '../shared/ledger.js';
import * as choice from '../shared/release-choice.js';
import type { Release } from '../shared/providers/provider.js';

let github: FakeGitHub;
let ledger: Ledger;

beforeEach(async () => {
  github = await startFakeGitHub();
  ledger = new Ledger(await createGitHubClient({ token: github.token, apiUrl: github.url }), github.repository);
});
afterEach(() => github.close());

const release = (id: string): Release => ({
  provider: 'vercel',
  id,
  url: `https://${id}.example.com`,
  target: 'production',
  state: 'READY',
});
const sha = 'a'.repeat(40);

async function goLive(id: string, environment = 'production', production = true): Promise<number> {
  const entry = await ledger.record({
    key: `k-${id}`,
    release: release(id),
    environment,
    sha,
    ref: 'main',
    production,
    transient: !production,
    description: id,
  });
  await ledger.setStatus(entry, 'success', { description: `live: ${id}`, environmentUrl: `https://${id}.example.com` });
  return entry;
}

describe('the GitHub fake follows GitHub’s auto_inactive rule', () => {
  test('a success inactivates prior non-transient, non-production deployments only', async () => {
    const client = await createGitHubClient({ token: github.token, apiUrl: github.url });
    const [owner, repo] = github.repository.split('/') as [string, string];
    const create = async (production: boolean, transient: boolean) => {
      const { data } = await client.rest.repos.createDeployment({
        owner,
        repo,
        ref: sha,
        environment: 'staging',
        required_contexts: [],
        auto_merge: false,
        production_environment: production,
        transient_environment: transient,
      });
      const id = (data as { id: number }).id;
      await client.rest.repos.createDeploymentStatus({ owner, repo, deployment_id: id, state: 'success' });
      return id;
    };
    const plain = await create(false, false);
    const production = await create(true, false);
    const transient = await create(false, true);
    await create(false, false);
    const latest = (id: number) => github.deployments.find((d) => d.id === id)?.statuses[0]?.state;
    expect(latest(plain)).toBe('inactive');
    expect(latest(production)).toBe('success');
    expect(latest(transient)).toBe('success');
  });
});

describe('production releases', () => {
  test('a new live release retires the one it replaced (GitHub would leave both active)', async () => {
    await ledger.entries('production');
    const first = await goLive('dpl_one');
    const second = await goLive('dpl_two');
    expect(github.ledger('production')).toEqual([
      { id: second, release: 'dpl_two', state: 'success', rollback: false },
      { id: first, release: 'dpl_one', state: 'inactive', rollback: false },
    ]);
    expect(github.deployments.find((d) => d.id === first)?.statuses[0]?.description).toBe('replaced by dpl_two');
  });

  test('a ledger that has not read the environment yet reads it first, then retires what was live', async () => {
    const first = await goLive('dpl_one');
    const fresh = new Ledger(await createGitHubClient({ token: github.token, apiUrl: github.url }), github.repository);
    const entry = await fresh.record({
      key: 'k-two',
      release: release('dpl_two'),
      environment: 'production',
      sha,
      ref: 'main',
      production: true,
      transient: false,
      description: 'two',
    });
    await fresh.setStatus(entry, 'success');
    expect(github.ledger('production').map((e) => [e.release, e.state])).toEqual([
      ['dpl_two', 'success'],
      ['dpl_one', 'inactive'],
    ]);
    expect(github.ledger('production').find((e) => e.id === first)?.state).toBe('inactive');
  });

  test('previews (transient, not production) are left alone: each pull request keeps its own', async () => {
    await goLive('dpl_pr1', 'preview', false);
    await goLive('dpl_pr2', 'preview', false);
    expect(github.ledger('preview').map((e) => e.state)).toEqual(['success', 'success']);
  });
});

describe('status order', () => {
  test.each(['newest-first', 'oldest-first'] as const)(
    'the latest status is found by time, whatever order GitHub answers in (%s)',
    async (order) => {
      const first = await goLive('dpl_one');
      const second = await ledger.record({
        key: 'k-two',
        release: release('dpl_two'),
        environment: 'production',
        sha,
        ref: 'main',
        production: true,
        transient: false,
        description: 'two',
      });
      await ledger.setStatus(second, 'failure', { description: 'smoke test failed' });
      github.statusOrder = order;
      const entries = await new Ledger(
        await createGitHubClient({ token: github.token, apiUrl: github.url }),
        github.repository,
      ).entries('production');
      expect(entries.map((e) => [e.id, e.state, e.everSucceeded, e.everFailed])).toEqual([
        [second, 'failure', false, true],
        [first, 'success', true, false],
      ]);
      expect(choice.liveEntry(entries)?.id).toBe(first);
    },
  );

  test('statuses created in the same second are ordered by id', () => {
    const at = '2026-11-01T00:00:00Z';
    expect(
      chronological([
        { id: 9, state: 'success', created_at: at },
        { id: 3, state: 'in_progress', created_at: at },
        { id: 12, state: 'inactive', created_at: at },
      ]).map((s) => s.state),
    ).toEqual(['in_progress', 'success', 'inactive']);
  });
});

/** Puts `n` deployments straight into the fake, oldest first, each with the given status history (newest first). */
function seed(n: number, statuses: (i: number) => string[], environment = 'production'): void {
  for (let i = 0; i < n; i++) {
    const id = 50_000 + github.deployments.length;
    const at = new Date(Date.parse('2026-10-01T00:00:00Z') + github.deployments.length * 60_000)
      .toISOString()
      .replace(/\.\d+Z$/, 'Z');
    github.deployments.unshift({
      id,
      sha,
      ref: 'main',
      environment,
      payload: { shipline: 1, key: `seed-${id}`, release: release(`dpl_seed${id}`) },
      description: null,
      production_environment: true,
      transient_environment: false,
      created_at: at,
      statuses: statuses(i).map((state, k, all) => ({
        id: id * 10 + all.length - k,
        state,
        description: '',
        environment_url: '',
        log_url: '',
        created_at: at,
      })),
    });
  }
}

const calls = (pattern: RegExp) =>
  github.server.requests.filter((r) => r.method === 'GET' && pattern.test(r.path.split('?')[0] ?? '')).length;

describe('reading a long history', () => {
  test('every page of deployments is read: a good release behind 120 failed ones is found', async () => {
    seed(1, () => ['inactive', 'success', 'in_progress']);
    seed(1, () => ['success', 'in_progress']);
    seed(120, () => ['failure', 'in_progress']);
    const entries = await ledger.entries('production');
    expect(choice.liveEntry(entries)?.payload.release.id).toBe(`dpl_seed${50_001}`);
    expect(choice.previousGood(entries, choice.liveEntry(entries))?.payload.release.id).toBe(`dpl_seed${50_000}`);
  });

  test('statuses are read only as deep as decisions need (150 deployments: 2 list pages, 10 status reads)', async () => {
    seed(150, (i) => (i === 149 ? ['success', 'in_progress'] : ['inactive', 'success', 'in_progress']));
    github.server.requests.length = 0;
    const entries = await ledger.entries('production');
    expect(calls(/\/deployments$/)).toBe(2);
    expect(calls(/\/statuses$/)).toBe(10);
    expect(choice.liveEntry(entries)?.payload.release.id).toBe(`dpl_seed${50_149}`);
    expect(choice.previousGood(entries, choice.liveEntry(entries))?.payload.release.id).toBe(`dpl_seed${50_148}`);
  });

  test('a release asked for by id is read however deep it lies, with the good one before it', async () => {
    seed(150, () => ['inactive', 'success', 'in_progress']);
    const entries = await ledger.entries('production', { releaseIds: [`dpl_seed${50_010}`] });
    const deep = choice.byProviderId(entries, `dpl_seed${50_010}`);
    expect(deep?.everSucceeded).toBe(true);
    expect(choice.previousGood(entries, deep)?.payload.release.id).toBe(`dpl_seed${50_009}`);
  });
});

describe('writes that fail or happen twice', () => {
  test('a create whose answer is lost is looked up by its key, not sent again', async () => {
    github.failWrites({ fault: { kind: 'reset-after-handling' }, only: 'deployment', times: 1 });
    const id = await ledger.record({
      key: 'k-lost',
      release: release('dpl_lost'),
      environment: 'production',
      sha,
      ref: 'main',
      production: true,
      transient: false,
      description: 'lost',
    });
    expect(github.deployments.map((d) => d.id)).toEqual([id]);
    expect(github.ledger('production')).toEqual([{ id, release: 'dpl_lost', state: 'in_progress', rollback: false }]);
  });

  test('a create GitHub acted on twice (a client that retried the POST) reads as one entry: the one with statuses', async () => {
    const client = await createGitHubClient({ token: github.token, apiUrl: github.url });
    const [owner, repo] = github.repository.split('/') as [string, string];
    const payload = { shipline: 1, key: 'k-twice', release: release('dpl_twice') };
    await client.rest.repos.createDeployment({
      owner,
      repo,
      ref: sha,
      environment: 'production',
      required_contexts: [],
      auto_merge: false,
      payload,
    });
    const { data } = await client.rest.repos.createDeployment({
      owner,
      repo,
      ref: sha,
      environment: 'production',
      required_contexts: [],
      auto_merge: false,
      payload,
    });
    const used = (data as { id: number }).id;
    await ledger.setStatus(used, 'success');
    const entries = await ledger.entries('production');
    expect(entries.map((e) => [e.id, e.state])).toEqual([[used, 'success']]);
  });

  test('a refused write ends as a sentence naming the operation, GitHub’s message and the permission', async () => {
    github.failWrites({ fault: { kind: 'status', status: 403, message: 'Resource not accessible by integration' } });
    const attempt = ledger.record({
      key: 'k-refused',
      release: release('dpl_refused'),
      environment: 'production',
      sha,
      ref: 'main',
      production: true,
      transient: false,
      description: 'refused',
    });
    await expect(attempt).rejects.toThrow(
      'GitHub API: creating the deployment record failed: HTTP 403 Resource not accessible by integration',
    );
    await expect(attempt).rejects.toHaveProperty('hint', expect.stringContaining('permissions: deployments: write'));
    expect(github.server.requests.filter((r) => r.method === 'POST').length).toBe(1); // a refusal is not retried
  });
});

describe('reconciling with what the provider serves', () => {
  const entriesNow = () => new Ledger(ledger['github'], github.repository).entries('production');
  test.each([
    ['consistent', 'dpl_b', 'consistent'],
    ['unknown to the ledger', 'dpl_x', 'adopt'],
    ['older than the ledger’s live one (a rollback went unrecorded)', 'dpl_a', 'rolled-back'],
  ])('%s', async (_name, serving, kind) => {
    await goLive('dpl_a');
    await goLive('dpl_b');
    expect(choice.reconcile(await entriesNow(), release(serving)).kind).toBe(kind);
  });

  test('newer than the ledger’s live one, its success never recorded', async () => {
    await goLive('dpl_a');
    await ledger.record({
      key: 'k-c',
      release: release('dpl_c'),
      environment: 'production',
      sha,
      ref: 'main',
      production: true,
      transient: false,
      description: 'c',
    });
    expect(choice.reconcile(await entriesNow(), release('dpl_c')).kind).toBe('went-live');
  });
});

describe('the waits GitHub asks of automation', () => {
  test('kept against GitHub (and any API off this machine); cut against a stand-in on loopback, where they only slow the step', () => {
    for (const api of ['https://api.github.com', 'https://github.example.com/api/v3', 'http://127.0.0.2:8080']) {
      expect(waitsFor(api)).toEqual({ paced: true, retryBaseMs: 1_000, ledgerRetryDelaysMs: [1_000, 3_000] });
    }
    for (const api of ['http://127.0.0.1:41234', 'http://localhost:3000', 'http://[::1]:8080/api']) {
      expect(waitsFor(api)).toEqual({ paced: false, retryBaseMs: 10, ledgerRetryDelaysMs: [10, 30] });
    }
  });
});
