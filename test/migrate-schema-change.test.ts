// Expand or contract: can the release before a migration still run against the schema after it? Statement by
// statement in-process, then through the migrate bundle's outputs, annotations and summary.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { contractReason, firstContract, newReleaseSchema } from '../actions/migrate/src/schema-change.js';
import { splitStatements } from '../actions/migrate/src/sql.js';
import { startPostgres, type TestServer } from '../cli/sandbox/postgres.js';
import { migrate, removeWorkspaces, workspace } from './fakes/migrate-workspace.js';

async function classify(sql: string): Promise<(string | undefined)[]> {
  const release = newReleaseSchema();
  return (await splitStatements(sql)).statements.map((s) => contractReason(s, release));
}

describe('contract changes: the previous release cannot run against them', () => {
  const contract: [string, string, string][] = [
    ['DROP COLUMN', 'alter table users drop column nickname;', 'drops column users.nickname'],
    ['DROP TABLE', 'drop table sessions;', 'drops table sessions'],
    ['DROP VIEW', 'drop view active_users;', 'drops view active_users'],
    ['DROP FUNCTION', 'drop function touch_updated_at();', 'drops function touch_updated_at'],
    ['RENAME COLUMN', 'alter table users rename column name to full_name;', 'renames column users.name to full_name'],
    ['RENAME TABLE', 'alter table users rename to members;', 'renames table users to members'],
    ['a type change', 'alter table users alter column age type bigint;', 'changes the type of users.age'],
    ['SET NOT NULL', 'alter table users alter column email set not null;', 'makes users.email NOT NULL'],
    [
      'DROP DEFAULT',
      'alter table users alter column created_at drop default;',
      'drops the default of users.created_at',
    ],
    [
      'DROP CONSTRAINT of a unique key',
      'alter table users drop constraint users_email_key;',
      'drops constraint users_email_key',
    ],
    [
      'a NOT NULL column without a default',
      'alter table users add column tenant_id bigint not null;',
      'adds users.tenant_id NOT NULL without a default',
    ],
    ['moving a table to another schema', 'alter table users set schema archive;', 'moves users to schema archive'],
    ['renaming an enum value', "alter type mood rename value 'sad' to 'blue';", "renames the value 'sad' of type mood"],
    ['TRUNCATE', 'truncate audit_log;', 'empties audit_log'],
    ['DELETE', 'delete from sessions where expires_at < now();', 'deletes rows of sessions'],
    ['UPDATE of existing data', 'update users set email = lower(email);', 'rewrites users.email in place'],
  ];
  test.each(contract)('%s', async (_, sql, reason) => {
    expect((await classify(sql))[0]).toContain(reason);
  });
});

describe('expand changes: additive, the previous release runs as before', () => {
  const expand: [string, string][] = [
    ['a new table', 'create table invoices (id bigint primary key, total numeric not null);'],
    ['a nullable column', 'alter table users add column nickname text;'],
    ['a NOT NULL column with a default', "alter table users add column plan text not null default 'free';"],
    ['an identity column', 'alter table users add column seq bigint generated always as identity;'],
    ['an index', 'create index concurrently users_email on users (email);'],
    ['a function', 'create function add_one(int) returns int language sql as $$ select $1 + 1 $$;'],
    ['a new enum value', "alter type mood add value 'curious';"],
    ['DROP NOT NULL', 'alter table users alter column email drop not null;'],
    ['SET DEFAULT', "alter table users alter column plan set default 'free';"],
    ['DROP INDEX', 'drop index concurrently users_email;'],
    ['seed rows', "insert into plans (name) values ('free');"],
    [
      'dropping a foreign key (it only loosens writes)',
      'alter table observations drop constraint observations_prompt_id_fkey;',
    ],
    ['dropping a check', 'alter table users drop constraint users_age_check;'],
  ];
  test.each(expand)('%s', async (_, sql) => {
    expect(await classify(sql)).toEqual([undefined]);
  });

  test('a constraint dropped and added again under its name in the same file is replaced, not removed', async () => {
    const release = newReleaseSchema();
    const { statements } = await splitStatements(
      'alter table users drop constraint users_email_key;\nalter table users add constraint users_email_key unique (email, tenant_id);',
    );
    expect(firstContract(statements, new Map(), release)).toBeUndefined();
  });

  test("what this release created is the release's own: dropping, renaming or filling it is no contract", async () => {
    expect(
      await classify(`create table scratch (id int, note text);
alter table scratch rename column note to body;
alter table users add column display_name text;
update users set display_name = name;
drop table scratch;`),
    ).toEqual([undefined, undefined, undefined, undefined, undefined]);
  });
});

describe('through the migrate bundle', () => {
  let pg: TestServer;
  beforeAll(async () => {
    pg = await startPostgres();
  }, 120_000);
  afterAll(async () => {
    removeWorkspaces();
    await pg?.stop();
  });

  test('plan names each contract migration at file:line in the outputs, an annotation and the summary', async () => {
    const ws = workspace({
      'migrations/001_add.sql':
        'alter table users add column display_name text;\nupdate users set display_name = name;\n',
      'migrations/002_drop.sql':
        "set lock_timeout = '2s';\n-- the old column goes\nalter table users drop column name;\n",
    });
    const result = await migrate(ws, { command: 'plan' });
    expect(result.exitCode).toBe(0);
    expect(result.outputs['rollback-safe']).toBe('false');
    expect(JSON.parse(result.outputs['contract-migrations'] as string)).toEqual([
      {
        file: 'migrations/002_drop.sql',
        version: '002_drop',
        line: 3,
        statement: 'alter table users drop column name',
        reason: 'drops column users.name, which the previous release may still read or write',
      },
    ]);
    expect(result.annotations.find((a) => a.title === 'Not rollback-safe')).toMatchObject({
      file: 'migrations/002_drop.sql',
      line: 3,
    });
    expect(result.summary).toContain('#### Not rollback-safe');
    expect(result.summary).toContain('| migrations/002_drop.sql:3 | drops column users.name');
  });

  test('apply of an expand-only folder is rollback-safe; a contract file applied says so, one not applied does not count', async () => {
    const url = await pg.createDatabase();
    await pg.query(url, 'CREATE TABLE users (id int primary key, name text)');
    const expandOnly = workspace({ 'migrations/001_add.sql': 'alter table users add column display_name text;\n' });
    const safe = await migrate(expandOnly, { 'database-url': url });
    expect(safe.exitCode).toBe(0);
    expect(safe.outputs).toMatchObject({ 'rollback-safe': 'true', 'contract-migrations': '[]' });
    expect(safe.summary).toContain('**Rollback-safe**');

    const failing = workspace({
      'migrations/001_add.sql': 'alter table users add column display_name text;\n',
      'migrations/002_drop.sql': 'alter table users drop column name;\n',
      'migrations/003_broken.sql': 'alter table users drop column no_such_column;\n',
    });
    const partial = await migrate(failing, { 'database-url': url });
    expect(partial.exitCode).toBe(1);
    expect(JSON.parse(partial.outputs['applied'] as string).map((a: { file: string }) => a.file)).toEqual([
      'migrations/002_drop.sql',
    ]);
    // 003 would be a contract migration too, but it never committed: only what changed the schema counts.
    expect(JSON.parse(partial.outputs['contract-migrations'] as string).map((c: { file: string }) => c.file)).toEqual([
      'migrations/002_drop.sql',
    ]);
    expect(partial.outputs['rollback-safe']).toBe('false');
  }, 60_000);
});
