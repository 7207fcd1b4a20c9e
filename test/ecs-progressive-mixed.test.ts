// deploy (provider ecs, canary) through its bundle, at a pause where the production listener serves the new release's
// share mixed with the previous release's: verify-max-error-rate is a limit on the NEW release. Measured on the test
// listener when ECS reports all test traffic on the new release, else on the production listener with every error
// counted as the new release's. And the `rollout` output: the progression in one line, as a Vercel rolling release
// gives it, for the Slack message.
import { beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import type { RunOptions } from '../cli/local-runner.js';
import type { FakeEcs } from '../cli/sandbox/ecs.js';
import type { FakeGitHub } from '../cli/sandbox/github.js';
import { evaluateThresholds, parseThreshold, type Threshold } from '../actions/smoke-test/src/thresholds.js';
import {
  attributedErrorRate,
  attributedThresholds,
  listenerErrorLimit,
  measurementSite,
  progressiveRolloutLine,
  type StageRecord,
} from '../actions/deploy/src/progressive.js';
import { ecrImage, ecsCanaryInputs, ecsRolloutStandIns, runOnStandIns } from './support-ecs.js';
import { errors } from './support.js';

let ecs: FakeEcs;
let github: FakeGitHub;
const standIns = ecsRolloutStandIns();
beforeAll(() => {
  ({ ecs, github } = standIns);
});
beforeEach(() => {
  ecs.apps.clear();
});

const sha = (n: number) => n.toString(16).padStart(4, '0').padEnd(40, 'd');
const image = ecrImage;
const imageOf = (taskDefinition: string) =>
  (ecs.taskDefinitions.get(taskDefinition)?.containerDefinitions as { image: string }[])[0]?.image as string;
const greenOf = (tag: string) =>
  [...ecs.taskDefinitions.values()].find((td) => td.containerDefinitions[0].image === image(tag))
    ?.taskDefinitionArn as string;

/** A canary of 10% with a pause before each production shift, judged against a 20% limit. */
const canary = (tag: string, extra: RunOptions['inputs'] = {}): RunOptions['inputs'] => ({
  ...ecsCanaryInputs(standIns, tag),
  'verify-window': '2s',
  'verify-interval': '50ms',
  'verify-max-error-rate': '20%',
  ...extra,
});

const deploy = (inputs: RunOptions['inputs'], commit: string) => runOnStandIns(standIns, 'deploy', inputs, commit);

/** The ledger's statuses of a release, oldest first, as [state, description]. */
function statusesOf(releaseId: string): [string, string][] {
  const entry = github.deployments.find((d) => (d.payload as { release?: { id?: string } }).release?.id === releaseId);
  return [...(entry?.statuses ?? [])].reverse().map((s) => [s.state, s.description]);
}

describe('the error-rate limit is about the new release, not the blend the production listener serves', () => {
  test('a canary at 10% failing every request is rolled back under a 20% limit (its 10% of production errors count as its own 100%)', async () => {
    const blue = ecs.primaryTaskDefinition();
    ecs.apps.set(image('all-errors'), 'errors');
    const result = await deploy(canary('all-errors'), sha(1));
    expect(result.exitCode).not.toBe(0);
    const green = greenOf('all-errors');
    const sd = ecs.serviceDeployments[0];
    expect(sd?.target.taskDefinition).toBe(green);
    expect(sd?.status).toBe('ROLLBACK_SUCCESSFUL');
    expect(sd?.stoppedAtPercent).toBe(10);
    expect(sd?.rollback?.reason).toBe('ContinueServiceDeployment ROLLBACK');
    // The production listener served the blend: about a tenth green, every green answer a 500, never more than 10%.
    const production = ecs.served.filter((s) => s.listener === 'production');
    expect(production.filter((s) => s.productionWeight > 10)).toEqual([]);
    const atCanary = production.filter((s) => s.productionWeight === 10);
    const failedShare = atCanary.filter((s) => s.status === 500).length / atCanary.length;
    expect(failedShare).toBeGreaterThan(0.05);
    expect(failedShare).toBeLessThanOrEqual(0.1);
    expect(ecs.primaryTaskDefinition()).toBe(blue);

    const statuses = statusesOf(green);
    expect(statuses[2]?.[1]).toMatch(/^10% of production: FAIL, the new release's error rate is up to 100% > 20%/);
    expect(statuses.at(-1)?.[0]).toBe('failure');
    // The summary says the listener's rate was attributed, and how.
    expect(result.summary).toMatch(
      /on the production listener, where the new release serves 10% \((?:about \d+|fewer than one) of these requests(?:, on average)?\): its own error rate taken as at most 100%/,
    );
    expect(result.outputs.rollout).toMatch(/^stopped at 10%: the new release's error rate is up to 100% > 20%/);
  });

  test('with verify-test-url, the canary is measured on the test listener (the new release alone): a healthy canary passes though the previous release fails one request in five', async () => {
    const blue = ecs.primaryTaskDefinition();
    ecs.apps.set(imageOf(blue), { failEvery: 5 });
    const result = await deploy(canary('healthy', { 'verify-test-url': ecs.listeners.test }), sha(2));
    expect(errors(result)).toEqual([]);
    expect(result.exitCode).toBe(0);
    const green = greenOf('healthy');
    expect(ecs.serviceDeployments[0]).toMatchObject({ status: 'SUCCESSFUL', target: { taskDefinition: green } });
    // At the canary pause the test listener served green only; shipline did not probe the production blend.
    const atCanary = ecs.served.filter((s) => s.productionWeight === 10);
    expect(atCanary.filter((s) => s.listener === 'test').length).toBeGreaterThan(10);
    expect(atCanary.filter((s) => s.listener === 'test').every((s) => s.taskDefinition === green)).toBe(true);
    expect(atCanary.filter((s) => s.listener === 'production')).toEqual([]);
    const statuses = statusesOf(green);
    expect(statuses[2]?.[1]).toMatch(
      /^10% of production: pass, \d+ requests, error rate 0%.* on the test listener \(the new release alone\)/,
    );
    expect(result.outputs.rollout).toBe('test traffic healthy → 10% healthy → 100%');
  });

  test('without verify-test-url the attribution is conservative: the same flaky previous release stops a healthy canary, and the summary says why', async () => {
    const blue = ecs.primaryTaskDefinition();
    ecs.apps.set(imageOf(blue), { failEvery: 5 });
    const result = await deploy(canary('healthy-unprovable'), sha(3));
    expect(result.exitCode).not.toBe(0);
    expect(ecs.serviceDeployments[0]?.status).toBe('ROLLBACK_SUCCESSFUL');
    expect(ecs.primaryTaskDefinition()).toBe(blue);
    expect(result.summary).toMatch(/on the production listener, where the new release serves 10%/);
    expect(result.summary).toMatch(/\| production \(10% new release\) \| \S+ fail \|/);
    expect(result.outputs.rollout).toMatch(/^stopped at 10%: the new release's error rate is up to /);
  });
});

describe('verify-thresholds are bounds on the new release too', () => {
  test("rate<0.5 at a canary of 10% failing every request: the listener's 10% is judged against 5%, and the canary is rolled back", async () => {
    const blue = ecs.primaryTaskDefinition();
    ecs.apps.set(image('rate-errors'), 'errors');
    // The error-rate limit left at 100% so that only the threshold decides.
    const result = await deploy(
      canary('rate-errors', { 'verify-max-error-rate': '100%', 'verify-thresholds': 'rate<0.5' }),
      sha(6),
    );
    expect(result.exitCode).not.toBe(0);
    expect(ecs.serviceDeployments[0]?.status).toBe('ROLLBACK_SUCCESSFUL');
    expect(ecs.serviceDeployments[0]?.stoppedAtPercent).toBe(10);
    expect(ecs.primaryTaskDefinition()).toBe(blue);
    expect(result.outputs.rollout).toMatch(
      /^stopped at 10%: all checks: rate<0\.05 \(rate<0\.5 of the new release at 10%\) not met/,
    );
  });
});

describe('the rollout output of an ECS progressive rollout', () => {
  test('a healthy canary without a test listener: the unmeasured first pause is left out, then its share and the end', async () => {
    const result = await deploy(canary('plain'), sha(4));
    expect(errors(result)).toEqual([]);
    expect(result.outputs.rollout).toBe('10% healthy → 100%');
  });

  test('a release that fails at the test listener is stopped before any production traffic: "stopped at 0%"', async () => {
    ecs.apps.set(image('broken'), 'errors');
    const result = await deploy(canary('broken', { 'verify-test-url': ecs.listeners.test }), sha(5));
    expect(result.exitCode).not.toBe(0);
    expect(ecs.served.filter((s) => s.listener === 'production' && s.taskDefinition === greenOf('broken'))).toEqual([]);
    expect(result.outputs.rollout).toMatch(/^stopped at 0%: .*error rate 100% > 20%/);
  });
});

describe('measurement site and attribution (in process)', () => {
  const urls = { 'verify-url': 'https://api.example.com', 'verify-test-url': 'https://test.api.example.com' };
  test('the listener where the new release serves the largest share; production at a tie; nothing where it serves none', () => {
    expect(measurementSite(urls, { productionShare: 10, testShare: 100 })).toEqual({
      listener: 'test',
      url: urls['verify-test-url'],
      share: 100,
    });
    expect(measurementSite(urls, { productionShare: 100, testShare: 100 })).toMatchObject({
      listener: 'production',
      share: 100,
    });
    expect(measurementSite({ ...urls, 'verify-test-url': '' }, { productionShare: 10, testShare: 100 })).toEqual({
      listener: 'production',
      url: urls['verify-url'],
      share: 10,
    });
    // After scale-up, before the test traffic shift: the test listener still serves the previous release.
    expect(measurementSite(urls, { productionShare: 0, testShare: 0 }).listener).toBe('nothing');
  });

  test("the listener's limit is the user's limit times the new release's share; its rate divided by the share, capped at 100%", () => {
    expect(listenerErrorLimit(0.2, 10)).toBeCloseTo(0.02);
    expect(listenerErrorLimit(0.2, 100)).toBe(0.2);
    expect(attributedErrorRate(0.1, 10)).toBeCloseTo(1);
    expect(attributedErrorRate(0.5, 10)).toBe(1);
    expect(attributedErrorRate(0.01, 25)).toBeCloseTo(0.04);
  });

  test("latency thresholds as bounds on the new release: a canary's slow answers, diluted in the listener's, still fail p(95)", () => {
    const thresholds = ['p(95)<300', 'med<100', 'max<1000', 'rate<0.2', 'avg<100'].map(
      (t) => parseThreshold(t) as Threshold,
    );
    const atFive = attributedThresholds(thresholds, 5);
    expect(atFive.map((t) => t.source)).toEqual([
      'p(99.75)<300 (p(95)<300 of the new release at 5%)',
      'p(97.5)<100 (med<100 of the new release at 5%)',
      'max<1000',
      'rate<0.01 (rate<0.2 of the new release at 5%)',
      'avg<100',
    ]);
    expect(attributedThresholds(thresholds, 100)).toEqual(thresholds);
    // 100 answers on the listener at a 5% canary: the old release's 95 in 10 ms, the canary's 5 in 500 ms. The
    // canary's own p(95) is 500 ms; the listener's p(95) is 34.5 ms, which passes p(95)<300; its bound fails it.
    const listener = {
      durationsMs: [...Array<number>(95).fill(10), ...Array<number>(5).fill(500)],
      failed: 0,
      total: 100,
    };
    const [p95] = thresholds;
    expect(evaluateThresholds([p95 as Threshold], listener)[0]?.passed).toBe(true);
    expect(evaluateThresholds([atFive[0] as Threshold], listener)[0]).toMatchObject({ passed: false, value: 500 });
    // A healthy canary among a healthy old release passes its bound too.
    const healthy = { durationsMs: Array<number>(100).fill(10), failed: 0, total: 100 };
    expect(evaluateThresholds(atFive.slice(0, 2), healthy).every((r) => r.passed)).toBe(true);
  });

  test('the rollout line: healthy pauses by share, then the end', () => {
    const record = (share: number, ok: boolean, measured: StageRecord['measured'], summary = 'ok'): StageRecord => ({
      pause: { number: 1, stage: 'PRE_PRODUCTION_TRAFFIC_SHIFT', productionShare: share, testShare: 100 },
      verdict: { ok, summary },
      measured,
      requests: 1,
    });
    expect(progressiveRolloutLine([record(0, true, 'test'), record(10, true, 'production')], { live: true })).toBe(
      'test traffic healthy → 10% healthy → 100%',
    );
    expect(
      progressiveRolloutLine([record(0, true, 'nothing'), record(10, false, 'production', 'error rate 50% > 5%')], {
        live: false,
        stoppedAt: 10,
        reason: "shipline's verdict",
      }),
    ).toBe('stopped at 10%: error rate 50% > 5%');
    expect(
      progressiveRolloutLine([record(10, true, 'production')], {
        live: false,
        stoppedAt: 100,
        reason: 'ECS rolled back: alarm api-5xx',
      }),
    ).toBe('10% healthy → stopped at 100%: ECS rolled back: alarm api-5xx');
  });
});
