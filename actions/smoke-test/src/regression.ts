// The latency regression gate, pure part: the baseline a passing run leaves for the next one (per check:
// p50/p90/p95/p99), and the comparison of a run with it. The rules are parsed in regression-rule.ts; saving and
// restoring the baseline (the Actions cache) is in baseline-cache.ts, loaded only when the gate is used.

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
    c.latency && c.latency.count > 0 ? [[c.name, { samples: c.latency.count, p50: c.latency.p50, p90: c.latency.p90, p95: c.latency.p95, p99: c.latency.p99 }] as const] : [],
  );
  return { format: 1, ...run, checks: Object.fromEntries(entries) };
}

const isFigure = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;

/**
 * A restored file read back as a baseline; undefined when it is not one we wrote (another format, damaged). The
 * cache holds what an earlier run of any version of this action saved: nothing in it is trusted to have a shape.
 */
export function readBaseline(text: string, key: string): Baseline | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const b = value as Partial<Baseline>;
  if (b.format !== 1 || b.key !== key || typeof b.checks !== 'object' || b.checks === null) return undefined;
  const checks: Baseline['checks'] = {};
  for (const [name, figures] of Object.entries(b.checks)) {
    const f = figures as Partial<Baseline['checks'][string]> | null;
    if (f && isFigure(f.samples) && isFigure(f.p50) && isFigure(f.p90) && isFigure(f.p95) && isFigure(f.p99))
      checks[name] = { samples: f.samples, p50: f.p50, p90: f.p90, p95: f.p95, p99: f.p99 };
  }
  const str = (v: unknown) => (typeof v === 'string' ? v : '');
  return { format: 1, key, sha: str(b.sha), ref: str(b.ref), runId: str(b.runId), runAttempt: str(b.runAttempt), savedAt: str(b.savedAt), checks };
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
  const base = { check: check.name, rule: rule.source, figure: `p(${rule.percentile})`, comparison: rule.comparison, factor: rule.factor, slackMs: rule.slackMs };
  const before = baseline.checks[check.name];
  const key = `p${rule.percentile}` as const;
  const measured = check.latency && check.latency.count > 0 ? check.latency[key] : undefined;
  if (before === undefined) return { ...base, ...(measured !== undefined ? { measured } : {}), verdict: 'no baseline' };
  const limit = round2(before[key] * rule.factor + rule.slackMs);
  if (measured === undefined) return { ...base, baseline: before[key], limit, verdict: 'no samples' };
  const within = rule.comparison === '<' ? measured < limit : measured <= limit;
  const ratio = before[key] > 0 ? round2(measured / before[key]) : undefined;
  return { ...base, measured, baseline: before[key], limit, ...(ratio !== undefined ? { ratio } : {}), verdict: within ? 'passed' : 'failed' };
}

/**
 * Every rule for every check of this run, against the baseline. A check the baseline does not know (new since the
 * last release) passes, marked "no baseline"; a check without samples this run (it failed before them) is marked
 * "no samples" and left to its own failure.
 */
export function compareWithBaseline(rules: readonly RegressionRule[], checks: readonly MeasuredCheck[], baseline: Baseline): RegressionOutcome {
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
  const parts = [b.runId ? `run ${b.runId}${b.runAttempt && b.runAttempt !== '1' ? ` attempt ${b.runAttempt}` : ''}` : '', b.savedAt ? b.savedAt.slice(0, 16).replace('T', ' ') + ' UTC' : ''].filter(Boolean);
  return `${b.sha ? b.sha.slice(0, 7) : 'unknown release'}${parts.length ? ` (${parts.join(', ')})` : ''}`;
}
