import { sql, type SelectQueryBuilder } from 'kysely';

/**
 * Every difference between the embedded store (SQLite) and PostgreSQL lives here, so that
 * migrations and queries are written once.
 */
export type DialectName = 'sqlite' | 'postgres';

export interface DialectTraits {
  name: DialectName;
  /** Column types for migrations. */
  types: {
    timestamp: 'text' | 'timestamptz';
    json: 'text' | 'jsonb';
    float: 'real' | 'float8';
  };
  /** Bound parameters one statement may carry (SQLite 32766, PostgreSQL 65535), with margin. */
  maxParams: number;
}

export const SQLITE: DialectTraits = {
  name: 'sqlite',
  types: { timestamp: 'text', json: 'text', float: 'real' },
  maxParams: 30000,
};

export const POSTGRES: DialectTraits = {
  name: 'postgres',
  types: { timestamp: 'timestamptz', json: 'jsonb', float: 'float8' },
  maxParams: 60000,
};

/** Timestamps leave the database as ISO 8601 UTC strings on both stores. */
export function readTimestamp(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'string') return new Date(value).toISOString();
  throw new TypeError(`not a timestamp: ${String(value)}`);
}

/** JSON columns: text in SQLite, jsonb (already parsed by pg) in PostgreSQL. */
export function readJson<T>(value: unknown): T {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}

/** Rows per multi-row INSERT so that one statement stays under the parameter limit. */
export function rowsPerInsert(traits: DialectTraits, columns: number): number {
  return Math.max(1, Math.floor(traits.maxParams / columns));
}

/**
 * Row locks: `FOR UPDATE` on PostgreSQL. SQLite has one writer at a time (the transaction takes
 * the database write lock), so the clause is left out there.
 */
export function forUpdate<DB, TB extends keyof DB, O>(
  traits: DialectTraits,
  query: SelectQueryBuilder<DB, TB, O>,
): SelectQueryBuilder<DB, TB, O> {
  return traits.name === 'postgres' ? query.forUpdate() : query;
}

/**
 * A queue's claim: `FOR UPDATE SKIP LOCKED` on PostgreSQL, so that two workers take different rows
 * instead of waiting for each other. SQLite's single writer already serialises the claims.
 */
export function forUpdateSkipLocked<DB, TB extends keyof DB, O>(
  traits: DialectTraits,
  query: SelectQueryBuilder<DB, TB, O>,
): SelectQueryBuilder<DB, TB, O> {
  return traits.name === 'postgres' ? query.forUpdate().skipLocked() : query;
}

/** A LIKE pattern that matches `needle` anywhere, literally: \\ % _ escaped (ESCAPE '\\'). */
export function containsPattern(needle: string): string {
  return `%${needle.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Case-insensitive substring match (ILIKE on PostgreSQL; SQLite's LIKE is already so for ASCII). */
export function containsText(traits: DialectTraits, column: string, needle: string) {
  const pattern = containsPattern(needle);
  return traits.name === 'postgres'
    ? sql<boolean>`${sql.ref(column)} ILIKE ${pattern} ESCAPE '\\'`
    : sql<boolean>`${sql.ref(column)} LIKE ${pattern} ESCAPE '\\'`;
}

/**
 * Whether a driver error is a unique-constraint violation (better-sqlite3: SQLITE_CONSTRAINT_UNIQUE
 * or SQLITE_CONSTRAINT_PRIMARYKEY; pg: SQLSTATE 23505). A check-then-insert races with a
 * concurrent insert; the constraint is what decides, and this tells its refusal from a failure.
 */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/**
 * Whether a driver error refuses text the store cannot hold: PostgreSQL's text types take no NUL
 * character (SQLSTATE 22021, or 22P05 untranslatable). It is the request's fault (bad input, a
 * 400), and the statement wrote nothing; SQLite stores such text and never raises it.
 */
export function isUnstorableText(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '22021' || code === '22P05';
}

/**
 * A write the store refused for want of disk space: SQLITE_FULL (SQLite rolled the transaction
 * back, nothing was written) or PostgreSQL's disk_full (SQLSTATE 53100). Not the request's fault:
 * 507 store.full, and the same request succeeds once space returns.
 */
export function isStoreFull(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'SQLITE_FULL' || code === '53100';
}
