// Workflow commands as the GitHub runner reads them back (cli/local-runner.ts, the CLI's log view, the tests), and
// the one defence of outside text against them. Writing them is @actions/core's job (shared/runner.ts); nothing
// in shipline formats a command by hand. The reading side follows actions/runner's
// ActionCommandManager and ActionCommand: lines end at \n, \r or \r\n; `::cmd props::data` counts after leading
// white space is trimmed; the legacy `##[cmd props]data` counts anywhere in a line; `::stop-commands::token`
// turns every command off until `::token::`. neutraliseCommands() is the writing side's answer to all of that.

function unescapeData(value: string): string {
  return value.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
}

function unescapeProperty(value: string): string {
  return value
    .replace(/%0D/g, '\r')
    .replace(/%0A/g, '\n')
    .replace(/%3A/g, ':')
    .replace(/%2C/g, ',')
    .replace(/%25/g, '%');
}

/** The legacy `##[…]` form has its own escapes (`;` separates its properties, `]` ends them). */
function unescapeLegacy(value: string): string {
  return value
    .replace(/%3B/g, ';')
    .replace(/%0D/g, '\r')
    .replace(/%0A/g, '\n')
    .replace(/%5D/g, ']')
    .replace(/%25/g, '%');
}

/** The commands a hosted runner acts on (matched without regard to case, as the runner does). */
const RUNNER_COMMANDS: ReadonlySet<string> = new Set([
  'add-mask',
  'add-matcher',
  'remove-matcher',
  'debug',
  'notice',
  'warning',
  'error',
  'group',
  'endgroup',
  'echo',
  'save-state',
  'set-output',
  'set-env',
  'add-path',
  'stop-commands',
]);

export interface WorkflowCommand {
  /** Lower-cased command name. */
  command: string;
  properties: Record<string, string>;
  data: string;
}

/** White space as .NET's String.TrimStart sees it (a superset of JavaScript's \s, which lacks U+0085). */
const LEADING_SPACE = /^[\s\u0085]*/;

/** One line as the runner parses it: the `::` form first, then the legacy `##[` form; undefined when neither. */
export function parseCommandLine(
  line: string,
  registered: ReadonlySet<string> = RUNNER_COMMANDS,
): WorkflowCommand | undefined {
  const trimmed = line.replace(LEADING_SPACE, '');
  if (trimmed.startsWith('::')) {
    const end = trimmed.indexOf('::', 2);
    if (end >= 0) {
      const info = trimmed.slice(2, end);
      const space = info.indexOf(' ');
      const command = (space < 0 ? info : info.slice(0, space)).toLowerCase();
      if (registered.has(command)) {
        const properties: Record<string, string> = {};
        if (space > 0)
          for (const pair of info
            .slice(space + 1)
            .trim()
            .split(',')
            .filter(Boolean)) {
            const eq = pair.indexOf('=');
            if (eq > 0 && eq < pair.length - 1) properties[pair.slice(0, eq)] = unescapeProperty(pair.slice(eq + 1));
          }
        return { command, properties, data: unescapeData(trimmed.slice(end + 2)) };
      }
    }
  }
  const prefix = line.indexOf('##[');
  if (prefix < 0) return undefined;
  const close = line.indexOf(']', prefix);
  if (close < 0) return undefined;
  const info = line.slice(prefix + 3, close);
  const space = info.indexOf(' ');
  const command = (space < 0 ? info : info.slice(0, space)).toLowerCase();
  if (!registered.has(command)) return undefined;
  const properties: Record<string, string> = {};
  if (space > 0)
    for (const pair of info
      .slice(space + 1)
      .split(';')
      .filter(Boolean)) {
      const eq = pair.indexOf('=');
      if (eq > 0 && eq < pair.length - 1) properties[pair.slice(0, eq)] = unescapeLegacy(pair.slice(eq + 1));
    }
  return { command, properties, data: unescapeLegacy(line.slice(close + 1)) };
}

/** Every command a step's stdout gives the runner, in order, with stop-commands / resume applied. */
export function readCommands(stdout: string): WorkflowCommand[] {
  const commands: WorkflowCommand[] = [];
  let stopToken: string | undefined;
  for (const line of stdout.split(/\r\n|\r|\n/)) {
    const registered = stopToken ? new Set([...RUNNER_COMMANDS, stopToken.toLowerCase()]) : RUNNER_COMMANDS;
    const parsed = parseCommandLine(line, registered);
    if (!parsed) continue;
    if (stopToken !== undefined) {
      if (parsed.command === stopToken.toLowerCase()) stopToken = undefined;
      continue;
    }
    if (parsed.command === 'stop-commands') {
      // The runner takes any token, even an empty one: commands then stay off for the rest of the step.
      stopToken = parsed.data;
      commands.push(parsed);
      continue;
    }
    commands.push(parsed);
  }
  return commands;
}

const LINE_BREAK = /\r\n|\r|\n|\u0085|\u2028|\u2029/;
const ZERO_WIDTH_SPACE = '\u200b';

/**
 * Text that cannot be read as a workflow command, whatever it holds: a zero-width space goes between the colons
 * of `::` that opens a line (after any white space) and inside every `##[`. It shows the same to a person, and the
 * runner (which trims only white space, and U+200B is not white space to it) sees no command.
 */
export function neutraliseCommands(text: string): string {
  const lines = text.split(new RegExp(`(${LINE_BREAK.source})`));
  return lines
    .map((part, i) => {
      if (i % 2 === 1) return part; // a line break itself
      const lead = LEADING_SPACE.exec(part)?.[0] ?? '';
      const rest = part.slice(lead.length);
      const opened = rest.startsWith('::') ? `:${ZERO_WIDTH_SPACE}${rest.slice(1)}` : rest;
      return `${lead}${opened.replace(/##\[/g, `#${ZERO_WIDTH_SPACE}#[`)}`;
    })
    .join('');
}
