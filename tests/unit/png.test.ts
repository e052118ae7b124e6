import zlib from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { base64ToBytes, bytesToBase64 } from '../../src/core/encode/base64.ts';
import { readImageSize } from '../../src/core/encode/imageSize.ts';
import { encodeGrayPng, grayPng } from '../../src/core/encode/png.ts';
import { decodeHeatmapPng } from '../../src/core/encode/pngDecode.ts';
import { decode } from 'fast-png';

const nativeRle = (raw: Uint8Array) => new Uint8Array(zlib.deflateSync(raw, { strategy: zlib.constants.Z_RLE }));

describe('encodeGrayPng', () => {
  it('writes signature, IHDR (8-bit gray), IDAT and IEND with correct CRCs (checked by an independent decoder)', () => {
    const gray = new Uint8Array([0, 85, 170, 255, 0, 128]);
    const png = encodeGrayPng(3, 2, gray);
    expect([...png.subarray(0, 8)]).toEqual([137, 80, 78, 71, 13, 10, 26, 10]);
    expect(Buffer.from(png.subarray(12, 16)).toString('latin1')).toBe('IHDR');
    expect([...png.subarray(16, 29)]).toEqual([0, 0, 0, 3, 0, 0, 0, 2, 8, 0, 0, 0, 0]);
    // IHDR CRC, computed with zlib's CRC-32 over "IHDR" + the 13 data bytes.
    expect(Buffer.from(png.subarray(29, 33)).readUInt32BE(0)).toBe(zlib.crc32(Buffer.from(png.subarray(12, 29))));
    const decoded = decode(png, { checkCrc: true });
    expect([decoded.width, decoded.height, decoded.channels, decoded.depth]).toEqual([3, 2, 1, 8]);
    expect([...decoded.data]).toEqual([...gray]);
    expect(readImageSize(png)).toEqual({ type: 'png', width: 3, height: 2 });
  });

  it('the row filter is None, so the inflated data is each row prefixed by 0', () => {
    const png = encodeGrayPng(2, 2, new Uint8Array([1, 2, 3, 4]));
    const idatLen = Buffer.from(png.subarray(33, 37)).readUInt32BE(0);
    const raw = zlib.inflateSync(png.subarray(41, 41 + idatLen));
    expect([...raw]).toEqual([0, 1, 2, 0, 3, 4]);
  });

  it("property: the image data is Node's zlib Z_RLE stream of the scanlines, and decodes back (ours and fast-png)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 40 }), fc.integer(), (w, h, seed) => {
        const gray = new Uint8Array(w * h).map((_, i) => ((i * 2654435761 + seed) >>> 24) & (i % 7 === 0 ? 255 : 0));
        const scanlines = new Uint8Array((w + 1) * h);
        for (let r = 0; r < h; r++) scanlines.set(gray.subarray(r * w, (r + 1) * w), r * (w + 1) + 1);
        const png = encodeGrayPng(w, h, gray);
        expect(Buffer.from(png).equals(Buffer.from(grayPng(w, h, nativeRle(scanlines))))).toBe(true);
        expect([...decodeHeatmapPng(png).gray]).toEqual([...gray]);
        expect([...decode(png).data]).toEqual([...gray]);
      }),
      { numRuns: 50 },
    );
  });

  it('decodeHeatmapPng undoes all five row filters (rows filtered here by the PNG spec, cross-checked with fast-png)', () => {
    const w = 16;
    const h = 10;
    const gray = new Uint8Array(w * h).map((_, i) => (i * 37 + (i >> 3) * 11) & 255);
    const px = (c: number, r: number) => (c < 0 || r < 0 ? 0 : gray[r * w + c]!);
    const paeth = (a: number, b: number, c: number) => {
      const p = a + b - c;
      const [pa, pb, pc] = [Math.abs(p - a), Math.abs(p - b), Math.abs(p - c)];
      return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    };
    const raw: number[] = [];
    for (let r = 0; r < h; r++) {
      const f = r % 5;
      raw.push(f);
      for (let c = 0; c < w; c++) {
        const [x, a, b, cc] = [px(c, r), px(c - 1, r), px(c, r - 1), px(c - 1, r - 1)];
        const pred = [0, a, b, (a + b) >> 1, paeth(a, b, cc)][f]!;
        raw.push((x - pred) & 255);
      }
    }
    const png = grayPng(w, h, new Uint8Array(zlib.deflateSync(new Uint8Array(raw))));
    expect([...decode(png).data]).toEqual([...gray]);
    expect([...decodeHeatmapPng(png).gray]).toEqual([...gray]);
  });

  it('property: any pixels, any filter per row (noise makes Paeth pick each of its three neighbours)', () => {
    const picks = [0, 0, 0];
    let averagePairs = 0; // two Average rows in a row: the decoder undoes them in one loop
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 24 }),
        fc.integer({ min: 1, max: 12 }),
        fc.infiniteStream(fc.integer({ min: 0, max: 255 })),
        fc.infiniteStream(fc.integer({ min: 0, max: 4 })),
        (w, h, values, filters) => {
          const it = values[Symbol.iterator]();
          const gray = Uint8Array.from({ length: w * h }, () => it.next().value as number);
          const px = (c: number, r: number) => (c < 0 || r < 0 ? 0 : gray[r * w + c]!);
          const chosen = filters[Symbol.iterator]();
          const raw: number[] = [];
          for (let r = 0; r < h; r++) {
            const f = chosen.next().value as number;
            if (f === 3 && r > 0 && raw[(r - 1) * (w + 1)] === 3) averagePairs++;
            raw.push(f);
            for (let c = 0; c < w; c++) {
              const [x, a, b, d] = [px(c, r), px(c - 1, r), px(c, r - 1), px(c - 1, r - 1)];
              const p = a + b - d;
              const [pa, pb, pc] = [Math.abs(p - a), Math.abs(p - b), Math.abs(p - d)];
              const k = pa <= pb && pa <= pc ? 0 : pb <= pc ? 1 : 2;
              if (f === 4) picks[k]!++;
              const pred = [0, a, b, (a + b) >> 1, [a, b, d][k]!][f]!;
              raw.push((x - pred) & 255);
            }
          }
          const png = grayPng(w, h, new Uint8Array(zlib.deflateSync(new Uint8Array(raw))));
          expect([...decodeHeatmapPng(png).gray]).toEqual([...gray]);
        },
      ),
      { numRuns: 200 },
    );
    for (const n of picks) expect(n).toBeGreaterThan(0);
    expect(averagePairs).toBeGreaterThan(0);
  });
});

describe('base64', () => {
  it('literal cases (RFC 4648 test vectors)', () => {
    const enc = (s: string) => bytesToBase64(new TextEncoder().encode(s));
    expect(['', 'f', 'fo', 'foo', 'foob', 'fooba', 'foobar'].map(enc)).toEqual(['', 'Zg==', 'Zm8=', 'Zm9v', 'Zm9vYg==', 'Zm9vYmE=', 'Zm9vYmFy']);
    expect(() => base64ToBytes('Zm9')).toThrow(/length/);
    expect(() => base64ToBytes('Zm!v')).toThrow(/character/);
  });
  it('property: a character outside the alphabet anywhere is refused, located at the first one', () => {
    let inBody = 0;
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 60 }), fc.nat(), fc.constantFrom('!', '-', '_', ' ', '\n', '=', 'é', '€', '\u0100'), (bytes, at, bad) => {
        const text = bytesToBase64(bytes);
        const k = at % text.length;
        const broken = text.slice(0, k) + bad + text.slice(k + 1);
        const first = [...broken].findIndex(
          (ch, i) =>
            !/[A-Za-z0-9+/]/.test(ch) &&
            !(
              ch === '=' &&
              i >= broken.length - 2 &&
              broken
                .slice(i)
                .split('')
                .every((x) => x === '=')
            ),
        );
        if (first < 0) return; // '=' put where padding may stand
        if (first < text.length - 4) inBody++;
        expect(() => base64ToBytes(broken)).toThrow(`invalid base64: unexpected character at ${first}`);
      }),
      { numRuns: 300 },
    );
    expect(inBody).toBeGreaterThan(0);
  });
  it('property: agrees with Buffer and round-trips', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), (bytes) => {
        const text = bytesToBase64(bytes);
        expect(text).toBe(Buffer.from(bytes).toString('base64'));
        expect([...base64ToBytes(text)]).toEqual([...bytes]);
      }),
    );
  });
});
