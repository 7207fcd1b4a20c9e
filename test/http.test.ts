// The shared HTTP layer against a real loopback server: what is retried, how long it waits, what it reports.
import { afterAll, beforeAll, beforeEach, describe, expect, jest, test } from '@jest/globals';
import { NetworkError, ProviderError } from '../shared/errors.js';
import {
  backoffDelay,
  classifyNetworkError,
  DEFAULT_RETRY,
  parseRetryAfter,
  request,
  requestJson,
} from '../shared/http.js';
import { type FakeServer, startFakeServer } from '../cli/sandbox/server.js';
import { closedPort } from './support.js';

let server: FakeServer;
const waits: number[] = [];
const sleep = async (ms: number) => {
  waits.push(ms);
};

beforeAll(async () => {
  server = await startFakeServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('fine');
  });
  jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
});
afterAll(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
  waits.length = 0;
});

describe('request', () => {
  test('429 waits for Retry-After, for any method', async () => {
    server.inject(/./, { kind: 'status', status: 429, headers: { 'retry-after': '7' } });
    const res = await request(`${server.url}/x`, { label: 'test', method: 'POST', body: '{}', sleep });
    expect(res.status).toBe(200);
    expect(waits).toEqual([7000]);
  });

  test('Retry-After is capped, so a provider cannot hold a job for an hour', async () => {
    server.inject(/./, { kind: 'status', status: 503, headers: { 'retry-after': '3600' } });
    await request(`${server.url}/x`, { label: 'test', sleep });
    expect(waits).toEqual([DEFAULT_RETRY.maxRetryAfterMs]);
  });

  test('5xx is retried for idempotent requests with growing backoff, and the last answer returned', async () => {
    server.inject(
      /./,
      ...Array.from({ length: 4 }, () => ({ kind: 'status' as const, status: 502, body: 'bad gateway' })),
    );
    const res = await request(`${server.url}/x`, { label: 'test', sleep, retry: { retries: 3 } });
    expect(res.status).toBe(502);
    expect(server.requests).toHaveLength(4);
    expect(waits).toHaveLength(3);
    expect(waits[2]).toBeGreaterThan(waits[0] as number);
  });

  test('a POST is not retried after a 5xx or a reset, where the server may have acted', async () => {
    server.inject(/./, { kind: 'status', status: 500 });
    expect((await request(`${server.url}/x`, { label: 'test', method: 'POST', sleep })).status).toBe(500);
    server.inject(/./, { kind: 'reset' });
    await expect(request(`${server.url}/x`, { label: 'test', method: 'POST', sleep })).rejects.toMatchObject({
      kind: 'connection-reset',
    });
    expect(server.requests).toHaveLength(2);
    expect(waits).toHaveLength(0);
  });

  test('a POST is retried when the connection was never made', async () => {
    const port = await closedPort();
    const error = await request(`http://127.0.0.1:${port}/x`, {
      label: 'test',
      method: 'POST',
      sleep,
      retry: { retries: 2 },
    }).catch((e) => e);
    expect(error).toBeInstanceOf(NetworkError);
    expect(error.message).toContain('test: connection refused');
    expect(waits).toHaveLength(2);
  });

  test('credentials in the URL go as Basic authorization, as curl sends them (fetch refuses such a URL)', async () => {
    const res = await request(`${server.url.replace('http://', 'http://deploy:p%40ss%3Aword@')}/x`, {
      label: 'test',
      sleep,
    });
    expect(res.status).toBe(200);
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]?.headers.authorization).toBe(
      `Basic ${Buffer.from('deploy:p@ss:word').toString('base64')}`,
    );
    expect(waits).toEqual([]);
    // An Authorization header the caller set wins; the URL's credentials are still not sent in it.
    await request(`${server.url.replace('http://', 'http://u:p@')}/y`, {
      label: 'test',
      sleep,
      headers: { authorization: 'Bearer t0ken' },
    });
    expect(server.requests[1]?.headers.authorization).toBe('Bearer t0ken');
  });

  test('a request with no answer fails at its timeout', async () => {
    server.inject(/./, { kind: 'hang' }, { kind: 'hang' });
    const error = await request(`${server.url}/x`, {
      label: 'test',
      timeoutMs: 200,
      sleep,
      retry: { retries: 1 },
    }).catch((e) => e);
    expect(error).toMatchObject({ kind: 'timeout' });
    expect(server.requests).toHaveLength(2);
  });
});

describe("requestJson: the providers' call-and-parse block", () => {
  const call = {
    provider: 'Acme',
    action: 'create thing',
    errorMessage: (body: unknown, status: number) =>
      status >= 300 ? ((body as { error?: { message?: string } })?.error?.message ?? `HTTP ${status}`) : undefined,
    hint: (status: number) => (status === 403 ? 'Check the token.' : undefined),
  };

  test('a JSON answer is parsed; an empty one is {}', async () => {
    server.inject(/./, { kind: 'status', status: 200, body: '{"id":"t1"}' });
    expect(await requestJson(`${server.url}/x`, { label: 'test', sleep }, call)).toEqual({
      status: 200,
      data: { id: 't1' },
    });
    server.inject(/./, { kind: 'status', status: 204, body: '' });
    expect(await requestJson(`${server.url}/x`, { label: 'test', sleep }, call)).toEqual({ status: 204, data: {} });
  });

  test("an error answer is a ProviderError with the provider's own reason, status and hint", async () => {
    server.inject(/./, { kind: 'status', status: 403, body: '{"error":{"message":"token lacks scope deploy"}}' });
    const error = await requestJson(`${server.url}/x`, { label: 'test', sleep }, call).catch((e) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({
      provider: 'Acme',
      reason: 'token lacks scope deploy',
      status: 403,
      hint: 'Check the token.',
    });
    expect(error.message).toBe('Acme create thing failed: token lacks scope deploy (HTTP 403)');
  });

  test("a proxy's error page (not JSON) is the reason as text; a 2xx that is not JSON is a malformed answer", async () => {
    server.inject(/./, { kind: 'status', status: 413, body: '<html>Request Entity Too Large</html>' });
    await expect(requestJson(`${server.url}/x`, { label: 'test', sleep }, call)).rejects.toMatchObject({
      reason: '<html>Request Entity Too Large</html>',
      status: 413,
    });
    server.inject(/./, { kind: 'malformed' });
    await expect(requestJson(`${server.url}/x`, { label: 'test', sleep }, call)).rejects.toMatchObject({
      reason: 'malformed answer to create thing ({"ok": tru)',
    });
  });

  test('a 2xx whose body says it failed (GraphQL errors) is an error too; acceptStatus hands any status back', async () => {
    server.inject(/./, { kind: 'status', status: 200, body: '{"errors":[{"message":"Not Authorized"}]}' });
    const graphql = {
      ...call,
      errorMessage: (body: unknown) => (body as { errors?: { message: string }[] }).errors?.[0]?.message,
    };
    await expect(requestJson(`${server.url}/x`, { label: 'test', sleep }, graphql)).rejects.toMatchObject({
      reason: 'Not Authorized',
      status: undefined,
    });
    server.inject(/./, { kind: 'status', status: 404, body: '{"error":{"code":"not_found"}}' });
    expect(
      await requestJson(
        `${server.url}/x`,
        { label: 'test', sleep },
        { ...call, acceptStatus: () => true, errorMessage: () => undefined },
      ),
    ).toEqual({ status: 404, data: { error: { code: 'not_found' } } });
  });
});

describe('network failure kinds (the one table, also used by the smoke-test prober)', () => {
  test('the deepest error code in the cause chain decides', () => {
    const refused = Object.assign(new TypeError('fetch failed'), {
      cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' }),
    });
    expect(classifyNetworkError(refused)).toEqual({
      kind: 'connection-refused',
      detail: 'ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:9',
    });
    // A refused proxy tunnel: TypeError → DOMException (code 0) → undici's RequestAbortedError.
    const tunnel = Object.assign(new TypeError('fetch failed'), {
      cause: Object.assign(new Error('Request was cancelled.'), {
        code: 0,
        cause: Object.assign(new Error('Proxy response (403) !== 200 when HTTP Tunneling'), {
          code: 'UND_ERR_ABORTED',
        }),
      }),
    });
    expect(classifyNetworkError(tunnel).kind).toBe('proxy');
  });
});

describe('retry arithmetic', () => {
  test('Retry-After as seconds or an HTTP date', () => {
    expect(parseRetryAfter('2')).toBe(2000);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 4_000)).toBe(6000);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter(null)).toBeUndefined();
  });

  test('backoff doubles with jitter in the upper half, up to the cap', () => {
    expect(backoffDelay(0, DEFAULT_RETRY, () => 0)).toBe(250);
    expect(backoffDelay(0, DEFAULT_RETRY, () => 1)).toBe(500);
    expect(backoffDelay(3, DEFAULT_RETRY, () => 1)).toBe(4000);
    expect(backoffDelay(10, DEFAULT_RETRY, () => 1)).toBe(DEFAULT_RETRY.maxDelayMs);
  });
});
