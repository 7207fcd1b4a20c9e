// Builds one ncc bundle per action into dist/<action>/ and the CLI into dist/cli/. Each output folder is emptied
// first so a lazy chunk that no longer exists cannot linger in a committed dist/.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const only = process.argv.slice(2);
const targets = [
  ...readdirSync(join(root, 'actions'))
    .filter((name) => existsSync(join(root, 'actions', name, 'src', 'index.ts')))
    .map((name) => ({ name, entry: `actions/${name}/src/index.ts` })),
  { name: 'cli', entry: 'cli/shipline.ts' },
].filter((t) => only.length === 0 || only.includes(t.name));

const ncc = join(root, 'node_modules', '@vercel', 'ncc', 'dist', 'ncc', 'cli.js');
for (const { name, entry } of targets) {
  const out = join(root, 'dist', name);
  rmSync(out, { recursive: true, force: true });
  const started = Date.now();
  const result = spawnSync(process.execPath, [ncc, 'build', entry, '-o', `dist/${name}`, '--minify', '--license', 'licenses.txt', '--target', 'es2023', '-q'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (result.status !== 0) {
    console.error(`build: ${name} failed`);
    process.exit(result.status ?? 1);
  }
  console.log(`build: dist/${name} (${((Date.now() - started) / 1000).toFixed(1)}s)`);
}
