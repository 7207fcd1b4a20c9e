// The stand-ins' events that tests wait on instead of the clock (cli/sandbox/server.ts): a request arriving, a
// client giving a request up, and the server having acted on everything it was sent.
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { type FakeServer, sendJson, startFakeServer } from '../cli/sandbox/server.js';
import { eventually, gaveUpBefore } from './support-waits.js';

let server: FakeServer;
/** What the handler has acted on, in order. */
let acted: string[];
beforeEach(async () => {
  acted = [];
  server = await startFakeServer((req, res) => {
    acted.push(req.path);
    sendJson(res, 200, { ok: true });
  });
});
afterEach(() => server.close());

const get = (path: string, signal?: AbortSignal) => fetch(`${server.url}${path}`, signal ? { signal } : {});

describe('stand-in events', () => {
  test('waitForRequest resolves for a request already received and for one still to come', async () => {
    await get('/first');
    expect((await server.waitForRequest((r) => r.path === '/first')).path).toBe('/first');
    const later = server.waitForRequest((r) => r.path === '/later');
    await get('/later');
    expect((await later).path).toBe('/later');
  });

  test('a request the client aborts unanswered is abandoned, ordered before the requests that follow it', async () => {
    server.inject(/^\/hung$/, { kind: 'hang' });
    const controller = new AbortController();
    const hung = get('/hung', controller.signal).catch(() => undefined);
    const arrived = await eventually(
      server.waitForRequest((r) => r.path === '/hung'),
      'the hung request to arrive',
    );
    expect(arrived.abandoned).toBe(false);
    controller.abort();
    await hung;
    await eventually(
      server.waitForAbandoned((r) => r === arrived),
      'the server to see the request given up',
    );
    await get('/next');
    expect(arrived.abandonedAfter).toBe(1);
    expect(gaveUpBefore(server, arrived, (r) => r.path === '/next')).toBe(true);
  });

  test('an answered request, or one whose connection the server itself dropped, is not abandoned', async () => {
    await get('/answered');
    server.inject(/^\/dropped$/, { kind: 'reset' });
    await get('/dropped').catch(() => undefined);
    await get('/after');
    expect(server.requests.map((r) => [r.path, r.abandoned])).toEqual([
      ['/answered', false],
      ['/dropped', false],
      ['/after', false],
    ]);
    expect(gaveUpBefore(server, server.requests[1], (r) => r.path === '/after')).toBe(false);
  });

  test('idle() settles once the server has acted on what it was sent, a late action included', async () => {
    server.inject(/^\/late$/, { kind: 'reset-then-handle', ms: 1000 });
    await get('/late').catch(() => undefined);
    expect(acted).toEqual([]);
    await server.idle();
    expect(acted).toEqual(['/late']);
  });
});
