// Staging never touches production: the release job's steps per status, the preflight that refuses a staging target
// resolving to production (by fingerprint, never by value), and the preflight as every environment job's first step.
import { describe, expect, it } from '@jest/globals';
import { expressions, refs } from './workflow-expressions.js';
import {
  WORKFLOWS,
  type Doc,
  pipeline,
  deployEnvironment,
  releaseContext,
  runningSteps,
  pipelineValue,
  changesProduction,
  runStep,
  environmentJobs,
} from './support-workflows.js';

describe('workflow wiring', () => {
  it('never lets staging touch production: on Vercel and Netlify it is a preview, in every job status', () => {
    for (const provider of ['vercel', 'netlify']) {
      expect(releaseContext({ stage: 'staging', provider }).env).toMatchObject({ TARGET: 'preview' });
      for (const status of ['success', 'failure', 'cancelled'] as const) {
        const dangerous = runningSteps(
          { stage: 'staging', provider, migrate: true, 'with-supabase-functions': true },
          status,
        )
          .filter(({ step, context }) => changesProduction(step, context))
          .map(({ step }) => step.id ?? step.name);
        expect({ provider, status, dangerous }).toEqual({ provider, status, dangerous: [] });
      }
      // The migration and functions of staging still run (on staging's own database and Supabase project).
      const ran = runningSteps(
        { stage: 'staging', provider, migrate: true, 'with-supabase-functions': true },
        'success',
      ).map(({ step }) => step.id);
      expect(ran).toEqual(expect.arrayContaining(['migrate', 'functions', 'deploy', 'smoke']));
    }
    // Production of the same project is what can change production (the check above can see it).
    expect(
      runningSteps({ stage: 'production', provider: 'vercel' }, 'success').filter(({ step, context }) =>
        changesProduction(step, context),
      ).length,
    ).toBeGreaterThan(0);
    // The staging job the pipeline calls is that one.
    expect(pipeline.jobs.staging.with.stage).toBe('staging');
    expect(pipeline.jobs.staging.with.target).toBeUndefined();
  });

  it('refuses, in the preflight, a staging target that would change production and a missing secret, naming each', () => {
    const preflight = (deployEnvironment.jobs.release.steps as Doc[]).find((s) => s.id === 'preflight')!;
    const env = (over: Record<string, string>) => ({
      STAGE: 'production',
      PROVIDER: 'vercel',
      TARGET: 'staged',
      ENVIRONMENT: 'production',
      MIGRATE: 'false',
      WITH_FUNCTIONS: 'false',
      SLACK_CHANNEL: '',
      PROJECT: 'prj_1',
      TEAM: '',
      RAILWAY_ENVIRONMENT: '',
      SERVICES: '',
      CLUSTER: '',
      SERVICE: '',
      AWS_REGION_INPUT: '',
      SUPABASE_PROJECT: '',
      FORBID: '',
      HAS_DEPLOY_TOKEN: 'true',
      HAS_DATABASE_URL: 'true',
      HAS_AWS_ROLE_TO_ASSUME: 'true',
      HAS_SUPABASE_ACCESS_TOKEN: 'true',
      HAS_SLACK_BOT_TOKEN: 'true',
      DATABASE_URL: '',
      SENTRY_ORG: '',
      SENTRY_PROJECT: '',
      SENTRY_MAX_NEW_ISSUES: '',
      HAS_SENTRY_AUTH_TOKEN: 'false',
      ...over,
    });
    expect(runStep(preflight.run, env({})).status).toBe(0);
    const staged = runStep(preflight.run, env({ STAGE: 'staging', TARGET: 'staged' }));
    expect(staged.status).not.toBe(0);
    expect(staged.stdout).toContain("would change the project's production release");
    const empty = runStep(
      preflight.run,
      env({
        MIGRATE: 'true',
        WITH_FUNCTIONS: 'true',
        SLACK_CHANNEL: 'C1',
        HAS_DEPLOY_TOKEN: 'false',
        HAS_DATABASE_URL: 'false',
        HAS_SUPABASE_ACCESS_TOKEN: 'false',
        HAS_SLACK_BOT_TOKEN: 'false',
        PROJECT: '',
      }),
    );
    expect(empty.status).not.toBe(0);
    for (const name of [
      'secret DEPLOY_TOKEN',
      'secret DATABASE_URL',
      'secret SUPABASE_ACCESS_TOKEN',
      'secret SLACK_BOT_TOKEN',
      'input project',
      'input supabase-project',
    ]) {
      expect(empty.stdout).toContain(`::error title=shipline preflight::${name} is empty`);
    }
    // ECS and Railway name their own identifiers.
    const ecs = runStep(preflight.run, env({ PROVIDER: 'ecs', TARGET: 'production', HAS_AWS_ROLE_TO_ASSUME: 'false' }));
    for (const name of ['secret AWS_ROLE_TO_ASSUME', 'input cluster', 'input service', 'input aws-region'])
      expect(ecs.stdout).toContain(`${name} is empty`);
  });

  it('compares fingerprints, not values: the same database under other credentials is the same database', () => {
    const preflight = (deployEnvironment.jobs.release.steps as Doc[]).find((s) => s.id === 'preflight')!;
    const env = (over: Record<string, string>) => ({
      STAGE: 'staging',
      PROVIDER: 'railway',
      TARGET: 'production',
      ENVIRONMENT: 'staging',
      MIGRATE: 'true',
      WITH_FUNCTIONS: 'false',
      SLACK_CHANNEL: '',
      PROJECT: 'p1',
      TEAM: '',
      RAILWAY_ENVIRONMENT: 'env-staging',
      SERVICES: 's1,s2',
      CLUSTER: '',
      SERVICE: '',
      AWS_REGION_INPUT: '',
      SUPABASE_PROJECT: '',
      FORBID: '',
      HAS_DEPLOY_TOKEN: 'true',
      HAS_DATABASE_URL: 'true',
      HAS_AWS_ROLE_TO_ASSUME: 'false',
      HAS_SUPABASE_ACCESS_TOKEN: 'false',
      HAS_SLACK_BOT_TOKEN: 'false',
      SENTRY_ORG: '',
      SENTRY_PROJECT: '',
      SENTRY_MAX_NEW_ISSUES: '',
      HAS_SENTRY_AUTH_TOKEN: 'false',
      DATABASE_URL: 'postgresql://staging:s3cret@db.example.com:5432/app?sslmode=require',
      ...over,
    });
    const staging = runStep(preflight.run, env({}));
    expect(staging.status).toBe(0);
    const prints = /^fingerprints=(.*)$/m.exec(staging.outputs)![1]!;
    expect(prints).toMatch(/^project=[0-9a-f]{16} database=[0-9a-f]{16}$/);
    // Neither the password, the user nor the host is in the output.
    for (const secret of ['s3cret', 'staging', 'db.example.com']) expect(staging.outputs).not.toContain(secret);
    // Production on its own database and Railway environment: fine.
    const apart = runStep(
      preflight.run,
      env({
        STAGE: 'production',
        ENVIRONMENT: 'production',
        RAILWAY_ENVIRONMENT: 'env-prod',
        DATABASE_URL: 'postgres://prod:x@db.example.com/app_prod',
        FORBID: prints,
      }),
    );
    expect(apart.status).toBe(0);
    // Production on staging's database (other user and password, default port spelt out): refused before anything runs.
    const shared = runStep(
      preflight.run,
      env({
        STAGE: 'production',
        ENVIRONMENT: 'production',
        RAILWAY_ENVIRONMENT: 'env-prod',
        DATABASE_URL: 'postgres://admin:other@DB.example.com/app',
        FORBID: prints,
      }),
    );
    expect(shared.status).not.toBe(0);
    expect(shared.stdout).toContain('writes to the same database');
    const sameProject = runStep(
      preflight.run,
      env({ STAGE: 'production', ENVIRONMENT: 'production', DATABASE_URL: 'postgres://p@other/app', FORBID: prints }),
    );
    expect(sameProject.stdout).toContain('writes to the same project');
  });

  it("refuses in the pipeline's preflight a staging that resolves to production's Railway environment, ECS service or Supabase project", () => {
    const script: string = pipeline.jobs.preflight.steps[0].run;
    const base = {
      PROVIDER: 'railway',
      STAGING: 'p1|env-s|||',
      PRODUCTION: 'p1|env-p|||',
      STAGING_SCOPE: 'p1|',
      PRODUCTION_SCOPE: 'p1|',
      WITH_FUNCTIONS: 'false',
      STAGING_FUNCTIONS: '',
      PRODUCTION_FUNCTIONS: '',
    };
    expect(runStep(script, base).status).toBe(0);
    const same = runStep(script, { ...base, STAGING: 'p1|env-p|||' });
    expect(same.status).not.toBe(0);
    expect(same.stdout).toContain('staging and production resolve to the same railway target');
    // One Vercel project for both is fine for what staging deploys (a preview), but its token could promote
    // production: a warning says so; a staging project in a scope of its own is quiet.
    const shared = runStep(script, {
      ...base,
      PROVIDER: 'vercel',
      STAGING: 'prj||',
      PRODUCTION: 'prj||',
      STAGING_SCOPE: 'prj|team_1',
      PRODUCTION_SCOPE: 'prj|team_1',
    });
    expect(shared.status).toBe(0);
    expect(shared.stdout).toContain(
      '::warning title=shipline preflight::staging and previews deploy the production vercel project with STAGING_DEPLOY_TOKEN',
    );
    const apart = runStep(script, {
      ...base,
      PROVIDER: 'vercel',
      STAGING: 'prj_s||',
      PRODUCTION: 'prj||',
      STAGING_SCOPE: 'prj_s|team_s',
      PRODUCTION_SCOPE: 'prj|team_1',
    });
    expect(apart.stdout).not.toContain('::warning');
    expect(
      pipelineValue(pipeline.jobs.preflight.steps[0].env.STAGING_SCOPE, {
        project: 'prj',
        team: 'team_1',
        'staging-project': 'prj_s',
        'staging-team': 'team_s',
      }),
    ).toBe('prj_s|team_s');
    const functions = runStep(script, {
      ...base,
      WITH_FUNCTIONS: 'true',
      STAGING_FUNCTIONS: 'ref1',
      PRODUCTION_FUNCTIONS: 'ref1',
    });
    expect(functions.stdout).toContain('same Supabase project');
    // Production's database URL is a production credential: the pipeline never reads it (the production stage
    // compares its database with staging's fingerprints instead).
    expect(JSON.stringify(pipeline.jobs.preflight)).not.toMatch(/secrets\./);
    // One Railway project per environment: staging's own project and services are compared and deployed.
    const perEnvironment = runStep(script, {
      ...base,
      STAGING: 'p-staging|env-s|||svc-s1,svc-s2',
      PRODUCTION: 'p-prod|env-p|||svc-p1,svc-p2',
    });
    expect(perEnvironment.status).toBe(0);
    expect(pipeline.jobs.staging.with.services).toBe('${{ inputs.staging-services || inputs.services }}');
    expect(pipeline.jobs.staging.with.project).toBe('${{ inputs.staging-project || inputs.project }}');
    expect(
      pipelineValue(pipeline.jobs.preflight.steps[0].env.STAGING, {
        'staging-project': 'p-staging',
        project: 'p-prod',
        'staging-railway-environment': 'env-s',
        'staging-services': 'svc-s1',
        services: 'svc-p1',
      }),
    ).toBe('p-staging|env-s|||svc-s1');
    // The inputs it compares are the ones the staging and production jobs get.
    const env: Doc = pipeline.jobs.preflight.steps[0].env;
    expect(env.STAGING).toContain('inputs.staging-railway-environment');
    expect(env.STAGING).toContain('inputs.staging-cluster || inputs.cluster');
    expect(env.PRODUCTION).toContain('inputs.production-service || inputs.service');
    expect(pipeline.jobs.staging.with['railway-environment']).toBe('${{ inputs.staging-railway-environment }}');
  });

  it('gives every job that names an environment the preflight as its first step', () => {
    expect(environmentJobs.map(({ file, id }) => `${file}#${id}`).sort()).toEqual([
      `${WORKFLOWS}/deploy-environment.yml#release`,
      `${WORKFLOWS}/rollback.yml#rollback`,
    ]);
    for (const { file, job } of environmentJobs) {
      const first: Doc = job.steps[0];
      expect({ file, first: first.name }).toEqual({ file, first: 'Preflight' });
      // It looks at every secret the job uses (by whether it is set) before anything else runs.
      const used = new Set(
        expressions(job.steps.slice(1), '').flatMap(([, e]) => refs(e, /\bsecrets\.([\w-]+)/g).map(([n]) => n!)),
      );
      used.delete('SMOKE_HEADERS'); // optional everywhere
      used.delete('PROMETHEUS_HEADERS'); // optional; smoke-test's validate step refuses it without bake-prometheus-gates
      used.delete('SLACK_WEBHOOK_URL'); // optional; SLACK_BOT_TOKEN is required with slack-channel
      used.delete('BUILD_ENV'); // optional
      for (const name of used)
        expect({ file, name, checked: `HAS_${name}` in first.env }).toEqual({ file, name, checked: true });
    }
  });
});
