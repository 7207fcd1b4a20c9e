// Contract migrations a release's pipeline applied (migrate's `contract-migrations` output), as deploy records them
// in the ledger and rollback reads them: a release older than one of them would meet a schema it does not know.
// Also how every report says so before merge: migrate plan's summary and deploy's pull request comment.
import { codeSpan, escapeMarkdown } from './sanitise.js';
import { MARK } from './summary.js';

export interface SchemaChange {
  file: string;
  line: number;
  reason: string;
}

/** As migrate reports it: with the statement that makes the file contract (not kept in the ledger). */
export interface PlannedChange extends SchemaChange {
  statement?: string;
}

/** Where the two-release pattern (expand, then contract) is shown for the common cases. */
export const EXPAND_CONTRACT_DOCS =
  'https://github.com/shipline/shipline/blob/main/actions/migrate/README.md#two-releases-expand-then-contract';

/**
 * The "not rollback-safe" section: each contract migration's file:line, why and statement, and the way to ship
 * the change safely. `verb` says whether the migrations are to come (plan, a pull request) or ran (apply).
 */
export function notRollbackSafe(changes: PlannedChange[], verb: 'would leave' | 'left'): string {
  const rows = changes.map(
    (c) =>
      `| ${escapeMarkdown(`${c.file}:${c.line}`)} | ${escapeMarkdown(c.reason)} | ${c.statement ? codeSpan(c.statement, 200) : '–'} |`,
  );
  return [
    '#### Not rollback-safe',
    '',
    `${MARK.warning} **This release is not rollback-safe**: these migrations ${verb} a schema the release before them does not know: rolling the app back past them would fail on its first query against it (rollback refuses, unless allow-schema-ahead or migrate-down). Ship such a change in two releases, expand then contract: [how, for renaming a column, dropping one and adding NOT NULL](${EXPAND_CONTRACT_DOCS}).`,
    '',
    '| Where | Why | Statement |',
    '| --- | --- | --- |',
    ...rows,
  ].join('\n');
}

/** At most this many are recorded per release: the ledger's payload stays small, and one is enough to refuse. */
const RECORDED = 20;

/** migrate's `contract-migrations` output, read: an empty input is none; anything but its JSON form is a problem. */
export function parseContractMigrations(raw: string): { changes: PlannedChange[] } | { problem: string } {
  const expected =
    "Input 'contract-migrations' must be migrate's contract-migrations output: a JSON array of {file, line, reason}";
  if (raw.trim() === '') return { changes: [] };
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return { problem: `${expected} (it is not JSON)` };
  }
  if (!Array.isArray(parsed)) return { problem: `${expected} (it is not an array)` };
  const changes: PlannedChange[] = [];
  for (const item of parsed) {
    const { file, line, reason, statement } = (item ?? {}) as Record<string, unknown>;
    if (typeof file !== 'string' || typeof reason !== 'string' || !Number.isInteger(line))
      return { problem: `${expected} (an item lacks a file, line or reason)` };
    changes.push({
      file: file.slice(0, 300),
      line: line as number,
      reason: reason.slice(0, 300),
      ...(typeof statement === 'string' ? { statement: statement.slice(0, 300) } : {}),
    });
  }
  return { changes: changes.slice(0, RECORDED) };
}

export const describeChange = (c: SchemaChange) => `${c.file}:${c.line} (${c.reason})`;
