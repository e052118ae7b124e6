import CRC32C from 'crc-32/crc32c.js';
import { base64ToBytes } from './base64.ts';
import type { DatasetItem } from '../formats/dataset.ts';

/**
 * RichHF-18K's TFRecord export: one `tf.train.Example` per item, framed as TFRecord.
 *
 * The Example protobuf is written by hand: the schema is three fixed messages
 * (Example{features=1} > Features{map<string,Feature> feature=1} > Feature{bytes_list=1 |
 * float_list=2}), which is ~40 lines of varint/length-delimited writing, against a protobuf
 * runtime plus generated code in the browser bundle. Map entries are written sorted by key
 * (protobuf's deterministic serialization); floats are packed float32, as TensorFlow writes
 * them. Tests check the bytes against a reference derived independently (see tfrecord.test.ts).
 */

/** The features of one RichHF-18K example; scores are the normalized ones (0-1, higher is better). */
export interface ExampleFeatures {
  readonly filename: string;
  readonly aestheticsScore: number;
  /** = normalized plausibility. */
  readonly artifactScore: number;
  /** = normalized alignment. */
  readonly misalignmentScore: number;
  readonly overallScore: number;
  readonly artifactMap: Uint8Array;
  readonly misalignmentMap: Uint8Array;
  readonly promptMisalignmentLabel: string;
}

const utf8 = new TextEncoder();

function varintSize(v: number): number {
  let n = 1;
  while (v > 127) {
    v = Math.floor(v / 128);
    n++;
  }
  return n;
}

/** Size of a length-delimited field (tag < 16, so one tag byte) holding `len` bytes. */
const fieldSize = (len: number) => 1 + varintSize(len) + len;

/**
 * Writes into one preallocated buffer: the Example's size is known up front, so encoding is
 * a single pass with no intermediate buffers (this runs once per dataset item).
 */
class Writer {
  private at: number;
  private readonly view: DataView;
  constructor(
    readonly buf: Uint8Array,
    start: number,
  ) {
    this.at = start;
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }
  varint(value: number): void {
    let v = value;
    while (v > 127) {
      this.buf[this.at++] = (v % 128) | 128;
      v = Math.floor(v / 128);
    }
    this.buf[this.at++] = v;
  }
  /** Tag and length of a length-delimited field; the caller writes the `len` bytes next. */
  open(field: number, len: number): void {
    this.buf[this.at++] = (field << 3) | 2;
    this.varint(len);
  }
  bytes(data: Uint8Array): void {
    this.buf.set(data, this.at);
    this.at += data.length;
  }
  float32(v: number): void {
    this.view.setFloat32(this.at, v, true); // round to nearest even, as TensorFlow's float
    this.at += 4;
  }
}

type FeatureValue = { bytes: Uint8Array } | { float: number };

/** Map keys in sorted order (protobuf's deterministic serialization), pre-encoded. */
const KEYS = ['aesthetics_score', 'artifact_map', 'artifact_score', 'filename', 'misalignment_map', 'misalignment_score', 'overall_score', 'prompt_misalignment_label'] as const;
const KEY_BYTES = KEYS.map((k) => utf8.encode(k));

function featureValues(f: ExampleFeatures): FeatureValue[] {
  return [
    { float: f.aestheticsScore },
    { bytes: f.artifactMap },
    { float: f.artifactScore },
    { bytes: utf8.encode(f.filename) },
    { bytes: f.misalignmentMap },
    { float: f.misalignmentScore },
    { float: f.overallScore },
    { bytes: utf8.encode(f.promptMisalignmentLabel) },
  ];
}

/** Feature message size: bytes_list{value} = 1, or float_list{packed value} = 2. */
function featureSize(v: FeatureValue): number {
  return 'bytes' in v ? fieldSize(fieldSize(v.bytes.length)) : fieldSize(fieldSize(4));
}

function layout(f: ExampleFeatures): { values: FeatureValue[]; entrySizes: number[]; featuresSize: number; exampleSize: number } {
  const values = featureValues(f);
  const entrySizes = values.map((v, i) => fieldSize(KEY_BYTES[i]!.length) + fieldSize(featureSize(v)));
  const featuresSize = entrySizes.reduce((sum, e) => sum + fieldSize(e), 0);
  return { values, entrySizes, featuresSize, exampleSize: fieldSize(featuresSize) };
}

function writeExample(w: Writer, l: ReturnType<typeof layout>): void {
  w.open(1, l.featuresSize); // Example.features = 1
  l.values.forEach((v, i) => {
    w.open(1, l.entrySizes[i]!); // Features.feature = 1: a map entry
    w.open(1, KEY_BYTES[i]!.length); // entry key = 1
    w.bytes(KEY_BYTES[i]!);
    w.open(2, featureSize(v)); // entry value = 2: a Feature
    if ('bytes' in v) {
      w.open(1, fieldSize(v.bytes.length)); // Feature.bytes_list = 1
      w.open(1, v.bytes.length); // BytesList.value = 1
      w.bytes(v.bytes);
    } else {
      w.open(2, fieldSize(4)); // Feature.float_list = 2
      w.open(1, 4); // FloatList.value = 1, packed
      w.float32(v.float);
    }
  });
}

export function encodeExample(f: ExampleFeatures): Uint8Array {
  const l = layout(f);
  const out = new Uint8Array(l.exampleSize);
  writeExample(new Writer(out, 0), l);
  return out;
}

/** frameRecord(encodeExample(f)) in one buffer, without the intermediate copy. */
export function exampleRecord(f: ExampleFeatures): Uint8Array<ArrayBuffer> {
  const l = layout(f);
  const out = new Uint8Array(12 + l.exampleSize + 4);
  writeExample(new Writer(out, 12), l);
  writeFraming(out, l.exampleSize);
  return out;
}

/** The example for a dataset item; pass the PNG bytes when you have them to skip base64 decoding. */
export function exampleFromItem(item: DatasetItem, pngs?: { artifactPng: Uint8Array; misalignmentPng: Uint8Array }): ExampleFeatures {
  return {
    filename: item.image,
    aestheticsScore: item.normalizedScores.aesthetics,
    artifactScore: item.normalizedScores.plausibility,
    misalignmentScore: item.normalizedScores.alignment,
    overallScore: item.normalizedScores.overall,
    artifactMap: pngs?.artifactPng ?? base64ToBytes(item.artifactHeatmap),
    misalignmentMap: pngs?.misalignmentPng ?? base64ToBytes(item.misalignmentHeatmap),
    promptMisalignmentLabel: item.promptMisalignmentLabel,
  };
}

/** TFRecord's masked CRC-32C: rotate right by 15 bits, add 0xa282ead8 (mod 2^32). */
export function maskedCrc32c(data: Uint8Array): number {
  const crc = CRC32C.buf(data) >>> 0;
  return ((((crc >>> 15) | (crc << 17)) >>> 0) + 0xa282ead8) >>> 0;
}

/** One record: length (uint64 LE), masked CRC-32C of those 8 bytes, data, masked CRC-32C of data. */
export function frameRecord(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(8 + 4 + data.length + 4);
  out.set(data, 12);
  writeFraming(out, data.length);
  return out;
}

/** Fills in the header and trailer around `len` data bytes already at offset 12 of `out`. */
function writeFraming(out: Uint8Array, len: number): void {
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  view.setUint32(0, len % 2 ** 32, true);
  view.setUint32(4, Math.floor(len / 2 ** 32), true);
  view.setUint32(8, maskedCrc32c(out.subarray(0, 8)), true);
  view.setUint32(12 + len, maskedCrc32c(out.subarray(12, 12 + len)), true);
}

/** Splits a TFRecord file into its records, checking both CRCs; throws on corruption. */
export function readRecords(bytes: Uint8Array): Uint8Array[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: Uint8Array[] = [];
  let at = 0;
  while (at < bytes.length) {
    if (at + 12 > bytes.length) throw new Error(`truncated record header at byte ${at}`);
    const len = view.getUint32(at, true) + view.getUint32(at + 4, true) * 2 ** 32;
    if (view.getUint32(at + 8, true) !== maskedCrc32c(bytes.subarray(at, at + 8))) throw new Error(`bad length CRC at byte ${at}`);
    if (at + 16 + len > bytes.length) throw new Error(`truncated record at byte ${at}`);
    const data = bytes.subarray(at + 12, at + 12 + len);
    if (view.getUint32(at + 12 + len, true) !== maskedCrc32c(data)) throw new Error(`bad data CRC at byte ${at}`);
    out.push(data);
    at += 16 + len;
  }
  return out;
}
