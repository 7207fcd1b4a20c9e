// The demo's job summaries as one HTML page styled like GitHub's summary view, to look at them in a browser (and
// for docs/summary.png): node scripts/summary-html.mjs <demo folder> <page.html> [part of a file name]…
// The Markdown is rendered by marked (GFM), as the tests parse it; ```mermaid blocks are drawn by the mermaid
// package in the page, as GitHub draws them (an SVG in the page), so the page needs a browser that runs scripts.
// The page loads node_modules/mermaid from disk (file: URL): it works where it was made, offline.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { marked } from 'marked';

const [dir, page, ...only] = process.argv.slice(2);
if (!dir || !page) {
  console.error('usage: node scripts/summary-html.mjs <demo folder> <page.html> [part of a file name]…');
  process.exit(2);
}
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.md') && (only.length === 0 || only.some((o) => f.includes(o))))
  .sort();
const sections = files.map((file) => {
  const text = readFileSync(join(dir, file), 'utf8');
  const step = /<!-- (.*?) -->/.exec(text)?.[1] ?? file;
  return `<section><div class="step">${step.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</div>${marked.parse(text, { gfm: true })}</section>`;
});
const css = `
body { font: 14px/1.5 -apple-system, "Segoe UI", "Noto Sans", Helvetica, Arial, sans-serif; color: #1f2328; background: #f6f8fa; margin: 0; padding: 16px; }
section { background: #fff; border: 1px solid #d0d7de; border-radius: 6px; padding: 8px 16px 12px; margin-bottom: 12px; }
.step { color: #59636e; font-size: 12px; border-bottom: 1px solid #d0d7de; padding-bottom: 4px; margin-bottom: 4px; }
h3 { font-size: 16px; margin: 8px 0; }
h4 { font-size: 14px; margin: 8px 0; }
table { border-collapse: collapse; margin: 8px 0; }
th, td { border: 1px solid #d0d7de; padding: 4px 10px; text-align: left; vertical-align: top; }
th { font-weight: 600; background: #f6f8fa; }
tr:nth-child(2n) td { background: #f6f8fa; }
code { font: 12px ui-monospace, SFMono-Regular, Menlo, monospace; background: #eff1f3; padding: 1px 4px; border-radius: 4px; }
pre { background: #f6f8fa; padding: 12px 16px; border-radius: 6px; line-height: 1.45; overflow: auto; }
pre code { background: none; padding: 0; border-radius: 0; }
a { color: #0969da; text-decoration: none; }
p { margin: 6px 0; }
.mermaid { max-width: 760px; margin: 8px 0; }
details { margin: 8px 0; }`;
const mermaidScript = pathToFileURL(createRequire(import.meta.url).resolve('mermaid/dist/mermaid.min.js')).href;
// marked leaves a mermaid block as <pre><code class="language-mermaid">; mermaid wants the source in a .mermaid
// element. body[data-mermaid] says when drawing ended (done, or the error), for whoever waits on the page.
const drawMermaid = `
for (const code of document.querySelectorAll('pre > code.language-mermaid')) {
  const div = document.createElement('div');
  div.className = 'mermaid';
  div.textContent = code.textContent;
  code.parentElement.replaceWith(div);
}
mermaid.initialize({ startOnLoad: false, securityLevel: 'strict' });
mermaid.run({ querySelector: '.mermaid' }).then(
  () => { document.body.dataset.mermaid = 'done'; },
  (e) => { document.body.dataset.mermaid = 'error: ' + (e && e.message); },
);`;
writeFileSync(
  page,
  `<!doctype html><html><head><meta charset="utf-8"><title>shipline demo: job summaries</title><style>${css}</style></head><body>${sections.join('\n')}<script src="${mermaidScript}"></script><script>${drawMermaid}</script></body></html>\n`,
);
console.log(`${page}: ${files.length} summaries`);
