import { describe, expect, it } from 'vitest';
import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import { ByteWriter } from 'hyparquet-writer/src/bytewriter.js';
import { ParquetWriter } from 'hyparquet-writer/src/parquet-writer.js';
import type { ColumnSource } from 'hyparquet-writer/src/types.js';
import type { SchemaElement } from 'hyparquet';
import { writeRowGroup, type LeveledColumn } from '../../src/core/parquet/rowGroup.ts';
import { columnData, columnSources, COLUMNS, type RowToWrite } from '../../src/core/parquet/columns.ts';
import { parquetSchema } from '../../src/core/parquet/feature.ts';

/**
 * writeRowGroup must write what hyparquet-writer's own ParquetWriter.write writes for one row
 * group, byte for byte; only the way plain binary pages are made differs (rowGroup.ts).
 */
/** Chunks of an image's or map's bytes written in several pages (the page cutting and the offset index ran). */
let multiPageImageChunks = 0;

/** A file of row groups: ours (writeRowGroup) from `leveled` when given, else from the sources; theirs (ParquetWriter.write) from the sources. */
function file(schema: SchemaElement[], groups: ColumnSource[][], pageSize: number, ours: boolean, leveled?: LeveledColumn[][]): Uint8Array {
  const writer = new ByteWriter();
  const parquet = new ParquetWriter({ writer, schema, kvMetadata: [{ key: 'k', value: 'v' }], createdBy: 'test' });
  for (const [g, columns] of groups.entries()) {
    if (ours) void writeRowGroup(parquet, leveled?.[g] ?? columns, pageSize);
    else void parquet.write({ columnData: columns, rowGroupSize: columns[0]!.data.length, pageSize });
  }
  void parquet.finish();
  for (const { chunk, offsetIndex } of parquet.pendingIndexes)
    if (chunk.meta_data?.path_in_schema.at(-1) === 'bytes' && (offsetIndex?.page_locations.length ?? 1) > 1) multiPageImageChunks++;
  return writer.getBytes().slice();
}

const scores = { plausibility: 3, alignment: 4, aesthetics: 2, overall: 5 };
function row(i: number): RowToWrite {
  const bytes = (n: number) => new Uint8Array(n).map((_, k) => (k * 31 + i) & 255);
  return {
    row: {
      id: `item-${i}`,
      image: `images/${i}.png`,
      prompt: `a prompt ${i}`,
      tokens: ['a', 'prompt', String(i)],
      promptMisalignmentLabel: '1 0 1',
      tokenVotes: [0, 2, i % 3],
      imageWidth: 10 + i,
      imageHeight: 20,
      scores,
      normalizedScores: { plausibility: 0.5, alignment: 0.75, aesthetics: 0.25, overall: 1 },
      artifactPng: bytes(50 + i * 7),
      misalignmentPng: bytes(i % 4 === 0 ? 0 : 3_000 + i),
      annotations: Array.from({ length: i % 3 }, (_, a) => ({
        annotator: `annotator-${a}`,
        scores,
        misalignedTokens: a === 0 ? [] : [1],
        points: Array.from({ length: a + (i % 2) }, (_, p) => ({ kind: p % 2 ? ('artifact' as const) : ('misalignment' as const), x: p + 0.5, y: i })),
        submittedAt: '2026-01-01T00:00:00Z',
        activeMs: 1000 * a + i,
      })),
    },
    // Images from 0 bytes to well over a 64 KiB page; some rows share a page, some have one of their own.
    image: { bytes: bytes([0, 10, 70_000, 200, 131_072, 5][i % 6]!), path: i % 5 === 0 ? null : `${i}.png` },
    annotators: Array.from({ length: i % 3 }, (_, a) => `annotator-00${a}`),
  };
}

describe('writeRowGroup', () => {
  it("writes the dataset's row groups byte for byte as ParquetWriter.write does", async () => {
    const rowGroups = [Array.from({ length: 23 }, (_, i) => row(i)), [row(100)], Array.from({ length: 7 }, (_, i) => row(200 + i))];
    const groups = rowGroups.map(columnSources);
    const schema = parquetSchema(COLUMNS);
    multiPageImageChunks = 0;
    for (const pageSize of [64 << 10, 1000]) {
      const theirs = file(schema, groups, pageSize, false);
      const ours = file(schema, groups, pageSize, true, rowGroups.map(columnData));
      expect(Buffer.from(file(schema, groups, pageSize, true)).equals(Buffer.from(theirs))).toBe(true);
      expect(ours.length).toBe(theirs.length);
      expect(Buffer.from(ours).equals(Buffer.from(theirs))).toBe(true);
      // It is a real file with several pages per binary column (the branch that counts rows per page ran).
      const buffer = ours.buffer as ArrayBuffer;
      const metadata = parquetMetadata(buffer);
      expect(metadata.row_groups.map((g) => Number(g.num_rows))).toEqual([23, 1, 7]);
      const rows = await parquetReadObjects({ file: buffer, columns: ['id', 'image'], utf8: false });
      expect(rows).toHaveLength(31);
      expect((rows[2] as { image: { bytes: Uint8Array } }).image.bytes).toEqual(row(2).image.bytes);
    }
    expect(multiPageImageChunks).toBeGreaterThan(0);
  });

  it("appends each image's own buffer to the writer, not a copy in a page buffer", () => {
    const appended = new Set<Uint8Array>();
    class Recording extends ByteWriter {
      appendBytes(value: Uint8Array): void {
        appended.add(value);
        super.appendBytes(value);
      }
    }
    const rows = Array.from({ length: 6 }, (_, i) => row(i));
    const parquet = new ParquetWriter({ writer: new Recording(), schema: parquetSchema(COLUMNS) });
    void writeRowGroup(parquet, columnData(rows), 64 << 10);
    for (const r of rows) {
      expect(appended.has(r.image.bytes as Uint8Array)).toBe(true);
      expect(appended.has(r.row.artifactPng)).toBe(true);
    }
  });

  it('writes plain binary columns with nulls, in lists, and other columns through hyparquet-writer', () => {
    const schema: SchemaElement[] = [
      { name: 'root', num_children: 2 },
      { name: 'blob', type: 'BYTE_ARRAY', repetition_type: 'OPTIONAL' },
      { name: 'blobs', repetition_type: 'OPTIONAL', converted_type: 'LIST', num_children: 1 },
      { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
      { name: 'element', type: 'BYTE_ARRAY', repetition_type: 'OPTIONAL' },
    ];
    const blob = (n: number) => new Uint8Array(n).fill(n & 255);
    const data = Array.from({ length: 40 }, (_, i) => ({ blob: i % 3 === 0 ? null : blob(i * 100), blobs: i % 4 === 0 ? null : [blob(i), null, blob(2 * i)] }));
    const columns = (encoding?: 'PLAIN'): ColumnSource[] => [
      { name: 'blob', data: data.map((d) => d.blob), ...(encoding ? { encoding, codec: 'UNCOMPRESSED' as const, statistics: false } : {}) },
      { name: 'blobs', data: data.map((d) => d.blobs), encoding: 'PLAIN', codec: 'UNCOMPRESSED', statistics: false },
    ];
    for (const c of [columns('PLAIN'), columns()])
      for (const pageSize of [500, 1 << 20]) expect(Buffer.from(file(schema, [c], pageSize, true)).equals(Buffer.from(file(schema, [c], pageSize, false)))).toBe(true);
  });
});
