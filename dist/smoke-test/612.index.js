export const id = 612;
export const ids = [612];
export const modules = {

/***/ 61612:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   DatadogClient: () => (/* binding */ DatadogClient),
/* harmony export */   NoReading: () => (/* binding */ NoReading),
/* harmony export */   QUERY_WINDOW_S: () => (/* binding */ QUERY_WINDOW_S)
/* harmony export */ });
/* harmony import */ var _datadog_datadog_api_client_dist_packages_datadog_api_client_common_configuration_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(36541);
/* harmony import */ var _datadog_datadog_api_client_dist_packages_datadog_api_client_common_exception_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(15146);
/* harmony import */ var _datadog_datadog_api_client_dist_packages_datadog_api_client_common_servers_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(9735);
/* harmony import */ var _datadog_datadog_api_client_dist_logger_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(6011);
/* harmony import */ var _datadog_datadog_api_client_dist_logger_js__WEBPACK_IMPORTED_MODULE_3___default = /*#__PURE__*/__webpack_require__.n(_datadog_datadog_api_client_dist_logger_js__WEBPACK_IMPORTED_MODULE_3__);
/* harmony import */ var _datadog_datadog_api_client_dist_packages_datadog_api_client_v1_apis_MetricsApi_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(8618);
/* harmony import */ var _datadog_datadog_api_client_dist_packages_datadog_api_client_v1_apis_MetricsApi_js__WEBPACK_IMPORTED_MODULE_4___default = /*#__PURE__*/__webpack_require__.n(_datadog_datadog_api_client_dist_packages_datadog_api_client_v1_apis_MetricsApi_js__WEBPACK_IMPORTED_MODULE_4__);
/* harmony import */ var _datadog_datadog_api_client_dist_packages_datadog_api_client_v1_apis_MonitorsApi_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(48344);
/* harmony import */ var _datadog_datadog_api_client_dist_packages_datadog_api_client_v1_apis_MonitorsApi_js__WEBPACK_IMPORTED_MODULE_5___default = /*#__PURE__*/__webpack_require__.n(_datadog_datadog_api_client_dist_packages_datadog_api_client_v1_apis_MonitorsApi_js__WEBPACK_IMPORTED_MODULE_5__);
/* harmony import */ var _http_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(9096);
/* harmony import */ var _sanitise_js__WEBPACK_IMPORTED_MODULE_7__ = __webpack_require__(71193);
// Datadog metric queries and monitor states through the official @datadog/datadog-api-client, API v1:
//   - QueryMetrics, GET /api/v1/query?from&to&query (https://docs.datadoghq.com/api/latest/metrics/#query-timeseries-points):
//     a gate's query over the last QUERY_WINDOW_S seconds; its reading is the last non-null point of the one series.
//     v1 rather than v2's timeseries formula query: v1 takes the query exactly as a dashboard or a monitor writes
//     it (`sum:trace.http.request.errors{service:api}.as_count() / sum:trace.http.request.hits{service:api}.as_count()`),
//     answers it in one GET, and needs only v1's models in the bundle.
//   - GetMonitor, GET /api/v1/monitor/{id}, and ListMonitors with monitor_tags
//     (https://docs.datadoghq.com/api/latest/monitors/): each monitor's overall_state.
// Both take the API key and the application key (DD-API-KEY, DD-APPLICATION-KEY headers, the client's
// apiKeyAuth and appKeyAuth). The client is configured explicitly: the site through its server variables
// (https://api.{site}), or a base server for a proxy or the loopback stand-in of the tests; never DD_SITE or
// DD_API_KEY from the environment, which createConfiguration would otherwise read.
//
// The client's own retry (429 and 5xx, sleeping X-RateLimit-Reset seconds) is off: its sleep ignores the abort
// signal, and a tick must end when its time is up. Each tick asks once; the next tick is the retry, as for
// Prometheus. The modules are imported by their paths in the package (v1 and the common part only): the package's
// index also loads every v2 model, which would weigh on the bundle for nothing.
//
// Imported only when a step is given Datadog gates (window gates import it lazily).








// The client logs a failed request itself (console, unsanitised); every failure here is described once, by
// describeDatadogError, in the gate's reading.
_datadog_datadog_api_client_dist_logger_js__WEBPACK_IMPORTED_MODULE_3__.logger.setLevel(_datadog_datadog_api_client_dist_logger_js__WEBPACK_IMPORTED_MODULE_3__.logger.levels.SILENT);
/** How far back a metric query reads: long enough to hold a point of a metric reported every minute or so. */
const QUERY_WINDOW_S = 300;
/** ListMonitors page size for a tag query, and the pages read per tick (1,000 monitors is a tag that names too much). */
const MONITOR_PAGE_SIZE = 100;
const MAX_MONITOR_PAGES = 10;
/** Why a query had no single number, for the gate's "inconclusive". */
class NoReading extends Error {
}
class DatadogClient {
    config;
    constructor(config) {
        this.config = config;
    }
    /** A configuration for one call: its own abort signal, and the last response's headers recorded in `seen`. */
    configuration(signal, seen) {
        const fetchRecording = (async (input, init) => {
            const response = await (0,_http_js__WEBPACK_IMPORTED_MODULE_6__/* .proxiedFetch */ .iR)(input, init);
            seen.status = response.status;
            seen.rateLimitReset = response.headers.get('x-ratelimit-reset') ?? undefined;
            seen.rateLimitName = response.headers.get('x-ratelimit-name') ?? undefined;
            return response;
        });
        const baseServer = this.config.url
            ? new _datadog_datadog_api_client_dist_packages_datadog_api_client_common_servers_js__WEBPACK_IMPORTED_MODULE_2__.ServerConfiguration(this.config.url.replace(/\/+$/, ''), {})
            : new _datadog_datadog_api_client_dist_packages_datadog_api_client_common_servers_js__WEBPACK_IMPORTED_MODULE_2__.ServerConfiguration('https://{subdomain}.{site}', {
                site: this.config.site,
                subdomain: 'api',
            });
        return (0,_datadog_datadog_api_client_dist_packages_datadog_api_client_common_configuration_js__WEBPACK_IMPORTED_MODULE_0__.createConfiguration)({
            baseServer,
            authMethods: { apiKeyAuth: this.config.apiKey, appKeyAuth: this.config.appKey },
            fetch: fetchRecording,
            httpConfig: { signal: AbortSignal.any([signal, AbortSignal.timeout(this.config.timeoutMs)]), compress: false },
            enableRetry: false,
        });
    }
    async call(label, signal, run) {
        const seen = {};
        try {
            return await run(this.configuration(signal, seen));
        }
        catch (error) {
            throw new Error(describeDatadogError(label, error, seen));
        }
    }
    /** The query's value now: the last non-null point of its one series over the last QUERY_WINDOW_S seconds. */
    async queryValue(query, signal, now = Date.now()) {
        const to = Math.floor(now / 1000);
        const answer = await this.call('Datadog QueryMetrics', signal, (configuration) => new _datadog_datadog_api_client_dist_packages_datadog_api_client_v1_apis_MetricsApi_js__WEBPACK_IMPORTED_MODULE_4__.MetricsApi(configuration).queryMetrics({ from: to - QUERY_WINDOW_S, to, query }));
        if (answer.status === 'error' || answer.error)
            throw new Error(`Datadog QueryMetrics: ${(0,_sanitise_js__WEBPACK_IMPORTED_MODULE_7__/* .inline */ .mG)(answer.error ?? 'the query failed (status "error")', 300)}`);
        // The client hands back a body that is not JSON as an empty MetricsQueryResponse: no status, no series.
        if (answer.status !== 'ok' || !Array.isArray(answer.series))
            throw new Error('Datadog QueryMetrics: the answer is not the JSON the API documents (no status "ok" with series)');
        const series = answer.series ?? [];
        if (series.length === 0)
            throw new NoReading(`no data: the query returned no series over the last ${QUERY_WINDOW_S / 60} minutes (a metric or tag misspelt, or nothing reported yet)`);
        if (series.length > 1) {
            const shown = series.slice(0, 3).map((s) => (0,_sanitise_js__WEBPACK_IMPORTED_MODULE_7__/* .inline */ .mG)(s.scope ?? s.expression ?? '?', 80));
            throw new NoReading(`the query returned ${series.length} series, not one: ${shown.join(', ')}${series.length > 3 ? ', …' : ''} (aggregate them, e.g. sum:…{…} without "by {…}")`);
        }
        const points = (series[0]?.pointlist ?? []).filter((p) => Array.isArray(p) && typeof p[1] === 'number' && Number.isFinite(p[1]));
        const last = points.at(-1);
        if (!last)
            throw new NoReading(`no data: the series ${(0,_sanitise_js__WEBPACK_IMPORTED_MODULE_7__/* .inline */ .mG)(series[0]?.scope ?? '', 80)} has no point over the last ${QUERY_WINDOW_S / 60} minutes`);
        return last[1];
    }
    /** One monitor's state. A monitor that does not exist is Datadog's 404, thrown as its error. */
    async monitor(id, signal) {
        const monitor = await this.call('Datadog GetMonitor', signal, (configuration) => new _datadog_datadog_api_client_dist_packages_datadog_api_client_v1_apis_MonitorsApi_js__WEBPACK_IMPORTED_MODULE_5__.MonitorsApi(configuration).getMonitor({ monitorId: id }));
        return stateOf(monitor);
    }
    /** The monitors whose monitor tags include every tag given (comma-separated), up to MAX_MONITOR_PAGES pages. */
    async monitorsTagged(tags, signal) {
        const monitors = [];
        for (let page = 0; page < MAX_MONITOR_PAGES; page++) {
            const answer = await this.call('Datadog ListMonitors', signal, (configuration) => new _datadog_datadog_api_client_dist_packages_datadog_api_client_v1_apis_MonitorsApi_js__WEBPACK_IMPORTED_MODULE_5__.MonitorsApi(configuration).listMonitors({ monitorTags: tags, page, pageSize: MONITOR_PAGE_SIZE }));
            monitors.push(...answer.map(stateOf));
            if (answer.length < MONITOR_PAGE_SIZE)
                return { monitors, truncated: false };
        }
        return { monitors, truncated: true };
    }
}
function stateOf(monitor) {
    return {
        id: monitor.id ?? 0,
        name: monitor.name ?? '',
        // An overall_state outside the client's enum is an UnparsedObject: no state it knows.
        state: typeof monitor.overallState === 'string' ? monitor.overallState : 'Unknown',
    };
}
/**
 * One line for a failed call: Datadog's own errors (its `errors` array, verbatim), the rate limit's reset when
 * throttled, the network failure when nothing answered, or the body the client could not read.
 */
function describeDatadogError(label, error, seen = {}) {
    if (error instanceof _datadog_datadog_api_client_dist_packages_datadog_api_client_common_exception_js__WEBPACK_IMPORTED_MODULE_1__.ApiException) {
        const body = error.body;
        const errors = body && typeof body === 'object' && Array.isArray(body.errors)
            ? body.errors.map((e) => (0,_sanitise_js__WEBPACK_IMPORTED_MODULE_7__/* .inline */ .mG)(e, 200)).join('; ')
            : (0,_sanitise_js__WEBPACK_IMPORTED_MODULE_7__/* .inline */ .mG)(typeof body === 'string' ? body : JSON.stringify(body ?? ''), 200);
        const code = Number(error.code);
        const hint = code === 429
            ? ` (rate limited${seen.rateLimitName ? ` on ${(0,_sanitise_js__WEBPACK_IMPORTED_MODULE_7__/* .inline */ .mG)(seen.rateLimitName, 60)}` : ''}${seen.rateLimitReset ? `; X-RateLimit-Reset ${(0,_sanitise_js__WEBPACK_IMPORTED_MODULE_7__/* .inline */ .mG)(seen.rateLimitReset, 10)}s` : ''}: the next tick asks again)`
            : code === 403
                ? ' (check datadog-api-key and datadog-app-key, and that the application key may read metrics and monitors)'
                : '';
        return `${label}: HTTP ${code}: ${errors || '(no error text)'}${hint}`;
    }
    const e = error;
    if (e?.name === 'AbortError' || e?.name === 'TimeoutError' || e?.type === 'aborted')
        return `${label}: no answer in time`;
    // What the client's deserialiser throws for a body that is not the documented model.
    if (e instanceof SyntaxError || /JSON|missing required property|mismatch types/i.test(e?.message ?? ''))
        return `${label}: the answer is not the JSON the API documents (${(0,_sanitise_js__WEBPACK_IMPORTED_MODULE_7__/* .inline */ .mG)(e?.message ?? '', 160)})`;
    // fetch's own failure (refused, reset, DNS, TLS, a proxy's 407): the cause says which.
    if (e?.message === 'fetch failed')
        return `${label}: ${(0,_http_js__WEBPACK_IMPORTED_MODULE_6__/* .classifyNetworkError */ .LW)(error).detail}`;
    return `${label}: ${(0,_sanitise_js__WEBPACK_IMPORTED_MODULE_7__/* .inline */ .mG)(e?.message ?? String(error), 300)}`;
}


/***/ }),

/***/ 9096:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   K0: () => (/* binding */ plainHttpOnTlsPort),
/* harmony export */   LW: () => (/* binding */ classifyNetworkError),
/* harmony export */   SS: () => (/* binding */ requestJson),
/* harmony export */   iR: () => (/* binding */ proxiedFetch),
/* harmony export */   kM: () => (/* binding */ safeToResend),
/* harmony export */   mu: () => (/* binding */ parseRetryAfter),
/* harmony export */   pD: () => (/* binding */ networkFailureKind),
/* harmony export */   yt: () => (/* binding */ plainHttpSentence),
/* harmony export */   yy: () => (/* binding */ sleep)
/* harmony export */ });
/* unused harmony exports DEFAULT_RETRY, backoffDelay, metPlainHttp, request */
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(32635);
/* harmony import */ var _proxy_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(97886);
/* harmony import */ var _runner_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(52798);
/* harmony import */ var _sanitise_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(71193);




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
    undici ??= __webpack_require__.e(/* import() */ 752).then(__webpack_require__.t.bind(__webpack_require__, 24371, 19));
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
