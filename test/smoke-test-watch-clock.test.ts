// The bake window's schedule, in this process on a clock the test owns: watchWindow takes its clock and its sleep
// from the runtime it is given, so when each tick runs and how long the window waits between them are read from
// the sleeps it asks for, never from the wall clock. The requests themselves go to a loopback target; a route may
// move the clock to stand for a slow answer.
import { afterAll, beforeAll, beforeEach, describe, expect, jest, test } from '@jest/globals';
import { checksFromInputs } from '../actions/smoke-test/src/checks.js';
import type { Runtime } from '../actions/smoke-test/src/execute.js';
import { readSmokeTestInputs } from '../actions/smoke-test/src/inputs.js';
import { Connections } from '../actions/smoke-test/src/probe.js';
import { watchWindow, type WatchSettings } from '../actions/smoke-test/src/watch.js';
import { json, startTarget, type Target } from './fakes/smoke-target.js';

let app: Target;
beforeAll(async () => {
  app = await startTarget();
});
afterAll(() => app.close());

/** The test's clock: moved by the sleeps the window asks for, and by routes that stand for slow answers. */
let now: number;
let sleeps: number[];
beforeEach(() => {
  app.reset();
  now = 0;
  sleeps = [];
  // Each tick logs a line; not what these tests read.
  jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
});

function runtime(connections: Connections): Runtime {
  return {
    connections,
    tlsFor: () => ({ insecure: false }),
    now: () => now,
    sleep: async (ms) => {
      sleeps.push(ms);
      now += ms;
    },
  };
}

async function watchOn(path: string, window: Partial<WatchSettings> & Pick<WatchSettings, 'windowMs' | 'intervalMs'>) {
  const inputs = readSmokeTestInputs(
    (name) => ({ url: `${app.url}${path}`, mode: 'watch', timeout: '5s' })[name] ?? '',
  );
  const { checks, overallThresholds } = checksFromInputs(inputs);
  const connections = new Connections();
  try {
    return await watchWindow(
      checks,
      overallThresholds,
      [],
      {
        failAfter: 3,
        maxErrorRate: 0.1,
        concurrency: 1,
        gateTimeoutMs: 5000,
        hardEndAt: window.windowMs + 5000,
        ...window,
      },
      runtime(connections),
    );
  } finally {
    connections.close();
  }
}

const ticksAt = (result: Awaited<ReturnType<typeof watchOn>>) => result.checks[0]?.samples.map((s) => s.atMs);

describe('the watch window on an injected clock', () => {
  test('a healthy window runs out its clock: a tick at its opening, then one per interval, sleeping the interval between', async () => {
    app.route('/ok', json(200, { ok: true }));
    const result = await watchOn('/ok', { windowMs: 3000, intervalMs: 1000 });
    expect(sleeps).toEqual([1000, 1000]);
    expect(ticksAt(result)).toEqual([0, 1000, 2000]);
    expect(result).toMatchObject({ ticks: 3, plannedTicks: 3, endedEarly: false });
    expect(app.hits).toHaveLength(3);
  });

  test('a tick that overruns its interval delays the next one, and missed ticks are not made up in a burst', async () => {
    // The first answer takes 1.5 s of the test's clock: the second tick (due at 1 s) runs at once, the third on time.
    app.route('/slow-once', (req, res, n) => {
      if (n === 1) now += 1500;
      return json(200, { ok: true })(req, res, n);
    });
    const result = await watchOn('/slow-once', { windowMs: 3000, intervalMs: 1000 });
    expect(sleeps).toEqual([500]);
    expect(ticksAt(result)).toEqual([0, 1500, 2000]);
    expect(result.ticks).toBe(3);
  });

  test("no tick starts at or after the window's end, however late the one before it finished", async () => {
    // The first answer takes the whole window: nothing is left to run.
    app.route('/slow-all', (req, res, n) => {
      if (n === 1) now += 3000;
      return json(200, { ok: true })(req, res, n);
    });
    const result = await watchOn('/slow-all', { windowMs: 3000, intervalMs: 1000 });
    expect(sleeps).toEqual([]);
    expect(ticksAt(result)).toEqual([0]);
    expect(app.hits).toHaveLength(1);
  });

  test("a wait never runs past the hard bound (the deadline, when it comes before the window's end)", async () => {
    app.route('/ok', json(200, { ok: true }));
    const result = await watchOn('/ok', { windowMs: 10_000, intervalMs: 4000, hardEndAt: 6000 });
    // Ticks due at 0, 4 s and 8 s; the deadline at 6 s cuts the second wait to 2 s, and no tick runs at it.
    expect(sleeps).toEqual([4000, 2000]);
    expect(ticksAt(result)).toEqual([0, 4000]);
    expect(result.ticks).toBe(2);
  });
});
