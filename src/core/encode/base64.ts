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

/** 6-bit value per byte of the alphabet; 255 for every other byte. */
const VALUE = new Uint8Array(256).fill(255);
for (let i = 0; i < ENCODE.length; i++) VALUE[ENCODE[i]!] = i;

const encoder = new TextEncoder();
/** The text's bytes, reused between calls (heatmaps are decoded one after another). */
let scratch = new Uint8Array(0);

/** Strict decoding: throws on characters outside the alphabet or a bad length/padding. */
export function base64ToBytes(text: string): Uint8Array {
  if (text.length % 4 !== 0) throw new Error('invalid base64: length is not a multiple of 4');
  const pad = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const out = new Uint8Array((text.length / 4) * 3 - pad);
  // Every quad but a padded last one, from the text's UTF-8 bytes (encoded natively; reading
  // the string a character at a time costs twice as much): a byte outside the alphabet has
  // value 255 and sets a bit above the six any valid one has, and a character outside ASCII
  // makes more bytes than characters. The loop below then finds it and says where.
  const whole = pad > 0 ? text.length - 4 : text.length;
  if (scratch.length < text.length) scratch = new Uint8Array(Math.max(text.length, 2 * scratch.length));
  const bytes = scratch;
  const { read, written } = encoder.encodeInto(text, bytes);
  let bad = read === text.length && written === text.length ? 0 : 256;
  let o = 0;
  for (let i = 0; i < whole; i += 4) {
    const a = VALUE[bytes[i]!]!;
    const b = VALUE[bytes[i + 1]!]!;
    const c = VALUE[bytes[i + 2]!]!;
    const d = VALUE[bytes[i + 3]!]!;
    const v = (a << 18) | (b << 12) | (c << 6) | d;
    out[o] = v >> 16;
    out[o + 1] = v >> 8;
    out[o + 2] = v;
    o += 3;
    bad |= (a | b | c | d) & ~63;
  }
  if (bad !== 0) decodeQuads(text, 0, whole, pad, out, 0); // throws
  decodeQuads(text, whole, text.length, pad, out, o);
  return out;
}

/** Quads [from, to) one character at a time, checking each; returns the output offset reached. */
function decodeQuads(text: string, from: number, to: number, pad: number, out: Uint8Array, at: number): number {
  let o = at;
  for (let i = from; i < to; i += 4) {
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
  return o;
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
