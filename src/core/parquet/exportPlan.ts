import type { Size } from '../annotate/geometry.ts';
import type { ConsolidationPlan } from '../dataset/plan.ts';
import { isRatingItem, type TaskItem, type TaskPack } from '../formats/taskpack.ts';
import { compareCodeUnits } from '../text/compare.ts';
import { datasetCard } from './card.ts';
import type { SplitFiles } from './parquetDataset.ts';
import { packSplitCount, type SplitRule } from './split.ts';

/**
 * What the Parquet export needs of a consolidation plan, apart from the writer so that the
 * thread that plans (and writes the card) does not load hyparquet-writer: each item's id and
 * image, and the annotators' pseudonyms. Small, plain data, to hand to a writer thread.
 */
export interface ExportItem {
  readonly id: string;
  /** The pack's image reference (a path inside the pack's folder or an http(s) URL). */
  readonly image: string;
}

/**
 * The pack's own split of each (rating) item that names one: they win over the rule. Here, not
 * in split.ts, which the writer thread loads: telling the kinds of items apart is taskpack.ts's,
 * and with it zod (60 ms of that thread's start).
 */
export function packSplits(pack: { readonly items: readonly TaskItem[] }): Map<string, string> {
  return new Map(pack.items.flatMap((i) => (isRatingItem(i) && i.split !== undefined ? [[i.id, i.split] as const] : [])));
}

/** The plan's items, in its order. */
export function exportItems(plan: ConsolidationPlan): ExportItem[] {
  return plan.items.map((i) => ({ id: i.id, image: i.image }));
}

/**
 * Pseudonyms for every annotator of the plan: `annotator-001`, … numbered by their ids in
 * code-unit order (the same annotator is the same pseudonym on every item).
 */
export function annotatorPseudonyms(plan: ConsolidationPlan): Map<string, string> {
  const ids = new Set<string>();
  for (const item of plan.items) for (const r of item.records) ids.add(r.annotator);
  const sorted = [...ids].sort(compareCodeUnits);
  const width = Math.max(3, String(sorted.length).length);
  return new Map(sorted.map((id, i) => [id, `annotator-${String(i + 1).padStart(width, '0')}`]));
}

/** How a Parquet export was made, for its card: the heatmap grid, the minimum kept, the splits written and their rule. */
export interface CardOptions {
  readonly grid: Size;
  readonly minAnnotators: number;
  readonly splits: readonly SplitFiles[];
  readonly rule: SplitRule;
  readonly keepAnnotatorIds: boolean;
}

/** The dataset card of `plan`'s Parquet export: one for the command line, the server and the review page. */
export function planCard(pack: TaskPack, plan: ConsolidationPlan, o: CardOptions): string {
  return datasetCard({
    pack,
    grid: o.grid,
    minAnnotators: o.minAnnotators,
    skipped: plan.skipped.length,
    annotators: annotatorPseudonyms(plan).size,
    splits: o.splits,
    rule: o.rule,
    packSplitItems: packSplitCount(packSplits(pack), plan.items),
    keepAnnotatorIds: o.keepAnnotatorIds,
  });
}
