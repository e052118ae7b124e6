import type { Writer } from 'hyparquet-writer/src/types.js';

/** What a DATA_PAGE_V2 header says (hyparquet-writer's PageHeader with its data_page_header_v2, no CRC). */
export interface DataPageV2Header {
  readonly uncompressed_page_size: number;
  readonly compressed_page_size: number;
  readonly num_values: number;
  readonly num_nulls: number;
  readonly num_rows: number;
  /** The encodings the dataset's pages use. */
  readonly encoding: 'PLAIN' | 'RLE_DICTIONARY';
  readonly definition_levels_byte_length: number;
  readonly repetition_levels_byte_length: number;
  readonly is_compressed: boolean;
}

// Thrift Compact Protocol: a field's header byte is (id delta << 4) | type.
const I32 = 5;
const FALSE = 2;
const STRUCT = 12;
const DICTIONARY_PAGE = 2; // PageType
const DATA_PAGE_V2 = 3;
const STOP = 0;
/** Their places in Parquet's Encoding enum (hyparquet's Encodings). */
const ENCODING = { PLAIN: 0, RLE_DICTIONARY: 8 } as const;

/**
 * A DATA_PAGE_V2 page header, byte for byte as hyparquet-writer's writePageHeader writes it
 * (datapage.js: a PageHeader built as an object of `field_N` keys, then walked by its generic
 * Thrift writer, which lists each object's entries and parses each key). One is written for
 * every page: for a 20,000-item export, 40,000 headers. Sizes and counts as 32-bit zigzag
 * varints (the writer's appendZigZag); is_compressed written only when false (true is Thrift's
 * default there).
 *
 * tests/unit/parquetPageHeader.test.ts holds it (and writeDictionaryPageHeader) to writePageHeader.
 */
export function writeDataPageV2Header(w: Writer, h: DataPageV2Header): void {
  field(w, 1, DATA_PAGE_V2); // type
  field(w, 1, h.uncompressed_page_size);
  field(w, 1, h.compressed_page_size);
  w.appendUint8(((8 - 3) << 4) | STRUCT); // field 8, data_page_header_v2
  field(w, 1, h.num_values);
  field(w, 1, h.num_nulls);
  field(w, 1, h.num_rows);
  field(w, 1, ENCODING[h.encoding]);
  field(w, 1, h.definition_levels_byte_length);
  field(w, 1, h.repetition_levels_byte_length);
  if (!h.is_compressed) w.appendUint8((1 << 4) | FALSE);
  w.appendUint8(STOP);
  w.appendUint8(STOP);
}

/** A DICTIONARY_PAGE header (PLAIN values), byte for byte as writePageHeader writes it for hyparquet-writer's writeDictionaryPage (dictionary.js). */
export function writeDictionaryPageHeader(w: Writer, h: { readonly uncompressed_page_size: number; readonly compressed_page_size: number; readonly num_values: number }): void {
  field(w, 1, DICTIONARY_PAGE);
  field(w, 1, h.uncompressed_page_size);
  field(w, 1, h.compressed_page_size);
  w.appendUint8(((7 - 3) << 4) | STRUCT); // field 7, dictionary_page_header
  field(w, 1, h.num_values);
  field(w, 1, ENCODING.PLAIN);
  w.appendUint8(STOP);
  w.appendUint8(STOP);
}

/** An i32 field `delta` ids after the one before it. */
function field(w: Writer, delta: number, value: number): void {
  w.appendUint8((delta << 4) | I32);
  w.appendZigZag(value);
}
