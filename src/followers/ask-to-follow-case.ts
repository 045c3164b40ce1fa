import { askByMail } from './double-opt-in.ts';
import { findCaseRef } from './find-case.ts';
import { requireAddress, type FollowDeps } from './subscriptions.ts';

/**
 * Anyone asks to follow a case by e-mail (double opt-in, src/followers/double-opt-in.ts): a
 * pending follow and a confirmation mail, in one transaction; following starts when the link in
 * the mail is opened. The answer is the same whether the address already follows or not.
 */
export async function askToFollowCase(
  deps: FollowDeps,
  caseIdOrReference: string,
  input: { email: string; digest?: boolean | undefined },
): Promise<{ requested: true }> {
  const address = requireAddress(input.email);
  return askByMail(deps, address, async (tx) => {
    const found = await findCaseRef(tx, caseIdOrReference);
    return {
      kind: 'case',
      find: (db, email) =>
        db
          .selectFrom('case_followers')
          .select(['id', 'status', 'nonce', 'requested_at'])
          .where('case_id', '=', found.id)
          .where('email', '=', email)
          .executeTakeFirst(),
      columns: { case_id: found.id },
      digest: input.digest === true,
      content: { template: 'follow_confirm', reference: found.reference },
    };
  });
}
