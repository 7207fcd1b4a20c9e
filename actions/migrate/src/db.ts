// Connections to the target database, and PostgreSQL's errors as people need to read them. The URL carries the
// password, so no message here ever contains it: the server is named by host, port and database only.
import pg from 'pg';
import { ShiplineError } from '../../../shared/errors.js';

export type Db = pg.Client;

/** `host:port/database` of a URL: enough to know which server, nothing secret. */
export function describeServer(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || '5432'}${u.pathname && u.pathname !== '/' ? u.pathname : '/postgres'}`;
  } catch {
    return 'the database';
  }
}

const CONNECT_HINTS: Record<string, string> = {
  ECONNREFUSED: 'Nothing listens there: check the host and port, and that the database is running.',
  ENOTFOUND: 'The host name does not resolve: check the host in database-url.',
  EAI_AGAIN: 'The host name does not resolve: check the host in database-url.',
  '28P01': "Check the user and password in input 'database-url' (the secret it comes from).",
  '28000': 'The server refused this user or client address (pg_hba.conf).',
  '3D000': 'The database in the URL does not exist on that server.',
};

/** The same server and credentials, another database (a URL's own database wins over a `database` option). */
function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** Connects, or fails with what went wrong and where (never the URL itself). */
export async function connect(
  url: string,
  options: { timeoutMs: number; label: string; database?: string },
): Promise<Db> {
  const client = newClient(url, options);
  // An error on an idle connection (the server went away) must not crash the process unseen; the next query fails.
  client.on('error', () => undefined);
  // The server reports its version when the connection starts: kept, so asking costs no round trip.
  client.connection.on('parameterStatus', (message: { parameterName: string; parameterValue: string }) => {
    if (message.parameterName === 'server_version') serverVersions.set(client, message.parameterValue);
  });
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => undefined);
    const e = error as { code?: string; message?: string };
    const where = options.database
      ? describeServer(url).replace(/\/[^/]*$/, `/${options.database}`)
      : describeServer(url);
    const reason = /timeout/i.test(e.message ?? '')
      ? `no answer within ${options.timeoutMs / 1000}s`
      : scrubDatabaseUrl(e.message ?? String(error), url);
    throw new ShiplineError(`Cannot connect to PostgreSQL at ${where}: ${reason}${e.code ? ` (${e.code})` : ''}`, {
      hint:
        CONNECT_HINTS[e.code ?? ''] ??
        (/timeout/i.test(e.message ?? '')
          ? "The server did not answer: check the host, the port and any firewall, or raise input 'connect-timeout'."
          : undefined),
      cause: error,
    });
  }
  return client;
}

/**
 * The driver reads the files named by sslrootcert / sslcert / sslkey while building the client, and a missing one
 * would escape as a bare ENOENT; inputs check them first, this names the file if one vanished since.
 * TCP keepalive lets the operating system notice a peer that went away while a statement runs.
 */
function newClient(url: string, options: { timeoutMs: number; label: string; database?: string }): Db {
  try {
    return new pg.Client({
      connectionString: options.database ? withDatabase(url, options.database) : url,
      connectionTimeoutMillis: options.timeoutMs,
      keepAlive: true,
      keepAliveInitialDelayMillis: 10_000,
      application_name: `shipline-migrate (${options.label})`,
    });
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    if (e.code === 'ENOENT' || e.code === 'EACCES')
      throw new ShiplineError(
        `Cannot read ${e.path ?? 'a file'} named in input 'database-url' (sslrootcert, sslcert or sslkey): ${e.code === 'ENOENT' ? 'no such file' : 'permission denied'}`,
        {
          hint: 'Give the path of the certificate file on the runner, relative to the working directory or absolute.',
          cause: error,
        },
      );
    throw new ShiplineError(`Cannot use input 'database-url': ${scrubDatabaseUrl(e.message ?? String(error), url)}`, {
      cause: error,
    });
  }
}

const serverVersions = new WeakMap<Db, string>();

/** server_version_num of a connection made by connect() (e.g. 170004 for 17.4), from what the server reported; 0 if unknown. */
export function serverVersionNum(db: Db): number {
  const m = /^(\d+)(?:\.(\d+))?/.exec(serverVersions.get(db) ?? '');
  if (!m) return 0;
  const [major, minor] = [Number(m[1]), Number(m[2] ?? 0)];
  return major >= 10 ? major * 10000 + minor : major * 10000 + minor * 100;
}

/** The transaction state the server reported with its last ReadyForQuery: I (idle), T (in one), E (failed one). */
export function transactionStatus(db: Db): string | null {
  return (db as unknown as { getTransactionStatus?(): string | null }).getTransactionStatus?.() ?? null;
}

/** Belt and braces: a driver message that quoted the URL or its password would be cut here. */
function scrubDatabaseUrl(message: string, url: string): string {
  let text = message.split(url).join('<database-url>');
  try {
    const password = decodeURIComponent(new URL(url).password);
    if (password) text = text.split(password).join('***');
  } catch {
    // not a URL: nothing more to cut
  }
  return text;
}

export interface PgError {
  message: string;
  code?: string;
  position?: string;
  detail?: string;
  hint?: string;
  where?: string;
}

export function isPgError(error: unknown): error is PgError {
  return error instanceof Error && typeof (error as { code?: unknown }).code === 'string' && 'severity' in error;
}

/**
 * A string as an SQL literal, exactly as the driver's escapeLiteral writes it (quotes doubled; with a backslash,
 * backslashes doubled and an E'' literal), but in one pass of the regular-expression engine: the driver's
 * character-by-character loop was a visible share of building a batch of 100 files with their stored texts.
 */
export function quoteLiteral(value: string): string {
  if (!value.includes('\\')) return `'${value.replace(/'/g, "''")}'`;
  return ` E'${value.replace(/['\\]/g, (c) => c + c)}'`;
}

export async function close(db: Db | undefined): Promise<void> {
  await db?.end().catch(() => undefined);
}

/**
 * Ends a session without waiting for the server: `lastWords` (a query whose answer nobody needs) and the protocol's
 * Terminate go out together, and the socket no longer keeps the process alive. Waiting would cost a round trip
 * to a database far away and tell nothing: when the session ends, the server ends its transactions and releases
 * its session-level locks, and the step has already read every answer it needed (each file is committed or rolled
 * back by then). A connection that is already broken is simply closed.
 */
export function hangUp(db: Db | undefined, lastWords?: string): void {
  if (!db) return;
  const client = db as unknown as {
    _queryable?: boolean;
    _getActiveQuery?(): unknown;
    connection: { query(text: string): void; stream: { unref?(): void } };
  };
  if (lastWords && client._queryable && !client._getActiveQuery?.() && transactionStatus(db) === 'I')
    client.connection.query(lastWords);
  void db.end().catch(() => undefined);
  client.connection.stream.unref?.();
}
