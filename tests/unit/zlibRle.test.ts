import zlib from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RunsBuilder, zlibRle, zlibRleRuns } from '../../src/core/encode/zlibRle.ts';

/** The reference: Node's zlib with the Z_RLE strategy (level 6, as the command line used to call it). */
const native = (raw: Uint8Array) => new Uint8Array(zlib.deflateSync(raw, { level: 6, strategy: zlib.constants.Z_RLE }));
const same = (raw: Uint8Array) => expect(Buffer.from(zlibRle(raw)).equals(Buffer.from(native(raw))), `${raw.length} bytes`).toBe(true);

/**
 * The first deflate block's kind, read from the stream (after the 2-byte zlib header, LSB first:
 * BFINAL, then BTYPE): which of the encoder's branches made it, and whether more blocks follow.
 */
function firstBlock(z: Uint8Array): { kind: 'stored' | 'fixed' | 'dynamic'; more: boolean } {
  const bits = z[2]!;
  return { kind: (['stored', 'fixed', 'dynamic'] as const)[(bits >> 1) & 3]!, more: (bits & 1) === 0 };
}

/** The longest code of an optimal (unbounded) Huffman code for these symbol frequencies, in bits. */
function optimalDepth(freqs: readonly number[]): number {
  let nodes = freqs.filter((f) => f > 0).map((f) => ({ f, depth: 0 }));
  while (nodes.length > 1) {
    nodes.sort((a, b) => a.f - b.f);
    const [a, b] = nodes;
    nodes = [{ f: a!.f + b!.f, depth: Math.max(a!.depth, b!.depth) + 1 }, ...nodes.slice(2)];
  }
  return nodes[0]?.depth ?? 0;
}

describe('zlibRle: zlib Z_RLE, byte for byte', () => {
  it('a hand-checked stream: "aaaaa" is a literal and a run of 4 at distance 1 in one fixed-Huffman block', () => {
    const z = zlibRle(new TextEncoder().encode('aaaaa'));
    // 78 01: deflate, 32K window, FLEVEL 0 (Z_RLE). Then, LSB first: BFINAL 1, BTYPE 01 (fixed);
    // 'a' (97): fixed code 0x30 + 97 = 10010001; length 4: symbol 258 = 0000010; distance code 0:
    // 00000; end of block: 0000000. Packed: 4b 04 01 00. Adler-32 of "aaaaa": a = 1 + 5 * 97 =
    // 0x01e6, b = 5 + 97 * 15 = 0x05b4.
    expect([...z]).toEqual([0x78, 0x01, 0x4b, 0x04, 0x01, 0x00, 0x05, 0xb4, 0x01, 0xe6]);
    same(new TextEncoder().encode('aaaaa'));
  });

  it('edges: empty input, runs around the 3- and 258-byte limits, every byte value, block and window boundaries', () => {
    same(new Uint8Array(0));
    for (const len of [1, 2, 3, 4, 5, 258, 259, 260, 261, 262, 516, 517, 100_000]) same(new Uint8Array(len).fill(7));
    same(Uint8Array.from({ length: 1024 }, (_, i) => i % 256));
    // 16383 symbols fill a block: literals of alternating bytes around that count, and around the
    // first window slide (65274 bytes in) with a stored block in flight.
    for (const n of [16382, 16383, 16384, 16385, 65273, 65274, 65536, 65537]) same(Uint8Array.from({ length: n }, (_, i) => (i * 2654435761) >>> 24));
    // One block (fewer than 16383 symbols) on either side of the window's slide position, and
    // exactly 16382 / 16383 symbols (runs of 16 bytes are 2 symbols each).
    for (const n of [65273, 65274, 65290, 16382 * 8, 16383 * 8]) same(Uint8Array.from({ length: n }, (_, i) => ((i >> 4) * 2654435761) >>> 24));
  });

  it('property: any bytes, given as runs (short and long, few or many values), deflate to what zlib writes', () => {
    // Which branches the inputs reached, read from the streams themselves.
    const reached = { stored: 0, fixed: 0, dynamic: 0, multiBlock: 0 };
    const count = (z: Uint8Array) => {
      const b = firstBlock(z);
      reached[b.kind]++;
      if (b.more) reached.multiBlock++;
    };
    const runs = fc.array(
      fc.tuple(fc.integer({ min: 0, max: 255 }), fc.oneof(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 600 }), fc.integer({ min: 1, max: 70_000 }))),
      { maxLength: 400 },
    );
    fc.assert(
      fc.property(runs, fc.integer({ min: 1, max: 256 }), (list, alphabet) => {
        const b = new RunsBuilder();
        for (const [v, n] of list) b.push(v % alphabet, n);
        const raw = new Uint8Array(list.reduce((n, [, len]) => n + len, 0));
        let at = 0;
        for (const [v, n] of list) raw.fill(v % alphabet, at, (at += n));
        const z = zlibRleRuns(b);
        expect(Buffer.from(z).equals(Buffer.from(native(raw)))).toBe(true);
        count(z);
      }),
      { numRuns: 150 },
    );
    // Random bytes force stored blocks, long inputs several blocks, skewed ones the length repair.
    for (const n of [40_000, 200_000]) {
      const raw = Uint8Array.from({ length: n }, (_, i) => (Math.imul(i, 2654435761) >>> 13) & 255);
      same(raw);
      count(zlibRle(raw));
    }
    // Frequencies f(k) = f(k-1) + f(k-2) + 1 over 18 literals (13,9xx symbols, one block): no ties,
    // so the optimal code (with the end-of-block symbol) needs 18 bits and zlib must repair the lengths to 15.
    const fib = [1, 1];
    while (fib.length < 18) fib.push(fib.at(-1)! + fib.at(-2)! + 1);
    const left = [...fib];
    const skewed: number[] = [];
    for (let prev = -1; ;) {
      // Greedy: the most frequent symbol left that differs from the last one, so all are literals.
      const k = left.reduce((best, c, i) => (c > 0 && i !== prev && (best < 0 || c > left[best]!) ? i : best), -1);
      if (k < 0) break;
      skewed.push(k);
      left[k]!--;
      prev = k;
    }
    same(Uint8Array.from(skewed));
    // The 18 literals and the end-of-block symbol (once): an optimal code for them is 18 bits
    // deep, so a stream equal to zlib's (at most 15 bits) went through the length repair.
    expect(optimalDepth([...fib, 1])).toBe(18);
    for (const branch of ['stored', 'fixed', 'dynamic', 'multiBlock'] as const) expect(reached[branch], branch).toBeGreaterThan(0);
  });
});
