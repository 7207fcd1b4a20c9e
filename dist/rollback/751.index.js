export const id = 751;
export const ids = [751];
export const modules = {

/***/ 3751:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   SentryClient: () => (/* binding */ SentryClient)
/* harmony export */ });
/* unused harmony exports HEALTH_FIELDS, nextCursor, newIssuesQuery, sentryNewIssuesGate */
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(2635);
/* harmony import */ var _http_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(9096);
/* harmony import */ var _sanitise_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(1193);
/* harmony import */ var _collections_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(9243);




/**
 * The fields read, as the sessions API names them (docs.sentry.io/api/releases/retrieve-release-health-session-statistics/,
 * and the OpenAPI description in getsentry/sentry-api-schema: operation getOrganizationSessions).
 */
const HEALTH_FIELDS = [
    'sum(session)',
    'count_unique(user)',
    'crash_free_rate(session)',
    'crash_free_rate(user)',
];
const PROVIDER = 'Sentry';
/** Pages of issues read at most (100 each): a gate needs to know "more than the threshold", not every issue. */
const MAX_PAGES = 10;
/** Sentry's reason from an error answer: `{"detail": "…"}`, or field errors `{"version": ["…"]}`. */
function sentryReason(body, status, text) {
    if (status < 300)
        return undefined;
    if (body && typeof body === 'object' && !Array.isArray(body)) {
        const b = body;
        if (typeof b.detail === 'string')
            return b.detail;
        const fields = Object.entries(b)
            .map(([key, value]) => `${key}: ${Array.isArray(value) ? value.join(' ') : typeof value === 'string' ? value : JSON.stringify(value)}`)
            .join('; ');
        if (fields)
            return fields;
    }
    return (0,_sanitise_js__WEBPACK_IMPORTED_MODULE_2__/* .excerpt */ .Kb)(text, 200) || `HTTP ${status}`;
}
function sentryHint(status, action) {
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
function nextCursor(link) {
    if (!link)
        return undefined;
    for (const part of link.split(/,(?=\s*<)/)) {
        const params = new Map();
        for (const m of part.matchAll(/;\s*([a-z]+)="([^"]*)"/g))
            params.set(m[1], m[2]);
        if (params.get('rel') === 'next')
            return params.get('results') === 'true' ? params.get('cursor') : undefined;
    }
    return undefined;
}
const SESSIONS_ACTION = 'read sessions';
/**
 * How long Sentry asked not to be called again, from an answer's rate-limit headers
 * (https://docs.sentry.io/api/ratelimits/): a 429's Retry-After, else X-Sentry-Rate-Limit-Reset (UTC epoch seconds,
 * read against the answer's own Date) when the 429 has none or X-Sentry-Rate-Limit-Remaining says none is left.
 * Undefined when Sentry set no limit.
 */
function rateLimitWait(response, answeredAtMs) {
    const reset = Number(response.headers.get('x-sentry-rate-limit-reset') ?? Number.NaN);
    const untilReset = Number.isFinite(reset) ? Math.max(0, reset * 1000 - answeredAtMs) : undefined;
    if (response.status === 429)
        return (0,_http_js__WEBPACK_IMPORTED_MODULE_1__/* .parseRetryAfter */ .mu)(response.headers.get('retry-after'), answeredAtMs) ?? untilReset ?? 0;
    return response.headers.get('x-sentry-rate-limit-remaining')?.trim() === '0' ? untilReset : undefined;
}
/** A value for Sentry's search syntax: quoted, with `"` and `\` escaped. */
const searchValue = (value) => `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
/** The search for "issues this release brought to this environment since then", in Sentry's syntax. */
function newIssuesQuery(release, environment, since) {
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
function percentEncode(value, set) {
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
const q = (value) => percentEncode(value, QUERY_SET);
/** A path segment (PathArg): the query set and `` ` ? { } / ``. */
const seg = (value) => percentEncode(value, `${QUERY_SET}\`?{}/`);
/** The Sentry API, for one organization and project. */
class SentryClient {
    config;
    base;
    /** Sentry's clock as its last answer's Date header gave it, against ours (monotonic) at that moment. */
    serverClock;
    /** Per call (Sentry limits each endpoint on its own): the monotonic time before which Sentry asked not to be called again. */
    notBefore = new Map();
    /** This project's id, read once from a release (releaseHealth). */
    projectId;
    constructor(config) {
        this.config = config;
        this.base = `${config.url.replace(/\/+$/, '')}/api/0`;
    }
    async call(method, path, action, body, idempotent, signal) {
        let link = null;
        const { data } = await (0,_http_js__WEBPACK_IMPORTED_MODULE_1__/* .requestJson */ .SS)(`${this.base}${path}`, {
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
                const response = await (this.config.fetch ?? _http_js__WEBPACK_IMPORTED_MODULE_1__/* .proxiedFetch */ .iR)(input, init);
                link = response.headers.get('link');
                const date = Date.parse(response.headers.get('date') ?? '');
                if (Number.isFinite(date))
                    this.serverClock = { serverMs: date, monotonicMs: performance.now() };
                const waitMs = rateLimitWait(response, Number.isFinite(date) ? date : Date.now());
                if (waitMs !== undefined)
                    this.notBefore.set(action, performance.now() + waitMs);
                else
                    this.notBefore.delete(action);
                return response;
            },
        }, { provider: PROVIDER, action, errorMessage: sentryReason, hint: (status) => sentryHint(status, action) });
        return { data, link };
    }
    get org() {
        return seg(this.config.org);
    }
    /**
     * Creates the release for these projects (`sentry-cli releases new`): Sentry answers 208 with the release when it
     * exists, adding the projects, so sending it again is safe.
     */
    async createRelease(version, projects = [this.config.project], dateStarted = new Date()) {
        const { data } = await this.call('POST', `/organizations/${this.org}/releases/`, 'create release', { version, projects, dateStarted: dateStarted.toISOString() }, true);
        return data;
    }
    /** The organization's repositories, every page (what `sentry-cli releases set-commits` reads first). */
    async repositories() {
        const names = [];
        let cursor = '';
        for (let pages = 0; pages < MAX_PAGES; pages++) {
            const { data, link } = await this.call('GET', `/organizations/${this.org}/repos/?cursor=${q(cursor)}`, 'list repositories');
            (0,_collections_js__WEBPACK_IMPORTED_MODULE_3__/* .appendAll */ .u2)(names, data.map((r) => r.name));
            const next = nextCursor(link);
            if (!next)
                break;
            cursor = next;
        }
        return names;
    }
    /** Associates the head commits (`sentry-cli releases set-commits --commit repo@sha`): Sentry fetches the rest. */
    async setCommits(version, refs) {
        const body = {
            refs: refs.map((r) => ({ repository: r.repository, commit: r.commit, previousCommit: r.previousCommit ?? null })),
        };
        const { data } = await this.call('PUT', `/organizations/${this.org}/releases/${seg(version)}/`, 'set commits', body);
        return data;
    }
    /** Marks the release released (`sentry-cli releases finalize`). */
    async finalizeRelease(version, dateReleased, projects = [this.config.project]) {
        const { data } = await this.call('PUT', `/organizations/${this.org}/releases/${seg(version)}/`, 'finalize release', { projects, dateReleased: dateReleased.toISOString() });
        return data;
    }
    /** The release, or undefined when Sentry has none by that version (`sentry-cli releases info`). */
    async release(version) {
        try {
            return (await this.call('GET', `/organizations/${this.org}/releases/${seg(version)}/`, 'read release')).data;
        }
        catch (error) {
            if (error instanceof _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ProviderError */ .mZ && error.status === 404)
                return undefined;
            throw error;
        }
    }
    /**
     * Sentry's time now, from the Date header of its last answer (read afresh with `readClock`), carried forward on
     * our monotonic clock; undefined before any answer had one. The header counts whole seconds, cut down: the time
     * given is never later than Sentry's, by under a second plus the answer's way back.
     */
    serverNow() {
        return this.serverClock && new Date(this.serverClock.serverMs + (performance.now() - this.serverClock.monotonicMs));
    }
    /** Asks Sentry for its clock: a read of the release (answered 200, or 404 before it exists, both with a Date). */
    async readClock(release, signal) {
        try {
            await this.call('GET', `/organizations/${this.org}/releases/${seg(release)}/`, 'read release', undefined, undefined, signal);
        }
        catch (error) {
            if (!(error instanceof _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ProviderError */ .mZ && error.status === 404))
                throw error;
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
    async releaseHealth(release, environment, statsPeriod, signal) {
        const waitMs = (this.notBefore.get(SESSIONS_ACTION) ?? 0) - performance.now();
        if (waitMs > 0)
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ProviderError */ .mZ(PROVIDER, `rate limited: Sentry asked for no call before ${Math.ceil(waitMs / 1000)}s from now (Retry-After), so none was sent`, { action: SESSIONS_ACTION, status: 429 });
        this.projectId ??= await this.projectIdOf(release, signal);
        const params = new URLSearchParams();
        params.append('project', this.projectId);
        params.append('environment', environment);
        for (const field of HEALTH_FIELDS)
            params.append('field', field);
        params.set('query', `release:${searchValue(release)}`);
        params.set('statsPeriod', statsPeriod);
        params.set('interval', '1h');
        let data;
        try {
            ({ data } = await this.call('GET', `/organizations/${this.org}/sessions/?${params}`, SESSIONS_ACTION, undefined, undefined, signal));
        }
        catch (error) {
            // Sentry answers 404 for an environment it has never seen (no deploy, no event there yet): not a wrong org.
            if (error instanceof _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ProviderError */ .mZ && error.status === 404)
                throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ProviderError */ .mZ(PROVIDER, `Sentry knows no environment '${environment}' in ${this.config.org} (no deploy or event there yet: check sentry-environment)`, { action: SESSIONS_ACTION, status: 404 });
            throw error;
        }
        if (!data || !Array.isArray(data.groups) || typeof data.start !== 'string' || typeof data.end !== 'string')
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ProviderError */ .mZ(PROVIDER, 'malformed answer to read sessions (no groups, start and end)', {
                action: SESSIONS_ACTION,
            });
        // No groupBy: one group (or none, when nothing matched), whose totals are the whole range's.
        const totals = data.groups[0]?.totals ?? {};
        const number = (key) => {
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
    async projectIdOf(release, signal) {
        let found;
        try {
            found = (await this.call('GET', `/organizations/${this.org}/releases/${seg(release)}/`, 'read release', undefined, undefined, signal)).data;
        }
        catch (error) {
            if (!(error instanceof _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ProviderError */ .mZ && error.status === 404))
                throw error;
        }
        if (!found)
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ProviderError */ .mZ(PROVIDER, `Sentry has no release '${release}' in ${this.config.org} (deploy creates it with the sentry-* inputs; else check sentry-release)`, { action: 'read release' });
        const project = found.projects?.find((p) => p.slug === this.config.project);
        if (project === undefined || !/^\d+$/.test(String(project.id)))
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ProviderError */ .mZ(PROVIDER, `release '${release}' is not a release of project '${this.config.project}' in Sentry (its projects: ${(found.projects ?? []).map((p) => p.slug).join(', ') || 'none'})`, { action: 'read release' });
        return String(project.id);
    }
    async deploys(version) {
        return (await this.call('GET', `/organizations/${this.org}/releases/${seg(version)}/deploys/`, 'list deploys')).data;
    }
    /**
     * Records a deploy of the release (`sentry-cli deploys new -e ENV --started --finished`). Not retried once it may
     * have reached Sentry (a POST): when its answer was lost, the deploys are read back, and it is sent again only if
     * it is not among them, so a lost answer never makes a second deploy.
     */
    async createDeploy(version, deploy) {
        const body = {
            environment: deploy.environment,
            name: deploy.name ?? null,
            url: deploy.url ?? null,
            dateStarted: deploy.dateStarted?.toISOString() ?? null,
            dateFinished: deploy.dateFinished.toISOString(),
        };
        const path = `/organizations/${this.org}/releases/${seg(version)}/deploys/`;
        try {
            return (await this.call('POST', path, 'create deploy', body)).data;
        }
        catch (error) {
            if (!(error instanceof _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .NetworkError */ .Dr))
                throw error;
            const landed = (await this.deploys(version)).find((d) => d.environment === body.environment &&
                d.dateFinished &&
                Date.parse(d.dateFinished) === Date.parse(body.dateFinished));
            if (landed)
                return { id: landed.id };
            // Sent again only when the connection failed or was closed and the read-back found nothing; after a timeout
            // Sentry may still be making it, and a second POST would record the deploy twice.
            if (error.kind === 'timeout')
                throw error;
            return (await this.call('POST', path, 'create deploy', body)).data;
        }
    }
    /**
     * The unresolved issues first seen in this release, in this environment, since `since` (the request
     * `sentry-cli issues list --query …` sends, every page up to a limit).
     */
    async newIssuesFor(release, environment, since, signal) {
        const query = newIssuesQuery(release, environment, since);
        const issues = [];
        let cursor = '';
        for (let pages = 0;; pages++) {
            const path = `/projects/${this.org}/${seg(this.config.project)}/issues/?query=${q(query)}&cursor=${q(cursor)}`;
            const { data, link } = await this.call('GET', path, 'list issues', undefined, undefined, signal);
            if (!Array.isArray(data))
                throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ProviderError */ .mZ(PROVIDER, 'the issues answer is not a list', { action: 'list issues' });
            (0,_collections_js__WEBPACK_IMPORTED_MODULE_3__/* .appendAll */ .u2)(issues, data.map((i) => ({
                shortId: String(i.shortId),
                title: String(i.title),
                permalink: String(i.permalink),
                count: Number(i.count),
            })));
            const next = nextCursor(link);
            if (!next)
                return { count: issues.length, issues, truncated: false };
            if (pages + 1 >= MAX_PAGES)
                return { count: issues.length, issues, truncated: true };
            cursor = next;
        }
    }
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
function sentryNewIssuesGate(client, release, environment, windowStart, maxNewIssues) {
    const createdAt = performance.now();
    const startOffsetMs = windowStart.getTime() - Date.now();
    let since;
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


/***/ })

};
