export const id = 690;
export const ids = [690];
export const modules = {

/***/ 8837:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   s: () => (/* binding */ mapLimit)
/* harmony export */ });
/**
 * Runs `fn` over `items` with at most `limit` in flight; results keep the input order. Fails with the first error,
 * and starts no new work once one has failed (an upload or deploy after a failure would only be wasted or
 * half-done); work already in flight is allowed to finish before the promise rejects.
 */
async function mapLimit(items, limit, fn) {
    const results = new Array(items.length);
    let next = 0;
    let failed = false;
    const worker = async () => {
        while (!failed && next < items.length) {
            const index = next++;
            try {
                results[index] = await fn(items[index], index);
            }
            catch (error) {
                failed = true;
                throw error;
            }
        }
    };
    const outcomes = await Promise.allSettled(Array.from({ length: Math.min(limit, items.length) }, worker));
    const rejected = outcomes.find((o) => o.status === 'rejected');
    if (rejected)
        throw rejected.reason;
    return results;
}


/***/ }),

/***/ 8365:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   i: () => (/* binding */ sha1File),
/* harmony export */   l: () => (/* binding */ digestFolder)
/* harmony export */ });
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_2__);
// The files of a build output with their SHA1 digests: what Vercel and Netlify deploy by, so only files the
// provider does not already have are uploaded.



const WHOLE_FILE_LIMIT = 8 * 1024 * 1024;
/** SHA1 of a file: read whole when small (most build output), in 1 MiB chunks when large. */
function sha1File(path, size) {
    const hash = (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createHash)('sha1');
    if (size <= WHOLE_FILE_LIMIT)
        return hash.update((0,node_fs__WEBPACK_IMPORTED_MODULE_1__.readFileSync)(path)).digest('hex');
    const fd = (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.openSync)(path, 'r');
    try {
        const buffer = Buffer.allocUnsafe(1024 * 1024);
        for (let n = (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.readSync)(fd, buffer); n > 0; n = (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.readSync)(fd, buffer))
            hash.update(buffer.subarray(0, n));
    }
    finally {
        (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.closeSync)(fd);
    }
    return hash.digest('hex');
}
/**
 * Every file under `dir` with its SHA1. Synchronous on purpose: build outputs are thousands of small files, where
 * the cost is per-call overhead, and Node's async fs (a 4-thread pool, a promise per call) was 5× slower than
 * `sha1sum` on 5,000 files; nothing else runs while a deploy hashes.
 */
function digestFolder(dir, options = {}) {
    const files = [];
    for (const entry of (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.readdirSync)(dir, { withFileTypes: true, recursive: true })) {
        if (!entry.isFile())
            continue;
        const absolutePath = (0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(entry.parentPath, entry.name);
        const path = `${options.prefix ?? ''}${(0,node_path__WEBPACK_IMPORTED_MODULE_2__.relative)(dir, absolutePath).split(node_path__WEBPACK_IMPORTED_MODULE_2__.sep).join('/')}`;
        if (options.ignore?.(path))
            continue;
        const info = (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.statSync)(absolutePath);
        files.push({ path, absolutePath, sha1: sha1File(absolutePath, info.size), size: info.size, mode: info.mode });
    }
    return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}


/***/ }),

/***/ 7690:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   NetlifyProvider: () => (/* binding */ NetlifyProvider)
/* harmony export */ });
/* unused harmony exports SYNC_FILE_LIMIT, createBody, uploadList, uploadPath */
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _netlify_api__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6393);
/* harmony import */ var _concurrency_js__WEBPACK_IMPORTED_MODULE_7__ = __webpack_require__(8837);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(2635);
/* harmony import */ var _files_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(8365);
/* harmony import */ var _http_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(9096);
/* harmony import */ var _proxy_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(7886);
/* harmony import */ var _runner_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(2798);
// Netlify through its REST API, with the calls netlify-cli makes through @netlify/api: a file-digest deploy (the
// SHA1 of every file; every path whose digest Netlify reports `required` is uploaded), created `async` above 100
// files and then polled until Netlify has diffed it (`prepared`), followed to `ready` or `error`. Drafts are
// previews and staged releases; a staged draft is promoted, and a previous deploy rolled back to, by restoring it.








const UPLOAD_CONCURRENCY = 8;
const READY_POLL_MS = [500, 1000, 1000, 2000, 5000, 10_000, 15_000];
const TERMINAL_ERROR = new Set(['error', 'rejected']);
/** netlify-cli's DEFAULT_SYNC_LIMIT: above this many files a deploy is created `async` and diffed in the background. */
const SYNC_FILE_LIMIT = 100;
/** The states netlify-cli's waitForDiff accepts as "diffing done": `required` is then known. */
const DIFFED = new Set(['prepared', 'uploading', 'uploaded', 'ready']);
const CALL_TIMEOUT_MS = 60_000;
const UPLOAD_TIMEOUT_MS = 120_000;
/** The deploy title carries the commit and this step's key: the only field Netlify lets us find a deploy by. */
function title(spec) {
    return `shipline ${spec.git.sha.slice(0, 12)} ${spec.idempotencyKey}`;
}
/** The create body, as netlify-cli builds it: `async` above the sync limit. The title goes in the query. */
function createBody(files, draft) {
    return { files: Object.fromEntries(files.map((f) => [`/${f.path}`, f.sha1])), draft, async: files.length > SYNC_FILE_LIMIT };
}
/** Every file whose digest is required: several paths can share one digest, and each path is uploaded. */
function uploadList(files, required) {
    const wanted = new Set(required);
    return files.filter((f) => wanted.has(f.sha1));
}
/** The upload path as netlify-cli sends it (`encodeURI`); Netlify refuses names holding `#` or `?`. */
function uploadPath(path) {
    if (/[#?]/.test(path))
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .ShiplineError */ .J0(`Input 'dir': ${path}: Netlify deploys cannot hold file names with # or ?`);
    return encodeURI(path);
}
class NetlifyProvider {
    config;
    name = 'netlify';
    supportsStaging = true;
    apiUrl;
    api;
    constructor(config) {
        this.config = config;
        this.apiUrl = (config.apiUrl ?? 'https://api.netlify.com/api/v1').replace(/\/$/, '');
        const url = new URL(this.apiUrl);
        // The same split of the base URL netlify-cli makes for NETLIFY_API_URL.
        this.api = new _netlify_api__WEBPACK_IMPORTED_MODULE_1__/* .NetlifyAPI */ .g(config.token, { scheme: url.protocol.slice(0, -1), host: url.host, pathPrefix: url.pathname === '/' ? '/api/v1' : url.pathname, userAgent: 'shipline' });
    }
    /**
     * One @netlify/api call with a timeout (the client sets none) and, for calls that may be repeated, retries on
     * 5xx and lost connections (the client itself retries only 429 and resets, honouring X-RateLimit-Reset).
     */
    async call(label, fn, options = {}) {
        // @netlify/api spreads these options into its node-fetch call: the agent takes each request through the proxy the
        // environment names (HTTPS_PROXY, HTTP_PROXY, NO_PROXY), as netlify-cli passes its proxy agent.
        for (let attempt = 0;; attempt++) {
            try {
                return await fn(this.api, { signal: AbortSignal.timeout(options.timeoutMs ?? CALL_TIMEOUT_MS), ...{ agent: _proxy_js__WEBPACK_IMPORTED_MODULE_5__/* .envProxyAgent */ .hi } });
            }
            catch (error) {
                const failure = asShiplineError(label, error);
                const transient = failure instanceof _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .NetworkError */ .Dr || (failure instanceof _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .ProviderError */ .mZ && (failure.status ?? 0) >= 500);
                if (!transient || attempt >= _http_js__WEBPACK_IMPORTED_MODULE_4__/* .DEFAULT_RETRY */ .vI.retries)
                    throw failure;
                const delay = (0,_http_js__WEBPACK_IMPORTED_MODULE_4__/* .backoffDelay */ .EY)(attempt, _http_js__WEBPACK_IMPORTED_MODULE_4__/* .DEFAULT_RETRY */ .vI);
                (0,_runner_js__WEBPACK_IMPORTED_MODULE_6__/* .info */ .pq)(`Netlify ${label}: ${failure.message}; retrying in ${(delay / 1000).toFixed(1)}s`);
                await (0,_http_js__WEBPACK_IMPORTED_MODULE_4__/* .sleep */ .yy)(delay);
            }
        }
    }
    async getDeploy(id) {
        return this.call('get deploy', (api, opts) => api.getSiteDeploy({ site_id: this.config.project, deploy_id: id }, opts));
    }
    /**
     * createSiteDeploy, sent by hand: @netlify/api resends any request whose connection resets, and a create whose
     * answer was lost may have happened — resending it blindly could make a second deploy. The request is the one
     * @netlify/api builds (test/conformance-netlify.test.ts compares them on the fake).
     */
    async createOnce(query, body) {
        const answer = await (0,_http_js__WEBPACK_IMPORTED_MODULE_4__/* .requestJson */ .SS)(`${this.apiUrl}/sites/${encodeURIComponent(this.config.project)}/deploys?${query}`, {
            label: 'Netlify create deploy',
            method: 'POST',
            idempotent: false,
            headers: { accept: 'application/json', 'User-agent': 'shipline', authorization: `Bearer ${this.config.token}`, 'content-type': 'application/json' },
            body: JSON.stringify(body),
        }, {
            provider: 'Netlify',
            action: 'create deploy',
            errorMessage: (data, status) => (status >= 300 ? (data?.message ?? data?.error ?? `HTTP ${status}`) : undefined),
            hint: (status) => hintFor(status),
        });
        return answer.data;
    }
    toRelease(d) {
        return {
            provider: 'netlify',
            id: d.id,
            url: d.deploy_ssl_url ?? d.ssl_url,
            inspectorUrl: d.admin_url ? `${d.admin_url}/deploys/${d.id}` : undefined,
            target: d.published_at || !d.draft ? 'production' : 'preview',
            state: d.state,
            createdAt: d.created_at ? Date.parse(d.created_at) : undefined,
            sha: / ([0-9a-f]{7,40}) /.exec(d.title ?? '')?.[1],
        };
    }
    async deploysOfSite() {
        return this.call('list deploys', (api, opts) => api.listSiteDeploys({ site_id: this.config.project, per_page: 100 }, opts));
    }
    async create(spec, files, draft) {
        const deployTitle = title(spec);
        // `title` is a query parameter of createSiteDeploy; Netlify does not read it from the body.
        const query = `title=${encodeURIComponent(deployTitle)}`;
        const body = createBody(files, draft);
        for (let attempt = 0; attempt < 3; attempt++) {
            try {
                return await this.createOnce(query, body);
            }
            catch (error) {
                // A create whose answer was lost may have happened: find it by its title before creating again.
                const lost = error instanceof _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .NetworkError */ .Dr || (error instanceof _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .ProviderError */ .mZ && (error.status ?? 0) >= 500);
                if (!lost)
                    throw error;
                const existing = (await this.deploysOfSite()).find((d) => d.title === deployTitle);
                if (existing)
                    return this.getDeploy(existing.id);
                (0,_runner_js__WEBPACK_IMPORTED_MODULE_6__/* .info */ .pq)(`Netlify: create deploy got no answer (${error.message}); no deploy with this key exists, creating again`);
            }
        }
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .ProviderError */ .mZ('Netlify', 'the deploy could not be created after 3 attempts', { action: 'create deploy' });
    }
    /** An async deploy names its required files only once Netlify has diffed it: poll, as netlify-cli's waitForDiff. */
    async waitUntilDiffed(created, deadline) {
        let deploy = created;
        for (let attempt = 0; !DIFFED.has(deploy.state ?? ''); attempt++) {
            if (TERMINAL_ERROR.has(deploy.state ?? ''))
                throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .ProviderError */ .mZ('Netlify', deploy.error_message || `deploy ${deploy.state}`, { action: 'deploy' });
            const wait = READY_POLL_MS[Math.min(attempt, READY_POLL_MS.length - 1)];
            if (Date.now() + wait > deadline)
                throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .ShiplineError */ .J0(`Netlify deploy ${created.id} was not prepared before the deadline (last state ${deploy.state})`, { hint: "Raise input 'wait-timeout'." });
            await (0,_http_js__WEBPACK_IMPORTED_MODULE_4__/* .sleep */ .yy)(wait);
            deploy = await this.getDeploy(created.id);
        }
        return deploy;
    }
    async deploy(spec, deadline) {
        const hashStart = Date.now();
        const files = (0,_files_js__WEBPACK_IMPORTED_MODULE_3__/* .digestFolder */ .l)(spec.dir, { ignore: (p) => p.startsWith('.git/') || p.startsWith('.netlify/') });
        if (files.length === 0)
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .ShiplineError */ .J0(`Input 'dir': ${spec.dir} holds no files to deploy`);
        const paths = new Map(files.map((f) => [f.path, uploadPath(f.path)]));
        const stats = { files: files.length, uploaded: 0, uploadedBytes: 0, hashMs: Date.now() - hashStart };
        (0,_runner_js__WEBPACK_IMPORTED_MODULE_6__/* .info */ .pq)(`Netlify: ${files.length} files hashed in ${stats.hashMs} ms`);
        // Previews and staged releases are drafts: they never replace the published deploy by themselves.
        const draft = spec.target === 'preview' || spec.staged;
        const created = await this.create(spec, files, draft);
        spec.onCreated?.(this.toRelease(created));
        const diffed = files.length > SYNC_FILE_LIMIT ? await this.waitUntilDiffed(created, deadline) : created;
        const todo = uploadList(files, diffed.required ?? []);
        (0,_runner_js__WEBPACK_IMPORTED_MODULE_6__/* .info */ .pq)(`Netlify: deploy ${created.id} created; ${todo.length} of ${files.length} files are new`);
        await (0,_concurrency_js__WEBPACK_IMPORTED_MODULE_7__/* .mapLimit */ .s)(todo, UPLOAD_CONCURRENCY, async (file) => {
            // An upload is keyed by the deploy and path: sending it twice is harmless, so it may be retried.
            await this.call(`upload ${file.path}`, (api, opts) => api.uploadDeployFile({ deploy_id: created.id, path: paths.get(file.path), body: () => (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.createReadStream)(file.absolutePath) }, opts), { timeoutMs: UPLOAD_TIMEOUT_MS });
            stats.uploaded++;
            stats.uploadedBytes += file.size;
        });
        return { release: await this.waitUntilReady(created.id, deadline), upload: stats };
    }
    async waitUntilReady(id, deadline) {
        let last = '';
        for (let attempt = 0;; attempt++) {
            const d = await this.getDeploy(id);
            if (d.state !== last)
                (0,_runner_js__WEBPACK_IMPORTED_MODULE_6__/* .info */ .pq)(`Netlify: ${id} ${last || 'created'} → ${d.state}`);
            last = d.state ?? '';
            if (d.state === 'ready')
                return this.toRelease(d);
            if (TERMINAL_ERROR.has(d.state ?? ''))
                throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .ProviderError */ .mZ('Netlify', d.error_message || `deploy ${d.state}`, { action: 'deploy', hint: d.admin_url ? `Deploy log: ${d.admin_url}/deploys/${id}` : undefined });
            const wait = READY_POLL_MS[Math.min(attempt, READY_POLL_MS.length - 1)];
            if (Date.now() + wait > deadline)
                throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .ShiplineError */ .J0(`Netlify deploy ${id} was not ready before the deadline (last state ${last})`, { hint: "Raise input 'wait-timeout'." });
            await (0,_http_js__WEBPACK_IMPORTED_MODULE_4__/* .sleep */ .yy)(wait);
        }
    }
    async site() {
        return this.call('get site', (api, opts) => api.getSite({ site_id: this.config.project }, opts));
    }
    /** Restore publishes a ready deploy; waits until the site's published deploy is that one. */
    async publish(id, deadline) {
        // Restoring the same deploy twice leaves the same deploy published, so the call may be repeated.
        await this.call('restore deploy', (api, opts) => api.restoreSiteDeploy({ site_id: this.config.project, deploy_id: id }, opts));
        for (;;) {
            const site = await this.site();
            if (site.published_deploy?.id === id)
                return { ...this.toRelease(site.published_deploy), target: 'production' };
            if (Date.now() + 500 > deadline)
                throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .ShiplineError */ .J0(`Netlify did not publish deploy ${id} before the deadline`);
            await (0,_http_js__WEBPACK_IMPORTED_MODULE_4__/* .sleep */ .yy)(500);
        }
    }
    promote(release, deadline) {
        return this.publish(release.id, deadline);
    }
    rollback(to, deadline) {
        return this.publish(to.id, deadline);
    }
    async current() {
        const published = (await this.site()).published_deploy;
        return published ? { ...this.toRelease(published), target: 'production' } : undefined;
    }
    async previous(current) {
        const candidates = (await this.deploysOfSite())
            // Only deploys that were once published (live) are candidates; drafts that never were are not.
            .filter((d) => d.state === 'ready' && d.id !== current?.id && d.published_at)
            .filter((d) => current?.createdAt === undefined || Date.parse(d.created_at ?? '') < current.createdAt)
            .sort((a, b) => Date.parse(b.created_at ?? '') - Date.parse(a.created_at ?? ''));
        return candidates[0] ? this.toRelease(candidates[0]) : undefined;
    }
    async describe(id) {
        return this.toRelease(await this.getDeploy(id));
    }
    async findBySha(sha) {
        const match = (await this.deploysOfSite()).find((d) => d.state === 'ready' && d.title?.startsWith(`shipline ${sha.slice(0, 12)}`));
        return match ? this.toRelease(match) : undefined;
    }
    async assignAliases(_release, aliases) {
        if (aliases.length === 0)
            return [];
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .ProviderError */ .mZ('Netlify', 'custom aliases per deploy are not part of the Netlify deploy API; use the draft URL (deploy_ssl_url) or a branch deploy', { action: 'alias' });
    }
}
function hintFor(status) {
    if (status === 401 || status === 403)
        return "Check the Netlify token (input 'token') and its access to the site.";
    if (status === 404)
        return "Check input 'project' (the Netlify site ID, from Site configuration → Site details).";
    if (status === 422)
        return 'Netlify refused the deploy request.';
    return undefined;
}
/** @netlify/api's errors (JSONHTTPError/TextHTTPError with `status`, node-fetch's FetchError) as ours. */
function asShiplineError(label, error) {
    if (error instanceof _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .ShiplineError */ .J0)
        return error;
    const e = error;
    if (typeof e?.status === 'number') {
        if (e.status < 300)
            return new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .ProviderError */ .mZ('Netlify', `malformed answer to ${label} (${String(e.data ?? e.message).slice(0, 200)})`, { status: e.status });
        const reason = e.json?.message ?? e.json?.error ?? (typeof e.data === 'string' && e.data ? e.data.slice(0, 200) : e.message || `HTTP ${e.status}`);
        return new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .ProviderError */ .mZ('Netlify', reason, { status: e.status, action: label, hint: hintFor(e.status), cause: error });
    }
    const { kind, detail } = (0,_http_js__WEBPACK_IMPORTED_MODULE_4__/* .classifyNetworkError */ .LW)(error);
    return new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .NetworkError */ .Dr(`Netlify ${label}`, kind, detail, { cause: error });
}


/***/ })

};
