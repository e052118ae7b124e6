import CRC32 from 'crc-32';
import { RunsBuilder, zlibRleRuns } from './zlibRle.ts';

/**
 * 8-bit grayscale PNG encoding of heatmaps and masks (colour type 0, bit depth 8, no
 * interlace, filter type 0 "None" on every row, one IDAT chunk). The image data is deflated by
 * zlibRle.ts, zlib's Z_RLE strategy reproduced byte for byte, so every part of the system
 * (browser, command line, server) writes the same PNG bytes for the same pixels. Decoding is
 * pngDecode.ts's.
 */
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
