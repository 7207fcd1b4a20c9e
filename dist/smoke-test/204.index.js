export const id = 204;
export const ids = [204];
export const modules = {

/***/ 6217:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Fe: () => (/* binding */ nameFor),
/* harmony export */   Hd: () => (/* binding */ checksFromInputs),
/* harmony export */   Sw: () => (/* binding */ baseCheck),
/* harmony export */   uZ: () => (/* binding */ uniqueNames),
/* harmony export */   we: () => (/* binding */ joinUrl)
/* harmony export */ });
/** The defaults every check starts from: the action's inputs. */
function baseCheck(inputs) {
    return {
        method: inputs.method,
        headers: { ...inputs.headers },
        ...(inputs.body ? { body: inputs.body } : {}),
        expect: {
            status: inputs['expect-status'],
            json: [],
            contains: inputs['expect-text'] ? [inputs['expect-text']] : [],
            matches: [],
            ...(inputs['max-latency'] !== undefined ? { maxLatencyMs: inputs['max-latency'] } : {}),
            health: 'auto',
            degraded: inputs.degraded,
        },
        followRedirects: inputs['follow-redirects'],
        tls: { ...(inputs['ca-file'] ? { caFile: inputs['ca-file'] } : {}), insecure: false },
        timeoutMs: inputs.timeout,
        samples: inputs.samples,
        thresholds: inputs.thresholds,
    };
}
/** Names people recognise in a table: the path for checks of one host, host and path when hosts differ. */
function nameFor(url, manyHosts) {
    const path = `${url.pathname}${url.search ? '?…' : ''}`;
    return manyHosts ? `${url.host}${path}` : path;
}
function uniqueNames(checks) {
    const seen = new Map();
    return checks.map((check) => {
        const count = (seen.get(check.name) ?? 0) + 1;
        seen.set(check.name, count);
        return count === 1 ? check : { ...check, name: `${check.name} #${count}` };
    });
}
function checksFromInputs(inputs) {
    const base = baseCheck(inputs);
    const targets = inputs.url.length > 0 ? inputs.url.map((u) => new URL(u)) : pathsUnder(inputs['base-url'], inputs.paths);
    const manyHosts = new Set(targets.map((t) => t.host)).size > 1;
    const checks = targets.map((url) => ({ ...base, name: nameFor(url, manyHosts), url }));
    return { checks: uniqueNames(checks), overallThresholds: inputs['overall-thresholds'], secrets: [] };
}
/** `/api/health` under `https://preview.example.com/app/` is `https://preview.example.com/app/api/health`. */
function joinUrl(base, path) {
    if (/^https?:\/\//i.test(path))
        return new URL(path);
    const root = base.endsWith('/') ? base : `${base}/`;
    return new URL(path.replace(/^\//, ''), root);
}
function pathsUnder(base, paths) {
    return paths.length > 0 ? paths.map((p) => joinUrl(base, p)) : [new URL(base)];
}


/***/ }),

/***/ 3204:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  run: () => (/* binding */ run)
});

// UNUSED EXPORTS: hostMatches

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: external "node:perf_hooks"
var external_node_perf_hooks_ = __webpack_require__(643);
// EXTERNAL MODULE: ./shared/errors.ts
var errors = __webpack_require__(2635);
// EXTERNAL MODULE: ./shared/runner.ts + 1 modules
var runner = __webpack_require__(3263);
// EXTERNAL MODULE: ./shared/sanitise.ts
var sanitise = __webpack_require__(7170);
;// CONCATENATED MODULE: ./shared/http.ts
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
    const basic = Buffer.from(`${safeDecode(parsed.username)}:${safeDecode(parsed.password)}`).toString('base64');
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
            throw new NetworkError(options.label, 'timeout', 'no time left before the deadline');
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
                throw new NetworkError(options.label, kind, detail, { cause: error });
            info(`${options.label}: ${kind} (${detail}); retrying in ${(delay / 1000).toFixed(1)}s (attempt ${attempt + 2} of ${policy.retries + 1})`);
            await wait(delay);
            continue;
        }
        if (last || !shouldRetryStatus(response.status, idempotent))
            return response;
        const retryAfter = parseRetryAfter(response.headers.get('retry-after'));
        const delay = retryAfter !== undefined ? Math.min(retryAfter, policy.maxRetryAfterMs) : backoffDelay(attempt, policy);
        if (delay >= timeLeft()) {
            info(`${options.label}: HTTP ${response.status}; a wait of ${(delay / 1000).toFixed(1)}s${retryAfter !== undefined ? ' (Retry-After)' : ''} would end past the deadline, so no retry`);
            return response;
        }
        await response.body?.cancel().catch(() => undefined);
        info(`${options.label}: HTTP ${response.status}; retrying in ${(delay / 1000).toFixed(1)}s${retryAfter !== undefined ? ' (Retry-After)' : ''} (attempt ${attempt + 2} of ${policy.retries + 1})`);
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
        debug(`${defaults.label}: ${(init.method ?? 'GET').toUpperCase()}`);
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

// EXTERNAL MODULE: ./actions/smoke-test/src/checks.ts
var checks = __webpack_require__(6217);
;// CONCATENATED MODULE: ./shared/concurrency.ts
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

// EXTERNAL MODULE: ./actions/smoke-test/src/expectations.ts
var expectations = __webpack_require__(8623);
;// CONCATENATED MODULE: ./actions/smoke-test/src/health.ts
// Health responses understood without configuration: the IETF draft's application/health+json (pass/warn/fail,
// `checks`), Spring Boot Actuator (UP/DOWN, `components`), NestJS Terminus (ok/error, `info`/`error`/`details`)
// and the plain `{status: healthy|degraded|unhealthy, checks|services: {...}}` many apps write by hand.
// Every component that is not passing is named, so "unhealthy" comes with which dependency and why.

const PASS = new Set(['pass', 'ok', 'up', 'healthy']);
const WARN = new Set(['warn', 'degraded', 'unknown']);
// Spring answers OUT_OF_SERVICE with 503 by default, Terminus `shutting_down` while draining: neither takes traffic.
const FAIL = new Set(['fail', 'error', 'down', 'unhealthy', 'out_of_service', 'shutting_down']);
function normalizeStatus(word) {
    if (typeof word !== 'string')
        return undefined;
    const key = word.toLowerCase();
    if (PASS.has(key))
        return 'pass';
    if (WARN.has(key))
        return 'warn';
    if (FAIL.has(key))
        return 'fail';
    return undefined;
}
const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
function detailOf(entry) {
    for (const key of ['output', 'error', 'message', 'reason', 'description']) {
        const value = entry[key];
        if (typeof value === 'string' && value)
            return value.length > 200 ? `${value.slice(0, 200)}…` : value;
    }
    const details = entry.details;
    if (isObject(details)) {
        const text = detailOf(details);
        if (text)
            return text;
    }
    return undefined;
}
function component(name, entry) {
    const detail = detailOf(entry);
    return { name, status: String(entry.status), ...(detail ? { detail } : {}) };
}
/** IETF `checks: {"database:responseTime": [{componentId, status, output, …}]}`. */
function ietfComponents(checks) {
    if (!isObject(checks))
        return [];
    const list = [];
    for (const [key, entries] of Object.entries(checks)) {
        for (const entry of Array.isArray(entries) ? entries : [entries]) {
            if (!isObject(entry) || entry.status === undefined)
                continue;
            const id = typeof entry.componentId === 'string' && entry.componentId && !key.includes(entry.componentId) ? `${key} (${entry.componentId})` : key;
            list.push(component(id, entry));
        }
    }
    return list;
}
/** Spring `components: {db: {status, details}, diskSpace: …}`, nested groups flattened as `group.member`. */
function springComponents(components, prefix = '') {
    if (!isObject(components))
        return [];
    const list = [];
    for (const [name, entry] of Object.entries(components)) {
        if (!isObject(entry))
            continue;
        if (isObject(entry.components))
            list.push(...springComponents(entry.components, `${prefix}${name}.`));
        else if (entry.status !== undefined)
            list.push(component(`${prefix}${name}`, entry));
    }
    return list;
}
/** Objects of `{name: {status, …}}`: Terminus `info`/`error`/`details`, the hand-written `checks`/`services`. */
function namedComponents(...groups) {
    const seen = new Map();
    for (const group of groups) {
        if (!isObject(group))
            continue;
        for (const [name, entry] of Object.entries(group)) {
            if (isObject(entry) && entry.status !== undefined && !seen.has(name))
                seen.set(name, component(name, entry));
        }
    }
    return [...seen.values()];
}
function detectFormat(body, contentType) {
    const word = typeof body.status === 'string' ? body.status : '';
    if (/application\/health\+json/i.test(contentType))
        return 'health+json';
    if (['UP', 'DOWN', 'OUT_OF_SERVICE', 'UNKNOWN'].includes(word))
        return 'spring';
    if (['ok', 'error', 'shutting_down'].includes(word) && (isObject(body.info) || isObject(body.error) || isObject(body.details)))
        return 'terminus';
    if (['pass', 'warn', 'fail'].includes(word))
        return 'health+json';
    if (normalizeStatus(word))
        return 'status-checks';
    return undefined;
}
function componentsOf(format, body) {
    switch (format) {
        case 'health+json':
            return ietfComponents(body.checks);
        case 'spring':
            return springComponents(body.components ?? body.details);
        case 'terminus':
            return namedComponents(body.error, body.details, body.info);
        case 'status-checks':
            return namedComponents(body.checks, body.services, body.components);
    }
}
/**
 * The health verdict of a response, or undefined when the body is not a health response. The service's own word
 * decides (its aggregation rules are its own: one unhealthy dependency is "degraded" to some, "fail" to others),
 * except that a "pass" beside a failing or degraded component is only a warn; either way every component that is
 * not passing is named.
 */
function readHealth(body, contentType) {
    if (!isObject(body))
        return undefined;
    const format = detectFormat(body, contentType);
    const overall = normalizeStatus(body.status);
    if (!format || !overall)
        return undefined;
    const components = componentsOf(format, body);
    const failing = components.filter((c) => normalizeStatus(c.status) === 'fail');
    const warning = components.filter((c) => normalizeStatus(c.status) === 'warn');
    const status = overall === 'pass' && failing.length + warning.length > 0 ? 'warn' : overall;
    return { format, status, reported: String(body.status), failing, warning };
}
/** Names, statuses and details are the service's own text: each on one line and sanitised (see inline). */
function describeComponents(components) {
    return components.map((c) => `${(0,sanitise/* inline */.mG)(c.name, 200)}: ${(0,sanitise/* inline */.mG)(c.status, 40)}${c.detail ? ` (${(0,sanitise/* inline */.mG)(c.detail, 201)})` : ''}`).join('; ');
}
/** "health fail (status-checks, status 'degraded'): database: unhealthy (connection refused)". */
function describeHealth(verdict) {
    const named = [...verdict.failing, ...verdict.warning];
    return `health ${verdict.status} (${verdict.format}, status '${(0,sanitise/* inline */.mG)(verdict.reported, 40)}')${named.length > 0 ? `: ${describeComponents(named)}` : ''}`;
}

;// CONCATENATED MODULE: ./actions/smoke-test/src/evaluate.ts
// Judges one response against a check: status, health verdict, body assertions, latency. Pure: the reasons it
// returns are the sentences the report, the summary and the annotations show.


function parseJson(body) {
    try {
        return { ok: true, value: JSON.parse(body) };
    }
    catch {
        return { ok: false };
    }
}
function looksLikeJson(contentType, body) {
    return /[/+]json\b/i.test(contentType) || /^\s*[[{]/.test(body);
}
function bodyProblems(expect, body, contentType, json) {
    const problems = [];
    if (expect.json.length > 0) {
        if (!json?.ok)
            problems.push(`body is not JSON (content-type '${contentType || 'none'}'): ${(0,expectations/* bodyExcerpt */.kG)(body)}`);
        else
            for (const assertion of expect.json)
                problems.push(...(0,expectations/* checkJsonAssertion */.f0)(json.value, assertion));
    }
    for (const text of expect.contains)
        if (!body.includes(text))
            problems.push(`body does not contain ${JSON.stringify(text)}; it starts: ${(0,expectations/* bodyExcerpt */.kG)(body, 120)}`);
    for (const pattern of expect.matches)
        if (!pattern.test(body))
            problems.push(`body does not match /${pattern.source}/; it starts: ${(0,expectations/* bodyExcerpt */.kG)(body, 120)}`);
    return problems;
}
function evaluate(expect, outcome) {
    if (outcome.kind === 'failure')
        return { passed: false, reasons: [outcome.failure.message], warnings: [], durationMs: outcome.durationMs };
    const { status, body, contentType, durationMs } = outcome;
    const json = expect.health === 'auto' || expect.json.length > 0 ? (looksLikeJson(contentType, body) ? parseJson(body) : { ok: false }) : undefined;
    const health = expect.health === 'auto' && json?.ok ? readHealth(json.value, contentType) : undefined;
    const reasons = [];
    const warnings = [];
    const statusOk = (0,expectations/* statusMatches */.W_)(status, expect.status);
    if (health && health.status !== 'pass') {
        const text = `${describeHealth(health)} (HTTP ${status})`;
        if (health.status === 'fail')
            reasons.push(text);
        else if (expect.degraded === 'fail')
            reasons.push(`${text}; degraded counts as failed (degraded: fail)`);
        else
            warnings.push(`${text}; counted as passing (degraded: pass)`);
    }
    // A failing health verdict already explains a 503; anything else with the wrong status is reported as such.
    if (!statusOk && reasons.length === 0) {
        reasons.push(`unexpected HTTP ${status} (expected ${(0,expectations/* describeStatusRanges */._)(expect.status)}): ${(0,expectations/* bodyExcerpt */.kG)(body)}`);
    }
    // Body assertions on an error page only repeat that the status was wrong.
    if (statusOk)
        reasons.push(...bodyProblems(expect, body, contentType, json));
    if (expect.maxLatencyMs !== undefined && durationMs > expect.maxLatencyMs)
        reasons.push(`took ${Math.round(durationMs)} ms, over max-latency ${expect.maxLatencyMs} ms`);
    return { passed: reasons.length === 0, reasons, warnings, httpStatus: status, ...(health ? { health } : {}), durationMs };
}

// EXTERNAL MODULE: external "node:http"
var external_node_http_ = __webpack_require__(7067);
// EXTERNAL MODULE: external "node:https"
var external_node_https_ = __webpack_require__(4708);
// EXTERNAL MODULE: external "node:tls"
var external_node_tls_ = __webpack_require__(1692);
;// CONCATENATED MODULE: ./actions/smoke-test/src/probe.ts
// One HTTP exchange, measured from the moment the request is issued to the last byte of the final response, on
// keep-alive connections (node:http's Agent: it adds less latency per request than fetch, see the README's
// benchmark). Every way a request can fail becomes a Failure a person can act on: DNS, refused, reset, TLS (with
// the certificate's own details), timeout (with how far the exchange got), redirects that loop.






const MAX_REDIRECTS = 10;
/** Enough of a body for any assertion; the rest is read (and timed) but not kept. */
const BODY_LIMIT = 1024 * 1024;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
class ProbeError extends Error {
    failure;
    constructor(failure) {
        super(failure.message);
        this.failure = failure;
    }
}
/** Keep-alive agents, one per protocol and TLS setting, shared by all checks and closed when the run ends. */
class Connections {
    agents = new Map();
    agentFor(url, tls) {
        const key = url.protocol === 'https:' ? `https|${tls.insecure}|${tls.ca ?? ''}` : 'http';
        let agent = this.agents.get(key);
        if (!agent) {
            agent =
                url.protocol === 'https:'
                    ? new external_node_https_.Agent({ keepAlive: true, ca: tls.ca ? [...external_node_tls_.rootCertificates, tls.ca] : undefined, rejectUnauthorized: !tls.insecure })
                    : new external_node_http_.Agent({ keepAlive: true });
            this.agents.set(key, agent);
        }
        return agent;
    }
    /** Closes every idle connection, so the process can exit without waiting for servers' keep-alive timeouts. */
    close() {
        for (const agent of this.agents.values())
            agent.destroy();
        this.agents.clear();
    }
}
const TLS_PROBLEMS = {
    DEPTH_ZERO_SELF_SIGNED_CERT: 'the certificate is self-signed',
    SELF_SIGNED_CERT_IN_CHAIN: 'the certificate chain ends in a self-signed root that is not trusted',
    UNABLE_TO_VERIFY_LEAF_SIGNATURE: "the certificate's issuer is not trusted (an unknown CA, or the server does not send its intermediate certificates)",
    UNABLE_TO_GET_ISSUER_CERT_LOCALLY: "the certificate's issuer is not trusted (an unknown CA, or the server does not send its intermediate certificates)",
    UNABLE_TO_GET_ISSUER_CERT: "the certificate's issuer could not be found",
    CERT_HAS_EXPIRED: 'the certificate has expired',
    CERT_NOT_YET_VALID: 'the certificate is not valid yet (check the server clock)',
    ERR_TLS_CERT_ALTNAME_INVALID: 'the certificate is not issued for this host name',
    CERT_REVOKED: 'the certificate was revoked',
    CERT_SIGNATURE_FAILURE: "the certificate's signature is invalid",
};
function isTlsCode(code) {
    return code in TLS_PROBLEMS || /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY/.test(code);
}
function hostPort(url) {
    return `${url.hostname}:${url.port || (url.protocol === 'https:' ? 443 : 80)}`;
}
function timeoutFailure(phase, timeoutMs, url, cutByDeadline = false) {
    const seconds = `${(timeoutMs / 1000).toFixed(1)}s${cutByDeadline ? " (what was left of the deadline)" : ''}`;
    const whatHappened = {
        connecting: `the connection to ${hostPort(url)} was not established (DNS lookup or TCP connect)`,
        'TLS handshake': `the TLS handshake with ${hostPort(url)} did not finish`,
        'waiting for the response headers': 'the server accepted the connection and the request but sent no response',
        'reading the body': 'the server sent the response headers but not the whole body',
    };
    return { kind: 'timeout', message: `timeout: no complete response within ${seconds}: ${whatHappened[phase]}`, hint: 'Raise input timeout if this endpoint is legitimately slow.' };
}
/** A Failure from a Node socket or HTTP error. */
function classifyError(error, phase, url) {
    const code = error.code ?? '';
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME' || code === 'EAI_FAIL')
        return {
            kind: 'dns',
            message: `DNS: host ${url.hostname} could not be resolved (${code})`,
            hint: 'Check the host name; a new deployment URL can take a moment to appear in DNS.',
        };
    if (code === 'ECONNREFUSED')
        return { kind: 'refused', message: `connection refused by ${hostPort(url)}: nothing is listening there (${code})` };
    if (code === 'ECONNRESET' || code === 'EPIPE' || error.message === 'socket hang up' || error.message === 'aborted')
        return {
            kind: 'reset',
            message: phase === 'reading the body'
                ? `connection reset by the server while sending the body (${code || error.message})`
                : `connection reset by the server before it answered (${code || error.message})`,
        };
    if (code === 'ETIMEDOUT')
        return timeoutFailure(phase, 0, url);
    if (isTlsCode(code))
        return {
            kind: 'tls',
            message: `TLS: ${TLS_PROBLEMS[code] ?? error.message} (${code})`,
            hint: "Trust the CA that signed it with 'ca-file' (or tls.ca-file in the checks), or, for a preview deployment only, list the host in 'insecure-hosts'.",
        };
    if (code.startsWith('HPE_'))
        return { kind: 'protocol', message: `malformed HTTP response (${code}: ${error.message})` };
    return { kind: 'other', message: `request failed: ${error.message}${code ? ` (${code})` : ''}` };
}
/** The certificate a server presents, read on a separate connection that sends nothing (no header can leak). */
function describePeerCertificate(url, timeoutMs) {
    return new Promise((resolve) => {
        const port = Number(url.port || 443);
        const isIp = /^[\d.]+$|:/.test(url.hostname);
        const socket = (0,external_node_tls_.connect)({ host: url.hostname.replace(/^\[|\]$/g, ''), port, servername: isIp ? undefined : url.hostname, rejectUnauthorized: false });
        const done = (text) => {
            clearTimeout(timer);
            socket.destroy();
            resolve(text);
        };
        const timer = setTimeout(() => done(undefined), timeoutMs);
        socket.once('error', () => done(undefined));
        socket.once('secureConnect', () => {
            const cert = socket.getPeerCertificate();
            if (!cert || !cert.subject)
                return done(undefined);
            const name = (dn) => (dn?.CN ? `CN=${String(dn.CN)}` : dn?.O ? `O=${String(dn.O)}` : '?');
            const names = cert.subjectaltname ? `, names ${cert.subjectaltname}` : '';
            // The certificate is the server's own text: shown on one line, like any outside text.
            done((0,sanitise/* inline */.mG)(`certificate ${name(cert.subject)} issued by ${name(cert.issuer)}, valid ${cert.valid_from} to ${cert.valid_to}${names}`, 1000));
        });
    });
}
function exchange(url, method, headers, body, agent, onRequest, state) {
    return new Promise((resolve, reject) => {
        const send = url.protocol === 'https:' ? external_node_https_.request : external_node_http_.request;
        if (state.timeout)
            return reject(new ProbeError(state.timeout));
        state.phase = 'connecting';
        let settled = false;
        let socketWatched;
        const markBytes = () => {
            state.lastBytesAt = external_node_perf_hooks_.performance.now();
        };
        const unwatch = () => socketWatched?.off('data', markBytes);
        const fail = (error, staleConnection = false) => {
            if (settled)
                return;
            settled = true;
            unwatch();
            if (state.timeout)
                return reject(new ProbeError(state.timeout));
            const failure = error instanceof ProbeError ? error.failure : classifyError(error, state.phase, url);
            // A kept-alive connection the server closed while idle: the request never reached it, so one fresh try is
            // not a retry of anything the server saw.
            reject(Object.assign(new ProbeError(failure), { staleConnection: staleConnection && failure.kind === 'reset' }));
        };
        const req = send(url, { method, headers, agent }, (res) => {
            state.phase = 'reading the body';
            const chunks = [];
            let kept = 0;
            let bytes = 0;
            res.on('data', (chunk) => {
                bytes += chunk.length;
                if (kept < BODY_LIMIT) {
                    chunks.push(chunk);
                    kept += chunk.length;
                }
            });
            res.on('end', () => {
                if (settled)
                    return;
                settled = true;
                unwatch();
                const response = { status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8'), bodyBytes: bytes };
                // Judging this response and sending the next request wait until the other sockets that are ready now have
                // been read: their arrival times are taken when they are read, and must not wait behind this work.
                setImmediate(() => resolve(response));
            });
            res.on('error', (error) => fail(error));
            res.on('close', () => fail(Object.assign(new Error('aborted'), { code: 'ECONNRESET' })));
        });
        req.on('socket', (socket) => {
            state.startedAt ??= external_node_perf_hooks_.performance.now();
            socketWatched = socket;
            socket.prependListener('data', markBytes);
            const waiting = () => {
                state.phase = 'waiting for the response headers';
            };
            if (!socket.connecting)
                return waiting();
            if (url.protocol === 'https:') {
                socket.once('connect', () => {
                    state.phase = 'TLS handshake';
                });
                socket.once('secureConnect', waiting);
            }
            else
                socket.once('connect', waiting);
        });
        req.on('error', (error) => fail(error, req.reusedSocket && state.phase !== 'reading the body'));
        req.on('close', () => fail(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })));
        onRequest(req);
        req.end(body);
    });
}
function redirectHeaders(headers, from, to, dropBody) {
    const kept = {};
    for (const [name, value] of Object.entries(headers)) {
        // Credentials stay with the origin they were meant for; a redirect elsewhere must not carry them.
        if (from.origin !== to.origin && (0,expectations/* isSecretHeader */.io)(name))
            continue;
        if (dropBody && /^content-(type|length)$/i.test(name))
            continue;
        kept[name] = value;
    }
    return kept;
}
/**
 * Shows a URL without credentials or secret-looking query values (tokens, bypass keys, signatures), decoded for
 * reading where it decodes. Never throws: a Location header from the server can hold anything.
 */
function displayUrl(url) {
    const redacted = (0,sanitise/* redactUrl */.BO)(url.href);
    try {
        return (0,sanitise/* inline */.mG)(decodeURI(redacted), 2000);
    }
    catch {
        return (0,sanitise/* inline */.mG)(redacted, 2000);
    }
}
/** Sends the request, following redirects when asked, and measures it; never throws. */
async function probe(request, connections) {
    const redirects = [];
    const calledAt = external_node_perf_hooks_.performance.now();
    let current;
    const state = { phase: 'connecting' };
    const since = () => state.startedAt ?? calledAt;
    let url = request.url;
    const timer = setTimeout(() => {
        state.timeout = timeoutFailure(state.phase, request.timeoutMs, url, request.cutByDeadline);
        current?.destroy();
    }, request.timeoutMs);
    let method = request.method;
    let headers = { 'user-agent': 'shipline-smoke-test', ...request.headers };
    let body = request.body;
    try {
        for (let hop = 0;; hop++) {
            const tls = request.tlsFor(url);
            const send = () => exchange(url, method, headers, body, connections.agentFor(url, tls), (req) => (current = req), state);
            let response;
            try {
                response = await send();
            }
            catch (error) {
                if (state.timeout || !error.staleConnection)
                    throw error;
                // The dead connection's time is not the server's: measure the fresh try alone (on the first hop).
                if (hop === 0)
                    state.startedAt = undefined;
                response = await send();
            }
            const location = response.headers.location;
            if (!request.followRedirects || !REDIRECT_STATUSES.has(response.status) || !location) {
                return {
                    kind: 'response',
                    status: response.status,
                    contentType: String(response.headers['content-type'] ?? ''),
                    body: response.body,
                    bodyBytes: response.bodyBytes,
                    durationMs: (state.lastBytesAt ?? external_node_perf_hooks_.performance.now()) - since(),
                    redirects,
                    finalUrl: displayUrl(url),
                };
            }
            const next = new URL(location, url);
            redirects.push(`${response.status} → ${displayUrl(next)}`);
            if (next.protocol !== 'http:' && next.protocol !== 'https:')
                throw new ProbeError({ kind: 'redirect', message: `redirected to a non-HTTP URL (${next.protocol})` });
            if (hop + 1 >= MAX_REDIRECTS)
                throw new ProbeError({ kind: 'redirect', message: `more than ${MAX_REDIRECTS} redirects (a loop?): ${redirects.slice(0, 4).join(', ')}${redirects.length > 4 ? ', …' : ''}` });
            const dropBody = response.status === 303 || ((response.status === 301 || response.status === 302) && method === 'POST');
            headers = redirectHeaders(headers, url, next, dropBody);
            if (dropBody) {
                method = method === 'HEAD' ? 'HEAD' : 'GET';
                body = undefined;
            }
            url = next;
        }
    }
    catch (error) {
        const failure = error instanceof ProbeError ? error.failure : classifyError(error, state.phase, url);
        if (failure.kind === 'tls') {
            const certificate = await describePeerCertificate(url, Math.min(2000, request.timeoutMs));
            if (certificate)
                failure.message = `${failure.message}; ${certificate}`;
        }
        return { kind: 'failure', failure, durationMs: external_node_perf_hooks_.performance.now() - since(), redirects };
    }
    finally {
        clearTimeout(timer);
    }
}

// EXTERNAL MODULE: ./actions/smoke-test/src/thresholds.ts
var src_thresholds = __webpack_require__(4340);
;// CONCATENATED MODULE: ./actions/smoke-test/src/execute.ts
// Running checks: each one is retried until it is ready (or the deadline passes), then sampled back to back for
// its latency thresholds. Checks run in parallel up to the concurrency bound; the samples of one check run one
// after another on its kept-alive connection, so each measures the server, not a queue in this process.





function healthSummary(health) {
    return health ? { format: health.format, status: health.status, failing: health.failing, warning: health.warning } : undefined;
}
async function attempt(check, schedule, runtime) {
    const remaining = schedule.deadlineAt - runtime.now();
    const outcome = await probe({
        url: check.url,
        method: check.method,
        headers: check.headers,
        ...(check.body !== undefined ? { body: check.body } : {}),
        timeoutMs: Math.max(1, Math.min(check.timeoutMs, remaining)),
        cutByDeadline: remaining < check.timeoutMs,
        followRedirects: check.followRedirects,
        tlsFor: (url) => runtime.tlsFor(check, url),
    }, runtime.connections);
    return { ...evaluate(check.expect, outcome), redirects: outcome.redirects };
}
/**
 * Exponential backoff from `interval`, capped at `max-interval`: 2s, 4s, 8s, … The doubling stops at 2^30, so
 * the pause stays a finite number however many attempts there were (2^1024 is Infinity, and 0 × Infinity NaN).
 */
function backoff(attemptNumber, intervalMs, maxIntervalMs) {
    const pause = Math.min(maxIntervalMs, intervalMs * 2 ** Math.min(30, Math.max(0, attemptNumber - 1)));
    return Number.isFinite(pause) && pause >= 0 ? pause : maxIntervalMs;
}
const seconds = (ms) => `${(ms / 1000).toFixed(1)}s`;
/** Less time than this before the deadline is no real try of a request. */
const MIN_TRY_MS = 50;
async function waitUntilReady(check, schedule, runtime) {
    const started = runtime.now();
    if (schedule.deadlineAt - started < MIN_TRY_MS) {
        const reason = 'not tried: the deadline passed while the checks before it ran (raise deadline or concurrency)';
        return { ready: false, attempts: 0, elapsedMs: 0, last: { passed: false, reasons: [reason], warnings: [], durationMs: 0, redirects: [] } };
    }
    for (let attempts = 1;; attempts++) {
        const last = await attempt(check, schedule, runtime);
        if (last.passed)
            return { ready: true, attempts, elapsedMs: runtime.now() - started, last };
        const remaining = schedule.deadlineAt - runtime.now();
        const outOfAttempts = schedule.maxAttempts > 0 && attempts >= schedule.maxAttempts;
        const pause = Math.min(backoff(attempts, schedule.intervalMs, schedule.maxIntervalMs), remaining - MIN_TRY_MS);
        // Written so that a NaN anywhere ends the loop instead of continuing it: the deadline is the one bound that
        // must hold whatever the inputs.
        if (outOfAttempts || !(remaining >= MIN_TRY_MS) || !(pause >= 0))
            return { ready: false, attempts, elapsedMs: runtime.now() - started, last };
        (0,runner/* info */.pq)(`${check.name}: attempt ${attempts} failed: ${last.reasons[0]}; next try in ${seconds(pause)}`);
        await runtime.sleep(pause);
    }
}
async function takeSamples(check, schedule, runtime) {
    const sampling = { durationsMs: [], taken: 0, failed: 0 };
    for (let i = 1; i <= check.samples; i++) {
        if (!(schedule.deadlineAt - runtime.now() >= 1))
            break;
        const result = await attempt(check, schedule, runtime);
        sampling.taken++;
        if (result.httpStatus !== undefined)
            sampling.durationsMs.push(result.durationMs);
        if (!result.passed) {
            sampling.failed++;
            sampling.firstFailure ??= `sample ${i} of ${check.samples}: ${result.reasons[0]}`;
        }
    }
    return sampling;
}
function sampleReasons(check, sampling, thresholds) {
    const reasons = [];
    if (sampling.taken < check.samples)
        reasons.push(`deadline reached after ${sampling.taken} of ${check.samples} latency samples`);
    // With a rate threshold the user said how many failures are acceptable; without one, none is.
    const hasRate = check.thresholds.some((t) => t.aggregation.kind === 'rate');
    if (sampling.failed > 0 && !hasRate)
        reasons.push(`failed after becoming ready: ${sampling.failed} of ${sampling.taken} samples failed (first: ${sampling.firstFailure})`);
    for (const t of thresholds)
        if (!t.passed)
            reasons.push((0,src_thresholds/* describeThresholdFailure */.FZ)(t));
    return reasons;
}
async function runCheck(check, schedule, runtime) {
    const readiness = await waitUntilReady(check, schedule, runtime);
    const base = {
        name: check.name,
        url: displayUrl(check.url),
        method: check.method,
        attempts: readiness.attempts,
        ...(readiness.last.httpStatus !== undefined ? { httpStatus: readiness.last.httpStatus } : {}),
        ...(readiness.last.health ? { health: healthSummary(readiness.last.health) } : {}),
        redirects: readiness.last.redirects,
        ...(check.source ? { source: check.source } : {}),
        warnings: readiness.last.warnings,
    };
    if (!readiness.ready) {
        const why = readiness.attempts > 1 ? `not ready after ${readiness.attempts} attempts in ${seconds(readiness.elapsedMs)}: ` : '';
        const reasons = readiness.last.reasons.map((r, i) => (i === 0 ? `${why}${r}` : r));
        (0,runner/* info */.pq)(`❌ ${check.name}: ${reasons.join('; ')}`);
        return { ...base, passed: false, reason: reasons[0], reasons, thresholds: [], durationsMs: [] };
    }
    (0,runner/* info */.pq)(`✅ ${check.name}: ready${readiness.attempts > 1 ? ` after ${readiness.attempts} attempts (${seconds(readiness.elapsedMs)})` : ''}`);
    const wantsSamples = check.thresholds.length > 0 || schedule.sampleAll;
    if (!wantsSamples)
        return { ...base, passed: true, readyAfterMs: Math.round(readiness.elapsedMs), reasons: [], thresholds: [], durationsMs: [] };
    const sampling = await takeSamples(check, schedule, runtime);
    const measured = { durationsMs: sampling.durationsMs, failed: sampling.failed, total: sampling.taken };
    const thresholds = (0,src_thresholds/* evaluateThresholds */.S$)(check.thresholds, measured);
    const latency = (0,src_thresholds/* latencyStats */.Ir)(measured);
    const reasons = sampleReasons(check, sampling, thresholds);
    (0,runner/* info */.pq)(`${reasons.length ? '❌' : '✅'} ${check.name}: ${sampling.taken} samples, p50 ${latency.p50} ms, p95 ${latency.p95} ms, p99 ${latency.p99} ms, ${sampling.failed} failed${reasons.length ? `: ${reasons.join('; ')}` : ''}`);
    return {
        ...base,
        passed: reasons.length === 0,
        readyAfterMs: Math.round(readiness.elapsedMs),
        ...(reasons[0] ? { reason: reasons[0] } : {}),
        reasons,
        samples: { planned: check.samples, taken: sampling.taken, failed: sampling.failed, ...(sampling.firstFailure ? { firstFailure: sampling.firstFailure } : {}) },
        latency,
        thresholds,
        durationsMs: sampling.durationsMs,
    };
}
/**
 * Checks started together stay in step: against a server that answers in about the same time their responses
 * arrive in one burst, and each waits for the ones handled before it — time that would be measured as the
 * server's latency. Starting the parallel checks a little apart keeps their requests (and the server's answers)
 * interleaved instead: 2 ms apart, at most half a second for the widest concurrency.
 */
const STAGGER_MS = 2;
function runChecks(checks, schedule, runtime) {
    return mapLimit(checks, schedule.concurrency, async (check, index) => {
        // mapLimit hands the first `concurrency` checks to its workers in order, one each.
        if (index > 0 && index < schedule.concurrency)
            await runtime.sleep(Math.min(index * STAGGER_MS, 500));
        return runCheck(check, schedule, runtime);
    });
}

;// CONCATENATED MODULE: ./actions/smoke-test/src/report.ts
// What a run tells people and the next steps: the `report` JSON, the job summary table, annotations, and the
// one-line `summary` with a `status` that notify's `status` input accepts (for scheduled health checks).



const ms = (value) => (value === undefined || Number.isNaN(value) ? undefined : `${value} ms`);
/** "3 of 4 checks passed; failed: /api/health (health fail …)" in one line, short enough for a Slack header. */
function oneLine(checks, overall, mode) {
    const failed = checks.filter((c) => !c.passed);
    const overallFailed = overall.filter((t) => !t.passed);
    const label = mode === 'monitor' ? 'Health check' : 'Smoke test';
    const overallText = overallFailed.map((t) => `${t.threshold} (measured ${(0,src_thresholds/* formatMeasured */.U6)(t)})`).join(', ');
    if (failed.length === 0)
        return overallFailed.length === 0 ? `${label}: all ${checks.length} checks passed` : `${label}: all ${checks.length} checks passed, but overall ${overallText} not met`;
    const parts = failed.map((c) => `${c.name} (${truncate(c.reason ?? 'failed', 100)})`);
    if (overallFailed.length > 0)
        parts.push(`overall ${overallText} not met`);
    return `${label}: ${failed.length} of ${checks.length} checks failed: ${parts.join('; ')}`;
}
function truncate(text, length) {
    return text.length > length ? `${text.slice(0, length)}…` : text;
}
function buildReport(checks, overall, mode, durationMs) {
    const passed = checks.every((c) => c.passed) && overall.thresholds.every((t) => t.passed);
    return {
        passed,
        status: passed ? 'succeeded' : 'failed',
        mode,
        summary: oneLine(checks, overall.thresholds, mode),
        durationMs: Math.round(durationMs),
        checks: checks.map(({ durationsMs: _, ...rest }) => rest),
        overall,
    };
}
function resultCell(check) {
    if (!check.passed)
        return '❌ failed';
    return check.warnings.length > 0 ? '⚠️ passed (degraded)' : '✅ passed';
}
/**
 * The job summary. Reasons, health components and the one-line summary carry the server's own text: every value
 * is escaped (table() escapes plain cells; the heading and the check column are composed here from escaped parts).
 */
function summaryMarkdown(report) {
    const heading = `### ${report.passed ? '✅' : '❌'} ${(0,sanitise/* escapeMarkdown */.FV)(report.summary, 2000).replace(/<br>/g, ' ')}`;
    const rows = report.checks.map((c) => [
        markdown(`**${(0,sanitise/* escapeMarkdown */.FV)(c.name, 200)}**<br>${(0,sanitise/* codeSpan */.SS)(`${c.method} ${c.url}`, 500)}`),
        resultCell(c),
        c.attempts,
        ms(c.latency?.p50),
        ms(c.latency?.p95),
        ms(c.latency?.p99),
        c.reasons.length > 0 ? c.reasons.join('; ') : c.warnings.join('; '),
    ]);
    const checksTable = table(['Check', 'Result', 'Attempts', 'p50', 'p95', 'p99', 'Reason'], rows);
    const parts = [heading, checksTable];
    const thresholdRows = report.checks.flatMap((c) => c.thresholds.map((t) => [c.name, t.threshold, (0,src_thresholds/* formatMeasured */.U6)(t), t.passed ? '✅' : '❌']));
    for (const t of report.overall.thresholds)
        thresholdRows.push(['(all checks)', t.threshold, (0,src_thresholds/* formatMeasured */.U6)(t), t.passed ? '✅' : '❌']);
    if (thresholdRows.length > 0)
        parts.push(table(['Check', 'Threshold', 'Measured', ''], thresholdRows));
    const health = report.checks.filter((c) => c.health && (c.health.failing.length > 0 || c.health.warning.length > 0));
    if (health.length > 0) {
        const componentRows = health.flatMap((c) => [...(c.health?.failing ?? []), ...(c.health?.warning ?? [])].map((comp) => [c.name, comp.name, comp.status, comp.detail]));
        parts.push(table(['Check', 'Component', 'Status', 'Detail'], componentRows));
    }
    parts.push(`Finished in ${(report.durationMs / 1000).toFixed(1)}s (${report.mode} mode).`);
    return parts.join('\n\n');
}

;// CONCATENATED MODULE: ./actions/smoke-test/src/run.ts
// smoke-test: build the checks, run them until ready and through their latency samples, then report — outputs
// (set whether or not the step fails), job summary, annotations — and fail the step when anything failed.













function workspacePath(path) {
    return (0,external_node_path_.isAbsolute)(path) ? path : (0,external_node_path_.resolve)(process.env.GITHUB_WORKSPACE || process.cwd(), path);
}
function readFileFor(what, path) {
    try {
        return (0,external_node_fs_.readFileSync)(workspacePath(path), 'utf8');
    }
    catch (error) {
        throw new errors/* ShiplineError */.J0(`${what}: cannot read ${path} (${error.code ?? error.message})`);
    }
}
async function planChecks(inputs) {
    const file = inputs['checks-file'];
    if (!inputs.checks && !file)
        return (0,checks/* checksFromInputs */.Hd)(inputs);
    const { checksFromDocument, ChecksProblems } = await Promise.all(/* import() */[__webpack_require__.e(815), __webpack_require__.e(729)]).then(__webpack_require__.bind(__webpack_require__, 9729));
    const source = file ? { text: readFileFor("Input 'checks-file'", file), label: file, file } : { text: inputs.checks, label: "input 'checks'" };
    try {
        return checksFromDocument(source, inputs);
    }
    catch (error) {
        if (!(error instanceof ChecksProblems))
            throw error;
        const count = error.problems.length;
        throw new errors/* ShiplineError */.J0(`The checks in ${source.label} have ${count} problem${count === 1 ? '' : 's'}:\n- ${error.problems.join('\n- ')}`);
    }
}
/** `*.vercel.app` matches any host under vercel.app; anything else matches exactly. */
function hostMatches(host, pattern) {
    const h = host.toLowerCase();
    const p = pattern.toLowerCase();
    return p.startsWith('*.') ? h.endsWith(p.slice(1)) : h === p;
}
/** TLS per request: the CA files a check names, and verification off only where the user asked for it. */
function tlsResolver(insecureHosts) {
    const caFiles = new Map();
    const warned = new Set();
    return (check, url) => {
        const caFile = check.tls.caFile;
        if (caFile && !caFiles.has(caFile))
            caFiles.set(caFile, readFileFor(`CA file of check '${check.name}'`, caFile));
        const insecure = url.protocol === 'https:' && (check.tls.insecure || insecureHosts.some((p) => hostMatches(url.hostname, p)));
        if (insecure && !warned.has(url.hostname)) {
            warned.add(url.hostname);
            (0,runner/* warning */.$e)(`TLS certificate verification is off for ${url.hostname}, as asked (insecure-hosts or tls.insecure). Use it for preview deployments only.`);
        }
        return { insecure, ...(caFile ? { ca: caFiles.get(caFile) } : {}) };
    };
}
function overallOf(results, plan) {
    const measured = {
        durationsMs: results.flatMap((r) => r.durationsMs),
        failed: results.reduce((sum, r) => sum + (r.samples?.failed ?? 0), 0),
        total: results.reduce((sum, r) => sum + (r.samples?.taken ?? 0), 0),
    };
    return {
        samples: measured.total,
        ...(measured.total > 0 ? { latency: (0,src_thresholds/* latencyStats */.Ir)(measured) } : {}),
        thresholds: (0,src_thresholds/* evaluateThresholds */.S$)(plan.overallThresholds, measured),
    };
}
function annotate(report) {
    for (const check of report.checks) {
        const where = check.source ? { file: check.source.file, startLine: check.source.line, startColumn: check.source.column } : {};
        if (!check.passed)
            (0,runner/* error */.z3)(`${check.method} ${check.url}: ${check.reasons.join('; ')}`, { title: `smoke-test: ${check.name} failed`, ...where });
        else if (check.warnings.length > 0)
            (0,runner/* warning */.$e)(`${check.method} ${check.url}: ${check.warnings.join('; ')}`, { title: `smoke-test: ${check.name} degraded`, ...where });
    }
    for (const t of report.overall.thresholds.filter((x) => !x.passed))
        (0,runner/* error */.z3)(`Overall threshold ${t.threshold} not met: measured ${(0,src_thresholds/* formatMeasured */.U6)(t)}`, { title: 'smoke-test: overall latency' });
}
/**
 * Outputs carry the server's text (reasons quote bodies), and a server may echo a credential back; the runner
 * would drop such an output whole ("may contain secret"), so every registered secret is starred out first.
 */
function publish(report) {
    (0,runner/* setOutput */.uH)('passed', String(report.passed));
    (0,runner/* setOutput */.uH)('failed-checks', (0,sanitise/* scrub */._I)(report.checks
        .filter((c) => !c.passed)
        .map((c) => c.name)
        .join(',')));
    (0,runner/* setOutput */.uH)('status', report.status);
    (0,runner/* setOutput */.uH)('summary', (0,sanitise/* scrub */._I)(report.summary));
    (0,runner/* setOutput */.uH)('report', JSON.stringify(report, (_key, value) => (typeof value === 'string' ? (0,sanitise/* scrub */._I)(value) : value)));
    appendSummary(summaryMarkdown(report));
    annotate(report);
}
async function run(inputs) {
    const plan = await planChecks(inputs);
    for (const secret of plan.secrets)
        (0,runner/* setSecret */.Pq)(secret);
    // Deadlines are measured on the monotonic clock: the wall clock can step (NTP) while a run waits.
    const started = external_node_perf_hooks_.performance.now();
    const schedule = {
        deadlineAt: started + inputs.deadline,
        intervalMs: inputs.interval,
        maxIntervalMs: inputs['max-interval'],
        // A scheduled health check asks "is it up now?": a few tries ride out a blip, waiting minutes would not.
        maxAttempts: inputs['max-attempts'] || (inputs.mode === 'monitor' ? 3 : 0),
        concurrency: inputs.concurrency,
        sampleAll: plan.overallThresholds.length > 0,
    };
    (0,runner/* info */.pq)(`Running ${plan.checks.length} check${plan.checks.length === 1 ? '' : 's'} (${inputs.mode} mode, up to ${schedule.concurrency} at a time, deadline ${Math.round(inputs.deadline / 1000)}s${schedule.maxAttempts ? `, at most ${schedule.maxAttempts} attempt${schedule.maxAttempts === 1 ? '' : 's'} each` : ''}).`);
    const connections = new Connections();
    let results;
    try {
        results = await runChecks(plan.checks, schedule, { connections, tlsFor: tlsResolver(inputs['insecure-hosts']), now: () => external_node_perf_hooks_.performance.now(), sleep: sleep });
    }
    finally {
        connections.close();
    }
    const report = buildReport(results, overallOf(results, plan), inputs.mode, external_node_perf_hooks_.performance.now() - started);
    publish(report);
    if (!report.passed)
        throw new errors/* ShiplineError */.J0(report.summary);
    (0,runner/* info */.pq)(report.summary);
}


/***/ })

};
