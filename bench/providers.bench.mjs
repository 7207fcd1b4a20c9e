// Providers (issue 6):
// (a) cold start of dist/deploy/index.js to the end of input validation, per provider, as a ratio to a bare
//     `node -e 0` measured in the same run (interleaved rounds, median; goal ≤ 2.0×). Each run names the provider
//     but leaves out its required inputs, so the action exits right after validation with their names. A second,
//     untimed run per provider records which bundle files were loaded: the ECS path must not load the AWS SDK
//     chunk before it is needed.
// (b) the ECS wait loop's polling cost: a deploy against the tests' loopback ECS whose rollout takes about two
//     minutes (one scheduler step every BENCH_ECS_STEP_MS, default 30 s), counting the DescribeServices calls
//     made while waiting, per minute of waiting.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { loadFake, median, node, printTable, root, runCli, timeProcess } from './common.mjs';

const RUNS = Number(process.env.BENCH_RUNS ?? 25);
const GOAL = 2.0;
const PROVIDERS = ['vercel', 'netlify', 'railway', 'ecs', 'supabase-functions'];
const STEP_MS = Number(process.env.BENCH_ECS_STEP_MS ?? 30_000);
const dist = join(root, 'dist', 'deploy');

/** action.yml's defaults as the runner sets them, plus the provider: its required inputs are missing. */
function providerEnv(provider) {
  const meta = parse(readFileSync(join(root, 'actions', 'deploy', 'action.yml'), 'utf8'));
  const env = { PATH: process.env.PATH, HOME: process.env.HOME };
  for (const [name, spec] of Object.entries(meta.inputs ?? {})) {
    if (spec.default !== undefined && !String(spec.default).includes('${{'))
      env[`INPUT_${name.toUpperCase()}`] = String(spec.default);
  }
  env.INPUT_PROVIDER = provider;
  return env;
}

/** The bundle files a run loads, from a preload that records every require of a file under dist/deploy. */
function loadedChunks(provider) {
  const dir = mkdtempSync(join(tmpdir(), 'shipline-bench-'));
  const log = join(dir, 'loaded.txt');
  const hook = join(dir, 'hook.cjs');
  writeFileSync(
    hook,
    `const M = require('node:module'); const fs = require('node:fs'); const orig = M._load;
     M._load = function (request, parent, isMain) { const r = orig.apply(this, arguments);
       try { const f = M._resolveFilename(request, parent, isMain); if (f.startsWith(${JSON.stringify(dist)})) fs.appendFileSync(${JSON.stringify(log)}, f + '\\n'); } catch {}
       return r; };`,
  );
  timeProcess(node, ['-r', hook, join(dist, 'index.js')], { env: providerEnv(provider) });
  let files = [];
  try {
    files = readFileSync(log, 'utf8').split('\n').filter(Boolean);
  } catch {
    files = [];
  }
  rmSync(dir, { recursive: true, force: true });
  return files.map((f) => f.slice(dist.length + 1));
}

function sdkChunks() {
  return readdirSync(dist).filter(
    (f) => f.endsWith('.js') && readFileSync(join(dist, f), 'utf8').includes('AmazonEC2ContainerServiceV20141113'),
  );
}

async function coldStart() {
  const subjects = [
    { name: 'node -e 0 (baseline)', args: ['-e', '0'], env: { PATH: process.env.PATH } },
    ...PROVIDERS.map((p) => ({
      name: `deploy, provider ${p}`,
      provider: p,
      args: [join(dist, 'index.js')],
      env: providerEnv(p),
    })),
  ];
  const times = new Map(subjects.map((s) => [s.name, []]));
  for (let i = 0; i < RUNS + 2; i++) {
    for (const s of subjects) {
      const { ms, result } = timeProcess(node, s.args, { env: s.env });
      if (s.provider && !new RegExp(`::error::.*is required with provider ${s.provider}`).test(result.stdout))
        throw new Error(`${s.name}: expected an input validation error, got:\n${result.stdout}${result.stderr}`);
      if (i >= 2) times.get(s.name).push(ms);
    }
  }
  const baseline = median(times.get(subjects[0].name));
  const sdk = sdkChunks();
  const version = timeProcess(node, ['--version']).result.stdout.trim();
  console.log(
    `(a) Node ${version}, ${RUNS} interleaved runs each, median wall time from spawn to exit after input validation.\n`,
  );
  printTable(
    ['subject', 'median ms', 'ratio to node -e 0', 'bundle files loaded', 'AWS SDK chunk loaded', `goal ≤ ${GOAL}×`],
    subjects.map((s) => {
      const ms = median(times.get(s.name));
      const ratio = ms / baseline;
      const loaded = s.provider ? loadedChunks(s.provider) : [];
      return [
        s.name,
        ms.toFixed(1),
        `${ratio.toFixed(2)}×`,
        s.provider ? loaded.join(' ') || 'index.js' : '–',
        s.provider ? (loaded.some((f) => sdk.includes(f)) ? 'YES' : 'no') : '–',
        s.provider ? (ratio <= GOAL ? 'met' : 'NOT MET') : '',
      ];
    }),
  );
  console.log(
    `\nThe AWS SDK lives in ${sdk.join(', ')} (${(sdk.reduce((n, f) => n + readFileSync(join(dist, f)).length, 0) / 1024).toFixed(0)} KiB), loaded only once provider ecs has valid inputs.`,
  );
}

function countByOp(calls) {
  const counts = new Map();
  for (const c of calls) counts.set(c.op, (counts.get(c.op) ?? 0) + 1);
  return [...counts].map(([op, n]) => `${op} ${n}`).join(', ');
}

async function ecsPolling() {
  const { startFakeEcs } = await loadFake('ecs');
  const ecs = await startFakeEcs({ stepMs: STEP_MS });
  try {
    const env = {
      AWS_ENDPOINT_URL_ECS: ecs.url,
      AWS_ACCESS_KEY_ID: ecs.accessKeyId,
      AWS_SECRET_ACCESS_KEY: ecs.secretAccessKey,
      AWS_REGION: ecs.region,
      AWS_CONFIG_FILE: '/nonexistent',
      AWS_SHARED_CREDENTIALS_FILE: '/nonexistent',
      AWS_EC2_METADATA_DISABLED: 'true',
    };
    const run = await runCli(
      'deploy',
      {
        provider: 'ecs',
        cluster: ecs.cluster,
        service: ecs.serviceName,
        images: 'api=123456789012.dkr.ecr.eu-west-1.amazonaws.com/api:bench',
        target: 'production',
        'github-token': '',
        'wait-timeout': '30m',
      },
      env,
    );
    if (run.status !== 0) throw new Error(`ECS deploy failed:\n${run.stdout}${run.stderr}`);
    const update = ecs.calls.find((c) => c.op === 'UpdateService');
    const polls = ecs.calls.filter((c) => c.op === 'DescribeServices' && c.at > update.at);
    const waitMin = (polls.at(-1).at - update.at) / 60_000;
    const gaps = polls.map((c, i) => (i === 0 ? c.at - update.at : c.at - polls[i - 1].at) / 1000);
    const firstMinute = polls.filter((c) => c.at - update.at <= 60_000).length;
    const later = polls.filter((c) => c.at - update.at > 60_000);
    const laterMin = later.length ? (later.at(-1).at - update.at - 60_000) / 60_000 : 0;
    console.log(
      `\n(b) ECS wait loop: a rollout of ${ecs.deployments[0]?.desiredCount ?? 2} tasks, one scheduler step every ${STEP_MS / 1000} s in the fake\n`,
    );
    printTable(
      ['measure', 'value'],
      [
        ['waited (UpdateService → stable)', `${(waitMin * 60).toFixed(0)} s`],
        [
          'DescribeServices calls while waiting',
          `${polls.length} (intervals ${gaps.map((g) => g.toFixed(0)).join(', ')} s)`,
        ],
        ['calls per minute of waiting, overall', (polls.length / waitMin).toFixed(1)],
        ['calls in the first minute', String(firstMinute)],
        ['calls per minute after the first', laterMin > 0 ? (later.length / laterMin).toFixed(1) : '–'],
        [
          'steady state (the longest interval, kept for hours)',
          `every ${Math.max(...gaps).toFixed(0)} s = ${(60 / Math.max(...gaps)).toFixed(1)} per minute`,
        ],
        ['every ECS call of the deploy', countByOp(ecs.calls)],
        ['for scale: aws ecs wait services-stable', '4 per minute (every 15 s), gives up after 10 minutes'],
      ],
    );
  } finally {
    await ecs.close();
  }
}

export default async function providersBench() {
  await coldStart();
  await ecsPolling();
}
