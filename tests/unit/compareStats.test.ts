import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { signTestP } from '../../src/core/compare/binomial.ts';
import { bootstrapInterval95, forEachResample, quantileSorted } from '../../src/core/compare/bootstrap.ts';
import { bradleyTerry } from '../../src/core/compare/bradleyTerry.ts';
import { hashSeed } from '../../src/core/compare/random.ts';

describe('the sign test (two-sided exact binomial, p = 1/2)', () => {
  test('hand-computed values', () => {
    expect(signTestP(0, 0)).toBe(1); // no evidence
    expect(signTestP(3, 6)).toBe(1); // k = n / 2
    expect(signTestP(0, 1)).toBe(1); // 2 · 1/2
    expect(signTestP(0, 5)).toBeCloseTo(2 / 32, 15);
    expect(signTestP(1, 5)).toBeCloseTo((2 * (1 + 5)) / 32, 15);
    expect(signTestP(4, 5)).toBeCloseTo((2 * (1 + 5)) / 32, 15);
    expect(signTestP(2, 10)).toBeCloseTo((2 * (1 + 10 + 45)) / 1024, 15);
    expect(signTestP(10, 10)).toBeCloseTo(2 / 1024, 15);
    expect(signTestP(2, 5)).toBe(1); // 2 · P(X ≤ 2) = 2 · 16/32
    // Far tails keep their digits: 2 · 2^-2000.
    expect(signTestP(0, 1000) / 2 ** -999).toBeCloseTo(1, 12);
    expect(() => signTestP(3, 2)).toThrow(RangeError);
  });

  test('property: symmetric, in (0, 1], smaller further from n / 2', () => {
    let tails = 0;
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 400 }), fc.nat(), (n, r) => {
        const k = r % (n + 1);
        const p = signTestP(k, n);
        expect(p).toBeGreaterThan(0);
        expect(p).toBeLessThanOrEqual(1);
        expect(signTestP(n - k, n)).toBe(p);
        if (2 * k < n - 1) {
          tails++;
          expect(signTestP(k, n)).toBeLessThan(signTestP(k + 1, n));
        }
      }),
      { numRuns: 300 },
    );
    expect(tails).toBeGreaterThan(0);
  });
});

describe('the bootstrap', () => {
  test("percentiles interpolate linearly between ranks (numpy's default)", () => {
    expect(quantileSorted([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantileSorted([1, 2, 3, 4], 0)).toBe(1);
    expect(quantileSorted([1, 2, 3, 4], 1)).toBe(4);
    expect(quantileSorted([10, 20], 0.25)).toBe(12.5);
    expect(quantileSorted([7], 0.975)).toBe(7);
    expect(quantileSorted([], 0.5)).toBeNaN();
  });

  test('seeded: the same seed draws the same resamples, another seed others; draws cover the units', () => {
    const draws = (seed: number) => {
      const out: number[][] = [];
      forEachResample(5, 40, seed, (d) => out.push([...d]));
      return out;
    };
    expect(draws(3)).toEqual(draws(3));
    expect(draws(3)).not.toEqual(draws(4));
    const seen = new Set(draws(3).flat());
    expect([...seen].sort()).toEqual([0, 1, 2, 3, 4]);
    const mean = (d: Uint32Array) => d.reduce((a, b) => a + b, 0) / d.length;
    const ci = bootstrapInterval95(5, 2000, 3, mean);
    expect(ci).toEqual(bootstrapInterval95(5, 2000, 3, mean));
    expect(ci[0]).toBeLessThan(2);
    expect(ci[1]).toBeGreaterThan(2);
  });

  test('hashSeed: the parts matter, and where they split', () => {
    expect(hashSeed(['1', 'winRate'])).toBe(hashSeed(['1', 'winRate']));
    expect(hashSeed(['ab', 'c'])).not.toBe(hashSeed(['a', 'bc']));
    expect(hashSeed(['1'])).not.toBe(hashSeed(['2']));
  });
});

describe('Bradley-Terry', () => {
  const fit = (s: number, wins: [number, number, number][]) => {
    const w = new Float64Array(s * s);
    for (const [i, j, n] of wins) w[i * s + j]! += n;
    return [...bradleyTerry(w, s)];
  };

  test('balanced results give equal strengths; strengths sum to 0', () => {
    for (const b of fit(3, [])) expect(b).toBeCloseTo(0, 12);
    const cycle = fit(3, [
      [0, 1, 5],
      [1, 2, 5],
      [2, 0, 5],
    ]);
    for (const b of cycle) expect(b).toBeCloseTo(0, 10);
  });

  test('two systems: the logit of the smoothed win share, halved each way', () => {
    // 8 wins to 2, plus one virtual tie (0.5 each): p = 8.5 / 11, so β0 − β1 = ln(8.5 / 2.5).
    const [a, b] = fit(2, [
      [0, 1, 8],
      [1, 0, 2],
    ]);
    expect(a! - b!).toBeCloseTo(Math.log(8.5 / 2.5), 10);
    expect(a! + b!).toBeCloseTo(0, 12);
  });

  test('a system that never wins still has a finite strength (the virtual ties), below the others', () => {
    const beta = fit(3, [
      [0, 2, 10],
      [1, 2, 10],
      [0, 1, 3],
      [1, 0, 3],
    ]);
    expect(beta.every(Number.isFinite)).toBe(true);
    expect(beta[2]).toBeLessThan(beta[0]! - 1);
    expect(beta[0]).toBeCloseTo(beta[1]!, 10);
  });
});
