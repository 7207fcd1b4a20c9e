// deploy's `command: preflight` (the production gate) through its bundle, against the loopback GitHub, Vercel,
// Netlify and Railway stand-ins: it refuses an environment nothing protects (no required reviewers, or none at all)
// and a provider that deploys the released branch to production by itself, names every problem at once with its
// fix and its opt-out, and never sends a write to anyone.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import { type RunOptions, type RunResult, runBundle } from '../cli/local-runner.js';
import { type FakeGitHub, startFakeGitHub } from '../cli/sandbox/github.js';
import { type FakeNetlify, startFakeNetlify } from '../cli/sandbox/netlify.js';
import { type FakeRailway, startFakeRailway } from '../cli/sandbox/railway.js';
import type { FakeServer } from '../cli/sandbox/server.js';
import { type FakeVercel, startFakeVercel } from '../cli/sandbox/vercel.js';
import { errors, expectNoSecrets, warnings } from './support.js';

let github: FakeGitHub;
let vercel: FakeVercel;
let netlify: FakeNetlify;
let railway: FakeRailway;

beforeAll(async () => {
  [github, vercel, netlify, railway] = await Promise.all([
    startFakeGitHub(),
    startFakeVercel(),
    startFakeNetlify(),
    startFakeRailway(),
  ]);
});
/** Workspaces of the runs, removed when the file is done. */
const workspaces: string[] = [];
function tempWorkspace(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  workspaces.push(dir);
  return dir;
}

afterAll(async () => {
  await Promise.all([github.close(), vercel.close(), netlify.close(), railway.close()]);
  for (const dir of workspaces) rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => {
  for (const server of [github.server, vercel.server, netlify.server, railway.server]) server.requests.length = 0;
  github.environments.clear();
  github.setEnvironment('production', { reviewers: ['octocat', 'team:release-managers'], preventSelfReview: true });
  github.canReadEnvironments = true;
  vercel.disconnectGit();
  netlify.unlinkRepository();
  for (const service of railway.services) railway.disconnectRepository(service.id);
});

const PROVIDER_INPUTS = {
  vercel: () => ({
    provider: 'vercel',
    token: vercel.token,
    project: vercel.projectId,
    team: vercel.teamId,
    'api-url': vercel.url,
  }),
  netlify: () => ({ provider: 'netlify', token: netlify.token, project: netlify.siteId, 'api-url': netlify.url }),
  railway: () => ({
    provider: 'railway',
    token: railway.projectToken,
    project: railway.projectId,
    'railway-environment': railway.environmentId,
    services: railway.services.map((s) => s.id).join(','),
    'api-url': railway.url,
  }),
  // No Git integration of its own: nothing to read at Supabase, and nothing is sent there.
  'supabase-functions': () => ({
    provider: 'supabase-functions',
    token: 'sbp_0123456789abcdef0123456789abcdef01234567',
    project: 'abcdefghijklmnopqrst',
  }),
};

function preflight(
  provider: keyof typeof PROVIDER_INPUTS,
  inputs: RunOptions['inputs'] = {},
  extra: Partial<RunOptions> = {},
): Promise<RunResult> {
  return runBundle({
    action: 'deploy',
    inputs: {
      command: 'preflight',
      environment: 'production',
      'github-token': github.token,
      ...PROVIDER_INPUTS[provider](),
      ...inputs,
    },
    env: { GITHUB_API_URL: github.url, GITHUB_REPOSITORY: github.repository, GITHUB_REF_NAME: 'main' },
    workspace: tempWorkspace('preflight-'),
    timeoutMs: 60_000,
    ...extra,
  });
}

/** The preflight only reads: every request to every stand-in is a GET, and Railway's GraphQL got queries only. */
function expectNoWrites(): void {
  const writes = (server: FakeServer) =>
    server.requests.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path}`);
  expect({ github: writes(github.server), vercel: writes(vercel.server), netlify: writes(netlify.server) }).toEqual({
    github: [],
    vercel: [],
    netlify: [],
  });
  const mutations = railway.server.requests.filter((r) => !/^\s*query\b/.test(JSON.parse(r.body || '{}').query ?? ''));
  expect(mutations.map((r) => r.body)).toEqual([]);
}

const secrets = () => [github.token, vercel.token, netlify.token, railway.projectToken];

describe('required reviewers on the environment', () => {
  test('an environment with required reviewers passes: reviewed=true, the reviewers in the summary, one GET to GitHub', async () => {
    const result = await preflight('supabase-functions');
    expect({ code: result.exitCode, errors: errors(result) }).toEqual({ code: 0, errors: [] });
    expect(result.outputs.reviewed).toBe('true');
    expect(result.summary).toContain('| Required reviewers | ✓ passed |');
    expect(result.summary).toMatch(/requires a review by octocat, team release-managers; self-review prevented/);
    expect(github.server.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      `GET /repos/${github.repository}/environments/production`,
    ]);
    expectNoWrites();
    expectNoSecrets(result, secrets());
  });

  test('an environment without required reviewers is refused, naming the environment, the fix and the opt-out', async () => {
    // A wait timer delays a job; it does not make anyone look at it.
    github.setEnvironment('production', { waitTimer: 10 });
    const result = await preflight('supabase-functions');
    expect(result.exitCode).toBe(1);
    const [message] = errors(result);
    expect(message).toContain(`Environment 'production' of ${github.repository} has no required reviewers`);
    expect(message).toContain('Settings → Environments → production → Required reviewers');
    expect(message).toContain('GitHub Enterprise');
    expect(message).toContain('require-reviewers: false');
    expect(result.outputs.reviewed).toBe('false');
    expect(result.summary).toContain('| Required reviewers | ✗ refused |');
    expectNoWrites();
  });

  test('a missing environment (404) is refused: GitHub would create it unprotected; the ones that exist are named', async () => {
    const result = await preflight('supabase-functions', { environment: 'prodution' });
    expect(result.exitCode).toBe(1);
    const [message] = errors(result);
    expect(message).toContain(`Environment 'prodution' of ${github.repository} does not exist`);
    expect(message).toContain('creates it, unprotected');
    expect(message).toContain("The repository's environments: production.");
    expect(message).toContain("check input 'environment' for a misspelling");
    expectNoWrites();
  });

  test('a token that may not read environments is refused, naming the permission (actions: read) and the docs', async () => {
    github.canReadEnvironments = false;
    const result = await preflight('supabase-functions');
    expect(result.exitCode).toBe(1);
    const [message] = errors(result);
    expect(message).toContain(
      `The token cannot read environment 'production' of ${github.repository} (HTTP 403: Resource not accessible by integration; GitHub accepts actions=read)`,
    );
    expect(message).toContain('permissions: actions: read');
    expect(message).toContain('https://docs.github.com/en/rest/deployments/environments#get-an-environment');
  });

  test('require-reviewers: false passes without asking GitHub: a warning, the summary says so, reviewed=false', async () => {
    github.setEnvironment('production', {});
    const result = await preflight('supabase-functions', { 'require-reviewers': 'false', 'github-token': '' });
    expect({ code: result.exitCode, errors: errors(result) }).toEqual({ code: 0, errors: [] });
    expect(result.outputs.reviewed).toBe('false');
    expect(warnings(result)).toContain('production is deployed without required reviewers: require-reviewers is false');
    expect(result.summary).toContain('⚠ production is deployed without required reviewers: require-reviewers is false');
    expect(result.summary).toContain('| Required reviewers | ⚠ off |');
    expect(github.server.requests).toEqual([]);
  });

  test('the preflight inputs are refused with deploy, and github-token is required to check reviewers', async () => {
    const deploy = await preflight('supabase-functions', {
      command: 'deploy',
      'require-reviewers': 'false',
      'provider-auto-deploy': 'allow',
    });
    expect(errors(deploy)[0]).toContain("Input 'require-reviewers' is only for command preflight");
    expect(errors(deploy)[0]).toContain("Input 'provider-auto-deploy' is only for command preflight");
    const noToken = await preflight('supabase-functions', { 'github-token': '', 'provider-auto-deploy': 'sometimes' });
    expect(errors(noToken)[0]).toContain("Input 'github-token' is required with command preflight");
    expect(errors(noToken)[0]).toContain("Input 'provider-auto-deploy' must be one of refuse, allow");
    expect(github.server.requests).toEqual([]);
  });
});

describe("the provider's own deploys of the branch", () => {
  test('Vercel with a Git link whose production branch is the released one is refused, naming how to turn it off', async () => {
    vercel.connectGit({ productionBranch: 'main' });
    const result = await preflight('vercel');
    expect(result.exitCode).toBe(1);
    const [message] = errors(result);
    expect(message).toContain('Vercel deploys main to production by itself, on every push, before this pipeline');
    expect(message).toContain('connected to shipline/example-app (github)');
    expect(message).toContain('Settings → Git → Disconnect');
    expect(message).toContain('"git": {"deploymentEnabled": {"main": false}} in vercel.json');
    expect(message).toContain('provider-auto-deploy: allow');
    expect(result.outputs['auto-deploy']).toBe('on');
    expect(result.summary).toContain('| Provider auto-deploy | ✗ refused |');
    expectNoWrites();
    expectNoSecrets(result, secrets());
  });

  test("Vercel passes when vercel.json in the project's root directory turns the branch off, or nothing is connected", async () => {
    vercel.connectGit({ productionBranch: 'main', rootDirectory: 'web' });
    const workspace = tempWorkspace('preflight-vercel-');
    mkdirSync(join(workspace, 'web'));
    writeFileSync(
      join(workspace, 'web', 'vercel.json'),
      JSON.stringify({ git: { deploymentEnabled: { 'feature/*': false, main: false } } }),
    );
    const off = await preflight('vercel', {}, { workspace });
    expect({ code: off.exitCode, errors: errors(off) }).toEqual({ code: 0, errors: [] });
    expect(off.outputs['auto-deploy']).toBe('off');
    expect(off.summary).toContain('vercel.json git.deploymentEnabled {"main":false} turns Git deployments of main off');

    // A pattern that keeps it on wins over one that turns it off (Vercel: "at least one rule is true").
    writeFileSync(
      join(workspace, 'web', 'vercel.json'),
      JSON.stringify({ git: { deploymentEnabled: { 'ma*': true, main: false } } }),
    );
    expect((await preflight('vercel', {}, { workspace })).exitCode).toBe(1);

    vercel.disconnectGit();
    const none = await preflight('vercel');
    expect(none.exitCode).toBe(0);
    expect(none.summary).toContain('has no Git repository connected');
    expectNoWrites();
  });

  test('Vercel: provider-auto-deploy allow passes with a note', async () => {
    vercel.connectGit({ productionBranch: 'main' });
    const result = await preflight('vercel', { 'provider-auto-deploy': 'allow' });
    expect({ code: result.exitCode, errors: errors(result) }).toEqual({ code: 0, errors: [] });
    expect(result.outputs['auto-deploy']).toBe('allowed');
    expect(
      result.annotations
        .filter((a) => a.level === 'notice')
        .map((a) => a.message)
        .join('\n'),
    ).toContain('Accepted by provider-auto-deploy: allow: Vercel also deploys main by itself');
    expect(result.summary).toContain('| Provider auto-deploy | ⚠ accepted |');
  });

  test('Netlify with builds active on the released branch is refused; stopped builds or another branch pass; allow passes', async () => {
    netlify.linkRepository({ branch: 'main' });
    const on = await preflight('netlify');
    expect(on.exitCode).toBe(1);
    expect(errors(on)[0]).toContain('Netlify deploys main to production by itself');
    expect(errors(on)[0]).toContain('linked to https://github.com/shipline/example-app with builds active');
    expect(errors(on)[0]).toContain('Build settings → Stop builds');
    expect(errors(on)[0]).toContain('provider-auto-deploy: allow');

    netlify.linkRepository({ branch: 'main', stopBuilds: true });
    const stopped = await preflight('netlify');
    expect({ code: stopped.exitCode, errors: errors(stopped) }).toEqual({ code: 0, errors: [] });
    expect(stopped.summary).toContain('but its builds are stopped');

    netlify.linkRepository({ branch: 'release' });
    expect((await preflight('netlify')).exitCode).toBe(0);

    netlify.linkRepository({ branch: 'main' });
    const allowed = await preflight('netlify', { 'provider-auto-deploy': 'allow' });
    expect(allowed.exitCode).toBe(0);
    expect(allowed.outputs['auto-deploy']).toBe('allowed');
    expectNoWrites();
  });

  test('Railway: a service with a trigger on the released branch is refused, naming the service; none passes; allow passes', async () => {
    const [backend, frontend] = railway.services as [FakeRailway['services'][0], FakeRailway['services'][0]];
    railway.connectRepository(frontend.id, { branch: 'main', checkSuites: true });
    railway.connectRepository(backend.id, { branch: 'develop' });
    const on = await preflight('railway');
    expect(on.exitCode).toBe(1);
    const [message] = errors(on);
    expect(message).toContain('Railway deploys main to production by itself');
    expect(message).toContain(
      `frontend (${frontend.id}) deploys every push to shipline/example-app@main once its checks pass`,
    );
    expect(message).not.toContain(`backend (${backend.id})`);
    expect(message).toContain('Settings → Source → Disconnect the repository');
    expect(message).toContain('provider-auto-deploy: allow');

    railway.disconnectRepository(frontend.id);
    const off = await preflight('railway');
    expect({ code: off.exitCode, errors: errors(off) }).toEqual({ code: 0, errors: [] });
    expect(off.summary).toContain(`backend (${backend.id}) deploys pushes to develop, not main`);
    expect(off.summary).toContain(`frontend (${frontend.id}) has no repository connected`);

    railway.connectRepository(frontend.id, { branch: 'main' });
    const allowed = await preflight('railway', { 'provider-auto-deploy': 'allow' });
    expect(allowed.exitCode).toBe(0);
    expect(allowed.outputs['auto-deploy']).toBe('allowed');
    expectNoWrites();
    expectNoSecrets(on, secrets());
  });

  test('a provider that cannot be read is refused naming the opt-out; with allow its reading does not block', async () => {
    const refused = await preflight('railway', { token: 'not-a-railway-token' });
    expect(refused.exitCode).toBe(1);
    expect(refused.outputs['auto-deploy']).toBe('unknown');
    const [message] = errors(refused);
    expect(message).toContain('Provider auto-deploy could not be checked: Railway read the source of service');
    expect(message).toContain('Not Authorized');
    expect(message).toContain('set provider-auto-deploy: allow to release without this check');
    const allowed = await preflight('railway', { token: 'not-a-railway-token', 'provider-auto-deploy': 'allow' });
    expect({ code: allowed.exitCode, errors: errors(allowed) }).toEqual({ code: 0, errors: [] });
    expect(allowed.summary).toMatch(
      /\| Provider auto-deploy \| ⚠ accepted \| could not be read \(Railway read the source of service .*Not Authorized.*\); accepted by provider-auto-deploy: allow \|/,
    );
    expectNoWrites();
  });

  test('a provider without a Git integration of its own has nothing to detect, and says so', async () => {
    const result = await preflight('supabase-functions');
    expect(result.exitCode).toBe(0);
    expect(result.outputs['auto-deploy']).toBe('none');
    expect(result.summary).toContain(
      '| Provider auto-deploy | – nothing to detect | Supabase Edge Functions deploys only when asked (no Git integration of its own) |',
    );
  });

  test('both problems are named at once, and the branch input overrides the run’s', async () => {
    github.setEnvironment('production', {});
    vercel.connectGit({ productionBranch: 'release' });
    const result = await preflight('vercel', { branch: 'release' });
    expect(result.exitCode).toBe(1);
    const [message] = errors(result);
    expect(message).toContain('has no required reviewers');
    expect(message).toContain('Vercel deploys release to production by itself');
    expect(result.summary).toContain('### Production preflight: vercel → production (release)');
    expectNoWrites();
  });
});
