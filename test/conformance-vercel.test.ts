// The official clients are the judge of the Vercel fake (cli/sandbox/vercel.ts) and of our Vercel calls:
// - the vercel CLI (58.10.0, pointed at the fake with --api) deploys a .vercel/output with
//   `deploy --prebuilt --prod --skip-domain` and promotes it;
// - @vercel/client (apiUrl) deploys a static folder and a .vercel/output to READY with aliasAssigned, and sends
//   the same file list (symlinks, filePathMap) our provider sends for the same folder;
// - every answer of the fake to an operation we use passes @vercel/sdk's response schemas (serverURL).
// Every client talks only to loopback: the CLI runs with a preload that refuses any other connection.
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { createDeployment } from '@vercel/client';
import { Vercel } from '@vercel/sdk';
import { GetProjectResponseBody$inboundSchema } from '@vercel/sdk/models/getprojectresponsebody.js';
import { type FakeVercel, startFakeVercel } from '../cli/sandbox/vercel.js';
import { VercelProvider } from '../shared/providers/vercel.js';
import { Deadline } from '../shared/deadline.js';
import { until } from './support-waits.js';
import { runVercelCli } from './support-vercel-cli.js';

let vercel: FakeVercel;

beforeAll(async () => {
  vercel = await startFakeVercel({ buildMs: 400, aliasJobMs: 400, aliasAssignMs: 200 });
});
afterAll(async () => {
  await vercel.close();
});

function staticSite(): string {
  const dir = mkdtempSync(join(tmpdir(), 'vercel-static-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<h1>static</h1>');
  writeFileSync(join(dir, 'assets', 'app.js'), 'console.log(1);');
  writeFileSync(join(dir, 'assets', 'app.css'), 'body{}');
  return dir;
}

/** A `vercel build` result: static files, a function with a symlinked twin, and a filePathMap outside the output. */
function prebuiltProject(): string {
  const dir = mkdtempSync(join(tmpdir(), 'vercel-prebuilt-'));
  const output = join(dir, '.vercel', 'output');
  mkdirSync(join(output, 'static'), { recursive: true });
  mkdirSync(join(output, 'functions', 'api', 'hello.func'), { recursive: true });
  mkdirSync(join(dir, 'node_modules', 'greet'), { recursive: true });
  writeFileSync(join(output, 'config.json'), JSON.stringify({ version: 3, routes: [{ handle: 'filesystem' }] }));
  writeFileSync(join(output, 'static', 'index.html'), '<h1>prebuilt</h1>');
  writeFileSync(
    join(output, 'functions', 'api', 'hello.func', 'index.js'),
    "module.exports = (req, res) => res.end(require('greet')());",
  );
  writeFileSync(
    join(output, 'functions', 'api', 'hello.func', '.vc-config.json'),
    JSON.stringify({
      runtime: 'nodejs22.x',
      handler: 'index.js',
      launcherType: 'Nodejs',
      filePathMap: { 'node_modules/greet/index.js': 'node_modules/greet/index.js' },
    }),
  );
  writeFileSync(join(dir, 'node_modules', 'greet', 'index.js'), "module.exports = () => 'hi';");
  // vercel build links identical functions instead of copying them.
  symlinkSync('hello.func', join(output, 'functions', 'api', 'hi.func'));
  mkdirSync(join(dir, '.vercel'), { recursive: true });
  writeFileSync(
    join(dir, '.vercel', 'project.json'),
    JSON.stringify({ orgId: vercel.teamId, projectId: vercel.projectId, settings: { framework: null } }),
  );
  return dir;
}

type ClientEvent = { type: string; payload: Record<string, unknown> };

async function clientDeploy(path: string, prebuilt: boolean): Promise<ClientEvent[]> {
  const events: ClientEvent[] = [];
  const options = {
    token: vercel.token,
    teamId: vercel.teamId,
    apiUrl: vercel.url,
    path,
    ...(prebuilt ? { prebuilt: true, vercelOutputDir: join(path, '.vercel', 'output') } : {}),
  };
  // The CLI sends `project` too; the client's types leave it out.
  const deployment = { name: vercel.projectName, project: vercel.projectName, target: 'production' } as Parameters<
    typeof createDeployment
  >[1];
  for await (const event of createDeployment(options, deployment)) {
    events.push(event as ClientEvent);
    if (event.type === 'error' || event.type === 'alias-assigned') break;
  }
  return events;
}

const fileKey = (f: { file: string; sha?: string; mode?: number }) =>
  `${f.file} ${f.sha ?? '-'} ${((f.mode ?? 0) & 0o170000).toString(8)}`;

describe('@vercel/client against the fake', () => {
  test('deploys a static folder to READY with aliasAssigned', async () => {
    const events = await clientDeploy(staticSite(), false);
    const last = events.at(-1);
    expect(last?.type).toBe('alias-assigned');
    expect(last?.payload).toMatchObject({ readyState: 'READY' });
    expect(last?.payload.aliasAssigned).toBeTruthy();
    expect(vercel.deployments.get(last?.payload.id as string)?.prebuilt).toBe(false);
  }, 60_000);

  test('deploys a .vercel/output (prebuilt=1) to READY with aliasAssigned', async () => {
    const events = await clientDeploy(prebuiltProject(), true);
    const last = events.at(-1);
    expect(last?.type).toBe('alias-assigned');
    expect(last?.payload.aliasAssigned).toBeTruthy();
    expect(vercel.deployments.get(last?.payload.id as string)).toMatchObject({ prebuilt: true });
  }, 60_000);

  test('our provider sends the file list @vercel/client sends for the same .vercel/output (symlinks, filePathMap)', async () => {
    const dir = prebuiltProject();
    const events = await clientDeploy(dir, true);
    const theirs = vercel.deployments.get(events.at(-1)?.payload.id as string);
    const provider = new VercelProvider({
      token: vercel.token,
      project: vercel.projectId,
      team: vercel.teamId,
      apiUrl: vercel.url,
      workspace: dir,
    });
    const { release } = await provider.deploy(
      {
        dir,
        target: 'preview',
        staged: false,
        git: { sha: 'a'.repeat(40), ref: 'main' },
        idempotencyKey: 'conformance-1',
      },
      Deadline.in(30_000),
    );
    const ours = vercel.deployments.get(release.id);
    expect(ours?.prebuilt).toBe(true);
    expect(ours?.files.map(fileKey).sort()).toEqual(
      theirs?.files
        .filter((f) => f.sha)
        .map(fileKey)
        .sort(),
    );
    const link = ours?.files.find((f) => f.file === '.vercel/output/functions/api/hi.func');
    expect(vercel.blobs.get(link?.sha as string)?.toString()).toBe('hello.func');
    expect(ours?.files.some((f) => f.file === 'node_modules/greet/index.js')).toBe(true);
  }, 60_000);
});

const runCli = (args: string[], cwd: string, on: FakeVercel = vercel) => runVercelCli(on, args, cwd);

describe('the vercel CLI (58.10.0) against the fake', () => {
  test('deploy --prebuilt --prod --skip-domain, then promote, run to completion', async () => {
    const dir = prebuiltProject();
    const before = vercel.production();
    const deployed = await runCli(['deploy', '--prebuilt', '--prod', '--skip-domain', '--yes'], dir);
    expect(`${deployed.stderr}\nexit ${deployed.code}`).toMatch(/\nexit 0$/);
    const id = [...vercel.deployments.values()].at(-1)?.id as string;
    const created = vercel.deployments.get(id);
    expect(created).toMatchObject({ prebuilt: true, target: 'production', autoAssignCustomDomains: false });
    expect(created?.aliasAssignedAt).not.toBeNull();
    expect(vercel.production()).toBe(before);

    const promoted = await runCli(['promote', id, '--yes'], dir);
    expect(`${promoted.stderr}\nexit ${promoted.code}`).toMatch(/\nexit 0$/);
    expect(vercel.aliasJobs.at(-1)).toMatchObject({ type: 'promote', toDeploymentId: id });
    expect(vercel.production()).toBe(id);
    // The CLI follows the promote through the project's lastAliasRequest, which it asks for with rollbackInfo=true.
    expect(
      vercel.server.requests.some(
        (r) => r.path.startsWith(`/v9/projects/${vercel.projectId}?`) && r.path.includes('rollbackInfo=true'),
      ),
    ).toBe(true);
  }, 240_000);
});

describe('the vercel CLI (58.10.0) against the behaviours our provider depends on', () => {
  const provider = (on: FakeVercel) =>
    new VercelProvider({
      token: on.token,
      project: on.projectId,
      team: on.teamId,
      apiUrl: on.url,
      workspace: tmpdir(),
    });
  const spec = (key: string, staged = false) => ({
    dir: staticSite(),
    target: 'production' as const,
    staged,
    git: { sha: 'b'.repeat(40), ref: 'main' },
    idempotencyKey: key,
  });

  test('`vercel ls --meta key=value` lists only the deployments whose meta matches (the list honours meta-* filters)', async () => {
    const p = provider(vercel);
    const { release: one } = await p.deploy(spec('meta-one'), Deadline.in(30_000));
    const { release: two } = await p.deploy(spec('meta-two'), Deadline.in(30_000));
    const cwd = mkdtempSync(join(tmpdir(), 'vercel-ls-'));
    const listed = async (meta: string) => {
      const run = await runCli(['ls', vercel.projectName, '--meta', meta, '--format', 'json'], cwd);
      expect(`${run.stderr}\nexit ${run.code}`).toMatch(/\nexit 0$/);
      return (JSON.parse(run.stdout) as { deployments: { url: string; meta?: Record<string, string> }[] }).deployments;
    };
    const onlyOne = await listed('shiplineDeployKey=meta-one');
    expect(onlyOne.map((d) => `https://${d.url}`)).toEqual([one.url]);
    expect(onlyOne[0]?.meta?.shiplineDeployKey).toBe('meta-one');
    expect((await listed('shiplineDeployKey=meta-two')).map((d) => `https://${d.url}`)).toEqual([two.url]);
    expect(await listed('shiplineDeployKey=no-such-key')).toEqual([]);
    // The CLI sent the filter as meta-<key>=<value>, the request the stand-in filtered on.
    expect(
      vercel.server.requests.some(
        (r) =>
          r.path.startsWith('/v6/deployments?') &&
          new URL(r.path, 'http://x').searchParams.get('meta-shiplineDeployKey') === 'meta-one',
      ),
    ).toBe(true);
  }, 120_000);

  test('`vercel promote` during an active rolling release: 202, which the CLI reports as queued behind it', async () => {
    const on = await startFakeVercel({ buildMs: 200, aliasJobMs: 0, aliasAssignMs: 100 });
    try {
      const p = provider(on);
      const { release: canary } = await p.deploy(spec('rr-canary', true), Deadline.in(30_000));
      const { release: staged } = await p.deploy(spec('rr-staged', true), Deadline.in(30_000));
      on.startRollingRelease(canary.id, 25);
      const cwd = mkdtempSync(join(tmpdir(), 'vercel-promote-'));
      const promoted = await runCli(['promote', staged.id, '--yes'], cwd, on);
      expect(`${promoted.stderr}\nexit ${promoted.code}`).toMatch(/\nexit 0$/);
      expect(promoted.stderr).toContain(
        'Promotion has been queued and will begin when the active rolling release completes successfully.',
      );
      expect(on.aliasJobs.at(-1)).toMatchObject({ type: 'promote', toDeploymentId: staged.id, status: 202 });
      expect(on.production()).not.toBe(staged.id);
      on.completeRollingRelease();
      expect(on.production()).toBe(staged.id);
    } finally {
      await on.close();
    }
  }, 120_000);

  test('`vercel rollback` on the Hobby plan to an older deployment: refused with Vercel’s own sentence; the previous one is accepted', async () => {
    const on = await startFakeVercel({ buildMs: 200, aliasJobMs: 200, aliasAssignMs: 100, plan: 'hobby' });
    try {
      const p = provider(on);
      const { release: a } = await p.deploy(spec('hobby-a'), Deadline.in(30_000));
      const { release: b } = await p.deploy(spec('hobby-b'), Deadline.in(30_000));
      await p.deploy(spec('hobby-c'), Deadline.in(30_000));
      const cwd = mkdtempSync(join(tmpdir(), 'vercel-rollback-'));
      const refused = await runCli(['rollback', a.id, '--yes'], cwd, on);
      expect(refused.code).not.toBe(0);
      expect(refused.stderr).toContain('To rollback further than the previous production deployment, upgrade to pro.');
      const accepted = await runCli(['rollback', b.id, '--yes'], cwd, on);
      expect(`${accepted.stderr}\nexit ${accepted.code}`).toMatch(/\nexit 0$/);
      expect(on.production()).toBe(b.id);
    } finally {
      await on.close();
    }
  }, 120_000);
});

describe('@vercel/sdk response schemas accept every fake answer we depend on', () => {
  test('create, upload, get (BLOCKED too), list (substates, rollback candidates), project (with rollbackInfo), team, rolling release, promote (201 and 202), rollback, alias, cancel', async () => {
    const sdk = new Vercel({ bearerToken: vercel.token, serverURL: vercel.url, retryConfig: { strategy: 'none' } });
    const teamId = vercel.teamId;
    const body = Buffer.from('<h1>sdk</h1>');
    const sha = createHash('sha1').update(body).digest('hex');
    await sdk.deployments.uploadFile({
      teamId,
      xVercelDigest: sha,
      xNowSize: body.length,
      requestBody: new Uint8Array(body) as never,
      contentLength: body.length,
    });
    const created = await sdk.deployments.createDeployment({
      teamId,
      skipAutoDetectionConfirmation: '1',
      requestBody: {
        name: vercel.projectName,
        project: vercel.projectName,
        target: 'production',
        files: [{ file: 'index.html', sha, size: body.length }],
      },
    });
    expect(created.id).toMatch(/^dpl_/);
    /** The deployment once it is READY with its aliases assigned (read through the SDK, so its schema checks each answer). */
    const live = (id: string) => async () => {
      const d = await sdk.deployments.getDeployment({ idOrUrl: id, teamId });
      return d.readyState === 'READY' && 'aliasAssigned' in d && d.aliasAssigned ? d : undefined;
    };
    await until(`deployment ${created.id} to be READY with its aliases assigned`, live(created.id));
    /** Whether the project's last promote or rollback, to `to`, has finished (Vercel accepts the next one only then). */
    const jobDone = (to: string) => async () => {
      const answer = await fetch(`${vercel.url}/v9/projects/${vercel.projectId}?rollbackInfo=true&teamId=${teamId}`, {
        headers: { authorization: `Bearer ${vercel.token}` },
      });
      const job = ((await answer.json()) as { lastAliasRequest?: { toDeploymentId: string; jobStatus: string } })
        .lastAliasRequest;
      return job?.toDeploymentId === to && job.jobStatus === 'succeeded';
    };
    const list = await sdk.deployments.getDeployments({
      projectId: vercel.projectId,
      target: 'production',
      state: 'READY',
      limit: 100,
      teamId,
    });
    expect(list.deployments.some((d) => d.uid === created.id)).toBe(true);
    const project = await sdk.projects.getProject({ idOrName: vercel.projectName, teamId });
    expect(project.id).toBe(vercel.projectId);
    await sdk.aliases.assignAlias({ id: created.id, teamId, requestBody: { alias: 'sdk.example.com' } });

    // A staged deploy to promote, then a rollback to the first.
    const staged = await sdk.deployments.createDeployment({
      teamId,
      requestBody: {
        name: vercel.projectName,
        project: vercel.projectName,
        target: 'production',
        files: [{ file: 'index.html', sha, size: body.length }],
      },
    });
    await until(`deployment ${staged.id} to be READY with its aliases assigned`, live(staged.id));
    await sdk.projects.requestPromote({ projectId: vercel.projectId, deploymentId: staged.id, teamId });
    await until('the promote to finish', jobDone(staged.id));
    await sdk.projects.requestRollback({ projectId: vercel.projectId, deploymentId: created.id, teamId });
    await until('the rollback to finish', jobDone(created.id));
    expect(vercel.production()).toBe(created.id);

    // The SDK's getProject does not ask for rollbackInfo: the projected answer is checked against its schema.
    const projected = await fetch(`${vercel.url}/v9/projects/${vercel.projectId}?rollbackInfo=true&teamId=${teamId}`, {
      headers: { authorization: `Bearer ${vercel.token}` },
    });
    const withJob = GetProjectResponseBody$inboundSchema.parse(await projected.json());
    expect(withJob.lastAliasRequest).toMatchObject({
      type: 'rollback',
      toDeploymentId: created.id,
      jobStatus: 'succeeded',
    });

    // A promote queued (202) behind an active rolling release, the rolling release document, and the queued promote
    // starting by itself once the release completes.
    vercel.startRollingRelease(staged.id, 10);
    await sdk.projects.requestPromote({ projectId: vercel.projectId, deploymentId: created.id, teamId });
    expect(vercel.aliasJobs.at(-1)).toMatchObject({ type: 'promote', toDeploymentId: created.id, status: 202 });
    const rolling = await sdk.rollingRelease.getRollingRelease({ idOrName: vercel.projectId, teamId });
    expect(rolling.rollingRelease).toMatchObject({
      state: 'ACTIVE',
      canaryDeployment: { id: staged.id },
      queuedDeploymentId: created.id,
      activeStage: { targetPercentage: 10 },
    });
    vercel.completeRollingRelease();
    expect(vercel.production()).toBe(staged.id);
    await until('the queued promote to start by itself and finish', jobDone(created.id));
    expect(vercel.production()).toBe(created.id);

    // Both have served production (PROMOTED, rollback candidates); a staged build nobody promoted has not (STAGED).
    // The SDK's create has no autoAssignCustomDomains (the CLI's --skip-domain sends it): the staged create is sent as the CLI sends it.
    const stagedCreate = await fetch(`${vercel.url}/v13/deployments?teamId=${teamId}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${vercel.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        name: vercel.projectName,
        project: vercel.projectName,
        target: 'production',
        autoAssignCustomDomains: false,
        files: [{ file: 'index.html', sha, size: body.length }],
      }),
    });
    const unpromoted = (await stagedCreate.json()) as { id: string };
    const all = await until(`deployment ${unpromoted.id} to be listed READY`, async () => {
      const listed = await sdk.deployments.getDeployments({
        projectId: vercel.projectId,
        target: 'production',
        state: 'READY',
        limit: 100,
        teamId,
      });
      return listed.deployments.some((d) => d.uid === unpromoted.id) ? listed : undefined;
    });
    expect(all.deployments.find((d) => d.uid === unpromoted.id)).toMatchObject({
      readySubstate: 'STAGED',
      isRollbackCandidate: false,
    });
    expect(all.deployments.find((d) => d.uid === staged.id)).toMatchObject({
      readySubstate: 'PROMOTED',
      isRollbackCandidate: true,
    });
    const candidates = await sdk.deployments.getDeployments({
      projectId: vercel.projectId,
      rollbackCandidate: true,
      limit: 100,
      teamId,
    });
    expect(candidates.deployments.map((d) => d.uid)).toEqual(expect.arrayContaining([created.id, staged.id]));
    expect(candidates.deployments.some((d) => d.uid === unpromoted.id)).toBe(false);
    expect((await sdk.teams.getTeam({ teamId })).billing).toEqual({ plan: 'pro' });

    // A BLOCKED deployment, which the cancel endpoint cancels (so unblocking it cannot build it).
    vercel.blockNextDeployment();
    const blocked = await sdk.deployments.createDeployment({
      teamId,
      requestBody: {
        name: vercel.projectName,
        project: vercel.projectName,
        files: [{ file: 'index.html', sha, size: body.length }],
      },
    });
    await until(
      `deployment ${blocked.id} to read BLOCKED`,
      async () => (await sdk.deployments.getDeployment({ idOrUrl: blocked.id, teamId })).readyState === 'BLOCKED',
    );
    expect(await sdk.deployments.getDeployment({ idOrUrl: blocked.id, teamId })).toMatchObject({
      readyState: 'BLOCKED',
    });
    expect(await sdk.deployments.cancelDeployment({ id: blocked.id, teamId })).toMatchObject({
      readyState: 'CANCELED',
    });
    expect(vercel.unblockDeployment(blocked.id)).toBe(false);

    vercel.failNextBuild();
    const failing = await sdk.deployments.createDeployment({
      teamId,
      requestBody: {
        name: vercel.projectName,
        project: vercel.projectName,
        files: [{ file: 'index.html', sha, size: body.length }],
      },
    });
    const canceled = await sdk.deployments.cancelDeployment({ id: failing.id, teamId });
    expect(canceled.readyState).toBe('CANCELED');
  }, 60_000);
});
