import { readImageSize } from '../encode/imageSize.ts';
import { compareCodeUnits } from '../text/compare.ts';
import { packedRowHead, type PackedRow } from './packedRow.ts';
import type { ExportItem } from './exportPlan.ts';
import { DEFAULT_LIMITS, ParquetDatasetWriter, type ParquetLimits, type ShardSink, type SplitFiles } from './parquetDataset.ts';
import { assignSplit, type SplitRule } from './split.ts';
import { ImageFileError, imageFileName, type ImageBytes } from './imageFile.ts';

export { ImageFileError, imageFileName } from './imageFile.ts';

/** Images read ahead of the rows being written. */
const READ_AHEAD = 16;

/**
 * The Parquet side of a dataset export (the command line's `consolidate --parquet`, the
 * server's ZIP): takes the pipeline's rows in pack order (DatasetSink.rows), adds each item's
 * image file, its split and the annotators' pseudonyms, and writes them through a
 * ParquetDatasetWriter. Image files are read a few items ahead of the rows that need them, so
 * reading overlaps with making the items; the reading itself is the caller's (files, URLs).
 */
export interface ParquetExportOptions {
  /** The plan's items in its order (exportItems(plan)): what the rows will be, and which image each reads. */
  readonly items: readonly ExportItem[];
  /** Each annotator's pseudonym (annotatorPseudonyms(plan)), or null to keep their ids. */
  readonly names: ReadonlyMap<string, string> | null;
  readonly rule: SplitRule;
  /** The pack's own split of each item that has one (items[].split). */
  readonly packSplits: ReadonlyMap<string, string>;
  /**
   * The bytes of an item's image (`ref` as in the pack), or DeferredBytes for a sink that reads
   * them when they are written (the writer thread's); a failure (an ImageFileError to report)
   * stops the export.
   */
  readonly readImage: (ref: string, itemId: string) => Promise<ImageBytes>;
  readonly openShard: (split: string, index: number) => ShardSink | Promise<ShardSink>;
  readonly limits?: ParquetLimits;
}

export class ParquetExport {
  private readonly writer: ParquetDatasetWriter;
  /** Reads started, by plan index, with the item's split; `next` is the index of the next row expected. */
  private readonly reads = new Map<number, { readonly bytes: Promise<ImageBytes>; readonly split: string }>();
  private next = 0;
  private started = 0;

  constructor(private readonly options: ParquetExportOptions) {
    this.writer = new ParquetDatasetWriter(options.openShard, options.limits ?? DEFAULT_LIMITS, options.names);
    this.readAhead();
  }

  private readAhead(): void {
    const items = this.options.items;
    while (this.started < items.length && this.started < this.next + READ_AHEAD) {
      const item = items[this.started]!;
      const split = assignSplit(this.options.rule, item.id, this.options.packSplits.get(item.id));
      const bytes = this.options.readImage(item.image, item.id);
      bytes.catch(() => undefined); // awaited in order in rows(); no unhandled rejection meanwhile
      this.reads.set(this.started++, { bytes, split });
    }
  }

  /** The pipeline's rows, packed (DatasetOutput.row), in plan order (each plan item once; filtered items may be left out). */
  async rows(rows: readonly PackedRow[]): Promise<void> {
    const items = this.options.items;
    for (const packed of rows) {
      const row = packedRowHead(packed);
      // An item left out of the rows: its image, once read, is not written.
      while (this.next < items.length && items[this.next]!.id !== row.id) this.reads.delete(this.next++);
      if (this.next >= items.length) throw new Error(`row "${row.id}" is not in the plan, or out of order`);
      this.readAhead();
      const read = this.reads.get(this.next)!;
      const bytes = await read.bytes;
      this.reads.delete(this.next++);
      const info = readImageSize(bytes instanceof Uint8Array ? bytes : bytes.head);
      const fail = (why: string) => new ImageFileError(`item "${row.id}": image ${JSON.stringify(row.image)}: ${why}`);
      if (!info) throw fail('is not a PNG, JPEG, GIF, WebP or BMP image');
      if (info.width !== row.imageWidth || info.height !== row.imageHeight)
        throw fail(`is ${info.width}x${info.height} pixels, but the item is ${row.imageWidth}x${row.imageHeight} (its points are in those pixels)`);
      this.readAhead();
      await this.writer.add(read.split, { packed, image: { bytes, path: imageFileName(row.image) } });
    }
  }

  /** Writes what is left; the splits with their row and shard counts: the rule's in its order, then the pack's own by name. */
  async finish(): Promise<SplitFiles[]> {
    const order = this.options.rule.shares.map((s) => s.name);
    const rank = (name: string) => (order.includes(name) ? order.indexOf(name) : order.length);
    return (await this.writer.finish()).sort((a, b) => rank(a.name) - rank(b.name) || compareCodeUnits(a.name, b.name));
  }
}
