// A loopback GitHub REST API for the parts shipline uses: deployments and their statuses (the release ledger)
// and issue comments (sticky PR comments), deployment environments with their protection rules (the production
// preflight; a token without actions: read gets GitHub's 403), with Link-header pagination, validation of states and description
// length, and the 403 a fork's token gets; GraphQL's viewer (who the token is: github-actions[bot]). Driven in tests by the real @octokit/rest through `baseUrl`; every
// answer has the shape of GitHub's OpenAPI description (test/conformance-github.test.ts validates them).
//
// auto_inactive follows GitHub's documented rule, not a convenient one: a success status adds `inactive` only to
// prior deployments of the same environment that are neither transient nor production and whose latest status
// is success. Production deployments are never inactivated for you (the ledger does it itself). The order of a
// deployment's statuses in an answer is not documented either: `statusOrder` lets tests turn it around.
import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { type FakeServer, sendJson, startFakeServer } from './server.js';

export interface FakeStatus {
  id: number;
  state: string;
  description: string;
  environment_url: string;
  log_url: string;
  created_at: string;
}

/** The bot that owns what a workflow's GITHUB_TOKEN creates, as GitHub describes a user (simple-user). */
function user(login: string, id: number, base: string) {
  return {
    login,
    id,
    node_id: `BOT_${id}`,
    avatar_url: `https://avatars.githubusercontent.com/in/${id}?v=4`,
    gravatar_id: '',
    url: `${base}/users/${encodeURIComponent(login)}`,
    html_url: `https://github.com/apps/${login.replace(/\[bot\]$/, '')}`,
    followers_url: `${base}/users/${encodeURIComponent(login)}/followers`,
    following_url: `${base}/users/${encodeURIComponent(login)}/following{/other_user}`,
    gists_url: `${base}/users/${encodeURIComponent(login)}/gists{/gist_id}`,
    starred_url: `${base}/users/${encodeURIComponent(login)}/starred{/owner}{/repo}`,
    subscriptions_url: `${base}/users/${encodeURIComponent(login)}/subscriptions`,
    organizations_url: `${base}/users/${encodeURIComponent(login)}/orgs`,
    repos_url: `${base}/users/${encodeURIComponent(login)}/repos`,
    events_url: `${base}/users/${encodeURIComponent(login)}/events{/privacy}`,
    received_events_url: `${base}/users/${encodeURIComponent(login)}/received_events`,
    type: 'Bot',
    site_admin: false,
  };
}

export interface FakeGitHubDeployment {
  id: number;
  sha: string;
  ref: string;
  environment: string;
  payload: unknown;
  description: string | null;
  production_environment: boolean;
  transient_environment: boolean;
  created_at: string;
  statuses: FakeStatus[];
}

export interface FakeComment {
  id: number;
  body: string;
  created_at: string;
  /** Its author; the token's own account (github-actions[bot]) when omitted. */
  user?: { login: string; id: number };
}

export interface FakeGitHub {
  server: FakeServer;
  url: string;
  token: string;
  repository: string;
  deployments: FakeGitHubDeployment[];
  comments: Map<number, FakeComment[]>;
  /** The fork case: comment writes answer 403. */
  readOnlyComments: boolean;
  /** The order of GET …/deployments/{id}/statuses: newest first (what GitHub answers today) or oldest first. */
  statusOrder: 'newest-first' | 'oldest-first';
  /**
   * Uses up the token's primary rate limit until `seconds` from now: until then every request answers 403 with
   * x-ratelimit-remaining: 0 and the reset time in x-ratelimit-reset (epoch seconds), as GitHub does.
   */
  exhaustRateLimit(seconds: number): void;
  /** A secondary rate limit for `seconds`: 403 with retry-after (the seconds still to wait) until it passes. */
  secondaryRateLimit(seconds: number): void;
  /** Requests answered with a rate limit so far. */
  rateLimited: number;
  /**
   * Faults for ledger writes (POST of a deployment or a status), counted across runs until cleared: the first
   * `skip` matching writes pass, the next `times` (default: all) get the fault. `reset-after-handling` is the
   * worst case: GitHub acts on the write, and the answer never arrives.
   */
  failWrites(options: { fault: WriteFault; skip?: number; times?: number; only?: 'deployment' | 'status' }): void;
  clearWriteFaults(): void;
  /**
   * The repository's deployment environments (GET …/environments[/{name}]), by name. A job naming a missing one
   * creates it unprotected on GitHub; here a test creates it with `setEnvironment`.
   */
  environments: Map<string, FakeEnvironmentRules>;
  setEnvironment(name: string, rules?: FakeEnvironmentRules): void;
  /**
   * The token's permission to read environments (GitHub App / fine-grained "Actions" read, `actions: read` for a
   * workflow's GITHUB_TOKEN). Without it GitHub answers 403 "Resource not accessible by integration" and names the
   * permission it accepts in X-Accepted-GitHub-Permissions.
   */
  canReadEnvironments: boolean;
  /** The latest status of each deployment of an environment, newest deployment first. */
  ledger(
    environment: string,
  ): { id: number; release: string | undefined; state: string | undefined; rollback: boolean }[];
  close(): Promise<void>;
}

/** An environment's built-in protection rules, as a test sets them (GitHub's Settings → Environments). */
export interface FakeEnvironmentRules {
  /** Users (login) or teams (`team:slug`) of the required_reviewers rule; empty or absent: no such rule. */
  reviewers?: string[];
  preventSelfReview?: boolean;
  /** Minutes of the wait_timer rule. */
  waitTimer?: number;
}

export type WriteFault =
  { kind: 'status'; status: number; message?: string } | { kind: 'reset' } | { kind: 'reset-after-handling' };

const STATES = new Set(['error', 'failure', 'inactive', 'in_progress', 'queued', 'pending', 'success']);

export async function startFakeGitHub(options: { repository?: string } = {}): Promise<FakeGitHub> {
  const token = `ghs_${randomBytes(16).toString('hex')}`;
  const repository = options.repository ?? 'shipline/example-app';
  const deployments: FakeGitHubDeployment[] = [];
  const comments = new Map<number, FakeComment[]>();
  const environments = new Map<string, FakeEnvironmentRules>();
  const environmentIds = new Map<string, number>();
  let ids = 1000;
  let clock = Date.parse('2026-11-01T00:00:00Z');
  const stamp = () => new Date((clock += 1000)).toISOString().replace(/\.\d+Z$/, 'Z');
  const state: {
    readOnlyComments: boolean;
    canReadEnvironments: boolean;
    statusOrder: FakeGitHub['statusOrder'];
    resetAt: number;
    secondaryUntil: number;
    rateLimited: number;
  } = {
    readOnlyComments: false,
    canReadEnvironments: true,
    statusOrder: 'newest-first',
    resetAt: 0,
    secondaryUntil: 0,
    rateLimited: 0,
  };
  const bot = () => user('github-actions[bot]', 41898282, server.url);

  const fail = (res: ServerResponse, status: number, message: string) =>
    sendJson(res, status, { message, documentation_url: 'https://docs.github.com/rest' });
  let writeFault: { fault: WriteFault; skip: number; times: number; only?: 'deployment' | 'status' } | undefined;
  /** The fault for this write, if one is armed and due. */
  const dueFault = (kind: 'deployment' | 'status'): WriteFault | undefined => {
    if (!writeFault || (writeFault.only && writeFault.only !== kind)) return undefined;
    if (writeFault.skip > 0) {
      writeFault.skip--;
      return undefined;
    }
    if (writeFault.times <= 0) return undefined;
    writeFault.times--;
    return writeFault.fault;
  };

  /** One page of a list, with the Link header GitHub sends (octokit.paginate follows rel="next"). */
  function page<T>(res: ServerResponse, url: URL, items: T[]): void {
    const perPage = Math.min(Number(url.searchParams.get('per_page') ?? 30), 100);
    const n = Number(url.searchParams.get('page') ?? 1);
    const slice = items.slice((n - 1) * perPage, n * perPage);
    const headers: Record<string, string> = {};
    if (n * perPage < items.length) {
      const next = new URL(url);
      next.searchParams.set('page', String(n + 1));
      next.searchParams.set('per_page', String(perPage));
      headers.link = `<${server.url}${next.pathname}${next.search}>; rel="next"`;
    }
    sendJson(res, 200, slice, headers);
  }

  const deploymentJson = (d: FakeGitHubDeployment) => ({
    id: d.id,
    node_id: `DE_${d.id}`,
    sha: d.sha,
    ref: d.ref,
    task: 'deploy',
    payload: d.payload,
    original_environment: d.environment,
    environment: d.environment,
    description: d.description,
    creator: bot(),
    created_at: d.created_at,
    updated_at: d.statuses[0]?.created_at ?? d.created_at,
    url: `${server.url}/repos/${repository}/deployments/${d.id}`,
    statuses_url: `${server.url}/repos/${repository}/deployments/${d.id}/statuses`,
    repository_url: `${server.url}/repos/${repository}`,
    transient_environment: d.transient_environment,
    production_environment: d.production_environment,
  });

  const statusJson = (d: FakeGitHubDeployment, s: FakeStatus) => ({
    url: `${server.url}/repos/${repository}/deployments/${d.id}/statuses/${s.id}`,
    id: s.id,
    node_id: `DES_${s.id}`,
    state: s.state,
    creator: bot(),
    description: s.description,
    environment: d.environment,
    target_url: s.log_url,
    created_at: s.created_at,
    updated_at: s.created_at,
    deployment_url: `${server.url}/repos/${repository}/deployments/${d.id}`,
    repository_url: `${server.url}/repos/${repository}`,
    environment_url: s.environment_url,
    log_url: s.log_url,
  });

  const commitJson = (sha: string) => {
    const person = { name: 'Mona Lisa', email: 'mona@example.com', date: '2026-11-01T00:00:00Z' };
    return {
      url: `${server.url}/repos/${repository}/commits/${sha}`,
      sha,
      node_id: `C_${sha.slice(0, 12)}`,
      html_url: `https://github.com/${repository}/commit/${sha}`,
      comments_url: `${server.url}/repos/${repository}/commits/${sha}/comments`,
      commit: {
        url: `${server.url}/repos/${repository}/git/commits/${sha}`,
        author: person,
        committer: person,
        message: 'a commit',
        comment_count: 0,
        tree: {
          sha: sha.split('').reverse().join(''),
          url: `${server.url}/repos/${repository}/git/trees/${sha.split('').reverse().join('')}`,
        },
      },
      author: null,
      committer: null,
      parents: [],
    };
  };

  const commentJson = (issue: number, c: FakeComment) => ({
    id: c.id,
    node_id: `IC_${c.id}`,
    url: `${server.url}/repos/${repository}/issues/comments/${c.id}`,
    html_url: `https://github.com/${repository}/pull/${issue}#issuecomment-${c.id}`,
    issue_url: `${server.url}/repos/${repository}/issues/${issue}`,
    body: c.body,
    user: c.user
      ? { ...user(c.user.login, c.user.id, server.url), type: c.user.login.endsWith('[bot]') ? 'Bot' : 'User' }
      : bot(),
    created_at: c.created_at,
    updated_at: c.created_at,
    author_association: 'NONE',
  });

  const team = (slug: string, id: number) => ({
    id,
    node_id: `T_${id}`,
    url: `${server.url}/orgs/shipline/teams/${slug}`,
    html_url: `https://github.com/orgs/shipline/teams/${slug}`,
    name: slug,
    slug,
    description: null,
    privacy: 'closed',
    notification_setting: 'notifications_enabled',
    permission: 'pull',
    members_url: `${server.url}/organizations/1/team/${id}/members{/member}`,
    repositories_url: `${server.url}/organizations/1/team/${id}/repos`,
    parent: null,
    type: 'organization',
    organization_id: 1,
  });

  /** An environment as GitHub's "Get an environment" describes it (components/schemas/environment). */
  const environmentJson = (name: string, rules: FakeEnvironmentRules) => {
    const id = environmentIds.get(name) ?? 0;
    const protection: unknown[] = [];
    if (rules.waitTimer !== undefined)
      protection.push({ id: id * 10 + 1, node_id: `GA_${id}1`, type: 'wait_timer', wait_timer: rules.waitTimer });
    if (rules.reviewers && rules.reviewers.length > 0) {
      protection.push({
        id: id * 10 + 2,
        node_id: `GA_${id}2`,
        type: 'required_reviewers',
        prevent_self_review: rules.preventSelfReview ?? false,
        reviewers: rules.reviewers.map((r, i) =>
          r.startsWith('team:')
            ? { type: 'Team', reviewer: team(r.slice(5), 7000 + i) }
            : {
                type: 'User',
                reviewer: { ...user(r, 5000 + i, server.url), type: 'User', html_url: `https://github.com/${r}` },
              },
        ),
      });
    }
    return {
      id,
      node_id: `EN_${id}`,
      name,
      url: `${server.url}/repos/${repository}/environments/${encodeURIComponent(name)}`,
      html_url: `https://github.com/${repository}/deployments/activity_log?environments_filter=${encodeURIComponent(name)}`,
      created_at: '2026-11-01T00:00:00Z',
      updated_at: '2026-11-01T00:00:00Z',
      protection_rules: protection,
      deployment_branch_policy: null,
    };
  };

  const server: FakeServer = await startFakeServer((req, res) => {
    const auth = req.headers.authorization ?? '';
    if (auth !== `token ${token}` && auth !== `Bearer ${token}`) return fail(res, 401, 'Bad credentials');
    const now = Date.now();
    if (now < state.resetAt) {
      state.rateLimited++;
      const reset = String(Math.ceil(state.resetAt / 1000));
      return sendJson(
        res,
        403,
        {
          message: 'API rate limit exceeded for installation ID 4242.',
          documentation_url: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api',
        },
        {
          'x-ratelimit-limit': '5000',
          'x-ratelimit-remaining': '0',
          'x-ratelimit-used': '5000',
          'x-ratelimit-reset': reset,
          'x-ratelimit-resource': 'core',
        },
      );
    }
    if (now < state.secondaryUntil) {
      state.rateLimited++;
      return sendJson(
        res,
        403,
        {
          message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
          documentation_url:
            'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits',
        },
        { 'retry-after': String(Math.ceil((state.secondaryUntil - now) / 1000)) },
      );
    }
    const url = new URL(req.path, server.url);
    // Who the token is: an installation token (GITHUB_TOKEN) is github-actions[bot] to GraphQL's viewer, and
    // REST's GET /user refuses it.
    if (req.method === 'POST' && url.pathname === '/graphql') {
      const query = String((req.body ? JSON.parse(req.body) : {}).query ?? '');
      if (/\bviewer\b/.test(query))
        return sendJson(res, 200, { data: { viewer: { login: 'github-actions[bot]', databaseId: 41898282 } } });
      return sendJson(res, 200, { errors: [{ message: 'This stand-in answers only the viewer query' }] });
    }
    if (req.method === 'GET' && url.pathname === '/user') {
      return sendJson(res, 403, {
        message: 'Resource not accessible by integration',
        documentation_url: 'https://docs.github.com/rest/users/users#get-the-authenticated-user',
        status: '403',
      });
    }
    const prefix = `/repos/${repository}`;
    if (!url.pathname.startsWith(prefix)) return fail(res, 404, 'Not Found');
    const route = `${req.method} ${url.pathname.slice(prefix.length)}`;
    const body = req.body ? JSON.parse(req.body) : {};
    let m: RegExpExecArray | null;

    const writeKind =
      route === 'POST /deployments'
        ? 'deployment'
        : /^POST \/deployments\/\d+\/statuses$/.test(route)
          ? 'status'
          : undefined;
    const fault = writeKind ? dueFault(writeKind) : undefined;
    if (fault?.kind === 'status') return fail(res, fault.status, fault.message ?? 'Server Error');
    if (fault?.kind === 'reset') return void res.socket?.destroy();
    // Act, then drop the connection instead of answering.
    const answer = (status: number, json: unknown): void => {
      if (fault?.kind === 'reset-after-handling') res.socket?.destroy();
      else sendJson(res, status, json);
    };

    if (route === 'POST /deployments') {
      if (!body.ref) return fail(res, 422, 'Invalid request: "ref" wasn\'t supplied.');
      const d: FakeGitHubDeployment = {
        id: ++ids,
        sha: /^[0-9a-f]{40}$/.test(body.ref) ? body.ref : '0123456789abcdef0123456789abcdef01234567',
        ref: body.ref,
        environment: body.environment ?? 'production',
        payload: body.payload ?? {},
        description: body.description ?? null,
        production_environment: body.production_environment ?? body.environment === 'production',
        transient_environment: body.transient_environment ?? false,
        created_at: stamp(),
        statuses: [],
      };
      deployments.unshift(d);
      return answer(201, deploymentJson(d));
    }
    if (route === 'GET /deployments') {
      const q = url.searchParams;
      const list = deployments.filter(
        (d) =>
          (!q.get('environment') || d.environment === q.get('environment')) &&
          (!q.get('sha') || d.sha === q.get('sha')) &&
          (!q.get('ref') || d.ref === q.get('ref')),
      );
      return page(res, url, list.map(deploymentJson));
    }
    if ((m = /^GET \/commits\/([^/]+)$/.exec(route))) {
      // The commits this fake knows are the ones deployments were made from; a short SHA names one of them when
      // it is the prefix of exactly one.
      const ref = decodeURIComponent(m[1] as string).toLowerCase();
      const known = [...new Set(deployments.map((d) => d.sha))].filter(
        (sha) => /^[0-9a-f]{7,40}$/.test(ref) && sha.startsWith(ref),
      );
      if (known.length !== 1) return fail(res, 422, `No commit found for SHA: ${ref}`);
      return sendJson(res, 200, commitJson(known[0] as string));
    }
    if ((m = /^(GET|POST) \/deployments\/(\d+)\/statuses$/.exec(route))) {
      const d = deployments.find((x) => x.id === Number(m?.[2]));
      if (!d) return fail(res, 404, 'Not Found');
      if (m[1] === 'GET') {
        const ordered = state.statusOrder === 'newest-first' ? d.statuses : [...d.statuses].reverse();
        return page(
          res,
          url,
          ordered.map((s) => statusJson(d, s)),
        );
      }
      if (!STATES.has(body.state))
        return fail(res, 422, `Validation Failed: state "${body.state}" is not included in the list`);
      if (typeof body.description === 'string' && body.description.length > 140)
        return fail(res, 422, 'Validation Failed: description is too long (maximum is 140 characters)');
      const status: FakeStatus = {
        id: ++ids,
        state: body.state,
        description: body.description ?? '',
        environment_url: body.environment_url ?? '',
        log_url: body.log_url ?? '',
        created_at: stamp(),
      };
      d.statuses.unshift(status);
      if (body.state === 'success' && body.auto_inactive !== false) {
        for (const other of deployments) {
          const prior = other.id < d.id && other.environment === d.environment;
          if (
            prior &&
            !other.transient_environment &&
            !other.production_environment &&
            other.statuses[0]?.state === 'success'
          ) {
            other.statuses.unshift({
              id: ++ids,
              state: 'inactive',
              description: '',
              environment_url: '',
              log_url: '',
              created_at: stamp(),
            });
          }
        }
      }
      return answer(201, statusJson(d, status));
    }
    if (route === 'GET /environments' || /^GET \/environments\/[^/]+$/.test(route)) {
      if (!state.canReadEnvironments) {
        return sendJson(
          res,
          403,
          {
            message: 'Resource not accessible by integration',
            documentation_url: 'https://docs.github.com/rest/deployments/environments#get-an-environment',
            status: '403',
          },
          { 'x-accepted-github-permissions': 'actions=read' },
        );
      }
      if (route === 'GET /environments') {
        const all = [...environments.entries()].map(([name, rules]) => environmentJson(name, rules));
        return sendJson(res, 200, { total_count: all.length, environments: all });
      }
      const name = decodeURIComponent(route.slice('GET /environments/'.length));
      const rules = environments.get(name);
      return rules ? sendJson(res, 200, environmentJson(name, rules)) : fail(res, 404, 'Not Found');
    }
    if ((m = /^GET \/issues\/(\d+)\/comments$/.exec(route))) {
      const issue = Number(m[1]);
      return page(
        res,
        url,
        (comments.get(issue) ?? []).map((c) => commentJson(issue, c)),
      );
    }
    if ((m = /^POST \/issues\/(\d+)\/comments$/.exec(route))) {
      if (state.readOnlyComments) return fail(res, 403, 'Resource not accessible by integration');
      const comment = { id: ++ids, body: String(body.body ?? ''), created_at: stamp() };
      const list = comments.get(Number(m[1])) ?? [];
      list.push(comment);
      comments.set(Number(m[1]), list);
      return sendJson(res, 201, commentJson(Number(m[1]), comment));
    }
    if ((m = /^PATCH \/issues\/comments\/(\d+)$/.exec(route))) {
      if (state.readOnlyComments) return fail(res, 403, 'Resource not accessible by integration');
      const issue = [...comments.entries()].find(([, list]) => list.some((c) => c.id === Number(m?.[1])));
      const comment = issue?.[1].find((c) => c.id === Number(m?.[1]));
      if (!issue || !comment) return fail(res, 404, 'Not Found');
      comment.body = String(body.body ?? '');
      return sendJson(res, 200, commentJson(issue[0], comment));
    }
    return fail(res, 404, `Not Found: ${route}`);
  });

  return {
    server,
    url: server.url,
    token,
    repository,
    deployments,
    comments,
    environments,
    setEnvironment(name: string, rules: FakeEnvironmentRules = {}) {
      if (!environmentIds.has(name)) environmentIds.set(name, ++ids);
      environments.set(name, rules);
    },
    get canReadEnvironments() {
      return state.canReadEnvironments;
    },
    set canReadEnvironments(value: boolean) {
      state.canReadEnvironments = value;
    },
    get readOnlyComments() {
      return state.readOnlyComments;
    },
    set readOnlyComments(value: boolean) {
      state.readOnlyComments = value;
    },
    exhaustRateLimit(seconds: number) {
      state.resetAt = Date.now() + seconds * 1000;
    },
    secondaryRateLimit(seconds: number) {
      state.secondaryUntil = Date.now() + seconds * 1000;
    },
    get rateLimited() {
      return state.rateLimited;
    },
    get statusOrder() {
      return state.statusOrder;
    },
    set statusOrder(value: FakeGitHub['statusOrder']) {
      state.statusOrder = value;
    },
    failWrites: ({ fault, skip = 0, times = Number.POSITIVE_INFINITY, only }) => {
      writeFault = { fault, skip, times, only };
    },
    clearWriteFaults: () => {
      writeFault = undefined;
    },
    ledger: (environment) =>
      deployments
        .filter((d) => d.environment === environment)
        .map((d) => {
          const payload = d.payload as { release?: { id?: string }; rollback?: unknown };
          return {
            id: d.id,
            release: payload.release?.id,
            state: d.statuses[0]?.state,
            rollback: Boolean(payload.rollback),
          };
        }),
    close: () => server.close(),
  };
}
