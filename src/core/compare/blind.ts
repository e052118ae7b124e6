import type { ComparisonItem } from '../formats/comparison.ts';
import { COMPARISON_KEY_FORMAT, COMPARISON_KEY_VERSION, type ComparisonKey, type KeyItem } from '../formats/comparisonKey.ts';
import type { LocatedError } from '../formats/located.ts';
import { Problems, type ProblemReport } from '../formats/problems.ts';
import { isComparisonItem, type TaskPack } from '../formats/taskpack.ts';

/**
 * The two shapes of a comparison pack: the lead's, whose comparison images name their systems,
 * and the annotators', which names none, with the lead's key beside it (comparisonKey.ts).
 * splitKey goes from the first to the second, joinKey back.
 */

/** True when the pack's comparison images name their systems (the pack schema makes it all or none). */
export function namesSystems(pack: Pick<TaskPack, 'items'>): boolean {
  return pack.items.some((it) => isComparisonItem(it) && it.images[0].system !== undefined);
}

/** The item without its systems: what an annotator may see of it. */
export function blindItem(item: ComparisonItem): ComparisonItem {
  const strip = ({ system: _system, ...image }: ComparisonItem['images'][number]) => image;
  return { ...item, images: [strip(item.images[0]), strip(item.images[1])] };
}

/**
 * The annotators' pack and its key from the lead's pack. Only the `system` fields go: image
 * paths are kept as they are, so a lead's pack whose paths name systems (`base/0001.png`) still
 * gives them away; `richhf pack --compare` copies the images under names that say nothing.
 */
export function splitKey(pack: TaskPack): { pack: TaskPack; key: ComparisonKey } {
  const keyItems: KeyItem[] = [];
  const items = pack.items.map((item) => {
    if (!isComparisonItem(item)) return item;
    const [a, b] = item.images;
    if (a.system === undefined || b.system === undefined) throw new Error(`item "${item.id}" names no systems: splitKey takes the lead's pack`);
    keyItems.push({ id: item.id, systems: [a.system, b.system] });
    return blindItem(item);
  });
  return { pack: { ...pack, items }, key: { format: COMPARISON_KEY_FORMAT, version: COMPARISON_KEY_VERSION, pack: pack.name, items: keyItems } };
}

/**
 * The lead's pack from the annotators' pack and its key: each comparison image gets its
 * system. The key must be this pack's (its name), with one entry for each comparison item and
 * none for anything else. `files` name the two for messages.
 */
export function joinKey(
  pack: TaskPack,
  key: ComparisonKey,
  files: { readonly pack: string; readonly key: string },
): ({ ok: true; pack: TaskPack } & ProblemReport) | ({ ok: false } & ProblemReport) {
  const fail = (e: LocatedError) => ({ ok: false as const, errors: [e] });
  if (namesSystems(pack)) return fail({ file: files.key, path: '', message: `${files.pack} names its systems already: a key goes with a pack that names none` });
  if (key.pack !== pack.name) return fail({ file: files.key, path: 'pack', message: `"${key.pack}" is not the name of pack ${files.pack} ("${pack.name}")` });
  const problems = new Problems();
  const compared = new Map<string, number>();
  pack.items.forEach((it, i) => isComparisonItem(it) && compared.set(it.id, i));
  const byId = new Map<string, KeyItem>();
  key.items.forEach((k, i) => {
    if (compared.has(k.id)) byId.set(k.id, k);
    else problems.add(files.key, `items[${i}].id`, `"${k.id}" is not a comparison item of pack "${pack.name}"`);
  });
  for (const [id, i] of compared) if (!byId.has(id)) problems.add(files.key, 'items', `has no entry for comparison item "${id}" (items[${i}] of ${files.pack})`);
  if (problems.has()) return { ok: false, ...problems.report() };
  const items = pack.items.map((item) => {
    if (!isComparisonItem(item)) return item;
    const [a, b] = byId.get(item.id)!.systems;
    return {
      ...item,
      images: [
        { ...item.images[0], system: a },
        { ...item.images[1], system: b },
      ] satisfies ComparisonItem['images'],
    };
  });
  return { ok: true, pack: { ...pack, items }, errors: [] };
}
