/**
 * The five answers of a side-by-side comparison as the annotator sees them, in the paper's
 * wording, in screen order: key 1 is the first (the left image much better), key 5 the last.
 * `screen` is the answer on the screen's scale (-2 = left much better … 2 = right much better);
 * sides.ts turns it into the item's terms with the side shown.
 */
export const SCREEN_ANSWERS = [
  { key: '1', screen: -2, label: 'Left is much better' },
  { key: '2', screen: -1, label: 'Left is slightly better' },
  { key: '3', screen: 0, label: 'About the same' },
  { key: '4', screen: 1, label: 'Right is slightly better' },
  { key: '5', screen: 2, label: 'Right is much better' },
] as const;

/** The screen answer of key "1"…"5", or undefined for any other key. */
export function screenAnswerOfKey(key: string): number | undefined {
  return SCREEN_ANSWERS.find((a) => a.key === key)?.screen;
}
