// dist/ must be exactly what the sources build: run after `npm run build`. `git status --porcelain` also
// catches new untracked files (a lazy chunk added by the build and never committed), which `git diff` misses.
import { execFileSync } from 'node:child_process';

const status = execFileSync(
  'git',
  ['status', '--porcelain', '--', 'dist', 'actions/stage/action.yml', 'actions/stage-rollback/action.yml'],
  { encoding: 'utf8' },
).trim();
if (status) {
  console.error(
    'dist/ (or a generated stage action) differs from what the sources build. Run `npm run build` and commit it:\n' +
      status,
  );
  process.exit(1);
}
console.log('dist: up to date with the sources');
