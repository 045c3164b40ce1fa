import type BetterSqlite3 from 'better-sqlite3';
import {
  SqliteDialect,
  SqliteDriver,
  type DatabaseConnection,
  type Driver,
  type SqliteDialectConfig,
} from 'kysely';

/**
 * Kysely's SQLite dialect, except that a rollback of a transaction SQLite has already ended is
 * skipped. SQLite rolls a transaction back by itself on some errors (SQLITE_FULL on a full disk,
 * SQLITE_IOERR, SQLITE_NOMEM: sqlite.org/lang_transaction.html); Kysely's ROLLBACK after them then
 * fails with "cannot rollback - no transaction is active", and that error replaced the one that
 * tells what happened, so a full disk answered 500 instead of 507 store.full.
 */
export class EmbeddedDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;
  readonly #raw: BetterSqlite3.Database;

  constructor(raw: BetterSqlite3.Database, config: SqliteDialectConfig) {
    super(config);
    this.#config = config;
    this.#raw = raw;
  }

  override createDriver(): Driver {
    const raw = this.#raw;
    return new (class extends SqliteDriver {
      override async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
        if (raw.inTransaction) await super.rollbackTransaction(connection);
      }
    })(this.#config);
  }
}
