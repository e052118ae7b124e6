/**
 * Building an annotator's file (`richhf-annotations`); checking one against its pack is
 * annotationFileCheck.ts (the annotator's page on a server only builds files).
 */
import { annotationsVersionFor, type AnnotationFile, type AnnotationRecord } from '../formats/annotations.ts';
import { ANNOTATIONS_FORMAT } from '../formats/names.ts';

/** Each item's index in the pack, by id. */
export function packOrder(pack: { readonly items: readonly { readonly id: string }[] }): ReadonlyMap<string, number> {
  return new Map(pack.items.map((it, i) => [it.id, i]));
}

/**
 * An annotator's file for a pack, records in the order of `pack.items` (those of other items
 * last), in the lowest version that holds them. Building files for many annotators of one pack,
 * compute `order` once (packOrder): it is a map of every item.
 */
export function buildAnnotationFile(
  annotator: string,
  pack: { readonly name: string; readonly items: readonly { readonly id: string }[] },
  records: Iterable<AnnotationRecord>,
  order = packOrder(pack),
): AnnotationFile {
  const annotations = [...records].sort((a, b) => (order.get(a.itemId) ?? Infinity) - (order.get(b.itemId) ?? Infinity));
  return { format: ANNOTATIONS_FORMAT, version: annotationsVersionFor(annotations), annotator, pack: pack.name, annotations };
}
