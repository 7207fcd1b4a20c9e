// On Vercel, shipline's production pipeline deploys `target: staged` (built, domains untouched), smoke-tests it,
// then promotes it: the promote is where production traffic moves. With rolling releases on, `vercel promote` starts
// a rolling release rather than switching everything (commands/promote/status.ts stops at "Rolling Release serving
// traffic at initial percentage N"), so deploy's command promote drives it stage by stage, as a production deploy
// does. Through the deploy bundle against the loopback Vercel and GitHub.
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

/** The deploy bundle with `inputs` alone deciding the target and the site (a promote has neither). */
function deploy(on: FakeVercel, environment: string, inputs: RunOptions['inputs']) {
  return runBundle({
    action: 'deploy',
    inputs: {
      provider: 'vercel',
      token: on.token,
      project: on.projectId,
      team: on.teamId,
      'api-url': on.url,
      'github-token': github.token,
      environment,
      'wait-timeout': '30s',
      ...inputs,
    },
    event: exampleEvent('push', (p) => Boolean(p.head_commit)),
    timeoutMs: 90_000,
    env: { GITHUB_API_URL: github.url, GITHUB_REPOSITORY: github.repository },
  });
}

/** What the pipeline does: a first production release, then this commit staged; returns the staged deployment. */
async function staged(on: FakeVercel, environment: string, sick = false): Promise<{ old: string; id: string }> {
  expect(errors(await deploy(on, environment, { target: 'production', dir: staticSite() }))).toEqual([]);
  const old = on.production() as string;
  if (sick) on.failRequestsOfNextDeployment();
  const result = await deploy(on, environment, { target: 'staged', dir: staticSite() });
  expect(errors(result)).toEqual([]);
  const id = result.outputs['deployment-id'] as string;
  // Staged: built for production, production untouched, no rolling release yet.
  expect(on.production()).toBe(old);
  expect(on.rollingRelease()).toBeUndefined();
  return { old, id };
}

const promote = (on: FakeVercel, environment: string, id: string) =>
  deploy(on, environment, {
    command: 'promote',
    'deployment-id': id,
    'vercel-rolling-stages': '5,25,100',
    'rolling-check-url': `${on.url}/__deployments/{deployment-id}/`,
    'rolling-requests': 10,
    'rolling-bake': '200ms',
    'rolling-stage-timeout': '20s',
  });

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

describe('command promote with rolling releases: the promote starts the rolling release, and deploy drives it', () => {
  test('a healthy staged release is promoted stage by stage, 5% → 25% → 100%, and recorded live', async () => {
    const on = await fakeVercel();
    const { id } = await staged(on, 'promote-rolling-healthy');

    const result = await promote(on, 'promote-rolling-healthy', id);
    expect(errors(result)).toEqual([]);
    expect(on.stagesReached.filter((s) => s.canaryDeploymentId === id).map((s) => s.share)).toEqual([5, 25, 100]);
    const approvals = on.server.requests.filter((r) => r.path.includes('/rolling-release/approve-stage'));
    expect(approvals).toHaveLength(2);
    expect(on.production()).toBe(id);
    expect(result.outputs.rollout).toBe('5% healthy → 25% healthy → 100%');
    const history = await statuses('promote-rolling-healthy', id);
    expect(history[0]).toBe(`success: promoted: ${id} (rolled out over 5% → 25% → 100%)`);
    expect(history).toContain('in_progress: rolling 5%: healthy, 0 of 10 requests failed (0%)');
    expect(result.summary).toContain('x-axis "stage" ["5%", "25%"]');
  }, 120_000);

  test('a staged release whose errors show at 5% is stopped there: production serves the old release to everyone, and the ledger says so', async () => {
    const on = await fakeVercel();
    const { old, id } = await staged(on, 'promote-rolling-sick', true);

    const result = await promote(on, 'promote-rolling-sick', id);
    expect(result.exitCode).not.toBe(0);
    expect(errors(result).join('\n')).toContain(`Rolling release of ${id} stopped at 5%: 10 of 10 requests failed`);
    expect(on.stagesReached.filter((s) => s.canaryDeploymentId === id).map((s) => s.share)).toEqual([5]);
    expect(on.server.requests.some((r) => r.path.includes('/rolling-release/approve-stage'))).toBe(false);
    expect(on.rollingRelease()?.state).toBe('ABORTED');
    expect(on.production()).toBe(old);
    expect(result.outputs.rollout).toMatch(/^stopped at 5%: 10 of 10 requests failed \(100%\)/);
    const history = await statuses('promote-rolling-sick', id);
    expect(history[0]).toMatch(/^failure: stopped at 5%: 10 of 10 requests failed \(100%\)/);
    expect(history.some((s) => s.startsWith('success'))).toBe(false);
  }, 120_000);
});
