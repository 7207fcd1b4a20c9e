// The action side of the GitHub runner contract, through @actions/core: inputs, outputs, state, masks,
// annotations, groups and the step's failure. This module is only the boundary where shipline's one rule is
// applied on the way in: every message may carry outside text (a server's answer, a provider's error, a commit
// subject), and core prints what it is given as it is given — core.info does not neutralise a line that starts
// with `::`. So each message goes through forLog first, and every masked value is also remembered by the
// sanitiser, which stars it out of summaries and of text core never sees.
import * as core from '@actions/core';
import { forLog, rememberSecret } from './sanitise.js';

export type AnnotationProperties = core.AnnotationProperties;

/** The environment variable the runner sets for an input: upper-cased, spaces to `_`, hyphens kept (as core reads it). */
export function inputVariable(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
}

/** An input's value, trimmed; '' when the workflow did not set it and action.yml gives no default. */
export function getInput(name: string): string {
  return core.getInput(name);
}

/** Registers a value with the runner's log masker (every line of it, as multi-line secrets are masked per line). */
export function setSecret(value: string): void {
  if (!value) return;
  core.setSecret(value);
  rememberSecret(value);
  const lines = value.split(/\r?\n/).filter((l) => l.trim().length > 3);
  if (lines.length > 1)
    for (const line of lines) {
      core.setSecret(line);
      rememberSecret(line);
    }
}

export function setOutput(name: string, value: string | number | boolean): void {
  core.setOutput(name, String(value));
}

export function debug(message: string): void {
  core.debug(forLog(message));
}

export function info(message: string): void {
  core.info(forLog(message));
}

/** Several log lines in one write, each made safe as info() makes it. */
export function infoLines(messages: string[]): void {
  core.info(messages.map((message) => forLog(message)).join('\n'));
}

function annotation(p: AnnotationProperties = {}): AnnotationProperties {
  return { ...p, title: p.title && forLog(p.title, 1000) };
}

export function error(message: string, properties?: AnnotationProperties): void {
  core.error(forLog(message), annotation(properties));
}

export function warning(message: string, properties?: AnnotationProperties): void {
  core.warning(forLog(message), annotation(properties));
}

export function notice(message: string, properties?: AnnotationProperties): void {
  core.notice(forLog(message), annotation(properties));
}

export function group<T>(title: string, fn: () => Promise<T>): Promise<T> {
  return core.group(forLog(title, 1000), fn);
}

/** Marks the step failed with one error annotation; the process exits non-zero when it ends. */
export function setFailed(message: string): void {
  core.setFailed(forLog(message));
}
