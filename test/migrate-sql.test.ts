// Pure parts of migrate: splitting with the real PostgreSQL parser, positions, transaction rules, lint, orders.
import { describe, expect, test } from '@jest/globals';
import { dottedOrder, FORMATS, type MigrationFile, numericOrder, readFolder } from '../actions/migrate/src/formats.js';
import pg from 'pg';
import { quoteLiteral } from '../actions/migrate/src/db.js';
import { compareWithDatabase, parseAhead, planFile, prepare } from '../actions/migrate/src/migrator.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ignoredRules, lintStatements } from '../actions/migrate/src/lint.js';
import { positionAt, splitStatements, SqlSyntaxError } from '../actions/migrate/src/sql.js';
import { expectedChecksum, flywayChecksum, trackerFor } from '../actions/migrate/src/tracking.js';

describe('splitStatements', () => {
  test('splits where the server would, not at every semicolon', async () => {
    const sql = [
      "select E'a\\'; b';",
      'select $tag$ ; $$ ; $tag$;',
      '/* outer /* inner ; */ still ; comment */ select 1;',
      'create function f() returns int language sql begin atomic select 1; select 2; end;',
      '-- trailing ; comment',
    ].join('\n');
    const { statements, trailing } = await splitStatements(sql);
    expect(statements.map((s) => s.sql)).toEqual([
      "select E'a\\'; b'",
      'select $tag$ ; $$ ; $tag$',
      'select 1',
      'create function f() returns int language sql begin atomic select 1; select 2; end',
    ]);
    expect(statements[2]?.stored).toBe('/* outer /* inner ; */ still ; comment */ select 1');
    expect(trailing).toBe('-- trailing ; comment');
  });

  test('a statement ends at its last token: comments before its `;` or after the last statement are not part of it', async () => {
    const goose = '-- +goose StatementBegin\ncreate view v as select 1 -- one\n-- +goose StatementEnd\n';
    const { statements, trailing } = await splitStatements(goose);
    expect(statements.map((s) => s.sql)).toEqual(['create view v as select 1']);
    // As the Supabase CLI stores it: the comments stay in the stored text.
    expect(statements[0]?.stored).toBe(
      '-- +goose StatementBegin\ncreate view v as select 1 -- one\n-- +goose StatementEnd',
    );
    expect(trailing).toBe('');
    const inner = await splitStatements("select 'a' -- note ;\n/* more */ ;\nselect 2");
    expect(inner.statements.map((s) => s.sql)).toEqual(["select 'a'", 'select 2']);
    expect(inner.statements.map((s) => inner.statements.indexOf(s) === 0 && s.end)).toEqual([10, false]);
  });

  test('goose blocks are parsed one by one, as goose sends them: a block needs no `;` before the next', async () => {
    const content =
      "-- +goose Up\n-- +goose StatementBegin\ncreate view v as select 1\n-- +goose StatementEnd\n-- +goose StatementBegin\ncomment on view v is 'x'\n-- +goose StatementEnd\n-- +goose Down\ndrop view v;\n";
    const { up, offset, cuts } = FORMATS.goose.up(content);
    const file = {
      file: 'f.sql',
      fileName: 'f.sql',
      content,
      up,
      upOffset: offset,
      cuts,
      noTransaction: false,
    } as unknown as MigrationFile;
    const { prepared, problems } = await prepare([file]);
    expect(problems).toEqual([]);
    expect(prepared[0]?.statements.map((s) => [s.sql, positionAt(content, s.offset).line])).toEqual([
      ['create view v as select 1', 3],
      ["comment on view v is 'x'", 6],
    ]);
  });

  test('offsets are characters in the whole file, past multi-byte text', async () => {
    const file = "-- ☕ prelude\nselect 'é';\n  select 2;";
    const start = file.indexOf('select');
    const { statements } = await splitStatements(file.slice(start), start);
    expect(statements.map((s) => positionAt(file, s.offset))).toEqual([
      { line: 2, column: 1 },
      { line: 3, column: 3 },
    ]);
  });

  test('a syntax error carries the character offset where the parser stopped', async () => {
    const error = await splitStatements("select 'ü';\nselect from from;").catch((e) => e);
    expect(error).toBeInstanceOf(SqlSyntaxError);
    expect(positionAt("select 'ü';\nselect from from;", (error as SqlSyntaxError).offset)).toEqual({
      line: 2,
      column: 13,
    });
  });

  test('recognises statements that cannot run in a transaction block from the parse tree', async () => {
    const { statements } = await splitStatements(
      'create index concurrently i on t (a); create index j on t (a); drop index concurrently i; reindex index concurrently j; vacuum t; analyze t; alter system set work_mem = 1; create database d; begin; commit;',
    );
    expect(statements.map((s) => s.nonTransactional ?? (s.transactionControl ? 'tx' : '-'))).toEqual([
      'CREATE INDEX CONCURRENTLY',
      '-',
      'DROP INDEX CONCURRENTLY',
      'REINDEX CONCURRENTLY',
      'VACUUM',
      '-',
      'ALTER SYSTEM',
      'CREATE DATABASE',
      'tx',
      'tx',
    ]);
  });
});

describe('how a file runs', () => {
  const file = (up: string, noTransaction = false) =>
    ({ file: 'f.sql', up, noTransaction }) as unknown as MigrationFile;
  const plan = async (up: string, noTransaction = false) => {
    const f = file(up, noTransaction);
    return planFile(f, (await splitStatements(up)).statements);
  };

  test('CONCURRENTLY at the start or the end of a file runs on its own, the rest in one transaction; in the middle it is refused', async () => {
    expect((await plan('create table t (a int); insert into t values (1);')).plan).toEqual({
      mode: 'transaction',
      before: 0,
      after: 0,
      asWritten: false,
    });
    expect(
      (await plan('create index concurrently i on t (a); create table u (a int); comment on table u is $$x$$;')).plan,
    ).toEqual({ mode: 'split', before: 1, after: 0, asWritten: false });
    expect(
      (await plan("alter table t add b int; set lock_timeout = '1s'; create index concurrently i on t (b);")).plan,
    ).toEqual({ mode: 'split', before: 0, after: 1, asWritten: false });
    expect((await plan("set lock_timeout = '1s'; create index concurrently i on t (b);")).plan.mode).toBe(
      'no-transaction',
    );
    const middle = await plan(
      'alter table t add b int; create index concurrently i on t (b); alter table t add c int;',
    );
    expect(middle.problem?.title).toBe('Statement that cannot run in a transaction, between others');
    expect(
      (await plan('alter table t add b int; create index concurrently i on t (b); alter table t add c int;', true))
        .problem,
    ).toBeUndefined();
  });

  test("a file with its own BEGIN/COMMIT runs as written; savepoints alone stay inside shipline's transaction", async () => {
    expect((await plan('begin; create table t (a int); commit;')).plan).toEqual({
      mode: 'own-transactions',
      before: 0,
      after: 0,
      asWritten: true,
    });
    expect((await plan('create table t (a int); savepoint s; rollback to savepoint s;')).plan.mode).toBe('transaction');
    expect((await plan('create index concurrently i on t (a); begin; create table u (a int); commit;')).plan).toEqual({
      mode: 'split',
      before: 1,
      after: 0,
      asWritten: true,
    });
  });
});

describe('parsing ahead of the database', () => {
  const file = (up: string) =>
    ({
      file: 'f.sql',
      fileName: 'f.sql',
      content: up,
      up,
      upOffset: 0,
      noTransaction: false,
    }) as unknown as MigrationFile;

  test('a file parsed ahead is prepared as if it were not: the same statements, and its syntax error still reported', async () => {
    const good = file('create table t (a int);\ninsert into t values (1);');
    const bad = file('create table u (a int;');
    await parseAhead([good, bad]).finished;
    const { prepared, problems } = await prepare([good, bad]);
    expect(prepared.map((p) => p.statements.map((s) => s.sql))).toEqual([
      ['create table t (a int)', 'insert into t values (1)'],
    ]);
    expect(problems).toHaveLength(1);
    expect(problems[0]?.title).toBe('SQL syntax error');
    expect(problems[0]?.file).toBe(bad);
  });
});

describe('quoteLiteral', () => {
  test("writes exactly the driver's escapeLiteral", () => {
    const pgEscape = (value: string) => new pg.Client().escapeLiteral(value);
    for (const value of [
      '',
      'plain',
      "it's",
      "''",
      'a\\b',
      "mixed ' and \\ and \\'",
      'ünïcødé ☕ \n\t',
      '$$ dollar $$',
    ]) {
      expect(quoteLiteral(value)).toBe(pgEscape(value));
    }
  });
});

describe("drift checks leave shipline's own comments out", () => {
  test('a marker or an ignore comment added to an applied file is not a change, in checksum formats and for Flyway', () => {
    const dir = mkdtempSync(join(tmpdir(), 'shipline-drift-'));
    try {
      const before = 'create table a (id int);\ncreate index concurrently i on a (id);\n';
      const after = `-- shipline:no-transaction\n${before}-- shipline-ignore ban-drop-table\n`;
      for (const [format, name] of [
        ['plain', '001_a.sql'],
        ['flyway', 'V1__a.sql'],
      ] as const) {
        writeFileSync(join(dir, name), before);
        const [applied] = readFolder(dir, dir, FORMATS[format]).files;
        const row = { version: applied!.version, checksum: expectedChecksum(format, applied!) };
        writeFileSync(join(dir, name), after);
        const files = readFolder(dir, dir, FORMATS[format]).files;
        expect(
          compareWithDatabase(FORMATS[format], trackerFor(format), files, [row], {
            allowChanged: false,
            allowOutOfOrder: false,
          }).states.map((x) => x.status),
        ).toEqual(['applied']);
        writeFileSync(join(dir, name), after.replace('int', 'bigint'));
        const edited = readFolder(dir, dir, FORMATS[format]).files;
        expect(
          compareWithDatabase(FORMATS[format], trackerFor(format), edited, [row], {
            allowChanged: false,
            allowOutOfOrder: false,
          }).states.map((x) => x.status),
        ).toEqual(['changed']);
        rmSync(join(dir, name));
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('lint', () => {
  const rules = async (sql: string, lockTimeoutSet = true) =>
    lintStatements((await splitStatements(sql)).statements, { lockTimeoutSet }).map((f) => f.rule);

  test('flags what locks or destroys, with squawk rule names', async () => {
    expect(await rules('create index i on users (email);')).toEqual(['require-concurrent-index-creation']);
    expect(await rules('drop index i;')).toEqual(['require-concurrent-index-deletion']);
    expect(await rules('alter table users add constraint c check (id > 0);')).toEqual(['constraint-missing-not-valid']);
    expect(await rules('alter table users add constraint c check (id > 0) not valid;')).toEqual([]);
    expect(await rules('alter table users add constraint f foreign key (team) references teams (id);')).toEqual([
      'constraint-missing-not-valid',
    ]);
    expect(await rules('alter table users add column a int not null;')).toEqual(['adding-required-field']);
    expect(await rules('alter table users add column a int not null default 0;')).toEqual([]);
    expect(await rules('alter table users add column a timestamptz default clock_timestamp();')).toEqual([
      'adding-field-with-default',
    ]);
    expect(await rules('alter table users alter column a set not null;')).toEqual(['adding-not-nullable-field']);
    expect(await rules('alter table users alter column a type bigint;')).toEqual(['changing-column-type']);
    expect(await rules('alter table users drop column a;')).toEqual(['ban-drop-column']);
    expect(await rules('drop table users;')).toEqual(['ban-drop-table']);
    expect(await rules('alter table users rename column a to b;')).toEqual(['renaming-column']);
    expect(await rules('alter table users rename to people;')).toEqual(['renaming-table']);
    expect(await rules('truncate users cascade;')).toEqual(['ban-truncate-cascade']);
  });

  test('a table created in the same file is not "existing"; lock_timeout set in the file satisfies require-lock-timeout', async () => {
    expect(
      await rules(
        'create table t (id int); create index i on t (id); alter table t add constraint c check (id > 0);',
        false,
      ),
    ).toEqual([]);
    expect(await rules('alter table users add column a int;', false)).toEqual(['require-lock-timeout']);
    expect(await rules("set lock_timeout = '2s'; alter table users add column a int;", false)).toEqual([]);
  });

  test('ignore comments name rules (shipline-ignore, and squawk-ignore for teams coming from squawk)', () => {
    expect([...ignoredRules('-- shipline-ignore ban-drop-table, renaming-column\n')]).toEqual([
      'ban-drop-table',
      'renaming-column',
    ]);
    expect([...ignoredRules('-- squawk-ignore ban-drop-column\n')]).toEqual(['ban-drop-column']);
  });
});

describe('versions and formats', () => {
  test('numeric and dotted orders', () => {
    expect(['10_b', '9_a', '100_c'].sort(numericOrder)).toEqual(['9_a', '10_b', '100_c']);
    expect(['20240101000000000001', '20240101000000000002'].sort(numericOrder)).toEqual([
      '20240101000000000001',
      '20240101000000000002',
    ]);
    expect(['1.10', '1.9', '2', '1.9.1'].sort(dottedOrder)).toEqual(['1.9', '1.9.1', '1.10', '2']);
  });

  test('file names and up parts per format', () => {
    expect(FORMATS.supabase.match('20240101000000_init.sql')).toEqual({ version: '20240101000000', name: 'init' });
    expect(FORMATS.plain.match('001_initial_schema.sql')).toEqual({
      version: '001_initial_schema',
      name: 'initial_schema',
    });
    expect(FORMATS['golang-migrate'].match('000002_b.up.sql')).toEqual({ version: '2', name: 'b' });
    expect(FORMATS.flyway.match('V1_2__add_items.sql')).toEqual({ version: '1.2', name: 'add items' });
    const dbmate = FORMATS.dbmate.up(
      '-- migrate:up transaction:false\ncreate index concurrently i on t (a);\n-- migrate:down\ndrop index i;\n',
    );
    expect(dbmate).toEqual({ up: '\ncreate index concurrently i on t (a);\n', offset: 31, noTransaction: true });
    expect(FORMATS.goose.up('-- +goose Up\nselect 1;\n-- +goose Down\nselect 2;\n').up).toBe('\nselect 1;\n');
  });

  test("Flyway's checksum ignores line endings", () => {
    expect(flywayChecksum('select 1;\nselect 2;\n')).toBe(flywayChecksum('select 1;\r\nselect 2;'));
    expect(flywayChecksum('select 1;\n')).not.toBe(flywayChecksum('select 2;\n'));
  });
});

describe('inputs', () => {
  test('lint rule names in inputs are the rules lint knows', async () => {
    const { RULE_NAMES } = await import('../actions/migrate/src/inputs.js');
    const { RULES } = await import('../actions/migrate/src/lint.js');
    expect([...RULE_NAMES].sort()).toEqual(Object.keys(RULES).sort());
  });
});
