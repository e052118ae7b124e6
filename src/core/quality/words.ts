/**
 * Marked words as sets of RichHF token indices: how two sets agree, and the majority of several.
 */

/**
 * F1 (the Dice coefficient) of two sets of token indices: 2|A ∩ B| / (|A| + |B|), and 1 when
 * both are empty (nothing misaligned, nothing marked: full agreement). Duplicates count once.
 */
export function wordF1(a: readonly number[], b: readonly number[]): number {
  const sa = new Set(a);
  const sb = new Set(b);
  if (sa.size === 0 && sb.size === 0) return 1;
  let both = 0;
  for (const t of sa) if (sb.has(t)) both++;
  return (2 * both) / (sa.size + sb.size);
}

/**
 * The tokens a strict majority of `answers` marked (more than half of them: the dataset's rule,
 * consolidate.ts, so a tie is "aligned"), ascending.
 */
export function majorityWords(answers: readonly (readonly number[])[]): number[] {
  const votes = new Map<number, number>();
  for (const marked of answers) for (const t of new Set(marked)) votes.set(t, (votes.get(t) ?? 0) + 1);
  return [...votes]
    .filter(([, v]) => 2 * v > answers.length)
    .map(([t]) => t)
    .sort((x, y) => x - y);
}
