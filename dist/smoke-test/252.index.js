export const id = 252;
export const ids = [252,669];
export const modules = {

/***/ 17252:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   metricGatesMarkdown: () => (/* binding */ metricGatesMarkdown),
/* harmony export */   oneShotGatesMarkdown: () => (/* binding */ oneShotGatesMarkdown),
/* harmony export */   readGatesOnce: () => (/* binding */ readGatesOnce),
/* harmony export */   withGateReadings: () => (/* binding */ withGateReadings)
/* harmony export */ });
/* harmony import */ var _shared_metric_gates_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(12757);
/* harmony import */ var _shared_sanitise_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(71193);
/* harmony import */ var _shared_summary_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(96566);
/* harmony import */ var _watch_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(37669);
// Metric gates in the reports: their readings over a bake window (a section of the job summary), and the one
// reading each takes in a one-shot smoke test (mode gate or monitor), which can fail the run as a check does.




/** Readings a summary row shows: the last ones of a long window (a 6-hour window at 1s reads 21,600 times). */
const SHOWN_READINGS = 60;
const BARS = '▁▂▃▄▅▆▇█';
/** An unread tick in the sparkline. */
const UNREAD = '·';
/** The readings as a one-line chart, lowest to highest across the shown ticks; '·' where the gate had no reading. */
function sparkline(ticks) {
    const values = ticks.flatMap((t) => (t.value !== undefined && Number.isFinite(t.value) ? [t.value] : []));
    const low = Math.min(...values);
    const high = Math.max(...values);
    return ticks
        .map((t) => {
        if (t.value === undefined)
            return UNREAD;
        if (!Number.isFinite(t.value))
            return t.value > 0 ? '█' : '▁';
        const share = high === low ? 0.5 : (t.value - low) / (high - low);
        return BARS[Math.min(BARS.length - 1, Math.floor(share * BARS.length))];
    })
        .join('');
}
function gateVerdict(gate, failures) {
    const failure = failures.find((f) => f.startsWith(`${gate.name}: `));
    if (failure)
        return failure.includes(': inconclusive, ') ? `${_shared_summary_js__WEBPACK_IMPORTED_MODULE_2__/* .MARK */ .M$.warning} inconclusive` : `${_shared_summary_js__WEBPACK_IMPORTED_MODULE_2__/* .MARK */ .M$.failed} failed`;
    const unread = gate.ticks.filter((t) => t.error !== undefined).length;
    if (unread > 0 && gate.noData === 'pass' && unread === gate.ticks.length)
        return `${_shared_summary_js__WEBPACK_IMPORTED_MODULE_2__/* .MARK */ .M$.warning} no data (passed: gates-no-data is pass)`;
    return `${_shared_summary_js__WEBPACK_IMPORTED_MODULE_2__/* .MARK */ .M$.passed} passed`;
}
/**
 * The bake window's metric gates, one row each: every reading (the last SHOWN_READINGS) as a chart and as numbers,
 * the range, the unread ticks and the verdict. Empty when the window had no metric gate.
 */
function metricGatesMarkdown(gates, failures) {
    const metric = gates.filter((g) => g.failAfter !== undefined);
    if (metric.length === 0)
        return '';
    const rows = metric.map((g) => {
        const shown = g.ticks.slice(-SHOWN_READINGS);
        const values = g.ticks.flatMap((t) => (t.value !== undefined ? [t.value] : []));
        const numbers = shown.map((t) => (t.value !== undefined ? (0,_shared_metric_gates_js__WEBPACK_IMPORTED_MODULE_0__/* .formatReading */ .u1)(t.value) : '–')).join(' ');
        const lastError = [...g.ticks].reverse().find((t) => t.error !== undefined)?.error;
        return [
            (0,_shared_summary_js__WEBPACK_IMPORTED_MODULE_2__/* .markdown */ .wD)((0,_shared_sanitise_js__WEBPACK_IMPORTED_MODULE_1__/* .codeSpan */ .SS)(g.name.replace(/^prometheus: /, ''), 400)),
            values.length > 0 ? `${sparkline(shown)} (${numbers})` : 'no reading',
            values.length > 0 ? `${(0,_shared_metric_gates_js__WEBPACK_IMPORTED_MODULE_0__/* .formatReading */ .u1)(Math.min(...values))} – ${(0,_shared_metric_gates_js__WEBPACK_IMPORTED_MODULE_0__/* .formatReading */ .u1)(Math.max(...values))}` : '',
            `${g.ticks.filter((t) => t.error !== undefined).length} of ${g.ticks.length}${lastError ? ` (last: ${(0,_shared_sanitise_js__WEBPACK_IMPORTED_MODULE_1__/* .inline */ .mG)(lastError, 200)})` : ''}`,
            gateVerdict(g, failures),
        ];
    });
    const older = metric.some((g) => g.ticks.length > SHOWN_READINGS)
        ? ` (the last ${SHOWN_READINGS} ticks of each)`
        : '';
    // table() escapes plain cells; the code spans are escaped by codeSpan itself.
    return [
        `**Metric gates: readings per tick${older}** (· no reading)`,
        (0,_shared_summary_js__WEBPACK_IMPORTED_MODULE_2__/* .table */ .tp)(['Gate', 'Readings', 'Range', 'Unread', 'Verdict'], rows),
    ].join('\n\n');
}
/** Every gate read once, at the same time, each bounded by `timeoutMs`. */
function readGatesOnce(gates, timeoutMs) {
    return Promise.all(gates.map(async (gate) => ({ name: gate.name, ...(await (0,_watch_js__WEBPACK_IMPORTED_MODULE_3__/* .readGate */ .c)(gate, timeoutMs)) })));
}
/** What the one-shot readings do to the report: a failing gate fails it; no reading too, unless gates-no-data is pass. */
function withGateReadings(report, readings, noData) {
    const failed = readings.filter((r) => r.ok === false).map((r) => `${r.name}: ${r.measurement ?? 'failed'}`);
    const unread = noData === 'pass'
        ? []
        : readings.filter((r) => r.error !== undefined).map((r) => `${r.name}: inconclusive, no reading (${r.error})`);
    const failures = [...failed, ...unread];
    if (failures.length === 0)
        return { report: { ...report, gates: readings }, failures };
    return {
        report: {
            ...report,
            passed: false,
            status: 'failed',
            // Only the gates' missing readings against it: the run could not judge the release (result inconclusive).
            ...(report.passed && failed.length === 0 ? { inconclusive: true } : {}),
            summary: `${report.summary}; ${failures.length === 1 ? 'a metric gate' : `${failures.length} metric gates`} failed: ${failures.join('; ')}`,
            gates: readings,
        },
        failures,
    };
}
/** The one-shot readings in the job summary. */
function oneShotGatesMarkdown(readings, noData) {
    const rows = readings.map((r) => [
        (0,_shared_summary_js__WEBPACK_IMPORTED_MODULE_2__/* .markdown */ .wD)((0,_shared_sanitise_js__WEBPACK_IMPORTED_MODULE_1__/* .codeSpan */ .SS)(r.name.replace(/^prometheus: /, ''), 400)),
        r.value !== undefined ? (0,_shared_metric_gates_js__WEBPACK_IMPORTED_MODULE_0__/* .formatReading */ .u1)(r.value) : `no reading: ${(0,_shared_sanitise_js__WEBPACK_IMPORTED_MODULE_1__/* .inline */ .mG)(r.error ?? '', 300)}`,
        r.ok === true
            ? `${_shared_summary_js__WEBPACK_IMPORTED_MODULE_2__/* .MARK */ .M$.passed} passed`
            : r.ok === false
                ? `${_shared_summary_js__WEBPACK_IMPORTED_MODULE_2__/* .MARK */ .M$.failed} failed`
                : noData === 'pass'
                    ? `${_shared_summary_js__WEBPACK_IMPORTED_MODULE_2__/* .MARK */ .M$.warning} no data (passed: gates-no-data is pass)`
                    : `${_shared_summary_js__WEBPACK_IMPORTED_MODULE_2__/* .MARK */ .M$.warning} inconclusive`,
    ]);
    return ['**Metric gates** (one reading each)', (0,_shared_summary_js__WEBPACK_IMPORTED_MODULE_2__/* .table */ .tp)(['Gate', 'Reading', 'Verdict'], rows)].join('\n\n');
}


/***/ }),

/***/ 37669:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   c: () => (/* binding */ readGate),
/* harmony export */   watchWindow: () => (/* binding */ watchWindow)
/* harmony export */ });
/* harmony import */ var _shared_concurrency_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(88837);
/* harmony import */ var _shared_runner_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(52798);
/* harmony import */ var _shared_sanitise_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(71193);
/* harmony import */ var _execute_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(17357);
/* harmony import */ var _window_verdict_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(20900);
// mode: watch — the bake window. Every tick (watch-interval) sends each check once and reads each window gate once;
// after every tick the window is judged (window-verdict.ts) and ends at once, failed, when a failure is certain.
// Every wait is bounded: no tick starts after the window, no request or gate reading runs past the hard bound
// (the window plus one request timeout, or the deadline when that is sooner).





/** Warning annotations per gate that could not be read; later misses go to the log only. */
const GATE_WARNINGS = 3;
/** Less time than this before the hard bound is no real try of a request. */
const MIN_TRY_MS = 50;
const seconds = (ms) => `${(ms / 1000).toFixed(1)}s`;
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
            const error = new Error(`no reading within ${seconds(timeoutMs)}`);
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
            measurement: (0,_shared_sanitise_js__WEBPACK_IMPORTED_MODULE_1__/* .inline */ .mG)(reading.measurement, 300),
            ...(reading.detail ? { detail: (0,_shared_sanitise_js__WEBPACK_IMPORTED_MODULE_1__/* .inline */ .mG)(reading.detail, 1000) } : {}),
            ...(typeof reading.value === 'number' ? { value: reading.value } : {}),
        };
    }
    catch (error) {
        return { error: (0,_shared_sanitise_js__WEBPACK_IMPORTED_MODULE_1__/* .inline */ .mG)(error instanceof Error ? error.message : String(error), 300) };
    }
    finally {
        clearTimeout(timer);
    }
}
function describeSample(series, sample) {
    const time = sample.durationMs !== undefined ? `${Math.round(sample.durationMs)} ms` : '';
    return sample.passed
        ? `${series.name} ✅ ${time}`
        : `${series.name} ❌ ${(0,_shared_sanitise_js__WEBPACK_IMPORTED_MODULE_1__/* .inline */ .mG)(sample.reason ?? 'failed', 120)}${time ? ` (${time})` : ''}`;
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
        if (!(settings.hardEndAt - at >= MIN_TRY_MS)) {
            cutShort = true;
            break;
        }
        const gateTimeout = Math.min(settings.gateTimeoutMs, settings.hardEndAt - at);
        const readings = Promise.all(gates.map((gate) => readGate(gate, gateTimeout)));
        const outcomes = await (0,_shared_concurrency_js__WEBPACK_IMPORTED_MODULE_4__/* .mapLimit */ .s)(checks, settings.concurrency, (check) => (0,_execute_js__WEBPACK_IMPORTED_MODULE_2__/* .attempt */ .CD)(check, { deadlineAt: settings.hardEndAt }, runtime));
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
                    (0,_shared_runner_js__WEBPACK_IMPORTED_MODULE_0__/* .warning */ .$e)(`${text}${unread === GATE_WARNINGS ? ' (further ticks it misses are in the log only)' : ''}`, {
                        title: `smoke-test: ${gs.name} not evaluated`,
                    });
                else
                    (0,_shared_runner_js__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq)(text);
            }
            else
                gateLines.push(`${gs.name} ${reading.ok ? '✅' : '❌'} ${reading.measurement}`);
        });
        ticks++;
        const verdict = (0,_window_verdict_js__WEBPACK_IMPORTED_MODULE_3__/* .judgeWindow */ ._w)(state(ticks, planned - ticks));
        const checkLines = series.map((s) => describeSample(s, s.samples[s.samples.length - 1]));
        (0,_shared_runner_js__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq)(`tick ${ticks}/${planned} at ${seconds(at - start)}: ${[...checkLines, ...gateLines].join(', ')}; error rate ${(0,_window_verdict_js__WEBPACK_IMPORTED_MODULE_3__/* .percent */ .KN)(verdict.errorRate)}`);
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
    const verdict = (0,_window_verdict_js__WEBPACK_IMPORTED_MODULE_3__/* .judgeWindow */ ._w)(state(ticks, 0));
    // A window the deadline ended before its time was not watched for as long as asked: that is no pass.
    if (cutShort || ticks === 0) {
        const unwatched = `the deadline ended the window after ${ticks} of ${planned} ticks (${seconds(runtime.now() - start)} of ${seconds(settings.windowMs)})`;
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

/***/ 20900:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   KN: () => (/* binding */ percent),
/* harmony export */   _w: () => (/* binding */ judgeWindow),
/* harmony export */   fl: () => (/* binding */ sampleSet)
/* harmony export */ });
/* unused harmony exports bestCaseThresholds, judgeStreakGate */
/* harmony import */ var _shared_sanitise_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(71193);
/* harmony import */ var _thresholds_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(4340);
/* harmony import */ var _shared_collections_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(99243);
// The bake window's gates, judged on what the window has measured so far. Pure: watch.ts calls it after every tick
// (a failure that is already certain ends the window early) and once at the end (nothing left to come).
//
// "Already certain" is decided by optimistic completion: the requests still planned are imagined as the best they
// could be (answered at once, none failing), and a gate that fails even then cannot pass by the window's end. A
// blip on the first tick therefore never fails a 5-minute window by itself; an outage does, without waiting.



/** A share as people read it: 37.5%, 0%, 0.25%. */
function percent(rate) {
    return `${Number((rate * 100).toFixed(2))}%`;
}
/** What a failed request was, in a few words: the status when the server answered, else the failure itself. */
function failureWords(sample) {
    if (sample.httpStatus !== undefined && sample.reason?.startsWith('unexpected HTTP'))
        return `HTTP ${sample.httpStatus}`;
    return (0,_shared_sanitise_js__WEBPACK_IMPORTED_MODULE_0__/* .inline */ .mG)(sample.reason ?? 'failed', 100);
}
/** Failing samples at the end of the series, one after another. */
function trailingFailures(samples) {
    let count = 0;
    for (let i = samples.length - 1; i >= 0 && !samples[i]?.passed; i--)
        count++;
    return count;
}
function sampleSet(samples) {
    return {
        durationsMs: samples.flatMap((s) => (s.durationMs !== undefined ? [s.durationMs] : [])),
        failed: samples.filter((s) => !s.passed).length,
        total: samples.length,
    };
}
/**
 * The thresholds as the best possible rest of the window would leave them: `remaining` more requests, each as
 * favourable to the threshold as a request can be (0 ms and passing for `<`, very slow and failing for `>`).
 * With remaining 0 this is the plain evaluation over the window.
 */
function bestCaseThresholds(thresholds, measured, remaining) {
    if (remaining <= 0)
        return (0,_thresholds_js__WEBPACK_IMPORTED_MODULE_1__/* .evaluateThresholds */ .S$)(thresholds, measured);
    return thresholds.map((t) => {
        const wantsLow = t.comparison === '<' || t.comparison === '<=';
        // A very slow answer rather than Infinity: interpolating between two infinities is NaN, which fails.
        const best = {
            durationsMs: [...measured.durationsMs, ...Array(remaining).fill(wantsLow ? 0 : 1e12)],
            failed: measured.failed + (wantsLow ? 0 : remaining),
            total: measured.total + remaining,
        };
        const [result] = (0,_thresholds_js__WEBPACK_IMPORTED_MODULE_1__/* .evaluateThresholds */ .S$)([t], best);
        return result;
    });
}
function thresholdFailures(label, thresholds, measured, remaining) {
    const final = remaining <= 0;
    const decided = bestCaseThresholds(thresholds, measured, remaining).filter((r) => !r.passed);
    // The reason quotes what was measured so far, not the imagined best case.
    const current = (0,_thresholds_js__WEBPACK_IMPORTED_MODULE_1__/* .evaluateThresholds */ .S$)(thresholds, measured);
    return decided.map((d) => {
        const now = current.find((c) => c.threshold === d.threshold);
        return `${label}: ${d.threshold} not met${final ? '' : ' (cannot be met by the window’s end)'}: measured ${(0,_thresholds_js__WEBPACK_IMPORTED_MODULE_1__/* .formatMeasured */ .U6)(now)} over ${measured.total} request${measured.total === 1 ? '' : 's'}`;
    });
}
/** The longest run of ticks in a row that `is` picks out. */
function longestRun(items, is) {
    let longest = 0;
    let current = 0;
    for (const item of items) {
        current = is(item) ? current + 1 : 0;
        longest = Math.max(longest, current);
    }
    return longest;
}
/**
 * A gate judged like a check: failing `failAfter` ticks in a row fails the window now. No reading is no pass: a
 * gate unread `failAfter` ticks in a row (every tick, in a window of fewer) is inconclusive, which at the window's
 * end fails it, as unjudged (the release was not measured), unless gates-no-data is pass.
 */
function judgeStreakGate(gate, failAfter, remainingTicks) {
    const streak = trailingFailures(gate.ticks.map((t) => ({ passed: t.ok !== false })));
    const last = gate.ticks[gate.ticks.length - 1];
    if (streak >= failAfter && last)
        return {
            failure: `${gate.name}: ${(0,_shared_sanitise_js__WEBPACK_IMPORTED_MODULE_0__/* .inline */ .mG)(last.measurement ?? 'failed', 200)} on ${streak} tick${streak === 1 ? '' : 's'} in a row`,
            unjudged: false,
        };
    if (remainingTicks > 0 || gate.ticks.length === 0 || gate.noData === 'pass')
        return undefined;
    const unread = longestRun(gate.ticks, (t) => t.error !== undefined);
    if (unread < Math.min(gate.noDataAfter ?? failAfter, gate.ticks.length))
        return undefined;
    const lastError = [...gate.ticks].reverse().find((t) => t.error !== undefined)?.error ?? '';
    const unreadTicks = gate.ticks.filter((t) => t.error !== undefined).length;
    return {
        failure: `${gate.name}: inconclusive, no reading on ${unread} tick${unread === 1 ? '' : 's'} in a row (${unreadTicks} of ${gate.ticks.length} ticks unread; last: ${(0,_shared_sanitise_js__WEBPACK_IMPORTED_MODULE_0__/* .inline */ .mG)(lastError, 300)})`,
        unjudged: true,
    };
}
/** The window's failing measurements now: consecutive failures, error rate, latency thresholds, gates. */
function judgeWindow(state) {
    const failures = [];
    const unjudged = [];
    const failedChecks = new Set();
    const all = state.checks.flatMap((c) => c.samples);
    const sent = all.length;
    const failed = all.filter((s) => !s.passed).length;
    const errorRate = sent === 0 ? 0 : failed / sent;
    for (const check of state.checks) {
        const streak = trailingFailures(check.samples);
        const last = check.samples[check.samples.length - 1];
        if (streak >= state.failAfter && last)
            failedChecks.add(check.name);
        if (streak >= state.failAfter && last)
            failures.push(`${check.method} ${check.name}: ${streak} consecutive failures (${failureWords(last)})`);
    }
    // Certain once even a window of passing requests from here on cannot bring the rate back down to the limit.
    const remainingRequests = state.remainingTicks * state.checks.length;
    const bestRate = sent + remainingRequests === 0 ? 0 : failed / (sent + remainingRequests);
    if (bestRate > state.maxErrorRate || (failures.length > 0 && errorRate > state.maxErrorRate))
        failures.push(`error rate ${percent(errorRate)} > ${percent(state.maxErrorRate)} over ${state.ticks} tick${state.ticks === 1 ? '' : 's'} (${failed} of ${sent} requests failed)`);
    for (const check of state.checks) {
        const failing = thresholdFailures(`${check.method} ${check.name}`, check.thresholds, sampleSet(check.samples), state.remainingTicks);
        if (failing.length > 0)
            failedChecks.add(check.name);
        (0,_shared_collections_js__WEBPACK_IMPORTED_MODULE_2__/* .appendAll */ .u2)(failures, failing);
    }
    (0,_shared_collections_js__WEBPACK_IMPORTED_MODULE_2__/* .appendAll */ .u2)(failures, thresholdFailures('all checks', state.overallThresholds, sampleSet(all), remainingRequests));
    for (const gate of state.gates) {
        if (gate.failAfter !== undefined) {
            const verdict = judgeStreakGate(gate, gate.failAfter, state.remainingTicks);
            if (verdict)
                failures.push(verdict.failure);
            if (verdict?.unjudged)
                unjudged.push(verdict.failure);
            continue;
        }
        const failing = gate.ticks.find((t) => t.ok === false);
        // The gate's detail (Sentry: the issues' short ids, titles and links) is what the reader acts on: it goes with it.
        if (failing)
            failures.push(`${gate.name}: ${(0,_shared_sanitise_js__WEBPACK_IMPORTED_MODULE_0__/* .inline */ .mG)(failing.measurement ?? 'failed', 200)}${failing.detail ? ` (${(0,_shared_sanitise_js__WEBPACK_IMPORTED_MODULE_0__/* .inline */ .mG)(failing.detail, 400)})` : ''}`);
        else if (state.remainingTicks === 0 && gate.ticks.length > 0 && gate.ticks.every((t) => t.error !== undefined)) {
            const lastError = gate.ticks[gate.ticks.length - 1]?.error ?? '';
            const notEvaluated = `${gate.name}: could not be evaluated on any of ${gate.ticks.length} ticks (last: ${(0,_shared_sanitise_js__WEBPACK_IMPORTED_MODULE_0__/* .inline */ .mG)(lastError, 150)})`;
            failures.push(notEvaluated);
            unjudged.push(notEvaluated);
        }
    }
    return { failures, unjudged, failedChecks: [...failedChecks], errorRate, sent, failed };
}


/***/ })

};
