// A staged rollout driven by measurements: at each stage of the provider's rolling release (Vercel: a canary serving
// a share of production traffic) the canary is probed with smoke-test's own probe and judge (probe.ts, evaluate.ts),
// and the stage is approved when its error rate is within the limit, the release aborted when it is not. A stage
// that does not move on within the stage timeout is aborted too: no rollout waits at a stage forever.
import { Connections, probe } from '../../smoke-test/src/probe.js';
import { evaluate, type Expectations } from '../../smoke-test/src/evaluate.js';
import type { StatusRange } from '../../smoke-test/src/expectations.js';
import { readGatesOnce } from '../../smoke-test/src/metric-gates-report.js';
import type { WindowGate } from '../../smoke-test/src/window-gates.js';
import type { Deadline } from '../../../shared/deadline.js';
import { durationText } from '../../../shared/inputs.js';
import type { Release, RollingReleases, RollingState } from '../../../shared/providers/provider.js';

interface RolloutSettings {
  /** Where the canary is probed: `{deployment-url}` and `{deployment-id}` stand for the canary's. */
  checkUrl: string;
  /** Requests per stage. */
  requests: number;
  /** The share of failed requests (0–1) a stage tolerates. */
  maxErrorRate: number;
  expectStatus: StatusRange[];
  /** How long each stage is watched; the requests are spread over it. */
  bakeMs: number;
  /** How long a stage may take to move on after its approval before the release is aborted. */
  stageTimeoutMs: number;
  /** smoke-test's bake-window gates (Sentry's new issues for the release), read once at the end of each stage. */
  gates: WindowGate[];
}

export interface StageVerdict {
  share: number;
  healthy: boolean;
  requests: number;
  failed: number;
  /** The first reasons requests failed, for the log and the summary. */
  reasons: string[];
  /** Each gate that failed the stage, with what it read (or why it could not read). */
  gateFailures: string[];
}

export type RolloutOutcome =
  | { kind: 'complete'; stages: StageVerdict[] }
  | { kind: 'aborted'; stages: StageVerdict[]; stoppedAt: number; reason: string };

interface RolloutHooks {
  /** Called with each stage's verdict before the stage is approved or the release aborted. */
  onStage: (verdict: StageVerdict) => Promise<void>;
  info: (message: string) => void;
  sleep: (ms: number) => Promise<void>;
  /** A bound for one provider call or wait. */
  deadline: (ms: number) => Deadline;
}

const STATE_POLL_MS = 250;
/** The bound of one provider call, whatever the stage timeout: a short stage timeout must not cut a request short. */
const CALL_MS = 30_000;
/** An abort is a rollback job, which the provider finishes in seconds: it is followed this long. */
const ABORT_MS = 120_000;
const PROBE_TIMEOUT_MS = 10_000;
/** The bound of one gate reading at the end of a stage. */
const GATE_MS = 10_000;

function canaryUrl(template: string, canary: Pick<Release, 'id' | 'url'>): URL {
  const base = (canary.url ?? '').replace(/\/$/, '');
  return new URL(template.replaceAll('{deployment-url}', base).replaceAll('{deployment-id}', canary.id));
}

export function errorRateText(verdict: Pick<StageVerdict, 'failed' | 'requests'>): string {
  const rate = verdict.requests === 0 ? 0 : (100 * verdict.failed) / verdict.requests;
  return `${verdict.failed} of ${verdict.requests} requests failed (${Number(rate.toFixed(1))}%)`;
}

/** One stage's measurement: `requests` probes of the canary spread over the bake time, judged as smoke-test judges. */
async function bake(url: URL, share: number, settings: RolloutSettings, hooks: RolloutHooks): Promise<StageVerdict> {
  const expect: Expectations = {
    status: settings.expectStatus,
    json: [],
    contains: [],
    matches: [],
    health: 'auto',
    degraded: 'pass',
  };
  const connections = new Connections();
  const gap = settings.requests > 1 ? settings.bakeMs / (settings.requests - 1) : settings.bakeMs;
  let failed = 0;
  const reasons = new Set<string>();
  try {
    for (let i = 0; i < settings.requests; i++) {
      if (i > 0 && gap >= 1) await hooks.sleep(gap);
      const outcome = await probe(
        {
          url,
          method: 'GET',
          headers: {},
          timeoutMs: PROBE_TIMEOUT_MS,
          followRedirects: true,
          tlsFor: () => ({ insecure: false }),
        },
        connections,
      );
      const judged = evaluate(expect, outcome);
      if (!judged.passed) {
        failed++;
        for (const reason of judged.reasons) if (reasons.size < 3) reasons.add(reason);
      }
    }
  } finally {
    connections.close();
  }
  // A gate that cannot be read leaves the stage unjudged, which never approves it (smoke-test's gates-no-data fail).
  const readings = settings.gates.length > 0 ? await readGatesOnce(settings.gates, GATE_MS) : [];
  const gateFailures = [
    ...readings.filter((r) => r.ok === false).map((r) => `${r.name}: ${r.measurement ?? 'failed'}`),
    ...readings.filter((r) => r.error !== undefined).map((r) => `${r.name}: no reading (${r.error})`),
  ];
  const healthy = failed / settings.requests <= settings.maxErrorRate && gateFailures.length === 0;
  return { share, healthy, requests: settings.requests, failed, reasons: [...reasons], gateFailures };
}

/** Waits until the release leaves stage `index` (or is no longer active); undefined when the stage timeout passes. */
async function nextStage(
  rolling: RollingReleases,
  index: number,
  settings: RolloutSettings,
  hooks: RolloutHooks,
): Promise<RollingState | undefined> {
  const until = hooks.deadline(settings.stageTimeoutMs);
  for (;;) {
    const state = await rolling.state(hooks.deadline(CALL_MS));
    if (!state || state.state !== 'ACTIVE' || state.stageIndex > index) return state;
    if (until.left() < STATE_POLL_MS) return undefined;
    await hooks.sleep(STATE_POLL_MS);
  }
}

/**
 * Drives the rolling release of `release` from the state `first` to its end: complete (the canary serves all of
 * production) or aborted (production serves the deployment it served before, to everyone).
 */
export async function driveRollout(
  rolling: RollingReleases,
  release: Release,
  first: RollingState,
  settings: RolloutSettings,
  hooks: RolloutHooks,
): Promise<RolloutOutcome> {
  const url = canaryUrl(settings.checkUrl, release);
  const stages: StageVerdict[] = [];
  let state: RollingState | undefined = first;
  const abort = async (at: RollingState, reason: string): Promise<RolloutOutcome> => {
    await rolling.abort(at, hooks.deadline(ABORT_MS));
    return { kind: 'aborted', stages, stoppedAt: at.share, reason };
  };
  for (;;) {
    if (!state || state.canaryId !== release.id)
      throw new Error(`the rolling release of ${release.id} is no longer the project's rolling release`);
    if (state.state === 'COMPLETE') return { kind: 'complete', stages };
    if (state.state === 'ABORTED')
      return { kind: 'aborted', stages, stoppedAt: state.share, reason: 'aborted outside this step' };
    hooks.info(`Rolling release: ${release.id} serves ${state.share}% of production traffic; probing ${url.href}`);
    const verdict = await bake(url, state.share, settings, hooks);
    stages.push(verdict);
    await hooks.onStage(verdict);
    if (!verdict.healthy)
      return abort(
        state,
        verdict.gateFailures.length > 0 && verdict.failed / verdict.requests <= settings.maxErrorRate
          ? verdict.gateFailures.join('; ')
          : `${errorRateText(verdict)}, over the limit of ${Number((settings.maxErrorRate * 100).toFixed(2))}%${verdict.reasons[0] ? `: ${verdict.reasons[0]}` : ''}`,
      );
    const index = state.stageIndex;
    if (state.advancement === 'manual-approval') await rolling.approve(state, hooks.deadline(CALL_MS));
    const moved = await nextStage(rolling, index, settings, hooks);
    if (!moved)
      return abort(
        state,
        `the stage at ${state.share}% did not move on within rolling-stage-timeout ${durationText(settings.stageTimeoutMs)}`,
      );
    state = moved;
  }
}

/**
 * The progression in one line for people (deploy's `rollout` output, a line of the Slack message): "5% healthy →
 * 25% healthy → 100%", or "5% healthy → stopped at 25%: <reason>".
 */
export function rolloutLine(outcome: RolloutOutcome): string {
  const judged = outcome.stages.filter((s) => s.healthy).map((s) => `${s.share}% healthy`);
  const end = outcome.kind === 'complete' ? '100%' : `stopped at ${outcome.stoppedAt}%: ${outcome.reason}`;
  return [...judged, end].join(' → ');
}

/** The progression as a mermaid chart: the canary's share at each stage reached, and each stage's error rate. */
export function rolloutChart(outcome: RolloutOutcome): string {
  const labels = outcome.stages.map((s) => `"${s.share}%"`);
  const shares = outcome.stages.map((s) => s.share);
  const rates = outcome.stages.map((s) => Number(((100 * s.failed) / Math.max(1, s.requests)).toFixed(1)));
  return [
    '```mermaid',
    'xychart-beta',
    `  title "Rolling release: ${outcome.kind === 'complete' ? 'completed' : `stopped at ${outcome.stoppedAt}%`}"`,
    `  x-axis "stage" [${labels.join(', ')}]`,
    '  y-axis "%" 0 --> 100',
    `  bar [${shares.join(', ')}]`,
    `  line [${rates.join(', ')}]`,
    '```',
    '',
    `Bars: the share of production traffic the new deployment served at each stage judged; line: the share of its probes that failed.${outcome.kind === 'complete' ? ' After the last approval it serves 100%.' : ''}`,
  ].join('\n');
}
