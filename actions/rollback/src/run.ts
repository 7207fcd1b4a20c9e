// rollback: work out exactly which release to put back (the ledger's record of what was good before the live
// one, else the provider's own history), re-point production at it, check it answers, and record what happened.
import { ShiplineError, failureMessage } from '../../../shared/errors.js';
import { request } from '../../../shared/http.js';
import { Ledger, type LedgerEntry, openLedger } from '../../../shared/ledger.js';
import { loadProvider, providerConfig } from '../../../shared/providers/load.js';
import type { Provider, Release } from '../../../shared/providers/provider.js';
import { readRunContext } from '../../../shared/run-context.js';
import { group, info, setOutput, warning } from '../../../shared/runner.js';
import { releaseCell, releaseLabel } from '../../../shared/release-summary.js';
import { appendSummary, facts } from '../../../shared/summary.js';
import type { RollbackInputs } from './inputs.js';

export interface RollbackPlan {
  live: Release | undefined;
  liveEntry: LedgerEntry | undefined;
  target: Release | undefined;
  /** Why nothing needs to change, when nothing does. */
  noChange?: string;
  source: 'ledger' | 'provider history' | 'input';
}

const SHA = /^[0-9a-f]{7,40}$/i;

async function plan(inputs: RollbackInputs, provider: Provider, entries: LedgerEntry[] | undefined): Promise<RollbackPlan> {
  // The provider says what production serves (where it can: Supabase functions carry no release identity, and
  // then the ledger's live release is it); the ledger says what was good before it.
  const live = (await provider.current()) ?? (entries ? Ledger.live(entries)?.payload.release : undefined);
  const liveEntry = entries ? ((live && Ledger.byProviderId(entries, live.id)) ?? Ledger.live(entries)) : undefined;
  if (entries && live && liveEntry && liveEntry.payload.release.id !== live.id) warning(`The ledger's live release (${liveEntry.payload.release.id}) is not what ${provider.name} serves (${live.id}); trusting ${provider.name}.`);
  const base = { live, liveEntry };

  const failed = inputs['failed-deployment-id'];
  if (failed && live?.id !== failed) {
    return { ...base, target: live, source: 'input', noChange: `${failed} is not live (production serves ${live?.id ?? 'nothing'}): nothing to restore` };
  }

  if (inputs.target === 'previous') {
    if (entries) {
      // The provider serves a release the ledger never recorded as live (a multi-service release that failed
      // part-way and could not be put back): the ledger's live release is the one before it, one release back,
      // and stays good in the ledger (what is taken out is the unrecorded one).
      if (live && liveEntry && liveEntry.payload.release.id !== live.id && live.services?.length) return { live, liveEntry: undefined, target: liveEntry.payload.release, source: 'ledger' };
      const rolledBack = liveEntry?.payload.rollback;
      if (rolledBack && !failed) return { ...base, target: live, source: 'ledger', noChange: `already rolled back: ${liveEntry?.payload.release.id} was restored from ${rolledBack.from.id}` };
      return { ...base, target: Ledger.previousGood(entries, liveEntry)?.payload.release, source: 'ledger' };
    }
    if (live?.restoredFrom && !failed) return { ...base, target: live, source: 'provider history', noChange: `already rolled back: ${live.id} was restored from ${live.restoredFrom}` };
    return { ...base, target: await provider.previous(live), source: 'provider history' };
  }
  if (SHA.test(inputs.target)) {
    const fromLedger = entries ? Ledger.bySha(entries, inputs.target)?.payload.release : undefined;
    return { ...base, target: fromLedger ?? (await provider.findBySha(inputs.target)), source: fromLedger ? 'ledger' : 'provider history' };
  }
  return { ...base, target: await provider.describe(inputs.target), source: 'input' };
}

async function verify(url: string): Promise<number> {
  const response = await request(url, { label: `GET ${url}`, timeoutMs: 10_000, retry: { retries: 3, baseDelayMs: 500 } });
  await response.body?.cancel().catch(() => undefined);
  if (response.status >= 400) throw new ShiplineError(`Rolled back, but ${url} answers HTTP ${response.status}`, { hint: 'Production now serves the restored release; check it by hand.' });
  return response.status;
}

export async function run(inputs: RollbackInputs): Promise<void> {
  const context = readRunContext();
  const provider = await loadProvider(inputs.provider, providerConfig(inputs, context.workspace));
  const ledger = await openLedger({ token: inputs['github-token'], apiUrl: context.apiUrl, repository: context.repository });
  const entries = ledger ? await ledger.entries(inputs.environment) : undefined;
  const p = await plan(inputs, provider, entries);
  const reason = inputs.reason ? ` (${inputs.reason})` : '';

  if (p.noChange) {
    info(`Rollback: ${p.noChange}.`);
    if (ledger && entries && inputs['failed-deployment-id']) {
      const failedEntry = Ledger.byProviderId(entries, inputs['failed-deployment-id']);
      if (failedEntry && !failedEntry.everFailed && !inputs['dry-run']) await ledger.setStatus(failedEntry.id, 'failure', { description: `failed checks, never live${reason}`, logUrl: context.runUrl });
    }
    setOutput('changed', 'false');
    if (p.target) {
      setOutput('restored-deployment-id', p.target.id);
      if (p.target.url) setOutput('url', p.target.url);
    }
    appendSummary(summary(p, `no change: ${p.noChange}`, inputs));
    return;
  }
  if (!p.target) throw new ShiplineError(`No release to roll back to in ${inputs.environment} (${p.source}${p.live ? `; live is ${p.live.id}` : ''})`, { hint: "Name one with input 'target' (a deployment id or a commit SHA)." });
  if (p.target.id === p.live?.id) {
    info(`Rollback: ${p.target.id} is already live.`);
    setOutput('changed', 'false');
    setOutput('restored-deployment-id', p.target.id);
    if (p.target.url) setOutput('url', p.target.url);
    appendSummary(summary(p, 'no change: already live', inputs));
    return;
  }
  if (inputs['dry-run']) {
    info(`Dry run: would restore ${p.target.id} (${p.target.url ?? 'no URL'}) in place of ${p.live?.id ?? 'nothing'}, found from ${p.source}.`);
    setOutput('changed', 'false');
    appendSummary(summary(p, `dry run: would restore ${p.target.id}`, inputs));
    return;
  }

  const target = p.target;
  const started = Date.now();
  const restored = await group(`Roll back ${inputs.environment}: ${p.live?.id ?? '?'} → ${target.id}`, () => provider.rollback(target, Date.now() + inputs['wait-timeout']));
  const switchMs = Date.now() - started;
  setOutput('changed', 'true');
  setOutput('restored-deployment-id', restored.id);
  if (restored.url) setOutput('url', restored.url);
  if (p.live) setOutput('rolled-back-deployment-id', p.live.id);

  if (ledger) {
    if (p.liveEntry && !p.liveEntry.everFailed) await ledger.setStatus(p.liveEntry.id, 'failure', { description: `rolled back to ${restored.id}${reason}`, logUrl: context.runUrl });
    const id = await ledger.record({
      release: restored,
      previous: p.live,
      rollback: p.live ? { from: p.live, reason: inputs.reason || undefined } : undefined,
      environment: inputs.environment,
      sha: restored.sha || context.sha,
      ref: context.refName,
      production: true,
      transient: false,
      description: `rollback to ${restored.id}`,
      logUrl: context.runUrl,
    });
    await ledger.setStatus(id, 'success', { description: `restored ${restored.id} in place of ${p.live?.id ?? '?'}`, environmentUrl: restored.url, logUrl: context.runUrl });
    setOutput('ledger-id', id);
  }

  const verifyUrl = inputs['verify-url'] ?? restored.url;
  let verified = 'not checked';
  if (inputs.verify && verifyUrl) {
    try {
      verified = `HTTP ${await verify(verifyUrl)} from ${verifyUrl}`;
    } catch (error) {
      appendSummary(summary(p, `restored ${releaseLabel(restored)}, but verification failed: ${failureMessage(error).split('\n')[0]}`, inputs, switchMs));
      throw error;
    }
  }
  info(`Rollback: ${restored.id} is live again (${verified}); switched in ${(switchMs / 1000).toFixed(1)}s.`);
  appendSummary(summary(p, `restored ${releaseLabel(restored)}`, inputs, switchMs, verified));
}

function summary(p: RollbackPlan, outcome: string, inputs: RollbackInputs, switchMs?: number, verified?: string): string {
  return [
    `### Rollback: ${inputs.provider} → ${inputs.environment}`,
    facts([
      ['Outcome', outcome],
      ['Restored', releaseCell(p.target, { urls: true })],
      ['Taken out', p.live && p.live.id !== p.target?.id ? releaseCell(p.live) : undefined],
      ['Chosen from', p.source],
      ['Reason', inputs.reason],
      ['Switch time', switchMs !== undefined ? `${(switchMs / 1000).toFixed(1)}s` : undefined],
      ['Verified', verified],
    ]),
  ].join('\n\n');
}
