// rollback: work out exactly which release to put back (the ledger's record of what was good before the live
// one, else the provider's own history), re-point production at it, check it answers, and record what happened.
//
// The provider is asked first what production serves, and the ledger is made to agree with it before anything is
// decided (Ledger.reconcile): a release live without an entry is adopted, a rollback whose ledger write failed is
// completed. So a re-run after a partial failure finishes the record and changes nothing at the provider, and
// "previous" is one back from what is really live.
import { Deadline } from '../../../shared/deadline.js';
import { InputError, ProviderError, ShiplineError, failureMessage } from '../../../shared/errors.js';
import { request } from '../../../shared/http.js';
import { durationText } from '../../../shared/inputs.js';
import { GitHubApiError, Ledger, type LedgerEntry, openLedger } from '../../../shared/ledger.js';
import { type ProviderName, RELEASE_IDS, loadProvider, providerConfig } from '../../../shared/providers/load.js';
import type { Provider, Release } from '../../../shared/providers/provider.js';
import { type RunContext, readRunContext, stepKey } from '../../../shared/run-context.js';
import { group, info, setOutput, warning } from '../../../shared/runner.js';
import { releaseCell, releaseLabel } from '../../../shared/release-summary.js';
import { SENTRY_BUDGET_MS, sentryTarget } from '../../../shared/sentry-inputs.js';
import { appendSummary, facts } from '../../../shared/summary.js';
import type { RollbackInputs } from './inputs.js';
import { type Target, parseTarget, targetForms } from './target.js';

export interface RollbackPlan {
  live: Release | undefined;
  liveEntry: LedgerEntry | undefined;
  target: Release | undefined;
  /** Why nothing needs to change, when nothing does. */
  noChange?: string;
  source: 'ledger' | 'provider history' | 'input';
}

/** The ledger's view with the entry of what production serves, once reconciled (new entries are the newest). */
interface LedgerView {
  ledger: Ledger;
  entries: LedgerEntry[];
  liveEntry: LedgerEntry | undefined;
  /** What reconciling wrote (or would write, in a dry run), for the log and the summary. */
  reconciled?: string;
}

/**
 * Reads the ledger and makes it agree with what the provider serves. In a dry run the missing entry is only
 * imagined (id 0), so the plan is the same as a real run's and nothing is written.
 */
async function readLedger(ledger: Ledger, inputs: RollbackInputs, target: Target, provider: Provider, live: Release | undefined, context: RunContext): Promise<LedgerView> {
  const targetId = target.kind === 'id' ? target.id : target.kind === 'id-or-sha' ? target.value : undefined;
  const ids = [live?.id, inputs['failed-deployment-id'], targetId].filter((x): x is string => Boolean(x));
  // A commit named as the target is looked up on its own (Ledger.goodOfCommit, in bySha): reading statuses until
  // it turns up would read the whole history for a SHA with no release.
  const entries = await ledger.entries(inputs.environment, { releaseIds: ids });
  if (live?.mixed) {
    // Not a release: never adopted as the live one. The ledger stays as it is until the services are settled.
    warning(`Ledger: ${provider.name} serves no single release (${live.mixed}); not recorded as one.`);
    return { ledger, entries, liveEntry: Ledger.live(entries) };
  }
  const recorded = asRecorded(entries, live);
  const found = Ledger.reconcile(entries, recorded);
  // Reconciled as the recorded release, written as what production serves (its own ids).
  const r = found.kind === 'rolled-back' && recorded !== live ? { ...found, release: { ...found.release, ...live } } : found;
  if (r.kind === 'consistent') return { ledger, entries, liveEntry: r.live && recorded !== live ? servingAs(r.live, live) : r.live };
  const what = {
    adopt: `${provider.name} serves ${live?.id}, which the ledger has no entry for: adopting it as the live release`,
    'went-live': `${provider.name} serves ${live?.id}, whose ledger entry never recorded that it went live: recording it`,
    'rolled-back': `${provider.name} serves ${live?.id}, older than the ledger's live release (${r.kind === 'rolled-back' ? r.replaced.payload.release.id : ''}): a rollback whose ledger write failed; completing the ledger`,
  }[r.kind];
  warning(`Ledger: ${what}.`);
  if (inputs['dry-run']) {
    const release = r.kind === 'went-live' ? r.entry.payload.release : r.release;
    const imagined: LedgerEntry = r.kind === 'went-live'
      ? { ...r.entry, state: 'success', everSucceeded: true }
      : { id: 0, sha: release.sha ?? '', ref: '', environment: inputs.environment, createdAt: new Date().toISOString(), state: 'success', everSucceeded: true, everFailed: false, payload: { shipline: 1, release, rollback: r.kind === 'rolled-back' ? { from: r.replaced.payload.release } : undefined } };
    return { ledger, entries: withLive(entries, imagined), liveEntry: imagined, reconciled: `would record: ${what}` };
  }
  const liveEntry = await ledger.complete(r, { environment: inputs.environment, key: stepKey(context, 'reconcile'), sha: context.sha, ref: context.refName, provider: provider.name, logUrl: context.runUrl });
  return { ledger, entries: withLive(entries, liveEntry), liveEntry, reconciled: what };
}

/**
 * A Railway rollback starts new deployments from the old ones' images, so a release restored by a rollback whose
 * ledger write never happened has ids the ledger does not know: it is the ledger's good release of the same
 * commit over the same services, and is reconciled as that one (not adopted as a new release, whose "previous"
 * would be the release just rolled back).
 */
function asRecorded(entries: LedgerEntry[], live: Release | undefined): Release | undefined {
  if (!live?.services?.length || !live.sha || Ledger.byProviderId(entries, live.id)) return live;
  const servicesOf = (r: Release) => (r.services ?? []).map((s) => s.service).sort().join(',');
  const same = entries.find((e) => e.everSucceeded && e.sha === live.sha && servicesOf(e.payload.release) === servicesOf(live));
  return same ? { ...live, id: same.payload.release.id } : live;
}

/** The ledger's entry of a release, under the ids production serves it with. */
function servingAs(entry: LedgerEntry, live: Release | undefined): LedgerEntry {
  return { ...entry, payload: { ...entry.payload, release: { ...entry.payload.release, ...live } } };
}

function withLive(entries: LedgerEntry[], live: LedgerEntry): LedgerEntry[] {
  return [live, ...entries.filter((e) => e.id !== live.id)];
}

async function plan(inputs: RollbackInputs, target: Target, provider: Provider, live: Release | undefined, view: LedgerView | undefined): Promise<RollbackPlan> {
  const entries = view?.entries;
  const liveEntry = view?.liveEntry;
  const base = { live: live ?? liveEntry?.payload.release, liveEntry };

  if (live?.mixed) {
    // The services serve different releases (a switch that stopped part-way): not a release, so never kept as
    // the good one nor gone back one from. 'previous' (and the in-job rollback of a failed release) settles every
    // service on one release; a named target is restored on every service. The ledger's live release is taken
    // out only when it is not the one restored (a rollback completed, not a deploy's services put back).
    const chosen = target.kind === 'previous' ? { target: await provider.previous(live), source: 'provider history' as const } : await byTarget(inputs, target, provider, view);
    info(`Rollback: ${provider.name} serves no single release (${live.mixed}); every service goes to ${chosen.target?.id ?? 'a release to be found'}.`);
    return { live, liveEntry: liveEntry && chosen.target && liveEntry.sha !== chosen.target.sha ? liveEntry : undefined, ...chosen };
  }

  const failed = inputs['failed-deployment-id'];
  if (failed && base.live?.id !== failed) {
    return { ...base, target: base.live, source: 'input', noChange: `${failed} is not live (production serves ${base.live?.id ?? 'nothing'}): nothing to restore` };
  }

  if (target.kind === 'previous') {
    if (entries) {
      // The provider serves a release the ledger never recorded as live (a multi-service release that failed
      // part-way and could not be put back): the ledger's live release is the one before it, one release back,
      // and stays good in the ledger (what is taken out is the unrecorded one).
      if (live && liveEntry && liveEntry.payload.release.id !== live.id && live.services?.length) return { live, liveEntry: undefined, target: liveEntry.payload.release, source: 'ledger' };
      const rolledBack = liveEntry?.payload.rollback;
      if (rolledBack && !failed) return { ...base, target: base.live, source: 'ledger', noChange: `already rolled back: ${liveEntry?.payload.release.id} was restored from ${rolledBack.from.id}` };
      return { ...base, target: Ledger.previousGood(entries, liveEntry)?.payload.release, source: 'ledger' };
    }
    if (live?.restoredFrom && !failed) return { ...base, target: live, source: 'provider history', noChange: `already rolled back: ${live.id} was restored from ${live.restoredFrom}` };
    return { ...base, target: await provider.previous(live), source: 'provider history' };
  }
  return { ...base, ...(await byTarget(inputs, target, provider, view)) };
}

/** The release a named target (an id, a commit) is. */
async function byTarget(inputs: RollbackInputs, target: Exclude<Target, { kind: 'previous' }>, provider: Provider, view: LedgerView | undefined): Promise<Pick<RollbackPlan, 'target' | 'source'>> {
  if (target.kind === 'sha') return bySha(target.sha, provider, view, inputs.environment);
  if (target.kind === 'id') return { target: await provider.describe(target.id), source: 'input' };
  return byIdOrSha(inputs.provider, target.value, provider, view, inputs.environment);
}

/**
 * The release of a commit: the ledger's good release of it (among the entries read, else by a look-up of that
 * commit alone), else the provider's newest ready one. A few requests whatever the history's length.
 */
async function bySha(sha: string, provider: Provider, view: LedgerView | undefined, environment: string): Promise<Pick<RollbackPlan, 'target' | 'source'>> {
  const fromLedger = view ? (Ledger.bySha(view.entries, sha) ?? (await view.ledger.goodOfCommit(environment, sha)))?.payload.release : undefined;
  return { target: fromLedger ?? (await provider.findBySha(sha)), source: fromLedger ? 'ledger' : 'provider history' };
}

/** The release with this id, or undefined when the provider has none (404); any other failure is thrown. */
async function describeIfAny(provider: Provider, id: string): Promise<Release | undefined> {
  try {
    return await provider.describe(id);
  } catch (error) {
    if (error instanceof ProviderError && error.status === 404) return undefined;
    throw error;
  }
}

/**
 * A value with the shape of both a release id and a commit SHA (a Netlify deploy id): looked up as both. The one
 * that exists is restored; when both do, nothing is guessed and the step fails naming both and the prefixes.
 */
async function byIdOrSha(name: ProviderName, value: string, provider: Provider, view: LedgerView | undefined, environment: string): Promise<Pick<RollbackPlan, 'target' | 'source'>> {
  const asId = (view ? Ledger.byProviderId(view.entries, value)?.payload.release : undefined) ?? (await describeIfAny(provider, value));
  const asSha = await bySha(value.toLowerCase(), provider, view, environment);
  if (asId && asSha.target && asId.id !== asSha.target.id) {
    throw new InputError([
      `Input 'target' '${value}' names two releases: ${asId.id} (as ${RELEASE_IDS[name].form}) and ${asSha.target.id} (built from commit ${asSha.target.sha ?? value}). Say which: 'id:${value}' or 'sha:${value}'`,
    ]);
  }
  if (asId) return { target: asId, source: 'input' };
  if (asSha.target) return asSha;
  throw new ShiplineError(`Input 'target' '${value}' is neither a ${name} release nor a commit with a release in ${name}: with provider ${name} it takes ${targetForms(name)}`);
}

async function verify(url: string): Promise<number> {
  const response = await request(url, { label: `GET ${url}`, timeoutMs: 10_000, retry: { retries: 3, baseDelayMs: 500 } });
  await response.body?.cancel().catch(() => undefined);
  if (response.status >= 400) throw new ShiplineError(`Rolled back, but ${url} answers HTTP ${response.status}`, { hint: 'Production now serves the restored release; check it by hand.' });
  return response.status;
}

/** The failed release, named by its commit (failed-commit) and found in the ledger. */
interface FailedByCommit {
  sha: string;
  entry: LedgerEntry;
}

export async function run(given: RollbackInputs): Promise<void> {
  const context = readRunContext();
  const waitTimeout = `wait-timeout ${durationText(given['wait-timeout'])}`;
  // The reads before the switch (what is live, the history, the target) end by wait-timeout from the step's start;
  // the switch itself then gets its own wait-timeout.
  const provider = await loadProvider(given.provider, { ...providerConfig(given, context.workspace, { token: given['github-token'], serverUrl: context.serverUrl }), deadline: Deadline.in(given['wait-timeout'], waitTimeout) });
  // Every GitHub request of the ledger read before the switch ends when `reading` aborts (readLedgerInTime).
  const reading = new AbortController();
  const ledger = await openLedger({ token: given['github-token'], apiUrl: context.apiUrl, repository: context.repository, signal: reading.signal });
  let inputs = given;
  let byCommit: FailedByCommit | undefined;
  if (given['failed-commit']) {
    if (!ledger) throw new ShiplineError(`Input 'failed-commit' needs the release ledger, and it is off`, { hint: "Set 'github-token' (deployments: read and write) and GITHUB_REPOSITORY." });
    const sha = await ledger.fullSha(given['failed-commit']);
    const entry = await ledger.newestOfCommit(given.environment, sha);
    if (!entry) {
      // The job stopped before it deployed (or before its ledger entry was written): nothing of this commit can
      // be serving, and restoring anything would be a guess.
      const text = `the ${given.environment} ledger has no release deployed from commit ${sha}: nothing to restore`;
      info(`Rollback: ${text}.`);
      setOutput('changed', 'false');
      appendSummary(`### Rollback: ${given.provider} → ${given.environment}\n\n${facts([['Outcome', `no change: ${text}`], ['Failed commit', sha], ['Reason', given.reason]])}`);
      return;
    }
    byCommit = { sha, entry };
    info(`Rollback: commit ${sha} was deployed to ${given.environment} as ${entry.payload.release.id} (ledger entry ${entry.id}); treating it as the failed release.`);
    inputs = { ...given, 'failed-deployment-id': entry.payload.release.id };
  }
  // The provider says what production serves (where it can: Supabase functions carry no release identity, and
  // then the ledger's live release is it); the ledger, made to agree with it, says what was good before it.
  const parsed = parseTarget(inputs.provider, inputs.target);
  if ('problem' in parsed) throw new InputError([parsed.problem]);
  const live = await provider.current();
  const budgetMs = ledgerBudgetMs(inputs['wait-timeout']);
  let view: LedgerView | undefined;
  /** Why the ledger could not be read in time, when it could not: the plan then comes from the provider's history. */
  let ledgerDown: string | undefined;
  if (ledger) {
    try {
      view = await inTime(() => readLedger(ledger, inputs, parsed.target, provider, live, context), budgetMs, reading, `reading the ${inputs.environment} ledger`);
    } catch (error) {
      // GitHub rate-limited, failing or silent must not keep a bad release serving: the provider knows its own
      // history. A refusal (a token without deployments: read) is not an outage and fails here, before any change.
      if (!ledgerUnavailable(error)) throw error;
      ledgerDown = failureMessage(error).split('\n')[0];
      warning(`Ledger: ${ledgerDown}. Choosing the release from the provider's own history (${provider.name}); the ledger is written after the switch if GitHub answers by then, else this step names the writes it owes.`);
    }
  }
  const p = await plan(inputs, parsed.target, provider, live, view);
  const reason = inputs.reason ? ` (${inputs.reason})` : '';
  const ledgerRow = ledgerDown ? `not read (${ledgerDown}); chosen from ${provider.name}'s own history` : view?.reconciled;
  const report = (outcome: Outcome) => appendSummary(summary(p, outcome, inputs, ledgerRow, byCommit));

  if (p.noChange) {
    info(`Rollback: ${p.noChange}.`);
    if (ledgerDown) {
      // Production is right, but whether the ledger says so could not be checked: the step succeeds only when both
      // hold, so that a later re-run (or the safety net) completes the record.
      const text = `no change: ${p.noChange}; the ledger could not be read to check that it agrees`;
      report({ kind: 'no change', text });
      throw new ShiplineError(`Rollback: ${p.noChange}, but the ledger could not be read (${ledgerDown})`, { hint: 'Production needs nothing. Re-run this rollback once GitHub answers: it completes the ledger if it lags behind, and changes nothing at the provider.' });
    }
    if (view && inputs['failed-deployment-id'] && !inputs['dry-run']) {
      const failedEntry = Ledger.byProviderId(view.entries, inputs['failed-deployment-id']);
      const description = byCommit ? `not live; marked failed by commit ${byCommit.sha.slice(0, 12)} (safety net)${reason}` : `failed checks, never live${reason}`;
      if (failedEntry && !failedEntry.everFailed) await view.ledger.setStatus(failedEntry.id, 'failure', { description, logUrl: context.runUrl });
    }
    setOutput('changed', 'false');
    if (p.target) {
      setOutput('restored-deployment-id', p.target.id);
      if (p.target.url) setOutput('url', p.target.url);
    }
    report({ kind: 'no change', text: `no change: ${p.noChange}` });
    return;
  }
  if (!p.target) throw new ShiplineError(`No release to roll back to in ${inputs.environment} (${p.source}${p.live ? `; live is ${p.live.id}` : ''})`, { hint: "Name one with input 'target' (a deployment id or a commit SHA)." });
  if (p.target.id === p.live?.id) {
    info(`Rollback: ${p.target.id} is already live.`);
    setOutput('changed', 'false');
    setOutput('restored-deployment-id', p.target.id);
    if (p.target.url) setOutput('url', p.target.url);
    report({ kind: 'no change', text: 'no change: already live' });
    return;
  }
  if (inputs['dry-run']) {
    info(`Dry run: would restore ${p.target.id} (${p.target.url ?? 'no URL'}) in place of ${p.live?.id ?? 'nothing'}, found from ${p.source}.`);
    setOutput('changed', 'false');
    report({ kind: 'dry run', text: `dry run: would restore ${p.target.id}` });
    return;
  }

  const target = p.target;
  const started = Date.now();
  const restored = await group(`Roll back ${inputs.environment}: ${p.live?.id ?? '?'} → ${target.id}`, () => provider.rollback(target, Deadline.in(inputs['wait-timeout'], waitTimeout)));
  const switchMs = Date.now() - started;
  setOutput('restored-deployment-id', restored.id);
  if (restored.url) setOutput('url', restored.url);

  if (ledger) {
    const owed = owedWrites(p.live, restored);
    try {
      if (view) await recordRollback(view.ledger, p, restored, inputs, context, byCommit?.sha);
      else await recordAfterOutage(given, p, restored, inputs, context, byCommit?.sha, budgetMs);
    } catch (error) {
      // Production changed; only the record of it is missing. Say exactly that, and what completes it. The step
      // fails, and `changed` stays unwritten: the pipeline reads it as "rolled back and recorded", and a job whose
      // rollback failed is not settled, so the safety net runs — and, finding the failed release no longer live, it
      // only completes the ledger: a release that is not live is never rolled back from, so nothing is rolled back
      // twice. A step that succeeded here would leave the ledger naming the bad release live, and the next deploy
      // would have to find that out.
      const chosen = ledgerDown ? `, chosen from ${provider.name}'s own history because the ledger could not be read (${ledgerDown})` : '';
      const failure = new ShiplineError(`Rolled back: production serves ${restored.id} in place of ${p.live?.id ?? 'nothing'}${chosen}, but the ledger was not updated. ${failureMessage(error).split('\n')[0]}. The ledger owes: ${owed}.`, {
        cause: error,
        hint: `Production is where you want it. Re-run this rollback with the same inputs once GitHub answers: it sees ${restored.id} live, writes exactly that and does not change production again.${error instanceof ShiplineError && error.hint ? ` ${error.hint}` : ''}`,
      });
      report({ kind: 'restored', text: `restored ${restored.id}; ledger not updated: it owes: ${owed} (re-run to write it)`, restored, switchMs });
      throw failure;
    }
  }
  // Only now that the ledger agrees with the provider (or there is no ledger): the pipeline's word for it.
  setOutput('changed', 'true');
  if (p.live) setOutput('rolled-back-deployment-id', p.live.id);

  // Sentry (when named): the restored release's deploy to the environment, with the switch's start and finish, so
  // that Sentry's latest deploy is the release the ledger now says is live. Never fails a rollback that happened.
  const restoredSha = restored.sha || target.sha || (view ? Ledger.byProviderId(view.entries, restored.id)?.sha : undefined);
  const sentry = await tellSentryOfRollback(inputs, restored, restoredSha, new Date(started), new Date(started + switchMs));

  const verifyUrl = inputs['verify-url'] ?? restored.url;
  let verified = 'not checked';
  if (inputs.verify && verifyUrl) {
    try {
      verified = `HTTP ${await verify(verifyUrl)} from ${verifyUrl}`;
    } catch (error) {
      report({ kind: 'restored', text: `restored ${releaseLabel(restored)}, but verification failed: ${failureMessage(error).split('\n')[0]}`, restored, switchMs });
      throw error;
    }
  }
  info(`Rollback: ${restored.id} is live again (${verified}); switched in ${(switchMs / 1000).toFixed(1)}s.`);
  report({ kind: 'restored', text: `restored ${releaseLabel(restored)}`, restored, switchMs, verified, sentry });
}

/** How long the ledger read before the switch may take: a quarter of wait-timeout, from 5 s to 60 s. */
export function ledgerBudgetMs(waitTimeoutMs: number): number {
  return Math.min(60_000, Math.max(5_000, Math.round(waitTimeoutMs / 4)));
}

/** The ledger did not answer within its budget. */
class LedgerTooSlow extends ShiplineError {}

/**
 * Runs `work` (GitHub requests made through a ledger opened with `controller`'s signal) for at most `ms`: past it
 * `controller` aborts every request the work started, so nothing it began writes behind the step's back.
 */
async function inTime<T>(work: () => Promise<T>, ms: number, controller: AbortController, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const running = work();
  running.catch(() => undefined);
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new LedgerTooSlow(`GitHub API: ${what} did not finish within ${durationText(ms)}`));
    }, ms);
  });
  try {
    return await Promise.race([running, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** GitHub is unavailable (rate limit, 5xx, no answer, too slow), as opposed to refusing the token. */
function ledgerUnavailable(error: unknown): boolean {
  return error instanceof LedgerTooSlow || (error instanceof GitHubApiError && error.unavailable);
}

/** The ledger writes a rollback from `taken` to `restored` consists of, in words a person can carry out. */
function owedWrites(taken: Release | undefined, restored: Release): string {
  return taken ? `mark ${taken.id} failed and record ${restored.id} live as a rollback from ${taken.id}` : `record ${restored.id} live`;
}

/**
 * The ledger's side of a rollback chosen from the provider's history while GitHub was unavailable: with a client
 * of its own (the reading one was aborted) and the same bound, the entries are read again and the rollback
 * recorded as any other.
 */
async function recordAfterOutage(given: RollbackInputs, p: RollbackPlan, restored: Release, inputs: RollbackInputs, context: RunContext, failedCommit: string | undefined, budgetMs: number): Promise<void> {
  const writing = new AbortController();
  const ledger = await openLedger({ token: given['github-token'], apiUrl: context.apiUrl, repository: context.repository, signal: writing.signal });
  if (!ledger) return;
  await inTime(
    async () => {
      const entries = await ledger.entries(inputs.environment, { releaseIds: [restored.id, ...(p.live ? [p.live.id] : [])] });
      const liveEntry = p.live ? Ledger.byProviderId(entries, p.live.id) : undefined;
      await recordRollback(ledger, { ...p, liveEntry }, restored, inputs, context, failedCommit);
    },
    budgetMs,
    writing,
    `writing the ${inputs.environment} ledger`,
  );
}

/** Marks the restored release's deploy in Sentry; a warning (never a failure) when Sentry refuses or is down. */
async function tellSentryOfRollback(inputs: RollbackInputs, restored: Release, sha: string | undefined, started: Date, finished: Date): Promise<string | undefined> {
  const target = sentryTarget(inputs, { release: sha ?? '', environment: inputs.environment });
  if (!target) return undefined;
  if (!target.release) {
    warning(`Sentry: the restored release ${restored.id} has no known commit, so no deploy was marked in Sentry (set sentry-release to name its Sentry release).`);
    return 'no deploy marked (the restored release has no known commit)';
  }
  const { SentryClient } = await import('../../../shared/sentry.js');
  const client = new SentryClient({ ...target.config, deadline: Deadline.in(SENTRY_BUDGET_MS) });
  try {
    const deploy = await client.createDeploy(target.release, { environment: target.environment, name: restored.id, url: restored.url, dateStarted: started, dateFinished: finished });
    setOutput('sentry-deploy-id', deploy.id);
    info(`Sentry: release ${target.release}: deploy ${deploy.id} to ${target.environment} (rollback)`);
    return `release ${target.release}: deploy ${deploy.id} to ${target.environment}`;
  } catch (error) {
    const reason = failureMessage(error).split('\n').join(' ');
    warning(`Sentry was not told of the rollback to release ${target.release}: ${reason}. The rollback itself succeeded.`);
    return `⚠️ release ${target.release}: not updated: ${reason}`;
  }
}

/** The ledger's side of a rollback that happened: the release taken out failed, the restored one is live. */
async function recordRollback(ledger: Ledger, p: RollbackPlan, restored: Release, inputs: RollbackInputs, context: RunContext, failedCommit: string | undefined): Promise<void> {
  if (p.liveEntry && !p.liveEntry.everFailed) await ledger.setStatus(p.liveEntry.id, 'failure', { description: rolledBackDescription(restored.id, inputs.reason), logUrl: context.runUrl });
  const id = await ledger.record({
    key: stepKey(context, 'rollback'),
    release: restored,
    previous: p.live,
    rollback: p.live ? { from: p.live, reason: inputs.reason || undefined, failedCommit } : undefined,
    environment: inputs.environment,
    sha: restored.sha || context.sha,
    ref: context.refName,
    production: true,
    transient: false,
    description: `rollback to ${restored.id}`,
    logUrl: context.runUrl,
  });
  setOutput('ledger-id', id);
  await ledger.setStatus(id, 'success', { description: `restored ${restored.id} in place of ${p.live?.id ?? '?'}`, environmentUrl: restored.url, logUrl: context.runUrl });
}

/**
 * The status of the release taken out. A reason that already says it was rolled back ("rolled back after promotion:
 * <measurements>", from the bake window) leads, so that GitHub's 140-character cap cuts the release id rather than
 * the measurements; any other reason follows in brackets.
 */
export function rolledBackDescription(restoredId: string, reason: string | undefined): string {
  if (reason && /^rolled back\b/i.test(reason)) return `${reason} (restored ${restoredId})`;
  return `rolled back to ${restoredId}${reason ? ` (${reason})` : ''}`;
}

type Outcome =
  | { kind: 'no change' | 'dry run'; text: string }
  | { kind: 'restored'; text: string; restored: Release; switchMs: number; verified?: string; sentry?: string };

/** One outcome per table: rows name what is true of that outcome only. */
function summary(p: RollbackPlan, outcome: Outcome, inputs: RollbackInputs, reconciled: string | undefined, byCommit: FailedByCommit | undefined): string {
  const name = (r: Release | undefined) => releaseCell(r, { urls: true });
  const rows: [string, unknown][] =
    outcome.kind === 'restored'
      ? [
          ['Restored', name(outcome.restored)],
          ['Taken out', p.live && p.live.id !== outcome.restored.id ? releaseCell(p.live) : undefined],
          ['Chosen from', p.source],
          ['Switch time', `${(outcome.switchMs / 1000).toFixed(1)}s`],
          ['Verified', outcome.verified],
          ['Sentry', outcome.sentry],
        ]
      : outcome.kind === 'dry run'
        ? [
            ['Would restore', name(p.target)],
            ['Live release', releaseCell(p.live)],
            ['Chosen from', p.source],
          ]
        : [['Live release', name(p.live ?? p.target)]];
  return [`### Rollback: ${inputs.provider} → ${inputs.environment}`, facts([['Outcome', outcome.text], ...rows, ['Failed release', byCommit ? `${releaseLabel(byCommit.entry.payload.release)} (commit ${byCommit.sha}, from the ledger)` : undefined], ['Ledger', reconciled], ['Reason', inputs.reason]])].join('\n\n');
}
