// The bake window's Datadog gates in the workflows (issue 26, items 2 and 6): deploy-environment.yml and the
// production stage composite generated from it (actions/stage) take bake-datadog-gates, bake-datadog-monitors,
// bake-datadog-site and the DATADOG_API_KEY / DATADOG_APP_KEY secrets (datadog-api-key, datadog-app-key on the
// composite). The gates and the site go to the "Check the bake settings" step (smoke-test mode validate, before
// anything deploys) and to the bake window; the keys to the bake window only, the preflight checking that they are
// set. Step conditions and values are evaluated with GitHub's own expression evaluator; the values the steps would
// get are read through smoke-test's own input reader.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import { readSmokeTestInputs } from '../actions/smoke-test/src/inputs.js';
import { resolve, runs } from './workflow-expressions.js';
import { root, runScript } from './workflow-steps.js';

import {
  bakeStep,
  firstChange,
  preflightStep,
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
  'sum:trace.http.request.errors{service:api,env:production}.as_count() / sum:trace.http.request.hits{service:api,env:production}.as_count() < 0.05';
const API_KEY = 'dd-api-key-0123456789abcdef0123';
const APP_KEY = 'dd-app-key-fedcba9876543210fedcba98';

type Stage = ProductionStage;

const contextOf = (stage: Stage, given: Record<string, unknown>, keys = { api: '', app: '' }) =>
  stageContext(stage, given, { DATADOG_API_KEY: keys.api, DATADOG_APP_KEY: keys.app });

/** A step's env as the runner would resolve it. */
function envOf(step: Doc, context: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries<unknown>(step.env ?? {}).map(([k, v]) => [k, String(resolve(v, context, 'success') ?? '')]),
  );
}

const PRODUCTION = { environment: 'production', stage: 'production', project: 'prj_1', 'smoke-paths': '/health' };
const GATES_ON = {
  'bake-datadog-gates': GATE,
  'bake-datadog-monitors': '12345678\ntags:service:api,env:production',
  'bake-datadog-site': 'datadoghq.eu',
};
const KEYS = { api: API_KEY, app: APP_KEY };

describe.each(STAGES)('$file: the bake window reads Datadog gates', (stage) => {
  it('declares the inputs and the two key secrets', () => {
    for (const name of ['bake-datadog-gates', 'bake-datadog-monitors', 'bake-datadog-site'])
      expect({ name, declared: Boolean(stage.inputs[name]) }).toEqual({ name, declared: true });
    expect(stage.inputs['bake-datadog-site']!.default).toBe('datadoghq.com');
    if (stage.file.endsWith('action.yml')) {
      expect(stage.inputs['datadog-api-key']).toBeDefined();
      expect(stage.inputs['datadog-app-key']).toBeDefined();
    } else {
      const secrets = load(stage.file).on.workflow_call.secrets;
      expect([Boolean(secrets.DATADOG_API_KEY), Boolean(secrets.DATADOG_APP_KEY)]).toEqual([true, true]);
    }
  });

  it("wires the gates and the site to the validate and bake steps, and the keys to the bake step, under smoke-test's names", () => {
    const settings = {
      'datadog-gates': '${{ inputs.bake-datadog-gates }}',
      'datadog-monitors': '${{ inputs.bake-datadog-monitors }}',
      'datadog-site': '${{ inputs.bake-datadog-site }}',
      'gates-no-data': '${{ inputs.bake-gates-no-data }}',
      release: '${{ github.sha }}',
    };
    for (const [which, step] of [
      ['validate', validateStep(stage)],
      ['bake', bakeStep(stage)],
    ] as const)
      for (const [key, value] of Object.entries(settings))
        expect({ which, key, value: step.with?.[key] }).toEqual({ which, key, value });
    expect(bakeStep(stage).with).toMatchObject({
      'datadog-api-key': stage.secretRef('DATADOG_API_KEY'),
      'datadog-app-key': stage.secretRef('DATADOG_APP_KEY'),
    });
    expect(validateStep(stage).with['datadog-api-key']).toBeUndefined();
    expect(validateStep(stage).with['datadog-app-key']).toBeUndefined();
  });

  it('hands the keys to the bake step only, on success and on failure; the preflight sees only whether they are set', () => {
    // Deploy and its promote name them too, for the stage gates' rolling-datadog-* (test/workflows-stage-gates.test.ts),
    // and get them only with one of those: never for the bake window's gates, as the runs below show.
    const stageGateReaders = ['deploy', 'promote'];
    for (const ref of [stage.secretRef('DATADOG_API_KEY'), stage.secretRef('DATADOG_APP_KEY')]) {
      const inner = ref.slice(4, -3);
      for (const step of stage.steps) {
        const text = JSON.stringify(step);
        // The preflight names the secret only in a comparison with '' (a boolean, never the value).
        const mentions = text.replaceAll(`${inner} != ''`, '').includes(inner);
        expect({ step: step.id ?? step.name, mentions }).toEqual({
          step: step.id ?? step.name,
          mentions: step === bakeStep(stage) || stageGateReaders.includes(step.id),
        });
      }
    }
    for (const provider of ['vercel', 'railway', 'ecs']) {
      for (const status of ['success', 'failure', 'cancelled'] as const) {
        const context = contextOf(stage, { ...PRODUCTION, ...GATES_ON, provider }, KEYS);
        const reached = stage.steps
          .filter((s) => runs(s.if, context, status))
          .filter((s) => {
            const values = JSON.stringify(
              [s.with ?? {}, s.env ?? {}].map((m) => Object.values(m).map((v) => resolve(v, context, status))),
            );
            return values.includes(API_KEY) || values.includes(APP_KEY);
          })
          .map((s) => s.id ?? s.name);
        expect({ provider, status, reached }).toEqual({
          provider,
          status,
          reached: status === 'success' ? ['bake'] : [],
        });
      }
    }
    const preflight = envOf(preflightStep(stage), contextOf(stage, { ...PRODUCTION, ...GATES_ON }, KEYS));
    expect([preflight.HAS_DATADOG_API_KEY, preflight.HAS_DATADOG_APP_KEY]).toEqual(['true', 'true']);
  });

  it('checks the gates before anything deploys, and reads them in the bake window, in every production stage that bakes', () => {
    expect(stage.steps.indexOf(validateStep(stage))).toBeLessThan(firstChange(stage));
    expect(stage.steps.indexOf(preflightStep(stage))).toBeLessThan(firstChange(stage));
    for (const provider of ['vercel', 'netlify', 'railway', 'ecs']) {
      const context = contextOf(stage, { ...PRODUCTION, ...GATES_ON, provider }, KEYS);
      expect({
        provider,
        validates: runs(validateStep(stage).if, context, 'success'),
        bakes: runs(bakeStep(stage).if, context, 'success'),
      }).toEqual({ provider, validates: true, bakes: true });
    }
  });

  it('gives the validate step what smoke-test needs to refuse a bad gate, and the bake step what it needs to read a good one', () => {
    const context = contextOf(stage, { ...PRODUCTION, ...GATES_ON, provider: 'railway' }, KEYS);
    const validated = readSmokeTestInputs(withOf(validateStep(stage), context));
    expect(validated).toMatchObject({ mode: 'validate', 'datadog-site': 'datadoghq.eu', release: SHA });
    expect(validated['datadog-monitors']).toEqual([{ id: 12345678 }, { tags: 'service:api,env:production' }]);
    expect(validated['datadog-gates'].map((g) => g.line)).toEqual([GATE]);
    const baked = readSmokeTestInputs(withOf(bakeStep(stage), context));
    expect(baked).toMatchObject({
      mode: 'watch',
      'datadog-site': 'datadoghq.eu',
      'datadog-api-key': API_KEY,
      'datadog-app-key': APP_KEY,
      'gates-no-data': 'fail',
      release: SHA,
    });
    expect(baked['datadog-gates'].map((g) => g.line)).toEqual([GATE]);
    // The default site, when the caller gives none.
    const { 'bake-datadog-site': _site, ...noSite } = GATES_ON;
    expect(
      readSmokeTestInputs(
        withOf(bakeStep(stage), contextOf(stage, { ...PRODUCTION, ...noSite, provider: 'railway' }, KEYS)),
      )['datadog-site'],
    ).toBe('datadoghq.com');

    const refused = (given: Record<string, unknown>) => {
      try {
        readSmokeTestInputs(
          withOf(validateStep(stage), contextOf(stage, { ...PRODUCTION, provider: 'railway', ...given })),
        );
        return [];
      } catch (error) {
        return (error as { problems?: string[] }).problems ?? [String(error)];
      }
    };
    expect(refused({ ...GATES_ON, 'bake-datadog-gates': 'sum:x{*} == 1' }).join('\n')).toMatch(/'datadog-gates'/);
    expect(refused({ ...GATES_ON, 'bake-datadog-monitors': 'api-errors' }).join('\n')).toMatch(
      /'datadog-monitors' must be monitor ids/,
    );
    expect(refused({ ...GATES_ON, 'bake-datadog-site': 'datadoghq.co' }).join('\n')).toMatch(
      /'datadog-site' must be one of/,
    );
    // Without the keys (they go to the bake window only), the validate step accepts good gates.
    expect(refused(GATES_ON)).toEqual([]);
    expect(refused({})).toEqual([]);
  });

  it('accepts ${previous} in a Datadog gate (deploy gives the previous commit), refuses Datadog gates without both keys, before anything runs', async () => {
    const preflight = preflightStep(stage);
    expect(preflight.env).toMatchObject({
      BAKE_DATADOG_GATES: '${{ inputs.bake-datadog-gates }}',
      BAKE_DATADOG_MONITORS: '${{ inputs.bake-datadog-monitors }}',
      BAKE: '${{ env.BAKE }}',
    });
    const env = (over: Record<string, string>) => ({
      ...envOf(
        preflight,
        contextOf(
          stage,
          { ...PRODUCTION, provider: 'railway', 'railway-environment': 'env-p', services: 's1', project: 'p1' },
          KEYS,
        ),
      ),
      BAKE: 'true',
      ...over,
    });
    const previous = await runScript(
      preflight.run,
      env({ BAKE_DATADOG_GATES: `${GATE}\nsum:x{version:\${release}} / sum:x{version:\${previous}} <= 1.5` }),
    );
    expect({ status: previous.status, log: previous.status === 0 ? '' : previous.log }).toEqual({ status: 0, log: '' });

    const noKey = await runScript(preflight.run, env({ BAKE_DATADOG_GATES: GATE, HAS_DATADOG_APP_KEY: 'false' }));
    expect(noKey.status).not.toBe(0);
    expect(noKey.log).toContain(
      "::error title=shipline preflight::secret DATADOG_APP_KEY is empty in environment 'production'",
    );
    const monitorsNoKeys = await runScript(
      preflight.run,
      env({ BAKE_DATADOG_MONITORS: '123', HAS_DATADOG_API_KEY: 'false', HAS_DATADOG_APP_KEY: 'false' }),
    );
    expect(monitorsNoKeys.log).toContain('secret DATADOG_API_KEY is empty');
    expect(monitorsNoKeys.log).toContain('secret DATADOG_APP_KEY is empty');

    for (const over of <Record<string, string>[]>[
      { BAKE_DATADOG_GATES: GATE },
      { BAKE_DATADOG_GATES: `# a comment\n${GATE}` },
      // No bake window: the keys are not needed.
      { BAKE_DATADOG_GATES: GATE, BAKE: 'false', HAS_DATADOG_API_KEY: 'false', HAS_DATADOG_APP_KEY: 'false' },
      { BAKE_DATADOG_GATES: '', BAKE_DATADOG_MONITORS: '', HAS_DATADOG_API_KEY: 'false', HAS_DATADOG_APP_KEY: 'false' },
    ]) {
      const r = await runScript(preflight.run, env(over));
      expect({ over, status: r.status, log: r.status === 0 ? '' : r.log }).toEqual({ over, status: 0, log: '' });
    }
  });
});

describe('the Vercel template', () => {
  it("shows a Datadog error-rate gate on the production stage, from vars, with the production environment's keys", () => {
    const file = 'workflow-templates/nextjs-vercel.yml';
    const text = readFileSync(join(root, file), 'utf8');
    const doc = load(file);
    const stages = Object.entries<Doc>(doc.jobs).flatMap(([, j]) =>
      (j.steps ?? [])
        .filter((s: Doc) => String(s.uses ?? '').includes('/actions/stage@'))
        .map((s: Doc) => ({ env: j.environment?.name ?? j.environment, step: s })),
    );
    const gated = stages.filter(({ step }) => step.with?.['bake-datadog-gates']);
    expect(gated.map(({ env }) => env)).toEqual(['production']);
    expect(gated[0]!.step.with).toMatchObject({
      'bake-datadog-gates': '${{ vars.BAKE_DATADOG_GATES }}',
      'bake-datadog-monitors': '${{ vars.BAKE_DATADOG_MONITORS }}',
      'bake-datadog-site': '${{ vars.DATADOG_SITE }}',
      'datadog-api-key': '${{ secrets.DATADOG_API_KEY }}',
      'datadog-app-key': '${{ secrets.DATADOG_APP_KEY }}',
    });
    // Every input the template passes is one the composite declares.
    const declared = load('actions/stage/action.yml').inputs;
    for (const name of Object.keys(gated[0]!.step.with))
      expect({ name, declared: name in declared }).toEqual({ name, declared: true });
    // The example gate in the comment is one smoke-test accepts.
    const example = /^\s*#\s+(sum:trace\.\S+ \/ sum:trace\.\S+ < 0\.05)$/m.exec(text)?.[1];
    expect(example).toBeDefined();
    const read = (name: string) =>
      ({ mode: 'validate', 'validate-as': 'watch', 'datadog-gates': example! })[name] ?? '';
    expect(readSmokeTestInputs(read)['datadog-gates'].map((g) => g.line)).toEqual([example]);
  });
});
