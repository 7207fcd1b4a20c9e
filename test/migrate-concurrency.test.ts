// Two pipelines at once, and a migrator killed mid-file: the lock and the per-file transactions must hold.
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import pg from 'pg';
import { findRoot, nodeBinary } from '../cli/local-runner.js';
import { startPostgres, type TestServer } from '../cli/sandbox/postgres.js';
import { migrate, removeWorkspaces, workspace } from './fakes/migrate-workspace.js';
import { errors } from './support.js';
import { until } from './support-waits.js';

let server: TestServer;
beforeAll(async () => {
  server = await startPostgres();
}, 60_000);
afterAll(async () => {
  removeWorkspaces();
  await server?.stop();
});

/** The bundle's apply, started as the runner starts it and left running: the test watches it from outside. */
function startApply(ws: string, url: string) {
  const root = findRoot();
  return spawn(nodeBinary(root), [`${root}/dist/migrate/index.js`], {
    cwd: ws,
    env: {
      PATH: process.env.PATH,
      GITHUB_WORKSPACE: ws,
      'INPUT_DATABASE-URL': url,
      INPUT_COMMAND: 'apply',
      INPUT_FORMAT: 'auto',
      'INPUT_LOCK-TIMEOUT': '20s',
      'INPUT_CONNECT-TIMEOUT': '5s',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Each migration logs itself: a migration applied twice would show as two rows. */
function loggingFolder(count: number): Record<string, string> {
  const files: Record<string, string> = {
    'migrations/000_log.sql':
      'create table applied_log (version text not null, at timestamptz default clock_timestamp());\n',
  };
  for (let i = 1; i <= count; i++) {
    const v = String(i).padStart(3, '0');
    files[`migrations/${v}_step.sql`] =
      `create table t_${v} (id int);\ninsert into applied_log (version) values ('${v}');\nselect pg_sleep(0.02);\n`;
  }
  return files;
}

describe('concurrent runs', () => {
  test('four processes at once: every migration applied exactly once, every run succeeds', async () => {
    const url = await server.createDatabase();
    const ws = workspace(loggingFolder(12));
    const runs = await Promise.all([1, 2, 3, 4].map(() => migrate(ws, { 'database-url': url })));
    for (const run of runs) expect({ exit: run.exitCode, errors: errors(run) }).toEqual({ exit: 0, errors: [] });
    const counts = runs.map((r) => Number(r.outputs['applied-count']));
    expect(counts.reduce((a, b) => a + b, 0)).toBe(13);
    for (const run of runs) expect(run.outputs['pending-count']).toBe('0');
    const log = await server.query(
      url,
      'SELECT version, count(*)::int AS n FROM applied_log GROUP BY version ORDER BY version',
    );
    expect(log).toHaveLength(12);
    expect(log.every((row) => row.n === 1)).toBe(true);
    expect(await server.query(url, 'SELECT count(*)::int AS n FROM schema_migrations')).toEqual([{ n: 13 }]);
  });

  test('a run that cannot get the lock within lock-timeout fails naming the holder, and applies nothing', async () => {
    const url = await server.createDatabase();
    const holder = new pg.Client({ connectionString: url, application_name: 'other-pipeline' });
    await holder.connect();
    try {
      await holder.query('SELECT pg_advisory_lock($1, $2)', [0x73686970, 0x6d696772]);
      const result = await migrate(workspace(loggingFolder(1)), { 'database-url': url, 'lock-timeout': '1500ms' });
      expect(result.exitCode).toBe(1);
      const message = errors(result).join('\n');
      expect(message).toContain('Another migration is running');
      expect(message).toContain('other-pipeline');
      expect(result.stdout).toContain('Waiting for the migration lock');
      expect(await server.query(url, "SELECT to_regclass('applied_log') AS t")).toEqual([{ t: null }]);
    } finally {
      await holder.end();
    }
  });

  test('a waiting run proceeds once the lock is released, and finds the work done', async () => {
    const url = await server.createDatabase();
    const ws = workspace(loggingFolder(2));
    const holder = new pg.Client({ connectionString: url });
    await holder.connect();
    await holder.query('SELECT pg_advisory_lock($1, $2)', [0x73686970, 0x6d696772]);
    // Released only once the run says it waits (an event, not a sleep): a loaded machine cannot make the run
    // arrive after the release and take a free lock.
    const child = startApply(ws, url);
    let stdout = '';
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        if (stdout.includes('Waiting for the migration lock')) resolve();
      });
      void exited.then(() => reject(new Error(`the run ended before it waited for the lock:\n${stdout}`)));
    });
    await holder.end();
    expect(await exited).toBe(0);
    expect(stdout).toMatch(/Migration lock taken after \d+\.\ds/);
    expect(await server.query(url, 'SELECT count(*)::int AS n FROM applied_log')).toEqual([{ n: 2 }]);
  });
});

describe('the lock travels with the first read (lock.ts, lockAndRead)', () => {
  test('a run that finds the lock taken reads the tracking table again once it holds it: what the holder applied meanwhile is not applied twice', async () => {
    const url = await server.createDatabase();
    // The first file keeps the first run inside its first transaction, holding the lock, long enough for the second
    // to try: the tracking table is created in that transaction, so the second run's first read finds no table.
    const files = loggingFolder(3);
    files['migrations/000_log.sql'] += 'select pg_sleep(2);\n';
    const ws = workspace({
      ...files,
      'migrations/004_last.sql': "insert into applied_log (version) values ('004');\n",
    });
    const first = migrate(ws, { 'database-url': url });
    await until('the first run to hold the migration lock', async () => {
      const [row] = await server.query(
        url,
        "SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND classid = $1 AND objid = $2 AND granted",
        [0x73686970, 0x6d696772],
      );
      return row?.n === 1;
    });
    const second = await migrate(ws, { 'database-url': url, 'lock-timeout': '30s' });
    const done = await first;
    expect([done.exitCode, second.exitCode]).toEqual([0, 0]);
    // The second run's first read went with its first try, before anything was committed; it had to be dropped.
    expect(second.stdout).toContain('Waiting for the migration lock');
    expect([done.outputs['applied-count'], second.outputs['applied-count']]).toEqual(['5', '0']);
    const log = await server.query(
      url,
      'SELECT version, count(*)::int AS n FROM applied_log GROUP BY version ORDER BY version',
    );
    expect(log).toEqual(['001', '002', '003', '004'].map((version) => ({ version, n: 1 })));
  });
});

describe('the lock and the sessions end with the run (their goodbye is not waited for)', () => {
  /** Polls until the lock is free and no shipline session is left, or 5 s pass; returns what it last saw. */
  async function afterRun(url: string): Promise<{ lockFree: boolean; sessions: number }> {
    let seen = { lockFree: false, sessions: -1 };
    for (let i = 0; i < 100; i++) {
      const [row] = await server.query(
        url,
        `SELECT NOT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND classid = $1 AND objid = $2 AND objsubid = 2) AS "lockFree",
           (SELECT count(*)::int FROM pg_stat_activity WHERE application_name LIKE 'shipline-migrate%' AND datname = current_database()) AS sessions`,
        [0x73686970, 0x6d696772],
      );
      seen = row as typeof seen;
      if (seen.lockFree && seen.sessions === 0) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    return seen;
  }

  test('after a run that applied files, and after one that failed, the lock is free and no session is left', async () => {
    const url = await server.createDatabase();
    const ok = await migrate(workspace(loggingFolder(2)), { 'database-url': url });
    expect(ok.exitCode).toBe(0);
    expect(await afterRun(url)).toEqual({ lockFree: true, sessions: 0 });
    const failing = await migrate(workspace({ ...loggingFolder(2), 'migrations/003_bad.sql': 'select 1/0;\n' }), {
      'database-url': url,
    });
    expect(failing.exitCode).toBe(1);
    expect(await afterRun(url)).toEqual({ lockFree: true, sessions: 0 });
    // And the next run takes the lock at once.
    const next = await migrate(workspace(loggingFolder(2)), { 'database-url': url, 'lock-timeout': '1s' });
    expect(next.exitCode).toBe(0);
  });
});

describe('a batch of files', () => {
  test('reports files as their answers arrive, while later files of the same batch still run', async () => {
    const url = await server.createDatabase();
    await server.query(url, 'create table blocker (id int)');
    // Another session holds the table the last file writes to: the batch (all files in one query) stops there.
    // The server sends its answers when its 8 kB output buffer fills: 80 files' answers fill it several times.
    const holder = new pg.Client({ connectionString: url });
    await holder.connect();
    await holder.query('BEGIN');
    await holder.query('LOCK TABLE blocker IN ACCESS EXCLUSIVE MODE');
    const files: Record<string, string> = { 'migrations/999_blocked.sql': 'insert into blocker values (1);\n' };
    for (let i = 1; i <= 80; i++)
      files[`migrations/${String(i).padStart(3, '0')}_quick.sql`] = `create table quick_${i} (id int);\n`;
    const child = startApply(workspace(files), url);
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    try {
      const waiting = async () =>
        (
          await server.query(
            url,
            "SELECT 1 FROM pg_stat_activity WHERE application_name LIKE 'shipline-migrate%' AND wait_event_type = 'Lock'",
          )
        ).length;
      await until('the last file of the batch to wait for the held table', waiting);
      await until('the first file to be reported applied', () => stdout.includes('Applied migrations/001_quick.sql'));
      // Reported while the last file still waits for the table, in the same query: not only once the batch has ended.
      expect({
        waiting: await waiting(),
        first: stdout.includes('Applied migrations/001_quick.sql'),
        blocked: stdout.includes('Applied migrations/999_blocked.sql'),
      }).toEqual({
        waiting: 1,
        first: true,
        blocked: false,
      });
    } finally {
      await holder.query('COMMIT');
      await holder.end();
    }
    expect(await exited).toBe(0);
    expect(stdout).toContain('Applied migrations/999_blocked.sql');
    expect(await server.query(url, 'SELECT count(*)::int AS n FROM schema_migrations')).toEqual([{ n: 81 }]);
  }, 30_000);
});

describe('kill -9 in the middle of a file', () => {
  test('leaves no part of the file applied, and the next run completes it', async () => {
    const url = await server.createDatabase();
    const ws = workspace({
      'migrations/001_first.sql': 'create table first (id int);\n',
      'migrations/002_long.sql':
        'create table half_done (id int);\ninsert into half_done values (1);\nselect pg_sleep(2);\ncreate table after_sleep (id int);\n',
    });
    const child = startApply(ws, url);
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      child.on('close', (_code, signal) => resolve(signal)),
    );
    // Wait until the server is executing the sleep of file 002, i.e. in the middle of its transaction.
    await until(
      'the server to be executing the sleep of file 002',
      async () =>
        (
          await server.query(
            url,
            "SELECT 1 FROM pg_stat_activity WHERE query LIKE '%create table half_done%pg_sleep(2)%' AND state = 'active' AND wait_event = 'PgSleep'",
          )
        ).length > 0,
      { tries: 400, everyMs: 10 },
    );
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    // The server notices the dead client and rolls its transaction back; wait for that backend to go.
    await until(
      "the killed run's session to end",
      async () =>
        (await server.query(url, "SELECT 1 FROM pg_stat_activity WHERE application_name LIKE 'shipline-migrate%'"))
          .length === 0,
    );
    expect(
      await server.query(
        url,
        "SELECT to_regclass('first') IS NOT NULL AS first, to_regclass('half_done') AS half, to_regclass('after_sleep') AS after",
      ),
    ).toEqual([{ first: true, half: null, after: null }]);
    expect(await server.query(url, 'SELECT version FROM schema_migrations')).toEqual([{ version: '001_first' }]);

    const rerun = await migrate(ws, { 'database-url': url });
    expect(rerun.exitCode).toBe(0);
    expect(rerun.outputs).toMatchObject({ 'applied-count': '1', 'pending-count': '0', 'current-version': '002_long' });
    expect(await server.query(url, 'SELECT count(*)::int AS n FROM half_done')).toEqual([{ n: 1 }]);
  });
});
