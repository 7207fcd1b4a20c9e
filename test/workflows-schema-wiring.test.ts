// The schema's way from migrate to rollback in the workflows: the migrate step's contract-migrations reach every
// deploy and promote of the same job (so the ledger records them), and a manual rollback can pass
// allow-schema-ahead to the rollback action.
import { readFileSync } from 'node:fs';
import { describe, expect, test } from '@jest/globals';
import { parse } from 'yaml';

interface Step {
  id?: string;
  uses?: string;
  with?: Record<string, string>;
}

const stepsOf = (file: string): Step[][] => {
  const doc = parse(readFileSync(file, 'utf8'));
  return doc.jobs
    ? Object.values(doc.jobs as Record<string, { steps?: Step[] }>).map((j) => j.steps ?? [])
    : [doc.runs.steps as Step[]];
};

describe('contract migrations reach the ledger', () => {
  test.each(['.github/workflows/deploy-environment.yml', 'actions/stage/action.yml'])(
    '%s: deploy and promote get the migrate step of their job',
    (file) => {
      let wired = 0;
      for (const steps of stepsOf(file)) {
        const migrate = steps.findIndex((s) => s.id === 'migrate');
        for (const [index, step] of steps.entries()) {
          if (step.id !== 'deploy' && step.id !== 'promote') continue;
          expect(migrate).toBeGreaterThanOrEqual(0);
          expect(migrate).toBeLessThan(index);
          expect(step.with?.['contract-migrations']).toMatch(
            /^\$\{\{ steps\.migrate\.outputs\.contract-migrations( \|\||\s*\}\})/,
          );
          wired++;
        }
      }
      expect(wired).toBe(2);
    },
  );

  test.each(['.github/workflows/rollback.yml', 'actions/stage-rollback/action.yml'])(
    '%s: allow-schema-ahead is an input passed to the rollback action',
    (file) => {
      const doc = parse(readFileSync(file, 'utf8'));
      const inputs = doc.on?.workflow_call?.inputs ?? doc.inputs;
      expect(inputs['allow-schema-ahead']).toBeDefined();
      const rollbacks = stepsOf(file)
        .flat()
        .filter((s) => s.uses?.endsWith('/actions/rollback'));
      expect(rollbacks.length).toBeGreaterThan(0);
      for (const step of rollbacks) expect(step.with?.['allow-schema-ahead']).toBe('${{ inputs.allow-schema-ahead }}');
    },
  );
});
