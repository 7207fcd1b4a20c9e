// The starter templates (a .properties.json each, shipline's workflows at the released major), docs/workflows.md
// listing every input, secret and output, and the release workflow.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import {
  root,
  WORKFLOWS,
  TEMPLATES,
  SHIPLINE_REPO,
  type Doc,
  shiplineAction,
  calledWorkflow,
  workflowCall,
  needsOf,
  files,
  reusable,
  templates,
  runStep,
} from './support-workflows.js';

describe('workflow wiring', () => {
  it('gives every template a .properties.json and calls shipline workflows at the released major', () => {
    for (const file of templates) {
      const props = JSON.parse(readFileSync(join(root, file.replace(/\.ya?ml$/, '.properties.json')), 'utf8'));
      expect(typeof props.name).toBe('string');
      expect(typeof props.description).toBe('string');
      const calls = Object.values<Doc>(files.get(file)!.jobs).filter((job) => job.uses);
      const stageSteps = Object.values<Doc>(files.get(file)!.jobs).flatMap((job) =>
        ((job.steps ?? []) as Doc[]).filter((step) => String(step.uses ?? '').startsWith(`${SHIPLINE_REPO}/actions/`)),
      );
      expect(calls.length + stageSteps.length).toBeGreaterThan(0);
      for (const job of calls) {
        expect(job.uses).toMatch(new RegExp(`^${SHIPLINE_REPO}/\\.github/workflows/[\\w-]+\\.yml@v1$`));
        expect(files.has(calledWorkflow(job.uses)!)).toBe(true);
      }
      // Production (and its safety net) runs shipline's stage actions at the same released major.
      for (const job of Object.values<Doc>(files.get(file)!.jobs)) {
        for (const step of (job.steps ?? []) as Doc[]) {
          if (String(step.uses ?? '').startsWith(`${SHIPLINE_REPO}/`))
            expect(step.uses).toMatch(new RegExp(`^${SHIPLINE_REPO}/actions/stage(-rollback)?@v1$`));
        }
      }
      // The Vercel CLI is the project's own (lockfile), never whatever npx finds on the registry at deploy time.
      expect(readFileSync(join(root, file), 'utf8')).not.toMatch(/npx --yes vercel/);
    }
    const providers = templates.flatMap((f) =>
      Object.values<Doc>(files.get(f)!.jobs)
        .map((job) => job.with?.provider)
        .filter(Boolean),
    );
    expect(new Set(providers)).toEqual(new Set(['vercel', 'railway', 'ecs']));
    expect(
      templates.some((f) =>
        Object.values<Doc>(files.get(f)!.jobs).some((job) => job.with?.['migrate-exec']?.includes('alembic')),
      ),
    ).toBe(true);
    expect(
      templates.some((f) =>
        Object.values<Doc>(files.get(f)!.jobs).some((job) => job.with?.['with-supabase-functions'] === true),
      ),
    ).toBe(true);
    // Every deploy template deploys production from a job of its own naming the environment, with the stage action.
    for (const file of templates.filter((f) =>
      Object.values<Doc>(files.get(f)!.jobs).some(
        (job) => calledWorkflow(String(job.uses ?? '')) === `${WORKFLOWS}/pipeline.yml`,
      ),
    )) {
      const stages = Object.values<Doc>(files.get(file)!.jobs).filter((job) =>
        (job.steps ?? []).some((s: Doc) => shiplineAction(String(s.uses ?? '')) === 'stage'),
      );
      expect({ file, stages: stages.length > 0, named: stages.every((job) => job.environment) }).toEqual({
        file,
        stages: true,
        named: true,
      });
    }
    // The folder has GitHub's name for organisation templates.
    expect(TEMPLATES).toBe('workflow-templates');
  });

  it('releases: builds, checks dist, tags vX.Y.Z and moves vX; Dependabot watches the actions', () => {
    const release =
      files.get(`${WORKFLOWS}/release.yml`) ??
      (parse(readFileSync(join(root, WORKFLOWS, 'release.yml'), 'utf8')) as Doc);
    const verify = JSON.stringify(release.jobs.verify.steps);
    expect(verify).toContain('bash .ci/run');
    expect(verify).toContain('git status --porcelain -- dist');
    expect(needsOf(release.jobs.tag)).toEqual(['verify']);
    const tag = release.jobs.tag.steps.map((s: Doc) => String(s.run ?? '')).join('\n');
    expect(tag).toContain('git tag "$tag" "$GITHUB_SHA"');
    expect(tag).toContain('git tag --force "$major"');
    const bump = runStep('VERSION=1.4.2; major="v${VERSION%%.*}"; echo "$major"', {});
    expect(bump.stdout.trim()).toBe('v1');
    const dependabot = parse(readFileSync(join(root, '.github/dependabot.yml'), 'utf8')) as Doc;
    expect(dependabot.updates.map((u: Doc) => u['package-ecosystem'])).toEqual(
      expect.arrayContaining(['github-actions', 'npm']),
    );
  });
});

describe('docs/workflows.md', () => {
  const docs = readFileSync(join(root, 'docs/workflows.md'), 'utf8');

  it('lists every input, secret and output of every reusable workflow under its own heading', () => {
    for (const file of reusable) {
      const name = file.split('/').pop()!;
      const section = docs.split(`### \`${name}\``)[1]?.split('\n### ')[0] ?? '';
      const call = workflowCall(files.get(file))!;
      for (const key of [
        ...Object.keys(call.inputs ?? {}),
        ...Object.keys(call.secrets ?? {}),
        ...Object.keys(call.outputs ?? {}),
      ]) {
        expect({ name, key, listed: section.includes(`| \`${key}\` |`) }).toEqual({ name, key, listed: true });
      }
    }
  });

  it('has the first-run checklist, the cross-repository secrets section with its sources, and the rest', () => {
    expect(docs).toContain('```mermaid');
    expect(docs).toContain('Required reviewers');
    expect(docs).toContain('## Manual rollback');
    expect(docs).toContain('## One commit');
    expect(docs).toContain('## First real run');
    const secrets = docs.split('## Secrets across repositories')[1]?.split('\n## ')[0] ?? '';
    expect(secrets).toContain('secrets: inherit');
    expect(secrets).toMatch(/https:\/\/github\.com\/rios0rios0\/pipelines\/pull\/579/);
    expect(secrets).toMatch(/https:\/\/docs\.github\.com\//);
    for (const file of templates) expect(docs).toContain(`(../${file})`);
  });
});
