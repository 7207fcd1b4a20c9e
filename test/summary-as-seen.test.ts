// Job summaries as a person sees them: what the page shows once GitHub-flavoured Markdown is rendered (marked) and
// the charts are drawn by the real mermaid in headless Chromium (scripts/summary-html.mjs, as
// scripts/render-summary.mjs photographs it). Each rule here is one a reader tripped on: red bars where nothing
// failed, a count axis in tenths of a request, Railway cards that are walls of UUIDs, emoji that draw as empty
// boxes on a machine without a colour-emoji font.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from '@jest/globals';
import { marked } from 'marked';
import { buildEvent } from '../actions/notify/src/event.js';
import type { NotifyInputs, PipelineStatus } from '../actions/notify/src/inputs.js';
import { parseThreshold, type Threshold } from '../actions/smoke-test/src/thresholds.js';
import type { WindowResult } from '../actions/smoke-test/src/watch.js';
import {
  buildWatchReport,
  countAxisTop,
  latencyMermaidCharts,
  watchSummaryMarkdown,
} from '../actions/smoke-test/src/watch-report.js';
import { type CheckSeries, judgeWindow, type WindowSample } from '../actions/smoke-test/src/window-verdict.js';
import type { Release } from '../shared/providers/provider.js';
import { releaseCell, releaseLabel } from '../shared/release-summary.js';
import type { RunContext } from '../shared/run-context.js';
import { appendSummary, cell, emojiAsText, facts, flushSummary, TEXT_PICTOGRAPHS } from '../shared/summary.js';

const CHROMIUM =
  process.env.CHROMIUM ??
  ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].find((path) => existsSync(path)) ??
  '/usr/bin/chromium';
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/** Pictographs a browser needs an emoji font for: any emoji (and the emoji selector) but the text ones allowed. */
export function emojiIn(text: string): string[] {
  return [...text.matchAll(/\p{Extended_Pictographic}|\u{FE0F}/gu)]
    .map((m) => m[0])
    .filter((c) => !TEXT_PICTOGRAPHS.has(c));
}

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

function summaryOf(checks: CheckSeries[], overall: Threshold[], plannedTicks: number, failAfter = 3): string {
  const ticks = Math.max(...checks.map((c) => c.samples.length));
  const verdict = judgeWindow({
    checks,
    gates: [],
    overallThresholds: overall,
    ticks,
    remainingTicks: plannedTicks - ticks,
    failAfter,
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
  const settings = { windowMs: plannedTicks * 1000, intervalMs: 1000, failAfter, maxErrorRate: 0.1 };
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
  const dir = mkdtempSync(join(tmpdir(), 'summary-as-seen-'));
  try {
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
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The drawn failures chart: its bars and the labels of its y axis. */
function failuresChart(dom: string): { bars: { height: number }[]; yLabels: string[] } {
  const svg = dom.split('<svg').find((part) => part.includes('Failed requests')) ?? '';
  const plot = /<g class="bar-plot-0">([\s\S]*?)<\/g>/.exec(svg)?.[1] ?? '';
  const bars = [...plot.matchAll(/<rect [^>]*height="([\d.]+)"/g)].map((m) => ({ height: Number(m[1]) }));
  const axis = /<g class="left-axis">[\s\S]*?<g class="label">([\s\S]*?)<\/g>/.exec(svg)?.[1] ?? '';
  const yLabels = [...axis.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1] as string);
  return { bars, yLabels };
}

describe('the bake window’s failures chart, drawn', () => {
  const orders = (samples: WindowSample[]): CheckSeries => ({
    name: '/api/orders',
    method: 'GET',
    thresholds: [parseThreshold('p(95)<300') as Threshold],
    samples,
  });

  test('a point where no request failed draws no bar; the count axis is in whole requests', () => {
    // Ten ticks, one failed request at ticks 3 and 8: before, ten bars (eight of them red stubs at 0) on an axis of 0.1s.
    const samples = Array.from({ length: 10 }, (_, i) => (i === 3 || i === 8 ? err(i) : ok(i, 100 + i)));
    const dom = drawn(summaryOf([orders(samples)], [], 10, 5));
    expect(dom).toContain('data-mermaid="done"');
    const { bars, yLabels } = failuresChart(dom);
    expect(bars).toHaveLength(2);
    for (const bar of bars) expect(bar.height).toBeGreaterThan(0);
    expect(yLabels.length).toBeGreaterThan(1);
    for (const label of yLabels) expect(label).toMatch(/^\d+$/);
  }, 90_000);

  test('whole-number ticks at any count: several checks failing at once, and 600 ticks grouped into 60 points', () => {
    const together = [
      orders([ok(0, 90), err(1), err(2), ok(3, 80)]),
      { ...orders([ok(0, 50), err(1), ok(2, 60), ok(3, 55)]), name: '/api/cart' },
    ];
    const many = orders(Array.from({ length: 600 }, (_, i) => (i % 10 < 3 ? err(i) : ok(i, 120))));
    for (const checks of [together, [many]]) {
      const { bars, yLabels } = failuresChart(drawn(summaryOf(checks, [], checks[0]?.samples.length ?? 0, 1000)));
      expect(bars.length).toBeGreaterThan(0);
      expect(yLabels.length).toBeGreaterThan(1);
      for (const label of yLabels) expect(label).toMatch(/^\d+$/);
    }
  }, 180_000);

  test('the chart source: bars only where requests failed, labelled by their second; no failures, no chart', () => {
    const charts = latencyMermaidCharts([orders([ok(0, 90), err(1), ok(2, 80), err(3), err(4)])], [], 1000, 5, 5);
    expect(charts?.failures).toMatch(/x-axis "[^"]*" \["1s", "3s", "4s"\]/);
    expect(charts?.failures).toContain('bar [1, 1, 1]');
    expect(charts?.failures).toContain('y-axis "requests" 0 --> 10');
    expect(charts?.failuresLegend).toBe('A bar for each point with a failed request; the other 2 points had none.');
    expect(latencyMermaidCharts([orders([ok(0, 90), ok(1, 80)])], [], 1000, 2, 2)?.failures).toBeUndefined();
    expect([1, 3, 7, 10, 11, 60].map(countAxisTop)).toEqual([10, 10, 10, 10, 20, 100]);
  });

  test('the legend names each line by its colour in words, not by a coloured square', () => {
    const charts = latencyMermaidCharts(
      [orders([ok(0, 90), ok(1, 80)]), { ...orders([ok(0, 50), ok(1, 60)]), name: '/api/cart' }],
      [],
      1000,
      2,
      2,
    );
    expect(charts?.legend).toMatch(/^blue: GET \/api\/orders · orange: GET \/api\/cart · red: threshold p\(95\)<300\./);
    expect(emojiIn(charts?.legend ?? '')).toEqual([]);
  });
});

describe('Railway releases in a card', () => {
  const backend = {
    service: 'ea790bea-09bc-4470-8664-7ae2ae2fed5f',
    name: 'backend',
    id: '221a71dc-fe89-479c-9dba-4dd62c1a7c14',
    state: 'SUCCESS',
    url: 'https://backend-production-fa30.up.railway.app',
  };
  const frontend = {
    service: 'ba7089f4-13e6-457d-b00e-8405cd287915',
    name: 'front|end',
    id: '8b2324cb-b7e6-4f28-9ef9-be8823e3e6b0',
    state: 'SUCCESS',
  };
  const release: Release = {
    provider: 'railway',
    id: `${backend.service}=${backend.id},${frontend.service}=${frontend.id}`,
    services: [backend, frontend],
  } as Release;
  /** What the page shows before anything is unfolded: the HTML without the folded bodies and link targets. */
  const shown = (html: string) =>
    html.replace(/<\/summary>[\s\S]*?<\/details>/g, '</summary></details>').replace(/href="[^"]*"/g, '');

  test('each service is headed by its name, its deployment’s short id and state; the full ids fold under it', () => {
    const html = marked.parse(
      facts([
        ['Outcome', 'live in production'],
        ['Release', releaseCell(release, { urls: true })],
      ]),
      { gfm: true },
    ) as string;
    expect(html.match(/<tr>/g)).toHaveLength(2); // one row: the pipe in a service's name did not split it
    const headlines = [...html.matchAll(/<summary>([\s\S]*?)<\/summary>/g)].map((m) =>
      (m[1] as string).replace(/<[^>]+>/g, ''),
    );
    expect(headlines).toEqual([
      'backend 221a71dc SUCCESS https://backend-production-fa30.up.railway.app',
      'front|end 8b2324cb SUCCESS',
    ]);
    expect(shown(html).match(UUID)).toBeNull();
    for (const id of [backend.service, backend.id, frontend.service, frontend.id]) expect(html).toContain(id);
  });

  test('the outcome sentence and a dashboard URL show UUIDs short; the link keeps the whole URL', () => {
    expect(releaseLabel(release)).toBe('backend 221a71dc, front|end 8b2324cb');
    const inspector = `https://railway.com/project/4d741ea6-0860-4f80-b9fe-5de2ed2224a3/service/${backend.service}?environmentId=8a3d16d6-e65f-418d-898d-94b658b0a86e&id=${backend.id}`;
    const html = marked.parse(
      facts([
        ['Outcome', 'live'],
        ['Inspector', inspector],
      ]),
      { gfm: true },
    ) as string;
    expect(html).toContain(`href="${inspector.replace(/&/g, '&amp;')}"`);
    expect(shown(html)).toContain(
      'railway.com/project/4d741ea6…/service/ea790bea…?environmentId=8a3d16d6…&amp;id=221a71dc…',
    );
    expect(shown(html).match(UUID)).toBeNull();
    // Only a URL that can be a link as it stands: anything else is escaped text, as every other value.
    expect(cell(`https://x.test/${backend.id}) [y](javascript:alert(1)`)).not.toMatch(/^\[/);
    expect(cell('https://web-cbde5062-fake-team.vercel.app')).toBe('https://web-cbde5062-fake-team.vercel.app');
  });
});

describe('no colour emoji in a summary', () => {
  const stepSummary = join(mkdtempSync(join(tmpdir(), 'summary-emoji-')), 'summary.md');
  afterEach(() => {
    delete process.env.GITHUB_STEP_SUMMARY;
  });

  test('the bake window’s summary, failed and passed', () => {
    const failed = summaryOf(
      [
        {
          name: '/api/orders',
          method: 'GET',
          thresholds: [parseThreshold('p(95)<300') as Threshold],
          samples: [ok(0, 100), err(1), err(2), err(3)],
        },
      ],
      [],
      10,
    );
    const passed = summaryOf(
      [
        {
          name: '/',
          method: 'GET',
          thresholds: [parseThreshold('p(95)<300') as Threshold],
          samples: [ok(0, 100), ok(1, 90)],
        },
      ],
      [parseThreshold('p(99)<900') as Threshold],
      2,
    );
    expect(failed).toMatch(/^### ✗ Bake window failed/);
    expect(failed).toContain('| ✗ failed |');
    expect(passed).toMatch(/^### ✓ Bake window/);
    expect(passed).toContain('| ✓ within |');
    expect(emojiIn(failed)).toEqual([]);
    expect(emojiIn(passed)).toEqual([]);
  });

  test('notify’s summary heading (Slack keeps its emoji, which Slack draws itself)', () => {
    const context = {
      repository: 'acme/notes',
      sha: '1'.repeat(40),
      shortSha: '1111111',
      refName: 'main',
      actor: 'octocat',
      runId: '1',
      runAttempt: '1',
    } as RunContext;
    for (const status of [
      'started',
      'succeeded',
      'failed',
      'rolled-back',
      'cancelled',
      'awaiting-approval',
    ] as PipelineStatus[]) {
      const event = buildEvent(
        {
          status,
          environment: 'production',
          title: '',
          message: '',
          'mention-on': [],
          ts: '',
        } as unknown as NotifyInputs,
        context,
        new Date(),
      );
      expect(emojiIn(event.summaryTitle)).toEqual([]);
      expect(event.summaryTitle).toMatch(/production/);
    }
  });

  test('a block written with status emoji reaches the step summary as text marks', async () => {
    process.env.GITHUB_STEP_SUMMARY = stepSummary;
    writeFileSync(stepSummary, '');
    const written =
      '### 🚀 Preview ready\n\n| ✅ applied | ❌ failed | ⚠️ changed | ⏸ not run | ⏳ pending | ❓ fate unknown | ➖ none | ⏪ rolled back | ⚪ cancelled |';
    await appendSummary(written);
    await flushSummary();
    const text = readFileSync(stepSummary, 'utf8');
    expect(emojiIn(text)).toEqual([]);
    expect(text).toContain('### Preview ready');
    expect(text).toContain(
      '| ✓ applied | ✗ failed | ⚠ changed | – not run | … pending | ? fate unknown | – none | rolled back | cancelled |',
    );
    expect(emojiAsText('release 🎉 shipped ✅')).toBe('release 🎉 shipped ✓'); // someone else's emoji stays theirs
  });
});

describe('scripts/render-summary.mjs', () => {
  test('photographs a summary at the width asked, as tall as the drawn page', () => {
    const dir = mkdtempSync(join(tmpdir(), 'render-summary-'));
    try {
      const samples = Array.from({ length: 6 }, (_, i) => (i === 4 ? err(i) : ok(i, 100 + i)));
      writeFileSync(
        join(dir, 'bake.md'),
        summaryOf([{ name: '/api/orders', method: 'GET', thresholds: [], samples }], [], 6, 5),
      );
      const png = join(dir, 'bake.png');
      const said = execFileSync(
        process.execPath,
        ['scripts/render-summary.mjs', join(dir, 'bake.md'), png, '--width=900'],
        { encoding: 'utf8', env: { ...process.env, CHROMIUM }, timeout: 120_000 },
      );
      const file = readFileSync(png);
      // PNG signature, then the IHDR chunk: width and height, big-endian, at bytes 16 and 20.
      expect(file.subarray(1, 4).toString('latin1')).toBe('PNG');
      const [width, height] = [file.readUInt32BE(16), file.readUInt32BE(20)];
      expect(width).toBe(900);
      // Two charts and a table: far taller than a screen's worth, and the size the script reported.
      expect(height).toBeGreaterThan(900);
      expect(said).toContain(`${png}: 1 summary, 900×${height}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
