// A loopback Netlify following the documented deploy API: POST /sites/{id}/deploys with a path → SHA1 map
// answers the digests it lacks in `required`; PUT /deploys/{id}/files/{path} uploads (checked against the
// declared digest); the deploy moves uploading → processing → ready (or error) over time; restore publishes.
import { createHash, randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { type FakeServer, sendJson, startFakeServer } from './server.js';

export interface FakeNetlifyDeploy {
  id: string;
  files: Record<string, string>;
  required: Set<string>;
  draft: boolean;
  title: string | null;
  createdAt: number;
  uploadedAt?: number;
  fails?: string;
  publishedAt?: string;
}

export interface FakeNetlify {
  server: FakeServer;
  url: string;
  token: string;
  siteId: string;
  deploys: Map<string, FakeNetlifyDeploy>;
  blobs: Map<string, Buffer>;
  uploads: string[];
  published(): string | undefined;
  failNextDeploy(message?: string): void;
  close(): Promise<void>;
}

export async function startFakeNetlify(options: { processMs?: number } = {}): Promise<FakeNetlify> {
  const token = `nfp_${randomBytes(12).toString('hex')}`;
  const siteId = 'site-fake-0000-1111';
  const processMs = options.processMs ?? 500;
  const deploys = new Map<string, FakeNetlifyDeploy>();
  const blobs = new Map<string, Buffer>();
  const uploads: string[] = [];
  let published: string | undefined;
  let nextFails: string | undefined;
  let clock = Date.now();

  const fail = (res: ServerResponse, status: number, message: string) => sendJson(res, status, { code: status, message });

  function state(d: FakeNetlifyDeploy): string {
    if (d.required.size > 0) return 'uploading';
    const since = Date.now() - (d.uploadedAt ?? d.createdAt);
    if (since < processMs / 2) return 'uploaded';
    if (since < processMs) return 'processing';
    return d.fails ? 'error' : 'ready';
  }

  /** A non-draft deploy is published by Netlify when it becomes ready. */
  function advance(): void {
    for (const d of deploys.values()) {
      if (!d.draft && !d.publishedAt && state(d) === 'ready') {
        d.publishedAt = new Date().toISOString();
        published = d.id;
      }
    }
  }

  const json = (d: FakeNetlifyDeploy) => ({
    id: d.id,
    site_id: siteId,
    state: state(d),
    required: [...d.required],
    error_message: state(d) === 'error' ? d.fails : null,
    deploy_ssl_url: `https://${d.id}--fake-site.netlify.app`,
    ssl_url: 'https://fake-site.netlify.app',
    admin_url: 'https://app.netlify.com/sites/fake-site',
    created_at: new Date(d.createdAt).toISOString(),
    published_at: d.publishedAt ?? null,
    context: d.draft ? 'deploy-preview' : 'production',
    draft: d.draft,
    title: d.title,
  });

  const server = await startFakeServer((req, res) => {
    advance();
    if (req.headers.authorization !== `Bearer ${token}`) return fail(res, 401, 'Access Denied');
    const url = new URL(req.path, 'http://fake');
    const path = url.pathname.replace(/^\/api\/v1/, '');
    const route = `${req.method} ${path}`;
    let m: RegExpExecArray | null;
    if ((m = /^(GET|POST) \/sites\/([^/]+)(\/deploys)?$/.exec(route))) {
      if (m[2] !== siteId) return fail(res, 404, 'Not Found');
      if (m[1] === 'GET' && !m[3]) return sendJson(res, 200, { id: siteId, ssl_url: 'https://fake-site.netlify.app', published_deploy: published ? json(deploys.get(published) as FakeNetlifyDeploy) : null });
      if (m[1] === 'GET') return sendJson(res, 200, [...deploys.values()].sort((a, b) => b.createdAt - a.createdAt).map(json));
      const body = JSON.parse(req.body || '{}');
      if (!body.files || typeof body.files !== 'object') return fail(res, 422, 'files is required');
      const files = body.files as Record<string, string>;
      const d: FakeNetlifyDeploy = {
        id: randomBytes(12).toString('hex'),
        files,
        required: new Set(Object.values(files).filter((sha) => !blobs.has(sha))),
        draft: Boolean(body.draft),
        title: body.title ?? null,
        createdAt: (clock = Math.max(clock + 1, Date.now())),
        fails: nextFails,
      };
      nextFails = undefined;
      if (d.required.size === 0) d.uploadedAt = Date.now();
      deploys.set(d.id, d);
      return sendJson(res, 200, json(d));
    }
    if ((m = /^PUT \/deploys\/([^/]+)\/files\/(.+)$/.exec(route))) {
      const d = deploys.get(m[1] as string);
      if (!d) return fail(res, 404, 'Deploy not found');
      const filePath = `/${(m[2] as string).split('/').map(decodeURIComponent).join('/')}`;
      const declared = d.files[filePath];
      if (!declared) return fail(res, 422, `${filePath} is not part of this deploy`);
      const actual = createHash('sha1').update(req.raw).digest('hex');
      if (actual !== declared) return fail(res, 422, `SHA1 of ${filePath} does not match the digest declared at create`);
      blobs.set(actual, req.raw);
      uploads.push(actual);
      d.required.delete(actual);
      if (d.required.size === 0) d.uploadedAt = Date.now();
      return sendJson(res, 200, { id: actual, path: filePath, sha: actual, size: req.raw.length });
    }
    if ((m = /^GET \/deploys\/([^/]+)$/.exec(route))) {
      const d = deploys.get(m[1] as string);
      return d ? sendJson(res, 200, json(d)) : fail(res, 404, 'Deploy not found');
    }
    if ((m = /^POST \/sites\/([^/]+)\/deploys\/([^/]+)\/restore$/.exec(route))) {
      const d = deploys.get(m[2] as string);
      if (m[1] !== siteId || !d) return fail(res, 404, 'Not Found');
      if (state(d) !== 'ready') return fail(res, 422, 'Only ready deploys can be published');
      d.publishedAt = new Date().toISOString();
      published = d.id;
      return sendJson(res, 200, json(d));
    }
    return fail(res, 404, `Not Found: ${route}`);
  });

  return {
    server,
    url: `${server.url}/api/v1`,
    token,
    siteId,
    deploys,
    blobs,
    uploads,
    published: () => {
      advance();
      return published;
    },
    failNextDeploy: (message = 'Build script returned non-zero exit code: 2') => {
      nextFails = message;
    },
    close: () => server.close(),
  };
}
