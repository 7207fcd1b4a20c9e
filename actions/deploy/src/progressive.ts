// Progressive delivery on ECS: the inputs that choose ECS's native strategy (blue/green, canary, linear) and where
// its rollout pauses, the verdict shipline gives at each pause, and how the progression is shown.
//
// At a pause, the smoke test's bake window (actions/smoke-test/src/watch.ts: the same checks, error rate, latency
// thresholds and consecutive-failure rule) runs against the load balancer listener where the new release takes
// traffic: the production listener once it serves a share of production, the test listener before (ECS moves all
// test traffic to the new revision first, in TEST_TRAFFIC_SHIFT). Its verdict is ContinueServiceDeployment's answer.
import { durationText, field, list, oneOf, parseDuration, type RawInputs, text } from '../../../shared/inputs.js';
import { inline } from '../../../shared/sanitise.js';
import type { PauseVerdict, ProgressiveRollout, RolloutPause } from '../../../shared/providers/provider.js';
import type { CheckSpec } from '../../smoke-test/src/checks.js';
import { parseErrorRate } from '../../smoke-test/src/inputs.js';
import { Connections } from '../../smoke-test/src/probe.js';
import { parseThreshold, THRESHOLD_FORM, type Threshold } from '../../smoke-test/src/thresholds.js';
import { percent } from '../../smoke-test/src/window-verdict.js';

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
  errorRate?: number;
  p95Ms?: number;
}

/** Margin left between the end of a verdict window and the pause's expiry (ContinueServiceDeployment must arrive first). */
const EXPIRY_MARGIN_MS = 30_000;

/**
 * The verdict at a pause: the bake window over the listener where the new release serves traffic. `now` and
 * `sleep` are the window's clock (monotonic).
 */
export async function judgePause(
  inputs: ProgressiveValues,
  pause: RolloutPause,
  log: (line: string) => void,
): Promise<StageRecord> {
  const onProduction = pause.productionShare > 0;
  const base = onProduction ? inputs['verify-url'] : inputs['verify-test-url'];
  if (!base) {
    return {
      pause,
      verdict: {
        ok: true,
        summary: 'not measured: the new release serves no production traffic yet and verify-test-url is not set',
      },
      measured: 'nothing',
      requests: 0,
    };
  }
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
  log(
    `Verdict at ${pause.productionShare}% of production: watching ${onProduction ? 'the production listener' : 'the test listener'} for ${durationText(windowMs)} (error rate at most ${percent(inputs['verify-max-error-rate'])}${inputs['verify-thresholds'].length ? `, ${inputs['verify-thresholds'].map((t) => t.source).join(', ')}` : ''})`,
  );
  const connections = new Connections();
  const started = performance.now();
  try {
    const result = await watchWindow(
      checks,
      inputs['verify-thresholds'],
      [],
      {
        windowMs,
        intervalMs: inputs['verify-interval'],
        failAfter: 3,
        maxErrorRate: inputs['verify-max-error-rate'],
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
    const measured = `${v.sent} requests, error rate ${percent(v.errorRate)}${p95Ms !== undefined ? `, p95 ${Math.round(p95Ms)} ms` : ''}`;
    return {
      pause,
      verdict: {
        ok: v.failures.length === 0,
        summary: v.failures.length === 0 ? measured : `${inline(v.failures.join('; '), 200)} (${measured})`,
      },
      measured: onProduction ? 'production' : 'test',
      requests: v.sent,
      errorRate: v.errorRate,
      ...(p95Ms !== undefined ? { p95Ms } : {}),
    };
  } finally {
    connections.close();
  }
}

/** A deployment status line for the ledger (GitHub keeps 140 characters). */
export function stageStatus(record: StageRecord): string {
  return `${record.pause.productionShare}% of production: ${record.verdict.ok ? 'pass' : 'FAIL'}, ${record.verdict.summary}`;
}

/**
 * The progression as a mermaid bar chart (the new release's production share at each pause, then where it ended)
 * and a table of the pauses. Nothing from outside enters the mermaid source: labels are ours, numbers are numbers.
 */
export function progressionMarkdown(
  records: readonly StageRecord[],
  outcome: { live: boolean; stoppedAt?: number },
): string {
  if (records.length === 0) return '';
  const labels = records.map((r) => `"pause ${r.pause.number}"`);
  const shares = records.map((r) => r.pause.productionShare);
  const endLabel = outcome.live ? '"live"' : '"rolled back"';
  const endShare = outcome.live ? 100 : 0;
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
      `| ${r.pause.number} | ${r.pause.stage} | ${r.pause.productionShare}% | ${r.measured} | ${r.verdict.ok ? 'pass' : '❌ fail'} | ${inline(r.verdict.summary, 200).replace(/\|/g, '\\|')} |`,
  );
  const ending = outcome.live
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
