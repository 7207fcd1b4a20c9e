// The bake story's metric gate end to end (issue 26): release 4 passes its smoke test and its bake window's HTTP
// checks (/, /health and the notes API answer 200), but under production's steady traffic one request in five to
// its feed API answers 500. The production router counts every answer by release and status code and exports the
// counts; a real Prometheus scrapes them, and the bake window's error-rate gate reads release 4's share of 5xx,
// fails, and the rollback in the same job puts release 1 back. Release 1, healthy, passes the same gate and stays.
// Asserted on effects: the provider fake's state, what production answers, the GitHub ledger and Slack.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { runDemo } from '../cli/demo.js';
import { NO_PROMETHEUS, prometheusBinary } from './support-prometheus.js';

interface GateReport {
  name: string;
  readings: number;
  failing: number;
  last?: string;
}

const binary = prometheusBinary();

// Vercel (staged, then promoted: the domains re-pointed back by the rollback) and Railway (live on deploy; the
// rollback is a new deployment of release 1's image).
(binary ? describe.each : describe.skip.each)(['vercel', 'railway'] as const)(
  binary ? 'the bake story on %s: a Prometheus error-rate gate' : `${NO_PROMETHEUS} (%s)`,
  (provider) => {
    test('catches release 4, whose HTTP checks pass while 20% of its traffic fails, and rolls it back; release 1 passes and stays', async () => {
      const result = await runDemo({
        provider,
        story: 'bake',
        out: mkdtempSync(join(tmpdir(), `e2e-bake-gate-${provider}-`)),
      });
      const step = (name: string) => result.steps.find((s) => s.name === name);
      const gates = (name: string) =>
        (JSON.parse(step(name)?.outputs.report ?? '{}') as { gates?: GateReport[] }).gates;
      const gate = result.metrics?.gate ?? '';
      expect(result.metrics?.prometheus).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(gate).toMatch(
        /^sum\(rate\(http_requests_total\{release="\$\{release\}",code=~"5\.\."\}\[5s\]\)\) \/ .* < 0\.1$/,
      );
      const release = (n: number) => result.releases.find((r) => r.number === n);

      // Release 1: the gate read its traffic on every tick and never failed; it stayed live.
      expect(step('Release 1: bake window')?.outputs.result).toBe('passed');
      const healthy = gates('Release 1: bake window');
      expect(healthy).toEqual([expect.objectContaining({ name: `prometheus: ${gate}`, failing: 0 })]);
      expect(healthy?.[0]?.readings).toBeGreaterThan(0);
      expect(result.afterRelease?.find((a) => a.number === 1)).toMatchObject({
        liveRelease: 1,
        production: { status: 200, release: 1 },
      });

      // Release 4: its smoke test passed and no HTTP check of its bake window failed; the gate did.
      expect(step('Release 4: smoke-test')?.outputs.passed).toBe('true');
      const window = step('Release 4: bake window');
      expect(window?.exitCode).not.toBe(0);
      expect(window?.outputs.result).toBe('failed');
      const reason = window?.outputs['failure-reason'] ?? '';
      expect(reason).toContain(`prometheus: ${gate}`);
      expect(reason).not.toContain('/api/');
      const read = Number(/read (\d+(?:\.\d+)?) \(must be < 0\.1\)/.exec(reason)?.[1]);
      // One feed request in five fails; the checks' few requests, all answered, dilute it a little.
      expect(read).toBeGreaterThan(0.1);
      expect(read).toBeLessThanOrEqual(0.25);
      const sick = gates('Release 4: bake window')?.[0];
      expect(sick?.failing).toBeGreaterThanOrEqual(2);

      // The rollback changed production back: the provider serves release 1, and production answers as release 1.
      expect(step('Release 4: rollback')?.outputs.changed).toBe('true');
      expect(result.afterRelease?.find((a) => a.number === 4)).toMatchObject({
        liveRelease: 1,
        production: { status: 200, release: 1 },
      });
      expect(result.liveRelease).toBe(1);
      expect(result.production).toMatchObject({ status: 200, release: 1 });

      // Ledger: release 4 is out with the gate's reading; the newest entry is the rollback to release 1, whose
      // reason names the gate and the value read.
      const entry4 = result.ledger.find((e) => e.release === release(4)?.deploymentId && !e.rollback);
      expect(entry4?.state).toBe('failure');
      expect(entry4?.description).toContain('prometheus: ');
      const restored = result.ledger[0];
      expect(restored).toMatchObject({ state: 'success', rollback: true });
      expect(restored?.reason).toBe(`rolled back after promotion: ${reason}`);
      if (provider === 'vercel') expect(restored?.release).toBe(release(1)?.deploymentId);

      // Slack: release 4's message says production was rolled back, naming the gate.
      const last = result.slack.at(-1);
      expect(last?.text).toContain('production rolled back');
      // (Slack's mrkdwn escapes < as &lt;.)
      expect(last?.blocks).toContain(`prometheus: ${gate}`.replace(/</g, '&lt;'));
      expect(last?.blocks).toContain(`read ${read}`);
    }, 240_000);
  },
);
