// `npm run demo` / `npx shipline demo`: the whole pipeline on this machine, with no accounts and no network. The
// real bundles run through the runner contract (local-runner.ts) in the order the `pipeline` workflow runs them,
// against an embedded PostgreSQL, the tests' loopback provider, GitHub and Slack fakes, and a small real HTTP
// server per release (a fake provider cannot host the app, so the demo serves each release's files itself).
//
// The story: release 1 is migrated, deployed staged, smoke-tested and promoted; release 2 (its /health reports
// the database down) is deployed staged, fails its smoke test and is rolled back automatically. With a provider
// that cannot stage a release (Railway, ECS) each release goes live when deployed, and release 2's rollback puts
// release 1 back. Slack and the GitHub Deployments ledger show every step.
//
// The bake story (`--story bake`): release 1 goes live; release 3 passes its smoke test at its own URL and goes
// live (promoted, or deployed straight to production), then its notes API starts answering 500 once production
// traffic reaches it. The bake window (smoke-test mode watch, against the production URL) fails, and the rollback
// in the same job puts release 1 back. Production is a small router in front of the release sites that asks the
// provider fake which release it serves, so what it answers follows the provider's state, rollback included.
// Then release 4: its HTTP checks pass, but under production traffic one request in five to its feed API answers
// 500. The router counts every request it answers by release and status code and exports the counts at /metrics;
// a real Prometheus (when installed) scrapes them, and the bake window's error-rate gate reads them, fails and the
// rollback puts release 1 back again. Without Prometheus the demo says so: there is no metric gate to read, and
// release 4 passes its bake window on its HTTP checks alone.
//
// The canary story (`--story canary`, Vercel and ECS): release 1 goes live; release 2 is rolled out progressively
// (Vercel: a rolling release of 5% → 25% → 100%; ECS: a native canary of 10% → 100% with a pause hook) and its new
// deployment answers 500 to every request. deploy measures the new deployment at its first share, and the provider
// stops the rollout on that verdict (Vercel aborts, ECS rolls back): production never serves release 2 to everyone.
// Release 3, healthy, rolls out the same way to 100%. Production's users request the provider's own production
// address (the stand-in's alias or load balancer) throughout, and the stand-in's log of what it served says which
// release answered them at which share.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { awsEnvironment, startFakeEcs } from './sandbox/ecs.js';
import { type FakeGitHubDeployment, startFakeGitHub } from './sandbox/github.js';
import { startFakeNetlify } from './sandbox/netlify.js';
import { startPostgres } from './sandbox/postgres.js';
import { startFakeRailway } from './sandbox/railway.js';
import { startFakeSlack } from './sandbox/slack.js';
import { startFakeSupabase } from './sandbox/supabase.js';
import { startFakeVercel } from './sandbox/vercel.js';
import { findRoot, type RunResult, runBundle } from './local-runner.js';
import { prometheusBinary, type RealPrometheus, startPrometheus } from './sandbox/prometheus.js';

export const DEMO_PROVIDERS = ['vercel', 'netlify', 'railway', 'ecs', 'supabase-functions'] as const;
export type DemoProvider = (typeof DEMO_PROVIDERS)[number];

export const DEMO_STORIES = ['default', 'bake', 'canary'] as const;
type DemoStory = (typeof DEMO_STORIES)[number];
/** Where the bake story runs: providers whose fake says which release production serves, through a rollback too. */
export const BAKE_PROVIDERS: readonly DemoProvider[] = ['vercel', 'netlify', 'railway', 'ecs'];
/** Where the canary story runs: providers that shift traffic progressively and stop a rollout on shipline's verdict. */
export const CANARY_PROVIDERS: readonly DemoProvider[] = ['vercel', 'ecs'];

/** The commit of a release in the demo (the functions repository of supabase-functions has real ones). */
function demoSha(number: number): string {
  return `${String(number).repeat(7)}${'0'.repeat(33)}`;
}

export interface DemoStep {
  name: string;
  action: string;
  ms: number;
  exitCode: number | null;
  outputs: Record<string, string>;
  summaryFile?: string;
}

export interface DemoResult {
  story: DemoStory;
  steps: DemoStep[];
  /** The ledger of production, newest first: each entry's latest status, its description, and a rollback's reason. */
  ledger: {
    id: number;
    release: string | undefined;
    state: string | undefined;
    rollback: boolean;
    description?: string;
    reason?: string;
  }[];
  /** Each Slack message as it stands: its notification text and the text of its blocks. */
  slack: { ts: string; text?: string; blocks: string; updates: number }[];
  tables: string[];
  appliedMigrations: string[];
  live: string | undefined;
  /** The number of the release production serves, read from the provider fake's state. */
  liveRelease: number | undefined;
  releases: { number: number; deploymentId: string }[];
  /** The bake story: what the production URL answered on /health once the story was over, and which release that is. */
  production?: { url: string; status: number; release: number | undefined };
  /** The bake story: once each release's pipeline was over, the release production served and what it answered. */
  afterRelease?: { number: number; liveRelease: number | undefined; production: ProductionAnswer }[];
  /**
   * The bake story's metric gate: the Prometheus that scraped production's request counters and the gate every
   * bake window read, or (Prometheus not installed) no gate, and why.
   */
  metrics?: { prometheus?: string; gate?: string; note: string };
  /** The canary story: per release, what production served while it rolled out and where its rollout ended. */
  canary?: CanaryRelease[];
  totalMs: number;
}

/** One release of the canary story, read from the provider stand-in's state and the ledger, not from the story's plan. */
export interface CanaryRelease {
  number: number;
  /** Whether it was rolled out progressively (release 1 goes live at once: there is nothing to shift from). */
  progressive: boolean;
  /** The exit code of its deploy step. */
  deployExit: number | null;
  /**
   * Production requests the provider answered from the start of its deploy until the next release's, by the release
   * that answered, that release's share of production at that moment, and the status: the shares a release reached.
   */
  served: { release: number | undefined; share: number; requests: number; errors: number }[];
  /**
   * The stand-in's record of its rollout: the state it ended in (Vercel's rolling release ABORTED or COMPLETE, ECS's
   * service deployment ROLLBACK_SUCCESSFUL or SUCCESSFUL), the stages it reached (Vercel) and the share ECS rolled
   * back from.
   */
  rollout?: { state: string; sharesReached?: number[]; stoppedAtPercent?: number };
  /** The share at which the ledger records its rollout stopped ("stopped at N%"), if it did. */
  stoppedAt?: number;
  /** The ledger's last word on it. */
  ledger?: string;
  /** Once its pipeline was over: which release answered each of 20 requests to production. */
  productionAfter: Record<string, number>;
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
  /** The number of the release production serves, from the provider's state; by default, live() among the releases. */
  liveRelease?(releases: { number: number; deploymentId: string }[]): number | undefined;
  /** The canary story's hooks, on providers that roll a release out progressively. */
  canary?: CanarySandbox;
  close(): Promise<void>;
}

interface CanarySandbox {
  /** Deploy inputs that roll a release out progressively and measure its new deployment at each share. */
  inputs: Record<string, string>;
  /** Makes the new deployment of release `number` answer 500 to every request (the provider stand-in's fault). */
  failRelease(number: number): void;
  /** After release `number`'s deploy: the id of its new deployment (whether or not the rollout completed). */
  deployed(number: number): string | undefined;
  /** The provider's production address, as users reach it. */
  productionUrl: string;
  /** Which release answered a request to production, from the provider's response headers. */
  answeredBy(headers: Headers): number | undefined;
  /**
   * Every production request the provider has answered, in order: the release that answered, the share of
   * production the rollout in flight gave its new deployment at that moment (undefined: none in flight), and the status.
   */
  productionServed(): { release: number | undefined; rolloutShare: number | undefined; status: number }[];
  /** The provider's own record of the rollout that moved deployment `id` (undefined: it was never rolled out). */
  rollout(id: string): CanaryRelease['rollout'];
}

async function startProvider(provider: DemoProvider, story: DemoStory): Promise<ProviderSandbox> {
  const folder = (number: number) => ({ dir: `examples/demo-app/releases/${number}` });
  if (provider === 'netlify') {
    const netlify = await startFakeNetlify({ processMs: 300 });
    // As deploy-environment.yml deploys Netlify's production: straight to production (only Vercel's is staged).
    return {
      inputs: { provider, token: netlify.token, project: netlify.siteId, 'api-url': netlify.url },
      env: {},
      staged: false,
      release: folder,
      live: () => netlify.published(),
      close: () => netlify.close(),
    };
  }
  if (provider === 'railway') {
    const railway = await startFakeRailway({ buildMs: 400, deployMs: 200 });
    const ids = railway.services.map((s) => s.id);
    return {
      inputs: {
        provider,
        token: railway.projectToken,
        project: railway.projectId,
        'railway-environment': railway.environmentId,
        services: ids.join(','),
        'api-url': railway.url,
      },
      env: {},
      staged: false,
      release: () => ({}),
      live: () => ids.map((id) => `${id}=${railway.serving(id)}`).join(','),
      // A rollback is a new deployment of the old image: the commit every service serves names the release.
      liveRelease: (releases) => {
        const commits = new Set(ids.map((id) => railway.deployments.get(railway.serving(id) ?? '')?.commitHash));
        const [commit] = commits;
        return commits.size === 1 ? releases.find((r) => demoSha(r.number) === commit)?.number : undefined;
      },
      close: () => railway.close(),
    };
  }
  if (provider === 'ecs') {
    // The canary story's bake times and pause timeout are in "minutes" of ECS: here a minute lasts 300 ms.
    const ecs = await startFakeEcs({ stepMs: 150, ...(story === 'canary' ? { minuteMs: 300 } : {}) });
    const image = (number: number) => `123456789012.dkr.ecr.${ecs.region}.amazonaws.com/notes-api:release-${number}`;
    const releaseOf = (taskDefinition: string | undefined) => {
      const containers = ecs.taskDefinitions.get(taskDefinition ?? '')?.containerDefinitions as
        { name?: string; image?: string }[] | undefined;
      const number = /:release-(\d+)$/.exec(containers?.find((c) => c.name === 'api')?.image ?? '')?.[1];
      return number === undefined ? undefined : Number(number);
    };
    return {
      inputs: { provider, cluster: ecs.cluster, service: ecs.serviceName },
      env: awsEnvironment(ecs),
      staged: false,
      release: (number) => ({ images: `api=${image(number)}` }),
      live: () => ecs.primaryTaskDefinition(),
      // A rollback registers nothing new: the service is pointed back at the older revision, whose image names it.
      liveRelease: () => releaseOf(ecs.primaryTaskDefinition()),
      canary: {
        // A canary of 10% with a PAUSE hook before each production shift (progressive.ts): at the pause after the
        // canary shift shipline measures production, where the canary answers one request in ten, shared with the
        // users' requests; every error there is counted as the canary's (its rate at most the listener's ÷ 10%).
        inputs: {
          'ecs-strategy': 'canary',
          'ecs-canary-percent': '10',
          'ecs-step-bake-time': '1m',
          'ecs-bake-time': '0m',
          'ecs-pause-timeout': '30m',
          'verify-url': ecs.listeners.production,
          'verify-window': '3s',
          'verify-interval': '50ms',
          'verify-max-error-rate': '2%',
        },
        failRelease: (number) => ecs.apps.set(image(number), 'errors'),
        deployed: (number) => [...ecs.taskDefinitions.keys()].filter((arn) => releaseOf(arn) === number).at(-1),
        productionUrl: ecs.listeners.production,
        rollout: (id) => {
          const sd = ecs.serviceDeployments.find((d) => d.target.taskDefinition === id);
          return (
            sd && {
              state: sd.status,
              ...(sd.stoppedAtPercent === undefined ? {} : { stoppedAtPercent: sd.stoppedAtPercent }),
            }
          );
        },
        answeredBy: (headers) => releaseOf(headers.get('x-task-definition') ?? undefined),
        // While a service deployment is in flight (stage set), productionWeight is its target revision's share.
        productionServed: () =>
          ecs.served
            .filter((s) => s.listener === 'production')
            .map((s) => ({
              release: releaseOf(s.taskDefinition),
              rolloutShare: s.stage === undefined ? undefined : s.productionWeight,
              status: s.status,
            })),
      },
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
      live: () =>
        repo.shas[
          Number(
            /release (\d+)/.exec(
              supabase.functions.get('health')?.files['supabase/functions/health/index.ts'] ?? '',
            )?.[1],
          ) - 1
        ],
      close: async () => {
        await supabase.close();
        rmSync(repo.dir, { recursive: true, force: true });
      },
    };
  }
  const vercel = await startFakeVercel({ buildMs: 600, aliasJobMs: 500 });
  const deploymentOf = new Map<string, number>();
  return {
    inputs: { provider, token: vercel.token, project: vercel.projectId, team: vercel.teamId, 'api-url': vercel.url },
    env: {},
    staged: true,
    release: folder,
    live: () => vercel.production(),
    canary: {
      // A rolling release of 5% → 25% → 100% (rollout.ts): at each stage 20 requests to the new deployment's own URL
      // (the stand-in serves every deployment at /__deployments/{id}/), approved when healthy, aborted when not.
      inputs: {
        'vercel-rolling-stages': '5,25,100',
        'rolling-check-url': `${vercel.url}/__deployments/{deployment-id}/`,
        'rolling-requests': '20',
        'rolling-max-error-rate': '5%',
        'rolling-bake': '1500ms',
        'rolling-stage-timeout': '20s',
      },
      failRelease: () => vercel.failRequestsOfNextDeployment(),
      deployed: (number) => {
        const id = [...vercel.deployments.values()].at(-1)?.id;
        if (id) deploymentOf.set(id, number);
        return id;
      },
      productionUrl: `${vercel.url}/__production`,
      rollout: (id) => {
        const sharesReached = vercel.stagesReached.filter((s) => s.canaryDeploymentId === id).map((s) => s.share);
        const state = vercel.rollingRelease()?.canaryDeploymentId === id ? vercel.rollingRelease()?.state : undefined;
        return state || sharesReached.length ? { state: state ?? 'unknown', sharesReached } : undefined;
      },
      answeredBy: (headers) => deploymentOf.get(headers.get('x-vercel-deployment-id') ?? ''),
      // During a stage the production alias splits by the canary's share (canaryShare of what it served).
      productionServed: () =>
        vercel.served
          .filter((s) => s.via === 'production')
          .map((s) => ({ release: deploymentOf.get(s.deploymentId), rolloutShare: s.canaryShare, status: s.status })),
    },
    close: () => vercel.close(),
  };
}

/** Supabase rolls back by redeploying an earlier commit's sources: a small repository with one commit per release. */
function functionsRepository(): { dir: string; shas: string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'shipline-demo-functions-'));
  const git = (...args: string[]) =>
    execFileSync('git', ['-C', dir, ...args], {
      encoding: 'utf8',
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: 'demo',
        GIT_AUTHOR_EMAIL: 'demo@example.com',
        GIT_COMMITTER_NAME: 'demo',
        GIT_COMMITTER_EMAIL: 'demo@example.com',
      },
    }).trim();
  git('init', '-q');
  mkdirSync(join(dir, 'supabase', 'functions', 'health'), { recursive: true });
  const shas = [1, 2].map((number) => {
    writeFileSync(
      join(dir, 'supabase', 'functions', 'health', 'index.ts'),
      `// release ${number}\nDeno.serve(() => Response.json({ status: 'healthy', release: ${number} }));\n`,
    );
    git('add', '-A');
    git('commit', '-qm', `Release ${number}`);
    return git('rev-parse', 'HEAD');
  });
  return { dir, shas };
}

const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.json': 'application/json' };

/**
 * What a release does once production traffic reaches it (after-promotion.json of the bake story's releases 3 and
 * 4): `path` answers `httpStatus` after `afterRequests` production requests, or to every `failEvery`th production
 * request of that path.
 */
interface AfterPromotion {
  afterRequests?: number;
  failEvery?: number;
  path: string;
  httpStatus: number;
  body: unknown;
}

/** The header the production router adds: how a release's site tells production traffic from its own URL's. */
const VIA_PRODUCTION = 'x-shipline-demo-via';

/**
 * The release's site on loopback: its files, /health answering what its health.json says, and /api/x answering
 * api/x.json. A release with after-promotion.json starts failing that path once it has answered `afterRequests`
 * requests that came through production: its own URL (the staged smoke test) never trips it.
 */
async function serveRelease(dir: string): Promise<{ url: string; close: () => Promise<void> }> {
  const health = JSON.parse(readFileSync(join(dir, 'health.json'), 'utf8')) as { httpStatus: number; body: unknown };
  const afterFile = join(dir, 'after-promotion.json');
  const after = existsSync(afterFile) ? (JSON.parse(readFileSync(afterFile, 'utf8')) as AfterPromotion) : undefined;
  let productionRequests = 0;
  let productionRequestsOfPath = 0;
  const json = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const viaProduction = req.headers[VIA_PRODUCTION] === 'production';
    if (viaProduction) productionRequests += 1;
    if (after && path === after.path && viaProduction) {
      productionRequestsOfPath += 1;
      const failing = after.failEvery
        ? productionRequestsOfPath % after.failEvery === 0
        : productionRequests > (after.afterRequests ?? 0);
      if (failing) return json(res, after.httpStatus, after.body);
    }
    if (path === '/health' || path === '/api/health') return json(res, health.httpStatus, health.body);
    const file = join(dir, path === '/' ? 'index.html' : path);
    if (file.startsWith(`${dir}/`) && path.startsWith('/api/') && existsSync(`${file}.json`))
      return json(res, 200, JSON.parse(readFileSync(`${file}.json`, 'utf8')));
    if (!file.startsWith(dir) || !existsSync(file)) {
      res.writeHead(404);
      return res.end('not found');
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    res.end(readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

interface Production {
  url: string;
  /** host:port, as Prometheus names a scrape target. */
  target: string;
  /** Starts a release's counters at zero, as a service that registers its labels up front: its series exist, and
   * read 0 errors rather than nothing, before its first request. */
  register(release: string): void;
  close(): Promise<void>;
}

/** The request counters production exports, as an instrumented service does: per release that answered and code. */
const REQUESTS_METRIC = 'http_requests_total';

/**
 * The production URL of the bake story: every request goes to the site of the release the provider fake says
 * production serves, asked anew each time, so a promotion or a rollback at the provider changes what it answers.
 * It counts what it answers by the release that answered (its commit) and the status code, and exports the counts
 * at /metrics in Prometheus's text format: what a team's Prometheus scrapes from its load balancer or app.
 */
async function serveProduction(route: () => { site: string; release: string } | undefined): Promise<Production> {
  const counts = new Map<string, number>();
  const key = (release: string, code: number) => `{release=${JSON.stringify(release)},code="${code}"}`;
  const count = (release: string, code: number) =>
    counts.set(key(release, code), (counts.get(key(release, code)) ?? 0) + 1);
  const server: Server = createServer((req, res) => {
    if (req.url === '/metrics') {
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });
      return res.end(
        [
          `# HELP ${REQUESTS_METRIC} Requests production answered, by the release that answered them and status code.`,
          `# TYPE ${REQUESTS_METRIC} counter`,
          ...[...counts].map(([labels, n]) => `${REQUESTS_METRIC}${labels} ${n}`),
          '',
        ].join('\n'),
      );
    }
    const target = route();
    if (!target) {
      res.writeHead(502, { 'content-type': 'text/plain' });
      return res.end('production serves no release the demo knows');
    }
    fetch(`${target.site}${req.url ?? '/'}`, {
      method: req.method,
      headers: { [VIA_PRODUCTION]: 'production' },
      signal: AbortSignal.timeout(5_000),
    })
      .then(async (answer) => {
        const body = Buffer.from(await answer.arrayBuffer());
        count(target.release, answer.status);
        res.writeHead(answer.status, {
          'content-type': answer.headers.get('content-type') ?? 'application/octet-stream',
        });
        res.end(body);
      })
      .catch((error: Error) => {
        count(target.release, 502);
        res.writeHead(502, { 'content-type': 'text/plain' });
        res.end(`the release site did not answer: ${error.message}`);
      });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    target: `127.0.0.1:${port}`,
    register: (release) => {
      for (const code of [200, 500]) counts.set(key(release, code), counts.get(key(release, code)) ?? 0);
    },
    close: () => {
      // Prometheus keeps its scrape connection alive: close it too, or close() waits for it.
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** Production's users: a steady stream of requests to the feed, from the first release to the end of the story. */
function startUsers(url: string, everyMs = USERS_EVERY_MS): () => void {
  const timer = setInterval(() => {
    fetch(`${url}${USERS_PATH}`, { signal: AbortSignal.timeout(5_000) })
      .then((answer) => answer.arrayBuffer())
      .catch(() => undefined);
  }, everyMs);
  return () => clearInterval(timer);
}

export interface DemoOptions {
  provider?: DemoProvider;
  /**
   * default (release 2 fails its smoke test), bake (release 3 fails the bake window after promotion) or canary
   * (release 2's rollout is stopped at its first share).
   */
  story?: DemoStory;
  /** Folder for every step's job summary (Markdown): new, empty, or one an earlier demo wrote (see prepareDemoFolder). */
  out?: string;
  /** Called after each step (the CLI prints the timeline as it goes). */
  onStep?: (step: DemoStep) => void;
  /** Called with what the reader must know before the steps: the bake story says which metric gate it reads. */
  onNote?: (note: string) => void;
}

/** The canary story's record in --out: per release, what production served at each share, and where it stopped. */
const CANARY_FILE = 'canary.json';

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
    for (const entry of entries)
      if (entry.endsWith('.md') || entry === CANARY_FILE) rmSync(join(out, entry), { force: true });
  }
  mkdirSync(out, { recursive: true });
  writeFileSync(
    join(out, DEMO_MARKER),
    'Written by `shipline demo`: the demo replaces the summaries in this folder.\n',
  );
}

/** What the bake story checks, before promotion at the release's URL and after it at production's. */
const BAKE_PATHS = '/,/health,/api/notes';
/**
 * The bake window of the demo: short, so the story takes seconds (a workflow's default is 5m, every 30s). Two
 * failing ticks in a row end it, naming the route; the error-rate gate is set above what those two ticks reach
 * (2 of 9 requests), so that the route, not only a rate, is what the ledger and Slack show.
 */
const BAKE_WINDOW = { window: '5s', interval: '1s', failAfter: '2', maxErrorRate: '30%' };

/** What production's users request, steadily: no check of the smoke test or the bake window reads it. */
const USERS_PATH = '/api/feed';
const USERS_EVERY_MS = 50;

/**
 * The share of a release's production requests answered with a 5xx over the last 5 seconds, as Prometheus reads
 * it from production's counters; `release` is the commit (smoke-test's ${release}).
 */
function errorRateQuery(release: string): string {
  const of = (codes: string) => `${REQUESTS_METRIC}{release="${release}"${codes}}`;
  return `sum(rate(${of(',code=~"5.."')}[5s])) / sum(rate(${of('')}[5s]))`;
}
/**
 * The bake window's metric gate: under 10% of the release's requests fail. Release 4 fails one feed request in five
 * (about 18% of all its requests); release 3's broken notes API, read once a tick by the checks among production's
 * steady feed traffic, stays under it, so release 3 is caught by its checks and release 4 by this gate.
 */
const ERROR_RATE_GATE = `${errorRateQuery('${release}')} < 0.1`;

/** The latest status's description and a rollback's reason, of a deployment of the GitHub fake. */
function ledgerDetail(deployment: FakeGitHubDeployment | undefined): { description?: string; reason?: string } {
  const reason = (deployment?.payload as { rollback?: { reason?: string } } | undefined)?.rollback?.reason;
  return { description: deployment?.statuses[0]?.description || undefined, reason };
}

/** Every text of a Slack message's blocks, one per line (what people read in the channel). */
function blockText(blocks: unknown[] | undefined): string {
  const texts: string[] = [];
  const walk = (value: unknown, key?: string): void => {
    if (typeof value === 'string' && key === 'text') texts.push(value);
    else if (Array.isArray(value)) value.forEach((v) => walk(v));
    else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(v, k);
  };
  walk(blocks ?? []);
  return texts.join('\n');
}

type ProductionAnswer = { url: string; status: number; release: number | undefined };

/** What production answers on /health once the story is over: the release whose version it reports. */
async function answerOf(url: string): Promise<ProductionAnswer> {
  const answer = await fetch(`${url}/health`, { signal: AbortSignal.timeout(5_000) });
  const body = (await answer.json().catch(() => ({}))) as { version?: string };
  return { url, status: answer.status, release: body.version === undefined ? undefined : Number(body.version) };
}

export async function runDemo(options: DemoOptions = {}): Promise<DemoResult> {
  const started = Date.now();
  const root = findRoot();
  const app = join(root, 'examples', 'demo-app');
  const provider = options.provider ?? 'vercel';
  const story = options.story ?? 'default';
  if (story === 'bake' && !BAKE_PROVIDERS.includes(provider))
    throw new Error(`the bake story runs on ${BAKE_PROVIDERS.join(', ')}, not ${provider}`);
  if (story === 'canary' && !CANARY_PROVIDERS.includes(provider))
    throw new Error(`the canary story runs on ${CANARY_PROVIDERS.join(', ')}, not ${provider}`);
  if (options.out) prepareDemoFolder(options.out);

  const closers: (() => Promise<unknown>)[] = [];
  const steps: DemoStep[] = [];
  try {
    const [postgres, github, slack, sandbox] = await Promise.all([
      startPostgres(),
      startFakeGitHub({ repository: 'acme/notes' }),
      startFakeSlack(),
      startProvider(provider, story),
    ]);
    closers.push(postgres.stop, github.close, slack.close, sandbox.close);
    const databaseUrl = await postgres.createDatabase('notes');
    const env = { GITHUB_API_URL: github.url, GITHUB_REPOSITORY: github.repository, GITHUB_TOKEN: github.token };
    const slackInputs = { 'bot-token': slack.token, channel: '#deploys', 'slack-api-url': slack.apiUrl };

    const step = async (name: string, action: string, inputs: Record<string, string>, run = 1): Promise<RunResult> => {
      const provides = action === 'deploy' || action === 'rollback';
      const result = await runBundle({
        action,
        inputs,
        env: {
          ...env,
          ...(provides ? sandbox.env : {}),
          GITHUB_RUN_ID: String(4200 + run),
          GITHUB_SHA: sandbox.sha?.(run) ?? demoSha(run),
          GITHUB_WORKFLOW: 'pipeline',
        },
        event: {
          name: 'push',
          payload: {
            ref: 'refs/heads/main',
            head_commit: { id: `${run}`, message: `Release ${run} of the notes app` },
          },
        },
        workspace: provides && sandbox.workspace ? sandbox.workspace : root,
        timeoutMs: 120_000,
      });
      const record: DemoStep = {
        name,
        action,
        ms: result.durationMs,
        exitCode: result.exitCode,
        outputs: result.outputs,
      };
      if (options.out) {
        record.summaryFile = join(
          options.out,
          `${String(steps.length + 1).padStart(2, '0')}-${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}.md`,
        );
        writeFileSync(record.summaryFile, `<!-- ${action}: ${name} (exit ${result.exitCode}) -->\n\n${result.summary}`);
      }
      steps.push(record);
      options.onStep?.(record);
      return result;
    };
    const expectOk = (result: RunResult, what: string) => {
      if (result.exitCode !== 0)
        throw new Error(`demo: ${what} failed unexpectedly:\n${result.stdout}${result.stderr}`);
      return result;
    };

    const releases: { number: number; deploymentId: string }[] = [];
    const bake = story === 'bake';
    // The bake story's production URL: whatever release the provider says is live, through a rollback too.
    const sites = new Map<number, string>();
    const liveRelease = () =>
      sandbox.liveRelease
        ? sandbox.liveRelease(releases)
        : releases.find((r) => r.deploymentId === sandbox.live())?.number;
    const production = bake
      ? await serveProduction(() => {
          const number = liveRelease();
          const site = sites.get(number ?? -1);
          return number !== undefined && site ? { site, release: demoSha(number) } : undefined;
        })
      : undefined;
    if (production) closers.push(production.close);
    // The metric gate needs a real Prometheus scraping production; where none is installed the story says so and
    // bakes on the HTTP checks alone (nothing stands in for Prometheus).
    let prometheus: RealPrometheus | undefined;
    let metrics: DemoResult['metrics'];
    if (production) {
      const binary = prometheusBinary();
      if (binary) {
        prometheus = await startPrometheus(binary, [production.target]);
        closers.push(prometheus.close);
        metrics = {
          prometheus: prometheus.url,
          gate: ERROR_RATE_GATE,
          note: `Prometheus (${binary}) at ${prometheus.url} scrapes production's request counters (${production.url}/metrics) every second; every bake window reads the metric gate ${ERROR_RATE_GATE}`,
        };
      } else {
        metrics = {
          note: `Prometheus is not installed (apt-get install prometheus, or set PROMETHEUS to its binary${process.env.PROMETHEUS ? `; PROMETHEUS names ${process.env.PROMETHEUS}, which does not run` : ''}): production still exports its request counters (${production.url}/metrics), but no metric gate can read them, so the bake windows judge releases by their HTTP checks alone and release 4, whose checks pass while one feed request in five fails, stays live`,
        };
      }
      options.onNote?.(metrics.note);
      const stopUsers = startUsers(production.url);
      closers.push(async () => stopUsers());
    }
    const afterRelease: NonNullable<DemoResult['afterRelease']> = [];
    let previousNumber: number | undefined;
    const afterPrevious = async () => {
      if (production && previousNumber !== undefined)
        afterRelease.push({
          number: previousNumber,
          liveRelease: liveRelease(),
          production: await answerOf(production.url),
        });
    };

    const canaryReleases = story === 'canary' ? await canaryStory() : undefined;
    async function canaryStory(): Promise<CanaryRelease[]> {
      const canary = sandbox.canary;
      if (!canary) throw new Error(`the canary story runs on ${CANARY_PROVIDERS.join(', ')}, not ${provider}`);
      // Users every 20 ms: enough that a first stage of 5% sends some of them to the new deployment.
      const stopUsers = startUsers(canary.productionUrl, 20);
      closers.push(async () => stopUsers());
      const record: CanaryRelease[] = [];
      for (const number of [1, 2, 3]) {
        const title = `Release ${number}`;
        const pipeline = { 'started-at': new Date().toISOString() };
        const started = expectOk(
          await step(
            `${title}: notify started`,
            'notify',
            { status: 'started', environment: 'production', ...slackInputs },
            number,
          ),
          'notify',
        );
        const thread = { channel: started.outputs.channel as string, ts: started.outputs.ts as string };
        expectOk(
          await step(
            `${title}: migrate apply`,
            'migrate',
            { command: 'apply', 'database-url': databaseUrl, dir: 'examples/demo-app/db/migrations' },
            number,
          ),
          'migrate apply',
        );
        // Release 1 goes live at once (there is nothing to shift traffic from); later ones roll out progressively.
        const progressive = number > 1;
        if (number === 2) canary.failRelease(number);
        const from = canary.productionServed().length;
        const deployed = await step(
          `${title}: deploy ${progressive ? 'progressive' : 'production'}`,
          'deploy',
          {
            ...sandbox.inputs,
            ...sandbox.release(number),
            ...(progressive ? canary.inputs : {}),
            target: 'production',
            'github-token': github.token,
            'wait-timeout': '1m',
          },
          number,
        );
        if (!progressive) expectOk(deployed, 'deploy');
        const deploymentId = canary.deployed(number) ?? deployed.outputs['deployment-id'];
        if (deploymentId) releases.push({ number, deploymentId });
        const entry = github.ledger('production').find((e) => e.release === deploymentId);
        const ledger = ledgerDetail(github.deployments.find((d) => d.id === entry?.id)).description;
        const stopped = /stopped at (\d+)%/i.exec(ledger ?? '')?.[1];
        const succeeded = deployed.exitCode === 0;
        expectOk(
          await step(
            `${title}: notify ${succeeded ? 'succeeded' : stopped ? 'rolled back' : 'failed'}`,
            'notify',
            {
              status: succeeded ? 'succeeded' : stopped ? 'rolled-back' : 'failed',
              environment: 'production',
              url: canary.productionUrl,
              ...(succeeded
                ? {}
                : { message: `Rollout ${stopped ? `stopped at ${stopped}%` : 'failed'}: ${ledger ?? ''}` }),
              ...slackInputs,
              ...thread,
              ...pipeline,
            },
            number,
          ),
          'notify',
        );
        const productionAfter: Record<string, number> = {};
        for (let i = 0; i < 20; i++) {
          const answer = await fetch(`${canary.productionUrl}/`, { signal: AbortSignal.timeout(5_000) });
          await answer.arrayBuffer();
          const key = String(canary.answeredBy(answer.headers) ?? 'unknown');
          productionAfter[key] = (productionAfter[key] ?? 0) + 1;
        }
        // A release's share at each request: the rollout's share when it is the release rolling out, the rest when
        // it is the one being replaced, everything when no rollout was in flight.
        const tally = new Map<string, CanaryRelease['served'][number]>();
        for (const s of canary.productionServed().slice(from)) {
          const share =
            s.rolloutShare === undefined ? 100 : s.release === number ? s.rolloutShare : 100 - s.rolloutShare;
          const key = `${s.release}@${share}`;
          const row = tally.get(key) ?? { release: s.release, share, requests: 0, errors: 0 };
          row.requests += 1;
          if (s.status >= 500) row.errors += 1;
          tally.set(key, row);
        }
        record.push({
          number,
          progressive,
          deployExit: deployed.exitCode,
          ...(deploymentId && canary.rollout(deploymentId) ? { rollout: canary.rollout(deploymentId) } : {}),
          served: [...tally.values()].sort((a, b) => (a.release ?? 0) - (b.release ?? 0) || a.share - b.share),
          ...(stopped ? { stoppedAt: Number(stopped) } : {}),
          ...(ledger ? { ledger } : {}),
          productionAfter,
        });
      }
      if (options.out) writeFileSync(join(options.out, CANARY_FILE), `${JSON.stringify(record, null, 2)}\n`);
      return record;
    }

    for (const number of story === 'canary' ? [] : bake ? [1, 3, 4] : [1, 2]) {
      await afterPrevious();
      previousNumber = number;
      const title = `Release ${number}`;
      // When this release's pipeline began: notify's Duration is measured from it (as a workflow passes the run's start).
      const pipeline = { 'started-at': new Date().toISOString() };
      const started = expectOk(
        await step(
          `${title}: notify started`,
          'notify',
          { status: 'started', environment: 'production', ...slackInputs },
          number,
        ),
        'notify',
      );
      const thread = { channel: started.outputs.channel as string, ts: started.outputs.ts as string };
      if (number === 1)
        expectOk(
          await step(
            `${title}: migrate verify`,
            'migrate',
            { command: 'verify', 'database-url': databaseUrl, dir: 'examples/demo-app/db/migrations' },
            number,
          ),
          'migrate verify',
        );
      expectOk(
        await step(
          `${title}: migrate apply`,
          'migrate',
          { command: 'apply', 'database-url': databaseUrl, dir: 'examples/demo-app/db/migrations' },
          number,
        ),
        'migrate apply',
      );
      const target = sandbox.staged ? 'staged' : 'production';
      const deployed = expectOk(
        await step(
          `${title}: deploy ${target}`,
          'deploy',
          { ...sandbox.inputs, ...sandbox.release(number), target, 'github-token': github.token, 'wait-timeout': '1m' },
          number,
        ),
        'deploy',
      );
      const deploymentId = deployed.outputs['deployment-id'] as string;
      releases.push({ number, deploymentId });
      const site = await serveRelease(join(app, 'releases', String(number)));
      closers.push(site.close);
      sites.set(number, site.url);
      production?.register(demoSha(number));
      // The smoke test before promotion, at the release's own URL (the bake story checks the notes API too).
      const checks: Record<string, string> = production
        ? { 'base-url': site.url, paths: BAKE_PATHS, samples: '5' }
        : { url: `${site.url}/\n${site.url}/health`, samples: '10' };
      const smoke = await step(
        `${title}: smoke-test`,
        'smoke-test',
        { ...checks, deadline: '5s', timeout: '2s', interval: '500ms', thresholds: 'p(95)<500' },
        number,
      );
      if (smoke.exitCode === 0) {
        if (sandbox.staged) {
          expectOk(
            await step(
              `${title}: promote`,
              'deploy',
              {
                ...sandbox.inputs,
                command: 'promote',
                'deployment-id': deploymentId,
                'github-token': github.token,
                'wait-timeout': '1m',
              },
              number,
            ),
            'promote',
          );
        }
        if (production) {
          // deploy-environment.yml's "Bake window": production watched with the same checks, then on failure the
          // rollback in the same job, its reason and the Slack message naming the failing measurements. The metric
          // gate reads the release's own traffic: the window starts once Prometheus has scraped some of it (a
          // release with no traffic yet reads no number, and no data is not a pass).
          if (prometheus) await prometheus.waitForNumber(errorRateQuery(demoSha(number)));
          const window = await step(
            `${title}: bake window`,
            'smoke-test',
            {
              mode: 'watch',
              'base-url': production.url,
              paths: BAKE_PATHS,
              'watch-window': BAKE_WINDOW.window,
              'watch-interval': BAKE_WINDOW.interval,
              'watch-fail-after': BAKE_WINDOW.failAfter,
              'max-error-rate': BAKE_WINDOW.maxErrorRate,
              timeout: '2s',
              ...(prometheus
                ? { 'prometheus-url': prometheus.url, 'prometheus-gates': ERROR_RATE_GATE, release: demoSha(number) }
                : {}),
            },
            number,
          );
          if (window.exitCode !== 0) {
            const measurements = window.outputs['failure-reason'] || 'the bake window failed';
            const rollback = await step(
              `${title}: rollback`,
              'rollback',
              {
                ...sandbox.inputs,
                'failed-deployment-id': deploymentId,
                reason: `rolled back after promotion: ${measurements}`,
                'github-token': github.token,
                'verify-url': `${production.url}/health`,
                'wait-timeout': '1m',
              },
              number,
            );
            const changed = rollback.outputs.changed === 'true';
            const message = `${changed ? 'Rolled back' : 'Bake window failed'} after promotion: ${measurements}`;
            expectOk(
              await step(
                `${title}: notify ${changed ? 'rolled back' : 'failed'}`,
                'notify',
                {
                  status: changed ? 'rolled-back' : 'failed',
                  environment: 'production',
                  url: production.url,
                  message,
                  ...slackInputs,
                  ...thread,
                  ...pipeline,
                },
                number,
              ),
              'notify',
            );
            continue;
          }
        }
        expectOk(
          await step(
            `${title}: notify succeeded`,
            'notify',
            {
              status: 'succeeded',
              environment: 'production',
              url: production?.url ?? site.url,
              ...slackInputs,
              ...thread,
              ...pipeline,
            },
            number,
          ),
          'notify',
        );
      } else {
        // Staged: the release never went live and is only marked failed. Live: the release before it comes back.
        const rollback = expectOk(
          await step(
            `${title}: rollback`,
            'rollback',
            {
              ...sandbox.inputs,
              'failed-deployment-id': deploymentId,
              reason: 'smoke test failed',
              'github-token': github.token,
              verify: 'false',
              'wait-timeout': '1m',
            },
            number,
          ),
          'rollback',
        );
        // The status deploy-environment.yml's notify sends: rolled-back only when the rollback changed production.
        const changed = rollback.outputs.changed === 'true';
        const failed = smoke.outputs['failed-checks'] ?? '';
        const message = changed
          ? `Smoke test failed: ${failed}`
          : `Smoke test failed before promotion: ${failed}. It never went live; production serves the release before it.`;
        expectOk(
          await step(
            `${title}: notify ${changed ? 'rolled back' : 'failed'}`,
            'notify',
            {
              status: changed ? 'rolled-back' : 'failed',
              environment: 'production',
              message,
              ...slackInputs,
              ...thread,
              ...pipeline,
            },
            number,
          ),
          'notify',
        );
      }
    }

    await afterPrevious();
    const tables = (
      await postgres.query(databaseUrl, "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")
    ).map((r) => String(r.tablename));
    const applied = (
      await postgres.query(databaseUrl, 'SELECT version FROM schema_migrations ORDER BY 1').catch(() => [])
    ).map((r) => String(r.version));
    return {
      story,
      steps,
      ledger: github
        .ledger('production')
        .map((entry) => ({ ...entry, ...ledgerDetail(github.deployments.find((d) => d.id === entry.id)) })),
      slack: [...slack.messages.values()].map((m) => ({
        ts: m.ts,
        text: m.text,
        blocks: blockText(m.blocks),
        updates: m.updates,
      })),
      tables,
      appliedMigrations: applied,
      live: sandbox.live(),
      liveRelease: liveRelease(),
      releases,
      production: production ? await answerOf(production.url) : undefined,
      ...(production ? { afterRelease, metrics } : {}),
      ...(canaryReleases ? { canary: canaryReleases } : {}),
      totalMs: Date.now() - started,
    };
  } finally {
    for (const close of closers.reverse()) await close().catch(() => undefined);
  }
}

/**
 * A release id as the timeline shows it: each UUID (Railway's `serviceId=deploymentId,…`, four of them for two
 * services) by its first 8 characters, as a commit by its short SHA; the job summaries and outputs hold them whole.
 */
export function readableId(id: string | undefined): string {
  return (id ?? '').replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, (uuid) =>
    uuid.slice(0, 8),
  );
}

/** What a step left behind, labelled: the timeline's last column names what its value is. */
function stepDetail(step: DemoStep): string {
  const o = Object.fromEntries(
    Object.entries(step.outputs).map(([key, value]) => [
      key,
      key.endsWith('deployment-id') ? readableId(value) : value,
    ]),
  );
  if (o.result && step.name.endsWith('bake window'))
    return o.result === 'passed'
      ? `passed: ${o.ticks ?? '?'} ticks, error rate ${o['error-rate'] ?? '?'}`
      : `failed: ${o['failure-reason'] ?? ''}`;
  if (o['restored-deployment-id'])
    return o.changed === 'false'
      ? `no change: ${o['restored-deployment-id']} still live`
      : `restored ${o['restored-deployment-id']}`;
  if (o['deployment-id']) return `deployment ${o['deployment-id']}`;
  if (o['failed-checks']) return `failed checks: ${o['failed-checks']}`;
  if (step.action === 'migrate' && step.name.endsWith('verify'))
    return step.exitCode === 0 ? 'migrations apply from scratch' : '';
  if (o['applied-count'] !== undefined)
    return `${o['applied-count']} migration${o['applied-count'] === '1' ? '' : 's'} applied`;
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
