// Entry point of the smoke-test action: validate inputs, then load and run the rest (kept out of the cold path).
import { runAction } from '../../../shared/action.js';
import { readSmokeTestInputs } from './inputs.js';

await runAction(async () => {
  const inputs = readSmokeTestInputs();
  const { run } = await import('./run.js');
  await run(inputs);
});
