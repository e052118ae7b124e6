import { SCORE_NAMES, type PointKind, type ScoreName } from '../formats/common.ts';
import type { DatasetItem, SkippedItem } from '../formats/dataset.ts';
import { GOLD_SKIP_REASON } from './plan.ts';

/**
 * The agreement summary of a dataset (`richhf stats`), after the RichHF paper: for each score
 * the histogram of maxScoreDiff (share 0 = perfect agreement, <= 1 = good agreement), how
 * often annotators agree on words, and how much of the heatmaps is covered.
 */
export interface ScoreAgreement {
  /** histogram[d] = number of items with maxScoreDiff d, d = 0..4. */
  readonly histogram: number[];
  readonly perfectShare: number;
  readonly goodShare: number;
}

export interface HeatmapCoverage {
  /** Items whose map has at least one non-zero cell. */
  readonly nonEmptyItems: number;
  /** Mean over items of the share of cells > 0 (any annotator). */
  readonly meanCoverage: number;
  /** Mean over items of the share of cells >= 128 (at least half the annotators). */
  readonly meanMajorityCoverage: number;
}

export interface DatasetStats {
  readonly items: number;
  readonly skipped: number;
  /** Of the skipped items, the gold items (quality control only, never in a dataset). */
  readonly goldSkipped: number;
  readonly meanAnnotators: number;
  readonly scores: Record<ScoreName, ScoreAgreement>;
  readonly tokens: { total: number; unanimous: number; misaligned: number; unanimousShare: number; misalignedShare: number };
  readonly heatmaps: Record<PointKind, HeatmapCoverage>;
}

const share = (part: number, whole: number) => (whole === 0 ? 0 : part / whole);

/** `decodeMap` turns a base64 PNG into its cells (decodeGrayPng with a fast inflate in Node). */
export function datasetStats(items: readonly DatasetItem[], skipped: readonly SkippedItem[], decodeMap: (base64: string) => Uint8Array): DatasetStats {
  const hist = Object.fromEntries(SCORE_NAMES.map((n) => [n, [0, 0, 0, 0, 0]])) as Record<ScoreName, number[]>;
  let annotators = 0;
  let total = 0;
  let unanimous = 0;
  let misaligned = 0;
  const cov = { artifact: { nonEmpty: 0, any: 0, majority: 0 }, misalignment: { nonEmpty: 0, any: 0, majority: 0 } };
  for (const item of items) {
    const n = item.annotators.length;
    annotators += n;
    for (const name of SCORE_NAMES) hist[name][Math.min(4, Math.max(0, Math.round(item.maxScoreDiff[name])))]! += 1;
    for (const v of item.tokenVotes) {
      total++;
      if (v === 0 || v === n) unanimous++;
      if (2 * v > n) misaligned++;
    }
    for (const [kind, key] of [
      ['artifact', 'artifactHeatmap'],
      ['misalignment', 'misalignmentHeatmap'],
    ] as const) {
      const cells = decodeMap(item[key]);
      let any = 0;
      let majority = 0;
      for (let i = 0; i < cells.length; i++) {
        const v = cells[i]!;
        if (v > 0) any++;
        if (v >= 128) majority++;
      }
      const c = cov[kind];
      if (any > 0) c.nonEmpty++;
      c.any += share(any, cells.length);
      c.majority += share(majority, cells.length);
    }
  }
  const scores = Object.fromEntries(
    SCORE_NAMES.map((name) => {
      const h = hist[name];
      return [name, { histogram: h, perfectShare: share(h[0]!, items.length), goodShare: share(h[0]! + h[1]!, items.length) }];
    }),
  ) as Record<ScoreName, ScoreAgreement>;
  const heat = (c: { nonEmpty: number; any: number; majority: number }): HeatmapCoverage => ({
    nonEmptyItems: c.nonEmpty,
    meanCoverage: share(c.any, items.length),
    meanMajorityCoverage: share(c.majority, items.length),
  });
  return {
    items: items.length,
    skipped: skipped.length,
    goldSkipped: skipped.filter((s) => s.reason === GOLD_SKIP_REASON).length,
    meanAnnotators: share(annotators, items.length),
    scores,
    tokens: { total, unanimous, misaligned, unanimousShare: share(unanimous, total), misalignedShare: share(misaligned, total) },
    heatmaps: { artifact: heat(cov.artifact), misalignment: heat(cov.misalignment) },
  };
}
