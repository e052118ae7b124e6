import type { JitterField } from './jitter.ts';

/**
 * Heatmap metrics of the RichHF paper (saliency metrics after Bylinskii et al.), exactly as
 * issue 5 defines them. P is the prediction and G the ground truth, both row-major on the
 * dataset's grid with values in [0, 1]; EPS = 1e-8.
 *
 * - MSE = mean over pixels of (P - G)^2.
 * - CC = sum(dP dG) / (sqrt(sum(dP^2) sum(dG^2)) + EPS), d = minus the map's mean.
 * - KLD = sum Gn log(Gn / (Pn + EPS) + EPS), Pn = P / (sum P + EPS), Gn = G / (sum G + EPS).
 * - SIM = sum min(Pn, Gn).
 * - NSS = mean over pixels with G > 0 of (P - mean P) / (std P + EPS), std with n - 1.
 * - AUC-Judd: see aucJudd below.
 * CC, KLD, SIM, NSS and AUC-Judd are defined only when G is not empty (null otherwise).
 * KLD and SIM terms vanish exactly where G = 0, so they are summed over G > 0 only.
 */
export const EPS = 1e-8;

export interface HeatmapMetrics {
  readonly mse: number;
  /** True when G is all zero; the other figures are then null. */
  readonly empty: boolean;
  readonly cc: number | null;
  readonly kld: number | null;
  readonly sim: number | null;
  readonly nss: number | null;
  /** Null also when every pixel of G is positive (no negatives: the FPR is undefined). */
  readonly aucJudd: number | null;
}

/**
 * Scratch buffers sized for one grid, reused across maps so that evaluating a dataset does
 * not allocate per map or per pixel.
 */
export interface HeatmapWorkspace {
  readonly pixels: number;
  /** Indices of the pixels with G > 0. */
  readonly positives: Uint32Array;
  /** AUC-Judd: pixels of the gray levels that hold positives, level by level. */
  readonly segment: Uint32Array;
  /** AUC-Judd: 1 at the positives while a map is processed, 0 otherwise. */
  readonly mark: Uint8Array;
  /** AUC-Judd general path: every pixel's normalized value, and the thresholds. */
  readonly sorted: Float64Array;
  readonly thresholds: Float64Array;
}

export function createWorkspace(pixels: number): HeatmapWorkspace {
  return {
    pixels,
    positives: new Uint32Array(pixels),
    segment: new Uint32Array(pixels),
    mark: new Uint8Array(pixels),
    sorted: new Float64Array(pixels),
    thresholds: new Float64Array(pixels),
  };
}

/**
 * All heatmap metrics of one map pair in three passes (two over every pixel, one over the
 * pixels with G > 0) plus AUC-Judd. `pLevels`, when given, must satisfy p[i] === pLevels[i] / 255
 * (a prediction read from an 8-bit PNG at the grid's size); it lets AUC-Judd order the pixels in
 * linear time instead of sorting them.
 */
export function heatmapMetrics(
  p: Float64Array,
  g: Float64Array,
  jitter: JitterField,
  pLevels?: Uint8Array,
  ws: HeatmapWorkspace = createWorkspace(p.length),
): HeatmapMetrics {
  const n = p.length;
  if (g.length !== n || jitter.values.length !== n || ws.pixels !== n) throw new Error('heatmapMetrics: maps of different sizes');
  const pos = ws.positives;
  let sumP = 0;
  let sumG = 0;
  let sqErr = 0;
  let nPos = 0;
  for (let i = 0; i < n; i++) {
    const pi = p[i]!;
    const gi = g[i]!;
    sumP += pi;
    sumG += gi;
    const d = pi - gi;
    sqErr += d * d;
    if (gi > 0) pos[nPos++] = i;
  }
  const mse = sqErr / n;
  if (nPos === 0) return { mse, empty: true, cc: null, kld: null, sim: null, nss: null, aucJudd: null };

  const meanP = sumP / n;
  const meanG = sumG / n;
  let sPG = 0;
  let sPP = 0;
  let sGG = 0;
  for (let i = 0; i < n; i++) {
    const dp = p[i]! - meanP;
    const dg = g[i]! - meanG;
    sPG += dp * dg;
    sPP += dp * dp;
    sGG += dg * dg;
  }
  const cc = sPG / (Math.sqrt(sPP * sGG) + EPS);
  const stdP = n > 1 ? Math.sqrt(sPP / (n - 1)) : 0;

  const normP = sumP + EPS;
  const normG = sumG + EPS;
  let kld = 0;
  let sim = 0;
  let nssSum = 0;
  for (let k = 0; k < nPos; k++) {
    const i = pos[k]!;
    const pn = p[i]! / normP;
    const gn = g[i]! / normG;
    kld += gn * Math.log(gn / (pn + EPS) + EPS);
    sim += Math.min(pn, gn);
    nssSum += (p[i]! - meanP) / (stdP + EPS);
  }
  const nss = nssSum / nPos;
  const aucJudd = aucJuddPositives(p, pos, nPos, jitter, pLevels, ws);
  return { mse, empty: false, cc, kld, sim, nss, aucJudd };
}

/**
 * AUC-Judd as the reference computes it: P + jitter (uniform in [0, 1e-7), from the fixed-seed
 * field), min-max normalized to S; thresholds = S at the n pixels with G > 0, descending; for the
 * i-th threshold t, TPR = i / n and FPR = (#pixels with S >= t - i) / (N - n); the curve runs from
 * (0, 0) through these points to (1, 1), area by the trapezoid rule. O(N) for 8-bit maps, O(N log N)
 * otherwise. Null when there are no negatives (n = N). If S is constant (only possible for N = 1)
 * every pixel normalizes to 0.
 */
export function aucJudd(p: Float64Array, g: Float64Array, jitter: JitterField, pLevels?: Uint8Array): number | null {
  const ws = createWorkspace(p.length);
  let nPos = 0;
  for (let i = 0; i < g.length; i++) if (g[i]! > 0) ws.positives[nPos++] = i;
  return aucJuddPositives(p, ws.positives, nPos, jitter, pLevels, ws);
}

function aucJuddPositives(p: Float64Array, pos: Uint32Array, nPos: number, jitter: JitterField, pLevels: Uint8Array | undefined, ws: HeatmapWorkspace): number | null {
  const n = p.length;
  if (nPos === 0 || nPos === n) return null;
  const curve = new Curve(nPos, n - nPos);
  if (pLevels) aucLevels(pos, nPos, jitter, pLevels, ws, curve);
  else aucSorted(p, pos, nPos, jitter.values, ws, curve);
  return curve.finish();
}

/** Trapezoid area of the ROC curve, fed with (count of S >= t, index i) in threshold order. */
class Curve {
  private area = 0;
  private fp = 0;
  private tp = 0;
  private i = 0;
  constructor(
    private readonly nPos: number,
    private readonly nNeg: number,
  ) {}
  /** The next threshold (in descending order), with the number of pixels whose S >= it. */
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

function normalized(q: number, min: number, range: number): number {
  return range > 0 ? (q - min) / range : 0;
}

/** General path: sort every S and the thresholds, then merge. */
function aucSorted(p: Float64Array, pos: Uint32Array, nPos: number, jit: Float64Array, ws: HeatmapWorkspace, curve: Curve): void {
  const n = p.length;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const q = p[i]! + jit[i]!;
    if (q < min) min = q;
    if (q > max) max = q;
  }
  const range = max - min;
  const all = ws.sorted.subarray(0, n);
  for (let i = 0; i < n; i++) all[i] = normalized(p[i]! + jit[i]!, min, range);
  const th = ws.thresholds.subarray(0, nPos);
  for (let k = 0; k < nPos; k++) th[k] = all[pos[k]!]!;
  all.sort();
  th.sort();
  // Walk thresholds from the largest; `lo` = index of the first S >= t in ascending order.
  let lo = n;
  for (let k = nPos - 1; k >= 0; k--) {
    const t = th[k]!;
    while (lo > 0 && all[lo - 1]! >= t) lo--;
    curve.add(n - lo);
  }
}

/**
 * 8-bit path. S is increasing in (level, jitter): levels are 1/255 apart and the jitter below
 * 1e-7, so no two levels interleave, and within a level S follows the jitter (S values that
 * rounding makes equal are grouped below). Levels without positives only add their pixel count;
 * the pixels of the other levels are taken in descending jitter order from the field's order,
 * each stored as (jitter rank << 1 | positive) so that the walk reads memory in order.
 */
function aucLevels(
  pos: Uint32Array,
  nPos: number,
  jitter: JitterField,
  levels: Uint8Array,
  ws: HeatmapWorkspace,
  curve: Curve,
): void {
  const n = levels.length;
  const hist = new Uint32Array(256);
  for (let i = 0; i < n; i++) hist[levels[i]!]!++;
  const order = jitter.order;
  const jitAsc = jitter.ascending;
  // min and max of P + jitter: the lowest level's smallest jitter, the highest level's largest.
  let vMin = 0;
  while (hist[vMin] === 0) vMin++;
  let vMax = 255;
  while (hist[vMax] === 0) vMax--;
  let rMin = 0;
  while (levels[order[rMin]!] !== vMin) rMin++;
  let rMax = n - 1;
  while (levels[order[rMax]!] !== vMax) rMax--;
  const min = LEVELS[vMin]! + jitAsc[rMin]!;
  const range = LEVELS[vMax]! + jitAsc[rMax]! - min;
  const posHist = new Uint32Array(256);
  for (let k = 0; k < nPos; k++) posHist[levels[pos[k]!]!]!++;
  // Segment start of each level that holds positives, highest level first; -1 for the others.
  const start = new Int32Array(256).fill(-1);
  let off = 0;
  for (let v = 255; v >= 0; v--) {
    if (posHist[v]! > 0) {
      start[v] = off;
      off += hist[v]!;
    }
  }
  const fill = Int32Array.from(start);
  const seg = ws.segment;
  const mark = ws.mark;
  for (let k = 0; k < nPos; k++) mark[pos[k]!] = 1;
  for (let r = n - 1; r >= 0; r--) {
    const idx = order[r]!;
    const v = levels[idx]!;
    const at = fill[v]!;
    if (at >= 0) {
      seg[at] = (r << 1) | mark[idx]!;
      fill[v] = at + 1;
    }
  }
  for (let k = 0; k < nPos; k++) mark[pos[k]!] = 0;

  let above = 0;
  for (let v = 255; v >= 0; v--) {
    const count = hist[v]!;
    const s0 = start[v]!;
    if (s0 < 0) {
      above += count;
      continue;
    }
    const level = LEVELS[v]!;
    // Walk the level in descending S; positives wait until their group of equal S ends.
    let pending = 0;
    let prev = NaN;
    for (let k = 0; k < count; k++) {
      const code = seg[s0 + k]!;
      const s = range > 0 ? (level + jitAsc[code >>> 1]! - min) / range : 0;
      if (s !== prev) {
        for (; pending > 0; pending--) curve.add(above + k);
        prev = s;
      }
      pending += code & 1;
    }
    for (; pending > 0; pending--) curve.add(above + count);
    above += count;
  }
}

const LEVELS = Float64Array.from({ length: 256 }, (_, v) => v / 255);
