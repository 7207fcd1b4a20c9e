// rollback's run() driven in-process through its deps (actions/rollback/src/run.ts, RollbackDeps), with an
// in-memory ledger, provider and step: which provider calls happen in which order, which ledger writes, which
// outputs. The runner contract (inputs from INPUT_*, outputs to GITHUB_OUTPUT) is the bundle tests' (rollback*.test.ts).
import { describe, expect, test } from '@jest/globals';
import { readRollbackInputs } from '../actions/rollback/src/inputs.js';
import { type RollbackDeps, run } from '../actions/rollback/src/run.js';
import {
  CONTEXT,
  type Journal,
  MemoryLedger,
  MemoryProvider,
  MemoryStep,
  release,
  steppingClock,
} from './fakes/release-deps.js';

interface World {
  journal: Journal;
  ledger: MemoryLedger;
  provider: MemoryProvider;
  step: MemoryStep;
  deps: RollbackDeps;
  verified: string[];
}

function world(options: { ledger?: boolean } = {}): World {
  const journal: Journal = [];
  const ledger = new MemoryLedger(journal);
  const provider = new MemoryProvider(journal);
  const step = new MemoryStep(journal);
  const verified: string[] = [];
  const deps: RollbackDeps = {
    context: CONTEXT,
    io: step,
    now: steppingClock(),
    provider: async () => provider,
    ledger: async () => (options.ledger === false ? undefined : ledger),
    httpStatus: async (url) => {
      journal.push(`verify ${url}`);
      verified.push(url);
      return 200;
    },
    sentryDeploy: async () => ({ id: 'sentry-1' }),
  };
  return { journal, ledger, provider, step, deps, verified };
}

const inputs = (given: Record<string, string> = {}) => {
  const all: Record<string, string> = {
    provider: 'vercel',
    token: 'vercel-token',
    project: 'prj_shop',
    'github-token': 'ghs_token',
    ...given,
  };
  return readRollbackInputs((name) => all[name] ?? '');
};

/** b live and bad, a good before it, x failed between them: the provider serves b. */
function badOverGood(w: World): void {
  w.ledger.seed('a', ['in_progress', 'success', 'inactive']);
  w.ledger.seed('x', ['in_progress', 'failure']);
  w.ledger.seed('b', ['in_progress', 'success'], { sha: 'b'.repeat(40) });
  w.provider.history = [release('a'), release('b', { sha: 'b'.repeat(40) })];
  w.provider.serving = release('b', { sha: 'b'.repeat(40) });
}

const providerCalls = (w: World) => w.journal.filter((line) => line.startsWith('provider'));
const ledgerWrites = (w: World) =>
  w.journal.filter((line) => line.startsWith('ledger:') || line.startsWith('ledger failed'));

describe('rollback run(): decisions and effects through its deps', () => {
  test('previous: the good release before the live one (a failed one passed over), switched, then recorded, then changed=true', async () => {
    const w = world();
    badOverGood(w);
    await run(inputs(), w.deps);
    expect(providerCalls(w)).toEqual(['provider current', 'provider rollback a']);
    expect(ledgerWrites(w)).toEqual([
      'ledger: b failure (rolled back to a)',
      'ledger: record a (rollback from b)',
      'ledger: a in_progress (rollback to a)',
      'ledger: a success (restored a in place of b)',
    ]);
    // The ledger is written before the pipeline is told anything changed.
    const order = (line: string) => w.journal.indexOf(line);
    expect(order('ledger: a success (restored a in place of b)')).toBeLessThan(order('output changed=true'));
    expect(w.step.outputs).toMatchObject({
      changed: 'true',
      'restored-deployment-id': 'a',
      'rolled-back-deployment-id': 'b',
      'ledger-id': '4',
    });
    expect(w.verified).toEqual(['https://a.example.com']);
  });

  test('the provider fails after switching: the ledger is not marked changed, and changed is never written', async () => {
    const w = world();
    badOverGood(w);
    w.provider.failAfterSwitch = 'vercel: a did not serve within wait-timeout';
    await expect(run(inputs(), w.deps)).rejects.toThrow('a did not serve within wait-timeout');
    expect(providerCalls(w)).toEqual(['provider current', 'provider rollback a']);
    expect(ledgerWrites(w)).toEqual([]);
    expect(w.step.outputs.changed).toBeUndefined();
    expect(w.ledger.stateOf('b')).toBe('success');
  });

  test('the re-run after that finds a served, completes the ledger exactly, and never rolls back twice', async () => {
    const w = world();
    badOverGood(w);
    w.provider.failAfterSwitch = 'vercel: a did not serve within wait-timeout';
    await expect(run(inputs(), w.deps)).rejects.toThrow();
    w.provider.failAfterSwitch = undefined;
    w.journal.length = 0;
    await run(inputs(), w.deps);
    expect(providerCalls(w)).toEqual(['provider current']);
    expect(ledgerWrites(w)).toEqual([
      'ledger: b failure (rolled back to a (recorded late))',
      'ledger: record a (rollback from b)',
      'ledger: a in_progress (rollback to a (recorded late))',
      'ledger: a success (live at vercel (recorded late))',
    ]);
    expect(w.step.outputs).toMatchObject({ changed: 'false', 'restored-deployment-id': 'a' });
    expect(w.step.log).toContain('Rollback: already rolled back: a was restored from b.');
  });

  test('the ledger write fails after the switch: the step fails naming the writes owed; changed stays unwritten; the re-run writes them and switches nothing', async () => {
    const w = world();
    badOverGood(w);
    w.ledger.failWhen = (write) => write.startsWith('record a');
    await expect(run(inputs(), w.deps)).rejects.toThrow(
      'The ledger owes: mark b failed and record a live as a rollback from b.',
    );
    expect(providerCalls(w)).toEqual(['provider current', 'provider rollback a']);
    expect(w.step.outputs.changed).toBeUndefined();
    w.ledger.failWhen = () => false;
    w.journal.length = 0;
    await run(inputs(), w.deps);
    expect(providerCalls(w)).toEqual(['provider current']);
    // b was marked failed before the record failed: it is not marked again.
    expect(ledgerWrites(w)).toEqual([
      'ledger: record a (rollback from b)',
      'ledger: a in_progress (rollback to a (recorded late))',
      'ledger: a success (live at vercel (recorded late))',
    ]);
    expect(w.step.outputs.changed).toBe('false');
  });

  test('a finished rollback run again: nothing at the provider, nothing written', async () => {
    const w = world();
    badOverGood(w);
    await run(inputs(), w.deps);
    w.journal.length = 0;
    await run(inputs(), w.deps);
    expect(providerCalls(w)).toEqual(['provider current']);
    expect(ledgerWrites(w)).toEqual([]);
    expect(w.step.outputs.changed).toBe('false');
  });

  test('nothing to roll back to: refused before anything changes', async () => {
    const w = world();
    w.ledger.seed('only', ['in_progress', 'success']);
    w.provider.serving = release('only');
    await expect(run(inputs(), w.deps)).rejects.toThrow(
      'No release to roll back to in production (ledger; live is only)',
    );
    expect(providerCalls(w)).toEqual(['provider current']);
    expect(ledgerWrites(w)).toEqual([]);
    expect(w.step.outputs.changed).toBeUndefined();
  });

  test('a named target that is already live: no switch, changed=false', async () => {
    const w = world();
    badOverGood(w);
    await run(inputs({ target: `sha:${'b'.repeat(40)}` }), w.deps);
    expect(providerCalls(w)).toEqual(['provider current']);
    expect(ledgerWrites(w)).toEqual([]);
    expect(w.step.outputs).toMatchObject({ changed: 'false', 'restored-deployment-id': 'b' });
    expect(w.step.log).toContain('Rollback: b is already live.');
  });

  test('a commit target restores the newest good release of that commit', async () => {
    const w = world();
    w.ledger.seed('a-first', ['in_progress', 'success', 'inactive']);
    w.ledger.seed('a-second', ['in_progress', 'success', 'inactive']);
    w.ledger.seed('b', ['in_progress', 'success'], { sha: 'b'.repeat(40) });
    w.provider.serving = release('b', { sha: 'b'.repeat(40) });
    await run(inputs({ target: 'aaaaaaa' }), w.deps);
    expect(providerCalls(w)).toEqual(['provider current', 'provider rollback a-second']);
  });

  test('the failed release is no longer live: nothing restored, it is marked failed once', async () => {
    const w = world();
    w.ledger.seed('a', ['in_progress', 'success']);
    w.ledger.seed('staged', ['in_progress']);
    w.provider.serving = release('a');
    await run(inputs({ 'failed-deployment-id': 'staged' }), w.deps);
    expect(providerCalls(w)).toEqual(['provider current']);
    expect(ledgerWrites(w)).toEqual(['ledger: staged failure (failed checks, never live)']);
    expect(w.step.outputs).toMatchObject({ changed: 'false', 'restored-deployment-id': 'a' });
  });

  test('production serves a release the ledger never recorded: adopted before deciding, then rolled back from', async () => {
    const w = world();
    w.ledger.seed('a', ['in_progress', 'success']);
    w.provider.serving = release('by-hand');
    await run(inputs(), w.deps);
    expect(ledgerWrites(w).slice(0, 3)).toEqual([
      'ledger: record by-hand (adopted)',
      'ledger: by-hand in_progress (adopted: vercel serves by-hand)',
      'ledger: by-hand success (live at vercel (recorded late))',
    ]);
    expect(providerCalls(w)).toEqual(['provider current', 'provider rollback a']);
  });

  test('dry run: the same choice, nothing switched, nothing written', async () => {
    const w = world();
    badOverGood(w);
    await run(inputs({ 'dry-run': 'true' }), w.deps);
    expect(providerCalls(w)).toEqual(['provider current']);
    expect(ledgerWrites(w)).toEqual([]);
    expect(w.step.log).toContain('Dry run: would restore a (https://a.example.com) in place of b, found from ledger.');
  });

  test('without a ledger: the provider’s history chooses, and its own record stops a second rollback', async () => {
    const w = world({ ledger: false });
    badOverGood(w);
    await run(inputs({ 'github-token': '' }), w.deps);
    expect(providerCalls(w)).toEqual(['provider current', 'provider previous', 'provider rollback a']);
    w.journal.length = 0;
    await run(inputs({ 'github-token': '' }), w.deps);
    expect(providerCalls(w)).toEqual(['provider current']);
    expect(w.step.outputs.changed).toBe('false');
  });
});
