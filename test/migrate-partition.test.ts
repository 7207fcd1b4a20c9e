// A partition at COMMIT (issue #24, minor): the connection to the database is lost after a file's COMMIT went out
// and before its answer came back. The server may have committed it; the step never says "nothing more was
// committed". Lost by a reset, with time left, it reconnects once, lets the old session end, and reads the
// tracking table to say for certain; lost by silence until input 'timeout', it names the files whose fate is
// unknown and the table to check. The bundle, on a real PostgreSQL, through a loopback TCP proxy that cuts the
// answers once the query carrying the COMMIT has been passed on to the server.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { createServer, type Server, type Socket, connect as tcpConnect } from 'node:net';
import { startPostgres, type TestServer } from '../cli/sandbox/postgres.js';
import { migrate, removeWorkspaces, workspace } from './fakes/migrate-workspace.js';
import { errors, expectNoSecrets } from './support.js';

let server: TestServer;
beforeAll(async () => {
  server = await startPostgres();
}, 60_000);
afterAll(async () => {
  removeWorkspaces();
  await server?.stop();
});

/**
 * Passes everything on until a query containing `marker` arrives: that query still reaches the server (which runs
 * it, COMMIT and all), but from then on no answer reaches the migrator. `how`: 'reset' closes the migrator's side
 * at once, 'silent' leaves it open and mute, as a network that drops packets does.
 */
async function cuttingProxy(
  databaseUrl: string,
  marker: string,
  how: 'reset' | 'silent',
): Promise<{ url: string; cut(): boolean; close(): void }> {
  const sockets = new Set<Socket>();
  let cut = false;
  const proxy: Server = createServer((client) => {
    const upstream = tcpConnect(Number(new URL(databaseUrl).port), '127.0.0.1');
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => undefined);
    }
    let cutHere = false;
    client.on('data', (chunk: Buffer) => {
      upstream.write(chunk);
      if (!cut && chunk.includes(marker)) {
        cut = true;
        cutHere = true;
        if (how === 'reset') client.destroy();
      }
    });
    upstream.on('data', (chunk: Buffer) => {
      if (!cutHere && !client.destroyed) client.write(chunk);
    });
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const u = new URL(databaseUrl);
  u.port = String((proxy.address() as { port: number }).port);
  return {
    url: u.toString(),
    cut: () => cut,
    close() {
      for (const s of sockets) s.destroy();
      proxy.close();
    },
  };
}

// 002 starts with a statement that runs alone (CONCURRENTLY), so 001 is confirmed first; the rest of 002 and all of
// 003 then travel as one query, each file's COMMIT with its tracking row in it.
const FILES = {
  'migrations/001_a.sql': 'create table a (id int);\n',
  'migrations/002_b.sql':
    "create index concurrently a_id on a (id);\ncreate table b (id int);\nselect 'shipline_cut_here';\n",
  'migrations/003_c.sql': 'create table c (id int);\n',
};

describe('the connection is lost at COMMIT: migrate never claims nothing more was committed (#24 minor)', () => {
  test('lost by a reset: it reconnects, reads the tracking table and says for certain that 002 and 003 were committed', async () => {
    const url = await server.createDatabase();
    const proxy = await cuttingProxy(url, 'shipline_cut_here', 'reset');
    try {
      const result = await migrate(
        workspace(FILES),
        { 'database-url': proxy.url, timeout: '60s', 'connect-timeout': '10s' },
        { timeoutMs: 90_000 },
      );
      expect(proxy.cut()).toBe(true);
      expect(result.exitCode).toBe(1);
      const message = errors(result).join('\n');
      expect(message).toContain(
        'after the COMMIT of migrations/002_b.sql, migrations/003_c.sql was sent; reconnected and read',
      );
      expect(message).toContain('migrations/002_b.sql was committed; migrations/003_c.sql was committed');
      expect(message).not.toMatch(/rolled back|nothing more was committed/);
      expect(result.outputs).toMatchObject({ 'applied-count': '3' });
      expect(result.summary).toContain('read back after reconnecting');
      expect(
        await server.query(url, "SELECT to_regclass('b') IS NOT NULL AS b, to_regclass('c') IS NOT NULL AS c"),
      ).toEqual([{ b: true, c: true }]);
      expectNoSecrets(result, [server.password]);
    } finally {
      proxy.close();
    }
  }, 120_000);

  test("lost by silence until input 'timeout': the fate of 002 and 003 is unknown, and the message says where to look", async () => {
    const url = await server.createDatabase();
    const proxy = await cuttingProxy(url, 'shipline_cut_here', 'silent');
    try {
      const result = await migrate(
        workspace(FILES),
        { 'database-url': proxy.url, timeout: '5s', 'lock-timeout': '2s', 'connect-timeout': '2s' },
        { timeoutMs: 45_000 },
      );
      expect(proxy.cut()).toBe(true);
      expect(result.exitCode).toBe(1);
      const message = errors(result).join('\n');
      expect(message).toContain("The step did not finish within input 'timeout' (5s)");
      expect(message).toMatch(
        /the fate of migrations\/002_b\.sql, migrations\/003_c\.sql is unknown \(the server may have committed them before the connection went\): check \S+ for their versions/,
      );
      expect(message).not.toContain('nothing more was committed');
      expect(result.summary).toContain('? fate unknown');
      proxy.close();
      // The server did commit them: the sentence that said otherwise would have been wrong.
      expect(
        await server.query(url, "SELECT to_regclass('b') IS NOT NULL AS b, to_regclass('c') IS NOT NULL AS c"),
      ).toEqual([{ b: true, c: true }]);
    } finally {
      proxy.close();
    }
  }, 60_000);
});
