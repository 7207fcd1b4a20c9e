// The checks to run. From the simple inputs (url, base-url + paths) here; from a checks document in document.ts.
// The inputs are the defaults of every check, whichever way the checks are given.
import type { Expectations } from './evaluate.js';
import type { SmokeTestInputs } from './inputs.js';
import type { Threshold } from './thresholds.js';

export interface CheckSpec {
  name: string;
  url: URL;
  method: string;
  headers: Record<string, string>;
  body?: string;
  expect: Expectations;
  followRedirects: boolean;
  tls: { caFile?: string; insecure: boolean };
  timeoutMs: number;
  samples: number;
  thresholds: Threshold[];
  /** Where the check is written, for annotations on the checks file. */
  source?: { file: string; line: number; column: number };
}

export interface CheckPlan {
  checks: CheckSpec[];
  overallThresholds: Threshold[];
  /** Values taken from the environment (`${NAME}`) and secret header values: masked before anything logs. */
  secrets: string[];
}

/** The defaults every check starts from: the action's inputs. */
export function baseCheck(inputs: SmokeTestInputs): Omit<CheckSpec, 'name' | 'url'> {
  return {
    method: inputs.method,
    headers: { ...inputs.headers },
    ...(inputs.body ? { body: inputs.body } : {}),
    expect: {
      status: inputs['expect-status'],
      json: [],
      contains: inputs['expect-text'] ? [inputs['expect-text']] : [],
      matches: [],
      ...(inputs['max-latency'] !== undefined ? { maxLatencyMs: inputs['max-latency'] } : {}),
      health: 'auto',
      degraded: inputs.degraded,
    },
    followRedirects: inputs['follow-redirects'],
    tls: { ...(inputs['ca-file'] ? { caFile: inputs['ca-file'] } : {}), insecure: false },
    timeoutMs: inputs.timeout,
    samples: inputs.samples,
    thresholds: inputs.thresholds,
  };
}

/** Names people recognise in a table: the path for checks of one host, host and path when hosts differ. */
export function nameFor(url: URL, manyHosts: boolean): string {
  const path = `${url.pathname}${url.search ? '?…' : ''}`;
  return manyHosts ? `${url.host}${path}` : path;
}

export function uniqueNames(checks: CheckSpec[]): CheckSpec[] {
  const seen = new Map<string, number>();
  return checks.map((check) => {
    const count = (seen.get(check.name) ?? 0) + 1;
    seen.set(check.name, count);
    return count === 1 ? check : { ...check, name: `${check.name} #${count}` };
  });
}

export function checksFromInputs(inputs: SmokeTestInputs): CheckPlan {
  const base = baseCheck(inputs);
  const targets =
    inputs.url.length > 0 ? inputs.url.map((u) => new URL(u)) : pathsUnder(inputs['base-url'] as string, inputs.paths);
  const manyHosts = new Set(targets.map((t) => t.host)).size > 1;
  const checks = targets.map((url) => ({ ...base, name: nameFor(url, manyHosts), url }));
  return { checks: uniqueNames(checks), overallThresholds: inputs['overall-thresholds'], secrets: [] };
}

/** `/api/health` under `https://preview.example.com/app/` is `https://preview.example.com/app/api/health`. */
export function joinUrl(base: string, path: string): URL {
  if (/^https?:\/\//i.test(path)) return new URL(path);
  const root = base.endsWith('/') ? base : `${base}/`;
  return new URL(path.replace(/^\//, ''), root);
}

function pathsUnder(base: string, paths: string[]): URL[] {
  return paths.length > 0 ? paths.map((p) => joinUrl(base, p)) : [new URL(base)];
}
