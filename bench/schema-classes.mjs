// Expand/contract classification (actions/migrate/src/schema-change.ts) on the lint accuracy corpus: each file of
// each folder classified as its own release (the folders bench/lint-accuracy.mjs extracts into .bench/lint-corpus/),
// counted per folder and per kind of contract change. `--sample N` also prints N contract and N expand files per
// folder (the same ones on every run) to review by hand.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadProductCode, statementsOf } from './lint-accuracy.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const corpus = JSON.parse(readFileSync(join(root, 'bench', 'lint-corpus.json'), 'utf8'));
const sampleArg = process.argv.indexOf('--sample');
const sample = sampleArg > 0 ? Number(process.argv[sampleArg + 1]) : 0;

// A small seeded generator, so a sample is the same on every run.
let seed = 20261207;
const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
const pick = (list, n) =>
  list
    .map((item) => [random(), item])
    .sort((a, b) => a[0] - b[0])
    .slice(0, n)
    .map(([, item]) => item);

/** The kind of contract change a reason names, without the names of the objects it touches. */
function kindOf(reason) {
  const [verb, second, third] = reason.split(' ');
  if (verb === 'makes') return 'makes a column NOT NULL';
  if (verb === 'rewrites') return 'rewrites existing rows (UPDATE)';
  if (verb === 'adds') return 'adds a NOT NULL column without a default';
  if (verb === 'changes') return 'changes a column type';
  if (verb === 'empties') return 'empties a table (TRUNCATE)';
  if (verb === 'deletes') return 'deletes rows (DELETE)';
  if (verb === 'moves') return 'moves a table to another schema';
  return second === 'the' ? `${verb} the ${third}` : `${verb} ${second}`;
}

const product = await loadProductCode();
const rows = [];
const kinds = new Map();
for (const folder of corpus.folders) {
  const dir = join(root, '.bench', 'lint-corpus', folder.id, 'migrations');
  const classified = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.sql'))) {
    const { statements } = await statementsOf(product, folder.format, readFileSync(join(dir, file), 'utf8'));
    const contract = product.firstContract(
      statements,
      await product.parseDoBodies(statements),
      product.newReleaseSchema(),
    );
    classified.push({ file, contract });
    if (contract) kinds.set(kindOf(contract.reason), (kinds.get(kindOf(contract.reason)) ?? 0) + 1);
  }
  const contracts = classified.filter((c) => c.contract);
  rows.push(
    `| ${folder.repo} | ${folder.tool} | ${classified.length} | ${classified.length - contracts.length} | ${contracts.length} |`,
  );
  if (sample > 0) {
    for (const c of pick(contracts, sample)) console.log(`contract ${folder.id} ${c.file}: ${c.contract.reason}`);
    for (const c of pick(
      classified.filter((x) => !x.contract),
      sample,
    ))
      console.log(`expand ${folder.id} ${c.file}`);
  }
}
console.log('\n| folder | tool | files | expand | contract |\n| --- | --- | --- | --- | --- |');
console.log(rows.join('\n'));
console.log('\n| contract because it … | files |\n| --- | --- |');
for (const [kind, count] of [...kinds].sort((a, b) => b[1] - a[1])) console.log(`| ${kind} | ${count} |`);
