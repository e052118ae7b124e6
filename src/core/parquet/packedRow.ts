import { POINT_KINDS, SCORE_NAMES } from '../formats/names.ts';
import type { DatasetRow, RowAnnotation } from './datasetRow.ts';

/**
 * A DatasetRow packed into one buffer, for its way from the item job (any thread) to the
 * Parquet writer (another thread): the row's numbers as float64, its strings as UTF-16 code
 * units and its two heatmap PNGs as bytes. A row as objects is 40 to 60 of them (annotations,
 * points, score records); structured clone copied each one field by field, twice (item thread to
 * the calling thread, and on to the writer thread), and every copy held until its row group was
 * written weighed on each heap's young-generation collections. A packed row is one buffer that
 * moves without a copy, and it is unpacked only when its row group is written, so the objects
 * live for that moment alone.
 *
 * Exact for every value: each number keeps its bits (-0 included) and each string its code
 * units (lone surrogates included), so the file is the same byte for byte as from the row itself
 * (tests/unit/packedRow.test.ts).
 *
 * Layout: four uint32 (count of numbers, count of code units, the two PNGs' lengths), the
 * numbers, the code units, the artifact PNG, the misalignment PNG. The numbers run through the
 * row in one order (packRow and unpackRow read and write it the same way); a string is its
 * length among the numbers and its code units in the text. The first numbers are the head
 * (packedRowHead): the id's and image reference's lengths, then the image's width and height.
 */
export type PackedRow = Uint8Array<ArrayBuffer>;

const HEADER_BYTES = 16;

class Packer {
  readonly numbers: number[] = [];
  readonly strings: string[] = [];
  private units = 0;

  number(n: number): void {
    this.numbers.push(n);
  }

  list(list: readonly number[]): void {
    this.numbers.push(list.length);
    for (const n of list) this.numbers.push(n);
  }

  string(s: string): void {
    this.numbers.push(s.length);
    this.strings.push(s);
    this.units += s.length;
  }

  get textUnits(): number {
    return this.units;
  }
}

class Unpacker {
  private n = 0;
  private t = 0;

  constructor(
    private readonly numbers: Float64Array,
    private readonly text: string,
  ) {}

  number(): number {
    return this.numbers[this.n++]!;
  }

  list(): number[] {
    const count = this.number();
    const out = new Array<number>(count);
    for (let i = 0; i < count; i++) out[i] = this.numbers[this.n++]!;
    return out;
  }

  string(): string {
    const length = this.number();
    const s = this.text.slice(this.t, this.t + length);
    this.t += length;
    return s;
  }
}

export function packRow(row: DatasetRow): PackedRow {
  const p = new Packer();
  p.string(row.id);
  p.string(row.image);
  p.number(row.imageWidth);
  p.number(row.imageHeight);
  p.string(row.prompt);
  p.number(row.tokens.length);
  for (const t of row.tokens) p.string(t);
  p.string(row.promptMisalignmentLabel);
  p.list(row.tokenVotes);
  for (const s of SCORE_NAMES) p.number(row.scores[s]);
  for (const s of SCORE_NAMES) p.number(row.normalizedScores[s]);
  p.number(row.annotations.length);
  for (const a of row.annotations) {
    p.string(a.annotator);
    for (const s of SCORE_NAMES) p.number(a.scores[s]);
    p.list(a.misalignedTokens);
    p.number(a.points.length);
    for (const pt of a.points) {
      p.number(POINT_KINDS.indexOf(pt.kind));
      p.number(pt.x);
      p.number(pt.y);
    }
    p.string(a.submittedAt);
    p.number(a.activeMs);
  }

  const { numbers, strings, textUnits } = p;
  const { artifactPng, misalignmentPng } = row;
  const textAt = HEADER_BYTES + numbers.length * 8;
  const pngAt = textAt + textUnits * 2;
  const buffer = new ArrayBuffer(pngAt + artifactPng.length + misalignmentPng.length);
  new Uint32Array(buffer, 0, 4).set([numbers.length, textUnits, artifactPng.length, misalignmentPng.length]);
  new Float64Array(buffer, HEADER_BYTES, numbers.length).set(numbers);
  const units = new Uint16Array(buffer, textAt, textUnits);
  let u = 0;
  for (const s of strings) for (let i = 0; i < s.length; i++) units[u++] = s.charCodeAt(i);
  const bytes = new Uint8Array(buffer);
  bytes.set(artifactPng, pngAt);
  bytes.set(misalignmentPng, pngAt + artifactPng.length);
  return bytes;
}

interface Parts {
  readonly numbers: Float64Array;
  readonly units: Uint16Array;
  readonly pngAt: number;
  readonly artifactBytes: number;
  readonly misalignmentBytes: number;
}

function parts(packed: PackedRow): Parts {
  const [count, textUnits, artifactBytes, misalignmentBytes] = new Uint32Array(packed.buffer, packed.byteOffset, 4);
  const textAt = packed.byteOffset + HEADER_BYTES + count! * 8;
  return {
    numbers: new Float64Array(packed.buffer, packed.byteOffset + HEADER_BYTES, count),
    units: new Uint16Array(packed.buffer, textAt, textUnits),
    pngAt: textAt - packed.byteOffset + textUnits! * 2,
    artifactBytes: artifactBytes!,
    misalignmentBytes: misalignmentBytes!,
  };
}

/** Code units to a string, a slice at a time (a call's arguments are limited). */
function text(units: Uint16Array): string {
  const SLICE = 8192;
  if (units.length <= SLICE) return String.fromCharCode.apply(null, units as unknown as number[]);
  let s = '';
  for (let i = 0; i < units.length; i += SLICE) s += String.fromCharCode.apply(null, units.subarray(i, i + SLICE) as unknown as number[]);
  return s;
}

/** What the export needs of a row before its row group is written: which item and image it is. */
export interface PackedRowHead {
  readonly id: string;
  readonly image: string;
  readonly imageWidth: number;
  readonly imageHeight: number;
}

export function packedRowHead(packed: PackedRow): PackedRowHead {
  const { numbers, units } = parts(packed);
  const idLength = numbers[0]!;
  const imageLength = numbers[1]!;
  const head = text(units.subarray(0, idLength + imageLength));
  return {
    id: head.slice(0, idLength),
    image: head.slice(idLength),
    imageWidth: numbers[2]!,
    imageHeight: numbers[3]!,
  };
}

/** The row again; its PNGs are views into `packed`, not copies. */
export function unpackRow(packed: PackedRow): DatasetRow {
  const { numbers, units, pngAt, artifactBytes, misalignmentBytes } = parts(packed);
  const u = new Unpacker(numbers, text(units));
  const id = u.string();
  const image = u.string();
  const imageWidth = u.number();
  const imageHeight = u.number();
  const prompt = u.string();
  const tokens = new Array<string>(u.number());
  for (let i = 0; i < tokens.length; i++) tokens[i] = u.string();
  const promptMisalignmentLabel = u.string();
  const tokenVotes = u.list();
  const scores = { plausibility: u.number(), alignment: u.number(), aesthetics: u.number(), overall: u.number() };
  const normalizedScores = { plausibility: u.number(), alignment: u.number(), aesthetics: u.number(), overall: u.number() };
  const annotations = new Array<RowAnnotation>(u.number());
  for (let k = 0; k < annotations.length; k++) {
    const annotator = u.string();
    const scores = { plausibility: u.number(), alignment: u.number(), aesthetics: u.number(), overall: u.number() };
    const misalignedTokens = u.list();
    const points = new Array<RowAnnotation['points'][number]>(u.number());
    for (let i = 0; i < points.length; i++) points[i] = { kind: POINT_KINDS[u.number()]!, x: u.number(), y: u.number() };
    annotations[k] = { annotator, scores, misalignedTokens, points, submittedAt: u.string(), activeMs: u.number() };
  }
  const at = packed.byteOffset + pngAt;
  return {
    id,
    image,
    prompt,
    tokens,
    promptMisalignmentLabel,
    tokenVotes,
    imageWidth,
    imageHeight,
    scores,
    normalizedScores,
    artifactPng: new Uint8Array(packed.buffer, at, artifactBytes),
    misalignmentPng: new Uint8Array(packed.buffer, at + artifactBytes, misalignmentBytes),
    annotations,
  };
}

/** Both heatmap PNGs' bytes, read from the header alone. */
export function packedMapBytes(packed: PackedRow): number {
  const header = new Uint32Array(packed.buffer, packed.byteOffset, 4);
  return header[2]! + header[3]!;
}
