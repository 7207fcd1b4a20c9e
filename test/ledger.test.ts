// The release ledger (shared/ledger.ts) through the real @octokit/rest against the loopback GitHub, which follows
// GitHub's documented rules: auto_inactive never touches production deployments, and the order of a
// deployment's statuses in an answer is not something to rely on.
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { type FakeGitHub, startFakeGitHub } from '../cli/sandbox/github.js';
import { createGitHubClient } from '../shared/github.js';
import { chronological, Ledger } from '../shared/ledger.js';
import type { Release } from '../shared/providers/provider.js';

let github: FakeGitHub;
let ledger: Ledger;

beforeEach(async () => {
  github = await startFakeGitHub();
  ledger = new Ledger(await createGitHubClient({ token: github.token, apiUrl: github.url }), github.repository);
});
afterEach(() => github.close());

const release = (id: string): Release => ({ provider: 'vercel', id, url: `https://${id}.example.com`, target: 'production', state: 'READY' });
const sha = 'a'.repeat(40);

async function goLive(id: string, environment = 'production', production = true): Promise<number> {
  const entry = await ledger.record({ release: release(id), environment, sha, ref: 'main', production, transient: !production, description: id });
  await ledger.setStatus(entry, 'success', { description: `live: ${id}`, environmentUrl: `https://${id}.example.com` });
  return entry;
}

describe('the GitHub fake follows GitHub’s auto_inactive rule', () => {
  test('a success inactivates prior non-transient, non-production deployments only', async () => {
    const client = await createGitHubClient({ token: github.token, apiUrl: github.url });
    const [owner, repo] = github.repository.split('/') as [string, string];
    const create = async (production: boolean, transient: boolean) => {
      const { data } = await client.rest.repos.createDeployment({ owner, repo, ref: sha, environment: 'staging', required_contexts: [], auto_merge: false, production_environment: production, transient_environment: transient });
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
    const entry = await fresh.record({ release: release('dpl_two'), environment: 'production', sha, ref: 'main', production: true, transient: false, description: 'two' });
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
  test.each(['newest-first', 'oldest-first'] as const)('the latest status is found by time, whatever order GitHub answers in (%s)', async (order) => {
    const first = await goLive('dpl_one');
    const second = await ledger.record({ release: release('dpl_two'), environment: 'production', sha, ref: 'main', production: true, transient: false, description: 'two' });
    await ledger.setStatus(second, 'failure', { description: 'smoke test failed' });
    github.statusOrder = order;
    const entries = await new Ledger(await createGitHubClient({ token: github.token, apiUrl: github.url }), github.repository).entries('production');
    expect(entries.map((e) => [e.id, e.state, e.everSucceeded, e.everFailed])).toEqual([
      [second, 'failure', false, true],
      [first, 'success', true, false],
    ]);
    expect(Ledger.live(entries)?.id).toBe(first);
  });

  test('statuses created in the same second are ordered by id', () => {
    const at = '2026-11-01T00:00:00Z';
    expect(chronological([{ id: 9, state: 'success', created_at: at }, { id: 3, state: 'in_progress', created_at: at }, { id: 12, state: 'inactive', created_at: at }]).map((s) => s.state)).toEqual([
      'in_progress',
      'success',
      'inactive',
    ]);
  });
});
