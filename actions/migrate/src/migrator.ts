// The migration engine: parse every file, check the folder against the tracking table before anything runs,
// then apply each pending file with its tracking row in one transaction (or, for statements PostgreSQL refuses
// in a transaction block, one by one with the row written last).
import pg, { type ClientBase } from 'pg';
import { ShiplineError } from '../../../shared/errors.js';
import { type Db, isPgError, type PgError, quoteLiteral, serverVersionNum, transactionStatus } from './db.js';
import { checksumOf, type FormatSpec, type MigrationFile, withoutShiplineComments } from './formats.js';
import type { FormatName } from './inputs.js';
import { parseSql } from './pg-parser.js';
import { type Statement, SqlSyntaxError, splitStatements } from './sql.js';
import { type AppliedRow, expectedChecksum, type Tracker } from './tracking.js';
import { appendAll } from '../../../shared/collections.js';

/**
 * How a file runs, decided from its statements before anything runs — each file as its authors' tool ran it:
 * - `transaction`: the whole file and its tracking row in one transaction (the usual case);
 * - `no-transaction`: every statement on its own, the tracking row last (the file's marker, or a file of only
 *   statements PostgreSQL refuses in a transaction block);
 * - `own-transactions`: the file's own BEGIN/COMMIT, sent as written; the tracking row right after, in the same
 *   session (what the Supabase CLI does with such a file);
 * - `split`: CREATE INDEX CONCURRENTLY (or another statement PostgreSQL refuses in a transaction block) at the
 *   start and/or the end of the file runs on its own, outside the transaction; the rest runs in one, in file order.
 */
type RunMode = 'transaction' | 'no-transaction' | 'own-transactions' | 'split';

export interface FilePlan {
  mode: RunMode;
  /** How many statements at the start, and at the end, run on their own outside any transaction block. */
  before: number;
  after: number;
  /** The statements between them carry their own BEGIN/COMMIT and are sent as written. */
  asWritten: boolean;
}

export interface Prepared {
  file: MigrationFile;
  statements: Statement[];
  /** The file as the Supabase CLI stores it in `statements` (trailing comments included). */
  stored: string[];
  /** true: the whole file runs in one transaction with its tracking row. */
  transactional: boolean;
  plan: FilePlan;
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
const harmless = (s: Statement) => HARMLESS_OUTSIDE_TRANSACTION.has(s.kind);

/** BEGIN/COMMIT/ROLLBACK (not savepoints, which live happily inside shipline's own transaction). */
const OWN_TRANSACTION_CONTROL = new Set([
  'TRANS_STMT_BEGIN',
  'TRANS_STMT_START',
  'TRANS_STMT_COMMIT',
  'TRANS_STMT_ROLLBACK',
  'TRANS_STMT_PREPARE',
  'TRANS_STMT_COMMIT_PREPARED',
  'TRANS_STMT_ROLLBACK_PREPARED',
]);
const ownTransactionControl = (s: Statement) => s.transactionControl && OWN_TRANSACTION_CONTROL.has(s.node?.kind);

/** How many statements from one end run outside the transaction: SETs may come along, but the run ends on one that must. */
function edgeRun(statements: Statement[]): number {
  let run = 0;
  for (const [i, s] of statements.entries()) {
    if (s.nonTransactional) run = i + 1;
    else if (!harmless(s)) break;
  }
  return run;
}

/** How a file will run, or the problem that stops it from running at all. */
export function planFile(file: MigrationFile, statements: Statement[]): { plan: FilePlan; problem?: FileProblem } {
  const all = statements.length;
  if (file.noTransaction) return { plan: { mode: 'no-transaction', before: all, after: 0, asWritten: false } };
  const outside = statements.filter((s) => s.nonTransactional);
  const own = statements.some(ownTransactionControl);
  if (outside.length === 0)
    return { plan: { mode: own ? 'own-transactions' : 'transaction', before: 0, after: 0, asWritten: own } };
  if (!own && statements.every((s) => s.nonTransactional || harmless(s)))
    return { plan: { mode: 'no-transaction', before: all, after: 0, asWritten: false } };
  const before = edgeRun(statements);
  const after = Math.min(edgeRun([...statements].reverse()), all - before);
  const plan: FilePlan = {
    mode: 'split',
    before,
    after,
    asWritten: statements.slice(before, all - after).some(ownTransactionControl),
  };
  const middle = statements.slice(before, all - after).find((s) => s.nonTransactional);
  if (!middle) return { plan };
  return {
    plan,
    problem: {
      file,
      offset: middle.offset,
      title: 'Statement that cannot run in a transaction, between others',
      message: `${middle.nonTransactional} cannot run inside a transaction block, and it sits between statements that run in one. shipline runs such a statement on its own only at the start or the end of a file (the rest of the file in one transaction). Move it to the start or the end of the file, or to a migration file of its own, or mark this file '-- shipline:no-transaction' to run every statement on its own (a failure then leaves the earlier statements applied).`,
    },
  };
}

/** The short label the summary puts after "applied". */
export function modeLabel(plan: FilePlan): string {
  switch (plan.mode) {
    case 'transaction':
      return '';
    case 'no-transaction':
      return ' (no transaction)';
    case 'own-transactions':
      return ' (its own BEGIN/COMMIT)';
    default:
      return ' (CONCURRENTLY outside the transaction)';
  }
}

/** What is atomic in a file, in a sentence: the plan and the summary state it for every file that is not one transaction. */
export function atomicity(p: Prepared): string {
  const { plan } = p;
  const alone = (n: number, at: number) =>
    `${p.statements
      .slice(at, at + n)
      .filter((s) => s.nonTransactional)
      .map((s) => s.nonTransactional)
      .join(', ')}`;
  switch (plan.mode) {
    case 'transaction':
      return 'one transaction with its tracking row: all or nothing';
    case 'no-transaction':
      return 'no transaction: each statement commits on its own, the tracking row last; a failure leaves the earlier statements applied and the file unrecorded';
    case 'own-transactions':
      return 'its own BEGIN/COMMIT, run as written (as the Supabase CLI runs it); the tracking row is written right after, in the same session: what the file commits before a failure stays, and the file is then not recorded';
    default: {
      const parts: string[] = [];
      if (plan.before > 0) parts.push(`${alone(plan.before, 0)} first, on its own outside a transaction`);
      const body = p.statements.length - plan.before - plan.after;
      if (body > 0)
        parts.push(
          plan.asWritten
            ? `then the rest as written (its own BEGIN/COMMIT)`
            : `then the other ${body} statement(s) in one transaction${plan.after === 0 ? ' with the tracking row' : ''}`,
        );
      if (plan.after > 0)
        parts.push(`then ${alone(plan.after, p.statements.length - plan.after)} on its own, then the tracking row`);
      return `${parts.join('; ')}. A failure keeps what committed before it, and the file is not recorded: a CONCURRENTLY statement that fails leaves an INVALID index to drop before the next run`;
    }
  }
}

/** A file's statements, part by part where its tool cuts it (see MigrationFile.cuts). */
async function splitParts(file: MigrationFile): Promise<{ statements: Statement[]; trailing: string }> {
  const bounds = [0, ...(file.cuts ?? []), file.up.length];
  const statements: Statement[] = [];
  let trailing = '';
  for (let i = 1; i < bounds.length; i++) {
    const [from, to] = [bounds[i - 1] as number, bounds[i] as number];
    if (to <= from) continue;
    const part = await splitStatements(file.up.slice(from, to), file.upOffset + from);
    appendAll(statements, part.statements);
    trailing = part.trailing;
  }
  return { statements, trailing };
}

/** Each file is parsed once per run, whether ahead of time (parseAhead) or when it is prepared. */
const parsed = new WeakMap<MigrationFile, Promise<{ statements: Statement[]; trailing: string }>>();

function splitPartsOnce(file: MigrationFile): Promise<{ statements: Statement[]; trailing: string }> {
  let parts = parsed.get(file);
  if (!parts) {
    parts = splitParts(file);
    // A syntax error is reported when the file is prepared; a file parsed ahead but never prepared stays silent.
    parts.catch(() => undefined);
    parsed.set(file, parts);
  }
  return parts;
}

/**
 * How long parseAhead waits before it starts: a database this near (loopback, the same host or network) has
 * answered by then and the parse starts only for the files that turn out to be pending, so a run with nothing to
 * apply never loads the parser; for a database farther away the wait would be idle anyway.
 */
const PARSE_AHEAD_AFTER_MS = 15;

/**
 * Parses files, newest first, while the step would otherwise sit waiting for a database far away (connecting, the
 * lock, the tracking table), so that the parse of the files that turn out to be pending (usually the newest) is
 * already done when they are prepared. The first file also loads the WebAssembly parser. One file at a time,
 * yielding between files, so the server's answers are handled as they arrive; `stop()` ends it (a long applied
 * history is never parsed whole). `finished` settles once the pass has ended, by running out of files or by `stop()`.
 */
export function parseAhead(
  files: MigrationFile[],
  afterMs = PARSE_AHEAD_AFTER_MS,
): { stop(): void; finished: Promise<void> } {
  let stopped = false;
  let ended: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => {
    ended = resolve;
  });
  const yieldToIo = () => new Promise((resolve) => setImmediate(resolve));
  const timer = setTimeout(() => {
    void (async () => {
      for (let i = files.length - 1; i >= 0 && !stopped; i--) {
        await splitPartsOnce(files[i] as MigrationFile).catch(() => undefined);
        await yieldToIo();
      }
      ended();
    })();
  }, afterMs);
  return {
    stop: () => {
      stopped = true;
      clearTimeout(timer);
      ended();
    },
    finished,
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
      ({ statements, trailing } = await splitPartsOnce(file));
    } catch (error) {
      if (!(error instanceof SqlSyntaxError)) throw error;
      problems.push({
        file,
        offset: error.offset,
        title: 'SQL syntax error',
        message: `${file.file}: ${error.message}`,
      });
      continue;
    }
    const { plan, problem } = planFile(file, statements);
    if (problem) problems.push(problem);
    const stored = statements.map((s) => s.stored);
    if (trailing) stored.push(trailing);
    prepared.push({ file, statements, stored, transactional: plan.mode === 'transaction', plan });
  }
  return { prepared, problems };
}

type FileStatus = 'applied' | 'pending' | 'changed' | 'missing' | 'out-of-order';

interface FileState {
  version: string;
  file?: MigrationFile;
  status: FileStatus;
}

export interface Comparison {
  states: FileState[];
  pending: MigrationFile[];
  /**
   * Blocking problems (drift, missing files, out of order), each a sentence naming the file or version; `at` is
   * the index file's line that orders the file, where an ordering problem is annotated.
   */
  problems: { message: string; file?: MigrationFile; at?: MigrationFile['at'] }[];
  /** The same findings when an allow-* input turned them into warnings. */
  warnings: { message: string; file?: MigrationFile; at?: MigrationFile['at'] }[];
  newestApplied?: string;
  /** The format's own advice, where it differs from the general one (FormatSpec.hints). */
  hints?: FormatSpec['hints'];
}

/**
 * The stored statements are the file's text minus the `;` between statements and the blank space around them,
 * whoever split it (the Supabase CLI or shipline): so without `;` and white space, they must equal the file.
 * No parsing needed, which keeps `status` fast on a long history. shipline's own comments are not part of the
 * migration: adding `-- shipline:no-transaction` to a file the CLI applied is not a change.
 */
const squash = (text: string) => withoutShiplineComments(text).replace(/[\s;]+/g, '');

function changed(format: FormatName, file: MigrationFile, row: AppliedRow): boolean {
  if (format === 'supabase')
    return row.statements !== undefined && squash(row.statements.join('\n')) !== squash(file.up);
  if (row.checksum === undefined || row.checksum === expectedChecksum(format, file)) return false;
  // The same file without shipline's comments (a marker added after another tool applied it), or, for rows written
  // before shipline left its comments out of checksums, the file as it is.
  const bare = { ...file, content: withoutShiplineComments(file.content), up: withoutShiplineComments(file.up) };
  if (row.checksum === expectedChecksum(format, { ...bare, checksum: file.checksum })) return false;
  return row.checksum !== checksumOf(file.up);
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
  const newestApplied = applied
    .map((r) => r.version)
    .sort(format.compare)
    .at(-1);
  const result: Comparison = {
    states: [],
    pending: [],
    problems: [],
    warnings: [],
    newestApplied,
    hints: format.hints,
  };
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
      const message = `${file.file} is not applied but is older than the newest applied version ${newestApplied}${format.hints?.late?.(file) ?? ''}`;
      (options.allowOutOfOrder ? result.warnings : result.problems).push({ message, file, at: file.at });
    }
  }
  for (const row of applied) {
    if (versions.has(row.version)) continue;
    result.states.push({ version: row.version, status: 'missing' });
    result.problems.push({
      message: `version ${row.version} is recorded in ${tracker.table} but no migration file has it (deleted or renamed?)`,
    });
  }
  result.states.sort((a, b) => format.compare(a.version, b.version));
  return result;
}

export interface SessionSettings {
  statementTimeoutMs?: number;
  lockTimeoutMs?: number;
  /**
   * PostgreSQL 14+: how often the server checks that we are still connected while a statement runs. Many files
   * are sent at once, so without it a killed or cancelled migrator's batch would still run to its end.
   */
  connectionCheckMs?: number;
}

function settingsList(settings: SessionSettings, scope: 'LOCAL' | 'SESSION'): string[] {
  const parts: string[] = [];
  if (settings.statementTimeoutMs !== undefined)
    parts.push(`SET ${scope} statement_timeout = ${Math.round(settings.statementTimeoutMs)}`);
  if (settings.lockTimeoutMs !== undefined)
    parts.push(`SET ${scope} lock_timeout = ${Math.round(settings.lockTimeoutMs)}`);
  if (settings.connectionCheckMs !== undefined)
    parts.push(`SET ${scope} client_connection_check_interval = ${settings.connectionCheckMs}`);
  return parts;
}

/** The settings every file runs with, from the inputs and what the server supports (reported when it connected). */
export function sessionSettings(
  db: Db,
  timeouts: { statementTimeoutMs?: number; lockTimeoutMs?: number },
): SessionSettings {
  return { ...timeouts, connectionCheckMs: serverVersionNum(db) >= 140000 ? 1000 : undefined };
}

/** A migration failed on the server (or the connection died while it ran); located in its file. */
export class StatementFailed extends ShiplineError {
  readonly file: MigrationFile;
  /** Character offset in the file the annotation points at. */
  readonly offset: number;
  readonly pg?: PgError;
  constructor(file: MigrationFile, offset: number, message: string, hint: string, pg?: PgError, cause?: unknown) {
    super(message, { hint, cause });
    this.file = file;
    this.offset = offset;
    this.pg = pg;
  }
}

/** What a server error says, in one line: message, SQLSTATE, detail and hint. */
function describePgError(pg: PgError): string {
  const extra = [pg.detail && `Detail: ${pg.detail}`, pg.hint && `Hint: ${pg.hint}`].filter(Boolean).join(' ');
  return `${pg.message}${pg.code ? ` (SQLSTATE ${pg.code})` : ''}${extra ? `. ${extra}` : ''}`;
}

/**
 * One unit of what is sent: statements of the file (`statement` = its index), or shipline's own around them.
 * `count` is how many SQL statements the text holds (a tracking row can take two), so that the count of completed
 * statements the server reports maps back to a command.
 */
interface Command {
  text: string;
  count: number;
  file: number;
  role: 'setup' | 'statement' | 'record' | 'commit' | 'timestamp';
  statement?: number;
  /** PostgreSQL refuses it in a multi-statement query (an implicit transaction block): it goes alone. */
  alone?: boolean;
  /** The COMMIT that makes the file applied, tracking row included. */
  completes?: boolean;
}

const TIMESTAMP = 'SELECT extract(epoch FROM clock_timestamp())::text';

/**
 * How many statements a piece of SQL that shipline writes holds (tracking rows, the golang-migrate mark): the same
 * for every file of a tracker (only literals differ), so parsed once per tracker and kind.
 */
const statementCounts = new WeakMap<Tracker, Map<string, number>>();
async function countStatements(tracker: Tracker, kind: 'record' | 'unsafe', sql: string): Promise<number> {
  const counts = statementCounts.get(tracker) ?? new Map<string, number>();
  statementCounts.set(tracker, counts);
  const known = counts.get(kind);
  if (known !== undefined) return known;
  const count = (await parseSql(sql)).stmts?.length ?? 1;
  counts.set(kind, count);
  return count;
}

/** A file's commands, in the order they run (see RunMode). */
async function fileCommands(
  index: number,
  p: Prepared,
  tracker: Tracker,
  settings: SessionSettings,
  quote: (v: string) => string,
): Promise<Command[]> {
  const commands: Command[] = [];
  const own = (text: string, role: Command['role'] = 'setup', extra: Partial<Command> = {}) =>
    commands.push({ text, count: 1, file: index, role, ...extra });
  const statement = (i: number, alone = false) =>
    commands.push({
      text: (p.statements[i] as Statement).sql,
      count: 1,
      file: index,
      role: 'statement',
      statement: i,
      alone,
    });
  // Asked for only where it runs: after beginUnsafe, where a tracker has one, so it can finish the row begun there.
  const record = async () => {
    // The file may have changed search_path; the tracking table is found through the session's own.
    own('RESET search_path');
    const text = tracker.record(p.file, p.stored, quote);
    commands.push({ text, count: await countStatements(tracker, 'record', text), file: index, role: 'record' });
  };
  const { plan } = p;
  const all = p.statements.length;
  // RESET ALL first: a SET in the previous file must not leak into this one.
  own('RESET ALL');
  if (plan.mode === 'transaction') {
    own('BEGIN');
    const start = tracker.startFile?.(p.file);
    if (start) own(start);
    for (const q of settingsList(settings, 'LOCAL')) own(q);
    for (let i = 0; i < all; i++) statement(i);
    await record();
    own('COMMIT', 'commit', { completes: true });
  } else {
    for (const q of settingsList(settings, 'SESSION')) own(q);
    const unsafe = tracker.beginUnsafe?.(p.file, quote);
    if (unsafe)
      commands.push({
        text: unsafe,
        count: await countStatements(tracker, 'unsafe', unsafe),
        file: index,
        role: 'setup',
      });
    for (let i = 0; i < plan.before; i++) statement(i, true);
    const body = [plan.before, all - plan.after] as const;
    if (body[1] > body[0]) {
      // As written: the file's own BEGIN/COMMIT divide it, exactly as in the Supabase CLI's batch. Statements after
      // its last COMMIT then join the tracking row's transaction below (the BEGIN there takes them in).
      if (!plan.asWritten) own('BEGIN');
      for (let i = body[0]; i < body[1]; i++) statement(i);
      if (!plan.asWritten && plan.after === 0) {
        await record();
        own('COMMIT', 'commit', { completes: true });
      } else if (!plan.asWritten) own('COMMIT', 'commit');
    }
    for (let i = all - plan.after; i < all; i++) statement(i, true);
    if (!commands.some((c) => c.completes)) {
      own('BEGIN');
      await record();
      own('COMMIT', 'commit', { completes: true });
    }
  }
  own(TIMESTAMP, 'timestamp');
  return commands;
}

/**
 * A simple-protocol query that counts its completed statements, so that when one statement of a batch fails we
 * know which (the count of CommandComplete messages before the error; node-postgres's Submittable interface), and
 * keeps the first value of the rows of chosen statements (the server's clock between files).
 */
class CountingQuery extends pg.Query {
  completed = 0;
  readonly kept = new Map<number, string>();
  constructor(
    text: string,
    private readonly keep: Set<number>,
    /** Called as each statement's completion arrives, with the number completed so far: files are reported as they do. */
    private readonly progress: (completed: number, kept: Map<number, string>) => void,
  ) {
    super(text);
  }
  handleDataRow(message: { fields: unknown[] }): void {
    if (this.keep.has(this.completed)) this.kept.set(this.completed, String(message.fields[0]));
    (pg.Query.prototype as unknown as { handleDataRow(m: unknown): void }).handleDataRow.call(this, message);
  }
  handleCommandComplete(message: unknown, connection: unknown): void {
    this.completed++;
    (
      pg.Query.prototype as unknown as { handleCommandComplete(m: unknown, c: unknown): void }
    ).handleCommandComplete.call(this, message, connection);
    this.progress(this.completed, this.kept);
  }
}

interface Sent {
  completed: number;
  values: Map<number, string>;
  error?: unknown;
}

function send(
  db: ClientBase,
  text: string,
  keep: Set<number>,
  progress: (completed: number, kept: Map<number, string>) => void,
): Promise<Sent> {
  const query = new CountingQuery(text, keep, progress);
  return new Promise((resolve) => {
    query.on('end', () => resolve({ completed: query.completed, values: query.kept }));
    query.on('error', (error: Error) => resolve({ completed: query.completed, values: query.kept, error }));
    db.query(query as unknown as pg.QueryConfig);
  });
}

/** UTF-16 index in `text` of the 1-based character position PostgreSQL reports (it counts code points). */
function indexOfPosition(text: string, position: number): number {
  let index = 0;
  for (let n = 1; n < position && index < text.length; n++) index += (text.codePointAt(index) ?? 0) > 0xffff ? 2 : 1;
  return index;
}

/** The sentence a failure's hint gives: what stays applied after a failure in this part of this file. */
function afterFailure(p: Prepared, command: Command): string {
  const { plan } = p;
  switch (plan.mode) {
    case 'transaction':
      return 'The file was rolled back: nothing of it is applied, and no later migration ran.';
    case 'no-transaction':
      return 'This file runs outside a transaction: the statements before this one stay applied and the file is not recorded. Make its statements safe to run again (IF NOT EXISTS), fix it, and run again.';
    case 'own-transactions':
      return 'This file runs its own BEGIN/COMMIT as written: what it committed before the failure stays applied, the open transaction was rolled back, and the file is not recorded; no later migration ran.';
    default: {
      const i = command.statement ?? -1;
      if (command.role === 'statement' && i < plan.before)
        return `This statement runs outside a transaction at the start of the file: the statements before it in the file stay applied, nothing after it ran, and the file is not recorded. A failed CREATE INDEX CONCURRENTLY leaves an INVALID index: drop it before running again.`;
      if (command.role === 'statement' && i >= p.statements.length - plan.after)
        return `This statement runs outside the transaction at the end of the file: the rest of the file before it is committed, and the file is not recorded, so the next run runs that part again (make it safe to, e.g. IF NOT EXISTS, or move this statement to a file of its own). A failed CREATE INDEX CONCURRENTLY leaves an INVALID index: drop it before running again.`;
      return `The file's transaction was rolled back${plan.before > 0 ? '; the statement(s) it runs on their own before it stay applied (the next run runs them again: IF NOT EXISTS makes that safe)' : ''}; the file is not recorded, and no later migration ran.`;
    }
  }
}

/** Any failure while a command ran, as a StatementFailed at its place in the file. */
function locate(
  error: unknown,
  p: Prepared,
  command: Command,
  query: string,
  sentAt: number,
  tracker: Tracker,
): StatementFailed {
  const s = command.statement !== undefined ? p.statements[command.statement] : undefined;
  const last = p.statements.at(-1);
  const hint = afterFailure(p, command);
  const pgError = isPgError(error) ? error : undefined;
  const reason = pgError
    ? describePgError(pgError)
    : `the connection failed: ${(error as Error)?.message ?? String(error)}`;
  if (s) {
    // The server's position is 1-based, in characters of the whole query as sent.
    const within = pgError?.position ? indexOfPosition(query, Number(pgError.position)) - sentAt : 0;
    const offset = within >= 0 && within <= s.sql.length ? s.offset + within : s.offset;
    return new StatementFailed(p.file, offset, `${p.file.file}: ${reason}`, hint, pgError, error);
  }
  // Not one of the file's statements: shipline's own around them. Before the first statement, it is located at the
  // file's start; after it (the tracking row, the COMMIT that checks deferred constraints), at the file's end.
  const afterStatements =
    command.role === 'record' || command.role === 'commit' || (command.role === 'timestamp' && p.statements.length > 0);
  const offset = afterStatements && last ? last.end : (p.statements[0]?.offset ?? p.file.upOffset);
  const where =
    command.role === 'record'
      ? ` while recording it in ${tracker.table}`
      : command.role === 'commit'
        ? ' at COMMIT, after its last statement'
        : afterStatements
          ? ' after its last statement'
          : ' before its first statement';
  return new StatementFailed(p.file, offset, `${p.file.file}${where}: ${reason}`, hint, pgError, error);
}

/** Pending files are sent in batches of up to this many characters of SQL (a file is never cut in two). */
const BATCH_CHARS = 512 * 1024;

/** The tracking table could not be created: no file ran. */
export class TrackingSetupFailed extends ShiplineError {}

/**
 * The connection was lost after a file's COMMIT went out and before its answer came back: the server may have
 * committed the file (tracking row included) or not. `files` are those files, in order.
 */
export class FateUnknown extends ShiplineError {
  constructor(
    readonly files: Prepared[],
    readonly table: string,
    readonly reason: string,
    cause: unknown,
  ) {
    super(`${lostAfterCommit(files, reason)}: ${fateUnknown(files, table)}`, {
      hint: 'The next run reads the tracking table and applies only what is not recorded there.',
      cause,
    });
  }
}

const names = (files: readonly Prepared[]) => files.map((p) => p.file.file).join(', ');

export function lostAfterCommit(files: readonly Prepared[], reason: string): string {
  return `The connection to the database was lost (${reason}) after the COMMIT of ${names(files)} was sent`;
}

/** The sentence for files whose COMMIT was sent without an answer (also the step timeout's, commands/apply.ts). */
export function fateUnknown(files: readonly Prepared[], table: string): string {
  const one = files.length === 1;
  return `the fate of ${names(files)} is unknown (the server may have committed ${one ? 'it' : 'them'} before the connection went): check ${table} for ${one ? 'its version' : 'their versions'}`;
}

/**
 * Applies the pending files in order and records each, calling `applied` once a file is committed with how long
 * it took on the server. `setup` (Tracker.setup: the tracking table where it is missing) goes first, in the same
 * query as the first file, and joins its transaction. Files are pipelined: consecutive files go to the server as one multi-statement query
 * (each still its own transaction with its tracking row), so the number of round trips does not grow with the
 * number of files; a statement PostgreSQL refuses in a multi-statement query goes alone. The server stops a
 * query at its first error, so a failure stops the rest, the files before it stay committed, and the count of
 * completed statements says which file and statement failed.
 */
export async function applyAll(
  db: Db,
  tracker: Tracker,
  pending: Prepared[],
  settings: SessionSettings,
  applied: (p: Prepared, ms: number) => void,
  setup = '',
  batchChars = BATCH_CHARS,
  /** Called as a batch goes out, with the files whose COMMIT it carries (their fate is unknown until it answers). */
  committing: (files: Prepared[]) => void = () => undefined,
): Promise<{ roundTrips: number }> {
  if (pending.length === 0) return { roundTrips: 0 };
  const quote = quoteLiteral;
  const queue: Command[] = [{ text: TIMESTAMP, count: 1, file: -1, role: 'timestamp' }];
  if (setup) queue.unshift({ text: setup, count: (await parseSql(setup)).stmts?.length ?? 1, file: -1, role: 'setup' });
  let roundTrips = 0;
  let clock: number | undefined; // the server's clock after the last committed file, in ms
  let started = performance.now();
  const run = async (commands: Command[]) => {
    if (commands.length === 0) return;
    let text = '';
    const starts: number[] = [];
    const keep = new Set<number>();
    let n = 0;
    for (const c of commands) {
      starts.push(text.length);
      if (c.role === 'timestamp') keep.add(n);
      n += c.count;
      text += `${c.text};\n`;
    }
    roundTrips++;
    const commits = (from: number) =>
      commands.slice(from).flatMap((c) => (c.completes ? [pending[c.file] as Prepared] : []));
    committing(commits(0));
    // Each file is reported as soon as its answers arrive (its clock reading, after its COMMIT), while the rest of
    // the batch still runs. The server sends a query's answers whenever its 8 kB output buffer fills and at the end,
    // so a long batch shows progress in steps of a few dozen files, and little is left to do after the last answer.
    let done = 0;
    let next = 0;
    let reportFailure: unknown;
    const report = (completed: number, values: Map<number, string>) => {
      for (let c = commands[next]; c && done + c.count <= completed; c = commands[++next]) {
        done += c.count;
        if (c.role !== 'timestamp') continue;
        const now = Number(values.get(done - 1)) * 1000;
        try {
          if (c.file >= 0 && clock !== undefined && Number.isFinite(now))
            applied(pending[c.file] as Prepared, now - clock);
          else if (c.file >= 0) applied(pending[c.file] as Prepared, performance.now() - started);
        } catch (error) {
          reportFailure ??= error; // thrown once the query has ended, not inside the driver's message handler
        }
        clock = Number.isFinite(now) ? now : undefined;
        started = performance.now();
      }
    };
    const sent = await send(db, text, keep, report);
    report(sent.completed, sent.values);
    if (reportFailure) throw reportFailure;
    // The first command the server did not complete, if any: it failed, or the connection died while it ran.
    const c = commands[next];
    if (c) {
      if (transactionStatus(db) !== 'I') await db.query('ROLLBACK').catch(() => undefined);
      const p = pending[c.file] as Prepared | undefined;
      if (!p && c.role === 'setup')
        throw new TrackingSetupFailed(
          `Cannot create the tracking table ${tracker.table}: ${isPgError(sent.error) ? describePgError(sent.error) : (sent.error as Error)?.message}`,
          {
            hint: 'Nothing was applied. The user in database-url needs to be able to create it (CREATE on the database, or on the schema it goes in).',
            cause: sent.error,
          },
        );
      if (!p) throw sent.error;
      // No server error but a lost connection: a COMMIT that went out may have been carried out, answer unseen.
      const unanswered = isPgError(sent.error) ? [] : commits(next);
      if (unanswered.length > 0)
        throw new FateUnknown(
          unanswered,
          tracker.table,
          (sent.error as Error)?.message ?? String(sent.error),
          sent.error,
        );
      throw locate(sent.error, p, c, text, starts[next] as number, tracker);
    }
    if (sent.error) throw sent.error;
  };
  let batch: Command[] = [];
  let size = 0;
  for (const [index, p] of pending.entries()) {
    const commands = [...queue.splice(0), ...(await fileCommands(index, p, tracker, settings, quote))];
    if (size > 0 && size + commands.reduce((sum, c) => sum + c.text.length, 0) > batchChars) {
      await run(batch);
      batch = [];
      size = 0;
    }
    for (const c of commands) {
      if (c.alone) {
        await run(batch);
        await run([c]);
        batch = [];
        size = 0;
      } else {
        batch.push(c);
        size += c.text.length;
      }
    }
  }
  await run(batch);
  return { roundTrips };
}
