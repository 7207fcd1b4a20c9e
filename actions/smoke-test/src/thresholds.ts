// Latency gates written the way k6 users know them: `p(95)<300`, `avg<100`, `max<1000`, `rate<0.01`.
// Durations are milliseconds (an `ms` or `s` suffix is accepted); `rate` is the share of failed samples (0–1).
import { MARK } from '../../../shared/summary.js';

type Aggregation = { kind: 'percentile'; p: number } | { kind: 'avg' | 'min' | 'max' | 'med' | 'rate' };
type Comparison = '<' | '<=' | '>' | '>=';

export interface Threshold {
  /** As the user wrote it, for reports. */
  source: string;
  aggregation: Aggregation;
  comparison: Comparison;
  limit: number;
}

const THRESHOLD = /^\s*(p\(\s*(\d+(?:\.\d+)?)\s*\)|avg|min|max|med|rate)\s*(<=|>=|<|>)\s*(\d+(?:\.\d+)?)\s*(ms|s)?\s*$/;

export const THRESHOLD_FORM = 'a threshold like p(95)<300, p(99)<500, avg<100, med<80, max<1000 or rate<0.01';

export function parseThreshold(text: string): Threshold | undefined {
  const match = THRESHOLD.exec(text);
  if (!match) return undefined;
  const [, name = '', percentile, comparison, value = '', unit] = match;
  const aggregation: Aggregation =
    percentile !== undefined
      ? { kind: 'percentile', p: Number(percentile) }
      : { kind: name as 'avg' | 'min' | 'max' | 'med' | 'rate' };
  if (aggregation.kind === 'percentile' && (aggregation.p <= 0 || aggregation.p > 100)) return undefined;
  if (aggregation.kind === 'rate' && unit) return undefined;
  const limit = Number(value) * (unit === 's' ? 1000 : 1);
  return { source: text.trim().replace(/\s+/g, ''), aggregation, comparison: comparison as Comparison, limit };
}

/** Percentile with linear interpolation between closest ranks (as k6 and numpy compute it); `sorted` ascending. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = (p / 100) * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  const a = sorted[low] as number;
  const b = sorted[high] as number;
  return a + (b - a) * (rank - low);
}

/** What was measured: durations of the samples that got a response, and how many samples failed of how many. */
export interface SampleSet {
  durationsMs: readonly number[];
  failed: number;
  total: number;
}

export interface LatencyStats {
  /** Samples that got a response (their durations are below; a response can still have failed the check). */
  count: number;
  failed: number;
  min: number;
  avg: number;
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  max: number;
  /** Failed samples ÷ all samples. */
  errorRate: number;
}

export function latencyStats({ durationsMs, failed, total }: SampleSet): LatencyStats {
  const sorted = [...durationsMs].sort((a, b) => a - b);
  const round = (n: number) => Math.round(n * 100) / 100;
  return {
    count: sorted.length,
    failed,
    min: round(sorted[0] ?? Number.NaN),
    avg: round(sorted.reduce((sum, d) => sum + d, 0) / sorted.length),
    p50: round(percentile(sorted, 50)),
    p90: round(percentile(sorted, 90)),
    p95: round(percentile(sorted, 95)),
    p99: round(percentile(sorted, 99)),
    max: round(sorted[sorted.length - 1] ?? Number.NaN),
    errorRate: total === 0 ? 0 : round((failed / total) * 10_000) / 10_000,
  };
}

export interface ThresholdResult {
  threshold: string;
  /** The measured value the threshold was compared with (ms, or a rate). */
  value: number;
  passed: boolean;
}

function measure(aggregation: Aggregation, sorted: readonly number[], failed: number, total: number): number {
  switch (aggregation.kind) {
    case 'percentile':
      return percentile(sorted, aggregation.p);
    case 'avg':
      return sorted.reduce((sum, d) => sum + d, 0) / sorted.length;
    case 'min':
      return sorted[0] ?? Number.NaN;
    case 'max':
      return sorted[sorted.length - 1] ?? Number.NaN;
    case 'med':
      return percentile(sorted, 50);
    case 'rate':
      return total === 0 ? Number.NaN : failed / total;
  }
}

function compare(value: number, comparison: Comparison, limit: number): boolean {
  switch (comparison) {
    case '<':
      return value < limit;
    case '<=':
      return value <= limit;
    case '>':
      return value > limit;
    case '>=':
      return value >= limit;
  }
}

/** Each threshold against the samples. A latency threshold with no successful sample fails (NaN compares false). */
export function evaluateThresholds(
  thresholds: readonly Threshold[],
  { durationsMs, failed, total }: SampleSet,
): ThresholdResult[] {
  const sorted = [...durationsMs].sort((a, b) => a - b);
  return thresholds.map((t) => {
    const value = measure(t.aggregation, sorted, failed, total);
    // Milliseconds to the hundredth, rates to the hundredth of a percent.
    const precision = t.aggregation.kind === 'rate' ? 10_000 : 100;
    return {
      threshold: t.source,
      value: Math.round(value * precision) / precision,
      passed: compare(value, t.comparison, t.limit),
    };
  });
}

/** A measured value as people read it: `412.5 ms`, or `25.00% failed` for a rate. */
export function formatMeasured(result: ThresholdResult): string {
  if (Number.isNaN(result.value)) return 'no successful samples';
  return result.threshold.startsWith('rate') ? `${(result.value * 100).toFixed(2)}% failed` : `${result.value} ms`;
}

/** "threshold p(95)<300 not met: measured 412.5 ms" — what a failed threshold says in a reason. */
export function describeThresholdFailure(result: ThresholdResult): string {
  return `threshold ${result.threshold} not met: ${Number.isNaN(result.value) ? '' : 'measured '}${formatMeasured(result)}`;
}

/** The rows of a summary's threshold table: each check's thresholds, then those over all checks. */
export function thresholdTableRows(
  checks: { name: string; thresholds: ThresholdResult[] }[],
  overall: ThresholdResult[],
): string[][] {
  const row = (name: string, t: ThresholdResult) => [
    name,
    t.threshold,
    formatMeasured(t),
    t.passed ? `${MARK.passed} within` : `${MARK.failed} exceeded`,
  ];
  return [
    ...checks.flatMap((c) => c.thresholds.map((t) => row(c.name, t))),
    ...overall.map((t) => row('(all checks)', t)),
  ];
}
