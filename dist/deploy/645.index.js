export const id = 645;
export const ids = [645];
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


/***/ }),

/***/ 1645:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   SupabaseFunctionsProvider: () => (/* binding */ SupabaseFunctionsProvider)
/* harmony export */ });
/* unused harmony exports readFunctionSettings, functionFiles */
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
// Supabase Edge Functions through the Management API, as `supabase functions deploy --use-api` does it: each
// function's sources — the files its entrypoint reaches through its imports, plus its import map and static_files —
// go in a multipart request (a `metadata` part and one `file` part per file), with verify_jwt, the entrypoint and
// the import map taken from supabase/config.toml. Several functions are bundled first (`bundleOnly=true`) and then
// activated together by one bulk update, so a release goes live whole or not at all. Supabase keeps no release
// history to roll back to, so a rollback redeploys the sources of the earlier release, taken from git at that
// release's commit (the ledger's sha).








/** A TOML string or array of strings, as config.toml writes them. */
function tomlStrings(value) {
    return [...value.matchAll(/"((?:[^"\\]|\\.)*)"|'([^']*)'/g)].map((m) => m[1] ?? m[2] ?? '');
}
/** The [functions.<name>] tables of supabase/config.toml: only the keys the deploy needs, read line by line. */
function readFunctionSettings(configToml) {
    const settings = new Map();
    let current;
    let pending;
    const assign = (key, value) => {
        if (!current)
            return;
        const unquoted = tomlStrings(value)[0] ?? value;
        if (key === 'verify_jwt')
            current.verifyJwt = value !== 'false';
        if (key === 'enabled')
            current.enabled = value !== 'false';
        if (key === 'import_map')
            current.importMap = unquoted;
        if (key === 'entrypoint')
            current.entrypoint = unquoted;
        if (key === 'static_files')
            current.staticFiles = tomlStrings(value);
    };
    for (const raw of configToml.split(/\r?\n/)) {
        const line = raw.replace(/\s+#.*$/, '').trim();
        if (pending) {
            // A multi-line array (static_files = [\n "a",\n "b"\n]) ends at its closing bracket.
            pending.text += ` ${line}`;
            if (line.includes(']')) {
                assign(pending.key, pending.text);
                pending = undefined;
            }
            continue;
        }
        const table = /^\[functions\.("?)([\w-]+)\1\]$/.exec(line);
        if (table) {
            current = { enabled: true, staticFiles: [] };
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
        const value = pair[2];
        if (value.startsWith('[') && !value.includes(']'))
            pending = { key: pair[1], text: value };
        else
            assign(pair[1], value);
    }
    return settings;
}
const posix = (p) => p.split(node_path__WEBPACK_IMPORTED_MODULE_3__.sep).join('/');
/** The import paths in a source file: the CLI's own pattern (static imports, re-exports and dynamic imports). */
const IMPORT_PATTERN = /(?:import|export)\s+(?:type\s+)?(?:{[^{}]+}|.*?)\s*(?:from)?\s*['"](.*?)['"]|import\(\s*['"](.*?)['"]\)/gi;
/** A local path in an import map, resolved against the map's folder as the CLI does (`./` kept for relative). */
function resolveMapTarget(mapPath, target) {
    if (target.startsWith('/') || /^[a-z][a-z0-9+.-]*:/i.test(target))
        return target;
    let resolved = node_path__WEBPACK_IMPORTED_MODULE_3__.posix.join(node_path__WEBPACK_IMPORTED_MODULE_3__.posix.dirname(mapPath), target);
    if (target.endsWith('/'))
        resolved += '/';
    return resolved.startsWith('/') ? resolved : `./${resolved}`;
}
/** JSON with comments (deno.jsonc): comments outside strings removed. */
function parseJsonc(text) {
    return JSON.parse(text.replace(/("(?:[^"\\]|\\.)*")|\/\/[^\n]*|\/\*[\s\S]*?\*\//g, (_m, str) => str ?? '').replace(/,(\s*[}\]])/g, '$1'));
}
/** A local path (not a URL, npm:, jsr: or bare specifier) of an import map. */
const isLocal = (target) => target.startsWith('./') || target.startsWith('../') || target.startsWith('/');
/** Every file under a folder, relative to the root. */
function filesUnder(root, dir) {
    return (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.readdirSync)((0,node_path__WEBPACK_IMPORTED_MODULE_3__.join)(root, dir), { withFileTypes: true, recursive: true })
        .filter((e) => e.isFile())
        .map((e) => posix((0,node_path__WEBPACK_IMPORTED_MODULE_3__.relative)(root, (0,node_path__WEBPACK_IMPORTED_MODULE_3__.join)(e.parentPath, e.name))))
        .sort();
}
/**
 * The files of one function, found as `supabase functions deploy --use-api` (2.117) finds them: the import map
 * (and the map a deno.json points to), the static files, every local module reachable from the entrypoint through
 * imports, and the local targets of the import map (a folder target with all its files). Paths are relative to
 * the project root, with /.
 */
function functionFiles(root, entrypoint, importMapPath, staticPatterns) {
    const files = [];
    const missing = [];
    const add = (p) => {
        if (!files.includes(p))
            files.push(p);
    };
    const map = { imports: [] };
    const targets = [];
    const load = (mapPath) => {
        const data = parseJsonc((0,node_fs__WEBPACK_IMPORTED_MODULE_1__.readFileSync)((0,node_path__WEBPACK_IMPORTED_MODULE_3__.join)(root, mapPath), 'utf8'));
        add(mapPath);
        map.imports = Object.entries(data.imports ?? {}).map(([k, v]) => [k, resolveMapTarget(mapPath, v)]);
        for (const scope of Object.values(data.scopes ?? {}))
            targets.push(...Object.values(scope).map((v) => resolveMapTarget(mapPath, v)));
        targets.push(...map.imports.map(([, v]) => v));
        return data;
    };
    if (importMapPath) {
        const data = load(importMapPath);
        // A deno.json with no imports of its own may point to an import map file.
        if (/^deno\.jsonc?$/i.test(node_path__WEBPACK_IMPORTED_MODULE_3__.posix.basename(importMapPath)) && !data.imports && !data.scopes && data.importMap)
            load(node_path__WEBPACK_IMPORTED_MODULE_3__.posix.join(node_path__WEBPACK_IMPORTED_MODULE_3__.posix.dirname(importMapPath), data.importMap));
    }
    for (const pattern of staticPatterns) {
        const matches = globFiles(root, pattern);
        if (matches.length === 0)
            missing.push(pattern);
        matches.forEach(add);
    }
    const seen = new Set();
    const walk = (start) => {
        const queue = [start];
        while (queue.length > 0) {
            const current = queue.pop();
            if (seen.has(current))
                continue;
            seen.add(current);
            const absolute = (0,node_path__WEBPACK_IMPORTED_MODULE_3__.join)(root, current);
            if (!(0,node_fs__WEBPACK_IMPORTED_MODULE_1__.existsSync)(absolute) || !(0,node_fs__WEBPACK_IMPORTED_MODULE_1__.statSync)(absolute).isFile()) {
                missing.push(current);
                continue;
            }
            add(current);
            for (const match of (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.readFileSync)(absolute, 'utf8').matchAll(IMPORT_PATTERN)) {
                let mod = (match[1] || match[2] || '').trim();
                let substituted = false;
                for (const [key, target] of map.imports) {
                    if (mod.startsWith(key)) {
                        mod = target + mod.slice(key.length);
                        substituted = true;
                    }
                }
                // URLs, bare specifiers (npm:, jsr:) and directories are not files of the function.
                if (!node_path__WEBPACK_IMPORTED_MODULE_3__.posix.extname(mod))
                    continue;
                const relativeImport = mod.startsWith('./') || mod.startsWith('../');
                if (!relativeImport && !mod.startsWith('/'))
                    continue;
                if (relativeImport && !substituted)
                    mod = node_path__WEBPACK_IMPORTED_MODULE_3__.posix.join(node_path__WEBPACK_IMPORTED_MODULE_3__.posix.dirname(current), mod);
                queue.push(node_path__WEBPACK_IMPORTED_MODULE_3__.posix.normalize(mod));
            }
        }
    };
    walk(entrypoint);
    // The CLI also uploads what the import map points to locally: a folder with every file in it, a file with
    // what it imports, so a module reached only through a mapped specifier at run time is still there.
    for (const target of targets.filter(isLocal).map((t) => node_path__WEBPACK_IMPORTED_MODULE_3__.posix.normalize(t))) {
        const absolute = (0,node_path__WEBPACK_IMPORTED_MODULE_3__.join)(root, target);
        if (!(0,node_fs__WEBPACK_IMPORTED_MODULE_1__.existsSync)(absolute))
            continue;
        if ((0,node_fs__WEBPACK_IMPORTED_MODULE_1__.statSync)(absolute).isDirectory())
            filesUnder(root, target).forEach(add);
        else
            walk(target);
    }
    return { files, missing };
}
/** Files under the root matching a glob pattern the way Go's fs.Glob does: * and ? within one path segment. */
function globFiles(root, pattern) {
    const clean = pattern.replace(/^\.\//, '');
    const segments = clean.split('/');
    const firstGlob = segments.findIndex((seg) => /[*?[]/.test(seg));
    if (firstGlob === -1)
        return (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.existsSync)((0,node_path__WEBPACK_IMPORTED_MODULE_3__.join)(root, clean)) && (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.statSync)((0,node_path__WEBPACK_IMPORTED_MODULE_3__.join)(root, clean)).isFile() ? [clean] : [];
    // As the CLI's pattern: ** crosses folders, * and ? stay within one.
    const regex = new RegExp(`^${clean.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*\*|\*|\?/g, (m) => (m === '**' ? '.*' : m === '*' ? '[^/]*' : '[^/]'))}$`);
    const start = (0,node_path__WEBPACK_IMPORTED_MODULE_3__.join)(root, ...segments.slice(0, firstGlob));
    if (!(0,node_fs__WEBPACK_IMPORTED_MODULE_1__.existsSync)(start))
        return [];
    return filesUnder(root, posix((0,node_path__WEBPACK_IMPORTED_MODULE_3__.relative)(root, start))).filter((p) => regex.test(p));
}
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
    /** What the CLI sends for one function: its metadata part and its files (paths relative to the project root). */
    prepare(root, name, settings) {
        const rel = (p) => posix((0,node_path__WEBPACK_IMPORTED_MODULE_3__.relative)(root, p));
        const supabaseDir = (0,node_path__WEBPACK_IMPORTED_MODULE_3__.join)(root, 'supabase');
        const functionDir = (0,node_path__WEBPACK_IMPORTED_MODULE_3__.join)(supabaseDir, 'functions', name);
        const entrypoint = settings?.entrypoint ? (0,node_path__WEBPACK_IMPORTED_MODULE_3__.join)(supabaseDir, settings.entrypoint) : (0,node_path__WEBPACK_IMPORTED_MODULE_3__.join)(functionDir, (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.existsSync)((0,node_path__WEBPACK_IMPORTED_MODULE_3__.join)(functionDir, 'index.ts')) ? 'index.ts' : 'index.js');
        if (!(0,node_fs__WEBPACK_IMPORTED_MODULE_1__.existsSync)(entrypoint))
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_4__/* .ShiplineError */ .J0(`Function ${name}: entrypoint ${rel(entrypoint)} does not exist`);
        // Precedence as the CLI's: config.toml, then deno.json / deno.jsonc / import_map.json beside the entrypoint,
        // then the global supabase/functions/import_map.json.
        const entryDir = settings?.entrypoint ? (0,node_path__WEBPACK_IMPORTED_MODULE_3__.join)(entrypoint, '..') : functionDir;
        const importMap = settings?.importMap
            ? (0,node_path__WEBPACK_IMPORTED_MODULE_3__.join)(supabaseDir, settings.importMap)
            : [...['deno.json', 'deno.jsonc', 'import_map.json'].map((f) => (0,node_path__WEBPACK_IMPORTED_MODULE_3__.join)(entryDir, f)), (0,node_path__WEBPACK_IMPORTED_MODULE_3__.join)(supabaseDir, 'functions', 'import_map.json')].find((f) => (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.existsSync)(f));
        if (importMap && !(0,node_fs__WEBPACK_IMPORTED_MODULE_1__.existsSync)(importMap))
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_4__/* .ShiplineError */ .J0(`Function ${name}: import map ${rel(importMap)} does not exist`);
        const staticPatterns = (settings?.staticFiles ?? []).map((pattern) => rel((0,node_path__WEBPACK_IMPORTED_MODULE_3__.join)(supabaseDir, pattern)));
        const { files, missing } = functionFiles(root, rel(entrypoint), importMap ? rel(importMap) : undefined, staticPatterns);
        for (const path of missing)
            (0,_runner_js__WEBPACK_IMPORTED_MODULE_6__/* .warning */ .$e)(`Function ${name}: ${path} is imported or listed in static_files but does not exist; it is not uploaded`);
        return {
            metadata: {
                name,
                ...(settings?.verifyJwt === undefined ? {} : { verify_jwt: settings.verifyJwt }),
                entrypoint_path: rel(entrypoint),
                import_map_path: importMap ? rel(importMap) : '',
                static_patterns: staticPatterns,
            },
            paths: files,
        };
    }
    async send(label, url, init) {
        // Bundling the same sources again only makes another unused version, and the bulk update names exact versions:
        // both requests may be repeated.
        const response = await (0,_http_js__WEBPACK_IMPORTED_MODULE_5__/* .request */ .Em)(url, {
            label: `Supabase ${label}`,
            method: init.method,
            headers: { authorization: `Bearer ${this.config.token}`, ...(init.json ? { 'content-type': 'application/json' } : {}) },
            body: init.body,
            idempotent: true,
            timeoutMs: init.timeoutMs ?? 120_000,
        });
        const text = await (0,_http_js__WEBPACK_IMPORTED_MODULE_5__/* .readText */ .yR)(response);
        let data;
        try {
            data = JSON.parse(text);
        }
        catch {
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_4__/* .ProviderError */ .mZ('Supabase', `malformed answer to ${label} (${text.slice(0, 200)})`, { status: response.status });
        }
        if (response.status >= 300) {
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_4__/* .ProviderError */ .mZ('Supabase', `${label.replace(/^deploy of function /, '')}: ${data?.message ?? `HTTP ${response.status}`}`, {
                status: response.status,
                action: 'functions deploy',
                hint: hintFor(response.status),
            });
        }
        return data;
    }
    /** POST …/functions/deploy: with bundleOnly the version is bundled but not yet serving. */
    async upload(root, name, prepared, bundleOnly) {
        const form = new FormData();
        form.append('metadata', JSON.stringify(prepared.metadata));
        let bytes = 0;
        for (const path of prepared.paths) {
            const content = (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.readFileSync)((0,node_path__WEBPACK_IMPORTED_MODULE_3__.join)(root, path));
            bytes += content.length;
            form.append('file', new Blob([content]), path);
        }
        const query = `slug=${encodeURIComponent(name)}${bundleOnly ? '&bundleOnly=true' : ''}`;
        const data = await this.send(`deploy of function ${name}`, `${this.projectUrl()}/functions/deploy?${query}`, { method: 'POST', body: form });
        return { ...data, bytes };
    }
    projectUrl() {
        return `${this.apiUrl}/v1/projects/${encodeURIComponent(this.config.project)}`;
    }
    service(fn, name) {
        const slug = fn.slug ?? name;
        return { service: slug, name, id: `${slug}@v${fn.version}`, url: `${this.functionsUrl()}/${slug}`, state: fn.status };
    }
    async deploy(spec) {
        if (spec.target === 'preview' || spec.staged) {
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_4__/* .ProviderError */ .mZ('Supabase', 'Edge Functions go live when deployed: there are no previews or staged releases (use target production)', { action: 'functions deploy' });
        }
        const started = Date.now();
        const configPath = (0,node_path__WEBPACK_IMPORTED_MODULE_3__.join)(spec.dir, 'supabase', 'config.toml');
        const settings = readFunctionSettings((0,node_fs__WEBPACK_IMPORTED_MODULE_1__.existsSync)(configPath) ? (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.readFileSync)(configPath, 'utf8') : '');
        const names = this.functionNames(spec.dir).filter((name) => {
            if (settings.get(name)?.enabled !== false)
                return true;
            (0,_runner_js__WEBPACK_IMPORTED_MODULE_6__/* .info */ .pq)(`Supabase: skipping ${name} (enabled = false in config.toml)`);
            return false;
        });
        if (names.length === 0)
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_4__/* .ShiplineError */ .J0('No function to deploy: every function is disabled in supabase/config.toml');
        // Every function's files are found before anything is sent: a missing entrypoint stops the release whole.
        const prepared = new Map(names.map((name) => [name, this.prepare(spec.dir, name, settings.get(name))]));
        let deployed;
        if (names.length === 1) {
            const name = names[0];
            deployed = [{ ...(await this.upload(spec.dir, name, prepared.get(name), false)), name }];
        }
        else {
            // As the CLI: bundle each function without activating it, then activate them all with one bulk update.
            const bundled = await (0,_concurrency_js__WEBPACK_IMPORTED_MODULE_7__/* .mapLimit */ .s)(names, 4, async (name) => ({ ...(await this.upload(spec.dir, name, prepared.get(name), true)), name }));
            const body = bundled.map((b) => ({
                id: b.id,
                name: b.name,
                slug: b.slug,
                version: b.version,
                entrypoint_path: b.entrypoint_path,
                import_map: b.import_map,
                import_map_path: b.import_map_path,
                verify_jwt: b.verify_jwt,
                status: b.status,
                created_at: b.created_at,
            }));
            const updated = await this.send('bulk update of functions', `${this.projectUrl()}/functions`, { method: 'PUT', body: JSON.stringify(body), json: true });
            deployed = bundled.map((b) => ({ ...b, ...updated.functions?.find((f) => f.slug === b.slug) }));
            (0,_runner_js__WEBPACK_IMPORTED_MODULE_6__/* .info */ .pq)(`Supabase: ${names.join(', ')} activated together`);
        }
        for (const fn of deployed) {
            if (fn.status !== 'ACTIVE')
                throw new _errors_js__WEBPACK_IMPORTED_MODULE_4__/* .ProviderError */ .mZ('Supabase', `${fn.name} is ${fn.status ?? 'not active'} after deploy`, { action: 'functions deploy' });
            (0,_runner_js__WEBPACK_IMPORTED_MODULE_6__/* .info */ .pq)(`Supabase: ${fn.name} deployed as version ${fn.version} (verify_jwt ${fn.verify_jwt ?? 'unchanged'}, ${prepared.get(fn.name)?.paths.length} files)`);
        }
        const release = {
            provider: this.name,
            id: spec.git.sha,
            sha: spec.git.sha,
            url: this.functionsUrl(),
            target: 'production',
            state: 'ACTIVE',
            createdAt: Date.now(),
            sourcePath: this.sourcePath(spec.dir),
            services: deployed.map((fn) => this.service(fn, fn.name)),
        };
        spec.onCreated?.(release);
        const files = [...prepared.values()].reduce((n, p) => n + p.paths.length, 0);
        const stats = { files, uploaded: files, uploadedBytes: deployed.reduce((n, d) => n + d.bytes, 0), hashMs: 0 };
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
