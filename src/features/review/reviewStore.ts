/**
 * The review page's state: the pack, the imported files (their contents live in the worker and
 * in IndexedDB), the table rows and agreement summary from the worker, the lead's settings and
 * the export status. Updated only through the actions below.
 */
import { create } from 'zustand';
import { compareCodeUnits } from '../../core/text/compare.ts';
import type { AgreementSummary, ItemSummary } from '../../core/dataset/agreement.ts';
import type { LoadedPack } from '../pack/loadedPack.ts';
import { deleteReviewFile, listReviewFiles, loadReviewSettings, putReviewFile, saveReviewSettings } from '../../storage/reviewFiles.ts';
import type { EvaluationReport } from '../../core/metrics/report.ts';
import type { Quality } from '../../core/formats/quality.ts';
import type { ExportKind, FileInput, ItemDetail, PredictedMaps, JobProgress } from './protocol.ts';
import { DEFAULT_GRID, parseGridSize } from '../../core/dataset/grid.ts';
import { DEFAULT_SETTINGS, restoreSettings, type ReviewSettings } from './settings.ts';
import { ReviewWorker } from './workerClient.ts';
import { downloadBlob } from '../files/download.ts';
import { describeStorageError } from '../../storage/storageError.ts';

export interface ImportedFile {
  readonly name: string;
  readonly annotator: string;
  readonly records: number;
  /**
   * Its bytes (a reference, not a copy): on a pack of both kinds the comparison report reads the
   * same files (ReviewPage.tsx), so one import feeds both.
   */
  readonly blob: Blob;
}

export interface RejectedFile {
  readonly name: string;
  readonly errors: readonly string[];
}

export interface ExportStatus {
  readonly kind: ExportKind;
  readonly progress: JobProgress | null;
  readonly message: string | null;
  readonly failed: boolean;
}

interface ReviewState {
  pack: LoadedPack | null;
  files: ImportedFile[];
  rejected: RejectedFile[];
  rows: ItemSummary[];
  summary: AgreementSummary | null;
  /** Per-annotator quality of the imported files, with the thresholds of the settings. */
  quality: Quality | null;
  /** Each annotator's items (ordinary and gold), in pack order. */
  itemsOf: ReadonlyMap<string, readonly string[]>;
  warnings: string[];
  settings: ReviewSettings;
  /** True while files are being read, validated or analysed. */
  busy: boolean;
  exportStatus: ExportStatus | null;
  selectedId: string | null;
  /** What went wrong in the last action that failed (storage, worker), until dismissed. */
  actionError: string | null;
  dismissError(): void;

  /**
   * `keepFiles: false` (the collection server's dashboard): files come from the server, so none
   * are read from or written to this browser's storage.
   */
  start(pack: LoadedPack, options?: { keepFiles?: boolean }): Promise<void>;
  importFiles(files: readonly File[]): Promise<void>;
  removeFile(name: string): Promise<void>;
  setSettings(patch: Partial<ReviewSettings>): void;
  select(id: string | null): void;
  runExport(kind: ExportKind): Promise<void>;
  cancelExport(): void;
  /** One item's detail with its heatmaps on the dataset's grid (computed in the worker). */
  fetchItem(id: string): Promise<ItemDetail | null>;

  /** Model evaluation (issue 5): the report for the last predictions file, per-item maps on demand. */
  evaluation: { readonly name: string; readonly report: EvaluationReport } | null;
  evaluationErrors: string[];
  evaluating: JobProgress | null;
  loadPredictions(file: File): Promise<void>;
  fetchPrediction(id: string): Promise<PredictedMaps | null>;
}

let worker: ReviewWorker | null = null;
function getWorker(): ReviewWorker {
  worker ??= new ReviewWorker();
  return worker;
}

/** For the page's unmount: stop the worker so its memory goes. */
export function stopReviewWorker(): void {
  worker?.terminate();
  worker = null;
}

export const useReviewStore = create<ReviewState>()((set, get) => {
  let keepFiles = true;

  async function accept(inputs: readonly FileInput[], persist: boolean): Promise<void> {
    const pack = get().pack;
    if (!pack || inputs.length === 0) return;
    const outcomes = await getWorker().request({ type: 'addFiles', files: inputs });
    const accepted: ImportedFile[] = [];
    const rejected: RejectedFile[] = [];
    for (const o of outcomes) {
      if (o.ok) accepted.push({ name: o.name, annotator: o.annotator, records: o.records, blob: inputs.find((t) => t.name === o.name)!.blob });
      else rejected.push({ name: o.name, errors: o.errors });
    }
    if (persist && keepFiles) {
      const now = new Date().toISOString();
      const kept = await Promise.allSettled(accepted.map((a) => putReviewFile({ pack: pack.pack.name, name: a.name, blob: a.blob, importedAt: now })));
      const lost = accepted.filter((_, i) => kept[i]!.status === 'rejected').map((a) => a.name);
      const why = kept.find((k) => k.status === 'rejected');
      if (why) fail(`${lost.join(', ')}: imported, but not kept in this browser (it will be gone after a reload): ${describeStorageError(why.reason)}`);
    }
    set((s) => ({
      evaluation: accepted.length ? null : s.evaluation,
      files: [...s.files.filter((f) => !accepted.some((a) => a.name === f.name)), ...accepted].sort((a, b) => compareCodeUnits(a.name, b.name)),
      rejected,
    }));
  }

  async function analyze(): Promise<void> {
    const { settings } = get();
    const analysis = await getWorker().request({
      type: 'analyze',
      rule: { spreadAtLeast: settings.lowSpread, heatmapBelow: settings.lowHeatmap },
      minAnnotators: settings.minAnnotators,
    });
    set({ rows: [...analysis.rows], summary: analysis.summary, warnings: [...analysis.warnings] });
    await refreshQuality();
  }

  /** The quality table: measured by the worker once per set of files, flagged again for new thresholds. */
  async function refreshQuality(): Promise<void> {
    const view = await getWorker().request({ type: 'quality', thresholds: get().settings.quality });
    set({ quality: view.quality, itemsOf: new Map(view.itemsOf) });
  }

  function fail(message: string): void {
    set({ actionError: message });
  }

  /** Settings changes are written once the lead stops changing them (slider drags), in milliseconds. */
  const SETTINGS_SETTLE_MS = 200;

  return {
    pack: null,
    files: [],
    rejected: [],
    rows: [],
    summary: null,
    quality: null,
    itemsOf: new Map(),
    warnings: [],
    settings: DEFAULT_SETTINGS,
    busy: false,
    exportStatus: null,
    selectedId: null,
    actionError: null,
    evaluation: null,
    evaluationErrors: [],
    evaluating: null,

    async start(pack, options) {
      keepFiles = options?.keepFiles ?? true;
      set({
        pack,
        files: [],
        rejected: [],
        rows: [],
        summary: null,
        quality: null,
        itemsOf: new Map(),
        warnings: [],
        busy: true,
        selectedId: null,
        evaluation: null,
        evaluationErrors: [],
        actionError: null,
      });
      try {
        // Without storage the page still works on files imported now; it says they are not kept.
        const [stored, settings] = await Promise.all([keepFiles ? listReviewFiles(pack.pack.name) : { files: [], setAside: [] }, loadReviewSettings()]).catch((e: unknown) => {
          fail(`The files imported before could not be read from this browser's storage: ${describeStorageError(e)}`);
          return [{ files: [], setAside: [] }, undefined] as const;
        });
        if (stored.setAside.length > 0) fail(`Stored files that could not be read back were set aside (not deleted): ${stored.setAside.join('; ')}`);
        set({ settings: restoreSettings(settings) });
        // The engine gets the whole pack, as `richhf consolidate` does: on a pack of both kinds its
        // comparison records are checked against their items and left to the comparison report.
        await getWorker().request({ type: 'init', pack: pack.pairs?.pack ?? pack.pack });
        await accept(
          stored.files.map((f) => ({ name: f.name, blob: f.blob })),
          false,
        );
        await analyze();
      } catch (e) {
        fail(`The review could not start: ${describeStorageError(e)}`);
      } finally {
        set({ busy: false });
      }
    },

    async importFiles(list) {
      // The last import's rejections go: what is shown is about these files.
      set({ busy: true, rejected: [] });
      try {
        await accept(
          list.map((f) => ({ name: f.name, blob: f })),
          true,
        );
        await analyze();
      } catch (e) {
        fail(`The files could not be imported: ${describeStorageError(e)}`);
      } finally {
        set({ busy: false });
      }
    },

    async removeFile(name) {
      const pack = get().pack;
      if (!pack) return;
      set({ busy: true });
      try {
        await getWorker().request({ type: 'removeFile', name });
        set((s) => ({ files: s.files.filter((f) => f.name !== name), evaluation: null }));
        if (keepFiles)
          await deleteReviewFile(pack.pack.name, name).catch((e: unknown) =>
            fail(`${name}: removed here, but not from this browser's storage (it will come back after a reload): ${describeStorageError(e)}`),
          );
        await analyze();
      } catch (e) {
        fail(`${name} could not be removed: ${describeStorageError(e)}`);
      } finally {
        set({ busy: false });
      }
    },

    setSettings(patch) {
      const prev = get().settings;
      const settings = { ...prev, ...patch };
      set({ settings });
      saveReviewSettings(settings, SETTINGS_SETTLE_MS).catch((e: unknown) => fail(`The settings could not be saved: ${describeStorageError(e)}`));
      const reanalyze = patch.lowSpread !== undefined || patch.lowHeatmap !== undefined || patch.minAnnotators !== undefined;
      if (reanalyze && get().pack) analyze().catch((e: unknown) => fail(`The agreement could not be computed: ${describeStorageError(e)}`));
      else if (patch.quality !== undefined && get().pack) refreshQuality().catch((e: unknown) => fail(`The quality table could not be computed: ${describeStorageError(e)}`));
    },

    dismissError() {
      set({ actionError: null });
    },

    cancelExport() {
      getWorker()
        .request({ type: 'cancelExport' })
        .catch((e: unknown) => fail(`The export could not be cancelled: ${describeStorageError(e)}`));
    },

    fetchItem(id) {
      const grid = parseGridSize(get().settings.heatmapSize) ?? DEFAULT_GRID;
      return getWorker()
        .request({ type: 'item', itemId: id, grid })
        .catch((e: unknown) => (fail(`Item ${id} could not be shown: ${describeStorageError(e)}`), null));
    },

    async loadPredictions(file) {
      const { settings } = get();
      const grid = parseGridSize(settings.heatmapSize);
      if (!grid) {
        set({ evaluationErrors: [`Heatmap size "${settings.heatmapSize}" is not N or WxH`] });
        return;
      }
      set({ evaluating: { done: 0, total: 1, phase: 'Reading' }, evaluationErrors: [] });
      try {
        const result = await getWorker().request({ type: 'evaluate', name: file.name, blob: file, grid, minAnnotators: settings.minAnnotators || undefined }, (progress) =>
          set({ evaluating: progress }),
        );
        if (result.ok) set({ evaluation: { name: file.name, report: result.report } });
        else set({ evaluationErrors: [...result.errors] });
      } catch (e) {
        set({ evaluationErrors: [(e as Error).message] });
      } finally {
        set({ evaluating: null });
      }
    },

    fetchPrediction(id) {
      return getWorker()
        .request({ type: 'prediction', itemId: id })
        .catch((e: unknown) => (fail(`The prediction for item ${id} could not be shown: ${describeStorageError(e)}`), null));
    },

    select(id) {
      set({ selectedId: id });
    },

    async runExport(kind) {
      const { pack, settings } = get();
      if (!pack) return;
      const grid = parseGridSize(settings.heatmapSize);
      if (!grid) {
        set({ exportStatus: { kind, progress: null, message: `Heatmap size "${settings.heatmapSize}" is not N or WxH`, failed: true } });
        return;
      }
      set({ exportStatus: { kind, progress: { done: 0, total: 1, phase: 'starting' }, message: null, failed: false } });
      try {
        const result = await getWorker().request(
          {
            type: 'export',
            kind,
            options: {
              grid,
              minAnnotators: settings.minAnnotators || undefined,
              maskThreshold: settings.maskThreshold,
              maskDilation: settings.maskDilation,
              subset: settings.subset,
              ...(kind === 'parquet' ? { imageUrls: pack.imageUrls } : {}),
            },
          },
          (progress) => set({ exportStatus: { kind, progress, message: null, failed: false } }),
        );
        downloadBlob(result.blob, result.fileName);
        set({
          exportStatus: {
            kind,
            progress: null,
            message: `Exported ${result.fileName}: ${result.items} items, ${result.skipped} skipped, ${result.warnings.length} warnings`,
            failed: false,
          },
        });
      } catch (e) {
        const message = (e as Error).message;
        set({ exportStatus: { kind, progress: null, message, failed: message !== 'Export cancelled' } });
      }
    },
  };
});
