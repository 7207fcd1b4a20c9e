// exec: the team's own migration tool, run while the migration lock is held; the folder is not read.
import { ShiplineError } from '../../../../shared/errors.js';
import { group, info, setOutput } from '../../../../shared/runner.js';
import { appendSummary } from '../../../../shared/summary.js';
import { close } from '../db.js';
import { acquireLock, releaseLock } from '../lock.js';
import type { StepTimeout } from '../step-timeout.js';
import { doing, open, type RunContext } from './context.js';
import { formatMs, header } from './report.js';

/** Runs the team's own migration command while holding the migration lock. */
export async function exec(context: RunContext): Promise<void> {
  const { inputs, workspace } = context;
  const url = inputs['database-url'] as string;
  const lockDb = await open(context, url, { timeoutMs: inputs['connect-timeout'], label: 'lock for exec' });
  const started = performance.now();
  let exitCode: number | null = null;
  try {
    doing(context, 'waiting for the migration lock');
    await acquireLock(lockDb, inputs['lock-timeout']);
    doing(context, `running '${inputs.exec}'`);
    exitCode = await group(`$ ${inputs.exec}`, () => runShell(inputs.exec, workspace, url, context.timeout));
  } finally {
    const ms = performance.now() - started;
    await releaseLock(lockDb);
    await close(lockDb);
    setOutput('exit-code', exitCode ?? '');
    appendSummary(
      `${header('Migrations (exec)', inputs, undefined, [
        ['Command', `\`${inputs.exec}\``],
        ['Exit code', exitCode],
        ['Duration', formatMs(ms)],
      ])}`,
    );
  }
  if (exitCode !== 0)
    throw new ShiplineError(
      `'${inputs.exec}' exited with code ${exitCode} (the lock was held throughout and is released)`,
    );
  info(`'${inputs.exec}' finished under the migration lock.`);
}

/**
 * Runs the team's command in a shell through @actions/exec, each output line through info() (forLog): it is
 * outside text like any other, so it cannot issue workflow commands or show a registered secret.
 * @actions/exec gives no handle on the child, yet when input 'timeout' passes the command must be stopped, not
 * left migrating after the step failed. So exec runs a small node wrapper (this same runtime) that starts the command
 * in a shell as its own process group (`detached`) and writes the group's id to a file: the step timeout signals the
 * whole group, the command and everything it started. (A shell's `set -m` makes no group when not interactive.)
 */
const EXEC_WRAPPER = [
  "const { spawn } = require('node:child_process');",
  "const child = spawn(process.env.SHIPLINE_EXEC_COMMAND, { shell: true, stdio: 'inherit', detached: true });",
  "require('node:fs').writeFileSync(process.env.SHIPLINE_EXEC_PID_FILE, String(child.pid));",
  "child.on('error', (e) => { console.error(e.message); process.exit(127); });",
  "child.on('exit', (code, signal) => process.exit(code ?? 128 + (require('node:os').constants.signals[signal] ?? 0)));",
].join('\n');

async function runShell(command: string, cwd: string, url: string, timeout: StepTimeout): Promise<number | null> {
  const { exec } = await import('@actions/exec');
  const { mkdtempSync, readFileSync, rmSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { tmpdir } = await import('node:os');
  const scratch = mkdtempSync(join(process.env.RUNNER_TEMP || tmpdir(), 'shipline-exec-'));
  const pidFile = join(scratch, 'pid');
  const stop = () => {
    try {
      process.kill(-Number(readFileSync(pidFile, 'utf8')), 'SIGTERM');
    } catch {
      // Not started yet or already gone: nothing left to stop.
    }
  };
  // When input 'timeout' passes, the command goes too: nothing may keep running after the step has failed.
  timeout.onExpire(stop);
  try {
    const env = Object.fromEntries(
      Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined),
    );
    return await exec(process.execPath, ['-e', EXEC_WRAPPER], {
      cwd,
      // DATABASE_URL is what Alembic's env.py, dbmate, Prisma and most tools read.
      env: { ...env, DATABASE_URL: url, SHIPLINE_EXEC_COMMAND: command, SHIPLINE_EXEC_PID_FILE: pidFile },
      silent: true,
      ignoreReturnCode: true,
      listeners: { stdline: (line) => info(line), errline: (line) => info(line) },
    });
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
