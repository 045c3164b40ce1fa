import { randomUUID } from 'node:crypto';
import { recordAudit, type AuditEntry } from '../accounts/record-audit.ts';
import { assertAllowed } from '../core/access/permissions.ts';
import type { Actor } from '../core/access/roles.ts';
import type { Clock } from '../core/clock.ts';
import { DomainError } from '../core/errors.ts';
import type { DbOrTx, Db } from '../db/schema.ts';
import { inTransaction } from '../db/transaction.ts';
import { getRegion } from '../regions/find-regions.ts';
import { hashApiKey, newApiKey, toApiKeyView, type ApiKeyRight, type ApiKeyView } from './api-key-rows.ts';

export interface IssueApiKeyInput {
  label: string;
  rights: readonly ApiKeyRight[];
  /** Requests per minute this key may make (POST requests and the update exchange). */
  rate_per_minute: number;
  /** Where address-only reports lie and which cases the update feed covers; the issuer's scope by default. */
  region?: string | undefined;
  /** The staff account whose permissions status updates act with. */
  username?: string | null | undefined;
  answer_with_token?: boolean | undefined;
  /** The key itself, for seeding a known key (the demo's); a random one otherwise. */
  key?: string | undefined;
}

/** Who issues: a signed-in administrator, or the system itself (seeding, the CLI). */
export type KeyIssuer = Actor | { user_id: null; username: string };

export async function findUserId(db: DbOrTx, username: string): Promise<string> {
  const user = await db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirst();
  if (!user)
    throw new DomainError('open311.parameter_invalid', {
      parameter: 'username',
      rule: `no user ${username}`,
    });
  return user.id;
}

/**
 * Issues an Open311 API key (docs/open311.md): the answer carries the key once; only its SHA-256 is
 * kept. Administrators (`user.manage` over the key's region) issue keys; the write and its audit
 * row commit together.
 */
export async function issueApiKey(
  deps: { db: Db; clock: Clock; actor: KeyIssuer },
  input: IssueApiKeyInput,
): Promise<ApiKeyView & { key: string }> {
  const { actor } = deps;
  const regionInput = input.region ?? ('scope' in actor ? actor.scope.code : undefined);
  if (regionInput === undefined) {
    throw new DomainError('open311.parameter_invalid', { parameter: 'region', rule: 'required' });
  }
  const region = await getRegion(deps.db, regionInput);
  if ('roles' in actor) assertAllowed(actor, 'user.manage', { region_code: region.code });
  const label = input.label.trim();
  if (label === '')
    throw new DomainError('open311.parameter_invalid', { parameter: 'label', rule: 'required' });
  if (!Number.isInteger(input.rate_per_minute) || input.rate_per_minute < 1) {
    throw new DomainError('open311.parameter_invalid', {
      parameter: 'rate_per_minute',
      rule: 'a positive integer',
    });
  }
  const key = input.key ?? newApiKey();
  const now = deps.clock.now().toISOString();
  return inTransaction(deps.db, async (tx) => {
    const userId = input.username ? await findUserId(tx, input.username) : null;
    const row = {
      id: randomUUID(),
      key_hash: hashApiKey(key),
      label,
      may_post_requests: input.rights.includes('requests') ? 1 : 0,
      may_exchange_updates: input.rights.includes('updates') ? 1 : 0,
      user_id: userId,
      region_code: region.code,
      answer_with_token: input.answer_with_token ? 1 : 0,
      rate_per_minute: input.rate_per_minute,
      window_start: null,
      window_count: 0,
      created_at: now,
      created_by: actor.username,
      revoked_at: null,
      revoked_by: null,
      last_used_at: null,
    };
    await tx.insertInto('open311_api_keys').values(row).execute();
    const audit: AuditEntry = {
      actor,
      action: 'open311.key_issue',
      target_type: 'open311_api_key',
      target_id: row.id,
      details: { label, rights: input.rights, region: region.code, rate_per_minute: row.rate_per_minute },
      at: deps.clock.now(),
    };
    await recordAudit(tx, audit);
    return { ...toApiKeyView(row, input.username ?? null), key };
  });
}
