import { SCORE_NAMES, type ScoreName } from '../formats/common.ts';
import type { Dataset } from '../formats/dataset.ts';
import type { Parsed } from '../formats/located.ts';
import { Problems } from '../formats/problems.ts';
import type { PredictionItem, Predictions } from '../formats/predictions.ts';
import { pureInflate, type Inflate } from '../encode/pngDecode.ts';
import { pearson, spearman } from './correlation.ts';
import { PairScorer, type MapPair, type PairGrid, type PairScore } from './heatmapPair.ts';
import { JITTER_SEED } from './jitter.ts';
import { HEATMAP_FIGURES, HEATMAP_KINDS, type EvaluationReport, type Figure, type HeatmapFigure, type HeatmapKind, type ItemEvaluation } from './report.ts';
import type { HeatmapMetrics } from './saliency.ts';
import { averageWords, precisionRecall, wordCounts, type WordCounts } from './words.ts';

export interface EvaluateOptions {
  /** Names the files are known by, for located errors. */
  readonly datasetFile: string;
  readonly predictionsFile: string;
  /** AUC-Judd jitter seed (default JITTER_SEED). */
  readonly seed?: number;
  /** Keep per-item figures in the report (`items`). */
  readonly perItem?: boolean;
  /** zlib decompressor for the PNGs (default pure JS; the command line passes node's native zlib). */
  readonly inflate?: Inflate;
  /** Called after each dataset item with (items done, dataset items), for progress bars. */
  readonly onProgress?: (done: number, total: number) => void;
}

const FIELD: Record<HeatmapKind, 'artifactHeatmap' | 'misalignmentHeatmap'> = { artifact: 'artifactHeatmap', misalignment: 'misalignmentHeatmap' };

/**
 * Score a model's predictions against a dataset (both already validated by their schemas).
 * Items are matched by id; a prediction whose id is not in the dataset, a token index outside
 * the item's tokens, a PNG that does not decode or a dataset map not of the grid's size are
 * errors (the first 50 of each file are listed, located in their file). Dataset items without a prediction
 * are listed in `missing`. Figures are means over items in dataset order.
 */
export function evaluate(dataset: Dataset, predictions: Predictions, options: EvaluateOptions): Parsed<EvaluationReport> {
  const plan = planEvaluation(dataset, predictions, options);
  if (!plan.ok) return plan;
  const scorer = new PairScorer(plan.value.grid, options.inflate ?? pureInflate);
  return reportEvaluation(dataset, predictions, plan.value, (k) => scorer.score(plan.value.pairs[k]!), options);
}

/** Scores a run's map pairs, in their order: in this thread or spread over others. */
export type ScorePairs = (grid: PairGrid, pairs: readonly MapPair[]) => Promise<readonly PairScore[]>;

/**
 * evaluate with the map pairs scored by `scorePairs` (the command line's worker threads): the
 * same checks, the same report, the same figures to the last bit, since each pair's figures do
 * not depend on where it is scored and the sums are taken here, in dataset order. `onProgress`
 * is scorePairs' business.
 */
export async function evaluateWith(
  dataset: Dataset,
  predictions: Predictions,
  options: Omit<EvaluateOptions, 'onProgress'>,
  scorePairs: ScorePairs,
): Promise<Parsed<EvaluationReport>> {
  const plan = planEvaluation(dataset, predictions, options);
  if (!plan.ok) return plan;
  const scores = await scorePairs(plan.value.grid, plan.value.pairs);
  return reportEvaluation(dataset, predictions, plan.value, (k) => scores[k]!, options);
}

/** The matched items and the map pairs to score, in dataset order. */
interface EvaluationPlan {
  readonly grid: PairGrid;
  /** Per dataset item, its prediction and the prediction's index in its file. */
  readonly predOf: ReadonlyMap<number, { readonly item: PredictionItem; readonly index: number }>;
  /** Per dataset item, whether each token is misaligned (RichHF-18K's label 0). */
  readonly truths: readonly (readonly boolean[])[];
  readonly pairs: readonly MapPair[];
}

/** The cheap checks, so that a wrong file fails before any PNG is decoded; then the pairs. */
function planEvaluation(dataset: Dataset, predictions: Predictions, options: EvaluateOptions | Omit<EvaluateOptions, 'onProgress'>): Parsed<EvaluationPlan> {
  const { datasetFile, predictionsFile } = options;
  const errors = new Problems();
  const byId = new Map<string, number>();
  dataset.items.forEach((item, i) => byId.set(item.id, i));
  const predOf = new Map<number, { item: PredictionItem; index: number }>();
  predictions.items.forEach((item, index) => {
    const di = byId.get(item.id);
    if (di === undefined) {
      errors.addError({ file: predictionsFile, path: `items[${index}].id`, message: `"${item.id}" is not in the dataset` });
      return;
    }
    predOf.set(di, { item, index });
    const tokens = dataset.items[di]!.tokens.length;
    item.misalignedTokens?.forEach((t, j) => {
      if (t >= tokens)
        errors.addError({ file: predictionsFile, path: `items[${index}].misalignedTokens[${j}]`, message: `token index ${t} is outside the item's ${tokens} tokens` });
    });
  });
  const truths = dataset.items.map((item, i) => {
    const labels = item.promptMisalignmentLabel === '' ? [] : item.promptMisalignmentLabel.split(' ');
    if (labels.length !== item.tokens.length) {
      errors.addError({ file: datasetFile, path: `items[${i}].promptMisalignmentLabel`, message: `${labels.length} labels for ${item.tokens.length} tokens` });
    }
    // RichHF-18K's convention: 0 = misaligned.
    return labels.map((l) => l === '0');
  });
  if (errors.has()) return { ok: false, ...errors.report() };
  const pairs: MapPair[] = [];
  dataset.items.forEach((dItem, di) => {
    const pred = predOf.get(di)?.item;
    if (!pred) return;
    for (const kind of HEATMAP_KINDS) {
      const predicted = pred[FIELD[kind]];
      if (predicted !== undefined) pairs.push({ truth: dItem[FIELD[kind]], predicted });
    }
  });
  const grid = { width: dataset.heatmapWidth, height: dataset.heatmapHeight, seed: options.seed ?? JITTER_SEED };
  return { ok: true, value: { grid, predOf, truths, pairs } };
}

/** The report from the plan and each pair's score (asked for in pair order, once each). */
function reportEvaluation(
  dataset: Dataset,
  predictions: Predictions,
  plan: EvaluationPlan,
  scoreOf: (pair: number) => PairScore,
  options: EvaluateOptions | Omit<EvaluateOptions, 'onProgress'>,
): Parsed<EvaluationReport> {
  const { datasetFile, predictionsFile } = options;
  const onProgress = 'onProgress' in options ? options.onProgress : undefined;
  const { grid, predOf, truths } = plan;
  const errors = new Problems();
  const heat = new HeatmapSums();
  const perItem: ItemEvaluation[] = [];
  const scorePairs = Object.fromEntries(SCORE_NAMES.map((s) => [s, { x: [] as number[], y: [] as number[] }])) as Record<ScoreName, { x: number[]; y: number[] }>;
  const words: WordCounts[] = [];
  const missing: string[] = [];
  let tokens = 0;
  let pair = 0;

  dataset.items.forEach((dItem, di) => {
    onProgress?.(di + 1, dataset.items.length);
    const pred = predOf.get(di);
    if (!pred) {
      missing.push(dItem.id);
      return;
    }
    const { item, index } = pred;
    for (const s of SCORE_NAMES) {
      const v = item.scores?.[s];
      if (v !== undefined) {
        scorePairs[s].x.push(v);
        scorePairs[s].y.push(dItem.normalizedScores[s]);
      }
    }
    const itemEval: { id: string; heatmaps: Partial<Record<HeatmapKind, HeatmapMetrics>>; words?: ReturnType<typeof precisionRecall> } = { id: dItem.id, heatmaps: {} };
    for (const kind of HEATMAP_KINDS) {
      if (item[FIELD[kind]] === undefined) continue;
      const score = scoreOf(pair++);
      if (!score.ok) {
        const located = score.map === 'predicted' ? { file: predictionsFile, path: `items[${index}].${FIELD[kind]}` } : { file: datasetFile, path: `items[${di}].${FIELD[kind]}` };
        errors.addError({ ...located, message: score.message });
      } else if (!errors.has()) {
        heat.add(kind, score.metrics);
        itemEval.heatmaps[kind] = score.metrics;
      }
    }
    if (item.misalignedTokens) {
      const c = wordCounts(truths[di]!, item.misalignedTokens);
      words.push(c);
      tokens += truths[di]!.length;
      itemEval.words = precisionRecall(c);
    }
    if (options.perItem) perItem.push(itemEval);
  });
  if (errors.has()) return { ok: false, ...errors.report() };

  const wordAvg = averageWords(words);
  const report: EvaluationReport = {
    model: predictions.model ?? null,
    pack: dataset.pack,
    grid: { width: grid.width, height: grid.height },
    jitter: { generator: 'mulberry32', seed: grid.seed },
    scores: Object.fromEntries(
      SCORE_NAMES.map((s) => [s, { plcc: pearson(scorePairs[s].x, scorePairs[s].y), srcc: spearman(scorePairs[s].x, scorePairs[s].y) }]),
    ) as EvaluationReport['scores'],
    heatmaps: heat.figures(),
    words: {
      precision: wordAvg?.macro.precision ?? null,
      recall: wordAvg?.macro.recall ?? null,
      f1: wordAvg?.macro.f1 ?? null,
      micro: { precision: wordAvg?.micro.precision ?? null, recall: wordAvg?.micro.recall ?? null, f1: wordAvg?.micro.f1 ?? null },
    },
    counts: {
      datasetItems: dataset.items.length,
      predictionItems: predictions.items.length,
      evaluatedItems: predOf.size,
      scores: Object.fromEntries(SCORE_NAMES.map((s) => [s, scorePairs[s].x.length])) as Record<ScoreName, number>,
      heatmaps: heat.counts(),
      words: words.length,
      tokens,
    },
    missing: { predictions: missing },
    ...(options.perItem ? { items: perItem } : {}),
  };
  return { ok: true, value: report };
}

/** The heatmap figures summed per kind in dataset order, with the number of maps behind each. */
class HeatmapSums {
  private readonly sums = emptyRecord(() => 0);
  private readonly ns = emptyRecord(() => 0);

  add(kind: HeatmapKind, m: HeatmapMetrics): void {
    const s = this.sums[kind];
    const n = this.ns[kind];
    s.mse += m.mse;
    n.mse++;
    if (m.empty) {
      s.mseEmpty += m.mse;
      n.mseEmpty++;
    } else {
      for (const f of ['cc', 'kld', 'sim', 'nss', 'aucJudd'] as const) {
        const v = m[f];
        if (v !== null) {
          s[f] += v;
          n[f]++;
        }
      }
    }
  }

  figures(): Record<HeatmapKind, Record<HeatmapFigure, Figure>> {
    return mapKinds((k) => Object.fromEntries(HEATMAP_FIGURES.map((f) => [f, this.ns[k][f] ? this.sums[k][f] / this.ns[k][f] : null])) as Record<HeatmapFigure, Figure>);
  }

  counts(): Record<HeatmapKind, Record<HeatmapFigure, number>> {
    return mapKinds((k) => ({ ...this.ns[k] }));
  }
}

function emptyRecord(zero: () => number): Record<HeatmapKind, Record<HeatmapFigure, number>> {
  return mapKinds(() => Object.fromEntries(HEATMAP_FIGURES.map((f) => [f, zero()])) as Record<HeatmapFigure, number>);
}

function mapKinds<T>(f: (k: HeatmapKind) => T): Record<HeatmapKind, T> {
  return { artifact: f('artifact'), misalignment: f('misalignment') };
}
