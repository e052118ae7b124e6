import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  agreementSummary,
  annotatorStats,
  dice,
  discMask,
  ratedItemFromPlan,
  itemHeatmapAgreement,
  meanHistogram,
  median,
  spreadHistogram,
  summarizeItem,
  type RatedItem,
} from '../../src/core/dataset/agreement.ts';
import { consolidate } from '../../src/core/dataset/consolidate.ts';
import { planConsolidation } from '../../src/core/dataset/plan.ts';
import type { AnnotationFile, AnnotationRecord, LikertScores, Point, TaskPack } from '../../src/core/formats/index.ts';
import { gridSize } from '../../src/core/dataset/grid.ts';

const s = (plausibility: number, alignment: number, aesthetics: number, overall: number): LikertScores => ({ plausibility, alignment, aesthetics, overall });
const art = (x: number, y: number): Point => ({ kind: 'artifact', x, y });

function rec(itemId: string, scores: LikertScores, points: Point[], activeMs: number, submittedAt = '2026-01-01T00:00:00Z'): AnnotationRecord {
  return { itemId, imageWidth: 40, imageHeight: 40, points, misalignedTokens: [], scores, submittedAt, activeMs };
}

const pack: TaskPack = {
  format: 'richhf-taskpack',
  version: 1,
  name: 'agree',
  annotatorsPerItem: 3,
  items: ['i1', 'i2', 'x', 'z'].map((id) => ({ id, image: `${id}.png`, prompt: 'a red ball', width: 40, height: 40 })),
};

/** The items as the review page rates them: consolidation's plan (grouping, latest record, order), then ratedItemFromPlan. */
function rated(list: readonly Pick<AnnotationFile, 'annotator' | 'annotations'>[]): RatedItem[] {
  const files = list.map((f) => ({ name: `${f.annotator}.json`, file: { format: 'richhf-annotations' as const, version: 1 as const, pack: pack.name, ...f } }));
  const plan = planConsolidation({ pack, files, minAnnotators: 1 });
  expect(plan.errors).toEqual([]);
  return plan.items.map(ratedItemFromPlan);
}

/*
 * A 40x40 image on a 4x4 agreement grid: cells are 10x10 image pixels with centres at 5, 15, 25, 35,
 * and the disc radius is 40 / 20 = 2 pixels, so a point on a cell centre covers that cell only.
 */
const files: Pick<AnnotationFile, 'annotator' | 'annotations'>[] = [
  {
    annotator: 'carol',
    annotations: [rec('i1', s(3, 2, 5, 2), [], 10_000)],
  },
  {
    annotator: 'alice',
    annotations: [
      rec('i1', s(5, 2, 3, 4), [art(5, 5)], 1000, '2026-01-02T00:00:00Z'),
      rec('i2', s(3, 3, 3, 3), [art(5, 5), art(15, 5)], 3000),
      // An older duplicate of i1: must be ignored whatever its position.
      rec('i1', s(1, 1, 1, 1), [], 99_999, '2026-01-01T00:00:00Z'),
    ],
  },
  {
    annotator: 'bob',
    annotations: [rec('i1', s(4, 2, 3, 1), [art(5, 5)], 500), rec('i2', s(3, 3, 3, 3), [art(15, 5)], 700)],
  },
];

describe('ratedItemFromPlan: the records consolidation keeps', () => {
  it('keeps the latest record per annotator and sorts annotators by id', () => {
    const items = rated(files);
    expect(items.map((i) => i.id)).toEqual(['i1', 'i2']);
    expect(items[0]!.ratings.map((r) => r.annotator)).toEqual(['alice', 'bob', 'carol']);
    expect(items[0]!.ratings[0]!.scores).toEqual(s(5, 2, 3, 4));
    expect(items[1]!.ratings.map((r) => r.annotator)).toEqual(['alice', 'bob']);
  });

  it('two records with the same submittedAt: the one the dataset keeps, in any record order', () => {
    // The removed groupRatings kept the later one in input order; the plan breaks the tie by content.
    const a = rec('i1', s(2, 2, 2, 2), [], 10);
    const b = rec('i1', s(4, 4, 4, 4), [], 10);
    for (const annotations of [
      [a, b],
      [b, a],
    ]) {
      const [item] = rated([{ annotator: 'dana', annotations }]);
      const dataset = consolidate(
        { pack, files: [{ name: 'dana.json', file: { format: 'richhf-annotations', version: 1, pack: pack.name, annotator: 'dana', annotations } }], minAnnotators: 1 },
        { grid: gridSize(4, 4) },
      );
      if (!dataset.ok) throw new Error('consolidation failed');
      expect(item!.ratings[0]!.scores).toEqual(dataset.dataset.items[0]!.scores);
      expect(item!.ratings[0]!.scores).toEqual(s(4, 4, 4, 4));
    }
  });
});

describe('spreadHistogram', () => {
  it('counts spreads 0..4 and the paper shares', () => {
    const h = spreadHistogram([0, 1, 1, 4, 2]);
    expect(h.counts).toEqual([1, 2, 1, 0, 1]);
    expect(h.total).toBe(5);
    expect(h.shareZero).toBeCloseTo(0.2, 12);
    expect(h.shareAtMostOne).toBeCloseTo(0.6, 12);
  });
  it('is all zero for no items', () => {
    expect(spreadHistogram([])).toEqual({ counts: [0, 0, 0, 0, 0], total: 0, shareZero: 0, shareAtMostOne: 0 });
  });
});

describe('meanHistogram', () => {
  it('uses half-open bins of 0.5 from 1 with the last bin closed at 5', () => {
    expect(meanHistogram([1, 1.5, 4.99, 5, 7 / 3])).toEqual([1, 1, 1, 0, 0, 0, 0, 2]);
  });
});

describe('median', () => {
  it('takes the middle value or the mean of the two middle values', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });
});

describe('discMask', () => {
  it('covers the cells whose centres are within H / 20 of a point (boundary included)', () => {
    // 40x100 image on a 4x10 grid: 10x10 cells, radius 100 / 20 = 5.
    // (10, 5) is exactly 5 from the centres (5, 5) and (15, 5): both covered, nothing else.
    const m = discMask([art(10, 5)], 'artifact', 40, 100, 4, 10);
    expect([...m].flatMap((v, i) => (v ? [i] : []))).toEqual([0, 1]);
    // (10, 10) is sqrt(50) = 7.07 from its four nearest centres: no cell covered.
    expect(discMask([art(10, 10)], 'artifact', 40, 100, 4, 10).reduce((a, b) => a + b, 0)).toBe(0);
    // Points of the other kind are ignored.
    expect(discMask([art(10, 5)], 'misalignment', 40, 100, 4, 10).reduce((a, b) => a + b, 0)).toBe(0);
  });
  it('agrees with a brute-force scan of every cell', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 300 }),
        fc.integer({ min: 1, max: 300 }),
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 1, max: 20 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (w, h, gw, gh, fx, fy) => {
          const p = art(fx * w, fy * h);
          const m = discMask([p], 'artifact', w, h, gw, gh);
          const r = h / 20;
          for (let row = 0; row < gh; row++) {
            for (let c = 0; c < gw; c++) {
              const dx = ((c + 0.5) * w) / gw - p.x;
              const dy = ((row + 0.5) * h) / gh - p.y;
              if (m[row * gw + c] !== (dx * dx + dy * dy <= r * r ? 1 : 0)) return false;
            }
          }
          return true;
        },
      ),
    );
  });
});

describe('dice', () => {
  it('is 2|A and B| / (|A| + |B|), null for two empty masks', () => {
    expect(dice(Uint8Array.of(1, 1, 0, 0), Uint8Array.of(0, 1, 1, 0))).toBe(0.5);
    expect(dice(Uint8Array.of(1, 0), Uint8Array.of(1, 0))).toBe(1);
    expect(dice(Uint8Array.of(1, 0), Uint8Array.of(0, 0))).toBe(0);
    expect(dice(Uint8Array.of(0, 0), Uint8Array.of(0, 0))).toBeNull();
  });
});

describe('item summaries', () => {
  const items = rated(files);
  it('gives means, spreads and the low-agreement flag', () => {
    const a = summarizeItem(items[0]!, undefined, 4);
    // alice 5 2 3 4, bob 4 2 3 1, carol 3 2 5 2.
    expect(a.done).toBe(3);
    expect(a.means.plausibility).toBe(4);
    expect(a.means.aesthetics).toBeCloseTo(11 / 3, 12);
    expect(a.spreads).toEqual({ plausibility: 2, alignment: 0, aesthetics: 2, overall: 3 });
    // artifact pairs: alice-bob same cell = 1, alice-carol 0, bob-carol 0; no misalignment points.
    expect(a.heatmapAgreement).toBeCloseTo(1 / 3, 12);
    expect(a.lowAgreement).toBe(true); // overall spread 3
    const b = summarizeItem(items[1]!, undefined, 4);
    // alice covers 2 cells, bob 1 of them: Dice = 2 * 1 / 3.
    expect(b.heatmapAgreement).toBeCloseTo(2 / 3, 12);
    expect(b.lowAgreement).toBe(false);
  });
  it('flags disjoint heatmaps even when the scores agree', () => {
    const item: RatedItem = {
      id: 'x',
      imageWidth: 40,
      imageHeight: 40,
      ratings: rated([
        { annotator: 'a', annotations: [rec('x', s(3, 3, 3, 3), [art(5, 5)], 1)] },
        { annotator: 'b', annotations: [rec('x', s(3, 3, 3, 3), [art(35, 35)], 1)] },
      ])[0]!.ratings,
    };
    expect(itemHeatmapAgreement(item, 4)).toBe(0);
    expect(summarizeItem(item, undefined, 4).lowAgreement).toBe(true);
  });
});

describe('annotatorStats', () => {
  it('gives items done, median active time, bias against the consensus and point agreement', () => {
    const stats = annotatorStats(rated(files), 4);
    expect(stats.map((x) => x.annotator)).toEqual(['alice', 'bob', 'carol']);
    const [alice, bob, carol] = stats;
    expect(alice!.itemsDone).toBe(2);
    expect(alice!.medianActiveMs).toBe(2000);
    // i1: 5 - 4 = +1, i2: 3 - 3 = 0 -> mean 0.5; overall: (4 - 7/3) + 0 -> 5/6.
    expect(alice!.bias.plausibility).toBeCloseTo(0.5, 12);
    expect(alice!.bias.overall).toBeCloseTo(5 / 6, 12);
    // Pairs: i1 alice-bob 1, i1 alice-carol 0, i2 alice-bob 2/3 -> 5/9.
    expect(alice!.pointAgreement).toBeCloseTo(5 / 9, 12);
    expect(alice!.pointPairs).toBe(3);
    expect(bob!.medianActiveMs).toBe(600);
    expect(bob!.pointAgreement).toBeCloseTo(5 / 9, 12);
    expect(carol!.itemsDone).toBe(1);
    // carol: 3 - 4 = -1 on plausibility in her only item.
    expect(carol!.bias.plausibility).toBeCloseTo(-1, 12);
    expect(carol!.pointAgreement).toBe(0);
    expect(carol!.pointPairs).toBe(2);
  });
  it('leaves bias undefined (NaN) without a second annotator', () => {
    const [only] = annotatorStats(rated([{ annotator: 'solo', annotations: [rec('z', s(1, 2, 3, 4), [], 5)] }]), 4);
    expect(only!.bias.plausibility).toBeNaN();
    expect(only!.pointAgreement).toBeNull();
  });
});

describe('agreementSummary', () => {
  it('builds the histograms over complete items only', () => {
    const items = rated(files);
    const rows = items.map((i) => summarizeItem(i, undefined, 4));
    const sum = agreementSummary(items, rows, 3, 4);
    expect(sum.items).toBe(1);
    expect(sum.spreads.overall.counts).toEqual([0, 0, 0, 1, 0]);
    expect(sum.spreads.alignment.shareZero).toBe(1);
    expect(sum.means.plausibility).toEqual([0, 0, 0, 0, 0, 0, 1, 0]); // mean 4 -> bin [4, 4.5)
    expect(sum.annotators).toHaveLength(3);
  });
});
