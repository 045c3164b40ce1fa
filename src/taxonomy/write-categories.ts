import { sql } from 'kysely';
import type { Clock } from '../core/clock.ts';
import { DomainError, isDomainError } from '../core/errors.ts';
import { depthOf } from '../core/taxonomy/codes.ts';
import { assertCanAdd, isDefinedBy, segmentOwnerFor } from '../core/taxonomy/inheritance.ts';
import { validateTree, type CategoryDraft } from '../core/taxonomy/tree.ts';
import { rowsPerInsert, type DialectTraits } from '../db/dialect.ts';
import { bumpRevision } from '../db/revisions.ts';
import type { DbOrTx } from '../db/schema.ts';
import { visibleCategories, type Category, type TaxonomyScope } from './visible-categories.ts';

export interface DraftRow extends CategoryDraft {
  /** Where the draft came from (a CSV line, a list position), for error reports. */
  row: number;
  sort: number;
}

/** Who writes: a user, or null (or absent) for the system itself (the CLI, the seed). */
export type TaxonomyActor = { user_id: string | null; username: string } | null;

export interface RowError {
  row: number;
  code: string;
  reason: string;
}

export interface WriteReport {
  inserted: number;
  updated: number;
  unchanged: number;
}

/** Errors listed in a rejection; the count says how many there were in all. */
const MAX_LISTED_ERRORS = 50;

export function rejectImport(errors: RowError[]): never {
  throw new DomainError('category.import_rejected', {
    count: errors.length,
    errors: errors.slice(0, MAX_LISTED_ERRORS),
  });
}

/**
 * Writes categories defined by `scope.region` in the transaction given: new codes are inserted,
 * the region's own categories updated, a higher region's left alone when unchanged and refused
 * when changed. Any bad draft rejects the whole list (category.import_rejected), nothing written.
 */
export async function writeDrafts(
  tx: DbOrTx,
  deps: { traits: DialectTraits; clock: Clock },
  scope: TaxonomyScope,
  drafts: readonly DraftRow[],
): Promise<WriteReport> {
  const visible = new Map((await visibleCategories(tx, scope)).map((c) => [c.code, c]));
  const errors: RowError[] = [];
  const fail = (d: DraftRow, reason: string) => errors.push({ row: d.row, code: d.code, reason });
  const taken = await takenElsewhere(tx, drafts, visible);
  const fresh: DraftRow[] = [];
  const changed: DraftRow[] = [];
  let unchanged = 0;
  for (const d of drafts) {
    const current = visible.get(d.code);
    if (taken.has(d.code)) fail(d, `code ${d.code} is used by a region outside this one's line`);
    else if (!current) fresh.push(d);
    else if (
      current.name === d.name.trim() &&
      current.name_en === d.name_en.trim() &&
      current.kind === d.kind
    ) {
      unchanged++;
    } else if (!isDefinedBy(current, scope.region)) {
      fail(d, `defined by ${current.region_code}: a lower region may add subcategories but not rename them`);
    } else changed.push(d);
  }
  for (const d of fresh) {
    const parent = d.parent_code === null ? null : visible.get(d.parent_code);
    if (parent === undefined) continue; // a parent in the list itself; validateTree checks the rest
    try {
      assertCanAdd(scope.region, parent);
    } catch (error) {
      if (!isDomainError(error)) throw error;
      fail(d, String(error.details.rule));
    }
  }
  const checked = [...fresh, ...changed];
  for (const p of validateTree(checked, visible, segmentOwnerFor(scope.region))) {
    fail(checked[p.index]!, p.reason);
  }
  const inFile = new Set(checked.map((d) => d.code));
  for (const d of checked) {
    const clash = [...visible.values()].find(
      (c) => c.parent_code === d.parent_code && c.name === d.name.trim() && !inFile.has(c.code),
    );
    if (clash) fail(d, `${clash.code} under the same parent is already named ${clash.name}`);
  }
  if (errors.length > 0) rejectImport(errors.sort((a, b) => a.row - b.row));

  const now = deps.clock.now().toISOString();
  const rows = [...fresh]
    .sort((a, b) => depthOf(a.code) - depthOf(b.code))
    .map((d) => ({
      code: d.code,
      parent_code: d.parent_code,
      name: d.name.trim(),
      name_en: d.name_en.trim(),
      depth: depthOf(d.code),
      leaf: 1,
      kind: d.kind,
      region_code: scope.region.code,
      region_level: scope.region.level,
      sort: d.sort,
      created_at: now,
    }));
  // Parents go in before their children: the self-reference is checked row by row on SQLite.
  const batch = rowsPerInsert(deps.traits, 11);
  for (let i = 0; i < rows.length; i += batch) {
    await tx
      .insertInto('categories')
      .values(rows.slice(i, i + batch))
      .execute();
  }
  for (const d of changed) {
    await tx
      .updateTable('categories')
      .set({ name: d.name.trim(), name_en: d.name_en.trim(), sort: d.sort })
      .where('code', '=', d.code)
      .execute();
  }
  await refreshLeaves(tx, deps.traits, [
    ...new Set(fresh.flatMap((d) => (d.parent_code ? [d.parent_code] : []))),
  ]);
  // The taxonomy is part of the compiled rules (src/responsibility/rules-cache.ts): every server
  // reloads them when this revision moves, a rename included.
  if (fresh.length + changed.length > 0) await bumpRevision(tx, 'responsibility_revision');
  return { inserted: fresh.length, updated: changed.length, unchanged };
}

/** Codes in the list that exist but belong to a region this one does not see (a sibling's). */
async function takenElsewhere(
  tx: DbOrTx,
  drafts: readonly DraftRow[],
  visible: ReadonlyMap<string, Category>,
): Promise<Set<string>> {
  const codes = drafts.map((d) => d.code).filter((c) => !visible.has(c));
  const found = new Set<string>();
  for (let i = 0; i < codes.length; i += 1000) {
    const rows = await tx
      .selectFrom('categories')
      .select('code')
      .where('code', 'in', codes.slice(i, i + 1000))
      .execute();
    for (const r of rows) found.add(r.code);
  }
  return found;
}

/** Recomputes the stored `leaf` flag: 1 while no category names this one as parent. */
export async function refreshLeaves(
  tx: DbOrTx,
  traits: DialectTraits,
  codes: readonly string[],
): Promise<void> {
  const batch = Math.min(1000, traits.maxParams);
  for (let i = 0; i < codes.length; i += batch) {
    await tx
      .updateTable('categories')
      .set({
        leaf: sql<number>`CASE WHEN EXISTS (SELECT 1 FROM categories AS child WHERE child.parent_code = categories.code) THEN 0 ELSE 1 END`,
      })
      .where('code', 'in', codes.slice(i, i + batch))
      .execute();
  }
}

/** Every segment already used under a parent, by any region (codes are unique across the table). */
export async function segmentsUnder(tx: DbOrTx, parent: string | null): Promise<string[]> {
  const rows = await tx
    .selectFrom('categories')
    .select('code')
    .where('parent_code', parent === null ? 'is' : '=', parent)
    .execute();
  return rows.map((r) => r.code.slice(-2));
}
