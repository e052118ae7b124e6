/**
 * Flags: the figures (qualityFigures.ts) held against thresholds the lead can set, each flag
 * with a sentence of evidence: the figure, how many items it rests on, and the median of the
 * same figure over the other active annotators ("gold score 0.31 over 6 gold items; others
 * median 0.82"). A figure resting on fewer items than its minimum never flags (a rule of thumb
 * on noise, not a test). The defaults were tuned on the simulated crowd of
 * tests/helpers/simulatedCrowd.ts (README, "Annotator quality").
 */
import type { AnnotatorQuality, QualityFlag, QualityThresholds } from '../formats/quality.ts';
import { SCORE_NAMES } from '../formats/names.ts';
import { median } from '../dataset/agreement.ts';
import type { AnnotatorFigures } from './qualityFigures.ts';

export const DEFAULT_QUALITY_THRESHOLDS: QualityThresholds = {
  minGoldScore: 0.5,
  minGoldItems: 3,
  maxScoreDeviation: 1.1,
  minWordAgreement: 0.3,
  minDiscCC: 0.2,
  maxSameScores: 0.6,
  maxNoPoints: 0.8,
  minItems: 10,
  minActiveShare: 0.25,
};

export const QUALITY_FLAG_CODES = ['gold-score', 'score-deviation', 'word-agreement', 'disc-cc', 'same-scores', 'no-points', 'fast'] as const;
export type QualityFlagCode = (typeof QUALITY_FLAG_CODES)[number];

interface Rule {
  readonly code: QualityFlagCode;
  /** The figure, or null when it is not measured (no item) or rests on too few items. */
  value(f: AnnotatorFigures, t: QualityThresholds): number | null;
  /** Whether `value` is a flag, given the others' median (null: no other annotator has the figure). */
  flagged(value: number, t: QualityThresholds, othersMedian: number | null): boolean;
  message(f: AnnotatorFigures, value: number, others: string): string;
}

const fixed2 = (x: number) => x.toFixed(2);
const percent = (x: number) => `${Math.round(100 * x)}%`;
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const items = (n: number, what = 'items') => `${n} ${n === 1 ? what.replace(/s$/, '') : what}`;

/** The figure when at least `min` items are behind it. */
const given = (value: number | null, count: number, min: number) => (value !== null && count >= min ? value : null);

const RULES: readonly (Rule & { readonly format: (x: number) => string })[] = [
  {
    code: 'gold-score',
    value: (f, t) => given(f.gold.score, f.gold.items, t.minGoldItems),
    flagged: (v, t) => v < t.minGoldScore,
    message: (f, v, others) => `gold score ${fixed2(v)} over ${items(f.gold.items, 'gold items')}${others}`,
    format: fixed2,
  },
  {
    code: 'score-deviation',
    value: (f, t) => given(f.agreement.scoreDeviation, f.agreement.items, t.minItems),
    flagged: (v, t) => v > t.maxScoreDeviation,
    message: (f, v, others) => `scores ${fixed2(v)} points from the others' mean on average over ${items(f.agreement.items)}${others}`,
    format: fixed2,
  },
  {
    code: 'word-agreement',
    value: (f, t) => given(f.agreement.wordAgreement, f.agreement.items, t.minItems),
    flagged: (v, t) => v < t.minWordAgreement,
    message: (f, v, others) => `word agreement ${fixed2(v)} with the others' majority over ${items(f.agreement.items)}${others}`,
    format: fixed2,
  },
  {
    code: 'disc-cc',
    value: (f, t) => given(f.agreement.discCC, f.agreement.discItems, t.minItems),
    flagged: (v, t) => v < t.minDiscCC,
    message: (f, v, others) => `disc map CC ${fixed2(v)} with the others' mean map over ${items(f.agreement.discItems)}${others}`,
    format: fixed2,
  },
  {
    code: 'same-scores',
    value: (f, t) => given(f.behaviour.sameScoresShare, f.submissions, t.minItems),
    flagged: (v, t) => v > t.maxSameScores,
    message: (f, v, others) =>
      `the same scores (${SCORE_NAMES.map((n) => f.behaviour.sameScores![n]).join(', ')}) on ${f.behaviour.sameScoresItems} of ${items(f.submissions)} (${percent(v)})${others}`,
    format: percent,
  },
  {
    code: 'no-points',
    value: (f, t) => given(f.behaviour.noPointsShare, f.behaviour.othersMarkedItems, t.minItems),
    flagged: (v, t) => v > t.maxNoPoints,
    message: (f, v, others) => `no points on ${f.behaviour.noPointsItems} of ${items(f.behaviour.othersMarkedItems)} where others marked some (${percent(v)})${others}`,
    format: percent,
  },
  {
    code: 'fast',
    value: (f, t) => given(f.medianActiveMs, f.submissions, t.minItems),
    flagged: (v, t, othersMedian) => othersMedian !== null && v < t.minActiveShare * othersMedian,
    message: (_f, v, others) => `median active time ${seconds(v)} per item${others}`,
    format: seconds,
  },
];

/**
 * The figures with their flags, in the same order. "Others" for an annotator's median are the
 * other active annotators whose figure rests on enough items.
 */
export function flagAnnotators(figures: readonly AnnotatorFigures[], thresholds: QualityThresholds): AnnotatorQuality[] {
  const values = RULES.map((rule) => figures.map((f) => rule.value(f, thresholds)));
  return figures.map((f, i) => {
    const flags: QualityFlag[] = [];
    RULES.forEach((rule, r) => {
      const v = values[r]![i];
      if (v === null || v === undefined) return;
      const others = figures.flatMap((o, j) => (j !== i && o.status === 'active' && values[r]![j] !== null ? [values[r]![j]!] : []));
      const othersMedian = others.length > 0 ? median(others) : null;
      if (!rule.flagged(v, thresholds, othersMedian)) return;
      flags.push({ code: rule.code, message: rule.message(f, v, othersMedian === null ? '; no others to compare with' : `; others median ${rule.format(othersMedian)}`) });
    });
    return { ...f, flags };
  });
}
