// A loopback Railway that follows its public GraphQL API (POST /graphql/v2; see shared/reference/providers.md):
// every request is parsed, validated and executed by graphql-js against an SDL of the Railway types and
// operations shipline uses (field names and argument types as in Railway's published schema), so an unknown
// field, a wrong argument type or a missing variable fails as it would on Railway. Deployments move
// INITIALIZING → QUEUED → BUILDING → DEPLOYING → SUCCESS (or FAILED during the build, or CRASHED after starting)
// over time; the deployment a new SUCCESS replaces becomes REMOVED (and can still be rolled back to), and a
// rollback starts a new deployment from the old one's image. Auth: a project token in Project-Access-Token or an
// account token as Bearer. Faults (429 with Retry-After, 5xx, resets) come from the FakeServer it runs on; faults
// aimed at one service (its next deploy call refused or its connection dropped, its next rollback refused) from
// failDeployCall and failRollback, so a test can break one service of a release and not the others. A service's
// source repository and its deployment trigger (connectRepository) are what the production preflight reads.
import { randomBytes, randomUUID } from 'node:crypto';
import { buildSchema, graphql, GraphQLError } from 'graphql';
import { type FakeServer, type RecordedRequest, sendJson, startFakeServer } from './server.js';

/** The Railway types and operations shipline uses, as the fake serves them (checked against Railway's schema in test/conformance-railway.test.ts). */
export const RAILWAY_SDL = /* GraphQL */ `
  scalar DateTime
  scalar DeploymentMeta

  enum DeploymentStatus {
    BUILDING
    CRASHED
    DEPLOYING
    FAILED
    INITIALIZING
    NEEDS_APPROVAL
    QUEUED
    REMOVED
    REMOVING
    SKIPPED
    SLEEPING
    SUCCESS
    WAITING
  }

  type Service {
    id: ID!
    name: String!
    projectId: String!
  }

  type Deployment {
    id: ID!
    status: DeploymentStatus!
    createdAt: DateTime!
    updatedAt: DateTime!
    statusUpdatedAt: DateTime
    url: String
    staticUrl: String
    canRollback: Boolean!
    canRedeploy: Boolean!
    meta: DeploymentMeta
    projectId: String!
    environmentId: String!
    serviceId: String
    service: Service!
  }

  input DeploymentStatusInput {
    in: [DeploymentStatus!]
    notIn: [DeploymentStatus!]
  }

  input DeploymentListInput {
    environmentId: String
    includeDeleted: Boolean
    projectId: String
    serviceId: String
    status: DeploymentStatusInput
  }

  type PageInfo {
    hasNextPage: Boolean!
    hasPreviousPage: Boolean!
    startCursor: String
    endCursor: String
  }

  type QueryDeploymentsConnectionEdge {
    cursor: String!
    node: Deployment!
  }

  type QueryDeploymentsConnection {
    edges: [QueryDeploymentsConnectionEdge!]!
    pageInfo: PageInfo!
  }

  type ServiceSource {
    image: String
    repo: String
  }

  type ServiceInstance {
    id: ID!
    serviceId: String!
    serviceName: String!
    environmentId: String!
    source: ServiceSource
  }

  type DeploymentTrigger {
    id: ID!
    provider: String!
    repository: String!
    branch: String!
    checkSuites: Boolean!
    projectId: String!
    environmentId: String!
    serviceId: String
  }

  type QueryDeploymentTriggersConnectionEdge {
    cursor: String!
    node: DeploymentTrigger!
  }

  type QueryDeploymentTriggersConnection {
    edges: [QueryDeploymentTriggersConnectionEdge!]!
    pageInfo: PageInfo!
  }

  type Query {
    deployment(id: String!): Deployment!
    deployments(
      input: DeploymentListInput!
      first: Int
      after: String
      last: Int
      before: String
    ): QueryDeploymentsConnection!
    serviceInstance(environmentId: String!, serviceId: String!): ServiceInstance!
    deploymentTriggers(
      projectId: String!
      environmentId: String!
      serviceId: String!
      first: Int
      after: String
      last: Int
      before: String
    ): QueryDeploymentTriggersConnection!
  }

  type Mutation {
    serviceInstanceDeployV2(environmentId: String!, serviceId: String!, commitSha: String): String!
    deploymentRollback(id: String!): Boolean!
    deploymentCancel(id: String!): Boolean!
  }
`;

/**
 * A fault for one service's next serviceInstanceDeployV2: `error` answers a GraphQL error and starts nothing;
 * `reset` drops the connection before acting (the client cannot tell whether a build started: none did).
 */
export type CallFault = 'error' | 'reset';

/** STALL stays BUILDING forever; NEEDS_APPROVAL and WAITING hold the deployment there until it is cancelled. */
export type Outcome = 'SUCCESS' | 'FAILED' | 'CRASHED' | 'STALL' | 'NEEDS_APPROVAL' | 'WAITING';

export interface FakeRailwayDeployment {
  id: string;
  serviceId: string;
  environmentId: string;
  createdAt: number;
  commitHash: string;
  outcome: Outcome;
  /** Set once the deployment reached SUCCESS and another later replaced it. */
  removed: boolean;
  canceled: boolean;
  /** A rollback deployment: re-uses an image, so it skips the build. */
  rollbackOf?: string;
}

export interface FakeRailwayService {
  id: string;
  name: string;
  domain: string;
  /** The GitHub repository (owner/name) the service is built from, when one is connected. */
  repo?: string;
  /** Deployment triggers of the repository in the fake's environment: Railway deploys every push to `branch`. */
  triggers: { id: string; branch: string; checkSuites: boolean }[];
}

export interface FakeRailway {
  server: FakeServer;
  url: string;
  projectId: string;
  environmentId: string;
  projectToken: string;
  accountToken: string;
  services: FakeRailwayService[];
  deployments: Map<string, FakeRailwayDeployment>;
  timing: { buildMs: number; deployMs: number };
  /** The next deployment of this service ends so (STALL: stays BUILDING forever). */
  failNext(serviceId: string, outcome: Outcome): void;
  /** The next deploy call for this service fails so, before anything starts. */
  failDeployCall(serviceId: string, fault: CallFault): void;
  /** The next deploymentRollback to a deployment of this service is refused (nothing starts). */
  failRollback(serviceId: string): void;
  /** The deployment a service serves now (newest SUCCESS). */
  serving(serviceId: string): string | undefined;
  status(deploymentId: string): string;
  /** Every GraphQL operation received, by operation name (or the first field), in order. */
  operations: string[];
  /**
   * Called with each GraphQL operation once Railway has acted on it and before its answer is sent: a test stops
   * the client there (kills it) to leave what a run killed at that call leaves.
   */
  afterOperation: ((operation: string, index: number) => void) | undefined;
  /**
   * Connects a repository to a service (its source), with a deployment trigger on `branch` (default main) in the
   * fake's environment: Railway then deploys every push to that branch.
   */
  connectRepository(serviceId: string, options?: { repo?: string; branch?: string; checkSuites?: boolean }): void;
  /** Settings → Source → Disconnect: no source repository, no trigger. */
  disconnectRepository(serviceId: string): void;
  close(): Promise<void>;
}

/** Per request: set by a resolver whose fault is a dropped connection instead of an answer. */
interface RequestContext {
  reset: boolean;
}

/**
 * `clock`: the time builds and deploys progress on, in ms; the wall clock unless given. A test that moves it ahead
 * sees at once whatever would have gone live by then, instead of sleeping until it has.
 */
export async function startFakeRailway(
  options: { buildMs?: number; deployMs?: number; services?: string[]; clock?: () => number } = {},
): Promise<FakeRailway> {
  const time = options.clock ?? Date.now;
  const projectId = randomUUID();
  const environmentId = randomUUID();
  const projectToken = randomUUID();
  const accountToken = randomUUID();
  const services: FakeRailwayService[] = (options.services ?? ['backend', 'frontend']).map((name) => ({
    id: randomUUID(),
    name,
    domain: `${name}-production-${randomBytes(2).toString('hex')}.up.railway.app`,
    triggers: [],
  }));
  const deployments = new Map<string, FakeRailwayDeployment>();
  const timing = { buildMs: options.buildMs ?? 900, deployMs: options.deployMs ?? 400 };
  const nextOutcome = new Map<string, Outcome>();
  const callFaults = new Map<string, CallFault>();
  const rollbackFaults = new Set<string>();
  const operations: string[] = [];
  let clock = time();
  const now = () => (clock = Math.max(clock + 1, time()));

  /** The status a deployment has now, from its age and its outcome. */
  function status(d: FakeRailwayDeployment): string {
    if (d.canceled) return 'REMOVED';
    const age = time() - d.createdAt;
    const build = d.rollbackOf ? 0 : timing.buildMs;
    if (age < 100) return 'INITIALIZING';
    if (d.outcome === 'NEEDS_APPROVAL' || d.outcome === 'WAITING') return d.outcome;
    if (!d.rollbackOf && age < build * 0.3) return 'QUEUED';
    if (age < build || d.outcome === 'STALL')
      return d.outcome === 'FAILED' && age >= build * 0.8 ? 'FAILED' : 'BUILDING';
    if (d.outcome === 'FAILED') return 'FAILED';
    if (age < build + timing.deployMs) return 'DEPLOYING';
    if (d.outcome === 'CRASHED') return 'CRASHED';
    return d.removed ? 'REMOVED' : 'SUCCESS';
  }

  /** Railway's own bookkeeping: a new SUCCESS of a service takes over; the one it replaced becomes REMOVED. */
  function advance(): void {
    for (const service of services) {
      const live = [...deployments.values()]
        .filter((d) => d.serviceId === service.id && status(d) === 'SUCCESS')
        .sort((a, b) => b.createdAt - a.createdAt);
      for (const older of live.slice(1)) older.removed = true;
    }
  }

  function everSucceeded(d: FakeRailwayDeployment): boolean {
    return (
      d.outcome === 'SUCCESS' &&
      !d.canceled &&
      time() - d.createdAt >= (d.rollbackOf ? 0 : timing.buildMs) + timing.deployMs
    );
  }

  function deploymentJson(d: FakeRailwayDeployment) {
    const service = services.find((s) => s.id === d.serviceId) as FakeRailwayService;
    const at = new Date(d.createdAt).toISOString();
    return {
      id: d.id,
      status: status(d),
      createdAt: at,
      updatedAt: at,
      statusUpdatedAt: at,
      url: null,
      staticUrl: service.domain,
      canRollback: everSucceeded(d),
      canRedeploy: true,
      meta: { commitHash: d.commitHash, branch: 'main', ...(d.rollbackOf ? { rollbackOf: d.rollbackOf } : {}) },
      projectId,
      environmentId: d.environmentId,
      serviceId: d.serviceId,
      service: { id: service.id, name: service.name, projectId },
    };
  }

  function create(serviceId: string, commitHash: string, rollbackOf?: string): FakeRailwayDeployment {
    const d: FakeRailwayDeployment = {
      id: randomUUID(),
      serviceId,
      environmentId,
      createdAt: now(),
      commitHash,
      outcome: rollbackOf ? 'SUCCESS' : (nextOutcome.get(serviceId) ?? 'SUCCESS'),
      removed: false,
      canceled: false,
      rollbackOf,
    };
    if (!rollbackOf) nextOutcome.delete(serviceId);
    deployments.set(d.id, d);
    return d;
  }

  const notFound = (what: string) => new GraphQLError(`${what} not found`);

  const root = {
    deployment: ({ id }: { id: string }) => {
      const d = deployments.get(id);
      if (!d) throw notFound('Deployment');
      return deploymentJson(d);
    },
    deployments: ({
      input,
      first,
    }: {
      input: {
        projectId?: string;
        environmentId?: string;
        serviceId?: string;
        status?: { in?: string[]; notIn?: string[] };
      };
      first?: number;
    }) => {
      if (input.projectId && input.projectId !== projectId) throw new GraphQLError('Not Authorized');
      const list = [...deployments.values()]
        .filter((d) => !input.environmentId || d.environmentId === input.environmentId)
        .filter((d) => !input.serviceId || d.serviceId === input.serviceId)
        .filter((d) => !input.status?.in || input.status.in.includes(status(d)))
        .filter((d) => !input.status?.notIn || !input.status.notIn.includes(status(d)))
        .sort((a, b) => b.createdAt - a.createdAt)
        .slice(0, first ?? 100);
      return {
        edges: list.map((d) => ({ cursor: d.id, node: deploymentJson(d) })),
        pageInfo: {
          hasNextPage: false,
          hasPreviousPage: false,
          startCursor: list[0]?.id ?? null,
          endCursor: list.at(-1)?.id ?? null,
        },
      };
    },
    serviceInstance: ({ environmentId: env, serviceId }: { environmentId: string; serviceId: string }) => {
      const service = services.find((s) => s.id === serviceId);
      if (env !== environmentId || !service) throw notFound('ServiceInstance');
      return {
        id: `${env}:${serviceId}`,
        serviceId,
        serviceName: service.name,
        environmentId: env,
        source: service.repo ? { repo: service.repo, image: null } : null,
      };
    },
    deploymentTriggers: ({
      projectId: project,
      environmentId: env,
      serviceId,
    }: {
      projectId: string;
      environmentId: string;
      serviceId: string;
    }) => {
      if (project !== projectId) throw new GraphQLError('Not Authorized');
      const service = services.find((s) => s.id === serviceId);
      const triggers = env === environmentId && service?.repo ? service.triggers : [];
      return {
        edges: triggers.map((t) => ({
          cursor: t.id,
          node: {
            id: t.id,
            provider: 'github',
            repository: service?.repo,
            branch: t.branch,
            checkSuites: t.checkSuites,
            projectId,
            environmentId: env,
            serviceId,
          },
        })),
        pageInfo: {
          hasNextPage: false,
          hasPreviousPage: false,
          startCursor: triggers[0]?.id ?? null,
          endCursor: triggers.at(-1)?.id ?? null,
        },
      };
    },
    serviceInstanceDeployV2: (
      { environmentId: env, serviceId, commitSha }: { environmentId: string; serviceId: string; commitSha?: string },
      context: RequestContext,
    ) => {
      if (env !== environmentId) throw notFound('Environment');
      if (!services.some((s) => s.id === serviceId)) throw notFound('Service');
      const fault = callFaults.get(serviceId);
      callFaults.delete(serviceId);
      if (fault === 'reset') context.reset = true;
      if (fault) throw new GraphQLError('Problem processing request');
      if (commitSha !== undefined && !/^[0-9a-f]{40}$/.test(commitSha))
        throw new GraphQLError(`Invalid commit SHA: ${commitSha}`);
      return create(serviceId, commitSha ?? 'f'.repeat(40)).id;
    },
    deploymentRollback: ({ id }: { id: string }) => {
      const d = deployments.get(id);
      if (!d) throw notFound('Deployment');
      if (rollbackFaults.delete(d.serviceId)) throw new GraphQLError('Problem processing request');
      if (!everSucceeded(d)) throw new GraphQLError('Deployment cannot be rolled back');
      create(d.serviceId, d.commitHash, d.id);
      return true;
    },
    deploymentCancel: ({ id }: { id: string }) => {
      const d = deployments.get(id);
      if (!d) throw notFound('Deployment');
      if (['SUCCESS', 'FAILED', 'CRASHED', 'REMOVED'].includes(status(d)))
        throw new GraphQLError('Deployment is not in progress');
      d.canceled = true;
      return true;
    },
  };

  const schema = buildSchema(RAILWAY_SDL);

  const server = await startFakeServer(async (req: RecordedRequest, res) => {
    advance();
    if (req.method !== 'POST' || new URL(req.path, 'http://fake').pathname !== '/graphql/v2')
      return sendJson(res, 404, { errors: [{ message: `No route ${req.method} ${req.path}` }] });
    if (!String(req.headers['content-type'] ?? '').startsWith('application/json'))
      return sendJson(res, 415, { errors: [{ message: 'Content-Type must be application/json' }] });
    const project = req.headers['project-access-token'];
    const bearer = String(req.headers.authorization ?? '').replace(/^Bearer /, '');
    if (project !== projectToken && bearer !== accountToken)
      return sendJson(res, 200, {
        data: null,
        errors: [{ message: 'Not Authorized', extensions: { code: 'UNAUTHORIZED' } }],
      });
    let body: { query?: string; variables?: Record<string, unknown>; operationName?: string };
    try {
      body = JSON.parse(req.body);
    } catch {
      return sendJson(res, 400, { errors: [{ message: 'Body is not JSON' }] });
    }
    if (typeof body.query !== 'string')
      return sendJson(res, 400, { errors: [{ message: 'Must provide query string.' }] });
    operations.push(/(?:query|mutation)\s+(\w+)/.exec(body.query)?.[1] ?? body.query.slice(0, 40));
    const context: RequestContext = { reset: false };
    const result = await graphql({
      schema,
      source: body.query,
      rootValue: root,
      contextValue: context,
      variableValues: body.variables ?? {},
      operationName: body.operationName,
    });
    fake.afterOperation?.(operations.at(-1) as string, operations.length - 1);
    if (context.reset) return void res.socket?.destroy();
    // Parse and validation errors never reach execution: answered 400 as GraphQL servers do.
    const invalid = result.errors && result.data === undefined;
    return sendJson(res, invalid ? 400 : 200, result);
  });

  const fake: FakeRailway = {
    server,
    url: server.url,
    projectId,
    environmentId,
    projectToken,
    accountToken,
    services,
    deployments,
    timing,
    operations,
    failNext: (serviceId, outcome) => nextOutcome.set(serviceId, outcome),
    connectRepository: (serviceId, { repo = 'shipline/example-app', branch = 'main', checkSuites = false } = {}) => {
      const service = services.find((s) => s.id === serviceId);
      if (!service) throw new Error(`no service ${serviceId}`);
      service.repo = repo;
      service.triggers = [{ id: randomUUID(), branch, checkSuites }];
    },
    disconnectRepository: (serviceId) => {
      const service = services.find((s) => s.id === serviceId);
      if (!service) throw new Error(`no service ${serviceId}`);
      service.repo = undefined;
      service.triggers = [];
    },
    failDeployCall: (serviceId, fault) => callFaults.set(serviceId, fault),
    failRollback: (serviceId) => rollbackFaults.add(serviceId),
    serving: (serviceId) => {
      advance();
      return [...deployments.values()]
        .filter((d) => d.serviceId === serviceId && status(d) === 'SUCCESS')
        .sort((a, b) => b.createdAt - a.createdAt)[0]?.id;
    },
    status: (id) => {
      const d = deployments.get(id);
      return d ? status(d) : 'UNKNOWN';
    },
    afterOperation: undefined,
    close: () => server.close(),
  };
  return fake;
}
