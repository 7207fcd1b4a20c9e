import { failureDetails, failureMessage } from './errors.js';
import { proxySecrets } from './proxy.js';
import { debug, setFailed, setSecret } from './runner.js';
import { flushSummary } from './summary.js';

/**
 * The one outermost catch of every action: the entry point hands its whole body here, and any error that escapes
 * it becomes the step's failure message. Nothing below this catches an error merely to report it.
 */
export async function runAction(body: () => Promise<void>): Promise<void> {
  // The proxy's credentials are the runner's, not an input's: masked before the step can print anything.
  for (const secret of proxySecrets()) setSecret(secret);
  let failure: { error: unknown } | undefined;
  try {
    await body();
  } catch (error) {
    failure = { error };
  }
  // The job summary of a failed step matters most: every block appended before the failure is written first.
  await flushSummary().catch((error: unknown) => {
    failure ??= { error };
  });
  if (!failure) return;
  const details = failureDetails(failure.error);
  if (details) debug(details);
  setFailed(failureMessage(failure.error));
}

/**
 * Ends the process now that the step has reported (outputs, summary and exit code are written), once stdout and
 * stderr have taken everything written to them (they are asynchronous pipes on macOS runners). The exit code set
 * by the step stands. For a step that must not wait for Node's own teardown or for work it left behind on purpose:
 * freeing a large heap (migrate's WebAssembly parser) takes a measurable share of a short step, and a request
 * abandoned at its time limit may hold a socket open for good.
 */
export async function exitOnceFlushed(): Promise<never> {
  await Promise.all(
    [process.stdout, process.stderr].map((stream) => new Promise<void>((resolve) => stream.write('', () => resolve()))),
  );
  process.exit();
}
