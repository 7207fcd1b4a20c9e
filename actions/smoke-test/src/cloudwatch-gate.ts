// CloudWatch alarm gates: input cloudwatch-alarms names alarms (one per line) or name prefixes (`prefix:<p>`), and
// any of them in state ALARM during the bake window (or at the one-shot smoke test's reading) fails it, naming the
// alarm, CloudWatch's StateReason and since when. One gate per line, each read with DescribeAlarms once per tick.
//
// An alarm has already waited its own evaluation periods before it says ALARM, so one reading of ALARM fails the
// window at once (failAfter 1). No reading is no pass, as for the Prometheus gates: a name that matches no alarm,
// an alarm in INSUFFICIENT_DATA, the API unreachable or throttled past the tick's bound — unread for watch-fail-after
// ticks in a row (every tick, in a shorter window) — is inconclusive at the window's end, which fails it unless
// gates-no-data is pass.
//
// This module is light (the SDK is imported on the first reading): inputs.ts imports its parser.
import { inline } from '../../../shared/sanitise.js';
import type { AlarmsRead, AlarmState, CloudWatchAlarms } from '../../../shared/cloudwatch.js';
import type { WindowGate } from './window-gates.js';

export type AlarmLine = { name: string } | { prefix: string };

export const ALARMS_FORM =
  "alarm names, one per line, or 'prefix:<name prefix>' lines (e.g. api-5xx-rate, or prefix:api-)";
/** DescribeAlarms takes up to 100 names a call; alarm names are 1–255 characters (API reference, AlarmNames). */
const MAX_LINES = 100;
const MAX_NAME = 255;

/** The lines of cloudwatch-alarms, or every line's problem at once. Blank lines and lines starting with # are skipped. */
export function parseAlarmLines(text: string): { lines: AlarmLine[] } | { problems: string[] } {
  const lines: AlarmLine[] = [];
  const problems: string[] = [];
  for (const [i, raw] of text.split(/\r\n|\r|\n/).entries()) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const prefix = /^prefix:\s*(.*)$/i.exec(line);
    const value = prefix ? (prefix[1] as string).trim() : line;
    const quoted = `line ${i + 1} ('${inline(line, 60)}')`;
    // eslint-disable-next-line no-control-regex
    if (/[\u0000-\u001f\u007f]/.test(value)) problems.push(`${quoted} has a control character`);
    else if (value === '') problems.push(`${quoted} has no name prefix after 'prefix:'`);
    else if (value.length > MAX_NAME)
      problems.push(`${quoted} is longer than ${MAX_NAME} characters, the longest alarm name`);
    else if (lines.some((l) => ('name' in l ? l.name : `prefix:${l.prefix}`) === (prefix ? `prefix:${value}` : value)))
      problems.push(`${quoted} repeats an earlier line`);
    else lines.push(prefix ? { prefix: value } : { name: value });
  }
  if (lines.length > MAX_LINES)
    problems.push(`it has ${lines.length} lines; at most ${MAX_LINES} (use prefix: lines for many alarms)`);
  return problems.length > 0 ? { problems } : { lines };
}

const when = (date: Date | undefined) => (date ? date.toISOString().replace(/\.\d{3}Z$/, 'Z') : 'an unknown time');

/** "in ALARM since 2026-12-07T01:02:03Z: Threshold Crossed: …", the alarm named when the gate is a prefix. */
function stateWords(alarm: AlarmState, named: boolean): string {
  return `${named ? `'${inline(alarm.name, 80)}' ` : ''}in ${inline(alarm.state, 20)} since ${when(alarm.since)}${alarm.reason ? `: ${inline(alarm.reason, 160)}` : ''}`;
}

/** What one DescribeAlarms reading says about a line: failing, passing, or (thrown) no reading and why. */
function judgeAlarms(
  line: AlarmLine,
  read: AlarmsRead,
  region: string,
): { ok: boolean; value: number; measurement: string } {
  const prefix = 'prefix' in line;
  const firing = read.alarms.filter((a) => a.state === 'ALARM');
  if (firing.length > 0) {
    const shown = firing.slice(0, 3).map((a) => stateWords(a, prefix));
    return {
      ok: false,
      value: firing.length,
      measurement: `${shown.join('; ')}${firing.length > 3 ? `; and ${firing.length - 3} more in ALARM` : ''}`,
    };
  }
  if (!prefix && !read.alarms.some((a) => a.name === line.name))
    throw new Error(`no alarm named '${inline(line.name, 100)}' in ${region} (check the name, and aws-region)`);
  if (prefix && read.alarms.length === 0)
    throw new Error(
      `no alarm's name starts with '${inline(line.prefix, 100)}' in ${region} (check the prefix, and aws-region)`,
    );
  if (read.truncated)
    throw new Error(
      `more than ${read.alarms.length} alarms start with '${inline(prefix ? line.prefix : '', 100)}': none of those read is in ALARM, the rest were not read (narrow the prefix)`,
    );
  const unsettled = read.alarms.filter((a) => a.state !== 'OK');
  if (unsettled.length > 0)
    throw new Error(
      `no verdict: ${unsettled
        .slice(0, 3)
        .map((a) => stateWords(a, true))
        .join('; ')}${unsettled.length > 3 ? `; and ${unsettled.length - 3} more` : ''}`,
    );
  return {
    ok: true,
    value: 0,
    measurement: prefix ? `${read.alarms.length} alarm${read.alarms.length === 1 ? '' : 's'} OK` : 'OK',
  };
}

export interface CloudWatchGateSettings {
  lines: readonly AlarmLine[];
  /** Input aws-region, else the environment's (awsRegion). */
  region: string | undefined;
  /** The bound on one DescribeAlarms call (input timeout); the tick's signal may end it sooner. */
  timeoutMs: number;
  /** Unread ticks in a row that make a gate inconclusive (watch-fail-after). */
  noDataAfter: number;
  noData: 'fail' | 'pass';
}

/** One gate per line, all sharing one client (built at the first reading). */
export function cloudWatchGates(settings: CloudWatchGateSettings): WindowGate[] {
  let client: Promise<CloudWatchAlarms> | undefined;
  const alarms = () =>
    (client ??= import('../../../shared/cloudwatch.js').then(
      ({ CloudWatchAlarms }) => new CloudWatchAlarms({ region: settings.region, requestMs: settings.timeoutMs }),
    ));
  const region = settings.region ?? 'the default region';
  return settings.lines.map((line) => ({
    name: 'name' in line ? `cloudwatch alarm: ${line.name}` : `cloudwatch alarms: prefix:${line.prefix}`,
    failAfter: 1,
    noDataAfter: settings.noDataAfter,
    noData: settings.noData,
    async check(signal) {
      const { describeAwsError } = await import('../../../shared/cloudwatch.js');
      const reader = await alarms();
      let read: AlarmsRead;
      try {
        read = await reader.read(
          'name' in line ? { names: [line.name] } : { prefix: line.prefix },
          signal,
          settings.timeoutMs,
        );
      } catch (error) {
        throw new Error(describeAwsError(error));
      }
      return judgeAlarms(line, read, region);
    },
  }));
}
