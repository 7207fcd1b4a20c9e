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
// project path parameters of promote/rollback take the project id only; team
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
  targetPercentage: number;
  queuedDeploymentId: string | null;
  startedAt: number;
  updatedAt: number;
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
  /** The deployment production serves. */
  production(): string | undefined;
  /** Whether a production deploy takes the production domains by itself (off after a rollback, on after a promote). */
  autoAssignProduction(): boolean;
  timing: { buildMs: number; aliasJobMs: number; aliasAssignMs: number };
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
  };
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
          // automatic assignment off ("to undo a rollback, promote a deployment").
          if (d.target === 'production' && d.autoAssignCustomDomains && autoAssign) serve(d.id);
        },
      });
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

  function jobStatus(j: AliasJob): string {
    if (!j.done) return Date.now() < j.startsAt + timing.aliasJobMs / 4 ? 'pending' : 'in-progress';
    return j.fails ? 'failed' : 'succeeded';
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
      ...(d.target === 'production' && state === 'READY'
        ? { readySubstate: d.servedProduction ? 'PROMOTED' : 'STAGED' }
        : {}),
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
      ...(d.target === 'production' && state === 'READY'
        ? { readySubstate: d.servedProduction ? 'PROMOTED' : 'STAGED' }
        : {}),
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

  function rollingReleaseJson(r: RollingRelease) {
    const stages = [
      { index: 0, isFinalStage: false, targetPercentage: r.targetPercentage, requireApproval: true, duration: null },
      { index: 1, isFinalStage: true, targetPercentage: 100, requireApproval: false, duration: null },
    ];
    const active = r.state === 'ACTIVE';
    return {
      state: r.state,
      substate: null,
      advancementType: 'manual-approval',
      currentDeployment: rollingDeploymentJson(r.currentDeploymentId),
      canaryDeployment: rollingDeploymentJson(r.canaryDeploymentId),
      queuedDeploymentId: r.queuedDeploymentId,
      stages,
      activeStage: active ? stages[0] : r.state === 'COMPLETE' ? stages[1] : null,
      nextStage: active ? stages[1] : null,
      startedAt: r.startedAt,
      updatedAt: r.updatedAt,
    };
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
    sendJson(res, 200, deploymentJson(d));
  }

  const server = await startFakeServer((req: RecordedRequest, res) => {
    advance();
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
      return sendJson(res, 200, { rollingRelease: rolling ? rollingReleaseJson(rolling) : null });
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
      rolling = {
        state: 'ACTIVE',
        canaryDeploymentId: canaryId,
        currentDeploymentId: production ?? null,
        targetPercentage,
        queuedDeploymentId: null,
        startedAt: now(),
        updatedAt: now(),
      };
    },
    completeRollingRelease: () => {
      advance();
      if (!rolling || rolling.state !== 'ACTIVE') return;
      rolling.state = 'COMPLETE';
      rolling.updatedAt = now();
      serve(rolling.canaryDeploymentId);
      if (queuedJob) queuedJob.startsAt = Date.now();
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
