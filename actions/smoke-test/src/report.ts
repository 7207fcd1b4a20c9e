// What a run tells people and the next steps: the `report` JSON, the job summary table, annotations, and the
// one-line `summary` with a `status` that notify's `status` input accepts (for scheduled health checks).
import { codeSpan, escapeMarkdown, excerpt } from '../../../shared/sanitise.js';
import { MARK, markdown, table } from '../../../shared/summary.js';
import type { CheckResult } from './execute.js';
import {
  allowance,
  describeBaseline,
  describeRegression,
  type RegressionComparison,
  type RegressionOutcome,
} from './regression.js';
import { formatMeasured, type LatencyStats, thresholdTableRows, type ThresholdResult } from './thresholds.js';

/** The regression gate's part of the report: its outcome, the baseline's key, and what became of this run's figures. */
export type RegressionReport = RegressionOutcome & {
  key: string;
  /** Whether this run's figures became the next baseline, and under which cache key. */
  saved?: { saved: boolean; cacheKey?: string; note?: string };
};

export interface Report {
  passed: boolean;
  /** succeeded | failed: what notify's `status` input takes. */
  status: 'succeeded' | 'failed';
  mode: string;
  summary: string;
  durationMs: number;
  checks: Omit<CheckResult, 'durationsMs'>[];
  overall: { samples: number; latency?: LatencyStats; thresholds: ThresholdResult[] };
  /** Present when the regression gate is on. */
  regression?: RegressionReport;
  /** The metric gates' one reading each (metric-gates-report.ts), when there are gates. */
  gates?: { name: string; ok?: boolean; measurement?: string; value?: number; error?: string }[];
  /** Failed only because a metric gate had no reading: the run could not judge the release. */
  inconclusive?: boolean;
}

const ms = (value: number | undefined) => (value === undefined || Number.isNaN(value) ? undefined : `${value} ms`);

/** "3 of 4 checks passed; failed: /api/health (health fail …)" in one line, short enough for a Slack header. */
function oneLine(
  checks: readonly CheckResult[],
  overall: ThresholdResult[],
  mode: string,
  regressions: readonly RegressionComparison[] = [],
): string {
  const failed = checks.filter((c) => !c.passed);
  const overallFailed = overall.filter((t) => !t.passed);
  const label = mode === 'monitor' ? 'Health check' : 'Smoke test';
  const overallText = overallFailed.map((t) => `${t.threshold} (measured ${formatMeasured(t)})`).join(', ');
  // Both figures of every regression, in the line the step fails with.
  const regressionText = regressions
    .map((r) => `${r.check} ${describeRegression(r).replace(/^latency regression: /, '')}`)
    .join('; ');
  const regressionPart =
    regressions.length > 0 ? `latency regressed against the last good release: ${regressionText}` : '';
  if (failed.length === 0) {
    const buts = [
      ...(overallFailed.length > 0 ? [`overall ${overallText} not met`] : []),
      ...(regressionPart ? [regressionPart] : []),
    ];
    return buts.length === 0
      ? `${label}: all ${checks.length} checks passed`
      : `${label}: all ${checks.length} checks passed, but ${buts.join('; and ')}`;
  }
  const parts = failed.map((c) => `${c.name} (${excerpt(c.reason ?? 'failed', 101)})`);
  if (overallFailed.length > 0) parts.push(`overall ${overallText} not met`);
  if (regressionPart) parts.push(regressionPart);
  return `${label}: ${failed.length} of ${checks.length} checks failed: ${parts.join('; ')}`;
}

export function failedRegressions(regression: RegressionReport | undefined): RegressionComparison[] {
  return regression?.status === 'compared' ? regression.comparisons.filter((c) => c.verdict === 'failed') : [];
}

export function buildReport(
  checks: CheckResult[],
  overall: Report['overall'],
  mode: string,
  durationMs: number,
  regression?: RegressionReport,
): Report {
  const passed =
    checks.every((c) => c.passed) && overall.thresholds.every((t) => t.passed) && (regression?.passed ?? true);
  return {
    passed,
    status: passed ? 'succeeded' : 'failed',
    mode,
    summary: oneLine(checks, overall.thresholds, mode, failedRegressions(regression)),
    durationMs: Math.round(durationMs),
    checks: checks.map(({ durationsMs: _, ...rest }) => rest),
    overall,
    ...(regression ? { regression } : {}),
  };
}

const VERDICT: Record<RegressionComparison['verdict'], string> = {
  passed: `${MARK.passed} within`,
  failed: `${MARK.failed} regressed`,
  'no baseline': `${MARK.none} new check (no baseline)`,
  'no samples': `${MARK.none} no samples this run`,
};

/** The gate's section of the summary: both figures, the factor and the verdict per check, or why nothing was compared. */
function regressionMarkdown(regression: RegressionReport): string {
  const parts: string[] = [];
  if (regression.status === 'compared') {
    parts.push(
      `**Latency vs the last good release** (key ${codeSpan(regression.key, 120)}, baseline ${escapeMarkdown(describeBaseline(regression.baseline), 200)})`,
    );
    const rows = regression.comparisons.map((c) => [
      c.check,
      c.figure,
      ms(c.baseline),
      ms(c.measured),
      c.ratio !== undefined ? `${c.ratio}×` : undefined,
      allowance(c),
      VERDICT[c.verdict],
    ]);
    parts.push(table(['Check', 'Percentile', 'Baseline', 'This run', 'Ratio', 'Allowed', 'Verdict'], rows));
  } else {
    parts.push(
      `**Latency vs the last good release** (key ${codeSpan(regression.key, 120)}): ${regression.status === 'skipped' ? `${MARK.warning} gate skipped` : `${MARK.none} nothing to compare with`}: ${escapeMarkdown(regression.note, 1000)}`,
    );
  }
  if (regression.saved) {
    const saved = regression.saved;
    parts.push(
      saved.saved
        ? `This run's figures are the new baseline (cache key ${codeSpan(saved.cacheKey ?? '', 300)}).`
        : `This run's figures were not saved as a baseline: ${escapeMarkdown(saved.note ?? '', 500)}`,
    );
  }
  return parts.join('\n\n');
}

function resultCell(check: Report['checks'][number]): string {
  if (!check.passed) return `${MARK.failed} failed`;
  return check.warnings.length > 0 ? `${MARK.warning} passed (degraded)` : `${MARK.passed} passed`;
}

/**
 * The job summary. Reasons, health components and the one-line summary carry the server's own text: every value
 * is escaped (table() escapes plain cells; the heading and the check column are composed here from escaped parts).
 */
export function summaryMarkdown(report: Report): string {
  const heading = `### ${report.passed ? MARK.passed : MARK.failed} ${escapeMarkdown(report.summary, 2000).replace(/<br>/g, ' ')}`;
  const rows = report.checks.map((c) => [
    markdown(`**${escapeMarkdown(c.name, 200)}**<br>${codeSpan(`${c.method} ${c.url}`, 500)}`),
    resultCell(c),
    c.attempts,
    ms(c.latency?.p50),
    ms(c.latency?.p95),
    ms(c.latency?.p99),
    c.reasons.length > 0 ? c.reasons.join('; ') : c.warnings.join('; '),
  ]);
  const checksTable = table(['Check', 'Result', 'Attempts', 'p50', 'p95', 'p99', 'Reason'], rows);
  const parts = [heading, checksTable];
  const thresholdRows = thresholdTableRows(report.checks, report.overall.thresholds);
  if (thresholdRows.length > 0) parts.push(table(['Check', 'Threshold', 'Measured', 'Result'], thresholdRows));
  const health = report.checks.filter((c) => c.health && (c.health.failing.length > 0 || c.health.warning.length > 0));
  if (health.length > 0) {
    const componentRows = health.flatMap((c) =>
      [...(c.health?.failing ?? []), ...(c.health?.warning ?? [])].map((comp) => [
        c.name,
        comp.name,
        comp.status,
        comp.detail,
      ]),
    );
    parts.push(table(['Check', 'Component', 'Status', 'Detail'], componentRows));
  }
  if (report.regression) parts.push(regressionMarkdown(report.regression));
  parts.push(`Finished in ${(report.durationMs / 1000).toFixed(1)}s (${report.mode} mode).`);
  return parts.join('\n\n');
}
