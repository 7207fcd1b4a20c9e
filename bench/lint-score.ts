// Scoring of the lint accuracy bench (bench/lint-accuracy.mjs): findings of shipline and squawk, keyed
// repo:path:line:rule, against the hand judgments of bench/lint-judgments.json.

export type Tool = 'shipline' | 'squawk';

export interface Finding {
  key: string;
  rule: string;
  file: string;
  shipline?: boolean;
  squawk?: boolean;
  statements: { tool?: Tool; line: number; sql: string }[];
}

export interface Judgment {
  verdict: 'true-positive' | 'false-positive';
  reason: string;
  /** A true finding neither tool reports, found by a person: a miss of both. */
  found?: 'by hand';
  statement?: string;
}

interface Tally {
  findings: number;
  truePositives: number;
  falsePositives: number;
  misses: number;
  unjudged: number;
}

export interface RuleRow {
  rule: string;
  /** Findings both tools report. */
  agree: number;
  /** True findings: the union of both tools' (and hand-found ones). */
  truth: number;
  unjudged: number;
  shipline: Tally;
  squawk: Tally;
}

const TOOLS: Tool[] = ['shipline', 'squawk'];
const tally = (): Tally => ({ findings: 0, truePositives: 0, falsePositives: 0, misses: 0, unjudged: 0 });

/**
 * Per rule: each tool's findings, confirmed false positives and misses. A finding both tools report is true unless
 * judged otherwise; one only a tool reports counts by its judgment, and without one it is unjudged (left out of
 * precision and recall, and listed so a person can judge it).
 */
export function score(reported: Finding[], judgments: Record<string, Judgment>, rules: string[] = []) {
  const seen = new Set(reported.map((f) => f.key));
  const byHand: Finding[] = Object.entries(judgments)
    .filter(([key, j]) => !seen.has(key) && j.verdict === 'true-positive' && j.found === 'by hand')
    .map(([key, j]) => ({
      key,
      rule: key.split(':').at(-1) as string,
      file: key.split(':')[1] as string,
      statements: [{ line: 0, sql: j.statement ?? '' }],
    }));
  const findings = [...reported, ...byHand];
  const rows = new Map<string, RuleRow>();
  for (const rule of [...rules, ...findings.map((f) => f.rule)])
    if (!rows.has(rule)) rows.set(rule, { rule, agree: 0, truth: 0, unjudged: 0, shipline: tally(), squawk: tally() });
  const unjudged: Finding[] = [];
  const confirmed = {
    shipline: { falsePositives: [] as Finding[], misses: [] as Finding[] },
    squawk: { falsePositives: [] as Finding[], misses: [] as Finding[] },
  };
  for (const f of findings) {
    const row = rows.get(f.rule) as RuleRow;
    const both = Boolean(f.shipline && f.squawk);
    if (both) row.agree++;
    const verdict = judgments[f.key]?.verdict ?? (both ? 'true-positive' : undefined);
    if (!verdict) {
      row.unjudged++;
      unjudged.push(f);
    } else if (verdict === 'true-positive') row.truth++;
    for (const tool of TOOLS) {
      const t = row[tool];
      if (f[tool]) t.findings++;
      if (!verdict) {
        if (f[tool]) t.unjudged++;
        continue;
      }
      if (f[tool] && verdict === 'true-positive') t.truePositives++;
      if (f[tool] && verdict === 'false-positive') {
        t.falsePositives++;
        confirmed[tool].falsePositives.push(f);
      }
      if (!f[tool] && verdict === 'true-positive') {
        t.misses++;
        confirmed[tool].misses.push(f);
      }
    }
  }
  return { rows: [...rows.values()], unjudged, confirmed };
}

const percent = (a: number, b: number) => (b === 0 ? '–' : `${((100 * a) / b).toFixed(1)}%`);

/**
 * Rules that say where lint could not look rather than what a statement does: shown in the table, left out of the
 * totals (squawk has no such rule, so counting them would score its silence as misses).
 */
const NOTES = new Set(['unlinted-dynamic-sql']);

/** The Markdown table: a row per rule with a finding or a true finding, then the totals of the lock and data rules. */
export function accuracyTable(rows: RuleRow[]): string {
  const total: RuleRow = { rule: '**total**', agree: 0, truth: 0, unjudged: 0, shipline: tally(), squawk: tally() };
  for (const r of rows.filter((row) => !NOTES.has(row.rule))) {
    total.agree += r.agree;
    total.truth += r.truth;
    total.unjudged += r.unjudged;
    for (const tool of TOOLS) for (const k of Object.keys(total[tool]) as (keyof Tally)[]) total[tool][k] += r[tool][k];
  }
  const line = (r: RuleRow) => {
    const cells: (string | number)[] = [r.rule, r.truth, r.agree];
    for (const tool of TOOLS) {
      const t = r[tool];
      cells.push(
        t.findings,
        t.falsePositives,
        t.misses,
        percent(t.truePositives, t.truePositives + t.falsePositives),
        percent(t.truePositives, r.truth),
      );
    }
    cells.push(r.unjudged);
    return `| ${cells.join(' | ')} |`;
  };
  const header = [
    'rule',
    'true findings',
    'both report',
    ...TOOLS.flatMap((t) => ['findings', 'false positives', 'misses', 'precision', 'recall'].map((c) => `${t} ${c}`)),
    'unjudged',
  ];
  const shown = rows.filter((r) => r.truth + r.shipline.findings + r.squawk.findings > 0);
  return [`| ${header.join(' | ')} |`, `|${' --- |'.repeat(header.length)}`, ...shown.map(line), line(total)].join(
    '\n',
  );
}
