// What every command of one run shares: the inputs, the workspace and the bound on the step. Handed down as an
// argument, so a module holds no state of a run and two runs in one process could not see each other's.
import { connect, type Db } from '../db.js';
import type { MigrateInputs } from '../inputs.js';
import type { StepTimeout } from '../step-timeout.js';

export interface RunContext {
  inputs: MigrateInputs;
  workspace: string;
  /** The bound on the whole step (input 'timeout'): every connection is registered with it. */
  timeout: StepTimeout;
}

/** A connection the step's bound destroys when it passes. */
export async function open(context: RunContext, url: string, options: Parameters<typeof connect>[1]): Promise<Db> {
  return context.timeout.track(await connect(url, options));
}

/** What the step is doing, for the sentence the bound's error says. */
export function doing(context: RunContext, what: string): void {
  context.timeout.doing = what;
}
