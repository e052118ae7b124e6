import { describe, expect, test } from 'vitest';
import { parseJsonText } from '../../src/core/formats/readDocument.ts';
import { taskPackSchema } from '../../src/core/formats/taskpack.ts';
import { tokenize } from '../../src/core/text/tokenize.ts';
import { cycleImages, makeLargePack, makePrompt, seededRandom } from '../../scripts/largePack.ts';

const images = cycleImages([
  { image: 'images/0001.png', width: 512, height: 512 },
  { image: 'images/0005.png', width: 768, height: 512 },
]);

describe('seededRandom', () => {
  test('is deterministic per seed and stays in [0, 1)', () => {
    const a = seededRandom(7);
    const b = seededRandom(7);
    const c = seededRandom(8);
    const xs = Array.from({ length: 1000 }, () => a());
    expect(Array.from({ length: 1000 }, () => b())).toEqual(xs);
    expect(Array.from({ length: 1000 }, () => c())).not.toEqual(xs);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
  });
});

describe('makeLargePack', () => {
  test('small pack: ids, images and sizes as asked', () => {
    const pack = makeLargePack(3, 1, images, 'tiny');
    expect(pack.name).toBe('tiny');
    expect(pack.items.map((i) => i.id)).toEqual(['0001', '0002', '0003']);
    expect(pack.items.map((i) => [i.image, i.width, i.height])).toEqual([
      ['images/0001.png', 512, 512],
      ['images/0005.png', 768, 512],
      ['images/0001.png', 512, 512],
    ]);
    expect(makeLargePack(1, 1, () => 'images/x.png').items[0]).toEqual({ id: '0001', image: 'images/x.png', prompt: expect.any(String) });
  });

  test('ids are zero-padded to the width of n so they sort', () => {
    const ids = makeLargePack(12_345, 1, images).items.map((i) => i.id);
    expect(ids[0]).toBe('00001');
    expect(ids.at(-1)).toBe('12345');
    expect([...ids].sort()).toEqual(ids);
  });

  test('same seed gives the same prompts, another seed other prompts', () => {
    const prompts = (seed: number) => makeLargePack(200, seed, images).items.map((i) => i.prompt);
    expect(prompts(3)).toEqual(prompts(3));
    expect(prompts(4)).not.toEqual(prompts(3));
  });

  test('prompts are varied and tokenize to words', () => {
    const rand = seededRandom(11);
    const prompts = Array.from({ length: 2000 }, () => makePrompt(rand));
    expect(new Set(prompts).size).toBeGreaterThan(1900);
    for (const p of prompts) expect(tokenize(p).length).toBeGreaterThanOrEqual(3);
    expect(prompts.some((p) => p.includes('"'))).toBe(true);
  });

  test('a 20,000-item pack parses with taskPackSchema (time printed, not asserted)', () => {
    const text = JSON.stringify(makeLargePack(20_000, 1, images));
    const start = performance.now();
    const parsed = parseJsonText('large.json', text, taskPackSchema);
    const ms = performance.now() - start;
    console.log(`parse + validate 20,000 items (${(text.length / 1024 / 1024).toFixed(2)} MB): ${ms.toFixed(0)} ms`);
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(parsed.value.items).toHaveLength(20_000);
  });
});
