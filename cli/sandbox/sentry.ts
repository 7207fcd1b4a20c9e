// A loopback Sentry following the documented web API (/api/0/…) and what the official `sentry-cli` sends to it
// (test/conformance-sentry.test.ts runs the CLI against this fake):
// - every request needs `Authorization: Bearer <token>`: 401 with Sentry's `detail` otherwise;
// - releases are per organization: POST /organizations/{org}/releases/ creates one for its projects (201), or
//   answers 208 with the existing one, adding the projects named (what `releases new` and `set-commits` rely on);
//   PUT /organizations/{org}/releases/{version}/ takes `refs` (head commits, checked against the organization's
//   repositories), `dateReleased` (finalize), `url`; GET reads one back (404 when unknown);
// - the commits of a ref are not there at once: Sentry fetches them from the repository's integration in the
//   background, so a release's `commitCount` and its commits list fill in `commitsMs` after the refs were set;
// - deploys: POST/GET /organizations/{org}/releases/{version}/deploys/ with environment, dateStarted, dateFinished;
// - issues: GET /projects/{org}/{project}/issues/?query=… with the part of Sentry's search syntax shipline and
//   `sentry-cli issues list` use (is:, firstRelease:, release:, environment:, firstSeen: with >, >=, <, <=, and
//   free text), paginated 100 at a time with a Link header whose `results="true|false"` says if a page follows.
//   An issue raised through `raiseIssue` is searchable only once Sentry has ingested it (`ingestMs` later).
// - release health: GET /organizations/{org}/sessions/ (sentry-sessions.ts) over the sessions a test
//   records with `recordSessions`.
// Faults (429 with Retry-After, 5xx, resets, hangs, malformed bodies) are injected through `server.inject`.
import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { type FakeServer, type RecordedRequest, sendJson, startFakeServer } from './server.js';
import {
  type FakeSessionBatch,
  rateLimiter,
  type RecordSessions,
  sessionBatch,
  type SessionsRateLimit,
  sessionsAnswer,
} from './sentry-sessions.js';

export interface FakeSentryRef {
  repository: string;
  commit: string;
  previousCommit: string | null;
}

export interface FakeSentryRelease {
  version: string;
  projects: Set<string>;
  url: string | null;
  dateCreated: string;
  dateStarted: string | null;
  dateReleased: string | null;
  refs: FakeSentryRef[];
  /** When the refs were set: their commits are fetched `commitsMs` later. */
  refsAt?: number;
}

export interface FakeSentryDeploy {
  id: string;
  release: string;
  environment: string;
  name: string | null;
  url: string | null;
  dateStarted: string | null;
  dateFinished: string;
  projects: string[];
}

export interface FakeSentryIssue {
  id: string;
  shortId: string;
  title: string;
  culprit: string;
  level: string;
  status: 'unresolved' | 'resolved' | 'ignored';
  project: string;
  firstRelease: string;
  environment: string;
  count: number;
  userCount: number;
  firstSeen: string;
  lastSeen: string;
  /** When Sentry has ingested it (ms since the epoch): not searchable before. */
  visibleAt: number;
}

export interface RaiseIssue {
  title?: string;
  culprit?: string;
  environment?: string;
  level?: string;
  /** Events in the issue. */
  count?: number;
  userCount?: number;
  project?: string;
  status?: FakeSentryIssue['status'];
  /** When it was first seen (default: now). */
  firstSeen?: Date;
}

export interface FakeSentry {
  server: FakeServer;
  /** What SENTRY_URL is set to (the API lives under /api/0/). */
  url: string;
  token: string;
  org: string;
  project: string;
  /** Repositories connected to the organization (owner/name, as the GitHub integration names them). */
  repositories: string[];
  releases: Map<string, FakeSentryRelease>;
  deploys: FakeSentryDeploy[];
  issues: FakeSentryIssue[];
  raiseIssue(release: string, issue?: RaiseIssue): FakeSentryIssue;
  /** Release health: sessions of a release, as the SDKs report them (sentry-sessions.ts). */
  sessions: FakeSessionBatch[];
  recordSessions(release: string, sessions: RecordSessions): FakeSessionBatch;
  close(): Promise<void>;
}

export interface FakeSentryOptions {
  org?: string;
  project?: string;
  /** More projects of the organization (a release may span several). */
  otherProjects?: string[];
  repositories?: string[];
  token?: string;
  /** How long a raised issue takes to be searchable. */
  ingestMs?: number;
  /** How long Sentry takes to fetch the commits of a release's refs. */
  commitsMs?: number;
  /** Items per page of the lists (Sentry's is 100). */
  pageSize?: number;
  /** The clock Sentry's background work (ingestion, fetching commits) runs on, in ms; the wall clock unless given.
   * A test that moves its own clock past `ingestMs` sees the issue ingested without waiting for it. */
  clock?: () => number;
  /** Sentry's per-caller limit on the sessions endpoint (unset: none), counted on `clock`. */
  sessionsRateLimit?: SessionsRateLimit;
}

/** Sentry refuses these release names (src/sentry/models/release.py: validate_release_version). */
function versionProblem(version: unknown): string | undefined {
  if (typeof version !== 'string' || version === '') return 'This field is required.';
  if (version.length > 200) return 'Ensure this field has no more than 200 characters.';
  if (
    /[\n\t\f\r\v\\/]/.test(version) ||
    ['.', '..', ' ', 'latest'].includes(version.trim()) ||
    version !== version.trim()
  )
    return `Release with name ${version} is not allowed`;
  return undefined;
}

/** Sentry's environment names: no slashes or new lines, at most 64 characters. */
function environmentProblem(environment: unknown): string | undefined {
  if (typeof environment !== 'string' || environment === '') return 'This field is required.';
  if (environment.length > 64 || /[\n\r\f/]/.test(environment) || environment === '.' || environment === '..')
    return 'Invalid value for environment';
  return undefined;
}

const isoOrNull = (value: unknown): string | null | 'invalid' => {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) return 'invalid';
  return new Date(Date.parse(value)).toISOString();
};

/** Search terms, split on spaces outside quotes: `key:value`, `key:"quoted value"`, `!key:value`, free text. */
export interface SearchTerm {
  key?: string;
  value: string;
  negated: boolean;
}

export function parseSearch(query: string): SearchTerm[] | string {
  const tokens: SearchTerm[] = [];
  const pattern = /(!?)(?:([A-Za-z_.-]+):)?(?:"((?:[^"\\]|\\.)*)"|(\S+))/g;
  for (const match of query.matchAll(pattern)) {
    const value = match[3] !== undefined ? match[3].replace(/\\(.)/g, '$1') : (match[4] ?? '');
    if (match[2] && value === '') return `Empty string after '${match[2]}:'`;
    tokens.push({ key: match[2], value, negated: match[1] === '!' });
  }
  return tokens;
}

const DATE_OPERATOR = /^(>=|<=|>|<)?(.+)$/;

export async function startFakeSentry(options: FakeSentryOptions = {}): Promise<FakeSentry> {
  const token = options.token ?? `sntryu_${randomBytes(32).toString('hex')}`;
  const org = options.org ?? 'acme';
  const project = options.project ?? 'web';
  const projects = [project, ...(options.otherProjects ?? [])];
  const projectIds = new Map(projects.map((slug, i) => [slug, String(4500000 + i)]));
  const repositories = options.repositories ?? ['acme/web'];
  const ingestMs = options.ingestMs ?? 200;
  const commitsMs = options.commitsMs ?? 200;
  const pageSize = options.pageSize ?? 100;
  const clock = options.clock ?? Date.now;
  const releases = new Map<string, FakeSentryRelease>();
  const deploys: FakeSentryDeploy[] = [];
  const issues: FakeSentryIssue[] = [];
  const sessions: FakeSessionBatch[] = [];
  const sessionsLimit = options.sessionsRateLimit && rateLimiter(options.sessionsRateLimit);
  let nextIssue = 1;
  let nextDeploy = 1;

  const detail = (res: ServerResponse, status: number, message: string) => sendJson(res, status, { detail: message });
  const notFound = (res: ServerResponse) => detail(res, 404, 'The requested resource does not exist');

  const commitsFetched = (r: FakeSentryRelease) => r.refsAt !== undefined && clock() - r.refsAt >= commitsMs;
  const commitsOf = (r: FakeSentryRelease) =>
    commitsFetched(r)
      ? r.refs.map((ref) => ({
          id: ref.commit,
          message: `commit ${ref.commit.slice(0, 12)}`,
          dateCreated: r.dateCreated,
          repository: { name: ref.repository },
        }))
      : [];
  const projectJson = (slug: string) => ({
    id: projectIds.get(slug),
    slug,
    name: slug,
    newGroups: issues.filter((i) => i.project === slug).length,
    platform: 'javascript',
    platforms: ['javascript'],
    hasHealthData: false,
  });
  const releaseDeploys = (version: string) => deploys.filter((d) => d.release === version);

  function releaseJson(r: FakeSentryRelease) {
    const commits = commitsOf(r);
    const own = releaseDeploys(r.version);
    const events = issues.filter((i) => i.firstRelease === r.version && i.visibleAt <= clock());
    return {
      id: Number(r.dateCreated.replace(/\D/g, '').slice(-9)),
      version: r.version,
      shortVersion: r.version.length === 40 && /^[0-9a-f]+$/.test(r.version) ? r.version.slice(0, 12) : r.version,
      status: 'open',
      ref: null,
      url: r.url,
      dateCreated: r.dateCreated,
      dateStarted: r.dateStarted,
      dateReleased: r.dateReleased,
      data: {},
      owner: null,
      newGroups: events.length,
      commitCount: commits.length,
      lastCommit: commits.at(-1) ?? null,
      deployCount: own.length,
      lastDeploy: own.at(-1) ? deployJson(own.at(-1) as FakeSentryDeploy) : null,
      authors: [],
      firstEvent: events[0]?.firstSeen ?? null,
      lastEvent: events.at(-1)?.lastSeen ?? null,
      projects: [...r.projects].map(projectJson),
    };
  }

  const deployJson = (d: FakeSentryDeploy) => ({
    id: d.id,
    environment: d.environment,
    name: d.name,
    url: d.url,
    dateStarted: d.dateStarted,
    dateFinished: d.dateFinished,
  });

  function issueJson(i: FakeSentryIssue) {
    return {
      id: i.id,
      shortId: i.shortId,
      title: i.title,
      culprit: i.culprit,
      permalink: `${server.url}/organizations/${org}/issues/${i.id}/`,
      level: i.level,
      status: i.status,
      type: 'error',
      // Sentry answers the event count as a string (it can pass 2^53), the user count as a number.
      count: String(i.count),
      userCount: i.userCount,
      firstSeen: i.firstSeen,
      lastSeen: i.lastSeen,
      project: { id: projectIds.get(i.project), name: i.project, slug: i.project, platform: 'javascript' },
      metadata: { title: i.title },
      isUnhandled: true,
    };
  }

  /** One page of a list and its Link header, with Sentry's cursors (`value:offset:is_prev`). */
  function page<T>(
    req: RecordedRequest,
    items: T[],
    query: URLSearchParams,
  ): { body: T[]; headers: Record<string, string> } | string {
    const limit = query.has('limit') ? Number(query.get('limit')) : pageSize;
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) return 'Invalid per_page value. Cannot exceed 100.';
    const cursor = query.get('cursor') || '0:0:0';
    const parts = /^(\d+):(\d+):([01])$/.exec(cursor);
    if (!parts) return 'Invalid cursor parameter.';
    const offset = Number(parts[2]);
    const base = new URL(req.path, server.url);
    const link = (at: number, rel: string, results: boolean, prev: boolean) => {
      const c = `0:${at}:${prev ? 1 : 0}`;
      base.searchParams.set('cursor', c);
      return `<${base.href}>; rel="${rel}"; results="${results}"; cursor="${c}"`;
    };
    const body = items.slice(offset, offset + limit);
    const headers = {
      link: [
        link(Math.max(0, offset - limit), 'previous', offset > 0, true),
        link(offset + limit, 'next', offset + limit < items.length, false),
      ].join(', '),
    };
    return { body, headers };
  }

  const KEYS = new Set([
    'is',
    'firstRelease',
    'first-release',
    'first_release',
    'release',
    'environment',
    'firstSeen',
    'lastSeen',
  ]);

  /** Why Sentry would refuse a search term (400), or undefined. */
  function termProblem(term: SearchTerm): string | undefined {
    // Sentry takes any tag; this fake knows only the keys above, and says so rather than match nothing.
    if (term.key !== undefined && !KEYS.has(term.key)) return `The fake Sentry does not search by "${term.key}"`;
    if (term.key === 'is' && !['unresolved', 'resolved', 'ignored'].includes(term.value))
      return `Invalid value for "is" search: ${term.value}`;
    if (term.key === 'firstSeen' || term.key === 'lastSeen') {
      const when = (DATE_OPERATOR.exec(term.value) as RegExpExecArray)[2] as string;
      if (
        !/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}:\d{2})?)?$/.test(when) ||
        Number.isNaN(Date.parse(when))
      )
        return `Invalid date: ${when}`;
    }
    return undefined;
  }

  function termMatches(i: FakeSentryIssue, term: SearchTerm): boolean {
    switch (term.key) {
      case undefined:
        return i.title.toLowerCase().includes(term.value.toLowerCase());
      case 'is':
        return i.status === term.value;
      case 'environment':
        return i.environment === term.value;
      case 'firstSeen':
      case 'lastSeen': {
        const [, op, when] = DATE_OPERATOR.exec(term.value) as RegExpExecArray;
        const at = Date.parse(when as string);
        const seen = Date.parse(term.key === 'firstSeen' ? i.firstSeen : i.lastSeen);
        if (op === '>') return seen > at;
        if (op === '>=') return seen >= at;
        if (op === '<') return seen < at;
        if (op === '<=') return seen <= at;
        return new Date(seen).toISOString().slice(0, 10) === (when as string).slice(0, 10);
      }
      default:
        // firstRelease and its spellings; release: (the fake's events all belong to the issue's first release).
        return i.firstRelease === term.value;
    }
  }

  const parse = (body: string): Record<string, unknown> | undefined => {
    try {
      const value = JSON.parse(body || '{}');
      return value && typeof value === 'object' && !Array.isArray(value) ? value : undefined;
    } catch {
      return undefined;
    }
  };

  function createOrUpdate(res: ServerResponse, body: Record<string, unknown>) {
    const problems: Record<string, string[]> = {};
    const version = body.version;
    const vp = versionProblem(version);
    if (vp) problems.version = [vp];
    const named = body.projects;
    if (!Array.isArray(named) || named.length === 0) problems.projects = ['This field is required.'];
    const slugs = Array.isArray(named)
      ? named.map((p) =>
          typeof p === 'number'
            ? [...projectIds].find(([, id]) => id === String(p))?.[0]
            : typeof p === 'string'
              ? projectIds.has(p)
                ? p
                : [...projectIds].find(([, id]) => id === p)?.[0]
              : undefined,
        )
      : [];
    if (!problems.projects && slugs.some((s) => s === undefined)) problems.projects = ['Invalid project ids or slugs'];
    const started = isoOrNull(body.dateStarted);
    const released = isoOrNull(body.dateReleased);
    if (started === 'invalid') problems.dateStarted = ['Datetime has wrong format.'];
    if (released === 'invalid') problems.dateReleased = ['Datetime has wrong format.'];
    if (Object.keys(problems).length > 0) return sendJson(res, 400, problems);
    const existing = releases.get(version as string);
    if (existing) {
      for (const slug of slugs) existing.projects.add(slug as string);
      // Sentry's 208 Already Reported: the release was there; the projects named are added to it.
      return sendJson(res, 208, releaseJson(existing));
    }
    const release: FakeSentryRelease = {
      version: version as string,
      projects: new Set(slugs as string[]),
      url: typeof body.url === 'string' ? body.url : null,
      dateCreated: new Date().toISOString(),
      dateStarted: started as string | null,
      dateReleased: released as string | null,
      refs: [],
    };
    releases.set(release.version, release);
    return sendJson(res, 201, releaseJson(release));
  }

  function updateRelease(res: ServerResponse, release: FakeSentryRelease, body: Record<string, unknown>) {
    if (body.refs !== undefined) {
      if (!Array.isArray(body.refs)) return sendJson(res, 400, { refs: ['Expected a list of items.'] });
      const refs: FakeSentryRef[] = [];
      for (const ref of body.refs as Record<string, unknown>[]) {
        if (typeof ref?.repository !== 'string' || typeof ref.commit !== 'string' || ref.commit === '')
          return sendJson(res, 400, { refs: ['Each ref needs a repository and a commit.'] });
        if (
          ref.commit.length > 64 ||
          (ref.previousCommit !== undefined && ref.previousCommit !== null && typeof ref.previousCommit !== 'string')
        )
          return sendJson(res, 400, { refs: ['Invalid commit.'] });
        refs.push({
          repository: ref.repository,
          commit: ref.commit,
          previousCommit: (ref.previousCommit as string | null | undefined) ?? null,
        });
      }
      const unknown = refs
        .filter((r) => !repositories.some((name) => name.toLowerCase() === r.repository.toLowerCase()))
        .map((r) => r.repository);
      if (unknown.length > 0) return detail(res, 400, `Invalid repository names: ${unknown.join(',')}`);
      release.refs = refs;
      release.refsAt = clock();
    }
    if (body.dateReleased !== undefined) {
      const released = isoOrNull(body.dateReleased);
      if (released === 'invalid') return sendJson(res, 400, { dateReleased: ['Datetime has wrong format.'] });
      release.dateReleased = released;
    }
    if (typeof body.url === 'string') release.url = body.url;
    return sendJson(res, 200, releaseJson(release));
  }

  function createDeploy(res: ServerResponse, release: FakeSentryRelease, body: Record<string, unknown>) {
    const problems: Record<string, string[]> = {};
    const ep = environmentProblem(body.environment);
    if (ep) problems.environment = [ep];
    const started = isoOrNull(body.dateStarted);
    const finished = isoOrNull(body.dateFinished);
    if (started === 'invalid') problems.dateStarted = ['Datetime has wrong format.'];
    if (finished === 'invalid') problems.dateFinished = ['Datetime has wrong format.'];
    if (body.name !== undefined && body.name !== null && typeof body.name !== 'string')
      problems.name = ['Not a valid string.'];
    if (body.url !== undefined && body.url !== null && (typeof body.url !== 'string' || !/^https?:\/\//.test(body.url)))
      problems.url = ['Enter a valid URL.'];
    if (
      body.projects !== undefined &&
      (!Array.isArray(body.projects) || body.projects.some((p) => !projectIds.has(String(p))))
    )
      problems.projects = ['Invalid projects'];
    if (Object.keys(problems).length > 0) return sendJson(res, 400, problems);
    const deploy: FakeSentryDeploy = {
      id: String(nextDeploy++),
      release: release.version,
      environment: body.environment as string,
      name: (body.name as string | null | undefined) ?? null,
      url: (body.url as string | null | undefined) ?? null,
      dateStarted: started as string | null,
      dateFinished: (finished as string | null) ?? new Date().toISOString(),
      projects: (body.projects as string[] | undefined) ?? [...release.projects],
    };
    deploys.push(deploy);
    return sendJson(res, 201, deployJson(deploy));
  }

  const server = await startFakeServer((req, res) => {
    // Sentry's Date and its rate-limit reset come from one clock, and a client reads the reset against the Date.
    res.setHeader('Date', new Date(clock()).toUTCString());
    const url = new URL(req.path, 'http://fake');
    const path = url.pathname;
    if (!path.startsWith('/api/0/')) return notFound(res);
    const auth = req.headers.authorization;
    if (!auth) return detail(res, 401, 'Authentication credentials were not provided.');
    if (auth !== `Bearer ${token}`) return detail(res, 401, 'Invalid token');
    if (path === '/api/0/')
      return sendJson(res, 200, {
        version: '0',
        auth: { scopes: ['project:releases', 'event:read', 'org:read'] },
        user: { id: '1', username: 'ci', email: 'ci@example.com' },
      });

    const issueList = /^\/api\/0\/projects\/([^/]+)\/([^/]+)\/issues\/$/.exec(path);
    if (issueList && req.method === 'GET') {
      if (issueList[1] !== org || !projectIds.has(decodeURIComponent(issueList[2] as string))) return notFound(res);
      const slug = decodeURIComponent(issueList[2] as string);
      const statsPeriod = url.searchParams.get('statsPeriod');
      if (statsPeriod !== null && !['', '24h', '14d'].includes(statsPeriod))
        return detail(res, 400, "Invalid stats_period. Valid choices are '', '24h', and '14d'");
      // An empty query is Sentry's default: unresolved issues.
      const query = url.searchParams.get('query') ?? 'is:unresolved';
      const terms = parseSearch(query);
      if (typeof terms === 'string') return detail(res, 400, terms);
      const problem = terms.map(termProblem).find(Boolean);
      if (problem) return detail(res, 400, problem);
      const now = clock();
      const found = issues.filter(
        (i) => i.project === slug && i.visibleAt <= now && terms.every((t) => termMatches(i, t) !== t.negated),
      );
      // Newest last seen first, as Sentry's default sort (date).
      found.sort((a, b) => Date.parse(b.lastSeen) - Date.parse(a.lastSeen) || Number(b.id) - Number(a.id));
      const result = page(req, found.map(issueJson), url.searchParams);
      if (typeof result === 'string') return detail(res, 400, result);
      return sendJson(res, 200, result.body, result.headers);
    }

    const orgMatch = /^\/api\/0\/organizations\/([^/]+)\/(.*)$/.exec(path);
    if (!orgMatch) return notFound(res);
    if (orgMatch[1] !== org) return notFound(res);
    const rest = orgMatch[2] as string;

    if (rest === 'sessions/' && req.method === 'GET') {
      const environments = new Set([
        ...deploys.map((d) => d.environment),
        ...issues.map((i) => i.environment),
        ...sessions.map((b) => b.environment),
      ]);
      const answer = sessionsAnswer({
        query: url.searchParams,
        now: clock(),
        projectIds,
        environments,
        batches: sessions,
        rateLimit: sessionsLimit,
      });
      return sendJson(res, answer.status, answer.body, answer.headers);
    }

    if (rest === 'repos/' && req.method === 'GET') {
      const list = repositories.map((name, i) => ({
        id: String(100 + i),
        name,
        url: `https://github.com/${name}`,
        provider: { id: 'integrations:github', name: 'GitHub' },
        status: 'active',
        dateCreated: '2026-01-01T00:00:00.000000Z',
        integrationId: '1',
        externalSlug: name,
      }));
      const result = page(req, list, url.searchParams);
      if (typeof result === 'string') return detail(res, 400, result);
      return sendJson(res, 200, result.body, result.headers);
    }

    if (rest === 'releases/') {
      if (req.method === 'GET') {
        const list = [...releases.values()].reverse().map(releaseJson);
        const result = page(req, list, url.searchParams);
        if (typeof result === 'string') return detail(res, 400, result);
        return sendJson(res, 200, result.body, result.headers);
      }
      if (req.method !== 'POST') return detail(res, 405, `Method "${req.method}" not allowed.`);
      const body = parse(req.body);
      if (!body) return detail(res, 400, 'JSON parse error');
      return createOrUpdate(res, body);
    }

    const releaseMatch = /^releases\/([^/]+)\/(deploys\/|commits\/|previous-with-commits\/)?$/.exec(rest);
    if (!releaseMatch) return notFound(res);
    const version = decodeURIComponent(releaseMatch[1] as string);
    const release = releases.get(version);
    if (!release) return notFound(res);
    const sub = releaseMatch[2];
    if (sub === 'deploys/') {
      if (req.method === 'GET') return sendJson(res, 200, releaseDeploys(version).reverse().map(deployJson));
      if (req.method !== 'POST') return detail(res, 405, `Method "${req.method}" not allowed.`);
      const body = parse(req.body);
      if (!body) return detail(res, 400, 'JSON parse error');
      return createDeploy(res, release, body);
    }
    if (sub === 'commits/')
      return req.method === 'GET'
        ? sendJson(res, 200, commitsOf(release))
        : detail(res, 405, `Method "${req.method}" not allowed.`);
    if (sub === 'previous-with-commits/') {
      const earlier = [...releases.values()]
        .filter((r) => r.dateCreated < release.dateCreated && commitsOf(r).length > 0)
        .at(-1);
      return sendJson(res, 200, earlier ? releaseJson(earlier) : {});
    }
    if (req.method === 'GET') return sendJson(res, 200, releaseJson(release));
    if (req.method === 'PUT') {
      const body = parse(req.body);
      if (!body) return detail(res, 400, 'JSON parse error');
      return updateRelease(res, release, body);
    }
    if (req.method === 'DELETE') {
      releases.delete(version);
      res.writeHead(204);
      return void res.end();
    }
    return detail(res, 405, `Method "${req.method}" not allowed.`);
  });

  function raiseIssue(releaseVersion: string, issue: RaiseIssue = {}): FakeSentryIssue {
    const n = nextIssue++;
    const slug = issue.project ?? project;
    const firstSeen = (issue.firstSeen ?? new Date()).toISOString();
    const raised: FakeSentryIssue = {
      id: String(7000000000 + n),
      shortId: `${slug.toUpperCase()}-${n.toString(36).toUpperCase()}`,
      title: issue.title ?? `Error: something broke (${n})`,
      culprit: issue.culprit ?? 'app/routes/index.ts in loader',
      level: issue.level ?? 'error',
      status: issue.status ?? 'unresolved',
      project: slug,
      firstRelease: releaseVersion,
      environment: issue.environment ?? 'production',
      count: issue.count ?? 1,
      userCount: issue.userCount ?? 1,
      firstSeen,
      lastSeen: firstSeen,
      visibleAt: clock() + ingestMs,
    };
    issues.push(raised);
    return raised;
  }

  return {
    server,
    url: server.url,
    token,
    org,
    project,
    repositories,
    releases,
    deploys,
    issues,
    raiseIssue,
    sessions,
    recordSessions: (release, recorded) => {
      const batch = sessionBatch(release, recorded, { project, clock });
      sessions.push(batch);
      return batch;
    },
    close: () => server.close(),
  };
}
