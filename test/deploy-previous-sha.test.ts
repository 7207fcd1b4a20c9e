// deploy's previous-sha output (issue 26): the commit of the release that was live in the environment before this
// deploy, read from the ledger, which the bake window takes as previous-release so a metric gate can compare the
// new release with the old one through ${previous}. Through the bundles, against the Vercel and GitHub fakes (and a
// real Prometheus for the gate that reads it): empty on an environment's first deploy, the previous commit after
// it, the restored release's commit after a rollback, and the promotion's own reading for a staged release.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { type RunOptions, type RunResult, runBundle } from '../cli/local-runner.js';
import { type FakeGitHub, startFakeGitHub } from '../cli/sandbox/github.js';
import { type FakeVercel, startFakeVercel } from '../cli/sandbox/vercel.js';
import { closedPort, errors, exampleEvent } from './support.js';
import {
  type InstrumentedService,
  NO_PROMETHEUS,
  prometheusBinary,
  type RealPrometheus,
  startInstrumentedService,
  startPrometheus,
} from './support-prometheus.js';

const COMMITS = ['1', '2', '3', '4'].map((d) => d.repeat(40));
const [ONE, TWO, THREE, FOUR] = COMMITS as [string, string, string, string];

let vercel: FakeVercel;
let github: FakeGitHub;
const dir = mkdtempSync(join(tmpdir(), 'previous-sha-site-'));

beforeAll(async () => {
  vercel = await startFakeVercel({ buildMs: 100, aliasJobMs: 100 });
  github = await startFakeGitHub();
  writeFileSync(join(dir, 'index.html'), '<h1>notes</h1>');
});
afterAll(async () => {
  await vercel?.close();
  await github?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** One step of the bundle `action`, run at commit `sha` as a push to main runs it. */
function step(action: string, sha: string, inputs: RunOptions['inputs']): Promise<RunResult> {
  return runBundle({
    action,
    inputs: {
      provider: 'vercel',
      token: vercel.token,
      project: vercel.projectId,
      team: vercel.teamId,
      'api-url': vercel.url,
      'github-token': github.token,
      'wait-timeout': '30s',
      ...inputs,
    },
    env: { GITHUB_API_URL: github.url, GITHUB_REPOSITORY: github.repository, GITHUB_SHA: sha },
    event: exampleEvent('push', (p) => Boolean(p.head_commit)),
    timeoutMs: 60_000,
  });
}

const deploy = (sha: string, target = 'production') => step('deploy', sha, { dir, target });

/** The outputs of the deploys of the first test, which the later ones read (jest runs a file's tests in order). */
const outputs: Record<string, Record<string, string>> = {};

describe('deploy names the commit of the release it replaced (previous-sha)', () => {
  test('none on the first deploy; the commit before it on the next; the restored one after a rollback; the promotion asks again', async () => {
    const first = await deploy(ONE);
    expect(first.exitCode).toBe(0);
    expect(first.outputs['previous-sha']).toBeUndefined();
    outputs.first = first.outputs;

    const second = await deploy(TWO);
    expect(second.exitCode).toBe(0);
    expect(second.outputs).toMatchObject({
      'previous-deployment-id': first.outputs['deployment-id'],
      'previous-sha': ONE,
    });

    // Release two is rolled back: the ledger's live release is one again, in an entry the rollback wrote.
    const rollback = await step('rollback', TWO, {
      'failed-deployment-id': second.outputs['deployment-id'] as string,
      reason: 'bake window failed',
      verify: 'false',
    });
    expect(rollback.exitCode).toBe(0);
    expect(github.ledger('production')[0]).toMatchObject({ rollback: true, state: 'success' });

    const third = await deploy(THREE);
    expect(third.exitCode).toBe(0);
    expect(third.outputs['previous-sha']).toBe(ONE);
    outputs.third = third.outputs;

    // A staged release: the deploy reads what is live, and the promotion (right before the bake) reads it again.
    const staged = await deploy(FOUR, 'staged');
    expect(staged.outputs['previous-sha']).toBe(THREE);
    const promoted = await step('deploy', FOUR, {
      command: 'promote',
      'deployment-id': staged.outputs['deployment-id'] as string,
    });
    expect(promoted.exitCode).toBe(0);
    expect(promoted.outputs['previous-sha']).toBe(THREE);
  }, 120_000);

  test("the first deploy's empty previous-sha: a bake gate using ${previous} is refused, naming the input, before anything is read", async () => {
    const bake = await runBundle({
      action: 'smoke-test',
      inputs: {
        mode: 'watch',
        'base-url': `http://127.0.0.1:${await closedPort()}`,
        'watch-window': '2s',
        'watch-interval': '1s',
        'prometheus-url': `http://127.0.0.1:${await closedPort()}`,
        'prometheus-gates': 'sum(app_info{release="${previous}"}) >= 1',
        release: ONE,
        'previous-release': outputs.first?.['previous-sha'] ?? '',
      },
      env: { GITHUB_SHA: ONE },
      timeoutMs: 30_000,
    });
    expect(bake.exitCode).not.toBe(0);
    // Not a measured failure: the pipeline rolls back only on `failed`.
    expect(bake.outputs.result).toBe('invalid');
    expect(errors(bake).join('\n')).toContain(
      "Input 'prometheus-gates' uses ${previous}: set 'previous-release' (the identifier of the release before this one",
    );
    expect(errors(bake).join('\n')).toContain("empty on an environment's first deploy");
  }, 60_000);
});

const binary = prometheusBinary();
(binary ? describe : describe.skip)(
  binary ? 'the bake window reads ${previous} as deploy named it (a real Prometheus)' : NO_PROMETHEUS,
  () => {
    let prometheus: RealPrometheus;
    let service: InstrumentedService;
    beforeAll(async () => {
      // Only release one's series exists: a gate on ${previous} reads it when ${previous} is ONE, nothing otherwise.
      service = await startInstrumentedService(0, [ONE]);
      prometheus = await startPrometheus(binary!, [service.target]);
    }, 60_000);
    afterAll(async () => {
      await prometheus?.close();
      await service?.close();
    });

    test('previous-sha after a rollback (release one) is what the gate substitutes for ${previous}', async () => {
      expect(outputs.third?.['previous-sha']).toBe(ONE);
      const read = (previousRelease: string) =>
        runBundle({
          action: 'smoke-test',
          inputs: {
            mode: 'watch',
            'watch-window': '2s',
            'watch-interval': '1s',
            'watch-fail-after': '2',
            'base-url': service.url,
            paths: '/api/health',
            'prometheus-url': prometheus.url,
            'prometheus-gates': 'sum(app_info{release="${previous}"}) >= 1',
            release: THREE,
            'previous-release': previousRelease,
          },
          env: { GITHUB_SHA: THREE },
          timeoutMs: 30_000,
        });
      const passed = await read(outputs.third?.['previous-sha'] ?? '');
      expect(passed.outputs.result).toBe('passed');
      expect(passed.visibleStdout).toContain('prometheus: sum(app_info{release="${previous}"}) >= 1 ✅ read 1');
      // Release two's commit (what a ledger read without the rollback would say) has no series: no reading.
      const other = await read(TWO);
      expect(other.outputs.result).toBe('inconclusive');
    }, 60_000);
  },
);
