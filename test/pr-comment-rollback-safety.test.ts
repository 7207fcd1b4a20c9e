// Before merge: a pull request whose migrations are contract says so in its preview comment. migrate plan, with the
// base branch's checkout standing for what is applied (no database in a preview), classifies only the files the
// pull request adds; deploy's preview comment, given that contract-migrations output, says the release is not
// rollback-safe with each file:line, statement and reason, and links the two-release pattern. Through the migrate
// and deploy bundles, and the preview steps of deploy-environment.yml.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { runBundle } from '../cli/local-runner.js';
import { type FakeGitHub, startFakeGitHub } from '../cli/sandbox/github.js';
import { type FakeVercel, startFakeVercel } from '../cli/sandbox/vercel.js';
import { EXPAND_CONTRACT_DOCS } from '../shared/schema-changes.js';
import { migrate, removeWorkspaces, workspace } from './fakes/migrate-workspace.js';
import { errors, exampleEvent } from './support.js';
import { loadWorkflow } from './workflow-steps.js';

let vercel: FakeVercel;
let github: FakeGitHub;
beforeAll(async () => {
  [vercel, github] = await Promise.all([startFakeVercel({ buildMs: 100, aliasJobMs: 100 }), startFakeGitHub()]);
});
afterAll(async () => {
  removeWorkspaces();
  await Promise.all([vercel.close(), github.close()]);
});

const USERS = `-- migrate:up
create table users (id bigint primary key, email text, name text);
-- migrate:down
drop table users;
`;
const DROP_NAME = `-- migrate:up
-- v2 reads users.email only
alter table users drop column name;
-- migrate:down
alter table users add column name text;
`;
const ADD_BIO = `-- migrate:up
alter table users add column bio text;
-- migrate:down
alter table users drop column bio;
`;

/** A pull request's workspace: its folder, and the base branch's checkout in .shipline-base. */
const pullRequest = (added: Record<string, string>) =>
  workspace({
    '.shipline-base/db/migrations/20260101000000_users.sql': USERS,
    'db/migrations/20260101000000_users.sql': USERS,
    ...Object.fromEntries(Object.entries(added).map(([name, content]) => [`db/migrations/${name}`, content])),
  });

const plan = (ws: string) =>
  migrate(ws, { command: 'plan', 'base-dir': '.shipline-base', dir: 'db/migrations', format: 'dbmate' });

const event = exampleEvent('pull_request', (p) => p.action === 'opened');
const number = event.payload.pull_request.number as number;

function previewDeploy(contract: string) {
  const dir = mkdtempSync(join(tmpdir(), 'pr-safety-'));
  writeFileSync(join(dir, 'index.html'), '<h1>preview</h1>');
  return runBundle({
    action: 'deploy',
    inputs: {
      provider: 'vercel',
      token: vercel.token,
      project: vercel.projectId,
      team: vercel.teamId,
      'api-url': vercel.url,
      'github-token': github.token,
      'wait-timeout': '30s',
      dir,
      'contract-migrations': contract,
    },
    env: { GITHUB_API_URL: github.url, GITHUB_REPOSITORY: github.repository },
    event,
    workspace: '/',
    timeoutMs: 60_000,
  });
}

const comment = () => (github.comments.get(number) ?? []).map((c) => c.body ?? '').join('\n');

describe('the pull request comment says a release is not rollback-safe, before merge', () => {
  test('migrate plan with the base branch as what is applied classifies only the added file, with its statement', async () => {
    const result = await plan(pullRequest({ '20260201000000_drop_name.sql': DROP_NAME }));
    expect(errors(result)).toEqual([]);
    expect(result.outputs['pending-count']).toBe('1');
    expect(result.outputs['rollback-safe']).toBe('false');
    expect(JSON.parse(result.outputs['contract-migrations'] as string)).toEqual([
      {
        file: 'db/migrations/20260201000000_drop_name.sql',
        version: '20260201000000',
        line: 3,
        statement: 'alter table users drop column name',
        reason: expect.stringContaining('drops column users.name'),
      },
    ]);
    // The plan's own message says it and links the two-release pattern.
    expect(result.summary).toContain('**This release is not rollback-safe**');
    expect(result.summary).toContain(EXPAND_CONTRACT_DOCS);
    expect(result.annotations.find((a) => a.title === 'Not rollback-safe')?.message).toContain(EXPAND_CONTRACT_DOCS);
  });

  test("the preview's comment carries file:line, statement and why, and the way to ship it safely", async () => {
    const planned = await plan(pullRequest({ '20260201000000_drop_name.sql': DROP_NAME }));
    const result = await previewDeploy(planned.outputs['contract-migrations'] as string);
    expect({ code: result.exitCode, errors: errors(result) }).toEqual({ code: 0, errors: [] });
    const body = comment();
    expect(body).toContain('This release is not rollback-safe');
    expect(body).toMatch(
      /\| db\/migrations\/20260201000000_drop_name\.sql:3 \| drops column users\.name[^|]* \| `alter table users drop column name` \|/,
    );
    expect(body).toContain(`(${EXPAND_CONTRACT_DOCS})`);
  });

  test('an expand-only pull request: rollback-safe, and the comment says nothing of it', async () => {
    const planned = await plan(pullRequest({ '20260201000000_bio.sql': ADD_BIO }));
    expect(planned.outputs['rollback-safe']).toBe('true');
    const result = await previewDeploy(planned.outputs['contract-migrations'] as string);
    expect(result.exitCode).toBe(0);
    expect(comment()).toContain('Preview ready');
    expect(comment()).not.toContain('rollback-safe');
  });

  test('base-dir is refused with a database, or outside plan, with the other input problems', async () => {
    const ws = pullRequest({});
    const result = await migrate(ws, {
      command: 'apply',
      'base-dir': 'no-such-checkout',
      'database-url': 'postgresql://u:p@127.0.0.1:1/db',
    });
    expect(result.exitCode).toBe(1);
    const message = errors(result).join('\n');
    expect(message).toContain("Input 'base-dir' stands in for the database in command 'plan' without 'database-url'");
    expect(message).toContain("Input 'base-dir' must be a folder in the workspace");
  });
});

describe('deploy-environment.yml: a preview plans its migrations and hands them to the comment', () => {
  const steps = loadWorkflow('.github/workflows/deploy-environment.yml').jobs.release.steps as Record<string, any>[];
  const index = (id: string) => steps.findIndex((s) => s.id === id);

  test('the plan runs for previews only, against a checkout of the base branch, before the deploy', () => {
    const planStep = steps[index('plan-migrations')] as Record<string, any>;
    expect(planStep.with).toMatchObject({ command: 'plan', 'base-dir': '.shipline-base' });
    expect(planStep.with['database-url']).toBeUndefined();
    expect(planStep.if).toContain("inputs.stage == 'preview'");
    const checkout = steps.find((s) => s.with?.path === '.shipline-base') as Record<string, any>;
    expect(checkout.with.ref).toBe('${{ github.event.pull_request.base.sha }}');
    expect(steps.indexOf(checkout)).toBeLessThan(index('plan-migrations'));
    expect(index('plan-migrations')).toBeLessThan(index('deploy'));
    expect((steps[index('deploy')] as Record<string, any>).with['contract-migrations']).toContain(
      'steps.plan-migrations.outputs.contract-migrations',
    );
  });
});
