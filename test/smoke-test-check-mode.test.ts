// smoke-test's mode validate (the inputs of mode watch or gate checked by smoke-test's own rules, and nothing sent),
// which a deploy workflow's preflight runs before anything changes; and the `result` contract the workflow rolls a
// promoted release back on: `failed` only for a measured failure, never for settings it could not use.
// Through the bundle, as the runner runs it, against loopback servers that count every request they get.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import { setResult, setResultOfError } from '../actions/smoke-test/src/result.js';
import { type RunOptions, type RunResult, runBundle } from '../cli/local-runner.js';
import { json, startTarget, type Target, text } from './fakes/smoke-target.js';
import { closedPort, errors } from './support.js';

let app: Target;
/** Stands where Sentry would be: mode validate must not ask it anything either. */
let sentry: Target;
const workspace = mkdtempSync(join(tmpdir(), 'smoke-validate-ws-'));

beforeAll(async () => {
  app = await startTarget();
  sentry = await startTarget();
  mkdirSync(join(workspace, 'smoke'), { recursive: true });
});
afterAll(async () => {
  await app.close();
  await sentry.close();
});
beforeEach(() => {
  app.reset();
  sentry.reset();
  app.route('/api/health', json(200, { status: 'pass' }));
});

function step(inputs: RunOptions['inputs']): Promise<RunResult> {
  return runBundle({
    action: 'smoke-test',
    inputs,
    env: { GITHUB_SHA: '89abcdef0123456789abcdef0123456789abcdef' },
    workspace,
    timeoutMs: 60_000,
  });
}

const validate = (inputs: RunOptions['inputs']) => step({ mode: 'validate', ...inputs });

/** The bake window's settings as the deploy workflow passes them, Sentry gate included. */
const bake = () => ({
  'base-url': app.url,
  paths: '/api/health, /',
  thresholds: 'p(95)<800, rate<0.05',
  headers: 'Authorization: Bearer validate-Sekret-42\nAccept: application/json',
  'watch-window': '5m',
  'watch-interval': '30s',
  'max-error-rate': '5%',
  'watch-fail-after': '3',
  'sentry-max-new-issues': '0',
  'sentry-url': sentry.url,
  'sentry-org': 'acme',
  'sentry-project': 'web',
  'sentry-token': 'sntrys_validate-token-42',
  'sentry-environment': 'production',
});

const problems = (result: RunResult) => errors(result).join('\n');
const requestsSent = () => app.hits.length + app.connections + sentry.hits.length + sentry.connections;

describe('mode: validate', () => {
  test('good bake settings: exit 0, result valid, and no request reaches the base URL or Sentry', async () => {
    const result = await validate({ 'validate-as': 'watch', ...bake() });
    expect(problems(result)).toBe('');
    expect(result.exitCode).toBe(0);
    expect(result.outputs.result).toBe('valid');
    expect(result.visibleStdout).toContain('The inputs are valid for mode watch (2 checks). No request was sent.');
    expect(requestsSent()).toBe(0);
    expect(result.visibleStdout).not.toContain('validate-Sekret-42');
  });

  test('validate-as defaults to watch: a window shorter than its interval is refused, naming both inputs', async () => {
    const result = await validate({ ...bake(), 'watch-window': '10s', 'watch-interval': '30s' });
    expect(result.exitCode).toBe(1);
    expect(result.outputs.result).toBe('invalid');
    expect(problems(result)).toContain(
      "Input 'watch-window' (10s) must be at least 'watch-interval' (30s): a window holds one tick or more",
    );
    expect(requestsSent()).toBe(0);
  });

  test.each(['0s', '0', 'off', 'false'])(
    "watch-window '%s' is no window: invalid, saying so, and nothing else about the window",
    async (window) => {
      const result = await validate({ ...bake(), 'watch-window': window });
      expect(result.exitCode).toBe(1);
      expect(result.outputs.result).toBe('invalid');
      expect(errors(result)).toEqual([
        `Input 'watch-window' is no window: mode watch needs a duration like 30s, 5m or 1h, from 1s to 6h (to bake not at all, skip this step, as the deploy workflow does for bake-window 0, 0s, off or false), got '${window}'`,
      ]);
    },
  );

  test('several bad inputs are named at once, each with the form it expects', async () => {
    const result = await validate({
      ...bake(),
      thresholds: 'p(95)<300, p95 under 2s',
      'max-error-rate': 'lots',
      'watch-fail-after': '0',
      'watch-window': '10s',
      headers: 'Authorization Bearer validate-Sekret-42',
      'sentry-environment': '',
      'base-url': 'ftp://example.com',
    });
    expect(result.exitCode).toBe(1);
    expect(result.outputs.result).toBe('invalid');
    const text = problems(result);
    expect(text).toMatch(/^7 inputs are invalid:/);
    expect(text).toContain("Input 'thresholds' must be ");
    expect(text).toContain("'p95 under 2s' is not one");
    expect(text).toContain(
      "Input 'max-error-rate' must be a share of failed requests like 5%, 0.5% or 0.05, from 0 to 100%, got 'lots'",
    );
    expect(text).toContain("Input 'watch-fail-after' must be a whole number from 1 to 10000");
    expect(text).toContain("Input 'watch-window' (10s) must be at least 'watch-interval' (30s)");
    expect(text).toContain("Input 'headers' must be 'Name: value' lines");
    expect(text).toContain("Input 'sentry-environment' is required with 'sentry-max-new-issues'");
    expect(text).toContain("Input 'base-url' must be an http(s) URL");
    expect(result.visibleStdout).not.toContain('validate-Sekret-42');
    expect(requestsSent()).toBe(0);
  });

  test('an empty base-url is the URL a later step gives: paths and path checks are valid without it', async () => {
    const withPaths = await validate({ ...bake(), 'base-url': '' });
    expect({ code: withPaths.exitCode, result: withPaths.outputs.result }).toEqual({ code: 0, result: 'valid' });
    writeFileSync(
      join(workspace, 'smoke', 'paths.yml'),
      'checks:\n  - path: /api/health\n    expect:\n      status: 200\n',
    );
    const withFile = await validate({ 'checks-file': 'smoke/paths.yml' });
    expect({ code: withFile.exitCode, result: withFile.outputs.result }).toEqual({ code: 0, result: 'valid' });
    expect(requestsSent()).toBe(0);
  });

  test('a checks file in the workspace is compiled with its problems named; one not there yet is left to the step', async () => {
    writeFileSync(
      join(workspace, 'smoke', 'bad.yml'),
      'checks:\n  - path: /api/health\n    method: FETCH\n    expect:\n      status: 200\n',
    );
    const bad = await validate({ ...bake(), paths: '', 'checks-file': 'smoke/bad.yml' });
    expect(bad.exitCode).toBe(1);
    expect(bad.outputs.result).toBe('invalid');
    expect(problems(bad)).toContain(
      "The checks in smoke/bad.yml have 1 problem:\n- smoke/bad.yml: checks[0].method must be one of GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS, got 'FETCH'",
    );
    const absent = await validate({ ...bake(), paths: '', 'checks-file': 'smoke/not-yet.yml' });
    expect({ code: absent.exitCode, result: absent.outputs.result }).toEqual({ code: 0, result: 'valid' });
    expect(absent.visibleStdout).toContain(
      "Input 'checks-file' (smoke/not-yet.yml) is not in the workspace here: its checks are validated when the step runs.",
    );
    expect(requestsSent()).toBe(0);
  });

  test('validate-as gate checks what mode gate checks: the same problems for the same inputs, and no watch-only rule', async () => {
    const inputs = {
      url: `${app.url}/api/health`,
      'watch-window': '0s',
      'sentry-max-new-issues': '0',
      'sentry-org': 'acme',
      'sentry-project': 'web',
      'sentry-token': 'sntrys_x-42',
      'sentry-environment': 'production',
      timeout: '10m',
    };
    const asGate = await validate({ 'validate-as': 'gate', ...inputs });
    const gate = await step({ mode: 'gate', ...inputs });
    expect(asGate.outputs.result).toBe('invalid');
    expect(errors(asGate)).toEqual(errors(gate));
    expect(problems(asGate)).toContain("Input 'sentry-max-new-issues' gates the bake window: set mode: watch too");
    expect(problems(asGate)).toContain("Input 'timeout' (10m) must not be longer than 'deadline' (5m)");
    // A regression gate belongs to mode gate and is refused in watch: the rules are the named mode's.
    const regression = { url: `${app.url}/api/health`, regression: 'p(95) < 1.3x' };
    expect((await validate({ 'validate-as': 'gate', ...regression })).outputs.result).toBe('valid');
    const asWatch = await validate({ 'validate-as': 'watch', ...regression });
    expect(asWatch.outputs.result).toBe('invalid');
    expect(problems(asWatch)).toContain(
      "Input 'regression' compares a release with the last good one before it is promoted; it does not apply to mode 'watch'",
    );
    expect(app.hits).toHaveLength(0);
  });

  test('validate-as names watch or gate, and only with mode validate', async () => {
    const monitor = await validate({ 'validate-as': 'monitor', url: `${app.url}/` });
    expect(monitor.outputs.result).toBe('invalid');
    expect(problems(monitor)).toContain("Input 'validate-as' must be one of watch, gate, got 'monitor'");
    const stray = await step({ mode: 'gate', 'validate-as': 'watch', url: `${app.url}/` });
    expect(stray.outputs.result).toBe('invalid');
    expect(problems(stray)).toContain(
      "Input 'validate-as' names the mode whose inputs mode 'validate' checks: set mode: validate too",
    );
    expect(app.hits).toHaveLength(0);
  });
});

describe("mode: watch's result: failed only for a measured failure", () => {
  test("a '0s' window is an input error: result invalid, not failed, and no request sent", async () => {
    const result = await step({ mode: 'watch', ...bake(), 'watch-window': '0s' });
    expect(result.exitCode).toBe(1);
    expect(result.outputs.result).toBe('invalid');
    expect(problems(result)).toContain("Input 'watch-window' is no window");
    expect(requestsSent()).toBe(0);
  });

  test('a checks file or CA file that cannot be read is invalid settings, not a failing window', async () => {
    const noChecks = await step({
      mode: 'watch',
      'watch-window': '2s',
      'watch-interval': '1s',
      'checks-file': 'smoke/missing.yml',
    });
    expect({ code: noChecks.exitCode, result: noChecks.outputs.result }).toEqual({ code: 1, result: 'invalid' });
    expect(problems(noChecks)).toContain("Input 'checks-file': cannot read smoke/missing.yml (ENOENT)");
    const noCa = await step({
      mode: 'watch',
      'watch-window': '2s',
      'watch-interval': '1s',
      url: `${app.url}/api/health`,
      'ca-file': 'smoke/missing-ca.pem',
    });
    expect({ code: noCa.exitCode, result: noCa.outputs.result }).toEqual({ code: 1, result: 'invalid' });
    expect(problems(noCa)).toContain("Input 'ca-file' must be a PEM file of CA certificates: there is no file");
    expect(problems(noCa)).toContain('smoke/missing-ca.pem');
    expect(noCa.outputs['failure-reason'] ?? '').toBe('');
    expect(app.hits).toHaveLength(0);
  });

  test('production answering 500 is a measured failure: result failed, with the measurements', async () => {
    app.route('/api/orders', text(500, 'Internal Server Error', 'text/plain'));
    const result = await step({
      mode: 'watch',
      url: `${app.url}/api/orders`,
      'watch-window': '3s',
      'watch-interval': '1s',
      'watch-fail-after': '2',
      'max-error-rate': '100%',
    });
    expect(result.exitCode).toBe(1);
    expect(result.outputs.result).toBe('failed');
    expect(result.outputs['failure-reason']).toMatch(/^GET \/api\/orders: 2 consecutive failures \(HTTP 500\)/);
  });

  test('a gate unreadable on every tick, with every check passing, is inconclusive: no verdict against the release', async () => {
    const result = await step({
      mode: 'watch',
      ...bake(),
      paths: '/api/health',
      thresholds: '',
      'watch-window': '2s',
      'watch-interval': '1s',
      'sentry-url': `http://127.0.0.1:${await closedPort()}`,
    });
    expect(result.exitCode).toBe(1);
    expect(result.outputs.result).toBe('inconclusive');
    expect(result.outputs['failure-reason']).toMatch(/^sentry new issues: could not be evaluated on any of 2 ticks/);
    // The same unreadable gate beside a measured failure: that failure decides.
    app.route('/api/health', text(500, 'down', 'text/plain'));
    const both = await step({
      mode: 'watch',
      ...bake(),
      paths: '/api/health',
      thresholds: '',
      'watch-window': '2s',
      'watch-interval': '1s',
      'watch-fail-after': '2',
      'sentry-url': `http://127.0.0.1:${await closedPort()}`,
    });
    expect(both.outputs.result).toBe('failed');
  });
});

describe('the result of a step that stopped before its verdict', () => {
  // No input or server makes the bundle fail on its own code, so the entry point's classification is run here, in
  // this process (a fresh module: no result written yet), reading GITHUB_OUTPUT as the runner does.
  test('an unexpected error is result error; a result already written stands', () => {
    const saved = process.env.GITHUB_OUTPUT;
    const file = join(workspace, 'output');
    writeFileSync(file, '');
    process.env.GITHUB_OUTPUT = file;
    try {
      const results = () => [...readFileSync(file, 'utf8').matchAll(/^result<<(\S+)\n(.*)\n\1$/gm)].map((m) => m[2]);
      setResultOfError(new TypeError("Cannot read properties of undefined (reading 'name')"));
      expect(results()).toEqual(['error']);
      setResult('failed');
      setResultOfError(new Error('thrown after the verdict was published'));
      expect(results()).toEqual(['error', 'failed']);
    } finally {
      process.env.GITHUB_OUTPUT = saved;
    }
  });
});
