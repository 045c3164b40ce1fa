import { assertAllowed } from '../core/access/permissions.ts';
import type { Actor } from '../core/access/roles.ts';
import { subtreeRange, type RegionLevel } from '../core/regions/codes.ts';
import type { DbOrTx } from '../db/schema.ts';
import { toApiKeyView, type ApiKeyView } from './api-key-rows.ts';

/** The keys of the administrator's region subtree, newest first, revoked ones included. */
export async function listApiKeys(deps: { db: DbOrTx; actor: Actor }): Promise<ApiKeyView[]> {
  const { actor } = deps;
  assertAllowed(actor, 'user.manage', { region_code: actor.scope.code });
  return listApiKeysWithin(deps.db, actor.scope);
}

/** The keys of a region subtree, for the system itself (the command line). */
export async function listApiKeysWithin(
  db: DbOrTx,
  region: { code: string; level: RegionLevel },
): Promise<ApiKeyView[]> {
  const { low, high } = subtreeRange(region.code, region.level);
  const rows = await db
    .selectFrom('open311_api_keys as k')
    .leftJoin('users as u', 'u.id', 'k.user_id')
    .selectAll('k')
    .select('u.username')
    .where('k.region_code', '>=', low)
    .where('k.region_code', '<=', high)
    .orderBy('k.created_at', 'desc')
    .orderBy('k.id')
    .execute();
  return rows.map(({ username, ...row }) => toApiKeyView(row, username));
}
