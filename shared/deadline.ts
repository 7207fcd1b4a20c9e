// Deadlines on the monotonic clock, shared by every wait that must hold its bound while the runner's wall clock
// steps (NTP, a suspended VM): providers' polls, lookups and clean-ups.

/**
 * Now in ms since the epoch, read from the monotonic clock (performance.timeOrigin + performance.now()): deadlines
 * are computed with this, not Date.now(), so a wall clock that steps (NTP, a suspended runner) moves none of them.
 */
export const monotonicNow = (): number => performance.timeOrigin + performance.now();

/**
 * A deploy's deadline on the monotonic clock. The number a provider is given (ms since the epoch, from
 * monotonicNow) is read on that clock, so a wall clock that jumps neither cuts a wait short nor stretches it.
 */
export class Deadline {
  /** On performance.now()'s scale. */
  private readonly end: number;
  constructor(epochMs: number) {
    this.end = epochMs - performance.timeOrigin;
  }
  /** Whole milliseconds left (negative once passed): timers and AbortSignal.timeout take integers only. */
  left(): number {
    return Math.floor(this.end - performance.now());
  }
  passed(): boolean {
    return this.left() <= 0;
  }
  /** For http.ts's `deadline` option, which takes ms since the epoch: recomputed from the monotonic time left. */
  epoch(): number {
    return Date.now() + this.left();
  }
  /** A deadline `ms` from now, for clean-up after the deploy's own deadline (cancelling a build we gave up on). */
  static in(ms: number): Deadline {
    return new Deadline(monotonicNow() + ms);
  }
}
