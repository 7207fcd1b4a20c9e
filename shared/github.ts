// The GitHub REST client (the release ledger, PR comments): @actions/github's getOctokit, which reads the API URL
// of a GitHub Enterprise Server from GITHUB_API_URL, over shared/http.ts's proxied fetch, with the two plugins
// GitHub recommends for automation: @octokit/plugin-throttling paces writes (one at a time, a second apart) and
// waits out rate limits — a primary limit until its x-ratelimit-reset, a secondary one for its retry-after — and
// @octokit/plugin-retry retries server errors and dropped connections. Loaded lazily: nothing here is on the
// cold path of input validation.
import type { getOctokit } from '@actions/github';
import { ShiplineError } from './errors.js';
import { proxiedFetch } from './http.js';
import { isLoopbackUrl } from './inputs.js';
import { debug, warning } from './runner.js';

export type GitHubClient = ReturnType<typeof getOctokit>;

/** The longest rate-limit wait a step takes; past it the step fails now rather than sit out an hour's reset. */
const MAX_RATE_LIMIT_WAIT_S = 60;
/** Rate-limit retries of one request; a limit that is still there after two waits is not going away. */
export const MAX_RATE_LIMIT_RETRIES = 2;

/**
 * Whether to wait `retryAfter` seconds and try again: only while the wait fits the cap and the request has not
 * already waited twice. Pure, so the bound is tested on its own.
 */
export function shouldWait(retryAfter: number, retryCount: number, capSeconds = MAX_RATE_LIMIT_WAIT_S): boolean {
  return retryAfter <= capSeconds && retryCount < MAX_RATE_LIMIT_RETRIES;
}

interface RequestErrorLike {
  status?: number;
  message?: string;
  response?: { headers?: Record<string, string | number | undefined> };
}

/** A rate limit that was not waited out: GitHub is unavailable to this token for now, it refused nothing. */
export class GitHubRateLimitError extends ShiplineError {}

/** The sentence a rate limit that was not waited out fails with; undefined when `error` is not a rate limit. */
function rateLimitFailure(
  error: unknown,
  request: { method?: string; url?: string },
  capSeconds = MAX_RATE_LIMIT_WAIT_S,
  now = Date.now(),
): ShiplineError | undefined {
  const e = error as RequestErrorLike;
  if (e?.status !== 403 && e?.status !== 429) return undefined;
  const headers = e.response?.headers ?? {};
  const what = `GitHub answered ${e.status} to ${request.method ?? 'a request'} ${request.url ?? ''}`.trimEnd();
  const hint = `shipline waits up to ${capSeconds} s for a GitHub rate limit (at most ${MAX_RATE_LIMIT_RETRIES} times per request). Run the step again later, or give it a token with its own limit (a GitHub App's installation token).`;
  if (/\bsecondary rate\b/i.test(e.message ?? '')) {
    const after = Number(headers['retry-after']) || 60;
    return new GitHubRateLimitError(
      `${what}: a secondary rate limit, to be retried after ${after} s; ${after > capSeconds ? 'that is longer than shipline waits' : 'it was still there after waiting'}. GitHub said: ${e.message}`,
      { hint, cause: error },
    );
  }
  if (String(headers['x-ratelimit-remaining']) === '0') {
    const reset = Number(headers['x-ratelimit-reset']) * 1000;
    const wait = Number.isFinite(reset) ? Math.max(Math.ceil((reset - now) / 1000), 0) : undefined;
    const when = wait === undefined ? 'at an unknown time' : `at ${new Date(reset).toISOString()} (in ${wait} s)`;
    return new GitHubRateLimitError(
      `${what}: the token's API rate limit is used up and resets ${when}; ${wait !== undefined && wait > capSeconds ? 'that is longer than shipline waits' : 'it was still exhausted after waiting'}. GitHub said: ${e.message}`,
      { hint, cause: error },
    );
  }
  return undefined;
}

/**
 * The waits GitHub asks of automation, to spare its servers: writes paced (a second apart, comments three), and
 * retries of a server error backed off from a second (1 s, 4 s, 9 s: @octokit/plugin-retry's base). An API on this
 * machine is a stand-in or a local tool, where those waits would only slow the step: a hundredth of the backoff and
 * no pacing. Rate limits an API answers are waited out either way, for as long as it asks.
 */
export function waitsFor(apiUrl: string): {
  paced: boolean;
  retryBaseMs: number;
  ledgerRetryDelaysMs: readonly number[];
} {
  const local = isLoopbackUrl(apiUrl);
  return { paced: !local, retryBaseMs: local ? 10 : 1_000, ledgerRetryDelaysMs: local ? [10, 30] : [1_000, 3_000] };
}

/**
 * The throttling plugin's write and notification queues without their pause (a second between writes, three
 * between comments). GitHub asks for that pause to spare its own servers; an API on this machine is a stand-in or
 * a local tool, where the pause would only slow the step. Rate limits an API answers are still waited out.
 */
function unpaced(Bottleneck: typeof import('bottleneck').default) {
  return {
    write: new Bottleneck.Group({ id: 'shipline-write', maxConcurrent: 1 }),
    notifications: new Bottleneck.Group({ id: 'shipline-notifications', maxConcurrent: 1 }),
  };
}

/** The build of Bottleneck the throttling plugin itself loads (no clustering); the package types it as the full one. */
async function bottleneckLight(): Promise<typeof import('bottleneck').default> {
  // @ts-expect-error: bottleneck ships one declaration file, for its main entry; light.js has the same shape.
  return (await import('bottleneck/light.js')).default;
}

/** A rate-limit wait the client decided to take: how long, and which retry of the request follows it. */
export interface RateLimitWait {
  kind: 'primary' | 'secondary';
  seconds: number;
  retry: number;
}

/**
 * `signal`, when given, ends every request of this client once it aborts, including those already sent: a caller
 * that gives up on GitHub (rollback's bounded ledger read) knows that nothing it started goes on behind its back.
 * `onRateLimitWait` is told of each rate-limit wait as it is decided (tests read the waits asked for from it, not
 * from a clock).
 */
export async function createGitHubClient(options: {
  token: string;
  apiUrl?: string;
  timeoutMs?: number;
  maxRateLimitWaitS?: number;
  signal?: AbortSignal;
  onRateLimitWait?: (wait: RateLimitWait) => void;
}): Promise<GitHubClient> {
  // One after another: the modules share dependencies, and jest's ESM loader cannot link them concurrently.
  const { getOctokit } = await import('@actions/github');
  const { retry } = await import('@octokit/plugin-retry');
  const { throttling } = await import('@octokit/plugin-throttling');
  const cap = options.maxRateLimitWaitS ?? MAX_RATE_LIMIT_WAIT_S;
  const timeoutMs = options.timeoutMs ?? 30_000;
  // The one proxy rule of shared/http.ts (HTTPS_PROXY/NO_PROXY, loopback not silently exempt, unlike
  // @actions/github's own agent), with a bound on every request: a silent server never hangs a step.
  const timedFetch: typeof fetch = (url, init) => {
    const signals = [AbortSignal.timeout(timeoutMs), init?.signal, options.signal].filter((s): s is AbortSignal =>
      Boolean(s),
    );
    return proxiedFetch(url, { ...init, signal: AbortSignal.any(signals) });
  };
  const onLimit =
    (kind: RateLimitWait['kind']) =>
    (retryAfter: number, request: { method: string; url: string }, _octokit: unknown, retryCount: number) => {
      if (!shouldWait(retryAfter, retryCount, cap)) return false;
      warning(
        `GitHub ${kind} rate limit on ${request.method} ${request.url}: waiting ${retryAfter} s before retry ${retryCount + 1} of ${MAX_RATE_LIMIT_RETRIES}.`,
      );
      options.onRateLimitWait?.({ kind, seconds: retryAfter, retry: retryCount + 1 });
      return true;
    };
  const baseUrl = (options.apiUrl ?? process.env.GITHUB_API_URL ?? 'https://api.github.com').replace(/\/$/, '');
  const client = getOctokit(
    options.token,
    {
      baseUrl,
      userAgent: 'shipline',
      request: { fetch: timedFetch },
      throttle: {
        onRateLimit: onLimit('primary'),
        onSecondaryRateLimit: onLimit('secondary'),
        ...(isLoopbackUrl(baseUrl) ? unpaced(await bottleneckLight()) : {}),
      },
      // Rate limits (403 and 429) are the throttling plugin's; this one retries 5xx and dropped connections.
      retry: {
        doNotRetry: [400, 401, 403, 404, 410, 422, 429, 451],
        retryAfterBaseValue: waitsFor(baseUrl).retryBaseMs,
      },
      log: {
        debug: () => {},
        info: () => {},
        warn: (message: string) => debug(message),
        error: (message: string) => debug(message),
      },
    },
    retry,
    throttling,
  );
  // A POST that got no answer (or a 5xx) may have been acted on: sent again blindly, it makes a second deployment
  // record or comment. The retry plugin resends only what is safe to repeat; callers that create (the ledger)
  // look their record up by its key before sending again. Rate limits (answered before anything was done) are
  // still waited out by the throttling plugin.
  client.hook.before('request', (request) => {
    if (request.method === 'POST' && request.request && request.request.retries === undefined)
      request.request.retries = 0;
  });
  // Registered after the plugins, so it sees the error they gave up on.
  client.hook.error('request', (error, request) => {
    throw rateLimitFailure(error, { method: request.method, url: request.url }, cap) ?? error;
  });
  return client;
}

export function splitRepository(repository: string): { owner: string; repo: string } {
  const [owner = '', repo = ''] = repository.split('/');
  return { owner, repo };
}
