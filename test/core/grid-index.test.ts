import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  containsPoint,
  geometryBounds,
  type GridGeometry,
  type Position,
} from '../../src/core/geo/geometry.ts';
import { GridIndex, type IndexedGrid } from '../../src/core/geo/grid-index.ts';
import { makeRandom, makeSyntheticGrids } from '../../bench/locate.ts';

function box(x0: number, y0: number, x1: number, y1: number): GridGeometry {
  return {
    type: 'Polygon',
    coordinates: [
      [
        [x0, y0],
        [x1, y0],
        [x1, y1],
        [x0, y1],
        [x0, y0],
      ],
    ],
  };
}

/** The answer by definition: the smallest code among all grids containing the point. */
function locateByScan(grids: IndexedGrid[], lon: number, lat: number): string | undefined {
  const owners = grids.filter((g) => containsPoint(g.geometry, lon, lat)).map((g) => g.code);
  return owners.sort()[0];
}

function assertAgreesWithScan(grids: IndexedGrid[], index: GridIndex, probes: Position[]): void {
  // The box test only spares time: containsPoint alone decides.
  const boxes = grids.map((g) => ({ grid: g, b: geometryBounds(g.geometry) }));
  for (const [x, y] of probes) {
    const near = boxes.filter(({ b }) => x >= b.minX && x <= b.maxX && y >= b.minY && y <= b.maxY);
    const expected = locateByScan(
      near.map(({ grid }) => grid),
      x,
      y,
    );
    assert.equal(index.locate(x, y), expected, `point ${x},${y}`);
  }
}

/** Random points over the grids' extent plus a margin, and every vertex and edge midpoint. */
function probesFor(grids: IndexedGrid[], count: number, seed: number): Position[] {
  const bounds = grids.map((g) => geometryBounds(g.geometry));
  const minX = Math.min(...bounds.map((b) => b.minX));
  const minY = Math.min(...bounds.map((b) => b.minY));
  const maxX = Math.max(...bounds.map((b) => b.maxX));
  const maxY = Math.max(...bounds.map((b) => b.maxY));
  const random = makeRandom(seed);
  const probes: Position[] = [];
  for (let k = 0; k < count; k++) {
    probes.push([
      minX + (random() * 1.1 - 0.05) * (maxX - minX),
      minY + (random() * 1.1 - 0.05) * (maxY - minY),
    ]);
  }
  for (const { geometry } of grids) {
    for (const polygon of geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates) {
      for (const ring of polygon) {
        for (let k = 0; k < ring.length - 1; k++) {
          const [a, b] = [ring[k]!, ring[k + 1]!];
          probes.push(a, [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2]);
        }
      }
    }
  }
  return probes;
}

test('an empty index locates nothing and has no candidates', () => {
  const index = GridIndex.build([]);
  assert.equal(index.size, 0);
  assert.equal(index.locate(116.4, 39.9), undefined);
  assert.deepEqual(index.candidates({ minX: -180, minY: -90, maxX: 180, maxY: 90 }), []);
});

test('a point is located in the grid that contains it, and outside every grid in none', () => {
  const index = GridIndex.build([
    { code: '11010100100101', geometry: box(116.3, 39.9, 116.31, 39.91) },
    { code: '11010100100102', geometry: box(116.31, 39.9, 116.32, 39.91) },
  ]);
  assert.equal(index.size, 2);
  assert.equal(index.locate(116.305, 39.905), '11010100100101');
  assert.equal(index.locate(116.315, 39.905), '11010100100102');
  assert.equal(index.locate(116.31, 39.905), '11010100100102', 'the shared edge goes to the east grid');
  assert.equal(index.locate(116.33, 39.905), undefined);
  assert.equal(index.locate(116.305, 39.95), undefined);
});

test('the corner shared by four grids is located in the north-east one', () => {
  const index = GridIndex.build([
    { code: 'sw', geometry: box(0, 0, 1, 1) },
    { code: 'se', geometry: box(1, 0, 2, 1) },
    { code: 'nw', geometry: box(0, 1, 1, 2) },
    { code: 'ne', geometry: box(1, 1, 2, 2) },
  ]);
  assert.equal(index.locate(1, 1), 'ne');
});

test('locate agrees with scanning every grid, holes and MultiPolygons included', () => {
  const { grids } = makeSyntheticGrids(1500, 3);
  assert.ok(grids.some((g) => g.geometry.type === 'MultiPolygon'));
  assert.ok(grids.some((g) => g.geometry.type === 'Polygon' && g.geometry.coordinates.length > 1));
  assertAgreesWithScan(grids, GridIndex.build(grids), probesFor(grids, 20_000, 4));
});

test('locate agrees with scanning every grid when grids cluster in towns far apart', () => {
  // One bucket then lists a whole town, so lookups there take the R-tree path.
  const town = makeSyntheticGrids(400, 5).grids;
  const remote: IndexedGrid = { code: '650102001001001', geometry: box(87.6, 43.8, 87.7, 43.9) };
  const grids = [...town, remote];
  const index = GridIndex.build(grids);
  assertAgreesWithScan(grids, index, probesFor(town, 5_000, 6));
  assert.equal(index.locate(87.65, 43.85), remote.code);
});

test('where grids overlap the smallest code wins, whatever the build order', () => {
  const grids: IndexedGrid[] = [
    { code: 'c', geometry: box(0, 0, 3, 3) },
    { code: 'a', geometry: box(1, 1, 4, 4) },
    { code: 'b', geometry: box(2, 2, 5, 5) },
  ];
  for (const order of [grids, [...grids].reverse(), [grids[1]!, grids[2]!, grids[0]!]]) {
    const index = GridIndex.build(order);
    assert.equal(index.locate(2.5, 2.5), 'a');
    assert.equal(index.locate(0.5, 0.5), 'c');
    assert.equal(index.locate(4.5, 4.5), 'b');
  }
});

test('candidates are the grids whose bounding box meets the query, touching included', () => {
  const index = GridIndex.build([
    { code: 'b', geometry: box(1, 0, 2, 1) },
    { code: 'a', geometry: box(0, 0, 1, 1) },
    { code: 'far', geometry: box(10, 10, 11, 11) },
  ]);
  assert.deepEqual(index.candidates({ minX: 0.5, minY: 0.5, maxX: 0.6, maxY: 0.6 }), ['a']);
  assert.deepEqual(index.candidates({ minX: 0.5, minY: 0.5, maxX: 1, maxY: 0.6 }), ['a', 'b']);
  assert.deepEqual(index.candidates({ minX: 5, minY: 5, maxX: 6, maxY: 6 }), []);
});
