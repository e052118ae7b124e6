/**
 * RichHF-18K's prompt tokenization: split on `,` `.` `?` `!` `"` `:` `;` and the space
 * character, and drop empty tokens. Token indices (misaligned words, token votes, the
 * `prompt_misalignment_label` string) all refer to this list, so it must never change.
 * Only U+0020 counts as space: tabs and newlines stay inside tokens, as in the reference.
 */
const SEPARATORS = /[,.?!":; ]/;

export function tokenize(prompt: string): string[] {
  return prompt.split(SEPARATORS).filter((t) => t.length > 0);
}

/**
 * Where each token of `tokenize(prompt)` sits in the prompt: `prompt.slice(start, end)` is the
 * token, in the same order, so the prompt can be shown whole with its tokens in place (code units).
 */
export function tokenSpans(prompt: string): { start: number; end: number }[] {
  const spans: { start: number; end: number }[] = [];
  let start = -1;
  for (let i = 0; i <= prompt.length; i++) {
    const sep = i === prompt.length || SEPARATORS.test(prompt[i]!);
    if (sep && start >= 0) {
      spans.push({ start, end: i });
      start = -1;
    } else if (!sep && start < 0) start = i;
  }
  return spans;
}
