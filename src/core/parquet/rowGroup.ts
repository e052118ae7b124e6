import type { ColumnChunk, OffsetIndex, SchemaTree } from 'hyparquet';
import { ByteWriter } from 'hyparquet-writer/src/bytewriter.js';
import { writeColumn } from 'hyparquet-writer/src/column.js';
import { encodeNestedValues } from 'hyparquet-writer/src/dremel.js';
import { writeRleBitPackedHybrid } from 'hyparquet-writer/src/encoding.js';
import type { ParquetWriter } from 'hyparquet-writer/src/parquet-writer.js';
import { getMaxRepetitionLevel, schemaPathResolver } from 'hyparquet-writer/src/schema.js';
import type { ColumnEncoder, ColumnSource, PageData, Writer } from 'hyparquet-writer/src/types.js';
import { isDeferred, type DeferredBytes, type ImageBytes } from './imageFile.ts';
import { OffsetIndexPages } from './offsetIndex.ts';
import { pageBoundaries } from './pageBoundaries.ts';
import { writeDataPageV2Header } from './pageHeader.ts';
import { isSmallColumn, writeSmallColumn } from './smallColumn.ts';

/**
 * One row group, written as hyparquet-writer's ParquetWriter.write writes it (a single group
 * of all the rows given), byte for byte, except in how the pages of a plain binary column (the
 * images' and maps' `bytes`: PLAIN, UNCOMPRESSED, no statistics) are made: hyparquet-writer
 * builds each page in a buffer of its own that starts at 1 KiB and doubles (a 130 KiB image is
 * allocated, zeroed and copied into eight buffers) and then copies it to the file's writer;
 * here the page's header, levels and each value's length prefix go to the writer and the
 * value's bytes are appended as they are (parquetDataset.ts's writer passes them on uncopied).
 * The page's size is known before its bytes: 4 + length per value.
 *
 * A column is given either as hyparquet-writer's ColumnSource (its values, levelled here by
 * encodeNestedValues) or as a LeveledColumn, whose leaves come levelled already (columns.ts
 * makes them from the rows: levels.ts).
 *
 * Tied to hyparquet-writer 0.17's layout: tests/unit/parquetRowGroup.test.ts compares this with
 * ParquetWriter.write's own output, so an upgrade that changes either shows there.
 */
export interface LeveledColumn extends Omit<ColumnSource, 'data'> {
  /** The number of rows. */
  readonly rows: number;
  /** Each leaf's values and levels, in schema order, as encodeNestedValues would give them. */
  readonly leaves: () => PageData[];
}

export function writeRowGroup(parquet: ParquetWriter, columnData: readonly (ColumnSource | LeveledColumn)[], pageSize: number): void | Promise<void> {
  const writer = parquet.writer;
  const rowCount = (c: ColumnSource | LeveledColumn) => ('data' in c ? c.data.length : c.rows);
  const rows = columnData[0] ? rowCount(columnData[0]) : 0;
  const resolve = schemaPathResolver(parquet.schema);
  const groupStart = writer.offset;
  const columns: ColumnChunk[] = [];
  for (const source of columnData) {
    const { name, encoding, codec = parquet.codec, columnIndex = false, offsetIndex = true, bloomFilter, statistics = parquet.statistics } = source;
    if (source.shredding || columnIndex) throw new Error(`column ${name}: shredding and column indexes are not written here`);
    if (rowCount(source) !== rows) throw new Error('parquet columns must have the same length');
    const paths = leafPaths(resolve([name]));
    const leaves = 'data' in source ? paths.map((path) => encodeNestedValues(path, source.data)) : source.leaves();
    if (leaves.length !== paths.length) throw new Error(`column ${name}: ${leaves.length} leaves given for ${paths.length}`);
    for (const [k, leafPath] of paths.entries()) {
      const schemaPath = leafPath.map((node) => node.element);
      const column: ColumnEncoder = {
        columnName: schemaPath
          .slice(1)
          .map((s) => s.name)
          .join('.'),
        element: schemaPath[schemaPath.length - 1]!,
        schemaPath,
        codec,
        compressors: parquet.compressors,
        stats: statistics,
        statisticsTruncateLength: parquet.statisticsTruncateLength,
        pageSize,
        dictionarySize: undefined,
        columnIndex,
        offsetIndex,
        encoding,
        bloomFilter,
      };
      const pageData = leaves[k]!;
      const result = isPlainBinary(column)
        ? writePlainBinaryColumn(writer, column, pageData)
        : isSmallColumn(column)
          ? writeSmallColumn(writer, column, pageData)
          : writeColumn({ writer, column, pageData });
      columns.push(result.chunk);
      parquet.pendingIndexes.push(result);
    }
  }
  let totalByteSize = 0n;
  for (const { meta_data } of columns) totalByteSize += meta_data?.total_uncompressed_size ?? 0n;
  parquet.num_rows += BigInt(rows);
  parquet.row_groups.push({ columns, total_byte_size: totalByteSize, num_rows: BigInt(rows), total_compressed_size: BigInt(writer.offset - groupStart) });
  return writer.flush?.();
}

/** The schema paths of a column's leaves, root first, in schema order (what LeveledColumn.leaves follows). */
export function columnLeafPaths(schema: ParquetWriter['schema'], name: string): SchemaTree[][] {
  return leafPaths(schemaPathResolver(schema)([name]));
}

function leafPaths(path: SchemaTree[]): SchemaTree[][] {
  const node = path[path.length - 1]!;
  if (node.children.length === 0) return [path];
  return node.children.flatMap((child) => leafPaths([...path, child]));
}

function isPlainBinary(c: ColumnEncoder): boolean {
  const e = c.element;
  return e.type === 'BYTE_ARRAY' && !e.converted_type && !e.logical_type && c.encoding === 'PLAIN' && c.codec === 'UNCOMPRESSED' && !c.stats && !c.bloomFilter && !c.columnIndex;
}

/** writeColumn's path for a plain binary column: no dictionary, statistics, bloom filter or column index. */
function writePlainBinaryColumn(writer: Writer, column: ColumnEncoder, pageData: PageData): { chunk: ColumnChunk; offsetIndex?: OffsetIndex } {
  const { values, definitionLevels, repetitionLevels, maxDefinitionLevel } = pageData;
  const offsetStart = writer.offset;
  let uncompressedSize = 0;
  // Sizes as getPageBoundaries counts a byte array's, and DeferredBytes by their length (it counts them as 0).
  const boundaries = pageBoundaries(values.length, (i) => byteLength(values[i]), column.pageSize, repetitionLevels);
  const pages = boundaries.length - 1;
  const locations = new OffsetIndexPages(column.offsetIndex, pages, repetitionLevels);
  const offsetIndex = locations.index;
  const dataPageOffset = BigInt(writer.offset);
  for (let p = 0; p < pages; p++) {
    const start = boundaries[p]!;
    const end = boundaries[p + 1]!;
    const pageOffset = writer.offset;
    uncompressedSize += writePlainBinaryPage(writer, column, {
      values: values.slice(start, end),
      definitionLevels: definitionLevels.slice(start, end),
      repetitionLevels: repetitionLevels.slice(start, end),
      maxDefinitionLevel,
    });
    locations.add(start, pageOffset, writer.offset);
  }
  return {
    chunk: {
      meta_data: {
        type: 'BYTE_ARRAY',
        encodings: ['PLAIN'],
        path_in_schema: column.schemaPath.slice(1).map((s) => s.name),
        codec: column.codec,
        num_values: BigInt(values.length),
        total_compressed_size: BigInt(writer.offset - offsetStart),
        total_uncompressed_size: BigInt(uncompressedSize),
        data_page_offset: dataPageOffset,
        dictionary_page_offset: undefined,
        statistics: undefined,
        encoding_stats: undefined,
        geospatial_statistics: undefined,
      },
      file_offset: BigInt(offsetStart),
    },
    offsetIndex,
  };
}

function byteLength(v: unknown): number {
  return v instanceof Uint8Array ? v.byteLength : typeof v === 'string' ? v.length : isDeferred(v) ? v.length : 0;
}

/** A writer that takes bytes to be read when they are written (parquetDataset.ts's SinkWriter). */
export interface DeferringWriter {
  appendDeferred(bytes: DeferredBytes): void;
}

function deferring(writer: Writer): boolean {
  return typeof (writer as Partial<DeferringWriter>).appendDeferred === 'function';
}

/** writeDataPageV2 for PLAIN, UNCOMPRESSED byte arrays (or DeferredBytes, to a DeferringWriter); returns the page's size, header included. */
function writePlainBinaryPage(writer: Writer, column: ColumnEncoder, page: PageData): number {
  const levels = new ByteWriter();
  const { values, definitionLevels, repetitionLevels, maxDefinitionLevel } = page;
  let rows = 0;
  if (repetitionLevels.length) {
    for (const r of repetitionLevels) if (r === 0) rows++;
  } else rows = values.length;
  let nulls = 0;
  for (const d of definitionLevels) if (d < maxDefinitionLevel) nulls++;
  const maxRepetitionLevel = getMaxRepetitionLevel(column.schemaPath);
  const repetitionBytes = maxRepetitionLevel ? writeRleBitPackedHybrid(levels, repetitionLevels, Math.ceil(Math.log2(maxRepetitionLevel + 1))) : 0;
  const definitionBytes = maxDefinitionLevel ? writeRleBitPackedHybrid(levels, definitionLevels, Math.ceil(Math.log2(maxDefinitionLevel + 1))) : 0;
  const present: ImageBytes[] = [];
  let dataBytes = 0;
  for (const v of values as Iterable<unknown>) {
    if (v === null || v === undefined) continue;
    if (!(v instanceof Uint8Array) && !(isDeferred(v) && deferring(writer))) throw new Error(`parquet expected Uint8Array value, got ${typeof v}`);
    present.push(v);
    dataBytes += 4 + v.length;
  }
  const headerStart = writer.offset;
  writeDataPageV2Header(writer, {
    uncompressed_page_size: levels.offset + dataBytes,
    compressed_page_size: levels.offset + dataBytes,
    num_values: definitionLevels.length || values.length,
    num_nulls: nulls,
    num_rows: rows,
    encoding: 'PLAIN',
    definition_levels_byte_length: definitionBytes,
    repetition_levels_byte_length: repetitionBytes,
    is_compressed: true, // as hyparquet-writer says it (!!codec), for every codec
  });
  const headerSize = writer.offset - headerStart;
  writer.appendBytes(levels.getBytes());
  for (const v of present) {
    writer.appendUint32(v.length);
    if (v instanceof Uint8Array) writer.appendBytes(v);
    else (writer as Writer & DeferringWriter).appendDeferred(v);
  }
  return headerSize + levels.offset + dataBytes;
}
