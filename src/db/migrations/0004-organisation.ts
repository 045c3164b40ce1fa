import { sql, type Kysely } from 'kysely';
import { DEPARTMENT_TYPES } from '../../core/organisation/department-types.ts';
import type { DialectTraits } from '../dialect.ts';

/** Departments and handling units (部门与处置单位), each belonging to one region. */
export async function up(db: Kysely<unknown>, traits: DialectTraits): Promise<void> {
  const types = DEPARTMENT_TYPES.map((t) => `'${t}'`).join(', ');
  await db.schema
    .createTable('departments')
    .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('type', 'varchar(32)', (c) => c.notNull().check(sql.raw(`type IN (${types})`)))
    .addColumn('region_code', 'varchar(12)', (c) => c.notNull())
    .addColumn('region_level', 'smallint', (c) => c.notNull())
    .addColumn('created_at', traits.types.timestamp, (c) => c.notNull())
    .addForeignKeyConstraint('departments_region_fk', ['region_code', 'region_level'], 'regions', [
      'code',
      'level',
    ])
    .execute();
  // Serves "the 城管 of 西湖区" when a responsibility entry names a kind of department at a level;
  // one unit of a kind per region.
  await db.schema
    .createIndex('departments_place_idx')
    .on('departments')
    .columns(['region_code', 'type'])
    .unique()
    .execute();
}
