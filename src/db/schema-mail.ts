import type { Generated } from 'kysely';

/** Table types of migration 0012-followers-mail (src/db/schema.ts puts them into `Database`). */
interface SubscriberColumns {
  id: string;
  /** An account (notified at its `users.email`) … */
  user_id: string | null;
  /** … or an address (lower case), which follows only once confirmed. */
  email: string | null;
  status: 'pending' | 'active';
  /** 1: one digest a day instead of one mail per event. */
  digest: number;
  /** The confirmation link's one-time part; null once confirmed. */
  nonce: string | null;
  requested_at: string;
  created_at: string;
  confirmed_at: string | null;
}

export interface CaseFollowerTable extends SubscriberColumns {
  case_id: string;
}

export interface AreaSubscriptionTable extends SubscriberColumns {
  region_code: string | null;
  region_level: number | null;
  lon: number | null;
  lat: number | null;
  radius_m: number | null;
  min_lon: number | null;
  min_lat: number | null;
  max_lon: number | null;
  max_lat: number | null;
}

export interface OutboxTable {
  id: string;
  kind: string;
  /** JSON (src/mail/enqueue.ts OutboxPayload): text in SQLite, jsonb in PostgreSQL; read with readJson. */
  payload: unknown;
  status: Generated<'pending' | 'sent' | 'failed'>;
  attempts: Generated<number>;
  next_attempt_at: string;
  message_id: string;
  created_at: string;
  sent_at: string | null;
  last_error: string | null;
}

export interface MailDigestItemTable {
  id: Generated<number>;
  address: string;
  kind: string;
  /** JSON, read with readJson. */
  payload: unknown;
  created_at: string;
  due_at: string;
}

// Columns of migration 0012 on `users`: declaration merging keeps 0007's list untouched.
declare module './schema-accounts.ts' {
  interface UserTable {
    /** Where staff notices and a signed-in follower's mails go; null: none. */
    email: string | null;
    /** When the account's daily queue digest is next due; null: no digest. */
    queue_digest_at: string | null;
  }
}
