import { bytesToBase64 } from '../encode/base64.ts';
import { SCORE_NAMES, type PointKind, type ScoreName } from '../formats/common.ts';
import { DATASET_FORMAT, DATASET_VERSION, type Dataset, type DatasetItem } from '../formats/dataset.ts';
import type { Point } from '../formats/annotations.ts';
import type { ProblemReport } from '../formats/problems.ts';
import { combineAnnotators, rasterizeLevels, type Heatmap, type Size, type XY } from './heatmap.ts';
import { defaultDeflate, encodeGrayPng, encodeGrayPngScanlines, type Deflate } from '../encode/png.ts';
import { planConsolidation, type ItemPlan, type PlanInput } from './plan.ts';

/**
 * Step 2 of consolidation: one item's plan -> one dataset item, by RichHF-18K's rules
 * (mean scores, strict-majority word votes, mean disc heatmaps). Pure and deterministic:
 * the same plan gives the same item in the browser, a worker or the command line.
 */

/**
 * Encodes a heatmap (grid cells, row-major) as PNG bytes. Encoders made by pngEncoder also
 * carry their deflate, which lets consolidation rasterize straight into reused PNG scanlines
 * (same bytes, no per-map allocation or copy); any other function works too, more slowly.
 */
export type EncodePng = ((gray: Uint8Array, grid: Size) => Uint8Array) & { readonly deflate?: Deflate };

/** The default encoder: encodeGrayPng with the given deflate (fflate's pure JS by default). */
export function pngEncoder(deflate: Deflate = defaultDeflate): EncodePng {
  return Object.assign((gray: Uint8Array, grid: Size) => encodeGrayPng(grid.width, grid.height, gray, deflate), { deflate });
}

/** The all-zero map's PNG, encoded once per encoder and grid size. */
const zeroPngs = new WeakMap<EncodePng, Map<string, Uint8Array>>();
function zeroPng(grid: Size, encodePng: EncodePng): Uint8Array {
  let bySize = zeroPngs.get(encodePng);
  if (!bySize) zeroPngs.set(encodePng, (bySize = new Map()));
  const key = `${grid.width}x${grid.height}`;
  let png = bySize.get(key);
  if (!png) bySize.set(key, (png = encodePng(new Uint8Array(grid.width * grid.height), grid)));
  return png;
}

/** Zero-filled scanline buffers (stride Wg + 1), one per grid size; cleared after each use. */
const scanlines = new Map<string, Uint8Array>();

function pointsOf(plan: ItemPlan, kind: PointKind): XY[][] {
  return plan.records.map((r) => r.record.points.filter((p) => p.kind === kind));
}

function encodeItemHeatmap(plan: ItemPlan, kind: PointKind, grid: Size, encodePng: EncodePng): Uint8Array {
  const image = { width: plan.imageWidth, height: plan.imageHeight };
  const deflate = encodePng.deflate;
  if (!deflate) {
    const map = combineAnnotators(pointsOf(plan, kind), image, grid);
    return map.empty ? zeroPng(grid, encodePng) : encodePng(map.gray, grid);
  }
  const stride = grid.width + 1;
  const key = `${grid.width}x${grid.height}`;
  let raw = scanlines.get(key);
  if (!raw) scanlines.set(key, (raw = new Uint8Array(stride * grid.height)));
  const rows = rasterizeLevels(pointsOf(plan, kind), image, grid, raw, { stride, offset: 1 });
  if (rows.empty) return zeroPng(grid, encodePng);
  try {
    return encodeGrayPngScanlines(grid.width, grid.height, raw, deflate);
  } finally {
    raw.fill(0, rows.rowStart * stride, (rows.rowEnd + 1) * stride);
  }
}

/** The item's heatmap of one kind as levels and an emptiness flag (for overlays and export). */
export function itemHeatmap(plan: ItemPlan, kind: PointKind, grid: Size): Heatmap {
  return combineAnnotators(pointsOf(plan, kind), { width: plan.imageWidth, height: plan.imageHeight }, grid);
}

/** The item's heatmap of one kind: Wg x Hg 8-bit levels, row-major, top-left origin. */
export function heatmapLevels(plan: ItemPlan, kind: PointKind, grid: Size): Uint8Array {
  return itemHeatmap(plan, kind, grid).gray;
}

type PerScore = Record<ScoreName, number>;

/** A dataset item plus its two PNGs as bytes (the TFRecord export needs them unencoded). */
export interface ConsolidatedItem {
  readonly item: DatasetItem;
  readonly artifactPng: Uint8Array;
  readonly misalignmentPng: Uint8Array;
}

export function consolidateItemWithPngs(plan: ItemPlan, grid: Size, encodePng: EncodePng): ConsolidatedItem {
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

  const artifactPng = encodeItemHeatmap(plan, 'artifact', grid, encodePng);
  const misalignmentPng = encodeItemHeatmap(plan, 'misalignment', grid, encodePng);
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

export function consolidateItem(plan: ItemPlan, grid: Size, encodePng: EncodePng = pngEncoder()): DatasetItem {
  return consolidateItemWithPngs(plan, grid, encodePng).item;
}

export const DEFAULT_GRID: Size = { width: 512, height: 512 };

export interface ConsolidateOptions {
  readonly grid?: Size;
  readonly encodePng?: EncodePng;
}

export type ConsolidateResult = { ok: true; dataset: Dataset } | ({ ok: false } & ProblemReport);

/** Everything in memory: for small inputs and tests. Large inputs go item by item. */
export function consolidate(input: PlanInput, options: ConsolidateOptions = {}): ConsolidateResult {
  const grid = options.grid ?? DEFAULT_GRID;
  const encodePng = options.encodePng ?? pngEncoder();
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
      items: plan.items.map((p) => consolidateItem(p, grid, encodePng)),
      skipped: plan.skipped,
      warnings: plan.warnings,
    },
  };
}
