/**
 * Score metrics: Pearson (PLCC) and Spearman (SRCC) correlation of predicted and ground-truth
 * scores over the items that have both. Both are null when undefined (fewer than two pairs,
 * or one side constant), as scipy's pearsonr/spearmanr give nan there.
 */

/** Pearson correlation, centred two-pass form: sum(dx dy) / sqrt(sum(dx^2) sum(dy^2)). */
export function pearson(x: ArrayLike<number>, y: ArrayLike<number>): number | null {
  const n = x.length;
  if (n !== y.length) throw new Error(`pearson: ${n} vs ${y.length} values`);
  if (n < 2) return null;
  let sx = 0;
  let sy = 0;
  for (let i = 0; i < n; i++) {
    sx += x[i]!;
    sy += y[i]!;
  }
  const mx = sx / n;
  const my = sy / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i]! - mx;
    const dy = y[i]! - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  if (sxx === 0 || syy === 0) return null;
  const r = sxy / Math.sqrt(sxx * syy);
  // Rounding can carry |r| a hair past 1; the true value cannot.
  return Math.max(-1, Math.min(1, r));
}

/** 1-based ranks, tied values sharing the average of their ranks (scipy's rankdata 'average'). */
export function averageRanks(values: ArrayLike<number>): Float64Array {
  const n = values.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => values[a]! - values[b]! || a - b);
  const ranks = new Float64Array(n);
  let i = 0;
  while (i < n) {
    let j = i;
    while (j + 1 < n && values[order[j + 1]!] === values[order[i]!]) j++;
    const rank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) ranks[order[k]!] = rank;
    i = j + 1;
  }
  return ranks;
}

/** Spearman correlation: Pearson correlation of the average ranks. */
export function spearman(x: ArrayLike<number>, y: ArrayLike<number>): number | null {
  if (x.length !== y.length) throw new Error(`spearman: ${x.length} vs ${y.length} values`);
  return pearson(averageRanks(x), averageRanks(y));
}
