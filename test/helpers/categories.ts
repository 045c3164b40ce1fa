import type { DbOrTx } from '../../src/db/schema.ts';

/** Inserts a small taxonomy directly: `[code, parent, name]`; leaves are the nodes without children. */
export async function insertCategories(
  db: DbOrTx,
  rows: Array<[string, string | null, string]>,
  region = '330000000000',
) {
  const parents = new Set(rows.map((r) => r[1]));
  await db
    .insertInto('categories')
    .values(
      rows.map(([code, parent, name], i) => ({
        code,
        parent_code: parent,
        name,
        name_en: name,
        depth: parent ? 2 : 1,
        leaf: parents.has(code) ? 0 : 1,
        kind: 'event',
        region_code: region,
        region_level: 1,
        sort: i,
        created_at: '2026-01-01T00:00:00.000Z',
      })),
    )
    .execute();
}
