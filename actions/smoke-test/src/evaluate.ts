// Judges one response against a check: status, health verdict, body assertions, latency. Pure: the reasons it
// returns are the sentences the report, the summary and the annotations show.
import {
  BODY_LIMIT,
  bodyExcerpt,
  checkJsonAssertion,
  describeStatusRanges,
  type JsonAssertion,
  type StatusRange,
  statusMatches,
} from './expectations.js';
import { describeHealth, type HealthVerdict, readHealth } from './health.js';
import type { ProbeOutcome } from './probe.js';
import { appendAll } from '../../../shared/collections.js';

export interface Expectations {
  status: StatusRange[];
  json: JsonAssertion[];
  contains: string[];
  matches: RegExp[];
  maxLatencyMs?: number;
  /** 'auto' reads health responses it recognises; 'off' treats the body as any other. */
  health: 'auto' | 'off';
  /** Whether a health warn/degraded verdict passes (with a warning) or fails the check. */
  degraded: 'pass' | 'fail';
}

export interface Evaluation {
  passed: boolean;
  reasons: string[];
  warnings: string[];
  httpStatus?: number;
  health?: HealthVerdict;
  durationMs: number;
}

function parseJson(body: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(body) };
  } catch {
    return { ok: false };
  }
}

function looksLikeJson(contentType: string, body: string): boolean {
  return /[/+]json\b/i.test(contentType) || /^\s*[[{]/.test(body);
}

/**
 * Where a body assertion looked: the whole body, or its first MiB when the body was longer (probe.ts keeps that
 * much) — "not found" in a cut body says nothing about the rest, and the sentence must say so.
 */
function searched(outcome: { bodyBytes: number; bodyCut?: boolean }): string {
  return outcome.bodyCut
    ? ` in the first ${BODY_LIMIT / (1024 * 1024)} MiB (the body is ${outcome.bodyBytes} bytes; only that much is read, the rest was cut)`
    : '';
}

function bodyProblems(
  expect: Expectations,
  body: string,
  contentType: string,
  json: { ok: true; value: unknown } | { ok: false } | undefined,
  where: string,
): string[] {
  const problems: string[] = [];
  if (expect.json.length > 0) {
    if (!json?.ok) problems.push(`body is not JSON (content-type '${contentType || 'none'}'): ${bodyExcerpt(body)}`);
    else for (const assertion of expect.json) appendAll(problems, checkJsonAssertion(json.value, assertion));
  }
  for (const text of expect.contains)
    if (!body.includes(text))
      problems.push(`body does not contain ${JSON.stringify(text)}${where}; it starts: ${bodyExcerpt(body, 120)}`);
  for (const pattern of expect.matches)
    if (!pattern.test(body))
      problems.push(`body does not match /${pattern.source}/${where}; it starts: ${bodyExcerpt(body, 120)}`);
  return problems;
}

export function evaluate(expect: Expectations, outcome: ProbeOutcome): Evaluation {
  if (outcome.kind === 'failure')
    return { passed: false, reasons: [outcome.failure.message], warnings: [], durationMs: outcome.durationMs };
  const { status, body, contentType, durationMs } = outcome;
  const json =
    expect.health === 'auto' || expect.json.length > 0
      ? looksLikeJson(contentType, body)
        ? parseJson(body)
        : { ok: false as const }
      : undefined;
  const health = expect.health === 'auto' && json?.ok ? readHealth(json.value, contentType) : undefined;
  const reasons: string[] = [];
  const warnings: string[] = [];
  const statusOk = statusMatches(status, expect.status);

  if (health && health.status !== 'pass') {
    const text = `${describeHealth(health)} (HTTP ${status})`;
    if (health.status === 'fail') reasons.push(text);
    else if (expect.degraded === 'fail') reasons.push(`${text}; degraded counts as failed (degraded: fail)`);
    else warnings.push(`${text}; counted as passing (degraded: pass)`);
  }
  // A failing health verdict already explains a 503; anything else with the wrong status is reported as such.
  if (!statusOk && reasons.length === 0) {
    reasons.push(`unexpected HTTP ${status} (expected ${describeStatusRanges(expect.status)}): ${bodyExcerpt(body)}`);
  }
  // Body assertions on an error page only repeat that the status was wrong.
  if (statusOk) appendAll(reasons, bodyProblems(expect, body, contentType, json, searched(outcome)));
  if (expect.maxLatencyMs !== undefined && durationMs > expect.maxLatencyMs)
    reasons.push(`took ${Math.round(durationMs)} ms, over max-latency ${expect.maxLatencyMs} ms`);
  return {
    passed: reasons.length === 0,
    reasons,
    warnings,
    httpStatus: status,
    ...(health ? { health } : {}),
    durationMs,
  };
}
