// migrate: apply, plan, verify or status for a folder of SQL migrations, or run the team's own migration tool
// (`exec`) under the same lock. Problems are annotations at file:line:column; the summary has one row per file.
// Each command is a module of commands/; this one bounds the step and picks the command.
import { workspaceOf } from '../../../shared/workspace.js';
import { apply } from './commands/apply.js';
import type { RunContext } from './commands/context.js';
import { exec } from './commands/exec.js';
import { plan } from './commands/plan.js';
import { status } from './commands/status.js';
import { verify } from './commands/verify.js';
import type { MigrateInputs } from './inputs.js';
import { StepTimeout } from './step-timeout.js';

export async function run(inputs: MigrateInputs): Promise<void> {
  const context: RunContext = { inputs, workspace: workspaceOf(), timeout: new StepTimeout(inputs.timeout) };
  await context.timeout.run(() => command(context));
}

function command(context: RunContext): Promise<void> {
  if (context.inputs.exec) return exec(context);
  switch (context.inputs.command) {
    case 'plan':
      return plan(context);
    case 'status':
      return status(context);
    case 'verify':
      return verify(context);
    default:
      return apply(context);
  }
}
