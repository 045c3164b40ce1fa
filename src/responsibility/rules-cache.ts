import { compileRules, type RuleSet } from '../core/responsibility/resolve.ts';
import { levelFromNumber } from '../core/regions/codes.ts';
import type { DepartmentType } from '../core/organisation/department-types.ts';
import { readRevision } from '../db/revisions.ts';
import type { DbOrTx } from '../db/schema.ts';
import { readContents } from './list-rows.ts';

export interface CategoryNode {
  code: string;
  name: string;
  parent_code: string | null;
  leaf: boolean;
}

export interface LoadedRules {
  rules: RuleSet;
  categories: Map<string, CategoryNode>;
  /** The category and its ancestors, most specific first. */
  chainOf(code: string): string[];
}

/** Every published list, every department and the taxonomy, compiled for resolution. */
export async function loadRules(db: DbOrTx): Promise<LoadedRules> {
  const headers = await db
    .selectFrom('responsibility_lists')
    .selectAll()
    .where('status', '=', 'published')
    .execute();
  const contents = await readContents(
    db,
    headers.map((h) => h.id),
  );
  const lists = headers.map((h) => ({
    id: h.id,
    region_code: h.region_code,
    region_level: levelFromNumber(h.region_level),
    version: h.version ?? 0,
    ...contents.get(h.id)!,
  }));
  const departments = (await db.selectFrom('departments').selectAll().execute()).map((d) => ({
    id: d.id,
    name: d.name,
    type: d.type as DepartmentType,
    region_code: d.region_code,
    region_level: levelFromNumber(d.region_level),
  }));
  const rows = await db.selectFrom('categories').select(['code', 'name', 'parent_code', 'leaf']).execute();
  const categories = new Map(rows.map((r) => [r.code, { ...r, leaf: Boolean(r.leaf) }]));
  const chains = new Map<string, string[]>();
  const chainOf = (code: string): string[] => {
    let chain = chains.get(code);
    if (!chain) {
      chain = [];
      for (
        let c = categories.get(code);
        c && chain.length < 16;
        c = c.parent_code ? categories.get(c.parent_code) : undefined
      ) {
        chain.push(c.code);
      }
      chains.set(code, chain);
    }
    return chain;
  };
  return { rules: compileRules(lists, departments), categories, chainOf };
}

/** Compiled rules kept in step with the database, reloaded when the revision moves. */
export class RulesCache {
  private loaded: LoadedRules | undefined;
  private key = '';
  private checkedAt = -Infinity;

  constructor(
    private readonly db: DbOrTx,
    private readonly recheckMs = 1000,
  ) {}

  async current(): Promise<LoadedRules> {
    if (this.loaded && performance.now() - this.checkedAt < this.recheckMs) return this.loaded;
    const { n } = await this.db
      .selectFrom('categories')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    const key = `${await readRevision(this.db, 'responsibility_revision')}:${Number(n)}`;
    this.checkedAt = performance.now();
    if (!this.loaded || key !== this.key) {
      this.loaded = await loadRules(this.db);
      this.key = key;
    }
    return this.loaded;
  }
}
