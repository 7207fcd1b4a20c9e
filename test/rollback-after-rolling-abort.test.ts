// The pipeline's rollback after a Vercel rolling release that was stopped at promote. The production pipeline
// deploys `target: staged`, then `command: promote` starts a rolling release; its first stage is unhealthy, so deploy
// aborts it and Vercel serves the previous deployment to everyone again. The job has failed, so the pipeline's
// rollback step runs (deploy-environment.yml "Roll back": failed-deployment-id the staged release) with the same
// ledger. Production already serves the release it served before: the rollback must change nothing at Vercel, must
// not restore the aborted release nor roll back past the live one, and must leave the ledger's "stopped at 5%" record.
// Through the deploy and rollback bundles against the loopback Vercel and GitHub.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { type RunOptions, runBundle } from '../cli/local-runner.js';
import { type FakeGitHub, startFakeGitHub } from '../cli/sandbox/github.js';
import type { FakeVercel } from '../cli/sandbox/vercel.js';
import { rollingVercels, staticSite } from './support-vercel-rolling.js';
import { errors, exampleEvent } from './support.js';

let github: FakeGitHub;
const fakeVercel = rollingVercels();
beforeAll(async () => {
  github = await startFakeGitHub();
});
afterAll(async () => {
  await github.close();
});

const sha = (n: number) => n.toString(16).padStart(4, '0').padEnd(40, 'c');
const env = (commit: string) => ({
  GITHUB_API_URL: github.url,
  GITHUB_REPOSITORY: github.repository,
  GITHUB_SHA: commit,
});

function vercelInputs(on: FakeVercel, environment: string): RunOptions['inputs'] {
  return {
    provider: 'vercel',
    token: on.token,
    project: on.projectId,
    team: on.teamId,
    'api-url': on.url,
    'github-token': github.token,
    environment,
    'wait-timeout': '30s',
  };
}

function deploy(on: FakeVercel, environment: string, commit: string, inputs: RunOptions['inputs']) {
  return runBundle({
    action: 'deploy',
    inputs: { ...vercelInputs(on, environment), ...inputs },
    event: exampleEvent('push', (p) => Boolean(p.head_commit)),
    timeoutMs: 90_000,
    env: env(commit),
  });
}

/** The rollback step; a release it restores is checked on the loopback Vercel (`restores`, by default the live one). */
function rollback(
  on: FakeVercel,
  environment: string,
  commit: string,
  inputs: RunOptions['inputs'],
  restores = on.production() as string,
) {
  return runBundle({
    action: 'rollback',
    inputs: { ...vercelInputs(on, environment), 'verify-url': `${on.url}/__deployments/${restores}/`, ...inputs },
    event: exampleEvent('push', (p) => Boolean(p.head_commit)),
    timeoutMs: 90_000,
    env: env(commit),
  });
}

/** Two production releases, then a third staged and promoted with rolling stages whose first stage fails. */
async function abortedAtPromote(on: FakeVercel, environment: string) {
  const first = await deploy(on, environment, sha(1), { target: 'production', dir: staticSite() });
  expect(errors(first)).toEqual([]);
  const second = await deploy(on, environment, sha(2), { target: 'production', dir: staticSite() });
  expect(errors(second)).toEqual([]);
  const live = on.production() as string;
  expect(live).toBe(second.outputs['deployment-id']);
  on.failRequestsOfNextDeployment();
  const staged = await deploy(on, environment, sha(3), { target: 'staged', dir: staticSite() });
  expect(errors(staged)).toEqual([]);
  const aborted = staged.outputs['deployment-id'] as string;
  const promoted = await deploy(on, environment, sha(3), {
    command: 'promote',
    'deployment-id': aborted,
    'vercel-rolling-stages': '5,25,100',
    'rolling-check-url': `${on.url}/__deployments/{deployment-id}/`,
    'rolling-requests': 10,
    'rolling-bake': '200ms',
    'rolling-stage-timeout': '20s',
  });
  expect(promoted.exitCode).not.toBe(0);
  expect(promoted.outputs.rollout).toMatch(/^stopped at 5%: /);
  expect(on.rollingRelease()).toMatchObject({ state: 'ABORTED', canaryDeploymentId: aborted });
  expect(on.production()).toBe(live);
  return { first: first.outputs['deployment-id'] as string, live, aborted };
}

async function statuses(environment: string, release: string): Promise<string[]> {
  const entry = github.ledger(environment).find((e) => e.release === release);
  if (!entry) throw new Error(`no ledger entry for ${release}`);
  const response = await fetch(`${github.url}/repos/${github.repository}/deployments/${entry.id}/statuses`, {
    headers: { authorization: `Bearer ${github.token}` },
  });
  return ((await response.json()) as { state: string; description: string }[]).map(
    (s) => `${s.state}: ${s.description}`,
  );
}

/** Requests that change what production serves: promotes, rollbacks, alias assignments, rolling-release calls. */
const switches = (on: FakeVercel) =>
  on.server.requests.filter(
    (r) =>
      r.method !== 'GET' &&
      /\/promote\/|\/rollback\/|\/aliases|\/rolling-release\/(approve-stage|complete|abort)/.test(r.path),
  ).length;

describe('rollback after a rolling release aborted at promote', () => {
  test('the pipeline\'s rollback (failed-deployment-id the aborted release) changes nothing: the previous release already serves everyone, and the ledger keeps "stopped at 5%"', async () => {
    const on = await fakeVercel();
    const environment = 'rolling-aborted-pipeline';
    const { live, aborted } = await abortedAtPromote(on, environment);
    const before = switches(on);
    const stopped = await statuses(environment, aborted);
    expect(stopped[0]).toMatch(/^failure: stopped at 5%: /);

    const result = await rollback(on, environment, sha(3), {
      'failed-deployment-id': aborted,
      reason: 'deploy pipeline failed',
    });
    expect(errors(result)).toEqual([]);
    expect(result.exitCode).toBe(0);
    expect(result.outputs.changed).toBe('false');
    expect(result.outputs['restored-deployment-id']).toBe(live);
    expect(result.outputs['rolled-back-deployment-id']).toBeUndefined();
    expect(result.summary).toMatch(new RegExp(`no change: ${aborted} is not live \\(production serves ${live}\\)`));
    // Vercel: nothing switched, the previous release serves everyone, the aborted rolling release stays aborted.
    expect(switches(on)).toBe(before);
    expect(on.production()).toBe(live);
    expect(on.rollingRelease()).toMatchObject({ state: 'ABORTED', canaryDeploymentId: aborted });
    // The ledger: the aborted release's record still says where and why it stopped; the live one is still live.
    expect(await statuses(environment, aborted)).toEqual(stopped);
    const ledger = github.ledger(environment);
    expect(ledger.find((e) => e.release === live)).toMatchObject({ state: 'success' });
    expect(ledger.find((e) => e.release === aborted)).toMatchObject({ state: 'failure' });

    // A re-run of the same step (the safety net, a person) changes nothing either: never a second rollback.
    const again = await rollback(on, environment, sha(3), {
      'failed-deployment-id': aborted,
      reason: 'deploy pipeline failed',
    });
    expect(errors(again)).toEqual([]);
    expect(again.outputs.changed).toBe('false');
    expect(switches(on)).toBe(before);
    expect(on.production()).toBe(live);
    expect(await statuses(environment, aborted)).toEqual(stopped);
  }, 180_000);

  test("the safety net by commit (failed-commit the aborted release's) finds it not live and changes nothing", async () => {
    const on = await fakeVercel();
    const environment = 'rolling-aborted-safety-net';
    const { live, aborted } = await abortedAtPromote(on, environment);
    const before = switches(on);
    const result = await rollback(on, environment, sha(3), { 'failed-commit': sha(3), reason: 'safety net' });
    expect(errors(result)).toEqual([]);
    expect(result.outputs.changed).toBe('false');
    expect(result.outputs['restored-deployment-id']).toBe(live);
    expect(switches(on)).toBe(before);
    expect(on.production()).toBe(live);
    expect((await statuses(environment, aborted))[0]).toMatch(/^failure: stopped at 5%: /);
  }, 180_000);

  test('a rollback to previous afterwards goes one back from the live release, never to the aborted one', async () => {
    const on = await fakeVercel();
    const environment = 'rolling-aborted-previous';
    const { first, live, aborted } = await abortedAtPromote(on, environment);
    const result = await rollback(on, environment, sha(4), { target: 'previous', reason: 'a person asked' }, first);
    expect(errors(result)).toEqual([]);
    expect(result.outputs.changed).toBe('true');
    expect(result.outputs['restored-deployment-id']).toBe(first);
    expect(result.outputs['rolled-back-deployment-id']).toBe(live);
    expect(on.production()).toBe(first);
    expect(on.production()).not.toBe(aborted);
    expect(github.ledger(environment).find((e) => e.release === aborted)).toMatchObject({ state: 'failure' });
  }, 180_000);

  test("without the ledger (from Vercel's own history), previous also goes one back from the live release: the abort's rollback job, to the deployment already serving, restored nothing", async () => {
    const on = await fakeVercel();
    const environment = 'rolling-aborted-no-ledger';
    const { first, live, aborted } = await abortedAtPromote(on, environment);
    const result = await rollback(
      on,
      environment,
      sha(4),
      { 'github-token': '', target: 'previous', reason: 'a person asked' },
      first,
    );
    expect(errors(result)).toEqual([]);
    expect(result.stdout).not.toContain(`was restored from ${live}`);
    expect(result.outputs.changed).toBe('true');
    expect(result.outputs['restored-deployment-id']).toBe(first);
    expect(result.outputs['rolled-back-deployment-id']).toBe(live);
    expect(on.production()).toBe(first);
    expect(on.production()).not.toBe(aborted);
  }, 180_000);
});
