// @octokit/rest, GitHub's official REST client, is the judge of the GitHub fake: it does the ledger's and the
// sticky comment's jobs on its own, with no shipline code in between — its paginator following the fake's Link
// headers, its answers read as GitHub documents them. shipline itself talks to GitHub through @actions/github's
// getOctokit (shared/github.ts); this file proves the fake that code is tested against is GitHub-shaped.
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { Octokit } from '@octokit/rest';
import { type FakeGitHub, startFakeGitHub } from '../cli/sandbox/github.js';

let github: FakeGitHub;
let octokit: Octokit;
let owner: string;
let repo: string;

beforeAll(async () => {
  github = await startFakeGitHub();
  [owner = '', repo = ''] = github.repository.split('/');
  octokit = new Octokit({
    auth: github.token,
    baseUrl: github.url,
    log: { debug() {}, info() {}, warn() {}, error() {} },
  });
});
afterAll(() => github.close());

async function createDeployment(
  environment: string,
  extra: { production_environment?: boolean; payload?: Record<string, unknown> } = {},
): Promise<number> {
  const { data, status } = await octokit.rest.repos.createDeployment({
    owner,
    repo,
    ref: 'main',
    environment,
    auto_merge: false,
    required_contexts: [],
    ...extra,
  });
  expect(status).toBe(201);
  return (data as { id: number }).id;
}

async function states(deploymentId: number): Promise<string[]> {
  const statuses = await octokit.paginate(octokit.rest.repos.listDeploymentStatuses, {
    owner,
    repo,
    deployment_id: deploymentId,
    per_page: 100,
  });
  return [...statuses].sort((a, b) => b.id - a.id).map((s) => s.state);
}

test('deployments: the paginator collects every page, newest first, payloads as sent', async () => {
  const ids: number[] = [];
  for (let n = 0; n < 5; n++) ids.push(await createDeployment('paged', { payload: { n } }));
  const all = await octokit.paginate(octokit.rest.repos.listDeployments, {
    owner,
    repo,
    environment: 'paged',
    per_page: 2,
  });
  expect(all.map((d) => d.id)).toEqual([...ids].reverse());
  expect(all.map((d) => (d.payload as { n: number }).n)).toEqual([4, 3, 2, 1, 0]);
});

test('statuses: a success retires the prior non-production deployment of the environment (auto_inactive)', async () => {
  const first = await createDeployment('staging-octokit', { production_environment: false });
  await octokit.rest.repos.createDeploymentStatus({
    owner,
    repo,
    deployment_id: first,
    state: 'success',
    environment_url: 'https://first.example.test',
  });
  const second = await createDeployment('staging-octokit', { production_environment: false });
  await octokit.rest.repos.createDeploymentStatus({ owner, repo, deployment_id: second, state: 'success' });
  expect(await states(first)).toEqual(['inactive', 'success']);
  expect(await states(second)).toEqual(['success']);
});

test('statuses: a production deployment is never retired for the client (GitHub leaves that to it)', async () => {
  const first = await createDeployment('production-octokit', { production_environment: true });
  await octokit.rest.repos.createDeploymentStatus({ owner, repo, deployment_id: first, state: 'success' });
  const second = await createDeployment('production-octokit', { production_environment: true });
  await octokit.rest.repos.createDeploymentStatus({ owner, repo, deployment_id: second, state: 'success' });
  expect(await states(first)).toEqual(['success']);
});

test('statuses: an unknown state and a description over 140 characters are refused with 422, as GitHub does', async () => {
  const id = await createDeployment('validation-octokit');
  await expect(
    octokit.rest.repos.createDeploymentStatus({ owner, repo, deployment_id: id, state: 'done' as 'success' }),
  ).rejects.toMatchObject({ status: 422 });
  await expect(
    octokit.rest.repos.createDeploymentStatus({
      owner,
      repo,
      deployment_id: id,
      state: 'success',
      description: 'x'.repeat(141),
    }),
  ).rejects.toMatchObject({ status: 422 });
  expect(await states(id)).toEqual([]);
});

test('issue comments: created, found across pages, updated in place', async () => {
  const created: number[] = [];
  for (const body of ['one', 'two', 'three'])
    created.push((await octokit.rest.issues.createComment({ owner, repo, issue_number: 7, body })).data.id);
  const listed = await octokit.paginate(octokit.rest.issues.listComments, {
    owner,
    repo,
    issue_number: 7,
    per_page: 2,
  });
  expect(listed.map((c) => c.body)).toEqual(['one', 'two', 'three']);
  await octokit.rest.issues.updateComment({ owner, repo, comment_id: created[1] ?? 0, body: 'two, edited' });
  const again = await octokit.paginate(octokit.rest.issues.listComments, {
    owner,
    repo,
    issue_number: 7,
    per_page: 100,
  });
  expect(again.map((c) => c.body)).toEqual(['one', 'two, edited', 'three']);
});

test('a wrong token is refused with 401 Bad credentials', async () => {
  const stranger = new Octokit({
    auth: 'ghs_not-the-token',
    baseUrl: github.url,
    log: { debug() {}, info() {}, warn() {}, error() {} },
  });
  await expect(stranger.rest.repos.listDeployments({ owner, repo })).rejects.toMatchObject({ status: 401 });
});
