import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { dilate, inpaintMask, thresholdLevels } from '../../src/core/dataset/inpaintMask.ts';

const ones = (m: Uint8Array) => [...m].flatMap((v, i) => (v ? [i] : []));

describe('thresholdLevels', () => {
  it('keeps levels >= threshold * 255 and never zero cells', () => {
    const g = Uint8Array.of(0, 85, 170, 255);
    expect([...thresholdLevels(g, 0.5)]).toEqual([0, 0, 1, 1]); // 127.5 -> 128
    expect([...thresholdLevels(g, 1 / 3)]).toEqual([0, 1, 1, 1]); // 85 exactly
    expect([...thresholdLevels(g, 0)]).toEqual([0, 1, 1, 1]);
    expect([...thresholdLevels(g, 1)]).toEqual([0, 0, 0, 1]);
  });
});

describe('dilate', () => {
  it('grows a single cell into a disc of radius 1 (a plus) and 2 (13 cells)', () => {
    // 5x5 grid, centre cell 12.
    const m = new Uint8Array(25);
    m[12] = 1;
    expect(ones(dilate(m, 5, 5, 1))).toEqual([7, 11, 12, 13, 17]);
    expect(ones(dilate(m, 5, 5, 2))).toHaveLength(13);
    expect(ones(dilate(m, 5, 5, 0))).toEqual([12]);
  });
  it('clips at the grid border', () => {
    const m = new Uint8Array(9);
    m[0] = 1;
    expect(ones(dilate(m, 3, 3, 1))).toEqual([0, 1, 3]);
  });
  it('equals stamping a disc on every cell of the region', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 0, max: 4 }),
        fc.array(fc.boolean(), { minLength: 144, maxLength: 144 }),
        (w, h, r, bits) => {
          const m = Uint8Array.from(bits.slice(0, w * h), (b) => (b ? 1 : 0));
          const want = new Uint8Array(w * h);
          for (let y = 0; y < h; y++)
            for (let x = 0; x < w; x++) {
              if (!m[y * w + x]) continue;
              for (let yy = 0; yy < h; yy++) for (let xx = 0; xx < w; xx++) if ((xx - x) ** 2 + (yy - y) ** 2 <= r * r) want[yy * w + xx] = 1;
            }
          expect([...dilate(m, w, h, r)]).toEqual([...want]);
        },
      ),
    );
  });
});

describe('inpaintMask', () => {
  it('gives 0/255 levels', () => {
    expect([...inpaintMask(Uint8Array.of(0, 255, 0), 3, 1, 0.5, 1)]).toEqual([255, 255, 255]);
    expect([...inpaintMask(Uint8Array.of(0, 85, 0), 3, 1, 0.5, 1)]).toEqual([0, 0, 0]);
  });
});
