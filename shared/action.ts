import { failureDetails, failureMessage } from './errors.js';
import { debug, setFailed } from './runner.js';

/**
 * The one outermost catch of every action: the entry point hands its whole body here, and any error that escapes
 * it becomes the step's failure message. Nothing below this catches an error merely to report it.
 */
export async function runAction(body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (error) {
    const details = failureDetails(error);
    if (details) debug(details);
    setFailed(failureMessage(error));
  }
}
