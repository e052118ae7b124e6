/**
 * The AUC-Judd jitter, drawn from a fixed-seed generator so that every run gives the same
 * figures (the reference draws it from an unseeded numpy generator, so its own figures move
 * in the last digits from run to run).
 *
 * Generator: mulberry32 (Tommy Ettinger's 32-bit generator, public domain), stepped once per
 * pixel in row-major order (origin top-left). Pixel i gets jitter u_i / 2^32 * 1e-7 with u_i
 * its i-th 32-bit output, i.e. uniform in [0, 1e-7). The generator is seeded anew with the
 * same seed for every map, so every map of a given grid gets the same jitter field: a map's
 * figure does not depend on which items came before it, and the field is drawn once per grid.
 * scripts/eval_reference.py implements the same stream.
 */
export const JITTER_SEED = 42;
export const JITTER_SCALE = 1e-7;

/** mulberry32: returns a function giving the next 32-bit unsigned output. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return (t ^ (t >>> 14)) >>> 0;
  };
}

export interface JitterField {
  /** Jitter of pixel i, in [0, 1e-7). */
  readonly values: Float64Array;
  /**
   * Pixel indices sorted by ascending jitter (ties by index): lets AUC-Judd order the pixels
   * of an 8-bit map in linear time, since within one gray level the order is the jitter's.
   */
  readonly order: Uint32Array;
  /** The jitter values in that order (ascending[r] = values[order[r]]). */
  readonly ascending: Float64Array;
}

/**
 * Made once per thread, so its code runs cold: each loop is a function of its own, which V8
 * compiles while it runs (on-stack replacement) without later loops of the same function leaving
 * that code (a 512x512 field: 35 ms instead of 75 to 120).
 */
export function jitterField(pixels: number, seed: number = JITTER_SEED): JitterField {
  const raw = new Uint32Array(pixels);
  const values = new Float64Array(pixels);
  drawJitter(seed, raw, values);
  const order = radixOrder(raw);
  const ascending = new Float64Array(pixels);
  gather(values, order, ascending);
  return { values, order, ascending };
}

/** mulberry32's outputs from `seed` into `raw`, and the jitter they give into `values`. */
function drawJitter(seed: number, raw: Uint32Array, values: Float64Array): void {
  let a = seed >>> 0;
  for (let i = 0; i < raw.length; i++) {
    // mulberry32's step, written out.
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    const u = (t ^ (t >>> 14)) >>> 0;
    raw[i] = u;
    values[i] = (u / 4294967296) * JITTER_SCALE;
  }
}

/** out[r] = values[order[r]]. */
function gather(values: Float64Array, order: Uint32Array, out: Float64Array): void {
  for (let r = 0; r < out.length; r++) out[r] = values[order[r]!]!;
}

/**
 * Jitter values closer than this may give two pixels of one gray level the same normalized S
 * in AUC-Judd; farther apart they never do. S = ((L + j) - min) / range with L = level / 255
 * in [0, 1], j in [0, 1e-7), min >= 0 and 0 < range <= 1 + 1e-7; each of the three roundings
 * moves a value by at most 1.2e-16 (half an ulp below 2), so for j2 - j1 > 1e-15 the computed
 * L + j differ by more than 7.7e-16, minus min by more than 5.5e-16, and S (in [0, 1], where
 * doubles are at most 1.2e-16 apart) by more than 3e-16: S2 > S1.
 */
export const NEAR_TIE = 1e-15;

/** What AUC-Judd's 8-bit path needs of a field beyond the field itself, derived once per field. */
export interface JitterRanks {
  /** rank[i] = r such that order[r] = i: pixel i's place in ascending jitter order. */
  readonly rank: Uint32Array;
  /**
   * Maximal runs of ranks in which each one's jitter is within NEAR_TIE of the next one's, as
   * pairs (lo, hi) with lo < hi, in descending order: two pixels of one level can share an S
   * only inside one run. About 700 runs of two or three pixels on a 512x512 field; one run of
   * everything when there is no jitter.
   */
  readonly nearTies: Uint32Array;
}

const ranksOf = new WeakMap<JitterField, JitterRanks>();

export function jitterRanks(field: JitterField): JitterRanks {
  let ranks = ranksOf.get(field);
  if (!ranks) {
    const { order, ascending } = field;
    const n = order.length;
    const rank = new Uint32Array(n);
    for (let r = 0; r < n; r++) rank[order[r]!] = r;
    const runs: number[] = [];
    for (let hi = n - 1; hi > 0;) {
      let lo = hi;
      while (lo > 0 && ascending[lo]! - ascending[lo - 1]! <= NEAR_TIE) lo--;
      if (lo < hi) runs.push(lo, hi);
      hi = lo - 1;
    }
    ranks = { rank, nearTies: Uint32Array.from(runs) };
    ranksOf.set(field, ranks);
  }
  return ranks;
}

/**
 * Stable LSD radix sort (4 passes of 8 bits) of indices by their 32-bit keys, the keys moved
 * along with their indices so that every pass reads both front to back.
 */
function radixOrder(keys: Uint32Array): Uint32Array {
  const n = keys.length;
  // The keys as Int32 (the same bits), copied: the caller keeps its array.
  let srcKey: Int32Array = new Int32Array(keys.buffer, keys.byteOffset, n).slice();
  let dstKey: Int32Array = new Int32Array(n);
  let src: Int32Array = new Int32Array(n);
  let dst: Int32Array = new Int32Array(n);
  iota(src);
  const count = new Int32Array(256);
  for (let shift = 0; shift < 32; shift += 8) {
    radixPass(srcKey, src, dstKey, dst, count, shift);
    [src, dst] = [dst, src];
    [srcKey, dstKey] = [dstKey, srcKey];
  }
  return new Uint32Array(src.buffer, src.byteOffset, n);
}

function iota(a: Int32Array): void {
  for (let i = 0; i < a.length; i++) a[i] = i;
}

/** One pass of radixOrder: src (with its keys) to dst, stably by the byte of the key at `shift`. */
function radixPass(srcKey: Int32Array, src: Int32Array, dstKey: Int32Array, dst: Int32Array, count: Int32Array, shift: number): void {
  const n = srcKey.length;
  count.fill(0);
  for (let i = 0; i < n; i++) count[(srcKey[i]! >>> shift) & 255]!++;
  let sum = 0;
  for (let b = 0; b < 256; b++) {
    const c = count[b]!;
    count[b] = sum;
    sum += c;
  }
  for (let i = 0; i < n; i++) {
    const key = srcKey[i]!;
    const at = count[(key >>> shift) & 255]!++;
    dst[at] = src[i]!;
    dstKey[at] = key;
  }
}
