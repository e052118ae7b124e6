/**
 * Writes the golden inputs of the evaluation test: fixtures/evaluate/dataset.json (12 items on a
 * 64x64 grid) and fixtures/evaluate/predictions.json (11 of them, parts missing on purpose).
 * The expected figures are NOT computed here: they come from the independent pure-Python
 * implementation, scripts/eval_reference.py:
 *
 *   npx tsx scripts/make-eval-golden.ts
 *   python3 scripts/eval_reference.py fixtures/evaluate/dataset.json fixtures/evaluate/predictions.json > fixtures/evaluate/expected.json
 *
 * Everything is drawn from a seeded generator, so the files are the same on every run.
 * What the fixture covers: empty ground-truth maps (artifact of g03 and g05, misalignment of
 * g02, g09 and g11); predictions at the grid size, smaller (32x32, upscaled), of another aspect
 * (80x48), all-zero, constant, RGB and 16-bit; items with only scores, only words, only some
 * scores; tied scores; a dataset item with no prediction (g12).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { encode } from 'fast-png';
import { mulberry32 } from '../src/core/metrics/jitter.ts';

const OUT = path.join(path.dirname(new URL(import.meta.url).pathname), '..', 'fixtures', 'evaluate');
const GRID = 64;
const rand = (() => {
  const next = mulberry32(2026);
  return () => next() / 4294967296;
})();
const randInt = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));

function b64(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64');
}

type Disc = { x: number; y: number; r: number; k: number };

/** A consolidated-style map: up to 3 annotators' discs, level round(255 k / 3). */
function gtMap(discs: Disc[]): Uint8Array {
  const out = new Uint8Array(GRID * GRID);
  for (let r = 0; r < GRID; r++) {
    for (let c = 0; c < GRID; c++) {
      let k = 0;
      for (const d of discs) if ((c + 0.5 - d.x) ** 2 + (r + 0.5 - d.y) ** 2 <= d.r * d.r) k = Math.max(k, d.k);
      out[r * GRID + c] = Math.floor((510 * k + 3) / 6);
    }
  }
  return out;
}

function randomDiscs(count: number): Disc[] {
  return Array.from({ length: count }, () => ({ x: randInt(6, 58), y: randInt(6, 58), r: randInt(3, 9), k: randInt(1, 3) }));
}

/** A blurry guess: Gaussian blobs near the true discs (shifted), plus faint noise; w x h pixels. */
function blurry(discs: Disc[], w: number, h: number, maxValue: number): number[] {
  const blobs = discs.map((d) => ({ x: ((d.x + randInt(-4, 4)) * w) / GRID, y: ((d.y + randInt(-4, 4)) * h) / GRID, s: ((d.r + 2) * w) / GRID }));
  blobs.push({ x: rand() * w, y: rand() * h, s: (4 * w) / GRID });
  const out: number[] = [];
  for (let r = 0; r < h; r++) {
    for (let c = 0; c < w; c++) {
      let v = 0;
      for (const b of blobs) v = Math.max(v, Math.exp(-((c - b.x) ** 2 + (r - b.y) ** 2) / (2 * b.s * b.s)));
      v = Math.min(1, v * 0.9 + rand() * 0.05);
      out.push(Math.round(v * maxValue));
    }
  }
  return out;
}

function gray8(w: number, h: number, values: number[]): string {
  return b64(encode({ width: w, height: h, data: Uint8Array.from(values), depth: 8, channels: 1 }));
}

const WORDS = ['a', 'red', 'cat', 'sitting', 'on', 'blue', 'chair', 'under', 'the', 'moon', 'two', 'dogs'];
const SCORE_NAMES = ['plausibility', 'alignment', 'aesthetics', 'overall'] as const;

const datasetItems: Record<string, unknown>[] = [];
const predItems: Record<string, unknown>[] = [];
const emptyArtifact = new Set([3, 5]);
const emptyMisalignment = new Set([2, 9, 11]);

for (let n = 1; n <= 12; n++) {
  const id = `g${String(n).padStart(2, '0')}`;
  const aDiscs = emptyArtifact.has(n) ? [] : randomDiscs(randInt(1, 3));
  const mDiscs = emptyMisalignment.has(n) ? [] : randomDiscs(randInt(1, 2));
  const tokens = Array.from({ length: randInt(3, 8) }, () => WORDS[randInt(0, WORDS.length - 1)]!);
  const tokenVotes = tokens.map(() => (n === 4 ? 0 : randInt(0, 3)));
  const labels = tokenVotes.map((v) => (v > 1.5 ? 0 : 1));
  const likert = SCORE_NAMES.map(() => randInt(3, 15) / 3);
  // Ties on purpose: every third item shares the same plausibility and overall.
  if (n % 3 === 0) {
    likert[0] = 3;
    likert[3] = 3;
  }
  const scores = Object.fromEntries(SCORE_NAMES.map((s, i) => [s, likert[i]!]));
  datasetItems.push({
    id,
    image: `images/${id}.png`,
    prompt: tokens.join(' '),
    imageWidth: 512,
    imageHeight: 512,
    annotators: ['alice', 'bob', 'carol'],
    scores,
    normalizedScores: Object.fromEntries(SCORE_NAMES.map((s, i) => [s, (likert[i]! - 1) / 4])),
    maxScoreDiff: Object.fromEntries(SCORE_NAMES.map((s) => [s, randInt(0, 2)])),
    tokens,
    tokenVotes,
    promptMisalignmentLabel: labels.join(' '),
    labeledPrompt: tokens.map((t, i) => (labels[i] === 0 ? `${t}_0` : t)).join(' '),
    artifactHeatmap: gray8(GRID, GRID, Array.from(gtMap(aDiscs))),
    misalignmentHeatmap: gray8(GRID, GRID, Array.from(gtMap(mDiscs))),
    points: { alice: [], bob: [], carol: [] },
  });
  if (n === 12) continue; // no prediction for g12

  const pred: Record<string, unknown> = { id };
  if (n !== 11) {
    const predicted = Object.fromEntries(
      SCORE_NAMES.map((s, i) => {
        const truth = (likert[i]! - 1) / 4;
        // Rounded to tenths so that predicted scores tie too.
        return [s, Math.round(Math.min(1, Math.max(0, truth + (rand() - 0.5) * 0.5)) * 10) / 10];
      }),
    );
    if (n === 2) delete predicted.aesthetics;
    if (n === 6) delete predicted.alignment;
    pred.scores = predicted;
  }
  if (n <= 4) {
    pred.artifactHeatmap = gray8(GRID, GRID, blurry(aDiscs, GRID, GRID, 255));
    pred.misalignmentHeatmap = gray8(GRID, GRID, blurry(mDiscs, GRID, GRID, 255));
  } else if (n === 5) {
    pred.artifactHeatmap = gray8(32, 32, blurry(aDiscs, 32, 32, 255));
    pred.misalignmentHeatmap = gray8(32, 32, blurry(mDiscs, 32, 32, 255));
  } else if (n === 6) {
    pred.artifactHeatmap = gray8(80, 48, blurry(aDiscs, 80, 48, 255));
    pred.misalignmentHeatmap = gray8(80, 48, blurry(mDiscs, 80, 48, 255));
  } else if (n === 7) {
    pred.artifactHeatmap = gray8(GRID, GRID, new Array<number>(GRID * GRID).fill(0));
    pred.misalignmentHeatmap = gray8(GRID, GRID, new Array<number>(GRID * GRID).fill(128));
  } else if (n === 8) {
    // RGB: the three channels differ, so the luma weights matter.
    const base = blurry(aDiscs, GRID, GRID, 255);
    const rgb = new Uint8Array(GRID * GRID * 3);
    base.forEach((v, i) => {
      rgb[3 * i] = v;
      rgb[3 * i + 1] = Math.round(v * 0.8);
      rgb[3 * i + 2] = 255 - v;
    });
    pred.artifactHeatmap = b64(encode({ width: GRID, height: GRID, data: rgb, depth: 8, channels: 3 }));
  } else if (n === 9) {
    const v16 = Uint16Array.from(blurry(aDiscs, GRID, GRID, 65535));
    pred.artifactHeatmap = b64(encode({ width: GRID, height: GRID, data: v16, depth: 16, channels: 1 }));
    pred.misalignmentHeatmap = gray8(GRID, GRID, blurry(aDiscs, GRID, GRID, 255));
  }
  if (n !== 10) {
    const tokens = datasetItems[n - 1]!.tokens as string[];
    // Item 4 has no misaligned token and predicts none: all its figures are 0 by definition.
    pred.misalignedTokens = n === 4 ? [] : tokens.map((_, i) => i).filter(() => rand() < 0.4);
  }
  predItems.push(pred);
}

// Shuffled, so that matching is by id and not by position.
const shuffled = [...predItems].sort((a, b) => ((a.id as string) < (b.id as string) ? 1 : -1));
mkdirSync(OUT, { recursive: true });
writeFileSync(
  path.join(OUT, 'dataset.json'),
  `${JSON.stringify({ format: 'richhf-dataset', version: 1, pack: 'golden-eval', heatmapWidth: GRID, heatmapHeight: GRID, items: datasetItems, skipped: [], warnings: [] }, null, 1)}\n`,
);
writeFileSync(path.join(OUT, 'predictions.json'), `${JSON.stringify({ format: 'richhf-predictions', version: 1, model: 'golden-model', items: shuffled }, null, 1)}\n`);
console.log(`wrote ${OUT}/dataset.json and predictions.json`);
