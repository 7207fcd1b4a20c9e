// A real Prometheus for the metric-gate tests (started by cli/sandbox/prometheus.ts), scraping every second a
// service the test runs. The service answers its own traffic (a share of it with 500, as the test sets) and exports
// the counts as http_requests_total{code}, as any instrumented service does; its /api/health always answers 200,
// so its HTTP checks pass whatever its traffic does.
import { createServer, type Server } from 'node:http';
import { Agent, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';

export { prometheusBinary, type QueryAnswer, type RealPrometheus, startPrometheus } from '../cli/sandbox/prometheus.js';

export const NO_PROMETHEUS =
  'Prometheus is not installed (apt-get install prometheus, or set PROMETHEUS to its binary; .ci/run installs it): the metric-gate tests against a real Prometheus are skipped';

export interface InstrumentedService {
  url: string;
  /** host:port, for a scrape target. */
  target: string;
  /** Every nth request of /api/orders answers 500 (0: none). */
  failEvery: number;
  counts: { ok: number; failed: number };
  /** Sends requests to /api/orders at a steady pace until stopTraffic. */
  startTraffic(everyMs?: number): void;
  stopTraffic(): void;
  close(): Promise<void>;
}

/**
 * A service with real traffic: /api/orders answers every `failEvery`th request with 500, /api/health always 200,
 * and /metrics exports both counters (the 500 series from zero, as a service that registers its labels up front),
 * and app_info{release} 1 for each of `releases` (a build-info metric, as a gate on ${release} reads).
 */
export async function startInstrumentedService(failEvery = 0, releases: string[] = []): Promise<InstrumentedService> {
  const counts = { ok: 0, failed: 0 };
  let orders = 0;
  const server: Server = createServer((req, res) => {
    if (req.url === '/metrics') {
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
      res.end(
        [
          '# HELP http_requests_total Requests answered, by status code.',
          '# TYPE http_requests_total counter',
          `http_requests_total{code="200"} ${counts.ok}`,
          `http_requests_total{code="500"} ${counts.failed}`,
          ...(releases.length > 0
            ? ['# TYPE app_info gauge', ...releases.map((r) => `app_info{release=${JSON.stringify(r)}} 1`)]
            : []),
          '',
        ].join('\n'),
      );
      return;
    }
    if (req.url === '/api/health') {
      counts.ok++;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"status":"pass"}');
      return;
    }
    orders++;
    const fail = service.failEvery > 0 && orders % service.failEvery === 0;
    if (fail) counts.failed++;
    else counts.ok++;
    res.writeHead(fail ? 500 : 200, { 'content-type': 'application/json' });
    res.end(fail ? '{"error":"boom"}' : '{"orders":[]}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const agent = new Agent({ keepAlive: true, maxSockets: 4 });
  let timer: NodeJS.Timeout | undefined;
  const service: InstrumentedService = {
    url: `http://127.0.0.1:${port}`,
    target: `127.0.0.1:${port}`,
    failEvery,
    counts,
    startTraffic(everyMs = 20) {
      timer ??= setInterval(() => {
        const req = httpRequest({ host: '127.0.0.1', port, path: '/api/orders', agent }, (res) => res.resume());
        req.on('error', () => undefined);
        req.end();
      }, everyMs);
    },
    stopTraffic() {
      clearInterval(timer);
      timer = undefined;
    },
    close: async () => {
      service.stopTraffic();
      agent.destroy();
      // Prometheus keeps its scrape connection alive: close it too, or close() waits for it.
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return service;
}
