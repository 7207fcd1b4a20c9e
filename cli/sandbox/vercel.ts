// A loopback Vercel that follows the documented REST API (see shared/reference/providers.md, "Corrections"
// included): deployments that move QUEUED → BUILDING → READY (or ERROR, or BLOCKED) over time and get their
// aliases assigned a moment after READY; the missing_files round trip with digest-checked uploads; Build Output
// API uploads that must be created with ?prebuilt=1; staged production deploys; promote/rollback alias jobs that
// take time, can fail, and are reported in the project's `lastAliasRequest` only when asked for with
// ?rollbackInfo=true; after a rollback, production domains are no longer assigned automatically until a promote;
// a rolling release (GET /v1/projects/{id}/rolling-release): while one is active a promote answers 202 and is queued
// until it completes, then runs by itself; BLOCKED deployments that build once unblocked, unless cancelled; the Hobby
// plan, which rolls back only to the immediately previous production deployment (HTTP 402, Vercel's own sentence);
// list filters `meta-<key>` (what `vercel ls --meta` sends) and `rollbackCandidate`, and `readySubstate` /
// `isRollbackCandidate` that tell a deployment that served production from one that never did (STAGED);
// project path parameters of promote/rollback take the project id only; rolling releases driven the way the CLI
// drives them (`vercel rolling-release configure|start|approve|abort|complete|fetch`): a project's rolling-release
// config (PATCH/GET /v1/projects/{id}/rolling-release/config) makes a production deploy start a rolling release
// instead of taking production, approve-stage moves to the next stage after `stageShiftMs`, the last stage (100 %)
// completes it, a rollback to the current deployment aborts it (what `rolling-release abort` sends); while one is
// active the production alias (GET /__production/…) sends a deterministic share of its requests (the active stage's
// percentage) to the canary, and every deployment answers at GET /__deployments/{id}/… (500 once failRequestsOf);
// team
// or personal (no teamId) scope; a project's Git link (connectGit), which the production preflight reads. The vercel CLI, @vercel/client and @vercel/sdk run against it
// (test/conformance-vercel.test.ts). Faults (429 with Retry-After, 5xx, resets) come from the FakeServer.
import { createHash, randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { type FakeServer, type RecordedRequest, sendJson, startFakeServer } from './server.js';

export interface FakeFile {
  file: string;
  sha?: string;
  size?: number;
  mode?: number;
}

export interface FakeDeployment {
  id: string;
  url: string;
  name: string;
  target: 'production' | null;
  createdAt: number;
  meta: Record<string, string>;
  files: FakeFile[];
  prebuilt: boolean;
  autoAssignCustomDomains: boolean;
  outcome: 'READY' | { errorCode: string; errorMessage: string } | { blocked: string };
  canceled: boolean;
  /** When its build starts: its creation, or for a BLOCKED deployment the moment it is unblocked. */
  buildFrom: number;
  /** Whether it has ever served production (readySubstate PROMOTED, a rollback candidate); STAGED until then. */
  servedProduction: boolean;
  /** When its aliases were assigned (ms), once they are. */
  aliasAssignedAt: number | null;
  aliases: string[];
}

interface AliasJob {
  type: 'promote' | 'rollback';
  fromDeploymentId: string | null;
  toDeploymentId: string;
  requestedAt: number;
  /** When the job starts working: for a promote queued (202) behind a rolling release, when that completes. */
  startsAt: number;
  fails: boolean;
  done: boolean;
}

export interface FakeVercelOptions {
  buildMs?: number;
  aliasJobMs?: number;
  /** Time from READY until the deployment's aliases (and production domains) are assigned. */
  aliasAssignMs?: number;
  /** Time from an approved stage until traffic is shifted to the next stage's share. */
  stageShiftMs?: number;
  /** A personal account: requests carry no teamId (and one that does is refused). */
  personal?: boolean;
  /** The account's plan (the team's billing.plan, each deployment's plan); Hobby limits rollbacks. Default pro. */
  plan?: 'hobby' | 'pro' | 'enterprise';
}

/** GET /v1/projects/{idOrName}/rolling-release, in @vercel/sdk's GetRollingReleaseRollingRelease shape. */
interface RollingRelease {
  state: 'ACTIVE' | 'COMPLETE' | 'ABORTED';
  canaryDeploymentId: string;
  currentDeploymentId: string | null;
  /** The traffic share of each stage, the last one 100. */
  stages: number[];
  advancementType: 'automatic' | 'manual-approval';
  stageIndex: number;
  /** An approved stage: traffic shifts to it at `at`. */
  shifting?: { index: number; at: number };
  queuedDeploymentId: string | null;
  /** Requests the production alias has routed during this release (the deterministic split counts them). */
  routed: number;
  startedAt: number;
  updatedAt: number;
}

/** A project's rolling-release configuration (PATCH /v1/projects/{id}/rolling-release/config, the CLI's body). */
interface RollingReleaseConfig {
  advancementType: 'automatic' | 'manual-approval';
  stages: { targetPercentage: number; duration?: number }[];
}

/** One request a deployment answered: on its own URL, or through the production alias during a stage. */
export interface ServedRequest {
  deploymentId: string;
  via: 'deployment' | 'production';
  status: number;
  /** The canary's share of production traffic when it was served (undefined: no rolling release was active). */
  canaryShare?: number;
}

export interface FakeVercel {
  server: FakeServer;
  url: string;
  token: string;
  projectId: string;
  projectName: string;
  /** The team to scope requests to; '' for a personal account. */
  teamId: string;
  userId: string;
  deployments: Map<string, FakeDeployment>;
  blobs: Map<string, Buffer>;
  /** Digests uploaded through /v2/files, in order. */
  uploads: string[];
  /** Promote and rollback requests accepted, in order. */
  aliasJobs: { type: 'promote' | 'rollback'; toDeploymentId: string; status: number }[];
  /** Every request a deployment answered (GET /__deployments/{id}/…, GET /__production/…), in order. */
  served: ServedRequest[];
  /** Each traffic share a rolling release reached, in order: where it stopped is the last one. */
  stagesReached: { canaryDeploymentId: string; share: number; at: number }[];
  /** Requests to this deployment now answer 500 (its errors rise). */
  failRequestsOf(deploymentId: string): void;
  /** The next deployment created answers every request with 500. */
  failRequestsOfNextDeployment(): void;
  /** Which deployment the production alias sends its next request to (the same split GET /__production/ uses). */
  routeProduction(): string | undefined;
  /** The project's rolling release as GET …/rolling-release shows it, or undefined. */
  rollingRelease(): { state: string; canaryDeploymentId: string; share: number; stageIndex: number } | undefined;
  /** The deployment production serves. */
  production(): string | undefined;
  /** Whether a production deploy takes the production domains by itself (off after a rollback, on after a promote). */
  autoAssignProduction(): boolean;
  timing: { buildMs: number; aliasJobMs: number; aliasAssignMs: number; stageShiftMs: number };
  failNextBuild(errorCode?: string, errorMessage?: string): void;
  /** The next deployment stops in BLOCKED with this reason. */
  blockNextDeployment(reason?: string): void;
  failNextAliasJob(): void;
  /**
   * Starts a rolling release of `canaryId` (a READY production deployment) at `targetPercentage`: until it completes,
   * a promote answers 202 and waits in the queue (`queuedDeploymentId`).
   */
  startRollingRelease(canaryId: string, targetPercentage?: number): void;
  /** The rolling release reaches 100 %: the canary serves production, and a queued promote starts by itself. */
  completeRollingRelease(): void;
  /** Someone with the rights unblocks a BLOCKED deployment: it builds, and goes live if it is a production one. Whether it will build. */
  unblockDeployment(id: string): boolean;
  /**
   * Connects a GitHub repository to the project (the project's `link`): Vercel then deploys every push to
   * `productionBranch` (default main) to production. `rootDirectory` is where Vercel reads vercel.json.
   */
  connectGit(options?: { org?: string; repo?: string; productionBranch?: string; rootDirectory?: string | null }): void;
  /** Settings → Git → Disconnect: the project has no `link`. */
  disconnectGit(): void;
  close(): Promise<void>;
}

const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;

export async function startFakeVercel(options: FakeVercelOptions = {}): Promise<FakeVercel> {
  const token = `vercel_${randomBytes(12).toString('hex')}`;
  const projectId = 'prj_fakeWeb123';
  const projectName = 'web';
  const teamId = options.personal ? undefined : 'team_fake42';
  const userId = 'user_fake7';
  const ownerId = teamId ?? userId;
  const deployments = new Map<string, FakeDeployment>();
  const blobs = new Map<string, Buffer>();
  const uploads: string[] = [];
  const aliasJobs: FakeVercel['aliasJobs'] = [];
  const timing = {
    buildMs: options.buildMs ?? 900,
    aliasJobMs: options.aliasJobMs ?? 700,
    aliasAssignMs: options.aliasAssignMs ?? 300,
    stageShiftMs: options.stageShiftMs ?? 300,
  };
  const served: ServedRequest[] = [];
  const stagesReached: FakeVercel['stagesReached'] = [];
  const failing = new Set<string>();
  let rollingConfig: RollingReleaseConfig | undefined;
  let nextFails = false;
  let production: string | undefined;
  let autoAssign = true;
  /** The project's last alias job that has started (what lastAliasRequest shows). */
  let job: AliasJob | undefined;
  /** A promote accepted with 202: it shows up in lastAliasRequest only when it starts. */
  let queuedJob: AliasJob | undefined;
  let nextOutcome: FakeDeployment['outcome'] | undefined;
  let nextJobFails = false;
  let rolling: RollingRelease | undefined;
  const plan = options.plan ?? 'pro';
  let gitLink: { org: string; repo: string; productionBranch: string } | undefined;
  let rootDirectory: string | null = null;
  let clock = Date.now();
  const now = () => (clock = Math.max(clock + 1, Date.now()));
  const projectCreatedAt = Date.now() - 86_400_000;

  const error = (res: ServerResponse, status: number, code: string, message: string, extra: object = {}) =>
    sendJson(res, status, { error: { code, message, ...extra } });

  const readyAt = (d: FakeDeployment) => d.buildFrom + timing.buildMs;

  /** Production changes hands; the deployment that takes it has now served production. */
  function serve(id: string): void {
    production = id;
    const d = deployments.get(id);
    if (d) d.servedProduction = true;
  }

  function readyState(d: FakeDeployment): string {
    if (d.canceled) return 'CANCELED';
    if (typeof d.outcome === 'object' && 'blocked' in d.outcome && Date.now() - d.createdAt >= timing.buildMs * 0.25)
      return 'BLOCKED';
    const age = Date.now() - d.buildFrom;
    if (age < timing.buildMs * 0.25) return 'QUEUED';
    if (age < timing.buildMs) return 'BUILDING';
    return d.outcome === 'READY' ? 'READY' : 'ERROR';
  }

  /** State changes that happen on Vercel's side with time, in the order they happen. */
  function advance(): void {
    const t = Date.now();
    const events: { at: number; run: () => void }[] = [];
    for (const d of deployments.values()) {
      if (d.aliasAssignedAt !== null || d.canceled || d.outcome !== 'READY') continue;
      const at = readyAt(d) + timing.aliasAssignMs;
      if (at > t) continue;
      events.push({
        at,
        run: () => {
          d.aliasAssignedAt = at;
          // A production build takes the production domains unless staged, or unless a rollback turned
          // automatic assignment off ("to undo a rollback, promote a deployment"). With rolling releases on, it
          // starts a rolling release instead ("new deployments won't be immediately served to 100% of traffic":
          // docs, "Rolling Releases"); the project's first production deployment has nothing to roll from.
          if (d.target !== 'production' || !d.autoAssignCustomDomains || !autoAssign) return;
          if (rollingConfig && production && production !== d.id) {
            if (rolling?.state !== 'ACTIVE') beginRolling(d.id, at);
          } else serve(d.id);
        },
      });
    }
    if (rolling?.state === 'ACTIVE' && rolling.shifting && rolling.shifting.at <= t) {
      const r = rolling;
      const shift = r.shifting as { index: number; at: number };
      events.push({ at: shift.at, run: () => reachStage(r, shift.index, shift.at) });
    }
    if (queuedJob && t >= queuedJob.startsAt) {
      job = queuedJob;
      queuedJob = undefined;
    }
    if (job && !job.done && t - job.startsAt >= timing.aliasJobMs) {
      const j = job;
      events.push({
        at: j.startsAt + timing.aliasJobMs,
        run: () => {
          j.done = true;
          if (j.fails) return;
          serve(j.toDeploymentId);
          autoAssign = j.type === 'promote';
        },
      });
    }
    for (const e of events.sort((a, b) => a.at - b.at)) e.run();
  }

  function beginRolling(canaryId: string, at: number, stages?: number[]): void {
    rolling = {
      state: 'ACTIVE',
      canaryDeploymentId: canaryId,
      currentDeploymentId: production ?? null,
      stages: stages ?? rollingConfig?.stages.map((s) => s.targetPercentage) ?? [10, 100],
      advancementType: rollingConfig?.advancementType ?? 'manual-approval',
      stageIndex: 0,
      queuedDeploymentId: null,
      routed: 0,
      startedAt: at,
      updatedAt: at,
    };
    stagesReached.push({ canaryDeploymentId: canaryId, share: rolling.stages[0] as number, at });
  }

  /** Traffic reaches stage `index`; the last stage (100 %) is the canary taking production: the release completes. */
  function reachStage(r: RollingRelease, index: number, at: number): void {
    r.shifting = undefined;
    r.stageIndex = index;
    r.updatedAt = at;
    stagesReached.push({ canaryDeploymentId: r.canaryDeploymentId, share: r.stages[index] as number, at });
    if (index === r.stages.length - 1) finishRolling(r, at);
  }

  function finishRolling(r: RollingRelease, at: number): void {
    r.state = 'COMPLETE';
    r.updatedAt = at;
    serve(r.canaryDeploymentId);
    // A promote queued (202) behind the release starts now.
    if (queuedJob) queuedJob.startsAt = at;
  }

  /** The production alias's next request: a deterministic `share` % of requests go to the canary during a stage. */
  function routeAlias(): { deploymentId: string | undefined; canaryShare?: number } {
    advance();
    if (rolling?.state !== 'ACTIVE') return { deploymentId: production };
    const share = rolling.stages[rolling.stageIndex] as number;
    const n = rolling.routed++;
    const canary = Math.floor(((n + 1) * share) / 100) > Math.floor((n * share) / 100);
    return {
      deploymentId: canary ? rolling.canaryDeploymentId : (rolling.currentDeploymentId ?? undefined),
      canaryShare: share,
    };
  }

  function answerAs(res: ServerResponse, deploymentId: string | undefined, via: ServedRequest['via'], share?: number) {
    const d = deploymentId ? deployments.get(deploymentId) : undefined;
    if (!d || readyState(d) !== 'READY')
      return error(res, 404, 'DEPLOYMENT_NOT_FOUND', 'The deployment could not be found');
    const status = failing.has(d.id) ? 500 : 200;
    served.push({ deploymentId: d.id, via, status, ...(share === undefined ? {} : { canaryShare: share }) });
    res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'x-vercel-deployment-id': d.id });
    res.end(status === 200 ? `<h1>${d.id}</h1>` : 'FUNCTION_INVOCATION_FAILED');
  }

  function jobStatus(j: AliasJob): string {
    if (!j.done) return Date.now() < j.startsAt + timing.aliasJobMs / 4 ? 'pending' : 'in-progress';
    return j.fails ? 'failed' : 'succeeded';
  }

  /** A canary of an active rolling release is ROLLING (@vercel/sdk readySubstate STAGED | ROLLING | PROMOTED). */
  function substate(d: FakeDeployment): string {
    if (rolling?.state === 'ACTIVE' && rolling.canaryDeploymentId === d.id) return 'ROLLING';
    return d.servedProduction ? 'PROMOTED' : 'STAGED';
  }

  function deploymentJson(d: FakeDeployment) {
    const state = readyState(d);
    const failed =
      state === 'ERROR' && typeof d.outcome === 'object' && 'errorCode' in d.outcome ? d.outcome : undefined;
    const blocked =
      state === 'BLOCKED' && typeof d.outcome === 'object' && 'blocked' in d.outcome ? d.outcome.blocked : undefined;
    return {
      id: d.id,
      url: d.url,
      name: d.name,
      version: 2,
      type: 'LAMBDAS',
      public: false,
      projectId,
      ownerId,
      ...(teamId ? { team: { id: teamId, name: 'Fake team', slug: 'fake-team' } } : {}),
      build: { env: [] },
      env: [],
      projectSettings: {},
      readyState: state,
      status: state,
      ...(blocked ? { readyStateReason: blocked } : {}),
      ...(d.target === 'production' && state === 'READY' ? { readySubstate: substate(d) } : {}),
      target: d.target,
      createdAt: d.createdAt,
      buildingAt: d.createdAt + Math.round(timing.buildMs * 0.25),
      ...(state === 'READY' ? { ready: readyAt(d) } : {}),
      inspectorUrl: `https://vercel.com/fake-team/${d.name}/${d.id.replace('dpl_', '')}`,
      meta: d.meta,
      regions: ['iad1'],
      routes: null,
      plan,
      creator: { uid: userId, username: 'fake' },
      alias: d.aliasAssignedAt ? d.aliases.filter((a) => a !== '__production') : [],
      aliasAssigned: d.aliasAssignedAt !== null,
      aliasAssignedAt: d.aliasAssignedAt,
      aliasError: null,
      ...(failed ? { errorCode: failed.errorCode, errorMessage: failed.errorMessage } : {}),
    };
  }

  function listJson(d: FakeDeployment) {
    const state = readyState(d);
    return {
      uid: d.id,
      url: d.url,
      name: d.name,
      state,
      readyState: state,
      ...(d.target === 'production' && state === 'READY' ? { readySubstate: substate(d) } : {}),
      type: 'LAMBDAS',
      target: d.target,
      created: d.createdAt,
      createdAt: d.createdAt,
      buildingAt: d.createdAt,
      ...(state === 'READY' ? { ready: readyAt(d) } : {}),
      creator: { uid: userId, username: 'fake' },
      inspectorUrl: `https://vercel.com/fake-team/${d.name}/${d.id.replace('dpl_', '')}`,
      meta: d.meta,
      projectId,
      // Instant Rollback's eligible deployments: those that were aliased to production (docs, "Instant Rollback").
      isRollbackCandidate: d.target === 'production' && state === 'READY' && d.servedProduction,
    };
  }

  function projectJson(rollbackInfo: boolean) {
    const live = production ? deployments.get(production) : undefined;
    return {
      id: projectId,
      name: projectName,
      accountId: ownerId,
      createdAt: projectCreatedAt,
      updatedAt: projectCreatedAt,
      framework: null,
      nodeVersion: '22.x',
      directoryListing: false,
      live: false,
      speedInsights: { id: 'si_fake', hasData: false },
      latestDeployments: [],
      alias: [],
      defaultResourceConfig: { functionDefaultRegions: ['iad1'] },
      resourceConfig: { functionDefaultRegions: ['iad1'] },
      deploymentExpiration: { expirationDays: 180 },
      targets: live ? { production: deploymentJson(live) } : {},
      rootDirectory,
      // The project's rolling-release configuration (@vercel/sdk GetProjectRollingRelease): what `vercel promote`
      // reads to know that a promote starts a rolling release.
      ...(rollingConfig ? { rollingRelease: rollingConfigJson(rollingConfig) } : {}),
      // The connected repository, in the shape of @vercel/sdk's GetProjectLink (type github).
      ...(gitLink
        ? {
            link: {
              type: 'github',
              org: gitLink.org,
              repo: gitLink.repo,
              repoId: 4242,
              repoOwnerId: 4241,
              gitCredentialId: 'cred_fake1',
              productionBranch: gitLink.productionBranch,
              deployHooks: [],
              sourceless: true,
              createdAt: projectCreatedAt,
              updatedAt: projectCreatedAt,
            },
          }
        : {}),
      // A projection: Vercel includes the alias job only when asked for it.
      ...(rollbackInfo
        ? {
            lastAliasRequest: job
              ? {
                  fromDeploymentId: job.fromDeploymentId,
                  toDeploymentId: job.toDeploymentId,
                  jobStatus: jobStatus(job),
                  requestedAt: job.requestedAt,
                  type: job.type,
                }
              : null,
          }
        : {}),
    };
  }

  const projectMatches = (idOrName: string) => idOrName === projectId || idOrName === projectName;

  function rollingDeploymentJson(id: string | null) {
    const d = id ? deployments.get(id) : undefined;
    return d
      ? {
          id: d.id,
          name: d.name,
          url: d.url,
          createdAt: d.createdAt,
          readyState: readyState(d),
          target: d.target,
          source: 'cli',
        }
      : null;
  }

  function rollingConfigJson(c: RollingReleaseConfig) {
    return {
      target: 'production',
      stages: c.stages.map((stage, i) => ({
        targetPercentage: stage.targetPercentage,
        ...(stage.duration === undefined ? {} : { duration: stage.duration }),
        requireApproval: c.advancementType === 'manual-approval' && i < c.stages.length - 1,
      })),
    };
  }

  function rollingReleaseJson(r: RollingRelease) {
    const stages = r.stages.map((share, index) => ({
      index,
      isFinalStage: index === r.stages.length - 1,
      targetPercentage: share,
      requireApproval: r.advancementType === 'manual-approval' && index < r.stages.length - 1,
      duration: null,
    }));
    const active = r.state === 'ACTIVE';
    return {
      state: r.state,
      substate: null,
      advancementType: r.advancementType,
      currentDeployment: rollingDeploymentJson(r.currentDeploymentId),
      canaryDeployment: rollingDeploymentJson(r.canaryDeploymentId),
      queuedDeploymentId: r.queuedDeploymentId,
      stages,
      activeStage: active ? stages[r.stageIndex] : r.state === 'COMPLETE' ? stages.at(-1) : null,
      nextStage: active ? (stages[r.stageIndex + 1] ?? null) : null,
      ...(active ? { currentCanaryPercentage: r.stages[r.stageIndex] } : {}),
      startedAt: r.startedAt,
      updatedAt: r.updatedAt,
    };
  }

  /** The rolling-release routes (@vercel/sdk rollingRelease*; the paths and bodies `vercel rolling-release` sends). */
  function rollingRoute(res: ServerResponse, method: string, action: string, raw: string): void {
    let body: Record<string, unknown> = {};
    try {
      body = JSON.parse(raw || '{}') as Record<string, unknown>;
    } catch {
      return error(res, 400, 'bad_request', 'Invalid JSON body');
    }
    const answer = () => sendJson(res, 200, { rollingRelease: rolling ? rollingReleaseJson(rolling) : null });
    if (method === 'GET' && action === 'config')
      return sendJson(res, 200, { rollingRelease: rollingConfig ? rollingConfigJson(rollingConfig) : null });
    if (method === 'PATCH' && action === 'config') {
      if (body.enabled === false) {
        rollingConfig = undefined;
        return sendJson(res, 200, { rollingRelease: null });
      }
      const stages = body.stages as { targetPercentage?: unknown; duration?: unknown }[] | undefined;
      const shares = Array.isArray(stages) ? stages.map((stage) => stage?.targetPercentage) : [];
      const valid =
        shares.length >= 2 &&
        shares.every(
          (v, i) =>
            Number.isInteger(v) &&
            (v as number) >= 1 &&
            (v as number) <= 100 &&
            (i === 0 || (v as number) > (shares[i - 1] as number)),
        ) &&
        shares.at(-1) === 100;
      if (!valid)
        return error(res, 400, 'bad_request', 'Invalid request: stages must rise from 1 to 100, the last one 100');
      const advancementType = body.advancementType === 'automatic' ? 'automatic' : 'manual-approval';
      rollingConfig = {
        advancementType,
        stages: (stages ?? []).map((stage) => ({
          targetPercentage: stage.targetPercentage as number,
          ...(typeof stage.duration === 'number' ? { duration: stage.duration } : {}),
        })),
      };
      return sendJson(res, 200, { rollingRelease: rollingConfigJson(rollingConfig) });
    }
    if (method !== 'POST') return error(res, 404, 'not_found', `No route ${method} rolling-release/${action}`);
    const canaryId = typeof body.canaryDeploymentId === 'string' ? body.canaryDeploymentId : undefined;
    if (action === 'start') {
      if (!rollingConfig) return error(res, 400, 'bad_request', 'Rolling releases are not configured for this project');
      if (rolling?.state === 'ACTIVE') return error(res, 409, 'conflict', 'A rolling release is already active');
      const d = canaryId ? deployments.get(canaryId) : undefined;
      if (!d || d.target !== 'production' || readyState(d) !== 'READY')
        return error(res, 400, 'bad_request', 'The canary must be a READY production deployment');
      beginRolling(d.id, now());
      return answer();
    }
    if (rolling?.state !== 'ACTIVE') return error(res, 400, 'bad_request', 'There is no active rolling release');
    if (canaryId !== rolling.canaryDeploymentId)
      return error(res, 400, 'bad_request', `${canaryId} is not the canary of the active rolling release`);
    if (action === 'approve-stage') {
      const next = body.nextStageIndex;
      if (rolling.shifting || next !== rolling.stageIndex + 1 || (next as number) >= rolling.stages.length)
        return error(res, 400, 'bad_request', `Stage ${String(next)} is not the next stage of the rolling release`);
      rolling.shifting = { index: next as number, at: Date.now() + timing.stageShiftMs };
      rolling.updatedAt = now();
      return answer();
    }
    if (action === 'complete') {
      finishRolling(rolling, now());
      stagesReached.push({ canaryDeploymentId: rolling.canaryDeploymentId, share: 100, at: rolling.updatedAt });
      advance();
      return answer();
    }
    return error(res, 404, 'not_found', `No route ${method} rolling-release/${action}`);
  }

  function startJob(res: ServerResponse, type: AliasJob['type'], projectParam: string, deploymentId: string): void {
    // Path parameters of promote and rollback take the project id, not its name.
    if (projectParam !== projectId) return error(res, 404, 'not_found', `Project ${projectParam} not found`);
    const d = deployments.get(deploymentId);
    if (!d) return error(res, 404, 'not_found', `Deployment ${deploymentId} not found`);
    if (readyState(d) !== 'READY') return error(res, 400, 'deployment_not_ready', 'The deployment is not READY');
    if (d.target !== 'production')
      return error(res, 400, 'invalid_target', 'Only production deployments can be promoted or rolled back to');
    if ((job && !job.done) || queuedJob)
      return error(res, 409, 'conflict', 'Another promote or rollback is in progress');
    if (type === 'rollback' && plan === 'hobby') {
      // Hobby: only the immediately previous production deployment (docs, "vercel rollback"; the API answers 402).
      const current = production ? deployments.get(production) : undefined;
      const previous = [...deployments.values()]
        .filter(
          (x) =>
            x.servedProduction &&
            x.id !== production &&
            readyState(x) === 'READY' &&
            (!current || x.createdAt < current.createdAt),
        )
        .sort((a, b) => b.createdAt - a.createdAt)[0];
      if (previous?.id !== d.id)
        return error(
          res,
          402,
          'unprocessable_entity',
          'To rollback further than the previous production deployment, upgrade to pro.',
        );
    }
    // A rollback while a rolling release is active aborts it (what `vercel rolling-release abort` sends): the canary
    // loses its share at once, and production stays with (or returns to) the rollback's target.
    if (type === 'rollback' && rolling?.state === 'ACTIVE') {
      rolling.state = 'ABORTED';
      rolling.shifting = undefined;
      rolling.updatedAt = now();
    }
    // With rolling releases on (and none active), a promote starts a rolling release of its deployment at once
    // instead of an alias job: `vercel promote` then reads the rolling release, not lastAliasRequest ("Rolling
    // Release serving traffic at initial percentage").
    if (type === 'promote' && rollingConfig && production && production !== d.id && rolling?.state !== 'ACTIVE') {
      beginRolling(d.id, now());
      autoAssign = true;
      aliasJobs.push({ type, toDeploymentId: d.id, status: 201 });
      res.writeHead(201, { 'content-type': 'application/json; charset=utf-8' });
      res.end('');
      return;
    }
    // A promote while a rolling release is active waits for it: 202, and the job starts when the release completes.
    const queued = type === 'promote' && rolling?.state === 'ACTIVE';
    const requestedAt = now();
    const accepted: AliasJob = {
      type,
      fromDeploymentId: production ?? null,
      toDeploymentId: d.id,
      requestedAt,
      startsAt: queued ? Number.MAX_SAFE_INTEGER : requestedAt,
      fails: nextJobFails,
      done: false,
    };
    if (queued && rolling) {
      queuedJob = accepted;
      rolling.queuedDeploymentId = d.id;
      rolling.updatedAt = requestedAt;
    } else job = accepted;
    nextJobFails = false;
    const status = queued ? 202 : 201;
    aliasJobs.push({ type, toDeploymentId: d.id, status });
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
    res.end(type === 'promote' ? '' : '{}');
  }

  function createDeployment(res: ServerResponse, url: URL, raw: string): void {
    const body = JSON.parse(raw || '{}');
    if (!body.name) return error(res, 400, 'bad_request', 'Invalid request: should have required property "name"');
    if (!projectMatches(body.project ?? body.name)) return error(res, 404, 'not_found', 'Project not found');
    const list = (body.files ?? []) as (FakeFile & { data?: string; encoding?: string })[];
    if (list.length === 0) return error(res, 400, 'missing_files', 'No files', { missing: [] });
    const files: FakeFile[] = [];
    for (const f of list) {
      if (typeof f.file !== 'string' || f.file.startsWith('/') || f.file.split('/').includes('..'))
        return error(res, 400, 'bad_request', `Invalid file path "${f.file}"`);
      if (f.data !== undefined) {
        // Inlined content (what @vercel/client sends for a few small HTML files).
        const content = Buffer.from(f.data, f.encoding === 'base64' ? 'base64' : 'utf8');
        const sha = createHash('sha1').update(content).digest('hex');
        blobs.set(sha, content);
        files.push({ file: f.file, sha, size: content.length, mode: f.mode });
      } else files.push({ file: f.file, sha: f.sha, size: f.size, mode: f.mode });
    }
    const missing = [...new Set(files.filter((f) => f.sha && !blobs.has(f.sha)).map((f) => f.sha as string))];
    if (missing.length > 0) return error(res, 400, 'missing_files', 'Missing files', { missing });
    const prebuilt = url.searchParams.get('prebuilt') === '1';
    const paths = new Set(files.map((f) => f.file));
    const hasOutput = paths.has('.vercel/output/config.json');
    if (prebuilt && !hasOutput)
      return error(res, 400, 'bad_request', 'Invalid request: a prebuilt deployment needs .vercel/output/config.json');
    for (const f of files) {
      if (
        f.mode !== undefined &&
        (f.mode & S_IFMT) === S_IFLNK &&
        f.sha &&
        blobs.get(f.sha)?.toString('utf8').startsWith('/')
      ) {
        return error(res, 400, 'bad_request', `Invalid symlink "${f.file}": the target must be relative`);
      }
    }
    let outcome: FakeDeployment['outcome'] = nextOutcome ?? 'READY';
    nextOutcome = undefined;
    // Without ?prebuilt=1 the upload is source: Vercel builds it, and a .vercel/output with no package.json
    // builds to nothing.
    if (!prebuilt && hasOutput && !paths.has('package.json'))
      outcome = {
        errorCode: 'BUILD_FAILED',
        errorMessage: 'Error: No Output Directory named "public" found after the Build completed.',
      };
    const id = `dpl_${randomBytes(9).toString('base64url')}`;
    const d: FakeDeployment = {
      id,
      url: `${projectName}-${randomBytes(4).toString('hex')}-fake-team.vercel.app`,
      name: projectName,
      target: body.target === 'production' ? 'production' : null,
      createdAt: now(),
      meta: body.meta ?? {},
      files,
      prebuilt,
      autoAssignCustomDomains: body.autoAssignCustomDomains !== false,
      outcome,
      canceled: false,
      buildFrom: 0,
      servedProduction: false,
      aliasAssignedAt: null,
      aliases: [],
    };
    d.buildFrom = d.createdAt;
    deployments.set(id, d);
    if (nextFails) failing.add(id);
    nextFails = false;
    sendJson(res, 200, deploymentJson(d));
  }

  const server = await startFakeServer((req: RecordedRequest, res) => {
    advance();
    // What the deployments serve to visitors: no token, as a public deployment.
    let visit: RegExpExecArray | null;
    if (req.method === 'GET' && (visit = /^\/__deployments\/([^/?]+)/.exec(req.path)))
      return answerAs(res, decodeURIComponent(visit[1] as string), 'deployment');
    if (req.method === 'GET' && /^\/__production(\/|$|\?)/.test(req.path)) {
      const routed = routeAlias();
      return answerAs(res, routed.deploymentId, 'production', routed.canaryShare);
    }
    if (req.headers.authorization !== `Bearer ${token}`) return error(res, 403, 'forbidden', 'Not authorized');
    const url = new URL(req.path, 'http://fake');
    const scope = url.searchParams.get('teamId');
    if (teamId === undefined && scope)
      return error(res, 403, 'forbidden', 'Not authorized: you are not a member of this team');
    const route = `${req.method} ${url.pathname}`;
    let m: RegExpExecArray | null;

    // The account (the CLI asks who it is) and the team.
    if (route === 'GET /v2/user' || route === 'GET /www/user')
      return sendJson(res, 200, {
        user: {
          id: userId,
          uid: userId,
          email: 'fake@example.com',
          username: 'fake',
          name: 'Fake',
          defaultTeamId: teamId ?? null,
          version: 'northstar',
        },
      });
    if ((m = /^GET \/(?:v1|v2)\/teams\/([^/]+)$/.exec(route))) {
      if (decodeURIComponent(m[1] as string) !== teamId) return error(res, 404, 'not_found', 'Team not found');
      return sendJson(res, 200, {
        id: teamId,
        slug: 'fake-team',
        name: 'Fake team',
        avatar: null,
        billing: { plan },
        createdAt: projectCreatedAt,
        membership: { role: 'OWNER', confirmed: true },
      });
    }
    if (route === 'GET /v1/teams' || route === 'GET /v2/teams')
      return sendJson(res, 200, {
        teams: teamId ? [{ id: teamId, slug: 'fake-team', name: 'Fake team', createdAt: projectCreatedAt }] : [],
        pagination: { count: teamId ? 1 : 0, next: null, prev: null },
      });

    // A team's resources are not visible without its teamId.
    if (teamId !== undefined && scope !== teamId) return error(res, 404, 'not_found', 'Not found (wrong team scope)');

    if (route === 'POST /v2/files' || route === 'POST /v2/now/files') {
      const digest = String(req.headers['x-vercel-digest'] ?? req.headers['x-now-digest'] ?? '');
      const actual = createHash('sha1').update(req.raw).digest('hex');
      if (digest !== actual)
        return error(res, 400, 'invalid_digest', `digest ${digest} does not match the content (${actual})`);
      if (Number(req.headers['x-now-size']) !== req.raw.length)
        return error(res, 400, 'invalid_size', 'x-now-size does not match the content');
      blobs.set(digest, req.raw);
      uploads.push(digest);
      return sendJson(res, 200, {});
    }
    if (route === 'POST /v13/deployments') return createDeployment(res, url, req.body);
    if ((m = /^GET \/v13\/deployments\/([^/]+)$/.exec(route))) {
      const key = decodeURIComponent(m[1] as string).replace(/^https?:\/\//, '');
      const d = deployments.get(key) ?? [...deployments.values()].find((x) => x.url === key);
      return d ? sendJson(res, 200, deploymentJson(d)) : error(res, 404, 'not_found', 'Deployment not found');
    }
    if ((m = /^GET \/v[23]\/deployments\/([^/]+)\/events$/.exec(route))) {
      // Build logs: the fake's builds print nothing.
      return deployments.has(decodeURIComponent(m[1] as string))
        ? sendJson(res, 200, [])
        : error(res, 404, 'not_found', 'Deployment not found');
    }
    if ((m = /^PATCH \/v12\/deployments\/([^/]+)\/cancel$/.exec(route))) {
      const d = deployments.get(decodeURIComponent(m[1] as string));
      if (!d) return error(res, 404, 'not_found', 'Deployment not found');
      if (!['READY', 'ERROR'].includes(readyState(d))) d.canceled = true;
      return sendJson(res, 200, deploymentJson(d));
    }
    if (route === 'GET /v6/deployments' || route === 'GET /v7/deployments') {
      const q = url.searchParams;
      const wanted = q.get('projectId') ?? q.get('app') ?? '';
      const empty = { deployments: [], pagination: { count: 0, next: null, prev: null } };
      if (!projectMatches(wanted)) return sendJson(res, 200, empty);
      const list = [...deployments.values()]
        .filter((d) => !q.get('target') || d.target === q.get('target'))
        .filter((d) => !q.get('state') || q.get('state')?.split(',').includes(readyState(d)))
        .filter((d) => !q.get('since') || d.createdAt >= Number(q.get('since')))
        // meta-<key>=<value>: only deployments whose meta has that value (what `vercel ls --meta key=value` sends).
        .filter((d) =>
          [...q.entries()].every(([k, v]) => !k.startsWith('meta-') || d.meta[k.slice('meta-'.length)] === v),
        )
        .filter((d) => q.get('rollbackCandidate') !== 'true' || listJson(d).isRollbackCandidate)
        .sort((a, b) => b.createdAt - a.createdAt)
        .slice(0, Number(q.get('limit') ?? 20));
      return sendJson(res, 200, {
        deployments: list.map(listJson),
        pagination: { count: list.length, next: null, prev: null },
      });
    }
    if ((m = /^GET \/v9\/projects\/([^/]+)$/.exec(route))) {
      if (!projectMatches(decodeURIComponent(m[1] as string))) return error(res, 404, 'not_found', 'Project not found');
      return sendJson(res, 200, projectJson(url.searchParams.get('rollbackInfo') === 'true'));
    }
    if ((m = /^GET \/v1\/projects\/([^/]+)\/rolling-release$/.exec(route))) {
      if (!projectMatches(decodeURIComponent(m[1] as string))) return error(res, 404, 'not_found', 'Project not found');
      // ?state=ACTIVE|COMPLETE|ABORTED: the release only if it is in that state.
      const wanted = url.searchParams.get('state');
      const shown = rolling && (!wanted || rolling.state === wanted) ? rollingReleaseJson(rolling) : null;
      return sendJson(res, 200, { rollingRelease: shown });
    }
    if (
      (m = /^(GET|PATCH|POST) \/v1\/projects\/([^/]+)\/rolling-release\/(config|start|approve-stage|complete)$/.exec(
        route,
      ))
    ) {
      if (!projectMatches(decodeURIComponent(m[2] as string))) return error(res, 404, 'not_found', 'Project not found');
      return rollingRoute(res, m[1] as string, m[3] as string, req.body);
    }
    if ((m = /^POST \/v10\/projects\/([^/]+)\/promote\/([^/]+)$/.exec(route)))
      return startJob(res, 'promote', decodeURIComponent(m[1] as string), decodeURIComponent(m[2] as string));
    if ((m = /^POST \/v(?:1|9)\/projects\/([^/]+)\/rollback\/([^/]+)$/.exec(route)))
      return startJob(res, 'rollback', decodeURIComponent(m[1] as string), decodeURIComponent(m[2] as string));
    if ((m = /^POST \/v2\/deployments\/([^/]+)\/aliases$/.exec(route))) {
      const d = deployments.get(decodeURIComponent(m[1] as string));
      if (!d) return error(res, 404, 'not_found', 'Deployment not found');
      const { alias } = JSON.parse(req.body || '{}');
      if (typeof alias !== 'string' || !/^[a-z0-9.-]+$/.test(alias))
        return error(res, 400, 'invalid_alias', `Invalid alias "${alias}"`);
      if (alias.startsWith('taken-'))
        return error(res, 409, 'alias_in_use', `The alias "${alias}" is already in use by another project`);
      const previous = [...deployments.values()].find((x) => x.aliases.includes(alias));
      if (previous) previous.aliases = previous.aliases.filter((a) => a !== alias);
      d.aliases.push(alias);
      return sendJson(res, 200, {
        uid: `alias_${randomBytes(6).toString('hex')}`,
        alias,
        created: new Date().toISOString(),
        oldDeploymentId: previous?.id ?? null,
      });
    }
    return error(res, 404, 'not_found', `No route ${route}`);
  });

  return {
    server,
    url: server.url,
    token,
    projectId,
    projectName,
    teamId: teamId ?? '',
    userId,
    deployments,
    blobs,
    uploads,
    aliasJobs,
    served,
    stagesReached,
    failRequestsOf: (deploymentId: string) => {
      failing.add(deploymentId);
    },
    failRequestsOfNextDeployment: () => {
      nextFails = true;
    },
    routeProduction: () => routeAlias().deploymentId,
    rollingRelease: () => {
      advance();
      return rolling
        ? {
            state: rolling.state,
            canaryDeploymentId: rolling.canaryDeploymentId,
            share: rolling.stages[rolling.stageIndex] as number,
            stageIndex: rolling.stageIndex,
          }
        : undefined;
    },
    production: () => {
      advance();
      return production;
    },
    autoAssignProduction: () => {
      advance();
      return autoAssign;
    },
    timing,
    failNextBuild: (errorCode = 'BUILD_FAILED', errorMessage = 'Command "npm run build" exited with 1') => {
      nextOutcome = { errorCode, errorMessage };
    },
    blockNextDeployment: (reason = 'The deployment was blocked: the commit author is not a member of the team') => {
      nextOutcome = { blocked: reason };
    },
    failNextAliasJob: () => {
      nextJobFails = true;
    },
    startRollingRelease: (canaryId: string, targetPercentage = 10) => {
      advance();
      beginRolling(canaryId, now(), [targetPercentage, 100]);
    },
    completeRollingRelease: () => {
      advance();
      if (!rolling || rolling.state !== 'ACTIVE') return;
      finishRolling(rolling, now());
      advance();
    },
    unblockDeployment: (id: string) => {
      const d = deployments.get(id);
      if (!d || d.canceled || !(typeof d.outcome === 'object' && 'blocked' in d.outcome)) return false;
      d.outcome = 'READY';
      d.buildFrom = now();
      return true;
    },
    connectGit: ({
      org = 'shipline',
      repo = 'example-app',
      productionBranch = 'main',
      rootDirectory: root = null,
    } = {}) => {
      gitLink = { org, repo, productionBranch };
      rootDirectory = root;
    },
    disconnectGit: () => {
      gitLink = undefined;
    },
    close: () => server.close(),
  };
}
