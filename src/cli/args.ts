import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { GridSize } from '../core/annotate/geometry.ts';
import { MAX_GRID_SIDE, parseGridSize } from '../core/dataset/grid.ts';
import { EXIT_OK, EXIT_USAGE, type Io } from './io.ts';

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

type ParsedArgs<O extends Options> = ReturnType<typeof parseCommandArgs<O>>;

/**
 * A command's arguments, read the way every command reads them: parseCommandArgs, then `read`
 * turns the values into the command's options (throwing UsageError for a mistake). --help
 * prints `help` (exit 0); a usage mistake prints "richhf NAME: message" and `help` (exit 2).
 * Gives the options, or the exit code to return.
 */
export function readCommandArgs<O extends Options, T>(
  name: string,
  help: string,
  io: Io,
  args: string[],
  options: O,
  read: (parsed: ParsedArgs<O>) => T,
): { ok: true; value: T } | { ok: false; exit: number } {
  try {
    const parsed = parseCommandArgs(args, options);
    if ((parsed.values as { help?: boolean }).help) {
      io.out(help);
      return { ok: false, exit: EXIT_OK };
    }
    return { ok: true, value: read(parsed) };
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.err(`richhf ${name}: ${e.message}\n\n${help}`);
    return { ok: false, exit: EXIT_USAGE };
  }
}

/** A positive integer option value, or a UsageError naming the option. */
export function positiveInt(name: string, value: string, max = 1_000_000): number {
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > max) throw new UsageError(`--${name} must be an integer from 1 to ${max}, got "${value}"`);
  return Number(value);
}

/** A number option value in [min, max] (an integer if asked), or a UsageError naming the option. */
export function numberIn(name: string, value: string, min: number, max: number, integer = false): number {
  const n = /^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(value.trim()) ? Number(value) : NaN;
  if (!Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n)))
    throw new UsageError(`--${name} must be ${integer ? 'an integer' : 'a number'} from ${min} to ${max}, got "${value}"`);
  return n;
}

/** A non-negative integer option value up to `max`, or a UsageError naming the option. */
export function unsignedInt(name: string, value: string, max: number): number {
  if (!/^\d+$/.test(value) || Number(value) > max) throw new UsageError(`--${name} must be an integer from 0 to ${max}, got "${value}"`);
  return Number(value);
}

/** --heatmap-size: `512` (square) or `WxH`, in grid cells (core's parseGridSize). */
export function gridSize(value: string): GridSize {
  const grid = parseGridSize(value);
  if (!grid) throw new UsageError(`--heatmap-size must be N or WxH with sizes from 1 to ${MAX_GRID_SIDE}, got "${value}"`);
  return grid;
}
