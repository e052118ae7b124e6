import { parseArgs, type ParseArgsConfig } from 'node:util';

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

/** `512` (square) or `WxH`, in grid cells. */
export function gridSize(value: string): { width: number; height: number } {
  const m = /^(\d+)(?:[xX](\d+))?$/.exec(value);
  const width = m ? Number(m[1]) : NaN;
  const height = m ? Number(m[2] ?? m[1]) : NaN;
  if (!(width >= 1 && width <= 8192 && height >= 1 && height <= 8192)) throw new UsageError(`--heatmap-size must be N or WxH with sizes from 1 to 8192, got "${value}"`);
  return { width, height };
}
