// The official client is the judge: the Supabase CLI (`supabase functions deploy --use-api`, the npm package's
// own binary) deploys two functions against the loopback fake, pointed at it through a profile whose api_url is
// the fake. Then our provider deploys the same project, and its requests must be the CLI's requests.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { type FakeSupabase, startFakeSupabase } from '../cli/sandbox/supabase.js';
import type { RecordedRequest } from '../cli/sandbox/server.js';
import { SupabaseFunctionsProvider } from '../shared/providers/supabase-functions.js';

const require = createRequire(import.meta.url);

/** The CLI binary the `supabase` npm package runs (its shim picks the platform package). */
function supabaseBinary(): string {
  return join(dirname(require.resolve('@supabase/cli-linux-x64/package.json')), 'bin', 'supabase');
}

let fake: FakeSupabase;
let project: string;
let home: string;

function write(path: string, text: string): void {
  mkdirSync(dirname(join(project, path)), { recursive: true });
  writeFileSync(join(project, path), text);
}

beforeAll(async () => {
  fake = await startFakeSupabase({ bundleMs: 50 });
  project = mkdtempSync(join(tmpdir(), 'conformance-supabase-'));
  home = mkdtempSync(join(tmpdir(), 'conformance-supabase-home-'));
  write(
    'supabase/config.toml',
    `project_id = "conformance"\n\n[functions.stripe-webhook]\nverify_jwt = false\nstatic_files = ["./functions/stripe-webhook/templates/*.html"]\n`,
  );
  write(
    'supabase/functions/hello/index.ts',
    "import { cors } from '../_shared/cors.ts';\nimport { log } from '@shared/log.ts';\nDeno.serve(() => { log('hi'); return new Response('hi', { headers: cors }); });\n",
  );
  write('supabase/functions/hello/README.md', 'not imported\n');
  write('supabase/functions/_shared/cors.ts', "export const cors = { 'Access-Control-Allow-Origin': '*' };\n");
  write(
    'supabase/functions/_shared/log.ts',
    "export * from './format.ts';\nexport const log = (x: unknown) => console.log(x);\n",
  );
  write('supabase/functions/_shared/format.ts', 'export const format = String;\n');
  write('supabase/functions/_shared/unused.ts', 'export const unused = 1;\n');
  write('supabase/functions/import_map.json', '{ "imports": { "@shared/": "./_shared/" } }\n');
  write(
    'supabase/functions/stripe-webhook/index.ts',
    "import Stripe from 'stripe';\nDeno.serve(() => new Response(String(Stripe)));\n",
  );
  write('supabase/functions/stripe-webhook/deno.json', '{ "imports": { "stripe": "npm:stripe@14" } }\n');
  write('supabase/functions/stripe-webhook/templates/receipt.html', '<p>receipt</p>\n');
  // A profile file: the CLI's documented way to use another Management API (api_url), here the fake.
  writeFileSync(
    join(home, 'profile.yaml'),
    `name: fake\napi_url: ${fake.url}\ndashboard_url: ${fake.url}/dashboard\nproject_host: supabase.co\n`,
  );
});
afterAll(async () => {
  await fake.close();
});

function runCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      supabaseBinary(),
      [...args, '--profile', join(home, 'profile.yaml')],
      {
        cwd: project,
        timeout: 60_000,
        // Only what the CLI needs: its token (sbp_ + 40 hex), a home of its own, no telemetry, no keyring.
        env: {
          PATH: process.env.PATH ?? '',
          HOME: home,
          SUPABASE_ACCESS_TOKEN: fake.token,
          DO_NOT_TRACK: '1',
          SUPABASE_TELEMETRY_DISABLED: '1',
          CI: 'true',
        },
      },
      (error, stdout, stderr) =>
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

const bySlug = (a: unknown, b: unknown) => JSON.stringify(a).localeCompare(JSON.stringify(b));

/** What a request to the fake was, in terms that must match between the CLI and us. */
async function describeRequest(r: RecordedRequest): Promise<unknown> {
  const url = new URL(r.path, 'http://fake');
  if (!url.pathname.endsWith('/functions/deploy')) {
    // The bulk update: which functions, and the fields each item carries.
    const items = r.method === 'PUT' ? (JSON.parse(r.body) as Record<string, unknown>[]) : undefined;
    return {
      method: r.method,
      path: url.pathname,
      body: items?.map((f) => ({ slug: f.slug, fields: Object.keys(f).sort() })).sort(bySlug),
    };
  }
  const form = await new Request('http://fake', {
    method: 'POST',
    headers: { 'content-type': String(r.headers['content-type']) },
    body: r.raw,
  }).formData();
  const metadata = JSON.parse(String(form.get('metadata')));
  return {
    method: r.method,
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    metadataIsAField: typeof form.get('metadata') === 'string',
    metadata,
    files: form
      .getAll('file')
      .map((f) => (f as File).name)
      .sort(),
  };
}

describe('conformance: the Supabase CLI against the Supabase fake', () => {
  let cliRequests: unknown[];

  test('supabase functions deploy --use-api deploys two functions to the fake', async () => {
    const result = await runCli([
      'functions',
      'deploy',
      '--use-api',
      '--project-ref',
      fake.ref,
      'hello',
      'stripe-webhook',
    ]);
    expect({ code: result.code, stderr: result.stderr }).toMatchObject({ code: 0 });
    expect([...fake.functions.keys()].sort()).toEqual(['hello', 'stripe-webhook']);
    expect(fake.bulkUpdates).toEqual([expect.arrayContaining(['hello', 'stripe-webhook'])]);
    expect(Object.keys(fake.functions.get('hello')?.files ?? {}).sort()).toEqual([
      'supabase/functions/_shared/cors.ts',
      'supabase/functions/_shared/format.ts',
      'supabase/functions/_shared/log.ts',
      'supabase/functions/_shared/unused.ts',
      'supabase/functions/hello/index.ts',
      'supabase/functions/import_map.json',
    ]);
    expect(fake.functions.get('stripe-webhook')).toMatchObject({ verifyJwt: false });
    cliRequests = await Promise.all(fake.server.requests.map(describeRequest));
  }, 90_000);

  test('our provider sends the requests the CLI sent', async () => {
    const seen = fake.server.requests.length;
    const provider = new SupabaseFunctionsProvider({
      token: fake.token,
      project: fake.ref,
      apiUrl: fake.url,
      workspace: project,
    } as never);
    await provider.deploy({
      dir: project,
      target: 'production',
      staged: false,
      git: { sha: 'a'.repeat(40), ref: '' },
      idempotencyKey: 'conformance',
    });
    const ours = await Promise.all(fake.server.requests.slice(seen).map(describeRequest));
    // The CLI also lists the functions first and reads the project last; we need neither.
    expect(ours.filter((r) => (r as { method: string }).method === 'POST').sort(bySlug)).toEqual(
      cliRequests.filter((r) => (r as { method: string }).method === 'POST').sort(bySlug),
    );
    expect(ours.filter((r) => (r as { method: string }).method === 'PUT')).toEqual(
      cliRequests.filter((r) => (r as { method: string }).method === 'PUT'),
    );
    expect(fake.bulkUpdates).toHaveLength(2);
  });
});
