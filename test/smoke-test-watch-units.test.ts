// The bake window's judgement and chart, as pure functions: when a failure is certain, what each gate says, and
// what the text chart draws.
import { describe, expect, test } from '@jest/globals';
import { parseErrorRate } from '../actions/smoke-test/src/inputs.js';
import { parseThreshold, type Threshold } from '../actions/smoke-test/src/thresholds.js';
import {
  latencyChart,
  latencyLimit,
  latencyMermaidCharts,
  niceCeiling,
} from '../actions/smoke-test/src/watch-report.js';
import {
  bestCaseThresholds,
  type CheckSeries,
  judgeWindow,
  type WindowSample,
  type WindowState,
} from '../actions/smoke-test/src/window-verdict.js';

const ok = (tick: number, durationMs = 20): WindowSample => ({
  tick,
  atMs: tick * 1000,
  passed: true,
  durationMs,
  httpStatus: 200,
});
const err = (tick: number, httpStatus = 500): WindowSample => ({
  tick,
  atMs: tick * 1000,
  passed: false,
  durationMs: 5,
  httpStatus,
  reason: `unexpected HTTP ${httpStatus} (expected 200-399): oops`,
});
const lost = (tick: number): WindowSample => ({
  tick,
  atMs: tick * 1000,
  passed: false,
  reason: 'connection refused by 127.0.0.1:9: nothing is listening there (ECONNREFUSED)',
});
const t = (text: string) => parseThreshold(text) as Threshold;

function state(checks: Partial<CheckSeries>[], extra: Partial<WindowState> = {}): WindowState {
  const series = checks.map((c, i) => ({ name: `/c${i}`, method: 'GET', thresholds: [], samples: [], ...c }));
  return {
    checks: series,
    gates: [],
    overallThresholds: [],
    ticks: Math.max(0, ...series.map((c) => c.samples.length)),
    remainingTicks: 0,
    failAfter: 3,
    maxErrorRate: 0.1,
    ...extra,
  };
}

describe('max-error-rate', () => {
  test('accepts 5%, 0.5% and 0.05; refuses what is not a share', () => {
    expect(parseErrorRate('5%')).toBe(0.05);
    expect(parseErrorRate('0.5%')).toBe(0.005);
    expect(parseErrorRate('0.05')).toBe(0.05);
    expect(parseErrorRate('0')).toBe(0);
    expect(parseErrorRate('100%')).toBe(1);
    for (const bad of ['101%', '5 percent', '-1%', '2', '', '%']) expect(parseErrorRate(bad)).toBeUndefined();
  });
});

describe('judging the window', () => {
  test('consecutive failures: the streak of one check at the limit fails, with what the last one was', () => {
    expect(
      judgeWindow(state([{ samples: [ok(0), err(1), err(2)] }], { remainingTicks: 7, maxErrorRate: 1 })).failures,
    ).toEqual([]);
    const v = judgeWindow(
      state([{ samples: [ok(0), err(1), err(2), err(3)] }], { remainingTicks: 6, maxErrorRate: 1 }),
    );
    expect(v.failures).toEqual(['GET /c0: 3 consecutive failures (HTTP 500)']);
    expect(v.failedChecks).toEqual(['/c0']);
    // A failure with no answer is named by what happened instead.
    expect(
      judgeWindow(state([{ samples: [lost(0), lost(1), lost(2)] }], { remainingTicks: 7, maxErrorRate: 1 }))
        .failures[0],
    ).toBe(
      'GET /c0: 3 consecutive failures (connection refused by 127.0.0.1:9: nothing is listening there (ECONNREFUSED))',
    );
    // A streak broken by a pass starts again.
    expect(
      judgeWindow(state([{ samples: [err(0), err(1), ok(2), err(3), err(4)] }], { remainingTicks: 5, maxErrorRate: 1 }))
        .failures,
    ).toEqual([]);
  });

  test('error rate: fails early only once the rest of the window could not bring it back to the limit', () => {
    // 1 failed of 20 planned: 5%, under 10% whatever comes.
    expect(judgeWindow(state([{ samples: [err(0)] }], { remainingTicks: 19 })).failures).toEqual([]);
    // 3 failed, 17 to come: at best 15% > 10%.
    expect(
      judgeWindow(state([{ samples: [err(0), ok(1), err(2), ok(3), err(4)] }], { remainingTicks: 15 })).failures,
    ).toEqual(['error rate 60% > 10% over 5 ticks (3 of 5 requests failed)']);
    // At the end, the plain rate: 1 of 10 is at the limit, not above it.
    const tenth = [err(0), ...Array.from({ length: 9 }, (_, i) => ok(i + 1))];
    expect(judgeWindow(state([{ samples: tenth }])).failures).toEqual([]);
    expect(judgeWindow(state([{ samples: tenth }], { maxErrorRate: 0.05 })).failures).toEqual([
      'error rate 10% > 5% over 10 ticks (1 of 10 requests failed)',
    ]);
  });

  test('thresholds over the window: decided early by the best case of the rest, at the end by what was measured', () => {
    const slow = [ok(0, 900), ok(1, 950)];
    // p(95)<800 with 8 ticks to come at 0 ms: p95 of [0×8, 900, 950] is 927.5 — it cannot be met.
    expect(bestCaseThresholds([t('p(95)<800')], { durationsMs: [900, 950], failed: 0, total: 2 }, 8)[0]).toMatchObject({
      passed: false,
    });
    // avg<800 can still be met with 8 fast answers to come.
    expect(judgeWindow(state([{ samples: slow, thresholds: [t('avg<800')] }], { remainingTicks: 8 })).failures).toEqual(
      [],
    );
    expect(
      judgeWindow(state([{ samples: slow, thresholds: [t('p(95)<800')] }], { remainingTicks: 8 })).failures,
    ).toEqual(['GET /c0: p(95)<800 not met (cannot be met by the window’s end): measured 947.5 ms over 2 requests']);
    expect(judgeWindow(state([{ samples: slow, thresholds: [t('avg<800')] }])).failures).toEqual([
      'GET /c0: avg<800 not met: measured 925 ms over 2 requests',
    ]);
    // Overall thresholds over every check's answers.
    expect(
      judgeWindow(state([{ samples: [ok(0, 10)] }, { samples: [ok(0, 2000)] }], { overallThresholds: [t('max<1000')] }))
        .failures,
    ).toEqual(['all checks: max<1000 not met: measured 2000 ms over 2 requests']);
  });

  test('gates: a failing reading fails the window; a gate never read fails it only at the end', () => {
    const failing = {
      name: 'sentry new issues',
      ticks: [
        { tick: 0, ok: true, measurement: '0 new issues' },
        { tick: 1, ok: false, measurement: '2 new issues (max 0)' },
      ],
    };
    expect(judgeWindow(state([{ samples: [ok(0), ok(1)] }], { gates: [failing], remainingTicks: 8 })).failures).toEqual(
      ['sentry new issues: 2 new issues (max 0)'],
    );
    const unread = {
      name: 'sentry new issues',
      ticks: [
        { tick: 0, error: 'HTTP 502' },
        { tick: 1, error: 'HTTP 503' },
      ],
    };
    expect(judgeWindow(state([{ samples: [ok(0), ok(1)] }], { gates: [unread], remainingTicks: 8 })).failures).toEqual(
      [],
    );
    expect(judgeWindow(state([{ samples: [ok(0), ok(1)] }], { gates: [unread] })).failures).toEqual([
      'sentry new issues: could not be evaluated on any of 2 ticks (last: HTTP 503)',
    ]);
    const once = {
      name: 'sentry new issues',
      ticks: [
        { tick: 0, error: 'HTTP 502' },
        { tick: 1, ok: true, measurement: '0 new issues' },
      ],
    };
    expect(judgeWindow(state([{ samples: [ok(0), ok(1)] }], { gates: [once] })).failures).toEqual([]);
  });
});

describe('the latency chart', () => {
  test('a point per tick at its latency, failures as ×, the threshold as a line on its own row', () => {
    const chart = latencyChart(
      { name: '/api/orders', samples: [ok(0, 100), ok(1, 200), err(2), lost(3)] },
      latencyLimit([t('p(95)<500'), t('rate<0.1')]),
      4000,
      4,
    );
    const lines = chart.split('\n');
    expect(lines[0]).toMatch(/^1000 ms ┤ +×$/); // no answer: at the top
    expect(lines[5]).toMatch(/^ 500 ms ┤┄+$/);
    // Rows are tenths of the top: 200 ms on the third row from the bottom, 100 ms on the second, the 500 (5 ms) on the first.
    expect(lines[8]).toMatch(/^ {8}┤ {5}●$/);
    expect(lines[9]).toMatch(/^ {8}┤ ●$/);
    expect(lines[10]).toMatch(/^ {3}0 ms ┤ {9}×$/);
    expect(chart).toContain('┄ p(95)<500');
    expect(chart).toContain('4s');
  });

  test('more ticks than columns share a column, the slowest shown', () => {
    const samples = Array.from({ length: 600 }, (_, i) => (i === 300 ? err(i) : ok(i, i === 10 ? 900 : 50)));
    const chart = latencyChart({ name: '/', samples }, undefined, 600_000, 600);
    expect(chart).toContain('(10 ticks a column, the slowest shown)');
    expect((chart.match(/×/g) ?? []).length).toBe(2); // the failed tick's column, and the legend
    expect(chart.split('\n')[0]).toMatch(/^1000 ms ┤/);
    expect(niceCeiling(945)).toBe(1000);
  });

  test('a window that ended early keeps the columns of the ticks it did not run: the axis is the whole window', () => {
    const chart = latencyChart({ name: '/', samples: [ok(0, 100), err(1)] }, undefined, 10_000, 10);
    const [axis, times] = chart.split('\n').slice(-3);
    expect(axis).toMatch(/└─{40}$/); // 10 ticks, 4 characters each
    expect(times).toMatch(/0s +10s$/);
    expect(chart.split('\n')[10]).toMatch(/┤ {5}×$/);
    expect(niceCeiling(101)).toBe(200);
  });
});

describe('the mermaid chart', () => {
  const check = (name: string, samples: WindowSample[], thresholds: Threshold[] = []) => ({
    name,
    method: 'GET',
    thresholds,
    samples,
  });
  const seriesOf = (source: string, kind: 'line' | 'bar') =>
    [...source.matchAll(new RegExp(`^  ${kind} \\[(.*)\\]$`, 'gm'))].map((m) =>
      (m[1] as string).split(', ').map(Number),
    );

  test("a line per check at each tick's latency, the lowest latency threshold flat, failed requests as bars", () => {
    const charts = latencyMermaidCharts(
      [
        check('/api/orders', [ok(0, 100), ok(1, 200), err(2), lost(3)], [t('p(95)<500'), t('rate<0.1')]),
        check('/', [ok(0, 30), ok(1, 40), ok(2, 50), err(3)]),
      ],
      [t('p(99)<800')],
      1000,
      4,
      4,
    );
    const latency = charts?.latency ?? '';
    expect(latency).toMatch(/^---\n[\s\S]*\n---\nxychart-beta\n/);
    expect(latency).toContain('x-axis "seconds since the window began" 0 --> 3');
    expect(latency).toContain('y-axis "ms" 0 --> 1000');
    // No answer at tick 3: drawn at the top of the axis; the 500 answered in 5 ms.
    expect(seriesOf(latency, 'line')).toEqual([
      [100, 200, 5, 1000],
      [30, 40, 50, 5],
      [500, 500, 500, 500],
    ]);
    // Bars only at the ticks where requests failed (2 and 3), named by their second.
    expect(seriesOf(charts?.failures ?? '', 'bar')).toEqual([[1, 2]]);
    expect(charts?.failures).toContain('x-axis "second of the window" ["2s", "3s"]');
    expect(charts?.legend).toBe('blue: GET /api/orders · orange: GET / · red: threshold p(95)<500.');
  });

  test("no threshold, no failures: only the checks' lines, no failures chart", () => {
    const charts = latencyMermaidCharts([check('/', [ok(0, 10), ok(1, 20)])], [], 30_000, 2, 10);
    expect(seriesOf(charts?.latency ?? '', 'line')).toEqual([[10, 20]]);
    expect(charts?.latency).toContain('0 --> 30');
    expect(charts?.failures).toBeUndefined();
    expect(charts?.legend).toContain('The window ended after 2 of 10 ticks');
    expect(charts?.legend).toContain('No request failed.');
    expect(latencyMermaidCharts([check('/', [])], [], 1000, 0, 10)).toBeUndefined();
  });

  test('more than 60 ticks are grouped: at most 60 points, each the slowest of its ticks', () => {
    const samples = Array.from({ length: 600 }, (_, i) => (i === 300 ? err(i) : ok(i, i === 10 ? 900 : 50)));
    const charts = latencyMermaidCharts([check('/', samples)], [], 1000, 600, 600);
    const [line] = seriesOf(charts?.latency ?? '', 'line');
    expect(line).toHaveLength(60);
    expect(line?.[1]).toBe(900);
    expect(line?.[30]).toBe(50);
    expect(seriesOf(charts?.failures ?? '', 'bar')).toEqual([[1]]);
    expect(charts?.failures).toContain('["300s"]');
    expect(charts?.latency).toContain('0 --> 590');
    expect(charts?.legend).toContain('Each point is 10 ticks');
  });

  test("check names are the user's: they never enter the mermaid source, and the legend escapes them", () => {
    const hostile = '/x"]\n```\nflowchart LR\n  click A "javascript:alert(1)"\n<img src=x>';
    const charts = latencyMermaidCharts([check(hostile, [ok(0, 10), err(1)])], [], 1000, 2, 2);
    for (const source of [charts?.latency ?? '', charts?.failures ?? '']) {
      expect(source).not.toContain('/x');
      expect(source).not.toContain('`');
      // Every line is ours: the frontmatter, the diagram type, or an indented statement.
      expect(source.split('\n').every((l) => /^(---|config:| {2}|xychart-beta)/.test(l))).toBe(true);
    }
    expect(charts?.legend).not.toContain('\n');
    expect(charts?.legend).not.toContain('<img');
    expect(charts?.legend).toContain('\\`\\`\\`');
  });
});
