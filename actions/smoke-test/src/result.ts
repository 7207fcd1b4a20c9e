// The `result` output, in one place, because a workflow acts on it: the deploy workflow rolls a promoted release
// back only when the bake window's result is `failed`. So `failed` means a measured verdict against the release
// (checks, error rate, thresholds, a gate's reading) and nothing else; a step that could not measure says so with
// a value of its own, and fails all the same. Kept light: the entry point imports it on the cold path.
import { InputError, ShiplineError } from '../../../shared/errors.js';
import { setOutput } from '../../../shared/runner.js';

/**
 * - passed / failed: what was measured (every mode but validate).
 * - inconclusive: mode watch ran but could not judge the release (a gate unreadable on every tick, or the deadline
 *   ended the window early) and nothing it did measure failed.
 * - valid / invalid: the inputs (mode validate says valid; any mode says invalid when it refuses them).
 * - error: anything else stopped the step before a verdict.
 */
export type Result = 'passed' | 'failed' | 'inconclusive' | 'valid' | 'invalid' | 'error';

/** A problem with the settings found after the inputs were read: in the checks document, say, or a file it names. */
export class SettingsError extends ShiplineError {}

let written: Result | undefined;

export function setResult(result: Result): void {
  written = result;
  setOutput('result', result);
}

/** For a step that ends with `error` thrown: `invalid` for bad settings, `error` otherwise; a result already written stands. */
export function setResultOfError(error: unknown): void {
  if (written !== undefined) return;
  setResult(error instanceof InputError || error instanceof SettingsError ? 'invalid' : 'error');
}
