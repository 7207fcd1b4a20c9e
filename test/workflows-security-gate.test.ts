// The security gate (security.yml): its jobs and grants, pinned actions, no expressions in run:, input checks, the
// change's commit range, npm audit and Trivy's findings tabled, registry login, and the pipeline requiring it.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from '@jest/globals';
import { resolve, runs } from './workflow-expressions.js';
import {
  root,
  WORKFLOWS,
  TEMPLATES,
  type Doc,
  calledWorkflow,
  needsOf,
  files,
  templates,
  pipeline,
  inputsOf,
  runStep,
  uploadsSarif,
  runsSecurityGate,
} from './support-workflows.js';

describe('the security gate (security.yml)', () => {
  const SEC = `${WORKFLOWS}/security.yml`;
  const security = files.get(SEC)!;
  const jobs: Record<string, Doc> = security.jobs;
  const stepNamed = (job: string, name: RegExp): Doc =>
    (jobs[job]!.steps as Doc[]).find((s) => name.test(String(s.name ?? '')))!;
  const stepUsing = (job: string, action: string): Doc =>
    (jobs[job]!.steps as Doc[]).find((s) => String(s.uses ?? '').startsWith(`${action}@`))!;

  it('runs settings → audit, secrets, CodeQL, image, each with least privilege: security-events: write only where SARIF is uploaded', () => {
    expect(Object.keys(jobs).sort()).toEqual(['audit', 'codeql', 'image', 'secrets', 'settings']);
    // No workflow-wide grant: every job says what it needs.
    expect(security.permissions).toBeUndefined();
    for (const [id, job] of Object.entries(jobs)) {
      const steps: Doc[] = job.steps;
      const expected: Doc = {};
      if (steps.some((s) => String(s.uses ?? '').startsWith('actions/checkout@'))) expected.contents = 'read';
      // Code scanning reads the run its SARIF belongs to in private repositories (actions: read).
      if (uploadsSarif(job)) Object.assign(expected, { actions: 'read', 'security-events': 'write' });
      expect({ id, permissions: job.permissions }).toEqual({ id, permissions: expected });
      for (const s of steps.filter((s) => String(s.uses ?? '').startsWith('actions/checkout@')))
        expect({ id, persist: s.with?.['persist-credentials'] }).toEqual({ id, persist: false });
      if (id !== 'settings') expect({ id, needs: needsOf(job) }).toEqual({ id, needs: ['settings'] });
    }
    expect(
      Object.entries(jobs)
        .filter(([, job]) => uploadsSarif(job))
        .map(([id]) => id)
        .sort(),
    ).toEqual(['codeql', 'image']);
    expect(jobs.settings!.permissions).toEqual({});

    // What each job runs.
    expect(stepNamed('audit', /Node\.js dependencies/).run).toContain(
      '"$PACKAGE_MANAGER" audit --audit-level="$AUDIT_LEVEL"',
    );
    expect(stepNamed('audit', /Python dependencies/).run).toMatch(
      /pipx run --python "\$\(command -v python\)" --spec pip-audit==\d+\.\d+\.\d+ pip-audit --requirement "\$REQUIREMENTS"/,
    );
    expect(stepUsing('secrets', 'actions/checkout').with['fetch-depth']).toBe(0);
    expect(stepUsing('secrets', 'trufflesecurity/trufflehog').with).toEqual({
      base: '${{ steps.range.outputs.base }}',
      head: '${{ steps.range.outputs.head }}',
      version: '3.97.0', // the image, pinned too (the action's default is latest)
      extra_args: '--results=verified',
    });
    expect(stepUsing('codeql', 'github/codeql-action/init').with.languages).toBe('${{ inputs.codeql-languages }}');
    expect(stepUsing('codeql', 'github/codeql-action/analyze')).toBeDefined();
    expect(jobs.codeql!.if).toBe("inputs.codeql-languages != ''");
    // The image scan writes SARIF at the validated severities, fails on a finding, and its SARIF is uploaded even
    // then (not after a cancellation).
    const trivy = stepUsing('image', 'aquasecurity/trivy-action');
    expect(trivy.with).toMatchObject({
      format: 'sarif',
      'limit-severities-for-sarif': true,
      'exit-code': '1',
      severity: '${{ needs.settings.outputs.image-severities }}',
    });
    const upload = stepUsing('image', 'github/codeql-action/upload-sarif');
    expect(upload.with.sarif_file).toBe(trivy.with.output);
    expect(upload.if).toContain('!cancelled()');
    expect(jobs.image!.if).toBe("inputs.image != '' || inputs.image-artifact != ''");
    expect(jobs.settings!.outputs['image-severities']).toBe('${{ steps.check.outputs.image-severities }}');
  });

  it('pins every third-party action it uses by a 40-hex commit SHA', () => {
    const text = readFileSync(join(root, SEC), 'utf8');
    const uses = [...text.matchAll(/^\s*(?:-\s+)?uses:\s*([^\s#]+)/gm)].map((m) => m[1]!);
    expect(uses.length).toBeGreaterThanOrEqual(9);
    for (const u of uses)
      expect({ uses: u, pinned: /^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/.test(u) }).toEqual({ uses: u, pinned: true });
    expect(new Set(uses.map((u) => u.split('@')[0]))).toEqual(
      new Set([
        'actions/checkout',
        'actions/setup-node',
        'actions/setup-python',
        'actions/download-artifact',
        'actions/upload-artifact',
        'trufflesecurity/trufflehog',
        'github/codeql-action/init',
        'github/codeql-action/analyze',
        'aquasecurity/trivy-action',
        'github/codeql-action/upload-sarif',
      ]),
    );
  });

  it('keeps ${{ }} out of every run: script; event values reach the scripts through env', () => {
    for (const [id, job] of Object.entries(jobs)) {
      for (const step of job.steps as Doc[])
        if (typeof step.run === 'string')
          expect({ id, step: step.name, expression: step.run.includes('${{') }).toEqual({
            id,
            step: step.name,
            expression: false,
          });
    }
    expect(stepNamed('secrets', /commits/).env).toEqual({
      EVENT: '${{ github.event_name }}',
      PR_BASE: '${{ github.event.pull_request.base.sha }}',
      PR_HEAD: '${{ github.event.pull_request.head.sha }}',
      BEFORE: '${{ github.event.before }}',
      AFTER: '${{ github.event.after }}',
    });
  });

  it('checks every input in one step, naming each bad one at once, and maps audit-level to the image severities', () => {
    const check = stepNamed('settings', /Check the inputs/);
    const env = {
      AUDIT_LEVEL: 'high',
      PACKAGE_MANAGER: 'npm',
      LANGUAGES: 'javascript-typescript,python',
      IMAGE: '',
      IMAGE_ARTIFACT: '',
    };
    const levels: Record<string, string> = {
      low: 'LOW,MEDIUM,HIGH,CRITICAL',
      moderate: 'MEDIUM,HIGH,CRITICAL',
      high: 'HIGH,CRITICAL',
      critical: 'CRITICAL',
    };
    for (const [level, severities] of Object.entries(levels)) {
      const ok = runStep(check.run, { ...env, AUDIT_LEVEL: level });
      expect({ level, status: ok.status, outputs: ok.outputs }).toEqual({
        level,
        status: 0,
        outputs: `image-severities=${severities}\n`,
      });
    }
    const bad = runStep(check.run, {
      AUDIT_LEVEL: 'severe',
      PACKAGE_MANAGER: 'yarn',
      LANGUAGES: 'javascript, python',
      IMAGE: 'ghcr.io/x/api:1',
      IMAGE_ARTIFACT: 'api-image',
    });
    expect(bad.status).not.toBe(0);
    expect(bad.outputs).toBe('');
    const errors = bad.stdout.split('\n').filter((l) => l.startsWith('::error'));
    expect(errors).toEqual([
      expect.stringContaining('audit-level must be one of low, moderate, high, critical (got "severe")'),
      expect.stringContaining('package-manager must be npm, pnpm or none (got "yarn")'),
      expect.stringContaining('codeql-languages must be CodeQL language names'),
      expect.stringContaining('image and image-artifact name two images'),
    ]);
  });

  it("scans the change's commits: a pull request's base..head, a push's before..after, a new branch's history", () => {
    const repo = mkdtempSync(join(tmpdir(), 'shipline-range-'));
    try {
      const git = (...args: string[]) =>
        spawnSync('git', ['-c', 'user.email=t@example.invalid', '-c', 'user.name=t', ...args], {
          cwd: repo,
          encoding: 'utf8',
        }).stdout.trim();
      git('init', '-q');
      git('commit', '-q', '--allow-empty', '-m', 'one');
      const one = git('rev-parse', 'HEAD');
      git('commit', '-q', '--allow-empty', '-m', 'two');
      const two = git('rev-parse', 'HEAD');
      const step = stepNamed('secrets', /commits/);
      const range = (env: Record<string, string>) => {
        const r = runStep(
          step.run,
          { EVENT: 'push', PR_BASE: '', PR_HEAD: '', BEFORE: '', AFTER: '', GITHUB_SHA: two, ...env },
          repo,
        );
        return { status: r.status, outputs: r.outputs, stdout: r.stdout };
      };
      expect(range({ EVENT: 'pull_request', PR_BASE: one, PR_HEAD: two }).outputs).toBe(`base=${one}\nhead=${two}\n`);
      expect(range({ EVENT: 'push', BEFORE: one, AFTER: two }).outputs).toBe(`base=${one}\nhead=${two}\n`);
      // A new branch (before = zeros) and a force-push whose before is gone: the history of the pushed commit.
      expect(range({ EVENT: 'push', BEFORE: '0'.repeat(40), AFTER: two }).outputs).toBe(`base=\nhead=${two}\n`);
      expect(range({ EVENT: 'push', BEFORE: 'b'.repeat(40), AFTER: two }).outputs).toBe(`base=\nhead=${two}\n`);
      expect(range({ EVENT: 'schedule' }).outputs).toBe(`base=\nhead=${two}\n`);
      // Whatever the event says, only a commit SHA goes on (it is handed to a docker command line).
      const odd = range({ EVENT: 'pull_request', PR_BASE: one, PR_HEAD: '--help; echo pwned' });
      expect(odd.status).not.toBe(0);
      expect(odd.outputs).toBe('');
      expect(odd.stdout).toContain('not a commit SHA');
    } finally {
      rmSync(repo, { recursive: true, force: true });
    }
  });

  it('audits with npm itself: passes below audit-level, fails at it, and tables the advisories in the summary only', async () => {
    // A loopback registry that answers npm's bulk advisory endpoint (POST /-/npm/v1/security/advisories/bulk, a
    // gzipped {name: [versions]} body) and the packument npm reads to say whether a fix exists.
    const asked: Record<string, string[]>[] = [];
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        res.setHeader('content-type', 'application/json');
        if (req.method === 'POST' && req.url === '/-/npm/v1/security/advisories/bulk') {
          const body = Buffer.concat(chunks);
          const parsed = JSON.parse(
            (req.headers['content-encoding'] === 'gzip' ? gunzipSync(body) : body).toString(),
          ) as Record<string, string[]>;
          asked.push(parsed);
          const advisories = parsed['left-pad']?.includes('1.0.0')
            ? [
                {
                  id: 1,
                  url: 'https://github.com/advisories/GHSA-0000',
                  title: 'Prototype | pollution\n::warning::injected',
                  severity: 'moderate',
                  vulnerable_versions: '<1.0.1',
                  cwe: [],
                  cvss: { score: 5.3 },
                },
              ]
            : [];
          res.end(JSON.stringify(advisories.length ? { 'left-pad': advisories } : {}));
        } else if (req.url === '/left-pad') {
          const version = (v: string) => ({
            name: 'left-pad',
            version: v,
            dist: { tarball: `http://127.0.0.1/left-pad-${v}.tgz` },
          });
          res.end(
            JSON.stringify({
              name: 'left-pad',
              'dist-tags': { latest: '1.0.1' },
              versions: { '1.0.0': version('1.0.0'), '1.0.1': version('1.0.1') },
            }),
          );
        } else {
          res.statusCode = 404;
          res.end('{}');
        }
      });
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    const registry = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    const app = mkdtempSync(join(tmpdir(), 'shipline-audit-'));
    try {
      writeFileSync(
        join(app, 'package.json'),
        JSON.stringify({ name: 'app', version: '1.0.0', dependencies: { 'left-pad': '^1.0.0' } }),
      );
      writeFileSync(
        join(app, 'package-lock.json'),
        JSON.stringify({
          name: 'app',
          version: '1.0.0',
          lockfileVersion: 3,
          requires: true,
          packages: {
            '': { name: 'app', version: '1.0.0', dependencies: { 'left-pad': '^1.0.0' } },
            'node_modules/left-pad': {
              version: '1.0.0',
              resolved: `${registry}left-pad/-/left-pad-1.0.0.tgz`,
              integrity: 'sha512-AAAA',
            },
          },
        }),
      );
      const script = stepNamed('audit', /Node\.js dependencies/).run as string;
      const audit = async (level: string, cwd = app) => {
        const dir = mkdtempSync(join(tmpdir(), 'shipline-audit-run-'));
        try {
          writeFileSync(join(dir, 'summary'), '');
          // As the runner runs a run: script (shell: bash → bash --noprofile --norc -eo pipefail).
          const child = spawn('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script], {
            cwd,
            env: {
              PATH: process.env.PATH,
              HOME: dir,
              npm_config_cache: join(dir, 'cache'),
              npm_config_registry: registry,
              npm_config_update_notifier: 'false',
              RUNNER_TEMP: dir,
              GITHUB_STEP_SUMMARY: join(dir, 'summary'),
              PACKAGE_MANAGER: 'npm',
              AUDIT_LEVEL: level,
            },
          });
          let log = '';
          child.stdout.on('data', (d: Buffer) => (log += d.toString()));
          child.stderr.on('data', (d: Buffer) => (log += d.toString()));
          const status = await new Promise<number | null>((ok) => child.on('close', ok));
          return { status, log, summary: readFileSync(join(dir, 'summary'), 'utf8') };
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      };
      const high = await audit('high');
      expect({ status: high.status, log: high.log }).toEqual({
        status: 0,
        log: expect.stringContaining('npm audit: 1 vulnerable packages, none at high or above'),
      });
      expect(high.summary).toContain('| left-pad | moderate | Prototype / pollution ::warning::injected | yes |');
      const moderate = await audit('moderate');
      expect(moderate.status).toBe(1);
      expect(moderate.log).toContain(
        '::error title=npm audit::1 vulnerable packages, at least one at moderate or above',
      );
      // The advisory's text goes to the summary file, never to the log, where it could act as a workflow command.
      expect(moderate.log).not.toContain('injected');
      expect(asked).toEqual([{ 'left-pad': ['1.0.0'] }, { 'left-pad': ['1.0.0'] }]);
      // No lockfile: npm's own failure, not a green "no vulnerabilities".
      const empty = mkdtempSync(join(tmpdir(), 'shipline-audit-empty-'));
      try {
        writeFileSync(join(empty, 'package.json'), JSON.stringify({ name: 'empty', version: '1.0.0' }));
        const none = await audit('high', empty);
        expect(none.status).toBe(1);
        expect(none.log).toContain('npm audit exited with 1 without listing a vulnerability');
        expect(none.summary).toContain('ENOLOCK');
        expect(none.summary).not.toContain('No known vulnerabilities');
      } finally {
        rmSync(empty, { recursive: true, force: true });
      }
    } finally {
      server.close();
      rmSync(app, { recursive: true, force: true });
    }
  }, 60_000);

  it("tables the image findings from Trivy's SARIF message in the summary", () => {
    const dir = mkdtempSync(join(tmpdir(), 'shipline-trivy-'));
    try {
      const message = (pkg: string, id: string, severity: string) =>
        `Package: ${pkg}\nInstalled Version: 3.0.1\nVulnerability ${id}\nSeverity: ${severity}\nFixed Version: 3.0.2\nLink: [${id}](https://avd.aquasec.com/nvd/${id.toLowerCase()})`;
      writeFileSync(
        join(dir, 'trivy-image.sarif'),
        JSON.stringify({
          version: '2.1.0',
          runs: [
            {
              tool: { driver: { name: 'Trivy', rules: [] } },
              results: [
                {
                  ruleId: 'CVE-2026-0001',
                  level: 'error',
                  message: { text: message('libssl3', 'CVE-2026-0001', 'CRITICAL') },
                },
                {
                  ruleId: 'CVE-2026-0002',
                  level: 'error',
                  message: { text: message('zlib | x', 'CVE-2026-0002', 'HIGH') },
                },
              ],
            },
          ],
        }),
      );
      const r = runStep(stepNamed('image', /Summary/).run, { SEVERITIES: 'HIGH,CRITICAL' }, dir);
      expect(r.status).toBe(0);
      expect(r.summary).toContain('| CVE-2026-0001 | CRITICAL | libssl3 | 3.0.1 | 3.0.2 |');
      expect(r.summary).toContain('| CVE-2026-0002 | HIGH | zlib / x | 3.0.1 | 3.0.2 |');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("logs in to the image's own registry only with REGISTRY_USERNAME, the password on stdin", () => {
    const bin = mkdtempSync(join(tmpdir(), 'shipline-docker-'));
    try {
      // Records how docker was called (arguments, stdin): which registry is our logic; docker's is docker's.
      writeFileSync(
        join(bin, 'docker'),
        `#!/usr/bin/env bash\nprintf '%s ' "$@" >> "${join(bin, 'calls')}"; printf '| stdin=%s\\n' "$(cat)" >> "${join(bin, 'calls')}"\n`,
        { mode: 0o755 },
      );
      const login = stepNamed('image', /Log in/);
      const run = (image: string, user: string) => {
        rmSync(join(bin, 'calls'), { force: true });
        const r = runStep(login.run, {
          PATH: `${bin}:${process.env.PATH}`,
          IMAGE: image,
          REGISTRY_USERNAME: user,
          REGISTRY_PASSWORD: 'pa$$ word',
        });
        return {
          status: r.status,
          outputs: r.outputs,
          calls: existsSync(join(bin, 'calls')) ? readFileSync(join(bin, 'calls'), 'utf8') : '',
        };
      };
      expect(run('ghcr.io/acme/api:1', 'bot')).toEqual({
        status: 0,
        outputs: 'registry=ghcr.io\nlogged-in=true\n',
        calls: 'login ghcr.io --username bot --password-stdin | stdin=pa$$ word\n',
      });
      expect(run('localhost:5000/api:1', 'bot').calls).toBe(
        'login localhost:5000 --username bot --password-stdin | stdin=pa$$ word\n',
      );
      expect(run('acme/api:1', 'bot')).toEqual({
        status: 0,
        outputs: 'registry=\nlogged-in=true\n',
        calls: 'login --username bot --password-stdin | stdin=pa$$ word\n',
      });
      expect(run('ghcr.io/acme/api:1', '')).toEqual({ status: 0, outputs: '', calls: '' });
      expect(stepNamed('image', /Log out/).if).toBe("always() && steps.login.outputs.logged-in == 'true'");
    } finally {
      rmSync(bin, { recursive: true, force: true });
    }
  });

  it('lets the pipeline require it before production: production needs it and runs only when it passed', () => {
    const pjobs: Record<string, Doc> = pipeline.jobs;
    expect(pjobs.security!.uses).toBe('./.github/workflows/security.yml');
    expect(pjobs.security!.permissions).toEqual({ contents: 'read', actions: 'read', 'security-events': 'write' });
    expect(needsOf(pjobs['production-ready']!)).toContain('security');
    expect(pipeline.on.workflow_call.inputs['require-security']).toMatchObject({ type: 'boolean', default: false });
    const context = (require: boolean, security: string, event = 'push') => ({
      inputs: inputsOf(`${WORKFLOWS}/pipeline.yml`, { 'require-security': require }),
      github: { event_name: event, ref_name: 'main', event: {} },
      needs: {
        preflight: { result: 'success' },
        announce: { result: 'skipped' },
        test: { result: 'success' },
        staging: { result: 'success' },
        'awaiting-approval': { result: 'skipped' },
        security: { result: security },
      },
    });
    const production = (require: boolean, security: string) =>
      runs(
        pjobs['production-ready']!.if,
        context(require, security),
        security === 'failure' ? 'failure' : security === 'cancelled' ? 'cancelled' : 'success',
      );
    expect(production(true, 'success')).toBe(true);
    expect(production(true, 'failure')).toBe(false);
    expect(production(true, 'cancelled')).toBe(false);
    expect(production(true, 'skipped')).toBe(false);
    expect(production(false, 'skipped')).toBe(true);
    // The gate runs when required, on pull requests too (findings before merge), and not otherwise.
    expect(runs(pjobs.security!.if, context(true, 'success'), 'success')).toBe(true);
    expect(runs(pjobs.security!.if, context(true, 'success', 'pull_request'), 'success')).toBe(true);
    expect(runs(pjobs.security!.if, context(false, 'success'), 'success')).toBe(false);
    // Staging and previews do not wait for it.
    expect(needsOf(pjobs.staging!)).not.toContain('security');
    expect(needsOf(pjobs.preview!)).not.toContain('security');
    // Every security.yml input the pipeline offers reaches it.
    const given = pjobs.security!.with as Doc;
    expect(given['package-manager']).toBe('${{ inputs.security-package-manager || inputs.package-manager }}');
    expect(given['working-directory']).toBe('${{ inputs.security-working-directory || inputs.working-directory }}');
    for (const [key, value] of Object.entries({
      'audit-level': 'security-audit-level',
      'codeql-languages': 'security-codeql-languages',
      'pip-requirements': 'security-pip-requirements',
      'secret-scan': 'security-secret-scan',
      image: 'security-image',
      'image-artifact': 'security-image-artifact',
    })) {
      expect({ key, value: given[key] }).toEqual({ key, value: `\${{ inputs.${value} }}` });
    }
  });

  it('is enabled by every template that deploys (and one of its own), with the grants its uploads need', () => {
    // Not in the rollback button (restoring production must never wait for a scan, and the seeds ask for it in
    // under 2 minutes) nor in the hourly health check (it deploys nothing).
    const without = new Set([`${TEMPLATES}/rollback.yml`, `${TEMPLATES}/health-check.yml`]);
    expect(templates.filter((f) => !without.has(f)).length).toBeGreaterThanOrEqual(5);
    for (const file of templates) {
      const gated = Object.entries<Doc>(files.get(file)!.jobs).filter(([, job]) => runsSecurityGate(job));
      if (without.has(file)) {
        expect({ file, gated: gated.length }).toEqual({ file, gated: 0 });
        continue;
      }
      expect({ file, gated: gated.length > 0 }).toEqual({ file, gated: true });
      // A called workflow cannot get more than its caller grants: without these, the gate's jobs would not start.
      for (const [id, job] of gated)
        expect({ file, id, permissions: job.permissions }).toEqual({
          file,
          id,
          permissions: expect.objectContaining({ contents: 'read', actions: 'read', 'security-events': 'write' }),
        });
      // Every job that deploys production from the pipeline requires the gate.
      for (const [id, job] of Object.entries<Doc>(files.get(file)!.jobs).filter(
        ([, j]) => typeof j.uses === 'string' && calledWorkflow(j.uses) === `${WORKFLOWS}/pipeline.yml`,
      )) {
        expect({ file, id, require: job.with?.['require-security'] }).toEqual({ file, id, require: true });
      }
    }
    expect(
      templates.some((f) =>
        Object.values<Doc>(files.get(f)!.jobs).some((job) => calledWorkflow(String(job.uses ?? '')) === SEC),
      ),
    ).toBe(true);
    // The container deploy scans the image it built: saved by the image job, scanned from this run's artifact.
    const ecs = files.get(`${TEMPLATES}/vercel-ecs-alembic.yml`)!;
    const upload = (ecs.jobs.image.steps as Doc[]).find((s) =>
      String(s.uses ?? '').startsWith('actions/upload-artifact@'),
    )!;
    expect(upload.with.name).toBe('api-image');
    expect(ecs.jobs.image.steps.find((s: Doc) => s.id === 'push').run).toMatch(
      /docker save "\$image" -o api-image\.tar/,
    );
    const artifact = ecs.jobs.pipeline.with['security-image-artifact'];
    expect(
      resolve(artifact, { needs: { image: { outputs: { image: '1.dkr.ecr.eu-west-1.amazonaws.com/api:abc' } } } }),
    ).toBe('api-image');
    expect(resolve(artifact, { needs: { image: { outputs: {} } } })).toBe('');
  });
});
