import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { formatLocatedError } from '../../src/core/formats/located.ts';
import { parseJsonText } from '../../src/core/formats/readDocument.ts';
import { asRatingPack, taskPackSchema, type RatingPack } from '../../src/core/formats/taskpack.ts';
import { readImageSize } from '../../src/core/encode/imageSize.ts';

// The bundled demo pack (public/demo, made by `npm run demo:images`) as committed.
const demoDir = path.resolve(import.meta.dirname, '../../public/demo');

function loadPack(): RatingPack {
  const parsed = parseJsonText('public/demo/pack.json', readFileSync(path.join(demoDir, 'pack.json'), 'utf8'), taskPackSchema);
  if (!parsed.ok) throw new Error(parsed.errors.map(formatLocatedError).join('\n'));
  const pack = asRatingPack(parsed.value);
  if (!pack) throw new Error('the demo pack has comparison items');
  return pack;
}

describe('readImageSize on PNG headers', () => {
  test('reads IHDR and rejects non-PNG bytes', () => {
    const ihdr = Uint8Array.of(137, 80, 78, 71, 13, 10, 26, 10, 0, 0, 0, 13, 73, 72, 68, 82, 0, 0, 3, 0, 0, 0, 2, 0);
    expect(readImageSize(ihdr)).toEqual({ type: 'png', width: 768, height: 512 });
    expect(readImageSize(new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"></svg>'))).toBeUndefined();
  });
});

describe('the bundled demo pack', () => {
  const pack = loadPack();

  test('is a v1 task pack named "demo" with 6 to 10 items and instructions', () => {
    expect(pack.format).toBe('richhf-taskpack');
    expect(pack.version).toBe(1);
    expect(pack.name).toBe('demo');
    expect(pack.annotatorsPerItem).toBe(3);
    expect(pack.instructions?.length).toBeGreaterThan(100);
    expect(pack.items.length).toBeGreaterThanOrEqual(6);
    expect(pack.items.length).toBeLessThanOrEqual(10);
  });

  test('ids are "0001", "0002", ... in order and images are images/<id>.png', () => {
    pack.items.forEach((item, i) => {
      expect(item.id).toBe(String(i + 1).padStart(4, '0'));
      expect(item.image).toBe(`images/${item.id}.png`);
    });
  });

  test('every image exists, is a PNG and has the size the pack states', () => {
    for (const item of pack.items) {
      const file = path.join(demoDir, item.image);
      expect(existsSync(file), file).toBe(true);
      const bytes = readFileSync(file);
      expect(readImageSize(bytes), item.image).toEqual({ type: 'png', width: item.width, height: item.height });
      expect(bytes.length, `${item.image} stays small`).toBeLessThan(150 * 1024);
    }
  });

  test('most items are 512x512 and at least one is not square', () => {
    const square = pack.items.filter((i) => i.width === 512 && i.height === 512);
    expect(square.length * 2).toBeGreaterThan(pack.items.length);
    expect(pack.items.some((i) => i.width !== i.height)).toBe(true);
  });

  test('a prompt exercises the tokenizer with punctuation', () => {
    expect(pack.items.some((i) => /[",.:;?!]/.test(i.prompt))).toBe(true);
  });
});
