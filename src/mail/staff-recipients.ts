import type { Role } from '../core/access/roles.ts';
import { CENTRE_ROLES } from '../core/workflow/transitions.ts';
import { readRoles } from '../accounts/users.ts';
import type { DbOrTx } from '../db/schema.ts';

/** The handler roles that act for a township office or a community committee (they carry no department id). */
const UNIT_ROLES: Record<string, Role> = {
  township_office: 'township_handler',
  community_committee: 'community_handler',
};

/**
 * Addresses of the people who act for each handling unit: a department's handlers, or for a
 * township office or community committee the handlers of its region. Accounts without an
 * address, or disabled, get nothing.
 */
export async function unitAddresses(db: DbOrTx, unitIds: readonly string[]): Promise<Map<string, string[]>> {
  const result = new Map<string, string[]>(unitIds.map((id) => [id, []]));
  if (unitIds.length === 0) return result;
  const units = await db
    .selectFrom('departments')
    .select(['id', 'type', 'region_code'])
    .where('id', 'in', [...unitIds])
    .execute();
  const byDepartment = await db
    .selectFrom('users')
    .select(['department_id', 'email'])
    .where('department_id', 'in', [...unitIds])
    .where('email', 'is not', null)
    .where('disabled', '=', 0)
    .execute();
  for (const u of byDepartment) result.get(u.department_id!)?.push(u.email!);
  const offices = units.filter((u) => UNIT_ROLES[u.type]);
  if (offices.length > 0) {
    const local = await db
      .selectFrom('users')
      .select(['scope_region_code', 'roles', 'email'])
      .where(
        'scope_region_code',
        'in',
        offices.map((o) => o.region_code),
      )
      .where('department_id', 'is', null)
      .where('email', 'is not', null)
      .where('disabled', '=', 0)
      .execute();
    for (const office of offices) {
      for (const u of local) {
        if (
          u.scope_region_code === office.region_code &&
          readRoles(u.roles).includes(UNIT_ROLES[office.type]!)
        ) {
          result.get(office.id)?.push(u.email!);
        }
      }
    }
  }
  return result;
}

/** Addresses of the command centre staff of a county (who hold a case before it has an owner). */
export async function centreAddresses(db: DbOrTx, countyCode: string): Promise<string[]> {
  const rows = await db
    .selectFrom('users')
    .select(['roles', 'email'])
    .where('scope_region_code', '=', countyCode)
    .where('email', 'is not', null)
    .where('disabled', '=', 0)
    .execute();
  const centre = CENTRE_ROLES as readonly Role[];
  return rows.filter((r) => readRoles(r.roles).some((role) => centre.includes(role))).map((r) => r.email!);
}
