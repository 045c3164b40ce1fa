import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import { parseReference } from '../core/workflow/reference.ts';
import { containsPattern, type DialectTraits } from '../db/dialect.ts';
import type { Database } from '../db/schema.ts';

/** Trigrams: a word of fewer characters has none, so no index can find it (see shortWord). */
const TRIGRAM = 3;

/** The words of a query: split at any whitespace (the full-width space U+3000 too), empty ones dropped. */
export function searchWords(q: string): string[] {
  return q.split(/\s+/u).filter((w) => w.length > 0);
}

/** An FTS5 string: the word in double quotes, its own quotes doubled, so no query syntax gets in. */
function ftsString(word: string): string {
  return `"${word.replaceAll('"', '""')}"`;
}

/**
 * The text filter of case lists, as a condition on `cases`.
 *
 * - A reference number (`330106-20260302-00017`) matches that case's reference exactly (its
 *   unique index).
 * - Otherwise every word (whitespace separates them) must occur, as a substring, in the title or
 *   the description; ASCII letters match either case. `噪音 占道` finds the cases that mention both.
 *
 * Plans. SQLite: words of three characters or more go to the FTS5 trigram table (0021): `cases.id
 * IN (… cases_fts MATCH '"w1" "w2"')`, the trigram index. Shorter words (噪音, 占道: common in
 * Chinese) have no trigram, and an FTS5 LIKE would scan the fts table too, so they are LIKE over
 * cases' own columns: a scan of the rows the other conditions leave (a department's, a county's),
 * or of all cases when the query has no longer word and nothing else narrows it.
 * PostgreSQL: ILIKE on `title || ' ' || description`, served by cases_text_trgm_idx (pg_trgm GIN);
 * a word of one or two characters yields no trigram, and the GIN scan then reads the whole index
 * before the recheck: correct, but no faster than a scan.
 */
export function caseTextMatch(traits: DialectTraits, q: string, options: { ftsJoined?: boolean } = {}) {
  return (eb: ExpressionBuilder<Database, 'cases'>): Expression<SqlBool> => {
    const query = parseQuery(q);
    if (query.kind === 'reference') return eb('cases.reference', '=', query.reference);
    if (query.kind === 'nothing') return eb.lit(false);
    const { words, long, short } = query;
    if (traits.name === 'postgres') {
      return eb.and(
        words.map(
          (w) =>
            sql<SqlBool>`(${sql.ref('cases.title')} || ' ' || ${sql.ref('cases.description')}) ILIKE ${containsPattern(w)} ESCAPE '\\'`,
        ),
      );
    }
    const and: Expression<SqlBool>[] = [];
    // Joined: the list reads its cases from the trigram table's matches (ftsDriver), in key order.
    if (long.length > 0 && !options.ftsJoined) {
      const match = long.map(ftsString).join(' ');
      and.push(
        sql<SqlBool>`${sql.ref('cases.id')} IN (SELECT case_search_keys.case_id FROM case_search_keys WHERE case_search_keys.key IN (SELECT rowid FROM cases_fts WHERE cases_fts MATCH ${match}))`,
      );
    }
    for (const w of short) {
      const pattern = containsPattern(w);
      and.push(
        sql<SqlBool>`(${sql.ref('cases.title')} LIKE ${pattern} ESCAPE '\\' OR ${sql.ref('cases.description')} LIKE ${pattern} ESCAPE '\\')`,
      );
    }
    return eb.and(and);
  };
}

/** What q asks for: a reference number, words (those with trigrams apart), or nothing any case holds. */
function parseQuery(
  q: string,
):
  | { kind: 'reference'; reference: string }
  | { kind: 'words'; words: string[]; long: string[]; short: string[] }
  | { kind: 'nothing' } {
  const text = q.trim();
  if (parseReference(text)) return { kind: 'reference', reference: text };
  const words = searchWords(text);
  // Stored text never holds NUL (PostgreSQL refuses it in text): such a word matches nothing.
  if (words.length === 0 || words.some((w) => w.includes('\u0000'))) return { kind: 'nothing' };
  return {
    kind: 'words',
    words,
    long: words.filter((w) => [...w].length >= TRIGRAM),
    short: words.filter((w) => [...w].length < TRIGRAM),
  };
}

/**
 * The trigram table's MATCH for a SQLite list that reads its cases from the matches (list-cases.ts):
 * the query's words of three characters or more, or null when there are none (or q is a reference,
 * or the store is PostgreSQL). Its keys follow reported_at (0025), so the matches come newest or
 * oldest first and a page stops after the cases it shows.
 */
export function ftsDriver(traits: DialectTraits, q: string): string | null {
  if (traits.name !== 'sqlite') return null;
  const query = parseQuery(q);
  return query.kind === 'words' && query.long.length > 0 ? query.long.map(ftsString).join(' ') : null;
}
