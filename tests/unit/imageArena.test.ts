import { describe, expect, it } from 'vitest';
import { ImageArena } from '../../src/node/imageArena.ts';

describe('ImageArena', () => {
  it('cuts images from a slab, and reuses a slab once every image in it is released', () => {
    const arena = new ImageArena(256, 4); // images of up to 64 bytes share slabs
    const first = [60, 50, 60, 60].map((n) => arena.allocate(n, 'train'));
    expect(first.map((b) => [b.buffer === first[0]!.buffer, b.byteOffset, b.length])).toEqual([
      [true, 0, 60],
      [true, 60, 50],
      [true, 110, 60],
      [true, 170, 60],
    ]);
    const next = arena.allocate(60, 'train'); // 290 > 256: a new slab, the first retired
    expect(next.buffer).not.toBe(first[0]!.buffer);
    expect(arena.counts).toEqual({ inUse: 2, spare: 0 });
    for (const b of first.slice(0, 3)) arena.release(b);
    expect(arena.counts).toEqual({ inUse: 2, spare: 0 }); // one image still lives in it
    arena.release(first[3]!);
    expect(arena.counts).toEqual({ inUse: 1, spare: 1 });
    for (let i = 0; i < 3; i++) arena.allocate(60, 'train');
    const again = arena.allocate(60, 'train'); // the second slab is full: the spare one is cut again
    expect([again.buffer === first[0]!.buffer, again.byteOffset]).toEqual([true, 0]);
  });

  it('keeps each key in slabs of its own, so a held image of one split holds none of another’s', () => {
    const arena = new ImageArena(256, 4);
    const train = arena.allocate(50, 'train');
    const test = arena.allocate(50, 'test');
    expect(test.buffer).not.toBe(train.buffer);
    for (let i = 0; i < 10; i++) arena.release(arena.allocate(60, 'train'));
    expect(test.buffer).toBe(arena.allocate(10, 'test').buffer);
  });

  it('starts a slab over when everything cut from it is released, and gives a large image a buffer of its own', () => {
    const arena = new ImageArena(256, 4);
    const a = arena.allocate(60, 'train');
    arena.release(a);
    const b = arena.allocate(40, 'train');
    expect([b.buffer === a.buffer, b.byteOffset]).toEqual([true, 0]);
    const big = arena.allocate(65, 'train'); // over a quarter of a slab
    expect([big.buffer === a.buffer, big.buffer.byteLength]).toEqual([false, 65]);
    arena.release(big); // not the arena's: ignored
    arena.release(new Uint8Array(8));
    expect(arena.counts).toEqual({ inUse: 1, spare: 0 });
  });

  it('keeps at most spareSlabs free slabs', () => {
    const arena = new ImageArena(100, 2);
    const held = Array.from({ length: 6 }, () => arena.allocate(25, 'train').subarray(0, 10)); // a part, as a short read gives
    for (let i = 0; i < 24; i++) held.push(arena.allocate(25, 'train'));
    expect(arena.counts.inUse).toBe(8);
    for (const h of held) arena.release(h);
    expect(arena.counts).toEqual({ inUse: 1, spare: 2 });
  });
});
