import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { joinKey } from '../../src/core/compare/blind.ts';
import { planComparison } from '../../src/core/compare/plan.ts';
import { comparisonReport } from '../../src/core/compare/report.ts';
import { comparisonMarkdown } from '../../src/core/compare/tables.ts';
import { readImageSize } from '../../src/core/encode/imageSize.ts';
import { comparisonKeySchema } from '../../src/core/formats/comparisonKey.ts';
import { annotationFileSchema, comparisonItems, formatLocatedError, parseValue, taskPackSchema } from '../../src/core/formats/index.ts';
import { simulatedFiles } from '../../scripts/demoCompareAnswers.ts';

/** The demo comparison pack as committed (npm run demo:compare), its key, and the README's table of simulated answers. */
const root = path.resolve(import.meta.dirname, '../..');
const dir = path.join(root, 'public/demo-compare');
const packText = readFileSync(path.join(dir, 'pack.json'), 'utf8');

function load() {
  const pack = parseValue('pack.json', JSON.parse(packText), taskPackSchema);
  const key = parseValue('key.json', JSON.parse(readFileSync(path.join(root, 'fixtures/demo-compare/key.json'), 'utf8')), comparisonKeySchema);
  if (!pack.ok || !key.ok) throw new Error([...(pack.ok ? [] : pack.errors), ...(key.ok ? [] : key.errors)].map(formatLocatedError).join('\n'));
  const lead = joinKey(pack.value, key.value, { pack: 'pack.json', key: 'key.json' });
  if (!lead.ok) throw new Error(lead.errors.map(formatLocatedError).join('\n'));
  return { pack: pack.value, key: key.value, lead: lead.pack };
}

describe('the demo comparison pack', () => {
  test('six comparison items of two systems; the key fits', () => {
    const { pack, key } = load();
    expect(pack.name).toBe('demo-compare');
    expect(pack.annotatorsPerItem).toBe(6);
    expect(pack.instructions).toContain('Left is much better, Left is slightly better, About the same');
    expect(comparisonItems(pack)).toHaveLength(6);
    expect(pack.items).toHaveLength(6);
    expect(new Set(key.items.flatMap((k) => k.systems))).toEqual(new Set(['original', 'finetuned']));
    // Both orders occur: images[0] is not always the same system.
    expect(new Set(key.items.map((k) => k.systems[0])).size).toBe(2);
  });

  test('nothing an annotator gets names a system: the pack, its image names', () => {
    expect(packText).not.toMatch(/original|finetuned|fine-tuned|system/i);
    const files = readdirSync(path.join(dir, 'images'));
    expect(files.every((f) => /^[0-9a-f]{20}\.png$/.test(f))).toBe(true);
    expect(readdirSync(dir).sort()).toEqual(['images', 'pack.json']);
  });

  test('every image is there, a PNG of the size the pack states; the two images of an item differ', () => {
    const { pack } = load();
    for (const item of comparisonItems(pack)) {
      const bytes = item.images.map((im) => readFileSync(path.join(dir, im.image)));
      item.images.forEach((im, i) => expect(readImageSize(bytes[i]!), im.image).toEqual({ type: 'png', width: im.width, height: im.height }));
      expect(bytes[0]!.equals(bytes[1]!)).toBe(false);
    }
  });

  test("the README's table is what richhf compare gives for the simulated answers", () => {
    const { lead } = load();
    const files = simulatedFiles(lead, 'finetuned').map((f, i) => {
      const parsed = parseValue(`sim-${i + 1}.json`, f, annotationFileSchema);
      if (!parsed.ok) throw new Error(parsed.errors.map(formatLocatedError).join('\n'));
      return { name: `sim-${i + 1}.json`, file: parsed.value };
    });
    const plan = planComparison(lead, files, 'pack.json');
    expect(plan.errors).toEqual([]);
    const table = comparisonMarkdown(comparisonReport(plan));
    const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
    const block = /<!-- demo-compare-table -->\n([\s\S]*?)<!-- \/demo-compare-table -->/.exec(readme);
    expect(block?.[1]).toBe(table);
    expect(table).toContain('| plausibility: finetuned vs original |');
  });
});
