import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { base64ToBytes } from '../../src/core/encode/base64.ts';
import { consolidate, consolidateItem, itemHeatmap } from '../../src/core/dataset/consolidate.ts';
import { serializeDataset } from '../../src/core/dataset/datasetJson.ts';
import { datasetSchema, type Dataset } from '../../src/core/formats/dataset.ts';
import { formatLocatedError } from '../../src/core/formats/located.ts';
import { planConsolidation } from '../../src/core/dataset/plan.ts';
import { file, pack, rec } from './helpers/demoPack.ts';
import { decodeHeatmapPng } from '../../src/core/encode/pngDecode.ts';
import { gridSize } from '../../src/core/dataset/grid.ts';

const grid3 = gridSize(3, 3);

function ok(result: ReturnType<typeof consolidate>): Dataset {
  if (!result.ok) throw new Error(result.errors.map(formatLocatedError).join('\n'));
  return result.dataset;
}

describe('consolidate: scores, words, order', () => {
  const files = [
    file('carol', [rec('0001', { scores: { plausibility: 5, alignment: 1, aesthetics: 2, overall: 3 }, misalignedTokens: [1, 2] })]),
    file('alice', [rec('0001', { scores: { plausibility: 3, alignment: 2, aesthetics: 4, overall: 3 }, misalignedTokens: [1], points: [{ kind: 'artifact', x: 30, y: 30 }] })]),
    file('bob', [rec('0001', { scores: { plausibility: 3, alignment: 3, aesthetics: 5, overall: 4 }, misalignedTokens: [1] })]),
  ];
  const ds = ok(consolidate({ pack, files }, { grid: grid3 }));
  const item = ds.items[0]!;

  it('means, normalized scores and spreads of the three annotators', () => {
    expect(item.annotators).toEqual(['alice', 'bob', 'carol']);
    expect(item.scores).toEqual({ plausibility: 11 / 3, alignment: 2, aesthetics: 11 / 3, overall: 10 / 3 });
    expect(item.normalizedScores).toEqual({ plausibility: (11 / 3 - 1) / 4, alignment: 0.25, aesthetics: (11 / 3 - 1) / 4, overall: (10 / 3 - 1) / 4 });
    expect(item.maxScoreDiff).toEqual({ plausibility: 2, alignment: 2, aesthetics: 3, overall: 1 });
  });

  it('token votes, strict majority, RichHF label convention (0 = misaligned) and labeled prompt', () => {
    expect(item.tokens).toEqual(['a', 'yellow', 'cat']);
    expect(item.tokenVotes).toEqual([0, 3, 1]);
    expect(item.promptMisalignmentLabel).toBe('1 0 1');
    expect(item.labeledPrompt).toBe('a yellow_0 cat');
  });

  it('heatmaps: one of three annotators covers the centre cell (level 85); raw points kept per annotator', () => {
    const art = decodeHeatmapPng(base64ToBytes(item.artifactHeatmap));
    expect([art.width, art.height]).toEqual([3, 3]);
    expect([...art.gray]).toEqual([0, 0, 0, 0, 85, 0, 0, 0, 0]);
    expect([...decodeHeatmapPng(base64ToBytes(item.misalignmentHeatmap)).gray]).toEqual(new Array(9).fill(0));
    expect(item.points).toEqual({ alice: [{ kind: 'artifact', x: 30, y: 30 }], bob: [], carol: [] });
  });

  it('items 0002 and 0003 lack annotators and are skipped with the reason; the output passes the schema', () => {
    expect(ds.items.map((i) => i.id)).toEqual(['0001']);
    expect(ds.skipped).toEqual([
      { id: '0002', reason: '0 of 3 annotators' },
      { id: '0003', reason: '0 of 3 annotators' },
    ]);
    expect(datasetSchema.safeParse(ds).success).toBe(true);
  });

  it('--min-annotators lowers the bar; N = 2 ties are aligned', () => {
    const two = [file('a', [rec('0002', { misalignedTokens: [0, 1] })]), file('b', [rec('0002', { misalignedTokens: [1, 2] })])];
    const d = ok(consolidate({ pack, files: two, minAnnotators: 2 }, { grid: grid3 }));
    expect(d.items[0]!.tokens).toEqual(['two', 'dogs', 'one', 'ball']);
    expect(d.items[0]!.tokenVotes).toEqual([1, 2, 1, 0]);
    expect(d.items[0]!.promptMisalignmentLabel).toBe('1 0 1 1');
    expect(d.items[0]!.labeledPrompt).toBe('two dogs_0 one ball');
  });

  it('a pack item without a size takes the records’ size', () => {
    const d = ok(consolidate({ pack, files: [file('a', [rec('0003', { imageWidth: 80, imageHeight: 40 })])], minAnnotators: 1 }, { grid: grid3 }));
    expect([d.items[0]!.imageWidth, d.items[0]!.imageHeight]).toEqual([80, 40]);
  });

  it("itemHeatmap (the review page's item view) gives the same levels as the dataset's PNG", () => {
    const plan = planConsolidation({ pack, files }).items[0]!;
    expect([...itemHeatmap(plan, 'artifact', grid3).gray]).toEqual([0, 0, 0, 0, 85, 0, 0, 0, 0]);
    expect([...decodeHeatmapPng(base64ToBytes(item.artifactHeatmap)).gray]).toEqual([0, 0, 0, 0, 85, 0, 0, 0, 0]);
    expect(consolidateItem(plan, grid3)).toEqual(item);
  });
});

describe('consolidate: duplicates, unknown items, errors', () => {
  it('keeps the latest record of an annotator and warns', () => {
    const files = [
      file('alice', [rec('0001', { submittedAt: '2026-11-26T10:00:00.000Z', scores: { plausibility: 1, alignment: 1, aesthetics: 1, overall: 1 } })]),
      file('alice', [rec('0001', { submittedAt: '2026-11-26T12:00:00+01:00', scores: { plausibility: 5, alignment: 5, aesthetics: 5, overall: 5 } })]), // 11:00Z, later
    ];
    const d = ok(consolidate({ pack, files, minAnnotators: 1 }, { grid: grid3 }));
    expect(d.items[0]!.scores.plausibility).toBe(5);
    expect(d.items[0]!.annotators).toEqual(['alice']);
    expect(d.warnings).toEqual(['item "0001": annotator "alice" has 2 records; kept the latest (submitted 2026-11-26T12:00:00+01:00)']);
  });

  it('an item id not in the pack is skipped with a warning', () => {
    const d = ok(consolidate({ pack, files: [file('bob', [rec('0099')]), file('alice', [rec('0099')])], minAnnotators: 1 }, { grid: grid3 }));
    expect(d.skipped.at(-1)).toEqual({ id: '0099', reason: 'not in the pack' });
    expect(d.warnings).toEqual(['item "0099" is not in the pack (annotated by "alice", "bob"); left out']);
  });

  it('locates token indices out of range, size mismatches and a wrong pack name', () => {
    const r = consolidate({
      pack,
      files: [file('alice', [rec('0001'), rec('0001', { misalignedTokens: [0, 3] }), rec('0002', { imageWidth: 201 })]), file('bob', [rec('0001')], 'other')],
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map(formatLocatedError)).toEqual([
      'alice.json: annotations[1].misalignedTokens[1]: token index 3 is out of range (item "0001" has 3 tokens)',
      'alice.json: annotations[2].imageWidth: 201 differs from the pack\'s width 200 for item "0002"',
      'bob.json: pack: "other" is not this pack\'s name "demo"',
    ]);
  });

  it('records disagreeing on the size of an item the pack gives no size for', () => {
    const plan = planConsolidation({ pack, files: [file('a', [rec('0003')]), file('b', [rec('0003', { imageWidth: 61 })])] });
    expect(plan.errors.map(formatLocatedError)).toEqual(['b.json: annotations[0]: image size 61x60 differs from 60x60 in a.json annotations[0] for item "0003"']);
  });
});

describe('property: order independence', () => {
  const pointArb = fc.record({ kind: fc.constantFrom('artifact' as const, 'misalignment' as const), x: fc.integer({ min: 0, max: 60 }), y: fc.integer({ min: 0, max: 60 }) });
  const likert = fc.integer({ min: 1, max: 5 });
  const recArb = fc.record({
    itemId: fc.constantFrom('0001', '0003', '0404'),
    points: fc.array(pointArb, { maxLength: 4 }),
    misalignedTokens: fc.uniqueArray(fc.integer({ min: 0, max: 2 }), { maxLength: 3 }),
    scores: fc.record({ plausibility: likert, alignment: likert, aesthetics: likert, overall: likert }),
    submittedAt: fc.constantFrom('2026-11-26T10:00:00.000Z', '2026-11-26T11:00:00.000Z', '2026-11-26T12:00:00+01:00'),
  });
  const filesArb = fc.array(fc.tuple(fc.constantFrom('alice', 'bob', 'carol', '10', '9'), fc.array(recArb, { maxLength: 4 })), { minLength: 1, maxLength: 5 });
  it('shuffling files and records gives the same bytes', () => {
    fc.assert(
      fc.property(filesArb, fc.integer(), (spec, seed) => {
        const files = spec.map(([who, recs], i) => ({
          name: `f${i}.json`,
          file: file(
            who,
            recs.map((r) => rec(r.itemId, r)),
          ).file,
        }));
        const shuffled = fc.sample(fc.shuffledSubarray(files, { minLength: files.length, maxLength: files.length }), { numRuns: 1, seed })[0]!;
        const reordered = shuffled.map((f) => ({ name: f.name, file: { ...f.file, annotations: [...f.file.annotations].reverse() } }));
        const a = consolidate({ pack, files, minAnnotators: 1 }, { grid: gridSize(16, 16) });
        const b = consolidate({ pack, files: reordered, minAnnotators: 1 }, { grid: gridSize(16, 16) });
        expect(a.ok && b.ok).toBe(true);
        if (a.ok && b.ok) expect(serializeDataset(b.dataset)).toBe(serializeDataset(a.dataset));
      }),
      { numRuns: 60 },
    );
  });
});
