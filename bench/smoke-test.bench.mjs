// smoke-test: 50 checks × 20 latency samples against a local server that answers in a fixed 20 ms, the server in
// its own process so it never shares an event loop with the client being measured. Reports
//  (a) the bundle's wall time for the checks as a ratio to the ideal — ceil(checks ÷ concurrency) rounds of
//      samples × the slowest check's true sample time — goal ≤ 1.3×;
//  (b) the p50 the action measured minus the server's own (true) p50, goal ≤ 1 ms;
//  (c) the same requests the way the popular curl-based health-check action makes them (sequential
//      `curl --fail --retry`, one process per request), for comparison;
//  (d) why node:http: the latency each HTTP client adds per request, on keep-alive connections, in one process;
//  (e) what a Prometheus metric gate costs per bake-window tick: one tick of the window's own loop (watchWindow, in
//      this process) with one HTTP check and N = 0, 1, 5, 20 gates against a real Prometheus (Debian's
//      /usr/bin/prometheus, or $PROMETHEUS), as requests per tick (counted by Prometheus and the service) and ms per
//      tick, each against the tick with no gate. BENCH_SMOKE_ONLY=gates runs only (e).
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest, Agent } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:http';
import { performance } from 'node:perf_hooks';
import { loadTypeScript, median, node, printTable, root } from './common.mjs';

const CHECKS = Number(process.env.BENCH_CHECKS ?? 50);
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 20);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 10);
const RUNS = Number(process.env.BENCH_SMOKE_RUNS ?? 3);
const LATENCY_MS = 20;
const WALL_GOAL = 1.3;
const OVERHEAD_GOAL_MS = 1;

// The server: answers every path after LATENCY_MS, and records how long it held each request (from its arrival to
// the last byte written): the true latency the client's measurements are compared with.
const SERVER = `
import { createServer } from 'node:http';
const latency = ${LATENCY_MS};
const body = JSON.stringify({ status: 'pass', checks: { 'db:responseTime': [{ status: 'pass', observedValue: 3 }] } });
let samples = [];
const server = createServer((req, res) => {
  const start = process.hrtime.bigint();
  if (req.url === '/__stats') {
    res.writeHead(200, { 'content-type': 'application/json' });
    return res.end(JSON.stringify(samples));
  }
  if (req.url === '/__reset') { samples = []; return res.end(); }
  setTimeout(() => {
    res.writeHead(200, { 'content-type': 'application/health+json', 'content-length': Buffer.byteLength(body) });
    res.end(body, () => samples.push([req.url, Number(process.hrtime.bigint() - start) / 1e6]));
  }, latency);
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => console.log(server.address().port));
`;

function startServer() {
  const child = spawn(node, ['--input-type=module', '-e', SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve) =>
    child.stdout.once('data', (d) => resolve({ child, url: `http://127.0.0.1:${String(d).trim()}` })),
  );
}

async function serverSamples(url) {
  const samples = await (await fetch(`${url}/__stats`)).json();
  await fetch(`${url}/__reset`);
  return samples;
}

/** The server's true median, and the slowest path's mean: the "slowest check's sample time" of the ideal. */
function serverTruth(samples) {
  const byPath = new Map();
  for (const [path, ms] of samples) byPath.set(path, [...(byPath.get(path) ?? []), ms]);
  const means = [...byPath.values()].map((list) => list.reduce((a, b) => a + b, 0) / list.length);
  return { median: median(samples.map(([, ms]) => ms)), slowestMean: Math.max(...means), count: samples.length };
}

function parseOutputs(text) {
  const outputs = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const match = /^([^=<]+)<<(.+)$/.exec(lines[i]);
    if (!match) continue;
    const body = [];
    for (i++; i < lines.length && lines[i] !== match[2]; i++) body.push(lines[i]);
    outputs[match[1]] = body.join('\n');
  }
  return outputs;
}

/** The action's bundle, run as the runner runs it; returns its report. */
function runBundle(url, checkCount = CHECKS, concurrency = CONCURRENCY) {
  const work = mkdtempSync(join(tmpdir(), 'smoke-bench-'));
  const output = join(work, 'output');
  writeFileSync(output, '');
  const checks = Array.from({ length: checkCount }, (_, i) => ({
    name: `check ${i + 1}`,
    url: `${url}/check/${i + 1}`,
  }));
  const started = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const child = spawn(node, [join(root, 'dist/smoke-test/index.js')], {
      env: {
        PATH: process.env.PATH,
        GITHUB_OUTPUT: output,
        INPUT_CHECKS: JSON.stringify(checks),
        INPUT_SAMPLES: String(SAMPLES),
        INPUT_THRESHOLDS: 'p(95)<1000',
        INPUT_CONCURRENCY: String(concurrency),
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    child.on('close', (code) => {
      const processMs = Number(process.hrtime.bigint() - started) / 1e6;
      const outputs = parseOutputs(readFileSync(output, 'utf8'));
      rmSync(work, { recursive: true, force: true });
      if (code !== 0 || !outputs.report) return reject(new Error(`smoke-test bundle exited ${code}`));
      resolve({ report: JSON.parse(outputs.report), processMs });
    });
  });
}

/** The peer's way: one `curl --fail --retry` process per request, one after another. */
function runCurl(url) {
  const times = [];
  const started = process.hrtime.bigint();
  for (let c = 1; c <= CHECKS; c++) {
    for (let s = 0; s <= SAMPLES; s++) {
      const result = spawnSync(
        'curl',
        [
          '--fail',
          '--silent',
          '--retry',
          '3',
          '--retry-delay',
          '1',
          '-o',
          '/dev/null',
          '-w',
          '%{time_total}',
          `${url}/check/${c}`,
        ],
        { encoding: 'utf8' },
      );
      if (result.status !== 0) throw new Error(`curl exited ${result.status}`);
      if (s > 0) times.push(Number(result.stdout) * 1000);
    }
  }
  return { wallMs: Number(process.hrtime.bigint() - started) / 1e6, p50: median(times) };
}

function viaNodeHttp(url, agent) {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const req = httpRequest(`${url}/client`, { agent }, (res) => {
      res.on('data', () => undefined);
      res.on('end', () => resolve(Number(process.hrtime.bigint() - start) / 1e6));
    });
    req.on('error', reject);
    req.end();
  });
}

async function viaFetch(url) {
  const start = process.hrtime.bigint();
  const response = await fetch(`${url}/client`);
  await response.arrayBuffer();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** The floor for any Node client: a bare TCP socket writing the request and timing until the response is in. */
function rawSocketClient(url) {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  socket.setNoDelay(true);
  const send = () =>
    new Promise((resolve) => {
      let received = '';
      const start = process.hrtime.bigint();
      const onData = (chunk) => {
        received += chunk;
        const head = received.indexOf('\r\n\r\n');
        const length = Number(/content-length: (\d+)/i.exec(received)?.[1] ?? -1);
        if (head < 0 || length < 0 || Buffer.byteLength(received) - head - 4 < length) return;
        socket.off('data', onData);
        resolve(Number(process.hrtime.bigint() - start) / 1e6);
      };
      socket.on('data', onData);
      socket.write('GET /client HTTP/1.1\r\nHost: bench\r\nConnection: keep-alive\r\n\r\n');
    });
  return { send, close: () => socket.destroy() };
}

async function clientOverhead(url, send, count = 200) {
  await send(); // the connection, outside the measurement
  await serverSamples(url);
  const client = [];
  for (let i = 0; i < count; i++) client.push(await send());
  const server = (await serverSamples(url)).map(([, ms]) => ms);
  return { p50: median(client), overhead: median(client) - median(server) };
}

const GATE_COUNTS = [0, 1, 5, 20];
const GATE_TICKS = Number(process.env.BENCH_GATE_TICKS ?? 30);

/** Prometheus's own count of the instant queries it answered, from its /metrics (which no query changes). */
async function queriesAnswered(prometheusUrl) {
  const text = await (await fetch(`${prometheusUrl}/metrics`)).text();
  return [...text.matchAll(/^prometheus_http_requests_total\{[^}]*handler="\/api\/v1\/query"[^}]*\} (\S+)$/gm)].reduce(
    (sum, m) => sum + Number(m[1]),
    0,
  );
}

/** (e) One bake-window tick with N metric gates against a real Prometheus, against the tick with none. */
async function gateTickBench() {
  const product = await loadTypeScript('bench/watch-tick-entry.ts', 'watch-tick');
  const binary = product.prometheusBinary();
  if (!binary) {
    console.log('\nPrometheus is not installed (apt-get install prometheus, or set PROMETHEUS): (e) skipped.');
    return;
  }
  // The service: its health check, and its request counters for Prometheus to scrape.
  const counts = { health: 0, ok: 0, failed: 0 };
  const service = createServer((req, res) => {
    if (req.url === '/metrics') {
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
      counts.ok += 19;
      counts.failed += 1;
      return res.end(
        `# TYPE http_requests_total counter\nhttp_requests_total{code="200"} ${counts.ok}\nhttp_requests_total{code="500"} ${counts.failed}\n`,
      );
    }
    counts.health += 1;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"status":"pass"}');
  });
  await new Promise((resolve) => service.listen(0, '127.0.0.1', resolve));
  const target = `127.0.0.1:${service.address().port}`;
  const prometheus = await product.startPrometheus(binary, [target]);
  try {
    const gate = (i) =>
      `sum(rate(http_requests_total{code=~"5.."}[${10 + i}s])) / sum(rate(http_requests_total[${10 + i}s])) < 0.1`;
    await prometheus.waitForNumber(gate(0).replace(/ < 0\.1$/, ''));
    const rows = [];
    for (const n of GATE_COUNTS) {
      const values = {
        mode: 'watch',
        'base-url': `http://${target}`,
        paths: '/api/health',
        timeout: '5s',
        'watch-fail-after': '2',
        'gates-no-data': 'fail',
        'max-error-rate': '30%',
        ...(n > 0
          ? {
              'prometheus-url': prometheus.url,
              'prometheus-gates': Array.from({ length: n }, (_, i) => gate(i)).join('\n'),
            }
          : {}),
      };
      const inputs = product.readSmokeTestInputs((name) => values[name] ?? '');
      const { checks } = product.checksFromInputs(inputs);
      const gates = product.metricGatesFromInputs(inputs);
      if (gates.length !== n) throw new Error(`${gates.length} gates built, ${n} asked`);
      const connections = new product.Connections();
      const runtime = {
        connections,
        tlsFor: () => ({ insecure: false }),
        now: () => performance.now(),
        sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
      };
      // One tick per window (a window as long as its interval plans one), as the loop runs it: the check and the
      // gates at once; the window ends after its one tick, without waiting for the interval.
      const tick = async () => {
        const started = performance.now();
        const write = process.stdout.write;
        process.stdout.write = () => true; // the window logs each tick
        try {
          const result = await product.watchWindow(
            checks,
            [],
            gates,
            {
              windowMs: 60_000,
              intervalMs: 60_000,
              failAfter: 2,
              maxErrorRate: 0.3,
              hardEndAt: started + 70_000,
              concurrency: 8,
              gateTimeoutMs: 5_000,
            },
            runtime,
          );
          if (result.ticks !== 1 || result.gates.some((g) => g.ticks[0]?.error !== undefined))
            throw new Error(`tick: ${JSON.stringify(result.gates.map((g) => g.ticks[0]))}`);
          return performance.now() - started;
        } finally {
          process.stdout.write = write;
        }
      };
      await tick(); // the connections, outside the measurement
      const queriesBefore = await queriesAnswered(prometheus.url);
      const healthBefore = counts.health;
      const times = [];
      for (let i = 0; i < GATE_TICKS; i++) times.push(await tick());
      const queries = (await queriesAnswered(prometheus.url)) - queriesBefore;
      connections.close();
      rows.push({
        n,
        ms: median(times),
        queries: queries / GATE_TICKS,
        checks: (counts.health - healthBefore) / GATE_TICKS,
      });
    }
    const base = rows[0];
    console.log(
      `\nWhat a metric gate costs per bake-window tick: ${GATE_TICKS} ticks of the window's loop per row (median ms), one HTTP check, N error-rate gates read from a real Prometheus (${binary}) on loopback scraping the service every second:\n`,
    );
    printTable(
      [
        'gates per tick',
        'requests per tick (Prometheus + service)',
        'ms per tick (median)',
        'ratio to no gate',
        'ms per gate over no gate',
      ],
      rows.map((r) => [
        String(r.n),
        `${(r.queries + r.checks).toFixed(1)} (${r.queries.toFixed(1)} + ${r.checks.toFixed(1)})`,
        r.ms.toFixed(2),
        `${(r.ms / base.ms).toFixed(2)}×`,
        r.n === 0 ? '–' : ((r.ms - base.ms) / r.n).toFixed(2),
      ]),
    );
  } finally {
    await prometheus.close();
    service.closeAllConnections();
    await new Promise((resolve) => service.close(resolve));
  }
}

export default async function smokeTestBench() {
  if (process.env.BENCH_SMOKE_ONLY === 'gates') return gateTickBench();
  await checksBench();
  await gateTickBench();
}

async function checksBench() {
  const { child, url } = await startServer();
  try {
    await serverSamples(url);
    // Three runs, each compared with its own ideal and true latency; the median run is reported (a shared
    // 2-core machine is noisy).
    const runs = [];
    for (let i = 0; i < RUNS; i++) {
      const { report, processMs } = await runBundle(url);
      const truth = serverTruth(await serverSamples(url));
      if (!report.passed || truth.count !== CHECKS * (SAMPLES + 1))
        throw new Error(`unexpected run: passed ${report.passed}, ${truth.count} requests`);
      const ideal = Math.ceil(CHECKS / CONCURRENCY) * SAMPLES * truth.slowestMean;
      runs.push({
        report,
        processMs,
        truth,
        ideal,
        ratio: report.durationMs / ideal,
        overhead: report.overall.latency.p50 - truth.median,
      });
    }
    const pick = (key) => [...runs].sort((a, b) => a[key] - b[key])[RUNS >> 1];
    const { report, processMs, truth, ideal } = pick('ratio');
    const rounds = Math.ceil(CHECKS / CONCURRENCY);
    const overhead = pick('overhead').overhead;
    // The same bundle with one check at a time: the per-request overhead without checks queueing for the loop.
    const sequential = await runBundle(url, 5, 1);
    const sequentialTruth = serverTruth(await serverSamples(url));
    const hasCurl = spawnSync('curl', ['--version']).status === 0;
    const curl = hasCurl ? runCurl(url) : undefined;
    const curlTruth = hasCurl ? serverTruth(await serverSamples(url)) : undefined;

    console.log(
      `${CHECKS} checks × ${SAMPLES} samples (+1 readiness request each), concurrency ${CONCURRENCY}, server answering in ${LATENCY_MS} ms in its own process (true p50 ${truth.median.toFixed(2)} ms, slowest check's mean ${truth.slowestMean.toFixed(2)} ms). Ideal: ${rounds} rounds × ${SAMPLES} samples × ${truth.slowestMean.toFixed(2)} ms = ${ideal.toFixed(0)} ms.\n`,
    );
    const rows = [
      [
        `shipline smoke-test (bundle), median of ${RUNS} runs`,
        report.durationMs.toFixed(0),
        `${(report.durationMs / ideal).toFixed(2)}×`,
        overhead.toFixed(2),
        report.durationMs / ideal <= WALL_GOAL && overhead <= OVERHEAD_GOAL_MS ? 'met' : 'NOT MET',
      ],
    ];
    rows.push([
      'the same bundle, 5 checks one at a time',
      sequential.report.durationMs.toFixed(0),
      `${(sequential.report.durationMs / (5 * SAMPLES * sequentialTruth.slowestMean)).toFixed(2)}×`,
      (sequential.report.overall.latency.p50 - sequentialTruth.median).toFixed(2),
      '–',
    ]);
    if (curl && curlTruth)
      rows.push([
        'sequential curl --retry (the peer action)',
        curl.wallMs.toFixed(0),
        `${(curl.wallMs / ideal).toFixed(2)}×`,
        (curl.p50 - curlTruth.median).toFixed(2),
        '–',
      ]);
    printTable(
      [
        'subject',
        'wall ms',
        `ratio to ideal (goal ≤ ${WALL_GOAL}×)`,
        `p50 − true p50, ms (goal ≤ ${OVERHEAD_GOAL_MS})`,
        'goals',
      ],
      rows,
    );
    console.log(
      `\nAll runs (wall ratio, p50 overhead): ${runs.map((r) => `${r.ratio.toFixed(2)}×, ${r.overhead.toFixed(2)} ms`).join(' | ')}.`,
    );
    console.log(
      `The bundle's process took ${processMs.toFixed(0)} ms from spawn to exit; wall ms above is its report's durationMs (first check to last).`,
    );
    if (!hasCurl) console.log('curl is not installed: row (c) skipped.');

    const agent = new Agent({ keepAlive: true });
    const nodeHttp = await clientOverhead(url, () => viaNodeHttp(url, agent));
    agent.destroy();
    const undici = await clientOverhead(url, () => viaFetch(url));
    const raw = rawSocketClient(url);
    const floor = await clientOverhead(url, raw.send);
    raw.close();
    console.log(
      '\nLatency each HTTP client adds per request (200 sequential requests on one kept-alive connection, client p50 − server p50):\n',
    );
    printTable(
      ['client', 'p50 ms', 'added ms'],
      [
        [
          'node:http Agent({ keepAlive }) (what smoke-test uses)',
          nodeHttp.p50.toFixed(2),
          nodeHttp.overhead.toFixed(3),
        ],
        ["fetch (Node's built-in undici)", undici.p50.toFixed(2), undici.overhead.toFixed(3)],
        [
          'bare TCP socket, no HTTP client (the floor for any Node client)',
          floor.p50.toFixed(2),
          floor.overhead.toFixed(3),
        ],
      ],
    );
  } finally {
    child.kill();
  }
}
