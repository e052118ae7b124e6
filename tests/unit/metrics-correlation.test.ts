import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { averageRanks, pearson, spearman } from '../../src/core/metrics/correlation.ts';

describe('pearson (PLCC)', () => {
  test('perfect, inverse and a hand-computed case', () => {
    expect(pearson([1, 2, 3], [2, 4, 6])).toBeCloseTo(1, 15);
    expect(pearson([1, 2, 3], [3, 2, 1])).toBeCloseTo(-1, 15);
    // means 2 and 2; dx = [-1, 0, 1], dy = [-1, 1, 0]: sxy = 1, sxx = 2, syy = 2 -> 1/2
    expect(pearson([1, 2, 3], [1, 3, 2])).toBeCloseTo(0.5, 15);
  });
  test('undefined (null) for fewer than two pairs or a constant side', () => {
    expect(pearson([], [])).toBeNull();
    expect(pearson([0.3], [0.4])).toBeNull();
    expect(pearson([0.5, 0.5, 0.5], [0.1, 0.2, 0.3])).toBeNull();
    expect(pearson([0.1, 0.2, 0.3], [1, 1, 1])).toBeNull();
  });
  test('length mismatch is a programming error', () => {
    expect(() => pearson([1, 2], [1])).toThrow();
  });
});

describe('spearman (SRCC) with average ranks', () => {
  test('ties share the mean of their ranks', () => {
    expect(Array.from(averageRanks([1, 2, 2, 3]))).toEqual([1, 2.5, 2.5, 4]);
    expect(Array.from(averageRanks([0.5, 0.1, 0.5, 0.5]))).toEqual([3, 1, 3, 3]);
    expect(Array.from(averageRanks([]))).toEqual([]);
  });
  test('a tied case by hand: ranks [1, 2.5, 2.5, 4] vs [1, 2, 3, 4] -> 4.5 / sqrt(4.5 * 5) = 3 / sqrt(10)', () => {
    expect(spearman([1, 2, 2, 3], [10, 20, 30, 40])).toBeCloseTo(3 / Math.sqrt(10), 15);
  });
  test('monotone transforms do not change it', () => {
    expect(spearman([1, 2, 3, 4], [1, 8, 27, 64])).toBeCloseTo(1, 15);
    expect(spearman([1, 2, 3, 4], [-1, -8, -27, -64])).toBeCloseTo(-1, 15);
  });
  test('all tied on one side: undefined', () => {
    expect(spearman([0.5, 0.5, 0.5], [1, 2, 3])).toBeNull();
  });
});

const pairs = fc.integer({ min: 2, max: 40 }).chain((n) =>
  fc.tuple(
    fc.array(
      fc.integer({ min: 0, max: 10 }).map((k) => k / 10),
      { minLength: n, maxLength: n },
    ),
    fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: n, maxLength: n }),
  ),
);

describe('correlation properties', () => {
  test('PLCC and SRCC are in [-1, 1] (or null) and symmetric', () => {
    fc.assert(
      fc.property(pairs, ([x, y]) => {
        for (const f of [pearson, spearman]) {
          const r = f(x, y);
          const s = f(y, x);
          if (r === null) return s === null;
          expect(r).toBeGreaterThanOrEqual(-1);
          expect(r).toBeLessThanOrEqual(1);
          expect(s).not.toBeNull();
          expect(Math.abs(r - s!)).toBeLessThan(1e-12);
        }
        return true;
      }),
    );
  });
  test('invariant to the order of the pairs', () => {
    fc.assert(
      fc.property(pairs, fc.integer(), ([x, y], seed) => {
        const idx = x.map((_, i) => i).sort((a, b) => ((a * 7919 + seed) % 101) - ((b * 7919 + seed) % 101) || a - b);
        const xs = idx.map((i) => x[i]!);
        const ys = idx.map((i) => y[i]!);
        for (const f of [pearson, spearman]) {
          const a = f(x, y);
          const b = f(xs, ys);
          if (a === null) expect(b).toBeNull();
          else expect(Math.abs(a - b!)).toBeLessThan(1e-12);
        }
      }),
    );
  });
});
