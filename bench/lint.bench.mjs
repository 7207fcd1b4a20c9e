// npm run bench lint: the lint accuracy measurement (bench/lint-accuracy.mjs) with its default options; pass
// --readme, --unjudged or --confirmed by running that script directly. Without git copies of the measured
// repositories (LINT_CORPUS_GIT) it says so and the other benchmarks still run.
import { main } from './lint-accuracy.mjs';

export default async function bench() {
  try {
    await main([]);
  } catch (error) {
    if (!String(error?.message).startsWith('no git copy of')) throw error;
    console.log(`skipped: ${error.message}`);
  }
}
