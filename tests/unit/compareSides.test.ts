import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { chosenSide, itemAnswer, leftImage, leftImages, screenAnswer } from '../../src/core/compare/sides.ts';

describe('the side draw', () => {
  test('the same (seed, annotator, position) always gives the same side; positions go in opposite pairs', () => {
    for (let p = 0; p < 40; p += 2) {
      expect(leftImage('demo', 'alice', p)).toBe(leftImage('demo', 'alice', p));
      expect(leftImage('demo', 'alice', p + 1)).toBe(1 - leftImage('demo', 'alice', p));
    }
    const sides = (annotator: string, seed = 'demo') => Array.from({ length: 40 }, (_, p) => leftImage(seed, annotator, p)).join('');
    expect(sides('alice')).not.toBe(sides('bob'));
    expect(sides('alice')).not.toBe(sides('alice', 'other pack'));
    expect(() => leftImage('demo', 'alice', -1)).toThrow(RangeError);
    expect(() => leftImage('demo', 'alice', 1.5)).toThrow(RangeError);
    expect([...leftImages('demo', 'alice', ['x', 'y', 'z']).entries()]).toEqual([
      ['x', leftImage('demo', 'alice', 0)],
      ['y', leftImage('demo', 'alice', 1)],
      ['z', leftImage('demo', 'alice', 2)],
    ]);
  });

  test("over 1,000 (annotator, item) pairs the left share is within 45-55%, and each annotator's is balanced within one", () => {
    const annotators = Array.from({ length: 6 }, (_, i) => `annotator-${i}`);
    let left0 = 0;
    let total = 0;
    for (const a of annotators) {
      let mine = 0;
      for (let p = 0; p < 167; p++) mine += leftImage('pack', a, p) === 0 ? 1 : 0;
      expect(Math.abs(mine - 167 / 2), a).toBeLessThanOrEqual(1);
      left0 += mine;
      total += 167;
    }
    expect(total).toBeGreaterThanOrEqual(1000);
    expect(left0 / total).toBeGreaterThanOrEqual(0.45);
    expect(left0 / total).toBeLessThanOrEqual(0.55);
  });

  test('property: any annotator, any seed, after any number of items: balanced within one', () => {
    let odd = 0;
    fc.assert(
      fc.property(fc.string(), fc.string({ minLength: 1 }), fc.integer({ min: 1, max: 300 }), (seed, annotator, n) => {
        let zeros = 0;
        for (let p = 0; p < n; p++) zeros += leftImage(seed, annotator, p) === 0 ? 1 : 0;
        expect(Math.abs(2 * zeros - n)).toBeLessThanOrEqual(1);
        if (n % 2 === 1) odd++;
      }),
      { numRuns: 300 },
    );
    expect(odd).toBeGreaterThan(0);
  });

  test('property: across annotators, the first item of each pair is left half the time (the draw is not a fixed pattern)', () => {
    let zeros = 0;
    const n = 2000;
    for (let a = 0; a < n; a++) zeros += leftImage('s', `a${a}`, 0) === 0 ? 1 : 0;
    // Binomial(2000, 1/2): 5 standard deviations is ±112.
    expect(Math.abs(zeros - n / 2)).toBeLessThan(112);
  });
});

describe("answers: the screen's terms and the item's", () => {
  test('with images[0] on the left the scales agree; with images[1] on the left they are mirrored', () => {
    expect([-2, -1, 0, 1, 2].map((s) => itemAnswer(s, 0))).toEqual([-2, -1, 0, 1, 2]);
    expect([-2, -1, 0, 1, 2].map((s) => itemAnswer(s, 1))).toEqual([2, 1, 0, -1, -2]);
    for (const left of [0, 1] as const) for (const s of [-2, -1, 0, 1, 2]) expect(screenAnswer(itemAnswer(s, left), left)).toBe(s);
  });

  test('the side an answer chose', () => {
    expect(chosenSide(-2, 0)).toBe('left'); // images[0], shown on the left, much better
    expect(chosenSide(-1, 1)).toBe('right'); // images[0], shown on the right
    expect(chosenSide(2, 1)).toBe('left');
    expect(chosenSide(1, 0)).toBe('right');
    expect(chosenSide(0, 1)).toBe('tie');
  });
});
