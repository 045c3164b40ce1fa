import { sql, type Kysely } from 'kysely';
import type { DialectTraits } from '../dialect.ts';

/**
 * SQLite's search keys (0021) in the order of report: a case's key is its reported_at in
 * milliseconds times 2^20, plus its place among the cases reported in the same millisecond. The
 * trigram table is keyed on them, so it hands out its matches newest (or oldest) first and a page
 * of a text search reads only the matches it shows: a common word (施工噪音, 60,000 of 1,000,000
 * cases) no longer fetches and sorts every match (src/cases/case-text-search.ts, bench/worklist.ts).
 * A case's reported_at never changes, so its key stays. 2^20 cases a millisecond, and milliseconds
 * up to the year 10000, stay below 2^63.
 *
 * PostgreSQL has no such table (its trigram index is on cases itself): nothing to do.
 */
export const KEYS_PER_MS = 1_048_576;

export async function up(db: Kysely<unknown>, traits: DialectTraits): Promise<void> {
  if (traits.name !== 'sqlite') return;
  const ms = (column: string) => sql.raw(`CAST(unixepoch(${column}, 'subsec') * 1000 AS INTEGER)`);
  await sql`INSERT INTO cases_fts (cases_fts) VALUES ('delete-all')`.execute(db);
  await sql`DELETE FROM case_search_keys`.execute(db);
  await sql`INSERT INTO case_search_keys (key, case_id)
    SELECT ${ms('reported_at')} * ${sql.lit(KEYS_PER_MS)}
        + row_number() OVER (PARTITION BY reported_at ORDER BY id) - 1, id
    FROM cases`.execute(db);
  await sql`INSERT INTO cases_fts (rowid, title, description)
    SELECT k.key, c.title, c.description FROM case_search_keys k JOIN cases c ON c.id = k.case_id`.execute(
    db,
  );
  await sql`DROP TRIGGER cases_fts_insert`.execute(db);
  // The first free key of the case's millisecond: the primary key finds the highest one taken.
  const base = sql`${ms('new.reported_at')} * ${sql.lit(KEYS_PER_MS)}`;
  await sql`CREATE TRIGGER cases_fts_insert AFTER INSERT ON cases BEGIN
    INSERT INTO case_search_keys (key, case_id) VALUES (
      coalesce(
        (SELECT max(key) + 1 FROM case_search_keys WHERE key >= ${base} AND key < ${base} + ${sql.lit(KEYS_PER_MS)}),
        ${base}
      ),
      new.id
    );
    INSERT INTO cases_fts (rowid, title, description)
      VALUES ((SELECT key FROM case_search_keys WHERE case_id = new.id), new.title, new.description);
  END`.execute(db);
}
