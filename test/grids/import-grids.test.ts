import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { fixedClock } from '../../src/core/clock.ts';
import { DomainError } from '../../src/core/errors.ts';
import { exportGrids } from '../../src/grids/export-grids.ts';
import { importGrids, type GridProblem } from '../../src/grids/import-grids.ts';
import { listWithin } from '../../src/regions/find-regions.ts';
import { collection, gridFeature, square } from '../helpers/grids.ts';
import { loadCounty } from '../helpers/regions.ts';
import { makeTestStore, type TestStore } from '../helpers/store.ts';

let store: TestStore;
let A: string;
let B: string;
const clock = fixedClock('2026-03-01T08:00:00Z');
const deps = () => ({ store, clock });

before(async () => {
  store = await makeTestStore();
  await loadCounty(store, '330106');
  [A, B] = (await listWithin(store.db, '330106', 'community')).map((c) => c.code) as [string, string];
  // Two stored grids side by side: A01 at (120.00, 30.00), A02 east of it.
  await importGrids(
    deps(),
    collection(gridFeature(A, 1, square(120, 30)), gridFeature(A, 2, square(120.01, 30))),
  );
});
after(() => store.close());

async function rejection(input: unknown): Promise<GridProblem[]> {
  const count = async () => (await exportGrids(store.db)).features.length;
  const before = await count();
  const error = await importGrids(deps(), input).then(
    () => assert.fail('import should have been rejected'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof DomainError && error.code === 'grid.import_rejected', String(error));
  assert.equal(await count(), before, 'a rejected import writes nothing');
  return error.details.problems as GridProblem[];
}

const reasons = (problems: GridProblem[]) => problems.map((p) => [p.index, p.reason]);

test('a valid file is imported whole and exported again unchanged', async () => {
  const features = [gridFeature(B, 1, square(121, 31)), gridFeature(B, 2, square(121.01, 31))];
  const file = collection(...features);
  assert.deepEqual(await importGrids(deps(), file), { inserted: 2, replaced: 0, revision: 2 });
  const exported = await exportGrids(store.db, { within: B });
  assert.deepEqual(
    exported.features.map((f) => [f.properties.code, f.geometry]),
    features.map((f) => [f.properties.code, f.geometry]),
  );
});

test('every bad feature is reported with its index and reason, and the good ones are not imported either', async () => {
  const problems = await rejection(
    collection(
      gridFeature(A, 10, square(122, 32)),
      gridFeature(A, 11, [
        [122, 33],
        [122.01, 33],
        [122.01, 33.01],
        [122, 33.01],
      ]),
      gridFeature(A, 12, [
        [122, 34],
        [122.01, 34],
        [122, 34],
      ]),
      gridFeature(A, 13, square(200, 32)),
      gridFeature('330106999999', 1, square(123, 32)),
      gridFeature(A, 1, square(124, 32)),
      gridFeature(A, 14, square(120.005, 30.005)),
      gridFeature(A, 15, square(125, 32), { code: `${A}15` }),
      gridFeature(A, 16, square(125, 32)),
      gridFeature(A, 17, square(126, 32), { code: `${B}17` }),
      gridFeature(A, 18, square(127, 32), { name: '' }),
      gridFeature(A, 19, square(127, 32), { geometry: { type: 'Point', coordinates: [127, 32] } }),
      { type: 'Feature', properties: null, geometry: null },
      gridFeature(A, 20, square(128, 32), { code: `${A}20` }),
      gridFeature(A, 20, square(129, 32)),
    ),
  );
  assert.deepEqual(reasons(problems), [
    [1, 'unclosed_ring'],
    [2, 'too_few_points'],
    [3, 'coordinates_out_of_range'],
    [4, 'unknown_community'],
    [5, 'duplicate_code'],
    [6, 'overlap'],
    [8, 'overlap'],
    [9, 'invalid_code'],
    [10, 'missing_name'],
    [11, 'not_polygon'],
    [12, 'missing_code'],
    [14, 'duplicate_code'],
  ]);
  assert.match(problems.find((p) => p.index === 6)!.detail, new RegExp(`existing grid ${A}01`));
  assert.match(problems.find((p) => p.index === 8)!.detail, /feature 7/);
});

test('grids that only touch along an edge or at a corner do not overlap', async () => {
  const report = await importGrids(
    deps(),
    collection(gridFeature(A, 3, square(120, 30.01)), gridFeature(A, 4, square(120.02, 30.01))),
  );
  assert.equal(report.inserted, 2);
});

test('a file that is not a FeatureCollection is rejected as a whole', async () => {
  assert.deepEqual(reasons(await rejection({ type: 'Feature' })), [[-1, 'not_feature_collection']]);
});

test('a grid code must be the community code plus a 2 or 3 digit sequence', async () => {
  const problems = await rejection(
    collection(
      gridFeature(A, 1, square(130, 30), { code: `${A}00` }),
      gridFeature(A, 1, square(131, 30), { code: `${A}1` }),
      gridFeature(A, 1, square(132, 30), { code: `${A}0a` }),
    ),
  );
  assert.deepEqual(reasons(problems), [
    [0, 'invalid_code'],
    [1, 'invalid_code'],
    [2, 'invalid_code'],
  ]);
});

test('replace mode updates a stored grid in place instead of calling it a duplicate', async () => {
  const moved = square(120, 29.99, 0.005);
  const report = await importGrids(deps(), collection(gridFeature(A, 1, moved, { name: '改名网格' })), {
    replace: true,
  });
  assert.deepEqual([report.inserted, report.replaced], [0, 1]);
  const grid = (await exportGrids(store.db, { within: A })).features.find(
    (f) => f.properties.code === `${A}01`,
  );
  assert.equal(grid?.properties.name, '改名网格');
  assert.deepEqual(grid?.geometry.coordinates, [moved]);
});
