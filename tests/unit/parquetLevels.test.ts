import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ByteWriter } from 'hyparquet-writer/src/bytewriter.js';
import { encodeNestedValues } from 'hyparquet-writer/src/dremel.js';
import { ParquetWriter } from 'hyparquet-writer/src/parquet-writer.js';
import { columnData, columnSources, COLUMNS, type RowToWrite } from '../../src/core/parquet/columns.ts';
import { parquetSchema } from '../../src/core/parquet/feature.ts';
import { columnLeafPaths, writeRowGroup } from '../../src/core/parquet/rowGroup.ts';
import type { RowAnnotation } from '../../src/core/parquet/datasetRow.ts';

/**
 * The leaves columns.ts makes straight from the rows (levels.ts) must be what hyparquet-writer's
 * encodeNestedValues makes from the columns' values, and a row group written from them the
 * bytes hyparquet-writer's own ParquetWriter.write writes.
 */
const schema = parquetSchema(COLUMNS);
const scores = { plausibility: 1, alignment: 2, aesthetics: 3, overall: 4 };

function row(id: string, tokens: string[], annotations: RowAnnotation[], image: Uint8Array<ArrayBuffer>, path: string | null): RowToWrite {
  return {
    row: {
      id,
      image: `images/${id}.png`,
      prompt: tokens.join(' '),
      tokens,
      promptMisalignmentLabel: tokens.map(() => '1').join(' '),
      tokenVotes: tokens.map((_, i) => i % 3),
      imageWidth: 512,
      imageHeight: 384,
      scores,
      normalizedScores: { plausibility: 0, alignment: 0.25, aesthetics: 0.5, overall: 0.75 },
      artifactPng: image.subarray(0, 3),
      misalignmentPng: image.subarray(1),
      annotations,
    },
    image: { bytes: image, path },
    annotators: annotations.map((a) => `p-${a.annotator}`),
  };
}

const annotation = (annotator: string, misalignedTokens: number[], points: RowAnnotation['points']): RowAnnotation => ({
  annotator,
  scores,
  misalignedTokens,
  points,
  submittedAt: '2026-12-07T10:00:00.000Z',
  activeMs: 12_345,
});

/** By hand: no annotations; no tokens; annotations with and without marked words and points; a map with no path (null). */
const handRows: RowToWrite[] = [
  row('a', ['a', 'cat'], [], new Uint8Array([1, 2, 3, 4]), 'a.png'),
  row('b', [], [annotation('x', [], [])], new Uint8Array([5, 6, 7]), null),
  row(
    'c',
    ['two', 'dogs', 'é'],
    [
      annotation('x', [0, 2], [{ kind: 'artifact', x: 1.5, y: 2 }]),
      annotation(
        'y',
        [],
        [
          { kind: 'misalignment', x: 0, y: 0 },
          { kind: 'artifact', x: 511.9, y: 383 },
        ],
      ),
      annotation('z', [1], []),
    ],
    new Uint8Array([9, 9]),
    'c.jpg',
  ),
];

function file(rows: RowToWrite[], pageSize: number, ours: boolean): { bytes: Uint8Array; multiPageSmallChunks: number } {
  const writer = new ByteWriter();
  const parquet = new ParquetWriter({ writer, schema, createdBy: 'test' });
  if (ours) void writeRowGroup(parquet, columnData(rows), pageSize);
  else void parquet.write({ columnData: columnSources(rows), rowGroupSize: rows.length, pageSize });
  void parquet.finish();
  let multiPageSmallChunks = 0;
  for (const { chunk, offsetIndex } of parquet.pendingIndexes)
    if (chunk.meta_data?.path_in_schema[0] === 'annotations' && (offsetIndex?.page_locations.length ?? 1) > 1) multiPageSmallChunks++;
  return { bytes: writer.getBytes().slice(), multiPageSmallChunks };
}

describe('the Parquet columns levelled from the rows', () => {
  it("give every leaf the values and levels encodeNestedValues gives for the column's values", () => {
    for (const c of COLUMNS) {
      const paths = columnLeafPaths(schema, c.name);
      const leaves = c.leaves(handRows);
      expect(leaves).toHaveLength(paths.length);
      const data = handRows.map(c.read);
      paths.forEach((path, k) => expect(leaves[k], `${c.name} leaf ${k}`).toEqual(encodeNestedValues(path, data)));
    }
    // Hand-checked: the points' x leaf (definition 7 = a point's x, 4 = an annotation with no
    // points, 1 = a row with no annotations; repetition 1 = next annotation, 2 = next point).
    const x = COLUMNS.find((c) => c.name === 'annotations')!.leaves(handRows)[7]!;
    expect(x.values).toEqual([undefined, undefined, 1.5, 0, 511.9, undefined]);
    expect(x.definitionLevels).toEqual([1, 4, 7, 7, 7, 4]);
    expect(x.repetitionLevels).toEqual([0, 0, 0, 1, 2, 1]);
  });

  it('write the bytes ParquetWriter.write writes, in one page or many', () => {
    for (const pageSize of [64 << 10, 8]) {
      const ours = file(handRows, pageSize, true);
      expect(Buffer.from(ours.bytes).equals(Buffer.from(file(handRows, pageSize, false).bytes))).toBe(true);
      if (pageSize === 8) expect(ours.multiPageSmallChunks).toBeGreaterThan(0);
    }
  });

  it('write the bytes ParquetWriter.write writes for random annotations (property)', () => {
    const seen = { noAnnotations: 0, noPoints: 0, noMarkedWords: 0, noTokens: 0, manyPages: 0 };
    const point = fc.record({
      kind: fc.constantFrom('artifact' as const, 'misalignment' as const),
      x: fc.double({ min: 0, max: 512, noNaN: true }),
      y: fc.double({ min: 0, max: 512, noNaN: true }),
    });
    const annotations = fc.array(
      fc.record({
        annotator: fc.string({ minLength: 1, maxLength: 6 }),
        misalignedTokens: fc.array(fc.nat(20), { maxLength: 3 }),
        points: fc.array(point, { maxLength: 4 }),
        activeMs: fc.nat(),
      }),
      { maxLength: 4 },
    );
    const rows = fc.array(fc.record({ tokens: fc.array(fc.string({ maxLength: 5 }), { maxLength: 5 }), annotations, image: fc.uint8Array({ minLength: 2, maxLength: 40 }) }), {
      minLength: 1,
      maxLength: 12,
    });
    fc.assert(
      fc.property(rows, fc.constantFrom(30, 200, 64 << 10), (drawn, pageSize) => {
        const group = drawn.map((d, i) =>
          row(
            `r${i}`,
            d.tokens,
            d.annotations.map((a) => ({ ...annotation(a.annotator, a.misalignedTokens, a.points), activeMs: a.activeMs })),
            new Uint8Array(d.image),
            i % 2 ? null : `${i}.png`,
          ),
        );
        for (const d of drawn) {
          if (d.annotations.length === 0) seen.noAnnotations++;
          if (d.tokens.length === 0) seen.noTokens++;
          for (const a of d.annotations) {
            if (a.points.length === 0) seen.noPoints++;
            if (a.misalignedTokens.length === 0) seen.noMarkedWords++;
          }
        }
        const ours = file(group, pageSize, true);
        if (ours.multiPageSmallChunks > 0) seen.manyPages++;
        expect(Buffer.from(ours.bytes).equals(Buffer.from(file(group, pageSize, false).bytes))).toBe(true);
      }),
      { numRuns: 150 },
    );
    for (const [branch, count] of Object.entries(seen)) expect(count, branch).toBeGreaterThan(0);
  });
});
