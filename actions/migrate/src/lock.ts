// Mutual exclusion between migrators: a session-level advisory lock taken with pg_try_advisory_lock, polled with
// backoff on a connection of its own. A blocking pg_advisory_lock waiter, or a transaction-level lock, would
// deadlock against CREATE INDEX CONCURRENTLY, which waits for every older transaction to finish.
import { setTimeout as sleep } from 'node:timers/promises';
import type { QueryResult } from 'pg';
import { ShiplineError } from '../../../shared/errors.js';
import { info } from '../../../shared/runner.js';
import { type Db, hangUp } from './db.js';

/** The lock's two keys: 'ship' and 'migr' as 32-bit integers, the same for every shipline migrator. */
const LOCK_KEYS = [0x73686970, 0x6d696772] as const;

/** An advisory lock: how to try it, which pg_locks row its holder has, and what to call it in a message. */
interface AdvisoryLock {
  readonly name: string;
  readonly tryLock: string;
  readonly unlock: string;
  /** pg_locks columns of the granted lock: a two-key lock fills classid/objid with objsubid 2, a bigint one 1. */
  readonly held: readonly [classid: number, objid: number, objsubid: 1 | 2];
}

const SHIPLINE_LOCK: AdvisoryLock = {
  name: 'the migration lock',
  tryLock: `SELECT pg_try_advisory_lock(${LOCK_KEYS[0]}, ${LOCK_KEYS[1]}) AS locked`,
  unlock: `SELECT pg_advisory_unlock(${LOCK_KEYS[0]}, ${LOCK_KEYS[1]})`,
  held: [LOCK_KEYS[0], LOCK_KEYS[1], 2],
};

/**
 * The lock a migration tool takes itself, where it has one with a fixed key: shipline takes it too (first, so every
 * shipline run takes the two in one order), and a run of the tool in another job then waits for shipline's, or
 * shipline for the tool's, instead of both applying the same files. Prisma's schema engine takes
 * `SELECT pg_advisory_lock(72707369)` for `migrate deploy` (schema-engine/connectors/sql-schema-connector/src/flavour/
 * postgres.rs, `acquire_lock`); a bigint key lands in pg_locks as classid = high 32 bits, objid = low, objsubid 1.
 */
export function toolLockFor(format: { name: string } | undefined): AdvisoryLock | undefined {
  if (format?.name !== 'prisma') return undefined;
  return {
    name: "Prisma Migrate's lock (pg_advisory_lock(72707369))",
    tryLock: 'SELECT pg_try_advisory_lock(72707369) AS locked',
    unlock: 'SELECT pg_advisory_unlock(72707369)',
    held: [0, 72707369, 1],
  };
}

async function describeHolder(db: Db, lock: AdvisoryLock): Promise<string> {
  const { rows } = await db.query(
    `SELECT a.pid, a.application_name, a.client_addr::text AS client, a.backend_start
       FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
      WHERE l.locktype = 'advisory' AND l.classid = $1 AND l.objid = $2 AND l.objsubid = $3 AND l.granted
        AND l.pid <> pg_backend_pid()`,
    [...lock.held],
  );
  const holder = rows[0];
  if (!holder) return 'another session';
  return `backend ${holder.pid} (${holder.application_name || 'no application name'}${holder.client ? ` from ${holder.client}` : ''}, connected ${new Date(holder.backend_start).toISOString()})`;
}

/** Takes the lock or fails after `timeoutMs`; waits 25 ms, doubling up to 1 s, between tries. */
export async function acquireLock(db: Db, timeoutMs: number, lock: AdvisoryLock = SHIPLINE_LOCK): Promise<void> {
  const started = Date.now();
  let delay = 25;
  let announced = false;
  for (;;) {
    const { rows } = await db.query(lock.tryLock);
    if (rows[0]?.locked) {
      if (announced) info(`${capitalise(lock.name)} taken after ${((Date.now() - started) / 1000).toFixed(1)}s.`);
      return;
    }
    const waited = Date.now() - started;
    if (waited >= timeoutMs)
      throw new ShiplineError(
        `Another migration is running: ${lock.name} is held by ${await describeHolder(db, lock)} and was not released within ${timeoutMs / 1000}s`,
        {
          hint: "Wait for the other pipeline to finish, or raise input 'lock-timeout'. Nothing was applied.",
        },
      );
    if (!announced) {
      info(`Waiting for ${lock.name}, held by ${await describeHolder(db, lock)} (up to ${timeoutMs / 1000}s)…`);
      announced = true;
    }
    await sleep(Math.min(delay, timeoutMs - waited));
    delay = Math.min(delay * 2, 1000);
  }
}

/** 'the migration lock' → 'Migration lock', to begin a sentence. */
const capitalise = (text: string): string => {
  const bare = text.replace(/^the /, '');
  return bare.charAt(0).toUpperCase() + bare.slice(1);
};

/** The lock was held by another session when the first try went with a read (lockAndRead). */
class LockBusy extends Error {}

/**
 * Takes the lock, then reads (`read`: the tracking table, on this connection), and returns what was read. The
 * first try costs no round trip of its own: `pg_try_advisory_lock` travels in one message with the read's first
 * query, which the server runs after it, on a snapshot taken after it (each statement of a message takes its own),
 * so nothing another migrator commits before releasing the lock can be missed. Had the lock not been free, the
 * read's answer is dropped and the usual wait (acquireLock) runs, then the read again. A session-level advisory lock
 * does not follow the message's implicit transaction: if the read fails, the lock is still held, and released with
 * the connection as after any failure.
 */
export async function lockAndRead<T>(db: Db, timeoutMs: number, read: (db: Db) => Promise<T>): Promise<T> {
  let first = true;
  const withLock = new Proxy(db, {
    get(target, key) {
      const value = Reflect.get(target, key, target) as unknown;
      if (key !== 'query') return typeof value === 'function' ? value.bind(target) : value;
      return async (text: unknown, values?: unknown[]) => {
        if (!first) return target.query(text as string, values);
        first = false;
        // Only a query without parameters can share a message (the simple protocol); otherwise the lock goes first.
        if (typeof text !== 'string' || (values && values.length > 0)) {
          await acquireLock(target, timeoutMs);
          return target.query(text as string, values);
        }
        const [lock, ...answers] = (await target.query(
          `${SHIPLINE_LOCK.tryLock};\n${text}`,
        )) as unknown as QueryResult[];
        if (!lock?.rows[0]?.locked) throw new LockBusy();
        return answers.length === 1 ? answers[0] : answers;
      };
    },
  });
  try {
    const result = await read(withLock);
    if (!first) return result;
  } catch (error) {
    if (!(error instanceof LockBusy)) throw error;
  }
  // The lock was busy (or the read asked nothing, so the lock never went): wait for it, then read under it.
  await acquireLock(db, timeoutMs);
  return read(db);
}

export async function releaseLock(db: Db): Promise<void> {
  await db.query(SHIPLINE_LOCK.unlock).catch(() => undefined);
}

/**
 * Releases the lock (and the tool's, when taken) and ends its session in one write, without waiting (hangUp): the
 * unlock says so explicitly, which matters behind a session pooler, where the server session may outlive ours; on a
 * direct connection the session's end alone would release it. Either way the next migrator finds it free once the
 * server has read these.
 */
export function releaseLockAndHangUp(db: Db, toolLock?: AdvisoryLock): void {
  hangUp(db, toolLock ? `${SHIPLINE_LOCK.unlock}; ${toolLock.unlock}` : SHIPLINE_LOCK.unlock);
}
