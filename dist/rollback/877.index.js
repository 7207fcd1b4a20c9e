export const id = 877;
export const ids = [877];
export const modules = {

/***/ 1877:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  run: () => (/* binding */ run)
});

// UNUSED EXPORTS: ledgerBudgetMs, rolledBackDescription

// EXTERNAL MODULE: ./shared/deadline.ts
var deadline = __webpack_require__(1064);
// EXTERNAL MODULE: ./shared/errors.ts
var errors = __webpack_require__(2635);
// EXTERNAL MODULE: ./shared/http.ts
var http = __webpack_require__(9096);
// EXTERNAL MODULE: ./shared/inputs.ts
var shared_inputs = __webpack_require__(8573);
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: ./shared/runner.ts
var runner = __webpack_require__(2798);
;// CONCATENATED MODULE: ./shared/github.ts




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
class GitHubRateLimitError extends errors/* ShiplineError */.J0 {
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
    const local = (0,shared_inputs/* isLoopbackUrl */.tE)(apiUrl);
    return { paced: !local, retryBaseMs: local ? 10 : 1_000, ledgerRetryDelaysMs: local ? [10, 30] : [1_000, 3_000] };
}
/**
 * The throttling plugin's write and notification queues without their pause (a second between writes, three
 * between comments). GitHub asks for that pause to spare its own servers; an API on this machine is a stand-in or
 * a local tool, where the pause would only slow the step. Rate limits an API answers are still waited out.
 */
function unpaced(Bottleneck) {
    return { write: new Bottleneck.Group({ id: 'shipline-write', maxConcurrent: 1 }), notifications: new Bottleneck.Group({ id: 'shipline-notifications', maxConcurrent: 1 }) };
}
/** The build of Bottleneck the throttling plugin itself loads (no clustering); the package types it as the full one. */
async function bottleneckLight() {
    // @ts-expect-error: bottleneck ships one declaration file, for its main entry; light.js has the same shape.
    return (await __webpack_require__.e(/* import() */ 251).then(__webpack_require__.t.bind(__webpack_require__, 3251, 23))).default;
}
/**
 * `signal`, when given, ends every request of this client once it aborts, including those already sent: a caller
 * that gives up on GitHub (rollback's bounded ledger read) knows that nothing it started goes on behind its back.
 */
async function createGitHubClient(options) {
    // One after another: the modules share dependencies, and jest's ESM loader cannot link them concurrently.
    const { getOctokit } = await Promise.resolve(/* import() */).then(__webpack_require__.bind(__webpack_require__, 1758));
    const { retry } = await Promise.all(/* import() */[__webpack_require__.e(251), __webpack_require__.e(735)]).then(__webpack_require__.bind(__webpack_require__, 9735));
    const { throttling } = await Promise.all(/* import() */[__webpack_require__.e(251), __webpack_require__.e(856)]).then(__webpack_require__.bind(__webpack_require__, 6856));
    const cap = options.maxRateLimitWaitS ?? MAX_RATE_LIMIT_WAIT_S;
    const timeoutMs = options.timeoutMs ?? 30_000;
    // The one proxy rule of shared/http.ts (HTTPS_PROXY/NO_PROXY, loopback not silently exempt, unlike
    // @actions/github's own agent), with a bound on every request: a silent server never hangs a step.
    const timedFetch = (url, init) => {
        const signals = [AbortSignal.timeout(timeoutMs), init?.signal, options.signal].filter((s) => Boolean(s));
        return (0,http/* proxiedFetch */.iR)(url, { ...init, signal: AbortSignal.any(signals) });
    };
    const onLimit = (kind) => (retryAfter, request, _octokit, retryCount) => {
        if (!shouldWait(retryAfter, retryCount, cap))
            return false;
        (0,runner/* warning */.$e)(`GitHub ${kind} rate limit on ${request.method} ${request.url}: waiting ${retryAfter} s before retry ${retryCount + 1} of ${MAX_RATE_LIMIT_RETRIES}.`);
        return true;
    };
    const baseUrl = (options.apiUrl ?? process.env.GITHUB_API_URL ?? 'https://api.github.com').replace(/\/$/, '');
    const client = getOctokit(options.token, {
        baseUrl,
        userAgent: 'shipline',
        request: { fetch: timedFetch },
        throttle: { onRateLimit: onLimit('primary'), onSecondaryRateLimit: onLimit('secondary'), ...((0,shared_inputs/* isLoopbackUrl */.tE)(baseUrl) ? unpaced(await bottleneckLight()) : {}) },
        // Rate limits (403 and 429) are the throttling plugin's; this one retries 5xx and dropped connections.
        retry: { doNotRetry: [400, 401, 403, 404, 410, 422, 429, 451], retryAfterBaseValue: waitsFor(baseUrl).retryBaseMs },
        log: { debug: () => { }, info: () => { }, warn: (message) => (0,runner/* debug */.Yz)(message), error: (message) => (0,runner/* debug */.Yz)(message) },
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

// EXTERNAL MODULE: ./shared/sanitise.ts + 1 modules
var sanitise = __webpack_require__(1193);
// EXTERNAL MODULE: ./shared/collections.ts
var collections = __webpack_require__(9243);
;// CONCATENATED MODULE: ./shared/ledger.ts
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
// alone: `reconcile` compares it with what the provider says is live and names the write that completes it.
// Writes are retried; a create is idempotent by its key (looked up before it is sent again, and duplicates that a
// retried POST made anyway are folded together when read).







/** The statuses oldest first, whatever order GitHub answered in: by created_at, then id. */
function chronological(statuses) {
    return [...statuses].sort((a, b) => Date.parse(a.created_at) - Date.parse(b.created_at) || a.id - b.id);
}
/** GitHub caps a status description at 140 characters. */
function description(text) {
    return (0,sanitise/* excerpt */.Kb)(text, 140);
}
/** A GitHub API call that failed: the operation, GitHub's own message, and what to do about it. */
class GitHubApiError extends errors/* ShiplineError */.J0 {
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
        const network = e.cause instanceof errors/* ShiplineError */.J0 ? e.cause.message.replace(/^GitHub API: /, '') : e.cause && !e.response ? noAnswer(e.cause) : undefined;
        // A rate limit the client would not wait out (shared/github.ts) arrives as a sentence already: it keeps it, and
        // is final — the client has waited all a step may wait, so trying again here would only wait longer.
        const decided = error instanceof errors/* ShiplineError */.J0 && !(error instanceof GitHubApiError) ? error : undefined;
        const detail = decided ? decided.message : status ? `HTTP ${status} ${ghMessage ?? ''}`.trim() : (network ?? (e.message || String(error)).replace(/^GitHub API: /, ''));
        super(`GitHub API: ${operation} failed: ${decided ? detail : detail.split('\n')[0]}`, { cause: error, hint: decided ? decided.hint : hintFor(status, ghMessage, e.response?.headers) });
        this.name = 'GitHubApiError';
        this.status = status;
        this.transient = !decided && (status === undefined || status >= 500 || status === 429 || (status === 403 && e.response?.headers?.['x-ratelimit-remaining'] === '0'));
        this.unavailable = this.transient || decided instanceof GitHubRateLimitError;
    }
}
/** What happened to a request that got no answer, in words (Octokit's own message for it is often "Unknown Error"). */
function noAnswer(cause) {
    const { kind, detail } = (0,http/* classifyNetworkError */.LW)(cause);
    return new errors/* NetworkError */.Dr('no answer', kind, detail).message;
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
            (0,runner/* info */.pq)(`${failure.message}; trying again in ${delay / 1000}s (attempt ${attempt + 2} of ${LEDGER_CREATE_ATTEMPTS})`);
            await (0,http/* sleep */.yy)(delay);
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
    createRetryDelaysMs = waitsFor('https://api.github.com').ledgerRetryDelaysMs) {
        this.github = github;
        this.createRetryDelaysMs = createRetryDelaysMs;
        ({ owner: this.owner, repo: this.repo } = splitRepository(repository));
    }
    /**
     * Records a release as a new deployment of `environment`, in progress. `key` names this record: a retry after
     * an answer that never came first looks the key up, so a create GitHub already acted on is not sent again.
     */
    async record(options) {
        const key = options.key ?? (0,external_node_crypto_.randomUUID)();
        const payload = { shipline: 1, key, release: options.release, previous: options.previous, rollback: options.rollback, adopted: options.adopted || undefined };
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
        this.known.set(id, { environment: options.environment, production: options.production, state: undefined, releaseId: options.release.id });
        await this.setStatus(id, 'in_progress', { description: options.description, logUrl: options.logUrl });
        return id;
    }
    /** The oldest deployment of the environment made under `key` (the newest page is enough: it was just made). */
    async findByKey(environment, key) {
        const { data } = await this.github.rest.repos.listDeployments({ owner: this.owner, repo: this.repo, environment, per_page: 100 });
        const ids = data.filter((d) => payloadOf(d)?.key === key).map((d) => d.id);
        return ids.length > 0 ? (0,collections/* smallest */.o9)(ids) : undefined;
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
        const deployments = await described(`reading the ${environment} deployments`, () => this.github.paginate(this.github.rest.repos.listDeployments, { owner: this.owner, repo: this.repo, environment, per_page: 100 }));
        const ours = deployments
            .map((d) => ({ d, payload: payloadOf(d) }))
            .filter((x) => x.payload !== undefined)
            .sort((a, b) => b.d.created_at.localeCompare(a.d.created_at) || b.d.id - a.d.id);
        const loaded = new Map();
        const load = (batch) => Promise.all(batch.filter((x) => !loaded.has(x.d.id)).map(async (x) => loaded.set(x.d.id, await this.withStatuses(x.d, x.payload))));
        const enough = (count) => {
            const prefix = ours.slice(0, count).map((x) => loaded.get(x.d.id)).filter((e) => e !== undefined);
            const good = (e) => e.everSucceeded && !e.everFailed;
            if (prefix.filter(good).length < 2)
                return false;
            for (const id of around.releaseIds ?? []) {
                const at = prefix.findIndex((e) => e.payload.release.id === id);
                if (at < 0 ? ours.slice(count).some((x) => x.payload.release.id === id) : !prefix.slice(at + 1).some(good))
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
        return entries.sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id - a.id);
    }
    /**
     * The full SHA of a commit named by a prefix of 7 or more hex digits: the deployments API filters on the SHA
     * GitHub recorded, all 40 digits. GET …/commits/{ref} takes a short SHA (it needs contents: read).
     */
    async fullSha(sha) {
        if (/^[0-9a-f]{40}$/.test(sha))
            return sha;
        try {
            const { data } = await this.github.rest.repos.getCommit({ owner: this.owner, repo: this.repo, ref: sha, per_page: 1 });
            return data.sha;
        }
        catch (error) {
            const failure = error instanceof GitHubApiError ? error : new GitHubApiError(`looking up commit ${sha}`, error);
            throw new errors/* ShiplineError */.J0(failure.message, { cause: error, hint: `Give all 40 hex digits of the commit (github.sha), or a token with contents: read so a short SHA can be looked up.${failure.hint ? ` ${failure.hint}` : ''}` });
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
        const ours = data
            .map((d) => ({ d, payload: payloadOf(d) }))
            .filter((x) => x.payload !== undefined && !x.payload.rollback && !x.payload.adopted)
            .sort((a, b) => b.d.created_at.localeCompare(a.d.created_at) || b.d.id - a.d.id);
        const newest = ours[0];
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
                ({ data: { sha: full } } = await this.github.rest.repos.getCommit({ owner: this.owner, repo: this.repo, ref: sha, per_page: 1 }));
            }
            catch (error) {
                const failure = error instanceof GitHubApiError ? error : new GitHubApiError(`looking up commit ${sha}`, error);
                // GitHub's answer for a SHA that names no commit of the repository.
                if (failure.status === 422 || failure.status === 404)
                    return undefined;
                throw new errors/* ShiplineError */.J0(failure.message, { cause: error, hint: `Give all 40 hex digits of the commit, or a token with contents: read so a short SHA can be looked up.${failure.hint ? ` ${failure.hint}` : ''}` });
            }
        }
        const { data } = await described(`reading the ${environment} deployments of commit ${full}`, () => this.github.rest.repos.listDeployments({ owner: this.owner, repo: this.repo, environment, sha: full, per_page: 100 }));
        const ours = data
            .map((d) => ({ d, payload: payloadOf(d) }))
            .filter((x) => x.payload !== undefined && !x.payload.rollback && !x.payload.adopted)
            .sort((a, b) => b.d.created_at.localeCompare(a.d.created_at) || b.d.id - a.d.id)
            .slice(0, COMMIT_LOOKUP_ENTRIES);
        const entries = dedupe(await Promise.all(ours.map((x) => this.withStatuses(x.d, x.payload))));
        return entries.sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id - a.id).find((e) => e.everSucceeded && !e.everFailed);
    }
    async withStatuses(d, payload) {
        const statuses = chronological(await described(`reading the statuses of deployment ${d.id}`, () => this.github.paginate(this.github.rest.repos.listDeploymentStatuses, { owner: this.owner, repo: this.repo, deployment_id: d.id, per_page: 100 })));
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
    /**
     * Writes what `reconcile` found missing, so the ledger agrees with production before anything is decided;
     * returns the entry of the release production serves. Changes nothing at the provider.
     */
    async complete(r, context) {
        const live = r.kind === 'went-live' ? r.entry.payload.release : r.release;
        if (r.kind === 'went-live') {
            await this.setStatus(r.entry.id, 'success', { description: `live at ${context.provider} (recorded late)`, environmentUrl: live.url, logUrl: context.logUrl });
            const from = r.entry.payload.rollback?.from;
            if (from && r.replaced && r.replaced.payload.release.id === from.id && !r.replaced.everFailed) {
                await this.setStatus(r.replaced.id, 'failure', { description: `rolled back to ${live.id} (recorded late)`, logUrl: context.logUrl });
            }
            return { ...r.entry, state: 'success', everSucceeded: true };
        }
        if (r.kind === 'rolled-back' && !r.replaced.everFailed) {
            await this.setStatus(r.replaced.id, 'failure', { description: `rolled back to ${live.id} (recorded late)`, logUrl: context.logUrl });
        }
        const previous = r.replaced?.payload.release;
        const payload = r.kind === 'adopt' ? { release: live, previous, adopted: true } : { release: live, previous, rollback: { from: r.replaced.payload.release, reason: 'recorded late: production had already been switched' } };
        const id = await this.record({
            ...payload,
            key: context.key,
            environment: context.environment,
            sha: live.sha || context.sha,
            ref: context.ref,
            production: true,
            transient: false,
            description: r.kind === 'adopt' ? `adopted: ${context.provider} serves ${live.id}` : `rollback to ${live.id} (recorded late)`,
            logUrl: context.logUrl,
        });
        await this.setStatus(id, 'success', { description: `live at ${context.provider} (recorded late)`, environmentUrl: live.url, logUrl: context.logUrl });
        return { id, sha: live.sha || context.sha, ref: context.ref, environment: context.environment, createdAt: new Date().toISOString(), payload: { shipline: 1, key: context.key, ...payload }, state: 'success', everSucceeded: true, everFailed: false };
    }
    /** Compares the ledger with what the provider serves (`current`; undefined when the provider cannot tell). */
    static reconcile(entries, current) {
        const lastLive = entries.find((e) => e.everSucceeded);
        if (!current)
            return { kind: 'consistent', live: Ledger.live(entries) };
        const entry = Ledger.byProviderId(entries, current.id);
        if (!entry)
            return { kind: 'adopt', release: current, replaced: lastLive };
        if (entry === lastLive)
            return { kind: 'consistent', live: entry };
        if (!lastLive || entries.indexOf(entry) < entries.indexOf(lastLive))
            return { kind: 'went-live', entry, replaced: lastLive };
        return { kind: 'rolled-back', release: { ...entry.payload.release, ...current }, entry, replaced: lastLive };
    }
    static live(entries) {
        return entries.find((e) => e.state === 'success');
    }
    /** The newest release older than `live` that was good (reached success, never failed) and is not live itself. */
    static previousGood(entries, live) {
        const start = live ? entries.findIndex((e) => e.id === live.id) + 1 : 0;
        return entries.slice(start).find((e) => e.everSucceeded && !e.everFailed && e.payload.release.id !== live?.payload.release.id);
    }
    static byProviderId(entries, id) {
        return entries.find((e) => e.payload.release.id === id);
    }
    static bySha(entries, sha) {
        return entries.find((e) => e.sha.startsWith(sha) && e.everSucceeded && !e.everFailed);
    }
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
        (0,runner/* info */.pq)("Release ledger: off (no 'github-token'); the previous release comes from the provider's own history.");
        return undefined;
    }
    return new Ledger(await createGitHubClient({ token: options.token, apiUrl: options.apiUrl, signal: options.signal }), options.repository, waitsFor(options.apiUrl).ledgerRetryDelaysMs);
}

// EXTERNAL MODULE: ./shared/providers/load.ts
var load = __webpack_require__(2347);
// EXTERNAL MODULE: ./node_modules/@actions/github/lib/github.js + 21 modules
var github = __webpack_require__(1758);
;// CONCATENATED MODULE: ./shared/workspace.ts
// The folder a step works in, on its own so that an action needing only this does not load @actions/github (and
// the HTTP client under it) just to read one variable: GITHUB_WORKSPACE as the runner sets it, else the current
// directory (a terminal run). run-context.ts reads it from here too.
function workspaceOf(env = process.env) {
    return env.GITHUB_WORKSPACE || process.cwd();
}

;// CONCATENATED MODULE: ./shared/run-context.ts
// What the runner tells a step about the run it is part of, as @actions/github's `context` reads it (the GITHUB_*
// variables and the event payload at GITHUB_EVENT_PATH), mapped to the names shipline's summaries and messages
// use. Three variables the context does not carry come from the environment: GITHUB_WORKSPACE, GITHUB_HEAD_REF and
// GITHUB_REF_NAME.



function repository() {
    try {
        const { owner, repo } = github/* context */._.repo;
        return `${owner}/${repo}`;
    }
    catch {
        return ''; // neither GITHUB_REPOSITORY nor a repository in the payload: a terminal run outside a clone
    }
}
const run_context_text = (n) => (Number.isFinite(n) ? String(n) : '');
function readRunContext(env = process.env) {
    const serverUrl = github/* context */._.serverUrl;
    const repo = repository();
    const event = github/* context */._.payload;
    const pr = (event.pull_request ?? undefined);
    const sha = pr?.head?.sha ?? github/* context */._.sha ?? '';
    const runId = run_context_text(github/* context */._.runId);
    const headCommitMessage = event.head_commit?.message ?? undefined;
    const ref = github/* context */._.ref ?? '';
    return {
        serverUrl,
        apiUrl: github/* context */._.apiUrl,
        repository: repo,
        repositoryUrl: `${serverUrl}/${repo}`,
        sha,
        shortSha: sha.slice(0, 7),
        ref,
        refName: env.GITHUB_HEAD_REF || env.GITHUB_REF_NAME || ref.replace(/^refs\/(heads|tags)\//, ''),
        actor: github/* context */._.actor || event.sender?.login || '',
        eventName: github/* context */._.eventName ?? '',
        event,
        workflow: github/* context */._.workflow ?? '',
        job: github/* context */._.job ?? '',
        runId,
        runAttempt: run_context_text(github/* context */._.runAttempt) || '1',
        runUrl: runId ? `${serverUrl}/${repo}/actions/runs/${runId}` : '',
        workspace: workspaceOf(env),
        pullRequest: pr
            ? {
                number: Number(pr.number),
                title: String(pr.title ?? ''),
                url: String(pr.html_url ?? ''),
                headSha: String(pr.head?.sha ?? ''),
                fromFork: Boolean(pr.head?.repo && pr.base?.repo && pr.head.repo.full_name !== pr.base.repo.full_name),
            }
            : undefined,
        commitSubject: headCommitMessage?.split('\n')[0],
        commitUrl: sha ? `${serverUrl}/${repo}/commit/${sha}` : '',
    };
}
/** One key per step attempt and purpose: a retried request finds what it made, a re-run makes its own. */
function stepKey(context, purpose) {
    return `${context.runId || 'local'}-${context.runAttempt}-${context.job}-${purpose}-${(0,external_node_crypto_.randomUUID)().slice(0, 8)}`;
}

// EXTERNAL MODULE: ./shared/summary.ts
var summary = __webpack_require__(6566);
;// CONCATENATED MODULE: ./shared/release-summary.ts


function serviceName(s) {
    return s.name ? `**${(0,sanitise/* escapeMarkdown */.FV)(s.name)}** (${(0,sanitise/* codeSpan */.SS)(s.service)})` : (0,sanitise/* codeSpan */.SS)(s.service);
}
/** A summary cell naming the release; with `urls`, each service's (or the release's) URL too. */
function releaseCell(release, options = {}) {
    if (!release)
        return undefined;
    if (!release.services?.length)
        return options.urls && release.url ? `${release.id} (${release.url})` : release.id;
    const lines = release.services.map((s) => {
        const deployment = s.id ? (0,sanitise/* codeSpan */.SS)(s.id) : 'no deployment';
        const state = s.state ? ` ${(0,sanitise/* escapeMarkdown */.FV)(s.state)}` : '';
        const url = options.urls && s.url ? ` ${(0,sanitise/* escapeMarkdown */.FV)(s.url)}` : '';
        return `${serviceName(s)}: ${deployment}${state}${url}`;
    });
    return (0,summary/* markdown */.wD)(lines.join('\n'));
}
/** A summary cell with every service's URL, by name; for a single-service release, `url` or its own. */
function urlCell(release, url) {
    const services = release?.services?.filter((s) => s.url) ?? [];
    if (services.length === 0)
        return url ?? release?.url;
    return markdown(services.map((s) => `${escapeMarkdown(s.name ?? s.service)}: ${escapeMarkdown(s.url)}`).join('\n'));
}
/** The release in one line of plain text (for an outcome sentence): `backend dpl-1, frontend dpl-2`, else its id. */
function releaseLabel(release) {
    if (!release.services?.length)
        return release.id;
    return release.services.map((s) => `${s.name ?? s.service} ${s.id || '(no deployment)'}`).join(', ');
}

// EXTERNAL MODULE: ./shared/sentry-inputs.ts
var sentry_inputs = __webpack_require__(9413);
// EXTERNAL MODULE: ./actions/rollback/src/target.ts
var src_target = __webpack_require__(4233);
;// CONCATENATED MODULE: ./actions/rollback/src/run.ts
// rollback: work out exactly which release to put back (the ledger's record of what was good before the live
// one, else the provider's own history), re-point production at it, check it answers, and record what happened.
//
// The provider is asked first what production serves, and the ledger is made to agree with it before anything is
// decided (Ledger.reconcile): a release live without an entry is adopted, a rollback whose ledger write failed is
// completed. So a re-run after a partial failure finishes the record and changes nothing at the provider, and
// "previous" is one back from what is really live.












/**
 * Reads the ledger and makes it agree with what the provider serves. In a dry run the missing entry is only
 * imagined (id 0), so the plan is the same as a real run's and nothing is written.
 */
async function readLedger(ledger, inputs, target, provider, live, context) {
    const targetId = target.kind === 'id' ? target.id : target.kind === 'id-or-sha' ? target.value : undefined;
    const ids = [live?.id, inputs['failed-deployment-id'], targetId].filter((x) => Boolean(x));
    // A commit named as the target is looked up on its own (Ledger.goodOfCommit, in bySha): reading statuses until
    // it turns up would read the whole history for a SHA with no release.
    const entries = await ledger.entries(inputs.environment, { releaseIds: ids });
    if (live?.mixed) {
        // Not a release: never adopted as the live one. The ledger stays as it is until the services are settled.
        (0,runner/* warning */.$e)(`Ledger: ${provider.name} serves no single release (${live.mixed}); not recorded as one.`);
        return { ledger, entries, liveEntry: Ledger.live(entries) };
    }
    const recorded = asRecorded(entries, live);
    const found = Ledger.reconcile(entries, recorded);
    // Reconciled as the recorded release, written as what production serves (its own ids).
    const r = found.kind === 'rolled-back' && recorded !== live ? { ...found, release: { ...found.release, ...live } } : found;
    if (r.kind === 'consistent')
        return { ledger, entries, liveEntry: r.live && recorded !== live ? servingAs(r.live, live) : r.live };
    const what = {
        adopt: `${provider.name} serves ${live?.id}, which the ledger has no entry for: adopting it as the live release`,
        'went-live': `${provider.name} serves ${live?.id}, whose ledger entry never recorded that it went live: recording it`,
        'rolled-back': `${provider.name} serves ${live?.id}, older than the ledger's live release (${r.kind === 'rolled-back' ? r.replaced.payload.release.id : ''}): a rollback whose ledger write failed; completing the ledger`,
    }[r.kind];
    (0,runner/* warning */.$e)(`Ledger: ${what}.`);
    if (inputs['dry-run']) {
        const release = r.kind === 'went-live' ? r.entry.payload.release : r.release;
        const imagined = r.kind === 'went-live'
            ? { ...r.entry, state: 'success', everSucceeded: true }
            : { id: 0, sha: release.sha ?? '', ref: '', environment: inputs.environment, createdAt: new Date().toISOString(), state: 'success', everSucceeded: true, everFailed: false, payload: { shipline: 1, release, rollback: r.kind === 'rolled-back' ? { from: r.replaced.payload.release } : undefined } };
        return { ledger, entries: withLive(entries, imagined), liveEntry: imagined, reconciled: `would record: ${what}` };
    }
    const liveEntry = await ledger.complete(r, { environment: inputs.environment, key: stepKey(context, 'reconcile'), sha: context.sha, ref: context.refName, provider: provider.name, logUrl: context.runUrl });
    return { ledger, entries: withLive(entries, liveEntry), liveEntry, reconciled: what };
}
/**
 * A Railway rollback starts new deployments from the old ones' images, so a release restored by a rollback whose
 * ledger write never happened has ids the ledger does not know: it is the ledger's good release of the same
 * commit over the same services, and is reconciled as that one (not adopted as a new release, whose "previous"
 * would be the release just rolled back).
 */
function asRecorded(entries, live) {
    if (!live?.services?.length || !live.sha || Ledger.byProviderId(entries, live.id))
        return live;
    const servicesOf = (r) => (r.services ?? []).map((s) => s.service).sort().join(',');
    const same = entries.find((e) => e.everSucceeded && e.sha === live.sha && servicesOf(e.payload.release) === servicesOf(live));
    return same ? { ...live, id: same.payload.release.id } : live;
}
/** The ledger's entry of a release, under the ids production serves it with. */
function servingAs(entry, live) {
    return { ...entry, payload: { ...entry.payload, release: { ...entry.payload.release, ...live } } };
}
function withLive(entries, live) {
    return [live, ...entries.filter((e) => e.id !== live.id)];
}
async function plan(inputs, target, provider, live, view) {
    const entries = view?.entries;
    const liveEntry = view?.liveEntry;
    const base = { live: live ?? liveEntry?.payload.release, liveEntry };
    if (live?.mixed) {
        // The services serve different releases (a switch that stopped part-way): not a release, so never kept as
        // the good one nor gone back one from. 'previous' (and the in-job rollback of a failed release) settles every
        // service on one release; a named target is restored on every service. The ledger's live release is taken
        // out only when it is not the one restored (a rollback completed, not a deploy's services put back).
        const chosen = target.kind === 'previous' ? { target: await provider.previous(live), source: 'provider history' } : await byTarget(inputs, target, provider, view);
        (0,runner/* info */.pq)(`Rollback: ${provider.name} serves no single release (${live.mixed}); every service goes to ${chosen.target?.id ?? 'a release to be found'}.`);
        return { live, liveEntry: liveEntry && chosen.target && liveEntry.sha !== chosen.target.sha ? liveEntry : undefined, ...chosen };
    }
    const failed = inputs['failed-deployment-id'];
    if (failed && base.live?.id !== failed) {
        return { ...base, target: base.live, source: 'input', noChange: `${failed} is not live (production serves ${base.live?.id ?? 'nothing'}): nothing to restore` };
    }
    if (target.kind === 'previous') {
        if (entries) {
            // The provider serves a release the ledger never recorded as live (a multi-service release that failed
            // part-way and could not be put back): the ledger's live release is the one before it, one release back,
            // and stays good in the ledger (what is taken out is the unrecorded one).
            if (live && liveEntry && liveEntry.payload.release.id !== live.id && live.services?.length)
                return { live, liveEntry: undefined, target: liveEntry.payload.release, source: 'ledger' };
            const rolledBack = liveEntry?.payload.rollback;
            if (rolledBack && !failed)
                return { ...base, target: base.live, source: 'ledger', noChange: `already rolled back: ${liveEntry?.payload.release.id} was restored from ${rolledBack.from.id}` };
            return { ...base, target: Ledger.previousGood(entries, liveEntry)?.payload.release, source: 'ledger' };
        }
        if (live?.restoredFrom && !failed)
            return { ...base, target: live, source: 'provider history', noChange: `already rolled back: ${live.id} was restored from ${live.restoredFrom}` };
        return { ...base, target: await provider.previous(live), source: 'provider history' };
    }
    return { ...base, ...(await byTarget(inputs, target, provider, view)) };
}
/** The release a named target (an id, a commit) is. */
async function byTarget(inputs, target, provider, view) {
    if (target.kind === 'sha')
        return bySha(target.sha, provider, view, inputs.environment);
    if (target.kind === 'id')
        return { target: await provider.describe(target.id), source: 'input' };
    return byIdOrSha(inputs.provider, target.value, provider, view, inputs.environment);
}
/**
 * The release of a commit: the ledger's good release of it (among the entries read, else by a look-up of that
 * commit alone), else the provider's newest ready one. A few requests whatever the history's length.
 */
async function bySha(sha, provider, view, environment) {
    const fromLedger = view ? (Ledger.bySha(view.entries, sha) ?? (await view.ledger.goodOfCommit(environment, sha)))?.payload.release : undefined;
    return { target: fromLedger ?? (await provider.findBySha(sha)), source: fromLedger ? 'ledger' : 'provider history' };
}
/** The release with this id, or undefined when the provider has none (404); any other failure is thrown. */
async function describeIfAny(provider, id) {
    try {
        return await provider.describe(id);
    }
    catch (error) {
        if (error instanceof errors/* ProviderError */.mZ && error.status === 404)
            return undefined;
        throw error;
    }
}
/**
 * A value with the shape of both a release id and a commit SHA (a Netlify deploy id): looked up as both. The one
 * that exists is restored; when both do, nothing is guessed and the step fails naming both and the prefixes.
 */
async function byIdOrSha(name, value, provider, view, environment) {
    const asId = (view ? Ledger.byProviderId(view.entries, value)?.payload.release : undefined) ?? (await describeIfAny(provider, value));
    const asSha = await bySha(value.toLowerCase(), provider, view, environment);
    if (asId && asSha.target && asId.id !== asSha.target.id) {
        throw new errors/* InputError */.dz([
            `Input 'target' '${value}' names two releases: ${asId.id} (as ${load/* RELEASE_IDS */.jA[name].form}) and ${asSha.target.id} (built from commit ${asSha.target.sha ?? value}). Say which: 'id:${value}' or 'sha:${value}'`,
        ]);
    }
    if (asId)
        return { target: asId, source: 'input' };
    if (asSha.target)
        return asSha;
    throw new errors/* ShiplineError */.J0(`Input 'target' '${value}' is neither a ${name} release nor a commit with a release in ${name}: with provider ${name} it takes ${(0,src_target/* targetForms */.PY)(name)}`);
}
async function verify(url) {
    const response = await (0,http/* request */.Em)(url, { label: `GET ${url}`, timeoutMs: 10_000, retry: { retries: 3, baseDelayMs: 500 } });
    await response.body?.cancel().catch(() => undefined);
    if (response.status >= 400)
        throw new errors/* ShiplineError */.J0(`Rolled back, but ${url} answers HTTP ${response.status}`, { hint: 'Production now serves the restored release; check it by hand.' });
    return response.status;
}
async function run(given) {
    const context = readRunContext();
    const waitTimeout = `wait-timeout ${(0,shared_inputs/* durationText */.S5)(given['wait-timeout'])}`;
    // The reads before the switch (what is live, the history, the target) end by wait-timeout from the step's start;
    // the switch itself then gets its own wait-timeout.
    const provider = await (0,load/* loadProvider */.Cg)(given.provider, { ...(0,load/* providerConfig */.Y6)(given, context.workspace, { token: given['github-token'], serverUrl: context.serverUrl }), deadline: deadline/* Deadline */.B.in(given['wait-timeout'], waitTimeout) });
    // Every GitHub request of the ledger read before the switch ends when `reading` aborts (readLedgerInTime).
    const reading = new AbortController();
    const ledger = await openLedger({ token: given['github-token'], apiUrl: context.apiUrl, repository: context.repository, signal: reading.signal });
    let inputs = given;
    let byCommit;
    if (given['failed-commit']) {
        if (!ledger)
            throw new errors/* ShiplineError */.J0(`Input 'failed-commit' needs the release ledger, and it is off`, { hint: "Set 'github-token' (deployments: read and write) and GITHUB_REPOSITORY." });
        const sha = await ledger.fullSha(given['failed-commit']);
        const entry = await ledger.newestOfCommit(given.environment, sha);
        if (!entry) {
            // The job stopped before it deployed (or before its ledger entry was written): nothing of this commit can
            // be serving, and restoring anything would be a guess.
            const text = `the ${given.environment} ledger has no release deployed from commit ${sha}: nothing to restore`;
            (0,runner/* info */.pq)(`Rollback: ${text}.`);
            (0,runner/* setOutput */.uH)('changed', 'false');
            (0,summary/* appendSummary */.fe)(`### Rollback: ${given.provider} → ${given.environment}\n\n${(0,summary/* facts */.Ix)([['Outcome', `no change: ${text}`], ['Failed commit', sha], ['Reason', given.reason]])}`);
            return;
        }
        byCommit = { sha, entry };
        (0,runner/* info */.pq)(`Rollback: commit ${sha} was deployed to ${given.environment} as ${entry.payload.release.id} (ledger entry ${entry.id}); treating it as the failed release.`);
        inputs = { ...given, 'failed-deployment-id': entry.payload.release.id };
    }
    // The provider says what production serves (where it can: Supabase functions carry no release identity, and
    // then the ledger's live release is it); the ledger, made to agree with it, says what was good before it.
    const parsed = (0,src_target/* parseTarget */.hu)(inputs.provider, inputs.target);
    if ('problem' in parsed)
        throw new errors/* InputError */.dz([parsed.problem]);
    const live = await provider.current();
    const budgetMs = ledgerBudgetMs(inputs['wait-timeout']);
    let view;
    /** Why the ledger could not be read in time, when it could not: the plan then comes from the provider's history. */
    let ledgerDown;
    if (ledger) {
        try {
            view = await inTime(() => readLedger(ledger, inputs, parsed.target, provider, live, context), budgetMs, reading, `reading the ${inputs.environment} ledger`);
        }
        catch (error) {
            // GitHub rate-limited, failing or silent must not keep a bad release serving: the provider knows its own
            // history. A refusal (a token without deployments: read) is not an outage and fails here, before any change.
            if (!ledgerUnavailable(error))
                throw error;
            ledgerDown = (0,errors/* failureMessage */.oh)(error).split('\n')[0];
            (0,runner/* warning */.$e)(`Ledger: ${ledgerDown}. Choosing the release from the provider's own history (${provider.name}); the ledger is written after the switch if GitHub answers by then, else this step names the writes it owes.`);
        }
    }
    const p = await plan(inputs, parsed.target, provider, live, view);
    const reason = inputs.reason ? ` (${inputs.reason})` : '';
    const ledgerRow = ledgerDown ? `not read (${ledgerDown}); chosen from ${provider.name}'s own history` : view?.reconciled;
    const report = (outcome) => (0,summary/* appendSummary */.fe)(run_summary(p, outcome, inputs, ledgerRow, byCommit));
    if (p.noChange) {
        (0,runner/* info */.pq)(`Rollback: ${p.noChange}.`);
        if (ledgerDown) {
            // Production is right, but whether the ledger says so could not be checked: the step succeeds only when both
            // hold, so that a later re-run (or the safety net) completes the record.
            const text = `no change: ${p.noChange}; the ledger could not be read to check that it agrees`;
            report({ kind: 'no change', text });
            throw new errors/* ShiplineError */.J0(`Rollback: ${p.noChange}, but the ledger could not be read (${ledgerDown})`, { hint: 'Production needs nothing. Re-run this rollback once GitHub answers: it completes the ledger if it lags behind, and changes nothing at the provider.' });
        }
        if (view && inputs['failed-deployment-id'] && !inputs['dry-run']) {
            const failedEntry = Ledger.byProviderId(view.entries, inputs['failed-deployment-id']);
            const description = byCommit ? `not live; marked failed by commit ${byCommit.sha.slice(0, 12)} (safety net)${reason}` : `failed checks, never live${reason}`;
            if (failedEntry && !failedEntry.everFailed)
                await view.ledger.setStatus(failedEntry.id, 'failure', { description, logUrl: context.runUrl });
        }
        (0,runner/* setOutput */.uH)('changed', 'false');
        if (p.target) {
            (0,runner/* setOutput */.uH)('restored-deployment-id', p.target.id);
            if (p.target.url)
                (0,runner/* setOutput */.uH)('url', p.target.url);
        }
        report({ kind: 'no change', text: `no change: ${p.noChange}` });
        return;
    }
    if (!p.target)
        throw new errors/* ShiplineError */.J0(`No release to roll back to in ${inputs.environment} (${p.source}${p.live ? `; live is ${p.live.id}` : ''})`, { hint: "Name one with input 'target' (a deployment id or a commit SHA)." });
    if (p.target.id === p.live?.id) {
        (0,runner/* info */.pq)(`Rollback: ${p.target.id} is already live.`);
        (0,runner/* setOutput */.uH)('changed', 'false');
        (0,runner/* setOutput */.uH)('restored-deployment-id', p.target.id);
        if (p.target.url)
            (0,runner/* setOutput */.uH)('url', p.target.url);
        report({ kind: 'no change', text: 'no change: already live' });
        return;
    }
    if (inputs['dry-run']) {
        (0,runner/* info */.pq)(`Dry run: would restore ${p.target.id} (${p.target.url ?? 'no URL'}) in place of ${p.live?.id ?? 'nothing'}, found from ${p.source}.`);
        (0,runner/* setOutput */.uH)('changed', 'false');
        report({ kind: 'dry run', text: `dry run: would restore ${p.target.id}` });
        return;
    }
    const target = p.target;
    const started = Date.now();
    const restored = await (0,runner/* group */.Os)(`Roll back ${inputs.environment}: ${p.live?.id ?? '?'} → ${target.id}`, () => provider.rollback(target, deadline/* Deadline */.B.in(inputs['wait-timeout'], waitTimeout)));
    const switchMs = Date.now() - started;
    (0,runner/* setOutput */.uH)('restored-deployment-id', restored.id);
    if (restored.url)
        (0,runner/* setOutput */.uH)('url', restored.url);
    if (ledger) {
        const owed = owedWrites(p.live, restored);
        try {
            if (view)
                await recordRollback(view.ledger, p, restored, inputs, context, byCommit?.sha);
            else
                await recordAfterOutage(given, p, restored, inputs, context, byCommit?.sha, budgetMs);
        }
        catch (error) {
            // Production changed; only the record of it is missing. Say exactly that, and what completes it. The step
            // fails, and `changed` stays unwritten: the pipeline reads it as "rolled back and recorded", and a job whose
            // rollback failed is not settled, so the safety net runs — and, finding the failed release no longer live, it
            // only completes the ledger: a release that is not live is never rolled back from, so nothing is rolled back
            // twice. A step that succeeded here would leave the ledger naming the bad release live, and the next deploy
            // would have to find that out.
            const chosen = ledgerDown ? `, chosen from ${provider.name}'s own history because the ledger could not be read (${ledgerDown})` : '';
            const failure = new errors/* ShiplineError */.J0(`Rolled back: production serves ${restored.id} in place of ${p.live?.id ?? 'nothing'}${chosen}, but the ledger was not updated. ${(0,errors/* failureMessage */.oh)(error).split('\n')[0]}. The ledger owes: ${owed}.`, {
                cause: error,
                hint: `Production is where you want it. Re-run this rollback with the same inputs once GitHub answers: it sees ${restored.id} live, writes exactly that and does not change production again.${error instanceof errors/* ShiplineError */.J0 && error.hint ? ` ${error.hint}` : ''}`,
            });
            report({ kind: 'restored', text: `restored ${restored.id}; ledger not updated: it owes: ${owed} (re-run to write it)`, restored, switchMs });
            throw failure;
        }
    }
    // Only now that the ledger agrees with the provider (or there is no ledger): the pipeline's word for it.
    (0,runner/* setOutput */.uH)('changed', 'true');
    if (p.live)
        (0,runner/* setOutput */.uH)('rolled-back-deployment-id', p.live.id);
    // Sentry (when named): the restored release's deploy to the environment, with the switch's start and finish, so
    // that Sentry's latest deploy is the release the ledger now says is live. Never fails a rollback that happened.
    const restoredSha = restored.sha || target.sha || (view ? Ledger.byProviderId(view.entries, restored.id)?.sha : undefined);
    const sentry = await tellSentryOfRollback(inputs, restored, restoredSha, new Date(started), new Date(started + switchMs));
    const verifyUrl = inputs['verify-url'] ?? restored.url;
    let verified = 'not checked';
    if (inputs.verify && verifyUrl) {
        try {
            verified = `HTTP ${await verify(verifyUrl)} from ${verifyUrl}`;
        }
        catch (error) {
            report({ kind: 'restored', text: `restored ${releaseLabel(restored)}, but verification failed: ${(0,errors/* failureMessage */.oh)(error).split('\n')[0]}`, restored, switchMs });
            throw error;
        }
    }
    (0,runner/* info */.pq)(`Rollback: ${restored.id} is live again (${verified}); switched in ${(switchMs / 1000).toFixed(1)}s.`);
    report({ kind: 'restored', text: `restored ${releaseLabel(restored)}`, restored, switchMs, verified, sentry });
}
/** How long the ledger read before the switch may take: a quarter of wait-timeout, from 5 s to 60 s. */
function ledgerBudgetMs(waitTimeoutMs) {
    return Math.min(60_000, Math.max(5_000, Math.round(waitTimeoutMs / 4)));
}
/** The ledger did not answer within its budget. */
class LedgerTooSlow extends errors/* ShiplineError */.J0 {
}
/**
 * Runs `work` (GitHub requests made through a ledger opened with `controller`'s signal) for at most `ms`: past it
 * `controller` aborts every request the work started, so nothing it began writes behind the step's back.
 */
async function inTime(work, ms, controller, what) {
    let timer;
    const running = work();
    running.catch(() => undefined);
    const late = new Promise((_, reject) => {
        timer = setTimeout(() => {
            controller.abort();
            reject(new LedgerTooSlow(`GitHub API: ${what} did not finish within ${(0,shared_inputs/* durationText */.S5)(ms)}`));
        }, ms);
    });
    try {
        return await Promise.race([running, late]);
    }
    finally {
        clearTimeout(timer);
    }
}
/** GitHub is unavailable (rate limit, 5xx, no answer, too slow), as opposed to refusing the token. */
function ledgerUnavailable(error) {
    return error instanceof LedgerTooSlow || (error instanceof GitHubApiError && error.unavailable);
}
/** The ledger writes a rollback from `taken` to `restored` consists of, in words a person can carry out. */
function owedWrites(taken, restored) {
    return taken ? `mark ${taken.id} failed and record ${restored.id} live as a rollback from ${taken.id}` : `record ${restored.id} live`;
}
/**
 * The ledger's side of a rollback chosen from the provider's history while GitHub was unavailable: with a client
 * of its own (the reading one was aborted) and the same bound, the entries are read again and the rollback
 * recorded as any other.
 */
async function recordAfterOutage(given, p, restored, inputs, context, failedCommit, budgetMs) {
    const writing = new AbortController();
    const ledger = await openLedger({ token: given['github-token'], apiUrl: context.apiUrl, repository: context.repository, signal: writing.signal });
    if (!ledger)
        return;
    await inTime(async () => {
        const entries = await ledger.entries(inputs.environment, { releaseIds: [restored.id, ...(p.live ? [p.live.id] : [])] });
        const liveEntry = p.live ? Ledger.byProviderId(entries, p.live.id) : undefined;
        await recordRollback(ledger, { ...p, liveEntry }, restored, inputs, context, failedCommit);
    }, budgetMs, writing, `writing the ${inputs.environment} ledger`);
}
/** Marks the restored release's deploy in Sentry; a warning (never a failure) when Sentry refuses or is down. */
async function tellSentryOfRollback(inputs, restored, sha, started, finished) {
    const target = (0,sentry_inputs/* sentryTarget */.Z1)(inputs, { release: sha ?? '', environment: inputs.environment });
    if (!target)
        return undefined;
    if (!target.release) {
        (0,runner/* warning */.$e)(`Sentry: the restored release ${restored.id} has no known commit, so no deploy was marked in Sentry (set sentry-release to name its Sentry release).`);
        return 'no deploy marked (the restored release has no known commit)';
    }
    const { SentryClient } = await __webpack_require__.e(/* import() */ 751).then(__webpack_require__.bind(__webpack_require__, 3751));
    const client = new SentryClient({ ...target.config, deadline: deadline/* Deadline */.B.in(sentry_inputs/* SENTRY_BUDGET_MS */.B$) });
    try {
        const deploy = await client.createDeploy(target.release, { environment: target.environment, name: restored.id, url: restored.url, dateStarted: started, dateFinished: finished });
        (0,runner/* setOutput */.uH)('sentry-deploy-id', deploy.id);
        (0,runner/* info */.pq)(`Sentry: release ${target.release}: deploy ${deploy.id} to ${target.environment} (rollback)`);
        return `release ${target.release}: deploy ${deploy.id} to ${target.environment}`;
    }
    catch (error) {
        const reason = (0,errors/* failureMessage */.oh)(error).split('\n').join(' ');
        (0,runner/* warning */.$e)(`Sentry was not told of the rollback to release ${target.release}: ${reason}. The rollback itself succeeded.`);
        return `⚠️ release ${target.release}: not updated: ${reason}`;
    }
}
/** The ledger's side of a rollback that happened: the release taken out failed, the restored one is live. */
async function recordRollback(ledger, p, restored, inputs, context, failedCommit) {
    if (p.liveEntry && !p.liveEntry.everFailed)
        await ledger.setStatus(p.liveEntry.id, 'failure', { description: rolledBackDescription(restored.id, inputs.reason), logUrl: context.runUrl });
    const id = await ledger.record({
        key: stepKey(context, 'rollback'),
        release: restored,
        previous: p.live,
        rollback: p.live ? { from: p.live, reason: inputs.reason || undefined, failedCommit } : undefined,
        environment: inputs.environment,
        sha: restored.sha || context.sha,
        ref: context.refName,
        production: true,
        transient: false,
        description: `rollback to ${restored.id}`,
        logUrl: context.runUrl,
    });
    (0,runner/* setOutput */.uH)('ledger-id', id);
    await ledger.setStatus(id, 'success', { description: `restored ${restored.id} in place of ${p.live?.id ?? '?'}`, environmentUrl: restored.url, logUrl: context.runUrl });
}
/**
 * The status of the release taken out. A reason that already says it was rolled back ("rolled back after promotion:
 * <measurements>", from the bake window) leads, so that GitHub's 140-character cap cuts the release id rather than
 * the measurements; any other reason follows in brackets.
 */
function rolledBackDescription(restoredId, reason) {
    if (reason && /^rolled back\b/i.test(reason))
        return `${reason} (restored ${restoredId})`;
    return `rolled back to ${restoredId}${reason ? ` (${reason})` : ''}`;
}
/** One outcome per table: rows name what is true of that outcome only. */
function run_summary(p, outcome, inputs, reconciled, byCommit) {
    const name = (r) => releaseCell(r, { urls: true });
    const rows = outcome.kind === 'restored'
        ? [
            ['Restored', name(outcome.restored)],
            ['Taken out', p.live && p.live.id !== outcome.restored.id ? releaseCell(p.live) : undefined],
            ['Chosen from', p.source],
            ['Switch time', `${(outcome.switchMs / 1000).toFixed(1)}s`],
            ['Verified', outcome.verified],
            ['Sentry', outcome.sentry],
        ]
        : outcome.kind === 'dry run'
            ? [
                ['Would restore', name(p.target)],
                ['Live release', releaseCell(p.live)],
                ['Chosen from', p.source],
            ]
            : [['Live release', name(p.live ?? p.target)]];
    return [`### Rollback: ${inputs.provider} → ${inputs.environment}`, (0,summary/* facts */.Ix)([['Outcome', outcome.text], ...rows, ['Failed release', byCommit ? `${releaseLabel(byCommit.entry.payload.release)} (commit ${byCommit.sha}, from the ledger)` : undefined], ['Ledger', reconciled], ['Reason', inputs.reason]])].join('\n\n');
}


/***/ }),

/***/ 9243:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   nQ: () => (/* binding */ largest),
/* harmony export */   o9: () => (/* binding */ smallest),
/* harmony export */   u2: () => (/* binding */ appendAll)
/* harmony export */ });
/* unused harmony export nestingDepth */
// Loops for lists whose length outside input decides (a migration file's statements, a health document's
// components, a watch's samples): `target.push(...items)` and `Math.max(...values)` pass every item as an argument,
// and past about 120,000 of them that overflows the stack (RangeError) whatever the memory.
/** Appends every item to `target`, one at a time. */
function appendAll(target, items) {
    for (const item of items)
        target.push(item);
    return target;
}
/** The largest of `values`, or `floor` when it is larger or there are none. */
function largest(values, floor = -Infinity) {
    let max = floor;
    for (const value of values)
        if (value > max)
            max = value;
    return max;
}
/** The smallest of `values`, or `ceiling` when it is smaller or there are none. */
function smallest(values, ceiling = Infinity) {
    let min = ceiling;
    for (const value of values)
        if (value < min)
            min = value;
    return min;
}
/**
 * How deeply arrays and objects nest in a parsed JSON value, counted without recursion (JSON.parse reads any depth,
 * but a recursive walk, JSON.stringify among them, overflows the stack near 10,000 levels). Stops counting past
 * `limit`: the answer is then `limit + 1`, whatever the real depth.
 */
function nestingDepth(value, limit) {
    let deepest = 0;
    const pending = [[value, 1]];
    while (pending.length > 0) {
        const [item, depth] = pending.pop();
        if (item === null || typeof item !== 'object')
            continue;
        if (depth > deepest)
            deepest = depth;
        if (deepest > limit)
            return limit + 1;
        for (const child of Object.values(item))
            if (child !== null && typeof child === 'object')
                pending.push([child, depth + 1]);
    }
    return deepest;
}


/***/ }),

/***/ 1064:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   B: () => (/* binding */ Deadline)
/* harmony export */ });
// Deadlines on the monotonic clock, shared by every wait that must hold its bound while the runner's wall clock
// steps (NTP, a suspended VM): providers' polls, lookups, clean-ups and every request of shared/http.ts.
/**
 * A point in time on performance.now()'s clock. It is created once per step (`Deadline.in(wait-timeout)`) and
 * handed down as it is, so no layer converts it to or from the wall clock.
 */
class Deadline {
    end;
    name;
    /**
     * `name`: what set the bound, in the words of the input or rule that did ("wait-timeout 15s"), so an error at the
     * deadline can say which bound ended the wait.
     */
    constructor(end, name) {
        this.end = end;
        this.name = name;
    }
    /** A deadline `ms` from now. */
    static in(ms, name) {
        return new Deadline(performance.now() + ms, name);
    }
    /** Whole milliseconds left (negative once passed): timers and AbortSignal.timeout take integers only. */
    left() {
        return Math.floor(this.end - performance.now());
    }
    passed() {
        return this.left() <= 0;
    }
}


/***/ }),

/***/ 9096:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   EY: () => (/* binding */ backoffDelay),
/* harmony export */   Em: () => (/* binding */ request),
/* harmony export */   LW: () => (/* binding */ classifyNetworkError),
/* harmony export */   PW: () => (/* binding */ metPlainHttp),
/* harmony export */   SS: () => (/* binding */ requestJson),
/* harmony export */   iR: () => (/* binding */ proxiedFetch),
/* harmony export */   kM: () => (/* binding */ safeToResend),
/* harmony export */   vI: () => (/* binding */ DEFAULT_RETRY),
/* harmony export */   yy: () => (/* binding */ sleep)
/* harmony export */ });
/* unused harmony exports parseRetryAfter, plainHttpOnTlsPort, plainHttpSentence, networkFailureKind, moveCredentials, proxyDispatcher, readText */
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(2635);
/* harmony import */ var _proxy_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(7886);
/* harmony import */ var _runner_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(2798);
/* harmony import */ var _sanitise_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(1193);




const DEFAULT_RETRY = { retries: 4, baseDelayMs: 500, maxDelayMs: 10_000, maxRetryAfterMs: 60_000 };
const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
/** Retry-After as seconds or an HTTP date, in ms; undefined when absent or unreadable. */
function parseRetryAfter(value, now = Date.now()) {
    if (!value)
        return undefined;
    if (/^\d+(\.\d+)?$/.test(value.trim()))
        return Number(value) * 1000;
    const date = Date.parse(value);
    return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
function backoffDelay(attempt, policy, random = Math.random) {
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
function plainHttpOnTlsPort(code, message = '') {
    return code === 'ERR_SSL_WRONG_VERSION_NUMBER' || code === 'ERR_SSL_PACKET_LENGTH_TOO_LONG' || (code === 'EPROTO' && /wrong version number|packet length too long/i.test(message));
}
/** Whether a failed request met plain HTTP on an https:// URL: its handshake failed, so no request went out. */
function metPlainHttp(error) {
    return classifyNetworkError(error).plainHttp === true;
}
/** The sentence for plainHttpOnTlsPort, naming the server when it is known. */
function plainHttpSentence(where) {
    return `the server${where ? ` at ${where}` : ''} answered plain HTTP to a TLS handshake: use http:// for this URL, or the port that serves HTTPS`;
}
function networkFailureKind(code, message = '') {
    if (plainHttpOnTlsPort(code, message))
        return 'tls';
    if (code === 'ECONNREFUSED')
        return 'connection-refused';
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME' || code === 'EAI_FAIL')
        return 'dns';
    if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || code === 'EPIPE' || code === 'UND_ERR_CLOSED' || message === 'socket hang up' || message === 'aborted')
        return 'connection-reset';
    if (code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'ETIMEDOUT')
        return 'timeout';
    if (/CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY/.test(code))
        return 'tls';
    if (code.startsWith('HPE_'))
        return 'protocol';
    // The proxy asked for credentials or refused them (407): fixed in the proxy URL, not by sending again.
    if (code === 'ERR_PROXY_AUTH' || PROXY_407.test(message))
        return 'proxy-auth';
    // The proxy refused the tunnel (ours: ERR_PROXY_TUNNEL; undici's ProxyAgent aborts with "Proxy response (403) !== 200").
    if (code === 'ERR_PROXY_TUNNEL' || /^Proxy response \(\d+\)/.test(message))
        return 'proxy';
    return 'other';
}
/**
 * The kind of a failed fetch, from undici's error codes. They sit on `cause`, one to three levels down (a refused
 * proxy tunnel: TypeError → DOMException → RequestAbortedError): the deepest error with a text code tells.
 */
function classifyNetworkError(error) {
    const e = error;
    if (e?.name === 'TimeoutError' || e?.name === 'AbortError')
        return { kind: 'timeout', detail: e.message ?? 'timed out' };
    const chain = [];
    for (let c = error; c && typeof c === 'object' && chain.length < 5; c = c.cause)
        chain.push(c);
    const coded = [...chain].reverse().find((c) => typeof c.code === 'string' && c.code !== '');
    const code = coded?.code ?? '';
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
function moveCredentials(url, headers) {
    let parsed;
    try {
        parsed = new URL(String(url));
    }
    catch {
        return { url, headers };
    }
    if (!parsed.username && !parsed.password)
        return { url, headers };
    const basic = Buffer.from(`${(0,_sanitise_js__WEBPACK_IMPORTED_MODULE_3__/* .safeDecode */ .ex)(parsed.username)}:${(0,_sanitise_js__WEBPACK_IMPORTED_MODULE_3__/* .safeDecode */ .ex)(parsed.password)}`).toString('base64');
    parsed.username = '';
    parsed.password = '';
    const merged = new Headers(headers);
    if (!merged.has('authorization'))
        merged.set('authorization', `Basic ${basic}`);
    return { url: parsed.href, headers: merged };
}
/** Failures where the server never saw the request, so even a POST is safe to send again. */
const NEVER_SENT = new Set(['connection-refused', 'dns', 'proxy', 'proxy-auth']);
/**
 * Whether a failed request may be sent once more: when it never reached the server, or when it went out on a
 * kept-alive connection the server had already closed while idle (the reset came before any answer).
 */
function safeToResend(kind, reusedIdleConnection = false) {
    return NEVER_SENT.has(kind) || (reusedIdleConnection && kind === 'connection-reset');
}
/** undici's ProxyAgent, loaded only when a request goes through a proxy (most runners have none); one per proxy. */
let undici;
const proxyAgents = new Map();
/**
 * The undici dispatcher that carries a request to this URL through the proxy the environment names for it, or
 * undefined to connect directly. CONNECT for https; absolute-URI requests for http (proxyTunnel false), as a plain
 * HTTP proxy expects. Pass it as `dispatcher` in fetch's options (clients that spread their fetch options, such as
 * @netlify/api, take it too).
 */
async function proxyDispatcher(url) {
    let proxy;
    try {
        proxy = (0,_proxy_js__WEBPACK_IMPORTED_MODULE_1__/* .proxyFor */ .iJ)(new URL(String(url)));
    }
    catch {
        return undefined;
    }
    if (!proxy)
        return undefined;
    // By file, not by bare name: the bundles route the bare name to the toolkit's undici (scripts/undici-on-demand).
    undici ??= __webpack_require__.e(/* import() */ 752).then(__webpack_require__.t.bind(__webpack_require__, 6752, 19));
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
function connectAnswered407(error) {
    let e = error;
    for (let depth = 0; e && typeof e === 'object' && depth < 5; depth++, e = e.cause) {
        if (typeof e.message === 'string' && PROXY_407.test(e.message))
            return true;
    }
    return false;
}
/**
 * fetch, through the proxy the environment names for the URL: for clients that take a fetch of their own. A proxy's
 * 407 (to a CONNECT for https, or as the answer to a plain-http request) fails the way fetch fails, a TypeError
 * whose cause is a ProxyAuthError: a sentence saying the proxy refused its credentials, for every client alike.
 */
const proxiedFetch = (async (input, init = {}) => {
    const dispatcher = await proxyDispatcher(input instanceof Request ? input.url : input);
    if (!dispatcher)
        return fetch(input, init);
    // proxyDispatcher found a proxy for it: the URL parses.
    const target = new URL(String(input instanceof Request ? input.url : input));
    const refused = () => new TypeError('fetch failed', { cause: new _proxy_js__WEBPACK_IMPORTED_MODULE_1__/* .ProxyAuthError */ .rJ((0,_proxy_js__WEBPACK_IMPORTED_MODULE_1__/* .proxyFor */ .iJ)(target), target.protocol) });
    let response;
    try {
        response = await fetch(input, { ...init, dispatcher });
    }
    catch (error) {
        throw connectAnswered407(error) ? refused() : error;
    }
    if (response.status === 407) {
        await response.body?.cancel().catch(() => undefined);
        throw refused();
    }
    return response;
});
function shouldRetryStatus(status, idempotent) {
    return status === 429 || (idempotent && (status >= 500 || status === 408));
}
/**
 * Sends a request with the retry policy. Resolves with the final response, whatever its status (callers turn a
 * provider's error body into its own reason); rejects with a NetworkError when no response could be had.
 */
async function request(url, options) {
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
    for (let attempt = 0;; attempt++) {
        const last = attempt >= policy.retries;
        const attemptMs = Math.min(timeoutMs, timeLeft());
        if (attemptMs <= 0)
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .NetworkError */ .Dr(options.label, 'timeout', 'no time left before the deadline');
        const signal = options.signal ? AbortSignal.any([options.signal, AbortSignal.timeout(attemptMs)]) : AbortSignal.timeout(attemptMs);
        let response;
        try {
            response = await doFetch(target.url, { method, headers: target.headers, body: options.body, signal, redirect: 'follow' });
        }
        catch (error) {
            if (options.signal?.aborted)
                throw error;
            const { kind, detail, plainHttp } = classifyNetworkError(error);
            const delay = backoffDelay(attempt, policy);
            // Credentials a proxy refused are refused again, and plain HTTP on the port is the same answer every time: no
            // retry changes either.
            if (plainHttp || last || kind === 'proxy-auth' || !(idempotent || safeToResend(kind)) || delay >= timeLeft())
                throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .NetworkError */ .Dr(options.label, kind, detail, { cause: error });
            (0,_runner_js__WEBPACK_IMPORTED_MODULE_2__/* .info */ .pq)(`${options.label}: ${kind} (${detail}); retrying in ${(delay / 1000).toFixed(1)}s (attempt ${attempt + 2} of ${policy.retries + 1})`);
            await wait(delay);
            continue;
        }
        if (last || !shouldRetryStatus(response.status, idempotent))
            return response;
        const retryAfter = parseRetryAfter(response.headers.get('retry-after'));
        const delay = retryAfter !== undefined ? Math.min(retryAfter, policy.maxRetryAfterMs) : backoffDelay(attempt, policy);
        if (delay >= timeLeft()) {
            (0,_runner_js__WEBPACK_IMPORTED_MODULE_2__/* .info */ .pq)(`${options.label}: HTTP ${response.status}; a wait of ${(delay / 1000).toFixed(1)}s${retryAfter !== undefined ? ' (Retry-After)' : ''} would end past the deadline, so no retry`);
            return response;
        }
        await response.body?.cancel().catch(() => undefined);
        (0,_runner_js__WEBPACK_IMPORTED_MODULE_2__/* .info */ .pq)(`${options.label}: HTTP ${response.status}; retrying in ${(delay / 1000).toFixed(1)}s${retryAfter !== undefined ? ' (Retry-After)' : ''} (attempt ${attempt + 2} of ${policy.retries + 1})`);
        await wait(delay);
    }
}
/**
 * Reads a body as text without ever throwing (a provider's malformed or cut-off answer is still evidence). The
 * limit only guards memory: API answers can be large (Vercel lists every missing file's digest).
 */
async function readText(response, limit = 32 * 1024 * 1024) {
    try {
        const text = await response.text();
        return text.length > limit ? `${text.slice(0, limit)}…` : text;
    }
    catch (error) {
        return `(body could not be read: ${error.message})`;
    }
}
/**
 * The provider call every provider makes: send with the retry policy, read the text, parse the JSON, and turn an
 * error answer into a ProviderError with the provider's own reason. Resolves with the status and the parsed body.
 */
async function requestJson(url, options, call) {
    const response = await request(url, options);
    const text = await readText(response);
    let data;
    let parsed = true;
    try {
        data = text === '' && call.emptyIsObject !== false ? {} : JSON.parse(text);
    }
    catch {
        parsed = false;
        data = undefined;
    }
    const status = response.status;
    const failed = status >= 300 && !call.acceptStatus?.(status);
    if (!parsed && status >= 300 && !failed && call.errorPage)
        return { status, data: call.errorPage(text, status) };
    if (!parsed && !failed) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ProviderError */ .mZ(call.provider, `malformed answer to ${call.action} (${(0,_sanitise_js__WEBPACK_IMPORTED_MODULE_3__/* .excerpt */ .Kb)(text, 200)})`, { status, action: call.action });
    }
    const reason = parsed ? call.errorMessage(data, status, text) : (0,_sanitise_js__WEBPACK_IMPORTED_MODULE_3__/* .excerpt */ .Kb)(text, 200) || undefined;
    if (failed || reason !== undefined) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ProviderError */ .mZ(call.provider, reason ?? `HTTP ${status}`, { status: status >= 300 ? status : undefined, action: call.action, hint: call.hint?.(status, data, text) });
    }
    return { status, data: data };
}


/***/ })

};
