/** The keyboard cursor (core/annotate/keyboardCursor.ts): hand-checked numbers. */
import { describe, expect, it } from 'vitest';
import { imagePoint } from '../../src/core/annotate/geometry.ts';
import { followCursor, moveCursor, startCursor } from '../../src/core/annotate/keyboardCursor.ts';

const image = { width: 512, height: 256 };

describe('the keyboard cursor', () => {
  it('appears at the image point under the stage centre, brought onto the image', () => {
    expect(startCursor({ scale: 2, x: 0, y: 0 }, { w: 800, h: 400 }, image)).toEqual({ x: 200, y: 100 });
    // The view shows only the image's right edge and beyond: the cursor sits on that edge.
    expect(startCursor({ scale: 1, x: -900, y: 0 }, { w: 800, h: 400 }, image)).toEqual({ x: 512, y: 200 });
    expect(startCursor({ scale: 1, x: 0, y: 0 }, { w: 800, h: 400 }, image)).toEqual({ x: 400, y: 200 });
  });

  it('moves in stage pixels at the view scale and stays on the image', () => {
    expect(moveCursor(imagePoint(100, 100), 10, -10, { scale: 2, x: 0, y: 0 }, image)).toEqual({ x: 105, y: 95 });
    expect(moveCursor(imagePoint(100, 100), 50, 0, { scale: 0.5, x: 0, y: 0 }, image)).toEqual({ x: 200, y: 100 });
    expect(moveCursor(imagePoint(508, 2), 50, -50, { scale: 1, x: 0, y: 0 }, image)).toEqual({ x: 512, y: 0 });
  });

  it('pans the view only as far as needed to keep the cursor 40 px inside the stage', () => {
    const v = { scale: 2, x: 0, y: 0 };
    expect(followCursor(v, { w: 800, h: 400 }, imagePoint(100, 100))).toBe(v);
    // At stage x 780: 20 px past the right margin (760), so the image moves 20 px left.
    expect(followCursor(v, { w: 800, h: 400 }, imagePoint(390, 100))).toEqual({ scale: 2, x: -20, y: 0 });
    // At stage y 10: 30 px above the top margin.
    expect(followCursor(v, { w: 800, h: 400 }, imagePoint(100, 5))).toEqual({ scale: 2, x: 0, y: 30 });
    // A stage narrower than two margins: the cursor is centred.
    expect(followCursor(v, { w: 60, h: 400 }, imagePoint(100, 100))).toEqual({ scale: 2, x: -170, y: 0 });
  });
});
