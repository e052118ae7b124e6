/**
 * `npm run demo:compare`: draws the demo comparison pack. The six prompts of
 * scripts/demoCompareScenes.ts are drawn twice, as the `original` system (with their flaws) and
 * the `finetuned` one (mended: the names echo the paper's original and fine-tuned Muse), by headless Chromium (renderSvg.ts), into a temp folder per system;
 * then `richhf pack --compare` itself makes public/demo-compare/pack.json and its images (the
 * annotators' pack: no system named) and the lead's key, fixtures/demo-compare/key.json (outside
 * public/, so it is never served). Seeded: the same scenes give the same pack.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { main as richhf } from '../src/cli/main.ts';
import { demoPairs } from './demoCompareScenes.ts';
import { renderSvgScenes } from './renderSvg.ts';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const outDir = path.join(root, 'public', 'demo-compare');
const keyFile = path.join(root, 'fixtures', 'demo-compare', 'key.json');

const instructions = `Two images made from the same prompt are shown side by side. Read the prompt, look at both, then answer each question with one of five answers: Left is much better, Left is slightly better, About the same, Right is slightly better, Right is much better.

Plausibility: which image has fewer artifacts (extra or missing fingers, garbled text or numbers, an extra eye, impossible shadows), whatever the prompt says?

Which model made which image is not shown, and the sides change from item to item: judge only what you see.`;

async function run(): Promise<void> {
  const work = mkdtempSync(path.join(os.tmpdir(), 'richhf-demo-compare-'));
  try {
    for (const [system, scenes] of [
      ['original', 'base'],
      ['finetuned', 'finetuned'],
    ] as const) {
      await mkdir(path.join(work, system));
      await renderSvgScenes(
        demoPairs.map((p) => p[scenes]),
        async (png, i) => {
          const pair = demoPairs[i]!;
          await writeFile(path.join(work, system, `${pair.id}.png`), png);
          console.log(`${system}/${pair.id}.png  ${(png.length / 1024).toFixed(1)} KB  ${pair[scenes].flaw}`);
        },
      );
    }
    const csv = (s: string) => `"${s.replace(/"/g, '""')}"`;
    writeFileSync(path.join(work, 'prompts.csv'), `id,prompt\n${demoPairs.map((p) => `${p.id},${csv(p.prompt)}`).join('\n')}\n`);
    writeFileSync(path.join(work, 'instructions.txt'), `${instructions}\n`);
    rmSync(outDir, { recursive: true, force: true });
    await mkdir(outDir, { recursive: true });
    await mkdir(path.dirname(keyFile), { recursive: true });
    // From the work folder, so that the key's sources read original/0001.png, not a temp path.
    process.chdir(work);
    const code = await richhf([
      'pack',
      '--compare',
      '--images',
      'original',
      '--images',
      'finetuned',
      '--prompts',
      'prompts.csv',
      '--instructions',
      'instructions.txt',
      '--out',
      path.join(outDir, 'pack.json'),
      '--key',
      keyFile,
      '--seed',
      '13',
      '--annotators-per-item',
      '6',
      '--name',
      'demo-compare',
    ]);
    if (code !== 0) process.exitCode = code;
  } finally {
    process.chdir(root);
    rmSync(work, { recursive: true, force: true });
  }
}

await run();
