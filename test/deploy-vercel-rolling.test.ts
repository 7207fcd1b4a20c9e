// Vercel rolling releases driven by measurements (issue 27), through the deploy bundle against the loopback Vercel
// and GitHub: at each stage the new deployment is probed, the stage approved when it is healthy and the release
// aborted when it is not. Assertions are on what the stand-in serves (the production alias's split at each stage,
// what the canary answered) and on what the ledger says.
import type { ChildProcess } from 'node:child_process';
import { beforeAll, afterAll, describe, expect, test } from '@jest/globals';
import type { RunOptions } from '../cli/local-runner.js';
import { type FakeGitHub, startFakeGitHub } from '../cli/sandbox/github.js';
import type { FakeVercel } from '../cli/sandbox/vercel.js';
import { startFakeSentry } from '../cli/sandbox/sentry.js';
import { rollingVercels, deployToVercel } from './support-vercel-rolling.js';
import { errors } from './support.js';
import { eventually } from './support-waits.js';

let github: FakeGitHub;
const fakeVercel = rollingVercels();
beforeAll(async () => {
  github = await startFakeGitHub();
});
afterAll(async () => {
  await github.close();
});

function deploy(on: FakeVercel, environment: string, inputs: RunOptions['inputs'], options: Partial<RunOptions> = {}) {
  return deployToVercel(on, github, environment, inputs, options);
}

/** Inputs of a rolling deploy whose probes reach the canary through the stand-in's loopback address. */
const rolling = (on: FakeVercel, extra: RunOptions['inputs'] = {}) => ({
  'vercel-rolling-stages': '5,25,100',
  'rolling-check-url': `${on.url}/__deployments/{deployment-id}/`,
  'rolling-requests': 20,
  'rolling-bake': '1500ms',
  'rolling-stage-timeout': '20s',
  ...extra,
});

/** Which deployment answered each of `n` requests to the production alias. */
async function productionSplit(on: FakeVercel, n = 100): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (let i = 0; i < n; i++) {
    const response = await fetch(`${on.url}/__production/`);
    await response.arrayBuffer();
    const id = response.headers.get('x-vercel-deployment-id') ?? 'none';
    counts[id] = (counts[id] ?? 0) + 1;
  }
  return counts;
}

/**
 * While `running` is pending: each time the rolling release is at a new stage, 100 requests to the production alias,
 * and how they were split (keyed by the canary's share).
 */
async function watchStages(on: FakeVercel, running: Promise<unknown>) {
  const seen = new Map<number, Record<string, number>>();
  let done = false;
  void running.finally(() => {
    done = true;
  });
  while (!done) {
    const r = on.rollingRelease();
    if (r?.state === 'ACTIVE' && !seen.has(r.share)) seen.set(r.share, await productionSplit(on));
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return seen;
}

async function statuses(deploymentId: number): Promise<{ state: string; description: string }[]> {
  const response = await fetch(`${github.url}/repos/${github.repository}/deployments/${deploymentId}/statuses`, {
    headers: { authorization: `Bearer ${github.token}` },
  });
  return (await response.json()) as { state: string; description: string }[];
}

async function newestEntry(environment: string) {
  const entry = github.ledger(environment)[0];
  if (!entry) throw new Error('no ledger entry');
  return { ...entry, statuses: (await statuses(entry.id)).map((s) => `${s.state}: ${s.description}`) };
}

describe('a Vercel rolling release driven by measurements', () => {
  test('errors rising at the first stage: aborted at 5%; production serves the old deployment to everyone; the ledger says "stopped at 5%"', async () => {
    const on = await fakeVercel();
    const first = await deploy(on, 'rolling-abort', {});
    expect(errors(first)).toEqual([]);
    const old = on.production() as string;

    on.failRequestsOfNextDeployment();
    const running = deploy(on, 'rolling-abort', rolling(on));
    const split = await watchStages(on, running);
    const result = await running;
    const canary = [...on.deployments.values()].at(-1)?.id as string;

    expect(result.exitCode).not.toBe(0);
    expect(errors(result).join('\n')).toContain('stopped at 5%');
    // At its first stage the production alias sent 5 of every 100 requests to the canary; there was no second stage.
    expect([...split.keys()]).toEqual([5]);
    expect(split.get(5)).toEqual({ [old]: 95, [canary]: 5 });
    expect(on.stagesReached.filter((s) => s.canaryDeploymentId === canary).map((s) => s.share)).toEqual([5]);
    // What the probes met: the canary's own answers, all failing, and only while it served 5%.
    const probes = on.served.filter((s) => s.via === 'deployment' && s.deploymentId === canary);
    expect(probes.length).toBe(20);
    expect(new Set(probes.map((s) => s.status))).toEqual(new Set([500]));
    // No approval was ever sent, and the abort is the rollback `vercel rolling-release abort` sends.
    expect(on.server.requests.some((r) => r.path.includes('/rolling-release/approve-stage'))).toBe(false);
    expect(on.aliasJobs.at(-1)).toMatchObject({ type: 'rollback', toDeploymentId: old });
    expect(on.rollingRelease()?.state).toBe('ABORTED');
    expect(on.production()).toBe(old);
    expect(await productionSplit(on)).toEqual({ [old]: 100 });

    const entry = await newestEntry('rolling-abort');
    expect(entry.release).toBe(canary);
    expect(entry.state).toBe('failure');
    expect(entry.statuses[0]).toMatch(/^failure: stopped at 5%: 20 of 20 requests failed \(100%\)/);
    expect(entry.statuses).toContain('in_progress: rolling 5%: unhealthy, 20 of 20 requests failed (100%)');
    expect(result.summary).toContain('stopped at 5%');
    expect(result.summary).toContain('```mermaid');
  }, 120_000);

  test('a healthy release is approved stage by stage and completes: 5% → 25% → 100%, recorded live', async () => {
    const on = await fakeVercel();
    await deploy(on, 'rolling-healthy', {});
    const old = on.production() as string;

    const running = deploy(on, 'rolling-healthy', rolling(on));
    const split = await watchStages(on, running);
    const result = await running;
    const canary = [...on.deployments.values()].at(-1)?.id as string;

    expect(errors(result)).toEqual([]);
    expect(split.get(5)).toEqual({ [old]: 95, [canary]: 5 });
    expect(split.get(25)).toEqual({ [old]: 75, [canary]: 25 });
    expect(on.stagesReached.filter((s) => s.canaryDeploymentId === canary).map((s) => s.share)).toEqual([5, 25, 100]);
    // Each approval names the stage it leaves and the canary, as `vercel rolling-release approve` does.
    const approvals = on.server.requests
      .filter((r) => r.path.includes('/rolling-release/approve-stage'))
      .map((r) => JSON.parse(r.body) as unknown);
    expect(approvals).toEqual([
      { activeStageIndex: 0, nextStageIndex: 1, canaryDeploymentId: canary },
      { activeStageIndex: 1, nextStageIndex: 2, canaryDeploymentId: canary },
    ]);
    expect(on.production()).toBe(canary);
    expect(await productionSplit(on)).toEqual({ [canary]: 100 });

    const entry = await newestEntry('rolling-healthy');
    expect(entry.state).toBe('success');
    expect(entry.statuses[0]).toBe(`success: live: ${canary} (rolled out over 5% → 25% → 100%)`);
    expect(entry.statuses).toContain('in_progress: rolling 5%: healthy, 0 of 20 requests failed (0%)');
    expect(entry.statuses).toContain('in_progress: rolling 25%: healthy, 0 of 20 requests failed (0%)');
    expect(result.summary).toContain('x-axis "stage" ["5%", "25%"]');
  }, 120_000);
});

/** Starts a rolling deploy and kills its process while it judges the rolling release's first stage. */
async function killedAtFirstStage(on: FakeVercel, environment: string): Promise<string> {
  let child: ChildProcess | undefined;
  const running = deploy(on, environment, rolling(on, { 'rolling-bake': '60s' }), {
    onSpawn: (c) => {
      child = c;
    },
  });
  // Killed while it probes the first stage (after it recorded the release in the ledger).
  const probing = () => on.served.some((s) => s.via === 'deployment');
  for (let i = 0; i < 400 && !probing(); i++) await new Promise((resolve) => setTimeout(resolve, 50));
  child?.kill('SIGKILL');
  await running;
  const r = on.rollingRelease();
  expect(r).toMatchObject({ state: 'ACTIVE', share: 5 });
  return r?.canaryDeploymentId as string;
}

describe('a step killed mid-rollout', () => {
  test('the next run of the same commit resumes the rolling release from its stage: one rollout, completed', async () => {
    const on = await fakeVercel();
    await deploy(on, 'rolling-resume', {});
    const canary = await killedAtFirstStage(on, 'rolling-resume');
    const deploymentsBefore = on.deployments.size;

    const result = await deploy(on, 'rolling-resume', rolling(on, { 'rolling-bake': '1ms' }));
    expect(errors(result)).toEqual([]);
    expect(result.stdout).toContain('resuming it');
    // No second deployment, no second rolling release: the same canary went on to 100%.
    expect(on.deployments.size).toBe(deploymentsBefore);
    expect(new Set(on.stagesReached.map((s) => s.canaryDeploymentId))).toEqual(new Set([canary]));
    expect(on.stagesReached.map((s) => s.share)).toEqual([5, 25, 100]);
    expect(on.production()).toBe(canary);
    const entry = await newestEntry('rolling-resume');
    expect(entry).toMatchObject({ release: canary, state: 'success' });
  }, 180_000);

  test('a run of another commit aborts the left-over rolling release before deploying, and records it stopped', async () => {
    const on = await fakeVercel();
    await deploy(on, 'rolling-other', {});
    const old = on.production() as string;
    const canary = await killedAtFirstStage(on, 'rolling-other');

    const result = await deploy(on, 'rolling-other', rolling(on, { 'rolling-bake': '1ms' }), {
      env: { GITHUB_SHA: 'fedcba9876543210fedcba9876543210fedcba98' },
    });
    expect(errors(result)).toEqual([]);
    const newest = [...on.deployments.values()].at(-1)?.id as string;
    expect(newest).not.toBe(canary);
    // The left-over release was aborted (a rollback to what production served) before the new one started.
    const abortAt = on.aliasJobs.findIndex((j) => j.type === 'rollback' && j.toDeploymentId === old);
    expect(abortAt).toBeGreaterThanOrEqual(0);
    expect(on.stagesReached.filter((s) => s.canaryDeploymentId === canary).map((s) => s.share)).toEqual([5]);
    // The new deployment went through its own stages: after the abort's rollback it is promoted, which with rolling
    // releases on starts a rolling release.
    expect(on.stagesReached.filter((s) => s.canaryDeploymentId === newest).map((s) => s.share)).toEqual([5, 25, 100]);
    expect(on.production()).toBe(newest);
    const ledger = github.ledger('rolling-other');
    const left = ledger.find((e) => e.release === canary);
    expect(left?.state).toBe('failure');
    expect((await statuses(left?.id as number))[0]?.description).toMatch(/^stopped at 5%: aborted by a later run/);
  }, 180_000);
});

describe('no stage waits forever', () => {
  test('a left-over stage idle past rolling-stage-timeout is aborted, and an approved stage that does not move on within it is aborted too', async () => {
    const on = await fakeVercel();
    await deploy(on, 'rolling-timeout', {});
    const canary = await killedAtFirstStage(on, 'rolling-timeout');
    // Vercel takes 200 ms to shift traffic after an approval: a 100 ms stage timeout is always passed.
    await new Promise((resolve) => setTimeout(resolve, 300));

    const result = await deploy(
      on,
      'rolling-timeout',
      rolling(on, { 'rolling-bake': '1ms', 'rolling-stage-timeout': '100ms' }),
    );
    const errorText = errors(result).join('\n');
    expect(result.stdout).toContain(`aborting the rolling release of ${canary} at 5%`);
    const left = github.ledger('rolling-timeout').find((e) => e.release === canary);
    expect((await statuses(left?.id as number))[0]?.description).toMatch(
      /^stopped at 5%: aborted by a later run: its stage at 5% waited .*, over rolling-stage-timeout 100ms/,
    );
    // The run's own release: healthy at 5%, approved, and aborted when traffic had not moved on within the timeout.
    const newest = [...on.deployments.values()].at(-1)?.id as string;
    expect(newest).not.toBe(canary);
    expect(errorText).toContain('stopped at 5%: the stage at 5% did not move on within rolling-stage-timeout 100ms');
    expect(on.rollingRelease()).toMatchObject({ canaryDeploymentId: newest, state: 'ABORTED' });
    expect(on.production()).not.toBe(newest);
    expect(on.production()).not.toBe(canary);
  }, 180_000);
});

describe("Sentry's new issues for the release, read at the end of each stage", () => {
  test('a canary that answers every probe but raises new Sentry issues at 5% is aborted there, the ledger naming the gate', async () => {
    const sentry = await startFakeSentry({ ingestMs: 100 });
    try {
      const on = await fakeVercel();
      await deploy(on, 'rolling-sentry', {});
      const old = on.production() as string;
      const sentryInputs = {
        'sentry-url': sentry.url,
        'sentry-org': sentry.org,
        'sentry-project': sentry.project,
        'sentry-token': sentry.token,
        'rolling-sentry-max-new-issues': '0',
      };
      const running = deploy(on, 'rolling-sentry', rolling(on, sentryInputs));
      const sha = '0123456789abcdef0123456789abcdef01234567';
      // The canary's first probe: its first stage has begun after the gate's window opened, and the stage's verdict
      // (Sentry read at the end of the 1.5 s bake) is still to come.
      await eventually(
        on.server.waitForRequest((r) => r.path.startsWith('/__deployments/')),
        'the first probe of the canary',
      );
      sentry.raiseIssue(sha, { title: "TypeError: cannot read 'total'", environment: 'rolling-sentry' });
      const result = await running;
      const canary = [...on.deployments.values()].at(-1)?.id as string;

      expect(result.exitCode).not.toBe(0);
      expect(errors(result).join('\n')).toContain('stopped at 5%: sentry new issues: 1 new issue');
      // The probes all passed: Sentry alone stopped it.
      const probes = on.served.filter((s) => s.via === 'deployment' && s.deploymentId === canary);
      expect(new Set(probes.map((s) => s.status))).toEqual(new Set([200]));
      expect(on.stagesReached.filter((s) => s.canaryDeploymentId === canary).map((s) => s.share)).toEqual([5]);
      expect(on.production()).toBe(old);
      const entry = await newestEntry('rolling-sentry');
      expect(entry.statuses[0]).toMatch(/^failure: stopped at 5%: sentry new issues: 1 new issue/);
      expect(entry.statuses).toContainEqual(
        expect.stringMatching(/^in_progress: rolling 5%: unhealthy, 0 of 20 requests failed \(0%\); sentry new issues/),
      );
    } finally {
      await sentry.close();
    }
  }, 120_000);
});
