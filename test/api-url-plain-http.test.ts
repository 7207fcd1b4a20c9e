// deploy's and rollback's `api-url` carries the provider token on every request: plain http is refused for any
// host but loopback, as an input problem named with the others, before a single request. A recording proxy in the
// environment (HTTPS_PROXY and HTTP_PROXY) would see any request the step tried, to any host: it must see none.
// Plain http to loopback stays allowed (the stand-ins and the demo use it).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import { runBundle } from '../cli/local-runner.js';
import { type FakeNetlify, startFakeNetlify } from '../cli/sandbox/netlify.js';
import { type HttpProxy, startHttpProxy } from './fakes/http-proxy.js';
import { errors, exampleEvent } from './support.js';

let proxy: HttpProxy;
let netlify: FakeNetlify;
const site = mkdtempSync(join(tmpdir(), 'api-url-http-'));
writeFileSync(join(site, 'index.html'), '<h1>hi</h1>');

beforeAll(async () => {
  [proxy, netlify] = await Promise.all([startHttpProxy(), startFakeNetlify()]);
});
afterAll(async () => {
  await Promise.all([proxy.close(), netlify.close()]);
  rmSync(site, { recursive: true, force: true });
});
beforeEach(() => proxy.reset());

const run = (action: 'deploy' | 'rollback', apiUrl: string) =>
  runBundle({
    action,
    inputs: {
      provider: 'netlify',
      token: netlify.token,
      project: netlify.siteId,
      'api-url': apiUrl,
      dir: site,
      'wait-timeout': '10s',
    },
    env: { HTTPS_PROXY: proxy.url, HTTP_PROXY: proxy.url, GITHUB_API_URL: 'https://api.github.com' },
    event:
      action === 'deploy'
        ? exampleEvent('push', (p) => Boolean(p.head_commit))
        : { name: 'workflow_dispatch', payload: { inputs: {} } },
    workspace: site,
    timeoutMs: 60_000,
  });

describe("api-url over plain http (the provider token's route)", () => {
  for (const action of ['deploy', 'rollback'] as const) {
    test(`${action}: plain http to a host that is not loopback is an input problem, and no request goes anywhere`, async () => {
      const result = await run(action, 'http://api.netlify.example.com/api/v1');
      expect(result.exitCode).toBe(1);
      const message = errors(result).join('\n');
      expect(message).toContain("Input 'api-url' must be an https URL");
      expect(message).toContain('http://api.netlify.example.com/api/v1');
      expect(proxy.targets()).toEqual([]);
      expect(netlify.server.requests).toHaveLength(0);
    });
  }

  test('plain http to loopback is still allowed: the deploy reaches the loopback stand-in', async () => {
    const before = netlify.server.requests.length;
    // NO_PROXY for the stand-in: it is reached directly, as a runner reaches a server on itself.
    const result = await runBundle({
      action: 'deploy',
      inputs: {
        provider: 'netlify',
        token: netlify.token,
        project: netlify.siteId,
        'api-url': netlify.url,
        dir: site,
        'wait-timeout': '20s',
      },
      env: { HTTPS_PROXY: proxy.url, HTTP_PROXY: proxy.url, NO_PROXY: '127.0.0.1' },
      event: exampleEvent('push', (p) => Boolean(p.head_commit)),
      workspace: site,
      timeoutMs: 60_000,
    });
    expect(errors(result).join('\n')).not.toContain("Input 'api-url'");
    expect(netlify.server.requests.length).toBeGreaterThan(before);
  });
});
