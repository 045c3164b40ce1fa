import { randomUUID } from 'node:crypto';
import type { Clock } from '../core/clock.ts';
import { levelNumber } from '../core/regions/codes.ts';
import type { ResponsibilityEntry, TownshipDuty } from '../core/responsibility/entries.ts';
import type { Store } from '../db/database.ts';
import { recordAudit } from '../accounts/record-audit.ts';
import { getRegion } from '../regions/find-regions.ts';
import { readContents, toHeader, type ListHeader } from './list-rows.ts';
import { writeContent, type Writer } from './save-draft.ts';
import { inTransaction } from '../db/transaction.ts';

/**
 * Opens a draft of a region's list: a copy of its latest published version, or an empty list.
 * An open draft of the region is returned as it is rather than forked.
 */
export async function draftList(
  deps: { store: Pick<Store, 'db' | 'traits'>; clock: Clock; actor: Writer },
  input: { region: string; title?: string },
): Promise<ListHeader> {
  const region = await getRegion(deps.store.db, input.region);
  return inTransaction(deps.store.db, async (tx) => {
    const open = await tx
      .selectFrom('responsibility_lists')
      .selectAll()
      .where('region_code', '=', region.code)
      .where('status', '=', 'draft')
      .executeTakeFirst();
    if (open) return toHeader(open);
    const latest = await tx
      .selectFrom('responsibility_lists')
      .selectAll()
      .where('region_code', '=', region.code)
      .where('status', '=', 'published')
      .executeTakeFirst();
    const row = {
      id: randomUUID(),
      region_code: region.code,
      region_level: levelNumber(region.level),
      version: null,
      status: 'draft' as const,
      title: input.title ?? latest?.title ?? `${region.name}权责清单`,
      created_at: deps.clock.now().toISOString(),
      created_by: deps.actor.username,
      published_at: null,
      published_by: null,
    };
    await tx.insertInto('responsibility_lists').values(row).execute();
    let content: { entries: ResponsibilityEntry[]; township_duties: TownshipDuty[] } = {
      entries: [],
      township_duties: [],
    };
    if (latest) content = (await readContents(tx, [latest.id])).get(latest.id)!;
    await writeContent(tx, deps.store.traits, row.id, content);
    await recordAudit(tx, {
      actor: deps.actor,
      action: 'responsibility.draft',
      target_type: 'responsibility_list',
      target_id: row.id,
      details: { region: region.code, from: latest?.id ?? null },
      at: deps.clock.now(),
    });
    return toHeader(row);
  });
}
