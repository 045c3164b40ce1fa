import { recordAudit } from '../accounts/record-audit.ts';
import { assertAllowed } from '../core/access/permissions.ts';
import type { Clock } from '../core/clock.ts';
import { DomainError } from '../core/errors.ts';
import type { Db, DbOrTx } from '../db/schema.ts';
import { inTransaction } from '../db/transaction.ts';
import { toApiKeyView, type ApiKeyRow, type ApiKeyRight, type ApiKeyView } from './api-key-rows.ts';
import { findUserId, type KeyIssuer } from './issue-api-key.ts';

export interface ChangeApiKeyInput {
  label?: string | undefined;
  rights?: readonly ApiKeyRight[] | undefined;
  rate_per_minute?: number | undefined;
  /** A username, or null to unbind the key from its staff account. */
  username?: string | null | undefined;
  answer_with_token?: boolean | undefined;
  /** true revokes the key for good: a revoked key is refused (403) and cannot be restored. */
  revoke?: boolean | undefined;
}

async function loadKey(db: DbOrTx, id: string): Promise<ApiKeyRow> {
  const row = await db.selectFrom('open311_api_keys').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new DomainError('open311.key_not_found', { id });
  return row;
}

async function usernameOf(db: DbOrTx, userId: string | null): Promise<string | null> {
  if (userId === null) return null;
  const user = await db.selectFrom('users').select('username').where('id', '=', userId).executeTakeFirst();
  return user?.username ?? null;
}

/**
 * Changes a key's label, rights, rate limit (requests per minute) or staff account, or revokes it.
 * Administrators with `user.manage` over the key's region; audited in the same transaction.
 */
export async function changeApiKey(
  deps: { db: Db; clock: Clock; actor: KeyIssuer },
  id: string,
  input: ChangeApiKeyInput,
): Promise<ApiKeyView> {
  return inTransaction(deps.db, async (tx) => {
    const row = await loadKey(tx, id);
    if ('roles' in deps.actor) assertAllowed(deps.actor, 'user.manage', { region_code: row.region_code });
    if (
      input.rate_per_minute !== undefined &&
      (!Number.isInteger(input.rate_per_minute) || input.rate_per_minute < 1)
    ) {
      throw new DomainError('open311.parameter_invalid', {
        parameter: 'rate_per_minute',
        rule: 'a positive integer',
      });
    }
    const label = input.label?.trim();
    if (label === '')
      throw new DomainError('open311.parameter_invalid', { parameter: 'label', rule: 'required' });
    const now = deps.clock.now().toISOString();
    const changes = {
      ...(label !== undefined ? { label } : {}),
      ...(input.rights !== undefined
        ? {
            may_post_requests: input.rights.includes('requests') ? 1 : 0,
            may_exchange_updates: input.rights.includes('updates') ? 1 : 0,
          }
        : {}),
      ...(input.rate_per_minute !== undefined ? { rate_per_minute: input.rate_per_minute } : {}),
      ...(input.username !== undefined
        ? { user_id: input.username === null ? null : await findUserId(tx, input.username) }
        : {}),
      ...(input.answer_with_token !== undefined
        ? { answer_with_token: input.answer_with_token ? 1 : 0 }
        : {}),
      ...(input.revoke && row.revoked_at === null
        ? { revoked_at: now, revoked_by: deps.actor.username }
        : {}),
    };
    if (Object.keys(changes).length > 0) {
      await tx.updateTable('open311_api_keys').set(changes).where('id', '=', id).execute();
      const { user_id: _user, ...shown } = changes;
      await recordAudit(tx, {
        actor: deps.actor,
        action: input.revoke ? 'open311.key_revoke' : 'open311.key_change',
        target_type: 'open311_api_key',
        target_id: id,
        details: { ...shown, ...(input.username !== undefined ? { username: input.username } : {}) },
        at: deps.clock.now(),
      });
    }
    const updated = await loadKey(tx, id);
    return toApiKeyView(updated, await usernameOf(tx, updated.user_id));
  });
}
