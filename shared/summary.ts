// Job summaries as GitHub-flavoured Markdown: readable in the Actions UI and, unchanged, in a terminal (the CLI
// prints the same file). Written through @actions/core's summary to GITHUB_STEP_SUMMARY, which holds at most 1 MiB per step.
// Every value in a cell is plain text and is escaped (it may be outside text: a commit subject, a server's
// answer); Markdown the action writes itself is wrapped in markdown() and passes as written.
import { summary as jobSummary } from '@actions/core';
import { escapeMarkdown, scrub } from './sanitise.js';

const SUMMARY_LIMIT = 1024 * 1024;

/**
 * Status marks a summary can show to anyone. Colour emoji (✅ ❌ ⏪ 🟦) need a colour-emoji font, and where there
 * is none (a Linux desktop without Noto Color Emoji, a headless browser on a runner) they draw as empty boxes.
 * These are text characters (not emoji in Unicode's emoji data, or text-presentation by default, as ⚠ is) that
 * the usual sans and monospace fonts carry: DejaVu, Noto Sans, Segoe UI Symbol, Apple's system fonts.
 */
export const MARK = { passed: '✓', failed: '✗', warning: '⚠', none: '–' } as const;

/** Pictographs a summary may hold: text-presentation symbols the usual fonts carry (see MARK). */
export const TEXT_PICTOGRAPHS: ReadonlySet<string> = new Set(['⚠', '↔']);

/**
 * Status emoji and the text they read as (see MARK). shipline's own summaries write MARK; this is applied to every
 * block appended, so one that carries them anyway (notify's status emoji, which Slack draws itself) still reads
 * without an emoji font.
 */
const EMOJI_AS_TEXT: readonly [RegExp, string][] = [
  [/\u{2705}\u{FE0F}?/gu, MARK.passed], // ✅
  [/\u{274C}\u{FE0F}?/gu, MARK.failed], // ❌
  [/\u{26A0}\u{FE0F}/gu, MARK.warning], // ⚠️ (the emoji form; ⚠ alone is text)
  [/\u{23F8}\u{FE0F}?/gu, MARK.none], // ⏸ not run
  [/\u{2796}\u{FE0F}?/gu, MARK.none], // ➖
  [/\u{23F3}\u{FE0F}?/gu, '…'], // ⏳ pending
  [/\u{2753}\u{FE0F}?/gu, '?'], // ❓
  [/\u{26AA}\u{FE0F}? ?/gu, ''], // ⚪ (cancelled: the words say it)
  [/\u{23EA}\u{FE0F}? ?/gu, ''], // ⏪ (rolled back: the words say it)
  [/\u{1F680}\u{FE0F}? ?/gu, ''], // 🚀
];

/** Those colour emoji as the text of MARK; any other emoji (one in a commit subject) is the author's and stays. */
export function emojiAsText(text: string): string {
  return EMOJI_AS_TEXT.reduce((out, [emoji, mark]) => out.replace(emoji, mark), text);
}

/** Markdown the action composed itself (its parts escaped with escapeMarkdown or codeSpan): not escaped again. */
export class Markdown {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

export const markdown = (text: string): Markdown => new Markdown(text);

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/** An id as people read it: a UUID by its first 8 characters (as a commit by its short SHA); any other id whole. */
export function shortId(id: string): string {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id) ? id.slice(0, 8) : id;
}

/** A URL a cell can link as it stands: http(s), nothing that could end the link or the cell. */
const LINKABLE = /^https?:\/\/[^\s<>()[\]|`"'\\*_]+$/;

/**
 * A URL holding UUIDs (Railway's dashboard: project, service, environment, deployment) as a link whose text shows
 * each UUID short: the whole URL is the link's, the cell stays readable.
 */
function uuidLink(url: string): string | undefined {
  if (!LINKABLE.test(url) || !url.match(UUID)) return undefined;
  const text = url
    .replace(/^https?:\/\//, '')
    .replace(UUID, (uuid) => `${uuid.slice(0, 8)}…`)
    .replace(/&(?=#?\w+;)/g, '&amp;');
  return `[${text}](<${url}>)`;
}

/**
 * A table cell: plain values escaped (no HTML, links or code of their own, pipes and new lines kept in the row); a
 * URL holding UUIDs is linked with short text (uuidLink).
 */
export function cell(value: unknown): string {
  if (value instanceof Markdown) return value.text.replace(/\r?\n/g, '<br>');
  const link = typeof value === 'string' ? uuidLink(value) : undefined;
  if (link) return link;
  return value === undefined || value === null || value === '' ? '–' : escapeMarkdown(value);
}

/** A GFM table. Every column needs a header that says what it holds: GitHub shows an empty one as a blank row. */
export function table(headers: string[], rows: unknown[][]): string {
  const line = (cells: unknown[]) => `| ${cells.map(cell).join(' | ')} |`;
  return [
    `| ${headers.map((h) => h.replace(/\|/g, '\\|')).join(' | ')} |`,
    `| ${headers.map(() => '---').join(' | ')} |`,
    ...rows.map(line),
  ].join('\n');
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

/** The summary's writes, one after another: core's summary is one shared buffer, so two writes must not overlap. */
let writes: Promise<void> = Promise.resolve();

/**
 * Appends a block of Markdown to this step's summary (a no-op outside a runner). Blocks are written in the order
 * they were appended; the returned promise settles when this one is on disk, and flushSummary() waits for all.
 */
export function appendSummary(markdown: string): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return writes;
  // The runner masks the log, not the summary: a registered secret that reached the text anyway is starred here.
  markdown = emojiAsText(scrub(markdown));
  const text =
    markdown.length > SUMMARY_LIMIT - 1024
      ? `${markdown.slice(0, SUMMARY_LIMIT - 1024)}\n\n…(summary truncated at GitHub's 1 MiB limit)\n`
      : markdown;
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
