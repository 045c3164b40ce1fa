import type { DbOrTx } from '../db/schema.ts';
import { newId } from './subscriptions.ts';

/**
 * 合并: the duplicate's followers follow the original too, in the merge's transaction. A follower
 * of both keeps one row on the original (the unique indexes decide, ON CONFLICT DO NOTHING);
 * pending addresses are not copied: their confirmation, when it comes, follows the original then.
 */
export async function copyFollowers(
  tx: DbOrTx,
  duplicateId: string,
  originalId: string,
  at: string,
): Promise<number> {
  const followers = await tx
    .selectFrom('case_followers')
    .select(['user_id', 'email', 'digest'])
    .where('case_id', '=', duplicateId)
    .where('status', '=', 'active')
    .execute();
  if (followers.length === 0) return 0;
  const result = await tx
    .insertInto('case_followers')
    .values(
      followers.map((f) => ({
        id: newId(),
        case_id: originalId,
        user_id: f.user_id,
        email: f.email,
        status: 'active' as const,
        digest: f.digest,
        nonce: null,
        requested_at: at,
        created_at: at,
        confirmed_at: at,
      })),
    )
    .onConflict((oc) => oc.doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0);
}
