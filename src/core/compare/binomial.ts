/**
 * The two-sided exact binomial test with p = 1/2 (the sign test), as scipy.stats.binomtest
 * computes it: the probability, under p = 1/2, of an outcome at most as likely as k successes
 * in n trials. By symmetry that is min(1, 2 · P(X ≤ min(k, n − k))), and 1 when k = n / 2.
 * With no trials (n = 0) there is no evidence either way: 1.
 */
export function signTestP(k: number, n: number): number {
  if (!Number.isInteger(k) || !Number.isInteger(n) || k < 0 || k > n) throw new RangeError(`need integers 0 <= k <= n, got k = ${k}, n = ${n}`);
  // k = n / 2, and k next to it for odd n (P(X ≤ (n − 1) / 2) = 1/2 exactly): every outcome is as likely or less.
  if (n === 0 || Math.abs(2 * k - n) <= 1) return 1;
  return Math.min(1, 2 * lowerTailHalf(Math.min(k, n - k), n));
}

/** Up to this many trials every C(n, i) and C(n, i) · (n − i) is an integer below 2^53: exact in doubles. */
const EXACT_UP_TO = 50;

/**
 * P(X ≤ k) for X ~ Binomial(n, 1/2) and k < n / 2: exactly for small n; otherwise the terms are summed relative to the largest,
 * C(n, k) / 2^n, which is computed in logarithms (no overflow for any n; relative error about
 * k · 1e-16), so the tail keeps full relative precision even where it is tiny.
 */
function lowerTailHalf(k: number, n: number): number {
  if (n <= EXACT_UP_TO) {
    // Integer binomial coefficients (all below 2^53 here), so the tail is exact but for its final division.
    let sum = 0;
    let c = 1;
    for (let i = 0; i <= k; i++) {
      sum += c;
      c = (c * (n - i)) / (i + 1);
    }
    return sum / 2 ** n;
  }
  let logTop = -n * Math.LN2;
  for (let j = 1; j <= k; j++) logTop += Math.log((n - k + j) / j);
  let sum = 0;
  let term = 1;
  for (let i = k; i >= 0; i--) {
    sum += term;
    term *= i / (n - i + 1);
    if (term < sum * 1e-17) break;
  }
  return sum * Math.exp(logTop);
}
