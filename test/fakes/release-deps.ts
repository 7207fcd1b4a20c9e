// In-memory stand-ins for the side effects deploy's and rollback's run() take as deps: a ledger that keeps its
// records and statuses in a list, a provider that serves one release at a time, and a step that keeps its outputs,
// summary and log. Every call is written to one journal, in order, so a test reads what happened and when.
import { ShiplineError } from '../../shared/errors.js';
import type { DeploymentState, LedgerEntry, LedgerPort, ReleasePayload } from '../../shared/ledger.js';
import type { DeploySpec, Provider, Release } from '../../shared/providers/provider.js';
import { goodOfCommit, newestFirst, newestOfCommit } from '../../shared/release-choice.js';
import type { RunContext } from '../../shared/run-context.js';
import type { StepIO } from '../../shared/step-io.js';

export type Journal = string[];

export const CONTEXT: RunContext = {
  serverUrl: 'https://github.com',
  apiUrl: 'https://api.github.com',
  repository: 'acme/shop',
  repositoryUrl: 'https://github.com/acme/shop',
  sha: 'f'.repeat(40),
  shortSha: 'fffffff',
  ref: 'refs/heads/main',
  refName: 'main',
  actor: 'octocat',
  eventName: 'push',
  event: {},
  workflow: 'release',
  job: 'ship',
  runId: '7',
  runAttempt: '1',
  runUrl: 'https://github.com/acme/shop/actions/runs/7',
  workspace: '/nonexistent',
  commitUrl: 'https://github.com/acme/shop/commit/fff',
};

export const release = (id: string, more: Partial<Release> = {}): Release => ({
  provider: 'vercel',
  id,
  url: `https://${id}.example.com`,
  ...more,
});

interface StoredRecord {
  id: number;
  sha: string;
  environment: string;
  createdAt: string;
  payload: ReleasePayload;
  statuses: DeploymentState[];
}

/** A ledger in memory. `failWhen` names writes that fail (as GitHub answering 503 would). */
export class MemoryLedger implements LedgerPort {
  readonly records: StoredRecord[] = [];
  failWhen: (write: string) => boolean = () => false;
  private clock = 0;

  constructor(private readonly journal: Journal) {}

  /** A record written before the test (history): statuses oldest first. */
  seed(
    releaseId: string,
    statuses: DeploymentState[],
    more: { sha?: string; payload?: Partial<ReleasePayload>; release?: Partial<Release>; environment?: string } = {},
  ): number {
    const id = this.records.length + 1;
    this.records.push({
      id,
      sha: more.sha ?? 'a'.repeat(40),
      environment: more.environment ?? 'production',
      createdAt: this.tick(),
      payload: { shipline: 1, key: `seed-${id}`, release: release(releaseId, more.release), ...more.payload },
      statuses,
    });
    return id;
  }

  private tick(): string {
    return new Date(Date.UTC(2026, 0, 1) + ++this.clock * 60_000).toISOString();
  }

  private entry(r: StoredRecord): LedgerEntry {
    return {
      id: r.id,
      sha: r.sha,
      ref: 'main',
      environment: r.environment,
      createdAt: r.createdAt,
      payload: r.payload,
      state: r.statuses.at(-1),
      everSucceeded: r.statuses.includes('success'),
      everFailed: r.statuses.some((s) => s === 'failure' || s === 'error'),
    };
  }

  private write(text: string): void {
    if (this.failWhen(text)) {
      this.journal.push(`ledger failed: ${text}`);
      throw new ShiplineError(`GitHub API: ${text} failed: HTTP 503 Service Unavailable`);
    }
    this.journal.push(`ledger: ${text}`);
  }

  /** A record's latest status, by release id (the newest record of it). */
  stateOf(releaseId: string): DeploymentState | undefined {
    return [...this.records]
      .reverse()
      .find((r) => r.payload.release.id === releaseId)
      ?.statuses.at(-1);
  }

  async entries(environment: string): Promise<LedgerEntry[]> {
    this.journal.push(`ledger read ${environment}`);
    return this.records
      .filter((r) => r.environment === environment)
      .map((r) => this.entry(r))
      .sort(newestFirst);
  }

  async record(options: Parameters<LedgerPort['record']>[0]): Promise<number> {
    const what = options.rollback
      ? `record ${options.release.id} (rollback from ${options.rollback.from.id})`
      : options.adopted
        ? `record ${options.release.id} (adopted)`
        : `record ${options.release.id}`;
    this.write(what);
    const id = this.records.length + 1;
    this.records.push({
      id,
      sha: options.sha,
      environment: options.environment,
      createdAt: this.tick(),
      payload: {
        shipline: 1,
        key: options.key,
        release: options.release,
        previous: options.previous,
        rollback: options.rollback,
        adopted: options.adopted || undefined,
      },
      statuses: [],
    });
    await this.setStatus(id, 'in_progress', { description: options.description });
    return id;
  }

  async setStatus(id: number, state: DeploymentState, options: { description?: string } = {}): Promise<void> {
    const r = this.records.find((x) => x.id === id);
    if (!r) throw new Error(`no record ${id}`);
    this.write(`${r.payload.release.id} ${state}${options.description ? ` (${options.description})` : ''}`);
    r.statuses.push(state);
  }

  async fullSha(sha: string): Promise<string> {
    return this.records.find((r) => r.sha.startsWith(sha))?.sha ?? sha.padEnd(40, '0');
  }

  async newestOfCommit(environment: string, sha: string): Promise<LedgerEntry | undefined> {
    return newestOfCommit(
      this.records.filter((r) => r.environment === environment && r.sha === sha).map((r) => this.entry(r)),
    );
  }

  async goodOfCommit(environment: string, sha: string): Promise<LedgerEntry | undefined> {
    return goodOfCommit(
      this.records.filter((r) => r.environment === environment && r.sha.startsWith(sha)).map((r) => this.entry(r)),
    );
  }
}

/** A provider that serves one release; `history` is its own record of production releases, oldest first. */
export class MemoryProvider implements Provider {
  readonly name = 'vercel';
  serving: Release | undefined;
  history: Release[] = [];
  /** Set to make rollback switch production and then fail (the wait for it to serve ran out). */
  failAfterSwitch?: string;
  /** Set to make deploy create the release and then fail (its build failed). */
  failDeploy?: string;
  nextDeploy = release('new', { sha: CONTEXT.sha });

  constructor(private readonly journal: Journal) {}

  async current(): Promise<Release | undefined> {
    this.journal.push('provider current');
    return this.serving;
  }

  async previous(current: Release | undefined): Promise<Release | undefined> {
    this.journal.push('provider previous');
    const at = this.history.findIndex((r) => r.id === current?.id);
    return at > 0 ? this.history[at - 1] : undefined;
  }

  async rollback(to: Release): Promise<Release> {
    this.journal.push(`provider rollback ${to.id}`);
    this.serving = { ...to, restoredFrom: this.serving?.id };
    if (this.failAfterSwitch) throw new ShiplineError(this.failAfterSwitch);
    return to;
  }

  async describe(id: string): Promise<Release> {
    this.journal.push(`provider describe ${id}`);
    const found = this.history.find((r) => r.id === id);
    if (!found) throw new ShiplineError(`no release ${id}`);
    return found;
  }

  async findBySha(sha: string): Promise<Release | undefined> {
    this.journal.push(`provider findBySha ${sha}`);
    return [...this.history].reverse().find((r) => r.sha?.startsWith(sha));
  }

  async deploy(spec: DeploySpec): Promise<{ release: Release }> {
    this.journal.push(`provider deploy ${spec.target}${spec.staged ? ' staged' : ''}`);
    spec.onCreated?.(this.nextDeploy);
    if (this.failDeploy) throw new ShiplineError(this.failDeploy);
    if (spec.target === 'production' && !spec.staged) {
      this.serving = this.nextDeploy;
      this.history.push(this.nextDeploy);
    }
    return { release: this.nextDeploy };
  }

  async promote(staged: Release): Promise<Release> {
    this.journal.push(`provider promote ${staged.id}`);
    this.serving = staged;
    return staged;
  }
}

/** The step's outputs, summary and log, in memory. */
export class MemoryStep implements StepIO {
  readonly outputs: Record<string, string> = {};
  readonly summary: string[] = [];
  readonly log: string[] = [];

  constructor(private readonly journal: Journal) {}

  setOutput(name: string, value: string | number | boolean): void {
    this.outputs[name] = String(value);
    this.journal.push(`output ${name}=${String(value)}`);
  }
  appendSummary(markdown: string): void {
    this.summary.push(markdown);
  }
  info(message: string): void {
    this.log.push(message);
  }
  warning(message: string): void {
    this.log.push(`warning: ${message}`);
  }
  group<T>(title: string, fn: () => Promise<T>): Promise<T> {
    this.log.push(`group: ${title}`);
    return fn();
  }
}

/** A clock that moves one second each time it is read. */
export function steppingClock(): () => number {
  let now = Date.UTC(2026, 5, 1);
  return () => (now += 1000);
}
