import { failureDetails, failureMessage } from './errors.js';
import { debug, setFailed } from './runner.js';
import { flushSummary } from './summary.js';

/**
 * The one outermost catch of every action: the entry point hands its whole body here, and any error that escapes
 * it becomes the step's failure message. Nothing below this catches an error merely to report it.
 */
export async function runAction(body: () => Promise<void>): Promise<void> {
  let failure: { error: unknown } | undefined;
  try {
    await body();
  } catch (error) {
    failure = { error };
  }
  // The job summary of a failed step matters most: every block appended before the failure is written first.
  await flushSummary().catch((error: unknown) => {
    failure ??= { error };
  });
  if (!failure) return;
  const details = failureDetails(failure.error);
  if (details) debug(details);
  setFailed(failureMessage(failure.error));
}
