// A job summary as people see it, as a PNG: the Markdown rendered like GitHub's summary view (summary-page.mjs:
// marked GFM, GitHub's styles and font stack, mermaid drawn in the page) and photographed by headless Chromium.
//   node scripts/render-summary.mjs <summary.md | folder of .md> <out.png> [part of a file name]… [--width=1000]
// A folder (the demo's --out) becomes one page of its summaries in name order, or of those whose names contain a
// given part. Look at the PNG: this machine's fonts are what a person without an emoji font sees (`fc-list`).
// CHROMIUM names the browser when it is not /usr/bin/chromium, chromium-browser or google-chrome.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { summaryPage } from './summary-page.mjs';

const args = process.argv.slice(2);
const width = Number(/^--width=(\d+)$/.exec(args.find((a) => a.startsWith('--width=')) ?? '--width=1000')?.[1]);
const [source, png, ...only] = args.filter((a) => !a.startsWith('--width='));
if (!source || !png || !(width >= 320)) {
  console.error(
    'usage: node scripts/render-summary.mjs <summary.md | folder> <out.png> [part of a file name]… [--width=1000]',
  );
  process.exit(2);
}
const files = statSync(source).isDirectory()
  ? readdirSync(source)
      .filter((f) => f.endsWith('.md') && (only.length === 0 || only.some((o) => f.includes(o))))
      .sort()
      .map((f) => join(source, f))
  : [source];
if (files.length === 0) {
  console.error(`${source}: no summaries${only.length ? ` whose names contain ${only.join(' or ')}` : ''}`);
  process.exit(1);
}
const chromium =
  process.env.CHROMIUM ??
  ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].find((path) => existsSync(path));
if (!chromium) {
  console.error('no Chromium: install it (apt-get install chromium) or set CHROMIUM to a Chrome binary');
  process.exit(1);
}

const dir = mkdtempSync(join(tmpdir(), 'render-summary-'));
try {
  const page = join(dir, 'page.html');
  writeFileSync(page, summaryPage(files.map((f) => resolve(f))));
  // Virtual time lets the page's scripts (mermaid) finish before Chromium dumps or photographs it.
  const browse = (...extra) =>
    execFileSync(
      chromium,
      [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--hide-scrollbars',
        '--virtual-time-budget=20000',
        ...extra,
        pathToFileURL(page).href,
      ],
      {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
        timeout: 120_000,
      },
    );
  // First the page at this width, to learn how tall it is once drawn; then the photograph at that size.
  const dom = browse(`--window-size=${width},100`, '--dump-dom');
  const state = /data-mermaid="([^"]*)"/.exec(dom)?.[1];
  if (state !== 'done') throw new Error(`mermaid did not finish drawing: ${state ?? 'no answer from the page'}`);
  const height = Number(/data-height="(\d+)"/.exec(dom)?.[1]);
  browse(`--window-size=${width},${height}`, `--screenshot=${resolve(png)}`);
  console.log(`${png}: ${files.length} summar${files.length === 1 ? 'y' : 'ies'}, ${width}×${height}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
