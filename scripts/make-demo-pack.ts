/**
 * `npm run demo:images`: draws the bundled demo pack. The scenes (scripts/demoScenes.ts) are SVG
 * written by hand; headless Chromium rasterizes each at 1 CSS pixel = 1 image pixel, and the
 * result is public/demo/images/NNNN.png plus public/demo/pack.json. The pack is validated with
 * the same schema the app uses before anything is written, so a bad scene never lands.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { formatLocatedError, parseValue } from '../src/core/formats/located.ts';
import { TASKPACK_FORMAT, taskPackSchema, taskPackVersionFor } from '../src/core/formats/taskpack.ts';
import { demoScenes } from './demoScenes.ts';
import { renderSvgScenes } from './renderSvg.ts';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const outDir = path.join(root, 'public', 'demo');
const packFile = path.join(outDir, 'pack.json');

const instructions = `Look at the image, read the prompt under it, then mark what is wrong.

Points: click on the image to place one. Choose the kind first with the two buttons:
- Artifact (red): something implausible or broken, whatever the prompt says: extra or missing fingers, garbled text or numbers, an extra eye, melted or duplicated objects, impossible shadows. Put one point on each problem.
- Misalignment (blue): a region that contradicts the prompt: wrong colour, wrong number of things, wrong object. Put one point on each such region.
Drag a point to move it; select it and press Delete to remove it.

Words: click every prompt word that the image does not show correctly (for example "three" when there are two balls, "red" when they are blue). Leave words that are shown correctly unmarked.

Scores, from 1 (worst) to 5 (best):
- Plausibility: 1 = full of artifacts, 5 = nothing implausible.
- Alignment: 1 = the image ignores the prompt, 5 = everything asked for is there.
- Aesthetics: 1 = ugly, 5 = beautiful, regardless of the prompt.
- Overall: your overall judgement of the image as a result for this prompt.

Submit saves the item and moves to the next one. You can go back and revise earlier items at any time; your work is saved as you go.`;

function buildPack() {
  const items = demoScenes.map((scene, i) => {
    const id = String(i + 1).padStart(4, '0');
    return { id, image: `images/${id}.png`, prompt: scene.prompt, width: scene.width, height: scene.height };
  });
  return { format: TASKPACK_FORMAT, version: taskPackVersionFor({ items }), name: 'demo', annotatorsPerItem: 3, instructions, items };
}

async function main(): Promise<void> {
  const pack = buildPack();
  const parsed = parseValue('public/demo/pack.json', pack, taskPackSchema);
  if (!parsed.ok) {
    for (const e of parsed.errors) console.error(formatLocatedError(e));
    process.exitCode = 1;
    return;
  }

  await mkdir(path.join(outDir, 'images'), { recursive: true });
  await renderSvgScenes(demoScenes, async (png, i) => {
    const item = pack.items[i]!;
    const scene = demoScenes[i]!;
    await writeFile(path.join(outDir, item.image), png);
    console.log(`${item.image}  ${scene.width}x${scene.height}  ${(png.length / 1024).toFixed(1)} KB  ${scene.flaw}`);
  });
  await writeFile(packFile, JSON.stringify(pack, null, 2) + '\n');
  console.log(`wrote ${path.relative(root, packFile)} (${pack.items.length} items)`);
}

await main();
