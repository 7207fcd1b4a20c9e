// Entry point of the notify action: validate inputs, then load and run the rest (kept out of the cold path).
import { runAction } from '../../../shared/action.js';
import { readNotifyInputs } from './inputs.js';

await runAction(async () => {
  const inputs = readNotifyInputs();
  const { run } = await import('./run.js');
  await run(inputs);
});
