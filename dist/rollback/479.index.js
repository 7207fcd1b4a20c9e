export const id = 479;
export const ids = [479];
export const modules = {

/***/ 9479:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  run: () => (/* binding */ run)
});

// EXTERNAL MODULE: ./shared/errors.ts
var errors = __webpack_require__(2635);
// EXTERNAL MODULE: ./shared/http.ts
var http = __webpack_require__(9096);
;// CONCATENATED MODULE: ./shared/github.ts

async function createGitHubClient(options) {
    const { Octokit } = await __webpack_require__.e(/* import() */ 891).then(__webpack_require__.bind(__webpack_require__, 891));
    return new Octokit({
        auth: options.token,
        baseUrl: options.apiUrl.replace(/\/$/, ''),
        userAgent: 'shipline',
        request: { fetch: (0,http/* retryingFetch */.XR)({ label: 'GitHub API', timeoutMs: options.timeoutMs ?? 30_000 }) },
        log: { debug: () => { }, info: () => { }, warn: () => { }, error: () => { } },
    });
}
function splitRepository(repository) {
    const [owner = '', repo = ''] = repository.split('/');
    return { owner, repo };
}

// EXTERNAL MODULE: ./shared/runner.ts
var runner = __webpack_require__(2798);
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


/** The statuses oldest first, whatever order GitHub answered in: by created_at, then id. */
function chronological(statuses) {
    return [...statuses].sort((a, b) => Date.parse(a.created_at) - Date.parse(b.created_at) || a.id - b.id);
}
/** GitHub caps a status description at 140 characters. */
function description(text) {
    return text.length > 140 ? `${text.slice(0, 139)}…` : text;
}
class Ledger {
    github;
    owner;
    repo;
    known = new Map();
    read = new Set();
    constructor(github, repository) {
        this.github = github;
        ({ owner: this.owner, repo: this.repo } = splitRepository(repository));
    }
    /** Records a release as a new deployment of `environment`, in progress. */
    async record(options) {
        const payload = { shipline: 1, release: options.release, previous: options.previous, rollback: options.rollback };
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
        const id = data.id;
        this.known.set(id, { environment: options.environment, production: options.production, state: undefined, releaseId: options.release.id });
        await this.setStatus(id, 'in_progress', { description: options.description, logUrl: options.logUrl });
        return id;
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
    async postStatus(id, state, options) {
        await this.github.rest.repos.createDeploymentStatus({
            owner: this.owner,
            repo: this.repo,
            deployment_id: id,
            state,
            description: options.description ? description(options.description) : undefined,
            environment_url: options.environmentUrl,
            log_url: options.logUrl,
            auto_inactive: state === 'success',
        });
    }
    /** The environment's deployments made by shipline, newest first, with their status history (at most `limit`). */
    async entries(environment, limit = 30) {
        const { data } = await this.github.rest.repos.listDeployments({ owner: this.owner, repo: this.repo, environment, per_page: Math.min(limit, 100) });
        const entries = [];
        for (const d of data) {
            const payload = (typeof d.payload === 'string' ? safeJson(d.payload) : d.payload);
            if (payload?.shipline !== 1)
                continue;
            const statuses = chronological(await this.github.paginate(this.github.rest.repos.listDeploymentStatuses, { owner: this.owner, repo: this.repo, deployment_id: d.id, per_page: 100 }));
            const state = statuses.at(-1)?.state;
            // GitHub's own default when the flag was not sent: production when the environment is named production.
            const production = d.production_environment ?? d.environment === 'production';
            this.known.set(d.id, { environment: d.environment, production, state, releaseId: payload.release.id });
            entries.push({
                id: d.id,
                sha: d.sha,
                ref: d.ref,
                environment: d.environment,
                createdAt: d.created_at,
                payload,
                state,
                everSucceeded: statuses.some((s) => s.state === 'success'),
                everFailed: statuses.some((s) => s.state === 'failure' || s.state === 'error'),
            });
        }
        this.read.add(environment);
        return entries.sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id - a.id);
    }
    static live(entries) {
        return entries.find((e) => e.state === 'success');
    }
    /** The newest release older than `live` that was good (reached success, never failed) and is not live itself. */
    static previousGood(entries, live) {
        const start = live ? entries.indexOf(live) + 1 : 0;
        return entries.slice(start).find((e) => e.everSucceeded && !e.everFailed && e.payload.release.id !== live?.payload.release.id);
    }
    static byProviderId(entries, id) {
        return entries.find((e) => e.payload.release.id === id);
    }
    static bySha(entries, sha) {
        return entries.find((e) => e.sha.startsWith(sha) && e.everSucceeded && !e.everFailed);
    }
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
    return new Ledger(await createGitHubClient({ token: options.token, apiUrl: options.apiUrl }), options.repository);
}

// EXTERNAL MODULE: ./shared/providers/load.ts
var load = __webpack_require__(2347);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
;// CONCATENATED MODULE: ./shared/run-context.ts
// What the runner tells a step about the run it is part of: the GITHUB_* variables and the event payload.

function readEvent(path) {
    if (!path)
        return {};
    try {
        return JSON.parse((0,external_node_fs_.readFileSync)(path, 'utf8'));
    }
    catch {
        return {};
    }
}
function readRunContext(env = process.env) {
    const serverUrl = env.GITHUB_SERVER_URL || 'https://github.com';
    const repository = env.GITHUB_REPOSITORY || '';
    const event = readEvent(env.GITHUB_EVENT_PATH);
    const pr = (event.pull_request ?? undefined);
    const sha = pr?.head?.sha ?? env.GITHUB_SHA ?? '';
    const runId = env.GITHUB_RUN_ID || '';
    const headCommitMessage = event.head_commit?.message ?? undefined;
    return {
        serverUrl,
        apiUrl: env.GITHUB_API_URL || 'https://api.github.com',
        repository,
        repositoryUrl: `${serverUrl}/${repository}`,
        sha,
        shortSha: sha.slice(0, 7),
        ref: env.GITHUB_REF || '',
        refName: env.GITHUB_HEAD_REF || env.GITHUB_REF_NAME || (env.GITHUB_REF ?? '').replace(/^refs\/(heads|tags)\//, ''),
        actor: env.GITHUB_ACTOR || event.sender?.login || '',
        eventName: env.GITHUB_EVENT_NAME || '',
        event,
        workflow: env.GITHUB_WORKFLOW || '',
        job: env.GITHUB_JOB || '',
        runId,
        runAttempt: env.GITHUB_RUN_ATTEMPT || '1',
        runUrl: runId ? `${serverUrl}/${repository}/actions/runs/${runId}` : '',
        workspace: env.GITHUB_WORKSPACE || process.cwd(),
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
        commitUrl: sha ? `${serverUrl}/${repository}/commit/${sha}` : '',
    };
}

// EXTERNAL MODULE: ./shared/sanitise.ts
var sanitise = __webpack_require__(7170);
;// CONCATENATED MODULE: ./shared/summary.ts
// Job summaries as GitHub-flavoured Markdown: readable in the Actions UI and, unchanged, in a terminal (the CLI
// prints the same file). Appended to GITHUB_STEP_SUMMARY, which holds at most 1 MiB per step.
// Every value in a cell is plain text and is escaped (it may be outside text: a commit subject, a server's
// answer); Markdown the action writes itself is wrapped in markdown() and passes as written.


const SUMMARY_LIMIT = 1024 * 1024;
/** Markdown the action composed itself (its parts escaped with escapeMarkdown or codeSpan): not escaped again. */
class Markdown {
    text;
    constructor(text) {
        this.text = text;
    }
    toString() {
        return this.text;
    }
}
const markdown = (text) => new Markdown(text);
/** A table cell: plain values escaped (no HTML, links or code of their own, pipes and new lines kept in the row). */
function cell(value) {
    if (value instanceof Markdown)
        return value.text.replace(/\r?\n/g, '<br>');
    return value === undefined || value === null || value === '' ? '–' : (0,sanitise/* escapeMarkdown */.FV)(value);
}
function table(headers, rows) {
    const line = (cells) => `| ${cells.map(cell).join(' | ')} |`;
    return [`| ${headers.map((h) => h.replace(/\|/g, '\\|')).join(' | ')} |`, `| ${headers.map(() => '---').join(' | ')} |`, ...rows.map(line)].join('\n');
}
/** Two-column key/value table, skipping empty values. */
function facts(pairs) {
    return table(['', ''], pairs.filter(([, v]) => v !== undefined && v !== null && v !== ''));
}
function details(summaryLine, body) {
    return `<details><summary>${summaryLine}</summary>\n\n${body}\n\n</details>`;
}
/** Appends a block of Markdown to this step's summary; a no-op outside a runner. */
function appendSummary(markdown) {
    const path = process.env.GITHUB_STEP_SUMMARY;
    if (!path)
        return;
    // The runner masks the log, not the summary: a registered secret that reached the text anyway is starred here.
    markdown = (0,sanitise/* scrub */._I)(markdown);
    const text = markdown.length > SUMMARY_LIMIT - 1024 ? `${markdown.slice(0, SUMMARY_LIMIT - 1024)}\n\n…(summary truncated at GitHub's 1 MiB limit)\n` : markdown;
    (0,external_node_fs_.appendFileSync)(path, `${text}\n\n`, 'utf8');
}

;// CONCATENATED MODULE: ./actions/rollback/src/run.ts
// rollback: work out exactly which release to put back (the ledger's record of what was good before the live
// one, else the provider's own history), re-point production at it, check it answers, and record what happened.







const SHA = /^[0-9a-f]{7,40}$/i;
async function plan(inputs, provider, entries) {
    // The provider says what production serves (where it can: Supabase functions carry no release identity, and
    // then the ledger's live release is it); the ledger says what was good before it.
    const live = (await provider.current()) ?? (entries ? Ledger.live(entries)?.payload.release : undefined);
    const liveEntry = entries ? ((live && Ledger.byProviderId(entries, live.id)) ?? Ledger.live(entries)) : undefined;
    if (entries && live && liveEntry && liveEntry.payload.release.id !== live.id)
        (0,runner/* warning */.$e)(`The ledger's live release (${liveEntry.payload.release.id}) is not what ${provider.name} serves (${live.id}); trusting ${provider.name}.`);
    const base = { live, liveEntry };
    const failed = inputs['failed-deployment-id'];
    if (failed && live?.id !== failed) {
        return { ...base, target: live, source: 'input', noChange: `${failed} is not live (production serves ${live?.id ?? 'nothing'}): nothing to restore` };
    }
    if (inputs.target === 'previous') {
        if (entries) {
            const rolledBack = liveEntry?.payload.rollback;
            if (rolledBack && !failed)
                return { ...base, target: live, source: 'ledger', noChange: `already rolled back: ${liveEntry?.payload.release.id} was restored from ${rolledBack.from.id}` };
            return { ...base, target: Ledger.previousGood(entries, liveEntry)?.payload.release, source: 'ledger' };
        }
        if (live?.restoredFrom && !failed)
            return { ...base, target: live, source: 'provider history', noChange: `already rolled back: ${live.id} was restored from ${live.restoredFrom}` };
        return { ...base, target: await provider.previous(live), source: 'provider history' };
    }
    if (SHA.test(inputs.target)) {
        const fromLedger = entries ? Ledger.bySha(entries, inputs.target)?.payload.release : undefined;
        return { ...base, target: fromLedger ?? (await provider.findBySha(inputs.target)), source: fromLedger ? 'ledger' : 'provider history' };
    }
    return { ...base, target: await provider.describe(inputs.target), source: 'input' };
}
async function verify(url) {
    const response = await (0,http/* request */.Em)(url, { label: `GET ${url}`, timeoutMs: 10_000, retry: { retries: 3, baseDelayMs: 500 } });
    await response.body?.cancel().catch(() => undefined);
    if (response.status >= 400)
        throw new errors/* ShiplineError */.J0(`Rolled back, but ${url} answers HTTP ${response.status}`, { hint: 'Production now serves the restored release; check it by hand.' });
    return response.status;
}
async function run(inputs) {
    const context = readRunContext();
    const provider = await (0,load/* loadProvider */.Cg)(inputs.provider, (0,load/* providerConfig */.Y6)(inputs, context.workspace));
    const ledger = await openLedger({ token: inputs['github-token'], apiUrl: context.apiUrl, repository: context.repository });
    const entries = ledger ? await ledger.entries(inputs.environment) : undefined;
    const p = await plan(inputs, provider, entries);
    const reason = inputs.reason ? ` (${inputs.reason})` : '';
    if (p.noChange) {
        (0,runner/* info */.pq)(`Rollback: ${p.noChange}.`);
        if (ledger && entries && inputs['failed-deployment-id']) {
            const failedEntry = Ledger.byProviderId(entries, inputs['failed-deployment-id']);
            if (failedEntry && !failedEntry.everFailed && !inputs['dry-run'])
                await ledger.setStatus(failedEntry.id, 'failure', { description: `failed checks, never live${reason}`, logUrl: context.runUrl });
        }
        (0,runner/* setOutput */.uH)('changed', 'false');
        if (p.target) {
            (0,runner/* setOutput */.uH)('restored-deployment-id', p.target.id);
            if (p.target.url)
                (0,runner/* setOutput */.uH)('url', p.target.url);
        }
        appendSummary(summary(p, `no change: ${p.noChange}`, inputs));
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
        appendSummary(summary(p, 'no change: already live', inputs));
        return;
    }
    if (inputs['dry-run']) {
        (0,runner/* info */.pq)(`Dry run: would restore ${p.target.id} (${p.target.url ?? 'no URL'}) in place of ${p.live?.id ?? 'nothing'}, found from ${p.source}.`);
        (0,runner/* setOutput */.uH)('changed', 'false');
        appendSummary(summary(p, `dry run: would restore ${p.target.id}`, inputs));
        return;
    }
    const target = p.target;
    const started = Date.now();
    const restored = await (0,runner/* group */.Os)(`Roll back ${inputs.environment}: ${p.live?.id ?? '?'} → ${target.id}`, () => provider.rollback(target, Date.now() + inputs['wait-timeout']));
    const switchMs = Date.now() - started;
    (0,runner/* setOutput */.uH)('changed', 'true');
    (0,runner/* setOutput */.uH)('restored-deployment-id', restored.id);
    if (restored.url)
        (0,runner/* setOutput */.uH)('url', restored.url);
    if (p.live)
        (0,runner/* setOutput */.uH)('rolled-back-deployment-id', p.live.id);
    if (ledger) {
        if (p.liveEntry && !p.liveEntry.everFailed)
            await ledger.setStatus(p.liveEntry.id, 'failure', { description: `rolled back to ${restored.id}${reason}`, logUrl: context.runUrl });
        const id = await ledger.record({
            release: restored,
            previous: p.live,
            rollback: p.live ? { from: p.live, reason: inputs.reason || undefined } : undefined,
            environment: inputs.environment,
            sha: restored.sha || context.sha,
            ref: context.refName,
            production: true,
            transient: false,
            description: `rollback to ${restored.id}`,
            logUrl: context.runUrl,
        });
        await ledger.setStatus(id, 'success', { description: `restored ${restored.id} in place of ${p.live?.id ?? '?'}`, environmentUrl: restored.url, logUrl: context.runUrl });
        (0,runner/* setOutput */.uH)('ledger-id', id);
    }
    const verifyUrl = inputs['verify-url'] ?? restored.url;
    let verified = 'not checked';
    if (inputs.verify && verifyUrl) {
        try {
            verified = `HTTP ${await verify(verifyUrl)} from ${verifyUrl}`;
        }
        catch (error) {
            appendSummary(summary(p, `restored ${restored.id}, but verification failed: ${(0,errors/* failureMessage */.oh)(error).split('\n')[0]}`, inputs, switchMs));
            throw error;
        }
    }
    (0,runner/* info */.pq)(`Rollback: ${restored.id} is live again (${verified}); switched in ${(switchMs / 1000).toFixed(1)}s.`);
    appendSummary(summary(p, `restored ${restored.id}`, inputs, switchMs, verified));
}
function summary(p, outcome, inputs, switchMs, verified) {
    return [
        `### Rollback: ${inputs.provider} → ${inputs.environment}`,
        facts([
            ['Outcome', outcome],
            ['Restored', p.target ? `${p.target.id}${p.target.url ? ` (${p.target.url})` : ''}` : undefined],
            ['Taken out', p.live && p.live.id !== p.target?.id ? p.live.id : undefined],
            ['Chosen from', p.source],
            ['Reason', inputs.reason],
            ['Switch time', switchMs !== undefined ? `${(switchMs / 1000).toFixed(1)}s` : undefined],
            ['Verified', verified],
        ]),
    ].join('\n\n');
}


/***/ }),

/***/ 9096:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   EY: () => (/* binding */ backoffDelay),
/* harmony export */   Em: () => (/* binding */ request),
/* harmony export */   LW: () => (/* binding */ classifyNetworkError),
/* harmony export */   XR: () => (/* binding */ retryingFetch),
/* harmony export */   vI: () => (/* binding */ DEFAULT_RETRY),
/* harmony export */   yR: () => (/* binding */ readText),
/* harmony export */   yy: () => (/* binding */ sleep)
/* harmony export */ });
/* unused harmony exports parseRetryAfter, moveCredentials */
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(2635);
/* harmony import */ var _runner_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(2798);
/* harmony import */ var _sanitise_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(7170);
// HTTP for every provider call: a timeout on every request, bounded retries with exponential backoff and full
// jitter on network errors, 5xx and 429, and Retry-After honoured up to a cap. A request that is not idempotent
// is retried only where the server cannot have acted on it: a 429, or a connection that was never made.



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
/** The kind of a failed fetch, from undici's error codes (they sit on `cause`, sometimes one level deeper). */
function classifyNetworkError(error) {
    const e = error;
    if (e?.name === 'TimeoutError' || e?.name === 'AbortError')
        return { kind: 'timeout', detail: e.message ?? 'timed out' };
    const code = e?.cause?.code ?? e?.cause?.cause?.code ?? e?.code ?? '';
    const detail = [code, e?.cause?.message].filter(Boolean).join(': ') || (e?.message ?? String(error));
    if (code === 'ECONNREFUSED')
        return { kind: 'connection-refused', detail };
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
        return { kind: 'dns', detail };
    if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || code === 'EPIPE' || code === 'UND_ERR_CLOSED')
        return { kind: 'connection-reset', detail };
    if (code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'ETIMEDOUT')
        return { kind: 'timeout', detail };
    if (/CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY/.test(code))
        return { kind: 'tls', detail };
    return { kind: 'other', detail };
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
    const basic = Buffer.from(`${(0,_sanitise_js__WEBPACK_IMPORTED_MODULE_2__/* .safeDecode */ .ex)(parsed.username)}:${(0,_sanitise_js__WEBPACK_IMPORTED_MODULE_2__/* .safeDecode */ .ex)(parsed.password)}`).toString('base64');
    parsed.username = '';
    parsed.password = '';
    const merged = new Headers(headers);
    if (!merged.has('authorization'))
        merged.set('authorization', `Basic ${basic}`);
    return { url: parsed.href, headers: merged };
}
/** Failures where the server never saw the request, so even a POST is safe to send again. */
const NEVER_SENT = new Set(['connection-refused', 'dns']);
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
    const doFetch = options.fetch ?? fetch;
    const timeoutMs = options.timeoutMs ?? 30_000;
    const target = moveCredentials(url, options.headers);
    const timeLeft = () => (options.deadline === undefined ? Number.POSITIVE_INFINITY : options.deadline - Date.now());
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
            const { kind, detail } = classifyNetworkError(error);
            const delay = backoffDelay(attempt, policy);
            if (last || !(idempotent || NEVER_SENT.has(kind)) || delay >= timeLeft())
                throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .NetworkError */ .Dr(options.label, kind, detail, { cause: error });
            (0,_runner_js__WEBPACK_IMPORTED_MODULE_1__/* .info */ .pq)(`${options.label}: ${kind} (${detail}); retrying in ${(delay / 1000).toFixed(1)}s (attempt ${attempt + 2} of ${policy.retries + 1})`);
            await wait(delay);
            continue;
        }
        if (last || !shouldRetryStatus(response.status, idempotent))
            return response;
        const retryAfter = parseRetryAfter(response.headers.get('retry-after'));
        const delay = retryAfter !== undefined ? Math.min(retryAfter, policy.maxRetryAfterMs) : backoffDelay(attempt, policy);
        if (delay >= timeLeft()) {
            (0,_runner_js__WEBPACK_IMPORTED_MODULE_1__/* .info */ .pq)(`${options.label}: HTTP ${response.status}; a wait of ${(delay / 1000).toFixed(1)}s${retryAfter !== undefined ? ' (Retry-After)' : ''} would end past the deadline, so no retry`);
            return response;
        }
        await response.body?.cancel().catch(() => undefined);
        (0,_runner_js__WEBPACK_IMPORTED_MODULE_1__/* .info */ .pq)(`${options.label}: HTTP ${response.status}; retrying in ${(delay / 1000).toFixed(1)}s${retryAfter !== undefined ? ' (Retry-After)' : ''} (attempt ${attempt + 2} of ${policy.retries + 1})`);
        await wait(delay);
    }
}
/**
 * A `fetch` with the retry policy built in, for clients that take a fetch of their own (@slack/webhook, the
 * provider SDKs): they then retry 429 after Retry-After, which several of them do not do by themselves.
 */
function retryingFetch(defaults) {
    return (async (input, init = {}) => {
        const url = input instanceof Request ? input.url : input;
        (0,_runner_js__WEBPACK_IMPORTED_MODULE_1__/* .debug */ .Yz)(`${defaults.label}: ${(init.method ?? 'GET').toUpperCase()}`);
        return request(url, {
            ...defaults,
            method: init.method,
            headers: init.headers,
            body: init.body,
            signal: init.signal ?? undefined,
        });
    });
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


/***/ })

};
