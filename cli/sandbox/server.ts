// Loopback HTTP servers for the provider fakes, with the faults real APIs produce: 429 with Retry-After, 5xx,
// connection resets, answers that never come, slow answers and malformed bodies.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type Fault =
  | { kind: 'status'; status: number; body?: string; headers?: Record<string, string> }
  | { kind: 'reset' }
  /** The server acts on the request, then the connection drops before the answer: the client never learns. */
  | { kind: 'reset-after-handling' }
  /** The connection drops at once, and the server acts on the request `ms` later: what a client sees when a slow
   * create's answer is lost; a lookup right after the reset finds nothing yet. */
  | { kind: 'reset-then-handle'; ms: number }
  /** The request is read and never answered: not one byte comes back. */
  | { kind: 'hang' }
  /** The answer starts (status, headers, the first bytes of `body`) and then stops, the connection left open. */
  | { kind: 'hang-mid-body'; status?: number; headers?: Record<string, string>; body?: string }
  | { kind: 'delay'; ms: number }
  | { kind: 'malformed'; status?: number; body?: string };

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
  /** The body's bytes (uploads are binary). */
  raw: Buffer;
  at: number;
  /** The client closed the connection before an answer was complete (it gave up: a timeout, an abort). A
   * connection the server itself dropped (a `reset` fault) is not the client giving up. */
  abandoned: boolean;
  /** When abandoned: how many requests the server had received by then. Orders the giving up among the requests
   * (`requests.indexOf(later) >= abandonedAfter` says `later` came after it) without reading a clock; a connection
   * closed because the client's process ended comes after all of its requests. */
  abandonedAfter?: number;
}

export type Handler = (req: RecordedRequest, res: ServerResponse) => void | Promise<void>;

export interface FakeServer {
  url: string;
  requests: RecordedRequest[];
  /** Faults for the next requests whose path (or x-amz-target operation) matches, consumed in order. */
  inject(match: RegExp, ...faults: Fault[]): void;
  /** Drops the faults not yet consumed (a test that injected more than its run used leaves none behind). */
  clearFaults(): void;
  /** The first request (recorded already or still to come) that `matches`: lets a test wait for an event, not a time. */
  waitForRequest(matches: (req: RecordedRequest) => boolean): Promise<RecordedRequest>;
  /** Resolves once the client has given up on the first request (recorded or to come) that `matches`. */
  waitForAbandoned(matches: (req: RecordedRequest) => boolean): Promise<RecordedRequest>;
  /** Resolves once every request received so far has been acted on (delayed and reset-then-handle faults included;
   * a hang is acted on by never answering): what the fake holds is then final for those requests. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

export async function startFakeServer(handler: Handler): Promise<FakeServer> {
  const requests: RecordedRequest[] = [];
  const faults: { match: RegExp; fault: Fault }[] = [];
  const sockets = new Set<Socket>();
  const listeners = new Set<() => void>();
  const notify = () => {
    for (const listener of [...listeners]) listener();
  };
  const first = (matches: (req: RecordedRequest) => boolean, settled: (req: RecordedRequest) => boolean) =>
    new Promise<RecordedRequest>((resolve) => {
      const look = () => {
        const found = requests.find((r) => matches(r) && settled(r));
        if (!found) return;
        listeners.delete(look);
        resolve(found);
      };
      listeners.add(look);
      look();
    });
  const acting = new Set<Promise<unknown>>();

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const work = act();
      acting.add(work);
      void work.finally(() => acting.delete(work));
    });
    const act = async () => {
      const raw = Buffer.concat(chunks);
      const recorded: RecordedRequest = {
        method: req.method ?? 'GET',
        path: req.url ?? '/',
        headers: req.headers,
        body: raw.toString('utf8'),
        raw,
        at: Date.now(),
        abandoned: false,
      };
      let resetByServer = false;
      res.on('close', () => {
        if (res.writableFinished || resetByServer) return;
        recorded.abandoned = true;
        recorded.abandonedAfter = requests.length;
        notify();
      });
      requests.push(recorded);
      notify();
      // AWS-style APIs name the operation in a header (x-amz-target), every request being POST /: a fault may match it.
      const operation = req.headers['x-amz-target'];
      const index = faults.findIndex(
        (f) => f.match.test(recorded.path) || (typeof operation === 'string' && f.match.test(operation)),
      );
      const fault = index >= 0 ? faults.splice(index, 1)[0]?.fault : undefined;
      if (fault?.kind === 'reset' || fault?.kind === 'reset-then-handle' || fault?.kind === 'reset-after-handling')
        resetByServer = true;
      if (fault?.kind === 'reset') return void req.socket.destroy();
      if (fault?.kind === 'reset-then-handle') {
        req.socket.destroy();
        await new Promise((r) => setTimeout(r, fault.ms));
        res.writeHead = (() => res) as unknown as typeof res.writeHead;
        res.end = (() => res) as unknown as typeof res.end;
      }
      if (fault?.kind === 'hang') return;
      if (fault?.kind === 'hang-mid-body') {
        res.writeHead(fault.status ?? 200, { 'content-type': 'application/json', ...fault.headers });
        res.write(fault.body ?? '{"partial": ');
        return;
      }
      if (fault?.kind === 'status') {
        res.writeHead(fault.status, { 'content-type': 'text/plain', ...fault.headers });
        return res.end(fault.body ?? '');
      }
      if (fault?.kind === 'malformed') {
        res.writeHead(fault.status ?? 200, { 'content-type': 'application/json' });
        return res.end(fault.body ?? '{"ok": tru');
      }
      if (fault?.kind === 'delay') await new Promise((r) => setTimeout(r, fault.ms));
      if (fault?.kind === 'reset-after-handling') {
        res.writeHead = (() => res) as unknown as typeof res.writeHead;
        res.end = (() => {
          req.socket.destroy();
          return res;
        }) as unknown as typeof res.end;
      }
      try {
        await handler(recorded, res);
      } catch (error) {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(`fake server error: ${(error as Error).message}`);
      }
    };
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    inject: (match, ...list) => faults.push(...list.map((fault) => ({ match, fault }))),
    clearFaults: () => faults.splice(0, faults.length),
    waitForRequest: (matches) => first(matches, () => true),
    waitForAbandoned: (matches) => first(matches, (r) => r.abandoned),
    idle: async () => {
      while (acting.size > 0) await Promise.allSettled([...acting]);
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}
