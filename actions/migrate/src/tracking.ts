// Tracking tables: where each format records what has been applied, written exactly as its own tool writes it,
// so a team can switch to shipline (or back) without re-baselining. Every write happens inside the migration's
// own transaction, so a file and its tracking row commit together or not at all.
import { crc32 } from 'node:zlib';
import type { ClientBase } from 'pg';
import { ShiplineError } from '../../../shared/errors.js';
import type { MigrationFile } from './formats.js';
import type { FormatName } from './inputs.js';

export type Quote = (value: string) => string;

export interface AppliedRow {
  version: string;
  /** What drift is checked against: a checksum, or the Supabase CLI's stored statements. */
  checksum?: string;
  statements?: string[];
}

export interface Tracker {
  /** The table, as messages name it. */
  table: string;
  /** Creates the table (and shipline's checksum side table where the tool's own has no checksum). */
  ensure(db: ClientBase): Promise<void>;
  /** Rows as of now; [] when the table does not exist yet (read-only commands never create it). */
  read(db: ClientBase, files: MigrationFile[]): Promise<AppliedRow[]>;
  /**
   * SQL recording one applied migration, run in the migration's own transaction (and in the same round trip as
   * its statements); `statements` are the Supabase-style stored texts, `quote` makes a string literal.
   */
  record(file: MigrationFile, statements: string[], quote: Quote): string;
  /** SQL run before a file that runs outside a transaction: marks the database dirty where the tool has a mark. */
  beginUnsafe?(file: MigrationFile, quote: Quote): string;
}

async function tableExists(db: ClientBase, name: string): Promise<boolean> {
  const { rows } = await db.query('SELECT to_regclass($1) IS NOT NULL AS present', [name]);
  return Boolean(rows[0]?.present);
}

/**
 * Formats whose own table has no checksum (dbmate, goose, golang-migrate) keep it here, written in the same
 * transaction as the tool's row; the tool itself never looks at this schema.
 */
const SIDE = 'shipline_migrations.checksums';

async function ensureSide(db: ClientBase): Promise<void> {
  await db.query(`CREATE SCHEMA IF NOT EXISTS shipline_migrations;
    CREATE TABLE IF NOT EXISTS ${SIDE} (tracking text NOT NULL, version text NOT NULL, checksum text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (tracking, version))`);
}

async function readSide(db: ClientBase, tracking: string): Promise<Map<string, string>> {
  if (!(await tableExists(db, SIDE))) return new Map();
  const { rows } = await db.query(`SELECT version, checksum FROM ${SIDE} WHERE tracking = $1`, [tracking]);
  return new Map(rows.map((r) => [String(r.version), String(r.checksum)]));
}

function recordSide(tracking: string, file: MigrationFile, quote: Quote): string {
  return `INSERT INTO ${SIDE} (tracking, version, checksum) VALUES (${quote(tracking)}, ${quote(file.version)}, ${quote(file.checksum)})
     ON CONFLICT (tracking, version) DO UPDATE SET checksum = excluded.checksum, applied_at = now()`;
}

const textArray = (values: string[], quote: Quote) => `ARRAY[${values.map(quote).join(', ')}]::text[]`;

const supabase: Tracker = {
  table: 'supabase_migrations.schema_migrations',
  // The Supabase CLI's own statements, minus its `SET lock_timeout = '4s'`, which leaks into user migrations.
  async ensure(db) {
    await db.query(`CREATE SCHEMA IF NOT EXISTS supabase_migrations;
      CREATE TABLE IF NOT EXISTS supabase_migrations.schema_migrations (version text NOT NULL PRIMARY KEY);
      ALTER TABLE supabase_migrations.schema_migrations ADD COLUMN IF NOT EXISTS statements text[];
      ALTER TABLE supabase_migrations.schema_migrations ADD COLUMN IF NOT EXISTS name text`);
  },
  async read(db) {
    if (!(await tableExists(db, this.table))) return [];
    const { rows: columns } = await db.query(
      `SELECT 1 FROM information_schema.columns WHERE table_schema = 'supabase_migrations' AND table_name = 'schema_migrations' AND column_name = 'statements'`,
    );
    const { rows } = await db.query(`SELECT version${columns.length > 0 ? ', statements' : ''} FROM supabase_migrations.schema_migrations`);
    return rows.map((r) => ({ version: String(r.version), statements: r.statements ?? undefined }));
  },
  record(file, statements, quote) {
    return `INSERT INTO supabase_migrations.schema_migrations (version, name, statements) VALUES (${quote(file.version)}, ${quote(file.name)}, ${textArray(statements, quote)})`;
  },
};

const plain: Tracker = {
  table: 'schema_migrations',
  // Adopts the CRB Analyser table (version, applied_at) as it is, adding only the checksum column.
  async ensure(db) {
    await db.query(`CREATE TABLE IF NOT EXISTS schema_migrations (version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now());
      ALTER TABLE schema_migrations ADD COLUMN IF NOT EXISTS checksum text`);
  },
  async read(db) {
    if (!(await tableExists(db, 'schema_migrations'))) return [];
    const { rows: columns } = await db.query(
      `SELECT 1 FROM information_schema.columns WHERE table_name = 'schema_migrations' AND column_name = 'checksum' AND table_schema = ANY (current_schemas(false))`,
    );
    const { rows } = await db.query(`SELECT version::text AS version${columns.length > 0 ? ', checksum' : ''} FROM schema_migrations`);
    return rows.map((r) => ({ version: String(r.version), checksum: r.checksum ?? undefined }));
  },
  record(file, _statements, quote) {
    return `INSERT INTO schema_migrations (version, applied_at, checksum) VALUES (${quote(file.version)}, now(), ${quote(file.checksum)})`;
  },
};

function withSide(
  tracker: Omit<Tracker, 'read' | 'record'> & { readVersions(db: ClientBase, files: MigrationFile[]): Promise<string[]>; insert(file: MigrationFile, quote: Quote): string },
): Tracker {
  return {
    ...tracker,
    async ensure(db) {
      await tracker.ensure(db);
      await ensureSide(db);
    },
    async read(db, files) {
      if (!(await tableExists(db, tracker.table))) return [];
      const checksums = await readSide(db, tracker.table);
      return (await tracker.readVersions(db, files)).map((version) => ({ version, checksum: checksums.get(version) }));
    },
    record(file, _statements, quote) {
      return `${tracker.insert(file, quote)};\n${recordSide(tracker.table, file, quote)}`;
    },
  };
}

const dbmate = withSide({
  table: 'schema_migrations',
  async ensure(db) {
    await db.query('CREATE TABLE IF NOT EXISTS schema_migrations (version varchar(128) PRIMARY KEY)');
  },
  async readVersions(db) {
    const { rows } = await db.query('SELECT version::text AS version FROM schema_migrations');
    return rows.map((r) => String(r.version));
  },
  insert: (file, quote) => `INSERT INTO schema_migrations (version) VALUES (${quote(file.version)})`,
});

const goose = withSide({
  table: 'goose_db_version',
  async ensure(db) {
    if (await tableExists(db, 'goose_db_version')) return;
    // goose creates its table with a version 0 row; goose itself relies on it.
    await db.query(`CREATE TABLE goose_db_version (id integer PRIMARY KEY GENERATED BY DEFAULT AS IDENTITY, version_id bigint NOT NULL,
      is_applied boolean NOT NULL, tstamp timestamp NOT NULL DEFAULT now());
      INSERT INTO goose_db_version (version_id, is_applied) VALUES (0, true)`);
  },
  // The latest row per version says whether it is applied (a down migration adds an is_applied = false row).
  async readVersions(db) {
    const { rows } = await db.query(`SELECT version_id::text AS version FROM (
      SELECT DISTINCT ON (version_id) version_id, is_applied FROM goose_db_version ORDER BY version_id, id DESC) latest
      WHERE is_applied AND version_id <> 0`);
    return rows.map((r) => String(r.version));
  },
  insert: (file, quote) => `INSERT INTO goose_db_version (version_id, is_applied) VALUES (${quote(file.version)}, true)`,
});

/** golang-migrate keeps one row: the current version, and whether a migration died half-way (dirty). */
const golangMigrate: Tracker = withSide({
  table: 'schema_migrations',
  async ensure(db) {
    await db.query('CREATE TABLE IF NOT EXISTS schema_migrations (version bigint NOT NULL PRIMARY KEY, dirty boolean NOT NULL)');
  },
  async readVersions(db, files) {
    const { rows } = await db.query('SELECT version::text AS version, dirty FROM schema_migrations LIMIT 1');
    const row = rows[0];
    if (!row) return [];
    if (row.dirty)
      throw new ShiplineError(`schema_migrations says version ${row.version} is dirty: a migration failed half-way outside a transaction`, {
        hint: 'Check that migration by hand, then set dirty = false (golang-migrate: migrate force <version>) and run again.',
      });
    const current = BigInt(row.version);
    // Everything up to the current version counts as applied, as golang-migrate reads it; the current version
    // itself is listed even without a file, so a missing file is noticed.
    const versions = files.filter((f) => BigInt(f.version) <= current).map((f) => f.version);
    return versions.includes(String(current)) ? versions : [...versions, String(current)];
  },
  insert: (file, quote) => `DELETE FROM schema_migrations; INSERT INTO schema_migrations (version, dirty) VALUES (${quote(file.version)}, false)`,
});
golangMigrate.beginUnsafe = (file, quote) => `DELETE FROM schema_migrations; INSERT INTO schema_migrations (version, dirty) VALUES (${quote(file.version)}, true)`;

/** Flyway's checksum: CRC32 over the script's lines without their line endings (BOM dropped), as a signed int. */
export function flywayChecksum(content: string): number {
  let crc = 0;
  const lines = content.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  for (const line of lines) crc = crc32(Buffer.from(line, 'utf8'), crc);
  return crc | 0;
}

const flyway: Tracker = {
  table: 'flyway_schema_history',
  async ensure(db) {
    if (await tableExists(db, 'flyway_schema_history')) return;
    await db.query(`CREATE TABLE flyway_schema_history (installed_rank integer NOT NULL, version varchar(50), description varchar(200) NOT NULL,
      type varchar(20) NOT NULL, script varchar(1000) NOT NULL, checksum integer, installed_by varchar(100) NOT NULL,
      installed_on timestamp NOT NULL DEFAULT now(), execution_time integer NOT NULL, success boolean NOT NULL,
      CONSTRAINT flyway_schema_history_pk PRIMARY KEY (installed_rank));
      CREATE INDEX flyway_schema_history_s_idx ON flyway_schema_history (success)`);
  },
  async read(db) {
    if (!(await tableExists(db, 'flyway_schema_history'))) return [];
    const { rows } = await db.query(
      `SELECT version, checksum, success, type FROM flyway_schema_history WHERE version IS NOT NULL AND type NOT IN ('SCHEMA', 'DELETE') ORDER BY installed_rank`,
    );
    const failed = rows.find((r) => !r.success);
    if (failed)
      throw new ShiplineError(`flyway_schema_history records a failed migration at version ${failed.version}`, {
        hint: 'Clean up after it by hand, then remove the failed row (flyway repair) and run again.',
      });
    return rows.map((r) => ({ version: String(r.version), checksum: r.type === 'BASELINE' || r.checksum === null ? undefined : String(r.checksum) }));
  },
  // execution_time: the time since the migration's transaction began (now() is its start).
  record(file, _statements, quote) {
    return `INSERT INTO flyway_schema_history (installed_rank, version, description, type, script, checksum, installed_by, execution_time, success)
       SELECT coalesce(max(installed_rank), 0) + 1, ${quote(file.version)}, ${quote(file.name)}, 'SQL', ${quote(file.fileName)}, ${flywayChecksum(file.content)},
         current_user, (extract(epoch FROM clock_timestamp() - now()) * 1000)::int, true FROM flyway_schema_history`;
  },
};

export const TRACKERS: Record<FormatName, Tracker> = { supabase, plain, dbmate, goose, 'golang-migrate': golangMigrate, flyway };

/** The value a format's tracking row holds for drift checks, to compare with a file. */
export function expectedChecksum(format: FormatName, file: MigrationFile): string {
  return format === 'flyway' ? String(flywayChecksum(file.content)) : file.checksum;
}
