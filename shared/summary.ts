// Job summaries as GitHub-flavoured Markdown: readable in the Actions UI and, unchanged, in a terminal (the CLI
// prints the same file). Written through @actions/core's summary to GITHUB_STEP_SUMMARY, which holds at most 1 MiB per step.
// Every value in a cell is plain text and is escaped (it may be outside text: a commit subject, a server's
// answer); Markdown the action writes itself is wrapped in markdown() and passes as written.
import { summary as jobSummary } from '@actions/core';
import { escapeMarkdown, scrub } from './sanitise.js';

const SUMMARY_LIMIT = 1024 * 1024;

/** Markdown the action composed itself (its parts escaped with escapeMarkdown or codeSpan): not escaped again. */
export class Markdown {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

export const markdown = (text: string): Markdown => new Markdown(text);

/** A table cell: plain values escaped (no HTML, links or code of their own, pipes and new lines kept in the row). */
export function cell(value: unknown): string {
  if (value instanceof Markdown) return value.text.replace(/\r?\n/g, '<br>');
  return value === undefined || value === null || value === '' ? '–' : escapeMarkdown(value);
}

/** A GFM table. Every column needs a header that says what it holds: GitHub shows an empty one as a blank row. */
export function table(headers: string[], rows: unknown[][]): string {
  const line = (cells: unknown[]) => `| ${cells.map(cell).join(' | ')} |`;
  return [`| ${headers.map((h) => h.replace(/\|/g, '\\|')).join(' | ')} |`, `| ${headers.map(() => '---').join(' | ')} |`, ...rows.map(line)].join('\n');
}

/**
 * Two-column key/value table, skipping empty values. GFM has no table without a header row, and an empty one shows
 * as a blank bar: the first pair (the most important fact: the outcome, the status) is the header instead.
 */
export function facts(pairs: [string, unknown][]): string {
  const [first, ...rest] = pairs.filter(([, v]) => v !== undefined && v !== null && v !== '');
  if (!first) return '';
  const line = ([key, value]: [string, unknown]) => `| ${cell(key)} | ${cell(value)} |`;
  return [line(first), '| --- | --- |', ...rest.map(line)].join('\n');
}

export function details(summaryLine: string, body: string): string {
  return `<details><summary>${summaryLine}</summary>\n\n${body}\n\n</details>`;
}

/** The summary's writes, one after another: core's summary is one shared buffer, so two writes must not overlap. */
let writes: Promise<void> = Promise.resolve();

/**
 * Appends a block of Markdown to this step's summary (a no-op outside a runner). Blocks are written in the order
 * they were appended; the returned promise settles when this one is on disk, and flushSummary() waits for all.
 */
export function appendSummary(markdown: string): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return writes;
  // The runner masks the log, not the summary: a registered secret that reached the text anyway is starred here.
  markdown = scrub(markdown);
  const text =
    markdown.length > SUMMARY_LIMIT - 1024 ? `${markdown.slice(0, SUMMARY_LIMIT - 1024)}\n\n…(summary truncated at GitHub's 1 MiB limit)\n` : markdown;
  writes = writes.then(async () => {
    await jobSummary.addRaw(`${text}\n\n`).write();
  });
  writes.catch(() => undefined); // seen by flushSummary, so never an unhandled rejection
  return writes;
}

/** Waits until every appended block is written; a write that failed fails here (the step's one catch reports it). */
export function flushSummary(): Promise<void> {
  return writes;
}
