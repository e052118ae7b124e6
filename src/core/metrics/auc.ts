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
  const positives = Uint8Array.from({ length: pLevels.length }, (_, i) => (g[i]! > 0 ? 1 : 0));
  return aucJudd8Levels(pLevels, positives, jitter, scratch, new Int32Array(65536), new Uint8Array(256));
}

/** Per-map scratch of the 8-bit path, for one grid. */
export interface Auc8Scratch {
  /** The positives' ranks in the field's order, ascending, and a bitmap of ranks to sort them. */
  readonly ranks: Uint32Array;
  readonly rankBits: Int32Array;
  /** The positives in the order they are met: their count, and their level. */
  readonly counts: Int32Array;
  readonly levels: Uint8Array;
  /** The counts again, grouped by level. */
  readonly out: Int32Array;
  /** Four lanes of per-level counters, index level | lane << 8 (see aucJudd8Levels), and their sums. */
  readonly seen4: Int32Array;
  readonly seen: Int32Array;
  /** Per level: the positives, and where their counts start in `out`. */
  readonly posHist: Float64Array;
  readonly start: Uint32Array;
}

export function createAuc8Scratch(pixels: number): Auc8Scratch {
  return {
    ranks: new Uint32Array(pixels),
    rankBits: new Int32Array((pixels + 31) >>> 5),
    counts: new Int32Array(pixels),
    levels: new Uint8Array(pixels),
    out: new Int32Array(pixels),
    seen4: new Int32Array(1024),
    seen: new Int32Array(256),
    posHist: new Float64Array(256),
    start: new Uint32Array(256),
  };
}

/**
 * The 8-bit path on P's levels and G's (G > 0: a positive), in pixel order. The same pass gives
 * the rest of the joint histogram of (G level, P level) the saliency metrics need: `joint`
 * receives the counts of every pair with G > 0 (added: those rows must be zero, and are flagged
 * in `rows`), and its row G = 0 (overwritten) from P's histogram less those.
 *
 * The positives (a few percent of a map) are found first and sorted by their rank in the
 * field's order; the pass then reads P's levels in descending rank through the field's order
 * (a gather from 256 KiB at 512x512) and between two positives only counts levels, without
 * looking at G. The counters come in four lanes, each pixel counted in one, and a level's count
 * is the sum of its four: a model's background sits on a few levels, and with one counter per
 * level each pixel of a run of one level would wait for the previous one's store.
 *
 * A positive's count is first its level's pixels seen so far, itself included: that is final
 * outside the field's near-tie runs, where two pixels of one level never share an S (see
 * NEAR_TIE). The pixels met inside runs are noted, and once the pass has given P's lowest and
 * highest level (hence S's normalization), their S are computed and compared as the definition
 * says, and each positive in a group of equal S gets the count of the group's last pixel. The
 * counts come out in the order met, and are then grouped by level (highest first), each level's
 * staying in descending S.
 */
export function aucJudd8Levels(pLevels: Uint8Array, gLevels: Uint8Array, jitter: JitterField, scratch: Auc8Scratch, joint: Int32Array, rows: Uint8Array): number | null {
  const order = jitter.order;
  const n = order.length;
  const { counts, levels, seen, seen4, posHist, start, out } = scratch;
  const { rank, nearTies } = jitterRanks(jitter);
  markPositives(gLevels, rank, scratch.rankBits, rows);
  const nPos = setBits(scratch.rankBits, scratch.ranks);
  const inRuns: number[] = []; // per pixel met in a run: rank, count so far, positive's index or -1
  seen4.fill(0);
  countInJitterOrder(pLevels, gLevels, order, scratch.ranks.subarray(0, nPos), nearTies, scratch, joint, inRuns);
  sumLanes(seen4, seen);
  posHist.fill(0);
  countLevels(levels, nPos, posHist);
  for (let v = 0; v < 256; v++) joint[v] = seen[v]! - posHist[v]!;
  if (nPos === 0 || nPos === n) return null;

  // min and max of P + jitter: the lowest level's smallest jitter, the highest level's largest.
  const jitAsc = jitter.ascending;
  let vMin = 0;
  while (seen[vMin] === 0) vMin++;
  let vMax = 255;
  while (seen[vMax] === 0) vMax--;
  const rMin = extremeRank(pLevels, order, rank, vMin, seen[vMin]!, -1);
  const rMax = extremeRank(pLevels, order, rank, vMax, seen[vMax]!, 1);
  const min = LEVELS[vMin]! + jitAsc[rMin]!;
  const range = LEVELS[vMax]! + jitAsc[rMax]! - min;
  if (range > 0) settleNearTies(inRuns, pLevels, order, jitAsc, min, range, counts);
  else for (let j = 0; j < nPos; j++) counts[j] = seen[levels[j]!]!; // every S is 0: one group per level

  // The counts grouped by level, highest first, each level's in the order met (descending S).
  let off = 0;
  for (let v = 255; v >= 0; v--) {
    start[v] = off;
    off += posHist[v]!;
  }
  groupByLevel(counts, levels, nPos, start, out);
  // start[v] is now where level v's counts end.
  return rocArea(out, start, seen, nPos, n - nPos);
}

/*
 * The functions below each end with their one long loop. V8 compiles a long loop while it runs
 * (on-stack replacement), from what has run so far; code after the loop that had not yet run
 * then leaves the optimized code, and V8 re-enters that same code at every call (measured on
 * Node 20: the steps after AUC-Judd's pass, and the saliency figures, ran unoptimized at every
 * map). Hence also the loops that only run once a map before them.
 */

/** The sums of the four lanes of per-level counters. */
function sumLanes(seen4: Int32Array, seen: Int32Array): void {
  for (let v = 0; v < 256; v++) seen[v] = seen4[v]! + seen4[256 | v]! + seen4[512 | v]! + seen4[768 | v]!;
}

/** posHist[v] += the number of the first `count` levels equal to v. */
function countLevels(levels: Uint8Array, count: number, posHist: Float64Array): void {
  for (let j = 0; j < count; j++) posHist[levels[j]!]!++;
}

/** out[start[v]++] = counts[j] for each j, v its level. */
function groupByLevel(counts: Int32Array, levels: Uint8Array, count: number, start: Uint32Array, out: Int32Array): void {
  for (let j = 0; j < count; j++) out[start[levels[j]!]!++] = counts[j]!;
}

/**
 * The area under the curve from the positives' counts grouped by level (highest first; level v's
 * end before ends[v]) and the levels' sizes: Curve's arithmetic, step for step, in local variables.
 */
function rocArea(out: Int32Array, ends: Uint32Array, seen: Int32Array, nPos: number, nNeg: number): number {
  let area = 0;
  let fp0 = 0;
  let tp0 = 0;
  let i = 0;
  let above = 0;
  for (let v = 255, k = 0; v >= 0; v--) {
    for (const end = ends[v]!; k < end; k++) {
      i++;
      const tp = i / nPos;
      const fp = (above + out[k]! - i) / nNeg;
      area += ((fp - fp0) * (tp + tp0)) / 2;
      fp0 = fp;
      tp0 = tp;
    }
    above += seen[v]!;
  }
  return area + ((1 - fp0) * (1 + tp0)) / 2;
}

/**
 * The lowest (`side` -1) or highest (1) rank of the `count` pixels of level v. Walking the ranks
 * from that end meets one after about N / (count + 1) pixels, each a read through the field's
 * order; for a level of a few pixels (the peak of a map, often) a pass over the pixels in their
 * own order, four at a time, costs less.
 */
function extremeRank(pLevels: Uint8Array, order: Uint32Array, rank: Uint32Array, v: number, count: number, side: -1 | 1): number {
  return count < 16 ? extremeRankByPixel(pLevels, rank, v, side) : extremeRankByRank(pLevels, order, v, side);
}

function extremeRankByPixel(pLevels: Uint8Array, rank: Uint32Array, v: number, side: -1 | 1): number {
  const aligned = pLevels.byteOffset % 4 === 0;
  let best = extremeRankOfBytes(pLevels, rank, v, side, aligned ? pLevels.length & ~3 : 0, side < 0 ? pLevels.length : -1);
  if (!aligned) return best;
  // A word holds a byte equal to v when x = word ^ (v * 0x01010101) has a zero byte:
  // (x - 0x01010101) & ~x & 0x80808080 is then nonzero (and only then, for the lowest such byte).
  const words = new Int32Array(pLevels.buffer, pLevels.byteOffset, pLevels.length >> 2);
  const vs = Math.imul(v, 0x01010101);
  for (let w = 0; w < words.length; w++) {
    const x = words[w]! ^ vs;
    if (((x - 0x01010101) & ~x & 0x80808080) === 0) continue;
    best = extremeRankOfBytes(pLevels, rank, v, side, w << 2, best, (w << 2) + 4);
  }
  return best;
}

/** extremeRankByPixel over pLevels[from .. to), starting from `best`. */
function extremeRankOfBytes(pLevels: Uint8Array, rank: Uint32Array, v: number, side: -1 | 1, from: number, best: number, to = pLevels.length): number {
  for (let i = from; i < to; i++) {
    if (pLevels[i] !== v) continue;
    const r = rank[i]!;
    if (side < 0 ? r < best : r > best) best = r;
  }
  return best;
}

function extremeRankByRank(pLevels: Uint8Array, order: Uint32Array, v: number, side: -1 | 1): number {
  let r = side < 0 ? 0 : order.length - 1;
  while (pLevels[order[r]!] !== v) r -= side;
  return r;
}

/**
 * The pass of aucJudd8Levels: P's levels in descending rank through the field's order, each
 * level's pixels counted into the lanes `scratch.seen4` (zero on entry), the positives' counts
 * and levels into `scratch.counts` and `scratch.levels` in the order met, their (G, P) pairs
 * into `joint`, and the pixels of near-tie runs into `inRuns`. `ranks`: the positives' ranks,
 * ascending.
 */
function countInJitterOrder(
  pLevels: Uint8Array,
  gLevels: Uint8Array,
  order: Uint32Array,
  ranks: Uint32Array,
  runs: Uint32Array,
  scratch: Auc8Scratch,
  joint: Int32Array,
  inRuns: number[],
): void {
  const { counts, levels, seen4 } = scratch;
  let met = 0;
  let next = ranks.length - 1; // the next positive's index in `ranks`, met in descending rank
  let r = order.length - 1;
  for (let t = 0; r >= 0; t += 2) {
    const more = t < runs.length;
    const lo = more ? runs[t]! : 0;
    const stop = more ? runs[t + 1]! : -1;
    while (r > stop) {
      // Up to the next positive or the run, four pixels at a time, a lane each.
      const nextRank = next >= 0 ? ranks[next]! : -1;
      const end = nextRank > stop ? nextRank : stop;
      for (; r - 3 > end; r -= 4) {
        seen4[768 | pLevels[order[r]!]!]!++;
        seen4[512 | pLevels[order[r - 1]!]!]!++;
        seen4[256 | pLevels[order[r - 2]!]!]!++;
        seen4[pLevels[order[r - 3]!]!]!++;
      }
      for (; r > end; r--) seen4[pLevels[order[r]!]!]!++;
      if (r === nextRank && r > stop) {
        // A positive: its count, its level, its joint cell.
        const i = order[r]!;
        const v = pLevels[i]!;
        seen4[v]!++;
        joint[(gLevels[i]! << 8) | v]!++;
        counts[met] = seen4[v]! + seen4[256 | v]! + seen4[512 | v]! + seen4[768 | v]!;
        levels[met++] = v;
        next--;
        r--;
      }
    }
    for (; more && r >= lo; r--) {
      const i = order[r]!;
      const v = pLevels[i]!;
      seen4[v]!++;
      const k = seen4[v]! + seen4[256 | v]! + seen4[512 | v]! + seen4[768 | v]!;
      const isPositive = next >= 0 && r === ranks[next]!;
      inRuns.push(r, k, isPositive ? met : -1);
      if (isPositive) {
        joint[(gLevels[i]! << 8) | v]!++;
        counts[met] = k;
        levels[met++] = v;
        next--;
      }
    }
    if (more) inRuns.push(-1, 0, 0); // the run's end
  }
}

/**
 * Sets, in the bitmap of ranks `bits`, the ranks of the pixels with G > 0, and flags their G
 * levels in `rows`. A map's positives are a few discs, so G is read four bytes at a time where
 * it is aligned (zero words skipped). Setting the ranks in a bitmap and reading it back in
 * order (setBits) sorts them about ten times faster than sorting them.
 */
function markPositives(g: Uint8Array, rank: Uint32Array, bits: Int32Array, rows: Uint8Array): void {
  const aligned = g.byteOffset % 4 === 0;
  const from = aligned ? g.length & ~3 : 0;
  for (let i = from; i < g.length; i++) if (g[i] !== 0) markPositive(g, i, rank, bits, rows);
  if (!aligned) return;
  const words = new Int32Array(g.buffer, g.byteOffset, g.length >> 2);
  for (let w = 0; w < words.length; w++) {
    if (words[w] === 0) continue;
    for (let i = w << 2; i < (w << 2) + 4; i++) if (g[i] !== 0) markPositive(g, i, rank, bits, rows);
  }
}

function markPositive(g: Uint8Array, i: number, rank: Uint32Array, bits: Int32Array, rows: Uint8Array): void {
  const r = rank[i]!;
  bits[r >>> 5]! |= 1 << (r & 31);
  rows[g[i]!] = 1;
}

/** The set bits' positions into `into`, ascending, each word cleared once read; returns how many. */
function setBits(bits: Int32Array, into: Uint32Array): number {
  let k = 0;
  for (let w = 0; w < bits.length; w++) {
    let x = bits[w]!;
    if (x === 0) continue;
    bits[w] = 0;
    while (x !== 0) {
      const low = x & -x;
      into[k++] = (w << 5) | (31 - Math.clz32(low));
      x ^= low;
    }
  }
  return k;
}

/**
 * Inside each near-tie run (triples rank, count, positive's index or -1, in descending rank; a
 * rank of -1 ends a run): a positive's count becomes that of the last pixel of its level in the
 * run with the same S (S does not increase along the run, so those are its group). Runs hold
 * two or three pixels, and mostly of different levels.
 */
function settleNearTies(inRuns: readonly number[], pLevels: Uint8Array, order: Uint32Array, jitAsc: Float64Array, min: number, range: number, counts: Int32Array): void {
  const sOf = (v: number, r: number) => (LEVELS[v]! + jitAsc[r]! - min) / range;
  let start = 0;
  for (let end = 0; end < inRuns.length; end += 3) {
    if (inRuns[end]! >= 0) continue;
    for (let a = start; a < end; a += 3) {
      const at = inRuns[a + 2]!;
      if (at < 0) continue;
      const v = pLevels[order[inRuns[a]!]!]!;
      const s = sOf(v, inRuns[a]!);
      for (let b = a + 3; b < end; b += 3) {
        const r = inRuns[b]!;
        if (pLevels[order[r]!] === v && sOf(v, r) === s) counts[at] = inRuns[b + 1]!;
      }
    }
    start = end + 3;
  }
}
