// One instant query against a Prometheus-compatible HTTP API (Prometheus, Grafana Cloud / Mimir, VictoriaMetrics,
// Amazon Managed Prometheus through a signing proxy): POST <base>/api/v1/query with the expression form-encoded,
// as the HTTP API documents (https://prometheus.io/docs/prometheus/latest/querying/api/#instant-queries: POST with
// Content-Type application/x-www-form-urlencoded takes the same parameters and suits long queries). A gate reads
// one number, so anything but one number is no reading: the answer says why, in words the reader acts on.
import { ProviderError } from './errors.js';
import { requestJson } from './http.js';
import { inline } from './sanitise.js';

export interface PrometheusConfig {
  /** The base URL the API lives under: `<url>/api/v1/query` is queried (a path prefix such as Mimir's /prometheus is kept). */
  url: string;
  /** Sent with every query (a bearer token, a tenant header): secrets, never logged. */
  headers: Record<string, string>;
  /** The bound on one query. */
  timeoutMs: number;
  fetch?: typeof fetch;
}

const PROVIDER = 'Prometheus';

/** The API's envelope (same page, "Format overview"): errors carry errorType and error, with HTTP 400, 422 or 503. */
interface Envelope {
  status?: unknown;
  errorType?: unknown;
  error?: unknown;
  data?: { resultType?: unknown; result?: unknown };
}

interface Sample {
  metric?: Record<string, string>;
  value?: [number, string];
}

/** Why a query had no single number, for the gate's "inconclusive". Thrown by instantQuery. */
export class NoReading extends Error {}

/** A series' labels as PromQL writes them: {code="500", job="api"}. */
function labelsOf(metric: Record<string, string> | undefined): string {
  const entries = Object.entries(metric ?? {});
  return `{${entries.map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(', ')}}`;
}

/** Prometheus writes sample values as strings: "0.2", "NaN", "+Inf", "-Inf". */
function sampleValue(text: unknown): number {
  if (text === '+Inf' || text === 'Inf') return Number.POSITIVE_INFINITY;
  if (text === '-Inf') return Number.NEGATIVE_INFINITY;
  return typeof text === 'string' && text.trim() !== '' ? Number(text) : Number.NaN;
}

function reasonOf(body: unknown, status: number): string | undefined {
  const envelope = body as Envelope | undefined;
  if (envelope?.status === 'error')
    return `${inline(envelope.errorType ?? 'error', 60)}: ${inline(envelope.error ?? '(no error text)', 500)}`;
  if (status >= 300) return `HTTP ${status}`;
  return undefined;
}

/**
 * The expression's value now: the one sample of a one-series instant vector, or a scalar. Throws NoReading for an
 * empty vector, several series (named), NaN, another result type; a ProviderError for the API's own error (its
 * errorType and error, verbatim); a NetworkError when no answer came.
 */
export async function instantQuery(
  config: PrometheusConfig,
  expression: string,
  signal?: AbortSignal,
): Promise<number> {
  const { data } = await requestJson<Envelope>(
    `${config.url.replace(/\/+$/, '')}/api/v1/query`,
    {
      label: 'Prometheus query',
      method: 'POST',
      headers: { ...config.headers, accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ query: expression }).toString(),
      // A query changes nothing: it may be sent again. Each tick asks once; the next tick is the retry.
      idempotent: true,
      retry: { retries: 0 },
      timeoutMs: config.timeoutMs,
      signal,
      ...(config.fetch ? { fetch: config.fetch } : {}),
    },
    {
      provider: PROVIDER,
      action: 'query',
      errorMessage: (body, status) => reasonOf(body, status),
      // A proxy's error page (not JSON) is still the reason: requestJson quotes it under its status.
      emptyIsObject: false,
    },
  );
  if (data?.status !== 'success' || typeof data.data !== 'object' || data.data === null)
    throw new ProviderError(PROVIDER, `malformed answer to query (no status "success" with data)`, { action: 'query' });
  const { resultType, result } = data.data;
  if (resultType === 'scalar') {
    const value = sampleValue((result as [number, string] | undefined)?.[1]);
    if (Number.isNaN(value)) throw new NoReading('the query returned NaN');
    return value;
  }
  if (resultType !== 'vector')
    throw new NoReading(
      `the query returned a ${inline(resultType, 20)}, not one number (an instant vector of one series, or a scalar)`,
    );
  const samples = Array.isArray(result) ? (result as Sample[]) : [];
  if (samples.length === 0)
    throw new NoReading(
      'no data: the query returned an empty result (no series match it: a metric or label name misspelt, or nothing exported yet)',
    );
  if (samples.length > 1) {
    const shown = samples.slice(0, 3).map((s) => labelsOf(s.metric));
    throw new NoReading(
      `the query returned ${samples.length} series, not one: ${shown.join(', ')}${samples.length > 3 ? ', …' : ''} (aggregate them, e.g. with sum(…))`,
    );
  }
  const value = sampleValue((samples[0] as Sample).value?.[1]);
  if (Number.isNaN(value))
    throw new NoReading(
      `the query returned NaN for ${labelsOf((samples[0] as Sample).metric)} (0/0: no traffic in the range, say)`,
    );
  return value;
}
