/**
 * The review page's worker: keeps the parsed annotation files, validates new ones against the
 * pack, computes the table rows and agreement statistics, renders one item's heatmaps on demand
 * and builds the exports, all off the main thread. It runs the same src/core engine as
 * `richhf consolidate`. Heatmaps are computed item by item and dropped after use.
 */
/// <reference lib="webworker" />
import { agreementSummary, summarizeItem, type RatedItem } from '../../core/dataset/agreement.ts';
import { annotationFileSchema, parseJsonBytes, problemLines, type TaskPack } from '../../core/formats/index.ts';
import { consolidateItemWithPngs, itemHeatmap } from '../../core/dataset/consolidate.ts';
import { planConsolidation, type AnnotationSource, type ConsolidationPlan, type ItemPlan } from '../../core/dataset/plan.ts';
import { buildExport } from './exports.ts';
import { cancelItems } from './itemPool.ts';
import { clearPredictions, predictedMaps, runEvaluation } from './evaluation.ts';
import type { Analysis, Envelope, FileOutcome, GridSize, ItemDetail, Progress, Reply } from './protocol.ts';

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

function ratedItem(item: ItemPlan): RatedItem {
  return {
    id: item.id,
    imageWidth: item.imageWidth,
    imageHeight: item.imageHeight,
    ratings: item.records.map(({ annotator, record }) => ({
      annotator,
      scores: record.scores,
      activeMs: record.activeMs,
      points: record.points,
      misalignedTokens: record.misalignedTokens,
      submittedAt: record.submittedAt,
    })),
  };
}

function analyze(rule: { spreadAtLeast: number; heatmapBelow: number }, minAnnotators: number): Analysis {
  const plan = planAll();
  const rated = plan.items.map(ratedItem);
  const rows = rated.map((r) => summarizeItem(r, rule));
  const summary = agreementSummary(rated, rows, minAnnotators || requirePack().annotatorsPerItem);
  return { rows, summary, warnings: [...problemLines(plan), ...plan.warnings] };
}

/** No PNGs needed for the item view: the engine's item with empty heatmap strings. */
const noPng = () => new Uint8Array(0);

function itemDetail(id: string, grid: GridSize): ItemDetail | null {
  const plan = planAll().items.find((i) => i.id === id);
  if (!plan) return null;
  // Scores, token votes and the majority rule straight from the engine, as in the dataset.
  const { item } = consolidateItemWithPngs(plan, grid, noPng);
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
  };
}

function reply(msg: Reply, transfer: Transferable[] = []): void {
  self.postMessage(msg, transfer);
}

self.onmessage = async (e: MessageEvent<Envelope>) => {
  const req = e.data;
  const progress = (p: Progress) => reply({ id: req.id, kind: 'progress', progress: p });
  try {
    switch (req.type) {
      case 'init':
        pack = req.pack;
        files.clear();
        allPlan = null;
        clearPredictions();
        return reply({ id: req.id, kind: 'result', result: null });
      case 'addFiles': {
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
        return reply({ id: req.id, kind: 'result', result: outcomes });
      }
      case 'removeFile':
        files.delete(req.name);
        allPlan = null;
        return reply({ id: req.id, kind: 'result', result: null });
      case 'analyze':
        return reply({ id: req.id, kind: 'result', result: analyze(req.rule, req.minAnnotators) });
      case 'item': {
        const d = itemDetail(req.itemId, req.grid);
        return reply({ id: req.id, kind: 'result', result: d }, d ? [d.artifact.buffer, d.misalignment.buffer] : []);
      }
      case 'evaluate': {
        const result = await runEvaluation(req.name, new Uint8Array(await req.blob.arrayBuffer()), requirePack(), [...files.values()], req.grid, req.minAnnotators, progress);
        return reply({ id: req.id, kind: 'result', result });
      }
      case 'prediction': {
        const p = predictedMaps(req.itemId);
        const transfer = p ? [p.artifact?.gray.buffer, p.misalignment?.gray.buffer].filter((b): b is ArrayBuffer => b instanceof ArrayBuffer) : [];
        return reply({ id: req.id, kind: 'result', result: p }, transfer);
      }
      case 'cancelExport':
        cancelItems();
        return reply({ id: req.id, kind: 'result', result: null });
      case 'export': {
        const result = await buildExport(req.kind, req.options, requirePack(), [...files.values()], progress);
        return reply({ id: req.id, kind: 'result', result });
      }
    }
  } catch (err) {
    reply({ id: req.id, kind: 'error', message: err instanceof Error ? err.message : String(err) });
  }
};
