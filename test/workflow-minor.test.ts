// The smaller promises of the workflows, each run for real where it can be: third-party actions on Node 24 (from
// what their action.yml says at the pinned commit), pnpm without corepack (gone from Node.js 25), the ECR
// repository name in lower case, .ci/run installing with sudo on a runner, the templates' metadata in GitHub's
// documented form, the manual rollback's documented inputs, the health check's recovery read from the run
// history, and Dependabot's runs (Dependabot secrets, a read-only token) saying so instead of failing obscurely.
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { closedPort } from './support.js';
import { type Doc, loadWorkflow, outputsOf, root, runScript, stepOf } from './workflow-steps.js';

const WORKFLOW_FILES = ['.github/workflows', 'workflow-templates'].flatMap((folder) =>
  readdirSync(join(root, folder))
    .filter((f) => /\.ya?ml$/.test(f))
    .map((f) => `${folder}/${f}`),
);

/** A folder of stand-in commands, first on PATH; each records its arguments in $LOG. */
function fakeBin(commands: Record<string, string>): { bin: string; log: string; done: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'shipline-bin-'));
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  const log = join(dir, 'log');
  writeFileSync(log, '');
  for (const [name, body] of Object.entries(commands)) {
    writeFileSync(join(bin, name), `#!/bin/bash\necho "${name} $*" >> "$LOG"\n${body}\n`);
    chmodSync(join(bin, name), 0o755);
  }
  return { bin, log, done: () => rmSync(dir, { recursive: true, force: true }) };
}

describe('third-party actions', () => {
  const runtimes = JSON.parse(readFileSync(join(root, 'test/fixtures/action-runtimes.json'), 'utf8')) as Record<
    string,
    { version: string; using: string }
  >;

  it("run on Node 24: every pin's action.yml (recorded per commit) says node24, or is composite", () => {
    const pins = new Set<string>();
    for (const file of WORKFLOW_FILES) {
      for (const m of readFileSync(join(root, file), 'utf8').matchAll(
        /^\s*(?:-\s+)?uses:\s*([\w.-]+\/[\w./-]+@[0-9a-f]{40})(.*)$/gm,
      )) {
        if (/\.github\/workflows\//.test(m[1]!)) continue;
        const version = /#\s*(v\d+\.\d+\.\d+)/.exec(m[2]!)?.[1];
        pins.add(`${m[1]} ${version}`);
      }
    }
    expect(pins.size).toBeGreaterThanOrEqual(12);
    for (const pin of pins) {
      const [uses, version] = pin.split(' ');
      const recorded = runtimes[uses!];
      expect({ uses, recorded: Boolean(recorded) }).toEqual({ uses, recorded: true });
      expect({ uses, version, using: recorded!.using === 'composite' ? 'composite' : recorded!.using }).toEqual({
        uses,
        version: recorded!.version,
        using: recorded!.using === 'composite' ? 'composite' : 'node24',
      });
    }
  });
});

describe('pnpm without corepack (Node.js 25 and later ship none)', () => {
  const scripts = [
    stepOf(loadWorkflow('.github/workflows/test.yml'), 'test', /^Set up pnpm$/).run as string,
    stepOf(loadWorkflow('.github/workflows/security.yml'), 'audit', /^Set up pnpm$/).run as string,
  ];
  const content = (version: string) => `tarball of pnpm ${version}`;
  let fake: ReturnType<typeof fakeBin>;
  let project: string;

  beforeEach(() => {
    fake = fakeBin({
      npm: `if [ "$1" = pack ]; then v="\${2#pnpm@}"; dest="$4"; printf 'tarball of pnpm %s' "$v" > "$dest/pnpm-$v.tgz"; echo "pnpm-$v.tgz"; fi`,
      pnpm: 'echo 9.15.0',
      corepack: 'exit 1',
    });
    project = mkdtempSync(join(tmpdir(), 'shipline-pnpm-'));
  });
  afterEach(() => {
    fake.done();
    rmSync(project, { recursive: true, force: true });
  });

  const run = (script: string, pnpmVersion: string) =>
    runScript(script, { PATH: `${fake.bin}:${process.env.PATH}`, LOG: fake.log, PNPM_VERSION: pnpmVersion }, project);
  const calls = () => readFileSync(fake.log, 'utf8').trim().split('\n').filter(Boolean);

  it('is one script in test.yml and security.yml, and never calls corepack', () => {
    expect(scripts[0]).toBe(scripts[1]);
    expect(scripts[0]).not.toMatch(/^\s*corepack\b/m);
  });

  it('installs pnpm-version through npm', async () => {
    const result = await run(scripts[0]!, '9.15.0');
    expect(result.status).toBe(0);
    expect(calls()).toEqual([
      expect.stringMatching(/^npm pack pnpm@9\.15\.0 --pack-destination /),
      expect.stringMatching(/^npm install --global --no-audit --no-fund .*\/pnpm-9\.15\.0\.tgz$/),
      'pnpm --version',
    ]);
  });

  it("takes packageManager's version and checks its hash against the tarball, as corepack did", async () => {
    const good = createHash('sha512').update(content('9.15.0')).digest('hex');
    writeFileSync(join(project, 'package.json'), JSON.stringify({ packageManager: `pnpm@9.15.0+sha512.${good}` }));
    const ok = await run(scripts[0]!, '');
    expect(ok.status).toBe(0);
    expect(calls().some((c) => c.startsWith('npm install --global'))).toBe(true);

    writeFileSync(fake.log, '');
    writeFileSync(
      join(project, 'package.json'),
      JSON.stringify({
        packageManager: `pnpm@9.15.0+sha256.${createHash('sha256').update('another tarball').digest('hex')}`,
      }),
    );
    const bad = await run(scripts[0]!, '');
    expect(bad.status).not.toBe(0);
    expect(bad.log).toContain('::error::pnpm@9.15.0 from the registry is not the tarball packageManager pins');
    expect(calls().some((c) => c.startsWith('npm install'))).toBe(false);
  });

  it('names what is missing when neither pnpm-version nor packageManager says a version', async () => {
    writeFileSync(join(project, 'package.json'), JSON.stringify({ packageManager: 'yarn@4.1.0' }));
    const result = await run(scripts[0]!, '');
    expect(result.status).not.toBe(0);
    expect(result.log).toMatch(
      /::error::package-manager is pnpm, but pnpm-version is empty and package\.json in .* has no "packageManager": "pnpm@<version>"/,
    );
    expect(calls()).toEqual([]);
  });
});

describe("the ECS template's image", () => {
  it('is pushed to an ECR repository named like the GitHub repository, in lower case', async () => {
    const push = stepOf(loadWorkflow('workflow-templates/vercel-ecs-alembic.yml'), 'image', 'push');
    const fake = fakeBin({
      aws: 'if [ "$1" = sts ]; then echo 123456789012; else echo password; fi',
      docker: 'cat > /dev/null || true',
    });
    try {
      const result = await runScript(push.run, {
        PATH: `${fake.bin}:${process.env.PATH}`,
        LOG: fake.log,
        AWS_REGION: 'eu-west-1',
        GITHUB_REPOSITORY: 'Acme/Shop-API',
        GITHUB_SHA: 'abc123',
      });
      expect(result.status).toBe(0);
      const image = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop-api:abc123';
      expect(outputsOf(result.outputs)).toEqual({ image });
      expect(readFileSync(fake.log, 'utf8')).toContain(`docker build -t ${image} backend`);
    } finally {
      fake.done();
    }
  });
});

describe('.ci/run', () => {
  // Everything the script runs is a stand-in: npm (the build and tests), apt-get, sudo, id; shellcheck is absent.
  async function ciRun(uid: string, withSudo: boolean) {
    const fake = fakeBin({
      npm: 'exit 0',
      id: `echo ${uid}`,
      'apt-get': 'echo "apt-get as ${RAN_WITH:-the user}" >> "$LOG"',
      ...(withSudo ? { sudo: 'RAN_WITH=sudo exec "$@"' } : {}),
      dirname: '/usr/bin/dirname "$@"',
    });
    try {
      const result = await runScript(`exec /bin/bash ${join(root, '.ci/run')}`, {
        PATH: fake.bin,
        LOG: fake.log,
        CHROMIUM: '/usr/bin/true',
      });
      return {
        ...result,
        calls: readFileSync(fake.log, 'utf8')
          .trim()
          .split('\n')
          .filter((l) => !/^(id|dirname) /.test(l)),
      };
    } finally {
      fake.done();
    }
  }

  it('installs the missing tools with sudo as a runner user, directly as root, and says why it cannot otherwise', async () => {
    const runner = await ciRun('1001', true);
    expect(runner.status).toBe(0);
    expect(runner.calls).toEqual(
      expect.arrayContaining(['sudo apt-get update -qq', 'apt-get as sudo', 'sudo apt-get install -y -qq shellcheck']),
    );
    const asRoot = await ciRun('0', true);
    expect(asRoot.status).toBe(0);
    expect(asRoot.calls.filter((c) => c.startsWith('sudo'))).toEqual([]);
    expect(asRoot.calls).toEqual(
      expect.arrayContaining(['apt-get update -qq', 'apt-get install -y -qq shellcheck', 'apt-get as the user']),
    );
    const neither = await ciRun('1001', false);
    expect(neither.status).not.toBe(0);
    expect(neither.log).toContain('missing: shellcheck; installing them needs root or sudo (neither here)');
    expect(neither.calls.filter((c) => c.startsWith('apt-get'))).toEqual([]);
  });
});

describe("the templates' metadata (.properties.json)", () => {
  // GitHub's documented fields for organisation workflow templates (name and description required) and the
  // starter-workflows README's (creator, labels).
  const FIELDS = new Set(['name', 'description', 'iconName', 'categories', 'filePatterns', 'creator', 'labels']);
  const templates = readdirSync(join(root, 'workflow-templates')).filter((f) => f.endsWith('.yml'));

  it('uses only documented fields, an icon GitHub can show, and file patterns that can match a file at the root', () => {
    expect(templates.length).toBeGreaterThanOrEqual(7);
    const svgs = new Set(
      readdirSync(join(root, 'workflow-templates'))
        .filter((f) => f.endsWith('.svg'))
        .map((f) => f.replace(/\.svg$/, '')),
    );
    for (const template of templates) {
      const file = template.replace(/\.yml$/, '.properties.json');
      const props = JSON.parse(readFileSync(join(root, 'workflow-templates', file), 'utf8')) as Doc;
      expect({ file, unknown: Object.keys(props).filter((k) => !FIELDS.has(k)) }).toEqual({ file, unknown: [] });
      expect({
        file,
        name: typeof props.name === 'string' && props.name.length > 0,
        description: typeof props.description === 'string' && props.description.length > 0,
      }).toEqual({ file, name: true, description: true });
      if (props.iconName !== undefined)
        expect({ file, icon: /^octicon [a-z0-9-]+$/.test(props.iconName) || svgs.has(props.iconName) }).toEqual({
          file,
          icon: true,
        });
      expect({
        file,
        categories:
          Array.isArray(props.categories) &&
          props.categories.length > 0 &&
          props.categories.every((c: unknown) => typeof c === 'string'),
      }).toEqual({ file, categories: true });
      // "a file in its root directory that matches": a pattern with a folder in it never matches, and an
      // unanchored one matches names it does not mean (next.config.js matched by xnext-config-js too).
      for (const pattern of (props.filePatterns ?? []) as string[]) {
        expect(() => new RegExp(pattern)).not.toThrow();
        expect({
          file,
          pattern,
          folder: pattern.includes('/'),
          anchored: pattern.startsWith('^') && pattern.endsWith('$'),
        }).toEqual({ file, pattern, folder: false, anchored: true });
      }
    }
  });

  it('offers each template where its files are: no root file pattern for templates whose apps live in folders', () => {
    const props = (name: string) =>
      JSON.parse(readFileSync(join(root, 'workflow-templates', `${name}.properties.json`), 'utf8')) as Doc;
    // backend/ and frontend/ (their own railway.toml, Dockerfile, alembic.ini, next.config): nothing at the root.
    expect(props('vercel-ecs-alembic').filePatterns).toBeUndefined();
    expect(props('railway-fullstack').filePatterns).toBeUndefined();
    expect(props('nextjs-vercel').filePatterns.some((p: string) => new RegExp(p).test('next.config.mjs'))).toBe(true);
    expect(props('vercel-supabase').filePatterns.some((p: string) => new RegExp(p).test('package.json'))).toBe(true);
  });
});

describe('the manual rollback docs', () => {
  const docs = readFileSync(join(root, 'docs/workflows.md'), 'utf8');
  const section = docs.split('\n## Manual rollback\n')[1]!.split('\n## ')[0]!;
  const inputs: Record<string, Doc> = loadWorkflow('workflow-templates/rollback.yml').on.workflow_dispatch.inputs;

  it("list exactly the template's workflow_dispatch inputs", () => {
    const listed = [...section.matchAll(/^\s+- \*\*([\w-]+)\*\*:/gm)].map((m) => m[1]);
    expect(listed).toEqual(Object.keys(inputs));
  });

  it('run it from main, and the gh example names the branch and every required input', () => {
    expect(section).not.toMatch(/any; the workflow comes from it/);
    expect(section).toMatch(/Use workflow from\*\* `main`/);
    const example = /`(gh workflow run rollback\.yml[^`]*)`/.exec(section)?.[1] ?? '';
    expect(example).toContain('--ref main');
    const given = [...example.matchAll(/-f ([\w-]+)=/g)].map((m) => m[1]);
    for (const [name, input] of Object.entries(inputs))
      if (input.required) expect({ name, given: given.includes(name) }).toEqual({ name, given: true });
    for (const name of given) expect({ name, exists: name! in inputs }).toEqual({ name, exists: true });
  });
});

describe("the health check's recovery", () => {
  const step = stepOf(loadWorkflow('.github/workflows/health-check.yml'), 'check', 'previous');
  let runs: { id: number; conclusion: string }[] = [];
  let status = 200;
  let seen: URL[] = [];
  let server: Server;
  let api: string;

  beforeAll(async () => {
    server = createServer((req: IncomingMessage, res) => {
      seen.push(new URL(req.url ?? '/', 'http://x'));
      res
        .writeHead(status, { 'content-type': 'application/json' })
        .end(
          JSON.stringify(
            status === 200
              ? { total_count: runs.length, workflow_runs: runs }
              : { message: 'Resource not accessible by integration' },
          ),
        );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    api = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  async function previous(history: string[], apiUrl = api, answer = 200) {
    // Newest first, as the API lists them; this run (id 100) is among them once it is listed as completed.
    runs = [{ id: 100, conclusion: 'failure' }, ...history.map((conclusion, i) => ({ id: 99 - i, conclusion }))];
    status = answer;
    seen = [];
    const result = await runScript(step.run, {
      GH_TOKEN: 'ghs_x',
      GITHUB_API_URL: apiUrl,
      GITHUB_REPOSITORY: 'acme/shop',
      GITHUB_WORKFLOW_REF: 'acme/shop/.github/workflows/health.yml@refs/heads/main',
      GITHUB_REF_NAME: 'main',
      GITHUB_RUN_ID: '100',
    });
    return { ...result, failed: outputsOf(result.outputs).failed };
  }

  it("reads the calling workflow's completed runs on this branch, and not this run", async () => {
    const result = await previous(['success']);
    expect(result.status).toBe(0);
    expect(result.failed).toBe('false');
    expect(seen).toHaveLength(1);
    expect(seen[0]!.pathname).toBe('/repos/acme/shop/actions/workflows/health.yml/runs');
    expect(Object.fromEntries(seen[0]!.searchParams)).toMatchObject({ branch: 'main', status: 'completed' });
  });

  it('is a recovery after a failed check, also when cancelled or skipped runs came in between', async () => {
    expect((await previous(['failure'])).failed).toBe('true');
    expect((await previous(['cancelled', 'skipped', 'failure', 'success'])).failed).toBe('true');
    expect((await previous(['timed_out'])).failed).toBe('true');
    expect((await previous(['cancelled', 'success', 'failure'])).failed).toBe('false');
    expect((await previous([])).failed).toBe('false');
  });

  it('warns, and claims no recovery, when the history cannot be read', async () => {
    const refused = await previous(['failure'], api, 403);
    expect(refused.status).toBe(0);
    expect(refused.failed).toBe('false');
    expect(refused.log).toContain(
      '::warning title=shipline health check::could not read the earlier runs of health.yml (HTTP 403; the job needs actions: read)',
    );
    const unreachable = await previous(['failure'], `http://127.0.0.1:${await closedPort()}`);
    expect(unreachable.status).toBe(0);
    expect(unreachable.failed).toBe('false');
    expect(unreachable.log).toContain('could not read the earlier runs');
  });
});

describe("Dependabot's runs (Dependabot secrets and a read-only token, even when re-run by someone else)", () => {
  it("stop the pipeline's preflight on a push Dependabot made, saying why, before anything deploys", async () => {
    const preflight = stepOf(
      loadWorkflow('.github/workflows/pipeline.yml'),
      'preflight',
      /^Staging and production are apart$/,
    );
    expect(preflight.env.ACTOR).toBe('${{ github.actor }}');
    const env = {
      PROVIDER: 'vercel',
      STAGING: 'a|||',
      PRODUCTION: 'a|||',
      WITH_FUNCTIONS: 'false',
      STAGING_FUNCTIONS: '',
      PRODUCTION_FUNCTIONS: '',
      MIGRATE: 'false',
      STAGING_DATABASE_URL: '',
      PRODUCTION_DATABASE_URL: '',
    };
    const bot = await runScript(preflight.run, { ...env, ACTOR: 'dependabot[bot]' });
    expect(bot.status).not.toBe(0);
    expect(bot.log).toContain(
      '::error title=shipline preflight::this push was made by Dependabot (e.g. @dependabot merge): GitHub gives its runs Dependabot secrets',
    );
    const person = await runScript(preflight.run, { ...env, ACTOR: 'octocat' });
    expect(person.status).toBe(0);
  });

  it('say in the test job where TEST_ENV must be set for them', async () => {
    const load = stepOf(loadWorkflow('.github/workflows/test.yml'), 'test', /^Load TEST_ENV$/);
    expect(load.env.ACTOR).toBe('${{ github.actor }}');
    const bot = await runScript(load.run, { TEST_ENV: '', ACTOR: 'dependabot[bot]', GITHUB_ENV: '/dev/null' });
    expect(bot.status).toBe(0);
    expect(bot.log).toContain('::notice title=shipline test::TEST_ENV is empty in this Dependabot run');
    const person = await runScript(load.run, { TEST_ENV: '', ACTOR: 'octocat', GITHUB_ENV: '/dev/null' });
    expect(person.log).not.toContain('::notice');
  });

  it("try the security gate's upload without failing the gate when the token turns out read-only", async () => {
    for (const job of ['codeql', 'image']) {
      const probe = stepOf(loadWorkflow('.github/workflows/security.yml'), job, 'sarif');
      expect(probe.env.ACTOR).toBe('${{ github.actor }}');
      // always is the caller's explicit choice; auto tolerates a refusal in a Dependabot run.
      const result = await runScript(probe.run, {
        UPLOAD_SARIF: 'auto',
        CHECK_DEFAULT_SETUP: 'false',
        ACTOR: 'dependabot[bot]',
        GH_TOKEN: 'x',
        GITHUB_API_URL: `http://127.0.0.1:${await closedPort()}`,
        GITHUB_REPOSITORY: 'acme/shop',
      });
      expect(outputsOf(result.outputs)).toMatchObject({ upload: 'true', tolerate: 'true' });
    }
  });
});
