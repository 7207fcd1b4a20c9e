// The provider inputs (provider, token, project, …) that deploy and rollback both take are declared once, in
// actions/provider-inputs.yml. This copies that block, as written, into each action.yml that carries the
// "provider inputs" markers; `--check` changes nothing (`--root <dir>`: another checkout) and exits 1 naming every copy that differs (the tests run
// it, so a hand edit of one action.yml cannot drift from the other). `npm run build` runs it first.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

export const BEGIN =
  '  # >>> provider inputs: generated from actions/provider-inputs.yml by scripts/provider-inputs.mjs; edit there';
export const END = '  # <<< provider inputs';
export const ACTIONS = ['deploy', 'rollback'];

/** The block's lines as they go into an action.yml: the source's `inputs:` map, comments above it left out. */
export function sourceBlock(root) {
  const text = readFileSync(join(root, 'actions', 'provider-inputs.yml'), 'utf8');
  const doc = parse(text);
  if (!doc?.inputs || typeof doc.inputs !== 'object')
    throw new Error('actions/provider-inputs.yml: expected an `inputs:` map');
  const lines = text.replace(/\n+$/, '').split('\n');
  return lines.slice(lines.indexOf('inputs:') + 1);
}

/** The action.yml text with its marked block replaced by `block`; throws when the markers are missing. */
export function withBlock(actionYml, block, file) {
  const lines = actionYml.split('\n');
  const begin = lines.indexOf(BEGIN);
  const end = lines.indexOf(END);
  if (begin < 0 || end < begin)
    throw new Error(
      `${file}: the "provider inputs" markers are missing (expected the lines '${BEGIN.trim()}' and '${END.trim()}')`,
    );
  return [...lines.slice(0, begin + 1), ...block, ...lines.slice(end)].join('\n');
}

/** Writes (or, with check, compares) every action.yml; returns the files that differed from the source. */
export function syncProviderInputs(root, { check = false } = {}) {
  const block = sourceBlock(root);
  const differing = [];
  for (const action of ACTIONS) {
    const file = join('actions', action, 'action.yml');
    const current = readFileSync(join(root, file), 'utf8');
    const wanted = withBlock(current, block, file);
    if (wanted === current) continue;
    differing.push(file);
    if (!check) writeFileSync(join(root, file), wanted);
  }
  return differing;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const rootAt = process.argv.indexOf('--root');
  const root = rootAt > 0 ? process.argv[rootAt + 1] : new URL('..', import.meta.url).pathname;
  const check = process.argv.includes('--check');
  try {
    const differing = syncProviderInputs(root, { check });
    if (check && differing.length > 0) {
      console.error(
        `provider inputs: ${differing.join(', ')} differ from actions/provider-inputs.yml; run \`node scripts/provider-inputs.mjs\``,
      );
      process.exit(1);
    }
    if (!check && differing.length > 0) console.log(`provider inputs: wrote ${differing.join(', ')}`);
  } catch (error) {
    console.error(`provider inputs: ${error.message}`);
    process.exit(1);
  }
}
