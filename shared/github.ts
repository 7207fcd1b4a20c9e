// An Octokit for the GitHub REST API (the release ledger, PR comments), loaded lazily and given the shared
// retrying fetch so 429/403 rate limits wait for Retry-After and every request has a timeout.
import type { Octokit } from '@octokit/rest';
import { retryingFetch } from './http.js';

export type GitHubClient = Octokit;

export async function createGitHubClient(options: { token: string; apiUrl: string; timeoutMs?: number }): Promise<GitHubClient> {
  const { Octokit } = await import('@octokit/rest');
  return new Octokit({
    auth: options.token,
    baseUrl: options.apiUrl.replace(/\/$/, ''),
    userAgent: 'shipline',
    request: { fetch: retryingFetch({ label: 'GitHub API', timeoutMs: options.timeoutMs ?? 30_000 }) },
    log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
  });
}

export function splitRepository(repository: string): { owner: string; repo: string } {
  const [owner = '', repo = ''] = repository.split('/');
  return { owner, repo };
}
