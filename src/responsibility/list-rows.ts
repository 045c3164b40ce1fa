import type { Selectable } from 'kysely';
import { DomainError } from '../core/errors.ts';
import { levelFromNumber } from '../core/regions/codes.ts';
import type {
  ResponsibilityEntry,
  ResponsibilityList,
  TownshipDuty,
} from '../core/responsibility/entries.ts';
import { readJson, readTimestamp } from '../db/dialect.ts';
import type { DbOrTx, ResponsibilityEntryTable, ResponsibilityListTable } from '../db/schema.ts';

export interface ListHeader {
  id: string;
  region_code: string;
  region_level: ReturnType<typeof levelFromNumber>;
  version: number | null;
  status: 'draft' | 'published' | 'superseded';
  title: string;
  created_at: string;
  created_by: string;
  published_at: string | null;
  published_by: string | null;
}

export function toHeader(row: Selectable<ResponsibilityListTable>): ListHeader {
  return {
    ...row,
    region_level: levelFromNumber(row.region_level),
    created_at: readTimestamp(row.created_at),
    published_at: row.published_at === null ? null : readTimestamp(row.published_at),
  };
}

export async function getListHeader(db: DbOrTx, id: string): Promise<ListHeader> {
  const row = await db.selectFrom('responsibility_lists').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new DomainError('responsibility.not_found', { id });
  return toHeader(row);
}

/** The entries and township duties of several lists, in two queries. */
function toEntry(e: Selectable<ResponsibilityEntryTable>): ResponsibilityEntry {
  return {
    id: e.id,
    category_code: e.category_code,
    scope_region_code: e.scope_region_code,
    lead: readJson(e.lead),
    co_handlers: readJson(e.co_handlers),
    legal_basis: readJson(e.legal_basis),
    limits: readJson(e.limits),
    escalation: e.escalation as ResponsibilityEntry['escalation'],
  };
}

/** One entry of a list (the one a case was routed by), or null when it is not there. */
export async function readEntry(
  db: DbOrTx,
  listId: string,
  entryId: string,
): Promise<ResponsibilityEntry | null> {
  const row = await db
    .selectFrom('responsibility_entries')
    .selectAll()
    .where('list_id', '=', listId)
    .where('id', '=', entryId)
    .executeTakeFirst();
  return row ? toEntry(row) : null;
}

export async function readContents(
  db: DbOrTx,
  ids: readonly string[],
): Promise<Map<string, { entries: ResponsibilityEntry[]; township_duties: TownshipDuty[] }>> {
  const out = new Map(
    ids.map((id) => [id, { entries: [] as ResponsibilityEntry[], township_duties: [] as TownshipDuty[] }]),
  );
  if (ids.length === 0) return out;
  const entries = await db
    .selectFrom('responsibility_entries')
    .selectAll()
    .where('list_id', 'in', ids)
    .orderBy('list_id')
    .orderBy('id')
    .execute();
  for (const e of entries) out.get(e.list_id)!.entries.push(toEntry(e));
  const duties = await db.selectFrom('township_duties').selectAll().where('list_id', 'in', ids).execute();
  for (const d of duties) {
    out.get(d.list_id)!.township_duties.push({
      township_code: d.township_code,
      category_code: d.category_code,
      duty: d.duty as TownshipDuty['duty'],
    });
  }
  return out;
}

/** Header and content together, in the shape the resolver reads. */
export async function readList(db: DbOrTx, id: string): Promise<ListHeader & ResponsibilityList> {
  const header = await getListHeader(db, id);
  const content = (await readContents(db, [id])).get(id)!;
  return { ...header, version: header.version ?? 0, ...content };
}

/** Every version of a region's list, newest first, drafts on top. */
export async function listListHeaders(db: DbOrTx, regionCode: string): Promise<ListHeader[]> {
  const rows = await db
    .selectFrom('responsibility_lists')
    .selectAll()
    .where('region_code', '=', regionCode)
    .orderBy('version', 'desc')
    .execute();
  const drafts = rows.filter((r) => r.status === 'draft');
  return [...drafts, ...rows.filter((r) => r.status !== 'draft')].map(toHeader);
}
