#!/usr/bin/env node
// The whole jest run of `npm test`: the files on every core at once, then any listed in SERIAL alone. Arguments
// after `--` go to both runs (e.g. `--ci`).
import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';

/**
 * Files that must run alone, after the rest: none today. Tests assert what happened (counted requests, the reason a
 * wait ended, the order of events at a stand-in, the waits a component asked an injected clock for), never how long
 * it took, so other files' load cannot decide their outcome. A file added here is run one at a time.
 */
export const SERIAL = [];

const extra = process.argv.slice(2);
const env = {
  ...process.env,
  NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --experimental-vm-modules --no-warnings`.trim(),
};
const jest = (args) =>
  spawnSync(process.execPath, ['node_modules/jest/bin/jest.js', ...args, ...extra], { stdio: 'inherit', env }).status ??
  1;

const escaped = SERIAL.map((file) => file.replace(/[.]/g, '\\.'));
// Twice the cores: most of a test's time is spent waiting on child processes, stand-ins and timers, not computing.
const workers = String(Math.max(2, 2 * availableParallelism()));
const parallel = jest([
  `--maxWorkers=${workers}`,
  ...(escaped.length > 0 ? ['--testPathIgnorePatterns', ...escaped] : []),
]);
// With no file listed, `--runTestsByPath` would run every test a second time.
const serial = SERIAL.length > 0 ? jest(['--runInBand', '--runTestsByPath', ...SERIAL]) : 0;
process.exit(parallel || serial);
