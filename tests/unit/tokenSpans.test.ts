import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tokenize, tokenSpans } from '../../src/core/text/tokenize.ts';
import realPrompts from '../../fixtures/workspace/prompts.json' with { type: 'json' };

describe('tokenSpans: where the RichHF tokens sit in the prompt', () => {
  it('hand-checked', () => {
    expect(tokenSpans('a red, ball.')).toEqual([
      { start: 0, end: 1 },
      { start: 2, end: 5 },
      { start: 7, end: 11 },
    ]);
    expect(tokenSpans('')).toEqual([]);
    expect(tokenSpans(' ,, ')).toEqual([]);
    expect(tokenSpans('x')).toEqual([{ start: 0, end: 1 }]);
  });

  it('the spans are the tokens, in order, on real prompts', () => {
    for (const { prompt } of realPrompts.prompts) {
      expect(tokenSpans(prompt).map((s) => prompt.slice(s.start, s.end))).toEqual(tokenize(prompt));
    }
  });

  it('property: the spans slice out exactly tokenize(prompt), and only separators lie between them', () => {
    let withSeparators = 0;
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', 'b', ' ', ',', '.', '"', ':', ';', '?', '!', '\t', '\n', 'é', '😀') }), (prompt) => {
        const spans = tokenSpans(prompt);
        expect(spans.map((s) => prompt.slice(s.start, s.end))).toEqual(tokenize(prompt));
        let at = 0;
        for (const s of spans) {
          expect(/^[,.?!":; ]*$/.test(prompt.slice(at, s.start))).toBe(true);
          at = s.end;
        }
        expect(/^[,.?!":; ]*$/.test(prompt.slice(at))).toBe(true);
        if (spans.length > 1) withSeparators++;
      }),
      { numRuns: 500 },
    );
    expect(withSeparators).toBeGreaterThan(0);
  });
});
