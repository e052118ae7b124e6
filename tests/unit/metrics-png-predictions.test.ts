import { encode } from 'fast-png';
import { zlibSync } from 'fflate';
import { describe, expect, test } from 'vitest';
import { parsePredictionsText } from '../../src/core/formats/readPredictions.ts';
import { formatLocatedError } from '../../src/core/formats/located.ts';
import { lenientBase64ToBytes } from '../../src/core/encode/base64.ts';
import { decodeBase64GrayPng, decodeGrayPng, decodeHeatmapPng, type GrayImage } from '../../src/core/encode/pngDecode.ts';

function crc32(bytes: Uint8Array): number {
  let c = ~0;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}

/** A PNG built by hand: IHDR + one IDAT holding `raw` (filter bytes included) + IEND. */
function handPng(w: number, h: number, depth: number, colorType: number, raw: Uint8Array): Uint8Array {
  const chunks: Uint8Array[] = [Uint8Array.from([137, 80, 78, 71, 13, 10, 26, 10])];
  const add = (type: string, data: Uint8Array) => {
    const c = new Uint8Array(12 + data.length);
    const v = new DataView(c.buffer);
    v.setUint32(0, data.length);
    for (let i = 0; i < 4; i++) c[4 + i] = type.charCodeAt(i);
    c.set(data, 8);
    v.setUint32(8 + data.length, crc32(c.subarray(4, 8 + data.length)));
    chunks.push(c);
  };
  const ihdr = new Uint8Array(13);
  new DataView(ihdr.buffer).setUint32(0, w);
  new DataView(ihdr.buffer).setUint32(4, h);
  ihdr[8] = depth;
  ihdr[9] = colorType;
  add('IHDR', ihdr);
  add('IDAT', zlibSync(raw));
  add('IEND', new Uint8Array(0));
  const out = new Uint8Array(chunks.reduce((s, c) => s + c.length, 0));
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}

const ok = (r: ReturnType<typeof decodeGrayPng>): GrayImage => {
  if (!r.ok) throw new Error(r.reason);
  return r.image;
};
const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

describe('gray PNG decoding', () => {
  test('8-bit gray round trip through fast-png encode', () => {
    const data = Uint8Array.from({ length: 12 }, (_, i) => i * 20);
    const img = ok(decodeGrayPng(encode({ width: 4, height: 3, data, depth: 8, channels: 1 })));
    expect(img).toMatchObject({ width: 4, height: 3, maxValue: 255 });
    expect(Array.from(img.data)).toEqual(Array.from(data));
  });
  test('the five row filters (None, Sub, Up, Average, Paeth), checked by hand', () => {
    // 3x5 image; row r uses filter r. Rows: [10, 20, 30], [40, 50, 60], [70, 80, 90], [100, 110, 120], [5, 200, 7].
    const img = [
      [10, 20, 30],
      [40, 50, 60],
      [70, 80, 90],
      [100, 110, 120],
      [5, 200, 7],
    ];
    const raw = Uint8Array.from([
      0,
      10,
      20,
      30,
      1,
      40,
      10,
      10, // Sub: x - left
      2,
      30,
      30,
      30, // Up: x - above
      3,
      100 - 35,
      110 - ((100 + 80) >> 1),
      120 - ((110 + 90) >> 1), // Average: x - floor((left + above) / 2)
      // Paeth, row 4 over row 3: c0: a=0,b=100,c=0 -> p=100 -> b(100): 5-100 = -95 -> 161;
      // c1: a=5,b=110,c=100 -> p=15: |10|,|95|,|85| -> a(5): 200-5 = 195;
      // c2: a=200,b=120,c=110 -> p=210: |10|,|90|,|100| -> a(200): 7-200 = -193 -> 63
      4,
      161,
      195,
      63,
    ]);
    const png = handPng(3, 5, 8, 0, raw);
    expect(Array.from(ok(decodeGrayPng(png)).data)).toEqual(img.flat());
  });
  test('RGB and RGBA become PIL luma: red 76, green 150, blue 29, white 255', () => {
    const rgb = Uint8Array.from([255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255]);
    expect(Array.from(ok(decodeGrayPng(encode({ width: 4, height: 1, data: rgb, depth: 8, channels: 3 }))).data)).toEqual([76, 150, 29, 255]);
    const rgba = Uint8Array.from([255, 0, 0, 0, 0, 255, 0, 9, 0, 0, 255, 255, 255, 255, 255, 128]);
    expect(Array.from(ok(decodeGrayPng(encode({ width: 4, height: 1, data: rgba, depth: 8, channels: 4 }))).data)).toEqual([76, 150, 29, 255]);
  });
  test('gray + alpha keeps the gray; 16-bit keeps 16 bits', () => {
    const ga = Uint8Array.from([7, 0, 200, 255]);
    expect(Array.from(ok(decodeGrayPng(encode({ width: 2, height: 1, data: ga, depth: 8, channels: 2 }))).data)).toEqual([7, 200]);
    const img16 = ok(decodeGrayPng(encode({ width: 2, height: 1, data: Uint16Array.from([0, 65535]), depth: 16, channels: 1 })));
    expect(img16.maxValue).toBe(65535);
    expect(Array.from(img16.data)).toEqual([0, 65535]);
  });
  test('1-, 2- and 4-bit gray are unpacked with maxValue 2^depth - 1', () => {
    // 5 pixels per row, 1 bit: 10110 000 -> one byte 0b10110000 per row
    const one = handPng(5, 2, 1, 0, Uint8Array.from([0, 0b10110000, 0, 0b01000000]));
    const img1 = ok(decodeGrayPng(one));
    expect(img1.maxValue).toBe(1);
    expect(Array.from(img1.data)).toEqual([1, 0, 1, 1, 0, 0, 1, 0, 0, 0]);
    const four = handPng(3, 1, 4, 0, Uint8Array.from([0, 0xf1, 0x20]));
    const img4 = ok(decodeGrayPng(four));
    expect(img4.maxValue).toBe(15);
    expect(Array.from(img4.data)).toEqual([15, 1, 2]);
  });
  test('palette images map each index through PIL luma of its colour', () => {
    const png = encode({
      width: 3,
      height: 1,
      data: Uint8Array.from([0, 1, 2]),
      depth: 8,
      channels: 1,
      palette: [
        [255, 0, 0],
        [0, 255, 0],
        [10, 10, 10],
      ],
    });
    const img = ok(decodeGrayPng(png));
    expect(Array.from(img.data)).toEqual([76, 150, 10]);
  });
  const good8 = () => encode({ width: 8, height: 8, data: new Uint8Array(64).fill(9), depth: 8, channels: 1 });
  test('broken inputs give a short reason', () => {
    const good = encode({ width: 8, height: 8, data: new Uint8Array(64).fill(9), depth: 8, channels: 1 });
    const reason = (r: ReturnType<typeof decodeGrayPng>) => (r.ok ? 'decoded' : r.reason);
    expect(reason(decodeBase64GrayPng('not base64!'))).toBe('the text is not base64');
    expect(reason(decodeGrayPng(Uint8Array.from([1, 2, 3])))).toBe('no PNG signature');
    expect(reason(decodeGrayPng(good.subarray(0, good.length - 20)))).toMatch(/truncated/);
    const corrupt = good.slice();
    corrupt[45] = corrupt[45]! ^ 0xff; // inside the IDAT's deflate stream
    expect(reason(decodeGrayPng(corrupt))).not.toBe('decoded');
    const huge = good.slice();
    new DataView(huge.buffer).setUint32(16, 100_000);
    new DataView(huge.buffer).setUint32(20, 100_000);
    expect(reason(decodeGrayPng(huge))).toMatch(/larger than/);
    expect(reason(decodeGrayPng(handPng(2, 1, 8, 0, Uint8Array.from([7, 1, 2]))))).toMatch(/unknown row filter 7/);
  });
  test('decodeHeatmapPng: the strict form for our own maps throws the reason', () => {
    expect(decodeHeatmapPng(good8()).gray).toEqual(new Uint8Array(64).fill(9));
    expect(() => decodeHeatmapPng(Uint8Array.from([1, 2, 3]))).toThrow('no PNG signature');
    const sixteen = encode({ width: 2, height: 1, data: Uint16Array.from([0, 65535]), depth: 16, channels: 1 });
    expect(() => decodeHeatmapPng(sixteen)).toThrow('not an 8-bit grayscale PNG');
  });
  test('base64 with and without padding', () => {
    expect(Array.from(lenientBase64ToBytes('AQID')!)).toEqual([1, 2, 3]);
    expect(Array.from(lenientBase64ToBytes('AQI=')!)).toEqual([1, 2]);
    expect(Array.from(lenientBase64ToBytes('AQI')!)).toEqual([1, 2]);
    expect(lenientBase64ToBytes('A')).toBeNull();
    expect(lenientBase64ToBytes('AQ$D')).toBeNull();
    expect(b64(Uint8Array.from([1, 2, 3]))).toBe('AQID');
  });
});

describe('richhf-predictions schema', () => {
  const parse = (value: unknown) => parsePredictionsText('pred.json', JSON.stringify(value));
  const errors = (value: unknown) => {
    const r = parse(value);
    return r.ok ? [] : r.errors.map(formatLocatedError);
  };
  test('every part of an item is optional', () => {
    const r = parse({ format: 'richhf-predictions', version: 1, items: [{ id: 'a' }, { id: 'b', scores: { overall: 0.5 } }, { id: 'c', misalignedTokens: [0, 3] }] });
    expect(r.ok).toBe(true);
  });
  test('located errors: unknown format, version, scores out of [0, 1], bad token indices, duplicates', () => {
    expect(errors({ format: 'richhf-dataset', version: 1, items: [] })).toEqual(['pred.json: format: unknown format "richhf-dataset" (expected "richhf-predictions")']);
    expect(errors({ items: [] })).toEqual(['pred.json: format: no "format" field (expected "richhf-predictions")']);
    expect(errors({ format: 'richhf-predictions', version: 2, items: [] })).toEqual(['pred.json: version: unsupported version 2 (expected 1)']);
    expect(errors([1])[0]).toMatch(/^pred\.json: format: no "format" field/);
    expect(parsePredictionsText('pred.json', '{').ok).toBe(false);
    const bad = errors({
      format: 'richhf-predictions',
      version: 1,
      items: [
        { id: 'a', scores: { plausibility: 1.5 } },
        { id: 'b', misalignedTokens: [0, -1, 2.5, 0] },
        { id: 'a', artifactHeatmap: '' },
        { id: 'c', extra: 1 },
      ],
    });
    expect(bad).toContain('pred.json: items[0].scores.plausibility: must be from 0 to 1');
    expect(bad).toContain('pred.json: items[1].misalignedTokens[1]: must be >= 0');
    expect(bad).toContain('pred.json: items[1].misalignedTokens[2]: must be an integer');
    expect(bad).toContain('pred.json: items[2].artifactHeatmap: must not be empty');
    expect(bad.some((e) => e.startsWith('pred.json: items[3]'))).toBe(true);
  });
  test('duplicate ids and token indices (checked once the items are otherwise valid)', () => {
    const dup = errors({ format: 'richhf-predictions', version: 1, items: [{ id: 'a' }, { id: 'a', misalignedTokens: [1, 1] }] });
    expect(dup).toContain('pred.json: items[1].misalignedTokens[1]: duplicate token index 1');
    expect(errors({ format: 'richhf-predictions', version: 1, items: [{ id: 'a' }, { id: 'b' }, { id: 'a' }] })).toEqual([
      'pred.json: items[2].id: duplicate id "a" (first used by items[0])',
    ]);
  });
});
