import { describe, expect, test } from '@jest/globals';
import { mapLimit } from '../shared/concurrency.js';

/** A promise the test settles when it chooses: the order work finishes in is set by the test, not by timers. */
function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve: (value: T) => void = () => undefined;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/** Lets every piece of work that can start or finish now do so (one turn of the event loop). */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('mapLimit', () => {
  test('keeps input order with several in flight', async () => {
    const done = [deferred(), deferred(), deferred()];
    const started: number[] = [];
    const run = mapLimit([0, 1, 2], 2, async (item) => {
      started.push(item);
      await done[item]?.promise;
      return item * 2;
    });
    await settle();
    expect(started).toEqual([0, 1]);
    // The second finishes first, which frees its slot for the third; the first finishes last.
    done[1]?.resolve();
    await settle();
    expect(started).toEqual([0, 1, 2]);
    done[2]?.resolve();
    done[0]?.resolve();
    expect(await run).toEqual([0, 2, 4]);
  });

  test('starts no new work after a failure, and waits for the work in flight before failing', async () => {
    const started: number[] = [];
    const finished: number[] = [];
    const inFlight = deferred();
    let rejected = false;
    const run = mapLimit([0, 1, 2, 3, 4, 5], 2, async (item) => {
      started.push(item);
      if (item === 0) throw new Error('upload 0 failed');
      await inFlight.promise;
      finished.push(item);
      return item;
    });
    void run.catch(() => {
      rejected = true;
    });
    await settle();
    // Item 1 was already in flight when item 0 failed: the failure waits for it; nothing after it was started.
    expect(rejected).toBe(false);
    inFlight.resolve();
    await expect(run).rejects.toThrow('upload 0 failed');
    expect(started).toEqual([0, 1]);
    expect(finished).toEqual([1]);
  });
});
