import type { AnnotationFile, AnnotationRecord } from '../formats/annotations.ts';
import { ANNOTATIONS_FORMAT, ANNOTATIONS_VERSION } from '../formats/names.ts';
import type { LocatedError } from '../formats/located.ts';
import { Problems, type ProblemReport } from '../formats/problems.ts';
import type { TaskItem, TaskPack } from '../formats/taskpack.ts';
import { tokenize } from '../text/tokenize.ts';

/** Each item's index in the pack, by id. */
export function packOrder(pack: TaskPack): ReadonlyMap<string, number> {
  return new Map(pack.items.map((it, i) => [it.id, i]));
}

/**
 * An annotator's file for a pack, records in the pack's item order. Building files for many
 * annotators of one pack, compute `order` once (packOrder): it is a map of every item.
 */
export function buildAnnotationFile(annotator: string, pack: TaskPack, records: Iterable<AnnotationRecord>, order = packOrder(pack)): AnnotationFile {
  const annotations = [...records].sort((a, b) => (order.get(a.itemId) ?? Infinity) - (order.get(b.itemId) ?? Infinity));
  return { format: ANNOTATIONS_FORMAT, version: ANNOTATIONS_VERSION, annotator, pack: pack.name, annotations };
}

/** The file must be for this pack. */
export function checkPackName(file: string, data: { readonly pack: string }, pack: TaskPack): LocatedError | null {
  return data.pack === pack.name ? null : { file, path: 'pack', message: `"${data.pack}" is not this pack's name "${pack.name}"` };
}

/**
 * What the schema alone cannot check about a record of a known item: the image size must be
 * the pack's (when the pack gives one) and token indices must fall inside the prompt's RichHF
 * token list. Shared by consolidation and by the annotator's import.
 */
export function checkRecordAgainstItem(file: string, index: number, record: AnnotationRecord, item: TaskItem, tokenCount: number): LocatedError[] {
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

/**
 * An annotator's file checked against the pack before it is imported into the workspace:
 * the pack name, every item known (a record of an unknown item cannot be restored), and
 * each record as checkRecordAgainstItem says. Bounded like every report (problems.ts).
 */
export function checkAgainstPack(file: string, data: AnnotationFile, pack: TaskPack): ProblemReport {
  const wrongPack = checkPackName(file, data, pack);
  if (wrongPack) return { errors: [wrongPack] };
  const items = new Map(pack.items.map((it) => [it.id, it]));
  const problems = new Problems();
  data.annotations.forEach((rec, i) => {
    const item = items.get(rec.itemId);
    if (!item) problems.add(file, `annotations[${i}].itemId`, `"${rec.itemId}" is not an item of pack "${pack.name}"`);
    else problems.addReport({ errors: checkRecordAgainstItem(file, i, rec, item, tokenize(item.prompt).length) });
  });
  return problems.report();
}
