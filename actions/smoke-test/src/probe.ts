// One HTTP exchange, measured from the moment the request is issued to the last byte of the final response, on
// keep-alive connections (node:http's Agent: it adds less latency per request than fetch, see the README's
// benchmark). Every way a request can fail becomes a Failure a person can act on: DNS, refused, reset, TLS (with
// the certificate's own details), timeout (with how far the exchange got), redirects that loop.
import { Agent as HttpAgent, type IncomingHttpHeaders, request as httpRequest, type ClientRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { connect as tlsConnect, rootCertificates } from 'node:tls';
import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { inline, redactUrl } from '../../../shared/sanitise.js';
import { isSecretHeader } from './expectations.js';

export type FailureKind = 'dns' | 'refused' | 'reset' | 'tls' | 'timeout' | 'redirect' | 'protocol' | 'other';

export interface Failure {
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
  | { kind: 'response'; status: number; contentType: string; body: string; bodyBytes: number; durationMs: number; redirects: string[]; finalUrl: string }
  | { kind: 'failure'; failure: Failure; durationMs: number; redirects: string[] };

const MAX_REDIRECTS = 10;
/** Enough of a body for any assertion; the rest is read (and timed) but not kept. */
const BODY_LIMIT = 1024 * 1024;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

type Phase = 'connecting' | 'TLS handshake' | 'waiting for the response headers' | 'reading the body';

class ProbeError extends Error {
  constructor(readonly failure: Failure) {
    super(failure.message);
  }
}

/** Keep-alive agents, one per protocol and TLS setting, shared by all checks and closed when the run ends. */
export class Connections {
  private readonly agents = new Map<string, HttpAgent>();

  agentFor(url: URL, tls: TlsSettings): HttpAgent {
    const key = url.protocol === 'https:' ? `https|${tls.insecure}|${tls.ca ?? ''}` : 'http';
    let agent = this.agents.get(key);
    if (!agent) {
      agent =
        url.protocol === 'https:'
          ? new HttpsAgent({ keepAlive: true, ca: tls.ca ? [...rootCertificates, tls.ca] : undefined, rejectUnauthorized: !tls.insecure })
          : new HttpAgent({ keepAlive: true });
      this.agents.set(key, agent);
    }
    return agent;
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
}

const TLS_PROBLEMS: Record<string, string> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: 'the certificate is self-signed',
  SELF_SIGNED_CERT_IN_CHAIN: 'the certificate chain ends in a self-signed root that is not trusted',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: "the certificate's issuer is not trusted (an unknown CA, or the server does not send its intermediate certificates)",
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: "the certificate's issuer is not trusted (an unknown CA, or the server does not send its intermediate certificates)",
  UNABLE_TO_GET_ISSUER_CERT: "the certificate's issuer could not be found",
  CERT_HAS_EXPIRED: 'the certificate has expired',
  CERT_NOT_YET_VALID: 'the certificate is not valid yet (check the server clock)',
  ERR_TLS_CERT_ALTNAME_INVALID: 'the certificate is not issued for this host name',
  CERT_REVOKED: 'the certificate was revoked',
  CERT_SIGNATURE_FAILURE: "the certificate's signature is invalid",
};

function isTlsCode(code: string): boolean {
  return code in TLS_PROBLEMS || /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY/.test(code);
}

function hostPort(url: URL): string {
  return `${url.hostname}:${url.port || (url.protocol === 'https:' ? 443 : 80)}`;
}

function timeoutFailure(phase: Phase, timeoutMs: number, url: URL, cutByDeadline = false): Failure {
  const seconds = `${(timeoutMs / 1000).toFixed(1)}s${cutByDeadline ? " (what was left of the deadline)" : ''}`;
  const whatHappened: Record<Phase, string> = {
    connecting: `the connection to ${hostPort(url)} was not established (DNS lookup or TCP connect)`,
    'TLS handshake': `the TLS handshake with ${hostPort(url)} did not finish`,
    'waiting for the response headers': 'the server accepted the connection and the request but sent no response',
    'reading the body': 'the server sent the response headers but not the whole body',
  };
  return { kind: 'timeout', message: `timeout: no complete response within ${seconds}: ${whatHappened[phase]}`, hint: 'Raise input timeout if this endpoint is legitimately slow.' };
}

/** A Failure from a Node socket or HTTP error. */
export function classifyError(error: NodeJS.ErrnoException, phase: Phase, url: URL): Failure {
  const code = error.code ?? '';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME' || code === 'EAI_FAIL')
    return {
      kind: 'dns',
      message: `DNS: host ${url.hostname} could not be resolved (${code})`,
      hint: 'Check the host name; a new deployment URL can take a moment to appear in DNS.',
    };
  if (code === 'ECONNREFUSED') return { kind: 'refused', message: `connection refused by ${hostPort(url)}: nothing is listening there (${code})` };
  if (code === 'ECONNRESET' || code === 'EPIPE' || error.message === 'socket hang up' || error.message === 'aborted')
    return {
      kind: 'reset',
      message:
        phase === 'reading the body'
          ? `connection reset by the server while sending the body (${code || error.message})`
          : `connection reset by the server before it answered (${code || error.message})`,
    };
  if (code === 'ETIMEDOUT') return timeoutFailure(phase, 0, url);
  if (isTlsCode(code))
    return {
      kind: 'tls',
      message: `TLS: ${TLS_PROBLEMS[code] ?? error.message} (${code})`,
      hint: "Trust the CA that signed it with 'ca-file' (or tls.ca-file in the checks), or, for a preview deployment only, list the host in 'insecure-hosts'.",
    };
  if (code.startsWith('HPE_')) return { kind: 'protocol', message: `malformed HTTP response (${code}: ${error.message})` };
  return { kind: 'other', message: `request failed: ${error.message}${code ? ` (${code})` : ''}` };
}

/** The certificate a server presents, read on a separate connection that sends nothing (no header can leak). */
export function describePeerCertificate(url: URL, timeoutMs: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const port = Number(url.port || 443);
    const isIp = /^[\d.]+$|:/.test(url.hostname);
    const socket = tlsConnect({ host: url.hostname.replace(/^\[|\]$/g, ''), port, servername: isIp ? undefined : url.hostname, rejectUnauthorized: false });
    const done = (text: string | undefined) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(text);
    };
    const timer = setTimeout(() => done(undefined), timeoutMs);
    socket.once('error', () => done(undefined));
    socket.once('secureConnect', () => {
      const cert = socket.getPeerCertificate();
      if (!cert || !cert.subject) return done(undefined);
      const name = (dn: Record<string, string | string[]> | undefined) => (dn?.CN ? `CN=${String(dn.CN)}` : dn?.O ? `O=${String(dn.O)}` : '?');
      const names = cert.subjectaltname ? `, names ${cert.subjectaltname}` : '';
      // The certificate is the server's own text: shown on one line, like any outside text.
      done(inline(`certificate ${name(cert.subject as never)} issued by ${name(cert.issuer as never)}, valid ${cert.valid_from} to ${cert.valid_to}${names}`, 1000));
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

function exchange(url: URL, method: string, headers: Record<string, string>, body: string | undefined, agent: HttpAgent, onRequest: (req: ClientRequest) => void, state: ExchangeState): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
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
      const failure = error instanceof ProbeError ? error.failure : classifyError(error as NodeJS.ErrnoException, state.phase, url);
      // A kept-alive connection the server closed while idle: the request never reached it, so one fresh try is
      // not a retry of anything the server saw.
      reject(Object.assign(new ProbeError(failure), { staleConnection: staleConnection && failure.kind === 'reset' }));
    };
    const req = send(url, { method, headers, agent }, (res: IncomingMessage) => {
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
        const response = { status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8'), bodyBytes: bytes };
        // Judging this response and sending the next request wait until the other sockets that are ready now have
        // been read: their arrival times are taken when they are read, and must not wait behind this work.
        setImmediate(() => resolve(response));
      });
      res.on('error', (error) => fail(error));
      res.on('close', () => fail(Object.assign(new Error('aborted'), { code: 'ECONNRESET' })));
    });
    req.on('socket', (socket) => {
      state.startedAt ??= performance.now();
      socketWatched = socket;
      socket.prependListener('data', markBytes);
      const waiting = () => {
        state.phase = 'waiting for the response headers';
      };
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

function redirectHeaders(headers: Record<string, string>, from: URL, to: URL, dropBody: boolean): Record<string, string> {
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
  const timer = setTimeout(() => {
    state.timeout = timeoutFailure(state.phase, request.timeoutMs, url, request.cutByDeadline);
    current?.destroy();
  }, request.timeoutMs);
  let method = request.method;
  let headers: Record<string, string> = { 'user-agent': 'shipline-smoke-test', ...request.headers };
  let body = request.body;
  try {
    for (let hop = 0; ; hop++) {
      const tls = request.tlsFor(url);
      const send = () => exchange(url, method, headers, body, connections.agentFor(url, tls), (req) => (current = req), state);
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
          durationMs: (state.lastBytesAt ?? performance.now()) - since(),
          redirects,
          finalUrl: displayUrl(url),
        };
      }
      const next = new URL(location, url);
      redirects.push(`${response.status} → ${displayUrl(next)}`);
      if (next.protocol !== 'http:' && next.protocol !== 'https:') throw new ProbeError({ kind: 'redirect', message: `redirected to a non-HTTP URL (${next.protocol})` });
      if (hop + 1 >= MAX_REDIRECTS)
        throw new ProbeError({ kind: 'redirect', message: `more than ${MAX_REDIRECTS} redirects (a loop?): ${redirects.slice(0, 4).join(', ')}${redirects.length > 4 ? ', …' : ''}` });
      const dropBody = response.status === 303 || ((response.status === 301 || response.status === 302) && method === 'POST');
      headers = redirectHeaders(headers, url, next, dropBody);
      if (dropBody) {
        method = method === 'HEAD' ? 'HEAD' : 'GET';
        body = undefined;
      }
      url = next;
    }
  } catch (error) {
    const failure = error instanceof ProbeError ? error.failure : classifyError(error as NodeJS.ErrnoException, state.phase, url);
    if (failure.kind === 'tls') {
      const certificate = await describePeerCertificate(url, Math.min(2000, request.timeoutMs));
      if (certificate) failure.message = `${failure.message}; ${certificate}`;
    }
    return { kind: 'failure', failure, durationMs: performance.now() - since(), redirects };
  } finally {
    clearTimeout(timer);
  }
}
