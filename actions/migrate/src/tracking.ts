// Tracking tables: where each format records what has been applied, written exactly as its own tool writes it,
// so a team can switch to shipline (or back) without re-baselining. Every write happens inside the migration's
// own transaction, so a file and its tracking row commit together or not at all.
import { readdirSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import type { ClientBase } from 'pg';
import { ShiplineError } from '../../../shared/errors.js';
import type { DownScript, MigrationFile } from './formats.js';
import { quoteLiteral } from './db.js';
import type { FormatName } from './inputs.js';
import { appendAll } from '../../../shared/collections.js';
import { prismaChecksum, prismaTracker } from './prisma.js';
import { drizzleTracker } from './formats/drizzle.js';

type Quote = (value: string) => string;

export interface AppliedRow {
  version: string;
  /** What drift is checked against: a checksum, or the Supabase CLI's stored statements. */
  checksum?: string;
  statements?: string[];
}

/**
 * A row the tool itself wrote for something that is not a SQL file of this folder: a Flyway Java (JDBC,
 * SPRING_JDBC) or repeatable (R__) migration, a goose Go migration, a dbmate row of another migrations folder.
 * Reported, never treated as drift, and never run by shipline.
 */
export interface ForeignRow {
  /** Its version, when it has one (a repeatable Flyway migration has none). */
  version?: string;
  /** What it is, in the tool's words. */
  description: string;
  /** The tool orders it among the files (Flyway, goose): a pending file older than it is out of order. */
  ordered?: boolean;
}

export interface History {
  /** Rows of migrations this folder's files can match. */
  rows: AppliedRow[];
  foreign: ForeignRow[];
  /** The tool's tracking table existed when it was read. */
  present: boolean;
}

export interface Tracker {
  /** The table, as messages name it. */
  table: string;
  /**
   * SQL creating the table as the tool creates it (and shipline's checksum side table where the tool's own has no
   * checksum), given whether the table was there when read; idempotent where the tool's own statements are. It is
   * sent as the first statements of the first batch of files, not on its own: it costs no round trip, and it joins
   * the first file's transaction (statements before a BEGIN in one query join its transaction), so a run that
   * applies nothing, or whose first file fails, creates nothing.
   */
  setup(present: boolean): string;
  /**
   * Rows as of now; none when the table does not exist yet (read-only commands never create it). `dir` is the
   * migrations folder, where a tool may keep migrations that are not SQL files (goose's Go migrations).
   */
  read(db: ClientBase, files: MigrationFile[], dir: string): Promise<History>;
  /**
   * SQL recording one applied migration, run in the migration's own transaction (and in the same round trip as
   * its statements); `statements` are the Supabase-style stored texts, `quote` makes a string literal. Asked for
   * after beginUnsafe where the file has that; always the same number of statements (counted once per tracker).
   */
  record(file: MigrationFile, statements: string[], quote: Quote): string;
  /** SQL run before a file that runs outside a transaction: marks the database dirty where the tool has a mark. */
  beginUnsafe?(file: MigrationFile, quote: Quote): string;
  /**
   * One statement run first in a file's transaction, for a tracker that records when the file started (now() is
   * the same for every transaction of one multi-statement query, so it cannot tell).
   */
  startFile?(file: MigrationFile): string;
  /**
   * SQL recording that `file` was reverted by its down script `down`, exactly as the tool records its own down,
   * run in the down's transaction; `previous` is the file before it in the folder's order. Formats without down
   * scripts have none.
   */
  unrecord?(file: MigrationFile, down: DownScript, previous: MigrationFile | undefined, quote: Quote): string;
}

// The first query of a read has no parameters (the names are shipline's own, written as literals): it can then
// travel in one message with the migration lock (lock.ts, lockAndRead).
async function tableExists(db: ClientBase, name: string): Promise<boolean> {
  const { rows } = await db.query(`SELECT to_regclass(${quoteLiteral(name)}) IS NOT NULL AS present`);
  return Boolean(rows[0]?.present);
}

/**
 * Formats whose own table has no checksum (dbmate, goose, golang-migrate) keep it here, written in the same
 * transaction as the tool's row; the tool itself never looks at this schema.
 */
const SIDE = 'shipline_migrations.checksums';

const SIDE_SETUP = `CREATE SCHEMA IF NOT EXISTS shipline_migrations;
    CREATE TABLE IF NOT EXISTS ${SIDE} (tracking text NOT NULL, version text NOT NULL, checksum text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (tracking, version))`;

async function readSide(db: ClientBase, tracking: string): Promise<Map<string, string>> {
  const { rows } = await db.query(`SELECT version, checksum FROM ${SIDE} WHERE tracking = $1`, [tracking]);
  return new Map(rows.map((r) => [String(r.version), String(r.checksum)]));
}

function recordSide(tracking: string, file: MigrationFile, quote: Quote): string {
  return `INSERT INTO ${SIDE} (tracking, version, checksum) VALUES (${quote(tracking)}, ${quote(file.version)}, ${quote(file.checksum)})
     ON CONFLICT (tracking, version) DO UPDATE SET checksum = excluded.checksum, applied_at = now()`;
}

/** Forgets a reverted file's checksum, where shipline's side table exists (a table the tool alone wrote has none). */
function unrecordSide(tracking: string, file: MigrationFile, quote: Quote): string {
  return `DO $shipline$ BEGIN IF to_regclass('${SIDE}') IS NOT NULL THEN
    DELETE FROM ${SIDE} WHERE tracking = ${quote(tracking)} AND version = ${quote(file.version)}; END IF; END $shipline$`;
}

const NONE: History = { rows: [], foreign: [], present: false };

const textArray = (values: string[], quote: Quote) => `ARRAY[${values.map(quote).join(', ')}]::text[]`;

const supabase: Tracker = {
  table: 'supabase_migrations.schema_migrations',
  // The Supabase CLI's own statements, minus its `SET lock_timeout = '4s'`, which leaks into user migrations.
  setup: () => `CREATE SCHEMA IF NOT EXISTS supabase_migrations;
      CREATE TABLE IF NOT EXISTS supabase_migrations.schema_migrations (version text NOT NULL PRIMARY KEY);
      ALTER TABLE supabase_migrations.schema_migrations ADD COLUMN IF NOT EXISTS statements text[];
      ALTER TABLE supabase_migrations.schema_migrations ADD COLUMN IF NOT EXISTS name text`,
  async read(db) {
    // Whether the table is there and has the column, in one round trip. pg_attribute, not information_schema: this
    // is often a new session's first query, and the view costs it some 15 ms of catalog loading on the server.
    const { rows: found } = await db.query(
      `SELECT to_regclass('supabase_migrations.schema_migrations') IS NOT NULL AS present, EXISTS (SELECT 1 FROM pg_attribute
         WHERE attrelid = to_regclass('supabase_migrations.schema_migrations') AND attname = 'statements' AND NOT attisdropped) AS statements`,
    );
    if (!found[0]?.present) return NONE;
    const { rows } = await db.query(
      `SELECT version${found[0].statements ? ', statements' : ''} FROM supabase_migrations.schema_migrations`,
    );
    return {
      rows: rows.map((r) => ({ version: String(r.version), statements: r.statements ?? undefined })),
      foreign: [],
      present: true,
    };
  },
  record(file, statements, quote) {
    return `INSERT INTO supabase_migrations.schema_migrations (version, name, statements) VALUES (${quote(file.version)}, ${quote(file.name)}, ${textArray(statements, quote)})`;
  },
};

/**
 * How a home-made `schema_migrations` writes a file's version. The CRB Analyser migrator stores the file stem
 * (`001_initial_schema`); others store the file name, the number as written (`001`) or the number (`1`).
 * Rule: each recorded version is matched against the files in this order of shapes, and new rows are written in
 * the shape the table already uses (the stem for a new table), so the team's own migrator keeps agreeing.
 */
const VERSION_SHAPES = ['stem', 'file', 'number', 'integer'] as const;
type VersionShape = (typeof VERSION_SHAPES)[number];

const numberOf = (file: MigrationFile) => /^\d+/.exec(file.fileName)?.[0] ?? file.version;

function versionInShape(file: MigrationFile, shape: VersionShape): string {
  switch (shape) {
    case 'stem':
      return file.version;
    case 'file':
      return file.fileName;
    case 'number':
      return numberOf(file);
    case 'integer':
      return String(BigInt(numberOf(file)));
  }
}

/** Recorded versions → the files they name, and the shape the table uses; an ambiguous version is an error. */
function matchShapes(recorded: string[], files: MigrationFile[]): { versions: string[]; shape: VersionShape } {
  const indexes = VERSION_SHAPES.map((shape) => {
    const index = new Map<string, MigrationFile[]>();
    for (const f of files) {
      const key = versionInShape(f, shape);
      index.set(key, [...(index.get(key) ?? []), f]);
    }
    return [shape, index] as const;
  });
  const used = new Map<VersionShape, number>();
  const versions: string[] = [];
  for (const value of recorded) {
    const hit = indexes.find(([, index]) => index.has(value));
    if (!hit) {
      versions.push(value);
      continue;
    }
    const [shape, index] = hit;
    const matches = index.get(value) as MigrationFile[];
    if (matches.length > 1)
      throw new ShiplineError(
        `schema_migrations records version ${value}, which could be any of ${matches.map((f) => f.file).join(', ')}`,
        {
          hint: 'Give those files distinct numbers, or record the full file stem as the version: shipline will not guess which one ran.',
        },
      );
    used.set(shape, (used.get(shape) ?? 0) + 1);
    versions.push((matches[0] as MigrationFile).version);
  }
  const shape = [...used].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 'stem';
  return { versions, shape };
}

function plainTracker(): Tracker {
  let shape: VersionShape = 'stem';
  return {
    table: 'schema_migrations',
    // Adopts the CRB Analyser table (version, applied_at) as it is, adding only the checksum column.
    setup:
      () => `CREATE TABLE IF NOT EXISTS schema_migrations (version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now());
        ALTER TABLE schema_migrations ADD COLUMN IF NOT EXISTS checksum text`,
    async read(db, files) {
      // Whether the table is there and has the column, in one round trip (pg_attribute: see the Supabase tracker).
      // The column is looked up on the table search_path finds, the one every later statement uses.
      const { rows: found } = await db.query(
        `SELECT to_regclass('schema_migrations') IS NOT NULL AS present, EXISTS (SELECT 1 FROM pg_attribute
           WHERE attrelid = to_regclass('schema_migrations') AND attname = 'checksum' AND NOT attisdropped) AS checksum`,
      );
      if (!found[0]?.present) return NONE;
      const { rows } = await db.query(
        `SELECT version::text AS version${found[0].checksum ? ', checksum' : ''} FROM schema_migrations`,
      );
      const matched = matchShapes(
        rows.map((r) => String(r.version)),
        files,
      );
      shape = matched.shape;
      return {
        rows: rows.map((r, i) => ({ version: matched.versions[i] as string, checksum: r.checksum ?? undefined })),
        foreign: [],
        present: true,
      };
    },
    record(file, _statements, quote) {
      return `INSERT INTO schema_migrations (version, applied_at, checksum) VALUES (${quote(versionInShape(file, shape))}, now(), ${quote(file.checksum)})`;
    },
  };
}

function withSide(
  tracker: Omit<Tracker, 'read' | 'record' | 'unrecord'> & {
    readVersions(db: ClientBase, files: MigrationFile[]): Promise<string[]>;
    insert(file: MigrationFile, quote: Quote): string;
    /** The tool's own statement after a down (the side table's row is forgotten with it). */
    remove(file: MigrationFile, previous: MigrationFile | undefined, quote: Quote): string;
    /** Recorded versions with no SQL file that the tool itself accounts for, described. */
    foreign?(versions: string[], files: MigrationFile[], dir: string): Map<string, string>;
  },
): Tracker {
  return {
    ...tracker,
    setup: (present) => [tracker.setup(present), SIDE_SETUP].filter(Boolean).join(';\n'),
    async read(db, files, dir) {
      // Both tables' presence in one round trip.
      const { rows: found } = await db.query(
        `SELECT to_regclass(${quoteLiteral(tracker.table)}) IS NOT NULL AS present, to_regclass('${SIDE}') IS NOT NULL AS side`,
      );
      if (!found[0]?.present) return NONE;
      const checksums = found[0].side ? await readSide(db, tracker.table) : new Map<string, string>();
      const versions = await tracker.readVersions(db, files);
      const foreign = tracker.foreign?.(versions, files, dir) ?? new Map<string, string>();
      return {
        rows: versions.filter((v) => !foreign.has(v)).map((version) => ({ version, checksum: checksums.get(version) })),
        foreign: [...foreign].map(([version, description]) => ({
          version,
          description,
          ordered: tracker.table === 'goose_db_version',
        })),
        present: true,
      };
    },
    record(file, _statements, quote) {
      return `${tracker.insert(file, quote)};\n${recordSide(tracker.table, file, quote)}`;
    },
    unrecord(file, _down, previous, quote) {
      return `${tracker.remove(file, previous, quote)};\n${unrecordSide(tracker.table, file, quote)}`;
    },
  };
}

const dbmate = withSide({
  table: 'schema_migrations',
  // As dbmate (2.27 and later) creates it: a plain varchar.
  setup: () => 'CREATE TABLE IF NOT EXISTS schema_migrations (version varchar PRIMARY KEY)',
  async readVersions(db) {
    const { rows } = await db.query('SELECT version::text AS version FROM schema_migrations');
    return rows.map((r) => String(r.version));
  },
  // dbmate never compares its rows with the files (a row of another --migrations-dir is normal to it).
  foreign: (versions, files) => {
    const known = new Set(files.map((f) => f.version));
    return new Map(
      versions
        .filter((v) => !known.has(v))
        .map((v) => [
          v,
          `dbmate version ${v}, with no file in this folder (dbmate itself does not check its rows against the files)`,
        ]),
    );
  },
  insert: (file, quote) => `INSERT INTO schema_migrations (version) VALUES (${quote(file.version)})`,
  // dbmate's down deletes the version's row (pkg/driver/postgres/postgres.go, DeleteMigration:
  // "delete from schema_migrations where version = $1"), in the down's transaction.
  remove: (file, _previous, quote) => `DELETE FROM schema_migrations WHERE version = ${quote(file.version)}`,
});

const goose = withSide({
  table: 'goose_db_version',
  // goose creates its table with a version 0 row; goose itself relies on it. A table already there is left as it is.
  setup: (present) =>
    present
      ? ''
      : `CREATE TABLE goose_db_version (id integer PRIMARY KEY GENERATED BY DEFAULT AS IDENTITY, version_id bigint NOT NULL,
      is_applied boolean NOT NULL, tstamp timestamp NOT NULL DEFAULT now());
      INSERT INTO goose_db_version (version_id, is_applied) VALUES (0, true)`,
  // The latest row per version says whether it is applied (a down migration adds an is_applied = false row).
  async readVersions(db) {
    const { rows } = await db.query(`SELECT version_id::text AS version FROM (
      SELECT DISTINCT ON (version_id) version_id, is_applied FROM goose_db_version ORDER BY version_id, id DESC) latest
      WHERE is_applied AND version_id <> 0`);
    return rows.map((r) => String(r.version));
  },
  // goose runs Go migrations (<version>_name.go, registered in code) from the same folder and the same table.
  foreign: (versions, files, dir) => {
    const known = new Set(files.map((f) => f.version));
    const goFiles = new Map<string, string>();
    for (const name of safeList(dir)) {
      const m = /^(\d+)_.+\.go$/.exec(name);
      if (m && !name.endsWith('_test.go')) goFiles.set(String(BigInt(m[1] as string)), name);
    }
    return new Map(
      versions
        .filter((v) => !known.has(v) && goFiles.has(v))
        .map((v) => [v, `goose Go migration ${goFiles.get(v)} (version ${v})`]),
    );
  },
  insert: (file, quote) =>
    `INSERT INTO goose_db_version (version_id, is_applied) VALUES (${quote(file.version)}, true)`,
  // goose v3 deletes the version's rows on a down rather than adding an is_applied = false row (provider_run.go,
  // maybeInsertOrDelete → store.Delete; internal/dialect/dialectquery/postgres.go, DeleteVersion:
  // "DELETE FROM goose_db_version WHERE version_id=$1"); the legacy goose.Down path does the same (migration.go,
  // deleteVersionSQL). readVersions above also reads the is_applied = false rows very old versions wrote.
  remove: (file, _previous, quote) => `DELETE FROM goose_db_version WHERE version_id = ${quote(file.version)}`,
});

/** golang-migrate keeps one row: the current version, and whether a migration died half-way (dirty). */
const golangMigrate: Tracker = withSide({
  table: 'schema_migrations',
  setup: () =>
    'CREATE TABLE IF NOT EXISTS schema_migrations (version bigint NOT NULL PRIMARY KEY, dirty boolean NOT NULL)',
  async readVersions(db, files) {
    const { rows } = await db.query('SELECT version::text AS version, dirty FROM schema_migrations LIMIT 1');
    const row = rows[0];
    if (!row) return [];
    if (row.dirty)
      throw new ShiplineError(
        `schema_migrations says version ${row.version} is dirty: a migration failed half-way outside a transaction`,
        {
          hint: 'Check that migration by hand, then set dirty = false (golang-migrate: migrate force <version>) and run again.',
        },
      );
    const current = BigInt(row.version);
    // Everything up to the current version counts as applied, as golang-migrate reads it; the current version
    // itself is listed even without a file, so a missing file is noticed.
    const versions = files.filter((f) => BigInt(f.version) <= current).map((f) => f.version);
    return versions.includes(String(current)) ? versions : [...versions, String(current)];
  },
  insert: (file, quote) =>
    `DELETE FROM schema_migrations; INSERT INTO schema_migrations (version, dirty) VALUES (${quote(file.version)}, false)`,
  // golang-migrate's down of version N leaves the version before it in the source (or none): migrate.go runs
  // SetVersion(prev, true), the down script, then SetVersion(prev, false); database/postgres SetVersion deletes the
  // row and inserts (version, dirty) only when version >= 0, so below the first migration the table is left empty.
  remove: (_file, previous, quote) =>
    previous
      ? `DELETE FROM schema_migrations; INSERT INTO schema_migrations (version, dirty) VALUES (${quote(previous.version)}, false)`
      : 'DELETE FROM schema_migrations',
});
golangMigrate.beginUnsafe = (file, quote) =>
  `DELETE FROM schema_migrations; INSERT INTO schema_migrations (version, dirty) VALUES (${quote(file.version)}, true)`;

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/** Flyway's checksum: CRC32 over the script's lines without their line endings (BOM dropped), as a signed int. */
export function flywayChecksum(content: string): number {
  let crc = 0;
  const lines = content.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  for (const line of lines) crc = crc32(Buffer.from(line, 'utf8'), crc);
  return crc | 0;
}

/** Row types of versioned migrations shipline runs from .sql files (and baselines, which count as applied). */
const FLYWAY_SQL_TYPES = new Set(['SQL', 'BASELINE', 'SQL_BASELINE', 'JDBC_BASELINE', 'SCRIPT_BASELINE']);
const FLYWAY_KINDS: Record<string, string> = {
  JDBC: 'Java migration',
  SPRING_JDBC: 'Spring Java migration',
  SCRIPT: 'script migration',
  CUSTOM: 'custom migration',
  UNDO_SQL: 'undo migration',
  UNDO_JDBC: 'Java undo migration',
  UNDO_SPRING_JDBC: 'Spring Java undo migration',
  UNDO_SCRIPT: 'undo script',
};

const flyway: Tracker = {
  table: 'flyway_schema_history',
  setup: (present) =>
    present
      ? ''
      : `CREATE TABLE flyway_schema_history (installed_rank integer NOT NULL, version varchar(50), description varchar(200) NOT NULL,
      type varchar(20) NOT NULL, script varchar(1000) NOT NULL, checksum integer, installed_by varchar(100) NOT NULL,
      installed_on timestamp NOT NULL DEFAULT now(), execution_time integer NOT NULL, success boolean NOT NULL,
      CONSTRAINT flyway_schema_history_pk PRIMARY KEY (installed_rank));
      CREATE INDEX flyway_schema_history_s_idx ON flyway_schema_history (success)`,
  async read(db) {
    if (!(await tableExists(db, 'flyway_schema_history'))) return NONE;
    const { rows } = await db.query(
      `SELECT version, description, type, script, checksum, success FROM flyway_schema_history WHERE type NOT IN ('SCHEMA', 'DELETE') ORDER BY installed_rank`,
    );
    const failed = rows.find((r) => !r.success);
    if (failed)
      throw new ShiplineError(
        `flyway_schema_history records a failed migration: ${failed.version === null ? `repeatable ${failed.script}` : `version ${failed.version}`}`,
        {
          hint: 'Clean up after it by hand, then remove the failed row (flyway repair) and run again.',
        },
      );
    const history: History = { rows: [], foreign: [], present: true };
    const repeatables = new Map<string, ForeignRow>();
    // Flyway's undo records an UNDO_SQL row after the version's SQL row, and the version then counts as not
    // applied (Flyway's "Undone" state, documentation.red-gate.com "Flyway schema history table"); applied again,
    // it gets a new SQL row. So a version's latest row alone says what it is.
    const latest = new Map<string, number>();
    rows.forEach((r, i) => r.version !== null && latest.set(String(r.version), i));
    for (const [i, r] of rows.entries()) {
      if (r.version !== null && (latest.get(String(r.version)) !== i || String(r.type).startsWith('UNDO_'))) continue;
      const type = String(r.type);
      if (r.version === null) {
        // Flyway re-records a repeatable migration each time its checksum changes: the latest row stands for it.
        repeatables.set(String(r.script), {
          description: `repeatable migration ${r.script} (${type}), re-run by Flyway when it changes`,
        });
      } else if (FLYWAY_SQL_TYPES.has(type)) {
        history.rows.push({
          version: String(r.version),
          checksum: type.endsWith('BASELINE') || r.checksum === null ? undefined : String(r.checksum),
        });
      } else {
        history.foreign.push({
          version: String(r.version),
          ordered: true,
          description: `${FLYWAY_KINDS[type] ?? `${type} migration`} ${r.script} (version ${r.version}, ${type})`,
        });
      }
    }
    appendAll(history.foreign, repeatables.values());
    return history;
  },
  /**
   * Flyway Teams' undo adds a row for the undo script (type UNDO_SQL, the undone version, the U file's name,
   * description and checksum) rather than removing the SQL row.
   */
  unrecord(file, down, _previous, quote) {
    const description = /^U[^_]*(?:_\d+)*__(.+)\.sql$/.exec(down.fileName)?.[1]?.replace(/_/g, ' ') ?? file.name;
    return `INSERT INTO flyway_schema_history (installed_rank, version, description, type, script, checksum, installed_by, execution_time, success)
       SELECT coalesce(max(installed_rank), 0) + 1, ${quote(file.version)}, ${quote(description)}, 'UNDO_SQL', ${quote(down.fileName)}, ${flywayChecksum(down.content)},
         current_user, (extract(epoch FROM clock_timestamp() - now()) * 1000)::int, true FROM flyway_schema_history`;
  },
  // execution_time: the time since the migration's transaction began (now() is its start).
  record(file, _statements, quote) {
    return `INSERT INTO flyway_schema_history (installed_rank, version, description, type, script, checksum, installed_by, execution_time, success)
       SELECT coalesce(max(installed_rank), 0) + 1, ${quote(file.version)}, ${quote(file.name)}, 'SQL', ${quote(file.fileName)}, ${flywayChecksum(file.content)},
         current_user, (extract(epoch FROM clock_timestamp() - now()) * 1000)::int, true FROM flyway_schema_history`;
  },
};

/** Where a tool lets a team name its tracking table (drizzle-orm's migrationsSchema / migrationsTable). */
interface TrackingTableNames {
  drizzleSchema?: string;
  drizzleTable?: string;
}

/** The tracker of a format, fresh for each run (a home-made table's version shape is learnt when it is read). */
export function trackerFor(format: FormatName, names: TrackingTableNames = {}): Tracker {
  if (format === 'plain') return plainTracker();
  if (format === 'prisma') return prismaTracker();
  if (format === 'drizzle') return drizzleTracker(names.drizzleSchema, names.drizzleTable);
  return { supabase, dbmate, goose, 'golang-migrate': golangMigrate, flyway }[format];
}

/** The value a format's tracking row holds for drift checks, to compare with a file. */
export function expectedChecksum(format: FormatName, file: MigrationFile): string {
  if (format === 'prisma') return prismaChecksum(file.content);
  return format === 'flyway' ? String(flywayChecksum(file.content)) : file.checksum;
}
