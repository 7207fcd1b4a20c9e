// A rollback to a commit restores the newest good release built from it: a commit deployed twice (a re-run, a
// redeploy after a config change) has an older release whose build may differ. Both ways of finding it are held to
// this: the ledger's entries, and the provider's own history when there is no ledger.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { runBundle } from '../cli/local-runner.js';
import { type FakeGitHub, startFakeGitHub } from '../cli/sandbox/github.js';
import { type FakeNetlify, startFakeNetlify } from '../cli/sandbox/netlify.js';
import { exampleEvent } from './support.js';

let netlify: FakeNetlify;
let github: FakeGitHub;

beforeAll(async () => {
  netlify = await startFakeNetlify({ processMs: 100 });
  github = await startFakeGitHub();
});
afterAll(async () => {
  await netlify.close();
  await github.close();
});

function site(version: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'newest-site-'));
  writeFileSync(join(dir, 'index.html'), `<h1>${version}</h1>`);
  return dir;
}

const commit = (n: number) => n.toString(16).padStart(2, '0').repeat(20);
const env = (sha: string) => ({ GITHUB_API_URL: github.url, GITHUB_REPOSITORY: github.repository, GITHUB_SHA: sha });
const onNetlify = (environment: string, githubToken: string) => ({
  provider: 'netlify',
  token: netlify.token,
  project: netlify.siteId,
  'api-url': netlify.url,
  'github-token': githubToken,
  environment,
});

async function deploy(environment: string, githubToken: string, sha: string, version: string): Promise<string> {
  const result = await runBundle({
    action: 'deploy',
    inputs: { ...onNetlify(environment, githubToken), dir: site(version), target: 'production', 'wait-timeout': '30s' },
    env: env(sha),
    event: exampleEvent('push', (p) => Boolean(p.head_commit)),
    timeoutMs: 60_000,
  });
  expect(result.exitCode).toBe(0);
  return result.outputs['deployment-id'] as string;
}

async function rollbackTo(environment: string, githubToken: string, sha: string) {
  const result = await runBundle({
    action: 'rollback',
    inputs: { ...onNetlify(environment, githubToken), target: `sha:${sha}`, verify: 'false' },
    env: env(commit(99)),
    event: { name: 'workflow_dispatch', payload: { inputs: {} } },
    timeoutMs: 60_000,
  });
  expect(result.exitCode).toBe(0);
  return result;
}

describe('rollback to a commit deployed twice restores its newest release', () => {
  test.each([
    ['from the ledger', 'ledger-newest', () => github.token],
    ["from Netlify's own history (no ledger)", 'history-newest', () => ''],
  ])(
    '%s',
    async (_how, environment, token) => {
      await deploy(environment, token(), commit(1), 'a, first build');
      const newer = await deploy(environment, token(), commit(1), 'a, second build');
      await deploy(environment, token(), commit(2), 'b');
      const result = await rollbackTo(environment, token(), commit(1));
      expect(result.outputs['restored-deployment-id']).toBe(newer);
      expect(netlify.published()).toBe(newer);
    },
    180_000,
  );
});
