import zlib from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bytesToBase64, lenientBase64ToBytes } from '../../src/core/encode/base64.ts';
import { nativeBase64, nativeInflate, reusingNativeBase64 } from '../../src/node/heatmapPairs.ts';

describe('nativeBase64 and reusingNativeBase64 (Node side of richhf evaluate)', () => {
  it('property: the bytes or the refusal of lenientBase64ToBytes, for any text', () => {
    const seen = { native: 0, checked: 0, refused: 0 };
    const bytesOrNull = (b: Uint8Array | null) => (b === null ? null : Array.from(b));
    const texts = fc.oneof(
      fc.uint8Array({ maxLength: 40 }).map(bytesToBase64), // canonical, padded
      fc.uint8Array({ maxLength: 40 }).map((b) => bytesToBase64(b).replace(/=+$/, '')), // padding left out
      fc.tuple(fc.uint8Array({ minLength: 1, maxLength: 40 }), fc.nat(), fc.constantFrom('!', ' ', '\n', '-', '_', '=', 'é', 'B', 'h')).map(([b, at, ch]) => {
        const t = bytesToBase64(b);
        const k = at % t.length;
        return t.slice(0, k) + ch + t.slice(k + 1); // one character changed: bad, or spare bits set
      }),
      fc.string({ maxLength: 12 }),
      fc.string({ unit: fc.constantFrom('A', 'Q', 'g', 'w', '/', '+', '=', '-', '_', ' ', 'é'), maxLength: 16 }),
    );
    // One reusing decoder for the whole run: its buffer grows and is reused, text after text.
    const reusing = reusingNativeBase64();
    fc.assert(
      fc.property(texts, (text) => {
        const want = lenientBase64ToBytes(text);
        const got = nativeBase64(text);
        expect(bytesOrNull(got)).toEqual(bytesOrNull(want));
        expect(bytesOrNull(reusing(text))).toEqual(bytesOrNull(want));
        const padded = text.length % 4 === 0 ? text : text + '='.repeat(4 - (text.length % 4));
        if (want === null) seen.refused++;
        else if (Buffer.from(padded, 'base64').toString('base64') === padded) seen.native++;
        else seen.checked++; // base64 that is not canonical: spare bits set, or the padding left out
      }),
      { numRuns: 5000 },
    );
    expect(seen.native).toBeGreaterThan(0);
    expect(seen.checked).toBeGreaterThan(0);
    expect(seen.refused).toBeGreaterThan(0);
  });
});

describe('nativeInflate', () => {
  it('property: the same bytes whatever the size hint (short, exact, long or none)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 3000 }), fc.integer({ min: -2000, max: 2000 }), (data, off) => {
        const z = zlib.deflateSync(data);
        const want = Array.from(data);
        expect(Array.from(nativeInflate(z))).toEqual(want);
        expect(Array.from(nativeInflate(z, Math.max(1, data.length + off)))).toEqual(want);
      }),
      { numRuns: 200 },
    );
  });
});
