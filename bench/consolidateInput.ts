/**
 * The generated input of the consolidation benchmarks (consolidate.bench.ts, parquet.bench.ts):
 * a pack of `n` items of 512x512 and three annotators' files, seeded by `n`, with 0-6 points of
 * each kind per annotator and item, 0-2 misaligned words and random scores.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { AnnotationFile } from '../src/core/formats/annotations.ts';
import type { TaskPack } from '../src/core/formats/taskpack.ts';
import { tokenize } from '../src/core/text/tokenize.ts';
import { seededRandom } from '../scripts/largePack.ts';

const WORDS = ['a', 'red', 'cat', 'sitting', 'on', 'the', 'blue', 'sofa', 'three', 'balls', 'wooden', 'table', 'portrait', 'of', 'smiling', 'woman', 'sunset', 'over', 'sea'];

export function generate(n: number, dir: string): { pack: string; files: string[] } {
  mkdirSync(dir, { recursive: true });
  const random = seededRandom(n);
  const int = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
  const items = Array.from({ length: n }, (_, i) => {
    const words = Array.from({ length: int(5, 12) }, () => WORDS[int(0, WORDS.length - 1)]!);
    return { id: String(i + 1).padStart(6, '0'), image: `images/${String(i + 1).padStart(6, '0')}.png`, prompt: words.join(' '), width: 512, height: 512 };
  });
  const pack: TaskPack = { format: 'richhf-taskpack', version: 1, name: 'bench', annotatorsPerItem: 3, items };
  writeFileSync(path.join(dir, 'pack.json'), JSON.stringify(pack));
  const files = ['alice', 'bob', 'carol'].map((annotator) => {
    const file: AnnotationFile = {
      format: 'richhf-annotations',
      version: 1,
      annotator,
      pack: 'bench',
      annotations: items.map((item) => {
        const tokens = tokenize(item.prompt).length;
        const points = (['artifact', 'misalignment'] as const).flatMap((kind) =>
          Array.from({ length: int(0, 6) }, () => ({ kind, x: Math.round(random() * 5120) / 10, y: Math.round(random() * 5120) / 10 })),
        );
        const misalignedTokens = [...new Set(Array.from({ length: int(0, 2) }, () => int(0, tokens - 1)))];
        const s = () => int(1, 5);
        return {
          itemId: item.id,
          imageWidth: 512,
          imageHeight: 512,
          points,
          misalignedTokens,
          scores: { plausibility: s(), alignment: s(), aesthetics: s(), overall: s() },
          submittedAt: '2026-11-26T10:00:00.000Z',
          activeMs: int(5000, 90000),
        };
      }),
    };
    const name = path.join(dir, `${annotator}.json`);
    writeFileSync(name, JSON.stringify(file));
    return name;
  });
  return { pack: path.join(dir, 'pack.json'), files };
}
