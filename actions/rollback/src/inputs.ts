import * as z from 'zod/mini';
import { boolean, duration, oneOf, type RawInputs, readInputs, text, url } from '../../../shared/inputs.js';
import { FORMATS, databasePasswords, databaseUrl } from '../../migrate/src/inputs.js';
import { PROVIDERS, type ProviderName, providerInputs, providerRules } from '../../../shared/providers/load.js';
import { parseTarget } from './target.js';
import { SENTRY_SECRETS, sentryInputs, sentryRules } from '../../../shared/sentry-inputs.js';

const schema = z.object({
  ...providerInputs,
  // Read per provider by targetRules (target.ts): which deployment ids and SHAs look like depends on it.
  target: text({
    default: 'previous',
    pattern: /^(previous|[\w.:/=,-]+)$/,
    expected: 'previous, a deployment id or a commit SHA',
  }),
  'failed-deployment-id': text(),
  // Lower-cased: GitHub records and filters commit SHAs in lower case.
  'failed-commit': z.pipe(
    text({ pattern: /^[0-9a-f]{7,40}$/i, expected: 'a commit SHA: 7 to 40 hex digits' }),
    z.transform((sha: string) => sha.toLowerCase()),
  ),
  environment: text({ default: 'production' }),
  reason: text(),
  // Why the release restored can run against contract migrations applied after it (recorded in the ledger).
  'allow-schema-ahead': text(),
  // Or revert them: their down scripts, proved on a throw-away database, then run on database-url under the
  // migration lock, before the app is switched (actions/migrate/src/down.ts).
  'migrate-down': boolean(false),
  'database-url': databaseUrl,
  'migrations-dir': text(),
  'migrations-format': oneOf(FORMATS, { default: 'auto' }),
  // A server where the proof may create its throw-away database; empty = database-url's server.
  'migrate-proof-url': databaseUrl,
  'migrate-lock-timeout': duration({ default: '5m', max: '1h' }),
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
  return readInputs(
    {
      schema,
      secrets: ['token', 'github-token', 'database-url', 'migrate-proof-url', ...SENTRY_SECRETS],
      derivedSecrets: (raw) => [
        ...databasePasswords(raw['database-url']),
        ...databasePasswords(raw['migrate-proof-url']),
      ],
      rules: (raw: RawInputs) => [
        ...migrateDownRules(raw),
        ...providerRules(raw),
        ...sentryRules(raw),
        ...failedReleaseRules(raw),
        ...targetRules(raw),
      ],
    },
    read,
  );
}

/** A target the provider could not mean is refused with the other inputs, before anything is read or changed. */
function targetRules(raw: RawInputs): string[] {
  const provider = raw.provider as ProviderName | undefined;
  // A value outside the field's own pattern is reported by the field.
  if (!provider || !PROVIDERS.includes(provider) || !raw.target || !/^[\w.:/=,-]+$/.test(raw.target)) return [];
  const parsed = parseTarget(provider, raw.target);
  return 'problem' in parsed ? [parsed.problem] : [];
}

/** migrate-down needs the database, and the ledger to know which migrations came after the target. */
function migrateDownRules(raw: RawInputs): string[] {
  const down = raw['migrate-down']?.toLowerCase() === 'true';
  const problems: string[] = [];
  if (down && !raw['database-url'])
    problems.push(
      "Input 'migrate-down' reverts migrations on the database: set 'database-url' (a PostgreSQL URL like postgresql://user:password@host:5432/database)",
    );
  if (down && !raw['github-token'])
    problems.push(
      "Input 'migrate-down' reads which migrations came after the target from the release ledger: set 'github-token' (a token with deployments: read and write)",
    );
  if (down && raw['allow-schema-ahead'])
    problems.push(
      "Inputs 'migrate-down' and 'allow-schema-ahead' both answer contract migrations after the target: set one (migrate-down reverts them, allow-schema-ahead keeps them)",
    );
  if (!down)
    for (const name of ['database-url', 'migrations-dir', 'migrate-proof-url'])
      if (raw[name]) problems.push(`Input '${name}' is read only with 'migrate-down: true'`);
  return problems;
}

/** The failed release is named one way: by its deployment id, or (the safety net) by its commit in the ledger. */
function failedReleaseRules(raw: RawInputs): string[] {
  const problems: string[] = [];
  if (raw['failed-commit'] && raw['failed-deployment-id']) {
    problems.push(
      "Inputs 'failed-commit' and 'failed-deployment-id' name the failed release twice: set one of them (failed-deployment-id when the deploy step's output is at hand, failed-commit when it is not)",
    );
  }
  if (raw['failed-commit'] && !raw['github-token']) {
    problems.push(
      "Input 'failed-commit' is looked up in the release ledger: set 'github-token' (a token with deployments: read and write)",
    );
  }
  return problems;
}
