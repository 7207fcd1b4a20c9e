import * as z from 'zod/mini';
import { boolean, duration, readInputs, text, url } from '../../../shared/inputs.js';
import { providerInputs, providerRules } from '../../../shared/providers/load.js';

const schema = z.object({
  ...providerInputs,
  target: text({ default: 'previous', pattern: /^(previous|[\w.:/=,-]+)$/, expected: 'previous, a deployment id or a commit SHA' }),
  'failed-deployment-id': text(),
  environment: text({ default: 'production' }),
  reason: text(),
  'github-token': text(),
  'dry-run': boolean(false),
  'verify-url': url(),
  verify: boolean(true),
  'wait-timeout': duration({ default: '5m', max: '2h' }),
});

export type RollbackInputs = z.output<typeof schema>;

export function readRollbackInputs(read?: (name: string) => string): RollbackInputs {
  return readInputs({ schema, secrets: ['token', 'github-token'], rules: providerRules }, read);
}
