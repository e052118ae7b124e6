import { hashSeed } from './random.ts';

/**
 * Which of a comparison item's two images an annotator sees on the left: the side draw, one
 * pure function for the collection server and the static annotator page alike.
 *
 * `position` is the item's place (0, 1, 2, …) in this annotator's sequence of comparison items:
 * on the static page their order in the pack, on a server the order it hands them out. The
 * positions go in pairs (0-1, 2-3, …): the first of a pair gets a side drawn from
 * (seed, annotator, pair), the second the other side. So every annotator sees images[0] on the
 * left for half their items, within one, after any number of items; and since the pack's
 * images are in a random order of systems (richhf pack --compare), neither side says which
 * system is which. The record keeps the side shown (`left`).
 */
export function leftImage(seed: string, annotator: string, position: number): 0 | 1 {
  if (!Number.isInteger(position) || position < 0) throw new RangeError(`position must be an integer >= 0, got ${position}`);
  const first = hashSeed([seed, annotator, String(Math.floor(position / 2))]) & 1;
  return (position % 2 === 0 ? first : 1 - first) as 0 | 1;
}

/** leftImage for a list of items (ids), positions in the list's order. */
export function leftImages(seed: string, annotator: string, itemIds: readonly string[]): Map<string, 0 | 1> {
  return new Map(itemIds.map((id, i) => [id, leftImage(seed, annotator, i)]));
}

/**
 * An answer on the screen's scale (-2 = the left image much better … 2 = the right one much
 * better) in the item's terms (-2 = images[0] much better … 2 = images[1] much better).
 */
export function itemAnswer(screen: number, left: 0 | 1): number {
  return left === 0 ? screen : 0 - screen; // 0 - x: never -0
}

/** The inverse of itemAnswer (the same map: swapping sides twice is no swap). */
export function screenAnswer(answer: number, left: 0 | 1): number {
  return left === 0 ? answer : 0 - answer;
}

/** Which side an answer in the item's terms chose: the image shown on the left, the right, or neither (0). */
export function chosenSide(answer: number, left: 0 | 1): 'left' | 'right' | 'tie' {
  const s = screenAnswer(answer, left);
  return s < 0 ? 'left' : s > 0 ? 'right' : 'tie';
}
