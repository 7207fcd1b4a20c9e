// The demo's job summaries as one HTML page styled like GitHub's summary view, to look at them in a browser:
// node scripts/summary-html.mjs <demo folder> <page.html> [part of a file name]…
// (scripts/render-summary.mjs makes a PNG of the same page.)
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { summaryPage } from './summary-page.mjs';

const [dir, page, ...only] = process.argv.slice(2);
if (!dir || !page) {
  console.error('usage: node scripts/summary-html.mjs <demo folder> <page.html> [part of a file name]…');
  process.exit(2);
}
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.md') && (only.length === 0 || only.some((o) => f.includes(o))))
  .sort()
  .map((f) => join(dir, f));
writeFileSync(page, summaryPage(files, 'shipline demo: job summaries'));
console.log(`${page}: ${files.length} summaries`);
