// deploy's run() driven in-process through its deps (actions/deploy/src/run.ts, DeployDeps), with an in-memory
// ledger, provider and step: which provider calls happen in which order, which ledger writes, which outputs. The
// runner contract (inputs from INPUT_*, outputs to GITHUB_OUTPUT) is the bundle tests' (deploy*.test.ts).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { readDeployInputs } from '../actions/deploy/src/inputs.js';
import { type DeployDeps, run } from '../actions/deploy/src/run.js';
import { CONTEXT, type Journal, MemoryLedger, MemoryProvider, MemoryStep, release } from './fakes/release-deps.js';

const site = mkdtempSync(join(tmpdir(), 'deploy-seam-'));
writeFileSync(join(site, 'index.html'), '<h1>shop</h1>');

interface World {
  journal: Journal;
  ledger: MemoryLedger;
  provider: MemoryProvider;
  step: MemoryStep;
  deps: DeployDeps;
}

function world(): World {
  const journal: Journal = [];
  const ledger = new MemoryLedger(journal);
  const provider = new MemoryProvider(journal);
  const step = new MemoryStep(journal);
  let now = Date.UTC(2026, 5, 1);
  const deps: DeployDeps = {
    context: { ...CONTEXT, workspace: site },
    io: step,
    now: () => new Date((now += 1000)),
    provider: async () => provider,
    ledger: async () => ledger,
    tellSentry: async () => {
      throw new Error('Sentry is not named in these inputs');
    },
    commentOnPullRequest: async () => {
      throw new Error('no pull request in these runs');
    },
  };
  return { journal, ledger, provider, step, deps };
}

const inputs = (given: Record<string, string> = {}) => {
  const all: Record<string, string> = {
    provider: 'vercel',
    token: 'vercel-token',
    project: 'prj_shop',
    'github-token': 'ghs_token',
    target: 'production',
    ...given,
  };
  return readDeployInputs((name) => all[name] ?? '');
};

const providerCalls = (w: World) => w.journal.filter((line) => line.startsWith('provider'));
const ledgerWrites = (w: World) =>
  w.journal.filter((line) => line.startsWith('ledger:') || line.startsWith('ledger failed'));

describe('deploy run(): decisions and effects through its deps', () => {
  test('production: what is live is asked first, the release deployed, then recorded live with the one it replaced as previous', async () => {
    const w = world();
    w.ledger.seed('a', ['in_progress', 'success']);
    w.provider.serving = release('a');
    await run(inputs(), w.deps);
    expect(providerCalls(w)).toEqual(['provider current', 'provider deploy production']);
    expect(ledgerWrites(w)).toEqual([
      'ledger: record new',
      'ledger: new in_progress (vercel new)',
      'ledger: new success (live: new)',
    ]);
    expect(w.ledger.records.at(-1)?.payload.previous?.id).toBe('a');
    expect(w.step.outputs).toMatchObject({
      'previous-deployment-id': 'a',
      'deployment-id': 'new',
      'ledger-id': '2',
      'environment-url': 'https://new.example.com',
    });
  });

  test('a rollback whose ledger write failed: the deploy completes the ledger first, so "previous" is the restored release, not the bad one', async () => {
    const w = world();
    w.ledger.seed('a', ['in_progress', 'success', 'inactive']);
    w.ledger.seed('bad', ['in_progress', 'success']);
    w.provider.serving = release('a');
    await run(inputs(), w.deps);
    expect(ledgerWrites(w).slice(0, 4)).toEqual([
      'ledger: bad failure (rolled back to a (recorded late))',
      'ledger: record a (rollback from bad)',
      'ledger: a in_progress (rollback to a (recorded late))',
      'ledger: a success (live at vercel (recorded late))',
    ]);
    expect(w.step.log).toContain(
      'warning: Ledger: vercel serves a, which the ledger did not record as live (rolled-back); recording it before deploying.',
    );
    expect(w.step.outputs['previous-deployment-id']).toBe('a');
    // All of it before the provider is asked to deploy.
    expect(w.journal.indexOf('ledger: a success (live at vercel (recorded late))')).toBeLessThan(
      w.journal.indexOf('provider deploy production'),
    );
  });

  test('a release the ledger never heard of is adopted before deploying', async () => {
    const w = world();
    w.ledger.seed('a', ['in_progress', 'success']);
    w.provider.serving = release('by-hand');
    await run(inputs(), w.deps);
    expect(ledgerWrites(w).slice(0, 3)).toEqual([
      'ledger: record by-hand (adopted)',
      'ledger: by-hand in_progress (adopted: vercel serves by-hand)',
      'ledger: by-hand success (live at vercel (recorded late))',
    ]);
    expect(w.step.outputs['previous-deployment-id']).toBe('by-hand');
  });

  test('a multi-service release the ledger never recorded (a mix left by a failed deploy) is not adopted: previous stays the ledger’s live release', async () => {
    const w = world();
    w.ledger.seed('a', ['in_progress', 'success']);
    w.provider.serving = release('svc=mix', { services: [{ service: 'svc', deploymentId: 'mix' } as never] });
    await run(inputs(), w.deps);
    expect(ledgerWrites(w)).toEqual([
      'ledger: record new',
      'ledger: new in_progress (vercel new)',
      'ledger: new success (live: new)',
    ]);
    expect(w.step.outputs['previous-deployment-id']).toBe('a');
  });

  test('the provider fails after creating the release: it is recorded failed, never live', async () => {
    const w = world();
    w.ledger.seed('a', ['in_progress', 'success']);
    w.provider.serving = release('a');
    w.provider.failDeploy = 'vercel: new failed: build error';
    await expect(run(inputs(), w.deps)).rejects.toThrow('build error');
    expect(ledgerWrites(w)).toEqual([
      'ledger: record new',
      'ledger: new in_progress (vercel new)',
      'ledger: new failure (vercel: new failed: build error)',
    ]);
    expect(w.ledger.stateOf('a')).toBe('success');
    expect(w.step.outputs['environment-url']).toBeUndefined();
  });

  test('the ledger write fails after the provider went live: the step fails saying production serves it; a re-run’s ledger read sees it live', async () => {
    const w = world();
    w.ledger.seed('a', ['in_progress', 'success']);
    w.provider.serving = release('a');
    w.ledger.failWhen = (write) => write.startsWith('new success');
    await expect(run(inputs(), w.deps)).rejects.toThrow(
      'vercel: new is live in production, but the ledger was not updated.',
    );
    expect(providerCalls(w)).toEqual(['provider current', 'provider deploy production']);
    w.ledger.failWhen = () => false;
    w.journal.length = 0;
    w.provider.nextDeploy = release('newer', { sha: CONTEXT.sha });
    await run(inputs(), w.deps);
    // The next deploy completes the record it found missing (went-live), then deploys.
    expect(ledgerWrites(w)[0]).toBe('ledger: new success (live at vercel (recorded late))');
    expect(w.step.outputs['previous-deployment-id']).toBe('new');
  });

  test('staged: deployed but not live; the ledger keeps it in progress and previous stays live', async () => {
    const w = world();
    w.ledger.seed('a', ['in_progress', 'success']);
    w.provider.serving = release('a');
    await run(inputs({ target: 'staged' }), w.deps);
    expect(providerCalls(w)).toEqual(['provider current', 'provider deploy production staged']);
    expect(ledgerWrites(w)).toEqual([
      'ledger: record new',
      'ledger: new in_progress (vercel new)',
      'ledger: new in_progress (staged: ready, awaiting promote (new))',
    ]);
    expect(w.ledger.stateOf('a')).toBe('success');
  });

  test('promote: the staged entry is marked live, no new record', async () => {
    const w = world();
    w.ledger.seed('a', ['in_progress', 'success']);
    w.ledger.seed('staged', ['in_progress']);
    w.provider.serving = release('a');
    w.provider.history = [release('a'), release('staged')];
    await run(inputs({ command: 'promote', 'deployment-id': 'staged' }), w.deps);
    expect(providerCalls(w)).toEqual(['provider current', 'provider describe staged', 'provider promote staged']);
    expect(ledgerWrites(w)).toEqual(['ledger: staged success (promoted: staged)']);
    expect(w.step.outputs).toMatchObject({ 'previous-deployment-id': 'a', 'ledger-id': '2' });
  });

  test('preview: the live release is not asked for and nothing is reconciled', async () => {
    const w = world();
    w.provider.serving = release('by-hand');
    await run(inputs({ target: 'preview' }), w.deps);
    expect(providerCalls(w)).toEqual(['provider deploy preview']);
    expect(ledgerWrites(w)).toEqual([
      'ledger: record new',
      'ledger: new in_progress (vercel new)',
      'ledger: new success (live: new)',
    ]);
  });
});
