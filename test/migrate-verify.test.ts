// verify on a Supabase folder without a Supabase stack, and its bounds: inputs
// that would wait forever or crash, and a network that stops forwarding mid-apply. The bundle, on a real PostgreSQL.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { createServer, type Server, type Socket, connect as tcpConnect } from 'node:net';
import { startPostgres, type TestServer } from '../cli/sandbox/postgres.js';
import { migrate, removeWorkspaces, workspace } from './fakes/migrate-workspace.js';
import { errors, expectNoSecrets } from './support.js';
import { eventually } from './support-waits.js';

let server: TestServer;
beforeAll(async () => {
  server = await startPostgres();
}, 60_000);
afterAll(async () => {
  removeWorkspaces();
  await server?.stop();
});

/** A Supabase project's folder as teams write it: auth.users, auth.uid(), storage, extensions, the API roles. */
const SUPABASE_FOLDER = {
  'supabase/migrations/20240101000000_profiles.sql': `-- Profiles for every signed-up user, kept in sync by a trigger on auth.users.
create extension if not exists "uuid-ossp" with schema extensions;
create extension if not exists pg_trgm with schema extensions;

create table public.profiles (
  id uuid not null references auth.users on delete cascade,
  username text unique,
  avatar_url text,
  updated_at timestamptz default now(),
  primary key (id)
);
alter table public.profiles enable row level security;
create policy "Public profiles are viewable by everyone." on profiles for select using (true);
create policy "Users can insert their own profile." on profiles for insert with check ((select auth.uid()) = id);
create policy "Users can update own profile." on profiles for update using ((select auth.uid()) = id);

create function public.handle_new_user() returns trigger language plpgsql security definer set search_path = '' as $$
begin
  insert into public.profiles (id, username, avatar_url)
  values (new.id, new.raw_user_meta_data ->> 'username', new.raw_user_meta_data ->> 'avatar_url');
  return new;
end;
$$;
create trigger on_auth_user_created after insert on auth.users for each row execute procedure public.handle_new_user();

insert into storage.buckets (id, name, public) values ('avatars', 'avatars', true);
create policy "Avatar images are publicly accessible." on storage.objects for select using (bucket_id = 'avatars');
create policy "Anyone can upload an avatar." on storage.objects for insert to authenticated
  with check (bucket_id = 'avatars' and (storage.foldername(name))[1] = (select auth.uid()::text));
`,
  'supabase/migrations/20240102000000_notes.sql': `create table public.notes (
  id uuid primary key default extensions.uuid_generate_v4(),
  owner uuid not null default auth.uid() references auth.users (id),
  body text not null,
  created_at timestamptz not null default now()
);
create index notes_body_trgm on public.notes using gin (body extensions.gin_trgm_ops);
alter table public.notes enable row level security;
create policy "Owners manage their notes" on public.notes for all to authenticated using (owner = auth.uid()) with check (owner = auth.uid());
grant select, insert, update, delete on public.notes to authenticated;
grant all on public.notes to service_role;
revoke all on public.notes from anon;
create function public.my_role() returns text language sql stable as $$ select auth.role() $$;
create function public.my_claims() returns jsonb language sql stable as $$ select auth.jwt() $$;
-- Unqualified, as the Supabase search path allows.
create table public.tokens (id uuid primary key default uuid_generate_v4(), secret text default encode(gen_random_bytes(16), 'hex'));
-- The trigger from the first file runs on a sign-up.
insert into auth.users (id, email, raw_user_meta_data) values ('7d0f5a4e-9d3c-4b4e-9a53-2d7b7c1e0f11', 'a@example.com', '{"username": "ada"}');
do $$ begin
  if (select username from public.profiles) is distinct from 'ada' then raise exception 'the sign-up trigger did not run'; end if;
end $$;
`,
};

describe('verify on a Supabase folder: the platform stand-ins come first (problem 4)', () => {
  test('on a throw-away database of the given server: roles, auth, storage and extensions exist, the folder replays cleanly', async () => {
    const ws = workspace(SUPABASE_FOLDER);
    const result = await migrate(ws, { 'database-url': server.url, command: 'verify' });
    expect({ exit: result.exitCode, errors: errors(result), stderr: result.stderr }).toEqual({
      exit: 0,
      errors: [],
      stderr: '',
    });
    expect(result.summary).toContain('all 2 migration(s) apply cleanly');
    expect(result.summary).toContain('Platform stand-ins');
    expect(result.summary).toContain('roles anon, authenticated, service_role, supabase_admin');
    // Roles are cluster-wide: they stay, and a second verify finds them and goes on (idempotent).
    expect(
      (
        await server.query(
          server.url,
          "SELECT rolname FROM pg_roles WHERE rolname IN ('anon', 'authenticated', 'service_role', 'supabase_admin') ORDER BY 1",
        )
      ).map((r) => r.rolname),
    ).toEqual(['anon', 'authenticated', 'service_role', 'supabase_admin']);
    const again = await migrate(ws, { 'database-url': server.url, command: 'verify' });
    expect(again.exitCode).toBe(0);
    expect(
      await server.query(server.url, "SELECT datname FROM pg_database WHERE datname LIKE 'shipline_verify_%'"),
    ).toEqual([]);
  });

  test('stand-ins: none replays on a bare database, where the folder cannot run (what verify did before)', async () => {
    const result = await migrate(workspace(SUPABASE_FOLDER), {
      'database-url': server.url,
      command: 'verify',
      'stand-ins': 'none',
    });
    expect(result.exitCode).toBe(1);
    expect(errors(result).join('\n')).toContain('schema "extensions" does not exist');
  });

  test('extensions the server lacks (pg_cron, pg_net) are named at the file that creates them before the replay', async () => {
    const ws = workspace({
      ...SUPABASE_FOLDER,
      'supabase/migrations/20240103000000_cleanup.sql': `create extension if not exists pg_net with schema extensions;
create extension if not exists pg_cron with schema pg_catalog;
select cron.schedule('nightly-cleanup', '0 3 * * *', $$delete from public.notes where created_at < now() - interval '1 year'$$);
`,
    });
    const result = await migrate(ws, { 'database-url': server.url, command: 'verify' });
    expect(result.exitCode).toBe(1);
    const findings = result.annotations.filter((a) => a.title === 'Extension not available for verify');
    expect(findings.map((a) => [a.file, a.line, a.message.split(':')[0]])).toEqual([
      [
        'supabase/migrations/20240103000000_cleanup.sql',
        1,
        'This server has no extension "pg_net" (the Supabase platform provides it)',
      ],
      [
        'supabase/migrations/20240103000000_cleanup.sql',
        2,
        'This server has no extension "pg_cron" (the Supabase platform provides it)',
      ],
    ]);
    // The first two files replayed; the third failed with the server's own reason.
    expect(result.summary).toMatch(/20240102000000_notes\.sql \| 20240102000000 \| \d+ \| .* \| ✓ applied/);
    expect(errors(result).join('\n')).toContain('extension "pg_net" is not available');
  });

  test('on an embedded PostgreSQL started for it (no database-url): the same folder verifies', async () => {
    const result = await migrate(workspace(SUPABASE_FOLDER), { command: 'verify' }, { timeoutMs: 120_000 });
    expect({ exit: result.exitCode, errors: errors(result), stderr: result.stderr }).toEqual({
      exit: 0,
      errors: [],
      stderr: '',
    });
    expect(result.summary).toContain('embedded PostgreSQL, started for this replay');
    expect(result.summary).toContain('all 2 migration(s) apply cleanly');
  }, 150_000);
});

describe('inputs that would wait forever or crash are refused at validation', () => {
  const ws = workspace({ 'migrations/001_a.sql': 'create table a (id int);\n' });

  test('connect-timeout 0, an out-of-range statement-timeout, a timeout shorter than lock-timeout: each named with its range', async () => {
    const result = await migrate(ws, {
      'database-url': server.url,
      'connect-timeout': '0',
      'statement-timeout': '9999h',
      'migration-lock-timeout': '0ms',
      timeout: '10s',
      'lock-timeout': '30s',
    });
    expect(result.exitCode).toBe(1);
    const message = errors(result).join('\n');
    expect(message).toContain("Input 'connect-timeout' must be a duration from 1s to 5m");
    expect(message).toContain("Input 'statement-timeout' must be a duration from 1ms to 24h");
    expect(message).toContain("Input 'migration-lock-timeout' must be a duration from 1ms to 24h");
    expect(message).toContain(
      "Input 'timeout' (10s) bounds the whole step and must be longer than input 'lock-timeout' (30s)",
    );
    expect(result.stderr).toBe('');
  });

  test('a missing SSL file named in the database URL is a sentence naming the file, not a stack trace', async () => {
    const u = new URL(server.url);
    u.searchParams.set('sslmode', 'verify-full');
    u.searchParams.set('sslrootcert', '/nope/root.crt');
    const result = await migrate(ws, { 'database-url': u.toString() });
    expect(result.exitCode).toBe(1);
    expect(errors(result).join('\n')).toContain(
      "Input 'database-url' names sslrootcert=/nope/root.crt, and no such file exists on the runner",
    );
    expect(`${result.stdout}${result.stderr}`).not.toMatch(/\n\s+at .*\.js:\d+/);
    expectNoSecrets(result, [server.url, server.password]);
  });
});

/**
 * A loopback TCP proxy to the server that, once a query containing `marker` passes, forwards nothing more: the
 * sockets stay open, as across a network that silently drops packets. It notes when the migrator closes its side.
 */
async function stallingProxy(
  targetPort: number,
  marker: string,
): Promise<{ url: string; close(): void; stalled(): boolean; clientClosed: Promise<void> }> {
  const sockets = new Set<Socket>();
  let stalled = false;
  let closedByClient: () => void = () => undefined;
  const clientClosed = new Promise<void>((resolve) => {
    closedByClient = resolve;
  });
  const proxy: Server = createServer((client) => {
    const upstream = tcpConnect(targetPort, '127.0.0.1');
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => undefined);
    }
    client.on('close', () => {
      if (stalled) closedByClient();
    });
    client.on('data', (chunk: Buffer) => {
      if (!stalled && chunk.includes(marker)) stalled = true;
      if (!stalled) upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (!stalled) client.write(chunk);
    });
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const u = new URL(server.url);
  u.port = String((proxy.address() as { port: number }).port);
  return {
    url: u.toString(),
    stalled: () => stalled,
    clientClosed,
    close() {
      for (const s of sockets) s.destroy();
      proxy.close();
    },
  };
}

describe('a network partition mid-apply fails the step within input timeout', () => {
  test('the proxy stops forwarding during the second file: the step fails with a sentence within the bound, the first file stays applied', async () => {
    const url = await server.createDatabase();
    const proxy = await stallingProxy(Number(new URL(url).port), 'shipline_stall_here');
    const target = new URL(proxy.url);
    target.pathname = new URL(url).pathname;
    try {
      const ws = workspace({
        'migrations/001_a.sql': 'create table a (id int);\n',
        // Pending files travel to the server in batches; a CONCURRENTLY statement at a file's start runs alone,
        // so 001 is sent and confirmed first and the stall comes in 002's own round trip.
        'migrations/002_b.sql':
          "create index concurrently a_id on a (id);\ncreate table b (id int);\nselect 'shipline_stall_here';\n",
      });
      const result = await migrate(
        ws,
        { 'database-url': target.toString(), timeout: '4s', 'lock-timeout': '2s', 'connect-timeout': '2s' },
        { timeoutMs: 45_000 },
      );
      expect(proxy.stalled()).toBe(true);
      // Ended by its own bound (the runner's 45 s cut would say timedOut), with the bound's reason, and the silent
      // connection let go (closed from the migrator's side once the stall began).
      expect(result.timedOut).toBe(false);
      expect(result.exitCode).toBe(1);
      expect(errors(result).join('\n')).toContain(
        "The step did not finish within input 'timeout' (4s): it was applying migrations/002_b.sql",
      );
      await eventually(proxy.clientClosed, 'the migrator to close its connection to the stalled server');
      expect(result.outputs).toMatchObject({ 'applied-count': '1' });
      expect(result.summary).toContain('✗ The step did not finish');
      proxy.close();
      expect(
        await server.query(url, "SELECT to_regclass('a') IS NOT NULL AS a, to_regclass('b') IS NOT NULL AS b"),
      ).toEqual([{ a: true, b: false }]);
    } finally {
      proxy.close();
    }
  }, 60_000);
});
