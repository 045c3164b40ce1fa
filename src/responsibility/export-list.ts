import { toCsv } from '../core/csv.ts';
import { DomainError } from '../core/errors.ts';
import { listToCsvRows } from '../core/responsibility/csv-codec.ts';
import type { DbOrTx } from '../db/schema.ts';
import { getRegion } from '../regions/find-regions.ts';
import { listListHeaders, readList } from './list-rows.ts';

/**
 * A region's list as CSV or JSON: its published version (a given version number, or the latest),
 * or its open draft. The JSON is what `importList` and `PUT …/content` read back.
 */
export async function exportList(
  db: DbOrTx,
  input: { region: string; version?: number | 'draft'; format: 'csv' | 'json' },
): Promise<string> {
  const region = await getRegion(db, input.region);
  const headers = await listListHeaders(db, region.code);
  const header =
    input.version === 'draft'
      ? headers.find((h) => h.status === 'draft')
      : input.version === undefined
        ? headers.find((h) => h.status === 'published')
        : headers.find((h) => h.version === input.version);
  if (!header)
    throw new DomainError('responsibility.not_found', {
      id: `${region.code}@${input.version ?? 'published'}`,
    });
  const list = await readList(db, header.id);
  const content = { entries: list.entries, township_duties: list.township_duties };
  return input.format === 'csv' ? toCsv(listToCsvRows(content)) : `${JSON.stringify(content, null, 2)}\n`;
}
