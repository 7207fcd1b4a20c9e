// Entry point of the smoke-test action: validate inputs, then load and run the rest (kept out of the cold path).
import { exitOnceFlushed, runAction } from '../../../shared/action.js';
import { readSmokeTestInputs } from './inputs.js';
import { setResultOfError } from './result.js';

const end = { requestsLeftBehind: false };
await runAction(async () => {
  try {
    const inputs = readSmokeTestInputs();
    const { run } = await import('./run.js');
    await run(inputs, end);
  } catch (error) {
    // A step that stopped before its verdict still says why in `result` (invalid or error), never `failed`.
    setResultOfError(error);
    throw error;
  }
});
// A cache request abandoned at cache-timeout may never end (the toolkit sends it without a timeout): once the
// step has reported, it must not keep the job waiting. The exit code set by the step stands.
if (end.requestsLeftBehind) await exitOnceFlushed();
