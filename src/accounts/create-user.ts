import { randomUUID } from 'node:crypto';
import { assertAllowed } from '../core/access/permissions.ts';
import { isRole, type Actor, type Role } from '../core/access/roles.ts';
import type { Clock } from '../core/clock.ts';
import { DomainError } from '../core/errors.ts';
import { levelNumber } from '../core/regions/codes.ts';
import { isUniqueViolation } from '../db/dialect.ts';
import type { DbOrTx } from '../db/schema.ts';
import { getRegion } from '../regions/find-regions.ts';
import { hashPassword } from './password.ts';
import { recordAudit } from './record-audit.ts';
import { viewUsers, type UserView } from './users.ts';

export const MIN_PASSWORD_LENGTH = 8;
export const USERNAME_PATTERN = /^[a-z0-9][a-z0-9._-]{1,63}$/;

export interface NewUser {
  username: string;
  display_name: string;
  password: string;
  roles: Role[];
  /** Region code in any accepted form (2, 4, 6, 9 or 12 digits). */
  scope: string;
  department_id?: string | null;
}

export interface CreateUserOptions {
  /** Only the demo seed: its accounts share the published password `demo`. */
  allowShortPassword?: boolean;
}

/**
 * Creates an account and records it in the audit log, in one transaction when `db` is one.
 * `actor` is the administrator doing it (checked for user.manage over the new user's scope), or
 * null for the system itself (the demo seed, the CLI's first administrator).
 */
export async function createUser(
  deps: { db: DbOrTx; clock: Clock; actor: Actor | null },
  input: NewUser,
  options: CreateUserOptions = {},
): Promise<UserView> {
  const username = input.username.trim().toLowerCase();
  if (!USERNAME_PATTERN.test(username)) {
    throw new DomainError('request.invalid', {
      issues: `username: 2–64 of a-z 0-9 . _ - starting with a letter or digit`,
    });
  }
  if (input.roles.length === 0 || !input.roles.every(isRole)) {
    throw new DomainError('request.invalid', { issues: `roles: one or more of the known roles` });
  }
  const department = input.department_id ?? null;
  if (input.roles.includes('department_handler') && !department) {
    throw new DomainError('request.invalid', { issues: 'department_id: a department handler needs one' });
  }
  if (!options.allowShortPassword && [...input.password].length < MIN_PASSWORD_LENGTH) {
    throw new DomainError('user.password_too_short', { min: MIN_PASSWORD_LENGTH });
  }
  // Hashed before the first query: scrypt's 50 ms should not hold a transaction open.
  const passwordHash = await hashPassword(input.password);
  const scope = await getRegion(deps.db, input.scope);
  if (deps.actor) assertAllowed(deps.actor, 'user.manage', { region_code: scope.code });
  const taken = await deps.db
    .selectFrom('users')
    .select('id')
    .where('username', '=', username)
    .executeTakeFirst();
  if (taken) throw new DomainError('user.username_taken', { username });

  const now = deps.clock.now();
  let row;
  try {
    row = await deps.db
      .insertInto('users')
      .values({
        id: randomUUID(),
        username,
        display_name: input.display_name.trim() || username,
        password_hash: passwordHash,
        roles: JSON.stringify([...new Set(input.roles)]),
        scope_region_code: scope.code,
        scope_region_level: levelNumber(scope.level),
        department_id: department,
        created_at: now.toISOString(),
        updated_at: now.toISOString(),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  } catch (error) {
    // Two creations of one name at once both pass the check above; the unique index decides.
    if (isUniqueViolation(error)) throw new DomainError('user.username_taken', { username });
    throw error;
  }
  await recordAudit(deps.db, {
    actor: deps.actor,
    action: 'user.create',
    target_type: 'user',
    target_id: row.id,
    details: { username, roles: input.roles, scope: scope.code, department_id: department },
    at: now,
  });
  const [view] = await viewUsers(deps.db, [row]);
  return view!;
}
