import * as z from 'zod/mini';
import { boolean, duration, field, oneOf, parseDuration, type RawInputs, readInputs, text } from '../../../shared/inputs.js';

export const COMMANDS = ['apply', 'plan', 'verify', 'status'] as const;
export const FORMATS = ['auto', 'supabase', 'plain', 'dbmate', 'goose', 'golang-migrate', 'flyway'] as const;
export type FormatName = Exclude<(typeof FORMATS)[number], 'auto'>;
export const SEVERITIES = ['error', 'warning', 'off'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** A libpq connection URL; the problem message shows only its scheme (it carries the password). */
const databaseUrl = field<string | undefined>((raw) => {
  if (raw === undefined) return { ok: true, value: undefined };
  try {
    const url = new URL(raw);
    if ((url.protocol === 'postgres:' || url.protocol === 'postgresql:') && url.hostname) return { ok: true, value: raw };
  } catch {
    // falls through to the expected form
  }
  return { ok: false, expected: 'must be a PostgreSQL URL like postgresql://user:password@host:5432/database' };
});

/** `rule=severity` pairs: `require-lock-timeout=error, ban-drop-column=off`. */
const severities = field<Record<string, Severity>>((raw) => {
  const result: Record<string, Severity> = {};
  for (const item of (raw ?? '').split(/[,\n]/).map((s) => s.trim()).filter(Boolean)) {
    const match = /^([a-z0-9-]+)\s*=\s*(error|warning|off)$/.exec(item);
    if (!match) return { ok: false, expected: 'must be a list of rule=error|warning|off (e.g. ban-drop-column=error, renaming-table=off)' };
    if (!RULE_NAMES.includes(match[1] as string)) return { ok: false, expected: `names an unknown rule '${match[1]}' (rules: ${RULE_NAMES.join(', ')})` };
    result[match[1] as string] = match[2] as Severity;
  }
  return { ok: true, value: result };
});

/** An optional PostgreSQL duration setting (statement_timeout / lock_timeout); empty leaves the server's value. */
const optionalDuration = field<number | undefined>((raw) => {
  if (raw === undefined) return { ok: true, value: undefined };
  const ms = parseDuration(raw);
  return ms === undefined ? { ok: false, expected: 'must be a duration like 500ms, 30s or 5m' } : { ok: true, value: ms };
});

/** Rule names, written out here so validating them keeps the lint code off the cold path. */
export const RULE_NAMES = [
  'require-concurrent-index-creation',
  'require-concurrent-index-deletion',
  'constraint-missing-not-valid',
  'adding-field-with-default',
  'adding-required-field',
  'adding-not-nullable-field',
  'changing-column-type',
  'ban-drop-table',
  'ban-drop-column',
  'ban-drop-database',
  'renaming-column',
  'renaming-table',
  'ban-truncate-cascade',
  'require-lock-timeout',
];

const ruleList = field<string[]>((raw) => {
  const rules = (raw ?? '').split(/[,\n]/).map((s) => s.trim()).filter(Boolean);
  const unknown = rules.find((r) => !RULE_NAMES.includes(r));
  return unknown ? { ok: false, expected: `names an unknown rule '${unknown}' (rules: ${RULE_NAMES.join(', ')})` } : { ok: true, value: rules };
});

const schema = z.object({
  'database-url': databaseUrl,
  command: oneOf(COMMANDS, { default: 'apply', aliases: { up: 'apply', migrate: 'apply', lint: 'plan', check: 'status' } }),
  dir: text(),
  format: oneOf(FORMATS, { default: 'auto' }),
  'lock-timeout': duration({ default: '5m', max: '6h' }),
  'statement-timeout': optionalDuration,
  'migration-lock-timeout': optionalDuration,
  'connect-timeout': duration({ default: '15s', max: '5m' }),
  'allow-out-of-order': boolean(false),
  'allow-changed': boolean(false),
  'dry-run': boolean(false),
  exec: text(),
  'lint-severity': severities,
  'lint-ignore': ruleList,
});

export type MigrateInputs = z.output<typeof schema>;

function rules(raw: RawInputs): string[] {
  const problems: string[] = [];
  const command = (raw.command ?? 'apply').toLowerCase();
  // plan lints without a database; verify then replays on an embedded PostgreSQL (when run locally).
  if (!raw['database-url'] && command !== 'plan' && command !== 'verify')
    problems.push(`Input 'database-url' is required for command '${command}' (a PostgreSQL URL like postgresql://user:password@host:5432/database)`);
  if (raw.exec && !['apply', 'up', 'migrate'].includes(command)) problems.push(`Input 'exec' runs a command under the migration lock: it needs command 'apply', got '${command}'`);
  if (raw.exec && raw.format && raw.format !== 'auto') problems.push("Inputs 'exec' and 'format' are both set: with 'exec' your own tool reads the migrations");
  return problems;
}

export function readMigrateInputs(read?: (name: string) => string): MigrateInputs {
  return readInputs({ schema, secrets: ['database-url'], derivedSecrets, rules }, read);
}

/** The password on its own could reach a log (a driver message, a URL echoed by a tool): mask it too. */
function derivedSecrets(raw: RawInputs): string[] {
  try {
    const password = decodeURIComponent(new URL(raw['database-url'] ?? '').password);
    return password ? [password] : [];
  } catch {
    return [];
  }
}
