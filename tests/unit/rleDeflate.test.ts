import { inflateSync } from 'node:zlib';
import { unzlibSync } from 'fflate';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { huffmanLengths, makeRleZlib, rleZlib } from '../../src/core/encode/rleDeflate.ts';

const inflate = (z: Uint8Array) => new Uint8Array(inflateSync(z)); // node's zlib checks the Adler-32 too

describe('rleZlib', () => {
  it('writes a known stream for a tiny input', () => {
    // "aaaaa" = literal 'a' + a run of 4 at distance 1; zlib header 78 01 (CM 8, 32K window,
    // FCHECK so that 0x7801 % 31 == 0), the Adler-32 of the input at the end.
    const z = rleZlib(new TextEncoder().encode('aaaaa'));
    expect([...z.subarray(0, 2)]).toEqual([0x78, 0x01]);
    expect(new TextDecoder().decode(inflate(z))).toBe('aaaaa');
    // Adler-32 of "aaaaa": a = 1 + 5 * 97 = 486 = 0x01e6, b = 5 + 97 * 15 = 1460 = 0x05b4.
    expect([...z.subarray(z.length - 4)]).toEqual([0x05, 0xb4, 0x01, 0xe6]);
  });
  it('round-trips empty input, long runs across the 258 limit and every byte value', () => {
    expect(inflate(rleZlib(new Uint8Array(0)))).toEqual(new Uint8Array(0));
    for (const len of [1, 2, 3, 4, 258, 259, 260, 261, 262, 516, 517, 100_000]) {
      const raw = new Uint8Array(len).fill(7);
      expect(inflate(rleZlib(raw)), `run of ${len}`).toEqual(raw);
    }
    const all = Uint8Array.from({ length: 512 }, (_, i) => i % 256);
    expect(unzlibSync(rleZlib(all))).toEqual(all);
  });
  it('compresses a sparse 512x512 heatmap well', () => {
    const w = 513;
    const raw = new Uint8Array(w * 512);
    for (let y = 200; y < 250; y++) for (let x = 100; x < 160; x++) raw[y * w + 1 + x] = 170;
    const z = rleZlib(raw);
    expect(inflate(z)).toEqual(raw);
    expect(z.length).toBeLessThan(2000);
    // Copying the row above makes the repeated disc rows almost free.
    const zr = makeRleZlib(w)(raw);
    expect(inflate(zr)).toEqual(raw);
    expect(zr.length).toBeLessThan(z.length);
  });
  it('round-trips arbitrary data with runs (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ v: fc.integer({ min: 0, max: 255 }), n: fc.integer({ min: 1, max: 600 }) }), { maxLength: 40 }), (runs) => {
        const raw = Uint8Array.from(runs.flatMap(({ v, n }) => new Array<number>(n).fill(v)));
        expect(inflate(rleZlib(raw))).toEqual(raw);
      }),
    );
  });
  it('round-trips image-like rows with row copies, any stride (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 700 }), fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 3000 }), (stride, cells) => {
        // Rows that often repeat the previous one with small changes, like heatmap scanlines.
        const raw = Uint8Array.from(cells, (c, i) => (c === 0 && i >= stride ? cells[i - stride]! * 85 : c * 85));
        expect(inflate(makeRleZlib(stride)(raw))).toEqual(raw);
      }),
    );
  });
});

describe('huffmanLengths', () => {
  it('gives optimal lengths for a hand-checked case and respects the limit', () => {
    // Frequencies 1, 1, 2, 4: Huffman merges (1+1)=2, (2+2)=4, (4+4)=8 -> lengths 3, 3, 2, 1.
    expect([...huffmanLengths([1, 1, 2, 4], 15)]).toEqual([3, 3, 2, 1]);
    expect([...huffmanLengths([0, 5, 0], 15)]).toEqual([0, 1, 0]);
    // Fibonacci frequencies make a maximally deep tree (depth 19 for 20 symbols); limited to 7 bits.
    const fib = [1, 1];
    while (fib.length < 20) fib.push(fib[fib.length - 1]! + fib[fib.length - 2]!);
    const l = huffmanLengths(fib, 7);
    expect(Math.max(...l)).toBeLessThanOrEqual(7);
    // Kraft equality: a complete prefix code.
    expect([...l].reduce((a, x) => a + 2 ** -x, 0)).toBe(1);
  });
});
