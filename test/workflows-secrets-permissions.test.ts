// What the workflows let out and what they are allowed: outputs free of secrets, BUILD_ENV masking, what a static
// deploy uploads, least-privilege permissions, no dependency cache beside deploy credentials, pinned actions.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { expressions, refs } from './workflow-expressions.js';
import {
  root,
  WORKFLOWS,
  SHIPLINE_REPO,
  type Doc,
  shiplineAction,
  calledWorkflow,
  workflowCall,
  files,
  reusable,
  templates,
  deployEnvironment,
  runStep,
  uploadsSarif,
  runsSecurityGate,
  environmentJobs,
} from './support-workflows.js';

describe('workflow wiring', () => {
  it('keeps every output free of secrets, so that the runner never drops one', () => {
    // Inputs of shipline's actions that may carry a secret; every other input reaches the provider's answers and so
    // the outputs (release JSON, URLs), and must not be masked.
    const SECRET_INPUTS = new Set([
      'token',
      'database-url',
      'headers',
      'bot-token',
      'webhook-url',
      'github-token',
      'sentry-token',
      'prometheus-headers',
      'rolling-prometheus-headers',
      'datadog-api-key',
      'datadog-app-key',
      'rolling-datadog-api-key',
      'rolling-datadog-app-key',
    ]);
    for (const file of reusable) {
      const doc = files.get(file)!;
      for (const [jobId, job] of Object.entries<Doc>(doc.jobs)) {
        if (typeof job.uses === 'string') continue;
        const at = `${file}#${jobId}`;
        // No job output and no environment URL reads a secret or env (which may hold one).
        for (const [where, expr] of [
          ...expressions(job.outputs ?? {}, `${at}.outputs`),
          ...expressions(job.environment ?? {}, `${at}.environment`),
        ]) {
          expect({ where, secret: /\b(secrets|env)\./.test(expr) }).toEqual({ where, secret: false });
        }
        const read = new Set(
          expressions([job.outputs ?? {}, job.environment ?? {}], '').flatMap(([, e]) =>
            refs(e, /\bsteps\.([\w-]+)\.outputs\./g).map(([id]) => id!),
          ),
        );
        for (const step of (job.steps ?? []) as Doc[]) {
          if (!read.has(String(step.id))) continue;
          const where = `${at}.steps.${step.id}`;
          if (typeof step.run === 'string') {
            // A script may look at a secret, but forgets it (unset) before it writes an output.
            const secretVars = Object.entries<string>(step.env ?? {})
              .filter(([, v]) => /\bsecrets\.[\w-]+\s*\}\}/.test(String(v)) && !/!=|==/.test(String(v)))
              .map(([k]) => k);
            const firstOutput = step.run.indexOf('GITHUB_OUTPUT');
            for (const name of secretVars) {
              const unset = new RegExp(`\\bunset\\b[^\\n]*\\b${name}\\b`).exec(step.run);
              expect({ where, name, forgottenFirst: !!unset && unset.index < firstOutput }).toEqual({
                where,
                name,
                forgottenFirst: true,
              });
            }
            expect({ where, masks: step.run.includes('add-mask') }).toEqual({ where, masks: false });
          } else {
            for (const [key, value] of Object.entries<unknown>(step.with ?? {})) {
              if (SECRET_INPUTS.has(key)) continue;
              expect({ where, key, secret: /\bsecrets\./.test(String(value)) }).toEqual({ where, key, secret: false });
            }
          }
        }
      }
    }
    // The AWS account ID is in every ARN of an ECS release: the credentials step must not mask it.
    for (const file of reusable) {
      for (const job of Object.values<Doc>(files.get(file)!.jobs)) {
        for (const step of (job.steps ?? []) as Doc[]) {
          if (String(step.uses ?? '').startsWith('aws-actions/configure-aws-credentials@'))
            expect({ file, mask: step.with['mask-aws-account-id'] }).toEqual({ file, mask: false });
        }
      }
    }
    // Identifiers are not secrets of any reusable workflow (they are inputs, from vars).
    for (const file of reusable) {
      const secrets = Object.keys(workflowCall(files.get(file))?.secrets ?? {});
      for (const name of [
        'DEPLOY_PROJECT',
        'DEPLOY_TEAM',
        'RAILWAY_ENVIRONMENT_ID',
        'RAILWAY_SERVICE_IDS',
        'ECS_CLUSTER',
        'ECS_SERVICE',
        'SUPABASE_PROJECT_REF',
        'SMOKE_URL',
      ]) {
        expect({ file, secret: secrets.includes(name) ? name : undefined }).toEqual({ file, secret: undefined });
      }
    }
  });

  it('masks only BUILD_ENV values that can be secrets, and exports build-vars unmasked', () => {
    const prepare = deployEnvironment.jobs.release.steps.find((s: Doc) => s.name === 'Prepare');
    const ok = runStep(prepare.run, {
      BUILD_VARS: 'NODE_ENV=production\nVITE_URL=https://x.supabase.co',
      BUILD_ENV: 'VITE_KEY=a b=c d e f\n# comment\n\nFLAG=true',
      PREPARE_COMMAND: 'echo "[$NODE_ENV|$VITE_URL|$VITE_KEY|$FLAG|${BUILD_ENV:-unset}]"',
    });
    expect(ok.status).toBe(0);
    expect(ok.stdout).toContain('[production|https://x.supabase.co|a b=c d e f|true|unset]');
    expect(ok.stdout).toContain('::add-mask::a b=c d e f');
    expect(ok.stdout).not.toContain('::add-mask::production');
    expect(ok.stdout).not.toContain('::add-mask::https://x.supabase.co');
    expect(ok.stdout).not.toContain('::add-mask::true');
    expect(ok.stdout).toContain('::warning::BUILD_ENV FLAG is too short to be a secret');
    const bad = runStep(prepare.run, { BUILD_ENV: 'not a pair', BUILD_VARS: '', PREPARE_COMMAND: 'true' });
    expect(bad.status).not.toBe(0);
    expect(bad.stdout).toContain('BUILD_ENV lines must be KEY=value');
  });

  it('keeps .shipline and .git out of what a static deploy uploads', () => {
    const step = deployEnvironment.jobs.release.steps.find((s: Doc) => s.id === 'upload');
    const dir = mkdtempSync(join(tmpdir(), 'shipline-site-'));
    try {
      for (const f of ['.shipline/actions/deploy/action.yml', '.git/config', 'index.html', 'assets/app.js']) {
        const path = join(dir, f);
        spawnSync('mkdir', ['-p', join(path, '..')]);
        writeFileSync(path, f);
      }
      const result = runStep(
        `${step.run}\ncat "$GITHUB_OUTPUT" >&2; find "$(sed -n 's/^dir=//p' "$GITHUB_OUTPUT")" -type f | sort`,
        { DIR: dir },
      );
      expect(result.status).toBe(0);
      const listed = result.stdout
        .split('\n')
        .filter((l) => l.startsWith('/'))
        .map((l) => l.replace(/^.*shipline-upload\//, ''));
      expect(listed).toEqual(['assets/app.js', 'index.html']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(step.if).toContain("inputs.provider == 'vercel'");
    expect(deployEnvironment.jobs.release.steps.find((s: Doc) => s.id === 'deploy').with.dir).toBe(
      '${{ steps.upload.outputs.dir || inputs.dir }}',
    );
  });

  it('keeps permissions least-privilege', () => {
    for (const [file, doc] of files) {
      if (doc.permissions !== undefined)
        expect(Object.values(doc.permissions).every((level) => level === 'read')).toBe(true);
      for (const [jobId, job] of Object.entries<Doc>(doc.jobs ?? {})) {
        const perms = job.permissions;
        expect(perms === 'write-all' || perms === 'read-all').toBe(false);
        if (!perms) continue;
        const allowed = new Set([
          'contents:read',
          'actions:read',
          'deployments:write',
          'pull-requests:write',
          'id-token:write',
        ]);
        // Only the release's tag job pushes (tags).
        if (file === `${WORKFLOWS}/release.yml` && jobId === 'tag') allowed.add('contents:write');
        // Only where SARIF reaches code scanning: security.yml's uploading jobs and the jobs that call the gate.
        if (uploadsSarif(job) || runsSecurityGate(job)) allowed.add('security-events:write');
        for (const [scope, level] of Object.entries(perms))
          expect({ file, jobId, grant: `${scope}:${level}`, ok: allowed.has(`${scope}:${level}`) }).toMatchObject({
            ok: true,
          });
        if (perms['id-token'] === 'write') {
          const aws =
            job.with?.provider === 'ecs' ||
            (job.steps ?? []).some(
              (s: Doc) =>
                String(s.uses ?? '').startsWith('aws-actions/configure-aws-credentials@') ||
                (/^stage(-rollback)?$/.test(shiplineAction(String(s.uses ?? '')) ?? '') && s.with?.provider === 'ecs'),
            );
          expect({ file, jobId, aws }).toEqual({ file, jobId, aws: true });
        }
        // actions: read only where a job reads earlier runs (the health check's recovery message), where code
        // scanning reads the run its SARIF belongs to (private repositories), or where the production stage reads
        // its environment's required reviewers.
        const productionStage = (job.steps ?? []).some(
          (s: Doc) => shiplineAction(String(s.uses ?? '')) === 'stage' && s.with?.stage === 'production',
        );
        if (perms.actions === 'read')
          expect({
            file,
            jobId,
            ok: file.includes('health-check') || perms['security-events'] === 'write' || productionStage,
          }).toEqual({ file, jobId, ok: true });
      }
    }
    for (const file of templates) {
      expect(files.get(file)!.permissions).toEqual({});
      for (const job of Object.values<Doc>(files.get(file)!.jobs)) expect(job.permissions).toBeDefined();
    }
    // The tag job runs nothing but git after checking out with the release App's credentials.
    const tag: Doc = files.get(`${WORKFLOWS}/release.yml`)!.jobs.tag;
    expect(tag.steps.filter((s: Doc) => s.uses).map((s: Doc) => String(s.uses).split('@')[0])).toEqual([
      'actions/create-github-app-token',
      'actions/checkout',
    ]);
    expect(tag.steps.some((s: Doc) => /\bnpm\b|\bnode\b/.test(String(s.run ?? '')))).toBe(false);
  });

  it('uses no dependency cache in jobs that hold deploy credentials', () => {
    for (const { file, job } of environmentJobs) {
      for (const step of job.steps as Doc[]) {
        const uses = String(step.uses ?? '');
        if (uses.startsWith('actions/setup-node@'))
          expect({ file, cache: step.with?.cache, auto: step.with?.['package-manager-cache'] }).toEqual({
            file,
            cache: undefined,
            auto: false,
          });
        if (uses.startsWith('actions/setup-python@'))
          expect({ file, cache: step.with?.cache }).toEqual({ file, cache: undefined });
        expect(uses.startsWith('actions/cache')).toBe(false);
      }
    }
  });

  it('pins third-party actions by full SHA with the version in a comment, and only ones that run on Node 24', () => {
    // Versions that declare runs.using: node24 (checked in each action's action.yml at that tag).
    const NODE24: Record<string, string> = {
      'actions/checkout': 'v5.0.0',
      'actions/create-github-app-token': 'v3.1.1',
      'actions/setup-node': 'v5.0.0',
      'actions/setup-python': 'v6.0.0',
      'actions/upload-artifact': 'v6.0.0',
      'actions/download-artifact': 'v8.0.1',
      'aws-actions/configure-aws-credentials': 'v6.2.3',
      'github/codeql-action/init': 'v4.36.2',
      'github/codeql-action/analyze': 'v4.36.2',
      'github/codeql-action/upload-sarif': 'v4.36.2',
      // Composite actions: trivy-action's steps are Node 24 actions pinned by SHA (actions/cache v5.0.5, and
      // aquasecurity/setup-trivy v0.2.6 with actions/cache v5.0.1 and actions/checkout v6.0.1); trufflehog's is a
      // docker run of the image version security.yml pins.
      'aquasecurity/trivy-action': 'v0.36.0',
      'trufflesecurity/trufflehog': 'v3.97.0',
    };
    const all = [...files.keys(), `${WORKFLOWS}/ci.yml`, `${WORKFLOWS}/release.yml`];
    for (const file of new Set(all)) {
      const text = readFileSync(join(root, file), 'utf8');
      for (const m of text.matchAll(/^\s*(?:-\s+)?uses:\s*([^\s#]+)(.*)$/gm)) {
        const uses = m[1]!;
        if (uses.startsWith('./') || calledWorkflow(uses)) continue;
        if (uses.startsWith(`${SHIPLINE_REPO}/actions/`)) {
          expect({ file, uses }).toEqual({
            file,
            uses: expect.stringMatching(new RegExp(`^${SHIPLINE_REPO}/actions/stage(-rollback)?@v1$`)),
          });
          continue;
        }
        const version = /#\s*(v\d+\.\d+\.\d+)/.exec(m[2]!)?.[1];
        expect({ file, uses, pinned: /@[0-9a-f]{40}$/.test(uses), version }).toEqual({
          file,
          uses,
          pinned: true,
          version: NODE24[uses.split('@')[0]!],
        });
      }
    }
    // One SHA per action everywhere (Dependabot updates .github/workflows; the templates must follow).
    const shas = new Map<string, Set<string>>();
    for (const file of new Set(all)) {
      // Keyed by repository: github/codeql-action/init and …/analyze come from one commit.
      for (const m of readFileSync(join(root, file), 'utf8').matchAll(
        /uses:\s*([\w.-]+\/[\w.-]+)(?:\/[\w./-]+)?@([0-9a-f]{40})/g,
      )) {
        shas.set(m[1]!, (shas.get(m[1]!) ?? new Set()).add(m[2]!));
      }
    }
    for (const [action, set] of shas) expect({ action, shas: set.size }).toEqual({ action, shas: 1 });
  });
});
