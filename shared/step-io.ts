// What an action's run() does to the step beyond its own work: outputs, the job summary, the log. deploy and
// rollback take it as a dependency (as actions/cache's restoreImpl takes its StateProvider), so a test drives
// run() in-process and reads every output and log line; the entry point hands it the runner's.
import { group, info, setOutput, warning } from './runner.js';
import { appendSummary } from './summary.js';

export interface StepIO {
  setOutput(name: string, value: string | number | boolean): void;
  /** Queued; written when the step ends (shared/action.ts flushes it, failed or not). */
  appendSummary(markdown: string): void;
  info(message: string): void;
  warning(message: string): void;
  group<T>(title: string, fn: () => Promise<T>): Promise<T>;
}

export const runnerIO: StepIO = {
  setOutput,
  appendSummary: (markdown) => void appendSummary(markdown),
  info,
  warning,
  group,
};
