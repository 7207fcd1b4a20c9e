import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import * as z from 'zod/mini';
import {
  boolean,
  duration,
  field,
  inputFileProblem,
  integer,
  list,
  oneOf,
  type RawInputs,
  readInputs,
  text,
} from '../../../shared/inputs.js';
import { capabilityRules } from '../../../shared/providers/capabilities.js';
import { providerInputs, providerRules } from '../../../shared/providers/load.js';
import { SENTRY_SECRETS, sentryInputs, sentryRules } from '../../../shared/sentry-inputs.js';
import { parseContractMigrations } from '../../../shared/schema-changes.js';
import { headerSecrets, parseErrorRate } from '../../smoke-test/src/inputs.js';
import { parseStatusList, type StatusRange, STATUS_FORM } from '../../smoke-test/src/expectations.js';

const STAGES_FORM = 'traffic percentages that rise to 100, comma separated, like 5,25,100';

/** `5,25,100`: the canary's share of production traffic at each stage of a rolling release, the last one 100. */
function parseRollingStages(raw: string): number[] | undefined {
  const parts = raw.split(',').map((p) => p.trim());
  if (!parts.every((p) => /^\d{1,3}$/.test(p))) return undefined;
  const shares = parts.map(Number);
  const rising = shares.every((v, i) => v >= 1 && v <= 100 && (i === 0 || v > (shares[i - 1] as number)));
  return rising && shares.length >= 2 && shares.at(-1) === 100 ? shares : undefined;
}

const rollingStages = field<number[] | undefined>((raw) =>
  raw === undefined
    ? { ok: true, value: undefined }
    : ((value) => (value ? { ok: true, value } : { ok: false, expected: `must be ${STAGES_FORM}` }))(
        parseRollingStages(raw),
      ),
);

const rollingErrorRate = field<number>((raw) => {
  const value = parseErrorRate(raw ?? '5%');
  return value === undefined
    ? { ok: false, expected: 'must be a share of failed requests like 5%, 0.5% or 0.05, from 0 to 100%' }
    : { ok: true, value };
});

const rollingStatus = field<StatusRange[]>((raw) => {
  const value = parseStatusList(raw ?? '200-399');
  return value ? { ok: true, value } : { ok: false, expected: `must be ${STATUS_FORM}` };
});

/** What the canary probe URL is with its placeholders filled, to check its form before anything changes. */
function rollingUrlProblem(template: string): string | undefined {
  const filled = template
    .replaceAll('{deployment-url}', 'https://canary.example')
    .replaceAll('{deployment-id}', 'dpl_canary');
  try {
    if (/^https?:$/.test(new URL(filled).protocol)) return undefined;
  } catch {
    // Said below.
  }
  return `Input 'rolling-check-url' must be an http(s) URL, where {deployment-url} stands for the new deployment's URL and {deployment-id} for its id (e.g. {deployment-url}/api/health)`;
}
import { progressiveInputs, progressiveRules } from './progressive.js';
import { STAGE_GATE_SECRETS, stageGateInputs, stageGateRules } from './stage-gates.js';
import { ecsStagingRules } from './ecs-staging.js';

const schema = z.object({
  command: oneOf(['deploy', 'promote', 'preflight'], { default: 'deploy' }),
  ...providerInputs,
  dir: text({ default: '.' }),
  target: oneOf(['preview', 'staged', 'production'], {
    default: 'preview',
    aliases: { prod: 'production', stage: 'staged' },
  }),
  environment: text(),
  aliases: list(),
  'deployment-id': text(),
  'github-token': text(),
  'pr-comment': boolean(true),
  'wait-timeout': duration({ default: '15m', max: '6h' }),
  'require-reviewers': boolean(true),
  'provider-auto-deploy': oneOf(['refuse', 'allow'], { default: 'refuse' }),
  branch: text(),
  // migrate's output of the same job: recorded with the release, so a rollback past it can be refused.
  'contract-migrations': text(),
  ...sentryInputs,
  // Rolling releases (Vercel): the stages to configure, and how each stage is judged.
  'vercel-rolling-stages': rollingStages,
  'rolling-check-url': text({ default: '{deployment-url}' }),
  'rolling-requests': integer({ min: 1, max: 10_000, default: 50 }),
  'rolling-max-error-rate': rollingErrorRate,
  'rolling-expect-status': rollingStatus,
  'rolling-bake': duration({ default: '1m', max: '6h' }),
  'rolling-stage-timeout': duration({ default: '10m', max: '6h' }),
  ...progressiveInputs,
  // smoke-test's bake-window gates (the same forms and rules), read at each stage of a rollout on either provider.
  ...stageGateInputs,
  'sentry-repository': text({
    pattern: /^[^\s/]+\/[^\s/]+$/,
    expected: "owner/name, as Sentry's GitHub integration names the repository",
  }),
});

export type DeployInputs = z.output<typeof schema>;

const PREFLIGHT_ONLY = ['require-reviewers', 'provider-auto-deploy', 'branch'] as const;

function rules(raw: RawInputs): string[] {
  const problems: string[] = [
    ...providerRules(raw),
    ...capabilityRules(raw),
    ...sentryRules(raw),
    ...progressiveRules(raw),
    ...ecsStagingRules(raw),
  ];
  // The task definition file is read when the new revision is registered, after the ledger and the service were
  // read: a missing one is found here, before any request. A preflight may run before the checkout, so not there.
  const taskDefinition =
    raw.provider?.toLowerCase() === 'ecs' &&
    raw['task-definition'] &&
    (raw.command ?? 'deploy').toLowerCase() === 'deploy'
      ? inputFileProblem('task-definition', raw['task-definition'], 'a task definition JSON file')
      : undefined;
  if (taskDefinition) problems.push(taskDefinition);
  const contracts = parseContractMigrations(raw['contract-migrations'] ?? '');
  if ('problem' in contracts) problems.push(contracts.problem);
  if (raw.command === 'promote' && !raw['deployment-id'])
    problems.push(
      "Input 'deployment-id' is required with command promote (the deployment-id output of a staged deploy)",
    );
  if (raw.command !== 'promote' && raw['deployment-id'])
    problems.push("Input 'deployment-id' is only for command promote");
  // Inputs of the production preflight: given to a deploy or a promote they would change nothing, silently.
  for (const name of PREFLIGHT_ONLY)
    if (raw.command !== 'preflight' && raw[name] !== undefined)
      problems.push(`Input '${name}' is only for command preflight`);
  if (raw.command === 'preflight' && !/^false$/i.test(raw['require-reviewers'] ?? '') && !raw['github-token']) {
    problems.push(
      "Input 'github-token' is required with command preflight (a token that can read the environment: permissions actions: read), unless require-reviewers is false",
    );
  }
  if (raw['vercel-rolling-stages'] !== undefined && raw['vercel-rolling-stages'] !== '') {
    if (raw.provider?.toLowerCase() !== 'vercel')
      problems.push("Input 'vercel-rolling-stages' is only for provider vercel (Vercel's rolling releases)");
    const command = (raw.command ?? 'deploy').toLowerCase();
    // The production preflight checks them before anything deploys; they are used by the promote.
    const shifts = command === 'promote' || command === 'preflight';
    if (!shifts && (command !== 'deploy' || !/^(production|prod)$/i.test(raw.target ?? '')))
      problems.push(
        "Input 'vercel-rolling-stages' is only for command promote, or command deploy with target production (a rolling release shifts production traffic)",
      );
  }
  problems.push(...stageGateRules(raw));
  const checkUrl = raw['rolling-check-url'];
  if (checkUrl) {
    const problem = rollingUrlProblem(checkUrl);
    if (problem) problems.push(problem);
  }
  return problems;
}

export function readDeployInputs(read?: (name: string) => string): DeployInputs {
  return readInputs(
    {
      schema,
      secrets: ['token', 'github-token', ...STAGE_GATE_SECRETS, ...SENTRY_SECRETS],
      // Header values are credentials, masked line by line even when a line is malformed.
      derivedSecrets: (raw) => headerSecrets(raw['rolling-prometheus-headers'] ?? ''),
      rules,
      unechoed: ['rolling-prometheus-gates', 'rolling-datadog-gates'],
    },
    read,
  );
}

/**
 * What is wrong with the folder to deploy, checked before anything changes (a missing folder must be a sentence,
 * not a stack trace from deep inside an upload). Providers that deploy no folder (ECS, Railway) have nothing to check.
 */
export function dirProblem(provider: string, dir: string): string | undefined {
  if (provider !== 'vercel' && provider !== 'netlify' && provider !== 'supabase-functions') return undefined;
  if (!existsSync(dir)) return `Input 'dir': ${dir} does not exist (the folder to deploy, relative to the workspace)`;
  if (!statSync(dir).isDirectory()) return `Input 'dir': ${dir} is a file, not a folder`;
  if (provider === 'supabase-functions') {
    return existsSync(join(dir, 'supabase', 'functions'))
      ? undefined
      : `Input 'dir': ${dir} has no supabase/functions folder (input 'dir' is the Supabase project root)`;
  }
  const content = readdirSync(dir).filter((name) => name !== '.git');
  return content.length === 0
    ? `Input 'dir': ${dir} is empty: there is nothing to deploy (was the build's output folder named?)`
    : undefined;
}
