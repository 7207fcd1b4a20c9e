// The whole pipeline, end to end: the demo's story run through the real bundles, once per provider fake,
// asserting on outputs, the ledger, the Slack messages and the database — not on logs.
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { DEMO_PROVIDERS, runDemo } from '../cli/demo.js';
import { evaluate } from './workflow-expressions.js';
import { loadWorkflow } from './workflow-steps.js';

/** The target deploy-environment.yml's production stage deploys with on `provider` (its TARGET expression). */
function pipelineTarget(provider: string): unknown {
  const expression = String(loadWorkflow('.github/workflows/deploy-environment.yml').jobs.release.env.TARGET).replace(
    /^\s*\$\{\{|\}\}\s*$/g,
    '',
  );
  return evaluate(expression, { inputs: { target: '', stage: 'production', provider } });
}

describe.each(DEMO_PROVIDERS)('pipeline end to end on %s', (provider) => {
  test('release 1 goes live; release 2 fails its smoke test and is rolled back', async () => {
    const out = mkdtempSync(join(tmpdir(), `e2e-${provider}-`));
    const result = await runDemo({ provider, out });
    const step = (name: string) => result.steps.find((s) => s.name === name);
    const [one, two] = result.releases;

    expect(step('Release 1: migrate verify')?.exitCode).toBe(0);
    expect(step('Release 1: migrate apply')?.outputs['applied-count']).toBe('2');
    expect(step('Release 2: migrate apply')?.outputs['applied-count']).toBe('0');
    expect(step('Release 1: smoke-test')?.outputs.passed).toBe('true');
    expect(step('Release 2: smoke-test')?.exitCode).toBe(1);
    expect(step('Release 2: smoke-test')?.outputs.passed).toBe('false');
    expect(step('Release 2: smoke-test')?.outputs['failed-checks']).toContain('/health');
    const rollback = step('Release 2: rollback')?.outputs ?? {};
    expect(result.live).toBe(rollback['restored-deployment-id']);
    // The demo deploys as the pipeline's production stage does on this provider: staged only where it stages.
    expect(step('Release 1: deploy staged') ? 'staged' : 'production').toBe(pipelineTarget(provider));

    if (step('Release 1: deploy staged')) {
      // Blue/green: release 1 was promoted after its smoke test; release 2 never went live, so nothing changed.
      expect(step('Release 1: promote')?.exitCode).toBe(0);
      expect(step('Release 2: promote')).toBeUndefined();
      expect(rollback).toMatchObject({ changed: 'false', 'restored-deployment-id': one?.deploymentId });
      expect(result.ledger).toEqual([
        expect.objectContaining({ release: two?.deploymentId, state: 'failure' }),
        expect.objectContaining({ release: one?.deploymentId, state: 'success' }),
      ]);
    } else {
      // Live on deploy: release 2 went live, failed, and the rollback put release 1 back.
      expect(step('Release 2: deploy production')?.exitCode).toBe(0);
      expect(rollback).toMatchObject({ changed: 'true', 'rolled-back-deployment-id': two?.deploymentId });
      expect(result.ledger[0]).toMatchObject({ state: 'success', rollback: true });
      expect(result.ledger.find((e) => e.release === two?.deploymentId)).toMatchObject({ state: 'failure' });
      expect(result.ledger.find((e) => e.release === one?.deploymentId)?.state).not.toBe('failure');
    }

    // One Slack message per pipeline run, updated in place.
    expect(result.slack).toHaveLength(2);
    expect(result.slack.every((m) => m.updates === 1)).toBe(true);
    expect(result.slack[0]?.text).toContain('Deployed to production');
    // What deploy-environment.yml's notify says: rolled back only when production changed.
    if (step('Release 1: deploy staged')) {
      expect(step('Release 2: notify failed')).toBeDefined();
      expect(result.slack[1]?.text).not.toContain('rolled back');
      expect(result.slack[1]?.blocks).toContain('It never went live');
    } else {
      expect(step('Release 2: notify rolled back')).toBeDefined();
      expect(result.slack[1]?.text).toContain('production rolled back');
    }

    // The database holds the app's schema, each migration recorded once.
    expect(result.tables).toEqual(['authors', 'notes', 'schema_migrations']);
    expect(result.appliedMigrations).toEqual(['001_initial_schema', '002_notes_author_index']);

    // Every step's job summary was written.
    const summaries = readdirSync(out).filter((name) => name.endsWith('.md'));
    expect(summaries).toHaveLength(result.steps.length);
    expect(readFileSync(join(out, summaries.find((f) => f.includes('rollback')) as string), 'utf8')).toContain(
      '### Rollback',
    );
  }, 120_000);
});
