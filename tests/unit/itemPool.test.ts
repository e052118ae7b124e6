import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ItemJob, ItemOutputs } from '../../src/core/dataset/itemJob.ts';
import { answerChunk, inlineItemPool, workerItemPool, type ChunkReply, type ChunkRequest, type ChunkWorker, type ItemPool } from '../../src/core/dataset/itemPool.ts';
import { writeDataset, type DatasetSink } from '../../src/core/dataset/pipeline.ts';
import { planConsolidation } from '../../src/core/dataset/plan.ts';
import { annotationFileSchema, taskPackSchema } from '../../src/core/formats/index.ts';
import { parseJsonBytes, parseJsonText } from '../../src/core/formats/readDocument.ts';
import { readRecords } from '../../src/core/encode/tfrecord.ts';
import { datasetSchema } from '../../src/core/formats/dataset.ts';
import { parsePredictionsText } from '../../src/core/formats/readPredictions.ts';
import { evaluate, evaluateWith } from '../../src/core/metrics/evaluate.ts';
import type { MapPair } from '../../src/core/metrics/heatmapPair.ts';
import { nativeInflate, scoreCutPairsHere, scorePairsHere } from '../../src/node/heatmapPairs.ts';
import { startItemPool, startScoringPool } from '../../src/node/itemPool.ts';
import { gridSize } from '../../src/core/dataset/grid.ts';

const FIX = path.resolve(import.meta.dirname, '../../fixtures/consolidate');
const read = (f: string) => readFileSync(path.join(FIX, f), 'utf8');
function fixturePlan() {
  const pack = parseJsonText('pack.json', read('pack.json'), taskPackSchema);
  if (!pack.ok) throw new Error('fixture pack');
  const files = ['alice.json', 'bob.json', 'carol.json'].map((name) => {
    const f = parseJsonText(name, read(name), annotationFileSchema);
    if (!f.ok) throw new Error(`fixture ${name}`);
    return { name, file: f.value };
  });
  return planConsolidation({ pack: pack.value, files });
}
const plan = fixturePlan();
const expected = read('expected.json');
const grid = gridSize(512, 512);

/** Collects what a run emits, checking that `done` counts up through every item. */
async function collect(pool: ItemPool, job: ItemJob, signal?: AbortSignal) {
  const chunks: ItemOutputs[] = [];
  const dones: number[] = [];
  await pool.run(
    job,
    plan.items,
    (chunk, done) => {
      chunks.push(chunk);
      dones.push(done);
    },
    signal,
  );
  return { chunks, dones };
}

function memorySink() {
  const text: Uint8Array[] = [];
  const bytes: Uint8Array[] = [];
  const sink: DatasetSink = { json: (t) => void text.push(t), records: (b) => void bytes.push(b) };
  return { sink, text: () => Buffer.concat(text).toString('utf8'), records: () => Buffer.concat(bytes) };
}

describe('item pool on Node worker threads (src/node/itemPool.ts, run from the sources through tsx)', () => {
  const threads = startItemPool(2);
  afterAll(() => threads.close());

  it('writes the golden dataset byte for byte, and the same TFRecord as in this thread', async () => {
    const a = memorySink();
    const written = await writeDataset(threads, { plan, grid }, a.sink);
    expect(a.text()).toBe(expected);
    expect(written).toEqual({ items: 6, skipped: plan.skipped, warnings: plan.warnings });
    const b = memorySink();
    await writeDataset(inlineItemPool(), { plan, grid }, b.sink);
    expect(b.records().equals(a.records())).toBe(true);
    expect(readRecords(new Uint8Array(a.records()))).toHaveLength(6);
  });

  it('gives the outputs in plan order, chunk by chunk, with `done` counting every item', async () => {
    const job: ItemJob = { kind: 'mask', grid: gridSize(64, 48), threshold: 0.5, dilation: 2 };
    const viaThreads = await collect(threads, job);
    const here = await collect(inlineItemPool(), job);
    const ids = (r: { chunks: ItemOutputs[] }) => r.chunks.flatMap((c) => c.outputs.map((o) => o.id));
    expect(ids(viaThreads)).toEqual(plan.items.map((i) => i.id));
    expect(ids(here)).toEqual(ids(viaThreads));
    expect(viaThreads.dones.at(-1)).toBe(plan.items.length);
    expect(viaThreads.dones).toEqual([...viaThreads.dones].sort((x, y) => x - y));
    expect(viaThreads.chunks.length).toBeGreaterThan(1); // 6 items on 2 threads: chunks of 1
  });

  it('a job that throws in a thread fails the run with its message; the pool keeps working', async () => {
    const tooBig: ItemJob = { kind: 'dataset', grid: gridSize(9000, 4), json: true, record: false };
    await expect(collect(threads, tooBig)).rejects.toThrow('heatmap grids are 1 to 4096 cells a side, got 9000x4');
    const again = memorySink();
    await writeDataset(threads, { plan, grid }, again.sink);
    expect(again.text()).toBe(expected);
  });

  it('parseInput: valid files come back as parsed here, exactly what the schema gives; bad ones with the same bounded, located report', async () => {
    const bytes = (text: string) => new TextEncoder().encode(text);
    for (const name of ['alice.json', 'bob.json', 'carol.json']) {
      const viaThread = await threads.parseInput(name, bytes(read(name)));
      const here = parseJsonBytes(name, bytes(read(name)), annotationFileSchema);
      // The format schemas transform nothing: their output is the JSON itself.
      expect(here.ok && viaThread.ok).toBe(true);
      if (here.ok && viaThread.ok) expect(viaThread.value).toEqual(here.value);
    }
    const bad = JSON.parse(read('alice.json'));
    bad.annotations[2].scores.overall = 7;
    bad.annotations[3].points[0].x = 600;
    // A flood: every point of every record outside the image (thousands of problems).
    const flood = JSON.parse(read('alice.json'));
    for (const r of flood.annotations) r.points = Array.from({ length: 500 }, () => ({ kind: 'artifact', x: -1, y: 0 }));
    for (const text of [JSON.stringify(bad), JSON.stringify(flood), '\ufeff{"format": "richhf-annotations",', '[]']) {
      const viaThread = await threads.parseInput('bad.json', bytes(text));
      expect(viaThread.ok).toBe(false);
      expect(viaThread).toEqual(parseJsonBytes('bad.json', bytes(text), annotationFileSchema));
      if (!viaThread.ok) expect(viaThread.errors.length).toBeLessThanOrEqual(50);
    }
  });

  describe('startScoringPool (richhf evaluate): two threads and this one', () => {
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

  it('stops when its signal is aborted, with the signal reason', async () => {
    const controller = new AbortController();
    let chunks = 0;
    const run = threads.run(
      { kind: 'dataset', grid, json: true, record: false },
      plan.items,
      () => {
        chunks++;
        controller.abort(new Error('Export cancelled'));
      },
      controller.signal,
    );
    await expect(run).rejects.toThrow('Export cancelled');
    expect(chunks).toBe(1);
  });
});

/** A thread that answers in a microtask, or crashes on the chunk number `crashAt`. */
function fakeWorker(log: string[], crashAt = -1): ChunkWorker {
  let reply: (r: ChunkReply) => void = () => undefined;
  let failure: (e: Error) => void = () => undefined;
  let stopped = false;
  return {
    send(request: ChunkRequest) {
      queueMicrotask(() => {
        if (stopped) return;
        if (request.id === crashAt) failure(new Error('thread crashed'));
        else reply(answerChunk(request).reply);
      });
    },
    listen(onReply, onFailure) {
      reply = onReply;
      failure = onFailure;
    },
    terminate() {
      stopped = true;
      log.push('terminated');
    },
  };
}

describe('workerItemPool failure rules', () => {
  const job: ItemJob = { kind: 'dataset', grid: gridSize(8, 8), json: true, record: false };

  it('a crashed thread fails the run; the threads are stopped and the next run starts fresh ones', async () => {
    const log: string[] = [];
    let spawned = 0;
    const pool = workerItemPool({ spawn: () => (spawned++, fakeWorker(log, spawned <= 2 ? 1 : -1)), threads: 2 });
    await expect(collect(pool, job)).rejects.toThrow('thread crashed');
    expect(log).toEqual(['terminated', 'terminated']);
    const { chunks } = await collect(pool, job);
    expect(chunks.flatMap((c) => c.outputs.map((o) => o.id))).toEqual(plan.items.map((i) => i.id));
    expect(spawned).toBe(4);
    await pool.close();
  });

  it('threads start with the pool, or lazily at the first run that needs them; small runs need none', async () => {
    let spawned = 0;
    const spawn = () => (spawned++, fakeWorker([]));
    const eager = workerItemPool({ spawn, threads: 2 });
    expect(spawned).toBe(2);
    await eager.close();
    const lazy = workerItemPool({ spawn, threads: 2, inlineBelow: 100, lazy: true });
    await collect(lazy, job);
    expect(spawned).toBe(2); // 6 items < inlineBelow: run here
    const lazier = workerItemPool({ spawn, threads: 2, lazy: true });
    await collect(lazier, job);
    expect(spawned).toBe(4);
    await Promise.all([lazy.close(), lazier.close()]);
  });
});
