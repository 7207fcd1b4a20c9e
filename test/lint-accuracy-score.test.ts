// The lint accuracy bench's scoring (bench/lint-score.ts): agreements count as true unless judged otherwise, a
// finding only one tool reports counts by its judgment or is listed as unjudged, and a hand-found true finding is a
// miss of both tools.
import { describe, expect, test } from '@jest/globals';
import { accuracyTable, type Finding, type Judgment, score } from '../bench/lint-score.js';

const finding = (key: string, tools: { shipline?: boolean; squawk?: boolean }): Finding => ({
  key,
  rule: key.split(':').at(-1) as string,
  file: key.split(':')[1] as string,
  ...tools,
  statements: [{ line: Number(key.split(':')[2]) || 0, sql: 'ALTER TABLE t …' }],
});

const fp = (reason: string): Judgment => ({ verdict: 'false-positive', reason });
const tp = (reason: string): Judgment => ({ verdict: 'true-positive', reason });

describe('lint accuracy scoring', () => {
  const findings = [
    finding('o/r:a.sql:1:changing-column-type', { shipline: true, squawk: true }),
    finding('o/r:a.sql:2:changing-column-type', { shipline: true, squawk: true }),
    finding('o/r:a.sql:3:changing-column-type', { squawk: true }),
    finding('o/r:a.sql:4:changing-column-type', { shipline: true }),
    finding('o/r:a.sql:5:changing-column-type', { squawk: true }),
  ];
  const judgments: Record<string, Judgment> = {
    'o/r:a.sql:2:changing-column-type': fp('a timestamp precision increase: no rewrite'),
    'o/r:a.sql:3:changing-column-type': tp('int to bigint rewrites'),
    'o/r:a.sql:4:changing-column-type': fp('varchar widened'),
    'o/r:b.sql:file:require-lock-timeout': { ...tp('LOCK TABLE inside a DO block'), found: 'by hand' },
  };

  test('an agreement is true unless judged false; a judged disagreement is a false positive or a miss', () => {
    const { rows, confirmed } = score(findings, judgments);
    const row = rows.find((r) => r.rule === 'changing-column-type');
    expect(row).toMatchObject({ agree: 2, truth: 2, unjudged: 1 });
    expect(row?.shipline).toEqual({ findings: 3, truePositives: 1, falsePositives: 2, misses: 1, unjudged: 0 });
    expect(row?.squawk).toEqual({ findings: 4, truePositives: 2, falsePositives: 1, misses: 0, unjudged: 1 });
    expect(confirmed.shipline.misses.map((f) => f.key)).toEqual([
      'o/r:a.sql:3:changing-column-type',
      'o/r:b.sql:file:require-lock-timeout',
    ]);
    expect(confirmed.shipline.falsePositives.map((f) => f.key)).toEqual([
      'o/r:a.sql:2:changing-column-type',
      'o/r:a.sql:4:changing-column-type',
    ]);
  });

  test('a disagreement nobody judged is listed as unjudged and left out of precision and recall', () => {
    const { unjudged } = score(findings, judgments);
    expect(unjudged.map((f) => f.key)).toEqual(['o/r:a.sql:5:changing-column-type']);
  });

  test('a true finding found by hand that neither tool reports is a miss of both', () => {
    const { rows } = score(findings, judgments);
    const row = rows.find((r) => r.rule === 'require-lock-timeout');
    expect(row).toMatchObject({ truth: 1, shipline: { findings: 0, misses: 1 }, squawk: { findings: 0, misses: 1 } });
  });

  test('the table shows precision and recall per tool, and the totals', () => {
    const table = accuracyTable(score(findings, judgments, ['ban-drop-table']).rows).split('\n');
    expect(table[0]).toContain('| shipline precision | shipline recall |');
    // changing-column-type: shipline 1 true of 3 judged (33.3%), 1 of 2 true findings (50.0%); squawk 2 of 3, 2 of 2.
    expect(table).toContain(
      '| changing-column-type | 2 | 2 | 3 | 2 | 1 | 33.3% | 50.0% | 4 | 1 | 0 | 66.7% | 100.0% | 1 |',
    );
    expect(table.some((l) => l.startsWith('| ban-drop-table'))).toBe(false);
    expect(table.at(-1)).toBe('| **total** | 3 | 2 | 3 | 2 | 2 | 33.3% | 33.3% | 4 | 1 | 1 | 66.7% | 66.7% | 1 |');
  });
});
