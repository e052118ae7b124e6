/**
 * The review page's exports, built in the review worker on the one item pipeline of src/core
 * (the same plan, items and dataset writer as `richhf consolidate`, so the same bytes): the
 * dataset JSON, the RichHF-18K TFRecord, a ZIP of inpainting masks, a fine-tuning subset and
 * the Parquet files with the images (parquetZip.ts, a chunk loaded when first asked for).
 * Items are made on an ItemPool (helper workers for big inputs) and written in order. Output is
 * gathered into Blobs every few hundred parts, so the worker never holds the whole file as
 * strings and the page receives a single Blob handle.
 */
import { Zip, ZipPassThrough } from 'fflate';
import { DATASET_FORMAT, DATASET_VERSION, formatLocatedError, type Dataset, type DatasetItem, type TaskPack } from '../../core/formats/index.ts';
import type { GridSize } from '../../core/annotate/geometry.ts';
import type { ItemPool } from '../../core/dataset/itemPool.ts';
import { writeDataset, type DatasetSink } from '../../core/dataset/pipeline.ts';
import { planConsolidation, type AnnotationSource } from '../../core/dataset/plan.ts';
import { downloadName, uniqueFileName } from '../../core/text/fileName.ts';
import { BlobSink } from './blobSink.ts';
import type { ExportKind, ExportOptions, ExportResult, JobProgress } from './protocol.ts';

const utf8 = new TextDecoder();

const PROGRESS_MS = 100;

/** Progress at most every PROGRESS_MS, and always at the end. */
function reporter(phase: string, progress: (p: JobProgress) => void): (done: number, total: number) => void {
  let last = 0;
  return (done, total) => {
    const now = Date.now();
    if (done === total || now - last >= PROGRESS_MS) {
      last = now;
      progress({ done, total, phase });
    }
  };
}

/** The engine's plan for an export; input errors stop it with the first few located messages. */
function exportPlan(pack: TaskPack, files: readonly AnnotationSource[], minAnnotators: number | undefined) {
  const plan = planConsolidation({ pack, files, minAnnotators });
  if (plan.errors.length) {
    const lines = plan.errors.slice(0, 10).map(formatLocatedError);
    throw new Error(`Cannot export, the inputs have ${plan.errors.length} problems: ${lines.join('; ')}`);
  }
  return plan;
}

/** The whole dataset in memory (for the evaluation panel; exports stream instead), read back from its JSON. */
export async function buildDataset(
  pool: ItemPool,
  pack: TaskPack,
  files: readonly AnnotationSource[],
  grid: GridSize,
  minAnnotators: number | undefined,
  progress: (p: JobProgress) => void,
): Promise<Dataset> {
  const plan = exportPlan(pack, files, minAnnotators);
  const items: DatasetItem[] = [];
  await pool.run({ kind: 'dataset', grid, json: true, record: false }, plan.items, (chunk, done) => {
    if (chunk.kind === 'dataset') for (const out of chunk.outputs) if (out.json) items.push(JSON.parse(utf8.decode(out.json)) as DatasetItem);
    progress({ done, total: plan.items.length, phase: 'Consolidating' });
  });
  return {
    format: DATASET_FORMAT,
    version: DATASET_VERSION,
    pack: plan.pack,
    heatmapWidth: grid.width,
    heatmapHeight: grid.height,
    items,
    skipped: plan.skipped,
    warnings: plan.warnings,
  };
}

export async function buildExport(
  pool: ItemPool,
  kind: ExportKind,
  options: ExportOptions,
  pack: TaskPack,
  files: readonly AnnotationSource[],
  progress: (p: JobProgress) => void,
  signal?: AbortSignal,
): Promise<ExportResult> {
  const plan = exportPlan(pack, files, options.minAnnotators);
  const grid = options.grid;

  if (kind === 'parquet') {
    // hyparquet-writer and the card arrive with this chunk, when the lead first asks for them.
    const { buildParquetZip } = await import('./parquetZip.ts');
    const urls = options.imageUrls ?? [];
    return buildParquetZip({
      pool,
      plan,
      pack,
      grid,
      minAnnotators: options.minAnnotators ?? pack.annotatorsPerItem,
      imageUrls: new Map(pack.items.flatMap((item, i) => (urls[i] ? [[item.id, urls[i]] as const] : []))),
      report: (phase) => reporter(phase, progress),
      signal,
    });
  }

  if (kind !== 'masks') {
    const sink = new BlobSink(kind === 'tfrecord' ? 'application/octet-stream' : 'application/json');
    const to: DatasetSink = kind === 'tfrecord' ? { records: (bytes) => sink.push(bytes) } : { json: (bytes) => sink.push(bytes) };
    const written = await writeDataset(pool, { plan, grid, minNormalizedScores: kind === 'subset' ? options.subset : undefined }, to, {
      onProgress: reporter(kind === 'tfrecord' ? 'Writing TFRecord' : 'Consolidating', progress),
      signal,
    });
    const fileName = kind === 'tfrecord' ? downloadName([plan.pack], 'tfrecord') : downloadName([plan.pack, kind === 'subset' ? 'subset' : 'dataset'], 'json');
    return { fileName, blob: sink.finish(), items: written.items, skipped: written.skipped.length, warnings: written.warnings };
  }

  // Inpainting masks: the artifact heatmap thresholded and dilated, one PNG per item, stored
  // uncompressed in the ZIP (PNGs are compressed already), plus a manifest mapping ids to files.
  const sink = new BlobSink('application/zip');
  let zipError: Error | null = null;
  const zip = new Zip((err, chunk) => {
    if (err) zipError = err;
    else sink.push(chunk as Uint8Array<ArrayBuffer>); // fflate's chunks are plain ArrayBuffer views
  });
  const add = (name: string, data: Uint8Array) => {
    const f = new ZipPassThrough(name);
    zip.add(f);
    f.push(data, true);
  };
  const used = new Set<string>();
  const manifest: { id: string; file: string; maskCells: number }[] = [];
  const report = reporter('Making masks', progress);
  await pool.run(
    { kind: 'mask', grid, threshold: options.maskThreshold, dilation: options.maskDilation },
    plan.items,
    (chunk, done) => {
      if (chunk.kind === 'mask') {
        for (const out of chunk.outputs) {
          const file = `masks/${uniqueFileName(out.id, used, 100, 'item')}.png`;
          manifest.push({ id: out.id, file, maskCells: out.cells });
          add(file, out.png);
        }
      }
      report(done, plan.items.length);
    },
    signal,
  );
  const meta = {
    format: 'richhf-inpainting-masks',
    version: 1,
    pack: plan.pack,
    width: grid.width,
    height: grid.height,
    threshold: options.maskThreshold,
    dilationRadius: options.maskDilation,
    items: manifest,
    skipped: plan.skipped,
  };
  add('masks.json', new TextEncoder().encode(JSON.stringify(meta, null, 1) + '\n'));
  zip.end();
  if (zipError) throw zipError;
  return { fileName: downloadName([plan.pack, 'masks'], 'zip'), blob: sink.finish(), items: plan.items.length, skipped: plan.skipped.length, warnings: plan.warnings };
}
