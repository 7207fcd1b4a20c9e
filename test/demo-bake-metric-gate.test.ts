// `npm run demo -- --story bake` (the built CLI, run as a person runs it): production's request counters scraped by
// a real Prometheus, and release 4 — HTTP checks passing, one feed request in five failing — caught by the bake
// window's error-rate gate and rolled back. Without Prometheus the demo says so, reads no metric gate, and release
// 4 stays live: nothing stands in for Prometheus. Asserted on what the run leaves behind: the exit code, each step's
// job summary in --out (which step ran, its exit code, what it measured), and what production answers at the end.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from '@jest/globals';
import { runCli } from './support.js';
import { NO_PROMETHEUS, prometheusBinary } from './support-prometheus.js';

const scratch = mkdtempSync(join(tmpdir(), 'demo-bake-gate-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The job summaries the demo wrote, by step name ("Release 4: bake window"), with the step's exit code. */
function summaries(out: string): Map<string, { exit: number; text: string }> {
  const found = new Map<string, { exit: number; text: string }>();
  for (const file of readdirSync(out).filter((f) => f.endsWith('.md'))) {
    const text = readFileSync(join(out, file), 'utf8');
    const head = /^<!-- [a-z-]+: (.+) \(exit (-?\d+|null)\) -->/.exec(text);
    if (head) found.set(head[1]!, { exit: Number(head[2]), text });
  }
  return found;
}

/** The release production answers as, from the demo's last report of a real request to it. */
const answersAs = (stdout: string) => /answers as release (\d+) \(HTTP (\d+)\)/.exec(stdout)?.slice(1).map(Number);

const GATE_TABLE = '**Metric gates: readings per tick';

const binary = prometheusBinary();
(binary ? describe : describe.skip)(binary ? 'npm run demo -- --story bake, with Prometheus' : NO_PROMETHEUS, () => {
  test('the metric gate catches release 4 and the rollback puts release 1 back (ECS)', async () => {
    const out = join(scratch, 'with');
    const { code, stdout, stderr } = await runCli(['demo', '--story', 'bake', '--provider', 'ecs', '--out', out]);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    const steps = summaries(out);

    // Release 1's window read the gate and passed; release 4's passed its smoke test, then failed on the gate.
    expect(steps.get('Release 1: bake window')).toMatchObject({ exit: 0 });
    expect(steps.get('Release 1: bake window')?.text).toContain(GATE_TABLE);
    expect(steps.get('Release 4: smoke-test')).toMatchObject({ exit: 0 });
    const window = steps.get('Release 4: bake window');
    expect(window?.exit).not.toBe(0);
    expect(window?.text).toContain(GATE_TABLE);
    expect(window?.text).toMatch(/prometheus: sum\(rate\(http_requests_total\{release="\$\{release\}",code=~"5\.\."\}/);
    expect(window?.text).toMatch(/read 0\.[12]\d* \(must be (<|&lt;|\\<) 0\.1\)/);

    // The rollback ran and succeeded, Slack heard of it, and production answers as release 1 again.
    expect(steps.get('Release 4: rollback')).toMatchObject({ exit: 0 });
    expect(steps.get('Release 4: notify rolled back')).toMatchObject({ exit: 0 });
    expect(answersAs(stdout)).toEqual([1, 200]);
  }, 300_000);
});

describe('npm run demo -- --story bake, without Prometheus', () => {
  test('says so, reads no metric gate, and release 4 passes on its HTTP checks and stays live (Netlify)', async () => {
    const out = join(scratch, 'without');
    const missing = join(scratch, 'no-prometheus-here');
    const { code, stdout, stderr } = await runCli(['demo', '--story', 'bake', '--provider', 'netlify', '--out', out], {
      PROMETHEUS: missing,
    });
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toContain(`Prometheus is not installed`);
    expect(stdout).toContain(`PROMETHEUS names ${missing}, which does not run`);
    const steps = summaries(out);
    expect(steps.get('Release 4: bake window')).toMatchObject({ exit: 0 });
    expect(steps.get('Release 4: bake window')?.text).not.toContain(GATE_TABLE);
    expect(steps.has('Release 4: rollback')).toBe(false);
    expect(answersAs(stdout)).toEqual([4, 200]);
    // Release 3 is still caught by its HTTP checks.
    expect(steps.get('Release 3: rollback')).toMatchObject({ exit: 0 });
  }, 300_000);
});
