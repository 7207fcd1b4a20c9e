// Helpers for the migrate tests: workspaces holding migration folders, and running the bundle against a database.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { type RunOptions, runBundle } from '../../cli/local-runner.js';

const created: string[] = [];

/** A workspace with the given files (path → content); removed by removeWorkspaces(). */
export function workspace(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'shipline-migrate-ws-'));
  created.push(dir);
  writeFiles(dir, files);
  return dir;
}

export function removeWorkspaces(): void {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
}

export function writeFiles(dir: string, files: Record<string, string>): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
}

export function migrate(ws: string, inputs: RunOptions['inputs'], extra: Partial<RunOptions> = {}) {
  return runBundle({
    action: 'migrate',
    workspace: ws,
    inputs: { 'lock-timeout': '20s', 'connect-timeout': '5s', ...inputs },
    timeoutMs: 60_000,
    ...extra,
  });
}
