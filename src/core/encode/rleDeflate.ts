/**
 * A fast zlib (RFC 1950) compressor for heatmap scanlines, in the spirit of zlib's Z_RLE
 * strategy: one dynamic-Huffman deflate block (RFC 1951, BTYPE 10) whose only matches are runs
 * (distance 1) and, given the scanline stride, copies of the row above (distance = stride).
 * Heatmaps are long runs of a few gray levels whose rows repeat, so this compresses them
 * close to general deflate at a small fraction of the cost, with no native code: the browser
 * uses it for its exports (pure-JS general deflate takes ~5 ms per 512x512 map, the browser's
 * CompressionStream ~2-4 ms; this takes well under 1 ms). Any valid zlib stream decodes to the
 * same pixels, so the dataset's content does not depend on which compressor wrote it.
 */

function reverse(code: number, len: number): number {
  let r = 0;
  for (let i = 0; i < len; i++) {
    r = (r << 1) | (code & 1);
    code >>= 1;
  }
  return r;
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

/** Distance symbol (0..29) and extra bits for a distance 1..32768. */
function distanceCode(d: number): { code: number; extraBits: number; extra: number } {
  const base = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577];
  let c = base.length - 1;
  while (base[c]! > d) c--;
  return { code: c, extraBits: c < 4 ? 0 : (c >> 1) - 1, extra: d - base[c]! };
}

/**
 * Huffman code lengths (at most `limit` bits) for the given symbol frequencies: a two-queue
 * Huffman build; if the tree is too deep, the frequencies are halved (flattening the tree) and
 * it is built again. A lone symbol gets length 1 (deflate's one allowed incomplete code).
 */
export function huffmanLengths(freq: ArrayLike<number>, limit: number): Uint8Array {
  const lengths = new Uint8Array(freq.length);
  let f = Array.from(freq);
  for (;;) {
    const syms: number[] = [];
    for (let i = 0; i < f.length; i++) if (f[i]! > 0) syms.push(i);
    if (syms.length === 0) return lengths;
    if (syms.length === 1) {
      lengths[syms[0]!] = 1;
      return lengths;
    }
    syms.sort((x, y) => f[x]! - f[y]! || x - y);
    const m = syms.length;
    const weight = new Float64Array(2 * m - 1);
    const parent = new Int32Array(2 * m - 1);
    for (let i = 0; i < m; i++) weight[i] = f[syms[i]!]!;
    let leaf = 0;
    let inner = m;
    const take = (next: number) => (leaf < m && (inner >= next || weight[leaf]! <= weight[inner]!) ? leaf++ : inner++);
    for (let next = m; next < 2 * m - 1; next++) {
      const x = take(next);
      const y = take(next);
      weight[next] = weight[x]! + weight[y]!;
      parent[x] = parent[y] = next;
    }
    const depth = new Uint8Array(2 * m - 1);
    let max = 0;
    for (let k = 2 * m - 3; k >= 0; k--) {
      depth[k] = depth[parent[k]!]! + 1;
      if (k < m) max = Math.max(max, depth[k]!);
    }
    if (max <= limit) {
      for (let i = 0; i < m; i++) lengths[syms[i]!] = depth[i]!;
      return lengths;
    }
    f = f.map((x) => (x > 0 ? (x + 1) >> 1 : 0));
  }
}

/** Canonical codes (RFC 1951 3.2.2) for code lengths, bit-reversed for the LSB-first writer. */
function canonicalCodes(lengths: Uint8Array): Uint16Array {
  const count = new Uint16Array(16);
  for (const l of lengths) if (l) count[l]!++;
  const next = new Uint16Array(16);
  let code = 0;
  for (let bits = 1; bits < 16; bits++) {
    code = (code + count[bits - 1]!) << 1;
    next[bits] = code;
  }
  const codes = new Uint16Array(lengths.length);
  for (let s = 0; s < lengths.length; s++) {
    const l = lengths[s]!;
    if (l) codes[s] = reverse(next[l]!++, l);
  }
  return codes;
}

/** Order in which the code-length code lengths are written (RFC 1951 3.2.7). */
const CL_ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

let buffer = new Uint8Array(1 << 16);
let tokens = new Uint32Array(1 << 14);

/**
 * A zlib compressor (header 78 01, one final dynamic-Huffman block, Adler-32). With `stride`
 * (the PNG scanline length, width + 1) it also copies from the row above; 0 = runs only.
 */
export function makeRleZlib(stride = 0): (raw: Uint8Array) => Uint8Array {
  const up = stride >= 3 && stride <= 32768 ? distanceCode(stride) : null;
  return (raw) => compress(raw, up ? stride : 0, up);
}

/** Runs only (distance 1): for data without a row structure. */
export const rleZlib = makeRleZlib();

/** A token is a literal byte (< 256) or MATCH | length << 1 | (1 when copied from the row above). */
const MATCH = 1 << 30;

function compress(raw: Uint8Array, stride: number, up: { code: number; extraBits: number; extra: number } | null): Uint8Array {
  const n = raw.length;
  // Pass 1: greedy tokens (longest of: copy from the row above, run of the previous byte).
  if (tokens.length < n + 1) tokens = new Uint32Array(n + 1);
  let t = 0;
  const litFreq = new Uint32Array(286);
  const distFreq = new Uint32Array(30);
  const match = (len: number, fromUp: boolean) => {
    tokens[t++] = MATCH | (len << 1) | (fromUp ? 1 : 0);
    litFreq[LEN_SYMBOL[len]!]!++;
    distFreq[fromUp ? up!.code : 0]!++;
  };
  const copy = (len: number, fromUp: boolean) => {
    while (len >= 3) {
      const piece = len > MAX_MATCH ? (len - MAX_MATCH < 3 ? len - 3 : MAX_MATCH) : len;
      match(piece, fromUp);
      len -= piece;
    }
    return len; // 0, 1 or 2 bytes left over, emitted as literals by the caller
  };
  // Adler-32 sums of the bytes covered so far, kept below 65521 between tokens.
  let a = 1;
  let b = 0;
  let i = 0;
  while (i < n) {
    // One pass over the bytes ahead for both candidates, until neither continues.
    let upLen = 0;
    let runLen = 0;
    if (i >= 1) {
      const prev = raw[i - 1]!;
      let k = i;
      if (up && i >= stride) {
        while (k < n && raw[k] === prev && raw[k] === raw[k - stride]) k++;
        if (k < n && raw[k] === prev) {
          upLen = k - i;
          while (k < n && raw[k] === prev) k++;
          runLen = k - i;
        } else {
          runLen = k - i;
          while (k < n && raw[k] === raw[k - stride]) k++;
          upLen = k - i;
        }
      } else {
        while (k < n && raw[k] === prev) k++;
        runLen = k - i;
      }
    }
    if (up && upLen >= 3 && upLen > runLen) {
      const len = upLen - copy(upLen, true);
      for (let k = i, end = i + len; k < end;) {
        const stop = Math.min(end, k + 5552);
        for (; k < stop; k++) {
          a += raw[k]!;
          b += a;
        }
        a %= 65521;
        b %= 65521;
      }
      i += len;
    } else if (runLen >= 3) {
      const len = runLen - copy(runLen, false);
      // Adler-32 over len copies of v in closed form (exact in doubles: < 2^53).
      const v = raw[i - 1]!;
      b = (b + len * a + (v * len * (len + 1)) / 2) % 65521;
      a = (a + len * v) % 65521;
      i += len;
    }
    if (i < n) {
      const v = raw[i++]!;
      a = (a + v) % 65521;
      b = (b + a) % 65521;
      tokens[t++] = v;
      litFreq[v]!++;
    }
  }
  litFreq[256] = 1; // end of block

  // Codes for this block.
  const litLen = huffmanLengths(litFreq, 15);
  if (distFreq.every((x) => x === 0)) distFreq[0] = 1; // keep one distance code, even if unused
  const distLen = huffmanLengths(distFreq, 15);
  const litCode = canonicalCodes(litLen);
  const distCode = canonicalCodes(distLen);
  let hlit = 286;
  while (hlit > 257 && litLen[hlit - 1] === 0) hlit--;
  let hdist = 30;
  while (hdist > 1 && distLen[hdist - 1] === 0) hdist--;
  // The code lengths, run-length coded with symbols 0..15, 16 (repeat previous 3-6 times),
  // 17 (3-10 zeros) and 18 (11-138 zeros).
  const all = [...litLen.subarray(0, hlit), ...distLen.subarray(0, hdist)];
  const cl: number[] = []; // symbol, or symbol | extra << 5
  const clFreq = new Uint32Array(19);
  for (let k = 0; k < all.length;) {
    const l = all[k]!;
    let r = 1;
    while (k + r < all.length && all[k + r] === l) r++;
    if (l === 0 && r >= 3) {
      const c = Math.min(r, 138);
      const sym = c >= 11 ? 18 : 17;
      cl.push(sym | ((c - (sym === 18 ? 11 : 3)) << 5));
      clFreq[sym]!++;
      k += c;
    } else if (l !== 0 && r >= 4) {
      cl.push(l);
      clFreq[l]!++;
      const c = Math.min(r - 1, 6);
      cl.push(16 | ((c - 3) << 5));
      clFreq[16]!++;
      k += 1 + c;
    } else {
      cl.push(l);
      clFreq[l]!++;
      k++;
    }
  }
  const clLen = huffmanLengths(clFreq, 7);
  const clCode = canonicalCodes(clLen);
  let hclen = 19;
  while (hclen > 4 && clLen[CL_ORDER[hclen - 1]!] === 0) hclen--;

  // Pass 2: write. Worst case: 15 bits per byte plus the header, block end and trailer.
  const need = Math.ceil((n * 15) / 8) + 400;
  if (buffer.length < need) buffer = new Uint8Array(need);
  const out = buffer;
  out[0] = 0x78;
  out[1] = 0x01;
  let pos = 2;
  let bits = 0; // pending bits, LSB first
  let count = 0;
  const put = (value: number, nbits: number) => {
    bits |= value << count;
    count += nbits;
    while (count >= 8) {
      out[pos++] = bits & 0xff;
      bits >>>= 8;
      count -= 8;
    }
  };
  put(1, 1); // BFINAL
  put(2, 2); // BTYPE = 10, dynamic Huffman
  put(hlit - 257, 5);
  put(hdist - 1, 5);
  put(hclen - 4, 4);
  for (let k = 0; k < hclen; k++) put(clLen[CL_ORDER[k]!]!, 3);
  for (const c of cl) {
    const sym = c & 31;
    put(clCode[sym]!, clLen[sym]!);
    if (sym === 16) put(c >> 5, 2);
    else if (sym === 17) put(c >> 5, 3);
    else if (sym === 18) put(c >> 5, 7);
  }
  for (let k = 0; k < t; k++) {
    const tok = tokens[k]!;
    if (tok < 256) {
      put(litCode[tok]!, litLen[tok]!);
      continue;
    }
    const len = (tok & (MATCH - 1)) >> 1;
    const sym = LEN_SYMBOL[len]!;
    put(litCode[sym]!, litLen[sym]!);
    if (LEN_EXTRA_BITS[len]) put(LEN_EXTRA[len]!, LEN_EXTRA_BITS[len]!);
    if (tok & 1) {
      put(distCode[up!.code]!, distLen[up!.code]!);
      if (up!.extraBits) put(up!.extra, up!.extraBits);
    } else put(distCode[0]!, distLen[0]!);
  }
  put(litCode[256]!, litLen[256]!); // end of block
  if (count > 0) out[pos++] = bits & 0xff;

  // Adler-32 (computed along the tokens), big-endian.
  out[pos++] = (b >>> 8) & 0xff;
  out[pos++] = b & 0xff;
  out[pos++] = (a >>> 8) & 0xff;
  out[pos++] = a & 0xff;
  return out.slice(0, pos);
}
