/**
 * PNG encoding for the browser's exports with the platform's native zlib (CompressionStream
 * 'deflate' is RFC 1950 zlib): several times faster than pure-JS deflate on 512x512 maps. The
 * PNG layout itself stays the engine's encodeGrayPng: the raw scanlines are captured from it,
 * compressed natively, and handed back, so only the deflate stream differs from the CLI's (the
 * pixels, after decoding, are equal; the e2e test checks that).
 */
import { encodeGrayPng } from '../../core/png.ts';

const hasNative = typeof CompressionStream === 'function';

async function zlibNative(raw: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([raw as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new CompressionStream('deflate'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

export async function encodeGrayPngAsync(width: number, height: number, gray: Uint8Array): Promise<Uint8Array> {
  if (!hasNative) return encodeGrayPng(width, height, gray);
  let raw: Uint8Array | null = null;
  encodeGrayPng(width, height, gray, (r) => {
    raw = r;
    return new Uint8Array(0);
  });
  const z = await zlibNative(raw!);
  return encodeGrayPng(width, height, gray, () => z);
}
