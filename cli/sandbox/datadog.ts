// A loopback Datadog API for metric and monitor gates, answering what the installed @datadog/datadog-api-client
// sends to API v1 (https://docs.datadoghq.com/api/latest/):
//   GET /api/v1/query?from&to&query          QueryMetrics: MetricsQueryResponse {status, res_type, series: [{pointlist, scope, …}], …}
//   GET /api/v1/monitor/{monitor_id}         GetMonitor: a Monitor (query and type required), 404 when there is none
//   GET /api/v1/monitor?monitor_tags&page&page_size   ListMonitors: an array of Monitor
// Every request needs the stand-in's DD-API-KEY and DD-APPLICATION-KEY headers: Datadog answers 403 with its
// error body, {"errors": ["Forbidden"]}, otherwise. Errors are APIErrorResponse, {"errors": [<string>, …]}.
//
// The test drives the series: a query's value now (setValue) or from the Nth QueryMetrics call on (scheduleValue;
// no clock in the tests), several series for one query, a query Datadog refuses (400). Monitors are a small state
// machine the same way. Faults go through the FakeServer: 429 with Datadog's rate-limit headers
// (https://docs.datadoghq.com/api/latest/rate-limits/: X-RateLimit-Limit, -Period, -Remaining, -Reset, -Name),
// 5xx, malformed bodies, answers that never come.
import { randomBytes } from 'node:crypto';
import { type FakeServer, type RecordedRequest, sendJson, startFakeServer } from './server.js';

export type MonitorOverallState = 'Alert' | 'Warn' | 'No Data' | 'OK' | 'Ignored' | 'Skipped' | 'Unknown';

export interface FakeMonitor {
  id: number;
  name: string;
  tags: string[];
  state: MonitorOverallState;
  created: number;
  modified: number;
}

/** One series of a query's answer: its scope (the tags it is grouped by) and its value now. */
export interface FakeSeries {
  scope: string;
  /** null: the series has points, all null (an interval with nothing reported). */
  value: number | null;
  /** The newest point is null, as Datadog answers while the current interval's data is still arriving. */
  pendingLast?: boolean;
}

export interface FakeDatadog {
  server: FakeServer;
  url: string;
  apiKey: string;
  appKey: string;
  monitors: Map<number, FakeMonitor>;
  /** QueryMetrics calls answered (after faults and key checks), counted from 1. */
  queryCalls: number;
  /** Monitor reads answered, counted from 1. */
  monitorCalls: number;
  /** The query's one series now has this value (null: points without a value). */
  setValue(query: string, value: number | null, options?: { scope?: string; pendingLast?: boolean }): void;
  /** The query answers with these series (several series: a query not aggregated). */
  setSeries(query: string, series: FakeSeries[]): void;
  /** The query's value changes just before the `call`th QueryMetrics call is answered. */
  scheduleValue(query: string, call: number, value: number | null): void;
  /** The query is refused as Datadog refuses one it cannot parse: 400 with this error. */
  refuseQuery(query: string, error: string): void;
  addMonitor(id: number, name: string, state?: MonitorOverallState, tags?: string[]): FakeMonitor;
  setMonitorState(id: number, state: MonitorOverallState): void;
  /** The monitor changes state just before the `call`th monitor read is answered. */
  scheduleMonitorState(id: number, call: number, state: MonitorOverallState): void;
  /** The next `count` API requests are answered 429 with Datadog's rate-limit headers (reset in `resetS` seconds). */
  rateLimit(count: number, resetS?: number): void;
  /** The next `count` API requests are answered with this 5xx. */
  fail(count: number, status?: number): void;
  /** The next `count` API requests are answered 200 with a body that is not JSON. */
  malformed(count: number): void;
  /** The next `count` API requests are never answered. */
  hang(count: number): void;
  close(): Promise<void>;
}

const API = /^\/api\/v1\//;
const FORBIDDEN = { errors: ['Forbidden'] };
/** The interval of the points the stand-in answers with: one a minute, as a metric reported every minute has. */
const INTERVAL_S = 60;

export async function startFakeDatadog(): Promise<FakeDatadog> {
  const apiKey = randomBytes(16).toString('hex');
  const appKey = randomBytes(20).toString('hex');
  const series = new Map<string, FakeSeries[]>();
  const refused = new Map<string, string>();
  const scheduled: { query: string; call: number; value: number | null }[] = [];
  const monitors = new Map<number, FakeMonitor>();
  const scheduledStates: { id: number; call: number; state: MonitorOverallState }[] = [];
  let queryCalls = 0;
  let monitorCalls = 0;

  const setValue = (query: string, value: number | null, options: { scope?: string; pendingLast?: boolean } = {}) => {
    series.set(query, [{ scope: options.scope ?? '*', value, pendingLast: options.pendingLast ?? false }]);
  };

  const setMonitorState = (id: number, state: MonitorOverallState) => {
    const monitor = monitors.get(id);
    if (!monitor) throw new Error(`no monitor ${id}`);
    if (monitor.state !== state) monitor.modified = Date.now();
    monitor.state = state;
  };

  /** A series as QueryMetrics answers it: points a minute apart over [from, to], the last one the value now. */
  const seriesJson = (query: string, s: FakeSeries, from: number, to: number) => {
    const end = Math.floor(to / INTERVAL_S) * INTERVAL_S;
    const start = Math.max(from, end - 2 * INTERVAL_S);
    const pointlist: [number, number | null][] = [];
    for (let t = start; t <= end; t += INTERVAL_S) pointlist.push([t * 1000, s.value]);
    if (s.pendingLast) pointlist.push([(end + INTERVAL_S) * 1000, null]);
    const metric = /^[a-z]+:([A-Za-z0-9_.]+)/.exec(query)?.[1] ?? query;
    return {
      aggr: /^([a-z]+):/.exec(query)?.[1] ?? null,
      display_name: metric,
      end: end * 1000 + INTERVAL_S * 1000 - 1,
      expression: s.scope === '*' ? query : `${query} {${s.scope}}`,
      interval: INTERVAL_S,
      length: pointlist.length,
      metric,
      pointlist,
      query_index: 0,
      scope: s.scope,
      start: start * 1000,
      tag_set: s.scope === '*' ? [] : s.scope.split(','),
      unit: null,
    };
  };

  const query = (params: URLSearchParams, res: Parameters<Parameters<typeof startFakeServer>[0]>[1]) => {
    const q = params.get('query');
    const from = Number(params.get('from'));
    const to = Number(params.get('to'));
    if (!q || !params.has('from') || !params.has('to') || !Number.isInteger(from) || !Number.isInteger(to))
      return sendJson(res, 400, { errors: ["The parameters 'from', 'to' and 'query' are required"] });
    if (from > to) return sendJson(res, 400, { errors: ["'from' must be before 'to'"] });
    queryCalls++;
    for (const change of scheduled.filter((c) => c.call <= queryCalls)) setValue(change.query, change.value);
    scheduled.splice(0, scheduled.length, ...scheduled.filter((c) => c.call > queryCalls));
    const refusal = refused.get(q);
    if (refusal !== undefined) return sendJson(res, 400, { errors: [refusal] });
    sendJson(res, 200, {
      status: 'ok',
      res_type: 'time_series',
      query: q,
      from_date: from * 1000,
      to_date: to * 1000,
      series: (series.get(q) ?? []).map((s) => seriesJson(q, s, from, to)),
      message: '',
      group_by: [],
    });
  };

  const monitorJson = (m: FakeMonitor) => ({
    id: m.id,
    name: m.name,
    type: 'query alert',
    query: `sum(last_5m):sum:trace.http.request.errors{${m.tags.join(',') || '*'}}.as_count() > 50`,
    message: 'Error rate too high @slack-ops',
    tags: m.tags,
    options: { notify_no_data: false, thresholds: { critical: 50, warning: 20 }, silenced: {} },
    overall_state: m.state,
    created: new Date(m.created).toISOString(),
    modified: new Date(m.modified).toISOString(),
    creator: { email: 'ops@example.com', handle: 'ops@example.com', name: 'Ops' },
    multi: false,
    priority: null,
    restricted_roles: null,
    deleted: null,
  });

  const readMonitors = () => {
    monitorCalls++;
    for (const change of scheduledStates.filter((c) => c.call <= monitorCalls))
      setMonitorState(change.id, change.state);
    scheduledStates.splice(0, scheduledStates.length, ...scheduledStates.filter((c) => c.call > monitorCalls));
  };

  const server = await startFakeServer((req: RecordedRequest, res) => {
    const url = new URL(req.path, 'http://stand-in');
    if (req.headers['dd-api-key'] !== apiKey || req.headers['dd-application-key'] !== appKey)
      return sendJson(res, 403, FORBIDDEN);
    if (req.method !== 'GET') return sendJson(res, 405, { errors: ['Method Not Allowed'] });
    if (url.pathname === '/api/v1/query') return query(url.searchParams, res);
    const one = /^\/api\/v1\/monitor\/(\d+)$/.exec(url.pathname);
    if (one) {
      readMonitors();
      const monitor = monitors.get(Number(one[1]));
      return monitor ? sendJson(res, 200, monitorJson(monitor)) : sendJson(res, 404, { errors: ['Monitor not found'] });
    }
    if (url.pathname === '/api/v1/monitor') {
      readMonitors();
      const wanted = (url.searchParams.get('monitor_tags') ?? '')
        .split(',')
        .map((t) => t.trim())
        .filter(Boolean);
      const matching = [...monitors.values()]
        .filter((m) => wanted.every((t) => m.tags.includes(t)))
        .sort((a, b) => a.id - b.id);
      const page = url.searchParams.has('page') ? Number(url.searchParams.get('page')) : undefined;
      const size = Number(url.searchParams.get('page_size') ?? (page === undefined ? matching.length : 100));
      const shown = page === undefined ? matching : matching.slice(page * size, (page + 1) * size);
      return sendJson(res, 200, shown.map(monitorJson));
    }
    return sendJson(res, 404, { errors: ['Not found'] });
  });

  return {
    server,
    url: server.url,
    apiKey,
    appKey,
    monitors,
    get queryCalls() {
      return queryCalls;
    },
    get monitorCalls() {
      return monitorCalls;
    },
    setValue,
    setSeries(query, list) {
      series.set(query, list);
    },
    scheduleValue(query, call, value) {
      scheduled.push({ query, call, value });
    },
    refuseQuery(query, error) {
      refused.set(query, error);
    },
    addMonitor(id, name, state = 'OK', tags = []) {
      const now = Date.now();
      const monitor: FakeMonitor = { id, name, tags, state, created: now, modified: now };
      monitors.set(id, monitor);
      return monitor;
    },
    setMonitorState,
    scheduleMonitorState(id, call, state) {
      scheduledStates.push({ id, call, state });
    },
    rateLimit(count, resetS = 7) {
      server.inject(
        API,
        ...Array.from({ length: count }, () => ({
          kind: 'status' as const,
          status: 429,
          body: JSON.stringify({ errors: ['Rate limit exceeded'] }),
          headers: {
            'content-type': 'application/json',
            'x-ratelimit-limit': '100',
            'x-ratelimit-period': '10',
            'x-ratelimit-remaining': '0',
            'x-ratelimit-reset': String(resetS),
            'x-ratelimit-name': 'query_metrics',
          },
        })),
      );
    },
    fail(count, status = 503) {
      server.inject(
        API,
        ...Array.from({ length: count }, () => ({
          kind: 'status' as const,
          status,
          body: '<html><body><h1>503 Service Unavailable</h1></body></html>',
          headers: { 'content-type': 'text/html' },
        })),
      );
    },
    malformed(count) {
      server.inject(API, ...Array.from({ length: count }, () => ({ kind: 'malformed' as const })));
    },
    hang(count) {
      server.inject(API, ...Array.from({ length: count }, () => ({ kind: 'hang' as const })));
    },
    close: () => server.close(),
  };
}
