// deploy's stage gate inputs (rolling-sentry-max-new-issues, rolling-prometheus-*, rolling-datadog-*,
// rolling-cloudwatch-alarms), checked in-process with every other input before anything changes: smoke-test's forms
// and rules under deploy's names, accepted where a stage reads them (a Vercel rolling release, an ECS progressive
// rollout, the production preflight of either) and refused where nothing does, every problem at once.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { readDeployInputs } from '../actions/deploy/src/inputs.js';
import { InputError } from '../shared/errors.js';

const ECS = {
  provider: 'ecs',
  cluster: 'prod',
  service: 'api',
  target: 'production',
  'ecs-strategy': 'canary',
  'verify-url': 'https://api.example.com',
};
const VERCEL = { provider: 'vercel', token: 'vercel-token', project: 'prj_1', target: 'production' };
const DATADOG = {
  'rolling-datadog-gates': 'sum:trace.http.request.errors{service:api,version:${previous}}.as_count() < 5',
  'rolling-datadog-monitors': '12345678\ntags:service:api,env:production',
  'rolling-datadog-api-key': 'dd-api-key-0123456789abcdef',
  'rolling-datadog-app-key': 'dd-app-key-0123456789abcdef0123',
};
const EVERY_GATE = {
  ...DATADOG,
  'rolling-prometheus-url': 'https://prometheus.example.com',
  'rolling-prometheus-gates':
    'sum(rate(http_requests_total{code=~"5.."}[1m])) / sum(rate(http_requests_total[1m])) < 0.05',
  'rolling-cloudwatch-alarms': 'api-5xx-rate\nprefix:api-',
  'aws-region': 'eu-west-1',
  'rolling-sentry-max-new-issues': '0',
  'sentry-org': 'acme',
  'sentry-project': 'api',
  'sentry-token': 'sntrys_token',
};

const read = (inputs: Record<string, string>) => readDeployInputs((name) => inputs[name] ?? '');

function problems(inputs: Record<string, string>): string[] {
  try {
    read(inputs);
  } catch (error) {
    if (error instanceof InputError) return error.problems;
    throw error;
  }
  return [];
}

// The region rule reads the environment's region; these tests decide it themselves.
const saved = { AWS_REGION: process.env.AWS_REGION, AWS_DEFAULT_REGION: process.env.AWS_DEFAULT_REGION };
beforeAll(() => {
  delete process.env.AWS_REGION;
  delete process.env.AWS_DEFAULT_REGION;
});
afterAll(() => {
  for (const [name, value] of Object.entries(saved)) if (value !== undefined) process.env[name] = value;
});

describe('stage gate inputs where a stage reads them', () => {
  test('an ECS canary takes every gate, parsed with smoke-test’s parsers', () => {
    const inputs = read({ ...ECS, ...EVERY_GATE });
    expect(inputs['rolling-datadog-gates']).toEqual([
      expect.objectContaining({ op: '<', threshold: 5, variables: ['previous'] }),
    ]);
    expect(inputs['rolling-datadog-monitors']).toEqual([{ id: 12345678 }, { tags: 'service:api,env:production' }]);
    expect(inputs['rolling-datadog-site']).toBe('datadoghq.com');
    expect(inputs['rolling-cloudwatch-alarms']).toEqual([{ name: 'api-5xx-rate' }, { prefix: 'api-' }]);
    expect(inputs['rolling-prometheus-gates']).toHaveLength(1);
    expect(inputs['rolling-sentry-max-new-issues']).toBe(0);
  });

  test.each([
    ['a Vercel production deploy', { ...VERCEL }],
    ['a Vercel promote', { ...VERCEL, command: 'promote', 'deployment-id': 'dpl_1', target: '' }],
    ['a staged Vercel deploy (its promote reads the same inputs)', { ...VERCEL, target: 'staged' }],
    ['an ECS blue/green deploy', { ...ECS, 'ecs-strategy': 'blue-green' }],
    ['an ECS linear deploy', { ...ECS, 'ecs-strategy': 'linear' }],
    ['the production preflight on ECS', { ...ECS, 'ecs-strategy': '', 'verify-url': '', command: 'preflight' }],
  ] as [string, Record<string, string>][])('%s takes them', (_, where) => {
    const preflight: Record<string, string> = where.command === 'preflight' ? { 'require-reviewers': 'false' } : {};
    expect(problems({ ...where, ...EVERY_GATE, ...preflight })).toEqual([]);
  });
});

describe('stage gate inputs where nothing reads them', () => {
  test.each([
    ['an ECS rolling update', { ...ECS, 'ecs-strategy': 'rolling', 'verify-url': '' }],
    ['a Vercel preview', { ...VERCEL, target: 'preview' }],
    ['Netlify', { provider: 'netlify', token: 't', project: 'site', target: 'production' }],
  ])('%s refuses them, naming each input given', (_, where) => {
    const found = problems({
      ...where,
      'rolling-datadog-monitors': '12345678',
      'rolling-datadog-api-key': 'k1234',
      'rolling-datadog-app-key': 'k5678',
      'rolling-cloudwatch-alarms': 'api-5xx-rate',
      'aws-region': 'eu-west-1',
    });
    expect(found).toEqual([
      "Inputs 'rolling-datadog-monitors', 'rolling-datadog-api-key', 'rolling-datadog-app-key', 'rolling-cloudwatch-alarms' are read at each stage of a Vercel rolling release (provider vercel, command promote or target production) or an ECS progressive rollout (provider ecs, ecs-strategy blue-green, canary or linear): nothing reads them here",
    ]);
  });

  test('the default Datadog site and an ECS aws-region alone are no gate inputs', () => {
    expect(problems({ ...ECS, 'ecs-strategy': '', 'verify-url': '', 'rolling-datadog-site': 'datadoghq.eu' })).toEqual(
      [],
    );
    expect(problems({ ...ECS, 'aws-region': 'eu-west-1' })).toEqual([]);
  });
});

describe('smoke-test’s rules under deploy’s names, every problem at once', () => {
  test('Datadog gates without keys, a bad monitor line, a bad site, keys over plain http and a malformed gate', () => {
    const found = problems({
      ...ECS,
      'rolling-datadog-gates': 'avg:system.load.1{*}',
      'rolling-datadog-monitors': 'twelve',
      'rolling-datadog-site': 'datadoghq.org',
    });
    expect(found).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^Input 'rolling-datadog-gates' must be '<metric query> <op> <number>'/),
        expect.stringMatching(/^Input 'rolling-datadog-monitors' must be monitor ids.*line 1 \('twelve'\)/),
        expect.stringMatching(/^Input 'rolling-datadog-site' must be one of datadoghq\.com/),
        "Input 'rolling-datadog-api-key' is required with 'rolling-datadog-gates' or 'rolling-datadog-monitors' (Datadog's API key, a secret)",
        "Input 'rolling-datadog-app-key' is required with 'rolling-datadog-gates' or 'rolling-datadog-monitors' (Datadog's application key, a secret)",
      ]),
    );
    expect(found).toHaveLength(5);
    const plain = problems({ ...ECS, ...DATADOG, 'rolling-datadog-api-url': 'http://datadog.example.com' });
    expect(plain).toEqual([expect.stringMatching(/^Input 'rolling-datadog-api-url' must be an https URL/)]);
    // Keys without anything to read with them.
    expect(problems({ ...ECS, 'rolling-datadog-api-key': 'k1234' })).toEqual([
      expect.stringMatching(
        /^Input 'rolling-datadog-api-key' is for Datadog gates: set 'rolling-datadog-gates' .* or 'rolling-datadog-monitors' too$/,
      ),
    ]);
  });

  test('${previous} is deploy’s own (the release production served): never asked for; the preflight needs no keys', () => {
    expect(problems({ ...VERCEL, ...DATADOG })).toEqual([]);
    expect(
      problems({
        ...VERCEL,
        command: 'preflight',
        'require-reviewers': 'false',
        'rolling-datadog-gates': DATADOG['rolling-datadog-gates'],
      }),
    ).toEqual([]);
  });

  test('CloudWatch alarms need a region (input or environment) at a deploy, not at the preflight; a bad line is named', () => {
    expect(problems({ ...VERCEL, 'rolling-cloudwatch-alarms': 'api-5xx-rate' })).toEqual([
      "Input 'rolling-cloudwatch-alarms' needs a region: set 'aws-region' (e.g. eu-west-1), or run aws-actions/configure-aws-credentials with aws-region before this step",
    ]);
    expect(
      problems({
        ...VERCEL,
        command: 'preflight',
        'require-reviewers': 'false',
        'rolling-cloudwatch-alarms': 'api-5xx-rate',
      }),
    ).toEqual([]);
    process.env.AWS_REGION = 'eu-west-1';
    try {
      expect(problems({ ...VERCEL, 'rolling-cloudwatch-alarms': 'api-5xx-rate' })).toEqual([]);
    } finally {
      delete process.env.AWS_REGION;
    }
    expect(
      problems({ ...ECS, 'aws-region': 'eu-west-1', 'rolling-cloudwatch-alarms': 'api-5xx-rate\napi-5xx-rate' }),
    ).toEqual([
      expect.stringMatching(
        /^Input 'rolling-cloudwatch-alarms' must be alarm names.*line 2 .* repeats an earlier line/,
      ),
    ]);
  });

  test('every problem of every gate and of where they are given, in one answer', () => {
    const found = problems({
      provider: 'netlify',
      token: 't',
      project: 'site',
      target: 'production',
      'rolling-prometheus-gates': 'up < 1',
      'rolling-datadog-monitors': '12345678',
      'rolling-cloudwatch-alarms': 'api-5xx-rate',
      'rolling-sentry-max-new-issues': '0',
    });
    expect(found).toEqual([
      expect.stringMatching(
        /^Inputs 'rolling-sentry-max-new-issues', 'rolling-prometheus-gates', .* nothing reads them here$/,
      ),
      "Input 'rolling-sentry-max-new-issues' reads Sentry: set sentry-org, sentry-project and sentry-token too",
      expect.stringMatching(/^Input 'rolling-prometheus-gates' needs 'rolling-prometheus-url'/),
      expect.stringMatching(/^Input 'rolling-datadog-api-key' is required/),
      expect.stringMatching(/^Input 'rolling-datadog-app-key' is required/),
      expect.stringMatching(/^Input 'rolling-cloudwatch-alarms' needs a region/),
    ]);
  });
});
