// rollback's failed-commit (the pipeline's safety net, which runs without the outputs of a production job that
// was cancelled, timed out or lost its runner), through the bundle against the loopback GitHub and Vercel: the
// release is found in the ledger by commit and environment, with one request for one page; a live one is rolled
// back, one that is not live is only marked failed, a commit with no release changes nothing, and a second run
// never rolls back twice.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunOptions, type RunResult, runBundle } from '../cli/local-runner.js';
import { type FakeGitHub, type FakeGitHubDeployment, startFakeGitHub } from '../cli/sandbox/github.js';
import { type FakeVercel, startFakeVercel } from '../cli/sandbox/vercel.js';
import { errors, exampleEvent, expectNoSecrets } from './support.js';

let vercel: FakeVercel;
let github: FakeGitHub;

beforeAll(async () => {
  vercel = await startFakeVercel({ buildMs: 200, aliasJobMs: 300 });
  github = await startFakeGitHub();
});
afterAll(async () => {
  await vercel.close();
  await github.close();
});

/** A commit SHA as GitHub writes it: 40 lower-case hex digits. */
const commit = (digit: string) => digit.repeat(40);
const COMMIT_A = commit('a');
const COMMIT_X = commit('b');
const COMMIT_Y = commit('c');
const COMMIT_NEVER_DEPLOYED = commit('d');

const provider = () => ({
  provider: 'vercel',
  token: vercel.token,
  project: vercel.projectId,
  team: vercel.teamId,
  'api-url': vercel.url,
});

function site(version: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'site-'));
  writeFileSync(join(dir, 'index.html'), `<h1>${version}</h1>`);
  return dir;
}

/** A deploy run of `sha` (the workflow run's GITHUB_SHA: what the ledger records the release under). */
async function deploy(version: string, sha: string, target = 'production', gh: FakeGitHub = github): Promise<string> {
  const result = await runBundle({
    action: 'deploy',
    inputs: { ...provider(), dir: site(version), target, 'github-token': gh.token, 'wait-timeout': '30s' },
    env: { GITHUB_API_URL: gh.url, GITHUB_REPOSITORY: gh.repository, GITHUB_SHA: sha },
    event: exampleEvent('push', (p) => Boolean(p.head_commit)),
    timeoutMs: 60_000,
  });
  expect(result.exitCode).toBe(0);
  return result.outputs['deployment-id'] as string;
}

/** The safety net's rollback: in the same workflow run as the failed deploy, so GITHUB_SHA is the failed commit. */
function rollback(inputs: RunOptions['inputs'], options: { sha?: string; gh?: FakeGitHub } = {}): Promise<RunResult> {
  const gh = options.gh ?? github;
  return runBundle({
    action: 'rollback',
    inputs: { ...provider(), 'github-token': gh.token, verify: 'false', ...inputs },
    env: { GITHUB_API_URL: gh.url, GITHUB_REPOSITORY: gh.repository, GITHUB_SHA: options.sha ?? COMMIT_X },
    event: { name: 'workflow_dispatch', payload: { inputs: {} } },
    timeoutMs: 60_000,
  });
}

const entryOf = (release: string, gh: FakeGitHub = github) =>
  gh.deployments.find(
    (d) =>
      (d.payload as { release?: { id?: string } }).release?.id === release &&
      !(d.payload as { rollback?: unknown }).rollback,
  );
const githubWrites = (gh: FakeGitHub = github) => gh.server.requests.filter((r) => r.method !== 'GET').length;
const vercelRollbacks = () =>
  vercel.server.requests.filter((r) => r.method === 'POST' && /\/rollback\//.test(r.path)).length;
const deploymentLists = (gh: FakeGitHub) =>
  gh.server.requests
    .filter((r) => r.method === 'GET' && /\/deployments(\?|$)/.test(r.path))
    .map((r) => new URL(r.path, gh.url).searchParams);

describe('the failed release named by its commit', () => {
  let releaseA: string;
  let releaseB: string;

  test('a live release of the commit is rolled back to the release before it; the ledger records the safety net', async () => {
    releaseA = await deploy('a', COMMIT_A);
    releaseB = await deploy('b', COMMIT_X);
    expect(vercel.production()).toBe(releaseB);

    const result = await rollback({ 'failed-commit': COMMIT_X, reason: 'production job cancelled' });
    expect(result.exitCode).toBe(0);
    expect(result.outputs).toMatchObject({
      changed: 'true',
      'restored-deployment-id': releaseA,
      'rolled-back-deployment-id': releaseB,
    });
    expect(vercel.production()).toBe(releaseA);

    const ledger = github.ledger('production');
    expect(ledger[0]).toMatchObject({ release: releaseA, state: 'success', rollback: true });
    expect(ledger.find((e) => e.release === releaseB && !e.rollback)).toMatchObject({ state: 'failure' });
    const written = github.deployments.find((d) => d.id === ledger[0]?.id);
    expect((written?.payload as { rollback?: unknown }).rollback).toMatchObject({
      from: { id: releaseB },
      reason: 'production job cancelled',
      failedCommit: COMMIT_X,
    });
    expect(entryOf(releaseB)?.statuses[0]?.description).toContain('production job cancelled');

    expect(result.visibleStdout).toContain(`commit ${COMMIT_X} was deployed to production as ${releaseB}`);
    expect(result.summary).toContain(`| Failed release | ${releaseB} (commit ${COMMIT_X}, from the ledger) |`);
    expectNoSecrets(result, [vercel.token, github.token]);
  });

  test('running it again changes nothing: no second rollback at Vercel, nothing written to the ledger', async () => {
    const writes = githubWrites();
    const rollbacks = vercelRollbacks();
    const again = await rollback({ 'failed-commit': COMMIT_X, reason: 'production job cancelled' });
    expect(again.exitCode).toBe(0);
    expect(again.outputs.changed).toBe('false');
    expect(again.visibleStdout).toContain(`${releaseB} is not live (production serves ${releaseA})`);
    expect(vercel.production()).toBe(releaseA);
    expect(vercelRollbacks()).toBe(rollbacks);
    expect(githubWrites()).toBe(writes);
  });

  test('a rollback entry recorded under the failed commit (a provider that keeps no commit) is passed over for the release deployed from it', async () => {
    // The rollback's own entry carries the run's commit when the restored release has none: the failed commit.
    const rollbackEntry = github.deployments.find(
      (d) => (d.payload as { rollback?: unknown }).rollback,
    ) as FakeGitHubDeployment;
    const sha = rollbackEntry.sha;
    rollbackEntry.sha = COMMIT_X;
    try {
      const writes = githubWrites();
      const rollbacks = vercelRollbacks();
      const again = await rollback({ 'failed-commit': COMMIT_X });
      expect(again.exitCode).toBe(0);
      expect(again.outputs.changed).toBe('false');
      expect(again.visibleStdout).toContain(`commit ${COMMIT_X} was deployed to production as ${releaseB}`);
      expect(vercel.production()).toBe(releaseA);
      expect(vercelRollbacks()).toBe(rollbacks);
      expect(githubWrites()).toBe(writes);
    } finally {
      rollbackEntry.sha = sha;
    }
  });

  test('a staged release of the commit that was never promoted: nothing is restored, it is marked failed, once', async () => {
    const staged = await deploy('c-staged', COMMIT_Y, 'staged');
    expect(vercel.production()).toBe(releaseA);
    const rollbacks = vercelRollbacks();

    const result = await rollback({ 'failed-commit': COMMIT_Y, reason: 'production job timed out' }, { sha: COMMIT_Y });
    expect(result.exitCode).toBe(0);
    expect(result.outputs.changed).toBe('false');
    expect(vercel.production()).toBe(releaseA);
    expect(vercelRollbacks()).toBe(rollbacks);
    const entry = entryOf(staged);
    expect(entry?.statuses[0]).toMatchObject({ state: 'failure' });
    expect(entry?.statuses[0]?.description).toContain(
      `marked failed by commit ${COMMIT_Y.slice(0, 12)} (safety net) (production job timed out)`,
    );

    const writes = githubWrites();
    const again = await rollback({ 'failed-commit': COMMIT_Y, reason: 'production job timed out' }, { sha: COMMIT_Y });
    expect(again.outputs.changed).toBe('false');
    expect(githubWrites()).toBe(writes);
    expect(vercel.production()).toBe(releaseA);
  });

  test('a commit with no release in the ledger (the job died before it deployed): nothing is restored, nothing written anywhere', async () => {
    const writes = githubWrites();
    const vercelRequests = vercel.server.requests.length;
    const result = await rollback(
      { 'failed-commit': COMMIT_NEVER_DEPLOYED, reason: 'production job cancelled' },
      { sha: COMMIT_NEVER_DEPLOYED },
    );
    expect(result.exitCode).toBe(0);
    expect(result.outputs.changed).toBe('false');
    expect(result.visibleStdout).toContain(
      `the production ledger has no release deployed from commit ${COMMIT_NEVER_DEPLOYED}: nothing to restore`,
    );
    expect(result.summary).toContain(
      `no change: the production ledger has no release deployed from commit ${COMMIT_NEVER_DEPLOYED}: nothing to restore`,
    );
    expect(githubWrites()).toBe(writes);
    // Not even a read: nothing at the provider is decided on a guess.
    expect(vercel.server.requests.length).toBe(vercelRequests);
    expect(vercel.production()).toBe(releaseA);
  });

  test('a short SHA is looked up to the full one first (the deployments filter takes all 40 digits)', async () => {
    const writes = githubWrites();
    const result = await rollback({ 'failed-commit': COMMIT_X.slice(0, 7), reason: 'production job cancelled' });
    expect(result.exitCode).toBe(0);
    expect(result.outputs.changed).toBe('false');
    expect(result.visibleStdout).toContain(`commit ${COMMIT_X} was deployed to production as ${releaseB}`);
    expect(vercel.production()).toBe(releaseA);
    expect(githubWrites()).toBe(writes);
  });

  test('a short SHA GitHub does not know fails the step with a sentence and changes nothing', async () => {
    const writes = githubWrites();
    const vercelRequests = vercel.server.requests.length;
    const result = await rollback({ 'failed-commit': '1234567' });
    expect(result.exitCode).toBe(1);
    const message = errors(result).join('\n');
    expect(message).toContain(
      'GitHub API: looking up commit 1234567 failed: HTTP 422 No commit found for SHA: 1234567',
    );
    expect(message).toContain('Give all 40 hex digits of the commit (github.sha)');
    expect(githubWrites()).toBe(writes);
    expect(vercel.server.requests.length).toBe(vercelRequests);
  });

  test('a release of the commit in another environment is not this environment’s', async () => {
    const writes = githubWrites();
    const result = await rollback({ 'failed-commit': COMMIT_X, environment: 'staging' });
    expect(result.exitCode).toBe(0);
    expect(result.outputs.changed).toBe('false');
    expect(result.visibleStdout).toContain(`the staging ledger has no release deployed from commit ${COMMIT_X}`);
    expect(githubWrites()).toBe(writes);
  });
});

describe('the look-up is one request for one page, whatever the length of the history', () => {
  let big: FakeGitHub;
  const OLD_RELEASE = 'dpl_oldFromCommitX';

  beforeAll(async () => {
    big = await startFakeGitHub();
    // 600 releases of other commits, all newer than the one release of COMMIT_X: six pages of the environment's
    // history, with COMMIT_X's entry on the last.
    const at = (i: number) =>
      new Date(Date.parse('2026-01-01T00:00:00Z') + i * 60_000).toISOString().replace(/\.\d+Z$/, 'Z');
    const entry = (id: number, sha: string, release: string, i: number, state: string): FakeGitHubDeployment => ({
      id,
      sha,
      ref: sha,
      environment: 'production',
      payload: { shipline: 1, release: { provider: 'vercel', id: release, target: 'production', state: 'READY' } },
      description: release,
      production_environment: true,
      transient_environment: false,
      created_at: at(i),
      statuses: [{ id: id + 100_000, state, description: '', environment_url: '', log_url: '', created_at: at(i) }],
    });
    big.deployments.push(entry(1, COMMIT_X, OLD_RELEASE, 0, 'inactive'));
    for (let i = 1; i <= 600; i++)
      big.deployments.unshift(entry(1 + i, i.toString(16).padStart(40, 'e'), `dpl_history${i}`, i, 'inactive'));
  });
  afterAll(() => big.close());

  test('a commit with no release: the whole run reads one page, filtered by sha and environment', async () => {
    const before = deploymentLists(big).length;
    const result = await rollback({ 'failed-commit': COMMIT_NEVER_DEPLOYED }, { gh: big, sha: COMMIT_NEVER_DEPLOYED });
    expect(result.exitCode).toBe(0);
    expect(result.outputs.changed).toBe('false');
    const lists = deploymentLists(big).slice(before);
    expect(lists.map((q) => Object.fromEntries(q))).toEqual([
      { environment: 'production', sha: COMMIT_NEVER_DEPLOYED, per_page: '100' },
    ]);
  });

  test('a release of the commit behind 600 newer ones is found with one request for one page', async () => {
    const before = deploymentLists(big).length;
    const result = await rollback({ 'failed-commit': COMMIT_X, 'dry-run': 'true' }, { gh: big });
    expect(result.exitCode).toBe(0);
    expect(result.visibleStdout).toContain(`commit ${COMMIT_X} was deployed to production as ${OLD_RELEASE}`);
    expect(result.outputs.changed).toBe('false');
    const byCommit = deploymentLists(big)
      .slice(before)
      .filter((q) => q.has('sha'));
    expect(byCommit.map((q) => Object.fromEntries(q))).toEqual([
      { environment: 'production', sha: COMMIT_X, per_page: '100' },
    ]);
  });
});

describe('inputs', () => {
  test.each([
    ['not hex', 'not-a-sha'],
    ['too short', 'abc12'],
    ['too long', 'a'.repeat(41)],
  ])('failed-commit %s is an input error naming it; nothing is read or changed', async (_name, value) => {
    const lists = github.server.requests.length;
    const result = await rollback({ 'failed-commit': value });
    expect(result.exitCode).toBe(1);
    expect(errors(result).join('\n')).toContain(
      `Input 'failed-commit' must be a commit SHA: 7 to 40 hex digits, got '${value}'`,
    );
    expect(github.server.requests.length).toBe(lists);
  });

  test('failed-commit and failed-deployment-id together: one input error naming both, with any other problem', async () => {
    const result = await rollback({ 'failed-commit': 'xyz', 'failed-deployment-id': 'dpl_1' });
    expect(result.exitCode).toBe(1);
    const reported = errors(result);
    expect(reported).toHaveLength(1);
    expect(reported[0]).toContain("Input 'failed-commit' must be a commit SHA: 7 to 40 hex digits, got 'xyz'");
    expect(reported[0]).toContain(
      "Inputs 'failed-commit' and 'failed-deployment-id' name the failed release twice: set one of them",
    );
  });

  test('failed-commit without a GitHub token is an input error: the ledger is where it is looked up', async () => {
    const result = await rollback({ 'failed-commit': COMMIT_X, 'github-token': '' });
    expect(result.exitCode).toBe(1);
    expect(errors(result).join('\n')).toContain(
      "Input 'failed-commit' is looked up in the release ledger: set 'github-token'",
    );
  });

  test('an upper-case SHA is the same commit (GitHub records SHAs in lower case)', async () => {
    const result = await rollback({ 'failed-commit': COMMIT_NEVER_DEPLOYED.toUpperCase(), 'dry-run': 'true' });
    expect(result.exitCode).toBe(0);
    expect(result.visibleStdout).toContain(`no release deployed from commit ${COMMIT_NEVER_DEPLOYED}`);
  });
});
