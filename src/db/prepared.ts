import type { CompiledQuery, Compilable, Insertable, QueryResult } from 'kysely';
import type { Database, DbOrTx } from './schema.ts';

const MARK = '\u0000arg:';

/** The placeholder of argument `i` in a prepared query's builder (typed as the column wants). */
export function arg<T = never>(i: number): T {
  return `${MARK}${i}` as T;
}

/**
 * Kysely builds and compiles every query on each call, which on the hot paths costs more than
 * SQLite takes to run the statement. A query of fixed shape is compiled here once per dialect,
 * with `arg(i)` placeholders, and then runs with new arguments; the SQLite driver reuses the
 * prepared statement for the same text (src/db/database.ts).
 *
 * ```ts
 * const insertEvent = prepared((db) => db.insertInto('case_events').values({ case_id: arg(0), … }));
 * await insertEvent(tx, [caseId, …]);
 * ```
 */
export function prepared<R>(build: (db: DbOrTx) => Compilable<R>) {
  const byDialect = new Map<
    unknown,
    { compiled: CompiledQuery<R>; slots: Array<number | { value: unknown }> }
  >();
  return (db: DbOrTx, args: readonly unknown[]): Promise<QueryResult<R>> => {
    const dialect = db.getExecutor().adapter.constructor;
    let entry = byDialect.get(dialect);
    if (!entry) {
      const compiled = build(db).compile();
      const slots = compiled.parameters.map((p) =>
        typeof p === 'string' && p.startsWith(MARK) ? Number(p.slice(MARK.length)) : { value: p },
      );
      entry = { compiled, slots };
      byDialect.set(dialect, entry);
    }
    const parameters = entry.slots.map((s) => (typeof s === 'number' ? args[s] : s.value));
    return db.executeQuery<R>({ ...entry.compiled, parameters });
  };
}

type Run = (db: DbOrTx, args: readonly unknown[]) => Promise<QueryResult<unknown>>;
const inserts = new Map<string, Run>();

/** Inserts one row, its statement compiled once per table and list of columns. */
export function insertRow<T extends keyof Database & string>(
  db: DbOrTx,
  table: T,
  row: Insertable<Database[T]>,
): Promise<QueryResult<unknown>> {
  const values = row as Record<string, unknown>;
  const columns = Object.keys(values);
  const key = `${table}(${columns.join(',')})`;
  let run = inserts.get(key);
  if (!run) {
    run = prepared((d) =>
      (d as DbOrTx).insertInto(table).values(Object.fromEntries(columns.map((c, i) => [c, arg(i)])) as never),
    );
    inserts.set(key, run);
  }
  return run(
    db,
    columns.map((c) => values[c] ?? null),
  );
}
