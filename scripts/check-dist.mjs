// dist/ must be exactly what the sources build: run after `npm run build`. `git status --porcelain` also
// catches new untracked files (a lazy chunk added by the build and never committed), which `git diff` misses.
import { execFileSync } from 'node:child_process';

const status = execFileSync('git', ['status', '--porcelain', '--', 'dist'], { encoding: 'utf8' }).trim();
if (status) {
  console.error('dist/ differs from what the sources build. Run `npm run build` and commit dist/:\n' + status);
  process.exit(1);
}
console.log('dist: up to date with the sources');
