// Issue #24's minor items, each through a bundle as the runner (or a person at a terminal) runs it: the CLI never
// echoes what may be a secret; a missing ca-file or task definition file is an input problem before any request;
// an ECS 503 that is not AWS's JSON, https:// to a plain-HTTP port and expect-text past the 1 MiB read limit are
// sentences; credentials in a smoke URL's query or fragment are starred everywhere the URL is shown.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import { type RunOptions, type RunResult, runBundle } from '../cli/local-runner.js';
import { type FakeActionsCache, startFakeActionsCache } from '../cli/sandbox/actions-cache.js';
import { awsEnvironment, type FakeEcs, startFakeEcs } from '../cli/sandbox/ecs.js';
import { type FakeGitHub, startFakeGitHub } from '../cli/sandbox/github.js';
import { startTarget, type Target, text } from './fakes/smoke-target.js';
import { errors, exampleEvent, expectNoSecrets, runCli } from './support.js';

let app: Target;
let cache: FakeActionsCache;
let ecs: FakeEcs;
let github: FakeGitHub;
const workspace = mkdtempSync(join(tmpdir(), 'minor-2-ws-'));

beforeAll(async () => {
  [app, cache, ecs, github] = await Promise.all([
    startTarget(),
    startFakeActionsCache(),
    startFakeEcs({ stepMs: 100 }),
    startFakeGitHub(),
  ]);
});
afterAll(async () => {
  await Promise.all([app.close(), cache.close(), ecs.close(), github.close()]);
});
beforeEach(() => {
  app.reset();
  ecs.server.clearFaults();
});

function smoke(inputs: RunOptions['inputs'], extra: Partial<RunOptions> = {}): Promise<RunResult> {
  return runBundle({
    action: 'smoke-test',
    inputs: { 'max-attempts': '1', ...inputs },
    workspace,
    timeoutMs: 30_000,
    ...extra,
  });
}

function ecsDeploy(inputs: RunOptions['inputs']): Promise<RunResult> {
  return runBundle({
    action: 'deploy',
    inputs: {
      provider: 'ecs',
      cluster: ecs.cluster,
      service: ecs.serviceName,
      'github-token': github.token,
      target: 'production',
      'wait-timeout': '20s',
      ...inputs,
    },
    env: {
      ...awsEnvironment(ecs),
      GITHUB_API_URL: github.url,
      GITHUB_REPOSITORY: github.repository,
      GITHUB_SHA: 'c'.repeat(40),
    },
    event: exampleEvent('push', (p) => Boolean(p.head_commit)),
    workspace,
    timeoutMs: 60_000,
  });
}

describe('the CLI never echoes a value that starts with -- (#24 minor)', () => {
  test('a forgotten value makes the next argument look like a flag: the error names the option, quotes nothing', async () => {
    const secret = '--vercel-token-Sekret-1';
    const { code, stderr, stdout } = await runCli([
      'deploy',
      '--provider',
      'vercel',
      '--token',
      secret,
      '--project',
      'web',
    ]);
    expect(code).toBe(2);
    expect(stderr).toContain('--token has no value');
    expect(stderr + stdout).not.toContain('Sekret-1');
  });

  test('--token=--value is a missing value too, never taken as the token', async () => {
    const { code, stderr, stdout } = await runCli([
      'deploy',
      '--provider',
      'vercel',
      '--token=--Sekret-2',
      '--project',
      'web',
    ]);
    expect(code).toBe(2);
    expect(stderr).toContain('--token has no value');
    expect(stderr + stdout).not.toContain('Sekret-2');
  });

  test('a stray argument (a secret split off its flag by a space) is counted, not quoted', async () => {
    const { code, stderr, stdout } = await runCli([
      'smoke-test',
      '--url',
      'http://127.0.0.1:1/',
      '--headers',
      'Authorization:',
      'Bearer-Sekret-3',
    ]);
    expect(code).toBe(2);
    expect(stderr).toContain('Unexpected argument');
    expect(stderr + stdout).not.toContain('Sekret-3');
  });
});

describe('a missing ca-file or task definition file is refused before any request (#24 minor)', () => {
  test("smoke-test: input 'ca-file' naming no file is an input problem with its path; the server and the cache see nothing", async () => {
    const result = await smoke(
      { url: `${app.url}/`, 'ca-file': 'certs/missing-ca.pem', regression: 'p(95) < 1.5x' },
      { env: cache.env() },
    );
    expect(result.exitCode).toBe(1);
    const message = errors(result).join('\n');
    expect(message).toContain("Input 'ca-file' must be a PEM file of CA certificates: there is no file");
    expect(message).toContain(join(workspace, 'certs/missing-ca.pem'));
    expect(app.hits).toEqual([]);
    expect(cache.server.requests).toEqual([]);
  });

  test("smoke-test: a check's tls.ca-file that is missing stops the run before the regression gate asks the cache", async () => {
    const result = await smoke(
      {
        checks: JSON.stringify([{ url: `${app.url}/`, tls: { 'ca-file': 'certs/also-missing.pem' } }]),
        regression: 'p(95) < 1.5x',
      },
      { env: cache.env() },
    );
    expect(result.exitCode).toBe(1);
    expect(errors(result).join('\n')).toContain('certs/also-missing.pem');
    expect(app.hits).toEqual([]);
    expect(cache.server.requests).toEqual([]);
  });

  test("deploy (ecs): input 'task-definition' naming no file is an input problem with its path; ECS and GitHub see nothing", async () => {
    const ecsBefore = ecs.server.requests.length;
    const githubBefore = github.server.requests.length;
    const result = await ecsDeploy({ 'task-definition': 'deploy/missing-task-definition.json' });
    expect(result.exitCode).toBe(1);
    const message = errors(result).join('\n');
    expect(message).toContain("Input 'task-definition' must be a task definition JSON file: there is no file");
    expect(message).toContain(join(workspace, 'deploy/missing-task-definition.json'));
    expect(ecs.server.requests.length).toBe(ecsBefore);
    expect(github.server.requests.length).toBe(githubBefore);
  });
});

describe('ECS 503 bodies, https to a plain-HTTP port and expect-text past 1 MiB are sentences (#24 minor)', () => {
  test('an ECS 503 with an HTML body (a load balancer page, not AWS JSON) is "AWS ECS answered 503 Service Unavailable"', async () => {
    const page = {
      kind: 'status' as const,
      status: 503,
      headers: { 'content-type': 'text/html' },
      body: '<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>',
    };
    ecs.server.inject(/DescribeServices$/, ...Array.from({ length: 10 }, () => page));
    const result = await ecsDeploy({ images: `api=123456789012.dkr.ecr.eu-west-1.amazonaws.com/api:v9` });
    expect(result.exitCode).toBe(1);
    const message = errors(result).join('\n');
    expect(message).toContain('AWS ECS answered 503 Service Unavailable');
    expect(message).toContain("with a body that is not AWS's JSON");
    expect(message).toContain('starting <html>');
    expect(message).not.toMatch(/Deserialization error|\$response|This is a shipline bug/);
    expectNoSecrets(result, [ecs.secretAccessKey, github.token]);
  });

  test('an ECS 503 with an empty body says so', async () => {
    ecs.server.inject(
      /DescribeServices$/,
      ...Array.from({ length: 10 }, () => ({ kind: 'status' as const, status: 503, body: '' })),
    );
    const result = await ecsDeploy({ images: `api=123456789012.dkr.ecr.eu-west-1.amazonaws.com/api:v9` });
    expect(result.exitCode).toBe(1);
    const message = errors(result).join('\n');
    expect(message).toContain(
      'AWS ECS answered 503 Service Unavailable to DescribeServices, with no AWS error in its body',
    );
    expect(message).not.toMatch(/UnknownError|Deserialization error|This is a shipline bug/);
  });

  test('smoke-test: https:// to a port that speaks plain HTTP names the fix, not an OpenSSL code alone', async () => {
    app.route('/', text(200, 'ok'));
    const url = app.url.replace('http://', 'https://');
    const result = await smoke({ url: `${url}/` });
    expect(result.exitCode).toBe(1);
    const port = new URL(app.url).port;
    expect(errors(result).join('\n')).toContain(
      `the server at 127.0.0.1:${port} answered plain HTTP to a TLS handshake: use http://`,
    );
  });

  test('deploy: an https api-url whose port speaks plain HTTP names the fix', async () => {
    const result = await runBundle({
      action: 'deploy',
      inputs: {
        provider: 'vercel',
        token: 'vercel-Sekret-9',
        project: 'web',
        'api-url': app.url.replace('http://', 'https://'),
        dir: '.',
        'pr-comment': 'false',
      },
      workspace: (() => {
        const dir = mkdtempSync(join(tmpdir(), 'minor-2-site-'));
        writeFileSync(join(dir, 'index.html'), '<h1>hi</h1>');
        return dir;
      })(),
      timeoutMs: 30_000,
    });
    expect(result.exitCode).toBe(1);
    expect(errors(result).join('\n')).toContain('answered plain HTTP to a TLS handshake: use http://');
    expectNoSecrets(result, ['vercel-Sekret-9']);
  });

  test('expect-text past the 1 MiB read limit: "not found in the first 1 MiB", not a bare "does not contain"', async () => {
    const size = 3 * 1024 * 1024;
    app.route('/big', text(200, `${'a'.repeat(size)}NEEDLE-AT-THE-END`, 'text/plain'));
    const result = await smoke({ url: `${app.url}/big`, 'expect-text': 'NEEDLE-AT-THE-END' });
    expect(result.exitCode).toBe(1);
    const message = errors(result).join('\n');
    expect(message).toContain('body does not contain "NEEDLE-AT-THE-END" in the first 1 MiB');
    expect(message).toContain(`the body is ${size + 'NEEDLE-AT-THE-END'.length} bytes`);
  });

  test('a body under the limit that lacks the text is still a plain "does not contain"', async () => {
    app.route('/small', text(200, 'hello', 'text/plain'));
    const result = await smoke({ url: `${app.url}/small`, 'expect-text': 'absent' });
    expect(result.exitCode).toBe(1);
    const message = errors(result).join('\n');
    expect(message).toContain('body does not contain "absent"; it starts');
  });
});

describe('query and fragment secrets in smoke URLs are starred everywhere the URL is shown (#24 minor)', () => {
  test('fragment tokens, JWTs, sessions, passwords and OAuth codes: starred in log, summary and outputs, and masked', async () => {
    app.route('/cb', text(503, 'down'));
    const secrets = ['frag-Sekret-1', 'jwt-Sekret-2', 'sess-Sekret-3', 'pwd-Sekret-4', 'code-Sekret-5', 'tok-Sekret-6'];
    const url = `${app.url}/cb?jwt=jwt-Sekret-2&session=sess-Sekret-3&pwd=pwd-Sekret-4&code=code-Sekret-5&page=2#access_token=frag-Sekret-1&state=abc123&id_token=tok-Sekret-6`;
    const result = await smoke({ url });
    expect(result.exitCode).toBe(1);
    expect(result.masks).toEqual(expect.arrayContaining(secrets));
    expectNoSecrets(result, secrets);
    const report = JSON.parse(result.outputs.report as string) as { checks: { url: string }[] };
    expect(report.checks[0]?.url).toMatch(
      /\/cb\?jwt=\*\*\*&session=\*\*\*&pwd=\*\*\*&code=\*\*\*&page=2#access_token=\*\*\*&state=abc123&id_token=\*\*\*$/,
    );
    expect(result.summary).toContain('page=2');
  });
});

// A folder for the checks above that name workspace-relative files: it exists, the files in it do not.
mkdirSync(join(workspace, 'certs'), { recursive: true });
