import { sql, type Kysely } from 'kysely';
import type { DialectTraits } from '../dialect.ts';

/**
 * Followers of cases, area subscriptions, the mail outbox and the digest queue (docs/mail.md).
 * Mail is never sent inside a transaction: a change writes its outbox rows in its own transaction
 * and the dispatcher delivers them after commit.
 */
export async function up(db: Kysely<unknown>, traits: DialectTraits): Promise<void> {
  const { timestamp, json, float } = traits.types;
  const serial = traits.name === 'postgres' ? 'bigserial' : 'integer';
  // Accounts had no address: staff notices and a signed-in resident's follows need one.
  await db.schema.alterTable('users').addColumn('email', 'varchar(254)').execute();
  // When the account's daily queue digest is next due; null: no digest (no address, or turned off).
  await db.schema.alterTable('users').addColumn('queue_digest_at', timestamp).execute();
  // Serves the staff digest job (queue_digest_at <= now).
  await db.schema.createIndex('users_queue_digest_idx').on('users').column('queue_digest_at').execute();

  // A follower is an account or an e-mail address, never both; an address follows only once it
  // confirmed (double opt-in), an account at once.
  const subscriber = (t: string) =>
    db.schema
      .createTable(t)
      .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
      .addColumn('user_id', 'varchar(36)')
      .addColumn('email', 'varchar(254)')
      .addColumn('status', 'varchar(8)', (c) => c.notNull().check(sql`status IN ('pending', 'active')`))
      // 1: one digest a day instead of one mail per event.
      .addColumn('digest', 'smallint', (c) => c.notNull().defaultTo(0))
      // The confirmation link's one-time part; cleared on confirmation, so a link works once.
      .addColumn('nonce', 'varchar(32)')
      // When the last confirmation mail was asked for (repeated requests send at most one an hour).
      .addColumn('requested_at', timestamp, (c) => c.notNull())
      .addColumn('created_at', timestamp, (c) => c.notNull())
      .addColumn('confirmed_at', timestamp)
      .addCheckConstraint(`${t}_who_ck`, sql`(user_id IS NULL) <> (email IS NULL)`);

  await subscriber('case_followers')
    .addColumn('case_id', 'varchar(36)', (c) => c.notNull().references('cases.id'))
    .execute();
  // One row per follower and case (a merge adds the duplicate's followers without doubles); the
  // leading case_id also serves "followers of this case".
  await db.schema
    .createIndex('case_followers_user_uq')
    .on('case_followers')
    .columns(['case_id', 'user_id'])
    .unique()
    .execute();
  await db.schema
    .createIndex('case_followers_email_uq')
    .on('case_followers')
    .columns(['case_id', 'email'])
    .unique()
    .execute();

  await subscriber('area_subscriptions')
    // A region (community, township or county) and its subtree …
    .addColumn('region_code', 'varchar(12)')
    .addColumn('region_level', 'smallint')
    // … or a circle around a point, with its bounding box for the candidate query.
    .addColumn('lon', float)
    .addColumn('lat', float)
    .addColumn('radius_m', 'integer')
    .addColumn('min_lon', float)
    .addColumn('min_lat', float)
    .addColumn('max_lon', float)
    .addColumn('max_lat', float)
    .addCheckConstraint(
      'area_subscriptions_area_ck',
      sql`(region_code IS NOT NULL AND lon IS NULL) OR (region_code IS NULL AND lon IS NOT NULL AND radius_m > 0)`,
    )
    .execute();
  // Serves the area alert at intake: subscriptions of the case's region or one of its ancestors.
  await db.schema
    .createIndex('area_subscriptions_region_idx')
    .on('area_subscriptions')
    .column('region_code')
    .execute();
  // Serves the area alert at intake: circles whose box holds the case's point.
  await db.schema
    .createIndex('area_subscriptions_box_idx')
    .on('area_subscriptions')
    .columns(['min_lat', 'max_lat'])
    .execute();

  await db.schema
    .createTable('outbox')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('kind', 'varchar(32)', (c) => c.notNull())
    .addColumn('payload', json, (c) => c.notNull())
    .addColumn('status', 'varchar(8)', (c) =>
      c
        .notNull()
        .defaultTo('pending')
        .check(sql`status IN ('pending', 'sent', 'failed')`),
    )
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    // Due time while pending; a claim moves it one lease ahead, so a dispatcher that dies after
    // claiming leaves the row to be claimed again when the lease runs out.
    .addColumn('next_attempt_at', timestamp, (c) => c.notNull())
    // Derived from the id: a re-send after a crash carries the same Message-ID.
    .addColumn('message_id', 'varchar(255)', (c) => c.notNull().unique())
    .addColumn('created_at', timestamp, (c) => c.notNull())
    .addColumn('sent_at', timestamp)
    .addColumn('last_error', 'text')
    .execute();
  // Serves the dispatcher's claim (status = 'pending' AND next_attempt_at <= now ORDER BY next_attempt_at).
  await db.schema.createIndex('outbox_due_idx').on('outbox').columns(['status', 'next_attempt_at']).execute();

  // Events waiting for a daily digest, per address; due_at is the swept timer.
  await db.schema
    .createTable('mail_digest_items')
    .addColumn('id', serial, (c) => c.primaryKey())
    .addColumn('address', 'varchar(254)', (c) => c.notNull())
    .addColumn('kind', 'varchar(32)', (c) => c.notNull())
    .addColumn('payload', json, (c) => c.notNull())
    .addColumn('created_at', timestamp, (c) => c.notNull())
    .addColumn('due_at', timestamp, (c) => c.notNull())
    .execute();
  // Serves the digest job: which addresses are due, then that address's items in order.
  await db.schema.createIndex('mail_digest_items_due_idx').on('mail_digest_items').column('due_at').execute();
  await db.schema
    .createIndex('mail_digest_items_address_idx')
    .on('mail_digest_items')
    .columns(['address', 'id'])
    .execute();
}
