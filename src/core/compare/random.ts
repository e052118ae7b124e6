import { mulberry32 } from '../metrics/jitter.ts';

/**
 * Seeded draws for the comparison report's bootstrap and the side draw: reproducible from a
 * seed and the names involved, the same in every part of the system (scripts/comparison_reference.py
 * implements the same stream).
 */
export { mulberry32 };

/**
 * A 32-bit seed from strings: FNV-1a over the UTF-16 code units of the parts joined by U+0000
 * (ids hold no control characters, so different lists never join to the same text), then
 * MurmurHash3's final mix so that nearby texts give unrelated seeds.
 */
export function hashSeed(parts: readonly string[]): number {
  let h = 0x811c9dc5;
  const text = parts.join('\u0000');
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** An index in [0, m) from the generator's next 32-bit output u: floor(u · m / 2^32), exact for m < 2^21. */
export function drawIndex(next: () => number, m: number): number {
  return Math.floor((next() * m) / 4294967296);
}
