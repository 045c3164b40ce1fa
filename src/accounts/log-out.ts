import type { Clock } from '../core/clock.ts';
import type { Db } from '../db/schema.ts';
import { recordAudit } from './record-audit.ts';
import { hashToken } from './sessions.ts';

/** Revokes the session of this token; logging out twice, or with an unknown token, does nothing. */
export async function logOut(deps: { db: Db; clock: Clock }, token: string): Promise<void> {
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (tx) => {
    const revoked = await tx
      .updateTable('sessions')
      .set({ revoked_at: now.toISOString() })
      .where('token_hash', '=', hashToken(token))
      .where('revoked_at', 'is', null)
      .returning('user_id')
      .executeTakeFirst();
    if (!revoked) return;
    const user = await tx
      .selectFrom('users')
      .select(['id', 'username'])
      .where('id', '=', revoked.user_id)
      .executeTakeFirstOrThrow();
    await recordAudit(tx, {
      actor: { user_id: user.id, username: user.username },
      action: 'session.log_out',
      target_type: 'user',
      target_id: user.id,
      at: now,
    });
  });
}
