// apply: takes the migration lock, checks the folder against the tracking table, and applies the pending files
// (or, with dry-run, says which it would apply).
import { ShiplineError } from '../../../../shared/errors.js';
import { debug, error, info, infoLines } from '../../../../shared/runner.js';
import { appendSummary, MARK } from '../../../../shared/summary.js';
import { type Db, hangUp } from '../db.js';
import { acquireLock, lockAndRead, releaseLockAndHangUp, toolLockFor } from '../lock.js';
import {
  applyAll,
  FateUnknown,
  fateUnknown,
  lostAfterCommit,
  modeLabel,
  parseAhead,
  type Prepared,
  sessionSettings,
  StatementFailed,
  TrackingSetupFailed,
} from '../migrator.js';
import { positionAt } from '../sql.js';
import { doing, open, type RunContext } from './context.js';
import { compare, type Folder, loadFolder, parseToRun, readHistory, reportComparison } from './folder.js';
import { checkLint, currentColumnTypes } from './lint-findings.js';
import {
  type AppliedEntry,
  atomicityNotes,
  failed,
  foreignSection,
  formatMs,
  header,
  type Outcome,
  rollbackSafety,
  type Row,
  summaryTable,
  writeOutputs,
} from './report.js';

export async function apply(context: RunContext): Promise<void> {
  const { inputs, workspace } = context;
  const url = inputs['database-url'] as string;
  const timeoutMs = inputs['connect-timeout'];
  const outcome: Outcome = { applied: [], foreign: [] };
  let folder: Folder | undefined;
  let lockDb: Db | undefined;
  let heldToolLock: ReturnType<typeof toolLockFor>;
  let db: Db | undefined;
  const rows: Row[] = [];
  let failure: unknown;
  let toRun: Prepared[] = [];
  // Both connections at once: each costs several round trips to a database far away.
  const lockConnection = inputs['dry-run'] ? undefined : open(context, url, { timeoutMs, label: 'lock' });
  lockConnection?.catch(() => undefined); // a failure is reported where it is awaited, once
  let ahead: { stop(): void } | undefined;
  // The migrations connection starts before the folder is read: its start-up round trips overlap the reading.
  const connection = open(context, url, { timeoutMs, label: 'migrations' });
  connection.catch(() => undefined); // reported where it is awaited, below
  try {
    folder = loadFolder(inputs, workspace);
    doing(context, 'connecting');
    // The parse happens while the connections, the lock and the tracking table are waited for (a database far
    // away costs several round trips before the pending files are known); started once both connections are.
    ahead = parseAhead(folder.files);
    db = await connection;
    if (inputs['dry-run']) {
      doing(context, 'reading the tracking table');
      const comparison = compare(inputs, folder, await readHistory(db, folder), outcome);
      ahead.stop();
      reportComparison(comparison, true);
      toRun = await parseToRun(comparison.pending);
      const checked = await checkLint(inputs, toRun, await currentColumnTypes(db, toRun));
      outcome.contracts = checked.contracts;
      for (const p of checked.pending)
        rows.push({
          file: p.file.file,
          version: p.file.version,
          statements: p.statements.length,
          status: `would apply${modeLabel(p.plan)}`,
        });
      const names = comparison.pending.map((f) => f.fileName);
      const shown =
        names.length > 10
          ? `${names.slice(0, 10).join(', ')} and ${names.length - 10} more`
          : names.join(', ') || 'none';
      info(`Dry run: ${names.length} migration(s) would be applied: ${shown}.`);
      return;
    }
    lockDb = await lockConnection;
    doing(context, 'waiting for the migration lock');
    // The tool's own lock before shipline's, so a run of the tool elsewhere and this one never apply together.
    const toolLock = toolLockFor(folder.format);
    if (toolLock) {
      await acquireLock(lockDb as Db, inputs['lock-timeout'], toolLock);
      heldToolLock = toolLock;
    }
    // The lock and the tracking table in one round trip (on the lock's connection) when the lock is free.
    const history = await lockAndRead(lockDb as Db, inputs['lock-timeout'], (locked) =>
      readHistory(locked, folder as Folder),
    );
    const comparison = compare(inputs, folder, history, outcome);
    ahead.stop();
    reportComparison(comparison, true);
    const parsed = await parseToRun(comparison.pending);
    const { pending, contracts } = await checkLint(inputs, parsed, await currentColumnTypes(db, parsed));
    toRun = pending;
    outcome.contracts = contracts;
    if (pending.length === 0) info('Database is up to date: nothing to apply.');
    // Only now, with every check passed, is anything written: the tracking table, where missing, in the same query
    // as the first file. The outcome's applied list grows as files commit: a failure part-way still reports the
    // files that did apply.
    await applyPending(context, db, folder, pending, rows, outcome.applied, history.present);
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
    if (unlocked) releaseLockAndHangUp(unlocked, heldToolLock);
    hangUp(db);
    writeOutputs(outcome, folder?.format, !inputs['dry-run']);
    const title = inputs['dry-run'] ? 'Migrations (dry run)' : 'Migrations';
    const result = failure === undefined ? undefined : failed(context, failure, outcome.applied.length);
    const body =
      rows.length > 0
        ? `${summaryTable(rows)}${atomicityNotes(toRun)}`
        : failure === undefined
          ? 'Nothing to apply: the database is up to date.'
          : '';
    const ran = inputs['dry-run']
      ? outcome.contracts
      : outcome.contracts?.filter((c) => outcome.applied.some((a) => a.file === c.file));
    const safety =
      ran && (ran.length > 0 || rows.length > 0)
        ? `\n\n${rollbackSafety(ran, inputs['dry-run'] ? 'would leave' : 'left')}`
        : '';
    appendSummary(
      `${header(title, inputs, folder, [
        ['Result', result],
        ['Applied', outcome.applied.length],
        ['Pending before', outcome.comparison?.pending.length],
      ])}${body ? `\n\n${body}` : ''}${safety}${foreignSection(outcome.foreign)}`,
    );
  }
}

/** Applies the pending files in order, a summary row each; the first failure stops the run. */
export async function applyPending(
  context: RunContext,
  db: Db,
  folder: Folder,
  pending: Prepared[],
  rows: Row[],
  applied: AppliedEntry[],
  trackingPresent: boolean,
): Promise<void> {
  const { inputs, timeout } = context;
  const settings = sessionSettings(db, {
    statementTimeoutMs: inputs['statement-timeout'],
    lockTimeoutMs: inputs['migration-lock-timeout'],
  });
  // Files go to the server in batches: what runs is known when a batch answers; the step timeout's message names the
  // first file not yet confirmed.
  if (pending[0]) doing(context, `applying ${pending[0].file.file}`);
  // Files whose COMMIT is on its way (sent, not answered): if the connection goes now, their fate is unknown.
  let unanswered: Prepared[] = [];
  timeout.unanswered = () => (unanswered.length > 0 ? fateUnknown(unanswered, folder.tracker.table) : undefined);
  // The files of one answer from the server are logged in one write: a write per file costs the runner's host as
  // much CPU as the rest of the client's work while the server applies (it shares those cores). The write is queued
  // as the first file of an answer is reported, so it comes before anything reported after that answer.
  let lines: string[] = [];
  const flushLines = () => {
    if (lines.length > 0) infoLines(lines);
    lines = [];
  };
  try {
    const { roundTrips } = await applyAll(
      db,
      folder.tracker,
      pending,
      settings,
      (p, ms) => {
        rows.push({
          file: p.file.file,
          version: p.file.version,
          statements: p.statements.length,
          ms,
          status: `${MARK.passed} applied${modeLabel(p.plan)}`,
        });
        applied.push({
          version: p.file.version,
          name: p.file.name,
          file: p.file.file,
          statements: p.statements.length,
          durationMs: Math.round(ms),
        });
        if (lines.length === 0) queueMicrotask(flushLines);
        lines.push(`Applied ${p.file.file} (${p.statements.length} statements, ${formatMs(ms)})`);
        const next = pending[applied.length];
        if (next) doing(context, `applying ${next.file.file}`);
        unanswered = unanswered.filter((u) => u !== p);
      },
      folder.tracker.setup(trackingPresent),
      undefined,
      (files) => {
        unanswered = files;
      },
    );
    if (pending.length > 0)
      debug(`${pending.length} file(s) applied in ${roundTrips} quer${roundTrips === 1 ? 'y' : 'ies'}`);
  } catch (e) {
    const index = applied.length;
    const failed = e instanceof TrackingSetupFailed ? undefined : pending[index];
    if (e instanceof TrackingSetupFailed)
      for (const p of pending)
        rows.push({
          file: p.file.file,
          version: p.file.version,
          statements: p.statements.length,
          status: `${MARK.none} not run`,
        });
    if (failed && e instanceof FateUnknown) {
      const fate = timeout.hasPassed
        ? undefined
        : await settleFate(context, inputs['database-url'] as string, db, folder, e.files, inputs['connect-timeout']);
      for (const p of e.files) {
        const committed = fate?.get(p);
        const status =
          committed === undefined
            ? `? fate unknown: check ${folder.tracker.table}`
            : committed
              ? `${MARK.passed} applied (its answer was lost; read back after reconnecting)`
              : `${MARK.failed} not applied (rolled back when the connection went)`;
        rows.push({ file: p.file.file, version: p.file.version, statements: p.statements.length, status });
        if (committed)
          applied.push({
            version: p.file.version,
            name: p.file.name,
            file: p.file.file,
            statements: p.statements.length,
            durationMs: 0,
          });
      }
      for (const later of pending.slice(index + e.files.length))
        rows.push({
          file: later.file.file,
          version: later.file.version,
          statements: later.statements.length,
          status: `${MARK.none} not run`,
        });
      if (fate) {
        const said = e.files
          .map((p) => `${p.file.file} ${fate.get(p) ? 'was committed' : 'was not committed'}`)
          .join('; ');
        throw new ShiplineError(
          `${lostAfterCommit(e.files, e.reason)}; reconnected and read ${folder.tracker.table}: ${said}`,
          { hint: e.hint, cause: e },
        );
      }
    } else if (failed) {
      const label =
        failed.plan.mode === 'transaction'
          ? `${MARK.failed} failed, rolled back`
          : `${MARK.failed} failed${modeLabel(failed.plan)}`;
      rows.push({
        file: failed.file.file,
        version: failed.file.version,
        statements: failed.statements.length,
        status: label,
      });
      for (const later of pending.slice(index + 1))
        rows.push({
          file: later.file.file,
          version: later.file.version,
          statements: later.statements.length,
          status: `${MARK.none} not run`,
        });
    }
    if (e instanceof StatementFailed) {
      const { line, column } = positionAt(e.file.content, e.offset);
      error(e.message, {
        file: e.file.file,
        startLine: line,
        startColumn: column,
        title: `Migration ${e.file.fileName} failed`,
      });
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
async function settleFate(
  context: RunContext,
  url: string,
  lost: Db,
  folder: Folder,
  files: Prepared[],
  timeoutMs: number,
): Promise<Map<Prepared, boolean> | undefined> {
  let check: Db | undefined;
  try {
    doing(context, `reconnecting to learn whether ${files.map((p) => p.file.file).join(', ')} committed`);
    check = await open(context, url, { timeoutMs, label: 'fate' });
    const pid = (lost as unknown as { processID?: number }).processID;
    if (pid) {
      await check.query('SELECT pg_terminate_backend($1)', [pid]).catch(() => undefined);
      // The old session is gone once its backend has exited: its transaction then has its final outcome.
      for (let alive = true; alive;) {
        const { rows } = await check.query<{ alive: boolean }>(
          'SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE pid = $1) AS alive',
          [pid],
        );
        alive = rows[0]?.alive === true;
        if (alive) await new Promise((r) => setTimeout(r, 50));
      }
    }
    const history = await readHistory(check, folder);
    const recorded = new Set(history.rows.map((r) => r.version));
    return new Map(files.map((p) => [p, recorded.has(p.file.version)]));
  } catch (error) {
    debug(
      `Could not read back the fate of ${files.map((p) => p.file.file).join(', ')}: ${(error as Error)?.message ?? String(error)}`,
    );
    return undefined;
  } finally {
    hangUp(check);
  }
}
