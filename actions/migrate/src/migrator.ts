// The migration engine: parse every file, check the folder against the tracking table before anything runs,
// then apply each pending file with its tracking row in one transaction (or, for statements PostgreSQL refuses
// in a transaction block, one by one with the row written last).
import pg, { type ClientBase } from 'pg';
import { ShiplineError } from '../../../shared/errors.js';
import { type Db, isPgError, type PgError } from './db.js';
import type { FormatSpec, MigrationFile } from './formats.js';
import type { FormatName } from './inputs.js';
import { type Statement, SqlSyntaxError, splitStatements } from './sql.js';
import { type AppliedRow, expectedChecksum, type Tracker } from './tracking.js';

export interface Prepared {
  file: MigrationFile;
  statements: Statement[];
  /** The file as the Supabase CLI stores it in `statements` (trailing comments included). */
  stored: string[];
  /** false: the statements run one by one outside a transaction block. */
  transactional: boolean;
}

/** A problem located in a file: annotated at file:line:column. */
export interface FileProblem {
  file: MigrationFile;
  /** Character offset in the file. */
  offset: number;
  message: string;
  title: string;
}

/** Reported problems, already annotated; the step fails with the summary line. */
export class MigrationProblems extends ShiplineError {
  readonly problems: FileProblem[];
  constructor(summary: string, problems: FileProblem[], hint?: string) {
    super(summary, { hint });
    this.problems = problems;
  }
}

const HARMLESS_OUTSIDE_TRANSACTION = new Set(['VariableSetStmt', 'VariableShowStmt']);

/** How a file will run, or the problem that stops it from running at all. */
export function transactionMode(file: MigrationFile, statements: Statement[]): { transactional: boolean; problem?: FileProblem } {
  if (file.noTransaction) return { transactional: false };
  const control = statements.find((s) => s.transactionControl);
  if (control)
    return {
      transactional: true,
      problem: {
        file,
        offset: control.offset,
        title: 'Transaction control in a migration',
        message: `${control.sql.split(/\s/)[0]?.toUpperCase()} in a migration file: shipline runs each file and its tracking row in one transaction, and a COMMIT here would split it. Remove BEGIN/COMMIT, or mark the file '-- shipline:no-transaction' to manage transactions yourself.`,
      },
    };
  const outside = statements.filter((s) => s.nonTransactional);
  if (outside.length === 0) return { transactional: true };
  const others = statements.filter((s) => !s.nonTransactional && !HARMLESS_OUTSIDE_TRANSACTION.has(s.kind));
  if (others.length === 0) return { transactional: false };
  const first = outside[0] as Statement;
  return {
    transactional: false,
    problem: {
      file,
      offset: first.offset,
      title: 'Statement that cannot run in a transaction, mixed with others',
      message: `${first.nonTransactional} cannot run inside a transaction block, and this file also has ${others.length} statement(s) that should run in one. Move ${first.nonTransactional} to a migration file of its own (it then runs without a transaction), or mark this file '-- shipline:no-transaction' to run every statement on its own (a failure then leaves the earlier statements applied).`,
    },
  };
}

/** Parses every file; all problems (syntax, transaction rules) are collected before any is reported. */
export async function prepare(files: MigrationFile[]): Promise<{ prepared: Prepared[]; problems: FileProblem[] }> {
  const prepared: Prepared[] = [];
  const problems: FileProblem[] = [];
  for (const file of files) {
    let statements: Statement[];
    let trailing: string;
    try {
      ({ statements, trailing } = await splitStatements(file.up, file.upOffset));
    } catch (error) {
      if (!(error instanceof SqlSyntaxError)) throw error;
      problems.push({ file, offset: error.offset, title: 'SQL syntax error', message: `${file.file}: ${error.message}` });
      continue;
    }
    const mode = transactionMode(file, statements);
    if (mode.problem) problems.push(mode.problem);
    const stored = statements.map((s) => s.stored);
    if (trailing) stored.push(trailing);
    prepared.push({ file, statements, stored, transactional: mode.transactional });
  }
  return { prepared, problems };
}

export type FileStatus = 'applied' | 'pending' | 'changed' | 'missing' | 'out-of-order';

export interface FileState {
  version: string;
  file?: MigrationFile;
  status: FileStatus;
}

export interface Comparison {
  states: FileState[];
  pending: MigrationFile[];
  /** Blocking problems (drift, missing files, out of order), each a sentence naming the file or version. */
  problems: { message: string; file?: MigrationFile }[];
  /** The same findings when an allow-* input turned them into warnings. */
  warnings: { message: string; file?: MigrationFile }[];
  newestApplied?: string;
}

/**
 * The stored statements are the file's text minus the `;` between statements and the blank space around them,
 * whoever split it (the Supabase CLI or shipline): so without `;` and white space, they must equal the file.
 * No parsing needed, which keeps `status` fast on a long history.
 */
const squash = (text: string) => text.replace(/[\s;]+/g, '');

function changed(format: FormatName, file: MigrationFile, row: AppliedRow): boolean {
  if (format === 'supabase') return row.statements !== undefined && squash(row.statements.join('')) !== squash(file.up);
  return row.checksum !== undefined && row.checksum !== expectedChecksum(format, file);
}

export function compareWithDatabase(
  format: FormatSpec,
  tracker: Tracker,
  files: MigrationFile[],
  applied: AppliedRow[],
  options: { allowChanged: boolean; allowOutOfOrder: boolean },
): Comparison {
  const rows = new Map(applied.map((r) => [r.version, r]));
  const versions = new Set(files.map((f) => f.version));
  const newestApplied = applied.map((r) => r.version).sort(format.compare).at(-1);
  const result: Comparison = { states: [], pending: [], problems: [], warnings: [], newestApplied };
  for (const file of files) {
    const row = rows.get(file.version);
    if (row) {
      if (changed(format.name, file, row)) {
        result.states.push({ version: file.version, file, status: 'changed' });
        const message = `${file.file} was changed after it was applied (version ${file.version} in ${tracker.table})`;
        (options.allowChanged ? result.warnings : result.problems).push({ message, file });
      } else result.states.push({ version: file.version, file, status: 'applied' });
      continue;
    }
    const late = newestApplied !== undefined && format.compare(file.version, newestApplied) < 0;
    result.states.push({ version: file.version, file, status: late ? 'out-of-order' : 'pending' });
    result.pending.push(file);
    if (late) {
      const message = `${file.file} is not applied but is older than the newest applied version ${newestApplied}`;
      (options.allowOutOfOrder ? result.warnings : result.problems).push({ message, file });
    }
  }
  for (const row of applied) {
    if (versions.has(row.version)) continue;
    result.states.push({ version: row.version, status: 'missing' });
    result.problems.push({ message: `version ${row.version} is recorded in ${tracker.table} but no migration file has it (deleted or renamed?)` });
  }
  result.states.sort((a, b) => format.compare(a.version, b.version));
  return result;
}

export interface SessionSettings {
  statementTimeoutMs?: number;
  lockTimeoutMs?: number;
  /**
   * PostgreSQL 14+: how often the server checks that we are still connected while a statement runs. A whole file
   * is sent at once, so without it a killed or cancelled migrator's file would still run to its COMMIT.
   */
  connectionCheckMs?: number;
}

function settingsList(settings: SessionSettings, scope: 'LOCAL' | 'SESSION'): string[] {
  const parts: string[] = [];
  if (settings.statementTimeoutMs !== undefined) parts.push(`SET ${scope} statement_timeout = ${Math.round(settings.statementTimeoutMs)}`);
  if (settings.lockTimeoutMs !== undefined) parts.push(`SET ${scope} lock_timeout = ${Math.round(settings.lockTimeoutMs)}`);
  if (settings.connectionCheckMs !== undefined) parts.push(`SET ${scope} client_connection_check_interval = ${settings.connectionCheckMs}`);
  return parts;
}

/** The settings every file runs with, from the inputs and what the server supports. */
export async function sessionSettings(db: Db, timeouts: { statementTimeoutMs?: number; lockTimeoutMs?: number }): Promise<SessionSettings> {
  const { rows } = await db.query("SELECT current_setting('server_version_num')::int AS version");
  return { ...timeouts, connectionCheckMs: Number(rows[0]?.version) >= 140000 ? 1000 : undefined };
}

/** A statement of a migration failed on the server. */
export class StatementFailed extends ShiplineError {
  readonly file: MigrationFile;
  readonly offset: number;
  readonly pg: PgError;
  readonly statementIndex: number;
  constructor(file: MigrationFile, statementIndex: number, offset: number, pg: PgError, rolledBack: boolean) {
    const extra = [pg.detail && `Detail: ${pg.detail}`, pg.hint && `Hint: ${pg.hint}`].filter(Boolean).join(' ');
    super(
      `${file.file}: ${pg.message}${pg.code ? ` (SQLSTATE ${pg.code})` : ''}${extra ? `. ${extra}` : ''}`,
      {
        hint: rolledBack
          ? `The file was rolled back: nothing of it is applied, and no later migration ran.`
          : `This file runs outside a transaction: the statements before this one stay applied and the file is not recorded. Make its statements safe to run again (IF NOT EXISTS), fix it, and run again.`,
      },
    );
    this.file = file;
    this.offset = offset;
    this.pg = pg;
    this.statementIndex = statementIndex;
  }
}

async function runStatements(db: ClientBase, p: Prepared, rolledBack: boolean): Promise<void> {
  for (const [index, s] of p.statements.entries()) {
    try {
      await db.query(s.sql);
    } catch (error) {
      throw located(error, p, index, 0, rolledBack);
    }
  }
}

/** A server error as a StatementFailed at its place in the file; `position` counts from `sentAt` in the query. */
function located(error: unknown, p: Prepared, index: number, sentAt: number, rolledBack: boolean): unknown {
  const s = p.statements[index];
  if (!isPgError(error) || !s) return error;
  // The server's position is 1-based, in characters of the query as sent.
  const offset = error.position ? s.offset + Number(error.position) - 1 - sentAt : s.offset;
  return new StatementFailed(p.file, index, offset, error, rolledBack);
}

/**
 * A simple-protocol query that counts its completed statements, so that when one statement of a batch fails we
 * know which (the count of CommandComplete messages before the error; node-postgres's Submittable interface).
 */
class CountingQuery extends pg.Query {
  completed = 0;
  constructor(text: string) {
    super(text);
  }
  handleCommandComplete(message: unknown, connection: unknown): void {
    this.completed++;
    (pg.Query.prototype as unknown as { handleCommandComplete(m: unknown, c: unknown): void }).handleCommandComplete.call(this, message, connection);
  }
}

function runCounting(db: ClientBase, text: string): Promise<void> {
  const query = new CountingQuery(text);
  return new Promise((resolve, reject) => {
    query.on('end', () => resolve());
    query.on('error', (error: Error) => reject(Object.assign(error, { completed: query.completed })));
    db.query(query as unknown as pg.QueryConfig);
  });
}

/**
 * Applies one file and records it; returns how long it took, in ms. A transactional file goes to the server as
 * one multi-statement query (BEGIN, its statements, the tracking row, COMMIT): one round trip per file.
 */
export async function applyFile(db: Db, tracker: Tracker, p: Prepared, settings: SessionSettings): Promise<number> {
  const started = performance.now();
  const quote = (value: string) => db.escapeLiteral(value);
  if (p.transactional) {
    // RESET ALL first: a SET in the previous file must not leak into this one; SET LOCAL ends with the transaction.
    const prefix = ['RESET ALL', 'BEGIN', ...settingsList(settings, 'LOCAL')];
    let text = prefix.map((q) => `${q};\n`).join('');
    const starts: number[] = [];
    for (const s of p.statements) {
      starts.push(text.length);
      text += `${s.sql};\n`;
    }
    // The file may have changed search_path; the tracking table is found through the session's own.
    text += `RESET search_path;\n${tracker.record(p.file, p.stored, quote)};\nCOMMIT`;
    try {
      await runCounting(db, text);
    } catch (error) {
      await db.query('ROLLBACK').catch(() => undefined);
      const index = Number((error as { completed?: number }).completed ?? 0) - prefix.length;
      if (index >= 0 && index < p.statements.length) throw located(error, p, index, starts[index] as number, true);
      throw error;
    }
  } else {
    await db.query(['RESET ALL', ...settingsList(settings, 'SESSION')].join('; '));
    const unsafe = tracker.beginUnsafe?.(p.file, quote);
    if (unsafe) await db.query(unsafe);
    await runStatements(db, p, false);
    await db.query(`BEGIN; ${tracker.record(p.file, p.stored, quote)}; COMMIT; RESET ALL`);
  }
  return performance.now() - started;
}
