export const id = 724;
export const ids = [724];
export const modules = {

/***/ 19724:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   buildWatchReport: () => (/* binding */ buildWatchReport),
/* harmony export */   watchSummaryMarkdown: () => (/* binding */ watchSummaryMarkdown)
/* harmony export */ });
/* unused harmony exports latencyLimit, niceCeiling, latencyChart, countAxisTop, latencyMermaidCharts */
/* harmony import */ var _shared_sanitise_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(71193);
/* harmony import */ var _shared_summary_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(96566);
/* harmony import */ var _thresholds_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(4340);
/* harmony import */ var _window_verdict_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(20900);
/* harmony import */ var _shared_collections_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(99243);
// What a bake window tells people and the next steps: the `report` JSON, the one-line summary and failure reason,
// and the job summary: a table per check over the window, the gates, and charts of latency and failures over it.
//
// The charts are ```mermaid code blocks, which GitHub renders as SVG in Markdown, job summaries included. An SVG or
// a PNG of our own cannot get there: GitHub sanitises job summaries as it sanitises any Markdown it renders
// (html-pipeline's SanitizationFilter): <svg> is not an allowed element, so an inline SVG is stripped, and an <img>
// src may only be http(s) or relative, so a data: URI image is dropped as well. Mermaid source is text, so it
// survives; the text chart stays beside it, collapsed, for places that show Markdown without mermaid (the CLI).





function longestStreak(samples) {
    let longest = 0;
    let current = 0;
    for (const s of samples) {
        current = s.passed ? 0 : current + 1;
        longest = Math.max(longest, current);
    }
    return longest;
}
const plural = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;
function formatWindow(ms) {
    if (ms % 3_600_000 === 0)
        return `${ms / 3_600_000}h`;
    if (ms % 60_000 === 0)
        return `${ms / 60_000}m`;
    return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}
/** Requests per check kept in the `report` output; the summary's chart and the figures cover them all. */
const REPORTED_SAMPLES = 300;
function buildWatchReport(result, specs, overallThresholds, settings) {
    const { verdict } = result;
    const passed = verdict.failures.length === 0;
    const all = result.checks.flatMap((c) => c.samples);
    const overallSet = (0,_window_verdict_js__WEBPACK_IMPORTED_MODULE_3__/* .sampleSet */ .fl)(all);
    const checks = result.checks.map((c, i) => {
        const set = (0,_window_verdict_js__WEBPACK_IMPORTED_MODULE_3__/* .sampleSet */ .fl)(c.samples);
        const lastFailure = [...c.samples].reverse().find((s) => !s.passed);
        return {
            name: c.name,
            method: c.method,
            url: specs[i]?.url ?? '',
            passed: !verdict.failedChecks.includes(c.name),
            requests: set.total,
            failed: set.failed,
            errorRate: set.total === 0 ? 0 : Math.round((set.failed / set.total) * 10_000) / 10_000,
            ...(set.durationsMs.length > 0 ? { latency: (0,_thresholds_js__WEBPACK_IMPORTED_MODULE_2__/* .latencyStats */ .Ir)(set) } : {}),
            thresholds: (0,_thresholds_js__WEBPACK_IMPORTED_MODULE_2__/* .evaluateThresholds */ .S$)(c.thresholds, set),
            longestFailureStreak: longestStreak(c.samples),
            ...(lastFailure ? { lastFailure: (0,_shared_sanitise_js__WEBPACK_IMPORTED_MODULE_0__/* .inline */ .mG)(lastFailure.reason ?? 'failed', 300) } : {}),
            samples: c.samples.slice(-REPORTED_SAMPLES),
        };
    });
    const failureReason = verdict.failures.join('; ');
    const where = `${plural(result.ticks, 'tick')} of ${result.plannedTicks}, ${(result.durationMs / 1000).toFixed(1)}s`;
    const summary = passed
        ? `Bake window: ${plural(checks.length, 'check')} healthy for ${formatWindow(settings.windowMs)} (${where}; error rate ${(0,_window_verdict_js__WEBPACK_IMPORTED_MODULE_3__/* .percent */ .KN)(verdict.errorRate)}${overallSet.durationsMs.length > 0 ? `, p95 ${(0,_thresholds_js__WEBPACK_IMPORTED_MODULE_2__/* .latencyStats */ .Ir)(overallSet).p95} ms` : ''})`
        : `Bake window failed${result.endedEarly ? ' early' : ''} (${where}): ${failureReason}`;
    return {
        passed,
        status: passed ? 'succeeded' : 'failed',
        mode: 'watch',
        summary,
        failureReason,
        failures: verdict.failures,
        durationMs: Math.round(result.durationMs),
        window: {
            windowMs: settings.windowMs,
            intervalMs: settings.intervalMs,
            plannedTicks: result.plannedTicks,
            ticks: result.ticks,
            endedEarly: result.endedEarly,
            failAfter: settings.failAfter,
            maxErrorRate: settings.maxErrorRate,
            errorRate: Math.round(verdict.errorRate * 10_000) / 10_000,
            requests: verdict.sent,
            failed: verdict.failed,
        },
        checks,
        overall: {
            ...(overallSet.durationsMs.length > 0 ? { latency: (0,_thresholds_js__WEBPACK_IMPORTED_MODULE_2__/* .latencyStats */ .Ir)(overallSet) } : {}),
            thresholds: (0,_thresholds_js__WEBPACK_IMPORTED_MODULE_2__/* .evaluateThresholds */ .S$)(overallThresholds, overallSet),
        },
        gates: result.gates.map((g) => {
            const readings = g.ticks.filter((t) => t.error === undefined);
            const last = readings[readings.length - 1];
            const lastError = [...g.ticks].reverse().find((t) => t.error !== undefined)?.error;
            return {
                name: g.name,
                readings: readings.length,
                failing: readings.filter((t) => t.ok === false).length,
                errors: g.ticks.length - readings.length,
                ...(last?.measurement ? { last: last.measurement } : {}),
                ...(lastError ? { lastError } : {}),
            };
        }),
    };
}
/** Latency limits a chart can draw as a line: `<`/`<=` on a percentile, the median, the average or the maximum. */
function latencyLimit(thresholds) {
    const limits = thresholds.filter((t) => t.aggregation.kind !== 'rate' && t.aggregation.kind !== 'min' && (t.comparison === '<' || t.comparison === '<='));
    const lowest = limits.sort((a, b) => a.limit - b.limit)[0];
    return lowest ? { value: lowest.limit, label: lowest.source } : undefined;
}
/** Rows of the chart: 0 to the top in tenths, so every row is a round figure. */
const CHART_ROWS = 11;
const CHART_WIDTH = 60;
/** A round top for the y axis: 1, 2 or 5 × a power of ten, at or above `value`. */
function niceCeiling(value) {
    if (!(value > 0))
        return 1;
    const power = 10 ** Math.floor(Math.log10(value));
    for (const step of [1, 2, 5, 10])
        if (step * power >= value)
            return step * power;
    return 10 * power;
}
/**
 * Latency of one check over the window as a text chart: a column per planned tick, so a window that ended early
 * shows where (ticks share a column when there are more than 60; the column shows the slowest, and × when any of
 * them failed), the latency threshold as a ┄ line. `●` an answer that passed, `×` a failed request at its latency
 * (at the top when no answer came).
 */
function latencyChart(check, limit, windowMs, plannedTicks) {
    const samples = check.samples;
    if (samples.length === 0)
        return '(no requests)';
    const ticks = (0,_shared_collections_js__WEBPACK_IMPORTED_MODULE_4__/* .largest */ .nQ)(samples.map((s) => s.tick + 1), plannedTicks);
    const perColumn = Math.ceil(ticks / Math.min(ticks, CHART_WIDTH));
    const buckets = Array.from({ length: Math.ceil(ticks / perColumn) }, (_, i) => samples.filter((s) => Math.floor(s.tick / perColumn) === i));
    const slowest = (0,_shared_collections_js__WEBPACK_IMPORTED_MODULE_4__/* .largest */ .nQ)(samples.map((s) => s.durationMs ?? 0), 0);
    const top = niceCeiling(Math.max(slowest, limit?.value ?? 0) * 1.05);
    const rowOf = (ms) => Math.min(CHART_ROWS - 1, Math.max(0, Math.round((ms / top) * (CHART_ROWS - 1))));
    const cellWidth = Math.max(1, Math.min(4, Math.floor(CHART_WIDTH / buckets.length)));
    const grid = Array.from({ length: CHART_ROWS }, () => Array(buckets.length * cellWidth).fill(' '));
    if (limit)
        grid[rowOf(limit.value)]?.fill('┄');
    buckets.forEach((bucket, i) => {
        if (bucket.length === 0)
            return;
        const failed = bucket.some((s) => !s.passed);
        const times = bucket.flatMap((s) => (s.durationMs !== undefined ? [s.durationMs] : []));
        const row = failed && times.length < bucket.length ? CHART_ROWS - 1 : rowOf((0,_shared_collections_js__WEBPACK_IMPORTED_MODULE_4__/* .largest */ .nQ)(times, 0));
        grid[row][i * cellWidth + Math.floor((cellWidth - 1) / 2)] = failed ? '×' : '●';
    });
    const labels = new Map([
        [0, '0 ms'],
        [CHART_ROWS - 1, `${top} ms`],
    ]);
    if (limit)
        labels.set(rowOf(limit.value), `${limit.value} ms`);
    const labelWidth = Math.max(...[...labels.values()].map((l) => l.length));
    const lines = grid
        .map((cells, row) => `${(labels.get(row) ?? '').padStart(labelWidth)} ┤${cells.join('')}`.trimEnd())
        .reverse();
    const axisWidth = buckets.length * cellWidth;
    const start = '0s';
    const end = formatWindow(windowMs);
    lines.push(`${' '.repeat(labelWidth)} └${'─'.repeat(axisWidth)}`);
    lines.push(`${' '.repeat(labelWidth)}  ${start}${' '.repeat(Math.max(1, axisWidth - start.length - end.length))}${end}`);
    const legend = `● passed  × failed${limit ? `  ┄ ${limit.label}` : ''}${perColumn > 1 ? `  (${perColumn} ticks a column, the slowest shown)` : ''}`;
    return [...lines, `${' '.repeat(labelWidth)}  ${legend}`].join('\n');
}
/**
 * Line colours of the mermaid chart, fixed in its config so the legend under it (mermaid's xychart draws none) can
 * name each line by its colour, in words: a coloured square would be an emoji, an empty box without an emoji font.
 * Checks beyond the palette reuse its colours; the threshold is red.
 */
const LINE_COLOURS = [
    { hex: '#0969da', name: 'blue' },
    { hex: '#bc4c00', name: 'orange' },
    { hex: '#1a7f37', name: 'green' },
    { hex: '#8250df', name: 'purple' },
    { hex: '#9a6700', name: 'yellow' },
    { hex: '#6e4b3a', name: 'brown' },
];
const THRESHOLD_COLOUR = { hex: '#cf222e', name: 'red' };
const FAILED_COLOUR = '#cf222e';
/** x values per mermaid chart: 60 points read well, and keep the source far below mermaid's maxTextSize (50,000 by default). */
const MERMAID_POINTS = 60;
/** Ticks grouped into at most MERMAID_POINTS points: how many ticks a point holds, and how many points. */
function tickBuckets(ticks, maxPoints = MERMAID_POINTS) {
    const perBucket = Math.max(1, Math.ceil(ticks / maxPoints));
    return { perBucket, count: Math.ceil(ticks / perBucket) };
}
/**
 * The top of a count axis. Mermaid's xychart labels a linear axis with d3's ticks() (about ten), which fall on
 * tenths when the axis spans less than about 7; a round top of 10 or more (niceCeiling) puts every tick on a whole
 * number (10 by 1s, 20 by 2s, 50 by 5s).
 */
function countAxisTop(largestCount) {
    return Math.max(10, niceCeiling(largestCount));
}
/** A number mermaid's xychart grammar reads: plain decimal, no exponent, at most one decimal place. */
const num = (value) => String(Math.round(value * 10) / 10);
function frontmatter(colours, size) {
    // Colours are ours, never outside text; the palette is a comma-separated string in mermaid's theme variables.
    const chart = size ? `\n  xyChart:\n    width: ${size.width}\n    height: ${size.height}` : '';
    return `---\nconfig:${chart}\n  themeVariables:\n    xyChart:\n      plotColorPalette: "${colours.join(', ')}"\n---`;
}
/**
 * The window's latency as mermaid xychart-beta source: the ticks that ran on the x axis (seconds since the window
 * began; ticks are grouped when more than MERMAID_POINTS ran, each point the slowest answer of its group), one line
 * per check, the lowest latency threshold as a flat line. A line needs a value at every point: a point where a check
 * got no answer at all is drawn at the top of the axis, as the text chart does, and the failures chart says why.
 * Check names never enter the mermaid source (they are the user's and could break its grammar); the legend, in
 * escaped Markdown, names them.
 */
function latencyMermaidCharts(series, overallThresholds, intervalMs, ticksRun, plannedTicks) {
    const ran = (0,_shared_collections_js__WEBPACK_IMPORTED_MODULE_4__/* .largest */ .nQ)(series.flatMap((s) => s.samples.map((x) => x.tick + 1)), ticksRun);
    if (ran === 0 || series.every((s) => s.samples.length === 0))
        return undefined;
    const { perBucket, count } = tickBuckets(ran);
    const inBucket = (samples, i) => samples.filter((x) => Math.floor(x.tick / perBucket) === i);
    const limit = latencyLimit([...series.flatMap((s) => s.thresholds), ...overallThresholds]);
    const slowest = (0,_shared_collections_js__WEBPACK_IMPORTED_MODULE_4__/* .largest */ .nQ)(series.flatMap((s) => s.samples.map((x) => x.durationMs ?? 0)), 0);
    const top = niceCeiling(Math.max(slowest, limit?.value ?? 0) * 1.05);
    const lines = series.map((s) => Array.from({ length: count }, (_, i) => {
        const times = inBucket(s.samples, i).flatMap((x) => (x.durationMs !== undefined ? [x.durationMs] : []));
        return times.length > 0 ? (0,_shared_collections_js__WEBPACK_IMPORTED_MODULE_4__/* .largest */ .nQ)(times) : top;
    }));
    const seconds = (i) => (i * perBucket * intervalMs) / 1000;
    const xAxis = `x-axis "seconds since the window began" 0 --> ${num(seconds(Math.max(1, count - 1)))}`;
    const colours = series.map((_, i) => LINE_COLOURS[i % LINE_COLOURS.length]);
    const latency = [
        frontmatter([...colours.map((c) => c.hex), ...(limit ? [THRESHOLD_COLOUR.hex] : [])]),
        'xychart-beta',
        '  title "Latency over the window"',
        `  ${xAxis}`,
        `  y-axis "ms" 0 --> ${top}`,
        ...lines.map((values) => `  line [${values.map(num).join(', ')}]`),
        ...(limit ? [`  line [${Array(count).fill(num(limit.value)).join(', ')}]`] : []),
    ].join('\n');
    const failedPerPoint = Array.from({ length: count }, (_, i) => series.reduce((n, s) => n + inBucket(s.samples, i).filter((x) => !x.passed).length, 0));
    const failing = failedPerPoint.flatMap((failed, i) => (failed > 0 ? [{ second: seconds(i), failed }] : []));
    const anyFailed = failing.length > 0;
    const failures = anyFailed
        ? [
            // As wide as its bars need (mermaid's default is 700): a bar fills its category, so two would be slabs.
            frontmatter([FAILED_COLOUR], { width: Math.min(700, 300 + 60 * failing.length), height: 300 }),
            'xychart-beta',
            '  title "Failed requests"',
            `  x-axis "second of the window" [${failing.map((p) => `"${num(p.second)}s"`).join(', ')}]`,
            `  y-axis "requests" 0 --> ${countAxisTop((0,_shared_collections_js__WEBPACK_IMPORTED_MODULE_4__/* .largest */ .nQ)(failing.map((p) => p.failed)))}`,
            `  bar [${failing.map((p) => p.failed).join(', ')}]`,
        ].join('\n')
        : undefined;
    const named = series.map((s, i) => `${colours[i]?.name}: ${(0,_shared_sanitise_js__WEBPACK_IMPORTED_MODULE_0__/* .escapeMarkdown */ .FV)(`${s.method} ${s.name}`, 200)}`);
    if (limit)
        named.push(`${THRESHOLD_COLOUR.name}: threshold ${(0,_shared_sanitise_js__WEBPACK_IMPORTED_MODULE_0__/* .escapeMarkdown */ .FV)(limit.label, 200)}`);
    const grouping = perBucket > 1 ? ` Each point is ${perBucket} ticks, the slowest answer shown.` : '';
    const legend = `${named.join(' · ')}.${grouping}${ran < plannedTicks ? ` The window ended after ${ran} of ${plannedTicks} ticks; the x axis shows the ticks that ran.` : ''}${anyFailed ? '' : ' No request failed.'}`;
    const clean = count - failing.length;
    const failuresLegend = anyFailed
        ? `A bar for each point with a failed request${clean === 1 ? '; the other point had none' : clean > 1 ? `; the other ${clean} points had none` : ''}.`
        : undefined;
    return { latency, ...(failures ? { failures, failuresLegend } : {}), legend };
}
function latencyMermaid(series, overallThresholds, intervalMs, ticksRun, plannedTicks) {
    const charts = latencyMermaidCharts(series, overallThresholds, intervalMs, ticksRun, plannedTicks);
    if (!charts)
        return '**Latency over the window:** no requests were made.';
    return [
        `\`\`\`mermaid\n${charts.latency}\n\`\`\``,
        charts.legend,
        ...(charts.failures ? [`\`\`\`mermaid\n${charts.failures}\n\`\`\``, charts.failuresLegend ?? ''] : []),
    ].join('\n\n');
}
const ms = (value) => (value === undefined || Number.isNaN(value) ? undefined : `${value} ms`);
/** A code block that outside text cannot close: check names are the user's, but a fence must hold whatever they are. */
function fenced(text) {
    const longest = Math.max(2, (0,_shared_sanitise_js__WEBPACK_IMPORTED_MODULE_0__/* .longestRun */ .Q_)(text, '`'));
    const fence = '`'.repeat(longest + 1);
    return `${fence}text\n${text}\n${fence}`;
}
function watchSummaryMarkdown(report, series, overallThresholds) {
    const heading = `### ${report.passed ? _shared_summary_js__WEBPACK_IMPORTED_MODULE_1__/* .MARK */ .M$.passed : _shared_summary_js__WEBPACK_IMPORTED_MODULE_1__/* .MARK */ .M$.failed} ${(0,_shared_sanitise_js__WEBPACK_IMPORTED_MODULE_0__/* .escapeMarkdown */ .FV)(report.summary, 2000).replace(/<br>/g, ' ')}`;
    const w = report.window;
    const settings = `Watched every ${formatWindow(w.intervalMs)} for ${formatWindow(w.windowMs)}: ${w.ticks} of ${w.plannedTicks} ticks, ${w.requests} requests, ${w.failed} failed (error rate ${(0,_window_verdict_js__WEBPACK_IMPORTED_MODULE_3__/* .percent */ .KN)(w.errorRate)}, limit ${(0,_window_verdict_js__WEBPACK_IMPORTED_MODULE_3__/* .percent */ .KN)(w.maxErrorRate)}; ${w.failAfter} consecutive failures of a check end the window).`;
    const rows = report.checks.map((c) => [
        (0,_shared_summary_js__WEBPACK_IMPORTED_MODULE_1__/* .markdown */ .wD)(`**${(0,_shared_sanitise_js__WEBPACK_IMPORTED_MODULE_0__/* .escapeMarkdown */ .FV)(c.name, 200)}**<br>${(0,_shared_sanitise_js__WEBPACK_IMPORTED_MODULE_0__/* .codeSpan */ .SS)(`${c.method} ${c.url}`, 500)}`),
        c.passed ? `${_shared_summary_js__WEBPACK_IMPORTED_MODULE_1__/* .MARK */ .M$.passed} passed` : `${_shared_summary_js__WEBPACK_IMPORTED_MODULE_1__/* .MARK */ .M$.failed} failed`,
        c.requests,
        c.failed,
        ms(c.latency?.p50),
        ms(c.latency?.p95),
        ms(c.latency?.max),
        c.lastFailure ?? '',
    ]);
    const parts = [
        heading,
        settings,
        (0,_shared_summary_js__WEBPACK_IMPORTED_MODULE_1__/* .table */ .tp)(['Check', 'Result', 'Requests', 'Errors', 'p50', 'p95', 'max', 'Last failure'], rows),
    ];
    const thresholdRows = (0,_thresholds_js__WEBPACK_IMPORTED_MODULE_2__/* .thresholdTableRows */ .Ji)(report.checks, report.overall.thresholds);
    if (thresholdRows.length > 0)
        parts.push((0,_shared_summary_js__WEBPACK_IMPORTED_MODULE_1__/* .table */ .tp)(['Check', 'Threshold over the window', 'Measured', 'Result'], thresholdRows));
    if (report.gates.length > 0)
        parts.push((0,_shared_summary_js__WEBPACK_IMPORTED_MODULE_1__/* .table */ .tp)(['Gate', 'Readings', 'Failing', 'Not evaluated', 'Last reading'], report.gates.map((g) => [
            g.name,
            g.readings,
            g.failing,
            g.errors,
            g.last ?? (g.lastError ? `error: ${g.lastError}` : ''),
        ])));
    if (!report.passed)
        parts.push(`**Failing measurements:**\n\n${report.failures.map((f) => `- ${(0,_shared_sanitise_js__WEBPACK_IMPORTED_MODULE_0__/* .escapeMarkdown */ .FV)(f, 1000)}`).join('\n')}`);
    parts.push(latencyMermaid(series, overallThresholds, w.intervalMs, w.ticks, w.plannedTicks));
    const texts = series.map((s) => `**${(0,_shared_sanitise_js__WEBPACK_IMPORTED_MODULE_0__/* .escapeMarkdown */ .FV)(s.name, 200)}**\n\n${fenced(latencyChart(s, latencyLimit([...s.thresholds, ...overallThresholds]), w.windowMs, w.plannedTicks))}`);
    parts.push(`<details><summary>Latency over the window as text</summary>\n\n${texts.join('\n\n')}\n\n</details>`);
    parts.push(`Finished in ${(report.durationMs / 1000).toFixed(1)}s (watch mode).`);
    return parts.join('\n\n');
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
