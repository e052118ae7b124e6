import { SCORE_NAMES, type ScoreName } from '../formats/common.ts';
import type { Dataset, DatasetItem } from '../formats/dataset.ts';
import type { Parsed } from '../formats/located.ts';
import { Problems } from '../formats/problems.ts';
import type { PredictionItem, Predictions } from '../formats/predictions.ts';
import { decodeBase64GrayPng, pureInflate, type GrayImage, type Inflate } from '../encode/pngDecode.ts';
import { pearson, spearman } from './correlation.ts';
import { JITTER_SEED, jitterField, type JitterField } from './jitter.ts';
import { HEATMAP_FIGURES, HEATMAP_KINDS, type EvaluationReport, type Figure, type HeatmapFigure, type HeatmapKind, type ItemEvaluation } from './report.ts';
import { resizeBilinear } from './resize.ts';
import { createWorkspace, heatmapMetrics, heatmapMetrics8, type HeatmapMetrics, type HeatmapWorkspace } from './saliency.ts';
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

/** value / 255 for every 8-bit level: the same doubles as the division, without dividing per pixel. */
const LEVEL = Float64Array.from({ length: 256 }, (_, v) => v / 255);

/**
 * Score a model's predictions against a dataset (both already validated by their schemas).
 * Items are matched by id; a prediction whose id is not in the dataset, a token index outside
 * the item's tokens, a PNG that does not decode or a dataset map not of the grid's size are
 * errors (the first 50 of each file are listed, located in their file). Dataset items without a prediction
 * are listed in `missing`. Figures are means over items in dataset order.
 */
export function evaluate(dataset: Dataset, predictions: Predictions, options: EvaluateOptions): Parsed<EvaluationReport> {
  const { datasetFile, predictionsFile } = options;
  const errors = new Problems();
  const byId = new Map<string, number>();
  dataset.items.forEach((item, i) => byId.set(item.id, i));

  // Cheap checks first, so that a wrong file fails before any PNG is decoded.
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

  const seed = options.seed ?? JITTER_SEED;
  const gw = dataset.heatmapWidth;
  const gh = dataset.heatmapHeight;
  const heat = new HeatmapAccumulator(gw, gh, seed, options.inflate ?? pureInflate);

  const perItem: ItemEvaluation[] = [];
  const scorePairs = Object.fromEntries(SCORE_NAMES.map((s) => [s, { x: [] as number[], y: [] as number[] }])) as Record<ScoreName, { x: number[]; y: number[] }>;
  const words: WordCounts[] = [];
  const missing: string[] = [];
  let tokens = 0;

  dataset.items.forEach((dItem, di) => {
    options.onProgress?.(di + 1, dataset.items.length);
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
      const predicted = item[FIELD[kind]];
      if (predicted === undefined) continue;
      const m = heat.add(kind, dItem, di, predicted, index, datasetFile, predictionsFile, errors);
      if (m) itemEval.heatmaps[kind] = m;
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
    grid: { width: gw, height: gh },
    jitter: { generator: 'mulberry32', seed },
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

/**
 * Decodes map pairs into reused buffers and sums their figures. The jitter field and the
 * scratch buffers (about 20 MB at 512x512) are made once for the grid, at the first map.
 */
class HeatmapAccumulator {
  private buffers?: { jitter: JitterField; ws: HeatmapWorkspace; p: Float64Array; g: Float64Array; zeroGt: GrayImage };
  private readonly sums = emptyRecord(() => 0);
  private readonly ns = emptyRecord(() => 0);
  /** Empty ground-truth maps by their base64 text: datasets repeat one all-zero PNG. */
  private readonly emptyGt = new Map<string, true>();

  constructor(
    private readonly gw: number,
    private readonly gh: number,
    private readonly seed: number,
    private readonly inflate: Inflate,
  ) {}

  private get b() {
    if (!this.buffers) {
      const { gw, gh } = this;
      const pixels = gw * gh;
      this.buffers = {
        jitter: jitterField(pixels, this.seed),
        ws: createWorkspace(pixels),
        p: new Float64Array(pixels),
        g: new Float64Array(pixels),
        zeroGt: { width: gw, height: gh, data: new Uint8Array(pixels), maxValue: 255 },
      };
    }
    return this.buffers;
  }

  add(kind: HeatmapKind, dItem: DatasetItem, di: number, predicted: string, pi: number, dFile: string, pFile: string, errors: Problems): HeatmapMetrics | null {
    const { gw, gh } = this;
    const b = this.b;
    const field = FIELD[kind];
    const pDec = decodeBase64GrayPng(predicted, this.inflate);
    if (!pDec.ok) {
      errors.addError({ file: pFile, path: `items[${pi}].${field}`, message: `not a valid PNG (${pDec.reason})` });
      return null;
    }
    const gText = dItem[field];
    let gImg: GrayImage | undefined = this.emptyGt.has(gText) ? b.zeroGt : undefined;
    if (!gImg) {
      const gDec = decodeBase64GrayPng(gText, this.inflate);
      if (!gDec.ok) {
        errors.addError({ file: dFile, path: `items[${di}].${field}`, message: `not a valid PNG (${gDec.reason})` });
        return null;
      }
      gImg = gDec.image;
      if (gImg.width !== gw || gImg.height !== gh) {
        errors.addError({ file: dFile, path: `items[${di}].${field}`, message: `map is ${gImg.width}x${gImg.height}, the dataset's grid is ${gw}x${gh}` });
        return null;
      }
      if (this.emptyGt.size < 16 && isZero(gImg.data)) this.emptyGt.set(gText, true);
    }
    if (errors.has()) return null;

    const pImg = pDec.image;
    let m: HeatmapMetrics;
    if (pImg.width === gw && pImg.height === gh && is8bit(pImg) && is8bit(gImg)) {
      m = heatmapMetrics8(pImg.data, gImg.data, b.jitter, b.ws);
    } else {
      toValues(gImg, b.g);
      if (pImg.width === gw && pImg.height === gh) toValues(pImg, b.p);
      else {
        const src = new Float64Array(pImg.width * pImg.height);
        toValues(pImg, src);
        resizeBilinear(src, pImg.width, pImg.height, gw, gh, b.p);
      }
      m = heatmapMetrics(b.p, b.g, b.jitter, b.ws);
    }
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
    return m;
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

function is8bit(img: GrayImage): img is GrayImage & { data: Uint8Array } {
  return img.maxValue === 255 && img.data instanceof Uint8Array;
}

function isZero(data: Uint8Array | Uint16Array): boolean {
  for (let i = 0; i < data.length; i++) if (data[i] !== 0) return false;
  return true;
}

/** Fill `out` with data / maxValue. */
function toValues(img: GrayImage, out: Float64Array): void {
  const { data, maxValue } = img;
  const n = img.width * img.height;
  if (maxValue === 255) for (let i = 0; i < n; i++) out[i] = LEVEL[data[i]!]!;
  else for (let i = 0; i < n; i++) out[i] = data[i]! / maxValue;
}
