// Metric gates in this process: the gate syntax (shared/metric-gates.ts, the one parser smoke-test's inputs and a
// deploy preflight use), smoke-test's input rules for them, how a gate's readings are judged over a window, and
// the Prometheus instant query against a real Prometheus (one number, or why there is none).
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { InputError } from '../shared/errors.js';
import {
  metricGateProblems,
  parseMetricGate,
  parseMetricGates,
  satisfies,
  substitute,
} from '../shared/metric-gates.js';
import { instantQuery, NoReading } from '../shared/prometheus.js';
import { readSmokeTestInputs } from '../actions/smoke-test/src/inputs.js';
import { judgeStreakGate, type GateSeries } from '../actions/smoke-test/src/window-verdict.js';
import { json, startTarget, type Target } from './fakes/smoke-target.js';
import { closedPort } from './support.js';
import {
  NO_PROMETHEUS,
  prometheusBinary,
  type RealPrometheus,
  type InstrumentedService,
  startInstrumentedService,
  startPrometheus,
} from './support-prometheus.js';

const ERROR_RATE = 'sum(rate(http_requests_total{code=~"5.."}[1m])) / sum(rate(http_requests_total[1m])) < 0.05';

describe('gate syntax', () => {
  test('an expression, an operator and a number; the last comparison on the line is the gate’s', () => {
    expect(parseMetricGate(ERROR_RATE)).toEqual({
      line: ERROR_RATE,
      expression: ERROR_RATE.replace(/ < 0\.05$/, ''),
      op: '<',
      threshold: 0.05,
      variables: [],
    });
    expect(parseMetricGate('sum(x > 3) >= -1.5e2')).toMatchObject({
      expression: 'sum(x > 3)',
      op: '>=',
      threshold: -150,
    });
    expect(parseMetricGate('up<=1')).toMatchObject({ expression: 'up', op: '<=', threshold: 1 });
    expect(parseMetricGate('max(x{l="${release}"}) / max(x{l="${previous}"}) > .5')).toMatchObject({
      variables: ['release', 'previous'],
      threshold: 0.5,
    });
  });

  test.each([
    ['up == 1', "compares with '==', which is not one of <, <=, >, >="],
    ['up =< 1', "compares with '=<'"],
    ['up <', "has no number after '<'"],
    ['up < five', "compares with 'five', which is not a number"],
    ['up', 'has no comparison at its end'],
    ['< 1', "has no expression before '< 1'"],
    ['sum(rate(x[1m]) < 1', "'(' at character 4 is not closed"],
    ['sum(rate(x{code="5"[1m])) < 1', "'{' at character 11 is closed by ')' at character 24"],
    ['x{code="5..} < 1', 'quote at character 8 is not closed'],
    ['x) < 1', "')' at character 2 closes nothing"],
    ['x{v="${version}"} < 1', "uses '${version}': the variables are ${release} and ${previous}"],
  ])('%s: %s', (line, problem) => {
    const parsed = parseMetricGate(line);
    expect('problem' in parsed && parsed.problem).toContain(problem);
  });

  test('every bad line is reported at once, quoted with its number; blank and # lines are skipped', () => {
    const parsed = parseMetricGates(`# error rate\n${ERROR_RATE}\n\nup == 1\nup <\n`);
    expect(parsed).toEqual({
      problems: [
        expect.stringContaining("line 4 ('up == 1') compares with '=='"),
        expect.stringContaining("line 5 ('up <') has no number"),
      ],
    });
    expect(metricGateProblems('bake-prometheus-gates', 'up == 1')).toEqual([
      expect.stringMatching(/^Input 'bake-prometheus-gates' must be '<query expression> <op> <number>'.*line 1/),
    ]);
    expect(metricGateProblems('bake-prometheus-gates', `${ERROR_RATE}\n`)).toEqual([]);
  });

  test('variables are substituted; comparisons are the operator’s', () => {
    const gate = parseMetricGate('x{r="${release}",p="${previous}"} < 1');
    if ('problem' in gate) throw new Error(gate.problem);
    expect(substitute(gate, { release: 'abc', previous: 'v1' })).toBe('x{r="abc",p="v1"}');
    expect([
      satisfies(0.05, '<', 0.05),
      satisfies(0.05, '<=', 0.05),
      satisfies(0.06, '>', 0.05),
      satisfies(0.05, '>=', 0.05),
    ]).toEqual([false, true, true, true]);
  });
});

describe('smoke-test inputs for metric gates', () => {
  const read = (raw: Record<string, string>) => () => readSmokeTestInputs((name) => raw[name] ?? '');
  const problems = (raw: Record<string, string>): string[] => {
    try {
      read(raw)();
    } catch (error) {
      if (error instanceof InputError) return error.problems;
      throw error;
    }
    return [];
  };
  const base = { url: 'https://app.example.com/health', 'prometheus-url': 'https://prometheus.example.com' };

  test('bad gates, all at once, naming the input and the form', () => {
    const found = problems({ ...base, 'prometheus-gates': 'up == 1\nsum(x < 1\nx{r="${sha}"} > 0\n< 3\nup >' });
    expect(found).toHaveLength(1);
    const [problem] = found as [string];
    expect(problem).toMatch(/^Input 'prometheus-gates' must be '<query expression> <op> <number>', one gate per line/);
    for (const part of [
      "line 1 ('up == 1') compares with '=='",
      "line 2 ('sum(x < 1') has an expression whose brackets",
      "line 3 ('x{r=\"${sha}\"} > 0') uses '${sha}'",
      "line 4 ('< 3') has no expression",
      "line 5 ('up >') has no number",
    ])
      expect(problem).toContain(part);
  });

  test('gates need the API; the API and its options need gates; ${previous} needs previous-release', () => {
    expect(problems({ url: base.url, 'prometheus-gates': ERROR_RATE })).toEqual([
      expect.stringContaining("Input 'prometheus-gates' needs 'prometheus-url'"),
    ]);
    expect(problems({ ...base, 'prometheus-headers': 'Authorization: Bearer abcdef' })).toEqual([
      expect.stringContaining("Input 'prometheus-url' is for metric gates"),
      expect.stringContaining("Input 'prometheus-headers' is for metric gates"),
    ]);
    // The runner passes action.yml's default (fail) to every step: alone, it is no problem.
    expect(problems({ url: base.url, 'gates-no-data': 'fail' })).toEqual([]);
    expect(problems({ ...base, 'prometheus-gates': 'x{r="${previous}"} < 1' })).toEqual([
      expect.stringContaining("uses ${previous}: set 'previous-release'"),
    ]);
    expect(problems({ ...base, 'prometheus-gates': 'x{r="${previous}"} < 1', 'previous-release': 'v1.2.3' })).toEqual(
      [],
    );
    expect(problems({ ...base, 'prometheus-gates': ERROR_RATE, 'gates-no-data': 'skip' })).toEqual([
      expect.stringContaining("Input 'gates-no-data' must be one of fail, pass"),
    ]);
    expect(problems({ ...base, 'prometheus-gates': ERROR_RATE, release: 'a"b' })).toEqual([
      expect.stringContaining("Input 'release' must be a release identifier"),
    ]);
  });

  test('mode validate checks the gates’ syntax before the deploy, and leaves ${previous} to the step that reads them', () => {
    const validate = { ...base, mode: 'validate', 'validate-as': 'watch' };
    expect(problems({ ...validate, 'prometheus-gates': 'x{r="${previous}"} < 1' })).toEqual([]);
    expect(problems({ ...validate, 'prometheus-gates': 'up == 1' })).toEqual([
      expect.stringContaining("line 1 ('up == 1') compares with '=='"),
    ]);
  });

  test('headers carry credentials: never over plain http to another host, and never echoed in a problem', () => {
    const token = 'Bearer hunter2-prometheus';
    expect(
      problems({
        ...base,
        'prometheus-url': 'http://prometheus.internal:9090',
        'prometheus-headers': `Authorization: ${token}`,
        'prometheus-gates': ERROR_RATE,
      }),
    ).toEqual([
      expect.stringContaining("Input 'prometheus-url' must be an https URL when 'prometheus-headers' is set"),
    ]);
    const bad = problems({ ...base, 'prometheus-headers': `Authorization ${token}`, 'prometheus-gates': ERROR_RATE });
    expect(bad).toEqual([expect.stringContaining("Input 'prometheus-headers' must be 'Name: value' lines")]);
    expect(bad.join('\n')).not.toContain('hunter2');
    const inputs = read({
      ...base,
      'prometheus-url': 'http://127.0.0.1:9090',
      'prometheus-headers': `Authorization: ${token}\nX-Scope-OrgID: tenant-1`,
      'prometheus-gates': ERROR_RATE,
    })();
    expect(inputs['prometheus-headers']).toEqual({ Authorization: token, 'X-Scope-OrgID': 'tenant-1' });
    expect(inputs['gates-no-data']).toBe('fail');
  });
});

describe('judging a metric gate over the window', () => {
  const series = (ticks: GateSeries['ticks'], noData: 'fail' | 'pass' = 'fail'): GateSeries => ({
    name: 'prometheus: up < 1',
    ticks,
    failAfter: 3,
    noData,
  });
  const fail = (tick: number) => ({ tick, ok: false, measurement: 'read 2 (must be < 1)', value: 2 });
  const pass = (tick: number) => ({ tick, ok: true, measurement: 'read 0 (must be < 1)', value: 0 });
  const unread = (tick: number) => ({ tick, error: 'Prometheus query failed: no data' });

  test('failing watch-fail-after ticks in a row fails it, naming the gate and the reading; fewer do not', () => {
    expect(judgeStreakGate(series([fail(0), fail(1)]), 3, 5)).toBeUndefined();
    expect(judgeStreakGate(series([fail(0), fail(1), pass(2), fail(3), fail(4)]), 3, 0)).toBeUndefined();
    expect(judgeStreakGate(series([pass(0), fail(1), fail(2), fail(3)]), 3, 2)).toEqual({
      failure: 'prometheus: up < 1: read 2 (must be < 1) on 3 ticks in a row',
      unjudged: false,
    });
  });

  test('no reading on watch-fail-after ticks in a row is inconclusive at the window’s end (not before), unless gates-no-data is pass', () => {
    const ticks = [pass(0), unread(1), unread(2), unread(3), pass(4)];
    expect(judgeStreakGate(series(ticks), 3, 1)).toBeUndefined();
    expect(judgeStreakGate(series(ticks), 3, 0)).toEqual({
      failure: expect.stringMatching(
        /^prometheus: up < 1: inconclusive, no reading on 3 ticks in a row \(3 of 5 ticks unread; last: Prometheus query failed: no data\)$/,
      ),
      unjudged: true,
    });
    expect(judgeStreakGate(series(ticks, 'pass'), 3, 0)).toBeUndefined();
    // A blip is not "no data".
    expect(judgeStreakGate(series([pass(0), unread(1), pass(2)]), 3, 0)).toBeUndefined();
    // A window shorter than watch-fail-after: unread on every tick.
    expect(judgeStreakGate(series([unread(0), unread(1)]), 3, 0)?.unjudged).toBe(true);
  });
});

const binary = prometheusBinary();

(binary ? describe : describe.skip)(binary ? 'instant queries against a real Prometheus' : NO_PROMETHEUS, () => {
  let prometheus: RealPrometheus;
  let service: InstrumentedService;
  let stand: Target;
  beforeAll(async () => {
    service = await startInstrumentedService(4);
    service.startTraffic();
    prometheus = await startPrometheus(binary as string, [service.target]);
    stand = await startTarget();
  }, 60_000);
  afterAll(async () => {
    await stand?.close();
    await prometheus?.close();
    await service?.close();
  });
  const config = () => ({ url: prometheus.url, headers: {}, timeoutMs: 5000 });
  const reason = async (expression: string, url?: string) => {
    try {
      await instantQuery(url ? { ...config(), url } : config(), expression);
    } catch (error) {
      return error;
    }
    throw new Error(`${expression} had a reading`);
  };

  test('one series or a scalar is a reading', async () => {
    expect(await instantQuery(config(), 'sum(up{job="app"})')).toBe(1);
    expect(await instantQuery(config(), 'scalar(vector(0.25))')).toBe(0.25);
    expect(await instantQuery(config(), 'vector(1) / vector(0)')).toBe(Number.POSITIVE_INFINITY);
  });

  test('an empty result, several series (named), NaN and another type are no reading, each saying why', async () => {
    const empty = await reason('sum(http_request_total)');
    expect(empty).toBeInstanceOf(NoReading);
    expect(String(empty)).toContain('no data: the query returned an empty result');
    const several = String(await reason('http_requests_total'));
    expect(several).toContain('the query returned 2 series, not one');
    expect(several).toContain('code="200"');
    expect(several).toContain('code="500"');
    expect(String(await reason('vector(0) / vector(0)'))).toContain('the query returned NaN');
    expect(String(await reason('scalar(vector(0) / vector(0))'))).toContain('NaN');
    expect(String(await reason('http_requests_total[5s]'))).toContain('returned a matrix, not one number');
  });

  test('a query error is Prometheus’s own errorType and error; an API that does not answer is a network error', async () => {
    const direct = await prometheus.query('sum(rate(up[1x]))');
    expect(String(await reason('sum(rate(up[1x]))'))).toContain(`${direct.errorType}: ${direct.error}`);
    expect(String(await reason('up', `http://127.0.0.1:${await closedPort()}`))).toContain('connection refused');
  });

  test('the query is POSTed under the base URL’s path with the configured headers', async () => {
    const answer = await prometheus.query('sum(up{job="app"})');
    stand.route('/prom/api/v1/query', json(200, answer));
    const value = await instantQuery(
      {
        url: `${stand.url}/prom/`,
        headers: { Authorization: 'Bearer t0k3n', 'X-Scope-OrgID': 'tenant-1' },
        timeoutMs: 5000,
      },
      'sum(up{job="app"})',
    );
    expect(value).toBe(1);
    const hit = stand.hits.at(-1);
    expect(hit?.method).toBe('POST');
    expect(hit?.headers.authorization).toBe('Bearer t0k3n');
    expect(hit?.headers['x-scope-orgid']).toBe('tenant-1');
    expect(hit?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(new URLSearchParams(hit?.body).get('query')).toBe('sum(up{job="app"})');
  });
});
