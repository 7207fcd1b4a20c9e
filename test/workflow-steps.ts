// Steps of the workflow files, run for real: a step's run: script under bash as the runner runs it
// (bash --noprofile --norc -eo pipefail), with the runner's files (GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, RUNNER_TEMP).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Evaluator, Lexer, Parser, data } from '@actions/expressions';
import { parse } from 'yaml';

export const root = fileURLToPath(new URL('..', import.meta.url));

export type Doc = Record<string, any>;

export function loadWorkflow(file: string): Doc {
  return parse(readFileSync(join(root, file), 'utf8')) as Doc;
}

/** The step of `job` whose name matches (or whose id equals) `which`; throws when there is none. */
export function stepOf(doc: Doc, job: string, which: RegExp | string): Doc {
  const steps: Doc[] = doc.jobs?.[job]?.steps ?? [];
  const step = steps.find((s) => (typeof which === 'string' ? s.id === which : which.test(String(s.name ?? ''))));
  if (!step) throw new Error(`no step ${String(which)} in job ${job}`);
  return step;
}

export interface StepResult {
  status: number | null;
  log: string;
  outputs: string;
  summary: string;
}

/** Runs a run: script with bash as the runner would, in `cwd`, with only PATH, HOME and `env` set. */
export async function runScript(script: string, env: Record<string, string>, cwd?: string): Promise<StepResult> {
  const dir = mkdtempSync(join(tmpdir(), 'shipline-step-'));
  try {
    writeFileSync(join(dir, 'output'), '');
    writeFileSync(join(dir, 'summary'), '');
    const child = spawn('/bin/bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script], {
      env: {
        PATH: process.env.PATH,
        HOME: dir,
        GITHUB_OUTPUT: join(dir, 'output'),
        GITHUB_STEP_SUMMARY: join(dir, 'summary'),
        RUNNER_TEMP: dir,
        ...env,
      },
      cwd,
      // A runner step's stdin is not a terminal and gives nothing.
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let log = '';
    child.stdout.on('data', (c: Buffer) => (log += c.toString()));
    child.stderr.on('data', (c: Buffer) => (log += c.toString()));
    const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
    return {
      status,
      log,
      outputs: readFileSync(join(dir, 'output'), 'utf8'),
      summary: readFileSync(join(dir, 'summary'), 'utf8'),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `name=value` lines of a GITHUB_OUTPUT file (single-line values). */
export function outputsOf(text: string): Record<string, string> {
  return Object.fromEntries(
    text
      .split('\n')
      .filter((l) => /^[\w-]+=/.test(l))
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
}

export type JobStatus = 'success' | 'failure' | 'cancelled';

interface FunctionDefinition {
  name: string;
  minArgs: number;
  maxArgs: number;
  call: (...args: data.ExpressionData[]) => data.ExpressionData;
}

/**
 * Evaluates an expression (with or without its ${{ }}) with GitHub's own evaluator (@actions/expressions), as the
 * runner would for a step of a job in `status`. hashFiles answers from `files` (the paths that exist).
 */
export function evaluate(
  expression: unknown,
  context: Record<string, unknown>,
  status: JobStatus = 'success',
  files: string[] = [],
): unknown {
  if (typeof expression === 'boolean') return expression;
  const text = String(expression);
  const lone = /^\s*\$\{\{([\s\S]*)\}\}\s*$/.exec(text);
  const expr = lone ? lone[1]! : text;
  const fns: FunctionDefinition[] = [
    { name: 'success', minArgs: 0, maxArgs: 0, call: () => new data.BooleanData(status === 'success') },
    { name: 'failure', minArgs: 0, maxArgs: 0, call: () => new data.BooleanData(status === 'failure') },
    { name: 'cancelled', minArgs: 0, maxArgs: 0, call: () => new data.BooleanData(status === 'cancelled') },
    { name: 'always', minArgs: 0, maxArgs: 0, call: () => new data.BooleanData(true) },
    {
      name: 'hashFiles',
      minArgs: 1,
      maxArgs: 255,
      call: (...args) => new data.StringData(args.some((a) => files.includes(a.coerceString())) ? 'f00d' : ''),
    },
  ];
  const parsed = new Parser(new Lexer(expr).lex().tokens, Object.keys(context), fns).parse();
  const dict = JSON.parse(JSON.stringify(context), data.reviver) as data.Dictionary;
  const result = new Evaluator(parsed, dict, new Map(fns.map((f) => [f.name.toLowerCase(), f]))).evaluate();
  return JSON.parse(JSON.stringify(result, data.replacer));
}

/** Whether a step or job with this `if:` runs: no `if` = success(); one without a status function gets success() &&. */
export function runsIf(
  condition: unknown,
  context: Record<string, unknown>,
  status: JobStatus = 'success',
  files: string[] = [],
): boolean {
  if (condition === undefined) return status === 'success';
  const text = String(condition);
  const lone = /^\s*\$\{\{([\s\S]*)\}\}\s*$/.exec(text);
  const expr = lone ? lone[1]! : text;
  const usesStatus = /\b(success|failure|cancelled|always)\(\)/.test(expr);
  return Boolean(evaluate(usesStatus ? expr : `success() && (${expr})`, context, status, files));
}
