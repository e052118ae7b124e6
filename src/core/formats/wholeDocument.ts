import type * as zc from 'zod/v4/core';
import { JsonDocument } from './jsonDocument.ts';
import type { Parsed } from './located.ts';
import { utf8Start } from './textStart.ts';

/**
 * The first step of reading a document from its bytes (readDocument.ts): a document small enough,
 * or made mostly of long strings, is parsed whole by the platform's JSON.parse and validated from
 * the value. Kept apart from the byte scanner (jsonScan.ts, readDocument.ts), which only a large
 * document or one that is not UTF-8 JSON needs: a page that opens small files (the annotator's
 * task pack) loads the scanner only when a file needs it.
 */

/**
 * Up to this size a document is first parsed whole by the platform's JSON.parse (native, several
 * times faster than scanning it here) and validated from the value, piece by piece all the same;
 * its memory, about 3.5 times its size, stays small. Larger ones, and any that is not valid UTF-8
 * JSON, are scanned, which keeps memory near the file's size and locates what is wrong; except
 * documents made mostly of long strings (see mostlyLongStrings).
 */
export const WHOLE_PARSE_BYTES = 32 << 20;

/** At most one '"' per this many bytes: a document of long strings (heatmaps as base64). */
const LONG_STRING_BYTES = 4096;

/**
 * Whether the document is mostly long strings, as datasets and predictions with heatmaps are
 * (a 512x512 map is 20 to 200 KB of base64). Its value is then mostly those strings, one byte a
 * character like the file, so parsing it whole takes about 3 times the file at the peak (the
 * bytes, the text, the value) where scanning takes 2, in under half the time (138 MiB of noisy
 * heatmaps: 0.31 s of CPU instead of 0.69). Counting stops at the first quote too many.
 */
export function mostlyLongStrings(bytes: Uint8Array): boolean {
  const most = Math.floor(bytes.length / LONG_STRING_BYTES);
  let quotes = 0;
  for (let at = bytes.indexOf(0x22); at >= 0; at = bytes.indexOf(0x22, at + 1)) if (++quotes > most) return false;
  return true;
}

/** Throws on bytes that are not UTF-8 (the scanner then says where); keeps a BOM (skipped by the caller). */
const strictUtf8 = /* @__PURE__ */ new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * The document parsed whole, when it is to be (`wholeParseBytes`: see WHOLE_PARSE_BYTES; 0: never)
 * and is UTF-8 JSON from `start` (after a BOM); null otherwise: the scanner then reads it, and
 * locates what is wrong.
 */
export function wholeDocument(file: string, bytes: Uint8Array, start: number, wholeParseBytes: number): JsonDocument | null {
  if (bytes.length > wholeParseBytes && !(wholeParseBytes > 0 && mostlyLongStrings(bytes))) return null;
  try {
    return JsonDocument.fromValue(file, JSON.parse(strictUtf8.decode(bytes.subarray(start))));
  } catch {
    return null;
  }
}

/**
 * parseJsonBytes (readDocument.ts) for a document that this step reads: the same result, or null
 * for one that needs the scanner (too large, not UTF-8 JSON, or in another encoding), which the
 * caller then loads and asks.
 */
export function parseWholeJsonBytes<S extends zc.$ZodType>(file: string, bytes: Uint8Array, schema: S): Parsed<zc.output<S>> | null {
  const head = utf8Start(bytes);
  if (!head.ok) return null;
  return wholeDocument(file, bytes, head.start, WHOLE_PARSE_BYTES)?.validate(schema) ?? null;
}
