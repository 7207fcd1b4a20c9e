// deploy: create a release on the provider, wait until it is ready, record it in the ledger, point aliases at
// it, and tell the pull request; or promote a staged release to production.
//
// run() takes its side effects as `deps` (the provider, the ledger, the clock, outputs and log, Sentry, the pull
// request comment): index.ts hands it the real ones (deps.ts), test/deploy-run-seam.test.ts in-memory ones. Which
// release is live before a deploy is decided in shared/release-choice.ts and settled by shared/ledger-settle.ts.
import { resolve } from 'node:path';
import { InputError, ShiplineError, failureMessage } from '../../../shared/errors.js';
import type { LedgerEntry, LedgerPort } from '../../../shared/ledger.js';
import { settleLedger } from '../../../shared/ledger-settle.js';
import { byProviderId } from '../../../shared/release-choice.js';
import { Deadline } from '../../../shared/deadline.js';
import { durationText } from '../../../shared/inputs.js';
import {
  type AbandonedRollout,
  type Provider,
  type Release,
  ReleaseNotLive,
  type UploadStats,
} from '../../../shared/providers/provider.js';
import { type RunContext, stepKey } from '../../../shared/run-context.js';
import { releaseCell, urlCell } from '../../../shared/release-summary.js';
import type { StepIO } from '../../../shared/step-io.js';
import { facts, MARK } from '../../../shared/summary.js';
import { type SentryTarget, sentryTarget } from '../../../shared/sentry-inputs.js';
import type { WindowGate } from '../../smoke-test/src/window-gates.js';
import type { SentryMoment, SentryOutcome } from './sentry.js';
import { expandAlias } from './aliases.js';
import { type DeployInputs, dirProblem } from './inputs.js';
import {
  notRollbackSafe,
  parseContractMigrations,
  type PlannedChange,
  type SchemaChange,
} from '../../../shared/schema-changes.js';
import { sleep } from '../../../shared/http.js';
import {
  driveRollout,
  errorRateText,
  type RolloutOutcome,
  rolloutChart,
  rolloutLine,
  type StageVerdict,
} from './rollout.js';
import { judgePause, progressiveRollout, pauseProgression, type StageRecord, stageStatus } from './progressive.js';
import { type GateJudging, stageGates } from './stage-gates.js';

/** Everything deploy does outside its own decisions. */
export interface DeployDeps {
  context: RunContext;
  io: StepIO;
  now: () => Date;
  /** The provider named by the inputs, its waits bounded by `deadline`. */
  provider: (deadline: Deadline) => Promise<Provider>;
  /** The release ledger, or undefined when there is no token to keep one with. */
  ledger: () => Promise<LedgerPort | undefined>;
  tellSentry: (target: SentryTarget, moment: SentryMoment) => Promise<SentryOutcome>;
  /** Creates or updates the pull request's sticky comment under `key`; undefined when nothing was written. */
  commentOnPullRequest: (issueNumber: number, key: string, body: string) => Promise<{ action: string } | undefined>;
}

export function environmentName(inputs: DeployInputs): string {
  if (inputs.environment) return inputs.environment;
  return inputs.target === 'preview' && inputs.command === 'deploy' ? 'preview' : 'production';
}

function releaseOutputs(io: StepIO, release: Release): void {
  // A staged release the provider holds by a handle of its own (ECS: its paused service deployment) is promoted by it.
  io.setOutput('deployment-id', release.staging?.handle ?? release.id);
  if (release.url) io.setOutput('url', release.url);
  if (release.inspectorUrl) io.setOutput('inspector-url', release.inspectorUrl);
  io.setOutput('release', JSON.stringify(release));
}

interface Setup {
  provider: Provider;
  ledger: LedgerPort | undefined;
  context: RunContext;
  environment: string;
  deadline: Deadline;
  deps: DeployDeps;
}

async function setUp(inputs: DeployInputs, deps: DeployDeps): Promise<Setup> {
  const deadline = Deadline.in(inputs['wait-timeout'], `wait-timeout ${durationText(inputs['wait-timeout'])}`);
  const provider = await deps.provider(deadline);
  const ledger = await deps.ledger();
  return { provider, ledger, context: deps.context, environment: environmentName(inputs), deadline, deps };
}

/**
 * What is live in the environment now, by the provider's own account, with the ledger made to agree with it first.
 * The provider is always asked: a ledger that looks finished can still be behind it (a rollback that switched
 * production and was killed, or whose GitHub write failed, before it recorded anything), and a "previous" taken
 * from the ledger alone would then be the release that was rolled back for being bad — the one the next failed
 * deploy's rollback would restore. So a release production serves is recorded before this deploy names it.
 */
async function liveRelease(setup: Setup, entries: LedgerEntry[] | undefined): Promise<Live | undefined> {
  const { ledger, provider, context, environment, deps } = setup;
  if (!entries || !ledger) {
    const release = environment === 'production' ? await provider.current() : undefined;
    return release && { release, commit: commitOf(undefined, release) };
  }
  const current = await provider.current();
  // The ledger reads statuses only as deep as decisions need: read deeper when what is live lies further back.
  const all =
    current && !byProviderId(entries, current.id)
      ? await ledger.entries(environment, { releaseIds: [current.id] })
      : entries;
  // A multi-service release the ledger has no entry for is a mix left by a release that failed part-way: it is
  // never recorded as good; what was live before it stays the ledger's live release, for rollback to restore.
  const settled = await settleLedger(ledger, all, current, {
    reader: 'deploy',
    environment,
    key: stepKey(context, 'reconcile'),
    sha: context.sha,
    ref: context.refName,
    provider: provider.name,
    logUrl: context.runUrl,
    now: deps.now,
    announce: (s) => {
      if (s.kind !== 'owes') return;
      const r = s.completion;
      const release = r.kind === 'went-live' ? r.entry.payload.release : r.release;
      deps.io.warning(
        `Ledger: ${provider.name} serves ${release.id}, which the ledger did not record as live (${r.kind}); recording it before deploying.`,
      );
    },
  });
  const release = settled.liveEntry?.payload.release;
  return release && { release, commit: commitOf(settled.liveEntry, release) };
}

/** The release live before this step, and its commit when that is known. */
interface Live {
  release: Release;
  commit: string | undefined;
}

/**
 * The commit of a release live before this step: what the bake window's ${previous} names, the same identifier as
 * its ${release} (the commit a deploy records). A deploy's own entry carries its commit. An entry adopted or
 * written by a rollback carries the commit of the run that wrote it when the provider named none for the release:
 * then only the provider's own (full) commit is trusted, and without one nothing is said rather than a wrong commit.
 */
function commitOf(entry: LedgerEntry | undefined, release: Release): string | undefined {
  if (entry && !entry.payload.adopted && !entry.payload.rollback) return entry.sha;
  const named = release.sha?.toLowerCase();
  if (entry && named && entry.sha.toLowerCase().startsWith(named)) return entry.sha;
  return named && /^[0-9a-f]{40}$/.test(named) ? named : undefined;
}

/** The outputs naming the release live before this step: what rollback restores and what ${previous} reads. */
function previousOutputs(io: StepIO, live: Live | undefined): void {
  if (live) io.setOutput('previous-deployment-id', live.release.id);
  if (live?.commit) io.setOutput('previous-sha', live.commit);
}

/**
 * A ledger write after the provider acted. Its failure must not read as if the deploy failed or hide the
 * provider's state: it says what production serves now and what completes the record.
 */
async function afterProviderActed<T>(state: string, hint: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    const ledgerHint = error instanceof ShiplineError && error.hint ? ` ${error.hint}` : '';
    throw new ShiplineError(`${state}, but the ledger was not updated. ${failureMessage(error).split('\n')[0]}`, {
      cause: error,
      hint: `${hint}${ledgerHint}`,
    });
  }
}

/** What production is like after this deploy went through at the provider, and what completes the ledger. */
function stateAfterDeploy(
  provider: Provider,
  release: Release,
  production: boolean,
  staged: boolean,
): { state: string; hint: string } {
  if (staged)
    return {
      state: `${provider.name}: ${release.id} is staged; production is unchanged`,
      hint: `Promote it (command: promote, deployment-id: ${release.staging?.handle ?? release.id}): the promote records it.`,
    };
  if (!production)
    return {
      state: `${provider.name}: preview ${release.id} is ready at ${release.url ?? 'its URL'}`,
      hint: 'The preview works; re-run the job to record it in the ledger.',
    };
  return {
    state: `${provider.name}: ${release.id} is live in production`,
    hint: `Nothing to undo: the next deploy or rollback asks ${provider.name}, finds ${release.id} live and completes the ledger. To take it out, run rollback (target: previous).`,
  };
}

/**
 * Everything a deploy needs that can be checked is checked before anything changes, all problems at once: the alias
 * templates (expanded here, once, and the expanded list used later) and the folder to deploy.
 */
function checkBeforeDeploy(inputs: DeployInputs, context: RunContext): { aliases: string[] } {
  const problems: string[] = [];
  const aliases: string[] = [];
  for (const template of inputs.aliases) {
    try {
      aliases.push(
        expandAlias(template, { prNumber: context.pullRequest?.number, branch: context.refName, sha: context.sha }),
      );
    } catch (error) {
      if (!(error instanceof ShiplineError)) throw error;
      problems.push(error.message);
    }
  }
  const dir = dirProblem(inputs.provider, resolve(context.workspace, inputs.dir));
  if (dir) problems.push(dir);
  if (problems.length > 0) throw new InputError(problems);
  return { aliases };
}

/** The contract migrations this release's pipeline applied, for its ledger entry (none: no field at all). */
/** The contract migrations the pipeline applied (or, in a pull request, plans to), as migrate reported them. */
function plannedChanges(inputs: DeployInputs): PlannedChange[] {
  const parsed = parseContractMigrations(inputs['contract-migrations']);
  return 'changes' in parsed ? parsed.changes : [];
}

/** What the ledger keeps of them: where and why, not the statement. */
function schemaOf(inputs: DeployInputs): { contract: SchemaChange[] } | undefined {
  const changes = plannedChanges(inputs).map(({ file, line, reason }) => ({ file, line, reason }));
  return changes.length > 0 ? { contract: changes } : undefined;
}

function rolloutSettings(inputs: DeployInputs, gates: WindowGate[]) {
  return {
    gates,
    checkUrl: inputs['rolling-check-url'],
    requests: inputs['rolling-requests'],
    maxErrorRate: inputs['rolling-max-error-rate'],
    expectStatus: inputs['rolling-expect-status'],
    bakeMs: inputs['rolling-bake'],
    stageTimeoutMs: inputs['rolling-stage-timeout'],
  };
}

/** A stage's deployment status in the ledger: the share, the verdict and what it was measured on. */
function stageDescription(verdict: StageVerdict): string {
  const gates = verdict.gateFailures.length > 0 ? `; ${verdict.gateFailures.join('; ')}` : '';
  return `rolling ${verdict.share}%: ${verdict.healthy ? 'healthy' : 'unhealthy'}, ${errorRateText(verdict)}${gates}`;
}

function stoppedDescription(share: number, reason: string): string {
  return `stopped at ${share}%: ${reason}`;
}

/**
 * A rolling release left active by an earlier run (a step killed mid-rollout) is never left waiting, and never
 * joined by a second one: the same commit's release, still within its stage timeout, is resumed from its stage;
 * any other is aborted (production returns to the deployment it served before, to everyone) and recorded as stopped.
 */
async function reconcileRollout(
  inputs: DeployInputs,
  setup: Setup,
  entries: LedgerEntry[] | undefined,
): Promise<Release | undefined> {
  const { provider, ledger, context, deadline, deps } = setup;
  const rolling = provider.rolling;
  if (!rolling) return undefined;
  const active = await rolling.state(deadline);
  if (active?.state !== 'ACTIVE') return undefined;
  const canary = await provider.describe(active.canaryId);
  const idleMs = active.updatedAt === undefined ? 0 : deps.now().getTime() - active.updatedAt;
  if (canary.sha === context.sha && idleMs <= inputs['rolling-stage-timeout']) {
    deps.io.info(
      `Rolling release: ${canary.id} (this commit) is at ${active.share}% of production traffic, left by an earlier run; resuming it`,
    );
    return canary;
  }
  const why =
    canary.sha === context.sha
      ? `its stage at ${active.share}% waited ${durationText(idleMs)}, over rolling-stage-timeout ${durationText(inputs['rolling-stage-timeout'])}`
      : `the run driving it ended before a verdict, and commit ${context.shortSha} is being deployed`;
  deps.io.warning(`Rolling release: aborting the rolling release of ${canary.id} at ${active.share}%: ${why}`);
  await rolling.abort(active, deadline);
  const entry = entries && byProviderId(entries, canary.id);
  if (ledger && entry)
    await ledger.setStatus(entry.id, 'failure', {
      description: stoppedDescription(active.share, `aborted by a later run: ${why}`),
      logUrl: context.runUrl,
    });
  return undefined;
}

export async function run(inputs: DeployInputs, deps: DeployDeps): Promise<void> {
  const { context, io } = deps;
  // undefined for a promote, which deploys nothing.
  const checked = inputs.command === 'promote' ? undefined : checkBeforeDeploy(inputs, context);
  const setup = await setUp(inputs, deps);
  if (!checked) return promote(inputs, setup);
  const { provider, ledger, environment, deadline } = setup;

  const production = inputs.target !== 'preview';
  // Read the ledger before deploying: a token that cannot read it fails the step before anything changes.
  const entries = ledger ? await ledger.entries(environment) : undefined;
  const live = production ? await liveRelease(setup, entries) : undefined;
  const previous = live?.release;
  const schema = schemaOf(inputs);
  /** This deploy's ledger entry for `release`, under the step's key (the same across its retries). */
  const recordRelease = (to: LedgerPort, release: Release) =>
    to.record({
      key: stepKey(context, 'record'),
      release,
      previous,
      schema,
      environment,
      sha: context.sha,
      ref: context.refName,
      production,
      transient: !production,
      description: `${provider.name} ${release.id}`,
      logUrl: context.runUrl,
    });
  previousOutputs(io, live);

  const staged = inputs.target === 'staged';
  const prNumber = context.pullRequest?.number;
  let ledgerId: number | undefined;
  let release: Release | undefined;
  let upload: UploadStats | undefined;
  const startedAt = deps.now();
  const rolls = production && !staged && provider.rolling !== undefined;
  const resumed = rolls ? await reconcileRollout(inputs, setup, entries) : undefined;
  const stages = inputs['vercel-rolling-stages'];
  if (rolls && stages && !resumed) await provider.rolling?.configure(stages, deadline);
  // A progressive rollout (ECS blue/green, canary, linear): each pause judged, recorded and shown.
  const progressive = progressiveRollout(inputs) !== undefined;
  const pauses: StageRecord[] = [];
  const abandoned: AbandonedRollout[] = [];
  // The release is on record, in progress, before any traffic reaches it: a run killed mid-rollout leaves an entry
  // the next run closes.
  const beforeRollout = async (starting: Release) => {
    if (!ledger) return;
    try {
      ledgerId ??= await recordRelease(ledger, starting);
      io.setOutput('ledger-id', ledgerId);
    } catch (ledgerError) {
      io.warning(
        `Ledger: ${starting.id} not recorded before its rollout (${failureMessage(ledgerError).split('\n')[0]})`,
      );
    }
  };
  // The stage gates, read over each pause's window as the bake window reads them; Sentry's new issues counted
  // from the start of this deploy, ${previous} the release production served before it.
  const gatesAtPause = (judging: GateJudging) =>
    stageGates(inputs, { sha: context.sha, environment, previousSha: live?.commit, since: startedAt }, judging);
  const atPause = async (pause: Parameters<typeof judgePause>[1]) => {
    const record = await judgePause(inputs, pause, (line) => io.info(line), gatesAtPause);
    pauses.push(record);
    // Each stage is a deployment status of the release's ledger entry.
    if (ledger && release) {
      const paused = release;
      try {
        ledgerId ??= await recordRelease(ledger, paused);
        io.setOutput('ledger-id', ledgerId);
        await ledger.setStatus(ledgerId, 'in_progress', { description: stageStatus(record), logUrl: context.runUrl });
      } catch (ledgerError) {
        // The verdict is what the rollout waits on; a ledger that cannot be written must not hold the pause past its timeout.
        io.warning(`Ledger: stage not recorded (${failureMessage(ledgerError).split('\n')[0]})`);
      }
    }
    return record.verdict;
  };
  /** Rollouts an earlier, killed run left, which the provider rolled back before this one: their entries say so. */
  const settleAbandoned = async () => {
    if (!ledger || !entries) return;
    for (const left of abandoned) {
      const entry = byProviderId(entries, left.releaseId);
      // Only a record still in progress is the abandoned rollout's: one that ended says so already.
      if (!entry || entry.state !== 'in_progress') continue;
      await ledger
        .setStatus(entry.id, 'failure', {
          description: `${left.stoppedAt === undefined ? 'stopped' : `stopped at ${left.stoppedAt}%`}: ${left.reason}`,
          logUrl: context.runUrl,
        })
        .catch((ledgerError: unknown) =>
          io.warning(`Ledger: ${left.releaseId} not marked stopped (${failureMessage(ledgerError).split('\n')[0]})`),
        );
    }
  };
  const told = pauseProgression(pauses);
  /** A staged release (ECS held at its test listener) is neither live nor stopped. */
  const progression = (outcome: 'live' | 'staged' | 'failed', error?: unknown) =>
    progressive ? told.chart(outcome, error) : '';
  /** deploy's `rollout` output for a progressive rollout, in the form a Vercel rolling release's takes. */
  const progressiveOutput = (outcome: 'live' | 'staged' | 'failed', error?: unknown) => {
    const line = progressive ? told.line(outcome, error) : undefined;
    if (line !== undefined) io.setOutput('rollout', line);
  };
  try {
    if (resumed) release = resumed;
    else
      ({ release, upload } = await io.group(`Deploy to ${provider.name} (${inputs.target})`, () =>
        provider.deploy(
          {
            dir: resolve(context.workspace, inputs.dir),
            target: production ? 'production' : 'preview',
            staged,
            git: {
              sha: context.sha,
              ref: context.refName,
              message: context.commitSubject,
              repository: context.repository,
              prNumber,
            },
            // One key per step attempt: re-running the job deploys again, but a retried request never does.
            idempotencyKey: stepKey(context, 'deploy'),
            onCreated: (created) => {
              release = created;
              releaseOutputs(io, created);
            },
            ...(progressive
              ? { beforeRollout, atPause, onReconciled: (left: AbandonedRollout) => void abandoned.push(left) }
              : {}),
          },
          deadline,
        ),
      ));
  } catch (error) {
    await settleAbandoned();
    if (ledger && release) {
      const failed = release;
      try {
        ledgerId ??= await recordRelease(ledger, failed);
        io.setOutput('ledger-id', ledgerId);
        await ledger.setStatus(ledgerId, 'failure', {
          description: failureMessage(error).split('\n')[0],
          logUrl: context.runUrl,
        });
      } catch (ledgerError) {
        // The provider's reason is the step's failure; the ledger's is secondary.
        io.warning(
          `The failed release ${failed.id} was not recorded in the ledger: ${failureMessage(ledgerError).split('\n')[0]}`,
        );
      }
    }
    io.appendSummary(
      summary(inputs, environment, release, previous, undefined, `failed: ${failureMessage(error).split('\n')[0]}`) +
        progression('failed', error),
    );
    progressiveOutput('failed', error);
    throw error;
  }
  await settleAbandoned();
  progressiveOutput(staged ? 'staged' : 'live');
  // ECS knows its test listener only as a rule ARN: the staged release's URL is the one its verdict was measured on.
  if (staged && !release.url && inputs['verify-test-url']) release = { ...release, url: inputs['verify-test-url'] };
  releaseOutputs(io, release);
  if (upload) io.setOutput('uploaded-files', upload.uploaded);

  const after = stateAfterDeploy(provider, release, production, staged);
  const recorded = release;
  const earlier = resumed && entries ? byProviderId(entries, resumed.id) : undefined;
  const ledgerFailed = (error: unknown) => {
    io.appendSummary(
      summary(
        inputs,
        environment,
        recorded,
        previous,
        upload,
        `${after.state.replace(/^[^:]*: /, '')}; ledger not updated`,
      ),
    );
    return error;
  };
  if (ledger) {
    try {
      ledgerId ??=
        earlier?.id ?? (await afterProviderActed(after.state, after.hint, () => recordRelease(ledger, recorded)));
    } catch (error) {
      throw ledgerFailed(error);
    }
    io.setOutput('ledger-id', ledgerId);
  }

  const rollout = rolls ? await rollOut(inputs, setup, release, ledgerId, live?.commit) : undefined;
  if (rollout?.kind === 'aborted') rolloutStopped(inputs, environment, release, previous, upload, rollout, io);

  let environmentUrl = release.url;
  try {
    const { aliases } = checked;
    // Inputs refuse aliases where the provider has none (capabilities.ts), so a list here has a provider for it.
    if (aliases.length > 0 && provider.assignAliases) {
      const assigned = await provider.assignAliases(release, aliases);
      io.info(`Aliases: ${assigned.join(', ')}`);
      environmentUrl = assigned[0] ?? environmentUrl;
    }
  } catch (error) {
    if (ledger && ledgerId) {
      await ledger
        .setStatus(ledgerId, 'failure', {
          description: `alias failed: ${failureMessage(error).split('\n')[0]}`,
          logUrl: context.runUrl,
        })
        .catch((ledgerError: unknown) => {
          io.warning(`The alias failure was not recorded in the ledger: ${failureMessage(ledgerError).split('\n')[0]}`);
        });
    }
    throw error;
  }
  if (environmentUrl) io.setOutput('environment-url', environmentUrl);

  if (ledger && ledgerId) {
    const id = ledgerId;
    try {
      await afterProviderActed(after.state, after.hint, () =>
        staged
          ? // Not live until promoted: it stays in progress, so "live" in the ledger is still the previous release.
            ledger.setStatus(id, 'in_progress', {
              description: `staged: ready, awaiting promote (${recorded.id})`,
              environmentUrl,
              logUrl: context.runUrl,
            })
          : // A production release going live retires the one it replaced (in the ledger: GitHub never does that itself).
            ledger.setStatus(id, 'success', {
              description: `live: ${recorded.id}${rollout ? ` (rolled out over ${rollout.stages.map((s) => `${s.share}%`).join(' → ')} → 100%)` : ''}`,
              environmentUrl,
              logUrl: context.runUrl,
            }),
      );
    } catch (error) {
      throw ledgerFailed(error);
    }
  }

  // Sentry hears of the release once the provider and the ledger are done, with the ledger's release (the commit).
  const sentry = sentryTarget(inputs, { release: context.sha, environment });
  const sentryOutcome = sentry
    ? await deps.tellSentry(sentry, {
        kind: staged ? 'staged' : 'live',
        production,
        started: startedAt,
        finished: deps.now(),
        name: release.id,
        url: environmentUrl,
        repository: inputs['sentry-repository'] || context.repository,
        sha: context.sha,
        previousSha: previous?.sha,
      })
    : undefined;

  if (prNumber && inputs['pr-comment'] && inputs['github-token'] && !production) {
    const comment = await deps.commentOnPullRequest(
      prNumber,
      `deploy:${environment}`,
      prComment(release, environmentUrl, context, deps.now(), plannedChanges(inputs)),
    );
    if (comment) io.info(`Pull request #${prNumber}: ${comment.action} the preview comment`);
  }

  const outcome = staged
    ? 'staged (ready; production unchanged until promote)'
    : production
      ? 'live in production'
      : 'preview ready';
  io.info(`${provider.name}: ${release.id} ${outcome} at ${environmentUrl}`);
  io.appendSummary(
    summary(
      inputs,
      environment,
      release,
      previous,
      upload,
      outcome,
      environmentUrl,
      sentryOutcome,
      rollout ? rolloutChart(rollout) : undefined,
    ) + progression(staged ? 'staged' : 'live'),
  );
}

/** A rolling release aborted at a stage: the summary charts it, and the step fails naming the share that saw it. */
function rolloutStopped(
  inputs: DeployInputs,
  environment: string,
  release: Release,
  previous: Release | undefined,
  upload: UploadStats | undefined,
  rollout: Extract<RolloutOutcome, { kind: 'aborted' }>,
  io: StepIO,
): never {
  const reason = stoppedDescription(rollout.stoppedAt, rollout.reason);
  io.appendSummary(
    summary(inputs, environment, release, previous, upload, reason, undefined, undefined, rolloutChart(rollout)),
  );
  throw new ShiplineError(
    `Rolling release of ${release.id} ${reason}. Production serves ${previous?.id ?? 'the deployment it served before'} to everyone again; the new deployment saw at most ${rollout.stoppedAt}% of production traffic`,
    { hint: 'Fix the release and deploy again; nothing needs undoing.' },
  );
}

/**
 * Drives the rolling release `release` started (or an earlier run left), each stage's verdict a deployment status in
 * the ledger; undefined when the deploy started none (rolling releases off, or the project's first deployment).
 */
async function rollOut(
  inputs: DeployInputs,
  setup: Setup,
  release: Release,
  ledgerId: number | undefined,
  previousSha: string | undefined,
): Promise<RolloutOutcome | undefined> {
  const { provider, ledger, context, deadline, deps } = setup;
  const rolling = provider.rolling;
  if (!rolling) return undefined;
  const state = await rolling.state(deadline);
  if (state?.state !== 'ACTIVE' || state.canaryId !== release.id) return undefined;
  const status = (state: 'in_progress' | 'failure', description: string) =>
    ledger && ledgerId ? ledger.setStatus(ledgerId, state, { description, logUrl: context.runUrl }) : Promise.resolve();
  const outcome = await deps.io.group(`Rolling release of ${release.id}`, () =>
    driveRollout(
      rolling,
      release,
      state,
      rolloutSettings(
        inputs,
        // Read once at the end of each stage: one failing reading is the stage's verdict, and no reading never
        // approves it. Sentry's new issues are counted from the start of the rolling release.
        stageGates(
          inputs,
          { sha: context.sha, environment: setup.environment, previousSha, since: new Date() },
          { failAfter: 1, noDataAfter: 1 },
        ),
      ),
      {
        onStage: async (verdict) => {
          deps.io.info(
            `Rolling release: ${stageDescription(verdict)}${verdict.reasons[0] ? ` — ${verdict.reasons[0]}` : ''}`,
          );
          await status('in_progress', stageDescription(verdict));
        },
        info: (message) => deps.io.info(message),
        sleep,
        deadline: (ms) => Deadline.in(ms),
      },
    ),
  );
  deps.io.setOutput('rollout', rolloutLine(outcome));
  if (outcome.kind === 'aborted') await status('failure', stoppedDescription(outcome.stoppedAt, outcome.reason));
  return outcome;
}

async function promote(inputs: DeployInputs, setup: Setup): Promise<void> {
  const { provider, ledger, context, environment, deadline, deps } = setup;
  const { io } = deps;
  let entries = ledger ? await ledger.entries(environment, { releaseIds: [inputs['deployment-id']] }) : undefined;
  const live = await liveRelease(setup, entries);
  const previous = live?.release;
  const schema = schemaOf(inputs);
  previousOutputs(io, live);
  const staged = await provider.describe(inputs['deployment-id']);
  // On ECS the deployment-id is the service deployment, and the ledger records the release by its own id: read as
  // deep as that entry when the first read did not reach it.
  if (ledger && entries && staged.id !== inputs['deployment-id'] && !byProviderId(entries, staged.id))
    entries = await ledger.entries(environment, { releaseIds: [staged.id] });
  releaseOutputs(io, staged);
  const startedAt = deps.now();
  // On Vercel with rolling releases on, the promote is where production traffic moves: it starts the rolling release
  // (`vercel promote` stops at "Rolling Release serving traffic at initial percentage N"), driven here stage by stage.
  // A left-over rolling release is reconciled only when this pipeline drives rolling releases (stages given): one
  // started otherwise (by hand, say) queues the promote, which fails naming it.
  const rolling = provider.rolling;
  const stages = inputs['vercel-rolling-stages'];
  const resumed = rolling && stages ? await reconcileRollout(inputs, setup, entries) : undefined;
  if (rolling && stages && !resumed) await rolling.configure(stages, deadline);
  // Where promote moves traffic in stages with pauses (ECS), each further pause is judged as a progressive deploy's.
  const pauses: StageRecord[] = [];
  const stagedEntry = entries && byProviderId(entries, staged.id);
  const atPause = async (pause: Parameters<typeof judgePause>[1]) => {
    const record = await judgePause(inputs, pause, (line) => io.info(line));
    pauses.push(record);
    if (ledger && stagedEntry)
      await ledger
        .setStatus(stagedEntry.id, 'in_progress', { description: stageStatus(record), logUrl: context.runUrl })
        .catch((ledgerError: unknown) =>
          io.warning(`Ledger: stage not recorded (${failureMessage(ledgerError).split('\n')[0]})`),
        );
    return record.verdict;
  };
  const told = pauseProgression(pauses);
  // ECS's pauses after the promote, told as a deploy's are (the summary's chart, the `rollout` line of Slack's message).
  const tell = (outcome: 'live' | 'failed', error?: unknown) => {
    const line = told.line(outcome, error);
    // A staged progressive release (ECS) is told even without further pauses: its deploy's line said "staged".
    if ((pauses.length > 0 || staged.staging) && line !== undefined) io.setOutput('rollout', line);
    return told.chart(outcome, error);
  };
  let release: Release;
  try {
    release =
      resumed?.id === staged.id
        ? resumed
        : await io.group(`Promote ${staged.id} to production`, () => provider.promote(staged, deadline, { atPause }));
  } catch (error) {
    // A staged release the provider ended (ECS: its pause timed out, or it was rolled back) will never go live.
    if (error instanceof ReleaseNotLive && ledger && stagedEntry?.state === 'in_progress')
      await ledger
        .setStatus(stagedEntry.id, 'failure', {
          description: `not promoted: ${error.outcome}`,
          logUrl: context.runUrl,
        })
        .catch((ledgerError: unknown) =>
          io.warning(`Ledger: the failed promote was not recorded (${failureMessage(ledgerError).split('\n')[0]})`),
        );
    io.appendSummary(
      summary(
        inputs,
        environment,
        staged,
        previous,
        undefined,
        `promote failed: ${failureMessage(error).split('\n')[0]}`,
      ) + tell('failed', error),
    );
    throw error;
  }
  releaseOutputs(io, release);
  const rollout = rolling ? await rollOut(inputs, setup, release, stagedEntry?.id, live?.commit) : undefined;
  if (rollout?.kind === 'aborted') rolloutStopped(inputs, environment, release, previous, undefined, rollout, io);
  const environmentUrl = release.url;
  if (environmentUrl) io.setOutput('environment-url', environmentUrl);
  if (ledger && entries) {
    const after = stateAfterDeploy(provider, release, true, false);
    try {
      await afterProviderActed(after.state, after.hint, async () => {
        const entry = byProviderId(entries, release.id);
        const id =
          entry?.id ??
          (await ledger.record({
            key: stepKey(context, 'promote'),
            release,
            previous,
            schema,
            environment,
            sha: context.sha,
            ref: context.refName,
            production: true,
            transient: false,
            description: `promoted ${release.id}`,
            logUrl: context.runUrl,
          }));
        io.setOutput('ledger-id', id);
        await ledger.setStatus(id, 'success', {
          description: `promoted: ${release.id}${rollout ? ` (rolled out over ${rollout.stages.map((s) => `${s.share}%`).join(' → ')} → 100%)` : ''}`,
          environmentUrl,
          logUrl: context.runUrl,
        });
      });
    } catch (error) {
      io.appendSummary(
        summary(
          inputs,
          environment,
          release,
          previous,
          undefined,
          'promoted to production; ledger not updated',
          environmentUrl,
        ),
      );
      throw error;
    }
  }
  io.info(`${provider.name}: ${release.id} promoted to production`);
  const sentry = sentryTarget(inputs, { release: context.sha, environment });
  const sentryOutcome = sentry
    ? await deps.tellSentry(sentry, {
        kind: 'live',
        production: true,
        started: startedAt,
        finished: deps.now(),
        name: release.id,
        url: environmentUrl,
        repository: inputs['sentry-repository'] || context.repository,
        sha: context.sha,
        previousSha: previous?.sha,
      })
    : undefined;
  io.appendSummary(
    summary(
      inputs,
      environment,
      release,
      previous,
      undefined,
      'promoted to production',
      environmentUrl,
      sentryOutcome,
      rollout ? rolloutChart(rollout) : undefined,
    ) + tell('live'),
  );
}

/**
 * The preview's pull request comment. With contract migrations (migrate plan's, passed as contract-migrations) it
 * says, before merge, that the release is not rollback-safe and why.
 */
function prComment(
  release: Release,
  url: string | undefined,
  context: RunContext,
  now: Date,
  contract: PlannedChange[],
): string {
  const safety = contract.length > 0 ? `\n\n${notRollbackSafe(contract, 'would leave')}` : '';
  return `${[
    `### 🚀 Preview ready`,
    '',
    `| | |`,
    `| --- | --- |`,
    `| Preview | ${url ?? release.url} |`,
    `| Commit | ${context.shortSha} |`,
    release.inspectorUrl ? `| Build | [${release.provider} inspector](${release.inspectorUrl}) |` : '',
    `| Updated | ${now.toISOString().replace('T', ' ').slice(0, 16)} UTC |`,
  ]
    .filter(Boolean)
    .join('\n')}${safety}`;
}

function summary(
  inputs: DeployInputs,
  environment: string,
  release: Release | undefined,
  previous: Release | undefined,
  upload: UploadStats | undefined,
  outcome: string,
  environmentUrl?: string,
  sentry?: SentryOutcome,
  rolloutChartText?: string,
): string {
  return [
    `### ${inputs.command === 'promote' ? 'Promote' : 'Deploy'}: ${inputs.provider} → ${environment}`,
    facts([
      ['Outcome', outcome],
      ['Release', releaseCell(release)],
      ['URL', urlCell(release, environmentUrl)],
      ['Release URL', release?.url],
      ['Inspector', release?.inspectorUrl],
      ['State', release?.state],
      ['Previously live', releaseCell(previous)],
      [
        'Promote by',
        release?.staging?.expiresAt
          ? `${new Date(release.staging.expiresAt).toISOString().replace('T', ' ').slice(0, 16)} UTC: a staged release not promoted by then is rolled back by ${release.provider === 'ecs' ? 'ECS itself (its pause times out: ecs-pause-timeout)' : `${release.provider} itself`}`
          : undefined,
      ],
      [
        'Files',
        upload
          ? `${upload.files} (${upload.uploaded} uploaded, ${(upload.uploadedBytes / 1024).toFixed(0)} KiB; hashed in ${upload.hashMs} ms)`
          : undefined,
      ],
      [
        'Sentry',
        sentry ? `${sentry.ok ? '' : `${MARK.warning} `}release ${sentry.release}: ${sentry.state}` : undefined,
      ],
    ]),
    ...(rolloutChartText ? [rolloutChartText] : []),
  ].join('\n\n');
}
