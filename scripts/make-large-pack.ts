/**
 * Writes a large task pack for benchmarks and manual trials, reusing the demo images:
 *
 *   tsx scripts/make-large-pack.ts [--items 20000] [--seed 1] [--out /tmp/richhf-large/pack.json]
 *                                  [--image-base /demo/images/]
 *
 * Without --image-base the demo images are copied to <out dir>/images/ and referenced relative to
 * the pack, so the folder can be opened as a local pack. With --image-base the items point to
 * `<base>0001.png`.. instead (e.g. `/demo/images/` when the pack is served by the app itself).
 */
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { formatLocatedError, parseValue } from '../src/core/formats/located.ts';
import { parseJsonText } from '../src/core/formats/readDocument.ts';
import { isRatingItem, taskPackSchema } from '../src/core/formats/taskpack.ts';
import { cycleImages, makeLargePack, type LargePackImage } from './largePack.ts';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const demoDir = path.join(root, 'public', 'demo');

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      items: { type: 'string', default: '20000' },
      seed: { type: 'string', default: '1' },
      out: { type: 'string', default: '/tmp/richhf-large/pack.json' },
      'image-base': { type: 'string' },
      name: { type: 'string' },
    },
  });
  const items = Number(values.items);
  const seed = Number(values.seed);
  if (!Number.isInteger(items) || items < 1 || !Number.isInteger(seed)) {
    console.error('usage: tsx scripts/make-large-pack.ts [--items N] [--seed S] [--out FILE] [--image-base PREFIX] [--name NAME]');
    process.exitCode = 2;
    return;
  }

  const demoText = await readFile(path.join(demoDir, 'pack.json'), 'utf8');
  const demo = parseJsonText('public/demo/pack.json', demoText, taskPackSchema);
  if (!demo.ok) throw new Error(demo.errors.map(formatLocatedError).join('\n'));

  const out = path.resolve(values.out);
  const outDir = path.dirname(out);
  await mkdir(outDir, { recursive: true });
  const base = values['image-base'];
  const images: LargePackImage[] = [];
  for (const item of demo.value.items.filter(isRatingItem)) {
    const file = path.basename(item.image);
    if (base === undefined) {
      await mkdir(path.join(outDir, 'images'), { recursive: true });
      await copyFile(path.join(demoDir, item.image), path.join(outDir, 'images', file));
    }
    images.push({ image: base === undefined ? `images/${file}` : `${base}${file}`, width: item.width, height: item.height });
  }

  const pack = makeLargePack(items, seed, cycleImages(images), values.name);
  const checked = parseValue(out, pack, taskPackSchema);
  if (!checked.ok) throw new Error(checked.errors.slice(0, 10).map(formatLocatedError).join('\n'));
  const text = JSON.stringify(pack);
  await writeFile(out, text);
  console.log(`wrote ${out}: ${items} items, ${(text.length / 1024 / 1024).toFixed(2)} MB`);
}

await main();
