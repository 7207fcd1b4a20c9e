export const id = 921;
export const ids = [921];
export const modules = {

/***/ 17843:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  _: () => (/* binding */ evaluate)
});

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


/***/ }),

/***/ 57921:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  c: () => (/* binding */ readGate),
  watchWindow: () => (/* binding */ watchWindow)
});

// EXTERNAL MODULE: ./shared/concurrency.ts
var concurrency = __webpack_require__(88837);
// EXTERNAL MODULE: ./shared/runner.ts
var runner = __webpack_require__(52798);
// EXTERNAL MODULE: ./shared/sanitise.ts + 1 modules
var sanitise = __webpack_require__(71193);
// EXTERNAL MODULE: ./actions/smoke-test/src/evaluate.ts + 1 modules
var evaluate = __webpack_require__(17843);
// EXTERNAL MODULE: ./actions/smoke-test/src/probe.ts
var probe = __webpack_require__(19812);
// EXTERNAL MODULE: ./actions/smoke-test/src/thresholds.ts
var thresholds = __webpack_require__(4340);
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
    return { ...(0,evaluate/* evaluate */._)(check.expect, outcome), redirects: outcome.redirects };
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
        info(`${check.name}: attempt ${attempts} failed: ${last.reasons[0]}; next try in ${seconds(pause)}`);
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
            reasons.push(describeThresholdFailure(t));
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
        const why = readiness.attempts > 1
            ? `not ready after ${readiness.attempts} attempts in ${seconds(readiness.elapsedMs)}: `
            : '';
        const reasons = readiness.last.reasons.map((r, i) => (i === 0 ? `${why}${r}` : r));
        info(`❌ ${check.name}: ${reasons.join('; ')}`);
        return { ...base, passed: false, reason: reasons[0], reasons, thresholds: [], durationsMs: [] };
    }
    info(`✅ ${check.name}: ready${readiness.attempts > 1 ? ` after ${readiness.attempts} attempts (${seconds(readiness.elapsedMs)})` : ''}`);
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
    const thresholds = evaluateThresholds(check.thresholds, measured);
    const latency = latencyStats(measured);
    const reasons = sampleReasons(check, sampling, thresholds);
    info(`${reasons.length ? '❌' : '✅'} ${check.name}: ${sampling.taken} samples, p50 ${latency.p50} ms, p95 ${latency.p95} ms, p99 ${latency.p99} ms, ${sampling.failed} failed${reasons.length ? `: ${reasons.join('; ')}` : ''}`);
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
    return mapLimit(checks, schedule.concurrency, async (check, index) => {
        // mapLimit hands the first `concurrency` checks to its workers in order, one each.
        if (index > 0 && index < schedule.concurrency)
            await runtime.sleep(Math.min(index * STAGGER_MS, 500));
        return runCheck(check, schedule, runtime);
    });
}

// EXTERNAL MODULE: ./actions/smoke-test/src/window-verdict.ts
var window_verdict = __webpack_require__(20900);
;// CONCATENATED MODULE: ./actions/smoke-test/src/watch.ts
// mode: watch — the bake window. Every tick (watch-interval) sends each check once and reads each window gate once;
// after every tick the window is judged (window-verdict.ts) and ends at once, failed, when a failure is certain.
// Every wait is bounded: no tick starts after the window, no request or gate reading runs past the hard bound
// (the window plus one request timeout, or the deadline when that is sooner).





/** Warning annotations per gate that could not be read; later misses go to the log only. */
const GATE_WARNINGS = 3;
/** Less time than this before the hard bound is no real try of a request. */
const watch_MIN_TRY_MS = 50;
const watch_seconds = (ms) => `${(ms / 1000).toFixed(1)}s`;
/** The ticks a window plans: one at its opening and one every interval while the window lasts. */
function plannedTicks(windowMs, intervalMs) {
    return Math.max(1, Math.ceil(windowMs / intervalMs));
}
/** One reading of a gate, never longer than `timeoutMs`: a gate that ignores its signal is left behind, as an error. */
async function readGate(gate, timeoutMs) {
    const controller = new AbortController();
    let timer;
    const late = new Promise((_, reject) => {
        timer = setTimeout(() => {
            const error = new Error(`no reading within ${watch_seconds(timeoutMs)}`);
            controller.abort(error);
            reject(error);
        }, Math.max(1, timeoutMs));
    });
    try {
        const reading = await Promise.race([gate.check(controller.signal), late]);
        if (typeof reading?.ok !== 'boolean')
            throw new Error('the gate returned no reading');
        return {
            ok: reading.ok,
            measurement: (0,sanitise/* inline */.mG)(reading.measurement, 300),
            ...(reading.detail ? { detail: (0,sanitise/* inline */.mG)(reading.detail, 1000) } : {}),
            ...(typeof reading.value === 'number' ? { value: reading.value } : {}),
        };
    }
    catch (error) {
        return { error: (0,sanitise/* inline */.mG)(error instanceof Error ? error.message : String(error), 300) };
    }
    finally {
        clearTimeout(timer);
    }
}
function describeSample(series, sample) {
    const time = sample.durationMs !== undefined ? `${Math.round(sample.durationMs)} ms` : '';
    return sample.passed
        ? `${series.name} ✅ ${time}`
        : `${series.name} ❌ ${(0,sanitise/* inline */.mG)(sample.reason ?? 'failed', 120)}${time ? ` (${time})` : ''}`;
}
async function watchWindow(checks, overallThresholds, gates, settings, runtime) {
    const start = runtime.now();
    const windowEnd = start + settings.windowMs;
    const planned = plannedTicks(settings.windowMs, settings.intervalMs);
    const series = checks.map((c) => ({
        name: c.name,
        method: c.method,
        thresholds: c.thresholds,
        samples: [],
    }));
    const gateSeries = gates.map((g) => ({
        name: g.name,
        ticks: [],
        ...(g.failAfter !== undefined
            ? {
                failAfter: g.failAfter,
                noData: g.noData ?? 'fail',
                ...(g.noDataAfter !== undefined ? { noDataAfter: g.noDataAfter } : {}),
            }
            : {}),
    }));
    const state = (ticks, remainingTicks) => ({
        checks: series,
        gates: gateSeries,
        overallThresholds,
        ticks,
        remainingTicks,
        failAfter: settings.failAfter,
        maxErrorRate: settings.maxErrorRate,
    });
    let ticks = 0;
    let cutShort = false;
    for (let tick = 0; tick < planned; tick++) {
        // A tick that overran its interval delays the next one; missed ticks are not made up in a burst.
        const due = start + tick * settings.intervalMs;
        const wait = due - runtime.now();
        if (wait > 0)
            await runtime.sleep(Math.min(wait, settings.hardEndAt - runtime.now()));
        const at = runtime.now();
        if (!(at < windowEnd))
            break;
        if (!(settings.hardEndAt - at >= watch_MIN_TRY_MS)) {
            cutShort = true;
            break;
        }
        const gateTimeout = Math.min(settings.gateTimeoutMs, settings.hardEndAt - at);
        const readings = Promise.all(gates.map((gate) => readGate(gate, gateTimeout)));
        const outcomes = await (0,concurrency/* mapLimit */.s)(checks, settings.concurrency, (check) => attempt(check, { deadlineAt: settings.hardEndAt }, runtime));
        outcomes.forEach((outcome, i) => {
            series[i].samples.push({
                tick,
                atMs: Math.round(at - start),
                passed: outcome.passed,
                ...(outcome.httpStatus !== undefined ? { durationMs: outcome.durationMs, httpStatus: outcome.httpStatus } : {}),
                ...(outcome.passed ? {} : { reason: outcome.reasons[0] ?? 'failed' }),
            });
        });
        const gateLines = [];
        (await readings).forEach((reading, i) => {
            const gs = gateSeries[i];
            gs.ticks.push({ ...reading, tick });
            if (reading.error !== undefined) {
                const text = `${gs.name}: not evaluated on tick ${tick + 1} (${reading.error}); the window goes on without it`;
                // An API down for the whole window would otherwise annotate every tick: the first few say it, the log has the rest.
                const unread = gs.ticks.filter((t) => t.error !== undefined).length;
                if (unread <= GATE_WARNINGS)
                    (0,runner/* warning */.$e)(`${text}${unread === GATE_WARNINGS ? ' (further ticks it misses are in the log only)' : ''}`, {
                        title: `smoke-test: ${gs.name} not evaluated`,
                    });
                else
                    (0,runner/* info */.pq)(text);
            }
            else
                gateLines.push(`${gs.name} ${reading.ok ? '✅' : '❌'} ${reading.measurement}`);
        });
        ticks++;
        const verdict = (0,window_verdict/* judgeWindow */._w)(state(ticks, planned - ticks));
        const checkLines = series.map((s) => describeSample(s, s.samples[s.samples.length - 1]));
        (0,runner/* info */.pq)(`tick ${ticks}/${planned} at ${watch_seconds(at - start)}: ${[...checkLines, ...gateLines].join(', ')}; error rate ${(0,window_verdict/* percent */.KN)(verdict.errorRate)}`);
        if (verdict.failures.length > 0) {
            return {
                checks: series,
                gates: gateSeries,
                ticks,
                plannedTicks: planned,
                durationMs: runtime.now() - start,
                endedEarly: ticks < planned,
                verdict,
            };
        }
    }
    const verdict = (0,window_verdict/* judgeWindow */._w)(state(ticks, 0));
    // A window the deadline ended before its time was not watched for as long as asked: that is no pass.
    if (cutShort || ticks === 0) {
        const unwatched = `the deadline ended the window after ${ticks} of ${planned} ticks (${watch_seconds(runtime.now() - start)} of ${watch_seconds(settings.windowMs)})`;
        verdict.failures.push(unwatched);
        verdict.unjudged.push(unwatched);
    }
    return {
        checks: series,
        gates: gateSeries,
        ticks,
        plannedTicks: planned,
        durationMs: runtime.now() - start,
        endedEarly: false,
        verdict,
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


/***/ })

};
