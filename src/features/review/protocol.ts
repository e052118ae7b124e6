/**
 * Messages between the review page and its worker (consolidate.worker.ts). Plain data only
 * (structured clone); heatmaps and export files travel as transferred ArrayBuffers.
 * Every request carries an id; the worker answers it once (result or error), and may send
 * progress messages with the same id before that.
 */
import type { AgreementSummary, ItemSummary, LowAgreementRule } from '../../core/dataset/agreement.ts';
import type { LikertScores, Point, ScoreName, TaskPack } from '../../core/formats/index.ts';
import type { EvaluationReport } from '../../core/metrics/report.ts';

export interface GridSize {
  readonly width: number;
  readonly height: number;
}

/** An annotation file by handle: the worker reads it, so the page never holds its text. */
export interface FileInput {
  readonly name: string;
  readonly blob: Blob;
}

/** Outcome of one file's import: accepted with its annotator, or rejected with located errors. */
export type FileOutcome =
  | { readonly name: string; readonly ok: true; readonly annotator: string; readonly records: number }
  | { readonly name: string; readonly ok: false; readonly errors: readonly string[] };

export interface Analysis {
  /** One summary per pack item that has at least one annotator, in pack order. */
  readonly rows: readonly ItemSummary[];
  readonly summary: AgreementSummary;
  readonly warnings: readonly string[];
}

export interface ItemDetail {
  readonly id: string;
  readonly imageWidth: number;
  readonly imageHeight: number;
  readonly tokens: readonly string[];
  readonly tokenVotes: readonly number[];
  /** Strict majority of the annotators marked the token (the dataset's rule). */
  readonly misaligned: readonly boolean[];
  readonly ratings: readonly { readonly annotator: string; readonly scores: LikertScores; readonly points: readonly Point[]; readonly activeMs: number }[];
  readonly means: Record<ScoreName, number>;
  readonly grid: GridSize;
  /** grid.width x grid.height 8-bit levels, row-major, top-left origin. */
  readonly artifact: Uint8Array;
  readonly misalignment: Uint8Array;
}

export type ExportKind = 'dataset' | 'tfrecord' | 'masks' | 'subset';

export interface ExportOptions {
  readonly grid: GridSize;
  /** Items with fewer annotators are skipped; undefined = the pack's annotatorsPerItem. */
  readonly minAnnotators?: number;
  readonly maskThreshold: number;
  readonly maskDilation: number;
  readonly subset: Record<ScoreName, number>;
}

export interface ExportResult {
  readonly fileName: string;
  /** Blobs are passed by handle: the file's bytes are not copied between threads. */
  readonly blob: Blob;
  readonly items: number;
  readonly skipped: number;
  readonly warnings: readonly string[];
}

/** One item's prediction as the item view shows it (maps at their own size, 8-bit levels). */
export interface PredictedMaps {
  readonly id: string;
  readonly scores: Partial<Record<ScoreName, number>> | null;
  readonly misalignedTokens: readonly number[] | null;
  readonly artifact?: { readonly width: number; readonly height: number; readonly gray: Uint8Array };
  readonly misalignment?: { readonly width: number; readonly height: number; readonly gray: Uint8Array };
}

export type EvaluationResult = { readonly ok: true; readonly report: EvaluationReport } | { readonly ok: false; readonly errors: readonly string[] };

export type Request =
  | { readonly type: 'init'; readonly pack: TaskPack }
  | { readonly type: 'addFiles'; readonly files: readonly FileInput[] }
  | { readonly type: 'removeFile'; readonly name: string }
  | { readonly type: 'analyze'; readonly rule: LowAgreementRule; readonly minAnnotators: number }
  | { readonly type: 'item'; readonly itemId: string; readonly grid: GridSize }
  | { readonly type: 'export'; readonly kind: ExportKind; readonly options: ExportOptions }
  | { readonly type: 'evaluate'; readonly name: string; readonly blob: Blob; readonly grid: GridSize; readonly minAnnotators?: number }
  | { readonly type: 'prediction'; readonly itemId: string }
  | { readonly type: 'cancelExport' };

export interface Results {
  init: null;
  addFiles: readonly FileOutcome[];
  removeFile: null;
  analyze: Analysis;
  item: ItemDetail | null;
  export: ExportResult;
  evaluate: EvaluationResult;
  prediction: PredictedMaps | null;
  cancelExport: null;
}

export interface Progress {
  readonly done: number;
  readonly total: number;
  readonly phase: string;
}

export type Reply =
  | { readonly id: number; readonly kind: 'result'; readonly result: unknown }
  | { readonly id: number; readonly kind: 'error'; readonly message: string }
  | { readonly id: number; readonly kind: 'progress'; readonly progress: Progress };

export type Envelope = Request & { readonly id: number };
