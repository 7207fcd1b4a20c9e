import * as z from 'zod/mini';
import { boolean, duration, type RawInputs, readInputs, text, url } from '../../../shared/inputs.js';
import { providerInputs, providerRules } from '../../../shared/providers/load.js';
import { SENTRY_SECRETS, sentryInputs, sentryRules } from '../../../shared/sentry-inputs.js';

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
  // Sentry (optional): the restored release's deploy to the environment, so Sentry's latest deploy is the ledger's.
  ...sentryInputs,
});

export type RollbackInputs = z.output<typeof schema>;

export function readRollbackInputs(read?: (name: string) => string): RollbackInputs {
  return readInputs({ schema, secrets: ['token', 'github-token', ...SENTRY_SECRETS], rules: (raw: RawInputs) => [...providerRules(raw), ...sentryRules(raw)] }, read);
}
