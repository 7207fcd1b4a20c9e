// A loopback Supabase Management API for Edge Functions, following the API and what `supabase functions deploy
// --use-api` does against it:
// - POST /v1/projects/{ref}/functions/deploy?slug=…[&bundleOnly=true] with a multipart body (a `metadata` JSON
//   part and `file` parts), parsed with the platform's own multipart parser and checked the way the API does (the
//   entrypoint and import map must be among the files). Bundling takes time. Without bundleOnly the new version
//   goes live at once; with bundleOnly it is only bundled, and goes live through
// - PUT /v1/projects/{ref}/functions (bulk update), which activates every named version together, or none: an
//   unknown function or a version that was never bundled fails the whole request and changes nothing.
// `functions` is what is live; `bundles` every version bundled. Faults through `server.inject` and the fail* hooks.
import { randomBytes, randomUUID } from 'node:crypto';
import { type FakeServer, sendJson, startFakeServer } from './server.js';

export interface FakeFunction {
  id: string;
  slug: string;
  name: string;
  version: number;
  verifyJwt: boolean;
  entrypoint: string;
  importMap?: string;
  staticPatterns: string[];
  files: Record<string, string>;
  createdAt: number;
  updatedAt: number;
}

export interface FakeSupabase {
  server: FakeServer;
  url: string;
  token: string;
  ref: string;
  /** The live version of each function. */
  functions: Map<string, FakeFunction>;
  /** Every bundled version, by slug then version. */
  bundles: Map<string, Map<number, FakeFunction>>;
  /** Bulk updates accepted, each the slugs it activated. */
  bulkUpdates: string[][];
  /** The next deploy of this function (any, when omitted) fails to bundle with the message. */
  failNextDeploy(message?: string, slug?: string): void;
  close(): Promise<void>;
}

export async function startFakeSupabase(options: { bundleMs?: number } = {}): Promise<FakeSupabase> {
  const token = `sbp_${randomBytes(20).toString('hex')}`;
  const ref = 'abcdefghijklmnopqrst';
  const bundleMs = options.bundleMs ?? 100;
  const functions = new Map<string, FakeFunction>();
  const bundles = new Map<string, Map<number, FakeFunction>>();
  const bulkUpdates: string[][] = [];
  const ids = new Map<string, string>();
  let nextFails: { message: string; slug?: string } | undefined;

  const answer = (f: FakeFunction) => ({
    id: f.id,
    slug: f.slug,
    name: f.name,
    status: 'ACTIVE',
    version: f.version,
    created_at: f.createdAt,
    updated_at: f.updatedAt,
    verify_jwt: f.verifyJwt,
    import_map: Boolean(f.importMap),
    entrypoint_path: f.entrypoint,
    import_map_path: f.importMap,
  });

  const server = await startFakeServer(async (req, res) => {
    if (req.headers.authorization !== `Bearer ${token}`) return sendJson(res, 401, { message: 'Unauthorized' });
    const url = new URL(req.path, 'http://fake');
    // The project itself (the CLI reads it after a deploy).
    if (req.method === 'GET' && url.pathname === `/v1/projects/${ref}`) {
      return sendJson(res, 200, {
        id: ref,
        ref,
        organization_id: 'org-fake',
        name: 'fake',
        region: 'us-east-1',
        status: 'ACTIVE_HEALTHY',
        created_at: new Date(0).toISOString(),
      });
    }
    const m = /^\/v1\/projects\/([^/]+)\/functions(\/deploy)?$/.exec(url.pathname);
    if (!m) return sendJson(res, 404, { message: `No route ${req.method} ${url.pathname}` });
    if (m[1] !== ref) return sendJson(res, 404, { message: 'Project not found' });
    if (req.method === 'GET' && !m[2]) return sendJson(res, 200, [...functions.values()].map(answer));
    if (req.method === 'PUT' && !m[2]) {
      let items: unknown;
      try {
        items = JSON.parse(req.body);
      } catch {
        return sendJson(res, 400, { message: 'Invalid JSON body' });
      }
      if (!Array.isArray(items) || items.length === 0)
        return sendJson(res, 400, { message: 'body must be a non-empty array of functions' });
      // All checked before anything changes: the bulk update is all or nothing.
      const chosen: FakeFunction[] = [];
      for (const item of items as Record<string, unknown>[]) {
        for (const key of ['id', 'slug', 'name', 'status', 'version']) {
          if (item?.[key] === undefined) return sendJson(res, 400, { message: `each function needs ${key}` });
        }
        const bundled = bundles.get(String(item.slug))?.get(Number(item.version));
        if (!bundled || bundled.id !== item.id)
          return sendJson(res, 400, {
            message: `function ${String(item.slug)} has no bundled version ${String(item.version)}`,
          });
        chosen.push(bundled);
      }
      const now = Date.now();
      for (const fn of chosen) functions.set(fn.slug, { ...fn, updatedAt: now });
      bulkUpdates.push(chosen.map((f) => f.slug));
      return sendJson(res, 200, { functions: chosen.map((f) => answer(functions.get(f.slug) as FakeFunction)) });
    }
    if (req.method !== 'POST' || !m[2]) return sendJson(res, 405, { message: 'Method not allowed' });
    const slug = url.searchParams.get('slug');
    if (!slug || !/^[A-Za-z][A-Za-z0-9_-]*$/.test(slug)) return sendJson(res, 400, { message: 'slug is required' });
    const bundleOnly = url.searchParams.get('bundleOnly') === 'true';
    let form: FormData;
    try {
      form = await new Request('http://fake', {
        method: 'POST',
        headers: { 'content-type': String(req.headers['content-type']) },
        body: req.raw,
      }).formData();
    } catch (error) {
      return sendJson(res, 400, { message: `Invalid multipart body: ${(error as Error).message}` });
    }
    const metadataPart = form.get('metadata');
    if (!metadataPart) return sendJson(res, 400, { message: 'metadata part is required' });
    let metadata: Record<string, unknown>;
    try {
      metadata = JSON.parse(typeof metadataPart === 'string' ? metadataPart : await metadataPart.text());
    } catch {
      return sendJson(res, 400, { message: 'metadata is not JSON' });
    }
    const files: Record<string, string> = {};
    for (const part of form.getAll('file')) {
      if (typeof part === 'string') return sendJson(res, 400, { message: 'file parts must be files' });
      files[part.name] = await part.text();
    }
    const entrypoint = metadata.entrypoint_path as string | undefined;
    const importMap = (metadata.import_map_path as string | undefined) || undefined;
    if (!entrypoint || !(entrypoint in files))
      return sendJson(res, 400, { message: `entrypoint ${entrypoint} is not among the uploaded files` });
    if (importMap && !(importMap in files))
      return sendJson(res, 400, { message: `import map ${importMap} is not among the uploaded files` });
    // Bundling takes time; the answer comes when it is done.
    await new Promise((resolve) => setTimeout(resolve, bundleMs));
    if (nextFails && (!nextFails.slug || nextFails.slug === slug)) {
      const { message } = nextFails;
      nextFails = undefined;
      return sendJson(res, 400, { message });
    }
    const versions = bundles.get(slug) ?? new Map<number, FakeFunction>();
    bundles.set(slug, versions);
    const id = ids.get(slug) ?? randomUUID();
    ids.set(slug, id);
    const now = Date.now();
    const fn: FakeFunction = {
      id,
      slug,
      name: (metadata.name as string | undefined) ?? slug,
      version: versions.size + 1,
      // An omitted verify_jwt keeps the function's current setting (true for a new function).
      verifyJwt:
        typeof metadata.verify_jwt === 'boolean' ? metadata.verify_jwt : (functions.get(slug)?.verifyJwt ?? true),
      entrypoint,
      importMap,
      staticPatterns: Array.isArray(metadata.static_patterns) ? (metadata.static_patterns as string[]) : [],
      files,
      createdAt: functions.get(slug)?.createdAt ?? now,
      updatedAt: now,
    };
    versions.set(fn.version, fn);
    if (!bundleOnly) functions.set(slug, fn);
    return sendJson(res, 201, answer(fn));
  });

  return {
    server,
    url: server.url,
    token,
    ref,
    functions,
    bundles,
    bulkUpdates,
    failNextDeploy: (
      message = 'Failed to bundle the function (reason: Module not found "./missing.ts")',
      slug?: string,
    ) => {
      nextFails = { message, slug };
    },
    close: () => server.close(),
  };
}
