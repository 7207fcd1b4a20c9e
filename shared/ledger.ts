// The release ledger: every deploy is a GitHub Deployment (environment, ref, sha, payload with the provider's
// release and the one it replaced) with statuses in_progress → success / failure / inactive, so the environment
// URL shows in the GitHub UI and rollback knows exactly which release was live before.
//
// "Live" is the newest deployment of the environment whose latest status is success; "previous good" is an older
// one that once reached success and was never marked failure. Neither depends on GitHub's auto_inactive, so the
// answers hold whatever GitHub does with earlier statuses.
//
// Two facts of GitHub's API the ledger does not leave to chance:
// - auto_inactive only inactivates prior non-transient, non-production deployments: a production deployment is
//   never marked inactive for us. So when a production deployment turns success, the ledger itself marks the
//   one(s) it replaced inactive, and the Deployments page shows one active production release.
// - The order of a deployment's statuses in GitHub's answer is not documented: the latest status is found by
//   sorting on created_at, then id (statuses created in the same second).
import { type GitHubClient, createGitHubClient, splitRepository } from './github.js';
import { info } from './runner.js';
import type { Release } from './providers/provider.js';

export type DeploymentState = 'error' | 'failure' | 'inactive' | 'in_progress' | 'queued' | 'pending' | 'success';

export interface ReleasePayload {
  shipline: 1;
  release: Release;
  /** What was live in the environment when this release was deployed. */
  previous?: Release;
  /** Set on the ledger entry a rollback writes: what it replaced, and why. */
  rollback?: { from: Release; reason?: string };
}

export interface LedgerEntry {
  /** GitHub's deployment id. */
  id: number;
  sha: string;
  ref: string;
  environment: string;
  createdAt: string;
  payload: ReleasePayload;
  /** The latest status. */
  state: DeploymentState | undefined;
  /** Whether any status was success. */
  everSucceeded: boolean;
  everFailed: boolean;
}

/** What the ledger knows of a deployment it read or wrote, to find the ones a new live release replaces. */
interface Known {
  environment: string;
  production: boolean;
  state: DeploymentState | undefined;
  releaseId: string;
}

interface StatusLike {
  id: number;
  state: string;
  created_at: string;
}

/** The statuses oldest first, whatever order GitHub answered in: by created_at, then id. */
export function chronological<T extends StatusLike>(statuses: readonly T[]): T[] {
  return [...statuses].sort((a, b) => Date.parse(a.created_at) - Date.parse(b.created_at) || a.id - b.id);
}

/** GitHub caps a status description at 140 characters. */
function description(text: string): string {
  return text.length > 140 ? `${text.slice(0, 139)}…` : text;
}

export class Ledger {
  private readonly owner: string;
  private readonly repo: string;
  private readonly known = new Map<number, Known>();
  private readonly read = new Set<string>();

  constructor(
    private readonly github: GitHubClient,
    repository: string,
  ) {
    ({ owner: this.owner, repo: this.repo } = splitRepository(repository));
  }

  /** Records a release as a new deployment of `environment`, in progress. */
  async record(options: {
    release: Release;
    previous?: Release;
    rollback?: ReleasePayload['rollback'];
    environment: string;
    sha: string;
    ref: string;
    production: boolean;
    transient: boolean;
    description: string;
    logUrl?: string;
  }): Promise<number> {
    const payload: ReleasePayload = { shipline: 1, release: options.release, previous: options.previous, rollback: options.rollback };
    const { data } = await this.github.rest.repos.createDeployment({
      owner: this.owner,
      repo: this.repo,
      ref: options.sha,
      environment: options.environment,
      auto_merge: false,
      required_contexts: [],
      production_environment: options.production,
      transient_environment: options.transient,
      payload: payload as unknown as Record<string, unknown>,
      description: description(options.description),
    });
    const id = (data as { id: number }).id;
    this.known.set(id, { environment: options.environment, production: options.production, state: undefined, releaseId: options.release.id });
    await this.setStatus(id, 'in_progress', { description: options.description, logUrl: options.logUrl });
    return id;
  }

  /**
   * Adds a status. A production deployment that turns success retires the release(s) it replaced: they get an
   * `inactive` status, which GitHub's auto_inactive never adds to production deployments.
   */
  async setStatus(id: number, state: DeploymentState, options: { description?: string; environmentUrl?: string; logUrl?: string } = {}): Promise<void> {
    await this.postStatus(id, state, options);
    const self = this.known.get(id);
    if (self) self.state = state;
    if (state !== 'success' || !self?.production) return;
    if (!this.read.has(self.environment)) await this.entries(self.environment);
    for (const [otherId, other] of this.known) {
      if (otherId === id || other.environment !== self.environment || !other.production || other.state !== 'success') continue;
      await this.postStatus(otherId, 'inactive', { description: `replaced by ${self.releaseId}` });
      other.state = 'inactive';
    }
  }

  private async postStatus(id: number, state: DeploymentState, options: { description?: string; environmentUrl?: string; logUrl?: string }): Promise<void> {
    await this.github.rest.repos.createDeploymentStatus({
      owner: this.owner,
      repo: this.repo,
      deployment_id: id,
      state,
      description: options.description ? description(options.description) : undefined,
      environment_url: options.environmentUrl,
      log_url: options.logUrl,
      auto_inactive: state === 'success',
    });
  }

  /** The environment's deployments made by shipline, newest first, with their status history (at most `limit`). */
  async entries(environment: string, limit = 30): Promise<LedgerEntry[]> {
    const { data } = await this.github.rest.repos.listDeployments({ owner: this.owner, repo: this.repo, environment, per_page: Math.min(limit, 100) });
    const entries: LedgerEntry[] = [];
    for (const d of data) {
      const payload = (typeof d.payload === 'string' ? safeJson(d.payload) : d.payload) as ReleasePayload | undefined;
      if (payload?.shipline !== 1) continue;
      const statuses = chronological(
        await this.github.paginate(this.github.rest.repos.listDeploymentStatuses, { owner: this.owner, repo: this.repo, deployment_id: d.id, per_page: 100 }),
      );
      const state = statuses.at(-1)?.state as DeploymentState | undefined;
      // GitHub's own default when the flag was not sent: production when the environment is named production.
      const production = d.production_environment ?? d.environment === 'production';
      this.known.set(d.id, { environment: d.environment, production, state, releaseId: payload.release.id });
      entries.push({
        id: d.id,
        sha: d.sha,
        ref: d.ref,
        environment: d.environment,
        createdAt: d.created_at,
        payload,
        state,
        everSucceeded: statuses.some((s) => s.state === 'success'),
        everFailed: statuses.some((s) => s.state === 'failure' || s.state === 'error'),
      });
    }
    this.read.add(environment);
    return entries.sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id - a.id);
  }

  static live(entries: LedgerEntry[]): LedgerEntry | undefined {
    return entries.find((e) => e.state === 'success');
  }

  /** The newest release older than `live` that was good (reached success, never failed) and is not live itself. */
  static previousGood(entries: LedgerEntry[], live: LedgerEntry | undefined): LedgerEntry | undefined {
    const start = live ? entries.indexOf(live) + 1 : 0;
    return entries.slice(start).find((e) => e.everSucceeded && !e.everFailed && e.payload.release.id !== live?.payload.release.id);
  }

  static byProviderId(entries: LedgerEntry[], id: string): LedgerEntry | undefined {
    return entries.find((e) => e.payload.release.id === id);
  }

  static bySha(entries: LedgerEntry[], sha: string): LedgerEntry | undefined {
    return entries.find((e) => e.sha.startsWith(sha) && e.everSucceeded && !e.everFailed);
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The ledger of this repository, or undefined (said in the log) when there is no token to keep one with. */
export async function openLedger(options: { token: string; apiUrl: string; repository: string }): Promise<Ledger | undefined> {
  if (!options.token || !options.repository) {
    info("Release ledger: off (no 'github-token'); the previous release comes from the provider's own history.");
    return undefined;
  }
  return new Ledger(await createGitHubClient({ token: options.token, apiUrl: options.apiUrl }), options.repository);
}
