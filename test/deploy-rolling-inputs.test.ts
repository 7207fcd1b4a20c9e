// The rolling-release inputs of deploy, checked with every other input before anything changes: each problem names
// the input and the form it expects, all of them at once.
import { describe, expect, test } from '@jest/globals';
import { readDeployInputs } from '../actions/deploy/src/inputs.js';
import { InputError } from '../shared/errors.js';

const base = { provider: 'vercel', token: 'vercel-token', project: 'prj_1', target: 'production' };

function problems(inputs: Record<string, string>): string[] {
  try {
    readDeployInputs((name) => ({ ...base, ...inputs })[name] ?? '');
  } catch (error) {
    if (error instanceof InputError) return error.problems;
    throw error;
  }
  return [];
}

describe('rolling-release inputs', () => {
  test('stages that rise to 100 are read as percentages, with the judging defaults', () => {
    const inputs = readDeployInputs((name) => ({ ...base, 'vercel-rolling-stages': '5, 25,100' })[name] ?? '');
    expect(inputs['vercel-rolling-stages']).toEqual([5, 25, 100]);
    expect(inputs).toMatchObject({
      'rolling-check-url': '{deployment-url}',
      'rolling-requests': 50,
      'rolling-max-error-rate': 0.05,
      'rolling-bake': 60_000,
      'rolling-stage-timeout': 600_000,
    });
  });

  test.each([['25,5,100'], ['5,50'], ['0,100'], ['100'], ['5%,100'], ['5,25,150']])(
    'stages %s are refused, naming the form',
    (stages) => {
      expect(problems({ 'vercel-rolling-stages': stages })).toEqual([
        expect.stringMatching(
          /'vercel-rolling-stages'.*traffic percentages that rise to 100, comma separated, like 5,25,100/,
        ),
      ]);
    },
  );

  test('every problem at once: another provider, a target that shifts no production traffic, a URL that is none, a rate over 100%', () => {
    const found = problems({
      provider: 'netlify',
      target: 'staged',
      'vercel-rolling-stages': '5,100',
      'rolling-check-url': 'ftp://{deployment-id}',
      'rolling-max-error-rate': '150%',
    });
    expect(found).toEqual(
      expect.arrayContaining([
        "Input 'vercel-rolling-stages' is only for provider vercel (Vercel's rolling releases)",
        "Input 'vercel-rolling-stages' is only for command promote, or command deploy with target production (a rolling release shifts production traffic)",
        expect.stringMatching(/^Input 'rolling-check-url' must be an http\(s\) URL/),
        expect.stringMatching(/'rolling-max-error-rate'.*a share of failed requests like 5%/),
      ]),
    );
    expect(found).toHaveLength(4);
  });

  test("the stages' Sentry gate needs Sentry named, and a whole number", () => {
    expect(problems({ 'rolling-sentry-max-new-issues': '0' })).toEqual([
      "Input 'rolling-sentry-max-new-issues' reads Sentry: set sentry-org, sentry-project and sentry-token too",
    ]);
    expect(
      problems({
        'rolling-sentry-max-new-issues': 'none',
        'sentry-org': 'acme',
        'sentry-project': 'web',
        'sentry-token': 'sntrys_x',
      }),
    ).toEqual([expect.stringMatching(/'rolling-sentry-max-new-issues'.*a whole number of new Sentry issues/)]);
  });
});
