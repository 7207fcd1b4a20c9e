// The reusable pipeline's shape: it finds the workflows, templates and actions, runs shipline's actions from its own
// commit, chains preflight → test → staging → production, runs each stage as preflight → migrate → deploy → smoke
// test → promote with the in-job rollback and the bake window, and keeps the build for production.
import { describe, expect, it } from '@jest/globals';
import { resolve, runs, type Status } from './workflow-expressions.js';
import {
  WORKFLOWS,
  TEMPLATES,
  type Doc,
  actions,
  shiplineAction,
  calledWorkflow,
  workflowCall,
  needsOf,
  check,
  files,
  reusable,
  templates,
  pipeline,
  deployEnvironment,
  releaseContext,
  runningSteps,
  runStep,
} from './support-workflows.js';

describe('workflow wiring', () => {
  it('finds the reusable workflows, the templates and the actions', () => {
    expect(reusable.sort()).toEqual(
      ['deploy-environment', 'health-check', 'notify', 'pipeline', 'rollback', 'security', 'test'].map(
        (n) => `${WORKFLOWS}/${n}.yml`,
      ),
    );
    expect(templates.length).toBeGreaterThanOrEqual(4);
    expect([...actions.keys()].sort()).toEqual(
      expect.arrayContaining(['deploy', 'migrate', 'notify', 'rollback', 'smoke-test']),
    );
  });

  it('has no wiring problem in any workflow or template', () => {
    expect(check(files)).toEqual([]);
  });

  it("runs shipline's actions from its own commit, named by job.workflow_repository / job.workflow_sha", () => {
    const uses = [...files.entries()]
      .filter(([f]) => f.startsWith(WORKFLOWS))
      .flatMap(([, doc]) =>
        Object.values<Doc>(doc.jobs ?? {}).flatMap((job) => (job.steps ?? []).map((s: Doc) => String(s.uses ?? ''))),
      );
    const shipline = uses.filter((u) => shiplineAction(u));
    expect(shipline.length).toBeGreaterThan(10);
    expect(shipline.every((u) => u.startsWith('./.shipline/actions/'))).toBe(true);
    for (const file of reusable) {
      const jobs = Object.values<Doc>(files.get(file)!.jobs ?? {}).filter((job) =>
        (job.steps ?? []).some((s: Doc) => shiplineAction(String(s.uses ?? ''))),
      );
      for (const job of jobs) {
        const steps: Doc[] = job.steps;
        const locate = steps.findIndex((s) => s.id === 'shipline');
        const checkout = steps.findIndex((s) => s.with?.path === '.shipline');
        const first = steps.findIndex((s) => shiplineAction(String(s.uses ?? '')));
        expect({ file, env: steps[locate]?.env }).toEqual({
          file,
          env: {
            REPOSITORY: '${{ inputs.shipline-repository || job.workflow_repository }}',
            SHA: '${{ inputs.shipline-ref || job.workflow_sha }}',
          },
        });
        expect(steps[checkout]!.with.ref).toBe('${{ steps.shipline.outputs.sha }}');
        expect(steps[checkout]!.with.repository).toBe('${{ steps.shipline.outputs.repository }}');
        expect(locate < checkout && checkout < first).toBe(true);
        // No run: step asks the API (gh) which commit it is: that failed on GHES, private copies and runners without gh.
        expect(steps.some((s) => typeof s.run === 'string' && s.run.includes('referenced_workflows'))).toBe(false);
      }
      // Every nested call of a workflow that runs shipline's actions forwards the GHES fallback (security.yml runs
      // none, so it has no such inputs).
      for (const job of Object.values<Doc>(files.get(file)!.jobs ?? {}).filter(
        (j) =>
          typeof j.uses === 'string' &&
          'shipline-ref' in (workflowCall(files.get(calledWorkflow(j.uses)!))?.inputs ?? {}),
      )) {
        expect(job.with['shipline-ref']).toBe('${{ inputs.shipline-ref }}');
        expect(job.with['shipline-repository']).toBe('${{ inputs.shipline-repository }}');
      }
    }
  });

  it('fails the locator loudly where GitHub does not name the commit (GHES without the fallback inputs)', () => {
    const step = (deployEnvironment.jobs.release.steps as Doc[]).find((s) => s.id === 'shipline')!;
    const ok = runStep(step.run, { REPOSITORY: 'shipline/shipline', SHA: 'a'.repeat(40) });
    expect(ok.status).toBe(0);
    expect(ok.outputs).toBe(`repository=shipline/shipline\nsha=${'a'.repeat(40)}\n`);
    const missing = runStep(step.run, { REPOSITORY: '', SHA: '' });
    expect(missing.status).not.toBe(0);
    expect(missing.stdout).toContain('set the shipline-repository and shipline-ref inputs');
  });

  it('offers every bake-window setting on the production stage (the stage action), none on the pipeline', () => {
    const bakeInputs = Object.keys(deployEnvironment.on.workflow_call.inputs).filter((name) =>
      name.startsWith('bake-'),
    );
    expect(bakeInputs.length).toBeGreaterThanOrEqual(5);
    for (const name of bakeInputs) {
      expect(actions.get('stage')!.inputs[name]).toBeDefined();
      expect(pipeline.on.workflow_call.inputs[name]).toBeUndefined();
    }
  });

  it('chains the pipeline: preflight, test → staging → production-ready (the caller deploys production); previews after test', () => {
    const jobs: Record<string, Doc> = pipeline.jobs;
    expect(Object.keys(jobs).sort()).toEqual([
      'announce',
      'awaiting-approval',
      'preflight',
      'preview',
      'production-ready',
      'security',
      'staging',
      'test',
    ]);
    expect(jobs.test!.uses).toBe('./.github/workflows/test.yml');
    expect(needsOf(jobs.preview!)).toEqual(['test']);
    expect(needsOf(jobs.staging!).sort()).toEqual(['announce', 'preflight', 'test']);
    expect(needsOf(jobs['production-ready']!).sort()).toEqual(['preflight', 'security', 'staging', 'test']);
    for (const id of ['preview', 'staging']) {
      expect(jobs[id]!.uses).toBe('./.github/workflows/deploy-environment.yml');
      expect(jobs[id]!.with.stage).toBe(id);
    }
    const inputs = pipeline.on.workflow_call.inputs;
    expect(jobs.staging!.with.environment).toBe('${{ inputs.staging-environment }}');
    expect(inputs['staging-environment'].default).toBe('staging');
    // The verdict for the caller's production job: after a green staging and preflight, never on pull requests.
    const ready: Doc = jobs['production-ready']!;
    expect(ready.if).toContain("needs.staging.result == 'success'");
    expect(ready.if).toContain("needs.preflight.result == 'success'");
    expect(ready.if).toContain("github.event_name != 'pull_request'");
    expect(ready.permissions).toEqual({});
    expect(pipeline.on.workflow_call.outputs['production-ready'].value).toBe(
      '${{ jobs.production-ready.outputs.ready }}',
    );
    expect(pipeline.on.workflow_call.outputs['staging-fingerprints'].value).toBe(
      '${{ jobs.staging.outputs.fingerprints }}',
    );
    expect(jobs.staging!.if).toContain("needs.preflight.result == 'success'");
    expect(jobs.preview!.if).toContain("github.event_name == 'pull_request'");
    // Dependabot's pull requests get no secrets: they are tested, not previewed (which would go red).
    expect(jobs.preview!.if).toContain("github.actor != 'dependabot[bot]'");
  });

  it('deploys one environment as preflight → migrate → deploy → smoke test → promote, rolling back and notifying on failure', () => {
    const job: Doc = deployEnvironment.jobs.release;
    const ids: string[] = job.steps.map((s: Doc) => s.id ?? s.name);
    const order = ['preflight', 'migrate', 'deploy', 'smoke', 'promote', 'rollback', 'Notify Slack'].map((id) =>
      ids.indexOf(id),
    );
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    const step = (id: string): Doc => job.steps[ids.indexOf(id)];
    expect(step('deploy').with.target).toBe('${{ env.TARGET }}');
    expect(step('promote').with.command).toBe('promote');
    expect(step('promote').with['deployment-id']).toBe('${{ steps.deploy.outputs.deployment-id }}');
    expect(step('rollback').with['failed-deployment-id']).toBe('${{ steps.deploy.outputs.deployment-id }}');
    // Production on Vercel: staged, promoted after a green smoke test.
    const prod = runningSteps({ stage: 'production', provider: 'vercel' }, 'success').map(
      ({ step: s }) => s.id ?? s.name,
    );
    expect(prod).toEqual(expect.arrayContaining(['deploy', 'smoke', 'promote', 'Notify Slack']));
    expect(prod).not.toContain('rollback');
    expect(releaseContext({ stage: 'production', provider: 'vercel' }).env).toMatchObject({ TARGET: 'staged' });
    expect(releaseContext({ stage: 'production', provider: 'railway' }).env).toMatchObject({ TARGET: 'production' });
  });

  it('rolls back in the job on failure, on cancellation and on timeout (a timed-out job is cancelled)', () => {
    for (const status of ['failure', 'cancelled'] as const) {
      const ran = runningSteps({ stage: 'production', provider: 'railway' }, status).map(
        ({ step }) => step.id ?? step.name,
      );
      expect({ status, ran }).toEqual({ status, ran: expect.arrayContaining(['rollback', 'Notify Slack']) });
    }
    expect(
      runningSteps({ stage: 'production', provider: 'railway' }, 'success').map(({ step }) => step.id),
    ).not.toContain('rollback');
    expect(
      runningSteps({ stage: 'production', provider: 'railway', 'rollback-on-failure': false }, 'cancelled').map(
        ({ step }) => step.id,
      ),
    ).not.toContain('rollback');
  });

  it('bakes production after promotion (smoke-test mode watch) and rolls back in the job with the measurements', () => {
    const job: Doc = deployEnvironment.jobs.release;
    const ids: string[] = job.steps.map((s: Doc) => s.id ?? s.name);
    const step = (id: string): Doc => job.steps[ids.indexOf(id)];
    // After the promotion, before the rollback and Slack: the rollback is the one in this job (no second approval).
    const order = ['smoke', 'promote', 'bake', 'rollback', 'Notify Slack'].map((id) => ids.indexOf(id));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    const bake = step('bake');
    expect(shiplineAction(String(bake.uses))).toBe('smoke-test');
    expect(bake.with).toMatchObject({
      mode: 'watch',
      'watch-window': '${{ inputs.bake-window }}',
      'watch-interval': '${{ inputs.bake-interval }}',
      'max-error-rate': '${{ inputs.bake-max-error-rate }}',
      paths: '${{ inputs.smoke-paths }}',
      'checks-file': '${{ inputs.smoke-checks-file }}',
      thresholds: '${{ inputs.smoke-thresholds }}',
      headers: '${{ secrets.SMOKE_HEADERS }}',
    });
    // The production URL: the domain the promotion reports, not the staged release's own URL.
    const promoted = { ...releaseContext({ stage: 'production', provider: 'vercel' }) };
    (promoted.steps as Doc).promote.outputs['environment-url'] = 'https://notes.example.com';
    (promoted.steps as Doc).deploy.outputs.url = 'https://notes-abc.vercel.app';
    expect(resolve(bake.with['base-url'], promoted)).toBe('https://notes.example.com');
    expect(
      resolve(bake.with['base-url'], {
        ...promoted,
        inputs: { ...(promoted.inputs as Doc), 'bake-url': 'https://app.example.com' },
      }),
    ).toBe('https://app.example.com');

    // It runs for production, staged (Vercel) or live on deploy (Railway, ECS); never for staging or a preview, nor
    // when turned off.
    const ran = (given: Record<string, unknown>, status: Status = 'success') =>
      runningSteps(given, status).map(({ step: s }) => s.id ?? s.name);
    expect(ran({ stage: 'production', provider: 'vercel' })).toContain('bake');
    expect(ran({ stage: 'production', provider: 'railway' })).toContain('bake');
    expect(ran({ stage: 'production', provider: 'ecs' })).toContain('bake');
    expect(ran({ stage: 'staging', provider: 'railway' })).not.toContain('bake');
    expect(ran({ stage: 'preview', provider: 'vercel' })).not.toContain('bake');
    for (const off of ['0', '0s', 'off', 'false', ''])
      expect({ off, ran: ran({ stage: 'production', provider: 'vercel', 'bake-window': off }) }).toEqual({
        off,
        ran: expect.not.arrayContaining(['bake', 'Check the bake settings']),
      });
    // On, its settings are checked by smoke-test's own rules before anything changes.
    expect(ran({ stage: 'production', provider: 'vercel' })).toContain('Check the bake settings');
    expect(ran({ stage: 'staging', provider: 'railway' })).not.toContain('Check the bake settings');
    // A failed promotion never bakes; a failed bake window fails the job, and the rollback runs.
    expect(ran({ stage: 'production', provider: 'vercel' }, 'failure')).not.toContain('bake');
    expect(ran({ stage: 'production', provider: 'vercel' }, 'failure')).toContain('rollback');

    // The ledger's reason and Slack's line: "rolled back after promotion" with the failing measurements.
    const failed = releaseContext({ stage: 'production', provider: 'vercel' });
    const steps = failed.steps as Doc;
    steps.bake = {
      outputs: { result: 'failed', 'failure-reason': 'GET /api/notes: 3 consecutive failures (HTTP 500)' },
      outcome: 'failure',
      conclusion: 'failure',
    };
    steps.smoke.outputs.summary = 'all 3 checks passed';
    steps.rollback.outputs.changed = 'true';
    expect(resolve(step('rollback').with.reason, failed, 'failure')).toBe(
      'rolled back after promotion: GET /api/notes: 3 consecutive failures (HTTP 500)',
    );
    expect(resolve(step('Notify Slack').with.message, failed, 'failure')).toBe(
      'Rolled back after promotion: GET /api/notes: 3 consecutive failures (HTTP 500)',
    );
    expect(resolve(step('Notify Slack').with.status, failed, 'failure')).toBe('rolled-back');
    // A job cancelled or timed out during the window (timeout-minutes too short for bake-window) says so.
    steps.bake = { outputs: {}, outcome: 'cancelled', conclusion: 'cancelled' };
    expect(resolve(step('rollback').with.reason, failed, 'cancelled')).toBe(
      'rolled back after promotion: cancelled or timed out during the bake window',
    );
    // The pre-promotion path is unchanged: a failed smoke test still gives its own summary.
    const smokeFailed = releaseContext({ stage: 'production', provider: 'vercel' });
    (smokeFailed.steps as Doc).smoke.outputs.summary = '/health: HTTP 503';
    (smokeFailed.steps as Doc).bake = { outputs: {}, outcome: 'skipped', conclusion: 'skipped' };
    expect(resolve(step('rollback').with.reason, smokeFailed, 'failure')).toBe('/health: HTTP 503');
    expect(resolve(step('Notify Slack').with.message, smokeFailed, 'failure')).toBe('/health: HTTP 503');
  });

  it('runs the ECS API only with the image this run built (a failed build neither migrates nor deploys)', () => {
    const doc = files.get(`${TEMPLATES}/vercel-ecs-alembic.yml`)!;
    const api: Doc = doc.jobs.pipeline;
    const would = (result: string, event: string) =>
      runs(
        api.if,
        { needs: { image: { result, outputs: {} } }, github: { event_name: event }, inputs: {}, vars: {} },
        'success',
      );
    expect(would('failure', 'push')).toBe(false);
    expect(would('cancelled', 'push')).toBe(false);
    expect(would('success', 'push')).toBe(true);
    expect(would('skipped', 'pull_request')).toBe(true);
    expect(would('skipped', 'push')).toBe(false);
  });

  it('keeps the build artifact as long as production may wait for approval', () => {
    const upload = (files.get(`${WORKFLOWS}/test.yml`)!.jobs.test.steps as Doc[]).find((s) => s.id === 'upload')!;
    expect(upload.with['retention-days']).toBe('${{ inputs.artifact-retention-days }}');
    expect(pipeline.on.workflow_call.inputs['artifact-retention-days'].default).toBeGreaterThanOrEqual(30);
    expect(pipeline.jobs.test.with['artifact-retention-days']).toBe('${{ inputs.artifact-retention-days }}');
  });
});
