import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DatasetRow } from '../../src/core/parquet/datasetRow.ts';
import { packedMapBytes, packedRowHead, packRow, unpackRow } from '../../src/core/parquet/packedRow.ts';
import { smallDatasetRow } from './helpers/datasetRow.ts';

/** A row with its PNGs as plain arrays, so rows compare by value (toEqual treats -0 and 0 apart, as Object.is does). */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

const plain = (r: DatasetRow) => ({ ...r, artifactPng: [...r.artifactPng], misalignmentPng: [...r.misalignmentPng] });

describe('packRow and unpackRow', () => {
  it('give back a small row as it was, its PNGs as views into the one buffer', () => {
    const row = smallDatasetRow('item-1', 'images/a b.png', { tokenVotes: [0, 3], misalignedTokens: [1], points: [{ kind: 'misalignment', x: 0.5, y: 511.25 }] });
    const packed = packRow(row);
    expect(packed.byteOffset).toBe(0);
    expect(packed.byteLength).toBe(packed.buffer.byteLength);
    const back = unpackRow(packed);
    expect(plain(back)).toEqual(plain(row));
    expect(back.artifactPng.buffer).toBe(packed.buffer);
    expect([...back.misalignmentPng]).toEqual([4, 5]);
    expect(packedRowHead(packed)).toEqual({ id: 'item-1', image: 'images/a b.png', imageWidth: 4, imageHeight: 4 });
    expect(packedMapBytes(packed)).toBe(5);
  });

  it('keeps every number and string exactly (-0, NaN, lone surrogates, texts of any length)', () => {
    // Any code point (pairs for the astral ones), or any single code unit (a lone surrogate 1 in 32 times).
    const unit = fc.oneof(
      fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
      fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)),
    );
    const text = fc.string({ unit, maxLength: 12 });
    const number = fc.double();
    const scores = fc.record({ plausibility: number, alignment: number, aesthetics: number, overall: number });
    const bytes = fc.uint8Array({ maxLength: 20 });
    const annotation = fc.record({
      annotator: text,
      scores,
      misalignedTokens: fc.array(number, { maxLength: 4 }),
      points: fc.array(fc.record({ kind: fc.constantFrom('artifact' as const, 'misalignment' as const), x: number, y: number }), { maxLength: 5 }),
      submittedAt: text,
      activeMs: number,
    });
    const row: fc.Arbitrary<DatasetRow> = fc.record({
      id: text,
      image: text,
      // Now and then a prompt past one String.fromCharCode call's slice of 8,192 code units.
      prompt: fc.oneof({ arbitrary: text, weight: 4 }, { arbitrary: fc.string({ unit, minLength: 8_000, maxLength: 20_000 }), weight: 1 }),
      tokens: fc.array(text, { maxLength: 6 }),
      promptMisalignmentLabel: text,
      tokenVotes: fc.array(number, { maxLength: 6 }),
      imageWidth: number,
      imageHeight: number,
      scores,
      normalizedScores: scores,
      artifactPng: bytes,
      misalignmentPng: bytes,
      annotations: fc.array(annotation, { maxLength: 4 }),
    });
    let negativeZero = 0;
    let loneSurrogate = 0;
    let longText = 0;
    fc.assert(
      fc.property(row, (r) => {
        const packed = packRow(r);
        const back = unpackRow(packed);
        expect(plain(back)).toEqual(plain(r));
        expect(packedRowHead(packed)).toEqual({ id: r.id, image: r.image, imageWidth: r.imageWidth, imageHeight: r.imageHeight });
        expect(packedMapBytes(packed)).toBe(r.artifactPng.length + r.misalignmentPng.length);
        const numbers = [r.imageWidth, ...r.tokenVotes, ...Object.values(r.scores), ...r.annotations.flatMap((a) => [a.activeMs, ...a.points.flatMap((p) => [p.x, p.y])])];
        if (numbers.some((n) => Object.is(n, -0))) negativeZero++;
        if ([r.id, r.prompt, ...r.tokens].some((s) => LONE_SURROGATE.test(s))) loneSurrogate++;
        if (r.prompt.length > 8192) longText++;
      }),
      { numRuns: 300 },
    );
    expect(negativeZero).toBeGreaterThan(0);
    expect(loneSurrogate).toBeGreaterThan(0);
    expect(longText).toBeGreaterThan(0);
  });
});
