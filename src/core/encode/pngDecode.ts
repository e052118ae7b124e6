import { unzlibSync } from 'fflate';
import { decode, hasPngSignature, type DecodedPng } from 'fast-png';
import { lenientBase64ToBytes } from './base64.ts';

/**
 * Decoding heatmap PNGs (the dataset's and a model's) to one gray channel, in pure
 * JavaScript (fast-png) so the browser and the command line read the same values.
 *
 * 8-bit gray is the format we write and expect; other PNGs are accepted and converted:
 * - gray of 1, 2 or 4 bits: unpacked, maxValue = 2^depth - 1;
 * - 16-bit: kept at 16 bits, maxValue = 65535;
 * - gray + alpha: the gray channel (alpha ignored);
 * - RGB, RGBA, palette: luma with PIL's `convert('L')` integer weights
 *   L = (19595 R + 38470 G + 7471 B + 32768) >> 16 (ITU-R 601-2), alpha ignored, so a
 *   Python user who reads the same file with PIL gets the same gray levels.
 * Values are read as data[i] / maxValue in [0, 1].
 *
 * The common case (8-bit gray, not interlaced) takes a short path of our own: chunk walk,
 * one inflate, unfilter. It exists for speed: the inflate is injectable, and the command line
 * passes node's native zlib, several times faster than any pure-JS inflate (fast-png's
 * included); everything else goes through fast-png.
 *
 * decodeHeatmapPng is the strict form for the maps this project writes (8-bit gray only).
 */
export interface GrayImage {
  /** Size in pixels; data is row-major, origin top-left. */
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array | Uint16Array;
  /** 255 for 8-bit images (the usual case), 65535 for 16-bit, 2^depth - 1 for low depths. */
  readonly maxValue: number;
}

export type DecodeResult = { readonly ok: true; readonly image: GrayImage } | { readonly ok: false; readonly reason: string };

/** Largest image accepted (pixels), so that a hostile header cannot ask for gigabytes. */
export const MAX_PNG_PIXELS = 4096 * 4096;

/**
 * A zlib (RFC 1950) decompressor; throws on corrupt data. `size` is what the output should
 * measure (bytes), a hint for its buffer: the data decides.
 */
export type Inflate = (zlib: Uint8Array, size?: number) => Uint8Array;
/** fflate's pure-JS inflate. */
export const pureInflate: Inflate = (data) => unzlibSync(data);

/** Base64 text to bytes, or null when it is not base64 (lenientBase64ToBytes's rule: padding optional). */
export type Base64Decoder = (text: string) => Uint8Array | null;

/**
 * Decode a base64 PNG; on failure, a short reason for `not a valid PNG (reason)`. `into`: where
 * an 8-bit gray image of its size may be written (a caller decoding map after map reuses one
 * buffer, which stays in the cache); the image's data is then that buffer.
 */
export function decodeBase64GrayPng(text: string, inflate: Inflate = pureInflate, base64: Base64Decoder = lenientBase64ToBytes, into?: Uint8Array): DecodeResult {
  return decodeGrayPngOrNull(base64(text), inflate, into);
}

/** decodeGrayPng of bytes already decoded from base64 text, or null for text that was not base64. */
export function decodeGrayPngOrNull(bytes: Uint8Array | null, inflate: Inflate = pureInflate, into?: Uint8Array): DecodeResult {
  if (!bytes) return { ok: false, reason: 'the text is not base64' };
  return decodeGrayPng(bytes, inflate, into);
}

/** An 8-bit gray map: `gray` has width * height levels, row-major, origin top-left. */
export interface HeatmapPixels {
  readonly width: number;
  readonly height: number;
  readonly gray: Uint8Array;
}

/**
 * The levels of a heatmap PNG as this project writes them (8-bit gray, not interlaced, any row
 * filter): decodeGrayPng, throwing the reason when the bytes are not such a PNG.
 */
export function decodeHeatmapPng(bytes: Uint8Array, inflate: Inflate = pureInflate): HeatmapPixels {
  const r = decodeGrayPng(bytes, inflate);
  if (!r.ok) throw new Error(r.reason);
  const { width, height, data, maxValue } = r.image;
  if (maxValue !== 255 || !(data instanceof Uint8Array)) throw new Error('not an 8-bit grayscale PNG');
  return { width, height, gray: data };
}

export function decodeGrayPng(bytes: Uint8Array, inflate: Inflate = pureInflate, into?: Uint8Array): DecodeResult {
  if (!hasPngSignature(bytes)) return { ok: false, reason: 'no PNG signature' };
  if (bytes.length < 33 || readU32(bytes, 12) !== IHDR) return { ok: false, reason: 'no IHDR chunk' };
  // Read the size from IHDR before decoding, so a huge declared size fails fast.
  const w = readU32(bytes, 16);
  const h = readU32(bytes, 20);
  if (w === 0 || h === 0) return { ok: false, reason: 'zero-sized image' };
  if (w * h > MAX_PNG_PIXELS) return { ok: false, reason: `${w}x${h} is larger than the ${MAX_PNG_PIXELS} pixels accepted` };
  if (bytes[24] === 8 && bytes[25] === 0 && bytes[28] === 0) {
    try {
      const out = into?.length === w * h ? into : new Uint8Array(w * h);
      return { ok: true, image: { width: w, height: h, data: decodeGray8(bytes, w, h, inflate, out), maxValue: 255 } };
    } catch (e) {
      return { ok: false, reason: (e as Error).message };
    }
  }
  let png: DecodedPng;
  try {
    png = decode(bytes);
  } catch (e) {
    const err = e as Error;
    const cause = err.cause instanceof Error ? `: ${err.cause.message}` : '';
    return { ok: false, reason: `${err.message.replace(/:$/, '')}${cause}` };
  }
  const { width, height } = png;
  if (!(width > 0 && height > 0)) return { ok: false, reason: 'zero-sized image' };
  try {
    return { ok: true, image: toGray(png) };
  } catch (e) {
    return { ok: false, reason: (e as Error).message };
  }
}

function toGray(png: DecodedPng): GrayImage {
  const { width, height, depth, channels } = png;
  const n = width * height;
  const data = png.data;
  if (png.palette) {
    const idx = depth < 8 ? unpack(data, width, height, depth) : data;
    if (idx.length < n) throw new Error('image data is truncated');
    const lut = new Uint8Array(256);
    png.palette.forEach((c, i) => {
      lut[i] = luma8(c[0] ?? 0, c[1] ?? 0, c[2] ?? 0);
    });
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = lut[idx[i]!]!;
    return { width, height, data: out, maxValue: 255 };
  }
  if (depth < 8) {
    if (channels !== 1) throw new Error(`unsupported ${depth}-bit image with ${channels} channels`);
    const out = unpack(data, width, height, depth);
    if (out.length < n) throw new Error('image data is truncated');
    return { width, height, data: out, maxValue: (1 << depth) - 1 };
  }
  if (data.length < n * channels) throw new Error('image data is truncated');
  const maxValue = depth === 16 ? 65535 : 255;
  if (channels === 1) {
    const out = data instanceof Uint8ClampedArray ? new Uint8Array(data.buffer, data.byteOffset, n) : data.subarray(0, n);
    return { width, height, data: out, maxValue };
  }
  const out = depth === 16 ? new Uint16Array(n) : new Uint8Array(n);
  if (channels === 2) {
    for (let i = 0; i < n; i++) out[i] = data[2 * i]!;
  } else if (channels === 3 || channels === 4) {
    for (let i = 0, j = 0; i < n; i++, j += channels) out[i] = luma(data[j]!, data[j + 1]!, data[j + 2]!);
  } else throw new Error(`unsupported image with ${channels} channels`);
  return { width, height, data: out, maxValue };
}

/** PIL's integer ITU-R 601-2 luma; exact for 8-bit input, the same weights for 16-bit. */
function luma(r: number, g: number, b: number): number {
  return Math.floor((r * 19595 + g * 38470 + b * 7471 + 0x8000) / 65536);
}
function luma8(r: number, g: number, b: number): number {
  return (r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16;
}

/** Rows of 1/2/4-bit samples, each row padded to a whole byte, to one byte per pixel. */
function unpack(data: ArrayLike<number>, width: number, height: number, depth: number): Uint8Array {
  const out = new Uint8Array(width * height);
  const rowBytes = Math.ceil((width * depth) / 8);
  if (data.length < rowBytes * height) return out.subarray(0, 0);
  const perByte = 8 / depth;
  const mask = (1 << depth) - 1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const byte = data[y * rowBytes + Math.floor(x / perByte)]!;
      const shift = 8 - depth * ((x % perByte) + 1);
      out[y * width + x] = (byte >> shift) & mask;
    }
  }
  return out;
}

const IHDR = 0x49484452;
const IDAT = 0x49444154;
const IEND = 0x49454e44;

function readU32(b: Uint8Array, at: number): number {
  return ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0;
}

/** The pixels of an 8-bit gray, non-interlaced PNG of the given size: every IDAT chunk, one inflate, then the five row filters. */
function decodeGray8(bytes: Uint8Array, width: number, height: number, inflate: Inflate, out: Uint8Array): Uint8Array {
  const parts: Uint8Array[] = [];
  let total = 0;
  let at = 8;
  let ended = false;
  while (at + 12 <= bytes.length) {
    const len = readU32(bytes, at);
    const type = readU32(bytes, at + 4);
    if (at + 12 + len > bytes.length) throw new Error('truncated chunk');
    if (type === IDAT) {
      parts.push(bytes.subarray(at + 8, at + 8 + len));
      total += len;
    } else if (type === IEND) {
      ended = true;
      break;
    }
    at += 12 + len;
  }
  if (!ended) throw new Error('no IEND chunk: the file is truncated');
  if (total === 0) throw new Error('no image data');
  let z: Uint8Array;
  if (parts.length === 1) z = parts[0]!;
  else {
    z = new Uint8Array(total);
    let o = 0;
    for (const p of parts) {
      z.set(p, o);
      o += p.length;
    }
  }
  let raw: Uint8Array;
  try {
    const inflated = inflate(z, (width + 1) * height);
    // A plain view: a Buffer (a subclass) beside Uint8Arrays makes the loops below polymorphic.
    raw = new Uint8Array(inflated.buffer, inflated.byteOffset, inflated.byteLength);
  } catch (e) {
    throw new Error(`corrupt image data: ${(e as Error).message}`, { cause: e });
  }
  const stride = width + 1;
  if (raw.length < stride * height) throw new Error('image data is truncated');
  // The row above the first is all zeros (PNG's rule); a zero row stands in for it.
  const zeros = new Uint8Array(width);
  for (let r = 0; r < height; r++) {
    const filter = raw[r * stride]!;
    if (filter > 4) throw new Error(`unknown row filter ${filter} in row ${r}`);
    const above = r > 0 ? out : zeros;
    const up = r > 0 ? (r - 1) * width : 0;
    if (filter === 3 && r + 1 < height && raw[(r + 1) * stride] === 3) {
      unfilterAveragePair(raw, r * stride + 1, out, r * width, above, up, width);
      r++;
    } else unfilterRow(filter, raw, r * stride + 1, out, r * width, above, up, width);
  }
  return out;
}

/**
 * Two consecutive rows of filter 3 (Average, the filter of most rows of a noisy map as libpng
 * writes it) in one loop: each pixel of the second row waits only for its left neighbour and
 * the pixel above, just made, so the two rows' chains of dependent additions run side by side
 * (each row alone is one chain of four operations per pixel). Rows at out[row ..] and
 * out[row + width ..], raw rows at raw[src ..] and raw[src + width + 1 ..].
 */
function unfilterAveragePair(raw: Uint8Array, src: number, out: Uint8Array, row: number, above: Uint8Array, up: number, width: number): void {
  const src2 = src + width + 1;
  const row2 = row + width;
  let a = 0;
  let b = 0;
  for (let c = 0; c < width; c++) {
    a = (raw[src + c]! + ((a + above[up + c]!) >> 1)) & 255;
    out[row + c] = a;
    b = (raw[src2 + c]! + ((b + a) >> 1)) & 255;
    out[row2 + c] = b;
  }
}

/**
 * One row of PNG filter `filter` (0-4), one byte per pixel: raw[src ..] to out[row ..], the
 * row above at above[up ..]. The left neighbour is kept in a variable rather than read back,
 * and Paeth's choice is made without branches (on noisy maps a branch mispredicts half the time).
 */
function unfilterRow(filter: number, raw: Uint8Array, src: number, out: Uint8Array, row: number, above: Uint8Array, up: number, width: number): void {
  if (filter === 0) {
    out.set(raw.subarray(src, src + width), row);
  } else if (filter === 1) {
    let a = 0;
    for (let c = 0; c < width; c++) {
      a = (raw[src + c]! + a) & 255;
      out[row + c] = a;
    }
  } else if (filter === 2) {
    for (let c = 0; c < width; c++) out[row + c] = raw[src + c]! + above[up + c]!;
  } else if (filter === 3) {
    let a = 0;
    for (let c = 0; c < width; c++) {
      a = (raw[src + c]! + ((a + above[up + c]!) >> 1)) & 255;
      out[row + c] = a;
    }
  } else {
    let a = 0;
    let d = 0;
    for (let c = 0; c < width; c++) {
      const b = above[up + c]!;
      // p = a + b - d; pa = |p - a|, pb = |p - b|, pc = |p - d|; ties prefer a, then b.
      let pa = b - d;
      let pb = a - d;
      let pc = pa + pb;
      pa = (pa ^ (pa >> 31)) - (pa >> 31);
      pb = (pb ^ (pb >> 31)) - (pb >> 31);
      pc = (pc ^ (pc >> 31)) - (pc >> 31);
      const notA = ((pb - pa) | (pc - pa)) >> 31; // -1 unless pa <= pb and pa <= pc
      const notB = (pc - pb) >> 31; // -1 unless pb <= pc
      const pred = (a & ~notA) | (((b & ~notB) | (d & notB)) & notA);
      a = (raw[src + c]! + pred) & 255;
      out[row + c] = a;
      d = b;
    }
  }
}
