// plan: what apply would run, with lint findings, changing nothing; a database is optional (without one, every
// file is pending and lint learns column types from the earlier files).
import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ShiplineError } from '../../../../shared/errors.js';
import { info } from '../../../../shared/runner.js';
import { appendSummary, table } from '../../../../shared/summary.js';
import { close, type Db } from '../db.js';
import { readFolder } from '../formats.js';
import type { ColumnType } from '../lint.js';
import { atomicity, type Comparison, modeLabel, type Prepared } from '../migrator.js';
import { expectedChecksum, type History } from '../tracking.js';
import { open, type RunContext } from './context.js';
import { compare, type Folder, loadFolder, parseToRun, readHistory, reportComparison } from './folder.js';
import { currentColumnTypes, lint } from './lint-findings.js';
import {
  atomicityNotes,
  foreignSection,
  header,
  type Outcome,
  rollbackSafety,
  type Row,
  summaryTable,
  writeOutputs,
} from './report.js';

export async function plan(context: RunContext): Promise<void> {
  const { inputs, workspace } = context;
  const outcome: Outcome = { applied: [], foreign: [] };
  let folder: Folder | undefined;
  try {
    folder = loadFolder(inputs, workspace);
    await planFolder(context, folder, outcome);
  } finally {
    writeOutputs(outcome, folder?.format);
  }
}

/**
 * Without a database, in a pull request: the same folder in a checkout of the base branch (`baseDir`, relative to
 * the workspace) stands for what is applied, so only the files the pull request adds are pending and classified,
 * and one it changed is reported as changed. Absent there (a new folder), nothing is.
 */
function baseHistory(workspace: string, baseDir: string, folder: Folder): History {
  const dir = join(workspace, baseDir, relative(workspace, folder.dir));
  if (!existsSync(dir)) return { rows: [], foreign: [], present: false };
  const base = readFolder(dir, workspace, folder.format);
  info(`${base.files.length} migration(s) in the base branch's ${relative(workspace, dir)} count as applied.`);
  return {
    rows: base.files.map((f) => ({ version: f.version, checksum: expectedChecksum(folder.format.name, f) })),
    foreign: [],
    present: true,
  };
}

async function planFolder(context: RunContext, folder: Folder, outcome: Outcome): Promise<void> {
  const { inputs, workspace } = context;
  let db: Db | undefined;
  let comparison: Comparison;
  let pending: Prepared[];
  let columns: Map<string, ColumnType>;
  try {
    if (inputs['database-url'])
      db = await open(context, inputs['database-url'], { timeoutMs: inputs['connect-timeout'], label: 'plan' });
    const history =
      !db && inputs['base-dir'] ? baseHistory(workspace, inputs['base-dir'], folder) : await readHistory(db, folder);
    comparison = compare(inputs, folder, history, outcome);
    reportComparison(comparison, false);
    pending = await parseToRun(comparison.pending);
    columns = await currentColumnTypes(db, pending);
  } finally {
    await close(db);
  }
  const findings = await lint(inputs, pending, 'warning', columns);
  outcome.contracts = findings.contracts;
  const rows: Row[] = pending.map((p) => ({
    file: p.file.file,
    version: p.file.version,
    statements: p.statements.length,
    status: `will apply${modeLabel(p.plan)}`,
  }));
  for (const p of pending) info(`Would apply ${p.file.file} (${p.statements.length} statements; ${atomicity(p)})`);
  const parts = [
    header('Migration plan', inputs, folder, [
      ['Pending', rows.length],
      ['Lint findings', findings.rows.length],
    ]),
  ];
  parts.push(
    rows.length > 0
      ? `${summaryTable(rows)}${atomicityNotes(pending)}`
      : comparison.problems.length > 0
        ? 'Nothing would be applied: apply would refuse to run (below).'
        : 'Nothing to apply: the database is up to date.',
  );
  if (outcome.foreign.length > 0) parts.push(foreignSection(outcome.foreign).trim());
  parts.push(rollbackSafety(findings.contracts, 'would leave'));
  if (findings.rows.length > 0)
    parts.push(`#### Lint\n\n${table(['Where', 'Rule', 'Severity', 'Finding'], findings.rows)}`);
  if (comparison.problems.length > 0)
    parts.push(`#### Problems that block apply\n\n${comparison.problems.map((p) => `- ${p.message}`).join('\n')}`);
  appendSummary(parts.join('\n\n'));
  if (findings.errors > 0)
    throw new ShiplineError(`${findings.errors} lint finding(s) at severity error (see the annotations)`, {
      hint: "Fix them, silence one with '-- shipline-ignore <rule>' above the statement, or change input 'lint-severity'.",
    });
  if (comparison.problems.length > 0)
    throw new ShiplineError(`apply would refuse to run: ${comparison.problems.map((p) => p.message).join('; ')}`);
}
