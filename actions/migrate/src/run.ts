// migrate: apply, plan, verify or status for a folder of SQL migrations, or run the team's own migration tool
// (`exec`) under the same lock. Problems are annotations at file:line:column; the summary has one row per file.
import { spawn } from 'node:child_process';
import { ShiplineError } from '../../../shared/errors.js';
import { readRunContext } from '../../../shared/run-context.js';
import { debug, error, group, info, setOutput, warning } from '../../../shared/runner.js';
import { appendSummary, facts, table } from '../../../shared/summary.js';
import { close, connect, type Db, describeServer } from './db.js';
import { detectFormat, FORMATS, type FormatSpec, type MigrationFile, readFolder, resolveDir } from './formats.js';
import type { MigrateInputs } from './inputs.js';
import { ignoredRules, lintStatements, severityOf } from './lint.js';
import { acquireLock, releaseLock } from './lock.js';
import { applyAll, atomicity, type Comparison, compareWithDatabase, type FileProblem, MigrationProblems, modeLabel, type Prepared, prepare, sessionSettings, StatementFailed } from './migrator.js';
import { positionAt } from './sql.js';
import { TRACKERS, type Tracker } from './tracking.js';

interface Folder {
  dir: string;
  format: FormatSpec;
  tracker: Tracker;
  files: MigrationFile[];
}

interface Row {
  file: string;
  version: string;
  statements: number | string;
  ms?: number;
  status: string;
}

function annotate(problem: FileProblem, level: 'error' | 'warning' = 'error'): void {
  const { line, column } = positionAt(problem.file.content, problem.offset);
  (level === 'error' ? error : warning)(problem.message, { file: problem.file.file, startLine: line, startColumn: column, title: problem.title });
}

const formatMs = (ms: number | undefined) => (ms === undefined ? '' : ms < 1000 ? `${ms.toFixed(0)} ms` : `${(ms / 1000).toFixed(2)} s`);

/** Reads the folder; nothing touches the database here. */
function loadFolder(inputs: MigrateInputs, workspace: string): Folder {
  const dir = resolveDir(workspace, inputs.dir);
  const name = inputs.format === 'auto' ? detectFormat(dir) : inputs.format;
  const format = FORMATS[name];
  const { files, skipped } = readFolder(dir, workspace, format);
  for (const f of skipped) warning(`Skipping ${f}: not a ${name} migration file name`, { title: 'Skipped file' });
  info(`${files.length} ${name} migration(s) in ${dir.slice(workspace.length + 1) || dir}, tracked in ${TRACKERS[name].table}.`);
  return { dir, format, tracker: TRACKERS[name], files };
}

/**
 * Parses the files that will run (only those: a long applied history is never re-parsed) and checks their
 * transaction rules; every problem is annotated before the step fails, and before anything runs.
 */
async function parseToRun(files: MigrationFile[]): Promise<Prepared[]> {
  const started = performance.now();
  const { prepared, problems } = await prepare(files);
  debug(`Parsed ${files.length} file(s) in ${formatMs(performance.now() - started)}`);
  if (problems.length > 0) {
    for (const p of problems) annotate(p);
    throw new MigrationProblems(`${problems.length} migration file problem(s) found before anything ran; see the annotations`, problems);
  }
  return prepared;
}

function reportComparison(comparison: Comparison, fail: boolean): void {
  for (const w of comparison.warnings) warning(w.message, { file: w.file?.file, title: 'Allowed by input' });
  if (comparison.problems.length === 0) return;
  for (const p of comparison.problems) (fail ? error : warning)(p.message, { file: p.file?.file, title: 'Migrations do not match the database' });
  if (!fail) return;
  const kinds = new Set(comparison.states.map((s) => s.status));
  const hints = [
    kinds.has('changed') && "Put the applied file back as it was and add a new migration for the change (or set 'allow-changed: true').",
    kinds.has('missing') && 'Restore the missing file (or remove its row from the tracking table if it was really reverted).',
    kinds.has('out-of-order') && "Rename the new file to a version after the newest applied one (or set 'allow-out-of-order: true').",
  ].filter(Boolean);
  throw new ShiplineError(`Nothing was applied: ${comparison.problems.map((p) => p.message).join('; ')}`, { hint: hints.join(' ') });
}

function lint(inputs: MigrateInputs, pending: Prepared[], minimum: 'warning' | 'error'): { rows: string[][]; errors: number } {
  const rows: string[][] = [];
  let errors = 0;
  const overrides = { ...inputs['lint-severity'] };
  for (const rule of inputs['lint-ignore']) overrides[rule] = 'off';
  for (const p of pending) {
    for (const finding of lintStatements(p.statements, { lockTimeoutSet: inputs['migration-lock-timeout'] !== undefined })) {
      const statement = p.statements[finding.statement];
      if (!statement || ignoredRules(statement.leading).has(finding.rule)) continue;
      const severity = severityOf(finding.rule, overrides);
      if (severity === 'off' || (minimum === 'error' && severity !== 'error')) continue;
      if (severity === 'error') errors++;
      const { line, column } = positionAt(p.file.content, statement.offset);
      (severity === 'error' ? error : warning)(`${finding.rule}: ${finding.message}`, { file: p.file.file, startLine: line, startColumn: column, title: `Lint: ${finding.rule}` });
      rows.push([`${p.file.file}:${line}`, finding.rule, severity, finding.message]);
    }
  }
  return { rows, errors };
}

function setStateOutputs(comparison: Comparison, format: FormatSpec, appliedNow: string[] = []): void {
  const versions = comparison.states.filter((s) => s.status === 'applied' || s.status === 'changed' || s.status === 'missing').map((s) => s.version);
  const current = [...versions, ...appliedNow].sort(format.compare).at(-1) ?? '';
  setOutput('pending-count', comparison.pending.length - appliedNow.length);
  setOutput('current-version', current);
}

async function readApplied(db: Db | undefined, folder: Folder) {
  return db ? folder.tracker.read(db, folder.files) : [];
}

function summaryTable(rows: Row[]): string {
  return table(
    ['File', 'Version', 'Statements', 'Duration', 'Status'],
    rows.map((r) => [r.file, r.version, r.statements, formatMs(r.ms), r.status]),
  );
}

function header(title: string, inputs: MigrateInputs, folder: Folder | undefined, extra: [string, unknown][] = [], database?: string): string {
  return [
    `### ${title}`,
    facts([
      ['Database', database ?? (inputs['database-url'] ? describeServer(inputs['database-url']) : 'none (files only)')],
      ['Folder', folder ? `${folder.dir.replace(`${readRunContext().workspace}/`, '')} (${folder.format.name})` : undefined],
      ['Tracking table', folder?.tracker.table],
      ...extra,
    ]),
  ].join('\n\n');
}

/** Applies the pending files in order, a summary row each; the first failure stops the run. */
async function applyPending(db: Db, folder: Folder, pending: Prepared[], inputs: MigrateInputs, rows: Row[]): Promise<void> {
  const applied: { version: string; name: string; file: string; statements: number; durationMs: number }[] = [];
  const settings = sessionSettings(db, { statementTimeoutMs: inputs['statement-timeout'], lockTimeoutMs: inputs['migration-lock-timeout'] });
  try {
    const { roundTrips } = await applyAll(db, folder.tracker, pending, settings, (p, ms) => {
      rows.push({ file: p.file.file, version: p.file.version, statements: p.statements.length, ms, status: `✅ applied${modeLabel(p.plan)}` });
      applied.push({ version: p.file.version, name: p.file.name, file: p.file.file, statements: p.statements.length, durationMs: Math.round(ms) });
      info(`Applied ${p.file.file} (${p.statements.length} statements, ${formatMs(ms)})`);
    });
    if (pending.length > 0) debug(`${pending.length} file(s) applied in ${roundTrips} quer${roundTrips === 1 ? 'y' : 'ies'}`);
  } catch (e) {
    const index = applied.length;
    const failed = pending[index];
    if (failed) {
      const label = failed.plan.mode === 'transaction' ? '❌ failed, rolled back' : `❌ failed${modeLabel(failed.plan)}`;
      rows.push({ file: failed.file.file, version: failed.file.version, statements: failed.statements.length, status: label });
      for (const later of pending.slice(index + 1)) rows.push({ file: later.file.file, version: later.file.version, statements: later.statements.length, status: '⏸ not run' });
    }
    if (e instanceof StatementFailed) {
      const { line, column } = positionAt(e.file.content, e.offset);
      error(e.message, { file: e.file.file, startLine: line, startColumn: column, title: `Migration ${e.file.fileName} failed` });
    }
    throw e;
  } finally {
    setOutput('applied', JSON.stringify(applied));
    setOutput('applied-count', applied.length);
  }
}

/** A line per file that is not one plain transaction, saying what is atomic in it (plan and summary). */
function atomicityNotes(files: Prepared[]): string {
  const notes = files.filter((p) => p.plan.mode !== 'transaction').map((p) => `- \`${p.file.file}\`: ${atomicity(p)}.`);
  return notes.length > 0 ? `\n\n#### How these files run\n\nEvery other file runs in one transaction with its tracking row.\n\n${notes.join('\n')}` : '';
}

async function apply(inputs: MigrateInputs, workspace: string): Promise<void> {
  const url = inputs['database-url'] as string;
  const folder = loadFolder(inputs, workspace);
  const timeoutMs = inputs['connect-timeout'];
  let lockDb: Db | undefined;
  let db: Db | undefined;
  const rows: Row[] = [];
  let comparison: Comparison | undefined;
  let toRun: Prepared[] = [];
  // Both connections at once: each costs several round trips to a database far away.
  const lockConnection = inputs['dry-run'] ? undefined : connect(url, { timeoutMs, label: 'lock' });
  lockConnection?.catch(() => undefined); // a failure is reported where it is awaited, once
  try {
    try {
      db = await connect(url, { timeoutMs, label: 'migrations' });
    } catch (e) {
      await close(await lockConnection?.catch(() => undefined));
      throw e;
    }
    if (inputs['dry-run']) {
      comparison = compareWithDatabase(folder.format, folder.tracker, folder.files, await readApplied(db, folder), allow(inputs));
      reportComparison(comparison, true);
      toRun = checkLint(inputs, await parseToRun(comparison.pending));
      for (const p of toRun) rows.push({ file: p.file.file, version: p.file.version, statements: p.statements.length, status: `would apply${modeLabel(p.plan)}` });
      const names = comparison.pending.map((f) => f.fileName);
      const shown = names.length > 10 ? `${names.slice(0, 10).join(', ')} and ${names.length - 10} more` : names.join(', ') || 'none';
      info(`Dry run: ${names.length} migration(s) would be applied: ${shown}.`);
      setOutput('applied', '[]');
      setOutput('applied-count', 0);
      setStateOutputs(comparison, folder.format);
      return;
    }
    lockDb = await lockConnection;
    await acquireLock(lockDb as Db, inputs['lock-timeout']);
    comparison = compareWithDatabase(folder.format, folder.tracker, folder.files, await readApplied(db, folder), allow(inputs));
    reportComparison(comparison, true);
    const pending = checkLint(inputs, await parseToRun(comparison.pending));
    toRun = pending;
    // Only now, with every check passed, is anything written (the tracking table first).
    if (pending.length > 0) await folder.tracker.ensure(db);
    if (pending.length === 0) info('Database is up to date: nothing to apply.');
    try {
      await applyPending(db, folder, pending, inputs, rows);
    } finally {
      // From what really committed: a failure part-way still reports the files that did apply.
      setStateOutputs(comparison, folder.format, rows.filter((r) => r.status.startsWith('✅')).map((r) => r.version));
    }
  } finally {
    const unlocked = lockDb;
    await Promise.all([(async () => unlocked && (await releaseLock(unlocked)))().then(() => close(unlocked)), close(db)]);
    const title = inputs['dry-run'] ? 'Migrations (dry run)' : 'Migrations';
    appendSummary(`${header(title, inputs, folder, [['Applied', rows.filter((r) => r.status.startsWith('✅')).length], ['Pending before', comparison?.pending.length]])}\n\n${rows.length > 0 ? `${summaryTable(rows)}${atomicityNotes(toRun)}` : 'Nothing to apply: the database is up to date.'}`);
  }
}

/** Lint findings at severity error block apply (the team chose to make them so); returns the files unchanged. */
function checkLint(inputs: MigrateInputs, pending: Prepared[]): Prepared[] {
  const blocking = lint(inputs, pending, 'error');
  if (blocking.errors > 0) throw new ShiplineError(`${blocking.errors} lint finding(s) at severity error; nothing was applied (see the annotations)`);
  return pending;
}

const allow = (inputs: MigrateInputs) => ({ allowChanged: inputs['allow-changed'], allowOutOfOrder: inputs['allow-out-of-order'] });

async function plan(inputs: MigrateInputs, workspace: string): Promise<void> {
  const folder = loadFolder(inputs, workspace);
  let db: Db | undefined;
  let comparison: Comparison;
  try {
    if (inputs['database-url']) db = await connect(inputs['database-url'], { timeoutMs: inputs['connect-timeout'], label: 'plan' });
    comparison = compareWithDatabase(folder.format, folder.tracker, folder.files, await readApplied(db, folder), allow(inputs));
  } finally {
    await close(db);
  }
  reportComparison(comparison, false);
  const pending = await parseToRun(comparison.pending);
  const findings = lint(inputs, pending, 'warning');
  const rows: Row[] = pending.map((p) => ({
    file: p.file.file,
    version: p.file.version,
    statements: p.statements.length,
    status: `will apply${modeLabel(p.plan)}`,
  }));
  for (const p of pending) info(`Would apply ${p.file.file} (${p.statements.length} statements; ${atomicity(p)})`);
  setStateOutputs(comparison, folder.format);
  const parts = [header('Migration plan', inputs, folder, [['Pending', rows.length], ['Lint findings', findings.rows.length]])];
  parts.push(rows.length > 0 ? `${summaryTable(rows)}${atomicityNotes(pending)}` : 'Nothing to apply: the database is up to date.');
  if (findings.rows.length > 0) parts.push(`#### Lint\n\n${table(['Where', 'Rule', 'Severity', 'Finding'], findings.rows)}`);
  if (comparison.problems.length > 0) parts.push(`#### Problems that block apply\n\n${comparison.problems.map((p) => `- ${p.message}`).join('\n')}`);
  appendSummary(parts.join('\n\n'));
  if (findings.errors > 0) throw new ShiplineError(`${findings.errors} lint finding(s) at severity error (see the annotations)`, { hint: "Fix them, silence one with '-- shipline-ignore <rule>' above the statement, or change input 'lint-severity'." });
  if (comparison.problems.length > 0) throw new ShiplineError(`apply would refuse to run: ${comparison.problems.map((p) => p.message).join('; ')}`);
}

const STATUS_LABEL: Record<string, string> = { applied: '✅ applied', pending: '⏳ pending', changed: '⚠️ changed since applied', missing: '❌ applied, file missing', 'out-of-order': '⚠️ pending, out of order' };

async function status(inputs: MigrateInputs, workspace: string): Promise<void> {
  const folder = loadFolder(inputs, workspace);
  const db = await connect(inputs['database-url'] as string, { timeoutMs: inputs['connect-timeout'], label: 'status' });
  let comparison: Comparison;
  try {
    comparison = compareWithDatabase(folder.format, folder.tracker, folder.files, await readApplied(db, folder), allow(inputs));
  } finally {
    await close(db);
  }
  reportComparison(comparison, false);
  const counts = new Map<string, number>();
  for (const s of comparison.states) counts.set(s.status, (counts.get(s.status) ?? 0) + 1);
  info([...counts].map(([k, v]) => `${v} ${k}`).join(', ') || 'No migrations.');
  setStateOutputs(comparison, folder.format);
  const rows = comparison.states.map((s) => [s.file?.file ?? '(no file)', s.version, STATUS_LABEL[s.status]]);
  // The job summary holds 1 MiB: a long history is summarised, every file that needs attention is still listed.
  const shown = rows.length > 500 ? rows.filter((_, i) => comparison.states[i]?.status !== 'applied') : rows;
  const note = shown.length < rows.length ? `\n\n${rows.length - shown.length} applied migrations not listed.` : '';
  appendSummary(`${header('Migration status', inputs, folder, [...counts])}\n\n${table(['File', 'Version', 'Status'], shown)}${note}`);
}

async function verify(inputs: MigrateInputs, workspace: string): Promise<void> {
  const folder = loadFolder(inputs, workspace);
  const all = await parseToRun(folder.files);
  if (inputs['database-url']) return replay(inputs, folder, all, inputs['database-url']);
  info('No database-url: starting an embedded PostgreSQL for the replay…');
  const { startEmbedded } = await import('./embedded.js');
  const server = await startEmbedded(workspace);
  try {
    await replay(inputs, folder, all, server.url);
  } finally {
    await server.stop();
  }
}

/** Replays every file on a new database of the server at `url`, then drops it. */
async function replay(inputs: MigrateInputs, folder: Folder, all: Prepared[], url: string): Promise<void> {
  const name = `shipline_verify_${process.pid}_${Date.now().toString(36)}`;
  const admin = await connect(url, { timeoutMs: inputs['connect-timeout'], label: 'verify' });
  const rows: Row[] = [];
  let outcome = '';
  try {
    try {
      await admin.query(`CREATE DATABASE ${name}`);
    } catch (e) {
      throw new ShiplineError(`verify needs to create a throw-away database on ${describeServer(url)}: ${(e as Error).message}`, {
        hint: 'Use a user with CREATEDB (a CI service container or a local server), not production.',
      });
    }
    info(`Replaying ${all.length} migration(s) on the throw-away database ${name}…`);
    const db = await connect(url, { timeoutMs: inputs['connect-timeout'], label: 'verify', database: name });
    try {
      await folder.tracker.ensure(db);
      await applyPending(db, folder, all, inputs, rows);
      outcome = `✅ all ${all.length} migration(s) apply cleanly from scratch`;
      info(outcome);
    } catch (e) {
      outcome = `❌ ${(e as Error).message}`;
      throw e;
    } finally {
      await close(db);
    }
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch((e) => warning(`Could not drop the throw-away database ${name}: ${(e as Error).message}`));
    await close(admin);
    const server = inputs['database-url'] ? undefined : 'embedded PostgreSQL, started for this replay';
    appendSummary(`${header('Migration verify (throw-away database)', inputs, folder, [['Result', outcome]], server)}\n\n${summaryTable(rows)}`);
  }
}

/** Runs the team's own migration command while holding the migration lock. */
async function exec(inputs: MigrateInputs, workspace: string): Promise<void> {
  const url = inputs['database-url'] as string;
  const lockDb = await connect(url, { timeoutMs: inputs['connect-timeout'], label: 'lock for exec' });
  const started = performance.now();
  let exitCode: number | null = null;
  try {
    await acquireLock(lockDb, inputs['lock-timeout']);
    exitCode = await group(`$ ${inputs.exec}`, () => runShell(inputs.exec, workspace, url));
  } finally {
    const ms = performance.now() - started;
    await releaseLock(lockDb);
    await close(lockDb);
    setOutput('exit-code', exitCode ?? '');
    appendSummary(
      `${header('Migrations (exec)', inputs, undefined, [
        ['Command', `\`${inputs.exec}\``],
        ['Exit code', exitCode],
        ['Duration', formatMs(ms)],
      ])}`,
    );
  }
  if (exitCode !== 0) throw new ShiplineError(`'${inputs.exec}' exited with code ${exitCode} (the lock was held throughout and is released)`);
  info(`'${inputs.exec}' finished under the migration lock.`);
}

function runShell(command: string, cwd: string, url: string): Promise<number | null> {
  return new Promise((resolve, reject) => {
    // DATABASE_URL is what Alembic's env.py, dbmate, Prisma and most tools read.
    const child = spawn(command, { shell: true, cwd, env: { ...process.env, DATABASE_URL: url }, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (chunk: Buffer) => process.stdout.write(chunk));
    child.stderr.on('data', (chunk: Buffer) => process.stdout.write(chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve(code ?? (signal ? 128 : null)));
  });
}

export async function run(inputs: MigrateInputs): Promise<void> {
  const workspace = readRunContext().workspace;
  if (inputs.exec) return exec(inputs, workspace);
  switch (inputs.command) {
    case 'plan':
      return plan(inputs, workspace);
    case 'status':
      return status(inputs, workspace);
    case 'verify':
      return verify(inputs, workspace);
    default:
      return apply(inputs, workspace);
  }
}
