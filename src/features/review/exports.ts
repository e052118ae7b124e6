/**
 * The review page's exports, built in the worker item by item with the src/core engine (the
 * same plan, item consolidation and dataset byte layout as `richhf consolidate`): the dataset
 * JSON, the RichHF-18K TFRecord, a ZIP of inpainting masks and a fine-tuning subset. Items
 * are worked on by helper workers in parallel (itemPool.ts) and written in order. Output is
 * gathered into Blobs every few hundred items, so the worker never holds the whole file as
 * strings and the page receives a single Blob handle.
 */
import { Zip, ZipPassThrough } from 'fflate';
import { DatasetWriter } from '../../core/dataset/datasetJson.ts';
import { DATASET_FORMAT, DATASET_VERSION, formatLocatedError, SCORE_NAMES, type Dataset, type DatasetItem, type SkippedItem, type TaskPack } from '../../core/formats/index.ts';
import type { Size } from '../../core/dataset/heatmap.ts';
import { planConsolidation, type AnnotationSource } from '../../core/dataset/plan.ts';
import { runItems } from './itemPool.ts';
import type { ItemJob } from './itemWork.ts';
import type { ExportKind, ExportOptions, Progress } from './protocol.ts';

/** Parts are folded into a Blob this often, so strings do not pile up in the worker. */
const FLUSH_EVERY = 512;

export interface BuiltExport {
  readonly fileName: string;
  readonly blob: Blob;
  readonly items: number;
  readonly skipped: number;
  readonly warnings: readonly string[];
}

class BlobSink {
  private parts: BlobPart[] = [];
  private blobs: Blob[] = [];
  constructor(private readonly type: string) {}
  push(part: BlobPart): void {
    this.parts.push(part);
    if (this.parts.length >= FLUSH_EVERY) this.flush();
  }
  private flush(): void {
    if (this.parts.length) this.blobs.push(new Blob(this.parts));
    this.parts = [];
  }
  finish(): Blob {
    this.flush();
    return new Blob(this.blobs, { type: this.type });
  }
}

/** A file-name-safe, unique name for an item id (ids are untrusted text). */
function safeName(id: string, used: Set<string>): string {
  const base =
    id
      .replace(/[^A-Za-z0-9._-]/g, '_')
      .replace(/^\.+/, '_')
      .slice(0, 100) || 'item';
  let name = base;
  for (let k = 2; used.has(name.toLowerCase()); k++) name = `${base}~${k}`;
  used.add(name.toLowerCase());
  return name;
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

/**
 * The whole dataset in memory (for the evaluation panel; exports stream instead). Items are
 * made by the helpers like an export's and read back from their dataset JSON.
 */
export async function buildDataset(
  pack: TaskPack,
  files: readonly AnnotationSource[],
  grid: Size,
  minAnnotators: number | undefined,
  progress: (p: Progress) => void,
): Promise<Dataset> {
  const plan = exportPlan(pack, files, minAnnotators);
  const items: DatasetItem[] = [];
  await runItems(plan.items, { kind: 'json', grid, maskThreshold: 0, maskDilation: 0 }, 'Consolidating', progress, (out) => {
    if (out.kind === 'json') items.push(JSON.parse(out.json) as DatasetItem);
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
  kind: ExportKind,
  options: ExportOptions,
  pack: TaskPack,
  files: readonly AnnotationSource[],
  progress: (p: Progress) => void,
): Promise<BuiltExport> {
  const plan = exportPlan(pack, files, options.minAnnotators);
  const grid = options.grid;
  const job = (k: ItemJob['kind']): ItemJob => ({ kind: k, grid, maskThreshold: options.maskThreshold, maskDilation: options.maskDilation });
  const header = { pack: plan.pack, heatmapWidth: grid.width, heatmapHeight: grid.height };
  const base = plan.pack.replace(/[^A-Za-z0-9._-]/g, '_');

  if (kind === 'dataset' || kind === 'subset') {
    const sink = new BlobSink('application/json');
    const writer = new DatasetWriter((chunk) => sink.push(chunk), header);
    const dropped: SkippedItem[] = [];
    const min = options.subset;
    await runItems(plan.items, job('json'), 'Consolidating', progress, (out) => {
      if (out.kind !== 'json') return;
      if (kind === 'subset') {
        const below = SCORE_NAMES.filter((s) => out.normalized[s] < min[s]);
        if (below.length) {
          dropped.push({ id: out.id, reason: `normalized ${below.map((s) => `${s} ${out.normalized[s]} < ${min[s]}`).join(', ')}` });
          return;
        }
      }
      writer.item(out.json);
    });
    // Subset: the items left out for their scores are listed after the engine's skipped items.
    writer.finish([...plan.skipped, ...dropped], plan.warnings);
    return {
      fileName: kind === 'subset' ? `${base}-subset.json` : `${base}-dataset.json`,
      blob: sink.finish(),
      items: writer.itemCount,
      skipped: plan.skipped.length + dropped.length,
      warnings: plan.warnings,
    };
  }

  if (kind === 'tfrecord') {
    const sink = new BlobSink('application/octet-stream');
    await runItems(plan.items, job('tfrecord'), 'Writing TFRecord', progress, (out) => {
      if (out.kind === 'tfrecord') sink.push(out.record as Uint8Array<ArrayBuffer>);
    });
    return { fileName: `${base}.tfrecord`, blob: sink.finish(), items: plan.items.length, skipped: plan.skipped.length, warnings: plan.warnings };
  }

  // Inpainting masks: the artifact heatmap thresholded and dilated, one PNG per item, stored
  // uncompressed in the ZIP (PNGs are compressed already), plus a manifest mapping ids to files.
  const sink = new BlobSink('application/zip');
  let zipError: Error | null = null;
  const zip = new Zip((err, chunk) => {
    if (err) zipError = err;
    else sink.push(chunk as Uint8Array<ArrayBuffer>);
  });
  const add = (name: string, data: Uint8Array) => {
    const f = new ZipPassThrough(name);
    zip.add(f);
    f.push(data, true);
  };
  const used = new Set<string>();
  const manifest: { id: string; file: string; maskCells: number }[] = [];
  await runItems(plan.items, job('mask'), 'Making masks', progress, (out) => {
    if (out.kind !== 'mask') return;
    const file = `masks/${safeName(out.id, used)}.png`;
    manifest.push({ id: out.id, file, maskCells: out.cells });
    add(file, out.png);
  });
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
  return { fileName: `${base}-masks.zip`, blob: sink.finish(), items: plan.items.length, skipped: plan.skipped.length, warnings: plan.warnings };
}
