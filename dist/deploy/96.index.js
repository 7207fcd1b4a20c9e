export const id = 96;
export const ids = [96];
export const modules = {

/***/ 9096:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   EY: () => (/* binding */ backoffDelay),
/* harmony export */   LW: () => (/* binding */ classifyNetworkError),
/* harmony export */   SS: () => (/* binding */ requestJson),
/* harmony export */   iR: () => (/* binding */ proxiedFetch),
/* harmony export */   vI: () => (/* binding */ DEFAULT_RETRY),
/* harmony export */   yy: () => (/* binding */ sleep)
/* harmony export */ });
/* unused harmony exports parseRetryAfter, networkFailureKind, moveCredentials, safeToResend, proxyDispatcher, request, readText */
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
function networkFailureKind(code, message = '') {
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
const NEVER_SENT = new Set(['connection-refused', 'dns', 'proxy']);
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
/** fetch, through the proxy the environment names for the URL: for clients that take a fetch of their own. */
const proxiedFetch = (async (input, init = {}) => {
    const dispatcher = await proxyDispatcher(input instanceof Request ? input.url : input);
    return fetch(input, dispatcher ? { ...init, dispatcher } : init);
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
            const { kind, detail } = classifyNetworkError(error);
            const delay = backoffDelay(attempt, policy);
            if (last || !(idempotent || safeToResend(kind)) || delay >= timeLeft())
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


/***/ }),

/***/ 7886:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   $R: () => (/* binding */ EnvProxyHttpAgent),
/* harmony export */   hi: () => (/* binding */ envProxyAgent),
/* harmony export */   iJ: () => (/* binding */ proxyFor),
/* harmony export */   ws: () => (/* binding */ EnvProxyHttpsAgent)
/* harmony export */ });
/* unused harmony exports bypassesProxy, describeProxy, proxyAuthorization, ProxyTunnelError, openTunnel */
/* harmony import */ var node_http__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7067);
/* harmony import */ var node_http__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_http__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_net__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(7030);
/* harmony import */ var node_net__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_net__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_https__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(4708);
/* harmony import */ var node_https__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_https__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var node_tls__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(1692);
/* harmony import */ var node_tls__WEBPACK_IMPORTED_MODULE_3___default = /*#__PURE__*/__webpack_require__.n(node_tls__WEBPACK_IMPORTED_MODULE_3__);
/* harmony import */ var _sanitise_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(1193);
// Outbound proxies, for self-hosted runners behind one: which requests go through a proxy (HTTPS_PROXY,
// HTTP_PROXY, NO_PROXY, as @actions/http-client reads them), and the CONNECT tunnel that carries node:http(s)
// traffic through it (the AWS SDK, @netlify/api's node-fetch, the smoke-test prober). fetch goes through undici's
// ProxyAgent (shared/http.ts), with the same decision made here.
//
// One deliberate difference from @actions/http-client (≥ 2.2): it never proxies loopback hosts (localhost,
// 127.*, [::1]), whatever NO_PROXY says. Here only NO_PROXY decides, as curl and undici's EnvHttpProxyAgent do:
// a request is never routed around the proxy the user configured without the user having said so, and the
// loopback proxy of the tests can see loopback fakes. Runners' NO_PROXY lists usually hold localhost and
// 127.0.0.1; list them to reach a server on the runner itself directly.





function defaultPort(url) {
    if (url.port)
        return Number(url.port);
    if (url.protocol === 'http:')
        return 80;
    if (url.protocol === 'https:')
        return 443;
    return undefined;
}
/**
 * Whether NO_PROXY (or no_proxy, which wins) exempts the URL: entries split on commas, compared without case to
 * the host and to host:port; `*` matches everything; `example.com` and `.example.com` match the host and its
 * subdomains. IP addresses match only as written (no CIDR ranges), as in @actions/http-client.
 */
function bypassesProxy(url, env = process.env) {
    if (!url.hostname)
        return false;
    const noProxy = env.no_proxy || env.NO_PROXY || '';
    if (!noProxy)
        return false;
    const host = url.hostname.toUpperCase();
    const port = defaultPort(url);
    const hosts = port === undefined ? [host] : [host, `${host}:${port}`];
    // [::1] in a URL's hostname; NO_PROXY may say ::1 or [::1].
    const bare = host.startsWith('[') ? host.slice(1, -1) : undefined;
    if (bare)
        hosts.push(bare, ...(port === undefined ? [] : [`${bare}:${port}`]));
    return noProxy
        .split(',')
        .map((item) => item.trim().toUpperCase())
        .filter(Boolean)
        .some((item) => item === '*' || hosts.some((h) => h === item || h.endsWith(`.${item}`) || (item.startsWith('.') && h.endsWith(item))));
}
/** The proxy for a URL, or undefined to connect directly: https_proxy/HTTPS_PROXY for https, http_proxy/HTTP_PROXY for http. */
function proxyFor(target, env = process.env) {
    const url = typeof target === 'string' ? new URL(target) : target;
    if (url.protocol !== 'https:' && url.protocol !== 'http:')
        return undefined;
    if (bypassesProxy(url, env))
        return undefined;
    const value = url.protocol === 'https:' ? env.https_proxy || env.HTTPS_PROXY : env.http_proxy || env.HTTP_PROXY;
    if (!value)
        return undefined;
    // "proxy.corp:3128", as many runners' settings write it, parses as a URL of scheme "proxy.corp:": a proxy URL
    // without http:// or https:// is a host. (@actions/http-client would use the odd URL and fail to connect.)
    const parsed = URL.canParse(value) ? new URL(value) : undefined;
    return parsed && (parsed.protocol === 'http:' || parsed.protocol === 'https:') ? parsed : new URL(`http://${value}`);
}
/** host:port of a proxy, for messages (never its credentials). */
function describeProxy(proxy) {
    return `${proxy.hostname}:${defaultPort(proxy) ?? ''}`;
}
/** The Proxy-Authorization header for a proxy URL with credentials in it. */
function proxyAuthorization(proxy) {
    if (!proxy.username && !proxy.password)
        return undefined;
    return `Basic ${Buffer.from(`${(0,_sanitise_js__WEBPACK_IMPORTED_MODULE_4__/* .safeDecode */ .ex)(proxy.username)}:${(0,_sanitise_js__WEBPACK_IMPORTED_MODULE_4__/* .safeDecode */ .ex)(proxy.password)}`).toString('base64')}`;
}
/** A CONNECT the proxy refused, or a proxy that answered something other than HTTP. */
class ProxyTunnelError extends Error {
    statusCode;
    code = 'ERR_PROXY_TUNNEL';
    constructor(message, statusCode) {
        super(message);
        this.statusCode = statusCode;
    }
}
/**
 * Opens a CONNECT tunnel to host:port through the proxy and resolves with the raw socket, ready for TLS to the
 * target. Errors of the connection to the proxy keep their codes (ECONNREFUSED, ENOTFOUND…) and name the proxy.
 */
function openTunnel(proxy, host, port, events = {}) {
    return new Promise((resolve, reject) => {
        const proxyPort = defaultPort(proxy) ?? 80;
        const proxyHost = proxy.hostname.replace(/^\[|\]$/g, '');
        const socket = proxy.protocol === 'https:' ? (0,node_tls__WEBPACK_IMPORTED_MODULE_3__.connect)({ host: proxyHost, port: proxyPort, servername: (0,node_net__WEBPACK_IMPORTED_MODULE_1__.isIP)(proxyHost) ? undefined : proxyHost }) : (0,node_net__WEBPACK_IMPORTED_MODULE_1__.connect)(proxyPort, proxyHost);
        const authority = `${(0,node_net__WEBPACK_IMPORTED_MODULE_1__.isIP)(host) === 6 ? `[${host}]` : host}:${port}`;
        let head = Buffer.alloc(0);
        const fail = (error) => {
            socket.destroy();
            reject(error);
        };
        const onError = (error) => {
            error.message = `proxy ${describeProxy(proxy)}: ${error.message}`;
            fail(error);
        };
        const onData = (chunk) => {
            head = Buffer.concat([head, chunk]);
            const end = head.indexOf('\r\n\r\n');
            if (end < 0) {
                if (head.length > 16 * 1024)
                    fail(new ProxyTunnelError(`proxy ${describeProxy(proxy)} sent an oversized answer to CONNECT ${authority}`));
                return;
            }
            socket.off('data', onData);
            socket.off('error', onError);
            const statusLine = head.subarray(0, head.indexOf('\r\n')).toString('latin1');
            const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1] ?? 0);
            if (status !== 200) {
                return fail(new ProxyTunnelError(`proxy ${describeProxy(proxy)} refused CONNECT ${authority}: ${(0,_sanitise_js__WEBPACK_IMPORTED_MODULE_4__/* .excerpt */ .Kb)(statusLine, 200) || 'no status line'}`, status || undefined));
            }
            // Bytes after the proxy's answer already belong to the target (a TLS ServerHello cannot come first, but be safe).
            const rest = head.subarray(end + 4);
            if (rest.length > 0)
                socket.unshift(rest);
            resolve(socket);
        };
        socket.on('error', onError);
        socket.once(proxy.protocol === 'https:' ? 'secureConnect' : 'connect', () => {
            events.onProxyConnected?.();
            const auth = proxyAuthorization(proxy);
            socket.write(`CONNECT ${authority} HTTP/1.1\r\nHost: ${authority}\r\n${auth ? `Proxy-Authorization: ${auth}\r\n` : ''}\r\n`);
        });
        socket.on('data', onData);
    });
}
/**
 * An https.Agent that reaches each host through the proxy the environment names for it (CONNECT, then TLS to the
 * target inside the tunnel), or directly when there is none or NO_PROXY exempts it. For clients that take an
 * agent: the AWS SDK's NodeHttpHandler, node-fetch in @netlify/api. (The Slack clients, since v8, take a fetch
 * instead: they get shared/http.ts's.)
 */
class EnvProxyHttpsAgent extends node_https__WEBPACK_IMPORTED_MODULE_2__.Agent {
    env;
    constructor(options = {}, env = process.env) {
        super(options);
        this.env = env;
    }
    createConnection(options, callback) {
        const host = String(options.host ?? 'localhost').replace(/^\[|\]$/g, '');
        const port = Number(options.port || 443);
        const proxy = proxyFor(new URL(`https://${(0,node_net__WEBPACK_IMPORTED_MODULE_1__.isIP)(host) === 6 ? `[${host}]` : host}:${port}`), this.env);
        // node:https's own connection: TLS straight to the host.
        if (!proxy)
            return node_https__WEBPACK_IMPORTED_MODULE_2__.Agent.prototype.createConnection.call(this, options);
        openTunnel(proxy, host, port).then((socket) => callback?.(null, (0,node_tls__WEBPACK_IMPORTED_MODULE_3__.connect)({ ...options, socket, host, servername: options.servername ?? ((0,node_net__WEBPACK_IMPORTED_MODULE_1__.isIP)(host) ? undefined : host) })), (error) => callback?.(error, undefined));
        return undefined;
    }
}
/**
 * An http.Agent that sends plain-http requests through the proxy the environment names for their host, as a proxy
 * expects them (the absolute URI in the request line, Proxy-Authorization), or directly when there is none.
 */
class EnvProxyHttpAgent extends node_http__WEBPACK_IMPORTED_MODULE_0__.Agent {
    env;
    constructor(options = {}, env = process.env) {
        super(options);
        this.env = env;
    }
    // node:http's Agent#addRequest (not in @types/node): the one place that sees both the request and where it connects.
    addRequest(req, options) {
        const host = String(options.host ?? 'localhost').replace(/^\[|\]$/g, '');
        const port = Number(options.port || 80);
        const authority = `${(0,node_net__WEBPACK_IMPORTED_MODULE_1__.isIP)(host) === 6 ? `[${host}]` : host}:${port}`;
        const proxy = proxyFor(new URL(`http://${authority}`), this.env);
        if (proxy) {
            req.path = `http://${authority}${req.path}`;
            const auth = proxyAuthorization(proxy);
            if (auth)
                req.setHeader('proxy-authorization', auth);
            // A request line already written (headers given as an array) is written again with the absolute URI.
            const raw = req;
            if (raw._header) {
                raw._header = null;
                raw._implicitHeader();
            }
            options = { ...options, host: proxy.hostname.replace(/^\[|\]$/g, ''), port: Number(proxy.port || 80) };
        }
        node_http__WEBPACK_IMPORTED_MODULE_0__.Agent.prototype.addRequest.call(this, req, options);
    }
}
let sharedAgents;
/**
 * The keep-alive agent for a URL, through the environment's proxy where it applies: for node:http clients that take
 * an agent, or a function of the URL returning one (node-fetch, which @netlify/api uses).
 */
function envProxyAgent(url) {
    sharedAgents ??= { http: new EnvProxyHttpAgent({ keepAlive: true }), https: new EnvProxyHttpsAgent({ keepAlive: true }) };
    return url.protocol === 'http:' ? sharedAgents.http : sharedAgents.https;
}


/***/ })

};
