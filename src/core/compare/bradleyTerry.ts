/**
 * Bradley-Terry strengths for three or more systems, on the logit scale: system i is preferred
 * to j with probability 1 / (1 + e^(βj − βi)), and the β are centred (they sum to 0).
 *
 * Ties: an answer of "about the same" counts as half a preference each way (as arena-style
 * tools count them). Every pair of systems also starts with one virtual tie (half a preference
 * each way): without it a system that never wins, or systems never compared, would have no
 * finite strength; its pull towards 0 fades as answers accumulate (one answer's worth per pair).
 * Fitted by Hunter's MM algorithm (2004), which raises the likelihood at every step:
 * π_i ← W_i / Σ_j N_ij / (π_i + π_j), with W_i the preferences for i and N_ij the comparisons of
 * i and j; stopped when no log-strength moves by more than 1e-12 (or after 100,000 rounds).
 */
export const VIRTUAL_TIES_PER_PAIR = 1;

/** `wins[i * s + j]`: how often system i was preferred to j (ties counted half each way), for s systems. */
export function bradleyTerry(wins: Float64Array, s: number): Float64Array {
  const w = Float64Array.from(wins);
  for (let i = 0; i < s; i++) for (let j = 0; j < s; j++) if (i !== j) w[i * s + j]! += VIRTUAL_TIES_PER_PAIR / 2;
  const total = new Float64Array(s);
  for (let i = 0; i < s; i++) for (let j = 0; j < s; j++) if (i !== j) total[i]! += w[i * s + j]!;
  let pi = new Float64Array(s).fill(1);
  for (let round = 0; round < 100_000; round++) {
    const next = new Float64Array(s);
    for (let i = 0; i < s; i++) {
      let denominator = 0;
      for (let j = 0; j < s; j++) if (i !== j) denominator += (w[i * s + j]! + w[j * s + i]!) / (pi[i]! + pi[j]!);
      next[i] = total[i]! / denominator;
    }
    // Scale to a geometric mean of 1 (the strengths' only free parameter) and see how far they moved.
    let logMean = 0;
    for (let i = 0; i < s; i++) logMean += Math.log(next[i]!) / s;
    let moved = 0;
    for (let i = 0; i < s; i++) {
      next[i] = next[i]! / Math.exp(logMean);
      moved = Math.max(moved, Math.abs(Math.log(next[i]!) - Math.log(pi[i]!)));
    }
    pi = next;
    if (moved < 1e-12) break;
  }
  const beta = new Float64Array(s);
  let mean = 0;
  for (let i = 0; i < s; i++) mean += Math.log(pi[i]!) / s;
  for (let i = 0; i < s; i++) beta[i] = Math.log(pi[i]!) - mean;
  return beta;
}
