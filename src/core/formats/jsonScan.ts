import { notUtf8Message, utf8SequenceLength } from './textEncoding.ts';

/**
 * A JSON syntax check over UTF-8 bytes that also finds where the top-level object's members
 * are, so that a document can be parsed and validated piece by piece (one element of a big
 * array at a time) instead of as one giant string and value. It accepts exactly the texts
 * JSON.parse accepts (RFC 8259) and locates the first error by line and column. Iterative:
 * stack depth stays constant however deep the nesting. Offsets are byte offsets.
 */

export interface JsonSyntaxError {
  /** Byte offset of the first byte that is wrong. */
  readonly offset: number;
  readonly message: string;
}

/** A member value's bytes, [start, end). */
export interface JsonSpan {
  readonly start: number;
  readonly end: number;
}

export type JsonKind = 'object' | 'array' | 'string' | 'number' | 'boolean' | 'null';

export interface JsonScan {
  readonly kind: JsonKind;
  /** For a top-level object: the members whose key was asked for (the last one of a repeated key, as JSON.parse keeps). */
  readonly members: ReadonlyMap<string, JsonSpan>;
  /** Other keys of a top-level object: the first few, and how many there are in all. */
  readonly otherKeys: readonly string[];
  readonly otherKeyCount: number;
  /** False when the scan stopped early (`until`): the rest of the text was not checked. */
  readonly complete: boolean;
}

const OTHER_KEYS_KEPT = 10;
/** Keys longer than this (bytes) are not decoded: no document key is that long. */
const MAX_KEY_BYTES = 256;

const enum C {
  Tab = 0x09,
  Lf = 0x0a,
  Cr = 0x0d,
  Space = 0x20,
  Quote = 0x22,
  Plus = 0x2b,
  Comma = 0x2c,
  Minus = 0x2d,
  Dot = 0x2e,
  Slash = 0x2f,
  Zero = 0x30,
  Nine = 0x39,
  Colon = 0x3a,
  E = 0x45,
  OpenBracket = 0x5b,
  Backslash = 0x5c,
  CloseBracket = 0x5d,
  LowerE = 0x65,
  OpenBrace = 0x7b,
  CloseBrace = 0x7d,
}

class SyntaxFailure {
  constructor(
    readonly offset: number,
    readonly message: string,
  ) {}
}

const utf8 = new TextDecoder();

function describeByte(b: number | undefined): string {
  if (b === undefined) return 'the end of the file';
  if (b >= 0x21 && b <= 0x7e) return `'${String.fromCharCode(b)}'`;
  return `byte 0x${b.toString(16).toUpperCase().padStart(2, '0')}`;
}

/** "unexpected 'x'", "unexpected byte 0x00", "unexpected end of the file". */
function unexpected(b: number | undefined): string {
  return b === undefined ? 'unexpected end of the file' : `unexpected ${describeByte(b)}`;
}

class Stop {}

/**
 * The end of the run of plain string bytes (0x20-0x7F but '"' and '\\') from `from`: bytes
 * one at a time up to a word boundary, then whole words while none of their four bytes is
 * special. A word's test (the usual bit tricks) may flag a plain word, never miss a special one;
 * the byte loop then decides.
 */
function plainEnd(bytes: Uint8Array, words: Int32Array, wordBase: number, from: number): number {
  const n = bytes.length;
  let k = from;
  for (;;) {
    while (k < n && ((k - wordBase) & 3) !== 0) {
      const b = bytes[k]!;
      if (b < 0x20 || b === C.Quote || b === C.Backslash || b >= 0x80) return k;
      k++;
    }
    if (k >= n) return n;
    // k is now word-aligned (k >= wordBase).
    let w = (k - wordBase) >> 2;
    const end = words.length;
    while (w < end) {
      const x = words[w]!;
      const q = x ^ 0x22222222;
      const s = x ^ 0x5c5c5c5c;
      // A byte >= 0x80 or < 0x20; a byte equal to '"'; one equal to '\\'.
      if ((((x - 0x20202020) | x | ((q - 0x01010101) & ~q) | ((s - 0x01010101) & ~s)) & 0x80808080) !== 0) break;
      w++;
    }
    k = wordBase + 4 * w;
    // The flagged word (or the tail) byte by byte.
    const stop = Math.min(n, k + 4);
    while (k < stop) {
      const b = bytes[k]!;
      if (b < 0x20 || b === C.Quote || b === C.Backslash || b >= 0x80) return k;
      k++;
    }
    if (k >= n) return n;
  }
}

/**
 * Checks `bytes[start..]` is one JSON value (whitespace around it allowed). For a top-level
 * object, records the spans of the members whose key `wanted` accepts; `until`, asked after
 * each such member, may end the scan there (to read a `format` field from a file's first bytes).
 */
export function scanJson(
  bytes: Uint8Array,
  start: number,
  wanted: (key: string) => boolean,
  until?: (members: ReadonlyMap<string, JsonSpan>) => boolean,
): { ok: true; scan: JsonScan } | { ok: false; error: JsonSyntaxError } {
  const n = bytes.length;
  let i = start;
  const members = new Map<string, JsonSpan>();
  const otherKeys: string[] = [];
  let otherKeyCount = 0;

  // The bytes as aligned 32-bit words from offset wordBase, for plainEnd.
  const wordBase = (4 - (bytes.byteOffset & 3)) & 3;
  const words = new Int32Array(bytes.buffer, bytes.byteOffset + Math.min(wordBase, n), Math.max(0, n - wordBase) >> 2);
  const fail = (message: string, at = i): never => {
    throw new SyntaxFailure(at, message);
  };
  const ws = () => {
    while (i < n) {
      const b = bytes[i]!;
      if (b === C.Space || b === C.Lf || b === C.Cr || b === C.Tab) i++;
      else break;
    }
  };
  /** A string starting at the quote at i; leaves i after the closing quote. */
  const string = () => {
    const open = i++;
    for (;;) {
      // Plain ASCII runs (all of a base64 heatmap) are skipped in a local (`i` is shared with
      // the other closures, so it lives in memory), four bytes at a time where aligned.
      i = plainEnd(bytes, words, wordBase, i);
      if (i >= n) fail('unterminated string (no closing ")', open);
      const b = bytes[i]!;
      if (b === C.Quote) {
        i++;
        return;
      }
      if (b === C.Backslash) {
        const e = bytes[i + 1];
        if (e === 0x75 /* u */) {
          for (let k = 2; k < 6; k++) {
            const h = bytes[i + k];
            const hex = h !== undefined && ((h >= 0x30 && h <= 0x39) || (h >= 0x41 && h <= 0x46) || (h >= 0x61 && h <= 0x66));
            if (!hex) fail('invalid \\u escape: four hex digits must follow', i);
          }
          i += 6;
        } else if (e === C.Quote || e === C.Backslash || e === C.Slash || e === 0x62 || e === 0x66 || e === 0x6e || e === 0x72 || e === 0x74) i += 2;
        else fail(`invalid escape \\${e === undefined ? '' : String.fromCharCode(e)} in a string`, i);
        continue;
      }
      if (b < 0x20) fail(`raw control character U+${b.toString(16).toUpperCase().padStart(4, '0')} in a string (write it escaped, e.g. \\n)`);
      if (b < 0x80) {
        i++;
        continue;
      }
      const len = utf8SequenceLength(bytes, i);
      if (len === 0) fail(notUtf8Message(b));
      i += len;
    }
  };
  const digits = () => {
    const from = i;
    while (i < n && bytes[i]! >= C.Zero && bytes[i]! <= C.Nine) i++;
    if (i === from) fail(`expected a digit, found ${describeByte(bytes[i])}`);
  };
  const number = () => {
    if (bytes[i] === C.Minus) i++;
    if (bytes[i] === C.Zero) i++;
    else if (bytes[i] !== undefined && bytes[i]! > C.Zero && bytes[i]! <= C.Nine) digits();
    else fail(`expected a digit, found ${describeByte(bytes[i])}`);
    if (bytes[i] === C.Dot) {
      i++;
      digits();
    }
    if (bytes[i] === C.LowerE || bytes[i] === C.E) {
      i++;
      if (bytes[i] === C.Plus || bytes[i] === C.Minus) i++;
      digits();
    }
  };
  const literal = (word: string) => {
    for (let k = 0; k < word.length; k++) if (bytes[i + k] !== word.charCodeAt(k)) fail(`${unexpected(bytes[i])}: expected a value`);
    i += word.length;
  };
  const kindAt = (b: number | undefined): JsonKind | null =>
    b === C.OpenBrace
      ? 'object'
      : b === C.OpenBracket
        ? 'array'
        : b === C.Quote
          ? 'string'
          : b === C.Minus || (b !== undefined && b >= C.Zero && b <= C.Nine)
            ? 'number'
            : b === 0x74 || b === 0x66
              ? 'boolean'
              : b === 0x6e
                ? 'null'
                : null;
  const scalar = () => {
    const b = bytes[i];
    if (b === C.Quote) string();
    else if (b === C.Minus || (b !== undefined && b >= C.Zero && b <= C.Nine)) number();
    else if (b === 0x74) literal('true');
    else if (b === 0x66) literal('false');
    else if (b === 0x6e) literal('null');
    else fail(`${unexpected(b)}: expected a value`);
  };

  /**
   * One value at i, containers included, without recursion: `stack` holds the open containers
   * (true = object). `onTopKey` sees each key of the outermost object (depth 1).
   */
  const value = (onTopKey?: (keyStart: number, keyEnd: number) => void, onTopValue?: (start: number, end: number) => void) => {
    const stack: boolean[] = [];
    // A member of the outermost object just ended at i.
    const ended = () => {
      if (stack.length === 1 && stack[0] && onTopValue) onTopValue(topValueStart, i);
    };
    for (;;) {
      // Here a value is expected.
      ws();
      const b = bytes[i];
      if (b === C.OpenBrace || b === C.OpenBracket) {
        const isObject = b === C.OpenBrace;
        stack.push(isObject);
        i++;
        ws();
        if (bytes[i] === (isObject ? C.CloseBrace : C.CloseBracket)) {
          i++;
          stack.pop();
          ended();
        } else {
          if (isObject) key(stack.length === 1 ? onTopKey : undefined);
          continue;
        }
      } else {
        scalar();
        ended();
      }
      // After a value: close containers or move on to the next element.
      for (;;) {
        if (stack.length === 0) return;
        ws();
        const isObject = stack[stack.length - 1]!;
        const c = bytes[i];
        if (c === C.Comma) {
          i++;
          if (isObject) {
            ws();
            key(stack.length === 1 ? onTopKey : undefined);
          }
          break;
        }
        if (c === (isObject ? C.CloseBrace : C.CloseBracket)) {
          i++;
          stack.pop();
          ended();
          continue;
        }
        fail(`${unexpected(c)}: expected ',' or '${isObject ? '}' : ']'}'`);
      }
    }
  };
  let topValueStart = 0;
  /** An object key at i (after whitespace), its colon, and the whitespace before its value. */
  const key = (onTopKey?: (keyStart: number, keyEnd: number) => void) => {
    if (bytes[i] !== C.Quote) fail(`${unexpected(bytes[i])}: expected a "key" in double quotes`);
    const from = i;
    string();
    onTopKey?.(from, i);
    ws();
    if (bytes[i] !== C.Colon) fail(`${unexpected(bytes[i])}: expected ':' after the key`);
    i++;
    ws();
    if (onTopKey) topValueStart = i;
  };

  try {
    ws();
    const kind = kindAt(bytes[i]);
    if (i >= n) fail('the file is empty: expected a JSON value');
    if (kind === null) fail(`${unexpected(bytes[i])}: expected a JSON value`);
    let currentKey: string | null = null;
    value(
      (ks, ke) => {
        const k = ke - ks > MAX_KEY_BYTES ? null : (JSON.parse(utf8.decode(bytes.subarray(ks, ke))) as string);
        if (k !== null && wanted(k)) currentKey = k;
        else {
          currentKey = null;
          if (otherKeys.length < OTHER_KEYS_KEPT) otherKeys.push(k ?? `${utf8.decode(bytes.subarray(ks + 1, ks + 41))}…`);
          otherKeyCount++;
        }
      },
      (vs, ve) => {
        if (currentKey !== null) {
          members.delete(currentKey); // a repeated key counts where it last appears
          members.set(currentKey, { start: vs, end: ve });
          if (until?.(members)) throw new Stop();
        }
      },
    );
    ws();
    if (i < n) fail(`${unexpected(bytes[i])} after the JSON value`);
    return { ok: true, scan: { kind: kind!, members, otherKeys, otherKeyCount, complete: true } };
  } catch (e) {
    if (e instanceof Stop) return { ok: true, scan: { kind: 'object', members, otherKeys, otherKeyCount, complete: false } };
    if (e instanceof SyntaxFailure) return { ok: false, error: { offset: e.offset, message: e.message } };
    throw e;
  }
}

/** 1-based line and column (in characters) of a byte offset, for messages. */
export function lineColumn(bytes: Uint8Array, start: number, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = start;
  for (let k = start; k < offset && k < bytes.length; k++) {
    if (bytes[k] === C.Lf) {
      line++;
      lineStart = k + 1;
    }
  }
  // Count characters, not bytes: continuation bytes (10xxxxxx) do not start one.
  let column = 1;
  for (let k = lineStart; k < offset && k < bytes.length; k++) if ((bytes[k]! & 0xc0) !== 0x80) column++;
  return { line, column };
}

/**
 * Calls `onBatch(from, to, count)` for runs of consecutive elements of the (syntactically
 * valid) array spanning [start, end), each run about `batchBytes` long (a longer element is a
 * run of its own). `bytes[from..to)` is then `count` elements with the commas between them.
 * Returns false if onBatch did.
 */
export function forEachElementRun(bytes: Uint8Array, span: JsonSpan, batchBytes: number, onBatch: (from: number, to: number, count: number) => boolean): boolean {
  let i = span.start + 1; // after '['
  const close = span.end - 1; // the ']'
  const skipWs = () => {
    while (i < close) {
      const b = bytes[i]!;
      if (b === C.Space || b === C.Lf || b === C.Cr || b === C.Tab) i++;
      else break;
    }
  };
  skipWs();
  let from = i;
  let count = 0;
  let lastEnd = i;
  while (i < close) {
    // One element: to the next comma or the closing bracket at depth 0, skipping strings.
    let depth = 0;
    for (;;) {
      const b = bytes[i]!;
      if (b === C.Quote) {
        // The closing quote: the next one not escaped, i.e. not after an odd run of backslashes.
        let q = i;
        for (;;) {
          q = bytes.indexOf(C.Quote, q + 1);
          let slashes = 0;
          while (bytes[q - 1 - slashes] === C.Backslash) slashes++;
          if (slashes % 2 === 0) break;
        }
        i = q + 1;
        continue;
      }
      if (b === C.OpenBrace || b === C.OpenBracket) depth++;
      else if (b === C.CloseBrace || b === C.CloseBracket) {
        if (depth === 0) break; // the array's own ']'
        depth--;
      } else if (b === C.Comma && depth === 0) break;
      i++;
      if (i >= close) break;
    }
    // Trim trailing whitespace of the element.
    let end = i;
    while (end > from && (bytes[end - 1] === C.Space || bytes[end - 1] === C.Lf || bytes[end - 1] === C.Cr || bytes[end - 1] === C.Tab)) end--;
    lastEnd = end;
    count++;
    if (bytes[i] === C.Comma) i++;
    skipWs();
    if (lastEnd - from >= batchBytes || i >= close) {
      if (!onBatch(from, lastEnd, count)) return false;
      from = i;
      count = 0;
    }
  }
  if (count > 0) return onBatch(from, lastEnd, count);
  return true;
}

const encoder = new TextEncoder();

/** Where text that JSON.parse refused goes wrong: "line 3, column 8: unexpected 'x': …" (`fallback` if it is fine after all). */
export function jsonSyntaxError(text: string, fallback: string): string {
  const bytes = encoder.encode(text);
  const r = scanJson(bytes, 0, () => false);
  if (r.ok) return fallback;
  const { line, column } = lineColumn(bytes, 0, r.error.offset);
  return `line ${line}, column ${column}: ${r.error.message}`;
}
