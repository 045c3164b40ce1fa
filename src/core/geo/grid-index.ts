import Flatbush from 'flatbush';
import { crossesEastward, geometryBounds, listPolygons } from './geometry.ts';
import type { Bounds, GridGeometry } from './geometry.ts';

export interface IndexedGrid {
  code: string;
  geometry: GridGeometry;
}

/** At most this many buckets per grid, so a few huge grids cannot blow up the bucket table. */
const BUCKETS_PER_GRID = 4;
/** A bucket listing more grids than this (grids clustered in a few towns) defers to the R-tree. */
const BUCKET_SCAN_LIMIT = 24;
/** A bucket entry: the grid's box, its number and where its record starts. */
const ENTRY = 6;

/**
 * Finds which grid (网格) a point falls in. Built once from validated, non-overlapping grids and
 * then read-only; rebuild it when grids change.
 *
 * Lookups are bound by memory latency, not arithmetic: on 100,000 grids a walk of the packed
 * R-tree alone managed about 1.3 million a second, and flat arrays scattered by grid about as
 * much. So the layout minimises cache lines touched per lookup: a uniform bucket grid whose
 * buckets copy the boxes of the grids they list, then one contiguous record per grid
 * `[ringCount, ringLength…, x0, y0, x1, y1…]` (closing positions dropped; the loop wraps). Where
 * grids are so unevenly spread that a bucket would list too many, the lookup walks a Flatbush
 * R-tree instead.
 *
 * Grids are numbered in code order, so the lowest-numbered grid containing a point has the
 * smallest code.
 */
export class GridIndex {
  readonly #records: Float64Array;
  readonly #recordStart: Uint32Array;
  readonly #codes: string[];
  readonly #tree: Flatbush | undefined;
  readonly #buckets: Buckets;
  /** Depth-first traversal stack, reused by every tree walk so `locate` allocates nothing. */
  readonly #stackPos: Int32Array;
  readonly #stackLevel: Int32Array;

  private constructor(items: readonly IndexedGrid[]) {
    const sorted = [...items].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
    this.#codes = sorted.map((item) => item.code);
    this.#recordStart = new Uint32Array(sorted.length + 1);
    let length = 0;
    for (const [g, { geometry }] of sorted.entries()) {
      this.#recordStart[g] = length;
      length++;
      for (const polygon of listPolygons(geometry)) {
        for (const ring of polygon) length += 1 + (ring.length - 1) * 2;
      }
    }
    this.#recordStart[sorted.length] = length;
    this.#records = new Float64Array(length);
    const boxes = new Float64Array(sorted.length * 4);
    for (const [g, { geometry }] of sorted.entries()) {
      const b = geometryBounds(geometry);
      boxes[g * 4] = b.minX;
      boxes[g * 4 + 1] = b.minY;
      boxes[g * 4 + 2] = b.maxX;
      boxes[g * 4 + 3] = b.maxY;
      const rings = listPolygons(geometry).flat();
      let at = this.#recordStart[g]!;
      this.#records[at++] = rings.length;
      for (const ring of rings) this.#records[at++] = ring.length - 1;
      for (const ring of rings) {
        for (let i = 0; i < ring.length - 1; i++) {
          this.#records[at++] = ring[i]![0];
          this.#records[at++] = ring[i]![1];
        }
      }
    }

    if (sorted.length > 0) {
      const tree = new Flatbush(sorted.length);
      for (let g = 0; g < sorted.length; g++) {
        tree.add(boxes[g * 4]!, boxes[g * 4 + 1]!, boxes[g * 4 + 2]!, boxes[g * 4 + 3]!);
      }
      tree.finish();
      this.#tree = tree;
    }
    this.#buckets = bucketGrids(boxes, this.#recordStart);
    const stackSize = ((this.#tree?._levelBounds.length ?? 0) + 1) * (this.#tree?.nodeSize ?? 1);
    this.#stackPos = new Int32Array(stackSize);
    this.#stackLevel = new Int32Array(stackSize);
  }

  /** Builds the index; grids are expected to be validated and not to overlap. */
  static build(items: readonly IndexedGrid[]): GridIndex {
    return new GridIndex(items);
  }

  get size(): number {
    return this.#codes.length;
  }

  /**
   * The code of the grid containing the point, by the boundary rule of `containsPoint` (a point on
   * a shared edge belongs to exactly one grid). Should overlapping grids slip in, the smallest code
   * wins, so the answer never depends on build order.
   */
  locate(lon: number, lat: number): string | undefined {
    const k = this.#buckets;
    if (!(lon >= k.minX && lon <= k.maxX && lat >= k.minY && lat <= k.maxY)) return undefined;
    const column = Math.min(Math.floor((lon - k.minX) * k.perX), k.columns - 1);
    const row = Math.min(Math.floor((lat - k.minY) * k.perY), k.rows - 1);
    const bucket = row * k.columns + column;
    const first = k.start[bucket]!;
    const end = k.start[bucket + 1]!;
    if (end - first > BUCKET_SCAN_LIMIT) return this.#walkTree(lon, lat);
    const entries = k.entries;
    for (let at = first * ENTRY; at < end * ENTRY; at += ENTRY) {
      if (lon < entries[at]! || lat < entries[at + 1]! || lon > entries[at + 2]! || lat > entries[at + 3]!) {
        continue;
      }
      // Every grid containing the point is listed in its bucket, in grid-number order: first wins.
      if (this.#recordContains(entries[at + 5]!, lon, lat)) return this.#codes[entries[at + 4]!];
    }
    return undefined;
  }

  /** Codes of grids whose bounding box meets `bounds`: the only ones an imported grid can overlap. */
  candidates(bounds: Bounds): string[] {
    if (this.#tree === undefined) return [];
    const found = this.#tree.search(bounds.minX, bounds.minY, bounds.maxX, bounds.maxY);
    return found.sort((a, b) => a - b).map((g) => this.#codes[g]!);
  }

  /**
   * `locate` through the R-tree. Flatbush's own `search` allocates a queue and a result array per
   * call; this walks its packed arrays (the layout `Flatbush.from` reads, exposed in its typings).
   */
  #walkTree(lon: number, lat: number): string | undefined {
    const tree = this.#tree!;
    const boxes = tree._boxes;
    const indices = tree._indices;
    const levelEnds = tree._levelBounds;
    const stackPos = this.#stackPos;
    const stackLevel = this.#stackLevel;
    const nodeSize4 = tree.nodeSize * 4;
    const leafEnd = tree.numItems * 4;
    let best = -1;
    stackPos[0] = boxes.length - 4;
    stackLevel[0] = levelEnds.length - 1;
    let top = 1;
    while (top > 0) {
      top--;
      const node = stackPos[top]!;
      const level = stackLevel[top]!;
      const end = Math.min(node + nodeSize4, levelEnds[level]!);
      for (let pos = node; pos < end; pos += 4) {
        if (lon < boxes[pos]! || lat < boxes[pos + 1]! || lon > boxes[pos + 2]! || lat > boxes[pos + 3]!) {
          continue;
        }
        const child = indices[pos >> 2]!;
        if (node >= leafEnd) {
          stackPos[top] = child;
          stackLevel[top] = level - 1;
          top++;
        } else if ((best < 0 || child < best) && this.#recordContains(this.#recordStart[child]!, lon, lat)) {
          best = child;
        }
      }
    }
    return best < 0 ? undefined : this.#codes[best];
  }

  /** `containsPoint` over one grid's record; it must stay the same arithmetic, edge for edge. */
  #recordContains(record: number, px: number, py: number): boolean {
    const r = this.#records;
    const ringCount = r[record]!;
    let at = record + 1 + ringCount;
    let inside = false;
    for (let ring = 1; ring <= ringCount; ring++) {
      const end = at + r[record + ring]! * 2;
      let ax = r[end - 2]!;
      let ay = r[end - 1]!;
      for (; at < end; at += 2) {
        const bx = r[at]!;
        const by = r[at + 1]!;
        if (crossesEastward(ax, ay, bx, by, px, py)) inside = !inside;
        ax = bx;
        ay = by;
      }
    }
    return inside;
  }
}

/** A uniform grid of buckets over all grids' extent; bucket b holds entries start[b] .. start[b + 1] - 1. */
interface Buckets {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
  columns: number;
  rows: number;
  /** Buckets per degree, so a lookup multiplies instead of divides. */
  perX: number;
  perY: number;
  start: Uint32Array;
  entries: Float64Array;
}

function bucketGrids(boxes: Float64Array, recordStart: Uint32Array): Buckets {
  const count = boxes.length / 4;
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  const widths = new Float64Array(count);
  const heights = new Float64Array(count);
  for (let g = 0; g < count; g++) {
    minX = Math.min(minX, boxes[g * 4]!);
    minY = Math.min(minY, boxes[g * 4 + 1]!);
    maxX = Math.max(maxX, boxes[g * 4 + 2]!);
    maxY = Math.max(maxY, boxes[g * 4 + 3]!);
    widths[g] = boxes[g * 4 + 2]! - boxes[g * 4]!;
    heights[g] = boxes[g * 4 + 3]! - boxes[g * 4 + 1]!;
  }
  // A bucket the size of a median grid's box: most grids then meet at most four buckets.
  const width = maxX - minX;
  const height = maxY - minY;
  let columns = Math.max(1, Math.ceil(width / (median(widths) || width || 1)));
  let rows = Math.max(1, Math.ceil(height / (median(heights) || height || 1)));
  const cap = Math.max(1, count * BUCKETS_PER_GRID);
  if (columns * rows > cap) {
    const shrink = Math.sqrt(cap / (columns * rows));
    columns = Math.max(1, Math.floor(columns * shrink));
    rows = Math.max(1, Math.floor(rows * shrink));
  }
  const perX = width > 0 ? columns / width : 0;
  const perY = height > 0 ? rows / height : 0;
  // The same expressions as `locate`; floor and rounding are monotonic, so a point inside a
  // grid's box always lands in a bucket that lists the grid.
  const spanOf = (g: number) => ({
    c0: Math.min(Math.floor((boxes[g * 4]! - minX) * perX), columns - 1),
    r0: Math.min(Math.floor((boxes[g * 4 + 1]! - minY) * perY), rows - 1),
    c1: Math.min(Math.floor((boxes[g * 4 + 2]! - minX) * perX), columns - 1),
    r1: Math.min(Math.floor((boxes[g * 4 + 3]! - minY) * perY), rows - 1),
  });
  const start = new Uint32Array(columns * rows + 1);
  for (let g = 0; g < count; g++) {
    const { c0, r0, c1, r1 } = spanOf(g);
    for (let r = r0; r <= r1; r++) for (let c = c0; c <= c1; c++) start[r * columns + c + 1]!++;
  }
  for (let b = 0; b < columns * rows; b++) start[b + 1]! += start[b]!;
  const entries = new Float64Array(start[columns * rows]! * ENTRY);
  const fill = start.slice(0, columns * rows);
  for (let g = 0; g < count; g++) {
    const { c0, r0, c1, r1 } = spanOf(g);
    for (let r = r0; r <= r1; r++) {
      for (let c = c0; c <= c1; c++) {
        const at = fill[r * columns + c]!++ * ENTRY;
        for (let k = 0; k < 4; k++) entries[at + k] = boxes[g * 4 + k]!;
        entries[at + 4] = g;
        entries[at + 5] = recordStart[g]!;
      }
    }
  }
  return { minX, minY, maxX, maxY, columns, rows, perX, perY, start, entries };
}

function median(values: Float64Array): number {
  return values.length === 0 ? 0 : values.slice().sort()[values.length >> 1]!;
}
