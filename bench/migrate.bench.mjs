// migrate: 300 files × 3 statements (create table, create index, insert) applied to a fresh database, side by
// side in one run: shipline `apply` (the bundle, as the runner starts it) vs plain psql running the same files in
// one session (the floor) vs the Supabase CLI `db push`. Then `status` against 10,000 applied migrations. Then a
// database far away: 100 files × 3 statements through a loopback TCP proxy that delays each direction by half
// of LATENCY_MS (20 ms round trip), with the round trips each tool makes counted by the proxy.
// BENCH_ONLY=latency runs only that last case. Then a Prisma folder (BENCH_ONLY=prisma runs only it): the first
// 400 migrations of trigger.dev's real prisma/migrations (test/fixtures/prisma), shipline `apply` (format auto) vs
// psql running the same migration.sql files in one session, then `status` on the 400 applied.
// Runs are interleaved (psql, shipline, CLI, then rotated), each on a database of its own; medians are reported.
// The server is DATABASE_URL when set, else an embedded PostgreSQL started through shared/embedded-postgres.ts (the
// one starter; compiled for the bench by common.mjs, as the fakes are).
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { loadEmbeddedPostgres, median, node, printTable, root, timeProcess, timeProcessAsync } from './common.mjs';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const FILES = 300;
const STATUS_ROWS = 10_000;
const LATENCY_FILES = 100;
const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 20);
// fsync off by default: with it on, every tool waits on this machine's disk for each created relation, and the
// figures measure the disk, not the tools (BENCH_FSYNC=on measures that too).
const FSYNC = process.env.BENCH_FSYNC === 'on';

async function startServer() {
  if (process.env.DATABASE_URL)
    return { url: process.env.DATABASE_URL, stop: async () => undefined, label: 'DATABASE_URL' };
  // The product's own starter (shared/embedded-postgres.ts), as verify, the demo and the tests use it.
  const { startEmbeddedPostgres } = await loadEmbeddedPostgres();
  const server = await startEmbeddedPostgres({
    password: 'bench',
    postgresFlags: FSYNC ? [] : ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'],
  });
  return {
    url: server.url,
    label: `embedded PostgreSQL 18 (${FSYNC ? 'default settings, fsync on' : 'fsync off (BENCH_FSYNC=on to measure with it)'})`,
    stop: () => server.stop(),
  };
}

async function sql(url, text, params) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text, params)).rows;
  } finally {
    await client.end();
  }
}

const withDatabase = (url, name) => Object.assign(new URL(url), { pathname: `/${name}` }).toString();

function writeFolder(count, statementsOf) {
  const ws = mkdtempSync(join(tmpdir(), 'shipline-bench-ws-'));
  const dir = join(ws, 'supabase', 'migrations');
  mkdirSync(dir, { recursive: true });
  const files = [];
  for (let i = 1; i <= count; i++) {
    const version = String(20240000000000 + i);
    const file = join(dir, `${version}_step_${i}.sql`);
    writeFileSync(file, statementsOf(i));
    files.push({ version, file, name: `step_${i}` });
  }
  return { ws, files };
}

const threeStatements = (
  i,
) => `create table bench_${i} (id bigint primary key, name text not null, created_at timestamptz default now());
create index bench_${i}_name on bench_${i} (name);
insert into bench_${i} (id, name) values (1, 'row ${i}'), (2, 'another row');
`;

function psqlBinary() {
  const found = spawnSync('sh', ['-c', 'command -v psql'], { encoding: 'utf8' }).stdout.trim();
  return found || undefined;
}

function runMigrate(ws, url, command, extra = {}) {
  const env = {
    ...extra,
    PATH: process.env.PATH,
    GITHUB_WORKSPACE: ws,
    'INPUT_DATABASE-URL': url,
    INPUT_COMMAND: command,
    INPUT_FORMAT: 'auto',
    'INPUT_LOCK-TIMEOUT': '1m',
    'INPUT_CONNECT-TIMEOUT': '15s',
  };
  const { ms, result } = timeProcess(node, [join(root, 'dist', 'migrate', 'index.js')], {
    env,
    cwd: ws,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0)
    throw new Error(`shipline ${command} failed:\n${result.stdout.slice(-2000)}${result.stderr}`);
  return { ms, stdout: result.stdout };
}

/**
 * A TCP proxy on loopback to `port` that holds every chunk for `delayMs` in each direction (order kept), and counts
 * round trips: each time a client speaks after the server has (or first), summed over connections.
 */
async function startDelayingProxy(port, delayMs) {
  let turns = 0;
  const sockets = new Set();
  const pipe = (from, to) => {
    from.on('data', (chunk) => setTimeout(() => to.write(chunk), delayMs));
    from.on('end', () => setTimeout(() => to.end(), delayMs));
    from.on('error', () => to.destroy());
  };
  const server = createServer((client) => {
    const upstream = createConnection(port, '127.0.0.1');
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    sockets.add(client).add(upstream);
    let last;
    client.on('data', () => {
      if (last !== 'client') turns++;
      last = 'client';
    });
    upstream.on('data', () => (last = 'server'));
    pipe(client, upstream);
    pipe(upstream, client);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: server.address().port,
    take: () => {
      const n = turns;
      turns = 0;
      return n;
    },
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(resolve);
      }),
  };
}

const viaPort = (url, port) => Object.assign(new URL(url), { port: String(port) }).toString();

async function latencyCase(server, psql, supabaseCli) {
  const { ws, files } = writeFolder(LATENCY_FILES, threeStatements);
  const proxy = await startDelayingProxy(Number(new URL(server.url).port), LATENCY_MS / 2);
  const env = (url) => ({
    PATH: process.env.PATH,
    GITHUB_WORKSPACE: ws,
    'INPUT_DATABASE-URL': url,
    INPUT_COMMAND: 'apply',
    INPUT_FORMAT: 'auto',
    'INPUT_LOCK-TIMEOUT': '1m',
    'INPUT_CONNECT-TIMEOUT': '15s',
  });
  const psqlArgs = (url) => ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', url, ...files.flatMap((f) => ['-f', f.file])];
  const cliUrl = (url) => {
    const u = new URL(url);
    u.searchParams.set('sslmode', 'disable');
    return u.toString();
  };
  const subjects = [
    psql && { name: 'psql on loopback (floor)', link: false, run: (url) => timeProcessAsync(psql, psqlArgs(url)) },
    {
      name: 'shipline migrate apply, over the link',
      link: true,
      run: (url) => timeProcessAsync(node, [join(root, 'dist', 'migrate', 'index.js')], { env: env(url), cwd: ws }),
    },
    psql && { name: 'psql over the link', link: true, run: (url) => timeProcessAsync(psql, psqlArgs(url)) },
    {
      name: 'Supabase CLI db push, over the link',
      link: true,
      run: (url) =>
        timeProcessAsync(supabaseCli, ['db', 'push', '--db-url', cliUrl(url), '--yes'], {
          cwd: ws,
          env: { ...process.env, DO_NOT_TRACK: '1' },
        }),
    },
  ].filter(Boolean);
  const times = new Map(subjects.map((s) => [s.name, []]));
  const trips = new Map();
  let n = 0;
  try {
    for (let round = 0; round < ROUNDS; round++) {
      const order = subjects.map((_, i) => subjects[(i + round) % subjects.length]);
      for (const s of order) {
        const name = `bench_latency_${process.pid}_${n++}`;
        await sql(server.url, `CREATE DATABASE ${name}`);
        await sql(server.url, 'CHECKPOINT');
        const direct = withDatabase(server.url, name);
        proxy.take();
        const { ms, result } = await s.run(s.link ? viaPort(direct, proxy.port) : direct);
        if (s.link) trips.set(s.name, proxy.take());
        if (result.status !== 0) throw new Error(`${s.name} failed:\n${result.stdout ?? ''}${result.stderr ?? ''}`);
        const [{ tables }] = await sql(
          direct,
          "SELECT count(*)::int AS tables FROM pg_tables WHERE tablename LIKE 'bench_%'",
        );
        if (tables !== LATENCY_FILES) throw new Error(`${s.name}: expected ${LATENCY_FILES} tables, found ${tables}`);
        times.get(s.name).push(ms);
        await sql(server.url, `DROP DATABASE ${name}`);
      }
    }
  } finally {
    await proxy.close();
    rmSync(ws, { recursive: true, force: true });
  }
  const floor = psql ? median(times.get(subjects[0].name)) : undefined;
  console.log(
    `\n${LATENCY_FILES} files × 3 statements, the database ${LATENCY_MS} ms away (loopback proxy, ${LATENCY_MS / 2} ms each way), ${ROUNDS} interleaved rounds; median wall time:\n`,
  );
  printTable(
    ['subject', 'median ms', 'ratio to psql on loopback', 'round trips', 'goal'],
    subjects.map((s) => {
      const ms = median(times.get(s.name));
      const ratio = floor ? ms / floor : undefined;
      const goal =
        s.name === 'shipline migrate apply'
          ? ratio === undefined
            ? 'n/a (no psql)'
            : `≤ 1.5× psql on loopback: ${ratio <= 1.5 ? 'met' : 'NOT MET'}`
          : '';
      return [
        s.name,
        ms.toFixed(0),
        ratio === undefined ? 'psql not installed' : `${ratio.toFixed(2)}×`,
        trips.get(s.name) ?? '(loopback)',
        goal,
      ];
    }),
  );
}

const PRISMA_FILES = 400;

/** A workspace holding the first PRISMA_FILES migrations of the real Prisma folder, and their files in order. */
function prismaFolder() {
  const source = join(root, 'test', 'fixtures', 'prisma', 'trigger.dev');
  const ws = mkdtempSync(join(tmpdir(), 'shipline-bench-prisma-'));
  const dir = join(ws, 'prisma', 'migrations');
  mkdirSync(dir, { recursive: true });
  cpSync(join(source, 'migration_lock.toml'), join(dir, 'migration_lock.toml'));
  // Prisma's order: the folder names by localeCompare (node_modules/prisma/build/cli.js).
  const names = readdirSync(source, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort((a, b) => a.localeCompare(b))
    .slice(0, PRISMA_FILES);
  for (const name of names) cpSync(join(source, name), join(dir, name), { recursive: true });
  return { ws, files: names.map((name) => join(dir, name, 'migration.sql')) };
}

async function prismaCase(server, psql) {
  const { ws, files } = prismaFolder();
  const subjects = [
    psql && {
      name: 'psql, one session (floor)',
      run: (url) =>
        timeProcess(psql, ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', url, ...files.flatMap((f) => ['-f', f])], {
          encoding: 'utf8',
        }),
    },
    { name: 'shipline migrate apply', run: (url) => ({ ms: runMigrate(ws, url, 'apply').ms, result: { status: 0 } }) },
    // Everything apply does before the first file is sent (start, connect, read the table, parse and lint every
    // file), and nothing after: where shipline's share of the apply goes.
    {
      name: 'shipline apply, dry run (its start)',
      run: (url) => ({ ms: runMigrate(ws, url, 'apply', { 'INPUT_DRY-RUN': 'true' }).ms, result: { status: 0 } }),
    },
  ].filter(Boolean);
  const times = new Map(subjects.map((s) => [s.name, []]));
  let last;
  let n = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const order = subjects.map((_, i) => subjects[(i + round) % subjects.length]);
    for (const s of order) {
      const name = `bench_prisma_${process.pid}_${n++}`;
      await sql(server.url, `CREATE DATABASE ${name}`);
      await sql(server.url, 'CHECKPOINT');
      const url = withDatabase(server.url, name);
      const { ms, result } = s.run(url);
      if (result.status !== 0) throw new Error(`${s.name} failed:\n${result.stdout ?? ''}${result.stderr ?? ''}`);
      const [{ tables }] = await sql(
        url,
        "SELECT count(*)::int AS tables FROM pg_tables WHERE schemaname = 'public' AND tablename <> '_prisma_migrations'",
      );
      if (s.name.includes('dry run') ? tables !== 0 : tables === 0)
        throw new Error(`${s.name}: ${tables} tables created`);
      times.get(s.name).push(ms);
      if (s.name === 'shipline migrate apply') {
        const [{ rows }] = await sql(
          url,
          'SELECT count(*)::int AS rows FROM _prisma_migrations WHERE finished_at IS NOT NULL',
        );
        if (rows !== PRISMA_FILES) throw new Error(`shipline recorded ${rows} of ${PRISMA_FILES} migrations`);
        if (last) await sql(server.url, `DROP DATABASE ${last}`);
        last = name;
      } else await sql(server.url, `DROP DATABASE ${name}`);
    }
  }
  const floor = psql ? median(times.get(subjects[0].name)) : undefined;
  console.log(
    `\nPrisma folder: the first ${PRISMA_FILES} migrations of trigger.dev (test/fixtures/prisma), ${ROUNDS} interleaved rounds, each on a fresh database; median wall time.\n`,
  );
  printTable(
    ['subject', 'median ms', 'ratio to psql', 'goal'],
    subjects.map((s) => {
      const ms = median(times.get(s.name));
      const ratio = floor ? ms / floor : undefined;
      const goal =
        s.name === 'shipline migrate apply'
          ? `≤ 1.3× psql: ${ratio === undefined ? 'n/a' : ratio <= 1.3 ? 'met' : 'NOT MET'}`
          : '';
      return [s.name, ms.toFixed(0), ratio === undefined ? 'psql not installed' : `${ratio.toFixed(2)}×`, goal];
    }),
  );
  // status on the last database shipline migrated: 400 folders read and compared with their rows.
  const url = withDatabase(server.url, last);
  const statusTimes = [];
  for (let round = 0; round < ROUNDS; round++) {
    const { ms, stdout } = runMigrate(ws, url, 'status');
    if (!stdout.includes(`${PRISMA_FILES} applied`)) throw new Error(`status did not report ${PRISMA_FILES} applied`);
    statusTimes.push(ms);
  }
  const statusMs = median(statusTimes);
  printTable(
    ['subject', 'median ms', 'goal < 500 ms'],
    [[`shipline migrate status (${PRISMA_FILES} applied)`, statusMs.toFixed(0), statusMs < 500 ? 'met' : 'NOT MET']],
  );
  await sql(server.url, `DROP DATABASE ${last}`);
  rmSync(ws, { recursive: true, force: true });
}

export default async function bench() {
  const server = await startServer();
  const supabaseCli = join(root, 'node_modules', '.bin', 'supabase');
  const psql = psqlBinary();
  if (process.env.BENCH_ONLY === 'prisma') {
    try {
      await prismaCase(server, psql);
    } finally {
      await server.stop();
    }
    return;
  }
  if (process.env.BENCH_ONLY === 'latency') {
    try {
      await latencyCase(server, psql, supabaseCli);
    } finally {
      await server.stop();
    }
    return;
  }
  try {
    const { ws, files } = writeFolder(FILES, threeStatements);
    const subjects = [
      psql && {
        name: 'psql, one session (floor)',
        run: (url) =>
          timeProcess(psql, ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', url, ...files.flatMap((f) => ['-f', f.file])], {
            encoding: 'utf8',
          }),
      },
      {
        name: 'shipline migrate apply',
        run: (url) => ({ ms: runMigrate(ws, url, 'apply').ms, result: { status: 0 } }),
      },
      {
        name: 'Supabase CLI db push',
        run: (url) => {
          const u = new URL(url);
          u.searchParams.set('sslmode', 'disable');
          return timeProcess(supabaseCli, ['db', 'push', '--db-url', u.toString(), '--yes'], {
            cwd: ws,
            encoding: 'utf8',
            env: { ...process.env, DO_NOT_TRACK: '1' },
          });
        },
      },
    ].filter(Boolean);
    const times = new Map(subjects.map((s) => [s.name, []]));
    let n = 0;
    for (let round = 0; round < ROUNDS; round++) {
      // The order rotates each round, and a CHECKPOINT settles the previous run's writes, so no subject always
      // runs right after another's cleanup.
      const order = subjects.map((_, i) => subjects[(i + round) % subjects.length]);
      for (const s of order) {
        const name = `bench_${process.pid}_${n++}`;
        await sql(server.url, `CREATE DATABASE ${name}`);
        await sql(server.url, 'CHECKPOINT');
        const url = withDatabase(server.url, name);
        const { ms, result } = s.run(url);
        if (result.status !== 0) throw new Error(`${s.name} failed:\n${result.stdout ?? ''}${result.stderr ?? ''}`);
        const [{ tables }] = await sql(
          url,
          "SELECT count(*)::int AS tables FROM pg_tables WHERE tablename LIKE 'bench_%'",
        );
        if (tables !== FILES) throw new Error(`${s.name}: expected ${FILES} tables, found ${tables}`);
        times.get(s.name).push(ms);
        await sql(server.url, `DROP DATABASE ${name}`);
      }
    }
    const floor = psql ? median(times.get(subjects[0].name)) : undefined;
    const cli = median(times.get('Supabase CLI db push'));
    console.log(
      `Server: ${server.label}. ${FILES} files × 3 statements, ${ROUNDS} interleaved rounds, each on a fresh database; median wall time.\n`,
    );
    printTable(
      ['subject', 'median ms', 'ratio to psql', 'goal'],
      subjects.map((s) => {
        const ms = median(times.get(s.name));
        const ratio = floor ? `${(ms / floor).toFixed(2)}×` : 'psql not installed';
        let goal = '';
        if (s.name === 'shipline migrate apply') {
          const vsPsql = floor ? ms / floor <= 1.3 : undefined;
          const vsCli = cli / ms >= 2;
          goal = `≤ 1.3× psql: ${vsPsql === undefined ? 'n/a' : vsPsql ? 'met' : 'NOT MET'}; ≥ 2× faster than the CLI (${(cli / ms).toFixed(2)}×): ${vsCli ? 'met' : 'NOT MET'}`;
        }
        return [s.name, ms.toFixed(0), ratio, goal];
      }),
    );
    rmSync(ws, { recursive: true, force: true });

    // status against 10,000 applied migrations: the folder and the tracking table both hold 10,000.
    const big = writeFolder(STATUS_ROWS, (i) => `create table s_${i} (id int);\n`);
    const name = `bench_status_${process.pid}`;
    await sql(server.url, `CREATE DATABASE ${name}`);
    const url = withDatabase(server.url, name);
    await sql(
      url,
      `CREATE SCHEMA supabase_migrations; CREATE TABLE supabase_migrations.schema_migrations (version text NOT NULL PRIMARY KEY, statements text[], name text)`,
    );
    await sql(
      url,
      `INSERT INTO supabase_migrations.schema_migrations (version, name, statements)
       SELECT (20240000000000 + i)::text, 'step_' || i, ARRAY['create table s_' || i || ' (id int)'] FROM generate_series(1, $1) i`,
      [STATUS_ROWS],
    );
    const statusTimes = [];
    for (let round = 0; round < ROUNDS; round++) {
      const { ms, stdout } = runMigrate(big.ws, url, 'status');
      if (!stdout.includes(`${STATUS_ROWS} applied`))
        throw new Error(`status did not report ${STATUS_ROWS} applied:\n${stdout.slice(-1000)}`);
      statusTimes.push(ms);
    }
    const bare = [];
    for (let round = 0; round < ROUNDS; round++) bare.push(timeProcess(node, ['-e', '0']).ms);
    const statusMs = median(statusTimes);
    console.log(
      `\nstatus with ${STATUS_ROWS.toLocaleString('en')} applied migrations (${STATUS_ROWS.toLocaleString('en')} files, every one read and compared with its row), ${ROUNDS} runs:\n`,
    );
    printTable(
      ['subject', 'median ms', 'goal < 500 ms'],
      [
        ['node -e 0 (process start alone)', median(bare).toFixed(0), ''],
        ['shipline migrate status', statusMs.toFixed(0), statusMs < 500 ? 'met' : 'NOT MET'],
      ],
    );
    await sql(server.url, `DROP DATABASE ${name}`);
    rmSync(big.ws, { recursive: true, force: true });

    await latencyCase(server, psql, supabaseCli);
    await prismaCase(server, psql);
  } finally {
    await server.stop();
  }
}
