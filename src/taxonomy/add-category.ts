import type { Clock } from '../core/clock.ts';
import { DomainError } from '../core/errors.ts';
import { assertCategoryCode, nextSegment, type CategoryKind } from '../core/taxonomy/codes.ts';
import { assertCanAdd, segmentOwnerFor } from '../core/taxonomy/inheritance.ts';
import type { Store } from '../db/database.ts';
import { subtreeRange, levelFromNumber } from '../core/regions/codes.ts';
import { resolveScope, visibleCategories, type Category } from './visible-categories.ts';
import { recordAudit } from '../accounts/record-audit.ts';
import { segmentsUnder, writeDrafts, type TaxonomyActor } from './write-categories.ts';
import type { DbOrTx } from '../db/schema.ts';

export interface AddCategoryInput {
  /** The region adding the category (province, city or county; any accepted code form). */
  region: string;
  /** null adds a top-level category (the province only). */
  parent_code: string | null;
  name: string;
  name_en?: string;
  /** Top-level categories only; a subcategory has its parent's kind. */
  kind?: CategoryKind;
  /** Optional explicit code; by default the next free segment under the parent is taken. */
  code?: string;
}

/**
 * A region adds a category under one it sees. The inheritance rule (src/core/taxonomy/inheritance.ts)
 * decides whether it may; the new code extends the parent's, with a digit segment for a province and
 * a letter-led one for a city or county, e.g. 西湖区 adds `SJ01A0` under the province's `SJ01`.
 */
export async function addCategory(
  deps: { store: Pick<Store, 'db' | 'traits'>; clock: Clock; actor?: TaxonomyActor },
  input: AddCategoryInput,
): Promise<Category> {
  return deps.store.db.transaction().execute(async (tx) => {
    const scope = await resolveScope(tx, input.region);
    const visible = await visibleCategories(tx, scope);
    const parent = input.parent_code === null ? null : visible.find((c) => c.code === input.parent_code);
    if (parent === undefined) throw new DomainError('category.not_found', { code: input.parent_code });
    assertCanAdd(scope.region, parent);
    const name = input.name.trim();
    await assertNameFree(tx, scope.region, input.parent_code, name, visible);
    let code = input.code;
    if (code === undefined) {
      const segment = nextSegment(await segmentsUnder(tx, input.parent_code), segmentOwnerFor(scope.region));
      if (!segment) throw new DomainError('category.add_refused', { rule: 'no free code under the parent' });
      code = (input.parent_code ?? '') + segment;
    } else {
      assertCategoryCode(code);
      const exists = await tx
        .selectFrom('categories')
        .select('code')
        .where('code', '=', code)
        .executeTakeFirst();
      if (exists) throw new DomainError('category.duplicate', { code, name });
    }
    const siblings = visible.filter((c) => c.parent_code === input.parent_code);
    await writeDrafts(tx, { traits: deps.store.traits, clock: deps.clock }, scope, [
      {
        row: 1,
        code,
        parent_code: input.parent_code,
        name,
        name_en: input.name_en ?? '',
        kind: parent?.kind ?? input.kind ?? 'event',
        sort: Math.max(0, ...siblings.map((s) => s.sort)) + 1,
      },
    ]);
    const added = (await visibleCategories(tx, scope)).find((c) => c.code === code)!;
    await recordAudit(tx, {
      actor: deps.actor ?? null,
      action: 'category.add',
      target_type: 'category',
      target_id: added.code,
      details: { region: scope.region.code, parent_code: added.parent_code, name: added.name },
      at: deps.clock.now(),
    });
    return added;
  });
}

/**
 * Two categories with one name under one parent would confuse whoever files a case: the name must
 * be free among what the region sees and among what the regions under it have added there.
 */
async function assertNameFree(
  tx: DbOrTx,
  region: { code: string; level: number },
  parent: string | null,
  name: string,
  visible: readonly Category[],
): Promise<void> {
  const seen = visible.find((c) => c.parent_code === parent && c.name === name);
  if (seen) throw new DomainError('category.duplicate', { code: seen.code, name });
  const { low, high } = subtreeRange(region.code, levelFromNumber(region.level));
  const below = await tx
    .selectFrom('categories')
    .select('code')
    .where('parent_code', parent === null ? 'is' : '=', parent)
    .where('name', '=', name)
    .where('region_code', '>=', low)
    .where('region_code', '<=', high)
    .where('region_level', '>', region.level)
    .executeTakeFirst();
  if (below) throw new DomainError('category.duplicate', { code: below.code, name });
}
