// format: prisma — a Prisma Migrate folder applied as `prisma migrate deploy` applies it and recorded in
// `_prisma_migrations` as Prisma records it, judged by Prisma's own engine logic (test/support-prisma.ts) in both
// orders on a real public folder (test/fixtures/prisma: trigger.dev's 820 migrations). The bundle, run as the
// runner runs it, on a real PostgreSQL.
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import pg from 'pg';
import { findRoot } from '../cli/local-runner.js';
import { startPostgres, type TestServer } from '../cli/sandbox/postgres.js';
import { migrate, removeWorkspaces, workspace } from './fakes/migrate-workspace.js';
import { errors } from './support.js';
import {
  listMigrations,
  prismaDeploy,
  prismaFolderFiles,
  prismaRows,
  prismaStatus,
  schemaOf,
} from './support-prisma.js';

const REAL = join(findRoot(), 'test', 'fixtures', 'prisma', 'trigger.dev');
const ALL = listMigrations(REAL);
const HALF = 410;

let server: TestServer;
let alone: string;
beforeAll(async () => {
  server = await startPostgres();
  // The schema Prisma's deploy produces from the whole folder by itself: what every mixed history must equal.
  const url = await server.createDatabase('prisma_alone');
  const ws = workspace(prismaFolderFiles(REAL));
  expect(await prismaDeploy(url, join(ws, 'prisma/migrations'))).toHaveLength(ALL.length);
  alone = await schemaOf(url);
}, 240_000);
afterAll(async () => {
  removeWorkspaces();
  await server?.stop();
});

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** Rows exactly as the engine leaves a migration it applied (sql_migration_persistence.rs, apply_migrations.rs). */
function expectPrismaRows(rows: Awaited<ReturnType<typeof prismaRows>>, names: string[], dir: string): void {
  expect(rows.map((r) => r.migration_name).sort()).toEqual([...names].sort());
  const scripts = new Map(listMigrations(dir).map((m) => [m.name, m.script]));
  for (const r of rows) {
    expect(r.id).toMatch(UUID_V4);
    expect(r.checksum).toBe(
      createHash('sha256')
        .update(scripts.get(r.migration_name) as string)
        .digest('hex'),
    );
    expect(r.finished_at).not.toBeNull();
    expect((r.finished_at as Date).getTime()).toBeGreaterThanOrEqual(r.started_at.getTime());
    expect(r.logs).toBeNull();
    expect(r.rolled_back_at).toBeNull();
    expect(r.applied_steps_count).toBe(1);
  }
  expect(new Set(rows.map((r) => r.id)).size).toBe(rows.length);
}

describe('a real Prisma folder (trigger.dev, 820 migrations) in both orders with Prisma', () => {
  test('Prisma applies the first half, shipline the rest: Prisma then sees nothing to do, and the schema is the one Prisma makes alone', async () => {
    const url = await server.createDatabase('prisma_first');
    const ws = workspace(prismaFolderFiles(REAL, HALF));
    const dir = join(ws, 'prisma/migrations');
    expect(await prismaDeploy(url, dir)).toHaveLength(HALF);
    writeFolder(ws, prismaFolderFiles(REAL));
    const result = await migrate(ws, { 'database-url': url, 'lock-timeout': '20s' });
    expect(errors(result)).toEqual([]);
    expect(result.exitCode).toBe(0);
    expect(result.outputs['applied-count']).toBe(String(ALL.length - HALF));
    expect(result.stdout).toContain(
      `${ALL.length} prisma migration(s) in prisma/migrations, tracked in _prisma_migrations.`,
    );
    expect(await prismaStatus(url, dir)).toEqual({
      upToDate: true,
      failed: [],
      edited: [],
      unapplied: [],
      missingLocally: [],
    });
    expect(await prismaDeploy(url, dir)).toEqual([]);
    expect(await schemaOf(url)).toBe(alone);
    const rows = await prismaRows(url);
    const later = new Set(ALL.slice(HALF).map((m) => m.name));
    const ours = rows.filter((r) => later.has(r.migration_name));
    expectPrismaRows(ours, [...later], dir);
    // Prisma lists rows by started_at: shipline's rows come after Prisma's, in folder order.
    expect(rows.slice(HALF)).toEqual(ours);
    expect(ours.map((r) => r.migration_name)).toEqual(ALL.slice(HALF).map((m) => m.name));
  }, 180_000);

  test('shipline applies the first half, Prisma the rest: Prisma carries on from shipline’s rows, and the schema is the one Prisma makes alone', async () => {
    const url = await server.createDatabase('shipline_first');
    const ws = workspace(prismaFolderFiles(REAL, HALF));
    const dir = join(ws, 'prisma/migrations');
    const first = await migrate(ws, { 'database-url': url, format: 'prisma', dir: 'prisma/migrations' });
    expect(errors(first)).toEqual([]);
    expect(first.outputs['applied-count']).toBe(String(HALF));
    expectPrismaRows(
      await prismaRows(url),
      ALL.slice(0, HALF).map((m) => m.name),
      dir,
    );
    expect((await prismaStatus(url, dir)).upToDate).toBe(true);
    writeFolder(ws, prismaFolderFiles(REAL));
    expect(await prismaDeploy(url, dir)).toEqual(ALL.slice(HALF).map((m) => m.name));
    expect((await prismaStatus(url, dir)).upToDate).toBe(true);
    expect(await schemaOf(url)).toBe(alone);
    const status = await migrate(ws, { 'database-url': url, command: 'status' });
    expect(status.exitCode).toBe(0);
    expect(status.stdout).toContain(`${ALL.length} applied`);
  }, 180_000);
});

function writeFolder(ws: string, files: Record<string, string>): void {
  for (const [path, content] of Object.entries(files)) {
    const full = join(ws, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, content);
  }
}

const LOCK =
  '# Please do not edit this file manually\n# It should be added in your version-control system (e.g., Git)\nprovider = "postgresql"\n';
const INIT =
  '-- CreateTable\nCREATE TABLE "User" (\n    "id" SERIAL NOT NULL,\n    "email" TEXT NOT NULL,\n\n    CONSTRAINT "User_pkey" PRIMARY KEY ("id")\n);\n';
const POSTS =
  '-- CreateTable\nCREATE TABLE "Post" (\n    "id" SERIAL NOT NULL,\n    "authorId" INTEGER NOT NULL,\n\n    CONSTRAINT "Post_pkey" PRIMARY KEY ("id")\n);\n';
const CONCURRENT = 'CREATE INDEX CONCURRENTLY "User_email_idx" ON "User" ("email");';

describe('Prisma folders: names, transactions, detection', () => {
  test('format auto and the default dir find prisma/migrations; a folder name with spaces and a CREATE INDEX CONCURRENTLY migration apply, and Prisma agrees', async () => {
    const url = await server.createDatabase();
    const ws = workspace({
      'prisma/migrations/migration_lock.toml': LOCK,
      'prisma/migrations/20240101000000_init/migration.sql': INIT,
      'prisma/migrations/20240102000000_user email index/migration.sql': CONCURRENT,
      'prisma/migrations/20240103000000_posts and more/migration.sql': POSTS,
    });
    const result = await migrate(ws, { 'database-url': url });
    expect(errors(result)).toEqual([]);
    expect(result.outputs['applied-count']).toBe('3');
    expect(result.stdout).toContain('3 prisma migration(s) in prisma/migrations, tracked in _prisma_migrations.');
    const [index] = await server.query(
      url,
      `SELECT x.indisvalid AS valid FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid WHERE i.relname = 'User_email_idx'`,
    );
    expect(index?.valid).toBe(true);
    const dir = join(ws, 'prisma/migrations');
    expectPrismaRows(
      await prismaRows(url),
      ['20240101000000_init', '20240102000000_user email index', '20240103000000_posts and more'],
      dir,
    );
    expect((await prismaStatus(url, dir)).upToDate).toBe(true);
    expect(await prismaDeploy(url, dir)).toEqual([]);
  }, 60_000);

  test("folders run in Prisma's order (localeCompare of the names, not byte order): a_… before B_…", async () => {
    const url = await server.createDatabase();
    const ws = workspace({
      'prisma/migrations/migration_lock.toml': LOCK,
      'prisma/migrations/20240101000000_a_create/migration.sql': 'CREATE TABLE "Item" ("id" INTEGER NOT NULL);\n',
      'prisma/migrations/20240101000000_B_alter/migration.sql': 'ALTER TABLE "Item" ADD COLUMN "name" TEXT;\n',
    });
    const dir = join(ws, 'prisma/migrations');
    expect(listMigrations(dir).map((m) => m.name)).toEqual(['20240101000000_a_create', '20240101000000_B_alter']);
    const result = await migrate(ws, { 'database-url': url });
    expect(errors(result)).toEqual([]);
    expect(result.outputs['applied-count']).toBe('2');
    expect((await prismaStatus(url, dir)).upToDate).toBe(true);
  }, 60_000);

  test('a migration_lock.toml for another provider is refused before anything runs', async () => {
    const url = await server.createDatabase();
    const ws = workspace({
      'prisma/migrations/migration_lock.toml': 'provider = "mysql"\n',
      'prisma/migrations/20240101000000_init/migration.sql': 'CREATE TABLE `User` (`id` INTEGER NOT NULL);\n',
    });
    const result = await migrate(ws, { 'database-url': url, dir: 'prisma/migrations' });
    expect(result.exitCode).not.toBe(0);
    expect(errors(result).join('\n')).toContain('migration_lock.toml says provider = "mysql"');
    expect(await server.query(url, "SELECT to_regclass('_prisma_migrations') AS t")).toEqual([{ t: null }]);
  }, 60_000);

  test('plan and verify read the folder; a lint finding is annotated at the migration.sql file and line', async () => {
    const ws = workspace({
      'prisma/migrations/migration_lock.toml': LOCK,
      'prisma/migrations/20240101000000_init/migration.sql': INIT,
      'prisma/migrations/20240102000000_index/migration.sql':
        '-- CreateIndex\nCREATE INDEX "User_email_idx" ON "User"("email");\n',
    });
    const plan = await migrate(ws, { command: 'plan' });
    expect(plan.exitCode).toBe(0);
    expect(plan.summary).toContain('20240102000000_index');
    const finding = plan.annotations.find((a) => a.title?.startsWith('Lint: '));
    expect(finding?.file).toBe('prisma/migrations/20240102000000_index/migration.sql');
    expect(finding?.line).toBe(2);
    const verify = await migrate(ws, { command: 'verify', 'database-url': server.url });
    expect(errors(verify)).toEqual([]);
    expect(verify.exitCode).toBe(0);
  }, 120_000);
});

describe('what Prisma leaves behind: failed rows (P3009), rolled-back rows, edited files', () => {
  test('a migration Prisma left failed is reported with the exact prisma migrate resolve commands, and nothing is applied over it', async () => {
    const url = await server.createDatabase();
    const ws = workspace({
      'prisma/migrations/migration_lock.toml': LOCK,
      'prisma/migrations/20240101000000_init/migration.sql': INIT,
      'prisma/migrations/20240102000000_add "quoted" col/migration.sql':
        'ALTER TABLE "User" ADD COLUMN "age" INTEGER NOT NULL DEFAULT nope;\n',
    });
    const dir = join(ws, 'prisma/migrations');
    await expect(prismaDeploy(url, dir)).rejects.toThrow(/P3018/);
    // The team fixes the file and adds the next one; the failed row is still there.
    writeFileSync(
      join(dir, '20240102000000_add "quoted" col/migration.sql'),
      'ALTER TABLE "User" ADD COLUMN "age" INTEGER;\n',
    );
    writeFolder(ws, { 'prisma/migrations/20240103000000_posts/migration.sql': POSTS });
    await expect(prismaDeploy(url, dir)).rejects.toThrow(/P3009/);
    const result = await migrate(ws, { 'database-url': url });
    expect(result.exitCode).not.toBe(0);
    const text = errors(result).join('\n');
    expect(text).toContain("Prisma's P3009");
    expect(text).toContain('20240102000000_add "quoted" col');
    expect(result.stdout).toContain('npx prisma migrate resolve --rolled-back "20240102000000_add \\"quoted\\" col"');
    expect(result.stdout).toContain('npx prisma migrate resolve --applied "20240102000000_add \\"quoted\\" col"');
    expect(await server.query(url, `SELECT to_regclass('"Post"') AS t`)).toEqual([{ t: null }]);
    const status = await migrate(ws, { 'database-url': url, command: 'status' });
    expect(status.exitCode).not.toBe(0);
    expect(errors(status).join('\n')).toContain("Prisma's P3009");
  }, 60_000);

  test('after prisma migrate resolve --rolled-back, the migration runs again, as Prisma runs it', async () => {
    const url = await server.createDatabase();
    const ws = workspace({
      'prisma/migrations/migration_lock.toml': LOCK,
      'prisma/migrations/20240101000000_init/migration.sql': INIT,
      'prisma/migrations/20240102000000_posts/migration.sql': 'CREATE TABLE "Post" (id int REFERENCES nowhere);\n',
    });
    const dir = join(ws, 'prisma/migrations');
    await expect(prismaDeploy(url, dir)).rejects.toThrow(/P3018/);
    // What `prisma migrate resolve --rolled-back` writes (mark_migration_rolled_back_by_id).
    await server.query(url, `UPDATE _prisma_migrations SET rolled_back_at = now() WHERE finished_at IS NULL`);
    writeFileSync(join(dir, '20240102000000_posts/migration.sql'), POSTS);
    const result = await migrate(ws, { 'database-url': url });
    expect(errors(result)).toEqual([]);
    expect(result.outputs['applied-count']).toBe('1');
    expect((await prismaStatus(url, dir)).upToDate).toBe(true);
    expect(await prismaDeploy(url, dir)).toEqual([]);
  }, 60_000);

  test('a migration.sql changed after Prisma applied it is drift; the same file with CRLF line endings is not (Prisma checks both)', async () => {
    const url = await server.createDatabase();
    const ws = workspace({
      'prisma/migrations/migration_lock.toml': LOCK,
      'prisma/migrations/20240101000000_init/migration.sql': INIT,
      'prisma/migrations/20240102000000_posts/migration.sql': POSTS,
    });
    const dir = join(ws, 'prisma/migrations');
    expect(await prismaDeploy(url, dir)).toHaveLength(2);
    const init = join(dir, '20240101000000_init/migration.sql');
    writeFileSync(init, INIT.replace(/\n/g, '\r\n'));
    const crlf = await migrate(ws, { 'database-url': url, command: 'status' });
    expect(crlf.stdout).toContain('2 applied');
    writeFileSync(init, INIT.replace('"email" TEXT NOT NULL', '"email" TEXT'));
    expect((await prismaStatus(url, dir)).edited).toEqual(['20240101000000_init']);
    const status = await migrate(ws, { 'database-url': url, command: 'status' });
    expect(status.stdout).toContain('1 changed');
    writeFolder(ws, { 'prisma/migrations/20240103000000_more/migration.sql': 'CREATE TABLE "More" (id int);\n' });
    const apply = await migrate(ws, { 'database-url': url });
    expect(apply.exitCode).not.toBe(0);
    expect(errors(apply).join('\n')).toContain(
      'prisma/migrations/20240101000000_init/migration.sql was changed after it was applied (version 20240101000000_init in _prisma_migrations)',
    );
    expect(await server.query(url, `SELECT to_regclass('"More"') AS t`)).toEqual([{ t: null }]);
  }, 60_000);

  test('a CONCURRENTLY migration that fails outside a transaction leaves a failed row, as Prisma would; the next run stops on it', async () => {
    const url = await server.createDatabase();
    const ws = workspace({
      'prisma/migrations/migration_lock.toml': LOCK,
      'prisma/migrations/20240101000000_init/migration.sql': INIT,
      'prisma/migrations/20240102000000_index/migration.sql': 'CREATE INDEX CONCURRENTLY "User_x_idx" ON "User" ("x");',
    });
    const dir = join(ws, 'prisma/migrations');
    const first = await migrate(ws, { 'database-url': url });
    expect(first.exitCode).not.toBe(0);
    const rows = await prismaRows(url);
    expect(rows.map((r) => [r.migration_name, r.finished_at === null, r.applied_steps_count])).toEqual([
      ['20240101000000_init', false, 1],
      ['20240102000000_index', true, 0],
    ]);
    await expect(prismaDeploy(url, dir)).rejects.toThrow(/P3009/);
    const again = await migrate(ws, { 'database-url': url });
    expect(again.exitCode).not.toBe(0);
    expect(again.stdout).toContain('npx prisma migrate resolve --rolled-back "20240102000000_index"');
  }, 60_000);

  test("Prisma's own lock is taken too: while a prisma migrate deploy holds it, shipline waits, then applies", async () => {
    const url = await server.createDatabase();
    const ws = workspace({
      'prisma/migrations/migration_lock.toml': LOCK,
      'prisma/migrations/20240101000000_init/migration.sql': INIT,
    });
    // What Prisma's schema engine holds for the whole of `migrate deploy` (postgres.rs, acquire_lock).
    const prisma = new pg.Client({ connectionString: url, application_name: 'prisma-migrate' });
    await prisma.connect();
    try {
      await prisma.query('SELECT pg_advisory_lock(72707369)');
      const blocked = await migrate(ws, { 'database-url': url, 'lock-timeout': '1s' });
      expect(blocked.exitCode).not.toBe(0);
      expect(errors(blocked).join('\n')).toContain(
        "Prisma Migrate's lock (pg_advisory_lock(72707369)) is held by backend",
      );
      expect(errors(blocked).join('\n')).toContain('prisma-migrate');
      expect(
        await server.query(url, `SELECT to_regclass('"User"') AS t, to_regclass('_prisma_migrations') AS m`),
      ).toEqual([{ t: null, m: null }]);
      await prisma.query('SELECT pg_advisory_unlock(72707369)');
    } finally {
      await prisma.end();
    }
    const applied = await migrate(ws, { 'database-url': url, 'lock-timeout': '1s' });
    expect(errors(applied)).toEqual([]);
    expect(applied.outputs['applied-count']).toBe('1');
  }, 60_000);
});
