// Uploads never include files outside the deployed folder, through the deploy bundle against the loopback
// Netlify, Vercel and Supabase stand-ins. Each deployed folder holds a link into a fake home's .ssh (a folder link
// and a file link), a link to another place inside the folder (which must keep working), and the provider's own
// ways out: a Vercel filePathMap entry climbing out with ../ or going through a linked folder, a Supabase import
// climbing out with ../ and static_files under a linked folder. Every request body the stand-ins received is
// searched for the fake key: it must never have left the machine.
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { type RunOptions, type RunResult, runBundle } from '../cli/local-runner.js';
import { type FakeGitHub, startFakeGitHub } from '../cli/sandbox/github.js';
import { type FakeNetlify, startFakeNetlify } from '../cli/sandbox/netlify.js';
import type { FakeServer } from '../cli/sandbox/server.js';
import { type FakeSupabase, startFakeSupabase } from '../cli/sandbox/supabase.js';
import { type FakeVercel, startFakeVercel } from '../cli/sandbox/vercel.js';
import { errors, exampleEvent, warnings } from './support.js';

let github: FakeGitHub;
let netlify: FakeNetlify;
let vercel: FakeVercel;
let supabase: FakeSupabase;

beforeAll(async () => {
  github = await startFakeGitHub();
  netlify = await startFakeNetlify();
  vercel = await startFakeVercel({ buildMs: 200 });
  supabase = await startFakeSupabase();
});
afterAll(async () => {
  await Promise.all([github.close(), netlify.close(), vercel.close(), supabase.close()]);
});

/** A temporary place holding a fake home with a private key, and the folder to deploy beside it. */
function place(): { base: string; root: string; ssh: string; secret: string } {
  const base = mkdtempSync(join(tmpdir(), 'confinement-'));
  const secret = `PRIVATE-KEY-${randomBytes(12).toString('hex')}`;
  const ssh = join(base, 'home', '.ssh');
  mkdirSync(ssh, { recursive: true });
  writeFileSync(join(ssh, 'id_ed25519'), `${secret}\n`);
  mkdirSync(join(base, 'outside'));
  writeFileSync(join(base, 'outside', 'secret'), `${secret}\n`);
  writeFileSync(join(base, 'outside', 'x.ts'), `export const x = '${secret}';\n`);
  const root = join(base, 'project');
  mkdirSync(root);
  return { base, root, ssh, secret };
}

/** Whether any request a stand-in received carried the text. */
const received = (server: FakeServer, text: string) => server.requests.some((r) => r.raw.includes(text));

const event = () => exampleEvent('push', (p) => Boolean(p.head_commit));
const env = () => ({ GITHUB_API_URL: github.url, GITHUB_REPOSITORY: github.repository, GITHUB_SHA: 'c'.repeat(40) });

function deploy(inputs: RunOptions['inputs'], workspace?: string): Promise<RunResult> {
  return runBundle({
    action: 'deploy',
    inputs: { 'github-token': github.token, target: 'production', ...inputs },
    env: env(),
    event: event(),
    workspace,
    timeoutMs: 60_000,
  });
}

describe('netlify', () => {
  test('links leaving the folder are skipped with a warning naming them (as netlify-cli skips links); a link inside it is deployed as its target', async () => {
    const { root, ssh, secret } = place();
    writeFileSync(join(root, 'index.html'), '<h1>home</h1>');
    writeFileSync(join(root, 'about.html'), '<h1>about</h1>');
    symlinkSync('about.html', join(root, 'about-us.html'));
    mkdirSync(join(root, 'assets'));
    writeFileSync(join(root, 'assets', 'app.js'), 'export const app = 1;');
    symlinkSync('assets', join(root, 'static'));
    symlinkSync(ssh, join(root, 'ssh'));
    symlinkSync(join(ssh, 'id_ed25519'), join(root, 'key.txt'));

    const result = await deploy({
      provider: 'netlify',
      token: netlify.token,
      project: netlify.siteId,
      'api-url': netlify.url,
      dir: root,
    });
    expect(errors(result)).toEqual([]);
    expect(result.exitCode).toBe(0);
    expect(received(netlify.server, secret)).toBe(false);
    const files = netlify.deploys.get(result.outputs['deployment-id'] as string)?.files ?? {};
    expect(Object.keys(files).sort()).toEqual([
      '/about-us.html',
      '/about.html',
      '/assets/app.js',
      '/index.html',
      '/static/app.js',
    ]);
    expect(files['/about-us.html']).toBe(files['/about.html']);
    expect(files['/static/app.js']).toBe(files['/assets/app.js']);
    expect(warnings(result)).toEqual(
      expect.arrayContaining([
        `Netlify: key.txt is a link to a path outside ${root} (${join(ssh, 'id_ed25519')}); it is not uploaded`,
        `Netlify: ssh is a link to a path outside ${root} (${ssh}); it is not uploaded`,
      ]),
    );
  });
});

describe('vercel prebuilt', () => {
  /** A `vercel build` output whose function traces a workspace package linked inside the project. */
  function prebuilt(root: string, filePathMap: Record<string, string>): void {
    const output = join(root, '.vercel', 'output');
    mkdirSync(join(output, 'static'), { recursive: true });
    writeFileSync(join(output, 'config.json'), JSON.stringify({ version: 3 }));
    writeFileSync(join(output, 'static', 'index.html'), '<h1>prebuilt</h1>');
    symlinkSync('index.html', join(output, 'static', 'home.html'));
    mkdirSync(join(output, 'functions', 'api.func'), { recursive: true });
    writeFileSync(join(output, 'functions', 'api.func', 'index.js'), "module.exports = require('greet');");
    writeFileSync(
      join(output, 'functions', 'api.func', '.vc-config.json'),
      JSON.stringify({ runtime: 'nodejs22.x', handler: 'index.js', launcherType: 'Nodejs', filePathMap }),
    );
    mkdirSync(join(root, 'packages', 'greet'), { recursive: true });
    writeFileSync(join(root, 'packages', 'greet', 'index.js'), "module.exports = () => 'hello';");
    mkdirSync(join(root, 'node_modules'));
    symlinkSync(join('..', 'packages', 'greet'), join(root, 'node_modules', 'greet'));
  }

  const run = (dir: string) =>
    deploy({
      provider: 'vercel',
      token: vercel.token,
      project: vercel.projectId,
      team: vercel.teamId,
      'api-url': vercel.url,
      'wait-timeout': '30s',
      dir,
    });

  test('a filePathMap entry through a linked folder that leaves the project fails the step naming the link, before anything is created', async () => {
    const { root, ssh, secret } = place();
    prebuilt(root, {
      'node_modules/greet/index.js': 'node_modules/greet/index.js',
      'node_modules/keys/id_ed25519': 'node_modules/keys/id_ed25519',
    });
    symlinkSync(ssh, join(root, 'node_modules', 'keys'));
    const before = vercel.deployments.size;

    const result = await run(root);
    expect(result.exitCode).toBe(1);
    expect(errors(result).join('\n')).toContain(
      `.vercel/output/functions/api.func/.vc-config.json: filePathMap entry node_modules/keys/id_ed25519 goes through a link: node_modules/keys is a link to a path outside ${root} (${ssh}): refused`,
    );
    expect(received(vercel.server, secret)).toBe(false);
    expect(vercel.deployments.size).toBe(before);
  });

  test('a .vercel folder that is a link out of the project fails the step naming it, before anything is created', async () => {
    const { base, root, secret } = place();
    const elsewhere = join(base, 'elsewhere');
    mkdirSync(join(elsewhere, 'output', 'static'), { recursive: true });
    writeFileSync(join(elsewhere, 'output', 'config.json'), JSON.stringify({ version: 3 }));
    writeFileSync(join(elsewhere, 'output', 'static', 'index.html'), secret);
    symlinkSync(elsewhere, join(root, '.vercel'));
    const before = vercel.deployments.size;

    const result = await run(root);
    expect(result.exitCode).toBe(1);
    expect(errors(result).join('\n')).toContain(`.vercel is a link to a path outside ${root} (${elsewhere}): refused`);
    expect(received(vercel.server, secret)).toBe(false);
    expect(vercel.deployments.size).toBe(before);
  });

  test('a filePathMap entry climbing out with ../ is skipped with a warning naming it (as vercel deploy --prebuilt skips it); links inside the project work', async () => {
    const { root, secret } = place();
    prebuilt(root, { 'node_modules/greet/index.js': 'node_modules/greet/index.js', secret: '../outside/secret' });

    const result = await run(root);
    expect(errors(result)).toEqual([]);
    expect(result.exitCode).toBe(0);
    expect(received(vercel.server, secret)).toBe(false);
    expect(warnings(result).join('\n')).toContain(
      `Vercel: 1 filePathMap entries are outside ${root} and are not uploaded (as vercel deploy --prebuilt skips them): ../outside/secret`,
    );
    const files = vercel.deployments.get(result.outputs['deployment-id'] as string)?.files ?? [];
    const greet = files.find((f) => f.file === 'node_modules/greet/index.js');
    expect(greet && vercel.blobs.get(greet.sha as string)?.toString('utf8')).toBe("module.exports = () => 'hello';");
    // A link inside the output is sent as a link (its text), as @vercel/client sends it.
    const home = files.find((f) => f.file === '.vercel/output/static/home.html');
    expect(home && vercel.blobs.get(home.sha as string)?.toString('utf8')).toBe('index.html');
  });
});

describe('supabase-functions', () => {
  /** A project with three functions: one importing through a link inside it, one importing ../, one with linked static files. */
  function project(root: string, ssh: string): void {
    const fns = join(root, 'supabase', 'functions');
    mkdirSync(join(fns, '_shared'), { recursive: true });
    writeFileSync(join(fns, '_shared', 'util.ts'), "export const util = 'shared';\n");
    mkdirSync(join(fns, 'hello'));
    symlinkSync(join('..', '_shared', 'util.ts'), join(fns, 'hello', 'util.ts'));
    writeFileSync(
      join(fns, 'hello', 'index.ts'),
      "import { util } from './util.ts';\nDeno.serve(() => new Response(util));\n",
    );
    mkdirSync(join(fns, 'leaky'));
    writeFileSync(
      join(fns, 'leaky', 'index.ts'),
      "import { x } from '../../../../outside/x.ts';\nDeno.serve(() => new Response(x));\n",
    );
    mkdirSync(join(fns, 'keyed'));
    writeFileSync(join(fns, 'keyed', 'index.ts'), "Deno.serve(() => new Response('ok'));\n");
    symlinkSync(ssh, join(fns, 'keyed', 'keys'));
    writeFileSync(
      join(root, 'supabase', 'config.toml'),
      '[functions.keyed]\nstatic_files = ["./functions/keyed/keys/*"]\n',
    );
  }

  const run = (root: string, fn: string) =>
    deploy(
      {
        provider: 'supabase-functions',
        token: supabase.token,
        project: supabase.ref,
        'api-url': supabase.url,
        dir: root,
        functions: fn,
      },
      root,
    );

  test('an import through a link inside the project is uploaded as its target', async () => {
    const { root, ssh } = place();
    project(root, ssh);
    const result = await run(root, 'hello');
    expect(errors(result)).toEqual([]);
    expect(result.exitCode).toBe(0);
    expect(supabase.functions.get('hello')?.files).toEqual({
      'supabase/functions/hello/index.ts': "import { util } from './util.ts';\nDeno.serve(() => new Response(util));\n",
      'supabase/functions/hello/util.ts': "export const util = 'shared';\n",
    });
  });

  test('an import climbing out of the project with ../ fails the step naming it (the CLI refuses it too), and nothing is sent', async () => {
    const { root, ssh, secret } = place();
    project(root, ssh);
    const requests = supabase.server.requests.length;
    const result = await run(root, 'leaky');
    expect(result.exitCode).toBe(1);
    expect(errors(result).join('\n')).toContain(
      `Import in supabase/functions/leaky/index.ts: ../outside/x.ts is outside ${root}: refused`,
    );
    expect(received(supabase.server, secret)).toBe(false);
    expect(supabase.server.requests.length).toBe(requests);
  });

  test('static_files under a linked folder that leaves the project fail the step naming the link, and nothing is sent', async () => {
    const { root, ssh, secret } = place();
    project(root, ssh);
    const requests = supabase.server.requests.length;
    const result = await run(root, 'keyed');
    expect(result.exitCode).toBe(1);
    expect(errors(result).join('\n')).toContain(
      `supabase/functions/keyed/keys is a link to a path outside ${root} (${ssh}): refused`,
    );
    expect(received(supabase.server, secret)).toBe(false);
    expect(supabase.server.requests.length).toBe(requests);
  });
});
