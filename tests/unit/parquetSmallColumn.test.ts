import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { SchemaElement } from 'hyparquet';
import { ByteWriter } from 'hyparquet-writer/src/bytewriter.js';
import { writeColumn } from 'hyparquet-writer/src/column.js';
import { snappyCompress } from 'hyparquet-writer/src/snappy.js';
import type { ColumnEncoder, PageData } from 'hyparquet-writer/src/types.js';
import { isSmallColumn, writeSmallColumn } from '../../src/core/parquet/smallColumn.ts';

/**
 * writeSmallColumn must write what hyparquet-writer's writeColumn writes for the same leaf, byte
 * for byte, and describe it the same way (the chunk's metadata and offset index).
 */
type Kind = 'string' | 'int32' | 'int64' | 'double';
const elements: Record<Kind, SchemaElement> = {
  string: { name: 'v', type: 'BYTE_ARRAY', converted_type: 'UTF8', logical_type: { type: 'STRING' }, repetition_type: 'OPTIONAL' },
  int32: { name: 'v', type: 'INT32', repetition_type: 'OPTIONAL' },
  int64: { name: 'v', type: 'INT64', repetition_type: 'OPTIONAL' },
  double: { name: 'v', type: 'DOUBLE', repetition_type: 'OPTIONAL' },
};

function encoder(kind: Kind, repeated: boolean, stats: boolean, codec: 'SNAPPY' | 'UNCOMPRESSED', pageSize: number): ColumnEncoder {
  const element = elements[kind];
  const schemaPath: SchemaElement[] = repeated
    ? [
        { name: 'root', num_children: 1 },
        { name: 'l', repetition_type: 'OPTIONAL', converted_type: 'LIST', num_children: 1 },
        { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
        element,
      ]
    : [{ name: 'root', num_children: 1 }, element];
  return {
    columnName: 'v',
    element,
    schemaPath,
    codec,
    compressors: { SNAPPY: snappyCompress },
    stats,
    pageSize,
    columnIndex: false,
    offsetIndex: true,
  };
}

function both(column: ColumnEncoder, pageData: PageData) {
  const theirs = new ByteWriter();
  const ours = new ByteWriter();
  // Something before the column, so offsets are not 0.
  for (const w of [theirs, ours]) w.appendBytes(new Uint8Array([1, 2, 3]));
  const t = writeColumn({ writer: theirs, column, pageData });
  const o = writeSmallColumn(ours, column, pageData);
  return {
    theirs: { bytes: Buffer.from(theirs.getBytes()), chunk: t.chunk, offsetIndex: t.offsetIndex },
    ours: { bytes: Buffer.from(ours.getBytes()), chunk: o.chunk, offsetIndex: o.offsetIndex },
  };
}

/** A flat leaf (definition 1 or 0) or a list's elements (rows of 0-3, an empty list at definition 1). */
function leaf(values: unknown[], repeated: boolean, rowLengths: number[]): PageData {
  if (!repeated) return { values, definitionLevels: values.map((v) => (v === null || v === undefined ? 0 : 1)), repetitionLevels: [], maxDefinitionLevel: 1 };
  const out: PageData = { values: [], definitionLevels: [], repetitionLevels: [], maxDefinitionLevel: 3 };
  const v = out.values as unknown[];
  let k = 0;
  for (const n of rowLengths) {
    if (n === 0) {
      v.push(undefined);
      out.definitionLevels.push(1);
      out.repetitionLevels.push(0);
    }
    for (let j = 0; j < n && k < values.length; j++, k++) {
      v.push(values[k]);
      out.definitionLevels.push(values[k] === null || values[k] === undefined ? 2 : 3);
      out.repetitionLevels.push(j === 0 ? 0 : 1);
    }
  }
  return out;
}

describe('writeSmallColumn', () => {
  it('takes the dataset’s plain leaves only', () => {
    expect(isSmallColumn(encoder('string', false, true, 'SNAPPY', 100))).toBe(true);
    expect(isSmallColumn({ ...encoder('string', false, true, 'SNAPPY', 100), encoding: 'PLAIN' })).toBe(false);
    expect(isSmallColumn({ ...encoder('int32', false, true, 'SNAPPY', 100), element: { name: 'd', type: 'INT32', converted_type: 'DATE' } })).toBe(false);
    expect(isSmallColumn({ ...encoder('double', false, true, 'SNAPPY', 100), element: { name: 'b', type: 'BYTE_ARRAY' } })).toBe(false);
  });

  it('writes by hand-picked leaves what writeColumn writes: nulls, empty lists, NaN and -0, non-ASCII text, one page and many', () => {
    const cases: [Kind, boolean, unknown[], number[]][] = [
      ['string', false, ['b', null, 'a', 'é', '😀', 'z\ud800', '\udc00', 'b', 'b', 'b'], []],
      ['string', true, Array.from({ length: 40 }, (_, i) => (i % 7 === 0 ? null : ['artifact', 'misalignment'][i % 2])), [0, 3, 1, 0, 2, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3]],
      ['int32', true, Array.from({ length: 30 }, (_, i) => i % 5), [2, 0, 0, 3, 3, 3, 3, 3, 3, 3, 3, 3]],
      ['int64', false, [5n, null, 12_345n, 5n, 0n, -3n], []],
      ['double', false, [0.5, -0, NaN, 0, null, 3.25, 511.9], []],
      ['double', false, [null, null], []],
      ['string', false, [], []],
    ];
    for (const [kind, repeated, values, rows] of cases)
      for (const pageSize of [1 << 16, 6])
        for (const stats of [true, false]) {
          const { theirs, ours } = both(encoder(kind, repeated, stats, 'SNAPPY', pageSize), leaf(values, repeated, rows));
          expect(ours.bytes.equals(theirs.bytes), `${kind} ${String(repeated)} ${pageSize}`).toBe(true);
          expect(ours.chunk).toEqual(theirs.chunk);
          expect(ours.offsetIndex).toEqual(theirs.offsetIndex);
        }
  });

  it('writes what writeColumn writes for random leaves (property)', () => {
    const seen = { dictionary: 0, plain: 0, manyPages: 0, nulls: 0, uncompressed: 0 };
    const value = (kind: Kind): fc.Arbitrary<unknown> =>
      kind === 'string'
        ? fc.oneof(fc.constantFrom('a', 'artifact', 'misalignment', 'é'), fc.string({ maxLength: 8, unit: 'binary' }))
        : kind === 'int32'
          ? fc.integer({ min: -2147483648, max: 2147483647 }).map((n) => (n % 3 === 0 ? n % 6 : n))
          : kind === 'int64'
            ? fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map((n) => (n % 2n === 0n ? n % 4n : n))
            : fc.oneof(fc.double(), fc.constantFrom(0.5, 1, -0, 0));
    const drawn = fc.constantFrom<Kind>('string', 'int32', 'int64', 'double').chain((kind) =>
      fc.record({
        kind: fc.constant(kind),
        values: fc.array(fc.option(value(kind), { freq: 6, nil: null }), { maxLength: 300 }),
        repeated: fc.boolean(),
        rows: fc.array(fc.nat(4), { minLength: 1, maxLength: 120 }),
        stats: fc.boolean(),
        codec: fc.constantFrom<'SNAPPY' | 'UNCOMPRESSED'>('SNAPPY', 'SNAPPY', 'UNCOMPRESSED'),
        pageSize: fc.constantFrom(8, 100, 1 << 16),
      }),
    );
    fc.assert(
      fc.property(drawn, (d) => {
        const { theirs, ours } = both(encoder(d.kind, d.repeated, d.stats, d.codec, d.pageSize), leaf(d.values, d.repeated, d.rows));
        expect(ours.bytes.equals(theirs.bytes)).toBe(true);
        expect(ours.chunk).toEqual(theirs.chunk);
        expect(ours.offsetIndex).toEqual(theirs.offsetIndex);
        if (theirs.chunk.meta_data?.dictionary_page_offset !== undefined) seen.dictionary++;
        else seen.plain++;
        if (theirs.offsetIndex) seen.manyPages++;
        if (d.values.includes(null)) seen.nulls++;
        if (d.codec === 'UNCOMPRESSED') seen.uncompressed++;
      }),
      { numRuns: 300 },
    );
    for (const [branch, count] of Object.entries(seen)) expect(count, branch).toBeGreaterThan(0);
  });
});
