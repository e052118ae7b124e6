/**
 * The README's figures for the quality flags: the simulated crowd of issue 17
 * (tests/helpers/simulatedCrowd.ts: 300 items, K = 3, 10% gold; 16 careful, 3 random and 2
 * constant annotators) run through the file-based workflow over several seeds, with the
 * default thresholds:
 *
 *   npx tsx scripts/quality-crowd.ts [--seeds 20]
 *
 * Prints, per seed, how many of the 5 unreliable annotators the flags name and how many careful
 * ones they name by mistake; then how often each flag names each kind of annotator, and the
 * range of each figure per kind (the margins the thresholds sit in).
 */
import { parseArgs } from 'node:util';
import { planConsolidation } from '../src/core/dataset/plan.ts';
import { DEFAULT_QUALITY_THRESHOLDS, qualityItemsFromPlan, qualityReport } from '../src/core/quality/qualityReport.ts';
import type { AnnotatorQuality } from '../src/core/formats/quality.ts';
import { fileCrowd, flagOutcome, type Behaviour } from '../tests/helpers/simulatedCrowd.ts';

const { values } = parseArgs({ options: { seeds: { type: 'string', default: '20' } } });
const seeds = Number(values.seeds);

const FIGURES: Record<string, (a: AnnotatorQuality) => number | null> = {
  'gold score': (a) => a.gold.score,
  'score deviation': (a) => a.agreement.scoreDeviation,
  'word agreement': (a) => a.agreement.wordAgreement,
  'disc CC': (a) => a.agreement.discCC,
  'same scores': (a) => a.behaviour.sameScoresShare,
  'no points': (a) => a.behaviour.noPointsShare,
};
const KINDS: Behaviour[] = ['careful', 'random', 'constant'];
const values_ = new Map<string, number[]>();
const flagCounts = new Map<string, number>();
const members = { careful: 0, random: 0, constant: 0 };
let caughtTotal = 0;
let falseTotal = 0;
let measureMs = 0;

console.log('| seed | unreliable named | careful named by mistake |\n| --- | --- | --- |');
for (let seed = 1; seed <= seeds; seed++) {
  const crowd = fileCrowd({ seed });
  const plan = planConsolidation({ pack: crowd.pack, files: crowd.files, minAnnotators: 1 });
  if (plan.errors.length > 0) throw new Error(`seed ${seed}: the simulated files are invalid: ${plan.errors[0]!.message}`);
  const t0 = performance.now();
  const quality = qualityReport({ items: qualityItemsFromPlan(crowd.pack, plan) });
  measureMs += performance.now() - t0;
  const outcome = flagOutcome(quality, crowd.members);
  caughtTotal += outcome.caught.length;
  falseTotal += outcome.falseFlags.length;
  console.log(`| ${seed} | ${outcome.caught.length} of ${outcome.unreliable} | ${outcome.falseFlags.length} |`);
  for (const a of quality.annotators) {
    const kind = crowd.members.find((m) => m.id === a.id)!.behaviour;
    members[kind]++;
    for (const f of a.flags) flagCounts.set(`${f.code}/${kind}`, (flagCounts.get(`${f.code}/${kind}`) ?? 0) + 1);
    for (const [name, read] of Object.entries(FIGURES)) {
      const v = read(a);
      if (v === null) continue;
      const key = `${name}/${kind}`;
      if (!values_.has(key)) values_.set(key, []);
      values_.get(key)!.push(v);
    }
  }
}
console.log(
  `\nover ${seeds} seeds: ${caughtTotal} of ${5 * seeds} unreliable annotators named, ${falseTotal} careful annotators named by mistake; the model took ${(measureMs / seeds).toFixed(0)} ms per run\n`,
);

console.log(`| flag | ${KINDS.map((k) => `${k} (${members[k]})`).join(' | ')} |\n| --- | --- | --- | --- |`);
for (const code of new Set([...flagCounts.keys()].map((k) => k.split('/')[0]!))) console.log(`| ${code} | ${KINDS.map((k) => flagCounts.get(`${code}/${k}`) ?? 0).join(' | ')} |`);

const range = (list: number[] | undefined) => {
  if (!list || list.length === 0) return '–';
  const s = [...list].sort((a, b) => a - b);
  return `${s[0]!.toFixed(2)} / ${s[Math.floor(s.length / 2)]!.toFixed(2)} / ${s[s.length - 1]!.toFixed(2)}`;
};
console.log(`\n| figure (min / median / max) | ${KINDS.join(' | ')} |\n| --- | --- | --- | --- |`);
for (const name of Object.keys(FIGURES)) console.log(`| ${name} | ${KINDS.map((k) => range(values_.get(`${name}/${k}`))).join(' | ')} |`);
console.log(`\nthresholds: ${JSON.stringify(DEFAULT_QUALITY_THRESHOLDS)}`);
