/**
 * Input files are UTF-8 (JSON must be: RFC 8259). A UTF-8 byte order mark, which some Windows
 * editors write, is accepted and skipped; UTF-16 and UTF-32 files, with or without a mark, are
 * named as such instead of failing as garbled text full of NUL bytes. On its own, apart from the
 * byte-by-byte check (textEncoding.ts), because the annotator page needs only this before a pack
 * is parsed whole; the byte scanner, and with it the check, is a chunk of its own.
 */

export type TextStart = { readonly ok: true; readonly start: number } | { readonly ok: false; readonly message: string };

function otherEncoding(name: string): TextStart {
  return { ok: false, message: `the file is ${name}; save it as UTF-8 (files must be UTF-8)` };
}

/** Where the text starts (3 after a UTF-8 BOM, else 0), or which other encoding the bytes are in. */
export function utf8Start(bytes: Uint8Array): TextStart {
  const [b0, b1, b2, b3] = bytes;
  if (b0 === 0xef && b1 === 0xbb && b2 === 0xbf) return { ok: true, start: 3 };
  if (b0 === 0x00 && b1 === 0x00 && b2 === 0xfe && b3 === 0xff) return otherEncoding('UTF-32 BE');
  if (b0 === 0xff && b1 === 0xfe && b2 === 0x00 && b3 === 0x00) return otherEncoding('UTF-32 LE');
  if (b0 === 0xfe && b1 === 0xff) return otherEncoding('UTF-16 BE');
  if (b0 === 0xff && b1 === 0xfe) return otherEncoding('UTF-16 LE');
  // No mark: text starts with an ASCII character, whose zero bytes give the encoding away.
  if (bytes.length >= 4 && b0 === 0 && b1 === 0 && b2 === 0 && b3 !== 0) return otherEncoding('UTF-32 BE');
  if (bytes.length >= 4 && b0 !== 0 && b1 === 0 && b2 === 0 && b3 === 0) return otherEncoding('UTF-32 LE');
  if (bytes.length >= 2 && b0 === 0 && b1 !== 0) return otherEncoding('UTF-16 BE');
  if (bytes.length >= 2 && b0 !== 0 && b1 === 0) return otherEncoding('UTF-16 LE');
  return { ok: true, start: 0 };
}
