// A Netlify site with auto publishing stopped (its published deploy locked): Netlify builds a production deploy to
// `ready` and does not publish it. deploy must never call such a deploy live; through the bundle, against the
// loopback Netlify (which models the lock) and GitHub (the ledger).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { type RunOptions, runBundle } from '../cli/local-runner.js';
import { type FakeGitHub, startFakeGitHub } from '../cli/sandbox/github.js';
import { type FakeNetlify, startFakeNetlify } from '../cli/sandbox/netlify.js';
import { errors, exampleEvent, expectNoSecrets } from './support.js';

let netlify: FakeNetlify;
let github: FakeGitHub;

beforeAll(async () => {
  netlify = await startFakeNetlify({ processMs: 300 });
  github = await startFakeGitHub();
});
afterAll(async () => {
  await netlify.close();
  await github.close();
});

function site(version: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'netlify-locked-site-'));
  writeFileSync(join(dir, 'index.html'), `<h1>${version}</h1>`);
  return dir;
}

function deploy(inputs: RunOptions['inputs']) {
  return runBundle({
    action: 'deploy',
    inputs: {
      provider: 'netlify',
      token: netlify.token,
      project: netlify.siteId,
      'api-url': netlify.url,
      'github-token': github.token,
      ...inputs,
    },
    env: { GITHUB_API_URL: github.url, GITHUB_REPOSITORY: github.repository },
    event: exampleEvent('push', (p) => Boolean(p.head_commit)),
    timeoutMs: 60_000,
  });
}

describe('netlify: auto publishing stopped (a locked published deploy)', () => {
  let live: string;

  test('a production deploy to a locked site fails naming the lock, before anything is created', async () => {
    const first = await deploy({ dir: site('one'), target: 'production' });
    expect(first.exitCode).toBe(0);
    live = first.outputs['deployment-id'] as string;
    netlify.lockPublished();
    const deploysBefore = netlify.deploys.size;

    const result = await deploy({ dir: site('two'), target: 'production' });
    expect(result.exitCode).toBe(1);
    const message = errors(result).join('\n');
    expect(message).toContain(`has auto publishing stopped (its published deploy ${live} is locked)`);
    expect(message).toContain('Nothing was deployed');
    expect(message).toContain(`POST /api/v1/deploys/${live}/unlock`);
    // Nothing was created, production is untouched, and the ledger's live release is still the first.
    expect(netlify.deploys.size).toBe(deploysBefore);
    expect(netlify.published()).toBe(live);
    expect(result.outputs['deployment-id']).toBeUndefined();
    expect(github.ledger('production')[0]).toMatchObject({ release: live, state: 'success' });
    expectNoSecrets(result, [netlify.token, github.token]);
  });

  test('a preview and a staged deploy are drafts: a lock does not stop them', async () => {
    const staged = await deploy({ dir: site('staged'), target: 'staged' });
    expect(staged.exitCode).toBe(0);
    expect(netlify.published()).toBe(live);
  });

  test('locked while the deploy runs: ready is not live, the step fails naming the lock and records no live release', async () => {
    netlify.deploys.get(live)!.locked = false;
    netlify.lockWhenNextDeployCreated();
    const result = await deploy({ dir: site('three'), target: 'production' });
    expect(result.exitCode).toBe(1);
    const ready = result.outputs['deployment-id'] as string;
    expect(netlify.deploys.get(ready)).toBeDefined();
    const message = errors(result).join('\n');
    expect(message).toContain(`Deploy ${ready} is ready but was not published`);
    expect(message).toContain(`its published deploy ${live} is locked`);
    expect(message).toContain(`run deploy with command promote and deployment-id ${ready}`);
    expect(netlify.published()).toBe(live);
    // The ledger records the deploy as failed; the release live in it is still the one Netlify serves.
    const ledger = github.ledger('production');
    expect(ledger[0]).toMatchObject({ release: ready, state: 'failure' });
    expect(ledger.find((e) => e.state === 'success')).toMatchObject({ release: live });
    expect(result.outputs['environment-url']).toBeUndefined();
  });

  test('publishing through the lock is explicit: promote publishes the ready deploy, and auto publishing stays stopped', async () => {
    const ready = [...netlify.deploys.values()].at(-1)!.id;
    expect(netlify.deploys.get(live)?.locked).toBe(true);
    const promoted = await deploy({ command: 'promote', 'deployment-id': ready });
    expect(promoted.exitCode).toBe(0);
    expect(netlify.published()).toBe(ready);
    expect(github.ledger('production')[0]).toMatchObject({ release: ready, state: 'success' });
    // Netlify's restore unlocks the site; the lock its owner set is put on the deploy now published.
    expect(netlify.deploys.get(ready)?.locked).toBe(true);
    expect(promoted.stdout).toContain(`${ready} is published and locked in turn`);
    const next = await deploy({ dir: site('four'), target: 'production' });
    expect(next.exitCode).toBe(1);
    expect(errors(next).join('\n')).toContain(`its published deploy ${ready} is locked`);
  });
});
