// A loopback Netlify following the documented deploy API and what netlify-cli / @netlify/api do against it:
// - POST /sites/{id}/deploys (`title` a query parameter) creates a deploy, with its path → SHA1 map in the body or
//   later through PUT /sites/{id}/deploys/{deploy_id} (netlify-cli creates first, then sends the files);
// - an `async: true` deploy spends time `preparing` (diffing) before it is `prepared` and names its `required`
//   digests; until then it has none, and uploads are refused;
// - every path whose digest is required must be uploaded (PUT /deploys/{id}/files/{path}, checked against the
//   declared digest), not one path per digest: the deploy leaves `uploading` only when all of them arrived;
// - then uploaded → processing → ready (or error) over time; a non-draft deploy is published when ready;
//   restore publishes a ready deploy; cancel stops one that is not ready yet. A linked repository shows in the
//   site's build_settings (linkRepository), which the production preflight reads. Faults are injected through `server.inject` and `failNextDeploy`;
// - locked deploys ("Stop auto publishing"): POST /deploys/{id}/lock and /unlock (lockDeploy, unlockDeploy) set the
//   deploy's `locked`. While the published deploy is locked, a production deploy that becomes ready is not published
//   ("New deploys won't be published to the main site, although Netlify will still build them",
//   https://docs.netlify.com/site-deploys/manage-deploys/#locked-deploys), and is not published later either when
//   publishing is unlocked ("previously built deploys will not auto-publish"). Restore still publishes, explicitly;
//   the deploy it publishes is not locked, so auto publishing resumes ("it is locked until you manually choose
//   another deploy to publish").
import { createHash, randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { type FakeServer, sendJson, startFakeServer } from './server.js';

export interface FakeNetlifyDeploy {
  id: string;
  /** Path (always with a leading /) → SHA1, as declared by the client. */
  files: Record<string, string>;
  /** Paths that still have to be uploaded (their digest was unknown to the site when the files were declared). */
  pendingPaths: Set<string>;
  draft: boolean;
  title: string | null;
  async: boolean;
  createdAt: number;
  /** When the file list arrived (at create, or with the update); undefined for a deploy still `new`. */
  filesAt?: number;
  uploadedAt?: number;
  /** An upload has arrived (the deploy is `uploading` rather than `prepared`). */
  uploadStarted: boolean;
  fails?: string;
  publishedAt?: string;
  /** Cancelled (POST /deploys/{id}/cancel) before it was ready: it ends in `error` and is never published. */
  canceled?: boolean;
  /** Locked (POST /deploys/{id}/lock): while this is the published deploy, auto publishing is stopped. */
  locked: boolean;
  /** Became ready while auto publishing was stopped: Netlify never publishes it by itself. */
  heldByLock?: boolean;
}

export interface FakeNetlify {
  server: FakeServer;
  url: string;
  token: string;
  siteId: string;
  deploys: Map<string, FakeNetlifyDeploy>;
  blobs: Map<string, Buffer>;
  /** Every accepted upload, as path@sha, in order. */
  uploads: string[];
  published(): string | undefined;
  /** Stops auto publishing as the dashboard does: locks the published deploy (lockDeploy). */
  lockPublished(): void;
  /** Locks the published deploy as the next deploy is created: auto publishing stopped while a deploy is under way. */
  lockWhenNextDeployCreated(): void;
  failNextDeploy(message?: string): void;
  /**
   * Links a repository to the site for continuous deployment (the site's `build_settings`): Netlify then builds and
   * publishes every push to `branch` (default main), unless `stopBuilds` (builds stopped).
   */
  linkRepository(options?: { repo?: string; branch?: string; stopBuilds?: boolean }): void;
  unlinkRepository(): void;
  close(): Promise<void>;
}

export interface FakeNetlifyOptions {
  /** How long a deploy takes from its last upload to `ready`. */
  processMs?: number;
  /** How long an async deploy stays `preparing` before it is `prepared` with its `required` list. */
  prepareMs?: number;
}

const withSlash = (path: string) => (path.startsWith('/') ? path : `/${path}`);

export async function startFakeNetlify(options: FakeNetlifyOptions = {}): Promise<FakeNetlify> {
  const token = `nfp_${randomBytes(12).toString('hex')}`;
  const siteId = 'site-fake-0000-1111';
  const processMs = options.processMs ?? 500;
  const prepareMs = options.prepareMs ?? 300;
  const deploys = new Map<string, FakeNetlifyDeploy>();
  const blobs = new Map<string, Buffer>();
  const uploads: string[] = [];
  let published: string | undefined;
  let nextFails: string | undefined;
  let lockOnNextCreate = false;
  let repository: { repo: string; branch: string; stopBuilds: boolean } | undefined;
  let clock = Date.now();

  const fail = (res: ServerResponse, status: number, message: string) =>
    sendJson(res, status, { code: status, message });

  function state(d: FakeNetlifyDeploy): string {
    if (d.canceled) return 'error';
    if (d.filesAt === undefined) return 'new';
    if (d.async && Date.now() - d.filesAt < prepareMs) return 'preparing';
    if (d.pendingPaths.size > 0) return d.async && !d.uploadStarted ? 'prepared' : 'uploading';
    const since = Date.now() - (d.uploadedAt ?? d.filesAt);
    if (since < processMs / 2) return 'uploaded';
    if (since < processMs) return 'processing';
    return d.fails ? 'error' : 'ready';
  }

  /** The digests still wanted: none while `new` or `preparing` (the diff is not done). */
  function required(d: FakeNetlifyDeploy): string[] {
    const s = state(d);
    if (s === 'new' || s === 'preparing') return [];
    return [...new Set([...d.pendingPaths].map((p) => d.files[p] as string))];
  }

  function setFiles(d: FakeNetlifyDeploy, files: Record<string, unknown>, async: boolean): string | undefined {
    const normalized: Record<string, string> = {};
    for (const [path, sha] of Object.entries(files)) {
      if (typeof sha !== 'string' || !/^[0-9a-f]{40}$/.test(sha)) return `files: ${path} needs a SHA1 digest`;
      normalized[withSlash(path)] = sha;
    }
    d.files = normalized;
    d.async = async;
    d.pendingPaths = new Set(Object.keys(normalized).filter((p) => !blobs.has(normalized[p] as string)));
    d.filesAt = Date.now();
    if (d.pendingPaths.size === 0) d.uploadedAt = d.filesAt;
    return undefined;
  }

  /** Auto publishing is stopped while the published deploy is locked. */
  const publishingLocked = () => Boolean(published && deploys.get(published)?.locked);

  /** A non-draft deploy is published by Netlify when it becomes ready, unless auto publishing is stopped then. */
  function advance(): void {
    // In creation order (the map's), so a lock taken between two deploys holds back only the later one.
    for (const d of deploys.values()) {
      if (!d.draft && !d.publishedAt && !d.heldByLock && state(d) === 'ready') {
        if (publishingLocked()) {
          d.heldByLock = true;
          continue;
        }
        d.publishedAt = new Date().toISOString();
        published = d.id;
      }
    }
  }

  const json = (d: FakeNetlifyDeploy) => ({
    id: d.id,
    site_id: siteId,
    state: state(d),
    required: required(d),
    error_message: d.canceled ? 'Canceled build' : state(d) === 'error' ? d.fails : null,
    name: 'fake-site',
    url: 'http://fake-site.netlify.app',
    deploy_url: `http://${d.id}--fake-site.netlify.app`,
    deploy_ssl_url: `https://${d.id}--fake-site.netlify.app`,
    ssl_url: 'https://fake-site.netlify.app',
    admin_url: 'https://app.netlify.com/sites/fake-site',
    created_at: new Date(d.createdAt).toISOString(),
    published_at: d.publishedAt ?? null,
    context: d.draft ? 'deploy-preview' : 'production',
    draft: d.draft,
    title: d.title,
    locked: d.locked,
  });

  const site = () => ({
    id: siteId,
    site_id: siteId,
    name: 'fake-site',
    url: 'http://fake-site.netlify.app',
    ssl_url: 'https://fake-site.netlify.app',
    admin_url: 'https://app.netlify.com/sites/fake-site',
    account_slug: 'fake-team',
    account_id: 'account-fake',
    // @netlify/open-api repoInfo: empty without a linked repository.
    build_settings: repository
      ? {
          id: 4242,
          provider: 'github',
          repo_path: repository.repo,
          repo_url: `https://github.com/${repository.repo}`,
          repo_branch: repository.branch,
          dir: 'dist',
          cmd: 'npm run build',
          allowed_branches: [repository.branch],
          public_repo: false,
          private_logs: false,
          installation_id: 4241,
          stop_builds: repository.stopBuilds,
        }
      : {},
    published_deploy: published ? json(deploys.get(published) as FakeNetlifyDeploy) : null,
  });

  const parse = (body: string): Record<string, unknown> | undefined => {
    try {
      const value = JSON.parse(body || '{}');
      return value && typeof value === 'object' ? value : undefined;
    } catch {
      return undefined;
    }
  };

  const server = await startFakeServer((req, res) => {
    advance();
    if (req.headers.authorization !== `Bearer ${token}`) return fail(res, 401, 'Access Denied');
    const url = new URL(req.path, 'http://fake');
    const path = url.pathname.replace(/^\/api\/v1/, '');
    const route = `${req.method} ${path}`;
    let m: RegExpExecArray | null;
    // The API takes a site's name or domain in place of its id ({site_id}); netlify-cli looks sites up by name.
    const isSite = (ref: string | undefined) =>
      ref === siteId || ref === 'fake-site' || ref === 'fake-site.netlify.app';
    if (route === 'GET /accounts')
      return sendJson(res, 200, [{ id: 'account-fake', name: 'Fake team', slug: 'fake-team', type_name: 'Starter' }]);
    // Environment variables (netlify-cli reads them before a deploy): this site has none.
    if (/^GET \/accounts\/[^/]+\/env$/.test(route)) return sendJson(res, 200, []);
    if (route === 'GET /sites') {
      const name = url.searchParams.get('name');
      return sendJson(res, 200, !name || 'fake-site'.includes(name) ? [site()] : []);
    }
    if ((m = /^GET \/sites\/([^/]+)$/.exec(route))) {
      return isSite(m[1]) ? sendJson(res, 200, site()) : fail(res, 404, 'Not Found');
    }
    if ((m = /^(GET|POST) \/sites\/([^/]+)\/deploys$/.exec(route))) {
      if (!isSite(m[2])) return fail(res, 404, 'Not Found');
      if (m[1] === 'GET')
        return sendJson(res, 200, [...deploys.values()].sort((a, b) => b.createdAt - a.createdAt).map(json));
      const body = parse(req.body);
      if (!body) return fail(res, 400, 'Invalid JSON body');
      const d: FakeNetlifyDeploy = {
        id: randomBytes(12).toString('hex'),
        files: {},
        pendingPaths: new Set(),
        draft: Boolean(body.draft),
        // The title is a query parameter of this operation; a `title` in the body is not read.
        title: url.searchParams.get('title'),
        async: false,
        uploadStarted: false,
        createdAt: (clock = Math.max(clock + 1, Date.now())),
        fails: nextFails,
        locked: false,
      };
      if (body.files !== undefined) {
        if (!body.files || typeof body.files !== 'object') return fail(res, 422, 'files must be a map of path to SHA1');
        const problem = setFiles(d, body.files as Record<string, unknown>, body.async === true);
        if (problem) return fail(res, 422, problem);
      }
      nextFails = undefined;
      if (lockOnNextCreate && published) {
        lockOnNextCreate = false;
        (deploys.get(published) as FakeNetlifyDeploy).locked = true;
      }
      deploys.set(d.id, d);
      return sendJson(res, 200, json(d));
    }
    if ((m = /^(GET|PUT) \/sites\/([^/]+)\/deploys\/([^/]+)$/.exec(route))) {
      const d = deploys.get(m[3] as string);
      if (!isSite(m[2]) || !d) return fail(res, 404, 'Not Found');
      if (m[1] === 'GET') return sendJson(res, 200, json(d));
      const body = parse(req.body);
      if (!body) return fail(res, 400, 'Invalid JSON body');
      if (d.filesAt !== undefined) return fail(res, 422, 'The files of this deploy were already sent');
      if (body.files !== undefined) {
        if (!body.files || typeof body.files !== 'object') return fail(res, 422, 'files must be a map of path to SHA1');
        const problem = setFiles(d, body.files as Record<string, unknown>, body.async === true);
        if (problem) return fail(res, 422, problem);
      }
      if (typeof body.draft === 'boolean') d.draft = body.draft;
      return sendJson(res, 200, json(d));
    }
    if ((m = /^PUT \/deploys\/([^/]+)\/files\/(.+)$/.exec(route))) {
      const d = deploys.get(m[1] as string);
      if (!d) return fail(res, 404, 'Deploy not found');
      const s = state(d);
      if (s === 'new' || s === 'preparing')
        return fail(res, 422, `Deploy ${d.id} is ${s}: wait until it is prepared before uploading`);
      const filePath = withSlash((m[2] as string).split('/').map(decodeURIComponent).join('/'));
      const declared = d.files[filePath];
      if (!declared) return fail(res, 422, `${filePath} is not part of this deploy`);
      const actual = createHash('sha1').update(req.raw).digest('hex');
      if (actual !== declared)
        return fail(res, 422, `SHA1 of ${filePath} does not match the digest declared at create`);
      blobs.set(actual, req.raw);
      uploads.push(`${filePath}@${actual}`);
      d.uploadStarted = true;
      if (d.pendingPaths.delete(filePath) && d.pendingPaths.size === 0) d.uploadedAt = Date.now();
      return sendJson(res, 200, { id: actual, path: filePath, sha: actual, size: req.raw.length });
    }
    if ((m = /^GET \/deploys\/([^/]+)$/.exec(route))) {
      const d = deploys.get(m[1] as string);
      return d ? sendJson(res, 200, json(d)) : fail(res, 404, 'Deploy not found');
    }
    // cancelSiteDeploy: a deploy not yet ready stops for good (a ready one is left as it is).
    if ((m = /^POST \/deploys\/([^/]+)\/cancel$/.exec(route))) {
      const d = deploys.get(m[1] as string);
      if (!d) return fail(res, 404, 'Deploy not found');
      if (state(d) !== 'ready') d.canceled = true;
      return sendJson(res, 201, json(d));
    }
    // lockDeploy / unlockDeploy: the dashboard's "Stop auto publishing" / "Start auto publishing" on the published deploy.
    if ((m = /^POST \/deploys\/([^/]+)\/(lock|unlock)$/.exec(route))) {
      const d = deploys.get(m[1] as string);
      if (!d) return fail(res, 404, 'Deploy not found');
      d.locked = m[2] === 'lock';
      return sendJson(res, 200, json(d));
    }
    if ((m = /^POST \/sites\/([^/]+)\/deploys\/([^/]+)\/restore$/.exec(route))) {
      const d = deploys.get(m[2] as string);
      if (!isSite(m[1]) || !d) return fail(res, 404, 'Not Found');
      if (state(d) !== 'ready') return fail(res, 422, 'Only ready deploys can be published');
      // An explicit publish goes through a lock; the deploy it publishes is not locked (auto publishing resumes).
      if (published !== d.id) d.locked = false;
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
    lockPublished: () => {
      advance();
      const d = published ? deploys.get(published) : undefined;
      if (!d) throw new Error('the fake Netlify site has no published deploy to lock');
      d.locked = true;
    },
    lockWhenNextDeployCreated: () => {
      lockOnNextCreate = true;
    },
    failNextDeploy: (message = 'Build script returned non-zero exit code: 2') => {
      nextFails = message;
    },
    linkRepository: ({ repo = 'shipline/example-app', branch = 'main', stopBuilds = false } = {}) => {
      repository = { repo, branch, stopBuilds };
    },
    unlinkRepository: () => {
      repository = undefined;
    },
    close: () => server.close(),
  };
}
