/**
 * Misaligned-word metrics. The positive class is "misaligned"; a token is one of the item's
 * RichHF tokens. Precision, recall and F1 are 0 when undefined (no predicted, no actual
 * positives, or precision + recall = 0).
 */
export interface WordCounts {
  readonly tp: number;
  readonly fp: number;
  readonly fn: number;
}

export interface PrecisionRecall {
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
}

/** Counts for one item: `truth[i]` is true when token i is misaligned; `predicted` are token indices. */
export function wordCounts(truth: readonly boolean[], predicted: readonly number[]): WordCounts {
  const marked = new Set(predicted);
  let tp = 0;
  let fp = 0;
  let fn = 0;
  truth.forEach((positive, i) => {
    const hit = marked.has(i);
    if (positive && hit) tp++;
    else if (hit) fp++;
    else if (positive) fn++;
  });
  return { tp, fp, fn };
}

export function precisionRecall({ tp, fp, fn }: WordCounts): PrecisionRecall {
  const precision = tp + fp > 0 ? tp / (tp + fp) : 0;
  const recall = tp + fn > 0 ? tp / (tp + fn) : 0;
  const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  return { precision, recall, f1 };
}

/** Macro (mean of per-item figures) and micro (figures of the summed counts) averages; null for no items. */
export function averageWords(items: readonly WordCounts[]): { macro: PrecisionRecall; micro: PrecisionRecall } | null {
  if (items.length === 0) return null;
  let p = 0;
  let r = 0;
  let f = 0;
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (const c of items) {
    const pr = precisionRecall(c);
    p += pr.precision;
    r += pr.recall;
    f += pr.f1;
    tp += c.tp;
    fp += c.fp;
    fn += c.fn;
  }
  const k = items.length;
  return { macro: { precision: p / k, recall: r / k, f1: f / k }, micro: precisionRecall({ tp, fp, fn }) };
}
