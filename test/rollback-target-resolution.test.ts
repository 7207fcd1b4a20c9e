// rollback's `target`, read per provider through the bundle: a Netlify deploy id is 24 hex digits, the shape of a
// commit SHA abbreviated to 24 digits, so it is looked up as both; `id:` and `sha:` say which is meant; a value that
// is neither is refused naming the forms the provider takes. Vercel's dpl_ ids are ids, as before.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { type RunOptions, runBundle } from '../cli/local-runner.js';
import { type FakeGitHub, startFakeGitHub } from '../cli/sandbox/github.js';
import { type FakeNetlify, startFakeNetlify } from '../cli/sandbox/netlify.js';
import { type FakeVercel, startFakeVercel } from '../cli/sandbox/vercel.js';
import { errors, exampleEvent } from './support.js';

let netlify: FakeNetlify;
let vercel: FakeVercel;
let github: FakeGitHub;

beforeAll(async () => {
  netlify = await startFakeNetlify({ processMs: 100 });
  vercel = await startFakeVercel({ buildMs: 100, aliasJobMs: 100 });
  github = await startFakeGitHub();
});
afterAll(async () => {
  await netlify.close();
  await vercel.close();
  await github.close();
});

function site(version: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'target-site-'));
  writeFileSync(join(dir, 'index.html'), `<h1>${version}</h1>`);
  return dir;
}

const commit = (n: number) => n.toString(16).padStart(2, '0').repeat(20);
const env = (sha: string) => ({ GITHUB_API_URL: github.url, GITHUB_REPOSITORY: github.repository, GITHUB_SHA: sha });
const onNetlify = () => ({
  provider: 'netlify',
  token: netlify.token,
  project: netlify.siteId,
  'api-url': netlify.url,
  'github-token': github.token,
});
const onVercel = () => ({
  provider: 'vercel',
  token: vercel.token,
  project: vercel.projectId,
  team: vercel.teamId,
  'api-url': vercel.url,
  'github-token': github.token,
});

async function deploy(provider: Record<string, string>, sha: string, version: string): Promise<string> {
  const result = await runBundle({
    action: 'deploy',
    inputs: {
      ...provider,
      dir: site(version),
      target: 'production',
      environment: provider.provider as string,
      'wait-timeout': '30s',
    },
    env: env(sha),
    event: exampleEvent('push', (p) => Boolean(p.head_commit)),
    timeoutMs: 60_000,
  });
  expect(result.exitCode).toBe(0);
  return result.outputs['deployment-id'] as string;
}

function rollback(provider: Record<string, string>, target: string, extra: RunOptions['inputs'] = {}) {
  return runBundle({
    action: 'rollback',
    inputs: { ...provider, environment: provider.provider as string, target, verify: 'false', ...extra },
    env: env(commit(99)),
    event: { name: 'workflow_dispatch', payload: { inputs: {} } },
    timeoutMs: 60_000,
  });
}

describe('netlify', () => {
  const deploys: Record<string, string> = {};

  beforeAll(async () => {
    deploys.a = await deploy(onNetlify(), commit(1), 'a');
    deploys.b = await deploy(onNetlify(), commit(2), 'b');
    deploys.c = await deploy(onNetlify(), commit(3), 'c');
  }, 120_000);

  test('a deploy id (24 hex digits) restores that deploy, not a commit', async () => {
    expect(deploys.a).toMatch(/^[0-9a-f]{24}$/);
    const result = await rollback(onNetlify(), deploys.a as string);
    expect(errors(result)).toEqual([]);
    expect(result.exitCode).toBe(0);
    expect(result.outputs['restored-deployment-id']).toBe(deploys.a);
    expect(netlify.published()).toBe(deploys.a);
  });

  test('a 40-digit commit SHA restores the deploy built from it', async () => {
    const result = await rollback(onNetlify(), commit(2));
    expect(result.exitCode).toBe(0);
    expect(result.outputs['restored-deployment-id']).toBe(deploys.b);
    expect(netlify.published()).toBe(deploys.b);
  });

  test('id: and sha: say which is meant', async () => {
    const byId = await rollback(onNetlify(), `id:${deploys.c}`);
    expect(byId.exitCode).toBe(0);
    expect(netlify.published()).toBe(deploys.c);
    const bySha = await rollback(onNetlify(), `sha:${commit(1).slice(0, 12)}`);
    expect(bySha.exitCode).toBe(0);
    expect(netlify.published()).toBe(deploys.a);
  });

  test('24 hex digits that are neither a deploy nor a deployed commit: refused, naming the forms; nothing changes', async () => {
    const live = netlify.published();
    const result = await rollback(onNetlify(), 'e'.repeat(24));
    expect(result.exitCode).toBe(1);
    const message = errors(result).join('\n');
    expect(message).toContain(
      `'${'e'.repeat(24)}' is neither a netlify release nor a commit with a release in netlify`,
    );
    expect(message).toContain(
      'a Netlify deploy id (24 hex digits), or a commit SHA (7 to 40 hex digits); prefix id: or sha:',
    );
    expect(netlify.published()).toBe(live);
  });

  test('a value the provider could not mean is refused with the inputs, before the provider is asked', async () => {
    const asked = netlify.server.requests.length;
    const result = await rollback(onNetlify(), 'id:dpl_abc');
    expect(result.exitCode).toBe(1);
    expect(errors(result).join('\n')).toContain(
      "Input 'target' 'id:dpl_abc' is not a Netlify deploy id (24 hex digits) after id:",
    );
    expect(netlify.server.requests.length).toBe(asked);
  });

  test('a deploy id that is also the start of a deployed commit: refused naming both and the prefixes, and each prefix restores its own', async () => {
    // A commit whose first 24 digits are deploy b's id: the bare value names two releases.
    const twin = await deploy(onNetlify(), `${deploys.b}${'0'.repeat(16)}`, 'twin');
    const live = netlify.published();
    const bare = await rollback(onNetlify(), deploys.b as string);
    expect(bare.exitCode).toBe(1);
    const message = errors(bare).join('\n');
    expect(message).toContain(`names two releases: ${deploys.b} (as a Netlify deploy id (24 hex digits)) and ${twin}`);
    expect(message).toContain(`'id:${deploys.b}' or 'sha:${deploys.b}'`);
    expect(netlify.published()).toBe(live);

    const asId = await rollback(onNetlify(), `id:${deploys.b}`);
    expect(asId.exitCode).toBe(0);
    expect(netlify.published()).toBe(deploys.b);
    const asSha = await rollback(onNetlify(), `sha:${deploys.b}`);
    expect(asSha.exitCode).toBe(0);
    expect(netlify.published()).toBe(twin);
  });
});

describe('vercel', () => {
  test('a dpl_ id is a deployment id, as before', async () => {
    const first = await deploy(onVercel(), commit(11), 'v1');
    await deploy(onVercel(), commit(12), 'v2');
    expect(first).toMatch(/^dpl_/);
    const result = await rollback(onVercel(), first);
    expect(result.exitCode).toBe(0);
    expect(result.outputs['restored-deployment-id']).toBe(first);
    expect(vercel.production()).toBe(first);
  });
});
