import { describe, expect, test } from 'vitest';
import { formatLocatedError, taskPackSchema, taskPackVersionFor, type RatingPack, type TaskPack } from '../../src/core/formats/index.ts';
import { parseJsonText } from '../../src/core/formats/readDocument.ts';

const v1: RatingPack = {
  format: 'richhf-taskpack',
  version: 1,
  name: 'demo',
  annotatorsPerItem: 3,
  items: [
    { id: '0001', image: 'images/0001.png', prompt: 'three red balls on a table', width: 512, height: 400 },
    { id: '0002', image: 'images/0002.png', prompt: 'a cat' },
  ],
};

const parse = (value: unknown) => parseJsonText('pack.json', JSON.stringify(value), taskPackSchema);
const messages = (value: unknown) => {
  const r = parse(value);
  return r.ok ? [] : r.errors.map(formatLocatedError);
};

describe('richhf-taskpack versions', () => {
  test('a version 1 pack is read unchanged and written back as version 1', () => {
    const r = parse(v1);
    expect(r.ok && r.value).toEqual(v1);
    expect(taskPackVersionFor(v1)).toBe(1);
  });

  test('version 2 adds gold items, quality settings and splits', () => {
    const v2 = {
      ...v1,
      version: 2,
      quality: { training: 2, goldEvery: 10 },
      items: [
        {
          ...v1.items[0],
          split: 'validation',
          gold: {
            points: [{ kind: 'artifact', x: 512, y: 400 }],
            misalignedTokens: [0, 2],
            scores: { plausibility: 2, overall: 3 },
            explanation: 'The third ball is missing, and the table has five legs.',
          },
        },
        v1.items[1],
      ],
    };
    const r = parse(v2);
    expect(r.ok && r.value).toEqual(v2);
    expect(taskPackVersionFor(v2 as TaskPack)).toBe(2);
    expect(taskPackVersionFor({ ...v1, quality: {} })).toBe(2);
    expect(taskPackVersionFor({ items: [{ ...v1.items[1]!, split: 'train' }] })).toBe(2);
  });

  test('a version 1 pack that uses a version 2 field is refused, the field named', () => {
    expect(
      messages({
        ...v1,
        quality: { training: 1 },
        items: [
          { ...v1.items[0], gold: { scores: { overall: 1 } } },
          { ...v1.items[1], split: 'test' },
        ],
      }),
    ).toEqual([
      'pack.json: quality: needs version 2 of richhf-taskpack (this pack says "version": 1)',
      'pack.json: items[0].gold: needs version 2 of richhf-taskpack (this pack says "version": 1)',
      'pack.json: items[1].split: needs version 2 of richhf-taskpack (this pack says "version": 1)',
    ]);
  });

  test('gold answers are checked against the item: image bounds, token indices, scores', () => {
    const bad = {
      ...v1,
      version: 2,
      items: [
        {
          ...v1.items[0],
          gold: {
            points: [
              { kind: 'artifact', x: 513, y: 10 },
              { kind: 'misalignment', x: 5, y: 401 },
              { kind: 'other', x: 1, y: 1 },
            ],
            // "three red balls on a table": 6 tokens
            misalignedTokens: [5, 6, 5],
            scores: { overall: 6 },
          },
        },
      ],
    };
    expect(messages(bad)).toEqual([expect.stringMatching(/^pack\.json: items\[0\]\.gold\.points\[2\]\.kind: /), 'pack.json: items[0].gold.scores.overall: must be from 1 to 5']);
    // Without the schema errors, the item-level checks run.
    const checked = bad.items[0]!.gold;
    expect(messages({ ...bad, items: [{ ...bad.items[0], gold: { ...checked, points: checked.points.slice(0, 2), scores: {} } }] })).toEqual([
      'pack.json: items[0].gold.points[0].x: outside the image (0 to 512)',
      'pack.json: items[0].gold.points[1].y: outside the image (0 to 400)',
      'pack.json: items[0].gold.misalignedTokens[1]: token index 6 is out of range (the prompt has 6 tokens)',
      'pack.json: items[0].gold.misalignedTokens[2]: duplicate token index 5',
    ]);
  });

  test('split names follow the hub: words joined by dots', () => {
    const withSplit = (split: string) => messages({ ...v1, version: 2, items: [{ ...v1.items[1], split }] });
    expect(withSplit('train')).toEqual([]);
    expect(withSplit('test.hard')).toEqual([]);
    expect(withSplit('train/0')[0]).toMatch(/^pack\.json: items\[0\]\.split: must be a split name/);
    expect(withSplit('')[0]).toMatch(/^pack\.json: items\[0\]\.split: must be a split name/);
  });

  test('a version the reader does not know is refused', () => {
    expect(messages({ ...v1, version: 3 })).toEqual(['pack.json: version: must be 1 or 2 (the versions of richhf-taskpack this richhf-studio reads)']);
  });
});
