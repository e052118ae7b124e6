/**
 * The review page's Parquet download: the files `richhf consolidate --pack PACK --parquet DIR
 * FILES…` writes (`data/<split>-0000i-of-0000N.parquet` and the card `README.md`), as a ZIP laid
 * out as the server's `GET /api/v1/export/parquet` (core/encode/zipStream.ts: stored entries in
 * split and shard order, then the card). Made in the review worker, loaded by exports.ts only
 * when the lead asks for it: this module brings hyparquet-writer, which neither the review page's
 * first load nor the annotator page carries.
 *
 * Memory is bounded as on the command line: items are made on the item pool and written as row
 * groups as they come (ParquetExport holds one group per split); each shard's bytes go into a
 * Blob made of parts. A shard's name needs its split's shard count, known only at the end, so
 * the ZIP is made once every shard is complete, reading each shard's Blob back in order; an image
 * that cannot be read therefore fails the export before any ZIP exists (nothing half-written is
 * offered).
 */
import type { GridSize } from '../../core/annotate/geometry.ts';
import type { ItemPool } from '../../core/dataset/itemPool.ts';
import { writeDataset, type WrittenDataset } from '../../core/dataset/pipeline.ts';
import type { ConsolidationPlan } from '../../core/dataset/plan.ts';
import { ZipStream } from '../../core/encode/zipStream.ts';
import type { TaskPack } from '../../core/formats/index.ts';
import { annotatorPseudonyms, exportItems, packSplits, planCard } from '../../core/parquet/exportPlan.ts';
import { ImageFileError } from '../../core/parquet/imageFile.ts';
import { shardName, type ShardSink, type SplitFiles } from '../../core/parquet/parquetDataset.ts';
import { ParquetExport } from '../../core/parquet/parquetExport.ts';
import { ALL_TRAIN } from '../../core/parquet/split.ts';
import { downloadName } from '../../core/text/fileName.ts';
import { BlobSink } from './blobSink.ts';
import type { ExportResult } from './protocol.ts';

export interface ParquetZipRequest {
  readonly pool: ItemPool;
  /** A plan without errors, with the page's minimum of annotators. */
  readonly plan: ConsolidationPlan;
  readonly pack: TaskPack;
  readonly grid: GridSize;
  /** The card's minimum (consolidate's --min-annotators, else the pack's annotatorsPerItem). */
  readonly minAnnotators: number;
  /** Where each item's image is read (the loaded pack's URL for it), by item id. */
  readonly imageUrls: ReadonlyMap<string, string>;
  /** Progress of a phase: items done of the plan's, then shards packed of all. */
  readonly report: (phase: string) => (done: number, total: number) => void;
  readonly signal?: AbortSignal;
}

/** An image's bytes, fetched from the page's URL for it; a failure names the item and the image. */
function imageReader(urls: ReadonlyMap<string, string>, signal: AbortSignal | undefined) {
  return async (ref: string, itemId: string): Promise<Uint8Array> => {
    const fail = (why: string) => new ImageFileError(`item "${itemId}": image ${JSON.stringify(ref)}: ${why}`);
    const url = urls.get(itemId);
    if (!url) throw fail('is not among the images of the pack opened on this page');
    let res: Response;
    try {
      res = await fetch(url, { signal: signal ?? null });
    } catch (e) {
      signal?.throwIfAborted();
      throw fail(`could not be read (${(e as Error).message}); an image on another site must allow this page to read it (CORS)`);
    }
    if (!res.ok) throw fail(`could not be read: the server answered ${res.status}`);
    return new Uint8Array(await res.arrayBuffer());
  };
}

interface Shard {
  readonly split: string;
  readonly index: number;
  readonly sink: BlobSink;
  blob: Blob | null;
}

export async function buildParquetZip(r: ParquetZipRequest): Promise<ExportResult> {
  const { plan, pack, signal } = r;
  const shards: Shard[] = [];
  const rule = ALL_TRAIN; // consolidate's default: all train, unless the pack names an item's split
  const exporter = new ParquetExport({
    items: exportItems(plan),
    names: annotatorPseudonyms(plan),
    rule,
    packSplits: packSplits(pack),
    readImage: imageReader(r.imageUrls, signal),
    openShard: (split, index): ShardSink => {
      const shard: Shard = { split, index, sink: new BlobSink(), blob: null };
      shards.push(shard);
      return {
        write: (bytes) => {
          // This page's reader gives bytes (imageReader above), never DeferredBytes.
          if (!(bytes instanceof Uint8Array)) throw new Error('the review page cannot read an image when it is written');
          shard.sink.push(bytes);
        },
      };
    },
  });
  let written: WrittenDataset;
  let splits: SplitFiles[];
  try {
    written = await writeDataset(r.pool, { plan, grid: r.grid }, { rows: (rows) => exporter.rows(rows) }, { onProgress: r.report('Writing Parquet'), signal });
    splits = await exporter.finish();
  } catch (e) {
    if (e instanceof ImageFileError) throw new Error(`The Parquet files were not made, nothing to download: ${e.message}`, { cause: e });
    throw e;
  }
  for (const s of shards) s.blob = s.sink.finish();

  const counts = new Map(splits.map((s) => [s.name, s.shards]));
  const order = splits.map((s) => s.name);
  shards.sort((a, b) => order.indexOf(a.split) - order.indexOf(b.split) || a.index - b.index);
  const out = new BlobSink('application/zip');
  const zip = new ZipStream((bytes) => out.push(bytes));
  const packed = r.report('Packing the ZIP');
  for (const [i, s] of shards.entries()) {
    signal?.throwIfAborted();
    await zip.begin(`data/${shardName(s.split, s.index, counts.get(s.split)!)}`);
    const reader = s.blob!.stream().getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      await zip.write(value);
    }
    await zip.end();
    s.blob = null;
    packed(i + 1, shards.length);
  }
  const card = planCard(pack, plan, { grid: r.grid, minAnnotators: r.minAnnotators, splits, rule, keepAnnotatorIds: false });
  await zip.file('README.md', new TextEncoder().encode(card));
  await zip.finish();
  return { fileName: downloadName([plan.pack, 'parquet'], 'zip'), blob: out.finish(), items: written.items, skipped: written.skipped.length, warnings: written.warnings };
}
