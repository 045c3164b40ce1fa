import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  containsPoint,
  geometryBounds,
  overlapsInterior,
  polygonArea,
  validateGeometry,
  type GridGeometry,
  type Position,
} from '../../src/core/geo/geometry.ts';
import { makeRandom } from '../../bench/locate.ts';

function rect(x0: number, y0: number, x1: number, y1: number): Position[] {
  return [
    [x0, y0],
    [x1, y0],
    [x1, y1],
    [x0, y1],
    [x0, y0],
  ];
}

/** A ring written as WKT writes it: `'0 0, 1 0, 1 1, 0 0'`. */
function ring(text: string): Position[] {
  return text.split(',').map((pair) => pair.trim().split(/\s+/).map(Number) as Position);
}

function box(x0: number, y0: number, x1: number, y1: number): GridGeometry {
  return { type: 'Polygon', coordinates: [rect(x0, y0, x1, y1)] };
}

function ownersOf(grids: GridGeometry[], lon: number, lat: number): number[] {
  return grids.flatMap((g, i) => (containsPoint(g, lon, lat) ? [i] : []));
}

test('a closed polygon ring inside the lon/lat range is accepted, altitude dropped', () => {
  const flat = ring('116 39, 117 39, 117 40, 116 39');
  const withAltitude = flat.map(([x, y]) => [x, y, 50]);
  assert.deepEqual(validateGeometry({ type: 'Polygon', coordinates: [withAltitude] }), {
    ok: true,
    geometry: { type: 'Polygon', coordinates: [flat] },
  });
});

test('a MultiPolygon is accepted as one grid', () => {
  const input = { type: 'MultiPolygon', coordinates: [[rect(0, 0, 1, 1)], [rect(2, 0, 3, 1)]] };
  assert.deepEqual(validateGeometry(input), { ok: true, geometry: input });
});

const rejections: Array<[string, unknown, string, RegExp]> = [
  ['a Point', { type: 'Point', coordinates: [116, 39] }, 'not_polygon', /Point/],
  ['no geometry at all', null, 'not_polygon', /Polygon or MultiPolygon/],
  [
    'a string for a position',
    { type: 'Polygon', coordinates: [[[0, 0], '1,0']] },
    'invalid_coordinates',
    /ring 0 position 1/,
  ],
  ['a NaN coordinate', box(0, 0, Number.NaN, 1), 'invalid_coordinates', /polygon 0 ring 0/],
  ['an infinite coordinate', box(0, 0, Infinity, 1), 'invalid_coordinates', /polygon 0 ring 0/],
  [
    'a polygon without rings',
    { type: 'Polygon', coordinates: [] },
    'invalid_coordinates',
    /polygon 0 has no rings/,
  ],
  [
    'a MultiPolygon without polygons',
    { type: 'MultiPolygon', coordinates: [] },
    'invalid_coordinates',
    /non-empty/,
  ],
  [
    'a hole of three positions',
    { type: 'Polygon', coordinates: [rect(0, 0, 4, 4), ring('1 1, 2 1, 1 1')] },
    'too_few_points',
    /^polygon 0 ring 1 has 3 positions$/,
  ],
  [
    'a ring that does not return to its start',
    { type: 'Polygon', coordinates: [rect(0, 0, 1, 1).slice(0, 4)] },
    'unclosed_ring',
    /polygon 0 ring 0/,
  ],
  ['a longitude beyond 180', box(179.5, 0, 180.5, 1), 'coordinates_out_of_range', /position 1/],
  [
    'a latitude beyond -90',
    { type: 'MultiPolygon', coordinates: [[rect(0, 0, 1, 1)], [rect(0, -91, 1, -89)]] },
    'coordinates_out_of_range',
    /polygon 1 ring 0 position 0/,
  ],
];
for (const [what, input, reason, detail] of rejections) {
  test(`${what} is rejected as ${reason}, naming where`, () => {
    const result = validateGeometry(input);
    assert.equal(result.ok, false);
    if (result.ok) return;
    assert.equal(result.reason, reason);
    assert.match(result.detail, detail);
  });
}

test('the bounds of a MultiPolygon span all its parts', () => {
  const g: GridGeometry = { type: 'MultiPolygon', coordinates: [[rect(0, 0, 1, 1)], [rect(2, -1, 3, 0.5)]] };
  assert.deepEqual(geometryBounds(g), { minX: 0, minY: -1, maxX: 3, maxY: 1 });
});

test('a point in a hole is outside the grid, and inside the island within that hole again', () => {
  const g: GridGeometry = {
    type: 'MultiPolygon',
    coordinates: [[rect(0, 0, 10, 10), rect(3, 3, 7, 7).reverse()], [rect(4, 4, 6, 6)]],
  };
  assert.equal(containsPoint(g, 1, 1), true);
  assert.equal(containsPoint(g, 3.5, 5), false);
  assert.equal(containsPoint(g, 5, 5), true);
  assert.equal(containsPoint(g, 11, 5), false);
});

test('ring orientation does not change which points a grid contains', () => {
  const ccw = box(0, 0, 2, 2);
  const cw: GridGeometry = { type: 'Polygon', coordinates: [rect(0, 0, 2, 2).reverse()] };
  for (const [x, y] of [
    [1, 1],
    [0, 1],
    [2, 1],
    [1, 0],
    [1, 2],
    [0, 0],
    [3, 3],
  ] as Position[]) {
    assert.equal(containsPoint(cw, x, y), containsPoint(ccw, x, y), `${x},${y}`);
  }
});

test('points on the shared edges and the shared corner of a 2x2 tiling go east and north', () => {
  const [sw, se, nw, ne] = [box(0, 0, 1, 1), box(1, 0, 2, 1), box(0, 1, 1, 2), box(1, 1, 2, 2)];
  const grids = [sw!, se!, nw!, ne!];
  assert.deepEqual(ownersOf(grids, 1, 0.5), [1], 'vertical edge between sw and se → se');
  assert.deepEqual(ownersOf(grids, 0.5, 1), [2], 'horizontal edge between sw and nw → nw');
  assert.deepEqual(ownersOf(grids, 1, 1), [3], 'the corner all four share → ne');
  assert.deepEqual(ownersOf(grids, 0, 0.5), [0], 'the west boundary belongs to the tiling');
  assert.deepEqual(ownersOf(grids, 2, 0.5), [], 'the east boundary does not');
  assert.deepEqual(ownersOf(grids, 0.5, 2), [], 'nor does the north boundary');
});

test('a point nearer a slanted shared edge than rounding resolves belongs to exactly one side', () => {
  // Found by search: for these points, the crossing test evaluated from a and from b disagree
  // unless both grids order the shared edge's endpoints the same way.
  const a: Position = [116.30712345678901, 39.90123456789012];
  const b: Position = [116.3093123456789, 39.90456789012345];
  const west: GridGeometry = { type: 'Polygon', coordinates: [[a, b, [116.305, b[1]], [116.305, a[1]], a]] };
  const east: GridGeometry = { type: 'Polygon', coordinates: [[b, a, [116.312, a[1]], [116.312, b[1]], b]] };
  const nearEdge: Position[] = [
    [116.3075053114726, 39.90181607054773],
    [116.30865263720642, 39.90356326127774],
    [116.30876977140609, 39.903741637637474],
    [116.30880528239244, 39.90379571510156],
    [116.30892667250629, 39.90398057252729],
  ];
  for (const [x, y] of nearEdge) assert.equal(ownersOf([west, east], x, y).length, 1, `${x},${y}`);
});

/**
 * A rectangle tiled by jittered quadrilaterals on awkward decimals. Some cells have a hole; the
 * holes are filled by island grids, paired into MultiPolygons, so the tiling still covers the
 * rectangle exactly and hole rings share their edges with other grids.
 */
function makeTiling(columns: number, rows: number, seed: number) {
  const random = makeRandom(seed);
  const step = 0.0031;
  const at = (i: number, j: number): Position => [116.3 + i * step, 39.9 + j * step];
  const vertex = Array.from({ length: columns + 1 }, (_, i) =>
    Array.from({ length: rows + 1 }, (_, j): Position => {
      const [x, y] = at(i, j);
      const jx = i === 0 || i === columns ? 0 : (random() - 0.5) * 0.6 * step;
      const jy = j === 0 || j === rows ? 0 : (random() - 0.5) * 0.6 * step;
      return [x + jx, y + jy];
    }),
  );
  const grids: GridGeometry[] = [];
  const islands: Position[][] = [];
  for (let i = 0; i < columns; i++) {
    for (let j = 0; j < rows; j++) {
      const shell = [
        vertex[i]![j]!,
        vertex[i + 1]![j]!,
        vertex[i + 1]![j + 1]!,
        vertex[i]![j + 1]!,
        vertex[i]![j]!,
      ];
      if ((i * 7 + j * 3) % 5 !== 0) {
        grids.push({ type: 'Polygon', coordinates: [shell] });
        continue;
      }
      const [cx, cy] = at(i + 0.5, j + 0.5);
      const island: Position[] = [
        [cx - 0.0004, cy - 0.00031],
        [cx + 0.00037, cy - 0.0004],
        [cx + 0.0004, cy + 0.00033],
        [cx - 0.00029, cy + 0.0004],
        [cx - 0.0004, cy - 0.00031],
      ];
      grids.push({ type: 'Polygon', coordinates: [shell, [...island].reverse()] });
      islands.push(island);
    }
  }
  for (let k = 0; k < islands.length; k += 2) {
    const parts = islands.slice(k, k + 2).map((ring) => [ring]);
    grids.push({ type: 'MultiPolygon', coordinates: parts });
  }
  return { grids, minX: at(0, 0)[0], minY: at(0, 0)[1], maxX: at(columns, 0)[0], maxY: at(0, rows)[1] };
}

/**
 * The doubles a few units in the last place around a point: some lie closer to an edge through it
 * than rounding can resolve, where neighbours computing the edge differently would disagree.
 */
function ulpNeighbours([x, y]: Position, reach = 3): Position[] {
  const ulp = (v: number) => 2 ** (Math.floor(Math.log2(Math.abs(v))) - 52);
  const out: Position[] = [];
  for (let i = -reach; i <= reach; i++) {
    for (let j = -reach; j <= reach; j++) out.push([x + i * ulp(x), y + j * ulp(y)]);
  }
  return out;
}

test('in a jittered tiling with holes and islands every point belongs to exactly one grid', () => {
  const { grids, minX, minY, maxX, maxY } = makeTiling(14, 11, 7);
  const probes: Position[] = [];
  for (const g of grids) {
    for (const polygon of g.type === 'Polygon' ? [g.coordinates] : g.coordinates) {
      for (const ring of polygon) {
        for (let k = 0; k < ring.length - 1; k++) {
          const [a, b] = [ring[k]!, ring[k + 1]!];
          probes.push(a, [(a[0] * 2 + b[0]) / 3, (a[1] * 2 + b[1]) / 3]);
          probes.push(...ulpNeighbours([(a[0] + b[0]) / 2, (a[1] + b[1]) / 2]));
          // Rays through a vertex: the trap for crossing counts.
          probes.push([minX + (maxX - minX) * 0.37, a[1]], [a[0] - 1e-9, a[1]], [a[0], a[1] + 1e-12]);
        }
      }
    }
  }
  const random = makeRandom(11);
  for (let k = 0; k < 5000; k++) {
    probes.push([minX + random() * (maxX - minX), minY + random() * (maxY - minY)]);
  }
  for (const [x, y] of probes) {
    const expected = x >= minX && x < maxX && y >= minY && y < maxY ? 1 : 0;
    const owners = ownersOf(grids, x, y);
    assert.equal(owners.length, expected, `point ${x},${y} belongs to grids [${owners.join(', ')}]`);
  }
});

test('grids that share an edge, even one split at a T-junction, do not overlap', () => {
  assert.equal(overlapsInterior(box(0, 0, 1, 1), box(1, 0, 2, 1)), false);
  const tall = box(1, 0, 2, 2);
  const left: GridGeometry = { type: 'Polygon', coordinates: [ring('0 0, 1 0, 1 1, 1 2, 0 2, 0 0')] };
  assert.equal(overlapsInterior(left, tall), false);
});

test('grids that touch only at a corner do not overlap', () => {
  assert.equal(overlapsInterior(box(0, 0, 1, 1), box(1, 1, 2, 2)), false);
  const diamond: GridGeometry = { type: 'Polygon', coordinates: [ring('1 0.5, 1.5 0, 2 0.5, 1.5 1, 1 0.5')] };
  assert.equal(overlapsInterior(box(0, 0, 1, 1), diamond), false);
});

test('a grid inside another, identical grids and partly covering grids overlap', () => {
  assert.equal(overlapsInterior(box(0, 0, 4, 4), box(1, 1, 2, 2)), true);
  assert.equal(overlapsInterior(box(116.3, 39.9, 116.31, 39.91), box(116.3, 39.9, 116.31, 39.91)), true);
  assert.equal(overlapsInterior(box(0, 0, 2, 2), box(1, 1, 3, 3)), true);
});

test('an island in a hole does not overlap the grid around the hole', () => {
  const holed: GridGeometry = {
    type: 'Polygon',
    coordinates: [rect(0, 0, 4, 4), rect(1, 1, 3, 3).reverse()],
  };
  assert.equal(overlapsInterior(holed, box(1, 1, 3, 3)), false);
  assert.equal(overlapsInterior(holed, box(0.5, 0.5, 3, 3)), true);
});

test('grids far apart do not overlap', () => {
  assert.equal(overlapsInterior(box(0, 0, 1, 1), box(5, 5, 6, 6)), false);
});

test('area subtracts holes', () => {
  const holed: GridGeometry = {
    type: 'Polygon',
    coordinates: [rect(0, 0, 4, 4), rect(1, 1, 3, 3).reverse()],
  };
  assert.equal(polygonArea(holed), 12);
});
