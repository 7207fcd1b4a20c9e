// Gates of the bake window (mode: watch) other than the HTTP checks: something read once per tick — a Sentry
// release's new issues, say — that can end the window as failed. Each gate is built from the action's inputs here,
// in one place: a new gate adds its inputs (inputs.ts, action.yml) and one entry in windowGatesFromInputs.
import { formatReading, type MetricGate, satisfies, substitute } from '../../../shared/metric-gates.js';
import { instantQuery, type PrometheusConfig } from '../../../shared/prometheus.js';
import { awsRegion } from '../../../shared/aws.js';
import { readRunContext } from '../../../shared/run-context.js';
import { sentryTarget } from '../../../shared/sentry-inputs.js';
import { SentryClient, sentryNewIssuesGate } from '../../../shared/sentry.js';
import { cloudWatchGates } from './cloudwatch-gate.js';
import { datadogGates } from './datadog-gate.js';
import { sentryHealthGates } from './sentry-health-gate.js';
import type { SmokeTestInputs } from './inputs.js';

/** What a gate measured on one tick. */
export interface GateReading {
  /** false: the window fails now, with `measurement` (and `detail`) as the reason. */
  ok: boolean;
  /** One short line people read in the failure reason and the summary, e.g. "2 new issues (max 0)". */
  measurement: string;
  /** More text for the summary (not the one-line failure reason). */
  detail?: string;
  /** The number read, for gates that read one (metric gates): the summary charts it over the window. */
  value?: number;
}

export interface WindowGate {
  /** Names the gate in the log, the summary and the failure reason, e.g. 'sentry new issues'. */
  name: string;
  /**
   * Called once per tick; returns a measurement and whether the window must fail now. Must honour `signal`: it is
   * aborted when the tick's time is up (the request timeout, cut to the window's hard bound), and the window does
   * not wait for a gate past that. A gate that throws (its API is down) is a warning for that tick; a gate that
   * throws (or does not answer in time) on every tick of the window fails the window: it could not be evaluated.
   */
  check(signal: AbortSignal): Promise<GateReading>;
  /**
   * Set for gates judged like the checks (metric gates): a failing reading fails the window only after this many
   * ticks in a row, and a gate without a reading on this many ticks in a row (or on every tick of a shorter window)
   * is inconclusive at the window's end, which fails it unless `noData` is 'pass'. Unset, one failing reading fails
   * the window, and only a gate unreadable on every tick does at its end.
   */
  failAfter?: number;
  /** Unread ticks in a row that make the gate inconclusive, when not failAfter (an alarm gate fails at once, but
   * is only inconclusive after as many unread ticks as a metric gate). */
  noDataAfter?: number;
  noData?: 'fail' | 'pass';
}

/**
 * The gates the inputs ask for, in the order they are read each tick. None by default. Tests hand run() their own
 * gates instead; the bundle always builds them here.
 */
export function windowGatesFromInputs(inputs: SmokeTestInputs): WindowGate[] {
  const gates: WindowGate[] = [];
  // One entry per gate.
  const sentry =
    inputs['sentry-max-new-issues'] === undefined
      ? undefined
      : sentryTarget(inputs, { release: readRunContext().sha, environment: 'production' });
  if (sentry && inputs['sentry-max-new-issues'] !== undefined)
    // No retries inside a tick (the next tick asks again); issues counted from the window's start.
    gates.push(
      sentryNewIssuesGate(
        new SentryClient({ ...sentry.config, retry: { retries: 0 } }),
        sentry.release,
        sentry.environment,
        new Date(),
        inputs['sentry-max-new-issues'],
      ),
    );
  gates.push(...metricGatesFromInputs(inputs));
  return gates;
}

/** One gate per line of cloudwatch-alarms (names, or prefix: lines), read with DescribeAlarms. */
function cloudWatchGatesFromInputs(inputs: SmokeTestInputs): WindowGate[] {
  if (inputs['cloudwatch-alarms'].length === 0) return [];
  return cloudWatchGates({
    lines: inputs['cloudwatch-alarms'],
    region: awsRegion(inputs['aws-region']),
    timeoutMs: inputs.timeout,
    noDataAfter: inputs['watch-fail-after'],
    noData: inputs['gates-no-data'],
  });
}

/** One gate per line of datadog-gates (QueryMetrics), then one per line of datadog-monitors (monitor states). */
function datadogGatesFromInputs(
  inputs: SmokeTestInputs,
  values: Partial<Record<'release' | 'previous', string>>,
): WindowGate[] {
  const apiKey = inputs['datadog-api-key'];
  const appKey = inputs['datadog-app-key'];
  if (!apiKey || !appKey || inputs['datadog-gates'].length + inputs['datadog-monitors'].length === 0) return [];
  return datadogGates({
    config: {
      apiKey,
      appKey,
      site: inputs['datadog-site'],
      ...(inputs['datadog-api-url'] ? { url: inputs['datadog-api-url'] } : {}),
      timeoutMs: inputs.timeout,
    },
    gates: inputs['datadog-gates'].map((gate) => ({ gate, query: substitute(gate, values) })),
    monitors: inputs['datadog-monitors'],
    failAfter: inputs['watch-fail-after'],
    noData: inputs['gates-no-data'],
  });
}

/**
 * The gates read like metrics, in the bake window and once in a one-shot smoke test: one gate per line of
 * prometheus-gates, then cloudwatch-alarms, then datadog-gates and datadog-monitors, then Sentry's release health. A metric gate is named by the
 * line as written; its variables are the release's identifier (input release, else the commit SHA) and the
 * previous release's (input previous-release).
 */
export function metricGatesFromInputs(inputs: SmokeTestInputs): WindowGate[] {
  const values = { release: inputs.release || readRunContext().sha, previous: inputs['previous-release'] };
  const url = inputs['prometheus-url'];
  const prometheus =
    url && inputs['prometheus-gates'].length > 0
      ? inputs['prometheus-gates'].map((gate) =>
          prometheusGate(
            { url, headers: inputs['prometheus-headers'], timeoutMs: inputs.timeout },
            gate,
            substitute(gate, values),
            { failAfter: inputs['watch-fail-after'], noData: inputs['gates-no-data'] },
          ),
        )
      : [];
  return [
    ...prometheus,
    ...cloudWatchGatesFromInputs(inputs),
    ...datadogGatesFromInputs(inputs, values),
    ...sentryHealthGatesFromInputs(inputs),
  ];
}

/**
 * sentry-crash-free-sessions and sentry-crash-free-users, read from Sentry's sessions API: over the window so far
 * in mode watch, over the last 24 hours in a one-shot smoke test. The release is sentry-release, else the commit SHA.
 */
function sentryHealthGatesFromInputs(inputs: SmokeTestInputs): WindowGate[] {
  const crashFreeSessions = inputs['sentry-crash-free-sessions'];
  const crashFreeUsers = inputs['sentry-crash-free-users'];
  if (crashFreeSessions === undefined && crashFreeUsers === undefined) return [];
  const sentry = sentryTarget(inputs, { release: readRunContext().sha, environment: 'production' });
  if (!sentry) return [];
  return sentryHealthGates({
    // No retries inside a tick: the next tick asks again (once Sentry's rate limit allows).
    client: new SentryClient({ ...sentry.config, retry: { retries: 0 }, timeoutMs: inputs.timeout }),
    release: sentry.release,
    environment: sentry.environment,
    ...(crashFreeSessions === undefined ? {} : { crashFreeSessions }),
    ...(crashFreeUsers === undefined ? {} : { crashFreeUsers }),
    minSessions: inputs['sentry-health-min-sessions'],
    period: inputs.mode === 'watch' ? 'window' : 'day',
    failAfter: inputs['watch-fail-after'],
    noData: inputs['gates-no-data'],
  });
}

/** Reads the expression once per tick; no single number (no data, several series, NaN, an error) is thrown: no reading. */
export function prometheusGate(
  config: PrometheusConfig,
  gate: MetricGate,
  expression: string,
  judging: Pick<WindowGate, 'noDataAfter'> & { failAfter: number; noData: 'fail' | 'pass' },
): WindowGate {
  return {
    name: `prometheus: ${gate.line}`,
    ...judging,
    async check(signal) {
      const value = await instantQuery(config, expression, signal);
      const ok = satisfies(value, gate.op, gate.threshold);
      return {
        ok,
        value,
        measurement: `read ${formatReading(value)} (must be ${gate.op} ${formatReading(gate.threshold)})`,
      };
    },
  };
}
