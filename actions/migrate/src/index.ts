// Entry point of the migrate action: validate inputs, then load and run the rest (the PostgreSQL driver and the
// WASM parser stay out of the cold path).
import { runAction } from '../../../shared/action.js';
import { readMigrateInputs } from './inputs.js';

await runAction(async () => {
  const inputs = readMigrateInputs();
  const { run } = await import('./run.js');
  await run(inputs);
});
