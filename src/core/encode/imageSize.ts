import type { Size } from '../annotate/geometry.ts';

/**
 * Width and height in image pixels from the first bytes of a PNG, JPEG, GIF, WebP or BMP
 * file, without decoding it. For JPEG the size is in a SOF marker that can come after large
 * metadata, so callers should pass the whole file when the start is not enough.
 */
export interface ImageInfo extends Size {
  readonly type: 'png' | 'jpeg' | 'gif' | 'webp' | 'bmp';
}

export function readImageSize(b: Uint8Array): ImageInfo | undefined {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const ascii = (at: number, len: number) => String.fromCharCode(...b.subarray(at, at + len));
  if (b.length >= 24 && b[0] === 0x89 && ascii(1, 3) === 'PNG' && ascii(12, 4) === 'IHDR') {
    return { type: 'png', width: v.getUint32(16), height: v.getUint32(20) };
  }
  if (b.length >= 10 && (ascii(0, 6) === 'GIF87a' || ascii(0, 6) === 'GIF89a')) {
    return { type: 'gif', width: v.getUint16(6, true), height: v.getUint16(8, true) };
  }
  if (b.length >= 26 && ascii(0, 2) === 'BM') {
    return { type: 'bmp', width: Math.abs(v.getInt32(18, true)), height: Math.abs(v.getInt32(22, true)) };
  }
  if (b.length >= 30 && ascii(0, 4) === 'RIFF' && ascii(8, 4) === 'WEBP') {
    const kind = ascii(12, 4);
    if (kind === 'VP8 ') return { type: 'webp', width: v.getUint16(26, true) & 0x3fff, height: v.getUint16(28, true) & 0x3fff };
    if (kind === 'VP8L') {
      const bits = v.getUint32(21, true);
      return { type: 'webp', width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
    }
    if (kind === 'VP8X') return { type: 'webp', width: 1 + (b[24]! | (b[25]! << 8) | (b[26]! << 16)), height: 1 + (b[27]! | (b[28]! << 8) | (b[29]! << 16)) };
    return undefined;
  }
  if (b.length >= 4 && b[0] === 0xff && b[1] === 0xd8) {
    let at = 2;
    while (at + 9 < b.length) {
      if (b[at] !== 0xff) return undefined;
      const marker = b[at + 1]!;
      if (marker === 0xff) {
        at++;
        continue;
      }
      // SOF0-SOF15 carry the size, except DHT (C4), JPG (C8) and DAC (CC).
      if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
        return { type: 'jpeg', height: v.getUint16(at + 5), width: v.getUint16(at + 7) };
      }
      if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
        at += 2;
        continue;
      }
      at += 2 + v.getUint16(at + 2);
    }
  }
  return undefined;
}
