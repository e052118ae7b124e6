import fc from 'fast-check';
import { ByteWriter } from 'hyparquet-writer/src/bytewriter.js';
import { writePageHeader } from 'hyparquet-writer/src/datapage.js';
import { describe, expect, it } from 'vitest';
import { writeDataPageV2Header, writeDictionaryPageHeader, type DataPageV2Header } from '../../src/core/parquet/pageHeader.ts';

/** writeDataPageV2Header against hyparquet-writer's writePageHeader, byte for byte. */
function both(h: DataPageV2Header): { ours: number[]; theirs: number[] } {
  const a = new ByteWriter();
  writeDataPageV2Header(a, h);
  const b = new ByteWriter();
  const { uncompressed_page_size, compressed_page_size, ...v2 } = h;
  writePageHeader(b, { type: 'DATA_PAGE_V2', uncompressed_page_size, compressed_page_size, data_page_header_v2: v2 });
  return { ours: [...a.getBytes()], theirs: [...b.getBytes()] };
}

describe('writeDataPageV2Header', () => {
  it('writes a small header as writePageHeader does (checked by hand: 22 bytes)', () => {
    const h: DataPageV2Header = {
      uncompressed_page_size: 100,
      compressed_page_size: 60,
      num_values: 3,
      num_nulls: 0,
      num_rows: 3,
      encoding: 'PLAIN',
      definition_levels_byte_length: 2,
      repetition_levels_byte_length: 0,
      is_compressed: true,
    };
    const { ours, theirs } = both(h);
    expect(ours).toEqual(theirs);
    // type 3, sizes 100 and 60 (zigzag 200 = c8 01, 120 = 78), then the v2 struct (field 8) and two stops.
    expect(ours).toEqual([0x15, 6, 0x15, 0xc8, 1, 0x15, 0x78, 0x5c, 0x15, 6, 0x15, 0, 0x15, 6, 0x15, 0, 0x15, 4, 0x15, 0, 0, 0]);
  });

  it('writes any header as writePageHeader does', () => {
    const size = fc.oneof(fc.integer({ min: 0, max: 200 }), fc.integer({ min: 0, max: 2 ** 31 - 1 }));
    let uncompressedFlag = 0;
    let wide = 0;
    fc.assert(
      fc.property(
        fc.record({
          uncompressed_page_size: size,
          compressed_page_size: size,
          num_values: size,
          num_nulls: size,
          num_rows: size,
          encoding: fc.constantFrom('PLAIN' as const, 'RLE_DICTIONARY' as const),
          definition_levels_byte_length: size,
          repetition_levels_byte_length: size,
          is_compressed: fc.boolean(),
        }),
        (h) => {
          const { ours, theirs } = both(h);
          expect(ours).toEqual(theirs);
          if (!h.is_compressed) uncompressedFlag++;
          if (h.uncompressed_page_size >= 2 ** 30) wide++;
        },
      ),
      { numRuns: 500 },
    );
    expect(uncompressedFlag).toBeGreaterThan(50);
    expect(wide).toBeGreaterThan(10);
  });

  it('writes a dictionary page header as writePageHeader does', () => {
    const size = fc.oneof(fc.integer({ min: 0, max: 200 }), fc.integer({ min: 0, max: 2 ** 31 - 1 }));
    fc.assert(
      fc.property(fc.record({ uncompressed_page_size: size, compressed_page_size: size, num_values: size }), (h) => {
        const a = new ByteWriter();
        writeDictionaryPageHeader(a, h);
        const b = new ByteWriter();
        const { uncompressed_page_size, compressed_page_size, num_values } = h;
        writePageHeader(b, { type: 'DICTIONARY_PAGE', uncompressed_page_size, compressed_page_size, dictionary_page_header: { num_values, encoding: 'PLAIN' } });
        expect([...a.getBytes()]).toEqual([...b.getBytes()]);
      }),
      { numRuns: 300 },
    );
    const a = new ByteWriter();
    writeDictionaryPageHeader(a, { uncompressed_page_size: 10, compressed_page_size: 8, num_values: 2 });
    // type 2, sizes 10 and 8, then field 7 (the dictionary header: 2 values, PLAIN) and two stops.
    expect([...a.getBytes()]).toEqual([0x15, 4, 0x15, 20, 0x15, 16, 0x4c, 0x15, 4, 0x15, 0, 0, 0]);
  });
});
