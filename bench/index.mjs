// npm run bench: every benchmark, each printing ratios against a baseline measured in the same run.
import { coldStart } from './cold-start.mjs';

const only = process.argv[2];
const benches = { 'cold-start': coldStart };
for (const [name, bench] of Object.entries(benches)) {
  if (only && only !== name) continue;
  console.log(`\n## ${name}\n`);
  await bench();
}
