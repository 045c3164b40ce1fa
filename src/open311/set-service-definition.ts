import { recordAudit } from '../accounts/record-audit.ts';
import { assertAllowed } from '../core/access/permissions.ts';
import type { Actor } from '../core/access/roles.ts';
import type { Clock } from '../core/clock.ts';
import { DomainError } from '../core/errors.ts';
import { checkDefinition, isListDatatype, type AttributeDefinition } from '../core/open311/attributes.ts';
import type { Db } from '../db/schema.ts';
import { inTransaction } from '../db/transaction.ts';
import type { ServiceDefinition } from './get-service-definition.ts';
import { loadDefinitions } from './services-scope.ts';

/** Who edits definitions: a signed-in user with `taxonomy.edit`, or the system (seeding). */
export type DefinitionEditor = Actor | { user_id: null; username: string };

/**
 * Replaces the questions of a service (a leaf category) with the given list; an empty list removes
 * them (`metadata` becomes false). Those who may edit the taxonomy where the category is defined
 * (`taxonomy.edit`) may; a definition with problems (`open311.definition_invalid`) saves nothing.
 */
export async function setServiceDefinition(
  deps: { db: Db; clock: Clock; actor: DefinitionEditor },
  code: string,
  attributes: readonly AttributeDefinition[],
): Promise<ServiceDefinition> {
  const problems = checkDefinition(attributes);
  if (problems.length > 0) {
    throw new DomainError('open311.definition_invalid', {
      count: problems.length,
      problems: problems.join('; '),
    });
  }
  return inTransaction(deps.db, async (tx) => {
    // Primary key (code) and categories_parent_idx (parent_code).
    const rows = await tx
      .selectFrom('categories')
      .select(['code', 'parent_code', 'region_code'])
      .where((eb) => eb.or([eb('code', '=', code), eb('parent_code', '=', code)]))
      .execute();
    const category = rows.find((r) => r.code === code);
    if (!category || rows.some((r) => r.parent_code === code)) {
      throw new DomainError('open311.service_not_found', { service_code: code });
    }
    if ('roles' in deps.actor)
      assertAllowed(deps.actor, 'taxonomy.edit', { region_code: category.region_code });
    const at = deps.clock.now().toISOString();
    await tx.deleteFrom('open311_attributes').where('category_code', '=', code).execute();
    if (attributes.length > 0) {
      await tx
        .insertInto('open311_attributes')
        .values(
          attributes.map((a) => ({
            category_code: code,
            code: a.code,
            sort_order: a.order,
            datatype: a.datatype,
            variable: a.variable ? 1 : 0,
            required: a.required ? 1 : 0,
            description: a.description.trim(),
            datatype_description: a.datatype_description?.trim() || null,
            options: JSON.stringify(isListDatatype(a.datatype) ? a.values : []),
            updated_at: at,
            updated_by: deps.actor.username,
          })),
        )
        .execute();
    }
    await recordAudit(tx, {
      actor: deps.actor,
      action: 'open311.definition_set',
      target_type: 'category',
      target_id: code,
      details: { attributes: attributes.map((a) => a.code) },
      at: deps.clock.now(),
    });
    return { service_code: code, attributes: (await loadDefinitions(tx, [code])).get(code) ?? [] };
  });
}
