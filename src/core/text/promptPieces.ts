/**
 * A prompt cut for display around its RichHF tokens (tokenize.ts), so that a line never starts
 * with a comma: the text between two words (separators only: spaces and , . ? ! " : ;) breaks at
 * most once, at its last run of spaces that only opening quotes follow. What comes before that
 * run stays with the word before (`after`: "balls," or "a ?"), the quotes with the word after
 * (`before`), and the spaces (`lead`) are where a line may break; with no such run the whole text
 * stays with the word before. The pieces, in order, are the prompt exactly: lead, before, the word,
 * after for each word, then closing. Positions are code units.
 */
import { tokenSpans } from './tokenize.ts';

export interface WordPiece {
  readonly lead: string;
  readonly before: string;
  readonly start: number;
  readonly end: number;
  readonly after: string;
}

function splitGap(gap: string): { after: string; between: string; before: string } {
  const m = /^(.*?)( +)("*)$/s.exec(gap);
  return m ? { after: m[1]!, between: m[2]!, before: m[3]! } : { after: gap, between: '', before: '' };
}

export function promptPieces(prompt: string): { words: WordPiece[]; closing: string } {
  const spans = tokenSpans(prompt);
  const words: WordPiece[] = [];
  let next = splitGap(spans.length > 0 ? prompt.slice(0, spans[0]!.start) : '');
  // The first word has no word before it: the prompt's opening text is lead, but for what touches it.
  let lead = next.after + next.between;
  spans.forEach((s, i) => {
    const gap = splitGap(prompt.slice(s.end, i + 1 < spans.length ? spans[i + 1]!.start : prompt.length));
    words.push({ lead, before: next.before, start: s.start, end: s.end, after: gap.after });
    next = gap;
    lead = gap.between;
  });
  return { words, closing: spans.length > 0 ? next.between + next.before : prompt };
}
