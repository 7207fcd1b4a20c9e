// The latency regression gate's rules as users write them: `p(95) < 1.3x`, `p(99) <= 1.5x + 20ms`. Apart from
// the rest of the gate (regression.ts) because inputs.ts parses them on the action's cold path.

type Percentile = 50 | 90 | 95 | 99;
const PERCENTILES: readonly Percentile[] = [50, 90, 95, 99];

export interface RegressionRule {
  /** As the user wrote it, spaces removed, for reports: `p(95)<1.3x`. */
  source: string;
  percentile: Percentile;
  comparison: '<' | '<=';
  /** The new figure may be at most this many times the baseline's. */
  factor: number;
  /**
   * Milliseconds allowed on top of factor × baseline: a 2 ms endpoint measured at 3 ms is 1.5× slower and still
   * noise. Default 0.
   */
  slackMs: number;
}

export const REGRESSION_FORM =
  'a rule like p(95) < 1.3x or p(99) <= 1.5x + 20ms (percentile 50, 90, 95 or 99; med for p(50); a factor from 1 to 100)';

const RULE =
  /^\s*(?:p\(\s*(\d+)\s*\)|(med))\s*(<=|<)\s*(\d+(?:\.\d+)?)\s*[x×]\s*(?:\+\s*(\d+(?:\.\d+)?)\s*(ms|s)?\s*)?$/i;

export function parseRegressionRule(text: string): RegressionRule | undefined {
  const match = RULE.exec(text);
  if (!match) return undefined;
  const [, p, med, comparison, factorText = '', slack, unit] = match;
  const percentile = med ? 50 : Number(p);
  if (!(PERCENTILES as readonly number[]).includes(percentile)) return undefined;
  const factor = Number(factorText);
  if (!(factor >= 1 && factor <= 100)) return undefined;
  const slackMs = slack === undefined ? 0 : Number(slack) * (unit?.toLowerCase() === 's' ? 1000 : 1);
  if (!(slackMs >= 0 && slackMs <= 600_000)) return undefined;
  const source = `p(${percentile})${comparison}${factor}x${slackMs > 0 ? `+${slackMs}ms` : ''}`;
  return { source, percentile: percentile as Percentile, comparison: comparison as '<' | '<=', factor, slackMs };
}
