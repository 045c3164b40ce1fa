import type { Clock } from '../core/clock.ts';
import { parseCsv } from '../core/csv.ts';
import { DomainError } from '../core/errors.ts';
import { csvRecordsToList, type CsvRowError } from '../core/responsibility/csv-codec.ts';
import { validateListContent } from '../core/responsibility/validate.ts';
import { ListContentSchema } from '../core/responsibility/list-schema.ts';
import type { Store } from '../db/database.ts';
import { getRegion } from '../regions/find-regions.ts';
import { draftList } from './draft-list.ts';
import type { ListHeader } from './list-rows.ts';
import { saveDraft, type ListContent, type Writer } from './save-draft.ts';
import { loadListContext } from './validate-list.ts';

export interface ListImportReport {
  list: ListHeader;
  entries: number;
  township_duties: number;
}

/**
 * Replaces the content of a region's draft with a CSV or JSON file. Every bad row is reported
 * (CSV: its line; JSON: its path) and nothing is saved unless the whole file would publish.
 */
export async function importList(
  deps: { store: Pick<Store, 'db' | 'traits'>; clock: Clock; actor: Writer },
  input: { region: string; format: 'csv' | 'json'; text: string },
): Promise<ListImportReport> {
  const region = await getRegion(deps.store.db, input.region);
  const { content, errors, where } = input.format === 'csv' ? readCsv(input.text) : readJson(input.text);
  if (errors.length === 0) {
    const context = await loadListContext(deps.store.db, region.code, region.level);
    for (const p of validateListContent(content, context))
      errors.push({ row: where(p.at), reason: `${p.at}: ${p.reason}` });
  }
  if (errors.length > 0)
    throw new DomainError('responsibility.import_rejected', { count: errors.length, errors });
  const list = await draftList(deps, { region: region.code });
  await saveDraft(deps, list.id, content);
  return { list, entries: content.entries.length, township_duties: content.township_duties.length };
}

interface Read {
  content: ListContent;
  errors: Array<CsvRowError | { row: string | number; reason: string }>;
  /** Maps `entries[3]…` to where the file said it. */
  where(at: string): number | string;
}

function readCsv(text: string): Read {
  const { content, errors, lines } = csvRecordsToList(parseCsv(text));
  return {
    content,
    errors,
    where(at) {
      const m = /^(entries|township_duties)\[(\d+)\]/.exec(at);
      return m ? (lines[m[1] as 'entries' | 'township_duties'][Number(m[2])] ?? 0) : 0;
    },
  };
}

function readJson(text: string): Read {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    return {
      content: { entries: [], township_duties: [] },
      errors: [{ row: '$', reason: (error as Error).message }],
      where: (at) => at,
    };
  }
  const parsed = ListContentSchema.safeParse(raw);
  if (!parsed.success) {
    const errors = parsed.error.issues.map((i) => ({ row: i.path.join('.') || '$', reason: i.message }));
    return { content: { entries: [], township_duties: [] }, errors, where: (at) => at };
  }
  return { content: parsed.data, errors: [], where: (at) => at };
}
