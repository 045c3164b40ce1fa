import { recordAudit } from '../accounts/record-audit.ts';
import type { Clock } from '../core/clock.ts';
import { DomainError } from '../core/errors.ts';
import { assertCanEdit } from '../core/taxonomy/inheritance.ts';
import { MAX_NAME_LENGTH } from '../core/taxonomy/tree.ts';
import type { Store } from '../db/database.ts';
import { bumpRevision } from '../db/revisions.ts';
import { resolveScope, visibleCategories, type Category } from './visible-categories.ts';
import type { TaxonomyActor } from './write-categories.ts';

export interface RenameCategoryInput {
  region: string;
  code: string;
  name: string;
  name_en?: string;
}

/** Renames a category the region itself defined; a higher region's is refused (category.inherited_readonly). */
export async function renameCategory(
  deps: { store: Pick<Store, 'db'>; clock: Clock; actor?: TaxonomyActor },
  input: RenameCategoryInput,
): Promise<Category> {
  return deps.store.db.transaction().execute(async (tx) => {
    const scope = await resolveScope(tx, input.region);
    const visible = await visibleCategories(tx, scope);
    const node = visible.find((c) => c.code === input.code);
    if (!node) throw new DomainError('category.not_found', { code: input.code });
    assertCanEdit(scope.region, node);
    const name = input.name.trim();
    if (name === '' || name.length > MAX_NAME_LENGTH)
      throw new DomainError('request.invalid', { issues: 'name' });
    const clash = visible.find(
      (c) => c.parent_code === node.parent_code && c.name === name && c.code !== node.code,
    );
    if (clash) throw new DomainError('category.duplicate', { code: clash.code, name });
    const name_en = input.name_en?.trim() ?? node.name_en;
    await tx.updateTable('categories').set({ name, name_en }).where('code', '=', node.code).execute();
    // Every server's compiled rules hold the names: they reload when the revision moves.
    await bumpRevision(tx, 'responsibility_revision');
    await recordAudit(tx, {
      actor: deps.actor ?? null,
      action: 'category.rename',
      target_type: 'category',
      target_id: node.code,
      details: { region: scope.region.code, from: node.name, name, name_en },
      at: deps.clock.now(),
    });
    return { ...node, name, name_en };
  });
}
