/**
 * The review page's worker: keeps the parsed annotation files, validates new ones against the
 * pack, computes the table rows, agreement statistics and per-annotator quality, renders one item's heatmaps on demand
 * and builds the exports and evaluations, all off the main thread, with the same src/core
 * engine as `richhf consolidate`. Heatmaps are computed item by item and dropped after use.
 *
 * Order of work: requests are handled one at a time, in the order they arrive, so each sees
 * the state the earlier ones left (an `analyze` after an `addFiles` sees the new files, however
 * long reading them takes). The two long jobs, `export` and `evaluate`, take the pack and files
 * they need when their turn comes and then run beside the requests that follow, so the item view
 * stays live during an export; `cancelExport` skips the queue, to stop running exports at once.
 */
/// <reference lib="webworker" />
import { agreementSummary, ratedItemFromPlan, summarizeItem } from '../../core/dataset/agreement.ts';
import { annotationFileSchema, isRatingItem, problemLines, type TaskPack } from '../../core/formats/index.ts';
import { parseJsonBytes } from '../../core/formats/readDocument.ts';
import { compareCodeUnits } from '../../core/text/compare.ts';
import { consolidateItemWithPngs, itemHeatmap } from '../../core/dataset/consolidate.ts';
import type { GridSize } from '../../core/annotate/geometry.ts';
import type { ItemPool } from '../../core/dataset/itemPool.ts';
import { planConsolidation, type AnnotationSource, type ConsolidationPlan } from '../../core/dataset/plan.ts';
import { flagAnnotators, measureQuality, qualityItemsFromPlan, type AnnotatorFigures } from '../../core/quality/qualityReport.ts';
import type { QualityThresholds } from '../../core/formats/quality.ts';
import { buildExport } from './exports.ts';
import { clearPredictions, predictedMaps, runEvaluation } from './evaluation.ts';
import { webItemPool } from './itemWorkers.ts';
import type { Analysis, CallType, Envelope, FileOutcome, ItemDetail, JobProgress, QualityView, Reply, RequestOf, ResultOf } from './protocol.ts';

declare const self: DedicatedWorkerGlobalScope;

let pack: TaskPack | null = null;
const files = new Map<string, AnnotationSource>();
/** Plan of every item with >= 1 annotator, rebuilt when the files change (cheap: no heatmaps). */
let allPlan: ConsolidationPlan | null = null;

function requirePack(): TaskPack {
  if (!pack) throw new Error('no task pack loaded');
  return pack;
}

function planAll(): ConsolidationPlan {
  allPlan ??= planConsolidation({ pack: requirePack(), files: [...files.values()], minAnnotators: 1 });
  return allPlan;
}

/** A file is checked whole before it is kept; a rejected one gets its first problems (problems.ts). */
function addFile(name: string, bytes: Uint8Array): FileOutcome {
  const p = requirePack();
  const parsed = parseJsonBytes(name, bytes, annotationFileSchema);
  if (!parsed.ok) return { name, ok: false, errors: problemLines(parsed) };
  const source: AnnotationSource = { name, file: parsed.value };
  // Checks against the pack (pack name, image sizes, token indices), the engine's own.
  const check = planConsolidation({ pack: p, files: [source], minAnnotators: 1 });
  if (check.errors.length) return { name, ok: false, errors: problemLines(check) };
  files.set(name, source);
  allPlan = null;
  return { name, ok: true, annotator: parsed.value.annotator, records: parsed.value.annotations.length };
}

function analyze(rule: { spreadAtLeast: number; heatmapBelow: number }, minAnnotators: number): Analysis {
  const plan = planAll();
  const rated = plan.items.map(ratedItemFromPlan);
  const rows = rated.map((r) => summarizeItem(r, rule));
  const summary = agreementSummary(rated, rows, minAnnotators || requirePack().annotatorsPerItem);
  return { rows, summary, warnings: [...problemLines(plan), ...plan.warnings] };
}

/** The quality figures of the current plan (the costly part), kept until the files change. */
let figures: { readonly plan: ConsolidationPlan; readonly figures: AnnotatorFigures[]; readonly itemsOf: QualityView['itemsOf'] } | null = null;

function quality(thresholds: QualityThresholds): QualityView {
  const plan = planAll();
  if (figures?.plan !== plan) {
    const p = requirePack();
    // Every annotator with a file is listed, an empty file's too.
    const annotators = [...files.values()].map((f) => f.file.annotator);
    const order = new Map(p.items.map((item, i) => [item.id, i]));
    const itemsOf = new Map<string, string[]>(annotators.map((a) => [a, []]));
    for (const item of [...plan.items, ...plan.gold].sort((a, b) => order.get(a.id)! - order.get(b.id)!)) for (const r of item.records) itemsOf.get(r.annotator)?.push(item.id);
    figures = {
      plan,
      figures: measureQuality({ items: qualityItemsFromPlan(p, plan), annotators }),
      itemsOf: [...itemsOf].sort(([a], [b]) => compareCodeUnits(a, b)),
    };
  }
  return { quality: { annotators: flagAnnotators(figures.figures, thresholds), thresholds }, itemsOf: figures.itemsOf };
}

function itemDetail(id: string, grid: GridSize): ItemDetail | null {
  const all = planAll();
  const plan = all.items.find((i) => i.id === id) ?? all.gold.find((i) => i.id === id);
  if (!plan) return null;
  // Scores, token votes and the majority rule straight from the engine, as in the dataset.
  const { item } = consolidateItemWithPngs(plan, grid);
  const labels = item.promptMisalignmentLabel === '' ? [] : item.promptMisalignmentLabel.split(' ');
  return {
    id,
    imageWidth: item.imageWidth,
    imageHeight: item.imageHeight,
    tokens: item.tokens,
    tokenVotes: item.tokenVotes,
    misaligned: labels.map((l) => l === '0'), // RichHF-18K: 0 = misaligned
    ratings: plan.records.map((r) => ({ annotator: r.annotator, scores: r.record.scores, points: r.record.points, activeMs: r.record.activeMs })),
    means: item.scores,
    grid,
    artifact: itemHeatmap(plan, 'artifact', grid).gray.slice(),
    misalignment: itemHeatmap(plan, 'misalignment', grid).gray.slice(),
    gold: goldOf(id),
  };
}

/** The reference answer of a gold item (rating items only), or null. */
function goldOf(id: string) {
  const item = requirePack().items.find((i) => i.id === id);
  return item && isRatingItem(item) ? (item.gold ?? null) : null;
}

/** Threads for the exports and evaluations, started at the first big one. */
let pool: ItemPool | null = null;
const itemPool = () => (pool ??= webItemPool());

/** Running exports, stopped by `cancelExport`. */
const exports = new Set<AbortController>();
/** Bumped by `init`: an evaluation of an earlier pack must not leave its predictions behind. */
let generation = 0;

interface Answer<K extends CallType> {
  readonly result: ResultOf<K>;
  /** Buffers moved to the page with the result. */
  readonly transfer?: Transferable[];
}

type Handlers = { [K in CallType]: (req: RequestOf<K>, progress: (p: JobProgress) => void) => Answer<K> | Promise<Answer<K>> };

/**
 * One handler per call. Long jobs (LONG) must take everything they read from the worker's
 * state before their first await: they run beside the requests queued after them.
 */
const handlers: Handlers = {
  init(req) {
    pack = req.pack;
    files.clear();
    allPlan = null;
    figures = null;
    generation++;
    clearPredictions();
    return { result: null };
  },
  async addFiles(req) {
    const outcomes: FileOutcome[] = [];
    for (const f of req.files) {
      let bytes: Uint8Array;
      try {
        bytes = new Uint8Array(await f.blob.arrayBuffer());
      } catch (err) {
        outcomes.push({ name: f.name, ok: false, errors: [`${f.name}: could not be read: ${(err as Error).message}`] });
        continue;
      }
      outcomes.push(addFile(f.name, bytes));
    }
    return { result: outcomes };
  },
  removeFile(req) {
    files.delete(req.name);
    allPlan = null;
    return { result: null };
  },
  analyze(req) {
    return { result: analyze(req.rule, req.minAnnotators) };
  },
  quality(req) {
    return { result: quality(req.thresholds) };
  },
  item(req) {
    const d = itemDetail(req.itemId, req.grid);
    return { result: d, transfer: d ? [d.artifact.buffer, d.misalignment.buffer] : [] };
  },
  prediction(req) {
    const p = predictedMaps(req.itemId);
    const transfer = p ? [p.artifact?.gray.buffer, p.misalignment?.gray.buffer].filter((b): b is ArrayBuffer => b instanceof ArrayBuffer) : [];
    return { result: p, transfer };
  },
  async export(req, progress) {
    const controller = new AbortController();
    exports.add(controller);
    try {
      return { result: await buildExport(itemPool(), req.kind, req.options, requirePack(), [...files.values()], progress, controller.signal) };
    } finally {
      exports.delete(controller);
    }
  },
  async evaluate(req, progress) {
    const inputs = { pack: requirePack(), files: [...files.values()], generation };
    const bytes = new Uint8Array(await req.blob.arrayBuffer());
    const result = await runEvaluation(itemPool(), req.name, bytes, inputs.pack, inputs.files, req.grid, req.minAnnotators, progress, () => generation === inputs.generation);
    return { result };
  },
  cancelExport() {
    for (const c of exports) c.abort(new Error('Export cancelled'));
    return { result: null };
  },
};

/** Calls that run beside the queue once started (see the file comment). */
const LONG: ReadonlySet<CallType> = new Set(['export', 'evaluate']);

function post(msg: Reply, transfer: Transferable[] = []): void {
  self.postMessage(msg, transfer);
}

/** Runs one request; resolves when the queue may move on (at once for LONG jobs). */
function handle<K extends CallType>(req: Envelope<K>): Promise<void> {
  const progress = (p: JobProgress) => post({ id: req.id, kind: 'progress', progress: p });
  const handler: Handlers[K] = handlers[req.type];
  let answer: Promise<Answer<K>>;
  try {
    answer = Promise.resolve(handler(req, progress));
  } catch (err) {
    answer = Promise.reject(err);
  }
  const replied = answer.then(
    (a) => post({ id: req.id, kind: 'result', type: req.type, result: a.result }, a.transfer),
    (err: unknown) => post({ id: req.id, kind: 'error', message: err instanceof Error ? err.message : String(err) }),
  );
  return LONG.has(req.type) ? Promise.resolve() : replied;
}

let queue: Promise<void> = Promise.resolve();

self.onmessage = (e: MessageEvent<Envelope>) => {
  const req = e.data;
  if (req.type === 'cancelExport') void handle(req);
  else queue = queue.then(() => handle(req));
};
