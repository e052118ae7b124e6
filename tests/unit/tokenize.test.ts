import { describe, expect, test } from 'vitest';
import { tokenize } from '../../src/core/text/tokenize.ts';
import realPrompts from '../../fixtures/tokenizer-prompts.json' with { type: 'json' };

describe('tokenize (RichHF-18K rule)', () => {
  test('the example from the spec', () => {
    expect(tokenize('"RichHF-18K: a dataset."')).toEqual(['RichHF-18K', 'a', 'dataset']);
  });
  test('every separator splits, runs of separators give no empty tokens', () => {
    expect(tokenize('a,b.c?d!e"f:g;h i')).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i']);
    expect(tokenize('  ,, a  ;; b ..')).toEqual(['a', 'b']);
  });
  test('hyphens, apostrophes and other punctuation stay inside tokens', () => {
    expect(tokenize("a cat's high-res (photo) #1")).toEqual(['a', "cat's", 'high-res', '(photo)', '#1']);
  });
  test('only U+0020 counts as space', () => {
    expect(tokenize('a\tb\nc d')).toEqual(['a\tb\nc', 'd']);
  });
  test('empty prompt gives no tokens', () => {
    expect(tokenize('')).toEqual([]);
    expect(tokenize(' . , ')).toEqual([]);
  });
});

describe('tokenize on real prompts', () => {
  test.each(realPrompts.prompts.map((p) => [p.id, p.prompt, p.tokens] as const))('%s', (_id, prompt, tokens) => {
    expect(tokenize(prompt)).toEqual(tokens);
  });
});
