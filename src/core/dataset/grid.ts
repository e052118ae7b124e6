import type { GridSize, Size } from '../annotate/geometry.ts';

/**
 * Heatmap grids: their size limit, RichHF-18K's default, and the one parser of grid sizes
 * written by people. A file of its own so that the review page can read its setting without
 * loading the engine.
 */

/**
 * The largest heatmap side, in grid cells: the one limit of the command line's --heatmap-size,
 * the review page's setting and the engine. 4096 x 4096 is also the largest map the dataset
 * readers decode (pngDecode.ts MAX_PNG_PIXELS), so every dataset written can be read back.
 */
export const MAX_GRID_SIDE = 4096;

/** A grid of `width` x `height` cells (not checked: isGridSize is). */
export function gridSize(width: number, height: number): GridSize {
  return { width, height } as GridSize;
}

/** RichHF-18K's heatmaps: 512 x 512 cells. */
export const DEFAULT_GRID = gridSize(512, 512);

const GRID_TEXT = /^\s*(\d{1,5})(?:\s*[xX]\s*(\d{1,5}))?\s*$/;

/**
 * A heatmap grid as written by people: "512" (square) or "640x480" (width x height, in grid
 * cells), sides from 1 to MAX_GRID_SIDE; null for anything else. The command line's
 * --heatmap-size and the review page's setting both read it here.
 */
export function parseGridSize(text: string): GridSize | null {
  const m = GRID_TEXT.exec(text);
  if (!m) return null;
  const width = Number(m[1]);
  const height = m[2] === undefined ? width : Number(m[2]);
  return isGridSize({ width, height }) ? gridSize(width, height) : null;
}

export function isGridSize(grid: Size): boolean {
  return Number.isInteger(grid.width) && Number.isInteger(grid.height) && grid.width >= 1 && grid.width <= MAX_GRID_SIDE && grid.height >= 1 && grid.height <= MAX_GRID_SIDE;
}
