import type { ComparisonItem, Criterion } from '../formats/comparison.ts';
import type { KeyItem } from '../formats/comparisonKey.ts';
import { drawIndex, hashSeed, mulberry32 } from './random.ts';

/**
 * The comparison items of `richhf pack --compare`: from one prompt's images by each system,
 * an item for every pair of systems, blind (no system named: the key says which is which).
 * - With two systems an item's id is the prompt's; with more, `<prompt id>-<k>` (k = 1 … the
 *   number of pairs), the pairs numbered in a random order per prompt, so k says nothing of the
 *   pair. Items go by k, then prompt order, so consecutive items are of different prompts.
 * - The order of the two images (which system is images[0]) is a coin flip per item.
 * Both from one seeded generator: mulberry32(hashSeed([seed, "pairs"])), drawn in prompt order
 * (the pairs' shuffle, then a coin per pair).
 */

export interface SystemImage {
  /** The image as the pack names it (a path inside the pack's folder). */
  readonly image: string;
  readonly width: number;
  readonly height: number;
  /** Where it came from, for the key. */
  readonly source: string;
}

export interface PromptImages {
  readonly id: string;
  readonly prompt: string;
  /** Each system's image of this prompt (every system has one). */
  readonly images: ReadonlyMap<string, SystemImage>;
}

export function pairItems(
  prompts: readonly PromptImages[],
  systems: readonly string[],
  seed: string,
  criteria?: readonly Criterion[],
): { items: ComparisonItem[]; key: KeyItem[] } {
  if (systems.length < 2) throw new RangeError('a comparison needs at least two systems');
  const pairs: [string, string][] = [];
  for (let i = 0; i < systems.length; i++) for (let j = i + 1; j < systems.length; j++) pairs.push([systems[i]!, systems[j]!]);
  const next = mulberry32(hashSeed([seed, 'pairs']));
  const made: { k: number; order: number; item: ComparisonItem; key: KeyItem }[] = [];
  prompts.forEach((p, order) => {
    const shuffled = [...pairs];
    for (let i = shuffled.length - 1; i > 0; i--) {
      const j = drawIndex(next, i + 1);
      [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
    }
    shuffled.forEach((pair, k) => {
      const [a, b] = (next() & 1) === 0 ? pair : ([pair[1], pair[0]] as const);
      const ia = p.images.get(a)!;
      const ib = p.images.get(b)!;
      const id = pairs.length === 1 ? p.id : `${p.id}-${k + 1}`;
      const item: ComparisonItem = {
        id,
        kind: 'compare',
        prompt: p.prompt,
        images: [
          { image: ia.image, width: ia.width, height: ia.height },
          { image: ib.image, width: ib.width, height: ib.height },
        ],
        ...(criteria ? { criteria: [...criteria] } : {}),
      };
      made.push({ k, order, item, key: { id, systems: [a, b], ...(id === p.id ? {} : { promptId: p.id }), sources: [ia.source, ib.source] } });
    });
  });
  made.sort((x, y) => x.k - y.k || x.order - y.order);
  return { items: made.map((m) => m.item), key: made.map((m) => m.key) };
}
