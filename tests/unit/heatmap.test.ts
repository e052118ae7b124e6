import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { combineAnnotators, discCells, discRadius, heatmapLevel, levelTable, rasterizeDiscs, rasterizeLevels, scanlineRuns } from '../../src/core/dataset/heatmap.ts';
import { RunsBuilder } from '../../src/core/encode/zlibRle.ts';
import { MAX_GRID_SIDE, parseGridSize, gridSize } from '../../src/core/dataset/grid.ts';

/** Renders a 0/1 or level map as rows of text, for hand-checkable expectations. */
function rows(map: Uint8Array, width: number): string[] {
  const out: string[] = [];
  for (let r = 0; r < map.length / width; r++) out.push(Array.from(map.subarray(r * width, (r + 1) * width), (v) => (v === 0 ? '.' : v === 1 ? '#' : String(v))).join(''));
  return out;
}

/** The rule written the slow, obvious way: every cell tested. */
function naive(points: { x: number; y: number }[], W: number, H: number, Wg: number, Hg: number): Uint8Array {
  const out = new Uint8Array(Wg * Hg);
  const R = H / 20;
  for (let r = 0; r < Hg; r++)
    for (let c = 0; c < Wg; c++) {
      const u = ((c + 0.5) * W) / Wg;
      const v = ((r + 0.5) * H) / Hg;
      for (const p of points) if ((u - p.x) ** 2 + (v - p.y) ** 2 <= R * R) out[r * Wg + c] = 1;
    }
  return out;
}

describe('rasterizeDiscs', () => {
  it('takes the image in image pixels and the grid in grid cells, and the type checker keeps them apart', () => {
    const image = { width: 40, height: 20 };
    const grid = gridSize(4, 2);
    // @ts-expect-error: a grid (cells) is not an image size (pixels)
    const swapped = () => rasterizeDiscs([{ x: 15, y: 5 }], grid, image);
    // @ts-expect-error: an image size is not a grid: grids come from gridSize or parseGridSize
    const unbranded = () => rasterizeDiscs([{ x: 15, y: 5 }], image, { width: 4, height: 2 });
    // At run time both are plain sizes: the brand is only for the checker (`npm run typecheck`).
    expect([...unbranded()]).toEqual([...rasterizeDiscs([{ x: 15, y: 5 }], image, grid)]);
    expect(swapped()).toHaveLength(40 * 20);
  });

  it('3x3 grid on a 60x60 image (R = 3, cell centres at 10, 30, 50): a point covers only the cell it sits within R of', () => {
    const image = { width: 60, height: 60 };
    const grid = gridSize(3, 3);
    expect(rows(rasterizeDiscs([{ x: 30, y: 30 }], image, grid), 3)).toEqual(['...', '.#.', '...']);
    // Exactly R away from the centre (10, 10): covered (<= R^2).
    expect(rows(rasterizeDiscs([{ x: 10, y: 13 }], image, grid), 3)).toEqual(['#..', '...', '...']);
    // Just beyond R: not covered.
    expect(rows(rasterizeDiscs([{ x: 10, y: 13.001 }], image, grid), 3)).toEqual(['...', '...', '...']);
    // Halfway between centres (20 away from both): nothing.
    expect(rows(rasterizeDiscs([{ x: 20, y: 20 }], image, grid), 3)).toEqual(['...', '...', '...']);
  });

  it('1:1 grid on a 40x20 image (R = 1): a point between four centres covers 4 cells, one on a centre covers a plus of 5', () => {
    const image = { width: 40, height: 20 };
    const grid = gridSize(40, 20);
    const four = rows(rasterizeDiscs([{ x: 2, y: 2 }], image, grid), 40)
      .slice(0, 4)
      .map((r) => r.slice(0, 5));
    expect(four).toEqual(['.....', '.##..', '.##..', '.....']);
    const plus = rows(rasterizeDiscs([{ x: 2.5, y: 2.5 }], image, grid), 40)
      .slice(0, 5)
      .map((r) => r.slice(0, 5));
    expect(plus).toEqual(['.....', '..#..', '.###.', '..#..', '.....']);
  });

  it('points on the image border and corners cover only cells inside the grid', () => {
    const image = { width: 40, height: 20 };
    const grid = gridSize(40, 20);
    const corner = rasterizeDiscs([{ x: 0, y: 0 }], image, grid);
    expect(corner.reduce((s, v) => s + v, 0)).toBe(1);
    expect(corner[0]).toBe(1);
    const far = rasterizeDiscs([{ x: 40, y: 20 }], image, grid);
    expect(far.reduce((s, v) => s + v, 0)).toBe(1);
    expect(far[19 * 40 + 39]).toBe(1);
    // On the top edge between two centres: row 0 (v = 0.5) has dy^2 = 0.25, columns 19 and 20 dx^2 = 0.25.
    const edge = rasterizeDiscs([{ x: 20, y: 0 }], image, grid);
    expect(rows(edge, 40)[0]!.slice(18, 22)).toBe('.##.');
    expect(edge.reduce((s, v) => s + v, 0)).toBe(2);
  });

  it('non-square image on a non-square grid: 200x100 image (R = 5) on 4x2 cells of 50x50 image pixels', () => {
    const image = { width: 200, height: 100 };
    const grid = gridSize(4, 2);
    // Cell centres u = 25, 75, 125, 175 and v = 25, 75.
    expect(rows(rasterizeDiscs([{ x: 175, y: 79 }], image, grid), 4)).toEqual(['....', '...#']);
    expect(rows(rasterizeDiscs([{ x: 100, y: 50 }], image, grid), 4)).toEqual(['....', '....']);
  });

  it('overlapping discs of one annotator are a union (0/1), not a sum', () => {
    const image = { width: 40, height: 20 };
    const grid = gridSize(40, 20);
    const map = rasterizeDiscs(
      [
        { x: 2, y: 2 },
        { x: 2, y: 2 },
        { x: 2.5, y: 2.5 },
      ],
      image,
      grid,
    );
    expect(Math.max(...map)).toBe(1);
    expect(map.reduce((s, v) => s + v, 0)).toBe(4 + 5 - 3); // the plus and the square share 3 cells
  });

  it('matches the rule tested on every cell (random points, sizes and grids)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 300 }),
        fc.integer({ min: 1, max: 300 }),
        fc.integer({ min: 1, max: 64 }),
        fc.integer({ min: 1, max: 64 }),
        fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true })), { maxLength: 6 }),
        (W, H, Wg, Hg, rel) => {
          const points = rel.map(([a, b]) => ({ x: a * W, y: b * H }));
          expect(rasterizeDiscs(points, { width: W, height: H }, gridSize(Wg, Hg))).toEqual(naive(points, W, H, Wg, Hg));
        },
      ),
    );
  });

  it('discCells lists exactly the covered cells of rasterizeDiscs, ascending', () => {
    let covered = 0;
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 300 }),
        fc.integer({ min: 1, max: 300 }),
        fc.integer({ min: 1, max: 64 }),
        fc.integer({ min: 1, max: 64 }),
        fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true })), { maxLength: 6 }),
        (W, H, Wg, Hg, rel) => {
          const points = rel.map(([a, b]) => ({ x: a * W, y: b * H }));
          const dense = rasterizeDiscs(points, { width: W, height: H }, gridSize(Wg, Hg));
          const cells = discCells(points, { width: W, height: H }, gridSize(Wg, Hg));
          expect([...cells]).toEqual([...dense].flatMap((v, i) => (v ? [i] : [])));
          if (cells.length > 1) covered++;
        },
      ),
    );
    expect(covered).toBeGreaterThan(0);
  });

  it("a point's disc covers pi R^2 scaled to the grid, within one ring of cells", () => {
    // Square cells (s image pixels each), so the disc is a circle of rho = R / s cells on the grid.
    fc.assert(
      fc.property(
        fc.integer({ min: 8, max: 600 }),
        fc.integer({ min: 40, max: 1000 }),
        fc.double({ min: 0.25, max: 8, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (Wg, Hg, s, a, b) => {
          const image = { width: Wg * s, height: Hg * s };
          const area = rasterizeDiscs([{ x: (0.25 + a / 2) * image.width, y: (0.25 + b / 2) * image.height }], image, gridSize(Wg, Hg)).reduce((n, v) => n + v, 0);
          const rho = discRadius(image.height) / s;
          // A cell whose centre is inside lies within rho + 0.71 of the point; a cell within
          // rho - 0.71 has its centre inside: the count is pi rho^2 give or take a one-cell ring.
          // (Discs near a small grid's edge are clipped, so the upper bound is the check there.)
          expect(area).toBeLessThanOrEqual(Math.PI * (rho + 1) ** 2);
          if (rho < Wg / 4) expect(area).toBeGreaterThanOrEqual(Math.PI * Math.max(0, rho - 1) ** 2);
        },
      ),
    );
  });
});

describe('levels', () => {
  it('round(255 k / N) with halves up, in integers', () => {
    expect([...levelTable(1)]).toEqual([0, 255]);
    expect([...levelTable(2)]).toEqual([0, 128, 255]); // 127.5 rounds up
    expect([...levelTable(3)]).toEqual([0, 85, 170, 255]);
    expect([...levelTable(4)]).toEqual([0, 64, 128, 191, 255]); // 63.75, 127.5, 191.25
    expect(heatmapLevel(1, 6)).toBe(43); // 42.5 -> 43
    expect(heatmapLevel(5, 6)).toBe(213); // 212.5 -> 213
  });
  it('equals Math.round(255 k / N) wherever 255 k / N is not within rounding of a half', () => {
    for (let n = 1; n <= 300; n++) for (let k = 0; k <= n; k++) expect(heatmapLevel(k, n)).toBe(Math.floor((255 * k) / n + 0.5));
  });
});

describe('combineAnnotators', () => {
  const image = { width: 40, height: 20 };
  const grid = gridSize(40, 20);
  const at = (gray: Uint8Array, c: number, r: number) => gray[r * 40 + c];
  it('N = 2: a cell covered by one of two annotators is 128 (127.5 rounded up), by both 255', () => {
    // Annotator A's square covers (1,1) (2,1) (1,2) (2,2); B's plus covers (2,1) (1,2) (2,2) (3,2) (2,3).
    const { gray, empty } = combineAnnotators([[{ x: 2, y: 2 }], [{ x: 2.5, y: 2.5 }]], image, grid);
    expect(empty).toBe(false);
    expect([at(gray, 2, 1), at(gray, 1, 2), at(gray, 2, 2)]).toEqual([255, 255, 255]);
    expect([at(gray, 1, 1), at(gray, 3, 2), at(gray, 2, 3)]).toEqual([128, 128, 128]);
    expect(gray.filter((v) => v !== 0).length).toBe(6);
  });
  it('N = 3 with one silent annotator: levels 85 and 170; duplicate points of one annotator count once', () => {
    const { gray } = combineAnnotators(
      [
        [
          { x: 2, y: 2 },
          { x: 2, y: 2 },
        ],
        [{ x: 2.5, y: 2.5 }],
        [],
      ],
      image,
      grid,
    );
    expect([at(gray, 2, 2), at(gray, 1, 1), at(gray, 3, 2)]).toEqual([170, 85, 85]);
  });
  it('no points, or points covering no cell centre, give an empty all-zero map', () => {
    expect(combineAnnotators([[], []], image, grid).empty).toBe(true);
    const far = combineAnnotators([[{ x: 100, y: 50 }]], { width: 200, height: 100 }, gridSize(4, 2));
    expect(far.empty).toBe(true);
    expect([...far.gray]).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
  });
  it('more than 255 annotators still count exactly', () => {
    const n = 300;
    const anns = Array.from({ length: n }, (_, i) => (i < 150 ? [{ x: 2.5, y: 2.5 }] : []));
    expect(at(combineAnnotators(anns, image, grid).gray, 2, 2)).toBe(heatmapLevel(150, n));
  });

  const pointsArb = fc.array(fc.record({ x: fc.double({ min: 0, max: 40, noNaN: true }), y: fc.double({ min: 0, max: 20, noNaN: true }) }), { maxLength: 5 });
  it('property: values are only the N + 1 levels, and equal the level of the per-cell count of union maps', () => {
    fc.assert(
      fc.property(fc.array(pointsArb, { minLength: 1, maxLength: 5 }), (anns) => {
        const { gray, empty } = combineAnnotators(anns, image, grid);
        const table = [...levelTable(anns.length)];
        const unions = anns.map((p) => rasterizeDiscs(p, image, grid));
        gray.forEach((v, i) => expect(v).toBe(table[unions.reduce((k, u) => k + u[i]!, 0)]));
        expect(empty).toBe(gray.every((v) => v === 0));
      }),
    );
  });
  it('property: one annotator gives a 0/255 map; order of annotators and of points does not matter', () => {
    fc.assert(
      fc.property(fc.array(pointsArb, { minLength: 1, maxLength: 4 }), (anns) => {
        const single = combineAnnotators([anns.flat()], image, grid).gray;
        expect(single.every((v) => v === 0 || v === 255)).toBe(true);
        const a = combineAnnotators(anns, image, grid).gray;
        const b = combineAnnotators(
          [...anns].reverse().map((p) => [...p].reverse()),
          image,
          grid,
        ).gray;
        expect(b).toEqual(a);
      }),
    );
  });
});

describe('scanlineRuns', () => {
  /** The bytes the runs describe. */
  const expand = (runs: RunsBuilder) => {
    const out: number[] = [];
    for (let i = 0; i < runs.count; i++) for (let k = 0; k < runs.lengths[i]!; k++) out.push(runs.values[i]!);
    return Uint8Array.from(out);
  };

  it('a 4x2 grid, two annotators: filter byte 0 before each row, levels as runs', () => {
    // 40x20 image on a 4x2 grid: cells 10x10, centres (5, 5), (15, 5), ...; R = 1. Each point sits on a centre.
    const runs = new RunsBuilder();
    const { empty } = scanlineRuns(
      [
        [{ x: 5, y: 5 }],
        [
          { x: 5, y: 5 },
          { x: 15, y: 5 },
        ],
      ],
      { width: 40, height: 20 },
      gridSize(4, 2),
      runs,
    );
    expect(empty).toBe(false);
    expect([...expand(runs)]).toEqual([0, 255, 128, 0, 0, 0, 0, 0, 0, 0]);
    expect(runs.count).toBe(4); // 0 | 255 | 128 | 0 0 0 0 0 0 0
  });

  it('property: the same bytes as rasterizeLevels into PNG scanlines, for any grid, image and annotators (> 255 too)', () => {
    let covered = 0;
    const point = fc.record({ x: fc.double({ min: 0, max: 1, noNaN: true }), y: fc.double({ min: 0, max: 1, noNaN: true }) });
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 60 }),
        fc.integer({ min: 1, max: 60 }),
        fc.double({ min: 1, max: 900, noNaN: true }),
        fc.double({ min: 1, max: 900, noNaN: true }),
        fc.array(fc.array(point, { maxLength: 4 }), { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 0, max: 300 }),
        (gw, gh, w, h, anns, silent) => {
          const image = { width: w, height: h };
          const grid = gridSize(gw, gh);
          const points = [...anns.map((a) => a.map((p) => ({ x: p.x * w, y: p.y * h }))), ...Array.from({ length: silent }, () => [])];
          const raw = new Uint8Array((gw + 1) * gh);
          const written = rasterizeLevels(points, image, grid, raw, { stride: gw + 1, offset: 1 });
          const runs = new RunsBuilder();
          expect(scanlineRuns(points, image, grid, runs).empty).toBe(written.empty);
          expect(expand(runs)).toEqual(raw);
          if (!written.empty) covered++;
        },
      ),
      { numRuns: 200 },
    );
    // The maps that are not empty: 56 to 94 of the 200 for 300 seeds (median 73). The bound was
    // 50, which a seed met exactly once in CI (fast-check draws a new seed every run).
    expect(covered).toBeGreaterThan(20);
  });
});

describe('parseGridSize (the command line and the review page both read grid sizes here)', () => {
  it('"N" is square, "WxH" is width x height; spaces around are fine; sides 1 to 4096', () => {
    expect(parseGridSize('512')).toEqual({ width: 512, height: 512 });
    expect(parseGridSize(' 640x480 ')).toEqual({ width: 640, height: 480 });
    expect(parseGridSize('64X32')).toEqual({ width: 64, height: 32 });
    expect(parseGridSize('4096x1')).toEqual({ width: 4096, height: 1 });
    for (const bad of ['0', '4097', '5000', '12x', 'x12', '', '1e3', '-5', '3.5', '64x32x2', '99999999']) expect(parseGridSize(bad), bad).toBeNull();
  });
  it('property: every in-range WxH reads back; a side out of range never does', () => {
    let outOfRange = 0;
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 20_000 }), fc.integer({ min: 0, max: 20_000 }), (w, h) => {
        const ok = w >= 1 && h >= 1 && w <= MAX_GRID_SIDE && h <= MAX_GRID_SIDE;
        if (!ok) outOfRange++;
        expect(parseGridSize(`${w}x${h}`)).toEqual(ok ? { width: w, height: h } : null);
      }),
    );
    expect(outOfRange).toBeGreaterThan(0);
  });
  it('the engine refuses other grids with the same limit', () => {
    expect(() => combineAnnotators([[{ x: 1, y: 1 }]], { width: 10, height: 10 }, gridSize(4097, 4))).toThrow('heatmap grids are 1 to 4096 cells a side, got 4097x4');
  });
});
