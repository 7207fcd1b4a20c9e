// The release ledger under GitHub API faults in the middle of a release, through the deploy and rollback bundles
// (provider vercel, the loopback GitHub with write faults): a write that fails after the provider acted never
// costs a release, a re-run completes the record without touching production, rollback goes one back from what
// is really live, and every GitHub failure is a sentence naming the operation.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, test } from '@jest/globals';
import { type RunOptions, type RunResult, runBundle } from '../cli/local-runner.js';
import { type FakeGitHub, type WriteFault, startFakeGitHub } from '../cli/sandbox/github.js';
import { type FakeVercel, startFakeVercel } from '../cli/sandbox/vercel.js';
import { errors, exampleEvent, expectNoSecrets } from './support.js';
import { until } from './support-waits.js';

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
afterEach(() => github.clearWriteFaults());

const refused: WriteFault = { kind: 'status', status: 403, message: 'Resource not accessible by integration' };
const provider = () => ({
  provider: 'vercel',
  token: vercel.token,
  project: vercel.projectId,
  team: vercel.teamId,
  'api-url': vercel.url,
});
const githubEnv = () => ({ GITHUB_API_URL: github.url, GITHUB_REPOSITORY: github.repository });

function site(version: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'site-'));
  writeFileSync(join(dir, 'index.html'), `<h1>${version}</h1>`);
  return dir;
}

function deployRun(version: string): Promise<RunResult> {
  return runBundle({
    action: 'deploy',
    inputs: {
      ...provider(),
      dir: site(version),
      target: 'production',
      'github-token': github.token,
      'wait-timeout': '30s',
    },
    env: githubEnv(),
    event: exampleEvent('push', (p) => Boolean(p.head_commit)),
    timeoutMs: 60_000,
  });
}

async function deploy(version: string): Promise<string> {
  const result = await deployRun(version);
  expect(result.exitCode).toBe(0);
  return result.outputs['deployment-id'] as string;
}

function rollback(inputs: RunOptions['inputs'] = {}): Promise<RunResult> {
  return runBundle({
    action: 'rollback',
    inputs: { ...provider(), 'github-token': github.token, verify: 'false', ...inputs },
    env: githubEnv(),
    event: { name: 'workflow_dispatch', payload: { inputs: {} } },
    timeoutMs: 60_000,
  });
}

/** Every status a release's ledger entries ever had. */
const statesOf = (release: string) =>
  github.deployments
    .filter((d) => (d.payload as { release?: { id?: string } }).release?.id === release)
    .flatMap((d) => d.statuses.map((s) => s.state));
const rollbackCalls = () =>
  vercel.server.requests.filter((r) => r.method === 'POST' && /\/rollback\//.test(r.path)).length;
const stackLines = (result: RunResult) =>
  `${result.stdout}\n${result.stderr}`.split(/\n|%0A/).filter((line) => /^\s+at /.test(line));

describe('a manual rollback whose ledger write fails after production switched', () => {
  // The writes of a rollback R2 → R1: failure on R2, create R1's rollback entry, in_progress, success.
  test.each([
    ['the failure mark of the release taken out', 0],
    ['the create of the rollback entry', 1],
    ['the first status of the rollback entry', 2],
    ['the success of the rollback entry', 3],
  ])(
    '%s: the step says production serves R1; the re-run completes the ledger and changes nothing at Vercel',
    async (_name, skip) => {
      await deploy(`r0-${skip}`);
      const r1 = await deploy(`r1-${skip}`);
      const r2 = await deploy(`r2-${skip}`);

      github.failWrites({ fault: refused, skip });
      const first = await rollback({ reason: 'smoke test failed' });
      github.clearWriteFaults();
      expect(first.exitCode).toBe(1);
      expect(vercel.production()).toBe(r1);

      const calls = rollbackCalls();
      const again = await rollback({});
      expect(again.exitCode).toBe(0);
      expect(again.outputs.changed).toBe('false');
      expect(vercel.production()).toBe(r1);
      expect(rollbackCalls()).toBe(calls);
      // The good R1 is never marked failed; R2 is; the newest entry records the rollback, live.
      expect(statesOf(r1)).not.toContain('failure');
      expect(statesOf(r2)).toContain('failure');
      expect(github.ledger('production')[0]).toMatchObject({ release: r1, state: 'success', rollback: true });
      expect(github.ledger('production').filter((e) => e.state === undefined || e.state === 'in_progress')).toEqual([]);
      // One outcome per table: nothing changed, so nothing is called restored.
      expect(again.summary).not.toContain('Restored');
      expect(again.summary).toContain('Live release');

      // And a third run stays put.
      const third = await rollback({});
      expect(third.outputs.changed).toBe('false');
      expect(vercel.production()).toBe(r1);

      // The failed run said what production serves and what to run next, in sentences.
      const message = errors(first).join('\n');
      expect(message).toContain(`production serves ${r1} in place of ${r2}`);
      expect(message).toContain('HTTP 403 Resource not accessible by integration');
      expect(message).toContain('Re-run this rollback');
      expect(first.summary).toContain('ledger not updated');
      expect(stackLines(first)).toEqual([]);
    },
  );
});

describe('a deploy whose ledger writes fail after the release went live', () => {
  test('a connection reset after createDeployment: the create is looked up by its key, not repeated; the step completes', async () => {
    github.failWrites({ fault: { kind: 'reset-after-handling' }, only: 'deployment', times: 1 });
    const before = github.deployments.length;
    const result = await deployRun('reset-after-create');
    expect(result.exitCode).toBe(0);
    const release = result.outputs['deployment-id'];
    expect(github.deployments.length).toBe(before + 1);
    expect(github.ledger('production')[0]).toMatchObject({ release, state: 'success' });
  });

  test('a transient 502 on a status write is retried; the step completes', async () => {
    github.failWrites({ fault: { kind: 'status', status: 502, message: 'Server Error' }, only: 'status', times: 1 });
    const result = await deployRun('status-502');
    expect(result.exitCode).toBe(0);
    expect(github.ledger('production')[0]).toMatchObject({
      release: result.outputs['deployment-id'],
      state: 'success',
    });
  });

  test.each([
    ['no entry at all (the create refused)', 'refused'],
    ['an entry with no status (the create acted, its answer lost, every later write refused)', 'reset-then-refused'],
  ])('%s: the step says production serves it; rollback goes ONE back from it', async (_name, fault) => {
    const r1 = await deploy(`one-back-r1-${fault}`);
    const r2 = await deploy(`one-back-r2-${fault}`);
    if (fault === 'refused') github.failWrites({ fault: refused });
    const failed =
      fault === 'reset-then-refused'
        ? await deployWithResetThenRefused(`one-back-r3-${fault}`)
        : await deployRun(`one-back-r3-${fault}`);
    github.clearWriteFaults();
    expect(failed.exitCode).toBe(1);
    const r3 = failed.outputs['deployment-id'] as string;
    expect(vercel.production()).toBe(r3);

    const result = await rollback({});
    expect(result.exitCode).toBe(0);
    expect(result.outputs).toMatchObject({
      changed: 'true',
      'restored-deployment-id': r2,
      'rolled-back-deployment-id': r3,
    });
    expect(vercel.production()).toBe(r2);
    expect(statesOf(r3)).toContain('failure');
    expect(statesOf(r1)).not.toContain('failure');
    expect(github.ledger('production').filter((e) => e.state === undefined)).toEqual([]);

    const message = errors(failed).join('\n');
    expect(message).toContain(`${r3} is live in production, but the ledger was not updated`);
    expect(message).toContain('permissions: deployments: write');
    expect(failed.summary).toContain('ledger not updated');
    expect(stackLines(failed)).toEqual([]);
  });

  test('the next deploy completes an entry left without an outcome, and names its release as the one it replaced', async () => {
    await deploy('next-r1');
    const failed = await deployWithResetThenRefused('next-r2');
    github.clearWriteFaults();
    expect(failed.exitCode).toBe(1);
    const r2 = failed.outputs['deployment-id'] as string;
    const result = await deployRun('next-r3');
    expect(result.exitCode).toBe(0);
    expect(result.outputs['previous-deployment-id']).toBe(r2);
    const r3 = github.deployments.find(
      (d) => (d.payload as { release: { id: string } }).release.id === result.outputs['deployment-id'],
    );
    expect((r3?.payload as { previous?: { id: string } }).previous?.id).toBe(r2);
    // R2's entry, left without a status, was recorded live (late), then retired by R3.
    expect(statesOf(r2)).toEqual(['inactive', 'success']);
    expect(github.ledger('production').filter((e) => e.state === undefined)).toEqual([]);
  });
});

/** A deploy whose ledger create acts but loses its answer, after which GitHub refuses every write. */
async function deployWithResetThenRefused(version: string): Promise<RunResult> {
  github.failWrites({ fault: { kind: 'reset-after-handling' }, only: 'deployment', times: 1 });
  const running = deployRun(version);
  // Once the create has been acted on, refuse everything that follows.
  const count = github.deployments.length;
  await until('the ledger create to be acted on', () => github.deployments.length > count, { tries: 600, everyMs: 50 });
  github.failWrites({ fault: refused });
  return running;
}

describe('GitHub API errors are sentences, never stack traces', () => {
  test('deploy: a token that cannot read deployments fails before anything changes, naming the operation and GitHub’s message', async () => {
    const live = vercel.production();
    github.server.inject(/\/deployments\?/, {
      kind: 'status',
      status: 403,
      body: JSON.stringify({ message: 'Resource not accessible by integration' }),
      headers: { 'content-type': 'application/json' },
    });
    const result = await deployRun('unreadable');
    expect(result.exitCode).toBe(1);
    expect(errors(result).join('\n')).toContain(
      'GitHub API: reading the production deployments failed: HTTP 403 Resource not accessible by integration',
    );
    expect(errors(result).join('\n')).toContain('permissions: deployments: write');
    expect(stackLines(result)).toEqual([]);
    expect(vercel.production()).toBe(live);
    expectNoSecrets(result, [github.token, vercel.token]);
  });

  test('rollback: the same, and production is unchanged', async () => {
    const live = vercel.production();
    github.server.inject(/\/deployments\?/, {
      kind: 'status',
      status: 403,
      body: JSON.stringify({ message: 'Resource not accessible by integration' }),
      headers: { 'content-type': 'application/json' },
    });
    const result = await rollback({});
    expect(result.exitCode).toBe(1);
    expect(errors(result).join('\n')).toContain(
      'GitHub API: reading the production deployments failed: HTTP 403 Resource not accessible by integration',
    );
    expect(stackLines(result)).toEqual([]);
    expect(vercel.production()).toBe(live);
  });
});
