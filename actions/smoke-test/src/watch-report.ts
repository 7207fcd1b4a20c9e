// What a bake window tells people and the next steps: the `report` JSON, the one-line summary and failure reason,
// and the job summary: a table per check over the window, the gates, and charts of latency and failures over it.
//
// The charts are ```mermaid code blocks, which GitHub renders as SVG in Markdown, job summaries included. An SVG or
// a PNG of our own cannot get there: GitHub sanitises job summaries as it sanitises any Markdown it renders
// (html-pipeline's SanitizationFilter): <svg> is not an allowed element, so an inline SVG is stripped, and an <img>
// src may only be http(s) or relative, so a data: URI image is dropped as well. Mermaid source is text, so it
// survives; the text chart stays beside it, collapsed, for places that show Markdown without mermaid (the CLI).
import { codeSpan, escapeMarkdown, inline, longestRun } from '../../../shared/sanitise.js';
import { MARK, markdown, table } from '../../../shared/summary.js';
import {
  evaluateThresholds,
  latencyStats,
  type LatencyStats,
  type Threshold,
  thresholdTableRows,
  type ThresholdResult,
} from './thresholds.js';
import type { WindowResult } from './watch.js';
import { type CheckSeries, percent, sampleSet, type WindowSample } from './window-verdict.js';
import { largest } from '../../../shared/collections.js';

interface WatchCheckReport {
  name: string;
  method: string;
  url: string;
  passed: boolean;
  requests: number;
  failed: number;
  errorRate: number;
  /** Over every response of the window. */
  latency?: LatencyStats;
  thresholds: ThresholdResult[];
  longestFailureStreak: number;
  lastFailure?: string;
  /** The last REPORTED_SAMPLES requests (an output must stay small: a 6-hour window at 1s is 21,600 per check). */
  samples: WindowSample[];
}

export interface WatchReport {
  passed: boolean;
  status: 'succeeded' | 'failed';
  mode: 'watch';
  summary: string;
  /** The failing measurements, '; '-separated; empty when the window passed. */
  failureReason: string;
  failures: string[];
  durationMs: number;
  window: {
    windowMs: number;
    intervalMs: number;
    plannedTicks: number;
    ticks: number;
    endedEarly: boolean;
    failAfter: number;
    maxErrorRate: number;
    errorRate: number;
    requests: number;
    failed: number;
  };
  checks: WatchCheckReport[];
  overall: { latency?: LatencyStats; thresholds: ThresholdResult[] };
  gates: { name: string; readings: number; failing: number; errors: number; last?: string; lastError?: string }[];
}

function longestStreak(samples: readonly WindowSample[]): number {
  let longest = 0;
  let current = 0;
  for (const s of samples) {
    current = s.passed ? 0 : current + 1;
    longest = Math.max(longest, current);
  }
  return longest;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function formatWindow(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

/** Requests per check kept in the `report` output; the summary's chart and the figures cover them all. */
const REPORTED_SAMPLES = 300;

export function buildWatchReport(
  result: WindowResult,
  specs: readonly { name: string; url: string }[],
  overallThresholds: readonly Threshold[],
  settings: { windowMs: number; intervalMs: number; failAfter: number; maxErrorRate: number },
): WatchReport {
  const { verdict } = result;
  const passed = verdict.failures.length === 0;
  const all = result.checks.flatMap((c) => c.samples);
  const overallSet = sampleSet(all);
  const checks = result.checks.map((c, i): WatchCheckReport => {
    const set = sampleSet(c.samples);
    const lastFailure = [...c.samples].reverse().find((s) => !s.passed);
    return {
      name: c.name,
      method: c.method,
      url: specs[i]?.url ?? '',
      passed: !verdict.failedChecks.includes(c.name),
      requests: set.total,
      failed: set.failed,
      errorRate: set.total === 0 ? 0 : Math.round((set.failed / set.total) * 10_000) / 10_000,
      ...(set.durationsMs.length > 0 ? { latency: latencyStats(set) } : {}),
      thresholds: evaluateThresholds(c.thresholds, set),
      longestFailureStreak: longestStreak(c.samples),
      ...(lastFailure ? { lastFailure: inline(lastFailure.reason ?? 'failed', 300) } : {}),
      samples: c.samples.slice(-REPORTED_SAMPLES),
    };
  });
  const failureReason = verdict.failures.join('; ');
  const where = `${plural(result.ticks, 'tick')} of ${result.plannedTicks}, ${(result.durationMs / 1000).toFixed(1)}s`;
  const summary = passed
    ? `Bake window: ${plural(checks.length, 'check')} healthy for ${formatWindow(settings.windowMs)} (${where}; error rate ${percent(verdict.errorRate)}${overallSet.durationsMs.length > 0 ? `, p95 ${latencyStats(overallSet).p95} ms` : ''})`
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
      ...(overallSet.durationsMs.length > 0 ? { latency: latencyStats(overallSet) } : {}),
      thresholds: evaluateThresholds(overallThresholds, overallSet),
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
export function latencyLimit(thresholds: readonly Threshold[]): { value: number; label: string } | undefined {
  const limits = thresholds.filter(
    (t) =>
      t.aggregation.kind !== 'rate' && t.aggregation.kind !== 'min' && (t.comparison === '<' || t.comparison === '<='),
  );
  const lowest = limits.sort((a, b) => a.limit - b.limit)[0];
  return lowest ? { value: lowest.limit, label: lowest.source } : undefined;
}

/** Rows of the chart: 0 to the top in tenths, so every row is a round figure. */
const CHART_ROWS = 11;
const CHART_WIDTH = 60;

/** A round top for the y axis: 1, 2 or 5 × a power of ten, at or above `value`. */
export function niceCeiling(value: number): number {
  if (!(value > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}

/**
 * Latency of one check over the window as a text chart: a column per planned tick, so a window that ended early
 * shows where (ticks share a column when there are more than 60; the column shows the slowest, and × when any of
 * them failed), the latency threshold as a ┄ line. `●` an answer that passed, `×` a failed request at its latency
 * (at the top when no answer came).
 */
export function latencyChart(
  check: Pick<CheckSeries, 'name' | 'samples'>,
  limit: { value: number; label: string } | undefined,
  windowMs: number,
  plannedTicks: number,
): string {
  const samples = check.samples;
  if (samples.length === 0) return '(no requests)';
  const ticks = largest(
    samples.map((s) => s.tick + 1),
    plannedTicks,
  );
  const perColumn = Math.ceil(ticks / Math.min(ticks, CHART_WIDTH));
  const buckets = Array.from({ length: Math.ceil(ticks / perColumn) }, (_, i) =>
    samples.filter((s) => Math.floor(s.tick / perColumn) === i),
  );
  const slowest = largest(
    samples.map((s) => s.durationMs ?? 0),
    0,
  );
  const top = niceCeiling(Math.max(slowest, limit?.value ?? 0) * 1.05);
  const rowOf = (ms: number) => Math.min(CHART_ROWS - 1, Math.max(0, Math.round((ms / top) * (CHART_ROWS - 1))));
  const cellWidth = Math.max(1, Math.min(4, Math.floor(CHART_WIDTH / buckets.length)));
  const grid = Array.from({ length: CHART_ROWS }, () => Array<string>(buckets.length * cellWidth).fill(' '));
  if (limit) grid[rowOf(limit.value)]?.fill('┄');
  buckets.forEach((bucket, i) => {
    if (bucket.length === 0) return;
    const failed = bucket.some((s) => !s.passed);
    const times = bucket.flatMap((s) => (s.durationMs !== undefined ? [s.durationMs] : []));
    const row = failed && times.length < bucket.length ? CHART_ROWS - 1 : rowOf(largest(times, 0));
    (grid[row] as string[])[i * cellWidth + Math.floor((cellWidth - 1) / 2)] = failed ? '×' : '●';
  });
  const labels = new Map<number, string>([
    [0, '0 ms'],
    [CHART_ROWS - 1, `${top} ms`],
  ]);
  if (limit) labels.set(rowOf(limit.value), `${limit.value} ms`);
  const labelWidth = Math.max(...[...labels.values()].map((l) => l.length));
  const lines = grid
    .map((cells, row) => `${(labels.get(row) ?? '').padStart(labelWidth)} ┤${cells.join('')}`.trimEnd())
    .reverse();
  const axisWidth = buckets.length * cellWidth;
  const start = '0s';
  const end = formatWindow(windowMs);
  lines.push(`${' '.repeat(labelWidth)} └${'─'.repeat(axisWidth)}`);
  lines.push(
    `${' '.repeat(labelWidth)}  ${start}${' '.repeat(Math.max(1, axisWidth - start.length - end.length))}${end}`,
  );
  const legend = `● passed  × failed${limit ? `  ┄ ${limit.label}` : ''}${perColumn > 1 ? `  (${perColumn} ticks a column, the slowest shown)` : ''}`;
  return [...lines, `${' '.repeat(labelWidth)}  ${legend}`].join('\n');
}

/**
 * Line colours of the mermaid chart, fixed in its config so the legend under it (mermaid's xychart draws none) can
 * name each line by its colour, in words: a coloured square would be an emoji, an empty box without an emoji font.
 * Checks beyond the palette reuse its colours; the threshold is red.
 */
const LINE_COLOURS: readonly { hex: string; name: string }[] = [
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
function tickBuckets(ticks: number, maxPoints = MERMAID_POINTS): { perBucket: number; count: number } {
  const perBucket = Math.max(1, Math.ceil(ticks / maxPoints));
  return { perBucket, count: Math.ceil(ticks / perBucket) };
}

/**
 * The top of a count axis. Mermaid's xychart labels a linear axis with d3's ticks() (about ten), which fall on
 * tenths when the axis spans less than about 7; a round top of 10 or more (niceCeiling) puts every tick on a whole
 * number (10 by 1s, 20 by 2s, 50 by 5s).
 */
export function countAxisTop(largestCount: number): number {
  return Math.max(10, niceCeiling(largestCount));
}

/** A number mermaid's xychart grammar reads: plain decimal, no exponent, at most one decimal place. */
const num = (value: number) => String(Math.round(value * 10) / 10);

function frontmatter(colours: readonly string[], size?: { width: number; height: number }): string {
  // Colours are ours, never outside text; the palette is a comma-separated string in mermaid's theme variables.
  const chart = size ? `\n  xyChart:\n    width: ${size.width}\n    height: ${size.height}` : '';
  return `---\nconfig:${chart}\n  themeVariables:\n    xyChart:\n      plotColorPalette: "${colours.join(', ')}"\n---`;
}

export interface MermaidCharts {
  /** The latency chart's mermaid source: one line per check, then the threshold's flat line when there is one. */
  latency: string;
  /**
   * The failed requests, a bar per point where any failed (labelled by its second; a point with none has no bar:
   * mermaid draws a bar of 0 a few pixels tall), on a whole-number axis; undefined when no request failed.
   */
  failures?: string;
  /** Markdown: which colour is which line, and how ticks were grouped. */
  legend: string;
  /** Markdown under the failures chart: how many points it leaves out because none of their requests failed. */
  failuresLegend?: string;
}

/**
 * The window's latency as mermaid xychart-beta source: the ticks that ran on the x axis (seconds since the window
 * began; ticks are grouped when more than MERMAID_POINTS ran, each point the slowest answer of its group), one line
 * per check, the lowest latency threshold as a flat line. A line needs a value at every point: a point where a check
 * got no answer at all is drawn at the top of the axis, as the text chart does, and the failures chart says why.
 * Check names never enter the mermaid source (they are the user's and could break its grammar); the legend, in
 * escaped Markdown, names them.
 */
export function latencyMermaidCharts(
  series: readonly Pick<CheckSeries, 'name' | 'method' | 'samples' | 'thresholds'>[],
  overallThresholds: readonly Threshold[],
  intervalMs: number,
  ticksRun: number,
  plannedTicks: number,
): MermaidCharts | undefined {
  const ran = largest(
    series.flatMap((s) => s.samples.map((x) => x.tick + 1)),
    ticksRun,
  );
  if (ran === 0 || series.every((s) => s.samples.length === 0)) return undefined;
  const { perBucket, count } = tickBuckets(ran);
  const inBucket = (samples: readonly WindowSample[], i: number) =>
    samples.filter((x) => Math.floor(x.tick / perBucket) === i);
  const limit = latencyLimit([...series.flatMap((s) => s.thresholds), ...overallThresholds]);
  const slowest = largest(
    series.flatMap((s) => s.samples.map((x) => x.durationMs ?? 0)),
    0,
  );
  const top = niceCeiling(Math.max(slowest, limit?.value ?? 0) * 1.05);
  const lines = series.map((s) =>
    Array.from({ length: count }, (_, i) => {
      const times = inBucket(s.samples, i).flatMap((x) => (x.durationMs !== undefined ? [x.durationMs] : []));
      return times.length > 0 ? largest(times) : top;
    }),
  );
  const seconds = (i: number) => (i * perBucket * intervalMs) / 1000;
  const xAxis = `x-axis "seconds since the window began" 0 --> ${num(seconds(Math.max(1, count - 1)))}`;
  const colours = series.map((_, i) => LINE_COLOURS[i % LINE_COLOURS.length] as { hex: string; name: string });
  const latency = [
    frontmatter([...colours.map((c) => c.hex), ...(limit ? [THRESHOLD_COLOUR.hex] : [])]),
    'xychart-beta',
    '  title "Latency over the window"',
    `  ${xAxis}`,
    `  y-axis "ms" 0 --> ${top}`,
    ...lines.map((values) => `  line [${values.map(num).join(', ')}]`),
    ...(limit ? [`  line [${Array<string>(count).fill(num(limit.value)).join(', ')}]`] : []),
  ].join('\n');
  const failedPerPoint = Array.from({ length: count }, (_, i) =>
    series.reduce((n, s) => n + inBucket(s.samples, i).filter((x) => !x.passed).length, 0),
  );
  const failing = failedPerPoint.flatMap((failed, i) => (failed > 0 ? [{ second: seconds(i), failed }] : []));
  const anyFailed = failing.length > 0;
  const failures = anyFailed
    ? [
        // As wide as its bars need (mermaid's default is 700): a bar fills its category, so two would be slabs.
        frontmatter([FAILED_COLOUR], { width: Math.min(700, 300 + 60 * failing.length), height: 300 }),
        'xychart-beta',
        '  title "Failed requests"',
        `  x-axis "second of the window" [${failing.map((p) => `"${num(p.second)}s"`).join(', ')}]`,
        `  y-axis "requests" 0 --> ${countAxisTop(largest(failing.map((p) => p.failed)))}`,
        `  bar [${failing.map((p) => p.failed).join(', ')}]`,
      ].join('\n')
    : undefined;
  const named = series.map((s, i) => `${colours[i]?.name}: ${escapeMarkdown(`${s.method} ${s.name}`, 200)}`);
  if (limit) named.push(`${THRESHOLD_COLOUR.name}: threshold ${escapeMarkdown(limit.label, 200)}`);
  const grouping = perBucket > 1 ? ` Each point is ${perBucket} ticks, the slowest answer shown.` : '';
  const legend = `${named.join(' · ')}.${grouping}${ran < plannedTicks ? ` The window ended after ${ran} of ${plannedTicks} ticks; the x axis shows the ticks that ran.` : ''}${anyFailed ? '' : ' No request failed.'}`;
  const clean = count - failing.length;
  const failuresLegend = anyFailed
    ? `A bar for each point with a failed request${clean === 1 ? '; the other point had none' : clean > 1 ? `; the other ${clean} points had none` : ''}.`
    : undefined;
  return { latency, ...(failures ? { failures, failuresLegend } : {}), legend };
}

function latencyMermaid(
  series: readonly CheckSeries[],
  overallThresholds: readonly Threshold[],
  intervalMs: number,
  ticksRun: number,
  plannedTicks: number,
): string {
  const charts = latencyMermaidCharts(series, overallThresholds, intervalMs, ticksRun, plannedTicks);
  if (!charts) return '**Latency over the window:** no requests were made.';
  return [
    `\`\`\`mermaid\n${charts.latency}\n\`\`\``,
    charts.legend,
    ...(charts.failures ? [`\`\`\`mermaid\n${charts.failures}\n\`\`\``, charts.failuresLegend ?? ''] : []),
  ].join('\n\n');
}

const ms = (value: number | undefined) => (value === undefined || Number.isNaN(value) ? undefined : `${value} ms`);

/** A code block that outside text cannot close: check names are the user's, but a fence must hold whatever they are. */
function fenced(text: string): string {
  const longest = Math.max(2, longestRun(text, '`'));
  const fence = '`'.repeat(longest + 1);
  return `${fence}text\n${text}\n${fence}`;
}

export function watchSummaryMarkdown(
  report: WatchReport,
  series: readonly CheckSeries[],
  overallThresholds: readonly Threshold[],
): string {
  const heading = `### ${report.passed ? MARK.passed : MARK.failed} ${escapeMarkdown(report.summary, 2000).replace(/<br>/g, ' ')}`;
  const w = report.window;
  const settings = `Watched every ${formatWindow(w.intervalMs)} for ${formatWindow(w.windowMs)}: ${w.ticks} of ${w.plannedTicks} ticks, ${w.requests} requests, ${w.failed} failed (error rate ${percent(w.errorRate)}, limit ${percent(w.maxErrorRate)}; ${w.failAfter} consecutive failures of a check end the window).`;
  const rows = report.checks.map((c) => [
    markdown(`**${escapeMarkdown(c.name, 200)}**<br>${codeSpan(`${c.method} ${c.url}`, 500)}`),
    c.passed ? `${MARK.passed} passed` : `${MARK.failed} failed`,
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
    table(['Check', 'Result', 'Requests', 'Errors', 'p50', 'p95', 'max', 'Last failure'], rows),
  ];
  const thresholdRows = thresholdTableRows(report.checks, report.overall.thresholds);
  if (thresholdRows.length > 0)
    parts.push(table(['Check', 'Threshold over the window', 'Measured', 'Result'], thresholdRows));
  if (report.gates.length > 0)
    parts.push(
      table(
        ['Gate', 'Readings', 'Failing', 'Not evaluated', 'Last reading'],
        report.gates.map((g) => [
          g.name,
          g.readings,
          g.failing,
          g.errors,
          g.last ?? (g.lastError ? `error: ${g.lastError}` : ''),
        ]),
      ),
    );
  if (!report.passed)
    parts.push(`**Failing measurements:**\n\n${report.failures.map((f) => `- ${escapeMarkdown(f, 1000)}`).join('\n')}`);
  parts.push(latencyMermaid(series, overallThresholds, w.intervalMs, w.ticks, w.plannedTicks));
  const texts = series.map(
    (s) =>
      `**${escapeMarkdown(s.name, 200)}**\n\n${fenced(latencyChart(s, latencyLimit([...s.thresholds, ...overallThresholds]), w.windowMs, w.plannedTicks))}`,
  );
  parts.push(`<details><summary>Latency over the window as text</summary>\n\n${texts.join('\n\n')}\n\n</details>`);
  parts.push(`Finished in ${(report.durationMs / 1000).toFixed(1)}s (watch mode).`);
  return parts.join('\n\n');
}
