/**
 * Writes the inputs of the comparison report's golden test, fixtures/compare/cases.json: a few
 * packs with their annotators' files, drawn from a seeded generator (the same file on every run).
 * The expected reports are NOT computed here: they come from the independent implementation
 * (scipy and numpy from Debian), scripts/comparison_reference.py:
 *
 *   npx tsx scripts/make-compare-golden.ts
 *   /usr/bin/python3 scripts/comparison_reference.py fixtures/compare/cases.json > fixtures/compare/expected.json
 *
 * The cases: two systems on two criteria, with ties (and an item nobody answered); three systems
 * (Bradley-Terry); all answers "about the same"; one item; a criterion nobody answered (n = 0);
 * a strong preference (a tiny sign-test p).
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { AnnotationFile } from '../src/core/formats/annotations.ts';
import type { ComparisonItem, ComparisonRecord, Criterion } from '../src/core/formats/comparison.ts';
import type { TaskPack } from '../src/core/formats/taskpack.ts';
import { mulberry32 } from '../src/core/metrics/jitter.ts';

const OUT = path.join(path.dirname(new URL(import.meta.url).pathname), '..', 'fixtures', 'compare', 'cases.json');
const next = mulberry32(18);
const rand = () => next() / 4294967296;

interface Case {
  readonly name: string;
  readonly seed: number;
  readonly resamples: number;
  readonly pack: TaskPack;
  readonly files: AnnotationFile[];
}

/** An answer in the item's terms that prefers `better` (0 or 1) with strength `bias` in [0, 1]. */
function answer(better: 0 | 1, bias: number): number {
  const u = rand();
  const v = u < bias * 0.35 ? -2 : u < bias * 0.8 ? -1 : u < 0.55 + bias * 0.3 ? 0 : u < 0.85 + bias * 0.1 ? 1 : 2;
  return better === 0 ? v : -v;
}

function makeCase(
  name: string,
  systems: readonly string[],
  prompts: number,
  annotators: readonly string[],
  options: {
    criteria?: (p: number) => Criterion[] | undefined;
    strength: Record<string, number>;
    skip?: (item: string, annotator: string) => boolean;
    seed?: number;
    resamples?: number;
  },
): Case {
  const items: ComparisonItem[] = [];
  for (let p = 0; p < prompts; p++)
    for (let i = 0; i < systems.length; i++)
      for (let j = i + 1; j < systems.length; j++) {
        const flip = rand() < 0.5;
        const [a, b] = flip ? [systems[j]!, systems[i]!] : [systems[i]!, systems[j]!];
        const id = systems.length === 2 ? `p${p}` : `p${p}-${i}${j}`;
        const criteria = options.criteria?.(p);
        items.push({
          id,
          kind: 'compare',
          prompt: `prompt ${p}`,
          images: [
            { image: `images/${id}-0.png`, system: a },
            { image: `images/${id}-1.png`, system: b },
          ],
          ...(criteria ? { criteria } : {}),
        });
      }
  const files = annotators.map((annotator): AnnotationFile => {
    const annotations: ComparisonRecord[] = [];
    items.forEach((item, k) => {
      if (options.skip?.(item.id, annotator)) return;
      const [a, b] = [item.images[0].system!, item.images[1].system!];
      const diff = options.strength[a]! - options.strength[b]!;
      const answers: Partial<Record<Criterion, number>> = {};
      for (const c of item.criteria ?? ['plausibility']) answers[c] = diff === 0 ? answer(rand() < 0.5 ? 0 : 1, 0) : answer(diff > 0 ? 0 : 1, Math.min(1, Math.abs(diff)));
      annotations.push({
        itemId: item.id,
        left: (rand() < 0.5 ? 0 : 1) as 0 | 1,
        answers,
        submittedAt: `2026-12-0${1 + (k % 9)}T10:00:00Z`,
        activeMs: Math.floor(rand() * 20_000),
      });
    });
    return { format: 'richhf-annotations', version: 2, annotator, pack: name, annotations };
  });
  return {
    name,
    seed: options.seed ?? 1,
    resamples: options.resamples ?? 2000,
    pack: { format: 'richhf-taskpack', version: 2, name, annotatorsPerItem: annotators.length, items },
    files,
  };
}

const six = ['a1', 'a2', 'a3', 'a4', 'a5', 'a6'];
const cases: Case[] = [
  makeCase('two-systems', ['muse-base', 'muse-tuned'], 12, six, {
    criteria: (p) => (p % 3 === 0 ? ['plausibility', 'alignment'] : undefined),
    strength: { 'muse-base': 0, 'muse-tuned': 0.4 },
    skip: (item) => item === 'p11',
  }),
  makeCase('three-systems', ['alpha', 'beta', 'gamma'], 8, ['a1', 'a2', 'a3', 'a4'], { strength: { alpha: 0, beta: 0.3, gamma: 0.8 }, seed: 7, resamples: 500 }),
  {
    ...makeCase('all-ties', ['x', 'y'], 5, ['a1', 'a2', 'a3'], { strength: { x: 0, y: 0 }, resamples: 200 }),
    files: [],
  },
  makeCase('one-item', ['x', 'y'], 1, ['a1', 'a2'], { strength: { x: 0, y: 1 }, resamples: 300 }),
  makeCase('unanswered-criterion', ['x', 'y'], 3, ['a1', 'a2', 'a3'], {
    criteria: (p) => (p === 2 ? ['overall'] : undefined),
    strength: { x: 0.2, y: 0 },
    skip: (item) => item === 'p2',
    resamples: 300,
  }),
  makeCase('strong', ['old', 'new'], 40, six, { strength: { old: 0, new: 1 }, resamples: 1000, seed: 99 }),
];
// All ties: every answer "about the same".
const ties = cases[2]!;
cases[2] = {
  ...ties,
  files: ['a1', 'a2', 'a3'].map((annotator) => ({
    format: 'richhf-annotations',
    version: 2,
    annotator,
    pack: ties.pack.name,
    annotations: ties.pack.items.map((it, k) => ({ itemId: it.id, left: (k % 2) as 0 | 1, answers: { plausibility: 0 }, submittedAt: '2026-12-01T10:00:00Z', activeMs: 1000 })),
  })),
};

writeFileSync(OUT, `${JSON.stringify(cases, null, 1)}\n`);
console.log(`wrote ${path.relative(process.cwd(), OUT)}: ${cases.map((c) => c.name).join(', ')}`);
