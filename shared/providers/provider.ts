// One interface for every hosting provider. deploy and rollback talk only to this; each provider is one module
// behind it, loaded lazily by load.ts, so a Vercel deploy never loads the AWS SDK.

import { Deadline } from '../deadline.js';
import { ProviderError } from '../errors.js';

/**
 * The provider ended a release's rollout without it going live (rolled back, stopped, its pause timed out): trying
 * again will not make it live. A staged release in this state is recorded as failed.
 */
export class ReleaseNotLive extends ProviderError {
  /** What the provider did with it, in a few words for the ledger (GitHub keeps 140 characters of a status). */
  readonly outcome: string;
  constructor(
    provider: string,
    reason: string,
    options: ConstructorParameters<typeof ProviderError>[2] & { outcome?: string } = {},
  ) {
    super(provider, reason, options);
    this.outcome = options.outcome ?? reason;
  }
}

/** A release as the provider knows it. */
export interface Release {
  provider: string;
  /** The provider's own id of this release (Vercel dpl_…, Netlify deploy id, ECS task definition ARN, …). */
  id: string;
  /** Where this release answers (https). */
  url?: string;
  /** The provider's page about this release (build logs). */
  inspectorUrl?: string;
  target?: 'preview' | 'production';
  /** The provider's state word (READY, ERROR, …), for reports. */
  state?: string;
  /** Milliseconds since the epoch. */
  createdAt?: number;
  sha?: string;
  /** Set when this release went live through a rollback from another release (the provider's own record). */
  restoredFrom?: string;
  /** Where the release's sources sit in the repository (for providers whose rollback redeploys sources). */
  sourcePath?: string;
  /** Providers that deploy several services in one release (Railway): one entry per service. */
  services?: ServiceRelease[];
  /**
   * Set (by current()) when the services serve deployments of different releases: a switch of several services
   * that stopped part-way. Not a release: never recorded as one, never restored as the good one. Says which
   * service serves what.
   */
  mixed?: string;
  /**
   * A staged release that a provider holds apart from production by a handle of its own (ECS: the service
   * deployment paused at its test traffic shift): what deploy outputs as deployment-id and promote acts on, and
   * when the provider gives up waiting and rolls it back by itself.
   */
  staging?: { handle: string; expiresAt?: number };
}

/** What discarding a staged release came to. */
export interface StagedDiscard {
  /** The release it staged (the provider's release id, as the ledger records it). */
  release: Release;
  /** It went live before it could be discarded: roll back from it as from any live release. */
  live: boolean;
  /** Whether this call asked the provider to end it (false: it had ended already, or a dry run). */
  sent: boolean;
  /** How it ended, in the provider's terms, for the log and the summary. */
  outcome: string;
}

export interface ServiceRelease {
  /** The provider's service id (and a name for people, when known). */
  service: string;
  name?: string;
  /** The provider's id of this service's deployment. */
  id: string;
  url?: string;
  state?: string;
}

export interface DeploySpec {
  /** Folder to deploy (a static folder, or a project folder holding .vercel/output). */
  dir: string;
  target: 'preview' | 'production';
  /** Production, but not given the production domains until promoted (blue/green). */
  staged: boolean;
  git: { sha: string; ref: string; message?: string; repository?: string; prNumber?: number };
  /** Stable across retries of one deploy step, so a retried create can find the deployment it already made. */
  idempotencyKey: string;
  /** Called as soon as the provider has an id and URL, before waiting: outputs are set even if the build fails. */
  onCreated?: (release: Release) => void;
  /**
   * Progressive rollouts: awaited once the release exists and before any traffic moves to it, so that a run killed
   * mid-rollout leaves the release on record (the next run closes that record).
   */
  beforeRollout?: (release: Release) => Promise<void>;
  /**
   * Progressive rollouts (ECS blue/green, canary, linear): asked at each pause of the provider's rollout, whose
   * answer decides whether the rollout goes on or is rolled back by the provider. Without it a pause is continued.
   */
  atPause?: (pause: RolloutPause) => Promise<PauseVerdict>;
  /**
   * A rollout an earlier run left unfinished (killed mid-rollout): rolled back before this one started, or already
   * rolled back by the provider (a pause that timed out).
   */
  onReconciled?: (left: AbandonedRollout) => void;
}

export interface PromoteOptions {
  atPause?: DeploySpec['atPause'];
}

/** A progressive rollout waiting for a verdict. */
export interface RolloutPause {
  /** 1 for the first pause of the rollout. */
  number: number;
  /** The provider's name of the stage it is paused at (ECS: the lifecycle hook stage). */
  stage: string;
  /** The share (percent) of production traffic the new release serves while paused. */
  productionShare: number;
  /** The share (percent) of test traffic the new release serves while paused. */
  testShare: number;
  /** Milliseconds since the epoch after which the provider takes the pause's timeout action by itself. */
  expiresAt?: number;
}

export interface PauseVerdict {
  ok: boolean;
  /** One line: what was measured and why it passed or failed. */
  summary: string;
}

export interface AbandonedRollout {
  releaseId: string;
  /** The production share (percent) it had reached when it was rolled back, when known. */
  stoppedAt?: number;
  reason: string;
}

export interface UploadStats {
  files: number;
  uploaded: number;
  uploadedBytes: number;
  hashMs: number;
}

/** What a provider's own Git integration does with a branch, read without changing anything. */
export interface GitDeploys {
  /** The provider deploys the branch to production by itself on every push: before any test or approval. */
  on: boolean;
  /** What was read, in words: the repository link, the production branch, the setting that decides. */
  detail: string;
  /** How to turn it off, in the provider's own terms (its settings page, its config file). */
  howToTurnOff: string;
}

export interface Provider {
  readonly name: string;
  /** Creates the release (uploading what the provider lacks) and waits until it is ready, failed or the deadline. */
  deploy(spec: DeploySpec, deadline: Deadline): Promise<{ release: Release; upload?: UploadStats }>;
  /**
   * Points production at a ready release and waits until it serves it. A provider whose promote moves traffic in
   * stages (ECS blue/green, canary, linear) asks `options.atPause` at each further pause, as a progressive deploy does.
   */
  promote(release: Release, deadline: Deadline, options?: PromoteOptions): Promise<Release>;
  /** What production serves now, by the provider's own account. */
  current(): Promise<Release | undefined>;
  /** The provider's own history: the newest good production release older than `current`. */
  previous(current: Release | undefined): Promise<Release | undefined>;
  /** Puts an earlier release back into production and waits until it serves it. */
  rollback(to: Release, deadline: Deadline): Promise<Release>;
  /**
   * A staged release held apart from production (`Release.staging`), named by its handle: ended before it ever
   * serves production, and followed until the provider reports it ended. Undefined when `id` is not such a
   * handle. Providers without staged releases have no such method.
   */
  discardStaged?(id: string, deadline: Deadline, options: { dryRun: boolean }): Promise<StagedDiscard | undefined>;
  describe(id: string): Promise<Release>;
  /** The newest ready release built from a commit (for `target: <sha>` without a ledger). */
  findBySha(sha: string): Promise<Release | undefined>;
  /**
   * Extra domains for a ready release; any failure throws (an alias failure fails the step). Only providers whose
   * capabilities (capabilities.ts) include aliases have it: the input is refused for the others at validation.
   */
  assignAliases?(release: Release, aliases: string[]): Promise<string[]>;
  /**
   * Whether the provider's own Git integration deploys `branch` to production on a push. Only providers that have
   * such an integration implement it (ECS and Supabase Edge Functions deploy only when asked).
   */
  gitDeploys?(branch: string): Promise<GitDeploys>;
  /** The provider's staged traffic shift (Vercel rolling releases), which deploy drives stage by stage. */
  rolling?: RollingReleases;
}

/** A rolling release as the provider reports it: a canary deployment serving `share` % of production traffic. */
export interface RollingState {
  state: 'ACTIVE' | 'COMPLETE' | 'ABORTED';
  canaryId: string;
  /** What serves the rest of production traffic (and all of it again after an abort). */
  currentId?: string;
  stageIndex: number;
  /** The traffic share of every stage, the last one 100. */
  stages: number[];
  share: number;
  /** Whether the provider advances stages by time itself ('automatic') or waits for an approval. */
  advancement: 'automatic' | 'manual-approval';
  /** When the provider last changed it (ms since the epoch). */
  updatedAt?: number;
}

export interface RollingReleases {
  /** Makes the project's production deploys start a rolling release over `stages` (percentages, the last 100). */
  configure(stages: number[], deadline: Deadline): Promise<void>;
  /** The project's rolling release, whatever its state; undefined when there has been none. */
  state(deadline: Deadline): Promise<RollingState | undefined>;
  /** Approves the active stage: traffic moves on to the next one. */
  approve(rolling: RollingState, deadline: Deadline): Promise<void>;
  /** Aborts the rolling release: all production traffic goes back to `currentId`. */
  abort(rolling: RollingState, deadline: Deadline): Promise<void>;
}

export interface ProviderConfig {
  token: string;
  /** Vercel project, Netlify site id, Railway project id, Supabase project ref. */
  project: string;
  team?: string;
  apiUrl?: string;
  /** The job's workspace, against which relative paths in inputs are resolved. */
  workspace: string;
  railway?: { environmentId: string; services: string[]; tokenType: 'project' | 'account' };
  ecs?: {
    cluster: string;
    service: string;
    taskDefinition?: string;
    images: Record<string, string>;
    region?: string;
    /** ECS's native blue/green, canary or linear deployment (deploy only); absent: a rolling update. */
    progressive?: ProgressiveRollout;
  };
  /** Supabase Edge Functions to deploy (empty: all under supabase/functions). */
  functions?: string[];
  /**
   * Credentials for git to fetch from the repository's server (a rollback that needs an older commit than the
   * shallow checkout has): the job's token and GitHub's URL, never written to .git/config.
   */
  git?: { token: string; serverUrl: string };
  /**
   * The step's bound on provider calls that are handed no deadline of their own (current, previous, describe,
   * findBySha): a provider whose client would otherwise wait on an API without end ends them by it.
   */
  deadline?: Deadline;
}

/** An ECS deployment strategy and its settings, as UpdateService's deploymentConfiguration takes them. */
export interface ProgressiveRollout {
  strategy: 'BLUE_GREEN' | 'CANARY' | 'LINEAR';
  canaryPercent?: number;
  linearStepPercent?: number;
  /** Between production traffic shifts (canaryBakeTimeInMinutes, stepBakeTimeInMinutes). */
  stepBakeMinutes?: number;
  /** After all production traffic shifted, before the old revision is stopped (bakeTimeInMinutes). */
  bakeMinutes: number;
  /** The lifecycle stages at which the rollout pauses for shipline's verdict. */
  pauseStages: string[];
  /** How long a pause waits for the verdict before ECS rolls back by itself (whole minutes). */
  pauseTimeoutMinutes: number;
}

/** How long a create whose fate is unknown is looked up, at least (even past the deadline) and at most. */
const LOOKUP_MIN_MS = 5_000;
const LOOKUP_MAX_MS = 120_000;
const LOOKUP_POLL_MS = 1_000;

/**
 * After a create whose answer never came (a timeout, a reset), the provider may have made the release, or may still
 * be making it. Looks it up by the key the create carried until it appears or the window ends: between
 * LOOKUP_MIN_MS and LOOKUP_MAX_MS, and not past the deadline unless that leaves less than LOOKUP_MIN_MS.
 * A lookup that fails transiently is tried again within the window; a refusal is thrown. Returns undefined when
 * nothing appeared.
 */
export async function lookUpUnknownCreate<T>(
  lookup: (window: Deadline) => Promise<T | undefined>,
  deadline: Deadline,
  sleepFor: (ms: number) => Promise<void>,
): Promise<T | undefined> {
  const window = Deadline.in(Math.min(LOOKUP_MAX_MS, Math.max(LOOKUP_MIN_MS, deadline.left())));
  for (;;) {
    try {
      const found = await lookup(window);
      if (found !== undefined) return found;
    } catch (error) {
      // The API struggling (no answer, 5xx, 429) is worth another look while the window lasts; a refusal (401, 403,
      // 404) will not change, and hiding it behind "nothing appeared" would name the wrong cause.
      if (error instanceof ProviderError && error.status !== undefined && error.status < 500 && error.status !== 429)
        throw error;
    }
    if (window.left() < LOOKUP_POLL_MS) return undefined;
    await sleepFor(LOOKUP_POLL_MS);
  }
}
