// Sentry in the reusable workflows (issue 16): deploy tells it of every release, the bake window reads its new
// issues, the in-job and manual rollbacks mark the restored release, and every deploy template offers it.
import { describe, expect, it } from '@jest/globals';
import { readDeployInputs } from '../actions/deploy/src/inputs.js';
import { readSmokeTestInputs } from '../actions/smoke-test/src/inputs.js';
import { resolve, runs, type Status } from './workflow-expressions.js';
import {
  WORKFLOWS,
  TEMPLATES,
  type Doc,
  actions,
  shiplineAction,
  calledWorkflow,
  workflowCall,
  files,
  templates,
  pipeline,
  deployEnvironment,
  inputsOf,
  releaseContext,
  runStep,
} from './support-workflows.js';

describe('workflow wiring', () => {
  describe('Sentry (issue 16): deploy tells it of every release, the bake window reads its new issues', () => {
    const SENTRY_ON = {
      environment: 'api-production',
      'sentry-org': 'acme',
      'sentry-project': 'api',
      'sentry-url': 'https://de.sentry.io',
      'sentry-repository': 'acme/api',
      'sentry-max-new-issues': '0',
    };
    const TOKEN = { SENTRY_AUTH_TOKEN: 'sntrys_secret' };
    /** The sentry-* inputs each step of the release job would get, for the steps that would run. */
    function sentryInputs(
      given: Record<string, unknown>,
      secrets: Record<string, string>,
      status: Status = 'success',
      mutate?: (context: Doc) => void,
    ): Record<string, Record<string, unknown>> {
      const context = releaseContext(given, undefined, secrets);
      mutate?.(context);
      const out: Record<string, Record<string, unknown>> = {};
      for (const step of deployEnvironment.jobs.release.steps as Doc[]) {
        if (!shiplineAction(String(step.uses ?? '')) || !runs(step.if, context, status)) continue;
        const given = Object.entries<unknown>(step.with ?? {}).filter(([key]) => key.startsWith('sentry-'));
        out[String(step.id ?? step.name)] = Object.fromEntries(
          given.map(([key, value]) => [key, resolve(value, context, status)]),
        );
      }
      return out;
    }
    /** The action's sentry-* inputs the workflow must give (sentry-release stays the commit SHA in both actions, so they agree). */
    const offered = (action: string) =>
      Object.keys(actions.get(action)!.inputs).filter((key) => key.startsWith('sentry-') && key !== 'sentry-release');

    it('passes organization, project, token, environment and repository to deploy and promote, and the gate to the bake window', () => {
      const got = sentryInputs({ ...SENTRY_ON, stage: 'production', provider: 'vercel' }, TOKEN);
      const release = {
        'sentry-url': 'https://de.sentry.io',
        'sentry-org': 'acme',
        'sentry-project': 'api',
        'sentry-token': 'sntrys_secret',
        'sentry-environment': 'api-production',
        'sentry-repository': 'acme/api',
      };
      // Staged on Vercel: the deploy creates the release and its commits, the promotion marks the deploy.
      expect(got.deploy).toEqual(release);
      expect(got.promote).toEqual(release);
      expect(Object.keys(got.deploy!).sort()).toEqual(offered('deploy').sort());
      // The window reads the same Sentry, for the environment deploy marked (smoke-test's own default is 'production').
      const { 'sentry-repository': _, ...read } = release;
      // The release health gates (test/workflows-sentry-health.test.ts) are off here: empty.
      expect(got.bake).toEqual({
        ...read,
        'sentry-max-new-issues': '0',
        'sentry-crash-free-sessions': '',
        'sentry-crash-free-users': '',
        'sentry-health-min-sessions': '',
      });
      expect(Object.keys(got.bake!).sort()).toEqual(offered('smoke-test').sort());
      // Live on deploy (Railway): no promotion, the deploy marks it; the bake window still gates.
      const railway = sentryInputs({ ...SENTRY_ON, stage: 'production', provider: 'railway' }, TOKEN);
      expect(railway.deploy).toEqual(release);
      expect(railway.promote).toBeUndefined();
      expect(railway.bake!['sentry-max-new-issues']).toBe('0');
      // Staging and previews: their own environment in Sentry; they never bake.
      const staging = sentryInputs(
        { ...SENTRY_ON, environment: 'staging', stage: 'staging', provider: 'vercel' },
        TOKEN,
      );
      expect(staging.deploy).toEqual({ ...release, 'sentry-environment': 'staging' });
      expect(staging.bake).toBeUndefined();
      // Without sentry-max-new-issues: Sentry hears of the release, the window has no Sentry gate.
      expect(
        sentryInputs({ ...SENTRY_ON, 'sentry-max-new-issues': '', stage: 'production', provider: 'vercel' }, TOKEN)
          .bake!['sentry-max-new-issues'],
      ).toBe('');
    });

    it("passes Sentry to the in-job rollback, which marks the restored release's deploy to the environment", () => {
      const failed = sentryInputs({ ...SENTRY_ON, stage: 'production', provider: 'vercel' }, TOKEN, 'failure');
      const { 'sentry-repository': _, ...marked } = {
        'sentry-url': 'https://de.sentry.io',
        'sentry-org': 'acme',
        'sentry-project': 'api',
        'sentry-token': 'sntrys_secret',
        'sentry-environment': 'api-production',
        'sentry-repository': 'acme/api',
      };
      expect(failed.rollback).toEqual(marked);
      // sentry-release stays unset: the restored release's commit SHA, as deploy created it.
      expect(Object.keys(failed.rollback!).sort()).toEqual(offered('rollback').sort());
      // Sentry off: nothing Sentry-related reaches the rollback.
      const off = sentryInputs(
        { ...SENTRY_ON, 'sentry-project': '', stage: 'production', provider: 'vercel' },
        TOKEN,
        'failure',
      );
      expect(Object.values(off.rollback!).every((v) => v === '')).toBe(true);
    });

    it('hands deploy and smoke-test inputs their own validation accepts, with Sentry on and off', () => {
      // Every input of the step as the runner would resolve it, read through the action's one input reader.
      const read = (context: Record<string, unknown>, id: string) => {
        const step = (deployEnvironment.jobs.release.steps as Doc[]).find((s) => s.id === id)!;
        const given = Object.fromEntries(
          Object.entries<unknown>(step.with).map(([key, value]) => [key, String(resolve(value, context) ?? '')]),
        );
        return (name: string) => given[name] ?? '';
      };
      const base = { stage: 'production', provider: 'vercel', project: 'prj_1', 'smoke-paths': '/health' };
      const on = releaseContext({ ...base, ...SENTRY_ON }, undefined, { ...TOKEN, DEPLOY_TOKEN: 'vercel_token' });
      for (const id of ['deploy', 'promote']) {
        expect(readDeployInputs(read(on, id))).toMatchObject({
          'sentry-org': 'acme',
          'sentry-project': 'api',
          'sentry-token': 'sntrys_secret',
          'sentry-url': 'https://de.sentry.io',
          'sentry-environment': 'api-production',
          'sentry-repository': 'acme/api',
        });
      }
      expect(readSmokeTestInputs(read(on, 'bake'))).toMatchObject({
        mode: 'watch',
        'sentry-max-new-issues': 0,
        'sentry-org': 'acme',
        'sentry-project': 'api',
        'sentry-environment': 'api-production',
      });
      // sentry-url left empty: the actions' own default (sentry.io) applies.
      const saas = releaseContext({ ...base, ...SENTRY_ON, 'sentry-url': '' }, undefined, {
        ...TOKEN,
        DEPLOY_TOKEN: 'vercel_token',
      });
      expect(readDeployInputs(read(saas, 'deploy'))['sentry-url']).toBeUndefined();
      expect(readSmokeTestInputs(read(saas, 'bake'))['sentry-url']).toBeUndefined();
      // Off (and half-configured, which the preflight refuses): the actions see no Sentry input at all.
      for (const [given, secrets] of [
        [{ environment: 'production' }, {}],
        [{ ...SENTRY_ON }, {}],
      ] as const) {
        const off = releaseContext({ ...base, ...given }, undefined, { ...secrets, DEPLOY_TOKEN: 'vercel_token' });
        for (const id of ['deploy', 'promote'])
          expect(readDeployInputs(read(off, id))).toMatchObject({
            'sentry-org': '',
            'sentry-project': '',
            'sentry-token': '',
            'sentry-environment': '',
          });
        expect(readSmokeTestInputs(read(off, 'bake'))['sentry-max-new-issues']).toBeUndefined();
      }
    });

    it('fails the bake window on new Sentry issues, and the in-job rollback says so', () => {
      const failed = releaseContext({ ...SENTRY_ON, stage: 'production', provider: 'vercel' }, undefined, TOKEN);
      const steps = failed.steps as Doc;
      steps.bake = {
        outputs: { result: 'failed', 'failure-reason': 'sentry new issues: 2 new issues in release 0123abc (max 0)' },
        outcome: 'failure',
        conclusion: 'failure',
      };
      const ran = (deployEnvironment.jobs.release.steps as Doc[])
        .filter((s) => runs(s.if, failed, 'failure'))
        .map((s) => s.id ?? s.name);
      expect(ran).toContain('rollback');
      const rollback = (deployEnvironment.jobs.release.steps as Doc[]).find((s) => s.id === 'rollback')!;
      expect(resolve(rollback.with.reason, failed, 'failure')).toBe(
        'rolled back after promotion: sentry new issues: 2 new issues in release 0123abc (max 0)',
      );
    });

    it('passes nothing Sentry-related to any step when Sentry is not configured, or only partly', () => {
      const cases: [Record<string, unknown>, Record<string, string>][] = [
        [{}, {}],
        // An organization-wide SENTRY_ORG variable and token without this repository's project: off.
        [{ 'sentry-org': 'acme', 'sentry-url': 'https://de.sentry.io', 'sentry-repository': 'acme/api' }, TOKEN],
        // A project without its token (the preflight names the secret; nothing half-configured reaches an action).
        [{ ...SENTRY_ON }, {}],
        [{ ...SENTRY_ON, 'sentry-org': '' }, TOKEN],
      ];
      for (const [given, secrets] of cases) {
        for (const provider of ['vercel', 'railway']) {
          for (const status of ['success', 'failure'] as const) {
            const got = sentryInputs({ ...given, stage: 'production', provider }, secrets, status, (context) => {
              (context.steps as Doc).bake.outcome = status === 'failure' ? 'failure' : 'success';
            });
            const passed = Object.entries(got).flatMap(([id, inputs]) =>
              Object.entries(inputs)
                .filter(([, v]) => v !== '')
                .map(([k]) => `${id}.${k}`),
            );
            expect({ given, secrets: Object.keys(secrets), provider, status, passed }).toEqual({
              given,
              secrets: Object.keys(secrets),
              provider,
              status,
              passed: [],
            });
          }
        }
      }
      // The functions deploy never gets Sentry (one release per commit, told by the app's deploy); the rollback
      // does (the restored release's deploy), tested above.
      const on = sentryInputs(
        { ...SENTRY_ON, stage: 'production', provider: 'vercel', 'with-supabase-functions': true },
        TOKEN,
        'failure',
      );
      expect(Object.keys(on.functions ?? {})).toEqual([]);
      expect(Object.keys(on.rollback ?? {}).sort()).toEqual(offered('rollback').sort());
    });

    it('names in the preflight what a Sentry configuration lacks, and a gate it could not apply', () => {
      const preflight = (deployEnvironment.jobs.release.steps as Doc[]).find((s) => s.id === 'preflight')!;
      expect(preflight.env).toMatchObject({
        SENTRY_ORG: '${{ inputs.sentry-org }}',
        SENTRY_PROJECT: '${{ inputs.sentry-project }}',
        SENTRY_MAX_NEW_ISSUES: '${{ inputs.sentry-max-new-issues }}',
        HAS_SENTRY_AUTH_TOKEN: "${{ secrets.SENTRY_AUTH_TOKEN != '' }}",
      });
      const env = (over: Record<string, string>) => ({
        STAGE: 'production',
        PROVIDER: 'railway',
        TARGET: 'production',
        ENVIRONMENT: 'production',
        MIGRATE: 'false',
        WITH_FUNCTIONS: 'false',
        SLACK_CHANNEL: '',
        PROJECT: 'p1',
        TEAM: '',
        RAILWAY_ENVIRONMENT: 'env-p',
        SERVICES: 's1',
        CLUSTER: '',
        SERVICE: '',
        AWS_REGION_INPUT: '',
        SUPABASE_PROJECT: '',
        FORBID: '',
        HAS_DEPLOY_TOKEN: 'true',
        HAS_DATABASE_URL: 'false',
        HAS_AWS_ROLE_TO_ASSUME: 'false',
        HAS_SUPABASE_ACCESS_TOKEN: 'false',
        HAS_SLACK_BOT_TOKEN: 'false',
        DATABASE_URL: '',
        SENTRY_ORG: 'acme',
        SENTRY_PROJECT: 'api',
        SENTRY_MAX_NEW_ISSUES: '0',
        HAS_SENTRY_AUTH_TOKEN: 'true',
        ...over,
      });
      expect(runStep(preflight.run, env({})).status).toBe(0);
      // Off: nothing set, or only an organization-wide org variable / token.
      expect(
        runStep(
          preflight.run,
          env({ SENTRY_ORG: '', SENTRY_PROJECT: '', SENTRY_MAX_NEW_ISSUES: '', HAS_SENTRY_AUTH_TOKEN: 'false' }),
        ).status,
      ).toBe(0);
      expect(runStep(preflight.run, env({ SENTRY_PROJECT: '', SENTRY_MAX_NEW_ISSUES: '' })).status).toBe(0);
      const missing = runStep(preflight.run, env({ SENTRY_ORG: '', HAS_SENTRY_AUTH_TOKEN: 'false' }));
      expect(missing.status).not.toBe(0);
      expect(missing.stdout).toContain('::error title=shipline preflight::input sentry-org is empty');
      expect(missing.stdout).toContain('::error title=shipline preflight::secret SENTRY_AUTH_TOKEN is empty');
      // A gate without Sentry, or one it cannot read, would fail the window after promotion: refused before anything runs.
      const gateOnly = runStep(
        preflight.run,
        env({ SENTRY_ORG: '', SENTRY_PROJECT: '', HAS_SENTRY_AUTH_TOKEN: 'false' }),
      );
      expect(gateOnly.status).not.toBe(0);
      expect(gateOnly.stdout).toContain('input sentry-max-new-issues needs Sentry');
      for (const bad of ['none', '-1', '1.5', '100001', '1234567']) {
        const r = runStep(preflight.run, env({ SENTRY_MAX_NEW_ISSUES: bad }));
        expect({
          bad,
          status: r.status,
          said: r.stdout.includes('sentry-max-new-issues must be a whole number from 0 to 100000'),
        }).toEqual({ bad, status: 1, said: true });
      }
      for (const good of ['0', '5', '100000', '007'])
        expect({ good, status: runStep(preflight.run, env({ SENTRY_MAX_NEW_ISSUES: good })).status }).toEqual({
          good,
          status: 0,
        });
    });

    it('is passed through by the pipeline: every environment tells Sentry, production gates its bake window', () => {
      const declared = Object.keys(workflowCall(deployEnvironment)!.inputs).filter((key) => key.startsWith('sentry-'));
      expect(declared.sort()).toEqual([
        'sentry-max-new-issues',
        'sentry-org',
        'sentry-project',
        'sentry-repository',
        'sentry-url',
      ]);
      for (const key of declared) expect(actions.get('stage')!.inputs[key]).toBeDefined();
      const context = {
        inputs: inputsOf(`${WORKFLOWS}/pipeline.yml`, {
          'sentry-org': 'acme',
          'sentry-project': 'api',
          'sentry-url': 'https://de.sentry.io',
          'sentry-repository': 'acme/api',
        }),
        secrets: TOKEN,
        github: {},
        needs: {},
        vars: {},
      };
      for (const id of ['preview', 'staging']) {
        const job: Doc = pipeline.jobs[id];
        const given = Object.fromEntries(
          Object.entries<unknown>(job.with)
            .filter(([key]) => key.startsWith('sentry-'))
            .map(([key, value]) => [key, resolve(value, context)]),
        );
        const expected: Doc = {
          'sentry-org': 'acme',
          'sentry-project': 'api',
          'sentry-url': 'https://de.sentry.io',
          'sentry-repository': 'acme/api',
        };
        // Only production bakes: its gate is an input of the production stage (the stage action), not the pipeline's.
        expect({ id, given }).toEqual({ id, given: expected });
        expect({ id, token: resolve(job.secrets.SENTRY_AUTH_TOKEN, context) }).toEqual({ id, token: 'sntrys_secret' });
      }
    });

    it('marks the restored release in Sentry from the manual rollback.yml too: on with project, org and token; its preflight names what is missing; passed by the pipeline and the template', () => {
      const RB = `${WORKFLOWS}/rollback.yml`;
      const job: Doc = files.get(RB)!.jobs.rollback;
      const step = (job.steps as Doc[]).find((s) => s.id === 'rollback')!;
      const sentryOf = (given: Record<string, unknown>, secrets: Record<string, string>) => {
        const base = {
          inputs: inputsOf(RB, { provider: 'vercel', project: 'prj_1', ...given }),
          secrets,
          github: {},
          vars: {},
          needs: {},
          matrix: {},
          strategy: {},
          runner: {},
          job: { status: 'success' },
        };
        const context = { ...base, env: { SLACK: 'false', SENTRY: String(resolve(job.env.SENTRY, base)) }, steps: {} };
        return Object.fromEntries(
          Object.entries<unknown>(step.with)
            .filter(([key]) => key.startsWith('sentry-'))
            .map(([key, value]) => [key, resolve(value, context)]),
        );
      };
      const on = sentryOf(
        {
          environment: 'api-production',
          'sentry-org': 'acme',
          'sentry-project': 'api',
          'sentry-url': 'https://de.sentry.io',
        },
        TOKEN,
      );
      expect(on).toEqual({
        'sentry-url': 'https://de.sentry.io',
        'sentry-org': 'acme',
        'sentry-project': 'api',
        'sentry-token': 'sntrys_secret',
        'sentry-environment': 'api-production',
      });
      expect(Object.keys(on).sort()).toEqual(offered('rollback').sort());
      // Off, or only partly configured: nothing Sentry-related reaches the action (it refuses a partial configuration).
      for (const [given, secrets] of [
        [{}, {}],
        [{ 'sentry-org': 'acme' }, TOKEN],
        [{ 'sentry-org': 'acme', 'sentry-project': 'api' }, {}],
      ] as const) {
        expect({ given, passed: Object.values(sentryOf(given, secrets)).filter((v) => v !== '') }).toEqual({
          given,
          passed: [],
        });
      }
      // The preflight names a project without its organization or token before anything runs.
      const preflight = (job.steps as Doc[]).find((s) => s.name === 'Preflight')!;
      const env = (over: Record<string, string>) => ({
        STAGE: 'production',
        PROVIDER: 'vercel',
        ENVIRONMENT: 'production',
        PROJECT: 'prj_1',
        RAILWAY_ENVIRONMENT: '',
        SERVICES: '',
        CLUSTER: '',
        SERVICE: '',
        AWS_REGION_INPUT: '',
        SLACK_CHANNEL: '',
        HAS_DEPLOY_TOKEN: 'true',
        HAS_AWS_ROLE_TO_ASSUME: 'false',
        HAS_SLACK_BOT_TOKEN: 'false',
        SENTRY_ORG: 'acme',
        SENTRY_PROJECT: 'api',
        HAS_SENTRY_AUTH_TOKEN: 'true',
        ...over,
      });
      expect(preflight.env).toMatchObject({
        SENTRY_ORG: '${{ inputs.sentry-org }}',
        SENTRY_PROJECT: '${{ inputs.sentry-project }}',
        HAS_SENTRY_AUTH_TOKEN: "${{ secrets.SENTRY_AUTH_TOKEN != '' }}",
      });
      expect(runStep(preflight.run, env({})).status).toBe(0);
      expect(runStep(preflight.run, env({ SENTRY_PROJECT: '', HAS_SENTRY_AUTH_TOKEN: 'false' })).status).toBe(0);
      const missing = runStep(preflight.run, env({ SENTRY_ORG: '', HAS_SENTRY_AUTH_TOKEN: 'false' }));
      expect(missing.status).not.toBe(0);
      expect(missing.stdout).toContain('::error title=shipline preflight::input sentry-org is empty');
      expect(missing.stdout).toContain('::error title=shipline preflight::secret SENTRY_AUTH_TOKEN is empty');
      // The stage-rollback action carries the same inputs, and the manual template hands Sentry on.
      for (const key of ['sentry-org', 'sentry-project', 'sentry-url', 'sentry-auth-token'])
        expect(actions.get('stage-rollback')!.inputs[key]).toBeDefined();
      const template: Doc = (Object.values<Doc>(files.get(`${TEMPLATES}/rollback.yml`)!.jobs)[0]!.steps as Doc[])[0]!;
      expect({
        org: template.with['sentry-org'],
        project: template.with['sentry-project'],
        token: template.with['sentry-auth-token'],
      }).toEqual({
        org: '${{ vars.SENTRY_ORG }}',
        project: '${{ vars.SENTRY_PROJECT }}',
        token: '${{ secrets.SENTRY_AUTH_TOKEN }}',
      });
    });

    it('is offered by every deploy template from vars and the SENTRY_AUTH_TOKEN secret, off while they are unset', () => {
      let deployJobs = 0;
      for (const file of templates) {
        for (const [id, job] of Object.entries<Doc>(files.get(file)!.jobs).filter(
          ([, j]) => calledWorkflow(String(j.uses ?? '')) === `${WORKFLOWS}/pipeline.yml`,
        )) {
          deployJobs++;
          const w: Doc = job.with;
          for (const key of ['sentry-org', 'sentry-project'])
            expect({ file, id, key, from: String(w[key] ?? '') }).toEqual({
              file,
              id,
              key,
              from: expect.stringMatching(/^\$\{\{ vars\.SENTRY_[A-Z_]+ \}\}$/),
            });
          expect({ file, id, secret: job.secrets?.SENTRY_AUTH_TOKEN }).toEqual({
            file,
            id,
            secret: '${{ secrets.SENTRY_AUTH_TOKEN }}',
          });
          // Unset variables: the pipeline gets empty values, so nothing changes until the user opts in.
          const unset = { vars: {}, secrets: {}, needs: { image: { outputs: {} } }, github: {}, inputs: {} };
          // (An unset variable is null; the runner hands a null input over as ''.)
          for (const key of ['sentry-org', 'sentry-project'])
            expect({ file, id, key, value: resolve(w[key], unset) ?? '' }).toEqual({ file, id, key, value: '' });
        }
        // The production stages gate their bake windows on new issues from a variable too.
        for (const [id, job] of Object.entries<Doc>(files.get(file)!.jobs)) {
          for (const step of ((job.steps ?? []) as Doc[]).filter(
            (s) => shiplineAction(String(s.uses ?? '')) === 'stage',
          )) {
            for (const key of ['sentry-org', 'sentry-project', 'sentry-max-new-issues'])
              expect({ file, id, key, from: String(step.with[key] ?? '') }).toEqual({
                file,
                id,
                key,
                from: expect.stringMatching(/^\$\{\{ vars\.SENTRY_[A-Z_]+ \}\}$/),
              });
            expect({ file, id, token: step.with['sentry-auth-token'] }).toEqual({
              file,
              id,
              token: '${{ secrets.SENTRY_AUTH_TOKEN }}',
            });
          }
        }
      }
      expect(deployJobs).toBeGreaterThanOrEqual(5);
    });
  });
});
