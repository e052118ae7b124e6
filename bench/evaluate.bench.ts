/**
 * `richhf evaluate` on 1,000 items at 512x512 (target: under 10 s). Generated in memory with a
 * seeded generator: ground-truth maps as consolidation makes them (3 annotators, 0-6 discs of
 * radius H/20 each, levels round(255 k / 3), about a third of the maps empty), predictions as a
 * model makes them (blurry Gaussian blobs near the true discs plus a false alarm, 8-bit gray).
 * PNGs are encoded with node's zlib for speed of setup; the timed part is what the command does
 * after reading the files: JSON.parse + schema validation, then decode + metrics (evaluate()).
 * `EVAL_ITEMS=200 npm run bench -- evaluate` for a quicker run.
 */
import zlib from 'node:zlib';
import { datasetSchema } from '../src/core/formats/dataset.ts';
import { parseJsonText } from '../src/core/formats/readDocument.ts';
import { parsePredictionsText } from '../src/core/formats/readPredictions.ts';
import { evaluate } from '../src/core/metrics/evaluate.ts';
import { jitterField, mulberry32 } from '../src/core/metrics/jitter.ts';
import { createWorkspace, heatmapMetrics, heatmapMetrics8 } from '../src/core/metrics/saliency.ts';
import { decodeBase64GrayPng } from '../src/core/encode/pngDecode.ts';

const ITEMS = Number(process.env.EVAL_ITEMS ?? 1000);
const SIZE = 512;
const N = SIZE * SIZE;
const next = mulberry32(7);
const rand = () => next() / 4294967296;
const randInt = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
const inflate = (z: Uint8Array) => zlib.inflateSync(z);

function png(w: number, h: number, gray: Uint8Array, rle: boolean): string {
  const raw = new Uint8Array((w + 1) * h);
  for (let r = 0; r < h; r++) raw.set(gray.subarray(r * w, (r + 1) * w), r * (w + 1) + 1);
  const idat = zlib.deflateSync(raw, rle ? { strategy: zlib.constants.Z_RLE } : { level: 6 });
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
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8;
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', idat), chunk('IEND', Buffer.alloc(0))]).toString('base64');
}

type Pt = { x: number; y: number };
const R = SIZE / 20;

/** Consolidated map: per pixel, k of 3 annotators cover it -> floor((510 k + 3) / 6). */
const LEVEL_OF_K = [0, 85, 170, 255]; // floor((510 k + 3) / 6)
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

function blurry(centres: Pt[]): Uint8Array {
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
  for (let i = 0; i < N; i++) out[i] = Math.round(v[i]! * 255);
  return out;
}

function annotatorPoints(): Pt[][] {
  // About a third of the maps are empty, as in RichHF-18K; otherwise each annotator marks 0-6.
  if (rand() < 0.33) return [[], [], []];
  const spots = Array.from({ length: randInt(1, 3) }, () => ({ x: randInt(30, SIZE - 30), y: randInt(30, SIZE - 30) }));
  return [0, 1, 2].map(() =>
    spots.filter(() => rand() < 0.7).flatMap((s) => Array.from({ length: randInt(1, 2) }, () => ({ x: s.x + randInt(-15, 15), y: s.y + randInt(-15, 15) }))),
  );
}

const t0 = performance.now();
const SCORE = ['plausibility', 'alignment', 'aesthetics', 'overall'] as const;
const datasetItems = [];
const predItems = [];
for (let i = 0; i < ITEMS; i++) {
  const id = `item-${i}`;
  const maps = [annotatorPoints(), annotatorPoints()];
  const gt = maps.map((a) => png(SIZE, SIZE, gtMap(a), true));
  const preds = maps.map((a) => {
    const centres = a.flat().map((p) => ({ x: p.x + randInt(-20, 20), y: p.y + randInt(-20, 20) }));
    centres.push({ x: randInt(0, SIZE), y: randInt(0, SIZE) });
    return png(SIZE, SIZE, blurry(centres), false);
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
const datasetText = JSON.stringify({
  format: 'richhf-dataset',
  version: 1,
  pack: 'bench',
  heatmapWidth: SIZE,
  heatmapHeight: SIZE,
  items: datasetItems,
  skipped: [],
  warnings: [],
});
const predText = JSON.stringify({ format: 'richhf-predictions', version: 1, model: 'bench', items: predItems });
const setup = performance.now() - t0;

// The timed run: what `richhf evaluate` does after reading the files.
const t1 = performance.now();
const dataset = parseJsonText('dataset.json', datasetText, datasetSchema);
const predictions = parsePredictionsText('predictions.json', predText);
if (!dataset.ok || !predictions.ok) throw new Error('bench inputs do not validate');
const t2 = performance.now();
const result = evaluate(dataset.value, predictions.value, { datasetFile: 'dataset.json', predictionsFile: 'predictions.json', inflate });
const t3 = performance.now();
if (!result.ok) throw new Error(result.errors[0]?.message);
const report = result.value;

// Breakdown: decoding alone, then the metrics alone on one decoded pair per kind.
const t4 = performance.now();
for (const item of dataset.value.items) {
  decodeBase64GrayPng(item.artifactHeatmap, inflate);
  decodeBase64GrayPng(item.misalignmentHeatmap, inflate);
}
const gtDecode = performance.now() - t4;
const t5 = performance.now();
for (const item of predictions.value.items) {
  decodeBase64GrayPng(item.artifactHeatmap!, inflate);
  decodeBase64GrayPng(item.misalignmentHeatmap!, inflate);
}
const predDecode = performance.now() - t5;
const t6 = performance.now();
const pureGt = decodeBase64GrayPng(datasetItems[0]!.artifactHeatmap);
const purePred = decodeBase64GrayPng(predItems[0]!.artifactHeatmap);
const pureOne = performance.now() - t6;
if (!pureGt.ok || !purePred.ok) throw new Error('decode failed');

const jit = jitterField(N);
const ws = createWorkspace(N);
const sample = dataset.value.items.slice(0, 100).flatMap((d, k) => {
  const p = predictions.value.items[k]!;
  return [
    [d.artifactHeatmap, p.artifactHeatmap!],
    [d.misalignmentHeatmap, p.misalignmentHeatmap!],
  ];
});
const decoded = sample.map(([g, p]) => {
  const gi = decodeBase64GrayPng(g!, inflate);
  const pi = decodeBase64GrayPng(p!, inflate);
  if (!gi.ok || !pi.ok) throw new Error('decode failed');
  const g8 = gi.image.data as Uint8Array;
  const p8 = pi.image.data as Uint8Array;
  return { g8, p8, g: Float64Array.from(g8, (v) => v / 255), p: Float64Array.from(p8, (v) => v / 255) };
});
const t7 = performance.now();
for (const d of decoded) heatmapMetrics8(d.p8, d.g8, jit, ws);
const metricsFast = (performance.now() - t7) / decoded.length;
const t8 = performance.now();
for (const d of decoded.slice(0, 20)) heatmapMetrics(d.p, d.g, jit, ws);
const metricsSorted = (performance.now() - t8) / 20;

const ms = (x: number) => `${x.toFixed(0)} ms`;
const per = (x: number, n: number) => `${(x / n).toFixed(2)} ms`;
const nonEmpty = report.counts.heatmaps.artifact.cc + report.counts.heatmaps.misalignment.cc;
console.log(
  `- ${ITEMS} items at ${SIZE}x${SIZE} (${nonEmpty} of ${2 * ITEMS} ground-truth maps non-empty), inputs ${(datasetText.length / 2 ** 20).toFixed(0)} + ${(predText.length / 2 ** 20).toFixed(0)} MB of JSON (generated in ${ms(setup)}, not timed)`,
);
console.log(
  `- **total ${((t3 - t1) / 1000).toFixed(2)} s** (target < 10 s): JSON.parse + validation ${ms(t2 - t1)}, evaluate() ${ms(t3 - t2)} = ${per(t3 - t2, ITEMS)} per item (4 PNG decodes + 2 map pairs)`,
);
console.log(
  `- breakdown per map (native inflate): ground-truth decode ${per(gtDecode, 2 * ITEMS)}, prediction decode ${per(predDecode, 2 * ITEMS)}; metrics (all seven, 8-bit path) ${metricsFast.toFixed(2)} ms`,
);
console.log(
  `- for comparison: the per-pixel path with AUC-Judd by sorting (resized or 16-bit predictions) ${metricsSorted.toFixed(2)} ms per map; pure-JS inflate (browser) decode of one GT + one prediction ${pureOne.toFixed(2)} ms`,
);
console.log(
  `- artifact AUC-Judd ${report.heatmaps.artifact.aucJudd?.toFixed(3)}, CC ${report.heatmaps.artifact.cc?.toFixed(3)}; overall PLCC ${report.scores.overall.plcc?.toFixed(3)} (sanity check of the generated data)`,
);
