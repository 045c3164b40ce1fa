import { sql, type Kysely } from 'kysely';
import type { DialectTraits } from '../dialect.ts';

/** Accounts, their sessions, and the audit log of every write (who did it and when). */
export async function up(db: Kysely<unknown>, traits: DialectTraits): Promise<void> {
  const { timestamp, json } = traits.types;
  await db.schema
    .createTable('users')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('username', 'varchar(64)', (c) => c.notNull().unique())
    .addColumn('display_name', 'text', (c) => c.notNull())
    // scrypt$N$r$p$salt$hash (base64url): the parameters travel with the hash so they can grow.
    .addColumn('password_hash', 'text', (c) => c.notNull())
    // JSON array of role names (src/core/access/roles.ts ROLES), checked by the use cases.
    .addColumn('roles', json, (c) => c.notNull())
    .addColumn('scope_region_code', 'varchar(12)', (c) => c.notNull())
    .addColumn('scope_region_level', 'smallint', (c) => c.notNull())
    // Departments live in another step (0004); the id is stored without a foreign key on purpose.
    .addColumn('department_id', 'text')
    .addColumn('failed_attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('locked_until', timestamp)
    .addColumn('disabled', 'smallint', (c) =>
      c
        .notNull()
        .defaultTo(0)
        .check(sql`disabled IN (0, 1)`),
    )
    .addColumn('created_at', timestamp, (c) => c.notNull())
    .addColumn('updated_at', timestamp, (c) => c.notNull())
    .addForeignKeyConstraint('users_scope_fk', ['scope_region_code', 'scope_region_level'], 'regions', [
      'code',
      'level',
    ])
    .execute();
  // Serves the admin's user list of a region subtree (scope_region_code BETWEEN low AND high).
  await db.schema.createIndex('users_scope_idx').on('users').column('scope_region_code').execute();

  await db.schema
    .createTable('sessions')
    // sha256 (hex) of the bearer token; the token itself is never stored. The primary key is the
    // index that authenticate.ts looks every request up by.
    .addColumn('token_hash', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('created_at', timestamp, (c) => c.notNull())
    .addColumn('expires_at', timestamp, (c) => c.notNull())
    .addColumn('revoked_at', timestamp)
    .addColumn('last_seen_at', timestamp, (c) => c.notNull())
    .execute();
  // Serves revoking every session of a user (disable, password change).
  await db.schema.createIndex('sessions_user_idx').on('sessions').column('user_id').execute();

  await db.schema
    .createTable('audit_log')
    .addColumn('id', traits.name === 'postgres' ? 'bigserial' : 'integer', (c) => c.primaryKey())
    .addColumn('at', timestamp, (c) => c.notNull())
    // Null for the system itself (seeding, sweepers) and for failed log-ins of unknown names.
    .addColumn('actor_user_id', 'text')
    .addColumn('actor_username', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('target_type', 'text', (c) => c.notNull())
    .addColumn('target_id', 'text', (c) => c.notNull())
    .addColumn('details', json, (c) => c.notNull())
    .execute();
  // Serves "history of this thing" (a user, a responsibility list) in time order.
  await db.schema
    .createIndex('audit_log_target_idx')
    .on('audit_log')
    .columns(['target_type', 'target_id', 'id'])
    .execute();
  // Serves "what did this person do".
  await db.schema
    .createIndex('audit_log_actor_idx')
    .on('audit_log')
    .columns(['actor_user_id', 'id'])
    .execute();
}
