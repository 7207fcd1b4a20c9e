// A deployment to smoke-test, on loopback: HTTP or HTTPS, every route programmable with the behaviours real
// deployments show — 503 until ready, flaky, slow, wrong JSON, health responses with failing components,
// redirects, answers that never come, connection resets. It counts connections and requests in flight, so tests
// can prove keep-alive and the concurrency bound.
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import type { Pem } from './certificates.js';

export interface Hit {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A route's behaviour: `n` is this route's 1-based request count. */
export type Route = (req: Hit, res: ServerResponse, n: number) => void | Promise<void>;

export interface Target {
  url: string;
  hits: Hit[];
  /** Connections accepted so far. */
  connections: number;
  /** Most requests in flight at once. */
  maxInFlight: number;
  route(path: string, handler: Route): void;
  reset(): void;
  close(): Promise<void>;
}

export async function startTarget(options: { tls?: Pem } = {}): Promise<Target> {
  const routes = new Map<string, Route>();
  const counts = new Map<string, number>();
  const sockets = new Set<Socket>();
  let inFlight = 0;
  const target: Target = {
    url: '',
    hits: [],
    connections: 0,
    maxInFlight: 0,
    route: (path, handler) => {
      routes.set(path, handler);
      counts.set(path, 0);
    },
    reset: () => {
      target.hits.length = 0;
      target.connections = 0;
      target.maxInFlight = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const path = (req.url ?? '/').split('?')[0] as string;
      const hit: Hit = {
        method: req.method ?? 'GET',
        path: req.url ?? '/',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      target.hits.push(hit);
      inFlight++;
      target.maxInFlight = Math.max(target.maxInFlight, inFlight);
      res.on('close', () => inFlight--);
      const handler = routes.get(path);
      const n = (counts.get(path) ?? 0) + 1;
      counts.set(path, n);
      if (!handler) {
        res.writeHead(404, { 'content-type': 'text/html' });
        return res.end('<html><body><h1>404 Not Found</h1></body></html>');
      }
      await handler(hit, res, n);
    });
  };
  const server: Server = options.tls
    ? createHttpsServer({ key: options.tls.key, cert: options.tls.cert }, handle)
    : createHttpServer(handle);
  server.on(options.tls ? 'secureConnection' : 'connection', () => target.connections++);
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  // TLS handshakes the client rejects (self-signed, expired) end in an error on the server side: expected here.
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  target.url = `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`;
  return target;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function json(status: number, body: unknown, contentType = 'application/json'): Route {
  return (_req, res) => {
    res.writeHead(status, { 'content-type': contentType });
    res.end(JSON.stringify(body));
  };
}

export function text(status: number, body: string, contentType = 'text/html'): Route {
  return (_req, res) => {
    res.writeHead(status, { 'content-type': contentType });
    res.end(body);
  };
}

/** 503 (as a platform answers while a deployment starts) until `ms` after the first request, then `then`. */
export function unavailableFor(ms: number, then: Route): Route {
  let first: number | undefined;
  return (req, res, n) => {
    first ??= Date.now();
    if (Date.now() - first < ms)
      return text(503, '<html><body>Service Unavailable: deployment is starting</body></html>')(req, res, n);
    return then(req, res, n);
  };
}

/** Every `every`-th request fails with a 500, the others get `then`. */
export function flaky(every: number, then: Route): Route {
  return (req, res, n) =>
    n % every === 0 ? text(500, 'Internal Server Error: upstream flake', 'text/plain')(req, res, n) : then(req, res, n);
}

export function slow(ms: number, then: Route): Route {
  return async (req, res, n) => {
    await sleep(ms);
    return then(req, res, n);
  };
}

export function redirect(status: number, location: string): Route {
  return (_req, res) => {
    res.writeHead(status, { location });
    res.end();
  };
}

/** Accepts the request and never answers. */
export const hang: Route = () => undefined;

/** Drops the connection without a response. */
export const resetConnection: Route = (_req, res) => {
  res.socket?.destroy();
};

/** Sends the headers and part of the body, then drops the connection. */
export const resetMidBody: Route = (_req, res) => {
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
  res.write('{"status": "pa');
  setTimeout(() => res.socket?.destroy(), 20);
};
