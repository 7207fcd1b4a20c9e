export const id = 161;
export const ids = [161];
export const modules = {

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


/***/ }),

/***/ 4292:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  OS: () => (/* binding */ GitHubApiError),
  au: () => (/* binding */ openLedger)
});

// UNUSED EXPORTS: Ledger, chronological

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: ./shared/errors.ts
var errors = __webpack_require__(2635);
// EXTERNAL MODULE: ./shared/http.ts
var http = __webpack_require__(9096);
// EXTERNAL MODULE: ./shared/inputs.ts
var inputs = __webpack_require__(8573);
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
    const local = (0,inputs/* isLoopbackUrl */.tE)(apiUrl);
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
    return (await __webpack_require__.e(/* import() */ 251).then(__webpack_require__.t.bind(__webpack_require__, 3251, 23))).default;
}
/**
 * `signal`, when given, ends every request of this client once it aborts, including those already sent: a caller
 * that gives up on GitHub (rollback's bounded ledger read) knows that nothing it started goes on behind its back.
 * `onRateLimitWait` is told of each rate-limit wait as it is decided (tests read the waits asked for from it, not
 * from a clock).
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
            ...((0,inputs/* isLoopbackUrl */.tE)(baseUrl) ? unpaced(await bottleneckLight()) : {}),
        },
        // Rate limits (403 and 429) are the throttling plugin's; this one retries 5xx and dropped connections.
        retry: {
            doNotRetry: [400, 401, 403, 404, 410, 422, 429, 451],
            retryAfterBaseValue: waitsFor(baseUrl).retryBaseMs,
        },
        log: {
            debug: () => { },
            info: () => { },
            warn: (message) => (0,runner/* debug */.Yz)(message),
            error: (message) => (0,runner/* debug */.Yz)(message),
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

// EXTERNAL MODULE: ./shared/sanitise.ts + 1 modules
var sanitise = __webpack_require__(1193);
// EXTERNAL MODULE: ./shared/collections.ts
var collections = __webpack_require__(9243);
// EXTERNAL MODULE: ./shared/release-choice.ts
var release_choice = __webpack_require__(4439);
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
        const network = e.cause instanceof errors/* ShiplineError */.J0
            ? e.cause.message.replace(/^GitHub API: /, '')
            : e.cause && !e.response
                ? noAnswer(e.cause)
                : undefined;
        // A rate limit the client would not wait out (shared/github.ts) arrives as a sentence already: it keeps it, and
        // is final — the client has waited all a step may wait, so trying again here would only wait longer.
        const decided = error instanceof errors/* ShiplineError */.J0 && !(error instanceof GitHubApiError) ? error : undefined;
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
            if (prefix.filter(release_choice/* isGood */.Kg).length < 2)
                return false;
            for (const id of around.releaseIds ?? []) {
                const at = prefix.findIndex((e) => e.payload.release.id === id);
                if (at < 0 ? ours.slice(count).some((x) => x.payload.release.id === id) : !prefix.slice(at + 1).some(release_choice/* isGood */.Kg))
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
        return entries.sort(release_choice/* newestFirst */.ll);
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
            throw new errors/* ShiplineError */.J0(failure.message, {
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
        const ours = (0,release_choice/* commitLookupOrder */.ib)(ofCommit(data));
        const newest = (0,release_choice/* newestOfCommit */.Dw)(ours);
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
                throw new errors/* ShiplineError */.J0(failure.message, {
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
        const ours = (0,release_choice/* commitLookupOrder */.ib)(ofCommit(data)).slice(0, COMMIT_LOOKUP_ENTRIES);
        return (0,release_choice/* goodOfCommit */.eA)(dedupe(await Promise.all(ours.map((x) => this.withStatuses(x.d, x.payload)))));
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
        (0,runner/* info */.pq)("Release ledger: off (no 'github-token'); the previous release comes from the provider's own history.");
        return undefined;
    }
    return new Ledger(await createGitHubClient({ token: options.token, apiUrl: options.apiUrl, signal: options.signal }), options.repository, waitsFor(options.apiUrl).ledgerRetryDelaysMs);
}


/***/ }),

/***/ 4439:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Aw: () => (/* binding */ completedEntry),
/* harmony export */   BW: () => (/* binding */ takenOutOfMix),
/* harmony export */   Dw: () => (/* binding */ newestOfCommit),
/* harmony export */   JA: () => (/* binding */ standing),
/* harmony export */   Kg: () => (/* binding */ isGood),
/* harmony export */   N7: () => (/* binding */ schemaAhead),
/* harmony export */   Nz: () => (/* binding */ failedNotLive),
/* harmony export */   YN: () => (/* binding */ byProviderId),
/* harmony export */   eA: () => (/* binding */ goodOfCommit),
/* harmony export */   fc: () => (/* binding */ withLive),
/* harmony export */   h6: () => (/* binding */ decideRollback),
/* harmony export */   ib: () => (/* binding */ commitLookupOrder),
/* harmony export */   ll: () => (/* binding */ newestFirst),
/* harmony export */   qP: () => (/* binding */ bySha),
/* harmony export */   vX: () => (/* binding */ owedWritesText),
/* harmony export */   vx: () => (/* binding */ choosePrevious),
/* harmony export */   xe: () => (/* binding */ rollbackWrites)
/* harmony export */ });
/* unused harmony exports liveEntry, previousGood, reconcile, asRecorded */
// ---------------------------------------------------------------------------------------------------------------
// Selection over ledger entries (newest first, as Ledger.entries returns them)
/** Reached success once, and never failed: a release a rollback may restore. */
function isGood(entry) {
    return entry.everSucceeded && !entry.everFailed;
}
function liveEntry(entries) {
    return entries.find((e) => e.state === 'success');
}
/** The newest release older than `live` that was good and is not live itself. */
function previousGood(entries, live) {
    const start = live ? entries.findIndex((e) => e.id === live.id) + 1 : 0;
    return entries.slice(start).find((e) => isGood(e) && e.payload.release.id !== live?.payload.release.id);
}
function byProviderId(entries, id) {
    return entries.find((e) => e.payload.release.id === id);
}
/** The newest good entry among those read whose commit starts with `sha`. */
function bySha(entries, sha) {
    return entries.find((e) => e.sha.startsWith(sha) && isGood(e));
}
/** Newest first: by creation time, then by id (records created in the same second). */
function newestFirst(a, b) {
    return b.createdAt.localeCompare(a.createdAt) || b.id - a.id;
}
/**
 * Whether a record is a deploy of its commit. The records a rollback or a reconciliation wrote may carry the
 * commit of the run that wrote them (when the provider keeps no commit), but no release was deployed from it.
 */
function deployedFromItsCommit(payload) {
    return !payload.rollback && !payload.adopted;
}
/** Of one commit's records, the ones a commit look-up considers, newest first. */
function commitLookupOrder(records) {
    return records.filter((r) => deployedFromItsCommit(r.payload)).sort(newestFirst);
}
/** The release a rollback to a commit restores: the newest good deploy of it (a later re-run of the same commit wins). */
function goodOfCommit(entries) {
    return commitLookupOrder(entries).find(isGood);
}
/** The release deployed from a commit (rollback's failed-commit): its newest deploy, good or not. */
function newestOfCommit(records) {
    return commitLookupOrder(records)[0];
}
/** Compares the ledger with what the provider serves (`current`; undefined when the provider cannot tell). */
function reconcile(entries, current) {
    const lastLive = entries.find((e) => e.everSucceeded);
    if (!current)
        return { kind: 'consistent', live: liveEntry(entries) };
    const entry = byProviderId(entries, current.id);
    if (!entry)
        return { kind: 'adopt', release: current, replaced: lastLive };
    if (entry === lastLive)
        return { kind: 'consistent', live: entry };
    if (!lastLive || entries.indexOf(entry) < entries.indexOf(lastLive))
        return { kind: 'went-live', entry, replaced: lastLive };
    return { kind: 'rolled-back', release: { ...entry.payload.release, ...current }, entry, replaced: lastLive };
}
/**
 * A Railway rollback starts new deployments from the old ones' images, so a release restored by a rollback whose
 * ledger write never happened has ids the ledger does not know: it is the ledger's good release of the same
 * commit over the same services, and is reconciled as that one (not adopted as a new release, whose "previous"
 * would be the release just rolled back).
 */
function asRecorded(entries, live) {
    if (!live?.services?.length || !live.sha || byProviderId(entries, live.id))
        return live;
    const servicesOf = (r) => (r.services ?? [])
        .map((s) => s.service)
        .sort()
        .join(',');
    const same = entries.find((e) => e.everSucceeded && e.sha === live.sha && servicesOf(e.payload.release) === servicesOf(live));
    return same ? { ...live, id: same.payload.release.id } : live;
}
/** The ledger's entry of a release, under the ids production serves it with. */
function servingAs(entry, live) {
    return { ...entry, payload: { ...entry.payload, release: { ...entry.payload.release, ...live } } };
}
/** The entries with `live` as the newest (a new entry, or one whose success was just recorded). */
function withLive(entries, live) {
    return [live, ...entries.filter((e) => e.id !== live.id)];
}
function standing(reader, entries, current, context) {
    if (reader === 'rollback' && current?.mixed)
        return { kind: 'not-a-release', live: liveEntry(entries), mixed: current.mixed };
    const recorded = reader === 'rollback' ? asRecorded(entries, current) : current;
    const found = reconcile(entries, recorded);
    if (found.kind === 'consistent')
        return { kind: 'agrees', live: found.live && recorded !== current ? servingAs(found.live, current) : found.live };
    if (reader === 'deploy' && found.kind === 'adopt' && found.release.services?.length)
        return { kind: 'unrecorded-mix', live: found.replaced };
    // Reconciled as the recorded release, written as what production serves (its own ids).
    const completion = found.kind === 'rolled-back' && recorded !== current
        ? { ...found, release: { ...found.release, ...current } }
        : found;
    return { kind: 'owes', completion, writes: completionWrites(completion, context) };
}
/** The writes that make the ledger agree with production, in order. They change nothing at the provider. */
function completionWrites(r, context) {
    const live = r.kind === 'went-live' ? r.entry.payload.release : r.release;
    const liveStatus = (id) => ({
        op: 'status',
        id,
        state: 'success',
        description: `live at ${context.provider} (recorded late)`,
        environmentUrl: live.url,
    });
    const rolledBackFrom = (entry) => ({
        op: 'status',
        id: entry.id,
        state: 'failure',
        description: `rolled back to ${live.id} (recorded late)`,
    });
    if (r.kind === 'went-live') {
        const from = r.entry.payload.rollback?.from;
        // A rollback entry whose success was never recorded: the release it took out is marked failed too.
        const takenOut = from && r.replaced && r.replaced.payload.release.id === from.id && !r.replaced.everFailed
            ? [rolledBackFrom(r.replaced)]
            : [];
        return [liveStatus(r.entry.id), ...takenOut];
    }
    const previous = r.replaced?.payload.release;
    const payload = r.kind === 'adopt'
        ? { release: live, previous, adopted: true }
        : {
            release: live,
            previous,
            rollback: { from: r.replaced.payload.release, reason: 'recorded late: production had already been switched' },
        };
    const record = {
        op: 'record',
        payload,
        sha: live.sha || context.sha,
        description: r.kind === 'adopt' ? `adopted: ${context.provider} serves ${live.id}` : `rollback to ${live.id} (recorded late)`,
    };
    const takenOut = r.kind === 'rolled-back' && !r.replaced.everFailed ? [rolledBackFrom(r.replaced)] : [];
    return [...takenOut, record, liveStatus('recorded')];
}
/** The entry of the live release once `completion` is written (`recordedId`: the id of the record it created). */
function completedEntry(r, recordedId, context) {
    if (r.kind === 'went-live')
        return { ...r.entry, state: 'success', everSucceeded: true };
    const [record] = completionWrites(r, context).filter((w) => w.op === 'record');
    const payload = record.payload;
    return {
        id: recordedId,
        sha: record.sha,
        ref: context.ref,
        environment: context.environment,
        createdAt: context.createdAt,
        payload: { shipline: 1, key: context.key, ...payload },
        state: 'success',
        everSucceeded: true,
        everFailed: false,
    };
}
/** The release taken out of a rollback and the one restored: the writes that record it, in order. */
function rollbackWrites(taken, restored, why) {
    const markFailed = taken.liveEntry && !taken.liveEntry.everFailed
        ? [{ op: 'status', id: taken.liveEntry.id, state: 'failure', description: why.takenOutDescription }]
        : [];
    return [
        ...markFailed,
        {
            op: 'record',
            payload: {
                release: restored,
                previous: taken.live,
                rollback: taken.live
                    ? {
                        from: taken.live,
                        reason: why.reason || undefined,
                        failedCommit: why.failedCommit,
                        schemaAhead: why.schemaAhead,
                        migratedDown: why.migratedDown,
                    }
                    : undefined,
            },
            sha: restored.sha || why.sha,
            description: `rollback to ${restored.id}`,
        },
        {
            op: 'status',
            id: 'recorded',
            state: 'success',
            description: `restored ${restored.id} in place of ${taken.live?.id ?? '?'}`,
            environmentUrl: restored.url,
        },
    ];
}
/** The ledger writes a rollback from `taken` to `restored` consists of, in words a person can carry out. */
function owedWritesText(taken, restored) {
    return taken
        ? `mark ${taken.id} failed and record ${restored.id} live as a rollback from ${taken.id}`
        : `record ${restored.id} live`;
}
/**
 * The contract migrations still in place for a rollback to `targetId`: those recorded with every release deployed
 * after the target was first deployed (failed ones too: their migrations ran, and an app rollback undoes none),
 * less those a later migrate-down rollback reverted.
 * Undefined when the entries read do not reach the target's first deploy, so nothing can be said.
 */
function schemaAhead(entries, targetId) {
    const ordered = [...entries].sort(newestFirst);
    const first = ordered.findLastIndex((e) => e.payload.release.id === targetId && !e.payload.rollback);
    if (first < 0)
        return undefined;
    // A migrate-down rollback reverted the migrations it lists: older deploys' contract migrations among them are no
    // longer in place. Walking newest first, a deploy that applied one again after that rollback is met before it.
    const reverted = new Set();
    const fileName = (path) => path.replace(/^.*\//, '');
    const ahead = [];
    for (const e of ordered.slice(0, first)) {
        for (const file of e.payload.rollback?.migratedDown ?? [])
            reverted.add(fileName(file));
        const changes = (e.payload.schema?.contract ?? []).filter((c) => !reverted.has(fileName(c.file)));
        if (changes.length > 0)
            ahead.push({ release: e.payload.release, changes });
    }
    return ahead;
}
/**
 * `target: previous`. `entries` is undefined when there is no ledger (or it could not be read): the provider's
 * own record then says whether a rollback already happened, and its history what came before.
 */
function choosePrevious(s) {
    const { live, liveEntry: entry, entries, failed } = s;
    const serving = live ?? entry?.payload.release;
    if (entries) {
        // The provider serves a release the ledger never recorded as live (a multi-service release that failed
        // part-way and could not be put back): the ledger's live release is the one before it, one release back,
        // and stays good in the ledger (what is taken out is the unrecorded one).
        if (live && entry && entry.payload.release.id !== live.id && live.services?.length)
            return { kind: 'chosen', target: entry.payload.release, source: 'ledger', liveEntry: undefined };
        const rolledBack = entry?.payload.rollback;
        // A re-run of a rollback that happened: it never rolls back a second time.
        if (rolledBack && !failed)
            return {
                kind: 'nothing-to-do',
                target: serving,
                source: 'ledger',
                reason: `already rolled back: ${entry?.payload.release.id} was restored from ${rolledBack.from.id}`,
            };
        return {
            kind: 'chosen',
            target: previousGood(entries, entry)?.payload.release,
            source: 'ledger',
            liveEntry: entry,
        };
    }
    if (live?.restoredFrom && !failed)
        return {
            kind: 'nothing-to-do',
            target: live,
            source: 'provider history',
            reason: `already rolled back: ${live.id} was restored from ${live.restoredFrom}`,
        };
    return { kind: 'ask-provider' };
}
/** A rollback of a named failed release that production no longer serves restores nothing. */
function failedNotLive(failed, serving) {
    if (!failed || serving?.id === failed)
        return undefined;
    return `${failed} is not live (production serves ${serving?.id ?? 'nothing'}): nothing to restore`;
}
/**
 * When production serves a mix of services, the ledger's live release is taken out only when it is not the one
 * restored (a rollback completed, not a deploy's services put back).
 */
function takenOutOfMix(entry, target) {
    return entry && target && entry.sha !== target.sha ? entry : undefined;
}
function decideRollback(p, environment) {
    if (p.noChange)
        return { kind: 'nothing-to-do', reason: p.noChange, target: p.target };
    if (!p.target)
        return {
            kind: 'refuse',
            reason: `No release to roll back to in ${environment} (${p.source}${p.live ? `; live is ${p.live.id}` : ''})`,
        };
    // Restoring what is already live would be a second switch for nothing.
    if (p.target.id === p.live?.id)
        return { kind: 'already-live', target: p.target };
    return { kind: 'restore', target: p.target, from: p.live };
}


/***/ }),

/***/ 3759:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  $: () => (/* binding */ readRunContext),
  U: () => (/* binding */ stepKey)
});

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
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


/***/ })

};
