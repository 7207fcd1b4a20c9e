// Supabase Edge Functions through the Management API: each function of supabase/functions is deployed with a
// multipart request (a `metadata` part and one `file` part per source file), verify_jwt and the import map taken
// from supabase/config.toml as the CLI does. Supabase keeps no release history to roll back to, so a rollback
// redeploys the sources of the earlier release, taken from git at that release's commit (the ledger's sha).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { mapLimit } from '../concurrency.js';
import { ProviderError, ShiplineError } from '../errors.js';
import { readText, request } from '../http.js';
import { info } from '../runner.js';
import type { DeploySpec, Provider, ProviderConfig, Release, ServiceRelease, UploadStats } from './provider.js';

interface FunctionSettings {
  verifyJwt: boolean;
  importMap?: string;
  entrypoint?: string;
}

/** The [functions.<name>] tables of supabase/config.toml: only the keys the deploy needs, read line by line. */
export function readFunctionSettings(configToml: string): Map<string, FunctionSettings> {
  const settings = new Map<string, FunctionSettings>();
  let current: FunctionSettings | undefined;
  for (const raw of configToml.split(/\r?\n/)) {
    const line = raw.replace(/\s+#.*$/, '').trim();
    const table = /^\[functions\.("?)([\w-]+)\1\]$/.exec(line);
    if (table) {
      current = { verifyJwt: true };
      settings.set(table[2] as string, current);
      continue;
    }
    if (line.startsWith('[')) {
      current = undefined;
      continue;
    }
    const pair = /^([\w_]+)\s*=\s*(.+)$/.exec(line);
    if (!current || !pair) continue;
    const value = (pair[2] as string).replace(/^"(.*)"$/, '$1');
    if (pair[1] === 'verify_jwt') current.verifyJwt = value !== 'false';
    if (pair[1] === 'import_map') current.importMap = value;
    if (pair[1] === 'entrypoint') current.entrypoint = value;
  }
  return settings;
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

const posix = (path: string) => path.split(sep).join('/');

export class SupabaseFunctionsProvider implements Provider {
  readonly name = 'supabase-functions';
  readonly supportsStaging = false;
  private readonly apiUrl: string;

  constructor(private readonly config: ProviderConfig) {
    this.apiUrl = (config.apiUrl ?? 'https://api.supabase.com').replace(/\/$/, '');
  }

  private functionsUrl(): string {
    return `https://${this.config.project}.supabase.co/functions/v1`;
  }

  /** The functions to deploy from a project root: the `functions` input, or every folder not starting with _ or . */
  private functionNames(root: string): string[] {
    const dir = join(root, 'supabase', 'functions');
    if (!existsSync(dir)) throw new ShiplineError(`No supabase/functions folder under ${root}`, { hint: "Input 'dir' is the Supabase project root (the folder holding supabase/)." });
    const all = readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isDirectory() && !e.name.startsWith('_') && !e.name.startsWith('.'))
      .map((e) => e.name)
      .sort();
    const wanted = this.config.functions ?? [];
    const unknown = wanted.filter((name) => !all.includes(name));
    if (unknown.length > 0) throw new ShiplineError(`Input 'functions': no function ${unknown.join(', ')} under supabase/functions (found: ${all.join(', ') || 'none'})`);
    return wanted.length > 0 ? wanted : all;
  }

  private async deployFunction(root: string, name: string, settings: FunctionSettings | undefined): Promise<ServiceRelease & { bytes: number; files: number }> {
    const supabaseDir = join(root, 'supabase');
    const functionDir = join(supabaseDir, 'functions', name);
    const entrypoint = settings?.entrypoint ? join(supabaseDir, settings.entrypoint) : join(functionDir, existsSync(join(functionDir, 'index.ts')) ? 'index.ts' : 'index.js');
    if (!existsSync(entrypoint)) throw new ShiplineError(`Function ${name}: entrypoint ${posix(relative(root, entrypoint))} does not exist`);
    const importMap = settings?.importMap ? join(supabaseDir, settings.importMap) : ['deno.json', 'deno.jsonc', 'import_map.json'].map((f) => join(functionDir, f)).find(existsSync);
    // The function's own files and the shared folder every function may import from, as the CLI bundles them.
    const paths = [...new Set([...filesUnder(functionDir), ...filesUnder(join(supabaseDir, 'functions', '_shared')), ...(importMap ? [importMap] : [])])];
    const form = new FormData();
    const metadata = {
      name,
      entrypoint_path: posix(relative(root, entrypoint)),
      import_map_path: importMap ? posix(relative(root, importMap)) : undefined,
      verify_jwt: settings?.verifyJwt ?? true,
    };
    form.append('metadata', new Blob([JSON.stringify(metadata)], { type: 'application/json' }));
    let bytes = 0;
    for (const path of paths) {
      const content = readFileSync(path);
      bytes += content.length;
      form.append('file', new Blob([content]), posix(relative(root, path)));
    }
    // Deploying the same sources again yields the same function, so the request may be retried.
    const response = await request(`${this.apiUrl}/v1/projects/${encodeURIComponent(this.config.project)}/functions/deploy?slug=${encodeURIComponent(name)}`, {
      label: `Supabase deploy of function ${name}`,
      method: 'POST',
      headers: { authorization: `Bearer ${this.config.token}` },
      body: form,
      idempotent: true,
      timeoutMs: 120_000,
    });
    const text = await readText(response);
    let data: { id?: string; slug?: string; status?: string; version?: number; message?: string };
    try {
      data = JSON.parse(text);
    } catch {
      throw new ProviderError('Supabase', `malformed answer deploying ${name} (${text.slice(0, 200)})`, { status: response.status });
    }
    if (response.status >= 300) throw new ProviderError('Supabase', `${name}: ${data.message ?? `HTTP ${response.status}`}`, { status: response.status, action: 'functions deploy', hint: hintFor(response.status) });
    if (data.status !== 'ACTIVE') throw new ProviderError('Supabase', `${name} is ${data.status ?? 'not active'} after deploy`, { action: 'functions deploy' });
    info(`Supabase: ${name} deployed as version ${data.version} (verify_jwt ${metadata.verify_jwt}, ${paths.length} files)`);
    return { service: data.slug ?? name, name, id: `${data.slug ?? name}@v${data.version}`, url: `${this.functionsUrl()}/${data.slug ?? name}`, state: data.status, bytes, files: paths.length };
  }

  async deploy(spec: DeploySpec): Promise<{ release: Release; upload: UploadStats }> {
    if (spec.target === 'preview' || spec.staged) {
      throw new ProviderError('Supabase', 'Edge Functions go live when deployed: there are no previews or staged releases (use target production)', { action: 'functions deploy' });
    }
    const started = Date.now();
    const configPath = join(spec.dir, 'supabase', 'config.toml');
    const settings = readFunctionSettings(existsSync(configPath) ? readFileSync(configPath, 'utf8') : '');
    const names = this.functionNames(spec.dir);
    const deployed = await mapLimit(names, 4, (name) => this.deployFunction(spec.dir, name, settings.get(name)));
    const release: Release = {
      provider: this.name,
      id: spec.git.sha,
      sha: spec.git.sha,
      url: this.functionsUrl(),
      target: 'production',
      state: 'ACTIVE',
      createdAt: Date.now(),
      sourcePath: this.sourcePath(spec.dir),
      services: deployed.map(({ bytes: _b, files: _f, ...service }) => service),
    };
    spec.onCreated?.(release);
    const stats = { files: deployed.reduce((n, d) => n + d.files, 0), uploaded: deployed.reduce((n, d) => n + d.files, 0), uploadedBytes: deployed.reduce((n, d) => n + d.bytes, 0), hashMs: 0 };
    info(`Supabase: ${names.length} function(s) deployed in ${((Date.now() - started) / 1000).toFixed(1)}s`);
    return { release, upload: stats };
  }

  /** The project root's path inside its git repository ('' at the top), so a rollback finds it at another commit. */
  private sourcePath(dir: string): string {
    try {
      return posix(execFileSync('git', ['-C', dir, 'rev-parse', '--show-prefix'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()).replace(/\/$/, '');
    } catch {
      return '';
    }
  }

  /** The supabase/ folder as it was at `sha`, checked out from git into a temporary folder. */
  private checkout(sha: string, sourcePath: string): string {
    const repo = execFileSync('git', ['-C', this.config.workspace, 'rev-parse', '--show-toplevel'], { encoding: 'utf8' }).trim();
    const git = (args: string[]) => execFileSync('git', ['-C', repo, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      git(['cat-file', '-e', `${sha}^{commit}`]);
    } catch {
      // A shallow checkout (actions/checkout's default) lacks older commits: fetch just that one.
      info(`git: fetching ${sha} (not in this checkout)`);
      git(['fetch', '--depth=1', 'origin', sha]);
    }
    const out = mkdtempSync(join(tmpdir(), 'shipline-functions-'));
    const archive = join(out, 'sources.tar');
    const prefix = sourcePath ? `${sourcePath}/supabase` : 'supabase';
    git(['archive', '--format=tar', '-o', archive, sha, prefix]);
    execFileSync('tar', ['-xf', archive, '-C', out]);
    rmSync(archive);
    return sourcePath ? join(out, sourcePath) : out;
  }

  async rollback(to: Release): Promise<Release> {
    if (!to.sha) throw new ShiplineError(`Release ${to.id} records no commit: its sources cannot be redeployed`);
    info(`Supabase keeps no earlier function versions to switch back to: redeploying the sources of ${to.sha.slice(0, 12)}.`);
    const dir = this.checkout(to.sha, to.sourcePath ?? '');
    try {
      const { release } = await this.deploy({ dir, target: 'production', staged: false, git: { sha: to.sha, ref: '' }, idempotencyKey: `rollback-${to.sha}` });
      return release;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  promote(): Promise<Release> {
    throw new ProviderError('Supabase', 'Edge Functions go live when deployed; there is no staged release to promote', { action: 'promote' });
  }

  /** Supabase records function versions, not which commit they came from: the ledger knows what is live. */
  async current(): Promise<Release | undefined> {
    return undefined;
  }

  async previous(): Promise<Release | undefined> {
    return undefined;
  }

  async describe(id: string): Promise<Release> {
    if (!/^[0-9a-f]{7,40}$/i.test(id)) throw new ShiplineError(`A Supabase functions release is named by its commit SHA, got '${id}'`);
    return { provider: this.name, id, sha: id, url: this.functionsUrl(), target: 'production' };
  }

  async findBySha(sha: string): Promise<Release | undefined> {
    return this.describe(sha);
  }

  async assignAliases(_release: Release, aliases: string[]): Promise<string[]> {
    if (aliases.length > 0) throw new ProviderError('Supabase', 'Edge Functions have no aliases', { action: 'alias' });
    return [];
  }
}

function hintFor(status: number): string | undefined {
  if (status === 401 || status === 403) return "Check the Supabase access token (input 'token', sbp_…) and its access to the project.";
  if (status === 404) return "Check input 'project' (the project ref, from the dashboard URL).";
  return undefined;
}
