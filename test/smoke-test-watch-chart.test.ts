// The bake window's summary as GitHub shows it: its ```mermaid blocks drawn by the real mermaid package in headless
// Chromium (scripts/summary-html.mjs makes the page; scripts/render-summary.mjs photographs the same page for
// docs/bake-window.png). Mermaid refuses what it cannot parse, so a chart that breaks its grammar fails here; the
// drawn SVG is counted series by series.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { parseThreshold, type Threshold } from '../actions/smoke-test/src/thresholds.js';
import type { WindowResult } from '../actions/smoke-test/src/watch.js';
import { buildWatchReport, watchSummaryMarkdown } from '../actions/smoke-test/src/watch-report.js';
import { type CheckSeries, judgeWindow, type WindowSample } from '../actions/smoke-test/src/window-verdict.js';

// Debian's chromium (what .ci/run installs), or the Chrome GitHub's Ubuntu runners ship.
const CHROMIUM =
  process.env.CHROMIUM ??
  ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].find((path) => existsSync(path)) ??
  '/usr/bin/chromium';
const ok = (tick: number, durationMs: number): WindowSample => ({
  tick,
  atMs: tick * 1000,
  passed: true,
  durationMs,
  httpStatus: 200,
});
const err = (tick: number): WindowSample => ({
  tick,
  atMs: tick * 1000,
  passed: false,
  durationMs: 4,
  httpStatus: 500,
  reason: 'unexpected HTTP 500 (expected 200-399)',
});

function summaryOf(checks: CheckSeries[], overall: Threshold[], plannedTicks: number): string {
  const ticks = Math.max(...checks.map((c) => c.samples.length));
  const verdict = judgeWindow({
    checks,
    gates: [],
    overallThresholds: overall,
    ticks,
    remainingTicks: plannedTicks - ticks,
    failAfter: 3,
    maxErrorRate: 0.1,
  });
  const result: WindowResult = {
    checks,
    gates: [],
    ticks,
    plannedTicks,
    durationMs: ticks * 1000,
    endedEarly: ticks < plannedTicks,
    verdict,
  };
  const settings = { windowMs: plannedTicks * 1000, intervalMs: 1000, failAfter: 3, maxErrorRate: 0.1 };
  const report = buildWatchReport(
    result,
    checks.map((c) => ({ name: c.name, url: `https://example.test${c.name}` })),
    overall,
    settings,
  );
  return watchSummaryMarkdown(report, checks, overall);
}

/** The summary drawn in headless Chromium: the DOM once mermaid has finished (or failed). */
function drawn(markdown: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'watch-chart-'));
  writeFileSync(join(dir, 'smoke-test.md'), markdown);
  execFileSync(process.execPath, ['scripts/summary-html.mjs', dir, join(dir, 'page.html')]);
  return execFileSync(
    CHROMIUM,
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--virtual-time-budget=15000',
      '--dump-dom',
      `file://${join(dir, 'page.html')}`,
    ],
    {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 60_000,
    },
  );
}

const count = (dom: string, pattern: RegExp) => (dom.match(pattern) ?? []).length;
/** The points of the n-th line series: its path is M x,y then L x,y per further point. */
const points = (dom: string, n: number) => {
  const d = new RegExp(`<g class="line-plot-${n}"><path d="([^"]*)"`).exec(dom)?.[1] ?? '';
  return count(d, /[ML]/g);
};

describe('the summary drawn as GitHub draws it', () => {
  test('a failed window: a line per check and the threshold, a bar chart of failures, the text chart collapsed', () => {
    const hostile: CheckSeries = {
      name: '/x"] ``` \n  line [1]',
      method: 'GET',
      thresholds: [],
      samples: [ok(0, 40), ok(1, 60), ok(2, 50), ok(3, 45), ok(4, 70), ok(5, 55), ok(6, 50), ok(7, 48)],
    };
    const orders: CheckSeries = {
      name: '/api/orders',
      method: 'GET',
      thresholds: [parseThreshold('p(95)<300') as Threshold],
      samples: [ok(0, 120), ok(1, 180), ok(2, 150), ok(3, 210), ok(4, 170), err(5), err(6), err(7)],
    };
    const dom = drawn(summaryOf([orders, hostile], [], 20));
    expect(dom).toContain('data-mermaid="done"');
    expect(count(dom, /<svg[^>]*aria-roledescription="xychart"/g)).toBe(2);
    // Two checks and the threshold; one bar series, a bar per tick where a request failed (5, 6 and 7).
    expect(count(dom, /<g class="line-plot-\d+">/g)).toBe(3);
    for (const n of [0, 1, 2]) expect(points(dom, n)).toBe(8);
    expect(count(dom, /<g class="bar-plot-\d+">/g)).toBe(1);
    expect(count(/<g class="bar-plot-0">([\s\S]*?)<\/g>/.exec(dom)?.[1] ?? '', /<rect /g)).toBe(3);
    // The plain-text fallback is there, folded.
    expect(dom).toMatch(
      /<details><summary>Latency over the window as text<\/summary>[\s\S]*<code class="language-text">[\s\S]*┄ p\(95\)&lt;300/,
    );
  }, 90_000);

  test('ten minutes at one second: 600 ticks drawn as 60 points', () => {
    const samples = Array.from({ length: 600 }, (_, i) => ok(i, 50 + (i % 7)));
    const dom = drawn(summaryOf([{ name: '/', method: 'GET', thresholds: [], samples }], [], 600));
    expect(dom).toContain('data-mermaid="done"');
    expect(count(dom, /<svg[^>]*aria-roledescription="xychart"/g)).toBe(1); // nothing failed: no failures chart
    expect(count(dom, /<g class="line-plot-\d+">/g)).toBe(1);
    expect(points(dom, 0)).toBe(60);
  }, 90_000);
});
