// Entry point of the rollback action: validate inputs, then load and run the rest (kept out of the cold path).
import { runAction } from '../../../shared/action.js';
import { readRollbackInputs } from './inputs.js';

await runAction(async () => {
  const inputs = readRollbackInputs();
  const [{ run }, { realRollbackDeps }] = await Promise.all([import('./run.js'), import('./deps.js')]);
  await run(inputs, realRollbackDeps(inputs));
});
