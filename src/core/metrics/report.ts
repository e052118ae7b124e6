import { SCORE_NAMES, type ScoreName } from '../formats/common.ts';
import type { HeatmapMetrics } from './saliency.ts';
import type { PrecisionRecall } from './words.ts';

/**
 * The evaluation report: the same numbers printed as a table by `richhf evaluate` and written
 * as JSON with `--json`, keyed as issue 5 says. A figure is null when it is undefined (no item
 * behind it, or a constant side for a correlation); `counts` mirrors the figures with the
 * number of items behind each.
 */
export const HEATMAP_KINDS = ['artifact', 'misalignment'] as const;
export type HeatmapKind = (typeof HEATMAP_KINDS)[number];
export const HEATMAP_FIGURES = ['mse', 'mseEmpty', 'cc', 'kld', 'sim', 'nss', 'aucJudd'] as const;
export type HeatmapFigure = (typeof HEATMAP_FIGURES)[number];

export type Figure = number | null;

export interface EvaluationReport {
  readonly model: string | null;
  readonly pack: string;
  /** The dataset's heatmap grid, in grid cells; predictions of another size were resized to it. */
  readonly grid: { readonly width: number; readonly height: number };
  /** The AUC-Judd jitter generator, so that a run can be reproduced. */
  readonly jitter: { readonly generator: 'mulberry32'; readonly seed: number };
  readonly scores: Record<ScoreName, { readonly plcc: Figure; readonly srcc: Figure }>;
  readonly heatmaps: Record<HeatmapKind, Record<HeatmapFigure, Figure>>;
  readonly words: {
    readonly precision: Figure;
    readonly recall: Figure;
    readonly f1: Figure;
    readonly micro: { readonly precision: Figure; readonly recall: Figure; readonly f1: Figure };
  };
  readonly counts: {
    readonly datasetItems: number;
    readonly predictionItems: number;
    /** Dataset items that have a prediction item (with or without parts). */
    readonly evaluatedItems: number;
    readonly scores: Record<ScoreName, number>;
    readonly heatmaps: Record<HeatmapKind, Record<HeatmapFigure, number>>;
    readonly words: number;
    /** Tokens behind the micro-averaged word figures. */
    readonly tokens: number;
  };
  /** Dataset item ids with no prediction item, in dataset order. */
  readonly missing: { readonly predictions: readonly string[] };
  /** Per-item figures, only when asked for (the review page shows them next to the maps). */
  readonly items?: readonly ItemEvaluation[];
}

export interface ItemEvaluation {
  readonly id: string;
  readonly heatmaps: Partial<Record<HeatmapKind, HeatmapMetrics>>;
  readonly words?: PrecisionRecall;
}

const HEATMAP_LABELS: Record<HeatmapFigure, string> = {
  mse: 'MSE',
  mseEmpty: 'MSE(empty)',
  cc: 'CC',
  kld: 'KLD',
  sim: 'SIM',
  nss: 'NSS',
  aucJudd: 'AUC-Judd',
};

function fmt(x: Figure, digits: number): string {
  return x === null ? '—' : x.toFixed(digits);
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows
    .map((r) =>
      r
        .map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/**
 * The paper-style text table: scores (PLCC, SRCC), heatmaps (MSE to 5 decimals, the rest to 3)
 * and misaligned words, each row with the number of items behind it; "—" marks an undefined figure.
 */
export function formatReportTable(r: EvaluationReport): string {
  const c = r.counts;
  const head = [
    `Model ${r.model ?? '(unnamed)'} on dataset ${r.pack} (${r.grid.width}x${r.grid.height} grid)`,
    `${c.datasetItems} dataset items, ${c.predictionItems} predictions, ${c.evaluatedItems} evaluated` +
      (r.missing.predictions.length ? `; no prediction for ${r.missing.predictions.length}: ${preview(r.missing.predictions)}` : ''),
  ];
  const scores = table([['Scores', 'PLCC', 'SRCC', 'items'], ...SCORE_NAMES.map((s) => [s, fmt(r.scores[s].plcc, 3), fmt(r.scores[s].srcc, 3), String(c.scores[s])])]);
  const heat = table([
    ['Heatmaps', ...HEATMAP_HEADERS, 'items (all/empty/non-empty)'],
    ...HEATMAP_KINDS.map((k) => {
      const h = r.heatmaps[k];
      const n = c.heatmaps[k];
      return [k, ...HEATMAP_FIGURES.map((f) => fmt(h[f], f === 'mse' || f === 'mseEmpty' ? 5 : 3)), `${n.mse}/${n.mseEmpty}/${n.cc}`];
    }),
  ]);
  const w = r.words;
  const words = table([
    ['Misaligned words', 'precision', 'recall', 'F1', 'items'],
    ['per-item mean', fmt(w.precision, 3), fmt(w.recall, 3), fmt(w.f1, 3), String(c.words)],
    ['micro (all tokens)', fmt(w.micro.precision, 3), fmt(w.micro.recall, 3), fmt(w.micro.f1, 3), `${c.tokens} tokens`],
  ]);
  const note = `AUC-Judd jitter: ${r.jitter.generator}, seed ${r.jitter.seed}.`;
  return `${head.join('\n')}\n\n${scores}\n\n${heat}\n\n${words}\n\n${note}\n`;
}

const HEATMAP_HEADERS = HEATMAP_FIGURES.map((f) => HEATMAP_LABELS[f]);

function preview(ids: readonly string[]): string {
  const shown = ids.slice(0, 5).join(', ');
  return ids.length > 5 ? `${shown}, …` : shown;
}
