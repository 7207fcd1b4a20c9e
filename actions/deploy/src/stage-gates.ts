// The gates read at each stage of a progressive rollout: every stage of a Vercel rolling release and every pause of
// an ECS progressive rollout (blue/green, canary, linear). They are smoke-test's bake-window gates — Sentry's new
// issues for the release, Prometheus, Datadog (metric queries and monitors) and CloudWatch alarms — with smoke-test's
// input forms, rules and gate builders: deploy's rolling-X is smoke-test's X, judged the same way. What deploy adds
// is where they apply (the rule below) and what they read: ${release} is the commit, ${previous} the release
// production served before, which deploy reads itself.
import { awsRegion } from '../../../shared/aws.js';
import { oneOf, type RawInputs, text, url, field } from '../../../shared/inputs.js';
import { substitute } from '../../../shared/metric-gates.js';
import { sentryTarget } from '../../../shared/sentry-inputs.js';
import { SentryClient, sentryNewIssuesGate } from '../../../shared/sentry.js';
import { cloudWatchGates } from '../../smoke-test/src/cloudwatch-gate.js';
import { DATADOG_SITES, datadogGates } from '../../smoke-test/src/datadog-gate.js';
import {
  cloudWatchAlarms,
  cloudWatchRules,
  datadogGateLines,
  datadogMonitors,
  datadogRules,
  metricGateRules,
  metricGates,
  prometheusHeaders,
} from '../../smoke-test/src/inputs.js';
import { prometheusGate, type WindowGate } from '../../smoke-test/src/window-gates.js';
import type { DeployInputs } from './inputs.js';

/** Deploy's stage gate inputs, validated with all the others. */
export const stageGateInputs = {
  'rolling-sentry-max-new-issues': field<number | undefined>((raw) =>
    raw === undefined
      ? { ok: true, value: undefined }
      : /^\d{1,6}$/.test(raw)
        ? { ok: true, value: Number(raw) }
        : { ok: false, expected: 'must be a whole number of new Sentry issues, like 0' },
  ),
  'rolling-prometheus-url': url(),
  'rolling-prometheus-headers': prometheusHeaders,
  'rolling-prometheus-gates': metricGates,
  'rolling-datadog-gates': datadogGateLines,
  'rolling-datadog-monitors': datadogMonitors,
  'rolling-datadog-site': oneOf(DATADOG_SITES, { default: 'datadoghq.com' }),
  // The keys go with every request: over plain http only to a loopback stand-in.
  'rolling-datadog-api-url': url({ httpsOnly: true }),
  'rolling-datadog-api-key': text(),
  'rolling-datadog-app-key': text(),
  'rolling-cloudwatch-alarms': cloudWatchAlarms,
};

export const STAGE_GATE_SECRETS = ['rolling-prometheus-headers', 'rolling-datadog-api-key', 'rolling-datadog-app-key'];

/** The inputs that name a gate or its connection; rolling-datadog-site is not one (action.yml gives it a default). */
const GATE_INPUTS = [
  'rolling-sentry-max-new-issues',
  'rolling-prometheus-url',
  'rolling-prometheus-headers',
  'rolling-prometheus-gates',
  'rolling-datadog-gates',
  'rolling-datadog-monitors',
  'rolling-datadog-api-url',
  'rolling-datadog-api-key',
  'rolling-datadog-app-key',
  'rolling-cloudwatch-alarms',
] as const;

/**
 * Whether anything reads the stage gates with these inputs. Vercel: a production deploy or a promote (the project's
 * rolling release), and a staged deploy, whose promote reads the same inputs (a pipeline gives both steps one set,
 * and their form is checked at the first, before anything deploys). ECS: a progressive ecs-strategy. A preflight
 * checks them before anything deploys, on either provider.
 */
function gatesRead(raw: RawInputs): boolean {
  const provider = (raw.provider ?? '').trim().toLowerCase();
  const command = (raw.command ?? 'deploy').trim().toLowerCase();
  if (provider !== 'vercel' && provider !== 'ecs') return false;
  if (command === 'preflight') return true;
  if (provider === 'ecs') return (raw['ecs-strategy'] ?? 'rolling').trim().toLowerCase() !== 'rolling';
  return command === 'promote' || !/^(preview)?$/i.test((raw.target ?? '').trim());
}

/** The rules across the stage gate inputs: every problem named at once, before anything changes. */
export function stageGateRules(raw: RawInputs): string[] {
  const problems: string[] = [];
  const validating = (raw.command ?? 'deploy').trim().toLowerCase() === 'preflight';
  const given = GATE_INPUTS.filter((name) => raw[name] !== undefined);
  if (given.length > 0 && !gatesRead(raw))
    problems.push(
      `${given.length === 1 ? 'Input' : 'Inputs'} ${given.map((n) => `'${n}'`).join(', ')} ${given.length === 1 ? 'is' : 'are'} read at each stage of a Vercel rolling release (provider vercel, command promote or target production) or an ECS progressive rollout (provider ecs, ecs-strategy blue-green, canary or linear): nothing reads ${given.length === 1 ? 'it' : 'them'} here`,
    );
  if (raw['rolling-sentry-max-new-issues'] && !(raw['sentry-org'] && raw['sentry-project']))
    problems.push(
      "Input 'rolling-sentry-max-new-issues' reads Sentry: set sentry-org, sentry-project and sentry-token too",
    );
  // ${previous} is the release production served before, which deploy reads itself: never asked for.
  problems.push(
    ...metricGateRules(raw, true, 'rolling-'),
    ...datadogRules(raw, { validating, prefix: 'rolling-', previousKnown: true }),
    ...cloudWatchRules(raw, validating, 'rolling-'),
  );
  return problems;
}

/**
 * How a stage judges its gates: a failing reading fails the stage after `failAfter` readings in a row, and a gate
 * unread for `noDataAfter` readings in a row is inconclusive, which fails it too (no reading never passes a stage).
 */
export interface GateJudging {
  failAfter: number;
  noDataAfter: number;
}

/** The bound of one gate query, as smoke-test's request timeout bounds it. */
const GATE_QUERY_MS = 10_000;

/**
 * The gates of a stage, in the order smoke-test reads them: Sentry's new issues for the release (the commit) in this
 * environment since `since`, then Prometheus, CloudWatch and Datadog. None when no gate input is given.
 */
export function stageGates(
  inputs: DeployInputs,
  release: { sha: string; environment: string; previousSha: string | undefined; since: Date },
  judging: GateJudging,
): WindowGate[] {
  const values = { release: release.sha, ...(release.previousSha ? { previous: release.previousSha } : {}) };
  const gates: WindowGate[] = [];
  const max = inputs['rolling-sentry-max-new-issues'];
  const sentry =
    max === undefined ? undefined : sentryTarget(inputs, { release: release.sha, environment: release.environment });
  if (sentry && max !== undefined)
    // No retries inside a reading: the next reading asks again.
    gates.push(
      sentryNewIssuesGate(
        new SentryClient({ ...sentry.config, retry: { retries: 0 } }),
        sentry.release,
        sentry.environment,
        release.since,
        max,
      ),
    );
  const prometheusUrl = inputs['rolling-prometheus-url'];
  if (prometheusUrl)
    gates.push(
      ...inputs['rolling-prometheus-gates'].map((gate) =>
        prometheusGate(
          { url: prometheusUrl, headers: inputs['rolling-prometheus-headers'], timeoutMs: GATE_QUERY_MS },
          gate,
          substitute(gate, values),
          { ...judging, noData: 'fail' },
        ),
      ),
    );
  if (inputs['rolling-cloudwatch-alarms'].length > 0)
    gates.push(
      ...cloudWatchGates({
        lines: inputs['rolling-cloudwatch-alarms'],
        region: awsRegion(inputs['aws-region']),
        timeoutMs: GATE_QUERY_MS,
        noDataAfter: judging.noDataAfter,
        noData: 'fail',
      }),
    );
  const apiKey = inputs['rolling-datadog-api-key'];
  const appKey = inputs['rolling-datadog-app-key'];
  if (apiKey && appKey)
    gates.push(
      ...datadogGates({
        config: {
          apiKey,
          appKey,
          site: inputs['rolling-datadog-site'],
          ...(inputs['rolling-datadog-api-url'] ? { url: inputs['rolling-datadog-api-url'] } : {}),
          timeoutMs: GATE_QUERY_MS,
        },
        gates: inputs['rolling-datadog-gates'].map((gate) => ({ gate, query: substitute(gate, values) })),
        monitors: inputs['rolling-datadog-monitors'],
        failAfter: judging.failAfter,
        noDataAfter: judging.noDataAfter,
        noData: 'fail',
      }),
    );
  return gates;
}
