import type { Actor } from '../core/access/roles.ts';
import { DomainError } from '../core/errors.ts';
import { isWithin, levelFromNumber } from '../core/regions/codes.ts';
import type { DbOrTx } from '../db/schema.ts';

/**
 * 吹哨报到: a township or community may summon departments of its own level or above (the
 * departments whose region contains the whistler's); never a unit of a lower or unrelated region.
 */
export async function checkSummons(db: DbOrTx, actor: Actor, departments: readonly string[]): Promise<void> {
  const rows = await db
    .selectFrom('departments')
    .select(['id', 'region_code', 'region_level'])
    .where('id', 'in', [...departments])
    .execute();
  for (const id of departments) {
    const department = rows.find((r) => r.id === id);
    if (!department) throw new DomainError('department.not_found', { id });
    const level = levelFromNumber(department.region_level);
    if (!isWithin(actor.scope.code, department.region_code, level)) {
      throw new DomainError('access.out_of_scope', {
        region: department.region_code,
        scope: actor.scope.code,
      });
    }
  }
}

/** 合并: the original must exist and be another case that is itself neither merged nor voided. */
export async function checkOriginal(db: DbOrTx, id: string, original: string): Promise<void> {
  const row = await db
    .selectFrom('cases')
    .select(['id', 'stage'])
    .where('id', '=', original)
    .executeTakeFirst();
  if (!row) throw new DomainError('case.not_found', { id: original });
  if (row.id === id) {
    throw new DomainError('case.invalid_transition', {
      action: 'merge',
      stage: row.stage,
      rule: 'merge_into_itself',
    });
  }
  if (row.stage === 'merged' || row.stage === 'voided') {
    throw new DomainError('case.invalid_transition', {
      action: 'merge',
      stage: row.stage,
      rule: 'original_not_open',
    });
  }
}
