// A loopback Vercel that follows the documented REST API (see shared/reference/providers.md): deployments that
// move QUEUED → BUILDING → READY (or ERROR) over time, the missing_files round trip with digest-checked uploads,
// staged production deploys, promote/rollback alias jobs that take time and can fail, aliases, and the project's
// production target. Faults (429 with Retry-After, 5xx, resets) come from the FakeServer it runs on.
import { createHash, randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { type FakeServer, type RecordedRequest, sendJson, startFakeServer } from './server.js';

export interface FakeDeployment {
  id: string;
  url: string;
  name: string;
  target: 'production' | null;
  createdAt: number;
  meta: Record<string, string>;
  files: { file: string; sha: string; size: number }[];
  autoAssignCustomDomains: boolean;
  outcome: 'READY' | { errorCode: string; errorMessage: string };
  canceled: boolean;
  aliases: string[];
}

interface AliasJob {
  type: 'promote' | 'rollback';
  fromDeploymentId: string | null;
  toDeploymentId: string;
  requestedAt: number;
  fails: boolean;
  done: boolean;
}

export interface FakeVercel {
  server: FakeServer;
  url: string;
  token: string;
  projectId: string;
  projectName: string;
  teamId: string;
  deployments: Map<string, FakeDeployment>;
  blobs: Map<string, Buffer>;
  /** Digests uploaded through /v2/files, in order. */
  uploads: string[];
  /** The deployment production serves. */
  production(): string | undefined;
  /** Build time and alias-job time, in ms. */
  timing: { buildMs: number; aliasJobMs: number };
  failNextBuild(errorCode?: string, errorMessage?: string): void;
  failNextAliasJob(): void;
  close(): Promise<void>;
}

export async function startFakeVercel(options: { buildMs?: number; aliasJobMs?: number } = {}): Promise<FakeVercel> {
  const token = `vercel_${randomBytes(12).toString('hex')}`;
  const projectId = 'prj_fakeWeb123';
  const projectName = 'web';
  const teamId = 'team_fake42';
  const deployments = new Map<string, FakeDeployment>();
  const blobs = new Map<string, Buffer>();
  const uploads: string[] = [];
  const timing = { buildMs: options.buildMs ?? 900, aliasJobMs: options.aliasJobMs ?? 700 };
  let production: string | undefined;
  let job: AliasJob | undefined;
  let nextBuildFails: FakeDeployment['outcome'] | undefined;
  let nextJobFails = false;
  let clock = Date.now();
  const now = () => (clock = Math.max(clock + 1, Date.now()));

  const error = (res: ServerResponse, status: number, code: string, message: string, extra: object = {}) => sendJson(res, status, { error: { code, message, ...extra } });

  function readyState(d: FakeDeployment): string {
    if (d.canceled) return 'CANCELED';
    const age = Date.now() - d.createdAt;
    if (age < timing.buildMs * 0.25) return 'QUEUED';
    if (age < timing.buildMs) return 'BUILDING';
    return d.outcome === 'READY' ? 'READY' : 'ERROR';
  }

  /** State changes that happen on Vercel's side with time: a finished production build takes the domains. */
  function advance(): void {
    for (const d of deployments.values()) {
      if (d.target === 'production' && d.autoAssignCustomDomains && readyState(d) === 'READY' && !d.aliases.includes('__production')) {
        d.aliases.push('__production');
        production = d.id;
      }
    }
    if (job && !job.done && Date.now() - job.requestedAt >= timing.aliasJobMs) {
      job.done = true;
      if (!job.fails) production = job.toDeploymentId;
    }
  }

  function jobStatus(j: AliasJob): string {
    if (!j.done) return Date.now() - j.requestedAt < timing.aliasJobMs / 4 ? 'pending' : 'in-progress';
    return j.fails ? 'failed' : 'succeeded';
  }

  function deploymentJson(d: FakeDeployment) {
    const state = readyState(d);
    return {
      id: d.id,
      url: d.url,
      name: d.name,
      readyState: state,
      readySubstate: d.target === 'production' && state === 'READY' ? (production === d.id ? 'PROMOTED' : 'STAGED') : undefined,
      target: d.target,
      createdAt: d.createdAt,
      inspectorUrl: `https://vercel.com/fake-team/${d.name}/${d.id.replace('dpl_', '')}`,
      meta: d.meta,
      aliasAssigned: production === d.id,
      ...(state === 'ERROR' && d.outcome !== 'READY' ? { errorCode: d.outcome.errorCode, errorMessage: d.outcome.errorMessage } : {}),
    };
  }

  function listJson(d: FakeDeployment) {
    const state = readyState(d);
    return { uid: d.id, url: d.url, name: d.name, state, readyState: state, target: d.target, created: d.createdAt, meta: d.meta, isRollbackCandidate: d.target === 'production' && state === 'READY' };
  }

  function projectMatches(idOrName: string): boolean {
    return idOrName === projectId || idOrName === projectName;
  }

  function startJob(res: ServerResponse, type: AliasJob['type'], deploymentId: string): void {
    const d = deployments.get(deploymentId);
    if (!d) return error(res, 404, 'not_found', `Deployment ${deploymentId} not found`);
    if (readyState(d) !== 'READY') return error(res, 400, 'deployment_not_ready', 'The deployment is not READY');
    if (d.target !== 'production') return error(res, 400, 'invalid_target', 'Only production deployments can be promoted or rolled back to');
    if (job && !job.done) return error(res, 409, 'conflict', 'Another promote or rollback is in progress');
    job = { type, fromDeploymentId: production ?? null, toDeploymentId: d.id, requestedAt: Date.now(), fails: nextJobFails, done: false };
    nextJobFails = false;
    sendJson(res, 201, {});
  }

  const server = await startFakeServer((req: RecordedRequest, res) => {
    advance();
    if (req.headers.authorization !== `Bearer ${token}`) return error(res, 403, 'forbidden', 'Not authorized');
    const url = new URL(req.path, 'http://fake');
    if (url.searchParams.get('teamId') !== teamId) return error(res, 404, 'not_found', 'Project not found (wrong team scope)');
    const route = `${req.method} ${url.pathname}`;
    let m: RegExpExecArray | null;

    if (route === 'POST /v2/files') {
      const digest = String(req.headers['x-vercel-digest'] ?? req.headers['x-now-digest'] ?? '');
      const raw = req.raw;
      const actual = createHash('sha1').update(raw).digest('hex');
      if (digest !== actual) return error(res, 400, 'invalid_digest', `digest ${digest} does not match the content (${actual})`);
      if (Number(req.headers['x-now-size']) !== raw.length) return error(res, 400, 'invalid_size', 'x-now-size does not match the content');
      blobs.set(digest, raw);
      uploads.push(digest);
      return sendJson(res, 200, {});
    }
    if (route === 'POST /v13/deployments') {
      const body = JSON.parse(req.body || '{}');
      if (!body.name) return error(res, 400, 'bad_request', 'Invalid request: should have required property "name"');
      if (!projectMatches(body.project ?? body.name)) return error(res, 404, 'not_found', 'Project not found');
      const files = (body.files ?? []) as FakeDeployment['files'];
      if (files.length === 0) return error(res, 400, 'missing_files', 'No files', { missing: [] });
      const missing = [...new Set(files.filter((f) => !blobs.has(f.sha)).map((f) => f.sha))];
      if (missing.length > 0) return error(res, 400, 'missing_files', 'Missing files', { missing });
      const id = `dpl_${randomBytes(9).toString('base64url')}`;
      const d: FakeDeployment = {
        id,
        url: `${projectName}-${randomBytes(4).toString('hex')}-fake-team.vercel.app`,
        name: projectName,
        target: body.target === 'production' ? 'production' : null,
        createdAt: now(),
        meta: body.meta ?? {},
        files,
        autoAssignCustomDomains: body.autoAssignCustomDomains !== false,
        outcome: nextBuildFails ?? 'READY',
        canceled: false,
        aliases: [],
      };
      nextBuildFails = undefined;
      deployments.set(id, d);
      return sendJson(res, 200, deploymentJson(d));
    }
    if ((m = /^GET \/v13\/deployments\/([^/]+)$/.exec(route))) {
      const d = deployments.get(decodeURIComponent(m[1] as string));
      return d ? sendJson(res, 200, deploymentJson(d)) : error(res, 404, 'not_found', 'Deployment not found');
    }
    if ((m = /^PATCH \/v12\/deployments\/([^/]+)\/cancel$/.exec(route))) {
      const d = deployments.get(decodeURIComponent(m[1] as string));
      if (!d) return error(res, 404, 'not_found', 'Deployment not found');
      if (readyState(d) !== 'READY' && readyState(d) !== 'ERROR') d.canceled = true;
      return sendJson(res, 200, deploymentJson(d));
    }
    if (route === 'GET /v6/deployments') {
      const q = url.searchParams;
      if (!projectMatches(q.get('projectId') ?? '')) return sendJson(res, 200, { deployments: [], pagination: { count: 0, next: null, prev: null } });
      const list = [...deployments.values()]
        .filter((d) => !q.get('target') || d.target === q.get('target'))
        .filter((d) => !q.get('state') || q.get('state')?.split(',').includes(readyState(d)))
        .filter((d) => !q.get('since') || d.createdAt >= Number(q.get('since')))
        .sort((a, b) => b.createdAt - a.createdAt)
        .slice(0, Number(q.get('limit') ?? 20));
      return sendJson(res, 200, { deployments: list.map(listJson), pagination: { count: list.length, next: null, prev: null } });
    }
    if ((m = /^GET \/v9\/projects\/([^/]+)$/.exec(route))) {
      if (!projectMatches(decodeURIComponent(m[1] as string))) return error(res, 404, 'not_found', 'Project not found');
      const live = production ? deployments.get(production) : undefined;
      return sendJson(res, 200, {
        id: projectId,
        name: projectName,
        targets: live ? { production: deploymentJson(live) } : {},
        lastAliasRequest: job ? { fromDeploymentId: job.fromDeploymentId, toDeploymentId: job.toDeploymentId, jobStatus: jobStatus(job), requestedAt: job.requestedAt, type: job.type } : null,
      });
    }
    if ((m = /^POST \/v10\/projects\/([^/]+)\/promote\/([^/]+)$/.exec(route))) {
      if (!projectMatches(decodeURIComponent(m[1] as string))) return error(res, 404, 'not_found', 'Project not found');
      return startJob(res, 'promote', decodeURIComponent(m[2] as string));
    }
    if ((m = /^POST \/v(?:1|9)\/projects\/([^/]+)\/rollback\/([^/]+)$/.exec(route))) {
      if (!projectMatches(decodeURIComponent(m[1] as string))) return error(res, 404, 'not_found', 'Project not found');
      return startJob(res, 'rollback', decodeURIComponent(m[2] as string));
    }
    if ((m = /^POST \/v2\/deployments\/([^/]+)\/aliases$/.exec(route))) {
      const d = deployments.get(decodeURIComponent(m[1] as string));
      if (!d) return error(res, 404, 'not_found', 'Deployment not found');
      const { alias } = JSON.parse(req.body || '{}');
      if (typeof alias !== 'string' || !/^[a-z0-9.-]+$/.test(alias)) return error(res, 400, 'invalid_alias', `Invalid alias "${alias}"`);
      if (alias.startsWith('taken-')) return error(res, 409, 'alias_in_use', `The alias "${alias}" is already in use by another project`);
      const previous = [...deployments.values()].find((x) => x.aliases.includes(alias));
      if (previous) previous.aliases = previous.aliases.filter((a) => a !== alias);
      d.aliases.push(alias);
      return sendJson(res, 200, { uid: `alias_${randomBytes(6).toString('hex')}`, alias, created: new Date().toISOString(), oldDeploymentId: previous?.id ?? null });
    }
    return error(res, 404, 'not_found', `No route ${route}`);
  });

  return {
    server,
    url: server.url,
    token,
    projectId,
    projectName,
    teamId,
    deployments,
    blobs,
    uploads,
    production: () => {
      advance();
      return production;
    },
    timing,
    failNextBuild: (errorCode = 'BUILD_FAILED', errorMessage = 'Command "npm run build" exited with 1') => {
      nextBuildFails = { errorCode, errorMessage };
    },
    failNextAliasJob: () => {
      nextJobFails = true;
    },
    close: () => server.close(),
  };
}
