// `shipline check [dir]`, run as a user runs it (the built CLI, dist/cli/index.js, in a repository that is not
// shipline's): every starter template copied as is passes; a broken copy fails with path:line, the job, the wrong
// name and the closest valid one; the production-credential rule catches a credential readable outside the
// production environment.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, test } from '@jest/globals';
import { nodeBinary } from '../cli/local-runner.js';
import {
  closestName,
  isCredentialInput,
  isProductionSecret,
  parseShiplineUses,
  productionIntent,
  secretReferences,
} from '../cli/check.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'shipline-check-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const templateDir = join(root, 'workflow-templates');
const templates = readdirSync(templateDir)
  .filter((f) => f.endsWith('.yml'))
  .sort();
const templateText = (name: string) => readFileSync(join(templateDir, name), 'utf8');

/** Runs the built CLI's `check` from `cwd` (a folder outside shipline's repository unless said otherwise). */
function check(args: string[], cwd = scratch): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(nodeBinary(root), [join(root, 'dist', 'cli', 'index.js'), 'check', ...args], {
    cwd,
    encoding: 'utf8',
    env: { PATH: process.env.PATH, HOME: process.env.HOME },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

let repositories = 0;
/** A repository folder holding these workflows in .github/workflows; returns its path. */
function repository(workflows: Record<string, string>): string {
  const dir = join(scratch, `repo-${++repositories}`);
  mkdirSync(join(dir, '.github', 'workflows'), { recursive: true });
  for (const [name, text] of Object.entries(workflows)) writeFileSync(join(dir, '.github', 'workflows', name), text);
  return dir;
}

/** The 1-based line of the first occurrence of `needle`. */
function lineOf(text: string, needle: string): number {
  const at = text.indexOf(needle);
  if (at < 0) throw new Error(`'${needle}' is not in the text`);
  return text.slice(0, at).split('\n').length;
}

/** The job (a two-space-indented key under jobs:) that holds a line. */
function jobAt(text: string, line: number): string {
  const jobs = text
    .split('\n')
    .slice(0, line)
    .map((l) => /^ {2}([A-Za-z0-9_-]+):\s*$/.exec(l)?.[1])
    .filter(Boolean);
  return jobs[jobs.length - 1]!;
}

/** The first template that holds `needle`, with `needle` replaced: a deliberately broken copy. */
function brokenTemplate(
  needle: string,
  replacement: string,
): { name: string; original: string; text: string; line: number; job: string } {
  const name = templates.find((t) => templateText(t).includes(needle));
  if (!name) throw new Error(`no template holds '${needle}'`);
  const original = templateText(name);
  const line = lineOf(original, needle);
  return { name, original, text: original.replace(needle, replacement), line, job: jobAt(original, line) };
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const findingLines = (stdout: string) => stdout.split('\n').filter((l) => /^\S+:\d+: \[/.test(l));

/**
 * Checks a broken copy of a template and the template as shipped, each in a repository of its own; returns the
 * findings only the broken copy has (paths as `<dir>/…`), and its exit code. The mutation's finding is judged on
 * its own, whatever the shipped template reports.
 */
function checkBroken(
  broken: { name: string; original: string; text: string },
  ...args: string[]
): { code: number | null; added: string[]; dir: string } {
  const dir = repository({ [broken.name]: broken.text });
  const before = findingLines(check([repository({ [broken.name]: broken.original }), ...args]).stdout).map((l) =>
    l.replace(/^.*?\/\.github\//, '<dir>/.github/'),
  );
  const { code, stdout } = check([dir, ...args]);
  const after = findingLines(stdout).map((l) => l.replace(`${dir}/`, '<dir>/'));
  return { code, added: after.filter((l) => !before.includes(l)), dir };
}

const header = (trigger = 'push') => `name: release\non: ${trigger}\npermissions: {}\njobs:\n`;

describe('shipline check: the templates as shipped', () => {
  test.each(templates)('%s copied as is into a repository: 0 findings, exit 0', (template) => {
    const dir = repository({ [template]: templateText(template) });
    const { code, stdout, stderr } = check([dir]);
    expect({ code, stderr, findings: findingLines(stdout) }).toEqual({ code: 0, stderr: '', findings: [] });
    expect(stdout).toMatch(
      /^0 findings in 1 workflow file \(([1-9]\d*) calls? of shipline's workflows and actions checked\)$/m,
    );
  });

  test.each(templates)(
    '%s keeps the caller contract: no unknown or missing input or secret, no wrong type',
    (template) => {
      const { stdout } = check([repository({ [template]: templateText(template) })]);
      expect(findingLines(stdout).filter((l) => !/: \[prod-/.test(l))).toEqual([]);
      expect(stdout).toMatch(/\(([1-9]\d*) calls? of shipline's workflows and actions checked\)$/m);
    },
  );

  test('all templates together in one repository, the folder given as `.`: 0 findings, exit 0', () => {
    const dir = repository(Object.fromEntries(templates.map((t) => [t, templateText(t)])));
    const { code, stdout } = check([], dir);
    expect(findingLines(stdout)).toEqual([]);
    expect(stdout).toContain(`0 findings in ${templates.length} workflow files`);
    expect(code).toBe(0);
  });

  test('the contracts shipped with the CLI are the ones the repository files define, every workflow_call workflow and action', () => {
    const generated = spawnSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `import { readContracts } from ${JSON.stringify(join(root, 'scripts', 'workflow-contracts.mjs'))}; process.stdout.write(JSON.stringify(readContracts(${JSON.stringify(root)})));`,
      ],
      { encoding: 'utf8' },
    );
    expect(generated.stderr).toBe('');
    const shipped = JSON.parse(readFileSync(join(root, 'dist', 'cli', 'contracts.json'), 'utf8')) as {
      workflows: Record<string, unknown>;
      actions: Record<string, unknown>;
    };
    expect(shipped).toEqual(JSON.parse(generated.stdout));
    const callable = readdirSync(join(root, '.github', 'workflows')).filter((f) =>
      /\bworkflow_call:/.test(readFileSync(join(root, '.github', 'workflows', f), 'utf8')),
    );
    expect(Object.keys(shipped.workflows).sort()).toEqual(callable.sort());
    const actions = readdirSync(join(root, 'actions')).filter((a) =>
      existsSync(join(root, 'actions', a, 'action.yml')),
    );
    expect(Object.keys(shipped.actions).sort()).toEqual(actions.sort());
  });
});

describe('shipline check: the caller contract', () => {
  test('an input typo: file:line, the job, the wrong name and the closest valid one; exit 1', () => {
    const broken = brokenTemplate('      smoke-paths:', '      smoke-path:');
    const { code, added } = checkBroken(broken);
    expect(added).toEqual([
      expect.stringMatching(
        new RegExp(
          `^<dir>/\\.github/workflows/${escape(broken.name)}:${broken.line}: \\[unknown-input\\] job '${broken.job}': 'smoke-path' is not an input of \\S+; did you mean 'smoke-paths'\\?$`,
        ),
      ),
    ]);
    expect(code).toBe(1);
  });

  test('a missing required input names the job and the input, at the call', () => {
    const text = templateText('health-check.yml');
    const dir = repository({ 'health.yml': text.replace(/^ {6}url: .*\n/m, '') });
    const { code, stdout } = check([dir]);
    const line = lineOf(text, 'uses: shipline/shipline/.github/workflows/health-check.yml@');
    expect(findingLines(stdout)).toEqual([
      `${join(dir, '.github', 'workflows', 'health.yml')}:${line}: [missing-input] job 'health': health-check.yml requires input 'url', which is not given`,
    ]);
    expect(code).toBe(1);
  });

  test("SLACK_WEBHOOK instead of SLACK_WEBHOOK_URL: an unknown secret, with the closest valid name and the workflow's secrets", () => {
    const broken = brokenTemplate(
      'SLACK_WEBHOOK_URL: ${{ secrets.SLACK_WEBHOOK_URL }}',
      'SLACK_WEBHOOK: ${{ secrets.SLACK_WEBHOOK }}',
    );
    const { code, added } = checkBroken(broken);
    expect(added).toEqual([
      expect.stringMatching(
        new RegExp(
          `^<dir>/\\.github/workflows/${escape(broken.name)}:${broken.line}: \\[unknown-secret\\] job '${broken.job}' passes secret 'SLACK_WEBHOOK' to \\S+\\.yml, which has no such secret; did you mean 'SLACK_WEBHOOK_URL'\\? \\(secrets of `,
        ),
      ),
    ]);
    expect(code).toBe(1);
  });

  test('a required secret not passed is named, with the job; secrets: inherit passes it', () => {
    const call = (secrets: string) =>
      `${header()}  announce:\n    uses: shipline/shipline/.github/workflows/notify.yml@v1\n    with:\n      status: started\n      slack-channel: C123\n${secrets}`;
    const dir = repository({ 'announce.yml': call('') });
    const { code, stdout } = check([dir]);
    expect(findingLines(stdout)).toEqual([
      `${join(dir, '.github', 'workflows', 'announce.yml')}:6: [missing-secret] job 'announce' calls notify.yml without its required secret 'SLACK_BOT_TOKEN'`,
    ]);
    expect(code).toBe(1);
    expect(check([repository({ 'announce.yml': call('    secrets: inherit\n') })]).code).toBe(0);
    expect(
      check([
        repository({ 'announce.yml': call('    secrets:\n      slack_bot_token: ${{ secrets.SLACK_BOT_TOKEN }}\n') }),
      ]).code,
    ).toBe(0); // names are case-insensitive
  });

  test("a boolean input given 'yes' or 'true' (strings in YAML 1.2, refused by GitHub) is a wrong type; true is not", () => {
    const quoted = checkBroken(brokenTemplate('require-security: true', "require-security: 'true'"));
    expect(quoted.added).toEqual([
      expect.stringContaining(
        "[input-type] job 'pipeline': input 'require-security' of pipeline.yml is a boolean, got 'true'",
      ),
    ]);
    const shipped = brokenTemplate('require-security: true', 'require-security: true');
    expect(
      findingLines(check([repository({ [shipped.name]: shipped.original })]).stdout).filter((l) =>
        l.includes('[input-type]'),
      ),
    ).toEqual([]);
    const broken = brokenTemplate('require-security: true', 'require-security: yes');
    const { code, added } = checkBroken(broken);
    expect(added).toEqual([
      expect.stringMatching(
        new RegExp(
          `^<dir>/\\.github/workflows/${escape(broken.name)}:${broken.line}: \\[input-type\\] job '${broken.job}': input 'require-security' of \\S+\\.yml is a boolean, got 'yes'; write true or false, unquoted \\(or an expression\\)$`,
        ),
      ),
    ]);
    expect(code).toBe(1);
  });

  test("a number input given 'soon' is a wrong type; 30 and an expression are not", () => {
    const call = (minutes: string) =>
      `${header()}  staging:\n    uses: shipline/shipline/.github/workflows/deploy-environment.yml@v1\n    with:\n      environment: staging\n      stage: staging\n      provider: vercel\n      timeout-minutes: ${minutes}\n`;
    const dir = repository({ 'staging.yml': call('soon') });
    const { code, stdout } = check([dir]);
    expect(findingLines(stdout)).toEqual([
      `${join(dir, '.github', 'workflows', 'staging.yml')}:11: [input-type] job 'staging': input 'timeout-minutes' of deploy-environment.yml is a number, got 'soon'`,
    ]);
    expect(code).toBe(1);
    expect(check([repository({ 'staging.yml': call('30') })]).code).toBe(0);
    expect(check([repository({ 'staging.yml': call('${{ vars.MINUTES }}') })]).code).toBe(0);
  });

  test("a call of the repository's own reusable workflow (./.github/workflows/…) is checked against that file's workflow_call", () => {
    const reusable = `name: reusable\non:\n  workflow_call:\n    inputs:\n      target: { type: string, required: true }\n      dry-run: { type: boolean, default: false }\n    secrets:\n      TOKEN: { required: true }\njobs:\n  run:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo\n`;
    const caller = `${header()}  call:\n    uses: ./.github/workflows/reusable.yml\n    with:\n      dry-rn: true\n    secrets:\n      TOKEN: \${{ secrets.TOKEN }}\n  plain:\n    uses: ./.github/workflows/caller.yml\n  missing:\n    uses: ./.github/workflows/reusabel.yml\n`;
    const dir = repository({ 'reusable.yml': reusable, 'caller.yml': caller });
    const { code, stdout } = check([dir]);
    const file = join(dir, '.github', 'workflows', 'caller.yml');
    expect(findingLines(stdout)).toEqual([
      `${file}:6: [missing-input] job 'call': reusable.yml requires input 'target', which is not given`,
      `${file}:8: [unknown-input] job 'call': 'dry-rn' is not an input of reusable.yml; did you mean 'dry-run'?`,
      `${file}:12: [unknown-workflow] job 'plain' calls ./.github/workflows/caller.yml, which has no on.workflow_call: it cannot be called`,
      `${file}:14: [unknown-workflow] job 'missing' calls ./.github/workflows/reusabel.yml, which is not a workflow of this repository; did you mean 'reusable.yml'?`,
    ]);
    expect(stdout).toContain(
      "(0 calls of shipline's workflows and actions checked, 1 call of this repository's own reusable workflows)",
    );
    expect(code).toBe(1);
  });

  test('a file that is not valid YAML is one finding at its first error, not one per consequence', () => {
    const dir = repository({
      'broken.yml': `${header()}  ship:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v5\n        with: { token: \${{ github.token }} }\n      - run: echo\n`,
    });
    const { code, stdout } = check([dir]);
    expect(findingLines(stdout)).toEqual([
      expect.stringMatching(/broken\.yml:9: \[yaml\] not valid YAML: .+ \(and \d+ more after it\)$/),
    ]);
    expect(code).toBe(1);
  });

  test('a workflow or action shipline does not have is named with the closest one', () => {
    const text = `${header()}  test:\n    uses: shipline/shipline/.github/workflows/tests.yml@v1\n  smoke:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: shipline/shipline/actions/smoketest@v1\n        with: { url: 'https://example.com' }\n`;
    const dir = repository({ 'ci.yml': text });
    const { code, stdout } = check([dir]);
    const file = join(dir, '.github', 'workflows', 'ci.yml');
    expect(findingLines(stdout)).toEqual([
      expect.stringMatching(
        new RegExp(
          `^${escape(file)}:6: \\[unknown-workflow\\] job 'test' calls shipline/shipline/\\.github/workflows/tests\\.yml@v1, which is not one of shipline's reusable workflows; did you mean 'test\\.yml'\\?`,
        ),
      ),
      expect.stringMatching(
        new RegExp(
          `^${escape(file)}:10: \\[unknown-action\\] job 'smoke' uses shipline/shipline/actions/smoketest@v1, which is not one of shipline's actions; did you mean 'smoke-test'\\?`,
        ),
      ),
    ]);
    expect(code).toBe(1);
  });

  test('an action input typo is found in a step, with the closest input', () => {
    const text = `${header()}  smoke:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: shipline/shipline/actions/smoke-test@v1\n        with:\n          url: https://example.com\n          treshold: p(95)<300\n`;
    const dir = repository({ 'smoke.yml': text });
    const { code, stdout } = check([dir]);
    expect(findingLines(stdout)).toEqual([
      `${join(dir, '.github', 'workflows', 'smoke.yml')}:11: [unknown-input] job 'smoke': 'treshold' is not an input of action smoke-test; did you mean 'thresholds'?`,
    ]);
    expect(code).toBe(1);
  });

  test('any ref resolves to the shipped contract: @main and a commit SHA as @v1', () => {
    const broken = brokenTemplate(
      'SLACK_WEBHOOK_URL: ${{ secrets.SLACK_WEBHOOK_URL }}',
      'SLACK_WEBHOOK: ${{ secrets.SLACK_WEBHOOK }}',
    );
    expect(broken.text).toContain('@v1');
    for (const ref of ['v1', 'main', '0123456789abcdef0123456789abcdef01234567']) {
      const { code, added } = checkBroken({ ...broken, text: broken.text.replaceAll('@v1', `@${ref}`) });
      expect({ ref, code, added }).toEqual({
        ref,
        code: 1,
        added: [expect.stringContaining(`<dir>/.github/workflows/${broken.name}:${broken.line}: [unknown-secret]`)],
      });
    }
  });

  test("a fork's calls are checked with --repository, and not without (another repository's workflows are not shipline's)", () => {
    const broken = brokenTemplate(
      'SLACK_WEBHOOK_URL: ${{ secrets.SLACK_WEBHOOK_URL }}',
      'SLACK_WEBHOOK: ${{ secrets.SLACK_WEBHOOK }}',
    );
    const fork = {
      ...broken,
      original: broken.original.replaceAll('shipline/shipline/', 'acme/shipline-fork/'),
      text: broken.text.replaceAll('shipline/shipline/', 'acme/shipline-fork/'),
    };
    const without = checkBroken(fork);
    expect(without.added).toEqual([]);
    expect(check([without.dir]).stdout).toContain('(0 calls of');
    const withFork = checkBroken(fork, '--repository', 'acme/shipline-fork');
    expect(withFork.added).toEqual([expect.stringContaining(`:${broken.line}: [unknown-secret]`)]);
    expect(withFork.code).toBe(1);
  });

  test('--format json gives the same findings as data', () => {
    const broken = brokenTemplate('      smoke-paths:', '      smoke-path:');
    const dir = repository({ [broken.name]: broken.text });
    const { code, stdout } = check([dir, '--format', 'json']);
    const report = JSON.parse(stdout) as {
      findings: { file: string; line: number; rule: string; job: string }[];
      files: number;
      calls: number;
    };
    expect(report.findings.filter((f) => f.rule === 'unknown-input')).toEqual([
      expect.objectContaining({
        file: join(dir, '.github', 'workflows', broken.name),
        line: broken.line,
        rule: 'unknown-input',
        job: broken.job,
      }),
    ]);
    expect(report.files).toBe(1);
    expect(code).toBe(1);
  });
});

describe('shipline check: a production credential is readable only by a job that names the production environment', () => {
  test('PRODUCTION_DEPLOY_TOKEN read by a job without environment is a finding; the same in a job that names one is not', () => {
    const text = `${header()}  ship:\n    runs-on: ubuntu-latest\n    steps:\n      - run: ./deploy.sh\n        env:\n          TOKEN: \${{ secrets.PRODUCTION_DEPLOY_TOKEN }}\n          KEY: \${{ secrets.PRODUCT_KEY }}\n  gated:\n    runs-on: ubuntu-latest\n    environment: production\n    steps:\n      - run: ./deploy.sh\n        env:\n          TOKEN: \${{ secrets.PRODUCTION_DEPLOY_TOKEN }}\n          URL: \${{ secrets.PROD_DATABASE_URL }}\n`;
    const dir = repository({ 'ship.yml': text });
    const { code, stdout } = check([dir]);
    expect(findingLines(stdout)).toEqual([
      `${join(dir, '.github', 'workflows', 'ship.yml')}:10: [prod-secret-outside-environment] job 'ship' reads secret PRODUCTION_DEPLOY_TOKEN, a production credential, but the job names no environment: a production credential is readable only by a job that names the protected production environment (https://github.com/shipline/shipline/blob/main/docs/workflows.md#production-credentials)`,
    ]);
    expect(code).toBe(1);
  });

  test("a production secret in the workflow's own env is a finding: every job gets it", () => {
    const text = `name: release\non: push\npermissions: {}\nenv:\n  DB: \${{ secrets.PRODUCTION_DATABASE_URL }}\n  SLACK: \${{ secrets.SLACK_WEBHOOK_URL }}\njobs:\n  ship:\n    runs-on: ubuntu-latest\n    environment: production\n    steps:\n      - run: ./migrate.sh\n`;
    const dir = repository({ 'release.yml': text });
    const { code, stdout } = check([dir]);
    expect(findingLines(stdout)).toEqual([
      expect.stringContaining(
        "release.yml:5: [prod-secret-outside-environment] the workflow's env reads secret PRODUCTION_DATABASE_URL, a production credential, and hands it to every job of the workflow",
      ),
    ]);
    expect(code).toBe(1);
  });

  test('a production secret passed to a reusable workflow is a finding: a calling job cannot name an environment', () => {
    const text = `${header()}  pipeline:\n    uses: shipline/shipline/.github/workflows/health-check.yml@v1\n    with:\n      url: https://example.com\n    secrets:\n      SMOKE_HEADERS: \${{ secrets.AWS_ROLE_PROD }}\n`;
    const dir = repository({ 'pipeline.yml': text });
    const { code, stdout } = check([dir]);
    expect(findingLines(stdout)).toEqual([
      expect.stringContaining(
        ":10: [prod-secret-outside-environment] job 'pipeline' reads secret AWS_ROLE_PROD, a production credential, but a job that calls a reusable workflow cannot name an environment",
      ),
    ]);
    expect(code).toBe(1);
  });

  const deployJob = (environment: string, target: string, token: string, action = 'deploy') =>
    `${header()}  production:\n    runs-on: ubuntu-latest\n${environment}    steps:\n      - uses: shipline/shipline/actions/${action}@v1\n        with:\n          provider: vercel\n${target}          token: ${token}\n`;

  test('the deploy action with target production (or staged, or command promote) in a job without environment is a finding', () => {
    for (const [target, intent] of [
      ['          target: production\n', 'target: production'],
      ['          target: staged\n', 'target: staged'],
      ['          command: promote\n          deployment-id: dpl_1\n', 'command: promote'],
    ] as const) {
      const dir = repository({ 'deploy.yml': deployJob('', target, '${{ secrets.DEPLOY_TOKEN }}') });
      const { code, stdout } = check([dir]);
      expect({ intent, code, findings: findingLines(stdout) }).toEqual({
        intent,
        code: 1,
        findings: [
          `${join(dir, '.github', 'workflows', 'deploy.yml')}:8: [prod-step-without-environment] job 'production' runs shipline/shipline/actions/deploy@v1 on production (${intent}) but names no environment: a production credential is readable only by a job that names the protected production environment; add \`environment: production\` to the job (https://github.com/shipline/shipline/blob/main/docs/workflows.md#production-credentials)`,
        ],
      });
    }
  });

  test('the rollback action acts on production at all: without environment it is a finding', () => {
    const dir = repository({
      'rollback.yml': deployJob('', '          reason: manual\n', '${{ secrets.DEPLOY_TOKEN }}', 'rollback'),
    });
    const { code, stdout } = check([dir]);
    expect(findingLines(stdout)).toEqual([
      expect.stringContaining(
        ":8: [prod-step-without-environment] job 'production' runs shipline/shipline/actions/rollback@v1 on production (the rollback action restores a production release)",
      ),
    ]);
    expect(code).toBe(1);
  });

  test('a preview deploy needs no environment; production with environment and the token from secrets is clean', () => {
    expect(
      check([repository({ 'deploy.yml': deployJob('', '          target: preview\n', '${{ secrets.DEPLOY_TOKEN }}') })])
        .code,
    ).toBe(0);
    expect(
      check([
        repository({
          'deploy.yml': deployJob(
            '    environment: production\n',
            '          target: production\n',
            '${{ secrets.DEPLOY_TOKEN }}',
          ),
        }),
      ]).code,
    ).toBe(0);
  });

  test("a production step's token from env, vars or a literal is a finding, even with environment: production", () => {
    for (const [token, source] of [
      ['${{ env.DEPLOY_TOKEN }}', 'the environment (env)'],
      ['${{ vars.DEPLOY_TOKEN }}', 'a variable (vars)'],
      ['tok_live_123', 'a literal in the workflow file'],
    ] as const) {
      const dir = repository({
        'deploy.yml': deployJob('    environment: production\n', '          target: production\n', token),
      });
      const { code, stdout } = check([dir]);
      expect({ token, code, findings: findingLines(stdout) }).toEqual({
        token,
        code: 1,
        findings: [
          expect.stringContaining(
            `deploy.yml:13: [prod-credential-not-secret] job 'production' acts on production, and its credential input 'token' comes from ${source}, not from secrets.*`,
          ),
        ],
      });
    }
  });

  test("in a job that acts on production, every step's credential inputs (role, database URL) come from secrets; GitHub's token is not one", () => {
    const text = `${header()}  production:\n    runs-on: ubuntu-latest\n    environment: production\n    steps:\n      - uses: actions/checkout@v5\n        with: { token: "\${{ github.token }}" }\n      - uses: aws-actions/configure-aws-credentials@v6\n        with:\n          role-to-assume: \${{ vars.AWS_ROLE_TO_ASSUME }}\n      - uses: shipline/shipline/actions/migrate@v1\n        with:\n          database-url: \${{ env.DATABASE_URL }}\n      - uses: shipline/shipline/actions/deploy@v1\n        with:\n          provider: ecs\n          target: production\n          github-token: \${{ env.GH_TOKEN }}\n`;
    const dir = repository({ 'production.yml': text });
    const { code, stdout } = check([dir]);
    expect(findingLines(stdout)).toEqual([
      expect.stringContaining(
        "production.yml:13: [prod-credential-not-secret] job 'production' acts on production, and its credential input 'role-to-assume' comes from a variable (vars)",
      ),
      expect.stringContaining(
        "production.yml:16: [prod-credential-not-secret] job 'production' acts on production, and its credential input 'database-url' comes from the environment (env)",
      ),
    ]);
    expect(code).toBe(1);
  });

  test('deploy-environment.yml called with stage production and DEPLOY_TOKEN is a finding; Slack is not a credential; staging is fine', () => {
    const call = (stage: string) =>
      `${header()}  production:\n    uses: shipline/shipline/.github/workflows/deploy-environment.yml@v1\n    with:\n      environment: production\n${stage}      provider: vercel\n    secrets:\n      DEPLOY_TOKEN: \${{ secrets.DEPLOY_TOKEN }}\n      SLACK_WEBHOOK_URL: \${{ secrets.SLACK_WEBHOOK_URL }}\n`;
    for (const stage of ['      stage: production\n', '']) {
      const dir = repository({ 'production.yml': call(stage) });
      const { code, stdout } = check([dir]);
      const line = lineOf(call(stage), '      DEPLOY_TOKEN:');
      expect({ stage, code, findings: findingLines(stdout) }).toEqual({
        stage,
        code: 1,
        findings: [
          `${join(dir, '.github', 'workflows', 'production.yml')}:${line}: [prod-credential-to-workflow] job 'production' passes credential DEPLOY_TOKEN to deploy-environment.yml with stage: production; a job that calls a reusable workflow cannot name an environment, so the credential is readable outside the production gate: a production credential is readable only by a job that names the protected production environment; run shipline's action in a job of this workflow that names \`environment: production\` and reads the credential there (https://github.com/shipline/shipline/blob/main/docs/workflows.md#production-credentials)`,
        ],
      });
    }
    expect(
      check([
        repository({
          'staging.yml': call('      stage: staging\n').replace('environment: production', 'environment: staging'),
        }),
      ]).code,
    ).toBe(0);
  });

  test('rollback.yml with any credential, or with secrets: inherit, is a finding', () => {
    const call = (secrets: string) =>
      `${header('workflow_dispatch')}  rollback:\n    uses: shipline/shipline/.github/workflows/rollback.yml@main\n    with:\n      provider: vercel\n${secrets}`;
    const passed = check([
      repository({ 'rollback.yml': call('    secrets:\n      DEPLOY_TOKEN: ${{ secrets.DEPLOY_TOKEN }}\n') }),
    ]);
    expect(findingLines(passed.stdout)).toEqual([
      expect.stringContaining(
        ":10: [prod-credential-to-workflow] job 'rollback' passes credential DEPLOY_TOKEN to rollback.yml (which restores production)",
      ),
    ]);
    const inherited = check([repository({ 'rollback.yml': call('    secrets: inherit\n') })]);
    expect(findingLines(inherited.stdout)).toEqual([
      expect.stringContaining(
        ":9: [prod-credential-to-workflow] job 'rollback' passes every secret (secrets: inherit) to rollback.yml (which restores production)",
      ),
    ]);
    expect([passed.code, inherited.code]).toEqual([1, 1]);
  });
});

describe('shipline check: usage', () => {
  test.each([
    [['--bogus'], "Unknown option '--bogus'"],
    [['/nonexistent/shipline-check'], "no folder '/nonexistent/shipline-check'"],
    [['a', 'b'], "shipline check takes at most 1 argument besides its flags, got 'a', 'b'"],
    [['--format', 'xml'], "--format must be text or json, got 'xml'"],
    [['--repository', 'not a repo'], "--repository takes owner/name (comma separated for several), got 'not a repo'"],
  ])('%j is a usage error: exit 2', (args, message) => {
    const dir = repository({ 'ok.yml': templateText(templates[0]!) });
    const { code, stderr, stdout } = check(args[0]?.startsWith('--') ? [dir, ...args] : args);
    expect(stderr).toContain(message);
    expect(stdout).toBe('');
    expect(code).toBe(2);
  });

  test('a folder without .github/workflows is a usage error naming where it looked', () => {
    const dir = join(scratch, 'empty');
    mkdirSync(dir);
    const { code, stderr } = check([dir]);
    expect(stderr).toContain(`no workflows: '${join(dir, '.github', 'workflows')}' holds no .yml or .yaml file`);
    expect(code).toBe(2);
  });

  test('--help documents check and its rules; the CLI help lists it', () => {
    const { code, stdout } = check(['--help']);
    expect(code).toBe(0);
    for (const rule of [
      'unknown-input',
      'unknown-secret',
      'missing-input',
      'missing-secret',
      'input-type',
      'prod-secret-outside-environment',
      'prod-step-without-environment',
      'prod-credential-not-secret',
      'prod-credential-to-workflow',
    ])
      expect(stdout).toContain(rule);
    const help = spawnSync(nodeBinary(root), [join(root, 'dist', 'cli', 'index.js'), '--help'], { encoding: 'utf8' });
    expect(help.stdout).toContain('shipline check [dir]');
  });
});

describe("shipline check's rules, one function each", () => {
  test('closest names: the smallest edit, a name that contains the wrong one on a tie, case-insensitive', () => {
    expect(closestName('SLACK_WEBHOOK', ['SMOKE_HEADERS', 'SLACK_WEBHOOK_URL', 'SLACK_BOT_TOKEN'])).toBe(
      'SLACK_WEBHOOK_URL',
    );
    expect(closestName('smoke-path', ['smoke-paths', 'smoke-url', 'smoke-test'])).toBe('smoke-paths');
    expect(closestName('Provider', ['project', 'provider'])).toBe('provider');
  });

  test('a production secret has PROD or PRODUCTION as a word of its name', () => {
    for (const name of [
      'PRODUCTION_DEPLOY_TOKEN',
      'PROD_DATABASE_URL',
      'AWS_ROLE_PRODUCTION',
      'aws_role_prod',
      'API-PRODUCTION-KEY',
    ])
      expect({ name, production: isProductionSecret(name) }).toEqual({ name, production: true });
    for (const name of ['PRODUCT_KEY', 'DEPLOY_TOKEN', 'STAGING_DATABASE_URL', 'REPRODUCE_FLAG', 'PRODUCTIONS'])
      expect({ name, production: isProductionSecret(name) }).toEqual({ name, production: false });
  });

  test('the secrets an expression reads, in both notations', () => {
    expect(secretReferences("secrets.PRODUCTION_DEPLOY_TOKEN || secrets['DEPLOY_TOKEN'] || env.X")).toEqual([
      'PRODUCTION_DEPLOY_TOKEN',
      'DEPLOY_TOKEN',
    ]);
  });

  test('credential inputs: tokens, database URLs, roles, build env, passwords; not the GitHub, Sentry or Slack token', () => {
    for (const name of [
      'token',
      'deploy-token',
      'database-url',
      'role-to-assume',
      'aws-role-to-assume',
      'supabase-access-token',
      'build-env',
      'registry-password',
    ])
      expect({ name, credential: isCredentialInput(name) }).toEqual({ name, credential: true });
    for (const name of [
      'github-token',
      'sentry-token',
      'slack-bot-token',
      'url',
      'provider',
      'token-type',
      'railway-token-type',
    ])
      expect({ name, credential: isCredentialInput(name) }).toEqual({ name, credential: false });
  });

  test("production intent: deploy's target production or staged, promote; the stage action's stage: production; rollback always", () => {
    const from = (values: Record<string, string>) => (input: string) => values[input];
    expect(productionIntent('deploy', from({ target: 'production' }))).toBe('target: production');
    expect(productionIntent('deploy', from({ target: 'Staged' }))).toBe('target: staged');
    expect(productionIntent('deploy', from({ command: 'promote' }))).toBe('command: promote');
    expect(productionIntent('stage', from({ stage: 'production' }))).toBe('stage: production');
    expect(productionIntent('rollback', from({}))).toBe('the rollback action restores a production release');
    expect(productionIntent('deploy', from({ target: 'preview' }))).toBeUndefined();
    expect(productionIntent('stage', from({ stage: 'staging' }))).toBeUndefined();
    expect(productionIntent('stage', from({ stage: '${{ inputs.stage }}' }))).toBeUndefined(); // decided at run time
    expect(productionIntent('migrate', from({ target: 'production' }))).toBeUndefined();
  });

  test("a call is shipline's when its repository is shipline/shipline or one given, at any ref", () => {
    expect(parseShiplineUses('shipline/shipline/.github/workflows/pipeline.yml@v1', ['shipline/shipline'])).toEqual({
      kind: 'workflow',
      name: 'pipeline.yml',
      ref: 'v1',
    });
    expect(parseShiplineUses('Shipline/Shipline/actions/stage@feature/x', ['shipline/shipline'])).toEqual({
      kind: 'action',
      name: 'stage',
      ref: 'feature/x',
    });
    expect(parseShiplineUses('acme/ship/actions/deploy@v1', ['shipline/shipline'])).toBeUndefined();
    expect(parseShiplineUses('acme/ship/actions/deploy@v1', ['shipline/shipline', 'acme/ship'])).toEqual({
      kind: 'action',
      name: 'deploy',
      ref: 'v1',
    });
    expect(parseShiplineUses('./.github/workflows/pipeline.yml', ['shipline/shipline'])).toBeUndefined();
    expect(parseShiplineUses('actions/checkout@v5', ['shipline/shipline'])).toBeUndefined();
  });
});
