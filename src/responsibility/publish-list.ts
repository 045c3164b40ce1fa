import { recordAudit } from '../accounts/record-audit.ts';
import type { Clock } from '../core/clock.ts';
import { DomainError } from '../core/errors.ts';
import type { Store } from '../db/database.ts';
import { bumpRevision } from '../db/revisions.ts';
import { getListHeader, type ListHeader } from './list-rows.ts';
import type { Writer } from './save-draft.ts';
import { validateList } from './validate-list.ts';
import { inTransaction } from '../db/transaction.ts';

/**
 * Publishes a valid draft as the region's next version; the version it replaces stays readable
 * as superseded, so cases routed by it can still show what routed them.
 */
export async function publishList(
  deps: { store: Pick<Store, 'db'>; clock: Clock; actor: Writer },
  listId: string,
): Promise<ListHeader> {
  return inTransaction(deps.store.db, async (tx) => {
    await bumpRevision(tx, 'responsibility_revision');
    const header = await getListHeader(tx, listId);
    if (header.status !== 'draft') throw new DomainError('responsibility.not_draft', { id: listId });
    const problems = await validateList(tx, listId);
    if (problems.length > 0)
      throw new DomainError('responsibility.invalid_list', { count: problems.length, problems });
    const { latest } = await tx
      .selectFrom('responsibility_lists')
      .select((eb) => eb.fn.max('version').as('latest'))
      .where('region_code', '=', header.region_code)
      .executeTakeFirstOrThrow();
    await tx
      .updateTable('responsibility_lists')
      .set({ status: 'superseded' })
      .where('region_code', '=', header.region_code)
      .where('status', '=', 'published')
      .execute();
    const version = Number(latest ?? 0) + 1;
    const now = deps.clock.now().toISOString();
    await tx
      .updateTable('responsibility_lists')
      .set({ status: 'published', version, published_at: now, published_by: deps.actor.username })
      .where('id', '=', listId)
      .execute();
    await recordAudit(tx, {
      actor: deps.actor,
      action: 'responsibility.publish',
      target_type: 'responsibility_list',
      target_id: listId,
      details: { region: header.region_code, version },
      at: deps.clock.now(),
    });
    return { ...header, status: 'published', version, published_at: now, published_by: deps.actor.username };
  });
}
