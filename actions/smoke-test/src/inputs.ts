// The smoke-test inputs: one schema, every problem reported at once, header values and URL credentials masked
// before anything is logged. Only light, pure modules are imported here: this is the action's cold path.
import * as z from 'zod/mini';
import { readRunContext } from '../../../shared/run-context.js';
import {
  boolean,
  duration,
  field,
  inputFileProblem,
  integer,
  isLoopbackUrl,
  list,
  oneOf,
  parseDuration,
  type RawInputs,
  readInputs,
  text,
  url,
  urlProblem,
} from '../../../shared/inputs.js';
import {
  GATE_FORM,
  type MetricGate,
  parseMetricGates,
  RELEASE_ID,
  RELEASE_ID_FORM,
} from '../../../shared/metric-gates.js';
import { getInput } from '../../../shared/runner.js';
import { cap, inline, redactUrls } from '../../../shared/sanitise.js';
import {
  SENTRY_SECRETS,
  sentryGateInputs,
  sentryGateRules,
  sentryHealthInputs,
  sentryHealthRules,
  sentryInputs,
  sentryRules,
} from '../../../shared/sentry-inputs.js';
import { type AlarmLine, ALARMS_FORM, parseAlarmLines } from './cloudwatch-gate.js';
import { DATADOG_SITES, type MonitorLine, MONITORS_FORM, parseMonitorLines } from './datadog-gate.js';
import { isSecretHeader, parseHeaderLines, parseStatusList, STATUS_FORM, type StatusRange } from './expectations.js';
import { parseRegressionRule, REGRESSION_FORM, type RegressionRule } from './regression-rule.js';
import { parseThreshold, THRESHOLD_FORM, type Threshold } from './thresholds.js';

export const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

type Parsed<T> = { ok: true; value: T } | { ok: false; expected: string };
const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const no = (expected: string): Parsed<never> => ({ ok: false, expected });

function splitList(raw: string | undefined): string[] {
  return (raw ?? '')
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter(Boolean);
}

const URL_FORM = 'http(s) URLs, one per line or separated by commas';

const urls = field<string[]>((raw) => {
  const items = splitList(raw);
  for (const item of items) {
    const problem = urlProblem(item, URL_FORM);
    // The URL is shown with its credentials starred out: it may carry a password or a bypass token.
    if (problem !== undefined) return no(`${problem} ('${cap(redactUrls(item), 60)}' is not one)`);
  }
  return ok(items);
});

const method = field<string>((raw) => {
  const value = (raw ?? 'GET').toUpperCase();
  return (METHODS as readonly string[]).includes(value) ? ok(value) : no(`must be one of ${METHODS.join(', ')}`);
});

const headers = field<Record<string, string>>((raw) => {
  const parsed = parseHeaderLines(raw ?? '');
  return 'headers' in parsed
    ? ok(parsed.headers)
    : no(`must be 'Name: value' lines (line ${parsed.badLine} ${parsed.problem})`);
});

const statusList = field<StatusRange[]>((raw) => {
  const ranges = parseStatusList(raw ?? '200-399');
  return ranges ? ok(ranges) : no(`must be ${STATUS_FORM}`);
});

// The item that is not one is quoted with any URL credentials starred out, as every quoted input is.
const thresholds = field<Threshold[]>((raw) => {
  const items = splitList(raw);
  const parsed = items.map(parseThreshold);
  const bad = items.find((_, i) => !parsed[i]);
  return bad === undefined
    ? ok(parsed as Threshold[])
    : no(`must be ${THRESHOLD_FORM} (one per line or comma-separated); '${cap(redactUrls(bad), 60)}' is not one`);
});

const regression = field<RegressionRule[]>((raw) => {
  const items = splitList(raw);
  const parsed = items.map(parseRegressionRule);
  const bad = items.find((_, i) => !parsed[i]);
  return bad === undefined
    ? ok(parsed as RegressionRule[])
    : no(`must be ${REGRESSION_FORM}, one per line or comma-separated; '${cap(redactUrls(bad), 60)}' is not one`);
});

export const metricGates = field<MetricGate[]>((raw) => {
  const parsed = parseMetricGates(raw ?? '');
  return 'gates' in parsed ? ok(parsed.gates) : no(`must be ${GATE_FORM}: ${parsed.problems.join('; ')}`);
});

/** Every value of prometheus-headers is sent to the metrics API only; a line that is not a header is its own problem. */
export const prometheusHeaders = field<Record<string, string>>((raw) => {
  const parsed = parseHeaderLines(raw ?? '');
  return 'headers' in parsed
    ? ok(parsed.headers)
    : no(
        `must be 'Name: value' lines, one header per line (e.g. Authorization: Bearer …) (line ${parsed.badLine} ${parsed.problem})`,
      );
});

export const cloudWatchAlarms = field<AlarmLine[]>((raw) => {
  const parsed = parseAlarmLines(raw ?? '');
  return 'lines' in parsed ? ok(parsed.lines) : no(`must be ${ALARMS_FORM}: ${parsed.problems.join('; ')}`);
});

const DATADOG_GATE_FORM =
  "'<metric query> <op> <number>', one gate per line, with <op> one of <, <=, >, >= (e.g. sum:trace.http.request.errors{service:api}.as_count() / sum:trace.http.request.hits{service:api}.as_count() < 0.05)";

export const datadogGateLines = field<MetricGate[]>((raw) => {
  const parsed = parseMetricGates(raw ?? '');
  return 'gates' in parsed ? ok(parsed.gates) : no(`must be ${DATADOG_GATE_FORM}: ${parsed.problems.join('; ')}`);
});

export const datadogMonitors = field<MonitorLine[]>((raw) => {
  const parsed = parseMonitorLines(raw ?? '');
  return 'lines' in parsed ? ok(parsed.lines) : no(`must be ${MONITORS_FORM}: ${parsed.problems.join('; ')}`);
});

/** AWS region codes: eu-west-1, us-gov-west-1, ap-southeast-4. */
const AWS_REGION = /^[a-z]{2}(?:-[a-z]+)+-\d{1,2}$/;

/** Part of a cache key: no commas (the client refuses them) and no `/` (it ends the key in the prefix). */
const REGRESSION_KEY = /^[A-Za-z0-9._-]{1,100}$/;

const optionalDuration = field<number | undefined>((raw) => {
  if (raw === undefined) return ok(undefined);
  const ms = parseDuration(raw);
  return ms !== undefined && ms >= 1 && ms <= 600_000
    ? ok(ms)
    : no('must be a duration like 300ms, 2s or 1m, from 1ms to 10m');
});

const DEADLINE_FORM = 'a duration like 30s, 5m or 1h, from 1ms to 6h';

const optionalDeadline = field<number | undefined>((raw) => {
  if (raw === undefined) return ok(undefined);
  const ms = parseDuration(raw);
  return ms !== undefined && ms >= 1 && ms <= 6 * 3_600_000 ? ok(ms) : no(`must be ${DEADLINE_FORM}`);
});

/** The default deadline outside watch mode. */
const DEFAULT_DEADLINE_MS = 5 * 60_000;

const ERROR_RATE_FORM = 'a share of failed requests like 5%, 0.5% or 0.05, from 0 to 100%';

/** `5%` or `0.05`: the share of failed requests (0–1) a bake window tolerates. */
export function parseErrorRate(raw: string): number | undefined {
  const percent = /^\s*(\d+(?:\.\d+)?)\s*%\s*$/.exec(raw);
  const value = percent ? Number(percent[1]) / 100 : /^\s*\d+(?:\.\d+)?\s*$/.test(raw) ? Number(raw) : Number.NaN;
  return value >= 0 && value <= 1 ? value : undefined;
}

const errorRate = field<number>((raw) => {
  const value = parseErrorRate(raw ?? '10%');
  return value === undefined ? no(`must be ${ERROR_RATE_FORM}`) : ok(value);
});

/**
 * Values of watch-window that ask for no window at all. The shipline deploy workflow turns its bake window off for
 * bake-window 0, 0s, off or false (and empty) and never starts mode watch then; smoke-test itself cannot watch for
 * no time, so here they are an input problem that says so, not a window that fails (and rolls a release back).
 */
function isNoWindow(raw: string): boolean {
  const value = raw.trim().toLowerCase();
  return value === 'off' || value === 'false' || parseDuration(value) === 0;
}

const WATCH_WINDOW_DEFAULT = '5m';
const WATCH_WINDOW_FORM = 'a duration like 30s, 5m or 1h, from 1s to 6h';

const watchWindow = field<number>((raw) => {
  if (raw !== undefined && isNoWindow(raw))
    return no(
      `is no window: mode watch needs ${WATCH_WINDOW_FORM} (to bake not at all, skip this step, as the deploy workflow does for bake-window 0, 0s, off or false)`,
    );
  const ms = parseDuration(raw ?? WATCH_WINDOW_DEFAULT);
  return ms !== undefined && ms >= 1000 && ms <= 6 * 3_600_000 ? ok(ms) : no(`must be ${WATCH_WINDOW_FORM}`);
});

/** The modes mode: validate checks the inputs for. */
const VALIDATE_AS = ['watch', 'gate'] as const;

/**
 * What an empty base-url stands for in mode: validate. A preflight runs before the deploy step that gives the URL;
 * the inputs are checked as if it were set, and no request is ever sent (`.invalid` resolves nowhere, RFC 2606).
 */
const BASE_URL_TO_COME = 'https://base-url.invalid/';

const schema = z.object({
  url: urls,
  'base-url': url(),
  paths: list(),
  checks: text(),
  'checks-file': text(),
  method,
  headers,
  body: text(),
  'expect-status': statusList,
  'expect-text': text(),
  'max-latency': optionalDuration,
  'follow-redirects': boolean(true),
  'ca-file': text(),
  'insecure-hosts': list(),
  timeout: duration({ default: '10s', max: '10m' }),
  // No default here: in watch mode it is the window plus one request timeout (deadlineOf).
  deadline: optionalDeadline,
  interval: duration({ default: '2s', max: '10m' }),
  'max-interval': duration({ default: '30s', max: '1h' }),
  'max-attempts': integer({ min: 0, max: 100_000, default: 0 }),
  samples: integer({ min: 1, max: 10_000, default: 20 }),
  thresholds,
  'overall-thresholds': thresholds,
  concurrency: integer({ min: 1, max: 256, default: 8 }),
  degraded: oneOf(['pass', 'fail'] as const, { default: 'pass', aliases: { warn: 'pass' } }),
  mode: oneOf(['gate', 'monitor', 'watch', 'validate'] as const, {
    default: 'gate',
    aliases: { scheduled: 'monitor', check: 'gate' },
  }),
  'validate-as': oneOf(VALIDATE_AS, { default: 'watch' }),
  'watch-window': watchWindow,
  'watch-interval': duration({ default: '30s', min: '1s', max: '1h' }),
  'watch-fail-after': integer({ min: 1, max: 10_000, default: 3 }),
  'max-error-rate': errorRate,
  regression,
  'regression-key': text({
    default: 'default',
    pattern: REGRESSION_KEY,
    expected: 'a name of letters, digits, ., _ or -, up to 100 characters (the environment, say: production)',
  }),
  'cache-timeout': duration({ default: '1m', max: '10m' }),
  ...sentryInputs,
  ...sentryGateInputs,
  ...sentryHealthInputs,
  'prometheus-url': url(),
  'prometheus-headers': prometheusHeaders,
  'prometheus-gates': metricGates,
  'cloudwatch-alarms': cloudWatchAlarms,
  'aws-region': text({ pattern: AWS_REGION, expected: 'an AWS region code such as eu-west-1' }),
  'datadog-gates': datadogGateLines,
  'datadog-monitors': datadogMonitors,
  'datadog-api-key': text(),
  'datadog-app-key': text(),
  'datadog-site': oneOf(DATADOG_SITES, { default: 'datadoghq.com' }),
  'datadog-api-url': url({ httpsOnly: true }),
  'gates-no-data': oneOf(['fail', 'pass'] as const, { default: 'fail' }),
  release: text({ pattern: RELEASE_ID, expected: RELEASE_ID_FORM }),
  'previous-release': text({ pattern: RELEASE_ID, expected: RELEASE_ID_FORM }),
});

type ParsedInputs = z.output<typeof schema>;

/** The settings: as parsed, with the deadline resolved (deadlineOf). In mode validate, 'validate-as' is the mode the inputs were read for. */
export type SmokeTestInputs = Omit<ParsedInputs, 'deadline'> & { deadline: number };

/** The bake window's timing: a window holds at least one interval, and an explicit deadline leaves room for it. */
function watchRules(raw: RawInputs, deadline: number | undefined): string[] {
  const problems: string[] = [];
  const window = parseDuration(raw['watch-window'] ?? WATCH_WINDOW_DEFAULT);
  const interval = parseDuration(raw['watch-interval'] ?? '30s');
  // No window (0s) is its own problem, reported by the field: "shorter than the interval" would only blur it.
  if (window !== undefined && window > 0 && interval !== undefined && window < interval)
    problems.push(
      `Input 'watch-window' (${inline(raw['watch-window'] ?? '5m', 60)}) must be at least 'watch-interval' (${inline(raw['watch-interval'] ?? '30s', 60)}): a window holds one tick or more`,
    );
  const watching = (raw.mode ?? '').toLowerCase() === 'watch';
  if (watching && window !== undefined && deadline !== undefined && deadline < window)
    problems.push(
      `Input 'deadline' (${inline(raw.deadline, 60)}) must be at least 'watch-window' (${inline(raw['watch-window'] ?? '5m', 60)}) in watch mode, or left empty (then it is the window plus one request timeout)`,
    );
  if (watching && raw.regression)
    problems.push(
      "Input 'regression' compares a release with the last good one before it is promoted; it does not apply to mode 'watch' (use 'thresholds' for latency over the window)",
    );
  return problems;
}

/**
 * The metric gates need their API, and the variables they use need values. In mode validate (a preflight, before
 * the deploy that tells the previous release) a missing previous-release is left to the step that reads the gates.
 * `prefix` names another action's copy of the inputs (deploy's rolling-prometheus-*), judged by the same rules.
 */
export function metricGateRules(raw: RawInputs, validating: boolean, prefix = ''): string[] {
  const problems: string[] = [];
  const name = (input: 'url' | 'headers' | 'gates') => `${prefix}prometheus-${input}`;
  const gates = raw[name('gates')];
  if (gates && !raw[name('url')])
    problems.push(
      `Input '${name('gates')}' needs '${name('url')}' (the Prometheus-compatible API to query, e.g. https://prometheus.example.com)`,
    );
  // Not gates-no-data: action.yml gives it a default (fail), which the runner passes to every step.
  for (const input of [name('url'), name('headers')])
    if (raw[input] && !gates)
      problems.push(
        `Input '${input}' is for metric gates: set '${name('gates')}' too (one gate per line, e.g. sum(rate(http_requests_total{code=~"5.."}[1m])) / sum(rate(http_requests_total[1m])) < 0.05)`,
      );
  const url = raw[name('url')];
  // The headers carry credentials (a bearer token): plain http only where nothing crosses a network.
  if (url && raw[name('headers')] && url.toLowerCase().startsWith('http:') && !isLoopbackUrl(url))
    problems.push(
      `Input '${name('url')}' must be an https URL when '${name('headers')}' is set (they carry credentials; plain http only to localhost)`,
    );
  const parsed = gates ? parseMetricGates(gates) : undefined;
  const used = new Set(parsed && 'gates' in parsed ? parsed.gates.flatMap((g) => g.variables) : []);
  if (used.has('previous') && !raw['previous-release'] && !validating)
    problems.push(
      `Input '${name('gates')}' uses \${previous}: set 'previous-release' (the identifier of the release before this one, as your metrics label it; in shipline's workflows, deploy's previous-sha, empty on an environment's first deploy: there is no previous release to compare with yet)`,
    );
  if (used.has('release') && !raw.release && !readRunContext().sha)
    problems.push(
      `Input '${name('gates')}' uses \${release}: set 'release' (the release's identifier as your metrics label it; the default, the commit SHA, is not known here)`,
    );
  return problems;
}

/**
 * CloudWatch alarms are read in a region: input aws-region, else the one the environment names (what
 * aws-actions/configure-aws-credentials sets). A preflight may run before that step: there the region is not asked for.
 * `prefix` names another action's copy of the alarms input (deploy's rolling-cloudwatch-alarms), whose aws-region is
 * also its provider's (ECS): there aws-region alone is no problem.
 */
export function cloudWatchRules(raw: RawInputs, validating: boolean, prefix = ''): string[] {
  const problems: string[] = [];
  const alarms = `${prefix}cloudwatch-alarms`;
  if (!prefix && raw['aws-region'] && !raw[alarms])
    problems.push(
      "Input 'aws-region' is for CloudWatch alarm gates: set 'cloudwatch-alarms' too (alarm names, one per line, or prefix:<name prefix> lines)",
    );
  if (raw[alarms] && !raw['aws-region'] && !process.env.AWS_REGION && !process.env.AWS_DEFAULT_REGION && !validating)
    problems.push(
      `Input '${alarms}' needs a region: set 'aws-region' (e.g. eu-west-1), or run aws-actions/configure-aws-credentials with aws-region before this step`,
    );
  return problems;
}

const DATADOG_GATE_EXAMPLE =
  'sum:trace.http.request.errors{service:api,env:production}.as_count() / sum:trace.http.request.hits{service:api,env:production}.as_count() < 0.05';

/**
 * Datadog gates need both keys (every query and monitor read takes the API key and an application key). A
 * preflight (mode validate) runs without them: the workflow checks there that its secrets are set. `prefix` names
 * another action's copy of the inputs (deploy's rolling-datadog-*), judged by the same rules; `previousKnown`: that
 * action knows ${previous} itself (deploy reads the release production served), so it is never asked for.
 */
export function datadogRules(
  raw: RawInputs,
  { validating, prefix = '', previousKnown = false }: { validating: boolean; prefix?: string; previousKnown?: boolean },
): string[] {
  const problems: string[] = [];
  const name = (input: 'gates' | 'monitors' | 'api-key' | 'app-key' | 'api-url') => `${prefix}datadog-${input}`;
  const gated = Boolean(raw[name('gates')] || raw[name('monitors')]);
  if (gated && !validating)
    for (const key of ['api-key', 'app-key'] as const)
      if (!raw[name(key)])
        problems.push(
          `Input '${name(key)}' is required with '${name('gates')}' or '${name('monitors')}' (Datadog's ${key === 'api-key' ? 'API key' : 'application key'}, a secret)`,
        );
  // Not datadog-site: action.yml gives it a default, which the runner passes to every step.
  for (const input of ['api-key', 'app-key', 'api-url'] as const)
    if (raw[name(input)] && !gated)
      problems.push(
        `Input '${name(input)}' is for Datadog gates: set '${name('gates')}' (one gate per line, e.g. ${DATADOG_GATE_EXAMPLE}) or '${name('monitors')}' too`,
      );
  const parsed = raw[name('gates')] ? parseMetricGates(raw[name('gates')] as string) : undefined;
  const used = new Set(parsed && 'gates' in parsed ? parsed.gates.flatMap((g) => g.variables) : []);
  if (used.has('previous') && !raw['previous-release'] && !validating && !previousKnown)
    problems.push(
      `Input '${name('gates')}' uses \${previous}: set 'previous-release' (the identifier of the release before this one, as your metrics tag it)`,
    );
  if (used.has('release') && !raw.release && !readRunContext().sha)
    problems.push(
      `Input '${name('gates')}' uses \${release}: set 'release' (the release's identifier as your metrics tag it; the default, the commit SHA, is not known here)`,
    );
  return problems;
}

/** The run's hard bound: the deadline input, or 5m; in watch mode without one, the window plus one request timeout. */
function deadlineOf(inputs: ParsedInputs): number {
  if (inputs.deadline !== undefined) return inputs.deadline;
  return inputs.mode === 'watch' ? inputs['watch-window'] + inputs.timeout : DEFAULT_DEADLINE_MS;
}

function rules(raw: RawInputs, validating: boolean): string[] {
  const problems: string[] = [];
  if (raw['validate-as'] && !validating)
    problems.push(
      "Input 'validate-as' names the mode whose inputs mode 'validate' checks: set mode: validate too, or leave it empty",
    );
  const sources = (['url', 'checks', 'checks-file'] as const).filter((name) => raw[name]);
  if (sources.length === 0 && !raw['base-url'])
    problems.push(
      "No checks: set input 'url' (one or more URLs), 'base-url' (with 'paths'), 'checks' (YAML or JSON) or 'checks-file'",
    );
  if (sources.length > 1)
    problems.push(
      `Inputs ${sources.map((s) => `'${s}'`).join(' and ')} are all sources of checks: set only one of them`,
    );
  if (raw.url && raw['base-url'])
    problems.push("Inputs 'url' and 'base-url' are both set: give full URLs in 'url', or a 'base-url' with 'paths'");
  if (raw.paths && !raw['base-url'])
    problems.push("Input 'paths' needs 'base-url' (the deployment URL the paths are relative to)");
  if (raw.paths && (raw.checks || raw['checks-file']))
    problems.push(
      `Input 'paths' cannot be combined with '${raw.checks ? 'checks' : 'checks-file'}': give the paths as checks with path: in the document`,
    );
  const interval = parseDuration(raw.interval ?? '2s');
  const maxInterval = parseDuration(raw['max-interval'] ?? '30s');
  if (interval !== undefined && maxInterval !== undefined && interval > maxInterval)
    problems.push(
      `Input 'interval' (${inline(raw.interval, 60)}) must not be longer than 'max-interval' (${inline(raw['max-interval'] ?? '30s', 60)})`,
    );
  const timeout = parseDuration(raw.timeout ?? '10s');
  const deadline = raw.deadline ? parseDuration(raw.deadline) : undefined;
  // Without a deadline, watch mode's is the window plus one timeout (always long enough); the others' is 5m.
  const effectiveDeadline = deadline ?? ((raw.mode ?? '').toLowerCase() === 'watch' ? undefined : DEFAULT_DEADLINE_MS);
  if (timeout !== undefined && effectiveDeadline !== undefined && timeout > effectiveDeadline)
    problems.push(
      `Input 'timeout' (${inline(raw.timeout, 60)}) must not be longer than 'deadline' (${inline(raw.deadline ?? '5m', 60)}): no request would finish in time`,
    );
  problems.push(
    ...watchRules(raw, deadline),
    ...sentryRules(raw),
    ...sentryGateRules(raw),
    ...sentryHealthRules(raw),
    ...metricGateRules(raw, validating),
    ...cloudWatchRules(raw, validating),
    ...datadogRules(raw, { validating }),
  );
  // mode: validate may run before the repository is checked out: run.ts says there that the file is read later.
  const caFile =
    raw['ca-file'] && !validating
      ? inputFileProblem('ca-file', raw['ca-file'], 'a PEM file of CA certificates')
      : undefined;
  if (caFile) problems.push(caFile);
  if (raw['regression-key'] && !raw.regression)
    problems.push(
      "Input 'regression-key' names the baseline of the regression gate, which is off: set 'regression' too (e.g. p(95) < 1.3x)",
    );
  return problems;
}

/**
 * Header values, which may be credentials: masked line by line, even when some line is malformed (the input is
 * then rejected, and the problem must not be the place a token first appears). A line without a colon is masked
 * whole: `Authorization Bearer x` is still a token. URL passwords and token-like query values in every input are
 * masked by readInputs itself.
 */
export function headerSecrets(text: string): string[] {
  const secrets: string[] = [];
  for (const line of text.split(/\r\n|\r|\n/)) {
    const trimmed = line.trim();
    if (!trimmed) continue;
    const colon = trimmed.indexOf(':');
    const name = colon > 0 ? trimmed.slice(0, colon).trim() : '';
    const value = colon > 0 ? trimmed.slice(colon + 1).trim() : trimmed;
    // Three characters or fewer is no credential, and masking it would star out that text across the whole log.
    if (value.length > 3 && (!name || isSecretHeader(name))) secrets.push(value);
  }
  return secrets;
}

function derivedSecrets(raw: RawInputs): string[] {
  return [...headerSecrets(raw.headers ?? ''), ...headerSecrets(raw['prometheus-headers'] ?? '')];
}

/**
 * mode: validate reads every input exactly as the mode named by 'validate-as' reads it (the same schema and rules,
 * with mode read as that mode), except that an empty base-url is not missing: it comes from a later step.
 */
function readerFor(read: (name: string) => string): { read: (name: string) => string; validating: boolean } {
  if (read('mode').trim().toLowerCase() !== 'validate') return { read, validating: false };
  const named = read('validate-as').trim().toLowerCase();
  // A 'validate-as' that names no mode is reported by its own field; the rest is checked as for the default.
  const as = (VALIDATE_AS as readonly string[]).includes(named) ? named : 'watch';
  const baseUrlToCome = !read('base-url') && !read('url');
  return {
    validating: true,
    read: (name) => (name === 'mode' ? as : name === 'base-url' && baseUrlToCome ? BASE_URL_TO_COME : read(name)),
  };
}

export function readSmokeTestInputs(read: (name: string) => string = getInput): SmokeTestInputs {
  const reader = readerFor(read);
  // Header values are never echoed in a problem, secret or not: the problem names the bad line's header instead.
  const parsed = readInputs(
    {
      schema,
      secrets: [...SENTRY_SECRETS, 'prometheus-headers', 'datadog-api-key', 'datadog-app-key'],
      derivedSecrets,
      rules: (raw) => rules(raw, reader.validating),
      unechoed: ['headers', 'prometheus-gates', 'datadog-gates'],
    },
    reader.read,
  );
  const inputs = { ...parsed, deadline: deadlineOf(parsed) };
  return reader.validating
    ? { ...inputs, mode: 'validate', 'validate-as': parsed.mode as (typeof VALIDATE_AS)[number] }
    : inputs;
}
