import { randomBytes } from 'node:crypto';
import { hashToken } from '../accounts/sessions.ts';
import type { Selectable } from 'kysely';
import { readTimestamp } from '../db/dialect.ts';
import type { Open311ApiKeyTable } from '../db/schema-open311.ts';

export type ApiKeyRow = Selectable<Open311ApiKeyTable>;

import type { ApiKeyRight } from '../core/open311/api-key-rights.ts';

export { API_KEY_RIGHTS, type ApiKeyRight } from '../core/open311/api-key-rights.ts';

/** A key as administrators see it: never the key itself, which is shown once when issued. */
export interface ApiKeyView {
  id: string;
  label: string;
  rights: ApiKeyRight[];
  /** The staff account whose permissions status updates act with; null: updates are kept as notes. */
  username: string | null;
  region: string;
  answer_with_token: boolean;
  rate_per_minute: number;
  created_at: string;
  created_by: string;
  revoked_at: string | null;
  revoked_by: string | null;
  last_used_at: string | null;
}

const ts = (v: unknown) => (v === null || v === undefined ? null : readTimestamp(v));

export function newApiKey(): string {
  return `o311_${randomBytes(24).toString('base64url')}`;
}

/** Keys are stored hashed as session tokens are: the database alone cannot act as a client. */
export const hashApiKey = hashToken;

export function rightsOf(row: Pick<ApiKeyRow, 'may_post_requests' | 'may_exchange_updates'>): ApiKeyRight[] {
  return [
    ...(row.may_post_requests === 1 ? (['requests'] as const) : []),
    ...(row.may_exchange_updates === 1 ? (['updates'] as const) : []),
  ];
}

export function toApiKeyView(row: ApiKeyRow, username: string | null): ApiKeyView {
  return {
    id: row.id,
    label: row.label,
    rights: rightsOf(row),
    username,
    region: row.region_code,
    answer_with_token: row.answer_with_token === 1,
    rate_per_minute: row.rate_per_minute,
    created_at: readTimestamp(row.created_at),
    created_by: row.created_by,
    revoked_at: ts(row.revoked_at),
    revoked_by: row.revoked_by,
    last_used_at: ts(row.last_used_at),
  };
}
