// Sentry's web API, as shipline uses it: the release of a commit, its commits, its deploys, and the new issues it
// brought. Every request is the one the official `sentry-cli` sends for the same job (same method, path and body
// shape; test/conformance-sentry.test.ts records both against the loopback fake and compares them), sent through
// the one HTTP layer (shared/http.ts: timeouts, bounded retries, Retry-After, the proxy the environment names).
import type { Deadline } from './deadline.js';
import { NetworkError, ProviderError } from './errors.js';
import { parseRetryAfter, proxiedFetch, type RequestOptions, requestJson } from './http.js';
import { excerpt } from './sanitise.js';
import { appendAll } from './collections.js';

export interface SentryConfig {
  /** Sentry's address, as SENTRY_URL (https://sentry.io, or a self-hosted one): the API is under /api/0/. */
  url: string;
  org: string;
  project: string;
  token: string;
  /** When every call must be over, retries included. */
  deadline?: Deadline;
  /** Per request (default 30 s). */
  timeoutMs?: number;
  retry?: RequestOptions['retry'];
  sleep?: RequestOptions['sleep'];
  fetch?: RequestOptions['fetch'];
}

export interface SentryRef {
  /** The repository as Sentry names it (owner/name for the GitHub integration). */
  repository: string;
  commit: string;
  previousCommit?: string | null;
}

export interface SentryDeploy {
  environment: string;
  name?: string | null;
  url?: string | null;
  dateStarted?: Date;
  dateFinished: Date;
}

interface SentryIssue {
  shortId: string;
  title: string;
  permalink: string;
  /** Events in the issue. */
  count: number;
}

export interface NewIssues {
  /** Issues found (all pages read, up to the page limit). */
  count: number;
  issues: SentryIssue[];
  /** More pages were there than the limit let us read: `count` is a lower bound. */
  truncated: boolean;
}

export interface SentryRelease {
  version: string;
  dateCreated: string;
  dateReleased: string | null;
  commitCount: number;
  deployCount: number;
  newGroups: number;
  /** The projects of the release: Sentry gives each one's id (a number, or its digits as a string) and slug. */
  projects?: { id: number | string; slug: string }[];
}

/** A release's health as Sentry's sessions API totals it over the range it counted. */
export interface ReleaseHealth {
  /** The range Sentry counted: the one asked for, widened to whole intervals (hours). */
  start: string;
  end: string;
  sessions: number;
  users: number;
  /** 0–1; null when Sentry had nothing to rate (no session, or no user). */
  crashFreeSessions: number | null;
  crashFreeUsers: number | null;
}

/**
 * The fields read, as the sessions API names them (docs.sentry.io/api/releases/retrieve-release-health-session-statistics/,
 * and the OpenAPI description in getsentry/sentry-api-schema: operation getOrganizationSessions).
 */
export const HEALTH_FIELDS = [
  'sum(session)',
  'count_unique(user)',
  'crash_free_rate(session)',
  'crash_free_rate(user)',
] as const;

const PROVIDER = 'Sentry';
/** Pages of issues read at most (100 each): a gate needs to know "more than the threshold", not every issue. */
const MAX_PAGES = 10;

/** Sentry's reason from an error answer: `{"detail": "…"}`, or field errors `{"version": ["…"]}`. */
function sentryReason(body: unknown, status: number, text: string): string | undefined {
  if (status < 300) return undefined;
  if (body && typeof body === 'object' && !Array.isArray(body)) {
    const b = body as Record<string, unknown>;
    if (typeof b.detail === 'string') return b.detail;
    const fields = Object.entries(b)
      .map(
        ([key, value]) =>
          `${key}: ${Array.isArray(value) ? value.join(' ') : typeof value === 'string' ? value : JSON.stringify(value)}`,
      )
      .join('; ');
    if (fields) return fields;
  }
  return excerpt(text, 200) || `HTTP ${status}`;
}

function sentryHint(status: number, action: string): string | undefined {
  if (status === 401)
    return 'Check sentry-token: a Sentry auth token (an internal integration or personal token) that is still valid.';
  if (status === 403 && action === SESSIONS_ACTION)
    return 'The Sentry token lacks a scope: org:read to read release health (the sessions API).';
  if (status === 403)
    return 'The Sentry token lacks a scope: project:releases to create releases and deploys, event:read to read issues.';
  if (status === 404)
    return 'Check sentry-org, sentry-project and sentry-url: Sentry knows no such organization, project or release there.';
  return undefined;
}

/** The `rel="next"` cursor of a Sentry Link header when that page has results; undefined at the end. */
export function nextCursor(link: string | null): string | undefined {
  if (!link) return undefined;
  for (const part of link.split(/,(?=\s*<)/)) {
    const params = new Map<string, string>();
    for (const m of part.matchAll(/;\s*([a-z]+)="([^"]*)"/g)) params.set(m[1] as string, m[2] as string);
    if (params.get('rel') === 'next') return params.get('results') === 'true' ? params.get('cursor') : undefined;
  }
  return undefined;
}

const SESSIONS_ACTION = 'read sessions';

/** The sessions API's answer (only what is read of it). */
interface SessionsAnswer {
  start?: unknown;
  end?: unknown;
  groups?: { totals?: Record<string, unknown> }[];
}

/**
 * How long Sentry asked not to be called again, from an answer's rate-limit headers
 * (https://docs.sentry.io/api/ratelimits/): a 429's Retry-After, else X-Sentry-Rate-Limit-Reset (UTC epoch seconds,
 * read against the answer's own Date) when the 429 has none or X-Sentry-Rate-Limit-Remaining says none is left.
 * Undefined when Sentry set no limit.
 */
function rateLimitWait(response: Response, answeredAtMs: number): number | undefined {
  const reset = Number(response.headers.get('x-sentry-rate-limit-reset') ?? Number.NaN);
  const untilReset = Number.isFinite(reset) ? Math.max(0, reset * 1000 - answeredAtMs) : undefined;
  if (response.status === 429)
    return parseRetryAfter(response.headers.get('retry-after'), answeredAtMs) ?? untilReset ?? 0;
  return response.headers.get('x-sentry-rate-limit-remaining')?.trim() === '0' ? untilReset : undefined;
}

/** A value for Sentry's search syntax: quoted, with `"` and `\` escaped. */
const searchValue = (value: string) => `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;

/** The search for "issues this release brought to this environment since then", in Sentry's syntax. */
export function newIssuesQuery(release: string, environment: string, since: Date): string {
  return [
    'is:unresolved',
    `firstRelease:${searchValue(release)}`,
    `environment:${searchValue(environment)}`,
    `firstSeen:>=${since.toISOString()}`,
  ].join(' ');
}

/**
 * Percent-encoding as sentry-cli does it (src/api/encoding.rs): controls, non-ASCII bytes and the given characters.
 * Its query set leaves `&` and `%` as they are, which would cut or garble a value holding them; ours adds both.
 */
function percentEncode(value: string, set: string): string {
  let out = '';
  for (const byte of Buffer.from(value, 'utf8')) {
    const char = String.fromCharCode(byte);
    out +=
      byte < 0x20 || byte >= 0x7f || set.includes(char) ? `%${byte.toString(16).toUpperCase().padStart(2, '0')}` : char;
  }
  return out;
}
const QUERY_SET = ' "#<>+&%';
/** A query value (QueryArg). */
const q = (value: string) => percentEncode(value, QUERY_SET);
/** A path segment (PathArg): the query set and `` ` ? { } / ``. */
const seg = (value: string) => percentEncode(value, `${QUERY_SET}\`?{}/`);

/** The Sentry API, for one organization and project. */
export class SentryClient {
  readonly config: SentryConfig;
  private readonly base: string;
  /** Sentry's clock as its last answer's Date header gave it, against ours (monotonic) at that moment. */
  private serverClock?: { serverMs: number; monotonicMs: number };
  /** Per call (Sentry limits each endpoint on its own): the monotonic time before which Sentry asked not to be called again. */
  private readonly notBefore = new Map<string, number>();
  /** This project's id, read once from a release (releaseHealth). */
  private projectId?: string;

  constructor(config: SentryConfig) {
    this.config = config;
    this.base = `${config.url.replace(/\/+$/, '')}/api/0`;
  }

  private async call<T>(
    method: string,
    path: string,
    action: string,
    body?: unknown,
    idempotent?: boolean,
    signal?: AbortSignal,
  ): Promise<{ data: T; link: string | null }> {
    let link: string | null = null;
    const { data } = await requestJson<T>(
      `${this.base}${path}`,
      {
        label: `Sentry ${action}`,
        method,
        headers: {
          authorization: `Bearer ${this.config.token}`,
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        idempotent,
        signal,
        deadline: this.config.deadline,
        timeoutMs: this.config.timeoutMs,
        retry: this.config.retry,
        sleep: this.config.sleep,
        fetch: async (input, init) => {
          const response = await (this.config.fetch ?? proxiedFetch)(input, init);
          link = response.headers.get('link');
          const date = Date.parse(response.headers.get('date') ?? '');
          if (Number.isFinite(date)) this.serverClock = { serverMs: date, monotonicMs: performance.now() };
          const waitMs = rateLimitWait(response, Number.isFinite(date) ? date : Date.now());
          if (waitMs !== undefined) this.notBefore.set(action, performance.now() + waitMs);
          else this.notBefore.delete(action);
          return response;
        },
      },
      { provider: PROVIDER, action, errorMessage: sentryReason, hint: (status) => sentryHint(status, action) },
    );
    return { data, link };
  }

  private get org(): string {
    return seg(this.config.org);
  }

  /**
   * Creates the release for these projects (`sentry-cli releases new`): Sentry answers 208 with the release when it
   * exists, adding the projects, so sending it again is safe.
   */
  async createRelease(
    version: string,
    projects: string[] = [this.config.project],
    dateStarted = new Date(),
  ): Promise<SentryRelease> {
    const { data } = await this.call<SentryRelease>(
      'POST',
      `/organizations/${this.org}/releases/`,
      'create release',
      { version, projects, dateStarted: dateStarted.toISOString() },
      true,
    );
    return data;
  }

  /** The organization's repositories, every page (what `sentry-cli releases set-commits` reads first). */
  async repositories(): Promise<string[]> {
    const names: string[] = [];
    let cursor = '';
    for (let pages = 0; pages < MAX_PAGES; pages++) {
      const { data, link } = await this.call<{ name: string }[]>(
        'GET',
        `/organizations/${this.org}/repos/?cursor=${q(cursor)}`,
        'list repositories',
      );
      appendAll(
        names,
        data.map((r) => r.name),
      );
      const next = nextCursor(link);
      if (!next) break;
      cursor = next;
    }
    return names;
  }

  /** Associates the head commits (`sentry-cli releases set-commits --commit repo@sha`): Sentry fetches the rest. */
  async setCommits(version: string, refs: SentryRef[]): Promise<SentryRelease> {
    const body = {
      refs: refs.map((r) => ({ repository: r.repository, commit: r.commit, previousCommit: r.previousCommit ?? null })),
    };
    const { data } = await this.call<SentryRelease>(
      'PUT',
      `/organizations/${this.org}/releases/${seg(version)}/`,
      'set commits',
      body,
    );
    return data;
  }

  /** Marks the release released (`sentry-cli releases finalize`). */
  async finalizeRelease(
    version: string,
    dateReleased: Date,
    projects: string[] = [this.config.project],
  ): Promise<SentryRelease> {
    const { data } = await this.call<SentryRelease>(
      'PUT',
      `/organizations/${this.org}/releases/${seg(version)}/`,
      'finalize release',
      { projects, dateReleased: dateReleased.toISOString() },
    );
    return data;
  }

  /** The release, or undefined when Sentry has none by that version (`sentry-cli releases info`). */
  async release(version: string): Promise<SentryRelease | undefined> {
    try {
      return (
        await this.call<SentryRelease>('GET', `/organizations/${this.org}/releases/${seg(version)}/`, 'read release')
      ).data;
    } catch (error) {
      if (error instanceof ProviderError && error.status === 404) return undefined;
      throw error;
    }
  }

  /**
   * Sentry's time now, from the Date header of its last answer (read afresh with `readClock`), carried forward on
   * our monotonic clock; undefined before any answer had one. The header counts whole seconds, cut down: the time
   * given is never later than Sentry's, by under a second plus the answer's way back.
   */
  serverNow(): Date | undefined {
    return this.serverClock && new Date(this.serverClock.serverMs + (performance.now() - this.serverClock.monotonicMs));
  }

  /** Asks Sentry for its clock: a read of the release (answered 200, or 404 before it exists, both with a Date). */
  async readClock(release: string, signal?: AbortSignal): Promise<Date | undefined> {
    try {
      await this.call(
        'GET',
        `/organizations/${this.org}/releases/${seg(release)}/`,
        'read release',
        undefined,
        undefined,
        signal,
      );
    } catch (error) {
      if (!(error instanceof ProviderError && error.status === 404)) throw error;
    }
    return this.serverNow();
  }

  /**
   * The release's health in the environment over the last `statsPeriod` (Sentry's period syntax, e.g. `600s`, on
   * Sentry's own clock): GET /organizations/{org}/sessions/ with the HEALTH_FIELDS, filtered by project, environment
   * and `release:"…"`. Sentry counts whole intervals (an hour, its smallest for most organizations): the range starts
   * at the top of the hour the period began in. The project is given by its id, which Sentry reads as the
   * `project` parameter everywhere: it comes from the release (GET …/releases/{version}/, read once), which also
   * tells a release Sentry does not know. No call is sent while Sentry's rate limit for it lasts (rateLimitWait):
   * that is thrown, as every other reason for no reading.
   */
  async releaseHealth(
    release: string,
    environment: string,
    statsPeriod: string,
    signal?: AbortSignal,
  ): Promise<ReleaseHealth> {
    const waitMs = (this.notBefore.get(SESSIONS_ACTION) ?? 0) - performance.now();
    if (waitMs > 0)
      throw new ProviderError(
        PROVIDER,
        `rate limited: Sentry asked for no call before ${Math.ceil(waitMs / 1000)}s from now (Retry-After), so none was sent`,
        { action: SESSIONS_ACTION, status: 429 },
      );
    this.projectId ??= await this.projectIdOf(release, signal);
    const params = new URLSearchParams();
    params.append('project', this.projectId);
    params.append('environment', environment);
    for (const field of HEALTH_FIELDS) params.append('field', field);
    params.set('query', `release:${searchValue(release)}`);
    params.set('statsPeriod', statsPeriod);
    params.set('interval', '1h');
    let data: SessionsAnswer;
    try {
      ({ data } = await this.call<SessionsAnswer>(
        'GET',
        `/organizations/${this.org}/sessions/?${params}`,
        SESSIONS_ACTION,
        undefined,
        undefined,
        signal,
      ));
    } catch (error) {
      // Sentry answers 404 for an environment it has never seen (no deploy, no event there yet): not a wrong org.
      if (error instanceof ProviderError && error.status === 404)
        throw new ProviderError(
          PROVIDER,
          `Sentry knows no environment '${environment}' in ${this.config.org} (no deploy or event there yet: check sentry-environment)`,
          { action: SESSIONS_ACTION, status: 404 },
        );
      throw error;
    }
    if (!data || !Array.isArray(data.groups) || typeof data.start !== 'string' || typeof data.end !== 'string')
      throw new ProviderError(PROVIDER, 'malformed answer to read sessions (no groups, start and end)', {
        action: SESSIONS_ACTION,
      });
    // No groupBy: one group (or none, when nothing matched), whose totals are the whole range's.
    const totals = data.groups[0]?.totals ?? {};
    const number = (key: (typeof HEALTH_FIELDS)[number]) => {
      const value = totals[key];
      return typeof value === 'number' && Number.isFinite(value) ? value : null;
    };
    return {
      start: data.start,
      end: data.end,
      sessions: number('sum(session)') ?? 0,
      users: number('count_unique(user)') ?? 0,
      crashFreeSessions: number('crash_free_rate(session)'),
      crashFreeUsers: number('crash_free_rate(user)'),
    };
  }

  /** The id of this client's project, from the release's projects; thrown when Sentry has no such release there. */
  private async projectIdOf(release: string, signal?: AbortSignal): Promise<string> {
    let found: SentryRelease | undefined;
    try {
      found = (
        await this.call<SentryRelease>(
          'GET',
          `/organizations/${this.org}/releases/${seg(release)}/`,
          'read release',
          undefined,
          undefined,
          signal,
        )
      ).data;
    } catch (error) {
      if (!(error instanceof ProviderError && error.status === 404)) throw error;
    }
    if (!found)
      throw new ProviderError(
        PROVIDER,
        `Sentry has no release '${release}' in ${this.config.org} (deploy creates it with the sentry-* inputs; else check sentry-release)`,
        { action: 'read release' },
      );
    const project = found.projects?.find((p) => p.slug === this.config.project);
    if (project === undefined || !/^\d+$/.test(String(project.id)))
      throw new ProviderError(
        PROVIDER,
        `release '${release}' is not a release of project '${this.config.project}' in Sentry (its projects: ${(found.projects ?? []).map((p) => p.slug).join(', ') || 'none'})`,
        { action: 'read release' },
      );
    return String(project.id);
  }

  async deploys(
    version: string,
  ): Promise<(SentryDeploy & { id: string; dateStarted: string | null; dateFinished: string })[]> {
    return (
      await this.call<never[]>('GET', `/organizations/${this.org}/releases/${seg(version)}/deploys/`, 'list deploys')
    ).data;
  }

  /**
   * Records a deploy of the release (`sentry-cli deploys new -e ENV --started --finished`). Not retried once it may
   * have reached Sentry (a POST): when its answer was lost, the deploys are read back, and it is sent again only if
   * it is not among them, so a lost answer never makes a second deploy.
   */
  async createDeploy(version: string, deploy: SentryDeploy): Promise<{ id: string }> {
    const body = {
      environment: deploy.environment,
      name: deploy.name ?? null,
      url: deploy.url ?? null,
      dateStarted: deploy.dateStarted?.toISOString() ?? null,
      dateFinished: deploy.dateFinished.toISOString(),
    };
    const path = `/organizations/${this.org}/releases/${seg(version)}/deploys/`;
    try {
      return (await this.call<{ id: string }>('POST', path, 'create deploy', body)).data;
    } catch (error) {
      if (!(error instanceof NetworkError)) throw error;
      const landed = (await this.deploys(version)).find(
        (d) =>
          d.environment === body.environment &&
          d.dateFinished &&
          Date.parse(d.dateFinished) === Date.parse(body.dateFinished),
      );
      if (landed) return { id: landed.id };
      // Sent again only when the connection failed or was closed and the read-back found nothing; after a timeout
      // Sentry may still be making it, and a second POST would record the deploy twice.
      if (error.kind === 'timeout') throw error;
      return (await this.call<{ id: string }>('POST', path, 'create deploy', body)).data;
    }
  }

  /**
   * The unresolved issues first seen in this release, in this environment, since `since` (the request
   * `sentry-cli issues list --query …` sends, every page up to a limit).
   */
  async newIssuesFor(release: string, environment: string, since: Date, signal?: AbortSignal): Promise<NewIssues> {
    const query = newIssuesQuery(release, environment, since);
    const issues: SentryIssue[] = [];
    let cursor = '';
    for (let pages = 0; ; pages++) {
      const path = `/projects/${this.org}/${seg(this.config.project)}/issues/?query=${q(query)}&cursor=${q(cursor)}`;
      const { data, link } = await this.call<
        { shortId: string; title: string; permalink: string; count: string | number }[]
      >('GET', path, 'list issues', undefined, undefined, signal);
      if (!Array.isArray(data))
        throw new ProviderError(PROVIDER, 'the issues answer is not a list', { action: 'list issues' });
      appendAll(
        issues,
        data.map((i) => ({
          shortId: String(i.shortId),
          title: String(i.title),
          permalink: String(i.permalink),
          count: Number(i.count),
        })),
      );
      const next = nextCursor(link);
      if (!next) return { count: issues.length, issues, truncated: false };
      if (pages + 1 >= MAX_PAGES) return { count: issues.length, issues, truncated: true };
      cursor = next;
    }
  }
}

/** What a bake-window gate answers on one tick (smoke-test's GateReading). */
interface GateResult {
  /** false: the window fails now. */
  ok: boolean;
  measurement: string;
  detail?: string;
}

/** A bake-window gate (smoke-test's WindowGate, actions/smoke-test/src/window-gates.ts). */
export interface SentryGate {
  name: string;
  check(signal: AbortSignal): Promise<GateResult>;
}

/**
 * The bake-window gate `sentry-max-new-issues`: fails when Sentry reports more new issues for the release in the
 * environment since the window began than allowed. When Sentry cannot be read (down, rate limited past the tick,
 * a token refused) the check throws with Sentry's reason: the window counts that tick as unmeasured (a warning),
 * and fails only if the gate could be read on no tick at all (WindowGate's contract).
 *
 * "Since the window began" is on Sentry's clock, which stamps each issue's firstSeen: a runner clock an hour
 * ahead would hide every new issue, one an hour behind would count the hour before the window. `windowStart` is
 * the runner's instant the window began; the gate keeps only how long before now that was (on the monotonic
 * clock), and on its first check takes Sentry's time from the Date header of Sentry's answer and counts back. A
 * Sentry answer without a Date header leaves the runner's clock as the only one.
 */
export function sentryNewIssuesGate(
  client: SentryClient,
  release: string,
  environment: string,
  windowStart: Date,
  maxNewIssues: number,
): SentryGate {
  const createdAt = performance.now();
  const startOffsetMs = windowStart.getTime() - Date.now();
  let since: Date | undefined;
  return {
    name: 'sentry new issues',
    async check(signal) {
      if (!since) {
        const sentryNow = client.serverNow() ?? (await client.readClock(release, signal));
        const elapsedMs = performance.now() - createdAt - startOffsetMs;
        since = sentryNow ? new Date(sentryNow.getTime() - elapsedMs) : windowStart;
      }
      const found = await client.newIssuesFor(release, environment, since, signal);
      const count = `${found.count}${found.truncated ? '+' : ''}`;
      const listed = found.issues
        .slice(0, 5)
        .map((i) => `${i.shortId} ${i.title} (${i.count} event${i.count === 1 ? '' : 's'}) ${i.permalink}`)
        .join('; ');
      return {
        ok: found.count <= maxNewIssues,
        measurement: `${count} new issue${found.count === 1 ? '' : 's'} in ${release} (max ${maxNewIssues})`,
        detail: listed
          ? `${listed}${found.issues.length > 5 ? `; and ${found.issues.length - 5} more` : ''}`
          : undefined,
      };
    },
  };
}
