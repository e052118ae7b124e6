/**
 * The quality model's figures per annotator (everything but the flags, flags.ts): on gold items
 * against the reference (goldCompare.ts), on ordinary items against the other annotators
 * (peerAgreement.ts), and their behaviour. Each figure is a mean over items, null when there is
 * no item to take it over; the README's "Annotator quality" defines each one.
 */
import type { Size } from '../annotate/geometry.ts';
import type { LikertScores } from '../formats/common.ts';
import type { AnnotatorQuality } from '../formats/quality.ts';
import type { Gold } from '../formats/taskpack.ts';
import { SCORE_NAMES } from '../formats/names.ts';
import { median } from '../dataset/agreement.ts';
import { compareCodeUnits } from '../text/compare.ts';
import { compareWithGold, type Answer } from './goldCompare.ts';
import { compareWithPeers } from './peerAgreement.ts';

/** What the model reads of a record. */
export interface QualityRecord extends Answer {
  /** Active time on the item, in milliseconds. */
  readonly activeMs: number;
}

/** One item with one record per annotator (their newest); a gold item carries its reference. */
export interface QualityItem {
  readonly id: string;
  /** Image pixels. */
  readonly imageWidth: number;
  readonly imageHeight: number;
  readonly records: readonly { readonly annotator: string; readonly record: QualityRecord }[];
  readonly gold?: Gold | undefined;
}

export interface QualityInput {
  readonly items: readonly QualityItem[];
  /** Rejected annotators: measured and listed as "rejected", never one of the others for anyone. */
  readonly rejected?: ReadonlySet<string>;
  /** Annotators to list even without a record (invited on a server, nothing submitted yet). */
  readonly annotators?: readonly string[];
}

export type AnnotatorFigures = Omit<AnnotatorQuality, 'flags'>;

/** A running mean. */
class Mean {
  sum = 0;
  n = 0;
  add(x: number | null | undefined): void {
    if (x === null || x === undefined) return;
    this.sum += x;
    this.n++;
  }
  get value(): number | null {
    return this.n > 0 ? this.sum / this.n : null;
  }
}

class Tally {
  submissions = 0;
  readonly activeMs: number[] = [];
  /** Score vectors as "p,a,ae,o" -> count. */
  readonly vectors = new Map<string, number>();
  goldItems = 0;
  readonly gold = { score: new Mean(), within: new Mean(), absDiff: new Mean(), words: new Mean(), precision: new Mean(), recall: new Mean(), f1: new Mean() };
  agreementItems = 0;
  readonly agreement = { deviation: new Mean(), words: new Mean(), cc: new Mean() };
  othersMarked = 0;
  noPoints = 0;
}

const vectorKey = (s: LikertScores) => SCORE_NAMES.map((n) => s[n]).join(',');

/** The most frequent score vector and its count; of equally frequent ones, the lowest scores first (scale by scale). */
function mostFrequent(vectors: ReadonlyMap<string, number>): { scores: LikertScores; count: number } | null {
  let best: string | null = null;
  let count = 0;
  for (const [key, n] of vectors) if (n > count || (n === count && best !== null && key < best)) [best, count] = [key, n];
  if (best === null) return null;
  const values = best.split(',').map(Number);
  return { scores: Object.fromEntries(SCORE_NAMES.map((name, i) => [name, values[i]!])) as LikertScores, count };
}

export function measureQuality(input: QualityInput): AnnotatorFigures[] {
  const rejected = input.rejected ?? new Set<string>();
  const tallies = new Map<string, Tally>();
  const tally = (id: string) => {
    let t = tallies.get(id);
    if (!t) tallies.set(id, (t = new Tally()));
    return t;
  };
  for (const id of input.annotators ?? []) tally(id);

  for (const item of input.items) {
    const image: Size = { width: item.imageWidth, height: item.imageHeight };
    for (const { annotator, record } of item.records) {
      const t = tally(annotator);
      t.submissions++;
      t.activeMs.push(record.activeMs);
      const key = vectorKey(record.scores);
      t.vectors.set(key, (t.vectors.get(key) ?? 0) + 1);
      if (!item.gold) continue;
      const c = compareWithGold(record, item.gold, image);
      if (c.score === null) continue;
      t.goldItems++;
      t.gold.score.add(c.score);
      t.gold.within.add(c.scoresWithinOne);
      t.gold.absDiff.add(c.scoreAbsDiff);
      t.gold.words.add(c.wordF1);
      t.gold.precision.add(c.discs?.precision);
      t.gold.recall.add(c.discs?.recall);
      t.gold.f1.add(c.discs?.f1);
    }
    if (item.gold) continue;
    const answers = item.records.map((r) => ({ annotator: r.annotator, answer: r.record }));
    for (const c of compareWithPeers(answers, (a) => !rejected.has(a), image)) {
      const t = tally(c.annotator);
      t.agreementItems++;
      t.agreement.deviation.add(c.scoreDeviation);
      t.agreement.words.add(c.wordAgreement);
      t.agreement.cc.add(c.discCC);
      if (c.othersMarked) {
        t.othersMarked++;
        if (!c.marked) t.noPoints++;
      }
    }
  }

  return [...tallies]
    .sort(([a], [b]) => compareCodeUnits(a, b))
    .map(([id, t]): AnnotatorFigures => {
      const same = mostFrequent(t.vectors);
      return {
        id,
        submissions: t.submissions,
        gold: {
          items: t.goldItems,
          score: t.gold.score.value,
          scoresWithinOne: t.gold.within.value,
          scoreAbsDiff: t.gold.absDiff.value,
          wordF1: t.gold.words.value,
          discPrecision: t.gold.precision.value,
          discRecall: t.gold.recall.value,
          discF1: t.gold.f1.value,
        },
        agreement: {
          items: t.agreementItems,
          scoreDeviation: t.agreement.deviation.value,
          wordAgreement: t.agreement.words.value,
          discCC: t.agreement.cc.value,
          discItems: t.agreement.cc.n,
        },
        medianActiveMs: t.activeMs.length > 0 ? median(t.activeMs) : null,
        behaviour: {
          sameScores: same?.scores ?? null,
          sameScoresItems: same?.count ?? 0,
          sameScoresShare: same ? same.count / t.submissions : null,
          othersMarkedItems: t.othersMarked,
          noPointsItems: t.noPoints,
          noPointsShare: t.othersMarked > 0 ? t.noPoints / t.othersMarked : null,
        },
        status: rejected.has(id) ? 'rejected' : 'active',
      };
    });
}
