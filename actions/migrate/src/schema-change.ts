// Expand or contract: whether the release before a migration can still run against the schema after it. A rollback
// of the app leaves the database where the migrations took it, so a release older than a contract migration meets
// a schema it does not know (a dropped or renamed column, a NOT NULL it never fills) and fails on its first query.
import { constraintsOf, createdBy, droppedTable, type NestedStatement, relName, SERIAL_TYPES, typeOf } from './lint.js';
import type { Statement } from './sql.js';

/** What the files of one release have created so far: the previous release knows none of it. */
export interface ReleaseSchema {
  /** Tables, views and other relations created by this release's files. */
  created: Set<string>;
  /** `table.column` added by this release's files (a backfill of those is part of the expansion). */
  addedColumns: Set<string>;
  /** `table.constraint` added by the file being classified: dropping one of those is a replacement. */
  readded?: Set<string>;
}

export const newReleaseSchema = (): ReleaseSchema => ({ created: new Set(), addedColumns: new Set() });

/** Objects whose DROP (or RENAME) takes away something the previous release may call or query. */
const USED_OBJECTS: Record<string, string> = {
  OBJECT_TABLE: 'table',
  OBJECT_VIEW: 'view',
  OBJECT_MATVIEW: 'materialized view',
  OBJECT_FOREIGN_TABLE: 'foreign table',
  OBJECT_COLUMN: 'column',
  OBJECT_FUNCTION: 'function',
  OBJECT_PROCEDURE: 'procedure',
  OBJECT_ROUTINE: 'routine',
  OBJECT_TYPE: 'type',
  OBJECT_DOMAIN: 'domain',
  OBJECT_SCHEMA: 'schema',
  OBJECT_SEQUENCE: 'sequence',
};

const nameOf = (object: any): string =>
  object?.List
    ? droppedTable(object)
    : object?.ObjectWithArgs
      ? (object.ObjectWithArgs.objname ?? []).map((n: any) => n.String?.sval).join('.')
      : String(object?.String?.sval ?? object?.TypeName?.names?.at(-1)?.String?.sval ?? '');

/**
 * Why a statement is a contract change (the release before it cannot run against the schema after it), or
 * undefined for an expand change. Changes to what this release created are expand changes: the previous release
 * never knew those objects. `release` is updated with what the statement creates.
 */
export function contractReason(s: Pick<Statement, 'kind' | 'node'>, release: ReleaseSchema): string | undefined {
  const n = s.node;
  const known = (relation: string) => relation !== '' && !release.created.has(relation);
  const reason = ((): string | undefined => {
    switch (s.kind) {
      case 'DropStmt': {
        const what = USED_OBJECTS[n.removeType];
        const names = (n.objects ?? [])
          .map(nameOf)
          .filter(
            (name: string) => !['OBJECT_TABLE', 'OBJECT_VIEW', 'OBJECT_MATVIEW'].includes(n.removeType) || known(name),
          );
        return what && names.length > 0
          ? `drops ${what} ${names.join(', ')}, which the previous release may still use`
          : undefined;
      }
      case 'RenameStmt': {
        const what = USED_OBJECTS[n.renameType];
        if (!what || (n.relation && !known(relName(n.relation)))) return undefined;
        const from =
          n.renameType === 'OBJECT_COLUMN'
            ? `${relName(n.relation)}.${n.subname}`
            : n.relation
              ? relName(n.relation)
              : nameOf(n.object);
        return `renames ${what} ${from} to ${n.newname}: the previous release still uses the old name`;
      }
      case 'AlterObjectSchemaStmt':
        return n.relation && known(relName(n.relation))
          ? `moves ${relName(n.relation)} to schema ${n.newschema}: the previous release looks for it where it was`
          : undefined;
      case 'AlterEnumStmt':
        return n.oldVal
          ? `renames the value '${n.oldVal}' of type ${nameOf({ TypeName: { names: n.typeName } })}: the previous release still writes '${n.oldVal}'`
          : undefined;
      case 'TruncateStmt': {
        const tables = (n.relations ?? []).map((r: any) => relName(r.RangeVar)).filter(known);
        return tables.length > 0 ? `empties ${tables.join(', ')}: a rollback does not bring the rows back` : undefined;
      }
      case 'DeleteStmt':
        return known(relName(n.relation))
          ? `deletes rows of ${relName(n.relation)}: a rollback does not bring them back`
          : undefined;
      case 'UpdateStmt': {
        const table = relName(n.relation);
        const columns: string[] = (n.targetList ?? []).map((t: any) => String(t.ResTarget?.name));
        // A backfill of the columns this release added is part of the expansion; rewriting older data is not.
        const older = columns.filter((c) => !release.addedColumns.has(`${table}.${c}`));
        return known(table) && older.length > 0
          ? `rewrites ${older.map((c) => `${table}.${c}`).join(', ')} in place: a rollback does not restore the old values`
          : undefined;
      }
      case 'AlterTableStmt': {
        const table = relName(n.relation);
        if (!known(table)) return undefined;
        for (const { AlterTableCmd: cmd } of n.cmds ?? []) {
          if (!cmd) continue;
          if (cmd.subtype === 'AT_DropColumn')
            return `drops column ${table}.${cmd.name}, which the previous release may still read or write`;
          if (cmd.subtype === 'AT_AlterColumnType')
            return `changes the type of ${table}.${cmd.name}: the previous release reads and writes the old type`;
          if (cmd.subtype === 'AT_SetNotNull')
            return `makes ${table}.${cmd.name} NOT NULL: the previous release may insert rows without it`;
          if (cmd.subtype === 'AT_ColumnDefault' && !cmd.def)
            return `drops the default of ${table}.${cmd.name}: the previous release may insert rows relying on it`;
          // A foreign key or check that goes only loosens what the previous release may write; a unique or primary key
          // it relies on (ON CONFLICT) does not. Which kind a name is comes from PostgreSQL's (and Prisma's) naming;
          // a constraint the same file adds again under the name is replaced, not removed.
          if (
            cmd.subtype === 'AT_DropConstraint' &&
            !/_(fkey|check|fk)$/i.test(String(cmd.name)) &&
            !release.readded?.has(`${table}.${cmd.name}`)
          )
            return `drops constraint ${cmd.name} of ${table}: a query of the previous release may rely on it (ON CONFLICT on a unique or primary key)`;
          if (cmd.subtype === 'AT_AddColumn') {
            const column = cmd.def?.ColumnDef;
            const constraints = constraintsOf(column);
            const filled =
              constraints.some((c) => ['CONSTR_DEFAULT', 'CONSTR_IDENTITY', 'CONSTR_GENERATED'].includes(c.contype)) ||
              SERIAL_TYPES.has(String(typeOf(column?.typeName)?.name));
            if (constraints.some((c) => c.contype === 'CONSTR_NOTNULL' || c.contype === 'CONSTR_PRIMARY') && !filled)
              return `adds ${table}.${column?.colname} NOT NULL without a default: the previous release inserts rows without it`;
          }
        }
        return undefined;
      }
      default:
        return undefined;
    }
  })();
  const created = createdBy(s);
  if (created) release.created.add(created);
  if (s.kind === 'AlterTableStmt')
    for (const { AlterTableCmd: cmd } of n.cmds ?? [])
      if (cmd?.subtype === 'AT_AddColumn')
        release.addedColumns.add(`${relName(n.relation)}.${cmd.def?.ColumnDef?.colname}`);
  return reason;
}

/** The first contract change of a file (its own statements and those inside its DO blocks, in order), if any. */
export function firstContract(
  statements: Statement[],
  doBodies: Map<number, { statements: NestedStatement[] }>,
  release: ReleaseSchema,
): { offset: number; sql: string; reason: string } | undefined {
  let first: { offset: number; sql: string; reason: string } | undefined;
  release.readded = new Set(
    [...statements, ...[...doBodies.values()].flatMap((b) => b.statements)]
      .filter((s) => s.kind === 'AlterTableStmt')
      .flatMap((s) =>
        (s.node.cmds ?? []).map(({ AlterTableCmd: cmd }: any) =>
          cmd?.subtype === 'AT_AddConstraint' && cmd.def?.Constraint?.conname
            ? `${relName(s.node.relation)}.${cmd.def.Constraint.conname}`
            : undefined,
        ),
      )
      .filter((key): key is string => key !== undefined),
  );
  statements.forEach((s, index) => {
    const found = contractReason(s, release);
    if (found && !first) first = { offset: s.offset, sql: s.sql, reason: found };
    for (const nested of doBodies.get(index)?.statements ?? []) {
      const inside = contractReason(nested, release);
      if (inside && !first) first = { offset: nested.offset, sql: s.sql, reason: inside };
    }
  });
  return first;
}
