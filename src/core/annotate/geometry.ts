/**
 * Coordinate spaces, kept apart by branded types:
 * - ImagePoint: pixels of the original image, origin top-left, x right, y down. Points are
 *   stored and exported in this space, whatever the zoom.
 * - StagePoint: CSS pixels of the canvas element, origin top-left.
 * - GridSize: a heatmap's size in grid cells (dataset/grid.ts makes them); an ImageSize is any
 *   size but a grid's, so neither can be passed for the other.
 * A Viewport maps image to stage: stage = image * scale + offset.
 */
declare const imageBrand: unique symbol;

/**
 * A width and a height, in the units of what it measures: image pixels (an image), stage
 * pixels (the canvas) or grid cells (a heatmap). The one size type of the code base; where
 * images and heatmaps meet (dataset/), GridSize and ImageSize below tell the two apart.
 */
export interface Size {
  readonly width: number;
  readonly height: number;
}

declare const stageBrand: unique symbol;
declare const gridBrand: unique symbol;
/** A heatmap's width and height, in grid cells (Wg x Hg). */
export type GridSize = Size & { readonly [gridBrand]: true };
/** An image's width and height, in image pixels: a plain Size, never a GridSize. */
export type ImageSize = Size & { readonly [gridBrand]?: never };
export type ImagePoint = { readonly x: number; readonly y: number; readonly [imageBrand]: true };
export type StagePoint = { readonly x: number; readonly y: number; readonly [stageBrand]: true };

export const imagePoint = (x: number, y: number): ImagePoint => ({ x, y }) as ImagePoint;
export const stagePoint = (x: number, y: number): StagePoint => ({ x, y }) as StagePoint;

export interface Viewport {
  /** Stage pixels per image pixel. */
  readonly scale: number;
  /** Stage position of the image's top-left corner. */
  readonly x: number;
  readonly y: number;
}

export const MIN_SCALE = 0.05;
export const MAX_SCALE = 40;

export function toImage(v: Viewport, p: StagePoint): ImagePoint {
  return imagePoint((p.x - v.x) / v.scale, (p.y - v.y) / v.scale);
}

export function toStage(v: Viewport, p: ImagePoint): StagePoint {
  return stagePoint(p.x * v.scale + v.x, p.y * v.scale + v.y);
}

/** The viewport that shows the whole image centred in the stage, with `margin` stage pixels around it. */
export function fitViewport(imageW: number, imageH: number, stageW: number, stageH: number, margin = 8): Viewport {
  const scale = clampScale(Math.min((stageW - 2 * margin) / imageW, (stageH - 2 * margin) / imageH));
  return { scale, x: (stageW - imageW * scale) / 2, y: (stageH - imageH * scale) / 2 };
}

export function clampScale(s: number): number {
  if (!Number.isFinite(s) || s <= 0) return MIN_SCALE;
  return Math.min(MAX_SCALE, Math.max(MIN_SCALE, s));
}

/** Zoom by `factor` keeping the image point under `anchor` (a stage point) where it is. */
export function zoomAt(v: Viewport, anchor: StagePoint, factor: number): Viewport {
  const scale = clampScale(v.scale * factor);
  const p = toImage(v, anchor);
  return { scale, x: anchor.x - p.x * scale, y: anchor.y - p.y * scale };
}

export function panBy(v: Viewport, dx: number, dy: number): Viewport {
  return { scale: v.scale, x: v.x + dx, y: v.y + dy };
}

/** RichHF-18K's "effective radius" of a clicked point (image height / 20), the heatmaps' own. */
export { discRadius } from '../dataset/heatmap.ts';

/**
 * The index of the point whose disc contains `p` and whose centre is nearest to it, or -1.
 * Done in image pixels, so the answer does not depend on zoom. Ties go to the later point
 * (drawn on top).
 */
export function hitTest(points: readonly { x: number; y: number }[], p: ImagePoint, radius: number): number {
  let best = -1;
  let bestD = Infinity;
  const r2 = radius * radius;
  for (let i = 0; i < points.length; i++) {
    const q = points[i]!;
    const d = (q.x - p.x) ** 2 + (q.y - p.y) ** 2;
    if (d <= r2 && d <= bestD) {
      best = i;
      bestD = d;
    }
  }
  return best;
}

/** Clamp an image point into [0, W] x [0, H] (points must lie on the image). */
export function clampToImage(p: { x: number; y: number }, w: number, h: number): ImagePoint {
  return imagePoint(Math.min(w, Math.max(0, p.x)), Math.min(h, Math.max(0, p.y)));
}

export function isInsideImage(p: { x: number; y: number }, w: number, h: number): boolean {
  return p.x >= 0 && p.x <= w && p.y >= 0 && p.y <= h;
}
