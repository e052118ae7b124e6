import { describe, expect, test } from 'vitest';
import { imageMetadata } from '../../src/core/encode/imageMetadata.ts';
import { encodeGrayPng } from '../../src/core/encode/png.ts';

/** A JPEG's segments up to its image data: SOI, then [marker, payload] each with its length. */
function jpeg(segments: [number, number[]][]): Uint8Array {
  const out = [0xff, 0xd8];
  for (const [marker, payload] of segments) out.push(0xff, marker, (payload.length + 2) >> 8, (payload.length + 2) & 255, ...payload);
  out.push(0xff, 0xda, 0, 2, 1, 2, 3, 0xff, 0xd9); // SOS, scan data, EOI
  return Uint8Array.from(out);
}

function webp(chunks: [string, number[]][]): Uint8Array {
  const body: number[] = [...'WEBP'].map((c) => c.charCodeAt(0));
  for (const [type, data] of chunks) {
    body.push(...[...type].map((c) => c.charCodeAt(0)), data.length & 255, (data.length >> 8) & 255, 0, 0, ...data);
    if (data.length & 1) body.push(0);
  }
  return Uint8Array.from([...'RIFF'].map((c) => c.charCodeAt(0)).concat([body.length & 255, (body.length >> 8) & 255, 0, 0], body));
}

describe('image metadata that could name a system', () => {
  test('JPEG: comments, APP1 (EXIF/XMP) and APP13 (IPTC); not JFIF (APP0) or the tables', () => {
    expect(
      imageMetadata(
        jpeg([
          [0xe0, [74, 70, 73, 70, 0]],
          [0xdb, [0, 1, 2]],
        ]),
      ),
    ).toEqual([]);
    expect(
      imageMetadata(
        jpeg([
          [0xe0, [1]],
          [0xe1, [69, 120, 105, 102, 0, 0]],
          [0xfe, [104, 105]],
          [0xed, [1]],
        ]),
      ),
    ).toEqual(['JPEG APP1 (EXIF or XMP)', 'JPEG comment', 'JPEG APP13 (IPTC)']);
  });

  test('WebP: EXIF and XMP chunks (odd sizes padded)', () => {
    expect(imageMetadata(webp([['VP8 ', [1, 2, 3]]]))).toEqual([]);
    expect(
      imageMetadata(
        webp([
          ['VP8X', [0, 0, 0]],
          ['VP8 ', [1]],
          ['EXIF', [1, 2, 3]],
          ['XMP ', [4]],
        ]),
      ),
    ).toEqual(['WebP EXIF', 'WebP XMP']);
  });

  test('PNG without text chunks; truncated or foreign bytes give nothing and never throw', () => {
    const png = encodeGrayPng(4, 4, new Uint8Array(16));
    expect(imageMetadata(png)).toEqual([]);
    const jp = jpeg([[0xe1, [1, 2, 3]]]);
    const wp = webp([['EXIF', [1, 2, 3]]]);
    for (const bytes of [png, jp, wp]) for (let n = 0; n < bytes.length; n++) expect(() => imageMetadata(bytes.subarray(0, n))).not.toThrow();
    expect(imageMetadata(new TextEncoder().encode('GIF89a...'))).toEqual([]);
  });
});
