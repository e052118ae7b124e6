import fc from 'fast-check';
import * as zc from 'zod/v4/core';
import { describe, expect, test } from 'vitest';
import { buildAnnotationFile } from '../../src/core/dataset/annotationFile.ts';
import { checkAgainstPack } from '../../src/core/dataset/annotationFileCheck.ts';
import {
  annotationFileSchema,
  formatLocatedError,
  formatPath,
  isAllowedImageRef,
  taskPackSchema,
  type AnnotationFile,
  type RatingRecord,
  type TaskPack,
} from '../../src/core/formats/index.ts';
import { parseJsonText } from '../../src/core/formats/readDocument.ts';
import { expectLocatedIn } from './locate.ts';
import { mutate } from './helpers/mutate.ts';

const pack: TaskPack = {
  format: 'richhf-taskpack',
  version: 1,
  name: 'demo',
  annotatorsPerItem: 3,
  items: [
    { id: '0001', image: 'images/0001.png', prompt: 'three red balls on a table', width: 512, height: 512 },
    { id: '0002', image: 'images/0002.png', prompt: 'a cat' },
  ],
};

const annotations: AnnotationFile & { annotations: RatingRecord[] } = {
  format: 'richhf-annotations',
  version: 1,
  annotator: 'alice',
  pack: 'demo',
  annotations: [
    {
      itemId: '0001',
      imageWidth: 512,
      imageHeight: 512,
      points: [
        { kind: 'artifact', x: 201.5, y: 88 },
        { kind: 'misalignment', x: 30, y: 400 },
      ],
      misalignedTokens: [0, 2],
      scores: { plausibility: 4, alignment: 2, aesthetics: 5, overall: 3 },
      submittedAt: '2026-11-26T10:00:00.000Z',
      activeMs: 41250,
    },
  ],
};

const messages = (file: string, value: unknown, schema: typeof taskPackSchema | typeof annotationFileSchema) => {
  const r = parseJsonText(file, JSON.stringify(value), schema);
  return r.ok ? [] : r.errors.map(formatLocatedError);
};

test('paths are written as in JavaScript, odd keys quoted', () => {
  expect(formatPath(['items', 12, 'prompt'])).toBe('items[12].prompt');
  expect(formatPath([3, 'x'])).toBe('[3].x');
  expect(formatPath(['points', '', 0])).toBe('points[""][0]');
  expect(formatPath(['points', 'bob smith', 'x.y'])).toBe('points["bob smith"]["x.y"]');
  expect(formatPath([])).toBe('');
});

describe('task pack parsing', () => {
  test('the example pack is valid; annotatorsPerItem defaults to 3', () => {
    const { annotatorsPerItem: _, ...rest } = pack;
    const r = parseJsonText('pack.json', JSON.stringify(rest), taskPackSchema);
    expect(r.ok && r.value.annotatorsPerItem).toBe(3);
  });
  test('located messages for the usual mistakes', () => {
    const bad = structuredClone(pack) as Record<string, unknown> & { items: Record<string, unknown>[] };
    delete bad.items[1]!.prompt;
    bad.items[0]!.width = -3;
    bad.version = 3;
    expect(messages('pack.json', bad, taskPackSchema)).toEqual([
      'pack.json: version: must be 1 or 2 (the versions of richhf-taskpack this richhf-studio reads)',
      'pack.json: items[0].width: must be positive',
      'pack.json: items[1].prompt: required',
    ]);
    expect(parseJsonText('p.json', '{"format":', taskPackSchema)).toMatchObject({ ok: false, errors: [{ file: 'p.json', path: '' }] });
  });
  test('duplicate ids name both places', () => {
    const dup = { ...pack, items: [pack.items[0], { ...pack.items[1], id: '0001' }] };
    expect(messages('pack.json', dup, taskPackSchema)).toEqual(['pack.json: items[1].id: duplicate id "0001" (first used by items[0])']);
  });
  test('only safe image references: http(s) URLs and paths inside the pack folder (packPath.test.ts has the rest)', () => {
    for (const ok of ['images/a.png', './a.png', 'https://x.org/a.png', 'http://x/a']) expect(isAllowedImageRef(ok)).toBe(true);
    for (const bad of ['javascript:alert(1)', 'JAVASCRIPT:x', 'data:text/html,<b>', 'file:///etc/passwd', '//evil.org/a.png', 'vbscript:x', '/demo/a.png', 'blob:http://x/1'])
      expect(isAllowedImageRef(bad)).toBe(false);
    expect(messages('pack.json', { ...pack, items: [{ ...pack.items[0], image: '../secret.png' }] }, taskPackSchema)).toEqual([
      "pack.json: items[0].image: goes outside the pack's folder",
    ]);
  });
});

describe('annotation file parsing', () => {
  test('the example file is valid', () => {
    expect(messages('alice.json', annotations, annotationFileSchema)).toEqual([]);
  });
  test('score 7, a point outside the image, a bad date and an unknown field are located', () => {
    const bad = structuredClone(annotations) as unknown as { annotations: Record<string, unknown>[] };
    const rec = bad.annotations[0]! as Record<string, unknown> & { scores: Record<string, number>; points: { x: number }[] };
    rec.scores.aesthetics = 7;
    rec.points[1]!.x = 513;
    rec.submittedAt = 'yesterday';
    rec.colour = 'red';
    expect(messages('alice.json', bad, annotationFileSchema).sort()).toEqual([
      'alice.json: annotations[0].points[1].x: outside the image (0 to 512)',
      'alice.json: annotations[0].scores.aesthetics: must be from 1 to 5',
      'alice.json: annotations[0].submittedAt: must be an ISO 8601 date-time',
      'alice.json: annotations[0]: Unrecognized key: "colour"',
    ]);
    delete rec.colour;
    rec.scores.aesthetics = 5;
    rec.submittedAt = '2026-11-26T10:00:00Z';
    expect(messages('alice.json', bad, annotationFileSchema)).toEqual(['alice.json: annotations[0].points[1].x: outside the image (0 to 512)']);
  });
  test('checked against the pack: pack name, unknown items, sizes and token indices', () => {
    const f = structuredClone(annotations);
    f.annotations.push({ ...f.annotations[0]!, itemId: '0009' }, { ...f.annotations[0]!, itemId: '0002', misalignedTokens: [1, 2] }, { ...f.annotations[0]!, imageWidth: 600 });
    expect(checkAgainstPack('alice.json', f, pack).errors.map(formatLocatedError)).toEqual([
      'alice.json: annotations[1].itemId: "0009" is not an item of pack "demo"',
      'alice.json: annotations[2].misalignedTokens[1]: token index 2 is out of range (item "0002" has 2 tokens)',
      'alice.json: annotations[3].imageWidth: 600 differs from the pack\'s width 512 for item "0001"',
    ]);
    expect(checkAgainstPack('x.json', { ...f, pack: 'other' }, pack).errors.map(formatLocatedError)).toEqual(['x.json: pack: "other" is not this pack\'s name "demo"']);
  });
  test('export orders records as the pack does, and round-trips through the parser', () => {
    const r1 = { ...annotations.annotations[0]!, itemId: '0002', misalignedTokens: [] };
    const file = buildAnnotationFile('alice', pack, [r1, annotations.annotations[0]!]);
    expect(file.annotations.map((r) => r.itemId)).toEqual(['0001', '0002']);
    const back = parseJsonText('alice.json', JSON.stringify(file), annotationFileSchema);
    expect(back.ok && back.value).toEqual(file);
  });
});

describe('property: parsers never crash and always locate the problem', () => {
  const schemas = [
    ['pack.json', taskPackSchema, pack],
    ['alice.json', annotationFileSchema, annotations],
  ] as const;

  for (const [file, schema, valid] of schemas) {
    test(`${file}: random text is refused with its JSON syntax error located, or judged as zod judges the value`, () => {
      let syntax = 0;
      let schemaErrors = 0;
      fc.assert(
        fc.property(fc.oneof(fc.string(), fc.json(), fc.constantFrom('{"format": 1,\n"items": [}', '')), (text) => {
          const r = parseJsonText(file, text, schema);
          let value: unknown;
          try {
            value = JSON.parse(text);
          } catch {
            syntax++;
            expect(r).toMatchObject({ ok: false, errors: [{ file, path: '', message: expect.stringMatching(/^invalid JSON: line \d+, column \d+: /) }] });
            expect(r.ok || r.errors.length).toBe(1);
            return;
          }
          expect(r.ok).toBe(zc.safeParse(schema, value).success);
          if (!r.ok) {
            schemaErrors++;
            expectLocatedIn(value, r.errors, file);
          }
        }),
        { numRuns: 300 },
      );
      expect(syntax).toBeGreaterThan(0);
      expect(schemaErrors).toBeGreaterThan(0);
    });
    test(`${file}: one value of a valid file mutated: refused with errors that point into the file, or accepted as zod accepts it`, () => {
      let refused = 0;
      let accepted = 0;
      fc.assert(
        fc.property(fc.array(fc.nat(), { minLength: 1, maxLength: 6 }), fc.jsonValue(), (path, replacement) => {
          const doc = JSON.parse(JSON.stringify(mutate(valid, path, replacement)));
          const r = parseJsonText(file, JSON.stringify(doc), schema);
          expect(r.ok).toBe(zc.safeParse(schema, doc).success);
          if (r.ok) accepted++;
          else {
            refused++;
            expectLocatedIn(doc, r.errors, file);
          }
        }),
        { numRuns: 500 },
      );
      expect(refused).toBeGreaterThan(0);
      expect(accepted).toBeGreaterThan(0);
    });
  }
});
