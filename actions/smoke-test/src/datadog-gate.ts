// Datadog gates: input datadog-gates, one metric gate per line (`<metric query> <op> <number>`, the syntax and
// semantics of prometheus-gates: a failing reading fails the window after watch-fail-after ticks in a row; no
// reading for as many ticks is inconclusive at the window's end), and input datadog-monitors, monitor ids or
// `tags:<monitor tags>` lines: any monitor in Alert during the window fails it at once, naming it (a monitor has
// already waited its own evaluation window before it says Alert, as a CloudWatch alarm has).
//
// A monitor in No Data, Unknown or Skipped has no verdict: unread, like a query without data. OK, Warn and
// Ignored (muted or in a downtime) pass; a Warn is named in the reading.
//
// This module is light (the client is imported on the first reading): inputs.ts imports its parsers.
import { formatReading, type MetricGate, satisfies } from '../../../shared/metric-gates.js';
import { inline } from '../../../shared/sanitise.js';
import type { DatadogClient, DatadogConfig, MonitorReading } from '../../../shared/datadog.js';
import type { WindowGate } from './window-gates.js';

/**
 * The Datadog sites (https://docs.datadoghq.com/getting_started/site/, "Site Parameter"): the API of each is
 * https://api.<site>.
 */
export const DATADOG_SITES = [
  'datadoghq.com',
  'us3.datadoghq.com',
  'us5.datadoghq.com',
  'datadoghq.eu',
  'ap1.datadoghq.com',
  'ap2.datadoghq.com',
  'uk1.datadoghq.com',
  'ddog-gov.com',
] as const;

export type MonitorLine = { id: number } | { tags: string };

export const MONITORS_FORM =
  "monitor ids, one per line, or 'tags:<monitor tags>' lines, comma-separated tags a monitor must all have (e.g. 12345678, or tags:service:api,env:production)";
const MAX_LINES = 50;
/** A tag: letters, digits and _ - : . / (https://docs.datadoghq.com/getting_started/tagging/#define-tags), at most 200 characters. */
const TAG = /^[A-Za-z][A-Za-z0-9_\-:./]{0,199}$/;

/** The lines of datadog-monitors, or every line's problem at once. Blank lines and lines starting with # are skipped. */
export function parseMonitorLines(text: string): { lines: MonitorLine[] } | { problems: string[] } {
  const lines: MonitorLine[] = [];
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const [i, raw] of text.split(/\r\n|\r|\n/).entries()) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const quoted = `line ${i + 1} ('${inline(line, 60)}')`;
    const tagged = /^tags:\s*(.*)$/i.exec(line);
    if (tagged) {
      const tags = (tagged[1] as string)
        .split(',')
        .map((t) => t.trim())
        .filter(Boolean);
      const bad = tags.find((t) => !TAG.test(t));
      if (tags.length === 0) problems.push(`${quoted} has no tag after 'tags:'`);
      else if (bad !== undefined)
        problems.push(
          `${quoted} has '${inline(bad, 60)}', which is not a tag (a letter, then letters, digits, _ - : . /)`,
        );
      else if (seen.has(`tags:${tags.join(',')}`)) problems.push(`${quoted} repeats an earlier line`);
      else {
        seen.add(`tags:${tags.join(',')}`);
        lines.push({ tags: tags.join(',') });
      }
      continue;
    }
    if (!/^\d{1,15}$/.test(line) || Number(line) === 0)
      problems.push(`${quoted} is neither a monitor id (a whole number) nor a 'tags:' line`);
    else if (seen.has(String(Number(line)))) problems.push(`${quoted} repeats an earlier line`);
    else {
      seen.add(String(Number(line)));
      lines.push({ id: Number(line) });
    }
  }
  if (lines.length > MAX_LINES)
    problems.push(`it has ${lines.length} lines; at most ${MAX_LINES} (use tags: lines for many monitors)`);
  return problems.length > 0 ? { problems } : { lines };
}

const FIRING = 'Alert';
const PASSING = new Set(['OK', 'Warn', 'Ignored']);

const named = (m: MonitorReading) => `monitor ${m.id} '${inline(m.name, 80)}'`;

/** What one reading of a line's monitors says: failing, passing, or (thrown) no reading and why. */
function judgeMonitors(
  line: MonitorLine,
  read: { monitors: MonitorReading[]; truncated: boolean },
): { ok: boolean; value: number; measurement: string } {
  const firing = read.monitors.filter((m) => m.state === FIRING);
  if (firing.length > 0)
    return {
      ok: false,
      value: firing.length,
      measurement: `${firing
        .slice(0, 3)
        .map((m) => `${named(m)} in Alert`)
        .join('; ')}${firing.length > 3 ? `; and ${firing.length - 3} more in Alert` : ''}`,
    };
  if ('tags' in line && read.monitors.length === 0)
    throw new Error(
      `no monitor has the monitor tags ${inline(line.tags, 100)} (check the tags, and datadog-site: each site is its own account)`,
    );
  if (read.truncated)
    throw new Error(
      `more than ${read.monitors.length} monitors have the monitor tags ${inline('tags' in line ? line.tags : '', 100)}: none of those read is in Alert, the rest were not read (add a tag)`,
    );
  const unsettled = read.monitors.filter((m) => !PASSING.has(m.state));
  if (unsettled.length > 0)
    throw new Error(
      `no verdict: ${unsettled
        .slice(0, 3)
        .map((m) => `${named(m)} in ${inline(m.state, 20)}`)
        .join('; ')}${unsettled.length > 3 ? `; and ${unsettled.length - 3} more` : ''}`,
    );
  const warn = read.monitors.filter((m) => m.state === 'Warn');
  const count = `${read.monitors.length} monitor${read.monitors.length === 1 ? '' : 's'}`;
  return {
    ok: true,
    value: 0,
    measurement:
      warn.length > 0
        ? `no Alert (${warn.slice(0, 3).map(named).join(', ')}${warn.length > 3 ? ', …' : ''} in Warn)`
        : 'id' in line
          ? (read.monitors[0]?.state ?? 'OK')
          : `${count} without Alert`,
  };
}

export interface DatadogGateSettings {
  config: DatadogConfig;
  /** Gates with their queries already substituted (${release}, ${previous}). */
  gates: readonly { gate: MetricGate; query: string }[];
  monitors: readonly MonitorLine[];
  /** watch-fail-after: failing (or unread) ticks in a row. */
  failAfter: number;
  /** Unread ticks in a row that make a gate inconclusive, when not failAfter. */
  noDataAfter?: number;
  noData: 'fail' | 'pass';
}

/** One gate per metric line, then one per monitors line, all sharing one client (loaded at the first reading). */
export function datadogGates(settings: DatadogGateSettings): WindowGate[] {
  let client: Promise<DatadogClient> | undefined;
  const datadog = () =>
    (client ??= import('../../../shared/datadog.js').then(({ DatadogClient }) => new DatadogClient(settings.config)));
  const metricGates: WindowGate[] = settings.gates.map(({ gate, query }) => ({
    name: `datadog: ${gate.line}`,
    failAfter: settings.failAfter,
    ...(settings.noDataAfter !== undefined ? { noDataAfter: settings.noDataAfter } : {}),
    noData: settings.noData,
    async check(signal) {
      const value = await (await datadog()).queryValue(query, signal);
      return {
        ok: satisfies(value, gate.op, gate.threshold),
        value,
        measurement: `read ${formatReading(value)} (must be ${gate.op} ${formatReading(gate.threshold)})`,
      };
    },
  }));
  const monitorGates: WindowGate[] = settings.monitors.map((line) => ({
    name: 'id' in line ? `datadog monitor: ${line.id}` : `datadog monitors: tags:${line.tags}`,
    failAfter: 1,
    noDataAfter: settings.noDataAfter ?? settings.failAfter,
    noData: settings.noData,
    async check(signal) {
      const reader = await datadog();
      const read =
        'id' in line
          ? { monitors: [await reader.monitor(line.id, signal)], truncated: false }
          : await reader.monitorsTagged(line.tags, signal);
      return judgeMonitors(line, read);
    },
  }));
  return [...metricGates, ...monitorGates];
}
