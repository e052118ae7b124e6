import { CRITERIA, type Criterion } from '../formats/comparison.ts';
import {
  COMPARISON_REPORT_FORMAT,
  COMPARISON_REPORT_VERSION,
  type AnnotatorSides,
  type BradleyTerryResult,
  type ComparisonReport,
  type ComparisonResult,
} from '../formats/comparisonReport.ts';
import { compareCodeUnits } from '../text/compare.ts';
import { signTestP } from './binomial.ts';
import { bootstrapInterval95, DEFAULT_RESAMPLES, forEachResample, quantileSorted } from './bootstrap.ts';
import { bradleyTerry } from './bradleyTerry.ts';
import type { ComparisonPlan, PlannedItem } from './plan.ts';
import { hashSeed } from './random.ts';
import { chosenSide } from './sides.ts';

/**
 * Step 2 of the comparison report: the figures of `richhf-comparison-report` from a plan
 * (plan.ts) without errors. Pure and deterministic: the same plan, seed and number of
 * resamples give the same report, byte for byte, on the command line, the review page and
 * the server. The README defines every figure; scripts/comparison_reference.py computes them
 * independently (scipy) for the golden test.
 */
export interface ReportOptions {
  /** The bootstrap's seed (default 1). Each interval draws from its own stream: hashSeed of the seed and what it is of. */
  readonly seed?: number;
  /** Bootstrap resamples per interval (default 2000). */
  readonly resamples?: number;
}

export const DEFAULT_SEED = 1;

/** One item's answers on one criterion, in the pair's terms: counts of X much better … Y much better. */
interface ItemCounts {
  readonly counts: readonly [number, number, number, number, number];
}

export function comparisonReport(plan: ComparisonPlan, options: ReportOptions = {}): ComparisonReport {
  if (plan.errors.length > 0) throw new Error(`the plan has ${plan.errors.length} input errors; there is no report`);
  const seed = String(options.seed ?? DEFAULT_SEED);
  const resamples = options.resamples ?? DEFAULT_RESAMPLES;
  if (!Number.isInteger(resamples) || resamples < 1) throw new RangeError('resamples must be an integer >= 1');

  const results: ComparisonResult[] = [];
  for (const criterion of CRITERIA) {
    // The pairs asked about on this criterion, X < Y, and their items' counts.
    const pairs = new Map<string, { x: string; y: string; items: ItemCounts[] }>();
    for (const item of plan.items) {
      if (!item.criteria.includes(criterion)) continue;
      const [x, y] = [...item.systems].sort(compareCodeUnits) as [string, string];
      const key = `${x}\u0000${y}`;
      let pair = pairs.get(key);
      if (!pair) pairs.set(key, (pair = { x, y, items: [] }));
      const counts = itemCounts(item, criterion, x);
      if (counts[0] + counts[1] + counts[2] + counts[3] + counts[4] > 0) pair.items.push({ counts });
    }
    const ordered = [...pairs.values()].sort((a, b) => compareCodeUnits(a.x, b.x) || compareCodeUnits(a.y, b.y));
    for (const pair of ordered) results.push(pairResult(criterion, pair.x, pair.y, pair.items, seed, resamples));
  }

  const report: ComparisonReport = {
    format: COMPARISON_REPORT_FORMAT,
    version: COMPARISON_REPORT_VERSION,
    pack: plan.pack,
    systems: [...plan.systems],
    results,
    positionBias: { leftWins: 0, rightWins: 0, ties: 0, p: 1 },
    annotators: [],
  };
  const sides = new Map<string, AnnotatorSides>();
  for (const item of plan.items)
    for (const { annotator, record } of item.records) {
      let a = sides.get(annotator);
      if (!a) sides.set(annotator, (a = { id: annotator, n: 0, leftWins: 0, rightWins: 0, ties: 0 }));
      for (const c of item.criteria) {
        const answer = record.answers[c];
        if (answer === undefined) continue;
        const side = chosenSide(answer, record.left);
        a.n++;
        if (side === 'left') a.leftWins++;
        else if (side === 'right') a.rightWins++;
        else a.ties++;
      }
    }
  report.annotators = [...sides.values()].sort((a, b) => compareCodeUnits(a.id, b.id));
  const bias = report.positionBias;
  for (const a of report.annotators) {
    bias.leftWins += a.leftWins;
    bias.rightWins += a.rightWins;
    bias.ties += a.ties;
  }
  bias.p = signTestP(bias.leftWins, bias.leftWins + bias.rightWins);
  if (plan.systems.length >= 3) report.bradleyTerry = bradleyTerryResults(plan, seed, resamples);
  return report;
}

/** The item's answers on `criterion` in the terms of the pair (x, y): index 0 = x much better … 4 = y much better. */
function itemCounts(item: PlannedItem, criterion: Criterion, x: string): [number, number, number, number, number] {
  const counts: [number, number, number, number, number] = [0, 0, 0, 0, 0];
  const xFirst = item.systems[0] === x;
  for (const { record } of item.records) {
    const a = record.answers[criterion];
    if (a !== undefined) counts[xFirst ? a + 2 : 2 - a]!++;
  }
  return counts;
}

function pairResult(criterion: Criterion, x: string, y: string, items: readonly ItemCounts[], seed: string, resamples: number): ComparisonResult {
  const counts: [number, number, number, number, number] = [0, 0, 0, 0, 0];
  for (const it of items) for (let k = 0; k < 5; k++) counts[k]! += it.counts[k]!;
  const n = counts[0] + counts[1] + counts[2] + counts[3] + counts[4];
  const xWins = counts[0] + counts[1];
  const ties = counts[2];
  const yWins = counts[3] + counts[4];
  const percent = counts.map((c) => (n === 0 ? 0 : (100 * c) / n)) as [number, number, number, number, number];
  let winRate: number | null = null;
  let winRateCI95: [number, number] | null = null;
  if (n > 0) {
    winRate = (xWins + ties / 2) / n;
    // Per item: its x wins, ties and answers; a resample's win rate pools its items' answers.
    const xw = Int32Array.from(items, (it) => it.counts[0] + it.counts[1]);
    const t = Int32Array.from(items, (it) => it.counts[2]);
    const m = Int32Array.from(items, (it) => it.counts[0] + it.counts[1] + it.counts[2] + it.counts[3] + it.counts[4]);
    winRateCI95 = bootstrapInterval95(items.length, resamples, hashSeed([seed, 'winRate', criterion, x, y]), (draw) => {
      let sw = 0;
      let st = 0;
      let sn = 0;
      for (const i of draw) {
        sw += xw[i]!;
        st += t[i]!;
        sn += m[i]!;
      }
      return (sw + st / 2) / sn;
    });
  }
  return { criterion, systems: [x, y], n, counts, percent, xWins, ties, yWins, signTestP: signTestP(xWins, xWins + yWins), winRate, winRateCI95 };
}

/** Per criterion with at least one answer: strengths from all its items, intervals from resampled items. */
function bradleyTerryResults(plan: ComparisonPlan, seed: string, resamples: number): BradleyTerryResult[] {
  const systems = plan.systems;
  const s = systems.length;
  const index = new Map(systems.map((name, i) => [name, i]));
  const out: BradleyTerryResult[] = [];
  for (const criterion of CRITERIA) {
    // Per item with answers: its systems' indices and the preferences for each (ties half each way).
    const units: { a: number; b: number; forA: number; forB: number }[] = [];
    for (const item of plan.items) {
      if (!item.criteria.includes(criterion)) continue;
      let forA = 0;
      let forB = 0;
      let answered = 0;
      for (const { record } of item.records) {
        const v = record.answers[criterion];
        if (v === undefined) continue;
        answered++;
        if (v < 0) forA++;
        else if (v > 0) forB++;
        else {
          forA += 0.5;
          forB += 0.5;
        }
      }
      if (answered > 0) units.push({ a: index.get(item.systems[0])!, b: index.get(item.systems[1])!, forA, forB });
    }
    if (units.length === 0) continue;
    const fit = (pick: ArrayLike<number> | null) => {
      const wins = new Float64Array(s * s);
      const m = pick ? pick.length : units.length;
      for (let k = 0; k < m; k++) {
        const u = units[pick ? pick[k]! : k]!;
        wins[u.a * s + u.b]! += u.forA;
        wins[u.b * s + u.a]! += u.forB;
      }
      return bradleyTerry(wins, s);
    };
    const strengths = fit(null);
    const draws = systems.map(() => new Float64Array(resamples));
    forEachResample(units.length, resamples, hashSeed([seed, 'bradleyTerry', criterion]), (draw, b) => {
      const beta = fit(draw);
      for (let i = 0; i < s; i++) draws[i]![b] = beta[i]!;
    });
    out.push({
      criterion,
      strengths: systems.map((system, i) => {
        const sorted = draws[i]!.sort();
        return { system, strength: strengths[i]!, ci95: [quantileSorted(sorted, 0.025), quantileSorted(sorted, 0.975)] as [number, number] };
      }),
    });
  }
  return out;
}
