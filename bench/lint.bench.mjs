// npm run bench lint: the lint accuracy measurement (bench/lint-accuracy.mjs) with its default options; pass
// --readme, --unjudged or --confirmed by running that script directly.
import { main } from './lint-accuracy.mjs';

export default async function bench() {
  await main([]);
}
