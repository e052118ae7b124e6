/**
 * Disc heatmaps, RichHF-18K style. Two coordinate spaces meet here:
 * - image pixels: points (x, y) as annotated, origin top-left, in [0, W] x [0, H];
 * - grid cells: the heatmap, Wg x Hg cells, row-major, cell (c, r) at index r * Wg + c.
 * Cell (c, r) stands for the image point u = (c + 0.5) * W / Wg, v = (r + 0.5) * H / Hg and
 * is covered by a point iff (u - x)^2 + (v - y)^2 <= R^2 with R = H / 20 (image pixels).
 * Every expression below is evaluated in exactly that order in doubles, because other tools
 * check the maps bit for bit; only the loop bounds are an optimisation (a disc's bounding
 * box, widened by one cell so that rounding can never drop a covered cell).
 */
import type { GridSize, ImageSize } from '../annotate/geometry.ts';
import { isGridSize, MAX_GRID_SIDE } from './grid.ts';
import type { RunsBuilder } from '../encode/zlibRle.ts';

export interface XY {
  readonly x: number;
  readonly y: number;
}

/** RichHF-18K's effective radius: the image height over 20, in image pixels. */
export function discRadius(imageHeight: number): number {
  return imageHeight / 20;
}

/** Image coordinate of the centre of grid cell `cell` along one axis. */
function cellCentre(cell: number, imageExtent: number, gridExtent: number): number {
  return ((cell + 0.5) * imageExtent) / gridExtent;
}

/** Inclusive range of cells whose centre may lie within `radius` of `centre` (one axis). */
function cellRange(centre: number, radius: number, imageExtent: number, gridExtent: number): [number, number] {
  const lo = Math.floor(((centre - radius) * gridExtent) / imageExtent - 0.5) - 1;
  const hi = Math.ceil(((centre + radius) * gridExtent) / imageExtent - 0.5) + 1;
  return [Math.max(0, lo), Math.min(gridExtent - 1, hi)];
}

/** The last few centres() asked for: items of one dataset mostly share one image size and grid. */
const centreCache = new Map<string, Float64Array>();

/** Cell centres along one axis, in image pixels (the same doubles cellCentre gives). */
function centres(imageExtent: number, gridExtent: number): Float64Array {
  const key = `${imageExtent}/${gridExtent}`;
  let out = centreCache.get(key);
  if (out) return out;
  out = new Float64Array(gridExtent);
  for (let i = 0; i < gridExtent; i++) out[i] = cellCentre(i, imageExtent, gridExtent);
  if (centreCache.size >= 16) centreCache.clear();
  centreCache.set(key, out);
  return out;
}

/** Spans pack (row, a, b) as numbers below SPAN_BITS (> MAX_GRID_SIDE) into one exact double. */
const SPAN_BITS = 2 ** 13;

function checkGrid(grid: GridSize): void {
  if (!isGridSize(grid)) throw new RangeError(`heatmap grids are 1 to ${MAX_GRID_SIDE} cells a side, got ${grid.width}x${grid.height}`);
}

/** x squared as x * x (the rule's own expression; ** 2 is not guaranteed to round the same). */
function sq(d: number): number {
  return d * d;
}

/**
 * The covered cells of one disc, row by row: for each row r from r0 to r1 (returned), the
 * covered columns [a, b] go to spanA / spanB at index `at + r - r0`, or a = -1 when the row
 * has none. Each row's covered cells are contiguous: u grows with c, and rounding is
 * monotone, so (u - x)^2 + dy^2 <= R^2 holds on one interval of c. The span ends are first
 * estimated from the circle (x -+ sqrt(R^2 - dy^2)), then settled by the exact rule on the
 * cells next to the estimate; the estimate is never off by more than a cell, and if it ever
 * were, the row's bounding box is scanned as a fallback.
 */
function discRowSpans(p: XY, image: ImageSize, grid: GridSize, us: Float64Array, vs: Float64Array, spanA: Int32Array, spanB: Int32Array, at: number): [number, number] {
  const R = discRadius(image.height);
  const R2 = R * R;
  const [c0, c1] = cellRange(p.x, R, image.width, grid.width);
  const [r0, r1] = cellRange(p.y, R, image.height, grid.height);
  const perPixel = grid.width / image.width;
  const px = p.x;
  for (let r = r0; r <= r1; r++) {
    const k = at + r - r0;
    spanA[k] = -1;
    const dy = vs[r]! - p.y;
    const dy2 = dy * dy;
    if (dy2 > R2) continue;
    const half = Math.sqrt(R2 - dy2);
    // Covered: sq(us[c] - px) + dy2 <= R2, the rule above (written out: a closure per row costs more than the rest).
    let a = Math.ceil((px - half) * perPixel - 0.5);
    a = a < c0 ? c0 : a > c1 ? c1 : a;
    while (a > c0 && sq(us[a - 1]! - px) + dy2 <= R2) a--;
    while (a <= c1 && !(sq(us[a]! - px) + dy2 <= R2)) a++;
    if (a > c1) {
      // No covered cell near the estimate: scan the whole box (never needed in practice).
      for (a = c0; a <= c1 && !(sq(us[a]! - px) + dy2 <= R2); a++);
      if (a > c1) continue;
    }
    let b = Math.floor((px + half) * perPixel - 0.5);
    b = b < a ? a : b > c1 ? c1 : b;
    while (b < c1 && sq(us[b + 1]! - px) + dy2 <= R2) b++;
    while (!(sq(us[b]! - px) + dy2 <= R2)) b--;
    spanA[k] = a;
    spanB[k] = b;
  }
  return [r0, r1];
}

/** Reused span scratch: one (a, b) per disc row, with scanlineRuns' annotator number and next entry of the row. */
let spanA = new Int32Array(4096);
let spanB = new Int32Array(4096);
let spanOwner = new Int32Array(4096);
let spanNext = new Int32Array(4096);

function ensureSpans(n: number): void {
  if (n <= spanA.length) return;
  const size = Math.max(n, spanA.length * 2);
  const grow = (old: Int32Array) => {
    const next = new Int32Array(size);
    next.set(old);
    return next;
  };
  spanA = grow(spanA);
  spanB = grow(spanB);
  spanOwner = grow(spanOwner);
  spanNext = grow(spanNext);
}

/** The disc's spans pushed to `out` packed as (row * 2^13 + a) * 2^13 + b, in row order. */
function discSpans(p: XY, image: ImageSize, grid: GridSize, us: Float64Array, vs: Float64Array, out: number[]): void {
  ensureSpans(grid.height);
  const [r0, r1] = discRowSpans(p, image, grid, us, vs, spanA, spanB, 0);
  for (let r = r0; r <= r1; r++) {
    const a = spanA[r - r0]!;
    if (a >= 0) out.push((r * SPAN_BITS + a) * SPAN_BITS + spanB[r - r0]!);
  }
}

/**
 * One annotator's union of discs as disjoint spans, flat (row, a, b) triples in row-major
 * order, each covered cell in exactly one span: overlapping discs of one annotator do not
 * add up.
 */
function unionSpans(points: readonly XY[], image: ImageSize, grid: GridSize, us: Float64Array, vs: Float64Array): number[] {
  const packed: number[] = [];
  for (const p of points) discSpans(p, image, grid, us, vs, packed);
  const keys = Float64Array.from(packed).sort(); // numeric: by row, then a, then b
  const merged: number[] = [];
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    const b = key % SPAN_BITS;
    const ra = (key - b) / SPAN_BITS;
    const a = ra % SPAN_BITS;
    const r = (ra - a) / SPAN_BITS;
    const last = merged.length - 3;
    if (last >= 0 && merged[last] === r && a <= merged[last + 2]! + 1) {
      if (b > merged[last + 2]!) merged[last + 2] = b;
    } else merged.push(r, a, b);
  }
  return merged;
}

/** One annotator's map: the union of their discs, 1 where covered, 0 elsewhere. */
export function rasterizeDiscs(points: readonly XY[], image: ImageSize, grid: GridSize): Uint8Array {
  checkGrid(grid);
  const out = new Uint8Array(grid.width * grid.height);
  const spans = unionSpans(points, image, grid, centres(image.width, grid.width), centres(image.height, grid.height));
  for (let s = 0; s < spans.length; s += 3) {
    const row = spans[s]! * grid.width;
    out.fill(1, row + spans[s + 1]!, row + spans[s + 2]! + 1);
  }
  return out;
}

/**
 * rasterizeDiscs' covered cells as their indices r * Wg + c, ascending, each once: for sparse
 * maps (a few discs on a grid), where a dense map costs more to fill and scan than the discs.
 */
export function discCells(points: readonly XY[], image: ImageSize, grid: GridSize): Int32Array {
  checkGrid(grid);
  const spans = unionSpans(points, image, grid, centres(image.width, grid.width), centres(image.height, grid.height));
  let n = 0;
  for (let s = 0; s < spans.length; s += 3) n += spans[s + 2]! - spans[s + 1]! + 1;
  const out = new Int32Array(n);
  let k = 0;
  for (let s = 0; s < spans.length; s += 3) {
    const row = spans[s]! * grid.width;
    for (let c = spans[s + 1]!; c <= spans[s + 2]!; c++) out[k++] = row + c;
  }
  return out;
}

/**
 * 8-bit level for k of n annotators: round(255 * k / n), halves up, computed in integers as
 * (510 k + n) div (2 n) so that no floating-point error can shift a level.
 */
export function heatmapLevel(k: number, n: number): number {
  return Math.floor((510 * k + n) / (2 * n));
}

/** The levels for k = 0..n, so the per-cell work is one table look-up. */
export function levelTable(n: number): Uint8Array {
  const table = new Uint8Array(n + 1);
  for (let k = 0; k <= n; k++) table[k] = heatmapLevel(k, n);
  return table;
}

export interface Heatmap {
  /** Wg x Hg levels, row-major, top-left origin. */
  readonly gray: Uint8Array;
  /** True when no cell is covered (the map is all zero), so its PNG can be shared. */
  readonly empty: boolean;
}

/** Where cell (c, r) lives in a caller's buffer: index r * stride + offset + c. */
export interface CellLayout {
  readonly stride: number;
  readonly offset: number;
}

/** Which rows rasterizeLevels wrote to (inclusive; rowEnd < rowStart when none). */
export interface WrittenRows {
  readonly empty: boolean;
  readonly rowStart: number;
  readonly rowEnd: number;
}

/**
 * The item's map for one kind of point: the mean of the N annotators' union maps, as 8-bit
 * levels. `annotators[i]` holds annotator i's points of that kind (possibly none: an all-zero
 * map that still counts in N). Works for any N >= 1.
 */
export function combineAnnotators(annotators: readonly (readonly XY[])[], image: ImageSize, grid: GridSize): Heatmap {
  const gray = new Uint8Array(grid.width * grid.height);
  const { empty } = rasterizeLevels(annotators, image, grid, gray);
  return { gray, empty };
}

/**
 * combineAnnotators writing into a caller's zero-filled buffer laid out as `layout` says (e.g.
 * PNG scanlines: stride Wg + 1, offset 1 for the filter byte), so a hot loop can reuse one
 * buffer and clear only the rows written.
 */
export function rasterizeLevels(
  annotators: readonly (readonly XY[])[],
  image: ImageSize,
  grid: GridSize,
  out: Uint8Array,
  layout: CellLayout = { stride: grid.width, offset: 0 },
): WrittenRows {
  const n = annotators.length;
  if (n < 1) throw new Error('a heatmap needs at least one annotator');
  checkGrid(grid);
  let rowStart = grid.height;
  let rowEnd = -1;
  if (annotators.every((points) => points.length === 0)) return { empty: true, rowStart, rowEnd };
  const us = centres(image.width, grid.width);
  const vs = centres(image.height, grid.height);
  const table = levelTable(n);
  // For n <= 255 the levels are strictly increasing in k, so a cell's level identifies its
  // count and one 256-entry table steps it from level(k) to level(k + 1). Above 255 the
  // levels repeat and the counts are kept separately.
  const counts = n > 255 ? new Uint16Array(grid.width * grid.height) : undefined;
  const next = new Uint8Array(256);
  for (let k = 0; k < n; k++) next[table[k]!] = table[k + 1]!;
  const { stride, offset } = layout;
  for (const points of annotators) {
    if (points.length === 0) continue;
    const spans = unionSpans(points, image, grid, us, vs);
    for (let s = 0; s < spans.length; s += 3) {
      const r = spans[s]!;
      if (r < rowStart) rowStart = r;
      if (r > rowEnd) rowEnd = r;
      const a = spans[s + 1]!;
      const b = spans[s + 2]!;
      const base = r * stride + offset;
      if (counts) for (let c = a; c <= b; c++) out[base + c] = table[(counts[r * grid.width + c]! += 1)]!;
      else for (let i = base + a, end = base + b; i <= end; i++) out[i] = next[out[i]!]!;
    }
  }
  return { empty: rowEnd < 0, rowStart, rowEnd };
}

/** Reused event buffer of scanlineRuns: column * 2 + (1 at a span start, 0 after its end). */
let events = new Int32Array(64);
/** Reused scratch of scanlineRuns: each row's first disc-row entry (-1: none), and one row's (annotator, a) keys and b's. */
let rowHead = new Int32Array(512);
let rowKey = new Int32Array(64);
let rowB = new Int32Array(64);

function growRow(): void {
  const key = new Int32Array(rowKey.length * 2);
  const b = new Int32Array(rowKey.length * 2);
  key.set(rowKey);
  b.set(rowB);
  rowKey = key;
  rowB = b;
}

/** Inserts `key` into the sorted first `m` entries of `list` (insertion sort: a row has a few); returns m + 1. */
function insertSorted(list: Int32Array, m: number, key: number): number {
  let j = m;
  while (j > 0 && list[j - 1]! > key) {
    list[j] = list[j - 1]!;
    j--;
  }
  list[j] = key;
  return m + 1;
}

/**
 * rasterizeLevels as PNG scanlines (each row: filter byte 0, then its Wg levels), described as
 * runs of equal bytes in `runs` instead of written cell by cell. A row's level only changes
 * where one annotator's disc union starts or ends, so the work is per span, not per cell, and
 * the map's bytes are never materialized; the levels are rasterizeLevels' exactly.
 */
export function scanlineRuns(annotators: readonly (readonly XY[])[], image: ImageSize, grid: GridSize, runs: RunsBuilder): { readonly empty: boolean } {
  const n = annotators.length;
  if (n < 1) throw new Error('a heatmap needs at least one annotator');
  checkGrid(grid);
  const stride = grid.width + 1;
  const total = stride * grid.height;
  runs.clear();
  const us = centres(image.width, grid.width);
  const vs = centres(image.height, grid.height);
  const table = levelTable(n);
  if (rowHead.length < grid.height) rowHead = new Int32Array(grid.height);
  rowHead.fill(-1, 0, grid.height);
  // Every disc's row spans, each linked into its row's list with its annotator's number, so
  // that a row visits only the discs that cover it.
  let at = 0;
  let minRow = grid.height;
  let maxRow = -1;
  let owner = 0;
  for (const points of annotators) {
    if (points.length === 0) continue;
    for (const p of points) {
      ensureSpans(at + grid.height);
      const [r0, r1] = discRowSpans(p, image, grid, us, vs, spanA, spanB, at);
      for (let r = r0; r <= r1; r++, at++) {
        if (spanA[at]! < 0) continue;
        spanOwner[at] = owner;
        spanNext[at] = rowHead[r]!;
        rowHead[r] = at;
        if (r < minRow) minRow = r;
        if (r > maxRow) maxRow = r;
      }
    }
    owner++;
  }
  let cursor = 0; // bytes described so far
  let level = 0; // the level from `cursor` on
  for (let row = minRow; row <= maxRow; row++) {
    const only = rowHead[row]!;
    if (only < 0) continue;
    if (spanNext[only]! < 0) {
      // One disc covers this row (the common case): one annotator's level on [a, b], 0 around it.
      const start = row * stride + 1 + spanA[only]!;
      runs.push(level, start - cursor);
      runs.push(table[1]!, spanB[only]! - spanA[only]! + 1);
      cursor = start + spanB[only]! - spanA[only]! + 1;
      level = 0;
      continue;
    }
    // The row's intervals sorted by (annotator, start), each annotator's then merged (their overlaps count once).
    let cnt = 0;
    for (let e = rowHead[row]!; e >= 0; e = spanNext[e]!) {
      const key = spanOwner[e]! * SPAN_BITS + spanA[e]!;
      if (cnt === rowKey.length) growRow();
      let j = cnt++;
      while (j > 0 && rowKey[j - 1]! > key) {
        rowKey[j] = rowKey[j - 1]!;
        rowB[j] = rowB[j - 1]!;
        j--;
      }
      rowKey[j] = key;
      rowB[j] = spanB[e]!;
    }
    if (cnt === 0) continue;
    if (2 * cnt > events.length) events = new Int32Array(Math.max(events.length * 2, 2 * cnt));
    let m = 0;
    let a = rowKey[0]! % SPAN_BITS;
    let b = rowB[0]!;
    for (let j = 1; j <= cnt; j++) {
      // The same annotator as the interval before, overlapping or touching it: one interval.
      if (j < cnt && Math.trunc(rowKey[j]! / SPAN_BITS) === Math.trunc(rowKey[j - 1]! / SPAN_BITS) && rowKey[j]! % SPAN_BITS <= b + 1) {
        if (rowB[j]! > b) b = rowB[j]!;
        continue;
      }
      m = insertSorted(events, m, a * 2 + 1);
      m = insertSorted(events, m, (b + 1) * 2);
      if (j < cnt) {
        a = rowKey[j]! % SPAN_BITS;
        b = rowB[j]!;
      }
    }
    const rowStart = row * stride + 1;
    let count = 0;
    for (let e = 0; e < m;) {
      const col = events[e]! >> 1;
      while (e < m && events[e]! >> 1 === col) count += events[e++]! & 1 ? 1 : -1;
      const pos = rowStart + col;
      runs.push(level, pos - cursor);
      cursor = pos;
      level = table[count]!;
    }
  }
  runs.push(level, total - cursor);
  return { empty: maxRow < 0 };
}
