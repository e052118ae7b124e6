import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PackCheck, planConsolidation, type AnnotationSource } from '../../src/core/dataset/plan.ts';
import type { AnnotationRecord } from '../../src/core/formats/annotations.ts';
import { formatLocatedError } from '../../src/core/formats/located.ts';
import type { TaskPack } from '../../src/core/formats/taskpack.ts';
import { file as annotatorFile, pack as demoPack, rec } from './helpers/demoPack.ts';

/**
 * PackCheck (what `richhf validate` runs against a pack, keeping no records) gives the errors
 * and warnings of planConsolidation (what `consolidate` runs, keeping them all).
 */
/** The demo pack, an item the pack gives only a width for, and two comparison items (which the dataset leaves to the comparison report). */
const pack: TaskPack = {
  ...demoPack,
  version: 2,
  items: [
    ...demoPack.items,
    { id: '0004', image: 'images/0004.png', prompt: 'only a width', width: 60 },
    { id: 'c1', kind: 'compare', prompt: 'a cat', images: [{ image: 'a.png' }, { image: 'b.png' }] },
    { id: 'c2', kind: 'compare', prompt: 'a dog', images: [{ image: 'c.png' }, { image: 'd.png' }], criteria: ['plausibility', 'overall'] },
  ],
};

/** A file named `name` (an annotator may have several). */
const file = (name: string, annotator: string, annotations: AnnotationRecord[], packName = 'demo'): AnnotationSource => ({
  ...annotatorFile(annotator, annotations, packName),
  name,
});

/** Feeds the files to a PackCheck as `richhf validate` does; `invalid` files are read and then dropped. */
function packCheck(files: readonly AnnotationSource[], invalid: readonly AnnotationSource[] = []) {
  const check = new PackCheck(pack);
  for (const f of [...invalid, ...files]) {
    check.beginFile(f.name);
    f.file.annotations.forEach((r, i) => check.record(i, r));
    check.endFile(invalid.includes(f) ? null : { pack: f.file.pack, annotator: f.file.annotator });
  }
  return check.finish();
}

/** The instant in a duplicate warning, spelled one way (see PackCheck on instants written two ways). */
const sameSpelling = (warnings: readonly string[]) =>
  warnings.map((w) => w.replace(/\(submitted ([^)]+)\)$/, (_, t: string) => `(submitted ${new Date(Date.parse(t)).toISOString()})`));

describe('PackCheck', () => {
  it('reports what planConsolidation reports, on hand-checked files', () => {
    const files = [
      file('a.json', 'alice', [
        rec('0001'),
        rec('0001', { misalignedTokens: [0, 3], submittedAt: '2026-11-26T11:00:00.000Z' }),
        rec('0002', { imageWidth: 201, imageHeight: 100 }),
        rec('0404'),
      ]),
      file('b.json', 'bob', [rec('0003', { imageWidth: 61 }), rec('0004', { imageHeight: 50 })]),
      file('c.json', 'carol', [rec('0001')], 'other'),
    ];
    const r = packCheck(files);
    expect(r.errors.map(formatLocatedError)).toEqual([
      'a.json: annotations[1].misalignedTokens[1]: token index 3 is out of range (item "0001" has 3 tokens)',
      'a.json: annotations[2].imageWidth: 201 differs from the pack\'s width 200 for item "0002"',
      'c.json: pack: "other" is not this pack\'s name "demo"',
    ]);
    expect(r.warnings).toEqual([
      'item "0001": annotator "alice" has 2 records; kept the latest (submitted 2026-11-26T11:00:00.000Z)',
      'item "0404" is not in the pack (annotated by "alice"); left out',
    ]);
    const plan = planConsolidation({ pack, files });
    expect([r.errors, r.unlisted, r.warnings]).toEqual([plan.errors, plan.unlisted, plan.warnings]);
  });

  it('records disagreeing on the size of an item the pack gives no size for', () => {
    const files = [file('b.json', 'bob', [rec('0003', { imageWidth: 61 })]), file('a.json', 'alice', [rec('0003')])];
    expect(packCheck(files).errors.map(formatLocatedError)).toEqual(['b.json: annotations[0]: image size 61x60 differs from 60x60 in a.json annotations[0] for item "0003"']);
  });

  it('a file found invalid after some of its records were read counts for nothing', () => {
    const good = file('a.json', 'alice', [rec('0001')]);
    const bad = file('bad.json', 'alice', [rec('0001', { misalignedTokens: [9] }), rec('0404'), rec('0001')], 'other');
    expect(packCheck([good], [bad])).toEqual(packCheck([good]));
    expect(packCheck([good]).warnings).toEqual([]);
  });

  it('property: the same errors, unlisted counts and warnings as planConsolidation', () => {
    const likert = fc.integer({ min: 1, max: 5 });
    const ratingArb = fc.record({
      itemId: fc.constantFrom('0001', '0002', '0003', '0004', '0404', 'c1'),
      imageWidth: fc.constantFrom(60, 61, 200),
      imageHeight: fc.constantFrom(60, 100),
      misalignedTokens: fc.uniqueArray(fc.integer({ min: 0, max: 4 }), { maxLength: 3 }),
      scores: fc.record({ plausibility: likert, alignment: likert, aesthetics: likert, overall: likert }),
      // Two spellings of one instant, as well as different instants.
      submittedAt: fc.constantFrom('2026-11-26T10:00:00.000Z', '2026-11-26T11:00:00.000Z', '2026-11-26T12:00:00+01:00'),
    });
    const answer = fc.integer({ min: -2, max: 2 });
    const comparisonArb = fc.record({
      itemId: fc.constantFrom('c1', 'c2', '0001'),
      left: fc.constantFrom<0 | 1>(0, 1),
      answers: fc.oneof(fc.record({ plausibility: answer }), fc.record({ plausibility: answer, overall: answer })),
      submittedAt: fc.constantFrom('2026-11-26T10:00:00.000Z', '2026-11-26T11:00:00.000Z'),
      activeMs: fc.nat(),
    });
    const recArb = fc.oneof(
      { weight: 4, arbitrary: ratingArb.map((r): AnnotationRecord => rec(r.itemId, r)) },
      { weight: 1, arbitrary: comparisonArb.map((r): AnnotationRecord => r) },
    );
    const fileArb = fc.record({
      annotator: fc.constantFrom('alice', 'bob', 'carol', '10', '9'),
      pack: fc.constantFrom('demo', 'demo', 'demo', 'other'),
      // Up to 70 records: more than the 50 problems listed per file.
      records: fc.oneof(fc.array(recArb, { maxLength: 4 }), fc.array(recArb, { minLength: 40, maxLength: 70 })),
    });
    const seen = { duplicates: 0, unknown: 0, sizes: 0, wrongPack: 0, tokens: 0, unlisted: 0, kinds: 0, criteria: 0 };
    fc.assert(
      fc.property(fc.array(fileArb, { minLength: 1, maxLength: 5 }), (spec) => {
        const files = spec.map((f, i) => file(`f${i}.json`, f.annotator, f.records, f.pack));
        const plan = planConsolidation({ pack, files });
        const r = packCheck(files);
        expect(r.errors).toEqual(plan.errors);
        expect(r.unlisted).toEqual(plan.unlisted);
        expect(sameSpelling(r.warnings)).toEqual(sameSpelling(plan.warnings));
        const text = [...plan.errors.map((e) => e.message), ...plan.warnings].join('\n');
        if (text.includes('kept the latest')) seen.duplicates++;
        if (text.includes('is not in the pack')) seen.unknown++;
        if (text.includes('image size')) seen.sizes++;
        if (text.includes("is not this pack's name")) seen.wrongPack++;
        if (text.includes('out of range')) seen.tokens++;
        if (plan.unlisted.length > 0) seen.unlisted++;
        if (text.includes('but item')) seen.kinds++;
        if (text.includes('ask')) seen.criteria++;
        // Comparison items are neither in the dataset nor among its skipped items.
        expect([...plan.items, ...plan.skipped].some((it) => it.id.startsWith('c'))).toBe(false);
      }),
      { numRuns: 150 },
    );
    // Every branch of the checks ran, several times.
    for (const [branch, runs] of Object.entries(seen)) expect(runs, branch).toBeGreaterThan(3);
  });
});
