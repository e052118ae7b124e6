import { describe, expect, it } from 'vitest';
import type { LikertScores, Point } from '../../src/core/formats/index.ts';
import { qualitySchema } from '../../src/core/formats/quality.ts';
import type { Gold } from '../../src/core/formats/taskpack.ts';
import { areaOverlap, discMap, leaveOneOutCC, qualityGrid } from '../../src/core/quality/discMap.ts';
import { compareWithGold } from '../../src/core/quality/goldCompare.ts';
import { compareWithPeers } from '../../src/core/quality/peerAgreement.ts';
import { measureQuality, qualityReport, type QualityItem } from '../../src/core/quality/qualityReport.ts';
import { majorityWords, wordF1 } from '../../src/core/quality/words.ts';

/*
 * Hand-checkable geometry: a 64 x 64 image has a 64 x 64 quality grid, so cells are 1 image
 * pixel with centres at (c + 0.5, r + 0.5), and the disc radius is 64 / 20 = 3.2 pixels. A
 * point on a cell centre covers the lattice points (i, j) with i^2 + j^2 <= 10.24: rows j = 0,
 * ±1 have 7 cells, j = ±2 have 5, j = ±3 have 3, 37 in all. Two such discs one cell apart share
 * 30 cells (rows 0, ±1: 6 each, ±2: 4, ±3: 2). The map has 2 * 64 * 64 = 8192 cells.
 */
const IMAGE = { width: 64, height: 64 };
const GRID = qualityGrid(64, 64);
const CELLS = 8192;
const art = (x: number, y: number): Point => ({ kind: 'artifact', x, y });
const mis = (x: number, y: number): Point => ({ kind: 'misalignment', x, y });
const s = (p: number, a = p, ae = p, o = p): LikertScores => ({ plausibility: p, alignment: a, aesthetics: ae, overall: o });
const map = (points: Point[]) => discMap(points, IMAGE, GRID);
const answer = (scores: LikertScores, misalignedTokens: number[] = [], points: Point[] = []) => ({ scores, misalignedTokens, points });

describe('disc maps', () => {
  it('the quality grid has square cells, 64 rows', () => {
    expect(GRID).toEqual({ width: 64, height: 64 });
    expect(qualityGrid(768, 512)).toEqual({ width: 96, height: 64 });
    expect(qualityGrid(512, 768)).toEqual({ width: 43, height: 64 });
    expect(qualityGrid(10, 100_000)).toEqual({ width: 1, height: 64 });
  });

  it('a disc covers 37 cells; kinds are apart; one annotator’s overlapping discs count once; no points is null', () => {
    expect(map([art(10.5, 10.5)])).toHaveLength(37);
    expect(map([art(10.5, 10.5), art(10.5, 10.5)])).toHaveLength(37);
    const both = map([art(10.5, 10.5), mis(10.5, 10.5)])!;
    expect(both).toHaveLength(74);
    expect(both[36]! < 4096 && both[37]! >= 4096).toBe(true);
    expect(map([])).toBeNull();
  });

  it('area precision, recall and F1', () => {
    expect(areaOverlap(map([art(10.5, 10.5)]), map([art(10.5, 10.5)]))).toEqual({ precision: 1, recall: 1, f1: 1 });
    expect(areaOverlap(map([art(10.5, 10.5)]), map([art(11.5, 10.5)]))).toEqual({ precision: 30 / 37, recall: 30 / 37, f1: 30 / 37 });
    // Own: two discs (74 cells), one on the reference's (37 cells).
    expect(areaOverlap(map([art(10.5, 10.5), art(40.5, 40.5)]), map([art(10.5, 10.5)]))).toEqual({ precision: 0.5, recall: 1, f1: (2 * 37) / (74 + 37) });
    expect(areaOverlap(map([mis(10.5, 10.5)]), map([art(10.5, 10.5)]))).toEqual({ precision: 0, recall: 0, f1: 0 });
  });

  it('empty answers: both empty agree fully; one empty leaves the other ratio undefined', () => {
    expect(areaOverlap(null, null)).toEqual({ precision: 1, recall: 1, f1: 1 });
    expect(areaOverlap(null, map([art(10.5, 10.5)]))).toEqual({ precision: null, recall: 0, f1: 0 });
    expect(areaOverlap(map([art(10.5, 10.5)]), null)).toEqual({ precision: 0, recall: null, f1: 0 });
  });

  it('leave-one-out CC: identical maps 1, shifted discs by the formula, one side empty 0, nothing marked null, no other peer null', () => {
    const a = map([art(10.5, 10.5)]);
    const b = map([art(11.5, 10.5)]);
    expect(leaveOneOutCC([a, a], [true, true], CELLS)).toEqual([1, 1]);
    // CC of two 0/1 maps of 37 cells sharing 30, over 8192 cells: (8192*30 - 37*37) / (8192*37 - 37*37).
    const shifted = (8192 * 30 - 37 * 37) / (8192 * 37 - 37 * 37);
    const [ab, ba] = leaveOneOutCC([a, b], [true, true], CELLS);
    expect(ab).toBeCloseTo(shifted, 12);
    expect(ba).toBeCloseTo(shifted, 12);
    expect(leaveOneOutCC([a, null], [true, true], CELLS)).toEqual([0, 0]);
    expect(leaveOneOutCC([null, null], [true, true], CELLS)).toEqual([null, null]);
    expect(leaveOneOutCC([a], [true], CELLS)).toEqual([null]);
    const [, , c] = leaveOneOutCC([a, b, a], [true, true, false], CELLS);
    // x = a (0/1, 37 cells); y = a + b: 30 cells of 2, 14 cells of 1. Σx = 37, Σy = 74, Σy² = 30*4 + 14 = 134, Σxy = 30*2 + 7*1 = 67.
    expect(c).toBeCloseTo((8192 * 67 - 37 * 74) / Math.sqrt((8192 * 37 - 37 * 37) * (8192 * 134 - 74 * 74)), 12);
  });
});

describe('words', () => {
  it('F1 of sets, 1 when both are empty; strict majority', () => {
    expect(wordF1([], [])).toBe(1);
    expect(wordF1([1], [])).toBe(0);
    expect(wordF1([1, 2], [2, 3])).toBe(0.5);
    expect(wordF1([2, 2, 3], [3, 2])).toBe(1);
    expect(majorityWords([[0], [0, 1]])).toEqual([0]);
    expect(majorityWords([[0], [1]])).toEqual([]);
    expect(majorityWords([[4, 1]])).toEqual([1, 4]);
    expect(majorityWords([])).toEqual([]);
  });
});

describe('one answer against a gold item', () => {
  const gold: Gold = { scores: { plausibility: 3, overall: 5 }, misalignedTokens: [1, 2], points: [art(10.5, 10.5)] };

  it('scores on the reference scales only, words F1, disc area, and their mean', () => {
    const c = compareWithGold(answer(s(4, 1, 1, 2), [2, 3], [art(10.5, 10.5)]), gold, IMAGE);
    // plausibility |4 - 3| = 1 (within), overall |2 - 5| = 3 (not): 1 of 2, mean difference 2.
    expect(c).toEqual({ scoresWithinOne: 0.5, scoreAbsDiff: 2, wordF1: 0.5, discs: { precision: 1, recall: 1, f1: 1 }, score: (0.5 + 0.5 + 1) / 3 });
  });

  it('an empty answer: no words and no points against a reference with both', () => {
    const c = compareWithGold(answer(s(3, 1, 1, 5)), gold, IMAGE);
    expect(c).toEqual({ scoresWithinOne: 1, scoreAbsDiff: 0, wordF1: 0, discs: { precision: null, recall: 0, f1: 0 }, score: 1 / 3 });
  });

  it('an empty reference ("nothing to mark") and an empty answer agree; parts the reference leaves out are not judged', () => {
    expect(compareWithGold(answer(s(1)), { points: [], misalignedTokens: [] }, IMAGE)).toEqual({
      scoresWithinOne: null,
      scoreAbsDiff: null,
      wordF1: 1,
      discs: { precision: 1, recall: 1, f1: 1 },
      score: 1,
    });
    expect(compareWithGold(answer(s(1), [0], [art(5, 5)]), { explanation: 'only words of advice' }, IMAGE)).toEqual({
      scoresWithinOne: null,
      scoreAbsDiff: null,
      wordF1: null,
      discs: null,
      score: null,
    });
  });
});

describe('leave-one-out agreement on one item', () => {
  const a = { annotator: 'a', answer: answer(s(1), [0], [art(10.5, 10.5)]) };
  const b = { annotator: 'b', answer: answer(s(3), [0, 1], [art(10.5, 10.5)]) };
  const c = { annotator: 'c', answer: answer(s(5)) };
  const everyone = () => true;

  it('each annotator against the other two', () => {
    expect(compareWithPeers([a, b, c], everyone, IMAGE)).toEqual([
      // Others b, c: mean 4 on every scale; their majority: token 0 has 1 of 2 votes, so none; b's disc is a's.
      { annotator: 'a', others: 2, scoreDeviation: 3, wordAgreement: 0, discCC: 1, marked: true, othersMarked: true },
      // Others a, c: mean 3; majority none; a's disc is b's.
      { annotator: 'b', others: 2, scoreDeviation: 0, wordAgreement: 0, discCC: 1, marked: true, othersMarked: true },
      // Others a, b: mean 2; majority [0] (2 of 2) against none marked; no points where others marked: CC 0.
      { annotator: 'c', others: 2, scoreDeviation: 3, wordAgreement: 0, discCC: 0, marked: false, othersMarked: true },
    ]);
  });

  it('a rejected annotator is compared with the others, but nobody with them', () => {
    const peers = compareWithPeers([a, b, c], (id) => id !== 'c', IMAGE);
    expect(peers[0]).toEqual({ annotator: 'a', others: 1, scoreDeviation: 2, wordAgreement: 2 / 3, discCC: 1, marked: true, othersMarked: true });
    expect(peers[2]).toEqual({ annotator: 'c', others: 2, scoreDeviation: 3, wordAgreement: 0, discCC: 0, marked: false, othersMarked: true });
  });

  it('an item only one annotator answered gives no comparison; nor does one whose only other is rejected, for the peer', () => {
    expect(compareWithPeers([a], everyone, IMAGE)).toEqual([]);
    expect(compareWithPeers([a, c], (id) => id === 'a', IMAGE).map((p) => p.annotator)).toEqual(['c']);
  });

  it('nobody marked a point: the disc CC is left out (null), words agree on nothing', () => {
    const quiet = compareWithPeers([c, { annotator: 'd', answer: answer(s(4)) }], everyone, IMAGE);
    expect(quiet).toEqual([
      { annotator: 'c', others: 1, scoreDeviation: 1, wordAgreement: 1, discCC: null, marked: false, othersMarked: false },
      { annotator: 'd', others: 1, scoreDeviation: 1, wordAgreement: 1, discCC: null, marked: false, othersMarked: false },
    ]);
  });
});

describe('per-annotator figures and the report', () => {
  const rec = (scores: LikertScores, activeMs: number, misalignedTokens: number[] = [], points: Point[] = []) => ({ scores, misalignedTokens, points, activeMs });
  const items: QualityItem[] = [
    {
      id: 'g1',
      ...{ imageWidth: 64, imageHeight: 64 },
      gold: { scores: s(3), misalignedTokens: [0], points: [art(10.5, 10.5)] },
      records: [
        { annotator: 'ann', record: rec(s(3), 4000, [0], [art(10.5, 10.5)]) }, // gold score 1
        { annotator: 'bob', record: rec(s(5), 1000) }, // no score within ±1 of 3, no words, no points: gold score 0
      ],
    },
    {
      id: 'o1',
      imageWidth: 64,
      imageHeight: 64,
      records: [
        { annotator: 'ann', record: rec(s(2), 6000, [], [art(10.5, 10.5)]) },
        { annotator: 'bob', record: rec(s(5), 1000) },
      ],
    },
    { id: 'o2', imageWidth: 64, imageHeight: 64, records: [{ annotator: 'bob', record: rec(s(5), 3000) }] },
  ];

  it('gold, agreement and behaviour figures by hand', () => {
    const [ann, bob, cy] = measureQuality({ items, annotators: ['cy'] });
    expect(ann).toEqual({
      id: 'ann',
      submissions: 2,
      gold: { items: 1, score: 1, scoresWithinOne: 1, scoreAbsDiff: 0, wordF1: 1, discPrecision: 1, discRecall: 1, discF1: 1 },
      // o1 against bob: |2 - 5| = 3 on every scale; words: both empty, 1; own disc, bob none: CC 0.
      agreement: { items: 1, scoreDeviation: 3, wordAgreement: 1, discCC: 0, discItems: 1 },
      medianActiveMs: 5000,
      behaviour: { sameScores: s(2), sameScoresItems: 1, sameScoresShare: 0.5, othersMarkedItems: 0, noPointsItems: 0, noPointsShare: null },
      status: 'active',
    });
    expect(bob).toEqual({
      id: 'bob',
      submissions: 3,
      // |5 - 3| = 2 on all four scales: none within ±1; words F1([], [0]) = 0; discs none against one: 0.
      gold: { items: 1, score: 0, scoresWithinOne: 0, scoreAbsDiff: 2, wordF1: 0, discPrecision: null, discRecall: 0, discF1: 0 },
      // o2 has bob alone: not compared.
      agreement: { items: 1, scoreDeviation: 3, wordAgreement: 1, discCC: 0, discItems: 1 },
      medianActiveMs: 1000,
      behaviour: { sameScores: s(5), sameScoresItems: 3, sameScoresShare: 1, othersMarkedItems: 1, noPointsItems: 1, noPointsShare: 1 },
      status: 'active',
    });
    expect(cy).toEqual({
      id: 'cy',
      submissions: 0,
      gold: { items: 0, score: null, scoresWithinOne: null, scoreAbsDiff: null, wordF1: null, discPrecision: null, discRecall: null, discF1: null },
      agreement: { items: 0, scoreDeviation: null, wordAgreement: null, discCC: null, discItems: 0 },
      medianActiveMs: null,
      behaviour: { sameScores: null, sameScoresItems: 0, sameScoresShare: null, othersMarkedItems: 0, noPointsItems: 0, noPointsShare: null },
      status: 'active',
    });
  });

  it('a rejected annotator keeps their figures and status, and is nobody’s other', () => {
    const [ann, bob] = measureQuality({ items, rejected: new Set(['bob']) });
    expect(bob!.status).toBe('rejected');
    expect(bob!.agreement.items).toBe(1);
    expect(ann!.status).toBe('active');
    expect(ann!.agreement).toEqual({ items: 0, scoreDeviation: null, wordAgreement: null, discCC: null, discItems: 0 });
  });

  it('the report is what GET /api/v1/quality answers: valid, JSON-safe, sorted by id', () => {
    const report = qualityReport({ items, annotators: ['cy'] });
    const roundTrip = JSON.parse(JSON.stringify(report));
    expect(roundTrip).toEqual(report);
    expect(qualitySchema.safeParse(roundTrip).success).toBe(true);
    expect(report.annotators.map((a) => a.id)).toEqual(['ann', 'bob', 'cy']);
    // Contract fields, exactly as the issue names them.
    for (const a of report.annotators) {
      expect(Object.keys(a)).toEqual(expect.arrayContaining(['id', 'submissions', 'gold', 'agreement', 'medianActiveMs', 'flags', 'status']));
      expect(Object.keys(a.gold)).toEqual(expect.arrayContaining(['items', 'score']));
      expect(Object.keys(a.agreement)).toEqual(expect.arrayContaining(['items', 'scoreDeviation', 'wordAgreement', 'discCC']));
    }
  });
});
