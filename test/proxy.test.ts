// Proxies (HTTPS_PROXY, HTTP_PROXY, NO_PROXY) for every outbound call: the rules, the shared HTTP layer and the
// node:http agent in-process, then each bundle run with a loopback proxy in its environment — deploy (Vercel and
// AWS ECS fakes), smoke-test, notify (Slack fake) — asserting on what the proxy carried, and on what it did not
// carry when NO_PROXY exempts the target. The https fakes sit behind a TLS front, so https goes as a CONNECT.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, jest, test } from '@jest/globals';
import { runBundle } from '../cli/local-runner.js';
import { awsEnvironment, type FakeEcs, startFakeEcs } from '../cli/sandbox/ecs.js';
import { type FakeGitHub, startFakeGitHub } from '../cli/sandbox/github.js';
import { startFakeNetlify } from '../cli/sandbox/netlify.js';
import { type FakeServer, startFakeServer } from '../cli/sandbox/server.js';
import { type FakeSlack, startFakeSlack } from '../cli/sandbox/slack.js';
import { type FakeVercel, startFakeVercel } from '../cli/sandbox/vercel.js';
import { NetworkError } from '../shared/errors.js';
import { request } from '../shared/http.js';
import { NetlifyProvider } from '../shared/providers/netlify.js';
import { EnvProxyHttpsAgent, proxyFor } from '../shared/proxy.js';
import { makeCertificates, type TestCertificates } from './fakes/certificates.js';
import { type HttpProxy, startHttpProxy, startTlsFront } from './fakes/http-proxy.js';
import { startTarget, type Target, text } from './fakes/smoke-target.js';
import { errors, exampleEvent } from './support.js';

describe('which requests go through a proxy (the rules of @actions/http-client)', () => {
  const P = 'http://proxy.corp:3128';
  const via = (url: string, env: Record<string, string>) => proxyFor(url, env)?.href;

  test('HTTPS_PROXY for https, HTTP_PROXY for http, lowercase first; none set means direct', () => {
    expect(via('https://api.vercel.com/x', { HTTPS_PROXY: P })).toBe(`${P}/`);
    expect(via('http://api.example.com/x', { HTTPS_PROXY: P })).toBeUndefined();
    expect(via('http://api.example.com/x', { HTTP_PROXY: P })).toBe(`${P}/`);
    expect(via('https://api.vercel.com/x', { HTTP_PROXY: P })).toBeUndefined();
    expect(via('https://api.vercel.com/x', { https_proxy: 'http://lower:1', HTTPS_PROXY: P })).toBe('http://lower:1/');
    expect(via('https://api.vercel.com/x', {})).toBeUndefined();
    // A bare host:port, as runner settings often write it.
    expect(via('https://api.vercel.com/x', { HTTPS_PROXY: 'proxy.corp:3128' })).toBe('http://proxy.corp:3128/');
  });

  test('NO_PROXY: *, exact hosts, host suffixes with or without a dot, host:port, IPs; no_proxy wins', () => {
    const env = (noProxy: string) => ({ HTTPS_PROXY: P, NO_PROXY: noProxy });
    expect(via('https://api.vercel.com/', env('*'))).toBeUndefined();
    expect(via('https://api.vercel.com/', env('api.vercel.com'))).toBeUndefined();
    expect(via('https://api.vercel.com/', env('vercel.com'))).toBeUndefined();
    expect(via('https://api.vercel.com/', env('.vercel.com'))).toBeUndefined();
    expect(via('https://notvercel.com/', env('vercel.com'))).toBe(`${P}/`);
    expect(via('https://api.vercel.com/', env('example.com, API.VERCEL.COM '))).toBeUndefined();
    expect(via('https://api.vercel.com/', env('api.vercel.com:443'))).toBeUndefined();
    expect(via('https://api.vercel.com:8443/', env('api.vercel.com:443'))).toBe(`${P}/`);
    expect(via('https://10.0.0.5/', env('10.0.0.5'))).toBeUndefined();
    expect(via('https://10.0.0.6/', env('10.0.0.5'))).toBe(`${P}/`);
    expect(via('https://api.vercel.com/', { HTTPS_PROXY: P, no_proxy: 'other.com', NO_PROXY: 'api.vercel.com' })).toBe(
      `${P}/`,
    );
  });

  test('the same answers as @actions/http-client getProxyUrl for every non-loopback case (the official client is the judge)', async () => {
    const { getProxyUrl } = await import('@actions/http-client/lib/proxy');
    const urls = [
      'https://api.vercel.com/v13',
      'http://api.example.com/',
      'https://api.vercel.com:8443/',
      'https://10.0.0.5/',
      'https://notvercel.com/',
      'http://sub.deep.example.com:8080/x',
    ];
    const envs: Record<string, string>[] = [
      {},
      { HTTPS_PROXY: P },
      { HTTP_PROXY: P },
      { https_proxy: 'http://lower:1', HTTPS_PROXY: P, http_proxy: 'http://proxy.corp:8080' },
      { HTTPS_PROXY: P, HTTP_PROXY: P, NO_PROXY: '*' },
      { HTTPS_PROXY: P, HTTP_PROXY: P, NO_PROXY: 'vercel.com, .example.com' },
      { HTTPS_PROXY: P, HTTP_PROXY: P, NO_PROXY: 'api.vercel.com:443,10.0.0.5' },
      { HTTPS_PROXY: P, HTTP_PROXY: P, NO_PROXY: 'EXAMPLE.COM:8080', no_proxy: 'api.example.com' },
      { HTTPS_PROXY: P, HTTP_PROXY: P, NO_PROXY: 'sub.deep.example.com:8080' },
    ];
    const keys = ['HTTPS_PROXY', 'HTTP_PROXY', 'NO_PROXY', 'https_proxy', 'http_proxy', 'no_proxy'];
    const saved = Object.fromEntries(keys.map((k) => [k, process.env[k]]));
    try {
      for (const env of envs) {
        for (const k of keys) delete process.env[k];
        Object.assign(process.env, env);
        for (const url of urls)
          expect({ env, url, ours: proxyFor(url, env)?.href }).toEqual({
            env,
            url,
            ours: getProxyUrl(new URL(url))?.href,
          });
      }
    } finally {
      for (const k of keys) {
        if (saved[k] === undefined) delete process.env[k];
        else process.env[k] = saved[k];
      }
    }
  });

  test('loopback goes through the proxy unless NO_PROXY lists it (unlike @actions/http-client, which always skips it)', () => {
    expect(via('https://127.0.0.1:8443/', { HTTPS_PROXY: P })).toBe(`${P}/`);
    expect(via('http://localhost:3000/', { HTTP_PROXY: P })).toBe(`${P}/`);
    expect(via('https://127.0.0.1:8443/', { HTTPS_PROXY: P, NO_PROXY: 'localhost,127.0.0.1' })).toBeUndefined();
    expect(via('http://[::1]:3000/', { HTTP_PROXY: P, NO_PROXY: '::1' })).toBeUndefined();
  });
});

describe('the shared HTTP layer and the https agent, through a loopback proxy', () => {
  let proxy: HttpProxy;
  let server: FakeServer;
  let certs: TestCertificates;
  const saved = { ...process.env };

  beforeAll(async () => {
    proxy = await startHttpProxy({ deny: (target) => target.startsWith('127.0.0.2:') });
    server = await startFakeServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
    certs = makeCertificates();
    jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
  });
  afterAll(async () => {
    await proxy.close();
    await server.close();
  });
  beforeEach(() => proxy.reset());
  afterEach(() => {
    for (const key of ['HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY', 'http_proxy', 'https_proxy', 'no_proxy']) {
      if (saved[key] === undefined) delete process.env[key];
      else process.env[key] = saved[key];
    }
  });

  test('request() sends http through HTTP_PROXY as an absolute URI, with the proxy credentials from its URL', async () => {
    process.env.HTTP_PROXY = proxy.url.replace('http://', 'http://user:p%40ss@');
    const res = await request(`${server.url}/v1/thing?x=1`, { label: 'test' });
    expect(await res.json()).toEqual({ ok: true });
    expect(proxy.forwarded).toEqual([`${server.url}/v1/thing?x=1`]);
    expect(proxy.authorizations).toEqual([`Basic ${Buffer.from('user:p@ss').toString('base64')}`]);
    expect(server.requests.at(-1)?.headers['proxy-authorization']).toBeUndefined();
  });

  test('request() goes direct when NO_PROXY exempts the host', async () => {
    process.env.HTTP_PROXY = proxy.url;
    process.env.NO_PROXY = 'example.com,127.0.0.1';
    const res = await request(`${server.url}/direct`, { label: 'test' });
    expect(res.status).toBe(200);
    expect(proxy.targets()).toEqual([]);
  });

  test('a proxy that refuses the tunnel is a proxy failure, named as such; a POST is resent (the server never saw it)', async () => {
    process.env.HTTPS_PROXY = proxy.url;
    const refused = request('https://127.0.0.2:8443/x', {
      label: 'test',
      method: 'POST',
      body: '{}',
      retry: { retries: 1 },
      sleep: async () => undefined,
    });
    await expect(refused).rejects.toBeInstanceOf(NetworkError);
    await expect(refused).rejects.toMatchObject({ kind: 'proxy' });
    expect(proxy.connects).toEqual(['127.0.0.2:8443', '127.0.0.2:8443']);
  });

  test("@netlify/api's node-fetch takes the proxy agent (NetlifyProvider.call): http as an absolute URI; NO_PROXY takes it off", async () => {
    const netlify = await startFakeNetlify();
    try {
      const provider = new NetlifyProvider({
        token: netlify.token,
        project: netlify.siteId,
        apiUrl: netlify.url,
        workspace: '/',
      });
      process.env.HTTP_PROXY = proxy.url;
      await provider.current();
      expect(proxy.forwarded).toContain(`${netlify.url}/sites/${netlify.siteId}`);
      proxy.reset();
      process.env.NO_PROXY = '127.0.0.1';
      await provider.current();
      expect(proxy.targets()).toEqual([]);
      expect(netlify.server.requests).toHaveLength(2);
    } finally {
      await netlify.close();
    }
  });

  test('EnvProxyHttpsAgent tunnels https with CONNECT and verifies the target inside the tunnel', async () => {
    const front = await startTlsFront(server.url, certs.signedByCa);
    try {
      const get = (agent: EnvProxyHttpsAgent) =>
        new Promise<string>((resolve, reject) => {
          const req = httpsRequest(`${front.url}/tunnelled`, { agent }, (res) => {
            let body = '';
            res.on('data', (c: Buffer) => (body += c.toString()));
            res.on('end', () => resolve(body));
          });
          req.on('error', reject);
          req.end();
        });
      expect(await get(new EnvProxyHttpsAgent({ ca: certs.caPem }, { HTTPS_PROXY: proxy.url }))).toBe('{"ok":true}');
      expect(proxy.connects).toEqual([new URL(front.url).host]);
      proxy.reset();
      expect(
        await get(new EnvProxyHttpsAgent({ ca: certs.caPem }, { HTTPS_PROXY: proxy.url, NO_PROXY: '127.0.0.1' })),
      ).toBe('{"ok":true}');
      expect(proxy.targets()).toEqual([]);
      // The certificate is still checked: a CA the agent does not trust fails inside the tunnel.
      await expect(get(new EnvProxyHttpsAgent({}, { HTTPS_PROXY: proxy.url }))).rejects.toThrow(/certificate/);
    } finally {
      await front.close();
    }
  });
});

describe('each bundle through a loopback proxy', () => {
  let proxy: HttpProxy;
  let certs: TestCertificates;
  let caFile: string;
  let github: FakeGitHub;

  beforeAll(async () => {
    proxy = await startHttpProxy();
    certs = makeCertificates();
    caFile = join(mkdtempSync(join(tmpdir(), 'proxy-ca-')), 'ca.pem');
    writeFileSync(caFile, certs.caPem);
    github = await startFakeGitHub();
  });
  afterAll(async () => {
    await proxy.close();
    await github.close();
  });
  beforeEach(() => proxy.reset());

  /** The proxy settings of a runner behind a proxy; the bundles trust the test CA as a runner trusts its own. */
  const proxied = (extra: Record<string, string> = {}) => ({
    HTTPS_PROXY: proxy.url,
    HTTP_PROXY: proxy.url,
    NODE_EXTRA_CA_CERTS: caFile,
    ...extra,
  });

  describe('deploy to Vercel (https, CONNECT) with the GitHub API (http, absolute URI)', () => {
    let vercel: FakeVercel;
    let front: { url: string; close(): Promise<void> };
    beforeAll(async () => {
      vercel = await startFakeVercel({ buildMs: 200, aliasJobMs: 200 });
      front = await startTlsFront(vercel.url, certs.signedByCa);
    });
    afterAll(async () => {
      await front.close();
      await vercel.close();
    });

    const site = () => {
      const dir = mkdtempSync(join(tmpdir(), 'proxy-site-'));
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
        env: { GITHUB_API_URL: github.url, GITHUB_REPOSITORY: github.repository, ...env },
        event: exampleEvent('push', (p) => Boolean(p.head_commit)),
        timeoutMs: 60_000,
      });

    test('every call goes through the proxy', async () => {
      const result = await deploy(proxied());
      expect({ code: result.exitCode, out: result.stderr.slice(-2000) }).toMatchObject({ code: 0 });
      expect(proxy.connects).toContain(new URL(front.url).host);
      expect(proxy.forwarded.some((u) => u.startsWith(`${github.url}/`))).toBe(true);
      expect(vercel.server.requests.length).toBeGreaterThan(0);
    });

    test('NO_PROXY for the hosts: nothing goes through the proxy', async () => {
      const result = await deploy(proxied({ NO_PROXY: 'localhost,127.0.0.1' }));
      expect(result.exitCode).toBe(0);
      expect(proxy.targets()).toEqual([]);
    });
  });

  describe('deploy to AWS ECS (the SDK through its https agent)', () => {
    let ecs: FakeEcs;
    let front: { url: string; close(): Promise<void> };
    beforeAll(async () => {
      ecs = await startFakeEcs({ stepMs: 100 });
      front = await startTlsFront(ecs.url, certs.signedByCa);
    });
    afterAll(async () => {
      await front.close();
      await ecs.close();
    });
    const deploy = (env: Record<string, string>) =>
      runBundle({
        action: 'deploy',
        inputs: {
          provider: 'ecs',
          cluster: ecs.cluster,
          service: ecs.serviceName,
          'github-token': github.token,
          target: 'production',
          'wait-timeout': '60s',
          images: `api=123456789012.dkr.ecr.eu-west-1.amazonaws.com/api:${Date.now()}`,
        },
        env: {
          ...awsEnvironment(ecs),
          AWS_ENDPOINT_URL_ECS: front.url,
          GITHUB_API_URL: github.url,
          GITHUB_REPOSITORY: github.repository,
          ...env,
        },
        event: exampleEvent('push', (p) => Boolean(p.head_commit)),
        timeoutMs: 90_000,
      });

    test('the ECS calls go through the proxy as CONNECT tunnels; NO_PROXY takes them off it', async () => {
      const through = await deploy(proxied());
      expect({ code: through.exitCode, out: through.stderr.slice(-2000) }).toMatchObject({ code: 0 });
      expect(proxy.connects).toContain(new URL(front.url).host);
      proxy.reset();
      const direct = await deploy(proxied({ NO_PROXY: '127.0.0.1' }));
      expect(direct.exitCode).toBe(0);
      expect(proxy.targets()).toEqual([]);
    });
  });

  describe('smoke-test (the prober: CONNECT for https, absolute URI for http)', () => {
    let plain: Target;
    let secure: Target;
    beforeAll(async () => {
      plain = await startTarget();
      secure = await startTarget({ tls: certs.signedByCa });
      plain.route('/', text(200, 'plain hello'));
      secure.route('/', text(200, 'secure hello'));
    });
    afterAll(async () => {
      await plain.close();
      await secure.close();
    });
    const workspace = mkdtempSync(join(tmpdir(), 'proxy-smoke-'));
    const smoke = (env: Record<string, string>) =>
      runBundle({
        action: 'smoke-test',
        inputs: { url: `${secure.url}/\n${plain.url}/`, 'expect-text': 'hello', 'max-attempts': 1 },
        env,
        workspace,
        timeoutMs: 60_000,
      });

    test('both targets are reached through the proxy: https as a CONNECT, http as an absolute URI', async () => {
      const result = await smoke(proxied());
      expect({ code: result.exitCode, out: result.stdout.slice(-2000) }).toMatchObject({ code: 0 });
      expect(proxy.connects).toEqual([new URL(secure.url).host]);
      expect(proxy.forwarded).toEqual([`${plain.url}/`]);
      expect(secure.hits.length + plain.hits.length).toBe(2);
    });

    test('a proxy that refuses the tunnel fails the check with the proxy named, and the target sees nothing', async () => {
      const refusing = await startHttpProxy({ deny: () => true });
      try {
        const before = secure.hits.length;
        const result = await runBundle({
          action: 'smoke-test',
          inputs: { url: `${secure.url}/`, 'max-attempts': 1 },
          env: proxied({ HTTPS_PROXY: refusing.url }),
          workspace,
          timeoutMs: 60_000,
        });
        expect(result.exitCode).not.toBe(0);
        expect(refusing.refused).toEqual([`CONNECT ${new URL(secure.url).host}`]);
        expect(errors(result).join('\n')).toContain(
          `proxy 127.0.0.1:${new URL(refusing.url).port} refused CONNECT ${new URL(secure.url).host}: HTTP/1.1 403 Forbidden`,
        );
        expect(secure.hits.length).toBe(before);
      } finally {
        await refusing.close();
      }
    });

    test('NO_PROXY: both reached directly', async () => {
      const result = await smoke(proxied({ NO_PROXY: '127.0.0.1' }));
      expect(result.exitCode).toBe(0);
      expect(proxy.targets()).toEqual([]);
    });
  });

  describe('notify (Slack webhook and Web API)', () => {
    let slack: FakeSlack;
    let front: { url: string; close(): Promise<void> };
    beforeAll(async () => {
      slack = await startFakeSlack();
      front = await startTlsFront(slack.server.url, certs.signedByCa);
    });
    afterAll(async () => {
      await front.close();
      await slack.close();
    });
    const push = exampleEvent('push', (p) => Boolean(p.head_commit));
    const notify = (inputs: Record<string, string>, env: Record<string, string>) =>
      runBundle({
        action: 'notify',
        inputs: { status: 'success', environment: 'production', ...inputs },
        env,
        event: push,
        timeoutMs: 30_000,
      });

    test('a webhook and a bot-token message go through the proxy; NO_PROXY takes them off it', async () => {
      const webhook = slack.webhookUrl.replace(slack.server.url, front.url);
      const hooked = await notify({ 'webhook-url': webhook }, proxied());
      expect({ code: hooked.exitCode, out: hooked.stdout.slice(-2000) }).toMatchObject({ code: 0 });
      const bot = await notify(
        {
          'bot-token': slack.token,
          channel: '#deploys',
          'slack-api-url': slack.apiUrl.replace(slack.server.url, front.url),
        },
        proxied(),
      );
      expect({ code: bot.exitCode, out: bot.stdout.slice(-2000) }).toMatchObject({ code: 0 });
      expect(proxy.connects.filter((c) => c === new URL(front.url).host).length).toBeGreaterThanOrEqual(2);
      proxy.reset();
      const direct = await notify({ 'webhook-url': webhook }, proxied({ NO_PROXY: '127.0.0.1' }));
      expect(direct.exitCode).toBe(0);
      expect(proxy.targets()).toEqual([]);
    });
  });
});
