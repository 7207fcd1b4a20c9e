// Waiting on events in tests, never on the clock. A test that needs something to have happened (a stand-in saw a
// request, a child printed a line, a file appeared) waits for that event; the bound on the wait exists only so that
// an event that never comes fails with a sentence naming it, well inside jest's own test timeout, instead of as a
// bare "Exceeded timeout". The bound is never what is asserted: a wait that ends early is the same as one that ends
// late, as long as the event came.
import type { FakeServer, RecordedRequest } from '../cli/sandbox/server.js';

/** Generous on purpose: a loaded machine may take seconds; an event that has not come after this is not coming. */
export const EVENT_BOUND_MS = 20_000;

/** `event`, or a failure naming `what` did not happen once `boundMs` has passed. */
export async function eventually<T>(event: Promise<T>, what: string, boundMs = EVENT_BOUND_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const gaveUp = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`waited ${boundMs} ms for ${what}; it did not happen`)), boundMs);
  });
  try {
    return await Promise.race([event, gaveUp]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Re-reads `condition` until it gives something truthy, at most `tries` times `everyMs` apart, then fails naming
 * `what`. For state that has no event to wait on (a row in a database, a file, a process table); prefer an event.
 */
export async function until<T>(
  what: string,
  condition: () => T | Promise<T>,
  { tries = 400, everyMs = 50 } = {},
): Promise<NonNullable<T>> {
  for (let i = 0; i < tries; i++) {
    const value = await condition();
    if (value) return value as NonNullable<T>;
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
  throw new Error(`${what}: still not so after ${tries} checks ${everyMs} ms apart`);
}

/**
 * The client gave up on `request` (closed its connection unanswered) before the first later request matching
 * `later` reached the same stand-in: a wait the client ended itself, not one ended by its process exiting. Read
 * from the order of events at the stand-in, not from a clock.
 */
export function gaveUpBefore(
  server: FakeServer,
  request: RecordedRequest | undefined,
  later: (r: RecordedRequest) => boolean,
): boolean {
  if (!request?.abandoned || request.abandonedAfter === undefined) return false;
  const next = server.requests.findIndex((r, i) => i > server.requests.indexOf(request) && later(r));
  return next >= request.abandonedAfter;
}
