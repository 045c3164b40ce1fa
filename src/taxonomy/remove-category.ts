import { recordAudit } from '../accounts/record-audit.ts';
import type { Clock } from '../core/clock.ts';
import { DomainError } from '../core/errors.ts';
import { assertCanEdit } from '../core/taxonomy/inheritance.ts';
import type { Store } from '../db/database.ts';
import { bumpRevision } from '../db/revisions.ts';
import { resolveScope, visibleCategories } from './visible-categories.ts';
import { refreshLeaves, type TaxonomyActor } from './write-categories.ts';

/**
 * Removes a category the region itself defined and nothing hangs under (no subcategory of any
 * region). A higher region's category is refused (category.inherited_readonly).
 */
export async function removeCategory(
  deps: { store: Pick<Store, 'db' | 'traits'>; clock: Clock; actor?: TaxonomyActor },
  input: { region: string; code: string },
): Promise<void> {
  await deps.store.db.transaction().execute(async (tx) => {
    const scope = await resolveScope(tx, input.region);
    const node = (await visibleCategories(tx, scope)).find((c) => c.code === input.code);
    if (!node) throw new DomainError('category.not_found', { code: input.code });
    assertCanEdit(scope.region, node);
    const child = await tx
      .selectFrom('categories')
      .select('code')
      .where('parent_code', '=', node.code)
      .limit(1)
      .executeTakeFirst();
    if (child) throw new DomainError('category.has_children', { code: node.code });
    await tx.deleteFrom('categories').where('code', '=', node.code).execute();
    if (node.parent_code) await refreshLeaves(tx, deps.store.traits, [node.parent_code]);
    // Every server's compiled rules hold the taxonomy: they reload when the revision moves.
    await bumpRevision(tx, 'responsibility_revision');
    await recordAudit(tx, {
      actor: deps.actor ?? null,
      action: 'category.remove',
      target_type: 'category',
      target_id: node.code,
      details: { region: scope.region.code, name: node.name },
      at: deps.clock.now(),
    });
  });
}
