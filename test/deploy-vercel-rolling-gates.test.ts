// Metric gates at each stage of a Vercel rolling release, through the deploy bundle against the loopback Vercel and
// GitHub and a real Prometheus. Prometheus scrapes the release's service (here a stand-in that counts its answers, a
// share of them 500, as any instrumented service exports them); the canary itself answers every probe 200, so the
// HTTP probes alone would approve every stage. The error-rate gate, read once at the end of the stage, is what
// stops the sick release at 5%, naming the gate and the value it read; the healthy one goes on to 100%.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { RunOptions } from '../cli/local-runner.js';
import { type FakeGitHub, startFakeGitHub } from '../cli/sandbox/github.js';
import type { FakeVercel } from '../cli/sandbox/vercel.js';
import { rollingVercels, deployToVercel } from './support-vercel-rolling.js';
import { closedPort, errors, expectNoSecrets } from './support.js';
import {
  type InstrumentedService,
  NO_PROMETHEUS,
  prometheusBinary,
  type RealPrometheus,
  startInstrumentedService,
  startPrometheus,
} from './support-prometheus.js';

const binary = prometheusBinary();
const TOKEN = 'prom-bearer-rolling-4e8a1c7b';

let github: FakeGitHub;
let prometheus: RealPrometheus;
let sick: InstrumentedService;
let healthy: InstrumentedService;
const fakeVercel = rollingVercels();

/** The error-rate gate people write, for one service's series. */
const errorRate = (service: InstrumentedService) =>
  `sum(rate(http_requests_total{instance="${service.target}",code=~"5.."}[5s])) / sum(rate(http_requests_total{instance="${service.target}"}[5s]))`;

beforeAll(async () => {
  github = await startFakeGitHub();
  if (!binary) return;
  sick = await startInstrumentedService(5);
  healthy = await startInstrumentedService(0);
  sick.startTraffic();
  healthy.startTraffic();
  prometheus = await startPrometheus(binary, [sick.target, healthy.target]);
  // Each gate's range holds enough scrapes of real traffic to read a rate.
  await prometheus.waitForNumber(errorRate(sick));
  await prometheus.waitForNumber(errorRate(healthy));
}, 90_000);

afterAll(async () => {
  await prometheus?.close();
  await sick?.close();
  await healthy?.close();
  await github.close();
});

function deploy(on: FakeVercel, environment: string, inputs: RunOptions['inputs']) {
  return deployToVercel(on, github, environment, inputs);
}

/** A rolling deploy whose canary probes all pass, judged at each stage by the error-rate gate of `service`. */
const gated = (on: FakeVercel, service: InstrumentedService, extra: RunOptions['inputs'] = {}) => ({
  'vercel-rolling-stages': '5,25,100',
  'rolling-check-url': `${on.url}/__deployments/{deployment-id}/`,
  'rolling-requests': 5,
  'rolling-bake': '200ms',
  'rolling-stage-timeout': '20s',
  'rolling-prometheus-url': prometheus.url,
  'rolling-prometheus-headers': `Authorization: Bearer ${TOKEN}`,
  'rolling-prometheus-gates': `${errorRate(service)} < 0.05`,
  ...extra,
});

async function newestStatuses(environment: string): Promise<{ release: string; statuses: string[] }> {
  const entry = github.ledger(environment)[0];
  if (!entry) throw new Error('no ledger entry');
  const response = await fetch(`${github.url}/repos/${github.repository}/deployments/${entry.id}/statuses`, {
    headers: { authorization: `Bearer ${github.token}` },
  });
  const statuses = (await response.json()) as { state: string; description: string }[];
  return { release: entry.release ?? '', statuses: statuses.map((s) => `${s.state}: ${s.description}`) };
}

(binary ? describe : describe.skip)(
  binary ? 'metric gates at each stage of a rolling release (deploy bundle, real Prometheus)' : NO_PROMETHEUS,
  () => {
    test('an error rate over the gate at 5%: aborted there, the failure and the ledger naming the gate and the value read', async () => {
      const on = await fakeVercel();
      expect(errors(await deploy(on, 'rolling-gate-sick', {}))).toEqual([]);
      const old = on.production() as string;

      const result = await deploy(on, 'rolling-gate-sick', gated(on, sick));
      const canary = [...on.deployments.values()].at(-1)?.id as string;
      const errorText = errors(result).join('\n');

      expect(result.exitCode).not.toBe(0);
      // 1 in 5 of the service's requests fail: the gate reads about 0.2 (a rate over scrapes of live traffic).
      expect(errorText).toContain(`stopped at 5%: prometheus: ${errorRate(sick)} < 0.05: read 0.`);
      const read = Number(/read (\d\.\d+) \(must be < 0\.05\)/.exec(errorText)?.[1]);
      expect(read).toBeGreaterThan(0.1);
      expect(read).toBeLessThan(0.3);
      // Every probe of the canary passed: the gate alone stopped it, before any approval.
      const probes = on.served.filter((s) => s.via === 'deployment' && s.deploymentId === canary);
      expect(probes.length).toBe(5);
      expect(new Set(probes.map((s) => s.status))).toEqual(new Set([200]));
      expect(on.server.requests.some((r) => r.path.includes('/rolling-release/approve-stage'))).toBe(false);
      expect(on.stagesReached.filter((s) => s.canaryDeploymentId === canary).map((s) => s.share)).toEqual([5]);
      expect(on.production()).toBe(old);

      const entry = await newestStatuses('rolling-gate-sick');
      expect(entry.release).toBe(canary);
      // GitHub keeps 140 characters of a status: the gate's line fills them; the failure above has the value.
      expect(entry.statuses[0]).toMatch(/^failure: stopped at 5%: prometheus: sum\(rate\(http_requests_total/);
      expect(result.outputs.rollout).toMatch(/^stopped at 5%: prometheus: .* read 0\.\d+ \(must be < 0\.05\)$/);
      expectNoSecrets(result, [TOKEN]);
    }, 120_000);

    test('an error rate within the gate at every stage: approved stage by stage to 100%, the rollout output saying so', async () => {
      const on = await fakeVercel();
      await deploy(on, 'rolling-gate-healthy', {});

      const result = await deploy(on, 'rolling-gate-healthy', gated(on, healthy));
      const canary = [...on.deployments.values()].at(-1)?.id as string;

      expect(errors(result)).toEqual([]);
      expect(on.stagesReached.filter((s) => s.canaryDeploymentId === canary).map((s) => s.share)).toEqual([5, 25, 100]);
      expect(on.production()).toBe(canary);
      expect(result.outputs.rollout).toBe('5% healthy → 25% healthy → 100%');
      expectNoSecrets(result, [TOKEN]);
    }, 120_000);

    test('a gate without a reading (Prometheus not answering) never approves a stage: aborted at 5%, saying why', async () => {
      const on = await fakeVercel();
      await deploy(on, 'rolling-gate-unread', {});
      const old = on.production() as string;

      const result = await deploy(
        on,
        'rolling-gate-unread',
        gated(on, healthy, { 'rolling-prometheus-url': `http://127.0.0.1:${await closedPort()}` }),
      );
      expect(result.exitCode).not.toBe(0);
      expect(errors(result).join('\n')).toMatch(/stopped at 5%: prometheus: .*: no reading \(/);
      expect(on.production()).toBe(old);
    }, 120_000);
  },
);

describe('rolling-prometheus-* inputs, checked with smoke-test’s rules before anything changes', () => {
  test('gates without a URL, a URL without gates, a malformed gate and credentials over plain http are each named', async () => {
    const on = await fakeVercel();
    const run = (inputs: RunOptions['inputs']) =>
      deploy(on, 'rolling-gate-inputs', { 'vercel-rolling-stages': '5,25,100', ...inputs });

    const noUrl = await run({ 'rolling-prometheus-gates': 'up < 1' });
    expect(errors(noUrl).join('\n')).toContain("Input 'rolling-prometheus-gates' needs 'rolling-prometheus-url'");

    const noGates = await run({ 'rolling-prometheus-url': 'https://prometheus.example.com' });
    expect(errors(noGates).join('\n')).toContain(
      "Input 'rolling-prometheus-url' is for metric gates: set 'rolling-prometheus-gates' too",
    );

    const malformed = await run({
      'rolling-prometheus-url': 'https://prometheus.example.com',
      'rolling-prometheus-gates': 'up',
    });
    expect(errors(malformed).join('\n')).toContain("Input 'rolling-prometheus-gates' must be");

    const plain = await run({
      'rolling-prometheus-url': 'http://prometheus.example.com',
      'rolling-prometheus-headers': `Authorization: Bearer ${TOKEN}`,
      'rolling-prometheus-gates': 'up < 1',
    });
    expect(errors(plain).join('\n')).toContain(
      "Input 'rolling-prometheus-url' must be an https URL when 'rolling-prometheus-headers' is set",
    );
    expectNoSecrets(plain, [TOKEN]);
    // Nothing was deployed by any of them.
    expect(on.deployments.size).toBe(0);
  }, 120_000);
});
