// HTTP for every provider call: a timeout on every request, bounded retries with exponential backoff and full
// jitter on network errors, 5xx and 429, and Retry-After honoured up to a cap. A request that is not idempotent
// is retried only where the server cannot have acted on it: a 429, or a connection that was never made.
import { NetworkError, type NetworkFailure } from './errors.js';
import { debug, info } from './runner.js';
import { safeDecode } from './sanitise.js';

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
   * When the whole exchange must be over (ms since the epoch), retries and waits included: each attempt's
   * timeout is cut to the time left, and a wait (Retry-After or backoff) that would end past it is not made —
   * the last answer is returned (or the network error thrown) instead.
   */
  deadline?: number;
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

/** The kind of a failed fetch, from undici's error codes (they sit on `cause`, sometimes one level deeper). */
export function classifyNetworkError(error: unknown): { kind: NetworkFailure; detail: string } {
  const e = error as { name?: string; message?: string; code?: string; cause?: { code?: string; message?: string; cause?: { code?: string } } };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return { kind: 'timeout', detail: e.message ?? 'timed out' };
  const code = e?.cause?.code ?? e?.cause?.cause?.code ?? e?.code ?? '';
  const detail = [code, e?.cause?.message].filter(Boolean).join(': ') || (e?.message ?? String(error));
  if (code === 'ECONNREFUSED') return { kind: 'connection-refused', detail };
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return { kind: 'dns', detail };
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || code === 'EPIPE' || code === 'UND_ERR_CLOSED') return { kind: 'connection-reset', detail };
  if (code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'ETIMEDOUT')
    return { kind: 'timeout', detail };
  if (/CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY/.test(code)) return { kind: 'tls', detail };
  return { kind: 'other', detail };
}

/**
 * fetch refuses a URL with credentials in it (`https://user:pass@host/`), so such a URL could never succeed; they
 * travel as Basic authorization instead, as curl sends them, unless the caller set an Authorization header itself.
 */
export function moveCredentials(url: string | URL, headers?: ConstructorParameters<typeof Headers>[0]): { url: string | URL; headers?: ConstructorParameters<typeof Headers>[0] } {
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
const NEVER_SENT: ReadonlySet<NetworkFailure> = new Set(['connection-refused', 'dns']);

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
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const target = moveCredentials(url, options.headers);

  // The deadline is read against the wall clock once, then followed on the monotonic clock: a wall clock that steps
  // back during a hanging attempt must not stretch the retries after it.
  const endAt = options.deadline === undefined ? undefined : performance.now() + (options.deadline - Date.now());
  const timeLeft = () => (endAt === undefined ? Number.POSITIVE_INFINITY : Math.floor(endAt - performance.now()));

  for (let attempt = 0; ; attempt++) {
    const last = attempt >= policy.retries;
    const attemptMs = Math.min(timeoutMs, timeLeft());
    if (attemptMs <= 0) throw new NetworkError(options.label, 'timeout', 'no time left before the deadline');
    const signal = options.signal ? AbortSignal.any([options.signal, AbortSignal.timeout(attemptMs)]) : AbortSignal.timeout(attemptMs);
    let response: Response;
    try {
      response = await doFetch(target.url, { method, headers: target.headers, body: options.body, signal, redirect: 'follow' });
    } catch (error) {
      if (options.signal?.aborted) throw error;
      const { kind, detail } = classifyNetworkError(error);
      const delay = backoffDelay(attempt, policy);
      if (last || !(idempotent || NEVER_SENT.has(kind)) || delay >= timeLeft()) throw new NetworkError(options.label, kind, detail, { cause: error });
      info(`${options.label}: ${kind} (${detail}); retrying in ${(delay / 1000).toFixed(1)}s (attempt ${attempt + 2} of ${policy.retries + 1})`);
      await wait(delay);
      continue;
    }
    if (last || !shouldRetryStatus(response.status, idempotent)) return response;
    const retryAfter = parseRetryAfter(response.headers.get('retry-after'));
    const delay = retryAfter !== undefined ? Math.min(retryAfter, policy.maxRetryAfterMs) : backoffDelay(attempt, policy);
    if (delay >= timeLeft()) {
      info(`${options.label}: HTTP ${response.status}; a wait of ${(delay / 1000).toFixed(1)}s${retryAfter !== undefined ? ' (Retry-After)' : ''} would end past the deadline, so no retry`);
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
 * A `fetch` with the retry policy built in, for clients that take a fetch of their own (@slack/webhook, the
 * provider SDKs): they then retry 429 after Retry-After, which several of them do not do by themselves.
 */
export function retryingFetch(defaults: Omit<RequestOptions, 'method' | 'headers' | 'body' | 'signal'>): typeof fetch {
  return (async (input: string | URL | Request, init: RequestInit = {}) => {
    const url = input instanceof Request ? input.url : input;
    debug(`${defaults.label}: ${(init.method ?? 'GET').toUpperCase()}`);
    return request(url, {
      ...defaults,
      method: init.method,
      headers: init.headers as Record<string, string> | undefined,
      body: init.body as RequestOptions['body'],
      signal: init.signal ?? undefined,
    });
  }) as typeof fetch;
}

/**
 * Reads a body as text without ever throwing (a provider's malformed or cut-off answer is still evidence). The
 * limit only guards memory: API answers can be large (Vercel lists every missing file's digest).
 */
export async function readText(response: Response, limit = 32 * 1024 * 1024): Promise<string> {
  try {
    const text = await response.text();
    return text.length > limit ? `${text.slice(0, limit)}…` : text;
  } catch (error) {
    return `(body could not be read: ${(error as Error).message})`;
  }
}
