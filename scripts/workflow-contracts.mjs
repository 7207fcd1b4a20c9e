// The caller contracts of shipline's reusable workflows and actions, read from the files that define them: every
// .github/workflows/*.yml with `on.workflow_call` (inputs with type, required and default; secrets with required)
// and every actions/<name>/action.yml (inputs with required and default). `npm run build` writes them next to the
// CLI's bundle (dist/cli/contracts.json), which `shipline check` reads: generated, never listed by hand, so a
// contract cannot drift from the workflow it describes.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

export const CONTRACTS_FILE = 'contracts.json';

const isMap = (value) => value !== null && typeof value === 'object' && !Array.isArray(value);

/**
 * The caller contract of a parsed workflow: `{ inputs, secrets }` of its `on.workflow_call`, or undefined when it
 * cannot be called. `shipline check` uses it too, for a repository's calls of its own reusable workflows.
 */
export function workflowContract(workflow) {
  const on = workflow?.on;
  if (!isMap(on) || !('workflow_call' in on)) return undefined;
  const call = isMap(on.workflow_call) ? on.workflow_call : {};
  const inputs = {};
  for (const [name, spec] of Object.entries(isMap(call.inputs) ? call.inputs : {})) {
    inputs[name] = {
      type: spec?.type ?? 'string',
      required: spec?.required === true,
      ...(spec?.default !== undefined && { default: spec.default }),
    };
  }
  const secrets = {};
  for (const [name, spec] of Object.entries(isMap(call.secrets) ? call.secrets : {}))
    secrets[name] = { required: spec?.required === true };
  return { inputs, secrets };
}

/** `{ workflows: { 'pipeline.yml': { inputs, secrets } }, actions: { deploy: { inputs } } }` */
export function readContracts(root) {
  const workflows = {};
  const workflowDir = join(root, '.github', 'workflows');
  for (const file of readdirSync(workflowDir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()) {
    const contract = workflowContract(parse(readFileSync(join(workflowDir, file), 'utf8')));
    if (contract) workflows[file] = contract;
  }
  const actions = {};
  const actionDir = join(root, 'actions');
  for (const name of readdirSync(actionDir).sort()) {
    const file = ['action.yml', 'action.yaml'].map((f) => join(actionDir, name, f)).find((f) => existsSync(f));
    if (!file) continue;
    const declared = parse(readFileSync(file, 'utf8'))?.inputs;
    const inputs = {};
    for (const [input, spec] of Object.entries(isMap(declared) ? declared : {})) {
      inputs[input] = {
        required: spec?.required === true,
        ...(spec?.default !== undefined && { default: String(spec.default) }),
      };
    }
    actions[name] = { inputs };
  }
  return { workflows, actions };
}
