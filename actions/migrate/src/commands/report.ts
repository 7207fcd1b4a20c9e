// What a command reports: its outputs, the summary's tables and header, and the line for a failed run.
import { setOutput } from '../../../../shared/runner.js';
import { facts, MARK, table } from '../../../../shared/summary.js';
import { workspaceOf } from '../../../../shared/workspace.js';
import { notRollbackSafe } from '../../../../shared/schema-changes.js';
import { describeServer } from '../db.js';
import type { FormatSpec } from '../formats.js';
import type { MigrateInputs } from '../inputs.js';
import { atomicity, type Comparison, type Prepared } from '../migrator.js';
import type { ForeignRow } from '../tracking.js';
import type { ContractMigration } from './lint-findings.js';
import type { RunContext } from './context.js';
import type { Folder } from './folder.js';

export interface AppliedEntry {
  version: string;
  name: string;
  file: string;
  statements: number;
  durationMs: number;
}

/**
 * What a command knows for its outputs, filled in as it goes; the outputs are written from it whatever happens
 * (refusal, failure), so a later step never reads a missing output. Unknown values are written empty.
 */
export interface Outcome {
  applied: AppliedEntry[];
  /** The contract migrations among the files this run applies (plan, dry run: would apply). */
  contracts?: ContractMigration[];
  comparison?: Comparison;
  foreign: ForeignRow[];
}

export function writeOutputs(outcome: Outcome, format: FormatSpec | undefined, applying = false): void {
  setOutput('applied', JSON.stringify(outcome.applied));
  // Of what apply ran, only the files that committed changed the schema; plan and the dry run report all pending.
  const contracts =
    outcome.contracts && applying
      ? outcome.contracts.filter((c) => outcome.applied.some((a) => a.file === c.file))
      : outcome.contracts;
  setOutput('contract-migrations', contracts ? JSON.stringify(contracts) : '');
  setOutput('rollback-safe', contracts ? String(contracts.length === 0) : '');
  setOutput('applied-count', outcome.applied.length);
  const comparison = outcome.comparison;
  if (!comparison || !format) {
    setOutput('pending-count', '');
    setOutput('current-version', '');
    return;
  }
  const appliedNow = outcome.applied.map((a) => a.version);
  const versions = comparison.states
    .filter((s) => s.status === 'applied' || s.status === 'changed' || s.status === 'missing')
    .map((s) => s.version);
  const foreign = outcome.foreign.filter((f) => f.ordered && f.version !== undefined).map((f) => f.version as string);
  setOutput('pending-count', comparison.pending.length - appliedNow.length);
  setOutput('current-version', [...versions, ...foreign, ...appliedNow].sort(format.compare).at(-1) ?? '');
}

/** The summary's word on rollback safety: which files an app rollback could not run against, and why. */
export function rollbackSafety(contracts: ContractMigration[], verb: 'would leave' | 'left'): string {
  if (contracts.length === 0)
    return `**Rollback-safe**: every migration only adds to the schema, so the release before it still runs against it.`;
  return notRollbackSafe(contracts, verb);
}

export interface Row {
  file: string;
  version: string;
  statements: number | string;
  ms?: number;
  status: string;
}

export const formatMs = (ms: number | undefined) =>
  ms === undefined ? '' : ms < 1000 ? `${ms.toFixed(0)} ms` : `${(ms / 1000).toFixed(2)} s`;

export function foreignSection(foreign: ForeignRow[]): string {
  if (foreign.length === 0) return '';
  const rows = foreign.slice(0, 100).map((f) => [f.version ?? '–', f.description]);
  const more = foreign.length > rows.length ? `\n\n${foreign.length - rows.length} more not listed.` : '';
  return `\n\n#### Recorded by the tool itself, not SQL files of this folder (left as they are)\n\n${table(['Version', 'Migration'], rows)}${more}`;
}

export function summaryTable(rows: Row[]): string {
  return table(
    ['File', 'Version', 'Statements', 'Duration', 'Status'],
    rows.map((r) => [r.file, r.version, r.statements, formatMs(r.ms), r.status]),
  );
}

export function header(
  title: string,
  inputs: MigrateInputs,
  folder: Folder | undefined,
  extra: [string, unknown][] = [],
  database?: string,
): string {
  return [
    `### ${title}`,
    facts([
      ['Database', database ?? (inputs['database-url'] ? describeServer(inputs['database-url']) : 'none (files only)')],
      ['Folder', folder ? `${folder.dir.replace(`${workspaceOf()}/`, '')} (${folder.format.name})` : undefined],
      ['Tracking table', folder?.tracker.table],
      ...extra,
    ]),
  ].join('\n\n');
}

/** A line per file that is not one plain transaction, saying what is atomic in it (plan and summary). */
export function atomicityNotes(files: Prepared[]): string {
  const notes = files.filter((p) => p.plan.mode !== 'transaction').map((p) => `- \`${p.file.file}\`: ${atomicity(p)}.`);
  return notes.length > 0
    ? `\n\n#### How these files run\n\nEvery other file runs in one transaction with its tracking row.\n\n${notes.join('\n')}`
    : '';
}

/** The summary's line for a failed run: what stopped it, and what was applied before (never "up to date"). */
export function failed(context: RunContext, error: unknown, appliedCount: number): string {
  const reason = context.timeout.hasPassed
    ? context.timeout.error().message
    : error instanceof Error
      ? error.message
      : String(error);
  return `${MARK.failed} ${reason.split('\n')[0]} — ${appliedCount === 0 ? 'nothing was applied' : `${appliedCount} migration(s) applied before the failure`}`;
}
