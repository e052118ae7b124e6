import { drawIndex, mulberry32 } from './random.ts';

/**
 * The percentile bootstrap: `resamples` draws of m units with replacement from a seeded
 * generator (mulberry32, one output per unit drawn, in order), the statistic of each, and the
 * 2.5th and 97.5th percentiles of those. Percentiles interpolate linearly between the closest
 * ranks (numpy's default: the q-th of B sorted values is at rank q · (B − 1)).
 */
export const DEFAULT_RESAMPLES = 2000;

/** The q-quantile (0 ≤ q ≤ 1) of ascending values, interpolated linearly between ranks. */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const h = q * (n - 1);
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  const a = sorted[lo]!;
  const b = sorted[hi]!;
  return a + (h - lo) * (b - a);
}

/**
 * Calls `each(draw, b)` for resample b = 0 … resamples − 1, `draw` holding m unit indices drawn
 * with replacement (the same array, refilled: copy it to keep it).
 */
export function forEachResample(m: number, resamples: number, seed: number, each: (draw: Uint32Array, b: number) => void): void {
  const next = mulberry32(seed);
  const draw = new Uint32Array(m);
  for (let b = 0; b < resamples; b++) {
    for (let j = 0; j < m; j++) draw[j] = drawIndex(next, m);
    each(draw, b);
  }
}

/** The 95% percentile interval of `stat` over the resamples of m units. */
export function bootstrapInterval95(m: number, resamples: number, seed: number, stat: (draw: Uint32Array) => number): [number, number] {
  const values = new Float64Array(resamples);
  forEachResample(m, resamples, seed, (draw, b) => (values[b] = stat(draw)));
  values.sort();
  return [quantileSorted(values, 0.025), quantileSorted(values, 0.975)];
}
