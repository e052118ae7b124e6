import { ByteWriter } from 'hyparquet-writer/src/bytewriter.js';
import { ParquetWriter } from 'hyparquet-writer/src/parquet-writer.js';
import { columnData, COLUMNS, type RowToWrite } from './columns.ts';
import { huggingfaceMetadata, parquetSchema, type ImageValue } from './feature.ts';
import { packedMapBytes, unpackRow, type PackedRow } from './packedRow.ts';
import { DEFAULT_LIMITS, type ParquetLimits } from './limits.ts';
import type { DeferredBytes } from './imageFile.ts';
import { writeRowGroup, type DeferringWriter } from './rowGroup.ts';
import { snappyCompress } from './snappy.ts';

export { DEFAULT_LIMITS, type ParquetLimits } from './limits.ts';

/**
 * The Parquet files of a dataset, written as rows arrive: rows are buffered per split and
 * written as a row group once the group holds `rowGroupBytes` of images and maps or
 * `rowGroupRows` rows; a split's shard is closed and the next one opened when the next group
 * would take it past `shardBytes`. So at most one row group per split is held, however many
 * items there are. Where the bytes go is the caller's (files, a ZIP stream): a shard's final
 * name needs the count of shards, known only at the end (`data/train-00000-of-00003.parquet`).
 */
export interface ShardSink {
  /**
   * The shard's bytes in order; the buffer is the sink's to keep. DeferredBytes come only from
   * a ParquetExport whose reader gives them (the writer thread's): the sink reads them itself.
   */
  write(bytes: Uint8Array<ArrayBuffer> | DeferredBytes): void | Promise<void>;
}

/** A row as it waits for its row group: packed (packedRow.ts) until the group is written, with its image file. */
export interface RowToAdd {
  readonly packed: PackedRow;
  /** The item's image file. */
  readonly image: ImageValue;
}

export interface SplitFiles {
  readonly name: string;
  readonly rows: number;
  readonly shards: number;
  /** Bytes of all its shards. */
  readonly bytes: number;
}

/** The file name of a shard, as the hub names them: `train-00000-of-00003.parquet`. */
export function shardName(split: string, index: number, count: number): string {
  return `${split}-${String(index).padStart(5, '0')}-of-${String(count).padStart(5, '0')}.parquet`;
}

/**
 * Pages of about 64 KiB: an image gets a page of its own (its bytes are appended to the writer
 * as they are, rowGroup.ts); the small columns of a row group still fit a page or two.
 */
const PAGE_BYTES = 64 << 10;

/** Appends at least this long are handed to the sink as they are, not copied into the buffer. */
const PASS_THROUGH_BYTES = 64 << 10;

/**
 * hyparquet-writer's output, handed to the shard's sink after each row group. Small writes
 * (headers, levels, metadata, the small columns' pages) go into a reused buffer; the bytes of
 * an image (rowGroup.ts appends each image file's own buffer) are passed on without being
 * copied, so an image's bytes are copied only by the sink (into the file), and an image read
 * when written (DeferredBytes) is passed on as it is, for the sink to read.
 */
class SinkWriter extends ByteWriter implements DeferringWriter {
  private chunks: (Uint8Array<ArrayBuffer> | DeferredBytes)[] = [];

  constructor(private readonly sink: ShardSink) {
    super(1 << 20);
  }

  /** What the buffer holds so far becomes a chunk of its own (copied: the buffer is reused). */
  private cut(): void {
    if (this.index === 0) return;
    this.chunks.push(new Uint8Array(this.buffer.slice(0, this.index)));
    this.index = 0;
  }

  appendBytes(value: Uint8Array): void {
    if (value.length < PASS_THROUGH_BYTES) return super.appendBytes(value);
    this.cut();
    this.chunks.push(value as Uint8Array<ArrayBuffer>);
    this.offset += value.length;
  }

  appendDeferred(value: DeferredBytes): void {
    this.cut();
    this.chunks.push(value);
    this.offset += value.length;
  }

  async flush(): Promise<void> {
    this.cut();
    const chunks = this.chunks;
    this.chunks = [];
    for (const c of chunks) await this.sink.write(c);
  }

  // ParquetWriter.finish() returns what this returns (typed `void | Promise<void>` there) and
  // closeShard awaits it; ByteWriter's own declaration says void.
  // eslint-disable-next-line @typescript-eslint/no-misused-promises
  finish(): Promise<void> {
    return this.flush();
  }
}

interface Shard {
  readonly parquet: ParquetWriter;
  readonly writer: SinkWriter;
  groups: number;
}

class SplitWriter {
  rows: RowToAdd[] = [];
  rowBytes = 0;
  written = 0;
  shards = 0;
  bytes = 0;
  shard: Shard | null = null;
  constructor(readonly name: string) {}
}

const schema = parquetSchema(COLUMNS);
const kvMetadata = [{ key: 'huggingface', value: huggingfaceMetadata(COLUMNS) }];
/** Snappy as hyparquet-writer's own compressor gives it, byte for byte, made in a reused buffer (snappy.ts). */
const COMPRESSORS = { SNAPPY: snappyCompress };

export class ParquetDatasetWriter {
  private readonly splits = new Map<string, SplitWriter>();

  /** @param names each annotator's pseudonym, or null to keep their ids (an id without one is kept). */
  constructor(
    private readonly openShard: (split: string, index: number) => ShardSink | Promise<ShardSink>,
    private readonly limits: ParquetLimits = DEFAULT_LIMITS,
    private readonly names: ReadonlyMap<string, string> | null = null,
  ) {}

  /** Adds a row to its split; writes a row group when one is full (wait before adding more). */
  async add(split: string, row: RowToAdd): Promise<void> {
    let s = this.splits.get(split);
    if (!s) this.splits.set(split, (s = new SplitWriter(split)));
    s.rows.push(row);
    // What row groups and shards are sized by: the row's large values, and 1 KiB for the rest.
    s.rowBytes += row.image.bytes.length + packedMapBytes(row.packed) + 1024;
    if (s.rowBytes >= this.limits.rowGroupBytes || s.rows.length >= this.limits.rowGroupRows) await this.writeGroup(s);
  }

  private async writeGroup(s: SplitWriter): Promise<void> {
    if (s.rows.length === 0) return;
    if (s.shard && s.shard.groups > 0 && s.shard.writer.offset + s.rowBytes > this.limits.shardBytes) await this.closeShard(s);
    const shard = (s.shard ??= await this.newShard(s));
    const rows = s.rows;
    s.rows = [];
    s.rowBytes = 0;
    await writeRowGroup(shard.parquet, columnData(rows.map((r) => this.unpack(r))), PAGE_BYTES);
    shard.groups++;
    s.written += rows.length;
  }

  private unpack({ packed, image }: RowToAdd): RowToWrite {
    const row = unpackRow(packed);
    const names = this.names;
    return { row, image, annotators: row.annotations.map((a) => names?.get(a.annotator) ?? a.annotator) };
  }

  private async newShard(s: SplitWriter): Promise<Shard> {
    const writer = new SinkWriter(await this.openShard(s.name, s.shards));
    s.shards++;
    return { writer, groups: 0, parquet: new ParquetWriter({ writer, schema, kvMetadata, createdBy: 'richhf-studio', compressors: COMPRESSORS }) };
  }

  private async closeShard(s: SplitWriter): Promise<void> {
    if (!s.shard) return;
    await s.shard.parquet.finish();
    s.bytes += s.shard.writer.offset;
    s.shard = null;
  }

  /**
   * Writes what is buffered and closes every shard. With no rows at all, one empty `train`
   * shard is written, so the dataset still has its files and schema.
   */
  async finish(): Promise<SplitFiles[]> {
    if (this.splits.size === 0) {
      const s = new SplitWriter('train');
      this.splits.set('train', s);
      s.shard = await this.newShard(s);
    }
    for (const s of this.splits.values()) {
      await this.writeGroup(s);
      await this.closeShard(s);
    }
    return [...this.splits.values()].map((s) => ({ name: s.name, rows: s.written, shards: s.shards, bytes: s.bytes }));
  }
}
