// The bake window's gates, judged on what the window has measured so far. Pure: watch.ts calls it after every tick
// (a failure that is already certain ends the window early) and once at the end (nothing left to come).
//
// "Already certain" is decided by optimistic completion: the requests still planned are imagined as the best they
// could be (answered at once, none failing), and a gate that fails even then cannot pass by the window's end. A
// blip on the first tick therefore never fails a 5-minute window by itself; an outage does, without waiting.
import { inline } from '../../../shared/sanitise.js';
import {
  evaluateThresholds,
  formatMeasured,
  type SampleSet,
  type Threshold,
  type ThresholdResult,
} from './thresholds.js';
import { appendAll } from '../../../shared/collections.js';

/** One request of one check on one tick. */
export interface WindowSample {
  tick: number;
  /** When it was sent, ms after the window opened. */
  atMs: number;
  passed: boolean;
  /** Set when a response came (a failed check can have one: HTTP 500). */
  durationMs?: number;
  httpStatus?: number;
  /** Why it failed, the first reason. */
  reason?: string;
}

export interface CheckSeries {
  name: string;
  method: string;
  thresholds: readonly Threshold[];
  samples: WindowSample[];
}

export interface GateSeries {
  name: string;
  /** Per tick: a reading, or the error that stood in for it. */
  ticks: { tick: number; ok?: boolean; measurement?: string; detail?: string; value?: number; error?: string }[];
  /** Gates judged like the checks (WindowGate.failAfter): failing or unread this many ticks in a row. */
  failAfter?: number;
  /** Unread ticks in a row that make the gate inconclusive, when not failAfter (WindowGate.noDataAfter). */
  noDataAfter?: number;
  /** What an inconclusive gate does at the window's end (input gates-no-data). */
  noData?: 'fail' | 'pass';
}

export interface WindowState {
  checks: readonly CheckSeries[];
  gates: readonly GateSeries[];
  overallThresholds: readonly Threshold[];
  ticks: number;
  /** Ticks the window still plans to run (0 at the end). Each sends one request per check. */
  remainingTicks: number;
  failAfter: number;
  /** 0–1. */
  maxErrorRate: number;
}

export interface Verdict {
  /** The failing measurements, each a short line naming what was measured. Empty: nothing failed (yet). */
  failures: string[];
  /**
   * The failures above that judge nothing about the release: the window could not measure it (a gate unreadable on
   * every tick, the deadline ending the window early). Failures that are only these make the result inconclusive.
   */
  unjudged: string[];
  /** Names of the checks a failure names (consecutive failures, their thresholds). */
  failedChecks: string[];
  /** Failed requests ÷ requests sent, all checks. */
  errorRate: number;
  sent: number;
  failed: number;
}

/** A share as people read it: 37.5%, 0%, 0.25%. */
export function percent(rate: number): string {
  return `${Number((rate * 100).toFixed(2))}%`;
}

/** What a failed request was, in a few words: the status when the server answered, else the failure itself. */
function failureWords(sample: WindowSample): string {
  if (sample.httpStatus !== undefined && sample.reason?.startsWith('unexpected HTTP'))
    return `HTTP ${sample.httpStatus}`;
  return inline(sample.reason ?? 'failed', 100);
}

/** Failing samples at the end of the series, one after another. */
function trailingFailures(samples: readonly WindowSample[]): number {
  let count = 0;
  for (let i = samples.length - 1; i >= 0 && !samples[i]?.passed; i--) count++;
  return count;
}

export function sampleSet(samples: readonly WindowSample[]): SampleSet {
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
export function bestCaseThresholds(
  thresholds: readonly Threshold[],
  measured: SampleSet,
  remaining: number,
): ThresholdResult[] {
  if (remaining <= 0) return evaluateThresholds(thresholds, measured);
  return thresholds.map((t) => {
    const wantsLow = t.comparison === '<' || t.comparison === '<=';
    // A very slow answer rather than Infinity: interpolating between two infinities is NaN, which fails.
    const best = {
      durationsMs: [...measured.durationsMs, ...Array<number>(remaining).fill(wantsLow ? 0 : 1e12)],
      failed: measured.failed + (wantsLow ? 0 : remaining),
      total: measured.total + remaining,
    };
    const [result] = evaluateThresholds([t], best);
    return result as ThresholdResult;
  });
}

function thresholdFailures(
  label: string,
  thresholds: readonly Threshold[],
  measured: SampleSet,
  remaining: number,
): string[] {
  const final = remaining <= 0;
  const decided = bestCaseThresholds(thresholds, measured, remaining).filter((r) => !r.passed);
  // The reason quotes what was measured so far, not the imagined best case.
  const current = evaluateThresholds(thresholds, measured);
  return decided.map((d) => {
    const now = current.find((c) => c.threshold === d.threshold) as ThresholdResult;
    return `${label}: ${d.threshold} not met${final ? '' : ' (cannot be met by the window’s end)'}: measured ${formatMeasured(now)} over ${measured.total} request${measured.total === 1 ? '' : 's'}`;
  });
}

/** The longest run of ticks in a row that `is` picks out. */
function longestRun<T>(items: readonly T[], is: (item: T) => boolean): number {
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
export function judgeStreakGate(
  gate: GateSeries,
  failAfter: number,
  remainingTicks: number,
): { failure: string; unjudged: boolean } | undefined {
  const streak = trailingFailures(gate.ticks.map((t) => ({ passed: t.ok !== false }) as WindowSample));
  const last = gate.ticks[gate.ticks.length - 1];
  if (streak >= failAfter && last)
    return {
      failure: `${gate.name}: ${inline(last.measurement ?? 'failed', 200)} on ${streak} tick${streak === 1 ? '' : 's'} in a row`,
      unjudged: false,
    };
  if (remainingTicks > 0 || gate.ticks.length === 0 || gate.noData === 'pass') return undefined;
  const unread = longestRun(gate.ticks, (t) => t.error !== undefined);
  if (unread < Math.min(gate.noDataAfter ?? failAfter, gate.ticks.length)) return undefined;
  const lastError = [...gate.ticks].reverse().find((t) => t.error !== undefined)?.error ?? '';
  const unreadTicks = gate.ticks.filter((t) => t.error !== undefined).length;
  return {
    failure: `${gate.name}: inconclusive, no reading on ${unread} tick${unread === 1 ? '' : 's'} in a row (${unreadTicks} of ${gate.ticks.length} ticks unread; last: ${inline(lastError, 300)})`,
    unjudged: true,
  };
}

/** The window's failing measurements now: consecutive failures, error rate, latency thresholds, gates. */
export function judgeWindow(state: WindowState): Verdict {
  const failures: string[] = [];
  const unjudged: string[] = [];
  const failedChecks = new Set<string>();
  const all = state.checks.flatMap((c) => c.samples);
  const sent = all.length;
  const failed = all.filter((s) => !s.passed).length;
  const errorRate = sent === 0 ? 0 : failed / sent;

  for (const check of state.checks) {
    const streak = trailingFailures(check.samples);
    const last = check.samples[check.samples.length - 1];
    if (streak >= state.failAfter && last) failedChecks.add(check.name);
    if (streak >= state.failAfter && last)
      failures.push(`${check.method} ${check.name}: ${streak} consecutive failures (${failureWords(last)})`);
  }

  // Certain once even a window of passing requests from here on cannot bring the rate back down to the limit.
  const remainingRequests = state.remainingTicks * state.checks.length;
  const bestRate = sent + remainingRequests === 0 ? 0 : failed / (sent + remainingRequests);
  if (bestRate > state.maxErrorRate || (failures.length > 0 && errorRate > state.maxErrorRate))
    failures.push(
      `error rate ${percent(errorRate)} > ${percent(state.maxErrorRate)} over ${state.ticks} tick${state.ticks === 1 ? '' : 's'} (${failed} of ${sent} requests failed)`,
    );

  for (const check of state.checks) {
    const failing = thresholdFailures(
      `${check.method} ${check.name}`,
      check.thresholds,
      sampleSet(check.samples),
      state.remainingTicks,
    );
    if (failing.length > 0) failedChecks.add(check.name);
    appendAll(failures, failing);
  }
  appendAll(failures, thresholdFailures('all checks', state.overallThresholds, sampleSet(all), remainingRequests));

  for (const gate of state.gates) {
    if (gate.failAfter !== undefined) {
      const verdict = judgeStreakGate(gate, gate.failAfter, state.remainingTicks);
      if (verdict) failures.push(verdict.failure);
      if (verdict?.unjudged) unjudged.push(verdict.failure);
      continue;
    }
    const failing = gate.ticks.find((t) => t.ok === false);
    // The gate's detail (Sentry: the issues' short ids, titles and links) is what the reader acts on: it goes with it.
    if (failing)
      failures.push(
        `${gate.name}: ${inline(failing.measurement ?? 'failed', 200)}${failing.detail ? ` (${inline(failing.detail, 400)})` : ''}`,
      );
    else if (state.remainingTicks === 0 && gate.ticks.length > 0 && gate.ticks.every((t) => t.error !== undefined)) {
      const lastError = gate.ticks[gate.ticks.length - 1]?.error ?? '';
      const notEvaluated = `${gate.name}: could not be evaluated on any of ${gate.ticks.length} ticks (last: ${inline(lastError, 150)})`;
      failures.push(notEvaluated);
      unjudged.push(notEvaluated);
    }
  }
  return { failures, unjudged, failedChecks: [...failedChecks], errorRate, sent, failed };
}
