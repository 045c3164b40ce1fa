import type { DbOrTx } from '../db/schema.ts';
import type { Delivery } from '../mail/enqueue.ts';

/**
 * The active followers of a case as deliveries: an address follows as itself, an account at its
 * address (an account without one gets nothing). Pending (unconfirmed) addresses get nothing.
 */
export async function followerDeliveries(db: DbOrTx, caseId: string): Promise<Delivery[]> {
  // Serves: case_followers_user_uq / case_followers_email_uq (case_id leads both).
  const rows = await db
    .selectFrom('case_followers')
    .leftJoin('users', 'users.id', 'case_followers.user_id')
    .select([
      'case_followers.id',
      'case_followers.email',
      'case_followers.digest',
      'users.email as account_email',
    ])
    .where('case_followers.case_id', '=', caseId)
    .where('case_followers.status', '=', 'active')
    .orderBy('case_followers.created_at')
    .execute();
  return rows.flatMap((r) => {
    const address = r.email ?? r.account_email;
    return address ? [{ address, digest: r.digest === 1, from: { k: 'case' as const, id: r.id } }] : [];
  });
}
