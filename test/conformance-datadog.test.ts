// The official client is the judge: @datadog/datadog-api-client's v1 MetricsApi and MonitorsApi, configured with
// a base server at the loopback Datadog (cli/sandbox/datadog.ts), and its ObjectSerializer reading the stand-in's
// raw answers strictly — every field one the published specification declares (nothing left over in
// additionalProperties), every enum value one it knows (nothing _unparsed), every required field present. What
// the client makes of the answers is what shipline's Datadog gates read (shared/datadog.ts), so a stand-in that
// answered in another shape would fail here before it could flatter a gate.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import { createConfiguration } from '@datadog/datadog-api-client/dist/packages/datadog-api-client-common/configuration.js';
import { ApiException } from '@datadog/datadog-api-client/dist/packages/datadog-api-client-common/exception.js';
import { ServerConfiguration } from '@datadog/datadog-api-client/dist/packages/datadog-api-client-common/servers.js';
import { MetricsApi } from '@datadog/datadog-api-client/dist/packages/datadog-api-client-v1/apis/MetricsApi.js';
import { MonitorsApi } from '@datadog/datadog-api-client/dist/packages/datadog-api-client-v1/apis/MonitorsApi.js';
import { ObjectSerializer } from '@datadog/datadog-api-client/dist/packages/datadog-api-client-v1/models/ObjectSerializer.js';
import { type FakeDatadog, startFakeDatadog } from '../cli/sandbox/datadog.js';
import { closedPort } from '../cli/sandbox/ports.js';
import { DatadogClient, NoReading, QUERY_WINDOW_S } from '../shared/datadog.js';

let dd: FakeDatadog;

const ERRORS = 'sum:trace.http.request.errors{service:api}.as_count()';

const configuration = (apiKey = dd.apiKey, appKey = dd.appKey) =>
  createConfiguration({
    baseServer: new ServerConfiguration<Record<string, string>>(dd.url, {}),
    authMethods: { apiKeyAuth: apiKey, appKeyAuth: appKey },
    enableRetry: false,
  });

const client = (apiKey = dd.apiKey) =>
  new DatadogClient({ apiKey, appKey: dd.appKey, site: 'datadoghq.com', url: dd.url, timeoutMs: 5000 });

const signal = () => new AbortController().signal;

/** A raw answer of the stand-in, as the client's own deserialiser reads it: throws on a missing required field. */
async function raw(path: string, type: string): Promise<{ status: number; headers: Headers; value: unknown }> {
  const response = await fetch(`${dd.url}${path}`, {
    headers: { 'DD-API-KEY': dd.apiKey, 'DD-APPLICATION-KEY': dd.appKey },
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    value: ObjectSerializer.deserialize(ObjectSerializer.parse(text, 'application/json'), type),
  };
}

/** Every field the specification does not declare, and every value it does not know, anywhere in a deserialised answer. */
function undeclared(value: unknown, path = '$'): string[] {
  if (value === null || typeof value !== 'object') return [];
  if (Array.isArray(value)) return value.flatMap((v, i) => undeclared(v, `${path}[${i}]`));
  if (value instanceof Date) return [];
  const record = value as Record<string, unknown>;
  const found: string[] = [];
  if (record._unparsed) found.push(`${path}: a value the specification does not know`);
  if (record.additionalProperties && Object.keys(record.additionalProperties).length > 0)
    found.push(`${path}: undeclared ${Object.keys(record.additionalProperties).join(', ')}`);
  for (const [key, v] of Object.entries(record))
    if (key !== 'additionalProperties') found.push(...undeclared(v, `${path}.${key}`));
  return found;
}

beforeAll(async () => {
  dd = await startFakeDatadog();
});
afterAll(async () => {
  await dd.close();
});
beforeEach(() => {
  dd.monitors.clear();
  dd.server.clearFaults();
  dd.server.requests.length = 0;
});

describe('QueryMetrics through the official client', () => {
  test('the client sends GET /api/v1/query with from, to and query, and both keys as Datadog names them', async () => {
    dd.setValue(ERRORS, 3);
    await new MetricsApi(configuration()).queryMetrics({ from: 1_700_000_000, to: 1_700_000_300, query: ERRORS });
    const request = dd.server.requests[0]!;
    const url = new URL(request.path, 'http://x');
    expect(url.pathname).toBe('/api/v1/query');
    expect(Object.fromEntries(url.searchParams)).toEqual({ from: '1700000000', to: '1700000300', query: ERRORS });
    expect(request.headers['dd-api-key']).toBe(dd.apiKey);
    expect(request.headers['dd-application-key']).toBe(dd.appKey);
  });

  test('the answer is a MetricsQueryResponse the specification declares in full: one series, points a minute apart', async () => {
    dd.setValue(ERRORS, 0.25, { scope: 'service:api' });
    const { status, value } = await raw(
      `/api/v1/query?from=1700000000&to=1700000300&query=${encodeURIComponent(ERRORS)}`,
      'MetricsQueryResponse',
    );
    expect(status).toBe(200);
    expect(undeclared(value)).toEqual([]);
    const answer = value as { status: string; series: { pointlist: [number, number | null][]; scope: string }[] };
    expect(answer.status).toBe('ok');
    expect(answer.series).toHaveLength(1);
    expect(answer.series[0]!.scope).toBe('service:api');
    const points = answer.series[0]!.pointlist;
    expect(points.length).toBeGreaterThan(0);
    for (const [t, v] of points) {
      expect(t).toBeGreaterThanOrEqual(1_700_000_000_000);
      expect(t).toBeLessThanOrEqual(1_700_000_300_000);
      expect(v).toBe(0.25);
    }
  });

  test('a query nothing matches answers status ok with no series, as Datadog does', async () => {
    const answer = await new MetricsApi(configuration()).queryMetrics({ from: 1, to: 301, query: 'sum:nothing{*}' });
    expect(answer.status).toBe('ok');
    expect(answer.series).toEqual([]);
    expect(undeclared(answer)).toEqual([]);
  });

  test('a query Datadog refuses is 400 with an APIErrorResponse; the client throws it as an ApiException', async () => {
    dd.refuseQuery('sum:broken{', "Error parsing query: unable to parse sum:broken{: Rule 'scope_expr' didn't match");
    const error = await new MetricsApi(configuration())
      .queryMetrics({ from: 1, to: 301, query: 'sum:broken{' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiException);
    expect((error as ApiException<unknown>).code).toBe(400);
    expect(undeclared((error as ApiException<unknown>).body)).toEqual([]);
    expect((error as ApiException<{ errors: string[] }>).body.errors[0]).toContain('Error parsing query');
  });

  test('wrong keys are 403 {"errors": ["Forbidden"]}, deserialised as APIErrorResponse', async () => {
    const error = (await new MetricsApi(configuration('0'.repeat(32)))
      .queryMetrics({ from: 1, to: 301, query: ERRORS })
      .catch((e: unknown) => e)) as ApiException<{ errors: string[] }>;
    expect(error).toBeInstanceOf(ApiException);
    expect(error.code).toBe(403);
    expect(error.body.errors).toEqual(['Forbidden']);
    const wrongApp = (await new MetricsApi(configuration(dd.apiKey, 'nope'))
      .queryMetrics({ from: 1, to: 301, query: ERRORS })
      .catch((e: unknown) => e)) as ApiException<unknown>;
    expect(wrongApp.code).toBe(403);
  });

  test("429 carries Datadog's rate-limit headers and an APIErrorResponse", async () => {
    dd.rateLimit(1, 9);
    const answer = await fetch(`${dd.url}/api/v1/query?from=1&to=2&query=x`, {
      headers: { 'DD-API-KEY': dd.apiKey, 'DD-APPLICATION-KEY': dd.appKey },
    });
    expect(answer.status).toBe(429);
    for (const header of [
      'x-ratelimit-limit',
      'x-ratelimit-period',
      'x-ratelimit-remaining',
      'x-ratelimit-reset',
      'x-ratelimit-name',
    ])
      expect({ header, present: answer.headers.has(header) }).toEqual({ header, present: true });
    expect(answer.headers.get('x-ratelimit-reset')).toBe('9');
    const body = ObjectSerializer.deserialize(await answer.json(), 'APIErrorResponse');
    expect(undeclared(body)).toEqual([]);
  });
});

describe('Monitors through the official client', () => {
  test('GetMonitor: a Monitor with every required field, its overall_state one the client knows, dates as Dates', async () => {
    dd.addMonitor(1234, 'API error rate', 'Alert', ['service:api', 'env:production']);
    const { value } = await raw('/api/v1/monitor/1234', 'Monitor');
    expect(undeclared(value)).toEqual([]);
    const monitor = await new MonitorsApi(configuration()).getMonitor({ monitorId: 1234 });
    expect(monitor.id).toBe(1234);
    expect(monitor.overallState).toBe('Alert');
    expect(monitor.type).toBe('query alert');
    expect(monitor.created).toBeInstanceOf(Date);
    expect(monitor.tags).toEqual(['service:api', 'env:production']);
  });

  test('every overall state the stand-in can be in is one the specification enumerates', async () => {
    const states = ['Alert', 'Warn', 'No Data', 'OK', 'Ignored', 'Skipped', 'Unknown'] as const;
    states.forEach((s, i) => dd.addMonitor(100 + i, `m${i}`, s, ['team:web']));
    const { value } = await raw('/api/v1/monitor?monitor_tags=team:web', 'Array<Monitor>');
    expect(undeclared(value)).toEqual([]);
    expect((value as { overallState: string }[]).map((m) => m.overallState)).toEqual([...states]);
  });

  test('an unknown monitor is 404 with an APIErrorResponse', async () => {
    const error = (await new MonitorsApi(configuration())
      .getMonitor({ monitorId: 999 })
      .catch((e: unknown) => e)) as ApiException<{ errors: string[] }>;
    expect(error).toBeInstanceOf(ApiException);
    expect(error.code).toBe(404);
    expect(error.body.errors).toEqual(['Monitor not found']);
  });

  test('ListMonitors filters by every monitor tag given and pages with page and page_size', async () => {
    dd.addMonitor(1, 'a', 'OK', ['service:api', 'env:production']);
    dd.addMonitor(2, 'b', 'OK', ['service:api', 'env:staging']);
    dd.addMonitor(3, 'c', 'OK', ['service:api', 'env:production']);
    const api = new MonitorsApi(configuration());
    const all = await api.listMonitors({ monitorTags: 'service:api,env:production' });
    expect(all.map((m) => m.id)).toEqual([1, 3]);
    const first = await api.listMonitors({ monitorTags: 'service:api', page: 0, pageSize: 2 });
    const second = await api.listMonitors({ monitorTags: 'service:api', page: 1, pageSize: 2 });
    expect([first.map((m) => m.id), second.map((m) => m.id)]).toEqual([[1, 2], [3]]);
    const url = new URL(dd.server.requests.at(-1)!.path, 'http://x');
    expect(Object.fromEntries(url.searchParams)).toEqual({ monitor_tags: 'service:api', page: '1', page_size: '2' });
  });
});

describe("shipline's reader (shared/datadog.ts) against the stand-in", () => {
  test('reads the last non-null point of the one series over the last five minutes', async () => {
    // The newest interval is still null, as Datadog answers while its data arrives.
    dd.setValue(ERRORS, 0.5, { pendingLast: true });
    expect(await client().queryValue(ERRORS, signal(), 1_700_000_000_000)).toBe(0.5);
    const url = new URL(dd.server.requests.at(-1)!.path, 'http://x');
    expect(Number(url.searchParams.get('to')) - Number(url.searchParams.get('from'))).toBe(QUERY_WINDOW_S);
    expect(url.searchParams.get('to')).toBe('1700000000');
  });

  test('a value scheduled for the Nth query shows on that call', async () => {
    dd.setValue(ERRORS, 0.01);
    dd.scheduleValue(ERRORS, dd.queryCalls + 2, 0.3);
    const reader = client();
    expect(await reader.queryValue(ERRORS, signal())).toBe(0.01);
    expect(await reader.queryValue(ERRORS, signal())).toBe(0.3);
  });

  test('no series, several series, or points without a value: no reading, saying why', async () => {
    await expect(client().queryValue('sum:nothing{*}', signal())).rejects.toThrow(NoReading);
    await expect(client().queryValue('sum:nothing{*}', signal())).rejects.toThrow(
      /no data: the query returned no series/,
    );
    dd.setSeries('sum:x{*} by {host}', [
      { scope: 'host:a', value: 1 },
      { scope: 'host:b', value: 2 },
    ]);
    await expect(client().queryValue('sum:x{*} by {host}', signal())).rejects.toThrow(
      /returned 2 series, not one: host:a, host:b/,
    );
    dd.setValue('sum:gap{*}', null);
    await expect(client().queryValue('sum:gap{*}', signal())).rejects.toThrow(/has no point over the last 5 minutes/);
  });

  test("Datadog's errors are named: 403, a refused query, 429 with its reset, 5xx, a malformed body, no server", async () => {
    await expect(client('f'.repeat(32)).queryValue(ERRORS, signal())).rejects.toThrow(
      /Datadog QueryMetrics: HTTP 403: Forbidden \(check datadog-api-key and datadog-app-key/,
    );
    dd.refuseQuery('sum:bad{', 'Error parsing query');
    await expect(client().queryValue('sum:bad{', signal())).rejects.toThrow(
      'Datadog QueryMetrics: HTTP 400: Error parsing query',
    );
    dd.rateLimit(1, 9);
    await expect(client().queryValue(ERRORS, signal())).rejects.toThrow(
      'HTTP 429: Rate limit exceeded (rate limited on query_metrics; X-RateLimit-Reset 9s: the next tick asks again)',
    );
    dd.fail(1, 503);
    await expect(client().queryValue(ERRORS, signal())).rejects.toThrow(/Datadog QueryMetrics: HTTP 503/);
    dd.malformed(1);
    await expect(client().queryValue(ERRORS, signal())).rejects.toThrow(/not the JSON the API documents/);
    const down = new DatadogClient({
      apiKey: 'k',
      appKey: 'a',
      site: 'datadoghq.com',
      url: `http://127.0.0.1:${await closedPort()}`,
      timeoutMs: 2000,
    });
    await expect(down.queryValue(ERRORS, signal())).rejects.toThrow(/ECONNREFUSED/);
  });

  test('monitors by id and by tags; an unknown id is a 404 named; a tag query reads every page', async () => {
    dd.addMonitor(7, 'API errors', 'Alert', ['service:api']);
    expect(await client().monitor(7, signal())).toEqual({ id: 7, name: 'API errors', state: 'Alert' });
    await expect(client().monitor(8, signal())).rejects.toThrow('Datadog GetMonitor: HTTP 404: Monitor not found');
    for (let i = 1; i <= 150; i++) dd.addMonitor(1000 + i, `m${i}`, 'OK', ['team:many']);
    const read = await client().monitorsTagged('team:many', signal());
    expect(read.monitors).toHaveLength(150);
    expect(read.truncated).toBe(false);
  });
});
