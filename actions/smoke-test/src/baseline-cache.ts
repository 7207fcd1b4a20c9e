// The latency baseline in the GitHub Actions cache, through the official client (@actions/cache, loaded here
// only, and only when the regression gate is used: the client and the Azure SDK it brings are a large lazy
// chunk that a run without the gate never reads).
//
// Cache entries are immutable: every passing run saves under a key of its own, `shipline-latency/<key>/<run
// id>-<attempt>`, and a run restores the most recent entry under the prefix `shipline-latency/<key>/`. The `/`
// after the key keeps `prod` from matching `prod-eu`'s entries. The cache service scopes entries by branch: a run
// reads its own branch's entries, then the default branch's (a pull request's: its base branch's).
//
// The cache is optional. @actions/cache itself never throws for a service that fails: it logs a warning (an
// error for a 5xx) and reports a miss (restore) or -1 (save). A miss and a failed restore mean different things
// here (pass with "no baseline yet" vs. the gate skipped), so the client's `Failed to restore:` line is watched
// for while it restores. A call that does not finish within `timeoutMs` is abandoned: the gate is skipped, and
// the caller ends the process once the step has reported (a request the client sent without a timeout would
// otherwise keep it alive).
import { mkdirSync, readFileSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseCommandLine } from '../../../shared/workflow-commands.js';
import { type Baseline, readBaseline } from './regression.js';

/** Workspace-relative, so the archive holds the same path on every runner (the cache version is a hash of it). */
export const BASELINE_DIR = '.shipline-latency-baseline';

export function cacheKeys(key: string, runId: string, runAttempt: string): { prefix: string; save: string } {
  const prefix = `shipline-latency/${key}/`;
  return { prefix, save: `${prefix}${runId || 'local'}-${runAttempt || '1'}` };
}

export type RestoreResult =
  | { kind: 'restored'; baseline: Baseline; matchedKey: string }
  /** Nothing under the prefix in the branches this run can read (or the service failed: the client warned). */
  | { kind: 'miss' }
  | { kind: 'unreadable'; matchedKey: string }
  | { kind: 'unavailable'; reason: string };

export type SaveResult = { kind: 'saved'; key: string } | { kind: 'not saved'; key: string; reason: string } | { kind: 'unavailable'; reason: string };

export interface BaselineStore {
  restore(): Promise<RestoreResult>;
  save(baseline: Baseline): Promise<SaveResult>;
  /** A cache call was abandoned at its timeout and may still hold a socket open. */
  readonly abandoned: boolean;
}

class Timeout extends Error {}

function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Timeout(`${what} did not finish within ${Math.round(ms / 1000)}s (cache-timeout)`)), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

/** Why the cache cannot be used in this process, or undefined when it can. */
function unavailability(cache: typeof import('@actions/cache'), env: NodeJS.ProcessEnv): string | undefined {
  if (!cache.isFeatureAvailable())
    return 'the Actions cache service is not available here (ACTIONS_RESULTS_URL, or ACTIONS_CACHE_URL on GHES, is not set: not running on GitHub Actions?)';
  if (!env.ACTIONS_RUNTIME_TOKEN) return 'the Actions cache service is not available here (ACTIONS_RUNTIME_TOKEN is not set)';
  return undefined;
}

/** How @actions/cache begins the warning (or, for a 5xx, the error) it prints for a restore that failed. */
const RESTORE_FAILED = 'Failed to restore: ';

/**
 * Runs `call` while watching this process's stdout for the client's own report of a failed restore
 * (`::warning::Failed to restore: …`, `::error::…` for a 5xx), read as the runner reads it (shared/workflow-commands.ts):
 * the only sign it gives that the miss it returns was a failure. What it writes still reaches the log unchanged.
 */
export async function watchRestoreFailure<T>(call: () => Promise<T>): Promise<{ value: T; failure?: string }> {
  const stdout = process.stdout;
  const write = stdout.write;
  let failure: string | undefined;
  stdout.write = function (this: typeof stdout, chunk: unknown, ...rest: unknown[]) {
    for (const line of (typeof chunk === 'string' ? chunk : String(chunk)).split(/\r\n|\r|\n/)) {
      const command = parseCommandLine(line);
      if ((command?.command === 'warning' || command?.command === 'error') && command.data.startsWith(RESTORE_FAILED)) failure ??= command.data.slice(RESTORE_FAILED.length);
    }
    return (write as (...args: unknown[]) => boolean).call(this, chunk, ...rest);
  } as typeof stdout.write;
  try {
    const value = await call();
    return failure === undefined ? { value } : { value, failure };
  } finally {
    stdout.write = write;
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function actionsCacheStore(options: { key: string; runId: string; runAttempt: string; timeoutMs: number; env?: NodeJS.ProcessEnv }): BaselineStore {
  const env = options.env ?? process.env;
  const relative = `${BASELINE_DIR}/${options.key}.json`;
  const file = resolve(env.GITHUB_WORKSPACE || process.cwd(), relative);
  const keys = cacheKeys(options.key, options.runId, options.runAttempt);
  let abandoned = false;
  const load = () => import('@actions/cache');

  /** The file exists only while the client archives or extracts it: the workspace is the user's. */
  const removeFile = () => {
    rmSync(file, { force: true });
    try {
      rmdirSync(dirname(file));
    } catch {
      // Not empty (another key's file of a step running alongside) or already gone: leave it.
    }
  };

  const guarded = async <T>(what: string, call: () => Promise<T>): Promise<T> => {
    try {
      return await within(call(), options.timeoutMs, what);
    } catch (error) {
      if (error instanceof Timeout) abandoned = true;
      throw error;
    }
  };

  return {
    get abandoned() {
      return abandoned;
    },
    async restore() {
      const cache = await load();
      const reason = unavailability(cache, env);
      if (reason) return { kind: 'unavailable', reason };
      // A file left by an earlier step of this job must not pass for the restored one.
      removeFile();
      try {
        const { value: matchedKey, failure } = await guarded('restoring the baseline', () => watchRestoreFailure(() => cache.restoreCache([relative], keys.save, [keys.prefix])));
        if (failure !== undefined) return { kind: 'unavailable', reason: `the cache service failed: ${failure}` };
        if (!matchedKey) return { kind: 'miss' };
        let text: string;
        try {
          text = readFileSync(file, 'utf8');
        } catch {
          return { kind: 'unreadable', matchedKey };
        }
        const baseline = readBaseline(text, options.key);
        return baseline ? { kind: 'restored', baseline, matchedKey } : { kind: 'unreadable', matchedKey };
      } catch (error) {
        return { kind: 'unavailable', reason: `the baseline could not be restored: ${message(error)}` };
      } finally {
        removeFile();
      }
    },
    async save(baseline) {
      const cache = await load();
      const reason = unavailability(cache, env);
      if (reason) return { kind: 'unavailable', reason };
      try {
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(file, `${JSON.stringify(baseline, null, 2)}\n`);
        const id = await guarded('saving the baseline', () => cache.saveCache([relative], keys.save));
        return id > 0 ? { kind: 'saved', key: keys.save } : { kind: 'not saved', key: keys.save, reason: 'the cache service did not take it (see the message above)' };
      } catch (error) {
        return { kind: 'not saved', key: keys.save, reason: message(error) };
      } finally {
        removeFile();
      }
    },
  };
}
