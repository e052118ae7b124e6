/**
 * Disc maps for the quality model: an answer's points as RichHF-18K discs (radius H / 20 image
 * pixels, the exact cell rule of dataset/heatmap.ts) on a coarse grid, and the two figures read
 * from them: area overlap with a reference (gold), and correlation with the other annotators'
 * mean map.
 *
 * The grid has square cells of H / 64 image pixels (the disc radius is 3.2 cells, a disc about
 * 32 cells of area): 64 rows and round(64 W / H) columns (at least 1, at most 4096), so every
 * cell stands for the same image area and counting cells measures area. A map holds both kinds
 * of point side by side: 2 * Gw * Gh cells (artifact cells first, then misalignment), 1 where
 * the annotator's union of discs of that kind covers the cell. A misalignment disc therefore
 * never overlaps an artifact disc: marking the right place with the wrong kind is not agreement.
 *
 * Maps are sparse (a few discs on thousands of cells), so a map is kept as the ascending list
 * of its covered cells, and every figure is computed from those lists.
 */
import { POINT_KINDS, type PointKind } from '../formats/names.ts';
import type { GridSize, ImageSize } from '../annotate/geometry.ts';
import { discCells, type XY } from '../dataset/heatmap.ts';
import { gridSize, MAX_GRID_SIDE } from '../dataset/grid.ts';

/**
 * Rows of the quality grid: a disc (diameter H / 10) is 6.4 cells tall, enough to tell a disc on
 * a region from one beside it.
 */
export const QUALITY_ROWS = 64;

/** The quality grid of a W x H image (image pixels): square cells, QUALITY_ROWS rows. */
export function qualityGrid(width: number, height: number, rows = QUALITY_ROWS): GridSize {
  return gridSize(Math.max(1, Math.min(MAX_GRID_SIDE, Math.round((rows * width) / height))), rows);
}

export interface Marked extends XY {
  readonly kind: PointKind;
}

/** A map: its covered cells, ascending, in [0, 2 * Gw * Gh); null for a map that covers nothing. */
export type DiscMap = Int32Array | null;

/** An answer's map (see the file comment) on `grid`; null when it covers no cell (no points). */
export function discMap(points: readonly Marked[], image: ImageSize, grid: GridSize): DiscMap {
  if (points.length === 0) return null;
  const cells = grid.width * grid.height;
  const parts = POINT_KINDS.map((kind, k) => {
    const mine = points.filter((p) => p.kind === kind);
    const list = mine.length > 0 ? discCells(mine, image, grid) : new Int32Array(0);
    if (k > 0) for (let i = 0; i < list.length; i++) list[i]! += k * cells;
    return list;
  });
  const n = parts.reduce((sum, p) => sum + p.length, 0);
  if (n === 0) return null;
  const out = new Int32Array(n);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** |A ∩ B| of two maps (a merge of their sorted lists). */
function common(a: DiscMap, b: DiscMap): number {
  if (!a || !b) return 0;
  let n = 0;
  for (let i = 0, j = 0; i < a.length && j < b.length;) {
    if (a[i]! < b[j]!) i++;
    else if (a[i]! > b[j]!) j++;
    else {
      n++;
      i++;
      j++;
    }
  }
  return n;
}

/** Precision, recall and F1 of area; a figure is null where its denominator is zero (see areaOverlap). */
export interface AreaOverlap {
  readonly precision: number | null;
  readonly recall: number | null;
  readonly f1: number;
}

/**
 * The annotator's covered area A against the reference's G (cells, both kinds): precision
 * |A ∩ G| / |A|, recall |A ∩ G| / |G|, F1 2|A ∩ G| / (|A| + |G|). Both empty is full agreement
 * (1, 1, 1: nothing to mark, nothing marked); one empty leaves the other's ratio undefined
 * (null) and F1 0.
 */
export function areaOverlap(own: DiscMap, reference: DiscMap): AreaOverlap {
  const a = own?.length ?? 0;
  const g = reference?.length ?? 0;
  if (a === 0 && g === 0) return { precision: 1, recall: 1, f1: 1 };
  const both = common(own, reference);
  return { precision: a > 0 ? both / a : null, recall: g > 0 ? both / g : null, f1: (2 * both) / (a + g) };
}

/** Per-cell counts of an item's maps, reused from item to item (cleared where it was written). */
let counts = new Uint16Array(0);

/**
 * Leave-one-out correlation: for each map i, the Pearson correlation (CC, the paper's heatmap
 * metric) of map i (0/1 over `cells` cells) with the mean of the other peers' maps (peer[j]: map
 * j is a reference; the mean's scale does not change a correlation). null when neither side
 * covers a cell (nothing to compare); 0 when only one side does (the correlation is undefined,
 * one side being constant: the annotator marked what nobody else did, or nothing where others
 * marked); null as well for a map with no other peer.
 *
 * With x the own map and y the others' sum, over n cells: CC = (n Σxy - Σx Σy) /
 * sqrt((n Σx² - (Σx)²) (n Σy² - (Σy)²)), where x is 0/1 so Σx² = Σx; the others' sum is the
 * peers' total minus the own map for a peer, so every sum comes from the lists and the totals,
 * in integers (exact) up to the final square root and division.
 */
export function leaveOneOutCC(maps: readonly DiscMap[], peer: readonly boolean[], cells: number): (number | null)[] {
  if (counts.length < cells) counts = new Uint16Array(cells);
  let total = 0; // Σ over cells of the peers' total
  let totalSq = 0; // Σ over cells of the total squared
  for (let j = 0; j < maps.length; j++) {
    const m = maps[j];
    if (!peer[j] || !m) continue;
    for (let i = 0; i < m.length; i++) {
      const c = counts[m[i]!]!;
      totalSq += 2 * c + 1; // (c + 1)^2 - c^2
      counts[m[i]!] = c + 1;
    }
    total += m.length;
  }
  const peers = peer.filter(Boolean).length;
  const out = maps.map((own, j): number | null => {
    if (peers - (peer[j] ? 1 : 0) === 0) return null;
    const sx = own?.length ?? 0;
    let onOwn = 0; // Σ over the own cells of the total
    if (own) for (let i = 0; i < own.length; i++) onOwn += counts[own[i]!]!;
    const self = peer[j] ? 1 : 0;
    const sy = total - self * sx;
    const syy = totalSq - self * (2 * onOwn - sx); // Σ (t - x)^2 = Σ t^2 - 2 Σ t x + Σ x
    const sxy = onOwn - self * sx;
    if (sx === 0 && sy === 0) return null;
    const vx = cells * sx - sx * sx;
    const vy = cells * syy - sy * sy;
    if (vx === 0 || vy === 0) return 0;
    return Math.max(-1, Math.min(1, (cells * sxy - sx * sy) / Math.sqrt(vx * vy)));
  });
  for (let j = 0; j < maps.length; j++) {
    const m = maps[j];
    if (peer[j] && m) for (let i = 0; i < m.length; i++) counts[m[i]!] = 0;
  }
  return out;
}
