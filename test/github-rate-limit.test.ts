// GitHub rate limits through the real client (getOctokit with @octokit/plugin-throttling and plugin-retry) against
// the loopback GitHub, which answers 403 as GitHub does: a used-up primary limit with x-ratelimit-remaining: 0 and
// x-ratelimit-reset, a secondary limit with retry-after. The ledger waits out a short limit and goes on; a limit
// longer than shipline waits fails at once with a sentence saying when it resets.
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { type FakeGitHub, startFakeGitHub } from '../cli/sandbox/github.js';
import { createGitHubClient, MAX_RATE_LIMIT_RETRIES, type RateLimitWait, shouldWait } from '../shared/github.js';
import { Ledger } from '../shared/ledger.js';
import type { Release } from '../shared/providers/provider.js';

let github: FakeGitHub;
/** The rate-limit waits the client decided on, as it decided them. */
let waits: RateLimitWait[];
beforeEach(async () => {
  github = await startFakeGitHub();
  waits = [];
});
afterEach(() => github.close());

const release: Release = {
  provider: 'vercel',
  id: 'dpl_rate',
  url: 'https://dpl-rate.example.com',
  target: 'production',
  state: 'READY',
};
const entry = {
  release,
  environment: 'production',
  sha: 'a'.repeat(40),
  ref: 'main',
  production: true,
  transient: false,
  description: 'rate',
};

async function ledger(): Promise<Ledger> {
  return new Ledger(
    await createGitHubClient({ token: github.token, apiUrl: github.url, onRateLimitWait: (wait) => waits.push(wait) }),
    github.repository,
  );
}

describe('GitHub rate limits', () => {
  test('a primary limit (403, x-ratelimit-remaining: 0) is waited out until x-ratelimit-reset, then the write lands once', async () => {
    const l = await ledger();
    github.exhaustRateLimit(2);
    const id = await l.record(entry);
    // One wait, of at least the two seconds to the reset, and one refusal: the retry after it was not refused, so
    // the wait covered the reset (a retry before it would have met a second 403 and a second wait).
    expect(waits).toEqual([{ kind: 'primary', seconds: expect.any(Number), retry: 1 }]);
    expect(waits[0]?.seconds).toBeGreaterThanOrEqual(2);
    expect(github.rateLimited).toBe(1);
    expect(github.deployments.map((d) => d.id)).toEqual([id]);
  }, 30_000);

  test('a secondary limit (403 with retry-after) is waited out for retry-after, then the write lands once', async () => {
    const l = await ledger();
    github.secondaryRateLimit(2);
    const id = await l.record(entry);
    // The wait asked for is GitHub's retry-after (the seconds still to go when it answered), and the retry after
    // it was not refused.
    expect(waits).toEqual([{ kind: 'secondary', seconds: expect.any(Number), retry: 1 }]);
    expect(waits[0]?.seconds).toBeGreaterThanOrEqual(1);
    expect(waits[0]?.seconds).toBeLessThanOrEqual(2);
    expect(github.rateLimited).toBe(1);
    expect(github.deployments.map((d) => d.id)).toEqual([id]);
  }, 30_000);

  test('a primary limit that resets in an hour fails now, with a sentence saying when it resets', async () => {
    const l = await ledger();
    github.exhaustRateLimit(3600);
    const failure = await l.record(entry).then(
      () => undefined,
      (error: Error) => error,
    );
    // Now: no wait was taken and the request was not tried again.
    expect(waits).toEqual([]);
    expect(github.rateLimited).toBe(1);
    expect(failure?.message).toMatch(
      /^GitHub API: creating the deployment record failed: GitHub answered 403 to POST .*deployments: the token's API rate limit is used up and resets at \S+ \(in 3\d\d\d s\); that is longer than shipline waits\. GitHub said: API rate limit exceeded/,
    );
    expect(github.deployments).toEqual([]);
  }, 30_000);

  test('a secondary limit longer than the cap fails now, naming its retry-after', async () => {
    const l = await ledger();
    github.secondaryRateLimit(300);
    const failure = await l.record(entry).then(
      () => undefined,
      (error: Error) => error,
    );
    expect(failure?.message).toMatch(
      /secondary rate limit, to be retried after 300 s; that is longer than shipline waits/,
    );
    expect(waits).toEqual([]);
    expect(github.rateLimited).toBe(1);
  }, 30_000);

  test('every wait has a bound: at most 60 s, at most twice per request', () => {
    expect(shouldWait(60, 0)).toBe(true);
    expect(shouldWait(61, 0)).toBe(false);
    expect(shouldWait(1, MAX_RATE_LIMIT_RETRIES - 1)).toBe(true);
    expect(shouldWait(1, MAX_RATE_LIMIT_RETRIES)).toBe(false);
  });
});
