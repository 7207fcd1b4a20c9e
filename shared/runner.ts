// The action side of the GitHub runner contract: inputs from INPUT_* variables, outputs and state through the
// runner's files, workflow commands on stdout. Written here rather than taken from @actions/core because the
// toolkit's bundle (its OIDC client pulls in undici, 1.4 MB) alone makes a cold start four times slower than bare
// node, and every shipline action must be at input validation within 2x of `node -e 0`.
import { appendFileSync } from 'node:fs';
import { EOL } from 'node:os';
import { forLog, rememberSecret } from './sanitise.js';
import { formatCommand } from './workflow-commands.js';

export { escapeData, escapeProperty, formatCommand } from './workflow-commands.js';

export interface AnnotationProperties {
  title?: string;
  file?: string;
  startLine?: number;
  endLine?: number;
  startColumn?: number;
  endColumn?: number;
}

function issue(command: string, properties: Record<string, string | number | undefined>, message: string): void {
  process.stdout.write(formatCommand(command, properties, message) + EOL);
}

/** The environment variable the runner sets for an input: upper-cased, spaces to `_`, hyphens kept. */
export function inputVariable(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
}

/** An input's value, trimmed; '' when the workflow did not set it and action.yml gives no default. */
export function getInput(name: string): string {
  return (process.env[inputVariable(name)] ?? '').trim();
}

/** Registers a value with the runner's log masker (every line of it, as multi-line secrets are masked per line). */
export function setSecret(value: string): void {
  if (!value) return;
  issue('add-mask', {}, value);
  rememberSecret(value);
  const lines = value.split(/\r?\n/).filter((l) => l.trim().length > 3);
  if (lines.length > 1)
    for (const line of lines) {
      issue('add-mask', {}, line);
      rememberSecret(line);
    }
}

function appendFileCommand(variable: string, key: string, value: string): boolean {
  const path = process.env[variable];
  if (!path) return false;
  // globalThis.crypto loads on first use, keeping node:crypto off the cold path.
  const delimiter = `ghadelimiter_${globalThis.crypto.randomUUID()}`;
  appendFileSync(path, `${key}<<${delimiter}${EOL}${value}${EOL}${delimiter}${EOL}`, 'utf8');
  return true;
}

export function setOutput(name: string, value: string | number | boolean): void {
  const text = String(value);
  if (!appendFileCommand('GITHUB_OUTPUT', name, text)) {
    // Outside a runner (no GITHUB_OUTPUT file) the output is still shown to the person running it.
    process.stdout.write(`${EOL}${formatCommand('set-output', { name }, text)}${EOL}`);
  }
}

// Everything below prints through forLog: a message may carry outside text (a server's answer, a provider's
// error, a commit subject), and none of it may act as a workflow command or show a URL's credentials.

export function debug(message: string): void {
  issue('debug', {}, forLog(message));
}

export function info(message: string): void {
  process.stdout.write(forLog(message) + EOL);
}

function annotationProps(p: AnnotationProperties = {}): Record<string, string | number | undefined> {
  return { title: p.title && forLog(p.title, 1000), file: p.file, line: p.startLine, endLine: p.endLine, col: p.startColumn, endColumn: p.endColumn };
}

export function error(message: string, properties?: AnnotationProperties): void {
  issue('error', annotationProps(properties), forLog(message));
}

export function warning(message: string, properties?: AnnotationProperties): void {
  issue('warning', annotationProps(properties), forLog(message));
}

export function notice(message: string, properties?: AnnotationProperties): void {
  issue('notice', annotationProps(properties), forLog(message));
}

export async function group<T>(title: string, fn: () => Promise<T>): Promise<T> {
  issue('group', {}, forLog(title, 1000));
  try {
    return await fn();
  } finally {
    issue('endgroup', {}, '');
  }
}

/** Marks the step failed with one error annotation; the process exits non-zero when it ends. */
export function setFailed(message: string): void {
  process.exitCode = 1;
  error(message);
}
