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
//
// The ledger can fall behind the provider: a write that fails after the provider acted. So it is never trusted
// alone: release-choice.ts compares it with what the provider says is live and names the writes that complete it
// (ledger-settle.ts makes them). This class only reads and writes GitHub; which entry is live, good or restored
// is decided in release-choice.ts.
// Writes are retried; a create is idempotent by its key (looked up before it is sent again, and duplicates that a
// retried POST made anyway are folded together when read).
import { randomUUID } from 'node:crypto';
import { NetworkError, ShiplineError } from './errors.js';
import { classifyNetworkError, sleep } from './http.js';
import { type GitHubClient, GitHubRateLimitError, createGitHubClient, splitRepository, waitsFor } from './github.js';
import { info } from './runner.js';
import type { Release } from './providers/provider.js';
import type { SchemaChange } from './schema-changes.js';
import { excerpt } from './sanitise.js';
import { smallest } from './collections.js';
import { commitLookupOrder, goodOfCommit, isGood, newestFirst, newestOfCommit } from './release-choice.js';

export type DeploymentState = 'error' | 'failure' | 'inactive' | 'in_progress' | 'queued' | 'pending' | 'success';

export interface ReleasePayload {
  shipline: 1;
  /** The writer's key: one per record() call, the same across its retries (see `record`). */
  key?: string;
  release: Release;
  /** What was live in the environment when this release was deployed. */
  previous?: Release;
  /** Set on the ledger entry a rollback writes: what it replaced, and why. */
  rollback?: {
    from: Release;
    reason?: string;
    /**
     * Set when the release taken out was named by its commit (rollback's failed-commit: the pipeline's safety
     * net, which runs without the outputs of a job that was cancelled, timed out or lost its runner).
     */
    failedCommit?: string;
    /** Set when the rollback went past contract migrations on purpose: input allow-schema-ahead's reason. */
    schemaAhead?: string;
    /** The migrations a migrate-down rollback reverted with their down scripts before the switch, newest first. */
    migratedDown?: string[];
  };
  /** Set when the ledger found this release live at the provider without an entry, and added one. */
  adopted?: boolean;
  /**
   * The contract migrations this release's pipeline applied (migrate's `contract-migrations`): a rollback to a
   * release older than this one would run it against a schema it does not know.
   */
  schema?: { contract: SchemaChange[] };
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

interface DeploymentLike {
  id: number;
  sha: string;
  ref: string;
  environment: string;
  created_at: string;
  payload: unknown;
  production_environment?: boolean;
}

/** The statuses oldest first, whatever order GitHub answered in: by created_at, then id. */
export function chronological<T extends StatusLike>(statuses: readonly T[]): T[] {
  return [...statuses].sort((a, b) => Date.parse(a.created_at) - Date.parse(b.created_at) || a.id - b.id);
}

/** GitHub caps a status description at 140 characters. */
function description(text: string): string {
  return excerpt(text, 140);
}

// ---------------------------------------------------------------------------------------------------------------
// GitHub's failures as sentences

interface OctokitLikeError {
  status?: number;
  message?: string;
  response?: { status?: number; data?: unknown; headers?: Record<string, string | undefined> };
  cause?: unknown;
}

/** A GitHub API call that failed: the operation, GitHub's own message, and what to do about it. */
export class GitHubApiError extends ShiplineError {
  readonly status?: number;
  /** Whether sending it again may succeed (no answer, 5xx, 429). */
  readonly transient: boolean;
  /**
   * Whether GitHub is unavailable rather than refusing: no answer, 5xx, 429, or a rate limit longer than the
   * client waits. A refusal (401, a 403 that is not a rate limit, 404, 422) will not change by waiting.
   */
  readonly unavailable: boolean;
  constructor(operation: string, error: unknown) {
    const e = (error ?? {}) as OctokitLikeError;
    const status = e.response?.status;
    const data = e.response?.data as { message?: unknown } | string | undefined;
    const ghMessage = typeof data === 'string' ? data : typeof data?.message === 'string' ? data.message : undefined;
    const network =
      e.cause instanceof ShiplineError
        ? e.cause.message.replace(/^GitHub API: /, '')
        : e.cause && !e.response
          ? noAnswer(e.cause)
          : undefined;
    // A rate limit the client would not wait out (shared/github.ts) arrives as a sentence already: it keeps it, and
    // is final — the client has waited all a step may wait, so trying again here would only wait longer.
    const decided = error instanceof ShiplineError && !(error instanceof GitHubApiError) ? error : undefined;
    const detail = decided
      ? decided.message
      : status
        ? `HTTP ${status} ${ghMessage ?? ''}`.trim()
        : (network ?? (e.message || String(error)).replace(/^GitHub API: /, ''));
    super(`GitHub API: ${operation} failed: ${decided ? detail : detail.split('\n')[0]}`, {
      cause: error,
      hint: decided ? decided.hint : hintFor(status, ghMessage, e.response?.headers),
    });
    this.name = 'GitHubApiError';
    this.status = status;
    this.transient =
      !decided &&
      (status === undefined ||
        status >= 500 ||
        status === 429 ||
        (status === 403 && e.response?.headers?.['x-ratelimit-remaining'] === '0'));
    this.unavailable = this.transient || decided instanceof GitHubRateLimitError;
  }
}

/** What happened to a request that got no answer, in words (Octokit's own message for it is often "Unknown Error"). */
function noAnswer(cause: unknown): string {
  const { kind, detail } = classifyNetworkError(cause);
  return new NetworkError('no answer', kind, detail).message;
}

function hintFor(
  status: number | undefined,
  message: string | undefined,
  headers: Record<string, string | undefined> | undefined,
): string | undefined {
  if (status === 401)
    return "The 'github-token' was refused: pass the job's GITHUB_TOKEN (secrets.GITHUB_TOKEN) or a valid token.";
  if (status === 403 && headers?.['x-ratelimit-remaining'] === '0')
    return 'GitHub rate limit reached: re-run the job after the limit resets.';
  if (status === 403)
    return `The token may not write deployments${message ? ` (${message})` : ''}: give the job \`permissions: deployments: write\` (with \`contents: read\`), or pass a token that can.`;
  if (status === 404)
    return "GitHub does not show this repository to the token: check GITHUB_REPOSITORY and the token's access.";
  if (status === undefined || status >= 500)
    return 'GitHub did not answer: see https://www.githubstatus.com and re-run the job.';
  return undefined;
}

/**
 * Retries belong to the GitHub client (@octokit/plugin-retry, shared/github.ts) for every request that is safe to
 * send again: reads, and status writes (the same status twice is harmless), which opt in with this many retries.
 * The client never resends a POST on its own, so the one write it cannot retry — creating the record — has its own
 * loop below, because only the ledger knows how to look a lost create up by its key first.
 */
const STATUS_WRITE_RETRIES = 2;

/** How often creating the record is tried after a transient failure (no answer, 5xx, 429); the waits between are waitsFor's. */
const LEDGER_CREATE_ATTEMPTS = 3;

/** How many of a commit's deployments `goodOfCommit` reads the statuses of: one per run attempt, newest first. */
const COMMIT_LOOKUP_ENTRIES = 10;

/** Runs one GitHub call; a failure ends as a GitHubApiError naming `operation` (the client has already retried it). */
async function described<T>(operation: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw error instanceof GitHubApiError ? error : new GitHubApiError(operation, error);
  }
}

/** Runs the keyed create (given the attempt number), trying again after a transient failure. */
async function createWithRetry<T>(
  operation: string,
  delaysMs: readonly number[],
  call: (attempt: number) => Promise<T>,
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await described(operation, () => call(attempt));
    } catch (error) {
      const failure = error as GitHubApiError;
      if (!failure.transient || attempt + 1 >= LEDGER_CREATE_ATTEMPTS) throw failure;
      const delay = delaysMs[Math.min(attempt, delaysMs.length - 1)] ?? 0;
      info(
        `${failure.message}; trying again in ${delay / 1000}s (attempt ${attempt + 2} of ${LEDGER_CREATE_ATTEMPTS})`,
      );
      await sleep(delay);
    }
  }
}

/** What deploy and rollback use of the ledger: its GitHub reads and writes (a test gives an in-memory one). */
export type LedgerPort = Pick<
  Ledger,
  'entries' | 'record' | 'setStatus' | 'fullSha' | 'newestOfCommit' | 'goodOfCommit'
>;

export class Ledger {
  private readonly owner: string;
  private readonly repo: string;
  private readonly known = new Map<number, Known>();
  private readonly read = new Set<string>();

  constructor(
    private readonly github: GitHubClient,
    repository: string,
    /** The waits between tries of a create (waitsFor of shared/github.ts). */
    private readonly createRetryDelaysMs: readonly number[] = waitsFor('https://api.github.com').ledgerRetryDelaysMs,
  ) {
    ({ owner: this.owner, repo: this.repo } = splitRepository(repository));
  }

  /**
   * Records a release as a new deployment of `environment`, in progress. `key` names this record: a retry after
   * an answer that never came first looks the key up, so a create GitHub already acted on is not sent again.
   */
  async record(options: {
    /** Defaults to a fresh one: what matters is that it stays the same across this call's retries. */
    key?: string;
    release: Release;
    previous?: Release;
    rollback?: ReleasePayload['rollback'];
    adopted?: boolean;
    schema?: ReleasePayload['schema'];
    environment: string;
    sha: string;
    ref: string;
    production: boolean;
    transient: boolean;
    description: string;
    logUrl?: string;
  }): Promise<number> {
    const key = options.key ?? randomUUID();
    const payload: ReleasePayload = {
      shipline: 1,
      key,
      release: options.release,
      previous: options.previous,
      rollback: options.rollback,
      adopted: options.adopted || undefined,
      schema: options.schema,
    };
    const id = await createWithRetry('creating the deployment record', this.createRetryDelaysMs, async (attempt) => {
      if (attempt > 0) {
        const existing = await this.findByKey(options.environment, key);
        if (existing !== undefined) return existing;
      }
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
      return (data as { id: number }).id;
    });
    this.known.set(id, {
      environment: options.environment,
      production: options.production,
      state: undefined,
      releaseId: options.release.id,
    });
    await this.setStatus(id, 'in_progress', { description: options.description, logUrl: options.logUrl });
    return id;
  }

  /** The oldest deployment of the environment made under `key` (the newest page is enough: it was just made). */
  private async findByKey(environment: string, key: string): Promise<number | undefined> {
    const { data } = await this.github.rest.repos.listDeployments({
      owner: this.owner,
      repo: this.repo,
      environment,
      per_page: 100,
    });
    const ids = (data as DeploymentLike[]).filter((d) => payloadOf(d)?.key === key).map((d) => d.id);
    return ids.length > 0 ? smallest(ids) : undefined;
  }

  /**
   * Adds a status. A production deployment that turns success retires the release(s) it replaced: they get an
   * `inactive` status, which GitHub's auto_inactive never adds to production deployments.
   */
  async setStatus(
    id: number,
    state: DeploymentState,
    options: { description?: string; environmentUrl?: string; logUrl?: string } = {},
  ): Promise<void> {
    await this.postStatus(id, state, options);
    const self = this.known.get(id);
    if (self) self.state = state;
    if (state !== 'success' || !self?.production) return;
    if (!this.read.has(self.environment)) await this.entries(self.environment);
    for (const [otherId, other] of this.known) {
      if (otherId === id || other.environment !== self.environment || !other.production || other.state !== 'success')
        continue;
      await this.postStatus(otherId, 'inactive', { description: `replaced by ${self.releaseId}` });
      other.state = 'inactive';
    }
  }

  /** A status write: the same status twice is harmless, so the client retries it (STATUS_WRITE_RETRIES). */
  private async postStatus(
    id: number,
    state: DeploymentState,
    options: { description?: string; environmentUrl?: string; logUrl?: string },
  ): Promise<void> {
    await described(`setting deployment ${id} to ${state}`, () =>
      this.github.rest.repos.createDeploymentStatus({
        owner: this.owner,
        repo: this.repo,
        deployment_id: id,
        state,
        description: options.description ? description(options.description) : undefined,
        environment_url: options.environmentUrl,
        log_url: options.logUrl,
        auto_inactive: state === 'success',
        request: { retries: STATUS_WRITE_RETRIES },
      }),
    );
  }

  /**
   * The environment's deployments made by shipline, newest first, with their status history. Every page of
   * deployments is read, but statuses (one request per deployment) only as far back as decisions need: the two
   * newest good releases, and the entry of each release in `around` plus the good one before it.
   */
  async entries(environment: string, around: { releaseIds?: string[] } = {}): Promise<LedgerEntry[]> {
    const deployments = await described(`reading the ${environment} deployments`, () =>
      this.github.paginate(this.github.rest.repos.listDeployments, {
        owner: this.owner,
        repo: this.repo,
        environment,
        per_page: 100,
      }),
    );
    const ours = (deployments as DeploymentLike[])
      .map((d) => ({ d, payload: payloadOf(d) }))
      .filter((x): x is { d: DeploymentLike; payload: ReleasePayload } => x.payload !== undefined)
      .sort((a, b) => b.d.created_at.localeCompare(a.d.created_at) || b.d.id - a.d.id);

    const loaded = new Map<number, LedgerEntry>();
    const load = (batch: typeof ours) =>
      Promise.all(
        batch
          .filter((x) => !loaded.has(x.d.id))
          .map(async (x) => loaded.set(x.d.id, await this.withStatuses(x.d, x.payload))),
      );
    const enough = (count: number): boolean => {
      const prefix = ours
        .slice(0, count)
        .map((x) => loaded.get(x.d.id))
        .filter((e): e is LedgerEntry => e !== undefined);
      if (prefix.filter(isGood).length < 2) return false;
      for (const id of around.releaseIds ?? []) {
        const at = prefix.findIndex((e) => e.payload.release.id === id);
        if (at < 0 ? ours.slice(count).some((x) => x.payload.release.id === id) : !prefix.slice(at + 1).some(isGood))
          return false;
      }
      return true;
    };
    const BATCH = 10; // also the bound on concurrent status requests
    let count = 0;
    while (count < ours.length && !enough(count)) {
      await load(ours.slice(count, count + BATCH));
      count += BATCH;
    }
    // Records that share a key are one record created twice (a retried POST): read them together.
    const keys = new Set([...loaded.values()].map((e) => e.payload.key).filter(Boolean));
    await load(ours.filter((x) => x.payload.key && keys.has(x.payload.key)));

    const entries = dedupe([...loaded.values()]);
    for (const e of entries) {
      // GitHub's own default when the flag was not sent: production when the environment is named production.
      const d = ours.find((x) => x.d.id === e.id)?.d;
      const production = d?.production_environment ?? e.environment === 'production';
      this.known.set(e.id, { environment: e.environment, production, state: e.state, releaseId: e.payload.release.id });
    }
    this.read.add(environment);
    return entries.sort(newestFirst);
  }

  /**
   * The full SHA of a commit named by a prefix of 7 or more hex digits: the deployments API filters on the SHA
   * GitHub recorded, all 40 digits. GET …/commits/{ref} takes a short SHA (it needs contents: read).
   */
  async fullSha(sha: string): Promise<string> {
    if (/^[0-9a-f]{40}$/.test(sha)) return sha;
    try {
      const { data } = await this.github.rest.repos.getCommit({
        owner: this.owner,
        repo: this.repo,
        ref: sha,
        per_page: 1,
      });
      return data.sha;
    } catch (error) {
      const failure = error instanceof GitHubApiError ? error : new GitHubApiError(`looking up commit ${sha}`, error);
      throw new ShiplineError(failure.message, {
        cause: error,
        hint: `Give all 40 hex digits of the commit (github.sha), or a token with contents: read so a short SHA can be looked up.${failure.hint ? ` ${failure.hint}` : ''}`,
      });
    }
  }

  /**
   * The newest entry of `environment` deployed from commit `sha` (the full 40-hex SHA GitHub recorded), or
   * undefined when the ledger has none. A deploy's entry: the ones a rollback or a reconciliation wrote may carry
   * the commit of the run that wrote them (when the provider keeps no commit), but no release was deployed from
   * it, so they are passed over. One request for one page: GitHub filters by sha and environment
   * (GET …/deployments?sha=&environment=), so the cost does not grow with the environment's history; a commit has
   * one deployment per run attempt in an environment, far fewer than a page. Only the newest record's statuses
   * are read (and its duplicates': a retried create made under the same key).
   */
  async newestOfCommit(environment: string, sha: string): Promise<LedgerEntry | undefined> {
    const { data } = await described(`reading the ${environment} deployments of commit ${sha}`, () =>
      this.github.rest.repos.listDeployments({ owner: this.owner, repo: this.repo, environment, sha, per_page: 100 }),
    );
    const ours = commitLookupOrder(ofCommit(data as DeploymentLike[]));
    const newest = newestOfCommit(ours);
    if (!newest) return undefined;
    const copies = newest.payload.key ? ours.filter((x) => x.payload.key === newest.payload.key) : [newest];
    const [entry] = dedupe(await Promise.all(copies.map((x) => this.withStatuses(x.d, x.payload))));
    return entry;
  }

  /**
   * The newest good entry (reached success, never failed) of a release deployed from the commit `sha` (7 to 40 hex
   * digits), or undefined. Bounded whatever the history: a short SHA is made whole by GitHub (one request; a SHA
   * that names no commit ends the look-up there), then one page of that commit's deployments (GitHub filters by
   * sha and environment) and the statuses of at most its newest COMMIT_LOOKUP_ENTRIES. Entries a rollback or a
   * reconciliation wrote are passed over: they may carry the commit of the run that wrote them.
   */
  async goodOfCommit(environment: string, sha: string): Promise<LedgerEntry | undefined> {
    let full = sha;
    if (!/^[0-9a-f]{40}$/.test(sha)) {
      try {
        ({
          data: { sha: full },
        } = await this.github.rest.repos.getCommit({ owner: this.owner, repo: this.repo, ref: sha, per_page: 1 }));
      } catch (error) {
        const failure = error instanceof GitHubApiError ? error : new GitHubApiError(`looking up commit ${sha}`, error);
        // GitHub's answer for a SHA that names no commit of the repository.
        if (failure.status === 422 || failure.status === 404) return undefined;
        throw new ShiplineError(failure.message, {
          cause: error,
          hint: `Give all 40 hex digits of the commit, or a token with contents: read so a short SHA can be looked up.${failure.hint ? ` ${failure.hint}` : ''}`,
        });
      }
    }
    const { data } = await described(`reading the ${environment} deployments of commit ${full}`, () =>
      this.github.rest.repos.listDeployments({
        owner: this.owner,
        repo: this.repo,
        environment,
        sha: full,
        per_page: 100,
      }),
    );
    const ours = commitLookupOrder(ofCommit(data as DeploymentLike[])).slice(0, COMMIT_LOOKUP_ENTRIES);
    return goodOfCommit(dedupe(await Promise.all(ours.map((x) => this.withStatuses(x.d, x.payload)))));
  }

  private async withStatuses(d: DeploymentLike, payload: ReleasePayload): Promise<LedgerEntry> {
    const statuses = chronological(
      await described(`reading the statuses of deployment ${d.id}`, () =>
        this.github.paginate(this.github.rest.repos.listDeploymentStatuses, {
          owner: this.owner,
          repo: this.repo,
          deployment_id: d.id,
          per_page: 100,
        }),
      ),
    );
    return {
      id: d.id,
      sha: d.sha,
      ref: d.ref,
      environment: d.environment,
      createdAt: d.created_at,
      payload,
      state: statuses.at(-1)?.state as DeploymentState | undefined,
      everSucceeded: statuses.some((s) => s.state === 'success'),
      everFailed: statuses.some((s) => s.state === 'failure' || s.state === 'error'),
    };
  }
}

/** A commit's deployments made by shipline, as records the commit look-ups of release-choice.ts choose among. */
function ofCommit(
  deployments: DeploymentLike[],
): { d: DeploymentLike; payload: ReleasePayload; createdAt: string; id: number }[] {
  return deployments.flatMap((d) => {
    const payload = payloadOf(d);
    return payload ? [{ d, payload, createdAt: d.created_at, id: d.id }] : [];
  });
}

function payloadOf(d: { payload: unknown }): ReleasePayload | undefined {
  const payload = (typeof d.payload === 'string' ? safeJson(d.payload) : d.payload) as ReleasePayload | undefined;
  return payload?.shipline === 1 && payload.release ? payload : undefined;
}

/** One entry per key: the copy that carries statuses (the one the writer used), else the first created. */
function dedupe(entries: LedgerEntry[]): LedgerEntry[] {
  const byKey = new Map<string, LedgerEntry>();
  const out: LedgerEntry[] = [];
  for (const e of [...entries].sort((a, b) => a.id - b.id)) {
    const key = e.payload.key;
    if (!key) {
      out.push(e);
      continue;
    }
    const seen = byKey.get(key);
    if (!seen) byKey.set(key, e);
    else if (seen.state === undefined && e.state !== undefined) byKey.set(key, e);
  }
  return [...out, ...byKey.values()];
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The ledger of this repository, or undefined (said in the log) when there is no token to keep one with. */
export async function openLedger(options: {
  token: string;
  apiUrl: string;
  repository: string;
  signal?: AbortSignal;
}): Promise<Ledger | undefined> {
  if (!options.token || !options.repository) {
    info("Release ledger: off (no 'github-token'); the previous release comes from the provider's own history.");
    return undefined;
  }
  return new Ledger(
    await createGitHubClient({ token: options.token, apiUrl: options.apiUrl, signal: options.signal }),
    options.repository,
    waitsFor(options.apiUrl).ledgerRetryDelaysMs,
  );
}
