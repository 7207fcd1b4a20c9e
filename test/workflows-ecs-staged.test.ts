// A staged ECS release in the workflows: deploy-environment.yml (and the stage composite generated from it) stages
// the production release on ECS - deploy with target staged, held on the load balancer's test listener - when the
// stage asks for a progressive ecs-strategy and names the test listener (verify-test-url), smoke-tests it there, and
// promotes it with the Promote step, as a Vercel production release is staged and promoted. The promote gets the
// staged service deployment, the cluster and service, and the verify-* inputs that judge its further pauses; never
// an ecs-* input (deploy refuses them on promote) nor a stage gate (deploy reads those only with an ecs-strategy:
// the staged deploy's pause reads them). What each step gets is evaluated with GitHub's expression evaluator for
// every stage, provider, target, strategy and event; then the Deploy and the Promote steps, their inputs resolved
// from the ECS starter template through each stage definition, run through deploy's bundle against the loopback ECS.
import { beforeAll, describe, expect, test } from '@jest/globals';
import { runBundle } from '../cli/local-runner.js';
import { awsEnvironment, type FakeEcs } from '../cli/sandbox/ecs.js';
import type { FakeGitHub } from '../cli/sandbox/github.js';
import { resolve, runs } from './workflow-expressions.js';
import { type Doc, loadWorkflow, runScript } from './workflow-steps.js';
import { ecsRolloutStandIns, runOnStandIns } from './support-ecs.js';
import { closedPort, errors, exampleEvent } from './support.js';
import { preflightStep, type ProductionStage, STAGES, stageContext, withOf } from './support-stage.js';

const ECS = { cluster: 'prod', service: 'api', 'aws-region': 'eu-west-1', images: 'app=repo/app:1' };
const VERIFY: Record<string, string> = {
  'verify-url': 'https://api.example.com',
  'verify-paths': '/health',
  'verify-window': '2m',
  'verify-interval': '5s',
  'verify-max-error-rate': '5%',
  'verify-thresholds': 'p(95)<300',
};
const TEST_URL = 'https://api.example.com:8443';
/** The stage gates, read where a rollout's traffic moves: on ECS, at the pauses of the deploy with an ecs-strategy. */
const GATES = {
  'rolling-prometheus-url': 'https://prometheus.example.com',
  'rolling-prometheus-gates': 'sum(rate(http_errors_total[1m])) < 1',
  'rolling-cloudwatch-alarms': 'api-5xx',
};
const SECRETS = { AWS_ROLE_TO_ASSUME: 'arn:aws:iam::123456789012:role/deploy', PROMETHEUS_HEADERS: 'X-Org: 1' };
const PROGRESSIVE = ['canary', 'blue-green', 'Linear'];

const step = (stage: ProductionStage, id: string) => stage.steps.find((s) => s.id === id)!;

interface Case {
  event: string;
  stage: string;
  provider: string;
  target: string;
  strategy: string;
  testUrl: boolean;
}

/** Every event × stage × provider × target, and on ECS every ecs-strategy with and without a test listener. */
function* cases(): Generator<Case> {
  for (const event of ['push', 'workflow_dispatch', 'pull_request'])
    for (const stage of ['preview', 'staging', 'production'])
      for (const provider of ['ecs', 'vercel', 'railway', 'netlify'])
        for (const target of ['', 'production', 'staged', 'preview'])
          for (const strategy of provider === 'ecs' ? ['', 'rolling', ...PROGRESSIVE] : [''])
            for (const testUrl of provider === 'ecs' ? [true, false] : [false])
              yield { event, stage, provider, target, strategy, testUrl };
}

function contextOf(stage: ProductionStage, c: Case) {
  const context = stageContext(
    stage,
    {
      ...(c.provider === 'ecs' ? ECS : { project: 'prj_1' }),
      ...VERIFY,
      ...GATES,
      'verify-test-url': c.testUrl ? TEST_URL : '',
      'ecs-strategy': c.strategy,
      'ecs-pause-timeout': '30m',
      environment: 'production',
      stage: c.stage,
      provider: c.provider,
      target: c.target,
    },
    SECRETS,
  );
  (context.github as Doc).event_name = c.event;
  return context;
}

/** The one case this wiring stages on ECS: production, target left to the stage, a progressive strategy, a test listener. */
const ecsStaged = (c: Case) =>
  c.provider === 'ecs' && c.stage === 'production' && c.target === '' && PROGRESSIVE.includes(c.strategy) && c.testUrl;

describe('which ECS release is staged, and what its promote gets', () => {
  test.each(STAGES.map((s) => [s.file, s] as const))(
    '%s: TARGET is staged on ECS only for production with a progressive ecs-strategy and verify-test-url; the Deploy step then stages it with its ecs-* inputs',
    (_, stage) => {
      for (const c of cases()) {
        if (c.provider !== 'ecs') continue;
        const context = contextOf(stage, c);
        const target = (context.env as Record<string, string>).TARGET;
        const deploy = withOf(step(stage, 'deploy'), context);
        expect({ c, target, deployTarget: deploy('target') }).toEqual({
          c,
          target:
            c.target !== '' ? c.target : c.stage === 'preview' ? 'preview' : ecsStaged(c) ? 'staged' : 'production',
          deployTarget:
            c.target !== '' ? c.target : c.stage === 'preview' ? 'preview' : ecsStaged(c) ? 'staged' : 'production',
        });
        if (ecsStaged(c)) {
          expect({ c, strategy: deploy('ecs-strategy'), timeout: deploy('ecs-pause-timeout') }).toEqual({
            c,
            strategy: c.strategy,
            timeout: '30m',
          });
          expect({ c, testUrl: deploy('verify-test-url'), url: deploy('verify-url') }).toEqual({
            c,
            testUrl: TEST_URL,
            url: VERIFY['verify-url'],
          });
        }
      }
    },
  );

  test.each(STAGES.map((s) => [s.file, s] as const))(
    '%s: the Promote step runs for a staged ECS release and gets its service deployment, cluster, service, region and verify-* inputs; never an ecs-* input',
    (_, stage) => {
      const promote = step(stage, 'promote');
      // Not even as a key: deploy refuses every ecs-* input on promote.
      expect(Object.keys(promote.with as Doc).filter((k) => k.startsWith('ecs-'))).toEqual([]);
      for (const c of cases()) {
        const context = contextOf(stage, c);
        const target = (context.env as Record<string, string>).TARGET;
        const promoted = runs(promote.if, context, 'success');
        expect({ c, promoted }).toEqual({ c, promoted: target === 'staged' && c.stage === 'production' });
        if (c.provider === 'ecs' && ecsStaged(c)) expect({ c, promoted }).toEqual({ c, promoted: true });
        if (!promoted) continue;
        const read = withOf(promote, context);
        expect({ c, id: read('deployment-id'), command: read('command') }).toEqual({
          c,
          id: 'dpl_1',
          command: 'promote',
        });
        const verify = Object.fromEntries(
          [...Object.keys(VERIFY), 'verify-test-url'].map((name) => [name, read(name)]),
        );
        // Only a staged ECS release's promote judges pauses; a Vercel promote (or an ECS target staged that the
        // preflight refuses) gets none of them.
        expect({ c, verify }).toEqual({
          c,
          verify: ecsStaged(c)
            ? { ...VERIFY, 'verify-test-url': TEST_URL }
            : Object.fromEntries(Object.keys(verify).map((name) => [name, ''])),
        });
        if (c.provider === 'ecs')
          expect({ c, where: ['cluster', 'service', 'aws-region'].map(read) }).toEqual({
            c,
            where: ['prod', 'api', 'eu-west-1'],
          });
      }
    },
  );

  test.each(STAGES.map((s) => [s.file, s] as const))(
    '%s: the smoke test of a staged ECS release runs on the test listener, and its stage gates reach the staged deploy, never its promote',
    (_, stage) => {
      for (const c of cases()) {
        if (!ecsStaged(c)) continue;
        const context = contextOf(stage, c);
        (context.steps as Doc).deploy.outputs.url = TEST_URL;
        const smoke = withOf(step(stage, 'smoke'), context);
        expect({ c, smoke: smoke('base-url') }).toEqual({ c, smoke: TEST_URL });
        const deploy = withOf(step(stage, 'deploy'), context);
        const promote = withOf(step(stage, 'promote'), context);
        const names = [...Object.keys(GATES), 'rolling-prometheus-headers'];
        expect({ c, deploy: names.map(deploy), promote: names.map(promote).filter(Boolean) }).toEqual({
          c,
          deploy: [...Object.values(GATES), SECRETS.PROMETHEUS_HEADERS],
          promote: [],
        });
      }
    },
  );

  test.each(STAGES.map((s) => [s.file, s] as const))(
    '%s: the preflight lets a staged ECS release have its ecs-*, verify-* inputs and stage gates, and still refuses them for an ECS target staged given by hand',
    async (_, stage) => {
      const problemsOf = async (c: Case) => {
        const pre = preflightStep(stage);
        const context = contextOf(stage, c);
        const env = Object.fromEntries(
          Object.entries<string>(pre.env).map(([k, v]) => [k, String(resolve(v, context) ?? '')]),
        );
        const run = await runScript(String(pre.run), env);
        return [...run.log.matchAll(/^::error title=shipline preflight::(.*)$/gm)].map((m) => m[1]!);
      };
      const staged: Case = {
        event: 'push',
        stage: 'production',
        provider: 'ecs',
        target: '',
        strategy: 'canary',
        testUrl: true,
      };
      expect(await problemsOf(staged)).toEqual([]);
      expect(await problemsOf({ ...staged, target: 'staged' })).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^input ecs-strategy is only for stage production on provider ecs/),
        ]),
      );
    },
  );
});

describe("what the steps hand deploy passes deploy's own validation (deploy bundle)", () => {
  test.each(STAGES.map((s) => [s.file, s] as const))(
    '%s: the staged deploy takes its ecs-*, verify-* inputs and stage gates, the promote its own, and neither is refused',
    async (_, stage) => {
      const port = await closedPort();
      const c: Case = {
        event: 'push',
        stage: 'production',
        provider: 'ecs',
        target: '',
        strategy: 'canary',
        testUrl: true,
      };
      const context = contextOf(stage, c);
      (context.steps as Doc).deploy.outputs['deployment-id'] =
        'arn:aws:ecs:eu-west-1:123456789012:service-deployment/prod/api/AbCdEf0123456789';
      /** The problems deploy names with these inputs (the AWS endpoint does not answer: validation comes first). */
      const refused = async (id: string) => {
        const read = withOf(step(stage, id), context);
        const inputs = Object.fromEntries(
          Object.keys(step(stage, id).with as Doc)
            .map((k) => [k, read(k)])
            .filter(([, v]) => v !== ''),
        );
        const result = await runBundle({
          action: 'deploy',
          inputs,
          env: {
            AWS_ENDPOINT_URL_ECS: `http://127.0.0.1:${port}`,
            AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
            AWS_SECRET_ACCESS_KEY: 'secret',
            AWS_REGION: 'eu-west-1',
            AWS_MAX_ATTEMPTS: '1',
            AWS_CONFIG_FILE: '/nonexistent/aws-config',
            AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/aws-credentials',
            AWS_EC2_METADATA_DISABLED: 'true',
          },
          event: exampleEvent('push', (p) => Boolean(p.head_commit)),
          timeoutMs: 60_000,
        });
        expect(result.exitCode).not.toBe(0);
        return errors(result)
          .flatMap((e) => e.split('\n'))
          .filter((line) => /Inputs? '/.test(line));
      };
      expect(await refused('deploy')).toEqual([]);
      expect(await refused('promote')).toEqual([]);
    },
    120_000,
  );
});

// The end of the wiring: the ECS starter template (which names the test listener, vars.PRODUCTION_TEST_URL) through
// each stage definition; only the timings are shortened (a stand-in minute is 300 ms).
describe('the Deploy step then the Promote step, resolved from the ECS starter template, against the loopback ECS', () => {
  const template = loadWorkflow('workflow-templates/ecs-canary.yml');
  const stageStep = ((template.jobs.production as Doc).steps as Doc[]).find((s) =>
    String(s.uses).includes('/actions/stage@'),
  )!;
  const standIns = ecsRolloutStandIns();
  let ecs: FakeEcs;
  let github: FakeGitHub;
  beforeAll(() => {
    ({ ecs, github } = standIns);
  });

  const image = (tag: string) => `123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:${tag}`;
  const sha = (n: number) => n.toString(16).padStart(40, 'e');
  const serving = async (listener: string) => (await fetch(listener)).headers.get('x-task-definition');
  let commits = 0;

  /** The step's inputs as the runner hands them to deploy ('' is unset to deploy, and left out here). */
  const inputsOf = (s: Doc, context: Record<string, unknown>) => {
    const read = withOf(s, context);
    return Object.fromEntries(
      Object.keys(s.with as Doc)
        .map((k) => [k, read(k)])
        .filter(([, v]) => v !== ''),
    );
  };
  const runDeploy = (inputs: Record<string, string>, commit: string) =>
    runOnStandIns({ ecs, github }, 'deploy', { ...inputs, 'github-token': github.token }, commit);

  /** The production stage's context for the template's inputs, the stand-in's listeners as its vars. */
  const stagedContext = (stage: ProductionStage, tag: string) => {
    const vars = {
      PRODUCTION_URL: ecs.listeners.production,
      PRODUCTION_TEST_URL: ecs.listeners.test,
      AWS_REGION: ecs.region,
      PRODUCTION_ECS_CLUSTER: ecs.cluster,
      PRODUCTION_ECS_SERVICE: ecs.serviceName,
    };
    const fromTemplate = Object.fromEntries(
      Object.entries<unknown>(stageStep.with).map(([k, v]) => [
        k,
        String(
          resolve(v, {
            vars,
            secrets: {},
            needs: { image: { outputs: {} }, pipeline: { outputs: {} } },
            github: {},
          }) ?? '',
        ),
      ]),
    );
    const given = {
      ...fromTemplate,
      // The stand-in's service runs a container named api; its /health answers like /, and a minute is 300 ms.
      images: `api=${image(tag)}`,
      'verify-paths': '/',
      'verify-window': '3s',
      'verify-interval': '50ms',
      'verify-thresholds': '',
      'ecs-step-bake-time': '1m',
      'ecs-bake-time': '0m',
    };
    const context = stageContext(stage, given, { AWS_ROLE_TO_ASSUME: SECRETS.AWS_ROLE_TO_ASSUME });
    return context;
  };

  test.each(STAGES.map((s) => [s.file, s] as const))(
    '%s: the staged deploy leaves production on the old revision and the test listener on the new one; the promote makes production serve it',
    async (_, stage) => {
      const blue = ecs.primaryTaskDefinition();
      const tag = `staged-${++commits}`;
      const context = stagedContext(stage, tag);
      expect((context.env as Record<string, string>).TARGET).toBe('staged');

      const deployed = await runDeploy(inputsOf(step(stage, 'deploy'), context), sha(commits));
      expect(errors(deployed)).toEqual([]);
      const sd = ecs.serviceDeployments[0]!;
      expect(sd.status).toBe('IN_PROGRESS');
      expect(deployed.outputs['deployment-id']).toBe(sd.arn);
      const green = sd.target.taskDefinition;
      expect(await serving(ecs.listeners.production)).toBe(blue);
      expect(await serving(ecs.listeners.test)).toBe(green);

      // The smoke test, then the promote, read the staged deploy's outputs.
      context.steps = {
        ...(context.steps as Doc),
        deploy: { outputs: deployed.outputs, outcome: 'success', conclusion: 'success' },
      };
      expect(withOf(step(stage, 'smoke'), context)('base-url')).toBe(ecs.listeners.test);
      expect(runs(step(stage, 'promote').if, context, 'success')).toBe(true);
      const promoted = await runDeploy(inputsOf(step(stage, 'promote'), context), sha(commits));
      expect(errors(promoted)).toEqual([]);
      expect(ecs.serviceDeployments[0]).toMatchObject({ arn: sd.arn, status: 'SUCCESSFUL' });
      expect(await serving(ecs.listeners.production)).toBe(green);
      // The canary's pause at 10% was judged by the promote (on the test listener, where green serves alone).
      expect(ecs.served.some((s) => s.listener === 'test' && s.productionWeight === 10)).toBe(true);
      const entry = github.deployments.find((d) => (d.payload as { release?: { id?: string } }).release?.id === green);
      expect(entry?.statuses[0]).toMatchObject({ state: 'success', description: expect.stringMatching(/^promoted/) });
    },
    120_000,
  );

  test.each(STAGES.map((s) => [s.file, s] as const))(
    '%s: a staged release whose smoke test fails is not promoted: the Roll back step ends it (ECS rolls it back) and production stays on the old revision',
    async (_, stage) => {
      const blue = ecs.primaryTaskDefinition();
      const tag = `staged-smoke-${++commits}`;
      const context = stagedContext(stage, tag);
      const deployed = await runDeploy(inputsOf(step(stage, 'deploy'), context), sha(commits));
      expect(errors(deployed)).toEqual([]);
      const sd = ecs.serviceDeployments[0]!;
      const skipped = { outputs: {}, outcome: 'skipped', conclusion: 'skipped' };
      context.steps = {
        ...(context.steps as Doc),
        deploy: { outputs: deployed.outputs, outcome: 'success', conclusion: 'success' },
        smoke: { outputs: { summary: 'smoke test failed: / answered 500' }, outcome: 'failure', conclusion: 'failure' },
        promote: skipped,
        bake: skipped,
      };
      context.job = { status: 'failure' };
      expect(runs(step(stage, 'promote').if, context, 'failure')).toBe(false);
      const rollbackStep = step(stage, 'rollback');
      expect(runs(rollbackStep.if, context, 'failure')).toBe(true);
      const read = withOf(rollbackStep, context, 'failure');
      const callsBefore = ecs.calls.length;
      const rolledBack = await runBundle({
        action: 'rollback',
        inputs: { ...inputsOf(rollbackStep, context), 'github-token': github.token },
        env: { ...awsEnvironment(ecs), GITHUB_API_URL: github.url, GITHUB_REPOSITORY: github.repository },
        event: exampleEvent('push', (p) => Boolean(p.head_commit)),
        timeoutMs: 90_000,
      });
      expect(read('failed-deployment-id')).toBe(sd.arn);
      expect(errors(rolledBack)).toEqual([]);
      expect(rolledBack.outputs.changed).toBe('false');
      expect(await serving(ecs.listeners.production)).toBe(blue);
      // The Roll back step refused the staged release at its pause and returned once ECS had rolled it back: it no
      // longer holds the test listener until ecs-pause-timeout. Production never served it.
      expect(ecs.serviceDeployments[0]).toMatchObject({ arn: sd.arn, status: 'ROLLBACK_SUCCESSFUL' });
      // Ended by the rollback's answer to its pause, not by the pause's own timeout; production never switched.
      const sent = ecs.calls.slice(callsBefore).map((c) => c.op);
      expect(sent.filter((op) => !/^(Describe|List)/.test(op))).toEqual(['ContinueServiceDeployment']);
      const green = sd.target.taskDefinition;
      const entry = github.deployments.find((d) => (d.payload as { release?: { id?: string } }).release?.id === green);
      expect(entry?.statuses[0]).toMatchObject({
        state: 'failure',
        description: 'staged release discarded: smoke test failed: / answered 500',
      });
      expect(await serving(ecs.listeners.test)).toBe(blue);
      expect(await serving(ecs.listeners.production)).toBe(blue);
      expect(ecs.served.filter((s) => s.listener === 'production' && s.taskDefinition !== blue)).toEqual([]);
    },
    120_000,
  );
});
