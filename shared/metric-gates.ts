// Metric gates: one gate per line, `<query expression> <op> <number>`, e.g.
//   sum(rate(http_requests_total{code=~"5.."}[1m])) / sum(rate(http_requests_total[1m])) < 0.05
// The syntax is checked here, in one pure module, so that every step that takes gates (smoke-test's inputs, a
// deploy preflight) refuses a bad one the same way, before anything is deployed: a gate that cannot be read must
// never be what fails, or rolls back, a good release. The query itself is the metrics backend's language (PromQL
// for Prometheus); only what can be checked without it is checked: the comparison at the end, an empty expression,
// brackets and quotes that do not close, and variables other than ${release} and ${previous}.
import { cap, redactUrls } from './sanitise.js';

const GATE_OPS = ['<', '<=', '>', '>='] as const;
export type GateOp = (typeof GATE_OPS)[number];

/** The variables an expression may use, and what each stands for. */
const GATE_VARIABLES = {
  release: "the release's identifier",
  previous: "the previous release's identifier",
} as const;
export type GateVariable = keyof typeof GATE_VARIABLES;

export const GATE_FORM =
  '\'<query expression> <op> <number>\', one gate per line, with <op> one of <, <=, >, >= (e.g. sum(rate(http_requests_total{code=~"5.."}[1m])) / sum(rate(http_requests_total[1m])) < 0.05)';

export interface MetricGate {
  /** The line as written (variables not yet substituted): it names the gate in the log, the summary and the failure reason. */
  line: string;
  expression: string;
  op: GateOp;
  threshold: number;
  /** The variables the expression uses. */
  variables: GateVariable[];
}

/** A number as people write a threshold: 5, 0.05, .5, -1, 1e3. */
const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?$/i;
/** The comparison at the end of a line: an operator (ours, or one people confuse with ours) and what follows it. */
const TRAILING_COMPARISON = /^(.*?)\s*(<=|>=|==|!=|=<|=>|<|>|=)\s*([^<>=!\s]*)\s*$/s;

const OPENERS: Record<string, string> = { '(': ')', '{': '}', '[': ']' };
const CLOSERS: Record<string, string> = { ')': '(', '}': '{', ']': '[' };

/** Why the brackets and quotes of an expression do not balance, or undefined when they do. PromQL escapes with \ inside "…" and '…'; `…` has no escapes. */
function balanceProblem(expression: string): string | undefined {
  const stack: { char: string; at: number }[] = [];
  for (let i = 0; i < expression.length; i++) {
    const c = expression[i] as string;
    if (c === '"' || c === "'" || c === '`') {
      let j = i + 1;
      while (j < expression.length && expression[j] !== c) j += c !== '`' && expression[j] === '\\' ? 2 : 1;
      if (j >= expression.length) return `its ${c} quote at character ${i + 1} is not closed`;
      i = j;
    } else if (c in OPENERS) stack.push({ char: c, at: i });
    else if (c in CLOSERS) {
      const open = stack.pop();
      if (!open) return `its '${c}' at character ${i + 1} closes nothing`;
      if (open.char !== CLOSERS[c])
        return `its '${open.char}' at character ${open.at + 1} is closed by '${c}' at character ${i + 1}`;
    }
  }
  const open = stack.pop();
  return open ? `its '${open.char}' at character ${open.at + 1} is not closed` : undefined;
}

/** The ${…} variables of an expression: the known ones, and any other name written that way. */
function variablesOf(expression: string): { known: GateVariable[]; unknown: string[] } {
  const known = new Set<GateVariable>();
  const unknown: string[] = [];
  for (const m of expression.matchAll(/\$\{([^}]*)\}?/g)) {
    const name = m[1] as string;
    if (Object.hasOwn(GATE_VARIABLES, name) && m[0].endsWith('}')) known.add(name as GateVariable);
    else unknown.push(m[0]);
  }
  return { known: [...known], unknown };
}

/** One gate line, or why it is not one (a phrase that completes "line N …"). */
export function parseMetricGate(line: string): MetricGate | { problem: string } {
  const text = line.trim();
  const m = TRAILING_COMPARISON.exec(text);
  if (!m) return { problem: `has no comparison at its end (it must end with <, <=, > or >= and a number)` };
  const [, expression = '', op = '', number = ''] = m;
  if (!(GATE_OPS as readonly string[]).includes(op))
    return { problem: `compares with '${op}', which is not one of ${GATE_OPS.join(', ')}` };
  if (number === '') return { problem: `has no number after '${op}'` };
  if (!NUMBER.test(number) || !Number.isFinite(Number(number)))
    return { problem: `compares with '${number}', which is not a number` };
  if (expression.trim() === '') return { problem: `has no expression before '${op} ${number}'` };
  const unbalanced = balanceProblem(expression);
  if (unbalanced) return { problem: `has an expression whose brackets or quotes do not balance: ${unbalanced}` };
  const { known, unknown } = variablesOf(expression);
  if (unknown.length > 0)
    return {
      problem: `uses ${unknown.map((u) => `'${u}'`).join(', ')}: the variables are ${Object.keys(GATE_VARIABLES)
        .map((v) => `\${${v}}`)
        .join(' and ')}`,
    };
  return { line: text, expression: expression.trim(), op: op as GateOp, threshold: Number(number), variables: known };
}

/**
 * Every gate of a multi-line input, or every line's problem at once ("line 2 ('…') compares with '==' …"). Blank
 * lines and lines starting with # are skipped. The caller says which input the problems are in.
 */
export function parseMetricGates(text: string): { gates: MetricGate[] } | { problems: string[] } {
  const gates: MetricGate[] = [];
  const problems: string[] = [];
  for (const [i, line] of text.split(/\r\n|\r|\n/).entries()) {
    if (!line.trim() || line.trim().startsWith('#')) continue;
    const parsed = parseMetricGate(line);
    // The line is quoted (short, any URL credentials starred out) so the reader finds it without counting.
    if ('problem' in parsed) problems.push(`line ${i + 1} ('${cap(redactUrls(line.trim()), 80)}') ${parsed.problem}`);
    else gates.push(parsed);
  }
  return problems.length > 0 ? { problems } : { gates };
}

/**
 * The problems of a gates input as sentences naming it, for any step's input validation (smoke-test's inputs; a
 * deploy preflight given the bake window's gates). Empty when every line is a gate (or the input is empty).
 */
export function metricGateProblems(input: string, text: string | undefined): string[] {
  if (!text?.trim()) return [];
  const parsed = parseMetricGates(text);
  return 'problems' in parsed ? parsed.problems.map((p) => `Input '${input}' must be ${GATE_FORM}: ${p}`) : [];
}

/**
 * Release identifiers substituted into a query sit inside its string literals (`version="${release}"`): limited to
 * characters that need no escaping in any query language's string, so a value can never end the literal early.
 */
export const RELEASE_ID = /^[A-Za-z0-9][A-Za-z0-9._:@+/-]{0,199}$/;
export const RELEASE_ID_FORM =
  'a release identifier (a commit SHA, a tag or a version: letters, digits and . _ : @ + / -, up to 200 characters)';

/** The expression with its variables replaced. Callers have checked the values (RELEASE_ID) and that each used variable has one. */
export function substitute(gate: MetricGate, values: Partial<Record<GateVariable, string>>): string {
  return gate.expression.replace(/\$\{(release|previous)\}/g, (_, name: GateVariable) => values[name] ?? '');
}

/** Whether a reading satisfies the gate. */
export function satisfies(value: number, op: GateOp, threshold: number): boolean {
  switch (op) {
    case '<':
      return value < threshold;
    case '<=':
      return value <= threshold;
    case '>':
      return value > threshold;
    case '>=':
      return value >= threshold;
  }
}

/** A reading as people read it: at most 4 significant digits, ±Inf spelled out. */
export function formatReading(value: number): string {
  if (value === Number.POSITIVE_INFINITY) return '+Inf';
  if (value === Number.NEGATIVE_INFINITY) return '-Inf';
  return String(Number(value.toPrecision(4)));
}
