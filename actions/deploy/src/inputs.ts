import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import * as z from 'zod/mini';
import {
  boolean,
  duration,
  inputFileProblem,
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
import { progressiveInputs, progressiveRules } from './progressive.js';

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
  ...progressiveInputs,
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
  return problems;
}

export function readDeployInputs(read?: (name: string) => string): DeployInputs {
  return readInputs({ schema, secrets: ['token', 'github-token', ...SENTRY_SECRETS], rules }, read);
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
