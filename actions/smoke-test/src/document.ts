// Checks documents (YAML or JSON, inline or a file): a list of checks, optional `defaults:` applied to each, an
// optional `base-url` for checks given by `path`, and overall `thresholds`. The action's inputs are the defaults
// below the document's own. Every problem is reported at once, with where it is, before any request is sent.
// Loaded only when a document is given: yaml is the largest thing the action uses.
import { LineCounter, type Node as YamlNode, parseDocument } from 'yaml';
import { parseDuration, urlProblem } from '../../../shared/inputs.js';
import { cap, redactUrls, secretsIn } from '../../../shared/sanitise.js';
import { baseCheck, type CheckPlan, type CheckSpec, joinUrl, nameFor, uniqueNames } from './checks.js';
import type { Expectations } from './evaluate.js';
import { isSecretHeader, type JsonAssertion, parseJsonPath, parseStatusList, STATUS_FORM } from './expectations.js';
import { METHODS, type SmokeTestInputs } from './inputs.js';
import { parseThreshold, THRESHOLD_FORM, type Threshold } from './thresholds.js';
import { appendAll } from '../../../shared/collections.js';

/** Every problem found in a checks document. */
export class ChecksProblems extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
  }
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);

const TOP_KEYS = new Set(['base-url', 'defaults', 'checks', 'thresholds']);
const CHECK_KEYS = new Set([
  'name',
  'url',
  'path',
  'method',
  'headers',
  'body',
  'expect',
  'follow-redirects',
  'tls',
  'timeout',
  'samples',
  'thresholds',
]);
const EXPECT_KEYS = new Set(['status', 'json', 'contains', 'matches', 'max-latency', 'health', 'degraded']);
const ASSERTION_KEYS = new Set(['path', 'equals', 'one-of', 'exists', 'matches', 'lt', 'lte', 'gt', 'gte']);
const TLS_KEYS = new Set(['ca-file', 'insecure']);

/** Collects problems with their place in the document, and the environment values a document used. */
class DocumentReader {
  readonly problems: string[] = [];
  readonly secrets: string[] = [];
  constructor(
    private readonly label: string,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  /** A problem may quote what was written, in its place too (a key is the user's text): URL credentials starred out. */
  problem(where: string, message: string): void {
    this.problems.push(`${this.label}: ${redactUrls(`${where} ${message}`)}`);
  }

  unknownKeys(where: string, value: Json, allowed: Set<string>): void {
    for (const key of Object.keys(value))
      if (!allowed.has(key))
        this.problem(where ? `${where}.${key}` : key, `is not a known field (known: ${[...allowed].join(', ')})`);
  }

  /** `${NAME}` from the environment (a workflow's `env:`), so secrets need not be written into the file. */
  expand(where: string, text: string): string {
    return text.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (whole, name: string) => {
      const value = this.env[name];
      if (value === undefined) {
        this.problem(
          where,
          `uses \${${name}}, which is not set in the environment (pass it with env: in the workflow)`,
        );
        return whole;
      }
      if (value.length > 0) this.secrets.push(value);
      return value;
    });
  }

  string(where: string, value: unknown): string | undefined {
    if (value === undefined) return undefined;
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
    this.problem(where, `must be text, got ${cap(redactUrls(JSON.stringify(value) ?? ''), 40)}`);
    return undefined;
  }

  stringList(where: string, value: unknown): string[] | undefined {
    if (value === undefined) return undefined;
    const items = Array.isArray(value) ? value : [value];
    const texts = items.map((item, i) => this.string(Array.isArray(value) ? `${where}[${i}]` : where, item));
    return texts.every((t) => t !== undefined) ? (texts as string[]) : undefined;
  }

  duration(where: string, value: unknown): number | undefined {
    const text = this.string(where, value);
    if (text === undefined) return undefined;
    const ms = parseDuration(text);
    // Up to 10 minutes, as the inputs allow: a longer timer would not hold (node fires one past 2^31 ms at once).
    if (ms === undefined || !(ms >= 1 && ms <= 600_000)) {
      this.problem(where, `must be a duration like 300ms, 5s or 2m, from 1ms to 10m, got '${cap(text, 40)}'`);
      return undefined;
    }
    return ms;
  }

  boolean(where: string, value: unknown): boolean | undefined {
    if (value === undefined || typeof value === 'boolean') return value;
    this.problem(where, `must be true or false, got ${JSON.stringify(value)}`);
    return undefined;
  }

  number(where: string, value: unknown): number | undefined {
    if (value === undefined || (typeof value === 'number' && Number.isFinite(value))) return value;
    this.problem(where, `must be a number, got ${JSON.stringify(value)}`);
    return undefined;
  }

  regex(where: string, value: unknown): RegExp | undefined {
    const text = this.string(where, value);
    if (text === undefined) return undefined;
    const literal = /^\/(.+)\/([dgimsuy]*)$/s.exec(text);
    try {
      return literal ? new RegExp(literal[1] as string, (literal[2] as string).replace('g', '')) : new RegExp(text);
    } catch (error) {
      this.problem(where, `is not a valid regular expression (${(error as Error).message})`);
      return undefined;
    }
  }
}

/** The fields a check and `defaults:` share, applied over `into`. */
function applyFields(
  reader: DocumentReader,
  where: string,
  raw: Json,
  into: Omit<CheckSpec, 'name' | 'url'>,
): Omit<CheckSpec, 'name' | 'url'> {
  const spec = { ...into, headers: { ...into.headers }, expect: { ...into.expect }, tls: { ...into.tls } };
  const method = reader.string(`${where}.method`, raw.method)?.toUpperCase();
  if (method !== undefined) {
    if ((METHODS as readonly string[]).includes(method)) spec.method = method;
    else reader.problem(`${where}.method`, `must be one of ${METHODS.join(', ')}, got '${method}'`);
  }
  if (raw.headers !== undefined) {
    if (!isObject(raw.headers)) reader.problem(`${where}.headers`, 'must be a map of header names to values');
    else
      for (const [name, value] of Object.entries(raw.headers)) {
        const text = reader.string(`${where}.headers.${name}`, value);
        if (text !== undefined) spec.headers[name] = reader.expand(`${where}.headers.${name}`, text);
      }
  }
  if (raw.body !== undefined) {
    // A map or list is sent as JSON, with the content type to say so unless the check sets one.
    if (typeof raw.body === 'object' && raw.body !== null) {
      spec.body = reader.expand(`${where}.body`, JSON.stringify(raw.body));
      if (!Object.keys(spec.headers).some((h) => h.toLowerCase() === 'content-type'))
        spec.headers['content-type'] = 'application/json';
    } else {
      const text = reader.string(`${where}.body`, raw.body);
      if (text !== undefined) spec.body = reader.expand(`${where}.body`, text);
    }
  }
  const redirects = reader.boolean(`${where}.follow-redirects`, raw['follow-redirects']);
  if (redirects !== undefined) spec.followRedirects = redirects;
  const timeout = reader.duration(`${where}.timeout`, raw.timeout);
  if (timeout !== undefined) spec.timeoutMs = timeout;
  const samples = reader.number(`${where}.samples`, raw.samples);
  if (samples !== undefined) {
    if (Number.isInteger(samples) && samples >= 1 && samples <= 10_000) spec.samples = samples;
    else reader.problem(`${where}.samples`, `must be a whole number from 1 to 10000, got ${samples}`);
  }
  const thresholds = readThresholds(reader, `${where}.thresholds`, raw.thresholds);
  if (thresholds) spec.thresholds = thresholds;
  if (raw.tls !== undefined) {
    if (!isObject(raw.tls)) reader.problem(`${where}.tls`, 'must be a map with ca-file and/or insecure');
    else {
      reader.unknownKeys(`${where}.tls`, raw.tls, TLS_KEYS);
      const caFile = reader.string(`${where}.tls.ca-file`, raw.tls['ca-file']);
      if (caFile !== undefined) spec.tls.caFile = caFile;
      const insecure = reader.boolean(`${where}.tls.insecure`, raw.tls.insecure);
      if (insecure !== undefined) spec.tls.insecure = insecure;
    }
  }
  if (raw.expect !== undefined) {
    if (!isObject(raw.expect))
      reader.problem(
        `${where}.expect`,
        'must be a map (status, json, contains, matches, max-latency, health, degraded)',
      );
    else spec.expect = readExpect(reader, `${where}.expect`, raw.expect, spec.expect);
  }
  return spec;
}

function readThresholds(reader: DocumentReader, where: string, value: unknown): Threshold[] | undefined {
  const texts = reader.stringList(where, value);
  if (!texts) return undefined;
  const parsed = texts.map(parseThreshold);
  texts.forEach((text, i) => {
    if (!parsed[i]) reader.problem(`${where}[${i}]`, `must be ${THRESHOLD_FORM}, got '${text}'`);
  });
  return parsed.every(Boolean) ? (parsed as Threshold[]) : undefined;
}

function readExpect(reader: DocumentReader, where: string, raw: Json, base: Expectations): Expectations {
  reader.unknownKeys(where, raw, EXPECT_KEYS);
  const expect: Expectations = { ...base };
  if (raw.status !== undefined) {
    const text = Array.isArray(raw.status) ? raw.status.map(String).join(',') : String(raw.status);
    const ranges = parseStatusList(text);
    if (ranges) expect.status = ranges;
    else reader.problem(`${where}.status`, `must be ${STATUS_FORM}, got '${text}'`);
  }
  if (raw.json !== undefined) {
    const list = Array.isArray(raw.json) ? raw.json : [raw.json];
    expect.json = list
      .map((item, i) => readAssertion(reader, `${where}.json[${i}]`, item))
      .filter((a): a is JsonAssertion => a !== undefined);
  }
  const contains = reader.stringList(`${where}.contains`, raw.contains);
  if (contains) expect.contains = contains;
  const matches = reader.stringList(`${where}.matches`, raw.matches);
  if (matches)
    expect.matches = matches
      .map((m, i) => reader.regex(`${where}.matches${Array.isArray(raw.matches) ? `[${i}]` : ''}`, m))
      .filter((r): r is RegExp => r !== undefined);
  const maxLatency = reader.duration(`${where}.max-latency`, raw['max-latency']);
  if (maxLatency !== undefined) expect.maxLatencyMs = maxLatency;
  if (raw.health !== undefined) {
    if (raw.health === 'auto' || raw.health === true) expect.health = 'auto';
    else if (raw.health === 'off' || raw.health === false) expect.health = 'off';
    else reader.problem(`${where}.health`, `must be auto or off, got ${JSON.stringify(raw.health)}`);
  }
  if (raw.degraded !== undefined) {
    if (raw.degraded === 'pass' || raw.degraded === 'fail') expect.degraded = raw.degraded;
    else reader.problem(`${where}.degraded`, `must be pass or fail, got ${JSON.stringify(raw.degraded)}`);
  }
  return expect;
}

function readAssertion(reader: DocumentReader, where: string, raw: unknown): JsonAssertion | undefined {
  if (!isObject(raw)) {
    reader.problem(where, 'must be a map like {path: $.status, equals: healthy}');
    return undefined;
  }
  reader.unknownKeys(where, raw, ASSERTION_KEYS);
  const pathText = reader.string(`${where}.path`, raw.path);
  const path = pathText === undefined ? undefined : parseJsonPath(pathText);
  if (pathText === undefined)
    reader.problem(`${where}.path`, 'is required (a JSON path like $.checks.database.status)');
  else if (!path)
    reader.problem(
      `${where}.path`,
      `must be a JSON path like $.checks.database.status or $['db:latency'][0].status, got '${pathText}'`,
    );
  const assertion: JsonAssertion = { path: path ?? [] };
  if ('equals' in raw) assertion.equals = raw.equals;
  if (raw['one-of'] !== undefined) {
    if (Array.isArray(raw['one-of'])) assertion.oneOf = raw['one-of'];
    else reader.problem(`${where}.one-of`, 'must be a list of values');
  }
  const exists = reader.boolean(`${where}.exists`, raw.exists);
  if (exists !== undefined) assertion.exists = exists;
  const matches = reader.regex(`${where}.matches`, raw.matches);
  if (matches) assertion.matches = matches;
  for (const key of ['lt', 'lte', 'gt', 'gte'] as const) {
    const limit = reader.number(`${where}.${key}`, raw[key]);
    if (limit !== undefined) assertion[key] = limit;
  }
  const hasTest = ['equals', 'one-of', 'exists', 'matches', 'lt', 'lte', 'gt', 'gte'].some((k) => k in raw);
  if (!hasTest) reader.problem(where, 'needs a test: equals, one-of, exists, matches, lt, lte, gt or gte');
  return path ? assertion : undefined;
}

export interface DocumentSource {
  text: string;
  /** Shown in problems: the file's path, or "input 'checks'". */
  label: string;
  /** The file annotations point at (a checks file's path in the repository); none for inline checks. */
  file?: string;
}

/** Compiles a checks document; throws ChecksProblems listing every problem found. */
export function checksFromDocument(
  source: DocumentSource,
  inputs: SmokeTestInputs,
  env: NodeJS.ProcessEnv = process.env,
): CheckPlan {
  const lineCounter = new LineCounter();
  const doc = parseDocument(source.text, { lineCounter });
  const syntaxError = doc.errors[0];
  if (syntaxError) {
    // Only the first: the parser's later errors are mostly echoes of it.
    const pos = syntaxError.linePos?.[0];
    const what = (syntaxError.message.split('\n')[0] as string).replace(/ at line \d+, column \d+:?$/, '');
    // The parser's message quotes the document: URL credentials in it are starred out, as in every problem.
    throw new ChecksProblems([
      `${source.label}${pos ? `:${pos.line}:${pos.col}` : ''}: not valid YAML or JSON (${redactUrls(what)})`,
    ]);
  }
  let root: unknown;
  try {
    // An alias to no anchor (`*a`) or a billion-laughs expansion parse without errors and throw here.
    root = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    throw new ChecksProblems([
      `${source.label}: not valid YAML or JSON (${redactUrls((error as Error).message.split('\n')[0] as string)})`,
    ]);
  }
  const reader = new DocumentReader(source.label, env);
  const rawChecks = Array.isArray(root) ? root : isObject(root) ? root.checks : undefined;
  const top: Json = isObject(root) ? root : {};
  if (isObject(root)) reader.unknownKeys('', root, TOP_KEYS);
  if (!Array.isArray(rawChecks) || rawChecks.length === 0) {
    reader.problem('checks', 'must be a non-empty list of checks (each with url or path)');
    throw new ChecksProblems(reader.problems);
  }
  const baseUrlText = reader.string('base-url', top['base-url']);
  const baseUrl = baseUrlText !== undefined ? reader.expand('base-url', baseUrlText) : inputs['base-url'];
  let defaults = baseCheck(inputs);
  if (top.defaults !== undefined) {
    if (!isObject(top.defaults)) reader.problem('defaults', 'must be a map of check fields');
    else {
      reader.unknownKeys(
        'defaults',
        top.defaults,
        new Set([...CHECK_KEYS].filter((k) => !['name', 'url', 'path'].includes(k))),
      );
      defaults = applyFields(reader, 'defaults', top.defaults, defaults);
    }
  }
  const overall = readThresholds(reader, 'thresholds', top.thresholds) ?? inputs['overall-thresholds'];

  const checks: CheckSpec[] = [];
  rawChecks.forEach((raw, i) => {
    const where = `checks[${i}]`;
    if (!isObject(raw)) return reader.problem(where, 'must be a map with url or path');
    reader.unknownKeys(where, raw, CHECK_KEYS);
    const url = readCheckUrl(reader, where, raw, baseUrl);
    const spec = applyFields(reader, where, raw, defaults);
    const name = reader.string(`${where}.name`, raw.name);
    if (!url) return;
    const node = doc.getIn(Array.isArray(root) ? [i] : ['checks', i], true) as YamlNode | undefined;
    const pos = node?.range ? lineCounter.linePos(node.range[0]) : undefined;
    checks.push({
      ...spec,
      name: name ?? `${spec.method === 'GET' ? '' : `${spec.method} `}${nameFor(url, false)}`,
      url,
      ...(source.file && pos ? { source: { file: source.file, line: pos.line, column: pos.col } } : {}),
    });
  });
  if (reader.problems.length > 0) throw new ChecksProblems(reader.problems);
  const secrets = [...reader.secrets];
  for (const check of checks) {
    for (const [header, value] of Object.entries(check.headers))
      if (value && isSecretHeader(header)) secrets.push(value);
    appendAll(secrets, secretsIn(check.url.href));
  }
  return { checks: uniqueNames(checks), overallThresholds: overall, secrets };
}

function readCheckUrl(reader: DocumentReader, where: string, raw: Json, baseUrl: string | undefined): URL | undefined {
  const urlText = reader.string(`${where}.url`, raw.url);
  const pathText = reader.string(`${where}.path`, raw.path);
  if (urlText !== undefined && pathText !== undefined) {
    reader.problem(where, 'has both url and path: give one');
    return undefined;
  }
  if (urlText === undefined && pathText === undefined) {
    reader.problem(where, 'needs url (a full URL) or path (relative to base-url)');
    return undefined;
  }
  if (pathText !== undefined && !baseUrl) {
    reader.problem(`${where}.path`, "needs a base-url: set base-url in the document or the input 'base-url'");
    return undefined;
  }
  const text =
    urlText !== undefined ? reader.expand(`${where}.url`, urlText) : reader.expand(`${where}.path`, pathText as string);
  const field = urlText !== undefined ? `${where}.url` : `${where}.path`;
  // What was written (before ${NAME} expansion, so no environment secret), with any URL credentials starred out.
  const written = `'${cap(redactUrls(urlText ?? pathText ?? ''), 60)}'`;
  let url: URL;
  try {
    url = urlText !== undefined ? new URL(text) : joinUrl(baseUrl as string, text);
  } catch {
    reader.problem(field, `must be an http(s) URL${pathText !== undefined ? ' path' : ''}, got ${written}`);
    return undefined;
  }
  const problem = urlProblem(url.href, `an http(s) URL${pathText !== undefined ? ' path' : ''}`);
  if (problem !== undefined) {
    reader.problem(field, `${problem}, got ${written}`);
    return undefined;
  }
  return url;
}
