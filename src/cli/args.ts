import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { Size } from '../core/annotate/geometry.ts';
import { MAX_GRID_SIDE, parseGridSize } from '../core/dataset/grid.ts';

/** A usage mistake (unknown option, missing or malformed value): exit code 2 with the help text. */
export class UsageError extends Error {}

type Options = NonNullable<ParseArgsConfig['options']>;

/** node:util parseArgs in strict mode, with its errors turned into UsageError. */
export function parseCommandArgs<O extends Options>(args: string[], options: O) {
  try {
    return parseArgs({ args, options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

/** A positive integer option value, or a UsageError naming the option. */
export function positiveInt(name: string, value: string, max = 1_000_000): number {
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > max) throw new UsageError(`--${name} must be an integer from 1 to ${max}, got "${value}"`);
  return Number(value);
}

/** --heatmap-size: `512` (square) or `WxH`, in grid cells (core's parseGridSize). */
export function gridSize(value: string): Size {
  const grid = parseGridSize(value);
  if (!grid) throw new UsageError(`--heatmap-size must be N or WxH with sizes from 1 to ${MAX_GRID_SIDE}, got "${value}"`);
  return grid;
}
