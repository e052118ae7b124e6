/**
 * Standard base64 (RFC 4648, with `=` padding) for heatmap PNGs inside the dataset JSON.
 * Hand-written rather than btoa(String.fromCharCode(...)) so it never builds a binary
 * string and behaves the same in browsers, workers and Node.
 */
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const ENCODE = Array.from(ALPHABET, (c) => c.charCodeAt(0));
const DECODE = new Int16Array(128).fill(-1);
for (let i = 0; i < ENCODE.length; i++) DECODE[ENCODE[i]!] = i;

const decoder = new TextDecoder();

export function bytesToBase64(bytes: Uint8Array): string {
  const n = bytes.length;
  const out = new Uint8Array(Math.ceil(n / 3) * 4);
  let o = 0;
  let i = 0;
  for (; i + 2 < n; i += 3) {
    const v = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out[o++] = ENCODE[v >>> 18]!;
    out[o++] = ENCODE[(v >>> 12) & 63]!;
    out[o++] = ENCODE[(v >>> 6) & 63]!;
    out[o++] = ENCODE[v & 63]!;
  }
  if (i < n) {
    const two = i + 1 < n;
    const v = (bytes[i]! << 16) | (two ? bytes[i + 1]! << 8 : 0);
    out[o++] = ENCODE[v >>> 18]!;
    out[o++] = ENCODE[(v >>> 12) & 63]!;
    out[o++] = two ? ENCODE[(v >>> 6) & 63]! : 61; // '='
    out[o] = 61;
  }
  return decoder.decode(out);
}

/** Strict decoding: throws on characters outside the alphabet or a bad length/padding. */
export function base64ToBytes(text: string): Uint8Array {
  if (text.length % 4 !== 0) throw new Error('invalid base64: length is not a multiple of 4');
  const pad = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const out = new Uint8Array((text.length / 4) * 3 - pad);
  let o = 0;
  for (let i = 0; i < text.length; i += 4) {
    let v = 0;
    for (let j = 0; j < 4; j++) {
      const code = text.charCodeAt(i + j);
      const isPad = code === 61 && i + 4 === text.length && j >= 4 - pad;
      const d = isPad ? 0 : code < 128 ? DECODE[code]! : -1;
      if (d < 0) throw new Error(`invalid base64: unexpected character at ${i + j}`);
      v = (v << 6) | d;
    }
    if (o < out.length) out[o++] = v >>> 16;
    if (o < out.length) out[o++] = (v >>> 8) & 255;
    if (o < out.length) out[o++] = v & 255;
  }
  return out;
}

/**
 * Standard base64 with the padding optional (a model's writer may leave it out), for text from
 * outside (predictions); null when the text is not base64. The decoding is base64ToBytes's.
 */
export function lenientBase64ToBytes(text: string): Uint8Array | null {
  if (text.length % 4 === 1) return null;
  try {
    return base64ToBytes(text.length % 4 === 0 ? text : text + '='.repeat(4 - (text.length % 4)));
  } catch {
    return null;
  }
}
