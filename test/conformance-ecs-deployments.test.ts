// The official client is the judge of the ECS stand-in's service deployments (cli/sandbox/ecs.ts): UpdateService
// with ECS's native strategies (deploymentConfiguration.strategy CANARY, BLUE_GREEN, PAUSE lifecycle hooks),
// ListServiceDeployments, DescribeServiceDeployments, DescribeServiceRevisions, ContinueServiceDeployment and
// StopServiceDeployment, sent by @aws-sdk/client-ecs signed with the stand-in's key. What the SDK's deserialiser
// makes of the answers (lifecycleStage, lifecycleHookDetails with expiresAt as a Date, traffic weights, rollback)
// is what deploy reads; the listeners show which revision each share of traffic reaches.
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import {
  ContinueServiceDeploymentCommand,
  DescribeServiceDeploymentsCommand,
  DescribeServiceRevisionsCommand,
  DescribeServicesCommand,
  ECSClient,
  InvalidParameterException,
  ListServiceDeploymentsCommand,
  RegisterTaskDefinitionCommand,
  type ServiceDeployment,
  ServiceDeploymentNotFoundException,
  StopServiceDeploymentCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { type FakeEcs, startFakeEcs } from '../cli/sandbox/ecs.js';
import { until } from './support-waits.js';

let ecs: FakeEcs;
let client: ECSClient;

beforeEach(async () => {
  // A stage takes 40 ms; a "minute" of bake time or hook timeout 200 ms.
  ecs = await startFakeEcs({ stepMs: 40, minuteMs: 200 });
  client = new ECSClient({
    region: ecs.region,
    endpoint: ecs.url,
    maxAttempts: 1,
    credentials: { accessKeyId: ecs.accessKeyId, secretAccessKey: ecs.secretAccessKey },
  });
});
afterEach(async () => {
  client.destroy();
  await ecs.close();
});

const PAUSE_BEFORE_EACH_SHIFT = {
  targetType: 'PAUSE' as const,
  lifecycleStages: ['PRE_PRODUCTION_TRAFFIC_SHIFT' as const],
  timeoutConfiguration: { timeoutInMinutes: 30, action: 'ROLLBACK' as const },
};

/** Registers a revision with `tag` and starts a service deployment of it with `configuration`; returns its ARN. */
async function startRollout(tag: string, configuration: object): Promise<{ arn: string; taskDefinition: string }> {
  const registered = await client.send(
    new RegisterTaskDefinitionCommand({
      family: 'api',
      containerDefinitions: [{ name: 'api', image: `api:${tag}`, essential: true }],
    }),
  );
  const taskDefinition = registered.taskDefinition?.taskDefinitionArn as string;
  await client.send(
    new UpdateServiceCommand({
      cluster: ecs.cluster,
      service: ecs.serviceName,
      taskDefinition,
      deploymentConfiguration: configuration,
    }),
  );
  const listed = await client.send(
    new ListServiceDeploymentsCommand({ cluster: ecs.cluster, service: ecs.serviceName, status: ['IN_PROGRESS'] }),
  );
  expect(listed.serviceDeployments).toHaveLength(1);
  return { arn: listed.serviceDeployments?.[0]?.serviceDeploymentArn as string, taskDefinition };
}

const describeOne = async (arn: string): Promise<ServiceDeployment> =>
  (await client.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [arn] })))
    .serviceDeployments?.[0] as ServiceDeployment;

/** The service deployment once a PAUSE hook awaits action, and that hook. */
async function paused(arn: string, answered: Set<string>) {
  return until('a PAUSE hook awaiting action', async () => {
    const sd = await describeOne(arn);
    const hook = sd.lifecycleHookDetails?.find((h) => h.status === 'AWAITING_ACTION' && !answered.has(h.hookId ?? ''));
    return hook ? { sd, hook } : undefined;
  });
}

/** `n` requests to a listener; the task definitions that answered, in order. */
async function requests(url: string, n: number): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(String((await fetch(url)).headers.get('x-task-definition')));
  return out;
}

describe('a CANARY service deployment with a PAUSE hook before each production traffic shift', () => {
  test('pauses before the canary shift with the test listener on green, continues to the canary share, rolls back on ROLLBACK', async () => {
    const blue = ecs.primaryTaskDefinition();
    const { arn, taskDefinition: green } = await startRollout('v2', {
      strategy: 'CANARY',
      canaryConfiguration: { canaryPercent: 10, canaryBakeTimeInMinutes: 1 },
      bakeTimeInMinutes: 0,
      lifecycleHooks: [PAUSE_BEFORE_EACH_SHIFT],
    });
    const answered = new Set<string>();

    const first = await paused(arn, answered);
    expect(first.sd.status).toBe('IN_PROGRESS');
    expect(first.sd.lifecycleStage).toBe('POST_TEST_TRAFFIC_SHIFT');
    expect(first.hook).toMatchObject({ targetType: 'PAUSE', timeoutAction: 'ROLLBACK' });
    expect(first.hook.hookId).toMatch(/^ecs-pause-/);
    expect(first.hook.expiresAt).toBeInstanceOf(Date);
    expect(first.sd.targetServiceRevision).toMatchObject({
      requestedProductionTrafficWeight: 0,
      requestedTestTrafficWeight: 100,
    });
    expect(first.sd.deploymentConfiguration?.strategy).toBe('CANARY');
    // The revision ARNs resolve to the task definitions (DescribeServiceRevisions).
    const revisions = await client.send(
      new DescribeServiceRevisionsCommand({
        serviceRevisionArns: [
          first.sd.targetServiceRevision?.arn as string,
          first.sd.sourceServiceRevisions?.[0]?.arn as string,
        ],
      }),
    );
    expect(revisions.serviceRevisions?.map((r) => r.taskDefinition)).toEqual([green, blue]);
    // Paused: production is all blue, the test listener all green, and it stays so while nobody answers.
    expect(new Set(await requests(ecs.listeners.production, 5))).toEqual(new Set([blue]));
    expect(new Set(await requests(ecs.listeners.test, 5))).toEqual(new Set([green]));
    expect((await describeOne(arn)).targetServiceRevision?.requestedProductionTrafficWeight).toBe(0);

    answered.add(first.hook.hookId as string);
    await client.send(
      new ContinueServiceDeploymentCommand({
        serviceDeploymentArn: arn,
        hookId: first.hook.hookId,
        action: 'CONTINUE',
      }),
    );
    const second = await paused(arn, answered);
    expect(second.sd.lifecycleStage).toBe('PRODUCTION_TRAFFIC_SHIFT');
    expect(second.sd.targetServiceRevision?.requestedProductionTrafficWeight).toBe(10);
    expect(second.sd.sourceServiceRevisions?.[0]?.requestedProductionTrafficWeight).toBe(90);
    // The canary share: 2 of 20 production requests reach green.
    const canary = await requests(ecs.listeners.production, 20);
    expect(canary.filter((td) => td === green)).toHaveLength(2);

    answered.add(second.hook.hookId as string);
    await client.send(
      new ContinueServiceDeploymentCommand({
        serviceDeploymentArn: arn,
        hookId: second.hook.hookId,
        action: 'ROLLBACK',
      }),
    );
    const rolledBack = await until('the rollback to finish', async () => {
      const sd = await describeOne(arn);
      return sd.status === 'ROLLBACK_SUCCESSFUL' ? sd : undefined;
    });
    expect(rolledBack.rollback?.serviceRevisionArn).toBe(first.sd.sourceServiceRevisions?.[0]?.arn);
    expect(rolledBack.finishedAt).toBeInstanceOf(Date);
    expect(rolledBack.lifecycleHookDetails?.map((h) => h.status)).toEqual(['SUCCEEDED', 'FAILED']);
    expect(new Set(await requests(ecs.listeners.production, 10))).toEqual(new Set([blue]));
    const service = (await client.send(new DescribeServicesCommand({ cluster: ecs.cluster, services: ['api'] })))
      .services?.[0];
    expect(service?.deployments?.map((d) => [d.status, d.taskDefinition])).toEqual([['PRIMARY', blue]]);
  });

  test('a healthy one continued at every pause completes: SUCCESSFUL, green alone serves production', async () => {
    const { arn, taskDefinition: green } = await startRollout('v3', {
      strategy: 'CANARY',
      canaryConfiguration: { canaryPercent: 25, canaryBakeTimeInMinutes: 0 },
      bakeTimeInMinutes: 0,
      lifecycleHooks: [PAUSE_BEFORE_EACH_SHIFT],
    });
    const answered = new Set<string>();
    const shares: number[] = [];
    for (;;) {
      const sd = await describeOne(arn);
      if (sd.status === 'SUCCESSFUL') break;
      const hook = sd.lifecycleHookDetails?.find(
        (h) => h.status === 'AWAITING_ACTION' && !answered.has(h.hookId ?? ''),
      );
      if (hook?.hookId) {
        shares.push(sd.targetServiceRevision?.requestedProductionTrafficWeight ?? -1);
        answered.add(hook.hookId);
        await client.send(
          new ContinueServiceDeploymentCommand({ serviceDeploymentArn: arn, hookId: hook.hookId, action: 'CONTINUE' }),
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    // Two shifts (25%, then the rest), each preceded by a pause.
    expect(shares).toEqual([0, 25]);
    expect(new Set(await requests(ecs.listeners.production, 5))).toEqual(new Set([green]));
    expect(ecs.stable()).toBe(true);
  });

  test('a pause nobody answers times out and ECS takes its timeout action, ROLLBACK', async () => {
    const blue = ecs.primaryTaskDefinition();
    const { arn } = await startRollout('v4', {
      strategy: 'BLUE_GREEN',
      bakeTimeInMinutes: 0,
      lifecycleHooks: [
        { ...PAUSE_BEFORE_EACH_SHIFT, timeoutConfiguration: { timeoutInMinutes: 1, action: 'ROLLBACK' } },
      ],
    });
    const done = await until('the timed-out pause to roll the deployment back', async () => {
      const sd = await describeOne(arn);
      return sd.status === 'ROLLBACK_SUCCESSFUL' ? sd : undefined;
    });
    expect(done.lifecycleHookDetails?.[0]?.status).toBe('TIMED_OUT');
    expect(done.rollback?.reason).toMatch(/timed out/);
    expect(ecs.primaryTaskDefinition()).toBe(blue);
  });

  test('StopServiceDeployment ROLLBACK rolls back a deployment that is not paused', async () => {
    const blue = ecs.primaryTaskDefinition();
    const { arn } = await startRollout('v5', { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 5, lifecycleHooks: [] });
    await client.send(new StopServiceDeploymentCommand({ serviceDeploymentArn: arn, stopType: 'ROLLBACK' }));
    const done = await until('the stopped deployment to roll back', async () => {
      const sd = await describeOne(arn);
      return sd.status === 'ROLLBACK_SUCCESSFUL' ? sd : undefined;
    });
    expect(done.rollback?.reason).toMatch(/StopServiceDeployment/);
    expect(ecs.primaryTaskDefinition()).toBe(blue);
  });
});

describe("the stand-in refuses what ECS refuses, with ECS's error types", () => {
  test('a PAUSE hook at PRODUCTION_TRAFFIC_SHIFT (only Lambda hooks may run there)', async () => {
    const error = await client
      .send(
        new UpdateServiceCommand({
          cluster: ecs.cluster,
          service: ecs.serviceName,
          deploymentConfiguration: {
            strategy: 'CANARY',
            lifecycleHooks: [{ targetType: 'PAUSE', lifecycleStages: ['PRODUCTION_TRAFFIC_SHIFT'] }],
          },
        }),
      )
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidParameterException);
    expect((error as Error).message).toMatch(/PAUSE hooks cannot be configured at/);
  });

  test('ContinueServiceDeployment with a hook that is not awaiting action, or of an unknown deployment', async () => {
    const { arn } = await startRollout('v6', {
      strategy: 'BLUE_GREEN',
      bakeTimeInMinutes: 0,
      lifecycleHooks: [PAUSE_BEFORE_EACH_SHIFT],
    });
    const { hook } = await paused(arn, new Set());
    await client.send(
      new ContinueServiceDeploymentCommand({ serviceDeploymentArn: arn, hookId: hook.hookId, action: 'CONTINUE' }),
    );
    const twice = await client
      .send(
        new ContinueServiceDeploymentCommand({ serviceDeploymentArn: arn, hookId: hook.hookId, action: 'ROLLBACK' }),
      )
      .catch((e: unknown) => e);
    expect(twice).toBeInstanceOf(InvalidParameterException);
    const unknown = await client
      .send(
        new ContinueServiceDeploymentCommand({
          serviceDeploymentArn: `${arn}x`,
          hookId: hook.hookId,
          action: 'CONTINUE',
        }),
      )
      .catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(ServiceDeploymentNotFoundException);
  });
});
