import { describe, expect, it } from 'vitest';
import type { QualityThresholds } from '../../src/core/formats/quality.ts';
import { DEFAULT_QUALITY_THRESHOLDS, flagAnnotators, type AnnotatorFigures } from '../../src/core/quality/qualityReport.ts';
import { QUALITY_FLAG_CODES } from '../../src/core/quality/flags.ts';

/** Figures of a steady annotator, with `over` on top. */
function figures(
  id: string,
  over: { gold?: Partial<AnnotatorFigures['gold']>; agreement?: Partial<AnnotatorFigures['agreement']>; behaviour?: Partial<AnnotatorFigures['behaviour']> } & Partial<
    Pick<AnnotatorFigures, 'submissions' | 'medianActiveMs' | 'status'>
  > = {},
): AnnotatorFigures {
  return {
    id,
    submissions: over.submissions ?? 40,
    gold: { items: 4, score: 0.82, scoresWithinOne: 1, scoreAbsDiff: 0.5, wordF1: 0.8, discPrecision: 0.7, discRecall: 0.7, discF1: 0.7, ...over.gold },
    agreement: { items: 36, scoreDeviation: 0.6, wordAgreement: 0.6, discCC: 0.5, discItems: 30, ...over.agreement },
    medianActiveMs: over.medianActiveMs === undefined ? 20_000 : over.medianActiveMs,
    behaviour: {
      sameScores: { plausibility: 3, alignment: 3, aesthetics: 3, overall: 3 },
      sameScoresItems: 3,
      sameScoresShare: 0.075,
      othersMarkedItems: 30,
      noPointsItems: 3,
      noPointsShare: 0.1,
      ...over.behaviour,
    },
    status: over.status ?? 'active',
  };
}

const steady = [figures('s1'), figures('s2', { gold: { score: 0.9 } }), figures('s3', { gold: { score: 0.7 } })];
const flagsOf = (list: AnnotatorFigures[], t: QualityThresholds = DEFAULT_QUALITY_THRESHOLDS) => Object.fromEntries(flagAnnotators(list, t).map((a) => [a.id, a.flags]));

describe('flags', () => {
  it('steady annotators carry no flag', () => {
    expect(flagsOf(steady)).toEqual({ s1: [], s2: [], s3: [] });
  });

  it('each rule names its figure, its items and the others’ median', () => {
    const bad = figures('x', {
      gold: { items: 6, score: 0.31 },
      agreement: { scoreDeviation: 1.52, wordAgreement: 0.12, discCC: 0.05 },
      behaviour: {
        sameScores: { plausibility: 4, alignment: 4, aesthetics: 3, overall: 4 },
        sameScoresItems: 38,
        sameScoresShare: 0.95,
        noPointsItems: 29,
        noPointsShare: 29 / 30,
      },
      medianActiveMs: 1200,
    });
    expect(flagsOf([...steady, bad]).x).toEqual([
      { code: 'gold-score', message: 'gold score 0.31 over 6 gold items; others median 0.82' },
      { code: 'score-deviation', message: "scores 1.52 points from the others' mean on average over 36 items; others median 0.60" },
      { code: 'word-agreement', message: "word agreement 0.12 with the others' majority over 36 items; others median 0.60" },
      { code: 'disc-cc', message: "disc map CC 0.05 with the others' mean map over 30 items; others median 0.50" },
      { code: 'same-scores', message: 'the same scores (4, 4, 3, 4) on 38 of 40 items (95%); others median 8%' },
      { code: 'no-points', message: 'no points on 29 of 30 items where others marked some (97%); others median 10%' },
      { code: 'fast', message: 'median active time 1.2 s per item; others median 20.0 s' },
    ]);
    expect(new Set(flagAnnotators([...steady, bad], DEFAULT_QUALITY_THRESHOLDS)[3]!.flags.map((f) => f.code))).toEqual(new Set(QUALITY_FLAG_CODES));
  });

  it('too few items behind a figure never flags; the minimums are the lead’s to set', () => {
    const few = figures('few', { gold: { items: 2, score: 0 }, agreement: { items: 9, scoreDeviation: 4, discItems: 9, discCC: -1 }, submissions: 9, medianActiveMs: 1 });
    expect(flagsOf([...steady, few]).few).toEqual([]);
    const lenient = { ...DEFAULT_QUALITY_THRESHOLDS, minGoldItems: 2, minItems: 9 };
    expect(flagsOf([...steady, few], lenient).few!.map((f) => f.code)).toEqual(['gold-score', 'score-deviation', 'disc-cc', 'fast']);
    expect(flagsOf([...steady, few], lenient).few![0]!.message).toBe('gold score 0.00 over 2 gold items; others median 0.82');
  });

  it('thresholds move the line: at the threshold is not a flag, beyond it is', () => {
    const edge = figures('edge', { gold: { score: 0.5 }, agreement: { scoreDeviation: 1.1 } });
    expect(flagsOf([...steady, edge]).edge).toEqual([]);
    expect(flagsOf([...steady, edge], { ...DEFAULT_QUALITY_THRESHOLDS, minGoldScore: 0.51, maxScoreDeviation: 1.09 }).edge!.map((f) => f.code)).toEqual([
      'gold-score',
      'score-deviation',
    ]);
  });

  it('the others’ median leaves out rejected annotators and missing figures; alone, a flag says so', () => {
    const rejected = figures('r', { gold: { score: 0.1 }, status: 'rejected' });
    const noGold = figures('n', { gold: { items: 0, score: null } });
    const low = figures('low', { gold: { score: 0.2 } });
    // Others of "low": s1 0.82, s2 0.9, s3 0.7 (not r, rejected; not n, no gold).
    expect(flagsOf([...steady, rejected, noGold, low]).low![0]!.message).toBe('gold score 0.20 over 4 gold items; others median 0.82');
    // A rejected annotator is still flagged, for the record.
    expect(flagsOf([...steady, rejected]).r!.map((f) => f.code)).toEqual(['gold-score']);
    expect(flagsOf([low]).low).toEqual([{ code: 'gold-score', message: 'gold score 0.20 over 4 gold items; no others to compare with' }]);
  });

  it('speed is judged against the others: alone, nobody is too fast', () => {
    expect(flagsOf([figures('solo', { medianActiveMs: 100 })]).solo).toEqual([]);
    expect(flagsOf([...steady, figures('quick', { medianActiveMs: 5001 })]).quick).toEqual([]);
    expect(flagsOf([...steady, figures('quick', { medianActiveMs: 4999 })]).quick!.map((f) => f.code)).toEqual(['fast']);
  });
});
