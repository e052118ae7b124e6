import { copyFileSync, mkdirSync, mkdtempSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { joinKey } from '../../src/core/compare/blind.ts';
import { comparisonKeySchema, type ComparisonKey } from '../../src/core/formats/comparisonKey.ts';
import { taskPackSchema, type TaskPack } from '../../src/core/formats/taskpack.ts';

const root = path.resolve(import.meta.dirname, '../..');

/**
 * The demo's comparison pack for a server: a temporary folder holding its images, the annotators'
 * pack (`pack`, no systems), its key, and the lead's (`lead`, the key joined in: systems named), not yet
 * written: the caller writes the lead's pack there with its own K and items.
 */
export async function demoComparisonFolder(prefix: string): Promise<{ dir: string; pack: TaskPack; key: ComparisonKey; lead: TaskPack }> {
  const pack = taskPackSchema.parse(JSON.parse(await readFile(path.join(root, 'public/demo-compare/pack.json'), 'utf8')));
  const key = comparisonKeySchema.parse(JSON.parse(await readFile(path.join(root, 'fixtures/demo-compare/key.json'), 'utf8')));
  const joined = joinKey(pack, key, { pack: 'pack.json', key: 'key.json' });
  if (!joined.ok) throw new Error(JSON.stringify(joined.errors));
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  mkdirSync(path.join(dir, 'images'));
  for (const it of pack.items) for (const im of 'images' in it ? it.images : []) copyFileSync(path.join(root, 'public/demo-compare', im.image), path.join(dir, im.image));
  return { dir, pack, key, lead: joined.pack };
}
