// Down migrations: which applied files a rollback reverts, proof on a throw-away database that their down scripts
// restore the schema, and running them on the target under the migration lock, recording each in the tool's
// tracking table as the tool's own down would.
//
// The downs run newest first in ONE transaction on the target, not one transaction each as the tools' own down
// commands do: the app is switched only after the last one, so until then the live release keeps serving, and it
// needs the schema it was deployed with. Files reverted before a failing one would otherwise stay reverted under
// it. One transaction means a failure leaves the database exactly as it was (tracking table included).
import { ShiplineError } from '../../../shared/errors.js';
import { type Db, connect, describeServer, hangUp, isPgError, quoteLiteral } from './db.js';
import type { DownScript, FormatSpec, MigrationFile } from './formats.js';
import { acquireLock, releaseLockAndHangUp } from './lock.js';
import { applyAll, prepare } from './migrator.js';
import { schemaDifference, schemaSnapshot } from './schema-snapshot.js';
import { positionAt, SqlSyntaxError, type Statement, splitStatements } from './sql.js';
import type { Tracker } from './tracking.js';

export interface DownFolder {
  dir: string;
  format: FormatSpec;
  tracker: Tracker;
  files: MigrationFile[];
}

/** One file to revert: its down script, and the file before it in the folder (golang-migrate records that one). */
export interface DownStep {
  file: MigrationFile;
  down: DownScript;
  previous: MigrationFile | undefined;
}

/** A down script failed; located in the file it is in. */
class DownFailed extends ShiplineError {
  constructor(
    readonly step: DownStep,
    readonly line: number,
    message: string,
    options: { hint?: string; cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * The applied files from `from` (a version) to the newest, newest first, each with its down script; `missing` are
 * those without one (no down section, an empty one, or no down file beside it).
 */
export function downsFrom(
  folder: DownFolder,
  applied: ReadonlySet<string>,
  from: string,
): { steps: DownStep[]; missing: MigrationFile[] } {
  const steps: DownStep[] = [];
  const missing: MigrationFile[] = [];
  folder.files.forEach((file, index) => {
    if (!applied.has(file.version) || folder.format.compare(file.version, from) < 0) return;
    const down = folder.format.down?.(file, folder.dir);
    if (down) steps.push({ file, down, previous: folder.files[index - 1] });
    else missing.push(file);
  });
  return { steps: steps.reverse(), missing };
}

/**
 * Runs the downs in order in one transaction on `db`, statement by statement, recording each in the tracking
 * table; a failure rolls all of them back and throws DownFailed naming the file and the failing statement's line.
 * Every script is parsed before the transaction begins: a syntax error changes nothing either.
 */
async function runDowns(db: Db, tracker: Tracker, steps: DownStep[]): Promise<void> {
  const unrecord = tracker.unrecord;
  if (!unrecord) throw new ShiplineError(`The ${tracker.table} format has no down migrations`);
  const failed = (step: DownStep, offset: number, error: unknown) => {
    const line = positionAt(step.down.content, offset).line;
    return new DownFailed(
      step,
      line,
      `The down script of ${step.file.file} failed (${step.down.file}:${line}): ${(error as Error).message}`,
      { cause: error },
    );
  };
  const parsed: { step: DownStep; statements: Statement[] }[] = [];
  for (const step of steps) {
    try {
      parsed.push({ step, statements: (await splitStatements(step.down.sql, step.down.offset)).statements });
    } catch (error) {
      throw failed(step, error instanceof SqlSyntaxError ? error.offset : step.down.offset, error);
    }
  }
  await db.query('BEGIN');
  for (const { step, statements } of parsed) {
    let at = step.down.offset;
    try {
      for (const statement of statements) {
        at = statement.offset;
        await db.query(statement.sql);
      }
      at = step.down.offset;
      // The script may have changed search_path; the tracking table is found through the session's own.
      await db.query('RESET search_path');
      await db.query(unrecord(step.file, step.down, step.previous, quoteLiteral));
    } catch (error) {
      await db.query('ROLLBACK').catch(() => undefined);
      const position = isPgError(error) && error.position ? Number(error.position) - 1 : 0;
      throw failed(step, at + Math.max(0, position), error);
    }
  }
  await db.query('COMMIT');
}

/**
 * Proves the downs on a new database of the server at `url`: replays the applied files before the first one
 * reverted and reads the schema, replays the rest, runs the downs, and reads it again. Both readings (and the
 * tracking table's versions) must agree. The database is dropped afterwards, whatever happened.
 */
export async function proveDowns(
  url: string,
  connectTimeoutMs: number,
  folder: DownFolder,
  appliedFiles: MigrationFile[],
  steps: DownStep[],
): Promise<{ ms: number; tables: number }> {
  const started = performance.now();
  const reverted = new Set(steps.map((s) => s.file.version));
  const kept = appliedFiles.filter((f) => !reverted.has(f.version));
  const redone = appliedFiles.filter((f) => reverted.has(f.version));
  const { prepared, problems } = await prepare([...kept, ...redone]);
  if (problems.length > 0)
    throw new ShiplineError(
      `Cannot replay the migrations to prove the down scripts: ${problems.map((p) => p.message).join('; ')}`,
    );
  const name = `shipline_downs_${process.pid}_${Date.now().toString(36)}`;
  const admin = await connect(url, { timeoutMs: connectTimeoutMs, label: 'down proof' });
  try {
    try {
      await admin.query(`CREATE DATABASE ${name}`);
    } catch (e) {
      throw new ShiplineError(
        `The proof of the down scripts needs a throw-away database on ${describeServer(url)}: ${(e as Error).message}`,
        { hint: "Give a user with CREATEDB, or set 'migrate-proof-url' to a server where one may be created." },
      );
    }
    const db = await connect(url, { timeoutMs: connectTimeoutMs, label: 'down proof', database: name });
    try {
      const ignore = [folder.tracker.table.replace(/^.*\./, '')];
      const settings = {};
      await applyAll(
        db,
        folder.tracker,
        prepared.slice(0, kept.length),
        settings,
        () => undefined,
        folder.tracker.setup(false),
      );
      const before = await schemaSnapshot(db, ignore);
      const versionsBefore = (await folder.tracker.read(db, folder.files, folder.dir)).rows.map((r) => r.version);
      await applyAll(
        db,
        folder.tracker,
        prepared.slice(kept.length),
        settings,
        () => undefined,
        kept.length === 0 ? folder.tracker.setup(false) : '',
      );
      await runDowns(db, folder.tracker, steps);
      const after = await schemaSnapshot(db, ignore);
      const versionsAfter = (await folder.tracker.read(db, folder.files, folder.dir)).rows.map((r) => r.version);
      const { lost, extra } = schemaDifference(before, after);
      if (lost.length > 0 || extra.length > 0) {
        const list = (lines: string[]) =>
          lines.length > 8 ? `${lines.slice(0, 8).join('; ')} and ${lines.length - 8} more` : lines.join('; ');
        throw new ShiplineError(
          `The down scripts do not restore the schema: after replaying ${redone.map((f) => f.fileName).join(', ')} and their downs on a throw-away database, ${[
            lost.length > 0 ? `missing: ${list(lost)}` : '',
            extra.length > 0 ? `left behind: ${list(extra)}` : '',
          ]
            .filter(Boolean)
            .join('; ')}`,
          { hint: 'Fix the down scripts so that each undoes its up exactly, or roll forward instead.' },
        );
      }
      if (versionsBefore.join() !== versionsAfter.join())
        throw new ShiplineError(
          `After the downs, ${folder.tracker.table} records ${versionsAfter.join(', ') || 'nothing'} instead of ${versionsBefore.join(', ') || 'nothing'}`,
        );
      return { ms: performance.now() - started, tables: before.filter((l) => l.startsWith('relation r ')).length };
    } finally {
      hangUp(db);
    }
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => undefined);
    hangUp(admin);
  }
}

/**
 * On the target: takes the migration lock, checks that the tracking table still records what was proved (another
 * migrator may have run since), runs the downs in one transaction, and releases the lock.
 */
export async function runDownsLocked(
  db: Db,
  folder: DownFolder,
  steps: DownStep[],
  expected: string[],
  lockTimeoutMs: number,
): Promise<void> {
  try {
    await acquireLock(db, lockTimeoutMs);
    const now = (await folder.tracker.read(db, folder.files, folder.dir)).rows.map((r) => r.version);
    if (now.join() !== expected.join())
      throw new ShiplineError(
        `${folder.tracker.table} changed between the check and the downs (another migrator ran): nothing was reverted`,
        { hint: 'Run the rollback again: it checks and proves the downs against what is recorded now.' },
      );
    await runDowns(db, folder.tracker, steps);
  } finally {
    releaseLockAndHangUp(db);
  }
}
