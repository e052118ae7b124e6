/**
 * The quality table's order: one row per annotator (core/quality's report), sorted by a column
 * with missing figures last in both directions and ties by annotator id (unit-tested).
 */
import type { AnnotatorQuality } from '../../core/formats/quality.ts';
import { compareCodeUnits } from '../../core/text/compare.ts';

export const QUALITY_SORT_KEYS = [
  'id',
  'submissions',
  'goldItems',
  'goldScore',
  'agreementItems',
  'scoreDeviation',
  'wordAgreement',
  'discCC',
  'sameScores',
  'noPoints',
  'activeMs',
  'flags',
] as const;
export type QualitySortKey = (typeof QUALITY_SORT_KEYS)[number];

function value(a: AnnotatorQuality, key: Exclude<QualitySortKey, 'id'>): number | null {
  switch (key) {
    case 'submissions':
      return a.submissions;
    case 'goldItems':
      return a.gold.items;
    case 'goldScore':
      return a.gold.score;
    case 'agreementItems':
      return a.agreement.items;
    case 'scoreDeviation':
      return a.agreement.scoreDeviation;
    case 'wordAgreement':
      return a.agreement.wordAgreement;
    case 'discCC':
      return a.agreement.discCC;
    case 'sameScores':
      return a.behaviour.sameScoresShare;
    case 'noPoints':
      return a.behaviour.noPointsShare;
    case 'activeMs':
      return a.medianActiveMs;
    case 'flags':
      return a.flags.length;
  }
}

export function sortAnnotators(list: readonly AnnotatorQuality[], key: QualitySortKey, descending: boolean): AnnotatorQuality[] {
  const sign = descending ? -1 : 1;
  return [...list].sort((a, b) => {
    if (key === 'id') return sign * compareCodeUnits(a.id, b.id);
    const x = value(a, key);
    const y = value(b, key);
    if (x === null || y === null) return x === y ? compareCodeUnits(a.id, b.id) : x === null ? 1 : -1;
    return sign * (x - y) || compareCodeUnits(a.id, b.id);
  });
}
