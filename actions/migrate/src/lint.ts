// Lint rules for what a migration will lock or destroy, named as squawk names them so teams recognise them.
// Each rule looks at the parse tree; `-- shipline-ignore <rule>` in the comments before a statement silences it.
import type { Severity } from './inputs.js';
import { parsePlpgsql, parseSql } from './pg-parser.js';
import type { Statement } from './sql.js';

export interface Finding {
  rule: string;
  message: string;
  /** Index of the statement in its file. */
  statement: number;
  /** Character offset in the file of a statement inside a DO block, which is where the finding points. */
  offset?: number;
}

export const RULES: Record<string, { severity: Severity; description: string }> = {
  'require-concurrent-index-creation': {
    severity: 'warning',
    description: 'CREATE INDEX without CONCURRENTLY on an existing table blocks writes while it builds',
  },
  'require-concurrent-index-deletion': {
    severity: 'warning',
    description: 'DROP INDEX without CONCURRENTLY blocks reads and writes of the table',
  },
  'constraint-missing-not-valid': {
    severity: 'warning',
    description:
      'a FOREIGN KEY or CHECK added without NOT VALID (or validated in the transaction that added it) scans the table under a lock',
  },
  'adding-field-with-default': {
    severity: 'warning',
    description:
      'a column with a volatile default, a serial, identity or stored generated column rewrites the whole table',
  },
  'adding-required-field': {
    severity: 'warning',
    description: 'a NOT NULL column without a default fails on a table with rows',
  },
  'adding-not-nullable-field': {
    severity: 'warning',
    description: 'SET NOT NULL scans the whole table under an ACCESS EXCLUSIVE lock',
  },
  'adding-serial-primary-key-field': {
    severity: 'warning',
    description: 'ADD PRIMARY KEY without USING INDEX builds its index under an ACCESS EXCLUSIVE lock',
  },
  'disallowed-unique-constraint': {
    severity: 'warning',
    description: 'ADD UNIQUE without USING INDEX builds its index under an ACCESS EXCLUSIVE lock',
  },
  'changing-column-type': {
    severity: 'warning',
    description: 'changing a column type usually rewrites the table under an ACCESS EXCLUSIVE lock',
  },
  'ban-drop-table': { severity: 'warning', description: 'DROP TABLE destroys data; code still running may use it' },
  'ban-drop-column': { severity: 'warning', description: 'DROP COLUMN destroys data; code still running may use it' },
  'ban-drop-database': { severity: 'warning', description: 'DROP DATABASE destroys everything in it' },
  'renaming-column': { severity: 'warning', description: 'renaming a column breaks code still using the old name' },
  'renaming-table': { severity: 'warning', description: 'renaming a table breaks code still using the old name' },
  'ban-truncate-cascade': {
    severity: 'warning',
    description: 'TRUNCATE … CASCADE empties every table that references this one',
  },
  'require-lock-timeout': {
    severity: 'warning',
    description:
      "statements that lock existing tables without a lock_timeout can queue every query behind them (SET lock_timeout, or input 'migration-lock-timeout')",
  },
  'unlinted-dynamic-sql': {
    severity: 'warning',
    description:
      'SQL a DO block builds at run time (EXECUTE of an expression), or a DO body that does not parse, cannot be linted',
  },
};

/** Functions whose default value differs per row, so adding a column with it rewrites the table. */
const VOLATILE = new Set([
  'random',
  'gen_random_uuid',
  'uuid_generate_v4',
  'uuid_generate_v1',
  'clock_timestamp',
  'timeofday',
  'nextval',
  'txid_current',
  'statement_timestamp',
]);

/** Column types whose default is nextval() of a new sequence: adding one fills every row. */
export const SERIAL_TYPES = new Set(['smallserial', 'serial', 'bigserial', 'serial2', 'serial4', 'serial8']);

/** A table's name as the lint compares names: `public.x` and `x` are the same table (public is the default schema). */
const tableName = (schema: string | undefined, name: string | undefined): string =>
  schema && schema !== 'public' ? `${schema}.${name}` : String(name ?? '');

export const relName = (rv: any): string => (rv ? tableName(rv.schemaname, rv.relname) : '');

/** The names of a parse-tree name list (`List` of `String`). */
const namesOf = (object: any): string[] => (object?.List?.items ?? []).map((i: any) => i.String?.sval);

/** The table of a `DROP POLICY p ON t` / `DROP TRIGGER tr ON t` object (its name list minus the last item). */
function ownerTable(object: any): string {
  const names = namesOf(object);
  return names.length >= 2 ? tableName(names.length > 2 ? names[0] : undefined, names[names.length - 2]) : '';
}

/** The relation a `DROP TABLE` / `DROP VIEW` / `DROP INDEX` object names. */
export function droppedTable(object: any): string {
  const names = namesOf(object);
  return tableName(names.length > 1 ? names[names.length - 2] : undefined, names[names.length - 1]);
}

/**
 * A column's type as far as rewrites go: its name (varchar, numeric, timestamptz, …) and its modifiers: varchar's
 * and varbit's length limit, the precision of numeric and the time types, numeric's scale, interval's field range.
 */
export interface ColumnType {
  name: string;
  length?: number;
  precision?: number;
  scale?: number;
  /** interval's field range as the parser encodes it; INTERVAL_FULL_RANGE when it has none. */
  range?: number;
}

/** `interval` without fields (`interval(3)`, not `interval day to second`): PostgreSQL's INTERVAL_FULL_RANGE. */
const INTERVAL_FULL_RANGE = 0x7fff;
/** The time types keep at most 6 fractional digits: a precision of 6 or more is no limit at all. */
const MAX_TIME_PRECISION = 6;
const TIME_TYPES = new Set(['timestamp', 'timestamptz', 'time', 'timetz']);

/** The integer of an A_Const (the parse tree's JSON leaves out a zero: `{ ival: {} }`), else undefined. */
const intOf = (node: any): number | undefined => (node?.A_Const?.ival ? (node.A_Const.ival.ival ?? 0) : undefined);

/** The type of a parse-tree TypeName. */
export function typeOf(typeName: any): ColumnType | undefined {
  const names = (typeName?.names ?? []).map((n: any) => n.String?.sval);
  const base = names[names.length - 1];
  if (!base) return undefined;
  // An array of a type is another type: only an identical array type is known to need no rewrite.
  const name = `${base}${'[]'.repeat((typeName.arrayBounds ?? []).length)}`;
  const mods: number[] = (typeName.typmods ?? []).map(intOf).filter((m: unknown): m is number => typeof m === 'number');
  if (name === 'varchar' || name === 'varbit') return { name, length: mods[0] };
  if (TIME_TYPES.has(name)) return { name, precision: mods[0] };
  if (name === 'numeric') return mods.length > 0 ? { name, precision: mods[0], scale: mods[1] ?? 0 } : { name };
  if (name === 'interval') return { name, range: mods[0] ?? INTERVAL_FULL_RANGE, precision: mods[1] };
  return mods.length > 0 ? { name, length: mods[0] } : { name };
}

/** A type as format_type() prints it (`character varying(255)`, `numeric(10,2)`, …), for columns read from the database. */
export function parseFormattedType(formatted: string): ColumnType {
  let m = /^(character varying|bit varying)(?:\((\d+)\))?$/.exec(formatted);
  if (m) return { name: m[1] === 'bit varying' ? 'varbit' : 'varchar', length: m[2] ? Number(m[2]) : undefined };
  m = /^(timestamp|time)(?:\((\d+)\))? (with|without) time zone$/.exec(formatted);
  if (m) return { name: `${m[1]}${m[3] === 'with' ? 'tz' : ''}`, precision: m[2] ? Number(m[2]) : undefined };
  m = /^numeric(?:\((\d+)(?:,(\d+))?\))?$/.exec(formatted);
  if (m) return m[1] ? { name: 'numeric', precision: Number(m[1]), scale: Number(m[2] ?? 0) } : { name: 'numeric' };
  m = /^interval( [a-z ]+?)?(?:\((\d+)\))?$/.exec(formatted);
  // A field list (`interval day to second`) is some range other than the full one; which one does not matter here.
  if (m) return { name: 'interval', range: m[1] ? 0 : INTERVAL_FULL_RANGE, precision: m[2] ? Number(m[2]) : undefined };
  return { name: formatted };
}

/** A limit of at least `from`'s, where undefined is no limit: what the length and precision rules below share. */
const atLeast = (from: number | undefined, to: number | undefined, max = Infinity): boolean =>
  to === undefined || to >= max || (from !== undefined && from < max && to >= from);

/**
 * PostgreSQL changes these types without rewriting the table or its indexes (its length-coercion support
 * functions, varchar_support, numeric_support, timestamp_support, time_support, interval_support, turn the
 * conversion into a relabel): a longer or no varchar/varbit limit; varchar ↔ text without a limit
 * (binary-coercible); more precision for the time types and interval; more numeric precision at the same scale, or
 * none; and the same type with the same modifiers.
 */
export function widensWithoutRewrite(from: ColumnType, to: ColumnType): boolean {
  const unbounded = (t: ColumnType) => t.name === 'text' || (t.name === 'varchar' && t.length === undefined);
  if (from.name !== to.name) return (from.name === 'varchar' || from.name === 'text') && unbounded(to);
  if (from.name === 'varchar' || from.name === 'varbit') return atLeast(from.length, to.length);
  if (TIME_TYPES.has(from.name)) return atLeast(from.precision, to.precision, MAX_TIME_PRECISION);
  if (from.name === 'numeric')
    return (
      to.precision === undefined ||
      (from.precision !== undefined && to.scale === from.scale && to.precision >= from.precision)
    );
  if (from.name === 'interval')
    return to.range === INTERVAL_FULL_RANGE && atLeast(from.precision, to.precision, MAX_TIME_PRECISION);
  return from.length === to.length && from.precision === to.precision && from.scale === to.scale;
}

/** The columns whose type a file changes (`table.column`), so their current type can be looked up first. */
export function alteredColumns(statements: Statement[]): { table: string; column: string }[] {
  const found: { table: string; column: string }[] = [];
  for (const s of statements)
    if (s.kind === 'AlterTableStmt')
      for (const { AlterTableCmd: cmd } of s.node.cmds ?? [])
        if (cmd?.subtype === 'AT_AlterColumnType')
          found.push({ table: relName(s.node.relation), column: String(cmd.name) });
  return found;
}

function funcNames(node: unknown, into: string[] = []): string[] {
  if (Array.isArray(node)) for (const n of node) funcNames(n, into);
  else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === 'FuncCall') {
        const names = ((value as any).funcname ?? []).map((n: any) => n.String?.sval);
        into.push(String(names[names.length - 1] ?? '').toLowerCase());
      }
      funcNames(value, into);
    }
  }
  return into;
}

export function constraintsOf(column: any): any[] {
  return (column?.constraints ?? []).map((c: any) => c.Constraint).filter(Boolean);
}

/** Relations a statement creates: tables (CREATE TABLE, … AS, SELECT … INTO), views, materialized views, indexes. */
export function createdBy(s: Pick<Statement, 'kind' | 'node'>): string | undefined {
  if (s.kind === 'CreateStmt') return relName(s.node.relation);
  if (s.kind === 'CreateTableAsStmt') return relName(s.node.into?.rel);
  if (s.kind === 'SelectStmt' && s.node.intoClause) return relName(s.node.intoClause.rel);
  if (s.kind === 'ViewStmt') return relName(s.node.view);
  if (s.kind === 'IndexStmt' && s.node.idxname) return tableName(s.node.relation?.schemaname, s.node.idxname);
  return undefined;
}

type LockMode = 'ACCESS EXCLUSIVE' | 'EXCLUSIVE' | 'SHARE ROW EXCLUSIVE' | 'SHARE';

/** LOCK TABLE's modes by the parser's number, from SHARE up: the ones that block writes. */
const LOCK_MODES: Record<number, LockMode> = {
  5: 'SHARE',
  6: 'SHARE ROW EXCLUSIVE',
  7: 'EXCLUSIVE',
  8: 'ACCESS EXCLUSIVE',
};

/**
 * ALTER TABLE sub-commands that take only SHARE UPDATE EXCLUSIVE, which blocks neither reads nor writes (the lock
 * table of PostgreSQL's ALTER TABLE page). An ALTER TABLE made of these alone queues no query behind it.
 */
const SHARE_UPDATE_EXCLUSIVE = new Set([
  'AT_SetStatistics',
  'AT_SetOptions',
  'AT_ResetOptions',
  'AT_SetRelOptions',
  'AT_ResetRelOptions',
  'AT_ValidateConstraint',
  'AT_ClusterOn',
  'AT_DropCluster',
]);

/** Sub-commands that take SHARE ROW EXCLUSIVE (triggers switched on or off): writes wait, reads do not. */
const SHARE_ROW_EXCLUSIVE = new Set([
  'AT_EnableTrig',
  'AT_EnableAlwaysTrig',
  'AT_EnableReplicaTrig',
  'AT_EnableTrigAll',
  'AT_EnableTrigUser',
  'AT_DisableTrig',
  'AT_DisableTrigAll',
  'AT_DisableTrigUser',
]);

/** The tables a statement's foreign keys reference: adding a foreign key locks them SHARE ROW EXCLUSIVE. */
function referencedTables(constraints: any[]): string[] {
  return constraints.filter((c) => c?.contype === 'CONSTR_FOREIGN').map((c) => relName(c.pktable));
}

/** Every constraint of an ALTER TABLE's sub-commands: added ones and those inline in an added column. */
function alterConstraints(n: any): any[] {
  return (n.cmds ?? []).flatMap(({ AlterTableCmd: cmd }: any) =>
    cmd?.subtype === 'AT_AddConstraint'
      ? [cmd.def?.Constraint]
      : cmd?.subtype === 'AT_AddColumn'
        ? constraintsOf(cmd.def?.ColumnDef)
        : [],
  );
}

/** Every constraint of a CREATE TABLE: table constraints and column constraints. */
function createConstraints(n: any): any[] {
  return (n.tableElts ?? []).flatMap((e: any) => (e.Constraint ? [e.Constraint] : constraintsOf(e.ColumnDef)));
}

function alterTableLock(n: any): LockMode | undefined {
  const cmds: any[] = (n.cmds ?? []).map((c: any) => c.AlterTableCmd).filter(Boolean);
  const concurrentDetach = (cmd: any) => cmd.subtype === 'AT_DetachPartition' && cmd.def?.PartitionCmd?.concurrent;
  if (
    cmds.every(
      (cmd) => SHARE_UPDATE_EXCLUSIVE.has(cmd.subtype) || concurrentDetach(cmd) || cmd.subtype === 'AT_AttachPartition',
    )
  )
    return undefined;
  const addsForeignKey = (cmd: any) =>
    cmd.subtype === 'AT_AddConstraint' && cmd.def?.Constraint?.contype === 'CONSTR_FOREIGN';
  if (
    cmds.every(
      (cmd) => SHARE_UPDATE_EXCLUSIVE.has(cmd.subtype) || SHARE_ROW_EXCLUSIVE.has(cmd.subtype) || addsForeignKey(cmd),
    )
  )
    return 'SHARE ROW EXCLUSIVE';
  return 'ACCESS EXCLUSIVE';
}

const hasOption = (options: any[] | undefined, name: string) =>
  (options ?? []).some(
    (o: any) =>
      o.DefElem?.defname === name &&
      o.DefElem.arg?.Boolean?.boolval !== false &&
      o.DefElem.arg?.String?.sval !== 'false',
  );

/**
 * The first lock a statement takes that blocks reads or writes of a relation that existed before the file, in
 * the order the server takes them; undefined when it takes none. PostgreSQL's lock table (explicit locking) and
 * each command's page say which lock: ACCESS EXCLUSIVE for most ALTER TABLE forms, policies, DROP, TRUNCATE, a
 * replaced view, a non-concurrent materialized-view refresh, CLUSTER, VACUUM FULL and a partition created under a
 * parent; SHARE ROW EXCLUSIVE for triggers and for the table a new foreign key references (also from a new table);
 * SHARE for a non-concurrent index build or REINDEX; LOCK TABLE in SHARE mode or stronger.
 */
function blockingLock(s: Statement, created: ReadonlySet<string>): { relation: string; mode: LockMode } | undefined {
  const existing = (relation: string) => relation !== '' && !created.has(relation);
  const first = (...candidates: [string, LockMode | undefined][]) => {
    const found = candidates.find(([relation, mode]) => mode && existing(relation));
    return found ? { relation: found[0], mode: found[1] as LockMode } : undefined;
  };
  const n = s.node;
  const references = (constraints: any[]) =>
    referencedTables(constraints).map((t): [string, LockMode] => [t, 'SHARE ROW EXCLUSIVE']);
  switch (s.kind) {
    case 'AlterTableStmt': {
      const attached = (n.cmds ?? [])
        .filter(({ AlterTableCmd: c }: any) => c?.subtype === 'AT_AttachPartition')
        .map(({ AlterTableCmd: c }: any): [string, LockMode] => [
          relName(c.def?.PartitionCmd?.name),
          'ACCESS EXCLUSIVE',
        ]);
      return first([relName(n.relation), alterTableLock(n)], ...attached, ...references(alterConstraints(n)));
    }
    case 'CreateStmt': {
      const parents = n.partbound
        ? (n.inhRelations ?? []).map((r: any): [string, LockMode] => [relName(r.RangeVar), 'ACCESS EXCLUSIVE'])
        : [];
      return first(...parents, ...references(createConstraints(n)));
    }
    case 'IndexStmt':
      return n.concurrent ? undefined : first([relName(n.relation), 'SHARE']);
    case 'CreatePolicyStmt':
    case 'AlterPolicyStmt':
      return first([relName(n.table), 'ACCESS EXCLUSIVE']);
    case 'CreateTrigStmt':
      return first([relName(n.relation), 'SHARE ROW EXCLUSIVE']);
    case 'RenameStmt':
      // ALTER INDEX … RENAME takes SHARE UPDATE EXCLUSIVE (PostgreSQL 12 and later); renames of other objects that
      // are not relations (schemas, types, functions) lock no table.
      return n.renameType === 'OBJECT_INDEX' || !n.relation
        ? undefined
        : first([relName(n.relation), 'ACCESS EXCLUSIVE']);
    case 'TruncateStmt':
      return first(
        ...(n.relations ?? []).map((r: any): [string, LockMode] => [relName(r.RangeVar), 'ACCESS EXCLUSIVE']),
      );
    case 'DropStmt': {
      const objects: any[] = n.objects ?? [];
      if (['OBJECT_TABLE', 'OBJECT_VIEW', 'OBJECT_MATVIEW', 'OBJECT_FOREIGN_TABLE'].includes(n.removeType))
        return first(...objects.map((o): [string, LockMode] => [droppedTable(o), 'ACCESS EXCLUSIVE']));
      if (['OBJECT_POLICY', 'OBJECT_TRIGGER', 'OBJECT_RULE'].includes(n.removeType))
        return first(...objects.map((o): [string, LockMode] => [ownerTable(o), 'ACCESS EXCLUSIVE']));
      if (n.removeType === 'OBJECT_INDEX' && !n.concurrent)
        return first(...objects.map((o): [string, LockMode] => [droppedTable(o), 'ACCESS EXCLUSIVE']));
      return undefined;
    }
    case 'ViewStmt':
      return n.replace ? first([relName(n.view), 'ACCESS EXCLUSIVE']) : undefined;
    case 'RefreshMatViewStmt':
      return n.concurrent ? undefined : first([relName(n.relation), 'ACCESS EXCLUSIVE']);
    case 'LockStmt':
      return first(
        ...(n.relations ?? []).map((r: any): [string, LockMode | undefined] => [
          relName(r.RangeVar),
          LOCK_MODES[n.mode ?? 8],
        ]),
      );
    case 'ClusterStmt':
      return first([n.relation ? relName(n.relation) : 'every clustered table', 'ACCESS EXCLUSIVE']);
    case 'VacuumStmt': {
      if (!n.is_vacuumcmd || !hasOption(n.options, 'full')) return undefined;
      const rels: any[] = n.rels ?? [];
      return rels.length === 0
        ? first(['every table of the database', 'ACCESS EXCLUSIVE'])
        : first(...rels.map((r): [string, LockMode] => [relName(r.VacuumRelation?.relation), 'ACCESS EXCLUSIVE']));
    }
    case 'ReindexStmt':
      if (hasOption(n.params, 'concurrently')) return undefined;
      if (n.relation)
        return first([relName(n.relation), n.kind === 'REINDEX_OBJECT_INDEX' ? 'ACCESS EXCLUSIVE' : 'SHARE']);
      return first([`every index of ${String(n.name ?? 'the database')}`, 'SHARE']);
    default:
      return undefined;
  }
}

/**
 * What a statement does to lock_timeout: true when it sets a limit, false when it switches the limit off (0) or
 * back to the server's default, undefined when it leaves it alone. `SET`, `SET LOCAL`, `RESET` and
 * `SELECT set_config('lock_timeout', …)` count.
 */
function lockTimeoutChange(s: Statement): boolean | 'default' | undefined {
  if (s.kind === 'VariableSetStmt' && s.node.name === 'lock_timeout') {
    if (s.node.kind === 'VAR_RESET' || s.node.kind === 'VAR_SET_DEFAULT') return 'default';
    const value = s.node.args?.[0];
    return !isZeroDuration(intOf(value) ?? value?.A_Const?.sval?.sval);
  }
  if (s.kind === 'SelectStmt') {
    for (const target of s.node.targetList ?? []) {
      const call = target.ResTarget?.val?.FuncCall;
      const name = call?.funcname?.at(-1)?.String?.sval;
      const [setting, value] = (call?.args ?? []).map((a: any) => a.A_Const?.sval?.sval ?? intOf(a));
      if (name === 'set_config' && setting === 'lock_timeout') return !isZeroDuration(value);
    }
  }
  return undefined;
}

const isZeroDuration = (value: unknown) =>
  value === 0 || (typeof value === 'string' && /^\s*0+(\.0*)?\s*(ms|s|min|h|d)?\s*$/i.test(value));

/** A SET NOT NULL is satisfied without a scan by a validated CHECK (col IS NOT NULL) on the table. */
interface NotNullCheck {
  column: string;
  validated: boolean;
}

/** What lint learns from one file for the next: column types and CHECK (col IS NOT NULL) constraints. */
export interface LintMemory {
  /** `table.column` → type. */
  columns: Map<string, ColumnType>;
  /** `table.constraint` → the column the CHECK proves not null, and whether it is validated. */
  notNullChecks: Map<string, NotNullCheck>;
  /** Functions the files created, by name → whether they are VOLATILE (what CREATE FUNCTION gives unless told). */
  functions?: Map<string, boolean>;
}

/** The column a CHECK constraint proves NOT NULL (`CHECK (col IS NOT NULL)`), if that is all it says. */
function notNullColumnOf(c: any): string | undefined {
  const test = c?.raw_expr?.NullTest;
  const fields = test?.arg?.ColumnRef?.fields ?? [];
  return test?.nulltesttype === 'IS_NOT_NULL' && fields.length === 1 ? fields[0].String?.sval : undefined;
}

/** A statement inside a DO block's body: its SQL parsed as the server would run it, and where it is in the file. */
export interface NestedStatement {
  kind: string;
  node: any;
  offset: number;
}

/** What a DO block holds: the statements lint can read, and where it met SQL it cannot (built at run time). */
export interface DoBody {
  statements: NestedStatement[];
  unlinted: { offset: number; why: string }[];
}

/**
 * All findings of one file, before ignores and severities. `memory` holds what is known before this file — column
 * types from the database or earlier files, CHECK (col IS NOT NULL) constraints of earlier files — and is updated
 * with this file's. `transactional`: the file runs in one transaction (so a VALIDATE in it gains nothing).
 * `doBodies`: the parsed bodies of the file's DO blocks by statement index (`parseDoBodies`).
 */
export function lintStatements(
  statements: Statement[],
  options: {
    lockTimeoutSet: boolean;
    columns?: Map<string, ColumnType>;
    memory?: LintMemory;
    transactional?: boolean;
    doBodies?: Map<number, DoBody>;
  },
): Finding[] {
  const findings: Finding[] = [];
  const created = new Set<string>();
  const memory: LintMemory = options.memory ?? { columns: options.columns ?? new Map(), notNullChecks: new Map() };
  const addedNotValid = new Set<string>();
  let lockTimeout = options.lockTimeoutSet;
  let lockTimeoutReported = false;
  const visit = (s: Pick<Statement, 'kind' | 'node'>, add: (rule: string, message: string) => void) => {
    const n = s.node;
    const change = lockTimeoutChange(s as Statement);
    if (change !== undefined) lockTimeout = change === 'default' ? options.lockTimeoutSet : change;
    const lock = lockTimeout || lockTimeoutReported ? undefined : blockingLock(s as Statement, created);
    if (lock) {
      lockTimeoutReported = true;
      add(
        'require-lock-timeout',
        `this statement takes ${/^[AE]/.test(lock.mode) ? 'an' : 'a'} ${lock.mode} lock on ${lock.relation} and no lock_timeout is set before it: while it waits for the lock, every query on ${lock.relation} queues behind it`,
      );
    }
    const table = createdBy(s as Statement);
    switch (s.kind) {
      case 'CreateStmt':
        for (const element of n.tableElts ?? []) {
          const type = typeOf(element.ColumnDef?.typeName);
          if (type) memory.columns.set(`${table}.${element.ColumnDef.colname}`, type);
        }
        break;
      case 'IndexStmt':
        // ON ONLY a partitioned table builds an invalid index on the parent alone, at once: CONCURRENTLY is not
        // allowed there, and each partition's index is built (concurrently) and attached afterwards.
        if (!n.concurrent && n.relation?.inh === true && !created.has(relName(n.relation)))
          add(
            'require-concurrent-index-creation',
            `CREATE INDEX on ${relName(n.relation)} without CONCURRENTLY blocks writes to the table while it builds`,
          );
        break;
      case 'DropStmt':
        if (
          n.removeType === 'OBJECT_INDEX' &&
          !n.concurrent &&
          (n.objects ?? []).some((o: any) => !created.has(droppedTable(o)))
        )
          add('require-concurrent-index-deletion', 'DROP INDEX without CONCURRENTLY locks the table');
        // A table created earlier in the same file holds no data yet.
        if (n.removeType === 'OBJECT_TABLE' && (n.objects ?? []).some((o: any) => !created.has(droppedTable(o))))
          add('ban-drop-table', 'DROP TABLE destroys its data');
        break;
      case 'DropdbStmt':
        add('ban-drop-database', `DROP DATABASE ${n.dbname}`);
        break;
      case 'RenameStmt':
        // A relation this file created has no code using its name yet (a table built under a temporary name, then
        // swapped in).
        if (n.renameType === 'OBJECT_COLUMN' && !created.has(relName(n.relation)))
          add('renaming-column', `renaming column ${n.subname} to ${n.newname} breaks code still using ${n.subname}`);
        if (n.renameType === 'OBJECT_TABLE' && !created.has(relName(n.relation)))
          add('renaming-table', `renaming table ${relName(n.relation)} to ${n.newname} breaks code still using it`);
        followRename(n, memory);
        break;
      case 'CreateFunctionStmt': {
        const name = String(n.funcname?.at(-1)?.String?.sval ?? '').toLowerCase();
        const volatility = (n.options ?? []).find((o: any) => o.DefElem?.defname === 'volatility')?.DefElem?.arg?.String
          ?.sval;
        memory.functions ??= new Map();
        if (name) memory.functions.set(name, volatility === undefined || volatility === 'volatile');
        break;
      }
      case 'TruncateStmt':
        if (n.behavior === 'DROP_CASCADE')
          add('ban-truncate-cascade', 'TRUNCATE … CASCADE also empties every table referencing this one');
        break;
      case 'AlterTableStmt':
        if (!created.has(relName(n.relation)))
          lintAlterTable(n, add, memory, { transactional: options.transactional !== false, addedNotValid });
        remember(n, memory, addedNotValid);
        break;
    }
    if (table) created.add(table);
  };
  statements.forEach((s, statement) => {
    visit(s, (rule, message) => findings.push({ rule, message, statement }));
    const body = s.kind === 'DoStmt' ? options.doBodies?.get(statement) : undefined;
    for (const nested of body?.statements ?? [])
      visit(nested, (rule, message) => findings.push({ rule, message, statement, offset: nested.offset }));
    for (const { offset, why } of body?.unlinted ?? [])
      findings.push({
        rule: 'unlinted-dynamic-sql',
        message: `${why}: lint cannot see what it runs`,
        statement,
        offset,
      });
  });
  return findings;
}

/** The PL/pgSQL statements that run SQL, in the order they are written, with the line of the body they start on. */
function sqlOfBody(tree: unknown): { kind: 'sql' | 'dynamic'; query: string; line: number }[] {
  const found: { kind: 'sql' | 'dynamic'; query: string; line: number }[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) for (const item of node) walk(item);
    else if (node && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        const v = value as any;
        if (key === 'PLpgSQL_stmt_execsql')
          found.push({ kind: 'sql', query: String(v.sqlstmt?.PLpgSQL_expr?.query ?? ''), line: v.lineno ?? 1 });
        else if (key === 'PLpgSQL_stmt_perform')
          found.push({ kind: 'sql', query: String(v.expr?.PLpgSQL_expr?.query ?? ''), line: v.lineno ?? 1 });
        else if (key === 'PLpgSQL_stmt_dynexecute')
          found.push({ kind: 'dynamic', query: String(v.query?.PLpgSQL_expr?.query ?? ''), line: v.lineno ?? 1 });
        walk(value);
      }
    }
  };
  walk(tree);
  return found;
}

/** The text of a single string constant (`'…'`, `E'…'`, `$$…$$`), or undefined for any other expression. */
async function constantText(expression: string): Promise<string | undefined> {
  try {
    const tree = await parseSql(`SELECT ${expression}`);
    const value = (tree.stmts?.[0]?.stmt as any)?.SelectStmt?.targetList;
    return value?.length === 1 ? value[0].ResTarget?.val?.A_Const?.sval?.sval : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The statements each DO block of a file runs, parsed with PostgreSQL's own PL/pgSQL parser (libpg_query), so lint
 * sees the DDL teams wrap in DO blocks to make it idempotent. EXECUTE of a string constant is read too; EXECUTE of
 * anything built at run time, a body that does not parse and a DO block in another language are reported as SQL
 * lint could not read.
 */
export async function parseDoBodies(statements: Statement[]): Promise<Map<number, DoBody>> {
  const bodies = new Map<number, DoBody>();
  for (const [index, s] of statements.entries()) {
    if (s.kind !== 'DoStmt') continue;
    const option = (name: string) =>
      (s.node.args ?? []).find((a: any) => a.DefElem?.defname === name)?.DefElem?.arg?.String?.sval as
        string | undefined;
    const language = option('language') ?? 'plpgsql';
    const body = option('as') ?? '';
    const found: DoBody = { statements: [], unlinted: [] };
    bodies.set(index, found);
    if (language.toLowerCase() !== 'plpgsql') {
      found.unlinted.push({ offset: s.offset, why: `a DO block in ${language}` });
      continue;
    }
    // Where the body starts in the file: verbatim between dollar quotes; a quoted body ('' escapes) is not.
    const at = s.sql.indexOf(body);
    const bodyStart = at >= 0 ? s.offset + at : s.offset;
    const offsetOf = (line: number, text: string): number => {
      if (at < 0) return s.offset;
      let lineStart = 0;
      for (let l = 1; l < line && lineStart >= 0; l++) lineStart = body.indexOf('\n', lineStart) + 1 || -1;
      const inBody = lineStart < 0 ? -1 : body.indexOf(text, lineStart);
      return bodyStart + (inBody >= 0 ? inBody : Math.max(lineStart, 0));
    };
    let tree: unknown;
    try {
      const quote = '$shipline_do_body$';
      tree = await parsePlpgsql(
        `CREATE FUNCTION shipline_do_block() RETURNS void LANGUAGE plpgsql AS ${quote}${body}${quote}`,
      );
    } catch (error) {
      found.unlinted.push({
        offset: s.offset,
        why: `this DO block's body does not parse as PL/pgSQL (${(error as Error).message})`,
      });
      continue;
    }
    for (const { kind, query, line } of sqlOfBody(tree)) {
      const text = kind === 'sql' ? query : await constantText(query);
      if (text === undefined) {
        found.unlinted.push({
          offset: offsetOf(line, query),
          why: `EXECUTE ${query.length > 60 ? `${query.slice(0, 57)}...` : query} builds its SQL at run time`,
        });
        continue;
      }
      try {
        for (const raw of (await parseSql(text)).stmts ?? []) {
          const [nestedKind, node] = Object.entries(raw.stmt)[0] as [string, any];
          found.statements.push({ kind: nestedKind, node, offset: offsetOf(line, kind === 'sql' ? query : text) });
        }
      } catch {
        found.unlinted.push({ offset: offsetOf(line, query), why: 'a statement in this DO block does not parse' });
      }
    }
  }
  return bodies;
}

/** lintStatements with the file's DO blocks read first. */
export async function lintFile(
  statements: Statement[],
  options: Omit<Parameters<typeof lintStatements>[1], 'doBodies'>,
): Promise<Finding[]> {
  return lintStatements(statements, { ...options, doBodies: await parseDoBodies(statements) });
}

/** Column types and NOT NULL checks follow a renamed column or table. */
function followRename(n: any, memory: LintMemory): void {
  const table = relName(n.relation);
  const move = (from: string, to: string) => {
    for (const map of [memory.columns, memory.notNullChecks] as Map<string, unknown>[])
      for (const [key, value] of [...map])
        if (key.startsWith(from)) {
          map.delete(key);
          map.set(to + key.slice(from.length), value);
        }
  };
  if (n.renameType === 'OBJECT_COLUMN') {
    const type = memory.columns.get(`${table}.${n.subname}`);
    memory.columns.delete(`${table}.${n.subname}`);
    if (type) memory.columns.set(`${table}.${n.newname}`, type);
    for (const check of memory.notNullChecks.values()) if (check.column === n.subname) check.column = String(n.newname);
  }
  if (n.renameType === 'OBJECT_TABLE') move(`${table}.`, `${tableName(n.relation?.schemaname, n.newname)}.`);
}

/** Column types and NOT NULL checks an ALTER TABLE adds or changes, for the statements and files after it. */
function remember(n: any, memory: LintMemory, addedNotValid: Set<string>): void {
  const table = relName(n.relation);
  for (const { AlterTableCmd: cmd } of n.cmds ?? []) {
    if (cmd?.subtype === 'AT_AddColumn') {
      const type = typeOf(cmd.def?.ColumnDef?.typeName);
      if (type) memory.columns.set(`${table}.${cmd.def.ColumnDef.colname}`, type);
    }
    if (cmd?.subtype === 'AT_AlterColumnType') {
      const type = typeOf(cmd.def?.ColumnDef?.typeName);
      if (type) memory.columns.set(`${table}.${cmd.name}`, type);
    }
    if (cmd?.subtype === 'AT_AddConstraint') {
      const c = cmd.def?.Constraint;
      const column = notNullColumnOf(c);
      // An unnamed CHECK on one column is named <table>_<column>_check by the server.
      const name = c?.conname ?? (column ? `${n.relation?.relname}_${column}_check` : undefined);
      if (column && name) memory.notNullChecks.set(`${table}.${name}`, { column, validated: !c.skip_validation });
      if (name && c?.skip_validation) addedNotValid.add(`${table}.${name}`);
    }
    if (cmd?.subtype === 'AT_ValidateConstraint') {
      const check = memory.notNullChecks.get(`${table}.${cmd.name}`);
      if (check) check.validated = true;
    }
  }
}

function lintAlterTable(
  n: any,
  add: (rule: string, message: string) => void,
  memory: LintMemory,
  file: { transactional: boolean; addedNotValid: Set<string> },
): void {
  const table = relName(n.relation);
  for (const { AlterTableCmd: cmd } of n.cmds ?? []) {
    if (!cmd) continue;
    switch (cmd.subtype) {
      case 'AT_AddColumn': {
        const column = cmd.def?.ColumnDef;
        const constraints = constraintsOf(column);
        const defaultValue = constraints.find((c) => c.contype === 'CONSTR_DEFAULT');
        const type = typeOf(column?.typeName);
        const identity = constraints.some((c) => c.contype === 'CONSTR_IDENTITY');
        // PostgreSQL 18's virtual generated columns are computed when read; stored ones are written into every row.
        const stored = constraints.some((c) => c.contype === 'CONSTR_GENERATED' && c.generated_kind !== 'v');
        const serial = type !== undefined && SERIAL_TYPES.has(type.name);
        if (
          constraints.some((c) => c.contype === 'CONSTR_NOTNULL') &&
          !defaultValue &&
          !identity &&
          !serial &&
          !constraints.some((c) => c.contype === 'CONSTR_GENERATED')
        )
          add(
            'adding-required-field',
            `column ${column?.colname} is NOT NULL without a default: adding it fails once ${table} has rows`,
          );
        if (serial || identity || stored)
          add(
            'adding-field-with-default',
            `column ${column?.colname} is ${serial ? `a ${type?.name}` : identity ? 'an identity' : 'a stored generated'} column: adding it writes a value into every row, rewriting ${table} under an ACCESS EXCLUSIVE lock`,
          );
        else if (
          defaultValue &&
          funcNames(defaultValue.raw_expr).some((f) => VOLATILE.has(f) || memory.functions?.get(f) === true)
        )
          add(
            'adding-field-with-default',
            `column ${column?.colname} has a volatile default: adding it rewrites ${table}`,
          );
        for (const c of constraints) {
          // Without a default the new column is NULL in every row, and PostgreSQL checks no row.
          if (c.contype === 'CONSTR_FOREIGN' && !c.skip_validation && (defaultValue || serial || identity || stored))
            add(
              'constraint-missing-not-valid',
              `the foreign key on ${column?.colname} is checked against every row of ${table} under a lock: add it NOT VALID, then VALIDATE CONSTRAINT`,
            );
          if (c.contype === 'CONSTR_PRIMARY')
            add(
              'adding-serial-primary-key-field',
              `the primary key on ${column?.colname} builds its index while ${table} is locked ACCESS EXCLUSIVE: build a unique index CONCURRENTLY, then ADD PRIMARY KEY USING INDEX`,
            );
          if (c.contype === 'CONSTR_UNIQUE')
            add(
              'disallowed-unique-constraint',
              `the unique constraint on ${column?.colname} builds its index while ${table} is locked ACCESS EXCLUSIVE: build a unique index CONCURRENTLY, then ADD CONSTRAINT … UNIQUE USING INDEX`,
            );
        }
        break;
      }
      case 'AT_AddConstraint': {
        const c = cmd.def?.Constraint;
        if ((c?.contype === 'CONSTR_FOREIGN' || c?.contype === 'CONSTR_CHECK') && !c.skip_validation)
          add(
            'constraint-missing-not-valid',
            `${c.contype === 'CONSTR_FOREIGN' ? 'FOREIGN KEY' : 'CHECK'} constraint${c.conname ? ` ${c.conname}` : ''} validates every row of ${table} under a lock: add it NOT VALID, then VALIDATE CONSTRAINT in a later migration`,
          );
        if (c?.contype === 'CONSTR_PRIMARY' && !c.indexname)
          add(
            'adding-serial-primary-key-field',
            `ADD PRIMARY KEY builds its index while ${table} is locked ACCESS EXCLUSIVE: build a unique index CONCURRENTLY, then ADD PRIMARY KEY USING INDEX`,
          );
        if (c?.contype === 'CONSTR_UNIQUE' && !c.indexname)
          add(
            'disallowed-unique-constraint',
            `ADD UNIQUE${c.conname ? ` (${c.conname})` : ''} builds its index while ${table} is locked ACCESS EXCLUSIVE: build a unique index CONCURRENTLY, then ADD CONSTRAINT … UNIQUE USING INDEX`,
          );
        break;
      }
      case 'AT_ValidateConstraint':
        if (file.transactional && file.addedNotValid.has(`${table}.${cmd.name}`))
          add(
            'constraint-missing-not-valid',
            `${cmd.name} is validated in the transaction that added it NOT VALID: the lock taken by the add is held through the whole scan, so NOT VALID gains nothing. Validate it in a later migration`,
          );
        break;
      case 'AT_SetNotNull': {
        const proven = [...memory.notNullChecks].some(
          ([key, check]) => key.startsWith(`${table}.`) && check.column === cmd.name && check.validated,
        );
        // PostgreSQL skips the scan when a validated CHECK (col IS NOT NULL) proves the column has no NULL.
        if (!proven)
          add(
            'adding-not-nullable-field',
            `SET NOT NULL on ${table}.${cmd.name} scans the whole table under an ACCESS EXCLUSIVE lock (add a CHECK (… IS NOT NULL) NOT VALID and validate it first)`,
          );
        break;
      }
      case 'AT_AlterColumnType': {
        const from = memory.columns.get(`${table}.${cmd.name}`);
        const to = typeOf(cmd.def?.ColumnDef?.typeName);
        // A USING expression is conservatively a rewrite; without one, widening a type in place is not.
        if (from && to && !cmd.def?.ColumnDef?.raw_default && widensWithoutRewrite(from, to)) break;
        add(
          'changing-column-type',
          `changing the type of ${table}.${cmd.name} can rewrite the table under an ACCESS EXCLUSIVE lock`,
        );
        break;
      }
      case 'AT_DropColumn':
        add('ban-drop-column', `dropping ${table}.${cmd.name} destroys its data`);
        break;
    }
  }
}

/** Rules named in `-- shipline-ignore rule-a, rule-b` (or squawk's own `-- squawk-ignore`) comments. */
export function ignoredRules(leading: string): Set<string> {
  const rules = new Set<string>();
  // Asked for every finding; nearly every statement has no ignore comment at all.
  if (!leading.includes('-ignore')) return rules;
  // Line by line, in one pass each: /ignore\s+([a-z0-9,\s-]+?)\s*$/m let its lazy group and the blanks around it
  // share every blank, and a long blank run ending in another character took quadratic time.
  for (const line of leading.split('\n')) {
    // From `namesFrom` on, the line holds only rule names, commas and blanks.
    let namesFrom = line.length;
    while (namesFrom > 0 && /[a-z0-9,\s-]/.test(line[namesFrom - 1] as string)) namesFrom--;
    for (const marker of line.matchAll(/--\s*(?:shipline|squawk)-ignore/g)) {
      const end = marker.index + marker[0].length;
      if (end < namesFrom || !/\s/.test(line[end] ?? '')) continue;
      for (const r of line.slice(end).split(/[\s,]+/)) if (r) rules.add(r);
      break;
    }
  }
  return rules;
}

export function severityOf(rule: string, overrides: Record<string, Severity>): Severity {
  return overrides[rule] ?? RULES[rule]?.severity ?? 'warning';
}
