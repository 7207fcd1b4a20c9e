// format: drizzle, judged by drizzle-orm's own migrator (drizzle-orm/node-postgres/migrator, run in a child
// process as a team's deploy script runs it) on a real PostgreSQL: a real public Drizzle Kit folder (Dokploy, 186
// journal entries) applied half by one and the rest by the other, in both orders, must leave the schema and the
// tracking rows the tool leaves alone; and what drizzle-orm silently misses (a journal entry older than the newest
// applied one, a .sql file the journal does not name, a changed file) is reported at file:line.
import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { findRoot } from '../cli/local-runner.js';
import { startPostgres, type TestServer } from '../cli/sandbox/postgres.js';
import { migrate, removeWorkspaces, workspace } from './fakes/migrate-workspace.js';
import { errors, warnings } from './support.js';

let server: TestServer;
beforeAll(async () => {
  server = await startPostgres();
}, 60_000);
afterAll(async () => {
  removeWorkspaces();
  await server?.stop();
});

const ROOT = findRoot();
const DOKPLOY = join(ROOT, 'test/fixtures/migrate/drizzle-dokploy');

/** drizzle-orm's migrator on a folder; throws with its output when it fails. */
function drizzleMigrate(url: string, folder: string, schema = '', table = ''): void {
  const result = spawnSync(
    process.execPath,
    [join(ROOT, 'test/fixtures/migrate/drizzle-migrate.mjs'), url, folder, schema, table],
    { encoding: 'utf8', timeout: 60_000 },
  );
  if (result.status !== 0) throw new Error(`drizzle-orm migrate failed (${result.status}):\n${result.stderr}`);
}

interface Journal {
  entries: { idx: number; version: string; when: number; tag: string; breakpoints: boolean }[];
}

const readJournal = (folder: string) => JSON.parse(readFileSync(join(folder, 'meta/_journal.json'), 'utf8')) as Journal;

/** A workspace holding the Dokploy folder as `drizzle/`, its journal cut to the first `entries` entries if given. */
function dokploy(entries?: number): string {
  const ws = workspace({});
  cpSync(DOKPLOY, join(ws, 'drizzle'), { recursive: true });
  if (entries !== undefined) {
    const journal = readJournal(DOKPLOY);
    journal.entries = journal.entries.slice(0, entries);
    writeFileSync(join(ws, 'drizzle/meta/_journal.json'), JSON.stringify(journal, null, 2));
  }
  return ws;
}

const ENTRIES = readJournal(DOKPLOY).entries.length;
const HALF = Math.floor(ENTRIES / 2);

/** Everything a migration can leave in the schema, as text, ordered: tables and columns, constraints, indexes, types, sequences, views, functions, triggers. */
const SCHEMA_DUMP = `
  SELECT 'column' AS kind, table_schema || '.' || table_name || '.' || column_name AS name,
    concat_ws(' ', ordinal_position, data_type, udt_name, is_nullable, column_default, character_maximum_length, numeric_precision, is_identity) AS def
  FROM information_schema.columns WHERE table_schema NOT IN ('pg_catalog', 'information_schema')
  UNION ALL
  SELECT 'constraint', n.nspname || '.' || cl.relname || '.' || co.conname, pg_get_constraintdef(co.oid)
  FROM pg_constraint co JOIN pg_class cl ON cl.oid = co.conrelid JOIN pg_namespace n ON n.oid = cl.relnamespace
  WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
  UNION ALL
  SELECT 'index', schemaname || '.' || indexname, indexdef FROM pg_indexes WHERE schemaname NOT IN ('pg_catalog', 'information_schema')
  UNION ALL
  SELECT 'enum', n.nspname || '.' || t.typname, string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder)
  FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid JOIN pg_namespace n ON n.oid = t.typnamespace GROUP BY n.nspname, t.typname
  UNION ALL
  SELECT 'sequence', sequence_schema || '.' || sequence_name, concat_ws(' ', data_type, start_value, increment) FROM information_schema.sequences
  UNION ALL
  SELECT 'view', table_schema || '.' || table_name, view_definition FROM information_schema.views WHERE table_schema NOT IN ('pg_catalog', 'information_schema')
  UNION ALL
  SELECT 'function', n.nspname || '.' || p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')', pg_get_functiondef(p.oid)
  FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND p.prokind IN ('f', 'p')
  UNION ALL
  SELECT 'trigger', tgrelid::regclass::text || '.' || tgname, pg_get_triggerdef(oid) FROM pg_trigger WHERE NOT tgisinternal
  ORDER BY 1, 2, 3`;

const schemaOf = (url: string) => server.query(url, SCHEMA_DUMP);
const trackingRows = (url: string, table = 'drizzle.__drizzle_migrations') =>
  server.query(url, `SELECT id, hash, created_at::text AS created_at FROM ${table} ORDER BY id`);

describe('a real Drizzle Kit folder (Dokploy, 186 journal entries) with drizzle-orm as the judge', () => {
  let reference: { schema: Record<string, unknown>[]; rows: Record<string, unknown>[] };
  beforeAll(async () => {
    const url = await server.createDatabase();
    drizzleMigrate(url, DOKPLOY);
    reference = { schema: await schemaOf(url), rows: await trackingRows(url) };
    expect(reference.rows).toHaveLength(ENTRIES);
    expect(reference.schema.filter((r) => r.kind === 'column').length).toBeGreaterThan(500);
  }, 120_000);

  test('drizzle-orm applies the first half, shipline the rest; drizzle-orm then finds nothing to do', async () => {
    const url = await server.createDatabase();
    drizzleMigrate(url, join(dokploy(HALF), 'drizzle'));
    expect(await trackingRows(url)).toHaveLength(HALF);
    const ws = dokploy();
    const result = await migrate(ws, { 'database-url': url, dir: 'drizzle' });
    expect({ exit: result.exitCode, errors: errors(result) }).toEqual({ exit: 0, errors: [] });
    expect(result.outputs).toMatchObject({
      'applied-count': String(ENTRIES - HALF),
      'pending-count': '0',
      'current-version': String(readJournal(DOKPLOY).entries.at(-1)?.when),
    });
    expect(result.summary).toContain('drizzle.__drizzle_migrations');
    drizzleMigrate(url, join(ws, 'drizzle'));
    expect(await trackingRows(url)).toEqual(reference.rows);
    expect(await schemaOf(url)).toEqual(reference.schema);
  });

  test('shipline applies the first half, drizzle-orm exactly the rest', async () => {
    const url = await server.createDatabase();
    const first = await migrate(dokploy(HALF), { 'database-url': url, dir: 'drizzle' });
    expect({ exit: first.exitCode, errors: errors(first) }).toEqual({ exit: 0, errors: [] });
    expect(first.outputs['applied-count']).toBe(String(HALF));
    expect(await trackingRows(url)).toEqual(reference.rows.slice(0, HALF));
    drizzleMigrate(url, DOKPLOY);
    expect(await trackingRows(url)).toEqual(reference.rows);
    expect(await schemaOf(url)).toEqual(reference.schema);
  });

  test('shipline applies everything (format auto); drizzle-orm then applies nothing, and status agrees', async () => {
    const url = await server.createDatabase();
    const ws = dokploy();
    const result = await migrate(ws, { 'database-url': url, dir: 'drizzle' });
    expect({ exit: result.exitCode, errors: errors(result) }).toEqual({ exit: 0, errors: [] });
    expect(result.outputs['applied-count']).toBe(String(ENTRIES));
    // Upstream's own orphan: a .sql file the journal never named, which drizzle-orm never ran either.
    expect(result.annotations).toContainEqual(
      expect.objectContaining({
        level: 'warning',
        file: 'drizzle/0130_abandoned_dagger.sql',
        line: 1,
        title: 'SQL file not in the Drizzle journal',
      }),
    );
    expect(await trackingRows(url)).toEqual(reference.rows);
    drizzleMigrate(url, DOKPLOY);
    expect(await trackingRows(url)).toEqual(reference.rows);
    expect(await schemaOf(url)).toEqual(reference.schema);
    const status = await migrate(ws, { 'database-url': url, dir: 'drizzle', command: 'status' });
    expect({ exit: status.exitCode, errors: errors(status) }).toEqual({ exit: 0, errors: [] });
    expect(status.outputs['pending-count']).toBe('0');
  });
});

const WHEN = { users: 1_700_000_000_000, posts: 1_700_000_300_000, late: 1_700_000_200_000 };

function journal(entries: [string, number][]): string {
  return JSON.stringify(
    {
      version: '7',
      dialect: 'postgresql',
      entries: entries.map(([tag, when], idx) => ({ idx, version: '7', when, tag, breakpoints: true })),
    },
    null,
    2,
  );
}

/** A small Drizzle Kit folder in `drizzle/`: two migrations as drizzle-kit writes them. */
function smallFolder(): string {
  return workspace({
    'drizzle/0000_users.sql':
      'CREATE TABLE "users" (\n\t"id" serial PRIMARY KEY NOT NULL,\n\t"email" text NOT NULL\n);\n--> statement-breakpoint\nCREATE UNIQUE INDEX "users_email_idx" ON "users" USING btree ("email");',
    'drizzle/0001_posts.sql':
      'CREATE TABLE "posts" (\n\t"id" serial PRIMARY KEY NOT NULL,\n\t"author" integer\n);\n--> statement-breakpoint\nALTER TABLE "posts" ADD CONSTRAINT "posts_author_fk" FOREIGN KEY ("author") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;',
    'drizzle/meta/_journal.json': journal([
      ['0000_users', WHEN.users],
      ['0001_posts', WHEN.posts],
    ]),
  });
}

const tableExists = async (url: string, name: string) =>
  (await server.query(url, `SELECT to_regclass('${name}') IS NOT NULL AS present`))[0]?.present as boolean;

describe('the commands on the real folder', () => {
  test('plan lints at file:line with no database, verify replays every file, and two applies at once are one under the lock', async () => {
    const ws = dokploy();
    const plan = await migrate(ws, { command: 'plan', dir: 'drizzle' });
    expect({ exit: plan.exitCode, errors: errors(plan) }).toEqual({ exit: 0, errors: [] });
    expect(plan.summary).toContain('(drizzle)');
    expect(plan.annotations).toContainEqual(
      expect.objectContaining({
        level: 'warning',
        file: expect.stringMatching(/^drizzle\/\d{4}_\w+\.sql$/),
        line: expect.any(Number),
        title: expect.stringContaining('require-lock-timeout'),
      }),
    );

    const url = await server.createDatabase();
    const verify = await migrate(ws, { command: 'verify', 'database-url': url, dir: 'drizzle' });
    expect({ exit: verify.exitCode, errors: errors(verify) }).toEqual({ exit: 0, errors: [] });
    expect(await server.query(url, "SELECT to_regclass('drizzle.__drizzle_migrations') AS t")).toEqual([{ t: null }]);

    const [a, b] = await Promise.all([
      migrate(ws, { 'database-url': url, dir: 'drizzle' }),
      migrate(ws, { 'database-url': url, dir: 'drizzle' }),
    ]);
    expect([a.exitCode, b.exitCode]).toEqual([0, 0]);
    expect([a.outputs['applied-count'], b.outputs['applied-count']].sort()).toEqual(['0', String(ENTRIES)]);
    expect(await trackingRows(url)).toHaveLength(ENTRIES);
  });
});

describe('what drizzle-orm misses, reported', () => {
  test('a journal entry older than the newest applied one: drizzle-orm skips it silently; shipline refuses at its journal line, and applies it with allow-out-of-order', async () => {
    const url = await server.createDatabase();
    const ws = smallFolder();
    drizzleMigrate(url, join(ws, 'drizzle'));
    writeFileSync(join(ws, 'drizzle/0002_late.sql'), 'CREATE TABLE "tags" ("name" text);');
    writeFileSync(
      join(ws, 'drizzle/meta/_journal.json'),
      journal([
        ['0000_users', WHEN.users],
        ['0001_posts', WHEN.posts],
        ['0002_late', WHEN.late],
      ]),
    );
    // The tool's own behaviour: no error, no table, no row.
    drizzleMigrate(url, join(ws, 'drizzle'));
    expect(await tableExists(url, 'tags')).toBe(false);
    expect(await trackingRows(url)).toHaveLength(2);

    const refused = await migrate(ws, { 'database-url': url });
    expect(refused.exitCode).toBe(1);
    const lateLine =
      readFileSync(join(ws, 'drizzle/meta/_journal.json'), 'utf8')
        .split('\n')
        .findIndex((l) => l.includes(String(WHEN.late))) + 1;
    expect(refused.annotations).toContainEqual(
      expect.objectContaining({
        level: 'error',
        file: 'drizzle/meta/_journal.json',
        line: lateLine,
        message: expect.stringContaining(
          `drizzle/0002_late.sql is not applied but is older than the newest applied version ${WHEN.posts}`,
        ),
      }),
    );
    expect(errors(refused).join('\n')).toContain('would skip 0002_late without a word');
    expect(refused.stdout).toContain('In meta/_journal.json, give the entry a "when" after the newest applied one');
    expect(await tableExists(url, 'tags')).toBe(false);

    const allowed = await migrate(ws, { 'database-url': url, 'allow-out-of-order': 'true' });
    expect({ exit: allowed.exitCode, errors: errors(allowed) }).toEqual({ exit: 0, errors: [] });
    expect(allowed.outputs['applied-count']).toBe('1');
    expect(await tableExists(url, 'tags')).toBe(true);
    expect((await trackingRows(url)).map((r) => r.created_at)).toEqual([
      String(WHEN.users),
      String(WHEN.posts),
      String(WHEN.late),
    ]);
    // drizzle-orm carries on from the same newest created_at.
    drizzleMigrate(url, join(ws, 'drizzle'));
    expect(await trackingRows(url)).toHaveLength(3);
  });

  test('a .sql file the journal does not name: drizzle-orm never runs it; shipline warns at the file and does not run it either', async () => {
    const url = await server.createDatabase();
    const ws = smallFolder();
    writeFileSync(join(ws, 'drizzle/0002_hand_written.sql'), 'CREATE TABLE "audit" ("at" timestamptz);');
    drizzleMigrate(url, join(ws, 'drizzle'));
    expect(await tableExists(url, 'audit')).toBe(false);

    const fresh = await server.createDatabase();
    const result = await migrate(ws, { 'database-url': fresh });
    expect({ exit: result.exitCode, errors: errors(result) }).toEqual({ exit: 0, errors: [] });
    expect(result.annotations).toContainEqual(
      expect.objectContaining({
        level: 'warning',
        file: 'drizzle/0002_hand_written.sql',
        line: 1,
        message: expect.stringContaining(
          "0002_hand_written.sql is not named in drizzle/meta/_journal.json: drizzle-orm's migrator never runs it, and neither does shipline",
        ),
      }),
    );
    expect(await tableExists(fresh, 'audit')).toBe(false);
    // plan (no database) reports it too.
    const plan = await migrate(ws, { command: 'plan' });
    expect(plan.exitCode).toBe(0);
    expect(warnings(plan).join('\n')).toContain('0002_hand_written.sql is not named in drizzle/meta/_journal.json');
  });

  test('a file changed after drizzle-orm applied it: drizzle-orm never looks; shipline compares its hash and refuses, status reports it', async () => {
    const url = await server.createDatabase();
    const ws = smallFolder();
    drizzleMigrate(url, join(ws, 'drizzle'));
    appendFileSync(
      join(ws, 'drizzle/0000_users.sql'),
      '\n--> statement-breakpoint\nALTER TABLE "users" ADD COLUMN "name" text;',
    );
    drizzleMigrate(url, join(ws, 'drizzle'));
    expect(
      await server.query(
        url,
        "SELECT 1 FROM information_schema.columns WHERE table_name = 'users' AND column_name = 'name'",
      ),
    ).toEqual([]);

    const refused = await migrate(ws, { 'database-url': url });
    expect(refused.exitCode).toBe(1);
    expect(refused.annotations).toContainEqual(
      expect.objectContaining({
        level: 'error',
        file: 'drizzle/0000_users.sql',
        message: `drizzle/0000_users.sql was changed after it was applied (version ${WHEN.users} in drizzle.__drizzle_migrations)`,
      }),
    );
    const status = await migrate(ws, { 'database-url': url, command: 'status' });
    expect(status.exitCode).toBe(0);
    expect(status.summary).toContain(`| drizzle/0000_users.sql | ${WHEN.users} |`);
    expect(status.summary).toContain('changed since applied');
  });
});

describe('a journal drizzle-orm cannot run', () => {
  test.each([
    [
      'an entry whose file is missing',
      { 'drizzle/meta/_journal.json': journal([['0000_gone', WHEN.users]]) },
      "drizzle/meta/_journal.json:8: names 0000_gone, but 0000_gone.sql is not in the folder (drizzle-orm's migrator stops there too)",
    ],
    [
      'two entries with one "when"',
      {
        'drizzle/0000_a.sql': 'CREATE TABLE "a" ("id" integer);',
        'drizzle/0001_b.sql': 'CREATE TABLE "b" ("id" integer);',
        'drizzle/meta/_journal.json': journal([
          ['0000_a', WHEN.users],
          ['0001_b', WHEN.users],
        ]),
      },
      `drizzle/meta/_journal.json:15: 0000_a and 0001_b have the same "when" ${WHEN.users}`,
    ],
    [
      'a journal of another dialect',
      {
        'drizzle/0000_a.sql': 'CREATE TABLE "a" ("id" integer);',
        'drizzle/meta/_journal.json': journal([['0000_a', WHEN.users]]).replace('"postgresql"', '"mysql"'),
      },
      'drizzle/meta/_journal.json is a mysql journal; shipline migrates PostgreSQL',
    ],
    [
      'an entry with no "when"',
      {
        'drizzle/0000_a.sql': 'CREATE TABLE "a" ("id" integer);',
        'drizzle/meta/_journal.json': JSON.stringify({ dialect: 'postgresql', entries: [{ idx: 0, tag: '0000_a' }] }),
      },
      'drizzle/meta/_journal.json:1: entry 0 needs a "tag" (a file name without .sql) and a "when" (milliseconds, an integer)',
    ],
    [
      'a journal that is not JSON',
      { 'drizzle/meta/_journal.json': '{ "entries": [ ' },
      'drizzle/meta/_journal.json is not valid JSON',
    ],
  ])('%s stops the run before anything runs, naming the journal line', async (_, files, message) => {
    const result = await migrate(workspace(files), { command: 'plan' });
    expect(result.exitCode).toBe(1);
    expect(errors(result).join('\n')).toContain(message);
  });
});

describe('running as drizzle-orm runs', () => {
  test("statements are cut at '--> statement-breakpoint' as drizzle-orm cuts them: a part's last statement needs no ';'; the hash is of the whole file, shipline's comments included", async () => {
    const url = await server.createDatabase();
    const ws = workspace({
      'drizzle/0000_no_semicolons.sql':
        '-- shipline-ignore require-lock-timeout\nCREATE TABLE "a" ("id" integer)\n--> statement-breakpoint\nCREATE TABLE "b" ("id" integer)--> statement-breakpoint\nINSERT INTO "a" VALUES (1)',
      'drizzle/meta/_journal.json': journal([['0000_no_semicolons', WHEN.users]]),
    });
    const reference = await server.createDatabase();
    drizzleMigrate(reference, join(ws, 'drizzle'));
    const result = await migrate(ws, { 'database-url': url });
    expect({ exit: result.exitCode, errors: errors(result) }).toEqual({ exit: 0, errors: [] });
    expect(await server.query(url, 'SELECT id FROM a')).toEqual([{ id: 1 }]);
    expect(await trackingRows(url)).toEqual(await trackingRows(reference));
  });

  test('entries run in journal order, not in "when" order (drizzle-orm runs the journal as listed); the step back in "when" is warned at its journal line', async () => {
    const url = await server.createDatabase();
    const ws = workspace({
      'drizzle/0000_users.sql': 'CREATE TABLE "users" ("id" integer PRIMARY KEY);',
      'drizzle/0001_posts.sql': 'CREATE TABLE "posts" ("id" integer PRIMARY KEY);',
      'drizzle/0002_post_author.sql': 'ALTER TABLE "posts" ADD COLUMN "author" integer REFERENCES "users" ("id");',
      'drizzle/meta/_journal.json': journal([
        ['0000_users', WHEN.users],
        ['0001_posts', WHEN.posts],
        ['0002_post_author', WHEN.late],
      ]),
    });
    const reference = await server.createDatabase();
    drizzleMigrate(reference, join(ws, 'drizzle'));
    const result = await migrate(ws, { 'database-url': url });
    expect({ exit: result.exitCode, errors: errors(result) }).toEqual({ exit: 0, errors: [] });
    expect(await trackingRows(url)).toEqual(await trackingRows(reference));
    expect(await schemaOf(url)).toEqual(await schemaOf(reference));
    expect(result.annotations).toContainEqual(
      expect.objectContaining({
        level: 'warning',
        file: 'drizzle/meta/_journal.json',
        title: 'Journal entry older than the one before it',
        message: expect.stringContaining(
          `on a database where 0001_posts is already applied, drizzle-orm skips 0002_post_author`,
        ),
      }),
    );
  });

  test('a tracking table named in drizzle.config (migrationsSchema, migrationsTable) is read and written where drizzle-orm keeps it', async () => {
    const url = await server.createDatabase();
    const ws = smallFolder();
    const firstOnly = workspace({
      'drizzle/0000_users.sql': readFileSync(join(ws, 'drizzle/0000_users.sql'), 'utf8'),
      'drizzle/meta/_journal.json': journal([['0000_users', WHEN.users]]),
    });
    drizzleMigrate(url, join(firstOnly, 'drizzle'), 'ops', 'schema_log');
    const result = await migrate(ws, {
      'database-url': url,
      'drizzle-migrations-schema': 'ops',
      'drizzle-migrations-table': 'schema_log',
    });
    expect({ exit: result.exitCode, errors: errors(result) }).toEqual({ exit: 0, errors: [] });
    expect(result.outputs['applied-count']).toBe('1');
    expect(await tableExists(url, 'drizzle.__drizzle_migrations')).toBe(false);
    expect((await trackingRows(url, 'ops.schema_log')).map((r) => r.created_at)).toEqual([
      String(WHEN.users),
      String(WHEN.posts),
    ]);
    drizzleMigrate(url, join(ws, 'drizzle'), 'ops', 'schema_log');
    expect(await trackingRows(url, 'ops.schema_log')).toHaveLength(2);
  });

  test("the inputs naming drizzle-orm's table are refused with another format, before anything runs", async () => {
    const result = await migrate(smallFolder(), {
      command: 'plan',
      format: 'plain',
      'drizzle-migrations-table': 'x',
    });
    expect(result.exitCode).toBe(1);
    expect(errors(result).join('\n')).toContain(
      "Input 'drizzle-migrations-table' names drizzle-orm's tracking table: it needs format 'drizzle'",
    );
  });
});
