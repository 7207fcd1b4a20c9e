// The judge for the Prisma format: `prisma migrate deploy` and `prisma migrate status` as Prisma's schema engine
// carries them out, statement for statement. The Prisma CLI in node_modules (7.10) cannot run them here: it
// downloads its native schema engine first, and this machine has no internet (actions/migrate/README.md, "Prisma").
// So the judge follows the engine's source (prisma/prisma-engines, schema-engine/), quoted at each step, and the
// CLI's own folder listing (node_modules/prisma/build/cli.js); each test then asks it whether it considers the
// database up to date and whether it carries on.
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';

export interface JudgeMigration {
  name: string;
  script: string;
}

/**
 * cli.js: `for (let p of c.filter(f => f.isDirectory())) … readFile(join(f, "migration.sql"), {encoding: "utf-8"})`,
 * then `u.sort((p, f) => p.path.localeCompare(f.path))`.
 */
export function listMigrations(dir: string): JudgeMigration[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => ({ name: e.name, script: readFileSync(join(dir, e.name, 'migration.sql'), 'utf8') }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** checksum.rs `render_checksum`: sha256, `{byte:02x}`. */
const checksum = (script: string) => createHash('sha256').update(script).digest('hex');

/** checksum.rs `script_matches_checksum`: the script as is, CRLF→LF, LF→CRLF. */
function matches(script: string, recorded: string): boolean {
  return [script, script.replace(/\r\n/g, '\n'), script.replace(/\n/g, '\r\n')].some((s) => checksum(s) === recorded);
}

export class JudgeError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(`${code}: ${message}`);
  }
}

interface Row {
  id: string;
  checksum: string;
  finished_at: Date | null;
  migration_name: string;
  logs: string | null;
  rolled_back_at: Date | null;
  started_at: Date;
  applied_steps_count: number;
}

async function withClient<T>(url: string, f: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await f(client);
  } finally {
    await client.end();
  }
}

async function tableNames(c: pg.Client): Promise<string[]> {
  // postgres.rs `table_names`: relkind 'r' in the search path's schema.
  const { rows } = await c.query(
    `SELECT tbl.relname AS table_name FROM pg_class AS tbl INNER JOIN pg_namespace AS namespace ON namespace.oid = tbl.relnamespace
      WHERE tbl.relkind = 'r' AND namespace.nspname = ANY ($1)`,
    [['public']],
  );
  return rows.map((r) => String(r.table_name));
}

/** sql_migration_persistence.rs `list_migrations` (`load_migrations_table`): every column, ordered by started_at. */
async function listRows(c: pg.Client): Promise<Row[]> {
  const { rows } = await c.query(
    'SELECT id, checksum, finished_at, migration_name, logs, rolled_back_at, started_at, applied_steps_count FROM _prisma_migrations ORDER BY started_at ASC',
  );
  return rows as Row[];
}

/** apply_migrations.rs `detect_failed_migrations`. */
function detectFailed(rows: Row[]): void {
  const failed = rows.filter((m) => m.finished_at === null && m.rolled_back_at === null);
  if (failed.length === 0) return;
  throw new JudgeError(
    'P3009',
    failed
      .map(
        (m) =>
          `The \`${m.migration_name}\` migration started at ${m.started_at.toISOString()} failed${m.logs?.trim() ? ` with the following logs:\n${m.logs.trim()}` : ''}`,
      )
      .join('\n'),
  );
}

/** `prisma migrate deploy`: apply_migrations.rs, step by step. Returns the names it applied. */
export async function prismaDeploy(url: string, dir: string): Promise<string[]> {
  const migrations = listMigrations(dir);
  return withClient(url, async (c) => {
    // postgres.rs `acquire_lock`: "SELECT pg_advisory_lock(72707369)".
    await c.query('SELECT pg_advisory_lock(72707369)');
    // `initialize`: the table exists, or the schema must be empty (P3005), then `create_migrations_table`.
    const tables = await tableNames(c);
    if (!tables.includes('_prisma_migrations')) {
      if (tables.length > 0) throw new JudgeError('P3005', 'The database schema is not empty.');
      await c.query(`CREATE TABLE _prisma_migrations (
    id                      VARCHAR(36) PRIMARY KEY NOT NULL,
    checksum                VARCHAR(64) NOT NULL,
    finished_at             TIMESTAMPTZ,
    migration_name          VARCHAR(255) NOT NULL,
    logs                    TEXT,
    rolled_back_at          TIMESTAMPTZ,
    started_at              TIMESTAMPTZ NOT NULL DEFAULT now(),
    applied_steps_count     INTEGER NOT NULL DEFAULT 0
);
`);
    }
    const rows = await listRows(c);
    detectFailed(rows);
    const unapplied = migrations.filter(
      (fs) => !rows.filter((db) => db.rolled_back_at === null).some((db) => db.migration_name === fs.name),
    );
    const applied: string[] = [];
    for (const m of unapplied) {
      // `record_migration_started_impl`: id Uuid::new_v4, checksum, started_at Utc::now, migration_name.
      const id = randomUUID();
      await c.query(
        'INSERT INTO _prisma_migrations (id, checksum, started_at, migration_name) VALUES ($1, $2, $3, $4)',
        [id, checksum(m.script), new Date(), m.name],
      );
      try {
        // connection.rs `apply_migration_script`: `client.simple_query(script)` (node-postgres sends a query
        // without parameters as one simple-protocol Query message).
        await c.query(m.script);
      } catch (error) {
        // `record_failed_step`: logs.
        await c.query('UPDATE _prisma_migrations SET logs = $1 WHERE id = $2', [(error as Error).message, id]);
        throw new JudgeError(
          'P3018',
          `A migration failed to apply. Migration name: ${m.name}\n${(error as Error).message}`,
        );
      }
      // `record_successful_step`, then `record_migration_finished`.
      await c.query('UPDATE _prisma_migrations SET applied_steps_count = applied_steps_count + 1 WHERE id = $1', [id]);
      await c.query('UPDATE _prisma_migrations SET finished_at = $1 WHERE id = $2', [new Date(), id]);
      applied.push(m.name);
    }
    await c.query('SELECT pg_advisory_unlock(72707369)');
    return applied;
  });
}

export interface JudgeStatus {
  upToDate: boolean;
  failed: string[];
  edited: string[];
  unapplied: string[];
  missingLocally: string[];
}

/**
 * `prisma migrate status`: diagnose_migration_history.rs — failed migrations, edited ones (a finished row whose
 * checksum the script does not match), unapplied ones, and rows with no folder.
 */
export async function prismaStatus(url: string, dir: string): Promise<JudgeStatus> {
  const migrations = listMigrations(dir);
  return withClient(url, async (c) => {
    const rows = (await tableNames(c)).includes('_prisma_migrations') ? await listRows(c) : [];
    const live = rows.filter((r) => r.rolled_back_at === null);
    const byName = new Map(migrations.map((m) => [m.name, m]));
    const failed = live.filter((r) => r.finished_at === null).map((r) => r.migration_name);
    const edited = live
      .filter((r) => r.finished_at !== null && byName.has(r.migration_name))
      .filter((r) => !matches((byName.get(r.migration_name) as JudgeMigration).script, r.checksum))
      .map((r) => r.migration_name);
    const unapplied = migrations.filter((m) => !live.some((r) => r.migration_name === m.name)).map((m) => m.name);
    const missingLocally = live.filter((r) => !byName.has(r.migration_name)).map((r) => r.migration_name);
    return {
      upToDate: failed.length + edited.length + unapplied.length + missingLocally.length === 0,
      failed,
      edited,
      unapplied,
      missingLocally,
    };
  });
}

/** Every row of `_prisma_migrations`, for comparing what shipline wrote with what the engine writes. */
export function prismaRows(url: string): Promise<Row[]> {
  return withClient(url, listRows);
}

/** The schema of `public` without the tracking table: tables, columns, indexes, constraints, enums, functions. */
export async function schemaOf(url: string): Promise<string> {
  return withClient(url, async (c) => {
    const parts: Record<string, unknown> = {};
    const q = async (key: string, sql: string) => {
      parts[key] = (await c.query(sql)).rows;
    };
    await q(
      'columns',
      `SELECT table_name, column_name, ordinal_position, data_type, udt_name, is_nullable, column_default, character_maximum_length
         FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'
        ORDER BY table_name, ordinal_position`,
    );
    await q(
      'indexes',
      `SELECT i.relname AS name, pg_get_indexdef(i.oid) AS def, x.indisvalid AS valid FROM pg_index x
         JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace
        WHERE n.nspname = 'public' AND t.relname <> '_prisma_migrations' ORDER BY 1`,
    );
    await q(
      'constraints',
      `SELECT c.conrelid::regclass::text AS tbl, c.conname, pg_get_constraintdef(c.oid) AS def FROM pg_constraint c
         JOIN pg_namespace n ON n.oid = c.connamespace WHERE n.nspname = 'public' AND c.conrelid::regclass::text <> '_prisma_migrations' ORDER BY 1, 2`,
    );
    await q(
      'enums',
      `SELECT t.typname, array_agg(e.enumlabel ORDER BY e.enumsortorder)::text AS labels FROM pg_type t
         JOIN pg_enum e ON e.enumtypid = t.oid JOIN pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname = 'public' GROUP BY 1 ORDER BY 1`,
    );
    await q(
      'functions',
      `SELECT p.proname, pg_get_functiondef(p.oid) AS def FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
        WHERE n.nspname = 'public' AND p.prokind IN ('f', 'p') ORDER BY 1, 2`,
    );
    return JSON.stringify(parts, null, 1);
  });
}

/** A copy of a Prisma folder's first `count` migrations (all when undefined), with its lock file. */
export function prismaFolderFiles(dir: string, count?: number): Record<string, string> {
  const files: Record<string, string> = {};
  const lock = join(dir, 'migration_lock.toml');
  if (existsSync(lock)) files['prisma/migrations/migration_lock.toml'] = readFileSync(lock, 'utf8');
  for (const m of listMigrations(dir).slice(0, count)) files[`prisma/migrations/${m.name}/migration.sql`] = m.script;
  return files;
}
