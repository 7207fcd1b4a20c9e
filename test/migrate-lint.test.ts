// Lint accuracy on real-shaped migration files: what PostgreSQL really locks or rewrites, and what is new in the
// same file. The statements come from the real PostgreSQL parser, as in the action.
import { describe, expect, test } from '@jest/globals';
import {
  type ColumnType,
  lintStatements,
  parseFormattedType,
  widensWithoutRewrite,
} from '../actions/migrate/src/lint.js';
import { splitStatements } from '../actions/migrate/src/sql.js';

async function rulesOf(sql: string, options: { columns?: Map<string, ColumnType> } = {}): Promise<string[]> {
  const { statements } = await splitStatements(sql);
  return lintStatements(statements, { lockTimeoutSet: false, ...options }).map((f) => f.rule);
}

describe('tables created in the same file are new', () => {
  test('CREATE TABLE … AS then DROP: a backfill through a scratch table is not a DROP of live data', async () => {
    const file = `-- Rebuild the daily totals through a scratch table.
create table public.daily_totals_new as
  select account_id, date_trunc('day', created_at) as day, sum(amount) as total
  from public.payments group by 1, 2;
create index daily_totals_new_account on public.daily_totals_new (account_id);
insert into daily_totals (account_id, day, total) select * from daily_totals_new on conflict do nothing;
drop table daily_totals_new;
`;
    const rules = await rulesOf(file);
    expect(rules).not.toContain('ban-drop-table');
    expect(rules).not.toContain('require-concurrent-index-creation');
    expect(rules).not.toContain('require-lock-timeout');
  });

  test('SELECT … INTO then DROP is new too; dropping a table the file did not create still is reported', async () => {
    const file = `select id, email into temp_export from users where deleted_at is null;
alter table temp_export add column exported_at timestamptz not null default now();
drop table temp_export;
drop table legacy_sessions;
`;
    const rules = await rulesOf(file);
    expect(rules.filter((r) => r === 'ban-drop-table')).toHaveLength(1);
    expect(rules).toContain('require-lock-timeout'); // the DROP of legacy_sessions
  });
});

describe('widening a varchar is not a rewrite', () => {
  test('varchar(255) → varchar(320), → varchar, → text: no finding; narrowing or another type still is one', async () => {
    const created = `create table public.profiles (id uuid primary key, email varchar(255) not null, bio varchar(500), age int);\n`;
    // The table exists already (an earlier file): its column types come from the earlier file or the database.
    const columns = new Map<string, ColumnType>();
    await rulesOf(created, { columns });
    const later = `set lock_timeout = '5s';
alter table public.profiles alter column email type varchar(320);
alter table profiles alter column bio type text;
`;
    expect(await rulesOf(later, { columns: new Map(columns) })).not.toContain('changing-column-type');
    expect(
      await rulesOf("set lock_timeout = '5s';\nalter table profiles alter column email type varchar(100);\n", {
        columns: new Map(columns),
      }),
    ).toContain('changing-column-type');
    expect(
      await rulesOf("set lock_timeout = '5s';\nalter table profiles alter column age type bigint;\n", {
        columns: new Map(columns),
      }),
    ).toContain('changing-column-type');
    expect(
      await rulesOf(
        "set lock_timeout = '5s';\nalter table profiles alter column email type varchar(400) using lower(email);\n",
        { columns: new Map(columns) },
      ),
    ).toContain('changing-column-type');
    // Unknown old type: still reported (it may be a rewrite).
    expect(
      await rulesOf("set lock_timeout = '5s';\nalter table other alter column email type varchar(320);\n"),
    ).toContain('changing-column-type');
  });

  test('types read from the database (format_type) compare the same way', () => {
    expect(widensWithoutRewrite(parseFormattedType('character varying(255)'), { name: 'varchar', length: 320 })).toBe(
      true,
    );
    expect(widensWithoutRewrite(parseFormattedType('character varying'), { name: 'text' })).toBe(true);
    expect(widensWithoutRewrite(parseFormattedType('text'), { name: 'varchar', length: 10 })).toBe(false);
    expect(widensWithoutRewrite(parseFormattedType('integer'), { name: 'int8' })).toBe(false);
  });
});

describe('policies, triggers and row level security lock existing tables', () => {
  const cases: [string, string][] = [
    [
      'create policy',
      'create policy "Users read their own profile" on public.profiles for select to authenticated using (auth.uid() = id);\n',
    ],
    [
      'alter policy',
      'alter policy "Users read their own profile" on public.profiles using (auth.uid() = id or auth.role() = \'service_role\');\n',
    ],
    ['drop policy', 'drop policy if exists "Users read their own profile" on "public"."profiles";\n'],
    ['drop trigger', 'drop trigger if exists on_auth_user_created on auth.users;\n'],
    [
      'create trigger',
      'create trigger on_profile_updated before update on public.profiles for each row execute function public.touch_updated_at();\n',
    ],
    ['enable row level security', 'alter table "public"."profiles" enable row level security;\n'],
  ];
  test.each(cases)('%s without a lock_timeout is require-lock-timeout', async (_, sql) => {
    expect(await rulesOf(sql)).toContain('require-lock-timeout');
    expect(await rulesOf(`set lock_timeout = '3s';\n${sql}`)).not.toContain('require-lock-timeout');
  });

  test('on a table created in the same file (public. or not) none of them count', async () => {
    const file = `create table profiles (id uuid primary key, full_name text);
alter table "public"."profiles" enable row level security;
create policy "Public profiles are viewable" on public.profiles for select using (true);
drop policy "Public profiles are viewable" on profiles;
`;
    expect(await rulesOf(file)).toEqual([]);
  });
});
