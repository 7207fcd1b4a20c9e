// The official client is the judge: sentry-cli (@sentry/cli, its prebuilt binary from the npm optional package)
// creates a release, associates a commit, finalizes it and marks a deploy on the loopback Sentry fake, and reads
// them back; and every request shipline's client (shared/sentry.ts) sends is the request sentry-cli sends for the
// same job: same method, path and body shape, recorded by the fake from both.
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import { nodeBinary } from '../cli/local-runner.js';
import { type FakeSentry, startFakeSentry } from '../cli/sandbox/sentry.js';
import type { RecordedRequest } from '../cli/sandbox/server.js';
import { newIssuesQuery, SentryClient } from '../shared/sentry.js';
import { type HttpProxy, startHttpProxy } from './fakes/http-proxy.js';

const require = createRequire(import.meta.url);
const SHA = 'a94a8fe5ccb19ba61c4c0873d391e987982fbbd3';

let fake: FakeSentry;
/** The clock of the fake's background work (fetching commits): moved by the test, never waited for. */
let sentryTime = 0;
let proxy: HttpProxy;
let home: string;

beforeAll(async () => {
  fake = await startFakeSentry({
    org: 'acme',
    project: 'web',
    repositories: ['acme/web'],
    commitsMs: 150,
    ingestMs: 100,
    clock: () => sentryTime,
  });
  proxy = await startHttpProxy();
  home = mkdtempSync(join(tmpdir(), 'conformance-sentry-home-'));
});
afterAll(async () => {
  await fake.close();
  await proxy.close();
});
beforeEach(() => {
  fake.server.requests.length = 0;
});

function sentryCli(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  // The npm package's launcher, which runs the binary of @sentry/cli-linux-x64 (an optional dependency: no download).
  const bin = join(dirname(require.resolve('@sentry/cli/package.json')), 'bin', 'sentry-cli');
  return new Promise((resolve) => {
    execFile(
      nodeBinary(),
      [bin, ...args],
      {
        // Not a git repository, and a home of its own: no ~/.sentryclirc, no .env, nothing of the machine's.
        cwd: home,
        timeout: 60_000,
        env: {
          PATH: process.env.PATH ?? '',
          HOME: home,
          SENTRY_URL: fake.url,
          SENTRY_AUTH_TOKEN: fake.token,
          SENTRY_ORG: fake.org,
          SENTRY_PROJECT: fake.project,
          SENTRY_DISABLE_UPDATE_CHECK: 'true',
          SENTRY_LOAD_DOTENV: '0',
          // curl (sentry-cli's HTTP) sends anything not loopback through this proxy, which refuses and records it.
          HTTPS_PROXY: proxy.url,
          ALL_PROXY: proxy.url,
          NO_PROXY: '127.0.0.1,localhost,::1',
          NO_COLOR: '1',
          ...env,
        },
      },
      (error, stdout, stderr) =>
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

const ok = (r: { code: number; stdout: string; stderr: string }) =>
  expect({ code: r.code, out: `${r.stdout}\n${r.stderr}` }).toMatchObject({ code: 0 });

/** A request reduced to what must agree: method, path with the query's keys, and the body's shape (keys and types). */
function shape(r: RecordedRequest): { method: string; path: string; body: unknown } {
  const url = new URL(r.path, 'http://x');
  const typeOf = (v: unknown): unknown =>
    v === null
      ? 'null'
      : Array.isArray(v)
        ? v.map(typeOf)
        : typeof v === 'object'
          ? Object.fromEntries(
              Object.entries(v as object)
                .map(([k, x]) => [k, typeOf(x)])
                .sort(),
            )
          : typeof v === 'string' && !Number.isNaN(Date.parse(v)) && /^\d{4}-/.test(v)
            ? 'date'
            : typeof v;
  return {
    method: r.method,
    path: `${url.pathname}?${[...url.searchParams.keys()].join('&')}`,
    body: r.body ? typeOf(JSON.parse(r.body)) : undefined,
  };
}

describe('conformance: sentry-cli against the Sentry fake', () => {
  test('sentry-cli --version runs from the npm package, offline', async () => {
    const r = await sentryCli(['--version']);
    ok(r);
    expect(r.stdout).toMatch(/^sentry-cli \d+\.\d+\.\d+/);
  });

  test('releases new, set-commits, finalize, deploys new, and reading them back', async () => {
    ok(await sentryCli(['releases', 'new', 'cli-1.0.0']));
    expect(fake.releases.get('cli-1.0.0')).toMatchObject({ projects: new Set(['web']), dateReleased: null });
    expect(fake.releases.get('cli-1.0.0')?.dateStarted).not.toBeNull();

    ok(await sentryCli(['releases', 'set-commits', 'cli-1.0.0', '--commit', `acme/web@${SHA}`]));
    expect(fake.releases.get('cli-1.0.0')?.refs).toEqual([
      { repository: 'acme/web', commit: SHA, previousCommit: null },
    ]);

    ok(await sentryCli(['releases', 'finalize', 'cli-1.0.0']));
    expect(fake.releases.get('cli-1.0.0')?.dateReleased).not.toBeNull();

    const started = Math.floor(Date.now() / 1000) - 30;
    ok(
      await sentryCli([
        'deploys',
        '--release',
        'cli-1.0.0',
        'new',
        '-e',
        'production',
        '--name',
        'dpl_1',
        '--url',
        'https://example.com',
        '--started',
        String(started),
        '--finished',
        String(started + 20),
      ]),
    );
    expect(fake.deploys.at(-1)).toMatchObject({
      release: 'cli-1.0.0',
      environment: 'production',
      name: 'dpl_1',
      url: 'https://example.com',
      dateStarted: new Date(started * 1000).toISOString(),
      dateFinished: new Date((started + 20) * 1000).toISOString(),
    });

    const deploys = await sentryCli(['deploys', '--release', 'cli-1.0.0', 'list']);
    ok(deploys);
    expect(deploys.stdout).toMatch(/production\s*\|\s*dpl_1/);

    // Sentry fetches the commits of the refs in the background: they show once it has (its clock moved past it).
    sentryTime += 150;
    const info = await sentryCli(['releases', 'info', 'cli-1.0.0', '--show-projects', '--show-commits']);
    ok(info);
    expect(info.stdout).toContain('cli-1.0.0');
    expect(info.stdout).toContain(SHA);
    expect(info.stdout).toContain('web');
    expect(proxy.targets()).toEqual([]);
  }, 120_000);

  test("issues list reads the release's new issues through the query shipline uses, page by page", async () => {
    const small = await startFakeSentry({ pageSize: 2, ingestMs: 0 });
    try {
      ok(await sentryCli(['releases', 'new', 'v9'], { SENTRY_URL: small.url, SENTRY_AUTH_TOKEN: small.token }));
      const since = new Date(Date.now() - 1000);
      for (let i = 0; i < 5; i++) small.raiseIssue('v9', { title: `TypeError: boom ${i}` });
      small.raiseIssue('v9', { title: 'staging only', environment: 'staging' });
      small.raiseIssue('v8', { title: 'older release' });
      const r = await sentryCli(['issues', 'list', '--query', newIssuesQuery('v9', 'production', since)], {
        SENTRY_URL: small.url,
        SENTRY_AUTH_TOKEN: small.token,
      });
      ok(r);
      for (let i = 0; i < 5; i++) expect(r.stdout).toContain(`TypeError: boom ${i}`);
      expect(r.stdout).not.toContain('staging only');
      expect(r.stdout).not.toContain('older release');
      // Five issues, two a page: sentry-cli followed the Link header's cursor until results="false".
      expect(small.server.requests.filter((q) => q.path.includes('/issues/'))).toHaveLength(3);

      const ours = await new SentryClient({
        url: small.url,
        org: small.org,
        project: small.project,
        token: small.token,
      }).newIssuesFor('v9', 'production', since);
      expect(ours.count).toBe(5);
      const cliPaths = small.server.requests
        .filter((q) => q.path.includes('/issues/') && q.headers['user-agent']?.startsWith('sentry-cli'))
        .map((q) => q.path);
      const ourPaths = small.server.requests
        .filter((q) => q.path.includes('/issues/') && !q.headers['user-agent']?.startsWith('sentry-cli'))
        .map((q) => q.path);
      expect(ourPaths).toEqual(cliPaths);
    } finally {
      await small.close();
    }
  }, 60_000);

  test('a wrong token and an unknown repository are refused, as Sentry does', async () => {
    const denied = await sentryCli(['releases', 'new', 'x-1'], {
      SENTRY_AUTH_TOKEN: 'sntryu_0000000000000000000000000000000000000000000000000000000000000000',
    });
    expect(denied.code).not.toBe(0);
    expect(denied.stderr).toMatch(/Invalid token|401/);
    expect(fake.releases.has('x-1')).toBe(false);
    ok(await sentryCli(['releases', 'new', 'x-2']));
    const unknown = await sentryCli(['releases', 'set-commits', 'x-2', '--commit', `someone/else@${SHA}`]);
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain("Unknown repo 'someone/else'");
  }, 60_000);
});

describe("shipline's Sentry client sends sentry-cli's requests", () => {
  test('release, commits, finalize and deploy: same methods, paths and body shapes', async () => {
    const started = new Date(Date.now() - 60_000);
    const finished = new Date(Date.now() - 30_000);
    const unix = (d: Date) => String(Math.floor(d.getTime() / 1000));

    ok(await sentryCli(['releases', 'new', 'web@1.0.0+cli']));
    ok(await sentryCli(['releases', 'set-commits', 'web@1.0.0+cli', '--commit', `acme/web@${SHA}`]));
    ok(await sentryCli(['releases', 'finalize', 'web@1.0.0+cli']));
    ok(
      await sentryCli([
        'deploys',
        '--release',
        'web@1.0.0+cli',
        'new',
        '-e',
        'production',
        '--name',
        'dpl_1',
        '--url',
        'https://example.com',
        '--started',
        unix(started),
        '--finished',
        unix(finished),
      ]),
    );
    const cli = fake.server.requests.splice(0).map(shape);

    const client = new SentryClient({ url: fake.url, org: fake.org, project: fake.project, token: fake.token });
    await client.createRelease('web@1.0.0+ours', ['web'], started);
    const repositories = await client.repositories();
    expect(repositories).toEqual(['acme/web']);
    // set-commits makes sure the release exists (POST) before the refs (PUT), as sentry-cli does.
    await client.createRelease('web@1.0.0+ours', ['web'], started);
    await client.setCommits('web@1.0.0+ours', [{ repository: 'acme/web', commit: SHA }]);
    await client.finalizeRelease('web@1.0.0+ours', finished, ['web']);
    await client.createDeploy('web@1.0.0+ours', {
      environment: 'production',
      name: 'dpl_1',
      url: 'https://example.com',
      dateStarted: started,
      dateFinished: finished,
    });
    const ours = fake.server.requests.splice(0).map(shape);

    // The version's `+` is escaped and its `@` kept, in both.
    expect(cli.filter((r) => r.path.includes('web@1.0.0%2Bcli'))).toHaveLength(3);
    const normal = (list: ReturnType<typeof shape>[]) =>
      list.map((r) => ({ ...r, path: r.path.replace(/web@1\.0\.0%2B(cli|ours)/, 'VERSION') }));
    // `releases new` sends no refs; set-commits's own POST carries version and projects only (no dateStarted).
    const cliShapes = normal(cli);
    const ourShapes = normal(ours);
    expect(ourShapes.map((r) => `${r.method} ${r.path}`)).toEqual(cliShapes.map((r) => `${r.method} ${r.path}`));
    expect(ourShapes[0]?.body).toEqual(cliShapes[0]?.body);
    // The second POST: sentry-cli's carries version and projects; ours the same plus the start it already sent.
    expect(ourShapes[2]?.body).toMatchObject(cliShapes[2]?.body as Record<string, unknown>);
    for (const i of [3, 4, 5]) expect(ourShapes[i]?.body).toEqual(cliShapes[i]?.body);

    expect(fake.releases.get('web@1.0.0+ours')).toMatchObject({
      refs: [{ repository: 'acme/web', commit: SHA, previousCommit: null }],
    });
    expect(fake.releases.get('web@1.0.0+ours')?.dateReleased).toBe(finished.toISOString());
    expect(fake.deploys.at(-1)).toMatchObject({
      release: 'web@1.0.0+ours',
      environment: 'production',
      dateStarted: started.toISOString(),
      dateFinished: finished.toISOString(),
    });
    expect(fake.server.requests).toHaveLength(0);
  }, 120_000);

  test('a commit range (previous..head): the same refs body', async () => {
    const PREVIOUS = '1111111111111111111111111111111111111111';
    ok(await sentryCli(['releases', 'new', 'range-cli']));
    ok(await sentryCli(['releases', 'set-commits', 'range-cli', '--commit', `acme/web@${PREVIOUS}..${SHA}`]));
    const client = new SentryClient({ url: fake.url, org: fake.org, project: fake.project, token: fake.token });
    await client.createRelease('range-ours');
    await client.setCommits('range-ours', [{ repository: 'acme/web', commit: SHA, previousCommit: PREVIOUS }]);
    const puts = fake.server.requests.filter((r) => r.method === 'PUT').map((r) => JSON.parse(r.body));
    expect(puts).toHaveLength(2);
    expect(puts[1]).toEqual(puts[0]);
    expect(fake.releases.get('range-ours')?.refs).toEqual([
      { repository: 'acme/web', commit: SHA, previousCommit: PREVIOUS },
    ]);
  }, 60_000);
});
