// The stage gates in the workflows: deploy-environment.yml (and the stage composite generated from it) hands deploy's
// rolling-* gate inputs (Sentry new issues, Prometheus, Datadog metric gates and monitors, CloudWatch alarms) to the
// step that reads them - the promote of a staged Vercel release, a target production Vercel deploy, the Deploy of an
// ECS progressive rollout (ecs-strategy blue-green, canary or linear) - and to nothing else: deploy refuses them
// anywhere else, and the preflight names them first. The Datadog keys reach only the step that reads a Datadog gate.
// The production gate (deploy's preflight) checks their forms before any migration. What reaches each step is
// evaluated with GitHub's expression evaluator for every stage, provider, target, strategy and event; the preflight
// script runs as the runner runs it; the production gate runs through deploy's bundle.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { parse } from 'yaml';
import { runBundle } from '../cli/local-runner.js';
import { resolve, runs } from './workflow-expressions.js';
import { type Doc, loadWorkflow, root, runScript } from './workflow-steps.js';
import { closedPort, errors, exampleEvent } from './support.js';
import {
  bakeStep,
  firstChange,
  preflightStep,
  type ProductionStage,
  STAGES,
  stageContext,
  withOf,
} from './support-stage.js';

const deployAction = parse(readFileSync(join(root, 'actions/deploy/action.yml'), 'utf8')) as Doc;

/** The gates as a person would set them on the production stage (workflow input names). */
const GATES: Record<string, string> = {
  'rolling-sentry-max-new-issues': '0',
  'rolling-prometheus-url': 'https://prometheus.example.com',
  'rolling-prometheus-gates': 'sum(rate(http_requests_total{code=~"5.."}[1m])) < 1',
  'rolling-datadog-gates': 'sum:trace.http.request.errors{service:api,env:production}.as_count() < 5',
  'rolling-datadog-monitors': '12345678',
  'rolling-datadog-site': 'datadoghq.eu',
  'rolling-cloudwatch-alarms': 'api-5xx',
};
/** The deploy inputs that carry a gate's secret, and the secret each comes from. */
const GATE_SECRETS: Record<string, string> = {
  'rolling-prometheus-headers': 'PROMETHEUS_HEADERS',
  'rolling-datadog-api-key': 'DATADOG_API_KEY',
  'rolling-datadog-app-key': 'DATADOG_APP_KEY',
};
const SECRETS: Record<string, string> = {
  PROMETHEUS_HEADERS: 'Authorization: Bearer prom-t0ken-0123456789',
  DATADOG_API_KEY: 'dd-api-key-0123456789abcdef0123',
  DATADOG_APP_KEY: 'dd-app-key-fedcba9876543210fedcba98',
  SENTRY_AUTH_TOKEN: 'sntrys_0123456789abcdef',
  AWS_ROLE_TO_ASSUME: 'arn:aws:iam::123456789012:role/deploy',
};
const SENTRY = { 'sentry-org': 'acme', 'sentry-project': 'api' };
/** What a production stage needs on each provider, besides the gates. */
const PROVIDER_INPUTS: Record<string, Record<string, string>> = {
  vercel: { project: 'prj_1' },
  netlify: { project: 'site_1' },
  railway: { project: 'p1', 'railway-environment': 'e1', services: 's1' },
  ecs: {
    cluster: 'prod',
    service: 'api',
    'aws-region': 'eu-west-1',
    images: 'app=repo/app:1',
    'verify-url': 'https://api.example.com',
  },
};
const STRATEGIES = ['', 'rolling', 'canary', 'blue-green', 'linear'];
const ALL_GATE_INPUTS = [...Object.keys(GATES), ...Object.keys(GATE_SECRETS)];

const step = (stage: ProductionStage, id: string) => stage.steps.find((s) => s.id === id)!;
const productionGate = (stage: ProductionStage) =>
  stage.steps.find((s) => String(s.uses ?? '').endsWith('/actions/deploy') && s.with?.command === 'preflight')!;

interface Case {
  stage: string;
  provider: string;
  target: string;
  strategy: string;
  event: string;
}

/** Every stage × provider × target × ecs-strategy × event. */
function* cases(): Generator<Case> {
  for (const event of ['push', 'workflow_dispatch', 'pull_request'])
    for (const stage of ['preview', 'staging', 'production'])
      for (const provider of ['vercel', 'ecs', 'railway', 'netlify'])
        for (const target of ['', 'production', 'staged', 'preview'])
          for (const strategy of provider === 'ecs' ? STRATEGIES : [''])
            yield { stage, provider, target, strategy, event };
}

function contextOf(stage: ProductionStage, c: Case, given: Record<string, string> = GATES) {
  const context = stageContext(
    stage,
    {
      ...PROVIDER_INPUTS[c.provider],
      ...SENTRY,
      ...given,
      environment: 'production',
      stage: c.stage,
      provider: c.provider,
      target: c.target,
      'ecs-strategy': c.strategy,
    },
    SECRETS,
  );
  (context.github as Doc).event_name = c.event;
  return context;
}

/** Where deploy reads the gates (actions/deploy/src/stage-gates.ts), as the workflow's target resolves. */
function readers(c: Case): string[] {
  if (c.stage !== 'production') return [];
  if (c.provider === 'vercel') {
    if (c.target === 'production') return ['deploy'];
    if (c.target === '' || c.target === 'staged') return ['promote'];
    return [];
  }
  const progressive = ['canary', 'blue-green', 'linear'].includes(c.strategy);
  return c.provider === 'ecs' && progressive && (c.target === '' || c.target === 'production') ? ['deploy'] : [];
}

/** The gate inputs each step that runs would get, non-empty only. */
function gatesReaching(stage: ProductionStage, c: Case, given: Record<string, string> = GATES) {
  const context = contextOf(stage, c, given);
  const reached: Record<string, string[]> = {};
  for (const s of stage.steps) {
    if (!runs(s.if, context, 'success')) continue;
    const value = withOf(s, context);
    const names = ALL_GATE_INPUTS.filter((n) => value(n) !== '');
    if (names.length > 0) reached[s.id ?? s.name] = names;
  }
  return reached;
}

const label = (stage: ProductionStage, c: Case) =>
  `${stage.file}: ${c.event} ${c.stage} ${c.provider} target '${c.target}' ecs-strategy '${c.strategy}'`;

describe.each(STAGES)('$file: the stage gates reach the step that reads them, and no other', (stage) => {
  test('declares every gate input of deploy (string, empty by default), the keys as secrets', () => {
    const gateInputs = Object.keys(deployAction.inputs as Doc).filter((n) =>
      /^rolling-(sentry|prometheus|datadog|cloudwatch)-/.test(n),
    );
    // rolling-datadog-api-url points deploy at a loopback Datadog stand-in in tests: no pipeline input.
    expect(gateInputs.sort()).toEqual([...ALL_GATE_INPUTS, 'rolling-datadog-api-url'].sort());
    for (const name of Object.keys(GATES))
      expect({ name, input: stage.inputs[name] }).toEqual({
        name,
        input: expect.objectContaining({ default: '' }),
      });
    const secretInputs = stage.file.endsWith('action.yml')
      ? Object.values(GATE_SECRETS).map((s) => s.toLowerCase().replaceAll('_', '-'))
      : [];
    for (const name of secretInputs)
      expect({ name, declared: Boolean(stage.inputs[name]) }).toEqual({
        name,
        declared: true,
      });
  });

  test('for every event, stage, provider, target and ecs-strategy: all the gates and their secrets reach exactly the step that reads them', () => {
    for (const c of cases()) {
      const reached = gatesReaching(stage, c);
      const expected: Record<string, string[]> = Object.fromEntries(readers(c).map((id) => [id, ALL_GATE_INPUTS]));
      // The production gate checks their forms before anything deploys: the gates without their secrets, and
      // without the Sentry gate (whose rules need the Sentry inputs, which the preflight script checks).
      if (readers(c).length > 0)
        expected[productionGate(stage).name] = Object.keys(GATES).filter((n) => n !== 'rolling-sentry-max-new-issues');
      expect({ at: label(stage, c), reached }).toEqual({
        at: label(stage, c),
        reached: expected,
      });
    }
  });

  test('the values are the ones given, the secrets from their secret', () => {
    const check = (c: Case, id: string) => {
      const value = withOf(step(stage, id), contextOf(stage, c));
      for (const [name, given] of Object.entries(GATES)) expect([id, name, value(name)]).toEqual([id, name, given]);
      for (const [name, secret] of Object.entries(GATE_SECRETS))
        expect([id, name, value(name)]).toEqual([id, name, SECRETS[secret]]);
    };
    check(
      {
        event: 'push',
        stage: 'production',
        provider: 'vercel',
        target: '',
        strategy: '',
      },
      'promote',
    );
    check(
      {
        event: 'push',
        stage: 'production',
        provider: 'vercel',
        target: 'production',
        strategy: '',
      },
      'deploy',
    );
    for (const strategy of ['canary', 'blue-green', 'linear'])
      check(
        {
          event: 'push',
          stage: 'production',
          provider: 'ecs',
          target: '',
          strategy,
        },
        'deploy',
      );
  });

  test('the Datadog keys go only with a Datadog gate: other gates alone take no key', () => {
    const vercel: Case = {
      event: 'push',
      stage: 'production',
      provider: 'vercel',
      target: '',
      strategy: '',
    };
    const ecs: Case = {
      event: 'push',
      stage: 'production',
      provider: 'ecs',
      target: '',
      strategy: 'canary',
    };
    for (const [c, id] of [
      [vercel, 'promote'],
      [ecs, 'deploy'],
    ] as const) {
      const prometheusOnly = {
        'rolling-prometheus-url': GATES['rolling-prometheus-url']!,
        'rolling-prometheus-gates': GATES['rolling-prometheus-gates']!,
      };
      expect(gatesReaching(stage, c, prometheusOnly)[id]).toEqual([
        'rolling-prometheus-url',
        'rolling-prometheus-gates',
        'rolling-prometheus-headers',
      ]);
      // Monitors alone (no metric gate) read Datadog too, with both keys.
      expect(gatesReaching(stage, c, { 'rolling-datadog-monitors': '42' })[id]).toEqual([
        'rolling-datadog-monitors',
        'rolling-datadog-api-key',
        'rolling-datadog-app-key',
      ]);
    }
  });

  // The bake window reads its own Datadog gates with the same keys (test/workflows-datadog-gates.test.ts).
  test('no step but the one that reads a Datadog stage gate gets the keys, on success or failure', () => {
    const keys = [SECRETS.DATADOG_API_KEY!, SECRETS.DATADOG_APP_KEY!];
    for (const c of cases()) {
      for (const status of ['success', 'failure', 'cancelled'] as const) {
        const context = contextOf(stage, c);
        const got = stage.steps
          .filter((s) => s !== bakeStep(stage) && runs(s.if, context, status))
          .filter((s) => {
            const values = JSON.stringify(
              [s.with ?? {}, s.env ?? {}].map((m) => Object.values(m).map((v) => resolve(v, context, status))),
            );
            return keys.some((k) => values.includes(k));
          })
          .map((s) => s.id ?? s.name);
        expect({ at: `${label(stage, c)} (${status})`, got }).toEqual({
          at: `${label(stage, c)} (${status})`,
          got: status === 'success' ? readers(c) : [],
        });
      }
    }
    // Named in the steps' text only by those that read them (and by the preflight, as a comparison with '').
    for (const secret of ['DATADOG_API_KEY', 'DATADOG_APP_KEY']) {
      const inner = stage.secretRef(secret).slice(4, -3);
      const naming = stage.steps
        .filter((s) => JSON.stringify(s).replaceAll(`${inner} != ''`, '').includes(inner))
        .map((s) => s.id ?? s.name);
      expect(naming).toEqual(['deploy', 'promote', bakeStep(stage).id]);
    }
  });

  test('the production gate gets the gates before anything changes', () => {
    expect(stage.steps.indexOf(productionGate(stage))).toBeLessThan(firstChange(stage));
  });
});

/** The problems the stage's Preflight step names (its `::error` lines), its env resolved for these inputs. */
async function preflightProblems(
  stage: ProductionStage,
  c: Case,
  given: Record<string, string>,
  secrets: Record<string, string> = SECRETS,
): Promise<string[]> {
  const s = preflightStep(stage);
  const context = stageContext(
    stage,
    {
      ...PROVIDER_INPUTS[c.provider],
      ...given,
      environment: 'production',
      stage: c.stage,
      provider: c.provider,
      target: c.target,
      'ecs-strategy': c.strategy,
    },
    secrets,
  );
  const env = Object.fromEntries(Object.entries<string>(s.env).map(([k, v]) => [k, String(resolve(v, context) ?? '')]));
  const run = await runScript(String(s.run), env);
  return [...run.log.matchAll(/^::error title=shipline preflight::(.*)$/gm)].map((m) => m[1]!);
}
const gateProblems = (problems: string[]) =>
  problems.filter((p) => /rolling-|DATADOG/.test(p) && !p.startsWith('input vercel-rolling-stages'));

describe.each(STAGES)('$file: the preflight refuses gates where nothing reads them', (stage) => {
  const GATE_NAMES = Object.keys(GATES).filter((n) => n !== 'rolling-datadog-site');
  const withSentry = { ...GATES, ...SENTRY };

  test.each([
    ['a preview', { stage: 'preview', provider: 'vercel', target: '', strategy: '' }],
    ['a Vercel staging preview', { stage: 'staging', provider: 'vercel', target: '', strategy: '' }],
    [
      'a Vercel production stage deployed as a preview',
      {
        stage: 'production',
        provider: 'vercel',
        target: 'preview',
        strategy: '',
      },
    ],
    ['another provider', { stage: 'production', provider: 'railway', target: '', strategy: '' }],
    ['Netlify', { stage: 'production', provider: 'netlify', target: '', strategy: '' }],
    ['an ECS rolling update (no strategy)', { stage: 'production', provider: 'ecs', target: '', strategy: '' }],
    [
      'an ECS rolling update',
      {
        stage: 'production',
        provider: 'ecs',
        target: '',
        strategy: 'rolling',
      },
    ],
    ['an ECS staging stage', { stage: 'staging', provider: 'ecs', target: '', strategy: '' }],
    [
      'a staged ECS release',
      {
        stage: 'production',
        provider: 'ecs',
        target: 'staged',
        strategy: 'canary',
      },
    ],
  ] as [string, Omit<Case, 'event'>][])('%s: names each gate input given', async (_, c) => {
    const problems = gateProblems(await preflightProblems(stage, { event: 'push', ...c }, withSentry));
    expect(problems).toEqual(
      GATE_NAMES.map((name) =>
        expect.stringMatching(
          new RegExp(
            `^input ${name} is read at each stage of a Vercel rolling release \\(stage production on provider vercel, not a preview\\) or at each pause of an ECS progressive rollout .*: nothing reads it with stage '${c.stage}', provider '${c.provider}'`,
          ),
        ),
      ),
    );
  });

  test.each([
    ['a Vercel production stage', { stage: 'production', provider: 'vercel', target: '', strategy: '' }],
    [
      'a target production Vercel deploy',
      {
        stage: 'production',
        provider: 'vercel',
        target: 'production',
        strategy: '',
      },
    ],
    [
      'an ECS canary',
      {
        stage: 'production',
        provider: 'ecs',
        target: '',
        strategy: 'canary',
      },
    ],
    [
      'an ECS blue/green',
      {
        stage: 'production',
        provider: 'ecs',
        target: 'production',
        strategy: 'blue-green',
      },
    ],
    [
      'an ECS linear rollout',
      {
        stage: 'production',
        provider: 'ecs',
        target: '',
        strategy: 'Linear',
      },
    ],
  ] as [string, Omit<Case, 'event'>][])('%s: takes them', async (_, c) => {
    expect(gateProblems(await preflightProblems(stage, { event: 'push', ...c }, withSentry))).toEqual([]);
  });

  test('where read, a Datadog gate needs both keys and the Sentry gate needs Sentry', async () => {
    const ecs: Case = {
      event: 'push',
      stage: 'production',
      provider: 'ecs',
      target: '',
      strategy: 'canary',
    };
    const noKeys = { ...SECRETS, DATADOG_API_KEY: '', DATADOG_APP_KEY: '' };
    const missing = (given: Record<string, string>) => preflightProblems(stage, ecs, given, noKeys).then(gateProblems);
    const datadogGates: Record<string, string>[] = [
      { 'rolling-datadog-gates': GATES['rolling-datadog-gates']! },
      { 'rolling-datadog-monitors': '42' },
    ];
    for (const given of datadogGates)
      expect(await missing({ ...SENTRY, ...given })).toEqual([
        expect.stringMatching(/^secret DATADOG_API_KEY is empty in environment 'production'/),
        expect.stringMatching(/^secret DATADOG_APP_KEY is empty in environment 'production'/),
      ]);
    // Keys unset but no Datadog gate: nothing to ask.
    expect(await missing({ ...SENTRY, 'rolling-cloudwatch-alarms': 'api-5xx' })).toEqual([]);
    expect(
      await preflightProblems(stage, ecs, {
        'rolling-sentry-max-new-issues': '0',
      }),
    ).toContain(
      'input rolling-sentry-max-new-issues needs Sentry: set sentry-project and sentry-org (e.g. vars.SENTRY_PROJECT, vars.SENTRY_ORG) and the SENTRY_AUTH_TOKEN secret',
    );
  });
  test('where read, Prometheus headers (a secret) go over https only, plain http only to a loopback address', async () => {
    const ecs: Case = { event: 'push', stage: 'production', provider: 'ecs', target: '', strategy: 'canary' };
    const gates = (url: string) => ({ 'rolling-prometheus-url': url, 'rolling-prometheus-gates': 'up < 1' });
    const refusal =
      'input rolling-prometheus-url must be an https URL when the PROMETHEUS_HEADERS secret is set (they carry credentials; plain http only to localhost)';
    expect(await preflightProblems(stage, ecs, gates('http://prometheus.internal:9090'))).toContain(refusal);
    for (const url of ['https://prometheus.internal', 'http://127.0.0.1:9090/', 'http://localhost:9090'])
      expect([url, await preflightProblems(stage, ecs, gates(url))]).toEqual([
        url,
        expect.not.arrayContaining([refusal]),
      ]);
    const noHeaders = { ...SECRETS, PROMETHEUS_HEADERS: '' };
    expect(await preflightProblems(stage, ecs, gates('http://prometheus.internal:9090'), noHeaders)).not.toContain(
      refusal,
    );
  });
});

describe("the production gate checks the gates' forms with deploy's own rules, before anything changes", () => {
  const [workflowStage] = STAGES;
  /** Runs deploy's preflight with the production gate's inputs resolved for this case (the provider unreachable). */
  async function productionGateProblems(c: Case, given: Record<string, string>) {
    const context = contextOf(workflowStage!, c, given);
    const value = withOf(productionGate(workflowStage!), context);
    const inputs = Object.fromEntries(
      Object.keys(productionGate(workflowStage!).with as Doc)
        .map((k) => [k, value(k)] as const)
        .filter(([, v]) => v !== ''),
    );
    const closed = `http://127.0.0.1:${await closedPort()}`;
    const result = await runBundle({
      action: 'deploy',
      inputs: { ...inputs, 'require-reviewers': 'false', 'api-url': closed },
      env: {
        AWS_ENDPOINT_URL: closed,
        AWS_ENDPOINT_URL_ECS: closed,
        AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
        AWS_SECRET_ACCESS_KEY: 'secret',
        AWS_EC2_METADATA_DISABLED: 'true',
        AWS_CONFIG_FILE: '/nonexistent/aws-config',
        AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/aws-credentials',
      },
      event: exampleEvent('push', (p) => Boolean(p.head_commit)),
    });
    return errors(result).filter((e) => e.includes('rolling-'));
  }
  const BAD = {
    'rolling-prometheus-url': 'https://prometheus.example.com',
    'rolling-prometheus-gates': 'error rate is low',
    'rolling-datadog-gates': 'avg:latency{*} about 3',
    'rolling-datadog-site': 'datadoghq.example',
  };

  test.each([
    [
      'Vercel',
      {
        event: 'push',
        stage: 'production',
        provider: 'vercel',
        target: '',
        strategy: '',
      },
    ],
    [
      'an ECS canary',
      {
        event: 'push',
        stage: 'production',
        provider: 'ecs',
        target: '',
        strategy: 'canary',
      },
    ],
  ] as [string, Case][])(
    '%s: gates deploy cannot read are named there',
    async (_, c) => {
      const problems = (await productionGateProblems(c, BAD)).join('\n');
      for (const name of ['rolling-prometheus-gates', 'rolling-datadog-gates', 'rolling-datadog-site'])
        expect([name, problems.includes(`'${name}'`)]).toEqual([name, true]);
      // Good gates are no problem of the preflight's (which then fails only on the closed port it asks).
      expect(await productionGateProblems(c, GATES)).toEqual([]);
    },
    60_000,
  );
});

describe('the ECS starter template', () => {
  const template = loadWorkflow('workflow-templates/ecs-canary.yml');
  const stageStep = (template.jobs.production.steps as Doc[]).find((s) => String(s.uses).includes('/actions/stage@'))!;
  const [, composite] = STAGES;
  /** The composite's inputs as the template gives them, for these variables. */
  const given = (vars: Record<string, string>) =>
    Object.fromEntries(
      Object.entries<unknown>(stageStep.with).map(([k, v]) => [
        k,
        String(
          resolve(v, {
            vars,
            secrets: {},
            needs: { image: { outputs: { image: 'repo/app:1' } } },
          }) ?? '',
        ),
      ]),
    );

  test('reads CloudWatch alarms at the canary pause from a variable, and none while it is unset', async () => {
    expect(stageStep.with['rolling-cloudwatch-alarms']).toBe('${{ vars.PRODUCTION_CLOUDWATCH_ALARMS }}');
    const base = {
      AWS_REGION: 'eu-west-1',
      PRODUCTION_URL: 'https://api.example.com',
    };
    const deployGets = (vars: Record<string, string>) =>
      withOf(step(composite!, 'deploy'), stageContext(composite!, given(vars), SECRETS))('rolling-cloudwatch-alarms');
    expect(deployGets(base)).toBe('');
    expect(deployGets({ ...base, PRODUCTION_CLOUDWATCH_ALARMS: 'prefix:api-prod-' })).toBe('prefix:api-prod-');
    // Set, it is a gate the preflight takes: the template's stage reads it.
    const c: Case = {
      event: 'push',
      stage: 'production',
      provider: 'ecs',
      target: '',
      strategy: 'canary',
    };
    const vars = { ...base, PRODUCTION_CLOUDWATCH_ALARMS: 'prefix:api-prod-' };
    expect(gateProblems(await preflightProblems(composite!, c, given(vars)))).toEqual([]);
  });
});
