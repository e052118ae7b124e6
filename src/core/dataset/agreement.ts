/**
 * Agreement statistics for the lead's review page: how much the annotators of each item agree,
 * and how each annotator compares with the others. Pure and cheap; the dataset itself is made
 * by the consolidation engine, these numbers only help the lead decide what to trust.
 *
 * Definitions (all documented in the review page's help text too):
 * - Score spread of an item = max - min of its N integer scores (the dataset's `maxScoreDiff`).
 *   The RichHF paper's agreement figure is the histogram of spreads 0..4; we report the share
 *   with spread 0 (perfect agreement) and with spread <= 1 (good agreement).
 * - Consensus score = the mean of the item's N scores (the dataset's `scores`).
 * - Annotator bias (per score) = mean over the annotator's items with N >= 2 of
 *   (own score - consensus score). The consensus includes the annotator's own score, exactly as
 *   in the dataset, so a lone dissenter among 3 shows 2/3 of their distance to the others.
 * - Point agreement: each annotator's points of one kind are rasterized as a binary mask on a
 *   coarse AGREEMENT_GRID x AGREEMENT_GRID grid with the dataset's disc rule (grid cell centre
 *   inside a disc of radius H / 20 image pixels). For two annotators of the same item, the Dice
 *   coefficient 2|A and B| / (|A| + |B|) of their masks; pairs where both masks are empty are
 *   left out (nothing to agree on). An annotator's point agreement is the mean Dice over all
 *   (item, kind, other annotator) pairs that are not left out; an item's heatmap agreement is
 *   the mean Dice over all its annotator pairs and both kinds (null when nothing is left).
 */
import type { LikertScores, Point, PointKind, ScoreName } from '../formats/index.ts';
import { POINT_KINDS, SCORE_NAMES } from '../formats/index.ts';
import { gridSize } from './grid.ts';
import { rasterizeDiscs } from './heatmap.ts';
import type { ItemPlan } from './plan.ts';
import { compareCodeUnits } from '../text/compare.ts';

/** Side of the coarse grid (in cells) used for point agreement; 64 keeps 20,000 items fast. */
export const AGREEMENT_GRID = 64;

/** One annotator's (latest) record for one item, as the agreement statistics need it. */
export interface Rating {
  readonly annotator: string;
  readonly scores: LikertScores;
  readonly activeMs: number;
  readonly points: readonly Point[];
  readonly misalignedTokens: readonly number[];
  readonly submittedAt: string;
}

/** An item with one rating per distinct annotator, sorted by annotator id (code-unit order). */
export interface RatedItem {
  readonly id: string;
  readonly imageWidth: number;
  readonly imageHeight: number;
  readonly ratings: readonly Rating[];
}

/**
 * An item of the consolidation plan (plan.ts) as the agreement statistics see it: the same
 * records consolidation keeps (per annotator the latest by submittedAt, ties broken by content),
 * in the same order (annotator ids in code-unit order). The review page computes its table and
 * summary from these, so agreement and dataset never disagree on which record counts.
 */
export function ratedItemFromPlan(plan: ItemPlan): RatedItem {
  return {
    id: plan.id,
    imageWidth: plan.imageWidth,
    imageHeight: plan.imageHeight,
    ratings: plan.records.map(({ annotator, record }) => ({
      annotator,
      scores: record.scores,
      activeMs: record.activeMs,
      points: record.points,
      misalignedTokens: record.misalignedTokens,
      submittedAt: record.submittedAt,
    })),
  };
}

export type ScoreRecord = Record<ScoreName, number>;

function perScore(f: (name: ScoreName) => number): ScoreRecord {
  return { plausibility: f('plausibility'), alignment: f('alignment'), aesthetics: f('aesthetics'), overall: f('overall') };
}

/** Mean of the ratings' scores, per score (NaN for an item without ratings). */
export function consensusScores(ratings: readonly Rating[]): ScoreRecord {
  return perScore((s) => ratings.reduce((acc, r) => acc + r.scores[s], 0) / ratings.length);
}

/** max - min of the ratings' scores, per score (0 for fewer than two ratings). */
export function scoreSpreads(ratings: readonly Rating[]): ScoreRecord {
  return perScore((s) => {
    if (ratings.length === 0) return 0;
    let lo = Infinity;
    let hi = -Infinity;
    for (const r of ratings) {
      lo = Math.min(lo, r.scores[s]);
      hi = Math.max(hi, r.scores[s]);
    }
    return hi - lo;
  });
}

export interface SpreadHistogram {
  /** counts[d] = number of items whose spread is d, for d = 0..4. */
  readonly counts: readonly number[];
  readonly total: number;
  /** Share (0..1) of items with spread 0, and with spread <= 1; 0 when there are no items. */
  readonly shareZero: number;
  readonly shareAtMostOne: number;
}

/** The RichHF paper's agreement histogram for one score. Spreads are integers 0..4. */
export function spreadHistogram(spreads: readonly number[]): SpreadHistogram {
  const counts = [0, 0, 0, 0, 0];
  for (const d of spreads) counts[Math.min(4, Math.max(0, Math.round(d)))]! += 1;
  const total = spreads.length;
  return {
    counts,
    total,
    shareZero: total ? counts[0]! / total : 0,
    shareAtMostOne: total ? (counts[0]! + counts[1]!) / total : 0,
  };
}

/** Bin edges of the mean-score histogram: [1, 1.5), [1.5, 2), ..., [4.5, 5] (the last bin is closed). */
export const MEAN_BINS = 8;

/** Histogram of mean scores in [1, 5] over MEAN_BINS equal bins of width 0.5. */
export function meanHistogram(means: readonly number[]): number[] {
  const counts = new Array<number>(MEAN_BINS).fill(0);
  for (const m of means) {
    if (!Number.isFinite(m)) continue;
    const bin = Math.min(MEAN_BINS - 1, Math.max(0, Math.floor((m - 1) / 0.5)));
    counts[bin]! += 1;
  }
  return counts;
}

/** Median of a list of numbers (mean of the two middle values for an even count); NaN when empty. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/**
 * Binary mask (1 = covered) of one kind of points on a gw x gh grid: exactly the dataset's
 * per-annotator heatmap rule (heatmap.ts), on a coarser grid. Row-major, origin top-left.
 */
export function discMask(points: readonly Point[], kind: PointKind, width: number, height: number, gw: number, gh: number): Uint8Array {
  return rasterizeDiscs(
    points.filter((p) => p.kind === kind),
    { width, height },
    gridSize(gw, gh),
  );
}

/** Dice coefficient 2|A and B| / (|A| + |B|) of two binary masks; null when both are empty. */
export function dice(a: Uint8Array, b: Uint8Array): number | null {
  let both = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    na += x;
    nb += y;
    both += x & y;
  }
  return na + nb === 0 ? null : (2 * both) / (na + nb);
}

/** Dice of every annotator pair of one item, per kind: pairs[k][i][j] for i < j (null: both empty). */
function pairwiseDice(item: RatedItem, grid: number): Record<PointKind, (number | null)[][]> {
  const out = {} as Record<PointKind, (number | null)[][]>;
  const n = item.ratings.length;
  for (const kind of POINT_KINDS) {
    const has = item.ratings.map((r) => r.points.some((p) => p.kind === kind));
    const masks = item.ratings.map((r, i) => (has[i] ? discMask(r.points, kind, item.imageWidth, item.imageHeight, grid, grid) : null));
    const m: (number | null)[][] = [];
    for (let i = 0; i < n; i++) {
      const row: (number | null)[] = [];
      for (let j = 0; j < n; j++) {
        const a = masks[i];
        const b = masks[j];
        if (j <= i) row.push(null);
        else if (!a && !b) row.push(null);
        else if (!a || !b)
          row.push(0); // one marked something, the other nothing there
        else row.push(dice(a, b));
      }
      m.push(row);
    }
    out[kind] = m;
  }
  return out;
}

/** Mean Dice over the item's annotator pairs and both kinds; null when no pair marked anything. */
export function itemHeatmapAgreement(item: RatedItem, grid = AGREEMENT_GRID): number | null {
  const pairs = pairwiseDice(item, grid);
  let sum = 0;
  let n = 0;
  for (const kind of POINT_KINDS) {
    for (const row of pairs[kind]) {
      for (const d of row) {
        if (d !== null) {
          sum += d;
          n++;
        }
      }
    }
  }
  return n ? sum / n : null;
}

/** One row of the review table. */
export interface ItemSummary {
  readonly id: string;
  readonly done: number;
  readonly means: ScoreRecord;
  readonly spreads: ScoreRecord;
  /** Mean pairwise Dice of the annotators' point masks (null: nobody marked anything / one annotator). */
  readonly heatmapAgreement: number | null;
  readonly lowAgreement: boolean;
}

export interface LowAgreementRule {
  /** An item is flagged when any score spread is >= this (default 3). */
  readonly spreadAtLeast: number;
  /** ... or when its heatmap agreement is below this (default 0.2). */
  readonly heatmapBelow: number;
}

export const DEFAULT_LOW_AGREEMENT: LowAgreementRule = { spreadAtLeast: 3, heatmapBelow: 0.2 };

export function summarizeItem(item: RatedItem, rule: LowAgreementRule = DEFAULT_LOW_AGREEMENT, grid = AGREEMENT_GRID): ItemSummary {
  const spreads = scoreSpreads(item.ratings);
  const heat = item.ratings.length >= 2 ? itemHeatmapAgreement(item, grid) : null;
  const lowAgreement = SCORE_NAMES.some((s) => spreads[s] >= rule.spreadAtLeast) || (heat !== null && heat < rule.heatmapBelow);
  return { id: item.id, done: item.ratings.length, means: consensusScores(item.ratings), spreads, heatmapAgreement: heat, lowAgreement };
}

export interface AnnotatorStats {
  readonly annotator: string;
  readonly itemsDone: number;
  /** Median of `activeMs` over the annotator's items, in milliseconds. */
  readonly medianActiveMs: number;
  /** Mean (own - consensus) per score over items with >= 2 annotators; NaN when there are none. */
  readonly bias: ScoreRecord;
  /** Mean Dice with the other annotators (see the file comment); null when nothing to compare. */
  readonly pointAgreement: number | null;
  /** How many (item, kind, other annotator) pairs the point agreement is the mean of. */
  readonly pointPairs: number;
}

/** Per-annotator statistics over a set of items, sorted by annotator id. */
export function annotatorStats(items: readonly RatedItem[], grid = AGREEMENT_GRID): AnnotatorStats[] {
  interface Acc {
    done: number;
    active: number[];
    biasSum: ScoreRecord;
    biasN: number;
    diceSum: number;
    diceN: number;
  }
  const acc = new Map<string, Acc>();
  const get = (a: string): Acc => {
    let x = acc.get(a);
    if (!x) {
      x = { done: 0, active: [], biasSum: perScore(() => 0), biasN: 0, diceSum: 0, diceN: 0 };
      acc.set(a, x);
    }
    return x;
  };
  for (const item of items) {
    const n = item.ratings.length;
    const cons = consensusScores(item.ratings);
    for (const r of item.ratings) {
      const x = get(r.annotator);
      x.done++;
      x.active.push(r.activeMs);
      if (n >= 2) {
        for (const s of SCORE_NAMES) x.biasSum[s] += r.scores[s] - cons[s];
        x.biasN++;
      }
    }
    if (n < 2) continue;
    const pairs = pairwiseDice(item, grid);
    for (const kind of POINT_KINDS) {
      pairs[kind].forEach((row, i) =>
        row.forEach((d, j) => {
          if (d === null) return;
          for (const k of [i, j]) {
            const x = get(item.ratings[k]!.annotator);
            x.diceSum += d;
            x.diceN++;
          }
        }),
      );
    }
  }
  return [...acc]
    .sort(([a], [b]) => compareCodeUnits(a, b))
    .map(([annotator, x]) => ({
      annotator,
      itemsDone: x.done,
      medianActiveMs: median(x.active),
      bias: perScore((s) => (x.biasN ? x.biasSum[s] / x.biasN : NaN)),
      pointAgreement: x.diceN ? x.diceSum / x.diceN : null,
      pointPairs: x.diceN,
    }));
}

/** The agreement summary of a whole set (items with at least `minAnnotators` ratings only). */
export interface AgreementSummary {
  readonly items: number;
  readonly spreads: Record<ScoreName, SpreadHistogram>;
  readonly means: Record<ScoreName, number[]>;
  readonly annotators: AnnotatorStats[];
}

export function agreementSummary(items: readonly RatedItem[], summaries: readonly ItemSummary[], minAnnotators: number, grid = AGREEMENT_GRID): AgreementSummary {
  const complete = summaries.filter((s) => s.done >= minAnnotators);
  const spreads = {} as Record<ScoreName, SpreadHistogram>;
  const means = {} as Record<ScoreName, number[]>;
  for (const s of SCORE_NAMES) {
    spreads[s] = spreadHistogram(complete.map((c) => c.spreads[s]));
    means[s] = meanHistogram(complete.map((c) => c.means[s]));
  }
  return { items: complete.length, spreads, means, annotators: annotatorStats(items, grid) };
}
