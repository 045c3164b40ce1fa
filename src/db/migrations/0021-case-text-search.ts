import { sql, type Kysely } from 'kysely';
import type { DialectTraits } from '../dialect.ts';

/**
 * Text search of case lists (`q`, src/cases/case-text-search.ts): substrings of title and
 * description, Chinese included, through an index rather than a scan of cases.
 *
 * SQLite: an FTS5 table with the trigram tokenizer. It is contentless (`content=''`, the text stays
 * in cases only) with `contentless_delete=1` (SQLite ≥ 3.43), so the triggers can delete and
 * re-insert a case's row. Its rowids are not cases' rowids: cases has a varchar primary key, so
 * its rowid is implicit and VACUUM may renumber it, which would point the index at other cases.
 * case_search_keys gives each case a stable integer (INTEGER PRIMARY KEY survives VACUUM), and
 * the fts table is keyed on that.
 *
 * PostgreSQL: pg_trgm and a GIN index on the one expression the query repeats,
 * `title || ' ' || description` (both NOT NULL since 0008), which serves ILIKE '%…%'.
 */
export async function up(db: Kysely<unknown>, traits: DialectTraits): Promise<void> {
  if (traits.name === 'sqlite') {
    await sql`CREATE TABLE case_search_keys (
      key INTEGER PRIMARY KEY,
      case_id varchar(36) NOT NULL UNIQUE
    )`.execute(db);
    await sql`CREATE VIRTUAL TABLE cases_fts USING fts5(
      title, description, content='', contentless_delete=1, tokenize='trigram'
    )`.execute(db);
    await sql`INSERT INTO case_search_keys (case_id) SELECT id FROM cases ORDER BY rowid`.execute(db);
    await sql`INSERT INTO cases_fts (rowid, title, description)
      SELECT k.key, c.title, c.description FROM case_search_keys k JOIN cases c ON c.id = k.case_id`.execute(
      db,
    );
    await sql`CREATE TRIGGER cases_fts_insert AFTER INSERT ON cases BEGIN
      INSERT INTO case_search_keys (case_id) VALUES (new.id);
      INSERT INTO cases_fts (rowid, title, description)
        VALUES ((SELECT key FROM case_search_keys WHERE case_id = new.id), new.title, new.description);
    END`.execute(db);
    // Most case steps change neither column: the trigger fires only when one of them changes.
    await sql`CREATE TRIGGER cases_fts_update AFTER UPDATE OF title, description ON cases
      WHEN old.title IS NOT new.title OR old.description IS NOT new.description BEGIN
      DELETE FROM cases_fts WHERE rowid = (SELECT key FROM case_search_keys WHERE case_id = new.id);
      INSERT INTO cases_fts (rowid, title, description)
        VALUES ((SELECT key FROM case_search_keys WHERE case_id = new.id), new.title, new.description);
    END`.execute(db);
    await sql`CREATE TRIGGER cases_fts_delete AFTER DELETE ON cases BEGIN
      DELETE FROM cases_fts WHERE rowid = (SELECT key FROM case_search_keys WHERE case_id = old.id);
      DELETE FROM case_search_keys WHERE case_id = old.id;
    END`.execute(db);
    return;
  }
  // The extension is per database, its operator classes in one schema: stores in separate schemas
  // of one database (tests, tenants) share it, so it goes to public, and the index names the
  // schema it is actually in. The lock keeps two stores migrating at once from racing to create it.
  await sql`SELECT pg_advisory_xact_lock(hashtext('shanzhi:pg_trgm'))`.execute(db);
  await sql`CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public`.execute(db);
  const { rows } = await sql<{ schema: string }>`
    SELECT extnamespace::regnamespace::text AS schema FROM pg_extension WHERE extname = 'pg_trgm'
  `.execute(db);
  await sql`CREATE INDEX cases_text_trgm_idx ON cases
    USING gin ((title || ' ' || description) ${sql.id(rows[0]!.schema, 'gin_trgm_ops')})`.execute(db);
}
