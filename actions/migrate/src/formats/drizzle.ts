// Drizzle Kit folders (the `out` folder of `drizzle-kit generate`): meta/_journal.json names the migrations and
// their order, and drizzle-orm's migrator records each in drizzle.__drizzle_migrations. What shipline reads and
// writes here follows drizzle-orm 0.45's own source, quoted where it is relied on:
//
// drizzle-orm/migrator.js, readMigrationFiles():
//   for (const journalEntry of journal.entries) {
//     const query = fs.readFileSync(`${migrationFolderTo}/${journalEntry.tag}.sql`).toString();
//     const result = query.split("--> statement-breakpoint") ...
//     migrationQueries.push({ sql: result, bps: journalEntry.breakpoints, folderMillis: journalEntry.when,
//       hash: crypto.createHash("sha256").update(query).digest("hex") });
//   ... throw new Error(`No file ${migrationPath} found in ${migrationFolderTo} folder`);
//
// drizzle-orm/pg-core/dialect.js, PgDialect.migrate():
//   const migrationsTable = ... config.migrationsTable ?? "__drizzle_migrations";
//   const migrationsSchema = ... config.migrationsSchema ?? "drizzle";
//   CREATE TABLE IF NOT EXISTS ${migrationsSchema}.${migrationsTable} (
//     id SERIAL PRIMARY KEY, hash text NOT NULL, created_at bigint)
//   await session.execute(sql`CREATE SCHEMA IF NOT EXISTS ${sql.identifier(migrationsSchema)}`);
//   select id, hash, created_at from ... order by created_at desc limit 1
//   const lastDbMigration = dbMigrations[0];
//   await session.transaction(async (tx) => {
//     for await (const migration of migrations) {
//       if (!lastDbMigration || Number(lastDbMigration.created_at) < migration.folderMillis) {
//         for (const stmt of migration.sql) await tx.execute(sql.raw(stmt));
//         await tx.execute(sql`insert into ... ("hash", "created_at") values(${migration.hash}, ${migration.folderMillis})`);
//
// So: a migration's identity in the database is its journal `when` (created_at), its hash is the sha256 of the
// whole file as read, `breakpoints` is never consulted (the text is always split), and whether an entry runs is
// decided only by comparing its `when` with the newest created_at: an entry older than that is skipped without a
// word, even though no row records it. shipline uses `when` as the version, so the same comparison makes such an
// entry out of order (refused unless allow-out-of-order), and runs the entries in journal order.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { quoteLiteral } from '../db.js';
import type { FolderNote, IndexedMigration } from '../formats.js';
import type { ForeignRow, Tracker } from '../tracking.js';

const DRIZZLE_JOURNAL = 'meta/_journal.json';

/** A Drizzle Kit output folder: it has a journal (drizzle-orm's migrator refuses a folder without one). */
export const isDrizzleFolder = (dir: string) => existsSync(join(dir, 'meta', '_journal.json'));

const BREAKPOINT = '--> statement-breakpoint';

/**
 * Where drizzle-orm cuts a file into separately sent parts: right after each `--> statement-breakpoint`, wherever
 * it stands (String.split). The marker itself is a `--` comment, so it stays harmlessly at the end of the part
 * before, and each part is exactly the text drizzle-orm sends (a part's last statement needs no `;`).
 */
export function breakpointCuts(content: string): number[] {
  const cuts: number[] = [];
  for (let at = content.indexOf(BREAKPOINT); at >= 0; at = content.indexOf(BREAKPOINT, at + BREAKPOINT.length))
    cuts.push(at + BREAKPOINT.length);
  return cuts;
}

/** drizzle-orm's `hash`: sha256 of the whole file as read (UTF-8), hex. */
const drizzleHash = (content: string) => createHash('sha256').update(content).digest('hex');

/** Dialects whose journal drizzle-orm's PostgreSQL migrator reads (drizzle-kit before 0.21 wrote `pg`). */
const POSTGRES_DIALECTS = new Set(['postgresql', 'pg']);

interface JournalEntry {
  tag: string;
  when: number;
  /** 1-based line of the entry's `when` in the journal, where ordering problems are annotated. */
  line: number;
}

/** The line of each entry's `"when"` in the journal text, in order (1 when the text does not show it). */
function whenLines(text: string, entries: { when?: unknown }[]): number[] {
  const found = [...text.matchAll(/"when"\s*:\s*(-?\d+)/g)];
  return entries.map((entry, i) => {
    const match = found[i];
    if (!match || Number(match[1]) !== entry.when) return 1;
    return text.slice(0, match.index).split('\n').length;
  });
}

/**
 * The migrations meta/_journal.json names, in journal order, with what drizzle-orm would miss: `.sql` files the
 * journal does not name (never run by drizzle-orm), and entries whose `when` is older than an entry before them
 * (skipped by drizzle-orm once that one is applied). A journal drizzle-orm cannot run is a problem.
 */
export function readJournal(
  dir: string,
  relativeDir: string,
): { migrations: IndexedMigration[]; problems: string[]; notes: FolderNote[] } {
  const journalFile = relativeDir ? `${relativeDir}/${DRIZZLE_JOURNAL}` : DRIZZLE_JOURNAL;
  const text = readFileSync(join(dir, DRIZZLE_JOURNAL), 'utf8');
  const problems: string[] = [];
  const notes: FolderNote[] = [];
  let journal: { dialect?: unknown; entries?: unknown };
  try {
    journal = JSON.parse(text) as typeof journal;
  } catch (error) {
    return { migrations: [], problems: [`${journalFile} is not valid JSON: ${(error as Error).message}`], notes };
  }
  if (typeof journal.dialect === 'string' && !POSTGRES_DIALECTS.has(journal.dialect))
    problems.push(`${journalFile} is a ${journal.dialect} journal; shipline migrates PostgreSQL (dialect postgresql)`);
  if (!Array.isArray(journal.entries))
    return { migrations: [], problems: [...problems, `${journalFile} has no "entries" list`], notes };
  const raw = journal.entries as { tag?: unknown; when?: unknown }[];
  const lines = whenLines(text, raw);
  const entries: JournalEntry[] = [];
  for (const [i, entry] of raw.entries()) {
    const { tag, when } = entry ?? {};
    if (typeof tag !== 'string' || !tag || /[\\/]/.test(tag) || typeof when !== 'number' || !Number.isSafeInteger(when))
      problems.push(
        `${journalFile}:${lines[i]}: entry ${i} needs a "tag" (a file name without .sql) and a "when" (milliseconds, an integer)`,
      );
    else entries.push({ tag, when, line: lines[i] as number });
  }
  const byWhen = new Map<number, JournalEntry>();
  let newest: JournalEntry | undefined;
  for (const entry of entries) {
    if (!existsSync(join(dir, `${entry.tag}.sql`)))
      problems.push(
        `${journalFile}:${entry.line}: names ${entry.tag}, but ${entry.tag}.sql is not in the folder (drizzle-orm's migrator stops there too)`,
      );
    const twin = byWhen.get(entry.when);
    if (twin)
      problems.push(
        `${journalFile}:${entry.line}: ${twin.tag} and ${entry.tag} have the same "when" ${entry.when}; drizzle-orm records a migration by its "when" and, on a database where an earlier run applied one of them, skips the other`,
      );
    byWhen.set(entry.when, entry);
    if (newest && entry.when < newest.when)
      notes.push({
        file: journalFile,
        line: entry.line,
        title: 'Journal entry older than the one before it',
        message: `${entry.tag} has "when" ${entry.when}, older than ${newest.tag} (${newest.when}) above it in the journal. drizzle-orm applies it only in the same run as everything before it: on a database where ${newest.tag} is already applied, drizzle-orm skips ${entry.tag} without a word. shipline refuses it there unless allow-out-of-order is set. Give it a "when" after ${newest.when} (or regenerate it with drizzle-kit generate).`,
      });
    if (!newest || entry.when > newest.when) newest = entry;
  }
  const named = new Set(entries.map((e) => `${e.tag}.sql`));
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.sql') || named.has(entry.name)) continue;
    notes.push({
      file: relativeDir ? `${relativeDir}/${entry.name}` : entry.name,
      line: 1,
      title: 'SQL file not in the Drizzle journal',
      message: `${entry.name} is not named in ${journalFile}: drizzle-orm's migrator never runs it, and neither does shipline. Delete it, or make it a journal entry (drizzle-kit generate --custom creates an empty one to write SQL into).`,
    });
  }
  const migrations = entries.map((e) => ({
    fileName: `${e.tag}.sql`,
    version: String(e.when),
    name: e.tag,
    at: { file: journalFile, line: e.line },
  }));
  return { migrations, problems, notes };
}

/** A PostgreSQL identifier, quoted as drizzle-orm's sql.identifier quotes it. */
const identifier = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * drizzle-orm's tracking table, created and written exactly as PgDialect.migrate() does (see the top of this
 * file), in the schema and table a team configured (drizzle's migrationsSchema / migrationsTable).
 */
export function drizzleTracker(schema = 'drizzle', table = '__drizzle_migrations'): Tracker {
  const qualified = `${identifier(schema)}.${identifier(table)}`;
  return {
    table: `${schema}.${table}`,
    setup: () =>
      `CREATE SCHEMA IF NOT EXISTS ${identifier(schema)};
      CREATE TABLE IF NOT EXISTS ${qualified} (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at bigint)`,
    async read(db) {
      const { rows: found } = await db.query(`SELECT to_regclass(${quoteLiteral(qualified)}) IS NOT NULL AS present`);
      if (!found[0]?.present) return { rows: [], foreign: [], present: false };
      const { rows } = await db.query(`SELECT id, hash, created_at::text AS created_at FROM ${qualified} ORDER BY id`);
      const foreign: ForeignRow[] = [];
      const applied = [];
      for (const r of rows) {
        // drizzle-orm always writes created_at; a row without one was written by hand and orders nothing.
        if (r.created_at === null) foreign.push({ description: `row id ${r.id} with no created_at` });
        else applied.push({ version: String(r.created_at), checksum: String(r.hash) });
      }
      return { rows: applied, foreign, present: true };
    },
    // created_at is the journal's `when`, an integer checked when the journal was read.
    record: (file, _statements, quote) =>
      `INSERT INTO ${qualified} ("hash", "created_at") VALUES (${quote(drizzleHash(file.content))}, ${file.version})`,
  };
}
