// The official client is the judge: netlify-cli (`netlify deploy --prod --no-build`) deploys a site against the
// loopback Netlify fake, and the @netlify/api calls our provider makes succeed against it. Our one hand-written
// request (the create, see shared/providers/netlify.ts) must be the request @netlify/api sends.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { NetlifyAPI } from '@netlify/api';
import { nodeBinary } from '../cli/local-runner.js';
import { type FakeNetlify, startFakeNetlify } from '../cli/sandbox/netlify.js';
import type { RecordedRequest } from '../cli/sandbox/server.js';
import { NetlifyProvider } from '../shared/providers/netlify.js';
import { type HttpProxy, startHttpProxy } from './fakes/http-proxy.js';
import { Deadline } from '../shared/deadline.js';
import { until } from './support-waits.js';

const require = createRequire(import.meta.url);
const sha1File = (path: string) => createHash('sha1').update(readFileSync(path)).digest('hex');

let fake: FakeNetlify;
let home: string;
/** The proxy every request of netlify-cli goes through: loopback passed on, anything else refused and recorded. */
let proxy: HttpProxy;

beforeAll(async () => {
  fake = await startFakeNetlify({ processMs: 300, prepareMs: 800 });
  proxy = await startHttpProxy();
  home = mkdtempSync(join(tmpdir(), 'conformance-netlify-home-'));
  // Telemetry off in the CLI's own global config, besides CI=true (which also stops it and the update check).
  mkdirSync(join(home, '.config', 'netlify'), { recursive: true });
  writeFileSync(join(home, '.config', 'netlify', 'config.json'), JSON.stringify({ telemetryDisabled: true }));
});
afterAll(async () => {
  await fake.close();
  await proxy.close();
});

/** A site above netlify-cli's 100-file sync limit, with several paths sharing one digest. */
function site(tag: string, count: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'conformance-netlify-site-'));
  writeFileSync(join(dir, 'index.html'), `<h1>${tag}</h1>`);
  for (let i = 1; i < count; i++)
    writeFileSync(join(dir, `asset-${i}.js`), i % 10 === 0 ? `/* shared ${tag} */` : `export const n = '${tag} ${i}';`);
  return dir;
}

function runNetlifyCli(args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const bin = join(dirname(require.resolve('netlify-cli/package.json')), 'bin', 'run.js');
  return new Promise((resolve) => {
    // netlify-cli needs Node >= 22.13: the Node 24 the actions run on.
    execFile(
      nodeBinary(),
      [bin, ...args],
      {
        cwd,
        timeout: 120_000,
        env: {
          PATH: process.env.PATH ?? '',
          HOME: home,
          XDG_CONFIG_HOME: join(home, '.config'),
          NETLIFY_API_URL: fake.url,
          NETLIFY_AUTH_TOKEN: fake.token,
          CI: 'true',
          // Node 24 sends fetch and http through this proxy; the fake (loopback) is reached directly.
          NODE_USE_ENV_PROXY: '1',
          HTTPS_PROXY: proxy.url,
          HTTP_PROXY: proxy.url,
          NO_PROXY: '127.0.0.1,localhost,::1',
          NO_UPDATE_NOTIFIER: '1',
          NO_COLOR: '1',
        },
      },
      (error, stdout, stderr) =>
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

const creates = () =>
  fake.server.requests.filter((r) => r.method === 'POST' && /\/sites\/[^/]+\/deploys(\?|$)/.test(r.path));

function officialClient(): NetlifyAPI {
  const url = new URL(fake.url);
  return new NetlifyAPI(fake.token, { scheme: 'http', host: url.host, pathPrefix: url.pathname });
}

/** A deploy of one new file (content no other deploy has), created through @netlify/api; not uploaded yet. */
async function createOneFileDeploy(api: NetlifyAPI, tag: string, draft: boolean): Promise<{ id: string; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'conformance-netlify-one-'));
  writeFileSync(join(dir, 'index.html'), `<h1>${tag} ${dir}</h1>`);
  const created = await api.createSiteDeploy({
    site_id: fake.siteId,
    title: tag,
    body: { files: { '/index.html': sha1File(join(dir, 'index.html')) }, draft },
  });
  expect(created.required).toHaveLength(1);
  return { id: created.id as string, dir };
}

/** Uploads the deploy's one file and follows it (through @netlify/api) until Netlify calls it ready. */
async function uploadAndWaitReady(api: NetlifyAPI, deploy: { id: string; dir: string }): Promise<void> {
  await api.uploadDeployFile({
    deploy_id: deploy.id,
    path: 'index.html',
    body: () => createReadStream(join(deploy.dir, 'index.html')),
  });
  await until(
    `deploy ${deploy.id} to be ready`,
    async () => (await api.getSiteDeploy({ site_id: fake.siteId, deploy_id: deploy.id })).state === 'ready',
  );
}

describe('conformance: netlify-cli and @netlify/api against the Netlify fake', () => {
  test('netlify deploy --prod --no-build publishes a 120-file site (async, shared digests) on the fake', async () => {
    const dir = site('cli', 120);
    // The site by name (as `netlify deploy --site <name-or-id>` allows): the API answers it in place of the id.
    const result = await runNetlifyCli(
      ['deploy', '--prod', '--no-build', '--dir', dir, '--site', 'fake-site', '--message', 'conformance'],
      dir,
    );
    expect({ code: result.code, out: `${result.stdout}\n${result.stderr}`.slice(-3000) }).toMatchObject({ code: 0 });
    const published = fake.published();
    const deploy = fake.deploys.get(published ?? '');
    expect(deploy).toMatchObject({ title: 'conformance', async: true, draft: false });
    expect(deploy?.pendingPaths.size).toBe(0);
    // Every path of the site arrived, the 12 sharing one digest included.
    const shared = sha1File(join(dir, 'asset-10.js'));
    expect(fake.uploads.filter((u) => u.endsWith(`@${shared}`))).toHaveLength(11);
    expect(fake.blobs.has(sha1File(join(dir, 'index.html')))).toBe(true);
    // Nothing left the machine. The one request refused is @netlify/config's extension lookup, which goes to
    // api.netlifysdk.com whatever NETLIFY_API_URL says; the CLI then resolves its config offline, by design.
    expect(proxy.refused.every((r) => r === 'CONNECT api.netlifysdk.com:443')).toBe(true);
  }, 150_000);

  test('the @netlify/api calls our provider makes succeed against the fake', async () => {
    const url = new URL(fake.url);
    const api = new NetlifyAPI(fake.token, { scheme: 'http', host: url.host, pathPrefix: url.pathname });
    const dir = site('api', 3);
    const files = {
      '/index.html': sha1File(join(dir, 'index.html')),
      '/asset-1.js': sha1File(join(dir, 'asset-1.js')),
      '/asset-2.js': sha1File(join(dir, 'asset-2.js')),
    };
    const created = await api.createSiteDeploy({
      site_id: fake.siteId,
      title: 'through @netlify/api',
      body: { files, draft: true },
    });
    expect(created.required?.length).toBe(3);
    for (const path of ['index.html', 'asset-1.js', 'asset-2.js']) {
      await api.uploadDeployFile({
        deploy_id: created.id as string,
        path,
        body: () => createReadStream(join(dir, path)),
      });
    }
    const deploy = await until(`deploy ${created.id} to be ready`, async () => {
      const read = await api.getSiteDeploy({ site_id: fake.siteId, deploy_id: created.id as string });
      return read.state === 'ready' ? read : undefined;
    });
    expect(deploy).toMatchObject({ state: 'ready', title: 'through @netlify/api', draft: true });
    expect((await api.getDeploy({ deploy_id: created.id as string })).id).toBe(created.id);
    expect((await api.listSiteDeploys({ site_id: fake.siteId, per_page: 100 })).map((d) => d.id)).toContain(created.id);
    await api.restoreSiteDeploy({ site_id: fake.siteId, deploy_id: created.id as string });
    expect((await api.getSite({ site_id: fake.siteId })).published_deploy?.id).toBe(created.id);
  });

  test('cancelSiteDeploy stops a production deploy that is not ready: it ends in error and is never published', async () => {
    const api = officialClient();
    const before = (await api.getSite({ site_id: fake.siteId })).published_deploy?.id;
    const deploy = await createOneFileDeploy(api, 'cancelled through @netlify/api', false);
    // The provider reads the cancel's answer as the deploy's state (shared/providers/netlify.ts gaveUp).
    const answer = await api.cancelSiteDeploy({ deploy_id: deploy.id });
    expect(answer).toMatchObject({ id: deploy.id, state: 'error' });
    // Its file arriving after the cancel does not bring it back.
    await api.uploadDeployFile({
      deploy_id: deploy.id,
      path: 'index.html',
      body: () => createReadStream(join(deploy.dir, 'index.html')),
    });
    expect(await api.getSiteDeploy({ site_id: fake.siteId, deploy_id: deploy.id })).toMatchObject({
      state: 'error',
      published_at: null,
    });
    expect((await api.getSite({ site_id: fake.siteId })).published_deploy?.id).toBe(before);
  });

  test('a locked published deploy (lockDeploy) keeps a new production deploy from being published until restoreSiteDeploy', async () => {
    const api = officialClient();
    const live = await createOneFileDeploy(api, 'live before the lock', false);
    await uploadAndWaitReady(api, live);
    expect((await api.getSite({ site_id: fake.siteId })).published_deploy?.id).toBe(live.id);

    expect(await api.lockDeploy({ deploy_id: live.id })).toMatchObject({ id: live.id, locked: true });
    expect((await api.getSite({ site_id: fake.siteId })).published_deploy).toMatchObject({ id: live.id, locked: true });
    const held = await createOneFileDeploy(api, 'built while locked', false);
    await uploadAndWaitReady(api, held);
    // Ready, not published: the site still serves the locked deploy.
    expect(await api.getSiteDeploy({ site_id: fake.siteId, deploy_id: held.id })).toMatchObject({
      state: 'ready',
      published_at: null,
    });
    expect((await api.getSite({ site_id: fake.siteId })).published_deploy).toMatchObject({ id: live.id, locked: true });

    // Unlocking resumes auto publishing for later deploys only: the one built while locked stays unpublished.
    expect(await api.unlockDeploy({ deploy_id: live.id })).toMatchObject({ id: live.id, locked: false });
    expect((await api.getSite({ site_id: fake.siteId })).published_deploy).toMatchObject({
      id: live.id,
      locked: false,
    });
    await api.lockDeploy({ deploy_id: live.id });
    // An explicit publish goes through the lock, and the deploy it publishes is not locked.
    await api.restoreSiteDeploy({ site_id: fake.siteId, deploy_id: held.id });
    expect((await api.getSite({ site_id: fake.siteId })).published_deploy).toMatchObject({
      id: held.id,
      locked: false,
    });
  });

  test('netlify deploy --prod refuses a site whose published deploy is locked, as our provider does', async () => {
    const api = officialClient();
    const published = await createOneFileDeploy(api, 'live before the CLI run', false);
    await uploadAndWaitReady(api, published);
    const live = published.id;
    await api.lockDeploy({ deploy_id: live });
    const deploysBefore = fake.deploys.size;
    try {
      const dir = site('cli-locked', 2);
      const result = await runNetlifyCli(['deploy', '--prod', '--no-build', '--dir', dir, '--site', 'fake-site'], dir);
      const out = `${result.stdout}\n${result.stderr}`;
      expect({
        code: result.code,
        locked: out.includes('Deployments are "locked" for production context'),
        out: out.slice(-3000),
      }).toMatchObject({ code: 1, locked: true });
      expect(fake.deploys.size).toBe(deploysBefore);
      const ours = new NetlifyProvider({ token: fake.token, project: fake.siteId, apiUrl: fake.url, workspace: dir });
      await expect(
        ours.deploy(
          {
            dir,
            target: 'production',
            staged: false,
            git: { sha: 'c'.repeat(40), ref: '' },
            idempotencyKey: 'locked-key',
          },
          Deadline.in(30_000),
        ),
      ).rejects.toThrow(`its published deploy ${live} is locked`);
      expect(fake.deploys.size).toBe(deploysBefore);
    } finally {
      await api.unlockDeploy({ deploy_id: live });
    }
  }, 150_000);

  test('our create request is the one @netlify/api createSiteDeploy sends', async () => {
    const describe = (r: RecordedRequest | undefined) => {
      const url = new URL(r?.path ?? '/', 'http://fake');
      return {
        method: r?.method,
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        contentType: r?.headers['content-type'],
        accept: r?.headers.accept,
        authorization: r?.headers.authorization,
        body: JSON.parse(r?.body || '{}'),
      };
    };
    const dir = site('ours', 130);
    const provider = new NetlifyProvider({ token: fake.token, project: fake.siteId, apiUrl: fake.url, workspace: dir });
    const sha = 'b'.repeat(40);
    const { release } = await provider.deploy(
      { dir, target: 'preview', staged: false, git: { sha, ref: '' }, idempotencyKey: 'conformance-key' },
      Deadline.in(60_000),
    );
    const ours = describe(creates().at(-1));
    const title = fake.deploys.get(release.id)?.title as string;
    const url = new URL(fake.url);
    await new NetlifyAPI(fake.token, { scheme: 'http', host: url.host, pathPrefix: url.pathname }).createSiteDeploy({
      site_id: fake.siteId,
      title,
      body: ours.body,
    });
    expect(ours).toEqual(describe(creates().at(-1)));
    expect(ours.body).toMatchObject({ async: true, draft: true });
    expect(ours.query).toEqual({ title: `shipline ${sha.slice(0, 12)} conformance-key` });
  }, 60_000);
});
