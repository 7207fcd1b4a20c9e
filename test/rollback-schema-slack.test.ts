// The reason a rollback went past contract migrations (allow-schema-ahead) reaches the ledger and Slack: the
// rollback bundle writes it to its `schema` output and the ledger entry, and rollback.yml's Slack step puts that
// output in notify's message. Through the deploy, rollback and notify bundles, with the workflow's own expression.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { runBundle } from '../cli/local-runner.js';
import { type FakeGitHub, startFakeGitHub } from '../cli/sandbox/github.js';
import { type FakeSlack, startFakeSlack } from '../cli/sandbox/slack.js';
import { type FakeVercel, startFakeVercel } from '../cli/sandbox/vercel.js';
import { resolve } from './workflow-expressions.js';
import { loadWorkflow } from './workflow-steps.js';
import { errors, exampleEvent } from './support.js';

let vercel: FakeVercel;
let github: FakeGitHub;
let slack: FakeSlack;
beforeAll(async () => {
  [vercel, github, slack] = await Promise.all([
    startFakeVercel({ buildMs: 100, aliasJobMs: 100 }),
    startFakeGitHub(),
    startFakeSlack(),
  ]);
});
afterAll(async () => {
  await Promise.all([vercel.close(), github.close(), slack.close()]);
});

const provider = () => ({
  provider: 'vercel',
  token: vercel.token,
  project: vercel.projectId,
  team: vercel.teamId,
  'api-url': vercel.url,
});
const githubEnv = () => ({ GITHUB_API_URL: github.url, GITHUB_REPOSITORY: github.repository });
const DROP = JSON.stringify([
  {
    file: 'db/migrations/20261201000000_drop_name.sql',
    version: '20261201000000',
    line: 2,
    statement: 'alter table users drop column name',
    reason: 'drops column users.name, which the previous release may still read or write',
  },
]);
const ALLOWED = 'v1 never reads users.name since #412';

async function deploy(version: string, contract = ''): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'site-'));
  writeFileSync(join(dir, 'index.html'), `<h1>${version}</h1>`);
  const result = await runBundle({
    action: 'deploy',
    inputs: { ...provider(), dir, target: 'production', 'github-token': github.token, 'contract-migrations': contract },
    env: githubEnv(),
    event: exampleEvent('push', (p) => Boolean(p.head_commit)),
  });
  expect(result.exitCode).toBe(0);
  return result.outputs['deployment-id'] as string;
}

describe('allow-schema-ahead: the reason reaches the ledger and Slack', () => {
  test("rollback.yml's Slack message carries the migrations gone past and the reason", async () => {
    const v1 = await deploy('v1');
    const v2 = await deploy('v2', DROP);
    const inputs = { reason: 'errors after deploy', 'allow-schema-ahead': ALLOWED };
    const rolled = await runBundle({
      action: 'rollback',
      inputs: { ...provider(), 'github-token': github.token, verify: 'false', ...inputs },
      env: githubEnv(),
      event: { name: 'workflow_dispatch', payload: { inputs: {} } },
      timeoutMs: 60_000,
    });
    expect({ code: rolled.exitCode, errors: errors(rolled) }).toEqual({ code: 0, errors: [] });
    expect(rolled.outputs['schema']).toBe(
      `past db/migrations/20261201000000_drop_name.sql:2 (drops column users.name, which the previous release may still read or write), applied with ${v2}; allowed: ${ALLOWED}`,
    );

    // The ledger: the rollback's entry names the reason.
    const recorded = github.deployments
      .map((d) => d.payload as Record<string, any>)
      .find((p) => p?.rollback && p.release?.id === v1);
    expect(recorded?.rollback).toMatchObject({ from: { id: v2 }, schemaAhead: ALLOWED });

    // Slack: the notify step of rollback.yml, its inputs resolved as the runner would, run through the bundle.
    const step = (loadWorkflow('.github/workflows/rollback.yml').jobs.rollback.steps as Record<string, any>[]).find(
      (s) => String(s.uses).endsWith('/actions/notify'),
    ) as Record<string, any>;
    const context = { inputs, steps: { rollback: { outputs: rolled.outputs }, smoke: { outputs: {} } }, job: {} };
    const message = resolve(step.with.message, context) as string;
    const notified = await runBundle({
      action: 'notify',
      inputs: { status: 'rolled-back', environment: 'production', message, 'webhook-url': slack.webhookUrl },
      event: { name: 'workflow_dispatch', payload: { inputs: {} } },
    });
    expect(notified.exitCode).toBe(0);
    const posted = JSON.stringify(slack.webhookMessages.at(-1));
    expect(posted).toContain('errors after deploy — schema: past db/migrations/20261201000000_drop_name.sql:2');
    expect(posted).toContain(`allowed: ${ALLOWED}`);
  }, 120_000);
});
