import type { Actor } from '../core/access/roles.ts';
import { inTransaction } from '../db/transaction.ts';
import { findCaseRef } from './find-case.ts';
import type { FollowView } from './follow-case.ts';
import type { FollowDeps } from './subscriptions.ts';

/** A signed-in user stops following a case; not following already is not an error. */
export async function unfollowCase(
  deps: FollowDeps,
  actor: Actor,
  caseIdOrReference: string,
): Promise<FollowView> {
  return inTransaction(deps.store.db, async (tx) => {
    const found = await findCaseRef(tx, caseIdOrReference);
    await tx
      .deleteFrom('case_followers')
      .where('case_id', '=', found.id)
      .where('user_id', '=', actor.user_id)
      .execute();
    return { case_id: found.id, reference: found.reference, following: false, digest: false };
  });
}
