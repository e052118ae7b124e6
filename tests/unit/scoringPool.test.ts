import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { datasetSchema } from '../../src/core/formats/dataset.ts';
import { parseJsonText } from '../../src/core/formats/readDocument.ts';
import { parsePredictionsText } from '../../src/core/formats/readPredictions.ts';
import { evaluate, evaluateWith } from '../../src/core/metrics/evaluate.ts';
import type { MapPair } from '../../src/core/metrics/heatmapPair.ts';
import { nativeInflate, scoreCutPairsHere, scorePairsHere } from '../../src/node/heatmapPairs.ts';
import { startScoringPool } from '../../src/node/scoringPool.ts';

describe('startScoringPool (richhf evaluate, src/node/scoringPool.ts): two threads and this one, run from the sources through tsx', () => {
  const scoring = startScoringPool(3);
  afterAll(() => scoring.close());
  const EVAL = path.resolve(import.meta.dirname, '../../fixtures/evaluate');
  const evalText = (f: string) => readFileSync(path.join(EVAL, f), 'utf8');
  const ds = parseJsonText('dataset.json', evalText('dataset.json'), datasetSchema);
  const pr = parsePredictionsText('predictions.json', evalText('predictions.json'));
  if (!ds.ok || !pr.ok) throw new Error('golden evaluation inputs');
  const dataset = ds.value;
  const predictions = pr.value;
  const files = { datasetFile: 'dataset.json', predictionsFile: 'predictions.json' };
  const viaThreads = (opts = {}) => evaluateWith(dataset, predictions, { ...files, ...opts }, (g, pairs) => scoring.scorePairs(g, pairs));

  it('the golden evaluation: the same report to the last bit as in this thread, any seed', async () => {
    for (const seed of [undefined, 7]) {
      const here = evaluate(dataset, predictions, { ...files, seed, inflate: nativeInflate, perItem: true });
      expect(here.ok).toBe(true);
      expect(await viaThreads({ seed, perItem: true })).toEqual(here);
    }
  });

  it('many pairs, in order, several per request on every thread; `done` counts up to all of them', async () => {
    const one = dataset.items.flatMap((d) => {
      const p = predictions.items.find((x) => x.id === d.id);
      return p?.artifactHeatmap ? [{ truth: d.artifactHeatmap, predicted: p.artifactHeatmap }] : [];
    });
    const pairs: MapPair[] = Array.from({ length: 150 }, (_, k) => one[k % one.length]!);
    pairs[77] = { truth: pairs[77]!.truth, predicted: 'not base64!' };
    const grid = { width: dataset.heatmapWidth, height: dataset.heatmapHeight, seed: 42 };
    scoring.prepareScoring(grid); // the threads make their scorer first: nothing changes but when
    await scoring.prepareHere(grid);
    const dones: number[] = [];
    const scores = await scoring.scorePairs(grid, pairs, (d) => dones.push(d));
    expect(scores).toEqual(scorePairsHere(grid, pairs));
    expect(scores[77]).toEqual({ ok: false, map: 'predicted', message: 'not a valid PNG (the text is not base64)' });
    expect(dones.at(-1)).toBe(150);
    expect(dones).toEqual([...dones].sort((x, y) => x - y));
    expect(dones.length).toBeGreaterThan(3);
  });

  it('cut pairs (their predicted text in shared bytes): the scores of the same texts, here and on the threads; null when a text is not plain base64', async () => {
    const one = dataset.items.flatMap((d) => {
      const p = predictions.items.find((x) => x.id === d.id);
      return p?.misalignmentHeatmap ? [{ truth: d.misalignmentHeatmap, predicted: p.misalignmentHeatmap }] : [];
    });
    const pairs: MapPair[] = Array.from({ length: 60 }, (_, k) => one[k % one.length]!);
    pairs[31] = { truth: pairs[31]!.truth, predicted: 'QUJD' }; // base64, not a PNG
    // The texts one after another in a SharedArrayBuffer, with something between them.
    const text = pairs.map((p) => `"${p.predicted}", `).join('');
    const file = Buffer.from(new SharedArrayBuffer(text.length));
    file.write(text, 'latin1');
    let at = 0;
    const cuts = pairs.map((p) => {
      const cut = { truth: p.truth, start: at + 1, end: at + 1 + p.predicted.length };
      at += p.predicted.length + 4;
      return cut;
    });
    const grid = { width: dataset.heatmapWidth, height: dataset.heatmapHeight, seed: 42 };
    const want = scorePairsHere(grid, pairs);
    expect(want[31]).toEqual({ ok: false, map: 'predicted', message: 'not a valid PNG (no PNG signature)' });
    expect(scoreCutPairsHere(grid, file, cuts)).toEqual(want);
    const dones: number[] = [];
    expect(await scoring.scoreCutPairs(grid, file, cuts, (d) => dones.push(d))).toEqual(want);
    expect(dones.at(-1)).toBe(60);
    // One text with an escape in it (JSON's "\/" is "/"): nothing is scored from the bytes.
    const escaped = `"${pairs[0]!.predicted.replace('/', '\\/')}"`;
    expect(escaped).toContain('\\/');
    const other = Buffer.from(new SharedArrayBuffer(text.length + escaped.length));
    other.write(text + escaped, 'latin1');
    const withEscape = [...cuts.slice(0, 50), { truth: pairs[0]!.truth, start: text.length + 1, end: text.length + escaped.length - 1 }, ...cuts.slice(50)];
    expect(scoreCutPairsHere(grid, other, withEscape)).toBeNull();
    expect(await scoring.scoreCutPairs(grid, other, withEscape)).toBeNull();
    expect(await scoring.scoreCutPairs(grid, other, cuts)).toEqual(want); // the threads keep working
  });

  it('a broken map: the same located errors as in this thread', async () => {
    const broken = structuredClone(predictions);
    const withMap = broken.items.findIndex((i) => i.artifactHeatmap);
    broken.items[withMap]!.artifactHeatmap = 'iVBORw0KGgo=';
    const badTruth = structuredClone(dataset);
    badTruth.items[3]!.misalignmentHeatmap = 'AAAA';
    for (const [d, p] of [
      [dataset, broken],
      [badTruth, predictions],
    ] as const) {
      const here = evaluate(d, p, files);
      expect(here.ok).toBe(false);
      expect(await evaluateWith(d, p, files, (g, pairs) => scoring.scorePairs(g, pairs))).toEqual(here);
    }
  });

  it('scoring that throws in a thread (a grid too big to allocate) fails the same way here; the pool keeps working', async () => {
    const pairs = [{ truth: 'AAAA', predicted: predictions.items.find((i) => i.artifactHeatmap)!.artifactHeatmap! }];
    const huge = { width: 200_000, height: 200_000, seed: 42 };
    let thrown = '';
    try {
      scorePairsHere(huge, pairs);
    } catch (e) {
      thrown = (e as Error).message;
    }
    expect(thrown).not.toBe('');
    await expect(scoring.scorePairs(huge, pairs)).rejects.toThrow(thrown);
    expect(await viaThreads()).toEqual(evaluate(dataset, predictions, files));
  });
});
