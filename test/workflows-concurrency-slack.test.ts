// Runs side by side: deploys queue per environment (never replacing a pending one), one group per pull request,
// rollbacks apart; and one Slack message per run, edited in place through its stages.
import { describe, expect, it } from '@jest/globals';
import { resolve, runs } from './workflow-expressions.js';
import {
  WORKFLOWS,
  type Doc,
  actions,
  shiplineAction,
  needsOf,
  files,
  pipeline,
  deployEnvironment,
  inputsOf,
  releaseContext,
} from './support-workflows.js';

describe('workflow wiring', () => {
  it('queues deploys per environment (never replacing a pending one), one group per pull request, rollbacks apart', () => {
    const deployJob: Doc = deployEnvironment.jobs.release;
    const rollbackJob: Doc = files.get(`${WORKFLOWS}/rollback.yml`)!.jobs.rollback;
    const group = (job: Doc, file: string, given: Record<string, unknown>, github: Record<string, unknown>) =>
      resolve(job.concurrency.group, {
        inputs: inputsOf(file, given),
        github,
        vars: {},
        needs: {},
        matrix: {},
        strategy: {},
      });
    const push = { event_name: 'push', ref_name: 'main', event: {} };
    const pr = (n: number) => ({
      event_name: 'pull_request',
      ref_name: `${n}/merge`,
      event: { pull_request: { number: n } },
    });
    const DE = `${WORKFLOWS}/deploy-environment.yml`;
    const RB = `${WORKFLOWS}/rollback.yml`;
    expect(rollbackJob.concurrency.queue).toBe('max');
    // GitHub rejects queue: max with cancel-in-progress: true at run time (changelog 2026-05-07: max only "when
    // cancel-in-progress is false or not set"). Every stage and event, evaluated as GitHub would:
    const events = [
      { event_name: 'push', ref_name: 'main', event: {} },
      { event_name: 'push', ref_name: 'develop', event: {} },
      { event_name: 'workflow_dispatch', ref_name: 'main', event: {} },
      { event_name: 'pull_request', ref_name: '7/merge', event: { pull_request: { number: 7 } } },
    ];
    for (const stage of ['preview', 'staging', 'production']) {
      for (const github of events) {
        const context = {
          inputs: inputsOf(DE, { stage, environment: stage }),
          github,
          vars: {},
          needs: {},
          matrix: {},
          strategy: {},
        };
        const cancel = resolve(deployJob.concurrency['cancel-in-progress'], context);
        const queue = resolve(deployJob.concurrency.queue ?? 'single', context);
        expect({
          stage,
          event: github.event_name,
          queue,
          ok: ['single', 'max'].includes(String(queue)) && !(cancel === true && queue === 'max'),
        }).toMatchObject({ ok: true });
        // Deploys that change an environment queue (a pending one is never replaced); previews replace each other.
        expect({ stage, queue }).toEqual({ stage, queue: stage === 'preview' ? 'single' : 'max' });
      }
    }
    // The same rule on every job of every workflow and template.
    for (const [file, doc] of files) {
      for (const [id, job] of Object.entries<Doc>(doc.jobs ?? {})) {
        const c = job.concurrency;
        if (!c || typeof c !== 'object' || c.queue === undefined) continue;
        const staticCancel = c['cancel-in-progress'];
        if (typeof staticCancel === 'boolean' && typeof c.queue === 'string' && !c.queue.includes('${{'))
          expect({ file, id, ok: !(staticCancel && c.queue === 'max') }).toMatchObject({ ok: true });
      }
    }
    // staging and production: one group each, the same for every push (main's staging job and develop's queue).
    const staging = group(deployJob, DE, { environment: 'staging', stage: 'staging' }, push);
    expect(group(deployJob, DE, { environment: 'staging', stage: 'staging' }, { ...push, ref_name: 'develop' })).toBe(
      staging,
    );
    expect(group(deployJob, DE, { environment: 'production' }, push)).not.toBe(staging);
    // Previews: one group per pull request; a newer commit replaces the one being built, never a deploy.
    const p7 = group(deployJob, DE, { environment: 'preview', stage: 'preview' }, pr(7));
    expect(p7).not.toBe(group(deployJob, DE, { environment: 'preview', stage: 'preview' }, pr(8)));
    expect(resolve(deployJob.concurrency['cancel-in-progress'], { inputs: inputsOf(DE, { stage: 'preview' }) })).toBe(
      true,
    );
    expect(
      resolve(deployJob.concurrency['cancel-in-progress'], { inputs: inputsOf(DE, { stage: 'production' }) }),
    ).toBe(false);
    // A manual rollback never waits behind a production deploy that is waiting for its reviewers.
    expect(group(rollbackJob, RB, { environment: 'production' }, push)).not.toBe(
      group(deployJob, DE, { environment: 'production' }, push),
    );
    expect(rollbackJob.concurrency['cancel-in-progress']).toBe(false);
    // Naming the environment makes its reviewers the gate.
    for (const job of [deployJob, rollbackJob]) expect(job.environment.name).toBe('${{ inputs.environment }}');
  });

  it('keeps one Slack message per run: started → staging → awaiting approval → production → result, in place', () => {
    const jobs: Record<string, Doc> = pipeline.jobs;
    const notify = files.get(`${WORKFLOWS}/notify.yml`)!;
    expect(jobs.announce!.uses).toBe('./.github/workflows/notify.yml');
    expect(jobs.announce!.with.status).toBe('started');
    expect(jobs.announce!.with['slack-ts']).toBeUndefined();
    expect(notify.on.workflow_call.outputs.ts.value).toBe('${{ jobs.notify.outputs.ts }}');
    expect(notify.jobs.notify.outputs.ts).toBe('${{ steps.notify.outputs.ts }}');
    expect(notify.jobs.notify.steps.find((s: Doc) => s.id === 'notify').with.ts).toBe('${{ inputs.slack-ts }}');
    expect(jobs['awaiting-approval']!.with.status).toBe('awaiting-approval');
    // Every later job updates that message (its ts), and needs the job that posted it; the caller's production
    // stage gets it through the pipeline's slack-ts output.
    for (const id of ['staging', 'awaiting-approval']) {
      expect({ id, ts: jobs[id]!.with['slack-ts'] }).toEqual({ id, ts: '${{ needs.announce.outputs.ts }}' });
      expect(needsOf(jobs[id]!)).toContain('announce');
    }
    expect(pipeline.on.workflow_call.outputs['slack-ts'].value).toBe('${{ jobs.announce.outputs.ts }}');
    // In order: staging before the approval message.
    expect(needsOf(jobs['awaiting-approval']!)).toContain('staging');
    // Inside an environment job: "started <environment>" at the top, the result at the end, both on that ts.
    const steps: Doc[] = deployEnvironment.jobs.release.steps;
    const notifySteps = steps.filter((s) => shiplineAction(String(s.uses ?? '')) === 'notify');
    expect(notifySteps.map((s) => s.with.status)).toEqual([
      'started',
      "${{ steps.rollback.outputs.changed == 'true' && 'rolled-back' || job.status }}",
    ]);
    for (const s of notifySteps) expect(s.with.ts).toBe('${{ inputs.slack-ts }}');
    const rollbackNotify = (files.get(`${WORKFLOWS}/rollback.yml`)!.jobs.rollback.steps as Doc[]).find(
      (s) => shiplineAction(String(s.uses ?? '')) === 'notify',
    )!;
    expect(rollbackNotify.with.ts).toBe('${{ inputs.slack-ts }}');
    // The "started" update only in bot mode (a webhook cannot update; it would post a second message).
    const started = notifySteps[0]!;
    expect(runs(started.if, { ...releaseContext({ 'slack-ts': '' }) }, 'success')).toBe(false);
    expect(runs(started.if, { ...releaseContext({ 'slack-ts': '1.2' }) }, 'success')).toBe(true);
    // The notify action has the inputs and outputs this relies on.
    expect(Object.keys(actions.get('notify')!.inputs)).toEqual(expect.arrayContaining(['ts', 'channel']));
    expect(Object.keys(actions.get('notify')!.outputs)).toEqual(expect.arrayContaining(['ts', 'channel']));
  });
});
