import type { Clock } from '../core/clock.ts';
import type { Store } from '../db/database.ts';
import { checkKeys } from './check-keys.ts';

export interface RotationReport {
  /** The key every value is now sealed under. */
  key_id: string;
  /** Rows re-sealed (each with all its values). */
  resealed: number;
  batches: number;
}

export interface RotationOptions {
  /** Rows per transaction (default 500): short transactions, so that a running server keeps writing. */
  batch?: number;
  /** Makes a new key current first (the data directory's ring); configured rings name theirs. */
  addKey?: () => string;
  /** How long running servers may go on sealing with the previous key (the file ring re-reads each second). */
  settleMs?: number;
  onBatch?: (done: number) => void;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * `shanzhi keys rotate` (docs/personal-data.md): every value not sealed under the current key is
 * opened and sealed again under it, a batch per transaction, while servers keep running. A row is
 * updated only if it still holds what was read (its key and update time), so a concurrent
 * write or erasure is never overwritten; the loop ends when no row under an older key is left.
 * Phone hashes use the index key, which rotation leaves, so look-ups work throughout.
 */
export async function rotateKeys(
  deps: { store: Pick<Store, 'db' | 'keyring'>; clock: Clock },
  options: RotationOptions = {},
): Promise<RotationReport> {
  const { db, keyring } = deps.store;
  if (options.addKey) {
    void keyring.current; // a ring made on first use exists before a key is added to it
    options.addKey();
    keyring.refresh();
    await sleep(options.settleMs ?? 2000);
  }
  const current = keyring.current;
  await checkKeys(deps.store, deps.clock.now().toISOString());
  const size = options.batch ?? 500;
  let resealed = 0;
  let batches = 0;
  for (;;) {
    const rows = await db
      .selectFrom('personal_data')
      .selectAll()
      .where('key_id', '<>', current)
      .orderBy('owner_kind')
      .orderBy('owner_id')
      .orderBy('role')
      .limit(size)
      .execute();
    if (rows.length === 0) break;
    const at = deps.clock.now().toISOString();
    await db.transaction().execute(async (tx) => {
      for (const row of rows) {
        const reseal = (value: string | null) => (value === null ? null : keyring.seal(keyring.open(value)));
        await tx
          .updateTable('personal_data')
          .set({
            name: reseal(row.name),
            phone: reseal(row.phone),
            email: reseal(row.email),
            id_number: reseal(row.id_number),
            address: reseal(row.address),
            key_id: current,
            updated_at: at,
          })
          .where('owner_kind', '=', row.owner_kind)
          .where('owner_id', '=', row.owner_id)
          .where('role', '=', row.role)
          .where('key_id', '=', row.key_id)
          .where('updated_at', '=', row.updated_at)
          .execute();
      }
    });
    resealed += rows.length;
    batches += 1;
    options.onBatch?.(resealed);
  }
  return { key_id: current, resealed, batches };
}
