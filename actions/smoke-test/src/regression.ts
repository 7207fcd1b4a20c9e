// The latency regression gate, pure part: the baseline a passing run leaves for the next one (per check:
// p50/p90/p95/p99), and the comparison of a run with it. The rules are parsed in regression-rule.ts; saving and
// restoring the baseline (the Actions cache) is in baseline-cache.ts, loaded only when the gate is used.

import * as z from 'zod/mini';
import type { RegressionRule } from './regression-rule.js';

/** What a passing run leaves for the next: its checks' percentiles and which release they were measured on. */
export interface Baseline {
  /** Format of this file; a baseline of another format is not compared with (it is replaced by the next pass). */
  format: 1;
  /** The regression key (the environment, say) the baseline belongs to. */
  key: string;
  sha: string;
  ref: string;
  runId: string;
  runAttempt: string;
  /** ISO 8601, when the run saved it. */
  savedAt: string;
  checks: Record<string, { samples: number; p50: number; p90: number; p95: number; p99: number }>;
}

export interface MeasuredCheck {
  name: string;
  latency?: { count: number; p50: number; p90: number; p95: number; p99: number };
}

export interface RunIdentity {
  key: string;
  sha: string;
  ref: string;
  runId: string;
  runAttempt: string;
  savedAt: string;
}

/** The baseline of this run: every check that has latency samples. */
export function baselineOf(checks: readonly MeasuredCheck[], run: RunIdentity): Baseline {
  const entries = checks.flatMap((c) =>
    c.latency && c.latency.count > 0
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
          ] as const,
        ]
      : [],
  );
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

const latency = z
  .number('not a number of milliseconds')
  .check(
    z.gte(0, 'below 0 ms'),
    z.lte(BASELINE_RANGES.maxLatencyMs, `above ${BASELINE_RANGES.maxLatencyMs} ms (10 minutes)`),
  );
const line = (max: number) =>
  z
    .string('not a string')
    .check(z.maxLength(max, `longer than ${max} characters`), z.regex(/^[^\p{Cc}]*$/u, 'holds control characters'));
const figures = z
  .strictObject(
    {
      samples: z
        .int('not a whole number')
        .check(z.gte(1, 'below 1'), z.lte(BASELINE_RANGES.maxSamples, `above ${BASELINE_RANGES.maxSamples}`)),
      p50: latency,
      p90: latency,
      p95: latency,
      p99: latency,
    },
    'not an object of samples, p50, p90, p95 and p99 alone',
  )
  .check(
    z.refine(
      (f) => f.p50 <= f.p90 && f.p90 <= f.p95 && f.p95 <= f.p99,
      'percentiles out of order (p50 ≤ p90 ≤ p95 ≤ p99)',
    ),
  );
const baselineSchema = z.strictObject(
  {
    format: z.literal(1, 'not format 1'),
    key: z.string('not a string'),
    sha: z.string('not a string').check(z.regex(/^([0-9a-f]{40}|[0-9a-f]{64})?$/, 'not a commit SHA')),
    ref: line(500),
    runId: z.string('not a string').check(z.regex(/^\d{0,20}$/, 'not a run id')),
    runAttempt: z.string('not a string').check(z.regex(/^\d{0,10}$/, 'not a run attempt')),
    savedAt: z.string('not a string').check(
      z.regex(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/, 'not an ISO 8601 UTC time'),
      z.refine((t) => {
        const at = Date.parse(t);
        return at >= BASELINE_RANGES.earliestSavedAt && at <= Date.now() + BASELINE_RANGES.futureSlackMs;
      }, 'not a time between 2020 and now'),
    ),
    checks: z
      .record(line(2_000), figures, 'not an object of checks')
      .check(
        z.refine(
          (c) => Object.keys(c).length <= BASELINE_RANGES.maxChecks,
          `more than ${BASELINE_RANGES.maxChecks} checks`,
        ),
      ),
  },
  "not an object of the baseline's fields alone",
);

/** `checks["/api/health"].p95`: where in the file a problem is. */
function pathOf(path: readonly PropertyKey[]): string {
  return path
    .map((p, i) =>
      typeof p === 'string' && /^[A-Za-z_]\w*$/.test(p)
        ? `${i ? '.' : ''}${p}`
        : `[${typeof p === 'symbol' ? p.toString() : JSON.stringify(p)}]`,
    )
    .join('');
}

/**
 * A restored file read back as a baseline, or why it is refused. The cache holds what any run with a
 * cache-writing token saved: nothing in it is trusted to have a shape, and one figure out of range refuses the
 * whole file (dropping just that check would let its route pass unjudged).
 */
export function parseBaseline(text: string, key: string): { baseline: Baseline } | { refused: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { refused: 'it is not JSON' };
  }
  const parsed = z.safeParse(baselineSchema, value);
  if (!parsed.success) {
    const issues = parsed.error.issues
      .slice(0, 3)
      .map((i) => `${i.path.length ? pathOf(i.path) : 'the file'}: ${i.message}`.slice(0, 200));
    return {
      refused: `it does not have a baseline's form or ranges (${issues.join('; ')}${parsed.error.issues.length > 3 ? '; …' : ''})`,
    };
  }
  if (parsed.data.key !== key) return { refused: 'it belongs to another regression key' };
  return { baseline: { ...parsed.data, key } };
}

/** parseBaseline's baseline, or undefined when it is refused. */
export function readBaseline(text: string, key: string): Baseline | undefined {
  const parsed = parseBaseline(text, key);
  return 'baseline' in parsed ? parsed.baseline : undefined;
}

export interface RegressionComparison {
  check: string;
  rule: string;
  /** The figure compared: `p(95)`. */
  figure: string;
  comparison: '<' | '<=';
  slackMs: number;
  /** ms; undefined when the check has no samples in this run. */
  measured?: number;
  baseline?: number;
  factor: number;
  /** factor × baseline + slack: the most the measured figure may be (exclusive for `<`). */
  limit?: number;
  /** measured ÷ baseline, to two decimals. */
  ratio?: number;
  verdict: 'passed' | 'failed' | 'no baseline' | 'no samples';
}

export type RegressionOutcome =
  /** Compared with a baseline: `comparisons` say how each check fared. */
  | { status: 'compared'; passed: boolean; baseline: Omit<Baseline, 'checks'>; comparisons: RegressionComparison[] }
  /** Nothing to compare with yet: the gate passes and says why. */
  | { status: 'no baseline'; passed: true; note: string }
  /** The cache could not be used: the gate did not run (a warning says why). */
  | { status: 'skipped'; passed: true; note: string };

const round2 = (n: number) => Math.round(n * 100) / 100;

function compareOne(rule: RegressionRule, check: MeasuredCheck, baseline: Baseline): RegressionComparison {
  const base = {
    check: check.name,
    rule: rule.source,
    figure: `p(${rule.percentile})`,
    comparison: rule.comparison,
    factor: rule.factor,
    slackMs: rule.slackMs,
  };
  const before = baseline.checks[check.name];
  const key = `p${rule.percentile}` as const;
  const measured = check.latency && check.latency.count > 0 ? check.latency[key] : undefined;
  if (before === undefined) return { ...base, ...(measured !== undefined ? { measured } : {}), verdict: 'no baseline' };
  const limit = round2(before[key] * rule.factor + rule.slackMs);
  if (measured === undefined) return { ...base, baseline: before[key], limit, verdict: 'no samples' };
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
export function compareWithBaseline(
  rules: readonly RegressionRule[],
  checks: readonly MeasuredCheck[],
  baseline: Baseline,
): RegressionOutcome {
  const comparisons = checks.flatMap((check) => rules.map((rule) => compareOne(rule, check, baseline)));
  const { checks: _, ...about } = baseline;
  return { status: 'compared', passed: comparisons.every((c) => c.verdict !== 'failed'), baseline: about, comparisons };
}

/** "p(95) 412.5 ms vs the baseline's 210 ms (1.96×; allowed < 1.3× = 273 ms)": both figures, for reasons and the error. */
export function describeRegression(c: RegressionComparison): string {
  const ratio = c.ratio !== undefined ? `${c.ratio}×; ` : '';
  return `latency regression: ${c.figure} ${c.measured} ms vs the baseline's ${c.baseline} ms (${ratio}allowed ${allowance(c)})`;
}

/** `< 1.3× + 20 ms = 293 ms`: the rule with its limit worked out. */
export function allowance(c: RegressionComparison): string {
  return `${c.comparison} ${c.factor}×${c.slackMs > 0 ? ` + ${c.slackMs} ms` : ''}${c.limit !== undefined ? ` = ${c.limit} ms` : ''}`;
}

/** The short name of a baseline's release, for the summary: `abc1234 (run 998, 2026-11-29)`. */
export function describeBaseline(b: Omit<Baseline, 'checks'>): string {
  const parts = [
    b.runId ? `run ${b.runId}${b.runAttempt && b.runAttempt !== '1' ? ` attempt ${b.runAttempt}` : ''}` : '',
    b.savedAt ? b.savedAt.slice(0, 16).replace('T', ' ') + ' UTC' : '',
  ].filter(Boolean);
  return `${b.sha ? b.sha.slice(0, 7) : 'unknown release'}${parts.length ? ` (${parts.join(', ')})` : ''}`;
}
