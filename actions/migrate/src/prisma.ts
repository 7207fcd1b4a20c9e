// Prisma Migrate folders (`prisma/migrations`: one folder per migration holding `migration.sql`, and
// `migration_lock.toml`) and its tracking table `_prisma_migrations`, read and written exactly as `prisma migrate
// deploy` does, so that Prisma and shipline can take turns on one database.
//
// What Prisma does, from its source (Prisma CLI 7.10, node_modules/prisma/build/cli.js, and prisma/prisma-engines
// schema-engine/):
// - The CLI lists the folders (cli.js, listing the migrations directory):
//     for (let p of c.filter(f => f.isDirectory())) { … readFile(join(f, "migration.sql"), {encoding: "utf-8"}) … }
//     let l = u.sort((p, f) => p.path.localeCompare(f.path));
//   every sub-folder is a migration, in `localeCompare` order of the folder names; files beside them are ignored.
// - `apply_migrations` (schema-engine/core/src/commands/apply_migrations.rs) takes the advisory lock, refuses when a
//   row failed (`detect_failed_migrations`: `finished_at.is_none() && rolled_back_at.is_none()` → P3009), and applies
//   every folder with no row that is not rolled back (`.filter(|db_migration| db_migration.rolled_back_at.is_none())
//   .any(|db_migration| db_migration.migration_name == fs_migration.migration_name())`), in folder order; it
//   never compares checksums (only `migrate status`/`dev` report edited migrations).
// - For each: `record_migration_started` inserts `id` (`Uuid::new_v4()`), `checksum`, `started_at` (now) and
//   `migration_name`; the script runs; then `record_successful_step` (`applied_steps_count + 1`) and
//   `record_migration_finished` (`finished_at` = now) (sql-schema-connector/src/sql_migration_persistence.rs). A
//   failed script leaves the row with `finished_at` NULL and the error in `logs` (`record_failed_step`).
// - The script is sent whole as one simple-protocol query (flavour/postgres/connection.rs,
//   `apply_migration_script`: `client.simple_query(script)`), with no BEGIN of Prisma's own. PostgreSQL runs a
//   multi-statement simple query as one implicit transaction, so a script without BEGIN/COMMIT is all or nothing,
//   and CREATE INDEX CONCURRENTLY only works as a script's only statement.
// - The checksum is the SHA-256 of the script as hex (schema-connector/src/checksum.rs, `render_checksum`); when
//   comparing, the script also matches with CRLF turned into LF and LF into CRLF ("git messes with line endings"),
//   and checksums of old rows that were not zero-padded (`format_checksum_old`, `{byte:x}`) still match.
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { ShiplineError } from '../../../shared/errors.js';
import type { FormatSpec, MigrationFile } from './formats.js';
import type { AppliedRow, History, Tracker } from './tracking.js';

const PRISMA_TABLE = '_prisma_migrations';
const LOCK_FILE = 'migration_lock.toml';
const SCRIPT = 'migration.sql';
/** Where a file's transaction keeps the time it began (transaction-local: gone at its COMMIT). */
const STARTED_SETTING = 'shipline.prisma_started_at';

/** shipline's own opt-out, as formats.ts accepts it in every format. */
const NO_TRANSACTION_MARKER = /^\s*--\s*(shipline:no-transaction|atlas:txmode\s+none)\s*$/im;

/** Prisma's checksum of a script: SHA-256 of its UTF-8 text, 64 lowercase hex digits. */
export function prismaChecksum(script: string): string {
  return createHash('sha256').update(script).digest('hex');
}

/** The digest as Prisma wrote it before zero-padding (`{byte:x}`: 0x0a becomes "a"). */
function unpadded(script: string): string {
  return [...createHash('sha256').update(script).digest()].map((b) => b.toString(16)).join('');
}

/** Whether a recorded checksum is this script's, as Prisma's `script_matches_checksum` decides. */
function prismaChecksumMatches(script: string, checksum: string): boolean {
  const variants = [script, script.replace(/\r\n/g, '\n'), script.replace(/\n/g, '\r\n')];
  const render = checksum !== '' && checksum.length !== 64 ? unpadded : prismaChecksum;
  return variants.some((v) => render(v) === checksum);
}

/** The provider migration_lock.toml names, read as Prisma's `read_provider_from_lock_file` reads it. */
function lockProvider(dir: string): string | undefined {
  const path = join(dir, LOCK_FILE);
  if (!existsSync(path)) return undefined;
  const line = readFileSync(path, 'utf8')
    .split(/\r?\n/)
    .find((l) => l.startsWith('provider'));
  return line ? line.replace(/^provider = /, '').replace(/^"+|"+$/g, '') : '<PROVIDER NOT FOUND>';
}

/** A Prisma migrations folder: migration_lock.toml, or sub-folders holding migration.sql and no .sql files beside them. */
export function isPrismaFolder(dir: string): boolean {
  if (existsSync(join(dir, LOCK_FILE))) return true;
  const entries = readdirSync(dir, { withFileTypes: true });
  if (entries.some((e) => e.isFile() && e.name.endsWith('.sql'))) return false;
  return entries.some((e) => e.isDirectory() && existsSync(join(dir, e.name, SCRIPT)));
}

/**
 * `a.localeCompare(b)` with no locale or options compares as `new Intl.Collator().compare` does (ECMA-402
 * String.prototype.localeCompare); one collator for the whole sort spares building one per comparison.
 */
const defaultCollator = new Intl.Collator();

export const prismaFormat: FormatSpec = {
  name: 'prisma',
  // A migration is a folder, not a file name: readPrismaFolder lists them.
  match: () => undefined,
  // Prisma's own order: `p.path.localeCompare(f.path)` on the folder names.
  compare: (a, b) => defaultCollator.compare(a, b),
  up: (content) => ({ up: content, offset: 0, noTransaction: NO_TRANSACTION_MARKER.test(content) }),
};

/**
 * The migrations of a Prisma folder, in Prisma's order. A folder without migration.sql, or a lock file naming a
 * provider other than PostgreSQL, is a problem reported before anything runs (Prisma itself fails on the first
 * when it reaches it, and on the second before it starts).
 */
export function readPrismaFolder(dir: string, workspace: string): { files: MigrationFile[]; skipped: string[] } {
  const problems: string[] = [];
  const provider = lockProvider(dir);
  if (provider !== undefined && provider !== 'postgresql')
    problems.push(
      `${LOCK_FILE} says provider = "${provider}": shipline migrates PostgreSQL, so only a folder Prisma wrote for provider "postgresql" can run here`,
    );
  const relativeDir = relative(workspace, dir).split(sep).join('/');
  const files: MigrationFile[] = [];
  const skipped: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory()) {
      if (entry.name.endsWith('.sql')) skipped.push(entry.name);
      continue;
    }
    const folder = entry.name;
    const fileName = `${folder}/${SCRIPT}`;
    const file = relativeDir ? `${relativeDir}/${fileName}` : fileName;
    const path = join(dir, folder, SCRIPT);
    let content: string;
    try {
      content = readFileSync(path, 'utf8');
    } catch {
      problems.push(`${file}: no such readable file (Prisma fails on this folder too)`);
      continue;
    }
    const up = prismaFormat.up(content);
    files.push({
      version: folder,
      name: folder.replace(/^\d+_/, ''),
      fileName,
      file,
      path,
      content,
      up: up.up,
      upOffset: up.offset,
      noTransaction: up.noTransaction,
      checksum: prismaChecksum(content),
    });
  }
  if (problems.length > 0) throw new ShiplineError(`The migrations folder has problems:\n- ${problems.join('\n- ')}`);
  files.sort((a, b) => prismaFormat.compare(a.version, b.version));
  skipped.sort();
  return { files, skipped };
}

interface PrismaRow {
  checksum: string;
  migration_name: string;
  finished: boolean;
  rolled_back: boolean;
  started_at: string;
  logs: string | null;
}

/** The commands that clear a failed row, as Prisma's P3009 message asks for them (a shell-quoted name). */
function resolveCommands(name: string): { rolledBack: string; applied: string } {
  const quoted = `"${name.replace(/(["\\$`])/g, '\\$1')}"`;
  return {
    rolledBack: `npx prisma migrate resolve --rolled-back ${quoted}`,
    applied: `npx prisma migrate resolve --applied ${quoted}`,
  };
}

/** A row Prisma (or shipline, on a file run outside a transaction) left started and never finished: P3009. */
class PrismaFailedMigration extends ShiplineError {}

function failedError(failed: PrismaRow[], files: MigrationFile[]): PrismaFailedMigration {
  const byName = new Map(files.map((f) => [f.version, f]));
  const lines = failed.map((r) => {
    const file = byName.get(r.migration_name);
    const logs = r.logs?.trim() ? `; its logs: ${r.logs.trim().split('\n')[0]}` : '';
    return `\`${r.migration_name}\` (${file ? file.file : 'no folder of that name here'}), started at ${r.started_at}, never finished${logs}`;
  });
  const commands = failed.map((r) => {
    const c = resolveCommands(r.migration_name);
    return `If its changes are undone (or it changed nothing), run \`${c.rolledBack}\` and it runs again; if you completed it by hand, run \`${c.applied}\`.`;
  });
  return new PrismaFailedMigration(
    `${PRISMA_TABLE} records ${failed.length === 1 ? 'a failed migration' : `${failed.length} failed migrations`} (Prisma's P3009), so nothing was applied: ${lines.join('; ')}`,
    {
      hint: `Check what ${failed.length === 1 ? 'it' : 'each'} left in the database first: a failed migration may be partly applied. ${commands.join(' ')}`,
    },
  );
}

/**
 * `_prisma_migrations` as Prisma creates it (flavour/postgres.rs, `create_migrations_table`), and rows as
 * `migrate deploy` leaves them: one per applied migration with a fresh UUID, the checksum of the script,
 * `started_at` and `finished_at`, `applied_steps_count` 1 and `logs` NULL.
 */
export function prismaTracker(): Tracker {
  // Files run outside a transaction get their row before they start (beginUnsafe), as Prisma writes every row;
  // the statement that finishes them then finds that row by the id kept here.
  const begun = new WeakMap<MigrationFile, string>();
  return {
    table: PRISMA_TABLE,
    setup: (present) =>
      present
        ? ''
        : `CREATE TABLE ${PRISMA_TABLE} (
    id                      VARCHAR(36) PRIMARY KEY NOT NULL,
    checksum                VARCHAR(64) NOT NULL,
    finished_at             TIMESTAMPTZ,
    migration_name          VARCHAR(255) NOT NULL,
    logs                    TEXT,
    rolled_back_at          TIMESTAMPTZ,
    started_at              TIMESTAMPTZ NOT NULL DEFAULT now(),
    applied_steps_count     INTEGER NOT NULL DEFAULT 0
)`,
    async read(db, files): Promise<History> {
      const { rows: found } = await db.query(`SELECT to_regclass('${PRISMA_TABLE}') IS NOT NULL AS present`);
      if (!found[0]?.present) return { rows: [], foreign: [], present: false };
      // Prisma's list_migrations reads the rows ordered by started_at.
      const { rows } = await db.query(
        `SELECT checksum, migration_name, finished_at IS NOT NULL AS finished, rolled_back_at IS NOT NULL AS rolled_back,
                to_char(started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS started_at, logs
           FROM ${PRISMA_TABLE} ORDER BY started_at`,
      );
      const all = rows as PrismaRow[];
      const failed = all.filter((r) => !r.finished && !r.rolled_back);
      if (failed.length > 0) throw failedError(failed, files);
      const byName = new Map(files.map((f) => [f.version, f]));
      // A rolled-back row does not count (the migration runs again); of several finished rows of one name, the
      // latest stands for it.
      const applied = new Map<string, AppliedRow>();
      for (const r of all) {
        if (r.rolled_back) continue;
        const file = byName.get(r.migration_name);
        // A checksum Prisma would accept for the file (line endings, unpadded digits) is no drift.
        const checksum = file && prismaChecksumMatches(file.content, r.checksum) ? file.checksum : r.checksum;
        applied.set(r.migration_name, { version: r.migration_name, checksum });
      }
      return { rows: [...applied.values()], foreign: [], present: true };
    },
    // The file's start, from the server's clock as its transaction begins (now() is the same for every
    // transaction of one multi-statement query).
    startFile: () => `SELECT set_config('${STARTED_SETTING}', clock_timestamp()::text, true)`,
    // One statement either way (migrator.ts counts a tracker's statements once): it finishes the row beginUnsafe
    // started, or inserts the finished row inside the file's own transaction. The plain INSERT is the common case:
    // a row per file is most of what shipline adds to the server's work (a CTE that tries an UPDATE first costs
    // about twice as much on a 400-file folder).
    record(file, _statements, quote) {
      const started = begun.get(file);
      if (started)
        return `UPDATE ${PRISMA_TABLE} SET finished_at = clock_timestamp(), applied_steps_count = applied_steps_count + 1 WHERE id = ${quote(started)}`;
      return `INSERT INTO ${PRISMA_TABLE} (id, checksum, finished_at, migration_name, started_at, applied_steps_count)
VALUES (${quote(randomUUID())}, ${quote(file.checksum)}, clock_timestamp(), ${quote(file.version)}, coalesce(nullif(current_setting('${STARTED_SETTING}', true), '')::timestamptz, clock_timestamp()), 1)`;
    },
    // Before a file that runs outside a transaction: Prisma's started row, so a failure half-way leaves what Prisma
    // leaves (a failed migration, P3009), and neither tool runs over it until someone has looked.
    beginUnsafe(file, quote) {
      const id = randomUUID();
      begun.set(file, id);
      return `INSERT INTO ${PRISMA_TABLE} (id, checksum, migration_name, started_at) VALUES (${quote(id)}, ${quote(file.checksum)}, ${quote(file.version)}, clock_timestamp())`;
    },
  };
}
