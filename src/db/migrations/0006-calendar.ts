import { sql, type Kysely } from 'kysely';
import type { DialectTraits } from '../dialect.ts';

/**
 * The working-time calendar (工作时间日历). Holiday years are loaded by an administrator each
 * November when the State Council announces the next year; the years shipped with the code
 * (src/calendar/holidays-cn.json) answer for any year this table lacks, so nothing is seeded here.
 * The JSON columns are text on both stores: they are read whole, never queried inside.
 */
export async function up(db: Kysely<unknown>, traits: DialectTraits): Promise<void> {
  const { timestamp } = traits.types;
  await db.schema
    .createTable('calendar_years')
    .addColumn('year', 'integer', (c) => c.primaryKey().check(sql`year BETWEEN 1991 AND 9999`))
    .addColumn('notice', 'text', (c) => c.notNull())
    // {"春节": ["2026-02-15", …], …}
    .addColumn('holidays', 'text', (c) => c.notNull())
    // ["2026-02-14", …]
    .addColumn('makeup_days', 'text', (c) => c.notNull())
    .addColumn('loaded_at', timestamp, (c) => c.notNull())
    .execute();

  // Work periods of a region and, unless a more specific row says otherwise, of its subtree.
  // Keyed by the 12-digit code alone: the lookup reads the few codes of one region's ancestry.
  await db.schema
    .createTable('calendar_work_periods')
    .addColumn('region_code', 'varchar(12)', (c) => c.primaryKey())
    // [{"start": "08:30", "end": "12:00"}, …]
    .addColumn('periods', 'text', (c) => c.notNull())
    .addColumn('updated_at', timestamp, (c) => c.notNull())
    .execute();
}
