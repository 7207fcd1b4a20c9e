// Gates of the bake window (mode: watch) other than the HTTP checks: something read once per tick — a Sentry
// release's new issues, say — that can end the window as failed. Each gate is built from the action's inputs here,
// in one place: a new gate adds its inputs (inputs.ts, action.yml) and one entry in windowGatesFromInputs.
import type { SmokeTestInputs } from './inputs.js';

/** What a gate measured on one tick. */
export interface GateReading {
  /** false: the window fails now, with `measurement` (and `detail`) as the reason. */
  ok: boolean;
  /** One short line people read in the failure reason and the summary, e.g. "2 new issues (max 0)". */
  measurement: string;
  /** More text for the summary (not the one-line failure reason). */
  detail?: string;
}

export interface WindowGate {
  /** Names the gate in the log, the summary and the failure reason, e.g. 'sentry new issues'. */
  name: string;
  /**
   * Called once per tick; returns a measurement and whether the window must fail now. Must honour `signal`: it is
   * aborted when the tick's time is up (the request timeout, cut to the window's hard bound), and the window does
   * not wait for a gate past that. A gate that throws (its API is down) is a warning for that tick; a gate that
   * throws (or does not answer in time) on every tick of the window fails the window: it could not be evaluated.
   */
  check(signal: AbortSignal): Promise<GateReading>;
}

/**
 * The gates the inputs ask for, in the order they are read each tick. None by default. Tests hand run() their own
 * gates instead; the bundle always builds them here.
 */
export function windowGatesFromInputs(inputs: SmokeTestInputs): WindowGate[] {
  const gates: WindowGate[] = [];
  // One entry per gate, e.g.: if (inputs['sentry-max-new-issues'] !== undefined) gates.push(sentryNewIssues(inputs));
  void inputs;
  return gates;
}
