// The bake window (smoke-test mode: watch), through the bundle as the runner runs it, against a loopback
// production that stays healthy, starts failing on one route mid-window, flakes or slows down.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import { marked } from 'marked';
import { type RunOptions, type RunResult, runBundle } from '../cli/local-runner.js';
import { flaky, hang, json, slow, startTarget, type Target, text } from './fakes/smoke-target.js';
import { errors } from './support.js';

let app: Target;
const workspace = mkdtempSync(join(tmpdir(), 'smoke-watch-ws-'));

beforeAll(async () => {
  app = await startTarget();
});
afterAll(() => app.close());
beforeEach(() => app.reset());

function watch(inputs: RunOptions['inputs']): Promise<RunResult> {
  return runBundle({
    action: 'smoke-test',
    inputs: { mode: 'watch', 'watch-interval': '1s', ...inputs },
    workspace,
    timeoutMs: 60_000,
  });
}

interface WatchReport {
  passed: boolean;
  failures: string[];
  window: {
    ticks: number;
    plannedTicks: number;
    endedEarly: boolean;
    requests: number;
    failed: number;
    errorRate: number;
  };
  checks: { name: string; passed: boolean; requests: number; failed: number; latency?: { p95: number; max: number } }[];
}

const report = (result: RunResult): WatchReport => JSON.parse(result.outputs.report as string);
const hitsOf = (path: string) => app.hits.filter((h) => h.path === path).length;

/** 200 for the first `answers` requests, then 500: production breaking on one route after promotion. Counted, not
 * timed, so which tick sees the break does not depend on how fast a loaded machine runs the ticks. */
function breaksAfter(answers: number): Parameters<Target['route']>[1] {
  return (req, res, n) =>
    n <= answers
      ? json(200, { orders: [] })(req, res, n)
      : text(500, 'Internal Server Error: orders backend down', 'text/plain')(req, res, n);
}

describe('mode: watch', () => {
  test('a healthy window runs out its clock and passes, every check once per tick, with the outputs', async () => {
    app.route('/api/health', json(200, { status: 'pass' }));
    app.route('/', text(200, '<html>ok</html>'));
    const result = await watch({ 'base-url': app.url, paths: '/api/health, /', 'watch-window': '3s' });
    expect(result.exitCode).toBe(0);
    expect(result.outputs).toMatchObject({
      result: 'passed',
      'failure-reason': '',
      ticks: '3',
      'error-rate': '0',
      passed: 'true',
      status: 'succeeded',
    });
    expect(Number(result.outputs['p95-ms'])).toBeGreaterThan(0);
    expect(hitsOf('/api/health')).toBe(3);
    expect(hitsOf('/')).toBe(3);
    // The clock ran out: every planned tick ran, none ended it early (when each tick runs, and the waits between them,
    // are read from an injected clock in smoke-test-watch-clock.test.ts).
    expect(report(result).window).toMatchObject({
      ticks: 3,
      plannedTicks: 3,
      endedEarly: false,
      requests: 6,
      failed: 0,
    });
    expect(errors(result)).toEqual([]);
  });

  test('a route that starts answering 500 mid-window ends the window early, naming the route and the measurements', async () => {
    app.route('/api/health', json(200, { status: 'pass' }));
    app.route('/api/orders', breaksAfter(2));
    const result = await watch({
      'base-url': app.url,
      paths: '/api/health, /api/orders',
      'watch-window': '20s',
      'watch-fail-after': '3',
    });
    expect(result.exitCode).not.toBe(0);
    // Ticks 1 and 2 pass; 3, 4 and 5 fail: the window stops at the fifth tick of twenty.
    expect(result.outputs.result).toBe('failed');
    expect(result.outputs['failure-reason']).toMatch(
      /^GET \/api\/orders: 3 consecutive failures \(HTTP 500\); error rate 30% > 10% over 5 ticks \(3 of 10 requests failed\)$/,
    );
    expect(result.outputs.ticks).toBe('5');
    expect(result.outputs['error-rate']).toBe('0.3');
    expect(result.outputs['failed-checks']).toBe('/api/orders');
    expect(report(result).window).toMatchObject({ ticks: 5, plannedTicks: 20, endedEarly: true });
    // Early: five requests of the twenty planned, none after the failure was certain.
    expect(hitsOf('/api/orders')).toBe(5);
    expect(hitsOf('/api/health')).toBe(5);
    expect(errors(result).join('\n')).toContain('GET /api/orders: 3 consecutive failures (HTTP 500)');
  });

  test('the error-rate gate fails the window as soon as the failures so far exceed it, and passes at its limit', async () => {
    // Every second request fails: 2 of 4 over the window, 1 of 4 certain after the second tick.
    app.route('/flaky', flaky(2, text(200, 'ok')));
    const strict = await watch({ url: `${app.url}/flaky`, 'watch-window': '4s', 'max-error-rate': '10%' });
    expect(strict.exitCode).not.toBe(0);
    expect(strict.outputs['failure-reason']).toBe('error rate 50% > 10% over 2 ticks (1 of 2 requests failed)');
    expect(strict.outputs.ticks).toBe('2');

    app.route('/flaky', flaky(2, text(200, 'ok')));
    const lenient = await watch({ url: `${app.url}/flaky`, 'watch-window': '4s', 'max-error-rate': '50%' });
    expect(lenient.exitCode).toBe(0);
    expect(lenient.outputs).toMatchObject({ result: 'passed', ticks: '4', 'error-rate': '0.5' });
  });

  test('a latency threshold over the window fails once the rest of the window could not bring it back', async () => {
    app.route('/slow', slow(300, text(200, 'ok')));
    const result = await watch({ url: `${app.url}/slow`, 'watch-window': '3s', thresholds: 'p(95)<150' });
    expect(result.exitCode).not.toBe(0);
    // With two ticks to come at 0 ms the p95 would still be 270 ms: the first tick decides it.
    const measured =
      /^GET \/slow: p\(95\)<150 not met \(cannot be met by the window’s end\): measured (\d+(?:\.\d+)?) ms over 1 request$/.exec(
        result.outputs['failure-reason'] as string,
      );
    expect(Number(measured?.[1])).toBeGreaterThanOrEqual(300);
    expect(result.outputs.ticks).toBe('1');

    const ok = await watch({ url: `${app.url}/slow`, 'watch-window': '2s', thresholds: 'p(95)<2000' });
    expect(ok.exitCode).toBe(0);
    expect(ok.outputs.ticks).toBe('2');
  });

  test('a request that never answers is cut at its timeout: the window does not wait for it', async () => {
    app.route('/hang', hang);
    // Three ticks planned: one failed request of three is over 10% whatever comes next.
    const result = await watch({ url: `${app.url}/hang`, 'watch-window': '3s', timeout: '1500ms' });
    expect(result.exitCode).not.toBe(0);
    expect(result.outputs['failure-reason']).toBe('error rate 100% > 10% over 1 tick (1 of 1 requests failed)');
    expect(result.outputs.ticks).toBe('1');
    expect(report(result).checks[0]?.passed).toBe(true); // no streak of three, no threshold: the rate is what failed
    // Cut at its timeout, by the smoke test itself: the reason is the timeout, and the one request was the only one.
    expect(result.summary).toContain('timeout: no complete response within 1.5s');
    expect(hitsOf('/hang')).toBe(1);
  });

  test('the summary has a table per check, a mermaid latency chart and the text chart folded, and renders as Markdown', async () => {
    app.route('/api/orders', breaksAfter(2));
    const result = await watch({
      url: `${app.url}/api/orders`,
      'watch-window': '10s',
      'watch-fail-after': '2',
      thresholds: 'p(95)<500',
    });
    expect(result.exitCode).not.toBe(0);
    const html = marked.parse(result.summary, { gfm: true }) as string;
    expect(html).toContain('<th>Requests</th>');
    expect(html).toContain('<th>Errors</th>');
    // The charts GitHub draws: latency (the check, then the threshold flat at 500) and failed requests.
    const mermaid = [...html.matchAll(/<pre><code class="language-mermaid">([\s\S]*?)<\/code><\/pre>/g)].map(
      (m) => m[1] ?? '',
    );
    expect(mermaid).toHaveLength(2);
    const lines = [...(mermaid[0] ?? '').matchAll(/^ {2}line \[(.*)\]$/gm)].map((m) =>
      (m[1] as string).split(', ').map(Number),
    );
    expect(lines).toHaveLength(2);
    expect(lines[0]).toHaveLength(4); // two passing answers, then two failures: the window ended at the fourth tick
    expect(lines[1]).toEqual([500, 500, 500, 500]);
    expect(mermaid[1]).toMatch(/^ {2}bar \[1, 1\]$/m); // a bar only at the two ticks that failed
    expect(html).toContain('blue: GET /api/orders · red: threshold p(95)&lt;500.');
    const chart =
      /<details><summary>Latency over the window as text<\/summary>[\s\S]*?<pre><code class="language-text">([\s\S]*?)<\/code><\/pre>[\s\S]*?<\/details>/.exec(
        html,
      )?.[1] ?? '';
    // Two passing answers, then two failures; the threshold drawn as a line with its label.
    expect((chart.match(/●/g) ?? []).length).toBe(2 + 1); // and the legend's
    expect((chart.match(/×/g) ?? []).length).toBe(2 + 1);
    expect(chart).toContain('┄ p(95)&lt;500');
    expect(chart).toMatch(/500 ms ┤┄+/);
  });
});

describe('outside text', () => {
  test('a body that fails a check reaches the failure reason on one line, and never the log as a workflow command', async () => {
    app.route('/forged', text(200, 'maintenance\n::error::forged annotation\n::set-output name=result::passed\n'));
    const result = await watch({
      url: `${app.url}/forged`,
      'watch-window': '10s',
      'expect-text': 'id="root"',
      'max-error-rate': '100%',
    });
    expect(result.exitCode).not.toBe(0);
    const reason = result.outputs['failure-reason'] as string;
    expect(reason).toMatch(
      /^GET \/forged: 3 consecutive failures \(body does not contain "id=\\"root\\""; it starts: maintenance/,
    );
    expect(reason).not.toContain('\n');
    expect(result.outputs.result).toBe('failed');
    expect(result.stdout).not.toMatch(/^::error::forged/m);
    expect(result.stdout).not.toMatch(/^::set-output/m);
    expect(result.annotations.filter((a) => a.message.startsWith('forged'))).toEqual([]);
  });
});

describe('watch inputs', () => {
  test('bad timing is reported all at once, each problem naming its input and form', async () => {
    const result = await watch({
      url: `${app.url}/`,
      mode: 'watch',
      'watch-window': '2s',
      'watch-interval': '5s',
      'max-error-rate': '150%',
      'watch-fail-after': '0',
      deadline: '1s',
      timeout: '500ms',
    });
    expect(result.exitCode).not.toBe(0);
    const message = errors(result).join('\n');
    expect(message).toContain("Input 'watch-window' (2s) must be at least 'watch-interval' (5s)");
    expect(message).toContain(
      "Input 'max-error-rate' must be a share of failed requests like 5%, 0.5% or 0.05, from 0 to 100%, got '150%'",
    );
    expect(message).toContain("Input 'watch-fail-after' must be a whole number from 1 to 10000");
    expect(message).toContain("Input 'deadline' (1s) must be at least 'watch-window' (2s) in watch mode");
    const tooFast = await watch({
      url: `${app.url}/`,
      'watch-interval': '200ms',
      'watch-window': '7h',
      mode: 'sometimes',
    });
    const text2 = errors(tooFast).join('\n');
    expect(text2).toContain("Input 'watch-interval' must be a duration like 30s, 5m or 1h, from 1s to 1h, got '200ms'");
    expect(text2).toContain("Input 'watch-window' must be a duration like 30s, 5m or 1h, from 1s to 6h, got '7h'");
    expect(text2).toContain("Input 'mode' must be one of gate, monitor, watch, validate, got 'sometimes'");
    expect(app.hits).toHaveLength(0);
  });
});
