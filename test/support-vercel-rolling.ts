// The loopback Vercel the rolling-release tests deploy to (a fresh one per test, closed after it), a static site
// per deploy, and the deploy bundle run against it as a push would run it.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from '@jest/globals';
import { type RunOptions, runBundle } from '../cli/local-runner.js';
import type { FakeGitHub } from '../cli/sandbox/github.js';
import { type FakeVercel, startFakeVercel } from '../cli/sandbox/vercel.js';
import { exampleEvent } from './support.js';

/**
 * A starter of loopback Vercels for the calling test file: builds take 300 ms and each rolling stage's shift 200 ms;
 * every one started in a test is closed after it.
 */
export function rollingVercels(): () => Promise<FakeVercel> {
  const started: FakeVercel[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((f) => f.close()));
  });
  return async () => {
    const on = await startFakeVercel({ buildMs: 300, aliasJobMs: 200, aliasAssignMs: 100, stageShiftMs: 200 });
    started.push(on);
    return on;
  };
}

let sites = 0;
/** A folder holding a one-page site of its own (so each deploy uploads a new file). */
export function staticSite(): string {
  const dir = mkdtempSync(join(tmpdir(), 'rolling-site-'));
  writeFileSync(join(dir, 'index.html'), `<h1>site ${++sites} ${dir}</h1>`);
  return dir;
}

/** The deploy bundle shipping a new site to production on `on`, its ledger on `github`; `inputs` override. */
export function deployToVercel(
  on: FakeVercel,
  github: FakeGitHub,
  environment: string,
  inputs: RunOptions['inputs'],
  options: Partial<RunOptions> = {},
): ReturnType<typeof runBundle> {
  return runBundle({
    action: 'deploy',
    inputs: {
      provider: 'vercel',
      token: on.token,
      project: on.projectId,
      team: on.teamId,
      'api-url': on.url,
      'github-token': github.token,
      environment,
      target: 'production',
      'wait-timeout': '30s',
      dir: staticSite(),
      ...inputs,
    },
    event: exampleEvent('push', (p) => Boolean(p.head_commit)),
    timeoutMs: 90_000,
    ...options,
    env: { GITHUB_API_URL: github.url, GITHUB_REPOSITORY: github.repository, ...options.env },
  });
}
