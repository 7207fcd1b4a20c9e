// Proxy credentials (user:password@ in HTTPS_PROXY / HTTP_PROXY) are the runner's secrets: every bundle registers
// them with the masker (add-mask) before it prints anything, and they never show in the log, the summary or the
// outputs. A proxy that answers 407 Proxy Authentication Required is reported as such, naming the variable to fix,
// through each HTTP stack: the smoke-test prober's CONNECT (node:net), fetch's CONNECT (undici, a provider call),
// and a plain-http request whose answer is the proxy's 407 (the GitHub client). Not retried: the same credentials
// are refused again.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { runBundle } from '../cli/local-runner.js';
import { type FakeGitHub, startFakeGitHub } from '../cli/sandbox/github.js';
import { type FakeVercel, startFakeVercel } from '../cli/sandbox/vercel.js';
import { makeCertificates } from './fakes/certificates.js';
import { type HttpProxy, startHttpProxy, startTlsFront } from './fakes/http-proxy.js';
import { startTarget, type Target, text } from './fakes/smoke-target.js';
import { errors, exampleEvent, expectNoSecrets } from './support.js';

const USER = 'corp-deployer';
const RIGHT = 'Corr3ct-H0rse-Battery';
const WRONG = 'Wr0ng-Stapl3-Pass';

let proxy: HttpProxy;
let secure: Target;
let vercel: FakeVercel;
let front: { url: string; close(): Promise<void> };
let github: FakeGitHub;
let caFile: string;
const workspace = mkdtempSync(join(tmpdir(), 'proxy-credentials-'));

beforeAll(async () => {
  const certs = makeCertificates();
  caFile = join(workspace, 'ca.pem');
  writeFileSync(caFile, certs.caPem);
  [proxy, secure, vercel, github] = await Promise.all([
    startHttpProxy({ credentials: `${USER}:${RIGHT}` }),
    startTarget({ tls: certs.signedByCa }),
    startFakeVercel({ buildMs: 100, aliasJobMs: 100 }),
    startFakeGitHub(),
  ]);
  secure.route('/', text(200, 'hello'));
  front = await startTlsFront(vercel.url, certs.signedByCa);
});
afterAll(async () => {
  await Promise.all([proxy.close(), secure.close(), front.close(), vercel.close(), github.close()]);
});

const proxyUrl = (password?: string) =>
  password === undefined ? proxy.url : proxy.url.replace('http://', `http://${USER}:${password}@`);
const basic = (password: string) => Buffer.from(`${USER}:${password}`).toString('base64');
const smoke = (env: Record<string, string>) =>
  runBundle({
    action: 'smoke-test',
    inputs: { url: `${secure.url}/`, 'max-attempts': 1 },
    env: { NODE_EXTRA_CA_CERTS: caFile, ...env },
    workspace,
    timeoutMs: 60_000,
  });
const site = () => {
  const dir = mkdtempSync(join(tmpdir(), 'proxy-credentials-site-'));
  writeFileSync(join(dir, 'index.html'), `<h1>${Math.random()}</h1>`);
  return dir;
};
const deploy = (env: Record<string, string>) =>
  runBundle({
    action: 'deploy',
    inputs: {
      provider: 'vercel',
      token: vercel.token,
      project: vercel.projectId,
      team: vercel.teamId,
      'api-url': front.url,
      'github-token': github.token,
      'wait-timeout': '30s',
      dir: site(),
    },
    env: { GITHUB_API_URL: github.url, GITHUB_REPOSITORY: github.repository, NODE_EXTRA_CA_CERTS: caFile, ...env },
    event: exampleEvent('push', (p) => Boolean(p.head_commit)),
    timeoutMs: 60_000,
  });

describe('proxy credentials', () => {
  test('smoke-test: the right credentials pass, and are masked', async () => {
    proxy.reset();
    const result = await smoke({ HTTPS_PROXY: proxyUrl(RIGHT) });
    expect({ code: result.exitCode, errors: errors(result) }).toEqual({ code: 0, errors: [] });
    expect(proxy.authorizations).toContain(`Basic ${basic(RIGHT)}`);
    expect(result.masks).toEqual(expect.arrayContaining([RIGHT, basic(RIGHT)]));
    expectNoSecrets(result, [RIGHT, basic(RIGHT)]);
  });

  test('smoke-test (CONNECT by the prober): a 407 says the proxy refused the credentials in HTTPS_PROXY; nothing shows them', async () => {
    proxy.reset();
    const result = await smoke({ HTTPS_PROXY: proxyUrl(WRONG) });
    expect(result.exitCode).not.toBe(0);
    expect(proxy.refused).toEqual([`407 CONNECT ${new URL(secure.url).host}`]);
    const message = errors(result).join('\n');
    expect(message).toContain(
      `proxy 127.0.0.1:${new URL(proxy.url).port} refused the credentials in HTTPS_PROXY (407 Proxy Authentication Required)`,
    );
    expect(result.masks).toEqual(expect.arrayContaining([WRONG, basic(WRONG)]));
    expectNoSecrets(result, [WRONG, basic(WRONG), `${USER}:${WRONG}`]);
  });

  test('smoke-test: a proxy URL without credentials, answered 407, says it holds none', async () => {
    proxy.reset();
    const result = await smoke({ https_proxy: proxyUrl() });
    expect(result.exitCode).not.toBe(0);
    expect(errors(result).join('\n')).toContain(
      'asks for credentials (407 Proxy Authentication Required) and https_proxy holds none',
    );
  });

  test('deploy (fetch through undici, CONNECT): the provider call fails with the 407 sentence, once, not retried', async () => {
    proxy.reset();
    const before = vercel.server.requests.length;
    // GitHub (plain http) goes direct here: only the Vercel calls (https) take the proxy.
    const result = await deploy({ HTTPS_PROXY: proxyUrl(WRONG) });
    expect(result.exitCode).toBe(1);
    const message = errors(result).join('\n');
    expect(message).toContain('the proxy (HTTPS_PROXY/HTTP_PROXY) refused its credentials');
    expect(message).toContain(`refused the credentials in HTTPS_PROXY (407 Proxy Authentication Required)`);
    expect(proxy.refused).toEqual([`407 CONNECT ${new URL(front.url).host}`]);
    expect(vercel.server.requests.length).toBe(before);
    expect(result.masks).toEqual(expect.arrayContaining([WRONG, basic(WRONG)]));
    expectNoSecrets(result, [WRONG, basic(WRONG)]);
  });

  test('deploy (the GitHub client over plain http): the proxy answering 407 is reported as refused credentials in HTTP_PROXY', async () => {
    proxy.reset();
    const result = await deploy({ HTTP_PROXY: proxyUrl(WRONG), NO_PROXY: new URL(front.url).host });
    expect(result.exitCode).toBe(1);
    expect(errors(result).join('\n')).toContain(
      'refused the credentials in HTTP_PROXY (407 Proxy Authentication Required)',
    );
    expect(proxy.refused.length).toBeGreaterThan(0);
    expect(
      proxy.refused.every((r) => r.startsWith(`407 GET ${github.url}/`) || r.startsWith(`407 POST ${github.url}/`)),
    ).toBe(true);
    expectNoSecrets(result, [WRONG, basic(WRONG)]);
  });
});
