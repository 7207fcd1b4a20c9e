export const id = 606;
export const ids = [606];
export const modules = {

/***/ 46217:
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

/***/ 17357:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  CD: () => (/* binding */ attempt),
  JT: () => (/* binding */ runChecks)
});

// UNUSED EXPORTS: backoff

// EXTERNAL MODULE: ./shared/concurrency.ts
var concurrency = __webpack_require__(88837);
// EXTERNAL MODULE: ./shared/runner.ts
var runner = __webpack_require__(52798);
// EXTERNAL MODULE: ./actions/smoke-test/src/expectations.ts
var expectations = __webpack_require__(78623);
// EXTERNAL MODULE: ./shared/sanitise.ts + 1 modules
var sanitise = __webpack_require__(71193);
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
/** The first message of the entry or of its `details`, `details.details`, … (a loop: the depth is the server's). */
function detailOf(entry) {
    for (let level = entry; isObject(level); level = level.details) {
        for (const key of ['output', 'error', 'message', 'reason', 'description']) {
            const value = level[key];
            if (typeof value === 'string' && value)
                return (0,sanitise/* excerpt */.Kb)(value, 201);
        }
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
            const id = typeof entry.componentId === 'string' && entry.componentId && !key.includes(entry.componentId)
                ? `${key} (${entry.componentId})`
                : key;
            list.push(component(id, entry));
        }
    }
    return list;
}
/** Spring `components: {db: {status, details}, diskSpace: …}`, nested groups flattened as `group.member`. */
function springComponents(components) {
    const list = [];
    const pending = [{ group: components, prefix: '' }];
    while (pending.length > 0) {
        const next = pending.pop();
        if ('entry' in next) {
            list.push(component(next.name, next.entry));
            continue;
        }
        if (!isObject(next.group))
            continue;
        const entries = Object.entries(next.group);
        for (let i = entries.length - 1; i >= 0; i--) {
            const [name, entry] = entries[i];
            if (!isObject(entry))
                continue;
            if (isObject(entry.components))
                pending.push({ group: entry.components, prefix: `${next.prefix}${name}.` });
            else if (entry.status !== undefined)
                pending.push({ name: `${next.prefix}${name}`, entry });
        }
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
    if (['ok', 'error', 'shutting_down'].includes(word) &&
        (isObject(body.info) || isObject(body.error) || isObject(body.details)))
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
    return components
        .map((c) => `${(0,sanitise/* inline */.mG)(c.name, 200)}: ${(0,sanitise/* inline */.mG)(c.status, 40)}${c.detail ? ` (${(0,sanitise/* inline */.mG)(c.detail, 201)})` : ''}`)
        .join('; ');
}
/** "health fail (status-checks, status 'degraded'): database: unhealthy (connection refused)". */
function describeHealth(verdict) {
    const named = [...verdict.failing, ...verdict.warning];
    return `health ${verdict.status} (${verdict.format}, status '${(0,sanitise/* inline */.mG)(verdict.reported, 40)}')${named.length > 0 ? `: ${describeComponents(named)}` : ''}`;
}

// EXTERNAL MODULE: ./shared/collections.ts
var collections = __webpack_require__(99243);
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
/**
 * Where a body assertion looked: the whole body, or its first MiB when the body was longer (probe.ts keeps that
 * much) — "not found" in a cut body says nothing about the rest, and the sentence must say so.
 */
function searched(outcome) {
    return outcome.bodyCut
        ? ` in the first ${expectations/* BODY_LIMIT */.Th / (1024 * 1024)} MiB (the body is ${outcome.bodyBytes} bytes; only that much is read, the rest was cut)`
        : '';
}
function bodyProblems(expect, body, contentType, json, where) {
    const problems = [];
    if (expect.json.length > 0) {
        if (!json?.ok)
            problems.push(`body is not JSON (content-type '${contentType || 'none'}'): ${(0,expectations/* bodyExcerpt */.kG)(body)}`);
        else
            for (const assertion of expect.json)
                (0,collections/* appendAll */.u2)(problems, (0,expectations/* checkJsonAssertion */.f0)(json.value, assertion));
    }
    for (const text of expect.contains)
        if (!body.includes(text))
            problems.push(`body does not contain ${JSON.stringify(text)}${where}; it starts: ${(0,expectations/* bodyExcerpt */.kG)(body, 120)}`);
    for (const pattern of expect.matches)
        if (!pattern.test(body))
            problems.push(`body does not match /${pattern.source}/${where}; it starts: ${(0,expectations/* bodyExcerpt */.kG)(body, 120)}`);
    return problems;
}
function evaluate(expect, outcome) {
    if (outcome.kind === 'failure')
        return { passed: false, reasons: [outcome.failure.message], warnings: [], durationMs: outcome.durationMs };
    const { status, body, contentType, durationMs } = outcome;
    const json = expect.health === 'auto' || expect.json.length > 0
        ? looksLikeJson(contentType, body)
            ? parseJson(body)
            : { ok: false }
        : undefined;
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
        (0,collections/* appendAll */.u2)(reasons, bodyProblems(expect, body, contentType, json, searched(outcome)));
    if (expect.maxLatencyMs !== undefined && durationMs > expect.maxLatencyMs)
        reasons.push(`took ${Math.round(durationMs)} ms, over max-latency ${expect.maxLatencyMs} ms`);
    return {
        passed: reasons.length === 0,
        reasons,
        warnings,
        httpStatus: status,
        ...(health ? { health } : {}),
        durationMs,
    };
}

// EXTERNAL MODULE: ./actions/smoke-test/src/probe.ts
var probe = __webpack_require__(19812);
// EXTERNAL MODULE: ./actions/smoke-test/src/thresholds.ts
var src_thresholds = __webpack_require__(4340);
;// CONCATENATED MODULE: ./actions/smoke-test/src/execute.ts
// Running checks: each one is retried until it is ready (or the deadline passes), then sampled back to back for
// its latency thresholds. Checks run in parallel up to the concurrency bound; the samples of one check run one
// after another on its kept-alive connection, so each measures the server, not a queue in this process.





function healthSummary(health) {
    return health
        ? { format: health.format, status: health.status, failing: health.failing, warning: health.warning }
        : undefined;
}
/** One request of a check, judged; its timeout cut to what is left before the deadline. Never throws. */
async function attempt(check, schedule, runtime) {
    const remaining = schedule.deadlineAt - runtime.now();
    const outcome = await (0,probe/* probe */.dy)({
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
        return {
            ready: false,
            attempts: 0,
            elapsedMs: 0,
            last: { passed: false, reasons: [reason], warnings: [], durationMs: 0, redirects: [] },
        };
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
        url: (0,probe/* displayUrl */.Qy)(check.url),
        method: check.method,
        attempts: readiness.attempts,
        ...(readiness.last.httpStatus !== undefined ? { httpStatus: readiness.last.httpStatus } : {}),
        ...(readiness.last.health ? { health: healthSummary(readiness.last.health) } : {}),
        redirects: readiness.last.redirects,
        ...(check.source ? { source: check.source } : {}),
        warnings: readiness.last.warnings,
    };
    if (!readiness.ready) {
        const why = readiness.attempts > 1
            ? `not ready after ${readiness.attempts} attempts in ${seconds(readiness.elapsedMs)}: `
            : '';
        const reasons = readiness.last.reasons.map((r, i) => (i === 0 ? `${why}${r}` : r));
        (0,runner/* info */.pq)(`❌ ${check.name}: ${reasons.join('; ')}`);
        return { ...base, passed: false, reason: reasons[0], reasons, thresholds: [], durationsMs: [] };
    }
    (0,runner/* info */.pq)(`✅ ${check.name}: ready${readiness.attempts > 1 ? ` after ${readiness.attempts} attempts (${seconds(readiness.elapsedMs)})` : ''}`);
    const wantsSamples = check.thresholds.length > 0 || schedule.sampleAll;
    if (!wantsSamples)
        return {
            ...base,
            passed: true,
            readyAfterMs: Math.round(readiness.elapsedMs),
            reasons: [],
            thresholds: [],
            durationsMs: [],
        };
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
        samples: {
            planned: check.samples,
            taken: sampling.taken,
            failed: sampling.failed,
            ...(sampling.firstFailure ? { firstFailure: sampling.firstFailure } : {}),
        },
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
    return (0,concurrency/* mapLimit */.s)(checks, schedule.concurrency, async (check, index) => {
        // mapLimit hands the first `concurrency` checks to its workers in order, one each.
        if (index > 0 && index < schedule.concurrency)
            await runtime.sleep(Math.min(index * STAGGER_MS, 500));
        return runCheck(check, schedule, runtime);
    });
}


/***/ }),

/***/ 19812:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Qy: () => (/* binding */ displayUrl),
/* harmony export */   UQ: () => (/* binding */ Connections),
/* harmony export */   dy: () => (/* binding */ probe)
/* harmony export */ });
/* harmony import */ var node_http__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(37067);
/* harmony import */ var node_http__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_http__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_https__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(44708);
/* harmony import */ var node_https__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_https__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_tls__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(41692);
/* harmony import */ var node_tls__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_tls__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var node_net__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(77030);
/* harmony import */ var node_net__WEBPACK_IMPORTED_MODULE_3___default = /*#__PURE__*/__webpack_require__.n(node_net__WEBPACK_IMPORTED_MODULE_3__);
/* harmony import */ var node_perf_hooks__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(643);
/* harmony import */ var node_perf_hooks__WEBPACK_IMPORTED_MODULE_4___default = /*#__PURE__*/__webpack_require__.n(node_perf_hooks__WEBPACK_IMPORTED_MODULE_4__);
/* harmony import */ var _shared_http_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(9096);
/* harmony import */ var _shared_proxy_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(97886);
/* harmony import */ var _shared_sanitise_js__WEBPACK_IMPORTED_MODULE_7__ = __webpack_require__(71193);
/* harmony import */ var _expectations_js__WEBPACK_IMPORTED_MODULE_8__ = __webpack_require__(78623);
// One HTTP exchange, measured from the moment the request is issued to the last byte of the final response, on
// keep-alive connections (node:http's Agent: it adds less latency per request than fetch, see the README's
// benchmark). Every way a request can fail becomes a Failure a person can act on: DNS, refused, reset, TLS (with
// the certificate's own details), timeout (with how far the exchange got), redirects that loop. The kind of a
// network failure and the rule for sending a request again come from shared/http.ts, as for every other call.
//
// Through a proxy (HTTPS_PROXY/HTTP_PROXY, NO_PROXY: shared/proxy.ts), https goes through a CONNECT tunnel and
// http as absolute-URI requests to the proxy. The clock then starts when the connection to the proxy is opened:
// the time to the proxy and the tunnel's setup are part of the measured duration, as they are part of what the
// runner waits for, and the outcome says the exchange went through a proxy.









const MAX_REDIRECTS = 10;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
class ProbeError extends Error {
    failure;
    constructor(failure) {
        super(failure.message);
        this.failure = failure;
    }
}
/**
 * Keep-alive https connections through a proxy: CONNECT host:port, then TLS to the target inside the tunnel. The
 * request passes `tunnelProgress` among its options; node:http hands them on to createConnection.
 */
class TunnelAgent extends node_https__WEBPACK_IMPORTED_MODULE_1__.Agent {
    proxy;
    constructor(proxy, options) {
        super(options);
        this.proxy = proxy;
    }
    createConnection(options, callback) {
        const progress = options.tunnelProgress;
        const host = String(options.host ?? '').replace(/^\[|\]$/g, '');
        progress?.onStart();
        (0,_shared_proxy_js__WEBPACK_IMPORTED_MODULE_6__/* .openTunnel */ .X)(this.proxy, host, Number(options.port || 443), {
            onProxyConnected: () => progress?.onPhase('opening the tunnel'),
        }).then((socket) => {
            progress?.onPhase('TLS handshake');
            const secure = (0,node_tls__WEBPACK_IMPORTED_MODULE_2__.connect)({
                ...options,
                socket,
                host,
                servername: options.servername || ((0,node_net__WEBPACK_IMPORTED_MODULE_3__.isIP)(host) ? undefined : host),
            });
            secure.once('secureConnect', () => progress?.onPhase('waiting for the response headers'));
            callback?.(null, secure);
        }, (error) => callback?.(error, undefined));
        return undefined;
    }
}
/** Keep-alive agents, one per protocol, TLS setting and proxy, shared by all checks and closed when the run ends. */
class Connections {
    env;
    agents = new Map();
    constructor(env = process.env) {
        this.env = env;
    }
    routeFor(url, tls) {
        const proxy = (0,_shared_proxy_js__WEBPACK_IMPORTED_MODULE_6__/* .proxyFor */ .iJ)(url, this.env);
        const key = `${url.protocol === 'https:' ? `https|${tls.insecure}|${tls.ca ?? ''}` : 'http'}|${proxy?.href ?? ''}`;
        let agent = this.agents.get(key);
        if (!agent) {
            const tlsOptions = {
                keepAlive: true,
                ca: tls.ca ? [...node_tls__WEBPACK_IMPORTED_MODULE_2__.rootCertificates, tls.ca] : undefined,
                rejectUnauthorized: !tls.insecure,
            };
            if (url.protocol === 'https:')
                agent = proxy ? new TunnelAgent(proxy, tlsOptions) : new node_https__WEBPACK_IMPORTED_MODULE_1__.Agent(tlsOptions);
            // Plain http through a proxy: keep-alive connections to the proxy itself, absolute URIs on them.
            else
                agent = new node_http__WEBPACK_IMPORTED_MODULE_0__.Agent({ keepAlive: true });
            this.agents.set(key, agent);
        }
        return { agent, proxy };
    }
    agentFor(url, tls) {
        return this.routeFor(url, tls).agent;
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
function hostPort(url) {
    return `${url.hostname}:${url.port || (url.protocol === 'https:' ? 443 : 80)}`;
}
function timeoutFailure(phase, timeoutMs, url, cutByDeadline = false, proxy) {
    const seconds = `${(timeoutMs / 1000).toFixed(1)}s${cutByDeadline ? ' (what was left of the deadline)' : ''}`;
    const whatHappened = {
        connecting: proxy
            ? `the connection to the proxy ${(0,_shared_proxy_js__WEBPACK_IMPORTED_MODULE_6__/* .describeProxy */ .GK)(proxy)} was not established (DNS lookup or TCP connect)`
            : `the connection to ${hostPort(url)} was not established (DNS lookup or TCP connect)`,
        'opening the tunnel': `the proxy ${proxy ? (0,_shared_proxy_js__WEBPACK_IMPORTED_MODULE_6__/* .describeProxy */ .GK)(proxy) : ''} did not open the tunnel to ${hostPort(url)} (CONNECT)`,
        'TLS handshake': `the TLS handshake with ${hostPort(url)} did not finish`,
        'waiting for the response headers': 'the server accepted the connection and the request but sent no response',
        'reading the body': 'the server sent the response headers but not the whole body',
    };
    return {
        kind: 'timeout',
        message: `timeout: no complete response within ${seconds}: ${whatHappened[phase]}`,
        hint: 'Raise input timeout if this endpoint is legitimately slow.',
    };
}
/**
 * A Failure from a Node socket or HTTP error: the kind from shared/http.ts's table, the words from how far the
 * exchange got. Before the tunnel is up, a refused or unresolvable address is the proxy's, and the message says so.
 */
function classifyError(error, phase, url, proxy) {
    const code = error.code ?? '';
    const kind = (0,_shared_http_js__WEBPACK_IMPORTED_MODULE_5__/* .networkFailureKind */ .pD)(code, error.message);
    const atProxy = proxy !== undefined && phase === 'connecting';
    switch (kind) {
        case 'dns':
            return atProxy
                ? {
                    kind,
                    message: `DNS: the proxy's host ${proxy.hostname} could not be resolved (${code})`,
                    hint: 'Check HTTPS_PROXY / HTTP_PROXY, or exempt this host with NO_PROXY.',
                }
                : {
                    kind,
                    message: `DNS: host ${url.hostname} could not be resolved (${code})`,
                    hint: 'Check the host name; a new deployment URL can take a moment to appear in DNS.',
                };
        case 'connection-refused':
            return atProxy
                ? {
                    kind,
                    message: `connection refused by the proxy ${(0,_shared_proxy_js__WEBPACK_IMPORTED_MODULE_6__/* .describeProxy */ .GK)(proxy)}: nothing is listening there (${code})`,
                    hint: 'Check HTTPS_PROXY / HTTP_PROXY, or exempt this host with NO_PROXY.',
                }
                : { kind, message: `connection refused by ${hostPort(url)}: nothing is listening there (${code})` };
        case 'connection-reset':
            return {
                kind,
                message: phase === 'reading the body'
                    ? `connection reset by the server while sending the body (${code || error.message})`
                    : `connection reset by the ${phase === 'opening the tunnel' ? 'proxy' : 'server'} before it answered (${code || error.message})`,
            };
        case 'timeout':
            return timeoutFailure(phase, 0, url, false, proxy);
        case 'tls':
            if ((0,_shared_http_js__WEBPACK_IMPORTED_MODULE_5__/* .plainHttpOnTlsPort */ .K0)(code, error.message))
                return { kind, message: `TLS: ${(0,_shared_http_js__WEBPACK_IMPORTED_MODULE_5__/* .plainHttpSentence */ .yt)(hostPort(url))} (${code})` };
            return {
                kind,
                message: `TLS: ${TLS_PROBLEMS[code] ?? error.message} (${code})`,
                hint: "Trust the CA that signed it with 'ca-file' (or tls.ca-file in the checks), or, for a preview deployment only, list the host in 'insecure-hosts'.",
            };
        case 'protocol':
            return { kind, message: `malformed HTTP response (${code}: ${error.message})` };
        case 'proxy':
            return {
                kind,
                message: error.message,
                hint: 'The proxy would not carry the request: ask its administrators to allow this host, or exempt it with NO_PROXY.',
            };
        case 'proxy-auth':
            // The sentence names the variable and the fix; it never quotes the credentials.
            return { kind, message: error.message };
        default:
            return { kind, message: `request failed: ${error.message}${code ? ` (${code})` : ''}` };
    }
}
/** The certificate a server presents, read on a separate connection that sends nothing (no header can leak). */
async function describePeerCertificate(url, timeoutMs, proxy) {
    const port = Number(url.port || 443);
    const host = url.hostname.replace(/^\[|\]$/g, '');
    // Through the same proxy as the request, when it went through one: the direct route may be closed.
    let tunnel;
    if (proxy) {
        let timer;
        const opening = (0,_shared_proxy_js__WEBPACK_IMPORTED_MODULE_6__/* .openTunnel */ .X)(proxy, host, port);
        tunnel = await Promise.race([
            opening,
            new Promise((resolve) => (timer = setTimeout(() => resolve(undefined), timeoutMs))),
        ]).catch(() => undefined);
        clearTimeout(timer);
        if (!tunnel) {
            opening.then((late) => late.destroy(), () => undefined);
            return undefined;
        }
    }
    return new Promise((resolve) => {
        const isIp = /^[\d.]+$|:/.test(url.hostname);
        const socket = (0,node_tls__WEBPACK_IMPORTED_MODULE_2__.connect)({
            host,
            port,
            socket: tunnel,
            servername: isIp ? undefined : url.hostname,
            rejectUnauthorized: false,
        });
        const done = (text) => {
            clearTimeout(timer);
            socket.destroy();
            tunnel?.destroy();
            resolve(text);
        };
        const timer = setTimeout(() => done(undefined), timeoutMs);
        socket.once('error', () => done(undefined));
        socket.once('secureConnect', () => {
            const cert = socket.getPeerCertificate();
            if (!cert || !cert.subject)
                return done(undefined);
            const name = (dn) => dn?.CN ? `CN=${String(dn.CN)}` : dn?.O ? `O=${String(dn.O)}` : '?';
            const names = cert.subjectaltname ? `, names ${cert.subjectaltname}` : '';
            // The certificate is the server's own text: shown on one line, like any outside text.
            done((0,_shared_sanitise_js__WEBPACK_IMPORTED_MODULE_7__/* .inline */ .mG)(`certificate ${name(cert.subject)} issued by ${name(cert.issuer)}, valid ${cert.valid_from} to ${cert.valid_to}${names}`, 1000));
        });
    });
}
/** The node:http request options: to the host itself, or, for plain http through a proxy, to the proxy with the absolute URI. */
function requestOptions(url, method, headers, route, progress) {
    if (!route.proxy)
        return { method, headers, agent: route.agent };
    const auth = (0,_shared_proxy_js__WEBPACK_IMPORTED_MODULE_6__/* .proxyAuthorization */ .YB)(route.proxy);
    if (url.protocol === 'https:')
        return { method, headers, agent: route.agent, tunnelProgress: progress };
    return {
        host: route.proxy.hostname.replace(/^\[|\]$/g, ''),
        port: Number(route.proxy.port || 80),
        path: url.href,
        method,
        headers: { host: url.host, ...headers, ...(auth ? { 'proxy-authorization': auth } : {}) },
        agent: route.agent,
    };
}
function exchange(url, method, headers, body, route, onRequest, state) {
    return new Promise((resolve, reject) => {
        const tunnelled = route.proxy !== undefined && url.protocol === 'https:';
        if (state.timeout)
            return reject(new ProbeError(state.timeout));
        state.phase = 'connecting';
        let settled = false;
        let socketWatched;
        const markBytes = () => {
            state.lastBytesAt = node_perf_hooks__WEBPACK_IMPORTED_MODULE_4__.performance.now();
        };
        const unwatch = () => socketWatched?.off('data', markBytes);
        const fail = (error, staleConnection = false) => {
            if (settled)
                return;
            settled = true;
            unwatch();
            if (state.timeout)
                return reject(new ProbeError(state.timeout));
            const failure = error instanceof ProbeError
                ? error.failure
                : classifyError(error, state.phase, url, route.proxy);
            // A kept-alive connection the server closed while idle: the request never reached it, so one fresh try is
            // not a retry of anything the server saw (shared/http.ts's rule for every request).
            reject(Object.assign(new ProbeError(failure), {
                staleConnection: staleConnection && failure.kind !== 'redirect' && (0,_shared_http_js__WEBPACK_IMPORTED_MODULE_5__/* .safeToResend */ .kM)(failure.kind, true),
            }));
        };
        const progress = {
            // A new tunnel: the clock starts as the connection to the proxy is opened (see the top of this file).
            onStart: () => {
                state.startedAt ??= node_perf_hooks__WEBPACK_IMPORTED_MODULE_4__.performance.now();
            },
            onPhase: (phase) => {
                if (!settled && state.phase !== 'reading the body')
                    state.phase = phase;
            },
        };
        const options = requestOptions(url, method, headers, route, progress);
        const onResponse = (res) => {
            state.phase = 'reading the body';
            const chunks = [];
            let kept = 0;
            let bytes = 0;
            res.on('data', (chunk) => {
                bytes += chunk.length;
                if (kept < _expectations_js__WEBPACK_IMPORTED_MODULE_8__/* .BODY_LIMIT */ .Th) {
                    chunks.push(chunk);
                    kept += chunk.length;
                }
            });
            res.on('end', () => {
                if (settled)
                    return;
                settled = true;
                unwatch();
                const response = {
                    status: res.statusCode ?? 0,
                    headers: res.headers,
                    body: Buffer.concat(chunks).toString('utf8'),
                    bodyBytes: bytes,
                    bodyCut: bytes > kept,
                };
                // Judging this response and sending the next request wait until the other sockets that are ready now have
                // been read: their arrival times are taken when they are read, and must not wait behind this work.
                setImmediate(() => resolve(response));
            });
            res.on('error', (error) => fail(error));
            res.on('close', () => fail(Object.assign(new Error('aborted'), { code: 'ECONNRESET' })));
        };
        const req = url.protocol === 'https:'
            ? (0,node_https__WEBPACK_IMPORTED_MODULE_1__.request)(url, options, onResponse)
            : route.proxy
                ? (0,node_http__WEBPACK_IMPORTED_MODULE_0__.request)(options, onResponse)
                : (0,node_http__WEBPACK_IMPORTED_MODULE_0__.request)(url, options, onResponse);
        req.on('socket', (socket) => {
            state.startedAt ??= node_perf_hooks__WEBPACK_IMPORTED_MODULE_4__.performance.now();
            socketWatched = socket;
            socket.prependListener('data', markBytes);
            const waiting = () => {
                state.phase = 'waiting for the response headers';
            };
            // A new tunnel reports its own phases (TunnelAgent); its socket arrives already connected.
            if (tunnelled && !req.reusedSocket)
                return;
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
        if (from.origin !== to.origin && (0,_expectations_js__WEBPACK_IMPORTED_MODULE_8__/* .isSecretHeader */ .io)(name))
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
    const redacted = (0,_shared_sanitise_js__WEBPACK_IMPORTED_MODULE_7__/* .redactUrl */ .BO)(url.href);
    try {
        return (0,_shared_sanitise_js__WEBPACK_IMPORTED_MODULE_7__/* .inline */ .mG)(decodeURI(redacted), 2000);
    }
    catch {
        return (0,_shared_sanitise_js__WEBPACK_IMPORTED_MODULE_7__/* .inline */ .mG)(redacted, 2000);
    }
}
/** Sends the request, following redirects when asked, and measures it; never throws. */
async function probe(request, connections) {
    const redirects = [];
    const calledAt = node_perf_hooks__WEBPACK_IMPORTED_MODULE_4__.performance.now();
    let current;
    const state = { phase: 'connecting' };
    const since = () => state.startedAt ?? calledAt;
    let url = request.url;
    let proxy;
    const via = () => (proxy ? `proxy ${(0,_shared_proxy_js__WEBPACK_IMPORTED_MODULE_6__/* .describeProxy */ .GK)(proxy)}` : undefined);
    const timer = setTimeout(() => {
        state.timeout = timeoutFailure(state.phase, request.timeoutMs, url, request.cutByDeadline, proxy);
        current?.destroy();
    }, request.timeoutMs);
    let method = request.method;
    let headers = { 'user-agent': 'shipline-smoke-test', ...request.headers };
    let body = request.body;
    try {
        for (let hop = 0;; hop++) {
            const tls = request.tlsFor(url);
            const route = connections.routeFor(url, tls);
            proxy = route.proxy;
            const send = () => exchange(url, method, headers, body, route, (req) => (current = req), state);
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
                    ...(response.bodyCut ? { bodyCut: true } : {}),
                    durationMs: (state.lastBytesAt ?? node_perf_hooks__WEBPACK_IMPORTED_MODULE_4__.performance.now()) - since(),
                    redirects,
                    finalUrl: displayUrl(url),
                    ...(proxy ? { via: via() } : {}),
                };
            }
            const next = new URL(location, url);
            redirects.push(`${response.status} → ${displayUrl(next)}`);
            if (next.protocol !== 'http:' && next.protocol !== 'https:')
                throw new ProbeError({ kind: 'redirect', message: `redirected to a non-HTTP URL (${next.protocol})` });
            if (hop + 1 >= MAX_REDIRECTS)
                throw new ProbeError({
                    kind: 'redirect',
                    message: `more than ${MAX_REDIRECTS} redirects (a loop?): ${redirects.slice(0, 4).join(', ')}${redirects.length > 4 ? ', …' : ''}`,
                });
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
        const failure = error instanceof ProbeError
            ? error.failure
            : classifyError(error, state.phase, url, proxy);
        if (failure.kind === 'tls') {
            const certificate = await describePeerCertificate(url, Math.min(2000, request.timeoutMs), proxy);
            if (certificate)
                failure.message = `${failure.message}; ${certificate}`;
        }
        if (proxy)
            failure.message = `${failure.message} [through ${via()}]`;
        return {
            kind: 'failure',
            failure,
            durationMs: node_perf_hooks__WEBPACK_IMPORTED_MODULE_4__.performance.now() - since(),
            redirects,
            ...(proxy ? { via: via() } : {}),
        };
    }
    finally {
        clearTimeout(timer);
    }
}


/***/ }),

/***/ 61773:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   $_: () => (/* binding */ compareWithBaseline),
/* harmony export */   Bv: () => (/* binding */ baselineOf),
/* harmony export */   FT: () => (/* binding */ describeBaseline),
/* harmony export */   Z_: () => (/* binding */ describeRegression),
/* harmony export */   nB: () => (/* binding */ allowance),
/* harmony export */   nk: () => (/* binding */ parseBaseline)
/* harmony export */ });
/* unused harmony export readBaseline */
/* harmony import */ var zod_mini__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(94343);
/* harmony import */ var zod_mini__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(73305);
/* harmony import */ var zod_mini__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(23945);
// The latency regression gate, pure part: the baseline a passing run leaves for the next one (per check:
// p50/p90/p95/p99), and the comparison of a run with it. The rules are parsed in regression-rule.ts; saving and
// restoring the baseline (the Actions cache) is in baseline-cache.ts, loaded only when the gate is used.

/** The baseline of this run: every check that has latency samples. */
function baselineOf(checks, run) {
    const entries = checks.flatMap((c) => c.latency && c.latency.count > 0
        ? [
            [
                c.name,
                {
                    samples: c.latency.count,
                    p50: c.latency.p50,
                    p90: c.latency.p90,
                    p95: c.latency.p95,
                    p99: c.latency.p99,
                },
            ],
        ]
        : []);
    return { format: 1, ...run, checks: Object.fromEntries(entries) };
}
/**
 * The ranges a baseline's figures must keep. No request of a smoke test takes longer than its timeout (at most
 * 10 minutes), and a check takes at most 10,000 samples (inputs.ts): a figure outside them was not measured, and
 * would move the gate's limit anywhere (a p95 of 1e12 ms lets every release pass).
 */
const BASELINE_RANGES = {
    maxLatencyMs: 600_000,
    maxSamples: 10_000,
    maxChecks: 1_000,
    earliestSavedAt: Date.UTC(2020, 0, 1),
    futureSlackMs: 24 * 3_600_000,
};
const latency = zod_mini__WEBPACK_IMPORTED_MODULE_0__/* .number */ .aig('not a number of milliseconds')
    .check(zod_mini__WEBPACK_IMPORTED_MODULE_1__/* ._gte */ .qm(0, 'below 0 ms'), zod_mini__WEBPACK_IMPORTED_MODULE_1__/* ._lte */ .Zm(BASELINE_RANGES.maxLatencyMs, `above ${BASELINE_RANGES.maxLatencyMs} ms (10 minutes)`));
const line = (max) => zod_mini__WEBPACK_IMPORTED_MODULE_0__/* .string */ .YjP('not a string')
    .check(zod_mini__WEBPACK_IMPORTED_MODULE_1__/* ._maxLength */ .Eb(max, `longer than ${max} characters`), zod_mini__WEBPACK_IMPORTED_MODULE_1__/* ._regex */ .Fk(/^[^\p{Cc}]*$/u, 'holds control characters'));
const figures = zod_mini__WEBPACK_IMPORTED_MODULE_0__/* .strictObject */ .rej({
    samples: zod_mini__WEBPACK_IMPORTED_MODULE_0__/* .int */ .Whr('not a whole number')
        .check(zod_mini__WEBPACK_IMPORTED_MODULE_1__/* ._gte */ .qm(1, 'below 1'), zod_mini__WEBPACK_IMPORTED_MODULE_1__/* ._lte */ .Zm(BASELINE_RANGES.maxSamples, `above ${BASELINE_RANGES.maxSamples}`)),
    p50: latency,
    p90: latency,
    p95: latency,
    p99: latency,
}, 'not an object of samples, p50, p90, p95 and p99 alone')
    .check(zod_mini__WEBPACK_IMPORTED_MODULE_0__/* .refine */ .YPB((f) => f.p50 <= f.p90 && f.p90 <= f.p95 && f.p95 <= f.p99, 'percentiles out of order (p50 ≤ p90 ≤ p95 ≤ p99)'));
const baselineSchema = zod_mini__WEBPACK_IMPORTED_MODULE_0__/* .strictObject */ .rej({
    format: zod_mini__WEBPACK_IMPORTED_MODULE_0__/* .literal */ .euz(1, 'not format 1'),
    key: zod_mini__WEBPACK_IMPORTED_MODULE_0__/* .string */ .YjP('not a string'),
    sha: zod_mini__WEBPACK_IMPORTED_MODULE_0__/* .string */ .YjP('not a string').check(zod_mini__WEBPACK_IMPORTED_MODULE_1__/* ._regex */ .Fk(/^([0-9a-f]{40}|[0-9a-f]{64})?$/, 'not a commit SHA')),
    ref: line(500),
    runId: zod_mini__WEBPACK_IMPORTED_MODULE_0__/* .string */ .YjP('not a string').check(zod_mini__WEBPACK_IMPORTED_MODULE_1__/* ._regex */ .Fk(/^\d{0,20}$/, 'not a run id')),
    runAttempt: zod_mini__WEBPACK_IMPORTED_MODULE_0__/* .string */ .YjP('not a string').check(zod_mini__WEBPACK_IMPORTED_MODULE_1__/* ._regex */ .Fk(/^\d{0,10}$/, 'not a run attempt')),
    savedAt: zod_mini__WEBPACK_IMPORTED_MODULE_0__/* .string */ .YjP('not a string').check(zod_mini__WEBPACK_IMPORTED_MODULE_1__/* ._regex */ .Fk(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/, 'not an ISO 8601 UTC time'), zod_mini__WEBPACK_IMPORTED_MODULE_0__/* .refine */ .YPB((t) => {
        const at = Date.parse(t);
        return at >= BASELINE_RANGES.earliestSavedAt && at <= Date.now() + BASELINE_RANGES.futureSlackMs;
    }, 'not a time between 2020 and now')),
    checks: zod_mini__WEBPACK_IMPORTED_MODULE_0__/* .record */ .g1P(line(2_000), figures, 'not an object of checks')
        .check(zod_mini__WEBPACK_IMPORTED_MODULE_0__/* .refine */ .YPB((c) => Object.keys(c).length <= BASELINE_RANGES.maxChecks, `more than ${BASELINE_RANGES.maxChecks} checks`)),
}, "not an object of the baseline's fields alone");
/** `checks["/api/health"].p95`: where in the file a problem is. */
function pathOf(path) {
    return path
        .map((p, i) => typeof p === 'string' && /^[A-Za-z_]\w*$/.test(p)
        ? `${i ? '.' : ''}${p}`
        : `[${typeof p === 'symbol' ? p.toString() : JSON.stringify(p)}]`)
        .join('');
}
/**
 * A restored file read back as a baseline, or why it is refused. The cache holds what any run with a
 * cache-writing token saved: nothing in it is trusted to have a shape, and one figure out of range refuses the
 * whole file (dropping just that check would let its route pass unjudged).
 */
function parseBaseline(text, key) {
    let value;
    try {
        value = JSON.parse(text);
    }
    catch {
        return { refused: 'it is not JSON' };
    }
    const parsed = zod_mini__WEBPACK_IMPORTED_MODULE_2__/* .safeParse */ .xL(baselineSchema, value);
    if (!parsed.success) {
        const issues = parsed.error.issues
            .slice(0, 3)
            .map((i) => `${i.path.length ? pathOf(i.path) : 'the file'}: ${i.message}`.slice(0, 200));
        return {
            refused: `it does not have a baseline's form or ranges (${issues.join('; ')}${parsed.error.issues.length > 3 ? '; …' : ''})`,
        };
    }
    if (parsed.data.key !== key)
        return { refused: 'it belongs to another regression key' };
    return { baseline: { ...parsed.data, key } };
}
/** parseBaseline's baseline, or undefined when it is refused. */
function readBaseline(text, key) {
    const parsed = parseBaseline(text, key);
    return 'baseline' in parsed ? parsed.baseline : undefined;
}
const round2 = (n) => Math.round(n * 100) / 100;
function compareOne(rule, check, baseline) {
    const base = {
        check: check.name,
        rule: rule.source,
        figure: `p(${rule.percentile})`,
        comparison: rule.comparison,
        factor: rule.factor,
        slackMs: rule.slackMs,
    };
    const before = baseline.checks[check.name];
    const key = `p${rule.percentile}`;
    const measured = check.latency && check.latency.count > 0 ? check.latency[key] : undefined;
    if (before === undefined)
        return { ...base, ...(measured !== undefined ? { measured } : {}), verdict: 'no baseline' };
    const limit = round2(before[key] * rule.factor + rule.slackMs);
    if (measured === undefined)
        return { ...base, baseline: before[key], limit, verdict: 'no samples' };
    const within = rule.comparison === '<' ? measured < limit : measured <= limit;
    const ratio = before[key] > 0 ? round2(measured / before[key]) : undefined;
    return {
        ...base,
        measured,
        baseline: before[key],
        limit,
        ...(ratio !== undefined ? { ratio } : {}),
        verdict: within ? 'passed' : 'failed',
    };
}
/**
 * Every rule for every check of this run, against the baseline. A check the baseline does not know (new since the
 * last release) passes, marked "no baseline"; a check without samples this run (it failed before them) is marked
 * "no samples" and left to its own failure.
 */
function compareWithBaseline(rules, checks, baseline) {
    const comparisons = checks.flatMap((check) => rules.map((rule) => compareOne(rule, check, baseline)));
    const { checks: _, ...about } = baseline;
    return { status: 'compared', passed: comparisons.every((c) => c.verdict !== 'failed'), baseline: about, comparisons };
}
/** "p(95) 412.5 ms vs the baseline's 210 ms (1.96×; allowed < 1.3× = 273 ms)": both figures, for reasons and the error. */
function describeRegression(c) {
    const ratio = c.ratio !== undefined ? `${c.ratio}×; ` : '';
    return `latency regression: ${c.figure} ${c.measured} ms vs the baseline's ${c.baseline} ms (${ratio}allowed ${allowance(c)})`;
}
/** `< 1.3× + 20 ms = 293 ms`: the rule with its limit worked out. */
function allowance(c) {
    return `${c.comparison} ${c.factor}×${c.slackMs > 0 ? ` + ${c.slackMs} ms` : ''}${c.limit !== undefined ? ` = ${c.limit} ms` : ''}`;
}
/** The short name of a baseline's release, for the summary: `abc1234 (run 998, 2026-11-29)`. */
function describeBaseline(b) {
    const parts = [
        b.runId ? `run ${b.runId}${b.runAttempt && b.runAttempt !== '1' ? ` attempt ${b.runAttempt}` : ''}` : '',
        b.savedAt ? b.savedAt.slice(0, 16).replace('T', ' ') + ' UTC' : '',
    ].filter(Boolean);
    return `${b.sha ? b.sha.slice(0, 7) : 'unknown release'}${parts.length ? ` (${parts.join(', ')})` : ''}`;
}


/***/ }),

/***/ 72606:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  run: () => (/* binding */ run)
});

// UNUSED EXPORTS: hostMatches

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(73024);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(76760);
// EXTERNAL MODULE: external "node:perf_hooks"
var external_node_perf_hooks_ = __webpack_require__(643);
// EXTERNAL MODULE: ./shared/errors.ts
var errors = __webpack_require__(32635);
// EXTERNAL MODULE: ./shared/http.ts
var http = __webpack_require__(9096);
// EXTERNAL MODULE: ./shared/run-context.ts + 23 modules
var run_context = __webpack_require__(4743);
// EXTERNAL MODULE: ./shared/runner.ts
var runner = __webpack_require__(52798);
// EXTERNAL MODULE: ./shared/sanitise.ts + 1 modules
var sanitise = __webpack_require__(71193);
// EXTERNAL MODULE: ./shared/summary.ts
var summary = __webpack_require__(96566);
// EXTERNAL MODULE: ./shared/workspace.ts
var workspace = __webpack_require__(74107);
// EXTERNAL MODULE: ./actions/smoke-test/src/checks.ts
var checks = __webpack_require__(46217);
// EXTERNAL MODULE: ./actions/smoke-test/src/execute.ts + 2 modules
var execute = __webpack_require__(17357);
// EXTERNAL MODULE: ./actions/smoke-test/src/probe.ts
var probe = __webpack_require__(19812);
// EXTERNAL MODULE: ./actions/smoke-test/src/regression.ts
var src_regression = __webpack_require__(61773);
// EXTERNAL MODULE: ./actions/smoke-test/src/thresholds.ts
var thresholds = __webpack_require__(4340);
;// CONCATENATED MODULE: ./actions/smoke-test/src/report.ts
// What a run tells people and the next steps: the `report` JSON, the job summary table, annotations, and the
// one-line `summary` with a `status` that notify's `status` input accepts (for scheduled health checks).




const ms = (value) => (value === undefined || Number.isNaN(value) ? undefined : `${value} ms`);
/** "3 of 4 checks passed; failed: /api/health (health fail …)" in one line, short enough for a Slack header. */
function oneLine(checks, overall, mode, regressions = []) {
    const failed = checks.filter((c) => !c.passed);
    const overallFailed = overall.filter((t) => !t.passed);
    const label = mode === 'monitor' ? 'Health check' : 'Smoke test';
    const overallText = overallFailed.map((t) => `${t.threshold} (measured ${(0,thresholds/* formatMeasured */.U6)(t)})`).join(', ');
    // Both figures of every regression, in the line the step fails with.
    const regressionText = regressions
        .map((r) => `${r.check} ${(0,src_regression/* describeRegression */.Z_)(r).replace(/^latency regression: /, '')}`)
        .join('; ');
    const regressionPart = regressions.length > 0 ? `latency regressed against the last good release: ${regressionText}` : '';
    if (failed.length === 0) {
        const buts = [
            ...(overallFailed.length > 0 ? [`overall ${overallText} not met`] : []),
            ...(regressionPart ? [regressionPart] : []),
        ];
        return buts.length === 0
            ? `${label}: all ${checks.length} checks passed`
            : `${label}: all ${checks.length} checks passed, but ${buts.join('; and ')}`;
    }
    const parts = failed.map((c) => `${c.name} (${(0,sanitise/* excerpt */.Kb)(c.reason ?? 'failed', 101)})`);
    if (overallFailed.length > 0)
        parts.push(`overall ${overallText} not met`);
    if (regressionPart)
        parts.push(regressionPart);
    return `${label}: ${failed.length} of ${checks.length} checks failed: ${parts.join('; ')}`;
}
function failedRegressions(regression) {
    return regression?.status === 'compared' ? regression.comparisons.filter((c) => c.verdict === 'failed') : [];
}
function buildReport(checks, overall, mode, durationMs, regression) {
    const passed = checks.every((c) => c.passed) && overall.thresholds.every((t) => t.passed) && (regression?.passed ?? true);
    return {
        passed,
        status: passed ? 'succeeded' : 'failed',
        mode,
        summary: oneLine(checks, overall.thresholds, mode, failedRegressions(regression)),
        durationMs: Math.round(durationMs),
        checks: checks.map(({ durationsMs: _, ...rest }) => rest),
        overall,
        ...(regression ? { regression } : {}),
    };
}
const VERDICT = {
    passed: `${summary/* MARK */.M$.passed} within`,
    failed: `${summary/* MARK */.M$.failed} regressed`,
    'no baseline': `${summary/* MARK */.M$.none} new check (no baseline)`,
    'no samples': `${summary/* MARK */.M$.none} no samples this run`,
};
/** The gate's section of the summary: both figures, the factor and the verdict per check, or why nothing was compared. */
function regressionMarkdown(regression) {
    const parts = [];
    if (regression.status === 'compared') {
        parts.push(`**Latency vs the last good release** (key ${(0,sanitise/* codeSpan */.SS)(regression.key, 120)}, baseline ${(0,sanitise/* escapeMarkdown */.FV)((0,src_regression/* describeBaseline */.FT)(regression.baseline), 200)})`);
        const rows = regression.comparisons.map((c) => [
            c.check,
            c.figure,
            ms(c.baseline),
            ms(c.measured),
            c.ratio !== undefined ? `${c.ratio}×` : undefined,
            (0,src_regression/* allowance */.nB)(c),
            VERDICT[c.verdict],
        ]);
        parts.push((0,summary/* table */.tp)(['Check', 'Percentile', 'Baseline', 'This run', 'Ratio', 'Allowed', 'Verdict'], rows));
    }
    else {
        parts.push(`**Latency vs the last good release** (key ${(0,sanitise/* codeSpan */.SS)(regression.key, 120)}): ${regression.status === 'skipped' ? `${summary/* MARK */.M$.warning} gate skipped` : `${summary/* MARK */.M$.none} nothing to compare with`}: ${(0,sanitise/* escapeMarkdown */.FV)(regression.note, 1000)}`);
    }
    if (regression.saved) {
        const saved = regression.saved;
        parts.push(saved.saved
            ? `This run's figures are the new baseline (cache key ${(0,sanitise/* codeSpan */.SS)(saved.cacheKey ?? '', 300)}).`
            : `This run's figures were not saved as a baseline: ${(0,sanitise/* escapeMarkdown */.FV)(saved.note ?? '', 500)}`);
    }
    return parts.join('\n\n');
}
function resultCell(check) {
    if (!check.passed)
        return `${summary/* MARK */.M$.failed} failed`;
    return check.warnings.length > 0 ? `${summary/* MARK */.M$.warning} passed (degraded)` : `${summary/* MARK */.M$.passed} passed`;
}
/**
 * The job summary. Reasons, health components and the one-line summary carry the server's own text: every value
 * is escaped (table() escapes plain cells; the heading and the check column are composed here from escaped parts).
 */
function summaryMarkdown(report) {
    const heading = `### ${report.passed ? summary/* MARK */.M$.passed : summary/* MARK */.M$.failed} ${(0,sanitise/* escapeMarkdown */.FV)(report.summary, 2000).replace(/<br>/g, ' ')}`;
    const rows = report.checks.map((c) => [
        (0,summary/* markdown */.wD)(`**${(0,sanitise/* escapeMarkdown */.FV)(c.name, 200)}**<br>${(0,sanitise/* codeSpan */.SS)(`${c.method} ${c.url}`, 500)}`),
        resultCell(c),
        c.attempts,
        ms(c.latency?.p50),
        ms(c.latency?.p95),
        ms(c.latency?.p99),
        c.reasons.length > 0 ? c.reasons.join('; ') : c.warnings.join('; '),
    ]);
    const checksTable = (0,summary/* table */.tp)(['Check', 'Result', 'Attempts', 'p50', 'p95', 'p99', 'Reason'], rows);
    const parts = [heading, checksTable];
    const thresholdRows = (0,thresholds/* thresholdTableRows */.Ji)(report.checks, report.overall.thresholds);
    if (thresholdRows.length > 0)
        parts.push((0,summary/* table */.tp)(['Check', 'Threshold', 'Measured', 'Result'], thresholdRows));
    const health = report.checks.filter((c) => c.health && (c.health.failing.length > 0 || c.health.warning.length > 0));
    if (health.length > 0) {
        const componentRows = health.flatMap((c) => [...(c.health?.failing ?? []), ...(c.health?.warning ?? [])].map((comp) => [
            c.name,
            comp.name,
            comp.status,
            comp.detail,
        ]));
        parts.push((0,summary/* table */.tp)(['Check', 'Component', 'Status', 'Detail'], componentRows));
    }
    if (report.regression)
        parts.push(regressionMarkdown(report.regression));
    parts.push(`Finished in ${(report.durationMs / 1000).toFixed(1)}s (${report.mode} mode).`);
    return parts.join('\n\n');
}

// EXTERNAL MODULE: ./actions/smoke-test/src/result.ts
var result = __webpack_require__(9145);
// EXTERNAL MODULE: ./shared/metric-gates.ts
var metric_gates = __webpack_require__(12757);
;// CONCATENATED MODULE: ./shared/prometheus.ts
// One instant query against a Prometheus-compatible HTTP API (Prometheus, Grafana Cloud / Mimir, VictoriaMetrics,
// Amazon Managed Prometheus through a signing proxy): POST <base>/api/v1/query with the expression form-encoded,
// as the HTTP API documents (https://prometheus.io/docs/prometheus/latest/querying/api/#instant-queries: POST with
// Content-Type application/x-www-form-urlencoded takes the same parameters and suits long queries). A gate reads
// one number, so anything but one number is no reading: the answer says why, in words the reader acts on.



const PROVIDER = 'Prometheus';
/** Why a query had no single number, for the gate's "inconclusive". Thrown by instantQuery. */
class NoReading extends Error {
}
/** A series' labels as PromQL writes them: {code="500", job="api"}. */
function labelsOf(metric) {
    const entries = Object.entries(metric ?? {});
    return `{${entries.map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(', ')}}`;
}
/** Prometheus writes sample values as strings: "0.2", "NaN", "+Inf", "-Inf". */
function sampleValue(text) {
    if (text === '+Inf' || text === 'Inf')
        return Number.POSITIVE_INFINITY;
    if (text === '-Inf')
        return Number.NEGATIVE_INFINITY;
    return typeof text === 'string' && text.trim() !== '' ? Number(text) : Number.NaN;
}
function reasonOf(body, status) {
    const envelope = body;
    if (envelope?.status === 'error')
        return `${(0,sanitise/* inline */.mG)(envelope.errorType ?? 'error', 60)}: ${(0,sanitise/* inline */.mG)(envelope.error ?? '(no error text)', 500)}`;
    if (status >= 300)
        return `HTTP ${status}`;
    return undefined;
}
/**
 * The expression's value now: the one sample of a one-series instant vector, or a scalar. Throws NoReading for an
 * empty vector, several series (named), NaN, another result type; a ProviderError for the API's own error (its
 * errorType and error, verbatim); a NetworkError when no answer came.
 */
async function instantQuery(config, expression, signal) {
    const { data } = await (0,http/* requestJson */.SS)(`${config.url.replace(/\/+$/, '')}/api/v1/query`, {
        label: 'Prometheus query',
        method: 'POST',
        headers: { ...config.headers, accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ query: expression }).toString(),
        // A query changes nothing: it may be sent again. Each tick asks once; the next tick is the retry.
        idempotent: true,
        retry: { retries: 0 },
        timeoutMs: config.timeoutMs,
        signal,
        ...(config.fetch ? { fetch: config.fetch } : {}),
    }, {
        provider: PROVIDER,
        action: 'query',
        errorMessage: (body, status) => reasonOf(body, status),
        // A proxy's error page (not JSON) is still the reason: requestJson quotes it under its status.
        emptyIsObject: false,
    });
    if (data?.status !== 'success' || typeof data.data !== 'object' || data.data === null)
        throw new errors/* ProviderError */.mZ(PROVIDER, `malformed answer to query (no status "success" with data)`, { action: 'query' });
    const { resultType, result } = data.data;
    if (resultType === 'scalar') {
        const value = sampleValue(result?.[1]);
        if (Number.isNaN(value))
            throw new NoReading('the query returned NaN');
        return value;
    }
    if (resultType !== 'vector')
        throw new NoReading(`the query returned a ${(0,sanitise/* inline */.mG)(resultType, 20)}, not one number (an instant vector of one series, or a scalar)`);
    const samples = Array.isArray(result) ? result : [];
    if (samples.length === 0)
        throw new NoReading('no data: the query returned an empty result (no series match it: a metric or label name misspelt, or nothing exported yet)');
    if (samples.length > 1) {
        const shown = samples.slice(0, 3).map((s) => labelsOf(s.metric));
        throw new NoReading(`the query returned ${samples.length} series, not one: ${shown.join(', ')}${samples.length > 3 ? ', …' : ''} (aggregate them, e.g. with sum(…))`);
    }
    const value = sampleValue(samples[0].value?.[1]);
    if (Number.isNaN(value))
        throw new NoReading(`the query returned NaN for ${labelsOf(samples[0].metric)} (0/0: no traffic in the range, say)`);
    return value;
}

// EXTERNAL MODULE: ./shared/aws.ts
var aws = __webpack_require__(51787);
// EXTERNAL MODULE: ./shared/sentry-inputs.ts
var sentry_inputs = __webpack_require__(39413);
// EXTERNAL MODULE: ./shared/collections.ts
var collections = __webpack_require__(99243);
;// CONCATENATED MODULE: ./shared/sentry.ts




/**
 * The fields read, as the sessions API names them (docs.sentry.io/api/releases/retrieve-release-health-session-statistics/,
 * and the OpenAPI description in getsentry/sentry-api-schema: operation getOrganizationSessions).
 */
const HEALTH_FIELDS = [
    'sum(session)',
    'count_unique(user)',
    'crash_free_rate(session)',
    'crash_free_rate(user)',
];
const sentry_PROVIDER = 'Sentry';
/** Pages of issues read at most (100 each): a gate needs to know "more than the threshold", not every issue. */
const MAX_PAGES = 10;
/** Sentry's reason from an error answer: `{"detail": "…"}`, or field errors `{"version": ["…"]}`. */
function sentryReason(body, status, text) {
    if (status < 300)
        return undefined;
    if (body && typeof body === 'object' && !Array.isArray(body)) {
        const b = body;
        if (typeof b.detail === 'string')
            return b.detail;
        const fields = Object.entries(b)
            .map(([key, value]) => `${key}: ${Array.isArray(value) ? value.join(' ') : typeof value === 'string' ? value : JSON.stringify(value)}`)
            .join('; ');
        if (fields)
            return fields;
    }
    return (0,sanitise/* excerpt */.Kb)(text, 200) || `HTTP ${status}`;
}
function sentryHint(status, action) {
    if (status === 401)
        return 'Check sentry-token: a Sentry auth token (an internal integration or personal token) that is still valid.';
    if (status === 403 && action === SESSIONS_ACTION)
        return 'The Sentry token lacks a scope: org:read to read release health (the sessions API).';
    if (status === 403)
        return 'The Sentry token lacks a scope: project:releases to create releases and deploys, event:read to read issues.';
    if (status === 404)
        return 'Check sentry-org, sentry-project and sentry-url: Sentry knows no such organization, project or release there.';
    return undefined;
}
/** The `rel="next"` cursor of a Sentry Link header when that page has results; undefined at the end. */
function nextCursor(link) {
    if (!link)
        return undefined;
    for (const part of link.split(/,(?=\s*<)/)) {
        const params = new Map();
        for (const m of part.matchAll(/;\s*([a-z]+)="([^"]*)"/g))
            params.set(m[1], m[2]);
        if (params.get('rel') === 'next')
            return params.get('results') === 'true' ? params.get('cursor') : undefined;
    }
    return undefined;
}
const SESSIONS_ACTION = 'read sessions';
/**
 * How long Sentry asked not to be called again, from an answer's rate-limit headers
 * (https://docs.sentry.io/api/ratelimits/): a 429's Retry-After, else X-Sentry-Rate-Limit-Reset (UTC epoch seconds,
 * read against the answer's own Date) when the 429 has none or X-Sentry-Rate-Limit-Remaining says none is left.
 * Undefined when Sentry set no limit.
 */
function rateLimitWait(response, answeredAtMs) {
    const reset = Number(response.headers.get('x-sentry-rate-limit-reset') ?? Number.NaN);
    const untilReset = Number.isFinite(reset) ? Math.max(0, reset * 1000 - answeredAtMs) : undefined;
    if (response.status === 429)
        return (0,http/* parseRetryAfter */.mu)(response.headers.get('retry-after'), answeredAtMs) ?? untilReset ?? 0;
    return response.headers.get('x-sentry-rate-limit-remaining')?.trim() === '0' ? untilReset : undefined;
}
/** A value for Sentry's search syntax: quoted, with `"` and `\` escaped. */
const searchValue = (value) => `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
/** The search for "issues this release brought to this environment since then", in Sentry's syntax. */
function newIssuesQuery(release, environment, since) {
    return [
        'is:unresolved',
        `firstRelease:${searchValue(release)}`,
        `environment:${searchValue(environment)}`,
        `firstSeen:>=${since.toISOString()}`,
    ].join(' ');
}
/**
 * Percent-encoding as sentry-cli does it (src/api/encoding.rs): controls, non-ASCII bytes and the given characters.
 * Its query set leaves `&` and `%` as they are, which would cut or garble a value holding them; ours adds both.
 */
function percentEncode(value, set) {
    let out = '';
    for (const byte of Buffer.from(value, 'utf8')) {
        const char = String.fromCharCode(byte);
        out +=
            byte < 0x20 || byte >= 0x7f || set.includes(char) ? `%${byte.toString(16).toUpperCase().padStart(2, '0')}` : char;
    }
    return out;
}
const QUERY_SET = ' "#<>+&%';
/** A query value (QueryArg). */
const q = (value) => percentEncode(value, QUERY_SET);
/** A path segment (PathArg): the query set and `` ` ? { } / ``. */
const seg = (value) => percentEncode(value, `${QUERY_SET}\`?{}/`);
/** The Sentry API, for one organization and project. */
class SentryClient {
    config;
    base;
    /** Sentry's clock as its last answer's Date header gave it, against ours (monotonic) at that moment. */
    serverClock;
    /** Per call (Sentry limits each endpoint on its own): the monotonic time before which Sentry asked not to be called again. */
    notBefore = new Map();
    /** This project's id, read once from a release (releaseHealth). */
    projectId;
    constructor(config) {
        this.config = config;
        this.base = `${config.url.replace(/\/+$/, '')}/api/0`;
    }
    async call(method, path, action, body, idempotent, signal) {
        let link = null;
        const { data } = await (0,http/* requestJson */.SS)(`${this.base}${path}`, {
            label: `Sentry ${action}`,
            method,
            headers: {
                authorization: `Bearer ${this.config.token}`,
                accept: 'application/json',
                ...(body === undefined ? {} : { 'content-type': 'application/json' }),
            },
            body: body === undefined ? undefined : JSON.stringify(body),
            idempotent,
            signal,
            deadline: this.config.deadline,
            timeoutMs: this.config.timeoutMs,
            retry: this.config.retry,
            sleep: this.config.sleep,
            fetch: async (input, init) => {
                const response = await (this.config.fetch ?? http/* proxiedFetch */.iR)(input, init);
                link = response.headers.get('link');
                const date = Date.parse(response.headers.get('date') ?? '');
                if (Number.isFinite(date))
                    this.serverClock = { serverMs: date, monotonicMs: performance.now() };
                const waitMs = rateLimitWait(response, Number.isFinite(date) ? date : Date.now());
                if (waitMs !== undefined)
                    this.notBefore.set(action, performance.now() + waitMs);
                else
                    this.notBefore.delete(action);
                return response;
            },
        }, { provider: sentry_PROVIDER, action, errorMessage: sentryReason, hint: (status) => sentryHint(status, action) });
        return { data, link };
    }
    get org() {
        return seg(this.config.org);
    }
    /**
     * Creates the release for these projects (`sentry-cli releases new`): Sentry answers 208 with the release when it
     * exists, adding the projects, so sending it again is safe.
     */
    async createRelease(version, projects = [this.config.project], dateStarted = new Date()) {
        const { data } = await this.call('POST', `/organizations/${this.org}/releases/`, 'create release', { version, projects, dateStarted: dateStarted.toISOString() }, true);
        return data;
    }
    /** The organization's repositories, every page (what `sentry-cli releases set-commits` reads first). */
    async repositories() {
        const names = [];
        let cursor = '';
        for (let pages = 0; pages < MAX_PAGES; pages++) {
            const { data, link } = await this.call('GET', `/organizations/${this.org}/repos/?cursor=${q(cursor)}`, 'list repositories');
            (0,collections/* appendAll */.u2)(names, data.map((r) => r.name));
            const next = nextCursor(link);
            if (!next)
                break;
            cursor = next;
        }
        return names;
    }
    /** Associates the head commits (`sentry-cli releases set-commits --commit repo@sha`): Sentry fetches the rest. */
    async setCommits(version, refs) {
        const body = {
            refs: refs.map((r) => ({ repository: r.repository, commit: r.commit, previousCommit: r.previousCommit ?? null })),
        };
        const { data } = await this.call('PUT', `/organizations/${this.org}/releases/${seg(version)}/`, 'set commits', body);
        return data;
    }
    /** Marks the release released (`sentry-cli releases finalize`). */
    async finalizeRelease(version, dateReleased, projects = [this.config.project]) {
        const { data } = await this.call('PUT', `/organizations/${this.org}/releases/${seg(version)}/`, 'finalize release', { projects, dateReleased: dateReleased.toISOString() });
        return data;
    }
    /** The release, or undefined when Sentry has none by that version (`sentry-cli releases info`). */
    async release(version) {
        try {
            return (await this.call('GET', `/organizations/${this.org}/releases/${seg(version)}/`, 'read release')).data;
        }
        catch (error) {
            if (error instanceof errors/* ProviderError */.mZ && error.status === 404)
                return undefined;
            throw error;
        }
    }
    /**
     * Sentry's time now, from the Date header of its last answer (read afresh with `readClock`), carried forward on
     * our monotonic clock; undefined before any answer had one. The header counts whole seconds, cut down: the time
     * given is never later than Sentry's, by under a second plus the answer's way back.
     */
    serverNow() {
        return this.serverClock && new Date(this.serverClock.serverMs + (performance.now() - this.serverClock.monotonicMs));
    }
    /** Asks Sentry for its clock: a read of the release (answered 200, or 404 before it exists, both with a Date). */
    async readClock(release, signal) {
        try {
            await this.call('GET', `/organizations/${this.org}/releases/${seg(release)}/`, 'read release', undefined, undefined, signal);
        }
        catch (error) {
            if (!(error instanceof errors/* ProviderError */.mZ && error.status === 404))
                throw error;
        }
        return this.serverNow();
    }
    /**
     * The release's health in the environment over the last `statsPeriod` (Sentry's period syntax, e.g. `600s`, on
     * Sentry's own clock): GET /organizations/{org}/sessions/ with the HEALTH_FIELDS, filtered by project, environment
     * and `release:"…"`. Sentry counts whole intervals (an hour, its smallest for most organizations): the range starts
     * at the top of the hour the period began in. The project is given by its id, which Sentry reads as the
     * `project` parameter everywhere: it comes from the release (GET …/releases/{version}/, read once), which also
     * tells a release Sentry does not know. No call is sent while Sentry's rate limit for it lasts (rateLimitWait):
     * that is thrown, as every other reason for no reading.
     */
    async releaseHealth(release, environment, statsPeriod, signal) {
        const waitMs = (this.notBefore.get(SESSIONS_ACTION) ?? 0) - performance.now();
        if (waitMs > 0)
            throw new errors/* ProviderError */.mZ(sentry_PROVIDER, `rate limited: Sentry asked for no call before ${Math.ceil(waitMs / 1000)}s from now (Retry-After), so none was sent`, { action: SESSIONS_ACTION, status: 429 });
        this.projectId ??= await this.projectIdOf(release, signal);
        const params = new URLSearchParams();
        params.append('project', this.projectId);
        params.append('environment', environment);
        for (const field of HEALTH_FIELDS)
            params.append('field', field);
        params.set('query', `release:${searchValue(release)}`);
        params.set('statsPeriod', statsPeriod);
        params.set('interval', '1h');
        let data;
        try {
            ({ data } = await this.call('GET', `/organizations/${this.org}/sessions/?${params}`, SESSIONS_ACTION, undefined, undefined, signal));
        }
        catch (error) {
            // Sentry answers 404 for an environment it has never seen (no deploy, no event there yet): not a wrong org.
            if (error instanceof errors/* ProviderError */.mZ && error.status === 404)
                throw new errors/* ProviderError */.mZ(sentry_PROVIDER, `Sentry knows no environment '${environment}' in ${this.config.org} (no deploy or event there yet: check sentry-environment)`, { action: SESSIONS_ACTION, status: 404 });
            throw error;
        }
        if (!data || !Array.isArray(data.groups) || typeof data.start !== 'string' || typeof data.end !== 'string')
            throw new errors/* ProviderError */.mZ(sentry_PROVIDER, 'malformed answer to read sessions (no groups, start and end)', {
                action: SESSIONS_ACTION,
            });
        // No groupBy: one group (or none, when nothing matched), whose totals are the whole range's.
        const totals = data.groups[0]?.totals ?? {};
        const number = (key) => {
            const value = totals[key];
            return typeof value === 'number' && Number.isFinite(value) ? value : null;
        };
        return {
            start: data.start,
            end: data.end,
            sessions: number('sum(session)') ?? 0,
            users: number('count_unique(user)') ?? 0,
            crashFreeSessions: number('crash_free_rate(session)'),
            crashFreeUsers: number('crash_free_rate(user)'),
        };
    }
    /** The id of this client's project, from the release's projects; thrown when Sentry has no such release there. */
    async projectIdOf(release, signal) {
        let found;
        try {
            found = (await this.call('GET', `/organizations/${this.org}/releases/${seg(release)}/`, 'read release', undefined, undefined, signal)).data;
        }
        catch (error) {
            if (!(error instanceof errors/* ProviderError */.mZ && error.status === 404))
                throw error;
        }
        if (!found)
            throw new errors/* ProviderError */.mZ(sentry_PROVIDER, `Sentry has no release '${release}' in ${this.config.org} (deploy creates it with the sentry-* inputs; else check sentry-release)`, { action: 'read release' });
        const project = found.projects?.find((p) => p.slug === this.config.project);
        if (project === undefined || !/^\d+$/.test(String(project.id)))
            throw new errors/* ProviderError */.mZ(sentry_PROVIDER, `release '${release}' is not a release of project '${this.config.project}' in Sentry (its projects: ${(found.projects ?? []).map((p) => p.slug).join(', ') || 'none'})`, { action: 'read release' });
        return String(project.id);
    }
    async deploys(version) {
        return (await this.call('GET', `/organizations/${this.org}/releases/${seg(version)}/deploys/`, 'list deploys')).data;
    }
    /**
     * Records a deploy of the release (`sentry-cli deploys new -e ENV --started --finished`). Not retried once it may
     * have reached Sentry (a POST): when its answer was lost, the deploys are read back, and it is sent again only if
     * it is not among them, so a lost answer never makes a second deploy.
     */
    async createDeploy(version, deploy) {
        const body = {
            environment: deploy.environment,
            name: deploy.name ?? null,
            url: deploy.url ?? null,
            dateStarted: deploy.dateStarted?.toISOString() ?? null,
            dateFinished: deploy.dateFinished.toISOString(),
        };
        const path = `/organizations/${this.org}/releases/${seg(version)}/deploys/`;
        try {
            return (await this.call('POST', path, 'create deploy', body)).data;
        }
        catch (error) {
            if (!(error instanceof errors/* NetworkError */.Dr))
                throw error;
            const landed = (await this.deploys(version)).find((d) => d.environment === body.environment &&
                d.dateFinished &&
                Date.parse(d.dateFinished) === Date.parse(body.dateFinished));
            if (landed)
                return { id: landed.id };
            // Sent again only when the connection failed or was closed and the read-back found nothing; after a timeout
            // Sentry may still be making it, and a second POST would record the deploy twice.
            if (error.kind === 'timeout')
                throw error;
            return (await this.call('POST', path, 'create deploy', body)).data;
        }
    }
    /**
     * The unresolved issues first seen in this release, in this environment, since `since` (the request
     * `sentry-cli issues list --query …` sends, every page up to a limit).
     */
    async newIssuesFor(release, environment, since, signal) {
        const query = newIssuesQuery(release, environment, since);
        const issues = [];
        let cursor = '';
        for (let pages = 0;; pages++) {
            const path = `/projects/${this.org}/${seg(this.config.project)}/issues/?query=${q(query)}&cursor=${q(cursor)}`;
            const { data, link } = await this.call('GET', path, 'list issues', undefined, undefined, signal);
            if (!Array.isArray(data))
                throw new errors/* ProviderError */.mZ(sentry_PROVIDER, 'the issues answer is not a list', { action: 'list issues' });
            (0,collections/* appendAll */.u2)(issues, data.map((i) => ({
                shortId: String(i.shortId),
                title: String(i.title),
                permalink: String(i.permalink),
                count: Number(i.count),
            })));
            const next = nextCursor(link);
            if (!next)
                return { count: issues.length, issues, truncated: false };
            if (pages + 1 >= MAX_PAGES)
                return { count: issues.length, issues, truncated: true };
            cursor = next;
        }
    }
}
/**
 * The bake-window gate `sentry-max-new-issues`: fails when Sentry reports more new issues for the release in the
 * environment since the window began than allowed. When Sentry cannot be read (down, rate limited past the tick,
 * a token refused) the check throws with Sentry's reason: the window counts that tick as unmeasured (a warning),
 * and fails only if the gate could be read on no tick at all (WindowGate's contract).
 *
 * "Since the window began" is on Sentry's clock, which stamps each issue's firstSeen: a runner clock an hour
 * ahead would hide every new issue, one an hour behind would count the hour before the window. `windowStart` is
 * the runner's instant the window began; the gate keeps only how long before now that was (on the monotonic
 * clock), and on its first check takes Sentry's time from the Date header of Sentry's answer and counts back. A
 * Sentry answer without a Date header leaves the runner's clock as the only one.
 */
function sentryNewIssuesGate(client, release, environment, windowStart, maxNewIssues) {
    const createdAt = performance.now();
    const startOffsetMs = windowStart.getTime() - Date.now();
    let since;
    return {
        name: 'sentry new issues',
        async check(signal) {
            if (!since) {
                const sentryNow = client.serverNow() ?? (await client.readClock(release, signal));
                const elapsedMs = performance.now() - createdAt - startOffsetMs;
                since = sentryNow ? new Date(sentryNow.getTime() - elapsedMs) : windowStart;
            }
            const found = await client.newIssuesFor(release, environment, since, signal);
            const count = `${found.count}${found.truncated ? '+' : ''}`;
            const listed = found.issues
                .slice(0, 5)
                .map((i) => `${i.shortId} ${i.title} (${i.count} event${i.count === 1 ? '' : 's'}) ${i.permalink}`)
                .join('; ');
            return {
                ok: found.count <= maxNewIssues,
                measurement: `${count} new issue${found.count === 1 ? '' : 's'} in ${release} (max ${maxNewIssues})`,
                detail: listed
                    ? `${listed}${found.issues.length > 5 ? `; and ${found.issues.length - 5} more` : ''}`
                    : undefined,
            };
        },
    };
}

// EXTERNAL MODULE: ./actions/smoke-test/src/cloudwatch-gate.ts
var cloudwatch_gate = __webpack_require__(86874);
// EXTERNAL MODULE: ./actions/smoke-test/src/datadog-gate.ts
var datadog_gate = __webpack_require__(47630);
;// CONCATENATED MODULE: ./actions/smoke-test/src/sentry-health-gate.ts
// Sentry release health gates: inputs sentry-crash-free-sessions and sentry-crash-free-users give the lowest share
// (a percentage) of the release's sessions, or of its users, that may end in a crash. Each is a metric gate: read
// once per tick of the bake window (and once in a one-shot smoke test), failing the window after watch-fail-after
// failing readings in a row, and inconclusive without a reading, like prometheus-gates.
//
// What is read: Sentry's sessions API totals for the release in sentry-environment (shared/sentry.ts,
// releaseHealth). In the bake window the period is the window so far, on Sentry's clock (statsPeriod); Sentry
// counts whole hours, so the totals start at the top of the hour the window began in: sessions of the release only,
// which before the window are few (a release is new when it is baked). A one-shot smoke test reads the last 24 hours.
//
// No reading, and so no pass: Sentry unreachable or refusing, rate limited, a release or environment it does not
// know, no session rated, or fewer sessions than sentry-health-min-sessions (a release with 3 sessions, one of them
// crashed, is noise, not 67% crash-free).

/** Shortest period asked for: a reading at the window's first instant still asks for a period Sentry can count. */
const MIN_PERIOD_S = 60;
/** A share of 0–1 as a percentage, without the float noise of the product (1 - 1/200 is 0.995 give or take an ulp). */
const percentOf = (rate) => Math.round(rate * 100 * 1e9) / 1e9;
const plural = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;
/** What one gate reads in Sentry's totals: thrown when there is nothing to judge. */
function judge(kind, health, threshold, settings) {
    const rate = kind === 'sessions' ? health.crashFreeSessions : health.crashFreeUsers;
    const counted = `${plural(health.sessions, 'session')} (${plural(health.users, 'user')}) of ${settings.release} since ${health.start}`;
    if (health.sessions < settings.minSessions)
        throw new Error(`too few sessions to judge: ${counted}, fewer than sentry-health-min-sessions (${settings.minSessions})${rate === null ? '' : `; crash-free ${kind} read ${(0,metric_gates/* formatReading */.u1)(percentOf(rate))}%`}`);
    if (rate === null)
        throw new Error(kind === 'users'
            ? `Sentry rated no user: ${counted} (the SDK sends sessions without a user, or none at all)`
            : `Sentry rated no session: ${counted}`);
    const value = percentOf(rate);
    return {
        ok: value >= threshold,
        value,
        measurement: `read ${(0,metric_gates/* formatReading */.u1)(value)}% over ${counted} (must be >= ${(0,metric_gates/* formatReading */.u1)(threshold)}%)`,
    };
}
/** The gates asked for (none, one or both), sharing one sessions request per tick. */
function sentryHealthGates(settings) {
    const startedAt = performance.now();
    let inFlight;
    // Both gates are read at the same moment of a tick: the second takes the first's answer.
    const read = (signal) => (inFlight ??= settings.client
        .releaseHealth(settings.release, settings.environment, settings.period === 'day'
        ? '24h'
        : `${Math.max(MIN_PERIOD_S, Math.ceil((performance.now() - startedAt) / 1000))}s`, signal)
        .finally(() => {
        inFlight = undefined;
    }));
    const wanted = [
        ['sessions', settings.crashFreeSessions],
        ['users', settings.crashFreeUsers],
    ];
    return wanted.flatMap(([kind, threshold]) => threshold === undefined
        ? []
        : [
            {
                name: `sentry crash-free ${kind} >= ${(0,metric_gates/* formatReading */.u1)(threshold)}%`,
                failAfter: settings.failAfter,
                noData: settings.noData,
                async check(signal) {
                    return judge(kind, await read(signal), threshold, settings);
                },
            },
        ]);
}

;// CONCATENATED MODULE: ./actions/smoke-test/src/window-gates.ts
// Gates of the bake window (mode: watch) other than the HTTP checks: something read once per tick — a Sentry
// release's new issues, say — that can end the window as failed. Each gate is built from the action's inputs here,
// in one place: a new gate adds its inputs (inputs.ts, action.yml) and one entry in windowGatesFromInputs.









/**
 * The gates the inputs ask for, in the order they are read each tick. None by default. Tests hand run() their own
 * gates instead; the bundle always builds them here.
 */
function windowGatesFromInputs(inputs) {
    const gates = [];
    // One entry per gate.
    const sentry = inputs['sentry-max-new-issues'] === undefined
        ? undefined
        : (0,sentry_inputs/* sentryTarget */.Z1)(inputs, { release: (0,run_context/* readRunContext */.$)().sha, environment: 'production' });
    if (sentry && inputs['sentry-max-new-issues'] !== undefined)
        // No retries inside a tick (the next tick asks again); issues counted from the window's start.
        gates.push(sentryNewIssuesGate(new SentryClient({ ...sentry.config, retry: { retries: 0 } }), sentry.release, sentry.environment, new Date(), inputs['sentry-max-new-issues']));
    gates.push(...metricGatesFromInputs(inputs));
    return gates;
}
/** One gate per line of cloudwatch-alarms (names, or prefix: lines), read with DescribeAlarms. */
function cloudWatchGatesFromInputs(inputs) {
    if (inputs['cloudwatch-alarms'].length === 0)
        return [];
    return (0,cloudwatch_gate/* cloudWatchGates */.RP)({
        lines: inputs['cloudwatch-alarms'],
        region: (0,aws/* awsRegion */.U)(inputs['aws-region']),
        timeoutMs: inputs.timeout,
        noDataAfter: inputs['watch-fail-after'],
        noData: inputs['gates-no-data'],
    });
}
/** One gate per line of datadog-gates (QueryMetrics), then one per line of datadog-monitors (monitor states). */
function datadogGatesFromInputs(inputs, values) {
    const apiKey = inputs['datadog-api-key'];
    const appKey = inputs['datadog-app-key'];
    if (!apiKey || !appKey || inputs['datadog-gates'].length + inputs['datadog-monitors'].length === 0)
        return [];
    return (0,datadog_gate/* datadogGates */.fO)({
        config: {
            apiKey,
            appKey,
            site: inputs['datadog-site'],
            ...(inputs['datadog-api-url'] ? { url: inputs['datadog-api-url'] } : {}),
            timeoutMs: inputs.timeout,
        },
        gates: inputs['datadog-gates'].map((gate) => ({ gate, query: (0,metric_gates/* substitute */.V2)(gate, values) })),
        monitors: inputs['datadog-monitors'],
        failAfter: inputs['watch-fail-after'],
        noData: inputs['gates-no-data'],
    });
}
/**
 * The gates read like metrics, in the bake window and once in a one-shot smoke test: one gate per line of
 * prometheus-gates, then cloudwatch-alarms, then datadog-gates and datadog-monitors, then Sentry's release health. A metric gate is named by the
 * line as written; its variables are the release's identifier (input release, else the commit SHA) and the
 * previous release's (input previous-release).
 */
function metricGatesFromInputs(inputs) {
    const values = { release: inputs.release || (0,run_context/* readRunContext */.$)().sha, previous: inputs['previous-release'] };
    const url = inputs['prometheus-url'];
    const prometheus = url && inputs['prometheus-gates'].length > 0
        ? inputs['prometheus-gates'].map((gate) => prometheusGate({ url, headers: inputs['prometheus-headers'], timeoutMs: inputs.timeout }, gate, (0,metric_gates/* substitute */.V2)(gate, values), { failAfter: inputs['watch-fail-after'], noData: inputs['gates-no-data'] }))
        : [];
    return [
        ...prometheus,
        ...cloudWatchGatesFromInputs(inputs),
        ...datadogGatesFromInputs(inputs, values),
        ...sentryHealthGatesFromInputs(inputs),
    ];
}
/**
 * sentry-crash-free-sessions and sentry-crash-free-users, read from Sentry's sessions API: over the window so far
 * in mode watch, over the last 24 hours in a one-shot smoke test. The release is sentry-release, else the commit SHA.
 */
function sentryHealthGatesFromInputs(inputs) {
    const crashFreeSessions = inputs['sentry-crash-free-sessions'];
    const crashFreeUsers = inputs['sentry-crash-free-users'];
    if (crashFreeSessions === undefined && crashFreeUsers === undefined)
        return [];
    const sentry = (0,sentry_inputs/* sentryTarget */.Z1)(inputs, { release: (0,run_context/* readRunContext */.$)().sha, environment: 'production' });
    if (!sentry)
        return [];
    return sentryHealthGates({
        // No retries inside a tick: the next tick asks again (once Sentry's rate limit allows).
        client: new SentryClient({ ...sentry.config, retry: { retries: 0 }, timeoutMs: inputs.timeout }),
        release: sentry.release,
        environment: sentry.environment,
        ...(crashFreeSessions === undefined ? {} : { crashFreeSessions }),
        ...(crashFreeUsers === undefined ? {} : { crashFreeUsers }),
        minSessions: inputs['sentry-health-min-sessions'],
        period: inputs.mode === 'watch' ? 'window' : 'day',
        failAfter: inputs['watch-fail-after'],
        noData: inputs['gates-no-data'],
    });
}
/** Reads the expression once per tick; no single number (no data, several series, NaN, an error) is thrown: no reading. */
function prometheusGate(config, gate, expression, judging) {
    return {
        name: `prometheus: ${gate.line}`,
        ...judging,
        async check(signal) {
            const value = await instantQuery(config, expression, signal);
            const ok = (0,metric_gates/* satisfies */.ib)(value, gate.op, gate.threshold);
            return {
                ok,
                value,
                measurement: `read ${(0,metric_gates/* formatReading */.u1)(value)} (must be ${gate.op} ${(0,metric_gates/* formatReading */.u1)(gate.threshold)})`,
            };
        },
    };
}

;// CONCATENATED MODULE: ./actions/smoke-test/src/run.ts
// smoke-test: build the checks, run them until ready and through their latency samples, then report — outputs
// (set whether or not the step fails), job summary, annotations — and fail the step when anything failed.


















function workspacePath(path) {
    return (0,external_node_path_.isAbsolute)(path) ? path : (0,external_node_path_.resolve)((0,workspace/* workspaceOf */.B)(), path);
}
function readFileFor(what, path) {
    try {
        return (0,external_node_fs_.readFileSync)(workspacePath(path), 'utf8');
    }
    catch (error) {
        throw new result/* SettingsError */.GN(`${what}: cannot read ${path} (${error.code ?? error.message})`);
    }
}
async function planChecks(inputs) {
    const file = inputs['checks-file'];
    if (!inputs.checks && !file)
        return (0,checks/* checksFromInputs */.Hd)(inputs);
    const { checksFromDocument, ChecksProblems } = await Promise.all(/* import() */[__webpack_require__.e(815), __webpack_require__.e(729)]).then(__webpack_require__.bind(__webpack_require__, 19729));
    const source = file
        ? { text: readFileFor("Input 'checks-file'", file), label: file, file }
        : { text: inputs.checks, label: "input 'checks'" };
    try {
        return checksFromDocument(source, inputs);
    }
    catch (error) {
        if (!(error instanceof ChecksProblems))
            throw error;
        const count = error.problems.length;
        throw new result/* SettingsError */.GN(`The checks in ${source.label} have ${count} problem${count === 1 ? '' : 's'}:\n- ${error.problems.join('\n- ')}`);
    }
}
/** `*.vercel.app` matches any host under vercel.app; anything else matches exactly. */
function hostMatches(host, pattern) {
    const h = host.toLowerCase();
    const p = pattern.toLowerCase();
    return p.startsWith('*.') ? h.endsWith(p.slice(1)) : h === p;
}
/**
 * The CA files the checks name, read before any request: a file that cannot be read is a problem with the settings,
 * reported as one, not a failed request on every tick (a bake window would fail and roll a good release back).
 */
function readCaFiles(checks) {
    const caFiles = new Map();
    for (const check of checks) {
        const caFile = check.tls.caFile;
        if (caFile && !caFiles.has(caFile))
            caFiles.set(caFile, readFileFor(`CA file of check '${check.name}'`, caFile));
    }
    return caFiles;
}
/** TLS per request: the CA files a check names (read by readCaFiles), and verification off only where the user asked for it. */
function tlsResolver(insecureHosts, caFiles) {
    const warned = new Set();
    return (check, url) => {
        const caFile = check.tls.caFile;
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
        ...(measured.total > 0 ? { latency: (0,thresholds/* latencyStats */.Ir)(measured) } : {}),
        thresholds: (0,thresholds/* evaluateThresholds */.S$)(plan.overallThresholds, measured),
    };
}
function annotate(report) {
    for (const check of report.checks) {
        const where = check.source
            ? { file: check.source.file, startLine: check.source.line, startColumn: check.source.column }
            : {};
        if (!check.passed)
            (0,runner/* error */.z3)(`${check.method} ${check.url}: ${check.reasons.join('; ')}`, {
                title: `smoke-test: ${check.name} failed`,
                ...where,
            });
        else if (check.warnings.length > 0)
            (0,runner/* warning */.$e)(`${check.method} ${check.url}: ${check.warnings.join('; ')}`, {
                title: `smoke-test: ${check.name} degraded`,
                ...where,
            });
    }
    for (const t of report.overall.thresholds.filter((x) => !x.passed))
        (0,runner/* error */.z3)(`Overall threshold ${t.threshold} not met: measured ${(0,thresholds/* formatMeasured */.U6)(t)}`, {
            title: 'smoke-test: overall latency',
        });
    for (const r of failedRegressions(report.regression))
        (0,runner/* error */.z3)(`${r.check}: ${(0,src_regression/* describeRegression */.Z_)(r)}`, { title: `smoke-test: ${r.check} latency regression` });
}
/**
 * Outputs carry the server's text (reasons quote bodies), and a server may echo a credential back; the runner
 * would drop such an output whole ("may contain secret"), so every registered secret is starred out first.
 */
function publish(report) {
    const overallLatency = report.overall.latency;
    publishCommon({
        result: report.passed ? 'passed' : report.inconclusive ? 'inconclusive' : 'failed',
        failureReason: report.passed ? '' : report.summary,
        errorRate: overallLatency ? String(overallLatency.errorRate) : '',
        ticks: '',
        p95: overallLatency && !Number.isNaN(overallLatency.p95) ? String(overallLatency.p95) : '',
    });
    (0,runner/* setOutput */.uH)('passed', String(report.passed));
    (0,runner/* setOutput */.uH)('failed-checks', (0,sanitise/* scrub */._I)(report.checks
        .filter((c) => !c.passed)
        .map((c) => c.name)
        .join(',')));
    (0,runner/* setOutput */.uH)('status', report.status);
    if (report.regression)
        (0,runner/* setOutput */.uH)('regression', report.regression.status === 'compared'
            ? report.regression.passed
                ? 'passed'
                : 'failed'
            : report.regression.status.replace(' ', '-'));
    (0,runner/* setOutput */.uH)('summary', (0,sanitise/* scrub */._I)(report.summary));
    (0,runner/* setOutput */.uH)('report', JSON.stringify(report, (_key, value) => (typeof value === 'string' ? (0,sanitise/* scrub */._I)(value) : value)));
    (0,summary/* appendSummary */.fe)(summaryMarkdown(report));
    annotate(report);
}
/** The outputs every mode writes, passed or failed (server text in them scrubbed and on one line). */
function publishCommon(o) {
    (0,result/* setResult */.uN)(o.result);
    (0,runner/* setOutput */.uH)('failure-reason', (0,sanitise/* inline */.mG)(o.failureReason, 4000));
    (0,runner/* setOutput */.uH)('error-rate', o.errorRate);
    (0,runner/* setOutput */.uH)('ticks', o.ticks);
    (0,runner/* setOutput */.uH)('p95-ms', o.p95);
}
/** mode: watch — the bake window over the checks, then the same outputs, summary and annotations as a check run. */
async function watch(inputs, gates) {
    const plan = await planChecks(inputs);
    for (const secret of plan.secrets)
        (0,runner/* setSecret */.Pq)(secret);
    const caFiles = readCaFiles(plan.checks);
    const started = external_node_perf_hooks_.performance.now();
    const settings = {
        windowMs: inputs['watch-window'],
        intervalMs: inputs['watch-interval'],
        failAfter: inputs['watch-fail-after'],
        maxErrorRate: inputs['max-error-rate'],
    };
    const { watchWindow } = await __webpack_require__.e(/* import() */ 669).then(__webpack_require__.bind(__webpack_require__, 37669));
    const { buildWatchReport, watchSummaryMarkdown } = await __webpack_require__.e(/* import() */ 724).then(__webpack_require__.bind(__webpack_require__, 19724));
    (0,runner/* info */.pq)(`Watching ${plan.checks.length} check${plan.checks.length === 1 ? '' : 's'}${gates.length > 0 ? ` and ${gates.map((g) => g.name).join(', ')}` : ''} every ${Math.round(settings.intervalMs / 100) / 10}s for ${Math.round(settings.windowMs / 100) / 10}s (fail after ${settings.failAfter} consecutive failures of a check, or an error rate over ${Math.round(settings.maxErrorRate * 10_000) / 100}%).`);
    const connections = new probe/* Connections */.UQ();
    let result;
    try {
        result = await watchWindow(plan.checks, plan.overallThresholds, gates, {
            ...settings,
            // The hard bound: the window plus one request timeout, never past the deadline.
            hardEndAt: started + Math.min(settings.windowMs + inputs.timeout, inputs.deadline),
            concurrency: inputs.concurrency,
            gateTimeoutMs: inputs.timeout,
        }, { connections, tlsFor: tlsResolver(inputs['insecure-hosts'], caFiles), now: () => external_node_perf_hooks_.performance.now(), sleep: http/* sleep */.yy });
    }
    finally {
        connections.close();
    }
    const report = buildWatchReport(result, plan.checks.map((c) => ({ name: c.name, url: (0,probe/* displayUrl */.Qy)(c.url) })), plan.overallThresholds, settings);
    const overall = report.overall.latency;
    publishCommon({
        result: watchResult(result.verdict),
        failureReason: report.failureReason,
        errorRate: String(report.window.errorRate),
        ticks: String(report.window.ticks),
        p95: overall && !Number.isNaN(overall.p95) ? String(overall.p95) : '',
    });
    (0,runner/* setOutput */.uH)('passed', String(report.passed));
    (0,runner/* setOutput */.uH)('failed-checks', (0,sanitise/* scrub */._I)(report.checks
        .filter((c) => !c.passed)
        .map((c) => c.name)
        .join(',')));
    (0,runner/* setOutput */.uH)('status', report.status);
    (0,runner/* setOutput */.uH)('summary', (0,sanitise/* scrub */._I)(report.summary));
    (0,runner/* setOutput */.uH)('report', JSON.stringify(report, (_key, value) => (typeof value === 'string' ? (0,sanitise/* scrub */._I)(value) : value)));
    (0,summary/* appendSummary */.fe)(watchSummaryMarkdown(report, result.checks, plan.overallThresholds));
    const { metricGatesMarkdown } = await __webpack_require__.e(/* import() */ 252).then(__webpack_require__.bind(__webpack_require__, 17252));
    const gateReadings = metricGatesMarkdown(result.gates, report.failures);
    if (gateReadings)
        (0,summary/* appendSummary */.fe)(gateReadings);
    for (const failure of report.failures)
        (0,runner/* error */.z3)(failure, { title: 'smoke-test: bake window failed' });
    if (!report.passed)
        throw new errors/* ShiplineError */.J0(report.summary);
    (0,runner/* info */.pq)(report.summary);
}
/**
 * `failed` when the window measured a failure; `inconclusive` when all it has against the release is that it could
 * not judge it (see window-verdict.ts's `unjudged`), so that no workflow rolls a release back for that.
 */
function watchResult(verdict) {
    if (verdict.failures.length === 0)
        return 'passed';
    return verdict.failures.some((f) => !verdict.unjudged.includes(f)) ? 'failed' : 'inconclusive';
}
/**
 * mode: validate — the inputs were read as for 'validate-as' (inputs.ts); here the checks are built from them as
 * that mode builds them, the checks document included, and nothing is sent anywhere.
 */
async function validate(inputs) {
    // A preflight may run before the repository is checked out: a file not there yet is read when the step runs.
    const notHere = (path) => !(0,external_node_fs_.existsSync)(workspacePath(path));
    const file = inputs['checks-file'];
    if (file && notHere(file))
        (0,runner/* info */.pq)(`Input 'checks-file' (${(0,sanitise/* inline */.mG)(file, 200)}) is not in the workspace here: its checks are validated when the step runs.`);
    else {
        const plan = await planChecks(inputs);
        for (const secret of plan.secrets)
            (0,runner/* setSecret */.Pq)(secret);
        const missing = new Set(plan.checks.flatMap((c) => (c.tls.caFile && notHere(c.tls.caFile) ? [c.tls.caFile] : [])));
        for (const caFile of missing)
            (0,runner/* info */.pq)(`CA file ${(0,sanitise/* inline */.mG)(caFile, 200)} is not in the workspace here: it is read when the step runs.`);
        readCaFiles(plan.checks.filter((c) => !c.tls.caFile || !missing.has(c.tls.caFile)));
        (0,runner/* info */.pq)(`The inputs are valid for mode ${inputs['validate-as']} (${plan.checks.length} check${plan.checks.length === 1 ? '' : 's'}). No request was sent.`);
    }
    (0,result/* setResult */.uN)('valid');
}
/** What the restored baseline (or its absence) means for the gate. */
function outcomeOf(restored, inputs, results) {
    const key = inputs['regression-key'];
    switch (restored.kind) {
        case 'restored':
            return (0,src_regression/* compareWithBaseline */.$_)(inputs.regression, results, restored.baseline);
        case 'miss':
            return {
                status: 'no baseline',
                passed: true,
                note: `no baseline under key '${key}' on this branch or the one it reads from (the first run with the gate, or the last baseline went unused for 7 days and was evicted). Nothing compared; this run's figures become the baseline if it passes.`,
            };
        case 'refused':
            return {
                status: 'no baseline',
                passed: true,
                note: `the cached baseline was refused (${restored.matchedKey}: ${restored.reason}). Nothing compared, as on the gate's first run; this run's figures become the baseline if it passes.`,
            };
        case 'unavailable':
            return { status: 'skipped', passed: true, note: restored.reason };
    }
}
/** Restores the baseline before any request is sent: unpacking it (tar, a child process) must not share the CPU with latency samples. */
async function restoreBaseline(inputs, store) {
    const restored = await store.restore();
    if (restored.kind === 'unavailable')
        (0,runner/* warning */.$e)(`Latency regression gate skipped: ${restored.reason}.`, { title: 'smoke-test: regression gate skipped' });
    else if (restored.kind === 'restored')
        (0,runner/* info */.pq)(`Latency baseline restored from ${restored.matchedKey} (${Object.keys(restored.baseline.checks).length} checks).`);
    else if (restored.kind === 'refused')
        (0,runner/* warning */.$e)(`Latency regression gate: the cached baseline was refused: ${restored.reason} (entry ${restored.matchedKey}). Nothing is compared with it.`, { title: 'smoke-test: baseline refused' });
    else if (restored.kind === 'miss')
        (0,runner/* info */.pq)(`No latency baseline under key '${inputs['regression-key']}' yet: nothing to compare with.`);
    return restored;
}
/** A passing run's figures become the next run's baseline; a failing run leaves the last good one in place. */
async function saveBaseline(report, results, inputs, store, restored) {
    if (!report.passed)
        return { saved: false, note: 'this run failed; the last good release stays the baseline.' };
    if (restored.kind === 'unavailable')
        return { saved: false, note: 'the cache service is not available (see the warning above).' };
    const context = (0,run_context/* readRunContext */.$)();
    const run = {
        key: inputs['regression-key'],
        sha: context.sha,
        ref: context.ref,
        runId: context.runId,
        runAttempt: context.runAttempt,
        savedAt: new Date().toISOString(),
    };
    const saved = await store.save((0,src_regression/* baselineOf */.Bv)(results.map((r) => ({ name: r.name, ...(r.latency ? { latency: r.latency } : {}) })), run));
    if (saved.kind === 'saved') {
        (0,runner/* info */.pq)(`Latency baseline saved as ${saved.key}.`);
        return { saved: true, cacheKey: saved.key };
    }
    (0,runner/* warning */.$e)(`The latency baseline was not saved: ${saved.reason}.`, { title: 'smoke-test: baseline not saved' });
    return { saved: false, note: saved.reason, ...(saved.kind === 'not saved' ? { cacheKey: saved.key } : {}) };
}
/**
 * Runs the smoke test the inputs describe. `gates` are the bake window's extra gates (mode: watch), built from the
 * inputs in window-gates.ts unless the caller (a test) hands its own.
 */
async function run(inputs, end = { requestsLeftBehind: false }, gates) {
    if (inputs.mode === 'validate')
        return validate(inputs);
    if (inputs.mode === 'watch')
        return watch(inputs, gates ?? windowGatesFromInputs(inputs));
    // The checks and their CA files first: a settings problem is reported before any request, the cache's included.
    const plan = await planChecks(inputs);
    for (const secret of plan.secrets)
        (0,runner/* setSecret */.Pq)(secret);
    const caFiles = readCaFiles(plan.checks);
    const gate = inputs.regression.length > 0;
    let store;
    let restored;
    if (gate) {
        const { actionsCacheStore } = await __webpack_require__.e(/* import() */ 808).then(__webpack_require__.bind(__webpack_require__, 48808));
        const context = (0,run_context/* readRunContext */.$)();
        store = actionsCacheStore({
            key: inputs['regression-key'],
            runId: context.runId,
            runAttempt: context.runAttempt,
            timeoutMs: inputs['cache-timeout'],
        });
        restored = await restoreBaseline(inputs, store);
        end.requestsLeftBehind = store.abandoned;
    }
    // Deadlines are measured on the monotonic clock: the wall clock can step (NTP) while a run waits.
    const started = external_node_perf_hooks_.performance.now();
    const schedule = {
        deadlineAt: started + inputs.deadline,
        intervalMs: inputs.interval,
        maxIntervalMs: inputs['max-interval'],
        // A scheduled health check asks "is it up now?": a few tries ride out a blip, waiting minutes would not.
        maxAttempts: inputs['max-attempts'] || (inputs.mode === 'monitor' ? 3 : 0),
        concurrency: inputs.concurrency,
        // Overall thresholds need every check's samples, and so does the regression gate (every check's percentiles).
        sampleAll: plan.overallThresholds.length > 0 || gate,
    };
    (0,runner/* info */.pq)(`Running ${plan.checks.length} check${plan.checks.length === 1 ? '' : 's'} (${inputs.mode} mode, up to ${schedule.concurrency} at a time, deadline ${Math.round(inputs.deadline / 1000)}s${schedule.maxAttempts ? `, at most ${schedule.maxAttempts} attempt${schedule.maxAttempts === 1 ? '' : 's'} each` : ''}).`);
    const connections = new probe/* Connections */.UQ();
    let results;
    try {
        results = await (0,execute/* runChecks */.JT)(plan.checks, schedule, {
            connections,
            tlsFor: tlsResolver(inputs['insecure-hosts'], caFiles),
            now: () => external_node_perf_hooks_.performance.now(),
            sleep: http/* sleep */.yy,
        });
    }
    finally {
        connections.close();
    }
    const regression = store && restored ? { key: inputs['regression-key'], ...outcomeOf(restored, inputs, results) } : undefined;
    let report = buildReport(results, overallOf(results, plan), inputs.mode, external_node_perf_hooks_.performance.now() - started, regression);
    // The metric gates read once, after the checks, within the deadline.
    const metricGates = gates ?? metricGatesFromInputs(inputs);
    let gateSection;
    if (metricGates.length > 0) {
        const { oneShotGatesMarkdown, readGatesOnce, withGateReadings } = await __webpack_require__.e(/* import() */ 252).then(__webpack_require__.bind(__webpack_require__, 17252));
        const readings = await readGatesOnce(metricGates, Math.max(1, Math.min(inputs.timeout, started + inputs.deadline - external_node_perf_hooks_.performance.now())));
        const judged = withGateReadings(report, readings, inputs['gates-no-data']);
        report = judged.report;
        gateSection = { markdown: oneShotGatesMarkdown(readings, inputs['gates-no-data']), failures: judged.failures };
    }
    if (store && restored && report.regression) {
        report.regression.saved = await saveBaseline(report, results, inputs, store, restored);
        end.requestsLeftBehind = store.abandoned;
    }
    publish(report);
    if (gateSection) {
        (0,summary/* appendSummary */.fe)(gateSection.markdown);
        for (const failure of gateSection.failures)
            (0,runner/* error */.z3)(failure, { title: 'smoke-test: metric gate failed' });
    }
    if (!report.passed)
        throw new errors/* ShiplineError */.J0(report.summary);
    (0,runner/* info */.pq)(report.summary);
}


/***/ }),

/***/ 51787:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   U: () => (/* binding */ awsRegion),
/* harmony export */   l: () => (/* binding */ awsRequestHandler)
/* harmony export */ });
/* harmony import */ var _proxy_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(97886);
// What every AWS SDK client shipline builds shares (ECS for deploys, CloudWatch for the bake window's alarm gates):
// the region, and the HTTP handler. Credentials are never shipline's: each client takes the SDK's standard chain
// (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY/AWS_SESSION_TOKEN, OIDC web identity from
// aws-actions/configure-aws-credentials via AWS_WEB_IDENTITY_TOKEN_FILE + AWS_ROLE_ARN, profiles, instance roles),
// and its endpoint may be moved by the SDK's service-specific variable (AWS_ENDPOINT_URL_ECS,
// AWS_ENDPOINT_URL_CLOUDWATCH), which is how tests point a client at a loopback stand-in.

/** The region an input names, else the one configure-aws-credentials (or the environment) set. */
function awsRegion(input, env = process.env) {
    return input || env.AWS_REGION || env.AWS_DEFAULT_REGION || undefined;
}
/**
 * The SDK's own agents (keep-alive, 50 sockets), through HTTPS_PROXY / HTTP_PROXY unless NO_PROXY exempts the
 * endpoint (an http endpoint: a local stand-in). A request timeout is only a logged warning unless
 * throwOnRequestTimeout is set (@smithy/node-http-handler 4.x); socketTimeout covers an answer that stops mid-body,
 * which the request timeout (cleared once the headers arrive) does not.
 */
function awsRequestHandler(requestMs) {
    return {
        requestTimeout: requestMs,
        throwOnRequestTimeout: true,
        socketTimeout: requestMs,
        connectionTimeout: Math.min(10_000, requestMs),
        httpsAgent: new _proxy_js__WEBPACK_IMPORTED_MODULE_0__/* .EnvProxyHttpsAgent */ .ws({ keepAlive: true, maxSockets: 50 }),
        httpAgent: new _proxy_js__WEBPACK_IMPORTED_MODULE_0__/* .EnvProxyHttpAgent */ .$R({ keepAlive: true, maxSockets: 50 }),
    };
}


/***/ }),

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
