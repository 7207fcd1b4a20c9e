// Entry point of the rollback action: validate inputs, then load and run the rest (kept out of the cold path).
import { runAction } from '../../../shared/action.js';
import { readRollbackInputs } from './inputs.js';

await runAction(async () => {
  const inputs = readRollbackInputs();
  const { run } = await import('./run.js');
  await run(inputs);
});
