/**
 * The quality model (src/core/quality) on the simulated crowd of tests/helpers/simulatedCrowd.ts
 * scaled up: 1,000 and 20,000 items x 3 annotators (10% gold), 60 annotators. Timed: measuring
 * (qualityReport: gold comparisons, leave-one-out agreement, behaviour, flags) beside the step
 * it follows, planConsolidation over the same files (the reference run: what `richhf quality`
 * and the review page already pay). Best of 3 runs each. `QUALITY_ITEMS=1000 npm run bench --
 * quality` for the small case only.
 */
import os from 'node:os';
import { planConsolidation } from '../src/core/dataset/plan.ts';
import { qualityItemsFromPlan, qualityReport } from '../src/core/quality/qualityReport.ts';
import { fileCrowd } from '../tests/helpers/simulatedCrowd.ts';

const sizes = process.env.QUALITY_ITEMS ? [Number(process.env.QUALITY_ITEMS)] : [1000, 20_000];

function best(runs: number, f: () => void): number {
  let min = Infinity;
  for (let k = 0; k < runs; k++) {
    const t0 = performance.now();
    f();
    min = Math.min(min, performance.now() - t0);
  }
  return min;
}

console.log(
  `load average before: ${os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(', ')}\n`,
);
console.log('| items x annotators | records | planConsolidation (reference) | quality model | per record |\n| --- | --- | --- | --- | --- |');
for (const items of sizes) {
  const crowd = fileCrowd({ seed: 1, items, careful: 50, random: 6, constant: 4 });
  const records = crowd.files.reduce((n, f) => n + f.file.annotations.length, 0);
  let plan = planConsolidation({ pack: crowd.pack, files: crowd.files, minAnnotators: 1 });
  const planMs = best(3, () => {
    plan = planConsolidation({ pack: crowd.pack, files: crowd.files, minAnnotators: 1 });
  });
  const input = { items: qualityItemsFromPlan(crowd.pack, plan) };
  const qualityMs = best(3, () => void qualityReport(input));
  console.log(
    `| ${items.toLocaleString('en')} x 3 | ${records.toLocaleString('en')} | ${planMs.toFixed(0)} ms | ${qualityMs.toFixed(0)} ms | ${((1000 * qualityMs) / records).toFixed(1)} µs |`,
  );
}
console.log(
  `\nload average after: ${os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(', ')}`,
);
