// The bake window's Prometheus metric gates in the workflows (issue 26, item 6): deploy-environment.yml and the
// production stage composite generated from it (actions/stage) take bake-prometheus-url, bake-prometheus-gates,
// bake-gates-no-data and the PROMETHEUS_HEADERS secret (prometheus-headers on the composite), hand them to the
// "Check the bake settings" step (smoke-test mode validate, before anything deploys) and to the bake window, and
// to no other step. Step conditions and values are evaluated with GitHub's own expression evaluator; the values
// the steps would get are read through smoke-test's own input reader.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import { readSmokeTestInputs } from '../actions/smoke-test/src/inputs.js';
import { substitute } from '../shared/metric-gates.js';
import { resolve, runs } from './workflow-expressions.js';
import { root } from './workflow-steps.js';

import {
  bakeStep,
  firstChange,
  type ProductionStage,
  SHA,
  STAGES,
  stageContext,
  validateStep,
  withOf,
} from './support-stage.js';

type Doc = Record<string, any>;

const load = (file: string): Doc => parse(readFileSync(join(root, file), 'utf8')) as Doc;

const GATE =
  '(sum(rate(http_requests_total{code=~"5.."}[1m])) or vector(0)) / sum(rate(http_requests_total[1m])) < 0.05';
const HEADERS = 'Authorization: Bearer prom-secret-token-0123456789';

type Stage = ProductionStage;

const contextOf = (stage: Stage, given: Record<string, unknown>, headers = '') =>
  stageContext(stage, given, { PROMETHEUS_HEADERS: headers });

const PRODUCTION = { environment: 'production', stage: 'production', project: 'prj_1', 'smoke-paths': '/health' };
const GATES_ON = { 'bake-prometheus-url': 'https://prometheus.example.com', 'bake-prometheus-gates': GATE };

describe.each(STAGES)('$file: the bake window reads Prometheus metric gates', (stage) => {
  it('declares the inputs and the headers secret', () => {
    for (const name of ['bake-prometheus-url', 'bake-prometheus-gates', 'bake-gates-no-data'])
      expect({ name, declared: Boolean(stage.inputs[name]) }).toEqual({ name, declared: true });
    expect(stage.inputs['bake-gates-no-data']!.default).toBe('fail');
    if (stage.file.endsWith('action.yml')) expect(stage.inputs['prometheus-headers']).toBeDefined();
    else expect(load(stage.file).on.workflow_call.secrets.PROMETHEUS_HEADERS).toBeDefined();
  });

  it("wires each input to the validate step and the bake step under smoke-test's names", () => {
    const wiring = {
      'prometheus-url': '${{ inputs.bake-prometheus-url }}',
      'prometheus-gates': '${{ inputs.bake-prometheus-gates }}',
      'gates-no-data': '${{ inputs.bake-gates-no-data }}',
      'prometheus-headers': stage.secretRef('PROMETHEUS_HEADERS'),
      release: '${{ github.sha }}',
    };
    for (const [which, step] of [
      ['validate', validateStep(stage)],
      ['bake', bakeStep(stage)],
    ] as const) {
      for (const [key, value] of Object.entries(wiring))
        expect({ which, key, value: step.with?.[key] }).toEqual({ which, key, value });
    }
  });

  it('hands the headers secret to those two steps only, on success and on failure', () => {
    const secretRef = stage.secretRef('PROMETHEUS_HEADERS').slice(4, -3);
    for (const step of stage.steps) {
      // A presence check (`secret != ''`, the preflight's HAS_PROMETHEUS_HEADERS) hands a step a boolean, not the value.
      const mentions = JSON.stringify(step).replaceAll(`${secretRef} != ''`, '').includes(secretRef);
      // deploy and promote carry it only for rolling-prometheus-gates (their stages' gates): resolved below, never here.
      const allowed =
        step === validateStep(stage) || step === bakeStep(stage) || step.id === 'deploy' || step.id === 'promote';
      expect({ step: step.id ?? step.name, mentions }).toEqual({ step: step.id ?? step.name, mentions: allowed });
    }
    // And resolved: the value reaches no other step's inputs or env, whichever steps run.
    for (const provider of ['vercel', 'railway', 'ecs']) {
      for (const status of ['success', 'failure', 'cancelled'] as const) {
        const context = contextOf(stage, { ...PRODUCTION, ...GATES_ON, provider }, HEADERS);
        const reached = stage.steps
          .filter((s) => runs(s.if, context, status))
          .filter((s) =>
            JSON.stringify(
              [s.with ?? {}, s.env ?? {}].map((m) => Object.values(m).map((v) => resolve(v, context, status))),
            ).includes('prom-secret-token'),
          )
          .map((s) => s.id ?? s.name);
        const expected = [...(status === 'success' ? ['Check the bake settings', 'bake'] : [])];
        expect({ provider, status, reached }).toEqual({ provider, status, reached: expected });
      }
    }
  });

  it('checks the gates before anything deploys, in every production stage that bakes', () => {
    const validate = stage.steps.indexOf(validateStep(stage));
    expect(validate).toBeGreaterThan(-1);
    expect(validate).toBeLessThan(firstChange(stage));
    for (const provider of ['vercel', 'netlify', 'railway', 'ecs']) {
      const context = contextOf(stage, { ...PRODUCTION, ...GATES_ON, provider });
      expect({
        provider,
        validates: runs(validateStep(stage).if, context, 'success'),
        bakes: runs(bakeStep(stage).if, context, 'success'),
      }).toEqual({ provider, validates: true, bakes: true });
    }
    // With the bake window off (or outside production) the gates are read by no step at all.
    for (const given of [{ 'bake-window': '0' }, { stage: 'staging' }]) {
      const context = contextOf(stage, { ...PRODUCTION, ...GATES_ON, provider: 'railway', ...given });
      expect({
        given,
        validates: runs(validateStep(stage).if, context, 'success'),
        bakes: runs(bakeStep(stage).if, context, 'success'),
      }).toEqual({ given, validates: false, bakes: false });
    }
  });

  it('gives the validate step what smoke-test needs to refuse a bad gate, and the bake step what it needs to read a good one', () => {
    const context = contextOf(stage, { ...PRODUCTION, ...GATES_ON, provider: 'railway' }, HEADERS);
    const validated = readSmokeTestInputs(withOf(validateStep(stage), context));
    expect(validated).toMatchObject({
      mode: 'validate',
      'prometheus-url': 'https://prometheus.example.com',
      'gates-no-data': 'fail',
      release: SHA,
    });
    expect(JSON.stringify(validated['prometheus-gates'])).toContain('http_requests_total');
    const baked = readSmokeTestInputs(withOf(bakeStep(stage), context));
    expect(baked).toMatchObject({
      mode: 'watch',
      'prometheus-url': 'https://prometheus.example.com',
      'prometheus-headers': { Authorization: 'Bearer prom-secret-token-0123456789' },
      'gates-no-data': 'fail',
      release: SHA,
    });
    expect(
      readSmokeTestInputs(
        withOf(
          bakeStep(stage),
          contextOf(stage, { ...PRODUCTION, ...GATES_ON, provider: 'railway', 'bake-gates-no-data': 'pass' }),
        ),
      )['gates-no-data'],
    ).toBe('pass');

    // A gate smoke-test cannot use (== is no operator), and headers over plain http, fail the validate step: before the deploy.
    const refused = (given: Record<string, unknown>, headers = '') => {
      try {
        readSmokeTestInputs(
          withOf(validateStep(stage), contextOf(stage, { ...PRODUCTION, provider: 'railway', ...given }, headers)),
        );
        return [];
      } catch (error) {
        return (error as { problems?: string[] }).problems ?? [String(error)];
      }
    };
    expect(
      refused({ ...GATES_ON, 'bake-prometheus-gates': 'sum(rate(http_requests_total[1m])) == 1' }).join('\n'),
    ).toMatch(/prometheus-gates/);
    expect(
      refused({ ...GATES_ON, 'bake-prometheus-url': 'http://prometheus.example.com' }, HEADERS).join('\n'),
    ).toMatch(/prometheus-url' must be an https URL/);
    expect(refused({ 'bake-prometheus-gates': GATE }).join('\n')).toMatch(/'prometheus-gates' needs 'prometheus-url'/);
    expect(refused({ ...GATES_ON, 'bake-gates-no-data': 'maybe' }).join('\n')).toMatch(/gates-no-data/);
    expect(refused(GATES_ON)).toEqual([]);
    // No gates at all: nothing Prometheus-related reaches smoke-test.
    expect(refused({})).toEqual([]);
  });

  it("lets ${previous} through the preflight: the bake reads it as the previous release's commit, from deploy's previous-sha", async () => {
    // The preflight leaves the gates to smoke-test's own check (mode validate), which lets ${previous} through.
    const preflight = stage.steps.find((s) => s.id === 'preflight')!;
    expect(JSON.stringify(preflight)).not.toMatch(/bake-prometheus-gates|BAKE_PROMETHEUS_GATES/);
    const comparing = `sum(rate(x{version="\${release}"}[5m])) / sum(rate(x{version="\${previous}"}[5m])) <= 1.5`;
    const gates = `${GATE}\n${comparing}`;
    const given = { ...PRODUCTION, ...GATES_ON, 'bake-prometheus-gates': gates };
    expect(
      readSmokeTestInputs(withOf(validateStep(stage), contextOf(stage, { ...given, provider: 'railway' })))[
        'prometheus-gates'
      ],
    ).toHaveLength(2);

    // The bake window reads ${previous} as the commit deploy (or, for a staged release, the promotion) named.
    const PREVIOUS = 'fedcba9876543210fedcba9876543210fedcba98';
    for (const provider of ['railway', 'vercel']) {
      const context = contextOf(stage, { ...given, provider }) as { steps: Record<string, Doc> };
      const from = provider === 'vercel' ? 'promote' : 'deploy';
      context.steps[from]!.outputs['previous-sha'] = PREVIOUS;
      const baked = readSmokeTestInputs(withOf(bakeStep(stage), context));
      expect({ provider, previous: baked['previous-release'] }).toEqual({ provider, previous: PREVIOUS });
      const gate = baked['prometheus-gates'][1]!;
      expect(substitute(gate, { release: baked.release, previous: baked['previous-release'] })).toBe(
        `sum(rate(x{version="${SHA}"}[5m])) / sum(rate(x{version="${PREVIOUS}"}[5m]))`,
      );
    }

    // The first deploy of an environment names no previous release: the bake window refuses the gate, naming the
    // input, before it reads anything (a refusal is no measured failure: nothing is rolled back).
    const first = contextOf(stage, { ...given, provider: 'railway' });
    expect(() => readSmokeTestInputs(withOf(bakeStep(stage), first))).toThrow(
      /uses \$\{previous\}: set 'previous-release'.*empty on an environment's first deploy/,
    );
  });
});

describe('the pipeline and the templates', () => {
  it("pipeline.yml takes no bake gate: staging and previews never bake, production is the caller's stage job", () => {
    const pipeline = load('.github/workflows/pipeline.yml');
    expect(Object.keys(pipeline.on.workflow_call.inputs).filter((k) => k.startsWith('bake-'))).toEqual([]);
    expect(JSON.stringify(pipeline)).not.toContain('PROMETHEUS_HEADERS');
  });

  it("the ECS template shows a Prometheus error-rate gate on the API's production stage, from vars and the environment's secret", () => {
    const file = 'workflow-templates/vercel-ecs-alembic.yml';
    const text = readFileSync(join(root, file), 'utf8');
    const doc = load(file);
    const stages = Object.entries<Doc>(doc.jobs).flatMap(([job, j]) =>
      (j.steps ?? [])
        .filter((s: Doc) => String(s.uses ?? '').includes('/actions/stage@'))
        .map((s: Doc) => ({ job, env: j.environment?.name ?? j.environment, step: s })),
    );
    const gated = stages.filter(({ step }) => step.with?.['bake-prometheus-gates']);
    expect(gated.map(({ env }) => env)).toEqual(['api-production']);
    expect(gated[0]!.step.with).toMatchObject({
      'bake-prometheus-url': '${{ vars.PROMETHEUS_URL }}',
      'bake-prometheus-gates': '${{ vars.BAKE_PROMETHEUS_GATES }}',
      'prometheus-headers': '${{ secrets.PROMETHEUS_HEADERS }}',
    });
    // The example gate in the comment is one smoke-test accepts.
    const example = /^\s*#\s+(\(sum\(rate\(http_requests_total.*< 0\.05)$/m.exec(text)?.[1];
    expect(example).toBeDefined();
    const read = (name: string) =>
      ({
        mode: 'validate',
        'validate-as': 'watch',
        'prometheus-url': 'https://prometheus.example.com',
        'prometheus-gates': example!,
      })[name] ?? '';
    expect(readSmokeTestInputs(read)['prometheus-gates']).toBeDefined();
  });
});
