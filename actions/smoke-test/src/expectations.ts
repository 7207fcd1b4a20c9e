// What a response must look like: expected status codes (a list or ranges), body text, JSON path assertions.
// Pure functions, shared by input validation (light, on the cold path) and by the checks themselves.
import { isDeepStrictEqual } from 'node:util';
import { excerpt, inline } from '../../../shared/sanitise.js';
import { nestingDepth } from '../../../shared/collections.js';

/** Enough of a body for any assertion: the prober reads (and times) the rest but does not keep it. */
export const BODY_LIMIT = 1024 * 1024;

export interface StatusRange {
  from: number;
  to: number;
}

export const STATUS_FORM = 'status codes or ranges like 200, 200-299 or 2xx (several separated by commas)';

/** `200`, `200-299`, `2xx`, several separated by commas or spaces; undefined when any part is not one of these. */
export function parseStatusList(text: string): StatusRange[] | undefined {
  const parts = text
    .split(/[\s,]+/)
    .map((p) => p.trim())
    .filter(Boolean);
  if (parts.length === 0) return undefined;
  const ranges: StatusRange[] = [];
  for (const part of parts) {
    const range = parseStatusPart(part);
    if (!range) return undefined;
    ranges.push(range);
  }
  return ranges;
}

function parseStatusPart(part: string): StatusRange | undefined {
  const family = /^([1-5])xx$/i.exec(part);
  if (family) return { from: Number(family[1]) * 100, to: Number(family[1]) * 100 + 99 };
  const range = /^(\d{3})-(\d{3})$/.exec(part);
  if (range) {
    const from = Number(range[1]);
    const to = Number(range[2]);
    return from <= to && from >= 100 && to <= 599 ? { from, to } : undefined;
  }
  if (/^\d{3}$/.test(part) && Number(part) >= 100 && Number(part) <= 599)
    return { from: Number(part), to: Number(part) };
  return undefined;
}

export function statusMatches(status: number, ranges: readonly StatusRange[]): boolean {
  return ranges.some((r) => status >= r.from && status <= r.to);
}

export function describeStatusRanges(ranges: readonly StatusRange[]): string {
  return ranges.map((r) => (r.from === r.to ? String(r.from) : `${r.from}-${r.to}`)).join(', ');
}

/**
 * Headers as `Name: value` lines. When a line is not of that form, its number (1-based) and what is wrong with it
 * — never its text, which may hold a token. Values with characters HTTP cannot carry (control characters) are
 * refused here, rather than by every request until the deadline.
 */
export function parseHeaderLines(
  text: string,
): { headers: Record<string, string> } | { badLine: number; problem: string } {
  const headers: Record<string, string> = {};
  const lines = text.split(/\r\n|\r|\n/);
  for (const [i, line] of lines.entries()) {
    if (!line.trim()) continue;
    const colon = line.indexOf(':');
    const name = colon > 0 ? line.slice(0, colon).trim() : '';
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name))
      return { badLine: i + 1, problem: colon > 0 ? 'has an invalid header name' : "has no 'Name:' before its value" };
    const value = line.slice(colon + 1).trim();
    if (/[^\t\x20-\x7e\x80-\xff]/.test(value))
      return { badLine: i + 1, problem: 'has a control or non-Latin-1 character in its value' };
    headers[name] = value;
  }
  return { headers };
}

/** Headers whose values are never secret: everything else a user sets is masked in the log. */
const PUBLIC_HEADERS = new Set([
  'accept',
  'accept-language',
  'accept-encoding',
  'content-type',
  'user-agent',
  'cache-control',
  'pragma',
  'host',
]);

export function isSecretHeader(name: string): boolean {
  return !PUBLIC_HEADERS.has(name.toLowerCase());
}

// --- JSON paths: `$.checks.database.status`, `checks['db:responseTime'][0].status`, `items[2]` -------------------

export type PathSegment = string | number;

/** Parses a JSON path; undefined when it is not one. The leading `$` is optional. */
export function parseJsonPath(text: string): PathSegment[] | undefined {
  let rest = text.trim();
  if (rest.startsWith('$')) rest = rest.slice(1);
  else if (rest && !rest.startsWith('[')) rest = `.${rest}`;
  const segments: PathSegment[] = [];
  while (rest.length > 0) {
    const dotted = /^\.([A-Za-z_$][\w$-]*)/.exec(rest);
    const indexed = /^\[(\d+)\]/.exec(rest);
    const quoted = /^\[\s*(['"])((?:\\.|(?!\1).)*)\1\s*\]/.exec(rest);
    if (dotted) segments.push(dotted[1] as string);
    else if (indexed) segments.push(Number(indexed[1]));
    else if (quoted) segments.push((quoted[2] as string).replace(/\\(.)/g, '$1'));
    else return undefined;
    rest = rest.slice((dotted ?? indexed ?? quoted)?.[0].length ?? rest.length);
  }
  return segments;
}

function formatJsonPath(path: readonly PathSegment[]): string {
  return `$${path.map((s) => (typeof s === 'number' ? `[${s}]` : /^[A-Za-z_$][\w$-]*$/.test(s) ? `.${s}` : `['${s.replace(/'/g, "\\'")}']`)).join('')}`;
}

type Lookup = { found: true; value: unknown } | { found: false; at: PathSegment[]; parent: unknown; keys: string[] };

/** Follows a path; when it stops short, says where and what was there instead. */
function lookup(document: unknown, path: readonly PathSegment[]): Lookup {
  let current: unknown = document;
  for (let i = 0; i < path.length; i++) {
    const segment = path[i] as PathSegment;
    const container = current as Record<string, unknown> | unknown[] | null;
    const has =
      typeof segment === 'number'
        ? Array.isArray(container) && segment < container.length
        : container !== null &&
          typeof container === 'object' &&
          !Array.isArray(container) &&
          Object.hasOwn(container, segment);
    if (!has) {
      const keys = Array.isArray(container)
        ? container.length > 0
          ? [`[0…${container.length - 1}]`]
          : []
        : container !== null && typeof container === 'object'
          ? Object.keys(container)
          : [];
      return { found: false, at: path.slice(0, i), parent: container, keys };
    }
    current = (container as Record<string | number, unknown>)[segment];
  }
  return { found: true, value: current };
}

export interface JsonAssertion {
  path: PathSegment[];
  equals?: unknown;
  oneOf?: unknown[];
  exists?: boolean;
  matches?: RegExp;
  lt?: number;
  lte?: number;
  gt?: number;
  gte?: number;
}

const MAX_SHOWN_DEPTH = 1000;

function show(value: unknown): string {
  // The value is the server's: nested past the limit of JSON.stringify's recursion, it is described, not shown.
  const text =
    nestingDepth(value, MAX_SHOWN_DEPTH) > MAX_SHOWN_DEPTH
      ? `(nested more than ${MAX_SHOWN_DEPTH} levels deep)`
      : (JSON.stringify(value) ?? String(value));
  return excerpt(text, 81);
}

/** JSON equality: objects are equal whatever the order of their keys (a server may serialise them in any order). */
function sameValue(actual: unknown, expected: unknown): boolean {
  return isDeepStrictEqual(actual, expected);
}

/** Problems with one assertion on a parsed JSON body; empty when it holds. */
export function checkJsonAssertion(document: unknown, assertion: JsonAssertion): string[] {
  const where = formatJsonPath(assertion.path);
  const found = lookup(document, assertion.path);
  if (!found.found) {
    if (assertion.exists === false) return [];
    const parent = formatJsonPath(found.at);
    const context =
      found.keys.length > 0
        ? `${parent} has: ${found.keys.slice(0, 12).join(', ')}${found.keys.length > 12 ? ', …' : ''}`
        : `${parent} is ${show(found.parent)}`;
    return [`JSON path ${where} is missing (${context})`];
  }
  const value = found.value;
  const problems: string[] = [];
  if (assertion.exists === false) problems.push(`JSON path ${where} should not exist, but is ${show(value)}`);
  if ('equals' in assertion && !sameValue(value, assertion.equals))
    problems.push(`JSON path ${where} is ${show(value)}, expected ${show(assertion.equals)}`);
  if (assertion.oneOf && !assertion.oneOf.some((v) => sameValue(value, v)))
    problems.push(`JSON path ${where} is ${show(value)}, expected one of ${assertion.oneOf.map(show).join(', ')}`);
  if (assertion.matches && !(typeof value === 'string' && assertion.matches.test(value)))
    problems.push(`JSON path ${where} is ${show(value)}, expected to match /${assertion.matches.source}/`);
  const numeric: [keyof JsonAssertion, string, (a: number, b: number) => boolean][] = [
    ['lt', '<', (a, b) => a < b],
    ['lte', '<=', (a, b) => a <= b],
    ['gt', '>', (a, b) => a > b],
    ['gte', '>=', (a, b) => a >= b],
  ];
  for (const [key, symbol, holds] of numeric) {
    const limit = assertion[key] as number | undefined;
    if (limit === undefined) continue;
    if (typeof value !== 'number')
      problems.push(`JSON path ${where} is ${show(value)}, expected a number ${symbol} ${limit}`);
    else if (!holds(value, limit)) problems.push(`JSON path ${where} is ${value}, expected ${symbol} ${limit}`);
  }
  return problems;
}

/** The first bytes of a body, on one line, for a reason a person reads (outside text: sanitised, see inline). */
export function bodyExcerpt(body: string, length = 160): string {
  const flat = excerpt(body, 64 * 1024)
    .replace(/\s+/g, ' ')
    .trim();
  if (!flat) return '(empty body)';
  return inline(flat, length + 1);
}
