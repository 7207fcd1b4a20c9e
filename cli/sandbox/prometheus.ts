// A real Prometheus on loopback: Debian's `prometheus` binary (or $PROMETHEUS), started on a free port with a
// temporary config and TSDB, scraping the given targets every second. The metric-gate tests and the bake demo use
// it; nothing here fakes Prometheus, and where it is not installed the callers say so and go without.
// Nothing here sleeps to a result: readiness is /-/ready, the first scrapes are waited for by querying, each bounded.
import { type ChildProcess, spawn } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { closedPort } from './ports.js';

/**
 * The Prometheus binary: $PROMETHEUS when it is set (only it: naming one that does not run means none, so a run can
 * be told to go without), else Debian's /usr/bin/prometheus or one on the PATH; undefined when none is installed.
 */
export function prometheusBinary(): string | undefined {
  const chosen = process.env.PROMETHEUS;
  const candidates = chosen
    ? [chosen]
    : ['/usr/bin/prometheus', ...(process.env.PATH ?? '').split(delimiter).map((d) => join(d, 'prometheus'))];
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
