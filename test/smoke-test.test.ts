// The smoke-test bundle, run as the runner runs it, against loopback deployments (HTTP and HTTPS) that start
// slowly, flake, hang, reset, redirect and report their health in the formats real services use.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import { type RunOptions, type RunResult, runBundle } from '../cli/local-runner.js';
import { makeCertificates, type TestCertificates } from './fakes/certificates.js';
import {
  flaky,
  hang,
  json,
  redirect,
  resetConnection,
  resetMidBody,
  slow,
  startTarget,
  type Target,
  text,
  unavailableFor,
} from './fakes/smoke-target.js';
import { closedPort, errors, expectNoSecrets, runCli, warnings } from './support.js';

let app: Target;
let certs: TestCertificates;
const workspace = mkdtempSync(join(tmpdir(), 'smoke-test-ws-'));

beforeAll(async () => {
  app = await startTarget();
  certs = makeCertificates();
});
afterAll(() => app.close());
beforeEach(() => app.reset());

function smoke(inputs: RunOptions['inputs'], extra: Partial<RunOptions> = {}): Promise<RunResult> {
  return runBundle({ action: 'smoke-test', inputs, workspace, timeoutMs: 60_000, ...extra });
}

interface ReportCheck {
  name: string;
  url: string;
  passed: boolean;
  attempts: number;
  httpStatus?: number;
  reason?: string;
  reasons: string[];
  warnings: string[];
  health?: {
    format: string;
    status: string;
    failing: { name: string; status: string; detail?: string }[];
    warning: { name: string; status: string }[];
  };
  samples?: { planned: number; taken: number; failed: number; firstFailure?: string };
  latency?: { count: number; p50: number; p95: number; p99: number; errorRate: number };
  thresholds: { threshold: string; value: number; passed: boolean }[];
  redirects: string[];
}

function report(result: RunResult): {
  passed: boolean;
  status: string;
  summary: string;
  checks: ReportCheck[];
  overall: { samples: number; thresholds: { threshold: string; value: number; passed: boolean }[] };
} {
  expect(result.outputs.report).toBeDefined();
  return JSON.parse(result.outputs.report as string);
}

function check(result: RunResult, name?: string): ReportCheck {
  const checks = report(result).checks;
  const found = name ? checks.find((c) => c.name === name) : checks[0];
  if (!found) throw new Error(`no check ${name} in ${checks.map((c) => c.name).join(', ')}`);
  return found;
}

describe('simple inputs', () => {
  test('a healthy URL passes, with outputs, a summary table and no annotations', async () => {
    app.route('/', text(200, '<html><body><div id="root">Welcome</div></body></html>'));
    const result = await smoke({ url: `${app.url}/`, 'expect-text': 'id="root"' });
    expect(result.exitCode).toBe(0);
    expect(result.outputs).toMatchObject({
      passed: 'true',
      'failed-checks': '',
      status: 'succeeded',
      summary: 'Smoke test: all 1 checks passed',
    });
    expect(check(result)).toMatchObject({ name: '/', passed: true, attempts: 1, httpStatus: 200, reasons: [] });
    expect(result.summary).toContain('| Check | Result | Attempts | p50 | p95 | p99 | Reason |');
    expect(result.summary).toContain('✓ passed');
    expect(errors(result)).toEqual([]);
  });

  test('several URLs are checked in parallel up to the concurrency bound, each named by host and path', async () => {
    const other = await startTarget();
    try {
      for (const t of [app, other]) for (const path of ['/a', '/b', '/c']) t.route(path, slow(150, text(200, 'ok')));
      const urls = [app, other].flatMap((t) => ['/a', '/b', '/c'].map((p) => `${t.url}${p}`));
      const result = await smoke({ url: urls.join('\n'), concurrency: 2 });
      expect(result.exitCode).toBe(0);
      expect(report(result).checks.map((c) => c.name)).toEqual(urls.map((u) => u.replace('http://', '')));
      expect(app.maxInFlight + other.maxInFlight).toBeGreaterThanOrEqual(2);
      expect(Math.max(app.maxInFlight, other.maxInFlight)).toBeLessThanOrEqual(2);
    } finally {
      await other.close();
    }
  });

  test('base-url with paths: one check per path, relative to the base (a preview URL)', async () => {
    app.route('/api/health', json(200, { status: 'healthy', timestamp: '2026-01-01T00:00:00Z' }));
    app.route(
      '/api/health/detailed',
      json(200, { status: 'healthy', checks: { database: { status: 'healthy', latency_ms: 3.2 } } }),
    );
    const result = await smoke({ 'base-url': app.url, paths: '/api/health, /api/health/detailed' });
    expect(result.exitCode).toBe(0);
    expect(report(result).checks.map((c) => [c.name, c.health?.status])).toEqual([
      ['/api/health', 'pass'],
      ['/api/health/detailed', 'pass'],
    ]);
  });

  test('method, secret headers and body are sent; header values never reach the log', async () => {
    app.route('/api/hooks', (req, res) => {
      const okAuth =
        req.headers.authorization === 'Bearer sm0ke-T0ken-Sekret' && req.headers['x-api-key'] === 'k3y-Sekret-42';
      res.writeHead(okAuth && req.method === 'POST' && req.body === '{"ping":true}' ? 202 : 401, {
        'content-type': 'application/json',
      });
      res.end(JSON.stringify({ accepted: okAuth }));
    });
    const result = await smoke({
      url: `${app.url}/api/hooks`,
      method: 'post',
      headers: 'Authorization: Bearer sm0ke-T0ken-Sekret\nX-Api-Key: k3y-Sekret-42\nContent-Type: application/json',
      body: '{"ping":true}',
      'expect-status': '202',
    });
    expect(result.exitCode).toBe(0);
    expect(result.masks).toEqual(expect.arrayContaining(['Bearer sm0ke-T0ken-Sekret', 'k3y-Sekret-42']));
    expectNoSecrets(result, ['sm0ke-T0ken-Sekret', 'k3y-Sekret-42']);
  });

  test('a wrong status fails with the status, the expected codes and the first bytes of the body', async () => {
    app.route(
      '/missing-page',
      text(404, '<html><body><h1>Page not found</h1><p>The page /missing-page does not exist.</p></body></html>'),
    );
    const result = await smoke({ url: `${app.url}/missing-page`, 'expect-status': '200-299', 'max-attempts': 1 });
    expect(result.exitCode).toBe(1);
    expect(result.outputs).toMatchObject({ passed: 'false', 'failed-checks': '/missing-page', status: 'failed' });
    expect(check(result).reason).toBe(
      'unexpected HTTP 404 (expected 200-299): <html><body><h1>Page not found</h1><p>The page /missing-page does not exist.</p></body></html>',
    );
    const annotation = result.annotations.find((a) => a.title === 'smoke-test: /missing-page failed');
    expect(annotation?.level).toBe('error');
    expect(annotation?.message).toContain('unexpected HTTP 404');
    expect(result.summary).toContain('✗ failed');
  });
});

describe('readiness', () => {
  test('a deployment that answers 503 while starting is retried with backoff until it is ready', async () => {
    app.route('/starting', unavailableFor(1500, json(200, { status: 'ok' })));
    const result = await smoke({
      url: `${app.url}/starting`,
      interval: '300ms',
      'max-interval': '1s',
      deadline: '20s',
    });
    expect(result.exitCode).toBe(0);
    const c = check(result);
    expect(c.attempts).toBeGreaterThanOrEqual(3);
    expect(c.attempts).toBe(app.hits.length);
    expect(result.visibleStdout).toMatch(
      /\/starting: attempt 1 failed: unexpected HTTP 503 \(expected 200-399\): <html><body>Service Unavailable.*; next try in 0\.3s/,
    );
    expect(result.visibleStdout).toMatch(/\/starting: attempt 2 failed: .*; next try in 0\.6s/);
    expect(result.visibleStdout).toMatch(new RegExp(`✅ /starting: ready after ${c.attempts} attempts`));
  });

  test('one that never becomes ready fails at the deadline, saying how many attempts it took', async () => {
    app.route('/never', text(503, 'Service Unavailable'));
    const result = await smoke(
      { url: `${app.url}/never`, interval: '200ms', deadline: '2s', timeout: '1s' },
      { timeoutMs: 15_000 },
    );
    expect(result.timedOut).toBe(false);
    expect(result.exitCode).toBe(1);
    const c = check(result);
    expect(c.attempts).toBeGreaterThanOrEqual(3);
    // The pauses double (0.2 s, 0.4 s, 0.8 s, …): about five tries fit in 2 s, where a fixed 0.2 s pause would make
    // ten. Counted at the server, which sees every try.
    expect(app.hits.filter((h) => h.path === '/never').length).toBe(c.attempts);
    expect(c.attempts).toBeLessThanOrEqual(6);
    expect(c.reason).toMatch(new RegExp(`^not ready after ${c.attempts} attempts in \\d+\\.\\ds: unexpected HTTP 503`));
    expect(errors(result).join('\n')).toContain('Smoke test: 1 of 1 checks failed: /never (not ready after');
  });

  test('a server that accepts and never answers fails at the timeout, and the run ends by its deadline', async () => {
    app.route('/hang', hang);
    const result = await smoke(
      { url: `${app.url}/hang`, timeout: '1s', deadline: '2500ms', interval: '100ms' },
      { timeoutMs: 15_000 },
    );
    expect(result.timedOut).toBe(false);
    expect(result.exitCode).toBe(1);
    // The last attempt had only what was left of the deadline, and says so.
    expect(check(result).reason).toMatch(
      /: timeout: no complete response within \d\.\ds \(what was left of the deadline\): the server accepted the connection and the request but sent no response$/,
    );
    expect(result.visibleStdout).toContain(
      '/hang: attempt 1 failed: timeout: no complete response within 1.0s: the server accepted the connection and the request but sent no response; next try in 0.1s',
    );
    expect(report(result).checks[0]?.attempts).toBeGreaterThanOrEqual(2);
  });

  test('a server that stops answering after it was ready cannot hold the run past its deadline', async () => {
    app.route('/stalls', (req, res, n) => (n <= 2 ? text(200, 'ok')(req, res, n) : hang(req, res, n)));
    const result = await smoke(
      { url: `${app.url}/stalls`, thresholds: 'p(95)<500', samples: 10, timeout: '1s', deadline: '2500ms' },
      { timeoutMs: 15_000 },
    );
    expect(result.timedOut).toBe(false);
    expect(result.exitCode).toBe(1);
    const c = check(result);
    expect(c.attempts).toBe(1);
    expect(c.samples?.taken).toBeLessThan(10);
    expect(c.reasons[0]).toMatch(/^deadline reached after \d of 10 latency samples$/);
    expect(c.reasons[1]).toMatch(
      /^failed after becoming ready: \d of \d samples failed \(first: sample 2 of 10: timeout: no complete response within 1\.0s: the server accepted the connection and the request but sent no response\)$/,
    );
  });

  test('checks still queued when the deadline passes are reported as not tried, not left hanging', async () => {
    app.route('/slow-1', hang);
    app.route('/slow-2', hang);
    app.route('/slow-3', hang);
    const urls = ['/slow-1', '/slow-2', '/slow-3'].map((p) => `${app.url}${p}`).join('\n');
    const result = await smoke(
      { url: urls, concurrency: 1, timeout: '1s', deadline: '1500ms', 'max-attempts': 1 },
      { timeoutMs: 15_000 },
    );
    expect(result.timedOut).toBe(false);
    expect(check(result, '/slow-1').reason).toContain('timeout: no complete response within 1.0s');
    expect(check(result, '/slow-3')).toMatchObject({
      attempts: 0,
      reason: 'not tried: the deadline passed while the checks before it ran (raise deadline or concurrency)',
    });
    expect(result.outputs['failed-checks']).toBe('/slow-1,/slow-2,/slow-3');
  });

  test('connection refused names the address', async () => {
    const port = await closedPort();
    const result = await smoke({ url: `http://127.0.0.1:${port}/api/health`, 'max-attempts': 2, interval: '100ms' });
    expect(result.exitCode).toBe(1);
    expect(check(result).reason).toBe(
      `not ready after 2 attempts in ${check(result).reason?.match(/in (\d+\.\ds)/)?.[1]}: connection refused by 127.0.0.1:${port}: nothing is listening there (ECONNREFUSED)`,
    );
  });

  test('a host that does not resolve is a DNS failure', async () => {
    const result = await smoke({ url: 'http://shipline-smoke-test-nowhere.invalid/api/health', 'max-attempts': 1 });
    expect(result.exitCode).toBe(1);
    expect(check(result).reason).toMatch(
      /^DNS: host shipline-smoke-test-nowhere\.invalid could not be resolved \((ENOTFOUND|EAI_AGAIN)\)$/,
    );
  });

  test('connection resets, before the answer and in the middle of the body, are named as such', async () => {
    app.route('/reset', resetConnection);
    app.route('/reset-body', resetMidBody);
    const result = await smoke({ url: `${app.url}/reset\n${app.url}/reset-body`, 'max-attempts': 1 });
    expect(result.exitCode).toBe(1);
    expect(check(result, '/reset').reason).toMatch(/^connection reset by the server before it answered/);
    expect(check(result, '/reset-body').reason).toMatch(/^connection reset by the server while sending the body/);
    expect(result.outputs['failed-checks']).toBe('/reset,/reset-body');
  });

  test('monitor mode tries a few times, not until the deadline, and says succeeded/failed for notify', async () => {
    app.route('/down', text(502, 'Bad Gateway'));
    app.route('/up', json(200, { status: 'UP' }));
    const result = await smoke({ url: `${app.url}/down, ${app.url}/up`, mode: 'monitor', interval: '100ms' });
    expect(result.exitCode).toBe(1);
    expect(check(result, '/down').attempts).toBe(3);
    expect(result.outputs.status).toBe('failed');
    expect(result.outputs.summary).toBe(
      'Health check: 1 of 2 checks failed: /down (not ready after 3 attempts in ' +
        check(result, '/down').reason?.match(/in (\d+\.\ds)/)?.[1] +
        ': unexpected HTTP 502 (expected 200-399): Bad Gateway)',
    );
    const ok = await smoke({ url: `${app.url}/up`, mode: 'monitor' });
    expect(ok.outputs).toMatchObject({ status: 'succeeded', summary: 'Health check: all 1 checks passed' });
  });
});

describe('health formats', () => {
  test('application/health+json with one failing component names it and fails', async () => {
    app.route(
      '/health',
      json(
        503,
        {
          status: 'fail',
          version: '1',
          checks: {
            'postgres:responseTime': [
              {
                componentId: 'db-1',
                componentType: 'datastore',
                observedValue: 250,
                observedUnit: 'ms',
                status: 'fail',
                output: 'connection pool exhausted',
              },
            ],
            'redis:connections': [{ componentType: 'datastore', status: 'pass' }],
          },
        },
        'application/health+json',
      ),
    );
    const result = await smoke({ url: `${app.url}/health`, 'max-attempts': 1 });
    expect(result.exitCode).toBe(1);
    const c = check(result);
    expect(c.health).toMatchObject({
      format: 'health+json',
      status: 'fail',
      failing: [{ name: 'postgres:responseTime (db-1)', status: 'fail', detail: 'connection pool exhausted' }],
    });
    expect(c.reason).toBe(
      "health fail (health+json, status 'fail'): postgres:responseTime (db-1): fail (connection pool exhausted) (HTTP 503)",
    );
    expect(result.summary).toContain('| /health | postgres:responseTime (db-1) | fail | connection pool exhausted |');
  });

  test('Spring Actuator DOWN and NestJS Terminus error are read without configuration', async () => {
    app.route(
      '/actuator/health',
      json(503, {
        status: 'DOWN',
        components: {
          db: { status: 'DOWN', details: { error: 'org.postgresql.util.PSQLException: Connection refused' } },
          diskSpace: { status: 'UP' },
        },
      }),
    );
    app.route(
      '/terminus',
      json(503, {
        status: 'error',
        info: { memory_heap: { status: 'up' } },
        error: { redis: { status: 'down', message: 'ECONNREFUSED 10.0.0.5:6379' } },
        details: {},
      }),
    );
    const result = await smoke({ url: `${app.url}/actuator/health\n${app.url}/terminus`, 'max-attempts': 1 });
    expect(check(result, '/actuator/health').reason).toBe(
      "health fail (spring, status 'DOWN'): db: DOWN (org.postgresql.util.PSQLException: Connection refused) (HTTP 503)",
    );
    expect(check(result, '/terminus').reason).toBe(
      "health fail (terminus, status 'error'): redis: down (ECONNREFUSED 10.0.0.5:6379) (HTTP 503)",
    );
  });

  test('degraded (200, as the seed apps answer) passes with a warning by default and fails with degraded: fail', async () => {
    app.route(
      '/api/health/detailed',
      json(200, {
        status: 'degraded',
        checks: {
          database: { status: 'healthy', latency_ms: 4.1 },
          redis: { status: 'unhealthy', error: 'Timeout connecting to redis' },
          claude_api: { status: 'healthy' },
        },
      }),
    );
    const lenient = await smoke({ url: `${app.url}/api/health/detailed` });
    expect(lenient.exitCode).toBe(0);
    expect(warnings(lenient).join('\n')).toContain(
      "health warn (status-checks, status 'degraded'): redis: unhealthy (Timeout connecting to redis) (HTTP 200); counted as passing (degraded: pass)",
    );
    expect(lenient.summary).toContain('⚠ passed (degraded)');
    const strict = await smoke({ url: `${app.url}/api/health/detailed`, degraded: 'fail', 'max-attempts': 1 });
    expect(strict.exitCode).toBe(1);
    expect(check(strict).health?.failing).toEqual([
      { name: 'redis', status: 'unhealthy', detail: 'Timeout connecting to redis' },
    ]);
    expect(check(strict).reason).toContain('degraded counts as failed (degraded: fail)');
  });

  test('unhealthy (503) from the seed format fails, naming the services', async () => {
    app.route(
      '/api/health',
      json(503, {
        status: 'unhealthy',
        services: {
          database: { status: 'unhealthy', error: 'Cannot connect to database' },
          redis: { status: 'unhealthy', error: 'ECONNREFUSED' },
          openai: { status: 'healthy' },
        },
      }),
    );
    const result = await smoke({ url: `${app.url}/api/health`, 'max-attempts': 1 });
    expect(check(result).reason).toBe(
      "health fail (status-checks, status 'unhealthy'): database: unhealthy (Cannot connect to database); redis: unhealthy (ECONNREFUSED) (HTTP 503)",
    );
  });
});

describe('checks documents', () => {
  test('a YAML checks file: JSON path assertions, per-check options, env secrets, annotations on the failing line', async () => {
    app.route('/api/health/detailed', (req, res) => {
      if (req.headers.authorization !== 'Bearer env-Sekret-Token-77')
        return json(401, { error: 'unauthorized' })(req, res, 0);
      return json(200, {
        status: 'healthy',
        version: '2.3.1',
        checks: { database: { status: 'healthy', latency_ms: 12.5 }, redis: { status: 'healthy', latency_ms: 1.1 } },
      })(req, res, 0);
    });
    app.route('/api/items', json(200, { items: [{ id: 1, name: 'first' }], total: 1 }));
    writeFileSync(
      join(workspace, 'smoke.yml'),
      [
        `base-url: ${app.url}`,
        'defaults:',
        '  headers:',
        '    Authorization: Bearer ${API_TOKEN}',
        'checks:',
        '  - name: detailed health',
        '    path: /api/health/detailed',
        '    expect:',
        '      status: 200',
        '      json:',
        '        - { path: $.status, equals: healthy }',
        '        - { path: checks.database.latency_ms, lt: 50 }',
        '        - { path: "$.version", matches: "^2\\\\." }',
        '        - { path: $.checks.redis.status, one-of: [healthy, degraded] }',
        '  - name: items',
        '    path: /api/items',
        '    expect:',
        '      json:',
        '        - { path: "items[0].name", equals: first }',
        '        - { path: "$.items[0].price", exists: true }',
        '        - { path: $.total, gte: 5 }',
      ].join('\n'),
    );
    const result = await smoke(
      { 'checks-file': 'smoke.yml', 'max-attempts': 1 },
      { env: { API_TOKEN: 'env-Sekret-Token-77' } },
    );
    expect(result.exitCode).toBe(1);
    expect(check(result, 'detailed health').passed).toBe(true);
    expect(check(result, 'items').reasons).toEqual([
      'JSON path $.items[0].price is missing ($.items[0] has: id, name)',
      'JSON path $.total is 1, expected >= 5',
    ]);
    const annotation = result.annotations.find((a) => a.title === 'smoke-test: items failed');
    expect(annotation).toMatchObject({ file: 'smoke.yml', line: 15 });
    expect(result.masks).toContain('env-Sekret-Token-77');
    expectNoSecrets(result, ['env-Sekret-Token-77']);
  });

  test('inline JSON checks: a body that is not the JSON expected is reported with its first bytes', async () => {
    app.route('/api/status', text(200, '<!doctype html><html><head><title>Maintenance</title></head></html>'));
    const checks = JSON.stringify([
      { name: 'status api', url: `${app.url}/api/status`, expect: { json: [{ path: '$.status', equals: 'ok' }] } },
    ]);
    const result = await smoke({ checks, 'max-attempts': 1 });
    expect(check(result, 'status api').reason).toBe(
      "body is not JSON (content-type 'text/html'): <!doctype html><html><head><title>Maintenance</title></head></html>",
    );
  });

  test('every problem in a checks document is reported at once, with where it is, before any request', async () => {
    const checks = [
      'checks:',
      '  - name: a',
      '    path: /x',
      '    method: FETCH',
      '    expect: { status: 2000, json: [{ path: "$..bad", equals: 1 }, { path: $.ok }] }',
      '    thresholds: ["p(95)<300", "p95 < 300"]',
      '    timeuot: 5s',
      '  - url: ftp://example.com/',
      '    headers: { Authorization: "Bearer ${NOT_SET_ANYWHERE}" }',
    ].join('\n');
    const result = await smoke({ checks });
    expect(result.exitCode).toBe(1);
    const message = errors(result).join('\n');
    expect(message).toContain("The checks in input 'checks' have 9 problems:");
    for (const expected of [
      'checks[0].timeuot is not a known field',
      'checks[0].path needs a base-url',
      "checks[0].method must be one of GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS, got 'FETCH'",
      'checks[0].thresholds[1] must be a threshold like p(95)<300',
      'checks[0].expect.status must be status codes or ranges like 200, 200-299 or 2xx',
      'checks[0].expect.json[0].path must be a JSON path like',
      'checks[0].expect.json[1] needs a test: equals, one-of, exists, matches, lt, lte, gt or gte',
      "checks[1].url must be an http(s) URL, got 'ftp://example.com/'",
      'checks[1].headers.Authorization uses ${NOT_SET_ANYWHERE}, which is not set in the environment',
    ])
      expect(message).toContain(expected);
    expect(result.outputs.report).toBeUndefined();
  });

  test('a checks file that is not valid YAML is reported with its line', async () => {
    writeFileSync(join(workspace, 'broken.yml'), 'checks:\n  - url: "http://127.0.0.1/\n    name: x\n');
    const result = await smoke({ 'checks-file': 'broken.yml' });
    expect(errors(result).join('\n')).toMatch(/broken\.yml:\d+:\d+: not valid YAML or JSON/);
  });
});

describe('latency thresholds', () => {
  test('samples after ready are judged k6-style per check, with p50/p95/p99 in the summary', async () => {
    app.route('/fast', text(200, 'ok'));
    app.route('/slow', slow(120, text(200, 'ok')));
    const result = await smoke({
      url: `${app.url}/fast\n${app.url}/slow`,
      thresholds: 'p(95)<100, avg<100, rate<0.01',
      samples: 10,
    });
    expect(result.exitCode).toBe(1);
    const fast = check(result, '/fast');
    expect(fast.passed).toBe(true);
    expect(fast.samples).toEqual({ planned: 10, taken: 10, failed: 0 });
    expect(fast.latency?.count).toBe(10);
    const slowCheck = check(result, '/slow');
    expect(slowCheck.passed).toBe(false);
    expect(slowCheck.latency?.p50).toBeGreaterThanOrEqual(120);
    // The slow route answers after 120 ms: measured at least that, and never less than the limit (a loaded
    // machine only adds to it, so no upper bound is asserted).
    expect(slowCheck.reasons[0]).toMatch(/^threshold p\(95\)<100 not met: measured [1-9]\d{2,}(\.\d+)? ms$/);
    expect(slowCheck.reasons[1]).toMatch(/^threshold avg<100 not met: measured [1-9]\d{2,}(\.\d+)? ms$/);
    expect(slowCheck.thresholds.map((t) => [t.threshold, t.passed])).toEqual([
      ['p(95)<100', false],
      ['avg<100', false],
      ['rate<0.01', true],
    ]);
    expect(result.summary).toMatch(
      /\| \*\*\/slow\*\*<br>`GET http:\/\/127\.0\.0\.1:\d+\/slow` \| ✗ failed \| 1 \| [1-9]\d{2,}(\.\d+)? ms \| [1-9]\d{2,}(\.\d+)? ms \| [1-9]\d{2,}(\.\d+)? ms \| threshold p\(95\)<100 not met/,
    );
    expect(result.summary).toContain('| /slow | p(95)<100 |');
  });

  test('a flaky endpoint that fails after becoming ready fails the check; a rate threshold can allow some', async () => {
    app.route('/flaky', flaky(4, json(200, { status: 'ok' })));
    const strict = await smoke({ url: `${app.url}/flaky`, thresholds: 'p(99)<500', samples: 20 });
    expect(strict.exitCode).toBe(1);
    const c = check(strict);
    expect(c.attempts).toBe(1);
    expect(c.samples).toMatchObject({ planned: 20, taken: 20, failed: 5 });
    expect(c.reason).toBe(
      'failed after becoming ready: 5 of 20 samples failed (first: sample 3 of 20: unexpected HTTP 500 (expected 200-399): Internal Server Error: upstream flake)',
    );
    const tolerant = await smoke({ url: `${app.url}/flaky`, thresholds: 'rate<0.3', samples: 20 });
    expect(tolerant.exitCode).toBe(0);
    expect(check(tolerant).latency?.errorRate).toBe(0.25);
    const intolerant = await smoke({ url: `${app.url}/flaky`, thresholds: 'rate<0.01', samples: 20 });
    expect(check(intolerant).reason).toBe('threshold rate<0.01 not met: measured 25.00% failed');
  });

  test('overall thresholds are judged over the samples of every check together', async () => {
    app.route('/a', text(200, 'a'));
    app.route('/b', slow(60, text(200, 'b')));
    const result = await smoke({ url: `${app.url}/a\n${app.url}/b`, 'overall-thresholds': 'max<50', samples: 5 });
    expect(result.exitCode).toBe(1);
    const r = report(result);
    expect(r.checks.every((c) => c.passed)).toBe(true);
    expect(r.overall.samples).toBe(10);
    expect(r.overall.thresholds[0]).toMatchObject({ threshold: 'max<50', passed: false });
    expect(errors(result).join('\n')).toContain('Overall threshold max<50 not met');
    expect(result.outputs.summary).toMatch(
      /^Smoke test: all 2 checks passed, but overall max<50 \(measured \d+(\.\d+)? ms\) not met$/,
    );
  });

  test('samples reuse one kept-alive connection per check', async () => {
    app.route('/keepalive', text(200, 'ok'));
    const result = await smoke({ url: `${app.url}/keepalive`, thresholds: 'p(95)<1000', samples: 30 });
    expect(result.exitCode).toBe(0);
    expect(app.hits).toHaveLength(31);
    expect(app.connections).toBe(1);
  });

  test('max-latency fails any single slow response', async () => {
    app.route('/sluggish', slow(200, text(200, 'ok')));
    const result = await smoke({ url: `${app.url}/sluggish`, 'max-latency': '100ms', 'max-attempts': 1 });
    expect(check(result).reason).toMatch(/^took 2\d\d ms, over max-latency 100 ms$/);
  });
});

describe('redirects', () => {
  test('followed to the final response, listed in the report; credentials are not carried to another origin', async () => {
    const other = await startTarget();
    try {
      other.route('/landing', text(200, 'landed'));
      app.route('/old', redirect(301, '/new'));
      app.route('/new', redirect(302, `${other.url}/landing`));
      const result = await smoke({
        url: `${app.url}/old`,
        headers: 'Authorization: Bearer redirect-Sekret-9',
        'expect-text': 'landed',
      });
      expect(result.exitCode).toBe(0);
      expect(check(result).redirects).toEqual([`301 → ${app.url}/new`, `302 → ${other.url}/landing`]);
      expect(app.hits.map((h) => h.headers.authorization)).toEqual([
        'Bearer redirect-Sekret-9',
        'Bearer redirect-Sekret-9',
      ]);
      expect(other.hits[0]?.headers.authorization).toBeUndefined();
    } finally {
      await other.close();
    }
  });

  test('not followed when follow-redirects is false; a loop is reported', async () => {
    app.route('/moved', redirect(301, '/elsewhere'));
    app.route('/loop', redirect(302, '/loop'));
    const result = await smoke({
      url: `${app.url}/moved`,
      'follow-redirects': 'false',
      'expect-status': '200',
      'max-attempts': 1,
    });
    expect(check(result).reason).toBe('unexpected HTTP 301 (expected 200): (empty body)');
    const loop = await smoke({ url: `${app.url}/loop`, 'max-attempts': 1 });
    expect(check(loop).reason).toMatch(/^more than 10 redirects \(a loop\?\): 302 → http:\/\/127\.0\.0\.1:\d+\/loop/);
  });
});

describe('TLS', () => {
  test('a self-signed certificate fails with the problem and the certificate; insecure-hosts accepts it, with a warning', async () => {
    const tlsApp = await startTarget({ tls: certs.selfSigned });
    try {
      tlsApp.route('/', text(200, 'secure hello'));
      const refused = await smoke({ url: `${tlsApp.url}/`, 'max-attempts': 1 });
      expect(refused.exitCode).toBe(1);
      expect(check(refused).reason).toMatch(
        /^TLS: the certificate is self-signed \(DEPTH_ZERO_SELF_SIGNED_CERT\); certificate CN=localhost issued by CN=localhost, valid .+ to .+, names DNS:localhost, IP Address:127\.0\.0\.1$/,
      );
      expect(tlsApp.hits).toHaveLength(0);
      const allowed = await smoke({
        url: `${tlsApp.url}/`,
        'insecure-hosts': '127.0.0.1',
        'expect-text': 'secure hello',
      });
      expect(allowed.exitCode).toBe(0);
      expect(warnings(allowed).join('\n')).toContain('TLS certificate verification is off for 127.0.0.1');
      const otherHost = await smoke({ url: `${tlsApp.url}/`, 'insecure-hosts': '*.vercel.app', 'max-attempts': 1 });
      expect(otherHost.exitCode).toBe(1);
    } finally {
      await tlsApp.close();
    }
  });

  test('a private CA is trusted through ca-file; an expired certificate says so', async () => {
    const tlsApp = await startTarget({ tls: certs.signedByCa });
    const expiredApp = await startTarget({ tls: certs.expired });
    try {
      tlsApp.route('/api/health', json(200, { status: 'pass' }, 'application/health+json'));
      writeFileSync(join(workspace, 'ca.pem'), certs.caPem);
      const untrusted = await smoke({ url: `${tlsApp.url}/api/health`, 'max-attempts': 1 });
      expect(check(untrusted).reason).toMatch(
        /^TLS: the certificate's issuer is not trusted .*\(UNABLE_TO_VERIFY_LEAF_SIGNATURE\); certificate CN=localhost issued by CN=shipline test CA/,
      );
      const trusted = await smoke({ url: `${tlsApp.url}/api/health`, 'ca-file': 'ca.pem' });
      expect(trusted.exitCode).toBe(0);
      expect(check(trusted).health?.status).toBe('pass');
      const expired = await smoke({ url: `${expiredApp.url}/`, 'ca-file': 'ca.pem', 'max-attempts': 1 });
      expect(check(expired).reason).toMatch(/^TLS: the certificate has expired \(CERT_HAS_EXPIRED\)/);
    } finally {
      await tlsApp.close();
      await expiredApp.close();
    }
  });
});

describe('inputs', () => {
  test('every problem is reported at once, naming the input and the expected form', async () => {
    const result = await smoke({
      url: 'ftp://example.com/x',
      method: 'FETCH',
      'expect-status': '2000',
      thresholds: 'p(95)<300, p95 under 300',
      timeout: 'soon',
      concurrency: '0',
      degraded: 'maybe',
      mode: 'cron',
      headers: 'Authorization Bearer x',
    });
    expect(result.exitCode).toBe(1);
    const message = errors(result).join('\n');
    for (const expected of [
      "Input 'url' must be http(s) URLs, one per line or separated by commas ('ftp://example.com/x' is not one)",
      "Input 'method' must be one of GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS, got 'FETCH'",
      "Input 'expect-status' must be status codes or ranges like 200, 200-299 or 2xx",
      "Input 'thresholds' must be a threshold like p(95)<300",
      "'p95 under 300' is not one",
      "Input 'timeout' must be a duration like 30s, 5m or 1h",
      "Input 'concurrency' must be a whole number from 1 to 256, got '0'",
      "Input 'degraded' must be one of pass, fail, got 'maybe'",
      "Input 'mode' must be one of gate, monitor, watch, validate, got 'cron'",
      "Input 'headers' must be 'Name: value' lines",
    ])
      expect(message).toContain(expected);
    expect(result.outputs.report).toBeUndefined();
  });

  test('no checks, or contradicting sources, are errors naming the inputs', async () => {
    const none = await smoke({});
    expect(errors(none).join('\n')).toContain(
      "No checks: set input 'url' (one or more URLs), 'base-url' (with 'paths'), 'checks' (YAML or JSON) or 'checks-file'",
    );
    const both = await smoke({ url: `${app.url}/`, checks: '[]', paths: '/x', interval: '1m', 'max-interval': '10s' });
    const message = errors(both).join('\n');
    expect(message).toContain("Inputs 'url' and 'checks' are all sources of checks: set only one of them");
    expect(message).toContain("Input 'paths' needs 'base-url'");
    expect(message).toContain(
      "Input 'paths' cannot be combined with 'checks': give the paths as checks with path: in the document",
    );
    expect(message).toContain("Input 'interval' (1m) must not be longer than 'max-interval' (10s)");
  });

  test('a URL password and token-like query values are masked and not shown in the report', async () => {
    app.route('/private', (req, res) =>
      text(
        req.headers.authorization === `Basic ${Buffer.from('deploy:pa55-Sekret').toString('base64')}` ? 200 : 401,
        'ok',
      )(req, res, 0),
    );
    const url = `${app.url.replace('http://', 'http://deploy:pa55-Sekret@')}/private?x-vercel-protection-bypass=bypass-Sekret-1&page=2`;
    const result = await smoke({ url });
    expect(result.exitCode).toBe(0);
    expect(app.hits[0]?.path).toBe('/private?x-vercel-protection-bypass=bypass-Sekret-1&page=2');
    expect(check(result).url).toMatch(
      /^http:\/\/deploy:\*\*\*@127\.0\.0\.1:\d+\/private\?x-vercel-protection-bypass=\*\*\*&page=2$/,
    );
    expectNoSecrets(result, ['pa55-Sekret', 'bypass-Sekret-1']);
  });
});

describe('npx shipline smoke-test', () => {
  test('runs the same bundle from a terminal and prints outputs and the summary', async () => {
    app.route('/api/health', json(200, { status: 'healthy' }));
    const { code, stdout } = await runCli([
      'smoke-test',
      '--url',
      `${app.url}/api/health`,
      '--thresholds',
      'p(95)<500',
      '--samples',
      '5',
    ]);
    expect(code).toBe(0);
    expect(stdout).toContain('✅ /api/health: ready');
    expect(stdout).toContain('Outputs:\n');
    expect(stdout).toContain('passed: true');
    expect(stdout).toContain('status: succeeded');
    expect(stdout).toContain('Job summary:\n### ✓ Smoke test: all 1 checks passed');
    expect(stdout).toContain('Step succeeded');
    expect(app.hits).toHaveLength(6);
  });
});
