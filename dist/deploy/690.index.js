export const id = 690;
export const ids = [690];
export const modules = {

/***/ 88837:
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

/***/ 21064:
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

/***/ 78365:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Hy: () => (/* binding */ resolveUnderRoot),
/* harmony export */   iv: () => (/* binding */ sha1File),
/* harmony export */   lo: () => (/* binding */ digestFolder),
/* harmony export */   ud: () => (/* binding */ outsideLinkError),
/* harmony export */   y9: () => (/* binding */ filesUnderRoot)
/* harmony export */ });
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(77598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(73024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(76760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(32635);
// The files of a deployed folder, never leaving it (a link is followed only while its target stays inside), and
// their SHA1 digests: what Vercel and Netlify deploy by, so only files the provider does not already have are
// uploaded.




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
 * Every file under `dir` with its SHA1, never reading outside `dir` (filesUnderRoot: links leaving it are refused,
 * or skipped and returned in `skipped`). Synchronous on purpose: build outputs are thousands of small files, where
 * the cost is per-call overhead, and Node's async fs (a 4-thread pool, a promise per call) was 5× slower than
 * `sha1sum` on 5,000 files; nothing else runs while a deploy hashes.
 */
function digestFolder(dir, options = {}) {
    const found = filesUnderRoot(dir, { ignore: options.ignore, outsideLinks: options.outsideLinks });
    const files = found.files.map(({ path, absolutePath }) => {
        const info = (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.statSync)(absolutePath);
        return { path, absolutePath, sha1: sha1File(absolutePath, info.size), size: info.size, mode: info.mode };
    });
    return { files, skipped: found.skipped };
}
/** The refusal for a link that leaves the deployed folder: names the link, where it points, and the folder. */
function outsideLinkError(root, link, what = '') {
    return new _errors_js__WEBPACK_IMPORTED_MODULE_3__/* .ShiplineError */ .J0(`${what}${link.path} is a link to a path outside ${root} (${link.target}): refused`, {
        hint: 'Only files inside the deployed folder are uploaded. Copy what the link points to into the folder, or remove the link.',
    });
}
const insideOf = (realRoot, realPath) => {
    const rel = (0,node_path__WEBPACK_IMPORTED_MODULE_2__.relative)(realRoot, realPath);
    return rel === '' || (rel !== '..' && !rel.startsWith(`..${node_path__WEBPACK_IMPORTED_MODULE_2__.sep}`) && !(0,node_path__WEBPACK_IMPORTED_MODULE_2__.isAbsolute)(rel));
};
const realpathOrUndefined = (path) => {
    try {
        return (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.realpathSync)(path);
    }
    catch {
        return undefined;
    }
};
/** A path relative to a root (with / or the platform's separator), made posix; `..` or absolute means it leaves. */
function normalInside(relPath) {
    if ((0,node_path__WEBPACK_IMPORTED_MODULE_2__.isAbsolute)(relPath))
        return undefined;
    const clean = node_path__WEBPACK_IMPORTED_MODULE_2__.posix.normalize(relPath.split(node_path__WEBPACK_IMPORTED_MODULE_2__.sep).join('/'));
    if (clean === '..' || clean.startsWith('../'))
        return undefined;
    return clean === '.' || clean === './' ? '' : clean.replace(/\/$/, '');
}
function resolveUnderRoot(root, relPath, options = {}) {
    const clean = normalInside(relPath);
    if (clean === undefined)
        return { kind: 'leaves', path: relPath };
    const realRoot = (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.realpathSync)(root);
    const parts = clean === '' ? [] : clean.split('/');
    let real = realRoot;
    for (let i = 0; i < parts.length; i++) {
        const next = (0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(real, parts[i]);
        let info;
        try {
            info = (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.lstatSync)(next);
        }
        catch {
            return { kind: 'missing', path: clean };
        }
        const last = i === parts.length - 1;
        if (info.isSymbolicLink() && !(last && options.keepLastLink)) {
            const target = realpathOrUndefined(next);
            if (target === undefined)
                return { kind: 'missing', path: clean };
            if (!insideOf(realRoot, target))
                return {
                    kind: 'link',
                    path: clean,
                    link: { path: parts.slice(0, i + 1).join('/'), target: (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.readlinkSync)(next) },
                };
            real = target;
        }
        else
            real = next;
    }
    const info = (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.lstatSync)(real);
    return {
        kind: 'inside',
        path: clean,
        realPath: real,
        isDirectory: info.isDirectory(),
        isLink: info.isSymbolicLink(),
    };
}
/**
 * Every file under `root` (or under its subfolder `from`), never reading anything outside `root`. Entries are
 * lstat-ed, so a link is seen as a link: one whose real target is inside the root is walked as its target (a
 * folder link into its own ancestors is skipped, it would never end); one whose target is outside is refused
 * (an error naming it), or, with `outsideLinks: 'skip'`, left out and reported in `skipped`. A dangling link
 * has nothing to upload and is left out. Node's recursive readdir cannot be used: it descends into linked
 * folders wherever they point (nodejs/node#51858).
 */
function filesUnderRoot(root, options = {}) {
    const realRoot = (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.realpathSync)(root);
    const files = [];
    const skipped = [];
    const start = resolveUnderRoot(root, options.from ?? '');
    if (start.kind === 'leaves')
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_3__/* .ShiplineError */ .J0(`${options.from} is outside ${root}: refused`);
    if (start.kind === 'link')
        throw outsideLinkError(root, start.link);
    if (start.kind === 'missing' || !start.isDirectory)
        return { files, skipped };
    const walk = (realFolder, path, ancestors) => {
        for (const name of (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.readdirSync)(realFolder).sort()) {
            const childPath = path ? `${path}/${name}` : name;
            if (options.ignore?.(childPath))
                continue;
            let real = (0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(realFolder, name);
            let info = (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.lstatSync)(real);
            if (info.isSymbolicLink()) {
                const target = realpathOrUndefined(real);
                if (target === undefined)
                    continue;
                if (!insideOf(realRoot, target)) {
                    const link = { path: childPath, target: (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.readlinkSync)(real) };
                    if (options.outsideLinks === 'skip') {
                        skipped.push(link);
                        continue;
                    }
                    throw outsideLinkError(root, link);
                }
                real = target;
                info = (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.statSync)(real);
            }
            if (info.isDirectory()) {
                if (ancestors.has(real))
                    continue;
                walk(real, childPath, new Set([...ancestors, real]));
            }
            else if (info.isFile())
                files.push({ path: childPath, absolutePath: real });
        }
    };
    walk(start.realPath, start.path, new Set([realRoot, start.realPath]));
    return { files: files.sort(byPath), skipped };
}
const byPath = (a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);


/***/ }),

/***/ 7690:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   NetlifyProvider: () => (/* binding */ NetlifyProvider)
/* harmony export */ });
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(73024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _netlify_api__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(76393);
/* harmony import */ var _concurrency_js__WEBPACK_IMPORTED_MODULE_10__ = __webpack_require__(88837);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(32635);
/* harmony import */ var _files_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(78365);
/* harmony import */ var _http_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(9096);
/* harmony import */ var _proxy_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(97886);
/* harmony import */ var _runner_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(52798);
/* harmony import */ var _sanitise_js__WEBPACK_IMPORTED_MODULE_7__ = __webpack_require__(71193);
/* harmony import */ var _deadline_js__WEBPACK_IMPORTED_MODULE_9__ = __webpack_require__(21064);
/* harmony import */ var _provider_js__WEBPACK_IMPORTED_MODULE_8__ = __webpack_require__(22862);
// Netlify through its REST API, with the calls netlify-cli makes through @netlify/api: a file-digest deploy (the
// SHA1 of every file; every path whose digest Netlify reports `required` is uploaded), created `async` above 100
// files and then polled until Netlify has diffed it (`prepared`), followed to `ready` or `error`. Drafts are
// previews and staged releases; a staged draft is promoted, and a previous deploy rolled back to, by restoring it.











const UPLOAD_CONCURRENCY = 8;
const READY_POLL_MS = [500, 1000, 1000, 2000, 5000, 10_000, 15_000];
const TERMINAL_ERROR = new Set(['error', 'rejected', 'canceled', 'cancelled']);
/** Time given to cancelling a deploy we gave up on, even past the deadline (it keeps production from changing). */
const CANCEL_MS = 5_000;
/** 5xx from a gateway: Netlify's own handler may still be working on the request, so its fate is unknown. */
const GATEWAY = new Set([502, 504]);
/** The deploy stopped by itself (failed, rejected): it can never be published. */
class StoppedError extends _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .ProviderError */ .mZ {
}
/** Ready and not published (auto publishing stopped, or another deploy published): there is nothing to cancel. */
class NotPublishedError extends _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .ShiplineError */ .J0 {
}
/** netlify-cli's DEFAULT_SYNC_LIMIT: above this many files a deploy is created `async` and diffed in the background. */
const SYNC_FILE_LIMIT = 100;
/** The states netlify-cli's waitForDiff accepts as "diffing done": `required` is then known. */
const DIFFED = new Set(['prepared', 'uploading', 'uploaded', 'ready']);
const CALL_TIMEOUT_MS = 60_000;
/**
 * How long a ready production deploy may take to become the site's published deploy. Netlify publishes it as it
 * becomes ready, so this only bounds a deploy that the site will not publish for a reason it does not state.
 */
const PUBLISH_GRACE_MS = 30_000;
const UPLOAD_TIMEOUT_MS = 120_000;
/** The deploy title carries the commit and this step's key: the only field Netlify lets us find a deploy by. */
function title(spec) {
    return `shipline ${spec.git.sha.slice(0, 12)} ${spec.idempotencyKey}`;
}
/** The create body, as netlify-cli builds it: `async` above the sync limit. The title goes in the query. */
function createBody(files, draft) {
    return {
        files: Object.fromEntries(files.map((f) => [`/${f.path}`, f.sha1])),
        draft,
        async: files.length > SYNC_FILE_LIMIT,
    };
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
    apiUrl;
    api;
    constructor(config) {
        this.config = config;
        this.apiUrl = (config.apiUrl ?? 'https://api.netlify.com/api/v1').replace(/\/$/, '');
        const url = new URL(this.apiUrl);
        // The same split of the base URL netlify-cli makes for NETLIFY_API_URL.
        this.api = new _netlify_api__WEBPACK_IMPORTED_MODULE_1__/* .NetlifyAPI */ .g(config.token, {
            scheme: url.protocol.slice(0, -1),
            host: url.host,
            pathPrefix: url.pathname === '/' ? '/api/v1' : url.pathname,
            userAgent: 'shipline',
        });
    }
    /**
     * One @netlify/api call with a timeout (the client sets none) and, for calls that may be repeated, retries on
     * 5xx and lost connections (the client itself retries only 429 and resets, honouring X-RateLimit-Reset).
     */
    async call(label, fn, options = {}) {
        const { deadline } = options;
        for (let attempt = 0;; attempt++) {
            // Every request of a deploy ends by its deadline, retries included: a hanging API cannot stretch the wait.
            const attemptMs = Math.min(options.timeoutMs ?? CALL_TIMEOUT_MS, deadline?.left() ?? Number.POSITIVE_INFINITY);
            if (attemptMs <= 0)
                throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .NetworkError */ .Dr(`Netlify ${label}`, 'timeout', 'no time left before the deadline');
            const signal = AbortSignal.timeout(attemptMs);
            try {
                // @netlify/api spreads these options into its node-fetch call: the agent takes each request through the proxy the
                // environment names (HTTPS_PROXY, HTTP_PROXY, NO_PROXY), as netlify-cli passes its proxy agent.
                return await fn(this.api, { signal, ...{ agent: _proxy_js__WEBPACK_IMPORTED_MODULE_5__/* .envProxyAgent */ .hi } });
            }
            catch (error) {
                // @netlify/api turns an abort into a TypeError of its own (it sets `name` on the DOMException): ours is a timeout.
                const failure = signal.aborted
                    ? new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .NetworkError */ .Dr(`Netlify ${label}`, 'timeout', `no response within ${(attemptMs / 1000).toFixed(1)}s`, {
                        cause: error,
                    })
                    : asShiplineError(label, error);
                const transient = failure instanceof _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .NetworkError */ .Dr || (failure instanceof _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .ProviderError */ .mZ && (failure.status ?? 0) >= 500);
                if (!transient || attempt >= _http_js__WEBPACK_IMPORTED_MODULE_4__/* .DEFAULT_RETRY */ .vI.retries)
                    throw failure;
                const delay = (0,_http_js__WEBPACK_IMPORTED_MODULE_4__/* .backoffDelay */ .EY)(attempt, _http_js__WEBPACK_IMPORTED_MODULE_4__/* .DEFAULT_RETRY */ .vI);
                if (deadline && delay >= deadline.left())
                    throw failure;
                (0,_runner_js__WEBPACK_IMPORTED_MODULE_6__/* .info */ .pq)(`Netlify ${label}: ${failure.message}; retrying in ${(delay / 1000).toFixed(1)}s`);
                await (0,_http_js__WEBPACK_IMPORTED_MODULE_4__/* .sleep */ .yy)(delay);
            }
        }
    }
    async getDeploy(id, deadline) {
        return this.call('get deploy', (api, opts) => api.getSiteDeploy({ site_id: this.config.project, deploy_id: id }, opts), { deadline });
    }
    /**
     * createSiteDeploy, sent by hand: @netlify/api resends any request whose connection resets, and a create whose
     * answer was lost may have happened — resending it blindly could make a second deploy. The request is the one
     * @netlify/api builds (test/conformance-netlify.test.ts compares them on the fake).
     */
    async createOnce(query, body, deadline) {
        const answer = await (0,_http_js__WEBPACK_IMPORTED_MODULE_4__/* .requestJson */ .SS)(`${this.apiUrl}/sites/${encodeURIComponent(this.config.project)}/deploys?${query}`, {
            label: 'Netlify create deploy',
            method: 'POST',
            idempotent: false,
            headers: {
                accept: 'application/json',
                'User-agent': 'shipline',
                authorization: `Bearer ${this.config.token}`,
                'content-type': 'application/json',
            },
            body: JSON.stringify(body),
            deadline,
        }, {
            provider: 'Netlify',
            action: 'create deploy',
            errorMessage: (data, status) => status >= 300
                ? (data?.message ?? data?.error ?? `HTTP ${status}`)
                : undefined,
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
    async deploysOfSite(deadline) {
        return this.call('list deploys', (api, opts) => api.listSiteDeploys({ site_id: this.config.project, per_page: 100 }, opts), { deadline });
    }
    /** The deploy this step created, found by its title (which carries the step's key): how a lost create is recognised. */
    async findByTitle(deployTitle, deadline) {
        const existing = (await this.deploysOfSite(deadline)).find((d) => d.title === deployTitle);
        return existing ? this.getDeploy(existing.id, deadline) : undefined;
    }
    /** A create whose fate is unknown and whose deploy never showed up: both possibilities, never a second create. */
    unknownCreate(cause, deployTitle) {
        return new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .ShiplineError */ .J0(`Netlify create deploy: ${cause}, and no deploy titled '${deployTitle}' appeared on site ${this.config.project} while we looked. ` +
            'Either Netlify never made it, or it is still making it; it was not created again, so there cannot be two.', {
            hint: `Look for a deploy titled '${deployTitle}' in the site's deploy list: if there is one, cancel it (a production deploy is published by itself once its files arrive); if there is none, re-run the job.`,
        });
    }
    async create(spec, files, draft, deadline) {
        const deployTitle = title(spec);
        // `title` is a query parameter of createSiteDeploy; Netlify does not read it from the body.
        const query = `title=${encodeURIComponent(deployTitle)}`;
        const body = createBody(files, draft);
        for (let attempt = 0;; attempt++) {
            try {
                return await this.createOnce(query, body, deadline);
            }
            catch (error) {
                const status = error instanceof _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .ProviderError */ .mZ ? (error.status ?? 0) : 0;
                if (error instanceof _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .NetworkError */ .Dr || GATEWAY.has(status)) {
                    // No answer (a timeout, a reset, a gateway that gave up): Netlify may have made the deploy, or may still
                    // be making it. Look it up by its title for a while; creating again on a guess could make a second one.
                    const found = await (0,_provider_js__WEBPACK_IMPORTED_MODULE_8__/* .lookUpUnknownCreate */ .X)((window) => this.findByTitle(deployTitle, window), deadline, _http_js__WEBPACK_IMPORTED_MODULE_4__/* .sleep */ .yy);
                    if (found) {
                        (0,_runner_js__WEBPACK_IMPORTED_MODULE_6__/* .info */ .pq)(`Netlify: create deploy got no answer; found the deploy it made by its title (${found.id})`);
                        return found;
                    }
                    throw this.unknownCreate(error instanceof _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .NetworkError */ .Dr ? `no answer (${error.kind})` : `a gateway answered HTTP ${status}`, deployTitle);
                }
                if (status < 500 || attempt >= 2)
                    throw error;
                // Netlify itself answered: the request is over. Only if no deploy carries this step's title was none made,
                // and only then is it created again.
                const found = await this.findByTitle(deployTitle, deadline);
                if (found)
                    return found;
                (0,_runner_js__WEBPACK_IMPORTED_MODULE_6__/* .info */ .pq)(`Netlify: create deploy answered HTTP ${status} and no deploy with this step's title exists; creating again`);
            }
        }
    }
    /** An async deploy names its required files only once Netlify has diffed it: poll, as netlify-cli's waitForDiff. */
    async waitUntilDiffed(created, deadline) {
        let deploy = created;
        for (let attempt = 0; !DIFFED.has(deploy.state ?? ''); attempt++) {
            if (TERMINAL_ERROR.has(deploy.state ?? ''))
                throw new StoppedError('Netlify', deploy.error_message || `deploy ${deploy.state}`, { action: 'deploy' });
            const wait = READY_POLL_MS[Math.min(attempt, READY_POLL_MS.length - 1)];
            if (wait > deadline.left())
                throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .ShiplineError */ .J0(`Netlify deploy ${created.id} was not prepared before the deadline (last state ${deploy.state})`, { hint: "Raise input 'wait-timeout'." });
            await (0,_http_js__WEBPACK_IMPORTED_MODULE_4__/* .sleep */ .yy)(wait);
            deploy = await this.getDeploy(created.id, deadline);
        }
        return deploy;
    }
    async deploy(spec, deadline) {
        if (!(0,node_fs__WEBPACK_IMPORTED_MODULE_0__.existsSync)(spec.dir) || !(0,node_fs__WEBPACK_IMPORTED_MODULE_0__.statSync)(spec.dir).isDirectory())
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .ShiplineError */ .J0(`Input 'dir': ${spec.dir} is not a folder`);
        const hashStart = Date.now();
        // Links leaving the folder are skipped, never read: netlify-cli deploys only what lstat calls a regular file
        // (folder-walker lstats each entry; hasher-segments.js fileFilterCtor keeps type 'file'), so it skips every
        // link. A link whose target stays inside the folder is deployed as that target, which the CLI would leave out
        // (a missing page), while nothing outside the folder is read.
        const { files, skipped } = (0,_files_js__WEBPACK_IMPORTED_MODULE_3__/* .digestFolder */ .lo)(spec.dir, {
            ignore: (p) => ['.git', '.netlify'].some((d) => p === d || p.startsWith(`${d}/`)),
            outsideLinks: 'skip',
        });
        for (const link of skipped)
            (0,_runner_js__WEBPACK_IMPORTED_MODULE_6__/* .warning */ .$e)(`Netlify: ${link.path} is a link to a path outside ${spec.dir} (${link.target}); it is not uploaded`);
        if (files.length === 0)
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .ShiplineError */ .J0(`Input 'dir': ${spec.dir} holds no files to deploy`);
        const paths = new Map(files.map((f) => [f.path, uploadPath(f.path)]));
        const stats = { files: files.length, uploaded: 0, uploadedBytes: 0, hashMs: Date.now() - hashStart };
        (0,_runner_js__WEBPACK_IMPORTED_MODULE_6__/* .info */ .pq)(`Netlify: ${files.length} files hashed in ${stats.hashMs} ms`);
        // Previews and staged releases are drafts: they never replace the published deploy by themselves.
        const draft = spec.target === 'preview' || spec.staged;
        if (!draft)
            await this.refuseLockedPublishing(deadline);
        const created = await this.create(spec, files, draft, deadline);
        spec.onCreated?.(this.toRelease(created));
        try {
            return await this.complete(created, files, paths, stats, deadline, draft);
        }
        catch (error) {
            // A production deploy is published by Netlify itself once ready: if we stop following it, it must not be.
            throw !draft && !(error instanceof StoppedError) && !(error instanceof NotPublishedError)
                ? await this.gaveUp(created.id, error)
                : error;
        }
    }
    /**
     * With auto publishing stopped (the published deploy locked), Netlify builds a production deploy to `ready` and does
     * not publish it. netlify-cli's `deploy --prod` refuses such a site when it cannot ask (commands/deploy
     * prepareProductionDeploy: 'Deployments are "locked" for production context'), and so do we, before creating
     * anything: whoever stopped auto publishing did so to keep production where it is, so a pipeline does not unlock or
     * publish over it by itself. Publishing through the lock stays an explicit act: target staged, then promote.
     */
    async refuseLockedPublishing(deadline) {
        const site = await this.site(deadline);
        if (site.published_deploy?.locked)
            throw this.lockedError(site, 'Nothing was deployed');
    }
    lockedError(site, outcome, ready) {
        const name = (0,_sanitise_js__WEBPACK_IMPORTED_MODULE_7__/* .inline */ .mG)(site.name ?? site.id);
        const locked = (0,_sanitise_js__WEBPACK_IMPORTED_MODULE_7__/* .inline */ .mG)(site.published_deploy?.id ?? '');
        return new NotPublishedError(`Netlify site ${name} has auto publishing stopped (its published deploy ${locked} is locked), so Netlify does not publish a production deploy. ${outcome}; production still serves ${locked}.`, {
            hint: `To deploy to production, start auto publishing again: Netlify → Deploys → Start auto publishing (the API's unlockDeploy, POST /api/v1/deploys/${locked}/unlock). ` +
                `To publish through the lock on purpose, ${ready ? `run deploy with command promote and deployment-id ${ready}` : 'deploy with target staged, then run command promote'} (an explicit publish; auto publishing stays stopped, the published deploy locked in turn).`,
        });
    }
    /**
     * Ready is not live: production is what the site publishes (site.published_deploy). Waits until the site publishes
     * this deploy; auto publishing stopped meanwhile (the lock was taken after our check) fails naming the lock.
     */
    async confirmPublished(ready, deadline) {
        const grace = _deadline_js__WEBPACK_IMPORTED_MODULE_9__/* .Deadline */ .B.in(Math.min(PUBLISH_GRACE_MS, deadline.left()));
        for (;;) {
            const site = await this.site(deadline);
            if (site.published_deploy?.id === ready.id)
                return { ...this.toRelease(site.published_deploy), target: 'production' };
            if (site.published_deploy?.locked)
                throw this.lockedError(site, `Deploy ${ready.id} is ready but was not published`, ready.id);
            const newer = site.published_deploy &&
                Date.parse(site.published_deploy.created_at ?? '') > (ready.createdAt ?? Number.POSITIVE_INFINITY);
            if (newer)
                throw new NotPublishedError(`Netlify deploy ${ready.id} is ready, but the site publishes a newer deploy, ${(0,_sanitise_js__WEBPACK_IMPORTED_MODULE_7__/* .inline */ .mG)(site.published_deploy?.id ?? '')}; ${ready.id} is not live`);
            if (500 > grace.left()) {
                throw new NotPublishedError(`Netlify deploy ${ready.id} is ready, but the site did not publish it while we waited (${Math.round(PUBLISH_GRACE_MS / 1000)}s at most, within the deadline); production serves ${(0,_sanitise_js__WEBPACK_IMPORTED_MODULE_7__/* .inline */ .mG)(site.published_deploy?.id ?? 'nothing')}`, {
                    hint: `Check the site's deploy list; to publish it, run deploy with command promote and deployment-id ${ready.id}.`,
                });
            }
            await (0,_http_js__WEBPACK_IMPORTED_MODULE_4__/* .sleep */ .yy)(500);
        }
    }
    /** Uploads what Netlify lacks and follows the deploy until it is ready. */
    async complete(created, files, paths, stats, deadline, draft) {
        const diffed = files.length > SYNC_FILE_LIMIT ? await this.waitUntilDiffed(created, deadline) : created;
        const todo = uploadList(files, diffed.required ?? []);
        (0,_runner_js__WEBPACK_IMPORTED_MODULE_6__/* .info */ .pq)(`Netlify: deploy ${created.id} created; ${todo.length} of ${files.length} files are new`);
        await (0,_concurrency_js__WEBPACK_IMPORTED_MODULE_10__/* .mapLimit */ .s)(todo, UPLOAD_CONCURRENCY, async (file) => {
            // An upload is keyed by the deploy and path: sending it twice is harmless, so it may be retried.
            await this.call(`upload ${file.path}`, (api, opts) => api.uploadDeployFile({
                deploy_id: created.id,
                path: paths.get(file.path),
                body: () => (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.createReadStream)(file.absolutePath),
            }, opts), { timeoutMs: UPLOAD_TIMEOUT_MS, deadline });
            stats.uploaded++;
            stats.uploadedBytes += file.size;
        });
        const ready = await this.waitUntilReady(created.id, deadline);
        return { release: draft ? ready : await this.confirmPublished(ready, deadline), upload: stats };
    }
    /**
     * We stopped following a production deploy (deadline, or its state could not be read): Netlify would publish it
     * by itself once ready, unchecked. Cancel it, and say exactly what production serves.
     */
    async gaveUp(id, error) {
        const cleanup = _deadline_js__WEBPACK_IMPORTED_MODULE_9__/* .Deadline */ .B.in(CANCEL_MS);
        const reason = error.message;
        const unchecked = 'if it becomes ready Netlify publishes it by itself, unchecked';
        const hint = 'Cancel it in the Netlify dashboard, or run the rollback action once it is live.';
        try {
            // The answer to the cancel is the deploy as it now is: no second request to a status endpoint that may be failing.
            const after = (await this.call('cancel deploy', (api, opts) => api.cancelSiteDeploy({ deploy_id: id }, opts), {
                deadline: cleanup,
            }));
            if (after?.state !== 'ready') {
                return new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .ShiplineError */ .J0(`${reason}. Deploy ${id} was cancelled, so production still serves what it served before this deploy`, { hint: error instanceof _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .ShiplineError */ .J0 ? error.hint : undefined, cause: error });
            }
            const published = (await this.site(cleanup).catch(() => undefined))?.published_deploy?.id;
            return new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .ShiplineError */ .J0(`${reason}. Deploy ${id} was already ready, so it could not be cancelled: Netlify publishes it by itself (unchecked); production ${published ? `now serves ${published}` : 'could not be read'}`, {
                hint: 'Check it, and run the rollback action if it is bad.',
                cause: error,
            });
        }
        catch (cancelError) {
            return new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .ShiplineError */ .J0(`${reason}. Deploy ${id} could not be cancelled (${cancelError.message}): ${unchecked}`, { hint, cause: error });
        }
    }
    async waitUntilReady(id, deadline) {
        let last = '';
        for (let attempt = 0;; attempt++) {
            const d = await this.getDeploy(id, deadline);
            if (d.state !== last)
                (0,_runner_js__WEBPACK_IMPORTED_MODULE_6__/* .info */ .pq)(`Netlify: ${id} ${last || 'created'} → ${d.state}`);
            last = d.state ?? '';
            if (d.state === 'ready')
                return this.toRelease(d);
            if (TERMINAL_ERROR.has(d.state ?? ''))
                throw new StoppedError('Netlify', d.error_message || `deploy ${d.state}`, {
                    action: 'deploy',
                    hint: d.admin_url ? `Deploy log: ${d.admin_url}/deploys/${id}` : undefined,
                });
            const wait = READY_POLL_MS[Math.min(attempt, READY_POLL_MS.length - 1)];
            if (wait > deadline.left())
                throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .ShiplineError */ .J0(`Netlify deploy ${id} was not ready before the deadline (last state ${last})`, {
                    hint: "Raise input 'wait-timeout'.",
                });
            await (0,_http_js__WEBPACK_IMPORTED_MODULE_4__/* .sleep */ .yy)(wait);
        }
    }
    async site(deadline) {
        return this.call('get site', (api, opts) => api.getSite({ site_id: this.config.project }, opts), { deadline });
    }
    /**
     * Restore publishes a ready deploy (Netlify allows it while auto publishing is stopped); waits until the site's
     * published deploy is that one. Publishing another deploy unlocks the site ("it is locked until you manually
     * choose another deploy to publish"), so a lock found before is put on the deploy now published: auto publishing
     * stays stopped as its owner left it, and the next push cannot publish over this promote or rollback by itself.
     */
    async publish(id, deadline) {
        const before = (await this.site(deadline)).published_deploy;
        const keepLocked = Boolean(before?.locked) && before?.id !== id;
        // Restoring the same deploy twice leaves the same deploy published, so the call may be repeated.
        await this.call('restore deploy', (api, opts) => api.restoreSiteDeploy({ site_id: this.config.project, deploy_id: id }, opts), { deadline });
        for (;;) {
            const site = await this.site(deadline);
            if (site.published_deploy?.id === id) {
                if (keepLocked && !site.published_deploy.locked)
                    await this.relock(id, (0,_sanitise_js__WEBPACK_IMPORTED_MODULE_7__/* .inline */ .mG)(before?.id ?? ''), deadline);
                return { ...this.toRelease(site.published_deploy), target: 'production' };
            }
            if (500 > deadline.left())
                throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .ShiplineError */ .J0(`Netlify did not publish deploy ${id} before the deadline`);
            await (0,_http_js__WEBPACK_IMPORTED_MODULE_4__/* .sleep */ .yy)(500);
        }
    }
    /** Production already serves `id`: a lock that cannot be put back is a warning naming what is left to do. */
    async relock(id, lockedBefore, deadline) {
        try {
            // Locking a deploy twice leaves it locked, so the call may be repeated.
            await this.call('lock deploy', (api, opts) => api.lockDeploy({ deploy_id: id }, opts), { deadline });
            (0,_runner_js__WEBPACK_IMPORTED_MODULE_6__/* .info */ .pq)(`Netlify: auto publishing was stopped (deploy ${lockedBefore} locked); ${id} is published and locked in turn, so it stays stopped`);
        }
        catch (error) {
            (0,_runner_js__WEBPACK_IMPORTED_MODULE_6__/* .warning */ .$e)(`Netlify: ${id} is published, but auto publishing, stopped before (deploy ${lockedBefore} locked), could not be stopped again (${error.message}): ` +
                'the next production deploy will be published by itself. Stop auto publishing in Netlify → Deploys.');
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
    /**
     * A site linked to a repository builds and publishes every push to its production branch (`repo_branch`) unless
     * its builds are stopped (`stop_builds`: "Netlify will not build your project automatically", @netlify/open-api).
     */
    async gitDeploys(branch) {
        const howToTurnOff = 'Netlify Project configuration → Build & deploy → Continuous deployment → Build settings → Stop builds, or unlink the repository (https://docs.netlify.com/configure-builds/overview)';
        const site = await this.site();
        const build = site.build_settings ?? {};
        const name = (0,_sanitise_js__WEBPACK_IMPORTED_MODULE_7__/* .inline */ .mG)(site.name ?? site.id);
        const repository = build.repo_url || build.repo_path;
        if (!repository && !build.provider)
            return { on: false, detail: `site ${name} has no repository linked`, howToTurnOff };
        const linked = `linked to ${(0,_sanitise_js__WEBPACK_IMPORTED_MODULE_7__/* .inline */ .mG)(repository ?? build.provider)}`;
        if (build.stop_builds)
            return { on: false, detail: `site ${name} is ${linked}, but its builds are stopped`, howToTurnOff };
        if (build.repo_branch && build.repo_branch !== branch) {
            return {
                on: false,
                detail: `site ${name} is ${linked}, whose production branch is ${(0,_sanitise_js__WEBPACK_IMPORTED_MODULE_7__/* .inline */ .mG)(build.repo_branch)}: a push to ${(0,_sanitise_js__WEBPACK_IMPORTED_MODULE_7__/* .inline */ .mG)(branch)} is not published to production`,
                howToTurnOff,
            };
        }
        return {
            on: true,
            detail: `site ${name} is ${linked} with builds active: every push to ${(0,_sanitise_js__WEBPACK_IMPORTED_MODULE_7__/* .inline */ .mG)(branch)} is built and published to production`,
            howToTurnOff,
        };
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
            return new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .ProviderError */ .mZ('Netlify', `malformed answer to ${label} (${(0,_sanitise_js__WEBPACK_IMPORTED_MODULE_7__/* .excerpt */ .Kb)(e.data ?? e.message, 200)})`, {
                status: e.status,
            });
        const reason = e.json?.message ??
            e.json?.error ??
            (typeof e.data === 'string' && e.data ? (0,_sanitise_js__WEBPACK_IMPORTED_MODULE_7__/* .excerpt */ .Kb)(e.data, 200) : e.message || `HTTP ${e.status}`);
        return new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .ProviderError */ .mZ('Netlify', reason, {
            status: e.status,
            action: label,
            hint: hintFor(e.status),
            cause: error,
        });
    }
    const { kind, detail } = (0,_http_js__WEBPACK_IMPORTED_MODULE_4__/* .classifyNetworkError */ .LW)(error);
    return new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .NetworkError */ .Dr(`Netlify ${label}`, kind, detail, { cause: error });
}


/***/ }),

/***/ 22862:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   $: () => (/* binding */ ReleaseNotLive),
/* harmony export */   X: () => (/* binding */ lookUpUnknownCreate)
/* harmony export */ });
/* harmony import */ var _deadline_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(21064);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(32635);
// One interface for every hosting provider. deploy and rollback talk only to this; each provider is one module
// behind it, loaded lazily by load.ts, so a Vercel deploy never loads the AWS SDK.


/**
 * The provider ended a release's rollout without it going live (rolled back, stopped, its pause timed out): trying
 * again will not make it live. A staged release in this state is recorded as failed.
 */
class ReleaseNotLive extends _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ProviderError */ .mZ {
    /** What the provider did with it, in a few words for the ledger (GitHub keeps 140 characters of a status). */
    outcome;
    constructor(provider, reason, options = {}) {
        super(provider, reason, options);
        this.outcome = options.outcome ?? reason;
    }
}
/** How long a create whose fate is unknown is looked up, at least (even past the deadline) and at most. */
const LOOKUP_MIN_MS = 5_000;
const LOOKUP_MAX_MS = 120_000;
const LOOKUP_POLL_MS = 1_000;
/**
 * After a create whose answer never came (a timeout, a reset), the provider may have made the release, or may still
 * be making it. Looks it up by the key the create carried until it appears or the window ends: between
 * LOOKUP_MIN_MS and LOOKUP_MAX_MS, and not past the deadline unless that leaves less than LOOKUP_MIN_MS.
 * A lookup that fails transiently is tried again within the window; a refusal is thrown. Returns undefined when
 * nothing appeared.
 */
async function lookUpUnknownCreate(lookup, deadline, sleepFor) {
    const window = _deadline_js__WEBPACK_IMPORTED_MODULE_1__/* .Deadline */ .B.in(Math.min(LOOKUP_MAX_MS, Math.max(LOOKUP_MIN_MS, deadline.left())));
    for (;;) {
        try {
            const found = await lookup(window);
            if (found !== undefined)
                return found;
        }
        catch (error) {
            // The API struggling (no answer, 5xx, 429) is worth another look while the window lasts; a refusal (401, 403,
            // 404) will not change, and hiding it behind "nothing appeared" would name the wrong cause.
            if (error instanceof _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ProviderError */ .mZ && error.status !== undefined && error.status < 500 && error.status !== 429)
                throw error;
        }
        if (window.left() < LOOKUP_POLL_MS)
            return undefined;
        await sleepFor(LOOKUP_POLL_MS);
    }
}


/***/ })

};
