// Netlify through its REST API: a file-digest deploy (the SHA1 of every file; only the files Netlify reports
// `required` are uploaded), followed to `ready` or `error`. Drafts are previews and staged releases; a staged
// draft is promoted, and a previous deploy rolled back to, by restoring (publishing) it.
import { readFileSync } from 'node:fs';
import { mapLimit } from '../concurrency.js';
import { NetworkError, ProviderError, ShiplineError } from '../errors.js';
import { type DigestedFile, digestFolder } from '../files.js';
import { readText, request, sleep } from '../http.js';
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

/** The deploy title carries the commit and this step's key: the only field Netlify lets us find a deploy by. */
function title(spec: DeploySpec): string {
  return `shipline ${spec.git.sha.slice(0, 12)} ${spec.idempotencyKey}`;
}

export class NetlifyProvider implements Provider {
  readonly name = 'netlify';
  readonly supportsStaging = true;
  private readonly apiUrl: string;

  constructor(private readonly config: ProviderConfig) {
    this.apiUrl = (config.apiUrl ?? 'https://api.netlify.com/api/v1').replace(/\/$/, '');
  }

  private async call<T>(method: string, path: string, options: { label: string; body?: unknown; raw?: Uint8Array; idempotent?: boolean }): Promise<T> {
    const response = await request(`${this.apiUrl}${path}`, {
      label: `Netlify ${options.label}`,
      method,
      idempotent: options.idempotent,
      headers: { authorization: `Bearer ${this.config.token}`, 'content-type': options.raw ? 'application/octet-stream' : 'application/json' },
      body: options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
    });
    const text = await readText(response);
    let data: unknown;
    try {
      data = text ? JSON.parse(text) : {};
    } catch {
      throw new ProviderError('Netlify', `malformed answer to ${options.label} (${text.slice(0, 200)})`, { status: response.status });
    }
    if (response.status >= 300) {
      const message = (data as { message?: string; error?: string })?.message ?? (data as { error?: string })?.error ?? `HTTP ${response.status}`;
      throw new ProviderError('Netlify', message, { status: response.status, action: options.label, hint: hintFor(response.status) });
    }
    return data as T;
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
    return this.call<NetlifyDeploy[]>('GET', `/sites/${encodeURIComponent(this.config.project)}/deploys?per_page=100`, { label: 'list deploys' });
  }

  private async create(spec: DeploySpec, files: DigestedFile[], draft: boolean): Promise<NetlifyDeploy> {
    const body = { files: Object.fromEntries(files.map((f) => [`/${f.path}`, f.sha1])), draft, title: title(spec) };
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        return await this.call<NetlifyDeploy>('POST', `/sites/${encodeURIComponent(this.config.project)}/deploys`, { label: 'create deploy', body, idempotent: false });
      } catch (error) {
        // A create whose answer was lost may have happened: find it by its title before creating again.
        const lost = error instanceof NetworkError || (error instanceof ProviderError && (error.status ?? 0) >= 500);
        if (!lost) throw error;
        const existing = (await this.deploysOfSite()).find((d) => d.title === body.title);
        if (existing) return this.call<NetlifyDeploy>('GET', `/deploys/${existing.id}`, { label: 'get deploy' });
        info(`Netlify: create deploy got no answer (${(error as Error).message}); no deploy with this key exists, creating again`);
      }
    }
    throw new ProviderError('Netlify', 'the deploy could not be created after 3 attempts', { action: 'create deploy' });
  }

  async deploy(spec: DeploySpec, deadline: number): Promise<{ release: Release; upload: UploadStats }> {
    const hashStart = Date.now();
    const files = digestFolder(spec.dir, { ignore: (p) => p.startsWith('.git/') || p.startsWith('.netlify/') });
    if (files.length === 0) throw new ShiplineError(`Input 'dir': ${spec.dir} holds no files to deploy`);
    const stats: UploadStats = { files: files.length, uploaded: 0, uploadedBytes: 0, hashMs: Date.now() - hashStart };
    info(`Netlify: ${files.length} files hashed in ${stats.hashMs} ms`);

    // Previews and staged releases are drafts: they never replace the published deploy by themselves.
    const draft = spec.target === 'preview' || spec.staged;
    const created = await this.create(spec, files, draft);
    spec.onCreated?.(this.toRelease(created));
    const required = new Set(created.required ?? []);
    const todo = files.filter((f) => required.has(f.sha1) && required.delete(f.sha1));
    info(`Netlify: deploy ${created.id} created; ${todo.length} of ${files.length} files are new`);
    await mapLimit(todo, UPLOAD_CONCURRENCY, async (file) => {
      const path = file.path.split('/').map(encodeURIComponent).join('/');
      // An upload is keyed by the deploy and path: sending it twice is harmless, so it may be retried.
      await this.call('PUT', `/deploys/${created.id}/files/${path}`, { label: `upload ${file.path}`, raw: readFileSync(file.absolutePath), idempotent: true });
      stats.uploaded++;
      stats.uploadedBytes += file.size;
    });
    return { release: await this.waitUntilReady(created.id, deadline), upload: stats };
  }

  private async waitUntilReady(id: string, deadline: number): Promise<Release> {
    let last = '';
    for (let attempt = 0; ; attempt++) {
      const d = await this.call<NetlifyDeploy>('GET', `/deploys/${id}`, { label: 'get deploy' });
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
    return this.call<NetlifySite>('GET', `/sites/${encodeURIComponent(this.config.project)}`, { label: 'get site' });
  }

  /** Restore publishes a ready deploy; waits until the site's published deploy is that one. */
  private async publish(id: string, deadline: number): Promise<Release> {
    await this.call('POST', `/sites/${encodeURIComponent(this.config.project)}/deploys/${id}/restore`, { label: 'restore deploy', idempotent: true });
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
    return this.toRelease(await this.call<NetlifyDeploy>('GET', `/deploys/${encodeURIComponent(id)}`, { label: 'get deploy' }));
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
