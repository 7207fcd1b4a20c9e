// Lint findings for the files that will run, with the team's severities: warnings and errors for plan, the errors
// that block apply.
import { ShiplineError } from '../../../../shared/errors.js';
import { error, notice, warning } from '../../../../shared/runner.js';
import { EXPAND_CONTRACT_DOCS } from '../../../../shared/schema-changes.js';
import type { Db } from '../db.js';
import type { MigrateInputs } from '../inputs.js';
import {
  alteredColumns,
  type ColumnType,
  ignoredRules,
  type LintMemory,
  lintStatements,
  parseDoBodies,
  parseFormattedType,
  severityOf,
} from '../lint.js';
import { firstContract, newReleaseSchema } from '../schema-change.js';
import type { Prepared } from '../migrator.js';
import { positionAt } from '../sql.js';

/**
 * The current types of the columns the pending files change, so lint can tell a varchar widened in place from a
 * rewrite. Without a database, lint learns types from the earlier files it reads.
 */
export async function currentColumnTypes(db: Db | undefined, pending: Prepared[]): Promise<Map<string, ColumnType>> {
  const columns = new Map<string, ColumnType>();
  if (!db) return columns;
  type Column = { table: string; column: string };
  const key = (c: Column) => `${c.table}.${c.column}`;
  const named = [...new Map(pending.flatMap((p) => alteredColumns(p.statements)).map((c) => [key(c), c])).values()];
  if (named.length === 0) return columns;
  const found = (c: Column | undefined, type: unknown) => c && columns.set(key(c), parseFormattedType(String(type)));
  // All of them in one round trip: a database far away costs one per query, and a folder changes dozens of types.
  const all = await db
    .query(
      `SELECT c.n::int AS n, format_type(a.atttypid, a.atttypmod) AS type
         FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS c(rel, col, n)
         JOIN pg_attribute a ON a.attrelid = to_regclass(c.rel) AND a.attname = c.col AND NOT a.attisdropped`,
      [named.map((c) => c.table), named.map((c) => c.column)],
    )
    .then(
      (result) => result.rows as { n: number; type: string }[],
      () => undefined,
    );
  if (all) {
    for (const { n, type } of all) found(named[n - 1], type);
    return columns;
  }
  // A name to_regclass cannot read (too many dots) fails the whole query: then one at a time, each on its own.
  for (const c of named) {
    const { rows } = await db
      .query(
        'SELECT format_type(a.atttypid, a.atttypmod) AS type FROM pg_attribute a WHERE a.attrelid = to_regclass($1) AND a.attname = $2 AND NOT a.attisdropped',
        [c.table, c.column],
      )
      .catch(() => ({ rows: [] as { type: string }[] }));
    if (rows[0]) found(c, rows[0].type);
  }
  return columns;
}

/** A migration the release before it cannot run against: the first statement that makes it so, and why. */
export interface ContractMigration {
  file: string;
  version: string;
  line: number;
  statement: string;
  reason: string;
}

/**
 * Lint findings at `minimum` severity or above (annotated), and the files' expand/contract classification (each
 * contract migration annotated as a notice at its statement): one parse of each file's DO blocks serves both.
 */
export async function lint(
  inputs: MigrateInputs,
  pending: Prepared[],
  minimum: 'warning' | 'error',
  columns = new Map<string, ColumnType>(),
): Promise<{ rows: string[][]; errors: number; contracts: ContractMigration[] }> {
  const rows: string[][] = [];
  const contracts: ContractMigration[] = [];
  const release = newReleaseSchema();
  let errors = 0;
  const overrides = { ...inputs['lint-severity'] };
  for (const rule of inputs['lint-ignore']) overrides[rule] = 'off';
  // What one file teaches lint about the next (column types, CHECK (col IS NOT NULL) constraints).
  const memory: LintMemory = { columns, notNullChecks: new Map() };
  for (const p of pending) {
    const doBodies = await parseDoBodies(p.statements);
    const contract = firstContract(p.statements, doBodies, release);
    if (contract) {
      const { line, column } = positionAt(p.file.content, contract.offset);
      const statement = contract.sql.length > 200 ? `${contract.sql.slice(0, 197)}...` : contract.sql;
      contracts.push({ file: p.file.file, version: p.file.version, line, statement, reason: contract.reason });
      notice(
        `Contract migration: this statement ${contract.reason}. An app rollback to the release before it would meet a schema it does not know; ship the change in two releases (expand, then contract) to keep rollbacks safe: ${EXPAND_CONTRACT_DOCS}`,
        {
          file: p.file.file,
          startLine: line,
          startColumn: column,
          title: 'Not rollback-safe',
        },
      );
    }
    for (const finding of lintStatements(p.statements, {
      lockTimeoutSet: inputs['migration-lock-timeout'] !== undefined,
      memory,
      transactional: p.transactional,
      doBodies,
    })) {
      const statement = p.statements[finding.statement];
      if (!statement || ignoredRules(statement.leading).has(finding.rule)) continue;
      const severity = severityOf(finding.rule, overrides);
      if (severity === 'off' || (minimum === 'error' && severity !== 'error')) continue;
      if (severity === 'error') errors++;
      const { line, column } = positionAt(p.file.content, finding.offset ?? statement.offset);
      (severity === 'error' ? error : warning)(`${finding.rule}: ${finding.message}`, {
        file: p.file.file,
        startLine: line,
        startColumn: column,
        title: `Lint: ${finding.rule}`,
      });
      rows.push([`${p.file.file}:${line}`, finding.rule, severity, finding.message]);
    }
  }
  return { rows, errors, contracts };
}

/** Lint findings at severity error block apply (the team chose to make them so); returns the files unchanged. */
export async function checkLint(
  inputs: MigrateInputs,
  pending: Prepared[],
  columns: Map<string, ColumnType>,
): Promise<{ pending: Prepared[]; contracts: ContractMigration[] }> {
  const blocking = await lint(inputs, pending, 'error', columns);
  if (blocking.errors > 0)
    throw new ShiplineError(
      `${blocking.errors} lint finding(s) at severity error; nothing was applied (see the annotations)`,
    );
  return { pending, contracts: blocking.contracts };
}
