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
