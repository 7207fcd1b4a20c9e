// The bound on the whole step (input 'timeout'). Once connected, node-postgres waits for an answer as long as the
// socket stays open, and a network that silently stops forwarding keeps it open: a partition mid-apply would hang
// until the job is killed. When the bound passes, every connection is destroyed, which makes whatever query is
// waiting fail at once, and the step fails with a sentence saying so. Unlike shared/deadline.ts's Deadline, a
// point in time that a wait consults, this acts on its own when the bound passes: nothing here is waiting to
// consult anything while a silent socket holds the driver.
import { ShiplineError } from '../../../shared/errors.js';
import type { Db } from './db.js';

export class StepTimedOut extends ShiplineError {}

export class StepTimeout {
  private readonly clients = new Set<Db>();
  private timer: NodeJS.Timeout | undefined;
  private passed = false;
  private readonly onExpiry: (() => void)[] = [];
  /** What the step was doing, for the message: updated as it goes. */
  doing = 'starting';
  /**
   * Set while a batch whose COMMITs went out waits for its answer: the sentence for those files (their fate is
   * unknown if the bound passes now), else undefined. Made only if the bound passes: the list changes with every
   * file that commits, and naming hundreds of files each time would cost more than applying some of them.
   */
  unanswered: () => string | undefined = () => undefined;

  constructor(readonly ms: number) {}

  /** Connections to destroy when the bound passes; returns the client for chaining. */
  track<T extends Db>(client: T): T {
    this.clients.add(client);
    client.once('end', () => this.clients.delete(client));
    return client;
  }

  /** Something else to stop when the bound passes (a child process). */
  onExpire(stop: () => void): void {
    this.onExpiry.push(stop);
  }

  /** Runs `body` within the bound; afterwards, the timer is gone either way. */
  async run<T>(body: () => Promise<T>): Promise<T> {
    let expire: (error: Error) => void = () => undefined;
    const expired = new Promise<never>((_, reject) => {
      expire = reject;
    });
    this.timer = setTimeout(() => {
      this.passed = true;
      for (const client of this.clients) destroy(client);
      for (const stop of this.onExpiry) stop();
      expire(this.error());
    }, this.ms);
    const work = body();
    // The body still settles after the sockets are destroyed (its finally blocks close and report): never unseen.
    work.catch(() => undefined);
    try {
      return await Promise.race([work, expired]);
    } catch (error) {
      // With every connection destroyed the body's finally blocks (the outputs, the summary) run at once: they are
      // waited for, within a bound of their own, so that they are written before the step ends (the entry point
      // ends the process as soon as the step has reported).
      if (this.passed) await settledWithin(work, SETTLE_MS);
      throw error;
    } finally {
      clearTimeout(this.timer);
    }
  }

  get hasPassed(): boolean {
    return this.passed;
  }

  error(): StepTimedOut {
    const unanswered = this.unanswered();
    return new StepTimedOut(
      `The step did not finish within input 'timeout' (${formatBound(this.ms)}): it was ${this.doing} when the database stopped answering or the work ran too long; every connection was closed`,
      {
        hint: unanswered
          ? `A COMMIT was sent and no answer came: ${unanswered}; the next run applies only what is not recorded there. If a migration legitimately needs longer, raise input 'timeout'.`
          : "If the network to the database is down, nothing more was committed than the summary shows (a file's transaction is rolled back by the server when the connection goes). If a migration legitimately needs longer, raise input 'timeout'.",
      },
    );
  }
}

/** How long the step's own reporting may take once the bound has passed and every connection is gone. */
const SETTLE_MS = 5_000;

function settledWithin(work: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  return Promise.race([
    work.then(
      () => undefined,
      () => undefined,
    ),
    bound,
  ]).finally(() => clearTimeout(timer));
}

function destroy(client: Db): void {
  // The socket underneath node-postgres's connection: ending it politely would wait for the silent peer.
  (client as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy();
}

function formatBound(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}
