// A Railway rollback of several services moves every service or none, and a mixed state (services on different
// releases) is never recorded or restored as a release. Through the bundles (dist/rollback, dist/deploy), against
// the loopback Railway (cli/sandbox/railway.ts) and the loopback GitHub holding the ledger (cli/sandbox/github.ts);
// the fault-injection test stops the step at each Railway call of a rollback (a kill, a GraphQL error, a 500)
// and checks, after a re-run, what each service serves and what the ledger says.
import type { ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { type RunOptions, type RunResult, runBundle } from '../cli/local-runner.js';
import { type FakeGitHub, type FakeGitHubDeployment, startFakeGitHub } from '../cli/sandbox/github.js';
import { type FakeRailway, type FakeRailwayDeployment, startFakeRailway } from '../cli/sandbox/railway.js';
import { errors } from './support.js';
import { until } from './support-waits.js';

let railway: FakeRailway;
let github: FakeGitHub;
let app: Server;
let appUrl: string;

beforeAll(async () => {
  railway = await startFakeRailway({ buildMs: 300, deployMs: 100 });
  github = await startFakeGitHub();
  app = createServer((_req, res) => res.writeHead(200).end('ok'));
  await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
  appUrl = `http://127.0.0.1:${(app.address() as AddressInfo).port}/`;
});
afterAll(async () => {
  await railway.close();
  await github.close();
  await new Promise((resolve) => app.close(resolve));
});

const backend = () => railway.services[0]!;
const frontend = () => railway.services[1]!;
const sha = (n: number) => n.toString(16).padStart(4, '0').padEnd(40, 'b');

function inputs(extra: RunOptions['inputs'] = {}): RunOptions['inputs'] {
  return {
    provider: 'railway',
    token: railway.projectToken,
    project: railway.projectId,
    'railway-environment': railway.environmentId,
    services: `${backend().id},${frontend().id}`,
    'api-url': railway.url,
    'github-token': github.token,
    ...extra,
  };
}

function deploy(commit: string): Promise<RunResult> {
  return runBundle({
    action: 'deploy',
    inputs: inputs({ target: 'production', 'wait-timeout': '60s' }),
    env: { GITHUB_API_URL: github.url, GITHUB_REPOSITORY: github.repository, GITHUB_SHA: commit },
    event: { name: 'push', payload: {} },
    timeoutMs: 90_000,
  });
}

/** Stops the step at a Railway call: `at` says which (the operation's name, its index among this run's calls). */
type KillAt = (operation: string, index: number) => boolean;

/**
 * The rollback step. `killAt`: the child is killed (SIGKILL) at the first Railway call it names, once Railway has
 * acted on the call and before its answer arrives: what a lost runner or a cancelled job leaves behind.
 */
function rollback(extra: RunOptions['inputs'] = {}, killAt?: KillAt): Promise<RunResult> {
  let child: ChildProcess | undefined;
  let killed = false;
  const first = railway.operations.length;
  railway.afterOperation = (operation, index) => {
    if (killAt && !killed && killAt(operation, index - first)) {
      killed = true;
      child?.kill('SIGKILL');
    }
  };
  return runBundle({
    action: 'rollback',
    inputs: inputs({ 'verify-url': appUrl, 'wait-timeout': '60s', ...extra }),
    env: { GITHUB_API_URL: github.url, GITHUB_REPOSITORY: github.repository },
    event: { name: 'workflow_dispatch', payload: { inputs: {} } },
    timeoutMs: 90_000,
    onSpawn: (c) => {
      child = c;
    },
  }).finally(() => {
    railway.afterOperation = undefined;
  });
}

/** Kills at the first deploymentRollback Railway acted on: one service switches, the other has not started. */
const afterFirstSwitch: KillAt = (operation) => operation === 'DeploymentRollback';

/** The commit of the deployment a service serves (a rollback deployment carries the commit it restores). */
const commitServed = (serviceId: string) => railway.deployments.get(railway.serving(serviceId) as string)?.commitHash;
const commitsServed = () => railway.services.map((s) => commitServed(s.id));
/** The release id of what the services serve now, as the ledger and the outputs write it. */
const servedId = () => railway.services.map((s) => `${s.id}=${railway.serving(s.id)}`).join(',');
/** The commits of the deployments a release id names. */
const commitsOf = (releaseId: string) =>
  releaseId.split(',').map((pair) => railway.deployments.get(pair.split('=')[1] as string)?.commitHash);
const entryOf = (releaseId: string) => github.ledger('production').find((e) => e.release === releaseId);

/** The ledger entries (newer than entry `since`) ever set success (live) while naming services on different commits. */
const mixedEverLive = (since = 0) =>
  github.deployments
    .filter((d) => d.id > since && d.environment === 'production' && d.statuses.some((st) => st.state === 'success'))
    .map((d) => (d.payload as { release: { id: string } }).release.id)
    .filter((id) => new Set(commitsOf(id)).size !== 1);

function expectNoMixedRelease(): void {
  expect(mixedEverLive()).toEqual([]);
}

/** Waits until Railway serves `commit` on the service (a switch the killed run started goes live by itself). */
async function untilServes(serviceId: string, commit: string): Promise<void> {
  await until(`Railway to serve ${commit} on ${serviceId}`, () => commitServed(serviceId) === commit, {
    tries: 500,
    everyMs: 20,
  });
}

/** A good release, then a bad one on top of it; both recorded live in the ledger. */
async function goodThenBad(good: number, bad: number): Promise<{ good: string; bad: string }> {
  const first = await deploy(sha(good));
  expect(first.exitCode).toBe(0);
  const second = await deploy(sha(bad));
  expect(second.exitCode).toBe(0);
  expect(commitsServed()).toEqual([sha(bad), sha(bad)]);
  return { good: first.outputs['deployment-id'] as string, bad: second.outputs['deployment-id'] as string };
}

describe('a rollback of several services moves every service or none', () => {
  let bad: string;

  test('the second service’s rollback refused: the first is put back, the step fails saying where each service is, the ledger is unchanged', async () => {
    ({ bad } = await goodThenBad(10, 11));
    railway.failRollback(frontend().id);
    const result = await rollback({ reason: 'smoke test failed' });
    expect(result.exitCode).toBe(1);
    const message = errors(result).join('\n');
    expect(message).toContain(`frontend (${frontend().id}) could not be switched to`);
    expect(message).toContain('Problem processing request');
    expect(message).toMatch(
      new RegExp(
        `each is back where it was\\. frontend \\(${frontend().id}\\) serves \\S+ as before; backend \\(${backend().id}\\) was put back on`,
      ),
    );
    expect(commitsServed()).toEqual([sha(11), sha(11)]);
    expect(result.outputs.changed).toBeUndefined();
    // Nothing changed, so nothing was recorded: the bad release is still the live one in the ledger.
    expect(github.ledger('production')[0]).toMatchObject({ release: bad, state: 'success' });
    expectNoMixedRelease();
  });

  test('the re-run rolls every service back to the release before the bad one and records it', async () => {
    // The backend's put-back was a rollback deployment of the bad release's: the same release under a new id.
    const servedBefore = servedId();
    expect(commitsOf(servedBefore)).toEqual([sha(11), sha(11)]);
    const result = await rollback({ reason: 'smoke test failed' });
    expect(result.exitCode).toBe(0);
    expect(result.outputs).toMatchObject({
      changed: 'true',
      'rolled-back-deployment-id': servedBefore,
      'restored-deployment-id': servedId(),
    });
    expect(commitsServed()).toEqual([sha(10), sha(10)]);
    expect(github.ledger('production')[0]).toMatchObject({ release: servedId(), state: 'success', rollback: true });
    expect(entryOf(bad)?.state).toBe('failure');
    expectNoMixedRelease();
  });

  test('killed after the first service switched: the re-run finds the mix at Railway and completes the rollback; the mix is never recorded', async () => {
    const { good, bad: bad2 } = await goodThenBad(12, 13);
    const killed = await rollback({ reason: 'smoke test failed' }, afterFirstSwitch);
    expect(killed.signal).toBe('SIGKILL');
    await untilServes(backend().id, sha(12));
    expect(commitsServed()).toEqual([sha(12), sha(13)]);

    const result = await rollback({ reason: 'smoke test failed' });
    expect(result.exitCode).toBe(0);
    expect(result.visibleStdout).toContain('serves no single release');
    expect(commitsServed()).toEqual([sha(12), sha(12)]);
    expect(result.outputs).toMatchObject({ changed: 'true', 'restored-deployment-id': servedId() });
    expect(github.ledger('production')[0]).toMatchObject({ release: servedId(), state: 'success', rollback: true });
    expect(entryOf(bad2)?.state).toBe('failure');
    expect(entryOf(good)?.state).toMatch(/^(success|inactive)$/);
    expectNoMixedRelease();

    // Settled: one more run changes nothing.
    const again = await rollback({});
    expect(again.exitCode).toBe(0);
    expect(again.outputs.changed).toBe('false');
    expect(commitsServed()).toEqual([sha(12), sha(12)]);
  });

  test("without the ledger, a re-run after the kill completes the rollback from Railway's history alone", async () => {
    await goodThenBad(14, 15);
    const killed = await rollback({ 'github-token': '' }, afterFirstSwitch);
    expect(killed.signal).toBe('SIGKILL');
    await untilServes(backend().id, sha(14));
    const result = await rollback({ 'github-token': '' });
    expect(result.exitCode).toBe(0);
    expect(commitsServed()).toEqual([sha(14), sha(14)]);
    expect(result.outputs['restored-deployment-id']).toBe(servedId());
  });
});

// The in-job rollback (deploy-environment.yml's Roll back step: rollback with failed-deployment-id, after the
// deploy step or a later check failed) never takes a mix of the failed release and the one before as the good one.
describe('the in-job rollback of a failed deploy settles a mixed state, never keeps it', () => {
  const inJob = (failed: string, killAt?: KillAt) =>
    rollback({ 'failed-deployment-id': failed, reason: 'deploy pipeline failed' }, killAt);

  test('a deploy that failed in one service and could not put the other back: the in-job rollback puts every service on the release before it', async () => {
    const good = await deploy(sha(20));
    expect(good.exitCode).toBe(0);
    railway.failNext(frontend().id, 'FAILED');
    railway.failRollback(backend().id);
    const failed = await deploy(sha(21));
    expect(failed.exitCode).toBe(1);
    expect(errors(failed).join('\n')).toContain(`Could not be put back: backend (${backend().id})`);
    expect(commitsServed()).toEqual([sha(21), sha(20)]);

    const result = await inJob(failed.outputs['deployment-id'] as string);
    expect(result.exitCode).toBe(0);
    expect(result.outputs).toMatchObject({ changed: 'true', 'restored-deployment-id': servedId() });
    expect(commitsServed()).toEqual([sha(20), sha(20)]);
    // The release before stays good (it is what was restored); the failed one stays failed; the mix is no entry.
    expect(entryOf(good.outputs['deployment-id'] as string)?.state).toMatch(/^(success|inactive)$/);
    expect(entryOf(failed.outputs['deployment-id'] as string)?.state).toBe('failure');
    expect(github.ledger('production')[0]).toMatchObject({ release: servedId(), state: 'success', rollback: true });
    expectNoMixedRelease();
  });

  test('the in-job rollback killed after its first service switched: its re-run completes it', async () => {
    const { good, bad } = await goodThenBad(22, 23);
    const killed = await inJob(bad, afterFirstSwitch);
    expect(killed.signal).toBe('SIGKILL');
    await untilServes(backend().id, sha(22));
    expect(commitsServed()).toEqual([sha(22), sha(23)]);

    const result = await inJob(bad);
    expect(result.exitCode).toBe(0);
    expect(result.outputs).toMatchObject({ changed: 'true', 'restored-deployment-id': servedId() });
    expect(commitsServed()).toEqual([sha(22), sha(22)]);
    expect(entryOf(bad)?.state).toBe('failure');
    expect(entryOf(good)?.state).toMatch(/^(success|inactive)$/);
    expectNoMixedRelease();
  });
});

// Every Railway call of a two-service rollback, stopped in turn: killed once Railway acted on it, answered with a
// GraphQL error, and (for the mutations, which are never retried) a 500. Each run starts from the same state (a
// good release, then a bad one live, both in the ledger); after the stopped run and a re-run of the same step,
// every service serves the good release and the ledger says so.
describe('fault injection at each Railway call of a multi-service rollback', () => {
  type Fault = 'kill' | 'graphql-error' | 'http-500';
  let state: { railway: FakeRailwayDeployment[]; github: FakeGitHubDeployment[] };
  let releases: { good: string; bad: string };
  let calls: string[];

  const save = () => ({
    railway: [...railway.deployments.values()].map((d) => ({ ...d })),
    github: structuredClone(github.deployments),
  });
  const restore = () => {
    railway.deployments.clear();
    for (const d of state.railway) railway.deployments.set(d.id, { ...d });
    github.deployments.splice(0, github.deployments.length, ...structuredClone(state.github));
  };

  beforeAll(async () => {
    releases = await goodThenBad(40, 41);
    state = save();
    // The calls of an undisturbed rollback, by name: the ones to stop at.
    const first = railway.operations.length;
    const clean = await rollback({ reason: 'smoke test failed' });
    expect(clean.exitCode).toBe(0);
    calls = railway.operations.slice(first);
    expect(calls.filter((c) => c === 'DeploymentRollback')).toHaveLength(2);
  }, 300_000);

  /** What is wrong after the stopped run and its re-run, in words (empty: nothing). */
  async function stopAt(fault: Fault, index: number): Promise<string[]> {
    restore();
    railway.server.clearFaults();
    const label = `${fault} at call ${index} (${calls[index]})`;
    // Only what this run and its re-run write is theirs to answer for.
    const since = Math.max(0, ...state.github.map((d) => d.id));
    const problems: string[] = [];
    if (fault !== 'kill') {
      const answer =
        fault === 'http-500'
          ? { kind: 'status' as const, status: 500, body: 'internal error' }
          : {
              kind: 'status' as const,
              status: 200,
              body: '{"data":null,"errors":[{"message":"Problem processing request"}]}',
              headers: { 'content-type': 'application/json' },
            };
      railway.server.inject(
        /\/graphql\/v2/,
        ...Array.from({ length: index }, () => ({ kind: 'delay' as const, ms: 0 })),
        answer,
      );
    }
    const stopped = await rollback(
      { reason: 'smoke test failed' },
      fault === 'kill' ? (_operation, i) => i === index : undefined,
    );
    railway.server.clearFaults();
    const after = commitsServed();
    if (fault === 'kill') {
      if (stopped.signal !== 'SIGKILL' && stopped.exitCode !== 0)
        problems.push(`${label}: the run was not killed and failed: ${errors(stopped).join(' ')}`);
    } else if (stopped.exitCode !== 0) {
      // A step that failed moved nothing: every service serves the bad release still, and the ledger says so.
      if (after.some((c) => c !== sha(41)))
        problems.push(`${label}: failed, but the services serve ${after.join(', ')}`);
      const newest = github.ledger('production')[0];
      if (newest?.release !== releases.bad || newest.state !== 'success')
        problems.push(`${label}: failed, but the ledger changed (its newest entry: ${JSON.stringify(newest)})`);
    }
    if (mixedEverLive(since).length > 0)
      problems.push(`${label}: a mixed release was recorded live after the stopped run`);

    const rerun = await rollback({ reason: 'smoke test failed' });
    const served = commitsServed();
    if (rerun.exitCode !== 0) problems.push(`${label}: the re-run failed: ${errors(rerun).join(' ')}`);
    if (served.some((c) => c !== sha(40)))
      problems.push(`${label}: after the re-run the services serve ${served.join(', ')}`);
    const ledger = github.ledger('production');
    const live = ledger.find((e) => e.state === 'success');
    if (live?.release !== servedId())
      problems.push(`${label}: the ledger's live release is ${live?.release}, not what Railway serves (${servedId()})`);
    if (entryOf(releases.bad)?.state !== 'failure')
      problems.push(`${label}: the bad release is ${entryOf(releases.bad)?.state} in the ledger`);
    if (!/^(success|inactive)$/.test(entryOf(releases.good)?.state ?? ''))
      problems.push(`${label}: the good release is ${entryOf(releases.good)?.state} in the ledger`);
    if (mixedEverLive(since).length > 0) problems.push(`${label}: a mixed release was recorded live`);
    return problems;
  }

  test.each<[Fault]>([['kill'], ['graphql-error']])(
    '%s at each call: after a re-run every service serves the good release, and the ledger agrees',
    async (fault) => {
      const problems: string[] = [];
      for (let i = 0; i < calls.length; i++) problems.push(...(await stopAt(fault, i)));
      expect(problems).toEqual([]);
    },
    900_000,
  );

  test('a 500 on each deploymentRollback (a mutation is never retried): every service moves or none, and the re-run completes', async () => {
    const problems: string[] = [];
    for (const [i, call] of calls.entries())
      if (call === 'DeploymentRollback') problems.push(...(await stopAt('http-500', i)));
    expect(problems).toEqual([]);
  }, 300_000);
});
