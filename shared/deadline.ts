// Deadlines on the monotonic clock, shared by every wait that must hold its bound while the runner's wall clock
// steps (NTP, a suspended VM): providers' polls, lookups, clean-ups and every request of shared/http.ts.

/**
 * A point in time on performance.now()'s clock. It is created once per step (`Deadline.in(wait-timeout)`) and
 * handed down as it is, so no layer converts it to or from the wall clock.
 */
export class Deadline {
  /**
   * `name`: what set the bound, in the words of the input or rule that did ("wait-timeout 15s"), so an error at the
   * deadline can say which bound ended the wait.
   */
  private constructor(
    private readonly end: number,
    readonly name: string | undefined,
  ) {}

  /** A deadline `ms` from now. */
  static in(ms: number, name?: string): Deadline {
    return new Deadline(performance.now() + ms, name);
  }

  /** Whole milliseconds left (negative once passed): timers and AbortSignal.timeout take integers only. */
  left(): number {
    return Math.floor(this.end - performance.now());
  }

  passed(): boolean {
    return this.left() <= 0;
  }
}
