import type { Actor } from '../core/access/roles.ts';
import { inTransaction } from '../db/transaction.ts';
import { findCaseRef } from './find-case.ts';
import { accountRow, type FollowDeps } from './subscriptions.ts';

export interface FollowView {
  case_id: string;
  reference: string;
  following: boolean;
  digest: boolean;
}

/**
 * A signed-in user follows a case: every status change is mailed to the account's address (or
 * gathered into a daily digest). Following again changes only the digest choice.
 */
export async function followCase(
  deps: FollowDeps,
  actor: Actor,
  caseIdOrReference: string,
  options: { digest?: boolean | undefined } = {},
): Promise<FollowView> {
  const at = deps.clock.now().toISOString();
  const digest = options.digest ? 1 : 0;
  return inTransaction(deps.store.db, async (tx) => {
    const found = await findCaseRef(tx, caseIdOrReference);
    await tx
      .insertInto('case_followers')
      .values({ ...accountRow(actor.user_id, digest, at), case_id: found.id })
      .onConflict((oc) => oc.columns(['case_id', 'user_id']).doUpdateSet({ digest }))
      .execute();
    return { case_id: found.id, reference: found.reference, following: true, digest: digest === 1 };
  });
}
