// One HTTP exchange, measured from the moment the request is issued to the last byte of the final response, on
// keep-alive connections (node:http's Agent: it adds less latency per request than fetch, see the README's
// benchmark). Every way a request can fail becomes a Failure a person can act on: DNS, refused, reset, TLS (with
// the certificate's own details), timeout (with how far the exchange got), redirects that loop. The kind of a
// network failure and the rule for sending a request again come from shared/http.ts, as for every other call.
//
// Through a proxy (HTTPS_PROXY/HTTP_PROXY, NO_PROXY: shared/proxy.ts), https goes through a CONNECT tunnel and
// http as absolute-URI requests to the proxy. The clock then starts when the connection to the proxy is opened:
// the time to the proxy and the tunnel's setup are part of the measured duration, as they are part of what the
// runner waits for, and the outcome says the exchange went through a proxy.
import {
  Agent as HttpAgent,
  type IncomingHttpHeaders,
  request as httpRequest,
  type ClientRequest,
  type IncomingMessage,
} from 'node:http';
import { Agent as HttpsAgent, type AgentOptions as HttpsAgentOptions, request as httpsRequest } from 'node:https';
import { connect as tlsConnect, type ConnectionOptions, rootCertificates } from 'node:tls';
import { isIP, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { performance } from 'node:perf_hooks';
import type { NetworkFailure } from '../../../shared/errors.js';
import { networkFailureKind, plainHttpOnTlsPort, plainHttpSentence, safeToResend } from '../../../shared/http.js';
import { describeProxy, openTunnel, proxyAuthorization, proxyFor } from '../../../shared/proxy.js';
import { inline, redactUrl } from '../../../shared/sanitise.js';
import { BODY_LIMIT, isSecretHeader } from './expectations.js';

type FailureKind = NetworkFailure | 'redirect';

interface Failure {
  kind: FailureKind;
  message: string;
  /** What to do about it, where there is something to do. */
  hint?: string;
}

export interface TlsSettings {
  /** PEM of extra CAs to trust, besides the public ones. */
  ca?: string;
  /** Skip certificate verification: only for hosts the user listed (preview deployments with self-signed certs). */
  insecure: boolean;
}

export interface ProbeRequest {
  url: URL;
  method: string;
  headers: Record<string, string>;
  body?: string;
  timeoutMs: number;
  /** The timeout is what was left of the run's deadline, not the configured one: say so if it runs out. */
  cutByDeadline?: boolean;
  followRedirects: boolean;
  tlsFor: (url: URL) => TlsSettings;
}

export type ProbeOutcome =
  | {
      kind: 'response';
      status: number;
      contentType: string;
      body: string;
      bodyBytes: number;
      bodyCut?: boolean;
      durationMs: number;
      redirects: string[];
      finalUrl: string;
      via?: string;
    }
  | { kind: 'failure'; failure: Failure; durationMs: number; redirects: string[]; via?: string };

const MAX_REDIRECTS = 10;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

type Phase =
  'connecting' | 'opening the tunnel' | 'TLS handshake' | 'waiting for the response headers' | 'reading the body';

class ProbeError extends Error {
  constructor(readonly failure: Failure) {
    super(failure.message);
  }
}

/** What a tunnelled connection reports while it is set up, for the clock and for a timeout's message. */
interface TunnelProgress {
  onStart(): void;
  onPhase(phase: Phase): void;
}

/**
 * Keep-alive https connections through a proxy: CONNECT host:port, then TLS to the target inside the tunnel. The
 * request passes `tunnelProgress` among its options; node:http hands them on to createConnection.
 */
class TunnelAgent extends HttpsAgent {
  constructor(
    private readonly proxy: URL,
    options: HttpsAgentOptions,
  ) {
    super(options);
  }

  override createConnection(
    options: ConnectionOptions & { host?: string; port?: number | string; tunnelProgress?: TunnelProgress },
    callback?: (error: Error | null, socket: Duplex) => void,
  ): Duplex | null | undefined {
    const progress = options.tunnelProgress;
    const host = String(options.host ?? '').replace(/^\[|\]$/g, '');
    progress?.onStart();
    openTunnel(this.proxy, host, Number(options.port || 443), {
      onProxyConnected: () => progress?.onPhase('opening the tunnel'),
    }).then(
      (socket) => {
        progress?.onPhase('TLS handshake');
        const secure = tlsConnect({
          ...options,
          socket,
          host,
          servername: options.servername || (isIP(host) ? undefined : host),
        });
        secure.once('secureConnect', () => progress?.onPhase('waiting for the response headers'));
        callback?.(null, secure);
      },
      (error: Error) => callback?.(error, undefined as unknown as Duplex),
    );
    return undefined;
  }
}

/** The connection pool for a URL, and the proxy it goes through (undefined: direct). */
interface Route {
  agent: HttpAgent;
  proxy?: URL;
}

/** Keep-alive agents, one per protocol, TLS setting and proxy, shared by all checks and closed when the run ends. */
export class Connections {
  private readonly agents = new Map<string, HttpAgent>();

  constructor(private readonly env: Record<string, string | undefined> = process.env) {}

  routeFor(url: URL, tls: TlsSettings): Route {
    const proxy = proxyFor(url, this.env);
    const key = `${url.protocol === 'https:' ? `https|${tls.insecure}|${tls.ca ?? ''}` : 'http'}|${proxy?.href ?? ''}`;
    let agent = this.agents.get(key);
    if (!agent) {
      const tlsOptions = {
        keepAlive: true,
        ca: tls.ca ? [...rootCertificates, tls.ca] : undefined,
        rejectUnauthorized: !tls.insecure,
      };
      if (url.protocol === 'https:') agent = proxy ? new TunnelAgent(proxy, tlsOptions) : new HttpsAgent(tlsOptions);
      // Plain http through a proxy: keep-alive connections to the proxy itself, absolute URIs on them.
      else agent = new HttpAgent({ keepAlive: true });
      this.agents.set(key, agent);
    }
    return { agent, proxy };
  }

  agentFor(url: URL, tls: TlsSettings): HttpAgent {
    return this.routeFor(url, tls).agent;
  }

  /** Closes every idle connection, so the process can exit without waiting for servers' keep-alive timeouts. */
  close(): void {
    for (const agent of this.agents.values()) agent.destroy();
    this.agents.clear();
  }
}

interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  bodyBytes: number;
  /** Only the first BODY_LIMIT bytes (about) were kept: assertions saw that much of the body. */
  bodyCut: boolean;
}

const TLS_PROBLEMS: Record<string, string> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: 'the certificate is self-signed',
  SELF_SIGNED_CERT_IN_CHAIN: 'the certificate chain ends in a self-signed root that is not trusted',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE:
    "the certificate's issuer is not trusted (an unknown CA, or the server does not send its intermediate certificates)",
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    "the certificate's issuer is not trusted (an unknown CA, or the server does not send its intermediate certificates)",
  UNABLE_TO_GET_ISSUER_CERT: "the certificate's issuer could not be found",
  CERT_HAS_EXPIRED: 'the certificate has expired',
  CERT_NOT_YET_VALID: 'the certificate is not valid yet (check the server clock)',
  ERR_TLS_CERT_ALTNAME_INVALID: 'the certificate is not issued for this host name',
  CERT_REVOKED: 'the certificate was revoked',
  CERT_SIGNATURE_FAILURE: "the certificate's signature is invalid",
};

function hostPort(url: URL): string {
  return `${url.hostname}:${url.port || (url.protocol === 'https:' ? 443 : 80)}`;
}

function timeoutFailure(phase: Phase, timeoutMs: number, url: URL, cutByDeadline = false, proxy?: URL): Failure {
  const seconds = `${(timeoutMs / 1000).toFixed(1)}s${cutByDeadline ? ' (what was left of the deadline)' : ''}`;
  const whatHappened: Record<Phase, string> = {
    connecting: proxy
      ? `the connection to the proxy ${describeProxy(proxy)} was not established (DNS lookup or TCP connect)`
      : `the connection to ${hostPort(url)} was not established (DNS lookup or TCP connect)`,
    'opening the tunnel': `the proxy ${proxy ? describeProxy(proxy) : ''} did not open the tunnel to ${hostPort(url)} (CONNECT)`,
    'TLS handshake': `the TLS handshake with ${hostPort(url)} did not finish`,
    'waiting for the response headers': 'the server accepted the connection and the request but sent no response',
    'reading the body': 'the server sent the response headers but not the whole body',
  };
  return {
    kind: 'timeout',
    message: `timeout: no complete response within ${seconds}: ${whatHappened[phase]}`,
    hint: 'Raise input timeout if this endpoint is legitimately slow.',
  };
}

/**
 * A Failure from a Node socket or HTTP error: the kind from shared/http.ts's table, the words from how far the
 * exchange got. Before the tunnel is up, a refused or unresolvable address is the proxy's, and the message says so.
 */
function classifyError(error: NodeJS.ErrnoException, phase: Phase, url: URL, proxy?: URL): Failure {
  const code = error.code ?? '';
  const kind = networkFailureKind(code, error.message);
  const atProxy = proxy !== undefined && phase === 'connecting';
  switch (kind) {
    case 'dns':
      return atProxy
        ? {
            kind,
            message: `DNS: the proxy's host ${proxy.hostname} could not be resolved (${code})`,
            hint: 'Check HTTPS_PROXY / HTTP_PROXY, or exempt this host with NO_PROXY.',
          }
        : {
            kind,
            message: `DNS: host ${url.hostname} could not be resolved (${code})`,
            hint: 'Check the host name; a new deployment URL can take a moment to appear in DNS.',
          };
    case 'connection-refused':
      return atProxy
        ? {
            kind,
            message: `connection refused by the proxy ${describeProxy(proxy)}: nothing is listening there (${code})`,
            hint: 'Check HTTPS_PROXY / HTTP_PROXY, or exempt this host with NO_PROXY.',
          }
        : { kind, message: `connection refused by ${hostPort(url)}: nothing is listening there (${code})` };
    case 'connection-reset':
      return {
        kind,
        message:
          phase === 'reading the body'
            ? `connection reset by the server while sending the body (${code || error.message})`
            : `connection reset by the ${phase === 'opening the tunnel' ? 'proxy' : 'server'} before it answered (${code || error.message})`,
      };
    case 'timeout':
      return timeoutFailure(phase, 0, url, false, proxy);
    case 'tls':
      if (plainHttpOnTlsPort(code, error.message))
        return { kind, message: `TLS: ${plainHttpSentence(hostPort(url))} (${code})` };
      return {
        kind,
        message: `TLS: ${TLS_PROBLEMS[code] ?? error.message} (${code})`,
        hint: "Trust the CA that signed it with 'ca-file' (or tls.ca-file in the checks), or, for a preview deployment only, list the host in 'insecure-hosts'.",
      };
    case 'protocol':
      return { kind, message: `malformed HTTP response (${code}: ${error.message})` };
    case 'proxy':
      return {
        kind,
        message: error.message,
        hint: 'The proxy would not carry the request: ask its administrators to allow this host, or exempt it with NO_PROXY.',
      };
    case 'proxy-auth':
      // The sentence names the variable and the fix; it never quotes the credentials.
      return { kind, message: error.message };
    default:
      return { kind, message: `request failed: ${error.message}${code ? ` (${code})` : ''}` };
  }
}

/** The certificate a server presents, read on a separate connection that sends nothing (no header can leak). */
async function describePeerCertificate(url: URL, timeoutMs: number, proxy?: URL): Promise<string | undefined> {
  const port = Number(url.port || 443);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  // Through the same proxy as the request, when it went through one: the direct route may be closed.
  let tunnel: Socket | undefined;
  if (proxy) {
    let timer: NodeJS.Timeout | undefined;
    const opening = openTunnel(proxy, host, port);
    tunnel = await Promise.race([
      opening,
      new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), timeoutMs))),
    ]).catch(() => undefined);
    clearTimeout(timer);
    if (!tunnel) {
      opening.then(
        (late) => late.destroy(),
        () => undefined,
      );
      return undefined;
    }
  }
  return new Promise((resolve) => {
    const isIp = /^[\d.]+$|:/.test(url.hostname);
    const socket = tlsConnect({
      host,
      port,
      socket: tunnel,
      servername: isIp ? undefined : url.hostname,
      rejectUnauthorized: false,
    });
    const done = (text: string | undefined) => {
      clearTimeout(timer);
      socket.destroy();
      tunnel?.destroy();
      resolve(text);
    };
    const timer = setTimeout(() => done(undefined), timeoutMs);
    socket.once('error', () => done(undefined));
    socket.once('secureConnect', () => {
      const cert = socket.getPeerCertificate();
      if (!cert || !cert.subject) return done(undefined);
      const name = (dn: Record<string, string | string[]> | undefined) =>
        dn?.CN ? `CN=${String(dn.CN)}` : dn?.O ? `O=${String(dn.O)}` : '?';
      const names = cert.subjectaltname ? `, names ${cert.subjectaltname}` : '';
      // The certificate is the server's own text: shown on one line, like any outside text.
      done(
        inline(
          `certificate ${name(cert.subject as never)} issued by ${name(cert.issuer as never)}, valid ${cert.valid_from} to ${cert.valid_to}${names}`,
          1000,
        ),
      );
    });
  });
}

interface ExchangeState {
  phase: Phase;
  /**
   * When the first request was handed to its connection (new or kept alive): the clock starts there, not at
   * request(), so node:http's own scheduling of the request (a quarter of a millisecond on the development
   * machine, see the README) is not counted as the server's latency. Connecting and TLS are counted.
   */
  startedAt?: number;
  /**
   * When the last bytes arrived on the socket, read before node:http parses them: the end of the measurement, so
   * the parser and the stream events after it (about 0.1 ms) are not counted as the server's latency either.
   */
  lastBytesAt?: number;
  /** Set by the probe's timer just before it destroys the request. */
  timeout?: Failure;
}

/** The node:http request options: to the host itself, or, for plain http through a proxy, to the proxy with the absolute URI. */
function requestOptions(
  url: URL,
  method: string,
  headers: Record<string, string>,
  route: Route,
  progress: TunnelProgress,
): Record<string, unknown> {
  if (!route.proxy) return { method, headers, agent: route.agent };
  const auth = proxyAuthorization(route.proxy);
  if (url.protocol === 'https:') return { method, headers, agent: route.agent, tunnelProgress: progress };
  return {
    host: route.proxy.hostname.replace(/^\[|\]$/g, ''),
    port: Number(route.proxy.port || 80),
    path: url.href,
    method,
    headers: { host: url.host, ...headers, ...(auth ? { 'proxy-authorization': auth } : {}) },
    agent: route.agent,
  };
}

function exchange(
  url: URL,
  method: string,
  headers: Record<string, string>,
  body: string | undefined,
  route: Route,
  onRequest: (req: ClientRequest) => void,
  state: ExchangeState,
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const tunnelled = route.proxy !== undefined && url.protocol === 'https:';
    if (state.timeout) return reject(new ProbeError(state.timeout));
    state.phase = 'connecting';
    let settled = false;
    let socketWatched: Socket | undefined;
    const markBytes = () => {
      state.lastBytesAt = performance.now();
    };
    const unwatch = () => socketWatched?.off('data', markBytes);
    const fail = (error: unknown, staleConnection = false) => {
      if (settled) return;
      settled = true;
      unwatch();
      if (state.timeout) return reject(new ProbeError(state.timeout));
      const failure =
        error instanceof ProbeError
          ? error.failure
          : classifyError(error as NodeJS.ErrnoException, state.phase, url, route.proxy);
      // A kept-alive connection the server closed while idle: the request never reached it, so one fresh try is
      // not a retry of anything the server saw (shared/http.ts's rule for every request).
      reject(
        Object.assign(new ProbeError(failure), {
          staleConnection: staleConnection && failure.kind !== 'redirect' && safeToResend(failure.kind, true),
        }),
      );
    };
    const progress: TunnelProgress = {
      // A new tunnel: the clock starts as the connection to the proxy is opened (see the top of this file).
      onStart: () => {
        state.startedAt ??= performance.now();
      },
      onPhase: (phase) => {
        if (!settled && state.phase !== 'reading the body') state.phase = phase;
      },
    };
    const options = requestOptions(url, method, headers, route, progress);
    const onResponse = (res: IncomingMessage) => {
      state.phase = 'reading the body';
      const chunks: Buffer[] = [];
      let kept = 0;
      let bytes = 0;
      res.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        if (kept < BODY_LIMIT) {
          chunks.push(chunk);
          kept += chunk.length;
        }
      });
      res.on('end', () => {
        if (settled) return;
        settled = true;
        unwatch();
        const response = {
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString('utf8'),
          bodyBytes: bytes,
          bodyCut: bytes > kept,
        };
        // Judging this response and sending the next request wait until the other sockets that are ready now have
        // been read: their arrival times are taken when they are read, and must not wait behind this work.
        setImmediate(() => resolve(response));
      });
      res.on('error', (error) => fail(error));
      res.on('close', () => fail(Object.assign(new Error('aborted'), { code: 'ECONNRESET' })));
    };
    const req =
      url.protocol === 'https:'
        ? httpsRequest(url, options, onResponse)
        : route.proxy
          ? httpRequest(options, onResponse)
          : httpRequest(url, options, onResponse);
    req.on('socket', (socket) => {
      state.startedAt ??= performance.now();
      socketWatched = socket;
      socket.prependListener('data', markBytes);
      const waiting = () => {
        state.phase = 'waiting for the response headers';
      };
      // A new tunnel reports its own phases (TunnelAgent); its socket arrives already connected.
      if (tunnelled && !req.reusedSocket) return;
      if (!socket.connecting) return waiting();
      if (url.protocol === 'https:') {
        socket.once('connect', () => {
          state.phase = 'TLS handshake';
        });
        socket.once('secureConnect', waiting);
      } else socket.once('connect', waiting);
    });
    req.on('error', (error) => fail(error, req.reusedSocket && state.phase !== 'reading the body'));
    req.on('close', () => fail(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })));
    onRequest(req);
    req.end(body);
  });
}

function redirectHeaders(
  headers: Record<string, string>,
  from: URL,
  to: URL,
  dropBody: boolean,
): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    // Credentials stay with the origin they were meant for; a redirect elsewhere must not carry them.
    if (from.origin !== to.origin && isSecretHeader(name)) continue;
    if (dropBody && /^content-(type|length)$/i.test(name)) continue;
    kept[name] = value;
  }
  return kept;
}

/**
 * Shows a URL without credentials or secret-looking query values (tokens, bypass keys, signatures), decoded for
 * reading where it decodes. Never throws: a Location header from the server can hold anything.
 */
export function displayUrl(url: URL): string {
  const redacted = redactUrl(url.href);
  try {
    return inline(decodeURI(redacted), 2000);
  } catch {
    return inline(redacted, 2000);
  }
}

/** Sends the request, following redirects when asked, and measures it; never throws. */
export async function probe(request: ProbeRequest, connections: Connections): Promise<ProbeOutcome> {
  const redirects: string[] = [];
  const calledAt = performance.now();
  let current: ClientRequest | undefined;
  const state: ExchangeState = { phase: 'connecting' };
  const since = () => state.startedAt ?? calledAt;
  let url = request.url;
  let proxy: URL | undefined;
  const via = () => (proxy ? `proxy ${describeProxy(proxy)}` : undefined);
  const timer = setTimeout(() => {
    state.timeout = timeoutFailure(state.phase, request.timeoutMs, url, request.cutByDeadline, proxy);
    current?.destroy();
  }, request.timeoutMs);
  let method = request.method;
  let headers: Record<string, string> = { 'user-agent': 'shipline-smoke-test', ...request.headers };
  let body = request.body;
  try {
    for (let hop = 0; ; hop++) {
      const tls = request.tlsFor(url);
      const route = connections.routeFor(url, tls);
      proxy = route.proxy;
      const send = () => exchange(url, method, headers, body, route, (req) => (current = req), state);
      let response: RawResponse;
      try {
        response = await send();
      } catch (error) {
        if (state.timeout || !(error as { staleConnection?: boolean }).staleConnection) throw error;
        // The dead connection's time is not the server's: measure the fresh try alone (on the first hop).
        if (hop === 0) state.startedAt = undefined;
        response = await send();
      }
      const location = response.headers.location;
      if (!request.followRedirects || !REDIRECT_STATUSES.has(response.status) || !location) {
        return {
          kind: 'response',
          status: response.status,
          contentType: String(response.headers['content-type'] ?? ''),
          body: response.body,
          bodyBytes: response.bodyBytes,
          ...(response.bodyCut ? { bodyCut: true } : {}),
          durationMs: (state.lastBytesAt ?? performance.now()) - since(),
          redirects,
          finalUrl: displayUrl(url),
          ...(proxy ? { via: via() } : {}),
        };
      }
      const next = new URL(location, url);
      redirects.push(`${response.status} → ${displayUrl(next)}`);
      if (next.protocol !== 'http:' && next.protocol !== 'https:')
        throw new ProbeError({ kind: 'redirect', message: `redirected to a non-HTTP URL (${next.protocol})` });
      if (hop + 1 >= MAX_REDIRECTS)
        throw new ProbeError({
          kind: 'redirect',
          message: `more than ${MAX_REDIRECTS} redirects (a loop?): ${redirects.slice(0, 4).join(', ')}${redirects.length > 4 ? ', …' : ''}`,
        });
      const dropBody =
        response.status === 303 || ((response.status === 301 || response.status === 302) && method === 'POST');
      headers = redirectHeaders(headers, url, next, dropBody);
      if (dropBody) {
        method = method === 'HEAD' ? 'HEAD' : 'GET';
        body = undefined;
      }
      url = next;
    }
  } catch (error) {
    const failure =
      error instanceof ProbeError
        ? error.failure
        : classifyError(error as NodeJS.ErrnoException, state.phase, url, proxy);
    if (failure.kind === 'tls') {
      const certificate = await describePeerCertificate(url, Math.min(2000, request.timeoutMs), proxy);
      if (certificate) failure.message = `${failure.message}; ${certificate}`;
    }
    if (proxy) failure.message = `${failure.message} [through ${via()}]`;
    return {
      kind: 'failure',
      failure,
      durationMs: performance.now() - since(),
      redirects,
      ...(proxy ? { via: via() } : {}),
    };
  } finally {
    clearTimeout(timer);
  }
}
