// mode: watch — the bake window. Every tick (watch-interval) sends each check once and reads each window gate once;
// after every tick the window is judged (window-verdict.ts) and ends at once, failed, when a failure is certain.
// Every wait is bounded: no tick starts after the window, no request or gate reading runs past the hard bound
// (the window plus one request timeout, or the deadline when that is sooner).
import { mapLimit } from '../../../shared/concurrency.js';
import { info, warning } from '../../../shared/runner.js';
import { inline } from '../../../shared/sanitise.js';
import type { CheckSpec } from './checks.js';
import { attempt, type Runtime } from './execute.js';
import type { Threshold } from './thresholds.js';
import type { GateReading, WindowGate } from './window-gates.js';
import {
  type CheckSeries,
  type GateSeries,
  judgeWindow,
  percent,
  type Verdict,
  type WindowSample,
} from './window-verdict.js';

export interface WatchSettings {
  windowMs: number;
  intervalMs: number;
  failAfter: number;
  /** 0–1. */
  maxErrorRate: number;
  /** Monotonic time past which nothing runs: the window plus one request timeout, or the deadline if sooner. */
  hardEndAt: number;
  concurrency: number;
  /** Longest wait for one gate reading (the request timeout), cut to the hard bound. */
  gateTimeoutMs: number;
}

export interface WindowResult {
  checks: CheckSeries[];
  gates: GateSeries[];
  ticks: number;
  plannedTicks: number;
  durationMs: number;
  /** The window stopped before its planned ticks because a failure was certain. */
  endedEarly: boolean;
  verdict: Verdict;
}

/** Warning annotations per gate that could not be read; later misses go to the log only. */
const GATE_WARNINGS = 3;

/** Less time than this before the hard bound is no real try of a request. */
const MIN_TRY_MS = 50;

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)}s`;

/** The ticks a window plans: one at its opening and one every interval while the window lasts. */
function plannedTicks(windowMs: number, intervalMs: number): number {
  return Math.max(1, Math.ceil(windowMs / intervalMs));
}

/** One reading of a gate, never longer than `timeoutMs`: a gate that ignores its signal is left behind, as an error. */
export async function readGate(
  gate: WindowGate,
  timeoutMs: number,
): Promise<Omit<GateSeries['ticks'][number], 'tick'>> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => {
        const error = new Error(`no reading within ${seconds(timeoutMs)}`);
        controller.abort(error);
        reject(error);
      },
      Math.max(1, timeoutMs),
    );
  });
  try {
    const reading: GateReading = await Promise.race([gate.check(controller.signal), late]);
    if (typeof reading?.ok !== 'boolean') throw new Error('the gate returned no reading');
    return {
      ok: reading.ok,
      measurement: inline(reading.measurement, 300),
      ...(reading.detail ? { detail: inline(reading.detail, 1000) } : {}),
      ...(typeof reading.value === 'number' ? { value: reading.value } : {}),
    };
  } catch (error) {
    return { error: inline(error instanceof Error ? error.message : String(error), 300) };
  } finally {
    clearTimeout(timer);
  }
}

function describeSample(series: CheckSeries, sample: WindowSample): string {
  const time = sample.durationMs !== undefined ? `${Math.round(sample.durationMs)} ms` : '';
  return sample.passed
    ? `${series.name} ✅ ${time}`
    : `${series.name} ❌ ${inline(sample.reason ?? 'failed', 120)}${time ? ` (${time})` : ''}`;
}

export async function watchWindow(
  checks: readonly CheckSpec[],
  overallThresholds: readonly Threshold[],
  gates: readonly WindowGate[],
  settings: WatchSettings,
  runtime: Runtime,
): Promise<WindowResult> {
  const start = runtime.now();
  const windowEnd = start + settings.windowMs;
  const planned = plannedTicks(settings.windowMs, settings.intervalMs);
  const series: CheckSeries[] = checks.map((c) => ({
    name: c.name,
    method: c.method,
    thresholds: c.thresholds,
    samples: [],
  }));
  const gateSeries: GateSeries[] = gates.map((g) => ({
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
  const state = (ticks: number, remainingTicks: number) => ({
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
    if (wait > 0) await runtime.sleep(Math.min(wait, settings.hardEndAt - runtime.now()));
    const at = runtime.now();
    if (!(at < windowEnd)) break;
    if (!(settings.hardEndAt - at >= MIN_TRY_MS)) {
      cutShort = true;
      break;
    }
    const gateTimeout = Math.min(settings.gateTimeoutMs, settings.hardEndAt - at);
    const readings = Promise.all(gates.map((gate) => readGate(gate, gateTimeout)));
    const outcomes = await mapLimit(checks, settings.concurrency, (check) =>
      attempt(check, { deadlineAt: settings.hardEndAt }, runtime),
    );
    outcomes.forEach((outcome, i) => {
      (series[i] as CheckSeries).samples.push({
        tick,
        atMs: Math.round(at - start),
        passed: outcome.passed,
        ...(outcome.httpStatus !== undefined ? { durationMs: outcome.durationMs, httpStatus: outcome.httpStatus } : {}),
        ...(outcome.passed ? {} : { reason: outcome.reasons[0] ?? 'failed' }),
      });
    });
    const gateLines: string[] = [];
    (await readings).forEach((reading, i) => {
      const gs = gateSeries[i] as GateSeries;
      gs.ticks.push({ ...reading, tick });
      if (reading.error !== undefined) {
        const text = `${gs.name}: not evaluated on tick ${tick + 1} (${reading.error}); the window goes on without it`;
        // An API down for the whole window would otherwise annotate every tick: the first few say it, the log has the rest.
        const unread = gs.ticks.filter((t) => t.error !== undefined).length;
        if (unread <= GATE_WARNINGS)
          warning(`${text}${unread === GATE_WARNINGS ? ' (further ticks it misses are in the log only)' : ''}`, {
            title: `smoke-test: ${gs.name} not evaluated`,
          });
        else info(text);
      } else gateLines.push(`${gs.name} ${reading.ok ? '✅' : '❌'} ${reading.measurement}`);
    });
    ticks++;
    const verdict = judgeWindow(state(ticks, planned - ticks));
    const checkLines = series.map((s) => describeSample(s, s.samples[s.samples.length - 1] as WindowSample));
    info(
      `tick ${ticks}/${planned} at ${seconds(at - start)}: ${[...checkLines, ...gateLines].join(', ')}; error rate ${percent(verdict.errorRate)}`,
    );
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
  const verdict = judgeWindow(state(ticks, 0));
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
