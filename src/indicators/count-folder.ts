import type { Store } from '../db/database.ts';
import { foldAllCountDeltas } from './count-deltas.ts';

export interface CountFolderOptions {
  /** Deltas appended (by this process) that start a fold; 500 when absent. */
  threshold?: number;
  /** Deltas per fold transaction; 5,000 when absent. */
  batch?: number;
  /** Where a failed fold is reported (the deltas stay, and the next fold takes them). */
  onError?: (error: unknown) => void;
}

/**
 * Decides when the count deltas are folded (src/indicators/count-deltas.ts). The deltas are rows,
 * so nothing is lost if a fold never comes: readers add what is pending, and the next fold, here
 * or in another process, takes it. This only keeps the pending rows few: use cases report what
 * they appended after their commit, and past `threshold` a fold runs as one more write (on SQLite
 * it shares a commit with the writes in flight); the server also folds on a schedule and at start.
 */
export class CountFolder {
  private appendedSince = 0;
  private running: Promise<number> | null = null;
  private readonly threshold: number;
  private readonly batch: number;
  private onError: (error: unknown) => void;

  constructor(
    private readonly store: Pick<Store, 'write'>,
    options: CountFolderOptions = {},
  ) {
    this.threshold = options.threshold ?? 500;
    this.batch = options.batch ?? 5000;
    this.onError = options.onError ?? (() => undefined);
  }

  /** Where failed folds started by `appended` are reported (the app's log). */
  reportErrorsTo(onError: (error: unknown) => void): void {
    this.onError = onError;
  }

  /** After a commit that appended `count` deltas. */
  appended(count: number): void {
    this.appendedSince += count;
    if (this.appendedSince >= this.threshold && this.running === null) {
      void this.fold().catch((error: unknown) => this.onError(error));
    }
  }

  /** Resolves when no fold started here is running. */
  async settled(): Promise<void> {
    while (this.running) await this.running.catch(() => 0);
  }

  /** Folds every pending delta; a fold already running is joined, not doubled. */
  fold(): Promise<number> {
    if (this.running) return this.running;
    this.appendedSince = 0;
    this.running = foldAllCountDeltas(this.store, this.batch).finally(() => {
      this.running = null;
    });
    return this.running;
  }
}
