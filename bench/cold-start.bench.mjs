// Cold start: process start to the end of input validation, for each action bundle under Node 24, as a ratio
// to a bare `node -e 0` measured in the same run. Runs are interleaved (bare, a, b, …, bare, a, b, …) so a
// change in machine load hits every subject alike; the median of each is reported.
//
// How "to the end of input validation" is measured: each bundle is started with only action.yml's defaults
// (as the runner sets them), so a required input is missing, and the action exits right after validation with
// its error. Everything an action loads after validation is behind a dynamic import, so this is its cold path.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { median, node, printTable, root, timeProcess } from './common.mjs';

const RUNS = Number(process.env.BENCH_RUNS ?? 25);
const GOAL = 2.0;

function defaultsEnv(action) {
  const meta = parse(readFileSync(join(root, 'actions', action, 'action.yml'), 'utf8'));
  const env = { PATH: process.env.PATH, HOME: process.env.HOME };
  for (const [name, spec] of Object.entries(meta.inputs ?? {})) {
    if (spec.default !== undefined && !String(spec.default).includes('${{'))
      env[`INPUT_${name.toUpperCase()}`] = String(spec.default);
  }
  return env;
}

/**
 * The toolkit as it ships: a bundle (ncc, minified) that only imports @actions/core and zod, reads one input and
 * fails, as an action with a missing input does. Built without scripts/undici-on-demand, so @actions/core's import
 * of its OIDC client brings @actions/http-client and all of undici in at start, compiled and evaluated: the
 * actions' rows below it are what loading undici on demand saves.
 */
function toolkitFloor() {
  const dir = join(root, '.bench', 'toolkit-floor');
  mkdirSync(dir, { recursive: true });
  const entry = join(dir, 'entry.mjs');
  writeFileSync(
    entry,
    "import * as core from '@actions/core';\nimport { z } from 'zod';\nconst parsed = z.string().min(1).safeParse(core.getInput('url'));\nif (!parsed.success) core.setFailed(\"Input 'url' is required\");\n",
  );
  const ncc = join(root, 'node_modules', '@vercel', 'ncc', 'dist', 'ncc', 'cli.js');
  const out = join(dir, 'out');
  // Resolved from the repository root, where @actions/core and zod are installed.
  const result = spawnSync(process.execPath, [ncc, 'build', entry, '-o', out, '--minify', '--target', 'es2023', '-q'], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, NODE_PATH: join(root, 'node_modules') },
  });
  if (result.status !== 0) throw new Error(`building the toolkit floor failed:\n${result.stderr}`);
  return readdirSync(out)
    .map((f) => join(out, f))
    .find((f) => /index\.m?js$/.test(f));
}

export default async function coldStart() {
  const actions = readdirSync(join(root, 'actions')).filter((a) => {
    try {
      return statSync(join(root, 'dist', a, 'index.js')).isFile();
    } catch {
      return false;
    }
  });
  const subjects = [
    { name: 'node -e 0 (baseline)', args: ['-e', '0'], env: { PATH: process.env.PATH } },
    {
      name: '@actions/core + zod only, as the toolkit ships (undici at start)',
      args: [toolkitFloor()],
      env: { PATH: process.env.PATH },
    },
    ...actions.map((a) => ({ name: a, args: [join(root, 'dist', a, 'index.js')], env: defaultsEnv(a) })),
  ];
  const times = new Map(subjects.map((s) => [s.name, []]));
  for (let i = 0; i < RUNS + 2; i++) {
    for (const s of subjects) {
      const { ms, result } = timeProcess(node, s.args, { env: s.env });
      if (s.name !== subjects[0].name && !/^::error::/m.test(result.stdout))
        throw new Error(`${s.name}: expected an input validation error, got:\n${result.stdout}${result.stderr}`);
      if (i >= 2) times.get(s.name).push(ms); // two warm-up rounds for the file cache
    }
  }
  const baseline = median(times.get(subjects[0].name));
  const version = timeProcess(node, ['--version']).result.stdout.trim();
  console.log(`Node ${version}, ${RUNS} interleaved runs each, median wall time from spawn to exit.\n`);
  printTable(
    ['subject', 'median ms', 'ratio to node -e 0', 'cold-path bundle', `goal ≤ ${GOAL}×`],
    subjects.map((s) => {
      const ms = median(times.get(s.name));
      const ratio = ms / baseline;
      const size = /index\.m?js$/.test(s.args[0]) ? `${(statSync(s.args[0]).size / 1024).toFixed(0)} KiB` : '–';
      return [
        s.name,
        ms.toFixed(1),
        `${ratio.toFixed(2)}×`,
        size,
        s === subjects[0] || s === subjects[1] ? '' : ratio <= GOAL ? 'met' : 'NOT MET',
      ];
    }),
  );
  console.log(
    '\nPeers measured the same way (figures from the foundation issue): URL health-check action 2.3×, AWS ECS deploy action 5.0×, official Slack action 6.4×.',
  );
}
