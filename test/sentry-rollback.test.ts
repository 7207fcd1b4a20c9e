// rollback's Sentry step through the bundle (dist/rollback), against loopback Vercel, GitHub and Sentry fakes: after
// a rollback that changed production, Sentry gets a deploy of the restored release (its commit, the release deploy
// created) to the environment, so that Sentry's latest deploy is the release the ledger says is live again; Sentry
// failing is a warning, never a failed rollback; the token never shows.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import { type RunOptions, runBundle } from '../cli/local-runner.js';
import { type FakeGitHub, startFakeGitHub } from '../cli/sandbox/github.js';
import { type FakeSentry, startFakeSentry } from '../cli/sandbox/sentry.js';
import { type FakeVercel, startFakeVercel } from '../cli/sandbox/vercel.js';
import { errors, exampleEvent, expectNoSecrets, warnings } from './support.js';

let vercel: FakeVercel;
let github: FakeGitHub;
let sentry: FakeSentry;
const GOOD = '1111111111111111111111111111111111111111';
const BAD = '2222222222222222222222222222222222222222';

beforeAll(async () => {
  vercel = await startFakeVercel({ buildMs: 200, aliasJobMs: 100 });
  github = await startFakeGitHub();
  sentry = await startFakeSentry({ repositories: [github.repository], commitsMs: 50 });
});
afterAll(async () => {
  await vercel.close();
  await github.close();
  await sentry.close();
});
beforeEach(() => {
  sentry.server.clearFaults();
});

const env = (sha: string) => ({ GITHUB_API_URL: github.url, GITHUB_REPOSITORY: github.repository, GITHUB_SHA: sha });
const sentryInputs = () => ({
  'sentry-url': sentry.url,
  'sentry-org': sentry.org,
  'sentry-project': sentry.project,
  'sentry-token': sentry.token,
});
const vercelInputs = () => ({
  provider: 'vercel',
  token: vercel.token,
  project: vercel.projectId,
  team: vercel.teamId,
  'api-url': vercel.url,
  'github-token': github.token,
  'wait-timeout': '30s',
});

async function deploy(sha: string): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'sentry-rollback-site-'));
  writeFileSync(join(dir, 'index.html'), `<h1>${sha}</h1>`);
  const result = await runBundle({
    action: 'deploy',
    inputs: { ...vercelInputs(), ...sentryInputs(), dir, target: 'production' },
    env: env(sha),
    event: exampleEvent('push', (p) => Boolean(p.head_commit)),
    timeoutMs: 60_000,
  });
  expect({ code: result.exitCode, errors: errors(result) }).toEqual({ code: 0, errors: [] });
  return result.outputs['deployment-id'] as string;
}

function rollback(inputs: RunOptions['inputs']) {
  // As in deploy-environment.yml's in-job rollback: the run's commit is the failed release's.
  return runBundle({
    action: 'rollback',
    inputs: { ...vercelInputs(), verify: 'false', ...inputs },
    env: env(BAD),
    event: { name: 'workflow_dispatch', payload: { inputs: {} } },
    timeoutMs: 60_000,
  });
}

describe('rollback with Sentry', () => {
  test("the restored release's deploy to the environment is marked, so Sentry's latest deploy is the ledger's live release", async () => {
    const good = await deploy(GOOD);
    const bad = await deploy(BAD);
    expect(sentry.deploys.at(-1)).toMatchObject({ release: BAD, environment: 'production', name: bad });

    const before = Date.now();
    const result = await rollback({
      ...sentryInputs(),
      'failed-deployment-id': bad,
      reason: 'rolled back after promotion: GET /api/notes: 3 consecutive failures (HTTP 500)',
    });
    const after = Date.now();
    expect({ code: result.exitCode, errors: errors(result) }).toEqual({ code: 0, errors: [] });
    expect(result.outputs).toMatchObject({ changed: 'true', 'restored-deployment-id': good });
    expect(vercel.production()).toBe(good);

    // Sentry: a deploy of the restored release (its commit, not the run's), to production, within the switch.
    const marked = sentry.deploys.at(-1);
    expect(marked).toMatchObject({
      release: GOOD,
      environment: 'production',
      name: good,
      id: result.outputs['sentry-deploy-id'],
    });
    expect(Date.parse(marked?.dateStarted as string)).toBeGreaterThanOrEqual(before);
    expect(Date.parse(marked?.dateFinished as string)).toBeLessThanOrEqual(after);
    expect(result.summary).toContain(`release ${GOOD}: deploy ${result.outputs['sentry-deploy-id']} to production`);
    // The ledger agrees: the entry now live is the restored release, at the commit Sentry got.
    expect(github.deployments.at(-1)).toMatchObject({ sha: GOOD });
    expectNoSecrets(result, [sentry.token, vercel.token, github.token]);
  });

  test('Sentry refusing: the rollback succeeds, with a warning giving its reason', async () => {
    await deploy(GOOD);
    const bad = await deploy(BAD);
    const count = sentry.deploys.length;
    const result = await rollback({ ...sentryInputs(), 'sentry-token': 'wrong-token', 'failed-deployment-id': bad });
    expect({ code: result.exitCode, errors: errors(result) }).toEqual({ code: 0, errors: [] });
    expect(result.outputs.changed).toBe('true');
    expect(warnings(result).join('\n')).toMatch(
      /Sentry was not told of the rollback to release 1{40}: .*The rollback itself succeeded/,
    );
    expect(sentry.deploys).toHaveLength(count);
    expectNoSecrets(result, ['wrong-token', vercel.token, github.token]);
  });

  test('without sentry-* inputs nothing is sent to Sentry; one of them alone is refused before anything changes', async () => {
    await deploy(GOOD);
    const bad = await deploy(BAD);
    const requests = sentry.server.requests.length;
    const plain = await rollback({ 'failed-deployment-id': bad });
    expect(plain.exitCode).toBe(0);
    expect(sentry.server.requests.length).toBe(requests);

    const partial = await rollback({ 'sentry-org': sentry.org, target: 'previous' });
    expect(partial.exitCode).not.toBe(0);
    expect(errors(partial).join('\n')).toContain("Input 'sentry-project' is required");
  });
});
