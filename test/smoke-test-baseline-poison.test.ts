// The regression gate's baseline comes from the Actions cache, which any run with a cache-writing token of a
// branch this run reads can fill. Through the bundle (dist/smoke-test) and the loopback cache service: entries
// planted next to the gate's own, archived with the system tar and compressed as the client's own archive is,
// are refused without a byte written outside the step's private folder, and the gate keeps judging releases.
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { type RunResult, runBundle } from '../cli/local-runner.js';
import { type FakeActionsCache, startFakeActionsCache } from '../cli/sandbox/actions-cache.js';
import { startTarget, type Target, text } from './fakes/smoke-target.js';
import { warnings } from './support.js';

let app: Target;
let cache: FakeActionsCache;
/** root/ws is the workspace: a `../` member lands in root. */
const root = mkdtempSync(join(tmpdir(), 'smoke-poison-'));
const workspace = join(root, 'ws');
/** What a later step runs with the deploy token: the file the red team replaced. */
const rollbackBundle = join(workspace, '.shipline', 'dist', 'rollback', 'index.js');
const ROLLBACK_CODE = "console.log('the real rollback');\n";
const PAST = new Date('2026-01-02T03:04:05Z');
const delays = new Map<string, number>();
let runId = 7000;
let planted = 0;

beforeAll(async () => {
  [app, cache] = await Promise.all([startTarget(), startFakeActionsCache()]);
  for (const path of ['/api/health', '/']) {
    app.route(path, async (req, res, n) => {
      await new Promise((resolve) => setTimeout(resolve, delays.get(path) ?? 0));
      text(200, 'ok')(req, res, n);
    });
  }
  mkdirSync(join(workspace, '.shipline', 'dist', 'rollback'), { recursive: true });
  writeFileSync(rollbackBundle, ROLLBACK_CODE);
  utimesSync(rollbackBundle, PAST, PAST);
});
afterAll(async () => {
  await Promise.all([app.close(), cache.close()]);
  rmSync(root, { recursive: true, force: true });
});

interface Report {
  regression?: {
    status: string;
    passed: boolean;
    note?: string;
    baseline?: { runId: string; sha: string };
    comparisons?: { check: string; baseline?: number; verdict: string }[];
  };
}
const report = (result: RunResult): Report => JSON.parse(result.outputs.report as string) as Report;

function smoke(key: string, regression = 'p(95) < 2x + 300ms'): Promise<RunResult> {
  runId++;
  return runBundle({
    action: 'smoke-test',
    inputs: { 'base-url': app.url, paths: '/api/health, /', samples: '6', regression, 'regression-key': key },
    env: {
      ...cache.env(),
      GITHUB_RUN_ID: String(runId),
      GITHUB_SHA: `${String(runId).padStart(7, '0')}${'e'.repeat(33)}`,
    },
    workspace,
    timeoutMs: 90_000,
  });
}

/** A real first run under `key` (which saves the gate's own entry): its cache version and compression are the ones to forge. */
async function firstRun(key: string): Promise<{ version: string; zstd: boolean }> {
  delays.set('/api/health', 5).set('/', 5);
  const first = await smoke(key);
  expect(first.outputs.regression).toBe('no-baseline');
  const entry = cache.finalized().find((e) => e.key.startsWith(`shipline-latency/${key}/`));
  expect(entry?.blob).toBeDefined();
  const blob = entry?.blob as Buffer;
  return { version: entry?.version as string, zstd: blob.readUInt32LE(0) === 0xfd2fb528 };
}

/**
 * Plants an entry under `key`'s prefix, newer than the gate's own: `build` appends members to a tar (the system
 * tar, from `stage`), which is then compressed as the client compresses (zstd, or gzip where zstd is absent).
 */
function plant(
  key: string,
  forged: { version: string; zstd: boolean },
  build: (tar: (...args: string[]) => void, stage: string) => void,
): void {
  planted++;
  const stage = join(root, `stage-${planted}`);
  mkdirSync(stage);
  const archive = join(stage, 'archive.tar');
  build((...args) => execFileSync('tar', ['--posix', '-rPf', archive, '-C', stage, ...args]), stage);
  const blob = execFileSync(forged.zstd ? 'zstd' : 'gzip', ['-q', '-c', archive]);
  const newest = Math.max(...cache.entries.map((e) => e.createdAt));
  cache.entries.push({
    id: 90_000 + planted,
    scope: 'refs/heads/main',
    key: `shipline-latency/${key}/${runId}-9`,
    version: forged.version,
    state: 'finalized',
    createdAt: newest + 1,
    blob,
    blocks: new Map(),
    sizeBytes: blob.length,
  });
}

/** A baseline as the gate writes it, with the figures given. */
function baselineJson(key: string, p95: number, extra: Record<string, unknown> = {}): string {
  const figures = { samples: 6, p50: Math.min(p95, 10), p90: p95, p95, p99: p95 };
  return JSON.stringify({
    format: 1,
    key,
    sha: 'a'.repeat(40),
    ref: 'refs/heads/main',
    runId: '4242',
    runAttempt: '1',
    savedAt: new Date().toISOString(),
    checks: { '/api/health': figures, '/': figures },
    ...extra,
  });
}

/** The one member the gate's archives hold, from `content`. */
function expectedMember(key: string, content: string): (tar: (...args: string[]) => void, stage: string) => void {
  return (tar, stage) => {
    mkdirSync(join(stage, '.shipline-latency-baseline'));
    writeFileSync(join(stage, '.shipline-latency-baseline', `${key}.json`), content);
    tar(`.shipline-latency-baseline/${key}.json`);
  };
}

const refused = (result: RunResult) => warnings(result).find((w) => w.includes('the cached baseline was refused: '));

describe('a poisoned latency baseline in the cache', () => {
  test('an archive with an absolute path, a ../ path and a symlink to write through: refused, nothing outside the private folder written', async () => {
    const key = 'poison-paths';
    const forged = await firstRun(key);
    const elsewhere = join(root, 'elsewhere');
    mkdirSync(elsewhere);
    plant(key, forged, (tar, stage) => {
      writeFileSync(join(stage, 'payload.js'), "require('child_process').execSync('curl evil');\n");
      // The bundle a later step runs with the deploy token, by its absolute name.
      tar('--transform', `s,^payload\\.js$,${rollbackBundle},`, 'payload.js');
      // Beside the workspace.
      tar('--transform', 's,^payload\\.js$,../planted-beside.js,', 'payload.js');
      // A link out of the workspace, then a member written through it.
      symlinkSync(elsewhere, join(stage, 'through'));
      tar('through');
      tar('--transform', 's,^payload\\.js$,through/planted-through.js,', 'payload.js');
      // And the member the gate expects, with a valid baseline, so nothing but the other members is wrong.
      mkdirSync(join(stage, '.shipline-latency-baseline'));
      writeFileSync(join(stage, '.shipline-latency-baseline', `${key}.json`), baselineJson(key, 50));
      tar(`.shipline-latency-baseline/${key}.json`);
    });

    const result = await smoke(key);
    expect(result.exitCode).toBe(0);
    expect(readFileSync(rollbackBundle, 'utf8')).toBe(ROLLBACK_CODE);
    expect(statSync(rollbackBundle).mtime.toISOString()).toBe(PAST.toISOString());
    expect(existsSync(join(root, 'planted-beside.js'))).toBe(false);
    expect(existsSync(join(elsewhere, 'planted-through.js'))).toBe(false);
    expect(existsSync(join(workspace, 'through'))).toBe(false);
    expect(existsSync(join(workspace, '.shipline-latency-baseline'))).toBe(false);
    expect(refused(result)).toMatch(
      /the archive holds 5 members; a baseline archive holds one, \.shipline-latency-baseline\/poison-paths\.json/,
    );
    expect(result.outputs.regression).toBe('no-baseline');
    expect(report(result).regression?.note).toContain('the cached baseline was refused');
  }, 120_000);

  test('the expected member as a symlink to a file outside: refused as not a regular file, the file it names not read', async () => {
    const key = 'poison-link';
    const forged = await firstRun(key);
    // A "baseline" outside the archive that would pass every release if it were read.
    const outside = join(root, 'outside-baseline.json');
    writeFileSync(outside, baselineJson(key, 500_000));
    plant(key, forged, (tar, stage) => {
      mkdirSync(join(stage, '.shipline-latency-baseline'));
      symlinkSync(outside, join(stage, '.shipline-latency-baseline', `${key}.json`));
      tar(`.shipline-latency-baseline/${key}.json`);
    });
    const result = await smoke(key);
    expect(refused(result)).toContain("the archive's one member is not a regular file (tar type 'l')");
    expect(result.outputs.regression).toBe('no-baseline');
    expect(lstatSync(outside).isFile()).toBe(true);
    expect(existsSync(join(workspace, '.shipline-latency-baseline'))).toBe(false);
  }, 120_000);

  test('a baseline of 1e12 ms (every release would pass): refused, and the gate still catches the next regression', async () => {
    const key = 'poison-huge';
    const forged = await firstRun(key);
    plant(key, forged, expectedMember(key, baselineJson(key, 1e12)));

    // Against 1e12 ms every release passes; refused, nothing is compared (as on the gate's first run).
    delays.set('/api/health', 5).set('/', 5);
    const refusedRun = await smoke(key);
    expect(refused(refusedRun)).toContain(
      'does not have a baseline\'s form or ranges (checks["/api/health"].p90: above 600000 ms (10 minutes);',
    );
    expect(refusedRun.outputs.regression).toBe('no-baseline');
    expect(report(refusedRun).regression).toMatchObject({ status: 'no baseline', passed: true });
    expect(report(refusedRun).regression?.note).toContain('the cached baseline was refused');

    // The passing run's own figures are the newest entry now: a slower release fails against them.
    delays.set('/api/health', 1500);
    const slower = await smoke(key);
    expect(slower.exitCode).toBe(1);
    expect(slower.outputs.regression).toBe('failed');
    expect(report(slower).regression?.baseline?.runId).toBe(String(runId - 1));
  }, 180_000);

  test('JSON of another shape (figures as strings, an unknown field): refused, not read as a baseline without checks', async () => {
    const key = 'poison-shape';
    const forged = await firstRun(key);
    plant(
      key,
      forged,
      expectedMember(
        key,
        JSON.stringify({
          format: 1,
          key,
          sha: '',
          ref: '',
          runId: '1',
          runAttempt: '1',
          savedAt: new Date().toISOString(),
          checks: { '/api/health': { samples: '6', p95: 'fast' } },
          run: 'curl evil',
        }),
      ),
    );
    const result = await smoke(key);
    expect(refused(result)).toContain(
      'does not have a baseline\'s form or ranges (checks["/api/health"].samples: not a whole number;',
    );
    expect(result.outputs.regression).toBe('no-baseline');
  }, 120_000);

  test('a good baseline, archived as the gate archives it: restored and compared as before', async () => {
    const key = 'good-planted';
    const forged = await firstRun(key);
    plant(key, forged, expectedMember(key, baselineJson(key, 40)));
    delays.set('/api/health', 5).set('/', 5);
    const result = await smoke(key);
    expect(refused(result)).toBeUndefined();
    expect(result.outputs.regression).toBe('passed');
    expect(report(result).regression?.baseline).toMatchObject({ runId: '4242', sha: 'a'.repeat(40) });
    expect(report(result).regression?.comparisons?.find((c) => c.check === '/api/health')).toMatchObject({
      baseline: 40,
      verdict: 'passed',
    });
  }, 120_000);
});
