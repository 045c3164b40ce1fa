import type { Selectable } from 'kysely';
import { isRole, type Actor, type Role } from '../core/access/roles.ts';
import { levelFromNumber, type RegionLevel } from '../core/regions/codes.ts';
import { readJson, readTimestamp } from '../db/dialect.ts';
import type { UserTable } from '../db/schema-accounts.ts';
import type { DbOrTx } from '../db/schema.ts';

/** A user as the API and the CLI show it: never the password hash. */
export interface UserView {
  id: string;
  username: string;
  display_name: string;
  roles: Role[];
  scope: { code: string; level: RegionLevel; name?: string };
  department_id: string | null;
  disabled: boolean;
  locked_until: string | null;
  created_at: string;
}

export function readRoles(value: unknown): Role[] {
  return readJson<unknown[]>(value).filter(isRole);
}

export function toUserView(row: Selectable<UserTable>, scopeName?: string): UserView {
  return {
    id: row.id,
    username: row.username,
    display_name: row.display_name,
    roles: readRoles(row.roles),
    scope: {
      code: row.scope_region_code,
      level: levelFromNumber(row.scope_region_level),
      ...(scopeName === undefined ? {} : { name: scopeName }),
    },
    department_id: row.department_id,
    disabled: row.disabled === 1,
    locked_until: row.locked_until === null ? null : readTimestamp(row.locked_until),
    created_at: readTimestamp(row.created_at),
  };
}

export function toActor(row: Selectable<UserTable>): Actor {
  return {
    user_id: row.id,
    username: row.username,
    roles: readRoles(row.roles),
    scope: { code: row.scope_region_code, level: levelFromNumber(row.scope_region_level) },
    department_id: row.department_id,
  };
}

/** Region names of the given scopes, in one query. */
export async function scopeNames(
  db: DbOrTx,
  rows: Array<Selectable<UserTable>>,
): Promise<Map<string, string>> {
  const codes = [...new Set(rows.map((r) => r.scope_region_code))];
  if (codes.length === 0) return new Map();
  const regions = await db
    .selectFrom('regions')
    .select(['code', 'level', 'name'])
    .where('code', 'in', codes)
    .execute();
  return new Map(regions.map((r) => [`${r.code}/${r.level}`, r.name]));
}

export async function viewUsers(db: DbOrTx, rows: Array<Selectable<UserTable>>): Promise<UserView[]> {
  const names = await scopeNames(db, rows);
  return rows.map((r) => toUserView(r, names.get(`${r.scope_region_code}/${r.scope_region_level}`)));
}

export async function getUserView(db: DbOrTx, id: string): Promise<UserView | undefined> {
  const row = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? (await viewUsers(db, [row]))[0] : undefined;
}
