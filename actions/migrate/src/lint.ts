// Lint rules for what a migration will lock or destroy, named as squawk names them so teams recognise them.
// Each rule looks at the parse tree; `-- shipline-ignore <rule>` in the comments before a statement silences it.
import type { Severity } from './inputs.js';
import type { Statement } from './sql.js';

export interface Finding {
  rule: string;
  message: string;
  /** Index of the statement in its file. */
  statement: number;
}

export const RULES: Record<string, { severity: Severity; description: string }> = {
  'require-concurrent-index-creation': { severity: 'warning', description: 'CREATE INDEX without CONCURRENTLY on an existing table blocks writes while it builds' },
  'require-concurrent-index-deletion': { severity: 'warning', description: 'DROP INDEX without CONCURRENTLY blocks reads and writes of the table' },
  'constraint-missing-not-valid': { severity: 'warning', description: 'a FOREIGN KEY or CHECK added without NOT VALID scans the table under a lock' },
  'adding-field-with-default': { severity: 'warning', description: 'a column with a volatile default rewrites the whole table' },
  'adding-required-field': { severity: 'warning', description: 'a NOT NULL column without a default fails on a table with rows' },
  'adding-not-nullable-field': { severity: 'warning', description: 'SET NOT NULL scans the whole table under an ACCESS EXCLUSIVE lock' },
  'changing-column-type': { severity: 'warning', description: 'changing a column type usually rewrites the table under an ACCESS EXCLUSIVE lock' },
  'ban-drop-table': { severity: 'warning', description: 'DROP TABLE destroys data; code still running may use it' },
  'ban-drop-column': { severity: 'warning', description: 'DROP COLUMN destroys data; code still running may use it' },
  'ban-drop-database': { severity: 'warning', description: 'DROP DATABASE destroys everything in it' },
  'renaming-column': { severity: 'warning', description: 'renaming a column breaks code still using the old name' },
  'renaming-table': { severity: 'warning', description: 'renaming a table breaks code still using the old name' },
  'ban-truncate-cascade': { severity: 'warning', description: 'TRUNCATE … CASCADE empties every table that references this one' },
  'require-lock-timeout': {
    severity: 'warning',
    description: "statements that lock existing tables without a lock_timeout can queue every query behind them (SET lock_timeout, or input 'migration-lock-timeout')",
  },
};

/** Functions whose default value differs per row, so adding a column with it rewrites the table. */
const VOLATILE = new Set(['random', 'gen_random_uuid', 'uuid_generate_v4', 'uuid_generate_v1', 'clock_timestamp', 'timeofday', 'nextval', 'txid_current', 'statement_timestamp']);

/** A table's name as the lint compares names: `public.x` and `x` are the same table (public is the default schema). */
const tableName = (schema: string | undefined, name: string | undefined): string => (schema && schema !== 'public' ? `${schema}.${name}` : String(name ?? ''));

const relName = (rv: any): string => (rv ? tableName(rv.schemaname, rv.relname) : '');

/** The table of a `DROP POLICY p ON t` / `DROP TRIGGER tr ON t` object (its name list minus the last item). */
function ownerTable(object: any): string {
  const names = (object?.List?.items ?? []).map((i: any) => i.String?.sval);
  return names.length >= 2 ? tableName(names.length > 2 ? names[0] : undefined, names[names.length - 2]) : '';
}

/** The table a `DROP TABLE` object names. */
function droppedTable(object: any): string {
  const names = (object?.List?.items ?? []).map((i: any) => i.String?.sval);
  return tableName(names.length > 1 ? names[names.length - 2] : undefined, names[names.length - 1]);
}

/** A column's type as far as rewrites go: its name (varchar, text, …) and varchar's length limit. */
export interface ColumnType {
  name: string;
  length?: number;
}

/** The type of a parse-tree TypeName. */
function typeOf(typeName: any): ColumnType | undefined {
  const names = (typeName?.names ?? []).map((n: any) => n.String?.sval);
  const name = names[names.length - 1];
  if (!name) return undefined;
  const length = typeName.typmods?.[0]?.A_Const?.ival?.ival;
  return { name: String(name), length: typeof length === 'number' ? length : undefined };
}

/** A type as format_type() prints it (`character varying(255)`, `text`), for columns read from the database. */
export function parseFormattedType(formatted: string): ColumnType {
  const m = /^character varying(?:\((\d+)\))?$/.exec(formatted);
  if (m) return { name: 'varchar', length: m[1] ? Number(m[1]) : undefined };
  return { name: formatted };
}

/**
 * PostgreSQL changes these types without rewriting the table or its indexes: a longer (or no) varchar limit, and
 * varchar ↔ text without a limit (binary-coercible).
 */
export function widensWithoutRewrite(from: ColumnType, to: ColumnType): boolean {
  const unbounded = (t: ColumnType) => t.name === 'text' || (t.name === 'varchar' && t.length === undefined);
  if (from.name === 'varchar') return unbounded(to) || (to.name === 'varchar' && from.length !== undefined && (to.length as number) >= from.length);
  return from.name === 'text' && unbounded(to);
}

/** The columns whose type a file changes (`table.column`), so their current type can be looked up first. */
export function alteredColumns(statements: Statement[]): { table: string; column: string }[] {
  const found: { table: string; column: string }[] = [];
  for (const s of statements)
    if (s.kind === 'AlterTableStmt')
      for (const { AlterTableCmd: cmd } of s.node.cmds ?? []) if (cmd?.subtype === 'AT_AlterColumnType') found.push({ table: relName(s.node.relation), column: String(cmd.name) });
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

function constraintsOf(column: any): any[] {
  return (column?.constraints ?? []).map((c: any) => c.Constraint).filter(Boolean);
}

/** Tables a statement creates: CREATE TABLE, CREATE TABLE … AS / materialized views, SELECT … INTO. */
function createdBy(s: Statement): string | undefined {
  if (s.kind === 'CreateStmt') return relName(s.node.relation);
  if (s.kind === 'CreateTableAsStmt') return relName(s.node.into?.rel);
  if (s.kind === 'SelectStmt' && s.node.intoClause) return relName(s.node.intoClause.rel);
  return undefined;
}

/**
 * Statements that take an ACCESS EXCLUSIVE (or SHARE / SHARE ROW EXCLUSIVE) lock on a table that already exists.
 * CREATE / ALTER / DROP POLICY, DROP TRIGGER and ENABLE ROW LEVEL SECURITY take ACCESS EXCLUSIVE; CREATE TRIGGER
 * takes SHARE ROW EXCLUSIVE, which blocks writes.
 */
function locksExistingTable(s: Statement, created: Set<string>): boolean {
  const existing = (table: string) => table !== '' && !created.has(table);
  switch (s.kind) {
    case 'AlterTableStmt':
      return existing(relName(s.node.relation));
    case 'IndexStmt':
      return !s.node.concurrent && existing(relName(s.node.relation));
    case 'CreatePolicyStmt':
    case 'AlterPolicyStmt':
      return existing(relName(s.node.table));
    case 'CreateTrigStmt':
      return existing(relName(s.node.relation));
    case 'RenameStmt':
      return true;
    case 'TruncateStmt':
      return true;
    case 'DropStmt': {
      const objects: any[] = s.node.objects ?? [];
      if (s.node.removeType === 'OBJECT_TABLE') return objects.some((o) => existing(droppedTable(o)));
      if (s.node.removeType === 'OBJECT_POLICY' || s.node.removeType === 'OBJECT_TRIGGER' || s.node.removeType === 'OBJECT_RULE') return objects.some((o) => existing(ownerTable(o)));
      return s.node.removeType === 'OBJECT_INDEX' && !s.node.concurrent;
    }
    default:
      return false;
  }
}

function setsLockTimeout(s: Statement): boolean {
  return s.kind === 'VariableSetStmt' && s.node.name === 'lock_timeout';
}

/**
 * All findings of one file, before ignores and severities. `columns` (`table.column` → type) holds the types known
 * before this file — from the database, or from earlier files — and is updated with this file's.
 */
export function lintStatements(statements: Statement[], options: { lockTimeoutSet: boolean; columns?: Map<string, ColumnType> }): Finding[] {
  const findings: Finding[] = [];
  const created = new Set<string>();
  const columns = options.columns ?? new Map<string, ColumnType>();
  let lockTimeout = options.lockTimeoutSet;
  let lockTimeoutReported = false;
  statements.forEach((s, statement) => {
    const add = (rule: string, message: string) => findings.push({ rule, message, statement });
    const n = s.node;
    if (setsLockTimeout(s)) lockTimeout = true;
    if (!lockTimeout && !lockTimeoutReported && locksExistingTable(s, created)) {
      lockTimeoutReported = true;
      add('require-lock-timeout', 'this statement locks an existing table and no lock_timeout is set before it: it can queue every query behind it');
    }
    const table = createdBy(s);
    if (table) created.add(table);
    switch (s.kind) {
      case 'CreateStmt':
        for (const element of n.tableElts ?? []) {
          const type = typeOf(element.ColumnDef?.typeName);
          if (type) columns.set(`${table}.${element.ColumnDef.colname}`, type);
        }
        break;
      case 'IndexStmt':
        if (!n.concurrent && !created.has(relName(n.relation)))
          add('require-concurrent-index-creation', `CREATE INDEX on ${relName(n.relation)} without CONCURRENTLY blocks writes to the table while it builds`);
        break;
      case 'DropStmt':
        if (n.removeType === 'OBJECT_INDEX' && !n.concurrent) add('require-concurrent-index-deletion', 'DROP INDEX without CONCURRENTLY locks the table');
        // A table created earlier in the same file holds no data yet.
        if (n.removeType === 'OBJECT_TABLE' && (n.objects ?? []).some((o: any) => !created.has(droppedTable(o)))) add('ban-drop-table', 'DROP TABLE destroys its data');
        break;
      case 'DropdbStmt':
        add('ban-drop-database', `DROP DATABASE ${n.dbname}`);
        break;
      case 'RenameStmt':
        if (n.renameType === 'OBJECT_COLUMN') add('renaming-column', `renaming column ${n.subname} to ${n.newname} breaks code still using ${n.subname}`);
        if (n.renameType === 'OBJECT_TABLE') add('renaming-table', `renaming table ${relName(n.relation)} to ${n.newname} breaks code still using it`);
        break;
      case 'TruncateStmt':
        if (n.behavior === 'DROP_CASCADE') add('ban-truncate-cascade', 'TRUNCATE … CASCADE also empties every table referencing this one');
        break;
      case 'AlterTableStmt':
        if (!created.has(relName(n.relation))) lintAlterTable(n, add, columns);
        rememberColumns(n, columns);
        break;
    }
  });
  return findings;
}

/** Column types an ALTER TABLE adds or changes, for the statements and files after it. */
function rememberColumns(n: any, columns: Map<string, ColumnType>): void {
  const table = relName(n.relation);
  for (const { AlterTableCmd: cmd } of n.cmds ?? []) {
    if (cmd?.subtype === 'AT_AddColumn') {
      const type = typeOf(cmd.def?.ColumnDef?.typeName);
      if (type) columns.set(`${table}.${cmd.def.ColumnDef.colname}`, type);
    }
    if (cmd?.subtype === 'AT_AlterColumnType') {
      const type = typeOf(cmd.def?.ColumnDef?.typeName);
      if (type) columns.set(`${table}.${cmd.name}`, type);
    }
  }
}

function lintAlterTable(n: any, add: (rule: string, message: string) => void, columns: Map<string, ColumnType>): void {
  const table = relName(n.relation);
  for (const { AlterTableCmd: cmd } of n.cmds ?? []) {
    if (!cmd) continue;
    switch (cmd.subtype) {
      case 'AT_AddColumn': {
        const column = cmd.def?.ColumnDef;
        const constraints = constraintsOf(column);
        const defaultValue = constraints.find((c) => c.contype === 'CONSTR_DEFAULT');
        if (constraints.some((c) => c.contype === 'CONSTR_NOTNULL') && !defaultValue && !constraints.some((c) => c.contype === 'CONSTR_IDENTITY' || c.contype === 'CONSTR_GENERATED'))
          add('adding-required-field', `column ${column?.colname} is NOT NULL without a default: adding it fails once ${table} has rows`);
        if (defaultValue && funcNames(defaultValue.raw_expr).some((f) => VOLATILE.has(f)))
          add('adding-field-with-default', `column ${column?.colname} has a volatile default: adding it rewrites ${table}`);
        for (const c of constraints)
          if (c.contype === 'CONSTR_FOREIGN' && !c.skip_validation)
            add('constraint-missing-not-valid', `the foreign key on ${column?.colname} is checked against every row of ${table} under a lock: add it NOT VALID, then VALIDATE CONSTRAINT`);
        break;
      }
      case 'AT_AddConstraint': {
        const c = cmd.def?.Constraint;
        if ((c?.contype === 'CONSTR_FOREIGN' || c?.contype === 'CONSTR_CHECK') && !c.skip_validation)
          add('constraint-missing-not-valid', `${c.contype === 'CONSTR_FOREIGN' ? 'FOREIGN KEY' : 'CHECK'} constraint${c.conname ? ` ${c.conname}` : ''} validates every row of ${table} under a lock: add it NOT VALID, then VALIDATE CONSTRAINT in a later migration`);
        break;
      }
      case 'AT_SetNotNull':
        add('adding-not-nullable-field', `SET NOT NULL on ${table}.${cmd.name} scans the whole table under an ACCESS EXCLUSIVE lock (add a CHECK (… IS NOT NULL) NOT VALID and validate it first)`);
        break;
      case 'AT_AlterColumnType': {
        const from = columns.get(`${table}.${cmd.name}`);
        const to = typeOf(cmd.def?.ColumnDef?.typeName);
        // A USING expression is conservatively a rewrite; without one, widening a varchar is not.
        if (from && to && !cmd.def?.ColumnDef?.raw_default && widensWithoutRewrite(from, to)) break;
        add('changing-column-type', `changing the type of ${table}.${cmd.name} can rewrite the table under an ACCESS EXCLUSIVE lock`);
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
