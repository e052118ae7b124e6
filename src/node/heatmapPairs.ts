import zlib from 'node:zlib';
import { lenientBase64ToBytes } from '../core/encode/base64.ts';
import { PairScorer, type MapPair, type PairGrid, type PairScore } from '../core/metrics/heatmapPair.ts';

/**
 * Scoring heatmap pairs in the current thread (the calling one, or an item pool thread), with
 * Node's native zlib and base64: several times faster than the JavaScript ones on 512x512 maps.
 */
export const nativeInflate = (data: Uint8Array, size?: number): Uint8Array =>
  // Output in one buffer of the expected size (zlib's 16 KiB pieces, joined, cost a quarter more).
  zlib.inflateSync(data, size ? { chunkSize: Math.max(64, Math.min(size, 1 << 30)) } : undefined);

/**
 * lenientBase64ToBytes's answer, from Node's native decoder where it gives the same: Buffer.from
 * skips characters outside the alphabet without a word (fewer bytes than the text's length
 * promises) and takes the URL alphabet's '-' and '_' too. So its bytes are used when there are
 * as many as the length says and neither of those is in the text; otherwise the JavaScript
 * decoder decides.
 */
export function nativeBase64(text: string): Uint8Array | null {
  return decodeNative(text, undefined);
}

/**
 * nativeBase64 decoding into one buffer of its own, grown as needed: each answer is a view of
 * that buffer, good until the next call. For scoring map after map, where the bytes are read
 * at once: a noisy 512x512 map is about 135 KB, and a new buffer per map is garbage that sets
 * off V8's full collections (which count such memory).
 */
export function reusingNativeBase64(): (text: string) => Uint8Array | null {
  let buffer = Buffer.alloc(0);
  return (text) => {
    const most = Math.ceil(text.length / 4) * 3;
    if (buffer.length < most) buffer = Buffer.allocUnsafeSlow(Math.max(most, 2 * buffer.length));
    return decodeNative(text, buffer);
  };
}

/** `into`: where to decode (large enough for the text); by default a new buffer. */
function decodeNative(text: string, into: Buffer | undefined): Uint8Array | null {
  const n = text.length;
  if (n % 4 === 1 || text.includes('-') || text.includes('_')) return lenientBase64ToBytes(text);
  const pad = n % 4 !== 0 ? 0 : text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const want = Math.floor((n * 3) / 4) - pad;
  let bytes: Uint8Array;
  if (into) bytes = into.subarray(0, into.write(text, 'base64'));
  else {
    const b = Buffer.from(text, 'base64');
    bytes = new Uint8Array(b.buffer, b.byteOffset, b.length);
  }
  if (bytes.length === want) return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
  return lenientBase64ToBytes(text);
}

let kept: { key: string; scorer: PairScorer } | undefined;

/** This thread's scorer for a grid: its jitter field and buffers (about 20 MB at 512x512) serve the next pairs too. */
function scorerFor(grid: PairGrid): PairScorer {
  const key = `${grid.width}x${grid.height}/${grid.seed}`;
  if (kept?.key !== key) kept = { key, scorer: new PairScorer(grid, nativeInflate, reusingNativeBase64()) };
  return kept.scorer;
}

/** Readies this thread's scorer for a grid (its jitter field and buffers), before the pairs come. */
export function prepareHere(grid: PairGrid): void {
  scorerFor(grid).prepare();
}

/** `onProgress` gets the number of pairs scored so far. */
export function scorePairsHere(grid: PairGrid, pairs: readonly MapPair[], onProgress?: (done: number) => void): PairScore[] {
  const scorer = scorerFor(grid);
  return pairs.map((pair, i) => {
    const score = scorer.score(pair);
    onProgress?.(i + 1);
    return score;
  });
}
