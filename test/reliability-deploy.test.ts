// Faults in the middle of a deploy (issue 12): a create whose answer never comes, status polls that hang or keep
// failing, and inputs that cannot work. Through the deploy bundle, against loopback Vercel, Netlify and GitHub
// fakes; every assertion is on what the fakes hold (deployments, what production serves, the ledger).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import { type RunOptions, runBundle } from '../cli/local-runner.js';
import { type FakeGitHub, startFakeGitHub } from '../cli/sandbox/github.js';
import { type FakeNetlify, startFakeNetlify } from '../cli/sandbox/netlify.js';
import type { RecordedRequest } from '../cli/sandbox/server.js';
import { type FakeVercel, startFakeVercel } from '../cli/sandbox/vercel.js';
import { errors, exampleEvent } from './support.js';
import { gaveUpBefore } from './support-waits.js';

let github: FakeGitHub;
/** Builds finish in under a second. */
let vercel: FakeVercel;
let netlify: FakeNetlify;
/** Builds take a minute, so a deploy we give up on is still building and can be cancelled before it goes live. Each
 * test gets its own: faults left over in one (a hang not yet consumed) must not reach the next. */
let slowVercel: FakeVercel;
let slowNetlify: FakeNetlify;
beforeEach(async () => {
  slowVercel = await startFakeVercel({ buildMs: 60_000 });
  slowNetlify = await startFakeNetlify({ processMs: 60_000 });
});
afterEach(async () => {
  await Promise.all([slowVercel.close(), slowNetlify.close()]);
});

beforeAll(async () => {
  github = await startFakeGitHub();
  vercel = await startFakeVercel({ buildMs: 600, aliasJobMs: 300 });
  netlify = await startFakeNetlify({ processMs: 400 });
});
afterAll(async () => {
  await Promise.all([github.close(), vercel.close(), netlify.close()]);
});

let sites = 0;
function site(files = 3): string {
  const dir = mkdtempSync(join(tmpdir(), 'reliability-site-'));
  writeFileSync(join(dir, 'index.html'), `<h1>site ${++sites} ${dir}</h1>`);
  for (let i = 1; i < files; i++) writeFileSync(join(dir, `asset-${i}.js`), `export const n = ${i}; // ${dir}`);
  return dir;
}

const push = () => exampleEvent('push', (p) => Boolean(p.head_commit));
const env = () => ({ GITHUB_API_URL: github.url, GITHUB_REPOSITORY: github.repository });

function deployVercel(fake: FakeVercel, inputs: RunOptions['inputs'], extraEnv: Record<string, string> = {}) {
  return runBundle({
    action: 'deploy',
    inputs: {
      provider: 'vercel',
      token: fake.token,
      project: fake.projectId,
      team: fake.teamId,
      'api-url': fake.url,
      'github-token': github.token,
      'wait-timeout': '30s',
      ...inputs,
    },
    env: { ...env(), ...extraEnv },
    event: push(),
    timeoutMs: 90_000,
  });
}

function deployNetlify(fake: FakeNetlify, inputs: RunOptions['inputs']) {
  return runBundle({
    action: 'deploy',
    inputs: {
      provider: 'netlify',
      token: fake.token,
      project: fake.siteId,
      'api-url': fake.url,
      'github-token': github.token,
      'wait-timeout': '30s',
      ...inputs,
    },
    env: env(),
    event: push(),
    timeoutMs: 90_000,
  });
}

const vercelCreates = (fake: FakeVercel) =>
  fake.server.requests.filter((r) => r.method === 'POST' && r.path.startsWith('/v13/deployments')).length;
const netlifyCreates = (fake: FakeNetlify) =>
  fake.server.requests.filter((r) => r.method === 'POST' && /\/sites\/[^/]+\/deploys(\?|$)/.test(r.path)).length;
const newest = (environment: string) => github.ledger(environment)[0];
const vercelPolls = (fake: FakeVercel) =>
  fake.server.requests.filter((r) => r.method === 'GET' && /^\/v13\/deployments\/dpl_/.test(r.path));
const vercelCancel = (r: RecordedRequest) => r.method === 'PATCH' && /\/deployments\/[^/]+\/cancel/.test(r.path);
const netlifyCancel = (r: RecordedRequest) => r.method === 'POST' && /\/deploys\/[^/]+\/cancel/.test(r.path);

describe('a create whose fate is unknown is never repeated blindly (Vercel)', () => {
  test('answer lost while Vercel is still making it: found by its key once it appears; one deployment, and it is what production serves', async () => {
    const before = vercel.deployments.size;
    // The first create names the files Vercel lacks (they are uploaded); on the second, the one that makes the
    // deployment, the connection drops at once and the deployment appears 3 s later: an immediate lookup finds nothing.
    vercel.server.inject(/^\/v13\/deployments\?/, { kind: 'delay', ms: 0 }, { kind: 'reset-then-handle', ms: 3000 });
    const result = await deployVercel(vercel, { dir: site(), target: 'production' });
    // Count only once the fake has acted on every request it got, the lost create included: a blind second create
    // would then show up as two.
    await vercel.server.idle();
    expect(errors(result)).toEqual([]);
    expect(result.exitCode).toBe(0);
    expect(vercel.deployments.size - before).toBe(1);
    const id = result.outputs['deployment-id'];
    expect(vercel.production()).toBe(id);
    expect(newest('production')).toMatchObject({ release: id, state: 'success' });
  }, 60_000);

  test('no answer and nothing appears: fails naming both possibilities, and never creates a second time', async () => {
    const before = vercel.deployments.size;
    const creates = vercelCreates(vercel);
    // The server drops the connection without acting: from the client, indistinguishable from a lost answer.
    vercel.server.inject(/^\/v13\/deployments\?/, { kind: 'delay', ms: 0 }, { kind: 'reset' });
    const result = await deployVercel(vercel, { dir: site(), target: 'production' });
    expect(result.exitCode).toBe(1);
    // Two creates: the first names the files Vercel lacks (uploaded next); the second is the one whose answer is lost.
    expect(vercelCreates(vercel) - creates).toBe(2);
    expect(vercel.deployments.size).toBe(before);
    const message = errors(result).join('\n');
    expect(message).toContain('Either Vercel never made it, or it is still making it');
    expect(message).toMatch(/meta\.shiplineDeployKey = \S+/);
  }, 60_000);

  test('Vercel answers 500 and no deployment carries the key: that proves none was made, so it is created again, once', async () => {
    const before = vercel.deployments.size;
    vercel.server.inject(
      /^\/v13\/deployments\?/,
      { kind: 'delay', ms: 0 },
      {
        kind: 'status',
        status: 500,
        body: '{"error":{"code":"internal_server_error","message":"An unexpected error occurred"}}',
        headers: { 'content-type': 'application/json' },
      },
    );
    const result = await deployVercel(vercel, { dir: site(), target: 'production' });
    expect(errors(result)).toEqual([]);
    expect(vercel.deployments.size - before).toBe(1);
    expect(vercel.production()).toBe(result.outputs['deployment-id']);
  }, 60_000);

  test('a create slower than the request timeout (cut to the deadline) is found, not made twice, and cancelled: production is unchanged', async () => {
    const before = new Set(slowVercel.deployments.keys());
    const live = slowVercel.production();
    // The create answers 10 s after it was sent, well after the 8 s deadline cut the request short.
    slowVercel.server.inject(/^\/v13\/deployments\?/, { kind: 'delay', ms: 0 }, { kind: 'delay', ms: 10_000 });
    const result = await deployVercel(slowVercel, { dir: site(), target: 'production', 'wait-timeout': '8s' });
    expect(result.exitCode).toBe(1);
    // Cut to the deadline: the client gave up on the create before its answer came, then looked it up and cancelled it.
    const create = slowVercel.server.requests
      .filter((r) => r.method === 'POST' && r.path.startsWith('/v13/deployments'))
      .at(-1);
    expect(gaveUpBefore(slowVercel.server, create, vercelCancel)).toBe(true);
    const made = [...slowVercel.deployments.values()].filter((d) => !before.has(d.id));
    expect(made).toHaveLength(1);
    expect(made[0]?.canceled).toBe(true);
    expect(result.outputs['deployment-id']).toBe(made[0]?.id);
    expect(slowVercel.production()).toBe(live);
    expect(errors(result).join('\n')).toContain(
      `Deployment ${made[0]?.id} was cancelled, so production still serves what it served before this deploy`,
    );
    expect(newest('production')).toMatchObject({ release: made[0]?.id, state: 'failure' });
  }, 60_000);
});

describe('status polls that hang or keep failing (Vercel)', () => {
  test('hanging polls: the deploy gives each up at its deadline, and the build is cancelled before it can go live', async () => {
    const live = slowVercel.production();
    slowVercel.server.inject(
      /^\/v13\/deployments\/dpl_/,
      ...Array.from({ length: 200 }, () => ({ kind: 'hang' as const })),
    );
    const result = await deployVercel(slowVercel, { dir: site(), target: 'production', 'wait-timeout': '20s' });
    expect(result.exitCode).toBe(1);
    // Every poll that hung was given up by the deploy itself (before it sent the cancel), none waited on for ever.
    expect(vercelPolls(slowVercel).length).toBeGreaterThan(0);
    for (const poll of vercelPolls(slowVercel)) expect(gaveUpBefore(slowVercel.server, poll, vercelCancel)).toBe(true);
    expect(errors(result).join('\n')).toContain('Vercel get deployment: no response before the timeout');
    const id = result.outputs['deployment-id'] as string;
    expect(slowVercel.deployments.get(id)?.canceled).toBe(true);
    expect(slowVercel.production()).toBe(live);
    expect(errors(result).join('\n')).toContain(
      `Deployment ${id} was cancelled, so production still serves what it served before this deploy`,
    );
  }, 90_000);

  test('hanging polls while the wall clock steps back an hour: the bound still holds (deadlines on the monotonic clock)', async () => {
    slowVercel.server.inject(
      /^\/v13\/deployments\/dpl_/,
      ...Array.from({ length: 200 }, () => ({ kind: 'hang' as const })),
    );
    const preload = fileURLToPath(new URL('./fixtures/wall-clock-steps-back.mjs', import.meta.url));
    // Without the ledger: the GitHub client's write pacing (@octokit/plugin-throttling's Bottleneck) reads the wall
    // clock, so a step back would hold its next write; this test is about the provider's own waits.
    const result = await deployVercel(
      slowVercel,
      { dir: site(), target: 'production', 'wait-timeout': '15s', 'github-token': '' },
      { NODE_OPTIONS: `--import=${preload}` },
    );
    expect(result.exitCode).toBe(1);
    // Deadlines on the wall clock would have moved an hour away: the run would still be waiting (and hit the
    // test's timeout). It gave the hung polls up itself, then cancelled.
    expect(vercelPolls(slowVercel).length).toBeGreaterThan(0);
    for (const poll of vercelPolls(slowVercel)) expect(gaveUpBefore(slowVercel.server, poll, vercelCancel)).toBe(true);
    expect(errors(result).join('\n')).toContain('Vercel get deployment: no response before the timeout');
    expect(slowVercel.deployments.get(result.outputs['deployment-id'] as string)?.canceled).toBe(true);
  }, 90_000);

  test('persistent 5xx on polls: the deploy fails, and its build is cancelled so production never takes it unchecked', async () => {
    const live = slowVercel.production();
    slowVercel.server.inject(
      /^\/v13\/deployments\/dpl_/,
      ...Array.from({ length: 50 }, () => ({ kind: 'status' as const, status: 502, body: 'bad gateway' })),
    );
    const result = await deployVercel(slowVercel, { dir: site(), target: 'production', 'wait-timeout': '30s' });
    expect(result.exitCode).toBe(1);
    const id = result.outputs['deployment-id'] as string;
    expect(slowVercel.deployments.get(id)?.canceled).toBe(true);
    expect(slowVercel.production()).toBe(live);
    const message = errors(result).join('\n');
    expect(message).toContain('Vercel get deployment failed');
    expect(message).toContain(`Deployment ${id} was cancelled`);
    expect(newest('production')).toMatchObject({ release: id, state: 'failure' });
  }, 90_000);
});

describe('a create whose fate is unknown is never repeated blindly (Netlify)', () => {
  test('answer lost while Netlify is still making it: found by its title once it appears; one deploy, and it is what production serves', async () => {
    const before = netlify.deploys.size;
    netlify.server.inject(/\/sites\/[^/]+\/deploys\?/, { kind: 'reset-then-handle', ms: 3000 });
    const result = await deployNetlify(netlify, { dir: site(), target: 'production' });
    await netlify.server.idle();
    expect(errors(result)).toEqual([]);
    expect(netlify.deploys.size - before).toBe(1);
    const id = result.outputs['deployment-id'];
    expect(netlify.published()).toBe(id);
    expect(newest('production')).toMatchObject({ release: id, state: 'success' });
  }, 60_000);

  test('no answer and nothing appears: fails naming both possibilities, and never creates a second time', async () => {
    const before = netlify.deploys.size;
    const creates = netlifyCreates(netlify);
    netlify.server.inject(/\/sites\/[^/]+\/deploys\?/, { kind: 'reset' });
    const result = await deployNetlify(netlify, { dir: site(), target: 'production' });
    expect(result.exitCode).toBe(1);
    expect(netlifyCreates(netlify) - creates).toBe(1);
    expect(netlify.deploys.size).toBe(before);
    expect(errors(result).join('\n')).toContain('Either Netlify never made it, or it is still making it');
  }, 60_000);
});

describe('status polls that hang or keep failing (Netlify)', () => {
  test('hanging polls: the deploy gives each up at its deadline, and the deploy is cancelled before it is published', async () => {
    const live = slowNetlify.published();
    slowNetlify.server.inject(
      /\/deploys\/[0-9a-f]{24}$/,
      ...Array.from({ length: 200 }, () => ({ kind: 'hang' as const })),
    );
    const result = await deployNetlify(slowNetlify, { dir: site(), target: 'production', 'wait-timeout': '20s' });
    expect(result.exitCode).toBe(1);
    const polls = slowNetlify.server.requests.filter(
      (r) => r.method === 'GET' && /\/deploys\/[0-9a-f]{24}$/.test(r.path),
    );
    expect(polls.length).toBeGreaterThan(0);
    for (const poll of polls) expect(gaveUpBefore(slowNetlify.server, poll, netlifyCancel)).toBe(true);
    expect(errors(result).join('\n')).toContain('Netlify get deploy: no response before the timeout');
    const id = result.outputs['deployment-id'] as string;
    expect(slowNetlify.deploys.get(id)?.canceled).toBe(true);
    expect(slowNetlify.published()).toBe(live);
    expect(errors(result).join('\n')).toContain(
      `Deploy ${id} was cancelled, so production still serves what it served before this deploy`,
    );
  }, 90_000);

  test('persistent 5xx on polls: the deploy fails and is cancelled, never published unchecked', async () => {
    const live = slowNetlify.published();
    slowNetlify.server.inject(
      /\/deploys\/[0-9a-f]{24}$/,
      ...Array.from({ length: 50 }, () => ({ kind: 'status' as const, status: 502, body: 'bad gateway' })),
    );
    const result = await deployNetlify(slowNetlify, { dir: site(), target: 'production', 'wait-timeout': '40s' });
    expect(result.exitCode).toBe(1);
    const id = result.outputs['deployment-id'] as string;
    expect(slowNetlify.deploys.get(id)?.canceled).toBe(true);
    expect(slowNetlify.published()).toBe(live);
    expect(errors(result).join('\n')).toContain(`Deploy ${id} was cancelled`);
    expect(newest('production')).toMatchObject({ release: id, state: 'failure' });
  }, 90_000);
});

describe('everything that can be checked is checked before anything changes', () => {
  test('an alias template that cannot be filled on a push fails the step before Vercel is called', async () => {
    const creates = vercelCreates(vercel);
    const live = vercel.production();
    const result = await deployVercel(vercel, {
      dir: site(),
      target: 'production',
      aliases: 'pr-{{PR_NUMBER}}.example.com',
    });
    expect(result.exitCode).toBe(1);
    expect(errors(result).join('\n')).toContain(
      "Input 'aliases': cannot fill {{PR_NUMBER}} (this run is not for a pull request) in 'pr-{{PR_NUMBER}}.example.com'",
    );
    expect(vercelCreates(vercel)).toBe(creates);
    expect(vercel.production()).toBe(live);
  });

  test.each([
    ['netlify', 'a folder that does not exist', () => join(tmpdir(), 'no-such-site-folder')],
    ['netlify', 'an empty folder', () => mkdtempSync(join(tmpdir(), 'empty-site-'))],
    ['vercel', 'a folder that does not exist', () => join(tmpdir(), 'no-such-site-folder')],
    ['vercel', 'an empty folder', () => mkdtempSync(join(tmpdir(), 'empty-site-'))],
  ])(
    "%s with %s as 'dir': one sentence naming the input, no stack trace, nothing created",
    async (provider, _what, dir) => {
      const before = provider === 'netlify' ? netlifyCreates(netlify) : vercelCreates(vercel);
      const result =
        provider === 'netlify'
          ? await deployNetlify(netlify, { dir: dir(), target: 'production' })
          : await deployVercel(vercel, { dir: dir(), target: 'production' });
      expect(result.exitCode).toBe(1);
      const message = errors(result);
      expect(message).toHaveLength(1);
      expect(message[0]).toMatch(/^Input 'dir': /);
      expect(`${result.stdout}\n${result.stderr}`).not.toMatch(/\n\s+at .+:\d+:\d+/);
      expect(provider === 'netlify' ? netlifyCreates(netlify) : vercelCreates(vercel)).toBe(before);
    },
  );
});
