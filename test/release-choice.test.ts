// The release-choice rules (shared/release-choice.ts) as a table: one row per case, in-process, no bundle. The
// bundle tests (rollback*, reliability-ledger*, railway-rollback-atomic, deploy*) check the same rules through
// the runner contract; these rows name each rule on its own, so removing one turns its rows red.
import { describe, expect, test } from '@jest/globals';
import type { DeploymentState, LedgerEntry, ReleasePayload } from '../shared/ledger.js';
import type { Release } from '../shared/providers/provider.js';
import {
  type LedgerWrite,
  asRecorded,
  bySha,
  choosePrevious,
  completedEntry,
  decideRollback,
  failedNotLive,
  goodOfCommit,
  liveEntry,
  newestOfCommit,
  owedWritesText,
  previousGood,
  reconcile,
  rollbackWrites,
  standing,
  takenOutOfMix,
} from '../shared/release-choice.js';

const SHA_A = 'a'.repeat(40);
const SHA_B = 'b'.repeat(40);
const SHA_C = 'c'.repeat(40);
const CONTEXT = { provider: 'vercel', sha: 'f'.repeat(40) };

const release = (id: string, more: Partial<Release> = {}): Release => ({
  provider: 'vercel',
  id,
  url: `https://${id}.example.com`,
  ...more,
});

interface Row {
  id: string;
  /** Latest status; `succeeded`/`failed` say what the history held besides it. */
  state?: DeploymentState;
  succeeded?: boolean;
  failed?: boolean;
  sha?: string;
  payload?: Partial<ReleasePayload>;
  release?: Partial<Release>;
}

/** Ledger entries, newest first, as Ledger.entries returns them: the first row is the newest record. */
function ledger(...rows: Row[]): LedgerEntry[] {
  return rows.map((row, index) => {
    const deploymentId = 100 + rows.length - index;
    const state = row.state;
    return {
      id: deploymentId,
      sha: row.sha ?? SHA_A,
      ref: 'main',
      environment: 'production',
      createdAt: new Date(Date.UTC(2026, 0, 1, 0, rows.length - index)).toISOString(),
      payload: { shipline: 1, key: `k-${row.id}`, release: release(row.id, row.release), ...row.payload },
      state,
      everSucceeded: row.succeeded ?? (state === 'success' || state === 'inactive'),
      everFailed: row.failed ?? (state === 'failure' || state === 'error'),
    };
  });
}

const ids = (entry: LedgerEntry | undefined) => entry?.payload.release.id;
const idOf = (entries: LedgerEntry[], releaseId: string) => entries.find((e) => e.payload.release.id === releaseId)!.id;

describe('live and previous', () => {
  test.each<[string, LedgerEntry[], string | undefined, string | undefined]>([
    [
      'live is the newest entry whose latest status is success; previous the good one before it',
      ledger({ id: 'c', state: 'success' }, { id: 'b', state: 'inactive' }, { id: 'a', state: 'inactive' }),
      'c',
      'b',
    ],
    [
      'a staged release (in progress) is not live; previous is one back from the live one',
      ledger({ id: 'staged', state: 'in_progress' }, { id: 'b', state: 'success' }, { id: 'a', state: 'inactive' }),
      'b',
      'a',
    ],
    [
      'a release that failed is never restored, even one that was live before it failed',
      ledger(
        { id: 'c', state: 'success' },
        { id: 'bad', state: 'failure', succeeded: true },
        { id: 'a', state: 'inactive' },
      ),
      'c',
      'a',
    ],
    [
      'a release that failed and was later marked inactive is still never restored',
      ledger(
        { id: 'c', state: 'success' },
        { id: 'bad', state: 'inactive', failed: true },
        { id: 'a', state: 'inactive' },
      ),
      'c',
      'a',
    ],
    [
      'a release that errored (never live) is passed over',
      ledger({ id: 'c', state: 'success' }, { id: 'never', state: 'error' }, { id: 'a', state: 'inactive' }),
      'c',
      'a',
    ],
    [
      'a second record of the live release is not "previous"',
      ledger({ id: 'c', state: 'success' }, { id: 'c', state: 'inactive' }, { id: 'a', state: 'inactive' }),
      'c',
      'a',
    ],
    ['nothing to roll back: one good release only', ledger({ id: 'only', state: 'success' }), 'only', undefined],
    [
      'nothing to roll back: every older release failed',
      ledger(
        { id: 'c', state: 'success' },
        { id: 'x', state: 'failure', succeeded: true },
        { id: 'y', state: 'failure' },
      ),
      'c',
      undefined,
    ],
    [
      'no live release: previous is the newest good one',
      ledger({ id: 'x', state: 'failure', succeeded: true }, { id: 'a', state: 'inactive' }),
      undefined,
      'a',
    ],
  ])('%s', (_name, entries, live, previous) => {
    expect(ids(liveEntry(entries))).toBe(live);
    expect(ids(previousGood(entries, liveEntry(entries)))).toBe(previous);
  });
});

describe('a rollback to a commit', () => {
  const twiceBuilt = ledger(
    { id: 'b1', state: 'success', sha: SHA_B },
    { id: 'a-second', state: 'inactive', sha: SHA_A },
    { id: 'a-first', state: 'inactive', sha: SHA_A },
  );
  test.each<[string, LedgerEntry[], string | undefined]>([
    [
      'a commit deployed twice: the newest good release of it, not the oldest',
      twiceBuilt.filter((e) => e.sha === SHA_A),
      'a-second',
    ],
    [
      'the newest release of the commit failed: the newest good one before it',
      ledger({ id: 'a-bad', state: 'failure', succeeded: true }, { id: 'a-good', state: 'inactive' }),
      'a-good',
    ],
    [
      'a rollback entry recorded under the commit (a provider that keeps no commit) is passed over',
      ledger(
        { id: 'restored-by-rollback', state: 'success', payload: { rollback: { from: release('x') } } },
        { id: 'a-deploy', state: 'inactive' },
      ),
      'a-deploy',
    ],
    [
      'an adopted entry recorded under the commit is passed over',
      ledger({ id: 'adopted', state: 'success', payload: { adopted: true } }, { id: 'a-deploy', state: 'inactive' }),
      'a-deploy',
    ],
    ['a commit whose only release failed: nothing', ledger({ id: 'a-bad', state: 'failure' }), undefined],
  ])('%s', (_name, entries, expected) => {
    // Ledger.goodOfCommit hands these in the order GitHub answered: oldest first is the hard case.
    expect(ids(goodOfCommit([...entries].reverse()))).toBe(expected);
  });

  test.each<[string, LedgerEntry[], string | undefined]>([
    [
      'the failed commit is its newest deploy, good or not',
      ledger({ id: 'a-bad', state: 'failure' }, { id: 'a-good', state: 'inactive' }),
      'a-bad',
    ],
    [
      'the failed commit is never a rollback or adopted entry carrying its SHA',
      ledger(
        { id: 'rollback', state: 'success', payload: { rollback: { from: release('x') } } },
        { id: 'adopted', state: 'inactive', payload: { adopted: true } },
        { id: 'a-deploy', state: 'success' },
      ),
      'a-deploy',
    ],
    [
      'a commit never deployed: nothing',
      ledger({ id: 'rollback', state: 'success', payload: { rollback: { from: release('x') } } }),
      undefined,
    ],
  ])('%s', (_name, entries, expected) => {
    expect(ids(newestOfCommit([...entries].reverse()))).toBe(expected);
  });

  test.each<[string, LedgerEntry[], string, string | undefined]>([
    [
      'among the entries read, a short SHA finds the newest good release of its commit',
      ledger(
        { id: 'b', state: 'success', sha: SHA_B },
        { id: 'a2', state: 'inactive' },
        { id: 'a1', state: 'inactive' },
      ),
      'aaaaaaa',
      'a2',
    ],
    [
      'among the entries read, a failed release of the commit is passed over',
      ledger(
        { id: 'b', state: 'success', sha: SHA_B },
        { id: 'a2', state: 'failure', succeeded: true },
        { id: 'a1', state: 'inactive' },
      ),
      'aaaaaaa',
      'a1',
    ],
    [
      'among the entries read, a commit with no release: nothing',
      ledger({ id: 'b', state: 'success', sha: SHA_B }),
      SHA_C,
      undefined,
    ],
  ])('%s', (_name, entries, sha, expected) => {
    expect(ids(bySha(entries, sha))).toBe(expected);
  });
});

describe('reconciliation: each kind and the writes it owes', () => {
  const rows: [string, LedgerEntry[], Release | undefined, string, (e: LedgerEntry[]) => LedgerWrite[]][] = [
    [
      'production serves the ledger’s live release: consistent, nothing owed',
      ledger({ id: 'b', state: 'success' }, { id: 'a', state: 'inactive' }),
      release('b'),
      'agrees',
      () => [],
    ],
    [
      'the provider cannot tell (Supabase functions): consistent with the ledger’s live release',
      ledger({ id: 'b', state: 'success' }, { id: 'a', state: 'inactive' }),
      undefined,
      'agrees',
      () => [],
    ],
    [
      'production serves a release the ledger never heard of: adopt (one record, then its success)',
      ledger({ id: 'b', state: 'success' }),
      release('by-hand', { sha: SHA_C }),
      'owes',
      () => [
        {
          op: 'record',
          payload: { release: release('by-hand', { sha: SHA_C }), previous: release('b'), adopted: true },
          sha: SHA_C,
          description: 'adopted: vercel serves by-hand',
        },
        {
          op: 'status',
          id: 'recorded',
          state: 'success',
          description: 'live at vercel (recorded late)',
          environmentUrl: 'https://by-hand.example.com',
        },
      ],
    ],
    [
      'adopting a release with no commit records it under the commit of the run',
      ledger({ id: 'b', state: 'success' }),
      release('no-commit'),
      'owes',
      () => [
        {
          op: 'record',
          payload: { release: release('no-commit'), previous: release('b'), adopted: true },
          sha: CONTEXT.sha,
          description: 'adopted: vercel serves no-commit',
        },
        {
          op: 'status',
          id: 'recorded',
          state: 'success',
          description: 'live at vercel (recorded late)',
          environmentUrl: 'https://no-commit.example.com',
        },
      ],
    ],
    [
      'production serves a newer entry whose success was never written: went-live (its success only)',
      ledger({ id: 'c', state: 'in_progress' }, { id: 'b', state: 'success' }),
      release('c'),
      'owes',
      (e) => [
        {
          op: 'status',
          id: idOf(e, 'c'),
          state: 'success',
          description: 'live at vercel (recorded late)',
          environmentUrl: 'https://c.example.com',
        },
      ],
    ],
    [
      'production serves an older entry: rolled-back (the bad one failed, the rollback recorded, then live)',
      ledger({ id: 'b', state: 'success' }, { id: 'a', state: 'inactive' }),
      release('a'),
      'owes',
      (e) => [
        { op: 'status', id: idOf(e, 'b'), state: 'failure', description: 'rolled back to a (recorded late)' },
        {
          op: 'record',
          payload: {
            release: release('a'),
            previous: release('b'),
            rollback: { from: release('b'), reason: 'recorded late: production had already been switched' },
          },
          sha: CONTEXT.sha,
          description: 'rollback to a (recorded late)',
        },
        {
          op: 'status',
          id: 'recorded',
          state: 'success',
          description: 'live at vercel (recorded late)',
          environmentUrl: 'https://a.example.com',
        },
      ],
    ],
  ];
  test.each(rows)('%s', (_name, entries, current, kind, writes) => {
    const found = standing('deploy', entries, current, CONTEXT);
    expect(found.kind).toBe(kind);
    expect(found.kind === 'owes' ? found.writes : []).toEqual(writes(entries));
    // Both readers agree on single-service releases.
    expect(standing('rollback', entries, current, CONTEXT)).toEqual(found);
  });

  test.each<[string, LedgerEntry[], Release, string]>([
    ['consistent', ledger({ id: 'b', state: 'success' }), release('b'), 'consistent'],
    ['adopt', ledger({ id: 'b', state: 'success' }), release('z'), 'adopt'],
    ['went-live', ledger({ id: 'c', state: 'in_progress' }, { id: 'b', state: 'success' }), release('c'), 'went-live'],
    ['went-live with no live release at all', ledger({ id: 'c', state: 'in_progress' }), release('c'), 'went-live'],
    ['rolled-back', ledger({ id: 'b', state: 'success' }, { id: 'a', state: 'inactive' }), release('a'), 'rolled-back'],
  ])('reconcile names %s', (_name, entries, current, kind) => {
    expect(reconcile(entries, current).kind).toBe(kind);
  });
});

describe('a re-run after a half-done rollback writes exactly what is owed, and never rolls back twice', () => {
  // b was live and bad; a rollback switched production to a. Each row: how far its ledger writes got.
  const rows: [string, LedgerEntry[], (e: LedgerEntry[]) => LedgerWrite[]][] = [
    [
      'no write made: mark b failed, record the rollback, mark it live',
      ledger({ id: 'b', state: 'success' }, { id: 'a', state: 'inactive' }),
      (e) => [
        { op: 'status', id: idOf(e, 'b'), state: 'failure', description: 'rolled back to a (recorded late)' },
        {
          op: 'record',
          payload: {
            release: release('a'),
            previous: release('b'),
            rollback: { from: release('b'), reason: 'recorded late: production had already been switched' },
          },
          sha: CONTEXT.sha,
          description: 'rollback to a (recorded late)',
        },
        {
          op: 'status',
          id: 'recorded',
          state: 'success',
          description: 'live at vercel (recorded late)',
          environmentUrl: 'https://a.example.com',
        },
      ],
    ],
    [
      'b marked failed, the record not made: the record and its success, b is not marked again',
      ledger({ id: 'b', state: 'failure', succeeded: true }, { id: 'a', state: 'inactive' }),
      () => [
        {
          op: 'record',
          payload: {
            release: release('a'),
            previous: release('b'),
            rollback: { from: release('b'), reason: 'recorded late: production had already been switched' },
          },
          sha: CONTEXT.sha,
          description: 'rollback to a (recorded late)',
        },
        {
          op: 'status',
          id: 'recorded',
          state: 'success',
          description: 'live at vercel (recorded late)',
          environmentUrl: 'https://a.example.com',
        },
      ],
    ],
    [
      'b marked failed and the record made, its success lost: that success only',
      ledger(
        { id: 'a', state: 'in_progress', payload: { rollback: { from: release('b') } } },
        { id: 'b', state: 'failure', succeeded: true },
        { id: 'a', state: 'inactive' },
      ),
      (e) => [
        {
          op: 'status',
          id: e[0]!.id,
          state: 'success',
          description: 'live at vercel (recorded late)',
          environmentUrl: 'https://a.example.com',
        },
      ],
    ],
    [
      'the record made before b was marked: its success, and b marked failed',
      ledger(
        { id: 'a', state: 'in_progress', payload: { rollback: { from: release('b') } } },
        { id: 'b', state: 'success' },
        { id: 'a', state: 'inactive' },
      ),
      (e) => [
        {
          op: 'status',
          id: e[0]!.id,
          state: 'success',
          description: 'live at vercel (recorded late)',
          environmentUrl: 'https://a.example.com',
        },
        { op: 'status', id: idOf(e, 'b'), state: 'failure', description: 'rolled back to a (recorded late)' },
      ],
    ],
  ];
  test.each(rows)('%s', (_name, entries, writes) => {
    const found = standing('rollback', entries, release('a'), CONTEXT);
    if (found.kind !== 'owes') throw new Error(`expected writes owed, got ${found.kind}`);
    expect(found.writes).toEqual(writes(entries));
    // Once written, the live entry is the rollback's: `previous` finds nothing to do.
    const live = completedEntry(found.completion, 999, {
      ...CONTEXT,
      environment: 'production',
      ref: 'main',
      createdAt: '2026-02-01T00:00:00Z',
    });
    const choice = choosePrevious({
      live: release('a'),
      liveEntry: live,
      entries: [live, ...entries.filter((e) => e.id !== live.id)],
      failed: undefined,
    });
    expect(choice).toEqual({
      kind: 'nothing-to-do',
      target: release('a'),
      source: 'ledger',
      reason: 'already rolled back: a was restored from b',
    });
  });

  test('a finished rollback owes nothing and its re-run restores nothing', () => {
    const entries = ledger(
      { id: 'a', state: 'success', payload: { rollback: { from: release('b') } } },
      { id: 'b', state: 'failure', succeeded: true },
      { id: 'a', state: 'inactive' },
    );
    const found = standing('rollback', entries, release('a'), CONTEXT);
    expect(found).toEqual({ kind: 'agrees', live: entries[0] });
    expect(choosePrevious({ live: release('a'), liveEntry: entries[0], entries, failed: undefined }).kind).toBe(
      'nothing-to-do',
    );
  });
});

describe('what a rollback decides', () => {
  const a = release('a');
  const b = release('b');
  test.each<[string, Parameters<typeof decideRollback>[0], ReturnType<typeof decideRollback>]>([
    [
      'a good release before the live one: restore it, from the live one',
      { live: b, target: a, source: 'ledger' },
      { kind: 'restore', target: a, from: b },
    ],
    [
      'the target is what production serves: nothing to switch (never twice)',
      { live: a, target: a, source: 'input' },
      { kind: 'already-live', target: a },
    ],
    [
      'nothing to roll back to: refused, naming where it looked and what is live',
      { live: b, target: undefined, source: 'ledger' },
      { kind: 'refuse', reason: 'No release to roll back to in production (ledger; live is b)' },
    ],
    [
      'nothing to roll back to and nothing live',
      { live: undefined, target: undefined, source: 'provider history' },
      { kind: 'refuse', reason: 'No release to roll back to in production (provider history)' },
    ],
    [
      'a reason to change nothing wins over a target',
      { live: a, target: a, source: 'ledger', noChange: 'already rolled back: a was restored from b' },
      { kind: 'nothing-to-do', reason: 'already rolled back: a was restored from b', target: a },
    ],
  ])('%s', (_name, plan, decision) => {
    expect(decideRollback(plan, 'production')).toEqual(decision);
  });

  test.each<[string, Parameters<typeof choosePrevious>[0], ReturnType<typeof choosePrevious>]>(
    (() => {
      const plain = ledger(
        { id: 'b', state: 'success' },
        { id: 'x', state: 'failure', succeeded: true },
        { id: 'a', state: 'inactive' },
      );
      const rolledBack = ledger(
        { id: 'a', state: 'success', payload: { rollback: { from: release('b') } } },
        { id: 'b', state: 'failure', succeeded: true },
        { id: 'a', state: 'inactive' },
        { id: 'old', state: 'inactive' },
      );
      const beforeMix = ledger({ id: 'good', state: 'success', sha: SHA_A }, { id: 'older', state: 'inactive' });
      const unrecorded = release('svc=new', {
        sha: SHA_B,
        services: [{ service: 'svc', deploymentId: 'new' } as never],
      });
      return [
        [
          'previous: the good release before the live one, passing over one that failed',
          { live: b, liveEntry: plain[0], entries: plain, failed: undefined },
          { kind: 'chosen', target: release('a'), source: 'ledger', liveEntry: plain[0] },
        ],
        [
          'previous after a rollback: already rolled back, nothing to do',
          { live: a, liveEntry: rolledBack[0], entries: rolledBack, failed: undefined },
          { kind: 'nothing-to-do', target: a, source: 'ledger', reason: 'already rolled back: a was restored from b' },
        ],
        [
          'previous after a rollback, with the failed release named: one back, never the release rolled back from',
          { live: a, liveEntry: rolledBack[0], entries: rolledBack, failed: 'a' },
          { kind: 'chosen', target: release('old'), source: 'ledger', liveEntry: rolledBack[0] },
        ],
        [
          'a multi-service release the ledger never recorded live: restore the ledger’s live one, which stays good',
          { live: unrecorded, liveEntry: beforeMix[0], entries: beforeMix, failed: undefined },
          { kind: 'chosen', target: release('good'), source: 'ledger', liveEntry: undefined },
        ],
        [
          'no ledger, and the provider says it restored this one: nothing to do',
          { live: release('a', { restoredFrom: 'b' }), liveEntry: undefined, entries: undefined, failed: undefined },
          {
            kind: 'nothing-to-do',
            target: release('a', { restoredFrom: 'b' }),
            source: 'provider history',
            reason: 'already rolled back: a was restored from b',
          },
        ],
        [
          'no ledger: the provider’s history is asked',
          { live: b, liveEntry: undefined, entries: undefined, failed: undefined },
          { kind: 'ask-provider' },
        ],
      ] as [string, Parameters<typeof choosePrevious>[0], ReturnType<typeof choosePrevious>][];
    })(),
  )('%s', (_name, state, choice) => {
    expect(choosePrevious(state)).toEqual(choice);
  });

  test.each<[string, string | undefined, Release | undefined, string | undefined]>([
    ['the failed release is live: it is rolled back from', 'b', release('b'), undefined],
    [
      'the failed release is no longer live: nothing to restore',
      'b',
      release('a'),
      'b is not live (production serves a): nothing to restore',
    ],
    [
      'the failed release and nothing live',
      'b',
      undefined,
      'b is not live (production serves nothing): nothing to restore',
    ],
    ['no failed release named', undefined, release('a'), undefined],
  ])('%s', (_name, failed, serving, reason) => {
    expect(failedNotLive(failed, serving)).toBe(reason);
  });

  test('the writes of a rollback: the live release failed, the restored one recorded, then live', () => {
    const entries = ledger({ id: 'b', state: 'success' }, { id: 'a', state: 'inactive' });
    expect(
      rollbackWrites({ live: b, liveEntry: entries[0] }, a, {
        takenOutDescription: 'rolled back to a',
        reason: 'smoke',
        failedCommit: SHA_B,
        sha: SHA_C,
      }),
    ).toEqual([
      { op: 'status', id: entries[0]!.id, state: 'failure', description: 'rolled back to a' },
      {
        op: 'record',
        payload: { release: a, previous: b, rollback: { from: b, reason: 'smoke', failedCommit: SHA_B } },
        sha: SHA_C,
        description: 'rollback to a',
      },
      {
        op: 'status',
        id: 'recorded',
        state: 'success',
        description: 'restored a in place of b',
        environmentUrl: a.url,
      },
    ]);
    // A live release already marked failed is not marked again.
    expect(
      rollbackWrites({ live: b, liveEntry: { ...entries[0]!, everFailed: true } }, a, {
        takenOutDescription: 'x',
        sha: SHA_C,
      }).map((w) => w.op),
    ).toEqual(['record', 'status']);
    expect(owedWritesText(b, a)).toBe('mark b failed and record a live as a rollback from b');
    expect(owedWritesText(undefined, a)).toBe('record a live');
  });
});

describe('Railway: a mix of services is never adopted, never the good release', () => {
  const services = (ids: string[]) => ids.map((id, i) => ({ service: `svc${i}`, deploymentId: id }) as never);
  const good = release('svc0=g0,svc1=g1', { sha: SHA_A, services: services(['g0', 'g1']) });
  const bad = release('svc0=b0,svc1=b1', { sha: SHA_B, services: services(['b0', 'b1']) });
  const entries = ledger(
    { id: bad.id, state: 'success', sha: SHA_B, release: bad },
    { id: good.id, state: 'inactive', sha: SHA_A, release: good },
  );

  test('rollback reading a mix: not a release, nothing written, the ledger’s live release stands', () => {
    const mix = release('svc0=g0,svc1=b1', {
      mixed: 'svc0 serves g0, svc1 serves b1',
      services: services(['g0', 'b1']),
    });
    expect(standing('rollback', entries, mix, CONTEXT)).toEqual({
      kind: 'not-a-release',
      live: entries[0],
      mixed: 'svc0 serves g0, svc1 serves b1',
    });
  });

  test('deploy reading a multi-service release with no entry: not adopted, the ledger’s live release stands', () => {
    const unrecorded = release('svc0=n0,svc1=n1', { sha: SHA_C, services: services(['n0', 'n1']) });
    expect(standing('deploy', entries, unrecorded, CONTEXT)).toEqual({ kind: 'unrecorded-mix', live: entries[0] });
  });

  test('a rollback whose write failed restored the good release under new ids: recognised by commit and services, completed under the served ids', () => {
    const restored = release('svc0=r0,svc1=r1', { sha: SHA_A, services: services(['r0', 'r1']) });
    expect(asRecorded(entries, restored)?.id).toBe(good.id);
    const found = standing('rollback', entries, restored, CONTEXT);
    if (found.kind !== 'owes') throw new Error(found.kind);
    expect(found.completion.kind).toBe('rolled-back');
    expect(
      found.writes.map((w) =>
        w.op === 'record' ? `record ${w.payload.release.id} from ${w.payload.rollback?.from.id}` : `${w.state} ${w.id}`,
      ),
    ).toEqual([`failure ${entries[0]!.id}`, `record ${restored.id} from ${bad.id}`, 'success recorded']);
  });

  test.each<[string, LedgerEntry | undefined, Release | undefined, boolean]>([
    ['the ledger’s live release is taken out when another commit is restored', entries[0], good, true],
    ['a deploy’s services put back on the ledger’s live release: nothing taken out', entries[1], good, false],
    ['no target yet: nothing taken out', entries[0], undefined, false],
  ])('%s', (_name, entry, target, takenOut) => {
    expect(takenOutOfMix(entry, target) !== undefined).toBe(takenOut);
  });
});
