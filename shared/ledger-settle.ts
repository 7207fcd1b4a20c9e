// The one sequence deploy and rollback both run before deciding anything: ask what the ledger owes against what
// production serves (release-choice.ts decides), say so, and write exactly that. Both actions read "previous" one
// back from what is really live only because of it: a re-run after a rollback whose ledger write failed writes
// the missing entry here and then finds nothing to roll back.
import type { DeploymentState, LedgerEntry, LedgerPort } from './ledger.js';
import type { Release } from './providers/provider.js';
import {
  type Completion,
  type LedgerStanding,
  type LedgerWrite,
  completedEntry,
  standing,
  withLive,
} from './release-choice.js';

export interface WriteContext {
  environment: string;
  /** The key of the record the writes create (one per step and purpose: a retried create is not made twice). */
  key: string;
  /** The commit of the run writing, for a record whose release carries none. */
  sha: string;
  ref: string;
  logUrl?: string;
}

/**
 * Makes `writes` in order; returns the id of the record one of them created. `onRecorded` hears of that id as
 * soon as it exists (before the status that follows it).
 */
export async function applyWrites(
  ledger: Pick<LedgerPort, 'record' | 'setStatus'>,
  writes: readonly LedgerWrite[],
  context: WriteContext,
  onRecorded?: (id: number) => void,
): Promise<number | undefined> {
  let recorded: number | undefined;
  for (const write of writes) {
    if (write.op === 'record') {
      recorded = await ledger.record({
        ...write.payload,
        key: context.key,
        environment: context.environment,
        sha: write.sha,
        ref: context.ref,
        production: true,
        transient: false,
        description: write.description,
        logUrl: context.logUrl,
      });
      onRecorded?.(recorded);
      continue;
    }
    const id = write.id === 'recorded' ? recorded : write.id;
    if (id === undefined) throw new Error('a status for a record that was not created');
    await ledger.setStatus(id, write.state satisfies DeploymentState, {
      description: write.description,
      environmentUrl: write.environmentUrl,
      logUrl: context.logUrl,
    });
  }
  return recorded;
}

export interface Settled {
  standing: LedgerStanding;
  /** The entries, with the entry of what production serves as the newest once the ledger owes nothing. */
  entries: LedgerEntry[];
  /** The entry of the release production serves (or the ledger's live one, when production serves no release). */
  liveEntry: LedgerEntry | undefined;
  /** What the ledger owed, when it owed something. */
  completion?: Completion;
}

/**
 * Reconcile, then complete: the ledger's standing against `current` and the writes it owes, made (or, in a dry
 * run, only imagined: the entry they would write is id 0, so what is decided next is what a real run decides).
 * `announce` hears of the standing before anything is written.
 */
export async function settleLedger(
  ledger: Pick<LedgerPort, 'record' | 'setStatus'>,
  entries: LedgerEntry[],
  current: Release | undefined,
  options: WriteContext & {
    reader: 'deploy' | 'rollback';
    provider: string;
    dryRun?: boolean;
    now: () => Date;
    announce?: (s: LedgerStanding) => void;
  },
): Promise<Settled> {
  const found = standing(options.reader, entries, current, { provider: options.provider, sha: options.sha });
  options.announce?.(found);
  if (found.kind !== 'owes') return { standing: found, entries, liveEntry: found.live };
  const r = found.completion;
  const entryContext = {
    provider: options.provider,
    sha: options.sha,
    environment: options.environment,
    ref: options.ref,
    createdAt: options.now().toISOString(),
  };
  if (options.dryRun) {
    const release = r.kind === 'went-live' ? r.entry.payload.release : r.release;
    const imagined: LedgerEntry =
      r.kind === 'went-live'
        ? { ...r.entry, state: 'success', everSucceeded: true }
        : {
            id: 0,
            sha: release.sha ?? '',
            ref: '',
            environment: options.environment,
            createdAt: entryContext.createdAt,
            state: 'success',
            everSucceeded: true,
            everFailed: false,
            payload: {
              shipline: 1,
              release,
              rollback: r.kind === 'rolled-back' ? { from: r.replaced.payload.release } : undefined,
            },
          };
    return { standing: found, entries: withLive(entries, imagined), liveEntry: imagined, completion: r };
  }
  const recorded = await applyWrites(ledger, found.writes, options);
  const liveEntry = completedEntry(r, recorded ?? 0, { ...entryContext, key: options.key });
  return { standing: found, entries: withLive(entries, liveEntry), liveEntry, completion: r };
}
