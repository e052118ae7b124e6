/**
 * Generated inputs for `richhf evaluate` (bench/evaluate.bench.ts), seeded so every run scores
 * the same files. 512x512 grids.
 *
 * - Ground truth as consolidation makes it: 3 annotators, 0-6 discs of radius H/20 each,
 *   levels floor((510 k + 3) / 6) for k of 3 covering, about a third of the maps empty; PNGs of
 *   one row filter (0) deflated with Z_RLE, as `richhf consolidate` writes them.
 * - Predictions as a model makes them: blurry Gaussian blobs (sigma 24 px) near the true discs
 *   plus a false alarm. `noisy`: a model's map is never clean, so every pixel also gets a small
 *   offset and Gaussian noise (0.02 + N(0, 0.01), i.e. about 5 ± 2.6 gray levels), which makes
 *   the PNGs nearly incompressible (about 135 KB per map), written as PIL or libpng would: each
 *   row's filter chosen by the smallest sum of absolute filtered bytes, deflate level 6.
 *   Otherwise the blobs are exact, the background 0, and the rows unfiltered (deflate level 6):
 *   the inputs of the earlier 1,000-item run, byte for byte.
 * - Scores near the truth, misaligned words with misses and false alarms.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { mulberry32 } from '../src/core/metrics/jitter.ts';

const SIZE = 512;
const N = SIZE * SIZE;
const R = SIZE / 20;
const SCORE = ['plausibility', 'alignment', 'aesthetics', 'overall'] as const;

type Pt = { x: number; y: number };

export interface EvalInputs {
  readonly dataset: string;
  readonly predictions: string;
  readonly items: number;
  readonly bytes: number;
}

/** Writes dataset.json and predictions.json into `dir`. */
export function generateEvalInputs(items: number, noisy: boolean, dir: string, seed = 7): EvalInputs {
  mkdirSync(dir, { recursive: true });
  const next = mulberry32(seed);
  const rand = () => next() / 4294967296;
  const randInt = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
  // Standard normal noise: a table of 2^20 draws (Box-Muller), read from a random start with
  // a stride coprime to its size, so that every map gets its own 262,144 distinct draws.
  const noise = new Float64Array(noisy ? 1 << 20 : 0);
  for (let i = 0; i < noise.length; i += 2) {
    const m = Math.sqrt(-2 * Math.log(1 - rand()));
    const a = 2 * Math.PI * rand();
    noise[i] = m * Math.cos(a);
    noise[i + 1] = m * Math.sin(a);
  }

  const annotatorPoints = (): Pt[][] => {
    // About a third of the maps are empty, as in RichHF-18K; otherwise each annotator marks 0-6.
    if (rand() < 0.33) return [[], [], []];
    const spots = Array.from({ length: randInt(1, 3) }, () => ({ x: randInt(30, SIZE - 30), y: randInt(30, SIZE - 30) }));
    return [0, 1, 2].map(() =>
      spots.filter(() => rand() < 0.7).flatMap((s) => Array.from({ length: randInt(1, 2) }, () => ({ x: s.x + randInt(-15, 15), y: s.y + randInt(-15, 15) }))),
    );
  };

  const blurry = (centres: Pt[]): Uint8Array => {
    const v = new Float64Array(N);
    for (const p of centres) {
      const x0 = Math.round(p.x) - 48;
      const y0 = Math.round(p.y) - 48;
      const peak = 0.5 + rand() * 0.5;
      for (let r = Math.max(0, y0); r < Math.min(SIZE, y0 + STAMP); r++) {
        for (let c = Math.max(0, x0); c < Math.min(SIZE, x0 + STAMP); c++) {
          const s = stamp[(r - y0) * STAMP + (c - x0)]! * peak;
          if (s > v[r * SIZE + c]!) v[r * SIZE + c] = s;
        }
      }
    }
    const out = new Uint8Array(N);
    if (!noisy) {
      for (let i = 0; i < N; i++) out[i] = Math.round(Math.min(1, Math.max(0, v[i]!)) * 255);
      return out;
    }
    const start = randInt(0, noise.length - 1);
    for (let i = 0; i < N; i++) {
      const x = v[i]! + 0.02 + 0.01 * noise[(start + 7 * i) & (noise.length - 1)]!;
      out[i] = Math.round(Math.min(1, Math.max(0, x)) * 255);
    }
    return out;
  };

  const datasetItems = [];
  const predItems = [];
  for (let i = 0; i < items; i++) {
    const id = `item-${i}`;
    const maps = [annotatorPoints(), annotatorPoints()];
    const gt = maps.map((a) => grayPng(gtMap(a), 'rle'));
    const preds = maps.map((a) => {
      const centres = a.flat().map((p) => ({ x: p.x + randInt(-20, 20), y: p.y + randInt(-20, 20) }));
      centres.push({ x: randInt(0, SIZE), y: randInt(0, SIZE) });
      return grayPng(blurry(centres), noisy ? 'adaptive' : 'none');
    });
    const likert = SCORE.map(() => randInt(3, 15) / 3);
    const tokens = Array.from({ length: randInt(5, 15) }, (_, k) => `w${k}`);
    const labels = tokens.map(() => (rand() < 0.2 ? 0 : 1));
    datasetItems.push({
      id,
      image: `images/${id}.png`,
      prompt: tokens.join(' '),
      imageWidth: SIZE,
      imageHeight: SIZE,
      annotators: ['a', 'b', 'c'],
      scores: Object.fromEntries(SCORE.map((s, k) => [s, likert[k]!])),
      normalizedScores: Object.fromEntries(SCORE.map((s, k) => [s, (likert[k]! - 1) / 4])),
      maxScoreDiff: Object.fromEntries(SCORE.map((s) => [s, randInt(0, 2)])),
      tokens,
      tokenVotes: labels.map((l) => (l === 0 ? 2 : 0)),
      promptMisalignmentLabel: labels.join(' '),
      labeledPrompt: tokens.join(' '),
      artifactHeatmap: gt[0]!,
      misalignmentHeatmap: gt[1]!,
      points: { a: [], b: [], c: [] },
    });
    predItems.push({
      id,
      scores: Object.fromEntries(SCORE.map((s, k) => [s, Math.min(1, Math.max(0, (likert[k]! - 1) / 4 + (rand() - 0.5) * 0.4))])),
      artifactHeatmap: preds[0]!,
      misalignmentHeatmap: preds[1]!,
      misalignedTokens: tokens.map((_, k) => k).filter((k) => (labels[k] === 0 ? rand() < 0.6 : rand() < 0.1)),
    });
  }
  const dataset = JSON.stringify({
    format: 'richhf-dataset',
    version: 1,
    pack: 'bench',
    heatmapWidth: SIZE,
    heatmapHeight: SIZE,
    items: datasetItems,
    skipped: [],
    warnings: [],
  });
  const predictions = JSON.stringify({ format: 'richhf-predictions', version: 1, model: noisy ? 'bench-noisy' : 'bench', items: predItems });
  const files = { dataset: path.join(dir, 'dataset.json'), predictions: path.join(dir, 'predictions.json') };
  writeFileSync(files.dataset, dataset);
  writeFileSync(files.predictions, predictions);
  return { ...files, items, bytes: dataset.length + predictions.length };
}

/** Consolidated map: per pixel, k of 3 annotators cover it -> floor((510 k + 3) / 6). */
const LEVEL_OF_K = [0, 85, 170, 255];
function gtMap(annotators: Pt[][]): Uint8Array {
  const k = new Uint8Array(N);
  const mine = new Uint8Array(N);
  annotators.forEach((pts, a) => {
    // Stamp annotator a's union of discs with the tag a + 1, counting each pixel once per annotator.
    for (const p of pts) {
      for (let r = Math.max(0, Math.floor(p.y - R)); r < Math.min(SIZE, Math.ceil(p.y + R)); r++) {
        for (let c = Math.max(0, Math.floor(p.x - R)); c < Math.min(SIZE, Math.ceil(p.x + R)); c++) {
          const i = r * SIZE + c;
          if (mine[i] !== a + 1 && (c + 0.5 - p.x) ** 2 + (r + 0.5 - p.y) ** 2 <= R * R) {
            mine[i] = a + 1;
            k[i]!++;
          }
        }
      }
    }
  });
  for (let i = 0; i < N; i++) if (k[i]) k[i] = LEVEL_OF_K[k[i]!]!;
  return k;
}

// One Gaussian stamp (sigma 24 px), placed by max: a blurry, smooth prediction.
const STAMP = 97;
const stamp = new Float64Array(STAMP * STAMP);
for (let r = 0; r < STAMP; r++) for (let c = 0; c < STAMP; c++) stamp[r * STAMP + c] = Math.exp(-((r - 48) ** 2 + (c - 48) ** 2) / (2 * 24 * 24));

/**
 * A base64 8-bit gray PNG of a SIZE x SIZE map. `adaptive`: per row the filter (0-4) with the
 * smallest sum of the filtered bytes taken as signed, as libpng chooses, deflate level 6;
 * `none`: filter 0, deflate level 6; `rle`: filter 0 and Z_RLE, as `richhf consolidate` writes.
 */
function grayPng(gray: Uint8Array, rows: 'adaptive' | 'none' | 'rle'): string {
  const adaptive = rows === 'adaptive';
  const w = SIZE;
  const raw = new Uint8Array((w + 1) * SIZE);
  const trial = new Uint8Array(w);
  for (let r = 0; r < SIZE; r++) {
    const row = gray.subarray(r * w, (r + 1) * w);
    const up = r > 0 ? gray.subarray((r - 1) * w, r * w) : new Uint8Array(w);
    const at = r * (w + 1);
    if (!adaptive) {
      raw.set(row, at + 1);
      continue;
    }
    let best = -1;
    let bestCost = Infinity;
    for (let f = 0; f < 5; f++) {
      let cost = 0;
      for (let c = 0; c < w; c++) {
        const a = c > 0 ? row[c - 1]! : 0;
        const b = up[c]!;
        const d = c > 0 ? up[c - 1]! : 0;
        const pred = f === 0 ? 0 : f === 1 ? a : f === 2 ? b : f === 3 ? (a + b) >> 1 : paeth(a, b, d);
        const v = (row[c]! - pred) & 255;
        trial[c] = v;
        cost += v < 128 ? v : 256 - v;
      }
      if (cost < bestCost) {
        bestCost = cost;
        best = f;
        raw[at] = f;
        raw.set(trial, at + 1);
      }
    }
    if (best < 0) throw new Error('no filter');
  }
  const idat = zlib.deflateSync(raw, rows === 'rle' ? { strategy: zlib.constants.Z_RLE } : { level: 6 });
  const chunk = (type: string, data: Uint8Array) => {
    const b = Buffer.alloc(12 + data.length);
    b.writeUInt32BE(data.length, 0);
    b.write(type, 4, 'latin1');
    Buffer.from(data).copy(b, 8);
    b.writeUInt32BE(zlib.crc32(b.subarray(4, 8 + data.length)) >>> 0, 8 + data.length);
    return b;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(SIZE, 4);
  ihdr[8] = 8;
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', idat), chunk('IEND', Buffer.alloc(0))]).toString('base64');
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

if (process.argv[1]?.endsWith('evaluateData.ts')) {
  // `node --import tsx bench/evaluateData.ts N DIR [noisy]`: only write the inputs.
  const [n, dir, kind] = process.argv.slice(2);
  console.log(generateEvalInputs(Number(n), kind === 'noisy', dir!));
}
