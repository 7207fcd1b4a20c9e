// Running checks: each one is retried until it is ready (or the deadline passes), then sampled back to back for
// its latency thresholds. Checks run in parallel up to the concurrency bound; the samples of one check run one
// after another on its kept-alive connection, so each measures the server, not a queue in this process.
import { mapLimit } from '../../../shared/concurrency.js';
import { info } from '../../../shared/runner.js';
import type { CheckSpec } from './checks.js';
import { type Evaluation, evaluate } from './evaluate.js';
import type { HealthComponent, HealthVerdict } from './health.js';
import { type Connections, displayUrl, probe, type TlsSettings } from './probe.js';
import {
  describeThresholdFailure,
  evaluateThresholds,
  type LatencyStats,
  latencyStats,
  type ThresholdResult,
} from './thresholds.js';

export interface Schedule {
  /**
   * Monotonic time (performance.now(), as runtime.now gives it) after which nothing new starts and nothing in
   * flight continues. Not the wall clock: an NTP step on the runner would stretch or cut the deadline.
   */
  deadlineAt: number;
  intervalMs: number;
  maxIntervalMs: number;
  /** 0: keep trying until the deadline. */
  maxAttempts: number;
  concurrency: number;
  /** Sample every check (overall thresholds need every check's samples), not only those with thresholds. */
  sampleAll: boolean;
}

export interface CheckResult {
  name: string;
  url: string;
  method: string;
  passed: boolean;
  attempts: number;
  /** Time from the first attempt to the passing one. */
  readyAfterMs?: number;
  httpStatus?: number;
  /** The first reason, for tables and one-line summaries; all of them are in `reasons`. */
  reason?: string;
  reasons: string[];
  warnings: string[];
  health?: { format: string; status: string; failing: HealthComponent[]; warning: HealthComponent[] };
  samples?: { planned: number; taken: number; failed: number; firstFailure?: string };
  latency?: LatencyStats;
  thresholds: ThresholdResult[];
  redirects: string[];
  source?: CheckSpec['source'];
  /** Durations of the samples that got a response (for the overall thresholds; not in the report). */
  durationsMs: number[];
}

export interface Runtime {
  connections: Connections;
  tlsFor: (check: CheckSpec, url: URL) => TlsSettings;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
}

function healthSummary(health: HealthVerdict | undefined): CheckResult['health'] {
  return health
    ? { format: health.format, status: health.status, failing: health.failing, warning: health.warning }
    : undefined;
}

/** One request of a check, judged; its timeout cut to what is left before the deadline. Never throws. */
export async function attempt(
  check: CheckSpec,
  schedule: Pick<Schedule, 'deadlineAt'>,
  runtime: Runtime,
): Promise<Evaluation & { redirects: string[] }> {
  const remaining = schedule.deadlineAt - runtime.now();
  const outcome = await probe(
    {
      url: check.url,
      method: check.method,
      headers: check.headers,
      ...(check.body !== undefined ? { body: check.body } : {}),
      timeoutMs: Math.max(1, Math.min(check.timeoutMs, remaining)),
      cutByDeadline: remaining < check.timeoutMs,
      followRedirects: check.followRedirects,
      tlsFor: (url) => runtime.tlsFor(check, url),
    },
    runtime.connections,
  );
  return { ...evaluate(check.expect, outcome), redirects: outcome.redirects };
}

/**
 * Exponential backoff from `interval`, capped at `max-interval`: 2s, 4s, 8s, … The doubling stops at 2^30, so
 * the pause stays a finite number however many attempts there were (2^1024 is Infinity, and 0 × Infinity NaN).
 */
export function backoff(attemptNumber: number, intervalMs: number, maxIntervalMs: number): number {
  const pause = Math.min(maxIntervalMs, intervalMs * 2 ** Math.min(30, Math.max(0, attemptNumber - 1)));
  return Number.isFinite(pause) && pause >= 0 ? pause : maxIntervalMs;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)}s`;

/** Less time than this before the deadline is no real try of a request. */
const MIN_TRY_MS = 50;

interface Readiness {
  ready: boolean;
  attempts: number;
  elapsedMs: number;
  last: Evaluation & { redirects: string[] };
}

async function waitUntilReady(check: CheckSpec, schedule: Schedule, runtime: Runtime): Promise<Readiness> {
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
  for (let attempts = 1; ; attempts++) {
    const last = await attempt(check, schedule, runtime);
    if (last.passed) return { ready: true, attempts, elapsedMs: runtime.now() - started, last };
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

interface Sampling {
  durationsMs: number[];
  taken: number;
  failed: number;
  firstFailure?: string;
}

async function takeSamples(check: CheckSpec, schedule: Schedule, runtime: Runtime): Promise<Sampling> {
  const sampling: Sampling = { durationsMs: [], taken: 0, failed: 0 };
  for (let i = 1; i <= check.samples; i++) {
    if (!(schedule.deadlineAt - runtime.now() >= 1)) break;
    const result = await attempt(check, schedule, runtime);
    sampling.taken++;
    if (result.httpStatus !== undefined) sampling.durationsMs.push(result.durationMs);
    if (!result.passed) {
      sampling.failed++;
      sampling.firstFailure ??= `sample ${i} of ${check.samples}: ${result.reasons[0]}`;
    }
  }
  return sampling;
}

function sampleReasons(check: CheckSpec, sampling: Sampling, thresholds: ThresholdResult[]): string[] {
  const reasons: string[] = [];
  if (sampling.taken < check.samples)
    reasons.push(`deadline reached after ${sampling.taken} of ${check.samples} latency samples`);
  // With a rate threshold the user said how many failures are acceptable; without one, none is.
  const hasRate = check.thresholds.some((t) => t.aggregation.kind === 'rate');
  if (sampling.failed > 0 && !hasRate)
    reasons.push(
      `failed after becoming ready: ${sampling.failed} of ${sampling.taken} samples failed (first: ${sampling.firstFailure})`,
    );
  for (const t of thresholds) if (!t.passed) reasons.push(describeThresholdFailure(t));
  return reasons;
}

async function runCheck(check: CheckSpec, schedule: Schedule, runtime: Runtime): Promise<CheckResult> {
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
    const why =
      readiness.attempts > 1
        ? `not ready after ${readiness.attempts} attempts in ${seconds(readiness.elapsedMs)}: `
        : '';
    const reasons = readiness.last.reasons.map((r, i) => (i === 0 ? `${why}${r}` : r));
    info(`❌ ${check.name}: ${reasons.join('; ')}`);
    return { ...base, passed: false, reason: reasons[0], reasons, thresholds: [], durationsMs: [] };
  }
  info(
    `✅ ${check.name}: ready${readiness.attempts > 1 ? ` after ${readiness.attempts} attempts (${seconds(readiness.elapsedMs)})` : ''}`,
  );
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
  info(
    `${reasons.length ? '❌' : '✅'} ${check.name}: ${sampling.taken} samples, p50 ${latency.p50} ms, p95 ${latency.p95} ms, p99 ${latency.p99} ms, ${sampling.failed} failed${reasons.length ? `: ${reasons.join('; ')}` : ''}`,
  );
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

export function runChecks(checks: readonly CheckSpec[], schedule: Schedule, runtime: Runtime): Promise<CheckResult[]> {
  return mapLimit(checks, schedule.concurrency, async (check, index) => {
    // mapLimit hands the first `concurrency` checks to its workers in order, one each.
    if (index > 0 && index < schedule.concurrency) await runtime.sleep(Math.min(index * STAGGER_MS, 500));
    return runCheck(check, schedule, runtime);
  });
}
