// The schema of a database as lines of text, read from the catalogs (no pg_dump on the runner): what a proof of down
// migrations compares before the ups and after the downs. Columns are compared as a set per table, not by their
// position: a column dropped and added back comes back last, and queries name their columns.
import type { ClientBase } from 'pg';

/** Schemas that are PostgreSQL's own or shipline's, never the application's. */
const SYSTEM_SCHEMAS = `n.nspname NOT IN ('pg_catalog', 'information_schema', 'shipline_migrations')
  AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%'`;

/** One query per kind of object, each giving one line per object. */
const QUERIES = [
  // Tables, views, materialized views, sequences, foreign and partitioned tables.
  `SELECT format('relation %s %I.%I', c.relkind, n.nspname, c.relname) FROM pg_class c
     JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'v', 'm', 'S', 'f', 'p') AND ${SYSTEM_SCHEMAS} AND NOT (c.relname = ANY ($1))`,
  `SELECT format('column %I.%I.%I %s%s%s%s', n.nspname, c.relname, a.attname, format_type(a.atttypid, a.atttypmod),
            CASE WHEN a.attnotnull THEN ' not null' ELSE '' END,
            coalesce(' default ' || pg_get_expr(d.adbin, d.adrelid), ''),
            CASE a.attidentity WHEN 'a' THEN ' identity always' WHEN 'd' THEN ' identity by default' ELSE '' END)
     FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
     LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
    WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'v', 'm', 'f', 'p') AND ${SYSTEM_SCHEMAS}
      AND NOT (c.relname = ANY ($1))`,
  `SELECT format('constraint %I.%I %I %s', n.nspname, c.relname, k.conname, pg_get_constraintdef(k.oid))
     FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE ${SYSTEM_SCHEMAS} AND NOT (c.relname = ANY ($1))`,
  `SELECT format('index %s', pg_get_indexdef(i.indexrelid)) FROM pg_index i
     JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE ${SYSTEM_SCHEMAS} AND NOT (c.relname = ANY ($1))`,
  `SELECT format('view %I.%I %s', n.nspname, c.relname, pg_get_viewdef(c.oid)) FROM pg_class c
     JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('v', 'm') AND ${SYSTEM_SCHEMAS}`,
  `SELECT format('function %s', pg_get_functiondef(p.oid)) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
    WHERE p.prokind IN ('f', 'p') AND ${SYSTEM_SCHEMAS}
      AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')`,
  `SELECT format('trigger %s', pg_get_triggerdef(t.oid)) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
     JOIN pg_namespace n ON n.oid = c.relnamespace WHERE NOT t.tgisinternal AND ${SYSTEM_SCHEMAS}`,
  `SELECT format('type %I.%I enum %s', n.nspname, t.typname,
            (SELECT string_agg(quote_literal(e.enumlabel), ', ' ORDER BY e.enumsortorder) FROM pg_enum e WHERE e.enumtypid = t.oid))
     FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE t.typtype = 'e' AND ${SYSTEM_SCHEMAS}`,
  `SELECT format('policy %I.%I %I %s %s using %s check %s', schemaname, tablename, policyname, cmd, roles::text,
            coalesce(qual, '-'), coalesce(with_check, '-')) FROM pg_policies n
    WHERE schemaname NOT IN ('pg_catalog', 'information_schema')`,
  `SELECT format('extension %I', extname) FROM pg_extension WHERE extname <> 'plpgsql'`,
  `SELECT format('schema %I', n.nspname) FROM pg_namespace n WHERE ${SYSTEM_SCHEMAS} AND n.nspname <> 'public'`,
];

/** The schema's lines, sorted; `ignore` names tables left out (the tracking tables). */
export async function schemaSnapshot(db: ClientBase, ignore: string[]): Promise<string[]> {
  const lines: string[] = [];
  for (const sql of QUERIES) {
    const { rows } = await db.query({ text: sql, values: sql.includes('$1') ? [ignore] : [], rowMode: 'array' });
    for (const row of rows as unknown[][]) lines.push(String(row[0]));
  }
  return lines.sort();
}

/** What differs between two snapshots: lines only in `before` (lost) and only in `after` (left behind). */
export function schemaDifference(before: string[], after: string[]): { lost: string[]; extra: string[] } {
  const a = new Set(before);
  const b = new Set(after);
  return { lost: before.filter((l) => !b.has(l)), extra: after.filter((l) => !a.has(l)) };
}
