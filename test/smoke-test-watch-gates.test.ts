// The bake window's extension point: WindowGates read once per tick. The bundle builds its gates from the inputs
// (windowGatesFromInputs); these tests hand run() gates of their own, in this process, and read the outputs and
// the summary from the runner's files as a later step would.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, jest, test } from '@jest/globals';
import { readSmokeTestInputs } from '../actions/smoke-test/src/inputs.js';
import { run } from '../actions/smoke-test/src/run.js';
import type { GateReading, WindowGate } from '../actions/smoke-test/src/window-gates.js';
import { windowGatesFromInputs } from '../actions/smoke-test/src/window-gates.js';
import { flushSummary } from '../shared/summary.js';
import { json, startTarget, type Target } from './fakes/smoke-target.js';

let app: Target;
const dir = mkdtempSync(join(tmpdir(), 'smoke-watch-gates-'));
let log: string[];
const saved = { output: process.env.GITHUB_OUTPUT, summary: process.env.GITHUB_STEP_SUMMARY };

beforeAll(async () => {
  app = await startTarget();
  app.route('/api/health', json(200, { status: 'pass' }));
});
afterAll(() => app.close());
beforeEach(() => {
  process.env.GITHUB_OUTPUT = join(dir, 'output');
  process.env.GITHUB_STEP_SUMMARY = join(dir, 'summary.md');
  writeFileSync(process.env.GITHUB_OUTPUT, '');
  writeFileSync(process.env.GITHUB_STEP_SUMMARY, '');
  log = [];
  jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    log.push(String(chunk));
    return true;
  });
});
afterEach(() => {
  jest.restoreAllMocks();
  process.env.GITHUB_OUTPUT = saved.output;
  process.env.GITHUB_STEP_SUMMARY = saved.summary;
});

/** The outputs as the runner reads GITHUB_OUTPUT: name<<delimiter, value, delimiter. */
function outputs(): Record<string, string> {
  const text = readFileSync(join(dir, 'output'), 'utf8');
  const found: Record<string, string> = {};
  for (const m of text.matchAll(/^([\w-]+)<<(\S+)\n([\s\S]*?)\n\2$/gm)) found[m[1] as string] = m[3] as string;
  return found;
}

function inputsFor(extra: Record<string, string> = {}) {
  const raw: Record<string, string> = {
    url: `${app.url}/api/health`,
    mode: 'watch',
    'watch-interval': '1s',
    'watch-window': '3s',
    timeout: '1s',
    ...extra,
  };
  return readSmokeTestInputs((name) => raw[name] ?? '');
}

/** A gate that answers from a script, one entry per tick, and records the signals it was given. */
function scripted(
  name: string,
  script: ((signal: AbortSignal) => Promise<GateReading>)[],
): WindowGate & { calls: number; signals: AbortSignal[] } {
  const gate = {
    name,
    calls: 0,
    signals: [] as AbortSignal[],
    check(signal: AbortSignal) {
      const step = script[Math.min(gate.calls, script.length - 1)] as (signal: AbortSignal) => Promise<GateReading>;
      gate.calls++;
      gate.signals.push(signal);
      return step(signal);
    },
  };
  return gate;
}

const reading = (ok: boolean, measurement: string) => () => Promise.resolve({ ok, measurement });
const down = (message: string) => () => Promise.reject(new Error(message));

describe('window gates', () => {
  test('none by default: the inputs build no gate', () => {
    expect(windowGatesFromInputs(inputsFor())).toEqual([]);
  });

  test('a gate read every tick that passes keeps the window passing, and the summary lists its readings', async () => {
    const gate = scripted('sentry new issues', [reading(true, '0 new issues (max 0)')]);
    await run(inputsFor(), undefined, [gate]);
    expect(gate.calls).toBe(3);
    expect(outputs()).toMatchObject({ result: 'passed', ticks: '3' });
    await flushSummary();
    expect(readFileSync(join(dir, 'summary.md'), 'utf8')).toContain(
      '| sentry new issues | 3 | 0 | 0 | 0 new issues (max 0) |',
    );
  });

  test('a gate that fails ends the window on that tick, its measurement the failure reason', async () => {
    const gate = scripted('sentry new issues', [
      reading(true, '0 new issues (max 0)'),
      reading(false, '2 new issues (max 0): TypeError in checkout'),
    ]);
    const hits = app.hits.length;
    await expect(run(inputsFor({ 'watch-window': '10s' }), undefined, [gate])).rejects.toThrow(
      /sentry new issues: 2 new issues \(max 0\): TypeError in checkout/,
    );
    // Two ticks of ten: two readings and two requests, none after the failing one.
    expect(gate.calls).toBe(2);
    expect(app.hits.length - hits).toBe(2);
    expect(outputs()).toMatchObject({
      result: 'failed',
      ticks: '2',
      'failure-reason': 'sentry new issues: 2 new issues (max 0): TypeError in checkout',
    });
  });

  test('a gate whose API is down on some ticks is a warning for those ticks, not a failure', async () => {
    const gate = scripted('sentry new issues', [
      down('HTTP 502 from sentry.io'),
      reading(true, '0 new issues (max 0)'),
    ]);
    await run(inputsFor(), undefined, [gate]);
    expect(outputs().result).toBe('passed');
    expect(log.join('')).toMatch(
      /::warning title=smoke-test%3A sentry new issues not evaluated::sentry new issues: not evaluated on tick 1 \(HTTP 502 from sentry.io\)/,
    );
  });

  test("a gate that cannot be read on any tick fails the step at the window's end, inconclusive: it could not be evaluated", async () => {
    const gate = scripted('sentry new issues', [down('HTTP 502 from sentry.io')]);
    await expect(run(inputsFor({ 'watch-window': '4s' }), undefined, [gate])).rejects.toThrow(
      /sentry new issues: could not be evaluated on any of 4 ticks \(last: HTTP 502 from sentry.io\)/,
    );
    expect(gate.calls).toBe(4);
    // Not `failed`: nothing measured the release, and a workflow rolls back on `failed` alone.
    expect(outputs().result).toBe('inconclusive');
    // Three warning annotations, not one per tick; the fourth miss is in the log.
    const text = log.join('');
    expect(text.match(/^::warning title=smoke-test%3A sentry new issues not evaluated::/gm)).toHaveLength(3);
    expect(text).toMatch(/^sentry new issues: not evaluated on tick 4 \(HTTP 502 from sentry.io\)/m);
  });

  test('a gate that never answers is given up at the timeout: its signal is aborted and the window goes on', async () => {
    const gate = scripted('stuck gate', [() => new Promise<GateReading>(() => undefined)]);
    await expect(run(inputsFor({ 'watch-window': '2s', timeout: '500ms' }), undefined, [gate])).rejects.toThrow(
      /stuck gate: could not be evaluated on any of 2 ticks \(last: no reading within 0.5s\)/,
    );
    // Each tick's reading was given up (its signal aborted, with the timeout as the reason), and the window went on
    // to its second tick instead of waiting on the first.
    expect(gate.calls).toBe(2);
    expect(gate.signals).toHaveLength(2);
    expect(gate.signals.every((s) => s.aborted)).toBe(true);
    expect(gate.signals.map((s) => (s.reason as Error).message)).toEqual([
      'no reading within 0.5s',
      'no reading within 0.5s',
    ]);
  });
});
