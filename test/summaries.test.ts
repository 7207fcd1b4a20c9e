// Job summaries as GitHub shows them: the demo's summaries parsed by a real Markdown renderer (marked, GFM), so
// a table without a header, a blank header row, a pipe that splits a cell or a false duration shows up here.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { marked, type Tokens } from 'marked';
import { elapsedSince, formatDuration } from '../actions/notify/src/event.js';
import { type DemoResult, formatStep, runDemo, TIMELINE_HEADER } from '../cli/demo.js';
import { facts, markdown, table } from '../shared/summary.js';

const tablesOf = (text: string): Tokens.Table[] =>
  marked.lexer(text).filter((t): t is Tokens.Table => t.type === 'table');
const cellText = (c: Tokens.TableCell) => c.text.trim();

/** Unescaped pipes on a table line: GFM splits cells there, inside code spans too. */
const pipes = (line: string) => line.replace(/\\\\/g, '').replace(/\\\|/g, '').split('|').length - 1;

describe('tables', () => {
  test('a key/value table takes its first fact as the header: no blank header row', () => {
    const text = facts([
      ['Outcome', 'live in production'],
      ['Release', undefined],
      ['URL', 'https://notes.example.com'],
      ['Commit', 'abc1234 fix | pipes [and] `ticks`'],
    ]);
    const [parsed, ...others] = tablesOf(text);
    expect(others).toHaveLength(0);
    expect(parsed?.header.map(cellText)).toEqual(['Outcome', 'live in production']);
    expect(parsed?.rows.map((r) => r.map(cellText))).toEqual([
      ['URL', 'https://notes.example.com'],
      ['Commit', 'abc1234 fix | pipes \\[and\\] \\`ticks\\`'], // one cell: the pipe did not split it
    ]);
    expect(marked.parse(text)).toContain('<td>abc1234 fix | pipes [and] `ticks`</td>');
    expect(facts([['Release', undefined]])).toBe('');
  });

  test('table() keeps every value in its cell', () => {
    const text = table(['Check', 'Result'], [[markdown('**a**<br>`GET /`'), 'x|y\nz']]);
    expect(tablesOf(text)[0]?.rows[0]?.map(cellText)).toEqual(['**a**<br>`GET /`', 'x|y<br>z']);
  });
});

describe('durations', () => {
  const now = new Date('2026-11-29T12:00:00Z');
  test('an unknown or impossible start shows no duration instead of a false one', () => {
    expect(elapsedSince(new Date(0), now)).toBeUndefined();
    expect(elapsedSince(new Date(1_700_000_000_000), now)).toBeUndefined();
    expect(elapsedSince(new Date('2026-11-29T13:00:00Z'), now)).toBeUndefined();
    expect(elapsedSince(undefined, now)).toBeUndefined();
    expect(elapsedSince(new Date('2026-11-29T11:58:30Z'), now)).toBe(90_000);
    expect(formatDuration(90_000)).toBe('1m 30s');
    expect(formatDuration(27 * 3600_000 + 60_000)).toBe('1d 3h');
    expect(formatDuration(Date.parse('2026-11-29T12:00:00Z'))).toBe('');
  });
});

describe('the demo’s summaries, rendered', () => {
  let out: string;
  let result: DemoResult;
  let summaries: { file: string; text: string }[];
  beforeAll(async () => {
    out = mkdtempSync(join(tmpdir(), 'shipline-summaries-'));
    result = await runDemo({ provider: 'vercel', out });
    summaries = readdirSync(out)
      .filter((f) => f.endsWith('.md'))
      .sort()
      .map((file) => ({ file, text: readFileSync(join(out, file), 'utf8') }));
  }, 240_000);
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  test('every table has a header row of labels, no blank row, and as many cells per row as headers', () => {
    expect(summaries.length).toBe(result.steps.length);
    let count = 0;
    for (const { file, text } of summaries) {
      for (const parsed of tablesOf(text)) {
        count++;
        const where = `${file}: ${parsed.raw.split('\n')[0]}`;
        expect({ where, blankHeaders: parsed.header.filter((c) => !cellText(c)).length }).toEqual({
          where,
          blankHeaders: 0,
        });
        for (const row of parsed.rows)
          expect({ where, blankRow: row.every((c) => !cellText(c)) }).toEqual({ where, blankRow: false });
        // A raw pipe in a value would add a cell that the renderer silently drops.
        for (const line of parsed.raw.trim().split('\n'))
          expect({ where, line, pipes: pipes(line) }).toEqual({ where, line, pipes: parsed.header.length + 1 });
      }
    }
    expect(count).toBeGreaterThanOrEqual(summaries.length);
    const first = (name: string) =>
      tablesOf(summaries.find((s) => s.file.includes(name))?.text ?? '')[0]?.header.map(cellText);
    expect(first('release-1-deploy-staged')).toEqual(['Outcome', expect.any(String)]);
    expect(first('release-1-notify-succeeded')).toEqual(['Status', 'succeeded']);
    expect(first('release-1-migrate-apply')).toEqual(['Database', expect.any(String)]);
    expect(first('release-1-smoke-test')).toEqual(['Check', 'Result', 'Attempts', 'p50', 'p95', 'p99', 'Reason']);
  });

  test('durations are true: the pipeline’s own, under the demo’s running time', () => {
    const durations = summaries.flatMap(({ text }) =>
      tablesOf(text).flatMap((t) =>
        [t.header, ...t.rows]
          .filter((r) => cellText(r[0] as Tokens.TableCell) === 'Duration')
          .map((r) => cellText(r[1] as Tokens.TableCell)),
      ),
    );
    // Release 1 succeeded and release 2 was rolled back: both say how long their pipeline took.
    expect(durations).toHaveLength(2);
    for (const d of durations) {
      const m = /^(?:(\d+)m )?(\d+)s$/.exec(d);
      expect({ d, form: Boolean(m) }).toEqual({ d, form: true });
      const seconds = Number(m?.[1] ?? 0) * 60 + Number(m?.[2]);
      expect(seconds).toBeLessThanOrEqual(Math.ceil(result.totalMs / 1000));
    }
  });

  test('the timeline labels every column, its last one too', () => {
    expect(TIMELINE_HEADER.split(/\s{2,}/).map((s) => s.trim())).toEqual(['#', 'Step', 'Time', 'Outcome', 'Result']);
    const lines = result.steps.map(formatStep);
    const detail = (name: string) =>
      lines
        .find((l) => l.includes(name))
        ?.split(/\s{2,}/)
        .at(-1);
    expect(detail('Release 1: deploy staged')).toMatch(/^deployment \S+$/);
    expect(detail('Release 1: migrate apply')).toBe('2 migrations applied');
    expect(detail('Release 2: smoke-test')).toMatch(/^failed checks: .*\/health/);
    expect(detail('Release 1: notify started')).toMatch(/^Slack message \d+\.\d{6}$/);
    // Staged: release 2 never went live, so the rollback changed nothing and says which release stayed live.
    expect(detail('Release 2: rollback')).toMatch(/^no change: \S+ still live$/);
  });
});
