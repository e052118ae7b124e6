import CRC32C from 'crc-32/crc32c.js';
import { base64ToBytes } from './base64.ts';
import type { DatasetItem } from './formats/dataset.ts';

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

/** A growable byte buffer with the two protobuf primitives we need. */
class ProtoWriter {
  private buf = new Uint8Array(256);
  private len = 0;
  private ensure(extra: number): void {
    if (this.len + extra <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.len + extra) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }
  varint(value: number): this {
    this.ensure(10);
    let v = value;
    while (v > 127) {
      this.buf[this.len++] = (v % 128) | 128;
      v = Math.floor(v / 128);
    }
    this.buf[this.len++] = v;
    return this;
  }
  /** Field `field` with wire type 2 (length-delimited). */
  bytes(field: number, data: Uint8Array): this {
    this.varint((field << 3) | 2).varint(data.length);
    this.ensure(data.length);
    this.buf.set(data, this.len);
    this.len += data.length;
    return this;
  }
  finish(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}

function bytesFeature(values: readonly Uint8Array[]): Uint8Array {
  const list = new ProtoWriter();
  for (const v of values) list.bytes(1, v); // BytesList.value = 1
  return new ProtoWriter().bytes(1, list.finish()).finish(); // Feature.bytes_list = 1
}

function floatFeature(values: readonly number[]): Uint8Array {
  const packed = new Uint8Array(values.length * 4);
  const view = new DataView(packed.buffer);
  values.forEach((v, i) => view.setFloat32(i * 4, v, true)); // float32, round to nearest even
  const list = new ProtoWriter().bytes(1, packed).finish(); // FloatList.value = 1, packed
  return new ProtoWriter().bytes(2, list).finish(); // Feature.float_list = 2
}

export function encodeExample(f: ExampleFeatures): Uint8Array {
  const features: [string, Uint8Array][] = [
    ['aesthetics_score', floatFeature([f.aestheticsScore])],
    ['artifact_map', bytesFeature([f.artifactMap])],
    ['artifact_score', floatFeature([f.artifactScore])],
    ['filename', bytesFeature([utf8.encode(f.filename)])],
    ['misalignment_map', bytesFeature([f.misalignmentMap])],
    ['misalignment_score', floatFeature([f.misalignmentScore])],
    ['overall_score', floatFeature([f.overallScore])],
    ['prompt_misalignment_label', bytesFeature([utf8.encode(f.promptMisalignmentLabel)])],
  ];
  const map = new ProtoWriter();
  for (const [key, value] of features) {
    const entry = new ProtoWriter().bytes(1, utf8.encode(key)).bytes(2, value).finish();
    map.bytes(1, entry); // Features.feature = 1 (map entry: key = 1, value = 2)
  }
  return new ProtoWriter().bytes(1, map.finish()).finish(); // Example.features = 1
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
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length % 2 ** 32, true);
  view.setUint32(4, Math.floor(data.length / 2 ** 32), true);
  view.setUint32(8, maskedCrc32c(out.subarray(0, 8)), true);
  out.set(data, 12);
  view.setUint32(12 + data.length, maskedCrc32c(data), true);
  return out;
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
