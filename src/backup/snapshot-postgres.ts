import { sql } from 'kysely';
import type { Store } from '../db/database.ts';
import type { Manifest } from './manifest.ts';
import { pgConnection, quoteIdent, runPgTool } from './pg-tools.ts';
import { KEYS_QUERY, MIGRATION_QUERY, snapshotFacts, type SnapshotFacts } from './snapshot-facts.ts';

export interface PostgresSnapshot extends SnapshotFacts {
  postgres: NonNullable<Manifest['postgres']>;
}

/**
 * The store's schema dumped by pg_dump (custom format: compressed, loaded back by pg_restore) into
 * `target`. A read-only REPEATABLE READ transaction exports its snapshot and pg_dump works in that
 * same snapshot (--snapshot), so the blob keys read here are exactly those of the dump, while the
 * server keeps writing. Only the store's schema is dumped (tests and tenants keep stores side by
 * side in one database); owners and grants are left out, so any role may restore it.
 */
export async function snapshotPostgres(store: Store, url: string, target: string): Promise<PostgresSnapshot> {
  return store.db
    .transaction()
    .setIsolationLevel('repeatable read')
    .setAccessMode('read only')
    .execute(async (tx) => {
      // The snapshot is taken by the transaction's first statement: this one.
      const exported = await sql<{ id: string }>`SELECT pg_export_snapshot() AS id`.execute(tx);
      const about = await sql<{ schema: string | null; version: string }>`
        SELECT current_schema() AS schema, current_setting('server_version') AS version`.execute(tx);
      const schema = about.rows[0]!.schema;
      if (!schema) throw new Error('the store has no current schema (search_path names none that exists)');
      // pg_trgm and the like live outside the store's schema, so the dump leaves them out; the
      // restore creates them again where its indexes expect them.
      const extensions = await sql<{ name: string; schema: string }>`
        SELECT extname AS name, extnamespace::regnamespace::text AS schema
        FROM pg_extension WHERE extname <> 'plpgsql' ORDER BY extname`.execute(tx);
      const all = async (query: string) => (await sql.raw<Record<string, unknown>>(query).execute(tx)).rows;
      const facts = snapshotFacts(await all(MIGRATION_QUERY), await all(KEYS_QUERY));
      const { dbname, env } = pgConnection(url);
      await runPgTool(
        'pg_dump',
        [
          `--dbname=${dbname}`,
          '--format=custom',
          `--schema=${quoteIdent(schema)}`,
          '--no-owner',
          '--no-privileges',
          `--snapshot=${exported.rows[0]!.id}`,
          `--file=${target}`,
        ],
        env,
      );
      return {
        ...facts,
        postgres: { schema, server_version: about.rows[0]!.version, extensions: extensions.rows },
      };
    });
}
