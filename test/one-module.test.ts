// Each concern lives in one module, and the toolkit does what it is there for. Read from the product's
// sources (shared/, actions/*/src, cli/ without the loopback fakes of cli/sandbox): a second copy of a concern —
// a hand-written reader of workflow commands, a GITHUB_* variable read beside @actions/github's context, a child
// process an action starts itself — shows here by file and line. (The PostgreSQL starter has its own test:
// postgres-starter.test.ts; provider inputs theirs: provider-inputs.test.ts.)
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from '@jest/globals';

const root = fileURLToPath(new URL('..', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return path === join('cli', 'sandbox') ? [] : sources(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

const product = [...sources('shared'), ...sources('actions'), ...sources('cli')];

/** Every code line (comments left out) of the product sources that matches `pattern`, as `file:line: text`. */
function where(pattern: RegExp, files = product): string[] {
  return files.flatMap((file) =>
    readFileSync(join(root, file), 'utf8')
      .split('\n')
      .map((line, i) => ({ line, at: `${relative(root, join(root, file))}:${i + 1}` }))
      .filter(({ line }) => !/^\s*(\/\/|\/\*|\*)/.test(line) && pattern.test(line))
      .map(({ line, at }) => `${at}: ${line.trim()}`),
  );
}

const files = (hits: string[]) => [...new Set(hits.map((h) => h.slice(0, h.indexOf(':'))))].sort();
const actionsAndShared = product.filter((f) => !f.startsWith('cli'));

describe('one module per concern', () => {
  test('the runner contract and the job summary go through @actions/core, imported by shared/runner.ts and shared/summary.ts only', () => {
    expect(files(where(/from '@actions\/core'|import\('@actions\/core'\)/))).toEqual([
      'shared/runner.ts',
      'shared/summary.ts',
    ]);
  });

  test('workflow commands are written by @actions/core and read by shared/workflow-commands.ts only: no command text anywhere else', () => {
    // A string or regular expression that starts with `::` is a command written or read by hand.
    expect(where(/(['"`]|\/\^)::/).filter((h) => !h.startsWith('shared/workflow-commands.ts:'))).toEqual([]);
  });

  test("the run's context comes from @actions/github's context (shared/run-context.ts): no GITHUB_* variable it carries is read elsewhere", () => {
    expect(
      where(
        /\benv(\.|\[['"])GITHUB_(SHA|REF|RUN_ID|RUN_ATTEMPT|RUN_NUMBER|REPOSITORY|EVENT_NAME|EVENT_PATH|ACTOR|SERVER_URL|WORKFLOW|JOB)\b/,
        actionsAndShared,
      ),
    ).toEqual([]);
    expect(files(where(/from '@actions\/github'|import\('@actions\/github'\)/, actionsAndShared))).toEqual([
      'shared/github.ts',
      'shared/run-context.ts',
    ]);
  });

  test('an action starts processes through @actions/exec only, never node:child_process itself', () => {
    expect(where(/from 'node:child_process'|import\('node:child_process'\)/, actionsAndShared)).toEqual([]);
    expect(files(where(/import\('@actions\/exec'\)|from '@actions\/exec'/, actionsAndShared))).toEqual([
      'actions/migrate/src/commands/exec.ts',
      'actions/smoke-test/src/baseline-cache.ts',
      'shared/providers/supabase-functions.ts',
    ]);
  });

  test('one HTTP layer: fetch is called in shared/http.ts only, and network error codes are classified there only', () => {
    expect(files(where(/(^|[^\w.])fetch\(/, actionsAndShared))).toEqual(['shared/http.ts']);
    expect(files(where(/'(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|EPIPE|UND_ERR_\w+)'/, actionsAndShared))).toEqual([
      'shared/http.ts',
    ]);
    expect(where(/\.json\(\)/, actionsAndShared)).toEqual([]);
  });

  test('one argument parser: cli/args.ts', () => {
    expect(files(where(/from 'node:util'.*parseArgs|\bparseArgs as\b/))).toEqual(['cli/args.ts']);
    expect(files(where(/process\.argv/))).toEqual(['cli/shipline.ts']);
  });
});
