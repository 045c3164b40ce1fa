import { recordAudit } from '../accounts/record-audit.ts';
import type { Clock } from '../core/clock.ts';
import { DomainError } from '../core/errors.ts';
import type { ResponsibilityEntry, TownshipDuty } from '../core/responsibility/entries.ts';
import { rowsPerInsert, type DialectTraits } from '../db/dialect.ts';
import type { Store } from '../db/database.ts';
import type { DbOrTx } from '../db/schema.ts';
import { getListHeader } from './list-rows.ts';
import { inTransaction } from '../db/transaction.ts';

/** Who writes: recorded in the audit log with every change. */
export interface Writer {
  user_id: string | null;
  username: string;
}

export interface ListContent {
  entries: ResponsibilityEntry[];
  township_duties: TownshipDuty[];
}

/**
 * Replaces the content of a draft. A draft may be incomplete; `validateList` says what is wrong
 * and `publishList` refuses until nothing is. A published version never changes.
 */
export async function saveDraft(
  deps: { store: Pick<Store, 'db' | 'traits'>; clock: Clock; actor: Writer },
  listId: string,
  content: ListContent,
): Promise<void> {
  await inTransaction(deps.store.db, async (tx) => {
    const header = await getListHeader(tx, listId);
    if (header.status !== 'draft') throw new DomainError('responsibility.not_draft', { id: listId });
    await tx.deleteFrom('responsibility_entries').where('list_id', '=', listId).execute();
    await tx.deleteFrom('township_duties').where('list_id', '=', listId).execute();
    await writeContent(tx, deps.store.traits, listId, content);
    await recordAudit(tx, {
      actor: deps.actor,
      action: 'responsibility.save_draft',
      target_type: 'responsibility_list',
      target_id: listId,
      details: { entries: content.entries.length, township_duties: content.township_duties.length },
      at: deps.clock.now(),
    });
  });
}

export async function writeContent(tx: DbOrTx, traits: DialectTraits, listId: string, content: ListContent) {
  const entries = content.entries.map((e) => ({
    list_id: listId,
    id: e.id,
    category_code: e.category_code,
    scope_region_code: e.scope_region_code,
    lead: JSON.stringify(e.lead),
    co_handlers: JSON.stringify(e.co_handlers),
    legal_basis: JSON.stringify(e.legal_basis),
    limits: JSON.stringify(e.limits),
    escalation: e.escalation,
  }));
  for (let i = 0, n = rowsPerInsert(traits, 9); i < entries.length; i += n) {
    await tx
      .insertInto('responsibility_entries')
      .values(entries.slice(i, i + n))
      .execute();
  }
  const duties = content.township_duties.map((d) => ({ list_id: listId, ...d }));
  for (let i = 0, n = rowsPerInsert(traits, 4); i < duties.length; i += n) {
    await tx
      .insertInto('township_duties')
      .values(duties.slice(i, i + n))
      .execute();
  }
}
