// Supabase Edge Functions through the Management API, as `supabase functions deploy --use-api` does it: each
// function's sources — the files its entrypoint reaches through its imports, plus its import map and static_files —
// go in a multipart request (a `metadata` part and one `file` part per file), with verify_jwt, the entrypoint and
// the import map taken from supabase/config.toml. Several functions are bundled first (`bundleOnly=true`) and then
// activated together by one bulk update, so a release goes live whole or not at all. Supabase keeps no release
// history to roll back to, so a rollback redeploys the sources of the earlier release, taken from git at that
// release's commit (the ledger's sha).
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix as path, relative, sep } from 'node:path';
import { parse as parseToml, TomlError } from 'smol-toml';
import { mapLimit } from '../concurrency.js';
import { ProviderError, ShiplineError } from '../errors.js';
import { requestJson } from '../http.js';
import { info, setSecret, warning } from '../runner.js';
import { Deadline } from '../deadline.js';
import { type FileUnderRoot, filesUnderRoot, outsideLinkError, resolveUnderRoot } from '../files.js';
import {
  type DeploySpec,
  type Provider,
  type ProviderConfig,
  type Release,
  type ServiceRelease,
  type UploadStats,
} from './provider.js';
import { appendAll } from '../collections.js';

interface FunctionSettings {
  /** Unset unless config.toml says: the CLI then leaves the function's current setting as it is. */
  verifyJwt?: boolean;
  enabled: boolean;
  importMap?: string;
  entrypoint?: string;
  staticFiles: string[];
}

/** The [functions.<name>] tables of supabase/config.toml (a TOML parser, so any valid TOML reads as the CLI reads it). */
export function readFunctionSettings(configToml: string, file = 'supabase/config.toml'): Map<string, FunctionSettings> {
  let config: Record<string, unknown>;
  try {
    config = parseToml(configToml);
  } catch (error) {
    const at = error instanceof TomlError ? `:${error.line}:${error.column}` : '';
    throw new ShiplineError(`${file}${at} is not valid TOML: ${(error as Error).message.split('\n')[0]}`, {
      cause: error,
    });
  }
  const settings = new Map<string, FunctionSettings>();
  const functions = isTable(config.functions) ? config.functions : {};
  for (const [name, table] of Object.entries(functions)) {
    if (!isTable(table)) continue;
    const entry: FunctionSettings = { enabled: table.enabled !== false, staticFiles: [] };
    if (typeof table.verify_jwt === 'boolean') entry.verifyJwt = table.verify_jwt;
    if (typeof table.import_map === 'string') entry.importMap = table.import_map;
    if (typeof table.entrypoint === 'string') entry.entrypoint = table.entrypoint;
    if (Array.isArray(table.static_files))
      entry.staticFiles = table.static_files.filter((f): f is string => typeof f === 'string');
    settings.set(name, entry);
  }
  return settings;
}

function isTable(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

const posix = (p: string) => p.split(sep).join('/');

/** An import map (or a deno.json holding one): its `imports`, with local targets resolved against its own folder. */
interface ImportMap {
  imports: [string, string][];
}

/** The import paths in a source file: the CLI's own pattern (static imports, re-exports and dynamic imports). */
const IMPORT_PATTERN =
  /(?:import|export)\s+(?:type\s+)?(?:{[^{}]+}|.*?)\s*(?:from)?\s*['"](.*?)['"]|import\(\s*['"](.*?)['"]\)/gi;

/** A local path in an import map, resolved against the map's folder as the CLI does (`./` kept for relative). */
function resolveMapTarget(mapPath: string, target: string): string {
  if (target.startsWith('/') || /^[a-z][a-z0-9+.-]*:/i.test(target)) return target;
  let resolved = path.join(path.dirname(mapPath), target);
  if (target.endsWith('/')) resolved += '/';
  return resolved.startsWith('/') ? resolved : `./${resolved}`;
}

/** JSON with comments (deno.jsonc): comments outside strings removed. */
function parseJsonc(text: string): unknown {
  return JSON.parse(
    text
      .replace(/("(?:[^"\\]|\\.)*")|\/\/[^\n]*|\/\*[\s\S]*?\*\//g, (_m, str: string | undefined) => str ?? '')
      .replace(/,(\s*[}\]])/g, '$1'),
  );
}

/** A local path (not a URL, npm:, jsr: or bare specifier) of an import map. */
const isLocal = (target: string) => target.startsWith('./') || target.startsWith('../') || target.startsWith('/');

/**
 * The files of one function, found as `supabase functions deploy --use-api` (2.117) finds them: the import map
 * (and the map a deno.json points to), the static files, every local module reachable from the entrypoint through
 * imports, and the local targets of the import map (a folder target with all its files). Paths are relative to
 * the project root, with /; `absolutePath` is the real file to read.
 *
 * Nothing outside the project root is read. A path that climbs out of it (an import or import-map target with
 * `../` too many, a static_files pattern starting with `../`) is refused, naming it: the CLI reads through an
 * fs.FS rooted at the project (afero.NewIOFS), whose Open refuses such a path (fs.ValidPath), so its deploy
 * fails too (pkg/function/deploy.go writeForm). A link on the way whose target is outside the root is refused,
 * naming the link: the CLI's OS file system would follow it and upload what it points at.
 */
function functionFiles(
  root: string,
  entrypoint: string,
  importMapPath: string | undefined,
  staticPatterns: string[],
): { files: FileUnderRoot[]; missing: string[] } {
  const files = new Map<string, string>();
  const missing: string[] = [];
  /** A path under the root as a file to read, or why not: refused when it leaves the root, undefined when absent. */
  const locate = (p: string, what: string): { path: string; realPath: string; isDirectory: boolean } | undefined => {
    const found = resolveUnderRoot(root, p);
    if (found.kind === 'leaves')
      throw new ShiplineError(`${what} ${p} is outside ${root}: refused`, {
        hint: 'Only files inside the project root (input dir) are uploaded: move the file inside it.',
      });
    if (found.kind === 'link') throw outsideLinkError(root, found.link, `${what} ${p}: `);
    return found.kind === 'missing' ? undefined : found;
  };
  const add = (file: FileUnderRoot) => {
    if (!files.has(file.path)) files.set(file.path, file.absolutePath);
  };
  const filesUnder = (dir: string, what: string): FileUnderRoot[] => {
    try {
      return filesUnderRoot(root, { from: dir }).files;
    } catch (error) {
      if (error instanceof ShiplineError) throw new ShiplineError(`${what}: ${error.message}`, { hint: error.hint });
      throw error;
    }
  };
  const map: ImportMap = { imports: [] };
  const targets: string[] = [];
  const load = (mapPath: string) => {
    const found = locate(mapPath, 'Import map');
    if (!found || found.isDirectory) throw new ShiplineError(`Import map ${mapPath} does not exist`);
    const data = parseJsonc(readFileSync(found.realPath, 'utf8')) as {
      imports?: Record<string, string>;
      importMap?: string;
      scopes?: Record<string, Record<string, string>>;
    };
    add({ path: found.path, absolutePath: found.realPath });
    map.imports = Object.entries(data.imports ?? {}).map(([k, v]) => [k, resolveMapTarget(mapPath, v)]);
    for (const scope of Object.values(data.scopes ?? {}))
      appendAll(
        targets,
        Object.values(scope).map((v) => resolveMapTarget(mapPath, v)),
      );
    appendAll(
      targets,
      map.imports.map(([, v]) => v),
    );
    return data;
  };
  if (importMapPath) {
    const data = load(importMapPath);
    // A deno.json with no imports of its own may point to an import map file.
    if (/^deno\.jsonc?$/i.test(path.basename(importMapPath)) && !data.imports && !data.scopes && data.importMap)
      load(path.join(path.dirname(importMapPath), data.importMap));
  }
  for (const pattern of staticPatterns) {
    const matches = globFiles(root, pattern, locate, filesUnder);
    if (matches.length === 0) missing.push(pattern);
    matches.forEach(add);
  }
  const seen = new Set<string>();
  const walk = (start: string, from: string) => {
    const queue: [string, string][] = [[start, from]];
    while (queue.length > 0) {
      const [current, importer] = queue.pop() as [string, string];
      if (seen.has(current)) continue;
      seen.add(current);
      const found = locate(current, importer);
      if (!found || found.isDirectory) {
        missing.push(current);
        continue;
      }
      add({ path: found.path, absolutePath: found.realPath });
      for (const match of readFileSync(found.realPath, 'utf8').matchAll(IMPORT_PATTERN)) {
        let mod = (match[1] || match[2] || '').trim();
        let substituted = false;
        for (const [key, target] of map.imports) {
          if (mod.startsWith(key)) {
            mod = target + mod.slice(key.length);
            substituted = true;
          }
        }
        // URLs, bare specifiers (npm:, jsr:) and directories are not files of the function.
        if (!path.extname(mod)) continue;
        const relativeImport = mod.startsWith('./') || mod.startsWith('../');
        if (!relativeImport && !mod.startsWith('/')) continue;
        if (relativeImport && !substituted) mod = path.join(path.dirname(current), mod);
        queue.push([path.normalize(mod), `Import in ${current}:`]);
      }
    }
  };
  walk(entrypoint, 'Entrypoint');
  // The CLI also uploads what the import map points to locally: a folder with every file in it, a file with
  // what it imports, so a module reached only through a mapped specifier at run time is still there.
  for (const target of targets.filter(isLocal).map((t) => path.normalize(t))) {
    const found = locate(target, 'Import map target');
    if (!found) continue;
    if (found.isDirectory) filesUnder(target, `Import map target ${target}`).forEach(add);
    else walk(target, 'Import map target');
  }
  return { files: [...files].map(([p, absolutePath]) => ({ path: p, absolutePath })), missing };
}

/** Files under the root matching a glob pattern the way Go's fs.Glob does: * and ? within one path segment. */
function globFiles(
  root: string,
  pattern: string,
  locate: (p: string, what: string) => { path: string; realPath: string; isDirectory: boolean } | undefined,
  filesUnder: (dir: string, what: string) => FileUnderRoot[],
): FileUnderRoot[] {
  const clean = pattern.replace(/^\.\//, '');
  const what = `static_files entry ${pattern}`;
  const segments = clean.split('/');
  const firstGlob = segments.findIndex((seg) => /[*?[]/.test(seg));
  if (firstGlob === -1) {
    const found = locate(clean, 'static_files entry');
    return found && !found.isDirectory ? [{ path: found.path, absolutePath: found.realPath }] : [];
  }
  // As the CLI's pattern: ** crosses folders, * and ? stay within one.
  const regex = new RegExp(
    `^${clean.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*\*|\*|\?/g, (m) => (m === '**' ? '.*' : m === '*' ? '[^/]*' : '[^/]'))}$`,
  );
  const start = segments.slice(0, firstGlob).join('/');
  const found = locate(start, 'static_files entry');
  if (!found || !found.isDirectory) return [];
  return filesUnder(found.path, what).filter((f) => regex.test(f.path));
}

/** The `metadata` part, with the CLI's field names (pkg/function/api.go FunctionDeployMetadata). */
interface FunctionMetadata {
  name: string;
  entrypoint_path: string;
  /** '' when the function has none, as the CLI sends it. */
  import_map_path: string;
  verify_jwt?: boolean;
  static_patterns: string[];
}

interface PreparedFunction {
  metadata: FunctionMetadata;
  files: FileUnderRoot[];
}

/** DeployFunctionResponse / the items of BulkUpdateFunctionResponse. */
interface DeployedFunction {
  id: string;
  slug?: string;
  name?: string;
  status?: string;
  version?: number;
  created_at?: number;
  verify_jwt?: boolean;
  import_map?: boolean;
  entrypoint_path?: string;
  import_map_path?: string;
}

export class SupabaseFunctionsProvider implements Provider {
  readonly name = 'supabase-functions';
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
    if (!existsSync(dir))
      throw new ShiplineError(`No supabase/functions folder under ${root}`, {
        hint: "Input 'dir' is the Supabase project root (the folder holding supabase/).",
      });
    const all = readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isDirectory() && !e.name.startsWith('_') && !e.name.startsWith('.'))
      .map((e) => e.name)
      .sort();
    const wanted = this.config.functions ?? [];
    const unknown = wanted.filter((name) => !all.includes(name));
    if (unknown.length > 0)
      throw new ShiplineError(
        `Input 'functions': no function ${unknown.join(', ')} under supabase/functions (found: ${all.join(', ') || 'none'})`,
      );
    return wanted.length > 0 ? wanted : all;
  }

  /** What the CLI sends for one function: its metadata part and its files (paths relative to the project root). */
  private prepare(root: string, name: string, settings: FunctionSettings | undefined): PreparedFunction {
    const rel = (p: string) => posix(relative(root, p));
    const supabaseDir = join(root, 'supabase');
    const functionDir = join(supabaseDir, 'functions', name);
    const entrypoint = settings?.entrypoint
      ? join(supabaseDir, settings.entrypoint)
      : join(functionDir, existsSync(join(functionDir, 'index.ts')) ? 'index.ts' : 'index.js');
    if (!existsSync(entrypoint))
      throw new ShiplineError(`Function ${name}: entrypoint ${rel(entrypoint)} does not exist`);
    // Precedence as the CLI's: config.toml, then deno.json / deno.jsonc / import_map.json beside the entrypoint,
    // then the global supabase/functions/import_map.json.
    const entryDir = settings?.entrypoint ? join(entrypoint, '..') : functionDir;
    const importMap = settings?.importMap
      ? join(supabaseDir, settings.importMap)
      : [
          ...['deno.json', 'deno.jsonc', 'import_map.json'].map((f) => join(entryDir, f)),
          join(supabaseDir, 'functions', 'import_map.json'),
        ].find((f) => existsSync(f));
    if (importMap && !existsSync(importMap))
      throw new ShiplineError(`Function ${name}: import map ${rel(importMap)} does not exist`);
    const staticPatterns = (settings?.staticFiles ?? []).map((pattern) => rel(join(supabaseDir, pattern)));
    const { files, missing } = functionFiles(
      root,
      rel(entrypoint),
      importMap ? rel(importMap) : undefined,
      staticPatterns,
    );
    for (const path of missing)
      warning(`Function ${name}: ${path} is imported or listed in static_files but does not exist; it is not uploaded`);
    return {
      metadata: {
        name,
        ...(settings?.verifyJwt === undefined ? {} : { verify_jwt: settings.verifyJwt }),
        entrypoint_path: rel(entrypoint),
        import_map_path: importMap ? rel(importMap) : '',
        static_patterns: staticPatterns,
      },
      files,
    };
  }

  private async send<T>(
    label: string,
    url: string,
    init: { method: string; body: FormData | string; json?: boolean; timeoutMs?: number },
  ): Promise<T> {
    // Bundling the same sources again only makes another unused version, and the bulk update names exact versions:
    // both requests may be repeated.
    const answer = await requestJson<T>(
      url,
      {
        label: `Supabase ${label}`,
        method: init.method,
        headers: {
          authorization: `Bearer ${this.config.token}`,
          ...(init.json ? { 'content-type': 'application/json' } : {}),
        },
        body: init.body,
        idempotent: true,
        timeoutMs: init.timeoutMs ?? 120_000,
        // The uploads of a deploy end by its deadline, retries included: a hanging API cannot stretch the step.
        deadline: this.deadline,
      },
      {
        provider: 'Supabase',
        action: 'functions deploy',
        emptyIsObject: false,
        errorMessage: (data, status) =>
          status >= 300
            ? `${label.replace(/^deploy of function /, '')}: ${(data as { message?: string })?.message ?? `HTTP ${status}`}`
            : undefined,
        hint: (status) => hintFor(status),
      },
    );
    return answer.data;
  }

  /** POST …/functions/deploy: with bundleOnly the version is bundled but not yet serving. */
  private async upload(
    name: string,
    prepared: PreparedFunction,
    bundleOnly: boolean,
  ): Promise<DeployedFunction & { bytes: number }> {
    const form = new FormData();
    form.append('metadata', JSON.stringify(prepared.metadata));
    let bytes = 0;
    for (const file of prepared.files) {
      const content = readFileSync(file.absolutePath);
      bytes += content.length;
      form.append('file', new Blob([content]), file.path);
    }
    const query = `slug=${encodeURIComponent(name)}${bundleOnly ? '&bundleOnly=true' : ''}`;
    const data = await this.send<DeployedFunction>(
      `deploy of function ${name}`,
      `${this.projectUrl()}/functions/deploy?${query}`,
      { method: 'POST', body: form },
    );
    return { ...data, bytes };
  }

  private projectUrl(): string {
    return `${this.apiUrl}/v1/projects/${encodeURIComponent(this.config.project)}`;
  }

  private service(fn: DeployedFunction, name: string): ServiceRelease {
    const slug = fn.slug ?? name;
    return {
      service: slug,
      name,
      id: `${slug}@v${fn.version}`,
      url: `${this.functionsUrl()}/${slug}`,
      state: fn.status,
    };
  }

  /** The deadline of the deploy or rollback under way (on the monotonic clock), which every request is cut to. */
  private deadline: Deadline | undefined;

  async deploy(spec: DeploySpec, deadline?: Deadline): Promise<{ release: Release; upload: UploadStats }> {
    if (deadline) this.deadline = deadline;
    const started = Date.now();
    const configPath = join(spec.dir, 'supabase', 'config.toml');
    const settings = readFunctionSettings(existsSync(configPath) ? readFileSync(configPath, 'utf8') : '', configPath);
    const names = this.functionNames(spec.dir).filter((name) => {
      if (settings.get(name)?.enabled !== false) return true;
      info(`Supabase: skipping ${name} (enabled = false in config.toml)`);
      return false;
    });
    if (names.length === 0)
      throw new ShiplineError('No function to deploy: every function is disabled in supabase/config.toml');
    // Every function's files are found before anything is sent: a missing entrypoint stops the release whole.
    const prepared = new Map(names.map((name) => [name, this.prepare(spec.dir, name, settings.get(name))]));
    let deployed: (DeployedFunction & { bytes: number; name: string })[];
    if (names.length === 1) {
      const name = names[0] as string;
      deployed = [{ ...(await this.upload(name, prepared.get(name) as PreparedFunction, false)), name }];
    } else {
      // As the CLI: bundle each function without activating it, then activate them all with one bulk update.
      const bundled = await mapLimit(names, 4, async (name) => ({
        ...(await this.upload(name, prepared.get(name) as PreparedFunction, true)),
        name,
      }));
      const body = bundled.map((b) => ({
        id: b.id,
        name: b.name,
        slug: b.slug,
        version: b.version,
        entrypoint_path: b.entrypoint_path,
        import_map: b.import_map,
        import_map_path: b.import_map_path,
        verify_jwt: b.verify_jwt,
        status: b.status,
        created_at: b.created_at,
      }));
      const updated = await this.send<{ functions?: DeployedFunction[] }>(
        'bulk update of functions',
        `${this.projectUrl()}/functions`,
        { method: 'PUT', body: JSON.stringify(body), json: true },
      );
      deployed = bundled.map((b) => ({ ...b, ...updated.functions?.find((f) => f.slug === b.slug) }));
      info(`Supabase: ${names.join(', ')} activated together`);
    }
    for (const fn of deployed) {
      if (fn.status !== 'ACTIVE')
        throw new ProviderError('Supabase', `${fn.name} is ${fn.status ?? 'not active'} after deploy`, {
          action: 'functions deploy',
        });
      info(
        `Supabase: ${fn.name} deployed as version ${fn.version} (verify_jwt ${fn.verify_jwt ?? 'unchanged'}, ${prepared.get(fn.name)?.files.length} files)`,
      );
    }
    const release: Release = {
      provider: this.name,
      id: spec.git.sha,
      sha: spec.git.sha,
      url: this.functionsUrl(),
      target: 'production',
      state: 'ACTIVE',
      createdAt: Date.now(),
      sourcePath: await this.sourcePath(spec.dir),
      services: deployed.map((fn) => this.service(fn, fn.name)),
    };
    spec.onCreated?.(release);
    const files = [...prepared.values()].reduce((n, p) => n + p.files.length, 0);
    const stats = { files, uploaded: files, uploadedBytes: deployed.reduce((n, d) => n + d.bytes, 0), hashMs: 0 };
    info(`Supabase: ${names.length} function(s) deployed in ${((Date.now() - started) / 1000).toFixed(1)}s`);
    return { release, upload: stats };
  }

  /** The project root's path inside its git repository ('' at the top), so a rollback finds it at another commit. */
  private async sourcePath(dir: string): Promise<string> {
    try {
      return posix((await tool('git', ['-C', dir, 'rev-parse', '--show-prefix'])).trim()).replace(/\/$/, '');
    } catch {
      return '';
    }
  }

  /** The supabase/ folder as it was at `sha`, checked out from git into a temporary folder. */
  private async checkout(sha: string, sourcePath: string, deadline: Deadline | undefined): Promise<string> {
    const repo = (await tool('git', ['-C', this.config.workspace, 'rev-parse', '--show-toplevel'])).trim();
    const git = (args: string[]) => tool('git', ['-C', repo, ...args]);
    try {
      await git(['cat-file', '-e', `${sha}^{commit}`]);
    } catch {
      // A shallow checkout (actions/checkout's default) lacks older commits: fetch just that one.
      info(`git: fetching ${sha} (not in this checkout)`);
      // Never a credential prompt (it would wait for ever), and a transfer that stalls is given up by git itself:
      // @actions/exec has no timeout of its own.
      const stall = String(Math.max(5, Math.min(60, Math.floor((deadline?.left() ?? 60_000) / 1000))));
      const env = {
        GIT_TERMINAL_PROMPT: '0',
        GIT_HTTP_LOW_SPEED_LIMIT: '1',
        GIT_HTTP_LOW_SPEED_TIME: stall,
        ...gitAuthEnv(this.config.git),
      };
      await tool('git', ['-C', repo, 'fetch', '--depth=1', 'origin', sha], env);
    }
    const out = mkdtempSync(join(tmpdir(), 'shipline-functions-'));
    const archive = join(out, 'sources.tar');
    const prefix = sourcePath ? `${sourcePath}/supabase` : 'supabase';
    await git(['archive', '--format=tar', '-o', archive, sha, prefix]);
    await tool('tar', ['-xf', archive, '-C', out]);
    rmSync(archive);
    return sourcePath ? join(out, sourcePath) : out;
  }

  async rollback(to: Release, deadline?: Deadline): Promise<Release> {
    if (!to.sha) throw new ShiplineError(`Release ${to.id} records no commit: its sources cannot be redeployed`);
    info(
      `Supabase keeps no earlier function versions to switch back to: redeploying the sources of ${to.sha.slice(0, 12)}.`,
    );
    const dir = await this.checkout(to.sha, to.sourcePath ?? '', deadline);
    try {
      const { release } = await this.deploy(
        {
          dir,
          target: 'production',
          staged: false,
          git: { sha: to.sha, ref: '' },
          idempotencyKey: `rollback-${to.sha}`,
        },
        deadline,
      );
      return release;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  promote(): Promise<Release> {
    throw new ProviderError('Supabase', 'Edge Functions go live when deployed; there is no staged release to promote', {
      action: 'promote',
    });
  }

  /** Supabase records function versions, not which commit they came from: the ledger knows what is live. */
  async current(): Promise<Release | undefined> {
    return undefined;
  }

  async previous(): Promise<Release | undefined> {
    return undefined;
  }

  async describe(id: string): Promise<Release> {
    if (!/^[0-9a-f]{7,40}$/i.test(id))
      throw new ShiplineError(`A Supabase functions release is named by its commit SHA, got '${id}'`);
    return { provider: this.name, id, sha: id, url: this.functionsUrl(), target: 'production' };
  }

  async findBySha(sha: string): Promise<Release | undefined> {
    return this.describe(sha);
  }
}

function hintFor(status: number): string | undefined {
  if (status === 401 || status === 403)
    return "Check the Supabase access token (input 'token', sbp_…) and its access to the project.";
  if (status === 404) return "Check input 'project' (the project ref, from the dashboard URL).";
  return undefined;
}

/**
 * The job's token for this one git command, as actions/checkout sends it (an AUTHORIZATION header for GitHub's URL
 * only), through git's GIT_CONFIG_COUNT/KEY/VALUE environment: a private repository's fetch works after a checkout
 * with persist-credentials: false, and nothing reaches .git/config, the command line or the log (the header value
 * is masked).
 */
function gitAuthEnv(git: ProviderConfig['git'], env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  if (!git?.token || !git.serverUrl) return {};
  const basic = Buffer.from(`x-access-token:${git.token}`, 'utf8').toString('base64');
  setSecret(basic);
  // Entries an outer environment already gives git stay; ours come after them. The empty value first clears the
  // headers read so far (a checkout that persisted an older token), so that exactly one AUTHORIZATION is sent.
  const index = Number.parseInt(env.GIT_CONFIG_COUNT ?? '0', 10) || 0;
  const key = `http.${git.serverUrl.replace(/\/+$/, '')}/.extraheader`;
  return {
    GIT_CONFIG_COUNT: String(index + 2),
    [`GIT_CONFIG_KEY_${index}`]: key,
    [`GIT_CONFIG_VALUE_${index}`]: '',
    [`GIT_CONFIG_KEY_${index + 1}`]: key,
    [`GIT_CONFIG_VALUE_${index + 1}`]: `AUTHORIZATION: basic ${basic}`,
  };
}

/**
 * Runs git or tar through @actions/exec, output captured and not printed; a failure is a sentence with the tool's
 * own first line of complaint.
 */
async function tool(command: string, args: string[], env?: Record<string, string>): Promise<string> {
  const { getExecOutput } = await import('@actions/exec');
  const result = await getExecOutput(command, args, {
    silent: true,
    ignoreReturnCode: true,
    env: env && { ...(process.env as Record<string, string>), ...env },
  });
  if (result.exitCode !== 0)
    throw new ShiplineError(
      `${command} ${args
        .filter((a) => !a.startsWith('-'))
        .slice(0, 2)
        .join(' ')} failed (exit ${result.exitCode}): ${result.stderr.trim().split('\n')[0] ?? ''}`,
    );
  return result.stdout;
}
