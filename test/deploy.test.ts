// deploy (provider vercel) through its bundle, against loopback Vercel and GitHub fakes.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import { type RunOptions, runBundle } from '../cli/local-runner.js';
import { type FakeGitHub, startFakeGitHub } from '../cli/sandbox/github.js';
import { type FakeVercel, startFakeVercel } from '../cli/sandbox/vercel.js';
import { errors, exampleEvent, expectNoSecrets, warnings } from './support.js';

let vercel: FakeVercel;
let github: FakeGitHub;

beforeAll(async () => {
  vercel = await startFakeVercel({ buildMs: 600, aliasJobMs: 500 });
  github = await startFakeGitHub();
});
afterAll(async () => {
  await vercel.close();
  await github.close();
});
beforeEach(() => {
  vercel.server.requests.length = 0;
  github.readOnlyComments = false;
});

/** A static site folder with `count` files; `version` changes one of them. */
export function site(count = 5, version = 'v1'): string {
  const dir = mkdtempSync(join(tmpdir(), 'site-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), `<h1>${version}</h1>`);
  for (let i = 1; i < count; i++) writeFileSync(join(dir, 'assets', `file-${i}.js`), `export const n = ${i};`);
  return dir;
}

function deploy(inputs: RunOptions['inputs'], extra: Partial<RunOptions> = {}) {
  return runBundle({
    action: 'deploy',
    inputs: {
      provider: 'vercel',
      token: vercel.token,
      project: vercel.projectId,
      team: vercel.teamId,
      'api-url': vercel.url,
      'github-token': github.token,
      'wait-timeout': '30s',
      ...inputs,
    },
    env: { GITHUB_API_URL: github.url, GITHUB_REPOSITORY: github.repository },
    event: exampleEvent('push', (p) => Boolean(p.head_commit)),
    timeoutMs: 60_000,
    ...extra,
  });
}

const secrets = () => [vercel.token, github.token];

describe('preview deploys', () => {
  test('a pull request gets a preview, a ledger entry and one sticky comment updated in place', async () => {
    const event = exampleEvent('pull_request', (p) => p.action === 'opened');
    const number = event.payload.pull_request.number as number;
    // Other people's comments fill more than one page: the sticky comment must be found past page 1.
    github.comments.set(
      number,
      Array.from({ length: 130 }, (_, i) => ({ id: i + 1, body: `comment ${i}`, created_at: '2026-11-01T00:00:00Z' })),
    );

    const first = await deploy(
      { dir: site(6), aliases: 'pr-{{PR_NUMBER}}.preview.example.com' },
      { event, workspace: '/' },
    );
    expect(first.exitCode).toBe(0);
    expect(first.outputs.url).toMatch(/^https:\/\/web-[0-9a-f]+-fake-team\.vercel\.app$/);
    expect(first.outputs['deployment-id']).toMatch(/^dpl_/);
    expect(first.outputs['inspector-url']).toContain('vercel.com/fake-team/web/');
    expect(first.outputs['environment-url']).toBe(`https://pr-${number}.preview.example.com`);
    expect(JSON.parse(first.outputs.release as string)).toMatchObject({
      provider: 'vercel',
      id: first.outputs['deployment-id'],
      state: 'READY',
      target: 'preview',
    });
    expect(first.outputs['uploaded-files']).toBe('6');
    expect(vercel.deployments.get(first.outputs['deployment-id'] as string)?.aliases).toContain(
      `pr-${number}.preview.example.com`,
    );

    const ledger = github.ledger('preview');
    expect(ledger[0]).toMatchObject({ release: first.outputs['deployment-id'], state: 'success' });
    expect(github.deployments[0]?.transient_environment).toBe(true);
    expect(github.deployments[0]?.statuses[0]?.environment_url).toBe(`https://pr-${number}.preview.example.com`);

    const second = await deploy({ dir: site(6, 'v2') }, { event, workspace: '/' });
    expect(second.exitCode).toBe(0);
    const sticky = (github.comments.get(number) ?? []).filter((c) =>
      c.body.includes('<!-- shipline:deploy:preview -->'),
    );
    expect(sticky).toHaveLength(1);
    expect(sticky[0]?.body).toContain(second.outputs.url as string);
    expect(github.comments.get(number)).toHaveLength(131);
    expectNoSecrets(first, secrets());
    expectNoSecrets(second, secrets());
  });

  test('only files Vercel does not have are uploaded', async () => {
    const dir = site(40, 'base');
    const first = await deploy({ dir });
    expect(first.exitCode).toBe(0);
    writeFileSync(join(dir, 'index.html'), '<h1>changed</h1>');
    const before = vercel.uploads.length;
    const second = await deploy({ dir });
    expect(second.exitCode).toBe(0);
    expect(second.outputs['uploaded-files']).toBe('1');
    expect(vercel.uploads.length - before).toBe(1);
  });

  test('on a fork PR the comment degrades to a warning; the deploy still succeeds', async () => {
    github.readOnlyComments = true;
    const event = exampleEvent('pull_request', (p) => p.action === 'opened');
    const result = await deploy({ dir: site(2) }, { event, workspace: '/' });
    expect(result.exitCode).toBe(0);
    expect(warnings(result).join('\n')).toContain('Resource not accessible by integration');
  });
});

describe('production', () => {
  test('staged production leaves the live release live until promote, then the ledger moves', async () => {
    const live = await deploy({ dir: site(3, 'live'), target: 'production' });
    expect(live.exitCode).toBe(0);
    expect(vercel.production()).toBe(live.outputs['deployment-id']);

    const staged = await deploy({ dir: site(3, 'next'), target: 'staged' });
    expect(staged.exitCode).toBe(0);
    expect(staged.outputs['previous-deployment-id']).toBe(live.outputs['deployment-id']);
    expect(vercel.production()).toBe(live.outputs['deployment-id']);
    expect(github.ledger('production').slice(0, 2)).toMatchObject([
      { release: staged.outputs['deployment-id'], state: 'in_progress' },
      { release: live.outputs['deployment-id'], state: 'success' },
    ]);

    const promoted = await deploy({ command: 'promote', 'deployment-id': staged.outputs['deployment-id'] as string });
    expect(promoted.exitCode).toBe(0);
    expect(vercel.production()).toBe(staged.outputs['deployment-id']);
    expect(promoted.outputs['previous-deployment-id']).toBe(live.outputs['deployment-id']);
    expect(github.ledger('production').slice(0, 2)).toMatchObject([
      { release: staged.outputs['deployment-id'], state: 'success' },
      { release: live.outputs['deployment-id'], state: 'inactive' },
    ]);
    expect(promoted.summary).toContain('promoted to production');
  });

  test('a failed build fails the step with Vercel’s reason, keeps production, and still sets outputs', async () => {
    const before = vercel.production();
    vercel.failNextBuild('BUILD_FAILED', 'Command "npm run build" exited with 1');
    const result = await deploy({ dir: site(2, 'broken'), target: 'production' });
    expect(result.exitCode).toBe(1);
    expect(errors(result).join('\n')).toContain(
      'Vercel build failed: BUILD_FAILED: Command "npm run build" exited with 1',
    );
    expect(result.outputs['deployment-id']).toMatch(/^dpl_/);
    expect(result.outputs.url).toMatch(/^https:\/\//);
    expect(result.outputs['inspector-url']).toBeTruthy();
    expect(vercel.production()).toBe(before);
    expect(github.ledger('production')[0]).toMatchObject({
      release: result.outputs['deployment-id'],
      state: 'failure',
    });
  });

  test('a taken alias fails the step (never just a warning)', async () => {
    const result = await deploy({ dir: site(2), aliases: 'taken-domain.example.com' });
    expect(result.exitCode).toBe(1);
    expect(errors(result).join('\n')).toContain('alias_in_use');
    expect(github.ledger('preview')[0]).toMatchObject({ release: result.outputs['deployment-id'], state: 'failure' });
  });
});

describe('retries', () => {
  test('429 on create waits for Retry-After and still makes exactly one deployment', async () => {
    const count = vercel.deployments.size;
    vercel.server.inject(/\/v13\/deployments\?/, {
      kind: 'status',
      status: 429,
      body: '{"error":{"code":"rate_limited","message":"slow down"}}',
      headers: { 'retry-after': '1', 'content-type': 'application/json' },
    });
    const result = await deploy({ dir: site(2) });
    expect(result.exitCode).toBe(0);
    expect(vercel.deployments.size - count).toBe(1);
    expect(result.visibleStdout).toContain('HTTP 429; retrying in 1.0s (Retry-After)');
  });

  test('a create whose answer is lost is found by its key, never created twice', async () => {
    const dir = site(3, 'lost-answer');
    const warm = await deploy({ dir });
    expect(warm.exitCode).toBe(0);
    const count = vercel.deployments.size;
    vercel.server.inject(/\/v13\/deployments\?/, { kind: 'reset-after-handling' });
    const result = await deploy({ dir });
    expect(result.exitCode).toBe(0);
    expect(vercel.deployments.size - count).toBe(1);
  });

  test('5xx and resets while polling are retried', async () => {
    vercel.server.inject(
      /\/v13\/deployments\/dpl_/,
      { kind: 'status', status: 502, body: 'bad gateway' },
      { kind: 'reset' },
    );
    const result = await deploy({ dir: site(2) });
    expect(result.exitCode).toBe(0);
  });
});

describe('inputs and tokens', () => {
  test('without a GitHub token the ledger is off and the log says so', async () => {
    const result = await deploy({ dir: site(2), 'github-token': '' });
    expect(result.exitCode).toBe(0);
    expect(result.visibleStdout).toContain("Release ledger: off (no 'github-token')");
  });

  test('bad inputs are all reported at once; nothing is deployed', async () => {
    const count = vercel.deployments.size;
    const unknown = await runBundle({ action: 'deploy', inputs: { provider: 'heroku' } });
    expect(errors(unknown).join('\n')).toContain(
      "Input 'provider' must be one of vercel, netlify, railway, ecs, supabase-functions, got 'heroku'",
    );
    const result = await runBundle({
      action: 'deploy',
      inputs: { provider: 'vercel', target: 'prod-ish', 'wait-timeout': 'forever', command: 'promote', images: 'web' },
    });
    expect(result.exitCode).toBe(1);
    const message = errors(result).join('\n');
    expect(message).toContain("Input 'token' is required with provider vercel (a Vercel access token)");
    expect(message).toContain("Input 'project' is required with provider vercel");
    expect(message).toContain("Input 'images' must be container=image pairs");
    expect(message).toContain("Input 'target' must be one of preview, staged, production, got 'prod-ish'");
    expect(message).toContain("Input 'wait-timeout' must be a duration");
    expect(message).toContain("Input 'deployment-id' is required with command promote");
    expect(vercel.deployments.size).toBe(count);
  });

  test('a wrong token fails with Vercel’s reason and what to check, and is never printed', async () => {
    const result = await deploy({ dir: site(1), token: 'vercel_wrong_token_value' });
    expect(result.exitCode).toBe(1);
    expect(errors(result).join('\n')).toMatch(/forbidden: Not authorized \(HTTP 403\)\s+Check the Vercel token/);
    expectNoSecrets(result, ['vercel_wrong_token_value', github.token]);
  });
});
