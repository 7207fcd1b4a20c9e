// The `sentry-*` inputs, shared by the actions that talk to Sentry (deploy marks the release and its deploy;
// smoke-test's bake window reads the release's new issues): their fields, and the rule that Sentry is either off
// (none of org, project, token given) or fully named. Each action spreads these into its one inputs schema.
import { field, type RawInputs, text, url } from './inputs.js';
import type { SentryConfig } from './sentry.js';

/** Sentry's organization and project slugs: letters, digits, `-` and `_`. */
const SLUG = /^[A-Za-z0-9][A-Za-z0-9_-]{0,49}$/;
/** Sentry refuses release versions with slashes, back slashes or new lines, `.`, `..`, `latest`, over 200 characters. */
const RELEASE = /^(?!\.{1,2}$)(?!latest$)[^\s/\\](?:[^\n\r\t\f\v/\\]{0,198}[^\s/\\])?$/;
/** Sentry's environment names: no slash or new line, at most 64 characters. */
const ENVIRONMENT = /^(?!\.{1,2}$)[^\n\r\f/]{1,64}$/;

export const sentryInputs = {
  'sentry-url': url({ httpsOnly: true }),
  'sentry-org': text({ pattern: SLUG, expected: "a Sentry organization slug (letters, digits, '-' and '_')" }),
  'sentry-project': text({ pattern: SLUG, expected: "a Sentry project slug (letters, digits, '-' and '_')" }),
  'sentry-token': text(),
  'sentry-release': text({
    pattern: RELEASE,
    expected:
      'a Sentry release version (at most 200 characters; no slash, back slash or new line; not ".", ".." or "latest")',
  }),
  'sentry-environment': text({
    pattern: ENVIRONMENT,
    expected: 'a Sentry environment name (at most 64 characters, no slash or new line)',
  }),
};

/** The bake-window threshold (smoke-test only): unset, the gate is off. */
export const sentryGateInputs = {
  'sentry-max-new-issues': field<number | undefined>((raw) => {
    if (raw === undefined) return { ok: true, value: undefined };
    return /^\d{1,6}$/.test(raw) && Number(raw) <= 100_000
      ? { ok: true, value: Number(raw) }
      : { ok: false, expected: 'must be a whole number from 0 to 100000 (new issues allowed in the window)' };
  }),
};

/** A percentage as people write a crash-free threshold: 99.5, 99.5%, 100, 0. */
const PERCENTAGE = /^(?:\d{1,3}(?:\.\d+)?|\.\d+)\s*%?$/;

const crashFree = (what: 'sessions' | 'users') =>
  field<number | undefined>((raw) => {
    if (raw === undefined) return { ok: true, value: undefined };
    const value = Number(raw.replace('%', '').trim());
    return PERCENTAGE.test(raw.trim()) && value >= 0 && value <= 100
      ? { ok: true, value }
      : {
          ok: false,
          expected: `must be a percentage from 0 to 100, like 99.5 or 99.5% (the lowest share of the release's ${what} that may end without a crash)`,
        };
  });

/** The default of sentry-health-min-sessions: below it one crash would decide the verdict alone (1 in 30 is 96.7%). */
const DEFAULT_MIN_SESSIONS = 30;

/**
 * Release health gates (smoke-test): the lowest crash-free shares of the release's sessions and users, and the
 * fewest sessions worth judging. Unset, a gate is off.
 */
export const sentryHealthInputs = {
  'sentry-crash-free-sessions': crashFree('sessions'),
  'sentry-crash-free-users': crashFree('users'),
  'sentry-health-min-sessions': field<number>((raw) => {
    if (raw === undefined) return { ok: true, value: DEFAULT_MIN_SESSIONS };
    return /^\d{1,9}$/.test(raw) && Number(raw) >= 1
      ? { ok: true, value: Number(raw) }
      : {
          ok: false,
          expected: `must be a whole number from 1 (fewer sessions of the release are too few to judge; default ${DEFAULT_MIN_SESSIONS})`,
        };
  }),
};

const HEALTH_GATES = ['sentry-crash-free-sessions', 'sentry-crash-free-users'] as const;

/** The release health gates read one environment's sessions, and the minimum is theirs. */
export function sentryHealthRules(raw: RawInputs): string[] {
  const problems: string[] = [];
  const gated = HEALTH_GATES.filter((name) => raw[name]);
  if (gated.length > 0 && !raw['sentry-environment'])
    problems.push(
      `Input 'sentry-environment' is required with ${gated.map((g) => `'${g}'`).join(' and ')}: the Sentry environment whose sessions are read (deploy uses the GitHub environment's name, e.g. production)`,
    );
  if (raw['sentry-health-min-sessions'] && gated.length === 0)
    problems.push(
      "Input 'sentry-health-min-sessions' is for the release health gates: set 'sentry-crash-free-sessions' or 'sentry-crash-free-users' too",
    );
  return problems;
}

/** Every Sentry call of a step (deploy's release and deploy, rollback's deploy), retries and Retry-After waits included, ends within this. */
export const SENTRY_BUDGET_MS = 60_000;

/** Inputs whose values are masked before anything logs. */
export const SENTRY_SECRETS = ['sentry-token'] as const;

const NAMES = ['sentry-org', 'sentry-project', 'sentry-token'] as const;

/** Sentry is off when none of org, project and token is given; when one is, all three must be. */
export function sentryRules(raw: RawInputs): string[] {
  const given = NAMES.filter((name) => raw[name]);
  if (given.length === 0) {
    const stray = (
      [
        'sentry-release',
        'sentry-environment',
        'sentry-max-new-issues',
        ...HEALTH_GATES,
        'sentry-health-min-sessions',
      ] as const
    ).filter((name) => raw[name]);
    return stray.map((name) => `Input '${name}' needs Sentry: set sentry-org, sentry-project and sentry-token too`);
  }
  return NAMES.filter((name) => !raw[name]).map(
    (name) =>
      `Input '${name}' is required when ${given.map((g) => `'${g}'`).join(' and ')} ${given.length === 1 ? 'is' : 'are'} set (Sentry needs organization, project and token)`,
  );
}

/** The new-issues gate reads Sentry during a bake window: smoke-test's mode watch only. */
export function sentryGateRules(raw: RawInputs): string[] {
  const problems: string[] = [];
  if (raw['sentry-max-new-issues'] && (raw.mode ?? '').toLowerCase() !== 'watch')
    problems.push("Input 'sentry-max-new-issues' gates the bake window: set mode: watch too");
  // deploy marks its deploy in the GitHub environment's name; a gate that guessed another would search the wrong
  // environment, find nothing on every tick and pass.
  if (raw['sentry-max-new-issues'] && !raw['sentry-environment'])
    problems.push(
      "Input 'sentry-environment' is required with 'sentry-max-new-issues': the Sentry environment the release was deployed to (deploy uses the GitHub environment's name, e.g. production)",
    );
  return problems;
}

export interface SentryTarget {
  config: SentryConfig;
  /** The release version in Sentry. */
  release: string;
  environment: string;
}

/** Where to send Sentry's calls, or undefined when Sentry is off. Release and environment fall back to the given defaults. */
export function sentryTarget(
  inputs: {
    'sentry-url'?: string;
    'sentry-org': string;
    'sentry-project': string;
    'sentry-token': string;
    'sentry-release': string;
    'sentry-environment': string;
  },
  defaults: { release: string; environment: string },
): SentryTarget | undefined {
  if (!inputs['sentry-org'] || !inputs['sentry-project'] || !inputs['sentry-token']) return undefined;
  return {
    config: {
      url: inputs['sentry-url'] ?? 'https://sentry.io',
      org: inputs['sentry-org'],
      project: inputs['sentry-project'],
      token: inputs['sentry-token'],
    },
    release: inputs['sentry-release'] || defaults.release,
    environment: inputs['sentry-environment'] || defaults.environment,
  };
}
