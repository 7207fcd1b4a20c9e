// npm run bench [name]: every bench/<name>.bench.mjs in turn (cold start first), each printing ratios against
// a baseline measured in the same run.
import { readdirSync } from 'node:fs';

const only = process.argv[2];
const names = readdirSync(new URL('.', import.meta.url))
  .filter((f) => f.endsWith('.bench.mjs'))
  .map((f) => f.slice(0, -'.bench.mjs'.length))
  .sort((a, b) => (a === 'cold-start' ? -1 : b === 'cold-start' ? 1 : a.localeCompare(b)));
for (const name of names) {
  if (only && only !== name) continue;
  console.log(`\n## ${name}\n`);
  const { default: bench } = await import(`./${name}.bench.mjs`);
  await bench();
}
