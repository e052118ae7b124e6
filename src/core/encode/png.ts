import CRC32 from 'crc-32';
import { unzlibSync } from 'fflate';
import { RunsBuilder, zlibRleRuns } from './zlibRle.ts';

/**
 * 8-bit grayscale PNG encoding of heatmaps and masks (colour type 0, bit depth 8, no
 * interlace, filter type 0 "None" on every row, one IDAT chunk). The image data is deflated by
 * zlibRle.ts, zlib's Z_RLE strategy reproduced byte for byte, so every part of the system
 * (browser, command line, server) writes the same PNG bytes for the same pixels.
 */
export type Inflate = (zlib: Uint8Array) => Uint8Array;

export const defaultInflate: Inflate = (data) => unzlibSync(data);

const SIGNATURE = [137, 80, 78, 71, 13, 10, 26, 10];

function chunk(out: Uint8Array, at: number, type: string, data: Uint8Array): number {
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  view.setUint32(at, data.length);
  for (let i = 0; i < 4; i++) out[at + 4 + i] = type.charCodeAt(i);
  out.set(data, at + 8);
  // The CRC covers the type and the data, not the length.
  view.setUint32(at + 8 + data.length, CRC32.buf(out.subarray(at + 4, at + 8 + data.length)) >>> 0);
  return at + 12 + data.length;
}

/** The PNG around `idat`, the zlib stream of the scanlines (each row: filter byte 0, then its bytes). */
export function grayPng(width: number, height: number, idat: Uint8Array): Uint8Array<ArrayBuffer> {
  const ihdr = new Uint8Array(13);
  const hv = new DataView(ihdr.buffer);
  hv.setUint32(0, width);
  hv.setUint32(4, height);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // colour type: grayscale
  // compression 0, filter method 0, interlace 0
  const out = new Uint8Array(8 + 12 + 13 + 12 + idat.length + 12);
  out.set(SIGNATURE, 0);
  let at = chunk(out, 8, 'IHDR', ihdr);
  at = chunk(out, at, 'IDAT', idat);
  chunk(out, at, 'IEND', new Uint8Array(0));
  return out;
}

const rows = new RunsBuilder();

/** `gray` is row-major, top-left origin, width*height bytes. */
export function encodeGrayPng(width: number, height: number, gray: Uint8Array): Uint8Array<ArrayBuffer> {
  if (gray.length !== width * height) throw new Error(`gray has ${gray.length} bytes, expected ${width}x${height}`);
  rows.clear();
  for (let r = 0; r < height; r++) {
    rows.push(0, 1); // filter byte
    const end = (r + 1) * width;
    for (let i = r * width; i < end;) {
      const v = gray[i]!;
      let j = i + 1;
      while (j < end && gray[j] === v) j++;
      rows.push(v, j - i);
      i = j;
    }
  }
  return grayPng(width, height, zlibRleRuns(rows));
}

export interface GrayImage {
  readonly width: number;
  readonly height: number;
  readonly gray: Uint8Array;
}

/** Width and height from the IHDR chunk, or undefined when the bytes are not a PNG. */
export function pngSize(bytes: Uint8Array): { width: number; height: number } | undefined {
  if (bytes.length < 24 || SIGNATURE.some((b, i) => bytes[i] !== b)) return undefined;
  if (String.fromCharCode(bytes[12]!, bytes[13]!, bytes[14]!, bytes[15]!) !== 'IHDR') return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

/**
 * Decodes the 8-bit grayscale, non-interlaced PNGs this project writes (any of the five row
 * filters, any number of IDAT chunks). Other PNG flavours throw: they are not heatmaps
 * (pngDecode.ts reads those, for model predictions).
 */
export function decodeGrayPng(bytes: Uint8Array, inflate: Inflate = defaultInflate): GrayImage {
  const size = pngSize(bytes);
  if (!size) throw new Error('not a PNG');
  if (bytes[24] !== 8 || bytes[25] !== 0 || bytes[28] !== 0) throw new Error('not an 8-bit grayscale non-interlaced PNG');
  return { ...size, gray: decodeGray8(bytes, size.width, size.height, inflate) };
}

const IDAT = 0x49444154;
const IEND = 0x49454e44;

function readU32(b: Uint8Array, at: number): number {
  return ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0;
}

/**
 * The pixels of an 8-bit gray, non-interlaced PNG of the given size: every IDAT chunk, one
 * inflate (injectable: the CLI passes node's native zlib), then the five row filters.
 */
export function decodeGray8(bytes: Uint8Array, width: number, height: number, inflate: Inflate): Uint8Array {
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
    raw = inflate(z);
  } catch (e) {
    throw new Error(`corrupt image data: ${(e as Error).message}`, { cause: e });
  }
  const stride = width + 1;
  if (raw.length < stride * height) throw new Error('image data is truncated');
  const out = new Uint8Array(width * height);
  for (let r = 0; r < height; r++) {
    const filter = raw[r * stride]!;
    const src = r * stride + 1;
    const row = r * width;
    const up = row - width;
    switch (filter) {
      case 0:
        out.set(raw.subarray(src, src + width), row);
        break;
      case 1:
        out[row] = raw[src]!;
        for (let c = 1; c < width; c++) out[row + c] = raw[src + c]! + out[row + c - 1]!;
        break;
      case 2:
        if (r === 0) out.set(raw.subarray(src, src + width), row);
        else for (let c = 0; c < width; c++) out[row + c] = raw[src + c]! + out[up + c]!;
        break;
      case 3:
        for (let c = 0; c < width; c++) {
          const a = c > 0 ? out[row + c - 1]! : 0;
          const b = r > 0 ? out[up + c]! : 0;
          out[row + c] = raw[src + c]! + ((a + b) >> 1);
        }
        break;
      case 4:
        for (let c = 0; c < width; c++) {
          const a = c > 0 ? out[row + c - 1]! : 0;
          const b = r > 0 ? out[up + c]! : 0;
          const d = c > 0 && r > 0 ? out[up + c - 1]! : 0;
          const p = a + b - d;
          const pa = Math.abs(p - a);
          const pb = Math.abs(p - b);
          const pc = Math.abs(p - d);
          out[row + c] = raw[src + c]! + (pa <= pb && pa <= pc ? a : pb <= pc ? b : d);
        }
        break;
      default:
        throw new Error(`unknown row filter ${filter} in row ${r}`);
    }
  }
  return out;
}
