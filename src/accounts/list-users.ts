import { assertAllowed } from '../core/access/permissions.ts';
import type { Actor } from '../core/access/roles.ts';
import { subtreeRange } from '../core/regions/codes.ts';
import type { DbOrTx } from '../db/schema.ts';
import { viewUsers, type UserView } from './users.ts';

/** The accounts whose scope lies in the administrator's own subtree, by username. */
export async function listUsers(
  deps: { db: DbOrTx; actor: Actor },
  page: { limit: number; offset: number },
): Promise<UserView[]> {
  assertAllowed(deps.actor, 'user.manage', { region_code: deps.actor.scope.code });
  const { low, high } = subtreeRange(deps.actor.scope.code, deps.actor.scope.level);
  // users_scope_idx (scope_region_code BETWEEN low AND high).
  const rows = await deps.db
    .selectFrom('users')
    .selectAll()
    .where('scope_region_code', '>=', low)
    .where('scope_region_code', '<=', high)
    .orderBy('username')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  return viewUsers(deps.db, rows);
}
