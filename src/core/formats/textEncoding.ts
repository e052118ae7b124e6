/**
 * Input files are UTF-8 (JSON must be: RFC 8259): where a file's bytes stop being UTF-8, and why.
 * Where the text starts (a byte order mark, or another encoding named) is textStart.ts.
 */
import { utf8Start } from './textStart.ts';

/**
 * Length of the UTF-8 sequence starting at bytes[i] (1 to 4), or 0 if it is not valid UTF-8:
 * no overlong forms, no surrogates, nothing above U+10FFFF (the WHATWG decoder's rules).
 */
export function utf8SequenceLength(bytes: Uint8Array, i: number): number {
  const b = bytes[i]!;
  if (b < 0x80) return 1;
  let need: number;
  let lo = 0x80;
  let hi = 0xbf;
  if (b >= 0xc2 && b <= 0xdf) need = 1;
  else if (b >= 0xe0 && b <= 0xef) {
    need = 2;
    if (b === 0xe0) lo = 0xa0;
    else if (b === 0xed) hi = 0x9f;
  } else if (b >= 0xf0 && b <= 0xf4) {
    need = 3;
    if (b === 0xf0) lo = 0x90;
    else if (b === 0xf4) hi = 0x8f;
  } else return 0;
  for (let k = 1; k <= need; k++) {
    const c = bytes[i + k];
    if (c === undefined || c < (k === 1 ? lo : 0x80) || c > (k === 1 ? hi : 0xbf)) return 0;
  }
  return need + 1;
}

export function notUtf8Message(b: number): string {
  return `byte 0x${b.toString(16).toUpperCase().padStart(2, '0')} is not UTF-8 (files must be UTF-8; was this one saved as Latin-1 or Windows-1252?)`;
}

const decoder = new TextDecoder();

/**
 * The text of a UTF-8 file (BOM dropped), or where it stops being UTF-8 (byte offset) and why.
 * For the non-JSON inputs (prompt lists); JSON goes through jsonScan, which checks as it goes.
 */
export function decodeUtf8(bytes: Uint8Array): { ok: true; text: string } | { ok: false; offset: number; message: string } {
  const head = utf8Start(bytes);
  if (!head.ok) return { ok: false, offset: 0, message: head.message };
  for (let i = head.start; i < bytes.length;) {
    if (bytes[i]! < 0x80) {
      i++;
      continue;
    }
    const len = utf8SequenceLength(bytes, i);
    if (len === 0) return { ok: false, offset: i, message: notUtf8Message(bytes[i]!) };
    i += len;
  }
  return { ok: true, text: decoder.decode(bytes.subarray(head.start)) };
}
