// deploy and rollback (Vercel), against the tests' loopback Vercel:
// (a) a 5,000-file output where 1% of the files changed since the last deploy: how many files are uploaded
//     (goal: exactly the changed ones) and hashing throughput, against `sha1sum` over the same files;
// (b) rollback overhead: wall time of the rollback action minus the time the fake spends on its alias job
//     (goal ≤ 2 s);
// (c) a Vercel rolling release (5% → 25% → 100%): the time shipline adds per stage judged, i.e. from the fake
//     reaching a stage to it reaching the next, minus the fake's own traffic shift (the bake time itself is the
//     user's rolling-bake, here 1 ms; what remains is the probes, the ledger status, the approval and the polling
//     that sees the shift).
// (d) ECS progressive rollout: the time shipline adds to each pause of a canary (ecsProgressiveBench).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadFake, median, printTable, runCli, timeProcess, timeProcessAsync } from './common.mjs';

const FILES = 5000;
const CHANGED = 50;

function makeSite(dir) {
  for (let d = 0; d < 50; d++) mkdirSync(join(dir, `chunk-${d}`), { recursive: true });
  let bytes = 0;
  for (let i = 0; i < FILES; i++) {
    const body = `/* file ${i} */\n${'export const x = "'.concat('abcdefghij'.repeat(50 + (i % 300)), '";\n')}`;
    writeFileSync(join(dir, `chunk-${i % 50}`, `file-${i}.js`), body);
    bytes += body.length;
  }
  return bytes;
}

export default async function deployBench() {
  const { startFakeVercel } = await loadFake('vercel');
  const vercel = await startFakeVercel({ buildMs: 300, aliasJobMs: 1000 });
  const dir = mkdtempSync(join(tmpdir(), 'shipline-bench-site-'));
  try {
    const bytes = makeSite(dir);
    const provider = {
      provider: 'vercel',
      token: vercel.token,
      project: vercel.projectId,
      team: vercel.teamId,
      'api-url': vercel.url,
      'github-token': '',
    };
    const first = await runCli('deploy', { ...provider, target: 'production', dir });
    if (first.status !== 0) throw new Error(`first deploy failed:\n${first.stdout}`);
    for (let i = 0; i < CHANGED; i++)
      writeFileSync(join(dir, `chunk-${(i * 97) % 50}`, `file-${(i * 97) % FILES}.js`), `/* changed ${i} */`);
    const second = await runCli('deploy', { ...provider, target: 'production', dir });
    if (second.status !== 0) throw new Error(`second deploy failed:\n${second.stdout}`);
    const hashMs = Number(/files hashed in (\d+) ms/.exec(second.stdout)?.[1]);
    const sha1sum = await timeProcessAsync('sh', [
      '-c',
      `find "${dir}" -type f -print0 | xargs -0 sha1sum > /dev/null`,
    ]);

    console.log(
      `(a) ${FILES} files, ${(bytes / 1024 / 1024).toFixed(1)} MiB, ${CHANGED} changed since the previous deploy\n`,
    );
    printTable(
      ['measure', 'value', 'goal'],
      [
        [
          'files uploaded on the second deploy',
          `${second.outputs['uploaded-files']} of ${FILES}`,
          `exactly ${CHANGED}: ${Number(second.outputs['uploaded-files']) === CHANGED ? 'met' : 'NOT MET'}`,
        ],
        [
          'shipline hashing (stat + SHA1 per file)',
          `${hashMs} ms = ${(bytes / 1024 / 1024 / (hashMs / 1000)).toFixed(0)} MiB/s`,
          '',
        ],
        ['baseline: find | xargs sha1sum, same files', `${sha1sum.ms.toFixed(0)} ms`, ''],
        ['ratio shipline / sha1sum', `${(hashMs / sha1sum.ms).toFixed(2)}×`, ''],
        ['whole second deploy (CLI, wall)', `${second.ms.toFixed(0)} ms (fake build ${vercel.timing.buildMs} ms)`, ''],
      ],
    );

    const rolled = await runCli('rollback', { ...provider, verify: 'false' });
    if (rolled.status !== 0) throw new Error(`rollback failed:\n${rolled.stdout}${rolled.stderr}`);
    const bare = timeProcess(process.execPath, ['-e', '0']);
    const overhead = rolled.ms - vercel.timing.aliasJobMs;
    console.log(`\n(b) rollback to the previous release, alias job fixed at ${vercel.timing.aliasJobMs} ms\n`);
    printTable(
      ['measure', 'ms', 'goal'],
      [
        ['rollback action, wall (CLI: spawn to exit)', rolled.ms.toFixed(0), ''],
        ['minus the alias job', overhead.toFixed(0), `≤ 2000: ${overhead <= 2000 ? 'met' : 'NOT MET'}`],
        ['for scale: node -e 0', bare.ms.toFixed(0), ''],
      ],
    );
  } finally {
    await vercel.close();
    rmSync(dir, { recursive: true, force: true });
  }
  await rollingBench();
  await ecsProgressiveBench();
}

const STAGE_SHIFT_MS = 500;
const PROBES = 10;

export async function rollingBench() {
  const { startFakeVercel } = await loadFake('vercel');
  const vercel = await startFakeVercel({ buildMs: 300, aliasJobMs: 300, stageShiftMs: STAGE_SHIFT_MS });
  const dir = mkdtempSync(join(tmpdir(), 'shipline-bench-rolling-'));
  const site = (n) => {
    writeFileSync(join(dir, 'index.html'), `<h1>release ${n}</h1>`);
    return dir;
  };
  try {
    const provider = {
      provider: 'vercel',
      token: vercel.token,
      project: vercel.projectId,
      team: vercel.teamId,
      'api-url': vercel.url,
      'github-token': '',
      target: 'production',
    };
    const first = await runCli('deploy', { ...provider, dir: site(1) });
    if (first.status !== 0) throw new Error(`first deploy failed:\n${first.stdout}`);
    const rolling = await runCli('deploy', {
      ...provider,
      dir: site(2),
      'vercel-rolling-stages': '5,25,100',
      'rolling-check-url': `${vercel.url}/__deployments/{deployment-id}/`,
      'rolling-requests': PROBES,
      'rolling-bake': '1ms',
    });
    if (rolling.status !== 0) throw new Error(`rolling deploy failed:\n${rolling.stdout}${rolling.stderr}`);
    const reached = vercel.stagesReached;
    const added = reached.slice(1).map((s, i) => s.at - reached[i].at - STAGE_SHIFT_MS);
    console.log(
      `\n(c) rolling release 5% → 25% → 100% (${PROBES} probes per stage, rolling-bake 1 ms, fake traffic shift ${STAGE_SHIFT_MS} ms)\n`,
    );
    printTable(
      ['stage', 'reached → next reached, minus the shift (ms)'],
      added.map((ms, i) => [`${reached[i].share}%`, String(ms)]),
    );
    console.log(`\nrolling deploy wall (CLI, spawn to exit): ${rolling.ms.toFixed(0)} ms`);
  } finally {
    await vercel.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * (d) ECS progressive rollout: what shipline adds to each pause of a canary, against the tests' loopback ECS. A
 * pause lasts from the moment ECS starts waiting (the hook's AWAITING_ACTION) to shipline's
 * ContinueServiceDeployment; minus the verdict window the user asked for, the rest is shipline's cost: seeing the
 * pause (polling DescribeServiceDeployments), the ledger writes around the verdict, and the answer itself.
 */
export async function ecsProgressiveBench(runs = 3) {
  const { startFakeEcs, awsEnvironment } = await loadFake('ecs');
  const { startFakeGitHub } = await loadFake('github');
  // A lifecycle stage takes 200 ms; a "minute" of bake time 1 s (the canary bakes 1 "minute" at 10 %).
  const ecs = await startFakeEcs({ stepMs: 200, minuteMs: 1000 });
  const github = await startFakeGitHub();
  const windowMs = 2000;
  const rows = [];
  try {
    for (let run = 0; run < runs; run++) {
      const calls = ecs.calls.length;
      const result = await runCli(
        'deploy',
        {
          provider: 'ecs',
          cluster: ecs.cluster,
          service: ecs.serviceName,
          images: `api=123456789012.dkr.ecr.eu-west-1.amazonaws.com/api:bench-${run}`,
          target: 'production',
          'github-token': github.token,
          'wait-timeout': '5m',
          'ecs-strategy': 'canary',
          'ecs-canary-percent': 10,
          'ecs-step-bake-time': '1m',
          'ecs-bake-time': '0m',
          'ecs-pause-timeout': '30m',
          'verify-url': ecs.listeners.production,
          'verify-test-url': ecs.listeners.test,
          'verify-window': `${windowMs}ms`,
          'verify-interval': '100ms',
        },
        {
          ...awsEnvironment(ecs),
          GITHUB_API_URL: github.url,
          GITHUB_REPOSITORY: github.repository,
          GITHUB_SHA: `${run}`.padStart(40, 'b'),
        },
      );
      if (result.status !== 0) throw new Error(`progressive deploy failed:\n${result.stdout}${result.stderr}`);
      const sd = ecs.serviceDeployments[0];
      const pauses = sd.hooks.map((h) => h.answeredAt - h.awaitingSince - windowMs);
      const stageMs = sd.plan.reduce((sum, stage) => sum + stage.ms, 0);
      rows.push({ wall: result.ms, pauses, stageMs, calls: ecs.calls.slice(calls).map((c) => c.op) });
    }
  } finally {
    await ecs.close();
    await github.close();
  }
  const counts = {};
  for (const op of rows.at(-1).calls) counts[op] = (counts[op] ?? 0) + 1;
  console.log(
    `\n(c) ECS canary 10% → 100%, a pause before each shift, verdict window ${windowMs} ms each; ${runs} deploys\n`,
  );
  printTable(
    ['measure', 'ms (median of runs)', 'runs'],
    [
      [
        'added per pause, 1st (test listener): answer − hook start − window',
        median(rows.map((r) => r.pauses[0])).toFixed(0),
        rows.map((r) => r.pauses[0].toFixed(0)).join(', '),
      ],
      [
        'added per pause, 2nd (canary 10 %)',
        median(rows.map((r) => r.pauses[1])).toFixed(0),
        rows.map((r) => r.pauses[1].toFixed(0)).join(', '),
      ],
      [
        'whole deploy (CLI, wall)',
        median(rows.map((r) => r.wall)).toFixed(0),
        rows.map((r) => r.wall.toFixed(0)).join(', '),
      ],
      ["the stand-in's own stage and bake time, plus 2 windows", (rows[0].stageMs + 2 * windowMs).toFixed(0), ''],
    ],
  );
  console.log(
    `\nECS calls of the last deploy: ${Object.entries(counts)
      .map(([op, n]) => `${op} ${n}`)
      .join(', ')}`,
  );
}
