/**
 * The comparison report (`richhf compare`'s engine: plan + figures, 2,000 bootstrap resamples per
 * interval) on a study the size of the RichHF paper's (100 prompts, 2 systems, 6 annotators) and
 * on a larger one (1,000 prompts, 3 systems: 3,000 items, 18,000 answers, Bradley-Terry with its
 * bootstrap), beside the independent scipy reference (scripts/comparison_reference.py, Debian's
 * python3) on the paper-sized study, in the same run. Answers are drawn from a seeded generator.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { planComparison } from '../src/core/compare/plan.ts';
import { comparisonReport } from '../src/core/compare/report.ts';
import type { AnnotationFile } from '../src/core/formats/annotations.ts';
import type { ComparisonItem, ComparisonRecord } from '../src/core/formats/comparison.ts';
import type { TaskPack } from '../src/core/formats/taskpack.ts';
import { mulberry32 } from '../src/core/metrics/jitter.ts';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const next = mulberry32(2026);
const rand = () => next() / 4294967296;

function study(name: string, prompts: number, systems: readonly string[], annotators: number): { pack: TaskPack; files: AnnotationFile[] } {
  const items: ComparisonItem[] = [];
  for (let p = 0; p < prompts; p++)
    for (let i = 0; i < systems.length; i++)
      for (let j = i + 1; j < systems.length; j++)
        items.push({
          id: `p${p}-${i}${j}`,
          kind: 'compare',
          prompt: `prompt ${p}`,
          images: [
            { image: `a/${p}-${i}.png`, system: systems[i]! },
            { image: `b/${p}-${j}.png`, system: systems[j]! },
          ],
        });
  const files = Array.from({ length: annotators }, (_, a): AnnotationFile => {
    const annotations: ComparisonRecord[] = items.map((it) => ({
      itemId: it.id,
      left: (rand() < 0.5 ? 0 : 1) as 0 | 1,
      answers: { plausibility: Math.min(2, Math.max(-2, Math.round((rand() - 0.4) * 5))) },
      submittedAt: '2026-12-01T10:00:00Z',
      activeMs: 1000,
    }));
    return { format: 'richhf-annotations', version: 2, annotator: `a${a}`, pack: name, annotations };
  });
  return { pack: { format: 'richhf-taskpack', version: 2, name, annotatorsPerItem: annotators, items }, files };
}

function time(label: string, s: { pack: TaskPack; files: AnnotationFile[] }, runs = 3): number {
  const ms: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    const plan = planComparison(
      s.pack,
      s.files.map((file, i) => ({ name: `f${i}.json`, file })),
      'pack.json',
    );
    comparisonReport(plan);
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  const answers = s.files.reduce((n, f) => n + f.annotations.length, 0);
  console.log(
    `- ${label}: ${s.pack.items.length} items, ${answers} answers: median ${ms[Math.floor(runs / 2)]!.toFixed(0)} ms of ${runs} runs (${ms.map((m) => m.toFixed(0)).join(', ')})`,
  );
  return ms[Math.floor(runs / 2)]!;
}

const paper = study('paper', 100, ['finetuned', 'original'], 6);
const ours = time('paper-sized (2 systems)', paper);
time('larger (3 systems, Bradley-Terry)', study('large', 1000, ['a', 'b', 'c'], 6));

const dir = mkdtempSync(path.join(os.tmpdir(), 'richhf-bench-compare-'));
const cases = path.join(dir, 'cases.json');
writeFileSync(cases, JSON.stringify([{ name: 'paper', seed: 1, resamples: 2000, ...paper }]));
const t0 = performance.now();
const ref = spawnSync('/usr/bin/python3', [path.join(root, 'scripts/comparison_reference.py'), cases], { encoding: 'utf8' });
const refMs = performance.now() - t0;
if (ref.status !== 0) console.log(`- scipy reference: not run (${(ref.stderr || ref.error?.message || '').trim().split('\n').pop()})`);
else console.log(`- scipy reference on the paper-sized study (Python start-up included): ${refMs.toFixed(0)} ms, ${(refMs / ours).toFixed(1)}x ours`);
console.log(
  `- load average: ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(', ')}`,
);
