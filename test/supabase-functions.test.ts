// deploy and rollback with provider supabase-functions, through the bundles: multipart deploys with
// config.toml's verify_jwt and import maps, and a rollback that redeploys the previous release's sources from git.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { type RunOptions, runBundle } from '../cli/local-runner.js';
import { type FakeGitHub, startFakeGitHub } from '../cli/sandbox/github.js';
import { type FakeSupabase, startFakeSupabase } from '../cli/sandbox/supabase.js';
import { errors, expectNoSecrets } from './support.js';

let supabase: FakeSupabase;
let github: FakeGitHub;
let repo: string;
const shas: string[] = [];

function git(...args: string[]): string {
  return execFileSync('git', ['-C', repo, ...args], {
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 't',
      GIT_AUTHOR_EMAIL: 't@e',
      GIT_COMMITTER_NAME: 't',
      GIT_COMMITTER_EMAIL: 't@e',
    },
  }).trim();
}

function commit(version: string): string {
  writeFileSync(
    join(repo, 'app', 'supabase', 'functions', 'hello', 'index.ts'),
    `import { cors } from '../_shared/cors.ts';\nimport { log } from '@shared/log.ts';\nimport { z } from 'npm:zod@3';\nDeno.serve(() => { log(z); return new Response('${version}', { headers: cors }); });\n`,
  );
  git('add', '-A');
  git('commit', '-qm', version);
  return git('rev-parse', 'HEAD');
}

beforeAll(async () => {
  supabase = await startFakeSupabase();
  github = await startFakeGitHub();
  repo = mkdtempSync(join(tmpdir(), 'supabase-repo-'));
  git('init', '-q');
  const fns = join(repo, 'app', 'supabase', 'functions');
  mkdirSync(join(fns, 'hello'), { recursive: true });
  mkdirSync(join(fns, '_shared'));
  mkdirSync(join(fns, 'stripe-webhook'));
  writeFileSync(join(fns, '_shared', 'cors.ts'), "export const cors = { 'Access-Control-Allow-Origin': '*' };\n");
  writeFileSync(
    join(fns, '_shared', 'log.ts'),
    "export * from './format.ts';\nexport const log = (x: unknown) => console.log(x);\n",
  );
  writeFileSync(join(fns, '_shared', 'format.ts'), 'export const format = String;\n');
  writeFileSync(join(fns, '_shared', 'unused.ts'), 'export const unused = 1;\n');
  writeFileSync(join(fns, 'import_map.json'), '{ "imports": { "@shared/": "./_shared/" } }\n');
  writeFileSync(join(fns, 'hello', 'NOTES.md'), 'not part of the function\n');
  mkdirSync(join(fns, 'stripe-webhook', 'templates'));
  writeFileSync(join(fns, 'stripe-webhook', 'templates', 'receipt.html'), '<p>receipt</p>\n');
  writeFileSync(join(fns, 'stripe-webhook', 'index.ts'), "Deno.serve(() => new Response('ok'));\n");
  writeFileSync(join(fns, 'stripe-webhook', 'deno.json'), '{ "imports": { "stripe": "npm:stripe@14" } }\n');
  writeFileSync(
    join(repo, 'app', 'supabase', 'config.toml'),
    '[api]\nport = 54321\n\n[functions.stripe-webhook]\nverify_jwt = false # Stripe signs its own requests\nstatic_files = [\n  "./functions/stripe-webhook/templates/*.html",\n]\n',
  );
  shas.push(commit('v1'));
  shas.push(commit('v2'));
});
afterAll(async () => {
  await supabase.close();
  await github.close();
});

function run(action: 'deploy' | 'rollback', inputs: RunOptions['inputs'], sha: string) {
  return runBundle({
    action,
    inputs: {
      provider: 'supabase-functions',
      token: supabase.token,
      project: supabase.ref,
      'api-url': supabase.url,
      'github-token': github.token,
      ...inputs,
    },
    env: { GITHUB_API_URL: github.url, GITHUB_REPOSITORY: github.repository, GITHUB_SHA: sha },
    workspace: repo,
    timeoutMs: 60_000,
  });
}

describe('supabase-functions', () => {
  test('deploys every function with its settings, and each release goes in the ledger', async () => {
    git('checkout', '-q', shas[0] as string);
    const first = await run('deploy', { dir: 'app', target: 'production' }, shas[0] as string);
    expect(first.exitCode).toBe(0);
    expect(supabase.functions.get('stripe-webhook')).toMatchObject({
      verifyJwt: false,
      importMap: 'supabase/functions/stripe-webhook/deno.json',
    });
    expect(supabase.functions.get('hello')).toMatchObject({
      verifyJwt: true,
      entrypoint: 'supabase/functions/hello/index.ts',
    });
    expect(JSON.parse(first.outputs.release as string).services).toHaveLength(2);

    git('checkout', '-q', shas[1] as string);
    const second = await run('deploy', { dir: 'app', target: 'production', functions: 'hello' }, shas[1] as string);
    expect(second.exitCode).toBe(0);
    expect(supabase.functions.get('hello')?.files['supabase/functions/hello/index.ts']).toContain("'v2'");
    expect(second.outputs['previous-deployment-id']).toBe(shas[0]);
    expectNoSecrets(second, [supabase.token, github.token]);
  });

  test('the files of a function are those its entrypoint imports, plus its import map and static_files', () => {
    // Imports followed through relative paths and the global import map (@shared/), re-exports included; the
    // map's local folder target (_shared/) uploaded whole, as the CLI does; npm: specifiers and the function
    // folder's other files (NOTES.md) left out.
    expect(Object.keys(supabase.functions.get('hello')?.files ?? {}).sort()).toEqual([
      'supabase/functions/_shared/cors.ts',
      'supabase/functions/_shared/format.ts',
      'supabase/functions/_shared/log.ts',
      'supabase/functions/_shared/unused.ts',
      'supabase/functions/hello/index.ts',
      'supabase/functions/import_map.json',
    ]);
    expect(supabase.functions.get('hello')?.importMap).toBe('supabase/functions/import_map.json');
    expect(Object.keys(supabase.functions.get('stripe-webhook')?.files ?? {}).sort()).toEqual([
      'supabase/functions/stripe-webhook/deno.json',
      'supabase/functions/stripe-webhook/index.ts',
      'supabase/functions/stripe-webhook/templates/receipt.html',
    ]);
    expect(supabase.functions.get('stripe-webhook')?.staticPatterns).toEqual([
      'supabase/functions/stripe-webhook/templates/*.html',
    ]);
  });

  test('several functions are bundled, then activated together by one bulk update', () => {
    // The first deploy had two functions: both bundled with bundleOnly, then one PUT activated both.
    expect(supabase.bulkUpdates[0]?.sort()).toEqual(['hello', 'stripe-webhook']);
    const deploys = supabase.server.requests.filter(
      (r) => r.method === 'POST' && r.path.includes('/functions/deploy?'),
    );
    expect(
      deploys.slice(0, 2).every((r) => new URL(r.path, 'http://x').searchParams.get('bundleOnly') === 'true'),
    ).toBe(true);
  });

  test('a release is all or nothing: when one function fails to bundle, none goes live', async () => {
    const before = Object.fromEntries([...supabase.functions].map(([slug, fn]) => [slug, fn.version]));
    supabase.failNextDeploy(
      'Failed to bundle the function (reason: Module not found "./missing.ts")',
      'stripe-webhook',
    );
    const result = await run('deploy', { dir: 'app', target: 'production' }, shas[1] as string);
    expect(result.exitCode).toBe(1);
    expect(errors(result).join('\n')).toContain('stripe-webhook: Failed to bundle the function');
    expect(Object.fromEntries([...supabase.functions].map(([slug, fn]) => [slug, fn.version]))).toEqual(before);
  });

  test('a bulk update answered 503 is sent again after Retry-After, and the release goes live once', async () => {
    const applied = supabase.bulkUpdates.length;
    supabase.server.inject(/\/functions$/, {
      kind: 'status',
      status: 503,
      headers: { 'retry-after': '1' },
      body: '{"message":"upstream busy"}',
    });
    const result = await run('deploy', { dir: 'app', target: 'production' }, shas[1] as string);
    expect(result.exitCode).toBe(0);
    expect(supabase.bulkUpdates.length - applied).toBe(1);
    expect(supabase.server.requests.filter((r) => r.method === 'PUT').length).toBeGreaterThanOrEqual(2);
  });

  test('rollback redeploys the previous release’s sources from git, and only once', async () => {
    const result = await run('rollback', { verify: 'false' }, shas[1] as string);
    expect(result.exitCode).toBe(0);
    expect(result.outputs).toMatchObject({
      changed: 'true',
      'restored-deployment-id': shas[0],
      'rolled-back-deployment-id': shas[1],
    });
    expect(supabase.functions.get('hello')?.files['supabase/functions/hello/index.ts']).toContain("'v1'");
    expect(result.visibleStdout).toContain('redeploying the sources of');
    const again = await run('rollback', { verify: 'false' }, shas[1] as string);
    expect(again.outputs.changed).toBe('false');
  });

  test("a rejected function fails the step with Supabase's message", async () => {
    supabase.failNextDeploy('Failed to bundle the function (reason: Module not found "./missing.ts")');
    const result = await run('deploy', { dir: 'app', target: 'production', functions: 'hello' }, shas[1] as string);
    expect(result.exitCode).toBe(1);
    expect(errors(result).join('\n')).toContain(
      'Supabase functions deploy failed: hello: Failed to bundle the function',
    );
  });

  test('previews are refused, and an unknown function is named', async () => {
    const preview = await run('deploy', { dir: 'app' }, shas[1] as string);
    expect(errors(preview).join('\n')).toContain(
      "Input 'target': preview is not supported with provider supabase-functions (Edge Functions go live when deployed)",
    );
    const unknown = await run(
      'deploy',
      { dir: 'app', target: 'production', functions: 'hello,nope' },
      shas[1] as string,
    );
    expect(errors(unknown).join('\n')).toContain(
      "Input 'functions': no function nope under supabase/functions (found: hello, stripe-webhook)",
    );
  });
});
