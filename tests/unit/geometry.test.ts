import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { clampToImage, discRadius, fitViewport, hitTest, imagePoint, panBy, stagePoint, toImage, toStage, zoomAt } from '../../src/core/annotate/geometry.ts';

describe('viewport transforms', () => {
  test('fit centres a 768x512 image in a 1000x600 stage', () => {
    const v = fitViewport(768, 512, 1000, 600, 0);
    expect(v.scale).toBeCloseTo(600 / 512, 12);
    expect(v.x).toBeCloseTo((1000 - 768 * (600 / 512)) / 2, 12);
    expect(v.y).toBeCloseTo(0, 12);
  });
  test('image <-> stage by hand', () => {
    const v = { scale: 2, x: 10, y: 20 };
    expect(toStage(v, imagePoint(5, 7))).toEqual({ x: 20, y: 34 });
    expect(toImage(v, stagePoint(20, 34))).toEqual({ x: 5, y: 7 });
  });
  test('zooming keeps the image point under the anchor fixed', () => {
    const v = { scale: 1, x: 0, y: 0 };
    const z = zoomAt(v, stagePoint(100, 50), 2);
    expect(z).toEqual({ scale: 2, x: -100, y: -50 });
    expect(toImage(z, stagePoint(100, 50))).toEqual({ x: 100, y: 50 });
  });
  test('property: a point stays on the same image content through any zoom and pan', () => {
    fc.assert(
      fc.property(
        fc.record({ x: fc.double({ min: 0, max: 2048, noNaN: true }), y: fc.double({ min: 0, max: 2048, noNaN: true }) }),
        fc.array(
          fc.oneof(
            fc.record({
              t: fc.constant('zoom' as const),
              ax: fc.double({ min: 0, max: 1600, noNaN: true }),
              ay: fc.double({ min: 0, max: 1000, noNaN: true }),
              f: fc.double({ min: 0.5, max: 2, noNaN: true }),
            }),
            fc.record({
              t: fc.constant('pan' as const),
              ax: fc.double({ min: -500, max: 500, noNaN: true }),
              ay: fc.double({ min: -500, max: 500, noNaN: true }),
              f: fc.constant(1),
            }),
          ),
          { maxLength: 20 },
        ),
        (p, ops) => {
          let v = fitViewport(1024, 768, 1280, 720);
          for (const op of ops) v = op.t === 'zoom' ? zoomAt(v, stagePoint(op.ax, op.ay), op.f) : panBy(v, op.ax, op.ay);
          const back = toImage(v, toStage(v, imagePoint(p.x, p.y)));
          expect(Math.abs(back.x - p.x)).toBeLessThan(1e-6);
          expect(Math.abs(back.y - p.y)).toBeLessThan(1e-6);
        },
      ),
    );
  });
});

describe('discs and hit testing (image pixels)', () => {
  test('effective radius is H/20', () => {
    expect(discRadius(512)).toBe(25.6);
    expect(discRadius(768)).toBe(38.4);
  });
  test('hit inside, on the rim, and outside the disc', () => {
    const pts = [{ x: 100, y: 100 }];
    expect(hitTest(pts, imagePoint(100, 125.6), 25.6)).toBe(0);
    expect(hitTest(pts, imagePoint(100, 125.7), 25.6)).toBe(-1);
  });
  test('overlapping discs: nearest centre wins, ties go to the one on top', () => {
    const pts = [
      { x: 0, y: 0 },
      { x: 10, y: 0 },
      { x: 10, y: 0 },
    ];
    expect(hitTest(pts, imagePoint(2, 0), 20)).toBe(0);
    expect(hitTest(pts, imagePoint(9, 0), 20)).toBe(2);
  });
  test('clamp keeps points on the image', () => {
    expect(clampToImage({ x: -3, y: 600 }, 512, 512)).toEqual({ x: 0, y: 512 });
  });
});
