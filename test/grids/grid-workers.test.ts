import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { fixedClock } from '../../src/core/clock.ts';
import {
  assignGridWorker,
  endGridWorkerAssignment,
  listGridWorkers,
} from '../../src/grids/assign-grid-worker.ts';
import { importGrids } from '../../src/grids/import-grids.ts';
import { listWithin } from '../../src/regions/find-regions.ts';
import { collection, gridFeature, square } from '../helpers/grids.ts';
import { loadCounty } from '../helpers/regions.ts';
import { makeTestStore, type TestStore } from '../helpers/store.ts';

let store: TestStore;
let grid: string;
const clock = fixedClock('2026-03-01T08:00:00Z');
const deps = () => ({ db: store.db, clock });

before(async () => {
  store = await makeTestStore();
  await loadCounty(store, '330106');
  const [community] = await listWithin(store.db, '330106', 'community');
  grid = `${community!.code}01`;
  await importGrids({ store, clock }, collection(gridFeature(community!.code, 1, square(120, 30))));
});
after(() => store.close());

test('a grid worker assigned to a grid is listed on it with the time of assignment', async () => {
  await assignGridWorker(deps(), { grid, worker_ref: 'w-1', worker_name: '张网格', duty: 'full_time' });
  const workers = await listGridWorkers(store.db, grid);
  assert.deepEqual(
    workers.map((w) => [w.worker_ref, w.duty, w.assigned_at]),
    [['w-1', 'full_time', '2026-03-01T08:00:00.000Z']],
  );
});

test('the same worker cannot be assigned twice to one grid', async () => {
  await assert.rejects(
    assignGridWorker(deps(), { grid, worker_ref: 'w-1', worker_name: '张网格', duty: 'part_time' }),
    { code: 'grid.worker_already_assigned' },
  );
});

test('an ended assignment leaves the list and the worker can be assigned again', async () => {
  clock.advance(86_400_000);
  await endGridWorkerAssignment(deps(), { grid, worker_ref: 'w-1' });
  assert.deepEqual(await listGridWorkers(store.db, grid), []);
  await assignGridWorker(deps(), { grid, worker_ref: 'w-1', worker_name: '张网格', duty: 'part_time' });
  assert.equal((await listGridWorkers(store.db, grid))[0]?.duty, 'part_time');
});

test('assigning to an unknown grid is grid.not_found', async () => {
  await assert.rejects(
    assignGridWorker(deps(), {
      grid: '33010600200199',
      worker_ref: 'w-2',
      worker_name: '李',
      duty: 'full_time',
    }),
    { code: 'grid.not_found' },
  );
});
