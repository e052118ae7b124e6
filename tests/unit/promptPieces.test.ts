/** The prompt cut for display (core/text/promptPieces.ts): the prompt exactly, punctuation kept with its word. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { promptPieces } from '../../src/core/text/promptPieces.ts';
import { tokenize } from '../../src/core/text/tokenize.ts';

const join = (prompt: string) => {
  const { words, closing } = promptPieces(prompt);
  return words.map((w) => w.lead + w.before + prompt.slice(w.start, w.end) + w.after).join('') + closing;
};

describe('promptPieces', () => {
  it('keeps punctuation with the word it touches', () => {
    const { words, closing } = promptPieces('three red balls, on a "wooden" table.');
    expect(words.map((w) => [w.lead, w.before, w.after])).toEqual([
      ['', '', ''],
      [' ', '', ''],
      [' ', '', ','],
      [' ', '', ''],
      [' ', '', ''],
      [' ', '"', '"'],
      [' ', '', '.'],
    ]);
    expect(closing).toBe('');
    expect(promptPieces(' "a,b" ').words.map((w) => [w.lead, w.before, w.after])).toEqual([
      [' ', '"', ','],
      ['', '', '"'],
    ]);
    // A question mark after a space stays with the word before it; so does punctuation before a word.
    expect(promptPieces('a ? b ,c').words.map((w) => [w.lead, w.before, w.after])).toEqual([
      ['', '', ' ?'],
      [' ', '', ' ,'],
      ['', '', ''],
    ]);
    expect(promptPieces(' "a,b" ').closing).toBe(' ');
    expect(promptPieces('...').words).toEqual([]);
    expect(promptPieces('...').closing).toBe('...');
  });

  it('property: the pieces are the prompt, one per token, and no place where a line may break is followed by closing punctuation', () => {
    let punctuated = 0;
    fc.assert(
      fc.property(fc.stringMatching(/^[a-c ,."!?:;]{0,40}$/), (prompt) => {
        const { words } = promptPieces(prompt);
        expect(join(prompt)).toBe(prompt);
        expect(words.map((w) => prompt.slice(w.start, w.end))).toEqual(tokenize(prompt));
        words.forEach((w, i) => {
          // Between two words a line may break only in `lead`: spaces, then opening quotes and the word.
          if (i > 0) expect(w.lead).toMatch(/^ *$/);
          expect(w.before).toMatch(/^"*$/);
          if (/[,.?!:;]/.test(w.after)) punctuated++;
        });
      }),
      { numRuns: 500 },
    );
    expect(punctuated).toBeGreaterThan(0);
  });
});
