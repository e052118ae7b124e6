import type { ColumnChunk, OffsetIndex } from 'hyparquet';
import { ByteWriter } from 'hyparquet-writer/src/bytewriter.js';
import { getMaxRepetitionLevel } from 'hyparquet-writer/src/schema.js';
import type { ChunkStatistics, ColumnEncoder, PageData, Writer } from 'hyparquet-writer/src/types.js';
import { OffsetIndexPages } from './offsetIndex.ts';
import { pageBoundaries } from './pageBoundaries.ts';
import { writeDataPageV2Header, writeDictionaryPageHeader } from './pageHeader.ts';

/**
 * hyparquet-writer's writeColumn (column.js) for the dataset's small leaves, byte for byte: a
 * string (UTF8), INT32, INT64 (bigint) or DOUBLE leaf, without bloom filter, column index or
 * geospatial statistics. The same choices in the same order (statistics, the dictionary or
 * not, page boundaries, each page's levels and values, the codec), made without its per-page
 * objects: no copy of the values and levels per page (a page is a range of them), no array of
 * the present values, no converted copy of every string (a string's UTF-8 length is counted,
 * and it is encoded straight into the page), and the pages' levels and values made in two
 * buffers reused from page to page and column to column (this module's; one thread's).
 * The page headers are pageHeader.ts's (held to hyparquet-writer's bytes by its own test); the
 * pages are compressed by the column's compressors.
 *
 * tests/unit/parquetSmallColumn.test.ts holds it to writeColumn on the dataset's columns and
 * on random annotations, so a hyparquet-writer upgrade that changes writeColumn fails there.
 */
export function isSmallColumn(c: ColumnEncoder): boolean {
  const e = c.element;
  if (c.encoding || c.bloomFilter || c.columnIndex || c.dictionarySize) return false;
  if (e.type === 'BYTE_ARRAY') return e.converted_type === 'UTF8' && (!e.logical_type || e.logical_type.type === 'STRING');
  return (e.type === 'INT32' || e.type === 'INT64' || e.type === 'DOUBLE') && !e.converted_type && !e.logical_type;
}

type Value = string | number | bigint | null | undefined;
type MinMax = string | number | bigint;

const levelBuffer = new ByteWriter(1 << 16);
const pageBuffer = new ByteWriter(1 << 16);
const encoder = new TextEncoder();

/** Sampling rejects a dictionary whose sampled distinct bytes exceed this share (dictionary.js). */
const SAMPLE_REJECTION_RATIO = 0.9;

export function writeSmallColumn(writer: Writer, column: ColumnEncoder, pageData: PageData): { chunk: ColumnChunk; offsetIndex?: OffsetIndex } {
  const { element, schemaPath, stats, pageSize } = column;
  const type = element.type as 'BYTE_ARRAY' | 'INT32' | 'INT64' | 'DOUBLE';
  const values = pageData.values as readonly Value[];
  const { definitionLevels, repetitionLevels, maxDefinitionLevel } = pageData;
  const offsetStart = writer.offset;
  let uncompressedSize = 0;
  const statistics = stats ? columnStatistics(values, type) : undefined;
  const dictionary = buildDictionary(values, type);
  const encodings: ('PLAIN' | 'RLE_DICTIONARY')[] = [];
  let dictionaryPageOffset: bigint | undefined;
  if (dictionary) {
    dictionaryPageOffset = BigInt(writer.offset);
    uncompressedSize += writeDictionaryPage(writer, column, dictionary.values, type);
    encodings.push('PLAIN');
  }
  const encoding: 'PLAIN' | 'RLE_DICTIONARY' = dictionary ? 'RLE_DICTIONARY' : 'PLAIN';
  encodings.push(encoding);

  // A value's estimated size, as writeColumn gives it to getPageBoundaries: 4 for an index
  // (INT32), else its type's size or a string's UTF-8 length (writeColumn measures the converted bytes).
  const indexes = dictionary?.indexes;
  const size = (i: number): number => {
    const v = values[i];
    if (v === null || v === undefined) return 0;
    if (indexes) return 4;
    return type === 'BYTE_ARRAY' ? utf8Length(v as string) : type === 'INT32' ? 4 : 8;
  };
  const boundaries = pageBoundaries(values.length, size, pageSize, repetitionLevels);
  const pages = boundaries.length - 1;

  const locations = new OffsetIndexPages(column.offsetIndex, pages, repetitionLevels);
  const offsetIndex = locations.index;
  const dataPageOffset = BigInt(writer.offset);
  const maxRepetitionLevel = getMaxRepetitionLevel(schemaPath);
  for (let p = 0; p < pages; p++) {
    const start = boundaries[p]!;
    const end = boundaries[p + 1]!;
    const pageOffset = writer.offset;
    uncompressedSize += writePage(writer, column, { values, indexes, definitionLevels, repetitionLevels, maxDefinitionLevel, maxRepetitionLevel, start, end });
    locations.add(start, pageOffset, writer.offset);
  }
  const encodingStats = stats
    ? [
        ...(dictionaryPageOffset !== undefined ? [{ page_type: 'DICTIONARY_PAGE' as const, encoding: 'PLAIN' as const, count: 1 }] : []),
        { page_type: 'DATA_PAGE_V2' as const, encoding, count: pages },
      ]
    : undefined;
  return {
    chunk: {
      meta_data: {
        type,
        encodings,
        path_in_schema: schemaPath.slice(1).map((s) => s.name),
        codec: column.codec ?? 'UNCOMPRESSED',
        num_values: BigInt(values.length),
        total_compressed_size: BigInt(writer.offset - offsetStart),
        total_uncompressed_size: BigInt(uncompressedSize),
        data_page_offset: dataPageOffset,
        dictionary_page_offset: dictionaryPageOffset,
        statistics,
        encoding_stats: encodingStats,
        geospatial_statistics: undefined,
      },
      file_offset: BigInt(offsetStart),
    },
    offsetIndex,
  };
}

interface Page {
  readonly values: readonly Value[];
  readonly indexes: Int32Array | undefined;
  readonly definitionLevels: readonly number[];
  readonly repetitionLevels: readonly number[];
  readonly maxDefinitionLevel: number;
  readonly maxRepetitionLevel: number;
  readonly start: number;
  readonly end: number;
}

/** writeDataPageV2 for one range of the leaf; returns the page's uncompressed size, header included. */
function writePage(writer: Writer, column: ColumnEncoder, page: Page): number {
  const { values, indexes, definitionLevels, repetitionLevels, maxDefinitionLevel, maxRepetitionLevel, start, end } = page;
  const levels = reset(levelBuffer);
  let rows = 0;
  if (repetitionLevels.length) {
    for (let i = start; i < end; i++) if (repetitionLevels[i] === 0) rows++;
  } else rows = end - start;
  let nulls = 0;
  for (let i = start; i < end; i++) if (definitionLevels[i]! < maxDefinitionLevel) nulls++;
  const repetitionBytes = maxRepetitionLevel ? writeRleBitPackedHybrid(levels, repetitionLevels, start, end, Math.ceil(Math.log2(maxRepetitionLevel + 1))) : 0;
  const definitionBytes = maxDefinitionLevel ? writeRleBitPackedHybrid(levels, definitionLevels, start, end, Math.ceil(Math.log2(maxDefinitionLevel + 1))) : 0;

  const data = reset(pageBuffer);
  if (indexes) {
    let max = 0;
    for (let i = start; i < end; i++) if (indexes[i]! > max) max = indexes[i]!;
    const bitWidth = Math.ceil(Math.log2(max + 1));
    data.appendUint8(bitWidth);
    // The present values' indexes (a null has index -1): nulls are left out of the page.
    const present = nulls ? presentIndexes(indexes, start, end) : indexes.subarray(start, end);
    writeRleBitPackedHybrid(data, present, 0, present.length, bitWidth);
  } else writePlain(data, values, start, end, column.element.type!);

  const bytes = new Uint8Array(data.buffer, 0, data.offset);
  const compressed = compressedPage(column, bytes);
  const headerStart = writer.offset;
  writeDataPageV2Header(writer, {
    uncompressed_page_size: levels.offset + data.offset,
    compressed_page_size: levels.offset + compressed.length,
    num_values: end - start,
    num_nulls: nulls,
    num_rows: rows,
    encoding: indexes ? 'RLE_DICTIONARY' : 'PLAIN',
    definition_levels_byte_length: definitionBytes,
    repetition_levels_byte_length: repetitionBytes,
    is_compressed: !!column.codec,
  });
  const headerSize = writer.offset - headerStart;
  writer.appendBytes(new Uint8Array(levels.buffer.slice(0, levels.offset)));
  writer.appendBytes(compressed);
  return headerSize + levels.offset + data.offset;
}

/** dictionary.js's writeDictionaryPage: the values PLAIN (a string as its UTF-8 bytes), compressed by the column's codec; returns the page's uncompressed size, header included. */
function writeDictionaryPage(writer: Writer, column: ColumnEncoder, values: readonly Value[], type: string): number {
  const data = reset(pageBuffer);
  writePlain(data, values, 0, values.length, type);
  const bytes = new Uint8Array(data.buffer, 0, data.offset);
  const compressed = compressedPage(column, bytes);
  const headerStart = writer.offset;
  writeDictionaryPageHeader(writer, { uncompressed_page_size: bytes.length, compressed_page_size: compressed.length, num_values: values.length });
  const headerSize = writer.offset - headerStart;
  writer.appendBytes(compressed);
  return headerSize + bytes.length;
}

/**
 * A page's bytes compressed by the column's codec (its writer's compressors: parquetDataset.ts
 * gives snappy.ts's), or copied when not compressed: the writer may keep what it is given
 * (parquetDataset.ts's passes large buffers on), and the page's buffer is reused.
 */
function compressedPage(column: ColumnEncoder, bytes: Uint8Array): Uint8Array {
  const compress = column.codec ? column.compressors[column.codec] : undefined;
  return compress ? compress(bytes) : bytes.slice();
}

function reset(w: ByteWriter): ByteWriter {
  w.index = 0;
  w.offset = 0;
  return w;
}

function presentIndexes(indexes: Int32Array, start: number, end: number): Int32Array {
  const present = new Int32Array(end - start);
  let n = 0;
  for (let i = start; i < end; i++) if (indexes[i]! >= 0) present[n++] = indexes[i]!;
  return present.subarray(0, n);
}

function writePlain(w: ByteWriter, values: readonly Value[], start: number, end: number, type: string): void {
  for (let i = start; i < end; i++) {
    const v = values[i];
    if (v === null || v === undefined) continue;
    if (type === 'BYTE_ARRAY') {
      const s = v as string;
      w.ensure(4 + 3 * s.length);
      const { written } = encoder.encodeInto(s, new Uint8Array(w.buffer, w.index + 4, 3 * s.length));
      w.appendUint32(written);
      w.index += written;
      w.offset += written;
    } else if (type === 'INT32') {
      if (!Number.isSafeInteger(v) || (v as number) < -2147483648 || (v as number) > 2147483647) throw new Error(`parquet expected int32 value, got ${String(v)}`);
      w.appendInt32(v as number);
    } else if (type === 'INT64') {
      if (typeof v !== 'bigint') throw new Error(`parquet expected bigint value, got ${String(v)}`);
      w.appendInt64(v);
    } else {
      if (typeof v !== 'number') throw new Error(`parquet expected number value, got ${String(v)}`);
      w.appendFloat64(v);
    }
  }
}

/** encoding.js's writeRleBitPackedHybrid over values[start, end): runs of 8 or more equal values as RLE, the rest bit-packed in groups of 8 (the last padded with zeros). */
function writeRleBitPackedHybrid(w: ByteWriter, values: ArrayLike<number>, start: number, end: number, bitWidth: number): number {
  const offsetStart = w.offset;
  let pendingGroups = 0;
  let packedStart = start;
  let i = start;
  while (i < end) {
    let run = 1;
    const first = values[i]!;
    while (i + run < end && values[i + run] === first) run++;
    if (run >= 8) {
      if (pendingGroups) {
        writeBitPacked(w, values, packedStart, end, pendingGroups, bitWidth);
        pendingGroups = 0;
      }
      w.appendVarInt(run << 1);
      const width = (bitWidth + 7) >> 3;
      for (let j = 0; j < width; j++) w.appendUint8((first >> (j << 3)) & 0xff);
      i += run;
    } else {
      if (pendingGroups === 0) packedStart = i;
      pendingGroups++;
      i += 8;
    }
  }
  if (pendingGroups) writeBitPacked(w, values, packedStart, end, pendingGroups, bitWidth);
  return w.offset - offsetStart;
}

function writeBitPacked(w: ByteWriter, values: ArrayLike<number>, start: number, end: number, groups: number, bitWidth: number): void {
  w.appendVarInt((groups << 1) | 1);
  if (bitWidth === 0) return;
  const mask = (1 << bitWidth) - 1;
  let buffer = 0;
  let bits = 0;
  for (let i = 0; i < groups * 8; i++) {
    const k = start + i;
    buffer |= (k < end ? values[k]! & mask : 0) << bits;
    bits += bitWidth;
    while (bits >= 8) {
      w.appendUint8(buffer & 0xff);
      buffer >>>= 8;
      bits -= 8;
    }
  }
  if (bits > 0) w.appendUint8(buffer & 0xff);
}

function utf8Length(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) n += 1;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 2; // a pair: 2 code units, 4 bytes
      i++;
    } else n += 2; // 3 bytes (a lone surrogate too: U+FFFD)
  }
  return n;
}

/**
 * dictionary.js's useDictionary with no encoding asked for and no size cap: a sample of up to
 * 1,000 values spread over the column rejects it when its distinct values' bytes exceed 90% of
 * the sample's; otherwise the dictionary is kept when it and its bit-packed indexes at most
 * halve the PLAIN bytes. Sizes as estimateValueSize gives them (a string's UTF-16 length, plus
 * 4 for a byte array's length prefix). Indexes: -1 for an absent value.
 */
function buildDictionary(values: readonly Value[], type: string): { values: Value[]; indexes: Int32Array } | undefined {
  const prefix = type === 'BYTE_ARRAY' ? 4 : 0;
  const estimate = (v: Value): number => (v === null || v === undefined ? 0 : type === 'BYTE_ARRAY' ? (v as string).length : type === 'INT32' ? 4 : 8);
  const sampleSize = Math.min(values.length, 1000);
  const sampled = new Set<Value>();
  let sampleDictionary = 0;
  let sampleTotal = 0;
  for (let i = 0; i < sampleSize; i++) {
    const v = values[sampleSize === 1 ? 0 : Math.floor((i * (values.length - 1)) / (sampleSize - 1))];
    const s = estimate(v) + (v === null || v === undefined ? 0 : prefix);
    if (!sampled.has(v)) {
      sampled.add(v);
      sampleDictionary += s;
    }
    sampleTotal += s;
  }
  if (!sampleTotal || sampleDictionary / sampleTotal > SAMPLE_REJECTION_RATIO) return undefined;

  const dictionary: Value[] = [];
  const indexes = new Int32Array(values.length).fill(-1);
  const index = new Map<Value, number>();
  let dictionaryBytes = 0;
  let total = 0;
  let present = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined) continue;
    present++;
    const s = estimate(v);
    total += s;
    let k = index.get(v);
    if (k === undefined) {
      dictionaryBytes += s;
      k = dictionary.length;
      dictionary.push(v);
      index.set(v, k);
    }
    indexes[i] = k;
  }
  const bitWidth = Math.ceil(Math.log2(dictionary.length));
  const indexBytes = Math.ceil((present * bitWidth) / 8);
  if (2 * (dictionaryBytes + dictionary.length * prefix + indexBytes) > total + present * prefix) return undefined;
  return { values: dictionary, indexes };
}

/** column.js's getStatistics: min and max of the present values (strings in code point order, NaN left out and counted for DOUBLE), and the nulls. */
function columnStatistics(values: readonly Value[], type: string): ChunkStatistics {
  let min: MinMax | undefined;
  let max: MinMax | undefined;
  let nulls = 0n;
  let nans = type === 'DOUBLE' ? 0n : undefined;
  const compare = type === 'BYTE_ARRAY' ? (a: MinMax, b: MinMax) => compareStrings(a as string, b as string) : (a: MinMax, b: MinMax) => (a < b ? -1 : a > b ? 1 : 0);
  for (const v of values) {
    if (v === null || v === undefined) {
      nulls++;
      continue;
    }
    if (typeof v === 'number' && Number.isNaN(v)) {
      if (nans !== undefined) nans++;
      continue;
    }
    if (min === undefined || compare(v, min) < 0) min = v;
    if (max === undefined || compare(v, max) > 0) max = v;
  }
  if (min === 0) min = -0;
  if (max === 0) max = 0;
  return { min_value: min, max_value: max, null_count: nulls, nan_count: nans };
}

/** Strings in UTF-8 byte order (code point order), a lone surrogate as U+FFFD: column.js's compareStrings. */
function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  const length = Math.min(a.length, b.length);
  let i = 0;
  while (i < length && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  if (i > 0) {
    const previous = a.charCodeAt(i - 1);
    if (previous >= 0xd800 && previous <= 0xdbff) i--;
  }
  while (i < a.length && i < b.length) {
    const x = codePoint(a, i);
    const y = codePoint(b, i);
    if (x !== y) return x - y;
    i += x > 0xffff ? 2 : 1;
  }
  return a.length - b.length;
}

function codePoint(s: string, i: number): number {
  const c = s.codePointAt(i) ?? 0xfffd;
  return c >= 0xd800 && c <= 0xdfff ? 0xfffd : c;
}
