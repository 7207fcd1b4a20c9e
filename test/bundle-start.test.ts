// What each bundle evaluates before it has validated its inputs. undici (through @actions/core → OIDC client →
// @actions/http-client) is routed to scripts/undici-on-demand by the build: evaluated on first use, not at start.
// Read from the process itself: node:http2 is loaded by undici as it is evaluated, and by nothing else at start-up.
import { describe, expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const ACTIONS = ['deploy', 'migrate', 'notify', 'rollback', 'smoke-test'];

/** The built-in modules a bundle loaded by the time it exited, having failed its input validation. */
function builtinsLoaded(action: string, env: Record<string, string> = {}): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'shipline-start-'));
  try {
    const probe = join(dir, 'probe.mjs');
    const out = join(dir, 'loaded.json');
    writeFileSync(
      probe,
      `import { writeFileSync } from 'node:fs';\nprocess.on('exit', () => writeFileSync(${JSON.stringify(out)}, JSON.stringify(process.moduleLoadList)));\n`,
    );
    const summary = join(dir, 'summary.md');
    writeFileSync(summary, '');
    // No inputs at all: every action refuses to start, after loading what validation needs.
    const result = spawnSync(process.execPath, ['--import', probe, join(root, 'dist', action, 'index.js')], {
      env: { PATH: process.env.PATH, GITHUB_STEP_SUMMARY: summary, RUNNER_TEMP: dir, ...env },
      encoding: 'utf8',
    });
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('::error');
    return (JSON.parse(readFileSync(out, 'utf8')) as string[])
      .filter((m) => m.startsWith('NativeModule '))
      .map((m) => m.slice('NativeModule '.length));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('start-up: undici is evaluated on first use, not before validation', () => {
  test.each(ACTIONS)('%s fails validation without evaluating undici (node:http2 not loaded)', (action) => {
    const loaded = builtinsLoaded(action);
    expect(loaded).toContain('fs'); // the probe saw a real start-up
    expect(loaded).not.toContain('http2');
  });
});
