// A rollback that knows the schema, through the deploy and rollback bundles: a release deployed with a contract
// migration (migrate's contract-migrations output) is recorded with it, and a rollback to a release older than it
// is refused before the provider is touched, unless allow-schema-ahead gives the reason (then the ledger says so).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { type RunOptions, runBundle } from '../cli/local-runner.js';
import { type FakeGitHub, startFakeGitHub } from '../cli/sandbox/github.js';
import { type FakeVercel, startFakeVercel } from '../cli/sandbox/vercel.js';
import { errors, exampleEvent } from './support.js';

let vercel: FakeVercel;
let github: FakeGitHub;

beforeAll(async () => {
  vercel = await startFakeVercel({ buildMs: 200, aliasJobMs: 200 });
  github = await startFakeGitHub();
});
afterAll(async () => {
  await vercel.close();
  await github.close();
});

const provider = () => ({
  provider: 'vercel',
  token: vercel.token,
  project: vercel.projectId,
  team: vercel.teamId,
  'api-url': vercel.url,
});
const githubEnv = () => ({ GITHUB_API_URL: github.url, GITHUB_REPOSITORY: github.repository });
const dropColumn = JSON.stringify([
  {
    file: 'supabase/migrations/20261201000000_drop_name.sql',
    version: '20261201000000',
    line: 3,
    statement: 'alter table users drop column name',
    reason: 'drops column users.name, which the previous release may still read or write',
  },
]);

async function deploy(version: string, contract = ''): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'site-'));
  writeFileSync(join(dir, 'index.html'), `<h1>${version}</h1>`);
  const result = await runBundle({
    action: 'deploy',
    inputs: {
      ...provider(),
      dir,
      target: 'production',
      'github-token': github.token,
      'wait-timeout': '30s',
      'contract-migrations': contract,
    },
    env: githubEnv(),
    event: exampleEvent('push', (p) => Boolean(p.head_commit)),
  });
  expect(result.exitCode).toBe(0);
  return result.outputs['deployment-id'] as string;
}

function rollback(inputs: RunOptions['inputs']) {
  return runBundle({
    action: 'rollback',
    inputs: { ...provider(), 'github-token': github.token, verify: 'false', ...inputs },
    env: githubEnv(),
    event: { name: 'workflow_dispatch', payload: { inputs: {} } },
    timeoutMs: 60_000,
  });
}

const payloadOf = (release: string) =>
  github.deployments
    .filter((d) => (d.payload as { release?: { id?: string } })?.release?.id === release)
    .map((d) => d.payload as Record<string, any>);

describe('rollback past a contract migration', () => {
  let before: string;
  let dropping: string;

  test('the deploy records the contract migrations its pipeline applied; an expand-only one records none', async () => {
    before = await deploy('v1');
    dropping = await deploy('v2', dropColumn);
    expect(payloadOf(before)[0]?.schema).toBeUndefined();
    expect(payloadOf(dropping)[0]?.schema).toEqual({
      contract: [
        {
          file: 'supabase/migrations/20261201000000_drop_name.sql',
          line: 3,
          reason: 'drops column users.name, which the previous release may still read or write',
        },
      ],
    });
  });

  test('is refused before the provider is touched, naming the migration and the release it came with', async () => {
    const result = await rollback({ reason: 'errors after deploy' });
    expect(result.exitCode).toBe(1);
    const message = errors(result).join('\n');
    expect(message).toContain(`Rollback refused: ${before} is older than contract migrations still in place`);
    expect(message).toContain(
      `supabase/migrations/20261201000000_drop_name.sql:3 (drops column users.name, which the previous release may still read or write), applied with ${dropping}`,
    );
    // The two ways on, besides rolling forward: revert the migrations, or keep them and say why.
    expect(message).toContain("'migrate-down: true'");
    expect(message).toContain('allow-schema-ahead');
    expect(vercel.production()).toBe(dropping);
    expect(result.outputs['changed']).toBeUndefined();
  });

  test('the dry run says the same, changing nothing', async () => {
    const result = await rollback({ 'dry-run': 'true' });
    expect(result.exitCode).toBe(1);
    expect(errors(result).join('\n')).toContain('Rollback refused');
    expect(vercel.production()).toBe(dropping);
  });

  test('with allow-schema-ahead it proceeds; the ledger and the summary carry the reason', async () => {
    const result = await rollback({ reason: 'errors after deploy', 'allow-schema-ahead': 'v1 never reads users.name' });
    expect(result.exitCode).toBe(0);
    expect(result.outputs).toMatchObject({ changed: 'true', 'restored-deployment-id': before });
    expect(vercel.production()).toBe(before);
    const recorded = github.deployments
      .map((d) => d.payload as Record<string, any>)
      .find((p) => p?.rollback && p.release?.id === before);
    expect(recorded?.rollback).toMatchObject({ from: { id: dropping }, schemaAhead: 'v1 never reads users.name' });
    expect(result.summary).toContain('allowed: v1 never reads users.name');
  });

  test('an expand-only release rolls back as before', async () => {
    const v3 = await deploy('v3');
    const v4 = await deploy('v4');
    const result = await rollback({});
    expect(result.exitCode).toBe(0);
    expect(result.outputs).toMatchObject({
      changed: 'true',
      'restored-deployment-id': v3,
      'rolled-back-deployment-id': v4,
    });
  });

  test("a malformed contract-migrations input is refused with the deploy's other input problems", async () => {
    const result = await runBundle({
      action: 'deploy',
      inputs: {
        ...provider(),
        dir: '.',
        target: 'production',
        'github-token': github.token,
        'contract-migrations': '{"file": 1}',
      },
      env: githubEnv(),
      event: exampleEvent('push', (p) => Boolean(p.head_commit)),
    });
    expect(result.exitCode).toBe(1);
    expect(errors(result).join('\n')).toContain(
      "Input 'contract-migrations' must be migrate's contract-migrations output: a JSON array of {file, line, reason} (it is not an array)",
    );
  });
});
