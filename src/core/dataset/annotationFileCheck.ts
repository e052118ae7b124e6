/**
 * Checking an annotator's file (or one record) against the pack it is for: the pack's name, each
 * record's item, kind, points, token indices and criteria. Building files is annotationFile.ts.
 */
import { isComparisonRecord, type AnnotationFile, type AnnotationRecord, type RatingRecord } from '../formats/annotations.ts';
import { criteriaOf, type ComparisonItem, type ComparisonRecord } from '../formats/comparison.ts';
import { CRITERIA } from '../formats/names.ts';
import type { LocatedError } from '../formats/located.ts';
import { Problems, type ProblemReport } from '../formats/problems.ts';
import { isComparisonItem, type RatingItem, type TaskItem, type TaskPack } from '../formats/taskpack.ts';
import { tokenize } from '../text/tokenize.ts';

/** The file must be for this pack. */
export function checkPackName(file: string, data: { readonly pack: string }, pack: Pick<TaskPack, 'name'>): LocatedError | null {
  return data.pack === pack.name ? null : { file, path: 'pack', message: `"${data.pack}" is not this pack's name "${pack.name}"` };
}

/**
 * What the schema alone cannot check about a record of a known item: its kind must be the
 * item's (a comparison record for a comparison item, a rating record for a rating item), and
 * then checkRatingRecord or checkComparisonRecord. `tokenCount` is the length of a rating
 * item's RichHF token list (unused for a comparison item). Shared by consolidation, the
 * comparison report, the annotator's import and the server.
 */
export function checkRecordAgainstItem(file: string, index: number, record: AnnotationRecord, item: TaskItem, tokenCount: number): LocatedError[] {
  const at = `annotations[${index}]`;
  if (isComparisonItem(item)) {
    if (isComparisonRecord(record)) return checkComparisonRecord(file, index, record, item);
    return [{ file, path: at, message: `a rating record, but item "${item.id}" is a comparison item (its records have "left" and "answers")` }];
  }
  if (isComparisonRecord(record)) return [{ file, path: at, message: `a comparison record (it has "left"), but item "${item.id}" is a rating item` }];
  return checkRatingRecord(file, index, record, item, tokenCount);
}

/**
 * A rating record against its item: the image size must be the pack's (when the pack gives
 * one) and token indices must fall inside the prompt's RichHF token list.
 */
export function checkRatingRecord(file: string, index: number, record: RatingRecord, item: RatingItem, tokenCount: number): LocatedError[] {
  const errors: LocatedError[] = [];
  const at = `annotations[${index}]`;
  if (item.width !== undefined && record.imageWidth !== item.width) {
    errors.push({ file, path: `${at}.imageWidth`, message: `${record.imageWidth} differs from the pack's width ${item.width} for item "${item.id}"` });
  }
  if (item.height !== undefined && record.imageHeight !== item.height) {
    errors.push({ file, path: `${at}.imageHeight`, message: `${record.imageHeight} differs from the pack's height ${item.height} for item "${item.id}"` });
  }
  record.misalignedTokens.forEach((t, j) => {
    if (t >= tokenCount) errors.push({ file, path: `${at}.misalignedTokens[${j}]`, message: `token index ${t} is out of range (item "${item.id}" has ${tokenCount} tokens)` });
  });
  return errors;
}

/** A comparison record against its item: one answer for each of the item's criteria, and no other. */
export function checkComparisonRecord(file: string, index: number, record: ComparisonRecord, item: ComparisonItem): LocatedError[] {
  const errors: LocatedError[] = [];
  const at = `annotations[${index}].answers`;
  const asked = criteriaOf(item);
  const listed = asked.join(', ');
  for (const c of CRITERIA) {
    const given = record.answers[c] !== undefined;
    if (asked.includes(c) && !given) errors.push({ file, path: `${at}.${c}`, message: `required (item "${item.id}" asks about ${listed})` });
    else if (!asked.includes(c) && given) errors.push({ file, path: `${at}.${c}`, message: `item "${item.id}" does not ask about ${c} (it asks about ${listed})` });
  }
  return errors;
}

/**
 * An annotator's file checked against the pack before it is imported into the workspace:
 * the pack name, every item known (a record of an unknown item cannot be restored), and
 * each record as checkRecordAgainstItem says. Bounded like every report (problems.ts).
 */
export function checkAgainstPack(file: string, data: AnnotationFile, pack: Pick<TaskPack, 'name' | 'items'>): ProblemReport {
  const wrongPack = checkPackName(file, data, pack);
  if (wrongPack) return { errors: [wrongPack] };
  const items = new Map<string, TaskItem>(pack.items.map((it) => [it.id, it]));
  const problems = new Problems();
  data.annotations.forEach((rec, i) => {
    const item = items.get(rec.itemId);
    if (!item) problems.add(file, `annotations[${i}].itemId`, `"${rec.itemId}" is not an item of pack "${pack.name}"`);
    else problems.addReport({ errors: checkRecordAgainstItem(file, i, rec, item, isComparisonItem(item) ? 0 : tokenize(item.prompt).length) });
  });
  return problems.report();
}
