import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { workspaceOf } from '../../../shared/workspace.js';
import * as z from 'zod/mini';
import {
  boolean,
  duration,
  field,
  oneOf,
  parseDuration,
  type RawInputs,
  readInputs,
  text,
} from '../../../shared/inputs.js';
import { inline } from '../../../shared/sanitise.js';

export const COMMANDS = ['apply', 'plan', 'verify', 'status'] as const;
export const FORMATS = [
  'auto',
  'supabase',
  'plain',
  'dbmate',
  'goose',
  'golang-migrate',
  'flyway',
  'prisma',
  'drizzle',
] as const;
export type FormatName = Exclude<(typeof FORMATS)[number], 'auto'>;
/** Platform stand-ins `verify` creates before the replay (auto: supabase for the supabase format). */
const STAND_INS = ['auto', 'supabase', 'none'] as const;
export type Severity = 'error' | 'warning' | 'off';

/** URL parameters naming files the driver reads before it connects (node-postgres reads them synchronously). */
const SSL_FILE_PARAMETERS = ['sslrootcert', 'sslcert', 'sslkey'] as const;

/**
 * A libpq connection URL; the problem message shows only its scheme (it carries the password). Files its ssl*
 * parameters name must exist: the driver would otherwise fail with a bare ENOENT stack trace.
 */
export const databaseUrl = field<string | undefined>((raw) => {
  if (raw === undefined) return { ok: true, value: undefined };
  let url: URL | undefined;
  try {
    url = new URL(raw);
  } catch {
    // falls through to the expected form
  }
  if (!url || (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') || !url.hostname)
    return { ok: false, expected: 'must be a PostgreSQL URL like postgresql://user:password@host:5432/database' };
  const missing = SSL_FILE_PARAMETERS.map((name) => [name, url.searchParams.get(name)] as const).filter(
    ([, file]) => file && !existsSync(file),
  );
  if (missing.length > 0)
    return {
      ok: false,
      expected: `names ${missing.map(([name, file]) => `${name}=${file}`).join(' and ')}, and no such file exists on the runner (give the path of the certificate file, relative to the step's working directory or absolute)`,
    };
  return { ok: true, value: raw };
});

/**
 * A duration within a range (ms): zero or an absurd value is a mistake, not a wish for "no limit" — a 0 here would
 * make node-postgres or PostgreSQL wait forever.
 */
function boundedDuration(options: { min: string; max: string; default?: string; why?: string }) {
  const minMs = parseDuration(options.min) as number;
  const maxMs = parseDuration(options.max) as number;
  return field<number | undefined>((raw) => {
    const value = raw ?? options.default;
    if (value === undefined) return { ok: true, value: undefined };
    const ms = parseDuration(value);
    if (ms !== undefined && ms >= minMs && ms <= maxMs) return { ok: true, value: ms };
    return {
      ok: false,
      expected: `must be a duration from ${options.min} to ${options.max}, like 500ms, 30s or 5m${options.why ? ` (${options.why})` : ''}`,
    };
  });
}

/** `rule=severity` pairs: `require-lock-timeout=error, ban-drop-column=off`. */
const severities = field<Record<string, Severity>>((raw) => {
  const result: Record<string, Severity> = {};
  for (const item of (raw ?? '')
    .split(/[,\n]/)
    .map((s) => s.trim())
    .filter(Boolean)) {
    const match = /^([a-z0-9-]+)\s*=\s*(error|warning|off)$/.exec(item);
    if (!match)
      return {
        ok: false,
        expected: 'must be a list of rule=error|warning|off (e.g. ban-drop-column=error, renaming-table=off)',
      };
    if (!RULE_NAMES.includes(match[1] as string))
      return { ok: false, expected: `names an unknown rule '${match[1]}' (rules: ${RULE_NAMES.join(', ')})` };
    result[match[1] as string] = match[2] as Severity;
  }
  return { ok: true, value: result };
});

/**
 * An optional PostgreSQL duration setting (statement_timeout / lock_timeout); empty leaves the server's value.
 * PostgreSQL takes at most 2147483647 ms, and 0 would switch the limit off: both are refused here.
 */
const serverTimeout = (what: string) =>
  boundedDuration({ min: '1ms', max: '24h', why: `PostgreSQL's ${what}; leave it empty to keep the server's` });

/** Rule names, written out here so validating them keeps the lint code off the cold path. */
export const RULE_NAMES = [
  'require-concurrent-index-creation',
  'require-concurrent-index-deletion',
  'constraint-missing-not-valid',
  'adding-field-with-default',
  'adding-required-field',
  'adding-not-nullable-field',
  'adding-serial-primary-key-field',
  'disallowed-unique-constraint',
  'changing-column-type',
  'ban-drop-table',
  'ban-drop-column',
  'ban-drop-database',
  'renaming-column',
  'renaming-table',
  'ban-truncate-cascade',
  'require-lock-timeout',
  'unlinted-dynamic-sql',
];

const ruleList = field<string[]>((raw) => {
  const rules = (raw ?? '')
    .split(/[,\n]/)
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = rules.find((r) => !RULE_NAMES.includes(r));
  return unknown
    ? { ok: false, expected: `names an unknown rule '${unknown}' (rules: ${RULE_NAMES.join(', ')})` }
    : { ok: true, value: rules };
});

/** A PostgreSQL name of 1 to 63 characters with no control characters (drizzle-orm quotes it). */
const DRIZZLE_NAME = /^\P{Cc}{1,63}$/u;
const DRIZZLE_NAME_FORM =
  'a PostgreSQL name of 1 to 63 characters, as in drizzle.config (migrations.schema / migrations.table)';

const schema = z.object({
  'database-url': databaseUrl,
  command: oneOf(COMMANDS, {
    default: 'apply',
    aliases: { up: 'apply', migrate: 'apply', lint: 'plan', check: 'status' },
  }),
  dir: text(),
  // plan without a database: a checkout of the pull request's base branch, whose folder counts as applied.
  'base-dir': text(),
  format: oneOf(FORMATS, { default: 'auto' }),
  'lock-timeout': duration({ default: '5m', max: '6h' }),
  'statement-timeout': serverTimeout('statement_timeout'),
  'migration-lock-timeout': serverTimeout('lock_timeout'),
  'connect-timeout': boundedDuration({ min: '1s', max: '5m', default: '15s' }),
  timeout: boundedDuration({ min: '1s', max: '6h', default: '1h', why: 'the bound on the whole step once connected' }),
  'stand-ins': oneOf(STAND_INS, { default: 'auto' }),
  'allow-out-of-order': boolean(false),
  'allow-changed': boolean(false),
  'dry-run': boolean(false),
  exec: text(),
  // drizzle-orm's migrationsSchema / migrationsTable; it quotes them, so any name PostgreSQL takes (63 bytes).
  'drizzle-migrations-schema': text({ default: 'drizzle', pattern: DRIZZLE_NAME, expected: DRIZZLE_NAME_FORM }),
  'drizzle-migrations-table': text({
    default: '__drizzle_migrations',
    pattern: DRIZZLE_NAME,
    expected: DRIZZLE_NAME_FORM,
  }),
  'lint-severity': severities,
  'lint-ignore': ruleList,
});

export type MigrateInputs = z.output<typeof schema> & { 'connect-timeout': number; timeout: number };

function rules(raw: RawInputs): string[] {
  const problems: string[] = [];
  const command = (raw.command ?? 'apply').toLowerCase();
  // plan lints without a database; verify then replays on an embedded PostgreSQL (when run locally).
  if (!raw['database-url'] && command !== 'plan' && command !== 'verify')
    problems.push(
      `Input 'database-url' is required for command '${inline(command, 60)}' (a PostgreSQL URL like postgresql://user:password@host:5432/database)`,
    );
  if (raw.exec && !['apply', 'up', 'migrate'].includes(command))
    problems.push(
      `Input 'exec' runs a command under the migration lock: it needs command 'apply', got '${inline(command, 60)}'`,
    );
  for (const name of ['drizzle-migrations-schema', 'drizzle-migrations-table'])
    if (raw[name] && raw.format && !['auto', 'drizzle'].includes(raw.format.toLowerCase()))
      problems.push(
        `Input '${name}' names drizzle-orm's tracking table: it needs format 'drizzle' (or 'auto' on a Drizzle Kit folder), got '${inline(raw.format, 60)}'`,
      );
  if (raw['base-dir'] && (command !== 'plan' || raw['database-url']))
    problems.push(
      `Input 'base-dir' stands in for the database in command 'plan' without 'database-url'; got command '${inline(command, 60)}'${raw['database-url'] ? " with 'database-url'" : ''}`,
    );
  if (raw['base-dir'] && !existsSync(join(workspaceOf(process.env), raw['base-dir'])))
    problems.push(
      `Input 'base-dir' must be a folder in the workspace (a checkout of the base branch), and ${inline(raw['base-dir'], 200)} is not there`,
    );
  if (raw.exec && raw.format && raw.format !== 'auto')
    problems.push("Inputs 'exec' and 'format' are both set: with 'exec' your own tool reads the migrations");
  const timeout = parseDuration(raw.timeout ?? '1h');
  const lockWait = parseDuration(raw['lock-timeout'] ?? '5m');
  if (timeout !== undefined && lockWait !== undefined && lockWait >= timeout)
    problems.push(
      `Input 'timeout' (${inline(raw.timeout ?? '1h', 60)}) bounds the whole step and must be longer than input 'lock-timeout' (${inline(raw['lock-timeout'] ?? '5m', 60)}), the wait for another migrator`,
    );
  return problems;
}

export function readMigrateInputs(read?: (name: string) => string): MigrateInputs {
  // Durations with a default are always set (boundedDuration's undefined is only for the optional ones).
  return readInputs(
    { schema, secrets: ['database-url'], derivedSecrets: (raw) => databasePasswords(raw['database-url']), rules },
    read,
  ) as MigrateInputs;
}

/** The password on its own could reach a log (a driver message, a URL echoed by a tool): mask it too. */
export function databasePasswords(url: string | undefined): string[] {
  try {
    const password = decodeURIComponent(new URL(url ?? '').password);
    return password ? [password] : [];
  } catch {
    return [];
  }
}
