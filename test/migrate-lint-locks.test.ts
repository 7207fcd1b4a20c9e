// What PostgreSQL really locks, rewrites or scans, statement by statement: each row is a statement a migration
// folder holds, parsed by the real PostgreSQL parser, and the findings lint must (and must not) give it.
import { describe, expect, test } from '@jest/globals';
import {
  type ColumnType,
  type LintMemory,
  lintFile,
  parseFormattedType,
  widensWithoutRewrite,
} from '../actions/migrate/src/lint.js';
import { positionAt, splitStatements } from '../actions/migrate/src/sql.js';

async function lint(
  sql: string,
  options: { lockTimeoutSet?: boolean; memory?: LintMemory; transactional?: boolean } = {},
) {
  const { statements } = await splitStatements(sql);
  const findings = await lintFile(statements, { lockTimeoutSet: false, ...options });
  return findings.map((f) => ({
    ...f,
    line: positionAt(sql, f.offset ?? (statements[f.statement]?.offset as number)).line,
  }));
}
const rulesOf = async (sql: string, options?: Parameters<typeof lint>[1]) =>
  (await lint(sql, options)).map((f) => f.rule);

describe('require-lock-timeout: every statement that takes a blocking lock on a relation the file did not create', () => {
  const locking: [string, string, string][] = [
    [
      'a foreign key from a new table locks the table it references',
      'create table invoices (id bigint primary key, account_id bigint references accounts (id));',
      'SHARE ROW EXCLUSIVE lock on accounts',
    ],
    [
      'a foreign key as a table constraint of a new table',
      'create table invoices (id bigint, account_id bigint, foreign key (account_id) references public.accounts (id));',
      'SHARE ROW EXCLUSIVE lock on accounts',
    ],
    [
      'a foreign key added with a column, on a table created in the file',
      'create table invoices (id bigint);\nalter table invoices add column account_id bigint references accounts (id);',
      'SHARE ROW EXCLUSIVE lock on accounts',
    ],
    [
      'CREATE OR REPLACE VIEW of an existing view',
      'create or replace view active_users as select * from users where deleted_at is null;',
      'ACCESS EXCLUSIVE lock on active_users',
    ],
    ['DROP VIEW', 'drop view if exists active_users;', 'ACCESS EXCLUSIVE lock on active_users'],
    ['DROP MATERIALIZED VIEW', 'drop materialized view daily_totals;', 'ACCESS EXCLUSIVE lock on daily_totals'],
    [
      'REFRESH MATERIALIZED VIEW without CONCURRENTLY',
      'refresh materialized view daily_totals;',
      'ACCESS EXCLUSIVE lock on daily_totals',
    ],
    ['LOCK TABLE (ACCESS EXCLUSIVE by default)', 'lock table users;', 'ACCESS EXCLUSIVE lock on users'],
    ['LOCK TABLE IN SHARE MODE blocks writes', 'lock table users in share mode;', 'SHARE lock on users'],
    ['CLUSTER', 'cluster users using users_pkey;', 'ACCESS EXCLUSIVE lock on users'],
    ['VACUUM FULL', 'vacuum full users;', 'ACCESS EXCLUSIVE lock on users'],
    ['REINDEX TABLE without CONCURRENTLY', 'reindex table users;', 'SHARE lock on users'],
    [
      'REINDEX INDEX without CONCURRENTLY',
      'reindex index users_email_idx;',
      'ACCESS EXCLUSIVE lock on users_email_idx',
    ],
    [
      'a partition created under an existing parent',
      "create table events_2027 partition of events for values from ('2027-01-01') to ('2028-01-01');",
      'ACCESS EXCLUSIVE lock on events',
    ],
    ['ALTER TABLE … ADD COLUMN', 'alter table users add column nickname text;', 'ACCESS EXCLUSIVE lock on users'],
    ['a trigger switched off', 'alter table users disable trigger audit;', 'SHARE ROW EXCLUSIVE lock on users'],
  ];
  test.each(locking)('%s', async (_, sql, lock) => {
    const findings = (await lint(sql)).filter((f) => f.rule === 'require-lock-timeout');
    expect(findings).toHaveLength(1);
    expect(findings[0]?.message).toContain(lock);
    expect(await rulesOf(`set lock_timeout = '2s';\n${sql}`)).not.toContain('require-lock-timeout');
  });

  const notLocking: [string, string][] = [
    ['ALTER INDEX … RENAME (SHARE UPDATE EXCLUSIVE)', 'alter index users_email_idx rename to users_email_key;'],
    [
      'ALTER TABLE … SET (storage parameters)',
      'alter table users set (autovacuum_vacuum_scale_factor = 0.01, fillfactor = 90);',
    ],
    ['VALIDATE CONSTRAINT', 'alter table users validate constraint users_team_fk;'],
    [
      'SET STATISTICS and column options',
      'alter table users alter column email set statistics 500, alter column email set (n_distinct = -1);',
    ],
    ['REFRESH MATERIALIZED VIEW CONCURRENTLY', 'refresh materialized view concurrently daily_totals;'],
    ['REINDEX … CONCURRENTLY', 'reindex table concurrently users;'],
    ['plain VACUUM', 'vacuum analyze users;'],
    ['LOCK TABLE IN ROW EXCLUSIVE MODE (what writes take)', 'lock table users in row exclusive mode;'],
    ['a new view', 'create view active_users as select * from users;'],
    [
      'a view created in the file, then replaced',
      'create view v as select 1 as a;\ncreate or replace view v as select 1 as a, 2 as b;',
    ],
    ['renaming a type', 'alter type mood rename to feeling;'],
  ];
  test.each(notLocking)('%s takes no blocking lock', async (_, sql) => {
    expect(await rulesOf(sql)).not.toContain('require-lock-timeout');
  });

  test('the finding points at the first statement that takes the lock: LOCK TABLE before the ALTER', async () => {
    const findings = await lint(
      'begin;\nlock table users in access exclusive mode;\nalter table users add column nickname text;\ncommit;',
    );
    expect(findings.filter((f) => f.rule === 'require-lock-timeout').map((f) => f.line)).toEqual([2]);
  });

  test('lock_timeout switched off (0, RESET, DEFAULT) is no lock_timeout; set_config sets one', async () => {
    expect(
      await rulesOf("set lock_timeout = '2s';\nset lock_timeout = 0;\nalter table users add column a int;"),
    ).toContain('require-lock-timeout');
    expect(
      await rulesOf("set lock_timeout = '2s';\nreset lock_timeout;\nalter table users add column a int;"),
    ).toContain('require-lock-timeout');
    expect(
      await rulesOf("select set_config('lock_timeout', '3s', false);\nalter table users add column a int;"),
    ).not.toContain('require-lock-timeout');
    // The input's lock_timeout is the session default RESET returns to.
    expect(
      await rulesOf('reset lock_timeout;\nalter table users add column a int;', { lockTimeoutSet: true }),
    ).not.toContain('require-lock-timeout');
  });
});

describe('false positives PostgreSQL does not have', () => {
  test('SET NOT NULL after a validated CHECK (col IS NOT NULL) skips the scan, also across files', async () => {
    expect(
      await rulesOf(
        'alter table users add constraint users_email_nn check (email is not null) not valid;\nalter table users alter column email set not null;',
        { lockTimeoutSet: true },
      ),
    ).toEqual(['adding-not-nullable-field']);
    const memory: LintMemory = { columns: new Map(), notNullChecks: new Map() };
    await rulesOf('alter table users add constraint users_email_nn check (email is not null) not valid;', {
      lockTimeoutSet: true,
      memory,
    });
    await rulesOf('alter table users validate constraint users_email_nn;', { lockTimeoutSet: true, memory });
    expect(
      await rulesOf('alter table users alter column email set not null;', { lockTimeoutSet: true, memory }),
    ).toEqual([]);
    // A check on another column proves nothing about this one.
    expect(
      await rulesOf('alter table users alter column name set not null;', { lockTimeoutSet: true, memory }),
    ).toEqual(['adding-not-nullable-field']);
  });

  test('a column type is followed through RENAME COLUMN and RENAME TABLE', async () => {
    const memory: LintMemory = {
      columns: new Map([['users.email', { name: 'varchar', length: 255 }]]),
      notNullChecks: new Map(),
    };
    expect(
      await rulesOf(
        'alter table users rename column email to email_address;\nalter table users alter column email_address type text;',
        { lockTimeoutSet: true, memory },
      ),
    ).toEqual(['renaming-column']);
    expect(
      await rulesOf(
        'alter table users rename to members;\nalter table members alter column email_address type varchar(320);',
        { lockTimeoutSet: true, memory },
      ),
    ).toEqual([
      'renaming-table',
      'changing-column-type', // text → varchar(320) adds a limit: every row is checked
    ]);
  });

  const inPlace: [string, ColumnType, string][] = [
    ['timestamp(3) → timestamp(6)', { name: 'timestamp', precision: 3 }, 'timestamp(6)'],
    ['timestamptz(0) → timestamptz', { name: 'timestamptz', precision: 0 }, 'timestamptz'],
    ['time(2) → time(4)', { name: 'time', precision: 2 }, 'time(4)'],
    ['interval(2) → interval', { name: 'interval', precision: 2, range: 0x7fff }, 'interval'],
    ['numeric(10,2) → numeric(14,2)', { name: 'numeric', precision: 10, scale: 2 }, 'numeric(14,2)'],
    ['numeric(10,2) → numeric', { name: 'numeric', precision: 10, scale: 2 }, 'numeric'],
    ['varbit(8) → varbit(16)', { name: 'varbit', length: 8 }, 'varbit(16)'],
  ];
  test.each(inPlace)('%s is done in place', async (_, from, to) => {
    const memory: LintMemory = { columns: new Map([['t.c', from]]), notNullChecks: new Map() };
    expect(await rulesOf(`alter table t alter column c type ${to};`, { lockTimeoutSet: true, memory })).toEqual([]);
  });

  const rewrites: [string, ColumnType, string][] = [
    ['timestamp(6) → timestamp(3)', { name: 'timestamp', precision: 6 }, 'timestamp(3)'],
    ['timestamp → timestamp(3)', { name: 'timestamp' }, 'timestamp(3)'],
    ['numeric(10,2) → numeric(14,4) (another scale)', { name: 'numeric', precision: 10, scale: 2 }, 'numeric(14,4)'],
    ['numeric → numeric(10,2)', { name: 'numeric' }, 'numeric(10,2)'],
    ['interval → interval day', { name: 'interval', range: 0x7fff }, 'interval day'],
    ['timestamp → timestamptz', { name: 'timestamp' }, 'timestamptz'],
  ];
  test.each(rewrites)('%s is still a rewrite', async (_, from, to) => {
    const memory: LintMemory = { columns: new Map([['t.c', from]]), notNullChecks: new Map() };
    expect(await rulesOf(`alter table t alter column c type ${to};`, { lockTimeoutSet: true, memory })).toEqual([
      'changing-column-type',
    ]);
  });

  test('format_type() names read from the database compare the same way', () => {
    expect(parseFormattedType('timestamp(3) without time zone')).toEqual({ name: 'timestamp', precision: 3 });
    expect(parseFormattedType('timestamp with time zone')).toEqual({ name: 'timestamptz', precision: undefined });
    expect(parseFormattedType('numeric(10,2)')).toEqual({ name: 'numeric', precision: 10, scale: 2 });
    expect(widensWithoutRewrite(parseFormattedType('time(2) with time zone'), { name: 'timetz', precision: 5 })).toBe(
      true,
    );
    expect(
      widensWithoutRewrite(parseFormattedType('interval day to second(2)'), {
        name: 'interval',
        range: 0x7fff,
        precision: 2,
      }),
    ).toBe(true);
    expect(
      widensWithoutRewrite(parseFormattedType('interval'), { name: 'interval', range: 6, precision: undefined }),
    ).toBe(false);
  });

  test('CREATE INDEX ON ONLY a partitioned table is not a long index build', async () => {
    expect(await rulesOf('create index events_at on only events (created_at);', { lockTimeoutSet: true })).toEqual([]);
    expect(await rulesOf('create index events_at on events (created_at);', { lockTimeoutSet: true })).toEqual([
      'require-concurrent-index-creation',
    ]);
  });

  test('the inline foreign key of a column added without a default checks no row; with a default it checks all', async () => {
    expect(
      await rulesOf('alter table users add column team_id bigint references teams (id);', { lockTimeoutSet: true }),
    ).toEqual([]);
    expect(
      await rulesOf('alter table users add column team_id bigint default 1 references teams (id);', {
        lockTimeoutSet: true,
      }),
    ).toEqual(['constraint-missing-not-valid']);
  });

  test('renaming a table the same file created (built under a temporary name, then swapped in) breaks no code', async () => {
    expect(
      await rulesOf(
        'create table events_new (id bigint);\ndrop table events;\nalter table events_new rename to events;',
        { lockTimeoutSet: true },
      ),
    ).toEqual(['ban-drop-table']);
  });

  test('DROP INDEX of an index the same file created locks nothing anyone uses', async () => {
    expect(await rulesOf('create index tmp_idx on new_t (a);\ndrop index tmp_idx;', { lockTimeoutSet: true })).toEqual([
      'require-concurrent-index-creation',
    ]);
  });
});

describe('misses lint now reports', () => {
  const rewriting: [string, string][] = [
    [
      'a stored generated column',
      'alter table orders add column total_cents bigint generated always as (quantity * unit_cents) stored;',
    ],
    ['a serial column', 'alter table orders add column seq bigserial;'],
    ['an identity column', 'alter table orders add column seq bigint generated always as identity;'],
  ];
  test.each(rewriting)('%s added to an existing table rewrites it', async (_, sql) => {
    const findings = await lint(sql, { lockTimeoutSet: true });
    expect(findings.map((f) => f.rule)).toEqual(['adding-field-with-default']);
    expect(findings[0]?.message).toContain('rewriting orders under an ACCESS EXCLUSIVE lock');
  });

  test('a default calling a function an earlier file created without a volatility (so VOLATILE) rewrites; a STABLE one does not', async () => {
    const memory: LintMemory = { columns: new Map(), notNullChecks: new Map() };
    await rulesOf(
      "create function now_utc_micros() returns bigint language sql as $$ select (extract(epoch from clock_timestamp()) * 1000000)::bigint $$;\ncreate function tenant_default() returns text language sql stable as $$ select 'acme' $$;",
      { lockTimeoutSet: true, memory },
    );
    expect(
      await rulesOf('alter table orders add column created_at bigint not null default now_utc_micros();', {
        lockTimeoutSet: true,
        memory,
      }),
    ).toEqual(['adding-field-with-default']);
    expect(
      await rulesOf('alter table orders add column tenant text not null default tenant_default();', {
        lockTimeoutSet: true,
        memory,
      }),
    ).toEqual([]);
  });

  test("PostgreSQL 18's virtual generated column is computed when read: no rewrite", async () => {
    expect(
      await rulesOf(
        'alter table orders add column total_cents bigint generated always as (quantity * unit_cents) virtual;',
        { lockTimeoutSet: true },
      ),
    ).toEqual([]);
  });

  test('VALIDATE CONSTRAINT in the transaction that added it NOT VALID gains nothing; in a file without one it is the pattern', async () => {
    const sql =
      'alter table users add constraint users_team_fk foreign key (team_id) references teams (id) not valid;\nalter table users validate constraint users_team_fk;';
    const findings = await lint(sql, { lockTimeoutSet: true, transactional: true });
    expect(findings.map((f) => [f.rule, f.line])).toEqual([['constraint-missing-not-valid', 2]]);
    expect(findings[0]?.message).toContain('users_team_fk is validated in the transaction that added it NOT VALID');
    expect(await rulesOf(sql, { lockTimeoutSet: true, transactional: false })).toEqual([]);
  });

  const indexBuilding: [string, string, string][] = [
    ['ADD UNIQUE', 'alter table users add constraint users_email_key unique (email);', 'disallowed-unique-constraint'],
    [
      'an added column marked UNIQUE',
      'alter table users add column handle text unique;',
      'disallowed-unique-constraint',
    ],
    ['ADD PRIMARY KEY', 'alter table users add primary key (id);', 'adding-serial-primary-key-field'],
    [
      'an added serial PRIMARY KEY column',
      'alter table users add column id serial primary key;',
      'adding-serial-primary-key-field',
    ],
  ];
  test.each(indexBuilding)('%s builds its index under ACCESS EXCLUSIVE (%s)', async (_, sql, rule) => {
    expect(await rulesOf(sql, { lockTimeoutSet: true })).toContain(rule);
  });

  test('… USING INDEX (built CONCURRENTLY before) does not, nor does a table created in the file', async () => {
    expect(
      await rulesOf('alter table users add constraint users_email_key unique using index users_email_idx;', {
        lockTimeoutSet: true,
      }),
    ).toEqual([]);
    expect(
      await rulesOf('alter table users add constraint users_pkey primary key using index users_id_idx;', {
        lockTimeoutSet: true,
      }),
    ).toEqual([]);
    expect(
      await rulesOf(
        'create table t (id int, email text);\nalter table t add primary key (id), add constraint t_email unique (email);',
        { lockTimeoutSet: true },
      ),
    ).toEqual([]);
  });
});

describe('DDL inside DO blocks', () => {
  test('the statements of a DO block are linted at their own line', async () => {
    const sql = `set lock_timeout = '2s';
do $$
begin
  if not exists (select 1 from pg_constraint where conname = 'users_team_fk') then
    alter table users add constraint users_team_fk foreign key (team_id) references teams (id);
  end if;
  create index users_team_idx on users (team_id);
end $$;
`;
    expect((await lint(sql)).map((f) => [f.rule, f.line])).toEqual([
      ['constraint-missing-not-valid', 5],
      ['require-concurrent-index-creation', 7],
    ]);
  });

  test('a lock inside a DO block without a lock_timeout is found', async () => {
    expect(
      (await lint('do $$ begin\n  alter table users add column nickname text;\nend $$;')).map((f) => [f.rule, f.line]),
    ).toEqual([['require-lock-timeout', 2]]);
  });

  test('EXECUTE of a string constant is read; SQL built at run time is said to be unlinted', async () => {
    const sql = `do $$
begin
  execute 'drop table legacy_sessions';
  execute format('create index on %I (created_at)', 'events');
end $$;
`;
    expect((await lint(sql, { lockTimeoutSet: true })).map((f) => [f.rule, f.line])).toEqual([
      ['ban-drop-table', 3],
      ['unlinted-dynamic-sql', 4],
    ]);
  });

  test('a body that does not parse and another language are said to be unlinted', async () => {
    expect(
      await rulesOf('do $$ begin for r in select 1 loop null; end loop; end $$;', { lockTimeoutSet: true }),
    ).toEqual(['unlinted-dynamic-sql']);
    expect(
      await rulesOf("do language plperl $$ spi_exec_query('drop table x'); $$;", { lockTimeoutSet: true }),
    ).toEqual(['unlinted-dynamic-sql']);
  });
});
