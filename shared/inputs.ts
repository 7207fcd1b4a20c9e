// Inputs: one zod schema per action turns the raw INPUT_* strings into one typed settings object. Every problem
// is collected and reported at once, each naming the input and the form it expects. Secrets are masked before
// anything else happens, and never echoed in a problem.
import { statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import * as z from 'zod/mini';
import { InputError } from './errors.js';
import { getInput, setSecret } from './runner.js';
import { cap, inline, malformedEscape, redactUrls, secretsIn } from './sanitise.js';
import { workspaceOf } from './workspace.js';

export type RawInputs = Record<string, string | undefined>;

type Parsed<T> = { ok: true; value: T } | { ok: false; expected: string };

/** A field of an inputs schema: a pure parse of the raw string (undefined when the input is not set). */
export function field<T>(parse: (raw: string | undefined) => Parsed<T>) {
  return z.pipe(
    z.optional(z.string()),
    z.transform((raw: string | undefined, ctx) => {
      const result = parse(raw === '' ? undefined : raw);
      if (result.ok) return result.value;
      ctx.issues.push({ code: 'custom', message: result.expected, input: raw });
      return z.NEVER;
    }),
  );
}

/** The raw input as the schema sees it: '' (not set) is undefined, so defaults and "is required" apply to it. */
function raw<T extends z.core.SomeType>(schema: T): z.ZodMiniType<z.output<T>, string | undefined> {
  return z.pipe(
    z.pipe(
      z.optional(z.string()),
      z.transform((value: string | undefined) => (value === '' ? undefined : value)),
    ),
    schema as unknown as z.ZodMiniType<z.output<T>, string | undefined>,
  ) as unknown as z.ZodMiniType<z.output<T>, string | undefined>;
}

/** zod's own message option: one sentence for a missing value, another for a wrong one. */
const says = (missing: string, wrong: string) => ({
  error: (issue: { input?: unknown }) => (issue.input === undefined ? missing : wrong),
});

export function text(options: { required?: boolean; default?: string; pattern?: RegExp; expected?: string } = {}) {
  const wrong = `must be ${options.expected ?? `text matching ${options.pattern}`}`;
  const string = z.string(says(`is required${options.expected ? ` (${options.expected})` : ''}`, wrong));
  const checked = options.pattern ? string.check(z.regex(options.pattern, { error: wrong })) : string;
  return raw(options.required ? checked : z._default(checked, options.default ?? ''));
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Whether a URL's host is this machine (a local server or a loopback stand-in): nothing it sends crosses a network. */
export function isLoopbackUrl(raw: string): boolean {
  try {
    return LOOPBACK.has(new URL(raw).hostname);
  } catch {
    return false;
  }
}

function isAllowedUrl(raw: string, httpsOnly: boolean): boolean {
  try {
    const url = new URL(raw);
    if (url.protocol === 'https:') return true;
    // Plain http only where nothing crosses a network: a local server or a loopback fake.
    return url.protocol === 'http:' && (!httpsOnly || isLoopbackUrl(raw));
  } catch {
    return false;
  }
}

/**
 * Why a URL is not one we can send, in words; undefined when it is. A `%` that starts no escape is refused here:
 * the URL parser keeps it, servers answer 400, and a check would be retried against it until its deadline.
 */
export function urlProblem(raw: string, form: string, httpsOnly = false): string | undefined {
  if (!isAllowedUrl(raw, httpsOnly)) return `must be ${form}`;
  const bad = malformedEscape(raw);
  if (bad !== undefined)
    return `must be ${form}: '${bad}' is not a percent escape (%XX, two hex digits; a literal % is written %25)`;
  // Escapes that are hex but not UTF-8 (`%80`): node:http decodes the user name and password for the Authorization
  // header and throws on them, and the path would be shown as something no one wrote.
  if (!decodesAsText(raw))
    return `must be ${form}: its percent escapes must spell UTF-8 text (a byte like %80 alone is not)`;
  return undefined;
}

function decodesAsText(raw: string): boolean {
  try {
    const parsed = new URL(raw);
    decodeURIComponent(parsed.username);
    decodeURIComponent(parsed.password);
    decodeURI(parsed.pathname + parsed.search);
    return true;
  } catch {
    return false;
  }
}

/** An absolute URL. `httpsOnly` for endpoints that carry secrets (http is then accepted for loopback hosts only). */
export function url(options: { required?: boolean; httpsOnly?: boolean } = {}) {
  const form = options.httpsOnly ? 'an https URL' : 'an http(s) URL';
  const httpsOnly = options.httpsOnly ?? false;
  const absolute = z
    .url({ protocol: /^https?$/, ...says(`is required (${form})`, `must be ${form}`), abort: true })
    .check(
      // What zod's URL check does not know: plain http to loopback only, and a `%` that starts no escape.
      z.superRefine((value: string, ctx) => {
        const problem = urlProblem(value, form, httpsOnly);
        if (problem) ctx.issues.push({ code: 'custom', message: problem, input: value });
      }),
    );
  return raw(options.required ? absolute : z.optional(absolute));
}

export function oneOf<const T extends string>(
  values: readonly T[],
  options: { default?: T; aliases?: Record<string, T> } = {},
) {
  const form = `one of ${values.join(', ')}`;
  const choice = z.pipe(
    z.transform((value: unknown) => {
      if (typeof value !== 'string') return value;
      const key = value.toLowerCase();
      return options.aliases?.[key] ?? key;
    }),
    z.enum(values as unknown as [T, ...T[]], says(`is required (${form})`, `must be ${form}`)),
  );
  return raw(options.default !== undefined ? z._default(choice, options.default) : choice);
}

/** The YAML 1.2 core-schema booleans, as the toolkit's getBooleanInput accepts them. */
export function boolean(defaultValue: boolean) {
  return raw(
    z._default(
      z.stringbool({
        truthy: ['true', 'True', 'TRUE'],
        falsy: ['false', 'False', 'FALSE'],
        case: 'sensitive',
        error: 'must be true or false',
      }),
      defaultValue,
    ),
  );
}

export function integer(options: { min: number; max: number; default: number }) {
  const wrong = `must be a whole number from ${options.min} to ${options.max}`;
  const whole = z.pipe(
    z.string().check(z.regex(/^-?\d+$/, { error: wrong })),
    z.pipe(
      z.transform(Number),
      z.int({ error: wrong }).check(z.gte(options.min, { error: wrong }), z.lte(options.max, { error: wrong })),
    ),
  );
  return raw(z.prefault(whole, String(options.default)));
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Durations as people write them: `1500ms`, `30s`, `5m`, `2h`, `1m30s`; a bare number is seconds. Returns ms. */
export function parseDuration(raw: string): number | undefined {
  if (raw.length > 64) return undefined;
  if (/^\d+(\.\d+)?$/.test(raw)) return finite(Number(raw) * 1000);
  const parts = [...raw.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== raw) return undefined;
  return finite(parts.reduce((sum, p) => sum + Number(p[1]) * (UNIT_MS[p[2] as string] as number), 0));
}

/** A duration as parseDuration reads it back, in its largest whole unit: 900000 → `15m`, 15000 → `15s`. */
export function durationText(ms: number): string {
  for (const unit of ['h', 'm', 's'] as const) {
    const size = UNIT_MS[unit] as number;
    if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}

const finite = (n: number): number | undefined => (Number.isFinite(n) ? n : undefined);

/** The longest wait a timer can hold (2^31 - 1 ms, about 24.8 days): node fires a longer one after 1 ms. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * A duration in ms, from 1 ms (a zero interval would spin, a zero timeout would never let a request finish) up to
 * `max` (and never past what a timer can hold).
 */
export function duration(options: { default: string; max?: string; min?: string }) {
  const maxMs = Math.min(options.max ? (parseDuration(options.max) as number) : MAX_TIMER_MS, MAX_TIMER_MS);
  const minMs = Math.max(options.min ? (parseDuration(options.min) as number) : 1, 1);
  const range = `from ${options.min ?? '1ms'} to ${options.max ?? '24 days'}`;
  const wrong = `must be a duration like 30s, 5m or 1h, ${range}`;
  const ms = z.pipe(
    z.string(),
    z.pipe(
      z.transform((value: string, ctx) => {
        const parsed = parseDuration(value);
        if (parsed !== undefined) return parsed;
        ctx.issues.push({ code: 'custom', message: wrong, input: value });
        return z.NEVER;
      }),
      z.number().check(z.gte(minMs, { error: wrong }), z.lte(maxMs, { error: wrong })),
    ),
  );
  return raw(z.prefault(ms, options.default));
}

/**
 * What is wrong with the file an input names (relative to the workspace, as the step reads it), in a sentence naming
 * the input and the path; undefined when it is a file that can be opened. Checked with the other inputs, before any
 * request: a missing file found at the point of use would come after the ledger, the provider or the cache was
 * already asked.
 */
export function inputFileProblem(
  input: string,
  path: string,
  form: string,
  workspace = workspaceOf(),
): string | undefined {
  const full = isAbsolute(path) ? path : resolve(workspace, path);
  const shown = inline(full, 300);
  try {
    if (statSync(full).isDirectory()) return `Input '${input}' must be ${form}: ${shown} is a folder, not a file`;
    return undefined;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR')
      return `Input '${input}' must be ${form}: there is no file ${shown} (paths are relative to the workspace; was the repository checked out?)`;
    return `Input '${input}' must be ${form}: ${shown} cannot be read (${code ?? (error as Error).message})`;
  }
}

/** A list separated by commas or new lines; empty items dropped. */
export function list() {
  return raw(
    z.prefault(
      z.pipe(
        z.string(),
        z.transform((value: string) =>
          value
            .split(/[,\n]/)
            .map((item) => item.trim())
            .filter(Boolean),
        ),
      ),
      '',
    ),
  );
}

/**
 * What a problem message may show of a value: an ordinary input with the credentials of any URL in it starred
 * out, only the shape of a secret.
 */
function preview(value: string, secret: boolean): string {
  if (secret) {
    const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(value)?.[0];
    return scheme ? `${scheme}…` : `*** (${value.length} characters)`;
  }
  return cap(redactUrls(value), 80);
}

export interface InputsSpec<S extends z.ZodMiniObject> {
  schema: S;
  /** Inputs whose values are masked before anything is logged. */
  secrets?: readonly string[];
  /** Values derived from a secret that could reach a log on their own (a webhook URL's path, say). */
  derivedSecrets?: (raw: RawInputs) => string[];
  /** Inputs whose values a problem never shows, though they are not secrets as a whole (a list of headers). */
  unechoed?: readonly string[];
  /** Rules between inputs: each problem a sentence naming the inputs. They run even when single fields fail. */
  rules?: (raw: RawInputs) => string[];
}

/** Reads, masks and validates every input of an action; throws one InputError listing all problems. */
export function readInputs<S extends z.ZodMiniObject>(
  spec: InputsSpec<S>,
  read: (name: string) => string = getInput,
): z.output<S> {
  const names = Object.keys(spec.schema.def.shape);
  const raw: RawInputs = {};
  for (const name of names) {
    const value = read(name);
    raw[name] = value === '' ? undefined : value;
  }
  const secrets = new Set(spec.secrets ?? []);
  for (const name of secrets) if (raw[name]) setSecret(raw[name] as string);
  // The one masker: URL passwords and token-like query values, in any input, are registered before anything
  // (a problem below, a log line later) could print them.
  for (const value of Object.values(raw)) if (value) for (const secret of secretsIn(value)) setSecret(secret);
  for (const value of spec.derivedSecrets?.(raw) ?? []) setSecret(value);

  const result = z.safeParse(spec.schema, raw);
  const problems: string[] = [];
  if (!result.success) {
    for (const issue of result.error.issues) {
      const name = String(issue.path[0]);
      const value = raw[name];
      const got =
        value === undefined || spec.unechoed?.includes(name) ? '' : `, got '${preview(value, secrets.has(name))}'`;
      problems.push(`Input '${name}' ${issue.message}${got}`);
    }
  }
  problems.push(...(spec.rules?.(raw) ?? []));
  if (problems.length > 0 || !result.success) throw new InputError(problems);
  return result.data;
}
