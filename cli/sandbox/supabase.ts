// A loopback Supabase Management API for Edge Functions: POST /v1/projects/{ref}/functions/deploy?slug=… with a
// multipart body (a `metadata` JSON part and `file` parts), parsed with the platform's own multipart parser and
// checked the way the API does (the entrypoint must be among the files); each deploy makes a new version.
import { randomBytes } from 'node:crypto';
import { type FakeServer, sendJson, startFakeServer } from './server.js';

export interface FakeFunction {
  slug: string;
  version: number;
  verifyJwt: boolean;
  entrypoint: string;
  importMap?: string;
  files: Record<string, string>;
}

export interface FakeSupabase {
  server: FakeServer;
  url: string;
  token: string;
  ref: string;
  functions: Map<string, FakeFunction>;
  failNextDeploy(message?: string): void;
  close(): Promise<void>;
}

export async function startFakeSupabase(): Promise<FakeSupabase> {
  const token = `sbp_${randomBytes(20).toString('hex')}`;
  const ref = 'abcdefghijklmnopqrst';
  const functions = new Map<string, FakeFunction>();
  let nextFails: string | undefined;

  const server = await startFakeServer(async (req, res) => {
    if (req.headers.authorization !== `Bearer ${token}`) return sendJson(res, 401, { message: 'Unauthorized' });
    const url = new URL(req.path, 'http://fake');
    const m = /^\/v1\/projects\/([^/]+)\/functions(\/deploy)?$/.exec(url.pathname);
    if (!m) return sendJson(res, 404, { message: `No route ${req.method} ${url.pathname}` });
    if (m[1] !== ref) return sendJson(res, 404, { message: 'Project not found' });
    if (req.method === 'GET' && !m[2]) return sendJson(res, 200, [...functions.values()].map((f) => ({ id: f.slug, slug: f.slug, name: f.slug, status: 'ACTIVE', version: f.version, verify_jwt: f.verifyJwt })));
    if (req.method !== 'POST' || !m[2]) return sendJson(res, 405, { message: 'Method not allowed' });
    const slug = url.searchParams.get('slug');
    if (!slug) return sendJson(res, 400, { message: 'slug is required' });
    let form: FormData;
    try {
      form = await new Request('http://fake', { method: 'POST', headers: { 'content-type': String(req.headers['content-type']) }, body: req.raw }).formData();
    } catch (error) {
      return sendJson(res, 400, { message: `Invalid multipart body: ${(error as Error).message}` });
    }
    const metadataPart = form.get('metadata');
    if (!metadataPart) return sendJson(res, 400, { message: 'metadata part is required' });
    const metadata = JSON.parse(typeof metadataPart === 'string' ? metadataPart : await metadataPart.text());
    const files: Record<string, string> = {};
    for (const part of form.getAll('file')) {
      if (typeof part === 'string') return sendJson(res, 400, { message: 'file parts must be files' });
      files[part.name] = await part.text();
    }
    if (!metadata.entrypoint_path || !(metadata.entrypoint_path in files)) return sendJson(res, 400, { message: `entrypoint ${metadata.entrypoint_path} is not among the uploaded files` });
    if (metadata.import_map_path && !(metadata.import_map_path in files)) return sendJson(res, 400, { message: `import map ${metadata.import_map_path} is not among the uploaded files` });
    if (nextFails) {
      const message = nextFails;
      nextFails = undefined;
      return sendJson(res, 400, { message });
    }
    const previous = functions.get(slug);
    const fn: FakeFunction = { slug, version: (previous?.version ?? 0) + 1, verifyJwt: metadata.verify_jwt !== false, entrypoint: metadata.entrypoint_path, importMap: metadata.import_map_path, files };
    functions.set(slug, fn);
    return sendJson(res, 201, { id: `fn_${slug}`, slug, name: metadata.name ?? slug, status: 'ACTIVE', version: fn.version, created_at: Date.now(), updated_at: Date.now() });
  });

  return {
    server,
    url: server.url,
    token,
    ref,
    functions,
    failNextDeploy: (message = 'Failed to bundle the function (reason: Module not found "./missing.ts")') => {
      nextFails = message;
    },
    close: () => server.close(),
  };
}
