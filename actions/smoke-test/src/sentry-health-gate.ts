// Sentry release health gates: inputs sentry-crash-free-sessions and sentry-crash-free-users give the lowest share
// (a percentage) of the release's sessions, or of its users, that may end in a crash. Each is a metric gate: read
// once per tick of the bake window (and once in a one-shot smoke test), failing the window after watch-fail-after
// failing readings in a row, and inconclusive without a reading, like prometheus-gates.
//
// What is read: Sentry's sessions API totals for the release in sentry-environment (shared/sentry.ts,
// releaseHealth). In the bake window the period is the window so far, on Sentry's clock (statsPeriod); Sentry
// counts whole hours, so the totals start at the top of the hour the window began in: sessions of the release only,
// which before the window are few (a release is new when it is baked). A one-shot smoke test reads the last 24 hours.
//
// No reading, and so no pass: Sentry unreachable or refusing, rate limited, a release or environment it does not
// know, no session rated, or fewer sessions than sentry-health-min-sessions (a release with 3 sessions, one of them
// crashed, is noise, not 67% crash-free).
import { formatReading } from '../../../shared/metric-gates.js';
import type { ReleaseHealth, SentryClient } from '../../../shared/sentry.js';
import type { WindowGate } from './window-gates.js';

export interface SentryHealthSettings {
  client: SentryClient;
  release: string;
  environment: string;
  /** Lowest crash-free shares accepted, in percent; unset, that gate is off. */
  crashFreeSessions?: number;
  crashFreeUsers?: number;
  /** Fewer sessions than this in the period: no reading (too few to judge). */
  minSessions: number;
  /** 'window': from when the gates were built (the window's start) to each reading; 'day': the last 24 hours. */
  period: 'window' | 'day';
  failAfter: number;
  noData: 'fail' | 'pass';
}

/** Shortest period asked for: a reading at the window's first instant still asks for a period Sentry can count. */
const MIN_PERIOD_S = 60;

/** A share of 0–1 as a percentage, without the float noise of the product (1 - 1/200 is 0.995 give or take an ulp). */
const percentOf = (rate: number) => Math.round(rate * 100 * 1e9) / 1e9;

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** What one gate reads in Sentry's totals: thrown when there is nothing to judge. */
function judge(
  kind: 'sessions' | 'users',
  health: ReleaseHealth,
  threshold: number,
  settings: Pick<SentryHealthSettings, 'minSessions' | 'release'>,
): { ok: boolean; value: number; measurement: string } {
  const rate = kind === 'sessions' ? health.crashFreeSessions : health.crashFreeUsers;
  const counted = `${plural(health.sessions, 'session')} (${plural(health.users, 'user')}) of ${settings.release} since ${health.start}`;
  if (health.sessions < settings.minSessions)
    throw new Error(
      `too few sessions to judge: ${counted}, fewer than sentry-health-min-sessions (${settings.minSessions})${rate === null ? '' : `; crash-free ${kind} read ${formatReading(percentOf(rate))}%`}`,
    );
  if (rate === null)
    throw new Error(
      kind === 'users'
        ? `Sentry rated no user: ${counted} (the SDK sends sessions without a user, or none at all)`
        : `Sentry rated no session: ${counted}`,
    );
  const value = percentOf(rate);
  return {
    ok: value >= threshold,
    value,
    measurement: `read ${formatReading(value)}% over ${counted} (must be >= ${formatReading(threshold)}%)`,
  };
}

/** The gates asked for (none, one or both), sharing one sessions request per tick. */
export function sentryHealthGates(settings: SentryHealthSettings): WindowGate[] {
  const startedAt = performance.now();
  let inFlight: Promise<ReleaseHealth> | undefined;
  // Both gates are read at the same moment of a tick: the second takes the first's answer.
  const read = (signal: AbortSignal) =>
    (inFlight ??= settings.client
      .releaseHealth(
        settings.release,
        settings.environment,
        settings.period === 'day'
          ? '24h'
          : `${Math.max(MIN_PERIOD_S, Math.ceil((performance.now() - startedAt) / 1000))}s`,
        signal,
      )
      .finally(() => {
        inFlight = undefined;
      }));
  const wanted = [
    ['sessions', settings.crashFreeSessions],
    ['users', settings.crashFreeUsers],
  ] as const;
  return wanted.flatMap(([kind, threshold]) =>
    threshold === undefined
      ? []
      : [
          {
            name: `sentry crash-free ${kind} >= ${formatReading(threshold)}%`,
            failAfter: settings.failAfter,
            noData: settings.noData,
            async check(signal: AbortSignal) {
              return judge(kind, await read(signal), threshold, settings);
            },
          },
        ],
  );
}
