/**
 * A fast zlib (RFC 1950) compressor for heatmap scanlines, in the spirit of zlib's Z_RLE
 * strategy: one fixed-Huffman deflate block (RFC 1951, BTYPE 01) whose only matches are runs
 * (distance 1) and, given the scanline stride, copies of the row above (distance = stride).
 * Heatmaps are long runs of a few gray levels whose rows repeat, so this compresses them
 * close to general deflate at a small fraction of the cost, with no native code: the browser
 * uses it for its exports (pure-JS general deflate takes ~5 ms per 512x512 map, the browser's
 * CompressionStream ~2-4 ms; this takes well under 1 ms). Any valid zlib stream decodes to the
 * same pixels, so the dataset's content does not depend on which compressor wrote it.
 */

/** Fixed-Huffman literal/length codes, bit-reversed for an LSB-first bit writer. */
const LIT_CODE = new Uint16Array(288);
const LIT_LEN = new Uint8Array(288);

function reverse(code: number, len: number): number {
  let r = 0;
  for (let i = 0; i < len; i++) {
    r = (r << 1) | (code & 1);
    code >>= 1;
  }
  return r;
}

for (let v = 0; v < 288; v++) {
  let code: number;
  let len: number;
  if (v < 144) [code, len] = [0x30 + v, 8];
  else if (v < 256) [code, len] = [0x190 + v - 144, 9];
  else if (v < 280) [code, len] = [v - 256, 7];
  else [code, len] = [0xc0 + v - 280, 8];
  LIT_CODE[v] = reverse(code, len);
  LIT_LEN[v] = len;
}

/** For a match length 3..258: its length symbol (257..285), extra-bit count and extra value. */
const LEN_SYMBOL = new Uint16Array(259);
const LEN_EXTRA_BITS = new Uint8Array(259);
const LEN_EXTRA = new Uint8Array(259);
{
  const base = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258];
  const extra = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
  for (let i = 0; i < base.length; i++) {
    const top = i === base.length - 1 ? 258 : base[i + 1]! - 1;
    for (let len = base[i]!; len <= top; len++) {
      LEN_SYMBOL[len] = 257 + i;
      LEN_EXTRA_BITS[len] = extra[i]!;
      LEN_EXTRA[len] = len - base[i]!;
    }
  }
}

const MAX_MATCH = 258;

/** Fixed 5-bit distance code and extra bits for a distance (1..32768), bit-reversed code. */
function distanceCode(d: number): { code: number; extraBits: number; extra: number } {
  const base = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577];
  let c = base.length - 1;
  while (base[c]! > d) c--;
  return { code: reverse(c, 5), extraBits: c < 4 ? 0 : (c >> 1) - 1, extra: d - base[c]! };
}

let buffer = new Uint8Array(1 << 16);

/**
 * A zlib compressor (header 78 01, one final fixed-Huffman block, Adler-32). With `stride`
 * (the PNG scanline length, width + 1) it also copies from the row above; 0 = runs only.
 */
export function makeRleZlib(stride = 0): (raw: Uint8Array) => Uint8Array {
  const up = stride >= 3 && stride <= 32768 ? distanceCode(stride) : null;
  return (raw) => compress(raw, up ? stride : 0, up);
}

/** Runs only (distance 1): for data without a row structure. */
export const rleZlib = makeRleZlib();

function compress(raw: Uint8Array, stride: number, up: { code: number; extraBits: number; extra: number } | null): Uint8Array {
  // Worst case: 9 bits per byte plus header, block end and trailer.
  const need = Math.ceil((raw.length * 9) / 8) + 16;
  if (buffer.length < need) buffer = new Uint8Array(need);
  const out = buffer;
  out[0] = 0x78;
  out[1] = 0x01;
  let pos = 2;
  let bits = 0; // pending bits, LSB first
  let count = 0; // how many are pending
  const put = (value: number, n: number) => {
    bits |= value << count;
    count += n;
    while (count >= 8) {
      out[pos++] = bits & 0xff;
      bits >>>= 8;
      count -= 8;
    }
  };
  /** Emits a copy of `len` (>= 3) bytes at a distance given by its code, in pieces of <= 258. */
  const copy = (len: number, dCode: number, dBits: number, dExtra: number) => {
    while (len >= 3) {
      const piece = len > MAX_MATCH ? (len - MAX_MATCH < 3 ? len - 3 : MAX_MATCH) : len;
      const sym = LEN_SYMBOL[piece]!;
      put(LIT_CODE[sym]!, LIT_LEN[sym]!);
      if (LEN_EXTRA_BITS[piece]) put(LEN_EXTRA[piece]!, LEN_EXTRA_BITS[piece]!);
      put(dCode, 5);
      if (dBits) put(dExtra, dBits);
      len -= piece;
    }
    return len; // 0, 1 or 2 bytes left over, for the caller to emit as literals
  };
  put(1, 1); // BFINAL
  put(1, 2); // BTYPE = 01, fixed Huffman

  const n = raw.length;
  let i = 0;
  while (i < n) {
    // Longest copy from the row above and longest run of the previous byte, greedily.
    let upLen = 0;
    if (up && i >= stride) while (i + upLen < n && raw[i + upLen] === raw[i + upLen - stride]) upLen++;
    let runLen = 0;
    if (i >= 1) while (i + runLen < n && raw[i + runLen] === raw[i - 1]) runLen++;
    if (up && upLen >= 3 && upLen > runLen) {
      const left = copy(upLen, up.code, up.extraBits, up.extra);
      i += upLen - left;
    } else if (runLen >= 3) {
      const left = copy(runLen, 0, 0, 0); // distance 1: code 0, no extra bits
      i += runLen - left;
    }
    if (i < n) {
      const v = raw[i]!;
      put(LIT_CODE[v]!, LIT_LEN[v]!);
      i++;
    }
  }
  put(LIT_CODE[256]!, LIT_LEN[256]!); // end of block
  if (count > 0) out[pos++] = bits & 0xff;

  // Adler-32, big-endian; sums folded every 5552 bytes so they stay exact in doubles/int32.
  let a = 1;
  let b = 0;
  for (let k = 0; k < n; ) {
    const end = Math.min(n, k + 5552);
    for (; k < end; k++) {
      a += raw[k]!;
      b += a;
    }
    a %= 65521;
    b %= 65521;
  }
  out[pos++] = (b >>> 8) & 0xff;
  out[pos++] = b & 0xff;
  out[pos++] = (a >>> 8) & 0xff;
  out[pos++] = a & 0xff;
  return out.slice(0, pos);
}
