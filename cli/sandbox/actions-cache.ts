// The GitHub Actions cache service on loopback, for the official client (@actions/cache) to save and restore
// against: cache service v2 (what github.com runners select with ACTIONS_CACHE_SERVICE_V2), a twirp JSON API at
// ACTIONS_RESULTS_URL, with the archive itself going to a signed blob URL in the Azure Blob REST API.
//
// What it keeps as the real service does:
// - entries are immutable and keyed by (scope, key, version); `version` is the client's hash of the cached paths
//   and compression, so a restore only sees archives made the same way;
// - an entry goes reserved (CreateCacheEntry: a signed upload URL) → uploaded (blob PUT, whole or as blocks +
//   block list) → finalized (FinalizeCacheEntryUpload, size checked); only finalized entries are restored;
// - scopes come from the runtime token's `ac` claim (JSON: [{Scope, Permission}], 1 read, 2 write): writes go to
//   the writable scope (the run's ref), reads search the scopes in the token's order — the run's branch first,
//   then the default or base branch. In each scope: the key exactly, then each restore key as a prefix, the most
//   recently created entry first;
// - signed URLs carry an HMAC signature, permissions and an expiry; a blob request without a valid one is refused
//   with Azure's AuthenticationFailed;
// - faults of the underlying fake server (`inject`): 429 with Retry-After, 5xx, resets, hangs, delays.
// What it does not do: cache service v1 (GHES), eviction (7 days unused, 10 GB per repository), Range reads (the
// client downloads from a host outside *.blob.core.windows.net with one plain GET).
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { type FakeServer, type RecordedRequest, sendJson, startFakeServer } from './server.js';

const SERVICE = '/twirp/github.actions.results.api.v1.CacheService/';
const ACCOUNT = 'devstoreaccount1';
const CONTAINER = 'actions-cache';
/** Signed URLs are valid this long, as the service's are (minutes, not the length of a job). */
const URL_LIFETIME_MS = 10 * 60_000;

export interface CacheEntry {
  id: number;
  scope: string;
  key: string;
  version: string;
  state: 'reserved' | 'finalized';
  createdAt: number;
  /** The archive once uploaded (a single PUT, or the committed block list). */
  blob?: Buffer;
  /** Blocks staged but not yet committed. */
  blocks: Map<string, Buffer>;
  sizeBytes?: number;
}

export interface ScopeGrant {
  scope: string;
  /** read: 1, write: 2, both: 3, as in the token's `ac` claim. */
  permission: 1 | 2 | 3;
}

export interface FakeActionsCache {
  /** ACTIONS_RESULTS_URL. */
  url: string;
  entries: CacheEntry[];
  server: FakeServer;
  /** A runtime token (ACTIONS_RUNTIME_TOKEN) granting these scopes. */
  token(grants: ScopeGrant[]): string;
  /** The environment a step on a runner has for the cache: v2, this URL, a token for `ref` (and what it may read). */
  env(ref?: string, readAlso?: string[]): Record<string, string>;
  /** Finalized entries of a scope, newest first. */
  finalized(scope?: string): CacheEntry[];
  close(): Promise<void>;
}

type Twirp = { status: number; body: unknown };

const twirpError = (status: number, code: string, msg: string): Twirp => ({ status, body: { code, msg } });

function b64url(data: Buffer | string): string {
  return Buffer.from(data).toString('base64url');
}

function azureError(res: ServerResponse, status: number, code: string, message: string): void {
  res.writeHead(status, {
    'content-type': 'application/xml',
    'x-ms-error-code': code,
    'x-ms-request-id': randomBytes(8).toString('hex'),
  });
  res.end(`<?xml version="1.0" encoding="utf-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`);
}

export async function startFakeActionsCache(): Promise<FakeActionsCache> {
  const secret = randomBytes(32);
  const entries: CacheEntry[] = [];
  let nextId = 1;
  let clock = 0;
  // Creation order, not the wall clock: two entries made in the same millisecond still have an order.
  const now = () => {
    clock = Math.max(clock + 1, Date.now());
    return clock;
  };

  const sign = (text: string) => createHmac('sha256', secret).update(text).digest();

  const token = (grants: ScopeGrant[]): string => {
    const header = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
    const payload = b64url(
      JSON.stringify({
        ac: JSON.stringify(grants.map((g) => ({ Scope: g.scope, Permission: g.permission }))),
        exp: Math.floor(Date.now() / 1000) + 6 * 3600,
      }),
    );
    return `${header}.${payload}.${b64url(sign(`${header}.${payload}`))}`;
  };

  /** The scopes of a valid bearer token, or undefined. */
  const grantsOf = (authorization: string | undefined): ScopeGrant[] | undefined => {
    const match = /^Bearer (.+)$/.exec(authorization ?? '');
    const parts = match?.[1]?.split('.');
    if (parts?.length !== 3) return undefined;
    const [header, payload, signature] = parts as [string, string, string];
    const expected = sign(`${header}.${payload}`);
    const given = Buffer.from(signature, 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    try {
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { ac: string; exp: number };
      if (claims.exp * 1000 < Date.now()) return undefined;
      return (JSON.parse(claims.ac) as { Scope: string; Permission: 1 | 2 | 3 }[]).map((g) => ({
        scope: g.Scope,
        permission: g.Permission,
      }));
    } catch {
      return undefined;
    }
  };

  const blobPath = (entry: CacheEntry) => `/${ACCOUNT}/${CONTAINER}/${entry.id}`;

  const signedUrl = (entry: CacheEntry, permission: 'r' | 'cw'): string => {
    const expiry = new Date(Date.now() + URL_LIFETIME_MS).toISOString().replace(/\.\d+Z$/, 'Z');
    const path = blobPath(entry);
    const sig = sign(`${permission}\n${path}\n${expiry}`).toString('base64');
    const query = new URLSearchParams({ sv: '2024-08-04', sr: 'b', sp: permission, se: expiry, sig });
    return `${fake.url.replace(/\/$/, '')}${path}?${query}`;
  };

  const writableScope = (grants: ScopeGrant[]) => grants.find((g) => g.permission & 2)?.scope;
  const readableScopes = (grants: ScopeGrant[]) => grants.filter((g) => g.permission & 1).map((g) => g.scope);

  const finalized = (scope?: string) =>
    entries
      .filter((e) => e.state === 'finalized' && (scope === undefined || e.scope === scope))
      .sort((a, b) => b.createdAt - a.createdAt || b.id - a.id);

  const twirp: Record<string, (body: Record<string, unknown>, grants: ScopeGrant[]) => Twirp> = {
    CreateCacheEntry(body, grants) {
      const key = String(body.key ?? '');
      const version = String(body.version ?? '');
      if (!key || !version) return twirpError(400, 'invalid_argument', 'key and version are required');
      const scope = writableScope(grants);
      if (!scope)
        return twirpError(403, 'permission_denied', 'cache write denied: the token has no writable cache scope');
      if (entries.some((e) => e.scope === scope && e.key === key && e.version === version))
        return twirpError(409, 'already_exists', 'cache entry with the same key, version, and scope already exists');
      const entry: CacheEntry = {
        id: nextId++,
        scope,
        key,
        version,
        state: 'reserved',
        createdAt: now(),
        blocks: new Map(),
      };
      entries.push(entry);
      return { status: 200, body: { ok: true, signed_upload_url: signedUrl(entry, 'cw') } };
    },
    FinalizeCacheEntryUpload(body, grants) {
      const scope = writableScope(grants);
      if (!scope)
        return twirpError(403, 'permission_denied', 'cache write denied: the token has no writable cache scope');
      const entry = entries.find(
        (e) => e.scope === scope && e.key === body.key && e.version === body.version && e.state === 'reserved',
      );
      if (!entry) return twirpError(404, 'not_found', 'cache entry not found');
      const size = Number(body.size_bytes ?? 0);
      if (!entry.blob) return { status: 200, body: { ok: false, message: 'the archive was not uploaded' } };
      if (entry.blob.length !== size)
        return {
          status: 200,
          body: { ok: false, message: `size mismatch: uploaded ${entry.blob.length} bytes, finalizing ${size}` },
        };
      entry.state = 'finalized';
      entry.sizeBytes = size;
      return { status: 200, body: { ok: true, entry_id: String(entry.id) } };
    },
    GetCacheEntryDownloadURL(body, grants) {
      const key = String(body.key ?? '');
      const version = String(body.version ?? '');
      const restoreKeys = Array.isArray(body.restore_keys) ? body.restore_keys.map(String) : [];
      const scopes = readableScopes(grants);
      if (scopes.length === 0)
        return twirpError(403, 'permission_denied', 'cache read denied: the token has no readable cache scope');
      for (const scope of scopes) {
        const candidates = finalized(scope).filter((e) => e.version === version);
        const hit =
          candidates.find((e) => e.key === key) ??
          restoreKeys.map((prefix) => candidates.find((e) => e.key.startsWith(prefix))).find(Boolean);
        if (hit)
          return { status: 200, body: { ok: true, signed_download_url: signedUrl(hit, 'r'), matched_key: hit.key } };
      }
      return { status: 200, body: { ok: false } };
    },
  };

  /** A blob request: the signature must be ours, unexpired, for this blob and with the permission the operation needs. */
  const blob = (req: RecordedRequest, res: ServerResponse): void => {
    const url = new URL(req.path, 'http://127.0.0.1');
    const entry = entries.find((e) => blobPath(e) === url.pathname);
    const q = url.searchParams;
    const permission = q.get('sp') ?? '';
    const expiry = q.get('se') ?? '';
    const given = Buffer.from(q.get('sig') ?? '', 'base64');
    const expected = sign(`${permission}\n${url.pathname}\n${expiry}`);
    if (given.length !== expected.length || !timingSafeEqual(given, expected) || !(Date.parse(expiry) > Date.now()))
      return azureError(
        res,
        403,
        'AuthenticationFailed',
        'Server failed to authenticate the request. Make sure the value of Authorization header is formed correctly including the signature.',
      );
    if (!entry) return azureError(res, 404, 'BlobNotFound', 'The specified blob does not exist.');
    const headers = {
      'x-ms-request-id': randomBytes(8).toString('hex'),
      'x-ms-version': '2024-08-04',
      etag: `"0x${entry.id.toString(16)}${Date.now().toString(16)}"`,
      'last-modified': new Date().toUTCString(),
    };
    if (req.method === 'GET') {
      if (!permission.includes('r'))
        return azureError(
          res,
          403,
          'AuthorizationPermissionMismatch',
          'This request is not authorized to perform this operation using this permission.',
        );
      if (!entry.blob || entry.state !== 'finalized')
        return azureError(res, 404, 'BlobNotFound', 'The specified blob does not exist.');
      res.writeHead(200, {
        ...headers,
        'content-type': 'application/octet-stream',
        'content-length': String(entry.blob.length),
        'x-ms-blob-type': 'BlockBlob',
      });
      return void res.end(entry.blob);
    }
    if (req.method !== 'PUT')
      return azureError(res, 405, 'UnsupportedHttpVerb', "The resource doesn't support the specified HTTP verb.");
    if (!permission.includes('w'))
      return azureError(
        res,
        403,
        'AuthorizationPermissionMismatch',
        'This request is not authorized to perform this operation using this permission.',
      );
    if (entry.state !== 'reserved')
      return azureError(
        res,
        409,
        'BlobImmutableDueToPolicy',
        'This operation is not permitted as the blob is immutable due to a policy.',
      );
    const comp = q.get('comp');
    if (comp === 'block') {
      const id = q.get('blockid');
      if (!id)
        return azureError(
          res,
          400,
          'InvalidQueryParameterValue',
          'Value for one of the query parameters specified in the request URI is invalid.',
        );
      entry.blocks.set(id, req.raw);
      res.writeHead(201, headers);
      return void res.end();
    }
    if (comp === 'blocklist') {
      const ids = [
        ...req.body.matchAll(/<(?:Latest|Uncommitted|Committed)>([^<]*)<\/(?:Latest|Uncommitted|Committed)>/g),
      ].map((m) => m[1] as string);
      const missing = ids.find((id) => !entry.blocks.has(id));
      if (missing !== undefined)
        return azureError(res, 400, 'InvalidBlockList', 'The specified block list is invalid.');
      entry.blob = Buffer.concat(ids.map((id) => entry.blocks.get(id) as Buffer));
      entry.blocks.clear();
      res.writeHead(201, headers);
      return void res.end();
    }
    if (comp) return azureError(res, 400, 'InvalidQueryParameterValue', `comp=${comp} is not supported here.`);
    if (String(req.headers['x-ms-blob-type']).toLowerCase() !== 'blockblob')
      return azureError(
        res,
        400,
        'MissingRequiredHeader',
        "An HTTP header that's mandatory for this request is not specified: x-ms-blob-type.",
      );
    entry.blob = req.raw;
    res.writeHead(201, headers);
    res.end();
  };

  const server = await startFakeServer((req, res) => {
    if (req.path.startsWith(`/${ACCOUNT}/`)) return blob(req, res);
    if (req.method === 'POST' && req.path.startsWith(SERVICE)) {
      const method = req.path.slice(SERVICE.length);
      const handler = twirp[method];
      if (!handler) return sendJson(res, 404, { code: 'bad_route', msg: `no handler for path ${req.path}` });
      if (!String(req.headers['content-type']).startsWith('application/json'))
        return sendJson(res, 400, { code: 'malformed', msg: 'only the JSON encoding is served here' });
      const grants = grantsOf(req.headers.authorization);
      if (!grants) return sendJson(res, 401, { code: 'unauthenticated', msg: 'invalid or expired runtime token' });
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(req.body || '{}') as Record<string, unknown>;
      } catch {
        return sendJson(res, 400, { code: 'malformed', msg: 'the request body is not JSON' });
      }
      const answer = handler(body, grants);
      return sendJson(res, answer.status, answer.body);
    }
    sendJson(res, 404, { code: 'bad_route', msg: `no handler for ${req.method} ${req.path}` });
  });

  const fake: FakeActionsCache = {
    url: `${server.url}/`,
    entries,
    server,
    token,
    env: (ref = 'refs/heads/main', readAlso = []) => ({
      ACTIONS_CACHE_SERVICE_V2: 'True',
      ACTIONS_RESULTS_URL: fake.url,
      ACTIONS_RUNTIME_TOKEN: token([
        { scope: ref, permission: 3 },
        ...readAlso.map((scope) => ({ scope, permission: 1 as const })),
      ]),
    }),
    finalized,
    close: () => server.close(),
  };
  return fake;
}
