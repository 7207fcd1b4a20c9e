// Release health in the loopback Sentry (sentry.ts): GET /api/0/organizations/{org}/sessions/ as Sentry documents
// it (docs.sentry.io/api/releases/retrieve-release-health-session-statistics/; the OpenAPI description in
// getsentry/sentry-api-schema, operation getOrganizationSessions, judges the answers in
// test/conformance-sentry-sessions.test.ts), over sessions a test records per release.
//
// What Sentry does, and this does:
// - `field` (required, repeated): sum(session), count_unique(user), crash_rate and crash_free_rate of session or
//   user, and the session.duration fields (no longer recorded by Sentry: null). Another field is a 400
//   `Invalid field: "…"`, none at all `Request is missing a "field"`;
// - `project`: ids (numbers; a slug is a 400 "Invalid project parameter. Values must be numbers."), -1 for all;
//   one the caller cannot see is a 403; `environment`: names, one Sentry has never seen is a 404;
// - `statsPeriod`, else `start` and `end` (default 90 days); `interval` (default 1h) a multiple of one hour that
//   divides a day. The range is widened to whole intervals: its start floored to an interval, its end the end of
//   the interval it falls in (src/sentry/snuba/metrics/utils.py, to_intervals). At most 1000 intervals;
// - `query`: `release:` and `environment:` terms (the ones release health is filtered by);
// - the answer: { start, end, intervals, groups: [{ by, totals, series }], query }, one group (by {}) when not
//   grouped, rates null where nothing was counted;
// - the rate limit of the endpoint, when the test sets one: X-Sentry-Rate-Limit-Limit, -Remaining and -Reset on
//   every answer, and a 429 with Retry-After past the limit (docs.sentry.io/api/ratelimits/).
// Not done, and said in the 400 rather than matched wrongly: groupBy, orderBy, other search keys.
import { randomBytes } from 'node:crypto';
import { parseSearch } from './sentry.js';

export interface RecordSessions {
  healthy?: number;
  /** Sessions with a handled error: not crashed. */
  errored?: number;
  crashed?: number;
  abnormal?: number;
  /** The distinct users the sessions came from (default: one per session). */
  users?: string[];
  /** Those of `users` who had a crashed session (default: one per crashed session). */
  crashedUsers?: string[];
  environment?: string;
  project?: string;
  /** When the sessions started (default: the fake's clock now). */
  at?: Date;
}

export interface FakeSessionBatch {
  release: string;
  environment: string;
  project: string;
  startedMs: number;
  total: number;
  crashed: number;
  users: string[];
  crashedUsers: string[];
}

export interface SessionsRateLimit {
  /** Requests allowed per window, per caller. */
  limit: number;
  windowMs: number;
}

interface Limiter extends SessionsRateLimit {
  windowStart: number;
  used: number;
}

export const rateLimiter = (config: SessionsRateLimit): Limiter => ({ ...config, windowStart: 0, used: 0 });

const HOUR_S = 3600;
const DAY_S = 86_400;
const MAX_POINTS = 1000;

const FIELDS = new Set([
  'sum(session)',
  'count_unique(user)',
  'crash_rate(session)',
  'crash_rate(user)',
  'crash_free_rate(session)',
  'crash_free_rate(user)',
  'avg(session.duration)',
  'p50(session.duration)',
  'p75(session.duration)',
  'p90(session.duration)',
  'p95(session.duration)',
  'p99(session.duration)',
  'max(session.duration)',
]);
const GROUP_BYS = new Set(['project', 'environment', 'release', 'session.status']);

export function sessionBatch(
  release: string,
  recorded: RecordSessions,
  defaults: { project: string; clock: () => number },
): FakeSessionBatch {
  const crashed = recorded.crashed ?? 0;
  const total = (recorded.healthy ?? 0) + (recorded.errored ?? 0) + crashed + (recorded.abnormal ?? 0);
  const id = () => randomBytes(6).toString('hex');
  const crashedUsers = recorded.crashedUsers ?? Array.from({ length: crashed }, id);
  const users = recorded.users ?? [
    ...crashedUsers,
    ...Array.from({ length: Math.max(0, total - crashedUsers.length) }, id),
  ];
  return {
    release,
    environment: recorded.environment ?? 'production',
    project: recorded.project ?? defaults.project,
    startedMs: recorded.at?.getTime() ?? defaults.clock(),
    total,
    crashed,
    users,
    crashedUsers,
  };
}

/** Sentry's period syntax (sentry.utils.dates.parse_stats_period): a number and s, m, h, d or w (none: seconds). */
function periodSeconds(text: string): number | undefined {
  const m = /^(\d+)([smhdw]?)$/.exec(text);
  if (!m) return undefined;
  const unit = { '': 1, s: 1, m: 60, h: HOUR_S, d: DAY_S, w: 7 * DAY_S }[m[2] as string] as number;
  return Number(m[1]) * unit;
}

const isoZ = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** The totals (or one interval's values) of the fields over these sessions. */
function values(fields: string[], batches: readonly FakeSessionBatch[]): Record<string, number | null> {
  const total = batches.reduce((n, b) => n + b.total, 0);
  const crashed = batches.reduce((n, b) => n + b.crashed, 0);
  const users = new Set(batches.flatMap((b) => b.users)).size;
  const crashedUsers = new Set(batches.flatMap((b) => b.crashedUsers)).size;
  const rate = (part: number, of: number) => (of === 0 ? null : part / of);
  const all: Record<string, number | null> = {
    'sum(session)': total,
    'count_unique(user)': users,
    'crash_rate(session)': rate(crashed, total),
    'crash_rate(user)': rate(crashedUsers, users),
    'crash_free_rate(session)': total === 0 ? null : 1 - crashed / total,
    'crash_free_rate(user)': users === 0 ? null : 1 - crashedUsers / users,
  };
  return Object.fromEntries(fields.map((f) => [f, all[f] ?? null]));
}

export interface SessionsRequest {
  query: URLSearchParams;
  /** The fake's clock, ms. */
  now: number;
  /** Slug → id of the organization's projects. */
  projectIds: ReadonlyMap<string, string>;
  /** The environments Sentry has seen (deploys, events, sessions). */
  environments: ReadonlySet<string>;
  batches: readonly FakeSessionBatch[];
  rateLimit?: Limiter;
}

export function sessionsAnswer(request: SessionsRequest): {
  status: number;
  body: unknown;
  headers: Record<string, string>;
} {
  const headers: Record<string, string> = {};
  const limit = request.rateLimit;
  if (limit) {
    if (request.now - limit.windowStart >= limit.windowMs) {
      limit.windowStart = request.now;
      limit.used = 0;
    }
    const resetMs = limit.windowStart + limit.windowMs;
    headers['x-sentry-rate-limit-limit'] = String(limit.limit);
    headers['x-sentry-rate-limit-reset'] = String(Math.ceil(resetMs / 1000));
    if (limit.used >= limit.limit) {
      headers['x-sentry-rate-limit-remaining'] = '0';
      headers['retry-after'] = String(Math.max(1, Math.ceil((resetMs - request.now) / 1000)));
      return {
        status: 429,
        body: {
          detail: `You are attempting to use this endpoint too frequently. Limit is ${limit.limit} requests in ${limit.windowMs / 1000} seconds`,
        },
        headers,
      };
    }
    limit.used++;
    headers['x-sentry-rate-limit-remaining'] = String(limit.limit - limit.used);
  }
  const bad = (status: number, detail: string) => ({ status, body: { detail }, headers });
  const q = request.query;

  const fields = q.getAll('field');
  if (fields.length === 0) return bad(400, 'Request is missing a "field"');
  const unknownField = fields.find((f) => !FIELDS.has(f));
  if (unknownField !== undefined) return bad(400, `Invalid field: "${unknownField}"`);
  const groupBy = q.getAll('groupBy');
  const unknownGroup = groupBy.find((g) => !GROUP_BYS.has(g));
  if (unknownGroup !== undefined) return bad(400, `Invalid groupBy: "${unknownGroup}"`);
  if (groupBy.length > 0) return bad(400, 'The fake Sentry does not group sessions (groupBy)');
  if (q.has('orderBy')) return bad(400, 'The fake Sentry does not order sessions (orderBy)');

  const interval = periodSeconds(q.get('interval') ?? '1h');
  if (interval === undefined || interval % HOUR_S !== 0 || interval < HOUR_S)
    return bad(400, 'The interval has to be a multiple of the minimum interval of one hour.');
  if (interval > DAY_S) return bad(400, 'The interval has to be less than one day.');
  if (DAY_S % interval !== 0) return bad(400, 'The interval should divide one day without a remainder.');

  let startMs: number;
  let endMs = request.now;
  const statsPeriod = q.get('statsPeriod');
  if (statsPeriod) {
    const seconds = periodSeconds(statsPeriod);
    if (seconds === undefined) return bad(400, `Invalid statsPeriod: ${statsPeriod}`);
    startMs = request.now - seconds * 1000;
  } else if (q.get('start') || q.get('end')) {
    startMs = Date.parse(q.get('start') ?? '');
    endMs = Date.parse(q.get('end') ?? '');
    if (Number.isNaN(startMs) || Number.isNaN(endMs)) return bad(400, 'start and end are both required');
    if (startMs > endMs) return bad(400, 'start must be before end');
  } else startMs = request.now - 90 * DAY_S * 1000;
  startMs = Math.min(startMs, request.now);
  const intervalMs = interval * 1000;
  const alignedStart = Math.floor(startMs / intervalMs) * intervalMs;
  const count = Math.max(1, Math.ceil((endMs - alignedStart) / intervalMs));
  if (count > MAX_POINTS)
    return bad(
      400,
      'Your interval and date range would create too many results. Use a larger interval, or a smaller date range.',
    );
  const alignedEnd = alignedStart + count * intervalMs;

  const projectParams = q.getAll('project');
  if (projectParams.some((p) => !/^-?\d+$/.test(p)))
    return bad(400, 'Invalid project parameter. Values must be numbers.');
  const ids = new Set([...request.projectIds.values()]);
  const wanted = projectParams.filter((p) => p !== '-1');
  if (wanted.some((p) => !ids.has(p))) return bad(403, 'You do not have permission to perform this action.');
  const slugs = new Set(
    [...request.projectIds].filter(([, id]) => wanted.length === 0 || wanted.includes(id)).map(([slug]) => slug),
  );
  const environments = q.getAll('environment');
  if (environments.some((e) => !request.environments.has(e))) return bad(404, 'The requested resource does not exist');

  const query = q.get('query') ?? '';
  const terms = parseSearch(query);
  if (typeof terms === 'string') return bad(400, terms);
  const unsupported = terms.find((t) => t.key !== 'release' && t.key !== 'environment');
  if (unsupported)
    return bad(
      400,
      unsupported.key === undefined
        ? `The fake Sentry does not search sessions by free text ("${unsupported.value}")`
        : `The fake Sentry does not filter sessions by "${unsupported.key}"`,
    );

  const matching = request.batches.filter(
    (b) =>
      slugs.has(b.project) &&
      (environments.length === 0 || environments.includes(b.environment)) &&
      terms.every((t) => ((t.key === 'release' ? b.release : b.environment) === t.value) !== t.negated) &&
      b.startedMs >= alignedStart &&
      b.startedMs < alignedEnd,
  );
  const intervals = Array.from({ length: count }, (_, i) => alignedStart + i * intervalMs);
  const series = Object.fromEntries(
    fields.map((f) => [
      f,
      intervals.map(
        (at) =>
          values(
            [f],
            matching.filter((b) => b.startedMs >= at && b.startedMs < at + intervalMs),
          )[f] ?? null,
      ),
    ]),
  );
  return {
    status: 200,
    body: {
      start: isoZ(alignedStart),
      end: isoZ(alignedEnd),
      intervals: intervals.map(isoZ),
      groups: [{ by: {}, totals: values(fields, matching), series }],
      query,
    },
    headers,
  };
}
