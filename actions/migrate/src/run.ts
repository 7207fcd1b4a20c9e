// migrate: apply, plan, verify or status for a folder of SQL migrations, or run the team's own migration tool
// (`exec`) under the same lock. Problems are annotations at file:line:column; the summary has one row per file.
import { ShiplineError } from '../../../shared/errors.js';
import { debug, error, group, info, setOutput, warning } from '../../../shared/runner.js';
import { appendSummary, facts, table } from '../../../shared/summary.js';
import { workspaceOf } from '../../../shared/workspace.js';
import { close, connect, type Db, describeServer, hangUp } from './db.js';
import { Deadline } from './deadline.js';
import { detectFormat, FORMATS, type FormatSpec, type MigrationFile, readFolder, resolveDir } from './formats.js';
import type { MigrateInputs } from './inputs.js';
import { alteredColumns, type ColumnType, ignoredRules, lintFile, parseFormattedType, severityOf } from './lint.js';
import { acquireLock, lockAndRead, releaseLock, releaseLockAndHangUp } from './lock.js';
import { applyAll, atomicity, type Comparison, compareWithDatabase, FateUnknown, fateUnknown, type FileProblem, lostAfterCommit, MigrationProblems, modeLabel, parseAhead, type Prepared, prepare, sessionSettings, StatementFailed, TrackingSetupFailed } from './migrator.js';
import { positionAt } from './sql.js';
import { type ForeignRow, type History, type Tracker, trackerFor } from './tracking.js';

interface Folder {
  dir: string;
  format: FormatSpec;
  tracker: Tracker;
  files: MigrationFile[];
}

interface AppliedEntry {
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
interface Outcome {
  applied: AppliedEntry[];
  comparison?: Comparison;
  foreign: ForeignRow[];
}

function writeOutputs(outcome: Outcome, format: FormatSpec | undefined): void {
  setOutput('applied', JSON.stringify(outcome.applied));
  setOutput('applied-count', outcome.applied.length);
  const comparison = outcome.comparison;
  if (!comparison || !format) {
    setOutput('pending-count', '');
    setOutput('current-version', '');
    return;
  }
  const appliedNow = outcome.applied.map((a) => a.version);
  const versions = comparison.states.filter((s) => s.status === 'applied' || s.status === 'changed' || s.status === 'missing').map((s) => s.version);
  const foreign = outcome.foreign.filter((f) => f.ordered && f.version !== undefined).map((f) => f.version as string);
  setOutput('pending-count', comparison.pending.length - appliedNow.length);
  setOutput('current-version', [...versions, ...foreign, ...appliedNow].sort(format.compare).at(-1) ?? '');
}

/** The deadline of the running step: every connection is registered with it. */
let deadline: Deadline | undefined;

async function open(url: string, options: Parameters<typeof connect>[1]): Promise<Db> {
  const db = await connect(url, options);
  return deadline ? deadline.track(db) : db;
}

function doing(what: string): void {
  if (deadline) deadline.doing = what;
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
  const tracker = trackerFor(name);
  info(`${files.length} ${name} migration(s) in ${dir.slice(workspace.length + 1) || dir}, tracked in ${tracker.table}.`);
  return { dir, format, tracker, files };
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
    kinds.has('missing') &&
      'Restore the missing file. Remove its row from the tracking table only if that migration was really reverted in the database (a file that still exists under another version would then run again).',
    kinds.has('out-of-order') && "Rename the new file to a version after the newest applied one (or set 'allow-out-of-order: true').",
  ].filter(Boolean);
  throw new ShiplineError(`Nothing was applied: ${comparison.problems.map((p) => p.message).join('; ')}`, { hint: hints.join(' ') });
}

/**
 * The current types of the columns the pending files change, so lint can tell a varchar widened in place from a
 * rewrite. Without a database, lint learns types from the earlier files it reads.
 */
async function currentColumnTypes(db: Db | undefined, pending: Prepared[]): Promise<Map<string, ColumnType>> {
  const columns = new Map<string, ColumnType>();
  if (!db) return columns;
  for (const { table, column } of pending.flatMap((p) => alteredColumns(p.statements))) {
    const key = `${table}.${column}`;
    if (columns.has(key)) continue;
    const { rows } = await db
      .query('SELECT format_type(a.atttypid, a.atttypmod) AS type FROM pg_attribute a WHERE a.attrelid = to_regclass($1) AND a.attname = $2 AND NOT a.attisdropped', [table, column])
      .catch(() => ({ rows: [] as { type: string }[] }));
    if (rows[0]) columns.set(key, parseFormattedType(String(rows[0].type)));
  }
  return columns;
}

async function lint(inputs: MigrateInputs, pending: Prepared[], minimum: 'warning' | 'error', columns = new Map<string, ColumnType>()): Promise<{ rows: string[][]; errors: number }> {
  const rows: string[][] = [];
  let errors = 0;
  const overrides = { ...inputs['lint-severity'] };
  for (const rule of inputs['lint-ignore']) overrides[rule] = 'off';
  // What one file teaches lint about the next (column types, CHECK (col IS NOT NULL) constraints).
  const memory = { columns, notNullChecks: new Map() };
  for (const p of pending) {
    for (const finding of await lintFile(p.statements, { lockTimeoutSet: inputs['migration-lock-timeout'] !== undefined, memory, transactional: p.transactional })) {
      const statement = p.statements[finding.statement];
      if (!statement || ignoredRules(statement.leading).has(finding.rule)) continue;
      const severity = severityOf(finding.rule, overrides);
      if (severity === 'off' || (minimum === 'error' && severity !== 'error')) continue;
      if (severity === 'error') errors++;
      const { line, column } = positionAt(p.file.content, finding.offset ?? statement.offset);
      (severity === 'error' ? error : warning)(`${finding.rule}: ${finding.message}`, { file: p.file.file, startLine: line, startColumn: column, title: `Lint: ${finding.rule}` });
      rows.push([`${p.file.file}:${line}`, finding.rule, severity, finding.message]);
    }
  }
  return { rows, errors };
}

async function readHistory(db: Db | undefined, folder: Folder): Promise<History> {
  return db ? folder.tracker.read(db, folder.files, folder.dir) : { rows: [], foreign: [], present: false };
}

/**
 * Compares the folder with the tracking table. Rows the tool itself wrote for migrations that are not SQL files
 * here are reported, not drift; a pending file older than one the tool orders among the files is out of order.
 */
function compare(inputs: MigrateInputs, folder: Folder, history: History, outcome: Outcome): Comparison {
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
    if (state.status !== 'pending' || !state.file || folder.format.compare(state.file.version, newestForeign) >= 0) continue;
    state.status = 'out-of-order';
    const message = `${state.file.file} is not applied but is older than version ${newestForeign}, recorded in ${folder.tracker.table} by the tool itself`;
    (inputs['allow-out-of-order'] ? comparison.warnings : comparison.problems).push({ message, file: state.file });
  }
  return comparison;
}

function foreignSection(foreign: ForeignRow[]): string {
  if (foreign.length === 0) return '';
  const rows = foreign.slice(0, 100).map((f) => [f.version ?? '–', f.description]);
  const more = foreign.length > rows.length ? `\n\n${foreign.length - rows.length} more not listed.` : '';
  return `\n\n#### Recorded by the tool itself, not SQL files of this folder (left as they are)\n\n${table(['Version', 'Migration'], rows)}${more}`;
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
      ['Folder', folder ? `${folder.dir.replace(`${workspaceOf()}/`, '')} (${folder.format.name})` : undefined],
      ['Tracking table', folder?.tracker.table],
      ...extra,
    ]),
  ].join('\n\n');
}

/** Applies the pending files in order, a summary row each; the first failure stops the run. */
async function applyPending(db: Db, folder: Folder, pending: Prepared[], inputs: MigrateInputs, rows: Row[], applied: AppliedEntry[], trackingPresent: boolean): Promise<void> {
  const settings = sessionSettings(db, { statementTimeoutMs: inputs['statement-timeout'], lockTimeoutMs: inputs['migration-lock-timeout'] });
  // Files go to the server in batches: what runs is known when a batch answers; the deadline's message names the
  // first file not yet confirmed.
  if (pending[0]) doing(`applying ${pending[0].file.file}`);
  // Files whose COMMIT is on its way (sent, not answered): if the connection goes now, their fate is unknown.
  let unanswered: Prepared[] = [];
  try {
    const { roundTrips } = await applyAll(db, folder.tracker, pending, settings, (p, ms) => {
      rows.push({ file: p.file.file, version: p.file.version, statements: p.statements.length, ms, status: `✅ applied${modeLabel(p.plan)}` });
      applied.push({ version: p.file.version, name: p.file.name, file: p.file.file, statements: p.statements.length, durationMs: Math.round(ms) });
      info(`Applied ${p.file.file} (${p.statements.length} statements, ${formatMs(ms)})`);
      const next = pending[applied.length];
      if (next) doing(`applying ${next.file.file}`);
      unanswered = unanswered.filter((u) => u !== p);
      if (deadline) deadline.unanswered = unanswered.length > 0 ? fateUnknown(unanswered, folder.tracker.table) : undefined;
    }, folder.tracker.setup(trackingPresent), undefined, (files) => {
      unanswered = files;
      if (deadline) deadline.unanswered = files.length > 0 ? fateUnknown(files, folder.tracker.table) : undefined;
    });
    if (pending.length > 0) debug(`${pending.length} file(s) applied in ${roundTrips} quer${roundTrips === 1 ? 'y' : 'ies'}`);
  } catch (e) {
    const index = applied.length;
    const failed = e instanceof TrackingSetupFailed ? undefined : pending[index];
    if (e instanceof TrackingSetupFailed) for (const p of pending) rows.push({ file: p.file.file, version: p.file.version, statements: p.statements.length, status: '⏸ not run' });
    if (failed && e instanceof FateUnknown) {
      const fate = deadline?.hasPassed ? undefined : await settleFate(inputs['database-url'] as string, db, folder, e.files, inputs['connect-timeout']);
      for (const p of e.files) {
        const committed = fate?.get(p);
        const status = committed === undefined ? `❓ fate unknown: check ${folder.tracker.table}` : committed ? '✅ applied (its answer was lost; read back after reconnecting)' : '❌ not applied (rolled back when the connection went)';
        rows.push({ file: p.file.file, version: p.file.version, statements: p.statements.length, status });
        if (committed) applied.push({ version: p.file.version, name: p.file.name, file: p.file.file, statements: p.statements.length, durationMs: 0 });
      }
      for (const later of pending.slice(index + e.files.length)) rows.push({ file: later.file.file, version: later.file.version, statements: later.statements.length, status: '⏸ not run' });
      if (fate) {
        const said = e.files.map((p) => `${p.file.file} ${fate.get(p) ? 'was committed' : 'was not committed'}`).join('; ');
        throw new ShiplineError(`${lostAfterCommit(e.files, e.reason)}; reconnected and read ${folder.tracker.table}: ${said}`, { hint: e.hint, cause: e });
      }
    } else if (failed) {
      const label = failed.plan.mode === 'transaction' ? '❌ failed, rolled back' : `❌ failed${modeLabel(failed.plan)}`;
      rows.push({ file: failed.file.file, version: failed.file.version, statements: failed.statements.length, status: label });
      for (const later of pending.slice(index + 1)) rows.push({ file: later.file.file, version: later.file.version, statements: later.statements.length, status: '⏸ not run' });
    }
    if (e instanceof StatementFailed) {
      const { line, column } = positionAt(e.file.content, e.offset);
      error(e.message, { file: e.file.file, startLine: line, startColumn: column, title: `Migration ${e.file.fileName} failed` });
    }
    throw e;
  }
}

/**
 * What became of files whose COMMIT went out on a connection that was then lost: one new connection (within the
 * step's bound) ends the old session if the server still runs it (its transaction then commits or rolls back for
 * good), waits until it is gone, and reads the tracking table. undefined when that could not be done: the fate
 * stays unknown and the message says where to look.
 */
async function settleFate(url: string, lost: Db, folder: Folder, files: Prepared[], timeoutMs: number): Promise<Map<Prepared, boolean> | undefined> {
  let check: Db | undefined;
  try {
    doing(`reconnecting to learn whether ${files.map((p) => p.file.file).join(', ')} committed`);
    check = await open(url, { timeoutMs, label: 'fate' });
    const pid = (lost as unknown as { processID?: number }).processID;
    if (pid) {
      await check.query('SELECT pg_terminate_backend($1)', [pid]).catch(() => undefined);
      // The old session is gone once its backend has exited: its transaction then has its final outcome.
      for (let alive = true; alive; ) {
        const { rows } = await check.query<{ alive: boolean }>('SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE pid = $1) AS alive', [pid]);
        alive = rows[0]?.alive === true;
        if (alive) await new Promise((r) => setTimeout(r, 50));
      }
    }
    const history = await readHistory(check, folder);
    const recorded = new Set(history.rows.map((r) => r.version));
    return new Map(files.map((p) => [p, recorded.has(p.file.version)]));
  } catch (error) {
    debug(`Could not read back the fate of ${files.map((p) => p.file.file).join(', ')}: ${(error as Error)?.message ?? String(error)}`);
    return undefined;
  } finally {
    hangUp(check);
  }
}

/** A line per file that is not one plain transaction, saying what is atomic in it (plan and summary). */
function atomicityNotes(files: Prepared[]): string {
  const notes = files.filter((p) => p.plan.mode !== 'transaction').map((p) => `- \`${p.file.file}\`: ${atomicity(p)}.`);
  return notes.length > 0 ? `\n\n#### How these files run\n\nEvery other file runs in one transaction with its tracking row.\n\n${notes.join('\n')}` : '';
}

async function apply(inputs: MigrateInputs, workspace: string): Promise<void> {
  const url = inputs['database-url'] as string;
  const timeoutMs = inputs['connect-timeout'];
  const outcome: Outcome = { applied: [], foreign: [] };
  let folder: Folder | undefined;
  let lockDb: Db | undefined;
  let db: Db | undefined;
  const rows: Row[] = [];
  let failure: unknown;
  let toRun: Prepared[] = [];
  // Both connections at once: each costs several round trips to a database far away.
  const lockConnection = inputs['dry-run'] ? undefined : open(url, { timeoutMs, label: 'lock' });
  lockConnection?.catch(() => undefined); // a failure is reported where it is awaited, once
  let ahead: { stop(): void } | undefined;
  // The migrations connection starts before the folder is read: its start-up round trips overlap the reading.
  const connection = open(url, { timeoutMs, label: 'migrations' });
  connection.catch(() => undefined); // reported where it is awaited, below
  try {
    folder = loadFolder(inputs, workspace);
    doing('connecting');
    // The parse happens while the connections, the lock and the tracking table are waited for (a database far
    // away costs several round trips before the pending files are known); started once both connections are.
    ahead = parseAhead(folder.files);
    db = await connection;
    if (inputs['dry-run']) {
      doing('reading the tracking table');
      const comparison = compare(inputs, folder, await readHistory(db, folder), outcome);
      ahead.stop();
      reportComparison(comparison, true);
      toRun = await parseToRun(comparison.pending);
      for (const p of await checkLint(inputs, toRun, await currentColumnTypes(db, toRun))) rows.push({ file: p.file.file, version: p.file.version, statements: p.statements.length, status: `would apply${modeLabel(p.plan)}` });
      const names = comparison.pending.map((f) => f.fileName);
      const shown = names.length > 10 ? `${names.slice(0, 10).join(', ')} and ${names.length - 10} more` : names.join(', ') || 'none';
      info(`Dry run: ${names.length} migration(s) would be applied: ${shown}.`);
      return;
    }
    lockDb = await lockConnection;
    doing('waiting for the migration lock');
    // The lock and the tracking table in one round trip (on the lock's connection) when the lock is free.
    const history = await lockAndRead(lockDb as Db, inputs['lock-timeout'], (locked) => readHistory(locked, (folder as Folder)));
    const comparison = compare(inputs, folder, history, outcome);
    ahead.stop();
    reportComparison(comparison, true);
    const parsed = await parseToRun(comparison.pending);
    const pending = await checkLint(inputs, parsed, await currentColumnTypes(db, parsed));
    toRun = pending;
    if (pending.length === 0) info('Database is up to date: nothing to apply.');
    // Only now, with every check passed, is anything written: the tracking table, where missing, in the same query
    // as the first file. The outcome's applied list grows as files commit: a failure part-way still reports the
    // files that did apply.
    await applyPending(db, folder, pending, inputs, rows, outcome.applied, history.present);
  } catch (error) {
    failure = error;
    throw error;
  } finally {
    ahead?.stop();
    const unlocked = lockDb;
    // A lock connection opened in parallel but never used (a refusal or failure came first) is closed too.
    const unused = lockDb ? undefined : await lockConnection?.catch(() => undefined);
    // Neither connection's goodbye is waited for (hangUp): everything this run needed from the server has arrived.
    hangUp(unused);
    if (!db) hangUp(await connection.catch(() => undefined)); // the folder was refused before it was awaited
    if (unlocked) releaseLockAndHangUp(unlocked);
    hangUp(db);
    writeOutputs(outcome, folder?.format);
    const title = inputs['dry-run'] ? 'Migrations (dry run)' : 'Migrations';
    const result = failure === undefined ? undefined : failed(failure, outcome.applied.length);
    const body = rows.length > 0 ? `${summaryTable(rows)}${atomicityNotes(toRun)}` : failure === undefined ? 'Nothing to apply: the database is up to date.' : '';
    appendSummary(
      `${header(title, inputs, folder, [['Result', result], ['Applied', outcome.applied.length], ['Pending before', outcome.comparison?.pending.length]])}${body ? `\n\n${body}` : ''}${foreignSection(outcome.foreign)}`,
    );
  }
}

/** The summary's line for a failed run: what stopped it, and what was applied before (never "up to date"). */
function failed(error: unknown, appliedCount: number): string {
  const reason = deadline?.hasPassed ? deadline.error().message : error instanceof Error ? error.message : String(error);
  return `❌ ${reason.split('\n')[0]} — ${appliedCount === 0 ? 'nothing was applied' : `${appliedCount} migration(s) applied before the failure`}`;
}

/** Lint findings at severity error block apply (the team chose to make them so); returns the files unchanged. */
async function checkLint(inputs: MigrateInputs, pending: Prepared[], columns: Map<string, ColumnType>): Promise<Prepared[]> {
  const blocking = await lint(inputs, pending, 'error', columns);
  if (blocking.errors > 0) throw new ShiplineError(`${blocking.errors} lint finding(s) at severity error; nothing was applied (see the annotations)`);
  return pending;
}

const allow = (inputs: MigrateInputs) => ({ allowChanged: inputs['allow-changed'], allowOutOfOrder: inputs['allow-out-of-order'] });

async function plan(inputs: MigrateInputs, workspace: string): Promise<void> {
  const outcome: Outcome = { applied: [], foreign: [] };
  let folder: Folder | undefined;
  try {
    folder = loadFolder(inputs, workspace);
    await planFolder(inputs, folder, outcome);
  } finally {
    writeOutputs(outcome, folder?.format);
  }
}

async function planFolder(inputs: MigrateInputs, folder: Folder, outcome: Outcome): Promise<void> {
  let db: Db | undefined;
  let comparison: Comparison;
  let pending: Prepared[];
  let columns: Map<string, ColumnType>;
  try {
    if (inputs['database-url']) db = await open(inputs['database-url'], { timeoutMs: inputs['connect-timeout'], label: 'plan' });
    comparison = compare(inputs, folder, await readHistory(db, folder), outcome);
    reportComparison(comparison, false);
    pending = await parseToRun(comparison.pending);
    columns = await currentColumnTypes(db, pending);
  } finally {
    await close(db);
  }
  const findings = await lint(inputs, pending, 'warning', columns);
  const rows: Row[] = pending.map((p) => ({
    file: p.file.file,
    version: p.file.version,
    statements: p.statements.length,
    status: `will apply${modeLabel(p.plan)}`,
  }));
  for (const p of pending) info(`Would apply ${p.file.file} (${p.statements.length} statements; ${atomicity(p)})`);
  const parts = [header('Migration plan', inputs, folder, [['Pending', rows.length], ['Lint findings', findings.rows.length]])];
  parts.push(rows.length > 0 ? `${summaryTable(rows)}${atomicityNotes(pending)}` : comparison.problems.length > 0 ? 'Nothing would be applied: apply would refuse to run (below).' : 'Nothing to apply: the database is up to date.');
  if (outcome.foreign.length > 0) parts.push(foreignSection(outcome.foreign).trim());
  if (findings.rows.length > 0) parts.push(`#### Lint\n\n${table(['Where', 'Rule', 'Severity', 'Finding'], findings.rows)}`);
  if (comparison.problems.length > 0) parts.push(`#### Problems that block apply\n\n${comparison.problems.map((p) => `- ${p.message}`).join('\n')}`);
  appendSummary(parts.join('\n\n'));
  if (findings.errors > 0) throw new ShiplineError(`${findings.errors} lint finding(s) at severity error (see the annotations)`, { hint: "Fix them, silence one with '-- shipline-ignore <rule>' above the statement, or change input 'lint-severity'." });
  if (comparison.problems.length > 0) throw new ShiplineError(`apply would refuse to run: ${comparison.problems.map((p) => p.message).join('; ')}`);
}

const STATUS_LABEL: Record<string, string> = { applied: '✅ applied', pending: '⏳ pending', changed: '⚠️ changed since applied', missing: '❌ applied, file missing', 'out-of-order': '⚠️ pending, out of order' };

async function status(inputs: MigrateInputs, workspace: string): Promise<void> {
  const outcome: Outcome = { applied: [], foreign: [] };
  let folder: Folder | undefined;
  try {
    folder = loadFolder(inputs, workspace);
    await statusOf(inputs, folder, outcome);
  } finally {
    writeOutputs(outcome, folder?.format);
  }
}

async function statusOf(inputs: MigrateInputs, folder: Folder, outcome: Outcome): Promise<void> {
  const db = await open(inputs['database-url'] as string, { timeoutMs: inputs['connect-timeout'], label: 'status' });
  let comparison: Comparison;
  try {
    comparison = compare(inputs, folder, await readHistory(db, folder), outcome);
  } finally {
    await close(db);
  }
  reportComparison(comparison, false);
  const counts = new Map<string, number>();
  for (const s of comparison.states) counts.set(s.status, (counts.get(s.status) ?? 0) + 1);
  info([...counts].map(([k, v]) => `${v} ${k}`).join(', ') || 'No migrations.');
  const rows = comparison.states.map((s) => [s.file?.file ?? '(no file)', s.version, STATUS_LABEL[s.status]]);
  // The job summary holds 1 MiB: a long history is summarised, every file that needs attention is still listed.
  const shown = rows.length > 500 ? rows.filter((_, i) => comparison.states[i]?.status !== 'applied') : rows;
  const note = shown.length < rows.length ? `\n\n${rows.length - shown.length} applied migrations not listed.` : '';
  appendSummary(`${header('Migration status', inputs, folder, [...counts])}\n\n${table(['File', 'Version', 'Status'], shown)}${note}${foreignSection(outcome.foreign)}`);
}

async function verify(inputs: MigrateInputs, workspace: string): Promise<void> {
  const outcome: Outcome = { applied: [], foreign: [] };
  let folder: Folder | undefined;
  try {
    folder = loadFolder(inputs, workspace);
    const all = await parseToRun(folder.files);
    if (inputs['database-url']) return await replay(inputs, folder, all, inputs['database-url'], outcome);
    info('No database-url: starting an embedded PostgreSQL for the replay…');
    const { startEmbedded } = await import('./embedded.js');
    const server = await startEmbedded(workspace);
    try {
      await replay(inputs, folder, all, server.url, outcome);
    } finally {
      await server.stop();
    }
  } finally {
    // verify applies nothing to the target: its outputs say so (the replayed files are in the summary).
    writeOutputs({ applied: [], foreign: [] }, undefined);
  }
}

/** Which platform stand-ins verify creates: input 'stand-ins', where auto means supabase for the supabase format. */
function standInsFor(inputs: MigrateInputs, folder: Folder): 'supabase' | undefined {
  const choice = inputs['stand-ins'];
  if (choice === 'none') return undefined;
  return choice === 'supabase' || folder.format.name === 'supabase' ? 'supabase' : undefined;
}

/** Replays every file on a new database of the server at `url`, then drops it. */
async function replay(inputs: MigrateInputs, folder: Folder, all: Prepared[], url: string, outcome: Outcome): Promise<void> {
  const name = `shipline_verify_${process.pid}_${Date.now().toString(36)}`;
  const admin = await open(url, { timeoutMs: inputs['connect-timeout'], label: 'verify' });
  const rows: Row[] = [];
  const standIns = standInsFor(inputs, folder);
  let result = '';
  let created: string[] = [];
  try {
    try {
      await admin.query(`CREATE DATABASE ${name}`);
    } catch (e) {
      throw new ShiplineError(`verify needs to create a throw-away database on ${describeServer(url)}: ${(e as Error).message}`, {
        hint: 'Use a user with CREATEDB (a CI service container or a local server), not production.',
      });
    }
    const platform = standIns ? await import('./standins.js') : undefined;
    // Before the replay connects: ALTER DATABASE settings apply to new sessions only.
    if (platform) await admin.query(platform.supabaseDatabaseSettings(name));
    const db = await open(url, { timeoutMs: inputs['connect-timeout'], label: 'verify', database: name });
    try {
      if (platform) {
        doing('creating the Supabase stand-ins');
        const report = await platform.createSupabaseStandIns(db, all);
        created = report.created;
        info(`Supabase stand-ins created first: ${created.join('; ')}.`);
        for (const m of report.missing) {
          const { line, column } = positionAt(m.file.content, m.offset);
          error(`This server has no extension "${m.name}" (the Supabase platform provides it): ${m.file.file} cannot be replayed here`, {
            file: m.file.file,
            startLine: line,
            startColumn: column,
            title: 'Extension not available for verify',
          });
        }
        if (report.missing.length > 0) warning(`verify's server lacks extension(s) ${report.missing.map((m) => m.name).join(', ')} that the folder creates; the replay stops at the first file that needs one.`);
      }
      // A database created just now: no tracking table yet.
      await applyPending(db, folder, all, inputs, rows, outcome.applied, false);
      result = `✅ all ${all.length} migration(s) apply cleanly from scratch`;
      info(result);
    } catch (e) {
      result = failed(e, outcome.applied.length).replace(/ — .*$/, '');
      throw e;
    } finally {
      await close(db);
    }
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch((e) => warning(`Could not drop the throw-away database ${name}: ${(e as Error).message}`));
    await close(admin);
    const server = inputs['database-url'] ? undefined : 'embedded PostgreSQL, started for this replay';
    const facts: [string, unknown][] = [['Result', result], ['Platform stand-ins', created.length > 0 ? `Supabase: ${created.join('; ')}` : undefined]];
    appendSummary(`${header('Migration verify (throw-away database)', inputs, folder, facts, server)}${rows.length > 0 ? `\n\n${summaryTable(rows)}` : ''}`);
  }
}

/** Runs the team's own migration command while holding the migration lock. */
async function exec(inputs: MigrateInputs, workspace: string): Promise<void> {
  const url = inputs['database-url'] as string;
  const lockDb = await open(url, { timeoutMs: inputs['connect-timeout'], label: 'lock for exec' });
  const started = performance.now();
  let exitCode: number | null = null;
  try {
    doing('waiting for the migration lock');
    await acquireLock(lockDb, inputs['lock-timeout']);
    doing(`running '${inputs.exec}'`);
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

/**
 * Runs the team's command in a shell through @actions/exec, each output line through info() (forLog): it is
 * outside text like any other, so it cannot issue workflow commands or show a registered secret.
 * @actions/exec gives no handle on the child, yet when input 'timeout' passes the command must be stopped, not
 * left migrating after the step failed. So exec runs a small node wrapper (this same runtime) that starts the command
 * in a shell as its own process group (`detached`) and writes the group's id to a file: the deadline signals the
 * whole group, the command and everything it started. (A shell's `set -m` makes no group when not interactive.)
 */
const EXEC_WRAPPER = [
  "const { spawn } = require('node:child_process');",
  "const child = spawn(process.env.SHIPLINE_EXEC_COMMAND, { shell: true, stdio: 'inherit', detached: true });",
  "require('node:fs').writeFileSync(process.env.SHIPLINE_EXEC_PID_FILE, String(child.pid));",
  "child.on('error', (e) => { console.error(e.message); process.exit(127); });",
  "child.on('exit', (code, signal) => process.exit(code ?? 128 + (require('node:os').constants.signals[signal] ?? 0)));",
].join('\n');

async function runShell(command: string, cwd: string, url: string): Promise<number | null> {
  const { exec } = await import('@actions/exec');
  const { mkdtempSync, readFileSync, rmSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { tmpdir } = await import('node:os');
  const scratch = mkdtempSync(join(process.env.RUNNER_TEMP || tmpdir(), 'shipline-exec-'));
  const pidFile = join(scratch, 'pid');
  const stop = () => {
    try {
      process.kill(-Number(readFileSync(pidFile, 'utf8')), 'SIGTERM');
    } catch {
      // Not started yet or already gone: nothing left to stop.
    }
  };
  // When input 'timeout' passes, the command goes too: nothing may keep running after the step has failed.
  deadline?.onExpire(stop);
  try {
    const env = Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined));
    return await exec(process.execPath, ['-e', EXEC_WRAPPER], {
      cwd,
      // DATABASE_URL is what Alembic's env.py, dbmate, Prisma and most tools read.
      env: { ...env, DATABASE_URL: url, SHIPLINE_EXEC_COMMAND: command, SHIPLINE_EXEC_PID_FILE: pidFile },
      silent: true,
      ignoreReturnCode: true,
      listeners: { stdline: (line) => info(line), errline: (line) => info(line) },
    });
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

export async function run(inputs: MigrateInputs): Promise<void> {
  const workspace = workspaceOf();
  deadline = new Deadline(inputs.timeout);
  await deadline.run(() => command(inputs, workspace));
}

function command(inputs: MigrateInputs, workspace: string): Promise<void> {
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
