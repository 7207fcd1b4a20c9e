// Vercel specifics the official CLI handles (issue #24, item 12), through the bundles against the Vercel stand-in:
// a promote answered 202 is queued behind the project's active rolling release, reported at once (as `vercel
// promote` does), not waited out; on the Hobby plan a rollback goes only to the immediately previous production
// deployment, said before anything is asked of Vercel; a rollback by commit without a ledger never picks a build that
// never served production (readySubstate STAGED); a BLOCKED deployment we stop following is cancelled.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from '@jest/globals';
import { type RunOptions, runBundle } from '../cli/local-runner.js';
import { type FakeVercel, type FakeVercelOptions, startFakeVercel } from '../cli/sandbox/vercel.js';
import { errors, exampleEvent } from './support.js';

const fakes: FakeVercel[] = [];
async function fake(options: FakeVercelOptions = {}): Promise<FakeVercel> {
  const started = await startFakeVercel({ buildMs: 150, aliasJobMs: 100, aliasAssignMs: 50, ...options });
  fakes.push(started);
  return started;
}
afterAll(async () => {
  await Promise.all(fakes.map((f) => f.close()));
});

function site(version: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'vercel-specifics-'));
  writeFileSync(join(dir, 'index.html'), `<h1>${version}</h1>`);
  return dir;
}

const commit = (n: number) => n.toString(16).padStart(2, '0').repeat(20);
const on = (vercel: FakeVercel) => ({
  provider: 'vercel',
  token: vercel.token,
  project: vercel.projectId,
  team: vercel.teamId,
  'api-url': vercel.url,
});

function deploy(vercel: FakeVercel, sha: string, inputs: RunOptions['inputs'] = {}) {
  return runBundle({
    action: 'deploy',
    inputs: {
      ...on(vercel),
      dir: site(sha),
      target: 'production',
      environment: 'production',
      'wait-timeout': '30s',
      ...inputs,
    },
    env: { GITHUB_SHA: sha },
    event: exampleEvent('push', (p) => Boolean(p.head_commit)),
    timeoutMs: 60_000,
  });
}

async function deployed(vercel: FakeVercel, sha: string, inputs: RunOptions['inputs'] = {}): Promise<string> {
  const result = await deploy(vercel, sha, inputs);
  expect(errors(result)).toEqual([]);
  expect(result.exitCode).toBe(0);
  return result.outputs['deployment-id'] as string;
}

function rollback(vercel: FakeVercel, target: string) {
  return runBundle({
    action: 'rollback',
    // No github-token: no ledger, so the target is found in Vercel's own history.
    inputs: { ...on(vercel), environment: 'production', target, verify: 'false' },
    env: { GITHUB_SHA: commit(99) },
    event: { name: 'workflow_dispatch', payload: { inputs: {} } },
    timeoutMs: 60_000,
  });
}

describe('a promote answered 202 (queued behind the active rolling release)', () => {
  test('fails at once naming the rolling release, and does not poll for a job that starts only when the release completes', async () => {
    const vercel = await fake();
    await deployed(vercel, commit(1));
    const canary = await deployed(vercel, commit(2), { target: 'staged' });
    const staged = await deployed(vercel, commit(3), { target: 'staged' });
    vercel.startRollingRelease(canary, 5);
    const live = vercel.production();

    const result = await deploy(vercel, commit(3), {
      command: 'promote',
      'deployment-id': staged,
      'wait-timeout': '4s',
    });
    expect(result.exitCode).toBe(1);
    const message = errors(result).join('\n');
    expect(message).toContain(
      `Vercel queued the promote of ${staged} (HTTP 202) behind the project's active rolling release of ${canary} (serving 5 % of production traffic)`,
    );
    expect(message).toContain('This step does not wait for it');
    // Followed as the CLI follows a 202: no polling of the project's alias job after the promote was queued.
    const requests = vercel.server.requests.map((r) => `${r.method} ${r.path}`);
    const promoteAt = requests.findIndex((r) =>
      r.startsWith(`POST /v10/projects/${vercel.projectId}/promote/${staged}`),
    );
    expect(promoteAt).toBeGreaterThan(-1);
    expect(requests.slice(promoteAt + 1).filter((r) => r.startsWith('GET /v9/projects/'))).toEqual([]);
    expect(vercel.production()).toBe(live);

    // What the step said: the queued promote runs by itself once the rolling release completes.
    vercel.completeRollingRelease();
    expect(vercel.aliasJobs.at(-1)).toMatchObject({ type: 'promote', toDeploymentId: staged, status: 202 });
  }, 120_000);
});

describe('the Hobby plan rolls back only to the immediately previous production deployment', () => {
  test('an older target is refused before any rollback request, naming the one Vercel would accept', async () => {
    const vercel = await fake({ plan: 'hobby' });
    const a = await deployed(vercel, commit(11));
    const b = await deployed(vercel, commit(12));
    const c = await deployed(vercel, commit(13));
    expect(vercel.production()).toBe(c);

    const result = await rollback(vercel, a);
    expect(result.exitCode).toBe(1);
    const message = errors(result).join('\n');
    expect(message).toContain(
      `Vercel's Hobby plan rolls back only to the immediately previous production deployment (${b}, commit ${commit(12).slice(0, 12)}), and ${a} is not it`,
    );
    expect(vercel.server.requests.some((r) => r.method === 'POST' && r.path.includes('/rollback/'))).toBe(false);
    expect(vercel.production()).toBe(c);

    const previous = await rollback(vercel, 'previous');
    expect(errors(previous)).toEqual([]);
    expect(previous.exitCode).toBe(0);
    expect(vercel.production()).toBe(b);
  }, 120_000);
});

describe('a rollback by commit without a ledger', () => {
  test('restores the build of that commit that served production, never a newer one that was staged and never promoted', async () => {
    const vercel = await fake();
    const served = await deployed(vercel, commit(21));
    const neverServed = await deployed(vercel, commit(21), { target: 'staged' });
    const live = await deployed(vercel, commit(22));
    expect(vercel.production()).toBe(live);
    expect(vercel.deployments.get(neverServed)?.servedProduction).toBe(false);

    const result = await rollback(vercel, `sha:${commit(21)}`);
    expect(errors(result)).toEqual([]);
    expect(result.exitCode).toBe(0);
    expect(result.outputs['restored-deployment-id']).toBe(served);
    expect(vercel.production()).toBe(served);
  }, 120_000);

  test('a commit whose only build never served production is not a target', async () => {
    const vercel = await fake();
    await deployed(vercel, commit(31));
    const neverServed = await deployed(vercel, commit(32), { target: 'staged' });
    const live = await deployed(vercel, commit(33));

    const result = await rollback(vercel, `sha:${commit(32)}`);
    expect(result.exitCode).toBe(1);
    expect(vercel.production()).toBe(live);
    expect(vercel.aliasJobs.some((j) => j.toDeploymentId === neverServed)).toBe(false);
  }, 120_000);
});

describe('a BLOCKED deployment', () => {
  test('is cancelled when the step stops following it, so unblocking it later cannot put it live', async () => {
    const vercel = await fake();
    const live = await deployed(vercel, commit(41));
    vercel.blockNextDeployment('The deployment was blocked: the commit author is not a member of the team');

    const result = await deploy(vercel, commit(42));
    expect(result.exitCode).toBe(1);
    const blocked = result.outputs['deployment-id'] as string;
    expect(blocked).toMatch(/^dpl_/);
    const message = errors(result).join('\n');
    expect(message).toContain(
      'deployment BLOCKED: The deployment was blocked: the commit author is not a member of the team',
    );
    expect(message).toContain(`Deployment ${blocked} was cancelled, so unblocking it later cannot put it live`);
    expect(
      vercel.server.requests.some(
        (r) => r.method === 'PATCH' && r.path.startsWith(`/v12/deployments/${blocked}/cancel`),
      ),
    ).toBe(true);
    expect(vercel.deployments.get(blocked)?.canceled).toBe(true);
    expect(vercel.unblockDeployment(blocked)).toBe(false);
    expect(vercel.production()).toBe(live);
  }, 120_000);
});
