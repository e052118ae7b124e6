/**
 * Messages between the review page and its worker (review.worker.ts). Plain data only
 * (structured clone); heatmaps travel as transferred ArrayBuffers, files as Blob handles.
 * When requests are handled, and in which order, is review.worker.ts's rule (see there).
 */
import type { AgreementSummary, ItemSummary, LowAgreementRule } from '../../core/dataset/agreement.ts';
import type { Gold, LikertScores, Point, ScoreName, TaskPack } from '../../core/formats/index.ts';
import type { Quality, QualityThresholds } from '../../core/formats/quality.ts';
import type { EvaluationReport } from '../../core/metrics/report.ts';
import type { GridSize } from '../../core/annotate/geometry.ts';

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
  /** A gold item's reference answer (the item is never in the dataset); null for an ordinary item. */
  readonly gold: Gold | null;
}

/** The quality report of the imported files, and each annotator's items (ordinary and gold, in pack order). */
export interface QualityView {
  readonly quality: Quality;
  /** [annotator, item ids] pairs, sorted by annotator (pairs, not an object: ids are untrusted keys). */
  readonly itemsOf: readonly (readonly [string, readonly string[]])[];
}

/** `parquet`: a ZIP of the files `richhf consolidate --parquet DIR` writes (parquetZip.ts). */
export type ExportKind = 'dataset' | 'tfrecord' | 'masks' | 'subset' | 'parquet';

export interface ExportOptions {
  readonly grid: GridSize;
  /** Items with fewer annotators are skipped; undefined = the pack's annotatorsPerItem. */
  readonly minAnnotators?: number;
  readonly maskThreshold: number;
  readonly maskDilation: number;
  readonly subset: Record<ScoreName, number>;
  /**
   * For `parquet`: where the worker reads each item's image, in the pack's item order (the
   * loaded pack's URLs: blob: URLs of the files the lead picked, or http(s) URLs).
   */
  readonly imageUrls?: readonly string[];
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

/**
 * Every call the page can make, with its payload and its result: the one declaration both
 * sides are typed from (workerClient.ts on the page, review.worker.ts in the worker).
 */
export interface Calls {
  init: { request: { readonly pack: TaskPack }; result: null };
  addFiles: { request: { readonly files: readonly FileInput[] }; result: readonly FileOutcome[] };
  removeFile: { request: { readonly name: string }; result: null };
  analyze: { request: { readonly rule: LowAgreementRule; readonly minAnnotators: number }; result: Analysis };
  item: { request: { readonly itemId: string; readonly grid: GridSize }; result: ItemDetail | null };
  /** Per-annotator quality (src/core/quality); the figures are kept until the files change, so new thresholds only flag again. */
  quality: { request: { readonly thresholds: QualityThresholds }; result: QualityView };
  export: { request: { readonly kind: ExportKind; readonly options: ExportOptions }; result: ExportResult };
  evaluate: { request: { readonly name: string; readonly blob: Blob; readonly grid: GridSize; readonly minAnnotators?: number }; result: EvaluationResult };
  prediction: { request: { readonly itemId: string }; result: PredictedMaps | null };
  /** Stops the running exports (they fail with "Export cancelled"). */
  cancelExport: { request: object; result: null };
}

export type CallType = keyof Calls;
/** A request of type K; for a union of types, the union of their requests (each type with its own payload). */
export type RequestOf<K extends CallType = CallType> = { [P in K]: { readonly type: P } & Calls[P]['request'] }[K];
export type ResultOf<K extends CallType> = Calls[K]['result'];

/** How far a long worker job (an export, an evaluation) is: not the server's progress (core/formats/apiLead.ts). */
export interface JobProgress {
  readonly done: number;
  readonly total: number;
  readonly phase: string;
}

/** A request as posted: every request carries an id, and its replies carry the same id. */
export type Envelope<K extends CallType = CallType> = RequestOf<K> & { readonly id: number };

/** The one result of a request of type K. */
export interface ResultReply<K extends CallType = CallType> {
  readonly id: number;
  readonly kind: 'result';
  readonly type: K;
  readonly result: ResultOf<K>;
}

/** The worker answers each request once (result or error), after any number of progress messages. */
export type Reply =
  ResultReply | { readonly id: number; readonly kind: 'error'; readonly message: string } | { readonly id: number; readonly kind: 'progress'; readonly progress: JobProgress };
