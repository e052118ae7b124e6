import type { AnnotationFile, AnnotationRecord } from '../formats/annotations.ts';
import type { SkippedItem } from '../formats/dataset.ts';
import type { LocatedError } from '../formats/located.ts';
import { Problems, type Unlisted } from '../formats/problems.ts';
import type { TaskPack } from '../formats/taskpack.ts';
import { checkPackName, checkRecordAgainstItem } from './annotationFile.ts';
import { compareCodeUnits } from '../text/compare.ts';
import { tokenize } from '../text/tokenize.ts';

/**
 * Step 1 of consolidation: group every annotation record by item and annotator, check the
 * records against the pack, and decide which items make it into the dataset. Cheap (no
 * heatmaps), so it runs on the whole input at once; step 2 (consolidateItem) then runs item
 * by item, in any thread. The result depends only on the set of inputs, never on the order
 * of files or records: annotators are sorted by id in code-unit order, duplicate records
 * are resolved by submittedAt with a content tie-break, and warnings follow pack order.
 */

/** An annotation file together with the name the user knows it by (for error messages). */
export interface AnnotationSource {
  readonly name: string;
  readonly file: AnnotationFile;
}

export interface PlanInput {
  readonly pack: TaskPack;
  readonly files: readonly AnnotationSource[];
  /** Items with fewer distinct annotators are skipped. Default: the pack's annotatorsPerItem. */
  readonly minAnnotators?: number;
}

/** What consolidation reads of a record; the rest (times, sizes, ids) never leaves the planning thread. */
export type RecordContent = Pick<AnnotationRecord, 'points' | 'misalignedTokens' | 'scores'>;

/** One annotator's kept record for an item. */
export interface AnnotatorRecord<R extends RecordContent = AnnotationRecord> {
  readonly annotator: string;
  readonly record: R;
}

/**
 * Everything needed to consolidate one item; plain data, so it can be posted to a worker.
 * Planning keeps whole records (R = AnnotationRecord); workers get ItemPlan<RecordContent>.
 */
export interface ItemPlan<R extends RecordContent = AnnotationRecord> {
  readonly id: string;
  readonly image: string;
  readonly prompt: string;
  /** Image pixels: the pack's size, or the records' (they must agree) when the pack has none. */
  readonly imageWidth: number;
  readonly imageHeight: number;
  readonly tokens: readonly string[];
  /** Sorted by annotator id (code-unit order); N = records.length >= 1. */
  readonly records: readonly AnnotatorRecord<R>[];
}

/** The plan without what consolidation never reads, which halves the structured-clone work per item. */
export function contentPlan(plan: ItemPlan<RecordContent>): ItemPlan<RecordContent> {
  return {
    ...plan,
    records: plan.records.map(({ annotator, record }) => ({ annotator, record: { points: record.points, misalignedTokens: record.misalignedTokens, scores: record.scores } })),
  };
}

export interface ConsolidationPlan {
  readonly pack: string;
  /** Complete items, in pack order. */
  readonly items: ItemPlan[];
  readonly skipped: SkippedItem[];
  readonly warnings: string[];
  /** Input errors, the first 50 of each file; when there are any, nothing must be written. */
  readonly errors: readonly LocatedError[];
  /** Errors found but not listed, per file. */
  readonly unlisted: readonly Unlisted[];
}

interface Located {
  readonly source: AnnotationSource;
  readonly index: number;
  readonly record: AnnotationRecord;
}

const at = (index: number, field?: string) => `annotations[${index}]${field ? `.${field}` : ''}`;

/** Latest submittedAt wins; equal instants fall back to the record's JSON so order never matters. */
function newer(a: Located, b: Located): Located {
  const ta = Date.parse(a.record.submittedAt);
  const tb = Date.parse(b.record.submittedAt);
  if (ta !== tb) return ta > tb ? a : b;
  return compareCodeUnits(JSON.stringify(a.record), JSON.stringify(b.record)) >= 0 ? a : b;
}

export function planConsolidation(input: PlanInput): ConsolidationPlan {
  const { pack, files } = input;
  const minAnnotators = input.minAnnotators ?? pack.annotatorsPerItem;
  if (!Number.isInteger(minAnnotators) || minAnnotators < 1) throw new RangeError('minAnnotators must be an integer >= 1');
  const problems = new Problems();
  const warnings: string[] = [];
  const itemIndex = new Map<string, number>();
  pack.items.forEach((item, i) => itemIndex.set(item.id, i));

  // byItem[i]: annotator -> their records for pack item i.
  const byItem: (Map<string, Located[]> | undefined)[] = new Array(pack.items.length);
  const unknown = new Map<string, Set<string>>();
  const tokenCache = new Map<number, string[]>();
  const tokensOf = (i: number) => {
    let t = tokenCache.get(i);
    if (!t) tokenCache.set(i, (t = tokenize(pack.items[i]!.prompt)));
    return t;
  };

  for (const source of files) {
    const { file, name } = source;
    const wrongPack = checkPackName(name, file, pack);
    if (wrongPack) {
      problems.addError(wrongPack);
      continue;
    }
    file.annotations.forEach((record, index) => {
      const i = itemIndex.get(record.itemId);
      if (i === undefined) {
        let who = unknown.get(record.itemId);
        if (!who) unknown.set(record.itemId, (who = new Set()));
        who.add(file.annotator);
        return;
      }
      problems.addReport({ errors: checkRecordAgainstItem(name, index, record, pack.items[i]!, tokensOf(i).length) });
      let annotators = byItem[i];
      if (!annotators) byItem[i] = annotators = new Map();
      let list = annotators.get(file.annotator);
      if (!list) annotators.set(file.annotator, (list = []));
      list.push({ source, index, record });
    });
  }

  const items: ItemPlan[] = [];
  const skipped: SkippedItem[] = [];
  pack.items.forEach((item, i) => {
    const annotators = byItem[i];
    const ids = annotators ? [...annotators.keys()].sort(compareCodeUnits) : [];
    const kept: Located[] = [];
    for (const annotator of ids) {
      const list = annotators!.get(annotator)!;
      const best = list.reduce(newer);
      if (list.length > 1) {
        warnings.push(`item "${item.id}": annotator "${annotator}" has ${list.length} records; kept the latest (submitted ${best.record.submittedAt})`);
      }
      kept.push(best);
    }
    // Without a size in the pack, every record of the item must agree on one.
    let imageWidth = item.width;
    let imageHeight = item.height;
    if (imageWidth === undefined || imageHeight === undefined) {
      const all = ids.flatMap((a) => annotators!.get(a)!);
      const first = all[0];
      if (first) {
        imageWidth ??= first.record.imageWidth;
        imageHeight ??= first.record.imageHeight;
        for (const r of all) {
          if (r.record.imageWidth !== imageWidth || r.record.imageHeight !== imageHeight) {
            problems.add(
              r.source.name,
              at(r.index),
              `image size ${r.record.imageWidth}x${r.record.imageHeight} differs from ${imageWidth}x${imageHeight} in ${first.source.name} ${at(first.index)} for item "${item.id}"`,
            );
          }
        }
      }
    }
    if (kept.length < minAnnotators || imageWidth === undefined || imageHeight === undefined) {
      skipped.push({ id: item.id, reason: `${kept.length} of ${minAnnotators} annotators` });
      return;
    }
    items.push({
      id: item.id,
      image: item.image,
      prompt: item.prompt,
      imageWidth,
      imageHeight,
      tokens: tokensOf(i),
      records: kept.map((k) => ({ annotator: k.source.file.annotator, record: k.record })),
    });
  });

  for (const id of [...unknown.keys()].sort(compareCodeUnits)) {
    const who = [...unknown.get(id)!].sort(compareCodeUnits);
    skipped.push({ id, reason: 'not in the pack' });
    warnings.push(`item "${id}" is not in the pack (annotated by ${who.map((a) => `"${a}"`).join(', ')}); left out`);
  }
  return { pack: pack.name, items, skipped, warnings, ...problems.report() };
}
