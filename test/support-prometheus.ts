// A real Prometheus for the metric-gate tests: Debian's `prometheus` binary, started on a free loopback port with
// a temporary config and TSDB, scraping every second a service the test runs. The service answers its own traffic
// (a share of it with 500, as the test sets) and exports the counts as http_requests_total{code}, as any
// instrumented service does; its /api/health always answers 200, so its HTTP checks pass whatever its traffic does.
// Nothing here sleeps to a result: readiness is /-/ready, the first scrapes are waited for by querying, each bounded.
import { type ChildProcess, spawn } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { Agent, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { closedPort } from '../cli/sandbox/ports.js';

/** The Prometheus binary: $PROMETHEUS, Debian's /usr/bin/prometheus, or one on the PATH; undefined when none is installed. */
export function prometheusBinary(): string | undefined {
  const candidates = [
    process.env.PROMETHEUS,
    '/usr/bin/prometheus',
    ...(process.env.PATH ?? '').split(delimiter).map((d) => join(d, 'prometheus')),
  ];
  for (const candidate of candidates) {
    if (!candidate) continue;
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not this one
    }
  }
  return undefined;
}

export const NO_PROMETHEUS =
  'Prometheus is not installed (apt-get install prometheus, or set PROMETHEUS to its binary; .ci/run installs it): the metric-gate tests against a real Prometheus are skipped';

/** Polls `probe` until it returns a value, at most `boundMs`; a short pause between tries, not a wait for a result. */
async function until<T>(what: string, boundMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const end = performance.now() + boundMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (performance.now() > end)
      throw new Error(`${what}: not within ${boundMs / 1000}s${last ? ` (last: ${String(last)})` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export interface QueryAnswer {
  status: string;
  errorType?: string;
  error?: string;
  data?: {
    resultType: string;
    result: { metric: Record<string, string>; value: [number, string] }[] | [number, string];
  };
}

export interface RealPrometheus {
  url: string;
  /** An instant query, answered as the HTTP API answers it (errors included). */
  query(expression: string): Promise<QueryAnswer>;
  /** Resolves once `expression` evaluates to one number (its series scraped often enough for its range). */
  waitForNumber(expression: string, boundMs?: number): Promise<number>;
  close(): Promise<void>;
  /** What Prometheus wrote to stderr (its log), for a failure's message. */
  log(): string;
}

/** Starts Prometheus scraping `targets` (host:port) every second as job "app", and waits until it is ready. */
export async function startPrometheus(binary: string, targets: string[]): Promise<RealPrometheus> {
  const dir = mkdtempSync(join(tmpdir(), 'prometheus-'));
  const config = join(dir, 'prometheus.yml');
  writeFileSync(
    config,
    [
      'global:',
      '  scrape_interval: 1s',
      '  evaluation_interval: 1s',
      'scrape_configs:',
      '  - job_name: app',
      '    static_configs:',
      `      - targets: [${targets.map((t) => JSON.stringify(t)).join(', ')}]`,
      '',
    ].join('\n'),
  );
  const port = await closedPort();
  const url = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(
    binary,
    [
      `--config.file=${config}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => {
    stderr = (stderr + c.toString()).slice(-20_000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let gone = false;
  void exited.then(() => {
    gone = true;
  });

  const query = async (expression: string): Promise<QueryAnswer> => {
    const response = await fetch(`${url}/api/v1/query`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ query: expression }).toString(),
    });
    return (await response.json()) as QueryAnswer;
  };
  const prometheus: RealPrometheus = {
    url,
    query,
    log: () => stderr,
    waitForNumber: (expression, boundMs = 30_000) =>
      until(`Prometheus answering ${expression} with a number`, boundMs, async () => {
        const answer = await query(expression);
        const result = answer.data?.result;
        if (answer.data?.resultType !== 'vector' || !Array.isArray(result) || result.length !== 1) return undefined;
        const value = Number((result[0] as { value: [number, string] }).value[1]);
        return Number.isNaN(value) ? undefined : value;
      }),
    close: async () => {
      if (!gone) child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
  try {
    await until('Prometheus ready (/-/ready)', 30_000, async () => {
      if (gone) throw new Error(`prometheus exited: ${stderr.slice(-2000)}`);
      const response = await fetch(`${url}/-/ready`);
      return response.ok ? true : undefined;
    });
    // The first scrape of every target: `up` is 1 for each.
    await until('the first scrape of the service', 30_000, async () => {
      const answer = await query('sum(up{job="app"})');
      const result = answer.data?.result;
      return Array.isArray(result) &&
        result.length === 1 &&
        Number((result[0] as { value: [number, string] }).value[1]) === targets.length
        ? true
        : undefined;
    });
  } catch (error) {
    await prometheus.close();
    throw error;
  }
  return prometheus;
}

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
