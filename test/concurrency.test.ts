import { describe, expect, test } from '@jest/globals';
import { mapLimit } from '../shared/concurrency.js';

describe('mapLimit', () => {
  test('keeps input order with several in flight', async () => {
    const result = await mapLimit([30, 10, 20], 2, async (ms) => {
      await new Promise((r) => setTimeout(r, ms));
      return ms * 2;
    });
    expect(result).toEqual([60, 20, 40]);
  });

  test('starts no new work after a failure, and waits for the work in flight before failing', async () => {
    const started: number[] = [];
    const finished: number[] = [];
    const run = mapLimit([0, 1, 2, 3, 4, 5], 2, async (item) => {
      started.push(item);
      if (item === 0) throw new Error('upload 0 failed');
      await new Promise((r) => setTimeout(r, 20));
      finished.push(item);
      return item;
    });
    await expect(run).rejects.toThrow('upload 0 failed');
    // Item 1 was already in flight when item 0 failed; nothing after it was started.
    expect(started).toEqual([0, 1]);
    expect(finished).toEqual([1]);
  });
});
