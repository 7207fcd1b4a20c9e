// Pins the stand-in's bundleOnly semantics with the official client as the judge. `supabase functions deploy
// --use-api` (the npm package's own binary) uploads each function with bundleOnly=true and then makes them live
// together with one bulk update (PUT …/functions). Here that bulk update is refused: the CLI's run fails, every
// function it uploaded is bundled, and none of them is live — the version served is still the one before. A
// stand-in that made a bundleOnly upload live would serve the new code here, and this test fails on it.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { type FakeSupabase, startFakeSupabase } from '../cli/sandbox/supabase.js';

const require = createRequire(import.meta.url);
const supabaseBinary = () => join(dirname(require.resolve('@supabase/cli-linux-x64/package.json')), 'bin', 'supabase');

let fake: FakeSupabase;
let project: string;
let home: string;

function write(path: string, text: string): void {
  mkdirSync(dirname(join(project, path)), { recursive: true });
  writeFileSync(join(project, path), text);
}

beforeAll(async () => {
  fake = await startFakeSupabase({ bundleMs: 20 });
  project = mkdtempSync(join(tmpdir(), 'conformance-supabase-bundle-only-'));
  home = mkdtempSync(join(tmpdir(), 'conformance-supabase-bundle-only-home-'));
  write('supabase/config.toml', 'project_id = "bundle-only"\n');
  // A profile file: the CLI's documented way to use another Management API (api_url), here the stand-in.
  writeFileSync(
    join(home, 'profile.yaml'),
    `name: fake\napi_url: ${fake.url}\ndashboard_url: ${fake.url}/dashboard\nproject_host: supabase.co\n`,
  );
});
afterAll(async () => {
  await fake.close();
  rmSync(project, { recursive: true, force: true });
  rmSync(home, { recursive: true, force: true });
});

function deployWithCli(...slugs: string[]): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      supabaseBinary(),
      [
        'functions',
        'deploy',
        '--use-api',
        '--project-ref',
        fake.ref,
        ...slugs,
        '--profile',
        join(home, 'profile.yaml'),
      ],
      {
        cwd: project,
        timeout: 60_000,
        env: {
          PATH: process.env.PATH ?? '',
          HOME: home,
          SUPABASE_ACCESS_TOKEN: fake.token,
          DO_NOT_TRACK: '1',
          SUPABASE_TELEMETRY_DISABLED: '1',
          CI: 'true',
        },
      },
      (error, _stdout, stderr) => resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stderr }),
    );
  });
}

const served = (slug: string) => fake.functions.get(slug)?.files[`supabase/functions/${slug}/index.ts`];
const source = (text: string) => `Deno.serve(() => new Response(${JSON.stringify(text)}));\n`;

describe('conformance: bundleOnly uploads are not live until the bulk update', () => {
  test('the CLI deploys two functions: both live, through one bulk update', async () => {
    write('supabase/functions/hello/index.ts', source('hello v1'));
    write('supabase/functions/goodbye/index.ts', source('goodbye v1'));
    const result = await deployWithCli('hello', 'goodbye');
    expect({ code: result.code, stderr: result.stderr }).toMatchObject({ code: 0 });
    expect(served('hello')).toBe(source('hello v1'));
    expect(served('goodbye')).toBe(source('goodbye v1'));
    expect(fake.bulkUpdates).toHaveLength(1);
  }, 90_000);

  test('the bulk update refused: the CLI fails, the new versions are bundled, and the old ones still serve', async () => {
    write('supabase/functions/hello/index.ts', source('hello v2'));
    write('supabase/functions/goodbye/index.ts', source('goodbye v2'));
    const uploadsBefore = fake.server.requests.filter((r) => r.path.includes('/functions/deploy')).length;
    // The bulk update shares its path with the functions list the CLI reads first: that read passes untouched.
    fake.server.inject(
      /\/functions$/,
      { kind: 'delay', ms: 0 },
      { kind: 'status', status: 400, body: '{"message":"bulk update refused for this test"}' },
    );
    const result = await deployWithCli('hello', 'goodbye');
    fake.server.clearFaults();
    const requests = fake.server.requests.map((r) => `${r.method} ${new URL(r.path, 'http://x').pathname}`);
    expect(requests).toContain(`PUT /v1/projects/${fake.ref}/functions`);
    expect(result.code).not.toBe(0);
    // Both were uploaded with bundleOnly and bundled...
    const uploads = fake.server.requests.filter((r) => r.path.includes('/functions/deploy')).slice(uploadsBefore);
    expect(uploads.map((r) => new URL(r.path, 'http://x').searchParams.get('bundleOnly'))).toEqual(['true', 'true']);
    expect(
      [...(fake.bundles.get('hello')?.values() ?? [])].map((f) => f.files['supabase/functions/hello/index.ts']),
    ).toContain(source('hello v2'));
    // ...and neither is live: what serves is still v1.
    expect(served('hello')).toBe(source('hello v1'));
    expect(served('goodbye')).toBe(source('goodbye v1'));
    expect(fake.bulkUpdates).toHaveLength(1);
  }, 90_000);

  test('the same deploy again: the bulk update goes through and both serve v2', async () => {
    const result = await deployWithCli('hello', 'goodbye');
    expect({ code: result.code, stderr: result.stderr }).toMatchObject({ code: 0 });
    expect(served('hello')).toBe(source('hello v2'));
    expect(served('goodbye')).toBe(source('goodbye v2'));
    expect(fake.bulkUpdates).toHaveLength(2);
  }, 90_000);
});
