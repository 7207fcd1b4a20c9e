// Outbound proxies, for self-hosted runners behind one: which requests go through a proxy (HTTPS_PROXY,
// HTTP_PROXY, NO_PROXY, as @actions/http-client reads them), and the CONNECT tunnel that carries node:http(s)
// traffic through it (the AWS SDK, @netlify/api's node-fetch, the smoke-test prober). fetch goes through undici's
// ProxyAgent (shared/http.ts), with the same decision made here.
//
// One deliberate difference from @actions/http-client (≥ 2.2): it never proxies loopback hosts (localhost,
// 127.*, [::1]), whatever NO_PROXY says. Here only NO_PROXY decides, as curl and undici's EnvHttpProxyAgent do:
// a request is never routed around the proxy the user configured without the user having said so, and the
// loopback proxy of the tests can see loopback fakes. Runners' NO_PROXY lists usually hold localhost and
// 127.0.0.1; list them to reach a server on the runner itself directly.
import { Agent as HttpAgent, type AgentOptions as HttpAgentOptions, type ClientRequest } from 'node:http';
import { connect as netConnect, isIP, type Socket } from 'node:net';
import { Agent as HttpsAgent, type AgentOptions } from 'node:https';
import { connect as tlsConnect, type ConnectionOptions } from 'node:tls';
import type { Duplex } from 'node:stream';
import { excerpt, safeDecode, secretsIn } from './sanitise.js';

type Env = Record<string, string | undefined>;

function defaultPort(url: URL): number | undefined {
  if (url.port) return Number(url.port);
  if (url.protocol === 'http:') return 80;
  if (url.protocol === 'https:') return 443;
  return undefined;
}

/**
 * Whether NO_PROXY (or no_proxy, which wins) exempts the URL: entries split on commas, compared without case to
 * the host and to host:port; `*` matches everything; `example.com` and `.example.com` match the host and its
 * subdomains. IP addresses match only as written (no CIDR ranges), as in @actions/http-client.
 */
function bypassesProxy(url: URL, env: Env = process.env): boolean {
  if (!url.hostname) return false;
  const noProxy = env.no_proxy || env.NO_PROXY || '';
  if (!noProxy) return false;
  const host = url.hostname.toUpperCase();
  const port = defaultPort(url);
  const hosts = port === undefined ? [host] : [host, `${host}:${port}`];
  // [::1] in a URL's hostname; NO_PROXY may say ::1 or [::1].
  const bare = host.startsWith('[') ? host.slice(1, -1) : undefined;
  if (bare) hosts.push(bare, ...(port === undefined ? [] : [`${bare}:${port}`]));
  return noProxy
    .split(',')
    .map((item) => item.trim().toUpperCase())
    .filter(Boolean)
    .some(
      (item) =>
        item === '*' ||
        hosts.some((h) => h === item || h.endsWith(`.${item}`) || (item.startsWith('.') && h.endsWith(item))),
    );
}

/** The proxy for a URL, or undefined to connect directly: https_proxy/HTTPS_PROXY for https, http_proxy/HTTP_PROXY for http. */
export function proxyFor(target: URL | string, env: Env = process.env): URL | undefined {
  const url = typeof target === 'string' ? new URL(target) : target;
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  if (bypassesProxy(url, env)) return undefined;
  const value = url.protocol === 'https:' ? env.https_proxy || env.HTTPS_PROXY : env.http_proxy || env.HTTP_PROXY;
  if (!value) return undefined;
  // "proxy.corp:3128", as many runners' settings write it, parses as a URL of scheme "proxy.corp:": a proxy URL
  // without http:// or https:// is a host. (@actions/http-client would use the odd URL and fail to connect.)
  const parsed = URL.canParse(value) ? new URL(value) : undefined;
  return parsed && (parsed.protocol === 'http:' || parsed.protocol === 'https:') ? parsed : new URL(`http://${value}`);
}

const PROXY_VARIABLES = ['https_proxy', 'HTTPS_PROXY', 'http_proxy', 'HTTP_PROXY'] as const;

/**
 * The credentials in the proxy settings (user:password@ in HTTPS_PROXY, HTTP_PROXY and their lowercase forms, with
 * or without a scheme), for the masker: the password raw and decoded, a user name standing alone, and the Basic
 * value the proxy receives. Registered before anything could print them.
 */
export function proxySecrets(env: Env = process.env): string[] {
  const found = new Set<string>();
  for (const name of PROXY_VARIABLES) {
    const value = env[name]?.trim();
    if (!value) continue;
    for (const secret of secretsIn(/^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`))
      found.add(secret);
  }
  return [...found];
}

/** The variable that named the proxy for a scheme (the lowercase one wins, as in proxyFor). */
function proxyVariable(protocol: string, env: Env = process.env): string {
  return protocol === 'https:'
    ? env.https_proxy
      ? 'https_proxy'
      : 'HTTPS_PROXY'
    : env.http_proxy
      ? 'http_proxy'
      : 'HTTP_PROXY';
}

/**
 * A proxy answered 407 Proxy Authentication Required: it wants credentials and the proxy URL holds none, or it
 * refused the ones it holds. Said as such, naming the variable to fix, never quoting the credentials.
 */
export class ProxyAuthError extends Error {
  readonly code = 'ERR_PROXY_AUTH';
  readonly statusCode = 407;
  constructor(proxy: URL, targetProtocol: string, env: Env = process.env) {
    const variable = proxyVariable(targetProtocol, env);
    super(
      proxy.username || proxy.password
        ? `proxy ${describeProxy(proxy)} refused the credentials in ${variable} (407 Proxy Authentication Required): check the user name and password in it (percent-encoded, e.g. %40 for @)`
        : `proxy ${describeProxy(proxy)} asks for credentials (407 Proxy Authentication Required) and ${variable} holds none: write them into it as http://user:password@host:port`,
    );
  }
}

/** host:port of a proxy, for messages (never its credentials). */
export function describeProxy(proxy: URL): string {
  return `${proxy.hostname}:${defaultPort(proxy) ?? ''}`;
}

/** The Proxy-Authorization header for a proxy URL with credentials in it. */
export function proxyAuthorization(proxy: URL): string | undefined {
  if (!proxy.username && !proxy.password) return undefined;
  return `Basic ${Buffer.from(`${safeDecode(proxy.username)}:${safeDecode(proxy.password)}`).toString('base64')}`;
}

/** A CONNECT the proxy refused, or a proxy that answered something other than HTTP. */
class ProxyTunnelError extends Error {
  readonly code = 'ERR_PROXY_TUNNEL';
  constructor(
    message: string,
    readonly statusCode?: number,
  ) {
    super(message);
  }
}

export interface TunnelEvents {
  /** The TCP (or TLS, for an https:// proxy) connection to the proxy is up; the CONNECT is being sent. */
  onProxyConnected?: () => void;
}

/**
 * Opens a CONNECT tunnel to host:port through the proxy and resolves with the raw socket, ready for TLS to the
 * target. Errors of the connection to the proxy keep their codes (ECONNREFUSED, ENOTFOUND…) and name the proxy.
 */
export function openTunnel(proxy: URL, host: string, port: number, events: TunnelEvents = {}): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const proxyPort = defaultPort(proxy) ?? 80;
    const proxyHost = proxy.hostname.replace(/^\[|\]$/g, '');
    const socket: Socket =
      proxy.protocol === 'https:'
        ? tlsConnect({ host: proxyHost, port: proxyPort, servername: isIP(proxyHost) ? undefined : proxyHost })
        : netConnect(proxyPort, proxyHost);
    const authority = `${isIP(host) === 6 ? `[${host}]` : host}:${port}`;
    let head = Buffer.alloc(0);
    const fail = (error: Error) => {
      socket.destroy();
      reject(error);
    };
    const onError = (error: NodeJS.ErrnoException) => {
      error.message = `proxy ${describeProxy(proxy)}: ${error.message}`;
      fail(error);
    };
    const onData = (chunk: Buffer) => {
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) {
        if (head.length > 16 * 1024)
          fail(new ProxyTunnelError(`proxy ${describeProxy(proxy)} sent an oversized answer to CONNECT ${authority}`));
        return;
      }
      socket.off('data', onData);
      socket.off('error', onError);
      const statusLine = head.subarray(0, head.indexOf('\r\n')).toString('latin1');
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1] ?? 0);
      if (status === 407) return fail(new ProxyAuthError(proxy, 'https:'));
      if (status !== 200) {
        return fail(
          new ProxyTunnelError(
            `proxy ${describeProxy(proxy)} refused CONNECT ${authority}: ${excerpt(statusLine, 200) || 'no status line'}`,
            status || undefined,
          ),
        );
      }
      // Bytes after the proxy's answer already belong to the target (a TLS ServerHello cannot come first, but be safe).
      const rest = head.subarray(end + 4);
      if (rest.length > 0) socket.unshift(rest);
      resolve(socket);
    };
    socket.on('error', onError);
    socket.once(proxy.protocol === 'https:' ? 'secureConnect' : 'connect', () => {
      events.onProxyConnected?.();
      const auth = proxyAuthorization(proxy);
      socket.write(
        `CONNECT ${authority} HTTP/1.1\r\nHost: ${authority}\r\n${auth ? `Proxy-Authorization: ${auth}\r\n` : ''}\r\n`,
      );
    });
    socket.on('data', onData);
  });
}

/**
 * An https.Agent that reaches each host through the proxy the environment names for it (CONNECT, then TLS to the
 * target inside the tunnel), or directly when there is none or NO_PROXY exempts it. For clients that take an
 * agent: the AWS SDK's NodeHttpHandler, node-fetch in @netlify/api. (The Slack clients, since v8, take a fetch
 * instead: they get shared/http.ts's.)
 */
export class EnvProxyHttpsAgent extends HttpsAgent {
  constructor(
    options: AgentOptions = {},
    private readonly env: Env = process.env,
  ) {
    super(options);
  }

  override createConnection(
    options: ConnectionOptions & { host?: string; port?: number | string },
    callback?: (error: Error | null, socket: Duplex) => void,
  ): Duplex | null | undefined {
    const host = String(options.host ?? 'localhost').replace(/^\[|\]$/g, '');
    const port = Number(options.port || 443);
    const proxy = proxyFor(new URL(`https://${isIP(host) === 6 ? `[${host}]` : host}:${port}`), this.env);
    // node:https's own connection: TLS straight to the host.
    if (!proxy)
      return (
        HttpsAgent.prototype as unknown as { createConnection: (o: ConnectionOptions) => Duplex }
      ).createConnection.call(this, options);
    openTunnel(proxy, host, port).then(
      (socket) =>
        callback?.(
          null,
          tlsConnect({ ...options, socket, host, servername: options.servername ?? (isIP(host) ? undefined : host) }),
        ),
      (error: Error) => callback?.(error, undefined as unknown as Duplex),
    );
    return undefined;
  }
}

/**
 * An http.Agent that sends plain-http requests through the proxy the environment names for their host, as a proxy
 * expects them (the absolute URI in the request line, Proxy-Authorization), or directly when there is none.
 */
export class EnvProxyHttpAgent extends HttpAgent {
  constructor(
    options: HttpAgentOptions = {},
    private readonly env: Env = process.env,
  ) {
    super(options);
  }

  // node:http's Agent#addRequest (not in @types/node): the one place that sees both the request and where it connects.
  addRequest(req: ClientRequest, options: { host?: string; port?: number | string; [key: string]: unknown }): void {
    const host = String(options.host ?? 'localhost').replace(/^\[|\]$/g, '');
    const port = Number(options.port || 80);
    const authority = `${isIP(host) === 6 ? `[${host}]` : host}:${port}`;
    const proxy = proxyFor(new URL(`http://${authority}`), this.env);
    if (proxy) {
      req.path = `http://${authority}${req.path}`;
      const auth = proxyAuthorization(proxy);
      if (auth) req.setHeader('proxy-authorization', auth);
      // A request line already written (headers given as an array) is written again with the absolute URI.
      const raw = req as unknown as { _header: string | null; _implicitHeader(): void };
      if (raw._header) {
        raw._header = null;
        raw._implicitHeader();
      }
      options = { ...options, host: proxy.hostname.replace(/^\[|\]$/g, ''), port: Number(proxy.port || 80) };
    }
    (HttpAgent.prototype as unknown as { addRequest: (r: ClientRequest, o: unknown) => void }).addRequest.call(
      this,
      req,
      options,
    );
  }
}

let sharedAgents: { http: EnvProxyHttpAgent; https: EnvProxyHttpsAgent } | undefined;

/**
 * The keep-alive agent for a URL, through the environment's proxy where it applies: for node:http clients that take
 * an agent, or a function of the URL returning one (node-fetch, which @netlify/api uses).
 */
export function envProxyAgent(url: URL): HttpAgent {
  sharedAgents ??= {
    http: new EnvProxyHttpAgent({ keepAlive: true }),
    https: new EnvProxyHttpsAgent({ keepAlive: true }),
  };
  return url.protocol === 'http:' ? sharedAgents.http : sharedAgents.https;
}
