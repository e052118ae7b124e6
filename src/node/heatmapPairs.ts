import zlib from 'node:zlib';
import { lenientBase64ToBytes } from '../core/encode/base64.ts';
import { PairScorer, type MapPair, type PairGrid, type PairScore } from '../core/metrics/heatmapPair.ts';

/**
 * Scoring heatmap pairs in the current thread (the calling one, or a scoring thread: scoringPool.ts), with
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

/** Characters of base64 text made into one string at a time: a multiple of 4, and strings under V8's large-object size (128 KiB). */
const PIECE_CHARS = 1 << 15;

/**
 * The base64 text in `file` from byte `start` to `end` decoded by Node into one buffer of its
 * own, grown as needed (the answer is a view of it, good until the next call), or null when the
 * text is not plain base64: characters of the alphabet, then at most two '=' at its end (or
 * none: the padding may be left out). Only such text is certainly its JSON string's content
 * (no escape, no control character, no other byte), and for it the bytes are
 * lenientBase64ToBytes's: the text is decoded piece by piece, each piece checked to give all
 * the bytes its length promises (Node skips characters outside the alphabet without a word).
 * The pieces, not the whole text, are made into strings: a string of a whole noisy map
 * (180 KB) is allocated in V8's large-object space, 0.2 ms each, ten times the cost of the
 * pieces.
 */
export function reusingPlainBase64(): (file: Buffer, start: number, end: number) => Uint8Array | null {
  let buffer = Buffer.alloc(0);
  return (file, start, end) => {
    const n = end - start;
    if (n % 4 === 1) return null;
    const most = Math.ceil(n / 4) * 3;
    if (buffer.length < most) buffer = Buffer.allocUnsafeSlow(Math.max(most, 2 * buffer.length));
    let written = 0;
    for (let at = start; at < end; at += PIECE_CHARS) {
      const to = Math.min(end, at + PIECE_CHARS);
      const piece = file.toString('latin1', at, to);
      if (piece.includes('-') || piece.includes('_')) return null;
      const last = to === end;
      // Padding only at the very end: a '=' elsewhere gives fewer bytes than promised.
      const pad = !last || (to - at) % 4 !== 0 ? 0 : piece.endsWith('==') ? 2 : piece.endsWith('=') ? 1 : 0;
      const want = Math.floor(((to - at) * 3) / 4) - pad;
      if (buffer.write(piece, written, 'base64') !== want) return null;
      written += want;
    }
    return new Uint8Array(buffer.buffer, buffer.byteOffset, written);
  };
}

/**
 * A pair whose predicted map is still in the predictions file's bytes (a SharedArrayBuffer the
 * threads share), its base64 text from byte `start` to `end`: see src/core/formats/predictionsSkeleton.ts.
 */
export interface CutPair {
  readonly truth: string;
  readonly start: number;
  readonly end: number;
}

/** The predicted maps' decoder for cut pairs (its own buffer, beside the scorer's). */
const plainBase64 = reusingPlainBase64();

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

/**
 * Cut pairs scored as scorePairsHere scores the same texts, or null when a predicted map's text
 * is not plain base64 (reusingPlainBase64): JSON may have given it another meaning, and the run
 * is then made the ordinary way.
 */
export function scoreCutPairsHere(grid: PairGrid, file: Uint8Array, pairs: readonly CutPair[]): PairScore[] | null {
  const scorer = scorerFor(grid);
  const bytes = Buffer.from(file.buffer, file.byteOffset, file.byteLength);
  const scores: PairScore[] = [];
  for (const { truth, start, end } of pairs) {
    const predicted = plainBase64(bytes, start, end);
    if (!predicted) return null;
    scores.push(scorer.scoreDecoded(predicted, truth));
  }
  return scores;
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
