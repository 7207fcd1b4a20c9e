// The folder and the tracking table: reading the files, comparing them with what the database records, and
// parsing the files that will run. Shared by every command that reads the folder.
import { ShiplineError } from '../../../../shared/errors.js';
import { debug, error, info, warning } from '../../../../shared/runner.js';
import type { Db } from '../db.js';
import { detectFormat, FORMATS, type FormatSpec, type MigrationFile, readFolder, resolveDir } from '../formats.js';
import type { MigrateInputs } from '../inputs.js';
import {
  type Comparison,
  compareWithDatabase,
  type FileProblem,
  MigrationProblems,
  type Prepared,
  prepare,
} from '../migrator.js';
import { positionAt } from '../sql.js';
import { type History, type Tracker, trackerFor } from '../tracking.js';
import { formatMs, type Outcome } from './report.js';

export interface Folder {
  dir: string;
  format: FormatSpec;
  tracker: Tracker;
  files: MigrationFile[];
}

function annotate(problem: FileProblem, level: 'error' | 'warning' = 'error'): void {
  const { line, column } = positionAt(problem.file.content, problem.offset);
  (level === 'error' ? error : warning)(problem.message, {
    file: problem.file.file,
    startLine: line,
    startColumn: column,
    title: problem.title,
  });
}

/** Reads the folder; nothing touches the database here. */
export function loadFolder(inputs: MigrateInputs, workspace: string): Folder {
  const dir = resolveDir(workspace, inputs.dir);
  const name = inputs.format === 'auto' ? detectFormat(dir) : inputs.format;
  const format = FORMATS[name];
  const { files, skipped, notes } = readFolder(dir, workspace, format);
  for (const f of skipped) warning(`Skipping ${f}: not a ${name} migration file name`, { title: 'Skipped file' });
  for (const n of notes ?? []) warning(n.message, { file: n.file, startLine: n.line, title: n.title });
  const tracker = trackerFor(name, {
    drizzleSchema: inputs['drizzle-migrations-schema'],
    drizzleTable: inputs['drizzle-migrations-table'],
  });
  info(
    `${files.length} ${name} migration(s) in ${dir.slice(workspace.length + 1) || dir}, tracked in ${tracker.table}.`,
  );
  return { dir, format, tracker, files };
}

/**
 * Parses the files that will run (only those: a long applied history is never re-parsed) and checks their
 * transaction rules; every problem is annotated before the step fails, and before anything runs.
 */
export async function parseToRun(files: MigrationFile[]): Promise<Prepared[]> {
  const started = performance.now();
  const { prepared, problems } = await prepare(files);
  debug(`Parsed ${files.length} file(s) in ${formatMs(performance.now() - started)}`);
  if (problems.length > 0) {
    for (const p of problems) annotate(p);
    throw new MigrationProblems(
      `${problems.length} migration file problem(s) found before anything ran; see the annotations`,
      problems,
    );
  }
  return prepared;
}

/** Where a finding is annotated: the index file's line that orders it (Drizzle's journal), else the file. */
const placeOf = (finding: Comparison['problems'][number]) =>
  finding.at ? { file: finding.at.file, startLine: finding.at.line } : { file: finding.file?.file };

export function reportComparison(comparison: Comparison, fail: boolean): void {
  for (const w of comparison.warnings) warning(w.message, { ...placeOf(w), title: 'Allowed by input' });
  if (comparison.problems.length === 0) return;
  for (const p of comparison.problems)
    (fail ? error : warning)(p.message, { ...placeOf(p), title: 'Migrations do not match the database' });
  if (!fail) return;
  const kinds = new Set(comparison.states.map((s) => s.status));
  const hints = [
    kinds.has('changed') &&
      "Put the applied file back as it was and add a new migration for the change (or set 'allow-changed: true').",
    kinds.has('missing') &&
      'Restore the missing file. Remove its row from the tracking table only if that migration was really reverted in the database (a file that still exists under another version would then run again).',
    kinds.has('out-of-order') &&
      (comparison.hints?.outOfOrder ??
        "Rename the new file to a version after the newest applied one (or set 'allow-out-of-order: true')."),
  ].filter(Boolean);
  throw new ShiplineError(`Nothing was applied: ${comparison.problems.map((p) => p.message).join('; ')}`, {
    hint: hints.join(' '),
  });
}

export async function readHistory(db: Db | undefined, folder: Folder): Promise<History> {
  return db ? folder.tracker.read(db, folder.files, folder.dir) : { rows: [], foreign: [], present: false };
}

/**
 * Compares the folder with the tracking table. Rows the tool itself wrote for migrations that are not SQL files
 * here are reported, not drift; a pending file older than one the tool orders among the files is out of order.
 */
export function compare(inputs: MigrateInputs, folder: Folder, history: History, outcome: Outcome): Comparison {
  const comparison = compareWithDatabase(folder.format, folder.tracker, folder.files, history.rows, allow(inputs));
  outcome.comparison = comparison;
  outcome.foreign = history.foreign;
  if (history.foreign.length > 0) {
    const shown = history.foreign.slice(0, 20).map((f) => f.description);
    info(
      `${folder.tracker.table} also records ${history.foreign.length} migration(s) of the tool's own that are not SQL files of this folder; shipline leaves them as they are: ${shown.join('; ')}${history.foreign.length > shown.length ? '; …' : ''}`,
    );
  }
  const newestForeign = history.foreign
    .filter((f) => f.ordered && f.version !== undefined)
    .map((f) => f.version as string)
    .sort(folder.format.compare)
    .at(-1);
  if (newestForeign === undefined) return comparison;
  for (const state of comparison.states) {
    if (state.status !== 'pending' || !state.file || folder.format.compare(state.file.version, newestForeign) >= 0)
      continue;
    state.status = 'out-of-order';
    const message = `${state.file.file} is not applied but is older than version ${newestForeign}, recorded in ${folder.tracker.table} by the tool itself`;
    (inputs['allow-out-of-order'] ? comparison.warnings : comparison.problems).push({ message, file: state.file });
  }
  return comparison;
}

const allow = (inputs: MigrateInputs) => ({
  allowChanged: inputs['allow-changed'],
  allowOutOfOrder: inputs['allow-out-of-order'],
});
