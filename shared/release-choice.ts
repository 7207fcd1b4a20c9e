// Which release is live, which one a rollback restores, and what the ledger owes: the decisions of deploy and
// rollback as data. Nothing here reads or writes anything: the ledger (shared/ledger.ts) reads GitHub, the provider
// says what production serves, and the actions carry out what these functions decide. So every rule can be read
// in one place and tested row by row (test/release-choice.test.ts).
//
// The words used throughout:
// - good: an entry that once reached success and was never marked failure. A release that failed is never
//   restored, whatever happened to it later.
// - live: the newest entry whose latest status is success.
// - previous good: the newest good entry older than the live one whose release is not the live release.
import type { SchemaChange } from './schema-changes.js';
import type { LedgerEntry, ReleasePayload } from './ledger.js';
import type { Release } from './providers/provider.js';

// ---------------------------------------------------------------------------------------------------------------
// Selection over ledger entries (newest first, as Ledger.entries returns them)

/** Reached success once, and never failed: a release a rollback may restore. */
export function isGood(entry: LedgerEntry): boolean {
  return entry.everSucceeded && !entry.everFailed;
}

export function liveEntry(entries: readonly LedgerEntry[]): LedgerEntry | undefined {
  return entries.find((e) => e.state === 'success');
}

/** The newest release older than `live` that was good and is not live itself. */
export function previousGood(entries: readonly LedgerEntry[], live: LedgerEntry | undefined): LedgerEntry | undefined {
  const start = live ? entries.findIndex((e) => e.id === live.id) + 1 : 0;
  return entries.slice(start).find((e) => isGood(e) && e.payload.release.id !== live?.payload.release.id);
}

export function byProviderId(entries: readonly LedgerEntry[], id: string): LedgerEntry | undefined {
  return entries.find((e) => e.payload.release.id === id);
}

/** The newest good entry among those read whose commit starts with `sha`. */
export function bySha(entries: readonly LedgerEntry[], sha: string): LedgerEntry | undefined {
  return entries.find((e) => e.sha.startsWith(sha) && isGood(e));
}

/** Newest first: by creation time, then by id (records created in the same second). */
export function newestFirst(a: { createdAt: string; id: number }, b: { createdAt: string; id: number }): number {
  return b.createdAt.localeCompare(a.createdAt) || b.id - a.id;
}

/**
 * Whether a record is a deploy of its commit. The records a rollback or a reconciliation wrote may carry the
 * commit of the run that wrote them (when the provider keeps no commit), but no release was deployed from it.
 */
function deployedFromItsCommit(payload: ReleasePayload): boolean {
  return !payload.rollback && !payload.adopted;
}

/** Of one commit's records, the ones a commit look-up considers, newest first. */
export function commitLookupOrder<T extends { createdAt: string; id: number; payload: ReleasePayload }>(
  records: readonly T[],
): T[] {
  return records.filter((r) => deployedFromItsCommit(r.payload)).sort(newestFirst);
}

/** The release a rollback to a commit restores: the newest good deploy of it (a later re-run of the same commit wins). */
export function goodOfCommit(entries: readonly LedgerEntry[]): LedgerEntry | undefined {
  return commitLookupOrder(entries).find(isGood);
}

/** The release deployed from a commit (rollback's failed-commit): its newest deploy, good or not. */
export function newestOfCommit<T extends { createdAt: string; id: number; payload: ReleasePayload }>(
  records: readonly T[],
): T | undefined {
  return commitLookupOrder(records)[0];
}

// ---------------------------------------------------------------------------------------------------------------
// Reconciliation: the ledger against what the provider serves

/**
 * How the ledger stands against what the provider serves:
 * - consistent: the ledger's latest live release is what production serves (or the provider cannot tell);
 * - adopt: production serves a release the ledger has no entry for (its write failed, or it was made by hand);
 * - went-live: production serves the release of an entry newer than the ledger's live one, whose success was
 *   never recorded (a write failed after the provider went live, or a staged release was promoted by hand);
 * - rolled-back: production serves an older entry's release: a rollback switched it and its ledger write failed
 *   (or someone rolled back by hand). The rollback's entry is what is missing.
 */
export type Reconciliation =
  | { kind: 'consistent'; live: LedgerEntry | undefined }
  | { kind: 'adopt'; release: Release; replaced: LedgerEntry | undefined }
  | { kind: 'went-live'; entry: LedgerEntry; replaced: LedgerEntry | undefined }
  | { kind: 'rolled-back'; release: Release; entry: LedgerEntry; replaced: LedgerEntry };

export type Completion = Exclude<Reconciliation, { kind: 'consistent' }>;

/** Compares the ledger with what the provider serves (`current`; undefined when the provider cannot tell). */
export function reconcile(entries: LedgerEntry[], current: Release | undefined): Reconciliation {
  const lastLive = entries.find((e) => e.everSucceeded);
  if (!current) return { kind: 'consistent', live: liveEntry(entries) };
  const entry = byProviderId(entries, current.id);
  if (!entry) return { kind: 'adopt', release: current, replaced: lastLive };
  if (entry === lastLive) return { kind: 'consistent', live: entry };
  if (!lastLive || entries.indexOf(entry) < entries.indexOf(lastLive))
    return { kind: 'went-live', entry, replaced: lastLive };
  return { kind: 'rolled-back', release: { ...entry.payload.release, ...current }, entry, replaced: lastLive };
}

/**
 * A Railway rollback starts new deployments from the old ones' images, so a release restored by a rollback whose
 * ledger write never happened has ids the ledger does not know: it is the ledger's good release of the same
 * commit over the same services, and is reconciled as that one (not adopted as a new release, whose "previous"
 * would be the release just rolled back).
 */
export function asRecorded(entries: readonly LedgerEntry[], live: Release | undefined): Release | undefined {
  if (!live?.services?.length || !live.sha || byProviderId(entries, live.id)) return live;
  const servicesOf = (r: Release) =>
    (r.services ?? [])
      .map((s) => s.service)
      .sort()
      .join(',');
  const same = entries.find(
    (e) => e.everSucceeded && e.sha === live.sha && servicesOf(e.payload.release) === servicesOf(live),
  );
  return same ? { ...live, id: same.payload.release.id } : live;
}

/** The ledger's entry of a release, under the ids production serves it with. */
function servingAs(entry: LedgerEntry, live: Release | undefined): LedgerEntry {
  return { ...entry, payload: { ...entry.payload, release: { ...entry.payload.release, ...live } } };
}

/** The entries with `live` as the newest (a new entry, or one whose success was just recorded). */
export function withLive(entries: readonly LedgerEntry[], live: LedgerEntry): LedgerEntry[] {
  return [live, ...entries.filter((e) => e.id !== live.id)];
}

/**
 * What the ledger says against what production serves, for each way of reading it:
 * - 'rollback' reads every release the provider serves as one, settled or not: a mix of services (Railway's
 *   switch that stopped part-way) is never adopted; a restored multi-service release is recognised by its commit
 *   and services (asRecorded) and its completion written under the ids it is served with.
 * - 'deploy' needs only what is live: a multi-service release the ledger has no entry for is a mix left by a
 *   release that failed part-way, never recorded as good; what was live before it stays live, and nothing is owed.
 */
export type LedgerStanding =
  /** Nothing to write: `live` is the ledger's entry of what production serves (or the ledger's live entry). */
  | { kind: 'agrees'; live: LedgerEntry | undefined }
  /** Production serves no single release: nothing is recorded until it does. */
  | { kind: 'not-a-release'; live: LedgerEntry | undefined; mixed: string }
  /** Production serves a multi-service release the ledger never recorded: the ledger's live release stands. */
  | { kind: 'unrecorded-mix'; live: LedgerEntry | undefined }
  | { kind: 'owes'; completion: Completion; writes: LedgerWrite[] };

export function standing(
  reader: 'deploy' | 'rollback',
  entries: LedgerEntry[],
  current: Release | undefined,
  context: CompletionContext,
): LedgerStanding {
  if (reader === 'rollback' && current?.mixed)
    return { kind: 'not-a-release', live: liveEntry(entries), mixed: current.mixed };
  const recorded = reader === 'rollback' ? asRecorded(entries, current) : current;
  const found = reconcile(entries, recorded);
  if (found.kind === 'consistent')
    return { kind: 'agrees', live: found.live && recorded !== current ? servingAs(found.live, current) : found.live };
  if (reader === 'deploy' && found.kind === 'adopt' && found.release.services?.length)
    return { kind: 'unrecorded-mix', live: found.replaced };
  // Reconciled as the recorded release, written as what production serves (its own ids).
  const completion =
    found.kind === 'rolled-back' && recorded !== current
      ? { ...found, release: { ...found.release, ...current } }
      : found;
  return { kind: 'owes', completion, writes: completionWrites(completion, context) };
}

// ---------------------------------------------------------------------------------------------------------------
// The writes the ledger owes

/** The payload of a record to create (the ledger adds its version and key). */
type RecordPayload = Omit<ReleasePayload, 'shipline' | 'key'>;

/**
 * One ledger write, in the order they are made. A status of `'recorded'` goes to the record the write before it
 * created.
 */
export type LedgerWrite =
  | {
      op: 'status';
      id: number | 'recorded';
      state: 'success' | 'failure';
      description: string;
      environmentUrl?: string;
    }
  | { op: 'record'; payload: RecordPayload; sha: string; description: string };

export interface CompletionContext {
  /** The provider's name, for descriptions. */
  provider: string;
  /** The commit of the run writing, for a record whose release carries none. */
  sha: string;
}

/** The writes that make the ledger agree with production, in order. They change nothing at the provider. */
function completionWrites(r: Completion, context: CompletionContext): LedgerWrite[] {
  const live = r.kind === 'went-live' ? r.entry.payload.release : r.release;
  const liveStatus = (id: number | 'recorded'): LedgerWrite => ({
    op: 'status',
    id,
    state: 'success',
    description: `live at ${context.provider} (recorded late)`,
    environmentUrl: live.url,
  });
  const rolledBackFrom = (entry: LedgerEntry): LedgerWrite => ({
    op: 'status',
    id: entry.id,
    state: 'failure',
    description: `rolled back to ${live.id} (recorded late)`,
  });
  if (r.kind === 'went-live') {
    const from = r.entry.payload.rollback?.from;
    // A rollback entry whose success was never recorded: the release it took out is marked failed too.
    const takenOut =
      from && r.replaced && r.replaced.payload.release.id === from.id && !r.replaced.everFailed
        ? [rolledBackFrom(r.replaced)]
        : [];
    return [liveStatus(r.entry.id), ...takenOut];
  }
  const previous = r.replaced?.payload.release;
  const payload: RecordPayload =
    r.kind === 'adopt'
      ? { release: live, previous, adopted: true }
      : {
          release: live,
          previous,
          rollback: { from: r.replaced.payload.release, reason: 'recorded late: production had already been switched' },
        };
  const record: LedgerWrite = {
    op: 'record',
    payload,
    sha: live.sha || context.sha,
    description:
      r.kind === 'adopt' ? `adopted: ${context.provider} serves ${live.id}` : `rollback to ${live.id} (recorded late)`,
  };
  const takenOut = r.kind === 'rolled-back' && !r.replaced.everFailed ? [rolledBackFrom(r.replaced)] : [];
  return [...takenOut, record, liveStatus('recorded')];
}

/** The entry of the live release once `completion` is written (`recordedId`: the id of the record it created). */
export function completedEntry(
  r: Completion,
  recordedId: number,
  context: CompletionContext & { environment: string; ref: string; key?: string; createdAt: string },
): LedgerEntry {
  if (r.kind === 'went-live') return { ...r.entry, state: 'success', everSucceeded: true };
  const [record] = completionWrites(r, context).filter(
    (w): w is Extract<LedgerWrite, { op: 'record' }> => w.op === 'record',
  );
  const payload = record!.payload;
  return {
    id: recordedId,
    sha: record!.sha,
    ref: context.ref,
    environment: context.environment,
    createdAt: context.createdAt,
    payload: { shipline: 1, key: context.key, ...payload },
    state: 'success',
    everSucceeded: true,
    everFailed: false,
  };
}

/** The release taken out of a rollback and the one restored: the writes that record it, in order. */
export function rollbackWrites(
  taken: { live: Release | undefined; liveEntry: LedgerEntry | undefined },
  restored: Release,
  why: {
    takenOutDescription: string;
    reason?: string;
    failedCommit?: string;
    schemaAhead?: string;
    migratedDown?: string[];
    sha: string;
  },
): LedgerWrite[] {
  const markFailed: LedgerWrite[] =
    taken.liveEntry && !taken.liveEntry.everFailed
      ? [{ op: 'status', id: taken.liveEntry.id, state: 'failure', description: why.takenOutDescription }]
      : [];
  return [
    ...markFailed,
    {
      op: 'record',
      payload: {
        release: restored,
        previous: taken.live,
        rollback: taken.live
          ? {
              from: taken.live,
              reason: why.reason || undefined,
              failedCommit: why.failedCommit,
              schemaAhead: why.schemaAhead,
              migratedDown: why.migratedDown,
            }
          : undefined,
      },
      sha: restored.sha || why.sha,
      description: `rollback to ${restored.id}`,
    },
    {
      op: 'status',
      id: 'recorded',
      state: 'success',
      description: `restored ${restored.id} in place of ${taken.live?.id ?? '?'}`,
      environmentUrl: restored.url,
    },
  ];
}

/** The ledger writes a rollback from `taken` to `restored` consists of, in words a person can carry out. */
export function owedWritesText(taken: Release | undefined, restored: Release): string {
  return taken
    ? `mark ${taken.id} failed and record ${restored.id} live as a rollback from ${taken.id}`
    : `record ${restored.id} live`;
}

/**
 * The contract migrations still in place for a rollback to `targetId`: those recorded with every release deployed
 * after the target was first deployed (failed ones too: their migrations ran, and an app rollback undoes none),
 * less those a later migrate-down rollback reverted.
 * Undefined when the entries read do not reach the target's first deploy, so nothing can be said.
 */
export function schemaAhead(
  entries: LedgerEntry[],
  targetId: string,
): { release: Release; changes: SchemaChange[] }[] | undefined {
  const ordered = [...entries].sort(newestFirst);
  const first = ordered.findLastIndex((e) => e.payload.release.id === targetId && !e.payload.rollback);
  if (first < 0) return undefined;
  // A migrate-down rollback reverted the migrations it lists: older deploys' contract migrations among them are no
  // longer in place. Walking newest first, a deploy that applied one again after that rollback is met before it.
  const reverted = new Set<string>();
  const fileName = (path: string) => path.replace(/^.*\//, '');
  const ahead: { release: Release; changes: SchemaChange[] }[] = [];
  for (const e of ordered.slice(0, first)) {
    for (const file of e.payload.rollback?.migratedDown ?? []) reverted.add(fileName(file));
    const changes = (e.payload.schema?.contract ?? []).filter((c) => !reverted.has(fileName(c.file)));
    if (changes.length > 0) ahead.push({ release: e.payload.release, changes });
  }
  return ahead;
}

// ---------------------------------------------------------------------------------------------------------------
// What a rollback does

/** Where a rollback's target came from. */
export type TargetSource = 'ledger' | 'provider history' | 'input';

/** What `target: previous` decides from the ledger (or asks the provider's history for). */
export type PreviousChoice =
  | { kind: 'nothing-to-do'; reason: string; target: Release | undefined; source: TargetSource }
  | { kind: 'chosen'; target: Release | undefined; source: TargetSource; liveEntry: LedgerEntry | undefined }
  | { kind: 'ask-provider' };

/**
 * `target: previous`. `entries` is undefined when there is no ledger (or it could not be read): the provider's
 * own record then says whether a rollback already happened, and its history what came before.
 */
export function choosePrevious(s: {
  live: Release | undefined;
  liveEntry: LedgerEntry | undefined;
  entries: LedgerEntry[] | undefined;
  failed: string | undefined;
}): PreviousChoice {
  const { live, liveEntry: entry, entries, failed } = s;
  const serving = live ?? entry?.payload.release;
  if (entries) {
    // The provider serves a release the ledger never recorded as live (a multi-service release that failed
    // part-way and could not be put back): the ledger's live release is the one before it, one release back,
    // and stays good in the ledger (what is taken out is the unrecorded one).
    if (live && entry && entry.payload.release.id !== live.id && live.services?.length)
      return { kind: 'chosen', target: entry.payload.release, source: 'ledger', liveEntry: undefined };
    const rolledBack = entry?.payload.rollback;
    // A re-run of a rollback that happened: it never rolls back a second time.
    if (rolledBack && !failed)
      return {
        kind: 'nothing-to-do',
        target: serving,
        source: 'ledger',
        reason: `already rolled back: ${entry?.payload.release.id} was restored from ${rolledBack.from.id}`,
      };
    return {
      kind: 'chosen',
      target: previousGood(entries, entry)?.payload.release,
      source: 'ledger',
      liveEntry: entry,
    };
  }
  if (live?.restoredFrom && !failed)
    return {
      kind: 'nothing-to-do',
      target: live,
      source: 'provider history',
      reason: `already rolled back: ${live.id} was restored from ${live.restoredFrom}`,
    };
  return { kind: 'ask-provider' };
}

/** A rollback of a named failed release that production no longer serves restores nothing. */
export function failedNotLive(failed: string | undefined, serving: Release | undefined): string | undefined {
  if (!failed || serving?.id === failed) return undefined;
  return `${failed} is not live (production serves ${serving?.id ?? 'nothing'}): nothing to restore`;
}

/**
 * When production serves a mix of services, the ledger's live release is taken out only when it is not the one
 * restored (a rollback completed, not a deploy's services put back).
 */
export function takenOutOfMix(entry: LedgerEntry | undefined, target: Release | undefined): LedgerEntry | undefined {
  return entry && target && entry.sha !== target.sha ? entry : undefined;
}

/** What a rollback plan comes to. */
export type RollbackDecision =
  | { kind: 'nothing-to-do'; reason: string; target: Release | undefined }
  | { kind: 'refuse'; reason: string }
  | { kind: 'already-live'; target: Release }
  | { kind: 'restore'; target: Release; from: Release | undefined };

export function decideRollback(
  p: { live: Release | undefined; target: Release | undefined; noChange?: string; source: TargetSource },
  environment: string,
): RollbackDecision {
  if (p.noChange) return { kind: 'nothing-to-do', reason: p.noChange, target: p.target };
  if (!p.target)
    return {
      kind: 'refuse',
      reason: `No release to roll back to in ${environment} (${p.source}${p.live ? `; live is ${p.live.id}` : ''})`,
    };
  // Restoring what is already live would be a second switch for nothing.
  if (p.target.id === p.live?.id) return { kind: 'already-live', target: p.target };
  return { kind: 'restore', target: p.target, from: p.live };
}
