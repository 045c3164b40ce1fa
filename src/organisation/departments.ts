import { recordAudit } from '../accounts/record-audit.ts';
import type { Clock } from '../core/clock.ts';
import { DomainError } from '../core/errors.ts';
import { isDepartmentType, type DepartmentType } from '../core/organisation/department-types.ts';
import { levelFromNumber, levelNumber, subtreeRange } from '../core/regions/codes.ts';
import type { Department } from '../core/responsibility/entries.ts';
import type { DbOrTx } from '../db/schema.ts';
import type { Writer } from '../responsibility/save-draft.ts';
import { getRegion } from '../regions/find-regions.ts';
import { bumpRevision } from '../db/revisions.ts';
import { inTransaction } from '../db/transaction.ts';
import { isUniqueViolation } from '../db/dialect.ts';

export interface NewDepartment {
  id: string;
  name: string;
  type: DepartmentType;
  /** Any accepted form of the region code. */
  region: string;
}

/** Adds departments or handling units; each kind at most once per region. */
export async function createDepartments(
  deps: { db: DbOrTx; clock: Clock; actor: Writer | null },
  departments: readonly NewDepartment[],
): Promise<Department[]> {
  const created: Department[] = [];
  const now = deps.clock.now().toISOString();
  for (const d of departments) {
    if (!isDepartmentType(d.type))
      throw new DomainError('request.invalid', { issues: `unknown department type ${d.type}` });
    const region = await getRegion(deps.db, d.region);
    created.push({
      id: d.id,
      name: d.name,
      type: d.type,
      region_code: region.code,
      region_level: region.level,
    });
  }
  if (created.length === 0) return created;
  const write = inTransaction(deps.db, async (tx) => {
    await tx
      .insertInto('departments')
      .values(created.map((d) => ({ ...d, region_level: levelNumber(d.region_level), created_at: now })))
      .execute();
    await bumpRevision(tx, 'responsibility_revision');
    for (const d of created) {
      await recordAudit(tx, {
        actor: deps.actor,
        action: 'department.create',
        target_type: 'department',
        target_id: d.id,
        details: { type: d.type, region: d.region_code },
        at: deps.clock.now(),
      });
    }
  });
  try {
    await write;
  } catch (error) {
    // The id is taken, or the region has this kind of unit already (unique indexes decide).
    if (isUniqueViolation(error))
      throw new DomainError('department.duplicate', { ids: created.map((d) => d.id).join(', ') });
    throw error;
  }
  return created;
}

const toDepartment = (r: {
  id: string;
  name: string;
  type: string;
  region_code: string;
  region_level: number;
}): Department => ({
  id: r.id,
  name: r.name,
  type: r.type as DepartmentType,
  region_code: r.region_code,
  region_level: levelFromNumber(r.region_level),
});

/** Departments of a region subtree (all of them without a region). */
export async function listDepartments(db: DbOrTx, within?: string): Promise<Department[]> {
  let query = db.selectFrom('departments').select(['id', 'name', 'type', 'region_code', 'region_level']);
  if (within) {
    const scope = await getRegion(db, within);
    const { low, high } = subtreeRange(scope.code, scope.level);
    query = query.where('region_code', '>=', low).where('region_code', '<=', high);
  }
  return (await query.orderBy('region_code').orderBy('id').execute()).map(toDepartment);
}

export async function getDepartment(db: DbOrTx, id: string): Promise<Department> {
  const row = await db
    .selectFrom('departments')
    .select(['id', 'name', 'type', 'region_code', 'region_level'])
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) throw new DomainError('department.not_found', { id });
  return toDepartment(row);
}
