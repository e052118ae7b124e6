import fc from 'fast-check';
import { snappyCompress as theirs } from 'hyparquet-writer/src/snappy.js';
import { snappyUncompress } from 'hyparquet';
import { describe, expect, it } from 'vitest';
import { snappyCompress } from '../../src/core/parquet/snappy.ts';

/** Our Snappy compressor against hyparquet-writer's, whose bytes it must give, and against hyparquet's decompressor. */
const back = (compressed: Uint8Array, length: number) => {
  const output = new Uint8Array(length);
  snappyUncompress(compressed, output);
  return output;
};

describe('snappyCompress', () => {
  it('gives hyparquet-writer’s bytes for hand-made inputs', () => {
    const text = new TextEncoder().encode('a photo of a cat, a photo of a dog, a photo of a cat on a mat');
    for (const input of [new Uint8Array(0), new Uint8Array([7]), new Uint8Array(14).fill(1), new Uint8Array(15).fill(1), text, new Uint8Array(70_000).fill(3)]) {
      const ours = snappyCompress(input);
      expect([...ours]).toEqual([...theirs(input)]);
      expect([...back(ours, input.length)]).toEqual([...input]);
    }
    // 70,000 equal bytes: copies of 64, far shorter than the input.
    expect(snappyCompress(new Uint8Array(70_000).fill(3)).length).toBeLessThan(4_000);
  });

  it('gives hyparquet-writer’s bytes for random inputs, long literals and long matches among them', () => {
    // Bytes from a small alphabet in runs and repeats (matches), or from all 256 values (literals), up to 2^15 long (hash tables of every size).
    const repetitive = fc
      .array(
        fc.oneof(
          fc.uint8Array({ minLength: 1, maxLength: 8 }).map((b) => ({ b, times: 1 })),
          fc.record({ b: fc.uint8Array({ minLength: 1, maxLength: 4 }), times: fc.integer({ min: 2, max: 200 }) }),
        ),
        { maxLength: 60 },
      )
      .map((parts) => Uint8Array.from(parts.flatMap(({ b, times }) => Array.from({ length: times }, () => [...b]).flat())));
    const input = fc.oneof(fc.uint8Array({ maxLength: 200 }), fc.uint8Array({ minLength: 1_000, maxLength: 40_000 }), repetitive);
    let longLiteral = 0;
    let copies = 0;
    fc.assert(
      fc.property(input, (bytes) => {
        const ours = snappyCompress(bytes);
        expect(Buffer.from(ours).equals(Buffer.from(theirs(bytes)))).toBe(true);
        expect(Buffer.from(back(ours, bytes.length)).equals(Buffer.from(bytes))).toBe(true);
        if (bytes.length > 1000 && ours.length > bytes.length) longLiteral++;
        if (ours.length < bytes.length / 2) copies++;
      }),
      { numRuns: 300 },
    );
    expect(longLiteral).toBeGreaterThan(10);
    expect(copies).toBeGreaterThan(10);
  });

  it('returns a copy of its own each time', () => {
    const a = snappyCompress(new Uint8Array(100).fill(1));
    const before = [...a];
    snappyCompress(new Uint8Array(100).fill(2));
    expect([...a]).toEqual(before);
  });
});
