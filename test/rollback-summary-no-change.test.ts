// A rollback that changes nothing says one true thing: "no change", with the reason it was asked for labelled as a
// request (the pipeline writes "rolled back after promotion: …" before the rollback runs), never as an outcome.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { runBundle } from '../cli/local-runner.js';
import { type FakeGitHub, startFakeGitHub } from '../cli/sandbox/github.js';
import { type FakeVercel, startFakeVercel } from '../cli/sandbox/vercel.js';
import { exampleEvent } from './support.js';

let vercel: FakeVercel;
let github: FakeGitHub;
beforeAll(async () => {
  vercel = await startFakeVercel({ buildMs: 100, aliasJobMs: 100 });
  github = await startFakeGitHub();
});
afterAll(async () => {
  await vercel.close();
  await github.close();
});

test('a failed release that is not live: "no change", and the pipeline\'s reason is what was asked for', async () => {
  const provider = {
    provider: 'vercel',
    token: vercel.token,
    project: vercel.projectId,
    team: vercel.teamId,
    'api-url': vercel.url,
  };
  const env = { GITHUB_API_URL: github.url, GITHUB_REPOSITORY: github.repository };
  const dir = mkdtempSync(join(tmpdir(), 'site-'));
  writeFileSync(join(dir, 'index.html'), '<h1>v1</h1>');
  const live = await runBundle({
    action: 'deploy',
    inputs: { ...provider, dir, target: 'production', 'github-token': github.token },
    env,
    event: exampleEvent('push', (p) => Boolean(p.head_commit)),
  });
  const staged = await runBundle({
    action: 'deploy',
    inputs: { ...provider, dir, target: 'staged', 'github-token': github.token },
    env,
    event: exampleEvent('push', (p) => Boolean(p.head_commit)),
  });
  expect([live.exitCode, staged.exitCode]).toEqual([0, 0]);
  const result = await runBundle({
    action: 'rollback',
    inputs: {
      ...provider,
      'github-token': github.token,
      verify: 'false',
      'failed-deployment-id': staged.outputs['deployment-id'] as string,
      reason: 'rolled back after promotion: 5xx rate 12%',
    },
    env,
    event: { name: 'workflow_dispatch', payload: { inputs: {} } },
  });
  expect(result.exitCode).toBe(0);
  expect(result.outputs['changed']).toBe('false');
  expect(result.summary).toContain('| Outcome | no change');
  expect(result.summary).toContain('| Asked for because | rolled back after promotion: 5xx rate 12% |');
  expect(result.summary).not.toContain('| Reason |');
});
