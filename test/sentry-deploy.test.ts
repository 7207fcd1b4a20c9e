// deploy's Sentry step through the bundle (dist/deploy), against loopback Vercel, GitHub and Sentry fakes: the
// release of the commit (the ledger's), its commit, and a deploy whose start and finish bracket the ledger's; staged
// releases get no deploy until promote; Sentry failing is a warning with its reason, never a failed release; the
// token never shows; bad sentry-* inputs are all reported at once.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import { type RunOptions, runBundle } from '../cli/local-runner.js';
import { type FakeGitHub, startFakeGitHub } from '../cli/sandbox/github.js';
import { type FakeSentry, startFakeSentry } from '../cli/sandbox/sentry.js';
import { type FakeVercel, startFakeVercel } from '../cli/sandbox/vercel.js';
import { closedPort, errors, exampleEvent, expectNoSecrets, warnings } from './support.js';

let vercel: FakeVercel;
let github: FakeGitHub;
let sentry: FakeSentry;
const SHA = '0123456789abcdef0123456789abcdef01234567';

function site(count = 2, version = 'v1'): string {
  const dir = mkdtempSync(join(tmpdir(), 'sentry-site-'));
  writeFileSync(join(dir, 'index.html'), `<h1>${version}</h1>`);
  for (let i = 1; i < count; i++) writeFileSync(join(dir, `file-${i}.js`), `export const n = ${i};`);
  return dir;
}

beforeAll(async () => {
  vercel = await startFakeVercel({ buildMs: 300, aliasJobMs: 200 });
  github = await startFakeGitHub();
  sentry = await startFakeSentry({ repositories: [github.repository], commitsMs: 100 });
});
afterAll(async () => {
  await vercel.close();
  await github.close();
  await sentry.close();
});
beforeEach(() => {
  sentry.server.clearFaults();
  sentry.releases.clear();
  sentry.deploys.length = 0;
});

function deploy(inputs: RunOptions['inputs'], extra: Partial<RunOptions> = {}) {
  return runBundle({
    action: 'deploy',
    inputs: {
      provider: 'vercel',
      token: vercel.token,
      project: vercel.projectId,
      team: vercel.teamId,
      'api-url': vercel.url,
      'github-token': github.token,
      'wait-timeout': '30s',
      'sentry-url': sentry.url,
      'sentry-org': sentry.org,
      'sentry-project': sentry.project,
      'sentry-token': sentry.token,
      ...inputs,
    },
    env: { GITHUB_API_URL: github.url, GITHUB_REPOSITORY: github.repository, GITHUB_SHA: SHA },
    event: exampleEvent('push', (p) => Boolean(p.head_commit)),
    timeoutMs: 60_000,
    ...extra,
  });
}

describe('deploy with Sentry', () => {
  test('production: the release of the commit, its commit, released, and a deploy bracketing the provider deploy', async () => {
    const before = Date.now();
    const result = await deploy({ dir: site(3, 'sentry'), target: 'production' });
    const after = Date.now();
    expect({ code: result.exitCode, errors: errors(result) }).toEqual({ code: 0, errors: [] });
    expect(result.outputs['sentry-release']).toBe(SHA);
    const release = sentry.releases.get(SHA);
    expect(release).toMatchObject({
      projects: new Set([sentry.project]),
      refs: [{ repository: github.repository, commit: SHA, previousCommit: null }],
    });
    expect(release?.dateReleased).not.toBeNull();
    const [marked] = sentry.deploys;
    expect(sentry.deploys).toHaveLength(1);
    expect(marked).toMatchObject({
      release: SHA,
      environment: 'production',
      name: result.outputs['deployment-id'],
      id: result.outputs['sentry-deploy-id'],
    });
    // The deploy's start precedes the provider's deployment; its finish follows it going live (the ledger's success).
    const started = Date.parse(marked?.dateStarted as string);
    const finished = Date.parse(marked?.dateFinished as string);
    const created = vercel.deployments.get(result.outputs['deployment-id'] as string)?.createdAt as number;
    expect(started).toBeGreaterThanOrEqual(before);
    expect(started).toBeLessThanOrEqual(created);
    expect(finished).toBeGreaterThan(created);
    expect(finished).toBeLessThanOrEqual(after);
    // Aligned with the ledger: the entry's commit is Sentry's release.
    expect(github.deployments.at(-1)?.sha).toBe(SHA);
    expect(result.summary).toContain(
      `release ${SHA}: release created, commit ${SHA.slice(0, 12)} associated, released, deploy`,
    );
    expectNoSecrets(result, [sentry.token, vercel.token, github.token]);

    // The next commit: Sentry gets the range from the commit the ledger says was live.
    const NEXT = 'fedcba9876543210fedcba9876543210fedcba98';
    const next = await deploy(
      { dir: site(3, 'next'), target: 'production' },
      { env: { GITHUB_API_URL: github.url, GITHUB_REPOSITORY: github.repository, GITHUB_SHA: NEXT } },
    );
    expect(next.exitCode).toBe(0);
    expect(sentry.releases.get(NEXT)?.refs).toEqual([
      { repository: github.repository, commit: NEXT, previousCommit: SHA },
    ]);
  });

  test('staged: release and commit only; the promote marks the deploy to production', async () => {
    const staged = await deploy({ dir: site(3, 'staged'), target: 'staged', 'sentry-release': 'web@2.0.0' });
    expect(staged.exitCode).toBe(0);
    expect(sentry.releases.get('web@2.0.0')?.dateReleased).toBeNull();
    expect(sentry.deploys).toHaveLength(0);
    const promoted = await deploy({
      command: 'promote',
      'deployment-id': staged.outputs['deployment-id'],
      'sentry-release': 'web@2.0.0',
      'sentry-environment': 'prod-eu',
    });
    expect({ code: promoted.exitCode, errors: errors(promoted) }).toEqual({ code: 0, errors: [] });
    expect(sentry.deploys).toEqual([
      expect.objectContaining({ release: 'web@2.0.0', environment: 'prod-eu', name: staged.outputs['deployment-id'] }),
    ]);
    expect(sentry.releases.get('web@2.0.0')?.dateReleased).not.toBeNull();
  });

  test("Sentry down or refusing: the deploy succeeds, with a warning giving Sentry's reason", async () => {
    sentry.server.inject(
      /\/releases\/$/,
      ...Array.from({ length: 5 }, () => ({
        kind: 'status' as const,
        status: 503,
        body: '{"detail":"Sentry is down for maintenance"}',
      })),
    );
    const down = await deploy({ dir: site(2, 'down'), target: 'production' });
    expect(down.exitCode).toBe(0);
    expect(vercel.production()).toBe(down.outputs['deployment-id']);
    expect(warnings(down).join('\n')).toContain('Sentry is down for maintenance');
    expect(down.outputs['sentry-release']).toBeUndefined();
    expect(down.summary).toContain('not updated');

    const refused = await deploy({
      dir: site(2, 'refused'),
      target: 'production',
      'sentry-url': `http://127.0.0.1:${await closedPort()}`,
    });
    expect(refused.exitCode).toBe(0);
    expect(warnings(refused).join('\n')).toMatch(/Sentry was not fully updated .*connection refused/);

    const badToken = await deploy({
      dir: site(2, 'token'),
      target: 'production',
      'sentry-token': 'sntryu_not-the-one',
    });
    expect(badToken.exitCode).toBe(0);
    expect(warnings(badToken).join('\n')).toContain('Invalid token');
    expectNoSecrets(badToken, ['sntryu_not-the-one', sentry.token]);

    // A gateway that echoes the request's token in its error: the token is masked before anything logs it.
    sentry.server.inject(/\/releases\/$/, {
      kind: 'status',
      status: 400,
      body: JSON.stringify({ detail: `token ${sentry.token} is not allowed here` }),
    });
    const echoed = await deploy({ dir: site(2, 'echo'), target: 'production' });
    expect(echoed.exitCode).toBe(0);
    expect(echoed.masks).toContain(sentry.token);
    expect(warnings(echoed).join('\n')).toContain('is not allowed here');
    expectNoSecrets(echoed, [sentry.token]);
  }, 120_000);

  test('a repository Sentry does not know: release and deploy without commits, and a warning saying so', async () => {
    const result = await deploy({ dir: site(2, 'repo'), target: 'production', 'sentry-repository': 'other/repo' });
    expect(result.exitCode).toBe(0);
    expect(sentry.releases.get(SHA)?.refs).toEqual([]);
    expect(sentry.deploys).toHaveLength(1);
    expect(warnings(result).join('\n')).toContain('no repository other/repo is connected');
  });

  test('bad sentry-* inputs: every problem at once, before anything is deployed', async () => {
    const deploymentsBefore = vercel.deployments.size;
    const sentryBefore = sentry.server.requests.length;
    const result = await deploy({
      dir: site(2),
      'sentry-token': '',
      'sentry-environment': 'prod/eu',
      'sentry-release': 'latest',
      'sentry-url': 'http://sentry.example.com',
    });
    expect(result.exitCode).not.toBe(0);
    const message = errors(result).join('\n');
    expect(message).toContain("Input 'sentry-token' is required when 'sentry-org' and 'sentry-project' are set");
    expect(message).toContain("Input 'sentry-environment' must be a Sentry environment name");
    expect(message).toContain("Input 'sentry-release' must be a Sentry release version");
    expect(message).toContain("Input 'sentry-url' must be an https URL");
    expect(vercel.deployments.size).toBe(deploymentsBefore);
    expect(sentry.server.requests.length).toBe(sentryBefore);
  });

  test('without sentry-* inputs nothing is sent to Sentry', async () => {
    const count = sentry.server.requests.length;
    const result = await deploy({ dir: site(2, 'off'), 'sentry-org': '', 'sentry-project': '', 'sentry-token': '' });
    expect(result.exitCode).toBe(0);
    expect(sentry.server.requests.length).toBe(count);
    expect(result.outputs['sentry-release']).toBeUndefined();
  });
});
