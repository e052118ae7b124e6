import type { Quality, QualityThresholds } from '../core/formats/quality.ts';
import { qualityThresholdsSchema } from '../core/formats/quality.ts';
import { isRatingRecord } from '../core/formats/annotations.ts';
import { DEFAULT_QUALITY_THRESHOLDS, flagAnnotators, type AnnotatorFigures, type QualityItem } from '../core/quality/qualityReport.ts';
import { measureQualityOffThread } from '../node/qualityThread.ts';
import type { Db } from './db/database.ts';
import { annotatorIds, rejections, storedThresholds, storeThresholds } from './db/decisions.ts';
import { currentRecords } from './db/submissions.ts';
import type { ServedPack } from './servedPack.ts';

/**
 * `GET /api/v1/quality`: core's quality model (src/core/quality) on the server's records, gold
 * items included, with the lead's thresholds. Measuring reads every record and takes seconds of
 * CPU on a big pack (on a worker thread, so the server keeps answering), so the figures are kept
 * until something changes them: this
 * server's submissions, invitations and decisions call `changed()`. Other servers' writes on a
 * shared PostgreSQL are seen within MAX_AGE_MS. Flags are cheap and computed on each request
 * (new thresholds apply at once).
 *
 * Submissions rejected on their own are left out of the model; a rejected annotator is measured
 * (status "rejected") but is never one of the others for anyone (qualityFigures.ts).
 */
const MAX_AGE_MS = 10_000;

export class QualityReports {
  private generation = 0;
  private cached: { readonly generation: number; readonly at: number; readonly figures: Promise<AnnotatorFigures[]> } | undefined;

  constructor(
    private readonly db: Db,
    private readonly pack: ServedPack,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Something the figures rest on changed (a submission, an invitation, a decision). */
  changed(): void {
    this.generation++;
  }

  async thresholds(): Promise<QualityThresholds> {
    const stored = await storedThresholds(this.db);
    if (stored === undefined) return DEFAULT_QUALITY_THRESHOLDS;
    // Written by storeThresholds after the same check; a value from an older server is read loosely.
    const parsed = qualityThresholdsSchema.safeParse(JSON.parse(stored));
    return parsed.success ? parsed.data : DEFAULT_QUALITY_THRESHOLDS;
  }

  async setThresholds(t: QualityThresholds): Promise<void> {
    await storeThresholds(this.db, t);
  }

  async report(): Promise<Quality> {
    const [figures, thresholds] = await Promise.all([this.figures(), this.thresholds()]);
    return { annotators: flagAnnotators(figures, thresholds), thresholds };
  }

  private figures(): Promise<AnnotatorFigures[]> {
    const now = this.clock();
    const c = this.cached;
    if (c && c.generation === this.generation && now - c.at < MAX_AGE_MS) return c.figures;
    const figures = this.measure();
    const entry = { generation: this.generation, at: now, figures };
    this.cached = entry;
    // A failed read is not kept.
    figures.catch(() => {
      if (this.cached === entry) this.cached = undefined;
    });
    return figures;
  }

  private async measure(): Promise<AnnotatorFigures[]> {
    const [records, rejected, annotators] = await Promise.all([currentRecords(this.db), rejections(this.db), annotatorIds(this.db)]);
    const byItem = new Map<string, { annotator: string; record: QualityItem['records'][number]['record']; width: number; height: number }[]>();
    for (const { annotator, record } of records) {
      // Comparison records have no gold and no points: the quality model is the rating items'.
      if (!isRatingRecord(record)) continue;
      if (rejected.submissions.has(`${record.itemId}\n${annotator}`)) continue;
      let list = byItem.get(record.itemId);
      if (!list) byItem.set(record.itemId, (list = []));
      list.push({ annotator, record, width: record.imageWidth, height: record.imageHeight });
    }
    const items: QualityItem[] = [];
    for (const [id, list] of byItem) {
      const served = this.pack.items.get(id);
      items.push({
        id,
        imageWidth: list[0]!.width,
        imageHeight: list[0]!.height,
        records: list.map((r) => ({ annotator: r.annotator, record: r.record })),
        gold: served?.item.gold,
      });
    }
    return measureQualityOffThread({ items, rejected: rejected.annotators, annotators });
  }
}
