export const id = 645;
export const ids = [645];
export const modules = {

/***/ 8837:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   s: () => (/* binding */ mapLimit)
/* harmony export */ });
/** Runs `fn` over `items` with at most `limit` in flight; results keep the input order. Fails on the first error. */
async function mapLimit(items, limit, fn) {
    const results = new Array(items.length);
    let next = 0;
    const worker = async () => {
        while (next < items.length) {
            const index = next++;
            results[index] = await fn(items[index], index);
        }
    };
    await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
    return results;
}


/***/ }),

/***/ 9096:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Em: () => (/* binding */ request),
/* harmony export */   XR: () => (/* binding */ retryingFetch),
/* harmony export */   yR: () => (/* binding */ readText),
/* harmony export */   yy: () => (/* binding */ sleep)
/* harmony export */ });
/* unused harmony exports DEFAULT_RETRY, parseRetryAfter, backoffDelay, classifyNetworkError */
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(2635);
/* harmony import */ var _runner_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(2798);
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
    for (let attempt = 0;; attempt++) {
        const last = attempt >= policy.retries;
        const signal = options.signal ? AbortSignal.any([options.signal, AbortSignal.timeout(timeoutMs)]) : AbortSignal.timeout(timeoutMs);
        let response;
        try {
            response = await doFetch(url, { method, headers: options.headers, body: options.body, signal, redirect: 'follow' });
        }
        catch (error) {
            if (options.signal?.aborted)
                throw error;
            const { kind, detail } = classifyNetworkError(error);
            if (last || !(idempotent || NEVER_SENT.has(kind)))
                throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .NetworkError */ .Dr(options.label, kind, detail, { cause: error });
            const delay = backoffDelay(attempt, policy);
            (0,_runner_js__WEBPACK_IMPORTED_MODULE_1__/* .info */ .pq)(`${options.label}: ${kind} (${detail}); retrying in ${(delay / 1000).toFixed(1)}s (attempt ${attempt + 2} of ${policy.retries + 1})`);
            await wait(delay);
            continue;
        }
        if (last || !shouldRetryStatus(response.status, idempotent))
            return response;
        const retryAfter = parseRetryAfter(response.headers.get('retry-after'));
        const delay = retryAfter !== undefined ? Math.min(retryAfter, policy.maxRetryAfterMs) : backoffDelay(attempt, policy);
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


/***/ }),

/***/ 1645:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   SupabaseFunctionsProvider: () => (/* binding */ SupabaseFunctionsProvider)
/* harmony export */ });
/* unused harmony export readFunctionSettings */
/* harmony import */ var node_child_process__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1421);
/* harmony import */ var node_child_process__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_child_process__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(8161);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_os__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_3___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_3__);
/* harmony import */ var _concurrency_js__WEBPACK_IMPORTED_MODULE_7__ = __webpack_require__(8837);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(2635);
/* harmony import */ var _http_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(9096);
/* harmony import */ var _runner_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(2798);
// Supabase Edge Functions through the Management API: each function of supabase/functions is deployed with a
// multipart request (a `metadata` part and one `file` part per source file), verify_jwt and the import map taken
// from supabase/config.toml as the CLI does. Supabase keeps no release history to roll back to, so a rollback
// redeploys the sources of the earlier release, taken from git at that release's commit (the ledger's sha).








/** The [functions.<name>] tables of supabase/config.toml: only the keys the deploy needs, read line by line. */
function readFunctionSettings(configToml) {
    const settings = new Map();
    let current;
    for (const raw of configToml.split(/\r?\n/)) {
        const line = raw.replace(/\s+#.*$/, '').trim();
        const table = /^\[functions\.("?)([\w-]+)\1\]$/.exec(line);
        if (table) {
            current = { verifyJwt: true };
            settings.set(table[2], current);
            continue;
        }
        if (line.startsWith('[')) {
            current = undefined;
            continue;
        }
        const pair = /^([\w_]+)\s*=\s*(.+)$/.exec(line);
        if (!current || !pair)
            continue;
        const value = pair[2].replace(/^"(.*)"$/, '$1');
        if (pair[1] === 'verify_jwt')
            current.verifyJwt = value !== 'false';
        if (pair[1] === 'import_map')
            current.importMap = value;
        if (pair[1] === 'entrypoint')
            current.entrypoint = value;
    }
    return settings;
}
function filesUnder(dir) {
    if (!(0,node_fs__WEBPACK_IMPORTED_MODULE_1__.existsSync)(dir))
        return [];
    return (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.readdirSync)(dir, { withFileTypes: true, recursive: true })
        .filter((e) => e.isFile())
        .map((e) => (0,node_path__WEBPACK_IMPORTED_MODULE_3__.join)(e.parentPath, e.name))
        .sort();
}
const posix = (path) => path.split(node_path__WEBPACK_IMPORTED_MODULE_3__.sep).join('/');
class SupabaseFunctionsProvider {
    config;
    name = 'supabase-functions';
    supportsStaging = false;
    apiUrl;
    constructor(config) {
        this.config = config;
        this.apiUrl = (config.apiUrl ?? 'https://api.supabase.com').replace(/\/$/, '');
    }
    functionsUrl() {
        return `https://${this.config.project}.supabase.co/functions/v1`;
    }
    /** The functions to deploy from a project root: the `functions` input, or every folder not starting with _ or . */
    functionNames(root) {
        const dir = (0,node_path__WEBPACK_IMPORTED_MODULE_3__.join)(root, 'supabase', 'functions');
        if (!(0,node_fs__WEBPACK_IMPORTED_MODULE_1__.existsSync)(dir))
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_4__/* .ShiplineError */ .J0(`No supabase/functions folder under ${root}`, { hint: "Input 'dir' is the Supabase project root (the folder holding supabase/)." });
        const all = (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.readdirSync)(dir, { withFileTypes: true })
            .filter((e) => e.isDirectory() && !e.name.startsWith('_') && !e.name.startsWith('.'))
            .map((e) => e.name)
            .sort();
        const wanted = this.config.functions ?? [];
        const unknown = wanted.filter((name) => !all.includes(name));
        if (unknown.length > 0)
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_4__/* .ShiplineError */ .J0(`Input 'functions': no function ${unknown.join(', ')} under supabase/functions (found: ${all.join(', ') || 'none'})`);
        return wanted.length > 0 ? wanted : all;
    }
    async deployFunction(root, name, settings) {
        const supabaseDir = (0,node_path__WEBPACK_IMPORTED_MODULE_3__.join)(root, 'supabase');
        const functionDir = (0,node_path__WEBPACK_IMPORTED_MODULE_3__.join)(supabaseDir, 'functions', name);
        const entrypoint = settings?.entrypoint ? (0,node_path__WEBPACK_IMPORTED_MODULE_3__.join)(supabaseDir, settings.entrypoint) : (0,node_path__WEBPACK_IMPORTED_MODULE_3__.join)(functionDir, (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.existsSync)((0,node_path__WEBPACK_IMPORTED_MODULE_3__.join)(functionDir, 'index.ts')) ? 'index.ts' : 'index.js');
        if (!(0,node_fs__WEBPACK_IMPORTED_MODULE_1__.existsSync)(entrypoint))
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_4__/* .ShiplineError */ .J0(`Function ${name}: entrypoint ${posix((0,node_path__WEBPACK_IMPORTED_MODULE_3__.relative)(root, entrypoint))} does not exist`);
        const importMap = settings?.importMap ? (0,node_path__WEBPACK_IMPORTED_MODULE_3__.join)(supabaseDir, settings.importMap) : ['deno.json', 'deno.jsonc', 'import_map.json'].map((f) => (0,node_path__WEBPACK_IMPORTED_MODULE_3__.join)(functionDir, f)).find(node_fs__WEBPACK_IMPORTED_MODULE_1__.existsSync);
        // The function's own files and the shared folder every function may import from, as the CLI bundles them.
        const paths = [...new Set([...filesUnder(functionDir), ...filesUnder((0,node_path__WEBPACK_IMPORTED_MODULE_3__.join)(supabaseDir, 'functions', '_shared')), ...(importMap ? [importMap] : [])])];
        const form = new FormData();
        const metadata = {
            name,
            entrypoint_path: posix((0,node_path__WEBPACK_IMPORTED_MODULE_3__.relative)(root, entrypoint)),
            import_map_path: importMap ? posix((0,node_path__WEBPACK_IMPORTED_MODULE_3__.relative)(root, importMap)) : undefined,
            verify_jwt: settings?.verifyJwt ?? true,
        };
        form.append('metadata', new Blob([JSON.stringify(metadata)], { type: 'application/json' }));
        let bytes = 0;
        for (const path of paths) {
            const content = (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.readFileSync)(path);
            bytes += content.length;
            form.append('file', new Blob([content]), posix((0,node_path__WEBPACK_IMPORTED_MODULE_3__.relative)(root, path)));
        }
        // Deploying the same sources again yields the same function, so the request may be retried.
        const response = await (0,_http_js__WEBPACK_IMPORTED_MODULE_5__/* .request */ .Em)(`${this.apiUrl}/v1/projects/${encodeURIComponent(this.config.project)}/functions/deploy?slug=${encodeURIComponent(name)}`, {
            label: `Supabase deploy of function ${name}`,
            method: 'POST',
            headers: { authorization: `Bearer ${this.config.token}` },
            body: form,
            idempotent: true,
            timeoutMs: 120_000,
        });
        const text = await (0,_http_js__WEBPACK_IMPORTED_MODULE_5__/* .readText */ .yR)(response);
        let data;
        try {
            data = JSON.parse(text);
        }
        catch {
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_4__/* .ProviderError */ .mZ('Supabase', `malformed answer deploying ${name} (${text.slice(0, 200)})`, { status: response.status });
        }
        if (response.status >= 300)
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_4__/* .ProviderError */ .mZ('Supabase', `${name}: ${data.message ?? `HTTP ${response.status}`}`, { status: response.status, action: 'functions deploy', hint: hintFor(response.status) });
        if (data.status !== 'ACTIVE')
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_4__/* .ProviderError */ .mZ('Supabase', `${name} is ${data.status ?? 'not active'} after deploy`, { action: 'functions deploy' });
        (0,_runner_js__WEBPACK_IMPORTED_MODULE_6__/* .info */ .pq)(`Supabase: ${name} deployed as version ${data.version} (verify_jwt ${metadata.verify_jwt}, ${paths.length} files)`);
        return { service: data.slug ?? name, name, id: `${data.slug ?? name}@v${data.version}`, url: `${this.functionsUrl()}/${data.slug ?? name}`, state: data.status, bytes, files: paths.length };
    }
    async deploy(spec) {
        if (spec.target === 'preview' || spec.staged) {
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_4__/* .ProviderError */ .mZ('Supabase', 'Edge Functions go live when deployed: there are no previews or staged releases (use target production)', { action: 'functions deploy' });
        }
        const started = Date.now();
        const configPath = (0,node_path__WEBPACK_IMPORTED_MODULE_3__.join)(spec.dir, 'supabase', 'config.toml');
        const settings = readFunctionSettings((0,node_fs__WEBPACK_IMPORTED_MODULE_1__.existsSync)(configPath) ? (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.readFileSync)(configPath, 'utf8') : '');
        const names = this.functionNames(spec.dir);
        const deployed = await (0,_concurrency_js__WEBPACK_IMPORTED_MODULE_7__/* .mapLimit */ .s)(names, 4, (name) => this.deployFunction(spec.dir, name, settings.get(name)));
        const release = {
            provider: this.name,
            id: spec.git.sha,
            sha: spec.git.sha,
            url: this.functionsUrl(),
            target: 'production',
            state: 'ACTIVE',
            createdAt: Date.now(),
            sourcePath: this.sourcePath(spec.dir),
            services: deployed.map(({ bytes: _b, files: _f, ...service }) => service),
        };
        spec.onCreated?.(release);
        const stats = { files: deployed.reduce((n, d) => n + d.files, 0), uploaded: deployed.reduce((n, d) => n + d.files, 0), uploadedBytes: deployed.reduce((n, d) => n + d.bytes, 0), hashMs: 0 };
        (0,_runner_js__WEBPACK_IMPORTED_MODULE_6__/* .info */ .pq)(`Supabase: ${names.length} function(s) deployed in ${((Date.now() - started) / 1000).toFixed(1)}s`);
        return { release, upload: stats };
    }
    /** The project root's path inside its git repository ('' at the top), so a rollback finds it at another commit. */
    sourcePath(dir) {
        try {
            return posix((0,node_child_process__WEBPACK_IMPORTED_MODULE_0__.execFileSync)('git', ['-C', dir, 'rev-parse', '--show-prefix'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()).replace(/\/$/, '');
        }
        catch {
            return '';
        }
    }
    /** The supabase/ folder as it was at `sha`, checked out from git into a temporary folder. */
    checkout(sha, sourcePath) {
        const repo = (0,node_child_process__WEBPACK_IMPORTED_MODULE_0__.execFileSync)('git', ['-C', this.config.workspace, 'rev-parse', '--show-toplevel'], { encoding: 'utf8' }).trim();
        const git = (args) => (0,node_child_process__WEBPACK_IMPORTED_MODULE_0__.execFileSync)('git', ['-C', repo, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
        try {
            git(['cat-file', '-e', `${sha}^{commit}`]);
        }
        catch {
            // A shallow checkout (actions/checkout's default) lacks older commits: fetch just that one.
            (0,_runner_js__WEBPACK_IMPORTED_MODULE_6__/* .info */ .pq)(`git: fetching ${sha} (not in this checkout)`);
            git(['fetch', '--depth=1', 'origin', sha]);
        }
        const out = (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.mkdtempSync)((0,node_path__WEBPACK_IMPORTED_MODULE_3__.join)((0,node_os__WEBPACK_IMPORTED_MODULE_2__.tmpdir)(), 'shipline-functions-'));
        const archive = (0,node_path__WEBPACK_IMPORTED_MODULE_3__.join)(out, 'sources.tar');
        const prefix = sourcePath ? `${sourcePath}/supabase` : 'supabase';
        git(['archive', '--format=tar', '-o', archive, sha, prefix]);
        (0,node_child_process__WEBPACK_IMPORTED_MODULE_0__.execFileSync)('tar', ['-xf', archive, '-C', out]);
        (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.rmSync)(archive);
        return sourcePath ? (0,node_path__WEBPACK_IMPORTED_MODULE_3__.join)(out, sourcePath) : out;
    }
    async rollback(to) {
        if (!to.sha)
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_4__/* .ShiplineError */ .J0(`Release ${to.id} records no commit: its sources cannot be redeployed`);
        (0,_runner_js__WEBPACK_IMPORTED_MODULE_6__/* .info */ .pq)(`Supabase keeps no earlier function versions to switch back to: redeploying the sources of ${to.sha.slice(0, 12)}.`);
        const dir = this.checkout(to.sha, to.sourcePath ?? '');
        try {
            const { release } = await this.deploy({ dir, target: 'production', staged: false, git: { sha: to.sha, ref: '' }, idempotencyKey: `rollback-${to.sha}` });
            return release;
        }
        finally {
            (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.rmSync)(dir, { recursive: true, force: true });
        }
    }
    promote() {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_4__/* .ProviderError */ .mZ('Supabase', 'Edge Functions go live when deployed; there is no staged release to promote', { action: 'promote' });
    }
    /** Supabase records function versions, not which commit they came from: the ledger knows what is live. */
    async current() {
        return undefined;
    }
    async previous() {
        return undefined;
    }
    async describe(id) {
        if (!/^[0-9a-f]{7,40}$/i.test(id))
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_4__/* .ShiplineError */ .J0(`A Supabase functions release is named by its commit SHA, got '${id}'`);
        return { provider: this.name, id, sha: id, url: this.functionsUrl(), target: 'production' };
    }
    async findBySha(sha) {
        return this.describe(sha);
    }
    async assignAliases(_release, aliases) {
        if (aliases.length > 0)
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_4__/* .ProviderError */ .mZ('Supabase', 'Edge Functions have no aliases', { action: 'alias' });
        return [];
    }
}
function hintFor(status) {
    if (status === 401 || status === 403)
        return "Check the Supabase access token (input 'token', sbp_…) and its access to the project.";
    if (status === 404)
        return "Check input 'project' (the project ref, from the dashboard URL).";
    return undefined;
}


/***/ })

};
