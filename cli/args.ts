// The one argument parser of the CLI, for an action's inputs and for the demo alike (no side effects: the tests
// import it).
import { resolve } from 'node:path';
import { parseArgs as nodeParseArgs } from 'node:util';
import type { ActionMetadata } from './local-runner.js';

/**
 * The one argument parser of the CLI, for an action's inputs and for the demo alike: node's own `util.parseArgs`
 * in strict mode, so an unknown flag or a flag without its value is an error, never silently ignored. The error
 * names every flag the command knows. A command that takes arguments of its own (`check [dir]`) says how many.
 */
export function parseFlags(
  command: string,
  args: string[],
  flags: string[],
  { maxPositionals = 0 }: { maxPositionals?: number } = {},
): { values: Record<string, string>; help: boolean; positionals: string[] } {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string }> = {
    help: { type: 'boolean', short: 'h' },
  };
  for (const flag of flags) options[flag] = { type: 'string' };
  const known = `${command} knows ${flags.map((f) => `--${f}`).join(', ')} and --help`;
  const withoutValue = flagsMissingTheirValue(args, flags);
  if (withoutValue.length > 0)
    throw new UsageError(
      `${withoutValue.map((f) => `--${f}`).join(', ')} ${withoutValue.length === 1 ? 'has' : 'have'} no value: the argument after it starts with -- (not shown: it may be a secret); give a value that does not start with --; ${known}`,
    );
  let parsed: ReturnType<typeof nodeParseArgs>;
  try {
    parsed = nodeParseArgs({
      args: bareFlagsAsTrue(args, flags),
      options,
      strict: true,
      allowPositionals: maxPositionals > 0,
    });
  } catch (error) {
    // util.parseArgs says what was wrong ("Unknown option '--story'", "Option '--out <value>' argument missing"); its
    // "Unexpected argument '<arg>'" (a command that takes no arguments: every action) quotes a stray argument, which
    // may be a secret split off its flag: never shown. `check`'s own arguments are folders, quoted above.
    const message = (error as Error).message;
    const reason = /^Unexpected argument/.test(message)
      ? 'Unexpected argument (not shown: it may be a secret)'
      : message.split('. ')[0]?.replace(/\.$/, '');
    throw new UsageError(`${reason}; ${known}`);
  }
  if (parsed.positionals.length > maxPositionals)
    throw new UsageError(
      `${command} takes at most ${maxPositionals} argument${maxPositionals === 1 ? '' : 's'} besides its flags, got ${parsed.positionals.map((p) => `'${p}'`).join(', ')}`,
    );
  const values: Record<string, string> = {};
  for (const [key, value] of Object.entries(parsed.values)) if (typeof value === 'string') values[key] = value;
  return { values, help: parsed.values.help === true, positionals: parsed.positionals };
}

/**
 * `--dry-run` alone means `--dry-run=true`, as `dry-run: true` would in a workflow: a known flag followed by nothing
 * or by another flag gets the value `true` (util.parseArgs has no optional values).
 */
function bareFlagsAsTrue(args: string[], flags: string[]): string[] {
  return args.map((arg, i) => {
    const next = args[i + 1];
    const bare =
      arg.startsWith('--') &&
      !arg.includes('=') &&
      flags.includes(arg.slice(2)) &&
      (next === undefined || next.startsWith('--'));
    return bare ? `${arg}=true` : arg;
  });
}

/**
 * Known flags whose value would start with `--`: `--token --vercel-token-value` (the value after a forgotten one, or a
 * secret that begins with dashes) and `--token=--x`. Such a value is never taken and never echoed: echoing
 * util.parseArgs' "Unknown option '--vercel-token-value'" would print what may be a secret. A known flag followed by
 * another known flag keeps meaning `true` (`--dry-run --target previous`).
 */
function flagsMissingTheirValue(args: string[], flags: string[]): string[] {
  const missing: string[] = [];
  for (const [i, arg] of args.entries()) {
    if (arg === '--') break;
    if (!arg.startsWith('--')) continue;
    const equals = arg.indexOf('=');
    const name = arg.slice(2, equals === -1 ? undefined : equals);
    if (!flags.includes(name)) continue;
    const next = args[i + 1];
    const dashedValue =
      equals === -1
        ? next !== undefined && next.startsWith('--') && !isKnownFlag(next, flags)
        : arg.slice(equals + 1).startsWith('--');
    if (dashedValue) missing.push(name);
  }
  return missing;
}

function isKnownFlag(arg: string, flags: string[]): boolean {
  const equals = arg.indexOf('=');
  const name = arg.slice(2, equals === -1 ? undefined : equals);
  return name === 'help' || flags.includes(name);
}

/** A mistake in the command line: exit code 2, as for any CLI. */
export class UsageError extends Error {}

interface Parsed {
  inputs: Record<string, string>;
  eventName?: string;
  eventPath?: string;
  workspace?: string;
  /** How long the step may run before it is stopped, as a step's `timeout-minutes` on GitHub. */
  timeoutMs: number;
  help: boolean;
}

const RUN_FLAGS = ['event', 'event-path', 'workspace', 'timeout-minutes'];

/**
 * GitHub's default for a job that sets no `timeout-minutes` (360): a step run from the terminal gets as long as on a
 * runner, so an action's own bounds (`wait-timeout: 30m`, an ECS rollout) decide, as they would there.
 */
const DEFAULT_TIMEOUT_MINUTES = 360;

export function parseArgs(action: string, args: string[], meta: ActionMetadata): Parsed {
  const { values, help } = parseFlags(`shipline ${action}`, args, [...Object.keys(meta.inputs), ...RUN_FLAGS]);
  const { event, 'event-path': eventPath, workspace, 'timeout-minutes': timeoutMinutes, ...inputs } = values;
  const minutes = timeoutMinutes === undefined ? DEFAULT_TIMEOUT_MINUTES : Number(timeoutMinutes);
  // setTimeout holds at most 2^31-1 ms (24.8 days); GitHub's own maximum for a job is 360 minutes on its runners.
  if (timeoutMinutes !== undefined && (!/^\d+(\.\d+)?$/.test(timeoutMinutes) || !(minutes > 0) || minutes > 35_000))
    throw new UsageError(
      `--timeout-minutes must be a number of minutes above 0 and at most 35000 (as a step's timeout-minutes), got '${timeoutMinutes}'`,
    );
  return {
    inputs,
    help,
    eventName: event,
    eventPath,
    workspace: workspace === undefined ? undefined : resolve(workspace),
    timeoutMs: Math.round(minutes * 60_000),
  };
}
