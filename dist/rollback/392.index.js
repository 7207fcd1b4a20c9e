export const id = 392;
export const ids = [392];
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
/* harmony export */   Hy: () => (/* binding */ resolveUnderRoot),
/* harmony export */   iv: () => (/* binding */ sha1File),
/* harmony export */   lo: () => (/* binding */ digestFolder),
/* harmony export */   ud: () => (/* binding */ outsideLinkError),
/* harmony export */   y9: () => (/* binding */ filesUnderRoot)
/* harmony export */ });
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(2635);
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
/* harmony export */   mu: () => (/* binding */ parseRetryAfter),
/* harmony export */   vI: () => (/* binding */ DEFAULT_RETRY),
/* harmony export */   yy: () => (/* binding */ sleep)
/* harmony export */ });
/* unused harmony exports plainHttpOnTlsPort, plainHttpSentence, networkFailureKind */
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
    return (code === 'ERR_SSL_WRONG_VERSION_NUMBER' ||
        code === 'ERR_SSL_PACKET_LENGTH_TOO_LONG' ||
        (code === 'EPROTO' && /wrong version number|packet length too long/i.test(message)));
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
    if (code === 'ECONNRESET' ||
        code === 'UND_ERR_SOCKET' ||
        code === 'EPIPE' ||
        code === 'UND_ERR_CLOSED' ||
        message === 'socket hang up' ||
        message === 'aborted')
        return 'connection-reset';
    if (code === 'UND_ERR_CONNECT_TIMEOUT' ||
        code === 'UND_ERR_HEADERS_TIMEOUT' ||
        code === 'UND_ERR_BODY_TIMEOUT' ||
        code === 'ETIMEDOUT')
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
        const signal = options.signal
            ? AbortSignal.any([options.signal, AbortSignal.timeout(attemptMs)])
            : AbortSignal.timeout(attemptMs);
        let response;
        try {
            response = await doFetch(target.url, {
                method,
                headers: target.headers,
                body: options.body,
                signal,
                redirect: 'follow',
            });
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
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ProviderError */ .mZ(call.provider, `malformed answer to ${call.action} (${(0,_sanitise_js__WEBPACK_IMPORTED_MODULE_3__/* .excerpt */ .Kb)(text, 200)})`, {
            status,
            action: call.action,
        });
    }
    const reason = parsed ? call.errorMessage(data, status, text) : (0,_sanitise_js__WEBPACK_IMPORTED_MODULE_3__/* .excerpt */ .Kb)(text, 200) || undefined;
    if (failed || reason !== undefined) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ProviderError */ .mZ(call.provider, reason ?? `HTTP ${status}`, {
            status: status >= 300 ? status : undefined,
            action: call.action,
            hint: call.hint?.(status, data, text),
        });
    }
    return { status, data: data };
}


/***/ })

};
