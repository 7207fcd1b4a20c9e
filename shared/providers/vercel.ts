// Vercel through its REST API, without the CLI: hash the output, create the deployment, upload only the files
// Vercel reports missing, re-create, then follow readyState. Staged production deploys (no domain assignment)
// are promoted later; rollback re-points production at an earlier deployment without a rebuild.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { mapLimit } from '../concurrency.js';
import { NetworkError, ProviderError, ShiplineError } from '../errors.js';
import { type DigestedFile, digestFolder } from '../files.js';
import { readText, request, sleep } from '../http.js';
import { info } from '../runner.js';
import type { DeploySpec, Provider, ProviderConfig, Release, UploadStats } from './provider.js';

interface VercelDeployment {
  id?: string;
  uid?: string;
  url?: string;
  name?: string;
  readyState?: string;
  state?: string;
  readySubstate?: string;
  target?: string | null;
  errorCode?: string;
  errorMessage?: string;
  inspectorUrl?: string;
  created?: number;
  createdAt?: number;
  meta?: Record<string, string>;
  isRollbackCandidate?: boolean;
}

interface AliasRequest {
  fromDeploymentId?: string;
  toDeploymentId?: string;
  jobStatus?: 'pending' | 'in-progress' | 'succeeded' | 'failed' | 'skipped';
  type?: 'rollback' | 'promote';
  requestedAt?: number;
}

interface VercelProject {
  id: string;
  name: string;
  targets?: { production?: VercelDeployment };
  lastAliasRequest?: AliasRequest | null;
}

type VercelError = { error?: { code?: string; message?: string; missing?: string[] } };

const UPLOAD_CONCURRENCY = 8;
/** readyState polling: quick at first (most static deploys are ready in seconds), then backing off. */
const READY_POLL_MS = [500, 1000, 1000, 2000, 5000, 10_000, 15_000, 30_000];
/** The CLI polls alias jobs every 250 ms: they usually finish in about a second. */
const ALIAS_POLL_MS = 250;

function https(url: string | undefined): string | undefined {
  if (!url) return undefined;
  return /^https?:\/\//.test(url) ? url : `https://${url}`;
}

export class VercelProvider implements Provider {
  readonly name = 'vercel';
  readonly supportsStaging = true;
  private readonly apiUrl: string;

  constructor(private readonly config: ProviderConfig) {
    this.apiUrl = (config.apiUrl ?? 'https://api.vercel.com').replace(/\/$/, '');
  }

  private async call<T>(method: string, path: string, options: { body?: unknown; idempotent?: boolean; label: string; raw?: Uint8Array; headers?: Record<string, string> }): Promise<{ status: number; data: T & VercelError }> {
    const url = new URL(`${this.apiUrl}${path}`);
    if (this.config.team) url.searchParams.set('teamId', this.config.team);
    const response = await request(url, {
      label: `Vercel ${options.label}`,
      method,
      idempotent: options.idempotent,
      headers: {
        authorization: `Bearer ${this.config.token}`,
        ...(options.raw ? { 'content-type': 'application/octet-stream' } : { 'content-type': 'application/json' }),
        ...options.headers,
      },
      body: options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
    });
    const text = await readText(response);
    let data: T & VercelError;
    try {
      data = (text ? JSON.parse(text) : {}) as T & VercelError;
    } catch {
      throw new ProviderError('Vercel', `malformed answer to ${options.label} (${text.slice(0, 200)})`, { status: response.status });
    }
    return { status: response.status, data };
  }

  private fail(action: string, status: number, data: VercelError): never {
    const code = data.error?.code;
    const message = data.error?.message ?? `HTTP ${status}`;
    throw new ProviderError('Vercel', code ? `${code}: ${message}` : message, { status, action, hint: hintFor(code, status) });
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

  private digest(dir: string): DigestedFile[] {
    const output = join(dir, '.vercel', 'output');
    // A prebuilt project (vercel build, Build Output API) is deployed as its .vercel/output, paths kept as the
    // CLI's `deploy --prebuilt` sends them; anything else is a static folder.
    if (existsSync(join(output, 'config.json'))) return digestFolder(output, { prefix: '.vercel/output/' });
    if (!existsSync(dir)) throw new ShiplineError(`Input 'dir': ${dir} does not exist`);
    return digestFolder(dir, { ignore: (p) => p.startsWith('.git/') || p.startsWith('.vercel/') });
  }

  private async upload(files: DigestedFile[], missing: string[]): Promise<number> {
    const bySha = new Map(files.map((f) => [f.sha1, f]));
    const todo = [...new Set(missing)].map((sha) => bySha.get(sha)).filter((f): f is DigestedFile => f !== undefined);
    let bytes = 0;
    await mapLimit(todo, UPLOAD_CONCURRENCY, async (file) => {
      const body = readFileSync(file.absolutePath);
      // Uploads are keyed by digest, so sending one twice is harmless: they may be retried on any failure.
      const { status, data } = await this.call('POST', '/v2/files', {
        label: `upload ${file.path}`,
        raw: body,
        idempotent: true,
        headers: { 'x-vercel-digest': file.sha1, 'x-now-digest': file.sha1, 'x-now-size': String(file.size) },
      });
      if (status >= 300) this.fail(`upload of ${file.path}`, status, data);
      bytes += file.size;
    });
    return bytes;
  }

  /** A deployment this step already created (found by its idempotency key), if a create's answer was lost. */
  private async findByKey(key: string, since: number): Promise<VercelDeployment | undefined> {
    const { status, data } = await this.call<{ deployments?: VercelDeployment[] }>('GET', `/v6/deployments?projectId=${encodeURIComponent(this.config.project)}&since=${since - 60_000}&limit=100`, {
      label: 'list deployments',
    });
    if (status >= 300) this.fail('list deployments', status, data);
    return data.deployments?.find((d) => d.meta?.shiplineDeployKey === key);
  }

  async deploy(spec: DeploySpec, deadline: number): Promise<{ release: Release; upload: UploadStats }> {
    const hashStart = Date.now();
    const files = this.digest(spec.dir);
    const stats: UploadStats = { files: files.length, uploaded: 0, uploadedBytes: 0, hashMs: Date.now() - hashStart };
    info(`Vercel: ${files.length} files hashed in ${stats.hashMs} ms`);
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
      // Staged production: built for production, domains left alone until promote.
      ...(spec.staged ? { autoAssignCustomDomains: false } : {}),
    };

    const started = Date.now();
    let created: VercelDeployment | undefined;
    for (let round = 0; round < 4 && !created; round++) {
      let result: { status: number; data: VercelDeployment & VercelError };
      try {
        result = await this.call<VercelDeployment>('POST', '/v13/deployments?skipAutoDetectionConfirmation=1', { label: 'create deployment', body, idempotent: false });
      } catch (error) {
        // The answer was lost: the deployment may exist. Look for it by key before creating again, so a retry
        // never makes a second deployment.
        if (!(error instanceof NetworkError)) throw error;
        created = await this.findByKey(spec.idempotencyKey, started);
        if (!created) info(`Vercel: create deployment got no answer (${error.kind}); no deployment with this key exists, creating again`);
        continue;
      }
      const { status, data } = result;
      if (data.error?.code === 'missing_files') {
        const missing = data.error.missing ?? [];
        info(`Vercel: ${missing.length} of ${files.length} files are new; uploading them`);
        stats.uploadedBytes += await this.upload(files, missing);
        stats.uploaded += new Set(missing).size;
        continue;
      }
      if (status >= 500) {
        created = await this.findByKey(spec.idempotencyKey, started);
        if (!created) this.fail('create deployment', status, data);
        continue;
      }
      if (status >= 300) this.fail('create deployment', status, data);
      created = data;
    }
    if (!created) throw new ProviderError('Vercel', 'files still reported missing after uploading them', { action: 'create deployment' });

    const release = this.toRelease(created);
    spec.onCreated?.(release);
    info(`Vercel: deployment ${release.id} created (${release.url}); waiting for it to be ready`);
    return { release: await this.waitUntilReady(release, deadline), upload: stats };
  }

  private async waitUntilReady(release: Release, deadline: number): Promise<Release> {
    let last = release.state ?? 'QUEUED';
    for (let attempt = 0; ; attempt++) {
      const { status, data } = await this.call<VercelDeployment>('GET', `/v13/deployments/${encodeURIComponent(release.id)}`, { label: 'get deployment' });
      if (status >= 300) this.fail('get deployment', status, data);
      const state = data.readyState ?? 'UNKNOWN';
      if (state !== last) info(`Vercel: ${release.id} ${last} → ${state}`);
      last = state;
      if (state === 'READY') return this.toRelease(data);
      if (state === 'ERROR') throw new ProviderError('Vercel', `${data.errorCode ?? 'ERROR'}: ${data.errorMessage ?? 'the build failed'}`, { action: 'build', hint: `Build logs: ${release.inspectorUrl ?? data.inspectorUrl ?? 'the Vercel dashboard'}` });
      if (state === 'CANCELED' || state === 'DELETED') throw new ProviderError('Vercel', `deployment ${state}`, { action: 'build' });
      const wait = READY_POLL_MS[Math.min(attempt, READY_POLL_MS.length - 1)] as number;
      if (Date.now() + wait > deadline) {
        // A production build that turned READY after we gave up would go live unchecked: cancel it.
        await this.call('PATCH', `/v12/deployments/${encodeURIComponent(release.id)}/cancel`, { label: 'cancel deployment', idempotent: true }).catch(() => undefined);
        throw new ShiplineError(`Vercel deployment ${release.id} was not ready before the deadline (last state ${last}); it was cancelled`, {
          hint: "Raise input 'wait-timeout' if builds take longer.",
        });
      }
      await sleep(wait);
    }
  }

  private async project(): Promise<VercelProject> {
    const { status, data } = await this.call<VercelProject>('GET', `/v9/projects/${encodeURIComponent(this.config.project)}`, { label: 'get project' });
    if (status >= 300) this.fail('get project', status, data);
    return data;
  }

  /** Follows the project's alias job (promote or rollback) to `deploymentId` until it succeeds or fails. */
  private async waitForAliasJob(deploymentId: string, kind: 'promote' | 'rollback', deadline: number): Promise<void> {
    for (;;) {
      const job = (await this.project()).lastAliasRequest;
      if (job?.toDeploymentId === deploymentId) {
        if (job.jobStatus === 'succeeded') return;
        if (job.jobStatus === 'failed' || job.jobStatus === 'skipped') throw new ProviderError('Vercel', `the ${kind} job ${job.jobStatus}`, { action: kind });
      }
      if (Date.now() + ALIAS_POLL_MS > deadline) throw new ShiplineError(`Vercel ${kind} to ${deploymentId} did not finish before the deadline (job ${job?.jobStatus ?? 'not started'})`);
      await sleep(ALIAS_POLL_MS);
    }
  }

  async promote(release: Release, deadline: number): Promise<Release> {
    const { status, data } = await this.call('POST', `/v10/projects/${encodeURIComponent(this.config.project)}/promote/${encodeURIComponent(release.id)}`, {
      label: 'promote',
      idempotent: true,
    });
    if (status >= 300) this.fail('promote', status, data);
    await this.waitForAliasJob(release.id, 'promote', deadline);
    return this.describe(release.id);
  }

  async rollback(to: Release, deadline: number): Promise<Release> {
    const { status, data } = await this.call('POST', `/v9/projects/${encodeURIComponent(this.config.project)}/rollback/${encodeURIComponent(to.id)}`, {
      label: 'rollback',
      body: {},
      idempotent: true,
    });
    if (status >= 300) this.fail('rollback', status, data);
    await this.waitForAliasJob(to.id, 'rollback', deadline);
    return this.describe(to.id);
  }

  async current(): Promise<Release | undefined> {
    const project = await this.project();
    const production = project.targets?.production;
    if (!production) return undefined;
    const release = this.toRelease(production);
    const job = project.lastAliasRequest;
    if (job?.type === 'rollback' && job.jobStatus === 'succeeded' && job.toDeploymentId === release.id) release.restoredFrom = job.fromDeploymentId;
    return release;
  }

  private async productionHistory(): Promise<VercelDeployment[]> {
    const { status, data } = await this.call<{ deployments?: VercelDeployment[] }>(
      'GET',
      `/v6/deployments?projectId=${encodeURIComponent(this.config.project)}&target=production&state=READY&limit=100`,
      { label: 'list deployments' },
    );
    if (status >= 300) this.fail('list deployments', status, data);
    return [...(data.deployments ?? [])].sort((a, b) => (b.created ?? 0) - (a.created ?? 0));
  }

  async previous(current: Release | undefined): Promise<Release | undefined> {
    const history = await this.productionHistory();
    const candidate = history.find((d) => (d.uid ?? d.id) !== current?.id && (current?.createdAt === undefined || (d.created ?? 0) < current.createdAt) && d.isRollbackCandidate !== false);
    return candidate ? this.toRelease(candidate) : undefined;
  }

  async describe(id: string): Promise<Release> {
    const { status, data } = await this.call<VercelDeployment>('GET', `/v13/deployments/${encodeURIComponent(id)}`, { label: 'get deployment' });
    if (status >= 300) this.fail(`get deployment ${id}`, status, data);
    return this.toRelease(data);
  }

  async findBySha(sha: string): Promise<Release | undefined> {
    const match = (await this.productionHistory()).find((d) => d.meta?.githubCommitSha?.startsWith(sha));
    return match ? this.toRelease(match) : undefined;
  }

  async assignAliases(release: Release, aliases: string[]): Promise<string[]> {
    const assigned: string[] = [];
    for (const alias of aliases) {
      const { status, data } = await this.call<{ alias?: string }>('POST', `/v2/deployments/${encodeURIComponent(release.id)}/aliases`, { label: `alias ${alias}`, body: { alias }, idempotent: true });
      if (status >= 300) this.fail(`alias ${alias}`, status, data);
      assigned.push(`https://${data.alias ?? alias}`);
    }
    return assigned;
  }
}

function hintFor(code: string | undefined, status: number): string | undefined {
  if (status === 401 || status === 403 || code === 'forbidden' || code === 'invalid_token') return "Check the Vercel token (input 'token') and that it has access to the project and team.";
  if (status === 404 || code === 'not_found') return "Check input 'project' (a project ID like prj_… or its name) and input 'team' for team projects.";
  if (code === 'alias_in_use' || code === 'not_domain_owner') return 'The alias belongs to another project or account.';
  if (status === 402) return 'The Vercel plan does not allow this (limits of the Hobby plan?).';
  if (status === 429) return 'Vercel rate limit (Hobby: 100 deployments a day).';
  return undefined;
}
