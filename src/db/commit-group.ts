import { CompiledQuery, type Transaction } from 'kysely';
import type { Database, Db } from './schema.ts';

const SAVEPOINT = CompiledQuery.raw('SAVEPOINT w');
const ROLLBACK_TO = CompiledQuery.raw('ROLLBACK TO SAVEPOINT w');
const RELEASE = CompiledQuery.raw('RELEASE SAVEPOINT w');

export type WriteWork<T> = (tx: Transaction<Database>) => Promise<T>;

interface Job {
  work: WriteWork<unknown>;
  settle: (outcome: { value: unknown } | { error: unknown }) => void;
}

/**
 * Group commit for the embedded store. With `synchronous=FULL` every SQLite commit waits for an
 * fsync of the WAL, and one connection commits one transaction at a time: under concurrent
 * writes the disk, not the work, sets the pace. Writes that arrive while others are queued share
 * one transaction, each in its own savepoint, and one fsync; each caller's promise settles only
 * after that commit, so an acknowledged write is as durable as before. A write that fails rolls
 * back to its savepoint and fails alone; a failed commit fails every write of its group.
 *
 * A work function runs its statements on the `tx` it is given and must not call `run` again
 * (it would wait for itself).
 */
export class CommitGroup {
  private readonly queue: Job[] = [];
  private draining = false;

  constructor(
    private readonly db: Db,
    private readonly maxGroup = 64,
  ) {}

  run<T>(work: WriteWork<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({
        work: work as WriteWork<unknown>,
        settle: (o) => ('error' in o ? reject(o.error) : resolve(o.value as T)),
      });
      if (!this.draining) {
        this.draining = true;
        // Let the other requests in flight reach the queue before the group starts.
        setImmediate(() => void this.drain());
      }
    });
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0) await this.commit(this.queue.splice(0, this.maxGroup));
    } finally {
      this.draining = false;
    }
  }

  private async commit(group: Job[]): Promise<void> {
    const outcomes: Array<{ value: unknown } | { error: unknown }> = [];
    try {
      await this.db.transaction().execute(async (tx) => {
        if (group.length === 1) {
          // Alone, the transaction is the savepoint: a failure rolls it all back.
          outcomes.push({ value: await group[0]!.work(tx) });
          return;
        }
        for (const job of group) {
          await tx.executeQuery(SAVEPOINT);
          try {
            outcomes.push({ value: await job.work(tx) });
          } catch (error) {
            // SQLite may have ended the whole transaction itself (SQLITE_FULL, SQLITE_IOERR): then
            // there is no savepoint left, and the group fails with the error that ended it.
            await tx.executeQuery(ROLLBACK_TO).catch(() => {
              throw error;
            });
            outcomes.push({ error });
          }
          await tx.executeQuery(RELEASE);
        }
      });
    } catch (error) {
      for (const job of group) job.settle({ error });
      return;
    }
    group.forEach((job, i) => job.settle(outcomes[i]!));
  }
}
