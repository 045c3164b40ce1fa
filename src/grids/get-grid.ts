import { DomainError } from '../core/errors.ts';
import type { GridGeometry } from '../core/geo/geometry.ts';
import { readJson } from '../db/dialect.ts';
import type { DbOrTx } from '../db/schema.ts';
import { getRegion } from '../regions/find-regions.ts';
import { listGridWorkers } from './assign-grid-worker.ts';

export async function getGrid(db: DbOrTx, code: string) {
  const row = await db.selectFrom('grids').selectAll().where('code', '=', code).executeTakeFirst();
  if (!row) throw new DomainError('grid.not_found', { code });
  return {
    code: row.code,
    name: row.name,
    community: await getRegion(db, row.community_code),
    synthetic: row.synthetic === 1,
    geometry: readJson<GridGeometry>(row.geometry),
    workers: await listGridWorkers(db, code),
  };
}
