// GitHub's own expression evaluator (@actions/expressions) applied to workflow files: what a step or job would do
// for given contexts. Shared by the workflow tests.
import { Evaluator, Lexer, Parser, data } from '@actions/expressions';

interface FunctionDefinition {
  name: string;
  minArgs: number;
  maxArgs: number;
  call: (...args: data.ExpressionData[]) => data.ExpressionData;
}

/** Every `${{ … }}` in a value (strings, nested maps and lists), as [where, expression]. */
export function expressions(value: unknown, where: string, out: [string, string][] = []): [string, string][] {
  if (typeof value === 'string') {
    for (const m of value.matchAll(/\$\{\{([\s\S]*?)\}\}/g)) out.push([where, m[1]!]);
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => expressions(v, `${where}[${i}]`, out));
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) expressions(v, `${where}.${k}`, out);
  }
  return out;
}

/** An `if:` is an expression with or without the ${{ }}. */
export function ifExpression(value: unknown): string {
  if (typeof value === 'boolean') return String(value);
  if (typeof value !== 'string') return '';
  return value.includes('${{')
    ? expressions(value, '')
        .map(([, e]) => e)
        .join(' ')
    : value;
}

export function refs(expr: string, pattern: RegExp): string[][] {
  // Strip quoted literals so that text inside '…' is never taken for a reference.
  const code = expr.replace(/'(?:[^']|'')*'/g, "''");
  return [...code.matchAll(pattern)].map((m) => m.slice(1));
}

export type Status = 'success' | 'failure' | 'cancelled';

/** Evaluates one expression (without ${{ }}) against plain-object contexts, as the runner would for a step. */
export function evaluate(expr: string, context: Record<string, unknown>, status: Status = 'success'): unknown {
  const lexed = new Lexer(expr).lex();
  const fns: FunctionDefinition[] = [
    { name: 'success', minArgs: 0, maxArgs: 0, call: () => new data.BooleanData(status === 'success') },
    { name: 'failure', minArgs: 0, maxArgs: 0, call: () => new data.BooleanData(status === 'failure') },
    { name: 'cancelled', minArgs: 0, maxArgs: 0, call: () => new data.BooleanData(status === 'cancelled') },
    { name: 'always', minArgs: 0, maxArgs: 0, call: () => new data.BooleanData(true) },
  ];
  const parsed = new Parser(lexed.tokens, Object.keys(context), fns).parse();
  const dict = JSON.parse(JSON.stringify(context), data.reviver) as data.Dictionary;
  const result = new Evaluator(parsed, dict, new Map(fns.map((f) => [f.name.toLowerCase(), f]))).evaluate();
  return JSON.parse(JSON.stringify(result, data.replacer));
}

/** A value that may hold ${{ }} templates: a lone expression keeps its type, anything else is interpolated. */
export function resolve(value: unknown, context: Record<string, unknown>, status: Status = 'success'): unknown {
  if (typeof value !== 'string') return value;
  const lone = /^\s*\$\{\{([\s\S]*)\}\}\s*$/.exec(value);
  if (lone && !lone[1]!.includes('}}')) return evaluate(lone[1]!, context, status);
  return value.replace(/\$\{\{([\s\S]*?)\}\}/g, (_, e: string) => String(evaluate(e, context, status) ?? ''));
}

/** `if:` of a step or job: true when it would run. No `if` = success(). */
export function runs(condition: unknown, context: Record<string, unknown>, status: Status): boolean {
  if (condition === undefined) return status === 'success';
  const expr =
    typeof condition === 'string' && condition.includes('${{')
      ? expressions(condition, '')
          .map(([, e]) => e)
          .join(' ')
      : String(condition);
  const usesStatus = /\b(success|failure|cancelled|always)\(\)/.test(expr);
  const value = evaluate(usesStatus ? expr : `success() && (${expr})`, context, status);
  return Boolean(value);
}
