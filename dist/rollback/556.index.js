export const id = 556;
export const ids = [556];
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

/***/ 8556:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   RailwayProvider: () => (/* binding */ RailwayProvider)
/* harmony export */ });
/* harmony import */ var _deadline_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(1064);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(2635);
/* harmony import */ var _http_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(9096);
/* harmony import */ var _runner_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(2798);
/* harmony import */ var _sanitise_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(1193);
/* harmony import */ var _collections_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(9243);
// Railway through its public GraphQL API (backboard.railway.com/graphql/v2), without the CLI. One release is
// one deployment per service of one environment (seed 002: backend and frontend deployed together): each is
// started with serviceInstanceDeployV2 at the commit being shipped, then followed to SUCCESS, FAILED or CRASHED.
// Rollback re-activates each service's previous successful deployment with deploymentRollback, for every service
// or none (rollback(): a service that cannot switch puts the ones switched before it back).
//
// Release.id is a composite of `serviceId=deploymentId` pairs in the order of input 'services', so the id of a
// release is the same whether it comes from deploy, current() or the ledger, and describe()/rollback() can take
// it apart again.






/** Railway's end states of a deployment. SUCCESS is the only good one; SLEEPING is a successful one asleep. */
const FAILED_STATES = new Set(['FAILED', 'CRASHED', 'REMOVED', 'SKIPPED']);
const DONE_STATES = new Set(['SUCCESS', 'SLEEPING', ...FAILED_STATES]);
/** A deployment that is (SUCCESS, SLEEPING) or was (REMOVED once replaced) live: rollback candidates. */
const SERVED_STATES = ['SUCCESS', 'SLEEPING', 'REMOVED'];
const LIVE_STATES = ['SUCCESS', 'SLEEPING'];
/** Status polling: builds take from seconds to many minutes; start quick, then back off to keep calls low. */
const POLL_MS = [1000, 2000, 3000, 5000, 8000, 10_000, 15_000, 20_000, 30_000];
const HISTORY = 50;
/**
 * States in which Railway holds a deployment for something only a person can do: waiting them out would only end
 * at the deadline, with no word of why. Each names what the user must do; the deployment is cancelled, so it
 * cannot go live later without this workflow's checks (or beside the other services of the release).
 */
const HELD_STATES = {
    NEEDS_APPROVAL: 'Railway holds this deployment until a member of the project approves it (deploys from a source Railway does not trust need approval). Approve deploys from this token, or deploy from the Railway dashboard, then run the deploy again.',
    WAITING: "Railway holds this deployment until the commit's GitHub checks finish (the service's 'Wait for CI' setting), and this workflow is one of those checks, so it would never start. Turn off 'Wait for CI' in the service's settings (this workflow already decides when to deploy), then run the deploy again.",
};
/** Marks the state of a deployment that was still running at the deadline. */
const TIMED_OUT = 'not done before the deadline';
const DEPLOYMENT_FIELDS = 'id status createdAt url staticUrl canRollback meta serviceId service { id name }';
const Q_DEPLOYMENT = `query deployment($id: String!) { deployment(id: $id) { ${DEPLOYMENT_FIELDS} } }`;
const Q_DEPLOYMENTS = `query deployments($input: DeploymentListInput!, $first: Int) {
  deployments(input: $input, first: $first) { edges { node { ${DEPLOYMENT_FIELDS} } } }
}`;
const M_DEPLOY = `mutation serviceInstanceDeployV2($environmentId: String!, $serviceId: String!, $commitSha: String) {
  serviceInstanceDeployV2(environmentId: $environmentId, serviceId: $serviceId, commitSha: $commitSha)
}`;
// As Railway's CLI sends it (railwayapp/cli src/gql/mutations/strings/DeploymentRollback.graphql).
const M_ROLLBACK = `mutation DeploymentRollback($id: String!) {
  deploymentRollback(id: $id)
}
`;
const M_CANCEL = `mutation deploymentCancel($id: String!) { deploymentCancel(id: $id) }`;
/**
 * A service's source in one environment and its deployment triggers there: a trigger deploys every push to its
 * branch of its repository (after the commit's checks when checkSuites is set). The fields the Terraform provider
 * for Railway reads (listDeploymentTriggers).
 */
const Q_GIT_TRIGGERS = `query serviceGitTriggers($projectId: String!, $environmentId: String!, $serviceId: String!) {
  serviceInstance(environmentId: $environmentId, serviceId: $serviceId) { serviceName source { repo image } }
  deploymentTriggers(projectId: $projectId, environmentId: $environmentId, serviceId: $serviceId) {
    edges { node { id provider repository branch checkSuites } }
  }
}`;
/** `svc=dpl,svc=dpl` → pairs; a bare deployment id (no `=`) is one pair whose service is looked up. */
function parseReleaseId(id) {
    return id
        .split(',')
        .map((part) => part.trim())
        .filter(Boolean)
        .map((part) => {
        const eq = part.indexOf('=');
        return eq > 0 ? { service: part.slice(0, eq), deployment: part.slice(eq + 1) } : { deployment: part };
    });
}
function releaseId(services) {
    return services.map((s) => `${s.service}=${s.id}`).join(',');
}
function https(url) {
    if (!url)
        return undefined;
    return /^https?:\/\//.test(url) ? url : `https://${url}`;
}
function commitOf(d) {
    const hash = d.meta?.commitHash;
    return typeof hash === 'string' ? hash : undefined;
}
/** A deployment that serves: SUCCESS, or SLEEPING (a successful one asleep). */
function isLive(state) {
    return state === 'SUCCESS' || state === 'SLEEPING';
}
/** The release's state word: SUCCESS only when every service succeeded, else the first service's bad state. */
function combinedState(services) {
    const bad = services.find((s) => !isLive(s.state));
    return bad?.state ?? 'SUCCESS';
}
class RailwayProvider {
    config;
    name = 'railway';
    apiUrl;
    railway;
    constructor(config) {
        this.config = config;
        this.apiUrl = (config.apiUrl ?? 'https://backboard.railway.com').replace(/\/$/, '');
        this.railway = config.railway ?? { environmentId: '', services: [], tokenType: 'project' };
    }
    authHeaders() {
        // A project token is scoped to one environment of one project and goes in its own header; an account or
        // workspace token is a Bearer token. Sending one the wrong way answers "Not Authorized".
        return this.railway.tokenType === 'account'
            ? { authorization: `Bearer ${this.config.token}` }
            : { 'project-access-token': this.config.token };
    }
    /**
     * One GraphQL operation. Queries are retried on 5xx and broken connections; mutations only where Railway cannot
     * have acted (429, connection refused), since a retried deploy would start a second build.
     */
    async gql(query, variables, options) {
        // GraphQL errors come with 200 as well as with 4xx: Railway's messages are the reason either way. A proxy's or
        // load balancer's error page (502, 503) is not JSON: its text is then the reason.
        const messagesOf = (body) => (body?.errors ?? []).map((e) => e.message).filter((m) => Boolean(m));
        const { data: answer } = await (0,_http_js__WEBPACK_IMPORTED_MODULE_1__/* .requestJson */ .SS)(`${this.apiUrl}/graphql/v2`, {
            label: `Railway ${options.label}`,
            method: 'POST',
            idempotent: !options.mutation,
            headers: { 'content-type': 'application/json', accept: 'application/json', ...this.authHeaders() },
            body: JSON.stringify({ query, variables }),
        }, {
            provider: 'Railway',
            action: options.label,
            errorMessage: (body, status, text) => {
                const messages = messagesOf(body);
                if (messages.length > 0)
                    return messages.join('; ');
                return status >= 300 || !body?.data
                    ? (0,_sanitise_js__WEBPACK_IMPORTED_MODULE_3__/* .excerpt */ .Kb)(text, 200) || `HTTP ${status}`
                    : undefined;
            },
            hint: (status, body, text) => hintFor(messagesOf(body).join(' ') || text, status),
        });
        return answer.data;
    }
    async deployment(id) {
        return (await this.gql(Q_DEPLOYMENT, { id }, { label: 'get deployment' }))
            .deployment;
    }
    /** A service's deployments in this environment, newest first (sorted here too: the order is not documented). */
    async history(serviceId, statuses, first = HISTORY) {
        const input = {
            projectId: this.config.project,
            environmentId: this.railway.environmentId,
            serviceId,
            ...(statuses ? { status: { in: statuses } } : {}),
        };
        const data = await this.gql(Q_DEPLOYMENTS, { input, first }, { label: 'list deployments' });
        return data.deployments.edges
            .map((e) => e.node)
            .sort((a, b) => Date.parse(b.createdAt ?? '') - Date.parse(a.createdAt ?? ''));
    }
    inspectorUrl(serviceId, deploymentId) {
        return `https://railway.com/project/${encodeURIComponent(this.config.project)}/service/${encodeURIComponent(serviceId)}?environmentId=${encodeURIComponent(this.railway.environmentId)}&id=${encodeURIComponent(deploymentId)}`;
    }
    serviceRelease(serviceId, d) {
        return {
            service: serviceId,
            name: d.service?.name ?? undefined,
            id: d.id,
            url: https(d.staticUrl ?? d.url),
            state: d.status,
        };
    }
    toRelease(pairs) {
        const services = pairs.map((p) => this.serviceRelease(p.serviceId, p.deployment));
        const first = pairs[0];
        const shas = [...new Set(pairs.map((p) => commitOf(p.deployment)).filter(Boolean))];
        const created = pairs.map((p) => Date.parse(p.deployment.createdAt ?? '')).filter((n) => !Number.isNaN(n));
        return {
            provider: 'railway',
            id: releaseId(services),
            // The release URL is the first listed service's (the one people open); every service's is in `services`.
            url: services.find((s) => s.url)?.url,
            inspectorUrl: first?.deployment.id ? this.inspectorUrl(first.serviceId, first.deployment.id) : undefined,
            target: 'production',
            state: combinedState(services),
            createdAt: created.length ? (0,_collections_js__WEBPACK_IMPORTED_MODULE_4__/* .largest */ .nQ)(created) : undefined,
            sha: shas.length === 1 ? shas[0] : undefined,
            services,
        };
    }
    label(s) {
        return s.name ? `${s.name} (${s.service})` : s.service;
    }
    /** What each service serves now: its newest SUCCESS (or SLEEPING) deployment in this environment. */
    async serving(serviceId) {
        return (await this.history(serviceId, LIVE_STATES, 1))[0];
    }
    /**
     * Starts a deployment of one service. The mutation is not idempotent; if its answer is lost, the deployment it
     * may have started is looked for (newest of the service at this commit, not seen before) instead of deploying
     * twice.
     */
    async startDeployment(serviceId, sha, known) {
        try {
            const data = await this.gql(M_DEPLOY, { environmentId: this.railway.environmentId, serviceId, commitSha: sha }, { label: `deploy service ${serviceId}`, mutation: true });
            return data.serviceInstanceDeployV2;
        }
        catch (error) {
            if (!(error instanceof _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .NetworkError */ .Dr))
                throw error;
            const started = (await this.history(serviceId, undefined, 5)).find((d) => !known.has(d.id) && commitOf(d) === sha);
            if (started) {
                (0,_runner_js__WEBPACK_IMPORTED_MODULE_2__/* .info */ .pq)(`Railway: the answer to deploy service ${serviceId} was lost; found the deployment it started (${started.id})`);
                return started.id;
            }
            throw error;
        }
    }
    async deploy(spec, deadline) {
        const services = this.railway.services;
        // What each service serves before this deploy: restored if another service of the release fails.
        const before = await Promise.all(services.map((s) => this.serving(s)));
        const known = await Promise.all(services.map(async (s) => new Set((await this.history(s, undefined, 5)).map((d) => d.id))));
        const started = [];
        for (const [i, serviceId] of services.entries()) {
            let id;
            try {
                id = await this.startDeployment(serviceId, spec.git.sha, known[i]);
            }
            catch (error) {
                // This service gets no new deployment, so the ones already started must not go live beside it.
                const reason = `NOT_STARTED: the deploy call failed (${error.message})`;
                const rest = services.slice(i).map((s, j) => ({
                    serviceId: s,
                    deployment: {
                        id: '',
                        status: j === 0 ? reason : 'NOT_STARTED',
                        service: { id: s, name: before[i + j]?.service?.name },
                    },
                }));
                return this.abandon(spec, [...started, ...rest], before, [{ serviceId, state: reason }], deadline);
            }
            started.push({ serviceId, deployment: { id, status: 'QUEUED' } });
            (0,_runner_js__WEBPACK_IMPORTED_MODULE_2__/* .info */ .pq)(`Railway: service ${serviceId}: deployment ${id} started at ${spec.git.sha.slice(0, 7)}`);
        }
        spec.onCreated?.(this.toRelease(started));
        // Every service is followed to its end even when another fails, so the outcome of each is known (and a
        // service that went live can be put back); a service whose status could not be read counts as failed.
        const settled = await Promise.allSettled(started.map((s) => this.waitForDeployment(s.serviceId, s.deployment.id, deadline)));
        const pairs = settled.map((r, i) => ({
            serviceId: services[i],
            deployment: r.status === 'fulfilled'
                ? r.value
                : { id: started[i]?.deployment.id, status: `UNKNOWN (${r.reason.message})` },
        }));
        const release = this.toRelease(pairs);
        const failed = release.services?.filter((s) => !isLive(s.state)) ?? [];
        if (failed.length === 0)
            return { release };
        return this.abandon(spec, pairs, before, failed.map((s) => ({ serviceId: s.service, state: s.state ?? '' })), deadline);
    }
    /**
     * A release that failed in one service is taken back in all: every deployment of it that may still go live or
     * went live is cancelled or rolled back to what its service served before, so the environment never runs a new
     * backend beside an old frontend (or the reverse). Throws the failure, naming what was put back and what not.
     */
    async abandon(spec, pairs, before, failed, deadline) {
        // A service whose status could not be read counts as failed, but may have gone live: it is put back too.
        const failedIds = new Set(failed.filter((f) => !f.state.startsWith('UNKNOWN')).map((f) => f.serviceId));
        const restored = [];
        const notRestored = [];
        // Restoring is bounded on its own: a release that timed out still gets its services put back.
        const restoreBy = _deadline_js__WEBPACK_IMPORTED_MODULE_5__/* .Deadline */ .B.in(Math.max(deadline.left(), 5 * 60_000));
        for (const [i, p] of pairs.entries()) {
            if (failedIds.has(p.serviceId) || !p.deployment.id)
                continue;
            const label = this.label({
                service: p.serviceId,
                name: p.deployment.service?.name ?? before[i]?.service?.name ?? undefined,
            });
            const outcome = await this.putBack(p.serviceId, p.deployment, before[i], restoreBy).catch((error) => ({
                state: 'NOT_RESTORED',
                note: `${error.message}`,
            }));
            pairs[i] = {
                serviceId: p.serviceId,
                deployment: { ...p.deployment, service: p.deployment.service ?? before[i]?.service, status: outcome.state },
            };
            if (outcome.state === 'NOT_RESTORED')
                notRestored.push(`${label} still serves ${p.deployment.id} (${outcome.note})`);
            else if (outcome.note)
                restored.push(`${label} ${outcome.note}`);
        }
        const release = this.toRelease(pairs);
        // The outputs (and the ledger) then describe how each service ended, not the QUEUED state they were created in.
        spec.onCreated?.(release);
        const byService = new Map(release.services?.map((s) => [s.service, s]));
        const reasons = failed.map((f) => {
            const s = byService.get(f.serviceId);
            const logs = s?.id ? ` (deployment ${s.id}; logs ${this.inspectorUrl(f.serviceId, s.id)})` : '';
            return `${this.label({ service: f.serviceId, name: s?.name })}: ${f.state}${logs}`;
        });
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ProviderError */ .mZ('Railway', `${failed.length} of ${pairs.length} services failed: ${reasons.join('; ')}`, {
            action: 'deploy',
            hint: [
                restored.length ? `Put back so the environment stays consistent: ${restored.join('; ')}.` : '',
                notRestored.length
                    ? `Could not be put back: ${notRestored.join('; ')}. The environment now mixes releases: run the rollback action (target: previous) or roll these services back in Railway's dashboard.`
                    : '',
                'The failed services keep serving their previous deployment.',
                failed.some((f) => f.state.includes(TIMED_OUT)) ? "Raise input 'wait-timeout' if builds take longer." : '',
            ]
                .filter(Boolean)
                .join(' '),
        });
    }
    /**
     * Takes one service's deployment of a failed release out: cancelled while it has not gone live (Railway keeps
     * the previous deployment serving), rolled back to `previous` once it has. Its state afterwards, and a note
     * for the failure message when something was done.
     */
    async putBack(serviceId, deployment, previous, deadline) {
        let d = await this.deployment(deployment.id);
        if (!DONE_STATES.has(d.status)) {
            const cancelled = await this.cancel(deployment.id);
            if (cancelled === 'cancelled')
                return { state: 'CANCELLED', note: `cancelled before going live (serves ${previous?.id ?? 'nothing'})` };
            // It ended between the two calls: look again.
            d = await this.deployment(deployment.id);
            if (!DONE_STATES.has(d.status))
                throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ShiplineError */ .J0(`deployment ${deployment.id} ${cancelled}`);
        }
        if (!isLive(d.status))
            return { state: d.status };
        if (!previous)
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ShiplineError */ .J0('it served nothing before this release, so there is nothing to restore');
        if (previous.id === d.id)
            return { state: d.status };
        (0,_runner_js__WEBPACK_IMPORTED_MODULE_2__/* .info */ .pq)(`Railway: ${this.label({ service: serviceId, name: d.service?.name ?? undefined })} went live, but the release failed elsewhere; restoring ${previous.id}`);
        const back = await this.rollbackService(serviceId, previous, deadline);
        return { state: 'ROLLED_BACK', note: `restored to ${previous.id} (now ${back.id})` };
    }
    /** Follows one deployment until it succeeds, fails or the deadline; at the deadline it is cancelled. */
    async waitForDeployment(serviceId, deploymentId, deadline) {
        let last = 'QUEUED';
        for (let attempt = 0;; attempt++) {
            const d = await this.deployment(deploymentId);
            const name = d.service?.name ? `${d.service.name}` : serviceId;
            if (d.status !== last)
                (0,_runner_js__WEBPACK_IMPORTED_MODULE_2__/* .info */ .pq)(`Railway: ${name}: ${deploymentId} ${last} → ${d.status}`);
            last = d.status;
            if (DONE_STATES.has(d.status))
                return d;
            const held = HELD_STATES[d.status];
            if (held) {
                const cancelled = await this.cancel(deploymentId);
                (0,_runner_js__WEBPACK_IMPORTED_MODULE_2__/* .info */ .pq)(`Railway: ${name}: ${deploymentId} is ${d.status}; ${cancelled}`);
                return { ...d, status: `${d.status}; ${cancelled}. ${held}` };
            }
            const wait = POLL_MS[Math.min(attempt, POLL_MS.length - 1)];
            if (wait > deadline.left()) {
                // A build that finished after we gave up would go live unchecked: cancel it (Railway keeps the previous
                // deployment serving).
                const cancelled = await this.cancel(deploymentId);
                (0,_runner_js__WEBPACK_IMPORTED_MODULE_2__/* .info */ .pq)(`Railway: ${name}: ${deploymentId} was not done before the deadline (last status ${last}); ${cancelled}`);
                return { ...d, status: `${last}, ${TIMED_OUT}; ${cancelled}` };
            }
            await (0,_http_js__WEBPACK_IMPORTED_MODULE_1__/* .sleep */ .yy)(wait);
        }
    }
    /** deploymentCancel, reported as a phrase for the log and the failure ("cancelled" or why it could not be). */
    cancel(deploymentId) {
        return this.gql(M_CANCEL, { id: deploymentId }, { label: 'cancel deployment', mutation: true }).then(() => 'cancelled', (error) => `could not be cancelled: ${error.message}`);
    }
    promote() {
        return Promise.reject(new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ProviderError */ .mZ('Railway', 'staged production deploys are not supported, so there is nothing to promote', {
            action: 'promote',
        }));
    }
    /** The services and deployments a release names (its own `services`, else its id). */
    async resolve(release) {
        if (release.services?.length)
            return release.services.map((s) => ({ serviceId: s.service, deploymentId: s.id }));
        return Promise.all(parseReleaseId(release.id).map(async (p) => {
            if (p.service)
                return { serviceId: p.service, deploymentId: p.deployment };
            const d = await this.deployment(p.deployment);
            if (!d.serviceId)
                throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ShiplineError */ .J0(`Railway deployment ${p.deployment} belongs to no service`);
            return { serviceId: d.serviceId, deploymentId: d.id };
        }));
    }
    /**
     * deploymentRollback, then waits for the service to serve that release again. Railway may re-activate the
     * deployment itself or start a new one from its image and variables; both are recognised (the newest deployment
     * of the service is one we had not seen before the mutation, or the target itself is SUCCESS again).
     */
    async rollbackService(serviceId, target, deadline, known) {
        const seen = known ?? (await this.recentIds(serviceId));
        await this.gql(M_ROLLBACK, { id: target.id }, { label: `rollback to ${target.id}`, mutation: true });
        for (let attempt = 0;; attempt++) {
            const newest = (await this.history(serviceId, undefined, 5))[0];
            if (newest && !seen.has(newest.id)) {
                if (newest.status === 'SUCCESS' || newest.status === 'SLEEPING')
                    return newest;
                if (FAILED_STATES.has(newest.status))
                    throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ProviderError */ .mZ('Railway', `the rollback deployment ${newest.id} of service ${serviceId} ended ${newest.status}`, { action: 'rollback', hint: `Logs: ${this.inspectorUrl(serviceId, newest.id)}` });
            }
            else {
                const again = await this.deployment(target.id);
                if (again.status === 'SUCCESS' && (await this.serving(serviceId))?.id === target.id)
                    return again;
            }
            const wait = POLL_MS[Math.min(attempt, POLL_MS.length - 1)];
            if (wait > deadline.left())
                throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ShiplineError */ .J0(`Railway rollback of service ${serviceId} to ${target.id} did not finish before the deadline`, { hint: `Logs: ${this.inspectorUrl(serviceId, target.id)}` });
            await (0,_http_js__WEBPACK_IMPORTED_MODULE_1__/* .sleep */ .yy)(wait);
        }
    }
    /**
     * Every service of the release moves, or none does. The services switch one after the other; when one cannot
     * (its rollback refused, its rollback deployment failed, the deadline), the services already switched are put
     * back on what they served before (and the failing one too, had its switch begun), and the step fails saying
     * where each service is. A run killed part-way leaves a mixed state, which current() reports and previous()
     * settles: the next run completes it.
     */
    async rollback(to, deadline) {
        const wanted = await this.resolve(to);
        const before = await Promise.all(wanted.map((w) => this.serving(w.serviceId)));
        const pairs = [];
        const switched = [];
        for (const [i, { serviceId, deploymentId }] of wanted.entries()) {
            const live = before[i];
            let seen;
            try {
                const target = await this.deployment(deploymentId);
                if (live?.id === target.id) {
                    (0,_runner_js__WEBPACK_IMPORTED_MODULE_2__/* .info */ .pq)(`Railway: service ${serviceId} already serves ${target.id}`);
                    pairs.push({ serviceId, deployment: live });
                    continue;
                }
                if (target.canRollback === false)
                    throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ProviderError */ .mZ('Railway', `deployment ${target.id} of service ${serviceId} cannot be rolled back to (canRollback is false: older than the plan's retention, or never successful)`, { action: 'rollback' });
                (0,_runner_js__WEBPACK_IMPORTED_MODULE_2__/* .info */ .pq)(`Railway: service ${serviceId}: ${live?.id ?? 'nothing'} → ${target.id}`);
                seen = await this.recentIds(serviceId);
                const now = await this.rollbackService(serviceId, target, deadline, seen);
                switched.push({ serviceId, before: live });
                pairs.push({ serviceId, deployment: now });
            }
            catch (error) {
                const failing = { serviceId, before: live, seen, target: deploymentId };
                return this.undoRollback(failing, switched, wanted.slice(i + 1).map((w, j) => ({ serviceId: w.serviceId, serves: before[i + 1 + j] })), error, deadline);
            }
        }
        const release = this.toRelease(pairs);
        // The restored deployments carry the commit they were built from; keep the target's when Railway does not.
        return { ...release, sha: release.sha ?? to.sha };
    }
    /** The ids of a service's newest deployments: what a switch that starts now is told apart from. */
    async recentIds(serviceId) {
        return new Set((await this.history(serviceId, undefined, 10)).map((d) => d.id));
    }
    /**
     * A multi-service rollback that failed at one service: the services switched before it go back to what they
     * served, and so does the failing one if its switch had begun (a rollback deployment still starting is
     * cancelled; one that went live is rolled back). Throws the failure, saying where every service is.
     */
    async undoRollback(failing, switched, untouched, error, deadline) {
        // Putting back is bounded on its own: a rollback that ran out of time still gets its services put back.
        const restoreBy = _deadline_js__WEBPACK_IMPORTED_MODULE_5__/* .Deadline */ .B.in(Math.max(deadline.left(), 5 * 60_000));
        const where = [];
        const stuck = [];
        const serves = (d) => d ? `${d.id}${commitOf(d) ? ` (commit ${commitOf(d)?.slice(0, 7)})` : ''}` : 'nothing';
        const putBack = async (serviceId, previous, seen) => {
            const label = this.label({ service: serviceId, name: previous?.service?.name ?? undefined });
            try {
                const outcome = await this.restoreService(serviceId, previous, seen, restoreBy);
                where.push(`${label} ${outcome}`);
            }
            catch (putBackError) {
                const now = await this.serving(serviceId).catch(() => undefined);
                stuck.push(`${label} serves ${serves(now)}, not ${serves(previous)} (${putBackError.message})`);
            }
        };
        // The failing service first (a rollback deployment of it may still be starting), then the switched ones.
        await putBack(failing.serviceId, failing.before, failing.seen);
        for (const s of [...switched].reverse())
            await putBack(s.serviceId, s.before, undefined);
        for (const u of untouched)
            where.push(`${this.label({ service: u.serviceId, name: u.serves?.service?.name ?? undefined })} was not switched (serves ${serves(u.serves)})`);
        const reason = error.message;
        const failingLabel = this.label({ service: failing.serviceId, name: failing.before?.service?.name ?? undefined });
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ProviderError */ .mZ('Railway', `${failingLabel} could not be switched to ${failing.target}: ${reason}`, {
            action: 'rollback',
            hint: [
                stuck.length === 0
                    ? `A rollback moves every service or none: each is back where it was. ${where.join('; ')}.`
                    : `Could not be put back: ${stuck.join('; ')}. The environment now mixes releases: run this rollback again (it finds the mix from Railway and completes it), or roll these services back in Railway's dashboard. ${where.join('; ')}.`,
                error instanceof _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ShiplineError */ .J0 && error.hint ? error.hint : '',
            ]
                .filter(Boolean)
                .join(' '),
        });
    }
    /**
     * Puts one service back on `previous` after a failed switch: a deployment of the switch still starting (not
     * among `seen`) is cancelled, and if the service then serves anything else, `previous` is rolled back to.
     * Returns what was done, for the failure message.
     */
    async restoreService(serviceId, previous, seen, deadline) {
        let cancelled = '';
        if (seen) {
            const started = (await this.history(serviceId, undefined, 5)).find((d) => !seen.has(d.id) && !DONE_STATES.has(d.status));
            if (started)
                cancelled = `${await this.cancel(started.id)} its rollback deployment ${started.id}; `;
        }
        const now = await this.serving(serviceId);
        if (now?.id === previous?.id)
            return `${cancelled}serves ${previous?.id ?? 'nothing'} as before`;
        if (!previous)
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ShiplineError */ .J0('it served nothing before this rollback, so there is nothing to put back');
        const back = await this.rollbackService(serviceId, previous, deadline);
        return `${cancelled}was put back on ${previous.id} (now ${back.id})`;
    }
    /**
     * What each service serves now. When the services serve deployments of different commits (a switch of several
     * services that stopped part-way: a killed run, a service that could not be put back), the release is marked
     * `mixed`: it is not a release anyone deployed, so it is never recorded or restored as one.
     */
    async current() {
        const live = await Promise.all(this.railway.services.map((s) => this.serving(s)));
        if (live.some((d) => !d))
            return undefined;
        const pairs = live.map((d, i) => ({
            serviceId: this.railway.services[i],
            deployment: d,
        }));
        const release = this.toRelease(pairs);
        const commits = new Set(pairs.map((p) => commitOf(p.deployment)));
        // A deployment without a commit (an image) cannot be told apart by commit: then there is no telling.
        if (commits.size > 1 && !commits.has(undefined)) {
            release.mixed = pairs
                .map((p) => `${this.label({ service: p.serviceId, name: p.deployment.service?.name ?? undefined })} serves ${p.deployment.id} (commit ${commitOf(p.deployment)?.slice(0, 7)})`)
                .join(', ');
        }
        return release;
    }
    /**
     * The release before the live one, per service: a service the live release moved goes back to the deployment
     * it served before; a service it did not move (a partial release whose other services failed, or a release of
     * fewer services) stays where it is, so one rollback undoes one release, never more. The live release moved
     * the services whose live deployment is of the same commit as the newest live deployment.
     *
     * A mixed state (see current()) is settled instead: every service goes to the oldest release among those the
     * services serve. A deploy or a rollback to an older release that stopped part-way left some services on the
     * release it started from (a deploy) or on its target (a rollback), and the others on the newer one: settling
     * puts the deploy's services back, and completes the rollback.
     */
    async previous(current) {
        const liveIds = new Map((current?.services ?? []).map((s) => [s.service, s.id]));
        const services = this.railway.services;
        const histories = await Promise.all(services.map((s) => this.history(s, SERVED_STATES)));
        const live = histories.map((history, i) => history.find((d) => d.id === (liveIds.get(services[i]) ?? history[0]?.id)));
        if (current?.mixed)
            return this.settle(histories, live);
        const newest = [...live].sort((a, b) => Date.parse(b?.createdAt ?? '') - Date.parse(a?.createdAt ?? ''))[0];
        const pairs = [];
        for (const [i, serviceId] of services.entries()) {
            const history = histories[i];
            const serving = live[i];
            if (serving && newest && serving !== newest && commitOf(serving) !== commitOf(newest)) {
                (0,_runner_js__WEBPACK_IMPORTED_MODULE_2__/* .info */ .pq)(`Railway: service ${serviceId} was not moved by the live release (it serves ${serving.id}, of another commit); it stays`);
                pairs.push({ serviceId, deployment: serving });
                continue;
            }
            const start = serving ? history.indexOf(serving) + 1 : 0;
            const candidate = history.slice(start).find((d) => d.canRollback !== false);
            if (!candidate) {
                (0,_runner_js__WEBPACK_IMPORTED_MODULE_2__/* .info */ .pq)(`Railway: service ${serviceId} has no earlier successful deployment that can be rolled back to`);
                return undefined;
            }
            pairs.push({ serviceId, deployment: candidate });
        }
        return this.toRelease(pairs);
    }
    /**
     * The release a mixed state settles on: the commit first built longest ago among those the services serve (a
     * rollback deployment carries the commit of the deployment it restores), each service on its newest deployment
     * of that commit (the live one where it already serves it).
     */
    settle(histories, live) {
        const services = this.railway.services;
        const firstBuilt = new Map();
        for (const history of histories) {
            for (const d of history) {
                const commit = commitOf(d);
                const at = Date.parse(d.createdAt ?? '');
                if (commit && !Number.isNaN(at) && at < (firstBuilt.get(commit) ?? Infinity))
                    firstBuilt.set(commit, at);
            }
        }
        const liveCommits = [
            ...new Set(live.map((d) => (d ? commitOf(d) : undefined)).filter((c) => Boolean(c))),
        ];
        const oldest = liveCommits.sort((a, b) => (firstBuilt.get(a) ?? Infinity) - (firstBuilt.get(b) ?? Infinity))[0];
        if (!oldest)
            return undefined;
        (0,_runner_js__WEBPACK_IMPORTED_MODULE_2__/* .info */ .pq)(`Railway: the services serve different releases; settling on commit ${oldest.slice(0, 7)}, the oldest of them`);
        const pairs = [];
        for (const [i, serviceId] of services.entries()) {
            const serving = live[i];
            const candidate = serving && commitOf(serving) === oldest
                ? serving
                : histories[i]?.find((d) => commitOf(d) === oldest && d.canRollback !== false);
            if (!candidate) {
                (0,_runner_js__WEBPACK_IMPORTED_MODULE_2__/* .info */ .pq)(`Railway: service ${serviceId} has no deployment of commit ${oldest.slice(0, 7)} that can be rolled back to`);
                return undefined;
            }
            pairs.push({ serviceId, deployment: candidate });
        }
        return this.toRelease(pairs);
    }
    async describe(id) {
        const parts = parseReleaseId(id);
        if (parts.length === 0)
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ShiplineError */ .J0(`'${id}' is not a Railway release id (serviceId=deploymentId pairs, comma separated, or one deployment id)`);
        const pairs = await Promise.all(parts.map(async (p) => {
            const deployment = await this.deployment(p.deployment);
            const serviceId = p.service ?? deployment.serviceId ?? deployment.service?.id;
            if (!serviceId)
                throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ShiplineError */ .J0(`Railway deployment ${p.deployment} belongs to no service`);
            if (p.service && deployment.serviceId && deployment.serviceId !== p.service)
                throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ShiplineError */ .J0(`Railway deployment ${p.deployment} belongs to service ${deployment.serviceId}, not ${p.service}`);
            return { serviceId, deployment };
        }));
        return this.toRelease(pairs);
    }
    async findBySha(sha) {
        const pairs = [];
        for (const serviceId of this.railway.services) {
            const match = (await this.history(serviceId, SERVED_STATES)).find((d) => commitOf(d)?.startsWith(sha.toLowerCase()) && d.canRollback !== false);
            if (!match)
                return undefined;
            pairs.push({ serviceId, deployment: match });
        }
        return this.toRelease(pairs);
    }
    /**
     * A service connected to a repository has a deployment trigger per environment for one branch: Railway deploys
     * every push to it. Any service of the release with a trigger on `branch` in this environment deploys it by itself.
     */
    async gitDeploys(branch) {
        const howToTurnOff = 'Railway service Settings → Source → Disconnect the repository, or remove its branch trigger for this environment (Settings → Source → Branch connected to the environment)';
        const found = await Promise.all(this.railway.services.map(async (serviceId) => {
            const data = await this.gql(Q_GIT_TRIGGERS, { projectId: this.config.project, environmentId: this.railway.environmentId, serviceId }, { label: `read the source of service ${serviceId}` });
            const name = `${(0,_sanitise_js__WEBPACK_IMPORTED_MODULE_3__/* .inline */ .mG)(data.serviceInstance.serviceName)} (${serviceId})`;
            const triggers = data.deploymentTriggers.edges.map((e) => e.node);
            const onBranch = triggers.filter((t) => t.branch === branch);
            if (onBranch.length > 0) {
                const what = onBranch
                    .map((t) => `${(0,_sanitise_js__WEBPACK_IMPORTED_MODULE_3__/* .inline */ .mG)(t.repository)}@${(0,_sanitise_js__WEBPACK_IMPORTED_MODULE_3__/* .inline */ .mG)(t.branch)}${t.checkSuites ? ' once its checks pass' : ''}`)
                    .join(', ');
                return { on: true, text: `${name} deploys every push to ${what}` };
            }
            const repo = data.serviceInstance.source?.repo;
            if (triggers.length > 0)
                return {
                    on: false,
                    text: `${name} deploys pushes to ${triggers.map((t) => (0,_sanitise_js__WEBPACK_IMPORTED_MODULE_3__/* .inline */ .mG)(t.branch)).join(', ')}, not ${(0,_sanitise_js__WEBPACK_IMPORTED_MODULE_3__/* .inline */ .mG)(branch)}`,
                };
            return {
                on: false,
                text: repo
                    ? `${name}: ${(0,_sanitise_js__WEBPACK_IMPORTED_MODULE_3__/* .inline */ .mG)(repo)} has no branch trigger in this environment`
                    : `${name} has no repository connected`,
            };
        }));
        const on = found.filter((f) => f.on);
        return { on: on.length > 0, detail: (on.length > 0 ? on : found).map((f) => f.text).join('; '), howToTurnOff };
    }
}
function hintFor(message, status) {
    if (status === 401 || status === 403 || /not authori[sz]ed|unauthori[sz]ed|invalid token/i.test(message))
        return "Check input 'token' and 'railway-token-type': a project token (Project-Access-Token) works only for its own project and environment; an account or workspace token is sent as a Bearer token.";
    if (/not found/i.test(message))
        return "Check inputs 'project', 'railway-environment' and 'services' (Railway IDs, not names).";
    if (status === 429)
        return 'Railway rate limit; try again later.';
    return undefined;
}


/***/ })

};
