// Entry point of the migrate action: validate inputs, then load and run the rest (the PostgreSQL driver and the
// WASM parser stay out of the cold path).
import { exitOnceFlushed, runAction } from '../../../shared/action.js';
import { readMigrateInputs } from './inputs.js';

await runAction(async () => {
  const inputs = readMigrateInputs();
  const { run } = await import('./run.js');
  await run(inputs);
});
// Everything is reported, every connection closed or hung up (the server ends those sessions and their locks).
// Node's teardown would then free the heap the WebAssembly parser grew, about 30 ms of a run that applies 100
// files to a database 20 ms away (npm run bench migrate; bench/migrate-latency.md, fix 11); nothing is waiting for it.
await exitOnceFlushed();
