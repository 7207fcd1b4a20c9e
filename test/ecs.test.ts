// deploy and rollback (provider ecs) through their bundles: the real @aws-sdk/client-ecs, pointed with
// AWS_ENDPOINT_URL_ECS at a loopback ECS that speaks JSON 1.1 and rolls deployments out over time, and the
// loopback GitHub (the ledger).
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import { findRoot, type RunOptions, runBundle } from '../cli/local-runner.js';
import { rolloutVerdict } from '../shared/providers/ecs.js';
import { awsEnvironment, type FakeEcs, startFakeEcs } from '../cli/sandbox/ecs.js';
import { type FakeGitHub, startFakeGitHub } from '../cli/sandbox/github.js';
import type { RecordedRequest } from '../cli/sandbox/server.js';
import { errors, exampleEvent, expectNoSecrets } from './support.js';
import { eventually, gaveUpBefore, until } from './support-waits.js';

/** The ECS API operation a request calls (JSON 1.1 names it in x-amz-target, every request being POST /). */
const operation = (r: RecordedRequest) =>
  String(r.headers['x-amz-target'] ?? '')
    .split('.')
    .pop();

let ecs: FakeEcs;
let github: FakeGitHub;

beforeAll(async () => {
  ecs = await startFakeEcs({ stepMs: 250 });
  github = await startFakeGitHub();
});
afterAll(async () => {
  await ecs.close();
  await github.close();
});
beforeEach(async () => {
  ecs.circuitBreaker.enable = true;
  ecs.circuitBreaker.rollback = true;
  // A test that failed a rollout leaves ECS replacing tasks; the next one starts from a steady service.
  await until('ECS to settle the service a test before left replacing tasks', () => ecs.stable());
});

const sha = (n: number) => n.toString(16).padStart(4, '0').padEnd(40, 'c');
const image = (tag: string) => `123456789012.dkr.ecr.eu-west-1.amazonaws.com/api:${tag}`;

function awsEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    ...awsEnvironment(ecs),
    GITHUB_API_URL: github.url,
    GITHUB_REPOSITORY: github.repository,
    ...extra,
  };
}

const provider = () => ({
  provider: 'ecs',
  cluster: ecs.cluster,
  service: ecs.serviceName,
  'github-token': github.token,
});

function deploy(inputs: RunOptions['inputs'], commit: string, extra: Partial<RunOptions> = {}) {
  return runBundle({
    action: 'deploy',
    inputs: { ...provider(), target: 'production', 'wait-timeout': '60s', ...inputs },
    env: awsEnv({ GITHUB_SHA: commit }),
    event: exampleEvent('push', (p) => Boolean(p.head_commit)),
    timeoutMs: 90_000,
    ...extra,
  });
}

function rollback(inputs: RunOptions['inputs'] = {}) {
  return runBundle({
    action: 'rollback',
    inputs: { ...provider(), 'wait-timeout': '60s', ...inputs },
    env: awsEnv(),
    event: { name: 'workflow_dispatch', payload: { inputs: {} } },
    timeoutMs: 90_000,
  });
}

const secrets = () => [ecs.secretAccessKey, github.token];
const registered = (arn: string) =>
  ecs.taskDefinitions.get(arn) as {
    containerDefinitions: { name: string; image: string; dockerLabels?: Record<string, string> }[];
    family: string;
  };

describe('rolloutVerdict (one DescribeServices answer)', () => {
  const ours = { deploymentId: 'ecs-svc/1', taskDefinition: 'td:2' };
  const deployment = (id: string, status: string, taskDefinition: string, extra: object = {}) => ({
    id,
    status,
    taskDefinition,
    desiredCount: 2,
    runningCount: 2,
    pendingCount: 0,
    ...extra,
  });

  test('stable: exactly one deployment, ours, COMPLETED, running == desired', () => {
    expect(
      rolloutVerdict(
        { status: 'ACTIVE', deployments: [deployment('ecs-svc/1', 'PRIMARY', 'td:2', { rolloutState: 'COMPLETED' })] },
        ours,
      ).kind,
    ).toBe('stable');
    expect(
      rolloutVerdict(
        {
          status: 'ACTIVE',
          deployments: [deployment('ecs-svc/1', 'PRIMARY', 'td:2', { rolloutState: 'COMPLETED', runningCount: 1 })],
        },
        ours,
      ).kind,
    ).toBe('progress');
    expect(
      rolloutVerdict(
        {
          status: 'ACTIVE',
          deployments: [
            deployment('ecs-svc/1', 'PRIMARY', 'td:2', { rolloutState: 'COMPLETED' }),
            deployment('ecs-svc/0', 'ACTIVE', 'td:1'),
          ],
        },
        ours,
      ).kind,
    ).toBe('progress');
  });

  test('the circuit breaker: our rollout FAILED (with or without a rollback), or a PRIMARY that is not ours', () => {
    const rolledBack = rolloutVerdict(
      {
        status: 'ACTIVE',
        deployments: [
          deployment('ecs-svc/2', 'PRIMARY', 'td:1'),
          deployment('ecs-svc/1', 'ACTIVE', 'td:2', {
            rolloutState: 'FAILED',
            rolloutStateReason: 'ECS deployment circuit breaker: tasks failed to start.',
          }),
        ],
      },
      ours,
    );
    expect(rolledBack).toEqual({
      kind: 'failed',
      reason: 'deployment ecs-svc/1 FAILED: ECS deployment circuit breaker: tasks failed to start.',
      rolledBackTo: 'td:1',
    });
    const stuck = rolloutVerdict(
      { status: 'ACTIVE', deployments: [deployment('ecs-svc/1', 'PRIMARY', 'td:2', { rolloutState: 'FAILED' })] },
      ours,
    );
    expect(stuck).toMatchObject({ kind: 'failed', rolledBackTo: undefined });
    const replaced = rolloutVerdict(
      { status: 'ACTIVE', deployments: [deployment('ecs-svc/2', 'PRIMARY', 'td:1', { rolloutState: 'IN_PROGRESS' })] },
      ours,
    );
    expect(replaced).toMatchObject({ kind: 'failed', rolledBackTo: 'td:1' });
    expect(rolloutVerdict({ status: 'DRAINING', deployments: [] }, ours)).toMatchObject({
      kind: 'failed',
      reason: 'the service is DRAINING',
    });
  });
});

describe('deploy', () => {
  test('a new revision with the new image, UpdateService, stable: the ledger records it', async () => {
    const before = ecs.primaryTaskDefinition();
    const result = await deploy({ images: `api=${image('v2')}` }, sha(1));
    expect(result.exitCode).toBe(0);
    const arn = result.outputs['deployment-id'] as string;
    expect(arn).toBe(`arn:aws:ecs:${ecs.region}:123456789012:task-definition/api:2`);
    expect(ecs.primaryTaskDefinition()).toBe(arn);
    expect(ecs.stable()).toBe(true);
    expect(before).toBe(`arn:aws:ecs:${ecs.region}:123456789012:task-definition/api:1`);
    const td = registered(arn);
    expect(td.containerDefinitions.map((c) => [c.name, c.image])).toEqual([
      ['api', image('v2')],
      ['log-router', 'public.ecr.aws/aws-observability/aws-for-fluent-bit:stable'],
    ]);
    expect(td.containerDefinitions.every((c) => c.dockerLabels?.['shipline.sha'] === sha(1))).toBe(true);
    expect(JSON.parse(result.outputs.release as string)).toMatchObject({
      provider: 'ecs',
      id: arn,
      state: 'COMPLETED',
      sha: sha(1),
    });
    expect(result.visibleStdout).toContain('AWS ECS event: (service api) has reached a steady state.');
    expect(github.ledger('production')[0]).toMatchObject({ release: arn, state: 'success' });
    expectNoSecrets(result, secrets());
  });

  test('a task definition file (describe-task-definition output, read-only fields and all) is registered as a new revision', async () => {
    const workspace = mkdtempSync(join(tmpdir(), 'ecs-ws-'));
    const current = ecs.taskDefinitions.get(ecs.primaryTaskDefinition()) as Record<string, unknown>;
    writeFileSync(
      join(workspace, 'task-definition.json'),
      JSON.stringify({ taskDefinition: { ...current, cpu: '1024', memory: '2048' } }),
    );
    const result = await deploy({ 'task-definition': 'task-definition.json', images: `api=${image('v3')}` }, sha(2), {
      workspace,
    });
    expect(result.exitCode).toBe(0);
    const td = registered(result.outputs['deployment-id'] as string) as unknown as Record<string, unknown> & {
      containerDefinitions: { image: string }[];
    };
    expect(td).toMatchObject({ cpu: '1024', memory: '2048', family: 'api' });
    expect(td.containerDefinitions[0]?.image).toBe(image('v3'));
    expect(ecs.primaryTaskDefinition()).toBe(result.outputs['deployment-id']);
  });

  test('a rollout that crashes trips the circuit breaker: the step fails with the events and stopped-task reasons', async () => {
    const live = ecs.primaryTaskDefinition();
    ecs.nextRollout('crash');
    const result = await deploy({ images: `api=${image('broken')}` }, sha(3));
    expect(result.exitCode).toBe(1);
    const failed = result.outputs['deployment-id'] as string;
    const message = errors(result).join('\n');
    // ECS shows the circuit breaker either as our deployment FAILED or, once it is drained, as a PRIMARY that is
    // no longer ours: which one a poll sees depends on timing, and both must fail the step.
    expect(message).toMatch(
      /AWS ECS deploy failed: (deployment ecs-svc\/\d+ FAILED: ECS deployment circuit breaker: tasks failed to start\.|the service's PRIMARY deployment is no longer ours .*)/,
    );
    expect(message).toContain(`rolled the service back to ${live}`);
    expect(message).toMatch(/Stopped tasks: [0-9a-f]+: Essential container in task exited \(api: exit 1\)/);
    expect(result.visibleStdout).toContain('AWS ECS: recent service events:');
    expect(result.visibleStdout).toContain('deployment failed: tasks failed to start.');
    expect(ecs.primaryTaskDefinition()).toBe(live);
    expect(failed).not.toBe(live);
    expect(github.ledger('production')[0]).toMatchObject({ release: failed, state: 'failure' });
  });

  test('a FAILED rollout the circuit breaker does not roll back is put back by shipline', async () => {
    ecs.circuitBreaker.rollback = false;
    const live = ecs.primaryTaskDefinition();
    ecs.nextRollout('crash');
    const result = await deploy({ images: `api=${image('broken-2')}` }, sha(4));
    expect(result.exitCode).toBe(1);
    expect(errors(result).join('\n')).toContain(`shipline put the service back on ${live}`);
    expect(ecs.primaryTaskDefinition()).toBe(live);
  });

  test('a service that never stabilises fails at the deadline and is put back on the previous revision', async () => {
    ecs.circuitBreaker.enable = false;
    const live = ecs.primaryTaskDefinition();
    ecs.nextRollout('stuck');
    const result = await deploy({ images: `api=${image('stuck')}`, 'wait-timeout': '6s' }, sha(5));
    expect(result.exitCode).toBe(1);
    const message = errors(result).join('\n');
    expect(message).toMatch(
      /not stable before the deadline \(IN_PROGRESS: 0\/2 running, 2 pending, 0 failed; \d+ deployments\); shipline put the service back on /,
    );
    expect(ecs.primaryTaskDefinition()).toBe(live);
  });

  test('status reads that hang after UpdateService: the deploy gives each up at its deadline and puts the service back', async () => {
    ecs.circuitBreaker.enable = false;
    const live = ecs.primaryTaskDefinition();
    ecs.nextRollout('stuck');
    const earlier = new Set(ecs.server.requests);
    const running = deploy({ images: `api=${image('hang')}`, 'wait-timeout': '8s' }, sha(8));
    // Once the rollout has started, ECS stops answering DescribeServices (every look hangs). The fault is armed as
    // the UpdateService arrives, before its answer reaches the deploy.
    const rollout = await eventually(
      ecs.server.waitForRequest((r) => !earlier.has(r) && operation(r) === 'UpdateService'),
      'the deploy to start the rollout (UpdateService)',
    );
    ecs.server.inject(/DescribeServices/, ...Array.from({ length: 40 }, () => ({ kind: 'hang' as const })));
    const result = await running;
    ecs.server.clearFaults();
    expect(result.exitCode).toBe(1);
    expect(errors(result).join('\n')).toMatch(
      /rollout could not be followed before the deadline .*shipline put the service back on /s,
    );
    // The deploy gave up every hung look itself, before it put the service back (the next UpdateService): its
    // deadline ended the wait, not its process ending.
    const after = ecs.server.requests.slice(ecs.server.requests.indexOf(rollout) + 1);
    const restore = (r: RecordedRequest) => operation(r) === 'UpdateService';
    const hung = after.slice(0, after.findIndex(restore)).filter((r) => operation(r) === 'DescribeServices');
    expect(hung.length).toBeGreaterThan(0);
    for (const look of hung) expect(gaveUpBefore(ecs.server, look, restore)).toBe(true);
    expect(ecs.primaryTaskDefinition()).toBe(live);
  });

  test('ThrottlingException, 429 and 5xx are retried by the SDK; the deploy succeeds', async () => {
    const throttled = {
      kind: 'status' as const,
      status: 400,
      body: '{"__type":"ThrottlingException","message":"Rate exceeded"}',
      headers: { 'content-type': 'application/x-amz-json-1.1' },
    };
    const requests = ecs.server.requests.length;
    const calls = ecs.calls.length;
    ecs.server.inject(
      /^\/$/,
      throttled,
      { kind: 'status', status: 429, body: '{"__type":"TooManyRequestsException","message":"slow down"}' },
      { kind: 'status', status: 500, body: '{"__type":"ServerException","message":"internal"}' },
    );
    const result = await deploy({ images: `api=${image('v5')}` }, sha(6));
    expect(result.exitCode).toBe(0);
    expect(ecs.server.requests.length - requests - (ecs.calls.length - calls)).toBe(3);
    expect(ecs.primaryTaskDefinition()).toBe(result.outputs['deployment-id']);
  });
});

describe('inputs and credentials', () => {
  test('bad inputs are all reported at once; nothing is registered', async () => {
    const count = ecs.taskDefinitions.size;
    const result = await runBundle({
      action: 'deploy',
      inputs: { provider: 'ecs', images: 'api image:v1', target: 'production' },
      env: awsEnv(),
    });
    expect(result.exitCode).toBe(1);
    const message = errors(result).join('\n');
    expect(message).toContain("Input 'cluster' is required with provider ecs");
    expect(message).toContain("Input 'service' is required with provider ecs");
    expect(message).toContain("Input 'images' must be container=image pairs");
    expect(ecs.taskDefinitions.size).toBe(count);
  });

  test('an image for a container the task definition does not have fails before anything is registered', async () => {
    const count = ecs.taskDefinitions.size;
    const result = await deploy({ images: `web=${image('v9')}` }, sha(7));
    expect(result.exitCode).toBe(1);
    expect(errors(result).join('\n')).toContain(
      "Input 'images' names 'web', but the task definition has containers 'api', 'log-router'",
    );
    const none = await deploy({}, sha(7));
    expect(errors(none).join('\n')).toContain(
      "Provider ecs needs input 'images' (container=image) or input 'task-definition'",
    );
    expect(ecs.taskDefinitions.size).toBe(count);
  });

  test('wrong credentials fail with AWS’s reason and what to do; the secret key is never printed', async () => {
    const result = await runBundle({
      action: 'deploy',
      inputs: { ...provider(), target: 'production', images: `api=${image('v9')}` },
      env: awsEnv({
        AWS_ACCESS_KEY_ID: 'AKIAWRONGWRONGWRONG1',
        AWS_SECRET_ACCESS_KEY: 'wrong/secret/value/abcdefghijklmnop',
      }),
    });
    expect(result.exitCode).toBe(1);
    expect(errors(result).join('\n')).toMatch(
      /AWS ECS DescribeServices failed: UnrecognizedClientException: The security token included in the request is invalid\. \(HTTP 400\)\s+AWS credentials come from the environment/,
    );
    expectNoSecrets(result, ['wrong/secret/value/abcdefghijklmnop', ...secrets()]);
    // The right key id with a wrong secret: the fake recomputes the SigV4 signature, as AWS does.
    const badSecret = await runBundle({
      action: 'deploy',
      inputs: { ...provider(), target: 'production', images: `api=${image('v9')}` },
      env: awsEnv({ AWS_SECRET_ACCESS_KEY: 'another/wrong/secret/value/0123456789' }),
    });
    expect(badSecret.exitCode).toBe(1);
    expect(errors(badSecret).join('\n')).toMatch(
      /AWS ECS DescribeServices failed: InvalidSignatureException: The request signature we calculated does not match/,
    );
    expectNoSecrets(badSecret, ['another/wrong/secret/value/0123456789', ...secrets()]);
  });

  test('the AWS SDK is in a lazy chunk: the deploy bundle’s entry never loads it', () => {
    const dist = join(findRoot(), 'dist', 'deploy');
    const entry = readFileSync(join(dist, 'index.js'), 'utf8');
    expect(entry).not.toContain('AmazonEC2ContainerServiceV20141113');
    const chunks = readdirSync(dist).filter(
      (f) =>
        f.endsWith('.index.js') && readFileSync(join(dist, f), 'utf8').includes('AmazonEC2ContainerServiceV20141113'),
    );
    expect(chunks.length).toBeGreaterThan(0);
  });
});

describe('rollback', () => {
  let good: string;
  let bad: string;

  test('previous puts the service back on the task definition that was live before, and waits until it is stable', async () => {
    const one = await deploy({ images: `api=${image('good')}` }, sha(10));
    expect(one.exitCode).toBe(0);
    good = one.outputs['deployment-id'] as string;
    const two = await deploy({ images: `api=${image('bad')}` }, sha(11));
    expect(two.exitCode).toBe(0);
    bad = two.outputs['deployment-id'] as string;

    const result = await rollback({ reason: 'smoke test failed' });
    expect(result.exitCode).toBe(0);
    expect(result.outputs).toMatchObject({
      changed: 'true',
      'restored-deployment-id': good,
      'rolled-back-deployment-id': bad,
    });
    expect(ecs.primaryTaskDefinition()).toBe(good);
    expect(ecs.stable()).toBe(true);
    const ledger = github.ledger('production');
    expect(ledger[0]).toMatchObject({ release: good, state: 'success', rollback: true });
    expect(ledger.find((e) => e.release === bad)).toMatchObject({ state: 'failure' });
    expectNoSecrets(result, secrets());
  });

  test('running it again changes nothing', async () => {
    const calls = ecs.calls.filter((c) => c.op === 'UpdateService').length;
    const again = await rollback({});
    expect(again.exitCode).toBe(0);
    expect(again.outputs.changed).toBe('false');
    expect(ecs.calls.filter((c) => c.op === 'UpdateService').length).toBe(calls);
  });

  test('a commit SHA restores the revision labelled with it, from ECS itself without a ledger', async () => {
    const result = await rollback({ target: sha(11).slice(0, 10), 'github-token': '' });
    expect(result.exitCode).toBe(0);
    expect(result.outputs['restored-deployment-id']).toBe(bad);
    expect(ecs.primaryTaskDefinition()).toBe(bad);
  });

  test("without a ledger, ECS's previous revision is restored", async () => {
    const live = ecs.primaryTaskDefinition();
    const result = await rollback({ 'github-token': '' });
    expect(result.exitCode).toBe(0);
    expect(result.outputs['rolled-back-deployment-id']).toBe(live);
    expect(ecs.primaryTaskDefinition()).toBe(result.outputs['restored-deployment-id']);
    expect(result.summary).toContain('provider history');
  });

  test('a rollback whose rollout fails is reported with ECS’s reason', async () => {
    ecs.nextRollout('crash');
    const first = `arn:aws:ecs:${ecs.region}:123456789012:task-definition/api:1`;
    expect(ecs.primaryTaskDefinition()).not.toBe(first);
    const result = await rollback({ target: first });
    expect(result.exitCode).toBe(1);
    expect(errors(result).join('\n')).toMatch(
      /AWS ECS rollback failed: (deployment ecs-svc\/\d+ FAILED: ECS deployment circuit breaker|the service's PRIMARY deployment is no longer ours)/,
    );
    expect(errors(result).join('\n')).toContain('Essential container in task exited');
  });
});
