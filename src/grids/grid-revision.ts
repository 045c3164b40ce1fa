import { bumpRevision, readRevision } from '../db/revisions.ts';
import type { DbOrTx } from '../db/schema.ts';

/** Every change to grids bumps this counter first in its transaction; servers rebuild their index. */
export const bumpGridRevision = (tx: DbOrTx) => bumpRevision(tx, 'grid_revision');
export const readGridRevision = (db: DbOrTx) => readRevision(db, 'grid_revision');
