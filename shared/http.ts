// HTTP for every provider call: a timeout on every request, bounded retries with exponential backoff and full
// jitter on network errors, 5xx and 429, and Retry-After honoured up to a cap. A request that is not idempotent
// is retried only where the server cannot have acted on it: a 429, or a connection that was never made.
// Requests go through the proxy the environment names (shared/proxy.ts decides; undici's ProxyAgent carries them).
// The smoke-test prober speaks node:http for its timings, but its failures are classified here too.
import type { Deadline } from './deadline.js';
import { NetworkError, type NetworkFailure, ProviderError } from './errors.js';
import { ProxyAuthError, proxyFor } from './proxy.js';
import { info } from './runner.js';
import { excerpt, safeDecode } from './sanitise.js';

export interface RetryPolicy {
  /** Attempts after the first. */
  retries: number;
  /** First backoff step; doubles each attempt, with full jitter. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** A Retry-After longer than this is cut to it (a provider asking for an hour should not hold a job an hour). */
  maxRetryAfterMs: number;
}

export interface RequestOptions {
  /** What the request is, for logs and errors ("Slack chat.postMessage"). Never the URL: it may hold a secret. */
  label: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array | FormData;
  timeoutMs?: number;
  /** Defaults to true for GET, HEAD, PUT, DELETE and OPTIONS. */
  idempotent?: boolean;
  retry?: Partial<RetryPolicy>;
  /**
   * When the whole exchange must be over, retries and waits included: each attempt's
   * timeout is cut to the time left, and a wait (Retry-After or backoff) that would end past it is not made —
   * the last answer is returned (or the network error thrown) instead.
   */
  deadline?: Deadline;
  signal?: AbortSignal;
  /** Swappable for tests of the retry logic itself. */
  sleep?: (ms: number) => Promise<void>;
  fetch?: typeof fetch;
}

export const DEFAULT_RETRY: RetryPolicy = { retries: 4, baseDelayMs: 500, maxDelayMs: 10_000, maxRetryAfterMs: 60_000 };
const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Retry-After as seconds or an HTTP date, in ms; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

export function backoffDelay(attempt: number, policy: RetryPolicy, random = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/**
 * The kind of a network failure from its error code (Node's socket codes, undici's UND_ERR_*, the proxy tunnel's):
 * the one table both HTTP stacks use, fetch here and node:http in the smoke-test prober.
 */
/**
 * OpenSSL's answer when the server at an https:// URL speaks plain HTTP: its "HTTP/1.1 400" read as a TLS record
 * ("wrong version number", or "packet length too long"); node:https reports it as EPROTO with that text, undici
 * with the ERR_SSL_* code.
 */
export function plainHttpOnTlsPort(code: string, message = ''): boolean {
  return (
    code === 'ERR_SSL_WRONG_VERSION_NUMBER' ||
    code === 'ERR_SSL_PACKET_LENGTH_TOO_LONG' ||
    (code === 'EPROTO' && /wrong version number|packet length too long/i.test(message))
  );
}

/** Whether a failed request met plain HTTP on an https:// URL: its handshake failed, so no request went out. */
export function metPlainHttp(error: unknown): boolean {
  return classifyNetworkError(error).plainHttp === true;
}

/** The sentence for plainHttpOnTlsPort, naming the server when it is known. */
export function plainHttpSentence(where?: string): string {
  return `the server${where ? ` at ${where}` : ''} answered plain HTTP to a TLS handshake: use http:// for this URL, or the port that serves HTTPS`;
}

export function networkFailureKind(code: string, message = ''): NetworkFailure {
  if (plainHttpOnTlsPort(code, message)) return 'tls';
  if (code === 'ECONNREFUSED') return 'connection-refused';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME' || code === 'EAI_FAIL') return 'dns';
  if (
    code === 'ECONNRESET' ||
    code === 'UND_ERR_SOCKET' ||
    code === 'EPIPE' ||
    code === 'UND_ERR_CLOSED' ||
    message === 'socket hang up' ||
    message === 'aborted'
  )
    return 'connection-reset';
  if (
    code === 'UND_ERR_CONNECT_TIMEOUT' ||
    code === 'UND_ERR_HEADERS_TIMEOUT' ||
    code === 'UND_ERR_BODY_TIMEOUT' ||
    code === 'ETIMEDOUT'
  )
    return 'timeout';
  if (/CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY/.test(code)) return 'tls';
  if (code.startsWith('HPE_')) return 'protocol';
  // The proxy asked for credentials or refused them (407): fixed in the proxy URL, not by sending again.
  if (code === 'ERR_PROXY_AUTH' || PROXY_407.test(message)) return 'proxy-auth';
  // The proxy refused the tunnel (ours: ERR_PROXY_TUNNEL; undici's ProxyAgent aborts with "Proxy response (403) !== 200").
  if (code === 'ERR_PROXY_TUNNEL' || /^Proxy response \(\d+\)/.test(message)) return 'proxy';
  return 'other';
}

/**
 * The kind of a failed fetch, from undici's error codes. They sit on `cause`, one to three levels down (a refused
 * proxy tunnel: TypeError → DOMException → RequestAbortedError): the deepest error with a text code tells.
 */
export function classifyNetworkError(error: unknown): { kind: NetworkFailure; detail: string; plainHttp?: true } {
  const e = error as { name?: string; message?: string };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError')
    return { kind: 'timeout', detail: e.message ?? 'timed out' };
  const chain: { code?: unknown; message?: string }[] = [];
  for (
    let c = error as { code?: unknown; message?: string; cause?: unknown } | undefined;
    c && typeof c === 'object' && chain.length < 5;
    c = c.cause as typeof c
  )
    chain.push(c);
  const coded = [...chain].reverse().find((c) => typeof c.code === 'string' && c.code !== '');
  const code = (coded?.code as string | undefined) ?? '';
  const message = coded?.message ?? chain.at(-1)?.message ?? '';
  if (plainHttpOnTlsPort(code, message))
    return { kind: 'tls', detail: `${plainHttpSentence()} (${code})`, plainHttp: true };
  const detail = [code, chain.length > 1 ? message : ''].filter(Boolean).join(': ') || (e?.message ?? String(error));
  return { kind: networkFailureKind(code, message), detail };
}

/**
 * fetch refuses a URL with credentials in it (`https://user:pass@host/`), so such a URL could never succeed; they
 * travel as Basic authorization instead, as curl sends them, unless the caller set an Authorization header itself.
 */
function moveCredentials(
  url: string | URL,
  headers?: ConstructorParameters<typeof Headers>[0],
): { url: string | URL; headers?: ConstructorParameters<typeof Headers>[0] } {
  let parsed: URL;
  try {
    parsed = new URL(String(url));
  } catch {
    return { url, headers };
  }
  if (!parsed.username && !parsed.password) return { url, headers };
  const basic = Buffer.from(`${safeDecode(parsed.username)}:${safeDecode(parsed.password)}`).toString('base64');
  parsed.username = '';
  parsed.password = '';
  const merged = new Headers(headers);
  if (!merged.has('authorization')) merged.set('authorization', `Basic ${basic}`);
  return { url: parsed.href, headers: merged };
}

/** Failures where the server never saw the request, so even a POST is safe to send again. */
const NEVER_SENT: ReadonlySet<NetworkFailure> = new Set(['connection-refused', 'dns', 'proxy', 'proxy-auth']);

/**
 * Whether a failed request may be sent once more: when it never reached the server, or when it went out on a
 * kept-alive connection the server had already closed while idle (the reset came before any answer).
 */
export function safeToResend(kind: NetworkFailure, reusedIdleConnection = false): boolean {
  return NEVER_SENT.has(kind) || (reusedIdleConnection && kind === 'connection-reset');
}

/** undici's ProxyAgent, loaded only when a request goes through a proxy (most runners have none); one per proxy. */
let undici: Promise<typeof import('undici')> | undefined;
const proxyAgents = new Map<string, import('undici').Dispatcher>();

/**
 * The undici dispatcher that carries a request to this URL through the proxy the environment names for it, or
 * undefined to connect directly. CONNECT for https; absolute-URI requests for http (proxyTunnel false), as a plain
 * HTTP proxy expects. Pass it as `dispatcher` in fetch's options (clients that spread their fetch options, such as
 * @netlify/api, take it too).
 */
async function proxyDispatcher(url: string | URL): Promise<import('undici').Dispatcher | undefined> {
  let proxy: URL | undefined;
  try {
    proxy = proxyFor(new URL(String(url)));
  } catch {
    return undefined;
  }
  if (!proxy) return undefined;
  // By file, not by bare name: the bundles route the bare name to the toolkit's undici (scripts/undici-on-demand).
  undici ??= import('undici/index.js');
  const { ProxyAgent } = await undici;
  let agent = proxyAgents.get(proxy.href);
  if (!agent) {
    agent = new ProxyAgent({ uri: proxy.href, proxyTunnel: false });
    proxyAgents.set(proxy.href, agent);
  }
  return agent;
}

/**
 * How undici's ProxyAgent reports a proxy's 407: to a CONNECT ("Proxy response (407) !== 200 when HTTP Tunneling"),
 * or as the answer to a plain-http request sent to the proxy ("Proxy Authentication Required (407)").
 */
const PROXY_407 = /^Proxy response \(407\)|^Proxy Authentication Required \(407\)/;

/** Whether a failed fetch is undici's ProxyAgent reporting a proxy's 407. */
function connectAnswered407(error: unknown): boolean {
  let e = error as { message?: unknown; cause?: unknown } | undefined;
  for (let depth = 0; e && typeof e === 'object' && depth < 5; depth++, e = e.cause as typeof e) {
    if (typeof e.message === 'string' && PROXY_407.test(e.message)) return true;
  }
  return false;
}

/**
 * fetch, through the proxy the environment names for the URL: for clients that take a fetch of their own. A proxy's
 * 407 (to a CONNECT for https, or as the answer to a plain-http request) fails the way fetch fails, a TypeError
 * whose cause is a ProxyAuthError: a sentence saying the proxy refused its credentials, for every client alike.
 */
export const proxiedFetch = (async (input: string | URL | Request, init: RequestInit = {}) => {
  const dispatcher = await proxyDispatcher(input instanceof Request ? input.url : input);
  if (!dispatcher) return fetch(input, init);
  // proxyDispatcher found a proxy for it: the URL parses.
  const target = new URL(String(input instanceof Request ? input.url : input));
  const refused = () =>
    new TypeError('fetch failed', { cause: new ProxyAuthError(proxyFor(target) as URL, target.protocol) });
  let response: Response;
  try {
    response = await fetch(input, { ...init, dispatcher } as RequestInit);
  } catch (error) {
    throw connectAnswered407(error) ? refused() : error;
  }
  if (response.status === 407) {
    await response.body?.cancel().catch(() => undefined);
    throw refused();
  }
  return response;
}) as typeof fetch;

function shouldRetryStatus(status: number, idempotent: boolean): boolean {
  return status === 429 || (idempotent && (status >= 500 || status === 408));
}

/**
 * Sends a request with the retry policy. Resolves with the final response, whatever its status (callers turn a
 * provider's error body into its own reason); rejects with a NetworkError when no response could be had.
 */
export async function request(url: string | URL, options: RequestOptions): Promise<Response> {
  const method = (options.method ?? 'GET').toUpperCase();
  const idempotent = options.idempotent ?? IDEMPOTENT_METHODS.has(method);
  const policy = { ...DEFAULT_RETRY, ...options.retry };
  const wait = options.sleep ?? sleep;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const target = moveCredentials(url, options.headers);
  const doFetch = options.fetch ?? proxiedFetch;

  // On the monotonic clock (shared/deadline.ts): a wall clock that steps back during a hanging attempt must not
  // stretch the retries after it.
  const timeLeft = () => options.deadline?.left() ?? Number.POSITIVE_INFINITY;

  for (let attempt = 0; ; attempt++) {
    const last = attempt >= policy.retries;
    const attemptMs = Math.min(timeoutMs, timeLeft());
    if (attemptMs <= 0) throw new NetworkError(options.label, 'timeout', 'no time left before the deadline');
    const signal = options.signal
      ? AbortSignal.any([options.signal, AbortSignal.timeout(attemptMs)])
      : AbortSignal.timeout(attemptMs);
    let response: Response;
    try {
      response = await doFetch(target.url, {
        method,
        headers: target.headers,
        body: options.body,
        signal,
        redirect: 'follow',
      });
    } catch (error) {
      if (options.signal?.aborted) throw error;
      const { kind, detail, plainHttp } = classifyNetworkError(error);
      const delay = backoffDelay(attempt, policy);
      // Credentials a proxy refused are refused again, and plain HTTP on the port is the same answer every time: no
      // retry changes either.
      if (plainHttp || last || kind === 'proxy-auth' || !(idempotent || safeToResend(kind)) || delay >= timeLeft())
        throw new NetworkError(options.label, kind, detail, { cause: error });
      info(
        `${options.label}: ${kind} (${detail}); retrying in ${(delay / 1000).toFixed(1)}s (attempt ${attempt + 2} of ${policy.retries + 1})`,
      );
      await wait(delay);
      continue;
    }
    if (last || !shouldRetryStatus(response.status, idempotent)) return response;
    const retryAfter = parseRetryAfter(response.headers.get('retry-after'));
    const delay =
      retryAfter !== undefined ? Math.min(retryAfter, policy.maxRetryAfterMs) : backoffDelay(attempt, policy);
    if (delay >= timeLeft()) {
      info(
        `${options.label}: HTTP ${response.status}; a wait of ${(delay / 1000).toFixed(1)}s${retryAfter !== undefined ? ' (Retry-After)' : ''} would end past the deadline, so no retry`,
      );
      return response;
    }
    await response.body?.cancel().catch(() => undefined);
    info(
      `${options.label}: HTTP ${response.status}; retrying in ${(delay / 1000).toFixed(1)}s${retryAfter !== undefined ? ' (Retry-After)' : ''} (attempt ${attempt + 2} of ${policy.retries + 1})`,
    );
    await wait(delay);
  }
}

/**
 * Reads a body as text without ever throwing (a provider's malformed or cut-off answer is still evidence). The
 * limit only guards memory: API answers can be large (Vercel lists every missing file's digest).
 */
async function readText(response: Response, limit = 32 * 1024 * 1024): Promise<string> {
  try {
    const text = await response.text();
    return text.length > limit ? `${text.slice(0, limit)}…` : text;
  } catch (error) {
    return `(body could not be read: ${(error as Error).message})`;
  }
}

export interface JsonCall {
  /** The provider, as its errors name it ("Vercel"). */
  provider: string;
  /** What the call does, for errors ("create deployment"). */
  action: string;
  /**
   * The provider's own reason from an error answer (status ≥ 300, or a 2xx whose body says it failed): its error
   * code and message, or undefined when this answer is a success. Gets the parsed body, or the raw text when the
   * body is not JSON (a proxy's or load balancer's error page is still the reason).
   */
  errorMessage: (body: unknown, status: number, text: string) => string | undefined;
  hint?: (status: number, body: unknown, text: string) => string | undefined;
  /** Answers that are not errors although their status is ≥ 300 (a 409 that means "already there"). */
  acceptStatus?: (status: number) => boolean;
  /** An empty body is {} (most providers answer 204 with nothing). Default true. */
  emptyIsObject?: boolean;
  /**
   * For callers that read every status themselves (acceptStatus): the body to hand back for an error answer that is
   * not JSON (a gateway's "502 bad gateway" page) — an error answer, not a malformed one.
   */
  errorPage?: (text: string, status: number) => unknown;
}

/**
 * The provider call every provider makes: send with the retry policy, read the text, parse the JSON, and turn an
 * error answer into a ProviderError with the provider's own reason. Resolves with the status and the parsed body.
 */
export async function requestJson<T>(
  url: string | URL,
  options: RequestOptions,
  call: JsonCall,
): Promise<{ status: number; data: T }> {
  const response = await request(url, options);
  const text = await readText(response);
  let data: unknown;
  let parsed = true;
  try {
    data = text === '' && call.emptyIsObject !== false ? {} : JSON.parse(text);
  } catch {
    parsed = false;
    data = undefined;
  }
  const status = response.status;
  const failed = status >= 300 && !call.acceptStatus?.(status);
  if (!parsed && status >= 300 && !failed && call.errorPage) return { status, data: call.errorPage(text, status) as T };
  if (!parsed && !failed) {
    throw new ProviderError(call.provider, `malformed answer to ${call.action} (${excerpt(text, 200)})`, {
      status,
      action: call.action,
    });
  }
  const reason = parsed ? call.errorMessage(data, status, text) : excerpt(text, 200) || undefined;
  if (failed || reason !== undefined) {
    throw new ProviderError(call.provider, reason ?? `HTTP ${status}`, {
      status: status >= 300 ? status : undefined,
      action: call.action,
      hint: call.hint?.(status, data, text),
    });
  }
  return { status, data: data as T };
}
