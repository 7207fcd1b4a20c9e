// A Supabase functions rollback on a private repository: the checkout is shallow and keeps no credentials
// (persist-credentials: false), so the older commit it redeploys must be fetched with the job's token. Through the
// rollback bundle, against a loopback git server (git http-backend) that refuses anonymous reads as GitHub does
// for a private repository: the fetch carries the token for that one command, nothing lands in .git/config, and
// the token never reaches the log, the outputs or the summary.
import { execFile, execFileSync, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import { runBundle } from '../cli/local-runner.js';
import { type FakeGitHub, startFakeGitHub } from '../cli/sandbox/github.js';
import { type FakeSupabase, startFakeSupabase } from '../cli/sandbox/supabase.js';
import { expectNoSecrets } from './support.js';

const GIT_ENV = {
  GIT_AUTHOR_NAME: 't',
  GIT_AUTHOR_EMAIL: 't@e',
  GIT_COMMITTER_NAME: 't',
  GIT_COMMITTER_EMAIL: 't@e',
  GIT_CONFIG_NOSYSTEM: '1',
  HOME: tmpdir(),
};

let dir: string;
let origin: string;
let server: Server;
let serverUrl: string;
let supabase: FakeSupabase;
let github: FakeGitHub;
/** The job's token: the fake GitHub's (the ledger reads with it) and the one the git server wants. */
let TOKEN: string;
const shas: string[] = [];
let authorizations: (string | undefined)[] = [];

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-C', cwd, ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { PATH: process.env.PATH, ...GIT_ENV },
  }).trim();
}

/** git's smart HTTP protocol through `git http-backend` (CGI), answering 401 to a request without the token. */
function gitServer(root: string): Server {
  return createServer((req, res) => {
    // The scheme is case-insensitive (git sends what the config says, actions/checkout writes "basic").
    authorizations.push(req.headers.authorization?.replace(/^basic /i, 'Basic '));
    const expected = `Basic ${Buffer.from(`x-access-token:${TOKEN}`).toString('base64')}`;
    if (req.headers.authorization?.replace(/^basic /i, 'Basic ') !== expected) {
      res.writeHead(401, { 'www-authenticate': 'Basic realm="GitHub"' }).end('Authentication required');
      return;
    }
    const [path, query = ''] = (req.url ?? '').split('?');
    const cgi = spawn('git', ['http-backend'], {
      env: {
        PATH: process.env.PATH,
        GIT_PROJECT_ROOT: root,
        GIT_HTTP_EXPORT_ALL: '1',
        PATH_INFO: path,
        QUERY_STRING: query,
        REQUEST_METHOD: req.method,
        CONTENT_TYPE: req.headers['content-type'] ?? '',
        GIT_PROTOCOL: String(req.headers['git-protocol'] ?? ''),
        REMOTE_USER: 'x-access-token',
      },
    });
    req.pipe(cgi.stdin);
    const chunks: Buffer[] = [];
    cgi.stdout.on('data', (c: Buffer) => chunks.push(c));
    cgi.on('close', () => {
      const out = Buffer.concat(chunks);
      const end = out.indexOf('\r\n\r\n');
      const head = out.subarray(0, end).toString().split('\r\n');
      const headers: Record<string, string> = {};
      let status = 200;
      for (const line of head) {
        const [name, ...rest] = line.split(':');
        if (name!.toLowerCase() === 'status') status = Number.parseInt(rest.join(':').trim(), 10);
        else headers[name!] = rest.join(':').trim();
      }
      res.writeHead(status, headers).end(out.subarray(end + 4));
    });
  });
}

beforeAll(async () => {
  supabase = await startFakeSupabase();
  dir = mkdtempSync(join(tmpdir(), 'shipline-fetch-'));
  origin = join(dir, 'origin.git');
  const seed = join(dir, 'seed');
  mkdirSync(join(seed, 'supabase', 'functions', 'hello'), { recursive: true });
  git(seed, 'init', '-q');
  for (const version of ['v1', 'v2']) {
    writeFileSync(
      join(seed, 'supabase', 'functions', 'hello', 'index.ts'),
      `Deno.serve(() => new Response('${version}'));\n`,
    );
    git(seed, 'add', '-A');
    git(seed, 'commit', '-qm', version);
    shas.push(git(seed, 'rev-parse', 'HEAD'));
  }
  git(dir, 'clone', '-q', '--bare', seed, origin);
  // GitHub serves any reachable commit by its SHA; git's default server does not.
  git(origin, 'config', 'uploadpack.allowReachableSHA1InWant', 'true');
  server = gitServer(dir);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  serverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await supabase.close();
  rmSync(dir, { recursive: true, force: true });
});

// A ledger of its own for each test: a rollback already recorded would be a no-op that fetches nothing.
beforeEach(async () => {
  github = await startFakeGitHub();
  TOKEN = github.token;
  authorizations = [];
});

afterEach(async () => {
  await github.close();
});

/** actions/checkout with persist-credentials: false: the change's commit alone, no credentials in .git/config. */
async function shallowCheckout(persistedHeader?: string): Promise<string> {
  const work = mkdtempSync(join(dir, 'work-'));
  git(work, 'init', '-q');
  git(work, 'remote', 'add', 'origin', `${serverUrl}/origin.git`);
  const auth = [
    '-c',
    `http.${serverUrl}/.extraheader=AUTHORIZATION: basic ${Buffer.from(`x-access-token:${TOKEN}`).toString('base64')}`,
  ];
  // Asynchronous: the git server answers from this process.
  await promisify(execFile)('git', ['-C', work, ...auth, 'fetch', '-q', '--depth=1', 'origin', shas[1]!], {
    env: { PATH: process.env.PATH, ...GIT_ENV },
  });
  git(work, 'checkout', '-q', shas[1]!);
  if (persistedHeader) git(work, 'config', `http.${serverUrl}/.extraheader`, persistedHeader);
  return work;
}

function rollback(workspace: string, githubToken: string) {
  return runBundle({
    action: 'rollback',
    inputs: {
      provider: 'supabase-functions',
      token: supabase.token,
      project: supabase.ref,
      'api-url': supabase.url,
      'github-token': githubToken,
      target: shas[0],
      verify: 'false',
    },
    env: {
      GITHUB_API_URL: github.url,
      GITHUB_SERVER_URL: serverUrl,
      GITHUB_REPOSITORY: github.repository,
      GITHUB_SHA: shas[1],
      ...GIT_ENV,
    },
    workspace,
    timeoutMs: 60_000,
  });
}

describe('supabase-functions rollback fetches the older commit with the job token', () => {
  test('from a shallow checkout without credentials: the fetch sends the token, .git/config stays clean, the log never shows it', async () => {
    const work = await shallowCheckout();
    expect(() => git(work, 'cat-file', '-e', `${shas[0]}^{commit}`)).toThrow();
    const result = await rollback(work, TOKEN);
    if (result.exitCode !== 0) console.log(result.stdout, result.stderr);
    expect(result.exitCode).toBe(0);
    expect(result.visibleStdout).toContain(`git: fetching ${shas[0]} (not in this checkout)`);
    expect(supabase.functions.get('hello')?.files['supabase/functions/hello/index.ts']).toContain("'v1'");
    // One header, the token's, on every request of the fetch.
    expect(authorizations.length).toBeGreaterThan(0);
    expect(new Set(authorizations)).toEqual(
      new Set([`Basic ${Buffer.from(`x-access-token:${TOKEN}`).toString('base64')}`]),
    );
    expect(readFileSync(join(work, '.git', 'config'), 'utf8')).not.toMatch(/extraheader|AUTHORIZATION/i);
    expectNoSecrets(result, [TOKEN, Buffer.from(`x-access-token:${TOKEN}`).toString('base64')]);
    // The header value is a credential of its own: masked before git ever sees it.
    expect(result.masks).toContain(Buffer.from(`x-access-token:${TOKEN}`).toString('base64'));
  });

  test('replaces a header an earlier checkout persisted (a stale token) instead of sending two', async () => {
    const work = await shallowCheckout('AUTHORIZATION: basic c3RhbGU6dG9rZW4=');
    const result = await rollback(work, TOKEN);
    expect(result.exitCode).toBe(0);
    expect(new Set(authorizations)).toEqual(
      new Set([`Basic ${Buffer.from(`x-access-token:${TOKEN}`).toString('base64')}`]),
    );
  });

  test('without the token the server refuses, and the step says git could not fetch the commit', async () => {
    const work = await shallowCheckout();
    const result = await rollback(work, '');
    expect(result.exitCode).not.toBe(0);
    expect(result.stdout + result.stderr).toMatch(/git .*fetch failed/);
  });
});
