// The official clients judge the Vercel stand-in's rolling releases (cli/sandbox/vercel.ts) and our calls:
// - the vercel CLI (58.10.0) runs `rolling-release configure|fetch|approve|complete|abort` and `promote` against it,
//   and each command's effect is read back from the stand-in's state;
// - @vercel/sdk's rollingRelease operations run against it, so each answer passes the SDK's response schema (the
//   SDK validates what it receives and throws on a mismatch);
// - our provider's rolling-release requests are the CLI's (paths, methods, bodies, teamId).
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from '@jest/globals';
import { Vercel } from '@vercel/sdk';
import { type FakeVercel, startFakeVercel } from '../cli/sandbox/vercel.js';
import type { RecordedRequest } from '../cli/sandbox/server.js';
import { VercelProvider } from '../shared/providers/vercel.js';
import { Deadline } from '../shared/deadline.js';
import { until } from './support-waits.js';
import { runVercelCli } from './support-vercel-cli.js';

const fakes: FakeVercel[] = [];
afterEach(async () => {
  await Promise.all(fakes.splice(0).map((f) => f.close()));
});

async function fake(): Promise<FakeVercel> {
  const on = await startFakeVercel({ buildMs: 200, aliasJobMs: 200, aliasAssignMs: 100, stageShiftMs: 200 });
  fakes.push(on);
  return on;
}

const provider = (on: FakeVercel) =>
  new VercelProvider({ token: on.token, project: on.projectId, team: on.teamId, apiUrl: on.url, workspace: '/' });

let sites = 0;
function site(): string {
  const dir = mkdtempSync(join(tmpdir(), 'vercel-rr-'));
  writeFileSync(join(dir, 'index.html'), `<h1>rr ${++sites} ${dir}</h1>`);
  return dir;
}

/** A folder linked to the stand-in's project, where the CLI's project commands run. */
function linked(on: FakeVercel): string {
  const dir = mkdtempSync(join(tmpdir(), 'vercel-rr-linked-'));
  mkdirSync(join(dir, '.vercel'));
  writeFileSync(
    join(dir, '.vercel', 'project.json'),
    JSON.stringify({ orgId: on.teamId, projectId: on.projectId, settings: { framework: null } }),
  );
  return dir;
}

async function deployProduction(on: FakeVercel, staged = false): Promise<string> {
  const { release } = await provider(on).deploy(
    {
      dir: site(),
      target: 'production',
      staged,
      git: { sha: 'c'.repeat(40), ref: 'main' },
      idempotencyKey: `rr-${++sites}`,
    },
    Deadline.in(30_000),
  );
  return release.id;
}

const sdkFor = (on: FakeVercel) =>
  new Vercel({ bearerToken: on.token, serverURL: on.url, retryConfig: { strategy: 'none' } });

const ok = (run: { code: number; stderr: string }) => expect(`${run.stderr}\nexit ${run.code}`).toMatch(/\nexit 0$/);

/** The request line and body of each rolling-release or rollback request, as the stand-in received them. */
const rollingRequests = (on: FakeVercel, from = 0) =>
  on.server.requests
    .slice(from)
    .filter((r: RecordedRequest) => /\/rolling-release|\/rollback\//.test(r.path))
    .map((r: RecordedRequest) => ({
      line: `${r.method} ${r.path}`,
      body: r.body ? (JSON.parse(r.body) as unknown) : undefined,
    }));

describe('the vercel CLI (58.10.0) rolling-release commands against the stand-in', () => {
  test('configure, then a production deploy starts a rolling release; fetch, approve and complete drive it to 100%', async () => {
    const on = await fake();
    const cwd = linked(on);
    const old = await deployProduction(on);
    ok(
      await runVercelCli(
        on,
        ['rolling-release', 'configure', '--enable', '--advancement-type=manual-approval', '--stage=5', '--stage=25'],
        cwd,
      ),
    );
    const config = await sdkFor(on).rollingRelease.getRollingReleaseConfig({
      idOrName: on.projectId,
      teamId: on.teamId,
    });
    expect(config.rollingRelease?.stages?.map((s) => s.targetPercentage)).toEqual([5, 25, 100]);

    const canary = await deployProduction(on);
    expect(on.production()).toBe(old);
    expect(on.rollingRelease()).toMatchObject({ state: 'ACTIVE', canaryDeploymentId: canary, share: 5 });

    const fetched = await runVercelCli(on, ['rolling-release', 'fetch'], cwd);
    ok(fetched);
    // The CLI prints the rolling release as JSON on stderr (its log).
    const printed = fetched.stderr.slice(fetched.stderr.indexOf('{\n'), fetched.stderr.lastIndexOf('\n}') + 2);
    const shown = JSON.parse(printed) as { state: string; canaryDeployment: { id: string }; activeStage: unknown };
    expect(shown).toMatchObject({
      state: 'ACTIVE',
      canaryDeployment: { id: canary },
      activeStage: { targetPercentage: 5 },
    });

    ok(await runVercelCli(on, ['rolling-release', 'approve', `--dpl=${canary}`, '--currentStageIndex=0'], cwd));
    await until('the stage at 25%', async () => on.rollingRelease()?.share === 25 || undefined);
    ok(await runVercelCli(on, ['rolling-release', 'complete', `--dpl=${canary}`], cwd));
    expect(on.rollingRelease()?.state).toBe('COMPLETE');
    expect(on.production()).toBe(canary);
  }, 180_000);

  test('abort (a rollback to the deployment serving the rest) ends the release; production serves that deployment to everyone', async () => {
    const on = await fake();
    const cwd = linked(on);
    const old = await deployProduction(on);
    await provider(on).rolling.configure([10, 100], Deadline.in(10_000));
    const canary = await deployProduction(on);
    expect(on.routeProduction()).toBeDefined();
    ok(await runVercelCli(on, ['rolling-release', 'abort', `--dpl=${old}`], cwd));
    expect(on.rollingRelease()).toMatchObject({ state: 'ABORTED', canaryDeploymentId: canary });
    await until('the rollback job', async () => on.aliasJobs.length > 0 || undefined);
    expect(on.production()).toBe(old);
    const split = new Set(Array.from({ length: 20 }, () => on.routeProduction()));
    expect(split).toEqual(new Set([old]));
  }, 180_000);

  test('`vercel promote` on a project with rolling releases starts one, and the CLI says so', async () => {
    const on = await fake();
    const cwd = linked(on);
    await deployProduction(on);
    const staged = await deployProduction(on, true);
    await provider(on).rolling.configure([5, 100], Deadline.in(10_000));
    const promoted = await runVercelCli(on, ['promote', staged, '--yes'], cwd);
    ok(promoted);
    expect(promoted.stderr).toContain('Rolling Release serving traffic at initial percentage 5');
    expect(on.rollingRelease()).toMatchObject({ state: 'ACTIVE', canaryDeploymentId: staged, share: 5 });
  }, 180_000);

  test('our provider sends the requests the CLI sends: configure, approve, abort', async () => {
    const on = await fake();
    const cwd = linked(on);
    const old = await deployProduction(on);
    const p = provider(on);

    let from = on.server.requests.length;
    ok(
      await runVercelCli(
        on,
        ['rolling-release', 'configure', '--enable', '--advancement-type=manual-approval', '--stage=5', '--stage=25'],
        cwd,
      ),
    );
    const cliConfigure = rollingRequests(on, from);
    from = on.server.requests.length;
    await p.rolling.configure([5, 25, 100], Deadline.in(10_000));
    expect(rollingRequests(on, from)).toEqual(cliConfigure);

    const canary = await deployProduction(on);
    from = on.server.requests.length;
    ok(await runVercelCli(on, ['rolling-release', 'approve', `--dpl=${canary}`, '--currentStageIndex=0'], cwd));
    const cliApprove = rollingRequests(on, from);
    await until('the stage at 25%', async () => on.rollingRelease()?.share === 25 || undefined);
    from = on.server.requests.length;
    const state = await p.rolling.state(Deadline.in(10_000));
    await p.rolling.approve(state as NonNullable<typeof state>, Deadline.in(10_000));
    const ours = rollingRequests(on, from).filter((r) => r.line.startsWith('POST'));
    // The same request, one stage further on.
    expect(ours).toEqual(
      cliApprove.map((r) => ({
        ...r,
        body: { activeStageIndex: 1, nextStageIndex: 2, canaryDeploymentId: canary },
      })),
    );
    expect(cliApprove[0]?.body).toEqual({ activeStageIndex: 0, nextStageIndex: 1, canaryDeploymentId: canary });

    await until('100%', async () => on.rollingRelease()?.state === 'COMPLETE' || undefined);
    const next = await deployProduction(on);
    from = on.server.requests.length;
    await p.rolling.abort((await p.rolling.state(Deadline.in(10_000))) as never, Deadline.in(20_000));
    const ourAbort = rollingRequests(on, from).filter((r) => r.line.startsWith('POST'));
    expect(ourAbort).toEqual([
      { line: `POST /v9/projects/${on.projectId}/rollback/${canary}?teamId=${on.teamId}`, body: {} },
    ]);
    expect(on.rollingRelease()).toMatchObject({ state: 'ABORTED', canaryDeploymentId: next });
    expect(on.production()).toBe(canary);
    expect(old).not.toBe(canary);
  }, 180_000);
});

describe("@vercel/sdk's rollingRelease operations against the stand-in (each answer parsed by the SDK's schema)", () => {
  test('getConfig, start, get, approveStage, complete', async () => {
    const on = await fake();
    const sdk = sdkFor(on);
    const teamId = on.teamId;
    const old = await deployProduction(on);
    const staged = await deployProduction(on, true);
    // The SDK's updateRollingReleaseConfig sends no body (its request type has none): the project is configured with
    // the CLI's body, through our provider.
    await provider(on).rolling.configure([5, 50, 100], Deadline.in(10_000));
    const config = await sdk.rollingRelease.getRollingReleaseConfig({ idOrName: on.projectId, teamId });
    expect(config.rollingRelease?.stages?.map((s) => s.requireApproval)).toEqual([true, true, false]);
    const started = await sdk.rollingRelease.startRollingRelease({
      idOrName: on.projectId,
      teamId,
      requestBody: { canaryDeploymentId: staged },
    });
    expect(started.rollingRelease).toMatchObject({ state: 'ACTIVE', activeStage: { index: 0, targetPercentage: 5 } });
    expect(started.rollingRelease?.currentDeployment?.id).toBe(old);
    const got = await sdk.rollingRelease.getRollingRelease({ idOrName: on.projectId, teamId, state: 'ACTIVE' });
    expect(got.rollingRelease?.canaryDeployment?.id).toBe(staged);
    expect(got.rollingRelease?.stages.map((s) => s.targetPercentage)).toEqual([5, 50, 100]);
    await sdk.rollingRelease.approveRollingReleaseStage({
      idOrName: on.projectId,
      teamId,
      requestBody: { nextStageIndex: 1, canaryDeploymentId: staged },
    });
    await until('the stage at 50%', async () => on.rollingRelease()?.share === 50 || undefined);
    const completed = await sdk.rollingRelease.completeRollingRelease({
      idOrName: on.projectId,
      teamId,
      requestBody: { canaryDeploymentId: staged },
    });
    expect(completed.rollingRelease?.state).toBe('COMPLETE');
    expect(on.production()).toBe(staged);
    const none = await sdk.rollingRelease.getRollingRelease({ idOrName: on.projectId, teamId, state: 'ACTIVE' });
    expect(none.rollingRelease).toBeNull();
  }, 120_000);
});
