// Progressive delivery on ECS: the inputs that choose ECS's native strategy (blue/green, canary, linear) and where
// its rollout pauses, the verdict shipline gives at each pause, and how the progression is shown.
//
// At a pause, the smoke test's bake window (actions/smoke-test/src/watch.ts: the same checks, error rate, latency
// thresholds and consecutive-failure rule, and the stage gates of stage-gates.ts read on every tick) runs against the
// load balancer listener where the new release takes the largest share of traffic (measurementSite): the test
// listener, which serves it alone once ECS has moved all test traffic to it (TEST_TRAFFIC_SHIFT), or the production
// listener. Its verdict is ContinueServiceDeployment's answer.
import { durationText, field, list, oneOf, parseDuration, type RawInputs, text } from '../../../shared/inputs.js';
import { failureMessage } from '../../../shared/errors.js';
import { inline } from '../../../shared/sanitise.js';
import type { PauseVerdict, ProgressiveRollout, RolloutPause } from '../../../shared/providers/provider.js';
import type { CheckSpec } from '../../smoke-test/src/checks.js';
import { parseErrorRate } from '../../smoke-test/src/inputs.js';
import { Connections } from '../../smoke-test/src/probe.js';
import { parseThreshold, THRESHOLD_FORM, type Threshold } from '../../smoke-test/src/thresholds.js';
import { percent } from '../../smoke-test/src/window-verdict.js';
import type { WindowGate } from '../../smoke-test/src/window-gates.js';
import type { GateJudging } from './stage-gates.js';

const STRATEGIES = { 'blue-green': 'BLUE_GREEN', canary: 'CANARY', linear: 'LINEAR' } as const;

/**
 * Where a rollout may pause for shipline, as ECS's lifecycle hook stages. PAUSE hooks "cannot be configured at
 * TEST_TRAFFIC_SHIFT or PRODUCTION_TRAFFIC_SHIFT stages"; PRE_PRODUCTION_TRAFFIC_SHIFT "for linear and canary
 * deployments … is invoked before every traffic shift step" (API reference, DeploymentLifecycleHook).
 */
const PAUSE_STAGES = {
  'post-scale-up': 'POST_SCALE_UP',
  'post-test-traffic-shift': 'POST_TEST_TRAFFIC_SHIFT',
  'pre-production-traffic-shift': 'PRE_PRODUCTION_TRAFFIC_SHIFT',
  'post-production-traffic-shift': 'POST_PRODUCTION_TRAFFIC_SHIFT',
} as const;

const percentInput = (min: number, max: number, fallback: number) =>
  field<number>((raw) => {
    const value = Number((raw ?? String(fallback)).replace(/%$/, ''));
    return Number.isFinite(value) && value >= min && value <= max
      ? { ok: true, value }
      : { ok: false, expected: `must be a percentage from ${min} to ${max}, like ${fallback} or ${fallback}%` };
  });

const errorRateInput = field<number>((raw) => {
  const value = parseErrorRate(raw ?? '5%');
  return value === undefined
    ? { ok: false, expected: 'must be a share of failed requests like 5%, 0.5% or 0.05, from 0 to 100%' }
    : { ok: true, value };
});

const thresholdsInput = field<Threshold[]>((raw) => {
  const items = (raw ?? '')
    .split(/[,\n]/)
    .map((s) => s.trim())
    .filter(Boolean);
  const parsed = items.map(parseThreshold);
  const bad = items.find((_, i) => !parsed[i]);
  return bad === undefined
    ? { ok: true, value: parsed as Threshold[] }
    : {
        ok: false,
        expected: `must be ${THRESHOLD_FORM} (one per line or comma-separated); '${inline(bad, 60)}' is not one`,
      };
});

/** A duration ECS takes in whole minutes (bake times, hook timeouts), from `min` to 1440 (24 hours). */
const minutesInput = (fallback: string, min: number) =>
  field<number>((raw) => {
    const ms = parseDuration(raw ?? fallback);
    const minutes = ms === undefined ? Number.NaN : ms / 60_000;
    return Number.isInteger(minutes) && minutes >= min && minutes <= 1440
      ? { ok: true, value: minutes }
      : {
          ok: false,
          expected: `must be whole minutes from ${min}m to 24h, like ${fallback} (ECS takes bake times and hook timeouts in minutes)`,
        };
  });

/** Deploy's inputs for ECS progressive rollouts, validated with all the others. */
export const progressiveInputs = {
  'ecs-strategy': oneOf(['rolling', 'blue-green', 'canary', 'linear'], { default: 'rolling' }),
  'ecs-canary-percent': percentInput(0.1, 100, 10),
  'ecs-linear-step-percent': percentInput(3, 100, 10),
  'ecs-step-bake-time': minutesInput('5m', 0),
  'ecs-bake-time': minutesInput('5m', 0),
  'ecs-pause-at': list(),
  'ecs-pause-timeout': minutesInput('30m', 1),
  'verify-url': text(),
  'verify-test-url': text(),
  'verify-paths': list(),
  'verify-window': field<number>((raw) => {
    const ms = parseDuration(raw ?? '2m');
    return ms !== undefined && ms >= 1000 && ms <= 6 * 3_600_000
      ? { ok: true, value: ms }
      : { ok: false, expected: 'must be a duration like 60s, 2m or 10m, from 1s to 6h' };
  }),
  'verify-interval': field<number>((raw) => {
    const ms = parseDuration(raw ?? '5s');
    return ms !== undefined && ms >= 50 && ms <= 600_000
      ? { ok: true, value: ms }
      : { ok: false, expected: 'must be a duration like 5s or 10s, from 50ms to 10m' };
  }),
  'verify-max-error-rate': errorRateInput,
  'verify-thresholds': thresholdsInput,
};

const PROGRESSIVE_ONLY = [
  'ecs-canary-percent',
  'ecs-linear-step-percent',
  'ecs-step-bake-time',
  'ecs-bake-time',
  'ecs-pause-at',
  'ecs-pause-timeout',
  'verify-url',
  'verify-test-url',
  'verify-paths',
  'verify-window',
  'verify-interval',
  'verify-max-error-rate',
  'verify-thresholds',
] as const;

const httpUrlProblem = (name: string, value: string) => {
  try {
    const url = new URL(value);
    if (url.protocol === 'http:' || url.protocol === 'https:') return undefined;
  } catch {
    // reported below
  }
  return `Input '${name}' must be an http(s) URL (a listener of the service's load balancer), like https://api.example.com`;
};

const listenerUrlProblems = (raw: RawInputs) =>
  ['verify-url', 'verify-test-url'].flatMap((name) => {
    const value = (raw[name] ?? '').trim();
    const problem = value ? httpUrlProblem(name, value) : undefined;
    return problem ? [problem] : [];
  });

/** The rules across inputs: every problem named at once, before anything changes. */
export function progressiveRules(raw: RawInputs): string[] {
  const problems: string[] = [];
  const strategy = (raw['ecs-strategy'] ?? 'rolling').trim().toLowerCase();
  const given = (name: string) => (raw[name] ?? '').trim() !== '';
  if (strategy !== 'rolling' && raw.provider?.toLowerCase() !== 'ecs')
    problems.push(`Input 'ecs-strategy' is only for provider ecs`);
  if (strategy !== 'rolling' && (raw.command ?? 'deploy').trim().toLowerCase() !== 'deploy')
    problems.push(`Input 'ecs-strategy' is only for command deploy`);
  if (strategy === 'rolling') {
    // A promote on ECS follows the rest of a staged rollout: its further pauses are judged with the verify inputs.
    const promoting = raw.provider?.toLowerCase() === 'ecs' && (raw.command ?? '').trim().toLowerCase() === 'promote';
    for (const name of PROGRESSIVE_ONLY)
      if (given(name) && !(promoting && name.startsWith('verify-')))
        problems.push(
          `Input '${name}' is only for a progressive rollout: set ecs-strategy to blue-green, canary or linear`,
        );
    if (promoting) problems.push(...listenerUrlProblems(raw));
    return problems;
  }
  if (given('ecs-canary-percent') && strategy !== 'canary')
    problems.push(`Input 'ecs-canary-percent' is only for ecs-strategy canary`);
  if (given('ecs-linear-step-percent') && strategy !== 'linear')
    problems.push(`Input 'ecs-linear-step-percent' is only for ecs-strategy linear`);
  if (given('ecs-step-bake-time') && strategy === 'blue-green')
    problems.push(`Input 'ecs-step-bake-time' is only for ecs-strategy canary or linear (blue-green shifts once)`);
  const stages = (raw['ecs-pause-at'] ?? '')
    .split(/[,\n]/)
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  const unknown = stages.filter((s) => !(s in PAUSE_STAGES));
  if (unknown.length > 0)
    problems.push(
      `Input 'ecs-pause-at' must name lifecycle stages from ${Object.keys(PAUSE_STAGES).join(', ')}; ${unknown.map((s) => `'${inline(s, 40)}'`).join(', ')} is not one (ECS refuses PAUSE hooks during a traffic shift)`,
    );
  // A staged deploy stops before production traffic moves: the production listener is measured by its promote.
  const staged = /^(staged|stage)$/i.test((raw.target ?? '').trim());
  if (!given('verify-url') && !staged)
    problems.push(
      "Input 'verify-url' is required with a progressive ecs-strategy (the production listener's URL, where the new release's share of traffic is measured at each pause)",
    );
  problems.push(...listenerUrlProblems(raw));
  // The verdict must come before ECS's own timeout action: a window as long as the pause would never be answered.
  const window = parseDuration(raw['verify-window'] || '2m');
  const timeout = parseDuration(raw['ecs-pause-timeout'] || '30m');
  if (window !== undefined && timeout !== undefined && window + 60_000 > timeout)
    problems.push(
      `Input 'verify-window' (${durationText(window)}) must end at least a minute before 'ecs-pause-timeout' (${durationText(timeout)}): the pause rolls back by itself at its timeout`,
    );
  return problems;
}

export interface ProgressiveValues {
  'ecs-strategy': 'rolling' | 'blue-green' | 'canary' | 'linear';
  'ecs-canary-percent': number;
  'ecs-linear-step-percent': number;
  'ecs-step-bake-time': number;
  'ecs-bake-time': number;
  'ecs-pause-at': string[];
  'ecs-pause-timeout': number;
  'verify-url': string;
  'verify-test-url': string;
  'verify-paths': string[];
  'verify-window': number;
  'verify-interval': number;
  'verify-max-error-rate': number;
  'verify-thresholds': Threshold[];
}

/**
 * The rollout UpdateService asks ECS for, or undefined for a rolling update. Staged, it pauses first after the test
 * traffic shift (where the staged release waits for promote), then where ecs-pause-at says (nowhere else by default).
 */
export function progressiveRollout(inputs: ProgressiveValues & { target?: string }): ProgressiveRollout | undefined {
  const strategy = inputs['ecs-strategy'];
  if (strategy === 'rolling') return undefined;
  const stages =
    inputs.target === 'staged'
      ? ['post-test-traffic-shift', ...inputs['ecs-pause-at']]
      : inputs['ecs-pause-at'].length > 0
        ? inputs['ecs-pause-at']
        : ['pre-production-traffic-shift'];
  return {
    strategy: STRATEGIES[strategy],
    ...(strategy === 'canary' ? { canaryPercent: inputs['ecs-canary-percent'] } : {}),
    ...(strategy === 'linear' ? { linearStepPercent: inputs['ecs-linear-step-percent'] } : {}),
    ...(strategy !== 'blue-green' ? { stepBakeMinutes: inputs['ecs-step-bake-time'] } : {}),
    bakeMinutes: inputs['ecs-bake-time'],
    pauseStages: [...new Set(stages.map((s) => PAUSE_STAGES[s.toLowerCase() as keyof typeof PAUSE_STAGES]))],
    pauseTimeoutMinutes: inputs['ecs-pause-timeout'],
  };
}

/** One pause and what shipline made of it: a deployment status in the ledger, a row and a bar in the summary. */
export interface StageRecord {
  pause: RolloutPause;
  verdict: PauseVerdict;
  /** Where it was measured: production or test listener, or nothing to measure. */
  measured: 'production' | 'test' | 'nothing';
  requests: number;
  /** The share of failed requests on the listener measured (0–1). */
  errorRate?: number;
  /**
   * The new release's share (percent) of the measured listener's traffic, when below 100: the listener also served
   * the previous release, and its errors were all counted as the new release's (attributedErrorRate).
   */
  newReleaseShare?: number;
  p95Ms?: number;
}

type MeasurementSite =
  { listener: 'production' | 'test'; url: string; share: number } | { listener: 'nothing'; why: string };

/**
 * Where a pause is measured, and the new release's share of what is measured there. The limits a user sets are
 * about the new release, so the listener where it serves the largest share is chosen: the test listener once ECS
 * reports all test traffic on it (requestedTestTrafficWeight 100: "POST_TEST_TRAFFIC_SHIFT: the green service
 * revision handles 100% of the test traffic", ECS API reference, ServiceDeployment.lifecycleStage; nothing moves
 * test traffic back but a rollback), where every response is the new release's; else the production listener,
 * which at a canary or linear step serves the new release's share mixed with the previous release's. At a tie
 * the production listener is measured: it is the path users take. A listener where the new release serves
 * nothing would measure only the previous release, so a pause with no such listener is not measured.
 */
export function measurementSite(
  inputs: Pick<ProgressiveValues, 'verify-url' | 'verify-test-url'>,
  pause: Pick<RolloutPause, 'productionShare' | 'testShare'>,
): MeasurementSite {
  const production = inputs['verify-url'] ? Math.min(100, pause.productionShare) : 0;
  const test = inputs['verify-test-url'] ? Math.min(100, pause.testShare) : 0;
  if (production === 0 && test === 0)
    return {
      listener: 'nothing',
      why: inputs['verify-test-url']
        ? `not measured: the new release serves no production traffic yet and ${pause.testShare}% of test traffic`
        : 'not measured: the new release serves no production traffic yet and verify-test-url is not set',
    };
  return test > production
    ? { listener: 'test', url: inputs['verify-test-url'], share: test }
    : { listener: 'production', url: inputs['verify-url'], share: production };
}

/**
 * The error rate a listener may show when the new release serves `share` percent of it. The listener's rate is
 * s·(new release's rate) + (1−s)·(previous release's rate), so the new release's rate is at most the listener's
 * divided by s (every error counted as the new release's). Judging that bound against the user's limit is the
 * listener's rate judged against limit·s: a canary at 10% failing every request shows 10% on the listener and is
 * stopped under a 20% limit, where the blended rate alone would pass it. The bound is conservative: errors of the
 * previous release count against the new one, so a flaky previous release can stop a healthy canary; a test
 * listener (verify-test-url) measures the new release alone and has no such error.
 */
export function listenerErrorLimit(maxErrorRate: number, share: number): number {
  return share >= 100 ? maxErrorRate : (maxErrorRate * share) / 100;
}

/** The new release's error rate at most, from a listener's where it serves `share` percent (0–1). */
export function attributedErrorRate(listenerRate: number, share: number): number {
  return share >= 100 ? listenerRate : Math.min(1, (listenerRate * 100) / share);
}

/**
 * The latency thresholds as bounds on the new release, judged on a listener where it serves `share` percent. Its
 * q-th percentile is at most the listener's (100 − (100 − q)·s)-th: the (100 − q)% of its requests at or above its
 * own percentile are at least (100 − q)·s % of the listener's. So `p(95)<300` at a 10% canary is judged as the
 * listener's `p(99.5)<300`: 5 slow answers in 100 of a canary's, diluted to 0.5% of the listener's, still fail it. The
 * mirror bound holds for `>` (the listener's (q·s)-th percentile), `med` is p(50), `rate` (failed requests) takes the
 * error rate's bound, and `max<` and `min>` hold as written. `avg`, `max>` and `min<` have no such bound from the
 * listener's answers and are judged on them as written; with a test listener none of this is needed.
 */
export function attributedThresholds(thresholds: readonly Threshold[], share: number): Threshold[] {
  if (share >= 100) return [...thresholds];
  const s = share / 100;
  return thresholds.map((t) => {
    const upper = t.comparison === '<' || t.comparison === '<=';
    const p = t.aggregation.kind === 'percentile' ? t.aggregation.p : t.aggregation.kind === 'med' ? 50 : undefined;
    const note = ` (${t.source} of the new release at ${share}%)`;
    if (p !== undefined) {
      const bound = Number((upper ? 100 - (100 - p) * s : p * s).toFixed(3));
      return {
        ...t,
        aggregation: { kind: 'percentile', p: bound },
        source: `p(${bound})${t.comparison}${t.limit}${note}`,
      };
    }
    if (t.aggregation.kind === 'rate' && upper)
      return { ...t, limit: t.limit * s, source: `rate${t.comparison}${Number((t.limit * s).toPrecision(3))}${note}` };
    return t;
  });
}

/**
 * The window's failures with its error-rate failure said about the new release: the window judged the listener's
 * rate against listenerErrorLimit, a number the user never set.
 */
function attributedFailures(
  verdict: { failures: string[]; errorRate: number; failed: number; sent: number },
  share: number,
  maxErrorRate: number,
): string[] {
  if (share >= 100) return verdict.failures;
  return verdict.failures.map((failure) =>
    failure.startsWith('error rate ')
      ? `the new release's error rate is up to ${percent(attributedErrorRate(verdict.errorRate, share))} > ${percent(maxErrorRate)}: ${verdict.failed} of ${verdict.sent} requests failed where it serves ${share}%, all counted as its own`
      : failure,
  );
}

/** What a pause's measurements were of, after them in its summary. */
function siteNote(listener: 'production' | 'test', share: number, listenerRate: number, sent: number): string {
  // How many of the probes the new release is likely to have answered: at a small share, a short window may say
  // little about it, which the reader should see.
  if (share < 100) {
    const expected = (sent * share) / 100;
    const answered =
      expected < 1 ? 'fewer than one of these requests, on average' : `about ${Math.round(expected)} of these requests`;
    return ` on the ${listener} listener, where the new release serves ${share}% (${answered}): its own error rate taken as at most ${percent(attributedErrorRate(listenerRate, share))}`;
  }
  return listener === 'test' ? ' on the test listener (the new release alone)' : '';
}

/** Margin left between the end of a verdict window and the pause's expiry (ContinueServiceDeployment must arrive first). */
const EXPIRY_MARGIN_MS = 30_000;

/** Failing (or unread) ticks in a row that fail a pause's window: its checks, and its metric gates. */
const FAIL_AFTER = 3;

/** The width a gate's name (its query, as written) keeps in a stage's record: what it read must fit after it. */
const GATE_NAME_WIDTH = 48;

/**
 * A failure as the stage's record says it. A gate's name is its whole query line: shortened, so that what the gate
 * read still fits the ledger's 140 characters and the summary's cell.
 */
function shortFailure(failure: string, gates: readonly WindowGate[]): string {
  const gate = gates.find((g) => failure.startsWith(`${g.name}: `));
  return gate ? `${inline(gate.name, GATE_NAME_WIDTH)}: ${failure.slice(gate.name.length + 2)}` : failure;
}

/**
 * The verdict at a pause: the bake window over the listener where the new release serves traffic, with the stage
 * gates (`gatesFor`, stage-gates.ts) read on every tick as smoke-test's bake window reads them — so a gate failing
 * for FAIL_AFTER ticks in a row ends the window and rolls the release back then, not after the whole window. A
 * gate is inconclusive, which rolls back too, only when it has no reading on any tick: a metric of the new release
 * has no series until its first scrapes, which a short streak of unread ticks at the window's start must not fail.
 */
export async function judgePause(
  inputs: ProgressiveValues,
  pause: RolloutPause,
  log: (line: string) => void,
  gatesFor: (judging: GateJudging) => WindowGate[] = () => [],
): Promise<StageRecord> {
  const site = measurementSite(inputs, pause);
  if (site.listener === 'nothing')
    return { pause, verdict: { ok: true, summary: site.why }, measured: 'nothing', requests: 0 };
  const base = site.url;
  const { watchWindow } = await import('../../smoke-test/src/watch.js');
  const paths = inputs['verify-paths'].length > 0 ? inputs['verify-paths'] : ['/'];
  const checks: CheckSpec[] = paths.map((path) => ({
    name: path,
    url: new URL(path, base),
    method: 'GET',
    headers: {},
    expect: { status: [{ from: 200, to: 399 }], json: [], contains: [], matches: [], health: 'auto', degraded: 'pass' },
    followRedirects: false,
    tls: { insecure: false },
    timeoutMs: Math.min(10_000, inputs['verify-interval'] * 4),
    samples: 1,
    thresholds: [],
  }));
  const left = pause.expiresAt ? pause.expiresAt - Date.now() : Number.POSITIVE_INFINITY;
  const untilExpiry = left - Math.min(EXPIRY_MARGIN_MS, left / 4);
  const windowMs = Math.max(inputs['verify-interval'], Math.min(inputs['verify-window'], untilExpiry));
  const gates = gatesFor({ failAfter: FAIL_AFTER, noDataAfter: Math.ceil(windowMs / inputs['verify-interval']) });
  log(
    `Verdict at ${pause.productionShare}% of production: watching the ${site.listener} listener for ${durationText(windowMs)} (error rate at most ${percent(inputs['verify-max-error-rate'])}${site.share < 100 ? ` on the new release, which serves ${site.share}% of that listener's traffic` : ''}${inputs['verify-thresholds'].length ? `, ${inputs['verify-thresholds'].map((t) => t.source).join(', ')}` : ''}${gates.length ? `; ${gates.length} gate${gates.length === 1 ? '' : 's'} read every tick` : ''})`,
  );
  const connections = new Connections();
  const started = performance.now();
  try {
    const result = await watchWindow(
      checks,
      attributedThresholds(inputs['verify-thresholds'], site.share),
      gates,
      {
        windowMs,
        intervalMs: inputs['verify-interval'],
        failAfter: FAIL_AFTER,
        maxErrorRate: listenerErrorLimit(inputs['verify-max-error-rate'], site.share),
        hardEndAt: started + windowMs + (checks[0]?.timeoutMs ?? 0),
        concurrency: 4,
        gateTimeoutMs: 10_000,
      },
      {
        connections,
        tlsFor: () => ({ insecure: false }),
        now: () => performance.now(),
        sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms))),
      },
    );
    const durations = result.checks.flatMap((c) =>
      c.samples.flatMap((s) => (s.durationMs === undefined ? [] : [s.durationMs])),
    );
    const sorted = [...durations].sort((a, b) => a - b);
    const p95Ms = sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.95) - 1)] : undefined;
    const v = result.verdict;
    const failures = attributedFailures(v, site.share, inputs['verify-max-error-rate']);
    const measured = `${v.sent} requests, error rate ${percent(v.errorRate)}${p95Ms !== undefined ? `, p95 ${Math.round(p95Ms)} ms` : ''}${siteNote(site.listener, site.share, v.errorRate, v.sent)}`;
    return {
      pause,
      verdict: {
        ok: failures.length === 0,
        summary:
          failures.length === 0
            ? measured
            : `${inline(failures.map((f) => shortFailure(f, gates)).join('; '), 200)} (${measured})`,
      },
      measured: site.listener,
      requests: v.sent,
      errorRate: v.errorRate,
      ...(site.share < 100 ? { newReleaseShare: site.share } : {}),
      ...(p95Ms !== undefined ? { p95Ms } : {}),
    };
  } finally {
    connections.close();
  }
}

/**
 * The progression in one line for people, in the form of a Vercel rolling release's (rollout.ts rolloutLine, deploy's
 * `rollout` output and a line of the Slack message): each pause judged healthy by its share, then "100%" or "stopped
 * at N%: <why>". A pause before any production traffic reads "test traffic"; a pause that measured nothing is left
 * out, as nothing was judged healthy there.
 */
export function progressiveRolloutLine(
  records: readonly StageRecord[],
  outcome: { live: true; staged?: boolean } | { live: false; stoppedAt?: number; reason: string },
): string {
  const judged = records
    .filter((r) => r.verdict.ok && r.measured !== 'nothing')
    .map((r) => `${r.pause.productionShare > 0 ? `${r.pause.productionShare}%` : 'test traffic'} healthy`);
  if (outcome.live) return [...judged, outcome.staged ? 'staged, awaiting promote' : '100%'].join(' → ');
  const failed = records.find((r) => !r.verdict.ok);
  const stoppedAt = outcome.stoppedAt ?? failed?.pause.productionShare ?? records.at(-1)?.pause.productionShare ?? 0;
  return [...judged, `stopped at ${stoppedAt}%: ${inline(failed?.verdict.summary ?? outcome.reason, 300)}`].join(' → ');
}

/** A deployment status line for the ledger (GitHub keeps 140 characters). */
export function stageStatus(record: StageRecord): string {
  return `${record.pause.productionShare}% of production: ${record.verdict.ok ? 'pass' : 'FAIL'}, ${record.verdict.summary}`;
}

/**
 * The progression as a mermaid bar chart (the new release's production share at each pause, then where it ended)
 * and a table of the pauses. Nothing from outside enters the mermaid source: labels are ours, numbers are numbers.
 */
function progressionMarkdown(
  records: readonly StageRecord[],
  outcome: { live: boolean; staged?: boolean; stoppedAt?: number },
): string {
  if (records.length === 0) return '';
  const labels = records.map((r) => `"pause ${r.pause.number}"`);
  const shares = records.map((r) => r.pause.productionShare);
  const endLabel = outcome.staged ? '"staged"' : outcome.live ? '"live"' : '"rolled back"';
  const endShare = outcome.live && !outcome.staged ? 100 : 0;
  const chart = [
    '```mermaid',
    'xychart-beta',
    '  title "Production traffic on the new release"',
    `  x-axis [${[...labels, endLabel].join(', ')}]`,
    '  y-axis "% of production" 0 --> 100',
    `  bar [${[...shares, endShare].join(', ')}]`,
    '```',
  ].join('\n');
  const rows = records.map(
    (r) =>
      `| ${r.pause.number} | ${r.pause.stage} | ${r.pause.productionShare}% | ${r.measured}${r.newReleaseShare === undefined ? '' : ` (${r.newReleaseShare}% new release)`} | ${r.verdict.ok ? 'pass' : '❌ fail'} | ${inline(r.verdict.summary, 200).replace(/\|/g, '\\|')} |`,
  );
  const ending = outcome.staged
    ? 'Staged: the new release serves the test listener only; production is unchanged until promote.'
    : outcome.live
      ? 'Completed: the new release serves all production traffic.'
      : `Stopped at ${outcome.stoppedAt ?? records.at(-1)?.pause.productionShare ?? 0}% of production traffic; ECS rolled back to the previous release.`;
  return [
    '#### Progressive rollout',
    chart,
    '| Pause | Stage | Production share | Measured on | Verdict | Measurements |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows,
    '',
    ending,
  ].join('\n');
}

/**
 * A progressive rollout's progression for people, from its pauses: the summary's chart and deploy's `rollout`
 * output (the Slack message's line), for a deploy and for the promote of a staged release alike. `staged` is a
 * release held at its test listener, which is neither live nor stopped.
 */
export function pauseProgression(pauses: readonly StageRecord[]) {
  const stopped = (error: unknown) =>
    /stopped at (\d+(?:\.\d+)?)% of production traffic: (.*)$/.exec(failureMessage(error).split('\n')[0] ?? '');
  return {
    chart(outcome: 'live' | 'staged' | 'failed', error?: unknown): string {
      const at = error ? /stopped at (\d+(?:\.\d+)?)%/.exec(failureMessage(error))?.[1] : undefined;
      const chart = progressionMarkdown(pauses, {
        live: outcome !== 'failed',
        staged: outcome === 'staged',
        stoppedAt: at === undefined ? undefined : Number(at),
      });
      return chart ? `\n\n${chart}` : '';
    },
    /** The `rollout` line, or undefined where there is no progression to tell (a failure before any pause). */
    line(outcome: 'live' | 'staged' | 'failed', error?: unknown): string | undefined {
      if (outcome !== 'failed') return progressiveRolloutLine(pauses, { live: true, staged: outcome === 'staged' });
      const found = stopped(error);
      if (pauses.length === 0 && !found) return undefined;
      return progressiveRolloutLine(pauses, {
        live: false,
        ...(found ? { stoppedAt: Number(found[1]) } : {}),
        reason: found?.[2] ?? failureMessage(error).split('\n')[0] ?? '',
      });
    },
  };
}
