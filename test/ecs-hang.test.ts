// An ECS API that takes the request and never answers, through the deploy and rollback bundles: every AWS call
// ends by the step's own bound (wait-timeout) and the step fails saying which call did not answer and which bound
// ended it. Without a bound the SDK's request timeout only logs a warning, and the step would wait for as long as
// the connection stays open: here, until the test runner kills it (timedOut).
import { afterAll, afterEach, beforeAll, beforeEach, expect, test } from '@jest/globals';
import { type RunOptions, runBundle } from '../cli/local-runner.js';
import { awsEnvironment, type FakeEcs, startFakeEcs } from '../cli/sandbox/ecs.js';
import type { Fault } from '../cli/sandbox/server.js';
import { errors, exampleEvent } from './support.js';
import { until } from './support-waits.js';

let ecs: FakeEcs;

beforeAll(async () => {
  ecs = await startFakeEcs({ stepMs: 100 });
});
afterAll(async () => {
  await ecs.close();
});
beforeEach(async () => {
  await until('ECS to settle the service a test before left replacing tasks', () => ecs.stable());
});
afterEach(() => ecs.server.clearFaults());

const inputs = () => ({ provider: 'ecs', cluster: ecs.cluster, service: ecs.serviceName, 'wait-timeout': '3s' });
const image = (tag: string) => `123456789012.dkr.ecr.eu-west-1.amazonaws.com/api:${tag}`;
// Far past the step's own bound: reaching it (timedOut) means the step did not end by itself.
const RUNNER_LIMIT_MS = 45_000;

function deploy(extra: RunOptions['inputs'] = {}) {
  return runBundle({
    action: 'deploy',
    inputs: { ...inputs(), target: 'production', images: `api=${image('hang')}`, ...extra },
    env: { ...awsEnvironment(ecs), GITHUB_SHA: 'ab'.repeat(20) },
    event: exampleEvent('push', (p) => Boolean(p.head_commit)),
    timeoutMs: RUNNER_LIMIT_MS,
  });
}

function rollback(extra: RunOptions['inputs'] = {}) {
  return runBundle({
    action: 'rollback',
    inputs: { ...inputs(), ...extra },
    env: awsEnvironment(ecs),
    event: { name: 'workflow_dispatch', payload: { inputs: {} } },
    timeoutMs: RUNNER_LIMIT_MS,
  });
}

/** Every request for `operation` (the SDK's retries too) meets `fault`. */
function everyCall(operation: string, fault: Fault): void {
  ecs.server.inject(new RegExp(`\\.${operation}$`), ...Array.from({ length: 50 }, () => fault));
}

const received = (operation: string) =>
  ecs.server.requests.filter((r) => r.headers['x-amz-target'] === `AmazonEC2ContainerServiceV20141113.${operation}`)
    .length;
const answered = (operation: string) => ecs.calls.filter((c) => c.op === operation).length;

test('deploy: DescribeServices never answers (not one byte): the step fails by its wait-timeout, naming the call', async () => {
  const before = { asked: received('DescribeServices'), registered: answered('RegisterTaskDefinition') };
  everyCall('DescribeServices', { kind: 'hang' });
  const result = await deploy();
  expect(result.timedOut).toBe(false);
  expect(result.exitCode).toBe(1);
  expect(errors(result).join('\n')).toMatch(
    /AWS ECS DescribeServices did not answer within [\d.]+ s \(wait-timeout 3s\)/,
  );
  // The first attempt's timeout is cut to the time left, so the SDK sends no retry past the deadline: one attempt.
  expect(received('DescribeServices') - before.asked).toBe(1);
  // Nothing was registered on a service that could not be read.
  expect(answered('RegisterTaskDefinition')).toBe(before.registered);
});

test('deploy: the answer starts and stops mid-body: the step fails by its wait-timeout, naming the call', async () => {
  const before = received('DescribeServices');
  everyCall('DescribeServices', {
    kind: 'hang-mid-body',
    headers: { 'content-type': 'application/x-amz-json-1.1' },
    body: '{"services":[{"serviceName":"api",',
  });
  const result = await deploy();
  expect(result.timedOut).toBe(false);
  expect(result.exitCode).toBe(1);
  expect(errors(result).join('\n')).toMatch(
    /AWS ECS DescribeServices did not answer within [\d.]+ s \(wait-timeout 3s\)/,
  );
  expect(received('DescribeServices')).toBeGreaterThan(before);
});

test('deploy: RegisterTaskDefinition never answers: the step fails by its wait-timeout, and no retry goes out past it', async () => {
  const before = received('RegisterTaskDefinition');
  const live = ecs.primaryTaskDefinition();
  everyCall('RegisterTaskDefinition', { kind: 'hang' });
  const result = await deploy();
  expect(result.timedOut).toBe(false);
  expect(result.exitCode).toBe(1);
  expect(errors(result).join('\n')).toMatch(
    /AWS ECS RegisterTaskDefinition did not answer within [\d.]+ s \(wait-timeout 3s\)/,
  );
  expect(received('RegisterTaskDefinition') - before).toBe(1);
  expect(ecs.primaryTaskDefinition()).toBe(live);
});

test('rollback: DescribeServices never answers: the step fails by its wait-timeout, naming the call', async () => {
  const before = { asked: received('DescribeServices'), updates: answered('UpdateService') };
  everyCall('DescribeServices', { kind: 'hang' });
  const result = await rollback();
  expect(result.timedOut).toBe(false);
  expect(result.exitCode).toBe(1);
  expect(errors(result).join('\n')).toMatch(
    /AWS ECS DescribeServices did not answer within [\d.]+ s \(wait-timeout 3s\)/,
  );
  expect(received('DescribeServices') - before.asked).toBe(1);
  expect(answered('UpdateService')).toBe(before.updates);
});
