// The migrate bundle, run as the runner runs it, against a real PostgreSQL (embedded, or DATABASE_URL).
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { createServer, type Server } from 'node:net';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { closedPort, errors, expectNoSecrets, warnings } from './support.js';
import { startPostgres, type TestServer } from '../cli/sandbox/postgres.js';
import { migrate, removeWorkspaces, workspace } from './fakes/migrate-workspace.js';
import { findRoot } from '../cli/local-runner.js';
import { until } from './support-waits.js';

/** Whether a process with this id exists (signal 0 delivers nothing; it only checks). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

let pg: TestServer;
beforeAll(async () => {
  pg = await startPostgres();
}, 60_000);
afterAll(async () => {
  removeWorkspaces();
  await pg?.stop();
});

const secretsOf = (url: string) => [url, decodeURIComponent(new URL(url).password)];

const SUPABASE_FILES = {
  'supabase/migrations/20240101000000_init.sql': `-- the first migration
create table accounts (id bigint generated always as identity primary key, email text not null);

/* a block comment /* nested ; */ still comment */
insert into accounts (email) values (E'o\\'brien@example.com; not a split');
create function add_one(i int) returns int language sql
begin atomic
  select i + 1;
end;
create function greet() returns text language plpgsql as $body$
begin
  return 'hello; world';
end;
$body$;
`,
  'supabase/migrations/20240102000000_orders.sql':
    'create table orders (id bigint primary key, account_id bigint references accounts (id));\ninsert into orders values (1, 1);\n',
};

describe('apply (supabase format)', () => {
  test('applies every file with its tracking row, exactly as the Supabase CLI writes them; a second run applies nothing', async () => {
    const url = await pg.createDatabase();
    const ws = workspace(SUPABASE_FILES);
    const result = await migrate(ws, { 'database-url': url });
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    expect(result.outputs['applied-count']).toBe('2');
    expect(result.outputs['pending-count']).toBe('0');
    expect(result.outputs['current-version']).toBe('20240102000000');
    const applied = JSON.parse(result.outputs.applied as string);
    expect(applied.map((a: any) => [a.version, a.name, a.file, a.statements])).toEqual([
      ['20240101000000', 'init', 'supabase/migrations/20240101000000_init.sql', 4],
      ['20240102000000', 'orders', 'supabase/migrations/20240102000000_orders.sql', 2],
    ]);
    const rows = await pg.query(
      url,
      'SELECT version, name, statements FROM supabase_migrations.schema_migrations ORDER BY version',
    );
    expect(rows[0]).toEqual({
      version: '20240101000000',
      name: 'init',
      statements: [
        '-- the first migration\ncreate table accounts (id bigint generated always as identity primary key, email text not null)',
        "/* a block comment /* nested ; */ still comment */\ninsert into accounts (email) values (E'o\\'brien@example.com; not a split')",
        'create function add_one(i int) returns int language sql\nbegin atomic\n  select i + 1;\nend',
        "create function greet() returns text language plpgsql as $body$\nbegin\n  return 'hello; world';\nend;\n$body$",
      ].concat([]),
    });
    expect(rows).toHaveLength(2);
    expect(
      (await pg.query(url, 'SELECT add_one(1) AS two, greet() AS hello, (SELECT email FROM accounts) AS email'))[0],
    ).toEqual({
      two: 2,
      hello: 'hello; world',
      email: "o'brien@example.com; not a split",
    });
    expect(result.summary).toContain('| supabase/migrations/20240101000000_init.sql | 20240101000000 | 4 |');
    expect(result.summary).toContain('✓ applied');
    expectNoSecrets(result, secretsOf(url));

    const again = await migrate(ws, { 'database-url': url });
    expect(again.exitCode).toBe(0);
    expect(again.outputs).toMatchObject({
      'applied-count': '0',
      'pending-count': '0',
      'current-version': '20240102000000',
      applied: '[]',
    });
    expect(again.stdout).toContain('Database is up to date');
  });

  test('a failing statement rolls its file back, stops the run, and is annotated at file:line:column with the server message', async () => {
    const url = await pg.createDatabase();
    const ws = workspace({
      'supabase/migrations/1_one.sql': 'create table one (id int);\n',
      'supabase/migrations/2_two.sql':
        'create table two (id int);\ninsert into two values (1);\n  insert into two values (1, (select missing_column from two));\n',
      'supabase/migrations/3_three.sql': 'create table three (id int);\n',
    });
    const result = await migrate(ws, { 'database-url': url });
    expect(result.exitCode).toBe(1);
    const annotation = result.annotations.find((a) => a.file === 'supabase/migrations/2_two.sql');
    expect(annotation).toMatchObject({ level: 'error', line: 3, col: 38 });
    expect(annotation?.message).toContain('column "missing_column" does not exist');
    expect(errors(result).join('\n')).toContain('rolled back');
    expect(result.outputs).toMatchObject({ 'applied-count': '1', 'pending-count': '2', 'current-version': '1' });
    expect(JSON.parse(result.outputs.applied as string).map((a: any) => a.version)).toEqual(['1']);
    const tables = await pg.query(url, "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1");
    expect(tables.map((t) => t.tablename)).toEqual(['one']);
    expect(
      (await pg.query(url, 'SELECT version FROM supabase_migrations.schema_migrations')).map((r) => r.version),
    ).toEqual(['1']);
    expect(result.summary).toMatch(/2_two\.sql \| 2 \| 3 \| .* \| ✗ failed, rolled back/);
    expect(result.summary).toContain('| supabase/migrations/3_three.sql | 3 | 1 | – | – not run |');
  });

  test('a syntax error anywhere stops everything before anything runs, annotated where the parser stopped', async () => {
    const url = await pg.createDatabase();
    const ws = workspace({
      'supabase/migrations/1_ok.sql': 'create table ok (id int);\n',
      'supabase/migrations/2_bad.sql': "-- café ☕\ncreate table bad (id int);\nselect 'ünïcode' frm bad;\n",
    });
    const result = await migrate(ws, { 'database-url': url });
    expect(result.exitCode).toBe(1);
    expect(result.annotations.find((a) => a.file === 'supabase/migrations/2_bad.sql')).toMatchObject({
      line: 3,
      col: 22,
      title: 'SQL syntax error',
    });
    expect(await pg.query(url, "SELECT to_regclass('ok') AS t")).toEqual([{ t: null }]);
  });

  test('settings a file makes, and the per-migration timeouts, do not leak into the next file', async () => {
    const url = await pg.createDatabase();
    const ws = workspace({
      'migrations/001_sets.sql':
        "set lock_timeout = '1234ms';\nset search_path = pg_catalog;\ncreate table public.first (id int);\n",
      'migrations/002_reads.sql':
        "create table seen as select current_setting('lock_timeout') as lock_timeout, current_setting('statement_timeout') as statement_timeout, current_setting('search_path') as search_path;\n",
    });
    const result = await migrate(ws, {
      'database-url': url,
      'migration-lock-timeout': '3s',
      'statement-timeout': '1m',
    });
    expect(result.exitCode).toBe(0);
    expect(await pg.query(url, 'SELECT * FROM seen')).toEqual([
      { lock_timeout: '3s', statement_timeout: '1min', search_path: '"$user", public' },
    ]);
  });

  test('statement-timeout cancels a statement that runs too long', async () => {
    const url = await pg.createDatabase();
    const ws = workspace({ 'migrations/001_slow.sql': 'create table slow (id int);\nselect pg_sleep(5);\n' });
    const result = await migrate(ws, { 'database-url': url, 'statement-timeout': '300ms' });
    expect(result.exitCode).toBe(1);
    expect(result.annotations.find((a) => a.file === 'migrations/001_slow.sql')).toMatchObject({ line: 2, col: 1 });
    expect(errors(result).join('\n')).toContain('canceling statement due to statement timeout');
    expect(await pg.query(url, "SELECT to_regclass('slow') AS t")).toEqual([{ t: null }]);
  });
});

describe('plain format (the CRB Analyser migrator)', () => {
  test('adopts an existing schema_migrations(version, applied_at), adds a checksum column, versions are file stems', async () => {
    const url = await pg.createDatabase();
    await pg.query(
      url,
      "CREATE TABLE schema_migrations (version varchar(255) PRIMARY KEY, applied_at text); INSERT INTO schema_migrations VALUES ('001_initial_schema', '2024-01-01T00:00:00'); CREATE TABLE vendors (id int);",
    );
    const ws = workspace({
      'backend/src/migrations/versions/001_initial_schema.sql': 'create table vendors (id int);\n',
      'backend/src/migrations/versions/002_add_pricing_history.sql':
        'create table pricing_history (vendor_id int, price numeric);\n',
    });
    const result = await migrate(ws, { 'database-url': url, dir: 'backend/src/migrations/versions' });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('2 plain migration(s)');
    expect(result.outputs).toMatchObject({ 'applied-count': '1', 'current-version': '002_add_pricing_history' });
    const rows = await pg.query(
      url,
      'SELECT version, applied_at IS NOT NULL AS stamped, checksum FROM schema_migrations ORDER BY version',
    );
    expect(rows).toEqual([
      { version: '001_initial_schema', stamped: true, checksum: null },
      { version: '002_add_pricing_history', stamped: true, checksum: expect.stringMatching(/^[0-9a-f]{64}$/) },
    ]);
  });
});

describe('statements that cannot run in a transaction', () => {
  test('a CREATE INDEX CONCURRENTLY file runs outside a transaction; one between other statements is refused before anything runs', async () => {
    const url = await pg.createDatabase();
    const ws = workspace({
      'migrations/001_table.sql': 'create table items (id int, name text);\n',
      'migrations/002_index.sql': "set lock_timeout = '5s';\ncreate index concurrently items_name on items (name);\n",
    });
    const ok = await migrate(ws, { 'database-url': url });
    expect(ok.exitCode).toBe(0);
    expect(ok.summary).toContain('✓ applied (no transaction)');
    expect(await pg.query(url, "SELECT indisvalid FROM pg_index WHERE indexrelid = 'items_name'::regclass")).toEqual([
      { indisvalid: true },
    ]);

    const url2 = await pg.createDatabase();
    const mixed = workspace({
      'migrations/001_table.sql': 'create table items (id int, name text);\n',
      'migrations/002_mixed.sql':
        'alter table items add column price int;\n\ncreate index concurrently items_price on items (price);\nalter table items add column qty int;\n',
    });
    const refused = await migrate(mixed, { 'database-url': url2 });
    expect(refused.exitCode).toBe(1);
    const annotation = refused.annotations.find((a) => a.file === 'migrations/002_mixed.sql');
    expect(annotation).toMatchObject({ line: 3, col: 1 });
    expect(annotation?.message).toContain('CREATE INDEX CONCURRENTLY cannot run inside a transaction block');
    expect(await pg.query(url2, "SELECT to_regclass('items') AS t")).toEqual([{ t: null }]);

    writeFileSync(
      join(mixed, 'migrations/002_mixed.sql'),
      '-- shipline:no-transaction\nalter table items add column price int;\ncreate index concurrently items_price on items (price);\nalter table items add column qty int;\n',
    );
    const marked = await migrate(mixed, { 'database-url': url2 });
    expect(marked.exitCode).toBe(0);
    expect(await pg.query(url2, "SELECT indisvalid FROM pg_index WHERE indexrelid = 'items_price'::regclass")).toEqual([
      { indisvalid: true },
    ]);
  });
});

describe('drift, missing files and order, checked before anything runs', () => {
  async function applied(files: Record<string, string>) {
    const url = await pg.createDatabase();
    const ws = workspace(files);
    expect((await migrate(ws, { 'database-url': url })).exitCode).toBe(0);
    return { url, ws };
  }

  test('an applied file that changed fails the run naming it (allow-changed turns it into a warning)', async () => {
    const { url, ws } = await applied({ 'migrations/001_a.sql': 'create table a (id int);\n' });
    writeFileSync(join(ws, 'migrations/001_a.sql'), 'create table a (id bigint);\n');
    writeFileSync(join(ws, 'migrations/002_b.sql'), 'create table b (id int);\n');
    const result = await migrate(ws, { 'database-url': url });
    expect(result.exitCode).toBe(1);
    expect(errors(result).join('\n')).toContain('migrations/001_a.sql was changed after it was applied');
    expect(await pg.query(url, "SELECT to_regclass('b') AS t")).toEqual([{ t: null }]);
    const allowed = await migrate(ws, { 'database-url': url, 'allow-changed': true });
    expect(allowed.exitCode).toBe(0);
    expect(warnings(allowed).join('\n')).toContain('001_a.sql was changed');
    expect(allowed.outputs['applied-count']).toBe('1');
  });

  test('a Supabase file changed after the CLI-style row was written is drift too (statements compared)', async () => {
    const { url, ws } = await applied({ 'supabase/migrations/1_a.sql': 'create table a (id int);\n' });
    writeFileSync(join(ws, 'supabase/migrations/1_a.sql'), 'create table a (id int);\n-- only a comment changed\n\n');
    expect((await migrate(ws, { 'database-url': url })).exitCode).toBe(1);
    writeFileSync(join(ws, 'supabase/migrations/1_a.sql'), 'create   table a (id int)  ;\n');
    expect((await migrate(ws, { 'database-url': url })).exitCode).toBe(0);
  });

  test('an applied version with no file fails the run', async () => {
    const { url, ws } = await applied({
      'migrations/001_a.sql': 'create table a (id int);\n',
      'migrations/002_b.sql': 'create table b (id int);\n',
    });
    const { rmSync } = await import('node:fs');
    rmSync(join(ws, 'migrations/002_b.sql'));
    writeFileSync(join(ws, 'migrations/003_c.sql'), 'create table c (id int);\n');
    const result = await migrate(ws, { 'database-url': url });
    expect(result.exitCode).toBe(1);
    expect(errors(result).join('\n')).toContain(
      'version 002_b is recorded in schema_migrations but no migration file has it',
    );
    expect(await pg.query(url, "SELECT to_regclass('c') AS t")).toEqual([{ t: null }]);
  });

  test('a new file older than the newest applied one fails unless allow-out-of-order', async () => {
    const { url, ws } = await applied({
      'migrations/001_a.sql': 'create table a (id int);\n',
      'migrations/003_c.sql': 'create table c (id int);\n',
    });
    writeFileSync(join(ws, 'migrations/002_b.sql'), 'create table b (id int);\n');
    const result = await migrate(ws, { 'database-url': url });
    expect(result.exitCode).toBe(1);
    expect(errors(result).join('\n')).toContain(
      'migrations/002_b.sql is not applied but is older than the newest applied version 003_c',
    );
    const allowed = await migrate(ws, { 'database-url': url, 'allow-out-of-order': 'true' });
    expect(allowed.exitCode).toBe(0);
    expect(allowed.outputs).toMatchObject({ 'applied-count': '1', 'current-version': '003_c' });
  });
});

describe('status, plan, dry-run, verify, exec', () => {
  test('status lists applied / pending / changed / missing per file and does not fail', async () => {
    const url = await pg.createDatabase();
    const ws = workspace({
      'migrations/001_a.sql': 'create table a (id int);\n',
      'migrations/002_b.sql': 'create table b (id int);\n',
    });
    expect((await migrate(ws, { 'database-url': url })).exitCode).toBe(0);
    const { rmSync } = await import('node:fs');
    rmSync(join(ws, 'migrations/002_b.sql'));
    writeFileSync(join(ws, 'migrations/001_a.sql'), 'create table a (id bigint);\n');
    writeFileSync(join(ws, 'migrations/003_c.sql'), 'create table c (id int);\n');
    const result = await migrate(ws, { 'database-url': url, command: 'status' });
    expect(result.exitCode).toBe(0);
    expect(result.summary).toContain('| migrations/001_a.sql | 001_a | ⚠ changed since applied |');
    expect(result.summary).toContain('| (no file) | 002_b | ✗ applied, file missing |');
    expect(result.summary).toContain('| migrations/003_c.sql | 003_c | … pending |');
    expect(result.outputs).toMatchObject({ 'pending-count': '1', 'current-version': '002_b' });
  });

  test('plan lists what would run with lint findings at file:line; shipline-ignore and severities apply', async () => {
    const url = await pg.createDatabase();
    await pg.query(url, 'CREATE TABLE users (id int primary key, email text, name text)');
    const ws = workspace({
      'migrations/001_risky.sql': [
        'create index users_email on users (email);',
        'alter table users add constraint users_self_fk foreign key (id) references users (id);',
        'alter table users alter column email set not null;',
        '-- shipline-ignore renaming-column',
        'alter table users rename column name to full_name;',
        'alter table users add column token uuid not null default gen_random_uuid();',
        'drop table if exists old_stuff;',
        '',
      ].join('\n'),
    });
    const result = await migrate(ws, { 'database-url': url, command: 'plan' });
    expect(result.exitCode).toBe(0);
    const found = warnings(result).map((w) => w.split(':')[0]);
    expect(found).toEqual(
      expect.arrayContaining([
        'require-lock-timeout',
        'require-concurrent-index-creation',
        'constraint-missing-not-valid',
        'adding-not-nullable-field',
        'adding-field-with-default',
        'ban-drop-table',
      ]),
    );
    expect(found).not.toContain('renaming-column');
    expect(result.annotations.find((a) => a.title === 'Lint: adding-not-nullable-field')).toMatchObject({
      file: 'migrations/001_risky.sql',
      line: 3,
      col: 1,
    });
    expect(result.summary).toContain('| migrations/001_risky.sql:1 | require-concurrent-index-creation | warning |');
    expect(result.summary).toContain('will apply');
    expect(await pg.query(url, "SELECT to_regclass('schema_migrations') AS t")).toEqual([{ t: null }]);

    const strict = await migrate(ws, {
      command: 'plan',
      'lint-severity': 'ban-drop-table=error, require-lock-timeout=off',
    });
    expect(strict.exitCode).toBe(1);
    expect(errors(strict).join('\n')).toContain('ban-drop-table');
    expect(warnings(strict).join('\n')).not.toContain('require-lock-timeout');
    const blocked = await migrate(ws, { 'database-url': url, 'lint-severity': 'ban-drop-table=error' });
    expect(blocked.exitCode).toBe(1);
    expect(await pg.query(url, "SELECT to_regclass('schema_migrations') AS t")).toEqual([{ t: null }]);
  });

  test('dry-run reports what would be applied and changes nothing', async () => {
    const url = await pg.createDatabase();
    const ws = workspace({
      'migrations/001_a.sql': 'create table a (id int);\n',
      'migrations/002_b.sql': 'create table b (id int);\n',
    });
    const result = await migrate(ws, { 'database-url': url, 'dry-run': true });
    expect(result.exitCode).toBe(0);
    expect(result.outputs).toMatchObject({ 'applied-count': '0', 'pending-count': '2', 'current-version': '' });
    expect(result.summary).toContain('would apply');
    expect(await pg.query(url, "SELECT to_regclass('a') AS a, to_regclass('schema_migrations') AS t")).toEqual([
      { a: null, t: null },
    ]);
  });

  test('verify replays the folder on a throw-away database, reports the failing file:line, and drops it', async () => {
    const url = await pg.createDatabase();
    const good = workspace({
      'migrations/001_a.sql': 'create table a (id int);\n',
      'migrations/002_b.sql': 'alter table a add column b int;\n',
    });
    const ok = await migrate(good, { 'database-url': url, command: 'verify' });
    expect(ok.exitCode).toBe(0);
    expect(ok.summary).toContain('all 2 migration(s) apply cleanly');
    expect(await pg.query(url, "SELECT to_regclass('a') AS a")).toEqual([{ a: null }]);
    const bad = workspace({
      'migrations/001_a.sql': 'create table a (id int);\n',
      'migrations/002_b.sql': '\nalter table nope add column b int;\n',
    });
    const failed = await migrate(bad, { 'database-url': url, command: 'verify' });
    expect(failed.exitCode).toBe(1);
    expect(failed.annotations.find((a) => a.file === 'migrations/002_b.sql')).toMatchObject({ line: 2, col: 1 });
    expect(errors(failed).join('\n')).toContain('relation "nope" does not exist');
    expect(await pg.query(pg.url, "SELECT datname FROM pg_database WHERE datname LIKE 'shipline_verify_%'")).toEqual(
      [],
    );
  });

  test('verify without a database-url replays on an embedded PostgreSQL started for it (run locally)', async () => {
    const bad = workspace({
      'migrations/001_a.sql': 'create table a (id int);\n',
      'migrations/002_b.sql': "insert into a values (1);\ninsert into a values (E'x');\n",
    });
    const failed = await migrate(bad, { command: 'verify' }, { timeoutMs: 90_000 });
    expect(failed.exitCode).toBe(1);
    expect(failed.stdout).toContain('starting an embedded PostgreSQL');
    expect(failed.annotations.find((a) => a.file === 'migrations/002_b.sql')).toMatchObject({ line: 2, col: 23 });
    expect(errors(failed).join('\n')).toContain('invalid input syntax for type integer');
    expect(failed.summary).toContain('embedded PostgreSQL, started for this replay');
    expect(failed.stderr).toBe('');
    writeFileSync(join(bad, 'migrations/002_b.sql'), 'insert into a values (1);\n');
    const ok = await migrate(bad, { command: 'verify' }, { timeoutMs: 90_000 });
    expect({ exit: ok.exitCode, stderr: ok.stderr }).toEqual({ exit: 0, stderr: '' });
    expect(ok.summary).toContain('all 2 migration(s) apply cleanly');
  });

  test("exec runs the team's own command under the migration lock with DATABASE_URL, and fails with its exit code", async () => {
    const url = await pg.createDatabase();
    const ws = workspace({});
    const script = join(findRoot(), 'test/fixtures/migrate/lock-check.mjs');
    const result = await migrate(ws, { 'database-url': url, exec: `node ${script}` });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('lock held by another session: true');
    expect(result.stdout).toMatch(/::group::\$ node .*lock-check\.mjs/);
    expect(result.summary).toContain('Migrations (exec)');
    expect(result.outputs['exit-code']).toBe('0');
    expect(await pg.query(url, 'SELECT count(*)::int AS n FROM exec_ran')).toEqual([{ n: 1 }]);
    const failed = await migrate(ws, { 'database-url': url, exec: `node ${script}` }, { env: { EXIT_CODE: '3' } });
    expect(failed.exitCode).toBe(1);
    expect(errors(failed).join('\n')).toContain('exited with code 3');
    expect(failed.outputs['exit-code']).toBe('3');
    expectNoSecrets(failed, secretsOf(url));
  });

  test('exec: when input timeout passes, the command is stopped, not left migrating after the step failed', async () => {
    const url = await pg.createDatabase();
    const ws = workspace({});
    const marker = join(ws, 'still-running');
    // Prints, then sleeps past the step's timeout; were it left alive it would write the marker afterwards.
    const script = join(ws, 'slow.mjs');
    writeFileSync(
      script,
      `console.log('started', process.pid); setTimeout(() => process.getBuiltinModule('node:fs').writeFileSync(${JSON.stringify(marker)}, 'x'), 6000);\n`,
    );
    const result = await migrate(ws, {
      'database-url': url,
      exec: `node ${script}`,
      timeout: '3s',
      'lock-timeout': '1s',
    });
    expect(result.exitCode).toBe(1);
    const pid = Number(/started (\d+)/.exec(result.stdout)?.[1]);
    expect(pid).toBeGreaterThan(0);
    // Stopped, not left to run out its six seconds: the process is gone (signal 0 only asks whether it exists).
    await until(`the exec command (pid ${pid}) to be stopped`, () => !alive(pid));
    expect(existsSync(marker)).toBe(false);
  });
});

describe('npx shipline migrate', () => {
  test('runs the bundle from a terminal: apply, then status, with outputs and the summary printed', async () => {
    const url = await pg.createDatabase();
    const ws = workspace({ 'migrations/001_a.sql': 'create table a (id int);\n' });
    const cli = (...args: string[]) =>
      spawnSync(
        process.execPath,
        [join(findRoot(), 'dist/cli/index.js'), 'migrate', '--database-url', url, '--workspace', ws, ...args],
        { encoding: 'utf8', cwd: ws, timeout: 60_000 },
      );
    const applied = cli();
    expect(applied.status).toBe(0);
    expect(applied.stdout).toContain('Applied migrations/001_a.sql');
    expect(applied.stdout).toContain('applied-count: 1');
    const status = cli('--command', 'status');
    expect(status.status).toBe(0);
    expect(status.stdout).toContain('| migrations/001_a.sql | 001_a | ✓ applied |');
  });
});

describe('bad database-url and unreachable servers: clear errors, the password never printed', () => {
  const ws = workspace({ 'migrations/001_a.sql': 'create table a (id int);\n' });

  test('a value that is not a PostgreSQL URL is an input error that shows only its shape', async () => {
    const result = await migrate(ws, { 'database-url': 'host=db password=hunter2-very-secret' });
    expect(result.exitCode).toBe(1);
    expect(errors(result).join('\n')).toContain("Input 'database-url' must be a PostgreSQL URL");
    expectNoSecrets(result, ['hunter2-very-secret']);
  });

  test('every input problem is reported at once, each naming the input and the expected form', async () => {
    const result = await migrate(ws, {
      command: 'upgrade',
      format: 'rails',
      'lock-timeout': 'soon',
      'lint-severity': 'ban-everything=error',
      'database-url': 'mysql://u:Sql-s3cret@db/app',
    });
    expect(result.exitCode).toBe(1);
    const message = errors(result).join('\n');
    expect(message).toContain("Input 'command' must be one of apply, plan, verify, status, got 'upgrade'");
    expect(message).toContain(
      "Input 'format' must be one of auto, supabase, plain, dbmate, goose, golang-migrate, flyway, prisma, drizzle, got 'rails'",
    );
    expect(message).toContain("Input 'lock-timeout' must be a duration like 30s, 5m or 1h");
    expect(message).toContain("Input 'lint-severity' names an unknown rule 'ban-everything'");
    expect(message).toContain(
      "Input 'database-url' must be a PostgreSQL URL like postgresql://user:password@host:5432/database, got 'mysql://…'",
    );
    expectNoSecrets(result, ['Sql-s3cret', 'mysql://u:Sql-s3cret@db/app']);
  });

  test('a wrong password names the server and the user, never the password', async () => {
    const u = new URL(pg.url);
    u.password = 'Wrong-Passw0rd-xyz';
    const result = await migrate(ws, { 'database-url': u.toString() });
    expect(result.exitCode).toBe(1);
    const message = errors(result).join('\n');
    expect(message).toContain(`Cannot connect to PostgreSQL at 127.0.0.1:${u.port}/postgres`);
    expect(message).toContain('password authentication failed');
    expectNoSecrets(result, [u.toString(), 'Wrong-Passw0rd-xyz']);
  });

  test('connection refused', async () => {
    const port = await closedPort();
    const bad = `postgresql://postgres:Refused-s3cret@127.0.0.1:${port}/app`;
    const result = await migrate(ws, { 'database-url': bad });
    expect(result.exitCode).toBe(1);
    expect(errors(result).join('\n')).toContain(`Cannot connect to PostgreSQL at 127.0.0.1:${port}/app`);
    expect(errors(result).join('\n')).toContain('ECONNREFUSED');
    expectNoSecrets(result, [bad, 'Refused-s3cret']);
  });

  test('a server that accepts the connection and never answers times out after connect-timeout', async () => {
    const silent: Server = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as { port: number };
    const bad = `postgresql://postgres:Silent-s3cret@127.0.0.1:${port}/app`;
    try {
      const result = await migrate(ws, { 'database-url': bad, 'connect-timeout': '1s' });
      expect(result.exitCode).toBe(1);
      expect(errors(result).join('\n')).toContain('no answer within 1s');
      expectNoSecrets(result, [bad, 'Silent-s3cret']);
    } finally {
      silent.close();
    }
  });

  test('a missing folder is named', async () => {
    const result = await migrate(workspace({}), { 'database-url': pg.url, dir: 'db/nowhere' });
    expect(result.exitCode).toBe(1);
    expect(errors(result).join('\n')).toContain("Input 'dir': db/nowhere is not a folder");
    expect(existsSync(join(findRoot(), 'dist/migrate/libpg-query.wasm'))).toBe(true);
    expect(readFileSync(join(findRoot(), 'dist/migrate/libpg-query.wasm')).subarray(0, 4).toString('hex')).toBe(
      '0061736d',
    );
  });
});
