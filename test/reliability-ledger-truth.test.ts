// The ledger tells the truth about production, through the deploy and rollback bundles, at Netlify and Vercel:
// - a rollback whose ledger write never happened (a 500, or the step killed after the switch) never poisons the
//   next release: the next deploy asks the provider what it serves and records that as its "previous", so the
//   rollback after a failed deploy never restores the release that was rolled back for being bad;
// - `changed` is written only once the ledger agrees with the provider;
// - with GitHub rate-limited, failing (503) or hanging, the in-job rollback still restores production from the
//   provider's own history and says which ledger write it owes; a re-run writes it;
// - a typo'd SHA costs a few requests, not one per deployment in the history;
// - the step killed (SIGKILL) or failed (500) at each provider and ledger call of a rollback, then re-run, leaves
//   the provider serving the good release and the ledger saying so.
import { mkdtempSync, writeFileSync } from 'node:fs';
import type { ChildProcess } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from '@jest/globals';
import { type RunOptions, type RunResult, runBundle } from '../cli/local-runner.js';
import { type FakeGitHub, startFakeGitHub } from '../cli/sandbox/github.js';
import { type FakeNetlify, startFakeNetlify } from '../cli/sandbox/netlify.js';
import type { FakeServer, Fault } from '../cli/sandbox/server.js';
import { type FakeVercel, startFakeVercel } from '../cli/sandbox/vercel.js';
import { errors, exampleEvent, warnings } from './support.js';

type ProviderName = 'netlify' | 'vercel';

/** One provider stand-in with the GitHub stand-in, and the calls a rollback makes to it. */
interface World {
  name: ProviderName;
  github: FakeGitHub;
  server: FakeServer;
  inputs: () => Record<string, string>;
  /** What the provider serves in production now. */
  production: () => string | undefined;
  /** The request that asks what production serves (the rollback's first provider call). */
  current: RegExp;
  /** The request that switches production. */
  switch: RegExp;
  close: () => Promise<void>;
}

async function world(name: ProviderName): Promise<World> {
  const github = await startFakeGitHub();
  if (name === 'netlify') {
    const netlify: FakeNetlify = await startFakeNetlify({ processMs: 50, prepareMs: 50 });
    return {
      name,
      github,
      server: netlify.server,
      inputs: () => ({ provider: 'netlify', token: netlify.token, project: netlify.siteId, 'api-url': netlify.url }),
      production: () => netlify.published(),
      current: new RegExp(`/sites/${netlify.siteId}(\\?|$)`),
      switch: /\/deploys\/[^/]+\/restore$/,
      close: async () => {
        await netlify.close();
        await github.close();
      },
    };
  }
  const vercel: FakeVercel = await startFakeVercel({ buildMs: 50, aliasJobMs: 100, aliasAssignMs: 50 });
  return {
    name,
    github,
    server: vercel.server,
    inputs: () => ({
      provider: 'vercel',
      token: vercel.token,
      project: vercel.projectId,
      team: vercel.teamId as string,
      'api-url': vercel.url,
    }),
    production: () => vercel.production(),
    current: /\/v9\/projects\/[^/?]+(\?|$)/,
    switch: /\/projects\/[^/]+\/rollback\/[^/?]+/,
    close: async () => {
      await vercel.close();
      await github.close();
    },
  };
}

let open: World[] = [];
async function fresh(name: ProviderName): Promise<World> {
  const w = await world(name);
  open.push(w);
  return w;
}
afterEach(async () => {
  await Promise.all(open.map((w) => w.close()));
  open = [];
});

function site(version: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'site-'));
  writeFileSync(join(dir, 'index.html'), `<h1>${version}</h1>`);
  return dir;
}

const githubEnv = (w: World) => ({ GITHUB_API_URL: w.github.url, GITHUB_REPOSITORY: w.github.repository });

function deployOptions(w: World, version: string): RunOptions {
  return {
    action: 'deploy',
    inputs: {
      ...w.inputs(),
      dir: site(version),
      target: 'production',
      'github-token': w.github.token,
      'wait-timeout': '30s',
    },
    env: githubEnv(w),
    event: exampleEvent('push', (p) => Boolean(p.head_commit)),
    timeoutMs: 90_000,
  };
}

async function deploy(w: World, version: string): Promise<RunResult> {
  const result = await runBundle(deployOptions(w, version));
  expect(errors(result)).toEqual([]);
  expect(result.exitCode).toBe(0);
  return result;
}

/** The in-job rollback of deploy-environment.yml after a failed smoke test: the failed release named by its id. */
function rollbackOptions(w: World, failed: string, inputs: RunOptions['inputs'] = {}): RunOptions {
  return {
    action: 'rollback',
    inputs: {
      ...w.inputs(),
      'github-token': w.github.token,
      'failed-deployment-id': failed,
      reason: 'smoke test failed',
      verify: 'false',
      'wait-timeout': '20s',
      ...inputs,
    },
    env: githubEnv(w),
    event: { name: 'push', payload: {} },
    timeoutMs: 90_000,
  };
}

/** Every status a release's ledger entries ever had. */
const statesOf = (w: World, release: string) =>
  w.github.deployments
    .filter((d) => (d.payload as { release?: { id?: string } }).release?.id === release)
    .flatMap((d) => d.statuses.map((s) => s.state));

/** The ledger says `live` is live (its newest success), `bad` failed, and no entry is left without an outcome. */
function expectLedgerAgrees(w: World, live: string, bad: string): void {
  const entries = w.github.ledger('production');
  expect(entries.find((e) => e.state === 'success')?.release).toBe(live);
  expect(entries.filter((e) => e.state === 'success')).toHaveLength(1);
  expect(statesOf(w, bad)).toContain('failure');
  expect(statesOf(w, live)).not.toContain('failure');
  expect(
    entries.filter(
      (e) => e.state === undefined || e.state === 'in_progress' || e.state === 'queued' || e.state === 'pending',
    ),
  ).toEqual([]);
}

/** Two releases deployed through the bundle: R1 (good) and R2 (live, about to fail its smoke test). */
async function twoReleases(w: World): Promise<{ r1: string; r2: string }> {
  const r1 = (await deploy(w, 'r1')).outputs['deployment-id'] as string;
  const r2 = (await deploy(w, 'r2')).outputs['deployment-id'] as string;
  expect(w.production()).toBe(r2);
  return { r1, r2 };
}

/** A ledger write: creating a deployment record or adding a status (reads always carry a query string). */
const LEDGER_WRITE = /\/deployments(\/\d+\/statuses)?$/;
/** A ledger read: the environment's deployments, and each one's statuses. */
const LEDGER_READ = /\/deployments(\/\d+\/statuses)?\?/;

/**
 * Runs the step and kills it (SIGKILL) at the chosen call: the `passes` earlier requests matching `match` go
 * through, the next one is held unanswered, and once it has arrived the step's process is killed. So the call is
 * in flight, and never acted on, when the process dies — the worst moment for whatever the step did before.
 */
async function killedAt(options: RunOptions, server: FakeServer, match: RegExp, passes = 0): Promise<RunResult> {
  const matching = () => server.requests.filter((r) => match.test(r.path));
  for (let i = 0; i < passes; i++) server.inject(match, { kind: 'delay', ms: 0 });
  server.inject(match, { kind: 'hang' });
  const before = matching().length;
  let child: ChildProcess | undefined;
  let ended = false;
  let killed = false;
  const running = runBundle({ ...options, onSpawn: (c) => (child = c) }).finally(() => (ended = true));
  // The held call arriving is the event; a run that ends before it ever sends it ends the wait too.
  const held = server.waitForRequest((r) => match.test(r.path) && matching().indexOf(r) === before + passes);
  await Promise.race([held, running]);
  if (!ended && child) killed = child.kill('SIGKILL');
  const result = await running;
  server.clearFaults();
  expect(killed).toBe(true);
  expect(result.signal).toBe('SIGKILL');
  return result;
}

/** Runs the step with `times` copies of `fault` waiting at the chosen call (more than any client retries). */
async function failedAt(
  options: RunOptions,
  server: FakeServer,
  match: RegExp,
  fault: Fault,
  times = 30,
): Promise<RunResult> {
  server.inject(match, ...Array.from({ length: times }, () => fault));
  const result = await runBundle(options);
  server.clearFaults();
  return result;
}

const serverError: Fault = {
  kind: 'status',
  status: 500,
  body: JSON.stringify({ message: 'Server Error' }),
  headers: { 'content-type': 'application/json' },
};

describe.each(['netlify', 'vercel'] as const)(
  '%s: a rollback whose ledger write never happened does not poison the next rollback',
  (name) => {
    test.each(['500', 'kill'] as const)(
      'the in-job rollback switched production and its first ledger write got a %s: `changed` is not written; the next deploy records R1 (what production serves) as previous; when that deploy fails, R1 is restored again, never R2',
      async (fault) => {
        const w = await fresh(name);
        const { r1, r2 } = await twoReleases(w);

        let first: RunResult;
        if (fault === '500') {
          w.github.failWrites({ fault: { kind: 'status', status: 500, message: 'Server Error' } });
          first = await runBundle(rollbackOptions(w, r2));
          w.github.clearWriteFaults();
          expect(first.exitCode).toBe(1);
          expect(errors(first).join('\n')).toContain(`production serves ${r1} in place of ${r2}`);
        } else {
          first = await killedAt(rollbackOptions(w, r2), w.github.server, LEDGER_WRITE);
        }
        expect(w.production()).toBe(r1);
        // The pipeline reads `changed` as "rolled back and recorded": it is not said while the ledger disagrees.
        expect(first.outputs.changed).toBeUndefined();
        expect(first.outputs['rolled-back-deployment-id']).toBeUndefined();

        // No re-run (the safety net saw the job's rollback step and stayed away): the next release comes.
        const r3Run = await deploy(w, 'r3');
        const r3 = r3Run.outputs['deployment-id'] as string;
        expect(r3Run.outputs['previous-deployment-id']).toBe(r1);
        expect(statesOf(w, r2)).toContain('failure');

        // R3 fails its smoke test: the in-job rollback restores R1, the release that was good, not R2.
        const second = await runBundle(rollbackOptions(w, r3));
        expect(errors(second)).toEqual([]);
        expect(second.exitCode).toBe(0);
        expect(second.outputs).toMatchObject({
          changed: 'true',
          'restored-deployment-id': r1,
          'rolled-back-deployment-id': r3,
        });
        expect(w.production()).toBe(r1);
        expectLedgerAgrees(w, r1, r3);
        expect(statesOf(w, r2)).toContain('failure');
      },
      180_000,
    );
  },
);

describe.each(['netlify', 'vercel'] as const)('%s: the in-job rollback when GitHub cannot be read in time', (name) => {
  test.each([
    ['the token rate-limited for an hour (403, x-ratelimit-remaining: 0)', 'rate-limit'],
    ['GitHub answering 503', '503'],
    ['GitHub holding every request unanswered', 'hang'],
  ] as [string, 'rate-limit' | '503' | 'hang'][])(
    '%s: production is restored from the provider’s own history, the step fails naming the ledger writes it owes, and a re-run writes them without touching production',
    async (_what, outage) => {
      const w = await fresh(name);
      const { r1, r2 } = await twoReleases(w);

      if (outage === 'rate-limit') w.github.exhaustRateLimit(3600);
      const unavailable: Fault | undefined =
        outage === '503'
          ? {
              kind: 'status',
              status: 503,
              body: '{"message":"Service Unavailable"}',
              headers: { 'content-type': 'application/json' },
            }
          : outage === 'hang'
            ? { kind: 'hang' }
            : undefined;
      if (unavailable) w.github.server.inject(/./, ...Array.from({ length: 200 }, () => unavailable));
      const first = await runBundle(rollbackOptions(w, r2));
      w.github.exhaustRateLimit(0);
      w.github.server.clearFaults();

      expect(w.production()).toBe(r1);
      expect(first.exitCode).toBe(1);
      expect(first.outputs.changed).toBeUndefined();
      expect(first.outputs['restored-deployment-id']).toBe(r1);
      // Precisely what the ledger is owed, in the error and in the summary.
      const owed = `mark ${r2} failed and record ${r1} live as a rollback from ${r2}`;
      expect(errors(first).join('\n')).toContain(owed);
      expect(first.summary).toContain(owed);
      expect(warnings(first).join('\n')).toContain("from the provider's own history");
      expect(statesOf(w, r2)).not.toContain('failure');

      const switches = w.server.requests.filter((r) => w.switch.test(r.path)).length;
      const again = await runBundle(rollbackOptions(w, r2));
      expect(errors(again)).toEqual([]);
      expect(again.exitCode).toBe(0);
      expect(again.outputs.changed).toBe('false');
      expect(w.production()).toBe(r1);
      expect(w.server.requests.filter((r) => w.switch.test(r.path)).length).toBe(switches);
      expectLedgerAgrees(w, r1, r2);
    },
    120_000,
  );

  test('a permission refusal (403 without a rate limit) is not an outage: nothing is changed and the step names the permission', async () => {
    const w = await fresh(name);
    const { r2 } = await twoReleases(w);
    w.github.server.inject(/\/deployments\?/, {
      kind: 'status',
      status: 403,
      body: JSON.stringify({ message: 'Resource not accessible by integration' }),
      headers: { 'content-type': 'application/json' },
    });
    const result = await runBundle(rollbackOptions(w, r2));
    w.github.server.clearFaults();
    expect(result.exitCode).toBe(1);
    expect(errors(result).join('\n')).toContain('HTTP 403 Resource not accessible by integration');
    expect(w.production()).toBe(r2);
  }, 120_000);
});

describe('a manual rollback to a typo’d SHA against a 600-deployment history', () => {
  test.each(['netlify', 'vercel'] as const)(
    '%s: a handful of GitHub requests, and a sentence; production unchanged',
    async (name) => {
      const w = await fresh(name);
      const { r2 } = await twoReleases(w);
      // 600 older good releases, each retired by the next, as years of deploys leave them.
      for (let i = 0; i < 600; i++) {
        const at = new Date(Date.parse('2026-01-01T00:00:00Z') + i * 3_600_000).toISOString().replace(/\.\d+Z$/, 'Z');
        w.github.deployments.push({
          id: 100_000 + i,
          sha: i.toString(16).padStart(40, '0'),
          ref: 'main',
          environment: 'production',
          payload: { shipline: 1, key: `old-${i}`, release: { provider: name, id: `old-${i}` } },
          description: null,
          production_environment: true,
          transient_environment: false,
          created_at: at,
          statuses: [
            {
              id: 200_000 + 2 * i + 1,
              state: 'inactive',
              description: '',
              environment_url: '',
              log_url: '',
              created_at: at,
            },
            {
              id: 200_000 + 2 * i,
              state: 'success',
              description: '',
              environment_url: '',
              log_url: '',
              created_at: at,
            },
          ],
        });
      }
      for (const typo of ['d'.repeat(40), 'deadbee']) {
        const before = w.github.server.requests.length;
        const result = await runBundle({
          ...rollbackOptions(w, ''),
          inputs: { ...rollbackOptions(w, '').inputs, 'failed-deployment-id': undefined, target: `sha:${typo}` },
        });
        const requests = w.github.server.requests.length - before;
        expect(result.exitCode).toBe(1);
        expect(errors(result).join('\n')).toMatch(/No release to roll back to|no release of commit/);
        expect(w.production()).toBe(r2);
        // Reading the environment's deployments (6 pages) and the statuses of the newest few, plus the commit: not 600.
        expect(requests).toBeLessThanOrEqual(20);
      }
    },
    120_000,
  );
});

/** The calls of the in-job rollback R2 → R1, in order, and where a fault there leaves production. */
interface Call {
  name: string;
  at: (w: World) => { server: FakeServer; match: RegExp; passes?: number };
  /** Whether production has switched to R1 when the step dies or fails at this call. */
  switched: boolean | ((fault: 'kill' | '500') => boolean);
}

const calls: Call[] = [
  { name: 'provider: what production serves', at: (w) => ({ server: w.server, match: w.current }), switched: false },
  // A 500 on every ledger read is GitHub down: production is restored from the provider's history. Killed while
  // reading, nothing has changed yet.
  {
    name: 'ledger: reading the deployments',
    at: (w) => ({ server: w.github.server, match: LEDGER_READ }),
    switched: (fault) => fault === '500',
  },
  { name: 'provider: the switch', at: (w) => ({ server: w.server, match: w.switch }), switched: false },
  {
    name: 'ledger: marking R2 failed',
    at: (w) => ({ server: w.github.server, match: LEDGER_WRITE, passes: 0 }),
    switched: true,
  },
  {
    name: 'ledger: creating the rollback entry',
    at: (w) => ({ server: w.github.server, match: LEDGER_WRITE, passes: 1 }),
    switched: true,
  },
  {
    name: "ledger: the rollback entry's in_progress",
    at: (w) => ({ server: w.github.server, match: LEDGER_WRITE, passes: 2 }),
    switched: true,
  },
  {
    name: "ledger: the rollback entry's success",
    at: (w) => ({ server: w.github.server, match: LEDGER_WRITE, passes: 3 }),
    switched: true,
  },
];

describe.each(['netlify', 'vercel'] as const)(
  '%s: the in-job rollback killed or failed at each call, then re-run',
  (name) => {
    const cases = calls.flatMap((call) => (['kill', '500'] as const).map((fault) => [call.name, fault, call] as const));
    test.each(cases)(
      '%s, %s: after the re-run production serves R1 and the ledger says so',
      async (_name, fault, call) => {
        const w = await fresh(name);
        const { r1, r2 } = await twoReleases(w);
        const { server, match, passes = 0 } = call.at(w);

        let first: RunResult;
        if (fault === 'kill') {
          first = await killedAt(rollbackOptions(w, r2), server, match, passes);
        } else {
          for (let i = 0; i < passes; i++) server.inject(match, { kind: 'delay', ms: 0 });
          first = await failedAt(rollbackOptions(w, r2), server, match, serverError);
          expect(first.exitCode).toBe(1);
        }
        const switched = typeof call.switched === 'function' ? call.switched(fault) : call.switched;
        expect(w.production()).toBe(switched ? r1 : r2);
        expect(first.outputs.changed).toBeUndefined();

        const again = await runBundle(rollbackOptions(w, r2));
        expect(errors(again)).toEqual([]);
        expect(again.exitCode).toBe(0);
        expect(again.outputs.changed).toBe(switched ? 'false' : 'true');
        expect(w.production()).toBe(r1);
        expectLedgerAgrees(w, r1, r2);

        // And the next release records R1 as what it replaced.
        const r3Run = await deploy(w, 'r3');
        expect(r3Run.outputs['previous-deployment-id']).toBe(r1);
      },
      180_000,
    );
  },
);
