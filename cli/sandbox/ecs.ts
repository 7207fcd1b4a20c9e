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
  timing: { stepMs: number };
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
  options: { stepMs?: number; desiredCount?: number; region?: string } = {},
): Promise<FakeEcs> {
  const region = options.region ?? 'eu-west-1';
  const accessKeyId = `AKIA${randomBytes(8).toString('hex').toUpperCase()}`;
  const secretAccessKey = randomBytes(20).toString('base64');
  const cluster = 'production';
  const serviceName = 'api';
  const clusterArn = `arn:aws:ecs:${region}:${ACCOUNT}:cluster/${cluster}`;
  const serviceArn = `arn:aws:ecs:${region}:${ACCOUNT}:service/${cluster}/${serviceName}`;
  const desiredCount = options.desiredCount ?? 2;
  const timing = { stepMs: options.stepMs ?? 300 };
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
      step();
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
      deploymentConfiguration: {
        deploymentCircuitBreaker: { ...circuitBreaker },
        maximumPercent: 200,
        minimumHealthyPercent: 100,
      },
      deploymentController: { type: 'ECS' },
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
      if (body.taskDefinition !== undefined) {
        const td = resolveTd(String(body.taskDefinition));
        if (!td) throw new AwsError('ClientException', 'TaskDefinition not found.');
        if (td.taskDefinitionArn !== primary.taskDefinition || body.forceNewDeployment) {
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

  return {
    server,
    url: server.url,
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
    close: () => server.close(),
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
