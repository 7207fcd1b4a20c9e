// ECS progressive delivery in the workflows: deploy-environment.yml (and the stage composite generated from it) hands
// deploy's ecs-* and verify-* inputs to the Deploy step only where ECS moves production traffic - a production
// stage on provider ecs deploying to production - and its preflight refuses them anywhere else, and checks their
// forms and deploy's rules across them before anything changes. The ECS starter template opts its production job
// into a 10% canary with a pause. What reaches deploy is evaluated with GitHub's expression evaluator for every stage,
// provider, target and event; the preflight script runs as the runner runs it; and the Deploy step, its inputs
// resolved from the template, the composite and the workflow, runs through deploy's bundle against the loopback ECS.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from '@jest/globals';
import { parse } from 'yaml';
import { runBundle } from '../cli/local-runner.js';
import { awsEnvironment, type FakeEcs } from '../cli/sandbox/ecs.js';
import type { FakeGitHub } from '../cli/sandbox/github.js';
import { resolve, runs } from './workflow-expressions.js';
import { type Doc, loadWorkflow, root, runScript } from './workflow-steps.js';
import { ecsRolloutStandIns, runOnStandIns } from './support-ecs.js';
import { closedPort, errors, exampleEvent } from './support.js';
import { preflightStep, type ProductionStage, STAGES, stageContext, withOf } from './support-stage.js';

const deployAction = parse(readFileSync(join(root, 'actions/deploy/action.yml'), 'utf8')) as Doc;
/** deploy's inputs that choose an ECS strategy and judge its pauses. */
const ECS_INPUTS = Object.keys(deployAction.inputs as Doc).filter((n) => /^(ecs|verify)-/.test(n));
const TEMPLATE_FILE = 'workflow-templates/ecs-canary.yml';
const template = loadWorkflow(TEMPLATE_FILE);

/** A canary as a person would set it on the production stage (every input given, in its own form). */
const CANARY: Record<string, string> = {
  'ecs-strategy': 'canary',
  'ecs-canary-percent': '10',
  'ecs-step-bake-time': '1m',
  'ecs-bake-time': '0m',
  'ecs-pause-at': 'pre-production-traffic-shift',
  'ecs-pause-timeout': '30m',
  'verify-url': 'https://api.example.com',
  'verify-test-url': 'https://api.example.com:8443',
  'verify-paths': '/health',
  'verify-window': '2m',
  'verify-interval': '5s',
  'verify-max-error-rate': '5%',
  'verify-thresholds': 'p(95)<300,p(99)<500',
};
const ECS = { cluster: 'prod', service: 'api', 'aws-region': 'eu-west-1', images: 'app=repo/app:1' };

const deployStep = (stage: ProductionStage) => stage.steps.find((s) => s.id === 'deploy')!;

/** The problems the stage's Preflight step names (its `::error` lines), its env resolved for these inputs. */
async function preflightProblems(stage: ProductionStage, given: Record<string, unknown>): Promise<string[]> {
  const step = preflightStep(stage);
  const context = stageContext(stage, given, { AWS_ROLE_TO_ASSUME: 'arn:aws:iam::1:role/deploy' });
  const env = Object.fromEntries(
    Object.entries<string>(step.env).map(([k, v]) => [k, String(resolve(v, context) ?? '')]),
  );
  const run = await runScript(String(step.run), env);
  return [...run.log.matchAll(/^::error title=shipline preflight::(.*)$/gm)].map((m) => m[1]!);
}
const ecsProblems = (problems: string[]) => problems.filter((p) => /^input (ecs|verify)-/.test(p));

describe('what reaches deploy: the ECS inputs only where ECS moves production traffic', () => {
  test('every ECS input of deploy is an input of the workflow (string, empty by default) and of the stage composite', () => {
    expect(ECS_INPUTS).toEqual(expect.arrayContaining(Object.keys(CANARY).concat('ecs-linear-step-percent')));
    expect(ECS_INPUTS).toHaveLength(14);
    for (const stage of STAGES)
      for (const name of ECS_INPUTS)
        expect({ file: stage.file, name, input: stage.inputs[name] }).toEqual({
          file: stage.file,
          name,
          input: expect.objectContaining({ default: '' }),
        });
  });

  test.each(STAGES.map((s) => [s.file, s] as const))(
    '%s: the Deploy step gets them for stage production on ecs (target production), empty for every other stage, provider, target and event',
    (_, stage) => {
      const given: Record<string, string> = { ...CANARY, 'ecs-linear-step-percent': '20' };
      for (const event of ['push', 'workflow_dispatch', 'pull_request'])
        for (const stageName of ['preview', 'staging', 'production'])
          for (const provider of ['ecs', 'vercel', 'railway', 'netlify'])
            for (const target of ['', 'production', 'staged', 'preview']) {
              const context = stageContext(stage, { ...given, ...ECS, stage: stageName, provider, target });
              (context.github as Doc).event_name = event;
              const read = withOf(deployStep(stage), context);
              const expected =
                provider === 'ecs' && stageName === 'production' && (target === '' || target === 'production');
              for (const name of ECS_INPUTS)
                expect({ event, stageName, provider, target, name, value: read(name) }).toEqual({
                  event,
                  stageName,
                  provider,
                  target,
                  name,
                  value: expected ? given[name] : '',
                });
            }
    },
  );

  test.each(STAGES.map((s) => [s.file, s] as const))(
    '%s: no other step gets them, but the promote of a staged ECS release its verify-* inputs (deploy refuses ecs-strategy outside command deploy)',
    (_, stage) => {
      for (const step of stage.steps.filter((s) => s.id !== 'deploy'))
        expect({
          step: step.name ?? step.id,
          keys: Object.keys(step.with ?? {}).filter(
            (k) => ECS_INPUTS.includes(k) && !(step.id === 'promote' && k.startsWith('verify-')),
          ),
        }).toEqual({ step: step.name ?? step.id, keys: [] });
    },
  );

  test.each(STAGES.map((s) => [s.file, s] as const))(
    '%s: unset inputs reach deploy empty, never a default of their own (deploy refuses them outside their strategy)',
    (_, stage) => {
      const context = stageContext(stage, { ...ECS, stage: 'production', provider: 'ecs', 'ecs-strategy': 'linear' });
      const read = withOf(deployStep(stage), context);
      expect(read('ecs-strategy')).toBe('linear');
      for (const name of ECS_INPUTS.filter((n) => n !== 'ecs-strategy')) expect([name, read(name)]).toEqual([name, '']);
    },
  );
});

describe('the preflight refuses the ECS inputs where they would do nothing, and what deploy would refuse after the migrations', () => {
  test.each(STAGES.map((s) => [s.file, s] as const))(
    '%s: each given ECS input is named on another provider, in staging or preview, or for a staged target',
    async (_, stage) => {
      const given = { 'ecs-strategy': 'canary', 'verify-url': 'https://api.example.com' };
      for (const where of [
        { provider: 'vercel', stage: 'production', project: 'prj_1' },
        { provider: 'railway', stage: 'production', project: 'p', 'railway-environment': 'e', services: 's' },
        { provider: 'ecs', stage: 'staging', ...ECS },
        { provider: 'ecs', stage: 'preview', ...ECS },
        { provider: 'ecs', stage: 'production', target: 'staged', ...ECS },
      ]) {
        const problems = ecsProblems(await preflightProblems(stage, { ...given, ...where }));
        expect({ where, problems }).toEqual({
          where,
          problems: [
            expect.stringMatching(
              new RegExp(
                `^input ecs-strategy is only for stage production on provider ecs .*got stage '${where.stage}', provider '${where.provider}'`,
              ),
            ),
            expect.stringMatching(/^input verify-url is only for stage production on provider ecs/),
          ],
        });
      }
      // Where ECS moves production traffic, a good canary is no problem of the preflight's.
      expect(
        ecsProblems(await preflightProblems(stage, { ...CANARY, ...ECS, stage: 'production', provider: 'ecs' })),
      ).toEqual([]);
    },
  );

  test.each(STAGES.map((s) => [s.file, s] as const))(
    "%s: deploy's rules across the inputs, and their forms, all named at once",
    async (_, stage) => {
      const problems = async (given: Record<string, string>) =>
        ecsProblems(await preflightProblems(stage, { ...ECS, stage: 'production', provider: 'ecs', ...given }));
      expect(await problems({ 'verify-url': 'https://api.example.com', 'ecs-pause-at': 'post-scale-up' })).toEqual([
        'input ecs-pause-at is only for a progressive rollout: set ecs-strategy to blue-green, canary or linear',
        'input verify-url is only for a progressive rollout: set ecs-strategy to blue-green, canary or linear',
      ]);
      expect(
        await problems({
          'ecs-strategy': 'linear',
          'ecs-canary-percent': '10',
          'ecs-linear-step-percent': '2',
          'ecs-step-bake-time': '90s',
          'ecs-pause-at': 'post-scale-up, production-traffic-shift',
          'ecs-pause-timeout': '2m',
          'verify-url': 'ftp://api.example.com',
          'verify-test-url': 'api.example.com',
          'verify-window': '90s',
          'verify-interval': '10ms',
          'verify-max-error-rate': '120%',
          'verify-thresholds': 'p(95)<300, p95<1',
        }),
      ).toEqual([
        'input ecs-canary-percent is only for ecs-strategy canary',
        'input ecs-linear-step-percent must be a percentage from 3 to 100, like 10 or 10%',
        'input ecs-step-bake-time must be whole minutes from 0m to 24h, like 5m (ECS takes bake times and hook timeouts in minutes)',
        "input ecs-pause-at must name lifecycle stages from post-scale-up, post-test-traffic-shift, pre-production-traffic-shift, post-production-traffic-shift; 'production-traffic-shift' is not one (ECS refuses PAUSE hooks during a traffic shift)",
        "input verify-url must be an http(s) URL (a listener of the service's load balancer), like https://api.example.com",
        "input verify-test-url must be an http(s) URL (a listener of the service's load balancer), like https://api.example.com",
        'input verify-interval must be a duration like 5s or 10s, from 50ms to 10m',
        'input verify-window must end at least a minute before ecs-pause-timeout: the pause rolls back by itself at its timeout',
        'input verify-max-error-rate must be a share of failed requests like 5%, 0.5% or 0.05, from 0 to 100%',
        "input verify-thresholds must be thresholds like p(95)<300, p(99)<500, avg<100, med<80, max<1000 or rate<0.01 (comma separated); 'p95<1' is not one",
      ]);
      expect(await problems({ 'ecs-strategy': 'blue-green', 'ecs-step-bake-time': '5m' })).toEqual([
        'input ecs-step-bake-time is only for ecs-strategy canary or linear (blue-green shifts once)',
        "input verify-url is required with a progressive ecs-strategy (the production listener's URL, where the new release's share of traffic is measured at each pause; pass it from vars)",
      ]);
      // As deploy: a strategy it does not know is not rolling, so verify-url is still asked for.
      expect(await problems({ 'ecs-strategy': 'gradual' })).toEqual([
        "input ecs-strategy must be rolling, blue-green, canary or linear, got 'gradual'",
        "input verify-url is required with a progressive ecs-strategy (the production listener's URL, where the new release's share of traffic is measured at each pause; pass it from vars)",
      ]);
    },
  );

  test('refuses what deploy refuses, input by input (deploy bundle, provider ecs, its own validation)', async () => {
    const port = await closedPort();
    const cases: Record<string, string>[] = [
      CANARY,
      {
        'ecs-strategy': 'blue-green',
        'verify-url': 'http://10.0.0.1:8080/',
        'ecs-pause-at': 'post-test-traffic-shift',
      },
      {
        'ecs-strategy': 'linear',
        'ecs-linear-step-percent': '25%',
        'verify-url': 'https://a.example',
        'verify-window': '20m',
      },
      { 'verify-paths': '/health' },
      { 'ecs-strategy': 'canary', 'ecs-canary-percent': '0.05', 'verify-url': 'https://a.example' },
      {
        'ecs-strategy': 'canary',
        'ecs-bake-time': '1h1s',
        'ecs-pause-timeout': '0m',
        'verify-url': 'https://a.example',
      },
      { 'ecs-strategy': 'linear', 'ecs-canary-percent': '10', 'verify-test-url': 'localhost:80' },
      { 'ecs-strategy': 'canary', 'verify-url': 'https://a.example', 'ecs-pause-at': 'post-scale-up,nowhere' },
      { 'ecs-strategy': 'canary', 'verify-url': 'https://a.example', 'verify-window': '29m30s' },
      {
        'ecs-strategy': 'canary',
        'verify-url': 'https://a.example',
        'verify-max-error-rate': '0.5',
        'verify-interval': '1h',
      },
      {
        'ecs-strategy': 'canary',
        'verify-url': 'https://a.example',
        'verify-thresholds': 'p(0)<3,avg<100ms,rate<0.1s',
      },
    ];
    /** The input each problem names first (deploy reports several as "- Input '…' …" lines of one error). */
    const named = (lines: string[], pattern: RegExp) =>
      [...new Set(lines.flatMap((l) => [...l.matchAll(pattern)].map((m) => m[1]!)))].sort();
    const [stage] = STAGES;
    for (const given of cases) {
      const preflight = named(
        ecsProblems(await preflightProblems(stage!, { ...ECS, stage: 'production', provider: 'ecs', ...given })),
        /^input ([\w-]+)/gm,
      );
      const deployed = await runBundle({
        action: 'deploy',
        inputs: { provider: 'ecs', target: 'production', ...ECS, ...given },
        env: {
          AWS_ENDPOINT_URL_ECS: `http://127.0.0.1:${port}`,
          AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
          AWS_SECRET_ACCESS_KEY: 'secret',
          AWS_MAX_ATTEMPTS: '1',
          AWS_CONFIG_FILE: '/nonexistent/aws-config',
          AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/aws-credentials',
          AWS_EC2_METADATA_DISABLED: 'true',
        },
        event: exampleEvent('push', (p) => Boolean(p.head_commit)),
        timeoutMs: 60_000,
      });
      const refused = named(errors(deployed), /^(?:- )?Input '((?:ecs|verify)-[\w-]+)'/gm);
      expect({ given, preflight }).toEqual({ given, preflight: refused });
    }
  }, 180_000);
});

describe('the ECS starter template', () => {
  const production = template.jobs.production as Doc;
  const stageStep = (production.steps as Doc[]).find((s) => String(s.uses).includes('/actions/stage@'))!;

  test('its production job asks for a 10% canary that pauses before each production shift, measured on vars.PRODUCTION_URL', () => {
    expect(stageStep.with).toMatchObject({
      environment: 'production',
      stage: 'production',
      provider: 'ecs',
      'ecs-strategy': 'canary',
      'ecs-canary-percent': '10',
      'ecs-pause-at': 'pre-production-traffic-shift',
      'verify-url': '${{ vars.PRODUCTION_URL }}',
      // The deploy follows the whole rollout (two windows, the step and final bake times) within wait-timeout.
      'wait-timeout': '30m',
      'aws-role-to-assume': '${{ secrets.AWS_ROLE_TO_ASSUME }}',
    });
    // Rolled back automatically: the stage's own Roll back step (rollback-on-failure keeps its default, on), and the
    // safety net for a job that ended without settling.
    expect(stageStep.with['rollback-on-failure']).toBeUndefined();
    expect(template.jobs.rollback.steps[0].uses).toMatch(/\/actions\/stage-rollback@v1$/);
    expect(template.jobs.rollback.if).toContain("needs.production.outputs.settled != 'true'");
  });

  test('id-token: write only in the jobs that assume an AWS role, nothing at the top', () => {
    expect(template.permissions).toEqual({});
    const withIdToken = Object.entries<Doc>(template.jobs)
      .filter(([, job]) => job.permissions?.['id-token'] === 'write')
      .map(([id]) => id);
    // image: the ECR push role; pipeline: staging's ECS deploy; production and its safety net: production's role.
    expect(withIdToken.sort()).toEqual(['image', 'pipeline', 'production', 'rollback']);
    const assumesRole = (job: Doc) =>
      job.with?.provider === 'ecs' ||
      (job.steps ?? []).some(
        (s: Doc) =>
          String(s.uses).startsWith('aws-actions/configure-aws-credentials@') ||
          (/\/actions\/stage(-rollback)?@/.test(String(s.uses)) && s.with?.provider === 'ecs'),
      );
    for (const id of withIdToken) expect([id, assumesRole(template.jobs[id])]).toEqual([id, true]);
    expect(Object.keys(template.jobs).filter((id) => !withIdToken.includes(id))).toEqual([]);
  });

  /** The template's stage inputs as its production job hands them to the composite (vars and needs filled in). */
  const templateInputs = (vars: Record<string, string>) =>
    Object.fromEntries(
      Object.entries<unknown>(stageStep.with).map(([k, v]) => [
        k,
        String(
          resolve(v, {
            vars,
            secrets: {},
            needs: { image: { outputs: { image: 'repo/app:abc' } }, pipeline: { outputs: {} } },
            github: {},
          }) ?? '',
        ),
      ]),
    );

  test("passes the preflight's ECS rules, and its canary reaches deploy through the composite", async () => {
    const vars = {
      PRODUCTION_URL: 'https://api.example.com',
      AWS_REGION: 'eu-west-1',
      PRODUCTION_ECS_CLUSTER: 'c',
      PRODUCTION_ECS_SERVICE: 's',
    };
    const composite = STAGES.find((s) => s.file === 'actions/stage/action.yml')!;
    const given = templateInputs(vars);
    expect(ecsProblems(await preflightProblems(composite, given))).toEqual([]);
    const read = withOf(deployStep(composite), stageContext(composite, given));
    expect(Object.fromEntries(ECS_INPUTS.map((n) => [n, read(n)]))).toMatchObject({
      'ecs-strategy': 'canary',
      'ecs-canary-percent': '10',
      'ecs-pause-at': 'pre-production-traffic-shift',
      'verify-url': 'https://api.example.com',
      'ecs-linear-step-percent': '',
      'ecs-step-bake-time': '',
    });
  });

  // The end of the wiring: deploy, its inputs resolved from the template through each stage definition, drives the
  // loopback ECS's canary; only the timings are shortened (a stand-in minute is 300 ms).
  describe('the Deploy step, resolved from the template, against the loopback ECS', () => {
    const standIns = ecsRolloutStandIns();
    let ecs: FakeEcs;
    let github: FakeGitHub;
    beforeAll(() => {
      ({ ecs, github } = standIns);
    });

    const image = (tag: string) => `123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:${tag}`;
    async function deployFromTemplate(
      stage: ProductionStage,
      tag: string,
      sha: string,
      testListener = true,
      extra: Record<string, string> = {},
    ) {
      const fromTemplate = templateInputs({
        PRODUCTION_URL: ecs.listeners.production,
        ...(testListener ? { PRODUCTION_TEST_URL: ecs.listeners.test } : {}),
        AWS_REGION: ecs.region,
        PRODUCTION_ECS_CLUSTER: ecs.cluster,
        PRODUCTION_ECS_SERVICE: ecs.serviceName,
      });
      const given = {
        ...fromTemplate,
        // The stand-in's service runs a container named api (the template's convention is app).
        images: `api=${image(tag)}`,
        // The stand-in's time: its /health answers like / and a minute is 300 ms.
        'verify-paths': '/',
        'verify-window': '3s',
        'verify-interval': '50ms',
        'verify-thresholds': '',
        'ecs-step-bake-time': '1m',
        'ecs-bake-time': '0m',
        ...extra,
      };
      const context = stageContext(stage, given, { AWS_ROLE_TO_ASSUME: 'arn:aws:iam::1:role/deploy' });
      expect(runs(deployStep(stage).if, context, 'success')).toBe(true);
      const read = withOf(deployStep(stage), context);
      const inputs = Object.fromEntries(
        Object.keys(deployStep(stage).with as Doc)
          .map((k) => [k, read(k)])
          // The runner hands deploy '' for an expression that resolved to nothing; deploy reads '' as unset.
          .filter(([, v]) => v !== ''),
      );
      return runOnStandIns({ ecs, github }, 'deploy', { ...inputs, 'github-token': github.token }, sha);
    }

    const sha = (n: number) => n.toString(16).padStart(40, 'c');
    let commits = 0;

    test.each(STAGES.map((s) => [s.file, s] as const))(
      '%s: a release failing on the test listener (vars.PRODUCTION_TEST_URL) is stopped at 0%: production never serves it',
      async (_, stage) => {
        const blue = ecs.primaryTaskDefinition();
        const tag = `bad-test-${++commits}`;
        ecs.apps.set(image(tag), 'errors');
        const result = await deployFromTemplate(stage, tag, sha(commits));
        expect(result.exitCode).not.toBe(0);
        expect(errors(result).join('\n')).toMatch(/stopped at 0% of production traffic/);
        expect(ecs.serviceDeployments[0]).toMatchObject({ status: 'ROLLBACK_SUCCESSFUL', stoppedAtPercent: 0 });
        expect(ecs.served.some((s) => s.listener === 'test' && s.status === 500)).toBe(true);
        expect(ecs.served.filter((s) => s.listener === 'production' && s.taskDefinition !== blue)).toEqual([]);
        expect(ecs.primaryTaskDefinition()).toBe(blue);
      },
      120_000,
    );

    test.each(STAGES.map((s) => [s.file, s] as const))(
      '%s: without a test listener, a canary whose errors rise at 10% is stopped there by ROLLBACK; production never served it more, and the Roll back step keeps it so',
      async (_, stage) => {
        const blue = ecs.primaryTaskDefinition();
        const tag = `bad-canary-${++commits}`;
        ecs.apps.set(image(tag), 'errors');
        const result = await deployFromTemplate(stage, tag, sha(commits), false);
        expect(result.exitCode).not.toBe(0);
        expect(errors(result).join('\n')).toMatch(/stopped at 10% of production traffic/);
        expect(ecs.serviceDeployments[0]).toMatchObject({ status: 'ROLLBACK_SUCCESSFUL', stoppedAtPercent: 10 });
        const production = ecs.served.filter((s) => s.listener === 'production');
        expect(production.some((s) => s.productionWeight === 10 && s.taskDefinition !== blue)).toBe(true);
        expect(production.filter((s) => s.productionWeight > 10)).toEqual([]);
        expect(ecs.primaryTaskDefinition()).toBe(blue);

        // The job's Roll back step then runs (the deploy failed with a release): ECS has put the previous revision
        // back already, so it changes nothing, and the ledger keeps saying where the release was stopped.
        const green = ecs.serviceDeployments[0]!.target.taskDefinition;
        const rollbackStep = stage.steps.find((s) => s.id === 'rollback')!;
        const context = stageContext(stage, {
          stage: 'production',
          provider: 'ecs',
          cluster: ecs.cluster,
          service: ecs.serviceName,
          'aws-region': ecs.region,
        });
        const skipped = { outputs: {}, outcome: 'skipped', conclusion: 'skipped' };
        context.steps = {
          ...(context.steps as Doc),
          deploy: { outputs: result.outputs, outcome: 'failure', conclusion: 'failure' },
          smoke: skipped,
          promote: skipped,
          bake: skipped,
        };
        context.job = { status: 'failure' };
        expect(runs(rollbackStep.if, context, 'failure')).toBe(true);
        const read = withOf(rollbackStep, context, 'failure');
        const rolledBack = await runBundle({
          action: 'rollback',
          inputs: {
            ...Object.fromEntries(
              Object.keys(rollbackStep.with as Doc)
                .map((k) => [k, read(k)])
                .filter(([, v]) => v !== ''),
            ),
            'github-token': github.token,
          },
          env: { ...awsEnvironment(ecs), GITHUB_API_URL: github.url, GITHUB_REPOSITORY: github.repository },
          event: exampleEvent('push', (p) => Boolean(p.head_commit)),
          timeoutMs: 90_000,
        });
        expect(read('failed-deployment-id')).toBe(green);
        expect(errors(rolledBack)).toEqual([]);
        expect(rolledBack.outputs.changed).toBe('false');
        expect(ecs.primaryTaskDefinition()).toBe(blue);
        const entry = github.deployments.find(
          (d) => (d.payload as { release?: { id?: string } }).release?.id === green,
        );
        expect(entry?.statuses[0]).toMatchObject({
          state: 'failure',
          description: expect.stringMatching(/stopped at 10% of production traffic/),
        });
      },
      120_000,
    );

    test.each(STAGES.map((s) => [s.file, s] as const))(
      '%s: with target production (no staging), a healthy canary passes its pauses (measured on the test listener before and at 10% of production) and completes',
      async (_, stage) => {
        // With a test listener the template's release is staged (test/workflows-ecs-staged.test.ts); target
        // production deploys it straight through the rollout.
        const result = await deployFromTemplate(stage, `good-${++commits}`, sha(commits), true, {
          target: 'production',
        });
        expect(errors(result)).toEqual([]);
        expect(ecs.serviceDeployments[0]).toMatchObject({ status: 'SUCCESSFUL' });
        expect(ecs.served.some((s) => s.listener === 'test')).toBe(true);
        // At 10% the test listener still serves the new revision alone, so the pause measures it there.
        expect(ecs.served.some((s) => s.listener === 'test' && s.productionWeight === 10)).toBe(true);
        expect(result.summary).toContain('bar [0, 10, 100]');
      },
      120_000,
    );
  });
});
