#!/usr/bin/env node
// The whole jest run of `npm test`: most files on every core at once, then the few whose subject is a bound in
// time (a deadline that must hold, a latency that is measured) alone, so other files' load cannot decide their
// outcome. Arguments after `--` go to both runs (e.g. `--ci`).
import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';

/**
 * Files that hold a bound in seconds to account (an elapsed time below a few seconds' margin): run one at a time,
 * after the rest. Files whose bounds carry ten seconds of margin, or count events instead, run with the rest.
 */
export const SERIAL = [
  'test/deploy-vercel-fidelity.test.ts',
  'test/ecs.test.ts',
  'test/github-rate-limit.test.ts',
  'test/inputs-property.test.ts',
  'test/migrate-verify.test.ts',
  'test/sentry.test.ts',
  'test/smoke-test-hostile.test.ts',
  'test/smoke-test-watch.test.ts',
  'test/smoke-test-watch-gates.test.ts',
];

const extra = process.argv.slice(2);
const env = { ...process.env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --experimental-vm-modules --no-warnings`.trim() };
const jest = (args) => spawnSync(process.execPath, ['node_modules/jest/bin/jest.js', ...args, ...extra], { stdio: 'inherit', env }).status ?? 1;

const escaped = SERIAL.map((file) => file.replace(/[.]/g, '\\.'));
// Twice the cores: most of a test's time is spent waiting on child processes, stand-ins and timers, not computing.
const workers = String(Math.max(2, 2 * availableParallelism()));
const parallel = jest([`--maxWorkers=${workers}`, '--testPathIgnorePatterns', ...escaped]);
const serial = jest(['--runInBand', '--runTestsByPath', ...SERIAL]);
process.exit(parallel || serial);
