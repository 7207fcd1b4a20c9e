// deploy and rollback with provider netlify, through the bundles, against loopback Netlify and GitHub fakes.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { type RunOptions, runBundle } from '../cli/local-runner.js';
import { type FakeGitHub, startFakeGitHub } from '../cli/sandbox/github.js';
import { type FakeNetlify, type FakeNetlifyDeploy, startFakeNetlify } from '../cli/sandbox/netlify.js';
import { errors, exampleEvent, expectNoSecrets } from './support.js';

let netlify: FakeNetlify;
let github: FakeGitHub;

beforeAll(async () => {
  netlify = await startFakeNetlify({ processMs: 400, prepareMs: 1500 });
  github = await startFakeGitHub();
});
afterAll(async () => {
  await netlify.close();
  await github.close();
});

function site(version: string, count = 4): string {
  const dir = mkdtempSync(join(tmpdir(), 'netlify-site-'));
  writeFileSync(join(dir, 'index.html'), `<h1>${version}</h1>`);
  for (let i = 1; i < count; i++) writeFileSync(join(dir, `asset ${i}.js`), `export const n = ${i};`);
  return dir;
}

const common = () => ({
  provider: 'netlify',
  token: netlify.token,
  project: netlify.siteId,
  'api-url': netlify.url,
  'github-token': github.token,
});
const env = () => ({ GITHUB_API_URL: github.url, GITHUB_REPOSITORY: github.repository });

function run(action: 'deploy' | 'rollback', inputs: RunOptions['inputs']) {
  return runBundle({
    action,
    inputs: { ...common(), ...inputs },
    env: env(),
    event: exampleEvent('push', (p) => Boolean(p.head_commit)),
    timeoutMs: 60_000,
  });
}

describe('netlify', () => {
  let first: string;
  let second: string;

  test('a production deploy uploads only the required files and is published when ready', async () => {
    const dir = site('one');
    const result = await run('deploy', { dir, target: 'production' });
    expect(result.exitCode).toBe(0);
    first = result.outputs['deployment-id'] as string;
    expect(netlify.published()).toBe(first);
    expect(result.outputs.url).toBe(`https://${first}--fake-site.netlify.app`);
    expect(result.outputs['uploaded-files']).toBe('4');
    writeFileSync(join(dir, 'index.html'), '<h1>two</h1>');
    const again = await run('deploy', { dir, target: 'production' });
    expect(again.exitCode).toBe(0);
    expect(again.outputs['uploaded-files']).toBe('1');
    second = again.outputs['deployment-id'] as string;
    expect(again.outputs['previous-deployment-id']).toBe(first);
    expect(github.ledger('production')[0]).toMatchObject({ release: second, state: 'success' });
    expectNoSecrets(result, [netlify.token, github.token]);
  });

  test('a preview is a draft: the published deploy does not change', async () => {
    const result = await run('deploy', { dir: site('preview') });
    expect(result.exitCode).toBe(0);
    expect(netlify.deploys.get(result.outputs['deployment-id'] as string)?.draft).toBe(true);
    expect(netlify.published()).toBe(second);
  });

  test('staged then promote publishes the draft', async () => {
    const staged = await run('deploy', { dir: site('staged'), target: 'staged' });
    expect(staged.exitCode).toBe(0);
    expect(netlify.published()).toBe(second);
    const promoted = await run('deploy', {
      command: 'promote',
      'deployment-id': staged.outputs['deployment-id'] as string,
    });
    expect(promoted.exitCode).toBe(0);
    expect(netlify.published()).toBe(staged.outputs['deployment-id']);
    second = staged.outputs['deployment-id'] as string;
  });

  test("a failed deploy fails the step with Netlify's message and leaves the published deploy", async () => {
    netlify.failNextDeploy('Build script returned non-zero exit code: 2');
    const result = await run('deploy', { dir: site('broken'), target: 'production' });
    expect(result.exitCode).toBe(1);
    expect(errors(result).join('\n')).toContain('Netlify deploy failed: Build script returned non-zero exit code: 2');
    expect(result.outputs['deployment-id']).toBeTruthy();
    expect(netlify.published()).toBe(second);
  });

  test('a create whose answer is lost is found by its title, never created twice', async () => {
    const count = netlify.deploys.size;
    const seen = netlify.server.requests.length;
    netlify.server.inject(/\/sites\/[^/]+\/deploys(\?|$)/, { kind: 'reset-after-handling' });
    const result = await run('deploy', { dir: site('lost') });
    expect(result.exitCode).toBe(0);
    expect(netlify.deploys.size - count).toBe(1);
    // The create's answer was lost (the fault was used), and the deploy was then looked up by its title.
    const after = netlify.server.requests.slice(seen).map((r) => `${r.method} ${r.path.split('?')[0]}`);
    expect(after.filter((r) => r === `POST /api/v1/sites/${netlify.siteId}/deploys`)).toHaveLength(1);
    expect(after).toContain(`GET /api/v1/sites/${netlify.siteId}/deploys`);
  });

  test('rollback restores the previously published deploy, once', async () => {
    const rolled = await run('rollback', { verify: 'false' });
    expect(rolled.exitCode).toBe(0);
    expect(rolled.outputs).toMatchObject({ changed: 'true', 'rolled-back-deployment-id': second });
    expect(netlify.published()).toBe(rolled.outputs['restored-deployment-id']);
    const again = await run('rollback', { verify: 'false' });
    expect(again.outputs.changed).toBe('false');
    expect(netlify.published()).toBe(rolled.outputs['restored-deployment-id']);
  });

  test('the title is a query parameter: the deploy is found by it, so a lost create is never made twice', async () => {
    const result = await run('deploy', { dir: site('titled') });
    expect(result.exitCode).toBe(0);
    const deploy = netlify.deploys.get(result.outputs['deployment-id'] as string);
    expect(deploy?.title).toMatch(/^shipline [0-9a-f]{12} /);
    const create = netlify.server.requests
      .filter((r) => r.method === 'POST' && /\/sites\/[^/]+\/deploys\?/.test(r.path))
      .at(-1);
    expect(new URL(create?.path ?? '', 'http://x').searchParams.get('title')).toBe(deploy?.title);
    expect(JSON.parse(create?.body ?? '{}')).not.toHaveProperty('title');
  });

  test('above 100 files the deploy is async: uploads start only once Netlify has prepared it', async () => {
    const dir = site('many', 130);
    for (let i = 1; i < 130; i++) writeFileSync(join(dir, `asset ${i}.js`), `export const many = ${i};`);
    const result = await run('deploy', { dir, 'wait-timeout': '20s' });
    expect(result.exitCode).toBe(0);
    const deploy = netlify.deploys.get(result.outputs['deployment-id'] as string) as FakeNetlifyDeploy;
    expect(deploy.async).toBe(true);
    expect(result.outputs['uploaded-files']).toBe('130');
    expect(deploy.pendingPaths.size).toBe(0);
    // The fake refuses uploads while `preparing`; none was refused, and the first came after the diff was done.
    const uploads = netlify.server.requests.filter(
      (r) => r.method === 'PUT' && r.path.includes(`/deploys/${deploy.id}/files/`),
    );
    expect(uploads).toHaveLength(130);
    expect((uploads[0]?.at ?? 0) - (deploy.filesAt ?? 0)).toBeGreaterThanOrEqual(1500);
  }, 60_000);

  test('every path of a required digest is uploaded, not one path per digest', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'netlify-site-'));
    for (const name of ['a.txt', 'b.txt', 'nested c.txt']) writeFileSync(join(dir, name), `same bytes ${dir}`);
    const result = await run('deploy', { dir, 'wait-timeout': '10s' });
    expect(result.exitCode).toBe(0);
    const deploy = netlify.deploys.get(result.outputs['deployment-id'] as string) as FakeNetlifyDeploy;
    expect(
      netlify.uploads
        .filter((u) => u.endsWith(`@${deploy.files['/a.txt']}`))
        .map((u) => u.split('@')[0])
        .sort(),
    ).toEqual(['/a.txt', '/b.txt', '/nested c.txt']);
    expect(result.outputs['uploaded-files']).toBe('3');
  });

  test('missing provider inputs are named together', async () => {
    const result = await runBundle({ action: 'deploy', inputs: { provider: 'netlify' } });
    expect(result.exitCode).toBe(1);
    const message = errors(result).join('\n');
    expect(message).toContain("Input 'token' is required with provider netlify");
    expect(message).toContain("Input 'project' is required with provider netlify (a Netlify site ID)");
  });
});
