import { bytesToBase64 } from '../encode/base64.ts';
import { DATASET_FORMAT, DATASET_VERSION, SCORE_NAMES, type PointKind, type ScoreName } from '../formats/names.ts';
import type { Dataset, DatasetItem } from '../formats/dataset.ts';
import type { Point } from '../formats/annotations.ts';
import type { ProblemReport } from '../formats/problems.ts';
import type { GridSize } from '../annotate/geometry.ts';
import { combineAnnotators, scanlineRuns, type Heatmap, type XY } from './heatmap.ts';
import { grayPng } from '../encode/png.ts';
import { RunsBuilder, zlibRleRuns } from '../encode/zlibRle.ts';
import { planConsolidation, type ItemPlan, type PlanInput, type RecordContent } from './plan.ts';
import { DEFAULT_GRID } from './grid.ts';

/**
 * Step 2 of consolidation: one item's plan -> one dataset item, by RichHF-18K's rules
 * (mean scores, strict-majority word votes, mean disc heatmaps). Pure and deterministic:
 * the same plan gives the same item in the browser, a worker or the command line.
 */

/** Scanline runs of the map being encoded (encoding is synchronous: one builder is enough). */
const runs = new RunsBuilder();

/** The all-zero map's PNG, one per grid size (most items have a kind nobody marked somewhere). */
const zeroPngs = new Map<string, Uint8Array>();
function zeroPng(grid: GridSize): Uint8Array {
  const key = `${grid.width}x${grid.height}`;
  let png = zeroPngs.get(key);
  if (!png) {
    runs.clear();
    runs.push(0, (grid.width + 1) * grid.height); // filter bytes and levels: all zero
    zeroPngs.set(key, (png = grayPng(grid.width, grid.height, zlibRleRuns(runs))));
  }
  return png;
}

function pointsOf(plan: ItemPlan<RecordContent>, kind: PointKind): XY[][] {
  return plan.records.map((r) => r.record.points.filter((p) => p.kind === kind));
}

/** The item's map of one kind as PNG bytes: its scanlines' runs, deflated (zlibRle.ts), no raster in between. */
function encodeItemHeatmap(plan: ItemPlan<RecordContent>, kind: PointKind, grid: GridSize): Uint8Array {
  const { empty } = scanlineRuns(pointsOf(plan, kind), { width: plan.imageWidth, height: plan.imageHeight }, grid, runs);
  return empty ? zeroPng(grid) : grayPng(grid.width, grid.height, zlibRleRuns(runs));
}

/** The item's heatmap of one kind as levels and an emptiness flag (for overlays and export). */
export function itemHeatmap(plan: ItemPlan<RecordContent>, kind: PointKind, grid: GridSize): Heatmap {
  return combineAnnotators(pointsOf(plan, kind), { width: plan.imageWidth, height: plan.imageHeight }, grid);
}

type PerScore = Record<ScoreName, number>;

/** A dataset item plus its two PNGs as bytes (the TFRecord export needs them unencoded). */
export interface ConsolidatedItem {
  readonly item: DatasetItem;
  readonly artifactPng: Uint8Array;
  readonly misalignmentPng: Uint8Array;
}

export function consolidateItemWithPngs(plan: ItemPlan<RecordContent>, grid: GridSize): ConsolidatedItem {
  const n = plan.records.length;
  if (n < 1) throw new Error(`item "${plan.id}" has no annotators`);
  const scores = {} as PerScore;
  const normalizedScores = {} as PerScore;
  const maxScoreDiff = {} as PerScore;
  for (const name of SCORE_NAMES) {
    let sum = 0;
    let min = Infinity;
    let max = -Infinity;
    for (const { record } of plan.records) {
      const s = record.scores[name];
      sum += s;
      min = Math.min(min, s);
      max = Math.max(max, s);
    }
    const mean = sum / n;
    scores[name] = mean;
    normalizedScores[name] = (mean - 1) / 4;
    maxScoreDiff[name] = max - min;
  }

  const tokenVotes = plan.tokens.map(() => 0);
  for (const { record } of plan.records) for (const t of record.misalignedTokens) tokenVotes[t]! += 1;
  // Strict majority: a tie (votes = N / 2) counts as aligned.
  const misaligned = tokenVotes.map((v) => 2 * v > n);

  const artifactPng = encodeItemHeatmap(plan, 'artifact', grid);
  const misalignmentPng = encodeItemHeatmap(plan, 'misalignment', grid);
  const item: DatasetItem = {
    id: plan.id,
    image: plan.image,
    prompt: plan.prompt,
    imageWidth: plan.imageWidth,
    imageHeight: plan.imageHeight,
    annotators: plan.records.map((r) => r.annotator),
    scores,
    normalizedScores,
    maxScoreDiff,
    tokens: [...plan.tokens],
    tokenVotes,
    promptMisalignmentLabel: misaligned.map((m) => (m ? '0' : '1')).join(' '),
    labeledPrompt: plan.tokens.map((t, i) => (misaligned[i] ? `${t}_0` : t)).join(' '),
    artifactHeatmap: bytesToBase64(artifactPng),
    misalignmentHeatmap: bytesToBase64(misalignmentPng),
    // fromEntries defines own properties, so an annotator called "__proto__" stays a key.
    points: Object.fromEntries(plan.records.map((r): [string, Point[]] => [r.annotator, r.record.points.map((p) => ({ kind: p.kind, x: p.x, y: p.y }))])),
  };
  return { item, artifactPng, misalignmentPng };
}

export function consolidateItem(plan: ItemPlan<RecordContent>, grid: GridSize): DatasetItem {
  return consolidateItemWithPngs(plan, grid).item;
}

export interface ConsolidateOptions {
  readonly grid?: GridSize;
}

export type ConsolidateResult = { ok: true; dataset: Dataset } | ({ ok: false } & ProblemReport);

/** Everything in memory: for small inputs and tests. Large inputs go item by item. */
export function consolidate(input: PlanInput, options: ConsolidateOptions = {}): ConsolidateResult {
  const grid = options.grid ?? DEFAULT_GRID;
  const plan = planConsolidation(input);
  if (plan.errors.length > 0) return { ok: false, errors: plan.errors, unlisted: plan.unlisted };
  return {
    ok: true,
    dataset: {
      format: DATASET_FORMAT,
      version: DATASET_VERSION,
      pack: plan.pack,
      heatmapWidth: grid.width,
      heatmapHeight: grid.height,
      items: plan.items.map((p) => consolidateItem(p, grid)),
      skipped: plan.skipped,
      warnings: plan.warnings,
    },
  };
}
