// A loopback HTTP proxy for tests, as a corporate proxy on a self-hosted runner works: CONNECT tunnels (https) and
// absolute-URI requests (http). It records every target it was asked for and passes on only loopback ones; any
// other address is refused (403) and recorded, so a test never sends traffic off the machine.
import { createServer, type IncomingMessage, request as httpRequest, type Server } from 'node:http';
import { connect, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';

export interface HttpProxy {
  /** http://127.0.0.1:<port>, for HTTPS_PROXY / HTTP_PROXY. */
  url: string;
  /** host:port of every CONNECT, in order. */
  connects: string[];
  /** The absolute URI of every plain-HTTP request carried. */
  forwarded: string[];
  /** Proxy-Authorization headers seen (CONNECT and plain), in order. */
  authorizations: string[];
  /** Targets refused: not loopback, or refused by the test's rule. */
  refused: string[];
  /** Every target asked for, CONNECT or plain, as host:port. */
  targets(): string[];
  reset(): void;
  close(): Promise<void>;
}

export const isLoopback = (host: string) =>
  /^127\.\d+\.\d+\.\d+$/.test(host) || host === 'localhost' || host === '[::1]' || host === '::1';

export interface HttpProxyOptions {
  /** Refuse (403) these targets (host:port) although loopback: a proxy's deny list. */
  deny?: (target: string) => boolean;
  /** `user:password` the proxy requires (Basic): any other Proxy-Authorization, or none, is answered 407. */
  credentials?: string;
}

export async function startHttpProxy(options: HttpProxyOptions = {}): Promise<HttpProxy> {
  const connects: string[] = [];
  const forwarded: string[] = [];
  const authorizations: string[] = [];
  const refused: string[] = [];
  const sockets = new Set<Socket>();
  const allowed = (host: string, authority: string) => isLoopback(host) && !options.deny?.(authority);
  const noteAuth = (req: IncomingMessage) => {
    const auth = req.headers['proxy-authorization'];
    if (auth) authorizations.push(auth);
  };
  const authorized = (req: IncomingMessage) =>
    !options.credentials ||
    req.headers['proxy-authorization'] === `Basic ${Buffer.from(options.credentials).toString('base64')}`;
  const PROXY_AUTH_REQUIRED =
    'HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="proxy"\r\nContent-Length: 0\r\n\r\n';

  const server: Server = createServer((req, res) => {
    noteAuth(req);
    let target: URL;
    try {
      target = new URL(req.url ?? '');
    } catch {
      // An origin-form request: not a proxy request at all.
      return res.writeHead(400).end('absolute URI expected');
    }
    const authority = `${target.hostname}:${target.port || 80}`;
    forwarded.push(target.href);
    if (!authorized(req)) {
      refused.push(`407 ${req.method} ${req.url}`);
      return res.writeHead(407, { 'proxy-authenticate': 'Basic realm="proxy"' }).end();
    }
    if (!allowed(target.hostname, authority)) {
      refused.push(`${req.method} ${req.url}`);
      return res.writeHead(403).end();
    }
    const headers = { ...req.headers };
    delete headers['proxy-authorization'];
    delete headers['proxy-connection'];
    const upstream = httpRequest(
      {
        host: target.hostname.replace(/^\[|\]$/g, ''),
        port: target.port || 80,
        method: req.method,
        path: `${target.pathname}${target.search}`,
        headers,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('connect', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    noteAuth(req);
    const authority = req.url ?? '';
    connects.push(authority);
    const [host = '', port = ''] = authority.split(/:(?=\d+$)/);
    if (!authorized(req)) {
      refused.push(`407 CONNECT ${authority}`);
      return socket.end(PROXY_AUTH_REQUIRED);
    }
    if (!allowed(host, authority)) {
      refused.push(`CONNECT ${authority}`);
      return socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
    }
    const upstream = connect(Number(port), host.replace(/^\[|\]$/g, ''), () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('error', () => socket.destroy());
    socket.on('error', () => upstream.destroy());
    socket.on('close', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    connects,
    forwarded,
    authorizations,
    refused,
    targets: () => [...connects, ...forwarded.map((u) => `${new URL(u).hostname}:${new URL(u).port || 80}`)],
    reset: () => {
      connects.length = 0;
      forwarded.length = 0;
      authorizations.length = 0;
      refused.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * An https:// front for a plain-http loopback fake (they all speak http): TLS ends here and the bytes go on to the
 * fake, so a client's https request to it goes through a proxy as a CONNECT tunnel, as it would to the provider.
 */
export async function startTlsFront(
  targetUrl: string,
  pem: { cert: string; key: string },
): Promise<{ url: string; close(): Promise<void> }> {
  const target = new URL(targetUrl);
  const sockets = new Set<Socket>();
  const server = createTlsServer({ cert: pem.cert, key: pem.key }, (client) => {
    const upstream = connect(Number(target.port), target.hostname);
    sockets.add(client).add(upstream);
    client.pipe(upstream).pipe(client);
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `https://127.0.0.1:${(server.address() as { port: number }).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
