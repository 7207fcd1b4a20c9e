// Job summaries as GitHub-flavoured Markdown: readable in the Actions UI and, unchanged, in a terminal (the CLI
// prints the same file). Appended to GITHUB_STEP_SUMMARY, which holds at most 1 MiB per step.
import { appendFileSync } from 'node:fs';

const SUMMARY_LIMIT = 1024 * 1024;

/** A table cell: pipes and new lines would break the row. */
export function cell(value: unknown): string {
  const text = value === undefined || value === null || value === '' ? '–' : String(value);
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');
}

export function table(headers: string[], rows: unknown[][]): string {
  const line = (cells: unknown[]) => `| ${cells.map(cell).join(' | ')} |`;
  return [`| ${headers.map((h) => h.replace(/\|/g, '\\|')).join(' | ')} |`, `| ${headers.map(() => '---').join(' | ')} |`, ...rows.map(line)].join('\n');
}

/** Two-column key/value table, skipping empty values. */
export function facts(pairs: [string, unknown][]): string {
  return table(
    ['', ''],
    pairs.filter(([, v]) => v !== undefined && v !== null && v !== ''),
  );
}

export function details(summaryLine: string, body: string): string {
  return `<details><summary>${summaryLine}</summary>\n\n${body}\n\n</details>`;
}

/** Appends a block of Markdown to this step's summary; a no-op outside a runner. */
export function appendSummary(markdown: string): void {
  const path = process.env.GITHUB_STEP_SUMMARY;
  if (!path) return;
  const text =
    markdown.length > SUMMARY_LIMIT - 1024 ? `${markdown.slice(0, SUMMARY_LIMIT - 1024)}\n\n…(summary truncated at GitHub's 1 MiB limit)\n` : markdown;
  appendFileSync(path, `${text}\n\n`, 'utf8');
}
