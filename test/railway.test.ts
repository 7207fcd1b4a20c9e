// deploy and rollback (provider railway) through their bundles, against a loopback Railway GraphQL API that
// validates every operation against Railway's schema, and the loopback GitHub (the ledger).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import { type RunOptions, runBundle } from '../cli/local-runner.js';
import { type FakeGitHub, startFakeGitHub } from '../cli/sandbox/github.js';
import { type FakeRailway, startFakeRailway } from '../cli/sandbox/railway.js';
import { errors, exampleEvent, expectNoSecrets } from './support.js';

let railway: FakeRailway;
let github: FakeGitHub;
/** How far Railway's clock runs ahead of the wall clock: moved by tests that must see what goes live by itself. */
let railwayAhead = 0;
let app: Server;
let appUrl: string;

beforeAll(async () => {
  railway = await startFakeRailway({ buildMs: 700, deployMs: 300, clock: () => Date.now() + railwayAhead });
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
beforeEach(() => {
  railway.server.requests.length = 0;
});

const backend = () => railway.services[0]!;
const frontend = () => railway.services[1]!;
const sha = (n: number) => n.toString(16).padStart(4, '0').padEnd(40, 'a');

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

function deploy(extra: RunOptions['inputs'] = {}, commit = sha(1)) {
  return runBundle({
    action: 'deploy',
    inputs: inputs({ target: 'production', 'wait-timeout': '60s', ...extra }),
    env: { GITHUB_API_URL: github.url, GITHUB_REPOSITORY: github.repository, GITHUB_SHA: commit },
    event: exampleEvent('push', (p) => Boolean(p.head_commit)),
    timeoutMs: 90_000,
  });
}

function rollback(extra: RunOptions['inputs'] = {}) {
  return runBundle({
    action: 'rollback',
    inputs: inputs({ 'verify-url': appUrl, 'wait-timeout': '60s', ...extra }),
    env: { GITHUB_API_URL: github.url, GITHUB_REPOSITORY: github.repository },
    event: { name: 'workflow_dispatch', payload: { inputs: {} } },
    timeoutMs: 90_000,
  });
}

const secrets = () => [railway.projectToken, railway.accountToken, github.token];
const release = (outputs: Record<string, string>) =>
  JSON.parse(outputs.release as string) as {
    id: string;
    state: string;
    url?: string;
    sha?: string;
    services: { service: string; name?: string; id: string; url?: string; state: string }[];
  };
const deployBodies = () => railway.server.requests.filter((r) => r.body.includes('serviceInstanceDeployV2'));

describe('deploy', () => {
  test('deploys both services of the environment in one step, at the commit, with per-service URLs and the ledger', async () => {
    const result = await deploy({}, sha(1));
    expect(result.exitCode).toBe(0);
    const r = release(result.outputs);
    expect(r.services.map((s) => [s.name, s.state])).toEqual([
      ['backend', 'SUCCESS'],
      ['frontend', 'SUCCESS'],
    ]);
    expect(r.services[0]?.url).toBe(`https://${backend().domain}`);
    expect(r.services[1]?.url).toBe(`https://${frontend().domain}`);
    expect(result.outputs['deployment-id']).toBe(
      `${backend().id}=${r.services[0]?.id},${frontend().id}=${r.services[1]?.id}`,
    );
    expect(result.outputs.url).toBe(`https://${backend().domain}`);
    expect(r).toMatchObject({ state: 'SUCCESS', sha: sha(1) });
    expect(railway.serving(backend().id)).toBe(r.services[0]?.id);
    expect(railway.serving(frontend().id)).toBe(r.services[1]?.id);
    // The commit being shipped is what Railway builds, and the project token goes in its own header.
    const bodies = deployBodies();
    expect(bodies).toHaveLength(2);
    for (const b of bodies) expect(JSON.parse(b.body).variables.commitSha).toBe(sha(1));
    expect(bodies[0]?.headers['project-access-token']).toBe(railway.projectToken);
    expect(bodies[0]?.headers.authorization).toBeUndefined();
    expect(github.ledger('production')[0]).toMatchObject({
      release: result.outputs['deployment-id'],
      state: 'success',
    });
    expectNoSecrets(result, secrets());
  });

  test('one service failing fails the step naming it with Railway’s status; the other is put back; nothing new stays live', async () => {
    const liveBackend = railway.serving(backend().id);
    const liveFrontend = railway.serving(frontend().id);
    railway.failNext(frontend().id, 'FAILED');
    const result = await deploy({}, sha(2));
    expect(result.exitCode).toBe(1);
    const message = errors(result).join('\n');
    expect(message).toContain(`Railway deploy failed: 1 of 2 services failed: frontend (${frontend().id}): FAILED`);
    expect(message.split('\n')[0]).not.toContain('backend (');
    expect(message).toContain(
      `Put back so the environment stays consistent: backend (${backend().id}) restored to ${liveBackend}`,
    );
    // Outputs describe how each service ended.
    const r = release(result.outputs);
    expect(r.services.map((s) => [s.name, s.state])).toEqual([
      ['backend', 'ROLLED_BACK'],
      ['frontend', 'FAILED'],
    ]);
    expect(result.outputs['previous-deployment-id']).toBe(
      `${backend().id}=${liveBackend},${frontend().id}=${liveFrontend}`,
    );
    // Frontend: the previous deployment kept serving. Backend: a rollback deployment of the previous one.
    expect(railway.serving(frontend().id)).toBe(liveFrontend);
    const backendNow = railway.deployments.get(railway.serving(backend().id) as string);
    expect(backendNow).toMatchObject({ rollbackOf: liveBackend, commitHash: sha(1) });
    expect(github.ledger('production')[0]).toMatchObject({
      release: result.outputs['deployment-id'],
      state: 'failure',
    });
  });

  test('a deployment that CRASHES after starting fails the step; the previous deployment keeps serving', async () => {
    const live = railway.serving(backend().id);
    railway.failNext(backend().id, 'CRASHED');
    const result = await deploy({ services: backend().id }, sha(3));
    expect(result.exitCode).toBe(1);
    expect(errors(result).join('\n')).toContain(`backend (${backend().id}): CRASHED`);
    expect(result.visibleStdout).toMatch(/→ CRASHED/);
    expect(railway.serving(backend().id)).toBe(live);
  });

  test.each<['NEEDS_APPROVAL' | 'WAITING', RegExp]>([
    ['NEEDS_APPROVAL', /approves it/],
    ['WAITING', /Turn off 'Wait for CI'/],
  ])(
    'a deployment Railway holds (%s) fails at once, naming the state and what to do, and is cancelled',
    async (state, todo) => {
      const live = railway.serving(backend().id);
      railway.failNext(backend().id, state);
      const result = await deploy({ services: backend().id, 'wait-timeout': '60s' }, sha(8));
      expect(result.exitCode).toBe(1);
      const message = errors(result).join('\n');
      expect(message).toContain(`backend (${backend().id}): ${state}; cancelled.`);
      expect(message).toMatch(todo);
      // Reported when seen: waited out, it would have ended at the deadline as "not done before the deadline".
      const id = release(result.outputs).services[0]?.id as string;
      expect(railway.deployments.get(id)?.canceled).toBe(true);
      expect(railway.serving(backend().id)).toBe(live);
      expect(github.ledger('production')[0]).toMatchObject({
        release: result.outputs['deployment-id'],
        state: 'failure',
      });
    },
  );

  test('a build still running at the deadline is cancelled so it can never go live unchecked', async () => {
    railway.failNext(backend().id, 'STALL');
    const result = await deploy({ services: backend().id, 'wait-timeout': '3s' }, sha(4));
    expect(result.exitCode).toBe(1);
    expect(errors(result).join('\n')).toMatch(
      /backend \(.*\): BUILDING, not done before the deadline; cancelled .*\s+The failed services keep serving their previous deployment\. Raise input 'wait-timeout'/,
    );
    const id = release(result.outputs).services[0]?.id as string;
    expect(railway.status(id)).toBe('REMOVED');
    expect(railway.deployments.get(id)?.canceled).toBe(true);
  });
});

describe('retries and tokens', () => {
  test('an account token is sent as Bearer; 429 waits for Retry-After and 5xx on queries is retried', async () => {
    railway.server.inject(/\/graphql\/v2/, {
      kind: 'status',
      status: 429,
      body: '{"errors":[{"message":"Rate limit exceeded"}]}',
      headers: { 'retry-after': '1', 'content-type': 'application/json' },
    });
    railway.server.inject(/\/graphql\/v2/, { kind: 'status', status: 502, body: 'bad gateway' });
    const result = await deploy(
      { services: backend().id, token: railway.accountToken, 'railway-token-type': 'account' },
      sha(5),
    );
    expect(result.exitCode).toBe(0);
    expect(result.visibleStdout).toContain('HTTP 429; retrying in 1.0s (Retry-After)');
    expect(result.visibleStdout).toContain('HTTP 502; retrying');
    expect(deployBodies()[0]?.headers.authorization).toBe(`Bearer ${railway.accountToken}`);
    expect(deployBodies()[0]?.headers['project-access-token']).toBeUndefined();
    expectNoSecrets(result, secrets());
  });

  test('a 5xx on the deploy mutation is not retried (Railway may have started the build)', async () => {
    const count = railway.deployments.size;
    // The deploy step first asks what production serves (every deploy reconciles the ledger with it), then reads
    // what is live and the service's recent deployments, then sends the mutation.
    railway.server.inject(
      /\/graphql\/v2/,
      { kind: 'delay', ms: 0 },
      { kind: 'delay', ms: 0 },
      { kind: 'delay', ms: 0 },
      { kind: 'status', status: 503, body: 'upstream unavailable' },
    );
    const result = await deploy({ services: backend().id }, sha(6));
    expect(result.exitCode).toBe(1);
    expect(errors(result).join('\n')).toMatch(/Railway deploy service .* failed: upstream unavailable \(HTTP 503\)/);
    expect(deployBodies()).toHaveLength(1);
    expect(railway.deployments.size).toBe(count);
  });

  test('a deploy whose answer is lost finds the deployment it started instead of starting a second one', async () => {
    const count = railway.deployments.size;
    railway.server.inject(
      /\/graphql\/v2/,
      { kind: 'delay', ms: 0 },
      { kind: 'delay', ms: 0 },
      { kind: 'delay', ms: 0 },
      { kind: 'reset-after-handling' },
    );
    const result = await deploy({ services: backend().id }, sha(7));
    expect(result.exitCode).toBe(0);
    expect(result.visibleStdout).toContain('the answer to deploy service');
    expect(railway.deployments.size - count).toBe(1);
    expect(railway.serving(backend().id)).toBe(release(result.outputs).services[0]?.id);
  });

  test('a wrong token fails with Railway’s reason and what to check, and is never printed', async () => {
    const result = await deploy({ token: 'rw_wrong_token_value_123' });
    expect(result.exitCode).toBe(1);
    expect(errors(result).join('\n')).toMatch(
      /Railway list deployments failed: Not Authorized\s+Check input 'token' and 'railway-token-type'/,
    );
    expectNoSecrets(result, ['rw_wrong_token_value_123', ...secrets()]);
  });

  test('bad inputs are all reported at once; nothing is deployed', async () => {
    const count = railway.deployments.size;
    const result = await runBundle({
      action: 'deploy',
      inputs: { provider: 'railway', 'railway-token-type': 'team', target: 'production' },
    });
    expect(result.exitCode).toBe(1);
    const message = errors(result).join('\n');
    expect(message).toContain("Input 'token' is required with provider railway");
    expect(message).toContain("Input 'project' is required with provider railway");
    expect(message).toContain("Input 'railway-environment' is required with provider railway");
    expect(message).toContain("Input 'services' is required with provider railway");
    expect(message).toContain("Input 'railway-token-type' must be one of project, account, got 'team'");
    expect(railway.deployments.size).toBe(count);
  });

  test('the fake validates operations against the schema (an unknown field is rejected)', async () => {
    const response = await fetch(`${railway.url}/graphql/v2`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'project-access-token': railway.projectToken },
      body: JSON.stringify({ query: 'query { deployment(id: "x") { id buildLogs } }' }),
    });
    expect(response.status).toBe(400);
    expect(JSON.stringify(await response.json())).toContain(
      'Cannot query field \\"buildLogs\\" on type \\"Deployment\\"',
    );
  });
});

describe('rollback', () => {
  let good: string;
  let bad: string;

  test('previous puts every service back on the release that was live before, and the ledger records it', async () => {
    const first = await deploy({}, sha(10));
    expect(first.exitCode).toBe(0);
    good = first.outputs['deployment-id'] as string;
    const second = await deploy({}, sha(11));
    expect(second.exitCode).toBe(0);
    bad = second.outputs['deployment-id'] as string;

    const result = await rollback({ reason: 'smoke test failed' });
    expect(result.exitCode).toBe(0);
    expect(result.outputs).toMatchObject({ changed: 'true', 'rolled-back-deployment-id': bad });
    const restored = result.outputs['restored-deployment-id'] as string;
    // Railway restores from the old deployments' images: each service now serves a deployment made from them.
    const goodIds = new Map(good.split(',').map((p) => p.split('=') as [string, string]));
    for (const s of railway.services) {
      const now = railway.deployments.get(railway.serving(s.id) as string);
      expect(now).toMatchObject({ rollbackOf: goodIds.get(s.id), commitHash: sha(10) });
      expect(restored).toContain(`${s.id}=${now?.id}`);
    }
    const ledger = github.ledger('production');
    expect(ledger[0]).toMatchObject({ release: restored, state: 'success', rollback: true });
    expect(ledger.find((e) => e.release === bad)).toMatchObject({ state: 'failure' });
    expect(result.summary).toContain('smoke test failed');
    expectNoSecrets(result, secrets());
  });

  test('running it again changes nothing', async () => {
    const before = railway.deployments.size;
    const again = await rollback({});
    expect(again.exitCode).toBe(0);
    expect(again.outputs.changed).toBe('false');
    expect(again.visibleStdout).toContain('already rolled back');
    expect(railway.deployments.size).toBe(before);
  });

  test('a commit SHA restores the release built from it', async () => {
    const result = await rollback({ target: sha(11).slice(0, 12) });
    expect(result.exitCode).toBe(0);
    expect(result.outputs.changed).toBe('true');
    for (const s of railway.services)
      expect(railway.deployments.get(railway.serving(s.id) as string)?.commitHash).toBe(sha(11));
  });

  test("without a GitHub token, Railway's own history says what was live before", async () => {
    const live = railway.services.map((s) => railway.serving(s.id));
    const result = await rollback({ 'github-token': '' });
    expect(result.exitCode).toBe(0);
    expect(result.outputs.changed).toBe('true');
    expect(result.outputs['rolled-back-deployment-id']).toBe(
      railway.services.map((s, i) => `${s.id}=${live[i]}`).join(','),
    );
    for (const [i, s] of railway.services.entries()) expect(railway.serving(s.id)).not.toBe(live[i]);
  });

  test('a release id that is not Railway’s fails with Railway’s reason; nothing changes', async () => {
    const live = railway.services.map((s) => railway.serving(s.id));
    const result = await rollback({ target: `${backend().id}=no-such-deployment` });
    expect(result.exitCode).toBe(1);
    expect(errors(result).join('\n')).toContain('Railway get deployment failed: Deployment not found');
    expect(railway.services.map((s) => railway.serving(s.id))).toEqual(live);
  });
});

// A release of several services is all or nothing: when one service cannot be deployed (its deploy call is
// refused, its connection drops, its build fails), the services of the release that already started or went live
// are put back, so the environment serves what it served before; what could not be put back is named.
describe('multi-service releases are all or nothing', () => {
  const servingNow = () => railway.services.map((s) => railway.serving(s.id));
  /** Serves `before`, or Railway's rollback deployment of it (a rollback re-deploys the old image). */
  const servesAgain = (serviceId: string, before: string | undefined) => {
    const now = railway.serving(serviceId);
    return now === before || railway.deployments.get(now as string)?.rollbackOf === before;
  };
  const started = (serviceId: string, commit: string) =>
    [...railway.deployments.values()].filter(
      (d) => d.serviceId === serviceId && d.commitHash === commit && !d.rollbackOf,
    );
  /** Moves Railway's clock past any build and deploy started so far: what would go live by itself now has. */
  const settle = () => {
    railwayAhead += railway.timing.buildMs + railway.timing.deployMs + 1;
  };

  test.each<['error' | 'reset']>([['error'], ['reset']])(
    'a deploy call for one service that fails (%s) puts back the services already started; every service serves what it served before',
    async (fault) => {
      const before = servingNow();
      railway.failDeployCall(frontend().id, fault);
      const commit = sha(fault === 'error' ? 20 : 21);
      const result = await deploy({}, commit);
      expect(result.exitCode).toBe(1);
      const message = errors(result).join('\n');
      expect(message).toContain(`frontend (${frontend().id})`);
      // Backend's build had started: it is cancelled (or rolled back had it gone live), and can never go live later.
      const [backendNew] = started(backend().id, commit);
      expect(backendNew).toBeDefined();
      expect(message).toMatch(
        new RegExp(
          `Put back so the environment stays consistent: backend \\(${backend().id}\\) (cancelled before going live|restored to ${before[0]})`,
        ),
      );
      expect(started(frontend().id, commit)).toHaveLength(0);
      settle();
      expect(servesAgain(backend().id, before[0])).toBe(true);
      expect(servesAgain(frontend().id, before[1])).toBe(true);
      // The ledger records the failed release; the outputs and summary say how each service ended.
      const r = release(result.outputs);
      expect(r.services.map((s) => s.name)).toEqual(['backend', 'frontend']);
      expect(r.services[0]).toMatchObject({ id: backendNew?.id });
      expect(r.services[0]?.state).toMatch(/^(CANCELLED|ROLLED_BACK)$/);
      expect(r.services[1]?.state).toMatch(/^NOT_STARTED/);
      expect(github.ledger('production')[0]).toMatchObject({
        release: result.outputs['deployment-id'],
        state: 'failure',
      });
      expect(result.summary).toMatch(/backend.*(CANCELLED|ROLLED_BACK)/);
    },
  );

  let partialBackend: string;
  let backendBefore: string | undefined;
  let frontendBefore: string | undefined;

  test('a service that could not be put back is named with what it serves; the step fails', async () => {
    [backendBefore, frontendBefore] = servingNow();
    railway.failNext(frontend().id, 'FAILED');
    railway.failRollback(backend().id);
    const result = await deploy({}, sha(22));
    expect(result.exitCode).toBe(1);
    const message = errors(result).join('\n');
    expect(message).toContain(`frontend (${frontend().id}): FAILED`);
    partialBackend = release(result.outputs).services[0]?.id as string;
    expect(railway.serving(backend().id)).toBe(partialBackend);
    expect(message).toContain(`Could not be put back: backend (${backend().id}) still serves ${partialBackend}`);
    expect(message).toContain('Problem processing request');
    expect(railway.serving(frontend().id)).toBe(frontendBefore);
    expect(release(result.outputs).services.map((s) => s.state)).toEqual(['NOT_RESTORED', 'FAILED']);
    expect(result.summary).toMatch(/backend.*NOT_RESTORED/);
  });

  test("after that partial deploy, a rollback from Railway's history puts each service back ONE release: only backend moves", async () => {
    const frontendDeployments = [...railway.deployments.values()].filter((d) => d.serviceId === frontend().id).length;
    const result = await rollback({ 'github-token': '' });
    expect(result.exitCode).toBe(0);
    expect(servesAgain(backend().id, backendBefore)).toBe(true);
    expect(railway.serving(backend().id)).not.toBe(partialBackend);
    // Frontend never left the release before: it is not moved (no deployment made), not sent one further back.
    expect(railway.serving(frontend().id)).toBe(frontendBefore);
    expect([...railway.deployments.values()].filter((d) => d.serviceId === frontend().id).length).toBe(
      frontendDeployments,
    );
  });

  test('after a partial deploy, a rollback with the ledger puts each service back ONE release', async () => {
    const good = await deploy({}, sha(24));
    expect(good.exitCode).toBe(0);
    const [b24, f24] = servingNow();
    railway.failNext(frontend().id, 'FAILED');
    railway.failRollback(backend().id);
    const partial = await deploy({}, sha(25));
    expect(partial.exitCode).toBe(1);
    expect(railway.serving(frontend().id)).toBe(f24);
    expect(railway.serving(backend().id)).not.toBe(b24);

    const result = await rollback({});
    expect(result.exitCode).toBe(0);
    expect(servesAgain(backend().id, b24)).toBe(true);
    expect(railway.serving(frontend().id)).toBe(f24);
    const ledger = github.ledger('production');
    expect(ledger[0]).toMatchObject({ state: 'success', rollback: true });
    // The release restored was good and stays so: it is not the one taken out.
    expect(ledger.find((e) => e.release === good.outputs['deployment-id'])?.state).not.toBe('failure');
  });
});

describe('summaries', () => {
  test('head every service by its name and short deployment id, its full ids folded under it; show every service’s URL', async () => {
    const result = await deploy({}, sha(30));
    expect(result.exitCode).toBe(0);
    const r = release(result.outputs);
    const lines = result.summary.split('\n');
    const row = (key: string) => lines.find((l) => l.startsWith(`| ${key} |`)) ?? '';
    for (const [i, s] of railway.services.entries()) {
      const id = r.services[i]?.id ?? '';
      expect(row('Release')).toContain(`<details><summary><b>${s.name}</b> <code>${id.slice(0, 8)}</code>`);
      expect(row('Release')).toContain(
        `</summary>service <code>${s.id}</code><br>deployment <code>${id}</code></details>`,
      );
      expect(row('URL')).toContain(`${s.name}: https://${s.domain}`);
    }
    // No wall of `serviceId=deploymentId` pairs.
    expect(result.summary).not.toContain(`${backend().id}=`);

    const back = await rollback({});
    expect(back.exitCode).toBe(0);
    const restored = back.summary.split('\n').find((l) => l.startsWith('| Restored |')) ?? '';
    for (const s of railway.services)
      expect(restored).toMatch(new RegExp(`<summary><b>${s.name}</b> <code>[0-9a-f]{8}</code>`));
    for (const s of railway.services) expect(restored).toContain(`service <code>${s.id}</code>`);
    for (const s of railway.services) expect(restored).toContain(`https://${s.domain}`);
    expect(back.summary).not.toContain(`${backend().id}=`);
  });
});
