import { recordAudit } from '../accounts/record-audit.ts';
import type { Clock } from '../core/clock.ts';
import { depthOf, MAX_DEPTH, nextSegment, parentCodeOf, type CategoryKind } from '../core/taxonomy/codes.ts';
import { segmentOwnerFor } from '../core/taxonomy/inheritance.ts';
import type { Store } from '../db/database.ts';
import type { DbOrTx } from '../db/schema.ts';
import { parseCsv, type CsvRecord } from '../core/csv.ts';
import { resolveScope, visibleCategories, type Category, type TaxonomyScope } from './visible-categories.ts';
import {
  rejectImport,
  segmentsUnder,
  writeDrafts,
  type DraftRow,
  type RowError,
  type TaxonomyActor,
  type WriteReport,
} from './write-categories.ts';

export interface TaxonomyImportInput {
  /** The defining region (province, city or county). */
  region: string;
  csv: string;
  /** Names-only files: the category the file's first column goes under (none: top level, province only). */
  under?: string;
  /** Names-only files: the kind of new top-level categories (default `request`, a 12345 subject taxonomy). */
  kind?: CategoryKind;
}

export interface TaxonomyImportReport extends WriteReport {
  rows: number;
  format: 'coded' | 'names';
}

/**
 * Imports a taxonomy CSV in one transaction (docs/taxonomy.md). Two shapes, told apart by the header:
 * - coded (`code,name,…` as export-taxonomy writes): every row one category, codes as given;
 * - names (one column per level, e.g. `一级分类,二级分类,三级分类`): each row a path of names; a name
 *   already there under the same parent keeps its code, a new one takes the next free segment, so
 *   re-importing the same file changes nothing.
 * Any bad row rejects the file: category.import_rejected lists `{ row, code, reason }` with the CSV
 * line number (the header is line 1), and nothing is written.
 */
export async function importTaxonomyCsv(
  deps: { store: Pick<Store, 'db' | 'traits'>; clock: Clock; actor?: TaxonomyActor },
  input: TaxonomyImportInput,
): Promise<TaxonomyImportReport> {
  const [header, ...records] = parseCsv(input.csv);
  if (!header) rejectImport([{ row: 1, code: '', reason: 'the file is empty; a header row is needed' }]);
  const columns = header.fields.map((f) => f.trim());
  return deps.store.db.transaction().execute(async (tx) => {
    const scope = await resolveScope(tx, input.region);
    const coded = columns.includes('code');
    const drafts = coded
      ? codedDrafts(columns, records)
      : await namedDrafts(tx, scope, columns, records, input);
    const report = await writeDrafts(tx, { traits: deps.store.traits, clock: deps.clock }, scope, drafts);
    const result = { ...report, rows: records.length, format: coded ? 'coded' : 'names' } as const;
    await recordAudit(tx, {
      actor: deps.actor ?? null,
      action: 'category.import',
      target_type: 'taxonomy',
      target_id: scope.region.code,
      details: { ...result, under: input.under ?? null },
      at: deps.clock.now(),
    });
    return result;
  });
}

function codedDrafts(columns: string[], records: CsvRecord[]): DraftRow[] {
  const at = (r: CsvRecord, name: string) => {
    const i = columns.indexOf(name);
    return i < 0 ? '' : (r.fields[i] ?? '').trim();
  };
  const errors: RowError[] = [];
  if (!columns.includes('name'))
    errors.push({ row: 1, code: '', reason: 'a coded file needs a name column' });
  const drafts = records.map((r, i) => {
    const code = at(r, 'code');
    const given = at(r, 'parent_code');
    const sort = Number(at(r, 'sort') || i + 1);
    if (!Number.isInteger(sort)) errors.push({ row: r.line, code, reason: 'sort must be an integer' });
    return {
      row: r.line,
      code,
      parent_code: columns.includes('parent_code') ? given || null : parentCodeOf(code),
      name: at(r, 'name'),
      name_en: at(r, 'name_en'),
      kind: at(r, 'kind') || 'event',
      sort,
    };
  });
  if (errors.length > 0) rejectImport(errors);
  return drafts;
}

async function namedDrafts(
  tx: DbOrTx,
  scope: TaxonomyScope,
  columns: string[],
  records: CsvRecord[],
  input: TaxonomyImportInput,
): Promise<DraftRow[]> {
  const visible = await visibleCategories(tx, scope);
  const root = input.under ?? null;
  const base = root === null ? undefined : visible.find((c) => c.code === root);
  const errors: RowError[] = [];
  if (root !== null && !base)
    errors.push({ row: 1, code: root, reason: `category ${root} is not visible here` });
  const levels = MAX_DEPTH - (root === null ? 0 : depthOf(root));
  if (columns.length > levels) {
    errors.push({ row: 1, code: '', reason: `at most ${levels} levels fit under ${root ?? 'the top'}` });
  }
  if (errors.length > 0) rejectImport(errors);

  // Children by parent and name: what exists first, then what this file adds.
  const byName = new Map<string, Category | DraftRow>();
  for (const c of visible) byName.set(`${c.parent_code ?? ''}/${c.name}`, c);
  const segments = new Map<string, string[]>();
  const sorts = new Map<string, number>();
  const owner = segmentOwnerFor(scope.region);
  const drafts: DraftRow[] = [];
  for (const r of records) {
    const names = r.fields.slice(0, columns.length).map((f) => f.replace(/\u3000/g, ' ').trim());
    while (names.length > 0 && names.at(-1) === '') names.pop();
    if (names.length === 0) {
      errors.push({ row: r.line, code: '', reason: 'no category name in the row' });
      continue;
    }
    const gap = names.indexOf('');
    if (gap >= 0) {
      errors.push({
        row: r.line,
        code: '',
        reason: `column ${columns[gap]} is empty but a deeper level is named`,
      });
      continue;
    }
    let parent: string | null = root;
    let kind = base?.kind ?? input.kind ?? 'request';
    for (const name of names) {
      const key = `${parent ?? ''}/${name}`;
      let node = byName.get(key);
      if (!node) {
        const pk = parent ?? '';
        const taken = segments.get(pk) ?? (await segmentsUnder(tx, parent));
        const segment = nextSegment(taken, parent === null ? 'base' : owner);
        if (!segment) {
          errors.push({ row: r.line, code: pk, reason: `no free code left under ${pk || 'the top'}` });
          break;
        }
        segments.set(pk, [...taken, segment]);
        const siblings = visible.filter((c) => c.parent_code === parent).map((c) => c.sort);
        const sort = (sorts.get(pk) ?? Math.max(0, ...siblings)) + 1;
        sorts.set(pk, sort);
        node = { row: r.line, code: pk + segment, parent_code: parent, name, name_en: '', kind, sort };
        drafts.push(node);
        byName.set(key, node);
      }
      parent = node.code;
      kind = node.kind as CategoryKind;
    }
  }
  if (errors.length > 0) rejectImport(errors);
  return drafts;
}
