// A page of job summaries styled like GitHub's summary view: GitHub-flavoured Markdown rendered by marked (GFM),
// ```mermaid blocks drawn by the mermaid package in the page (GitHub draws them too: it renders mermaid wherever it
// renders Markdown, github/roadmap#372, the run summary page included), so the page needs a browser that runs
// scripts. It loads node_modules/mermaid from disk (a file: URL): it works where it was made, offline.
// Used by summary-html.mjs (a page to open) and render-summary.mjs (a PNG from headless Chromium).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename } from 'node:path';
import { pathToFileURL } from 'node:url';
import { marked } from 'marked';

const escapeHtml = (text) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;');

// GitHub's own font stack: its colour-emoji fonts come last, so a machine without them shows what it has.
const css = `
body { font: 14px/1.5 -apple-system, BlinkMacSystemFont, "Segoe UI", "Noto Sans", Helvetica, Arial, sans-serif, "Apple Color Emoji", "Segoe UI Emoji"; color: #1f2328; background: #f6f8fa; margin: 0; padding: 16px; }
section { background: #fff; border: 1px solid #d0d7de; border-radius: 6px; padding: 8px 16px 12px; margin-bottom: 12px; }
.step { color: #59636e; font-size: 12px; border-bottom: 1px solid #d0d7de; padding-bottom: 4px; margin-bottom: 4px; }
h3 { font-size: 16px; margin: 8px 0; }
h4 { font-size: 14px; margin: 8px 0; }
table { border-collapse: collapse; margin: 8px 0; }
th, td { border: 1px solid #d0d7de; padding: 4px 10px; text-align: left; vertical-align: top; }
th { font-weight: 600; background: #f6f8fa; }
tr:nth-child(2n) td { background: #f6f8fa; }
code { font: 12px ui-monospace, SFMono-Regular, "SF Mono", Menlo, Consolas, "Liberation Mono", monospace; background: #eff1f3; padding: 1px 4px; border-radius: 4px; }
pre { background: #f6f8fa; padding: 12px 16px; border-radius: 6px; line-height: 1.45; overflow: auto; }
pre code { background: none; padding: 0; border-radius: 0; }
a { color: #0969da; text-decoration: none; }
p { margin: 6px 0; }
.mermaid { max-width: 760px; margin: 8px 0; }
details { margin: 8px 0; }
td details { margin: 0; }
summary { cursor: pointer; }`;

// marked leaves a mermaid block as <pre><code class="language-mermaid">; mermaid wants the source in a .mermaid
// element. body[data-mermaid] says when drawing ended (done, or the error), body[data-height] how tall the page is
// then, for whoever waits on the page (render-summary.mjs sizes its screenshot by it).
const drawMermaid = `
for (const code of document.querySelectorAll('pre > code.language-mermaid')) {
  const div = document.createElement('div');
  div.className = 'mermaid';
  div.textContent = code.textContent;
  code.parentElement.replaceWith(div);
}
const settle = (state) => {
  document.body.dataset.mermaid = state;
  document.body.dataset.height = String(Math.ceil(document.body.getBoundingClientRect().height));
};
mermaid.initialize({ startOnLoad: false, securityLevel: 'strict' });
mermaid.run({ querySelector: '.mermaid' }).then(() => settle('done'), (e) => settle('error: ' + (e && e.message)));`;

/** A summary file as a section: the step's name (the demo's first-line comment, else the file's name), its Markdown. */
export function summarySection(file) {
  const text = readFileSync(file, 'utf8');
  const step = /<!-- (.*?) -->/.exec(text)?.[1] ?? basename(file);
  return `<section><div class="step">${escapeHtml(step)}</div>${marked.parse(text, { gfm: true })}</section>`;
}

/** The whole page for these summary files, in this order. */
export function summaryPage(files, title = 'job summaries') {
  const mermaidScript = pathToFileURL(createRequire(import.meta.url).resolve('mermaid/dist/mermaid.min.js')).href;
  return `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><style>${css}</style></head><body>${files.map(summarySection).join('\n')}<script src="${mermaidScript}"></script><script>${drawMermaid}</script></body></html>\n`;
}
