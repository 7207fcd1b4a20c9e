// Entry point of the deploy action: validate inputs, then load and run the rest (kept out of the cold path).
import { runAction } from '../../../shared/action.js';
import { readDeployInputs } from './inputs.js';

await runAction(async () => {
  const inputs = readDeployInputs();
  if (inputs.command === 'preflight') {
    const { preflight } = await import('./preflight.js');
    return preflight(inputs);
  }
  const [{ run }, { realDeployDeps }] = await Promise.all([import('./run.js'), import('./deps.js')]);
  await run(inputs, realDeployDeps(inputs));
});
