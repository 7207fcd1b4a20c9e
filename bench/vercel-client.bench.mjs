// Our own Vercel calls (shared/providers/vercel.ts) against @vercel/client (what the vercel CLI uses for hashing,
// upload, create and wait), as a bundle: ncc size (minified, the way scripts/build.mjs builds dist/) and cold
// start (process start to "module loaded", as a ratio to a bare `node -e 0` in the same interleaved run).
// Not part of `npm run bench`: run it by hand when the choice is revisited (actions/deploy/README.md records
// the figures): node bench/vercel-client.bench.mjs
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { median, node, printTable, root, timeProcess } from './common.mjs';

const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const ncc = join(root, 'node_modules', '@vercel', 'ncc', 'dist', 'ncc', 'cli.js');
const work = mkdtempSync(join(root, '.bench-vercel-'));

const subjects = [
  {
    name: 'ours: shared/providers/vercel.ts',
    source: `import { VercelProvider } from '../shared/providers/vercel.js';\nconsole.log(typeof VercelProvider);\n`,
  },
  {
    name: '@vercel/client createDeployment',
    source: `import { createDeployment } from '@vercel/client';\nconsole.log(typeof createDeployment);\n`,
  },
];

function bundleBytes(dir) {
  return readdirSync(dir, { recursive: true })
    .filter((f) => String(f).endsWith('.js') || String(f).endsWith('.node'))
    .reduce((sum, f) => sum + statSync(join(dir, String(f))).size, 0);
}

try {
  for (const [i, s] of subjects.entries()) {
    const entry = join(work, `entry-${i}.ts`);
    writeFileSync(entry, s.source);
    s.out = join(work, `out-${i}`);
    mkdirSync(s.out);
    const started = Date.now();
    const result = spawnSync(
      process.execPath,
      [ncc, 'build', entry, '-o', s.out, '--minify', '--target', 'es2023', '-q'],
      { cwd: root, stdio: 'inherit' },
    );
    if (result.status !== 0) throw new Error(`ncc failed for ${s.name}`);
    s.buildMs = Date.now() - started;
    s.bytes = bundleBytes(s.out);
  }
  const all = [
    { name: 'node -e 0 (baseline)', args: ['-e', '0'] },
    ...subjects.map((s) => ({ ...s, args: [join(s.out, 'index.js')] })),
  ];
  const times = new Map(all.map((s) => [s.name, []]));
  for (let i = 0; i < RUNS + 2; i++) {
    for (const s of all) {
      const { ms, result } = timeProcess(node, s.args, { env: { PATH: process.env.PATH } });
      if (s.out && result.stdout.trim() !== 'function') throw new Error(`${s.name}: ${result.stdout}${result.stderr}`);
      if (i >= 2) times.get(s.name).push(ms);
    }
  }
  const baseline = median(times.get(all[0].name));
  console.log(`Node ${timeProcess(node, ['--version']).result.stdout.trim()}, ${RUNS} interleaved runs each.\n`);
  printTable(
    ['subject', 'bundle (minified)', 'median ms to loaded', 'ratio to node -e 0'],
    all.map((s) => [
      s.name,
      s.bytes ? `${(s.bytes / 1024).toFixed(0)} KiB` : '–',
      median(times.get(s.name)).toFixed(1),
      `${(median(times.get(s.name)) / baseline).toFixed(2)}×`,
    ]),
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}
