import type { Actor } from '../core/access/roles.ts';
import { hashAuditEntry } from '../core/audit/hashes.ts';
import type { DbOrTx } from '../db/schema.ts';
import { sha256 } from '../db/sha256.ts';

export interface AuditEntry {
  /** Null for the system itself (seeding, sweepers). */
  actor: Pick<Actor, 'user_id' | 'username'> | { user_id: null; username: string } | null;
  /** Dotted verb, e.g. `user.create`, `session.log_in`. */
  action: string;
  target_type: string;
  target_id: string;
  /** Facts of the write; never a password or a token. */
  details?: Record<string, unknown>;
  at: Date;
}

/**
 * Appends one row to the audit log, chained to the row before (docs/audit.md). Call it with the
 * transaction that makes the write, so that a write and its record commit or roll back together.
 *
 * The whole table is one chain, so two writers must not both chain to the same row: the no-op
 * UPDATE of the chain's head takes its row lock on PostgreSQL (a second writer waits, then reads
 * the head the first one left) and SQLite has one writer anyway. Holding the lock to the commit
 * also keeps id order and chain order the same.
 */
export async function recordAudit(tx: DbOrTx, entry: AuditEntry): Promise<void> {
  const head = await tx
    .updateTable('audit_heads')
    .set((eb) => ({ hash: eb.ref('hash') }))
    .where('name', '=', 'audit_log')
    .returning('hash')
    .executeTakeFirst();
  const details = JSON.stringify(entry.details ?? {});
  const row = {
    at: entry.at.toISOString(),
    actor_user_id: entry.actor?.user_id ?? null,
    actor_username: entry.actor?.username ?? 'system',
    action: entry.action,
    target_type: entry.target_type,
    target_id: entry.target_id,
  };
  const prev = head?.hash ?? null;
  const hash = hashAuditEntry(sha256, prev, { ...row, details: JSON.parse(details) });
  const { id } = await tx
    .insertInto('audit_log')
    .values({ ...row, details, prev_hash: prev, hash })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (head) {
    await tx.updateTable('audit_heads').set({ last_id: id, hash }).where('name', '=', 'audit_log').execute();
  } else {
    // The head row is the migration's; without it (removed), the chain starts again and the
    // verifier names the row where it broke.
    await tx.insertInto('audit_heads').values({ name: 'audit_log', last_id: id, hash }).execute();
  }
}
