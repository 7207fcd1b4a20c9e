// Cold start: process start to the end of input validation, for each action bundle under Node 24, as a ratio
// to a bare `node -e 0` measured in the same run. Runs are interleaved (bare, a, b, …, bare, a, b, …) so a
// change in machine load hits every subject alike; the median of each is reported.
//
// How "to the end of input validation" is measured: each bundle is started with only action.yml's defaults
// (as the runner sets them), so a required input is missing, and the action exits right after validation with
// its error. Everything an action loads after validation is behind a dynamic import, so this is its cold path.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { median, node, printTable, root, timeProcess } from './common.mjs';

const RUNS = Number(process.env.BENCH_RUNS ?? 25);
const GOAL = 2.0;

function defaultsEnv(action) {
  const meta = parse(readFileSync(join(root, 'actions', action, 'action.yml'), 'utf8'));
  const env = { PATH: process.env.PATH, HOME: process.env.HOME };
  for (const [name, spec] of Object.entries(meta.inputs ?? {})) {
    if (spec.default !== undefined && !String(spec.default).includes('${{')) env[`INPUT_${name.toUpperCase()}`] = String(spec.default);
  }
  return env;
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
    ...actions.map((a) => ({ name: a, args: [join(root, 'dist', a, 'index.js')], env: defaultsEnv(a) })),
  ];
  const times = new Map(subjects.map((s) => [s.name, []]));
  for (let i = 0; i < RUNS + 2; i++) {
    for (const s of subjects) {
      const { ms, result } = timeProcess(node, s.args, { env: s.env });
      if (s.name !== subjects[0].name && !/^::error::/m.test(result.stdout)) throw new Error(`${s.name}: expected an input validation error, got:\n${result.stdout}${result.stderr}`);
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
      const size = s.args[0].endsWith('index.js') ? `${(statSync(s.args[0]).size / 1024).toFixed(0)} KiB` : '–';
      return [s.name, ms.toFixed(1), `${ratio.toFixed(2)}×`, size, s === subjects[0] ? '' : ratio <= GOAL ? 'met' : 'NOT MET'];
    }),
  );
  console.log('\nPeers measured the same way (figures from the foundation issue): URL health-check action 2.3×, AWS ECS deploy action 5.0×, official Slack action 6.4×.');
}
