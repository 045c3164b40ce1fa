import type { Actor } from '../core/access/roles.ts';
import type { DbOrTx } from '../db/schema.ts';

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
 * Appends one row to the audit log. Call it with the transaction that makes the write, so that a
 * write and its record commit or roll back together.
 */
export async function recordAudit(tx: DbOrTx, entry: AuditEntry): Promise<void> {
  await tx
    .insertInto('audit_log')
    .values({
      at: entry.at.toISOString(),
      actor_user_id: entry.actor?.user_id ?? null,
      actor_username: entry.actor?.username ?? 'system',
      action: entry.action,
      target_type: entry.target_type,
      target_id: entry.target_id,
      details: JSON.stringify(entry.details ?? {}),
    })
    .execute();
}
