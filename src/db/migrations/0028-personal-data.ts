import type { Kysely } from 'kysely';
import { normalizePhone } from '../../core/personal/phone.ts';
import type { DialectTraits } from '../dialect.ts';
import type { MigrationContext } from '../migration-context.ts';

/** The columns this step reads and writes; typed here so that later schema changes leave it be. */
interface Tables {
  cases: {
    id: string;
    reporter_name: string | null;
    reporter_phone: string | null;
    reporter_email: string | null;
    reported_at: unknown;
  };
  personal_data: {
    owner_kind: string;
    owner_id: string;
    role: string;
    name: string | null;
    phone: string | null;
    email: string | null;
    phone_hash: string | null;
    key_id: string;
    created_at: string;
    updated_at: string;
  };
}

const PAGE = 500;

/**
 * Personal data apart from the case facts, sealed (docs/personal-data.md): reporters' names,
 * phones and e-mail addresses move from `cases` into `personal_data`, each value sealed with the
 * store's current key, and the plaintext columns are dropped.
 */
export async function up(db: Kysely<unknown>, traits: DialectTraits, ctx: MigrationContext): Promise<void> {
  const { timestamp } = traits.types;
  await db.schema
    .createTable('personal_data')
    .addColumn('owner_kind', 'varchar(16)', (c) => c.notNull())
    .addColumn('owner_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('role', 'varchar(16)', (c) => c.notNull())
    .addColumn('name', 'text')
    .addColumn('phone', 'text')
    .addColumn('email', 'text')
    .addColumn('id_number', 'text')
    .addColumn('address', 'text')
    .addColumn('phone_hash', 'varchar(64)')
    .addColumn('key_id', 'varchar(16)', (c) => c.notNull())
    .addColumn('created_at', timestamp, (c) => c.notNull())
    .addColumn('updated_at', timestamp, (c) => c.notNull())
    .addColumn('erased_at', timestamp)
    .addPrimaryKeyConstraint('personal_data_pk', ['owner_kind', 'owner_id', 'role'])
    .execute();
  await db.schema
    .createIndex('personal_data_phone_idx')
    .on('personal_data')
    .columns(['phone_hash'])
    .execute();
  await db.schema.createIndex('personal_data_key_idx').on('personal_data').columns(['key_id']).execute();
  await db.schema
    .createTable('personal_keys')
    .addColumn('id', 'varchar(16)', (c) => c.primaryKey())
    .addColumn('fingerprint', 'varchar(64)', (c) => c.notNull())
    .addColumn('first_used_at', timestamp, (c) => c.notNull())
    .execute();

  const tdb = db as unknown as Kysely<Tables>;
  const { keyring } = ctx;
  let after = '';
  for (;;) {
    const rows = await tdb
      .selectFrom('cases')
      .select(['id', 'reporter_name', 'reporter_phone', 'reporter_email', 'reported_at'])
      .where('id', '>', after)
      .where((eb) =>
        eb.or([
          eb('reporter_name', 'is not', null),
          eb('reporter_phone', 'is not', null),
          eb('reporter_email', 'is not', null),
        ]),
      )
      .orderBy('id')
      .limit(PAGE)
      .execute();
    if (rows.length === 0) break;
    const now = new Date().toISOString();
    await tdb
      .insertInto('personal_data')
      .values(
        rows.map((r) => {
          const phone = r.reporter_phone && normalizePhone(r.reporter_phone);
          return {
            owner_kind: 'case',
            owner_id: r.id,
            role: 'reporter',
            name: r.reporter_name && keyring.seal(r.reporter_name),
            phone: r.reporter_phone && keyring.seal(r.reporter_phone),
            email: r.reporter_email && keyring.seal(r.reporter_email),
            phone_hash: phone ? keyring.hash('phone', phone) : null,
            key_id: keyring.current,
            created_at: now,
            updated_at: now,
          };
        }),
      )
      .execute();
    after = rows[rows.length - 1]!.id;
  }
  for (const column of ['reporter_name', 'reporter_phone', 'reporter_email'])
    await db.schema.alterTable('cases').dropColumn(column).execute();
}
