import { describe, expect, it } from 'vitest';
import type { AnnotatorQuality } from '../../src/core/formats/quality.ts';
import { sortAnnotators } from '../../src/features/review/qualityRows.ts';

function row(id: string, goldScore: number | null, flags: number, submissions = 10): AnnotatorQuality {
  return {
    id,
    submissions,
    gold: { items: goldScore === null ? 0 : 3, score: goldScore, scoresWithinOne: null, scoreAbsDiff: null, wordF1: null, discPrecision: null, discRecall: null, discF1: null },
    agreement: { items: 0, scoreDeviation: null, wordAgreement: null, discCC: null, discItems: 0 },
    medianActiveMs: null,
    behaviour: { sameScores: null, sameScoresItems: 0, sameScoresShare: null, othersMarkedItems: 0, noPointsItems: 0, noPointsShare: null },
    flags: Array.from({ length: flags }, () => ({ code: 'gold-score', message: 'm' })),
    status: 'active',
  };
}
const list = [row('bea', 0.9, 0), row('Ann', null, 0), row('cid', 0.3, 2, 12), row('abe', 0.9, 1)];
const ids = (key: Parameters<typeof sortAnnotators>[1], descending = false) => sortAnnotators(list, key, descending).map((a) => a.id);

describe('the quality table order', () => {
  it('by id in code-unit order, either way', () => {
    expect(ids('id')).toEqual(['Ann', 'abe', 'bea', 'cid']);
    expect(ids('id', true)).toEqual(['cid', 'bea', 'abe', 'Ann']);
  });
  it('by a figure, missing figures last both ways, ties by id', () => {
    expect(ids('goldScore')).toEqual(['cid', 'abe', 'bea', 'Ann']);
    expect(ids('goldScore', true)).toEqual(['abe', 'bea', 'cid', 'Ann']);
    expect(ids('flags', true)).toEqual(['cid', 'abe', 'Ann', 'bea']);
    expect(ids('submissions', true)).toEqual(['cid', 'Ann', 'abe', 'bea']);
  });
});
