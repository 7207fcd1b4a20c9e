import * as z from 'zod/mini';
import { boolean, duration, list, oneOf, type RawInputs, readInputs, text } from '../../../shared/inputs.js';
import { providerInputs, providerRules } from '../../../shared/providers/load.js';

const schema = z.object({
  command: oneOf(['deploy', 'promote'], { default: 'deploy' }),
  ...providerInputs,
  dir: text({ default: '.' }),
  target: oneOf(['preview', 'staged', 'production'], { default: 'preview', aliases: { prod: 'production', stage: 'staged' } }),
  environment: text(),
  aliases: list(),
  'deployment-id': text(),
  'github-token': text(),
  'pr-comment': boolean(true),
  'wait-timeout': duration({ default: '15m', max: '6h' }),
});

export type DeployInputs = z.output<typeof schema>;

function rules(raw: RawInputs): string[] {
  const problems: string[] = providerRules(raw);
  if (raw.command === 'promote' && !raw['deployment-id']) problems.push("Input 'deployment-id' is required with command promote (the deployment-id output of a staged deploy)");
  if (raw.command !== 'promote' && raw['deployment-id']) problems.push("Input 'deployment-id' is only for command promote");
  return problems;
}

export function readDeployInputs(read?: (name: string) => string): DeployInputs {
  return readInputs({ schema, secrets: ['token', 'github-token'], rules }, read);
}
