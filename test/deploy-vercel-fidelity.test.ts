// Our Vercel provider against the Vercel fake, one test per documented behaviour an earlier version got wrong
// (shared/reference/providers.md, "Corrections"). Each asserts on the fake's state: what production serves,
// which alias jobs ran, how the deployment was created.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { type FakeVercel, type FakeVercelOptions, startFakeVercel } from '../cli/sandbox/vercel.js';
import type { DeploySpec } from '../shared/providers/provider.js';
import { VercelProvider } from '../shared/providers/vercel.js';
import { Deadline } from '../shared/deadline.js';

const fakes: FakeVercel[] = [];
let vercel: FakeVercel;

async function fake(options: FakeVercelOptions = {}): Promise<FakeVercel> {
  const started = await startFakeVercel({ buildMs: 300, aliasJobMs: 300, aliasAssignMs: 150, ...options });
  fakes.push(started);
  return started;
}

beforeAll(async () => {
  vercel = await fake();
});
afterAll(async () => {
  await Promise.all(fakes.map((f) => f.close()));
});

const provider = (on: FakeVercel, project = on.projectId) =>
  new VercelProvider({ token: on.token, project, team: on.teamId || undefined, apiUrl: on.url, workspace: '/' });

let counter = 0;
function site(text = `v${++counter}`): string {
  const dir = mkdtempSync(join(tmpdir(), 'vercel-site-'));
  writeFileSync(join(dir, 'index.html'), `<h1>${text}</h1>`);
  return dir;
}

function spec(dir: string, target: 'production' | 'preview' | 'staged'): DeploySpec {
  return {
    dir,
    target: target === 'preview' ? 'preview' : 'production',
    staged: target === 'staged',
    git: { sha: 'c'.repeat(40), ref: 'main' },
    idempotencyKey: `key-${++counter}`,
  };
}

const deadline = (ms = 20_000) => Deadline.in(ms);

describe('promote and rollback follow lastAliasRequest (asked for with rollbackInfo=true)', () => {
  test('a promote finishes as soon as Vercel switched production', async () => {
    const p = provider(vercel);
    await p.deploy(spec(site(), 'production'), deadline());
    const { release: staged } = await p.deploy(spec(site(), 'staged'), deadline());
    expect(vercel.production()).not.toBe(staged.id);
    await p.promote(staged, deadline(8000));
    expect(vercel.production()).toBe(staged.id);
  }, 30_000);

  test('a rollback finishes as soon as Vercel switched production', async () => {
    const p = provider(vercel);
    const { release: one } = await p.deploy(spec(site(), 'production'), deadline());
    await p.deploy(spec(site(), 'production'), deadline());
    await p.rollback(one, deadline(8000));
    expect(vercel.production()).toBe(one.id);
    expect(vercel.aliasJobs.at(-1)).toMatchObject({ type: 'rollback', toDeploymentId: one.id });
    await p.promote((await p.current()) ?? one, deadline(8000));
  }, 30_000);
});

describe('after a rollback Vercel stops assigning production domains until a promote', () => {
  test('a production deploy after a rollback is promoted, so it is live when we say so', async () => {
    const on = await fake();
    const p = provider(on);
    const { release: one } = await p.deploy(spec(site(), 'production'), deadline());
    await p.deploy(spec(site(), 'production'), deadline());
    await p.rollback(one, deadline());
    expect(on.autoAssignProduction()).toBe(false);

    const { release: three } = await p.deploy(spec(site(), 'production'), deadline());
    expect(on.production()).toBe(three.id);
    expect(on.aliasJobs.at(-1)).toMatchObject({ type: 'promote', toDeploymentId: three.id });
    expect(on.autoAssignProduction()).toBe(true);
  }, 40_000);

  test('a staged deploy after a rollback stays staged', async () => {
    const on = await fake();
    const p = provider(on);
    const { release: one } = await p.deploy(spec(site(), 'production'), deadline());
    await p.deploy(spec(site(), 'production'), deadline());
    await p.rollback(one, deadline());
    const jobs = on.aliasJobs.length;
    const { release: staged } = await p.deploy(spec(site(), 'staged'), deadline());
    expect(on.production()).toBe(one.id);
    expect(on.aliasJobs.length).toBe(jobs);
    expect(staged.id).not.toBe(one.id);
  }, 40_000);
});

describe('a production deploy is live only once its aliases are assigned', () => {
  test('deploy returns after aliasAssigned, when production serves it, without a promote', async () => {
    const on = await fake({ aliasAssignMs: 1500 });
    const p = provider(on);
    const { release } = await p.deploy(spec(site(), 'production'), deadline());
    expect(on.deployments.get(release.id)?.aliasAssignedAt).not.toBeNull();
    expect(on.production()).toBe(release.id);
    expect(on.aliasJobs).toHaveLength(0);
  }, 30_000);
});

describe('deployment states and answers', () => {
  test('BLOCKED fails at once with Vercel’s reason', async () => {
    vercel.blockNextDeployment('Deployment blocked: the commit author is not a member of the team');
    const failure = await provider(vercel)
      .deploy(spec(site(), 'production'), deadline(60_000))
      .then(
        () => undefined,
        (error: Error) => error,
      );
    // At once: on the first answer that said BLOCKED, with Vercel's reason; not at the deadline, which names it.
    expect(failure?.message).toContain('BLOCKED: Deployment blocked: the commit author is not a member of the team');
    expect(failure?.message).not.toMatch(/deadline/);
    const polls = vercel.server.requests.filter((r) => r.method === 'GET' && /^\/v13\/deployments\/dpl_/.test(r.path));
    expect(polls.length).toBeGreaterThan(0);
    // After the poll that read BLOCKED, only the cancel of the deployment: no further poll waited for a state.
    const afterLastPoll = vercel.server.requests.slice(
      vercel.server.requests.lastIndexOf(polls.at(-1) as (typeof polls)[number]) + 1,
    );
    expect(afterLastPoll.map((r) => `${r.method} ${r.path.split('?')[0]}`)).toEqual([
      `PATCH /v12/deployments/${polls.at(-1)?.path.split('/')[3]?.split('?')[0]}/cancel`,
    ]);
  }, 30_000);

  test('a promote whose answer is lost is retried and meets its own job (409), not a failure', async () => {
    const on = await fake({ aliasJobMs: 1500 });
    const p = provider(on);
    await p.deploy(spec(site(), 'production'), deadline());
    const { release: staged } = await p.deploy(spec(site(), 'staged'), deadline());
    on.server.inject(/\/promote\//, { kind: 'reset-after-handling' });
    await p.promote(staged, deadline());
    expect(on.aliasJobs).toHaveLength(1);
    expect(on.production()).toBe(staged.id);
  }, 40_000);

  test('a project given by name is resolved to its id for promote and rollback', async () => {
    const on = await fake();
    const p = provider(on, on.projectName);
    const { release: one } = await p.deploy(spec(site(), 'production'), deadline());
    const { release: staged } = await p.deploy(spec(site(), 'staged'), deadline());
    await p.promote(staged, deadline());
    expect(on.production()).toBe(staged.id);
    await p.rollback(one, deadline());
    expect(on.production()).toBe(one.id);
  }, 40_000);

  test('a personal account (no team) sends no teamId', async () => {
    const on = await fake({ personal: true });
    const p = provider(on);
    const { release: one } = await p.deploy(spec(site(), 'production'), deadline());
    const { release: two } = await p.deploy(spec(site(), 'production'), deadline());
    expect(on.production()).toBe(two.id);
    await p.rollback(one, deadline());
    expect(on.production()).toBe(one.id);
    expect(on.server.requests.some((r) => r.path.includes('teamId'))).toBe(false);
  }, 40_000);
});

describe('Build Output API (.vercel/output)', () => {
  test('is created with prebuilt=1 and reaches READY', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vercel-prebuilt-'));
    mkdirSync(join(dir, '.vercel', 'output', 'static'), { recursive: true });
    writeFileSync(join(dir, '.vercel', 'output', 'config.json'), JSON.stringify({ version: 3 }));
    writeFileSync(join(dir, '.vercel', 'output', 'static', 'index.html'), '<h1>prebuilt</h1>');
    const { release } = await provider(vercel).deploy(spec(dir, 'preview'), deadline());
    expect(release.state).toBe('READY');
    expect(vercel.deployments.get(release.id)).toMatchObject({ prebuilt: true });
  }, 30_000);
});
