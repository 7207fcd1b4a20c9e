// The bake story end to end (`shipline demo --story bake`): release 3 passes its smoke test at its own URL, goes
// live, starts answering 500 on its notes API once production traffic reaches it, fails the bake window, and the
// rollback puts release 1 back. Asserted on effects: the GitHub ledger, the Slack messages, the provider's state
// and what the production URL answers afterwards — not on logs.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { BAKE_PROVIDERS, runDemo } from '../cli/demo.js';

// Vercel (staged, promoted, the domains re-pointed back), Netlify (live on deploy; a rollback publishes the old
// deploy again), Railway and ECS (live on deploy; a rollback is a new deployment of the old image, or the service
// pointed back at the old task definition) — each as deploy-environment.yml deploys its production.
describe.each(BAKE_PROVIDERS)('the bake story on %s', (provider) => {
  test('release 3 fails its bake window after promotion and is rolled back automatically', async () => {
    const result = await runDemo({
      provider,
      story: 'bake',
      out: mkdtempSync(join(tmpdir(), `e2e-bake-${provider}-`)),
    });
    const step = (name: string) => result.steps.find((s) => s.name === name);
    const [one, three] = result.releases;
    expect([one?.number, three?.number]).toEqual([1, 3]);

    // Release 1 baked fine; release 3 passed its own smoke test (the notes API included), then failed production's.
    expect(step('Release 1: bake window')?.outputs.result).toBe('passed');
    expect(step('Release 3: smoke-test')?.outputs.passed).toBe('true');
    const window = step('Release 3: bake window');
    expect(window?.exitCode).not.toBe(0);
    expect(window?.outputs.result).toBe('failed');
    const measurements = window?.outputs['failure-reason'] ?? '';
    expect(measurements).toContain('/api/notes');
    expect(measurements).toMatch(/500/);
    if (provider === 'vercel') expect(step('Release 3: promote')?.exitCode).toBe(0);
    else expect(step('Release 3: promote')).toBeUndefined();

    // The rollback changed production back to release 1.
    const rollback = step('Release 3: rollback')?.outputs ?? {};
    expect(rollback).toMatchObject({ changed: 'true' });

    // Provider state once release 3's pipeline was over: production serves release 1 again, and the production URL
    // answers as release 1 (release 4 follows; test/e2e-bake-metric-gate.test.ts follows it).
    expect(result.afterRelease?.find((a) => a.number === 3)).toMatchObject({
      liveRelease: 1,
      production: { status: 200, release: 1 },
    });

    // Ledger: release 3 is out, with the reason and the measurements; release 1 is live again (the rollback's entry).
    const entry3 = result.ledger.find((e) => e.release === three?.deploymentId && !e.rollback);
    expect(entry3?.state).toBe('failure');
    expect(entry3?.description).toMatch(/^rolled back after promotion: /);
    expect(entry3?.description).toContain('/api/notes');
    const restored = result.ledger.find((e) => e.reason === `rolled back after promotion: ${measurements}`);
    // Live until release 4 went live, which retired it (inactive: replaced, never failed).
    expect(restored).toMatchObject({ state: 'inactive', rollback: true, release: rollback['restored-deployment-id'] });
    if (provider === 'vercel' || provider === 'netlify') expect(restored?.release).toBe(one?.deploymentId);

    // Slack: release 3's message says it was rolled back after promotion, with the measurements.
    expect(result.slack).toHaveLength(3);
    expect(result.slack[0]?.text).toContain('Deployed to production');
    expect(result.slack[1]?.text).toContain('production rolled back');
    expect(result.slack[1]?.blocks).toContain('Rolled back after promotion: ');
    expect(result.slack[1]?.blocks).toContain('/api/notes');
  }, 180_000);
});
