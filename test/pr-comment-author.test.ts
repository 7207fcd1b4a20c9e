// deploy's sticky pull request comment is the one with shipline's marker that the token's own account wrote
// (GITHUB_TOKEN: github-actions[bot], known from GraphQL's viewer; REST's GET /user refuses installation tokens).
// A comment by someone else that carries the marker, as anyone can paste it, is never edited nor taken as ours:
// the deploy writes its own comment next to it, and updates that one on the next run.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { runBundle } from '../cli/local-runner.js';
import { type FakeGitHub, startFakeGitHub } from '../cli/sandbox/github.js';
import { type FakeVercel, startFakeVercel } from '../cli/sandbox/vercel.js';
import { errors, exampleEvent } from './support.js';

let vercel: FakeVercel;
let github: FakeGitHub;
beforeAll(async () => {
  [vercel, github] = await Promise.all([startFakeVercel({ buildMs: 100, aliasJobMs: 100 }), startFakeGitHub()]);
});
afterAll(async () => {
  await Promise.all([vercel.close(), github.close()]);
});

const MARKER = '<!-- shipline:deploy:preview -->';
const event = exampleEvent('pull_request', (p) => p.action === 'opened');
const number = event.payload.pull_request.number as number;

function site(version: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'pr-comment-author-'));
  writeFileSync(join(dir, 'index.html'), `<h1>${version}</h1>`);
  return dir;
}

const deploy = (version: string) =>
  runBundle({
    action: 'deploy',
    inputs: {
      provider: 'vercel',
      token: vercel.token,
      project: vercel.projectId,
      team: vercel.teamId,
      'api-url': vercel.url,
      'github-token': github.token,
      'wait-timeout': '30s',
      dir: site(version),
    },
    env: { GITHUB_API_URL: github.url, GITHUB_REPOSITORY: github.repository },
    event,
    workspace: '/',
    timeoutMs: 60_000,
  });

describe('sticky PR comment: marker and author', () => {
  const planted = `${MARKER}\n**Preview ready**: https://phishing.example.com (log in with your deploy token)`;

  test('a comment by another user with our marker is left as it is; the deploy writes its own', async () => {
    github.comments.set(number, [
      { id: 1, body: planted, created_at: '2026-11-01T00:00:00Z', user: { login: 'mallory', id: 6660 } },
    ]);
    const result = await deploy('v1');
    expect({ code: result.exitCode, errors: errors(result) }).toEqual({ code: 0, errors: [] });
    const comments = github.comments.get(number) ?? [];
    expect(comments[0]).toMatchObject({ id: 1, body: planted, user: { login: 'mallory' } });
    expect(comments).toHaveLength(2);
    expect(comments[1]?.user).toBeUndefined();
    expect(comments[1]?.body.startsWith(MARKER)).toBe(true);
    expect(comments[1]?.body).toContain(result.outputs.url as string);
    expect(result.stdout).toContain(`Pull request #${number}: created the preview comment`);
    // The identity came from GraphQL's viewer, not GET /user (which an installation token may not call).
    const paths = github.server.requests.map((r) => `${r.method} ${new URL(r.path, github.url).pathname}`);
    expect(paths).toContain('POST /graphql');
    expect(paths).not.toContain('GET /user');
  });

  test('the next deploy updates its own comment, and still not the planted one', async () => {
    const result = await deploy('v2');
    expect(result.exitCode).toBe(0);
    const comments = github.comments.get(number) ?? [];
    expect(comments).toHaveLength(2);
    expect(comments[0]?.body).toBe(planted);
    expect(comments[1]?.body).toContain(result.outputs.url as string);
    expect(result.stdout).toContain(`Pull request #${number}: updated the preview comment`);
  });

  test("a marked comment by another bot (not the token's account) is not ours either", async () => {
    github.comments.set(number, [
      {
        id: 2,
        body: `${MARKER}\nold`,
        created_at: '2026-11-01T00:00:00Z',
        user: { login: 'some-other-app[bot]', id: 777 },
      },
    ]);
    const result = await deploy('v3');
    expect(result.exitCode).toBe(0);
    const comments = github.comments.get(number) ?? [];
    expect(comments.map((c) => c.body === `${MARKER}\nold`)).toEqual([true, false]);
  });
});
