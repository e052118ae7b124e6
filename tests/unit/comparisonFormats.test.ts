import fc from 'fast-check';
import * as zc from 'zod/v4/core';
import { describe, expect, test } from 'vitest';
import { buildAnnotationFile } from '../../src/core/dataset/annotationFile.ts';
import { checkAgainstPack } from '../../src/core/dataset/annotationFileCheck.ts';
import {
  annotationFileSchema,
  annotationsVersionFor,
  asRatingPack,
  comparisonItems,
  criteriaOf,
  formatLocatedError,
  isComparisonItem,
  isRatingItem,
  JsonDocument,
  taskPackSchema,
  taskPackVersionFor,
  type RatingRecord,
} from '../../src/core/formats/index.ts';
import { parseJsonText } from '../../src/core/formats/readDocument.ts';
import { cmp, leadPack } from './helpers/comparePack.ts';
import { mutate } from './helpers/mutate.ts';
import { expectLocatedIn } from './locate.ts';

const parsePack = (value: unknown) => parseJsonText('pack.json', JSON.stringify(value), taskPackSchema);
const packMessages = (value: unknown) => {
  const r = parsePack(value);
  return r.ok ? [] : r.errors.map(formatLocatedError);
};
const fileMessages = (value: unknown) => {
  const r = parseJsonText('alice.json', JSON.stringify(value), annotationFileSchema);
  return r.ok ? [] : r.errors.map(formatLocatedError);
};

const rating: RatingRecord = {
  itemId: 'r1',
  imageWidth: 64,
  imageHeight: 64,
  points: [],
  misalignedTokens: [],
  scores: { plausibility: 3, alignment: 3, aesthetics: 3, overall: 3 },
  submittedAt: '2026-12-01T10:00:00Z',
  activeMs: 100,
};
const fileOf = (version: number, annotations: unknown[]) => ({ format: 'richhf-annotations', version, annotator: 'alice', pack: 'ab', annotations });

describe('comparison items in richhf-taskpack version 2', () => {
  test('a pack of both kinds is read unchanged; the kinds narrow by `kind`', () => {
    const r = parsePack(leadPack);
    expect(r.ok && r.value).toEqual(leadPack);
    expect(taskPackVersionFor(leadPack)).toBe(2);
    expect(leadPack.items.map((it) => (isComparisonItem(it) ? 'compare' : isRatingItem(it) ? 'rate' : '?'))).toEqual(['compare', 'compare', 'compare', 'rate']);
    expect(comparisonItems(leadPack).map((it) => it.id)).toEqual(['0001', '0002', '0003']);
    expect(asRatingPack(leadPack)).toBeNull();
    const ratingOnly = { ...leadPack, items: [leadPack.items[3]!] };
    expect(asRatingPack(ratingOnly)).toBe(ratingOnly);
  });

  test('criteria: plausibility alone unless the item says', () => {
    const [a, , c] = comparisonItems(leadPack);
    expect(criteriaOf(a!)).toEqual(['plausibility']);
    expect(criteriaOf(c!)).toEqual(['plausibility', 'alignment']);
  });

  test('a version 1 pack with a comparison item is refused, the item named', () => {
    expect(packMessages({ ...leadPack, version: 1, items: [leadPack.items[3], leadPack.items[0]] })).toEqual([
      'pack.json: items[1].kind: needs version 2 of richhf-taskpack (this pack says "version": 1)',
    ]);
  });

  test('bad comparison items: each problem located', () => {
    const item = leadPack.items[0]!;
    const one = (over: object) => packMessages({ ...leadPack, items: [{ ...item, ...over }] });
    expect(one({ kind: 'rate' })).toEqual(['pack.json: items[0].kind: "compare" for a comparison item, absent for a rating item']);
    expect(one({ images: [{ image: 'a.png' }] })).toEqual(['pack.json: items[0].images: must be two images: [{"image", …}, {"image", …}]']);
    expect(one({ images: [{ image: 'a.png', system: 'x' }, { image: 'b.png' }] })).toEqual([
      'pack.json: items[0].images[1].system: required when the other image names its system (name both, or neither)',
    ]);
    expect(
      one({
        images: [
          { image: 'a.png', system: 'x' },
          { image: 'b.png', system: 'x' },
        ],
      }),
    ).toEqual(['pack.json: items[0].images[1].system: "x" is the other image\'s system too: a comparison is between two systems']);
    expect(one({ criteria: ['overall', 'beauty', 'overall'] })).toEqual([
      'pack.json: items[0].criteria[1]: Invalid option: expected one of "plausibility"|"alignment"|"aesthetics"|"overall"',
    ]);
    expect(one({ criteria: ['overall', 'overall'] })).toEqual(['pack.json: items[0].criteria[1]: "overall" is listed twice']);
    expect(one({ criteria: [] })).toEqual(['pack.json: items[0].criteria: must name at least one of plausibility, alignment, aesthetics, overall']);
    expect(one({ images: [{ image: '../x.png' }, { image: 'b.png' }] })[0]).toMatch(/^pack\.json: items\[0\]\.images\[0\]\.image: /);
    expect(one({ gold: {} })).toEqual(['pack.json: items[0]: Unrecognized key: "gold"']);
  });

  test("every comparison image names its system (the lead's pack) or none does (the annotators')", () => {
    const blind = { ...leadPack.items[1]!, images: [{ image: 'x.png' }, { image: 'y.png' }] };
    expect(packMessages({ ...leadPack, items: [leadPack.items[0], blind] })).toEqual([
      "pack.json: items[1].images: names no systems, but items[0] does: name the system of every comparison image (the lead's pack) or of none (the annotators' pack)",
    ]);
  });
});

describe('comparison records in richhf-annotations version 2', () => {
  test('version 1 files are read unchanged; a file with a comparison record needs version 2', () => {
    expect(parseJsonText('a.json', JSON.stringify(fileOf(1, [rating])), annotationFileSchema)).toEqual({ ok: true, value: fileOf(1, [rating]) });
    const v2 = fileOf(2, [rating, cmp('0001', 1, { plausibility: -2 })]);
    expect(parseJsonText('a.json', JSON.stringify(v2), annotationFileSchema)).toEqual({ ok: true, value: v2 });
    expect(fileMessages(fileOf(1, [rating, cmp('0001', 0, { plausibility: 1 }), cmp('0002', 0, { plausibility: 0 })]))).toEqual([
      'alice.json: annotations[1]: a comparison record needs version 2 of richhf-annotations (this file says "version": 1)',
      'alice.json: annotations[2]: a comparison record needs version 2 of richhf-annotations (this file says "version": 1)',
    ]);
    expect(fileMessages(fileOf(3, [rating]))).toEqual(['alice.json: version: must be 1 or 2 (the versions of richhf-annotations this richhf-studio reads)']);
  });

  test('writers write the lowest version that holds the records', () => {
    expect(annotationsVersionFor([rating])).toBe(1);
    expect(annotationsVersionFor([])).toBe(1);
    expect(annotationsVersionFor([rating, cmp('0001', 0, { plausibility: 0 })])).toBe(2);
    const file = buildAnnotationFile('alice', leadPack, [rating, cmp('0002', 0, { plausibility: 2 }), cmp('0001', 1, { plausibility: -1 })]);
    expect(file.version).toBe(2);
    expect(file.annotations.map((r) => r.itemId)).toEqual(['0001', '0002', 'r1']);
    expect(buildAnnotationFile('alice', leadPack, [rating]).version).toBe(1);
  });

  test('bad comparison records: each problem located', () => {
    const one = (rec: object) => fileMessages(fileOf(2, [rec]));
    const ok = cmp('0001', 0, { plausibility: 1 });
    expect(one({ ...ok, left: 2 })).toEqual([
      'alice.json: annotations[0].left: must be 0 or 1 (the index of the image shown on the left, in a comparison record; absent in a rating record)',
    ]);
    expect(one({ ...ok, answers: { plausibility: 3 } })).toEqual(['alice.json: annotations[0].answers.plausibility: must be from -2 to 2']);
    expect(one({ ...ok, answers: { plausibility: 0.5 } })).toEqual(['alice.json: annotations[0].answers.plausibility: must be an integer from -2 to 2']);
    expect(one({ ...ok, answers: {} })).toEqual(['alice.json: annotations[0].answers: must answer at least one of plausibility, alignment, aesthetics, overall']);
    expect(one({ ...ok, answers: { beauty: 1 } })).toEqual([
      'alice.json: annotations[0].answers: Unrecognized key: "beauty"',
      'alice.json: annotations[0].answers: must answer at least one of plausibility, alignment, aesthetics, overall',
    ]);
    expect(one({ ...ok, points: [] })).toEqual(['alice.json: annotations[0]: Unrecognized key: "points"']);
    expect(one({ ...rating, left: null })[0]).toMatch(/^alice\.json: annotations\[0\]\.left: must be 0 or 1/);
  });

  test("against the pack: a record of its item's kind, answering exactly its criteria", () => {
    const f = fileOf(2, [
      cmp('0001', 0, { plausibility: 1 }),
      cmp('0003', 1, { plausibility: 1 }),
      cmp('0001', 0, { plausibility: 1, overall: 2 }),
      cmp('r1', 0, { plausibility: 0 }),
      { ...rating, itemId: '0002' },
    ]) as Parameters<typeof checkAgainstPack>[1];
    expect(checkAgainstPack('alice.json', f, leadPack).errors.map(formatLocatedError)).toEqual([
      'alice.json: annotations[1].answers.alignment: required (item "0003" asks about plausibility, alignment)',
      'alice.json: annotations[2].answers.overall: item "0001" does not ask about overall (it asks about plausibility)',
      'alice.json: annotations[3]: a comparison record (it has "left"), but item "r1" is a rating item',
      'alice.json: annotations[4]: a rating record, but item "0002" is a comparison item (its records have "left" and "answers")',
    ]);
  });
});

describe('property: comparison documents are judged as zod judges them, and located', () => {
  const file2 = fileOf(2, [rating, cmp('0001', 1, { plausibility: -2 }), cmp('0003', 0, { plausibility: 0, alignment: 2 })]);
  const cases = [
    ['pack.json', taskPackSchema, leadPack],
    ['alice.json', annotationFileSchema, file2],
  ] as const;
  for (const [name, schema, valid] of cases) {
    test(`${name}: one value mutated`, () => {
      let refused = 0;
      let accepted = 0;
      fc.assert(
        fc.property(
          fc.array(fc.nat(), { minLength: 1, maxLength: 6 }),
          fc.oneof(fc.jsonValue(), fc.constantFrom(0, 1, 2, -3, 'compare', 'base', undefined)),
          (path, replacement) => {
            const doc = JSON.parse(JSON.stringify(mutate(valid, path, replacement) ?? null));
            const r = parseJsonText(name, JSON.stringify(doc), schema);
            expect(r.ok).toBe(zc.safeParse(schema, doc).success);
            if (r.ok) accepted++;
            else {
              refused++;
              expectLocatedIn(doc, r.errors, name);
            }
          },
        ),
        { numRuns: 400 },
      );
      expect(refused).toBeGreaterThan(0);
      expect(accepted).toBeGreaterThan(0);
    });
  }

  test('check() (records not kept) finds what validate() finds, the version rule included', () => {
    let versionRefusals = 0;
    fc.assert(
      fc.property(fc.constantFrom(1, 2), fc.array(fc.constantFrom<'r' | 'c' | 'bad'>('r', 'c', 'bad'), { maxLength: 8 }), (version, kinds) => {
        const records = kinds.map((k, i) => (k === 'r' ? rating : k === 'c' ? cmp(`c${i}`, (i % 2) as 0 | 1, { plausibility: 1 }) : { ...rating, scores: {} }));
        const doc = JsonDocument.fromValue('a.json', fileOf(version, records));
        const checked = doc.check(annotationFileSchema);
        const validated = doc.validate(annotationFileSchema);
        expect(checked.ok).toBe(validated.ok);
        expect(validated.ok).toBe(zc.safeParse(annotationFileSchema, fileOf(version, records)).success);
        if (!checked.ok && !validated.ok) {
          expect(checked.errors).toEqual(validated.errors);
          if (checked.errors.some((e) => e.message.startsWith('a comparison record needs version 2'))) versionRefusals++;
        }
      }),
      { numRuns: 300 },
    );
    expect(versionRefusals).toBeGreaterThan(0);
  });
});
