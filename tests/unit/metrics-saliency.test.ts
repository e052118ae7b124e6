import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { jitterField, jitterRanks, mulberry32, NEAR_TIE, type JitterField } from '../../src/core/metrics/jitter.ts';
import { aucJudd, aucJudd8, sortNonNegative } from '../../src/core/metrics/auc.ts';
import { heatmapMetrics, heatmapMetrics8, type HeatmapMetrics } from '../../src/core/metrics/saliency.ts';

const f64 = (xs: number[]) => Float64Array.from(xs);
const jitter4 = jitterField(4);

/** The literal definition of AUC-Judd (quadratic), to check the fast paths against. */
function naiveAuc(p: Float64Array, g: Float64Array, jit: Float64Array): number | null {
  const n = p.length;
  const q = Array.from(p, (v, i) => v + jit[i]!);
  const lo = Math.min(...q);
  const hi = Math.max(...q);
  const s = q.map((v) => (hi > lo ? (v - lo) / (hi - lo) : 0));
  const th = s.filter((_, i) => g[i]! > 0).sort((a, b) => b - a);
  const k = th.length;
  if (k === 0 || k === n) return null;
  const xs = [0];
  const ys = [0];
  th.forEach((t, i) => {
    ys.push((i + 1) / k);
    xs.push((s.filter((v) => v >= t).length - (i + 1)) / (n - k));
  });
  xs.push(1);
  ys.push(1);
  let area = 0;
  for (let i = 1; i < xs.length; i++) area += ((xs[i]! - xs[i - 1]!) * (ys[i]! + ys[i - 1]!)) / 2;
  return area;
}

describe('mulberry32 jitter', () => {
  test('the first outputs for seed 42 match the Python reference (scripts/eval_reference.py)', () => {
    const next = mulberry32(42);
    expect([next(), next(), next(), next()]).toEqual([2581720956, 1925393290, 3661312704, 2876485805]);
  });
  test('jitter is in [0, 1e-7), one value per pixel, and order sorts it', () => {
    const j = jitterField(1000);
    for (const v of j.values) {
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThan(1e-7);
    }
    for (let r = 1; r < 1000; r++) expect(j.values[j.order[r]!]!).toBeGreaterThanOrEqual(j.values[j.order[r - 1]!]!);
    expect(Array.from(j.ascending)).toEqual(Array.from(j.order, (i) => j.values[i]!));
    expect(new Set(j.order).size).toBe(1000);
  });
  test("the field's values are mulberry32's outputs / 2^32 * 1e-7, pixel after pixel, for any seed", () => {
    for (const seed of [42, 0, 7, 0xffffffff]) {
      const next = mulberry32(seed);
      expect(Array.from(jitterField(5000, seed).values)).toEqual(Array.from({ length: 5000 }, () => (next() / 4294967296) * 1e-7));
    }
  });
  test('the same seed gives the same field; the first values do not depend on the grid size', () => {
    expect(Array.from(jitterField(10).values)).toEqual(Array.from(jitterField(10).values));
    expect(Array.from(jitterField(20).values.subarray(0, 10))).toEqual(Array.from(jitterField(10).values));
    expect(Array.from(jitterField(10, 7).values)).not.toEqual(Array.from(jitterField(10).values));
  });
});

describe('heatmap metrics on a 2x2 map (sums by hand)', () => {
  // G = [1, 0, 0, 0], P = [0.5, 0.5, 0, 0]. Means 0.25 and 0.25.
  const g = f64([1, 0, 0, 0]);
  const p = f64([0.5, 0.5, 0, 0]);
  const m = heatmapMetrics(p, g, jitter4);
  test('MSE = (0.25 + 0.25) / 4', () => {
    expect(m.mse).toBe(0.125);
    expect(m.empty).toBe(false);
  });
  test('CC = sum(dP dG) / sqrt(sum dP^2 sum dG^2) = 0.25 / sqrt(0.25 * 0.75) = 1 / sqrt(3)', () => {
    expect(m.cc).toBeCloseTo(1 / Math.sqrt(3), 7);
  });
  test('KLD = 1 * log(1 / 0.5) = ln 2; SIM = min(0.5, 1) = 0.5 (up to EPS)', () => {
    expect(m.kld).toBeCloseTo(Math.LN2, 7);
    expect(m.sim).toBeCloseTo(0.5, 7);
  });
  test('NSS = (0.5 - 0.25) / std, std = sqrt(0.25 / 3) (n - 1) -> sqrt(3) / 2', () => {
    expect(m.nss).toBeCloseTo(Math.sqrt(3) / 2, 7);
  });
  test('AUC-Judd: the jitter decides the tie between pixels 0 and 1 (1 if pixel 0 ranks first, else 5/6)', () => {
    const first = jitter4.values[0]! > jitter4.values[1]!;
    expect(m.aucJudd).toBeCloseTo(first ? 1 : 5 / 6, 12);
    // A field in which pixel 1 wins the tie: one threshold, 2 pixels >= it, FPR = 1/3, area 1 - 1/6.
    const flipped: JitterField = { values: f64([0, 5e-8, 0, 0]), order: Uint32Array.from([0, 2, 3, 1]), ascending: f64([0, 0, 0, 5e-8]) };
    expect(aucJudd(p, g, flipped)).toBeCloseTo(5 / 6, 12);
  });
});

describe('special predictions', () => {
  const g = f64([1, 0, 0, 0]);
  test('perfect prediction: MSE 0, CC 1, KLD 0, SIM 1, AUC 1', () => {
    const m = heatmapMetrics8(Uint8Array.from([255, 0, 0, 0]), Uint8Array.from([255, 0, 0, 0]), jitter4);
    expect(m.mse).toBe(0);
    expect(m.cc).toBeCloseTo(1, 7);
    expect(m.kld).toBeCloseTo(0, 7);
    expect(m.sim).toBeCloseTo(1, 7);
    expect(m.nss).toBeCloseTo(1.5, 6); // (1 - 0.25) / sqrt(0.75 / 3)
    expect(m.aucJudd).toBe(1);
  });
  test('all-zero prediction: CC 0, SIM 0, NSS 0, KLD = Gn log(Gn / EPS + EPS) ~ 18.42', () => {
    const m = heatmapMetrics(f64([0, 0, 0, 0]), g, jitter4);
    expect(heatmapMetrics8(new Uint8Array(4), Uint8Array.from([255, 0, 0, 0]), jitter4)).toEqual(m);
    expect(m.mse).toBe(0.25);
    expect(m.cc).toBe(0);
    expect(m.sim).toBe(0);
    expect(m.nss).toBe(0);
    const gn = 1 / (1 + 1e-8);
    expect(m.kld).toBeCloseTo(gn * Math.log(gn / 1e-8 + 1e-8), 12);
    expect(m.kld).toBeCloseTo(18.42, 2);
    // Only the jitter orders the pixels: the figure is the jitter's rank of pixel 0.
    expect(m.aucJudd).toBe(naiveAuc(f64([0, 0, 0, 0]), g, jitter4.values));
  });
  test('constant prediction: CC 0, NSS 0, SIM = 1/4, KLD = ln 4 (up to EPS)', () => {
    const p = f64([0.5, 0.5, 0.5, 0.5]);
    const m = heatmapMetrics(p, g, jitter4);
    expect(m.cc).toBe(0);
    expect(m.nss).toBe(0);
    expect(m.sim).toBeCloseTo(0.25, 7);
    expect(m.kld).toBeCloseTo(Math.log(4), 6);
    const gn = 1 / (1 + 1e-8);
    const pn = 0.5 / (2 + 1e-8);
    expect(m.kld).toBeCloseTo(gn * Math.log(gn / (pn + 1e-8) + 1e-8), 14);
    expect(m.aucJudd).toBe(naiveAuc(p, g, jitter4.values));
  });
  test('empty ground truth: only MSE', () => {
    const m = heatmapMetrics(f64([0.2, 0, 0, 0]), f64([0, 0, 0, 0]), jitter4);
    expect(m.mse).toBeCloseTo(0.01, 15);
    expect({ ...m, mse: 0 }).toEqual({ mse: 0, empty: true, cc: null, kld: null, sim: null, nss: null, aucJudd: null });
  });
  test('ground truth positive everywhere: AUC-Judd undefined (no negatives)', () => {
    const m = heatmapMetrics(f64([0.2, 0.1, 0, 1]), f64([1, 1, 1, 1]), jitter4);
    expect(m.aucJudd).toBeNull();
    expect(m.nss).not.toBeNull();
  });
  test('a graded ground truth counts every G > 0 as a fixation for NSS and AUC', () => {
    const p = f64([0.9, 0.1, 0.8, 0.2]);
    const m = heatmapMetrics(p, f64([1 / 3, 0, 2 / 3, 0]), jitter4);
    expect(m.aucJudd).toBe(1);
  });
});

/** Random 8-bit maps of a few pixels; levels drawn from a small set so that ties abound. */
const smallMaps = fc.integer({ min: 2, max: 40 }).chain((n) =>
  fc.record({
    p: fc.array(fc.constantFrom(0, 1, 2, 128, 254, 255), { minLength: n, maxLength: n }),
    g: fc.array(fc.constantFrom(0, 0, 85, 170, 255), { minLength: n, maxLength: n }),
    seed: fc.integer({ min: 0, max: 2 ** 31 }),
  }),
);

function expectSame(a: HeatmapMetrics, b: HeatmapMetrics): void {
  expect(a.empty).toBe(b.empty);
  for (const k of ['mse', 'cc', 'kld', 'sim', 'nss', 'aucJudd'] as const) {
    const x = a[k];
    const y = b[k];
    if (y === null) expect(x, k).toBeNull();
    else expect(Math.abs(x! - y), k).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(y)));
  }
}

describe('heatmap metric properties', () => {
  test('the 8-bit histogram implementation equals the per-pixel one', () => {
    fc.assert(
      fc.property(smallMaps, ({ p, g, seed }) => {
        const j = jitterField(p.length, seed);
        const general = heatmapMetrics(
          Float64Array.from(p, (v) => v / 255),
          Float64Array.from(g, (v) => v / 255),
          j,
        );
        expectSame(heatmapMetrics8(Uint8Array.from(p), Uint8Array.from(g), j), general);
      }),
    );
  });
  test('the same on 64x64 maps with every gray level', () => {
    const j = jitterField(4096);
    const next = mulberry32(5);
    for (let t = 0; t < 5; t++) {
      const p = Uint8Array.from({ length: 4096 }, () => next() & 255);
      const g = Uint8Array.from({ length: 4096 }, () => (next() % 3 === 0 ? next() & 255 : 0));
      expectSame(
        heatmapMetrics8(p, g, j),
        heatmapMetrics(
          Float64Array.from(p, (v) => v / 255),
          Float64Array.from(g, (v) => v / 255),
          j,
        ),
      );
    }
  });
  test('the 8-bit AUC path, the sorting path and the literal definition agree', () => {
    fc.assert(
      fc.property(smallMaps, ({ p, g, seed }) => {
        const levels = Uint8Array.from(p);
        const pv = Float64Array.from(p, (v) => v / 255);
        const gv = Float64Array.from(g, (v) => v / 255);
        const j = jitterField(p.length, seed);
        const expected = naiveAuc(pv, gv, j.values);
        const fast = aucJudd8(levels, gv, j);
        const sorted = aucJudd(pv, gv, j);
        if (expected === null) {
          expect(fast).toBeNull();
          expect(sorted).toBeNull();
        } else {
          expect(fast).toBeCloseTo(expected, 12);
          expect(sorted).toBeCloseTo(expected, 12);
        }
      }),
    );
  });
  test('with no jitter at all (every tie kept) the paths still agree with the definition', () => {
    fc.assert(
      fc.property(smallMaps, ({ p, g }) => {
        const n = p.length;
        const none: JitterField = { values: new Float64Array(n), order: Uint32Array.from({ length: n }, (_, i) => i), ascending: new Float64Array(n) };
        const pv = Float64Array.from(p, (v) => v / 255);
        const gv = Float64Array.from(g, (v) => v / 255);
        const expected = naiveAuc(pv, gv, none.values);
        const fast = aucJudd8(Uint8Array.from(p), gv, none);
        const sorted = aucJudd(pv, gv, none);
        if (expected === null) expect(fast).toBeNull();
        else {
          expect(fast).toBeCloseTo(expected, 12);
          expect(sorted).toBeCloseTo(expected, 12);
        }
      }),
    );
  });
  test('SIM, AUC in [0, 1], CC in [-1, 1], KLD >= about 0, MSE in [0, 1]', () => {
    fc.assert(
      fc.property(smallMaps, ({ p, g, seed }) => {
        const m = heatmapMetrics8(Uint8Array.from(p), Uint8Array.from(g), jitterField(p.length, seed));
        expect(m.mse).toBeGreaterThanOrEqual(0);
        expect(m.mse).toBeLessThanOrEqual(1);
        if (m.empty) return;
        expect(m.sim!).toBeGreaterThanOrEqual(0);
        expect(m.sim!).toBeLessThanOrEqual(1 + 1e-12);
        expect(Math.abs(m.cc!)).toBeLessThanOrEqual(1);
        expect(m.kld!).toBeGreaterThan(-1e-6);
        if (m.aucJudd !== null) {
          expect(m.aucJudd).toBeGreaterThanOrEqual(0);
          expect(m.aucJudd).toBeLessThanOrEqual(1);
        }
      }),
    );
  });
});

/** A field with the given jitter values (order and ascending derived as jitterField does: ties by index). */
function fieldOf(values: Float64Array): JitterField {
  const order = Uint32Array.from(values.keys()).sort((a, b) => values[a]! - values[b]! || a - b);
  return { values, order, ascending: Float64Array.from(order, (i) => values[i]!) };
}

describe('AUC-Judd near ties (pixels of one level whose S may round equal)', () => {
  test('jitterRanks: rank inverts order; runs hold exactly the neighbours within NEAR_TIE', () => {
    // 13 clusters 2e-15 apart (gaps between them), each of three values 1e-17 apart (near ties).
    const values = Float64Array.from({ length: 300 }, (_, i) => ((i * 7919) % 13) * 2e-15 + ((i * 104729) % 3) * 1e-17);
    const field = fieldOf(values);
    const { rank, nearTies } = jitterRanks(field);
    for (let r = 0; r < 300; r++) expect(rank[field.order[r]!]).toBe(r);
    const inRun = new Uint8Array(300);
    for (let t = 0; t < nearTies.length; t += 2) {
      const [lo, hi] = [nearTies[t]!, nearTies[t + 1]!];
      expect(lo).toBeLessThan(hi);
      if (t > 0) expect(hi).toBeLessThan(nearTies[t - 2]!); // descending, disjoint
      for (let r = lo; r < hi; r++) {
        expect(field.ascending[r + 1]! - field.ascending[r]!).toBeLessThanOrEqual(NEAR_TIE);
        inRun[r] = 1;
      }
    }
    let gaps = 0;
    for (let r = 0; r + 1 < 300; r++) {
      const close = field.ascending[r + 1]! - field.ascending[r]! <= NEAR_TIE;
      if (!close) gaps++;
      expect(inRun[r] === 1, `rank ${r}`).toBe(close);
    }
    expect(nearTies.length).toBeGreaterThan(0);
    expect(gaps).toBeGreaterThan(0);
    expect(jitterRanks(field)).toBe(jitterRanks(field)); // derived once per field
  });
  test("property: the 8-bit path gives the sorting path's figure to the last bit, near ties and all", () => {
    let tied = 0;
    fc.assert(
      fc.property(smallMaps, fc.array(fc.constantFrom(0, 1e-17, 2e-17, 4e-16, 1e-15, 3e-15, 5e-8), { minLength: 40, maxLength: 40 }), ({ p, g }, jit) => {
        const field = fieldOf(Float64Array.from(p, (_, i) => jit[i]!));
        const pv = Float64Array.from(p, (v) => v / 255);
        const gv = Float64Array.from(g, (v) => v / 255);
        const fast = aucJudd8(Uint8Array.from(p), gv, field);
        expect(fast).toBe(aucJudd(pv, gv, field));
        const s = pv.map((v, i) => v + field.values[i]!);
        // Count maps in which two pixels of one level land on one S but had different jitter.
        if (fast !== null && p.some((v, i) => p.some((w, k) => k !== i && w === v && s[k] === s[i] && field.values[k] !== field.values[i]))) tied++;
      }),
      { numRuns: 300 },
    );
    expect(tied).toBeGreaterThan(0);
  });
  test('on a 512x512 field: runs are few and short, and every pair of one level outside them differs in S', () => {
    const field = jitterField(512 * 512);
    const { nearTies } = jitterRanks(field);
    let longest = 0;
    for (let t = 0; t < nearTies.length; t += 2) longest = Math.max(longest, nearTies[t + 1]! - nearTies[t]! + 1);
    expect(nearTies.length / 2).toBeGreaterThan(100);
    expect(nearTies.length / 2).toBeLessThan(2000);
    expect(longest).toBeLessThan(10);
  });
});

describe('constant maps', () => {
  test('a constant prediction of any level has CC and NSS exactly 0 on both paths (exact mean)', () => {
    const n = 999; // not a power of two: a plain sum / n would not be exact
    const j = jitterField(n);
    const g = Uint8Array.from({ length: n }, (_, i) => (i % 7 === 0 ? 170 : 0));
    for (const level of [1, 77, 128, 254]) {
      const p = new Uint8Array(n).fill(level);
      const a = heatmapMetrics8(p, g, j);
      const b = heatmapMetrics(
        Float64Array.from(p, (v) => v / 255),
        Float64Array.from(g, (v) => v / 255),
        j,
      );
      for (const m of [a, b]) {
        expect(m.cc).toBe(0);
        expect(m.nss).toBe(0);
      }
    }
  });
});

describe('radix sort of non-negative doubles', () => {
  test('agrees with the built-in sort, zeros, ties and subnormals included', () => {
    const next = mulberry32(11);
    const n = 5000;
    const a = Float64Array.from({ length: n }, (_, i) => (i % 10 === 0 ? 0 : i % 13 === 0 ? 0.5 : i % 17 === 0 ? 5e-324 : (next() / 2 ** 32) * (i % 3 === 0 ? 1e-7 : 1)));
    const want = Float64Array.from(a).sort();
    sortNonNegative(a, new Float64Array(n), new Uint32Array(65536));
    expect(Array.from(a)).toEqual(Array.from(want));
  });
});
