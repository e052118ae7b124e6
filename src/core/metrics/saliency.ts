import { aucJudd, aucJudd8Levels, createAuc8Scratch, createAucScratch, type Auc8Scratch, type AucScratch } from './auc.ts';
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
 * - AUC-Judd: see auc.ts.
 * CC, KLD, SIM, NSS and AUC-Judd are defined only when G is not empty (null otherwise).
 * KLD and SIM terms vanish exactly where G = 0, so they are summed over G > 0 only.
 * Means are taken as x0 + sum(x - x0) / N (x0 the first pixel), so that a constant map has its
 * value as mean exactly and CC and NSS are exactly 0 for it; with a plain sum / N they would be
 * rounding noise divided by EPS (about 1e-8, enough to move a figure past 1e-9 agreement).
 *
 * Two implementations, equal by test up to summation order (1e-12): heatmapMetrics on any
 * values, and heatmapMetrics8 on two 8-bit maps (value = level / 255, the usual case), which
 * takes every sum over a joint histogram of (G level, P level), made by the linear-time
 * AUC-Judd's pass over the pixels.
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
  /** Indices of the pixels with G > 0 (general path). */
  readonly positives: Uint32Array;
  /** Joint histogram, index (G level << 8) | P level (8-bit path). */
  readonly joint: Int32Array;
  /** Per G level > 0: 1 when its row of `joint` may hold counts (8-bit path). */
  readonly rows: Uint8Array;
  readonly auc: AucScratch;
  readonly auc8: Auc8Scratch;
}

export function createWorkspace(pixels: number): HeatmapWorkspace {
  return { pixels, positives: new Uint32Array(pixels), joint: new Int32Array(65536), rows: new Uint8Array(256), auc: createAucScratch(pixels), auc8: createAuc8Scratch(pixels) };
}

const EMPTY = { cc: null, kld: null, sim: null, nss: null, aucJudd: null } as const;

/** All heatmap metrics of one pair of maps with any values in [0, 1]. */
export function heatmapMetrics(p: Float64Array, g: Float64Array, jitter: JitterField, ws: HeatmapWorkspace = createWorkspace(p.length)): HeatmapMetrics {
  const n = p.length;
  if (g.length !== n || jitter.values.length !== n || ws.pixels !== n) throw new Error('heatmapMetrics: maps of different sizes');
  const pos = ws.positives;
  const p0 = p[0]!;
  const g0 = g[0]!;
  let sumP = 0;
  let sumG = 0;
  let shiftP = 0;
  let shiftG = 0;
  let sqErr = 0;
  let nPos = 0;
  for (let i = 0; i < n; i++) {
    const pi = p[i]!;
    const gi = g[i]!;
    sumP += pi;
    sumG += gi;
    shiftP += pi - p0;
    shiftG += gi - g0;
    const d = pi - gi;
    sqErr += d * d;
    if (gi > 0) pos[nPos++] = i;
  }
  const mse = sqErr / n;
  if (nPos === 0) return { mse, empty: true, ...EMPTY };

  const meanP = p0 + shiftP / n;
  const meanG = g0 + shiftG / n;
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
  return {
    mse,
    empty: false,
    cc: sPG / (Math.sqrt(sPP * sGG) + EPS),
    kld,
    sim,
    nss: nssSum / nPos,
    aucJudd: aucJudd(p, g, jitter, ws.auc),
  };
}

const LEVELS = Float64Array.from({ length: 256 }, (_, v) => v / 255);

/**
 * Counts of each level into out[0..255], four counters per level (`four`, 1024 long) so that
 * runs of one level do not wait on one counter (about 3x faster on noisy maps).
 */
function levelHistogram(levels: Uint8Array, out: Int32Array, four: Int32Array): void {
  four.fill(0);
  countLanes(levels, four);
  for (let v = 0; v < 256; v++) out[v] = four[v]! + four[256 | v]! + four[512 | v]! + four[768 | v]!;
}

/** The loop of levelHistogram, in a function that it ends (see auc.ts on V8's on-stack replacement). */
function countLanes(levels: Uint8Array, four: Int32Array): void {
  const n = levels.length;
  for (let i = n & ~3; i < n; i++) four[levels[i]!]!++;
  for (let i = 0; i + 3 < n; i += 4) {
    four[levels[i]!]!++;
    four[256 | levels[i + 1]!]!++;
    four[512 | levels[i + 2]!]!++;
    four[768 | levels[i + 3]!]!++;
  }
}

/** True when every level is 0; read four at a time where the array is aligned. */
export function isZeroLevels(levels: Uint8Array): boolean {
  if (levels.byteOffset % 4 !== 0) return isZeroBytes(levels, 0);
  if (!isZeroBytes(levels, levels.length & ~3)) return false;
  const words = new Int32Array(levels.buffer, levels.byteOffset, levels.length >> 2);
  for (let w = 0; w < words.length; w++) if (words[w] !== 0) return false;
  return true;
}

function isZeroBytes(levels: Uint8Array, from: number): boolean {
  for (let i = from; i < levels.length; i++) if (levels[i] !== 0) return false;
  return true;
}

/**
 * All heatmap metrics of two 8-bit maps (value = level / 255), from their joint histogram of
 * (G level, P level). An empty G (a third of the maps) needs only P's histogram, the joint
 * histogram's row G = 0; otherwise AUC-Judd's pass over the pixels in jitter order makes it.
 * Each step is a function of its own (see auc.ts on V8's on-stack replacement).
 */
export function heatmapMetrics8(pLevels: Uint8Array, gLevels: Uint8Array, jitter: JitterField, ws: HeatmapWorkspace = createWorkspace(pLevels.length)): HeatmapMetrics {
  const n = pLevels.length;
  if (gLevels.length !== n || jitter.values.length !== n || ws.pixels !== n) throw new Error('heatmapMetrics8: maps of different sizes');
  const { joint, rows } = ws;
  clearRows(joint, rows);
  let aucJudd: number | null = null;
  if (isZeroLevels(gLevels)) levelHistogram(pLevels, joint, ws.auc8.seen4);
  else aucJudd = aucJudd8Levels(pLevels, gLevels, jitter, ws.auc8, joint, rows);
  return figures8(joint, rows, n, pLevels[0]!, gLevels[0]!, aucJudd);
}

/** Zeroes the rows G > 0 of the joint histogram that the last map filled (flagged in `rows`). */
function clearRows(joint: Int32Array, rows: Uint8Array): void {
  for (let gv = 1; gv < 256; gv++) {
    if (rows[gv] === 0) continue;
    joint.fill(0, gv << 8, (gv + 1) << 8);
    rows[gv] = 0;
  }
}

/**
 * The figures from the joint histogram, whose rows G > 0 are zero unless flagged in `rows`
 * (its row G = 0 is always filled); `p0`, `g0`: the first pixel's levels. Every sum runs over
 * the histogram in the order of the definition, rows and levels ascending (a row of zeros adds
 * exact zeros, so skipping one changes no bit).
 */
function figures8(joint: Int32Array, rows: Uint8Array, n: number, p0Level: number, g0Level: number, aucJudd: number | null): HeatmapMetrics {
  const pHist = new Float64Array(256);
  const gHist = new Float64Array(256);
  const gUsed: number[] = [];
  for (let gv = 0; gv < 256; gv++) {
    if (gv > 0 && rows[gv] === 0) continue;
    let c = 0;
    for (let pv = 0, b = gv << 8; pv < 256; pv++) {
      const k = joint[b + pv]!;
      c += k;
      pHist[pv]! += k;
    }
    gHist[gv] = c;
    if (c > 0) gUsed.push(gv);
  }
  let sumP = 0;
  let sumG = 0;
  let sqErr = 0;
  for (let v = 0; v < 256; v++) {
    sumP += pHist[v]! * LEVELS[v]!;
    sumG += gHist[v]! * LEVELS[v]!;
  }
  for (const gv of gUsed) {
    const gval = LEVELS[gv]!;
    for (let pv = 0, b = gv << 8; pv < 256; pv++) {
      const k = joint[b + pv]!;
      if (k === 0) continue;
      const d = LEVELS[pv]! - gval;
      sqErr += k * d * d;
    }
  }
  const mse = sqErr / n;
  const nPos = n - gHist[0]!;
  if (nPos === 0) return { mse, empty: true, ...EMPTY };

  const p0 = LEVELS[p0Level]!;
  const g0 = LEVELS[g0Level]!;
  let shiftP = 0;
  let shiftG = 0;
  for (let v = 0; v < 256; v++) {
    shiftP += pHist[v]! * (LEVELS[v]! - p0);
    shiftG += gHist[v]! * (LEVELS[v]! - g0);
  }
  const meanP = p0 + shiftP / n;
  const meanG = g0 + shiftG / n;
  let sPP = 0;
  let sGG = 0;
  for (let v = 0; v < 256; v++) {
    const dp = LEVELS[v]! - meanP;
    const dg = LEVELS[v]! - meanG;
    sPP += pHist[v]! * dp * dp;
    sGG += gHist[v]! * dg * dg;
  }
  const stdP = n > 1 ? Math.sqrt(sPP / (n - 1)) : 0;
  const normP = sumP + EPS;
  const normG = sumG + EPS;
  let sPG = 0;
  let kld = 0;
  let sim = 0;
  let nssSum = 0;
  for (const gv of gUsed) {
    const dg = LEVELS[gv]! - meanG;
    const gn = LEVELS[gv]! / normG;
    for (let pv = 0, b = gv << 8; pv < 256; pv++) {
      const k = joint[b + pv]!;
      if (k === 0) continue;
      const dp = LEVELS[pv]! - meanP;
      sPG += k * dp * dg;
      if (gv === 0) continue;
      const pn = LEVELS[pv]! / normP;
      kld += k * (gn * Math.log(gn / (pn + EPS) + EPS));
      sim += k * Math.min(pn, gn);
      nssSum += k * (dp / (stdP + EPS));
    }
  }
  return {
    mse,
    empty: false,
    cc: sPG / (Math.sqrt(sPP * sGG) + EPS),
    kld,
    sim,
    nss: nssSum / nPos,
    aucJudd,
  };
}
