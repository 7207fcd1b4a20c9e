// Netlify through its REST API, with the calls netlify-cli makes through @netlify/api: a file-digest deploy (the
// SHA1 of every file; every path whose digest Netlify reports `required` is uploaded), created `async` above 100
// files and then polled until Netlify has diffed it (`prepared`), followed to `ready` or `error`. Drafts are
// previews and staged releases; a staged draft is promoted, and a previous deploy rolled back to, by restoring it.
import { createReadStream } from 'node:fs';
import { NetlifyAPI } from '@netlify/api';
import { mapLimit } from '../concurrency.js';
import { NetworkError, ProviderError, ShiplineError } from '../errors.js';
import { type DigestedFile, digestFolder } from '../files.js';
import { backoffDelay, classifyNetworkError, DEFAULT_RETRY, requestJson, sleep } from '../http.js';
import { envProxyAgent } from '../proxy.js';
import { info } from '../runner.js';
import type { DeploySpec, Provider, ProviderConfig, Release, UploadStats } from './provider.js';

interface NetlifyDeploy {
  id: string;
  site_id?: string;
  state?: string;
  required?: string[];
  error_message?: string | null;
  deploy_ssl_url?: string;
  ssl_url?: string;
  admin_url?: string;
  created_at?: string;
  published_at?: string | null;
  context?: string;
  draft?: boolean;
  title?: string | null;
}

interface NetlifySite {
  id: string;
  ssl_url?: string;
  url?: string;
  published_deploy?: NetlifyDeploy | null;
}

const UPLOAD_CONCURRENCY = 8;
const READY_POLL_MS = [500, 1000, 1000, 2000, 5000, 10_000, 15_000];
const TERMINAL_ERROR = new Set(['error', 'rejected']);
/** netlify-cli's DEFAULT_SYNC_LIMIT: above this many files a deploy is created `async` and diffed in the background. */
export const SYNC_FILE_LIMIT = 100;
/** The states netlify-cli's waitForDiff accepts as "diffing done": `required` is then known. */
const DIFFED = new Set(['prepared', 'uploading', 'uploaded', 'ready']);
const CALL_TIMEOUT_MS = 60_000;
const UPLOAD_TIMEOUT_MS = 120_000;

/** The deploy title carries the commit and this step's key: the only field Netlify lets us find a deploy by. */
function title(spec: DeploySpec): string {
  return `shipline ${spec.git.sha.slice(0, 12)} ${spec.idempotencyKey}`;
}

/** The create body, as netlify-cli builds it: `async` above the sync limit. The title goes in the query. */
export function createBody(files: DigestedFile[], draft: boolean): { files: Record<string, string>; draft: boolean; async: boolean } {
  return { files: Object.fromEntries(files.map((f) => [`/${f.path}`, f.sha1])), draft, async: files.length > SYNC_FILE_LIMIT };
}

/** Every file whose digest is required: several paths can share one digest, and each path is uploaded. */
export function uploadList(files: DigestedFile[], required: readonly string[]): DigestedFile[] {
  const wanted = new Set(required);
  return files.filter((f) => wanted.has(f.sha1));
}

/** The upload path as netlify-cli sends it (`encodeURI`); Netlify refuses names holding `#` or `?`. */
export function uploadPath(path: string): string {
  if (/[#?]/.test(path)) throw new ShiplineError(`Input 'dir': ${path}: Netlify deploys cannot hold file names with # or ?`);
  return encodeURI(path);
}

type ApiCall<T> = (api: NetlifyAPI, opts: { signal: AbortSignal }) => Promise<T>;

export class NetlifyProvider implements Provider {
  readonly name = 'netlify';
  readonly supportsStaging = true;
  private readonly apiUrl: string;
  private readonly api: NetlifyAPI;

  constructor(private readonly config: ProviderConfig) {
    this.apiUrl = (config.apiUrl ?? 'https://api.netlify.com/api/v1').replace(/\/$/, '');
    const url = new URL(this.apiUrl);
    // The same split of the base URL netlify-cli makes for NETLIFY_API_URL.
    this.api = new NetlifyAPI(config.token, { scheme: url.protocol.slice(0, -1), host: url.host, pathPrefix: url.pathname === '/' ? '/api/v1' : url.pathname, userAgent: 'shipline' });
  }

  /**
   * One @netlify/api call with a timeout (the client sets none) and, for calls that may be repeated, retries on
   * 5xx and lost connections (the client itself retries only 429 and resets, honouring X-RateLimit-Reset).
   */
  private async call<T>(label: string, fn: ApiCall<T>, options: { timeoutMs?: number } = {}): Promise<T> {
    // @netlify/api spreads these options into its node-fetch call: the agent takes each request through the proxy the
    // environment names (HTTPS_PROXY, HTTP_PROXY, NO_PROXY), as netlify-cli passes its proxy agent.
    for (let attempt = 0; ; attempt++) {
      try {
        return await fn(this.api, { signal: AbortSignal.timeout(options.timeoutMs ?? CALL_TIMEOUT_MS), ...{ agent: envProxyAgent } });
      } catch (error) {
        const failure = asShiplineError(label, error);
        const transient = failure instanceof NetworkError || (failure instanceof ProviderError && (failure.status ?? 0) >= 500);
        if (!transient || attempt >= DEFAULT_RETRY.retries) throw failure;
        const delay = backoffDelay(attempt, DEFAULT_RETRY);
        info(`Netlify ${label}: ${failure.message}; retrying in ${(delay / 1000).toFixed(1)}s`);
        await sleep(delay);
      }
    }
  }

  private async getDeploy(id: string): Promise<NetlifyDeploy> {
    return this.call('get deploy', (api, opts) => api.getSiteDeploy({ site_id: this.config.project, deploy_id: id }, opts) as Promise<NetlifyDeploy>);
  }

  /**
   * createSiteDeploy, sent by hand: @netlify/api resends any request whose connection resets, and a create whose
   * answer was lost may have happened — resending it blindly could make a second deploy. The request is the one
   * @netlify/api builds (test/conformance-netlify.test.ts compares them on the fake).
   */
  private async createOnce(query: string, body: unknown): Promise<NetlifyDeploy> {
    const answer = await requestJson<NetlifyDeploy>(
      `${this.apiUrl}/sites/${encodeURIComponent(this.config.project)}/deploys?${query}`,
      {
        label: 'Netlify create deploy',
        method: 'POST',
        idempotent: false,
        headers: { accept: 'application/json', 'User-agent': 'shipline', authorization: `Bearer ${this.config.token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      },
      {
        provider: 'Netlify',
        action: 'create deploy',
        errorMessage: (data, status) => (status >= 300 ? ((data as { message?: string })?.message ?? (data as { error?: string })?.error ?? `HTTP ${status}`) : undefined),
        hint: (status) => hintFor(status),
      },
    );
    return answer.data;
  }

  private toRelease(d: NetlifyDeploy): Release {
    return {
      provider: 'netlify',
      id: d.id,
      url: d.deploy_ssl_url ?? d.ssl_url,
      inspectorUrl: d.admin_url ? `${d.admin_url}/deploys/${d.id}` : undefined,
      target: d.published_at || !d.draft ? 'production' : 'preview',
      state: d.state,
      createdAt: d.created_at ? Date.parse(d.created_at) : undefined,
      sha: / ([0-9a-f]{7,40}) /.exec(d.title ?? '')?.[1],
    };
  }

  private async deploysOfSite(): Promise<NetlifyDeploy[]> {
    return this.call('list deploys', (api, opts) => api.listSiteDeploys({ site_id: this.config.project, per_page: 100 }, opts) as Promise<NetlifyDeploy[]>);
  }

  private async create(spec: DeploySpec, files: DigestedFile[], draft: boolean): Promise<NetlifyDeploy> {
    const deployTitle = title(spec);
    // `title` is a query parameter of createSiteDeploy; Netlify does not read it from the body.
    const query = `title=${encodeURIComponent(deployTitle)}`;
    const body = createBody(files, draft);
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        return await this.createOnce(query, body);
      } catch (error) {
        // A create whose answer was lost may have happened: find it by its title before creating again.
        const lost = error instanceof NetworkError || (error instanceof ProviderError && (error.status ?? 0) >= 500);
        if (!lost) throw error;
        const existing = (await this.deploysOfSite()).find((d) => d.title === deployTitle);
        if (existing) return this.getDeploy(existing.id);
        info(`Netlify: create deploy got no answer (${(error as Error).message}); no deploy with this key exists, creating again`);
      }
    }
    throw new ProviderError('Netlify', 'the deploy could not be created after 3 attempts', { action: 'create deploy' });
  }

  /** An async deploy names its required files only once Netlify has diffed it: poll, as netlify-cli's waitForDiff. */
  private async waitUntilDiffed(created: NetlifyDeploy, deadline: number): Promise<NetlifyDeploy> {
    let deploy = created;
    for (let attempt = 0; !DIFFED.has(deploy.state ?? ''); attempt++) {
      if (TERMINAL_ERROR.has(deploy.state ?? '')) throw new ProviderError('Netlify', deploy.error_message || `deploy ${deploy.state}`, { action: 'deploy' });
      const wait = READY_POLL_MS[Math.min(attempt, READY_POLL_MS.length - 1)] as number;
      if (Date.now() + wait > deadline) throw new ShiplineError(`Netlify deploy ${created.id} was not prepared before the deadline (last state ${deploy.state})`, { hint: "Raise input 'wait-timeout'." });
      await sleep(wait);
      deploy = await this.getDeploy(created.id);
    }
    return deploy;
  }

  async deploy(spec: DeploySpec, deadline: number): Promise<{ release: Release; upload: UploadStats }> {
    const hashStart = Date.now();
    const files = digestFolder(spec.dir, { ignore: (p) => p.startsWith('.git/') || p.startsWith('.netlify/') });
    if (files.length === 0) throw new ShiplineError(`Input 'dir': ${spec.dir} holds no files to deploy`);
    const paths = new Map(files.map((f) => [f.path, uploadPath(f.path)]));
    const stats: UploadStats = { files: files.length, uploaded: 0, uploadedBytes: 0, hashMs: Date.now() - hashStart };
    info(`Netlify: ${files.length} files hashed in ${stats.hashMs} ms`);

    // Previews and staged releases are drafts: they never replace the published deploy by themselves.
    const draft = spec.target === 'preview' || spec.staged;
    const created = await this.create(spec, files, draft);
    spec.onCreated?.(this.toRelease(created));
    const diffed = files.length > SYNC_FILE_LIMIT ? await this.waitUntilDiffed(created, deadline) : created;
    const todo = uploadList(files, diffed.required ?? []);
    info(`Netlify: deploy ${created.id} created; ${todo.length} of ${files.length} files are new`);
    await mapLimit(todo, UPLOAD_CONCURRENCY, async (file) => {
      // An upload is keyed by the deploy and path: sending it twice is harmless, so it may be retried.
      await this.call(
        `upload ${file.path}`,
        (api, opts) => api.uploadDeployFile({ deploy_id: created.id, path: paths.get(file.path) as string, body: () => createReadStream(file.absolutePath) }, opts),
        { timeoutMs: UPLOAD_TIMEOUT_MS },
      );
      stats.uploaded++;
      stats.uploadedBytes += file.size;
    });
    return { release: await this.waitUntilReady(created.id, deadline), upload: stats };
  }

  private async waitUntilReady(id: string, deadline: number): Promise<Release> {
    let last = '';
    for (let attempt = 0; ; attempt++) {
      const d = await this.getDeploy(id);
      if (d.state !== last) info(`Netlify: ${id} ${last || 'created'} → ${d.state}`);
      last = d.state ?? '';
      if (d.state === 'ready') return this.toRelease(d);
      if (TERMINAL_ERROR.has(d.state ?? '')) throw new ProviderError('Netlify', d.error_message || `deploy ${d.state}`, { action: 'deploy', hint: d.admin_url ? `Deploy log: ${d.admin_url}/deploys/${id}` : undefined });
      const wait = READY_POLL_MS[Math.min(attempt, READY_POLL_MS.length - 1)] as number;
      if (Date.now() + wait > deadline) throw new ShiplineError(`Netlify deploy ${id} was not ready before the deadline (last state ${last})`, { hint: "Raise input 'wait-timeout'." });
      await sleep(wait);
    }
  }

  private async site(): Promise<NetlifySite> {
    return this.call('get site', (api, opts) => api.getSite({ site_id: this.config.project }, opts) as Promise<NetlifySite>);
  }

  /** Restore publishes a ready deploy; waits until the site's published deploy is that one. */
  private async publish(id: string, deadline: number): Promise<Release> {
    // Restoring the same deploy twice leaves the same deploy published, so the call may be repeated.
    await this.call('restore deploy', (api, opts) => api.restoreSiteDeploy({ site_id: this.config.project, deploy_id: id }, opts));
    for (;;) {
      const site = await this.site();
      if (site.published_deploy?.id === id) return { ...this.toRelease(site.published_deploy), target: 'production' };
      if (Date.now() + 500 > deadline) throw new ShiplineError(`Netlify did not publish deploy ${id} before the deadline`);
      await sleep(500);
    }
  }

  promote(release: Release, deadline: number): Promise<Release> {
    return this.publish(release.id, deadline);
  }

  rollback(to: Release, deadline: number): Promise<Release> {
    return this.publish(to.id, deadline);
  }

  async current(): Promise<Release | undefined> {
    const published = (await this.site()).published_deploy;
    return published ? { ...this.toRelease(published), target: 'production' } : undefined;
  }

  async previous(current: Release | undefined): Promise<Release | undefined> {
    const candidates = (await this.deploysOfSite())
      // Only deploys that were once published (live) are candidates; drafts that never were are not.
      .filter((d) => d.state === 'ready' && d.id !== current?.id && d.published_at)
      .filter((d) => current?.createdAt === undefined || Date.parse(d.created_at ?? '') < current.createdAt)
      .sort((a, b) => Date.parse(b.created_at ?? '') - Date.parse(a.created_at ?? ''));
    return candidates[0] ? this.toRelease(candidates[0]) : undefined;
  }

  async describe(id: string): Promise<Release> {
    return this.toRelease(await this.getDeploy(id));
  }

  async findBySha(sha: string): Promise<Release | undefined> {
    const match = (await this.deploysOfSite()).find((d) => d.state === 'ready' && d.title?.startsWith(`shipline ${sha.slice(0, 12)}`));
    return match ? this.toRelease(match) : undefined;
  }

  async assignAliases(_release: Release, aliases: string[]): Promise<string[]> {
    if (aliases.length === 0) return [];
    throw new ProviderError('Netlify', 'custom aliases per deploy are not part of the Netlify deploy API; use the draft URL (deploy_ssl_url) or a branch deploy', { action: 'alias' });
  }
}

function hintFor(status: number): string | undefined {
  if (status === 401 || status === 403) return "Check the Netlify token (input 'token') and its access to the site.";
  if (status === 404) return "Check input 'project' (the Netlify site ID, from Site configuration → Site details).";
  if (status === 422) return 'Netlify refused the deploy request.';
  return undefined;
}

/** @netlify/api's errors (JSONHTTPError/TextHTTPError with `status`, node-fetch's FetchError) as ours. */
function asShiplineError(label: string, error: unknown): ShiplineError {
  if (error instanceof ShiplineError) return error;
  const e = error as { status?: number; json?: { message?: string; error?: string }; data?: unknown; message?: string; name?: string };
  if (typeof e?.status === 'number') {
    if (e.status < 300) return new ProviderError('Netlify', `malformed answer to ${label} (${String(e.data ?? e.message).slice(0, 200)})`, { status: e.status });
    const reason = e.json?.message ?? e.json?.error ?? (typeof e.data === 'string' && e.data ? e.data.slice(0, 200) : e.message || `HTTP ${e.status}`);
    return new ProviderError('Netlify', reason, { status: e.status, action: label, hint: hintFor(e.status), cause: error });
  }
  const { kind, detail } = classifyNetworkError(error);
  return new NetworkError(`Netlify ${label}`, kind, detail, { cause: error });
}
