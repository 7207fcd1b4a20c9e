// The vercel CLI (58.10.0) as a judge of the Vercel stand-in: run as a child process pointed at it with --api, with
// a HOME of its own and a preload that refuses any non-loopback connection.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { FakeVercel } from '../cli/sandbox/vercel.js';

const require = createRequire(import.meta.url);
const CLI = join(dirname(require.resolve('vercel/package.json')), 'dist', 'index.js');

/** Runs the vercel CLI against the fake, with a HOME of its own and a preload that refuses non-loopback sockets. */
export function runVercelCli(
  on: FakeVercel,
  args: string[],
  cwd: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const home = mkdtempSync(join(tmpdir(), 'vercel-home-'));
  const globalConfig = join(home, 'vercel-config');
  mkdirSync(globalConfig);
  writeFileSync(join(globalConfig, 'auth.json'), JSON.stringify({ token: on.token }));
  writeFileSync(join(globalConfig, 'config.json'), JSON.stringify({ telemetry: { enabled: false } }));
  const guard = join(home, 'loopback-only.cjs');
  writeFileSync(
    guard,
    `const net = require('node:net');
const loopback = (h) => !h || h === 'localhost' || h === '::1' || /^127\\./.test(h);
const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (...args) {
  const o = typeof args[0] === 'object' && args[0] !== null ? (Array.isArray(args[0]) ? args[0][0] : args[0]) : { port: args[0], host: args[1] };
  if (o && !o.path && !loopback(o.host)) { process.stderr.write('NON-LOOPBACK CONNECTION REFUSED: ' + o.host + '\\n'); process.exit(97); }
  return connect.apply(this, args);
};
`,
  );
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    XDG_DATA_HOME: join(home, '.local', 'share'),
    XDG_CACHE_HOME: join(home, '.cache'),
    VERCEL_TELEMETRY_DISABLED: '1',
    NO_UPDATE_NOTIFIER: '1',
    NO_COLOR: '1',
    CI: '1',
    NODE_OPTIONS: `--require ${guard}`,
  };
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [CLI, ...args, '--api', on.url, '--token', on.token, '--global-config', globalConfig, '--scope', on.teamId],
      { cwd, env, timeout: 120_000 },
      (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
      },
    );
  });
}
