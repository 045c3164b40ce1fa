import type { Actor } from '../core/access/roles.ts';
import { splitRefs } from '../core/attachments/refs.ts';
import { DomainError } from '../core/errors.ts';
import type { DbOrTx } from '../db/schema.ts';

export interface AttachToCaseInput {
  caseId: string;
  /** Photos of a report or evidence of a step: attachment ids, their URLs, or outside links. */
  refs: readonly string[];
  /** Who is reporting or acting (null: a resident who is not signed in). */
  actor: Actor | null;
  /** The time of the report or step (ISO 8601 or a Date from the injected clock). */
  at: string | Date;
}

/**
 * Claims the attachments among `refs` for a case, inside the caller's transaction (intake or a
 * workflow step), so that the case and its photos commit together or not at all. An attachment
 * belongs to at most one case: an unknown id, one another case has claimed, or one uploaded by
 * another signed-in user is refused with `attachment.not_claimable` (the same answer for all three,
 * so that nobody learns which ids exist). An id the case already owns is accepted again. Outside
 * links are returned untouched.
 *
 * Anonymous uploads are claimable by whoever names their id: the random id is known only to the
 * uploader until the upload is claimed.
 *
 * ```ts
 * await inTransaction(db, async (tx) => {
 *   // … insert the case …
 *   await attachToCase(tx, { caseId: id, refs: input.photos ?? [], actor, at: now });
 * });
 * ```
 */
export async function attachToCase(
  tx: DbOrTx,
  input: AttachToCaseInput,
): Promise<{ attachmentIds: string[]; links: string[] }> {
  const { attachmentIds, links } = splitRefs(input.refs);
  if (attachmentIds.length === 0) return { attachmentIds, links };
  const rows = await tx
    .selectFrom('attachments')
    .select(['id', 'case_id', 'uploaded_by_user_id'])
    .where('id', 'in', attachmentIds)
    .execute();
  const byId = new Map(rows.map((r) => [r.id, r]));
  const toClaim: string[] = [];
  for (const id of attachmentIds) {
    const row = byId.get(id);
    const ownedByOther =
      row?.uploaded_by_user_id != null && row.uploaded_by_user_id !== (input.actor?.user_id ?? null);
    if (!row || (row.case_id !== null && row.case_id !== input.caseId) || ownedByOther) {
      throw new DomainError('attachment.not_claimable', { id });
    }
    if (row.case_id === null) toClaim.push(id);
  }
  if (toClaim.length > 0) {
    const at = typeof input.at === 'string' ? input.at : input.at.toISOString();
    // `case_id IS NULL` makes two racing claims safe on either store: the loser updates fewer rows.
    const result = await tx
      .updateTable('attachments')
      .set({ case_id: input.caseId, claimed_at: at })
      .where('id', 'in', toClaim)
      .where('case_id', 'is', null)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) !== toClaim.length) {
      throw new DomainError('attachment.not_claimable', { id: toClaim.join(', ') });
    }
  }
  return { attachmentIds, links };
}
