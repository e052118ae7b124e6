import zlib from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bytesToBase64, lenientBase64ToBytes } from '../../src/core/encode/base64.ts';
import { nativeBase64, nativeInflate, reusingNativeBase64, reusingPlainBase64 } from '../../src/node/heatmapPairs.ts';

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

describe('reusingPlainBase64: the predicted maps of richhf evaluate, decoded from the file bytes', () => {
  it("property: text of the alphabet with padding at most at its end gives lenientBase64ToBytes's bytes; any other text is refused", () => {
    const seen = { plain: 0, long: 0, refused: 0 };
    const long = fc.integer({ min: 30_000, max: 70_000 }).map((n) => Uint8Array.from({ length: n }, (_, i) => (i * 7919) % 256));
    const texts = fc.oneof(
      fc.uint8Array({ maxLength: 40 }).map(bytesToBase64),
      fc.uint8Array({ maxLength: 40 }).map((b) => bytesToBase64(b).replace(/=+$/, '')),
      fc.tuple(fc.uint8Array({ minLength: 1, maxLength: 40 }), fc.nat(), fc.integer({ min: 0, max: 255 })).map(([b, at, code]) => {
        const t = bytesToBase64(b);
        const k = at % t.length;
        return t.slice(0, k) + String.fromCharCode(code) + t.slice(k + 1); // any byte
      }),
      // Longer than one piece (32 KiB of text), plain or with one byte changed anywhere.
      fc.tuple(long, fc.nat(), fc.constantFrom('=', '\\', '-', '\n', 'A')).map(([b, at, ch]) => {
        const t = bytesToBase64(b);
        const k = at % (t.length + 1);
        return at % 3 === 0 ? t : t.slice(0, k) + ch + t.slice(k + 1);
      }),
    );
    const decode = reusingPlainBase64();
    fc.assert(
      fc.property(texts, fc.nat(5), (text, before) => {
        const file = Buffer.from('"'.repeat(before) + text + '"', 'latin1');
        const bytes = decode(file, before, before + text.length);
        if (bytes === null) {
          seen.refused++;
          // Never base64 as writers write it: canonical, padded or with the padding left out.
          const canonical = bytesToBase64(lenientBase64ToBytes(text) ?? new Uint8Array(0));
          expect(text.length > 0 && (text === canonical || text === canonical.replace(/=+$/, ''))).toBe(false);
          return;
        }
        seen.plain++;
        if (text.length > 1 << 15) seen.long++;
        expect(text).toMatch(/^[A-Za-z0-9+/]*={0,2}$/);
        expect(JSON.parse(`"${text}"`)).toBe(text);
        expect(Array.from(bytes)).toEqual(Array.from(lenientBase64ToBytes(text)!));
      }),
      { numRuns: 2000 },
    );
    expect(seen.plain).toBeGreaterThan(0);
    expect(seen.long).toBeGreaterThan(0);
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
