// Metric gates in the reports: their readings over a bake window (a section of the job summary), and the one
// reading each takes in a one-shot smoke test (mode gate or monitor), which can fail the run as a check does.
import { formatReading } from '../../../shared/metric-gates.js';
import { codeSpan, inline } from '../../../shared/sanitise.js';
import { MARK, markdown, table } from '../../../shared/summary.js';
import type { Report } from './report.js';
import { readGate } from './watch.js';
import type { WindowGate } from './window-gates.js';
import type { GateSeries } from './window-verdict.js';

/** Readings a summary row shows: the last ones of a long window (a 6-hour window at 1s reads 21,600 times). */
const SHOWN_READINGS = 60;
const BARS = '▁▂▃▄▅▆▇█';
/** An unread tick in the sparkline. */
const UNREAD = '·';

/** The readings as a one-line chart, lowest to highest across the shown ticks; '·' where the gate had no reading. */
function sparkline(ticks: GateSeries['ticks']): string {
  const values = ticks.flatMap((t) => (t.value !== undefined && Number.isFinite(t.value) ? [t.value] : []));
  const low = Math.min(...values);
  const high = Math.max(...values);
  return ticks
    .map((t) => {
      if (t.value === undefined) return UNREAD;
      if (!Number.isFinite(t.value)) return t.value > 0 ? '█' : '▁';
      const share = high === low ? 0.5 : (t.value - low) / (high - low);
      return BARS[Math.min(BARS.length - 1, Math.floor(share * BARS.length))];
    })
    .join('');
}

function gateVerdict(gate: GateSeries, failures: readonly string[]): string {
  const failure = failures.find((f) => f.startsWith(`${gate.name}: `));
  if (failure) return failure.includes(': inconclusive, ') ? `${MARK.warning} inconclusive` : `${MARK.failed} failed`;
  const unread = gate.ticks.filter((t) => t.error !== undefined).length;
  if (unread > 0 && gate.noData === 'pass' && unread === gate.ticks.length)
    return `${MARK.warning} no data (passed: gates-no-data is pass)`;
  return `${MARK.passed} passed`;
}

/**
 * The bake window's metric gates, one row each: every reading (the last SHOWN_READINGS) as a chart and as numbers,
 * the range, the unread ticks and the verdict. Empty when the window had no metric gate.
 */
export function metricGatesMarkdown(gates: readonly GateSeries[], failures: readonly string[]): string {
  const metric = gates.filter((g) => g.failAfter !== undefined);
  if (metric.length === 0) return '';
  const rows = metric.map((g) => {
    const shown = g.ticks.slice(-SHOWN_READINGS);
    const values = g.ticks.flatMap((t) => (t.value !== undefined ? [t.value] : []));
    const numbers = shown.map((t) => (t.value !== undefined ? formatReading(t.value) : '–')).join(' ');
    const lastError = [...g.ticks].reverse().find((t) => t.error !== undefined)?.error;
    return [
      markdown(codeSpan(g.name.replace(/^prometheus: /, ''), 400)),
      values.length > 0 ? `${sparkline(shown)} (${numbers})` : 'no reading',
      values.length > 0 ? `${formatReading(Math.min(...values))} – ${formatReading(Math.max(...values))}` : '',
      `${g.ticks.filter((t) => t.error !== undefined).length} of ${g.ticks.length}${lastError ? ` (last: ${inline(lastError, 200)})` : ''}`,
      gateVerdict(g, failures),
    ];
  });
  const older = metric.some((g) => g.ticks.length > SHOWN_READINGS)
    ? ` (the last ${SHOWN_READINGS} ticks of each)`
    : '';
  // table() escapes plain cells; the code spans are escaped by codeSpan itself.
  return [
    `**Metric gates: readings per tick${older}** (· no reading)`,
    table(['Gate', 'Readings', 'Range', 'Unread', 'Verdict'], rows),
  ].join('\n\n');
}

export interface OneShotGate {
  name: string;
  ok?: boolean;
  measurement?: string;
  value?: number;
  /** Why there was no reading: the gate is inconclusive. */
  error?: string;
}

/** Every gate read once, at the same time, each bounded by `timeoutMs`. */
export function readGatesOnce(gates: readonly WindowGate[], timeoutMs: number): Promise<OneShotGate[]> {
  return Promise.all(gates.map(async (gate) => ({ name: gate.name, ...(await readGate(gate, timeoutMs)) })));
}

/** What the one-shot readings do to the report: a failing gate fails it; no reading too, unless gates-no-data is pass. */
export function withGateReadings(
  report: Report,
  readings: OneShotGate[],
  noData: 'fail' | 'pass',
): { report: Report; failures: string[] } {
  const failed = readings.filter((r) => r.ok === false).map((r) => `${r.name}: ${r.measurement ?? 'failed'}`);
  const unread =
    noData === 'pass'
      ? []
      : readings.filter((r) => r.error !== undefined).map((r) => `${r.name}: inconclusive, no reading (${r.error})`);
  const failures = [...failed, ...unread];
  if (failures.length === 0) return { report: { ...report, gates: readings }, failures };
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
export function oneShotGatesMarkdown(readings: readonly OneShotGate[], noData: 'fail' | 'pass'): string {
  const rows = readings.map((r) => [
    markdown(codeSpan(r.name.replace(/^prometheus: /, ''), 400)),
    r.value !== undefined ? formatReading(r.value) : `no reading: ${inline(r.error ?? '', 300)}`,
    r.ok === true
      ? `${MARK.passed} passed`
      : r.ok === false
        ? `${MARK.failed} failed`
        : noData === 'pass'
          ? `${MARK.warning} no data (passed: gates-no-data is pass)`
          : `${MARK.warning} inconclusive`,
  ]);
  return ['**Metric gates** (one reading each)', table(['Gate', 'Reading', 'Verdict'], rows)].join('\n\n');
}
