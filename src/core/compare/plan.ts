import { isComparisonRecord } from '../formats/annotations.ts';
import { criteriaOf, type ComparisonItem, type ComparisonRecord, type Criterion } from '../formats/comparison.ts';
import type { LocatedError } from '../formats/located.ts';
import { Problems, type Unlisted } from '../formats/problems.ts';
import { isComparisonItem, type TaskPack } from '../formats/taskpack.ts';
import { checkPackName, checkRecordAgainstItem } from '../dataset/annotationFileCheck.ts';
import type { AnnotationSource } from '../dataset/plan.ts';
import { compareRecordAge } from '../dataset/newestRecord.ts';
import { compareCodeUnits } from '../text/compare.ts';

/**
 * Step 1 of the comparison report: the comparison items of the lead's pack (systems named:
 * blind.ts joins a key to an annotators' pack) with each annotator's record, checked against
 * the pack. As in consolidation (dataset/plan.ts): a file must be for this pack; a record of
 * an unknown item is left out with a warning; of an annotator's several records of one item
 * the newest wins (newestRecord.ts), with a warning; annotators are sorted by id. Rating items
 * and their records are not the report's business (richhf consolidate checks them); a record of
 * the wrong kind for its item is an error here too. The result does not depend on the order of
 * files or records.
 */

export interface PlannedRecord {
  readonly annotator: string;
  readonly record: ComparisonRecord;
}

export interface PlannedItem {
  readonly id: string;
  /** The systems of images[0] and images[1]. */
  readonly systems: readonly [string, string];
  readonly criteria: readonly Criterion[];
  /** One per annotator, sorted by annotator id (code-unit order); may be empty. */
  readonly records: readonly PlannedRecord[];
}

export interface ComparisonPlan {
  readonly pack: string;
  /** Every system of the pack's comparison items, sorted (code-unit order). */
  readonly systems: readonly string[];
  /** The pack's comparison items, in pack order. */
  readonly items: readonly PlannedItem[];
  readonly warnings: readonly string[];
  /** Input errors, the first 50 of each file; when there are any, there is no report. */
  readonly errors: readonly LocatedError[];
  readonly unlisted: readonly Unlisted[];
}

interface Located {
  readonly file: string;
  readonly annotator: string;
  readonly record: ComparisonRecord;
}

/** `packFile` names the pack in messages. */
export function planComparison(pack: TaskPack, files: readonly AnnotationSource[], packFile: string): ComparisonPlan {
  const problems = new Problems();
  const warnings: string[] = [];
  const compared: { index: number; item: ComparisonItem }[] = [];
  pack.items.forEach((item, index) => isComparisonItem(item) && compared.push({ index, item }));
  const empty = (e: LocatedError): ComparisonPlan => ({ pack: pack.name, systems: [], items: [], warnings, errors: [e], unlisted: [] });
  if (compared.length === 0) return empty({ file: packFile, path: 'items', message: 'has no comparison items ("kind": "compare")' });
  if (compared[0]!.item.images[0].system === undefined)
    return empty({ file: packFile, path: '', message: 'its comparison images name no systems: give the key that goes with it (richhf pack --compare writes one)' });

  const kinds = new Map(pack.items.map((it, i) => [it.id, { comparison: isComparisonItem(it), index: i }]));
  const byItem = new Map<string, Map<string, Located[]>>();
  const unknown = new Map<string, Set<string>>();
  for (const { name, file } of files) {
    const wrongPack = checkPackName(name, file, pack);
    if (wrongPack) {
      problems.addError(wrongPack);
      continue;
    }
    file.annotations.forEach((record, i) => {
      const kind = kinds.get(record.itemId);
      if (!kind) {
        let who = unknown.get(record.itemId);
        if (!who) unknown.set(record.itemId, (who = new Set()));
        who.add(file.annotator);
      } else if (!kind.comparison && !isComparisonRecord(record)) {
        // A rating record of a rating item: consolidation's business.
      } else {
        // The record's kind must be the item's, and a comparison record must answer the item's criteria.
        problems.addReport({ errors: checkRecordAgainstItem(name, i, record, pack.items[kind.index]!, 0) });
        if (!kind.comparison || !isComparisonRecord(record)) return;
        let annotators = byItem.get(record.itemId);
        if (!annotators) byItem.set(record.itemId, (annotators = new Map()));
        let list = annotators.get(file.annotator);
        if (!list) annotators.set(file.annotator, (list = []));
        list.push({ file: name, annotator: file.annotator, record });
      }
    });
  }

  const systems = new Set<string>();
  const items: PlannedItem[] = compared.map(({ item }) => {
    const [a, b] = item.images;
    systems.add(a.system!).add(b.system!);
    const annotators = byItem.get(item.id);
    const records: PlannedRecord[] = [];
    for (const annotator of annotators ? [...annotators.keys()].sort(compareCodeUnits) : []) {
      const list = annotators!.get(annotator)!;
      const best = list.reduce((x, y) => (compareRecordAge(x.record, y.record) >= 0 ? x : y));
      if (list.length > 1) warnings.push(`item "${item.id}": annotator "${annotator}" has ${list.length} records; kept the latest (submitted ${best.record.submittedAt})`);
      records.push({ annotator, record: best.record });
    }
    return { id: item.id, systems: [a.system!, b.system!], criteria: criteriaOf(item), records };
  });
  for (const id of [...unknown.keys()].sort(compareCodeUnits)) {
    const who = [...unknown.get(id)!].sort(compareCodeUnits).map((a) => `"${a}"`);
    warnings.push(`item "${id}" is not in the pack (annotated by ${who.join(', ')}); left out`);
  }
  const report = problems.report();
  return { pack: pack.name, systems: [...systems].sort(compareCodeUnits), items, warnings, errors: report.errors, unlisted: report.unlisted ?? [] };
}
