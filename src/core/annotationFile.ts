import type { AnnotationFile, AnnotationRecord } from './formats/annotations.ts';
import { ANNOTATIONS_FORMAT, ANNOTATIONS_VERSION } from './formats/annotations.ts';
import type { LocatedError } from './formats/located.ts';
import type { TaskPack } from './formats/taskpack.ts';
import { tokenize } from './tokenize.ts';

/** An annotator's file for a pack, records in the pack's item order. */
export function buildAnnotationFile(annotator: string, pack: TaskPack, records: Iterable<AnnotationRecord>): AnnotationFile {
  const order = new Map(pack.items.map((it, i) => [it.id, i]));
  const annotations = [...records].sort((a, b) => (order.get(a.itemId) ?? Infinity) - (order.get(b.itemId) ?? Infinity));
  return { format: ANNOTATIONS_FORMAT, version: ANNOTATIONS_VERSION, annotator, pack: pack.name, annotations };
}

/**
 * What the schema alone cannot check: that the file belongs to this pack, that every item
 * exists, that the image size matches the pack's (when the pack gives it) and that token
 * indices fall inside the prompt's RichHF token list.
 */
export function checkAgainstPack(file: string, data: AnnotationFile, pack: TaskPack): LocatedError[] {
  const errors: LocatedError[] = [];
  if (data.pack !== pack.name) {
    errors.push({ file, path: 'pack', message: `is "${data.pack}" but the task pack is "${pack.name}"` });
    return errors;
  }
  const items = new Map(pack.items.map((it) => [it.id, it]));
  const tokenCounts = new Map<string, number>();
  data.annotations.forEach((rec, i) => {
    const item = items.get(rec.itemId);
    if (!item) {
      errors.push({ file, path: `annotations[${i}].itemId`, message: `"${rec.itemId}" is not an item of pack "${pack.name}"` });
      return;
    }
    if (item.width !== undefined && item.width !== rec.imageWidth) {
      errors.push({ file, path: `annotations[${i}].imageWidth`, message: `is ${rec.imageWidth} but the pack says ${item.width}` });
    }
    if (item.height !== undefined && item.height !== rec.imageHeight) {
      errors.push({ file, path: `annotations[${i}].imageHeight`, message: `is ${rec.imageHeight} but the pack says ${item.height}` });
    }
    let n = tokenCounts.get(item.id);
    if (n === undefined) {
      n = tokenize(item.prompt).length;
      tokenCounts.set(item.id, n);
    }
    rec.misalignedTokens.forEach((t, j) => {
      if (t >= n) errors.push({ file, path: `annotations[${i}].misalignedTokens[${j}]`, message: `token index ${t} is out of range (the prompt has ${n} tokens)` });
    });
  });
  return errors;
}
