import { jitterRanks, type JitterField } from './jitter.ts';

/**
 * AUC-Judd as the reference computes it: P + jitter (uniform in [0, 1e-7), from the fixed-seed
 * field), min-max normalized to S; thresholds = S at the n pixels with G > 0, in descending order;
 * for the i-th threshold t, TPR = i / n and FPR = (#pixels with S >= t - i) / (N - n); the curve
 * runs from (0, 0) through these points to (1, 1), area by the trapezoid rule. Null when G has no
 * positive pixel or no negative one (FPR undefined). If S is constant (possible only for N = 1)
 * every pixel normalizes to 0.
 *
 * Two algorithms, equal by test: aucJudd sorts (O(N log N), any values); aucJudd8 runs in O(N)
 * for a prediction given as 8-bit levels (value = level / 255).
 */

/** Trapezoid area of the ROC curve, fed threshold by threshold in descending order. */
class Curve {
  private area = 0;
  private fp = 0;
  private tp = 0;
  private i = 0;
  constructor(
    private readonly nPos: number,
    private readonly nNeg: number,
  ) {}
  /** The next threshold, with the number of pixels whose S >= it. */
  add(above: number): void {
    this.i++;
    const tp = this.i / this.nPos;
    const fp = (above - this.i) / this.nNeg;
    this.area += ((fp - this.fp) * (tp + this.tp)) / 2;
    this.fp = fp;
    this.tp = tp;
  }
  finish(): number {
    return this.area + ((1 - this.fp) * (1 + this.tp)) / 2;
  }
}

/** Scratch for the general path, reusable across maps of one grid. */
export interface AucScratch {
  readonly all: Float64Array;
  readonly thresholds: Float64Array;
  readonly tmp: Float64Array;
  readonly count: Uint32Array;
}

export function createAucScratch(pixels: number): AucScratch {
  return { all: new Float64Array(pixels), thresholds: new Float64Array(pixels), tmp: new Float64Array(pixels), count: new Uint32Array(65536) };
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Ascending sort of non-negative doubles in place: an LSD radix sort on their IEEE-754 bits
 * (which order like the values for non-negative numbers), four passes of 16 bits. About 5x faster
 * than Float64Array.prototype.sort on a 512x512 map. Falls back to it on big-endian platforms.
 */
export function sortNonNegative(a: Float64Array, tmp: Float64Array, count: Uint32Array): void {
  const n = a.length;
  if (!LITTLE_ENDIAN || n < 1024) {
    a.sort();
    return;
  }
  let src = a;
  let dst = tmp.subarray(0, n);
  for (let pass = 0; pass < 4; pass++) {
    const words = new Uint32Array(src.buffer, src.byteOffset, 2 * n);
    const word = pass >> 1; // 0: low 32 bits, 1: high 32 bits (little-endian)
    const shift = (pass & 1) * 16;
    count.fill(0);
    for (let i = 0; i < n; i++) count[(words[2 * i + word]! >>> shift) & 0xffff]!++;
    let sum = 0;
    for (let b = 0; b < 65536; b++) {
      const c = count[b]!;
      count[b] = sum;
      sum += c;
    }
    for (let i = 0; i < n; i++) dst[count[(words[2 * i + word]! >>> shift) & 0xffff]!++] = src[i]!;
    [src, dst] = [dst, src];
  }
  // After an even number of passes the sorted keys are back in `a`.
}

/** General path: sort every S and the thresholds, then merge from the top. */
export function aucJudd(p: Float64Array, g: Float64Array, jitter: JitterField, scratch: AucScratch = createAucScratch(p.length)): number | null {
  const n = p.length;
  const jit = jitter.values;
  let min = Infinity;
  let max = -Infinity;
  let nPos = 0;
  for (let i = 0; i < n; i++) {
    const q = p[i]! + jit[i]!;
    if (q < min) min = q;
    if (q > max) max = q;
    if (g[i]! > 0) nPos++;
  }
  if (nPos === 0 || nPos === n) return null;
  const range = max - min;
  const all = scratch.all.subarray(0, n);
  const th = scratch.thresholds.subarray(0, nPos);
  let k = 0;
  for (let i = 0; i < n; i++) {
    const s = range > 0 ? (p[i]! + jit[i]! - min) / range : 0;
    all[i] = s;
    if (g[i]! > 0) th[k++] = s;
  }
  sortNonNegative(all, scratch.tmp, scratch.count);
  th.sort();
  const curve = new Curve(nPos, n - nPos);
  // `lo` = index of the first S >= t in ascending order.
  let lo = n;
  for (let t = nPos - 1; t >= 0; t--) {
    const threshold = th[t]!;
    while (lo > 0 && all[lo - 1]! >= threshold) lo--;
    curve.add(n - lo);
  }
  return curve.finish();
}

const LEVELS = Float64Array.from({ length: 256 }, (_, v) => v / 255);

/**
 * 8-bit path, O(N). S is increasing in (level, jitter): levels are 1/255 apart and the jitter is
 * below 1e-7, so no two levels interleave, and within a level S follows the jitter, whose order
 * the field holds. One pass over the pixels in descending jitter order counts, for each level, the
 * pixels seen so far; a positive's count is that of the last pixel of its group of equal S
 * (equal by rounding). Levels without positives only add their size.
 * `pLevels` are the prediction's gray levels; `g` tells the positives (any value > 0).
 */
export function aucJudd8(pLevels: Uint8Array, g: ArrayLike<number>, jitter: JitterField, scratch: Auc8Scratch = createAuc8Scratch(pLevels.length)): number | null {
  const n = pLevels.length;
  const { rank } = jitterRanks(jitter);
  const byRank = scratch.byRank;
  for (let i = 0; i < n; i++) byRank[rank[i]!] = g[i]! > 0 ? pLevels[i]! | 256 : pLevels[i]!;
  return aucJudd8Ranked(byRank, jitter, scratch, new Int32Array(65536));
}

/** Per-map scratch of the 8-bit path, for one grid. */
export interface Auc8Scratch {
  /** byRank[r] = the code of pixel order[r]: P's level | G's level << 8 (G > 0: a positive). */
  readonly byRank: Uint16Array;
  /** The positives in the order they are met: their count, and their level. */
  readonly counts: Int32Array;
  readonly levels: Uint8Array;
  /** The counts again, grouped by level. */
  readonly out: Int32Array;
}

export function createAuc8Scratch(pixels: number): Auc8Scratch {
  return { byRank: new Uint16Array(pixels), counts: new Int32Array(pixels), levels: new Uint8Array(pixels), out: new Int32Array(pixels) };
}

/**
 * The 8-bit path on the pixels' codes in ascending jitter order (one array read front to back,
 * filled by the caller's pass over the pixels through jitterRanks' rank). The same pass gives
 * the rest of the joint histogram of (G level, P level) the saliency metrics need: `joint`
 * (zeroed) receives the counts of every pair with G > 0, and its row G = 0 from P's histogram
 * less those.
 *
 * A positive's count is first its level's pixels seen so far, itself included: that is final
 * outside the field's near-tie runs, where two pixels of one level never share an S (see
 * NEAR_TIE). The pixels met inside runs are noted, and once the pass has given P's lowest and
 * highest level (hence S's normalization), their S are computed and compared as the definition
 * says, and each positive in a group of equal S gets the count of the group's last pixel. The
 * counts come out in the order met, and are then grouped by level (highest first), each level's
 * staying in descending S.
 */
export function aucJudd8Ranked(byRank: Uint16Array, jitter: JitterField, scratch: Auc8Scratch, joint: Int32Array): number | null {
  const n = jitter.order.length;
  const { counts, levels, out } = scratch;
  // Int32 counters: with Uint32 ones V8 may not keep the counts in integer registers (2x slower).
  const seen = new Int32Array(256);
  const runs = jitterRanks(jitter).nearTies;
  const inRuns: number[] = []; // per pixel met in a run: rank, count so far, positive's index or -1
  let met = 0;
  let r = n - 1;
  for (let t = 0; ; t += 2) {
    const more = t < runs.length;
    const lo = more ? runs[t]! : 0;
    for (let stop = more ? runs[t + 1]! : -1; r > stop; r--) {
      const c = byRank[r]!;
      const v = c & 255;
      const k = seen[v]! + 1;
      seen[v] = k;
      if (c > 255) {
        joint[c]!++;
        counts[met] = k;
        levels[met] = v;
        met++;
      }
    }
    if (!more) break;
    for (; r >= lo; r--) {
      const c = byRank[r]!;
      const v = c & 255;
      const k = seen[v]! + 1;
      seen[v] = k;
      inRuns.push(r, k, c > 255 ? met : -1);
      if (c > 255) {
        joint[c]!++;
        counts[met] = k;
        levels[met] = v;
        met++;
      }
    }
    inRuns.push(-1, 0, 0); // the run's end
  }

  const posHist = new Float64Array(256);
  for (let j = 0; j < met; j++) posHist[levels[j]!]!++;
  for (let v = 0; v < 256; v++) joint[v] = seen[v]! - posHist[v]!;
  const nPos = met;
  if (nPos === 0 || nPos === n) return null;

  // min and max of P + jitter: the lowest level's smallest jitter, the highest level's largest.
  const jitAsc = jitter.ascending;
  let vMin = 0;
  while (seen[vMin] === 0) vMin++;
  let vMax = 255;
  while (seen[vMax] === 0) vMax--;
  let rMin = 0;
  while ((byRank[rMin]! & 255) !== vMin) rMin++;
  let rMax = n - 1;
  while ((byRank[rMax]! & 255) !== vMax) rMax--;
  const min = LEVELS[vMin]! + jitAsc[rMin]!;
  const range = LEVELS[vMax]! + jitAsc[rMax]! - min;
  if (range > 0) settleNearTies(inRuns, byRank, jitAsc, min, range, counts);
  else for (let j = 0; j < met; j++) counts[j] = seen[levels[j]!]!; // every S is 0: one group per level

  const start = new Uint32Array(256);
  let off = 0;
  for (let v = 255; v >= 0; v--) {
    start[v] = off;
    off += posHist[v]!;
  }
  const fill = Uint32Array.from(start);
  for (let j = 0; j < met; j++) out[fill[levels[j]!]!++] = counts[j]!;
  const curve = new Curve(nPos, n - nPos);
  let above = 0;
  for (let v = 255; v >= 0; v--) {
    const end = start[v]! + posHist[v]!;
    for (let k = start[v]!; k < end; k++) curve.add(above + out[k]!);
    above += seen[v]!;
  }
  return curve.finish();
}

/**
 * Inside each near-tie run (triples rank, count, positive's index or -1, in descending rank; a
 * rank of -1 ends a run): a positive's count becomes that of the last pixel of its level in the
 * run with the same S (S does not increase along the run, so those are its group). Runs hold
 * two or three pixels, and mostly of different levels.
 */
function settleNearTies(inRuns: readonly number[], byRank: Uint16Array, jitAsc: Float64Array, min: number, range: number, counts: Int32Array): void {
  const sOf = (v: number, r: number) => (LEVELS[v]! + jitAsc[r]! - min) / range;
  let start = 0;
  for (let end = 0; end < inRuns.length; end += 3) {
    if (inRuns[end]! >= 0) continue;
    for (let a = start; a < end; a += 3) {
      const at = inRuns[a + 2]!;
      if (at < 0) continue;
      const v = byRank[inRuns[a]!]! & 255;
      const s = sOf(v, inRuns[a]!);
      for (let b = a + 3; b < end; b += 3) {
        const r = inRuns[b]!;
        if ((byRank[r]! & 255) === v && sOf(v, r) === s) counts[at] = inRuns[b + 1]!;
      }
    }
    start = end + 3;
  }
}
