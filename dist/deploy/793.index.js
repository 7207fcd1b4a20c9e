export const id = 793;
export const ids = [793];
export const modules = {

/***/ 64319:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Rr: () => (/* binding */ GitHubRateLimitError),
/* harmony export */   createGitHubClient: () => (/* binding */ createGitHubClient),
/* harmony export */   is: () => (/* binding */ waitsFor),
/* harmony export */   splitRepository: () => (/* binding */ splitRepository)
/* harmony export */ });
/* unused harmony exports MAX_RATE_LIMIT_RETRIES, shouldWait */
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(32635);
/* harmony import */ var _http_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(9096);
/* harmony import */ var _inputs_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(18573);
/* harmony import */ var _runner_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(52798);




/** The longest rate-limit wait a step takes; past it the step fails now rather than sit out an hour's reset. */
const MAX_RATE_LIMIT_WAIT_S = 60;
/** Rate-limit retries of one request; a limit that is still there after two waits is not going away. */
const MAX_RATE_LIMIT_RETRIES = 2;
/**
 * Whether to wait `retryAfter` seconds and try again: only while the wait fits the cap and the request has not
 * already waited twice. Pure, so the bound is tested on its own.
 */
function shouldWait(retryAfter, retryCount, capSeconds = MAX_RATE_LIMIT_WAIT_S) {
    return retryAfter <= capSeconds && retryCount < MAX_RATE_LIMIT_RETRIES;
}
/** A rate limit that was not waited out: GitHub is unavailable to this token for now, it refused nothing. */
class GitHubRateLimitError extends _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ShiplineError */ .J0 {
}
/** The sentence a rate limit that was not waited out fails with; undefined when `error` is not a rate limit. */
function rateLimitFailure(error, request, capSeconds = MAX_RATE_LIMIT_WAIT_S, now = Date.now()) {
    const e = error;
    if (e?.status !== 403 && e?.status !== 429)
        return undefined;
    const headers = e.response?.headers ?? {};
    const what = `GitHub answered ${e.status} to ${request.method ?? 'a request'} ${request.url ?? ''}`.trimEnd();
    const hint = `shipline waits up to ${capSeconds} s for a GitHub rate limit (at most ${MAX_RATE_LIMIT_RETRIES} times per request). Run the step again later, or give it a token with its own limit (a GitHub App's installation token).`;
    if (/\bsecondary rate\b/i.test(e.message ?? '')) {
        const after = Number(headers['retry-after']) || 60;
        return new GitHubRateLimitError(`${what}: a secondary rate limit, to be retried after ${after} s; ${after > capSeconds ? 'that is longer than shipline waits' : 'it was still there after waiting'}. GitHub said: ${e.message}`, { hint, cause: error });
    }
    if (String(headers['x-ratelimit-remaining']) === '0') {
        const reset = Number(headers['x-ratelimit-reset']) * 1000;
        const wait = Number.isFinite(reset) ? Math.max(Math.ceil((reset - now) / 1000), 0) : undefined;
        const when = wait === undefined ? 'at an unknown time' : `at ${new Date(reset).toISOString()} (in ${wait} s)`;
        return new GitHubRateLimitError(`${what}: the token's API rate limit is used up and resets ${when}; ${wait !== undefined && wait > capSeconds ? 'that is longer than shipline waits' : 'it was still exhausted after waiting'}. GitHub said: ${e.message}`, { hint, cause: error });
    }
    return undefined;
}
/**
 * The waits GitHub asks of automation, to spare its servers: writes paced (a second apart, comments three), and
 * retries of a server error backed off from a second (1 s, 4 s, 9 s: @octokit/plugin-retry's base). An API on this
 * machine is a stand-in or a local tool, where those waits would only slow the step: a hundredth of the backoff and
 * no pacing. Rate limits an API answers are waited out either way, for as long as it asks.
 */
function waitsFor(apiUrl) {
    const local = (0,_inputs_js__WEBPACK_IMPORTED_MODULE_2__/* .isLoopbackUrl */ .tE)(apiUrl);
    return { paced: !local, retryBaseMs: local ? 10 : 1_000, ledgerRetryDelaysMs: local ? [10, 30] : [1_000, 3_000] };
}
/**
 * The throttling plugin's write and notification queues without their pause (a second between writes, three
 * between comments). GitHub asks for that pause to spare its own servers; an API on this machine is a stand-in or
 * a local tool, where the pause would only slow the step. Rate limits an API answers are still waited out.
 */
function unpaced(Bottleneck) {
    return {
        write: new Bottleneck.Group({ id: 'shipline-write', maxConcurrent: 1 }),
        notifications: new Bottleneck.Group({ id: 'shipline-notifications', maxConcurrent: 1 }),
    };
}
/** The build of Bottleneck the throttling plugin itself loads (no clustering); the package types it as the full one. */
async function bottleneckLight() {
    // @ts-expect-error: bottleneck ships one declaration file, for its main entry; light.js has the same shape.
    return (await __webpack_require__.e(/* import() */ 251).then(__webpack_require__.t.bind(__webpack_require__, 63251, 23))).default;
}
/**
 * `signal`, when given, ends every request of this client once it aborts, including those already sent: a caller
 * that gives up on GitHub (rollback's bounded ledger read) knows that nothing it started goes on behind its back.
 * `onRateLimitWait` is told of each rate-limit wait as it is decided (tests read the waits asked for from it, not
 * from a clock).
 */
async function createGitHubClient(options) {
    // One after another: the modules share dependencies, and jest's ESM loader cannot link them concurrently.
    const { getOctokit } = await Promise.resolve(/* import() */).then(__webpack_require__.bind(__webpack_require__, 11758));
    const { retry } = await Promise.all(/* import() */[__webpack_require__.e(251), __webpack_require__.e(116)]).then(__webpack_require__.bind(__webpack_require__, 49735));
    const { throttling } = await Promise.all(/* import() */[__webpack_require__.e(251), __webpack_require__.e(856)]).then(__webpack_require__.bind(__webpack_require__, 86856));
    const cap = options.maxRateLimitWaitS ?? MAX_RATE_LIMIT_WAIT_S;
    const timeoutMs = options.timeoutMs ?? 30_000;
    // The one proxy rule of shared/http.ts (HTTPS_PROXY/NO_PROXY, loopback not silently exempt, unlike
    // @actions/github's own agent), with a bound on every request: a silent server never hangs a step.
    const timedFetch = (url, init) => {
        const signals = [AbortSignal.timeout(timeoutMs), init?.signal, options.signal].filter((s) => Boolean(s));
        return (0,_http_js__WEBPACK_IMPORTED_MODULE_1__/* .proxiedFetch */ .iR)(url, { ...init, signal: AbortSignal.any(signals) });
    };
    const onLimit = (kind) => (retryAfter, request, _octokit, retryCount) => {
        if (!shouldWait(retryAfter, retryCount, cap))
            return false;
        (0,_runner_js__WEBPACK_IMPORTED_MODULE_3__/* .warning */ .$e)(`GitHub ${kind} rate limit on ${request.method} ${request.url}: waiting ${retryAfter} s before retry ${retryCount + 1} of ${MAX_RATE_LIMIT_RETRIES}.`);
        options.onRateLimitWait?.({ kind, seconds: retryAfter, retry: retryCount + 1 });
        return true;
    };
    const baseUrl = (options.apiUrl ?? process.env.GITHUB_API_URL ?? 'https://api.github.com').replace(/\/$/, '');
    const client = getOctokit(options.token, {
        baseUrl,
        userAgent: 'shipline',
        request: { fetch: timedFetch },
        throttle: {
            onRateLimit: onLimit('primary'),
            onSecondaryRateLimit: onLimit('secondary'),
            ...((0,_inputs_js__WEBPACK_IMPORTED_MODULE_2__/* .isLoopbackUrl */ .tE)(baseUrl) ? unpaced(await bottleneckLight()) : {}),
        },
        // Rate limits (403 and 429) are the throttling plugin's; this one retries 5xx and dropped connections.
        retry: {
            doNotRetry: [400, 401, 403, 404, 410, 422, 429, 451],
            retryAfterBaseValue: waitsFor(baseUrl).retryBaseMs,
        },
        log: {
            debug: () => { },
            info: () => { },
            warn: (message) => (0,_runner_js__WEBPACK_IMPORTED_MODULE_3__/* .debug */ .Yz)(message),
            error: (message) => (0,_runner_js__WEBPACK_IMPORTED_MODULE_3__/* .debug */ .Yz)(message),
        },
    }, retry, throttling);
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
function splitRepository(repository) {
    const [owner = '', repo = ''] = repository.split('/');
    return { owner, repo };
}


/***/ }),

/***/ 79793:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   OS: () => (/* binding */ GitHubApiError),
/* harmony export */   au: () => (/* binding */ openLedger)
/* harmony export */ });
/* unused harmony exports chronological, Ledger */
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(77598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(32635);
/* harmony import */ var _http_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(9096);
/* harmony import */ var _github_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(64319);
/* harmony import */ var _runner_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(52798);
/* harmony import */ var _sanitise_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(71193);
/* harmony import */ var _collections_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(99243);
/* harmony import */ var _release_choice_js__WEBPACK_IMPORTED_MODULE_7__ = __webpack_require__(84439);
// The release ledger: every deploy is a GitHub Deployment (environment, ref, sha, payload with the provider's
// release and the one it replaced) with statuses in_progress → success / failure / inactive, so the environment
// URL shows in the GitHub UI and rollback knows exactly which release was live before.
//
// "Live" is the newest deployment of the environment whose latest status is success; "previous good" is an older
// one that once reached success and was never marked failure. Neither depends on GitHub's auto_inactive, so the
// answers hold whatever GitHub does with earlier statuses.
//
// Two facts of GitHub's API the ledger does not leave to chance:
// - auto_inactive only inactivates prior non-transient, non-production deployments: a production deployment is
//   never marked inactive for us. So when a production deployment turns success, the ledger itself marks the
//   one(s) it replaced inactive, and the Deployments page shows one active production release.
// - The order of a deployment's statuses in GitHub's answer is not documented: the latest status is found by
//   sorting on created_at, then id (statuses created in the same second).
//
// The ledger can fall behind the provider: a write that fails after the provider acted. So it is never trusted
// alone: release-choice.ts compares it with what the provider says is live and names the writes that complete it
// (ledger-settle.ts makes them). This class only reads and writes GitHub; which entry is live, good or restored
// is decided in release-choice.ts.
// Writes are retried; a create is idempotent by its key (looked up before it is sent again, and duplicates that a
// retried POST made anyway are folded together when read).








/** The statuses oldest first, whatever order GitHub answered in: by created_at, then id. */
function chronological(statuses) {
    return [...statuses].sort((a, b) => Date.parse(a.created_at) - Date.parse(b.created_at) || a.id - b.id);
}
/** GitHub caps a status description at 140 characters. */
function description(text) {
    return (0,_sanitise_js__WEBPACK_IMPORTED_MODULE_5__/* .excerpt */ .Kb)(text, 140);
}
/** A GitHub API call that failed: the operation, GitHub's own message, and what to do about it. */
class GitHubApiError extends _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .ShiplineError */ .J0 {
    status;
    /** Whether sending it again may succeed (no answer, 5xx, 429). */
    transient;
    /**
     * Whether GitHub is unavailable rather than refusing: no answer, 5xx, 429, or a rate limit longer than the
     * client waits. A refusal (401, a 403 that is not a rate limit, 404, 422) will not change by waiting.
     */
    unavailable;
    constructor(operation, error) {
        const e = (error ?? {});
        const status = e.response?.status;
        const data = e.response?.data;
        const ghMessage = typeof data === 'string' ? data : typeof data?.message === 'string' ? data.message : undefined;
        const network = e.cause instanceof _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .ShiplineError */ .J0
            ? e.cause.message.replace(/^GitHub API: /, '')
            : e.cause && !e.response
                ? noAnswer(e.cause)
                : undefined;
        // A rate limit the client would not wait out (shared/github.ts) arrives as a sentence already: it keeps it, and
        // is final — the client has waited all a step may wait, so trying again here would only wait longer.
        const decided = error instanceof _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .ShiplineError */ .J0 && !(error instanceof GitHubApiError) ? error : undefined;
        const detail = decided
            ? decided.message
            : status
                ? `HTTP ${status} ${ghMessage ?? ''}`.trim()
                : (network ?? (e.message || String(error)).replace(/^GitHub API: /, ''));
        super(`GitHub API: ${operation} failed: ${decided ? detail : detail.split('\n')[0]}`, {
            cause: error,
            hint: decided ? decided.hint : hintFor(status, ghMessage, e.response?.headers),
        });
        this.name = 'GitHubApiError';
        this.status = status;
        this.transient =
            !decided &&
                (status === undefined ||
                    status >= 500 ||
                    status === 429 ||
                    (status === 403 && e.response?.headers?.['x-ratelimit-remaining'] === '0'));
        this.unavailable = this.transient || decided instanceof _github_js__WEBPACK_IMPORTED_MODULE_3__/* .GitHubRateLimitError */ .Rr;
    }
}
/** What happened to a request that got no answer, in words (Octokit's own message for it is often "Unknown Error"). */
function noAnswer(cause) {
    const { kind, detail } = (0,_http_js__WEBPACK_IMPORTED_MODULE_2__/* .classifyNetworkError */ .LW)(cause);
    return new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .NetworkError */ .Dr('no answer', kind, detail).message;
}
function hintFor(status, message, headers) {
    if (status === 401)
        return "The 'github-token' was refused: pass the job's GITHUB_TOKEN (secrets.GITHUB_TOKEN) or a valid token.";
    if (status === 403 && headers?.['x-ratelimit-remaining'] === '0')
        return 'GitHub rate limit reached: re-run the job after the limit resets.';
    if (status === 403)
        return `The token may not write deployments${message ? ` (${message})` : ''}: give the job \`permissions: deployments: write\` (with \`contents: read\`), or pass a token that can.`;
    if (status === 404)
        return "GitHub does not show this repository to the token: check GITHUB_REPOSITORY and the token's access.";
    if (status === undefined || status >= 500)
        return 'GitHub did not answer: see https://www.githubstatus.com and re-run the job.';
    return undefined;
}
/**
 * Retries belong to the GitHub client (@octokit/plugin-retry, shared/github.ts) for every request that is safe to
 * send again: reads, and status writes (the same status twice is harmless), which opt in with this many retries.
 * The client never resends a POST on its own, so the one write it cannot retry — creating the record — has its own
 * loop below, because only the ledger knows how to look a lost create up by its key first.
 */
const STATUS_WRITE_RETRIES = 2;
/** How often creating the record is tried after a transient failure (no answer, 5xx, 429); the waits between are waitsFor's. */
const LEDGER_CREATE_ATTEMPTS = 3;
/** How many of a commit's deployments `goodOfCommit` reads the statuses of: one per run attempt, newest first. */
const COMMIT_LOOKUP_ENTRIES = 10;
/** Runs one GitHub call; a failure ends as a GitHubApiError naming `operation` (the client has already retried it). */
async function described(operation, call) {
    try {
        return await call();
    }
    catch (error) {
        throw error instanceof GitHubApiError ? error : new GitHubApiError(operation, error);
    }
}
/** Runs the keyed create (given the attempt number), trying again after a transient failure. */
async function createWithRetry(operation, delaysMs, call) {
    for (let attempt = 0;; attempt++) {
        try {
            return await described(operation, () => call(attempt));
        }
        catch (error) {
            const failure = error;
            if (!failure.transient || attempt + 1 >= LEDGER_CREATE_ATTEMPTS)
                throw failure;
            const delay = delaysMs[Math.min(attempt, delaysMs.length - 1)] ?? 0;
            (0,_runner_js__WEBPACK_IMPORTED_MODULE_4__/* .info */ .pq)(`${failure.message}; trying again in ${delay / 1000}s (attempt ${attempt + 2} of ${LEDGER_CREATE_ATTEMPTS})`);
            await (0,_http_js__WEBPACK_IMPORTED_MODULE_2__/* .sleep */ .yy)(delay);
        }
    }
}
class Ledger {
    github;
    createRetryDelaysMs;
    owner;
    repo;
    known = new Map();
    read = new Set();
    constructor(github, repository, 
    /** The waits between tries of a create (waitsFor of shared/github.ts). */
    createRetryDelaysMs = (0,_github_js__WEBPACK_IMPORTED_MODULE_3__/* .waitsFor */ .is)('https://api.github.com').ledgerRetryDelaysMs) {
        this.github = github;
        this.createRetryDelaysMs = createRetryDelaysMs;
        ({ owner: this.owner, repo: this.repo } = (0,_github_js__WEBPACK_IMPORTED_MODULE_3__.splitRepository)(repository));
    }
    /**
     * Records a release as a new deployment of `environment`, in progress. `key` names this record: a retry after
     * an answer that never came first looks the key up, so a create GitHub already acted on is not sent again.
     */
    async record(options) {
        const key = options.key ?? (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.randomUUID)();
        const payload = {
            shipline: 1,
            key,
            release: options.release,
            previous: options.previous,
            rollback: options.rollback,
            adopted: options.adopted || undefined,
            schema: options.schema,
        };
        const id = await createWithRetry('creating the deployment record', this.createRetryDelaysMs, async (attempt) => {
            if (attempt > 0) {
                const existing = await this.findByKey(options.environment, key);
                if (existing !== undefined)
                    return existing;
            }
            const { data } = await this.github.rest.repos.createDeployment({
                owner: this.owner,
                repo: this.repo,
                ref: options.sha,
                environment: options.environment,
                auto_merge: false,
                required_contexts: [],
                production_environment: options.production,
                transient_environment: options.transient,
                payload: payload,
                description: description(options.description),
            });
            return data.id;
        });
        this.known.set(id, {
            environment: options.environment,
            production: options.production,
            state: undefined,
            releaseId: options.release.id,
        });
        await this.setStatus(id, 'in_progress', { description: options.description, logUrl: options.logUrl });
        return id;
    }
    /** The oldest deployment of the environment made under `key` (the newest page is enough: it was just made). */
    async findByKey(environment, key) {
        const { data } = await this.github.rest.repos.listDeployments({
            owner: this.owner,
            repo: this.repo,
            environment,
            per_page: 100,
        });
        const ids = data.filter((d) => payloadOf(d)?.key === key).map((d) => d.id);
        return ids.length > 0 ? (0,_collections_js__WEBPACK_IMPORTED_MODULE_6__/* .smallest */ .o9)(ids) : undefined;
    }
    /**
     * Adds a status. A production deployment that turns success retires the release(s) it replaced: they get an
     * `inactive` status, which GitHub's auto_inactive never adds to production deployments.
     */
    async setStatus(id, state, options = {}) {
        await this.postStatus(id, state, options);
        const self = this.known.get(id);
        if (self)
            self.state = state;
        if (state !== 'success' || !self?.production)
            return;
        if (!this.read.has(self.environment))
            await this.entries(self.environment);
        for (const [otherId, other] of this.known) {
            if (otherId === id || other.environment !== self.environment || !other.production || other.state !== 'success')
                continue;
            await this.postStatus(otherId, 'inactive', { description: `replaced by ${self.releaseId}` });
            other.state = 'inactive';
        }
    }
    /** A status write: the same status twice is harmless, so the client retries it (STATUS_WRITE_RETRIES). */
    async postStatus(id, state, options) {
        await described(`setting deployment ${id} to ${state}`, () => this.github.rest.repos.createDeploymentStatus({
            owner: this.owner,
            repo: this.repo,
            deployment_id: id,
            state,
            description: options.description ? description(options.description) : undefined,
            environment_url: options.environmentUrl,
            log_url: options.logUrl,
            auto_inactive: state === 'success',
            request: { retries: STATUS_WRITE_RETRIES },
        }));
    }
    /**
     * The environment's deployments made by shipline, newest first, with their status history. Every page of
     * deployments is read, but statuses (one request per deployment) only as far back as decisions need: the two
     * newest good releases, and the entry of each release in `around` plus the good one before it.
     */
    async entries(environment, around = {}) {
        const deployments = await described(`reading the ${environment} deployments`, () => this.github.paginate(this.github.rest.repos.listDeployments, {
            owner: this.owner,
            repo: this.repo,
            environment,
            per_page: 100,
        }));
        const ours = deployments
            .map((d) => ({ d, payload: payloadOf(d) }))
            .filter((x) => x.payload !== undefined)
            .sort((a, b) => b.d.created_at.localeCompare(a.d.created_at) || b.d.id - a.d.id);
        const loaded = new Map();
        const load = (batch) => Promise.all(batch
            .filter((x) => !loaded.has(x.d.id))
            .map(async (x) => loaded.set(x.d.id, await this.withStatuses(x.d, x.payload))));
        const enough = (count) => {
            const prefix = ours
                .slice(0, count)
                .map((x) => loaded.get(x.d.id))
                .filter((e) => e !== undefined);
            if (prefix.filter(_release_choice_js__WEBPACK_IMPORTED_MODULE_7__/* .isGood */ .Kg).length < 2)
                return false;
            for (const id of around.releaseIds ?? []) {
                const at = prefix.findIndex((e) => e.payload.release.id === id);
                if (at < 0 ? ours.slice(count).some((x) => x.payload.release.id === id) : !prefix.slice(at + 1).some(_release_choice_js__WEBPACK_IMPORTED_MODULE_7__/* .isGood */ .Kg))
                    return false;
            }
            return true;
        };
        const BATCH = 10; // also the bound on concurrent status requests
        let count = 0;
        while (count < ours.length && !enough(count)) {
            await load(ours.slice(count, count + BATCH));
            count += BATCH;
        }
        // Records that share a key are one record created twice (a retried POST): read them together.
        const keys = new Set([...loaded.values()].map((e) => e.payload.key).filter(Boolean));
        await load(ours.filter((x) => x.payload.key && keys.has(x.payload.key)));
        const entries = dedupe([...loaded.values()]);
        for (const e of entries) {
            // GitHub's own default when the flag was not sent: production when the environment is named production.
            const d = ours.find((x) => x.d.id === e.id)?.d;
            const production = d?.production_environment ?? e.environment === 'production';
            this.known.set(e.id, { environment: e.environment, production, state: e.state, releaseId: e.payload.release.id });
        }
        this.read.add(environment);
        return entries.sort(_release_choice_js__WEBPACK_IMPORTED_MODULE_7__/* .newestFirst */ .ll);
    }
    /**
     * The full SHA of a commit named by a prefix of 7 or more hex digits: the deployments API filters on the SHA
     * GitHub recorded, all 40 digits. GET …/commits/{ref} takes a short SHA (it needs contents: read).
     */
    async fullSha(sha) {
        if (/^[0-9a-f]{40}$/.test(sha))
            return sha;
        try {
            const { data } = await this.github.rest.repos.getCommit({
                owner: this.owner,
                repo: this.repo,
                ref: sha,
                per_page: 1,
            });
            return data.sha;
        }
        catch (error) {
            const failure = error instanceof GitHubApiError ? error : new GitHubApiError(`looking up commit ${sha}`, error);
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .ShiplineError */ .J0(failure.message, {
                cause: error,
                hint: `Give all 40 hex digits of the commit (github.sha), or a token with contents: read so a short SHA can be looked up.${failure.hint ? ` ${failure.hint}` : ''}`,
            });
        }
    }
    /**
     * The newest entry of `environment` deployed from commit `sha` (the full 40-hex SHA GitHub recorded), or
     * undefined when the ledger has none. A deploy's entry: the ones a rollback or a reconciliation wrote may carry
     * the commit of the run that wrote them (when the provider keeps no commit), but no release was deployed from
     * it, so they are passed over. One request for one page: GitHub filters by sha and environment
     * (GET …/deployments?sha=&environment=), so the cost does not grow with the environment's history; a commit has
     * one deployment per run attempt in an environment, far fewer than a page. Only the newest record's statuses
     * are read (and its duplicates': a retried create made under the same key).
     */
    async newestOfCommit(environment, sha) {
        const { data } = await described(`reading the ${environment} deployments of commit ${sha}`, () => this.github.rest.repos.listDeployments({ owner: this.owner, repo: this.repo, environment, sha, per_page: 100 }));
        const ours = (0,_release_choice_js__WEBPACK_IMPORTED_MODULE_7__/* .commitLookupOrder */ .ib)(ofCommit(data));
        const newest = (0,_release_choice_js__WEBPACK_IMPORTED_MODULE_7__/* .newestOfCommit */ .Dw)(ours);
        if (!newest)
            return undefined;
        const copies = newest.payload.key ? ours.filter((x) => x.payload.key === newest.payload.key) : [newest];
        const [entry] = dedupe(await Promise.all(copies.map((x) => this.withStatuses(x.d, x.payload))));
        return entry;
    }
    /**
     * The newest good entry (reached success, never failed) of a release deployed from the commit `sha` (7 to 40 hex
     * digits), or undefined. Bounded whatever the history: a short SHA is made whole by GitHub (one request; a SHA
     * that names no commit ends the look-up there), then one page of that commit's deployments (GitHub filters by
     * sha and environment) and the statuses of at most its newest COMMIT_LOOKUP_ENTRIES. Entries a rollback or a
     * reconciliation wrote are passed over: they may carry the commit of the run that wrote them.
     */
    async goodOfCommit(environment, sha) {
        let full = sha;
        if (!/^[0-9a-f]{40}$/.test(sha)) {
            try {
                ({
                    data: { sha: full },
                } = await this.github.rest.repos.getCommit({ owner: this.owner, repo: this.repo, ref: sha, per_page: 1 }));
            }
            catch (error) {
                const failure = error instanceof GitHubApiError ? error : new GitHubApiError(`looking up commit ${sha}`, error);
                // GitHub's answer for a SHA that names no commit of the repository.
                if (failure.status === 422 || failure.status === 404)
                    return undefined;
                throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .ShiplineError */ .J0(failure.message, {
                    cause: error,
                    hint: `Give all 40 hex digits of the commit, or a token with contents: read so a short SHA can be looked up.${failure.hint ? ` ${failure.hint}` : ''}`,
                });
            }
        }
        const { data } = await described(`reading the ${environment} deployments of commit ${full}`, () => this.github.rest.repos.listDeployments({
            owner: this.owner,
            repo: this.repo,
            environment,
            sha: full,
            per_page: 100,
        }));
        const ours = (0,_release_choice_js__WEBPACK_IMPORTED_MODULE_7__/* .commitLookupOrder */ .ib)(ofCommit(data)).slice(0, COMMIT_LOOKUP_ENTRIES);
        return (0,_release_choice_js__WEBPACK_IMPORTED_MODULE_7__/* .goodOfCommit */ .eA)(dedupe(await Promise.all(ours.map((x) => this.withStatuses(x.d, x.payload)))));
    }
    async withStatuses(d, payload) {
        const statuses = chronological(await described(`reading the statuses of deployment ${d.id}`, () => this.github.paginate(this.github.rest.repos.listDeploymentStatuses, {
            owner: this.owner,
            repo: this.repo,
            deployment_id: d.id,
            per_page: 100,
        })));
        return {
            id: d.id,
            sha: d.sha,
            ref: d.ref,
            environment: d.environment,
            createdAt: d.created_at,
            payload,
            state: statuses.at(-1)?.state,
            everSucceeded: statuses.some((s) => s.state === 'success'),
            everFailed: statuses.some((s) => s.state === 'failure' || s.state === 'error'),
        };
    }
}
/** A commit's deployments made by shipline, as records the commit look-ups of release-choice.ts choose among. */
function ofCommit(deployments) {
    return deployments.flatMap((d) => {
        const payload = payloadOf(d);
        return payload ? [{ d, payload, createdAt: d.created_at, id: d.id }] : [];
    });
}
function payloadOf(d) {
    const payload = (typeof d.payload === 'string' ? safeJson(d.payload) : d.payload);
    return payload?.shipline === 1 && payload.release ? payload : undefined;
}
/** One entry per key: the copy that carries statuses (the one the writer used), else the first created. */
function dedupe(entries) {
    const byKey = new Map();
    const out = [];
    for (const e of [...entries].sort((a, b) => a.id - b.id)) {
        const key = e.payload.key;
        if (!key) {
            out.push(e);
            continue;
        }
        const seen = byKey.get(key);
        if (!seen)
            byKey.set(key, e);
        else if (seen.state === undefined && e.state !== undefined)
            byKey.set(key, e);
    }
    return [...out, ...byKey.values()];
}
function safeJson(text) {
    try {
        return JSON.parse(text);
    }
    catch {
        return undefined;
    }
}
/** The ledger of this repository, or undefined (said in the log) when there is no token to keep one with. */
async function openLedger(options) {
    if (!options.token || !options.repository) {
        (0,_runner_js__WEBPACK_IMPORTED_MODULE_4__/* .info */ .pq)("Release ledger: off (no 'github-token'); the previous release comes from the provider's own history.");
        return undefined;
    }
    return new Ledger(await (0,_github_js__WEBPACK_IMPORTED_MODULE_3__.createGitHubClient)({ token: options.token, apiUrl: options.apiUrl, signal: options.signal }), options.repository, (0,_github_js__WEBPACK_IMPORTED_MODULE_3__/* .waitsFor */ .is)(options.apiUrl).ledgerRetryDelaysMs);
}


/***/ })

};
