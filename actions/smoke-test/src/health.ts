// Health responses understood without configuration: the IETF draft's application/health+json (pass/warn/fail,
// `checks`), Spring Boot Actuator (UP/DOWN, `components`), NestJS Terminus (ok/error, `info`/`error`/`details`)
// and the plain `{status: healthy|degraded|unhealthy, checks|services: {...}}` many apps write by hand.
// Every component that is not passing is named, so "unhealthy" comes with which dependency and why.
import { excerpt, inline } from '../../../shared/sanitise.js';

type HealthStatus = 'pass' | 'warn' | 'fail';
type HealthFormat = 'health+json' | 'spring' | 'terminus' | 'status-checks';

export interface HealthComponent {
  name: string;
  status: string;
  /** What the component said about itself (output, error, message), when it said anything. */
  detail?: string;
}

export interface HealthVerdict {
  format: HealthFormat;
  status: HealthStatus;
  /** The status word as the service wrote it. */
  reported: string;
  failing: HealthComponent[];
  warning: HealthComponent[];
}

const PASS = new Set(['pass', 'ok', 'up', 'healthy']);
const WARN = new Set(['warn', 'degraded', 'unknown']);
// Spring answers OUT_OF_SERVICE with 503 by default, Terminus `shutting_down` while draining: neither takes traffic.
const FAIL = new Set(['fail', 'error', 'down', 'unhealthy', 'out_of_service', 'shutting_down']);

function normalizeStatus(word: unknown): HealthStatus | undefined {
  if (typeof word !== 'string') return undefined;
  const key = word.toLowerCase();
  if (PASS.has(key)) return 'pass';
  if (WARN.has(key)) return 'warn';
  if (FAIL.has(key)) return 'fail';
  return undefined;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);

/** The first message of the entry or of its `details`, `details.details`, … (a loop: the depth is the server's). */
function detailOf(entry: Json): string | undefined {
  for (let level: unknown = entry; isObject(level); level = level.details) {
    for (const key of ['output', 'error', 'message', 'reason', 'description']) {
      const value = level[key];
      if (typeof value === 'string' && value) return excerpt(value, 201);
    }
  }
  return undefined;
}

function component(name: string, entry: Json): HealthComponent {
  const detail = detailOf(entry);
  return { name, status: String(entry.status), ...(detail ? { detail } : {}) };
}

/** IETF `checks: {"database:responseTime": [{componentId, status, output, …}]}`. */
function ietfComponents(checks: unknown): HealthComponent[] {
  if (!isObject(checks)) return [];
  const list: HealthComponent[] = [];
  for (const [key, entries] of Object.entries(checks)) {
    for (const entry of Array.isArray(entries) ? entries : [entries]) {
      if (!isObject(entry) || entry.status === undefined) continue;
      const id =
        typeof entry.componentId === 'string' && entry.componentId && !key.includes(entry.componentId)
          ? `${key} (${entry.componentId})`
          : key;
      list.push(component(id, entry));
    }
  }
  return list;
}

/** Spring `components: {db: {status, details}, diskSpace: …}`, nested groups flattened as `group.member`. */
function springComponents(components: unknown): HealthComponent[] {
  const list: HealthComponent[] = [];
  // A stack rather than recursion, as the nesting is the server's to choose; the next entry on top, so the list
  // keeps the document's order.
  type Pending = { group: unknown; prefix: string } | { name: string; entry: Json };
  const pending: Pending[] = [{ group: components, prefix: '' }];
  while (pending.length > 0) {
    const next = pending.pop() as Pending;
    if ('entry' in next) {
      list.push(component(next.name, next.entry));
      continue;
    }
    if (!isObject(next.group)) continue;
    const entries = Object.entries(next.group);
    for (let i = entries.length - 1; i >= 0; i--) {
      const [name, entry] = entries[i] as [string, unknown];
      if (!isObject(entry)) continue;
      if (isObject(entry.components)) pending.push({ group: entry.components, prefix: `${next.prefix}${name}.` });
      else if (entry.status !== undefined) pending.push({ name: `${next.prefix}${name}`, entry });
    }
  }
  return list;
}

/** Objects of `{name: {status, …}}`: Terminus `info`/`error`/`details`, the hand-written `checks`/`services`. */
function namedComponents(...groups: unknown[]): HealthComponent[] {
  const seen = new Map<string, HealthComponent>();
  for (const group of groups) {
    if (!isObject(group)) continue;
    for (const [name, entry] of Object.entries(group)) {
      if (isObject(entry) && entry.status !== undefined && !seen.has(name)) seen.set(name, component(name, entry));
    }
  }
  return [...seen.values()];
}

function detectFormat(body: Json, contentType: string): HealthFormat | undefined {
  const word = typeof body.status === 'string' ? body.status : '';
  if (/application\/health\+json/i.test(contentType)) return 'health+json';
  if (['UP', 'DOWN', 'OUT_OF_SERVICE', 'UNKNOWN'].includes(word)) return 'spring';
  if (
    ['ok', 'error', 'shutting_down'].includes(word) &&
    (isObject(body.info) || isObject(body.error) || isObject(body.details))
  )
    return 'terminus';
  if (['pass', 'warn', 'fail'].includes(word)) return 'health+json';
  if (normalizeStatus(word)) return 'status-checks';
  return undefined;
}

function componentsOf(format: HealthFormat, body: Json): HealthComponent[] {
  switch (format) {
    case 'health+json':
      return ietfComponents(body.checks);
    case 'spring':
      return springComponents(body.components ?? body.details);
    case 'terminus':
      return namedComponents(body.error, body.details, body.info);
    case 'status-checks':
      return namedComponents(body.checks, body.services, body.components);
  }
}

/**
 * The health verdict of a response, or undefined when the body is not a health response. The service's own word
 * decides (its aggregation rules are its own: one unhealthy dependency is "degraded" to some, "fail" to others),
 * except that a "pass" beside a failing or degraded component is only a warn; either way every component that is
 * not passing is named.
 */
export function readHealth(body: unknown, contentType: string): HealthVerdict | undefined {
  if (!isObject(body)) return undefined;
  const format = detectFormat(body, contentType);
  const overall = normalizeStatus(body.status);
  if (!format || !overall) return undefined;
  const components = componentsOf(format, body);
  const failing = components.filter((c) => normalizeStatus(c.status) === 'fail');
  const warning = components.filter((c) => normalizeStatus(c.status) === 'warn');
  const status: HealthStatus = overall === 'pass' && failing.length + warning.length > 0 ? 'warn' : overall;
  return { format, status, reported: String(body.status), failing, warning };
}

/** Names, statuses and details are the service's own text: each on one line and sanitised (see inline). */
function describeComponents(components: readonly HealthComponent[]): string {
  return components
    .map((c) => `${inline(c.name, 200)}: ${inline(c.status, 40)}${c.detail ? ` (${inline(c.detail, 201)})` : ''}`)
    .join('; ');
}

/** "health fail (status-checks, status 'degraded'): database: unhealthy (connection refused)". */
export function describeHealth(verdict: HealthVerdict): string {
  const named = [...verdict.failing, ...verdict.warning];
  return `health ${verdict.status} (${verdict.format}, status '${inline(verdict.reported, 40)}')${named.length > 0 ? `: ${describeComponents(named)}` : ''}`;
}
