// migrate-down in rollback.yml (and the stage-rollback composite generated from it): the input reaches the rollback
// action with the database and the folder only when it is on, and the preflight requires the DATABASE_URL secret
// then, before anything runs.
import { describe, expect, test } from '@jest/globals';
import { resolve } from './workflow-expressions.js';
import { loadWorkflow, runScript, stepOf } from './workflow-steps.js';

const workflow = loadWorkflow('.github/workflows/rollback.yml');
const rollbackStep = stepOf(workflow, 'rollback', 'rollback');
const preflight = stepOf(workflow, 'rollback', /^Preflight$/);

const preflightEnv = (extra: Record<string, string>) => ({
  STAGE: 'production',
  PROVIDER: 'vercel',
  ENVIRONMENT: 'production',
  PROJECT: 'prj_1',
  HAS_DEPLOY_TOKEN: 'true',
  SLACK_CHANNEL: '',
  SENTRY_PROJECT: '',
  SENTRY_ORG: '',
  ...extra,
});

describe('rollback.yml: migrate-down', () => {
  test('the database and the folder reach the action only with migrate-down', () => {
    const context = (on: boolean) => ({
      inputs: { 'migrate-down': on, 'migrations-dir': 'db/migrations', 'migrations-format': 'dbmate' },
      secrets: { DATABASE_URL: 'postgresql://app:pw@db.example.com/app' },
    });
    const withs = (on: boolean) =>
      Object.fromEntries(
        ['migrate-down', 'database-url', 'migrations-dir', 'migrations-format'].map((k) => [
          k,
          resolve(rollbackStep.with[k], context(on)),
        ]),
      );
    expect(withs(true)).toEqual({
      'migrate-down': true,
      'database-url': 'postgresql://app:pw@db.example.com/app',
      'migrations-dir': 'db/migrations',
      'migrations-format': 'dbmate',
    });
    expect(withs(false)).toMatchObject({ 'migrate-down': false, 'database-url': '', 'migrations-dir': '' });
    expect(workflow.on.workflow_call.secrets.DATABASE_URL.required).toBe(false);
  });

  test('the preflight names a missing DATABASE_URL when migrate-down is on, and only then', async () => {
    const missing = await runScript(preflight.run, preflightEnv({ MIGRATE_DOWN: 'true', HAS_DATABASE_URL: 'false' }));
    expect(missing.status).toBe(1);
    expect(missing.log).toContain("secret DATABASE_URL is empty in environment 'production'");
    const off = await runScript(preflight.run, preflightEnv({ MIGRATE_DOWN: 'false', HAS_DATABASE_URL: 'false' }));
    expect(off.status).toBe(0);
  });

  test('the stage-rollback composite passes them the same way', () => {
    const composite = loadWorkflow('actions/stage-rollback/action.yml');
    const step = (composite.runs.steps as Record<string, any>[]).find((s) =>
      String(s.uses).endsWith('/actions/rollback'),
    ) as Record<string, any>;
    expect(step.with['migrate-down']).toBe('${{ fromJSON(inputs.migrate-down) }}');
    expect(step.with['database-url']).toBe("${{ fromJSON(inputs.migrate-down) && inputs.database-url || '' }}");
  });
});
