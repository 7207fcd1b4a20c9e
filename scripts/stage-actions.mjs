// The stage composite actions (actions/stage, actions/stage-rollback) are generated from the one definition of a
// stage: the job of deploy-environment.yml and of rollback.yml. A composite runs inside a job of the caller's own
// repository, so that job can name the protected environment and read that environment's secrets itself: GitHub
// does not deliver environment secrets reliably to a reusable workflow of another repository (docs/workflows.md,
// "Production credentials"), and a job that calls a reusable workflow cannot name an environment at all.
//
// What changes on the way from a job to a composite:
//  - workflow_call inputs and secrets become inputs (secrets in kebab case: DEPLOY_TOKEN → deploy-token); a
//    composite's inputs are strings, so every boolean or number input is read through fromJSON();
//  - the job's env (TARGET, SLACK, SENTRY) is computed by a first step into GITHUB_ENV;
//  - shipline's actions come from this action's own folder (the same commit) instead of a checkout at
//    job.workflow_sha;
//  - job-level settings (runner, timeout, environment, concurrency) are the calling job's.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';

export const STAGE_ACTIONS = [
  {
    workflow: '.github/workflows/deploy-environment.yml',
    job: 'release',
    action: 'actions/stage',
    name: 'shipline stage',
    description:
      'One environment, start to finish, in a job of your own that names the environment: preflight → migrate → deploy → smoke test → promote → bake window → rollback on failure → Slack.',
  },
  {
    workflow: '.github/workflows/rollback.yml',
    job: 'rollback',
    action: 'actions/stage-rollback',
    name: 'shipline stage rollback',
    description:
      'Put the last good release of an environment back, in a job of your own that names the environment; then smoke-test what is live, write the summary and tell Slack.',
  },
];

/** Inputs that only configure the job around the steps: the calling job sets these itself. */
const JOB_LEVEL_INPUTS = new Set(['runs-on', 'timeout-minutes', 'shipline-repository', 'shipline-ref']);

export const secretInput = (name) => name.toLowerCase().replace(/_/g, '-');

/** Rewrites one expression (the text inside ${{ }}, or a bare if:) for a composite's string inputs. */
export function rewriteExpression(expr, typed) {
  // Quoted literals are set aside so that text inside '…' is never rewritten.
  const literals = [];
  const masked = expr.replace(/'(?:[^']|'')*'/g, (m) => `'#${literals.push(m) - 1}'`);
  const rewritten = masked
    .replace(/\bsecrets\.([A-Za-z_][A-Za-z0-9_]*)/g, (_, name) => `inputs.${secretInput(name)}`)
    .replace(/\binputs\.([A-Za-z0-9_-]+)/g, (m, name) => (typed.has(name) ? `fromJSON(${m})` : m));
  return rewritten.replace(/'#(\d+)'/g, (_, i) => literals[Number(i)]);
}

function rewriteTemplate(value, typed) {
  return value.replace(/\$\{\{([\s\S]*?)\}\}/g, (_, e) => `\${{${rewriteExpression(e, typed)}}}`);
}

function rewriteValue(value, typed) {
  if (typeof value === 'string') return rewriteTemplate(value, typed);
  if (Array.isArray(value)) return value.map((v) => rewriteValue(v, typed));
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rewriteValue(v, typed)]));
  return value;
}

function rewriteIf(condition, typed) {
  if (typeof condition !== 'string') return condition;
  return condition.includes('${{') ? rewriteTemplate(condition, typed) : rewriteExpression(condition, typed);
}

const SETTINGS_STEP_NAME = 'Stage settings';
const LOCATE_STEP_NAME = "shipline's actions from this action's commit";

/** The composite action.yml (as an object) for one stage job. */
export function compositeOf(root, { workflow, job: jobId, name, description }) {
  const doc = parse(readFileSync(join(root, workflow), 'utf8'));
  const call = doc.on.workflow_call;
  const job = doc.jobs[jobId];
  const typed = new Set(
    Object.entries(call.inputs ?? {})
      .filter(([, v]) => v.type === 'boolean' || v.type === 'number')
      .map(([k]) => k),
  );

  const inputs = {};
  for (const [key, spec] of Object.entries(call.inputs ?? {})) {
    if (JOB_LEVEL_INPUTS.has(key)) continue;
    inputs[key] = { description: spec.description, required: Boolean(spec.required) };
    if (spec.default !== undefined) inputs[key].default = String(spec.default);
  }
  for (const [key, spec] of Object.entries(call.secrets ?? {})) {
    inputs[secretInput(key)] = {
      description: `${spec.description} A secret: pass \${{ secrets.${key} }} of the environment the calling job names.`,
      required: false,
      default: '',
    };
  }

  const steps = [];
  const env = Object.entries(job.env ?? {});
  if (env.length > 0) {
    steps.push({
      name: SETTINGS_STEP_NAME,
      shell: 'bash',
      env: Object.fromEntries(env.map(([k, v]) => [k, rewriteValue(v, typed)])),
      // Values derived from inputs: one line each, or they could add variables of their own to GITHUB_ENV.
      run: [
        'set -euo pipefail',
        ...env.map(([k]) => `case "$${k}" in *$'\\n'*) echo "::error::${k} spans lines"; exit 1 ;; esac`),
        `{ ${env.map(([k]) => `echo "${k}=$${k}"`).join('; ')}; } >> "$GITHUB_ENV"`,
        '',
      ].join('\n'),
    });
  }
  for (const step of job.steps) {
    if (step.id === 'shipline') continue;
    if (step.with?.path === '.shipline') {
      steps.push({
        name: LOCATE_STEP_NAME,
        shell: 'bash',
        // The action's folder holds the whole repository at this action's ref: copy its actions and bundles
        // where the steps below name them (a composite resolves ./ against the workspace).
        run: 'set -euo pipefail\nrm -rf .shipline && mkdir -p .shipline\ncp -R "$GITHUB_ACTION_PATH/../../actions" "$GITHUB_ACTION_PATH/../../dist" .shipline/\n',
      });
      continue;
    }
    const out = {};
    for (const [k, v] of Object.entries(step)) {
      if (k === 'if') out.if = rewriteIf(v, typed);
      else if (k === 'run') out[k] = v;
      else out[k] = rewriteValue(v, typed);
      if (k === 'name' && typeof step.run === 'string') out.shell = 'bash';
    }
    if (typeof step.run === 'string' && !out.shell) out.shell = 'bash';
    steps.push(out);
  }

  const outputs = {};
  for (const [key, spec] of Object.entries(call.outputs ?? {})) {
    const from = /^\$\{\{\s*jobs\.[\w-]+\.outputs\.([\w-]+)\s*\}\}$/.exec(spec.value)?.[1];
    if (!from || job.outputs?.[from] === undefined)
      throw new Error(`${workflow}: output ${key} does not map to a job output`);
    outputs[key] = { description: spec.description, value: rewriteValue(job.outputs[from], typed) };
  }
  return { name, description, inputs, outputs, runs: { using: 'composite', steps } };
}

export function renderComposite(root, spec) {
  const header = [
    `# Generated from ${spec.workflow} (job ${spec.job}) by scripts/stage-actions.mjs in \`npm run build\`: edit that`,
    '# workflow, not this file. Use it in a job of your own that names the environment (docs/workflows.md,',
    '# "Production credentials"):',
    '#',
    '#   production:',
    '#     environment: production',
    `#     steps: [{ uses: shipline/shipline/${spec.action}@v1, with: { … } }]`,
    '',
  ].join('\n');
  return header + stringify(compositeOf(root, spec), { lineWidth: 0 });
}

/** Writes every stage action; returns the files written. */
export function writeStageActions(root) {
  return STAGE_ACTIONS.map((spec) => {
    const file = join(root, spec.action, 'action.yml');
    writeFileSync(file, renderComposite(root, spec));
    return `${spec.action}/action.yml`;
  });
}
