import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { resizeBilinear } from '../../src/core/metrics/resize.ts';
import { averageWords, precisionRecall, wordCounts } from '../../src/core/metrics/words.ts';

describe('misaligned words', () => {
  test('counts and figures for one item', () => {
    const c = wordCounts([true, false, true, false], [0, 1]);
    expect(c).toEqual({ tp: 1, fp: 1, fn: 1 });
    expect(precisionRecall(c)).toEqual({ precision: 0.5, recall: 0.5, f1: 0.5 });
  });
  test('undefined figures are 0', () => {
    expect(precisionRecall(wordCounts([false, false], []))).toEqual({ precision: 0, recall: 0, f1: 0 });
    expect(precisionRecall(wordCounts([true], []))).toEqual({ precision: 0, recall: 0, f1: 0 });
    expect(precisionRecall(wordCounts([false], [0]))).toEqual({ precision: 0, recall: 0, f1: 0 });
    expect(precisionRecall(wordCounts([], []))).toEqual({ precision: 0, recall: 0, f1: 0 });
  });
  test('per-item mean vs micro average', () => {
    // A: 1 of 1 found, no false alarm -> 1/1/1. B: 3 misaligned, none predicted -> 0/0/0.
    const avg = averageWords([wordCounts([true], [0]), wordCounts([true, true, true], [])]);
    expect(avg!.macro).toEqual({ precision: 0.5, recall: 0.5, f1: 0.5 });
    // micro: tp 1, fp 0, fn 3 -> P 1, R 1/4, F1 = 2 * 0.25 / 1.25 = 0.4
    expect(avg!.micro.precision).toBe(1);
    expect(avg!.micro.recall).toBe(0.25);
    expect(avg!.micro.f1).toBeCloseTo(0.4, 15);
    expect(averageWords([])).toBeNull();
  });
  test('figures are in [0, 1] and F1 lies between min and max of P and R', () => {
    fc.assert(
      fc.property(fc.array(fc.boolean(), { maxLength: 30 }), fc.array(fc.nat(29)), (truth, pred) => {
        const inRange = [...new Set(pred.filter((i) => i < truth.length))];
        const pr = precisionRecall(wordCounts(truth, inRange));
        for (const v of [pr.precision, pr.recall, pr.f1]) {
          expect(v).toBeGreaterThanOrEqual(0);
          expect(v).toBeLessThanOrEqual(1);
        }
        expect(pr.f1).toBeLessThanOrEqual(Math.max(pr.precision, pr.recall) + 1e-15);
        if (pr.f1 > 0) expect(pr.f1).toBeGreaterThanOrEqual(Math.min(pr.precision, pr.recall) - 1e-15);
      }),
    );
  });
});

describe('bilinear resize, half-pixel centres (align_corners = False)', () => {
  test('1-D upscale x2 of [0, 1] gives [0, 0.25, 0.75, 1] (as PyTorch / OpenCV)', () => {
    expect(Array.from(resizeBilinear(Float64Array.from([0, 1]), 2, 1, 4, 1))).toEqual([0, 0.25, 0.75, 1]);
  });
  test('1-D downscale x2 averages pixel pairs (no antialiasing beyond that)', () => {
    expect(Array.from(resizeBilinear(Float64Array.from([0, 1, 2, 3]), 4, 1, 2, 1))).toEqual([0.5, 2.5]);
    // x4: samples at 1.5 and 5.5 -> [1.5, 5.5], pixels 0 and 3, 4 and 7 are ignored
    expect(Array.from(resizeBilinear(Float64Array.from([0, 1, 2, 3, 4, 5, 6, 7]), 8, 1, 2, 1))).toEqual([1.5, 5.5]);
  });
  test('2-D 2x2 -> 4x4: corners copy, inner pixel (1, 1) = 0.75 by hand', () => {
    const out = resizeBilinear(Float64Array.from([0, 1, 2, 3]), 2, 2, 4, 4);
    expect(out[0]).toBe(0);
    expect(out[3]).toBe(1);
    expect(out[12]).toBe(2);
    expect(out[15]).toBe(3);
    // x = y = 0.25: 0.75 (0.75*0 + 0.25*1) + 0.25 (0.75*2 + 0.25*3) = 0.1875 + 0.5625
    expect(out[5]).toBe(0.75);
  });
  test('same size copies; a wrong length is a programming error', () => {
    const src = Float64Array.from([0.1, 0.2, 0.3, 0.4, 0.5, 0.6]);
    const out = resizeBilinear(src, 3, 2, 3, 2);
    expect(Array.from(out)).toEqual(Array.from(src));
    expect(out).not.toBe(src);
    expect(() => resizeBilinear(src, 2, 2, 4, 4)).toThrow();
  });
  test('constant stays constant; output stays within the source range', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 1, max: 20 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (sw, sh, dw, dh, v) => {
          const src = new Float64Array(sw * sh).map((_, i) => (i * 0.37) % 1);
          const out = resizeBilinear(src, sw, sh, dw, dh);
          expect(out.length).toBe(dw * dh);
          const lo = Math.min(...src);
          const hi = Math.max(...src);
          for (const x of out) {
            expect(x).toBeGreaterThanOrEqual(lo - 1e-12);
            expect(x).toBeLessThanOrEqual(hi + 1e-12);
          }
          const flat = resizeBilinear(new Float64Array(sw * sh).fill(v), sw, sh, dw, dh);
          for (const x of flat) expect(x).toBeCloseTo(v, 12);
        },
      ),
    );
  });
});
