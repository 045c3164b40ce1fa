import type { Clock } from '../core/clock.ts';
import { DomainError } from '../core/errors.ts';
import { readTimestamp } from '../db/dialect.ts';
import type { DbOrTx, GridWorkerAssignmentTable } from '../db/schema.ts';
import type { Selectable } from 'kysely';

import type { GridDuty } from '../core/grids/grid-duties.ts';

export { GRID_DUTIES, type GridDuty } from '../core/grids/grid-duties.ts';

export interface GridWorkerAssignment {
  id: number;
  grid_code: string;
  worker_ref: string;
  worker_name: string;
  duty: GridDuty;
  assigned_at: string;
  ended_at: string | null;
}

/**
 * Puts a grid worker (专职/兼职/专业网格员) on a grid. A worker may serve several grids; the same
 * worker twice on one grid is refused. Accounts come later: `worker_ref` is the stable reference.
 */
export async function assignGridWorker(
  deps: { db: DbOrTx; clock: Clock },
  input: { grid: string; worker_ref: string; worker_name: string; duty: GridDuty },
): Promise<GridWorkerAssignment> {
  const grid = await deps.db
    .selectFrom('grids')
    .select('code')
    .where('code', '=', input.grid)
    .executeTakeFirst();
  if (!grid) throw new DomainError('grid.not_found', { code: input.grid });
  const active = await deps.db
    .selectFrom('grid_worker_assignments')
    .select('id')
    .where('grid_code', '=', input.grid)
    .where('worker_ref', '=', input.worker_ref)
    .where('ended_at', 'is', null)
    .executeTakeFirst();
  if (active)
    throw new DomainError('grid.worker_already_assigned', { worker: input.worker_ref, grid: input.grid });
  const row = await deps.db
    .insertInto('grid_worker_assignments')
    .values({
      grid_code: input.grid,
      worker_ref: input.worker_ref,
      worker_name: input.worker_name,
      duty: input.duty,
      assigned_at: deps.clock.now().toISOString(),
      ended_at: null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toAssignment(row);
}

/** Ends a worker's assignment to a grid; the history stays. */
export async function endGridWorkerAssignment(
  deps: { db: DbOrTx; clock: Clock },
  input: { grid: string; worker_ref: string },
): Promise<void> {
  await deps.db
    .updateTable('grid_worker_assignments')
    .set({ ended_at: deps.clock.now().toISOString() })
    .where('grid_code', '=', input.grid)
    .where('worker_ref', '=', input.worker_ref)
    .where('ended_at', 'is', null)
    .execute();
}

export async function listGridWorkers(db: DbOrTx, grid: string): Promise<GridWorkerAssignment[]> {
  const rows = await db
    .selectFrom('grid_worker_assignments')
    .selectAll()
    .where('grid_code', '=', grid)
    .where('ended_at', 'is', null)
    .orderBy('id')
    .execute();
  return rows.map(toAssignment);
}

function toAssignment(row: Selectable<GridWorkerAssignmentTable>): GridWorkerAssignment {
  return {
    ...row,
    id: Number(row.id),
    duty: row.duty as GridDuty,
    assigned_at: readTimestamp(row.assigned_at),
    ended_at: row.ended_at === null ? null : readTimestamp(row.ended_at),
  };
}
