// Where the security gate's SARIF goes (security.yml, input upload-sarif): its "Where the findings go" step asks a
// loopback stand-in of GitHub's REST API, as it asks GitHub, whether code scanning is enabled and whether CodeQL
// default setup is on; the steps after it are decided by GitHub's own expression evaluator; the step that keeps
// the findings in the run runs for real on a SARIF file. A private repository without Code Security, or default
// setup, keeps the findings in the run instead of failing the gate; an answer that settles nothing tries the
// upload and tolerates a refusal; always and never do what they say.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { closedPort } from './support.js';
import { type Doc, loadWorkflow, outputsOf, runScript, runsIf, evaluate, stepOf } from './workflow-steps.js';

const security = loadWorkflow('.github/workflows/security.yml');
const template = loadWorkflow('workflow-templates/security.yml');
const TOKEN = 'ghs_probeToken0123456789abcdef';

type Answer = { status: number; body: unknown };
let answers: Record<string, Answer> = {};
let requests: { url: string; authorization?: string }[] = [];
let server: Server;
let api: string;

beforeAll(async () => {
  server = createServer((req: IncomingMessage, res) => {
    requests.push({ url: req.url ?? '', authorization: req.headers.authorization });
    const path = (req.url ?? '').split('?')[0]!;
    const answer = answers[path] ?? { status: 500, body: { message: 'unexpected' } };
    res.writeHead(answer.status, { 'content-type': 'application/json' }).end(JSON.stringify(answer.body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  api = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const ANALYSES = '/repos/acme/shop/code-scanning/analyses';
const DEFAULT_SETUP = '/repos/acme/shop/code-scanning/default-setup';

async function probe(job: 'codeql' | 'image', mode: string, given: Record<string, Answer>, apiUrl?: string) {
  answers = given;
  requests = [];
  const step = stepOf(security, job, 'sarif');
  const env = {
    ...step.env,
    UPLOAD_SARIF: mode,
    GH_TOKEN: TOKEN,
    GITHUB_API_URL: apiUrl ?? api,
    GITHUB_REPOSITORY: 'acme/shop',
  };
  const result = await runScript(step.run, env);
  return { ...result, decided: outputsOf(result.outputs), requests: [...requests] };
}

const enabled: Answer = { status: 200, body: [{ id: 1 }] };
const notConfigured: Answer = { status: 200, body: { state: 'not-configured', languages: [] } };

describe('the security gate keeps SARIF in the run where code scanning cannot take it', () => {
  it('takes upload-sarif (auto by default) from the caller and checks it with the other inputs', async () => {
    expect(security.on.workflow_call.inputs['upload-sarif']).toMatchObject({ type: 'string', default: 'auto' });
    const check = stepOf(security, 'settings', 'check');
    expect(check.env.UPLOAD_SARIF).toBe('${{ inputs.upload-sarif }}');
    const bad = await runScript(check.run, {
      ...check.env,
      AUDIT_LEVEL: 'high',
      PACKAGE_MANAGER: 'npm',
      LANGUAGES: '',
      IMAGE: '',
      IMAGE_ARTIFACT: '',
      UPLOAD_SARIF: 'sometimes',
    });
    expect(bad.status).not.toBe(0);
    expect(bad.log).toContain(
      '::error title=shipline security::upload-sarif must be auto, always or never (got "sometimes")',
    );
    for (const mode of ['auto', 'always', 'never']) {
      const good = await runScript(check.run, {
        ...check.env,
        AUDIT_LEVEL: 'high',
        PACKAGE_MANAGER: 'npm',
        LANGUAGES: '',
        IMAGE: '',
        IMAGE_ARTIFACT: '',
        UPLOAD_SARIF: mode,
      });
      expect({ mode, status: good.status }).toEqual({ mode, status: 0 });
    }
    expect(template.jobs.security.with['upload-sarif']).toBe('auto');
  });

  it('keeps the findings in the run on a private repository without Code Security (each of the answers GitHub gives)', async () => {
    for (const message of [
      'Advanced Security must be enabled for this repository to use code scanning.',
      'Code Security must be enabled for this repository to use code scanning.',
      'Code Scanning is not enabled for this repository. Please enable code scanning in the repository settings.',
    ]) {
      for (const job of ['codeql', 'image'] as const) {
        const run = await probe(job, 'auto', { [ANALYSES]: { status: 403, body: { message } } });
        expect({ job, message, status: run.status, decided: run.decided }).toEqual({
          job,
          message,
          status: 0,
          decided: {
            upload: 'false',
            tolerate: 'false',
            reason:
              'code scanning is not enabled for this repository (a private repository needs GitHub Code Security)',
          },
        });
        expect(run.log).toContain('::notice title=shipline security::code scanning is not enabled for this repository');
        expect(run.requests.map((r) => r.url.split('?')[0])).toEqual([ANALYSES]);
        expect(run.requests[0]!.authorization).toBe(`Bearer ${TOKEN}`);
      }
    }
  });

  it('keeps CodeQL findings in the run when default setup is on, and still uploads the image scan (a tool of its own)', async () => {
    const codeql = await probe('codeql', 'auto', {
      [ANALYSES]: enabled,
      [DEFAULT_SETUP]: { status: 200, body: { state: 'configured', languages: ['javascript-typescript'] } },
    });
    expect(codeql.decided).toMatchObject({ upload: 'false', tolerate: 'false' });
    expect(codeql.decided.reason).toContain('CodeQL default setup is on');
    expect(codeql.log).toContain('::notice title=shipline security::CodeQL default setup is on');
    const image = await probe('image', 'auto', {
      [ANALYSES]: enabled,
      [DEFAULT_SETUP]: { status: 200, body: { state: 'configured' } },
    });
    expect(image.decided).toMatchObject({ upload: 'true', tolerate: 'false' });
    expect(image.requests.map((r) => r.url.split('?')[0])).toEqual([ANALYSES]);
  });

  it('uploads, failing on a refusal, when code scanning is on and default setup off (also before the first analysis: 404)', async () => {
    for (const analyses of [enabled, { status: 404, body: { message: 'no analysis found' } }]) {
      const run = await probe('codeql', 'auto', { [ANALYSES]: analyses, [DEFAULT_SETUP]: notConfigured });
      expect(run.decided).toEqual({ upload: 'true', tolerate: 'false', reason: '' });
      expect(run.requests.map((r) => r.url.split('?')[0])).toEqual([ANALYSES, DEFAULT_SETUP]);
    }
  });

  it('tries the upload and tolerates a refusal when GitHub settles nothing: a token that may not read default setup, an error, no answer', async () => {
    const unreadable = await probe('codeql', 'auto', {
      [ANALYSES]: enabled,
      [DEFAULT_SETUP]: { status: 403, body: { message: 'Resource not accessible by integration' } },
    });
    expect(unreadable.decided).toEqual({
      upload: 'true',
      tolerate: 'true',
      reason: 'GitHub did not say whether CodeQL default setup is on (HTTP 403)',
    });
    const outage = await probe('image', 'auto', { [ANALYSES]: { status: 503, body: {} } });
    expect(outage.decided).toMatchObject({ upload: 'true', tolerate: 'true' });
    const unreachable = await probe('codeql', 'auto', {}, `http://127.0.0.1:${await closedPort()}`);
    expect(unreachable.status).toBe(0);
    expect(unreachable.decided).toMatchObject({ upload: 'true', tolerate: 'true' });
    expect(unreachable.decided.reason).toMatch(
      /^GitHub did not say whether code scanning is enabled \(HTTP (000|none)\)$/,
    );
  });

  it('does what always and never say without asking GitHub', async () => {
    const always = await probe('codeql', 'always', {});
    expect(always.decided).toEqual({ upload: 'true', tolerate: 'false', reason: '' });
    const never = await probe('image', 'never', {});
    expect(never.decided).toEqual({ upload: 'false', tolerate: 'false', reason: 'upload-sarif is never' });
    expect([...always.requests, ...never.requests]).toEqual([]);
  });

  it("never puts the token or GitHub's own text in the log", async () => {
    const run = await probe('codeql', 'auto', {
      [ANALYSES]: { status: 403, body: { message: '::error::Advanced Security must be enabled' } },
    });
    expect(run.decided.upload).toBe('false');
    expect(run.log).not.toContain(TOKEN);
    expect(run.log).not.toContain('::error');
  });

  describe("the steps after the decision (GitHub's expression evaluator)", () => {
    const context = (
      job: string,
      decided: Record<string, string>,
      upload?: 'success' | 'failure' | 'skipped',
      kept?: boolean,
    ): Record<string, unknown> => ({
      inputs: { 'upload-sarif': 'auto', 'codeql-languages': 'python' },
      github: {},
      runner: { temp: '/tmp/r' },
      steps: {
        sarif: { outputs: decided, outcome: 'success', conclusion: 'success' },
        analyze: { outputs: {}, outcome: 'success', conclusion: 'success' },
        trivy: { outputs: {}, outcome: 'failure', conclusion: 'failure' },
        upload: upload
          ? { outputs: {}, outcome: upload, conclusion: upload === 'failure' ? 'success' : upload }
          : { outputs: {}, outcome: '', conclusion: '' },
        kept: { outputs: kept ? { kept: 'true' } : {}, outcome: 'success', conclusion: 'success' },
      },
      job: { status: job === 'image' ? 'failure' : 'success' },
    });
    // The image job's scan fails on a finding, and the SARIF must still go somewhere: its steps run in a failed job.
    const statusOf = (job: string) => (job === 'image' ? 'failure' : 'success');
    const files = ['trivy-image.sarif'];
    const step = (job: string, name: RegExp) => stepOf(security, job, name);

    it.each(['codeql', 'image'])('%s: skips the upload and keeps the findings when the decision says so', (job) => {
      const ctx = context(job, { upload: 'false', tolerate: 'false', reason: 'x' });
      expect(runsIf(step(job, /^Upload the findings to code scanning$/).if, ctx, statusOf(job), files)).toBe(false);
      expect(runsIf(step(job, /^Keep the findings in this run$/).if, ctx, statusOf(job), files)).toBe(true);
      expect(evaluate(step(job, /^Keep the findings in this run$/).env.REASON, ctx)).toBe('x');
      const kept = context(job, { upload: 'false', tolerate: 'false', reason: 'x' }, undefined, true);
      expect(runsIf(step(job, /^Save the SARIF as an artifact$/).if, kept, statusOf(job), files)).toBe(true);
    });

    it.each(['codeql', 'image'])(
      '%s: uploads, tolerating a refusal only when the decision was unsure, then keeps what was refused',
      (job) => {
        const unsure = context(job, { upload: 'true', tolerate: 'true', reason: 'r' });
        const upload = step(job, /^Upload the findings to code scanning$/);
        expect(runsIf(upload.if, unsure, statusOf(job), files)).toBe(true);
        expect(evaluate(upload['continue-on-error'], unsure)).toBe(true);
        expect(
          evaluate(upload['continue-on-error'], context(job, { upload: 'true', tolerate: 'false', reason: '' })),
        ).toBe(false);
        const refused = context(job, { upload: 'true', tolerate: 'true', reason: 'r' }, 'failure');
        expect(runsIf(step(job, /^Keep the findings in this run$/).if, refused, statusOf(job), files)).toBe(true);
        expect(evaluate(step(job, /^Keep the findings in this run$/).env.REASON, refused)).toBe(
          'code scanning refused the upload (its step log says why)',
        );
        const accepted = context(job, { upload: 'true', tolerate: 'false', reason: '' }, 'success');
        expect(runsIf(step(job, /^Keep the findings in this run$/).if, accepted, statusOf(job), files)).toBe(false);
        expect(runsIf(step(job, /^Save the SARIF as an artifact$/).if, accepted, statusOf(job), files)).toBe(false);
      },
    );

    it('analyses CodeQL without uploading, so that the upload is a step of its own', () => {
      expect(step('codeql', /^Analyse$/).with).toEqual({ upload: 'never', output: '${{ runner.temp }}/codeql-sarif' });
      expect(step('codeql', /^Upload the findings to code scanning$/).with.sarif_file).toBe(
        '${{ runner.temp }}/codeql-sarif',
      );
    });
  });

  it('tables the kept CodeQL findings in the summary, never in the log, and warns where they are', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'shipline-sarif-'));
    try {
      writeFileSync(
        join(dir, 'python.sarif'),
        JSON.stringify({
          runs: [
            {
              results: [
                {
                  ruleId: 'py/sql-injection',
                  level: 'error',
                  message: { text: 'This query depends on a ::error::user-provided | value.\nsecond line' },
                  locations: [
                    { physicalLocation: { artifactLocation: { uri: 'backend/app.py' }, region: { startLine: 42 } } },
                  ],
                },
              ],
            },
          ],
        }),
      );
      const keep: Doc = stepOf(security, 'codeql', /^Keep the findings in this run$/);
      const run = await runScript(keep.run, { REASON: 'CodeQL default setup is on', SARIF_DIR: dir });
      expect(run.status).toBe(0);
      expect(run.summary).toContain('### CodeQL findings (kept in this run: CodeQL default setup is on)');
      expect(run.summary).toContain(
        '| py/sql-injection | error | backend/app.py:42 | This query depends on a ::error::user-provided / value. |',
      );
      expect(run.log).toContain(
        '::warning title=shipline security::CodeQL findings are not in Security → Code scanning: CodeQL default setup is on.',
      );
      expect(run.log).not.toContain('user-provided');
      expect(outputsOf(run.outputs)).toEqual({ kept: 'true' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
