/**
 * A predictions file with its heatmaps cut out, for `richhf evaluate`: the maps are nearly all
 * of the file (400 noisy 512x512 items: 138 MiB, of which about 1 MiB is anything else), and
 * decoding and parsing them as text is most of the time spent before the first pair can be
 * scored. Each heatmap string is instead left in the file's bytes, where the threads scoring it
 * read it (a SharedArrayBuffer), and the rest is parsed and validated as usual.
 *
 * The skeleton is the file with the text between the quotes of every non-empty string value of a
 * key `artifactHeatmap` or `misalignmentHeatmap` replaced by `#k`, k the cut's index in `spans`;
 * nothing else changes. Strings are found by their quotes and escapes as a JSON parser finds
 * them, so the skeleton has the file's structure. Its heatmaps then hold only placeholders (an
 * empty one is left as it is, and is refused by the schema as in the file), and the skeleton is
 * valid exactly when the file is, as long as each cut text is a valid JSON string's content:
 * whoever reads a cut checks that it is plain base64 (predictionSpanText), and a file that is
 * not read the ordinary way.
 */
export interface PredictionsSkeleton {
  readonly bytes: Uint8Array;
  /** The cut texts' byte offsets in the file, start and end (exclusive) of cut k at 2k and 2k + 1. */
  readonly spans: Uint32Array;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
/** The keys whose string values are cut, as bytes. */
const CUT_KEYS = ['artifactHeatmap', 'misalignmentHeatmap'].map((k) => Uint8Array.from(k, (c) => c.charCodeAt(0)));

/**
 * The skeleton of a predictions file, or null when it cannot be made the plain way (a key with
 * an escape in it, which could spell a heatmap key, or an unterminated string): the file is
 * then read whole.
 */
export function cutHeatmapStrings(bytes: Uint8Array): PredictionsSkeleton | null {
  const spans: number[] = [];
  let nextBackslash = nextIndex(bytes, BACKSLASH, 0);
  // Whether the last string was a key of CUT_KEYS.
  let lastKeyCut = false;
  let at = bytes.indexOf(QUOTE);
  while (at >= 0) {
    const open = at;
    if (nextBackslash <= open) nextBackslash = nextIndex(bytes, BACKSLASH, open + 1);
    // The closing quote: the first one not escaped.
    let close = -1;
    let escaped = false;
    for (let from = open + 1; ;) {
      const quote = bytes.indexOf(QUOTE, from);
      if (quote < 0) return null;
      if (nextBackslash > quote) {
        close = quote;
        break;
      }
      // Escapes before this quote: each backslash takes the byte after it, so walk them.
      escaped = true;
      let i = nextBackslash;
      while (i < quote) i += bytes[i] === BACKSLASH ? 2 : 1;
      nextBackslash = nextIndex(bytes, BACKSLASH, i);
      if (i === quote) {
        close = quote;
        break;
      }
      from = quote + 1; // the quote was escaped
    }
    const after = nextNonSpace(bytes, close + 1);
    if (bytes[after] === COLON) {
      // A key: an escape in it could spell a cut key, which is not looked for.
      if (escaped) return null;
      lastKeyCut = CUT_KEYS.some((k) => equalsAt(bytes, open + 1, close, k));
    } else {
      if (lastKeyCut && close > open + 1 && bytes[previousNonSpace(bytes, open - 1)] === COLON) spans.push(open + 1, close);
      lastKeyCut = false;
    }
    at = bytes.indexOf(QUOTE, close + 1);
  }
  if (spans.length === 0) return { bytes, spans: new Uint32Array(0) };
  return { bytes: skeletonOf(bytes, spans), spans: Uint32Array.from(spans) };
}

/** The cut index of a skeleton's placeholder text (`#k`), or -1 when the text is not one. */
export function cutIndexOf(text: string): number {
  if (text.charCodeAt(0) !== 0x23 || text.length > 11 || text.length < 2) return -1;
  const k = Number(text.slice(1));
  return Number.isInteger(k) && k >= 0 && String(k) === text.slice(1) ? k : -1;
}

function skeletonOf(bytes: Uint8Array, spans: readonly number[]): Uint8Array {
  const parts: Uint8Array[] = [];
  let size = 0;
  let from = 0;
  const ascii = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
  for (let k = 0; k < spans.length; k += 2) {
    const kept = bytes.subarray(from, spans[k]!);
    const mark = ascii(`#${k >> 1}`);
    parts.push(kept, mark);
    size += kept.length + mark.length;
    from = spans[k + 1]!;
  }
  const tail = bytes.subarray(from);
  parts.push(tail);
  size += tail.length;
  const out = new Uint8Array(size);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

function nextIndex(bytes: Uint8Array, byte: number, from: number): number {
  const i = bytes.indexOf(byte, from);
  return i < 0 ? bytes.length : i;
}

/** JSON's white space: space, tab, line feed, carriage return. */
function isSpace(b: number | undefined): boolean {
  return b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;
}

function nextNonSpace(bytes: Uint8Array, i: number): number {
  while (i < bytes.length && isSpace(bytes[i])) i++;
  return i;
}

function previousNonSpace(bytes: Uint8Array, i: number): number {
  while (i >= 0 && isSpace(bytes[i])) i--;
  return i;
}

function equalsAt(bytes: Uint8Array, from: number, to: number, key: Uint8Array): boolean {
  if (to - from !== key.length) return false;
  for (let i = 0; i < key.length; i++) if (bytes[from + i] !== key[i]) return false;
  return true;
}
