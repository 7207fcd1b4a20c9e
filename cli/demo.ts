// `npm run demo` / `npx shipline demo`: the whole pipeline on this machine, with no accounts and no network. The
// real bundles run through the runner contract (local-runner.ts) in the order the `pipeline` workflow runs them,
// against an embedded PostgreSQL, the tests' loopback provider, GitHub and Slack fakes, and a small real HTTP
// server per release (a fake provider cannot host the app, so the demo serves each release's files itself).
//
// The story: release 1 is migrated, deployed staged, smoke-tested and promoted; release 2 (its /health reports
// the database down) is deployed staged, fails its smoke test and is rolled back automatically. With a provider
// that cannot stage a release (Railway, ECS) each release goes live when deployed, and release 2's rollback puts
// release 1 back. Slack and the GitHub Deployments ledger show every step.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { awsEnvironment, startFakeEcs } from './sandbox/ecs.js';
import { startFakeGitHub } from './sandbox/github.js';
import { startFakeNetlify } from './sandbox/netlify.js';
import { startPostgres } from './sandbox/postgres.js';
import { startFakeRailway } from './sandbox/railway.js';
import { startFakeSlack } from './sandbox/slack.js';
import { startFakeSupabase } from './sandbox/supabase.js';
import { startFakeVercel } from './sandbox/vercel.js';
import { findRoot, type RunResult, runAction } from './local-runner.js';

export const DEMO_PROVIDERS = ['vercel', 'netlify', 'railway', 'ecs', 'supabase-functions'] as const;
export type DemoProvider = (typeof DEMO_PROVIDERS)[number];

export interface DemoStep {
  name: string;
  action: string;
  ms: number;
  exitCode: number | null;
  outputs: Record<string, string>;
  summaryFile?: string;
}

export interface DemoResult {
  steps: DemoStep[];
  ledger: { id: number; release: string | undefined; state: string | undefined; rollback: boolean }[];
  slack: { ts: string; text?: string; updates: number }[];
  tables: string[];
  appliedMigrations: string[];
  live: string | undefined;
  releases: { number: number; deploymentId: string }[];
  totalMs: number;
}

interface ProviderSandbox {
  inputs: Record<string, string>;
  /** Extra environment for deploy and rollback (ECS: AWS credentials and endpoint). */
  env: Record<string, string>;
  /** Whether a release can be staged and promoted (blue/green); otherwise it goes live and is rolled back. */
  staged: boolean;
  /** What each release deploys, where the provider builds from something other than the folder. */
  release(number: number): Record<string, string>;
  /** Where deploy and rollback run, and the commit of each release, when the provider deploys from git. */
  workspace?: string;
  sha?(number: number): string;
  live(): string | undefined;
  close(): Promise<void>;
}

async function startProvider(provider: DemoProvider): Promise<ProviderSandbox> {
  const folder = (number: number) => ({ dir: `examples/demo-app/releases/${number}` });
  if (provider === 'netlify') {
    const netlify = await startFakeNetlify({ processMs: 300 });
    return { inputs: { provider, token: netlify.token, project: netlify.siteId, 'api-url': netlify.url }, env: {}, staged: true, release: folder, live: () => netlify.published(), close: () => netlify.close() };
  }
  if (provider === 'railway') {
    const railway = await startFakeRailway({ buildMs: 400, deployMs: 200 });
    const ids = railway.services.map((s) => s.id);
    return {
      inputs: { provider, token: railway.projectToken, project: railway.projectId, 'railway-environment': railway.environmentId, services: ids.join(','), 'api-url': railway.url },
      env: {},
      staged: false,
      release: () => ({}),
      live: () => ids.map((id) => `${id}=${railway.serving(id)}`).join(','),
      close: () => railway.close(),
    };
  }
  if (provider === 'ecs') {
    const ecs = await startFakeEcs({ stepMs: 150 });
    return {
      inputs: { provider, cluster: ecs.cluster, service: ecs.serviceName },
      env: awsEnvironment(ecs),
      staged: false,
      release: (number) => ({ images: `api=123456789012.dkr.ecr.${ecs.region}.amazonaws.com/notes-api:release-${number}` }),
      live: () => ecs.primaryTaskDefinition(),
      close: () => ecs.close(),
    };
  }
  if (provider === 'supabase-functions') {
    const supabase = await startFakeSupabase();
    const repo = functionsRepository();
    return {
      inputs: { provider, token: supabase.token, project: supabase.ref, 'api-url': supabase.url },
      env: {},
      staged: false,
      release: () => ({ dir: '.' }),
      workspace: repo.dir,
      sha: (number) => repo.shas[number - 1] as string,
      // The commit whose sources the health function was last deployed from.
      live: () => repo.shas[Number(/release (\d+)/.exec(supabase.functions.get('health')?.files['supabase/functions/health/index.ts'] ?? '')?.[1]) - 1],
      close: async () => {
        await supabase.close();
        rmSync(repo.dir, { recursive: true, force: true });
      },
    };
  }
  const vercel = await startFakeVercel({ buildMs: 600, aliasJobMs: 500 });
  return {
    inputs: { provider, token: vercel.token, project: vercel.projectId, team: vercel.teamId, 'api-url': vercel.url },
    env: {},
    staged: true,
    release: folder,
    live: () => vercel.production(),
    close: () => vercel.close(),
  };
}

/** Supabase rolls back by redeploying an earlier commit's sources: a small repository with one commit per release. */
function functionsRepository(): { dir: string; shas: string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'shipline-demo-functions-'));
  const git = (...args: string[]) =>
    execFileSync('git', ['-C', dir, ...args], {
      encoding: 'utf8',
      env: { ...process.env, GIT_AUTHOR_NAME: 'demo', GIT_AUTHOR_EMAIL: 'demo@example.com', GIT_COMMITTER_NAME: 'demo', GIT_COMMITTER_EMAIL: 'demo@example.com' },
    }).trim();
  git('init', '-q');
  mkdirSync(join(dir, 'supabase', 'functions', 'health'), { recursive: true });
  const shas = [1, 2].map((number) => {
    writeFileSync(join(dir, 'supabase', 'functions', 'health', 'index.ts'), `// release ${number}\nDeno.serve(() => Response.json({ status: 'healthy', release: ${number} }));\n`);
    git('add', '-A');
    git('commit', '-qm', `Release ${number}`);
    return git('rev-parse', 'HEAD');
  });
  return { dir, shas };
}

const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.json': 'application/json' };

/** The release's site on loopback: its files, and /health answering what its health.json says. */
async function serveRelease(dir: string): Promise<{ url: string; close: () => Promise<void> }> {
  const health = JSON.parse(readFileSync(join(dir, 'health.json'), 'utf8')) as { httpStatus: number; body: unknown };
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path === '/health' || path === '/api/health') {
      res.writeHead(health.httpStatus, { 'content-type': 'application/json' });
      return res.end(JSON.stringify(health.body));
    }
    const file = join(dir, path === '/' ? 'index.html' : path);
    if (!file.startsWith(dir) || !existsSync(file)) {
      res.writeHead(404);
      return res.end('not found');
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    res.end(readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

export interface DemoOptions {
  provider?: DemoProvider;
  /** Folder for every step's job summary (Markdown): new, empty, or one an earlier demo wrote (see prepareDemoFolder). */
  out?: string;
  /** Called after each step (the CLI prints the timeline as it goes). */
  onStep?: (step: DemoStep) => void;
}

/** Written into the folder the demo creates, so a later run may replace its summaries and no other folder is touched. */
const DEMO_MARKER = '.shipline-demo';

/**
 * The demo writes its job summaries into `out`: a new or empty folder, or one an earlier demo made (its old
 * summaries are replaced). Any other folder is refused: `--out .` must never empty someone's checkout.
 */
export function prepareDemoFolder(out: string): void {
  if (existsSync(out)) {
    const entries = readdirSync(out);
    if (entries.length > 0 && !entries.includes(DEMO_MARKER))
      throw new Error(`--out ${out} holds files the demo did not write; name a new or empty folder`);
    for (const entry of entries) if (entry.endsWith('.md')) rmSync(join(out, entry), { force: true });
  }
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, DEMO_MARKER), 'Written by `shipline demo`: the demo replaces the summaries in this folder.\n');
}

export async function runDemo(options: DemoOptions = {}): Promise<DemoResult> {
  const started = Date.now();
  const root = findRoot();
  const app = join(root, 'examples', 'demo-app');
  const provider = options.provider ?? 'vercel';
  if (options.out) prepareDemoFolder(options.out);

  const closers: (() => Promise<unknown>)[] = [];
  const steps: DemoStep[] = [];
  try {
    const [postgres, github, slack, sandbox] = await Promise.all([startPostgres(), startFakeGitHub({ repository: 'acme/notes' }), startFakeSlack(), startProvider(provider)]);
    closers.push(postgres.stop, github.close, slack.close, sandbox.close);
    const databaseUrl = await postgres.createDatabase('notes');
    const env = { GITHUB_API_URL: github.url, GITHUB_REPOSITORY: github.repository, GITHUB_TOKEN: github.token };
    const slackInputs = { 'bot-token': slack.token, channel: '#deploys', 'slack-api-url': slack.apiUrl };

    const step = async (name: string, action: string, inputs: Record<string, string>, run = 1): Promise<RunResult> => {
      const provides = action === 'deploy' || action === 'rollback';
      const result = await runAction({
        action,
        inputs,
        env: {
          ...env,
          ...(provides ? sandbox.env : {}),
          GITHUB_RUN_ID: String(4200 + run),
          GITHUB_SHA: sandbox.sha?.(run) ?? `${String(run).repeat(7)}${'0'.repeat(33)}`,
          GITHUB_WORKFLOW: 'pipeline',
        },
        event: { name: 'push', payload: { ref: 'refs/heads/main', head_commit: { id: `${run}`, message: `Release ${run} of the notes app` } } },
        workspace: provides && sandbox.workspace ? sandbox.workspace : root,
        timeoutMs: 120_000,
      });
      const record: DemoStep = { name, action, ms: result.durationMs, exitCode: result.exitCode, outputs: result.outputs };
      if (options.out) {
        record.summaryFile = join(options.out, `${String(steps.length + 1).padStart(2, '0')}-${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}.md`);
        writeFileSync(record.summaryFile, `<!-- ${action}: ${name} (exit ${result.exitCode}) -->\n\n${result.summary}`);
      }
      steps.push(record);
      options.onStep?.(record);
      return result;
    };
    const expectOk = (result: RunResult, what: string) => {
      if (result.exitCode !== 0) throw new Error(`demo: ${what} failed unexpectedly:\n${result.stdout}${result.stderr}`);
      return result;
    };

    const releases: { number: number; deploymentId: string }[] = [];
    for (const number of [1, 2]) {
      const title = `Release ${number}`;
      // When this release's pipeline began: notify's Duration is measured from it (as a workflow passes the run's start).
      const pipeline = { 'started-at': new Date().toISOString() };
      const started = expectOk(await step(`${title}: notify started`, 'notify', { status: 'started', environment: 'production', ...slackInputs }, number), 'notify');
      const thread = { channel: started.outputs.channel as string, ts: started.outputs.ts as string };
      if (number === 1) expectOk(await step(`${title}: migrate verify`, 'migrate', { command: 'verify', 'database-url': databaseUrl, dir: 'examples/demo-app/db/migrations' }, number), 'migrate verify');
      expectOk(await step(`${title}: migrate apply`, 'migrate', { command: 'apply', 'database-url': databaseUrl, dir: 'examples/demo-app/db/migrations' }, number), 'migrate apply');
      const target = sandbox.staged ? 'staged' : 'production';
      const deployed = expectOk(
        await step(`${title}: deploy ${target}`, 'deploy', { ...sandbox.inputs, ...sandbox.release(number), target, 'github-token': github.token, 'wait-timeout': '1m' }, number),
        'deploy',
      );
      const deploymentId = deployed.outputs['deployment-id'] as string;
      releases.push({ number, deploymentId });
      const site = await serveRelease(join(app, 'releases', String(number)));
      closers.push(site.close);
      const smoke = await step(`${title}: smoke-test`, 'smoke-test', { url: `${site.url}/\n${site.url}/health`, deadline: '5s', timeout: '2s', interval: '500ms', samples: '10', thresholds: 'p(95)<500' }, number);
      if (smoke.exitCode === 0) {
        if (sandbox.staged) {
          expectOk(await step(`${title}: promote`, 'deploy', { ...sandbox.inputs, command: 'promote', 'deployment-id': deploymentId, 'github-token': github.token, 'wait-timeout': '1m' }, number), 'promote');
        }
        expectOk(await step(`${title}: notify succeeded`, 'notify', { status: 'succeeded', environment: 'production', url: site.url, ...slackInputs, ...thread, ...pipeline }, number), 'notify');
      } else {
        // Staged: the release never went live and is only marked failed. Live: the release before it comes back.
        expectOk(
          await step(`${title}: rollback`, 'rollback', { ...sandbox.inputs, 'failed-deployment-id': deploymentId, reason: 'smoke test failed', 'github-token': github.token, verify: 'false', 'wait-timeout': '1m' }, number),
          'rollback',
        );
        expectOk(await step(`${title}: notify rolled back`, 'notify', { status: 'rolled-back', environment: 'production', message: `Smoke test failed: ${smoke.outputs['failed-checks'] ?? ''}`, ...slackInputs, ...thread, ...pipeline }, number), 'notify');
      }
    }

    const tables = (await postgres.query(databaseUrl, "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")).map((r) => String(r.tablename));
    const applied = (await postgres.query(databaseUrl, 'SELECT version FROM schema_migrations ORDER BY 1').catch(() => [])).map((r) => String(r.version));
    return {
      steps,
      ledger: github.ledger('production'),
      slack: [...slack.messages.values()].map((m) => ({ ts: m.ts, text: m.text, updates: m.updates })),
      tables,
      appliedMigrations: applied,
      live: sandbox.live(),
      releases,
      totalMs: Date.now() - started,
    };
  } finally {
    for (const close of closers.reverse()) await close().catch(() => undefined);
  }
}

/** What a step left behind, labelled: the timeline's last column names what its value is. */
export function stepDetail(step: DemoStep): string {
  const o = step.outputs;
  if (o['restored-deployment-id']) return `restored ${o['restored-deployment-id']}`;
  if (o['deployment-id']) return `deployment ${o['deployment-id']}`;
  if (o['failed-checks']) return `failed checks: ${o['failed-checks']}`;
  if (step.action === 'migrate' && step.name.endsWith('verify')) return step.exitCode === 0 ? 'migrations apply from scratch' : '';
  if (o['applied-count'] !== undefined) return `${o['applied-count']} migration${o['applied-count'] === '1' ? '' : 's'} applied`;
  if (o['pending-count'] !== undefined) return `${o['pending-count']} pending`;
  if (o.ts) return `Slack message ${o.ts}`;
  return '';
}

/** The timeline's heading: one label per column of formatStep. */
export const TIMELINE_HEADER = `${' #'}  ${'Step'.padEnd(34)} ${'Time'.padStart(6)}  ${'Outcome'.padEnd(16)} Result`;

/** The timeline as the CLI prints it. */
export function formatStep(step: DemoStep, index: number): string {
  const outcome = step.exitCode === 0 ? 'ok' : `failed (exit ${step.exitCode})`;
  return `${String(index + 1).padStart(2)}. ${step.name.padEnd(34)} ${(step.ms / 1000).toFixed(1).padStart(5)}s  ${outcome.padEnd(16)} ${stepDetail(step)}`.trimEnd();
}
