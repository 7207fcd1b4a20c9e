// The Slack message of the reusable workflow names an ECS progressive rollout's progression (deploy's `rollout`
// output, the same form as a Vercel rolling release's) as what it is, and a Vercel one as before. The workflow's own
// message expression, evaluated with the steps' outputs as a job has them.
import { describe, expect, test } from '@jest/globals';
import { resolve } from './workflow-expressions.js';
import { loadWorkflow, stepOf } from './workflow-steps.js';

const workflow = loadWorkflow('.github/workflows/deploy-environment.yml');
const notify = stepOf(workflow, 'release', /^Notify Slack$/);

const steps = (rollout: string) => ({
  deploy: { outputs: rollout ? { rollout } : {} },
  promote: { outputs: {} },
  bake: { outcome: 'success' },
  rollback: { outputs: {} },
  smoke: { outputs: { summary: '2 checks passed' } },
});

describe('the Slack line of a progressive rollout', () => {
  test('ECS: "Progressive rollout: …", completed or stopped', () => {
    expect(
      resolve(notify?.with.message, {
        inputs: { provider: 'ecs' },
        steps: steps('test traffic healthy → 10% healthy → 100%'),
      }),
    ).toBe('Progressive rollout: test traffic healthy → 10% healthy → 100%. 2 checks passed');
    expect(
      resolve(
        notify?.with.message,
        {
          inputs: { provider: 'ecs' },
          steps: steps("stopped at 10%: the new release's error rate is up to 100% > 20%"),
        },
        'failure',
      ),
    ).toMatch(/^Progressive rollout: stopped at 10%: the new release's error rate is up to 100% > 20%\. /);
  });

  test('Vercel keeps "Rolling release: …"; no line without a rollout', () => {
    expect(
      resolve(notify?.with.message, {
        inputs: { provider: 'vercel' },
        steps: steps('5% healthy → 25% healthy → 100%'),
      }),
    ).toBe('Rolling release: 5% healthy → 25% healthy → 100%. 2 checks passed');
    expect(resolve(notify?.with.message, { inputs: { provider: 'ecs' }, steps: steps('') })).toBe('2 checks passed');
  });
});
