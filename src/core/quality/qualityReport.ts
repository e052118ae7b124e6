/**
 * The quality model's entry points: the per-annotator report (`GET /api/v1/quality`, `richhf
 * quality`, the review page) from items with their records, and those items from a
 * consolidation plan. Measuring (qualityFigures.ts) is the costly part; flagging (flags.ts) is
 * cheap, so a caller that changes thresholds keeps the figures and flags again.
 */
import type { ConsolidationPlan } from '../dataset/plan.ts';
import type { Quality, QualityThresholds } from '../formats/quality.ts';
import { isRatingItem, type TaskPack } from '../formats/taskpack.ts';
import { DEFAULT_QUALITY_THRESHOLDS, flagAnnotators } from './flags.ts';
import { measureQuality, type QualityInput, type QualityItem } from './qualityFigures.ts';

export { DEFAULT_QUALITY_THRESHOLDS, flagAnnotators } from './flags.ts';
export { measureQuality, type AnnotatorFigures, type QualityInput, type QualityItem } from './qualityFigures.ts';

/**
 * The items of a plan made with minAnnotators 1 (so that every annotated item is in it): its
 * ordinary items, and its gold items with the pack's reference. Records are the plan's: one per
 * annotator, the newest (newestRecord.ts), exactly those consolidation keeps.
 */
export function qualityItemsFromPlan(pack: TaskPack, plan: Pick<ConsolidationPlan, 'items' | 'gold'>): QualityItem[] {
  const gold = new Map(pack.items.flatMap((item) => (isRatingItem(item) && item.gold ? [[item.id, item.gold] as const] : [])));
  return [...plan.items, ...plan.gold.map((item) => ({ ...item, gold: gold.get(item.id) }))];
}

export function qualityReport(input: QualityInput, thresholds: QualityThresholds = DEFAULT_QUALITY_THRESHOLDS): Quality {
  return { annotators: flagAnnotators(measureQuality(input), thresholds), thresholds };
}
