// A loopback Amazon ECS that speaks the AWS JSON 1.1 protocol (POST /, X-Amz-Target:
// AmazonEC2ContainerServiceV20141113.<Op>, Content-Type application/x-amz-json-1.1, errors as {__type, message};
// see shared/reference/providers.md), for the real @aws-sdk/client-ecs pointed at it with AWS_ENDPOINT_URL_ECS.
// Requests must be signed (SigV4) with the fake's access key and secret for its region and the ecs service: the
// signature is recomputed here, so wrong credentials fail as they do on AWS.
//
// One Fargate service whose deployments roll out over time: the PRIMARY deployment starts one task per step
// until running == desired, then the older deployments drain, then its rolloutState becomes COMPLETED ("has
// reached a steady state"). A rollout can instead crash (every task stops with "Essential container in task
// exited"; with the circuit breaker on, after 3 failed tasks the rollout FAILS and, with rollback on, ECS starts
// a new PRIMARY deployment of the previous task definition) or get stuck (tasks stay PROVISIONING forever).
// Faults (ThrottlingException, 5xx, 429, resets) come from the FakeServer it runs on.
//
// With deploymentConfiguration.strategy BLUE_GREEN, CANARY or LINEAR (ECS's native strategies, 2025), UpdateService
// starts a service deployment instead: a state machine through ECS's lifecycle stages (scale up, test traffic shift,
// production traffic shifts of the strategy's shares with their bake times, bake time, clean up), each taking
// time, PAUSE lifecycle hooks that wait for ContinueServiceDeployment (CONTINUE or ROLLBACK) or their timeout, and
// rollbacks that put all traffic back on the source revision. Two loopback listeners stand for the load balancer's
// production and test listeners: each request is served by the blue (source) or green (target) revision by the
// traffic share of that moment, the green one answering as its image is told to (apps). See the deploy README's
// fidelity table for the AWS documentation each rule follows.
import { createHash, createHmac, randomBytes, randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { type FakeServer, type RecordedRequest, sendJson, startFakeServer } from './server.js';

const TARGET_PREFIX = 'AmazonEC2ContainerServiceV20141113.';
const ACCOUNT = '123456789012';
const FAILED_TASK_THRESHOLD = 3;
const READ_ONLY = [
  'taskDefinitionArn',
  'revision',
  'status',
  'requiresAttributes',
  'compatibilities',
  'registeredAt',
  'registeredBy',
  'deregisteredAt',
];

type Json = Record<string, any>;
export type Behaviour = 'healthy' | 'crash' | 'stuck';

export interface FakeEcsDeployment {
  id: string;
  status: 'PRIMARY' | 'ACTIVE' | 'INACTIVE';
  taskDefinition: string;
  desiredCount: number;
  runningCount: number;
  pendingCount: number;
  failedTasks: number;
  rolloutState: 'IN_PROGRESS' | 'COMPLETED' | 'FAILED';
  rolloutStateReason: string;
  createdAt: number;
  updatedAt: number;
  behaviour: Behaviour;
}

interface FakeTask {
  taskArn: string;
  taskDefinitionArn: string;
  startedBy: string;
  lastStatus: string;
  desiredStatus: 'RUNNING' | 'STOPPED';
  stoppedReason?: string;
  stopCode?: string;
  stoppedAt?: number;
  createdAt: number;
  containers: Json[];
}

/**
 * How a revision's containers answer on the listeners, by image: 'errors' answers every request with 500;
 * `{ failEvery: n }` answers every n-th request that image serves with 500 (a flaky release).
 */
export type AppBehaviour = 'healthy' | 'errors' | { failEvery: number };

export type FakeStrategy = 'ROLLING' | 'BLUE_GREEN' | 'CANARY' | 'LINEAR';

/** One stage of a service deployment's plan. */
interface PlannedStage {
  /** What DescribeServiceDeployments reports as lifecycleStage while in it. */
  stage: string;
  /** The lifecycle hook stage it is (a PAUSE hook configured for it pauses here, on entry). */
  hookStage?: string;
  /** How long it takes once entered (and, with a pause, once continued). */
  ms: number;
  production?: number;
  test?: number;
}

export interface FakeServiceDeployment {
  arn: string;
  strategy: FakeStrategy;
  source: { revisionArn: string; taskDefinition: string };
  target: { revisionArn: string; taskDefinition: string };
  configuration: Json;
  status:
    | 'PENDING'
    | 'IN_PROGRESS'
    | 'SUCCESSFUL'
    | 'STOPPED'
    | 'ROLLBACK_REQUESTED'
    | 'ROLLBACK_IN_PROGRESS'
    | 'ROLLBACK_SUCCESSFUL';
  statusReason?: string;
  createdAt: number;
  finishedAt?: number;
  updatedAt: number;
  plan: PlannedStage[];
  index: number;
  /** When the current stage's own time started (its entry, or the CONTINUE of its pause). */
  stageStartedAt: number;
  productionWeight: number;
  testWeight: number;
  hooks: {
    hookId: string;
    stage: string;
    status: string;
    expiresAt: number;
    timeoutAction: string;
    /** When it began to wait, and when ContinueServiceDeployment answered it (what the bench measures). */
    awaitingSince: number;
    answeredAt?: number;
  }[];
  rollback?: { reason: string; startedAt: number; serviceRevisionArn: string };
  /** The production share of the target revision when a rollback began (what "stopped at N%" names). */
  stoppedAtPercent?: number;
  /** The legacy deployment (DescribeServices' deployments) that runs the target revision's tasks. */
  deploymentId: string;
}

/** One request a listener served: which revision answered, and the shares of that moment. */
export interface ServedRequest {
  listener: 'production' | 'test';
  taskDefinition: string;
  status: number;
  productionWeight: number;
  stage?: string;
}

export interface FakeEcs {
  server: FakeServer;
  url: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  cluster: string;
  serviceName: string;
  taskDefinitions: Map<string, Json>;
  deployments: FakeEcsDeployment[];
  /** Every operation received (after faults), in order, with when. */
  calls: { op: string; at: number }[];
  circuitBreaker: { enable: boolean; rollback: boolean };
  /** stepMs: one scheduler step, or one lifecycle stage; minuteMs: what a minute of a bake time or hook timeout lasts. */
  timing: { stepMs: number; minuteMs: number };
  serviceDeployments: FakeServiceDeployment[];
  /** Service deployments started while another was still in progress (ECS would have to stop one): never wanted. */
  overlappingRollouts: number;
  /** The load balancer's production and test listeners (http://127.0.0.1:port). */
  listeners: { production: string; test: string };
  /** Every request the listeners served, in order. */
  served: ServedRequest[];
  /** How each image answers on the listeners (default healthy). */
  apps: Map<string, AppBehaviour>;
  /** The service's deploymentConfiguration as UpdateService left it. */
  deploymentConfiguration: Json;
  /**
   * Whether the service's load balancer has what ECS's blue/green needs (loadBalancers[].advancedConfiguration: the
   * alternate target group, the production and test listener rules); default true. False: a plain target group.
   */
  blueGreenListeners: boolean;
  /** How the next rollout that UpdateService starts behaves. */
  nextRollout(behaviour: Behaviour): void;
  /** The task definition of the PRIMARY deployment. */
  primaryTaskDefinition(): string;
  /** Whether the service is stable (one deployment, COMPLETED, running == desired). */
  stable(): boolean;
  close(): Promise<void>;
}

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();

/** AWS Signature Version 4 of a request, recomputed from the headers it says it signed. */
/**
 * Why a request's AWS Signature Version 4 is refused, or undefined when it is signed with `accessKeyId` and
 * `secretAccessKey` for `service` in `region` and covers the X-Amz-Target header: the check every AWS stand-in makes
 * before any operation (each answers with its own service's error codes).
 */
export function signatureProblem(
  req: RecordedRequest,
  expected: { accessKeyId: string; secretAccessKey: string; region: string; service: string },
): { kind: 'credential' } | { kind: 'scope'; scope: string } | { kind: 'signature' } | undefined {
  const auth =
    /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8}\/[^/]+\/[^/]+\/aws4_request), SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})$/.exec(
      String(req.headers.authorization ?? ''),
    );
  if (!auth || auth[1] !== expected.accessKeyId || !req.headers['x-amz-date']) return { kind: 'credential' };
  const [, , scope, signed, signature] = auth as unknown as [string, string, string, string, string];
  if (!scope.endsWith(`/${expected.region}/${expected.service}/aws4_request`)) return { kind: 'scope', scope };
  if (!signed.split(';').includes('x-amz-target') || sigV4(req, expected.secretAccessKey, scope, signed) !== signature)
    return { kind: 'signature' };
  return undefined;
}

function sigV4(req: RecordedRequest, secret: string, credentialScope: string, signedHeaders: string): string {
  const amzDate = String(req.headers['x-amz-date'] ?? '');
  const [date, region, service] = credentialScope.split('/');
  const canonicalHeaders = signedHeaders
    .split(';')
    .map(
      (name) =>
        `${name}:${String(req.headers[name] ?? '')
          .trim()
          .replace(/\s+/g, ' ')}\n`,
    )
    .join('');
  const payloadHash = String(req.headers['x-amz-content-sha256'] ?? sha256(req.raw));
  const canonicalRequest = [req.method, '/', '', canonicalHeaders, signedHeaders, payloadHash].join('\n');
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, credentialScope, sha256(canonicalRequest)].join('\n');
  const key = hmac(
    hmac(hmac(hmac(`AWS4${secret}`, date as string), region as string), service as string),
    'aws4_request',
  );
  return createHmac('sha256', key).update(stringToSign).digest('hex');
}

export async function startFakeEcs(
  options: { stepMs?: number; minuteMs?: number; desiredCount?: number; region?: string } = {},
): Promise<FakeEcs> {
  const region = options.region ?? 'eu-west-1';
  const accessKeyId = `AKIA${randomBytes(8).toString('hex').toUpperCase()}`;
  const secretAccessKey = randomBytes(20).toString('base64');
  const cluster = 'production';
  const serviceName = 'api';
  const clusterArn = `arn:aws:ecs:${region}:${ACCOUNT}:cluster/${cluster}`;
  const serviceArn = `arn:aws:ecs:${region}:${ACCOUNT}:service/${cluster}/${serviceName}`;
  const desiredCount = options.desiredCount ?? 2;
  const timing = { stepMs: options.stepMs ?? 300, minuteMs: options.minuteMs ?? 60_000 };
  const circuitBreaker = { enable: true, rollback: true };
  const taskDefinitions = new Map<string, Json>();
  const revisions = new Map<string, number>();
  const deployments: FakeEcsDeployment[] = [];
  const tasks = new Map<string, FakeTask>();
  const events: { id: string; createdAt: number; message: string }[] = [];
  const calls: { op: string; at: number }[] = [];
  let next: Behaviour | undefined;
  let lastStep = Date.now();

  const seconds = (ms: number) => ms / 1000;
  const event = (message: string) =>
    events.unshift({ id: randomUUID(), createdAt: Date.now(), message: `(service ${serviceName}) ${message}` });
  const deploymentId = () =>
    `ecs-svc/${BigInt(`0x${randomBytes(8).toString('hex')}`)
      .toString()
      .padStart(19, '0')
      .slice(0, 19)}`;

  function register(input: Json): Json {
    const family = input.family as string;
    const revision = (revisions.get(family) ?? 0) + 1;
    revisions.set(family, revision);
    const arn = `arn:aws:ecs:${region}:${ACCOUNT}:task-definition/${family}:${revision}`;
    const td = {
      ...input,
      taskDefinitionArn: arn,
      revision,
      status: 'ACTIVE',
      compatibilities: ['EC2', 'FARGATE'],
      requiresAttributes: [
        { name: 'com.amazonaws.ecs.capability.docker-remote-api.1.18' },
        { name: 'ecs.capability.task-eni' },
      ],
      registeredAt: Date.now(),
      registeredBy: `arn:aws:sts::${ACCOUNT}:assumed-role/deploy/shipline`,
    };
    taskDefinitions.set(arn, td);
    return td;
  }

  function resolveTd(ref: string): Json | undefined {
    if (taskDefinitions.has(ref)) return taskDefinitions.get(ref);
    const [family, revision] = ref.split(':');
    const all = [...taskDefinitions.values()].filter(
      (td) => td.family === family && (revision ? td.revision === Number(revision) : td.status === 'ACTIVE'),
    );
    return all.sort((a, b) => b.revision - a.revision)[0];
  }

  function startDeployment(taskDefinition: string, behaviour: Behaviour): FakeEcsDeployment {
    for (const d of deployments) if (d.status === 'PRIMARY') d.status = 'ACTIVE';
    const d: FakeEcsDeployment = {
      id: deploymentId(),
      status: 'PRIMARY',
      taskDefinition,
      desiredCount,
      runningCount: 0,
      pendingCount: 0,
      failedTasks: 0,
      rolloutState: 'IN_PROGRESS',
      rolloutStateReason: 'ECS deployment ecs-svc in progress.',
      createdAt: Date.now(),
      updatedAt: Date.now(),
      behaviour,
    };
    deployments.unshift(d);
    return d;
  }

  function newTask(d: FakeEcsDeployment, lastStatus: string): FakeTask {
    const td = taskDefinitions.get(d.taskDefinition) as Json;
    const task: FakeTask = {
      taskArn: `arn:aws:ecs:${region}:${ACCOUNT}:task/${cluster}/${randomBytes(16).toString('hex')}`,
      taskDefinitionArn: d.taskDefinition,
      startedBy: d.id,
      lastStatus,
      desiredStatus: 'RUNNING',
      createdAt: Date.now(),
      containers: (td.containerDefinitions as Json[]).map((c) => ({ name: c.name, image: c.image, lastStatus })),
    };
    tasks.set(task.taskArn, task);
    return task;
  }

  function stopTask(task: FakeTask, reason: string, stopCode: string, crashed: boolean): void {
    task.lastStatus = 'STOPPED';
    task.desiredStatus = 'STOPPED';
    task.stoppedReason = reason;
    task.stopCode = stopCode;
    task.stoppedAt = Date.now();
    task.containers = task.containers.map((c, i) => ({
      ...c,
      lastStatus: 'STOPPED',
      exitCode: crashed && i === 0 ? 1 : 0,
      ...(crashed && i === 0 ? {} : { reason: undefined }),
    }));
  }

  /** One step of ECS's scheduler for the service. */
  function step(): void {
    const primary = deployments.find((d) => d.status === 'PRIMARY');
    if (!primary || primary.rolloutState !== 'IN_PROGRESS') return;
    primary.updatedAt = Date.now();
    if (primary.behaviour === 'stuck') {
      if (primary.pendingCount === 0) {
        for (let i = 0; i < primary.desiredCount; i++) newTask(primary, 'PROVISIONING');
        primary.pendingCount = primary.desiredCount;
        event(`has started ${primary.desiredCount} tasks.`);
      }
      return;
    }
    if (primary.behaviour === 'crash') {
      const task = newTask(primary, 'RUNNING');
      event(`has started 1 tasks: (task ${task.taskArn.split('/').pop()}).`);
      stopTask(task, 'Essential container in task exited', 'EssentialContainerExited', true);
      primary.failedTasks++;
      if (circuitBreaker.enable && primary.failedTasks >= FAILED_TASK_THRESHOLD) {
        primary.rolloutState = 'FAILED';
        primary.rolloutStateReason = 'ECS deployment circuit breaker: tasks failed to start.';
        event(`deployment ${primary.id} deployment failed: tasks failed to start.`);
        if (circuitBreaker.rollback) {
          const previous = deployments.find((d) => d !== primary && d.status === 'ACTIVE');
          if (previous) {
            event(`rolling back to deployment ${previous.id}.`);
            const back = startDeployment(previous.taskDefinition, 'healthy');
            // The tasks of the previous release never stopped: the rollback deployment takes them over.
            back.runningCount = previous.runningCount;
            previous.runningCount = 0;
          }
        }
      }
      return;
    }
    if (primary.runningCount < primary.desiredCount) {
      const task = newTask(primary, 'RUNNING');
      primary.runningCount++;
      event(`has started 1 tasks: (task ${task.taskArn.split('/').pop()}).`);
      return;
    }
    const draining = deployments.find((d) => d !== primary && d.status !== 'INACTIVE');
    if (draining) {
      for (const task of tasks.values())
        if (task.startedBy === draining.id && task.desiredStatus === 'RUNNING')
          stopTask(
            task,
            `Scaling activity initiated by (deployment ${primary.id})`,
            'ServiceSchedulerInitiated',
            false,
          );
      if (draining.runningCount > 0) event(`has stopped ${draining.runningCount} running tasks.`);
      draining.runningCount = 0;
      draining.pendingCount = 0;
      draining.status = 'INACTIVE';
      deployments.splice(deployments.indexOf(draining), 1);
      return;
    }
    primary.rolloutState = 'COMPLETED';
    primary.rolloutStateReason = 'ECS deployment ecs-svc completed.';
    event(`deployment ${primary.id} deployment completed.`);
    event('has reached a steady state.');
  }

  function advance(): void {
    while (Date.now() - lastStep >= timing.stepMs) {
      lastStep += timing.stepMs;
      // A service deployment's tasks are started by its SCALE_UP stage, not by the rolling scheduler.
      if (!serviceDeployments.some((sd) => inFlight(sd))) step();
    }
    progressAll();
  }

  // ECS's native strategies: service deployments through lifecycle stages (see the header).
  const serviceDeploymentId = () => randomBytes(11).toString('base64url');
  const serviceRevisions = new Map<string, string>();
  const newRevision = (taskDefinition: string) => {
    const arn = `arn:aws:ecs:${region}:${ACCOUNT}:service-revision/${cluster}/${serviceName}/${BigInt(`0x${randomBytes(8).toString('hex')}`)}`;
    serviceRevisions.set(arn, taskDefinition);
    return arn;
  };
  const serviceDeployments: FakeServiceDeployment[] = [];
  const deploymentConfiguration: Json = {
    deploymentCircuitBreaker: circuitBreaker,
    maximumPercent: 200,
    minimumHealthyPercent: 100,
    strategy: 'ROLLING',
  };
  let overlappingRollouts = 0;
  let blueGreenListeners = true;
  const PAUSE_STAGES_REFUSED = ['TEST_TRAFFIC_SHIFT', 'PRODUCTION_TRAFFIC_SHIFT'];
  const HOOK_STAGES = [
    'RECONCILE_SERVICE',
    'PRE_SCALE_UP',
    'POST_SCALE_UP',
    'TEST_TRAFFIC_SHIFT',
    'POST_TEST_TRAFFIC_SHIFT',
    'PRE_PRODUCTION_TRAFFIC_SHIFT',
    'PRODUCTION_TRAFFIC_SHIFT',
    'POST_PRODUCTION_TRAFFIC_SHIFT',
  ];
  const inFlight = (sd: FakeServiceDeployment) =>
    sd.status === 'PENDING' ||
    sd.status === 'IN_PROGRESS' ||
    sd.status === 'ROLLBACK_REQUESTED' ||
    sd.status === 'ROLLBACK_IN_PROGRESS';

  /** The production shares a strategy shifts through, in percent. */
  function shares(strategy: FakeStrategy, config: Json): number[] {
    if (strategy === 'CANARY') return [Number(config.canaryConfiguration?.canaryPercent ?? 5), 100];
    if (strategy === 'LINEAR') {
      const step = Number(config.linearConfiguration?.stepPercent ?? 10);
      const out: number[] = [];
      for (let p = step; p < 100; p = Math.round((p + step) * 10) / 10) out.push(p);
      return [...out, 100];
    }
    return [100];
  }

  /**
   * The stages of a service deployment. PRE_PRODUCTION_TRAFFIC_SHIFT is a hook stage only (ServiceDeploymentLifecycleStage
   * has no such value): "for linear and canary deployments, this stage is invoked before every traffic shift step"
   * (API reference, DeploymentLifecycleHook); while paused there the deployment reports the stage it is leaving.
   */
  function planFor(strategy: FakeStrategy, config: Json): PlannedStage[] {
    const step = timing.stepMs;
    const minutes = (n: unknown, otherwise: number) => Number(n ?? otherwise) * timing.minuteMs;
    const stepBake =
      strategy === 'CANARY'
        ? minutes(config.canaryConfiguration?.canaryBakeTimeInMinutes, 10)
        : strategy === 'LINEAR'
          ? minutes(config.linearConfiguration?.stepBakeTimeInMinutes, 6)
          : 0;
    const plan: PlannedStage[] = [
      { stage: 'PRE_SCALE_UP', hookStage: 'PRE_SCALE_UP', ms: step },
      { stage: 'SCALE_UP', ms: step },
      { stage: 'POST_SCALE_UP', hookStage: 'POST_SCALE_UP', ms: step },
      { stage: 'TEST_TRAFFIC_SHIFT', hookStage: 'TEST_TRAFFIC_SHIFT', ms: step, test: 100 },
      { stage: 'POST_TEST_TRAFFIC_SHIFT', hookStage: 'POST_TEST_TRAFFIC_SHIFT', ms: step },
    ];
    const all = shares(strategy, config);
    all.forEach((share, i) => {
      plan.push({
        stage: i === 0 ? 'POST_TEST_TRAFFIC_SHIFT' : 'PRODUCTION_TRAFFIC_SHIFT',
        hookStage: 'PRE_PRODUCTION_TRAFFIC_SHIFT',
        ms: 0,
      });
      plan.push({
        stage: 'PRODUCTION_TRAFFIC_SHIFT',
        hookStage: 'PRODUCTION_TRAFFIC_SHIFT',
        ms: step,
        production: share,
      });
      if (share < 100 && stepBake > 0) plan.push({ stage: 'PRODUCTION_TRAFFIC_SHIFT', ms: stepBake });
    });
    plan.push(
      { stage: 'POST_PRODUCTION_TRAFFIC_SHIFT', hookStage: 'POST_PRODUCTION_TRAFFIC_SHIFT', ms: step },
      { stage: 'BAKE_TIME', ms: minutes(config.bakeTimeInMinutes, 0) },
      { stage: 'CLEAN_UP', ms: step },
    );
    return plan;
  }

  function pauseHookFor(sd: FakeServiceDeployment, hookStage: string | undefined): Json | undefined {
    if (!hookStage) return undefined;
    return ((sd.configuration.lifecycleHooks ?? []) as Json[]).find(
      (h) => h.targetType === 'PAUSE' && (h.lifecycleStages ?? []).includes(hookStage),
    );
  }

  /** Enters stage `index` at `at`: its traffic shares apply, and a PAUSE hook configured for it starts waiting. */
  function enter(sd: FakeServiceDeployment, index: number, at: number): void {
    sd.index = index;
    sd.stageStartedAt = at;
    sd.updatedAt = at;
    const stage = sd.plan[index] as PlannedStage;
    if (stage.stage === 'SCALE_UP') {
      const green = deployments.find((d) => d.id === sd.deploymentId);
      if (green) green.runningCount = green.desiredCount;
    }
    if (stage.test !== undefined) sd.testWeight = stage.test;
    if (stage.production !== undefined) {
      sd.productionWeight = stage.production;
      event(`service deployment ${sd.arn.split('/').pop()} shifted ${stage.production}% of production traffic.`);
    }
    const hook = pauseHookFor(sd, stage.hookStage);
    if (hook) {
      const timeout = hook.timeoutConfiguration ?? {};
      sd.hooks.push({
        hookId: `ecs-pause-${randomBytes(32).toString('base64url')}`,
        stage: stage.hookStage as string,
        status: 'AWAITING_ACTION',
        expiresAt: at + Number(timeout.timeoutInMinutes ?? 1440) * timing.minuteMs,
        timeoutAction: timeout.action ?? 'ROLLBACK',
        awaitingSince: at,
      });
    }
  }

  const awaiting = (sd: FakeServiceDeployment) => sd.hooks.find((h) => h.status === 'AWAITING_ACTION');

  function startRollback(sd: FakeServiceDeployment, reason: string, at: number): void {
    sd.status = 'ROLLBACK_IN_PROGRESS';
    sd.statusReason = reason;
    sd.stoppedAtPercent = sd.productionWeight;
    sd.rollback = { reason, startedAt: at, serviceRevisionArn: sd.source.revisionArn };
    // Traffic goes back to the source revision's target group first; its tasks never stopped.
    sd.productionWeight = 0;
    sd.testWeight = 0;
    sd.stageStartedAt = at;
    sd.updatedAt = at;
    event(`service deployment ${sd.arn.split('/').pop()} is rolling back: ${reason}`);
  }

  function finish(sd: FakeServiceDeployment, at: number): void {
    sd.finishedAt = at;
    sd.updatedAt = at;
    const green = deployments.find((d) => d.id === sd.deploymentId);
    if (sd.status === 'ROLLBACK_IN_PROGRESS') {
      sd.status = 'ROLLBACK_SUCCESSFUL';
      if (green) deployments.splice(deployments.indexOf(green), 1);
      const blue = deployments.find((d) => d.taskDefinition === sd.source.taskDefinition);
      if (blue) Object.assign(blue, { status: 'PRIMARY', rolloutState: 'COMPLETED' });
      event(`service deployment ${sd.arn.split('/').pop()} rolled back to ${sd.source.taskDefinition}.`);
      return;
    }
    sd.status = 'SUCCESSFUL';
    sd.productionWeight = 100;
    for (const d of [...deployments]) if (d !== green) deployments.splice(deployments.indexOf(d), 1);
    if (green)
      Object.assign(green, {
        status: 'PRIMARY',
        rolloutState: 'COMPLETED',
        rolloutStateReason: 'ECS deployment ecs-svc completed.',
      });
    event(`service deployment ${sd.arn.split('/').pop()} completed.`);
    event('has reached a steady state.');
  }

  /** Moves a service deployment through its stages up to now (each transition at the time it was due). */
  function progress(sd: FakeServiceDeployment, now: number): void {
    for (;;) {
      if (sd.status === 'ROLLBACK_IN_PROGRESS') {
        if (now - sd.stageStartedAt >= timing.stepMs) finish(sd, sd.stageStartedAt + timing.stepMs);
        return;
      }
      if (sd.status !== 'IN_PROGRESS') return;
      const hook = awaiting(sd);
      if (hook) {
        if (now < hook.expiresAt) return;
        hook.status = 'TIMED_OUT';
        if (hook.timeoutAction === 'ROLLBACK') {
          startRollback(sd, `lifecycle hook ${hook.hookId} timed out`, hook.expiresAt);
          continue;
        }
        sd.stageStartedAt = hook.expiresAt;
      }
      const stage = sd.plan[sd.index] as PlannedStage;
      const due = sd.stageStartedAt + stage.ms;
      if (now < due) return;
      if (sd.index + 1 >= sd.plan.length) {
        finish(sd, due);
        return;
      }
      enter(sd, sd.index + 1, due);
    }
  }

  function progressAll(): void {
    const now = Date.now();
    for (const sd of serviceDeployments) progress(sd, now);
  }

  function startServiceDeployment(taskDefinition: string): FakeServiceDeployment {
    const running = serviceDeployments.find(inFlight);
    if (running) {
      overlappingRollouts++;
      running.status = 'STOPPED';
      running.statusReason = 'replaced by a newer service deployment';
    }
    const sourceTd = (deployments.find((d) => d.status === 'PRIMARY') as FakeEcsDeployment).taskDefinition;
    const green = startDeployment(taskDefinition, 'healthy');
    const strategy = deploymentConfiguration.strategy as FakeStrategy;
    const now = Date.now();
    const sd: FakeServiceDeployment = {
      arn: `arn:aws:ecs:${region}:${ACCOUNT}:service-deployment/${cluster}/${serviceName}/${serviceDeploymentId()}`,
      strategy,
      source: { revisionArn: newRevision(sourceTd), taskDefinition: sourceTd },
      target: { revisionArn: newRevision(taskDefinition), taskDefinition },
      configuration: structuredClone(deploymentConfiguration),
      status: 'IN_PROGRESS',
      createdAt: now,
      updatedAt: now,
      plan: planFor(strategy, deploymentConfiguration),
      index: 0,
      stageStartedAt: now,
      productionWeight: 0,
      testWeight: 0,
      hooks: [],
      deploymentId: green.id,
    };
    serviceDeployments.unshift(sd);
    enter(sd, 0, now);
    return sd;
  }

  /** What a revision (by task definition) is shown as in a service deployment. */
  const revisionSummary = (sd: FakeServiceDeployment, which: 'source' | 'target') => {
    const green = which === 'target';
    const weight = (w: number) => (green ? w : 100 - w);
    return {
      arn: sd[which].revisionArn,
      requestedTaskCount: desiredCount,
      runningTaskCount: green && sd.index < 2 && sd.status === 'IN_PROGRESS' ? 0 : desiredCount,
      pendingTaskCount: 0,
      requestedTestTrafficWeight: weight(sd.testWeight),
      requestedProductionTrafficWeight: weight(sd.productionWeight),
    };
  };

  const serviceDeploymentJson = (sd: FakeServiceDeployment): Json => ({
    serviceDeploymentArn: sd.arn,
    serviceArn,
    clusterArn,
    createdAt: seconds(sd.createdAt),
    startedAt: seconds(sd.createdAt),
    updatedAt: seconds(sd.updatedAt),
    ...(sd.finishedAt ? { finishedAt: seconds(sd.finishedAt) } : {}),
    sourceServiceRevisions: [revisionSummary(sd, 'source')],
    targetServiceRevision: revisionSummary(sd, 'target'),
    status: sd.status,
    ...(sd.statusReason ? { statusReason: sd.statusReason } : {}),
    lifecycleStage: sd.status === 'IN_PROGRESS' ? (sd.plan[sd.index] as PlannedStage).stage : undefined,
    lifecycleHookDetails: sd.hooks.map((h) => ({
      hookId: h.hookId,
      targetType: 'PAUSE',
      status: h.status,
      expiresAt: seconds(h.expiresAt),
      timeoutAction: h.timeoutAction,
    })),
    deploymentConfiguration: sd.configuration,
    ...(sd.rollback
      ? {
          rollback: {
            reason: sd.rollback.reason,
            startedAt: seconds(sd.rollback.startedAt),
            serviceRevisionArn: sd.rollback.serviceRevisionArn,
          },
        }
      : {}),
  });

  const findServiceDeployment = (arn: unknown) => {
    const sd = serviceDeployments.find((d) => d.arn === arn);
    if (!sd)
      throw new AwsError('ServiceDeploymentNotFoundException', `The service deployment ${String(arn)} does not exist.`);
    return sd;
  };

  /** The deploymentConfiguration fields UpdateService may change, checked as ECS documents them. */
  function checkDeploymentConfiguration(config: Json): void {
    const strategy = config.strategy;
    if (strategy !== undefined && !['ROLLING', 'BLUE_GREEN', 'CANARY', 'LINEAR'].includes(strategy))
      throw new AwsError('InvalidParameterException', `Invalid deployment strategy: ${String(strategy)}.`);
    const canary = config.canaryConfiguration?.canaryPercent;
    if (canary !== undefined && !(canary >= 0.1 && canary <= 100))
      throw new AwsError('InvalidParameterException', 'canaryPercent must be between 0.1 and 100.0.');
    const step = config.linearConfiguration?.stepPercent;
    if (step !== undefined && !(step >= 3 && step <= 100))
      throw new AwsError('InvalidParameterException', 'stepPercent must be between 3.0 and 100.0.');
    for (const minutes of [
      config.bakeTimeInMinutes,
      config.canaryConfiguration?.canaryBakeTimeInMinutes,
      config.linearConfiguration?.stepBakeTimeInMinutes,
    ])
      if (minutes !== undefined && !(Number.isInteger(minutes) && minutes >= 0 && minutes <= 1440))
        throw new AwsError('InvalidParameterException', 'Bake times must be whole minutes from 0 to 1440.');
    for (const hook of (config.lifecycleHooks ?? []) as Json[]) {
      const stages = (hook.lifecycleStages ?? []) as string[];
      if (stages.length === 0 || stages.some((s) => !HOOK_STAGES.includes(s)))
        throw new AwsError('InvalidParameterException', 'A lifecycle hook needs valid lifecycleStages.');
      if (hook.targetType === 'PAUSE' && stages.some((s) => PAUSE_STAGES_REFUSED.includes(s)))
        throw new AwsError(
          'InvalidParameterException',
          'PAUSE hooks cannot be configured at TEST_TRAFFIC_SHIFT or PRODUCTION_TRAFFIC_SHIFT stages.',
        );
      if (hook.targetType === 'AWS_LAMBDA' && !hook.hookTargetArn)
        throw new AwsError('InvalidParameterException', 'An AWS_LAMBDA lifecycle hook needs a hookTargetArn.');
      const minutes = hook.timeoutConfiguration?.timeoutInMinutes;
      if (minutes !== undefined && !(Number.isInteger(minutes) && minutes >= 1 && minutes <= 1440))
        throw new AwsError('InvalidParameterException', 'timeoutInMinutes must be from 1 to 1440.');
    }
  }

  const deploymentJson = (d: FakeEcsDeployment) => ({
    id: d.id,
    status: d.status,
    taskDefinition: d.taskDefinition,
    desiredCount: d.desiredCount,
    pendingCount: d.pendingCount,
    runningCount: d.runningCount,
    failedTasks: d.failedTasks,
    createdAt: seconds(d.createdAt),
    updatedAt: seconds(d.updatedAt),
    launchType: 'FARGATE',
    platformVersion: '1.4.0',
    rolloutState: d.rolloutState,
    rolloutStateReason: d.rolloutStateReason,
  });

  function serviceJson(): Json {
    const primary = deployments.find((d) => d.status === 'PRIMARY') as FakeEcsDeployment;
    return {
      serviceArn,
      serviceName,
      clusterArn,
      status: 'ACTIVE',
      desiredCount,
      runningCount: deployments.reduce((n, d) => n + d.runningCount, 0),
      pendingCount: deployments.reduce((n, d) => n + d.pendingCount, 0),
      launchType: 'FARGATE',
      platformVersion: 'LATEST',
      taskDefinition: primary.taskDefinition,
      deploymentConfiguration: { ...deploymentConfiguration, deploymentCircuitBreaker: { ...circuitBreaker } },
      deploymentController: { type: 'ECS' },
      // Blue/green, linear and canary need the load balancer's alternate target group and listener rules.
      loadBalancers: [
        {
          targetGroupArn: `arn:aws:elasticloadbalancing:${region}:${ACCOUNT}:targetgroup/api-blue/6d0ecf831eec9f09`,
          containerName: 'api',
          containerPort: 8000,
          ...(blueGreenListeners
            ? {
                advancedConfiguration: {
                  alternateTargetGroupArn: `arn:aws:elasticloadbalancing:${region}:${ACCOUNT}:targetgroup/api-green/2453ed029918f21f`,
                  productionListenerRule: `arn:aws:elasticloadbalancing:${region}:${ACCOUNT}:listener-rule/app/api/1/2/3`,
                  testListenerRule: `arn:aws:elasticloadbalancing:${region}:${ACCOUNT}:listener-rule/app/api/1/4/5`,
                  roleArn: `arn:aws:iam::${ACCOUNT}:role/ecsInfrastructureRoleForLoadBalancers`,
                },
              }
            : {}),
        },
      ],
      deployments: deployments.map(deploymentJson),
      events: events.slice(0, 100).map((e) => ({ id: e.id, createdAt: seconds(e.createdAt), message: e.message })),
      createdAt: seconds(deployments.at(-1)?.createdAt ?? Date.now()),
      schedulingStrategy: 'REPLICA',
    };
  }

  function taskJson(t: FakeTask): Json {
    return {
      taskArn: t.taskArn,
      clusterArn,
      taskDefinitionArn: t.taskDefinitionArn,
      group: `service:${serviceName}`,
      startedBy: t.startedBy,
      lastStatus: t.lastStatus,
      desiredStatus: t.desiredStatus,
      launchType: 'FARGATE',
      createdAt: seconds(t.createdAt),
      ...(t.stoppedAt ? { stoppedAt: seconds(t.stoppedAt), stoppedReason: t.stoppedReason, stopCode: t.stopCode } : {}),
      containers: t.containers,
    };
  }

  class AwsError extends Error {
    constructor(
      readonly type: string,
      message: string,
      readonly status = 400,
    ) {
      super(message);
    }
  }

  function checkCluster(ref: unknown): void {
    if (ref !== undefined && ref !== cluster && ref !== clusterArn)
      throw new AwsError('ClusterNotFoundException', 'Cluster not found.');
  }
  const isService = (ref: unknown) => ref === serviceName || ref === serviceArn;

  const ops: Record<string, (body: Json) => Json> = {
    DescribeServices: (body) => {
      checkCluster(body.cluster);
      if (!Array.isArray(body.services) || body.services.length === 0)
        throw new AwsError('InvalidParameterException', 'Services cannot be empty.');
      const found = body.services.filter(isService);
      const missing = body.services.filter((s: unknown) => !isService(s));
      return {
        services: found.map(() => serviceJson()),
        failures: missing.map((s: string) => ({
          arn: `arn:aws:ecs:${region}:${ACCOUNT}:service/${cluster}/${s}`,
          reason: 'MISSING',
        })),
      };
    },
    DescribeTaskDefinition: (body) => {
      const td = resolveTd(String(body.taskDefinition ?? ''));
      if (!td) throw new AwsError('ClientException', 'Unable to describe task definition.');
      return { taskDefinition: td, tags: [] };
    },
    RegisterTaskDefinition: (body) => {
      const readOnly = READ_ONLY.filter((f) => f in body);
      if (readOnly.length) throw new AwsError('ClientException', `Unknown parameters: ${readOnly.join(', ')}`);
      if (!body.family || !/^[\w-]{1,255}$/.test(body.family))
        throw new AwsError('ClientException', 'Family contains invalid characters or is empty.');
      const containers = body.containerDefinitions as Json[] | undefined;
      if (!containers?.length) throw new AwsError('ClientException', 'Container list cannot be empty.');
      for (const c of containers)
        if (!c.name || !c.image)
          throw new AwsError('ClientException', 'Container.name and Container.image should not be null or empty.');
      if ((body.requiresCompatibilities ?? []).includes('FARGATE')) {
        if (body.networkMode !== 'awsvpc')
          throw new AwsError('ClientException', "Fargate only supports network mode 'awsvpc'.");
        if (!body.cpu || !body.memory)
          throw new AwsError(
            'ClientException',
            "Fargate requires that 'cpu' and 'memory' be defined at the task level.",
          );
      }
      return { taskDefinition: register(body), tags: body.tags ?? [] };
    },
    UpdateService: (body) => {
      checkCluster(body.cluster);
      if (!isService(body.service)) throw new AwsError('ServiceNotFoundException', 'Service not found.');
      const primary = deployments.find((d) => d.status === 'PRIMARY') as FakeEcsDeployment;
      if (body.deploymentConfiguration !== undefined) {
        const { deploymentCircuitBreaker, ...rest } = body.deploymentConfiguration as Json;
        checkDeploymentConfiguration(rest);
        if (deploymentCircuitBreaker) Object.assign(circuitBreaker, deploymentCircuitBreaker);
        Object.assign(deploymentConfiguration, rest);
      }
      const progressive = deploymentConfiguration.strategy !== 'ROLLING';
      if (body.taskDefinition !== undefined) {
        const td = resolveTd(String(body.taskDefinition));
        if (!td) throw new AwsError('ClientException', 'TaskDefinition not found.');
        if (progressive && (td.taskDefinitionArn !== primary.taskDefinition || body.forceNewDeployment)) {
          startServiceDeployment(td.taskDefinitionArn);
          next = undefined;
        } else if (td.taskDefinitionArn !== primary.taskDefinition || body.forceNewDeployment) {
          startDeployment(td.taskDefinitionArn, next ?? 'healthy');
          next = undefined;
        }
      } else if (body.forceNewDeployment) startDeployment(primary.taskDefinition, 'healthy');
      return { service: serviceJson() };
    },
    ListTasks: (body) => {
      checkCluster(body.cluster);
      if (body.serviceName !== undefined && !isService(body.serviceName))
        throw new AwsError('ServiceNotFoundException', 'Service not found.');
      const desired = body.desiredStatus ?? 'RUNNING';
      const list = [...tasks.values()]
        .filter((t) => t.desiredStatus === desired)
        .sort((a, b) => (b.stoppedAt ?? b.createdAt) - (a.stoppedAt ?? a.createdAt));
      return { taskArns: list.slice(0, body.maxResults ?? 100).map((t) => t.taskArn) };
    },
    DescribeTasks: (body) => {
      checkCluster(body.cluster);
      const refs = (body.tasks ?? []) as string[];
      if (refs.length > 100)
        throw new AwsError('InvalidParameterException', 'Tasks cannot have more than 100 elements.');
      return {
        tasks: refs
          .map((r) => tasks.get(r))
          .filter((t): t is FakeTask => Boolean(t))
          .map(taskJson),
        failures: refs.filter((r) => !tasks.has(r)).map((arn) => ({ arn, reason: 'MISSING' })),
      };
    },
    ListServiceDeployments: (body) => {
      checkCluster(body.cluster);
      if (!isService(body.service)) throw new AwsError('ServiceNotFoundException', 'Service not found.');
      const statuses = body.status as string[] | undefined;
      const list = serviceDeployments.filter((sd) => !statuses?.length || statuses.includes(sd.status));
      const max = Number(body.maxResults ?? 20);
      const start = body.nextToken ? Number(body.nextToken) : 0;
      const page = list.slice(start, start + max);
      return {
        serviceDeployments: page.map((sd) => ({
          serviceDeploymentArn: sd.arn,
          serviceArn,
          clusterArn,
          createdAt: seconds(sd.createdAt),
          startedAt: seconds(sd.createdAt),
          ...(sd.finishedAt ? { finishedAt: seconds(sd.finishedAt) } : {}),
          targetServiceRevisionArn: sd.target.revisionArn,
          status: sd.status,
          ...(sd.statusReason ? { statusReason: sd.statusReason } : {}),
        })),
        ...(start + max < list.length ? { nextToken: String(start + max) } : {}),
      };
    },
    DescribeServiceDeployments: (body) => {
      const arns = (body.serviceDeploymentArns ?? []) as string[];
      if (arns.length === 0 || arns.length > 20)
        throw new AwsError('InvalidParameterException', 'serviceDeploymentArns must name 1 to 20 service deployments.');
      const found = serviceDeployments.filter((sd) => arns.includes(sd.arn));
      return {
        serviceDeployments: found.map(serviceDeploymentJson),
        failures: arns.filter((a) => !found.some((sd) => sd.arn === a)).map((arn) => ({ arn, reason: 'MISSING' })),
      };
    },
    DescribeServiceRevisions: (body) => {
      const arns = (body.serviceRevisionArns ?? []) as string[];
      if (arns.length === 0 || arns.length > 20)
        throw new AwsError('InvalidParameterException', 'serviceRevisionArns must name 1 to 20 service revisions.');
      const found = arns.filter((a) => serviceRevisions.has(a));
      return {
        serviceRevisions: found.map((arn) => ({
          serviceRevisionArn: arn,
          serviceArn,
          clusterArn,
          taskDefinition: serviceRevisions.get(arn),
          launchType: 'FARGATE',
        })),
        failures: arns.filter((a) => !serviceRevisions.has(a)).map((arn) => ({ arn, reason: 'MISSING' })),
      };
    },
    // "You can continue a deployment that has a pause hook in AWAITING_ACTION status. The deployment must be in the
    // IN_PROGRESS state." (developer guide, continue-service-deployment)
    ContinueServiceDeployment: (body) => {
      const sd = findServiceDeployment(body.serviceDeploymentArn);
      const hook = sd.hooks.find((h) => h.hookId === body.hookId);
      if (!hook) throw new AwsError('InvalidParameterException', `The hook ${String(body.hookId)} does not exist.`);
      if (sd.status !== 'IN_PROGRESS' || hook.status !== 'AWAITING_ACTION')
        throw new AwsError(
          'InvalidParameterException',
          `The hook ${hook.hookId} is ${hook.status} and the service deployment is ${sd.status}: only a hook in AWAITING_ACTION of an IN_PROGRESS deployment can be acted on.`,
        );
      const action = body.action ?? 'CONTINUE';
      if (action !== 'CONTINUE' && action !== 'ROLLBACK')
        throw new AwsError('InvalidParameterException', `Invalid action: ${String(action)}.`);
      const now = Date.now();
      hook.status = action === 'CONTINUE' ? 'SUCCEEDED' : 'FAILED';
      hook.answeredAt = now;
      if (action === 'ROLLBACK') startRollback(sd, 'ContinueServiceDeployment ROLLBACK', now);
      else {
        sd.stageStartedAt = now;
        sd.updatedAt = now;
      }
      return { serviceDeploymentArn: sd.arn };
    },
    StopServiceDeployment: (body) => {
      const sd = findServiceDeployment(body.serviceDeploymentArn);
      if (!inFlight(sd) || sd.status !== 'IN_PROGRESS')
        throw new AwsError('ConflictException', `The service deployment is ${sd.status} and cannot be stopped.`);
      if ((body.stopType ?? 'ROLLBACK') !== 'ROLLBACK')
        throw new AwsError('InvalidParameterException', 'Only stopType ROLLBACK is modelled by this stand-in.');
      for (const h of sd.hooks) if (h.status === 'AWAITING_ACTION') h.status = 'FAILED';
      startRollback(sd, 'StopServiceDeployment ROLLBACK', Date.now());
      return { serviceDeploymentArn: sd.arn };
    },
    ListTaskDefinitions: (body) => {
      const list = [...taskDefinitions.values()]
        .filter((td) => !body.familyPrefix || String(td.family).startsWith(body.familyPrefix))
        .filter((td) => !body.status || td.status === body.status)
        .sort(
          (a, b) =>
            (body.sort === 'DESC' ? -1 : 1) *
            (a.family === b.family ? a.revision - b.revision : String(a.family).localeCompare(String(b.family))),
        );
      return { taskDefinitionArns: list.slice(0, body.maxResults ?? 100).map((td) => td.taskDefinitionArn) };
    },
  };

  const fail = (res: ServerResponse, error: AwsError) =>
    sendJson(
      res,
      error.status,
      { __type: error.type, message: error.message },
      { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': randomUUID() },
    );

  // The service as it runs before the tests: revision 1, two healthy tasks, steady.
  const first = register({
    family: serviceName,
    networkMode: 'awsvpc',
    requiresCompatibilities: ['FARGATE'],
    cpu: '512',
    memory: '1024',
    executionRoleArn: `arn:aws:iam::${ACCOUNT}:role/ecsTaskExecutionRole`,
    containerDefinitions: [
      {
        name: 'api',
        image: `${ACCOUNT}.dkr.ecr.${region}.amazonaws.com/api:v1`,
        essential: true,
        portMappings: [{ containerPort: 8000, protocol: 'tcp' }],
        environment: [{ name: 'APP_ENV', value: 'production' }],
      },
      { name: 'log-router', image: 'public.ecr.aws/aws-observability/aws-for-fluent-bit:stable', essential: false },
    ],
    volumes: [],
    placementConstraints: [],
  });
  const initial = startDeployment(first.taskDefinitionArn, 'healthy');
  Object.assign(initial, {
    runningCount: desiredCount,
    rolloutState: 'COMPLETED',
    rolloutStateReason: 'ECS deployment ecs-svc completed.',
  });
  for (let i = 0; i < desiredCount; i++) newTask(initial, 'RUNNING');
  event('has reached a steady state.');

  const server = await startFakeServer((req: RecordedRequest, res) => {
    advance();
    const target = String(req.headers['x-amz-target'] ?? '');
    if (req.method !== 'POST' || req.path !== '/')
      return fail(res, new AwsError('UnknownOperationException', `No route ${req.method} ${req.path}`, 404));
    if (!String(req.headers['content-type'] ?? '').startsWith('application/x-amz-json-1.1'))
      return fail(res, new AwsError('SerializationException', 'Content-Type must be application/x-amz-json-1.1'));
    const signing = signatureProblem(req, { accessKeyId, secretAccessKey, region, service: 'ecs' });
    if (signing?.kind === 'credential')
      return fail(
        res,
        new AwsError('UnrecognizedClientException', 'The security token included in the request is invalid.'),
      );
    if (signing?.kind === 'scope')
      return fail(
        res,
        new AwsError(
          'InvalidSignatureException',
          `Credential should be scoped to a valid region and to the ecs service, not '${signing.scope}'.`,
        ),
      );
    if (signing)
      return fail(
        res,
        new AwsError(
          'InvalidSignatureException',
          'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.',
        ),
      );
    if (!target.startsWith(TARGET_PREFIX))
      return fail(res, new AwsError('UnknownOperationException', `Unknown target ${target}`));
    const op = target.slice(TARGET_PREFIX.length);
    const handler = ops[op];
    if (!handler)
      return fail(res, new AwsError('UnknownOperationException', `Operation ${op} is not supported by this fake`));
    calls.push({ op, at: Date.now() });
    let body: Json;
    try {
      body = JSON.parse(req.body || '{}');
    } catch {
      return fail(res, new AwsError('SerializationException', 'Body is not JSON'));
    }
    try {
      return sendJson(res, 200, handler(body), {
        'content-type': 'application/x-amz-json-1.1',
        'x-amzn-requestid': randomUUID(),
      });
    } catch (error) {
      if (error instanceof AwsError) return fail(res, error);
      throw error;
    }
  });

  // The load balancer's listeners: the revision serving each request follows the traffic share of that moment,
  // spread evenly (request n goes to green when green's count stays within its share of n).
  const counts = { production: { weight: 0, all: 0, green: 0 }, test: { weight: 0, all: 0, green: 0 } };
  const served: ServedRequest[] = [];
  const apps = new Map<string, AppBehaviour>();
  /** Requests each image has served, which failEvery counts. */
  const servedBy = new Map<string, number>();
  const listener = (name: 'production' | 'test') =>
    startFakeServer((_req, res) => {
      advance();
      const sd = serviceDeployments.find(inFlight);
      const primary = deployments.find((d) => d.status === 'PRIMARY') as FakeEcsDeployment;
      const weight = sd ? (name === 'production' ? sd.productionWeight : sd.testWeight) : 0;
      const count = counts[name];
      // Each share is spread from its own start: what an earlier share served does not count towards it.
      if (count.weight !== weight) Object.assign(count, { weight, all: 0, green: 0 });
      count.all++;
      const green = sd !== undefined && count.green + 1 <= (count.all * weight) / 100;
      if (green) count.green++;
      const taskDefinition = green ? sd.target.taskDefinition : sd ? sd.source.taskDefinition : primary.taskDefinition;
      const image = ((taskDefinitions.get(taskDefinition)?.containerDefinitions ?? []) as Json[])[0]?.image as string;
      const behaviour = apps.get(image);
      const nth = (servedBy.get(image) ?? 0) + 1;
      servedBy.set(image, nth);
      const status =
        behaviour === 'errors' || (typeof behaviour === 'object' && nth % behaviour.failEvery === 0) ? 500 : 200;
      served.push({
        listener: name,
        taskDefinition,
        status,
        productionWeight: sd?.productionWeight ?? 0,
        ...(sd ? { stage: (sd.plan[sd.index] as PlannedStage).stage } : {}),
      });
      sendJson(res, status, { revision: taskDefinition, image }, { 'x-task-definition': taskDefinition });
    });
  const production = await listener('production');
  const test = await listener('test');

  return {
    server,
    url: server.url,
    serviceDeployments,
    get overlappingRollouts() {
      return overlappingRollouts;
    },
    get blueGreenListeners() {
      return blueGreenListeners;
    },
    set blueGreenListeners(on: boolean) {
      blueGreenListeners = on;
    },
    listeners: { production: production.url, test: test.url },
    served,
    apps,
    deploymentConfiguration,
    region,
    accessKeyId,
    secretAccessKey,
    cluster,
    serviceName,
    taskDefinitions,
    deployments,
    calls,
    circuitBreaker,
    timing,
    nextRollout: (behaviour) => {
      next = behaviour;
    },
    primaryTaskDefinition: () => {
      advance();
      return (deployments.find((d) => d.status === 'PRIMARY') as FakeEcsDeployment).taskDefinition;
    },
    stable: () => {
      advance();
      return (
        deployments.length === 1 &&
        deployments[0]?.rolloutState === 'COMPLETED' &&
        deployments[0].runningCount === deployments[0].desiredCount
      );
    },
    close: async () => {
      await Promise.all([server.close(), production.close(), test.close()]);
    },
  };
}

/** The environment that points the real AWS SDK at this fake, hermetically (no config files, no instance metadata). */
export function awsEnvironment(ecs: FakeEcs): Record<string, string> {
  return {
    AWS_ENDPOINT_URL_ECS: ecs.url,
    AWS_ACCESS_KEY_ID: ecs.accessKeyId,
    AWS_SECRET_ACCESS_KEY: ecs.secretAccessKey,
    AWS_REGION: ecs.region,
    AWS_CONFIG_FILE: '/nonexistent/aws-config',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/aws-credentials',
    AWS_EC2_METADATA_DISABLED: 'true',
  };
}
