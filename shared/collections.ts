// Loops for lists whose length outside input decides (a migration file's statements, a health document's
// components, a watch's samples): `target.push(...items)` and `Math.max(...values)` pass every item as an argument,
// and past about 120,000 of them that overflows the stack (RangeError) whatever the memory.

/** Appends every item to `target`, one at a time. */
export function appendAll<T>(target: T[], items: Iterable<T>): T[] {
  for (const item of items) target.push(item);
  return target;
}

/** The largest of `values`, or `floor` when it is larger or there are none. */
export function largest(values: Iterable<number>, floor = -Infinity): number {
  let max = floor;
  for (const value of values) if (value > max) max = value;
  return max;
}

/** The smallest of `values`, or `ceiling` when it is smaller or there are none. */
export function smallest(values: Iterable<number>, ceiling = Infinity): number {
  let min = ceiling;
  for (const value of values) if (value < min) min = value;
  return min;
}

/**
 * How deeply arrays and objects nest in a parsed JSON value, counted without recursion (JSON.parse reads any depth,
 * but a recursive walk, JSON.stringify among them, overflows the stack near 10,000 levels). Stops counting past
 * `limit`: the answer is then `limit + 1`, whatever the real depth.
 */
export function nestingDepth(value: unknown, limit: number): number {
  let deepest = 0;
  const pending: Array<[unknown, number]> = [[value, 1]];
  while (pending.length > 0) {
    const [item, depth] = pending.pop() as [unknown, number];
    if (item === null || typeof item !== 'object') continue;
    if (depth > deepest) deepest = depth;
    if (deepest > limit) return limit + 1;
    for (const child of Object.values(item))
      if (child !== null && typeof child === 'object') pending.push([child, depth + 1]);
  }
  return deepest;
}
