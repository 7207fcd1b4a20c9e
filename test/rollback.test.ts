// rollback (provider vercel) through its bundle: exact restore from the ledger, idempotence, staged releases
// that never went live, the provider's own history without a token, and loud failures.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { type RunOptions, runBundle } from '../cli/local-runner.js';
import { type FakeGitHub, startFakeGitHub } from '../cli/sandbox/github.js';
import { type FakeVercel, startFakeVercel } from '../cli/sandbox/vercel.js';
import { errors, exampleEvent, expectNoSecrets, runCli } from './support.js';

let vercel: FakeVercel;
let github: FakeGitHub;
let app: Server;
let appUrl: string;
let appStatus = 200;

beforeAll(async () => {
  vercel = await startFakeVercel({ buildMs: 400, aliasJobMs: 600 });
  github = await startFakeGitHub();
  app = createServer((_req, res) => {
    res.writeHead(appStatus);
    res.end('ok');
  });
  await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
  appUrl = `http://127.0.0.1:${(app.address() as AddressInfo).port}/`;
});
afterAll(async () => {
  await vercel.close();
  await github.close();
  await new Promise((resolve) => app.close(resolve));
});

function site(version: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'site-'));
  writeFileSync(join(dir, 'index.html'), `<h1>${version}</h1>`);
  return dir;
}

const provider = () => ({
  provider: 'vercel',
  token: vercel.token,
  project: vercel.projectId,
  team: vercel.teamId,
  'api-url': vercel.url,
});
const githubEnv = () => ({ GITHUB_API_URL: github.url, GITHUB_REPOSITORY: github.repository });

async function deploy(version: string, target = 'production', githubToken = github.token): Promise<string> {
  const result = await runBundle({
    action: 'deploy',
    inputs: { ...provider(), dir: site(version), target, 'github-token': githubToken, 'wait-timeout': '30s' },
    env: githubEnv(),
    event: exampleEvent('push', (p) => Boolean(p.head_commit)),
  });
  expect(result.exitCode).toBe(0);
  return result.outputs['deployment-id'] as string;
}

function rollback(inputs: RunOptions['inputs'], githubToken = github.token) {
  return runBundle({
    action: 'rollback',
    inputs: { ...provider(), 'github-token': githubToken, 'verify-url': appUrl, ...inputs },
    env: githubEnv(),
    event: { name: 'workflow_dispatch', payload: { inputs: {} } },
    timeoutMs: 60_000,
  });
}

describe('with the ledger', () => {
  let good: string;
  let bad: string;

  test('previous restores exactly the release that was live before, and the ledger records it', async () => {
    good = await deploy('good');
    bad = await deploy('bad');
    expect(vercel.production()).toBe(bad);

    const result = await rollback({ reason: 'smoke test failed' });
    expect(result.exitCode).toBe(0);
    expect(result.outputs).toMatchObject({
      changed: 'true',
      'restored-deployment-id': good,
      'rolled-back-deployment-id': bad,
    });
    expect(vercel.production()).toBe(good);
    const ledger = github.ledger('production');
    expect(ledger[0]).toMatchObject({ release: good, state: 'success', rollback: true });
    expect(ledger.find((e) => e.release === bad)).toMatchObject({ state: 'failure' });
    expect(result.summary).toContain(`restored ${good}`);
    expect(result.summary).toContain('smoke test failed');
    expectNoSecrets(result, [vercel.token, github.token]);
  });

  test('running it again does not flip back or go further back', async () => {
    const again = await rollback({});
    expect(again.exitCode).toBe(0);
    expect(again.outputs.changed).toBe('false');
    expect(again.visibleStdout).toContain(`already rolled back: ${good} was restored from ${bad}`);
    expect(vercel.production()).toBe(good);
  });

  test('a production deploy after the rollback is live when the ledger says so (Vercel no longer assigns it by itself)', async () => {
    expect(vercel.autoAssignProduction()).toBe(false);
    const fixed = await deploy('fixed');
    expect(vercel.production()).toBe(fixed);
    expect(github.ledger('production')[0]).toMatchObject({ release: fixed, state: 'success' });
    expect(github.ledger('production').find((e) => e.release === good && e.rollback)).toMatchObject({
      state: 'inactive',
    });
    // Put the state the following tests expect back: good live, restored by a rollback.
    const back = await rollback({ target: good });
    expect(back.exitCode).toBe(0);
    expect(vercel.production()).toBe(good);
  });

  test('a staged release that failed its checks before promotion changes nothing but its ledger entry', async () => {
    const staged = await deploy('staged-bad', 'staged');
    const result = await rollback({ 'failed-deployment-id': staged });
    expect(result.exitCode).toBe(0);
    expect(result.outputs.changed).toBe('false');
    expect(vercel.production()).toBe(good);
    expect(github.ledger('production').find((e) => e.release === staged)).toMatchObject({ state: 'failure' });
    // And the failed release can never be chosen as a rollback target.
    const dry = await rollback({ 'dry-run': 'true', target: 'previous', 'failed-deployment-id': good });
    expect(dry.visibleStdout).not.toContain(`would restore ${staged}`);
  });

  test('dry-run says what it would do and changes nothing', async () => {
    const next = await deploy('next');
    const result = await rollback({ 'dry-run': 'true' });
    expect(result.exitCode).toBe(0);
    expect(result.outputs.changed).toBe('false');
    expect(result.visibleStdout).toContain(`Dry run: would restore ${good}`);
    expect(vercel.production()).toBe(next);
  });

  test('a commit SHA restores the release built from it', async () => {
    const sha = '0123456'; // the harness's GITHUB_SHA: every release here was built from it; the newest good one wins
    const result = await rollback({ target: sha });
    expect(result.exitCode).toBe(0);
    expect(result.outputs['restored-deployment-id']).toMatch(/^dpl_/);
  });

  test('a failed alias job fails the step with the reason; production is unchanged', async () => {
    const live = vercel.production();
    vercel.failNextAliasJob();
    const result = await rollback({ target: good });
    expect(result.exitCode).toBe(1);
    expect(errors(result).join('\n')).toContain('Vercel rollback failed: the rollback job failed');
    expect(vercel.production()).toBe(live);
  });

  test('a restored release that does not answer fails the step loudly, outputs set', async () => {
    await deploy('another');
    appStatus = 503;
    try {
      const result = await rollback({ target: good });
      expect(result.exitCode).toBe(1);
      expect(errors(result).join('\n')).toContain('answers HTTP 503');
      expect(result.outputs['restored-deployment-id']).toBe(good);
    } finally {
      appStatus = 200;
    }
  });
});

describe('without a GitHub token', () => {
  test("uses Vercel's own history, says so, and stays idempotent", async () => {
    const one = await deploy('one', 'production', '');
    const two = await deploy('two', 'production', '');
    const first = await rollback({}, '');
    expect(first.exitCode).toBe(0);
    expect(first.visibleStdout).toContain("Release ledger: off (no 'github-token')");
    expect(first.outputs).toMatchObject({
      changed: 'true',
      'restored-deployment-id': one,
      'rolled-back-deployment-id': two,
    });
    expect(vercel.production()).toBe(one);
    const second = await rollback({}, '');
    expect(second.outputs.changed).toBe('false');
    expect(vercel.production()).toBe(one);
  });
});

describe('npx shipline rollback', () => {
  test('a dry run from a terminal names the release it would restore', async () => {
    const older = await deploy('cli-older', 'production', '');
    await deploy('cli-newer', 'production', '');
    const args = [
      'rollback',
      '--provider',
      'vercel',
      '--project',
      vercel.projectId,
      '--team',
      vercel.teamId,
      '--api-url',
      vercel.url,
      '--github-token',
      '',
      '--dry-run',
      '--target',
      'previous',
    ];
    const { code, stdout } = await runCli(args, { INPUT_TOKEN: vercel.token });
    expect(code).toBe(0);
    expect(stdout).toContain(`Dry run: would restore ${older}`);
    expect(stdout).toContain('changed: false');
    expect(stdout).toContain('### Rollback: vercel → production');
    expect(stdout).not.toContain(vercel.token);
  });
});
