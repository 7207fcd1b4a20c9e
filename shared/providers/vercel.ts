// Vercel through its REST API, without the CLI, sending the requests the vercel CLI and @vercel/client send
// (actions/deploy/README.md, "Provider fidelity"): hash the output, create the deployment (?prebuilt=1 for a
// .vercel/output), upload only the files Vercel reports missing, re-create, then follow readyState until READY
// and aliasAssigned. Staged production deploys (no domain assignment) are promoted later; rollback re-points
// production at an earlier deployment without a rebuild; both are followed through the project's
// lastAliasRequest (?rollbackInfo=true).
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join, posix as posixPath, relative, sep } from 'node:path';
import { mapLimit } from '../concurrency.js';
import { NetworkError, ProviderError, ShiplineError } from '../errors.js';
import { type DigestedFile, outsideLinkError, resolveUnderRoot, sha1File } from '../files.js';
import { metPlainHttp, requestJson, safeToResend, sleep } from '../http.js';
import { info, warning } from '../runner.js';
import { Deadline } from '../deadline.js';
import { excerpt, inline } from '../sanitise.js';
import {
  type DeploySpec,
  type GitDeploys,
  lookUpUnknownCreate,
  type Provider,
  type ProviderConfig,
  type Release,
  type RollingReleases,
  type RollingState,
  type UploadStats,
} from './provider.js';

interface VercelDeployment {
  id?: string;
  uid?: string;
  url?: string;
  name?: string;
  readyState?: string;
  state?: string;
  readySubstate?: string;
  readyStateReason?: string;
  target?: string | null;
  /** Whether the deployment's aliases are assigned (older answers: the time they were; null until then). */
  aliasAssigned?: number | boolean | null;
  aliasError?: { code?: string; message?: string } | null;
  errorCode?: string;
  errorMessage?: string;
  inspectorUrl?: string;
  created?: number;
  createdAt?: number;
  meta?: Record<string, string>;
  isRollbackCandidate?: boolean | null;
  /** The pricing plan the deployment was made under (hobby, pro, enterprise). */
  plan?: string;
}

/** GET /v1/projects/{idOrName}/rolling-release (@vercel/sdk GetRollingReleaseRollingRelease), the parts we read. */
interface RollingRelease {
  state?: string;
  advancementType?: string;
  canaryDeployment?: { id?: string; url?: string } | null;
  currentDeployment?: { id?: string } | null;
  activeStage?: { index?: number; targetPercentage?: number } | null;
  stages?: { index?: number; targetPercentage?: number }[];
  queuedDeploymentId?: string | null;
  updatedAt?: number;
}

function rollingState(r: RollingRelease | null | undefined): RollingState | undefined {
  const canaryId = r?.canaryDeployment?.id;
  if (!r || !canaryId || (r.state !== 'ACTIVE' && r.state !== 'COMPLETE' && r.state !== 'ABORTED')) return undefined;
  const stages = (r.stages ?? []).map((s) => s.targetPercentage ?? 0);
  const stageIndex = r.activeStage?.index ?? 0;
  return {
    state: r.state,
    canaryId,
    currentId: r.currentDeployment?.id,
    stageIndex,
    stages,
    share: r.activeStage?.targetPercentage ?? stages[stageIndex] ?? 0,
    advancement: r.advancementType === 'automatic' ? 'automatic' : 'manual-approval',
    updatedAt: r.updatedAt,
  };
}

interface AliasRequest {
  fromDeploymentId?: string;
  toDeploymentId?: string;
  jobStatus?: 'pending' | 'in-progress' | 'succeeded' | 'failed' | 'skipped';
  type?: 'rollback' | 'promote';
  requestedAt?: number;
}

/**
 * The project's Git repository, when one is connected (@vercel/sdk GetProjectLink: github, github-limited,
 * github-custom-host, gitlab, bitbucket, …): pushes to `productionBranch` are deployed to production.
 */
interface VercelGitLink {
  type?: string;
  org?: string;
  owner?: string;
  repo?: string;
  slug?: string;
  projectNameWithNamespace?: string;
  productionBranch?: string;
}

interface VercelProject {
  id: string;
  name: string;
  link?: VercelGitLink;
  /** Where the project's sources (and its vercel.json) sit in the repository; null: the repository root. */
  rootDirectory?: string | null;
  targets?: { production?: VercelDeployment };
  /** Present only when asked for with ?rollbackInfo=true. */
  lastAliasRequest?: AliasRequest | null;
  /** The project's rolling-release configuration, when rolling releases are on. */
  rollingRelease?: unknown;
}

/** A file as Vercel deploys it: symlinks are uploaded as the link's text, as @vercel/client does. */
interface VercelFile extends DigestedFile {
  symlink?: string;
}

type VercelError = { error?: { code?: string; message?: string; missing?: string[] } };

const UPLOAD_CONCURRENCY = 8;
/** readyState polling: quick at first (most static deploys are ready in seconds), then backing off. */
const READY_POLL_MS = [500, 1000, 1000, 2000, 5000, 10_000, 15_000, 30_000];
/** The CLI polls alias jobs every 250 ms: they usually finish in about a second. */
const ALIAS_POLL_MS = 250;
/** States a deployment does not leave by itself: waiting longer changes nothing. */
const STOPPED = new Set(['ERROR', 'CANCELED', 'DELETED', 'BLOCKED']);
/** Time given to cancelling a build we gave up on, even past the deadline (it keeps production from changing). */
const CANCEL_MS = 5_000;
/** 5xx from a gateway: Vercel's own handler may still be working on the request, so its fate is unknown. */
const GATEWAY = new Set([502, 504]);

/** The build stopped by itself (failed, blocked, cancelled): it can never go live. */
class StoppedError extends ProviderError {}
/**
 * BLOCKED is not final: a team member with the rights can unblock the deployment, which then builds and (a production
 * one) takes the production domains by itself. A BLOCKED deployment we stop following is cancelled.
 */
class BlockedError extends StoppedError {}

/**
 * Whether a deployment ever served production: Vercel's Instant Rollback candidates are the deployments "previously
 * aliased to a production domain" (docs, "Instant Rollback"); the list marks them isRollbackCandidate, and
 * readySubstate says STAGED for a READY production build that never saw production traffic (@vercel/sdk
 * GetDeploymentsReadySubstate). A staged build nobody promoted was never checked in production: it is never a
 * rollback target.
 */
function servedProduction(d: VercelDeployment): boolean {
  if (d.readySubstate === 'STAGED') return false;
  return d.isRollbackCandidate === true || d.readySubstate === 'PROMOTED';
}

function https(url: string | undefined): string | undefined {
  if (!url) return undefined;
  return /^https?:\/\//.test(url) ? url : `https://${url}`;
}

const posix = (path: string) => path.split(sep).join('/');
const byPath = (a: { path: string }, b: { path: string }) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);

/** One entry as @vercel/client hashes it: lstat, a symlink is its link text, anything else its content. */
function digestEntry(absolutePath: string, path: string): VercelFile {
  const info = lstatSync(absolutePath);
  if (info.isSymbolicLink()) {
    const link = readlinkSync(absolutePath);
    const content = Buffer.from(link, 'utf8');
    return {
      path,
      absolutePath,
      sha1: createHash('sha1').update(content).digest('hex'),
      size: content.length,
      mode: info.mode,
      symlink: link,
    };
  }
  return { path, absolutePath, sha1: sha1File(absolutePath, info.size), size: info.size, mode: info.mode };
}

/**
 * Files and symlinks under `dir`, paths relative to `root`. A symlink is never followed (Node's recursive readdir
 * descends into linked folders, so the walk is our own): Vercel recreates it from its link text.
 */
function vercelFiles(dir: string, root: string, ignore: (path: string) => boolean = () => false): VercelFile[] {
  const files: VercelFile[] = [];
  const walk = (folder: string): void => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const absolutePath = join(folder, entry.name);
      const path = posix(relative(root, absolutePath));
      if (ignore(path)) continue;
      if (entry.isDirectory()) walk(absolutePath);
      else if (entry.isFile() || entry.isSymbolicLink()) files.push(digestEntry(absolutePath, path));
    }
  };
  walk(dir);
  return files.sort(byPath);
}

/**
 * A Build Output API upload as `vercel deploy --prebuilt` makes it: everything under .vercel/output (paths from the
 * project root), plus the files that functions' .vc-config.json `filePathMap`s point at outside it (traced
 * node_modules and the like). Nothing outside the project folder is read. An entry whose path climbs out of it
 * (`../`) is skipped, as @vercel/client does (utils/index.js buildFileTree: "resolves outside the deployment
 * root"), with a warning naming it. An entry reached through a linked folder whose target is outside is refused:
 * the client would read through the link (hashes.js lstats the full path) and upload what it points at. An entry
 * that is itself a link is sent as its link text, as the client sends it.
 */
function prebuiltFiles(root: string): VercelFile[] {
  const output = resolveUnderRoot(root, '.vercel/output');
  if (output.kind === 'link') throw outsideLinkError(root, output.link);
  const files = vercelFiles(join(root, '.vercel', 'output'), root);
  const seen = new Set(files.map((f) => f.path));
  const climbing: string[] = [];
  for (const config of files.filter((f) => f.path.endsWith('/.vc-config.json') && !f.symlink)) {
    let filePathMap: Record<string, string> | undefined;
    try {
      filePathMap = (JSON.parse(readFileSync(config.absolutePath, 'utf8')) as { filePathMap?: Record<string, string> })
        .filePathMap;
    } catch (error) {
      throw new ShiplineError(`${config.path} is not valid JSON (${(error as Error).message})`);
    }
    for (const target of Object.values(filePathMap ?? {})) {
      const entry = resolveUnderRoot(root, target, { keepLastLink: true });
      if (entry.kind === 'leaves') {
        climbing.push(target);
        continue;
      }
      if (entry.kind === 'link')
        throw outsideLinkError(root, entry.link, `${config.path}: filePathMap entry ${target} goes through a link: `);
      if (entry.kind === 'missing')
        throw new ShiplineError(`${config.path}: filePathMap entry ${target} does not exist`, {
          hint: 'Run `vercel build` again in the same folder.',
        });
      if (seen.has(entry.path)) continue;
      seen.add(entry.path);
      files.push(digestEntry(entry.realPath, entry.path));
    }
  }
  if (climbing.length > 0) {
    const shown = [...new Set(climbing)].sort();
    warning(
      `Vercel: ${shown.length} filePathMap entries are outside ${root} and are not uploaded (as vercel deploy --prebuilt skips them): ${shown.slice(0, 5).join(', ')}${shown.length > 5 ? ', …' : ''}`,
    );
  }
  return files.sort(byPath);
}

export class VercelProvider implements Provider {
  readonly name = 'vercel';
  private readonly apiUrl: string;
  private resolvedProjectId: string | undefined;
  /**
   * Rolling releases, with the requests `vercel rolling-release` sends (configure: PATCH …/rolling-release/config
   * with {enabled, advancementType, stages}; approve: POST …/approve-stage with {activeStageIndex, nextStageIndex,
   * canaryDeploymentId}; abort: a rollback to the deployment that serves the rest of the traffic).
   */
  readonly rolling: RollingReleases = {
    configure: async (stages, deadline) => {
      const { status, data } = await this.call(
        'PATCH',
        `/v1/projects/${encodeURIComponent(await this.projectId())}/rolling-release/config`,
        {
          label: 'configure rolling release',
          // Manual approval: a stage moves on only when shipline's verdict approves it, never by time alone.
          body: {
            enabled: true,
            advancementType: 'manual-approval',
            stages: stages.map((targetPercentage) => ({ targetPercentage })),
          },
          idempotent: true,
          deadline,
        },
      );
      if (status >= 300) this.fail('configure rolling release', status, data);
    },
    state: async (deadline) => {
      const { status, data } = await this.call<{ rollingRelease?: RollingRelease | null }>(
        'GET',
        `/v1/projects/${encodeURIComponent(await this.projectId())}/rolling-release`,
        { label: 'get rolling release', deadline },
      );
      if (status >= 300) this.fail('get rolling release', status, data);
      return rollingState(data.rollingRelease);
    },
    approve: async (rolling, deadline) => {
      const { status, data } = await this.call(
        'POST',
        `/v1/projects/${encodeURIComponent(await this.projectId())}/rolling-release/approve-stage`,
        {
          label: 'approve rolling release stage',
          body: {
            activeStageIndex: rolling.stageIndex,
            nextStageIndex: rolling.stageIndex + 1,
            canaryDeploymentId: rolling.canaryId,
          },
          // A second approval of the same stage is refused (the stage is no longer next): never a double advance.
          idempotent: false,
          deadline,
        },
      );
      if (status >= 300) this.fail('approve rolling release stage', status, data);
    },
    abort: async (rolling, deadline) => {
      if (!rolling.currentId)
        throw new ShiplineError(
          `Vercel's rolling release of ${rolling.canaryId} names no current deployment to return production traffic to`,
          { hint: 'Abort it in the Vercel dashboard (Deployments → Rolling Release → Abort).' },
        );
      await this.aliasJob('rollback', rolling.currentId, deadline);
    },
  };

  constructor(private readonly config: ProviderConfig) {
    this.apiUrl = (config.apiUrl ?? 'https://api.vercel.com').replace(/\/$/, '');
  }

  private async call<T>(
    method: string,
    path: string,
    options: {
      body?: unknown;
      idempotent?: boolean;
      label: string;
      raw?: Uint8Array;
      headers?: Record<string, string>;
      deadline?: Deadline;
    },
  ): Promise<{ status: number; data: T & VercelError }> {
    const url = new URL(`${this.apiUrl}${path}`);
    // Personal accounts have no team: then no teamId at all.
    if (this.config.team) url.searchParams.set('teamId', this.config.team);
    // Every status comes back to the caller, which reads Vercel's error codes itself (fail()); only a body that is
    // not JSON is an error here.
    return requestJson<T & VercelError>(
      url,
      {
        label: `Vercel ${options.label}`,
        method,
        idempotent: options.idempotent,
        headers: {
          authorization: `Bearer ${this.config.token}`,
          ...(options.raw ? { 'content-type': 'application/octet-stream' } : { 'content-type': 'application/json' }),
          ...options.headers,
        },
        body: options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
        // Every request of a deploy ends by its deadline, retries included: a hanging API cannot stretch the wait.
        deadline: options.deadline,
      },
      {
        provider: 'Vercel',
        action: options.label,
        acceptStatus: () => true,
        errorMessage: () => undefined,
        // An error page from a proxy (502 "bad gateway") is an error answer, not a malformed one: its text is the reason.
        errorPage: (text, status) => ({ error: { message: excerpt(text, 200) || `HTTP ${status}` } }),
      },
    );
  }

  private fail(action: string, status: number, data: VercelError): never {
    const code = data.error?.code;
    const message = data.error?.message ?? `HTTP ${status}`;
    throw new ProviderError('Vercel', code ? `${code}: ${message}` : message, {
      status,
      action,
      hint: hintFor(code, status),
    });
  }

  private toRelease(d: VercelDeployment): Release {
    const id = (d.id ?? d.uid) as string;
    return {
      provider: 'vercel',
      id,
      url: https(d.url),
      inspectorUrl: d.inspectorUrl,
      target: d.target === 'production' ? 'production' : 'preview',
      state: d.readyState ?? d.state,
      createdAt: d.createdAt ?? d.created,
      sha: d.meta?.githubCommitSha,
    };
  }

  private digest(dir: string): { files: VercelFile[]; prebuilt: boolean } {
    // A prebuilt project (vercel build, Build Output API) is deployed as its .vercel/output with the paths
    // `deploy --prebuilt` sends, and created with ?prebuilt=1; anything else is a static folder.
    if (existsSync(join(dir, '.vercel', 'output', 'config.json'))) return { files: prebuiltFiles(dir), prebuilt: true };
    if (!existsSync(dir)) throw new ShiplineError(`Input 'dir': ${dir} does not exist`);
    return {
      files: vercelFiles(
        dir,
        dir,
        (p) => p === '.git' || p === '.vercel' || p.startsWith('.git/') || p.startsWith('.vercel/'),
      ),
      prebuilt: false,
    };
  }

  private async upload(files: VercelFile[], missing: string[], deadline: Deadline): Promise<number> {
    const bySha = new Map(files.map((f) => [f.sha1, f]));
    const todo = [...new Set(missing)].map((sha) => bySha.get(sha)).filter((f): f is VercelFile => f !== undefined);
    let bytes = 0;
    await mapLimit(todo, UPLOAD_CONCURRENCY, async (file) => {
      const body = file.symlink !== undefined ? Buffer.from(file.symlink, 'utf8') : readFileSync(file.absolutePath);
      // Uploads are keyed by digest, so sending one twice is harmless: they may be retried on any failure.
      const { status, data } = await this.call('POST', '/v2/files', {
        label: `upload ${file.path}`,
        raw: body,
        idempotent: true,
        deadline,
        headers: { 'x-vercel-digest': file.sha1, 'x-now-digest': file.sha1, 'x-now-size': String(body.length) },
      });
      if (status >= 300) this.fail(`upload of ${file.path}`, status, data);
      bytes += body.length;
    });
    return bytes;
  }

  /** The project's id: path parameters of promote and rollback take the id, and input 'project' may be a name. */
  private async projectId(): Promise<string> {
    this.resolvedProjectId ??= (await this.project()).id;
    return this.resolvedProjectId;
  }

  /**
   * A deployment this step already created, found by its idempotency key (`meta`, which Vercel stores and returns in
   * the project's deployment list): how a create whose answer was lost is recognised.
   */
  private async findByKey(key: string, since: number, deadline: Deadline): Promise<VercelDeployment | undefined> {
    const { status, data } = await this.call<{ deployments?: VercelDeployment[] }>(
      'GET',
      `/v6/deployments?projectId=${encodeURIComponent(await this.projectId())}&since=${since - 60_000}&limit=100`,
      {
        label: 'list deployments',
        deadline,
      },
    );
    if (status >= 300) this.fail('list deployments', status, data);
    return data.deployments?.find((d) => d.meta?.shiplineDeployKey === key);
  }

  /** A create whose fate is unknown and whose deployment never showed up: both possibilities, never a second create. */
  private unknownCreate(cause: string, key: string): ShiplineError {
    return new ShiplineError(
      `Vercel create deployment: ${cause}, and no deployment with this step's key (meta.shiplineDeployKey = ${key}) appeared in project ${this.config.project} while we looked. ` +
        'Either Vercel never made it, or it is still making it; it was not created again, so there cannot be two.',
      {
        hint: `Look for a deployment with meta.shiplineDeployKey = ${key} in the Vercel dashboard: if there is one, cancel it or let it finish (a production deployment then goes live by itself); if there is none, re-run the job.`,
      },
    );
  }

  async deploy(spec: DeploySpec, deadline: Deadline): Promise<{ release: Release; upload: UploadStats }> {
    const hashStart = Date.now();
    const { files, prebuilt } = this.digest(spec.dir);
    const stats: UploadStats = { files: files.length, uploaded: 0, uploadedBytes: 0, hashMs: Date.now() - hashStart };
    info(`Vercel: ${files.length} files hashed in ${stats.hashMs} ms${prebuilt ? ' (prebuilt: .vercel/output)' : ''}`);
    const body = {
      name: this.config.project,
      project: this.config.project,
      target: spec.target === 'production' ? 'production' : undefined,
      files: files.map((f) => ({ file: f.path, sha: f.sha1, size: f.size, mode: f.mode })),
      meta: {
        shiplineDeployKey: spec.idempotencyKey,
        githubCommitSha: spec.git.sha,
        githubCommitRef: spec.git.ref,
        ...(spec.git.prNumber ? { githubPrId: String(spec.git.prNumber) } : {}),
      },
      gitMetadata: { commitSha: spec.git.sha, commitRef: spec.git.ref, commitMessage: spec.git.message?.slice(0, 500) },
      // Staged production: built for production, domains left alone until promote (the CLI's --skip-domain).
      ...(spec.staged ? { autoAssignCustomDomains: false } : {}),
    };
    // Without prebuilt=1 Vercel builds the upload as source, and a .vercel/output has no package.json to build.
    const query = prebuilt ? '?skipAutoDetectionConfirmation=1&prebuilt=1' : '?skipAutoDetectionConfirmation=1';

    const started = Date.now();
    let created: VercelDeployment | undefined;
    for (let round = 0; round < 4 && !created; round++) {
      let result: { status: number; data: VercelDeployment & VercelError };
      try {
        result = await this.call<VercelDeployment>('POST', `/v13/deployments${query}`, {
          label: 'create deployment',
          body,
          idempotent: false,
          deadline,
        });
      } catch (error) {
        // A request that never reached Vercel (refused, unresolvable, stopped at the proxy, a TLS handshake that met
        // plain HTTP) made nothing: its own error, and asking again meets the same.
        if (!(error instanceof NetworkError) || safeToResend(error.kind) || metPlainHttp(error.cause)) throw error;
        // No answer (a timeout, a reset): Vercel may have made the deployment, or may still be making it. Look it up
        // by its key for a while; creating again on a guess could make a second one.
        created = await lookUpUnknownCreate(
          (window) => this.findByKey(spec.idempotencyKey, started, window),
          deadline,
          sleep,
        );
        if (!created) throw this.unknownCreate(`no answer (${error.kind})`, spec.idempotencyKey);
        info(`Vercel: create deployment got no answer (${error.kind}); found the deployment it made by its key`);
        continue;
      }
      const { status, data } = result;
      if (data.error?.code === 'missing_files') {
        const missing = data.error.missing ?? [];
        info(`Vercel: ${missing.length} of ${files.length} files are new; uploading them`);
        stats.uploadedBytes += await this.upload(files, missing, deadline);
        stats.uploaded += new Set(missing).size;
        continue;
      }
      if (GATEWAY.has(status)) {
        // A gateway gave up waiting: the request's fate is as unknown as after a timeout.
        created = await lookUpUnknownCreate(
          (window) => this.findByKey(spec.idempotencyKey, started, window),
          deadline,
          sleep,
        );
        if (!created) throw this.unknownCreate(`a gateway answered HTTP ${status}`, spec.idempotencyKey);
        continue;
      }
      if (status >= 500) {
        // Vercel itself answered: the request is over. Only if no deployment carries this step's key was none made,
        // and only then is it created again.
        created = await this.findByKey(spec.idempotencyKey, started, deadline);
        if (!created && round === 3) this.fail('create deployment', status, data);
        if (!created)
          info(
            `Vercel: create deployment answered HTTP ${status} and no deployment with this step's key exists; creating again`,
          );
        continue;
      }
      if (status >= 300) this.fail('create deployment', status, data);
      created = data;
    }
    if (!created)
      throw new ProviderError('Vercel', 'files still reported missing after uploading them', {
        action: 'create deployment',
      });

    const release = this.toRelease(created);
    spec.onCreated?.(release);
    info(`Vercel: deployment ${release.id} created (${release.url}); waiting for it to be ready`);
    const goesLiveByItself = spec.target === 'production' && !spec.staged;
    let ready: Release;
    try {
      ready = await this.waitUntilReady(release, deadline);
    } catch (error) {
      if (error instanceof BlockedError) throw await this.cancelBlocked(release, error);
      throw goesLiveByItself && !(error instanceof StoppedError) ? await this.gaveUp(release, error as Error) : error;
    }
    if (!goesLiveByItself) return { release: ready, upload: stats };
    return { release: await this.takeProduction(ready, deadline), upload: stats };
  }

  /**
   * We stopped following a production deployment (deadline, or its status could not be read): Vercel would give
   * it the production domains by itself once READY, unchecked. Cancel it, and say exactly what production serves.
   */
  private async gaveUp(release: Release, error: Error): Promise<ShiplineError> {
    const cleanup = Deadline.in(CANCEL_MS);
    const reason = error.message;
    const hint = error instanceof ShiplineError ? error.hint : undefined;
    try {
      const { status, data } = await this.call<VercelDeployment>(
        'PATCH',
        `/v12/deployments/${encodeURIComponent(release.id)}/cancel`,
        { label: 'cancel deployment', idempotent: true, deadline: cleanup },
      );
      if (status < 300 && data.readyState === 'CANCELED') {
        return new ShiplineError(
          `${reason}. Deployment ${release.id} was cancelled, so production still serves what it served before this deploy`,
          { hint, cause: error },
        );
      }
      if (status < 300 && data.readyState === 'READY') {
        const live = (await this.project(cleanup).catch(() => undefined))?.targets?.production;
        const serves = live
          ? `production now serves ${live.id ?? live.uid}`
          : 'what production serves could not be read';
        return new ShiplineError(
          `${reason}. Deployment ${release.id} was already READY, so it could not be cancelled: it takes the production domains by itself (unchecked); ${serves}`,
          {
            hint: 'Check it, and run the rollback action if it is bad.',
            cause: error,
          },
        );
      }
      const why =
        status < 300
          ? `it is ${data.readyState ?? 'in an unknown state'}`
          : `HTTP ${status} ${data.error?.message ?? ''}`.trim();
      return new ShiplineError(
        `${reason}. Deployment ${release.id} could not be cancelled (${why}): if its build succeeds it takes the production domains by itself, unchecked`,
        {
          hint: 'Cancel it in the Vercel dashboard, or run the rollback action once it is live.',
          cause: error,
        },
      );
    } catch (cancelError) {
      return new ShiplineError(
        `${reason}. Deployment ${release.id} could not be cancelled (${(cancelError as Error).message}): if its build succeeds it takes the production domains by itself, unchecked`,
        {
          hint: 'Cancel it in the Vercel dashboard, or run the rollback action once it is live.',
          cause: error,
        },
      );
    }
  }

  /**
   * A BLOCKED deployment we stop following: cancelled (PATCH /v12/deployments/{id}/cancel, what `vercel` and the
   * dashboard's Cancel send), so that unblocking it later cannot build it and put it live unchecked.
   */
  private async cancelBlocked(release: Release, error: BlockedError): Promise<ShiplineError> {
    const cleanup = Deadline.in(CANCEL_MS);
    let outcome: string;
    try {
      const { status, data } = await this.call<VercelDeployment>(
        'PATCH',
        `/v12/deployments/${encodeURIComponent(release.id)}/cancel`,
        { label: 'cancel deployment', idempotent: true, deadline: cleanup },
      );
      outcome =
        status < 300 && data.readyState === 'CANCELED'
          ? `Deployment ${release.id} was cancelled, so unblocking it later cannot put it live`
          : `Deployment ${release.id} could not be cancelled (${status < 300 ? `it is ${data.readyState ?? 'in an unknown state'}` : `HTTP ${status} ${data.error?.message ?? ''}`.trim()}): if someone unblocks it, it builds and ${release.target === 'production' ? 'takes the production domains by itself, unchecked' : 'goes up by itself'}`;
    } catch (cancelError) {
      outcome = `Deployment ${release.id} could not be cancelled (${(cancelError as Error).message}): if someone unblocks it, it builds and ${release.target === 'production' ? 'takes the production domains by itself, unchecked' : 'goes up by itself'}`;
    }
    return new ShiplineError(`Vercel ${error.message}. ${outcome}`, { hint: error.hint, cause: error });
  }

  /** Follows the deployment until READY with its aliases assigned (what the CLI waits for), or a stop state. */
  private async waitUntilReady(release: Release, deadline: Deadline): Promise<Release> {
    let last = release.state ?? 'QUEUED';
    for (let attempt = 0; ; attempt++) {
      const { status, data } = await this.call<VercelDeployment>(
        'GET',
        `/v13/deployments/${encodeURIComponent(release.id)}`,
        { label: 'get deployment', deadline },
      );
      if (status >= 300) this.fail('get deployment', status, data);
      const state = data.readyState ?? 'UNKNOWN';
      if (state !== last) info(`Vercel: ${release.id} ${last} → ${state}`);
      last = state;
      if (data.aliasError)
        throw new ProviderError(
          'Vercel',
          `aliases were not assigned: ${data.aliasError.code ?? ''} ${data.aliasError.message ?? ''}`.trim(),
          { action: 'alias' },
        );
      if (state === 'READY' && data.aliasAssigned) return this.toRelease(data);
      if (STOPPED.has(state)) throw this.stopped(state, data, release);
      const wait =
        state === 'READY' ? ALIAS_POLL_MS : (READY_POLL_MS[Math.min(attempt, READY_POLL_MS.length - 1)] as number);
      if (wait > deadline.left()) {
        if (state === 'READY') {
          throw new ShiplineError(
            `Vercel deployment ${release.id} is READY but its aliases were not assigned before the deadline`,
            { hint: "Raise input 'wait-timeout', or check the project's domains in the Vercel dashboard." },
          );
        }
        throw new ShiplineError(
          `Vercel deployment ${release.id} was not ready before the deadline (last state ${last})`,
          { hint: "Raise input 'wait-timeout' if builds take longer." },
        );
      }
      await sleep(wait);
    }
  }

  private stopped(state: string, data: VercelDeployment, release: Release): ProviderError {
    const logs = `Build logs: ${release.inspectorUrl ?? data.inspectorUrl ?? 'the Vercel dashboard'}`;
    if (state === 'ERROR')
      return new StoppedError('Vercel', `${data.errorCode ?? 'ERROR'}: ${data.errorMessage ?? 'the build failed'}`, {
        action: 'build',
        hint: logs,
      });
    if (state === 'BLOCKED')
      return new BlockedError(
        'Vercel',
        `deployment BLOCKED: ${data.readyStateReason ?? data.errorMessage ?? 'Vercel gave no reason'}`,
        { action: 'build', hint: logs },
      );
    return new StoppedError('Vercel', `deployment ${state}`, { action: 'build' });
  }

  /**
   * A READY production deploy is live only if production serves it. After a rollback Vercel stops giving new
   * production deploys the production domains until a promote; such a deploy is promoted here, so a
   * `target: production` deploy is either live or fails — never recorded live while production serves another.
   */
  private async takeProduction(release: Release, deadline: Deadline): Promise<Release> {
    const live = (await this.project(deadline)).targets?.production;
    if ((live?.id ?? live?.uid) === release.id) return release;
    // With rolling releases on, the deployment is the canary of a rolling release: production serves it only in
    // part until the stages are approved, which deploy drives.
    const rolling = await this.rolling.state(deadline);
    if (rolling?.state === 'ACTIVE' && rolling.canaryId === release.id) {
      info(`Vercel: ${release.id} started a rolling release: it serves ${rolling.share} % of production traffic`);
      return release;
    }
    info(
      `Vercel: ${release.id} is READY but production serves ${live?.id ?? live?.uid ?? 'nothing'} (automatic domain assignment is off after a rollback); promoting it`,
    );
    await this.aliasJob('promote', release.id, deadline);
    return this.describe(release.id);
  }

  /** GET /v9/projects/{idOrName}: lastAliasRequest is a projection Vercel includes only with rollbackInfo=true. */
  private async project(deadline?: Deadline): Promise<VercelProject> {
    const { status, data } = await this.call<VercelProject>(
      'GET',
      `/v9/projects/${encodeURIComponent(this.resolvedProjectId ?? this.config.project)}?rollbackInfo=true`,
      { label: 'get project', deadline },
    );
    if (status >= 300) this.fail('get project', status, data);
    this.resolvedProjectId ??= data.id;
    return data;
  }

  /**
   * Asks for a promote or rollback and follows the project's alias job to `deploymentId` until it succeeds or
   * fails. The job is known as ours by being newer than the one before the request (an old job to the same
   * deployment, say from an earlier promote, must not count), without comparing clocks with Vercel's.
   */
  private async aliasJob(kind: 'promote' | 'rollback', deploymentId: string, deadline: Deadline): Promise<void> {
    const before = await this.project(deadline);
    const previous = before.lastAliasRequest;
    const path =
      kind === 'promote'
        ? `/v10/projects/${encodeURIComponent(before.id)}/promote/${encodeURIComponent(deploymentId)}`
        : `/v9/projects/${encodeURIComponent(before.id)}/rollback/${encodeURIComponent(deploymentId)}`;
    const isOurs = (job: AliasRequest | null | undefined): job is AliasRequest =>
      job?.toDeploymentId === deploymentId &&
      (!previous || job.requestedAt !== previous.requestedAt || job.toDeploymentId !== previous.toDeploymentId);
    const { status, data } = await this.call('POST', path, { label: kind, body: {}, idempotent: true, deadline });
    // A retried request whose first attempt was accepted (its answer lost) meets its own job: 409 "in progress".
    if (status === 409 && isOurs((await this.project(deadline)).lastAliasRequest))
      info(`Vercel: the ${kind} of ${deploymentId} is already in progress`);
    else if (status >= 300) this.fail(kind, status, data);
    // 202: queued behind the project's active rolling release. `vercel promote` reports it and stops
    // (commands/promote/request-promote.ts): the promote starts only when that release completes, which no wait of ours
    // can bound, and then it goes live without us.
    if (status === 202) throw await this.queuedBehindRollingRelease(kind, deploymentId, before.id, deadline);
    for (;;) {
      const project = await this.project(deadline);
      // With rolling releases on, a promote starts a rolling release: followed as `vercel promote` follows it
      // (commands/promote/status.ts), by the rolling release's active stage rather than the alias job.
      if (kind === 'promote' && project.rollingRelease) {
        const rolling = await this.rolling.state(deadline);
        if (rolling?.state === 'ACTIVE' && rolling.canaryId === deploymentId) {
          info(
            `Vercel: the promote of ${deploymentId} started a rolling release at ${rolling.share} % of production traffic`,
          );
          return;
        }
      }
      const job = project.lastAliasRequest;
      if (isOurs(job)) {
        if (job.jobStatus === 'succeeded') return;
        if (job.jobStatus === 'failed')
          throw new ProviderError(
            'Vercel',
            `the ${kind} job failed: production still serves ${project.targets?.production?.id ?? 'the previous deployment'}`,
            { action: kind },
          );
        // Skipped: nothing to re-point, which is success only if production already serves it.
        if (job.jobStatus === 'skipped') {
          if (project.targets?.production?.id === deploymentId) return;
          throw new ProviderError(
            'Vercel',
            `the ${kind} job was skipped and production serves ${project.targets?.production?.id ?? 'nothing'}`,
            { action: kind },
          );
        }
      }
      if (ALIAS_POLL_MS > deadline.left()) {
        throw new ShiplineError(
          `Vercel ${kind} to ${deploymentId} did not finish before the deadline (job ${isOurs(job) ? job.jobStatus : status === 202 ? 'queued' : 'not started'})`,
        );
      }
      await sleep(ALIAS_POLL_MS);
    }
  }

  /** What a promote answered 202 waits for, read as the CLI reads it (GET /v1/projects/{id}/rolling-release). */
  private async queuedBehindRollingRelease(
    kind: string,
    deploymentId: string,
    projectId: string,
    deadline: Deadline,
  ): Promise<ShiplineError> {
    let behind = "the project's active rolling release";
    try {
      const { status, data } = await this.call<{ rollingRelease?: RollingRelease | null }>(
        'GET',
        `/v1/projects/${encodeURIComponent(projectId)}/rolling-release`,
        { label: 'get rolling release', deadline },
      );
      const rolling = status < 300 ? data.rollingRelease : undefined;
      const canary = rolling?.canaryDeployment?.id;
      if (canary) {
        const share = rolling?.activeStage?.targetPercentage;
        behind = `the project's active rolling release of ${inline(canary)}${share === undefined ? '' : ` (serving ${share} % of production traffic)`}`;
      }
    } catch {
      // The sentence below holds without the rolling release's details.
    }
    return new ShiplineError(
      `Vercel queued the ${kind} of ${deploymentId} (HTTP 202) behind ${behind}: it begins only when that rolling release completes successfully, so production does not serve ${deploymentId} now. ` +
        `This step does not wait for it; when it begins, ${deploymentId} goes live without this run's checks and without a ledger entry.`,
      {
        hint: `Finish the rolling release first (vercel rolling-release complete, or abort), then run the promote again: it records ${deploymentId} once production serves it.`,
      },
    );
  }

  async promote(release: Release, deadline: Deadline): Promise<Release> {
    await this.aliasJob('promote', release.id, deadline);
    return this.describe(release.id);
  }

  async rollback(to: Release, deadline: Deadline): Promise<Release> {
    await this.checkHobbyRollback(to, deadline);
    await this.aliasJob('rollback', to.id, deadline);
    return this.describe(to.id);
  }

  /**
   * The account's plan: a team's billing.plan (GET /v2/teams/{id}); a personal account has no team, and the plan its
   * live production deployment was made under stands for it.
   */
  private async plan(live: VercelDeployment | undefined, deadline: Deadline): Promise<string | undefined> {
    if (this.config.team) {
      try {
        const { status, data } = await this.call<{ billing?: { plan?: string } | null }>(
          'GET',
          `/v2/teams/${encodeURIComponent(this.config.team)}`,
          { label: 'get team', deadline },
        );
        if (status < 300) return data.billing?.plan ?? undefined;
      } catch {
        // The plan only lets us say Vercel's refusal in advance: a team we cannot read must not stop the rollback,
        // and Vercel's own 402 still says it.
      }
    }
    return live?.plan;
  }

  /**
   * On the Hobby plan Vercel rolls back only to the immediately previous production deployment ("To roll back further
   * than the previous production deployment, upgrade to pro": docs, "vercel rollback"; the API answers 402). Said
   * before anything is asked of Vercel, naming the one deployment it would accept.
   */
  private async checkHobbyRollback(to: Release, deadline: Deadline): Promise<void> {
    const live = (await this.project(deadline)).targets?.production;
    if ((await this.plan(live, deadline)) !== 'hobby') return;
    const current = live ? this.toRelease(live) : undefined;
    if (current?.id === to.id) return;
    const previous = await this.previous(current);
    if (previous?.id === to.id) return;
    throw new ShiplineError(
      `Vercel's Hobby plan rolls back only to the immediately previous production deployment (${previous ? `${previous.id}${previous.sha ? `, commit ${previous.sha.slice(0, 12)}` : ''}` : 'there is none'}), and ${to.id} is not it: Vercel would refuse ("To roll back further than the previous production deployment, upgrade to pro"). Nothing was changed.`,
      {
        hint: previous
          ? `Roll back to ${previous.id} (target: previous), or promote ${to.id} (deploy action, command: promote, deployment-id: ${to.id}), or upgrade the Vercel team to Pro.`
          : `Promote ${to.id} (deploy action, command: promote, deployment-id: ${to.id}), or upgrade the Vercel team to Pro.`,
      },
    );
  }

  async current(): Promise<Release | undefined> {
    const project = await this.project();
    const production = project.targets?.production;
    if (!production) return undefined;
    const release = this.toRelease(production);
    const job = project.lastAliasRequest;
    // A rollback job to the deployment production already served restored nothing: aborting a rolling release is
    // such a job (the rest of the traffic's deployment keeps all of it), and the canary it stopped was never live.
    if (
      job?.type === 'rollback' &&
      job.jobStatus === 'succeeded' &&
      job.toDeploymentId === release.id &&
      job.fromDeploymentId !== release.id
    )
      release.restoredFrom = job.fromDeploymentId;
    return release;
  }

  private async productionHistory(): Promise<VercelDeployment[]> {
    const { status, data } = await this.call<{ deployments?: VercelDeployment[] }>(
      'GET',
      `/v6/deployments?projectId=${encodeURIComponent(await this.projectId())}&target=production&state=READY&limit=100`,
      { label: 'list deployments' },
    );
    if (status >= 300) this.fail('list deployments', status, data);
    return [...(data.deployments ?? [])].sort((a, b) => (b.created ?? 0) - (a.created ?? 0));
  }

  async previous(current: Release | undefined): Promise<Release | undefined> {
    const history = await this.productionHistory();
    const candidate = history.find(
      (d) =>
        (d.uid ?? d.id) !== current?.id &&
        (current?.createdAt === undefined || (d.created ?? 0) < current.createdAt) &&
        servedProduction(d),
    );
    return candidate ? this.toRelease(candidate) : undefined;
  }

  async describe(id: string): Promise<Release> {
    const { status, data } = await this.call<VercelDeployment>('GET', `/v13/deployments/${encodeURIComponent(id)}`, {
      label: 'get deployment',
    });
    if (status >= 300) this.fail(`get deployment ${id}`, status, data);
    return this.toRelease(data);
  }

  async findBySha(sha: string): Promise<Release | undefined> {
    const match = (await this.productionHistory()).find(
      (d) => servedProduction(d) && d.meta?.githubCommitSha?.startsWith(sha),
    );
    return match ? this.toRelease(match) : undefined;
  }

  /**
   * Vercel deploys every push to the project's production branch to production when a Git repository is connected,
   * unless the vercel.json Vercel reads (in the project's root directory) turns Git deployments of that branch off.
   * That file is read from the workspace: the checkout of the commit being released.
   */
  async gitDeploys(branch: string): Promise<GitDeploys> {
    const howToTurnOff = turnOffVercel(branch);
    const project = await this.project();
    const link = project.link;
    if (!link?.type)
      return { on: false, detail: `project ${inline(project.name)} has no Git repository connected`, howToTurnOff };
    const repository = inline(linkName(link));
    const production = link.productionBranch;
    if (production !== undefined && production !== branch) {
      return {
        on: false,
        detail: `connected to ${repository}, whose production branch is ${inline(production)}: a push to ${inline(branch)} makes a preview, not a production deploy`,
        howToTurnOff,
      };
    }
    const file = join(this.config.workspace, project.rootDirectory ?? '', 'vercel.json');
    let config: unknown;
    if (existsSync(file)) {
      try {
        config = JSON.parse(readFileSync(file, 'utf8'));
      } catch (error) {
        return {
          on: true,
          detail: `connected to ${repository} (production branch ${inline(branch)}); ${file} is not valid JSON (${(error as Error).message}), so nothing turns Git deployments off`,
          howToTurnOff,
        };
      }
    }
    const decided = deploymentEnabledBy(config, branch);
    if (decided && !decided.enabled)
      return {
        on: false,
        detail: `connected to ${repository} (production branch ${inline(branch)}), but ${inline(decided.by)} turns Git deployments of ${inline(branch)} off`,
        howToTurnOff,
      };
    const why = decided
      ? `${inline(decided.by)} keeps them on`
      : existsSync(file)
        ? 'vercel.json does not turn them off'
        : 'no vercel.json turns them off';
    return {
      on: true,
      detail: `project ${inline(project.name)} is connected to ${repository}: every push to ${inline(branch)} is deployed to production (${why})`,
      howToTurnOff,
    };
  }

  async assignAliases(release: Release, aliases: string[]): Promise<string[]> {
    const assigned: string[] = [];
    for (const alias of aliases) {
      const { status, data } = await this.call<{ alias?: string }>(
        'POST',
        `/v2/deployments/${encodeURIComponent(release.id)}/aliases`,
        { label: `alias ${alias}`, body: { alias }, idempotent: true },
      );
      if (status >= 300) this.fail(`alias ${alias}`, status, data);
      assigned.push(`https://${data.alias ?? alias}`);
    }
    return assigned;
  }
}

/** How Vercel's Git deployments of a branch are turned off (https://vercel.com/docs/project-configuration/git-configuration). */
function turnOffVercel(branch: string): string {
  return `Vercel project Settings → Git → Disconnect, or "git": {"deploymentEnabled": {${JSON.stringify(branch)}: false}} in vercel.json (https://vercel.com/docs/project-configuration/git-configuration)`;
}

/**
 * What vercel.json says about Git deployments of `branch`, as Vercel documents `git.deploymentEnabled`: `false` turns
 * them off for every branch; an object maps branch patterns (minimatch) to on/off, a branch no pattern matches is on,
 * and a branch that several patterns match is on if any of them says true. The deprecated `github.enabled: false`
 * turns them off too. undefined: the file does not decide (deployments stay on).
 */
function deploymentEnabledBy(config: unknown, branch: string): { enabled: boolean; by: string } | undefined {
  const git = (config as { git?: { deploymentEnabled?: unknown } } | null)?.git;
  const setting = git?.deploymentEnabled;
  if (typeof setting === 'boolean') return { enabled: setting, by: `vercel.json git.deploymentEnabled: ${setting}` };
  if (setting && typeof setting === 'object') {
    const matching = Object.entries(setting as Record<string, unknown>).filter(
      ([pattern]) => pattern === branch || posixPath.matchesGlob(branch, pattern),
    );
    if (matching.length === 0) return undefined;
    const on = matching.find(([, value]) => value === true);
    const [pattern, value] = on ?? (matching[0] as [string, unknown]);
    return { enabled: Boolean(on), by: `vercel.json git.deploymentEnabled ${JSON.stringify({ [pattern]: value })}` };
  }
  if ((config as { github?: { enabled?: unknown } } | null)?.github?.enabled === false)
    return { enabled: false, by: 'vercel.json github.enabled: false' };
  return undefined;
}

function linkName(link: VercelGitLink): string {
  const name =
    link.projectNameWithNamespace ??
    ([link.org ?? link.owner, link.repo ?? link.slug].filter(Boolean).join('/') || 'a repository');
  return `${name} (${link.type})`;
}

function hintFor(code: string | undefined, status: number): string | undefined {
  if (status === 401 || status === 403 || code === 'forbidden' || code === 'invalid_token')
    return "Check the Vercel token (input 'token') and that it has access to the project and team.";
  if (status === 404 || code === 'not_found')
    return "Check input 'project' (a project ID like prj_… or its name) and input 'team' for team projects.";
  if (code === 'alias_in_use' || code === 'not_domain_owner') return 'The alias belongs to another project or account.';
  if (status === 402) return 'The Vercel plan does not allow this (limits of the Hobby plan?).';
  if (status === 429) return 'Vercel rate limit (Hobby: 100 deployments a day).';
  return undefined;
}
